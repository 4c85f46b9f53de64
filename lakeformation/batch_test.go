package lakeformation_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func newGranter(f *lakeformationtest.Fake, clock *datablocks.ManualClock) *lakeformation.Granter {
	return lakeformation.NewGranter(f, func(o *lakeformation.GranterOptions) {
		o.Retry.Clock = clock
		o.Retry.Jitter = func() float64 { return 0 }
	})
}

func tableGrants(n int) []lakeformation.Grant {
	out := make([]lakeformation.Grant, n)
	for i := range out {
		out[i] = lakeformation.Grant{Principal: role, Resource: lakeformation.Table("sales", fmt.Sprintf("t%02d", i)),
			Permissions: []lakeformation.Permission{lakeformation.Describe}}
	}
	return out
}

func batchInputs(t *testing.T, f *lakeformationtest.Fake, op string) [][]types.BatchPermissionsRequestEntry {
	t.Helper()
	var out [][]types.BatchPermissionsRequestEntry
	for _, c := range f.Calls() {
		switch in := c.Input.(type) {
		case *awslf.BatchGrantPermissionsInput:
			if op == c.Op {
				out = append(out, in.Entries)
			}
		case *awslf.BatchRevokePermissionsInput:
			if op == c.Op {
				out = append(out, in.Entries)
			}
		}
	}
	return out
}

func TestGrant45EntriesMakesThreeBatchCalls(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	res, err := newGranter(f, datablocks.NewManualClock(time.Time{})).Grant(ctx, tableGrants(45))
	if err != nil {
		t.Fatal(err)
	}
	calls := batchInputs(t, f, "BatchGrantPermissions")
	if len(calls) != 3 || len(f.Calls()) != 3 {
		t.Fatalf("got %d batch calls (%d calls in all), want exactly 3", len(calls), len(f.Calls()))
	}
	ids := map[string]bool{}
	for i, want := range []int{20, 20, 5} {
		if len(calls[i]) != want {
			t.Errorf("call %d has %d entries, want %d", i, len(calls[i]), want)
		}
		for _, e := range calls[i] {
			id := aws.ToString(e.Id)
			if id == "" || len(id) > 255 || ids[id] {
				t.Errorf("entry ID %q is empty, too long or repeated", id)
			}
			ids[id] = true
		}
	}
	if len(res.Applied) != 45 || len(res.Failures) != 0 || res.Calls != 3 {
		t.Errorf("result: %d applied, %d failures, %d calls", len(res.Applied), len(res.Failures), res.Calls)
	}
	if got := len(f.Permissions()); got != 45 {
		t.Errorf("fake holds %d permissions, want 45", got)
	}
}

func TestGrantPartialFailureReportsFailedAndAppliesRest(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New(func(o *lakeformationtest.Options) { o.StrictCatalog = true })
	grants := tableGrants(10)
	for i := range grants {
		if i != 3 && i != 7 {
			f.AddTable("sales", grants[i].Resource.Table)
		}
	}
	res, err := newGranter(f, datablocks.NewManualClock(time.Time{})).Grant(ctx, grants)
	var be *lakeformation.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("got %v, want *BatchError", err)
	}
	if len(be.Failures) != 2 || be.Failures[0].Index != 3 || be.Failures[1].Index != 7 {
		t.Fatalf("failures = %+v, want entries 3 and 7", be.Failures)
	}
	for _, fl := range be.Failures {
		if fl.Code != "EntityNotFoundException" || fl.Grant.Resource.Table != grants[fl.Index].Resource.Table {
			t.Errorf("failure %+v", fl)
		}
	}
	if len(be.Unwrap()) != 2 || len(be.Applied) != 8 || len(res.Applied) != 8 {
		t.Errorf("applied %d, unwrap %d", len(be.Applied), len(be.Unwrap()))
	}
	if len(be.Errors) != len(grants) {
		t.Fatalf("len(Errors) = %d, want %d (one per input grant)", len(be.Errors), len(grants))
	}
	for i, e := range be.Errors {
		switch i {
		case 3, 7:
			var f *lakeformation.EntryFailure
			if !errors.As(e, &f) || f.Index != i {
				t.Errorf("Errors[%d] = %v, want the *EntryFailure of entry %d", i, e, i)
			}
		default:
			if e != nil {
				t.Errorf("Errors[%d] = %v, want nil for an applied entry", i, e)
			}
		}
	}
	var ef *lakeformation.EntryFailure
	if !errors.As(err, &ef) || ef.Index != 3 {
		t.Errorf("errors.As(*EntryFailure) = %v", ef)
	}
	if calls := batchInputs(t, f, "BatchGrantPermissions"); len(calls) != 1 || len(calls[0]) != 10 || len(f.Calls()) != 1 {
		t.Errorf("call log %v, want one batch call of 10 entries (entry failures that are not retryable are not retried)", calls)
	}
	if c := f.Calls()[0]; c.Err != nil {
		t.Errorf("the batch call itself failed: %v", c.Err)
	}
	held := f.Permissions()
	if len(held) != 8 {
		t.Fatalf("fake holds %d permissions, want 8", len(held))
	}
	for _, p := range held {
		if n := aws.ToString(p.Resource.Table.Name); n == "t03" || n == "t07" {
			t.Errorf("failed entry %s was applied", n)
		}
	}
}

