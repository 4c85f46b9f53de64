package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestLocalRun runs the example against the fakes behind a local endpoint, through the real SDK
// clients, and checks that the same application reached its success state on all three
// runtimes.
func TestLocalRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	f := flags{entryPoint: "local:///usr/lib/spark/examples/jars/spark-examples.jar", releaseLabel: "emr-7.5.0-latest"}
	if err := run(ctx, &out, f); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		`"spark-submit" "--class" "org.apache.spark.examples.SparkPi"`,
		"EMR on EC2     s-0000000000002 ended COMPLETED",
		"EMR Serverless 00f0000000000002 ended SUCCESS",
		"EMR on EKS     0000000000000000002 ended COMPLETED",
		"STARTED",
		"(local endpoint http://127.0.0.1:",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
