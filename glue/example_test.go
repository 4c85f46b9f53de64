package glue_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

func ExampleParseSchema() {
	cols, err := glue.ParseSchema(types.DataFormatAvro, `{"type": "record", "name": "Order", "fields": [
		{"name": "id", "type": "string", "doc": "order ID"},
		{"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
		{"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
			"fields": [{"name": "sku", "type": "string"}, {"name": "shipped", "type": ["null", {"type": "int", "logicalType": "date"}]}]}}},
		{"name": "note", "type": ["null", "string"], "default": null}]}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cols {
		fmt.Printf("%s %s %q\n", c.Name, c.Type, c.Comment)
	}
	// Output:
	// id string "order ID"
	// total decimal(10,2) ""
	// lines array<struct<sku:string,shipped:date>> ""
	// note string ""
}

func ExampleParseSchema_protobufError() {
	_, err := glue.ParseSchema(types.DataFormatProtobuf, "syntax = \"proto3\";\nmessage Order {\n  string id = 1\n}\n")
	fmt.Println(err)
	// Output:
	// glue: PROTOBUF schema at line 4 column 1 (message Order field id): expected ";", found "}"
}

func ExampleCatalog_EnsureTable() {
	ctx := context.Background()
	fake := gluetest.New()
	cat := glue.NewCatalog(fake)
	if _, err := cat.EnsureDatabase(ctx, glue.Database{Name: "entities", LocationURI: "s3://bucket/entities-database/", LakeFormation: true}); err != nil {
		fmt.Println(err)
		return
	}
	table := glue.Table{Database: "entities", Name: "customers", Location: "s3://bucket/entities-database/customers/",
		Format: glue.FormatCSV, CSV: glue.CSVOptions{SkipHeaderLines: 1},
		Columns: []glue.Column{{Name: "id", Type: "string"}, {Name: "email", Type: "string", PII: true}}}
	for range 2 {
		change, err := cat.EnsureTable(ctx, table)
		fmt.Println(change, err)
	}
	pii, _ := glue.NewCatalogReader(fake).TablePII(ctx, "entities", "customers")
	fmt.Println("PII:", pii)
	// Output:
	// created <nil>
	// unchanged <nil>
	// PII: [email]
}

func ExampleRegistry_Register() {
	ctx := context.Background()
	clock := datablocks.NewManualClock(time.Time{})
	fake := gluetest.New(func(o *gluetest.Options) { o.Clock = clock })
	reg := glue.NewRegistry(fake, func(o *glue.Options) { o.Wait.Clock = clock })
	v1 := `{"type":"record","name":"User","fields":[{"name":"id","type":"string"}]}`
	v2 := `{"type":"record","name":"User","fields":[{"name":"id","type":"string"},{"name":"country","type":"string"}]}`
	v, err := reg.Register(ctx, glue.Schema{Name: "users", DataFormat: types.DataFormatAvro, Definition: v1})
	fmt.Println(v.Version, v.Status, err)
	_, err = reg.Register(ctx, glue.Schema{Name: "users", DataFormat: types.DataFormatAvro, Definition: v2})
	var failed *glue.SchemaVersionFailedError
	if errors.As(err, &failed) {
		fmt.Println(failed.Schema.Version, failed.Schema.Status, failed.Reason)
	}
	// Output:
	// 1 AVAILABLE <nil>
	// 2 FAILURE not BACKWARD compatible: the new schema cannot read data written with version 1: field "country": the reader has the field but the writer does not, and it has no default
}

func ExampleJobRunner_Run() {
	ctx := context.Background()
	clock := datablocks.NewManualClock(time.Time{})
	fake := gluetest.New(func(o *gluetest.Options) { o.Clock = clock })
	_, _ = fake.CreateJob(ctx, gluetestJob("j_load"))
	fake.ScriptJobRuns("j_load", gluetest.JobScript{Final: types.JobRunStateFailed, ErrorMessage: "AnalysisException: Path does not exist"})
	runner := glue.NewJobRunner(fake, func(o *glue.Options) { o.Wait.Clock = clock })
	_, err := runner.Run(ctx, glue.JobRun{JobName: "j_load", Arguments: map[string]string{"--source.table.name": "orders"}})
	var failed *glue.JobRunFailedError
	if errors.As(err, &failed) {
		fmt.Println(failed.Run.JobRunState, aws.ToString(failed.Run.ErrorMessage))
	}
	_, err = runner.Run(ctx, glue.JobRun{JobName: "j_load", Arguments: map[string]string{"source.table.name": "orders"}})
	fmt.Println(err)
	// Output:
	// FAILED AnalysisException: Path does not exist
	// glue: JobRun.Arguments: argument key "source.table.name" must start with "--" followed by a name
}

func ExampleCrawlerRunner_RunEphemeral() {
	ctx := context.Background()
	clock := datablocks.NewManualClock(time.Time{})
	fake := gluetest.New(func(o *gluetest.Options) { o.Clock = clock })
	fake.ScriptCrawls("c_orders_20260101", gluetest.CrawlScript{Duration: 4 * time.Minute, TablesCreated: 2})

	runner := glue.NewCrawlerRunner(fake, func(o *glue.Options) {
		o.Wait.Clock = clock
		o.Wait.Timeout = time.Hour // Glue puts no limit on a crawl
	})
	res, err := runner.RunEphemeral(ctx, glue.EphemeralCrawler{
		Name:     "c_orders_20260101",
		Role:     "arn:aws:iam::111122223333:role/glue-crawler",
		Database: "sales",
		S3Paths:  []string{"s3://lake/sales/orders/"},
	})
	fmt.Println(res.Status, res.TablesCreated, res.Deleted, err)
	_, err = fake.GetCrawler(ctx, &awsglue.GetCrawlerInput{Name: aws.String("c_orders_20260101")})
	var nf *types.EntityNotFoundException
	fmt.Println("crawler gone:", errors.As(err, &nf))
	// Output:
	// SUCCEEDED 2 true <nil>
	// crawler gone: true
}

func ExampleWorkflowRunner_Run() {
	ctx := context.Background()
	clock := datablocks.NewManualClock(time.Time{})
	fake := gluetest.New(func(o *gluetest.Options) { o.Clock = clock })
	_, _ = fake.CreateWorkflow(ctx, &awsglue.CreateWorkflowInput{Name: aws.String("nightly")})
	fake.ScriptWorkflowRuns("nightly", gluetest.WorkflowScript{Status: types.WorkflowRunStatusCompleted,
		Statistics: types.WorkflowRunStatistics{TotalActions: 3, SucceededActions: 2, FailedActions: 1}})

	// Glue reports the run COMPLETED although an action failed; the runner returns an error.
	runner := glue.NewWorkflowRunner(fake, func(o *glue.Options) { o.Wait.Clock = clock })
	res, err := runner.Run(ctx, "nightly", map[string]string{"day": "2026-01-01"})
	var failed *glue.WorkflowRunFailedError
	fmt.Println(res.Status, errors.As(err, &failed))
	// Output:
	// COMPLETED true
}

func ExampleParseSchema_jsonSchema() {
	cols, err := glue.ParseSchema(types.DataFormatJson, `{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"type": "object",
		"properties": {
			"id": {"type": "string", "description": "order ID"},
			"placed": {"type": "string", "format": "date-time"},
			"total": {"type": "number"},
			"lines": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}}}},
			"labels": {"type": "object", "additionalProperties": {"type": "string"}},
			"editor.fontSize": {"type": ["integer", "null"]}
		}
	}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cols {
		fmt.Printf("%s %s %q\n", c.Name, c.Type, c.Comment)
	}
	// Output:
	// id string "order ID"
	// placed timestamp ""
	// total double ""
	// lines array<struct<sku:string,qty:bigint>> ""
	// labels map<string,string> ""
	// editor_fontSize bigint ""
}

func ExampleCatalogReader_DatabaseGovernance() {
	ctx := context.Background()
	fake := gluetest.New()
	cat := glue.NewCatalog(fake)
	for _, db := range []glue.Database{
		{Name: "sales", Governance: glue.Governance{DataOwner: "111122223333", DataOwnerName: "sales-team", PII: true}},
		{Name: "scratch"},
	} {
		if _, err := cat.EnsureDatabase(ctx, db); err != nil {
			fmt.Println(err)
			return
		}
	}
	reader := glue.NewCatalogReader(fake)
	dbs, err := reader.Databases(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, db := range dbs {
		g, err := reader.DatabaseGovernance(ctx, aws.ToString(db.Name))
		fmt.Printf("%s: owner %q (%s), PII %v, err %v\n", aws.ToString(db.Name), g.DataOwner, g.DataOwnerName, g.PII, err)
	}
	// Output:
	// sales: owner "111122223333" (sales-team), PII true, err <nil>
	// scratch: owner "" (), PII false, err <nil>
}
