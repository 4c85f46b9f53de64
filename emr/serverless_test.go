package emr_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// startedRuns counts the job runs a fake started, from its call log: the distinct client
// tokens of the StartJobRun calls it accepted (one token starts one run, however many calls
// carry it).
func startedRuns(calls []fakecontrol.Call) int {
	tokens := map[string]bool{}
	for _, c := range calls {
		if c.Err != nil {
			continue
		}
		switch in := c.Input.(type) {
		case *emrserverless.StartJobRunInput:
			tokens[aws.ToString(in.ClientToken)] = true
		case *emrcontainers.StartJobRunInput:
			tokens[aws.ToString(in.ClientToken)] = true
		}
	}
	return len(tokens)
}

const jobRole = "arn:aws:iam::123456789012:role/emr-serverless-job"

type serverlessEnv struct {
	clock  *datablocks.ManualClock
	fake   *emrtest.Serverless
	runner *emr.ServerlessRunner
	events *[]datablocks.Progress
}

func newServerlessEnv(t *testing.T, optFns ...func(*emr.Options)) serverlessEnv {
	t.Helper()
	fake := emrtest.NewServerless(func(o *emrtest.Options) { o.PageSize = 2 })
	clock := fake.Clock().(*datablocks.ManualClock) // the runner waits on the fake's own clock
	var events []datablocks.Progress
	runner := emr.NewServerlessRunner(fake, append([]func(*emr.Options){func(o *emr.Options) {
		o.Wait.Jitter = func() float64 { return 0 }
		o.Wait.OnProgress = func(p datablocks.Progress) { events = append(events, p) }
	}}, optFns...)...)
	return serverlessEnv{clock: clock, fake: fake, runner: runner, events: &events}
}

func (e serverlessEnv) states(id string) []string {
	var out []string
	for _, p := range *e.events {
		if p.ID == id {
			out = append(out, p.State)
		}
	}
	return out
}

func pySpark() emr.SparkSubmit {
	return emr.SparkSubmit{EntryPoint: "s3://code/etl.py", Args: []string{"--day", "2026-01-01"}}.WithGlueCatalog()
}

