package glue_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

func TestCatalogReaderReadsEveryPage(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t, func(o *gluetest.Options) { o.PageSize = 2 }) // pages of 2
	var wantDBs, wantTables []string
	for i := range 7 {
		name := fmt.Sprintf("db%02d", i)
		wantDBs = append(wantDBs, name)
		if _, err := fake.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String(name)}}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		name := fmt.Sprintf("t%02d", i)
		wantTables = append(wantTables, name)
		if _, err := fake.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("db03"), TableInput: &types.TableInput{Name: aws.String(name)}}); err != nil {
			t.Fatal(err)
		}
	}
	r := glue.NewCatalogReader(fake)
	fake.ResetCalls()
	dbs, err := r.Databases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var gotDBs []string
	for _, d := range dbs {
		gotDBs = append(gotDBs, aws.ToString(d.Name))
	}
	if diff := cmp.Diff(wantDBs, gotDBs); diff != "" {
		t.Errorf("databases (-want +got):\n%s", diff)
	}
	if n := fake.Count(gluetest.OpGetDatabases); n != 4 {
		t.Errorf("GetDatabases calls = %d, want 4 pages of at most 2", n)
	}
	tables, err := r.Tables(ctx, "DB03")
	if err != nil {
		t.Fatal(err)
	}
	var gotTables []string
	for _, tb := range tables {
		gotTables = append(gotTables, aws.ToString(tb.Name))
	}
	if diff := cmp.Diff(wantTables, gotTables); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
}

func TestCatalogReaderGovernance(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	cat := glue.NewCatalog(fake)
	if _, err := cat.EnsureDatabase(ctx, glue.Database{Name: "hr"}); err != nil {
		t.Fatal(err)
	}
	g := glue.Governance{DataOwner: "111122223333", DataOwnerName: "hr-team", PII: true}
	if got, err := cat.SetDatabaseGovernance(ctx, "hr", g); err != nil || got.Action != datablocks.Updated {
		t.Fatalf("SetDatabaseGovernance = %q, %v", got, err)
	}
	if got, err := cat.SetDatabaseGovernance(ctx, "hr", g); err != nil || got.Action != datablocks.Unchanged {
		t.Fatalf("SetDatabaseGovernance again = %q, %v", got, err)
	}
	// Governance is set on existing databases only: a missing one is not created.
	var nf *types.EntityNotFoundException
	if _, err := cat.SetDatabaseGovernance(ctx, "payroll", g); !errors.As(err, &nf) || fake.Count(gluetest.OpCreateDatabase) != 1 {
		t.Errorf("SetDatabaseGovernance(missing) = %v after %d CreateDatabase calls; want EntityNotFoundException and no create", err, fake.Count(gluetest.OpCreateDatabase))
	}
	r := glue.NewCatalogReader(fake)
	got, err := r.DatabaseGovernance(ctx, "hr")
	if err != nil || got != g {
		t.Errorf("DatabaseGovernance = %+v, %v; want %+v", got, err, g)
	}
	if _, err := cat.EnsureTable(ctx, glue.Table{Database: "hr", Name: "staff", Location: "s3://hr/staff/", Format: glue.FormatParquet,
		Columns: []glue.Column{{Name: "id", Type: "bigint"}}}); err != nil {
		t.Fatal(err)
	}
	cols, err := r.TablePII(ctx, "hr", "staff")
	if err != nil || len(cols) != 1 || cols[0] != "id" {
		t.Errorf("TablePII = %q, %v; want every column of the flagged database", cols, err)
	}
}
