package msk_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks/msk"
)

const (
	srcBrokers = "b-1.src.abc.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.src.abc.c2.kafka.eu-west-1.amazonaws.com:9098"
	dstBrokers = "b-1.dst.def.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.dst.def.c2.kafka.eu-west-1.amazonaws.com:9098"
)

// iamKeys is the four IAM client settings under one prefix, as in the MSK MirrorMaker 2 post.
func iamKeys(prefix, jaas string) map[string]string {
	return map[string]string{
		prefix + "security.protocol":                  "SASL_SSL",
		prefix + "sasl.mechanism":                     "AWS_MSK_IAM",
		prefix + "sasl.jaas.config":                   jaas,
		prefix + "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
	}
}

func expectedCommon(class, tasks string) map[string]string {
	m := map[string]string{
		"connector.class":                  class,
		"tasks.max":                        tasks,
		"clusters":                         "source,target",
		"source.cluster.alias":             "source",
		"target.cluster.alias":             "target",
		"source.cluster.bootstrap.servers": srcBrokers,
		"target.cluster.bootstrap.servers": dstBrokers,
		"topics":                           ".*",
		"topics.exclude":                   `.*[\-\.]internal, .*\.replica, __.*, .*-config, .*-status, .*-offset`,
		"groups":                           ".*",
		"groups.exclude":                   "console-consumer-.*, connect-.*, __.*",
		"replication.factor":               "3",
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
	const plain = "software.amazon.msk.auth.iam.IAMLoginModule required;"
	for _, p := range []string{"source.cluster.", "source.cluster.producer.", "source.cluster.consumer.", "target.cluster.", "target.cluster.producer.", "target.cluster.consumer."} {
		for k, v := range iamKeys(p, plain) {
			m[k] = v
		}
	}
	return m
}

func TestMirrorMaker2(t *testing.T) {
	got, err := msk.MirrorMaker2(msk.MirrorMakerConfig{SourceBootstrapServers: srcBrokers, TargetBootstrapServers: dstBrokers, SourcePartitions: 180})
	if err != nil {
		t.Fatal(err)
	}
	source := expectedCommon("org.apache.kafka.connect.mirror.MirrorSourceConnector", "18")
	source["refresh.topics.enabled"] = "true"
	source["refresh.topics.interval.seconds"] = "60"
	source["sync.topic.configs.enabled"] = "true"
	source["sync.topic.configs.interval.seconds"] = "60"
	source["sync.topic.acls.enabled"] = "false"
	source["offset-syncs.topic.replication.factor"] = "3"
	checkpoint := expectedCommon("org.apache.kafka.connect.mirror.MirrorCheckpointConnector", "1")
	checkpoint["sync.group.offsets.enabled"] = "true"
	checkpoint["sync.group.offsets.interval.seconds"] = "5"
	checkpoint["checkpoints.topic.replication.factor"] = "3"
	heartbeat := expectedCommon("org.apache.kafka.connect.mirror.MirrorHeartbeatConnector", "1")
	heartbeat["heartbeats.topic.replication.factor"] = "3"
	want := &msk.MirrorMakerConnectors{Source: source, Checkpoint: checkpoint, Heartbeat: heartbeat}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MirrorMaker2 (-want +got):\n%s", diff)
	}
}

