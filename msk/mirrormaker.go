package msk

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/datablocks-go/datablocks"
)

// The MirrorMaker 2 connector classes (connector.class).
const (
	mirrorSourceConnector     = "org.apache.kafka.connect.mirror.MirrorSourceConnector"
	mirrorCheckpointConnector = "org.apache.kafka.connect.mirror.MirrorCheckpointConnector"
	mirrorHeartbeatConnector  = "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector"
)

// Defaults of MirrorMakerConfig.
const (
	defaultMirrorSourceAlias       = "source"
	defaultMirrorTargetAlias       = "target"
	defaultMirrorReplicationFactor = 3
	// defaultMirrorPartitionsPerTask is MSK's sizing guidance for the source connector: one
	// task per 10 partitions.
	defaultMirrorPartitionsPerTask = 10
)

// defaultMirrorTopics, defaultMirrorTopicsExclude and defaultMirrorGroupsExclude are the
// patterns used when the corresponding MirrorMakerConfig field is empty. The exclusions keep
// Kafka's and Kafka Connect's internal topics and groups, and MM2's own replicas, from being
// mirrored.
var (
	defaultMirrorTopics        = []string{".*"}
	defaultMirrorTopicsExclude = []string{`.*[\-\.]internal`, `.*\.replica`, `__.*`, `.*-config`, `.*-status`, `.*-offset`}
	defaultMirrorGroups        = []string{".*"}
	defaultMirrorGroupsExclude = []string{`console-consumer-.*`, `connect-.*`, `__.*`}
)

// IAM client settings for Kafka clients: the four keys every Java client, Kafka Connect
// worker and MirrorMaker 2 cluster prefix needs to authenticate to MSK with IAM.
const (
	iamSecurityProtocol = "SASL_SSL"
	iamSASLMechanism    = "AWS_MSK_IAM"
	iamLoginModule      = "software.amazon.msk.auth.iam.IAMLoginModule"
	iamCallbackHandler  = "software.amazon.msk.auth.iam.IAMClientCallbackHandler"
)

// MirrorMakerConfig describes a MirrorMaker 2 replication flow from a source to a target MSK
// cluster, both using IAM authentication, to run as three MSK Connect connectors. The same
// value gives MirrorMaker2 the connector configurations and MirrorMakerRolePolicy the
// permissions the connectors need, so the two cannot disagree.
type MirrorMakerConfig struct {
	// SourceClusterARN and TargetClusterARN are the clusters' ARNs, which
	// MirrorMakerRolePolicy requires and scopes the policy to; the connector configurations
	// do not use them.
	SourceClusterARN string
	TargetClusterARN string
	// SourceBootstrapServers and TargetBootstrapServers are the clusters' IAM bootstrap
	// strings (port 9098), as BrokerDiscovery returns them; required.
	SourceBootstrapServers string
	TargetBootstrapServers string
	// SourceAlias and TargetAlias name the clusters in MM2 config keys and in replicated topic
	// names (the default replication policy names a replica "<source alias>.<topic>").
	// Letters, digits, '.', '_' and '-'. Empty means "source" and "target".
	SourceAlias string
	TargetAlias string
	// SourceRoleARN and TargetRoleARN, if set, make the IAM login module assume these roles
	// (awsRoleArn) for the respective cluster instead of using the connector's service
	// execution role.
	SourceRoleARN string
	TargetRoleARN string
	// Topics and TopicsExclude are Java regular expressions selecting the topics to mirror.
	// Empty Topics means ".*" (every topic); empty TopicsExclude means Kafka's and Kafka
	// Connect's internal topics and MM2's own replicas: `.*[\-\.]internal`, `.*\.replica`,
	// `__.*`, `.*-config`, `.*-status` and `.*-offset`.
	//
	// MirrorMakerRolePolicy turns Topics into IAM resources, so for it each expression must
	// be names and prefixes: literal characters (escaped or not), '.' (any one character),
	// ".*" (any run) and '|' between alternatives, as in "orders", "payments-.*" or
	// `orders\.v1|refunds`. Exclusions only narrow what is mirrored; the policy does not
	// subtract them.
	Topics        []string
	TopicsExclude []string
	// Groups and GroupsExclude select the consumer groups whose offsets are checkpointed, as
	// Topics and TopicsExclude do (MirrorMakerRolePolicy reads Groups as it reads Topics).
	// Empty Groups means ".*"; empty GroupsExclude means `console-consumer-.*`, `connect-.*`
	// and `__.*`.
	Groups        []string
	GroupsExclude []string
	// ReplicationFactor of the replicated topics and of MM2's internal topics (offset-syncs,
	// checkpoints, heartbeats) on the target. Zero means 3.
	ReplicationFactor int
	// SourcePartitions is the total number of partitions of the mirrored topics; required, as
	// it sizes the source connector.
	SourcePartitions int
	// SourceTasks is the source connector's tasks.max. Zero means
	// ceil(SourcePartitions/10), MSK's guidance. More than that is allowed with a warning:
	// extra tasks can leave consumer offsets untranslated.
	SourceTasks int
}

