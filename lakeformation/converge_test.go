package lakeformation_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
	"github.com/datablocks-go/datablocks/localaws"
)

// listingClient answers every ListPermissions call with a fixed listing, as Lake Formation
// returned it, and fails the test on any write: a converged plan makes none.
type listingClient struct {
	t       *testing.T
	listing []types.PrincipalResourcePermissions
}

func (c *listingClient) ListPermissions(context.Context, *awslf.ListPermissionsInput, ...func(*awslf.Options)) (*awslf.ListPermissionsOutput, error) {
	return &awslf.ListPermissionsOutput{PrincipalResourcePermissions: c.listing}, nil
}

func (c *listingClient) BatchGrantPermissions(context.Context, *awslf.BatchGrantPermissionsInput, ...func(*awslf.Options)) (*awslf.BatchGrantPermissionsOutput, error) {
	c.t.Error("BatchGrantPermissions called on a converged state")
	return &awslf.BatchGrantPermissionsOutput{}, nil
}

func (c *listingClient) BatchRevokePermissions(context.Context, *awslf.BatchRevokePermissionsInput, ...func(*awslf.Options)) (*awslf.BatchRevokePermissionsOutput, error) {
	c.t.Error("BatchRevokePermissions called on a converged state")
	return &awslf.BatchRevokePermissionsOutput{}, nil
}

func prp(principal string, r *types.Resource, perms, grantable []types.Permission) types.PrincipalResourcePermissions {
	return types.PrincipalResourcePermissions{Principal: &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(principal)},
		Resource: r, Permissions: perms, PermissionsWithGrantOption: grantable}
}

var (
	sel  = []types.Permission{types.PermissionSelect}
	desc = []types.Permission{types.PermissionDescribe}
)

