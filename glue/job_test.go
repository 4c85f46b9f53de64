package glue_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

func createJob(t *testing.T, fake *gluetest.Fake, name string) {
	t.Helper()
	_, err := fake.CreateJob(context.Background(), &awsglue.CreateJobInput{Name: aws.String(name), Role: aws.String("arn:aws:iam::111122223333:role/glue"),
		Command:          &types.JobCommand{Name: aws.String("glueetl"), ScriptLocation: aws.String("s3://scripts/" + name + ".py")},
		DefaultArguments: map[string]string{"--job-language": "python", "--source.table.name": "raw"}, GlueVersion: aws.String("4.0")})
	if err != nil {
		t.Fatal(err)
	}
}

func TestJobRunSucceeds(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	createJob(t, fake, "j_load")
	fake.ScriptJobRuns("j_load", gluetest.JobScript{Running: 5 * time.Minute})
	var states []string
	r := glue.NewJobRunner(fake, func(o *glue.Options) {
		o.Wait = wait(clock)
		o.Wait.OnProgress = func(p datablocks.Progress) { states = append(states, p.State) }
	})
	res, err := r.Run(ctx, glue.JobRun{JobName: "j_load", Arguments: map[string]string{"--source.table.name": "orders", "--day": "2026-03-01"},
		WorkerType: types.WorkerTypeG1x, NumberOfWorkers: 10, Timeout: 30 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.JobRunState != types.JobRunStateSucceeded || res.ExecutionTime != 300 || !strings.HasPrefix(aws.ToString(res.Id), "jr_") || len(aws.ToString(res.Id)) != 67 {
		t.Errorf("result = %+v", res)
	}
	if diff := cmp.Diff([]string{"STARTING", "RUNNING", "SUCCEEDED"}, states); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
	in := fake.Calls()[1].Input.(*awsglue.StartJobRunInput)
	if aws.ToInt32(in.Timeout) != 30 || aws.ToInt32(in.NumberOfWorkers) != 10 || in.Arguments["--source.table.name"] != "orders" {
		t.Errorf("StartJobRun input = %+v", in)
	}
	run, _ := fake.GetJobRun(ctx, &awsglue.GetJobRunInput{JobName: aws.String("j_load"), RunId: res.Id})
	if run.JobRun.Arguments["--job-language"] != "python" || run.JobRun.Arguments["--source.table.name"] != "orders" {
		t.Errorf("run arguments = %v, want defaults overridden by the run's", run.JobRun.Arguments)
	}
}

func TestJobRunFailures(t *testing.T) {
	tests := []struct {
		script gluetest.JobScript
		run    glue.JobRun
		state  types.JobRunState
		msg    string
	}{
		{gluetest.JobScript{Final: types.JobRunStateFailed, ErrorMessage: "AnalysisException: Table or view not found: raw.orders"}, glue.JobRun{}, types.JobRunStateFailed, "Table or view not found"},
		{gluetest.JobScript{Final: types.JobRunStateError, ErrorMessage: "Internal service error"}, glue.JobRun{}, types.JobRunStateError, "Internal"},
		{gluetest.JobScript{Final: types.JobRunStateStopped}, glue.JobRun{}, types.JobRunStateStopped, ""},
		{gluetest.JobScript{Running: time.Hour}, glue.JobRun{Timeout: 10 * time.Minute}, types.JobRunStateTimeout, "timed out"},
	}
	for _, tc := range tests {
		t.Run(string(tc.state), func(t *testing.T) {
			fake, clock := newFake(t)
			createJob(t, fake, "j_load")
			fake.ScriptJobRuns("j_load", tc.script)
			tc.run.JobName = "j_load"
			res, err := glue.NewJobRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) }).Run(context.Background(), tc.run)
			var fe *glue.JobRunFailedError
			if !errors.As(err, &fe) || fe.Run.JobRunState != tc.state || !strings.Contains(aws.ToString(fe.Run.ErrorMessage), tc.msg) || res.JobRunState != tc.state || fe.Run != res {
				t.Errorf("err = %v, result %+v; want %s with %q", err, res, tc.state, tc.msg)
			}
		})
	}
}