// MirrorMakerConnectors holds the three connector configurations, each ready to pass as
// ConnectorConfiguration to kafkaconnect CreateConnector.
type MirrorMakerConnectors struct {
	Source     map[string]string
	Checkpoint map[string]string
	Heartbeat  map[string]string
	// Warnings are advisories about the configuration, such as a source tasks.max above the
	// sizing guidance. They do not stop the configuration from working.
	Warnings []string
}

// aliasPattern is what MM2 accepts as a cluster alias in config key prefixes.
var aliasPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// MirrorMaker2 validates cfg and returns the configurations of the MirrorSourceConnector,
// MirrorCheckpointConnector and MirrorHeartbeatConnector.
//
// Every connector gets connector.class, tasks.max, clusters, source.cluster.alias,
// target.cluster.alias, source.cluster.bootstrap.servers, target.cluster.bootstrap.servers,
// topics, topics.exclude, groups, groups.exclude, replication.factor,
// refresh.groups.enabled=true, refresh.groups.interval.seconds=60,
// emit.checkpoints.enabled=true, consumer.auto.offset.reset=earliest, producer.linger.ms=500,
// producer.retry.backoff.ms=1000, producer.max.block.ms=10000, key.converter and
// value.converter (org.apache.kafka.connect.converters.ByteArrayConverter), and
// security.protocol=SASL_SSL, sasl.mechanism=AWS_MSK_IAM, sasl.jaas.config (IAMLoginModule)
// and sasl.client.callback.handler.class (IAMClientCallbackHandler) under each of the six
// prefixes source.cluster., source.cluster.producer., source.cluster.consumer.,
// target.cluster., target.cluster.producer. and target.cluster.consumer.
//
// The source connector adds refresh.topics.enabled=true, refresh.topics.interval.seconds=60,
// sync.topic.configs.enabled=true, sync.topic.configs.interval.seconds=60,
// sync.topic.acls.enabled=false (IAM clusters authorize with IAM, not ACLs) and
// offset-syncs.topic.replication.factor; the checkpoint connector adds
// sync.group.offsets.enabled=true, sync.group.offsets.interval.seconds=5 and
// checkpoints.topic.replication.factor; the heartbeat connector adds
// heartbeats.topic.replication.factor. Checkpoint and heartbeat connectors run one task.
func MirrorMaker2(cfg MirrorMakerConfig) (*MirrorMakerConnectors, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	res := &MirrorMakerConnectors{}
	maxTasks := (cfg.SourcePartitions + defaultMirrorPartitionsPerTask - 1) / defaultMirrorPartitionsPerTask
	tasks := cfg.SourceTasks
	if tasks == 0 {
		tasks = maxTasks
	}
	if tasks > maxTasks {
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"source tasks.max %d is above ceil(%d partitions / %d) = %d; tasks beyond one per %d partitions can leave consumer group offsets untranslated",
			tasks, cfg.SourcePartitions, defaultMirrorPartitionsPerTask, maxTasks, defaultMirrorPartitionsPerTask))
	}
	rf := strconv.Itoa(cfg.ReplicationFactor)

	res.Source = cfg.common(mirrorSourceConnector, tasks)
	res.Source["refresh.topics.enabled"] = "true"
	res.Source["refresh.topics.interval.seconds"] = "60"
	res.Source["sync.topic.configs.enabled"] = "true"
	res.Source["sync.topic.configs.interval.seconds"] = "60"
	res.Source["sync.topic.acls.enabled"] = "false"
	res.Source["offset-syncs.topic.replication.factor"] = rf

	res.Checkpoint = cfg.common(mirrorCheckpointConnector, 1)
	res.Checkpoint["sync.group.offsets.enabled"] = "true"
	res.Checkpoint["sync.group.offsets.interval.seconds"] = "5"
	res.Checkpoint["checkpoints.topic.replication.factor"] = rf

	res.Heartbeat = cfg.common(mirrorHeartbeatConnector, 1)
	res.Heartbeat["heartbeats.topic.replication.factor"] = rf
	return res, nil
}

