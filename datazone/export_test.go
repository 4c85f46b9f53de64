package datazone

// Internals the external tests check directly.
var (
	MskTopicAssetTypeName      = mskTopicAssetTypeName
	KafkaSchemaFormTypeName    = kafkaSchemaFormTypeName
	KafkaSchemaFormName        = kafkaSchemaFormName
	MskSourceReferenceFormName = mskSourceReferenceFormName
	MskSourceReferenceFormType = mskSourceReferenceFormType
	KafkaSchemaFormType        = kafkaSchemaFormType
	ParseGrantEvent            = parseGrantEvent
	ParseSchemaEvent           = parseSchemaEvent
)

const (
	GrantRequested  = grantRequested
	RevokeRequested = revokeRequested
)

type (
	TopicAsset = topicAsset
	GrantEvent = grantEvent
)

// Smithy is the model f renders to.
func Smithy(f FormType) (string, error) { return f.smithy() }

// Validate runs the checks the Ensure calls make before any call.
func Validate(v interface{ validate() error }) error { return v.validate() }
