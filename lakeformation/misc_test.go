package lakeformation_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func TestPrincipalConstructors(t *testing.T) {
	tests := []struct {
		p    lakeformation.DataLakePrincipal
		want string
	}{
		{lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:user/alice"), "IAM_USER"},
		{lakeformation.DataLakePrincipal("arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5"), "ORGANIZATION"},
		{lakeformation.DataLakePrincipal("arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56"), "ORGANIZATIONAL_UNIT"},
		{lakeformation.SAMLPrincipal("arn:aws:iam::123456789012:saml-provider/okta", "group", "analysts"), "SAML"},
		{lakeformation.IdentityCenterPrincipal(datablocks.PartitionForRegion("cn-north-1"), "user", "9067a1b2-c3d4"), "IDENTITY_CENTER"},
	}
	for _, tt := range tests {
		if _, k, err := lakeformation.ParsePrincipal(string(tt.p)); err != nil || k != tt.want {
			t.Errorf("%s: %v %v, want %v", tt.p, k, err, tt.want)
		}
	}
	if got := lakeformation.IdentityCenterPrincipal(datablocks.PartitionForRegion("cn-north-1"), "group", "g1"); got != "arn:aws-cn:identitystore:::group/g1" {
		t.Errorf("identity center ARN %s", got)
	}
}

func TestValidPermissions(t *testing.T) {
	got := fmt.Sprint(lakeformation.ValidPermissions(lakeformation.DataLocation("arn:aws:s3:::b")), lakeformation.ValidPermissions(lakeformation.Columns("d", "t", "c")))
	if got != "[DATA_LOCATION_ACCESS] [SELECT]" {
		t.Errorf("got %s", got)
	}
}

func TestErrorMessages(t *testing.T) {
	f := lakeformationtest.New(func(o *lakeformationtest.Options) { o.StrictCatalog = true })
	_, err := grantAll(lakeformation.NewPlanner(f), context.Background(), tableGrants(2))
	if err == nil {
		t.Fatal("want error")
	}
	want := "lakeformation: BatchGrantPermissions: 2 of 2 entries failed: first: entry 0 (DESCRIBE on TABLE sales.t00 to " + role + "): EntityNotFoundException: Database not found: sales"
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}
	err = lakeformation.Grant{Principal: "x", Resource: lakeformation.Database("d"), Permissions: []types.Permission{types.PermissionDescribe}}.Validate()
	var ige *lakeformation.InvalidGrantError
	if !errors.As(err, &ige) || ige.Field != "Principal" || ige.Index != -1 {
		t.Errorf("got %#v", err)
	}
	se := &lakeformation.RequestStateError{ID: "r", State: lakeformation.RequestDenied, Op: "approve"}
	if se.Error() != "lakeformation: cannot approve request r in state DENIED" {
		t.Errorf("got %s", se)
	}
}

func TestResourceLinkValidation(t *testing.T) {
	c := lakeformation.NewConsumer(nil, nil, nil)
	for _, l := range []lakeformation.ResourceLink{
		{Target: lakeformation.Database("d").InCatalog("111122223333")},
		{Link: lakeformation.Database("l"), Target: lakeformation.Database("d").InCatalog("x")},
		{Link: lakeformation.Database("l"), Target: lakeformation.Database("").InCatalog("111122223333")},
		{Link: lakeformation.Table("l", "t"), Target: lakeformation.Database("d").InCatalog("111122223333")},
		{Link: lakeformation.Database("l").InCatalog("111122223333"), Target: lakeformation.Database("d").InCatalog("111122223333")},
		{Link: lakeformation.AllTables("l"), Target: lakeformation.AllTables("d").InCatalog("111122223333")},
	} {
		if err := c.CreateResourceLinks(context.Background(), []lakeformation.ResourceLink{l}); err == nil || !strings.HasPrefix(err.Error(), "lakeformation: links[0]") {
			t.Errorf("%+v: got %v", l, err)
		}
	}
	if _, err := c.AcceptInvitations(context.Background(), "not-an-account"); err == nil {
		t.Error("bad sender: want error")
	}
}

func TestMemoryStore(t *testing.T) {
	ctx := context.Background()
	s := lakeformation.NewMemoryStore()
	if err := s.Put(ctx, lakeformation.Request{ID: "a", Tables: []string{"t"}}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Get(ctx, "a")
	if err != nil || r.ID != "a" || len(r.Tables) != 1 {
		t.Errorf("got %+v, %v", r, err)
	}
	if _, err := s.Get(ctx, "z"); !errors.Is(err, lakeformation.ErrRequestNotFound) {
		t.Errorf("got %v", err)
	}
}