// TestPlanIsEmptyOnWhatAWSLists feeds the planner, for each shape, the listing Lake Formation
// returns after the matching grant (each quoted from its source) and checks that Plan with
// Revoke is empty and Apply writes nothing.
func TestPlanIsEmptyOnWhatAWSLists(t *testing.T) {
	const acct, producer = "123456789012", "111122223333"
	role := "arn:aws:iam::123456789012:role/analyst"
	tests := []struct {
		name    string
		source  string
		desired []lakeformation.Grant
		listing []types.PrincipalResourcePermissions
	}{{
		name: "SELECT on all tables",
		source: `terraform-provider-aws issue #46245: "TableWithColumns": {"CatalogId": ..., "DatabaseName": "default", ` +
			`"Name": "ALL_TABLES", "ColumnWildcard": {}}, "Permissions": ["SELECT"]`,
		desired: []lakeformation.Grant{{Principal: lakeformation.DataLakePrincipal(role), Resource: lakeformation.AllTables("sales"), Permissions: sel}},
		listing: []types.PrincipalResourcePermissions{prp(role, &types.Resource{TableWithColumns: &types.TableWithColumnsResource{
			CatalogId: aws.String(acct), DatabaseName: aws.String("sales"), Name: aws.String("ALL_TABLES"), ColumnWildcard: &types.ColumnWildcard{}}}, sel, []types.Permission{})},
	}, {
		name: "SELECT and DESCRIBE on all tables, with grant option",
		source: "terraform-provider-aws lakeformation permission filter: CREATE on Table, TableWildcard lists " +
			"ALL, ALTER, DELETE, DESCRIBE, DROP, INSERT on Table, TableWildcard, Name = ALL_TABLES and SELECT on " +
			"TableWithColumns, Name = ALL_TABLES, ColumnWildcard",
		desired: []lakeformation.Grant{{Principal: lakeformation.DataLakePrincipal("210987654321"), Resource: lakeformation.AllTables("sales"),
			Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe}, GrantOption: []types.Permission{types.PermissionSelect, types.PermissionDescribe}}},
		listing: []types.PrincipalResourcePermissions{
			prp("210987654321", &types.Resource{Table: &types.TableResource{CatalogId: aws.String(acct), DatabaseName: aws.String("sales"),
				Name: aws.String("ALL_TABLES"), TableWildcard: &types.TableWildcard{}}}, desc, desc),
			prp("210987654321", &types.Resource{TableWithColumns: &types.TableWithColumnsResource{CatalogId: aws.String(acct), DatabaseName: aws.String("sales"),
				Name: aws.String("ALL_TABLES"), ColumnWildcard: &types.ColumnWildcard{}}}, sel, sel),
		},
	}, {
		name:    "SELECT on a named table",
		source:  "terraform-provider-aws lakeformation permission filter: CREATE SELECT on Table, Name lists SELECT on TableWithColumns, Name, ColumnWildcard",
		desired: []lakeformation.Grant{{Principal: lakeformation.DataLakePrincipal(role), Resource: lakeformation.Table("sales", "orders"), Permissions: sel}},
		listing: []types.PrincipalResourcePermissions{prp(role, &types.Resource{TableWithColumns: &types.TableWithColumnsResource{
			CatalogId: aws.String(acct), DatabaseName: aws.String("sales"), Name: aws.String("orders"), ColumnWildcard: &types.ColumnWildcard{}}}, sel, nil)},
	}, {
		name: "column wildcard with exclusions",
		source: "terraform-provider-aws lakeformation permission filter (filterLakeFormationTableWithColumnsPermissions): the listing " +
			"carries ColumnWildcard.ExcludedColumnNames, compared as a set (StringSlicesEqualIgnoreOrder)",
		desired: []lakeformation.Grant{{Principal: lakeformation.DataLakePrincipal(role), Resource: lakeformation.ColumnsExcept("sales", "customers", "email", "phone"), Permissions: sel}},
		listing: []types.PrincipalResourcePermissions{prp(role, &types.Resource{TableWithColumns: &types.TableWithColumnsResource{
			CatalogId: aws.String(acct), DatabaseName: aws.String("sales"), Name: aws.String("customers"),
			ColumnWildcard: &types.ColumnWildcard{ExcludedColumnNames: []string{"phone", "email"}}}}, sel, nil)},
	}, {
		name:    "catalog IDs filled in by the service",
		source:  `developer guide, "Managing LF-Tag permissions using the AWS CLI": every listed resource carries "CatalogId": "111122223333"`,
		desired: []lakeformation.Grant{{Principal: lakeformation.DataLakePrincipal(role), Resource: lakeformation.Database("sales"), Permissions: desc}},
		listing: []types.PrincipalResourcePermissions{prp(role, &types.Resource{Database: &types.DatabaseResource{CatalogId: aws.String(acct), Name: aws.String("sales")}}, desc, nil)},
	}, {
		name: "resource links and their targets",
		source: "developer guide, resource links: DESCRIBE is granted on the link in the local catalog, data permissions on the " +
			"target in the owner's catalog (CatalogId of the producer), listed in the ALL_TABLES and column-wildcard shapes above",
		desired: lakeformation.LinkGrants(lakeformation.ResourceLink{Link: lakeformation.Database("rl_sales"), Target: lakeformation.Database("sales").InCatalog(producer)},
			lakeformation.DataLakePrincipal(role), types.PermissionSelect, types.PermissionDescribe),
		listing: []types.PrincipalResourcePermissions{
			prp(role, &types.Resource{Database: &types.DatabaseResource{CatalogId: aws.String(acct), Name: aws.String("rl_sales")}}, desc, nil),
			prp(role, &types.Resource{Database: &types.DatabaseResource{CatalogId: aws.String(producer), Name: aws.String("sales")}}, desc, nil),
			prp(role, &types.Resource{TableWithColumns: &types.TableWithColumnsResource{CatalogId: aws.String(producer), DatabaseName: aws.String("sales"),
				Name: aws.String("ALL_TABLES"), ColumnWildcard: &types.ColumnWildcard{}}}, sel, nil),
		},
	}, {
		name:   "LF-tag policy",
		source: "Lake Formation API reference, LFTagPolicyResource: ResourceType and Expression (a list of LFTag, each TagKey and TagValues), in any order",
		desired: []lakeformation.Grant{{Principal: lakeformation.DataLakePrincipal(role), Resource: lakeformation.TagPolicy(types.ResourceTypeTable,
			lakeformation.Tag{Key: "LoB", Values: []string{"sales"}}, lakeformation.Tag{Key: "tier", Values: []string{"gold", "silver"}}),
			Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe}}},
		listing: []types.PrincipalResourcePermissions{prp(role, &types.Resource{LFTagPolicy: &types.LFTagPolicyResource{CatalogId: aws.String(acct),
			ResourceType: types.ResourceTypeTable, Expression: []types.LFTag{
				{TagKey: aws.String("tier"), TagValues: []string{"silver", "gold"}}, {TagKey: aws.String("LoB"), TagValues: []string{"sales"}}}}},
			[]types.Permission{types.PermissionDescribe, types.PermissionSelect}, nil)},
	}, {
		name:   "LF-tag values listed together",
		source: `developer guide, "Managing LF-Tag permissions using the AWS CLI": "LFTag": {"CatalogId": "111122223333", "TagKey": "module", "TagValues": ["Orders", "Sales"]}, "Permissions": ["DESCRIBE"]`,
		desired: []lakeformation.Grant{
			{Principal: lakeformation.DataLakePrincipal(role), Resource: lakeformation.LFTag("module", "Sales"), Permissions: desc},
			{Principal: lakeformation.DataLakePrincipal(role), Resource: lakeformation.LFTag("module", "Orders"), Permissions: desc},
		},
		listing: []types.PrincipalResourcePermissions{prp(role, &types.Resource{LFTag: &types.LFTagKeyResource{CatalogId: aws.String(acct),
			TagKey: aws.String("module"), TagValues: []string{"Orders", "Sales"}}}, desc, []types.Permission{})},
	}, {
		name:    "LF-tag key permissions",
		source:  `developer guide, "Managing LF-Tag permissions using the AWS CLI": "TagKey": "environment", "TagValues": ["*"], "Permissions": ["ASSOCIATE"]`,
		desired: []lakeformation.Grant{{Principal: lakeformation.DataLakePrincipal(role), Resource: lakeformation.LFTag("environment", "*"), Permissions: []types.Permission{types.PermissionAssociate}, GrantOption: []types.Permission{types.PermissionAssociate}}},
		listing: []types.PrincipalResourcePermissions{prp(role, &types.Resource{LFTag: &types.LFTagKeyResource{CatalogId: aws.String(acct),
			TagKey: aws.String("environment"), TagValues: []string{"*"}}}, []types.Permission{types.PermissionAssociate}, []types.Permission{types.PermissionAssociate})},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &listingClient{t: t, listing: tt.listing}
			pl := lakeformation.NewPlanner(c)
			plan, err := pl.Plan(context.Background(), lakeformation.PlanInput{Desired: tt.desired, Revoke: true})
			if err != nil {
				t.Fatal(err)
			}
			if !plan.Empty() || len(plan.Unmanaged) != 0 {
				t.Errorf("plan on the listing (%s) is not empty:\n%s", tt.source, plan)
			}
			if _, err := pl.Apply(context.Background(), plan); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestAllTablesConvergesAgainstTheFake applies SELECT on all tables through the fake, which
// records it as Lake Formation lists it, and plans again: nothing to do.
func TestAllTablesConvergesAgainstTheFake(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	pl := newPlanner(f)
	in := lakeformation.PlanInput{Revoke: true, Desired: []lakeformation.Grant{{Principal: analyst, Resource: lakeformation.AllTables("sales"),
		Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe}}}}
	plan, _, err := pl.Converge(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := "+ grant DESCRIBE,SELECT on TABLE sales.* to " + string(analyst); plan.String() != want {
		t.Errorf("first plan:\n%s\nwant %s", plan, want)
	}
	writes := writeCount(f)
	again, _, err := pl.Converge(ctx, in)
	if err != nil || !again.Empty() || writeCount(f) != writes {
		t.Errorf("second converge: %v, plan:\n%s\n%d writes", err, again, writeCount(f)-writes)
	}
}

// TestLFTagScopeIsKeyAndNamedValues plans tier=gold for one principal while another holds
// permissions on tier=silver: the silver grant is out of scope and stays.
func TestLFTagScopeIsKeyAndNamedValues(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	if _, err := f.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String("tier"), TagValues: []string{"gold", "silver"}}); err != nil {
		t.Fatal(err)
	}
	tagPerms := []types.Permission{types.PermissionAssociate, types.PermissionDescribe}
	if _, err := grantAll(lakeformation.NewPlanner(f), ctx, []lakeformation.Grant{
		{Principal: engineer, Resource: lakeformation.LFTag("tier", "silver"), Permissions: tagPerms},
		{Principal: engineer, Resource: lakeformation.LFTag("tier", "gold"), Permissions: []types.Permission{types.PermissionDescribe}},
	}); err != nil {
		t.Fatal(err)
	}
	plan, err := newPlanner(f).Plan(ctx, lakeformation.PlanInput{Revoke: true, Desired: []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.LFTag("tier", "gold"), Permissions: tagPerms}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "+ grant ASSOCIATE,DESCRIBE on LF_TAG tier=gold to " + string(analyst) + "\n" +
		"- revoke DESCRIBE on LF_TAG tier=gold from " + string(engineer)
	if plan.String() != want {
		t.Errorf("plan:\n%s\nwant:\n%s", plan, want)
	}
}

