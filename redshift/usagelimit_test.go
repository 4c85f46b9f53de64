package redshift_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

func TestUsageLimits(t *testing.T) {
	for _, wire := range []bool{false, true} {
		f := redshifttest.NewServerless(func(o *redshifttest.Options) { o.PageSize = 1 })
		ctx := context.Background()
		s := redshift.NewServerless(f)
		if _, err := s.EnsureNamespace(ctx, redshift.Namespace{Name: "ul-ns"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EnsureWorkgroup(ctx, redshift.Workgroup{Name: "ul-wg", Namespace: "ul-ns"}); err != nil {
			t.Fatal(err)
		}
		wg, _ := f.GetWorkgroup(ctx, &redshiftserverless.GetWorkgroupInput{WorkgroupName: aws.String("ul-wg")})
		arn := aws.ToString(wg.Workgroup.WorkgroupArn)
		var client redshift.ServerlessAPIClient = f
		if wire {
			client = redshiftserverless.NewFromConfig(localaws.NewTestServer(t, f.Service()).Config())
		}
		u := redshift.NewServerless(client)
		// Another limit on the same workgroup first, so that finding ours takes two pages of one.
		if ch, err := u.EnsureUsageLimit(ctx, redshift.UsageLimit{ResourceARN: arn, Amount: 1000, Period: types.UsageLimitPeriodMonthly}); err != nil || ch.Action != datablocks.Created {
			t.Fatalf("wire=%v monthly: %v %v", wire, ch, err)
		}
		daily := redshift.UsageLimit{ResourceARN: arn, Amount: 256, Period: types.UsageLimitPeriodDaily}
		steps := []struct {
			l    redshift.UsageLimit
			want datablocks.Change
		}{
			{daily, datablocks.Change{Action: datablocks.Created}},
			{daily, datablocks.Change{Action: datablocks.Unchanged}},
			{redshift.UsageLimit{ResourceARN: arn, Amount: 512, Period: types.UsageLimitPeriodDaily, BreachAction: types.UsageLimitBreachActionDeactivate},
				datablocks.Change{Action: datablocks.Updated, Changed: []string{"Amount", "BreachAction"}}},
		}
		for i, st := range steps {
			ch, err := u.EnsureUsageLimit(ctx, st.l)
			if err != nil || !reflect.DeepEqual(ch, st.want) {
				t.Fatalf("wire=%v step %d: %v %v, want %v", wire, i, ch, err, st.want)
			}
		}
		if ch, err := u.DeleteUsageLimit(ctx, daily); err != nil || ch.Action != datablocks.Deleted {
			t.Fatalf("delete: %v %v", ch, err)
		}
		if ch, err := u.DeleteUsageLimit(ctx, daily); err != nil || ch.Action != datablocks.Unchanged {
			t.Fatalf("delete again: %v %v", ch, err)
		}
		for _, bad := range []redshift.UsageLimit{
			{ResourceARN: "arn:aws:s3:::b", Amount: 1},
			{ResourceARN: arn, Amount: 0},
			{ResourceARN: arn, Amount: 1, Period: "hourly"},
			{ResourceARN: arn, Amount: 1, BreachAction: "page"},
		} {
			if _, err := u.EnsureUsageLimit(ctx, bad); err == nil {
				t.Errorf("%+v: no error", bad)
			}
		}
	}
}