func (cfg *MirrorMakerConfig) defaults() error {
	if err := cfg.flowDefaults(); err != nil {
		return err
	}
	for _, b := range []struct{ field, v string }{{"SourceBootstrapServers", cfg.SourceBootstrapServers}, {"TargetBootstrapServers", cfg.TargetBootstrapServers}} {
		if b.v == "" {
			return fmt.Errorf("msk: MirrorMakerConfig.%s is required", b.field)
		}
		if _, err := parseBrokerList(b.v); err != nil {
			return fmt.Errorf("msk: MirrorMakerConfig.%s: %w", b.field, err)
		}
	}
	for _, r := range []struct{ field, v string }{{"SourceRoleARN", cfg.SourceRoleARN}, {"TargetRoleARN", cfg.TargetRoleARN}} {
		if r.v == "" {
			continue
		}
		a, err := datablocks.ParseARN(r.v)
		if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") || strings.ContainsAny(r.v, "\" ") {
			return fmt.Errorf("msk: MirrorMakerConfig.%s %q is not an IAM role ARN", r.field, r.v)
		}
	}
	if cfg.ReplicationFactor == 0 {
		cfg.ReplicationFactor = defaultMirrorReplicationFactor
	}
	if cfg.ReplicationFactor < 1 {
		return fmt.Errorf("msk: MirrorMakerConfig.ReplicationFactor %d must be at least 1", cfg.ReplicationFactor)
	}
	if cfg.SourcePartitions < 1 {
		return fmt.Errorf("msk: MirrorMakerConfig.SourcePartitions %d must be at least 1; it sizes the source connector's tasks", cfg.SourcePartitions)
	}
	if cfg.SourceTasks < 0 {
		return fmt.Errorf("msk: MirrorMakerConfig.SourceTasks %d must be 0 (sized from SourcePartitions) or more", cfg.SourceTasks)
	}
	return nil
}