// TestPlanReportsWhatItCannotGovern lists a data cells filter grant, a saved LF-tag
// expression grant and a conditional grant in scope: none is revoked, each is reported.
func TestPlanReportsWhatItCannotGovern(t *testing.T) {
	role := "arn:aws:iam::123456789012:role/analyst"
	c := &listingClient{t: t, listing: []types.PrincipalResourcePermissions{
		prp(role, &types.Resource{DataCellsFilter: &types.DataCellsFilterResource{DatabaseName: aws.String("sales"), TableName: aws.String("orders"), Name: aws.String("eu_only")}}, sel, nil),
		prp(role, &types.Resource{LFTagExpression: &types.LFTagExpressionResource{Name: aws.String("gold_data")}}, desc, nil),
		{Principal: &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(role)}, Condition: &types.Condition{Expression: aws.String("context.region == 'eu'")},
			Resource: &types.Resource{Table: &types.TableResource{CatalogId: aws.String("123456789012"), DatabaseName: aws.String("sales"), Name: aws.String("orders")}}, Permissions: desc},
	}}
	plan, err := lakeformation.NewPlanner(c).Plan(context.Background(), lakeformation.PlanInput{Revoke: true,
		Resources: []lakeformation.Resource{lakeformation.Table("sales", "orders")}})
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Empty() || len(plan.Unmanaged) != 3 {
		t.Fatalf("plan:\n%s\nwant no change and 3 permissions not governed", plan)
	}
	want := "no changes\n" +
		"! not governed: SELECT on DATA_CELLS_FILTER sales.orders/eu_only to " + role + ": data cells filters are not modeled by the planner\n" +
		"! not governed: DESCRIBE on LF_TAG_EXPRESSION gold_data to " + role + ": saved LF-tag expressions are not modeled by the planner\n" +
		"! not governed: DESCRIBE on TABLE 123456789012:sales.orders to " + role + ": conditional grant (context.region == 'eu') is not modeled by the planner"
	if plan.String() != want {
		t.Errorf("plan:\n%s\nwant:\n%s", plan, want)
	}
}

