package lakeformation_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

const (
	analyst  = lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/analyst")
	engineer = lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/engineer")
)

func newPlanner(f *lakeformationtest.Fake) *lakeformation.Planner {
	return lakeformation.NewPlanner(f, func(o *lakeformation.Options) {
		o.Retry.Clock = datablocks.NewManualClock(time.Time{})
	})
}

func desiredState() []lakeformation.Grant {
	return []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}},
		{Principal: analyst, Resource: lakeformation.Table("sales", "orders"), Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe}},
		{Principal: analyst, Resource: lakeformation.Columns("sales", "customers", "id", "country"), Permissions: []types.Permission{types.PermissionSelect}},
		{Principal: engineer, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionCreateTable, types.PermissionDescribe},
			GrantOption: []types.Permission{types.PermissionDescribe}},
		{Principal: engineer, Resource: lakeformation.AllTables("sales"), Permissions: []types.Permission{types.PermissionAll}},
		{Principal: "210987654321", Resource: lakeformation.Table("sales", "orders"), Permissions: []types.Permission{types.PermissionDescribe}},
	}
}

func TestConvergedStateMakesNoWriteCalls(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	pl := newPlanner(f)
	in := lakeformation.PlanInput{Desired: desiredState(), Revoke: true}
	plan, _, err := pl.Converge(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Grants) == 0 || len(plan.Revokes) != 0 {
		t.Fatalf("first plan:\n%s", plan)
	}
	writes := writeCount(f)
	if writes != 1 {
		t.Errorf("first apply made %d write calls, want 1 batch", writes)
	}
	lists := f.Count("ListPermissions")
	plan2, res, err := pl.Converge(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !plan2.Empty() || res.Granted != nil || res.Revoked != nil {
		t.Errorf("second plan not empty:\n%s", plan2)
	}
	if writeCount(f) != writes {
		t.Errorf("re-applying the converged state made %d write calls", writeCount(f)-writes)
	}
	if f.Count("ListPermissions") <= lists {
		t.Error("second plan did not read the current permissions")
	}
	if plan2.String() != "no changes" {
		t.Errorf("String() = %q", plan2.String())
	}
}

func TestPlanComputesMinimalGrantsAndRevokes(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	g := lakeformation.NewPlanner(f)
	// Current: analyst has DESCRIBE on the database and SELECT on orders (without grant option),
	// a stale INSERT on orders, and IAM_ALLOWED_PRINCIPALS holds ALL on the database.
	_, err := grantAll(g, ctx, []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}},
		{Principal: analyst, Resource: lakeformation.Table("sales", "orders"), Permissions: []types.Permission{types.PermissionSelect, types.PermissionInsert}},
		{Principal: lakeformation.IAMAllowedPrincipals, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionAll}},
		{Principal: engineer, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}, GrantOption: []types.Permission{types.PermissionDescribe}},
	})
	if err != nil {
		t.Fatal(err)
	}
	desired := []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}},
		{Principal: analyst, Resource: lakeformation.Table("sales", "orders"), Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe},
			GrantOption: []types.Permission{types.PermissionSelect}},
		{Principal: engineer, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}},
	}
	pl := newPlanner(f)
	onlyAdd, err := pl.Plan(ctx, lakeformation.PlanInput{Desired: desired})
	if err != nil {
		t.Fatal(err)
	}
	if len(onlyAdd.Revokes) != 0 {
		t.Errorf("plan without Revoke has revokes:\n%s", onlyAdd)
	}
	plan, err := pl.Plan(ctx, lakeformation.PlanInput{Desired: desired, Revoke: true})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		// SELECT is compared on the columns it is listed on, and sent on the table with
		// DESCRIBE in one entry.
		"+ grant DESCRIBE,SELECT on TABLE sales.orders to arn:aws:iam::123456789012:role/analyst (grantable: SELECT)",
		"- revoke ALL on DATABASE sales from IAM_ALLOWED_PRINCIPALS",
		"- revoke INSERT on TABLE sales.orders from arn:aws:iam::123456789012:role/analyst",
		"- revoke grant option DESCRIBE on DATABASE sales from arn:aws:iam::123456789012:role/engineer",
	}, "\n")
	if plan.String() != want {
		t.Errorf("plan:\n%s\nwant:\n%s", plan, want)
	}
	if _, err := pl.Apply(ctx, plan); err != nil {
		t.Fatal(err)
	}
	again, err := pl.Plan(ctx, lakeformation.PlanInput{Desired: desired, Revoke: true})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Errorf("not converged:\n%s", again)
	}
	for _, p := range held(f) {
		if aws.ToString(p.Principal.DataLakePrincipalIdentifier) == string(engineer) && len(p.PermissionsWithGrantOption) != 0 {
			t.Errorf("engineer kept the grant option: %v", p.PermissionsWithGrantOption)
		}
	}
}