// flowDefaults applies the defaults of, and validates, what MirrorMaker2 and
// MirrorMakerRolePolicy both read: the aliases and the topic and group selections.
func (cfg *MirrorMakerConfig) flowDefaults() error {
	if cfg.SourceAlias == "" {
		cfg.SourceAlias = defaultMirrorSourceAlias
	}
	if cfg.TargetAlias == "" {
		cfg.TargetAlias = defaultMirrorTargetAlias
	}
	for _, a := range []struct{ field, v string }{{"SourceAlias", cfg.SourceAlias}, {"TargetAlias", cfg.TargetAlias}} {
		if !aliasPattern.MatchString(a.v) {
			return fmt.Errorf("msk: MirrorMakerConfig.%s %q is not letters, digits, '.', '_' and '-'", a.field, a.v)
		}
	}
	if cfg.SourceAlias == cfg.TargetAlias {
		return fmt.Errorf("msk: MirrorMakerConfig.SourceAlias and TargetAlias are both %q; they must differ", cfg.SourceAlias)
	}
	lists := []struct {
		field string
		v     *[]string
		def   []string
	}{
		{"Topics", &cfg.Topics, defaultMirrorTopics},
		{"TopicsExclude", &cfg.TopicsExclude, defaultMirrorTopicsExclude},
		{"Groups", &cfg.Groups, defaultMirrorGroups},
		{"GroupsExclude", &cfg.GroupsExclude, defaultMirrorGroupsExclude},
	}
	for _, l := range lists {
		if len(*l.v) == 0 {
			*l.v = l.def
		}
		for i, p := range *l.v {
			if strings.TrimSpace(p) == "" || strings.Contains(p, ",") {
				return fmt.Errorf("msk: MirrorMakerConfig.%s[%d] %q is empty or contains a comma, which separates list entries", l.field, i, p)
			}
			if _, err := regexp.Compile(p); err != nil {
				return fmt.Errorf("msk: MirrorMakerConfig.%s[%d] %q is not a regular expression: %w", l.field, i, p, err)
			}
		}
	}
	return nil
}

// common returns the keys every connector shares.
func (cfg *MirrorMakerConfig) common(class string, tasks int) map[string]string {
	m := map[string]string{
		"connector.class":                  class,
		"tasks.max":                        strconv.Itoa(tasks),
		"clusters":                         cfg.SourceAlias + "," + cfg.TargetAlias,
		"source.cluster.alias":             cfg.SourceAlias,
		"target.cluster.alias":             cfg.TargetAlias,
		"source.cluster.bootstrap.servers": cfg.SourceBootstrapServers,
		"target.cluster.bootstrap.servers": cfg.TargetBootstrapServers,
		"topics":                           strings.Join(cfg.Topics, ", "),
		"topics.exclude":                   strings.Join(cfg.TopicsExclude, ", "),
		"groups":                           strings.Join(cfg.Groups, ", "),
		"groups.exclude":                   strings.Join(cfg.GroupsExclude, ", "),
		"replication.factor":               strconv.Itoa(cfg.ReplicationFactor),
		"refresh.groups.enabled":           "true",
		"refresh.groups.interval.seconds":  "60",
		"emit.checkpoints.enabled":         "true",
		"consumer.auto.offset.reset":       "earliest",
		"producer.linger.ms":               "500",
		"producer.retry.backoff.ms":        "1000",
		"producer.max.block.ms":            "10000",
		"key.converter":                    "org.apache.kafka.connect.converters.ByteArrayConverter",
		"value.converter":                  "org.apache.kafka.connect.converters.ByteArrayConverter",
	}
	for _, side := range []struct{ prefix, role string }{{"source.cluster.", cfg.SourceRoleARN}, {"target.cluster.", cfg.TargetRoleARN}} {
		for _, sub := range []string{"", "producer.", "consumer."} {
			for k, v := range IAMClientConfig(side.role) {
				m[side.prefix+sub+k] = v
			}
		}
	}
	return m
}

// IAMClientConfig returns the four Java Kafka client settings for MSK IAM authentication:
// security.protocol=SASL_SSL, sasl.mechanism=AWS_MSK_IAM, sasl.jaas.config with the
// IAMLoginModule (assuming roleARN when it is not empty) and
// sasl.client.callback.handler.class=IAMClientCallbackHandler. Spark prefixes each key with
// "kafka."; MirrorMaker 2 with a cluster prefix.
func IAMClientConfig(roleARN string) map[string]string {
	jaas := iamLoginModule + " required;"
	if roleARN != "" {
		jaas = iamLoginModule + ` required awsRoleArn="` + roleARN + `";`
	}
	return map[string]string{
		"security.protocol":                  iamSecurityProtocol,
		"sasl.mechanism":                     iamSASLMechanism,
		"sasl.jaas.config":                   jaas,
		"sasl.client.callback.handler.class": iamCallbackHandler,
	}
}
