package glue_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/internal/awsfake"
)

// Wire tests run the real Glue client against awsfake, which checks each request's SigV4
// signature. Expected request bodies are written from the AWS Glue API reference.

func wireServer(t *testing.T) (*awsfake.Server, *awsglue.Client) {
	t.Helper()
	s := awsfake.New(t)
	return s, awsglue.NewFromConfig(s.Config())
}

// body decodes a JSON literal for comparison with awsfake.Request.Map.
func body(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad expected body %s: %v", s, err)
	}
	return m
}

// checkBodies compares the bodies the server received for op, in order, and that each request
// was signed correctly.
func checkBodies(t *testing.T, s *awsfake.Server, op string, want ...string) {
	t.Helper()
	reqs := s.Ops(op)
	if len(reqs) != len(want) {
		t.Errorf("%s: %d requests, want %d", op, len(reqs), len(want))
		return
	}
	for i, r := range reqs {
		if !r.Verified {
			t.Errorf("%s #%d: signature not verified", op, i+1)
		}
		if diff := cmp.Diff(body(t, want[i]), r.Map()); diff != "" {
			t.Errorf("%s #%d body (-want +got):\n%s", op, i+1, diff)
		}
	}
}

func manual() datablocks.WaitOptions {
	return datablocks.WaitOptions{Clock: datablocks.NewManualClock(time.Time{}), Jitter: func() float64 { return 0 }}
}

