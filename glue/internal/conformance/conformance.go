// Package conformance is the conformance suite of the Glue fake: the behaviors a Glue client
// must show, checked at the SDK interface. It runs in every go test against gluetest.Fake
// in-process and through the real SDK client over localaws, and against real AWS under the
// integration build tag; when they disagree, AWS is right and the fake must change. It does
// not import package glue, so that the suite stays a reading of AWS independent of the helpers.
package conformance

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
)

// Client is every Glue operation the conformance suite calls, with the SDK's method
// signatures. *awsglue.Client and *gluetest.Fake satisfy it.
type Client interface {
	CreateDatabase(context.Context, *awsglue.CreateDatabaseInput, ...func(*awsglue.Options)) (*awsglue.CreateDatabaseOutput, error)
	GetDatabase(context.Context, *awsglue.GetDatabaseInput, ...func(*awsglue.Options)) (*awsglue.GetDatabaseOutput, error)
	GetDatabases(context.Context, *awsglue.GetDatabasesInput, ...func(*awsglue.Options)) (*awsglue.GetDatabasesOutput, error)
	UpdateDatabase(context.Context, *awsglue.UpdateDatabaseInput, ...func(*awsglue.Options)) (*awsglue.UpdateDatabaseOutput, error)
	CreateTable(context.Context, *awsglue.CreateTableInput, ...func(*awsglue.Options)) (*awsglue.CreateTableOutput, error)
	GetTable(context.Context, *awsglue.GetTableInput, ...func(*awsglue.Options)) (*awsglue.GetTableOutput, error)
	GetTables(context.Context, *awsglue.GetTablesInput, ...func(*awsglue.Options)) (*awsglue.GetTablesOutput, error)
	UpdateTable(context.Context, *awsglue.UpdateTableInput, ...func(*awsglue.Options)) (*awsglue.UpdateTableOutput, error)
	ListSchemas(context.Context, *awsglue.ListSchemasInput, ...func(*awsglue.Options)) (*awsglue.ListSchemasOutput, error)
	GetSchema(context.Context, *awsglue.GetSchemaInput, ...func(*awsglue.Options)) (*awsglue.GetSchemaOutput, error)
	GetSchemaVersion(context.Context, *awsglue.GetSchemaVersionInput, ...func(*awsglue.Options)) (*awsglue.GetSchemaVersionOutput, error)
	CreateSchema(context.Context, *awsglue.CreateSchemaInput, ...func(*awsglue.Options)) (*awsglue.CreateSchemaOutput, error)
	UpdateSchema(context.Context, *awsglue.UpdateSchemaInput, ...func(*awsglue.Options)) (*awsglue.UpdateSchemaOutput, error)
	RegisterSchemaVersion(context.Context, *awsglue.RegisterSchemaVersionInput, ...func(*awsglue.Options)) (*awsglue.RegisterSchemaVersionOutput, error)
	CheckSchemaVersionValidity(context.Context, *awsglue.CheckSchemaVersionValidityInput, ...func(*awsglue.Options)) (*awsglue.CheckSchemaVersionValidityOutput, error)
	CreateCrawler(context.Context, *awsglue.CreateCrawlerInput, ...func(*awsglue.Options)) (*awsglue.CreateCrawlerOutput, error)
	StartCrawler(context.Context, *awsglue.StartCrawlerInput, ...func(*awsglue.Options)) (*awsglue.StartCrawlerOutput, error)
	GetCrawler(context.Context, *awsglue.GetCrawlerInput, ...func(*awsglue.Options)) (*awsglue.GetCrawlerOutput, error)
	StopCrawler(context.Context, *awsglue.StopCrawlerInput, ...func(*awsglue.Options)) (*awsglue.StopCrawlerOutput, error)
	DeleteCrawler(context.Context, *awsglue.DeleteCrawlerInput, ...func(*awsglue.Options)) (*awsglue.DeleteCrawlerOutput, error)
	GetCrawlerMetrics(context.Context, *awsglue.GetCrawlerMetricsInput, ...func(*awsglue.Options)) (*awsglue.GetCrawlerMetricsOutput, error)
	StartJobRun(context.Context, *awsglue.StartJobRunInput, ...func(*awsglue.Options)) (*awsglue.StartJobRunOutput, error)
	GetJobRun(context.Context, *awsglue.GetJobRunInput, ...func(*awsglue.Options)) (*awsglue.GetJobRunOutput, error)
	StartWorkflowRun(context.Context, *awsglue.StartWorkflowRunInput, ...func(*awsglue.Options)) (*awsglue.StartWorkflowRunOutput, error)
	GetWorkflowRun(context.Context, *awsglue.GetWorkflowRunInput, ...func(*awsglue.Options)) (*awsglue.GetWorkflowRunOutput, error)
	DeleteDatabase(context.Context, *awsglue.DeleteDatabaseInput, ...func(*awsglue.Options)) (*awsglue.DeleteDatabaseOutput, error)
	DeleteTable(context.Context, *awsglue.DeleteTableInput, ...func(*awsglue.Options)) (*awsglue.DeleteTableOutput, error)
	DeleteSchema(context.Context, *awsglue.DeleteSchemaInput, ...func(*awsglue.Options)) (*awsglue.DeleteSchemaOutput, error)
}

