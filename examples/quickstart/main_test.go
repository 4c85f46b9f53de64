package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestQuickstartRuns runs the whole tour locally and checks that every step printed its header
// and the tour finished, so a package that breaks its quickstart step fails the suite.
func TestQuickstartRuns(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("quickstart failed: %v\n%s", err, out.String())
	}
	for i, s := range steps {
		header := fmt.Sprintf("[%d/%d] %s", i+1, len(steps), s.name)
		if !strings.Contains(out.String(), header) {
			t.Errorf("output lacks step header %q", header)
		}
	}
	if !strings.Contains(out.String(), `"Resource": "arn:aws-cn:s3:::analytics-raw/*"`) {
		t.Errorf("policy step did not print the China-partition ARN:\n%s", out.String())
	}
	for _, want := range []string{
		"consumed 5 messages",                                                 // msk over IAM, brokers found through the kafka client
		"step states: [COMPLETED FAILED]",                                     // emr through the EMR client
		"total:decimal(10,2)",                                                 // glue: Avro decimal as Athena's type
		"converging again: no changes, 0 write calls",                         // lakeformation converges
		"MskTopicAssetType in domain dzd_0000000001: created, then unchanged", // datazone Ensure is idempotent
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(out.String()), "See README.md for the package tour.") {
		t.Errorf("tour did not finish:\n%s", out.String())
	}
}
