package msk_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/msk"
)

const (
	mirrorSourceARN = "arn:aws:kafka:eu-west-1:111122223333:cluster/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
	mirrorTargetARN = "arn:aws:kafka:eu-central-1:111122223333:cluster/orders-dr/b1b2c3d4-5678-90ab-cdef-22222EXAMPLE-3"
)

// The expected document is written by hand: the MSK Connect service execution role page for
// the worker's own topics and groups, and MirrorMaker 2's topics and calls (Kafka
// geo-replication docs) mapped to kafka-cluster actions as MSK's action semantics table does.
func TestMirrorMakerRolePolicy(t *testing.T) {
	p, err := msk.MirrorMakerRolePolicy(msk.MirrorMakerConfig{
		SourceClusterARN: mirrorSourceARN, TargetClusterARN: mirrorTargetARN,
		SourceAlias: "primary", TargetAlias: "dr",
		Topics: []string{"orders", "payments-.*"}, Groups: []string{"billing"},
	})
	if err != nil {
		t.Fatal(err)
	}
	const src = "arn:aws:kafka:eu-west-1:111122223333:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/"
	const dst = "arn:aws:kafka:eu-central-1:111122223333:topic/orders-dr/b1b2c3d4-5678-90ab-cdef-22222EXAMPLE-3/"
	const dstGroup = "arn:aws:kafka:eu-central-1:111122223333:group/orders-dr/b1b2c3d4-5678-90ab-cdef-22222EXAMPLE-3/"
	assertPolicyJSON(t, p, `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "MSKConnectClusters", "Effect": "Allow",
	     "Action": ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"],
	     "Resource": ["`+mirrorSourceARN+`", "`+mirrorTargetARN+`"]},
	    {"Sid": "MirrorReadSourceTopics", "Effect": "Allow",
	     "Action": ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:DescribeTopicDynamicConfiguration"],
	     "Resource": ["`+src+`orders", "`+src+`payments-*"]},
	    {"Sid": "MirrorOffsetSyncsTopic", "Effect": "Allow",
	     "Action": ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:ReadData"],
	     "Resource": "`+src+`mm2-offset-syncs.dr.internal"},
	    {"Sid": "MirrorReadSourceGroups", "Effect": "Allow",
	     "Action": "kafka-cluster:DescribeGroup",
	     "Resource": "arn:aws:kafka:eu-west-1:111122223333:group/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/billing"},
	    {"Sid": "MirrorWriteReplicaTopics", "Effect": "Allow",
	     "Action": ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:AlterTopic",
	                "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:AlterTopicDynamicConfiguration"],
	     "Resource": ["`+dst+`primary.orders", "`+dst+`primary.payments-*"]},
	    {"Sid": "MirrorInternalTopics", "Effect": "Allow",
	     "Action": ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:ReadData"],
	     "Resource": ["`+dst+`heartbeats", "`+dst+`primary.checkpoints.internal"]},
	    {"Sid": "MirrorSyncTargetGroups", "Effect": "Allow",
	     "Action": ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
	     "Resource": "`+dstGroup+`billing"},
	    {"Sid": "MSKConnectInternalTopics", "Effect": "Allow",
	     "Action": ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:ReadData"],
	     "Resource": "`+dst+`__amazon_msk_connect_*"},
	    {"Sid": "MSKConnectInternalGroups", "Effect": "Allow",
	     "Action": ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
	     "Resource": ["`+dstGroup+`__amazon_msk_connect_*", "`+dstGroup+`connect-*"]}
	  ]
	}`)
}

