package datazone

import (
	"log/slog"
	"slices"
	"time"

	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/datablocks-go/datablocks"
)

// Options configures every helper of the package: AssetTypes, Authorizer, MSKTopicGranter,
// SSMAssetIndex, SubscriptionTargets and TopicSync. A constructor applies its optFns to the
// zero Options, and so does every call that takes optFns (applied to a copy). A field a
// helper has no use for is ignored by it. The zero value is usable.
type Options struct {
	// AssetTypes are the asset type names an Authorizer handles; a grant of another type
	// fails (GRANT_FAILED) instead of being applied by the wrong Granter. Empty means
	// MskTopicAssetType.Name.
	AssetTypes []string
	// Timeout bounds an Authorizer's grant or revoke before its final status. Zero means
	// 4 minutes: under a Lambda function's 5-minute limit, so the final status is written
	// before the function is stopped.
	Timeout time.Duration
	// StatusTimeout bounds an Authorizer's final UpdateSubscriptionGrantStatus call, made on
	// a fresh context so that it runs after a timeout or cancellation too. Zero means
	// 15 seconds.
	StatusTimeout time.Duration
	// Groups are the consumer groups an MSKTopicGranter grants (IDs or patterns). Empty
	// means "*", every group of the cluster, as consumers name their own groups.
	Groups []string
	// GlueSchemaRegistry makes an MSKTopicGranter add read access to the topic's schema in
	// the Glue Schema Registry: glue:GetSchemaVersion (which Glue's deserializers call by
	// version ID, so on "*") and glue:GetSchema, glue:GetSchemaByDefinition and
	// glue:ListSchemaVersions on the registry and schema named by the KafkaSchemaForm, when
	// it names them.
	GlueSchemaRegistry bool
	// Retry configures an MSKTopicGranter's cluster policy edits (msk.ClusterPolicies): its
	// retries after a version conflict or throttling. Zero fields mean msk.Options.Retry's
	// defaults (100ms to 30s between 20 read-modify-write attempts).
	Retry datablocks.RetryOptions
	// Logger, if set, receives a debug line per form or asset type written, per grant
	// status written, per cluster or role policy written or deleted (and msk.ClusterPolicies'
	// own per attempt), per parameter written or deleted, per subscription target written and
	// per asset written. Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every DataZone call.
	ClientOptions []func(*awsdz.Options)
	// GlueClientOptions are passed to every Glue call (TopicSync).
	GlueClientOptions []func(*awsglue.Options)
	// IAMClientOptions are passed to every IAM call (MSKTopicGranter).
	IAMClientOptions []func(*iam.Options)
	// KafkaClientOptions are passed to every MSK call (TopicSync, MSKTopicGranter).
	KafkaClientOptions []func(*awskafka.Options)
	// SSMClientOptions are passed to every SSM call (SSMAssetIndex).
	SSMClientOptions []func(*ssm.Options)
}

// apply returns base with optFns applied, on a copy whose slices are its own, so that
// per-call options never change the helper's.
func apply(base Options, optFns []func(*Options)) Options {
	o := base
	o.AssetTypes = slices.Clone(o.AssetTypes)
	o.Groups = slices.Clone(o.Groups)
	o.ClientOptions = slices.Clone(o.ClientOptions)
	o.GlueClientOptions = slices.Clone(o.GlueClientOptions)
	o.IAMClientOptions = slices.Clone(o.IAMClientOptions)
	o.KafkaClientOptions = slices.Clone(o.KafkaClientOptions)
	o.SSMClientOptions = slices.Clone(o.SSMClientOptions)
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}
