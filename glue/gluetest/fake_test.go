package gluetest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/glue/internal/conformance"
	"github.com/datablocks-go/datablocks/internal/poll"
	"github.com/datablocks-go/datablocks/localaws"
)

type fakeHarness struct{ f *gluetest.Fake }

func (h fakeHarness) Client() conformance.Client { return h.f }
func (h fakeHarness) Prefix() string             { return "conf_" }
func (h fakeHarness) Close()                     {}
func (h fakeHarness) Clock() datablocks.Clock    { return h.f.Clock() }

func TestConformance(t *testing.T) {
	conformance.RunConformanceTests(t, func(_ context.Context, t *testing.T) (conformance.Harness, error) {
		return fakeHarness{gluetest.New(func(o *gluetest.Options) { o.Clock = datablocks.NewManualClock(time0) })}, nil
	})
}

// wireHarness serves a fake through localaws to the real SDK client.
type wireHarness struct {
	f      *gluetest.Fake
	srv    *localaws.Server
	client *awsglue.Client
}

func (h wireHarness) Client() conformance.Client { return h.client }
func (h wireHarness) Prefix() string             { return "conf_" }
func (h wireHarness) Close()                     {} // the server stops after the subtest's cleanups

func (h wireHarness) Clock() datablocks.Clock { return h.f.Clock() }

// The same suite through the real Glue client over the wire: awsJson1_1, SigV4, typed errors.
func TestConformanceOverTheWire(t *testing.T) {
	conformance.RunConformanceTests(t, func(_ context.Context, t *testing.T) (conformance.Harness, error) {
		f := gluetest.New(func(o *gluetest.Options) { o.Clock = datablocks.NewManualClock(time0) })
		srv, err := localaws.Start([]localaws.Service{f.Service()})
		if err != nil {
			return nil, err
		}
		t.Cleanup(srv.Close) // registered first, so it runs after the suite's own cleanups
		return wireHarness{f: f, srv: srv, client: awsglue.NewFromConfig(srv.Config())}, nil
	})
}

func newTestFake(optFns ...func(*gluetest.Options)) (*gluetest.Fake, *datablocks.ManualClock) {
	clock := datablocks.NewManualClock(time0)
	return gluetest.New(append([]func(*gluetest.Options){func(o *gluetest.Options) { o.Clock = clock }}, optFns...)...), clock
}

// The control semantics are fakecontrol's and tested there; this checks the fake runs every
// operation through them: a control intercepts, a fall-through reaches the fake's own
// behavior, and both are logged.
func TestControlsAreWired(t *testing.T) {
	ctx := context.Background()
	f, _ := newTestFake()
	var seen []string
	f.KeepControl(gluetest.OpGetDatabase, func(in any) (any, error, bool) {
		seen = append(seen, aws.ToString(in.(*awsglue.GetDatabaseInput).Name))
		return nil, nil, false
	})
	f.Control(gluetest.OpGetDatabase, func(in any) (any, error, bool) {
		return &awsglue.GetDatabaseOutput{Database: &types.Database{Name: aws.String("scripted")}}, nil, true
	})
	out, err := f.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String("a")})
	if err != nil || aws.ToString(out.Database.Name) != "scripted" {
		t.Fatalf("first call = %v, %v; want the scripted database", out, err)
	}
	var nf *types.EntityNotFoundException
	if _, err := f.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String("b")}); !errors.As(err, &nf) {
		t.Errorf("second call: err = %v, want the fake's own EntityNotFoundException", err)
	}
	if fmt.Sprint(seen) != "[a b]" {
		t.Errorf("observer saw %v, want [a b]", seen)
	}
	calls := f.Calls()
	if len(calls) != 2 || calls[0].Op != "GetDatabase" || calls[0].Err != nil || !errors.As(calls[1].Err, &nf) {
		t.Errorf("call log = %+v", calls)
	}
}