func TestGrantRetriesConcurrentModificationAndThrottling(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	f.ConcurrentModificationNext("BatchGrantPermissions", 2)
	f.ThrottleNext("BatchGrantPermissions", 1)
	clock := datablocks.NewManualClock(time.Time{})
	res, err := lakeformation.NewGranter(f, func(o *lakeformation.GranterOptions) {
		o.Retry.Clock = clock
		o.Retry.Jitter = func() float64 { return 1 }
		o.Retry.MinDelay = time.Second
		o.Retry.MaxDelay = 10 * time.Second
	}).Grant(ctx, tableGrants(3))
	if err != nil {
		t.Fatal(err)
	}
	if n := f.Count("BatchGrantPermissions"); n != 4 || res.Calls != 4 {
		t.Errorf("%d calls (result says %d), want 4", n, res.Calls)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}
	got := clock.Sleeps()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("backoff sleeps %v, want %v", got, want)
	}
	if len(f.Permissions()) != 3 {
		t.Errorf("fake holds %d permissions", len(f.Permissions()))
	}
}

func TestGrantGivesUpAfterMaxAttempts(t *testing.T) {
	f := lakeformationtest.New()
	f.ConcurrentModificationNext("BatchGrantPermissions", 5)
	_, err := lakeformation.NewGranter(f, func(o *lakeformation.GranterOptions) {
		o.Retry.Clock = datablocks.NewManualClock(time.Time{})
		o.Retry.MaxAttempts = 3
	}).Grant(context.Background(), tableGrants(1))
	// BatchGrantPermissions' model lists no ConcurrentModificationException: the SDK (and the
	// fake) give a generic API error with that code.
	var cme smithy.APIError
	if !errors.As(err, &cme) || cme.ErrorCode() != "ConcurrentModificationException" {
		t.Fatalf("got %v, want a wrapped ConcurrentModificationException", err)
	}
	if n := f.Count("BatchGrantPermissions"); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
}

func TestGrantRetriesOnlyEntriesThatFailedConcurrently(t *testing.T) {
	f := lakeformationtest.New()
	// The first call: entry "1" fails with ConcurrentModificationException, entry "2" reports
	// the permission already granted; the others are applied by the fake.
	f.Control("BatchGrantPermissions", func(in any) (any, error, bool) {
		req := in.(*awslf.BatchGrantPermissionsInput)
		var failures []types.BatchPermissionsFailureEntry
		for _, e := range req.Entries {
			switch aws.ToString(e.Id) {
			case "1":
				failures = append(failures, types.BatchPermissionsFailureEntry{RequestEntry: &e,
					Error: &types.ErrorDetail{ErrorCode: aws.String("ConcurrentModificationException"), ErrorMessage: aws.String("Concurrent modification")}})
			case "2":
				failures = append(failures, types.BatchPermissionsFailureEntry{RequestEntry: &e,
					Error: &types.ErrorDetail{ErrorCode: aws.String("AlreadyExistsException"), ErrorMessage: aws.String("Permissions already granted")}})
			}
		}
		return &awslf.BatchGrantPermissionsOutput{Failures: failures}, nil, true
	})
	res, err := newGranter(f, datablocks.NewManualClock(time.Time{})).Grant(context.Background(), tableGrants(3))
	if err != nil {
		t.Fatal(err)
	}
	calls := batchInputs(t, f, "BatchGrantPermissions")
	if len(calls) != 2 || len(calls[1]) != 1 || aws.ToString(calls[1][0].Id) != "1" {
		t.Fatalf("calls = %v, want a second call with entry 1 only", calls)
	}
	if len(res.Applied) != 3 {
		t.Errorf("applied %d, want 3 (already granted counts as applied)", len(res.Applied))
	}
}

func TestRevokeIsIdempotent(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	g := newGranter(f, datablocks.NewManualClock(time.Time{}))
	grants := []lakeformation.Grant{{Principal: role, Resource: lakeformation.Table("sales", "orders"),
		Permissions: []lakeformation.Permission{lakeformation.Select, lakeformation.Describe}, GrantOption: []lakeformation.Permission{lakeformation.Select}}}
	if _, err := g.Grant(ctx, grants); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Revoke(ctx, grants); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Permissions()); n != 0 {
		t.Fatalf("%d permissions left", n)
	}
	res, err := g.Revoke(ctx, grants)
	if err != nil || len(res.Applied) != 1 {
		t.Fatalf("second revoke: %v, %+v", err, res)
	}
}

func TestInvalidGrantMakesNoCall(t *testing.T) {
	f := lakeformationtest.New()
	grants := tableGrants(3)
	grants[2].Permissions = []lakeformation.Permission{lakeformation.CreateTable}
	_, err := newGranter(f, datablocks.NewManualClock(time.Time{})).Grant(context.Background(), grants)
	var ige *lakeformation.InvalidGrantError
	if !errors.As(err, &ige) || ige.Index != 2 {
		t.Fatalf("got %v", err)
	}
	if len(f.Calls()) != 0 {
		t.Errorf("%d calls made for an invalid input", len(f.Calls()))
	}
}

func BenchmarkGrant100(b *testing.B) {
	grants := tableGrants(100)
	for b.Loop() {
		f := lakeformationtest.New()
		if _, err := lakeformation.NewGranter(f).Grant(context.Background(), grants); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRetriesRunOnTheFakesClock: with no Retry.Clock, the Granter backs off on the fake's own
// clock, so a test wired as "helper + fake" sleeps no wall-clock time.
func TestRetriesRunOnTheFakesClock(t *testing.T) {
	f := lakeformationtest.New()
	f.ConcurrentModificationNext(lakeformationtest.OpBatchGrantPermissions, 2)
	start := time.Now()
	if _, err := lakeformation.NewGranter(f).Grant(context.Background(), tableGrants(1)); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("two backoffs took %v of wall time", d)
	}
	mc, ok := f.Clock().(*datablocks.ManualClock)
	if !ok || len(mc.Sleeps()) != 2 {
		t.Errorf("fake clock %T slept %v, want the 2 backoffs", f.Clock(), mc.Sleeps())
	}
}