func TestMirrorMaker2Options(t *testing.T) {
	got, err := msk.MirrorMaker2(msk.MirrorMakerConfig{
		SourceBootstrapServers: srcBrokers, TargetBootstrapServers: dstBrokers,
		SourceAlias: "us-east", TargetAlias: "eu-west",
		TargetRoleARN:     "arn:aws:iam::111122223333:role/mm2-target",
		Topics:            []string{"orders.*", "payments"},
		TopicsExclude:     []string{"orders-dlq"},
		ReplicationFactor: 2,
		SourcePartitions:  25,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Warnings) != 0 {
		t.Errorf("warnings = %v", got.Warnings)
	}
	for k, want := range map[string]string{
		"tasks.max":                                 "3",
		"clusters":                                  "us-east,eu-west",
		"source.cluster.alias":                      "us-east",
		"topics":                                    "orders.*, payments",
		"topics.exclude":                            "orders-dlq",
		"replication.factor":                        "2",
		"offset-syncs.topic.replication.factor":     "2",
		"source.cluster.sasl.jaas.config":           "software.amazon.msk.auth.iam.IAMLoginModule required;",
		"target.cluster.sasl.jaas.config":           `software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn="arn:aws:iam::111122223333:role/mm2-target";`,
		"target.cluster.producer.sasl.jaas.config":  `software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn="arn:aws:iam::111122223333:role/mm2-target";`,
		"target.cluster.consumer.security.protocol": "SASL_SSL",
		"source.cluster.consumer.sasl.mechanism":    "AWS_MSK_IAM",
	} {
		if got.Source[k] != want {
			t.Errorf("source %s = %q, want %q", k, got.Source[k], want)
		}
	}
	if got.Checkpoint["tasks.max"] != "1" || got.Heartbeat["tasks.max"] != "1" || got.Checkpoint["checkpoints.topic.replication.factor"] != "2" {
		t.Errorf("checkpoint/heartbeat: %v / %v", got.Checkpoint["tasks.max"], got.Heartbeat["tasks.max"])
	}
}

func TestMirrorMaker2TasksWarning(t *testing.T) {
	got, err := msk.MirrorMaker2(msk.MirrorMakerConfig{SourceBootstrapServers: srcBrokers, TargetBootstrapServers: dstBrokers, SourcePartitions: 180, SourceTasks: 20})
	if err != nil {
		t.Fatal(err)
	}
	if got.Source["tasks.max"] != "20" {
		t.Errorf("tasks.max = %q, want the requested 20", got.Source["tasks.max"])
	}
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "tasks.max 20 is above ceil(180 partitions / 10) = 18") {
		t.Errorf("warnings = %q", got.Warnings)
	}
	// At or below the guidance: no warning. 1 partition: 1 task.
	for _, tc := range []struct{ partitions, tasks int }{{180, 18}, {180, 4}, {1, 0}, {10, 0}, {11, 0}} {
		got, err := msk.MirrorMaker2(msk.MirrorMakerConfig{SourceBootstrapServers: srcBrokers, TargetBootstrapServers: dstBrokers, SourcePartitions: tc.partitions, SourceTasks: tc.tasks})
		if err != nil || len(got.Warnings) != 0 {
			t.Errorf("%+v: warnings %v, err %v", tc, got.Warnings, err)
		}
	}
	got, _ = msk.MirrorMaker2(msk.MirrorMakerConfig{SourceBootstrapServers: srcBrokers, TargetBootstrapServers: dstBrokers, SourcePartitions: 11})
	if got.Source["tasks.max"] != "2" {
		t.Errorf("11 partitions: tasks.max %q, want 2", got.Source["tasks.max"])
	}
}

func TestMirrorMaker2Validation(t *testing.T) {
	base := msk.MirrorMakerConfig{SourceBootstrapServers: srcBrokers, TargetBootstrapServers: dstBrokers, SourcePartitions: 10}
	for _, tc := range []struct {
		name    string
		mutate  func(*msk.MirrorMakerConfig)
		wantErr string
	}{
		{"no source", func(c *msk.MirrorMakerConfig) { c.SourceBootstrapServers = "" }, "SourceBootstrapServers is required"},
		{"bad target", func(c *msk.MirrorMakerConfig) { c.TargetBootstrapServers = "b-1" }, "TargetBootstrapServers"},
		{"same alias", func(c *msk.MirrorMakerConfig) { c.SourceAlias, c.TargetAlias = "a", "a" }, "must differ"},
		{"bad alias", func(c *msk.MirrorMakerConfig) { c.SourceAlias = "a b" }, "SourceAlias"},
		{"bad regex", func(c *msk.MirrorMakerConfig) { c.Topics = []string{"orders("} }, "Topics[0]"},
		{"comma", func(c *msk.MirrorMakerConfig) { c.GroupsExclude = []string{"a,b"} }, "comma"},
		{"role not iam", func(c *msk.MirrorMakerConfig) { c.SourceRoleARN = "arn:aws:s3:::bucket" }, "SourceRoleARN"},
		{"role with quote", func(c *msk.MirrorMakerConfig) { c.TargetRoleARN = `arn:aws:iam::111122223333:role/a"b` }, "TargetRoleARN"},
		{"no partitions", func(c *msk.MirrorMakerConfig) { c.SourcePartitions = 0 }, "SourcePartitions"},
		{"negative tasks", func(c *msk.MirrorMakerConfig) { c.SourceTasks = -1 }, "SourceTasks"},
		{"negative rf", func(c *msk.MirrorMakerConfig) { c.ReplicationFactor = -1 }, "ReplicationFactor"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			tc.mutate(&c)
			_, err := msk.MirrorMaker2(c)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "msk: MirrorMakerConfig") {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestIAMClientConfig(t *testing.T) {
	if diff := cmp.Diff(iamKeys("", "software.amazon.msk.auth.iam.IAMLoginModule required;"), msk.IAMClientConfig("")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
