package glue_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
)

func TestEnsureDatabaseIdempotent(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	cat := glue.NewCatalog(fake)
	db := glue.Database{
		Name: "Sales", Description: "sales data", LocationURI: "s3://lake/sales/",
		Governance:    glue.Governance{DataOwner: "111122223333", DataOwnerName: "sales-team", PII: true},
		Parameters:    map[string]string{"access_mode": "nrt"},
		LakeFormation: true,
	}
	for i, want := range []datablocks.Action{datablocks.Created, datablocks.Unchanged} {
		got, err := cat.EnsureDatabase(ctx, db)
		if err != nil || got.Action != want {
			t.Fatalf("EnsureDatabase #%d = %q, %v; want %q", i+1, got, err, want)
		}
	}
	out, err := fake.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String("sales")})
	if err != nil {
		t.Fatal(err)
	}
	wantParams := map[string]string{"data_owner": "111122223333", "data_owner_name": "sales-team", "pii_flag": "true", "access_mode": "nrt"}
	if diff := cmp.Diff(wantParams, out.Database.Parameters); diff != "" {
		t.Errorf("parameters (-want +got):\n%s", diff)
	}
	if n := len(out.Database.CreateTableDefaultPermissions); n != 0 {
		t.Errorf("CreateTableDefaultPermissions has %d entries, want none (Lake Formation mode)", n)
	}
	// A parameter set by someone else survives; a changed description is applied.
	if _, err := fake.UpdateDatabase(ctx, &awsglue.UpdateDatabaseInput{Name: aws.String("sales"), DatabaseInput: &types.DatabaseInput{
		Name: aws.String("sales"), LocationUri: aws.String("s3://lake/sales/"), Description: aws.String("sales data"),
		Parameters: map[string]string{"data_owner": "111122223333", "data_owner_name": "sales-team", "pii_flag": "true", "access_mode": "nrt", "steward": "ana"},
	}}); err != nil {
		t.Fatal(err)
	}
	db.Description = "all sales"
	if got, err := cat.EnsureDatabase(ctx, db); err != nil || got.Action != datablocks.Updated {
		t.Fatalf("EnsureDatabase after change = %q, %v; want updated", got, err)
	}
	out, _ = fake.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String("sales")})
	if out.Database.Parameters["steward"] != "ana" || aws.ToString(out.Database.Description) != "all sales" {
		t.Errorf("after update: parameters %v, description %q; want steward kept and the new description", out.Database.Parameters, aws.ToString(out.Database.Description))
	}
}

func TestEnsureDatabaseDefaultPermissionsKept(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	cat := glue.NewCatalog(fake)
	if _, err := cat.EnsureDatabase(ctx, glue.Database{Name: "iam_mode"}); err != nil {
		t.Fatal(err)
	}
	out, _ := fake.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String("iam_mode")})
	if len(out.Database.CreateTableDefaultPermissions) != 1 {
		t.Fatalf("CreateTableDefaultPermissions = %+v, want the IAM_ALLOWED_PRINCIPALS default", out.Database.CreateTableDefaultPermissions)
	}
	if got, err := cat.EnsureDatabase(ctx, glue.Database{Name: "iam_mode"}); err != nil || got.Action != datablocks.Unchanged {
		t.Errorf("second EnsureDatabase = %q, %v; want unchanged", got, err)
	}
}

func TestEnsureDatabaseRaceConverges(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	// Another writer creates the database between our GetDatabase and CreateDatabase: the
	// first GetDatabase reports it missing, CreateDatabase then finds it.
	if _, err := fake.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("raced")}}); err != nil {
		t.Fatal(err)
	}
	fake.Control("GetDatabase", func(in any) (any, error, bool) {
		return nil, &types.EntityNotFoundException{Message: aws.String("Database raced not found.")}, true
	})
	fake.ResetCalls()
	got, err := glue.NewCatalog(fake).EnsureDatabase(ctx, glue.Database{Name: "raced", Description: "d"})
	if err != nil || got.Action != datablocks.Updated {
		t.Fatalf("EnsureDatabase = %q, %v; want updated", got, err)
	}
	want := []string{"GetDatabase", "CreateDatabase", "GetDatabase", "UpdateDatabase"}
	if diff := cmp.Diff(want, ops(fake)); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestEnsureDatabaseRaceRetriesAreBounded(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	// A catalog that keeps contradicting itself (GetDatabase: missing; CreateDatabase: exists)
	// must not loop forever: 4 attempts, then the error.
	fake.KeepControl("GetDatabase", func(any) (any, error, bool) {
		return nil, &types.EntityNotFoundException{Message: aws.String("Database flappy not found.")}, true
	})
	fake.KeepControl("CreateDatabase", func(any) (any, error, bool) {
		return nil, &types.AlreadyExistsException{Message: aws.String("Database already exists.")}, true
	})
	_, err := glue.NewCatalog(fake).EnsureDatabase(ctx, glue.Database{Name: "flappy"})
	var ae *types.AlreadyExistsException
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want the AlreadyExistsException after the retries", err)
	}
	if n := fake.Count("CreateDatabase"); n != 4 {
		t.Errorf("CreateDatabase calls = %d, want %d", n, 4)
	}
}

