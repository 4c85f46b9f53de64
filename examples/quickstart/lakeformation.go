package main

import (
	"context"
	"fmt"
	"io"

	awslakeformation "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	lftypes "github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

// lakeformationStep plans and applies Lake Formation grants through the real Lake Formation
// client: the plan shows the changes, and converging on the applied state makes no write.
func lakeformationStep(ctx context.Context, w io.Writer, e *env) error {
	e.lf.AddDatabase("sales")
	e.lf.AddTable("sales", "customers", "id", "name", "email")
	e.lf.AddTable("sales", "orders", "id", "customer_id", "total")
	client := awslakeformation.NewFromConfig(e.cfg)
	// A database created before Lake Formation took over carries the IAM_ALLOWED_PRINCIPALS
	// default, which keeps Lake Formation permissions from being enforced on it.
	planner := lakeformation.NewPlanner(client)
	if _, err := planner.Apply(ctx, &lakeformation.Plan{Grants: []lakeformation.Grant{{Principal: lakeformation.IAMAllowedPrincipals,
		Resource: lakeformation.Database("sales"), Permissions: []lftypes.Permission{lftypes.PermissionAll}}}}); err != nil {
		return err
	}
	analyst := lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/analyst")
	// Revoke makes the permissions on the resources of Desired equal to Desired, whoever holds
	// them: here it removes the IAM_ALLOWED_PRINCIPALS default from sales, as intended. To
	// govern only some principals, list them in PlanInput.Principals instead.
	desired := lakeformation.PlanInput{Revoke: true, Desired: []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: []lftypes.Permission{lftypes.PermissionDescribe}},
		{Principal: analyst, Resource: lakeformation.ColumnsExcept("sales", "customers", "email"), Permissions: []lftypes.Permission{lftypes.PermissionSelect}},
		{Principal: lakeformation.DataLakePrincipal("210987654321"), Resource: lakeformation.Table("sales", "orders"),
			Permissions: []lftypes.Permission{lftypes.PermissionSelect, lftypes.PermissionDescribe}, GrantOption: []lftypes.Permission{lftypes.PermissionSelect, lftypes.PermissionDescribe}},
	}}
	plan, err := planner.Plan(ctx, desired)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Lake Formation grant plan:")
	fmt.Fprintln(w, plan)
	// The fake's call log counts the write calls.
	writes := func() int {
		return e.lf.Count(lakeformationtest.OpBatchGrantPermissions) + e.lf.Count(lakeformationtest.OpBatchRevokePermissions)
	}
	before := writes()
	if _, err := planner.Apply(ctx, plan); err != nil {
		return err
	}
	applied := writes() - before
	again, _, err := planner.Converge(ctx, desired)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "applied with %d batch calls; converging again: %s, %d write calls\n", applied, again, writes()-before-applied)
	return nil
}
