package lakeformation_test

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

// With Principals, Revoke governs those principals only: another role's SELECT on the table
// Desired names is read but not revoked (issue 14: the README's Revoke example revoked another
// role's permissions on sales.customers).
func TestPlanPrincipalsLimitRevoke(t *testing.T) {
	ctx := context.Background()
	lf := lakeformationtest.New()
	lf.AddDatabase("sales")
	lf.AddTable("sales", "customers", "id", "email")
	other := lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/other")
	analyst := lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/analyst")
	held := []lakeformation.Grant{
		{Principal: other, Resource: lakeformation.Table("sales", "customers"), Permissions: []types.Permission{types.PermissionSelect}},
		{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}},
	}
	if _, err := grantAll(lakeformation.NewPlanner(lf), ctx, held); err != nil {
		t.Fatal(err)
	}
	desired := []lakeformation.Grant{{Principal: analyst, Resource: lakeformation.ColumnsExcept("sales", "customers", "email"),
		Permissions: []types.Permission{types.PermissionSelect}}}

	scoped, err := lakeformation.NewPlanner(lf).Plan(ctx, lakeformation.PlanInput{Revoke: true,
		Principals: []lakeformation.DataLakePrincipal{analyst}, Desired: desired})
	if err != nil {
		t.Fatal(err)
	}
	got := scoped.String()
	if strings.Contains(got, "role/other") {
		t.Errorf("a plan scoped to the analyst touches another role:\n%s", got)
	}
	// The analyst's DESCRIBE on the database is not desired, so it goes.
	if !strings.Contains(got, "- revoke DESCRIBE on DATABASE sales from arn:aws:iam::123456789012:role/analyst") {
		t.Errorf("the analyst's undesired DESCRIBE is not revoked:\n%s", got)
	}

	unscoped, err := lakeformation.NewPlanner(lf).Plan(ctx, lakeformation.PlanInput{Revoke: true, Desired: desired})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(unscoped.String(), "- revoke SELECT on TABLE sales.customers from arn:aws:iam::123456789012:role/other") {
		t.Errorf("without Principals, Revoke governs every principal on the table; plan:\n%s", unscoped)
	}
}