func TestEnsureTableCSVPreset(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	cat := glue.NewCatalog(fake)
	if _, err := cat.EnsureDatabase(ctx, glue.Database{Name: "entities", LocationURI: "s3://bucket/entities-database/", LakeFormation: true}); err != nil {
		t.Fatal(err)
	}
	table := glue.Table{
		Database: "entities", Name: "customers", Location: "s3://bucket/entities-database/customers/", Format: glue.FormatCSV,
		Columns: []glue.Column{{Name: "id", Type: "string"}, {Name: "email", Type: "string", Comment: "contact", PII: true}},
	}
	if got, err := cat.EnsureTable(ctx, table); err != nil || got.Action != datablocks.Created {
		t.Fatalf("EnsureTable = %q, %v; want created", got, err)
	}
	out, err := fake.GetTable(ctx, &awsglue.GetTableInput{DatabaseName: aws.String("entities"), Name: aws.String("customers")})
	if err != nil {
		t.Fatal(err)
	}
	// The CSV external table template of the AWS "runtime roles for EMR steps" post.
	want := &types.StorageDescriptor{
		Columns: []types.Column{
			{Name: aws.String("id"), Type: aws.String("string")},
			{Name: aws.String("email"), Type: aws.String("string"), Comment: aws.String("contact"), Parameters: map[string]string{"pii_flag": "true"}},
		},
		Location:     aws.String("s3://bucket/entities-database/customers/"),
		InputFormat:  aws.String("org.apache.hadoop.mapred.TextInputFormat"),
		OutputFormat: aws.String("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
		Compressed:   false,
		SerdeInfo: &types.SerDeInfo{
			SerializationLibrary: aws.String("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"),
			Parameters:           map[string]string{"field.delim": ",", "serialization.format": ","},
		},
	}
	if diff := cmp.Diff(want, out.Table.StorageDescriptor, cmpopts.IgnoreUnexported(types.StorageDescriptor{}, types.Column{}, types.SerDeInfo{}), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("storage descriptor (-want +got):\n%s", diff)
	}
	if aws.ToString(out.Table.TableType) != "EXTERNAL_TABLE" || out.Table.Parameters["EXTERNAL"] != "TRUE" || out.Table.Parameters["classification"] != "csv" {
		t.Errorf("table type %q, parameters %v; want EXTERNAL_TABLE, EXTERNAL=TRUE, classification=csv", aws.ToString(out.Table.TableType), out.Table.Parameters)
	}
	if got, err := cat.EnsureTable(ctx, table); err != nil || got.Action != datablocks.Unchanged {
		t.Errorf("second EnsureTable = %q, %v; want unchanged", got, err)
	}
}

func TestEnsureTableParquetUpdateKeepsStewardFlags(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	cat := glue.NewCatalog(fake)
	if _, err := cat.EnsureDatabase(ctx, glue.Database{Name: "sales"}); err != nil {
		t.Fatal(err)
	}
	table := glue.Table{
		Database: "sales", Name: "orders", Location: "s3://lake/sales/orders/", Format: glue.FormatParquet,
		Columns:       []glue.Column{{Name: "order_id", Type: "string"}, {Name: "email", Type: "string"}},
		PartitionKeys: []glue.Column{{Name: "dt", Type: "string", Comment: "day"}},
	}
	if _, err := cat.EnsureTable(ctx, table); err != nil {
		t.Fatal(err)
	}
	if got, err := cat.SetColumnPII(ctx, "sales", "orders", map[string]bool{"email": true}); err != nil || got.Action != datablocks.Updated {
		t.Fatalf("SetColumnPII = %q, %v; want updated", got, err)
	}
	if got, err := cat.SetColumnPII(ctx, "sales", "orders", map[string]bool{"email": true}); err != nil || got.Action != datablocks.Unchanged {
		t.Fatalf("SetColumnPII again = %q, %v; want unchanged", got, err)
	}
	if _, err := cat.SetColumnPII(ctx, "sales", "orders", map[string]bool{"emial": true}); err == nil || !strings.Contains(err.Error(), `no column "emial"`) {
		t.Errorf("SetColumnPII of a missing column: err = %v", err)
	}
	table.Columns = append(table.Columns, glue.Column{Name: "total", Type: "decimal(10,2)"})
	if got, err := cat.EnsureTable(ctx, table); err != nil || got.Action != datablocks.Updated {
		t.Fatalf("EnsureTable with a new column = %q, %v; want updated", got, err)
	}
	out, _ := fake.GetTable(ctx, &awsglue.GetTableInput{DatabaseName: aws.String("sales"), Name: aws.String("orders")})
	sd := out.Table.StorageDescriptor
	if len(sd.Columns) != 3 || sd.Columns[1].Parameters["pii_flag"] != "true" || out.Table.Parameters["classification"] != "parquet" ||
		aws.ToString(sd.SerdeInfo.SerializationLibrary) != "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" {
		t.Errorf("after update: %+v; want 3 columns, email still flagged, parquet", sd)
	}
	if aws.ToString(out.Table.VersionId) != "2" {
		t.Errorf("VersionId = %s, want 2 (create, flag, add column)", aws.ToString(out.Table.VersionId))
	}
	r, err := glue.NewCatalogReader(fake).TablePII(ctx, "sales", "orders")
	if err != nil || cmp.Diff([]string{"email"}, r) != "" {
		t.Errorf("TablePII = %+v, %v; want only column email", r, err)
	}
}

func TestEnsureTableRetriesConcurrentModification(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	cat := glue.NewCatalog(fake)
	_, _ = cat.EnsureDatabase(ctx, glue.Database{Name: "db"})
	tbl := glue.Table{Database: "db", Name: "t", Location: "s3://b/t/", Format: glue.FormatJSON, Columns: []glue.Column{{Name: "a", Type: "int"}}}
	if _, err := cat.EnsureTable(ctx, tbl); err != nil {
		t.Fatal(err)
	}
	fake.FailNext("UpdateTable", &types.ConcurrentModificationException{Message: aws.String("Update table failed due to concurrent modifications.")})
	tbl.Description = "now documented"
	fake.ResetCalls()
	if got, err := cat.EnsureTable(ctx, tbl); err != nil || got.Action != datablocks.Updated {
		t.Fatalf("EnsureTable = %q, %v; want updated after a retry", got, err)
	}
	if diff := cmp.Diff([]string{"GetTable", "UpdateTable", "GetTable", "UpdateTable"}, ops(fake)); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	fake.FailNext("UpdateTable", &types.ConcurrentModificationException{Message: aws.String("x")})
	tbl.Description = "again"
	_, err := cat.EnsureTable(ctx, tbl, func(o *glue.Options) { o.Retry.MaxAttempts = 1 })
	var cm *types.ConcurrentModificationException
	if !errors.As(err, &cm) {
		t.Errorf("without retries: err = %v, want *types.ConcurrentModificationException", err)
	}
}

func TestResourceLinks(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	cat := glue.NewCatalog(fake)
	link := glue.ResourceLink{Database: "rl_sales", TargetCatalogID: "444455556666", TargetDatabase: "sales"}
	for _, want := range []datablocks.Action{datablocks.Created, datablocks.Unchanged} {
		if got, err := cat.EnsureResourceLink(ctx, link); err != nil || got.Action != want {
			t.Fatalf("EnsureResourceLink(database link) = %q, %v; want %q", got, err, want)
		}
	}
	out, _ := fake.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String("rl_sales")})
	if td := out.Database.TargetDatabase; td == nil || aws.ToString(td.CatalogId) != "444455556666" || aws.ToString(td.DatabaseName) != "sales" {
		t.Errorf("TargetDatabase = %+v", td)
	}
	_, _ = cat.EnsureDatabase(ctx, glue.Database{Name: "consumer"})
	tl := glue.ResourceLink{Database: "consumer", Table: "rl_orders", TargetCatalogID: "444455556666", TargetDatabase: "sales", TargetTable: "orders"}
	for _, want := range []datablocks.Action{datablocks.Created, datablocks.Unchanged} {
		if got, err := cat.EnsureResourceLink(ctx, tl); err != nil || got.Action != want {
			t.Fatalf("EnsureResourceLink(table link) = %q, %v; want %q", got, err, want)
		}
	}
	tl.TargetTable = "orders_v2"
	if got, err := cat.EnsureResourceLink(ctx, tl); err != nil || got.Action != datablocks.Updated {
		t.Fatalf("repointed EnsureResourceLink = %q, %v; want updated", got, err)
	}
	tout, _ := fake.GetTable(ctx, &awsglue.GetTableInput{DatabaseName: aws.String("consumer"), Name: aws.String("rl_orders")})
	if tt := tout.Table.TargetTable; tt == nil || aws.ToString(tt.Name) != "orders_v2" {
		t.Errorf("TargetTable = %+v, want orders_v2", tt)
	}
}