func TestServerlessSuccess(t *testing.T) {
	ctx := context.Background()
	env := newServerlessEnv(t)
	app := env.fake.AddApplication(emrtest.ApplicationConfig{State: types.ApplicationStateStarted})
	id, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark(), Name: "etl",
		Tags: map[string]string{"team": "data"}, ExecutionTimeout: 90*time.Minute + time.Second,
		LogURI: "s3://logs/serverless/", CloudWatchLogGroup: "/aws/emr-serverless/etl",
		SparkDefaults: map[string]string{"spark.driver.extraJavaOptions": "-Da=1 -Db=2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	state, err := env.runner.Wait(ctx, app, id)
	if err != nil || state != "SUCCESS" {
		t.Fatalf("Wait = %q, %v", state, err)
	}
	// The fake's run takes DefaultRunDuration (1m): SUBMITTED, PENDING, SCHEDULED and RUNNING
	// 15 s each. With jitter 0 every delay is the 2 s minimum, so check n runs at 2(n-1) s and
	// the first check at or after 15, 30, 45 and 60 s sees each change.
	what := "EMR Serverless job run " + id
	wantProgress := []datablocks.Progress{
		{What: what, ID: id, Attempt: 1, State: "SUBMITTED"},
		{What: what, ID: id, Attempt: 9, Previous: "SUBMITTED", State: "PENDING", Elapsed: 16 * time.Second},
		{What: what, ID: id, Attempt: 16, Previous: "PENDING", State: "SCHEDULED", Elapsed: 30 * time.Second},
		{What: what, ID: id, Attempt: 24, Previous: "SCHEDULED", State: "RUNNING", Elapsed: 46 * time.Second},
		{What: what, ID: id, Attempt: 31, Previous: "RUNNING", State: "SUCCESS", Elapsed: time.Minute},
	}
	if diff := cmp.Diff(wantProgress, *env.events); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	in := env.fake.Calls()[0].Input.(*emrserverless.StartJobRunInput)
	want := &emrserverless.StartJobRunInput{
		ApplicationId:    aws.String(app),
		ExecutionRoleArn: aws.String(jobRole),
		Name:             aws.String("etl"),
		Tags:             map[string]string{"team": "data"},
		// 90 min 1 s rounds up to whole minutes.
		ExecutionTimeoutMinutes: aws.Int64(91),
		JobDriver: &types.JobDriverMemberSparkSubmit{Value: types.SparkSubmit{
			EntryPoint:            aws.String("s3://code/etl.py"),
			EntryPointArguments:   []string{"--day", "2026-01-01"},
			SparkSubmitParameters: aws.String("--conf spark.hadoop.hive.metastore.client.factory.class=com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"),
		}},
		ConfigurationOverrides: &types.ConfigurationOverrides{
			ApplicationConfiguration: []types.Configuration{{
				Classification: aws.String("spark-defaults"),
				Properties:     map[string]string{"spark.driver.extraJavaOptions": "-Da=1 -Db=2"},
			}},
			MonitoringConfiguration: &types.MonitoringConfiguration{
				S3MonitoringConfiguration:      &types.S3MonitoringConfiguration{LogUri: aws.String("s3://logs/serverless/")},
				CloudWatchLoggingConfiguration: &types.CloudWatchLoggingConfiguration{Enabled: aws.Bool(true), LogGroupName: aws.String("/aws/emr-serverless/etl")},
			},
		},
	}
	opts := []cmp.Option{
		cmpopts.IgnoreUnexported(emrserverless.StartJobRunInput{}, types.JobDriverMemberSparkSubmit{}, types.SparkSubmit{},
			types.ConfigurationOverrides{}, types.Configuration{}, types.MonitoringConfiguration{}, types.S3MonitoringConfiguration{}, types.CloudWatchLoggingConfiguration{}),
		cmpopts.IgnoreFields(emrserverless.StartJobRunInput{}, "ClientToken"),
	}
	if diff := cmp.Diff(want, in, opts...); diff != "" {
		t.Errorf("StartJobRun input (-want +got):\n%s", diff)
	}
	if len(aws.ToString(in.ClientToken)) != 36 {
		t.Errorf("client token %q is not a UUID", aws.ToString(in.ClientToken))
	}
}

func TestServerlessFailure(t *testing.T) {
	ctx := context.Background()
	env := newServerlessEnv(t)
	app := env.fake.AddApplication(emrtest.ApplicationConfig{})
	env.fake.ScriptNext(emrtest.Outcome{State: "FAILED", Message: "Job failed, please check complete logs in configured logging destination. ExitCode: 1."})
	id, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark(), LogURI: "s3://logs/sl"})
	if err != nil {
		t.Fatal(err)
	}
	state, err := env.runner.Wait(ctx, app, id)
	var jf *emr.JobFailedError
	if state != "FAILED" || !errors.As(err, &jf) {
		t.Fatalf("Wait = %q, %v", state, err)
	}
	want := &emr.JobFailedError{
		Runtime: emr.RuntimeServerless, Container: app, ID: id, State: "FAILED",
		Message: "Job failed, please check complete logs in configured logging destination. ExitCode: 1.",
		LogURI:  "s3://logs/sl/applications/" + app + "/jobs/" + id + "/",
		Attempt: 1,
	}
	if diff := cmp.Diff(want, jf); diff != "" {
		t.Errorf("JobFailedError (-want +got):\n%s", diff)
	}
}