func TestFailNextAndThrottle(t *testing.T) {
	ctx := context.Background()
	f, _ := newTestFake()
	boom := errors.New("boom")
	f.FailNext(gluetest.OpCreateDatabase, boom)
	in := &awsglue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("db")}}
	if _, err := f.CreateDatabase(ctx, in); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the injected error", err)
	}
	if _, err := f.CreateDatabase(ctx, in); err != nil {
		t.Errorf("after the injected failure: %v", err)
	}
	f.ThrottleNext(gluetest.OpGetDatabases, 2)
	var th *types.ThrottlingException
	for i := range 2 {
		if _, err := f.GetDatabases(ctx, &awsglue.GetDatabasesInput{}); !errors.As(err, &th) || !poll.IsThrottle(err) {
			t.Errorf("call %d: err = %v, want a throttle", i, err)
		}
	}
	if _, err := f.GetDatabases(ctx, &awsglue.GetDatabasesInput{}); err != nil {
		t.Errorf("after throttling: %v", err)
	}
	if f.Count(gluetest.OpGetDatabases) != 3 {
		t.Errorf("Count = %d, want 3", f.Count(gluetest.OpGetDatabases))
	}
}

func TestCatalogNamesAndCatalogs(t *testing.T) {
	ctx := context.Background()
	f, _ := newTestFake()
	if _, err := f.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("Sales")}}); err != nil {
		t.Fatal(err)
	}
	out, err := f.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String("SALES")})
	if err != nil || aws.ToString(out.Database.Name) != "sales" || aws.ToString(out.Database.CatalogId) != "123456789012" {
		t.Errorf("GetDatabase(SALES) = %+v, %v; want the lower-cased database in the default catalog", out, err)
	}
	perms := out.Database.CreateTableDefaultPermissions
	if len(perms) != 1 || aws.ToString(perms[0].Principal.DataLakePrincipalIdentifier) != "IAM_ALLOWED_PRINCIPALS" {
		t.Errorf("default permissions = %+v", perms)
	}
	var nf *types.EntityNotFoundException
	if _, err := f.GetDatabase(ctx, &awsglue.GetDatabaseInput{CatalogId: aws.String("444455556666"), Name: aws.String("sales")}); !errors.As(err, &nf) {
		t.Errorf("other catalog: err = %v, want EntityNotFoundException", err)
	}
	if _, err := f.GetDatabases(ctx, &awsglue.GetDatabasesInput{NextToken: aws.String("garbage")}); err == nil {
		t.Error("a forged NextToken was accepted")
	}
	// Mutating a returned value does not change the fake's state.
	out.Database.Parameters = map[string]string{"x": "y"}
	again, _ := f.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String("sales")})
	if len(again.Database.Parameters) != 0 {
		t.Error("returned database aliases the fake's state")
	}
	if _, err := f.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("sales"), TableInput: &types.TableInput{Name: aws.String("t")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.UpdateTable(ctx, &awsglue.UpdateTableInput{DatabaseName: aws.String("sales"), TableInput: &types.TableInput{Name: aws.String("t"), Description: aws.String("v1")}}); err != nil {
		t.Fatal(err)
	}
	versions, ok := f.TableVersions("", "sales", "t")
	if !ok || len(versions) != 2 || aws.ToString(versions[1].VersionId) != "1" || aws.ToString(versions[1].Description) != "v1" {
		t.Errorf("TableVersions = %+v, %v", versions, ok)
	}
}