var _ Client = (*awsglue.Client)(nil)

// Harness gives the conformance suite a client and a place to put its resources.
type Harness interface {
	// Client returns the client under test.
	Client() Client
	// Prefix returns a lower-case prefix for every name the suite creates, unique to the run so
	// that runs against a real account do not collide (e.g. "dbconf_1700000000_").
	Prefix() string
	// Clock is the time the suite waits by: the fake's datablocks.ManualClock, or
	// datablocks.SystemClock() against AWS.
	Clock() datablocks.Clock
	// Close releases the harness.
	Close()
}

// HarnessMaker makes a Harness for one subtest. An error fails the subtest.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// RunConformanceTests runs the behaviors a Glue client must show, one subtest each, against
// the client newHarness makes: the fake in every go test, real AWS under the integration tag.
// When they disagree, AWS is right and the fake must change.
func RunConformanceTests(t *testing.T, newHarness HarnessMaker) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, ctx context.Context, c Client, prefix string)
		// timed, when set, replaces fn for behaviors that need the harness's clock.
		timed func(t *testing.T, ctx context.Context, c Client, prefix string, clock datablocks.Clock)
	}{
		{name: "SchemaVersionsAndCompatibility", timed: testSchemaVersions},
		{name: "SchemaNotFound", fn: testSchemaNotFound},
		{name: "SchemaAlreadyExists", fn: testSchemaAlreadyExists},
		{name: "ListSchemasPages", fn: testListSchemasPages},
		{name: "CheckSchemaVersionValidity", fn: testCheckValidity},
		{name: "RunsNotFound", fn: testRunsNotFound},
		{name: "DatabaseLifecycle", fn: testDatabaseLifecycle},
		{name: "DatabaseNotFound", fn: testDatabaseNotFound},
		{name: "DatabaseAlreadyExists", fn: testDatabaseAlreadyExists},
		{name: "LakeFormationModeDatabase", fn: testLakeFormationModeDatabase},
		{name: "TableLifecycleAndVersions", fn: testTableLifecycle},
		{name: "TableNotFound", fn: testTableNotFound},
		{name: "TableAlreadyExists", fn: testTableAlreadyExists},
		{name: "GetDatabasesPages", fn: testGetDatabasesPages},
		{name: "GetTablesPages", fn: testGetTablesPages},
		{name: "ForgedPageToken", fn: testForgedPageToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			h, err := newHarness(ctx, t)
			if err != nil {
				t.Fatalf("making harness: %v", err)
			}
			defer h.Close()
			if tc.timed != nil {
				tc.timed(t, ctx, h.Client(), h.Prefix(), h.Clock())
				return
			}
			tc.fn(t, ctx, h.Client(), h.Prefix())
		})
	}
}

func mustCreateDatabase(t *testing.T, ctx context.Context, c Client, name string, in *types.DatabaseInput) {
	t.Helper()
	if in == nil {
		in = &types.DatabaseInput{}
	}
	in.Name = aws.String(name)
	if _, err := c.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: in}); err != nil {
		t.Fatalf("CreateDatabase(%s): %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteDatabase(context.Background(), &awsglue.DeleteDatabaseInput{Name: aws.String(name)})
	})
}

