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
		"req-orders: SHARED",
		"approval requested from the data owner for req-customers (column sales.customers.email)",
		"req-customers: PENDING_APPROVAL",
		"Data owner approves req-customers: SHARED",
		"Resubmitting req-orders: 0 new Lake Formation writes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestFileStore(t *testing.T) {
	ctx := context.Background()
	s, _ := openFileStore(t.TempDir() + "/r.json")
	if _, err := s.Get(ctx, "x"); err == nil {
		t.Fatal("want not found")
	}
}