func TestSchemaVersionStateMachine(t *testing.T) {
	ctx := context.Background()
	f, clock := newTestFake(func(o *gluetest.Options) { o.SchemaVersionDelay = 5 * time.Second })
	out, err := f.CreateSchema(ctx, &awsglue.CreateSchemaInput{SchemaName: aws.String("s"), DataFormat: types.DataFormatAvro,
		SchemaDefinition: aws.String(`{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}`)})
	if err != nil || out.SchemaVersionStatus != types.SchemaVersionStatusPending || out.Compatibility != types.CompatibilityBackward {
		t.Fatalf("CreateSchema = %+v, %v; want PENDING under the default BACKWARD", out, err)
	}
	get := func(id *string) types.SchemaVersionStatus {
		v, err := f.GetSchemaVersion(ctx, &awsglue.GetSchemaVersionInput{SchemaVersionId: id})
		if err != nil {
			t.Fatal(err)
		}
		return v.Status
	}
	clock.Advance(4 * time.Second)
	if s := get(out.SchemaVersionId); s != types.SchemaVersionStatusPending {
		t.Errorf("after 4s: %s, want PENDING", s)
	}
	clock.Advance(time.Second)
	if s := get(out.SchemaVersionId); s != types.SchemaVersionStatusAvailable {
		t.Errorf("after 5s: %s, want AVAILABLE", s)
	}
	// Changing the field type to string breaks BACKWARD.
	bad, err := f.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: &types.SchemaId{SchemaName: aws.String("s"), RegistryName: aws.String("default-registry")},
		SchemaDefinition: aws.String(`{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}`)})
	if err != nil || bad.Status != types.SchemaVersionStatusPending || aws.ToInt64(bad.VersionNumber) != 2 {
		t.Fatalf("RegisterSchemaVersion = %+v, %v", bad, err)
	}
	clock.Advance(5 * time.Second)
	if s := get(bad.SchemaVersionId); s != types.SchemaVersionStatusFailure {
		t.Errorf("incompatible version: %s, want FAILURE", s)
	}
	if r := f.SchemaVersionFailure(aws.ToString(bad.SchemaVersionId)); r == "" {
		t.Error("no failure reason recorded")
	}
	var ie *types.InvalidInputException
	if _, err := f.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: &types.SchemaId{SchemaName: aws.String("s"), RegistryName: aws.String("default-registry")},
		SchemaDefinition: aws.String(`{"type":`)}); !errors.As(err, &ie) {
		t.Errorf("malformed definition: err = %v, want *types.InvalidInputException", err)
	}
	// DISABLED refuses every new version.
	if _, err := f.UpdateSchema(ctx, &awsglue.UpdateSchemaInput{SchemaId: &types.SchemaId{SchemaName: aws.String("s"), RegistryName: aws.String("default-registry")}, Compatibility: types.CompatibilityDisabled}); err != nil {
		t.Fatal(err)
	}
	dis, _ := f.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: &types.SchemaId{SchemaName: aws.String("s"), RegistryName: aws.String("default-registry")},
		SchemaDefinition: aws.String(`{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}`)})
	clock.Advance(5 * time.Second)
	if s := get(dis.SchemaVersionId); s != types.SchemaVersionStatusFailure {
		t.Errorf("version under DISABLED: %s, want FAILURE", s)
	}
	var nf *types.EntityNotFoundException
	if _, err := f.ListSchemas(ctx, &awsglue.ListSchemasInput{RegistryId: &types.RegistryId{RegistryName: aws.String("nope")}}); !errors.As(err, &nf) {
		t.Errorf("ListSchemas of a missing registry: err = %v", err)
	}
}

