package lakeformation_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func ExamplePlanner_Plan() {
	ctx := context.Background()
	lf := lakeformationtest.New()
	analyst := lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/analyst")
	desired := []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}},
		{Principal: analyst, Resource: lakeformation.Columns("sales", "orders", "id", "amount"), Permissions: []types.Permission{types.PermissionSelect}},
	}
	planner := lakeformation.NewPlanner(lf)
	// Revoke governs the scope read: with Principals it is the analyst's permissions
	// everywhere, and nobody else's on sales.
	in := lakeformation.PlanInput{Desired: desired, Principals: []lakeformation.DataLakePrincipal{analyst}, Revoke: true}
	plan, err := planner.Plan(ctx, in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan)
	if _, err := planner.Apply(ctx, plan); err != nil {
		fmt.Println(err)
		return
	}
	again, _ := planner.Plan(ctx, in)
	fmt.Println(again)
	// Output:
	// + grant DESCRIBE on DATABASE sales to arn:aws:iam::123456789012:role/analyst
	// + grant SELECT on COLUMNS sales.orders [id,amount] to arn:aws:iam::123456789012:role/analyst
	// no changes
}

// A hand-written plan applies a list of grants as it is, 20 entries per call.
func ExamplePlanner_Apply_grants() {
	lf := lakeformationtest.New()
	var grants []lakeformation.Grant
	for i := range 45 {
		grants = append(grants, lakeformation.Grant{Principal: "210987654321", Resource: lakeformation.Table("sales", fmt.Sprintf("t%d", i)),
			Permissions: []types.Permission{types.PermissionDescribe}})
	}
	res, err := lakeformation.NewPlanner(lf).Apply(context.Background(), &lakeformation.Plan{Grants: grants})
	fmt.Println(len(res.Granted), lf.Count(lakeformationtest.OpBatchGrantPermissions), err)
	// Output: 45 3 <nil>
}

func ExampleGrant_Validate() {
	err := lakeformation.Grant{
		Principal:   lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/analyst"),
		Resource:    lakeformation.Database("sales"),
		Permissions: []types.Permission{types.PermissionSelect},
	}.Validate()
	var ige *lakeformation.InvalidGrantError
	fmt.Println(errors.As(err, &ige), ige.Field)
	fmt.Println(err)
	// Output:
	// true Permissions
	// lakeformation: Grant.Permissions: SELECT is not valid on a database; it is valid only on TABLE, TABLE_WILDCARD, TABLE_WITH_COLUMNS, LF_TAG_POLICY_TABLE (valid here: ALL,ALTER,CREATE_TABLE,DESCRIBE,DROP)
}

func ExampleSettings_AddAdmins() {
	ctx := context.Background()
	lf := lakeformationtest.New()
	s := lakeformation.NewSettings(lf)
	changed, _ := s.AddAdmins(ctx, []lakeformation.DataLakePrincipal{lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/lf-admin")})
	again, _ := s.AddAdmins(ctx, []lakeformation.DataLakePrincipal{lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/lf-admin")})
	_, _ = s.SetCrossAccountVersion(ctx, 4)
	out, _ := lf.GetDataLakeSettings(ctx, &awslf.GetDataLakeSettingsInput{})
	got := out.DataLakeSettings
	fmt.Println(changed, again, len(got.DataLakeAdmins), got.Parameters["CROSS_ACCOUNT_VERSION"], len(got.CreateTableDefaultPermissions))
	// Output: true false 1 4 1
}

func ExampleSharingWorkflow() {
	ctx := context.Background()
	catalog := gluetest.New()
	_, _ = catalog.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &gluetypes.DatabaseInput{Name: aws.String("sales")}})
	_, _ = catalog.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("sales"), TableInput: &gluetypes.TableInput{
		Name: aws.String("customers"), StorageDescriptor: &gluetypes.StorageDescriptor{Columns: []gluetypes.Column{
			{Name: aws.String("email"), Type: aws.String("string"), Parameters: map[string]string{"pii_flag": "true"}}}}}})
	_, _ = catalog.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("sales"), TableInput: &gluetypes.TableInput{Name: aws.String("orders")}})

	notifier := lakeformation.NotifierFunc(func(_ context.Context, r lakeformation.Request) error {
		fmt.Printf("approval requested for %s: %s\n", r.ID, r.PIIReason)
		return nil
	})
	w := lakeformation.NewSharingWorkflow(lakeformationtest.New(), catalog, nil, notifier) // requests kept in memory
	r1, _ := w.Start(ctx, lakeformation.Request{ID: "r1", ConsumerAccount: "210987654321", Database: "sales", Table: "orders"})
	r2, _ := w.Start(ctx, lakeformation.Request{ID: "r2", ConsumerAccount: "210987654321", Database: "sales", Table: "customers"})
	fmt.Println(r1.ID, r1.State)
	fmt.Println(r2.ID, r2.State)
	r2, _ = w.Approve(ctx, "r2", "data-owner@example.com")
	fmt.Println(r2.ID, r2.State)
	// Output:
	// approval requested for r2: column sales.customers.email
	// r1 SHARED
	// r2 PENDING_APPROVAL
	// r2 SHARED
}