func testDatabaseLifecycle(t *testing.T, ctx context.Context, c Client, prefix string) {
	name := prefix + "sales"
	mustCreateDatabase(t, ctx, c, name, &types.DatabaseInput{
		Description: aws.String("sales data"),
		LocationUri: aws.String("s3://bucket/sales/"),
		Parameters:  map[string]string{"data_owner": "111122223333"},
	})
	got, err := c.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("GetDatabase: %v", err)
	}
	if aws.ToString(got.Database.Name) != name || aws.ToString(got.Database.LocationUri) != "s3://bucket/sales/" ||
		got.Database.Parameters["data_owner"] != "111122223333" || got.Database.CreateTime == nil {
		t.Errorf("GetDatabase = %+v, want name %s, location, data_owner and CreateTime", got.Database, name)
	}
	_, err = c.UpdateDatabase(ctx, &awsglue.UpdateDatabaseInput{Name: aws.String(name), DatabaseInput: &types.DatabaseInput{
		Name:       aws.String(name),
		Parameters: map[string]string{"pii_flag": "true"},
	}})
	if err != nil {
		t.Fatalf("UpdateDatabase: %v", err)
	}
	got, err = c.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("GetDatabase after update: %v", err)
	}
	if got.Database.Parameters["pii_flag"] != "true" || got.Database.Parameters["data_owner"] != "" {
		t.Errorf("parameters after update = %v, want exactly pii_flag=true (update replaces)", got.Database.Parameters)
	}
	if _, err := c.DeleteDatabase(ctx, &awsglue.DeleteDatabaseInput{Name: aws.String(name)}); err != nil {
		t.Fatalf("DeleteDatabase: %v", err)
	}
	_, err = c.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String(name)})
	var nf *types.EntityNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("GetDatabase after delete: err = %v, want *types.EntityNotFoundException", err)
	}
}

func testDatabaseNotFound(t *testing.T, ctx context.Context, c Client, prefix string) {
	var nf *types.EntityNotFoundException
	_, err := c.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String(prefix + "missing")})
	if !errors.As(err, &nf) {
		t.Errorf("GetDatabase: err = %v, want *types.EntityNotFoundException", err)
	}
	_, err = c.UpdateDatabase(ctx, &awsglue.UpdateDatabaseInput{Name: aws.String(prefix + "missing"),
		DatabaseInput: &types.DatabaseInput{Name: aws.String(prefix + "missing")}})
	if !errors.As(err, &nf) {
		t.Errorf("UpdateDatabase: err = %v, want *types.EntityNotFoundException", err)
	}
	_, err = c.GetTables(ctx, &awsglue.GetTablesInput{DatabaseName: aws.String(prefix + "missing")})
	if !errors.As(err, &nf) {
		t.Errorf("GetTables: err = %v, want *types.EntityNotFoundException", err)
	}
}

func testDatabaseAlreadyExists(t *testing.T, ctx context.Context, c Client, prefix string) {
	name := prefix + "dup"
	mustCreateDatabase(t, ctx, c, name, nil)
	_, err := c.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String(name)}})
	var ae *types.AlreadyExistsException
	if !errors.As(err, &ae) {
		t.Errorf("second CreateDatabase: err = %v, want *types.AlreadyExistsException", err)
	}
}

func testLakeFormationModeDatabase(t *testing.T, ctx context.Context, c Client, prefix string) {
	name := prefix + "entities"
	mustCreateDatabase(t, ctx, c, name, &types.DatabaseInput{CreateTableDefaultPermissions: []types.PrincipalPermissions{}})
	got, err := c.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("GetDatabase: %v", err)
	}
	if n := len(got.Database.CreateTableDefaultPermissions); n != 0 {
		t.Errorf("CreateTableDefaultPermissions = %+v, want empty", got.Database.CreateTableDefaultPermissions)
	}
}

func storage(cols ...string) *types.StorageDescriptor {
	sd := &types.StorageDescriptor{Location: aws.String("s3://bucket/t/")}
	for _, c := range cols {
		sd.Columns = append(sd.Columns, types.Column{Name: aws.String(c), Type: aws.String("string")})
	}
	return sd
}