func TestCrawlerStateMachine(t *testing.T) {
	ctx := context.Background()
	f, clock := newTestFake()
	name := aws.String("c")
	if _, err := f.CreateCrawler(ctx, &awsglue.CreateCrawlerInput{Name: name, Role: aws.String("r"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://b/")}}}}); err != nil {
		t.Fatal(err)
	}
	f.ScriptCrawls("c", gluetest.CrawlScript{Duration: time.Minute, TablesCreated: 2})
	state := func() (types.CrawlerState, *types.LastCrawlInfo) {
		out, err := f.GetCrawler(ctx, &awsglue.GetCrawlerInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return out.Crawler.State, out.Crawler.LastCrawl
	}
	if s, lc := state(); s != types.CrawlerStateReady || lc != nil {
		t.Errorf("new crawler: %s %+v", s, lc)
	}
	if _, err := f.StartCrawler(ctx, &awsglue.StartCrawlerInput{Name: name}); err != nil {
		t.Fatal(err)
	}
	var running *types.CrawlerRunningException
	if _, err := f.StartCrawler(ctx, &awsglue.StartCrawlerInput{Name: name}); !errors.As(err, &running) {
		t.Errorf("second start: err = %v, want *types.CrawlerRunningException", err)
	}
	if _, err := f.DeleteCrawler(ctx, &awsglue.DeleteCrawlerInput{Name: name}); !errors.As(err, &running) {
		t.Errorf("delete while running: err = %v, want *types.CrawlerRunningException", err)
	}
	for _, step := range []struct {
		advance time.Duration
		want    types.CrawlerState
	}{{30 * time.Second, types.CrawlerStateRunning}, {30 * time.Second, types.CrawlerStateStopping}, {10 * time.Second, types.CrawlerStateReady}} {
		clock.Advance(step.advance)
		if s, _ := state(); s != step.want {
			t.Errorf("at +%s: %s, want %s", clock.Now().Sub(time0), s, step.want)
		}
	}
	if _, lc := state(); lc == nil || lc.Status != types.LastCrawlStatusSucceeded {
		t.Errorf("LastCrawl = %+v, want SUCCEEDED", lc)
	}
	// A second crawl, stopped: previous LastCrawl while running, CANCELLED afterwards.
	if _, err := f.StartCrawler(ctx, &awsglue.StartCrawlerInput{Name: name}); err != nil {
		t.Fatal(err)
	}
	if s, lc := state(); s != types.CrawlerStateRunning || lc == nil || lc.Status != types.LastCrawlStatusSucceeded {
		t.Errorf("second crawl running: %s %+v; want RUNNING with the previous crawl", s, lc)
	}
	if _, err := f.StopCrawler(ctx, &awsglue.StopCrawlerInput{Name: name}); err != nil {
		t.Fatal(err)
	}
	var stopping *types.CrawlerStoppingException
	if _, err := f.StopCrawler(ctx, &awsglue.StopCrawlerInput{Name: name}); !errors.As(err, &stopping) {
		t.Errorf("stop while stopping: err = %v", err)
	}
	clock.Advance(10 * time.Second)
	if s, lc := state(); s != types.CrawlerStateReady || lc.Status != types.LastCrawlStatusCancelled {
		t.Errorf("after stop: %s %+v; want READY/CANCELLED", s, lc)
	}
	var notRunning *types.CrawlerNotRunningException
	if _, err := f.StopCrawler(ctx, &awsglue.StopCrawlerInput{Name: name}); !errors.As(err, &notRunning) {
		t.Errorf("stop when ready: err = %v", err)
	}
	m, err := f.GetCrawlerMetrics(ctx, &awsglue.GetCrawlerMetricsInput{CrawlerNameList: []string{"c"}})
	if err != nil || len(m.CrawlerMetricsList) != 1 || m.CrawlerMetricsList[0].MedianRuntimeSeconds != 30 {
		t.Errorf("metrics = %+v, %v; want the median of 60s and 0s runs", m, err)
	}
	if _, err := f.DeleteCrawler(ctx, &awsglue.DeleteCrawlerInput{Name: name}); err != nil {
		t.Errorf("delete when ready: %v", err)
	}
}

func TestJobAndWorkflowStateMachines(t *testing.T) {
	ctx := context.Background()
	f, clock := newTestFake()
	if _, err := f.CreateJob(ctx, &awsglue.CreateJobInput{Name: aws.String("j"), Role: aws.String("r"), Command: &types.JobCommand{Name: aws.String("glueetl")},
		ExecutionProperty: &types.ExecutionProperty{MaxConcurrentRuns: 2}}); err != nil {
		t.Fatal(err)
	}
	f.ScriptJobRuns("j", gluetest.JobScript{Starting: 5 * time.Second, Running: time.Minute, Final: types.JobRunStateStopped})
	run, err := f.StartJobRun(ctx, &awsglue.StartJobRunInput{JobName: aws.String("j")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.StartJobRun(ctx, &awsglue.StartJobRunInput{JobName: aws.String("j")}); err != nil {
		t.Errorf("second concurrent run under MaxConcurrentRuns=2: %v", err)
	}
	var ce *types.ConcurrentRunsExceededException
	if _, err := f.StartJobRun(ctx, &awsglue.StartJobRunInput{JobName: aws.String("j")}); !errors.As(err, &ce) {
		t.Errorf("third run: err = %v, want *types.ConcurrentRunsExceededException", err)
	}
	for _, step := range []struct {
		advance time.Duration
		want    types.JobRunState
	}{{0, types.JobRunStateStarting}, {5 * time.Second, types.JobRunStateRunning}, {time.Minute, types.JobRunStateStopping}, {10 * time.Second, types.JobRunStateStopped}} {
		clock.Advance(step.advance)
		out, err := f.GetJobRun(ctx, &awsglue.GetJobRunInput{JobName: aws.String("j"), RunId: run.JobRunId})
		if err != nil || out.JobRun.JobRunState != step.want {
			t.Errorf("at +%s: %v, %v; want %s", clock.Now().Sub(time0), out.JobRun.JobRunState, err, step.want)
		}
	}
	if _, err := f.CreateWorkflow(ctx, &awsglue.CreateWorkflowInput{Name: aws.String("w"), MaxConcurrentRuns: aws.Int32(1),
		DefaultRunProperties: map[string]string{"env": "dev", "day": "1"}}); err != nil {
		t.Fatal(err)
	}
	wr, err := f.StartWorkflowRun(ctx, &awsglue.StartWorkflowRunInput{Name: aws.String("w"), RunProperties: map[string]string{"day": "2"}})
	if err != nil || len(aws.ToString(wr.RunId)) != 67 {
		t.Fatalf("StartWorkflowRun = %+v, %v", wr, err)
	}
	if _, err := f.StartWorkflowRun(ctx, &awsglue.StartWorkflowRunInput{Name: aws.String("w")}); !errors.As(err, &ce) {
		t.Errorf("second workflow run: err = %v, want *types.ConcurrentRunsExceededException", err)
	}
	out, _ := f.GetWorkflowRun(ctx, &awsglue.GetWorkflowRunInput{Name: aws.String("w"), RunId: wr.RunId})
	if out.Run.Status != types.WorkflowRunStatusRunning || out.Run.WorkflowRunProperties["day"] != "2" || out.Run.WorkflowRunProperties["env"] != "dev" {
		t.Errorf("run = %+v", out.Run)
	}
	clock.Advance(8 * time.Minute)
	out, _ = f.GetWorkflowRun(ctx, &awsglue.GetWorkflowRunInput{Name: aws.String("w"), RunId: wr.RunId})
	if out.Run.Status != types.WorkflowRunStatusCompleted || out.Run.Statistics.SucceededActions != 1 || out.Run.CompletedOn == nil {
		t.Errorf("finished run = %+v", out.Run)
	}
}

func TestFakeIsConcurrencySafe(t *testing.T) {
	ctx := context.Background()
	f, _ := newTestFake()
	if _, err := f.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("db")}}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("t%d", i)
			_, _ = f.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("db"), TableInput: &types.TableInput{Name: aws.String(name)}})
			_, _ = f.GetTables(ctx, &awsglue.GetTablesInput{DatabaseName: aws.String("db")})
			_ = f.Calls()
		}()
	}
	wg.Wait()
	if n := f.Count(gluetest.OpCreateTable); n != 8 {
		t.Errorf("CreateTable calls = %d, want 8", n)
	}
}

