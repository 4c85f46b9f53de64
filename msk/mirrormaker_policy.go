package msk

import (
	"errors"
	"fmt"
	"strings"

	"github.com/datablocks-go/datablocks"
)

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
// scoped to exactly the clusters, topics and groups of the flow. cfg is the flow the
// connectors are built from (MirrorMakerDeployment.Config); the policy reads its cluster ARNs
// (required), aliases, Topics and Groups (see MirrorMakerConfig.Topics for the expressions
// it can turn into IAM resources; empty means every topic or group), and validates them as
// MirrorMaker2 does. Each statement is what one
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
func MirrorMakerRolePolicy(cfg MirrorMakerConfig) (datablocks.Policy, error) {
	source, err := policyCluster("MirrorMakerConfig.SourceClusterARN", cfg.SourceClusterARN)
	if err != nil {
		return datablocks.Policy{}, err
	}
	target, err := policyCluster("MirrorMakerConfig.TargetClusterARN", cfg.TargetClusterARN)
	if err != nil {
		return datablocks.Policy{}, err
	}
	if source.String() == target.String() {
		return datablocks.Policy{}, fmt.Errorf("msk: MirrorMakerConfig: source and target are the same cluster %s", source)
	}
	if source.Partition != target.Partition {
		return datablocks.Policy{}, fmt.Errorf("msk: MirrorMakerConfig: the clusters are in different partitions (%s, %s)", source.Partition, target.Partition)
	}
	if err := cfg.flowDefaults(); err != nil {
		return datablocks.Policy{}, err
	}
	srcAlias, dstAlias := cfg.SourceAlias, cfg.TargetAlias
	topics, err := iamPatterns("Topics", cfg.Topics)
	if err != nil {
		return datablocks.Policy{}, err
	}
	groups, err := iamPatterns("Groups", cfg.Groups)
	if err != nil {
		return datablocks.Policy{}, err
	}
	sourceTopics, err := topicARNs("MirrorMakerConfig", source, topics)
	if err != nil {
		return datablocks.Policy{}, err
	}
	replicas := make([]string, len(topics))
	for i, t := range topics {
		replicas[i] = srcAlias + "." + t
	}
	replicaTopics, err := topicARNs("MirrorMakerConfig", target, replicas)
	if err != nil {
		return datablocks.Policy{}, err
	}
	sourceGroups, err := idARNs("MirrorMakerConfig.Groups", kindGroup, source, groups, true)
	if err != nil {
		return datablocks.Policy{}, err
	}
	targetGroups, err := idARNs("MirrorMakerConfig.Groups", kindGroup, target, groups, true)
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
		allow(sidConnectGroups, []string{actionDescribeGroup, actionAlterGroup}, target.resourceARN(kindGroup, connectInternalPrefix), target.resourceARN(kindGroup, connectGroupPrefix)),
	)
	return validated(p)
}

// iamPatterns turns the Java regular expressions of MirrorMakerConfig.Topics or Groups into
// IAM resource name patterns matching the same names: literal characters (a backslash
// escapes punctuation), '.' becomes '?', ".*" becomes '*', and each '|' alternative becomes
// a pattern of its own. '^' and '$' at the ends are dropped, as MirrorMaker 2 matches whole
// names. Anything else (classes, groups, other quantifiers) has no IAM equivalent and is an
// error naming the expression.
func iamPatterns(field string, exprs []string) ([]string, error) {
	var out []string
	for i, expr := range exprs {
		for alt := range strings.SplitSeq(expr, "|") {
			p, err := iamPattern(alt)
			if err == nil && field == "Topics" {
				err = validTopicPattern(p)
			} else if err == nil {
				err = validIDPattern(kindGroup, p)
			}
			if err != nil {
				return nil, fmt.Errorf("msk: MirrorMakerConfig.%s[%d] %q: %w; MirrorMakerRolePolicy needs names and prefixes such as \"orders\" or \"orders-.*\"", field, i, expr, err)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func iamPattern(re string) (string, error) {
	re = strings.TrimPrefix(re, "^")
	if strings.HasSuffix(re, "$") && !strings.HasSuffix(re, `\$`) {
		re = strings.TrimSuffix(re, "$")
	}
	if re == "" {
		return "", errors.New("an empty alternative")
	}
	var b strings.Builder
	for i := 0; i < len(re); i++ {
		c := re[i]
		switch {
		case c == '\\':
			if i+1 == len(re) || isAlnum(rune(re[i+1])) || re[i+1] == '*' || re[i+1] == '?' {
				return "", fmt.Errorf("escape at %d is not of a punctuation character a name can contain", i)
			}
			i++
			b.WriteByte(re[i])
		case c == '.' && i+1 < len(re) && re[i+1] == '*':
			b.WriteByte('*')
			i++
		case c == '.':
			b.WriteByte('?')
		case strings.IndexByte("[](){}*+?|^$", c) >= 0:
			return "", fmt.Errorf("%q at %d has no IAM equivalent", c, i)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