func TestPlanReadsEveryPage(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New(func(o *lakeformationtest.Options) { o.PageSize = 2 })
	var current []lakeformation.Grant
	for _, p := range []lakeformation.DataLakePrincipal{"111111111111", "222222222222", "333333333333", "444444444444", "555555555555"} {
		current = append(current, lakeformation.Grant{Principal: p, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}})
	}
	if _, err := grantAll(lakeformation.NewPlanner(f), ctx, current); err != nil {
		t.Fatal(err)
	}
	plan, err := newPlanner(f).Plan(ctx, lakeformation.PlanInput{Resources: []lakeformation.Resource{lakeformation.Database("sales")}, Revoke: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Revokes) != 5 {
		t.Errorf("plan revokes %d grants, want all 5 across 3 pages:\n%s", len(plan.Revokes), plan)
	}
	if n := f.Count("ListPermissions"); n != 3 {
		t.Errorf("%d ListPermissions calls, want 3 pages", n)
	}
}

func TestPlanByPrincipal(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	if _, err := grantAll(lakeformation.NewPlanner(f), ctx, []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.Database("hr"), Permissions: []types.Permission{types.PermissionDescribe}},
		{Principal: engineer, Resource: lakeformation.Database("hr"), Permissions: []types.Permission{types.PermissionDescribe}},
	}); err != nil {
		t.Fatal(err)
	}
	plan, err := newPlanner(f).Plan(ctx, lakeformation.PlanInput{
		Desired:    []lakeformation.Grant{{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}}},
		Principals: []lakeformation.DataLakePrincipal{analyst},
		Revoke:     true,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing on "sales" tells the planner the account's catalog ID; the principal's listing
	// names one catalog only, so it is the caller's and the revoke is in the default catalog.
	want := "+ grant DESCRIBE on DATABASE sales to arn:aws:iam::123456789012:role/analyst\n- revoke DESCRIBE on DATABASE hr from arn:aws:iam::123456789012:role/analyst"
	if plan.String() != want {
		t.Errorf("plan:\n%s\nwant:\n%s", plan, want)
	}
}

func TestRevokeIAMAllowedPrincipals(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	iap := lakeformation.IAMAllowedPrincipals
	if _, err := grantAll(lakeformation.NewPlanner(f), ctx, []lakeformation.Grant{
		{Principal: iap, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionAll}},
		{Principal: iap, Resource: lakeformation.Table("sales", "orders"), Permissions: []types.Permission{types.PermissionAll}},
		{Principal: iap, Resource: lakeformation.Table("sales", "customers"), Permissions: []types.Permission{types.PermissionAll}},
		{Principal: iap, Resource: lakeformation.Table("hr", "people"), Permissions: []types.Permission{types.PermissionAll}},
		{Principal: analyst, Resource: lakeformation.Table("sales", "orders"), Permissions: []types.Permission{types.PermissionSelect}},
		// Listed as TableWithColumns{Name: "ALL_TABLES", ColumnWildcard: {}}, revoked on all tables.
		{Principal: iap, Resource: lakeformation.AllTables("sales"), Permissions: []types.Permission{types.PermissionSelect}},
	}); err != nil {
		t.Fatal(err)
	}
	res, err := newPlanner(f).RevokeIAMAllowedPrincipals(ctx, "sales")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 {
		t.Errorf("revoked %d grants, want 4", len(res))
	}
	var left []string
	for _, p := range held(f) {
		r, _ := lakeformation.ResourceFromSDK(p.Resource)
		left = append(left, aws.ToString(p.Principal.DataLakePrincipalIdentifier)+" "+r.String())
	}
	want := "[IAM_ALLOWED_PRINCIPALS TABLE 123456789012:hr.people arn:aws:iam::123456789012:role/analyst COLUMNS 123456789012:sales.orders (all)]"
	if got := strings.Join(left, " "); "["+got+"]" != want {
		t.Errorf("left: %v\nwant %s", got, want)
	}
	writes := writeCount(f)
	if _, err := newPlanner(f).RevokeIAMAllowedPrincipals(ctx, "sales"); err != nil {
		t.Fatal(err)
	}
	if writeCount(f) != writes {
		t.Error("second revoke wrote")
	}
}