// The policy reads the same regular expressions MirrorMaker2 puts in topics and groups:
// names and prefixes translate to IAM patterns, empty means every topic or group, and
// expressions IAM cannot express are refused rather than widened.
func TestMirrorMakerRolePolicyPatterns(t *testing.T) {
	const src = "arn:aws:kafka:eu-west-1:111122223333:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/"
	const srcGroup = "arn:aws:kafka:eu-west-1:111122223333:group/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/"
	for name, tc := range map[string]struct {
		topics, groups  []string
		wantTopics      []string
		wantSourceGroup []string
	}{
		"every topic and group": {nil, nil, []string{src + "*"}, []string{srcGroup + "*"}},
		"alternatives and escapes": {[]string{`^orders\.v1|refunds-.*$`, "audit.log"}, []string{"billing-.+"},
			[]string{src + "orders.v1", src + "refunds-*", src + "audit?log"}, nil},
	} {
		cfg := msk.MirrorMakerConfig{SourceClusterARN: mirrorSourceARN, TargetClusterARN: mirrorTargetARN, Topics: tc.topics, Groups: tc.groups}
		p, err := msk.MirrorMakerRolePolicy(cfg)
		if tc.wantSourceGroup == nil {
			// "billing-.+" has a quantifier IAM has no equivalent for.
			if err == nil || !strings.Contains(err.Error(), `Groups[0] "billing-.+"`) {
				t.Errorf("%s: err = %v, want one naming Groups[0]", name, err)
			}
			cfg.Groups = []string{"billing-.*"}
			if p, err = msk.MirrorMakerRolePolicy(cfg); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := map[string][]string{}
		for _, st := range p.Statements {
			got[st.Sid] = st.Resource
		}
		if fmt.Sprint(got["MirrorReadSourceTopics"]) != fmt.Sprint(tc.wantTopics) {
			t.Errorf("%s: source topics = %v, want %v", name, got["MirrorReadSourceTopics"], tc.wantTopics)
		}
		if tc.wantSourceGroup != nil && fmt.Sprint(got["MirrorReadSourceGroups"]) != fmt.Sprint(tc.wantSourceGroup) {
			t.Errorf("%s: source groups = %v, want %v", name, got["MirrorReadSourceGroups"], tc.wantSourceGroup)
		}
	}
}

func TestMirrorMakerRolePolicyRejects(t *testing.T) {
	ok := msk.MirrorMakerConfig{SourceClusterARN: mirrorSourceARN, TargetClusterARN: mirrorTargetARN, Topics: []string{"orders"}, Groups: []string{"billing"}}
	for name, tc := range map[string]struct {
		mod  func(*msk.MirrorMakerConfig)
		want string
	}{
		"no source":    {func(a *msk.MirrorMakerConfig) { a.SourceClusterARN = "" }, "SourceClusterARN is required"},
		"no target":    {func(a *msk.MirrorMakerConfig) { a.TargetClusterARN = "" }, "TargetClusterARN is required"},
		"same cluster": {func(a *msk.MirrorMakerConfig) { a.TargetClusterARN = mirrorSourceARN }, "same cluster"},
		"other partition": {func(a *msk.MirrorMakerConfig) {
			a.TargetClusterARN = "arn:aws-cn:kafka:cn-north-1:111122223333:cluster/orders-dr/b1b2c3d4-5678-90ab-cdef-22222EXAMPLE-3"
		}, "different partitions"},
		"not a regexp":   {func(a *msk.MirrorMakerConfig) { a.Topics = []string{"orders("} }, "not a regular expression"},
		"class":          {func(a *msk.MirrorMakerConfig) { a.Topics = []string{"orders-[0-9]"} }, "Topics[0]"},
		"empty group":    {func(a *msk.MirrorMakerConfig) { a.Groups = []string{"a|"} }, "Groups[0]"},
		"escaped star":   {func(a *msk.MirrorMakerConfig) { a.Topics = []string{`orders\*`} }, "Topics[0]"},
		"same aliases":   {func(a *msk.MirrorMakerConfig) { a.SourceAlias, a.TargetAlias = "x", "x" }, "must differ"},
		"bad alias":      {func(a *msk.MirrorMakerConfig) { a.SourceAlias = "a/b" }, "SourceAlias"},
		"policy var":     {func(a *msk.MirrorMakerConfig) { a.Topics = []string{"${aws:username}"} }, "Topics[0]"},
		"bad topic name": {func(a *msk.MirrorMakerConfig) { a.Topics = []string{"orders/x"} }, "Topics[0]"},
	} {
		a := ok
		tc.mod(&a)
		_, err := msk.MirrorMakerRolePolicy(a)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", name, err, tc.want)
		}
	}
}