func testTableLifecycle(t *testing.T, ctx context.Context, c Client, prefix string) {
	db := prefix + "tables"
	mustCreateDatabase(t, ctx, c, db, nil)
	_, err := c.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String(db), TableInput: &types.TableInput{
		Name: aws.String("orders"), TableType: aws.String("EXTERNAL_TABLE"),
		Parameters:        map[string]string{"classification": "parquet"},
		StorageDescriptor: storage("id", "email"),
	}})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	got, err := c.GetTable(ctx, &awsglue.GetTableInput{DatabaseName: aws.String(db), Name: aws.String("orders")})
	if err != nil {
		t.Fatalf("GetTable: %v", err)
	}
	v0 := aws.ToString(got.Table.VersionId)
	if aws.ToString(got.Table.DatabaseName) != db || got.Table.Parameters["classification"] != "parquet" ||
		len(got.Table.StorageDescriptor.Columns) != 2 || v0 == "" {
		t.Errorf("GetTable = %+v, want database %s, classification, 2 columns and a VersionId", got.Table, db)
	}
	_, err = c.UpdateTable(ctx, &awsglue.UpdateTableInput{DatabaseName: aws.String(db), VersionId: aws.String(v0), TableInput: &types.TableInput{
		Name: aws.String("orders"), TableType: aws.String("EXTERNAL_TABLE"),
		Parameters:        map[string]string{"classification": "parquet"},
		StorageDescriptor: storage("id", "email", "total"),
	}})
	if err != nil {
		t.Fatalf("UpdateTable: %v", err)
	}
	got, err = c.GetTable(ctx, &awsglue.GetTableInput{DatabaseName: aws.String(db), Name: aws.String("orders")})
	if err != nil {
		t.Fatalf("GetTable after update: %v", err)
	}
	if v1 := aws.ToString(got.Table.VersionId); v1 == v0 || len(got.Table.StorageDescriptor.Columns) != 3 {
		t.Errorf("after update: VersionId %s (was %s), %d columns; want a new version with 3 columns", v1, v0, len(got.Table.StorageDescriptor.Columns))
	}
	_, err = c.UpdateTable(ctx, &awsglue.UpdateTableInput{DatabaseName: aws.String(db), VersionId: aws.String(v0), TableInput: &types.TableInput{
		Name: aws.String("orders"), StorageDescriptor: storage("id"),
	}})
	var cm *types.ConcurrentModificationException
	if !errors.As(err, &cm) {
		t.Errorf("UpdateTable with stale VersionId: err = %v, want *types.ConcurrentModificationException", err)
	}
	if _, err := c.DeleteTable(ctx, &awsglue.DeleteTableInput{DatabaseName: aws.String(db), Name: aws.String("orders")}); err != nil {
		t.Fatalf("DeleteTable: %v", err)
	}
	_, err = c.GetTable(ctx, &awsglue.GetTableInput{DatabaseName: aws.String(db), Name: aws.String("orders")})
	var nf *types.EntityNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("GetTable after delete: err = %v, want *types.EntityNotFoundException", err)
	}
}

func testTableNotFound(t *testing.T, ctx context.Context, c Client, prefix string) {
	db := prefix + "nf"
	mustCreateDatabase(t, ctx, c, db, nil)
	var nf *types.EntityNotFoundException
	_, err := c.GetTable(ctx, &awsglue.GetTableInput{DatabaseName: aws.String(db), Name: aws.String("missing")})
	if !errors.As(err, &nf) {
		t.Errorf("GetTable: err = %v, want *types.EntityNotFoundException", err)
	}
	_, err = c.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String(prefix + "nodb"),
		TableInput: &types.TableInput{Name: aws.String("t")}})
	if !errors.As(err, &nf) {
		t.Errorf("CreateTable in a missing database: err = %v, want *types.EntityNotFoundException", err)
	}
	_, err = c.UpdateTable(ctx, &awsglue.UpdateTableInput{DatabaseName: aws.String(db),
		TableInput: &types.TableInput{Name: aws.String("missing")}})
	if !errors.As(err, &nf) {
		t.Errorf("UpdateTable of a missing table: err = %v, want *types.EntityNotFoundException", err)
	}
}

func testTableAlreadyExists(t *testing.T, ctx context.Context, c Client, prefix string) {
	db := prefix + "tdup"
	mustCreateDatabase(t, ctx, c, db, nil)
	in := &awsglue.CreateTableInput{DatabaseName: aws.String(db), TableInput: &types.TableInput{Name: aws.String("t"), StorageDescriptor: storage("a")}}
	if _, err := c.CreateTable(ctx, in); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	_, err := c.CreateTable(ctx, in)
	var ae *types.AlreadyExistsException
	if !errors.As(err, &ae) {
		t.Errorf("second CreateTable: err = %v, want *types.AlreadyExistsException", err)
	}
}

