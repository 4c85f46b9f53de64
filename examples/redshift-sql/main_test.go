package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

// TestLocalRun runs the example against the fake on PostgreSQL.
func TestLocalRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	err := run(ctx, &out, flags{database: "dev", digits: 4})
	if errors.Is(err, redshifttest.ErrNoPostgres) {
		if os.Getenv("DATABLOCKS_REQUIRE_POSTGRES") != "" {
			t.Fatalf("DATABLOCKS_REQUIRE_POSTGRES is set (as in CI) but: %v", err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"inserted 4 rows in a transaction (seen inside: 4, outside before commit: 0)",
		`2 "O'Brien"`, "20.01 2026-12-03 09:00:00",
		`4 "Robert'); drop table students;--"`,
		"streamed 10000 rows (sum 49995000)", // 0 + 1 + … + 9999
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), `1 "Ada"`) {
		t.Errorf("the query's amount filter let Ada (10.00) through:\n%s", out.String())
	}
}
