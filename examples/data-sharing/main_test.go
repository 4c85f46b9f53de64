package main

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/datablocks-go/datablocks/lakeformation"
)

func TestRunLocal(t *testing.T) {
	var b strings.Builder
	if err := run(context.Background(), &b, false, requestArgs{}); err != nil {
		t.Fatal(err)
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{
		// The workflow shares DESCRIBE on the database and SELECT and DESCRIBE on each table,
		// grantable so the consumer's administrator can grant them on; Lake Formation records
		// SELECT on a table as SELECT on all its columns.
		"DATABASE 123456789012:sales DESCRIBE (grantable: DESCRIBE)",
		"COLUMNS 123456789012:sales.orders (all) SELECT (grantable: SELECT)",
		"TABLE 123456789012:sales.orders DESCRIBE (grantable: DESCRIBE)",
		"COLUMNS 123456789012:sales.customers (all) SELECT (grantable: SELECT)",
		"TABLE 123456789012:sales.customers DESCRIBE (grantable: DESCRIBE)",
		"req-orders: SHARED",
		"approval requested from the data owner for req-customers (column sales.customers.email) on SNS",
		"req-customers: PENDING_APPROVAL",
		"Data owner approves req-customers: SHARED",
		"Resubmitting req-orders: SHARED",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestFileStore(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/r.json"
	s, err := openFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "x"); !errors.Is(err, lakeformation.ErrRequestNotFound) {
		t.Fatalf("unknown request: got %v, want ErrRequestNotFound", err)
	}
	want := lakeformation.Request{ID: "req-1", ConsumerAccount: "210987654321", Database: "sales", Table: "customers",
		State: lakeformation.RequestPendingApproval, PIIReason: "column sales.customers.email", Notified: true}
	if err := s.Put(ctx, want); err != nil {
		t.Fatal(err)
	}
	// A second process opening the same file sees the request: approval happens in a later run.
	s2, _ := openFileStore(path)
	got, err := s2.Get(ctx, "req-1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %+v\nwant %+v", got, want)
	}
	if _, err := openFileStore(""); err == nil {
		t.Error("empty path: want error")
	}
}

// TestRequestFlagsLocally runs the request path (the one -aws takes) against the local
// endpoint: a table with a PII column waits for approval, then is shared.
func TestRequestFlagsLocally(t *testing.T) {
	ctx := context.Background()
	store := t.TempDir() + "/requests.json"
	var b strings.Builder
	if err := run(ctx, &b, false, requestArgs{id: "r1", consumer: "210987654321", database: "sales", table: "customers", store: store}); err != nil {
		t.Fatal(err)
	}
	// Locally the approval request goes to the local endpoint's SNS topic.
	if got := strings.TrimSpace(b.String()); got != "r1: PENDING_APPROVAL (PII: column sales.customers.email)" {
		t.Errorf("submit: %q", got)
	}
	// The local endpoint has an SNS topic; a request given it explicitly publishes there.
	l, err := startLocal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l.srv.Close()
	b.Reset()
	if err := runRequest(ctx, &b, l.srv.Config(), requestArgs{id: "r2", consumer: "210987654321", database: "sales", table: "customers",
		store: store, topic: l.topic}); err != nil {
		t.Fatal(err)
	}
	// The messages published are the Publish calls in the fake's call log.
	if calls := l.sns.Calls(); len(calls) != 1 || !strings.Contains(aws.ToString(calls[0].Input.(*sns.PublishInput).Message), `"request_id":"r2"`) {
		t.Errorf("SNS calls %+v", calls)
	}
	if err := run(ctx, &b, true, requestArgs{}); err == nil || !strings.Contains(err.Error(), "-id is required") {
		t.Errorf("-aws without -id: %v", err)
	}
}