func TestCatalogValidationSendsNothing(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	cat := glue.NewCatalog(fake)
	col := []glue.Column{{Name: "a", Type: "int"}}
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"db name", func() error { _, err := cat.EnsureDatabase(ctx, glue.Database{}); return err }, "Database.Name: database name is empty"},
		{"db location", func() error {
			_, err := cat.EnsureDatabase(ctx, glue.Database{Name: "a", LocationURI: "/tmp/x"})
			return err
		}, "must start with s3://"},
		{"owner", func() error {
			_, err := cat.EnsureDatabase(ctx, glue.Database{Name: "a", Governance: glue.Governance{DataOwnerName: "x"}})
			return err
		}, "DataOwner is required"},
		{"owner format", func() error {
			_, err := cat.EnsureDatabase(ctx, glue.Database{Name: "a", Governance: glue.Governance{DataOwner: "1234"}})
			return err
		}, "12-digit"},
		{"format", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: "xml", Columns: col})
			return err
		}, `unknown format "xml"`},
		{"no columns", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatORC})
			return err
		}, "Columns must not be empty"},
		{"duplicate column", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatAvro,
				Columns: col, PartitionKeys: []glue.Column{{Name: "A", Type: "int"}}})
			return err
		}, `Table.PartitionKeys[0].Name "A" duplicates Table.Columns[0]`},
		{"csv options on parquet", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatParquet, Columns: col, CSV: glue.CSVOptions{Delimiter: "|"}})
			return err
		}, "Table.CSV is set"},
		{"link target", func() error {
			_, err := cat.EnsureResourceLink(ctx, glue.ResourceLink{Database: "d", Table: "l", TargetCatalogID: "x", TargetDatabase: "d", TargetTable: "t"})
			return err
		}, "TargetCatalogID"},
		{"table link without target table", func() error {
			_, err := cat.EnsureResourceLink(ctx, glue.ResourceLink{Database: "d", Table: "l", TargetCatalogID: "111122223333", TargetDatabase: "d"})
			return err
		}, "must be set together"},
		// Issue 13: Avro's "long" is not a Hive type; Athena's is bigint.
		{"column type long", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatParquet,
				Columns: []glue.Column{{Name: "id", Type: "long"}}})
			return err
		}, `Table.Columns[0] (id).Type: type "long": "long" is not an Athena type (use bigint)`},
		// A dot is Athena's path into a struct: a.b cannot be a column.
		{"dotted column", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatParquet,
				Columns: []glue.Column{{Name: "a.b", Type: "string"}}})
			return err
		}, `Table.Columns[0].Name: column name "a.b" contains '.'`},
		{"bare struct", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatParquet,
				Columns: []glue.Column{{Name: "customer", Type: "struct"}}})
			return err
		}, `(customer).Type: type "struct": missing '<'`},
		{"struct field name", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatParquet,
				Columns: []glue.Column{{Name: "c", Type: "struct<zip code:string,zip Code:int>"}}})
			return err
		}, `struct field "zip Code" appears twice`},
		{"decimal precision", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatParquet,
				Columns: []glue.Column{{Name: "total", Type: "decimal(39,2)"}}})
			return err
		}, "precision <= 38"},
		{"partition key type", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatParquet,
				Columns: col, PartitionKeys: []glue.Column{{Name: "p", Type: "array<string>"}}})
			return err
		}, "partition key must have a primitive type"},
		{"NUL in table name", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t\x00", Location: "s3://b/", Format: glue.FormatParquet, Columns: col})
			return err
		}, "Table.Name: table name \"t\\x00\" contains the control character U+0000"},
		{"bidi in column", func() error {
			_, err := cat.EnsureTable(ctx, glue.Table{Database: "d", Name: "t", Location: "s3://b/", Format: glue.FormatParquet,
				Columns: []glue.Column{{Name: "amount\u202e", Type: "int"}}})
			return err
		}, "invisible format character U+202E"},
		{"backtick in database", func() error {
			_, err := cat.EnsureDatabase(ctx, glue.Database{Name: "a`b"})
			return err
		}, "contains a backtick"},
		{"invalid UTF-8", func() error {
			_, err := cat.EnsureDatabase(ctx, glue.Database{Name: "a\xffb"})
			return err
		}, "not valid UTF-8"},
		{"catalog ID", func() error {
			_, err := cat.EnsureDatabase(ctx, glue.Database{Name: "a"}, func(o *glue.Options) { o.CatalogID = "prod" })
			return err
		}, `Options.CatalogID "prod" is not a 12-digit AWS account ID`},
	}
	for _, tc := range tests {
		err := tc.run()
		if err == nil || !strings.HasPrefix(err.Error(), "glue: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want a glue: error containing %q", tc.name, err, tc.want)
		}
	}
	if calls := fake.Calls(); len(calls) != 0 {
		t.Errorf("invalid inputs made %d API calls, want none", len(calls))
	}
}