func ExampleTags() {
	ctx := context.Background()
	lf := lakeformationtest.New()
	lf.AddTable("sales", "orders", "id", "amount") // the fake searches only tables it knows
	lf.AddTable("hr", "staff", "id")
	tags := lakeformation.NewTags(lf)

	domain := lakeformation.Tag{Key: "domain", Values: []string{"sales", "hr"}}
	created, err := tags.Ensure(ctx, domain)
	fmt.Println(created, err)
	again, err := tags.Ensure(ctx, domain) // idempotent: no write
	fmt.Println(again, err)

	sales := []lakeformation.Tag{{Key: "domain", Values: []string{"sales"}}}
	if err := tags.Assign(ctx, lakeformation.Database("sales"), sales); err != nil {
		fmt.Println(err)
		return
	}
	m, err := tags.Match(ctx, sales)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range m {
		if r.Table == "" {
			fmt.Println("database", r.Database)
		} else {
			fmt.Println("table", r.Database, r.Table) // inherits the database's tag
		}
	}
	// Output:
	// created <nil>
	// unchanged <nil>
	// database sales
	// table sales orders
}

func ExamplePlanner_Apply() {
	ctx := context.Background()
	lf := lakeformationtest.New(func(o *lakeformationtest.Options) { o.StrictCatalog = true })
	lf.AddDatabase("sales")
	analyst := lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/analyst")
	describe := []types.Permission{types.PermissionDescribe}
	plan := &lakeformation.Plan{Grants: []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: describe},
		{Principal: analyst, Resource: lakeformation.Database("hr"), Permissions: describe}, // not in the catalog
	}}
	res, err := lakeformation.NewPlanner(lf).Apply(ctx, plan)
	var be *lakeformation.BatchError
	if errors.As(err, &be) {
		for i, err := range be.Errors {
			fmt.Printf("grants[%d] failed: %v\n", i, err != nil)
		}
	}
	fmt.Println(len(res.Granted), "applied:", res.Granted[0])
	// Output:
	// grants[0] failed: false
	// grants[1] failed: true
	// 1 applied: DESCRIBE on DATABASE sales to arn:aws:iam::123456789012:role/analyst
}

func ExamplePlanner_Converge() {
	ctx := context.Background()
	lf := lakeformationtest.New()
	planner := lakeformation.NewPlanner(lf)
	in := lakeformation.PlanInput{Desired: []lakeformation.Grant{{
		Principal:   lakeformation.DataLakePrincipal("210987654321"),
		Resource:    lakeformation.AllTables("sales"),
		Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe},
	}}}
	plan, _, err := planner.Converge(ctx, in)
	fmt.Println(plan, err)
	// Lake Formation lists the grant as ALL_TABLES entries; the planner reads them as the
	// same grant, so a second run changes nothing.
	listed, _ := lf.ListPermissions(ctx, &awslf.ListPermissionsInput{})
	for _, p := range listed.PrincipalResourcePermissions {
		if t := p.Resource.TableWithColumns; t != nil {
			fmt.Println("listed:", aws.ToString(t.Name), p.Permissions)
		}
	}
	again, _, err := planner.Converge(ctx, in)
	fmt.Println(again, err)
	// Output:
	// + grant DESCRIBE,SELECT on TABLE sales.* to 210987654321 <nil>
	// listed: ALL_TABLES [SELECT]
	// no changes <nil>
}

func ExampleMesh_RegisterDomain() {
	ctx := context.Background()
	lf := lakeformationtest.New(func(o *lakeformationtest.Options) { o.AccountID = "111122223333" })
	catalog := gluetest.New(func(o *gluetest.Options) { o.AccountID = "111122223333" })
	mesh := lakeformation.NewMesh(lf, catalog)
	domain := lakeformation.Domain{AccountID: "444455556666", Name: "sales"}
	if err := mesh.RegisterDomain(ctx, domain); err != nil {
		fmt.Println(err)
		return
	}
	held, _ := lf.ListPermissions(ctx, &awslf.ListPermissionsInput{Principal: &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(domain.AccountID)}})
	for _, p := range held.PrincipalResourcePermissions {
		switch r := p.Resource; {
		case r.LFTag != nil:
			fmt.Println("LF-tag", aws.ToString(r.LFTag.TagKey), r.LFTag.TagValues, p.Permissions)
		case r.LFTagPolicy != nil:
			fmt.Println("tag policy on", r.LFTagPolicy.ResourceType, p.Permissions)
		}
	}
	grantCalls := lf.Count(lakeformationtest.OpBatchGrantPermissions)
	_ = mesh.RegisterDomain(ctx, domain) // idempotent
	fmt.Println("grant calls on the second run:", lf.Count(lakeformationtest.OpBatchGrantPermissions)-grantCalls)
	// Output:
	// tag policy on DATABASE [CREATE_TABLE DESCRIBE]
	// tag policy on TABLE [ALL]
	// LF-tag LoB [sales] [ASSOCIATE DESCRIBE]
	// grant calls on the second run: 0
}