func testGetDatabasesPages(t *testing.T, ctx context.Context, c Client, prefix string) {
	want := []string{}
	for i := range 5 {
		name := fmt.Sprintf("%spage%d", prefix, i)
		mustCreateDatabase(t, ctx, c, name, nil)
		want = append(want, name)
	}
	var got []string
	p := awsglue.NewGetDatabasesPaginator(c, &awsglue.GetDatabasesInput{MaxResults: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("GetDatabases page %d: %v", pages, err)
		}
		pages++
		if len(out.DatabaseList) > 2 {
			t.Errorf("page %d has %d databases, want at most MaxResults=2", pages, len(out.DatabaseList))
		}
		for _, d := range out.DatabaseList {
			if n := aws.ToString(d.Name); len(n) >= len(prefix) && n[:len(prefix)] == prefix {
				got = append(got, n)
			}
		}
	}
	sort.Strings(got)
	if fmt.Sprint(got) != fmt.Sprint(want) || pages < 3 {
		t.Errorf("databases over %d pages = %v, want %v over at least 3 pages", pages, got, want)
	}
}

func testGetTablesPages(t *testing.T, ctx context.Context, c Client, prefix string) {
	db := prefix + "tpages"
	mustCreateDatabase(t, ctx, c, db, nil)
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("t%d", i)
		if _, err := c.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String(db),
			TableInput: &types.TableInput{Name: aws.String(name), StorageDescriptor: storage("a")}}); err != nil {
			t.Fatalf("CreateTable(%s): %v", name, err)
		}
		want = append(want, name)
	}
	var got []string
	p := awsglue.NewGetTablesPaginator(c, &awsglue.GetTablesInput{DatabaseName: aws.String(db), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("GetTables: %v", err)
		}
		for _, tb := range out.TableList {
			got = append(got, aws.ToString(tb.Name))
		}
	}
	sort.Strings(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tables = %v, want %v", got, want)
	}
}

// testForgedPageToken checks that a NextToken the service never issued is refused rather
// than read as "start over", so that a caller mangling tokens fails instead of looping.
func testForgedPageToken(t *testing.T, ctx context.Context, c Client, prefix string) {
	db := prefix + "forged"
	mustCreateDatabase(t, ctx, c, db, nil)
	if _, err := c.GetTables(ctx, &awsglue.GetTablesInput{DatabaseName: aws.String(db), NextToken: aws.String("not-a-token")}); err == nil {
		t.Error("GetTables accepted a forged NextToken")
	}
	if _, err := c.GetDatabases(ctx, &awsglue.GetDatabasesInput{NextToken: aws.String("not-a-token")}); err == nil {
		t.Error("GetDatabases accepted a forged NextToken")
	}
}

const (
	confAvroV1 = `{"type":"record","name":"User","namespace":"conf","fields":[{"name":"id","type":"string"}]}`
	// v2 adds an optional field: BACKWARD compatible.
	confAvroV2 = `{"type":"record","name":"User","namespace":"conf","fields":[{"name":"id","type":"string"},{"name":"email","type":["null","string"],"default":null}]}`
	// v3 adds a field without a default: not BACKWARD compatible.
	confAvroV3 = `{"type":"record","name":"User","namespace":"conf","fields":[{"name":"id","type":"string"},{"name":"email","type":["null","string"],"default":null},{"name":"country","type":"string"}]}`
)

func mustCreateSchema(t *testing.T, ctx context.Context, c Client, name, def string) *awsglue.CreateSchemaOutput {
	t.Helper()
	out, err := c.CreateSchema(ctx, &awsglue.CreateSchemaInput{SchemaName: aws.String(name), DataFormat: types.DataFormatAvro,
		Compatibility: types.CompatibilityBackward, SchemaDefinition: aws.String(def)})
	if err != nil {
		t.Fatalf("CreateSchema(%s): %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteSchema(context.Background(), &awsglue.DeleteSchemaInput{SchemaId: &types.SchemaId{SchemaArn: out.SchemaArn}})
	})
	return out
}

