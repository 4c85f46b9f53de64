package redshift_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

func TestRowAndResultLimitsReported(t *testing.T) {
	f := newFake(t, func(o *redshifttest.Options) { o.MaxRowBytes, o.MaxResultBytes = 100, 1000 })
	d := redshift.NewDataAPI(f, newTarget())
	ctx := context.Background()
	_, err := d.Run(ctx, redshift.Statement{SQL: "select repeat('x', 200) as wide"})
	var se *redshift.StatementError
	if !errors.As(err, &se) || se.Status != types.StatusStringFailed || !strings.Contains(se.Message, "per row") {
		t.Errorf("wide row: %v, want a FAILED statement naming the row limit", err)
	}
	_, err = d.Run(ctx, redshift.Statement{SQL: "select g from generate_series(1, 500) g"})
	if !errors.As(err, &se) || !strings.Contains(se.Message, "per statement") {
		t.Errorf("large result: %v, want a FAILED statement naming the result limit", err)
	}
}

func TestThrottledDescribeIsTolerated(t *testing.T) {
	f := newFake(t)
	d := redshift.NewDataAPI(f, newTarget())
	f.ThrottleNext(redshifttest.OpDescribeStatement, 3)
	if _, err := d.Run(context.Background(), redshift.Statement{SQL: "select 1"}); err != nil {
		t.Fatalf("throttled waits: %v", err)
	}
	if n := f.Count(redshifttest.OpDescribeStatement); n < 4 {
		t.Errorf("%d DescribeStatement calls, want the 3 throttled ones and at least one more", n)
	}
}

// TestPollingWithinReportedQuotas runs statements against the fake limited to the Data API
// quotas reported per account (DescribeStatement 100/s): the adaptive poll is never
// throttled, a fixed 5 ms poll is.
func TestPollingWithinReportedQuotas(t *testing.T) {
	f := newFake(t, func(o *redshifttest.Options) {
		o.RateLimits = redshifttest.ReportedRateLimits
		o.StatementTime = func(string) time.Duration { return 2 * time.Second }
	})
	throttled := func() int {
		n := 0
		for _, c := range f.Calls() {
			if c.Err != nil && strings.Contains(c.Err.Error(), "ThrottlingException") {
				n++
			}
		}
		return n
	}
	d := redshift.NewDataAPI(f, newTarget())
	for range 10 {
		mustExec(t, d, "select 1")
	}
	if n := throttled(); n != 0 {
		t.Errorf("adaptive poll: %d throttled calls, want 0", n)
	}
	fast := redshift.NewDataAPI(f, newTarget(), func(o *redshift.Options) {
		o.Wait = datablocks.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 5 * time.Millisecond, Jitter: func() float64 { return 0 }}
	})
	f.ResetCalls()
	if _, err := fast.Run(context.Background(), redshift.Statement{SQL: "select 1"}); err != nil {
		t.Logf("fixed 5 ms poll gave up: %v", err)
	}
	n := throttled()
	t.Logf("fixed 5 ms poll of a 2 s statement: %d of %d DescribeStatement calls throttled", n, f.Count(redshifttest.OpDescribeStatement))
	if n == 0 {
		t.Error("fixed 5 ms poll was never throttled at 100 DescribeStatement calls per second")
	}
}