// Schema evolutions the Glue developer guide documents per mode ("Schema versioning and
// compatibility"), enforced by the fake's registry on Avro versions.
func TestRegistryEnforcesDocumentedEvolutions(t *testing.T) {
	const v1 = `{"type":"record","name":"Payment","namespace":"com.acme","fields":[
		{"name":"id","type":"string"},{"name":"amount","type":"double"},{"name":"memo","type":["null","string"],"default":null}]}`
	evolutions := map[string]string{
		// Adding an optional field.
		"add optional": `{"type":"record","name":"Payment","namespace":"com.acme","fields":[
			{"name":"id","type":"string"},{"name":"amount","type":"double"},{"name":"memo","type":["null","string"],"default":null},
			{"name":"currency","type":"string","default":"EUR"}]}`,
		// Adding a field without a default.
		"add required": `{"type":"record","name":"Payment","namespace":"com.acme","fields":[
			{"name":"id","type":"string"},{"name":"amount","type":"double"},{"name":"memo","type":["null","string"],"default":null},
			{"name":"currency","type":"string"}]}`,
		// Deleting the optional field memo.
		"delete optional": `{"type":"record","name":"Payment","namespace":"com.acme","fields":[
			{"name":"id","type":"string"},{"name":"amount","type":"double"}]}`,
		// Deleting the required field amount.
		"delete required": `{"type":"record","name":"Payment","namespace":"com.acme","fields":[
			{"name":"id","type":"string"},{"name":"memo","type":["null","string"],"default":null}]}`,
	}
	// Allowed per the guide: BACKWARD — delete fields, add optional fields; FORWARD — add
	// fields, delete optional fields; FULL — add or delete optional fields; NONE — all.
	allowed := map[types.Compatibility]map[string]bool{
		types.CompatibilityBackward: {"add optional": true, "add required": false, "delete optional": true, "delete required": true},
		types.CompatibilityForward:  {"add optional": true, "add required": true, "delete optional": true, "delete required": false},
		types.CompatibilityFull:     {"add optional": true, "add required": false, "delete optional": true, "delete required": false},
		types.CompatibilityNone:     {"add optional": true, "add required": true, "delete optional": true, "delete required": true},
		types.CompatibilityDisabled: {"add optional": false, "add required": false, "delete optional": false, "delete required": false},
	}
	ctx := context.Background()
	for mode, cases := range allowed {
		for change, ok := range cases {
			f, clock := newTestFake()
			name := aws.String("payments")
			if _, err := f.CreateSchema(ctx, &awsglue.CreateSchemaInput{SchemaName: name, DataFormat: types.DataFormatAvro, Compatibility: mode, SchemaDefinition: aws.String(v1)}); err != nil {
				t.Fatal(err)
			}
			clock.Advance(3 * time.Second)
			out, err := f.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{
				SchemaId: &types.SchemaId{RegistryName: aws.String("default-registry"), SchemaName: name}, SchemaDefinition: aws.String(evolutions[change])})
			if err != nil {
				t.Fatalf("%s %s: %v", mode, change, err)
			}
			clock.Advance(3 * time.Second)
			v, _ := f.GetSchemaVersion(ctx, &awsglue.GetSchemaVersionInput{SchemaVersionId: out.SchemaVersionId})
			want := types.SchemaVersionStatusAvailable
			if !ok {
				want = types.SchemaVersionStatusFailure
			}
			if v.Status != want {
				t.Errorf("%s, %s: %s, want %s (%s)", mode, change, v.Status, want, f.SchemaVersionFailure(aws.ToString(out.SchemaVersionId)))
			}
		}
	}
}

