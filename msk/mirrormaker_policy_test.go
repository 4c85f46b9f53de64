package msk_test

import (
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
	p, err := msk.MirrorMakerRolePolicy(msk.MirrorMakerAccess{
		SourceClusterARN: mirrorSourceARN, TargetClusterARN: mirrorTargetARN,
		SourceAlias: "primary", TargetAlias: "dr",
		Topics: []string{"orders", "payments-*"}, Groups: []string{"billing"},
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

func TestMirrorMakerRolePolicyRejects(t *testing.T) {
	ok := msk.MirrorMakerAccess{SourceClusterARN: mirrorSourceARN, TargetClusterARN: mirrorTargetARN, Topics: []string{"orders"}, Groups: []string{"billing"}}
	for name, tc := range map[string]struct {
		mod  func(*msk.MirrorMakerAccess)
		want string
	}{
		"no source":    {func(a *msk.MirrorMakerAccess) { a.SourceClusterARN = "" }, "Source.ClusterARN is required"},
		"same cluster": {func(a *msk.MirrorMakerAccess) { a.TargetClusterARN = mirrorSourceARN }, "same cluster"},
		"other partition": {func(a *msk.MirrorMakerAccess) {
			a.TargetClusterARN = "arn:aws-cn:kafka:cn-north-1:111122223333:cluster/orders-dr/b1b2c3d4-5678-90ab-cdef-22222EXAMPLE-3"
		}, "different partitions"},
		"no topics":    {func(a *msk.MirrorMakerAccess) { a.Topics = nil }, "at least one topic"},
		"no groups":    {func(a *msk.MirrorMakerAccess) { a.Groups = nil }, "Groups: at least one"},
		"same aliases": {func(a *msk.MirrorMakerAccess) { a.SourceAlias, a.TargetAlias = "x", "x" }, "must differ"},
		"bad alias":    {func(a *msk.MirrorMakerAccess) { a.SourceAlias = "a/b" }, "SourceAlias"},
		"policy var":   {func(a *msk.MirrorMakerAccess) { a.Topics = []string{"${aws:username}"} }, "Topics[0]"},
	} {
		a := ok
		tc.mod(&a)
		_, err := msk.MirrorMakerRolePolicy(a)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", name, err, tc.want)
		}
	}
}
