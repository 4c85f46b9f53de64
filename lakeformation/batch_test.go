package lakeformation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

func newGranter(f *lakeformationtest.Fake, clock *datablocks.ManualClock) *lakeformation.Planner {
	return lakeformation.NewPlanner(f, func(o *lakeformation.Options) {
		o.Retry.Clock = clock
		o.Retry.Jitter = func() float64 { return 0 }
	})
}

func tableGrants(n int) []lakeformation.Grant {
	out := make([]lakeformation.Grant, n)
	for i := range out {
		out[i] = lakeformation.Grant{Principal: role, Resource: lakeformation.Table("sales", fmt.Sprintf("t%02d", i)),
			Permissions: []types.Permission{types.PermissionDescribe}}
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
	res, err := grantAll(newGranter(f, datablocks.NewManualClock(time.Time{})), ctx, tableGrants(45))
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
	if len(res) != 45 {
		t.Errorf("result: %d applied", len(res))
	}
	if got := len(held(f)); got != 45 {
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
	res, err := grantAll(newGranter(f, datablocks.NewManualClock(time.Time{})), ctx, grants)
	var be *lakeformation.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("got %v, want *BatchError", err)
	}
	failures := be.Unwrap()
	if len(failures) != 2 || failures[0].(*lakeformation.EntryFailure).Index != 3 || failures[1].(*lakeformation.EntryFailure).Index != 7 {
		t.Fatalf("failures = %+v, want entries 3 and 7", failures)
	}
	for _, e := range failures {
		fl := e.(*lakeformation.EntryFailure)
		if fl.Code != "EntityNotFoundException" || !strings.Contains(fl.Error(), grants[fl.Index].Resource.Table) {
			t.Errorf("failure %+v", fl)
		}
	}
	if len(res) != 8 {
		t.Errorf("applied %d, want 8", len(res))
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
	held := held(f)
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
	concurrentModificationNext(f, "BatchGrantPermissions", 2)
	f.ThrottleNext("BatchGrantPermissions", 1)
	clock := datablocks.NewManualClock(time.Time{})
	_, err := grantAll(lakeformation.NewPlanner(f, func(o *lakeformation.Options) {
		o.Retry.Clock = clock
		o.Retry.Jitter = func() float64 { return 1 }
		o.Retry.MinDelay = time.Second
		o.Retry.MaxDelay = 10 * time.Second
	}), ctx, tableGrants(3))
	if err != nil {
		t.Fatal(err)
	}
	if n := f.Count("BatchGrantPermissions"); n != 4 {
		t.Errorf("%d calls, want 4", n)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}
	got := clock.Sleeps()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("backoff sleeps %v, want %v", got, want)
	}
	if len(held(f)) != 3 {
		t.Errorf("fake holds %d permissions", len(held(f)))
	}
}

func TestGrantGivesUpAfterMaxAttempts(t *testing.T) {
	f := lakeformationtest.New()
	concurrentModificationNext(f, "BatchGrantPermissions", 5)
	_, err := grantAll(lakeformation.NewPlanner(f, func(o *lakeformation.Options) {
		o.Retry.Clock = datablocks.NewManualClock(time.Time{})
		o.Retry.MaxAttempts = 3
	}), context.Background(), tableGrants(1))
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
	res, err := grantAll(newGranter(f, datablocks.NewManualClock(time.Time{})), context.Background(), tableGrants(3))
	if err != nil {
		t.Fatal(err)
	}
	calls := batchInputs(t, f, "BatchGrantPermissions")
	if len(calls) != 2 || len(calls[1]) != 1 || aws.ToString(calls[1][0].Id) != "1" {
		t.Fatalf("calls = %v, want a second call with entry 1 only", calls)
	}
	if len(res) != 3 {
		t.Errorf("applied %d, want 3 (already granted counts as applied)", len(res))
	}
}

func TestRevokeIsIdempotent(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	g := newGranter(f, datablocks.NewManualClock(time.Time{}))
	grants := []lakeformation.Grant{{Principal: role, Resource: lakeformation.Table("sales", "orders"),
		Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe}, GrantOption: []types.Permission{types.PermissionSelect}}}
	if _, err := grantAll(g, ctx, grants); err != nil {
		t.Fatal(err)
	}
	if _, err := revokeAll(g, ctx, grants); err != nil {
		t.Fatal(err)
	}
	if n := len(held(f)); n != 0 {
		t.Fatalf("%d permissions left", n)
	}
	res, err := revokeAll(g, ctx, grants)
	if err != nil || len(res) != 1 {
		t.Fatalf("second revoke: %v, %+v", err, res)
	}
}

func TestInvalidGrantMakesNoCall(t *testing.T) {
	f := lakeformationtest.New()
	grants := tableGrants(3)
	grants[2].Permissions = []types.Permission{types.PermissionCreateTable}
	_, err := grantAll(newGranter(f, datablocks.NewManualClock(time.Time{})), context.Background(), grants)
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
		if _, err := grantAll(lakeformation.NewPlanner(f), context.Background(), grants); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRetriesRunOnTheFakesClock: with no Retry.Clock, Apply backs off on the fake's own
// clock, so a test wired as "helper + fake" sleeps no wall-clock time.
func TestRetriesRunOnTheFakesClock(t *testing.T) {
	f := lakeformationtest.New()
	concurrentModificationNext(f, lakeformationtest.OpBatchGrantPermissions, 2)
	start := time.Now()
	if _, err := grantAll(lakeformation.NewPlanner(f), context.Background(), tableGrants(1)); err != nil {
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
