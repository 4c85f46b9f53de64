package poll

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestUnprefixedReadsOnePrefix: an error wrapped under a package prefix carries that prefix
// once, whether it came from the same package or from package datablocks, and the chain
// still reaches the original error.
func TestUnprefixedReadsOnePrefix(t *testing.T) {
	sentinel := errors.New("datablocks: invalid ARN \"x\": not an ARN")
	cases := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("emr: step s-1: %w", sentinel), "emr: wrap: step s-1: invalid ARN \"x\": not an ARN"},
		{sentinel, "emr: wrap: invalid ARN \"x\": not an ARN"},
		{errors.New("glue: a glue error"), "emr: wrap: glue: a glue error"}, // another package's prefix stays
	}
	for _, c := range cases {
		got := fmt.Errorf("emr: wrap: %w", Unprefixed(c.err, "emr"))
		if got.Error() != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
		if !errors.Is(got, c.err) {
			t.Errorf("%q does not reach %q", got, c.err)
		}
	}
	if Unprefixed(nil, "emr") != nil {
		t.Error("Unprefixed(nil) is not nil")
	}
}

// TestWaitPrefixedPrefixesOnce: a check's own prefixed error comes back from WaitPrefixed with
// the prefix once.
func TestWaitPrefixedPrefixesOnce(t *testing.T) {
	boom := errors.New("msk: the policy of c is invalid")
	err := WaitPrefixed(context.Background(), "msk", Options{What: "policy"}, func(context.Context) (string, bool, error) {
		return "", false, boom
	})
	if err == nil || !errors.Is(err, boom) {
		t.Fatalf("err = %v, want one wrapping %v", err, boom)
	}
	if got, n := err.Error(), strings.Count(err.Error(), "msk: "); n != 1 {
		t.Fatalf("%q carries the prefix %d times, want once", got, n)
	}
}