// A misspelled operation name fails the test that uses it instead of doing nothing.
func TestUnknownOperationNamePanics(t *testing.T) {
	f := gluetest.New()
	defer func() {
		if recover() == nil {
			t.Error(`FailNext(gluetest.OpStartJobRuns) did not panic`)
		}
	}()
	f.FailNext("StartJobRuns", errors.New("x"))
}

// A read of a run that only the fake's time can finish reports a stall when nothing moves
// the clock, instead of letting a wait spin until its deadline.
func TestStalledClockIsReported(t *testing.T) {
	ctx := context.Background()
	f := gluetest.New()
	if _, err := f.CreateJob(ctx, &awsglue.CreateJobInput{Name: aws.String("j"), Role: aws.String("arn:aws:iam::111122223333:role/r"),
		Command: &types.JobCommand{Name: aws.String("glueetl"), ScriptLocation: aws.String("s3://b/j.py")}}); err != nil {
		t.Fatal(err)
	}
	run, err := f.StartJobRun(ctx, &awsglue.StartJobRunInput{JobName: aws.String("j")})
	if err != nil {
		t.Fatal(err)
	}
	var last error
	for range 5 {
		_, last = f.GetJobRun(ctx, &awsglue.GetJobRunInput{JobName: aws.String("j"), RunId: run.JobRunId})
	}
	if last == nil || !strings.Contains(last.Error(), "FakeClockStalled") {
		t.Fatalf("err = %v, want the stall report", last)
	}
	f.Clock().(*datablocks.ManualClock).Advance(time.Hour)
	out, err := f.GetJobRun(ctx, &awsglue.GetJobRunInput{JobName: aws.String("j"), RunId: run.JobRunId})
	if err != nil || out.JobRun.JobRunState != types.JobRunStateSucceeded {
		t.Errorf("after an hour: %v, %v; want SUCCEEDED", out, err)
	}
}