func ExampleConsumer_Setup() {
	ctx := context.Background()
	invitations := lakeformationtest.NewRAM(func(o *lakeformationtest.Options) { o.AccountID = "210987654321" })
	invitations.Invite("111122223333", "LakeFormation-V3-share")
	lf := lakeformationtest.New(func(o *lakeformationtest.Options) { o.AccountID = "210987654321" })
	catalog := gluetest.New(func(o *gluetest.Options) { o.AccountID = "210987654321" })
	consumer := lakeformation.NewConsumer(lf, catalog, invitations)
	err := consumer.Setup(ctx, lakeformation.SetupInput{
		FromAccount: "111122223333",
		Links:       []lakeformation.ResourceLink{{Link: lakeformation.Table("sales_local", "orders"), Target: lakeformation.Table("sales", "orders").InCatalog("111122223333")}},
		Principal:   lakeformation.DataLakePrincipal("arn:aws:iam::210987654321:role/analyst"),
		Permissions: []types.Permission{types.PermissionSelect},
	})
	inv, _ := invitations.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{})
	fmt.Println(err, inv.ResourceShareInvitations[0].Status)
	held, _ := lf.ListPermissions(ctx, &awslf.ListPermissionsInput{})
	for _, p := range held.PrincipalResourcePermissions {
		switch r := p.Resource; {
		case r.TableWithColumns != nil: // SELECT on a table is listed on all its columns
			fmt.Println("columns of", aws.ToString(r.TableWithColumns.CatalogId), aws.ToString(r.TableWithColumns.Name), p.Permissions)
		case r.Table != nil:
			fmt.Println("table", aws.ToString(r.Table.CatalogId), aws.ToString(r.Table.Name), p.Permissions)
		}
	}
	// Output:
	// <nil> ACCEPTED
	// columns of 111122223333 orders [SELECT]
	// table 210987654321 orders [DESCRIBE]
}

func ExampleSNSNotifier() {
	ctx := context.Background()
	topics := lakeformationtest.NewSNS()
	topic := "arn:aws:sns:eu-west-1:111122223333:DataLakeSharingApproval"
	topics.AddTopic(topic)
	n := lakeformation.NewSNSNotifier(topics, topic)
	err := n.RequestApproval(ctx, lakeformation.Request{ID: "req-1", ConsumerAccount: "210987654321",
		Database: "sales", Table: "customers", PIIReason: "column sales.customers.email"})
	fmt.Println(err)
	for _, c := range topics.Calls() { // the messages published
		in := c.Input.(*sns.PublishInput)
		fmt.Println(aws.ToString(in.Subject))
		fmt.Println(aws.ToString(in.Message))
	}
	// Output:
	// <nil>
	// Approval needed: account 210987654321 requests sales.customers
	// {"request_id":"req-1","consumer_account":"210987654321","database":"sales","table":"customers","pii_reason":"column sales.customers.email"}
}

func ExamplePlanner_RevokeIAMAllowedPrincipals() {
	ctx := context.Background()
	lf := lakeformationtest.New()
	planner := lakeformation.NewPlanner(lf)
	// A database and a table created with the account's default permissions.
	all := []types.Permission{types.PermissionAll}
	_, _ = planner.Apply(ctx, &lakeformation.Plan{Grants: []lakeformation.Grant{
		{Principal: lakeformation.IAMAllowedPrincipals, Resource: lakeformation.Database("sales"), Permissions: all},
		{Principal: lakeformation.IAMAllowedPrincipals, Resource: lakeformation.Table("sales", "orders"), Permissions: all},
	}})
	revoked, err := planner.RevokeIAMAllowedPrincipals(ctx, "sales")
	for _, g := range revoked {
		fmt.Println(g)
	}
	again, _ := planner.RevokeIAMAllowedPrincipals(ctx, "sales")
	fmt.Println(err, len(again))
	// Output:
	// ALL on DATABASE 123456789012:sales to IAM_ALLOWED_PRINCIPALS
	// ALL on TABLE 123456789012:sales.orders to IAM_ALLOWED_PRINCIPALS
	// <nil> 0
}
