package msk

import (
	"fmt"

	"github.com/datablocks-go/datablocks"
)

// MirrorMakerAccess describes a MirrorMaker 2 flow for MirrorMakerRolePolicy: the two
// clusters, the aliases MirrorMakerConfig uses, and the topics and consumer groups mirrored.
type MirrorMakerAccess struct {
	// SourceClusterARN and TargetClusterARN are the clusters' ARNs; required. The connectors
	// run against the target (MSK Connect keeps its internal topics there).
	SourceClusterARN string
	TargetClusterARN string
	// SourceAlias and TargetAlias are MirrorMakerConfig's; empty means "source" and
	// "target". Replicas are named "<SourceAlias>.<topic>".
	SourceAlias string
	TargetAlias string
	// Topics are the source topics mirrored: names or IAM patterns ("orders", "orders-*");
	// at least one. They must cover what MirrorMakerConfig.Topics selects.
	Topics []string
	// Groups are the consumer groups whose offsets are checkpointed and synced to the target:
	// IDs or patterns; at least one ("*" for every group).
	Groups []string
}

// Statement IDs of the MirrorMaker 2 role policy.
const (
	sidMirrorClusters      = "MSKConnectClusters"
	sidMirrorReadSource    = "MirrorReadSourceTopics"
	sidMirrorOffsetSyncs   = "MirrorOffsetSyncsTopic"
	sidMirrorSourceGroups  = "MirrorReadSourceGroups"
	sidMirrorWriteReplicas = "MirrorWriteReplicaTopics"
	sidMirrorInternal      = "MirrorInternalTopics"
	sidMirrorTargetGroups  = "MirrorSyncTargetGroups"
	sidConnectTopics       = "MSKConnectInternalTopics"
	sidConnectGroups       = "MSKConnectInternalGroups"
	connectInternalPrefix  = "__amazon_msk_connect_*"
	connectGroupPrefix     = "connect-*"
	mirrorHeartbeatsTopic  = "heartbeats"
	// actionKafkaDescribeCluster is the data-plane action (the control-plane
	// kafka:DescribeCluster is actionDescribeCluster).
	actionKafkaDescribeCluster = "kafka-cluster:DescribeCluster"
)