// TestApplyValidatesTheWholePlanFirst: three valid grants and one revoke with an empty
// principal make no call, and the error names revokes[0].
func TestApplyValidatesTheWholePlanFirst(t *testing.T) {
	f := lakeformationtest.New()
	d := []types.Permission{types.PermissionDescribe}
	plan := &lakeformation.Plan{
		Grants: []lakeformation.Grant{
			{Principal: analyst, Resource: lakeformation.Database("a"), Permissions: d},
			{Principal: analyst, Resource: lakeformation.Database("b"), Permissions: d},
			{Principal: analyst, Resource: lakeformation.Database("c"), Permissions: d},
		},
		Revokes: []lakeformation.Grant{{Principal: "", Resource: lakeformation.Database("a"), Permissions: d}},
	}
	res, err := lakeformation.NewPlanner(f).Apply(context.Background(), plan)
	var ige *lakeformation.InvalidGrantError
	if !errors.As(err, &ige) || ige.List != "revokes" || ige.Index != 0 || ige.Field != "Principal" {
		t.Fatalf("got %v, want an *InvalidGrantError for revokes[0].Principal", err)
	}
	if !strings.HasPrefix(err.Error(), "lakeformation: revokes[0].Principal: ") {
		t.Errorf("error %q does not name revokes[0]", err)
	}
	if n := writeCount(f); n != 0 || res.Granted != nil || res.Revoked != nil {
		t.Errorf("%d writes, result %+v; want nothing sent", n, res)
	}
	_, err = revokeAll(lakeformation.NewPlanner(f), context.Background(), plan.Revokes)
	if !errors.As(err, &ige) || !strings.HasPrefix(err.Error(), "lakeformation: revokes[0].") {
		t.Errorf("Granter.Revoke: %v, want revokes[0]", err)
	}
}

