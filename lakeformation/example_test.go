package lakeformation_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func ExamplePlanner_Plan() {
	ctx := context.Background()
	lf := lakeformationtest.New()
	analyst := lakeformation.Role("arn:aws:iam::123456789012:role/analyst")
	desired := []lakeformation.Grant{
		{Principal: analyst, Resource: lakeformation.Database("sales"), Permissions: []lakeformation.Permission{lakeformation.Describe}},
		{Principal: analyst, Resource: lakeformation.Columns("sales", "orders", "id", "amount"), Permissions: []lakeformation.Permission{lakeformation.Select}},
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

func ExampleGranter_Grant() {
	lf := lakeformationtest.New()
	var grants []lakeformation.Grant
	for i := range 45 {
		grants = append(grants, lakeformation.Grant{Principal: "210987654321", Resource: lakeformation.Table("sales", fmt.Sprintf("t%d", i)),
			Permissions: []lakeformation.Permission{lakeformation.Describe}})
	}
	res, err := lakeformation.NewGranter(lf).Grant(context.Background(), grants)
	fmt.Println(len(res.Applied), res.Calls, err)
	// Output: 45 3 <nil>
}

func ExampleGrant_Validate() {
	err := lakeformation.Grant{
		Principal:   lakeformation.Role("arn:aws:iam::123456789012:role/analyst"),
		Resource:    lakeformation.Database("sales"),
		Permissions: []lakeformation.Permission{lakeformation.Select},
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
	changed, _ := s.AddAdmins(ctx, []lakeformation.DataLakePrincipal{lakeformation.Role("arn:aws:iam::123456789012:role/lf-admin")})
	again, _ := s.AddAdmins(ctx, []lakeformation.DataLakePrincipal{lakeformation.Role("arn:aws:iam::123456789012:role/lf-admin")})
	_, _ = s.SetCrossAccountVersion(ctx, 4)
	got := lf.Settings()
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
	w := lakeformation.NewSharingWorkflow(lakeformationtest.New(), catalog, lakeformation.NewMemoryStore(), notifier)
	r1, _ := w.Submit(ctx, lakeformation.Request{ID: "r1", ConsumerAccount: "210987654321", Database: "sales", Table: "orders"})
	r2, _ := w.Submit(ctx, lakeformation.Request{ID: "r2", ConsumerAccount: "210987654321", Database: "sales", Table: "customers"})
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
	for _, d := range m.Databases {
		fmt.Println("database", d.Database)
	}
	for _, t := range m.Tables {
		fmt.Println("table", t.Database, t.Table) // inherits the database's tag
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
	analyst := lakeformation.Role("arn:aws:iam::123456789012:role/analyst")
	describe := []lakeformation.Permission{lakeformation.Describe}
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
	fmt.Println(len(res.Granted.Applied), "applied:", res.Granted.Applied[0])
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
		Principal:   lakeformation.Account("210987654321"),
		Resource:    lakeformation.AllTables("sales"),
		Permissions: []lakeformation.Permission{lakeformation.Select, lakeformation.Describe},
	}}}
	plan, _, err := planner.Converge(ctx, in)
	fmt.Println(plan, err)
	// Lake Formation lists the grant as ALL_TABLES entries; the planner reads them as the
	// same grant, so a second run changes nothing.
	for _, p := range lf.Permissions() {
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
	for _, g := range mesh.DomainGrants(domain) {
		fmt.Println(g)
	}
	writes := lf.WriteCount()
	_ = mesh.RegisterDomain(ctx, domain) // idempotent
	fmt.Println("writes on the second run:", lf.WriteCount()-writes)
	// Output:
	// ASSOCIATE,DESCRIBE on LF_TAG LoB=sales to 444455556666 (grantable: ASSOCIATE,DESCRIBE)
	// ALL on LF_TAG_POLICY TABLE LoB=sales to 444455556666 (grantable: ALL)
	// CREATE_TABLE,DESCRIBE on LF_TAG_POLICY DATABASE LoB=sales to 444455556666 (grantable: CREATE_TABLE,DESCRIBE)
	// writes on the second run: 0
}

func ExampleConsumer_Setup() {
	ctx := context.Background()
	ram := lakeformationtest.NewRAM(func(o *lakeformationtest.RAMOptions) { o.AccountID = "210987654321" })
	ram.Invite("111122223333", "LakeFormation-V3-share")
	lf := lakeformationtest.New(func(o *lakeformationtest.Options) { o.AccountID = "210987654321" })
	catalog := gluetest.New(func(o *gluetest.Options) { o.AccountID = "210987654321" })
	consumer := lakeformation.NewConsumer(lf, catalog, ram)
	err := consumer.Setup(ctx, lakeformation.SetupInput{
		FromAccount: "111122223333",
		Links:       []lakeformation.ResourceLink{{Database: "sales_local", Table: "orders", TargetCatalogID: "111122223333", TargetDatabase: "sales", TargetTable: "orders"}},
		Principal:   lakeformation.Role("arn:aws:iam::210987654321:role/analyst"),
		Permissions: []lakeformation.Permission{lakeformation.Select},
	})
	fmt.Println(err, ram.Invitations()[0].Status)
	for _, p := range lf.Permissions() {
		r, _ := lakeformation.ResourceFromSDK(p.Resource)
		fmt.Println(r, p.Permissions)
	}
	// Output:
	// <nil> ACCEPTED
	// COLUMNS 111122223333:sales.orders (all) [SELECT]
	// TABLE 210987654321:sales_local.orders [DESCRIBE]
}