func TestServerlessAttempts(t *testing.T) {
	ctx := context.Background()
	env := newServerlessEnv(t)
	app := env.fake.AddApplication(emrtest.ApplicationConfig{})
	env.fake.ScriptNext(emrtest.Outcome{FailedAttempts: 2})
	id, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil {
		t.Fatal(err)
	}
	// GetJobRun follows the latest attempt: the wait goes on past failed attempts.
	if state, err := env.runner.Wait(ctx, app, id); err != nil || state != "SUCCESS" {
		t.Fatalf("Wait = %q, %v", state, err)
	}
	// A run whose last attempt fails reports that attempt.
	env.fake.ScriptNext(emrtest.Outcome{State: "FAILED", Message: "boom", FailedAttempts: 1})
	id, err = env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil {
		t.Fatal(err)
	}
	var jf *emr.JobFailedError
	if _, err := env.runner.Wait(ctx, app, id); !errors.As(err, &jf) || jf.Attempt != 2 || jf.Message != "boom" {
		t.Errorf("Wait = %v, want a *JobFailedError of attempt 2", err)
	}
}

func TestServerlessCancel(t *testing.T) {
	ctx := context.Background()
	env := newServerlessEnv(t)
	app := env.fake.AddApplication(emrtest.ApplicationConfig{})
	env.fake.ScriptNext(emrtest.Outcome{Duration: time.Hour})
	id, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.runner.Cancel(ctx, app, id); err != nil {
		t.Fatal(err)
	}
	state, err := env.runner.Wait(ctx, app, id)
	var jf *emr.JobFailedError
	if state != "CANCELLED" || !errors.As(err, &jf) || jf.Message != "Job run cancelled by user." {
		t.Fatalf("Wait = %q, %v", state, err)
	}
	if got := env.states(id); !slices.Equal(got, []string{"CANCELLING", "CANCELLED"}) {
		t.Errorf("progress %v", got)
	}
	var ve *types.ValidationException
	if err := env.runner.Cancel(ctx, app, id); !errors.As(err, &ve) {
		t.Errorf("cancelling a cancelled run: %v, want *types.ValidationException", err)
	}
}

func TestServerlessStartApplicationFirst(t *testing.T) {
	ctx := context.Background()
	env := newServerlessEnv(t, func(o *emr.Options) { o.StartApplication = true })
	app := env.fake.AddApplication(emrtest.ApplicationConfig{State: types.ApplicationStateStopped, NoAutoStart: true})
	id, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := env.states(app), []string{"STOPPED", "STARTING", "STARTED"}; !slices.Equal(got, want) {
		t.Errorf("application progress %v, want %v", got, want)
	}
	var ops []string
	for _, c := range env.fake.Calls() {
		ops = append(ops, c.Op)
	}
	// The application is STARTING for DefaultStartDuration (30 s), read every 2 s: 15 reads
	// after StartApplication, the last one at 30 s seeing STARTED.
	want := []string{"GetApplication", "StartApplication"}
	for range 15 {
		want = append(want, "GetApplication")
	}
	want = append(want, "StartJobRun")
	if !slices.Equal(ops, want) {
		t.Errorf("calls %v, want %v", ops, want)
	}
	if id == "" {
		t.Error("no job run ID")
	}
	// Without StartApplication, the stopped application without auto-start refuses the run.
	env2 := newServerlessEnv(t)
	app2 := env2.fake.AddApplication(emrtest.ApplicationConfig{State: types.ApplicationStateStopped, NoAutoStart: true})
	var ve *types.ValidationException
	if _, err := env2.runner.Start(ctx, app2, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()}); !errors.As(err, &ve) {
		t.Errorf("stopped application: %v, want *types.ValidationException", err)
	}
	// A terminated application is an error, not a wait.
	app3 := env.fake.AddApplication(emrtest.ApplicationConfig{State: types.ApplicationStateTerminated})
	if _, err := env.runner.Start(ctx, app3, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()}); err == nil || !strings.Contains(err.Error(), "TERMINATED") {
		t.Errorf("terminated application: %v", err)
	}
}