// Constraints of the Glue API reference, checked by the fake on its own (not by package glue).
func TestAPIConstraints(t *testing.T) {
	ctx := context.Background()
	f := gluetest.New()
	if _, err := f.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("db")}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"database name with a newline (NameString pattern)", func() error {
			_, err := f.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("a\nb")}})
			return err
		}, "at 'databaseInput.name' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"database name of 256 characters", func() error {
			_, err := f.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String(strings.Repeat("a", 256))}})
			return err
		}, "Member must have length less than or equal to 255"},
		{"NUL in a column name", func() error {
			_, err := f.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("db"), TableInput: &types.TableInput{Name: aws.String("t"),
				StorageDescriptor: &types.StorageDescriptor{Columns: []types.Column{{Name: aws.String("a\x00")}}}}})
			return err
		}, "at 'tableInput.storageDescriptor.columns.1.member.name'"},
		{"column comment of 256 characters", func() error {
			_, err := f.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("db"), TableInput: &types.TableInput{Name: aws.String("t"),
				StorageDescriptor: &types.StorageDescriptor{Columns: []types.Column{{Name: aws.String("a"), Comment: aws.String(strings.Repeat("c", 256))}}}}})
			return err
		}, "columns.1.member.comment' failed to satisfy constraint: Member must have length less than or equal to 255"},
		{"registry name with a space", func() error {
			_, err := f.CreateRegistry(ctx, &awsglue.CreateRegistryInput{RegistryName: aws.String("my registry")})
			return err
		}, "at 'registryName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_$#.]+"},
		{"worker type", func() error {
			_, err := f.StartJobRun(ctx, &awsglue.StartJobRunInput{JobName: aws.String("j"), WorkerType: "G1.X"})
			return err
		}, "at 'workerType' failed to satisfy constraint: Member must satisfy enum value set"},
		{"page size", func() error {
			_, err := f.GetDatabases(ctx, &awsglue.GetDatabasesInput{MaxResults: aws.Int32(101)})
			return err
		}, "Member must have value between 1 and 100"},
	}
	for _, tc := range tests {
		err := tc.call()
		var ie *types.InvalidInputException
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want an InvalidInputException containing %q", tc.name, err, tc.want)
		}
	}
}
