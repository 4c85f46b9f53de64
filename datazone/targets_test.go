package datazone_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/datazone"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
)

func TestEnsureSubscriptionTarget(t *testing.T) {
	ctx := context.Background()
	f := datazonetest.New(func(o *datazonetest.Options) { o.PageSize = 1 })
	d := f.CreateDomain("d")
	env := f.CreateEnvironment(d, f.CreateProject(d, "c"), consumerAccount, "eu-west-1")
	s := datazone.NewSubscriptionTargets(f)
	// Other targets first, so the one ensured is on a later page.
	for i := range 3 {
		if _, err := s.EnsureSubscriptionTarget(ctx, d, env, datazone.SubscriptionTarget{Name: fmt.Sprintf("other-%d", i),
			AuthorizedPrincipals: []string{"arn:aws:iam::222233334444:role/x"}, ManageAccessRole: "arn:aws:iam::222233334444:role/m"}); err != nil {
			t.Fatal(err)
		}
	}
	tg := datazone.SubscriptionTarget{Name: "msk", AuthorizedPrincipals: []string{"arn:aws:iam::222233334444:role/a", "arn:aws:iam::222233334444:role/app/b"},
		ManageAccessRole: "arn:aws:iam::222233334444:role/service-role/dz"}
	if ch, err := s.EnsureSubscriptionTarget(ctx, d, env, tg); err != nil || ch.Action != datablocks.Created {
		t.Fatalf("create = %v, %v", ch, err)
	}
	tg.AuthorizedPrincipals = []string{tg.AuthorizedPrincipals[1], tg.AuthorizedPrincipals[0]}
	f.ResetCalls()
	if ch, err := s.EnsureSubscriptionTarget(ctx, d, env, tg); err != nil || ch.Action != datablocks.Unchanged || f.Count(datazonetest.OpCreateSubscriptionTarget) != 0 {
		t.Fatalf("again = %v, %v", ch, err)
	}
	tg.AuthorizedPrincipals = append(tg.AuthorizedPrincipals, "arn:aws:iam::222233334444:role/c")
	if ch, err := s.EnsureSubscriptionTarget(ctx, d, env, tg); err != nil || ch.String() != "updated (AuthorizedPrincipals)" {
		t.Fatalf("update = %v, %v", ch, err)
	}
	for _, tc := range []struct {
		mod  func(*datazone.SubscriptionTarget)
		want string
	}{
		{func(t *datazone.SubscriptionTarget) { t.AuthorizedPrincipals = nil }, "1 to 20"},
		{func(t *datazone.SubscriptionTarget) {
			for i := range 21 {
				t.AuthorizedPrincipals = append(t.AuthorizedPrincipals, fmt.Sprintf("arn:aws:iam::222233334444:role/r%d", i))
			}
		}, "1 to 20"},
		{func(t *datazone.SubscriptionTarget) { t.ManageAccessRole = "arn:aws:iam::222233334444:role/team/dz" }, "ManageAccessRole"},
		{func(t *datazone.SubscriptionTarget) { t.AuthorizedPrincipals = []string{"role/a"} }, "AuthorizedPrincipals[0]"},
	} {
		bad := tg
		bad.AuthorizedPrincipals = nil
		bad.AuthorizedPrincipals = append(bad.AuthorizedPrincipals, tg.AuthorizedPrincipals...)
		tc.mod(&bad)
		f.ResetCalls()
		_, err := s.EnsureSubscriptionTarget(ctx, d, env, bad)
		if err == nil || !strings.Contains(err.Error(), tc.want) || len(f.Calls()) != 0 {
			t.Errorf("Ensure(%+v) = %v; want %q before any call", bad, err, tc.want)
		}
	}
}