// TestApplyReportsPartialFailureEntryByEntry: the second of three grants fails in Lake
// Formation; the result lists the two applied and the error the failed one at its index.
func TestApplyReportsPartialFailureEntryByEntry(t *testing.T) {
	f := lakeformationtest.New(func(o *lakeformationtest.Options) { o.StrictCatalog = true })
	f.AddDatabase("a")
	f.AddDatabase("c")
	d := []types.Permission{types.PermissionDescribe}
	plan := &lakeformation.Plan{
		Grants: []lakeformation.Grant{
			{Principal: analyst, Resource: lakeformation.Database("a"), Permissions: d},
			{Principal: analyst, Resource: lakeformation.Database("missing"), Permissions: d},
			{Principal: analyst, Resource: lakeformation.Database("c"), Permissions: d},
		},
		Revokes: []lakeformation.Grant{{Principal: engineer, Resource: lakeformation.Database("a"), Permissions: d}},
	}
	res, err := lakeformation.NewPlanner(f).Apply(context.Background(), plan)
	var be *lakeformation.BatchError
	if !errors.As(err, &be) || len(be.Errors) != 3 || be.Errors[0] != nil || be.Errors[1] == nil || be.Errors[2] != nil {
		t.Fatalf("got %v, want a *BatchError failing grants[1] only", err)
	}
	if res.Granted == nil || len(res.Granted) != 2 || res.Granted[1].Resource.Database != "c" || res.Revoked != nil {
		t.Errorf("result %+v, want grants a and c applied and no revoke attempted", res)
	}
	if f.Count(lakeformationtest.OpBatchRevokePermissions) != 0 {
		t.Error("revokes attempted after grants failed")
	}
}

