package lakeformation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func TestPrincipalConstructors(t *testing.T) {
	tests := []struct {
		p    lakeformation.DataLakePrincipal
		want lakeformation.PrincipalKind
	}{
		{lakeformation.User("arn:aws:iam::123456789012:user/alice"), lakeformation.PrincipalIAMUser},
		{lakeformation.Organization("arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5"), lakeformation.PrincipalOrganization},
		{lakeformation.OrganizationalUnit("arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56"), lakeformation.PrincipalOrganizationalUnit},
		{lakeformation.SAMLPrincipal("arn:aws:iam::123456789012:saml-provider/okta", "group", "analysts"), lakeformation.PrincipalSAML},
		{lakeformation.IdentityCenterPrincipal(datablocks.PartitionForRegion("cn-north-1"), "user", "9067a1b2-c3d4"), lakeformation.PrincipalIdentityCenter},
	}
	for _, tt := range tests {
		if k, err := tt.p.Kind(); err != nil || k != tt.want {
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
	_, err := lakeformation.NewGranter(f).Grant(context.Background(), tableGrants(2))
	if err == nil {
		t.Fatal("want error")
	}
	want := "lakeformation: BatchGrantPermissions: 2 of 2 entries failed: first: lakeformation: entry 0 (DESCRIBE on TABLE sales.t00 to " + role + "): EntityNotFoundException: Database not found: sales"
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}
	err = lakeformation.Grant{Principal: "x", Resource: lakeformation.Database("d"), Permissions: []lakeformation.Permission{lakeformation.Describe}}.Validate()
	var ige *lakeformation.InvalidGrantError
	if !errors.As(err, &ige) || ige.Unwrap() == nil || ige.Index != -1 {
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
		{TargetCatalogID: "111122223333", TargetDatabase: "d"},
		{Database: "l", TargetCatalogID: "x", TargetDatabase: "d"},
		{Database: "l", TargetCatalogID: "111122223333"},
		{Database: "l", Table: "t", TargetCatalogID: "111122223333", TargetDatabase: "d"},
	} {
		if err := c.CreateResourceLinks(context.Background(), []lakeformation.ResourceLink{l}); err == nil || !strings.HasPrefix(err.Error(), "lakeformation: links[0]") {
			t.Errorf("%+v: got %v", l, err)
		}
	}
	if _, err := c.AcceptInvitations(context.Background(), "not-an-account"); err == nil {
		t.Error("bad sender: want error")
	}
}

func TestMemoryStoreList(t *testing.T) {
	ctx := context.Background()
	s := lakeformation.NewMemoryStore()
	for _, id := range []string{"b", "a", "c"} {
		if err := s.Put(ctx, lakeformation.Request{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	for _, r := range s.List() {
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, "") != "abc" {
		t.Errorf("ids %v", ids)
	}
	if _, err := s.Get(ctx, "z"); !errors.Is(err, lakeformation.ErrRequestNotFound) {
		t.Errorf("got %v", err)
	}
}
