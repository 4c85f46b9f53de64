package lakeformation_test

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"

	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

const centralAccount = "111122223333"

func TestConsumerAcceptsOnlyExpectedInvitations(t *testing.T) {
	ctx := context.Background()
	r := lakeformationtest.NewRAM(func(o *lakeformationtest.Options) { o.AccountID = consumerAccount; o.PageSize = 2 })
	want := []string{r.Invite(centralAccount, "LakeFormation-V3-1"), r.Invite(centralAccount, "LakeFormation-V3-2")}
	other := r.Invite("999988887777", "LakeFormation-V3-3")
	done := r.Invite(centralAccount, "LakeFormation-V3-4")
	r.SetStatus(done, ramtypes.ResourceShareInvitationStatusAccepted)
	want = append(want, r.Invite(centralAccount, "LakeFormation-V3-5"))

	c := lakeformation.NewConsumer(lakeformationtest.New(), gluetest.New(), r)
	accepted, err := c.AcceptInvitations(ctx, centralAccount)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, inv := range accepted {
		got = append(got, aws.ToString(inv.ResourceShareInvitationArn))
		if inv.Status != ramtypes.ResourceShareInvitationStatusAccepted {
			t.Errorf("%s status %s", aws.ToString(inv.ResourceShareInvitationArn), inv.Status)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("accepted %v\nwant %v", got, want)
	}
	if n := r.Count("GetResourceShareInvitations"); n != 3 {
		t.Errorf("%d GetResourceShareInvitations calls, want 3 pages", n)
	}
	for _, inv := range invitations(r) {
		if aws.ToString(inv.ResourceShareInvitationArn) == other && inv.Status != ramtypes.ResourceShareInvitationStatusPending {
			t.Error("invitation from an unexpected account was accepted")
		}
	}
	// Running again accepts nothing.
	again, err := c.AcceptInvitations(ctx, centralAccount)
	if err != nil || len(again) != 0 || r.Count("AcceptResourceShareInvitation") != 3 {
		t.Errorf("second run: %v %v", again, err)
	}
}

func TestConsumerSetupCreatesLinksAndGrants(t *testing.T) {
	ctx := context.Background()
	r := lakeformationtest.NewRAM(func(o *lakeformationtest.Options) { o.AccountID = consumerAccount })
	r.Invite(centralAccount, "share")
	g := gluetest.New(func(o *gluetest.Options) { o.AccountID = consumerAccount })
	lf := lakeformationtest.New(func(o *lakeformationtest.Options) { o.AccountID = consumerAccount })
	c := lakeformation.NewConsumer(lf, g, r)
	analystRole := lakeformation.DataLakePrincipal("arn:aws:iam::" + consumerAccount + ":role/analyst")
	in := lakeformation.SetupInput{
		FromAccount: centralAccount,
		Links: []lakeformation.ResourceLink{
			{Link: lakeformation.Database("rl-nrac-data-domain-" + centralAccount), Target: lakeformation.Database("nrac-data-domain-" + centralAccount).InCatalog(centralAccount)},
			{Link: lakeformation.Table("sales_local", "rl-orders"), Target: lakeformation.Table("nrac-data-domain-"+centralAccount, "orders").InCatalog(centralAccount)},
		},
		Principal:   analystRole,
		Permissions: []types.Permission{types.PermissionSelect},
	}
	if err := c.Setup(ctx, in); err != nil {
		t.Fatal(err)
	}
	link, err := g.GetTable(ctx, &awsglue.GetTableInput{DatabaseName: aws.String("sales_local"), Name: aws.String("rl-orders")})
	if err != nil {
		t.Fatal(err)
	}
	if tt := link.Table.TargetTable; tt == nil || aws.ToString(tt.CatalogId) != centralAccount || aws.ToString(tt.Name) != "orders" {
		t.Errorf("table link target %+v", link.Table.TargetTable)
	}
	dbl, err := g.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String("rl-nrac-data-domain-" + centralAccount)})
	if err != nil || dbl.Database.TargetDatabase == nil || aws.ToString(dbl.Database.TargetDatabase.CatalogId) != centralAccount {
		t.Fatalf("database link %+v %v", dbl, err)
	}
	got := strings.Join(heldBy(lf, string(analystRole)), "; ")
	// SELECT on all tables of the target database is listed as ALL_TABLES columns
	// (terraform-provider-aws issue #46245).
	want := "COLUMNS " + centralAccount + ":nrac-data-domain-" + centralAccount + ".ALL_TABLES (all) SELECT; " +
		"COLUMNS " + centralAccount + ":nrac-data-domain-" + centralAccount + ".orders (all) SELECT; " +
		"DATABASE " + consumerAccount + ":rl-nrac-data-domain-" + centralAccount + " DESCRIBE; " +
		"TABLE " + consumerAccount + ":sales_local.rl-orders DESCRIBE"
	if got != want {
		t.Errorf("analyst holds %s\nwant %s", got, want)
	}
	// Setup is idempotent: no new invitation accepted, no write to Lake Formation.
	writes := writeCount(lf)
	if err := c.Setup(ctx, in); err != nil {
		t.Fatal(err)
	}
	if writeCount(lf) != writes || r.Count("AcceptResourceShareInvitation") != 1 {
		t.Error("second setup wrote")
	}
}

