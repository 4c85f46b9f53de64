package lakeformation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
	"github.com/datablocks-go/datablocks/localaws"
)

// TestSNSNotifierThroughLocalAWS publishes approval requests with the real SNS client over
// localaws to the SNS fake, whose Subject rule is the API reference's ("less than 100
// characters", ASCII without control characters): a long, non-ASCII request still yields a
// valid subject.
func TestSNSNotifierThroughLocalAWS(t *testing.T) {
	fake := lakeformationtest.NewSNS()
	topic := "arn:aws:sns:eu-west-1:123456789012:DataLakeSharingApproval"
	fake.AddTopic(topic)
	srv := localaws.NewTestServer(t, fake.Service())
	cfg := srv.Config()
	cfg.RetryMaxAttempts = 1
	n := lakeformation.NewSNSNotifier(sns.NewFromConfig(cfg), topic)
	ctx := context.Background()
	reqs := []lakeformation.Request{
		{ID: "req-7", ConsumerAccount: "210987654321", Database: "sales", Table: "customers", PIIReason: "column sales.customers.email"},
		{ID: "req-8", ConsumerAccount: "210987654321", Database: strings.Repeat("d", 80), Table: "tä\nble", PIIReason: "table"},
	}
	for _, r := range reqs {
		if err := n.RequestApproval(ctx, r); err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
	}
	var got []*sns.PublishInput // the messages published, from the fake's call log
	for _, c := range fake.Calls() {
		got = append(got, c.Input.(*sns.PublishInput))
	}
	if len(got) != 2 {
		t.Fatalf("%d messages", len(got))
	}
	if aws.ToString(got[0].Subject) != "Approval needed: account 210987654321 requests sales.customers" ||
		aws.ToString(got[0].MessageAttributes["request_id"].StringValue) != "req-7" || aws.ToString(got[0].TopicArn) != topic {
		t.Errorf("first message %+v", got[0])
	}
	if s := aws.ToString(got[1].Subject); len(s) != 99 || strings.ContainsAny(s, "\n\u00e4") {
		t.Errorf("second subject %q (%d bytes), want 99 ASCII bytes", s, len(s))
	}
	bad := lakeformation.NewSNSNotifier(sns.NewFromConfig(cfg), strings.Replace(topic, "DataLakeSharingApproval", "Nope", 1))
	if err := bad.RequestApproval(ctx, reqs[0]); err == nil || !strings.Contains(err.Error(), "NotFound") {
		t.Errorf("unknown topic: %v, want NotFound", err)
	}
}