func TestJobArgumentsValidation(t *testing.T) {
	fake, _ := newFake(t)
	r := glue.NewJobRunner(fake)
	for _, tc := range []struct {
		run  glue.JobRun
		want string
	}{
		{glue.JobRun{JobName: "j", Arguments: map[string]string{"source": "x"}}, `"source" must start with "--"`},
		{glue.JobRun{JobName: "j", Arguments: map[string]string{"--": "x"}}, `must start with "--" followed by a name`},
		{glue.JobRun{JobName: "j", Arguments: map[string]string{"--source table": "x"}}, `contains ' '`},
		{glue.JobRun{JobName: "j", Arguments: map[string]string{"--JOB_NAME": "x"}}, "set by Glue"},
		{glue.JobRun{JobName: "j", WorkerType: types.WorkerTypeG2x}, "must be set together"},
		{glue.JobRun{JobName: "j", WorkerType: "G1.X", NumberOfWorkers: 2}, `"G1.X" is not one of`},
		{glue.JobRun{JobName: "j", Timeout: 90 * time.Second}, "whole number of minutes"},
		{glue.JobRun{}, "JobRun.JobName is required"},
	} {
		_, err := r.Run(context.Background(), tc.run)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "glue: ") {
			t.Errorf("Run(%+v): err = %v, want %q", tc.run, err, tc.want)
		}
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("%d calls made for invalid input", n)
	}
}

func TestJobRunConcurrencyAndThrottling(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	createJob(t, fake, "j_load")
	if _, err := fake.StartJobRun(ctx, &awsglue.StartJobRunInput{JobName: aws.String("j_load")}); err != nil {
		t.Fatal(err)
	}
	r := glue.NewJobRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) })
	_, err := r.Run(ctx, glue.JobRun{JobName: "j_load"})
	var ce *types.ConcurrentRunsExceededException
	if !errors.As(err, &ce) {
		t.Fatalf("second concurrent run: err = %v, want *types.ConcurrentRunsExceededException", err)
	}
	clock.Advance(time.Hour)
	fake.ThrottleNext(gluetest.OpGetJobRun, 3)
	if _, err := r.Run(ctx, glue.JobRun{JobName: "j_load"}); err != nil {
		t.Fatalf("run with throttled polls: %v", err)
	}
	if n := fake.Count(gluetest.OpGetJobRun); n < 4 {
		t.Errorf("GetJobRun calls = %d, want the 3 throttled ones retried", n)
	}
}

func TestJobRunWaitTimeoutAndCancel(t *testing.T) {
	fake, clock := newFake(t)
	createJob(t, fake, "j_load")
	fake.ScriptJobRuns("j_load", gluetest.JobScript{Running: time.Hour}, gluetest.JobScript{Running: time.Hour})
	r := glue.NewJobRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) })
	// Wait.Timeout bounds the wait, not the run: the run is still RUNNING when it ends.
	res, err := r.Run(context.Background(), glue.JobRun{JobName: "j_load"}, func(o *glue.Options) { o.Wait.Timeout = 10 * time.Minute })
	if !errors.Is(err, context.DeadlineExceeded) || res == nil || res.JobRunState != types.JobRunStateRunning {
		t.Fatalf("Run with a 10m wait timeout = %+v, %v; want a timeout while RUNNING", res, err)
	}
	if n := strings.Count(err.Error(), "glue: "); n != 1 || !strings.HasPrefix(err.Error(), "glue: ") {
		t.Errorf("wait timeout %q carries %d package prefixes, want one in front", err, n)
	}
	// Cancelling the context ends the wait at once.
	clock.Advance(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	before := fake.Count(gluetest.OpGetJobRun)
	_, err = r.Run(ctx, glue.JobRun{JobName: "j_load"}, func(o *glue.Options) {
		o.Wait.OnProgress = func(p datablocks.Progress) {
			if p.State == "STARTING" {
				cancel()
			}
		}
	})
	if !errors.Is(err, context.Canceled) || fake.Count(gluetest.OpGetJobRun)-before != 1 {
		t.Errorf("cancelled Run: err = %v after %d polls; want context.Canceled after 1", err, fake.Count(gluetest.OpGetJobRun)-before)
	}
	if !strings.HasPrefix(err.Error(), "glue: ") {
		t.Errorf("cancelled Run: err %q lacks the package prefix", err)
	}
}

