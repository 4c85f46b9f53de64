package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestRunLocal runs the example's main logic against the local MSK: three TLS brokers that
// verify every IAM token. Each line it checks follows from the options given: 50 messages,
// all produced with RequireAll, all consumed back by the group, in order per partition, and
// no client refused.
func TestRunLocal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	err := run(ctx, &out, options{topic: "example-orders", group: "example-audit", messages: 50})
	if err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"local MSK: 3 TLS brokers in ",
		"MSK cluster arn:aws:kafka:",
		": 3 IAM brokers\n",
		"produced 50 messages to \"example-orders\" with RequireAll in ",
		"consumed 50 messages with group \"example-audit\" in ",
		", in order per partition: true\n",
		" IAM authentications, 0 refusals, 0 expired sessions\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, " 0 IAM authentications") {
		t.Errorf("no client authenticated with IAM:\n%s", got)
	}
}

// TestRunFlagErrors checks the mistakes run reports before it starts anything or calls AWS.
func TestRunFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    options
		want string
	}{
		{"no messages", options{topic: "t", group: "g"}, "-messages must be positive"},
		{"aws without cluster", options{aws: true, topic: "t", group: "g", messages: 1}, "-aws needs -cluster-arn"},
		{"aws with a bad ARN", options{aws: true, clusterARN: "orders", topic: "t", group: "g", messages: 1}, `invalid ARN "orders"`},
		{"aws with a topic ARN", options{aws: true, clusterARN: "arn:aws:kafka:eu-west-1:123456789012:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/t", topic: "t", group: "g", messages: 1}, "not a cluster ARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), &out, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
			if out.Len() != 0 {
				t.Errorf("printed %q before failing", out.String())
			}
		})
	}
}
