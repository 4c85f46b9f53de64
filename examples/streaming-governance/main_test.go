package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestRunLocal runs the whole scenario against the local endpoint. The expected lines follow
// from the scenario: one new asset type, one schema registered and synced into one asset whose
// external identifier is the topic ARN and whose columns are the Avro fields in Athena types
// (long → bigint, ["null","string"] → string, decimal(10,2), timestamp-millis → timestamp),
// a granted subscription that puts one policy on the consumer role, a read over IAM, and a
// revoke that removes it, through the documented status sequence.
func TestRunLocal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, options{registry: "streaming", schema: "orders"}); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"asset type MskTopicAssetType: created\n",
		"schema streaming/orders version 1: AVAILABLE\n",
		"sync: orders created (asset ",
		"external identifier arn:aws:kafka:eu-west-1:123456789012:topic/events/",
		`{"columnName":"id","dataType":"bigint"},{"columnName":"customer","dataType":"string"},{"columnName":"amount","dataType":"decimal(10,2)"},{"columnName":"placed_at","dataType":"timestamp"}`,
		"subscription target: created\n",
		"grant: GRANTED\n",
		"consumer role policies: datazone-",
		`consumer read {"id":1} over MSK IAM (`,
		", 0 refusals)\n",
		"revoke: REVOKED\n",
		"consumer role policies after revoke: 0\n",
		"grant statuses: [GRANT_PENDING GRANT_IN_PROGRESS GRANTED REVOKE_PENDING REVOKE_IN_PROGRESS REVOKED]\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRunFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		o    options
		want string
	}{
		{options{aws: true}, "-aws needs -domain"},
		{options{aws: true, domain: "dzd_1", project: "p", environment: "e"}, "-aws needs -cluster-arn"},
		{options{aws: true, domain: "dzd_1", project: "p", environment: "e", clusterARN: "nope", consumerRole: "r", manageRole: "m"}, `invalid ARN "nope"`},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), &out, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) || out.Len() != 0 {
			t.Errorf("run(%+v) = %v, printed %q; want %q before anything", tc.o, err, out.String(), tc.want)
		}
	}
}