// settle polls a schema version until it leaves PENDING, for up to a minute of clock time.
func settle(t *testing.T, ctx context.Context, c Client, clock datablocks.Clock, id string) *awsglue.GetSchemaVersionOutput {
	t.Helper()
	for range 60 {
		v, err := c.GetSchemaVersion(ctx, &awsglue.GetSchemaVersionInput{SchemaVersionId: aws.String(id)})
		if err != nil {
			t.Fatalf("GetSchemaVersion(%s): %v", id, err)
		}
		if v.Status != types.SchemaVersionStatusPending {
			return v
		}
		if err := clock.Sleep(ctx, time.Second); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("schema version %s still PENDING after a minute", id)
	return nil
}

func testSchemaVersions(t *testing.T, ctx context.Context, c Client, prefix string, clock datablocks.Clock) {
	name := prefix + "users"
	created := mustCreateSchema(t, ctx, c, name, confAvroV1)
	if s := created.SchemaVersionStatus; s != types.SchemaVersionStatusPending && s != types.SchemaVersionStatusAvailable {
		t.Errorf("first version status = %s, want PENDING or AVAILABLE", s)
	}
	if v := settle(t, ctx, c, clock, aws.ToString(created.SchemaVersionId)); v.Status != types.SchemaVersionStatusAvailable || aws.ToInt64(v.VersionNumber) != 1 {
		t.Errorf("first version = %s #%d, want AVAILABLE #1", v.Status, aws.ToInt64(v.VersionNumber))
	}
	id := &types.SchemaId{SchemaArn: created.SchemaArn}
	v2, err := c.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: id, SchemaDefinition: aws.String(confAvroV2)})
	if err != nil {
		t.Fatalf("RegisterSchemaVersion(v2): %v", err)
	}
	if got := settle(t, ctx, c, clock, aws.ToString(v2.SchemaVersionId)); got.Status != types.SchemaVersionStatusAvailable || aws.ToInt64(got.VersionNumber) != 2 {
		t.Errorf("compatible version = %s #%d, want AVAILABLE #2", got.Status, aws.ToInt64(got.VersionNumber))
	}
	again, err := c.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: id, SchemaDefinition: aws.String(confAvroV2)})
	if err != nil || aws.ToString(again.SchemaVersionId) != aws.ToString(v2.SchemaVersionId) {
		t.Errorf("re-registering v2 = %v, %v; want the existing version %s", again, err, aws.ToString(v2.SchemaVersionId))
	}
	v3, err := c.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: id, SchemaDefinition: aws.String(confAvroV3)})
	if err != nil {
		t.Fatalf("RegisterSchemaVersion(v3): %v", err)
	}
	if got := settle(t, ctx, c, clock, aws.ToString(v3.SchemaVersionId)); got.Status != types.SchemaVersionStatusFailure {
		t.Errorf("BACKWARD-incompatible version status = %s, want FAILURE", got.Status)
	}
	byNumber, err := c.GetSchemaVersion(ctx, &awsglue.GetSchemaVersionInput{SchemaId: id, SchemaVersionNumber: &types.SchemaVersionNumber{VersionNumber: aws.Int64(1)}})
	if err != nil || aws.ToString(byNumber.SchemaDefinition) != confAvroV1 || byNumber.DataFormat != types.DataFormatAvro {
		t.Errorf("GetSchemaVersion(#1) = %+v, %v", byNumber, err)
	}
	s, err := c.GetSchema(ctx, &awsglue.GetSchemaInput{SchemaId: id})
	if err != nil || s.Compatibility != types.CompatibilityBackward || s.DataFormat != types.DataFormatAvro || aws.ToString(s.SchemaName) != name {
		t.Errorf("GetSchema = %+v, %v", s, err)
	}
	if _, err := c.UpdateSchema(ctx, &awsglue.UpdateSchemaInput{SchemaId: id, Compatibility: types.CompatibilityNone}); err != nil {
		t.Fatalf("UpdateSchema: %v", err)
	}
	v4, err := c.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: id, SchemaDefinition: aws.String(confAvroV3 + " ")})
	if err != nil {
		t.Fatalf("RegisterSchemaVersion under NONE: %v", err)
	}
	if got := settle(t, ctx, c, clock, aws.ToString(v4.SchemaVersionId)); got.Status != types.SchemaVersionStatusAvailable {
		t.Errorf("version under NONE = %s, want AVAILABLE", got.Status)
	}
}

