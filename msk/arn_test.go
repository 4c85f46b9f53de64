package msk_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks/msk"
)

const (
	exampleClusterARN = "arn:aws:kafka:eu-west-1:111122223333:cluster/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
	chinaClusterARN   = "arn:aws-cn:kafka:cn-north-1:111122223333:cluster/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
)

func TestParseClusterARN(t *testing.T) {
	got, err := msk.ParseClusterARN(exampleClusterARN)
	if err != nil {
		t.Fatal(err)
	}
	want := msk.ClusterARN{Partition: "aws", Region: "eu-west-1", AccountID: "111122223333", Name: "orders", UUID: "a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("ParseClusterARN (-want +got):\n%s", diff)
	}
	if got.String() != exampleClusterARN {
		t.Errorf("String() = %q, want %q", got.String(), exampleClusterARN)
	}
}

func TestClusterARNPartition(t *testing.T) {
	c, err := msk.ParseClusterARN("arn:aws-us-gov:kafka:us-gov-west-1:111122223333:cluster/orders/u-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws-us-gov:kafka:us-gov-west-1:111122223333:topic/orders/u-1/t"; c.Topic("t") != want {
		t.Errorf("Topic = %q, want %q", c.Topic("t"), want)
	}
}

func TestParseClusterARNOfTopic(t *testing.T) {
	if _, err := msk.ParseClusterARN("arn:aws:kafka:eu-west-1:111122223333:topic/a/b/t"); err == nil || !strings.Contains(err.Error(), "not a cluster ARN") {
		t.Errorf("ParseClusterARN of a topic ARN: err = %v", err)
	}
}

func TestValidateTopicName(t *testing.T) {
	for name, ok := range map[string]bool{
		"orders": true, "a.b_c-D9": true, strings.Repeat("x", 249): true,
		"": false, ".": false, "..": false, strings.Repeat("x", 250): false, "a b": false, "a/b": false, "a*": false, "ü": false,
	} {
		if err := msk.ValidateTopicName(name); (err == nil) != ok {
			t.Errorf("ValidateTopicName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

// Errors carry one "msk:" prefix, never a stacked "msk: ... msk:" or "datablocks:" one.
func TestARNErrorsHaveOnePrefix(t *testing.T) {
	_, policyErr := msk.ConsumerPolicy(msk.ConsumerAccess{ClusterARN: "nope", Topics: []string{"orders"}})
	_, parseErr := msk.ParseClusterARN("arn:aws:kafka")
	_, discoverErr := msk.NewBrokerDiscovery(nil).Discover(t.Context(), "arn:aws:kafka", msk.AuthIAM)
	for _, err := range []error{policyErr, parseErr, discoverErr} {
		if err == nil || strings.Count(err.Error(), "msk:") != 1 || !strings.HasPrefix(err.Error(), "msk: ") || strings.Contains(err.Error(), "datablocks:") {
			t.Errorf("error %q: want exactly one leading \"msk: \" prefix", err)
		}
	}
}