// MirrorMakerRolePolicy returns the permissions policy of the service execution role that
// MirrorMakerDeployer's connectors assume (MirrorMakerDeployment.ServiceExecutionRoleARN),
// scoped to exactly the clusters, topics and groups of the flow. Each statement is what one
// part of the flow does, by the Kafka APIs MirrorMaker 2 calls (Apache Kafka geo-replication
// docs, KIP-382) and the kafka-cluster actions MSK maps them to (MSK Developer Guide,
// "Semantics of IAM authorization policy actions and resources"):
//
//	statement                  cluster  resources                              actions
//	MSKConnectClusters         both     the two clusters                       Connect, DescribeCluster, WriteDataIdempotently
//	MirrorReadSourceTopics     source   Topics                                 DescribeTopic, ReadData, DescribeTopicDynamicConfiguration
//	MirrorOffsetSyncsTopic     source   mm2-offset-syncs.<target>.internal     CreateTopic, DescribeTopic, WriteData, ReadData
//	MirrorReadSourceGroups     source   Groups                                 DescribeGroup (list groups, read their offsets)
//	MirrorWriteReplicaTopics   target   <source>.<topic> for each topic        CreateTopic, DescribeTopic, WriteData, AlterTopic,
//	                                                                           DescribeTopicDynamicConfiguration, AlterTopicDynamicConfiguration
//	MirrorInternalTopics       target   heartbeats, <source>.checkpoints.internal  CreateTopic, DescribeTopic, WriteData, ReadData
//	MirrorSyncTargetGroups     target   Groups                                 DescribeGroup, AlterGroup (sync.group.offsets)
//	MSKConnectInternalTopics   target   __amazon_msk_connect_*                 CreateTopic, DescribeTopic, WriteData, ReadData
//	MSKConnectInternalGroups   target   __amazon_msk_connect_*, connect-*      DescribeGroup, AlterGroup
//
// The last two are the worker's own topics and groups, as the MSK Connect guide's service
// execution role page lists them for IAM-authenticated clusters. WriteDataIdempotently is
// granted because Kafka Connect 3.x producers are idempotent by default (enable.idempotence,
// Kafka 3.0), which MSK authorizes with that action on the cluster. The role's trust policy
// (kafkaconnect.amazonaws.com with aws:SourceAccount and aws:SourceArn conditions) is not part
// of this policy.
func MirrorMakerRolePolicy(in MirrorMakerAccess) (datablocks.Policy, error) {
	source, err := policyCluster("MirrorMakerAccess.Source", in.SourceClusterARN)
	if err != nil {
		return datablocks.Policy{}, err
	}
	target, err := policyCluster("MirrorMakerAccess.Target", in.TargetClusterARN)
	if err != nil {
		return datablocks.Policy{}, err
	}
	if source.String() == target.String() {
		return datablocks.Policy{}, fmt.Errorf("msk: MirrorMakerAccess: source and target are the same cluster %s", source)
	}
	if source.Partition != target.Partition {
		return datablocks.Policy{}, fmt.Errorf("msk: MirrorMakerAccess: the clusters are in different partitions (%s, %s)", source.Partition, target.Partition)
	}
	srcAlias, dstAlias := in.SourceAlias, in.TargetAlias
	if srcAlias == "" {
		srcAlias = defaultMirrorSourceAlias
	}
	if dstAlias == "" {
		dstAlias = defaultMirrorTargetAlias
	}
	for _, a := range []struct{ field, v string }{{"SourceAlias", srcAlias}, {"TargetAlias", dstAlias}} {
		if !aliasPattern.MatchString(a.v) {
			return datablocks.Policy{}, fmt.Errorf("msk: MirrorMakerAccess.%s %q is not letters, digits, '.', '_' and '-'", a.field, a.v)
		}
	}
	if srcAlias == dstAlias {
		return datablocks.Policy{}, fmt.Errorf("msk: MirrorMakerAccess.SourceAlias and TargetAlias are both %q; they must differ", srcAlias)
	}
	sourceTopics, err := topicARNs("MirrorMakerAccess", source, in.Topics)
	if err != nil {
		return datablocks.Policy{}, err
	}
	replicas := make([]string, len(in.Topics))
	for i, t := range in.Topics {
		replicas[i] = srcAlias + "." + t
	}
	replicaTopics, err := topicARNs("MirrorMakerAccess", target, replicas)
	if err != nil {
		return datablocks.Policy{}, err
	}
	sourceGroups, err := idARNs("MirrorMakerAccess.Groups", kindGroup, source, in.Groups, true)
	if err != nil {
		return datablocks.Policy{}, err
	}
	targetGroups, err := idARNs("MirrorMakerAccess.Groups", kindGroup, target, in.Groups, true)
	if err != nil {
		return datablocks.Policy{}, err
	}
	internalRW := []string{actionCreateTopic, actionDescribeTopic, actionWriteData, actionReadData}
	p := datablocks.NewPolicy(
		allow(sidMirrorClusters, []string{actionConnect, actionKafkaDescribeCluster, actionWriteDataIdempotently}, source.String(), target.String()),
		allow(sidMirrorReadSource, []string{actionDescribeTopic, actionReadData, actionDescribeTopicDynamicConfiguration}, sourceTopics...),
		allow(sidMirrorOffsetSyncs, internalRW, source.Topic("mm2-offset-syncs."+dstAlias+".internal")),
		allow(sidMirrorSourceGroups, []string{actionDescribeGroup}, sourceGroups...),
		allow(sidMirrorWriteReplicas, []string{actionCreateTopic, actionDescribeTopic, actionWriteData, actionAlterTopic,
			actionDescribeTopicDynamicConfiguration, actionAlterTopicDynamicConfiguration}, replicaTopics...),
		allow(sidMirrorInternal, internalRW, target.Topic(mirrorHeartbeatsTopic), target.Topic(srcAlias+".checkpoints.internal")),
		allow(sidMirrorTargetGroups, []string{actionDescribeGroup, actionAlterGroup}, targetGroups...),
		allow(sidConnectTopics, internalRW, target.Topic(connectInternalPrefix)),
		allow(sidConnectGroups, []string{actionDescribeGroup, actionAlterGroup}, target.Group(connectInternalPrefix), target.Group(connectGroupPrefix)),
	)
	return validated(p)
}