func testSchemaNotFound(t *testing.T, ctx context.Context, c Client, prefix string) {
	var nf *types.EntityNotFoundException
	id := &types.SchemaId{RegistryName: aws.String("default-registry"), SchemaName: aws.String(prefix + "missing")}
	if _, err := c.GetSchema(ctx, &awsglue.GetSchemaInput{SchemaId: id}); !errors.As(err, &nf) {
		t.Errorf("GetSchema: err = %v, want *types.EntityNotFoundException", err)
	}
	if _, err := c.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: id, SchemaDefinition: aws.String(confAvroV1)}); !errors.As(err, &nf) {
		t.Errorf("RegisterSchemaVersion: err = %v, want *types.EntityNotFoundException", err)
	}
}

func testSchemaAlreadyExists(t *testing.T, ctx context.Context, c Client, prefix string) {
	name := prefix + "dup"
	mustCreateSchema(t, ctx, c, name, confAvroV1)
	_, err := c.CreateSchema(ctx, &awsglue.CreateSchemaInput{SchemaName: aws.String(name), DataFormat: types.DataFormatAvro, SchemaDefinition: aws.String(confAvroV1)})
	var ae *types.AlreadyExistsException
	if !errors.As(err, &ae) {
		t.Errorf("second CreateSchema: err = %v, want *types.AlreadyExistsException", err)
	}
}

func testListSchemasPages(t *testing.T, ctx context.Context, c Client, prefix string) {
	var want []string
	for i := range 3 {
		name := fmt.Sprintf("%slist%d", prefix, i)
		mustCreateSchema(t, ctx, c, name, confAvroV1)
		want = append(want, name)
	}
	var got []string
	p := awsglue.NewListSchemasPaginator(c, &awsglue.ListSchemasInput{RegistryId: &types.RegistryId{RegistryName: aws.String("default-registry")}, MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListSchemas: %v", err)
		}
		if len(out.Schemas) > 1 {
			t.Errorf("page of %d schemas, want at most MaxResults=1", len(out.Schemas))
		}
		for _, s := range out.Schemas {
			if n := aws.ToString(s.SchemaName); len(n) > len(prefix)+4 && n[:len(prefix)+4] == prefix+"list" {
				got = append(got, n)
			}
		}
	}
	sort.Strings(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("listed %v, want %v", got, want)
	}
}

func testCheckValidity(t *testing.T, ctx context.Context, c Client, prefix string) {
	out, err := c.CheckSchemaVersionValidity(ctx, &awsglue.CheckSchemaVersionValidityInput{DataFormat: types.DataFormatAvro, SchemaDefinition: aws.String(confAvroV1)})
	if err != nil || !out.Valid {
		t.Errorf("valid Avro: %+v, %v", out, err)
	}
	out, err = c.CheckSchemaVersionValidity(ctx, &awsglue.CheckSchemaVersionValidityInput{DataFormat: types.DataFormatAvro,
		SchemaDefinition: aws.String(`{"type":"record","name":"A","fields":[{"name":"x","type":"strin"}]}`)})
	if err != nil || out.Valid || aws.ToString(out.Error) == "" {
		t.Errorf("invalid Avro: %+v, %v; want Valid=false with an error", out, err)
	}
}

func testRunsNotFound(t *testing.T, ctx context.Context, c Client, prefix string) {
	var nf *types.EntityNotFoundException
	if _, err := c.GetCrawler(ctx, &awsglue.GetCrawlerInput{Name: aws.String(prefix + "missing")}); !errors.As(err, &nf) {
		t.Errorf("GetCrawler: err = %v, want *types.EntityNotFoundException", err)
	}
	if _, err := c.StartCrawler(ctx, &awsglue.StartCrawlerInput{Name: aws.String(prefix + "missing")}); !errors.As(err, &nf) {
		t.Errorf("StartCrawler: err = %v, want *types.EntityNotFoundException", err)
	}
	if _, err := c.DeleteCrawler(ctx, &awsglue.DeleteCrawlerInput{Name: aws.String(prefix + "missing")}); !errors.As(err, &nf) {
		t.Errorf("DeleteCrawler: err = %v, want *types.EntityNotFoundException", err)
	}
	if _, err := c.StartJobRun(ctx, &awsglue.StartJobRunInput{JobName: aws.String(prefix + "missing")}); !errors.As(err, &nf) {
		t.Errorf("StartJobRun: err = %v, want *types.EntityNotFoundException", err)
	}
	if _, err := c.StartWorkflowRun(ctx, &awsglue.StartWorkflowRunInput{Name: aws.String(prefix + "missing")}); !errors.As(err, &nf) {
		t.Errorf("StartWorkflowRun: err = %v, want *types.EntityNotFoundException", err)
	}
}