// optCounter records how many ClientOptions each StartJobRun call received.
type optCounter struct {
	*gluetest.Fake
	counts []int
}

func (c *optCounter) StartJobRun(ctx context.Context, in *awsglue.StartJobRunInput, optFns ...func(*awsglue.Options)) (*awsglue.StartJobRunOutput, error) {
	c.counts = append(c.counts, len(optFns))
	return c.Fake.StartJobRun(ctx, in, optFns...)
}

func TestPerCallClientOptionsDoNotPersist(t *testing.T) {
	fake, clock := newFake(t)
	createJob(t, fake, "j_load")
	fake.ScriptJobRuns("j_load", gluetest.JobScript{Running: time.Minute}, gluetest.JobScript{Running: time.Minute})
	client := &optCounter{Fake: fake}
	noop := func(*awsglue.Options) {}
	r := glue.NewJobRunner(client, func(o *glue.Options) {
		o.Wait = wait(clock)
		o.ClientOptions = []func(*awsglue.Options){noop}
	})
	if _, err := r.Run(context.Background(), glue.JobRun{JobName: "j_load"}, func(o *glue.Options) {
		o.ClientOptions = append(o.ClientOptions, noop, noop)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(context.Background(), glue.JobRun{JobName: "j_load"}); err != nil {
		t.Fatal(err)
	}
	// The helper's one option, plus the first call's two; the second call has the helper's only.
	if diff := cmp.Diff([]int{3, 1}, client.counts); diff != "" {
		t.Errorf("ClientOptions per call (-want +got):\n%s", diff)
	}
}

func TestLoggerReceivesWaitRecordsUnlessWaitLoggerIsSet(t *testing.T) {
	fake, clock := newFake(t)
	createJob(t, fake, "j_load")
	fake.ScriptJobRuns("j_load", gluetest.JobScript{Running: time.Minute}, gluetest.JobScript{Running: time.Minute})
	var helperLog, waitLog strings.Builder
	debugLogger := func(w *strings.Builder) *slog.Logger {
		return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	r := glue.NewJobRunner(fake, func(o *glue.Options) {
		o.Wait = wait(clock)
		o.Logger = debugLogger(&helperLog)
	})
	if _, err := r.Run(context.Background(), glue.JobRun{JobName: "j_load"}); err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{`msg="started job run"`, `msg="state changed"`, `to=RUNNING`, `msg="job run ended"`} {
		if !strings.Contains(helperLog.String(), msg) {
			t.Errorf("helper log lacks %s with Wait.Logger nil:\n%s", msg, helperLog.String())
		}
	}
	helperLog.Reset()
	if _, err := r.Run(context.Background(), glue.JobRun{JobName: "j_load"}, func(o *glue.Options) {
		o.Wait.Logger = debugLogger(&waitLog)
	}); err != nil {
		t.Fatal(err)
	}
	if s := helperLog.String(); !strings.Contains(s, `msg="started job run"`) || strings.Contains(s, `msg="state changed"`) {
		t.Errorf("helper log with Wait.Logger set = %q, want the run's records and no state changes", s)
	}
	if s := waitLog.String(); !strings.Contains(s, `msg="state changed"`) || strings.Contains(s, `msg="started job run"`) {
		t.Errorf("wait log = %q, want the state changes only", s)
	}
}
