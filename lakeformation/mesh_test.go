package lakeformation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

const producerAccount = "444455556666"

func TestMeshRegistersDomainAndProductsIdempotently(t *testing.T) {
	ctx := context.Background()
	g := gluetest.New(func(o *gluetest.Options) { o.AccountID = centralAccount })
	lf := lakeformationtest.New(func(o *lakeformationtest.Options) { o.AccountID = centralAccount })
	m := lakeformation.NewMesh(lf, g)
	d := lakeformation.Domain{AccountID: producerAccount, Name: "sales", Location: "s3://sales-domain/data"}
	register := func() {
		t.Helper()
		if err := m.RegisterDomain(ctx, d); err != nil {
			t.Fatal(err)
		}
		for _, p := range []lakeformation.Product{
			{DomainAccountID: producerAccount, Mode: lakeformation.NRAC, Table: "orders", Location: "s3://sales-domain/data/orders/",
				Columns: []gluetypes.Column{{Name: aws.String("id"), Type: aws.String("bigint")}}},
			{DomainAccountID: producerAccount, Mode: lakeformation.TBAC, Table: "customers"},
		} {
			if err := m.RegisterProduct(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	register()
	for _, name := range []string{"nrac-data-domain-" + producerAccount, "tbac-data-domain-" + producerAccount} {
		db, err := g.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		if p := db.Database.Parameters; p["data_owner"] != producerAccount || p["data_owner_name"] != "sales" {
			t.Errorf("%s parameters %v", name, p)
		}
		if len(db.Database.CreateTableDefaultPermissions) != 0 {
			t.Errorf("%s keeps IAM_ALLOWED_PRINCIPALS defaults: %v", name, db.Database.CreateTableDefaultPermissions)
		}
	}
	if tags := resourceTags(lf, "tbac-data-domain-"+producerAccount, "", ""); len(tags) != 1 || aws.ToString(tags[0].TagKey) != "LoB" || tags[0].TagValues[0] != "sales" {
		t.Errorf("tbac database tags %v", tags)
	}
	got := strings.Join(heldBy(lf, producerAccount), "; ")
	want := "LF_TAG " + centralAccount + ":LoB=sales ASSOCIATE,DESCRIBE; " +
		"LF_TAG_POLICY DATABASE " + centralAccount + ":LoB=sales CREATE_TABLE,DESCRIBE; " +
		"LF_TAG_POLICY TABLE " + centralAccount + ":LoB=sales ALL; " +
		"TABLE " + centralAccount + ":nrac-data-domain-" + producerAccount + ".orders ALL"
	if got != want {
		t.Errorf("producer holds %s\nwant %s", got, want)
	}
	for _, p := range held(lf) {
		if len(p.PermissionsWithGrantOption) != len(p.Permissions) {
			t.Errorf("grant without grant option: %+v", p)
		}
	}
	// The TBAC product inherits LoB=sales from its database. The Lake Formation fake knows
	// the Glue tables only once declared.
	lf.AddTable("tbac-data-domain-"+producerAccount, "customers")
	matches, err := lakeformation.NewTags(lf).Match(ctx, []lakeformation.Tag{{Key: "LoB", Values: []string{"sales"}}})
	if err != nil || len(matches) != 2 || matches[1].Table != "customers" {
		t.Errorf("LoB=sales tables %v %v", matches, err)
	}

	writes := writeCount(lf)
	glueCreates := len(g.Calls())
	register()
	if writeCount(lf) != writes {
		t.Errorf("second registration made %d Lake Formation writes", writeCount(lf)-writes)
	}
	for _, c := range g.Calls()[glueCreates:] {
		if c.Op == "CreateDatabase" || (c.Op == "CreateTable" && c.Err == nil) {
			t.Errorf("second registration called %s successfully", c.Op)
		}
	}
}

func TestMeshValidation(t *testing.T) {
	lf, g := lakeformationtest.New(), gluetest.New()
	m := lakeformation.NewMesh(lf, g)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"bad account", m.RegisterDomain(ctx, lakeformation.Domain{AccountID: "x", Name: "sales"}), `lakeformation: Domain.AccountID "x" must be a 12-digit account ID`},
		{"no name", m.RegisterDomain(ctx, lakeformation.Domain{AccountID: producerAccount}), "lakeformation: Domain.Name is required"},
		{"bad mode", m.RegisterProduct(ctx, lakeformation.Product{DomainAccountID: producerAccount, Mode: "other", Table: "t"}), `lakeformation: Product.Mode "other" must be nrac or tbac`},
		{"no table", m.RegisterProduct(ctx, lakeformation.Product{DomainAccountID: producerAccount, Mode: lakeformation.NRAC}), "lakeformation: Product.Table is required"},
	} {
		if tt.err == nil || tt.err.Error() != tt.want {
			t.Errorf("%s: got %v, want %q", tt.name, tt.err, tt.want)
		}
	}
	if n := len(lf.Calls()) + len(g.Calls()); n != 0 {
		t.Errorf("invalid registrations made %d calls", n)
	}
}
