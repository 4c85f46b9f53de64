package main

import (
	"context"
	"fmt"
	"io"

	"github.com/datablocks-go/datablocks"
)

// policyStep shows the shared IAM policy type: partition-aware ARNs, validation, deterministic JSON.
func policyStep(_ context.Context, w io.Writer, _ *env) error {
	cn := datablocks.PartitionForRegion("cn-north-1")
	bucket := cn.ARN("s3", "", "", "analytics-raw/*")
	p := datablocks.NewPolicy(datablocks.Statement{
		Sid:      "ReadRaw",
		Effect:   datablocks.Allow,
		Action:   []string{"s3:GetObject"},
		Resource: []string{bucket},
	})
	if err := p.Validate(); err != nil {
		return err
	}
	fmt.Fprintf(w, "partition for cn-north-1: %s (%s)\n", cn.ID, cn.DNSSuffix)
	fmt.Fprintln(w, p)
	return nil
}