// TestGrantOptionOnExcludeListRejected follows the developer guide's notes on column-level
// filtering: a grant option needs an include list. Nothing is sent.
func TestGrantOptionOnExcludeListRejected(t *testing.T) {
	f := lakeformationtest.New()
	g := lakeformation.Grant{Principal: analyst, Resource: lakeformation.ColumnsExcept("sales", "customers", "email"),
		Permissions: []types.Permission{types.PermissionSelect}, GrantOption: []types.Permission{types.PermissionSelect}}
	_, err := grantAll(lakeformation.NewPlanner(f), context.Background(), []lakeformation.Grant{g})
	var ige *lakeformation.InvalidGrantError
	if !errors.As(err, &ige) || ige.Field != "GrantOption" || !strings.Contains(ige.Rule, "include list") {
		t.Fatalf("got %v, want GrantOption rule naming the include list", err)
	}
	if writeCount(f) != 0 {
		t.Error("a call was sent")
	}
	g.Resource = lakeformation.Columns("sales", "customers", "id", "name")
	if err := g.Validate(); err != nil {
		t.Errorf("include list with grant option: %v", err)
	}
}

// FuzzPlanConvergesOnItsOwnListing builds a listing entry from fuzzed names and shapes, reads
// it back as the desired grant (ResourceFromSDK), and checks that the plan against that very
// listing is empty: whatever the planner can read, it reads as converged.
func FuzzPlanConvergesOnItsOwnListing(f *testing.F) {
	f.Add(uint8(0), "sales", "orders", "email", "gold", true)
	f.Add(uint8(1), "sales", "ALL_TABLES", "", "", false)
	f.Add(uint8(3), "db", "t", "b,a", "x", true)
	f.Add(uint8(5), "LoB", "", "", "silver,gold", false)
	f.Fuzz(func(t *testing.T, shape uint8, a, b, c, d string, grantable bool) {
		const acct = "123456789012"
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ",")
		}
		var res *types.Resource
		perms := desc
		switch shape % 6 {
		case 0:
			res = &types.Resource{TableWithColumns: &types.TableWithColumnsResource{CatalogId: aws.String(acct), DatabaseName: aws.String(a), Name: aws.String(b),
				ColumnWildcard: &types.ColumnWildcard{ExcludedColumnNames: split(c)}}}
			perms = sel
		case 1:
			res = &types.Resource{TableWithColumns: &types.TableWithColumnsResource{CatalogId: aws.String(acct), DatabaseName: aws.String(a), Name: aws.String("ALL_TABLES"),
				ColumnWildcard: &types.ColumnWildcard{}}}
			perms = sel
		case 2:
			res = &types.Resource{Table: &types.TableResource{CatalogId: aws.String(acct), DatabaseName: aws.String(a), Name: aws.String("ALL_TABLES"), TableWildcard: &types.TableWildcard{}}}
		case 3:
			res = &types.Resource{TableWithColumns: &types.TableWithColumnsResource{CatalogId: aws.String(acct), DatabaseName: aws.String(a), Name: aws.String(b), ColumnNames: split(c)}}
			perms = sel
		case 4:
			res = &types.Resource{LFTagPolicy: &types.LFTagPolicyResource{CatalogId: aws.String(acct), ResourceType: types.ResourceTypeTable,
				Expression: []types.LFTag{{TagKey: aws.String(a), TagValues: split(d)}}}}
		case 5:
			res = &types.Resource{LFTag: &types.LFTagKeyResource{CatalogId: aws.String(acct), TagKey: aws.String(a), TagValues: split(d)}}
		}
		var grantOpt []types.Permission
		if grantable {
			grantOpt = perms
		}
		item := prp("arn:aws:iam::123456789012:role/analyst", res, perms, grantOpt)
		r, err := lakeformation.ResourceFromSDK(item.Resource)
		if err != nil {
			return
		}
		g := lakeformation.Grant{Principal: lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/analyst"), Resource: r, Permissions: perms, GrantOption: grantOpt}
		if g.Validate() != nil {
			return // not a grant the package would make
		}
		c2 := &listingClient{t: t, listing: []types.PrincipalResourcePermissions{item}}
		plan, err := lakeformation.NewPlanner(c2).Plan(context.Background(), lakeformation.PlanInput{Desired: []lakeformation.Grant{g}, Revoke: true})
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Empty() {
			t.Errorf("plan on the listing of %s:\n%s", g, plan)
		}
	})
}