func TestServerlessRetryStartsOneRun(t *testing.T) {
	ctx := context.Background()
	env := newServerlessEnv(t)
	app := env.fake.AddApplication(emrtest.ApplicationConfig{})
	// The first StartJobRun reaches the service and starts the run, but the response is lost
	// to a server error; the runner retries with the same client token.
	env.fake.Control("StartJobRun", func(in any) (any, error, bool) {
		if _, err := env.fake.StartJobRun(ctx, in.(*emrserverless.StartJobRunInput)); err != nil {
			t.Errorf("first StartJobRun: %v", err)
		}
		env.fake.ThrottleNext("StartJobRun", 1) // and the first retry is throttled
		return nil, &types.InternalServerException{Message: aws.String("Request processing failed")}, true
	})
	id, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil {
		t.Fatal(err)
	}
	if n := startedRuns(env.fake.Calls()); n != 1 {
		t.Errorf("%d job runs, want 1", n)
	}
	var tokens []string
	for _, c := range env.fake.Calls() {
		if c.Op == "StartJobRun" {
			tokens = append(tokens, aws.ToString(c.Input.(*emrserverless.StartJobRunInput).ClientToken))
		}
	}
	// Interceptor's call, its inner call, the throttled retry, the successful retry.
	if len(tokens) != 4 || len(slices.Compact(slices.Clone(tokens))) != 1 {
		t.Errorf("StartJobRun client tokens %v, want 4 calls with one token", tokens)
	}
	if state, err := env.runner.Wait(ctx, app, id); err != nil || state != "SUCCESS" {
		t.Errorf("Wait = %q, %v", state, err)
	}
	// A caller's own retry with its token is idempotent too.
	job := emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark(), ClientToken: "nightly-2026-01-01"}
	a, err := env.runner.Start(ctx, app, job)
	if err != nil {
		t.Fatal(err)
	}
	b, err := env.runner.Start(ctx, app, job)
	if err != nil {
		t.Fatal(err)
	}
	if a != b || startedRuns(env.fake.Calls()) != 2 {
		t.Errorf("same token started %s and %s (%d runs)", a, b, startedRuns(env.fake.Calls()))
	}
}

func TestServerlessWaitThrottledAndCancelled(t *testing.T) {
	env := newServerlessEnv(t)
	app := env.fake.AddApplication(emrtest.ApplicationConfig{State: types.ApplicationStateStarted})
	// 16 s: SUBMITTED, PENDING, SCHEDULED and RUNNING 4 s each. Reads every 2 s: two throttled
	// (0, 2 s), then PENDING (4, 6 s), SCHEDULED (8, 10 s), RUNNING (12 s); the 8th call
	// cancels the context before it reads.
	env.fake.ScriptNext(emrtest.Outcome{Duration: 16 * time.Second})
	id, err := env.runner.Start(context.Background(), app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil {
		t.Fatal(err)
	}
	env.fake.ThrottleNext("GetJobRun", 2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env.fake.KeepControl("GetJobRun", func(any) (any, error, bool) {
		if env.fake.Count("GetJobRun") >= 7 {
			cancel()
		}
		return nil, nil, false
	})
	_, err = env.runner.Wait(ctx, app, id)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if got := env.states(id); !slices.Equal(got, []string{"PENDING", "SCHEDULED", "RUNNING"}) {
		t.Errorf("progress %v", got)
	}
	if n := env.fake.Count("CancelJobRun"); n != 0 {
		t.Errorf("the wait cancelled the run")
	}
}

func TestServerlessValidation(t *testing.T) {
	env := newServerlessEnv(t)
	bad := pySpark()
	bad.Conf["spark.driver.extraJavaOptions"] = "-Da=1 -Db=2"
	tests := []struct {
		app  string
		job  emr.JobRun
		want string
	}{
		{"", emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()}, "application ID is required"},
		{"a", emr.JobRun{Spark: pySpark()}, "JobRun.ExecutionRoleArn is required"},
		{"a", emr.JobRun{ExecutionRoleArn: "arn:aws:s3:::bucket", Spark: pySpark()}, "is not an IAM role ARN"},
		{"a", emr.JobRun{ExecutionRoleArn: jobRole, Spark: bad}, "cannot carry"},
		{"a", emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark(), LogURI: "logs/"}, "is not an s3:// URI"},
		{"a", emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark(), ExecutionTimeout: -time.Second}, "is negative"},
		{"a", emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark(), ReleaseLabel: "emr-7.5.0"}, "runs the application's release"},
		{"a", emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark(), ClientToken: strings.Repeat("t", 65)}, "over the limit of 64"},
	}
	for _, tt := range tests {
		if _, err := env.runner.Start(context.Background(), tt.app, tt.job); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("err %v, want %q", err, tt.want)
		}
	}
	if n := len(env.fake.Calls()); n != 0 {
		t.Errorf("%d calls for invalid jobs", n)
	}
}

