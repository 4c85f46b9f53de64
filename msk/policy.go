package msk

import (
	"fmt"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// The kafka-cluster actions of MSK IAM access control that the policy builders grant, as
// the Service Authorization Reference spells them.
const (
	actionConnect                           = "kafka-cluster:Connect"
	actionWriteDataIdempotently             = "kafka-cluster:WriteDataIdempotently"
	actionCreateTopic                       = "kafka-cluster:CreateTopic"
	actionDescribeTopic                     = "kafka-cluster:DescribeTopic"
	actionAlterTopic                        = "kafka-cluster:AlterTopic"
	actionDeleteTopic                       = "kafka-cluster:DeleteTopic"
	actionDescribeTopicDynamicConfiguration = "kafka-cluster:DescribeTopicDynamicConfiguration"
	actionAlterTopicDynamicConfiguration    = "kafka-cluster:AlterTopicDynamicConfiguration"
	actionReadData                          = "kafka-cluster:ReadData"
	actionWriteData                         = "kafka-cluster:WriteData"
	actionDescribeGroup                     = "kafka-cluster:DescribeGroup"
	actionAlterGroup                        = "kafka-cluster:AlterGroup"
	actionDescribeTransactionalID           = "kafka-cluster:DescribeTransactionalId"
	actionAlterTransactionalID              = "kafka-cluster:AlterTransactionalId"
)

// Statement IDs of the policies the builders return (visible in their JSON).
const (
	sidConnect                 = "MSKConnect"
	sidWriteTopics             = "MSKWriteTopics"
	sidTransactionalIDs        = "MSKTransactionalIds"
	sidReadTopics              = "MSKReadTopics"
	sidConsumerGroups          = "MSKConsumerGroups"
	sidGlueSchemaRegistryRead  = "GlueSchemaRegistryRead"
	sidClusterAdmin            = "MSKClusterAdmin"
	sidTopicAdmin              = "MSKTopicAdmin"
	glueGetSchemaVersionAction = "glue:GetSchemaVersion"
)

// ProducerAccess describes what a producer writes to: ProducerPolicy grants it under IAM
// access control, ProducerACLs as Kafka ACLs (for SCRAM and TLS principals). ClusterARN (for
// the policy) and at least one topic are required.
type ProducerAccess struct {
	// ClusterARN is the cluster's ARN; the partition of every ARN in the policy comes from it.
	ClusterARN string
	// Topics are topic names or IAM patterns ("orders-*", "*") the producer writes to.
	Topics []string
	// Idempotent adds kafka-cluster:WriteDataIdempotently on the cluster, which idempotent
	// producers need: Java clients from Kafka 3.0 on (enable.idempotence defaults to true) and
	// franz-go. kafka-go's Writer is not idempotent and does not need it.
	Idempotent bool
	// TransactionalIDs, if any, adds DescribeTransactionalId and AlterTransactionalId on these
	// transactional IDs (or patterns), and WriteDataIdempotently on the cluster, since a
	// transactional producer is idempotent.
	TransactionalIDs []string
}

// ConsumerAccess describes what a consumer reads: ConsumerPolicy grants it under IAM access
// control, ConsumerACLs as Kafka ACLs. ClusterARN (for the policy), at least one topic and at
// least one group are required.
type ConsumerAccess struct {
	// ClusterARN is the cluster's ARN; the partition of every ARN in the policy comes from it.
	ClusterARN string
	// Topics are topic names or IAM patterns the consumer reads.
	Topics []string
	// Groups are consumer group IDs or patterns ("*" for every group) the consumer joins and
	// commits offsets for.
	Groups []string
	// GlueSchemaRegistry adds glue:GetSchemaVersion on "*", which the AWS Glue Schema Registry
	// deserializers call to fetch the writer's schema by schema version ID. The call names only
	// the version ID, so it cannot be scoped to a registry or schema ARN.
	GlueSchemaRegistry bool
}

// AdminAccess describes the topics a topic administrator (TopicAdmin) manages. ClusterARN and
// at least one topic are required.
type AdminAccess struct {
	// ClusterARN is the cluster's ARN; the partition of every ARN in the policy comes from it.
	ClusterARN string
	// Topics are topic names or IAM patterns ("*" for every topic) the administrator creates,
	// describes, alters and deletes.
	Topics []string
}

// ProducerPolicy returns the identity policy a producer needs under MSK IAM access control:
// kafka-cluster:Connect on the cluster (plus WriteDataIdempotently for idempotent or
// transactional producers), DescribeTopic and WriteData on the topics, and
// DescribeTransactionalId and AlterTransactionalId on the transactional IDs.
func ProducerPolicy(in ProducerAccess) (datablocks.Policy, error) {
	c, err := policyCluster("ProducerAccess.ClusterARN", in.ClusterARN)
	if err != nil {
		return datablocks.Policy{}, err
	}
	topics, err := topicARNs("ProducerAccess", c, in.Topics)
	if err != nil {
		return datablocks.Policy{}, err
	}
	txns, err := idARNs("ProducerAccess.TransactionalIDs", kindTransactionalID, c, in.TransactionalIDs, false)
	if err != nil {
		return datablocks.Policy{}, err
	}
	connect := []string{actionConnect}
	if in.Idempotent || len(txns) > 0 {
		connect = append(connect, actionWriteDataIdempotently)
	}
	p := datablocks.NewPolicy(
		allow(sidConnect, connect, c.String()),
		allow(sidWriteTopics, []string{actionDescribeTopic, actionWriteData}, topics...),
	)
	if len(txns) > 0 {
		p.Statements = append(p.Statements, allow(sidTransactionalIDs, []string{actionDescribeTransactionalID, actionAlterTransactionalID}, txns...))
	}
	return validated(p)
}

// ConsumerPolicy returns the identity policy a consumer needs under MSK IAM access control:
// kafka-cluster:Connect on the cluster, DescribeTopic and ReadData on the topics, DescribeGroup
// and AlterGroup on the groups, and optionally glue:GetSchemaVersion for the Glue Schema
// Registry deserializer.
func ConsumerPolicy(in ConsumerAccess) (datablocks.Policy, error) {
	c, err := policyCluster("ConsumerAccess.ClusterARN", in.ClusterARN)
	if err != nil {
		return datablocks.Policy{}, err
	}
	topics, err := topicARNs("ConsumerAccess", c, in.Topics)
	if err != nil {
		return datablocks.Policy{}, err
	}
	groups, err := idARNs("ConsumerAccess.Groups", kindGroup, c, in.Groups, true)
	if err != nil {
		return datablocks.Policy{}, err
	}
	p := datablocks.NewPolicy(
		allow(sidConnect, []string{actionConnect}, c.String()),
		allow(sidReadTopics, []string{actionDescribeTopic, actionReadData}, topics...),
		allow(sidConsumerGroups, []string{actionDescribeGroup, actionAlterGroup}, groups...),
	)
	if in.GlueSchemaRegistry {
		p.Statements = append(p.Statements, allow(sidGlueSchemaRegistryRead, []string{glueGetSchemaVersionAction}, "*"))
	}
	return validated(p)
}

// AdminPolicy returns the identity policy a topic administrator (TopicAdmin) needs under MSK
// IAM access control, and nothing more. Each TopicAdmin call is one Kafka API whose
// authorization MSK maps to one kafka-cluster action; the MSK Developer Guide ("Semantics of
// IAM authorization policy actions and resources") lists the actions each action requires
// alongside it:
//
//	TopicAdmin call                Kafka API                 action                             also requires
//	(every connection)             SaslAuthenticate          Connect (cluster)                  -
//	DescribeTopic, ListTopics,     Metadata                  DescribeTopic (topic)              Connect
//	EnsureTopic (read, leaders)
//	EnsureTopic (create)           CreateTopics              CreateTopic (topic)                Connect
//	EnsureTopic (add partitions)   CreatePartitions          AlterTopic (topic)                 Connect, DescribeTopic
//	DescribeTopic, EnsureTopic     DescribeConfigs           DescribeTopicDynamicConfiguration  Connect
//	EnsureTopic (set configs)      IncrementalAlterConfigs   AlterTopicDynamicConfiguration     Connect, DescribeTopicDynamicConfiguration
//	DeleteTopic                    DeleteTopics              DeleteTopic (topic)                Connect, DescribeTopic
//
// So the policy grants kafka-cluster:Connect on the cluster and CreateTopic, DescribeTopic,
// AlterTopic, DeleteTopic, DescribeTopicDynamicConfiguration and
// AlterTopicDynamicConfiguration on the topics. No topic call needs a cluster-wide action
// such as AlterCluster (which itself would require DescribeCluster).
func AdminPolicy(in AdminAccess) (datablocks.Policy, error) {
	c, err := policyCluster("AdminAccess.ClusterARN", in.ClusterARN)
	if err != nil {
		return datablocks.Policy{}, err
	}
	topics, err := topicARNs("AdminAccess", c, in.Topics)
	if err != nil {
		return datablocks.Policy{}, err
	}
	p := datablocks.NewPolicy(
		allow(sidClusterAdmin, []string{actionConnect}, c.String()),
		allow(sidTopicAdmin, []string{
			actionCreateTopic, actionDescribeTopic, actionAlterTopic, actionDeleteTopic,
			actionDescribeTopicDynamicConfiguration, actionAlterTopicDynamicConfiguration,
		}, topics...),
	)
	return validated(p)
}

func allow(sid string, actions []string, resources ...string) datablocks.Statement {
	return datablocks.Statement{Sid: sid, Effect: datablocks.Allow, Action: actions, Resource: resources}
}

func validated(p datablocks.Policy) (datablocks.Policy, error) {
	if err := p.Validate(); err != nil {
		return datablocks.Policy{}, fmt.Errorf("msk: generated policy is invalid: %w", poll.Unprefixed(err, "msk"))
	}
	return p, nil
}

// policyCluster parses the cluster ARN of field (such as "ProducerAccess.ClusterARN").
func policyCluster(field, clusterARN string) (ClusterARN, error) {
	if clusterARN == "" {
		return ClusterARN{}, fmt.Errorf("msk: %s is required", field)
	}
	c, err := parseClusterARN(clusterARN)
	if err != nil {
		return ClusterARN{}, fmt.Errorf("msk: %s: %w", field, err)
	}
	return c, nil
}

func topicARNs(input string, c ClusterARN, topics []string) ([]string, error) {
	if len(topics) == 0 {
		return nil, fmt.Errorf("msk: %s.Topics: at least one topic is required", input)
	}
	out := make([]string, 0, len(topics))
	seen := map[string]bool{}
	for i, t := range topics {
		if err := validTopicPattern(t); err != nil {
			return nil, fmt.Errorf("msk: %s.Topics[%d]: %w", input, i, err)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, c.Topic(t))
		}
	}
	return out, nil
}

func idARNs(field, kind string, c ClusterARN, ids []string, required bool) ([]string, error) {
	if required && len(ids) == 0 {
		return nil, fmt.Errorf("msk: %s: at least one is required (\"*\" for all)", field)
	}
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for i, id := range ids {
		if err := validIDPattern(kind, id); err != nil {
			return nil, fmt.Errorf("msk: %s[%d]: %w", field, i, err)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, c.resourceARN(kind, id))
		}
	}
	return out, nil
}