// TestConvergeOverLocalAWS converges every shape with the real Lake Formation client over
// localaws against the fake: the second Converge plans nothing and writes nothing, so the
// shapes survive the wire encoding both ways.
func TestConvergeOverLocalAWS(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	if _, err := f.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String("tier"), TagValues: []string{"gold", "silver"}}); err != nil {
		t.Fatal(err)
	}
	srv := localaws.NewTestServer(t, f.Service())
	client := awslf.NewFromConfig(srv.Config(), func(o *awslf.Options) { o.RetryMaxAttempts = 1 })
	p := []types.Permission{types.PermissionSelect}
	in := lakeformation.PlanInput{Revoke: true, Principals: []lakeformation.DataLakePrincipal{analyst}, Desired: []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.AllTables("sales"), Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe}},
		{Principal: analyst, Resource: lakeformation.Table("sales", "orders"), Permissions: p, GrantOption: p},
		{Principal: analyst, Resource: lakeformation.ColumnsExcept("sales", "customers", "phone", "email"), Permissions: p},
		{Principal: analyst, Resource: lakeformation.Columns("sales", "regions", "name", "code"), Permissions: p},
		{Principal: analyst, Resource: lakeformation.LFTag("tier", "silver", "gold"), Permissions: []types.Permission{types.PermissionDescribe}},
		{Principal: analyst, Resource: lakeformation.TagPolicy(types.ResourceTypeTable, lakeformation.Tag{Key: "tier", Values: []string{"silver", "gold"}}), Permissions: p},
		{Principal: analyst, Resource: lakeformation.Database("sales").InCatalog("123456789012"), Permissions: []types.Permission{types.PermissionDescribe}},
	}}
	pl := lakeformation.NewPlanner(client)
	first, _, err := pl.Converge(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Grants) == 0 {
		t.Fatal("first converge granted nothing")
	}
	writes := writeCount(f)
	again, _, err := pl.Converge(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() || writeCount(f) != writes {
		t.Errorf("second converge over the wire:\n%s\n%d writes", again, writeCount(f)-writes)
	}
}

// TestLFTagKeyReadOnceForSeveralValues: two desired grants on values of one key read the key
// once (TagValues ["*"]) and keep a third value out of scope.
func TestLFTagKeyReadOnceForSeveralValues(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	if _, err := f.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String("tier"), TagValues: []string{"gold", "silver", "bronze"}}); err != nil {
		t.Fatal(err)
	}
	d := []types.Permission{types.PermissionDescribe}
	if _, err := grantAll(lakeformation.NewPlanner(f), ctx, []lakeformation.Grant{
		{Principal: engineer, Resource: lakeformation.LFTag("tier", "bronze"), Permissions: d},
		{Principal: engineer, Resource: lakeformation.LFTag("tier", "silver"), Permissions: d},
	}); err != nil {
		t.Fatal(err)
	}
	f.ResetCalls()
	plan, err := newPlanner(f).Plan(ctx, lakeformation.PlanInput{Revoke: true, Desired: []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.LFTag("tier", "gold"), Permissions: d},
		{Principal: engineer, Resource: lakeformation.LFTag("tier", "silver"), Permissions: d},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "+ grant DESCRIBE on LF_TAG tier=gold to " + string(analyst); plan.String() != want {
		t.Errorf("plan:\n%s\nwant:\n%s", plan, want)
	}
	if n := f.Count(lakeformationtest.OpListPermissions); n != 1 {
		t.Errorf("%d ListPermissions calls, want 1 (the key, read once)", n)
	}
}