func TestServerlessQueuedIsNotTerminal(t *testing.T) {
	ctx := context.Background()
	env := newServerlessEnv(t)
	app := env.fake.AddApplication(emrtest.ApplicationConfig{})
	id, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil {
		t.Fatal(err)
	}
	// The application's concurrency limit queues the run for two polls.
	for range 2 {
		env.fake.Control("GetJobRun", func(any) (any, error, bool) {
			return &emrserverless.GetJobRunOutput{JobRun: &types.JobRun{JobRunId: aws.String(id), State: types.JobRunStateQueued}}, nil, true
		})
	}
	if state, err := env.runner.Wait(ctx, app, id); err != nil || state != "SUCCESS" {
		t.Fatalf("Wait = %q, %v", state, err)
	}
	if got := env.states(id); !slices.Equal(got, []string{"QUEUED", "SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "SUCCESS"}) {
		t.Errorf("progress %v", got)
	}
}

func TestServerlessLogsStateChanges(t *testing.T) {
	ctx := context.Background()
	var buf strings.Builder
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	env := newServerlessEnv(t, func(o *emr.Options) { o.Logger = logger })
	app := env.fake.AddApplication(emrtest.ApplicationConfig{})
	id, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark(), ClientToken: "secret-ish-token"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.runner.Wait(ctx, app, id); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"emr: serverless job run started", "to=SUCCESS", "from=RUNNING"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret-ish-token") {
		t.Error("log contains the client token")
	}
}

func TestRunIDsValidated(t *testing.T) {
	ctx := context.Background()
	env := newServerlessEnv(t)
	eks := newEKSEnv(t)
	checks := []struct {
		err  error
		want string
	}{
		{func() error { _, err := env.runner.Wait(ctx, "", "00f1"); return err }(), "application ID is required"},
		{env.runner.Cancel(ctx, "00fapp", ""), "job run ID is required"},
		{func() error { _, err := eks.runner.Wait(ctx, "", "jr1"); return err }(), "virtual cluster ID is required"},
		{eks.runner.Cancel(ctx, "vc1", ""), "job run ID is required"},
	}
	for _, c := range checks {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("err %v, want %q", c.err, c.want)
		}
	}
	if n := len(env.fake.Calls()) + len(eks.fake.Calls()); n != 0 {
		t.Errorf("%d calls for invalid IDs", n)
	}
}

// TestServerlessStartRetryOptions checks that Start's retries follow Retry, not Wait: its
// delays and its bound on attempts. The nil Retry.Clock falls back to the Wait.Clock.
func TestServerlessStartRetryOptions(t *testing.T) {
	ctx := context.Background()
	env := newServerlessEnv(t, func(o *emr.Options) {
		o.Retry = datablocks.RetryOptions{MinDelay: 3 * time.Second, MaxDelay: 3 * time.Second}
	})
	app := env.fake.AddApplication(emrtest.ApplicationConfig{})
	env.fake.ThrottleNext("StartJobRun", 2)
	if _, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()}); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{3 * time.Second, 3 * time.Second}
	if sleeps := env.clock.Sleeps(); !slices.Equal(sleeps, want) {
		t.Errorf("sleeps = %v, want %v", sleeps, want)
	}
	// Two attempts cannot get past two throttles.
	env.fake.ThrottleNext("StartJobRun", 2)
	_, err := env.runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()},
		func(o *emr.Options) { o.Retry.MaxAttempts = 2 })
	if err == nil {
		t.Fatal("Start succeeded through two throttles with two attempts")
	}
	if n := startedRuns(env.fake.Calls()); n != 1 {
		t.Errorf("%d job runs, want 1", n)
	}
}
