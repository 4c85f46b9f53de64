package emrtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless/types"

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
	f := emrtest.NewServerless()
	app := f.AddApplication(emrtest.ApplicationConfig{})
	// Auto-start: a CREATED application accepts a run and is STARTED.
	f.ScriptNext(emrtest.Outcome{FailedAttempts: 4, Polls: 1})
	out, err := f.StartJobRun(ctx, startInput(app, "t1"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.GetApplication(ctx, &emrserverless.GetApplicationInput{ApplicationId: aws.String(app)})
	if err != nil || got.Application.State != types.ApplicationStateStarted {
		t.Fatalf("application after auto-start: %v, %v", got, err)
	}
	get := &emrserverless.GetJobRunInput{ApplicationId: aws.String(app), JobRunId: out.JobRunId}
	for range 20 {
		if _, err := f.GetJobRun(ctx, get); err != nil {
			t.Fatal(err)
		}
	}
	last, _ := f.GetJobRun(ctx, get)
	if last.JobRun.State != types.JobRunStateSuccess || aws.ToInt32(last.JobRun.Attempt) != 5 {
		t.Errorf("final %s attempt %d, want SUCCESS attempt 5", last.JobRun.State, aws.ToInt32(last.JobRun.Attempt))
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
	if err := f.SetApplicationState(app, types.ApplicationStateTerminated); err != nil {
		t.Fatal(err)
	}
	var ve *types.ValidationException
	if _, err := f.StartJobRun(ctx, startInput(app, "t2")); !errors.As(err, &ve) {
		t.Errorf("terminated application: %v", err)
	}
	if _, err := f.StartApplication(ctx, &emrserverless.StartApplicationInput{ApplicationId: aws.String(app)}); !errors.As(err, &ve) {
		t.Errorf("starting a terminated application: %v", err)
	}
}
