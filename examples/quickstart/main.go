// Command quickstart is a short tour of datablocks. It runs locally by default: every step uses
// the package's fakes or in-process brokers, so it needs no AWS account and no network.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

// step is one stop on the tour.
type step struct {
	name string
	run  func(ctx context.Context, w io.Writer) error
}

// steps is the tour, in the order a data platform meets the packages.
var steps = []step{
	{"policies", policyStep},
	{"msk", mskStep},
	{"emr", emrStep},
	{"instances", instancesStep},
	{"glue", glueStep},
	{"lakeformation", lakeformationStep},
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	fmt.Fprintln(w, "datablocks quickstart: building blocks for data platforms on AWS, running locally.")
	for i, s := range steps {
		fmt.Fprintf(w, "\n[%d/%d] %s\n", i+1, len(steps), s.name)
		if err := s.run(ctx, w); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	fmt.Fprintln(w, "\nDone. See README.md for the package tour.")
	return nil
}
