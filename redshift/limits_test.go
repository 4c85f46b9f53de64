package redshift_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

func TestRowAndResultLimitsReported(t *testing.T) {
	f := newFake(t, func(o *redshifttest.Options) { o.MaxRowBytes, o.MaxResultBytes = 100, 1000 })
	d := redshift.NewDataAPI(f, newTarget())
	ctx := context.Background()
	_, err := d.Exec(ctx, redshift.Statement{SQL: "select repeat('x', 200) as wide"})
	var se *redshift.StatementError
	if !errors.As(err, &se) || se.Status != types.StatusStringFailed || !strings.Contains(se.Message, "per row") {
		t.Errorf("wide row: %v, want a FAILED statement naming the row limit", err)
	}
	_, err = d.Exec(ctx, redshift.Statement{SQL: "select g from generate_series(1, 500) g"})
	if !errors.As(err, &se) || !strings.Contains(se.Message, "per statement") {
		t.Errorf("large result: %v, want a FAILED statement naming the result limit", err)
	}
}

func TestThrottledDescribeIsTolerated(t *testing.T) {
	f := newFake(t)
	d := redshift.NewDataAPI(f, newTarget())
	f.ThrottleNext(redshifttest.OpDescribeStatement, 3)
	res, err := d.Exec(context.Background(), redshift.Statement{SQL: "select 1"})
	if err != nil {
		t.Fatalf("throttled waits: %v", err)
	}
	if res.DescribeCalls < 4 {
		t.Errorf("DescribeCalls = %d, want the 3 throttled ones counted too", res.DescribeCalls)
	}
}