func TestWireEnsureDatabase(t *testing.T) {
	s, client := wireServer(t)
	exists := false
	s.HandleJSON("AWSGlue.GetDatabase", func(r *awsfake.Request) (any, error) {
		if !exists {
			return nil, &awsfake.Error{Code: "EntityNotFoundException", Message: "Database entities not found."}
		}
		return `{"Database":{"Name":"entities","CatalogId":"111122223333","LocationUri":"s3://bucket/entities-database/",
			"Description":"old","CreateTableDefaultPermissions":[],"CreateTime":1767225600,
			"Parameters":{"data_owner":"111122223333","pii_flag":"false","steward":"ana"}}}`, nil
	})
	s.HandleJSON("AWSGlue.CreateDatabase", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	s.HandleJSON("AWSGlue.UpdateDatabase", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	cat := glue.NewCatalog(client)
	db := glue.Database{Name: "entities", LocationURI: "s3://bucket/entities-database/", LakeFormation: true,
		Governance: glue.Governance{DataOwner: "111122223333"}}
	if got, err := cat.EnsureDatabase(context.Background(), db); err != nil || got.Action != datablocks.Created {
		t.Fatalf("EnsureDatabase = %q, %v", got, err)
	}
	exists = true
	db.Description = "new"
	if got, err := cat.EnsureDatabase(context.Background(), db); err != nil || got.Action != datablocks.Updated {
		t.Fatalf("EnsureDatabase = %q, %v", got, err)
	}
	checkBodies(t, s, "GetDatabase", `{"Name":"entities"}`, `{"Name":"entities"}`)
	checkBodies(t, s, "CreateDatabase", `{"DatabaseInput":{"Name":"entities","LocationUri":"s3://bucket/entities-database/",
		"CreateTableDefaultPermissions":[],"Parameters":{"data_owner":"111122223333","pii_flag":"false"}}}`)
	checkBodies(t, s, "UpdateDatabase", `{"Name":"entities","DatabaseInput":{"Name":"entities","Description":"new",
		"LocationUri":"s3://bucket/entities-database/","CreateTableDefaultPermissions":[],
		"Parameters":{"data_owner":"111122223333","pii_flag":"false","steward":"ana"}}}`)
}

func TestWireEnsureTable(t *testing.T) {
	s, client := wireServer(t)
	exists := false
	s.HandleJSON("AWSGlue.GetTable", func(r *awsfake.Request) (any, error) {
		if !exists {
			return nil, &awsfake.Error{Code: "EntityNotFoundException", Message: "Table customers not found."}
		}
		return `{"Table":{"Name":"customers","DatabaseName":"entities","VersionId":"3","TableType":"EXTERNAL_TABLE",
			"Parameters":{"EXTERNAL":"TRUE","classification":"csv"},"CreateTime":1767225600,
			"StorageDescriptor":{"Columns":[{"Name":"id","Type":"string"},{"Name":"email","Type":"string","Parameters":{"pii_flag":"true"}}],
			"Location":"s3://bucket/entities-database/customers/","InputFormat":"org.apache.hadoop.mapred.TextInputFormat",
			"OutputFormat":"org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat","Compressed":false,"NumberOfBuckets":-1,
			"SerdeInfo":{"SerializationLibrary":"org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe","Parameters":{"field.delim":",","serialization.format":","}}}}}`, nil
	})
	s.HandleJSON("AWSGlue.CreateTable", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	s.HandleJSON("AWSGlue.UpdateTable", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	cat := glue.NewCatalog(client)
	tbl := glue.Table{Database: "entities", Name: "customers", Location: "s3://bucket/entities-database/customers/", Format: glue.FormatCSV,
		Columns: []glue.Column{{Name: "id", Type: "string"}, {Name: "email", Type: "string"}}}
	if got, err := cat.EnsureTable(context.Background(), tbl); err != nil || got.Action != datablocks.Created {
		t.Fatalf("EnsureTable = %q, %v", got, err)
	}
	exists = true
	tbl.Columns = append(tbl.Columns, glue.Column{Name: "country", Type: "string", Comment: "ISO 3166"})
	if got, err := cat.EnsureTable(context.Background(), tbl); err != nil || got.Action != datablocks.Updated {
		t.Fatalf("EnsureTable = %q, %v", got, err)
	}
	checkBodies(t, s, "GetTable", `{"DatabaseName":"entities","Name":"customers"}`, `{"DatabaseName":"entities","Name":"customers"}`)
	// The CSV external table of the AWS "runtime roles for EMR steps" post.
	sd := `"Location":"s3://bucket/entities-database/customers/","InputFormat":"org.apache.hadoop.mapred.TextInputFormat",
		"OutputFormat":"org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
		"SerdeInfo":{"SerializationLibrary":"org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe","Parameters":{"field.delim":",","serialization.format":","}}`
	checkBodies(t, s, "CreateTable", `{"DatabaseName":"entities","TableInput":{"Name":"customers","TableType":"EXTERNAL_TABLE",
		"Parameters":{"EXTERNAL":"TRUE","classification":"csv"},
		"StorageDescriptor":{"Columns":[{"Name":"id","Type":"string"},{"Name":"email","Type":"string"}],`+sd+`}}}`)
	checkBodies(t, s, "UpdateTable", `{"DatabaseName":"entities","VersionId":"3","TableInput":{"Name":"customers","TableType":"EXTERNAL_TABLE",
		"Parameters":{"EXTERNAL":"TRUE","classification":"csv"},
		"StorageDescriptor":{"Columns":[{"Name":"id","Type":"string"},{"Name":"email","Type":"string","Parameters":{"pii_flag":"true"}},
		{"Name":"country","Type":"string","Comment":"ISO 3166"}],"NumberOfBuckets":-1,`+sd+`}}}`)
}

func TestWireCatalogReaderPages(t *testing.T) {
	s, client := wireServer(t)
	s.HandleJSON("AWSGlue.GetDatabases", func(r *awsfake.Request) (any, error) {
		if r.Map()["NextToken"] == nil {
			return `{"DatabaseList":[{"Name":"a"},{"Name":"b"}],"NextToken":"page2"}`, nil
		}
		return `{"DatabaseList":[{"Name":"c"}]}`, nil
	})
	s.HandleJSON("AWSGlue.GetTables", func(r *awsfake.Request) (any, error) {
		if r.Map()["NextToken"] == nil {
			return `{"TableList":[{"Name":"t1","DatabaseName":"a"}],"NextToken":"more"}`, nil
		}
		return `{"TableList":[{"Name":"t2","DatabaseName":"a"}]}`, nil
	})
	r := glue.NewCatalogReader(client, func(o *glue.Options) { o.CatalogID = "444455556666" })
	dbs, err := r.Databases(context.Background())
	if err != nil || len(dbs) != 3 {
		t.Fatalf("Databases = %d, %v; want 3 over two pages", len(dbs), err)
	}
	tables, err := r.Tables(context.Background(), "a")
	if err != nil || len(tables) != 2 {
		t.Fatalf("Tables = %d, %v; want 2 over two pages", len(tables), err)
	}
	checkBodies(t, s, "GetDatabases", `{"CatalogId":"444455556666"}`, `{"CatalogId":"444455556666","NextToken":"page2"}`)
	checkBodies(t, s, "GetTables", `{"CatalogId":"444455556666","DatabaseName":"a"}`, `{"CatalogId":"444455556666","DatabaseName":"a","NextToken":"more"}`)
}

func TestWireRegister(t *testing.T) {
	s, client := wireServer(t)
	var mu sync.Mutex
	polls := 0
	s.HandleJSON("AWSGlue.CreateSchema", func(r *awsfake.Request) (any, error) {
		return nil, &awsfake.Error{Code: "AlreadyExistsException", Message: "Schema already exists."}
	})
	s.HandleJSON("AWSGlue.GetSchema", func(r *awsfake.Request) (any, error) {
		return `{"RegistryName":"streaming","SchemaName":"users","SchemaArn":"arn:aws:glue:eu-west-1:111122223333:schema/streaming/users",
			"DataFormat":"AVRO","Compatibility":"BACKWARD","LatestSchemaVersion":1,"NextSchemaVersion":2,"SchemaStatus":"AVAILABLE"}`, nil
	})
	s.HandleJSON("AWSGlue.UpdateSchema", func(r *awsfake.Request) (any, error) {
		return `{"SchemaArn":"arn:aws:glue:eu-west-1:111122223333:schema/streaming/users","SchemaName":"users","RegistryName":"streaming"}`, nil
	})
	s.HandleJSON("AWSGlue.RegisterSchemaVersion", func(r *awsfake.Request) (any, error) {
		return `{"SchemaVersionId":"b2f4a1c0-0000-4000-8000-000000000002","VersionNumber":2,"Status":"PENDING"}`, nil
	})
	s.HandleJSON("AWSGlue.GetSchemaVersion", func(r *awsfake.Request) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		polls++
		status := "PENDING"
		if polls > 1 {
			status = "AVAILABLE"
		}
		return `{"SchemaVersionId":"b2f4a1c0-0000-4000-8000-000000000002","VersionNumber":2,"Status":"` + status + `",
			"DataFormat":"AVRO","SchemaArn":"arn:aws:glue:eu-west-1:111122223333:schema/streaming/users",
			"SchemaDefinition":"{\"type\":\"string\"}","CreatedTime":"2026-03-02T10:00:00.000Z"}`, nil
	})
	reg := glue.NewRegistry(client, func(o *glue.Options) { o.RegistryName = "streaming"; o.Wait = manual() })
	v, err := reg.Register(context.Background(), glue.Schema{Name: "users", DataFormat: types.DataFormatAvro,
		Compatibility: types.CompatibilityFull, Definition: `{"type":"string"}`})
	if err != nil {
		t.Fatal(err)
	}
	want := glue.Schema{Name: "users", ARN: "arn:aws:glue:eu-west-1:111122223333:schema/streaming/users",
		DataFormat: types.DataFormatAvro, Compatibility: types.CompatibilityFull, SchemaStatus: types.SchemaStatusAvailable, VersionID: "b2f4a1c0-0000-4000-8000-000000000002",
		Version: 2, Status: types.SchemaVersionStatusAvailable, Definition: `{"type":"string"}`, Created: "2026-03-02T10:00:00.000Z"}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("version (-want +got):\n%s", diff)
	}
	checkBodies(t, s, "CreateSchema", `{"RegistryId":{"RegistryName":"streaming"},"SchemaName":"users","DataFormat":"AVRO",
		"Compatibility":"FULL","SchemaDefinition":"{\"type\":\"string\"}"}`)
	checkBodies(t, s, "GetSchema", `{"SchemaId":{"RegistryName":"streaming","SchemaName":"users"}}`)
	checkBodies(t, s, "UpdateSchema", `{"SchemaId":{"RegistryName":"streaming","SchemaName":"users"},"Compatibility":"FULL"}`)
	checkBodies(t, s, "RegisterSchemaVersion", `{"SchemaId":{"RegistryName":"streaming","SchemaName":"users"},"SchemaDefinition":"{\"type\":\"string\"}"}`)
	checkBodies(t, s, "GetSchemaVersion", `{"SchemaVersionId":"b2f4a1c0-0000-4000-8000-000000000002"}`, `{"SchemaVersionId":"b2f4a1c0-0000-4000-8000-000000000002"}`)
}

func TestWireListSchemasAndValidity(t *testing.T) {
	s, client := wireServer(t)
	s.HandleJSON("AWSGlue.ListSchemas", func(r *awsfake.Request) (any, error) {
		if r.Map()["NextToken"] == nil {
			return `{"Schemas":[{"RegistryName":"streaming","SchemaName":"orders","SchemaStatus":"AVAILABLE"}],"NextToken":"n2"}`, nil
		}
		return `{"Schemas":[{"RegistryName":"streaming","SchemaName":"users","SchemaStatus":"AVAILABLE"}]}`, nil
	})
	s.HandleJSON("AWSGlue.GetSchema", func(r *awsfake.Request) (any, error) {
		name := r.Map()["SchemaId"].(map[string]any)["SchemaName"].(string)
		return `{"RegistryName":"streaming","SchemaName":"` + name + `","DataFormat":"JSON","Compatibility":"NONE","LatestSchemaVersion":4,"SchemaStatus":"AVAILABLE"}`, nil
	})
	s.HandleJSON("AWSGlue.GetSchemaVersion", func(r *awsfake.Request) (any, error) {
		return `{"SchemaVersionId":"v4","VersionNumber":4,"Status":"AVAILABLE","DataFormat":"JSON","SchemaDefinition":"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}"}`, nil
	})
	s.HandleJSON("AWSGlue.CheckSchemaVersionValidity", func(r *awsfake.Request) (any, error) {
		return `{"Valid":false,"Error":"Schema definition of JSON data format is invalid"}`, nil
	})
	reg := glue.NewRegistry(client, func(o *glue.Options) { o.RegistryName = "streaming" })
	schemas, err := reg.ListSchemas(context.Background())
	if err != nil || len(schemas) != 2 || schemas[1].Name != "users" || schemas[1].Version != 4 || schemas[1].Compatibility != types.CompatibilityNone {
		t.Fatalf("ListSchemas = %+v, %v", schemas, err)
	}
	cols, err := glue.ParseSchema(schemas[0].DataFormat, schemas[0].Definition)
	if err != nil || len(cols) != 1 || cols[0].Name != "id" {
		t.Errorf("columns = %+v, %v", cols, err)
	}
	checkBodies(t, s, "ListSchemas", `{"RegistryId":{"RegistryName":"streaming"}}`, `{"RegistryId":{"RegistryName":"streaming"},"NextToken":"n2"}`)
	checkBodies(t, s, "GetSchemaVersion",
		`{"SchemaId":{"RegistryName":"streaming","SchemaName":"orders"},"SchemaVersionNumber":{"LatestVersion":true}}`,
		`{"SchemaId":{"RegistryName":"streaming","SchemaName":"users"},"SchemaVersionNumber":{"LatestVersion":true}}`)
	err = reg.CheckValidity(context.Background(), types.DataFormatJson, `{"type":"objec"}`)
	var se *glue.SchemaError
	if !errors.As(err, &se) || se.Msg != "Schema definition of JSON data format is invalid" {
		t.Errorf("CheckValidity: err = %v", err)
	}
	checkBodies(t, s, "CheckSchemaVersionValidity", `{"DataFormat":"JSON","SchemaDefinition":"{\"type\":\"objec\"}"}`)
}

func TestWireEphemeralCrawler(t *testing.T) {
	s, client := wireServer(t)
	var mu sync.Mutex
	gets, deletes := 0, 0
	s.HandleJSON("AWSGlue.CreateCrawler", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	s.HandleJSON("AWSGlue.StartCrawler", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	s.HandleJSON("AWSGlue.GetCrawler", func(r *awsfake.Request) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		gets++
		if gets == 1 {
			return `{"Crawler":{"Name":"c_sales","State":"RUNNING","CrawlElapsedTime":5000}}`, nil
		}
		return `{"Crawler":{"Name":"c_sales","State":"READY","LastCrawl":{"Status":"SUCCEEDED","StartTime":1772445600,
			"LogGroup":"/aws-glue/crawlers","LogStream":"c_sales","MessagePrefix":"5c4e0001"}}}`, nil
	})
	s.HandleJSON("AWSGlue.GetCrawlerMetrics", func(r *awsfake.Request) (any, error) {
		return `{"CrawlerMetricsList":[{"CrawlerName":"c_sales","TablesCreated":4,"TablesUpdated":1,"TablesDeleted":0,"LastRuntimeSeconds":61.5,"MedianRuntimeSeconds":61.5}]}`, nil
	})
	s.HandleJSON("AWSGlue.DeleteCrawler", func(r *awsfake.Request) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		deletes++
		if deletes == 1 {
			return nil, &awsfake.Error{Code: "CrawlerRunningException", Message: "Crawler with name c_sales has already started"}
		}
		return `{}`, nil
	})
	s.HandleJSON("AWSGlue.StopCrawler", func(r *awsfake.Request) (any, error) {
		return nil, &awsfake.Error{Code: "CrawlerNotRunningException", Message: "Crawler with name c_sales isn't running"}
	})
	r := glue.NewCrawlerRunner(client, func(o *glue.Options) { o.Wait = manual() })
	res, err := r.RunEphemeral(context.Background(), glue.EphemeralCrawler{Name: "c_sales", Role: "AWSGlueServiceRole-sales", Database: "sales",
		S3Paths: []string{"s3://producer/sales/"}, Exclusions: []string{"**/_temporary/**"}, LakeFormation: true})
	if err != nil {
		t.Fatal(err)
	}
	want := glue.CrawlResult{Status: types.LastCrawlStatusSucceeded, LogGroup: "/aws-glue/crawlers", LogStream: "c_sales",
		TablesCreated: 4, TablesUpdated: 1, LastRuntime: 61500 * time.Millisecond, Deleted: true}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	checkBodies(t, s, "CreateCrawler", `{"Name":"c_sales","Role":"AWSGlueServiceRole-sales","DatabaseName":"sales",
		"Targets":{"S3Targets":[{"Path":"s3://producer/sales/","Exclusions":["**/_temporary/**"]}]},
		"LakeFormationConfiguration":{"UseLakeFormationCredentials":true}}`)
	checkBodies(t, s, "StartCrawler", `{"Name":"c_sales"}`)
	checkBodies(t, s, "GetCrawler", `{"Name":"c_sales"}`, `{"Name":"c_sales"}`)
	checkBodies(t, s, "GetCrawlerMetrics", `{"CrawlerNameList":["c_sales"]}`)
	checkBodies(t, s, "StopCrawler", `{"Name":"c_sales"}`)
	checkBodies(t, s, "DeleteCrawler", `{"Name":"c_sales"}`, `{"Name":"c_sales"}`)
}

func TestWireJobRun(t *testing.T) {
	s, client := wireServer(t)
	var mu sync.Mutex
	gets := 0
	s.HandleJSON("AWSGlue.StartJobRun", func(r *awsfake.Request) (any, error) {
		return `{"JobRunId":"jr_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}`, nil
	})
	s.HandleJSON("AWSGlue.GetJobRun", func(r *awsfake.Request) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		gets++
		if gets == 1 {
			return `{"JobRun":{"Id":"jr_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","JobName":"j_load","JobRunState":"RUNNING","StartedOn":1772445600}}`, nil
		}
		return `{"JobRun":{"Id":"jr_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","JobName":"j_load","JobRunState":"FAILED",
			"ErrorMessage":"AnalysisException: Path does not exist: s3://raw/orders","Attempt":0,"ExecutionTime":95,
			"StartedOn":1772445600,"CompletedOn":1772445710}}`, nil
	})
	r := glue.NewJobRunner(client, func(o *glue.Options) { o.Wait = manual() })
	res, err := r.Run(context.Background(), glue.JobRun{JobName: "j_load", Arguments: map[string]string{"--source.table.name": "orders"},
		WorkerType: types.WorkerTypeG1x, NumberOfWorkers: 10, Timeout: 30 * time.Minute, ExecutionClass: types.ExecutionClassFlex})
	var fe *glue.JobRunFailedError
	if !errors.As(err, &fe) || fe.Run.JobRunState != types.JobRunStateFailed || aws.ToString(fe.Run.ErrorMessage) != "AnalysisException: Path does not exist: s3://raw/orders" {
		t.Fatalf("err = %v, want *glue.JobRunFailedError", err)
	}
	if res.ExecutionTime != 95 || res.CompletedOn.Sub(*res.StartedOn) != 110*time.Second {
		t.Errorf("result = %+v", res)
	}
	checkBodies(t, s, "StartJobRun", `{"JobName":"j_load","Arguments":{"--source.table.name":"orders"},"WorkerType":"G.1X",
		"NumberOfWorkers":10,"Timeout":30,"ExecutionClass":"FLEX"}`)
	id := `"RunId":"jr_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"`
	checkBodies(t, s, "GetJobRun", `{"JobName":"j_load",`+id+`}`, `{"JobName":"j_load",`+id+`}`)
}

func TestWireWorkflowRun(t *testing.T) {
	s, client := wireServer(t)
	runID := "wr_1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988"
	s.HandleJSON("AWSGlue.StartWorkflowRun", func(r *awsfake.Request) (any, error) { return `{"RunId":"` + runID + `"}`, nil })
	s.HandleJSON("AWSGlue.GetWorkflowRun", func(r *awsfake.Request) (any, error) {
		return `{"Run":{"Name":"Covid_19","WorkflowRunId":"` + runID + `","Status":"COMPLETED","StartedOn":1772445600,"CompletedOn":1772446079,
			"Statistics":{"TotalActions":7,"SucceededActions":7,"FailedActions":0,"StoppedActions":0,"TimeoutActions":0,"ErroredActions":0,"RunningActions":0,"WaitingActions":0}}}`, nil
	})
	r := glue.NewWorkflowRunner(client, func(o *glue.Options) { o.Wait = manual() })
	res, err := r.Run(context.Background(), "Covid_19", map[string]string{"run_date": "2026-03-01"})
	if err != nil || !glue.WorkflowSucceeded(res) || res.CompletedOn.Sub(*res.StartedOn) != 7*time.Minute+59*time.Second || res.Statistics.TotalActions != 7 {
		t.Fatalf("Run = %+v, %v", res, err)
	}
	checkBodies(t, s, "StartWorkflowRun", `{"Name":"Covid_19","RunProperties":{"run_date":"2026-03-01"}}`)
	checkBodies(t, s, "GetWorkflowRun", `{"Name":"Covid_19","RunId":"`+runID+`"}`)
}