func TestLinkGrantsSplitDatabaseAndTablePermissions(t *testing.T) {
	analystRole := lakeformation.DataLakePrincipal("arn:aws:iam::" + consumerAccount + ":role/analyst")
	dbLink := lakeformation.ResourceLink{Link: lakeformation.Database("rl-sales"), Target: lakeformation.Database("sales").InCatalog(centralAccount)}
	// DESCRIBE stays on the shared database; SELECT is a table permission, so it goes to all
	// tables of the shared database; the link itself gets DESCRIBE.
	var got []string
	for _, g := range lakeformation.LinkGrants(dbLink, analystRole, types.PermissionDescribe, types.PermissionSelect) {
		got = append(got, g.String())
	}
	want := []string{
		"DESCRIBE on DATABASE rl-sales to " + string(analystRole),
		"DESCRIBE on DATABASE " + centralAccount + ":sales to " + string(analystRole),
		"SELECT on TABLE " + centralAccount + ":sales.* to " + string(analystRole),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("grants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := lakeformation.ValidateGrants(lakeformation.LinkGrants(dbLink, analystRole, types.PermissionDescribe, types.PermissionSelect)); err != nil {
		t.Errorf("mixed permissions on a database link produce an invalid grant: %v", err)
	}
	tableLink := lakeformation.ResourceLink{Link: lakeformation.Table("local", "rl-orders"), Target: lakeformation.Table("sales", "orders").InCatalog(centralAccount)}
	got = got[:0]
	for _, g := range lakeformation.LinkGrants(tableLink, analystRole, types.PermissionSelect) {
		got = append(got, g.String())
	}
	want = []string{
		"DESCRIBE on TABLE local.rl-orders to " + string(analystRole),
		"SELECT on TABLE " + centralAccount + ":sales.orders to " + string(analystRole),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("table link grants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestConsumerSetupValidatesBeforeAnyCall(t *testing.T) {
	r := lakeformationtest.NewRAM(func(o *lakeformationtest.Options) { o.AccountID = consumerAccount })
	r.Invite(centralAccount, "share")
	g := gluetest.New(func(o *gluetest.Options) { o.AccountID = consumerAccount })
	lf := lakeformationtest.New(func(o *lakeformationtest.Options) { o.AccountID = consumerAccount })
	c := lakeformation.NewConsumer(lf, g, r)
	tests := []struct {
		name string
		in   lakeformation.SetupInput
		want string
	}{
		{"bad sender", lakeformation.SetupInput{FromAccount: "central"}, "lakeformation: SetupInput.FromAccount"},
		{"link without target database", lakeformation.SetupInput{FromAccount: centralAccount,
			Links: []lakeformation.ResourceLink{{Link: lakeformation.Database("rl"), Target: lakeformation.Database("").InCatalog(centralAccount)}}}, "lakeformation: links[0].Target"},
		{"principal not a principal", lakeformation.SetupInput{FromAccount: centralAccount, Principal: "analyst",
			Links: []lakeformation.ResourceLink{{Link: lakeformation.Database("rl"), Target: lakeformation.Database("sales").InCatalog(centralAccount)}}}, "lakeformation: grants[0].Principal"},
	}
	for _, tt := range tests {
		err := c.Setup(context.Background(), tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error starting %q", tt.name, err, tt.want)
		}
	}
	if n := len(r.Calls()) + len(g.Calls()) + len(lf.Calls()); n != 0 {
		t.Errorf("invalid setups made %d calls", n)
	}
	if inv := invitations(r); inv[0].Status != ramtypes.ResourceShareInvitationStatusPending {
		t.Errorf("invitation %s after invalid setups", inv[0].Status)
	}
}
