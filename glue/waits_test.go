package glue_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

// fakeWithCrawlerAndJob returns a fake on its own clock holding crawler "c" and job "j".
func fakeWithCrawlerAndJob(t *testing.T) *gluetest.Fake {
	t.Helper()
	ctx := context.Background()
	fake := gluetest.New()
	if _, err := fake.CreateCrawler(ctx, &awsglue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://x/")}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.CreateJob(ctx, gluetestJob("j")); err != nil {
		t.Fatal(err)
	}
	return fake
}

// Wired as the README shows — helper + fake, no clock anywhere — a schema version wait
// (PENDING for 3 s), a crawl (90 s plus 10 s STOPPING) and a job run (2 min) wait on the
// fake's own clock and take no wall-clock time (issue 10: well under 100 ms in total).
func TestWaitsAgainstTheFakeTakeNoWallTime(t *testing.T) {
	ctx := context.Background()
	fake := fakeWithCrawlerAndJob(t)
	began := time.Now()
	fakeBegan := fake.Clock().Now()
	v, err := glue.NewRegistry(fake).Register(ctx, glue.Schema{Name: "users", DataFormat: types.DataFormatAvro, Definition: userV1})
	if err != nil || v.Status != types.SchemaVersionStatusAvailable {
		t.Fatalf("Register = %+v, %v", v, err)
	}
	crawl, err := glue.NewCrawlerRunner(fake).Run(ctx, "c")
	if err != nil || crawl.Status != types.LastCrawlStatusSucceeded {
		t.Fatalf("crawl = %+v, %v", crawl, err)
	}
	jobs := glue.NewJobRunner(fake)
	runID, err := jobs.Start(ctx, glue.JobRun{JobName: "j"})
	if err != nil {
		t.Fatal(err)
	}
	run, err := jobs.Wait(ctx, "j", runID)
	if err != nil || run.JobRunState != types.JobRunStateSucceeded {
		t.Fatalf("job run = %+v, %v", run, err)
	}
	wall, virtual := time.Since(began), fake.Clock().Now().Sub(fakeBegan)
	t.Logf("wall time %v for %v of the fake's time", wall, virtual)
	if virtual < 3*time.Minute {
		t.Errorf("the fake's clock moved %v, want the waits to have slept on it (≥ 3 min)", virtual)
	}
	if wall > 100*time.Millisecond {
		t.Errorf("the waits took %v of wall time, want < 100ms", wall)
	}
}

// A single throttled Start* call does not fail a crawl, a job run or a workflow run: it is
// retried (issue 11), on the fake's clock.
func TestThrottledStartsAreRetried(t *testing.T) {
	ctx := context.Background()
	fake := fakeWithCrawlerAndJob(t)
	fake.ThrottleNext(gluetest.OpStartCrawler, 1)
	if _, err := glue.NewCrawlerRunner(fake).Run(ctx, "c"); err != nil {
		t.Errorf("crawl after one throttled start: %v", err)
	}
	if n := fake.Count(gluetest.OpStartCrawler); n != 2 {
		t.Errorf("StartCrawler calls = %d, want 2", n)
	}
	fake.ThrottleNext(gluetest.OpStartJobRun, 2)
	if _, err := glue.NewJobRunner(fake).Run(ctx, glue.JobRun{JobName: "j"}); err != nil {
		t.Errorf("job run after two throttled starts: %v", err)
	}
	if n := fake.Count(gluetest.OpStartJobRun); n != 3 {
		t.Errorf("StartJobRun calls = %d, want 3", n)
	}
	// The attempts are bounded: with MaxAttempts 2, three throttles fail the start.
	fake.ThrottleNext(gluetest.OpStartJobRun, 3)
	_, err := glue.NewJobRunner(fake, func(o *glue.Options) { o.Retry.MaxAttempts = 2 }).Start(ctx, glue.JobRun{JobName: "j"})
	var te *types.ThrottlingException
	if err == nil || !asThrottle(err, &te) {
		t.Errorf("err = %v, want the ThrottlingException after 2 attempts", err)
	}
	// A non-throttling error is not retried.
	fake.ResetCalls()
	fake.FailNext(gluetest.OpStartCrawler, &types.CrawlerRunningException{Message: aws.String("running")})
	if _, err := glue.NewCrawlerRunner(fake).Start(ctx, "c"); err == nil {
		t.Error("CrawlerRunningException not returned")
	}
	if n := fake.Count(gluetest.OpStartCrawler); n != 1 {
		t.Errorf("StartCrawler calls = %d, want 1 (no retry of a non-throttling error)", n)
	}
}

func TestWorkflowStartThenWait(t *testing.T) {
	ctx := context.Background()
	fake := gluetest.New()
	if _, err := fake.CreateWorkflow(ctx, &awsglue.CreateWorkflowInput{Name: aws.String("wf")}); err != nil {
		t.Fatal(err)
	}
	wf := glue.NewWorkflowRunner(fake)
	fake.ThrottleNext(gluetest.OpStartWorkflowRun, 1)
	runID, err := wf.Start(ctx, "wf", map[string]string{"day": "2026-03-01"})
	if err != nil || len(runID) != len("wr_")+64 {
		t.Fatalf("Start = %q, %v", runID, err)
	}
	res, err := wf.Wait(ctx, "wf", runID)
	if err != nil || res.Status != types.WorkflowRunStatusCompleted {
		t.Fatalf("Wait = %+v, %v", res, err)
	}
	if _, err := wf.Start(ctx, "wf", map[string]string{"": "x"}); err == nil || fake.Count(gluetest.OpStartWorkflowRun) != 2 {
		t.Errorf("empty property key: err = %v after %d calls, want an error before any call", err, fake.Count(gluetest.OpStartWorkflowRun))
	}
}
