package redshift_test

import (
	"context"
	"testing"

	awsredshift "github.com/aws/aws-sdk-go-v2/service/redshift"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

var _ redshift.DataShareAPIClient = (*redshifttest.DataShares)(nil)

func TestDataShareControl(t *testing.T) {
	for _, wire := range []bool{false, true} {
		f := redshifttest.NewDataShares()
		var client redshift.DataShareAPIClient = f
		if wire {
			client = awsredshift.NewFromConfig(localaws.NewTestServer(t, f.Service()).Config())
		}
		c := redshift.NewDataShareControl(client)
		ctx := context.Background()
		arn := redshift.DatashareARN("eu-west-1", "123456789012", "a1b2c3d4-0000-4000-8000-00000000fa4e", "sales")
		consumer := "210987654321"
		// Not granted yet: AWS refuses to authorize.
		if _, err := c.Authorize(ctx, arn, consumer); err == nil {
			t.Fatalf("wire=%v: authorize before the grant: no error", wire)
		}
		if err := f.GrantToAccount(arn, consumer); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			do   func() (datablocks.Change, error)
			want datablocks.Action
		}{
			{func() (datablocks.Change, error) { return c.Authorize(ctx, arn, consumer) }, datablocks.Created},
			{func() (datablocks.Change, error) { return c.Authorize(ctx, arn, consumer) }, datablocks.Unchanged},
			{func() (datablocks.Change, error) {
				return c.Associate(ctx, arn, redshift.Association{Account: consumer, ConsumerRegion: "eu-west-1"})
			}, datablocks.Created},
			{func() (datablocks.Change, error) {
				return c.Associate(ctx, arn, redshift.Association{Account: consumer})
			}, datablocks.Unchanged},
			{func() (datablocks.Change, error) { return c.Authorize(ctx, arn, consumer) }, datablocks.Unchanged},
		}
		for i, s := range steps {
			ch, err := s.do()
			if err != nil || ch.Action != s.want {
				t.Fatalf("wire=%v step %d: %v %v, want %s", wire, i, ch, err, s.want)
			}
		}
		f.ResetCalls()
		for _, bad := range []func() error{
			func() error {
				_, err := c.Authorize(ctx, "arn:aws:redshift:eu-west-1:123456789012:cluster:c1", consumer)
				return err
			},
			func() error { _, err := c.Authorize(ctx, arn, "21098765432"); return err },
			func() error {
				_, err := c.Associate(ctx, arn, redshift.Association{Account: consumer, ConsumerARN: "arn:aws:redshift-serverless:eu-west-1:111111111111:namespace/x"})
				return err
			},
		} {
			if bad() == nil {
				t.Errorf("wire=%v: invalid input accepted", wire)
			}
		}
		if n := len(f.Calls()); n != 0 {
			t.Errorf("wire=%v: %d calls for invalid input", wire, n)
		}
	}
}