func TestGovernanceParsing(t *testing.T) {
	g, err := glue.ParseGovernance(map[string]string{"data_owner": "111122223333", "data_owner_name": "sales", "pii_flag": "TRUE"})
	if err != nil || g != (glue.Governance{DataOwner: "111122223333", DataOwnerName: "sales", PII: true}) {
		t.Errorf("ParseGovernance = %+v, %v", g, err)
	}
	if _, err := glue.ParseGovernance(map[string]string{"pii_flag": "yes"}); err == nil {
		t.Error(`pii_flag "yes" accepted`)
	}
	if _, err := glue.ParseGovernance(map[string]string{"data_owner": "sales"}); err == nil {
		t.Error(`data_owner "sales" accepted`)
	}
	r, err := glue.TablePII(&types.Database{Parameters: map[string]string{"pii_flag": "true"}}, &types.Table{Name: aws.String("t"),
		StorageDescriptor: &types.StorageDescriptor{Columns: []types.Column{{Name: aws.String("id")}}}, PartitionKeys: []types.Column{{Name: aws.String("dt")}}})
	if err != nil || cmp.Diff([]string{"dt", "id"}, r) != "" {
		t.Errorf("TablePII with a flagged database = %q, %v; want every column", r, err)
	}
	r, err = glue.TablePII(nil, &types.Table{Name: aws.String("t"), Parameters: map[string]string{"pii_flag": "true"},
		StorageDescriptor: &types.StorageDescriptor{Columns: []types.Column{{Name: aws.String("id")}}}})
	if err != nil || cmp.Diff([]string{"id"}, r) != "" {
		t.Errorf("TablePII with a flagged table = %q, %v; want every column", r, err)
	}
	r, err = glue.TablePII(&types.Database{Parameters: map[string]string{"pii_flag": "false"}}, &types.Table{Name: aws.String("t"),
		StorageDescriptor: &types.StorageDescriptor{Columns: []types.Column{{Name: aws.String("id")}}}})
	if err != nil || r != nil {
		t.Errorf("TablePII with no flag = %q, %v; want nil", r, err)
	}
	_, err = glue.TablePII(nil, &types.Table{Name: aws.String("t"), PartitionKeys: []types.Column{{Name: aws.String("dt"), Parameters: map[string]string{"pii_flag": "maybe"}}}})
	if err == nil || !strings.Contains(err.Error(), "column dt") {
		t.Errorf("malformed column flag: err = %v", err)
	}
}