func TestPlanCatalogIDsFilledByService(t *testing.T) {
	// Lake Formation fills CatalogId in ListPermissions; a desired state that names the
	// catalog explicitly and one that leaves it empty must both converge.
	ctx := context.Background()
	f := lakeformationtest.New()
	pl := newPlanner(f)
	desired := []lakeformation.Grant{{Principal: analyst, Resource: lakeformation.Database("sales").InCatalog("123456789012"), Permissions: []types.Permission{types.PermissionDescribe}}}
	if _, _, err := pl.Converge(ctx, lakeformation.PlanInput{Desired: desired}); err != nil {
		t.Fatal(err)
	}
	desired[0].Resource.CatalogID = ""
	plan, err := pl.Plan(ctx, lakeformation.PlanInput{Desired: desired, Revoke: true})
	if err != nil || !plan.Empty() {
		t.Fatalf("plan %v, %v", plan, err)
	}
}

// BenchmarkPlanConverged plans 100 grants (100 tables, SELECT and DESCRIBE) that are already
// in place: 100 paged ListPermissions reads against the fake and the diff.
func BenchmarkPlanConverged(b *testing.B) {
	f := lakeformationtest.New()
	var desired []lakeformation.Grant
	for i := range 100 {
		desired = append(desired, lakeformation.Grant{Principal: analyst, Resource: lakeformation.Table("sales", "t"+strconv.Itoa(i)),
			Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe}})
	}
	benchPlanConverged(b, f, desired)
}

// BenchmarkPlanConvergedAllTables is BenchmarkPlanConverged's counterpart for one grant on
// all tables of 100 databases, read back in the ALL_TABLES shapes.
func BenchmarkPlanConvergedAllTables(b *testing.B) {
	f := lakeformationtest.New()
	var desired []lakeformation.Grant
	for i := range 100 {
		desired = append(desired, lakeformation.Grant{Principal: analyst, Resource: lakeformation.AllTables("db" + strconv.Itoa(i)),
			Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe}})
	}
	benchPlanConverged(b, f, desired)
}

// BenchmarkPlanConvergedLFTagValues plans ASSOCIATE and DESCRIBE on 50 values of one LF-tag
// (compared value by value) against the fake's merged listing.
func BenchmarkPlanConvergedLFTagValues(b *testing.B) {
	ctx := context.Background()
	f := lakeformationtest.New()
	values := make([]string, 50)
	for i := range values {
		values[i] = "v" + strconv.Itoa(i)
	}
	if _, err := f.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String("domain"), TagValues: values}); err != nil {
		b.Fatal(err)
	}
	desired := []lakeformation.Grant{{Principal: analyst, Resource: lakeformation.LFTag("domain", values...),
		Permissions: []types.Permission{types.PermissionAssociate, types.PermissionDescribe}}}
	benchPlanConverged(b, f, desired)
}

// benchPlanConverged converges desired on f, then times planning it again (nothing to do)
// and reports the ListPermissions calls each plan makes.
func benchPlanConverged(b *testing.B, f *lakeformationtest.Fake, desired []lakeformation.Grant) {
	ctx := context.Background()
	pl := lakeformation.NewPlanner(f)
	if _, _, err := pl.Converge(ctx, lakeformation.PlanInput{Desired: desired}); err != nil {
		b.Fatal(err)
	}
	f.ResetCalls()
	for b.Loop() {
		plan, err := pl.Plan(ctx, lakeformation.PlanInput{Desired: desired, Revoke: true})
		if err != nil || !plan.Empty() {
			b.Fatal(plan, err)
		}
	}
	b.ReportMetric(float64(f.Count(lakeformationtest.OpListPermissions))/float64(b.N), "ListPermissions/op")
}
