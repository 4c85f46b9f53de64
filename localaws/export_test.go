package localaws

// Defaults and the helpers of CheckOperation, for the external tests.
const (
	DefaultRegion          = defaultRegion
	DefaultAccessKeyID     = defaultAccessKeyID
	DefaultSecretAccessKey = defaultSecretAccessKey
	DefaultSessionToken    = defaultSessionToken
	DefaultMaxBodyBytes    = defaultMaxBodyBytes
	MaxDepth               = maxDepth
)

var Fill = fill
