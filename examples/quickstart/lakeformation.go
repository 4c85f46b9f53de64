package main

import (
	"context"
	"fmt"
	"io"

	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

// lakeformationStep plans and applies Lake Formation grants against the in-memory fake:
// the plan shows the changes, and applying the converged state again makes no write call.
func lakeformationStep(ctx context.Context, w io.Writer) error {
	lf := lakeformationtest.New()
	// A new database still carries the IAM_ALLOWED_PRINCIPALS default, which would keep Lake
	// Formation permissions from being enforced.
	if _, err := lakeformation.NewGranter(lf).Grant(ctx, []lakeformation.Grant{{Principal: lakeformation.IAMAllowedPrincipals,
		Resource: lakeformation.Database("sales"), Permissions: []lakeformation.Permission{lakeformation.All}}}); err != nil {
		return err
	}
	analyst := lakeformation.Role("arn:aws:iam::123456789012:role/analyst")
	desired := lakeformation.PlanInput{Revoke: true, Desired: []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: []lakeformation.Permission{lakeformation.Describe}},
		{Principal: analyst, Resource: lakeformation.ColumnsExcept("sales", "customers", "email"), Permissions: []lakeformation.Permission{lakeformation.Select}},
		{Principal: lakeformation.Account("210987654321"), Resource: lakeformation.Table("sales", "orders"),
			Permissions: []lakeformation.Permission{lakeformation.Select, lakeformation.Describe}, GrantOption: []lakeformation.Permission{lakeformation.Select, lakeformation.Describe}},
	}}
	planner := lakeformation.NewPlanner(lf)
	plan, err := planner.Plan(ctx, desired)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Lake Formation grant plan:")
	fmt.Fprintln(w, plan)
	before := lf.WriteCount()
	if _, err := planner.Apply(ctx, plan); err != nil {
		return err
	}
	applied := lf.WriteCount() - before
	again, _, err := planner.Converge(ctx, desired)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "applied with %d batch calls; re-applying: %s, %d write calls\n", applied, again, lf.WriteCount()-before-applied)
	return nil
}
