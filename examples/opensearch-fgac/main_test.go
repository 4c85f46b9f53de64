package main

import (
	"context"
	"strings"
	"testing"
)

func TestRunLocal(t *testing.T) {
	var b strings.Builder
	if err := runLocal(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Domain customers meets the FGAC prerequisites.",
		"Role customers_eu_analyst: created",
		"Mapping arn:aws:iam::123456789012:role/analyst -> customers_eu_analyst: created",
		"Mapping arn:aws:iam::123456789012:role/analyst -> opensearch_dashboards_user: created",
		"admin sees 3 documents:",
		"2: email=bob@example.com name=Bob Stone orders=3 region=us ssn=987-65-4321",
		"analyst sees 2 documents:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	analyst := out[strings.Index(out, "analyst sees"):]
	for _, leak := range []string{"ssn=", "ana@example.com", "eva@example.com", "Bob Stone"} {
		if strings.Contains(analyst, leak) {
			t.Errorf("the analyst sees %q:\n%s", leak, analyst)
		}
	}
	if !strings.Contains(analyst, "1: email=") || !strings.Contains(analyst, "name=Ana Lima orders=12 region=eu") {
		t.Errorf("analyst view:\n%s", analyst)
	}
}
