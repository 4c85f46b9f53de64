package emrtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

func startInput(app, token string) *emrserverless.StartJobRunInput {
	return &emrserverless.StartJobRunInput{
		ApplicationId: aws.String(app), ClientToken: aws.String(token), ExecutionRoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		JobDriver: &types.JobDriverMemberSparkSubmit{Value: types.SparkSubmit{EntryPoint: aws.String("s3://a/b.py")}},
	}
}

func TestServerlessApplicationsAndAttempts(t *testing.T) {
	ctx := context.Background()
	clock := datablocks.NewManualClock(time.Time{})
	f := emrtest.NewServerless(func(o *emrtest.Options) { o.Clock = clock })
	app := f.AddApplication(emrtest.ApplicationConfig{})
	appState := func() types.ApplicationState {
		got, err := f.GetApplication(ctx, &emrserverless.GetApplicationInput{ApplicationId: aws.String(app)})
		if err != nil {
			t.Fatal(err)
		}
		return got.Application.State
	}
	// Auto-start: a CREATED application accepts a run and goes through STARTING.
	f.ScriptNext(emrtest.Outcome{FailedAttempts: 4, Duration: time.Hour})
	out, err := f.StartJobRun(ctx, startInput(app, "t1"))
	if err != nil {
		t.Fatal(err)
	}
	get := &emrserverless.GetJobRunInput{ApplicationId: aws.String(app), JobRunId: out.JobRunId}
	run := func() *types.JobRun {
		got, err := f.GetJobRun(ctx, get)
		if err != nil {
			t.Fatal(err)
		}
		return got.JobRun
	}
	if s := appState(); s != types.ApplicationStateStarting {
		t.Fatalf("application right after an auto-starting StartJobRun: %s, want STARTING", s)
	}
	clock.Advance(30*time.Second + 59*time.Minute) // the run waited for the application
	if s := appState(); s != types.ApplicationStateStarted {
		t.Fatalf("application after the start duration: %s", s)
	}
	if r := run(); r.State != types.JobRunStateRunning || aws.ToInt32(r.Attempt) != 1 {
		t.Fatalf("run 59m after the application started: %s attempt %d", r.State, aws.ToInt32(r.Attempt))
	}
	clock.Advance(4*time.Hour + time.Minute)
	if r := run(); r.State != types.JobRunStateSuccess || aws.ToInt32(r.Attempt) != 5 {
		t.Errorf("final %s attempt %d, want SUCCESS attempt 5", r.State, aws.ToInt32(r.Attempt))
	}
	first, err := f.GetJobRun(ctx, &emrserverless.GetJobRunInput{ApplicationId: aws.String(app), JobRunId: out.JobRunId, Attempt: aws.Int32(1)})
	if err != nil || first.JobRun.State != types.JobRunStateFailed {
		t.Errorf("attempt 1: %v %v", first, err)
	}
	p := emrserverless.NewListJobRunAttemptsPaginator(f, &emrserverless.ListJobRunAttemptsInput{ApplicationId: aws.String(app), JobRunId: out.JobRunId, MaxResults: aws.Int32(2)})
	var n, pages int
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range page.JobRunAttempts {
			n++
			if int(aws.ToInt32(a.Attempt)) != n {
				t.Errorf("attempt %d out of order", aws.ToInt32(a.Attempt))
			}
		}
	}
	if n != 5 || pages != 3 {
		t.Errorf("%d attempts in %d pages, want 5 in 3", n, pages)
	}
	var nf *types.ResourceNotFoundException
	if _, err := f.StartJobRun(ctx, startInput("00fnope", "t")); !errors.As(err, &nf) {
		t.Errorf("unknown application: %v", err)
	}
	var ve *types.ValidationException
	bad := startInput(app, "t3")
	bad.ExecutionRoleArn = aws.String("arn:aws:iam::123456789012:user/u")
	if _, err := f.StartJobRun(ctx, bad); !errors.As(err, &ve) {
		t.Errorf("a user ARN as executionRoleArn: %v", err)
	}
	if _, err := f.StartJobRun(ctx, startInput("00F-UPPER", "t")); !errors.As(err, &ve) {
		t.Errorf("applicationId outside [0-9a-z]: %v", err)
	}
	terminated := f.AddApplication(emrtest.ApplicationConfig{State: types.ApplicationStateTerminated})
	if _, err := f.StartJobRun(ctx, startInput(terminated, "t2")); !errors.As(err, &ve) {
		t.Errorf("terminated application: %v", err)
	}
	if _, err := f.StartApplication(ctx, &emrserverless.StartApplicationInput{ApplicationId: aws.String(terminated)}); !errors.As(err, &ve) {
		t.Errorf("starting a terminated application: %v", err)
	}
}

func TestServerlessCancel(t *testing.T) {
	ctx := context.Background()
	f := emrtest.NewServerless()
	clock := f.Clock().(*datablocks.ManualClock) // the fake's own clock
	app := f.AddApplication(emrtest.ApplicationConfig{State: types.ApplicationStateStarted})
	out, err := f.StartJobRun(ctx, startInput(app, "t"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.CancelJobRun(ctx, &emrserverless.CancelJobRunInput{ApplicationId: aws.String(app), JobRunId: out.JobRunId}); err != nil {
		t.Fatal(err)
	}
	get := &emrserverless.GetJobRunInput{ApplicationId: aws.String(app), JobRunId: out.JobRunId}
	if got, _ := f.GetJobRun(ctx, get); got.JobRun.State != types.JobRunStateCancelling {
		t.Errorf("right after CancelJobRun: %s", got.JobRun.State)
	}
	clock.Advance(10 * time.Second)
	if got, _ := f.GetJobRun(ctx, get); got.JobRun.State != types.JobRunStateCancelled {
		t.Errorf("after the cancel duration: %s", got.JobRun.State)
	}
}
