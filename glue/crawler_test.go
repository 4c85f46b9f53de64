package glue_test

import (
	"context"
	"errors"
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

var ephemeral = glue.EphemeralCrawler{
	Name: "c_producer_sales_20260302", Role: "arn:aws:iam::111122223333:role/crawler", Database: "sales",
	S3Paths: []string{"s3://producer-bucket/sales/"},
}

func crawlerGone(t *testing.T, fake *gluetest.Fake, name string) {
	t.Helper()
	_, err := fake.GetCrawler(context.Background(), &awsglue.GetCrawlerInput{Name: aws.String(name)})
	var nf *types.EntityNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("crawler %s still exists (GetCrawler err = %v)", name, err)
	}
}

func TestEphemeralCrawlerSucceeds(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	fake.ScriptCrawls(ephemeral.Name, gluetest.CrawlScript{Duration: 2 * time.Minute, TablesCreated: 3, TablesUpdated: 1})
	var states []string
	r := glue.NewCrawlerRunner(fake, func(o *glue.Options) {
		o.Wait = wait(clock)
		o.Wait.OnProgress = func(p datablocks.Progress) { states = append(states, p.State) }
	})
	res, err := r.RunEphemeral(ctx, ephemeral)
	if err != nil {
		t.Fatal(err)
	}
	want := glue.CrawlResult{Status: types.LastCrawlStatusSucceeded, LogGroup: "/aws-glue/crawlers", LogStream: ephemeral.Name,
		TablesCreated: 3, TablesUpdated: 1, LastRuntime: 2 * time.Minute, Deleted: true}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if len(states) < 2 || states[0] != "RUNNING" || states[len(states)-1] != "READY/SUCCEEDED" {
		t.Errorf("states = %v, want RUNNING first and READY/SUCCEEDED last", states)
	}
	crawlerGone(t, fake, ephemeral.Name)
	in := fake.Calls()[0].Input.(*awsglue.CreateCrawlerInput)
	if aws.ToString(in.Targets.S3Targets[0].Path) != "s3://producer-bucket/sales/" || aws.ToString(in.DatabaseName) != "sales" {
		t.Errorf("CreateCrawler input = %+v", in)
	}
}

func TestEphemeralCrawlerFailsAndIsDeleted(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	fake.ScriptCrawls(ephemeral.Name, gluetest.CrawlScript{Status: types.LastCrawlStatusFailed, ErrorMessage: "Service Principal: glue.amazonaws.com is not authorized"})
	res, err := glue.NewCrawlerRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) }).RunEphemeral(ctx, ephemeral)
	var cf *glue.CrawlFailedError
	if !errors.As(err, &cf) || cf.Status != types.LastCrawlStatusFailed || cf.ErrorMessage == "" {
		t.Fatalf("err = %v, want *glue.CrawlFailedError FAILED with a message", err)
	}
	if !strings.HasPrefix(err.Error(), "glue: crawler "+ephemeral.Name+": crawl FAILED: Service Principal") {
		t.Errorf("err = %q, want it to name the crawler, the status and Glue's message", err)
	}
	if !res.Deleted {
		t.Error("result.Deleted = false")
	}
	crawlerGone(t, fake, ephemeral.Name)
}

func TestEphemeralCrawlerDeletedOnCancel(t *testing.T) {
	fake, clock := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := glue.NewCrawlerRunner(fake, func(o *glue.Options) {
		o.Wait = wait(clock)
		o.Wait.OnProgress = func(p datablocks.Progress) {
			if p.State == "RUNNING" {
				cancel() // the caller gives up mid-crawl
			}
		}
	})
	res, err := r.RunEphemeral(ctx, ephemeral)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !res.Deleted {
		t.Errorf("result.Deleted = false (err %v)", err)
	}
	// The running crawler had to be stopped before it could be deleted.
	got := ops(fake)
	crawlerGone(t, fake, ephemeral.Name)
	want := []string{"CreateCrawler", "StartCrawler", "GetCrawler", "DeleteCrawler", "StopCrawler"}
	if diff := cmp.Diff(want, got[:min(len(got), len(want))]); diff != "" || got[len(got)-1] != "DeleteCrawler" {
		t.Errorf("calls = %v, want %v... ending with DeleteCrawler", got, want)
	}
}

func TestEphemeralCrawlerDeletedWhenCancelledDuringCreate(t *testing.T) {
	fake, clock := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Glue creates the crawler, but the caller's context ends before the response arrives.
	fake.Control(gluetest.OpCreateCrawler, func(in any) (any, error, bool) {
		_, err := fake.CreateCrawler(context.Background(), in.(*awsglue.CreateCrawlerInput))
		cancel()
		return nil, errors.Join(context.Canceled, err), true
	})
	_, err := glue.NewCrawlerRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) }).RunEphemeral(ctx, ephemeral)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	crawlerGone(t, fake, ephemeral.Name)
	if fake.Count(gluetest.OpStartCrawler) != 0 {
		t.Error("a crawl was started after the cancellation")
	}
}

func TestCrawlWaitTimeout(t *testing.T) {
	ctx := context.Background()
	// A zero Wait.Timeout puts no bound on the wait: a 5-hour crawl is waited for.
	fake, clock := newFake(t)
	fake.ScriptCrawls(ephemeral.Name, gluetest.CrawlScript{Duration: 5 * time.Hour})
	res, err := glue.NewCrawlerRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) }).RunEphemeral(ctx, ephemeral)
	if err != nil || res.LastRuntime != 5*time.Hour {
		t.Fatalf("unbounded wait: %+v, %v; want the 5h crawl", res, err)
	}
	// A Timeout of one hour ends the wait; the ephemeral crawler is stopped and deleted.
	fake, clock = newFake(t)
	fake.ScriptCrawls(ephemeral.Name, gluetest.CrawlScript{Duration: 5 * time.Hour})
	res, err = glue.NewCrawlerRunner(fake, func(o *glue.Options) {
		o.Wait = wait(clock)
		o.Wait.Timeout = time.Hour
	}).RunEphemeral(ctx, ephemeral)
	if !errors.Is(err, context.DeadlineExceeded) || !res.Deleted {
		t.Fatalf("bounded wait: %+v, %v; want a timeout and a deleted crawler", res, err)
	}
	if got := clock.Now().Sub(start); got < time.Hour || got > 2*time.Hour {
		t.Errorf("gave up after %s of fake time, want about the 1h timeout", got)
	}
	if fake.Count(gluetest.OpStopCrawler) != 1 {
		t.Errorf("StopCrawler calls = %d, want 1", fake.Count(gluetest.OpStopCrawler))
	}
	crawlerGone(t, fake, ephemeral.Name)
}

func TestEphemeralCrawlerDeletedWhenPollingFails(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	fake.FailNext(gluetest.OpGetCrawler, &types.OperationTimeoutException{Message: aws.String("timed out")})
	res, err := glue.NewCrawlerRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) }).RunEphemeral(ctx, ephemeral)
	var ot *types.OperationTimeoutException
	if !errors.As(err, &ot) || !res.Deleted {
		t.Fatalf("err = %v, deleted = %v; want the GetCrawler error and a deleted crawler", err, res.Deleted)
	}
	crawlerGone(t, fake, ephemeral.Name)
}

func TestEphemeralCrawlerDeleteFailureIsReported(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	fake.KeepControl(gluetest.OpDeleteCrawler, func(any) (any, error, bool) {
		return nil, &types.AccessDeniedException{Message: aws.String("not allowed to delete")}, true
	})
	res, err := glue.NewCrawlerRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) }).RunEphemeral(ctx, ephemeral)
	var ad *types.AccessDeniedException
	if !errors.As(err, &ad) || res.Deleted || res.Status != types.LastCrawlStatusSucceeded {
		t.Errorf("err = %v, result %+v; want the delete error joined to a successful crawl", err, res)
	}
}

func TestEphemeralCrawlerExistingIsNotTouched(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	r := glue.NewCrawlerRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) })
	if _, err := fake.CreateCrawler(ctx, &awsglue.CreateCrawlerInput{Name: aws.String(ephemeral.Name), Role: aws.String("r"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://x/")}}}}); err != nil {
		t.Fatal(err)
	}
	_, err := r.RunEphemeral(ctx, ephemeral)
	var ae *types.AlreadyExistsException
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *types.AlreadyExistsException", err)
	}
	if fake.Count(gluetest.OpDeleteCrawler) != 0 {
		t.Error("someone else's crawler was deleted")
	}
}

func TestRunExistingCrawlerTwice(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	if _, err := fake.CreateCrawler(ctx, &awsglue.CreateCrawlerInput{Name: aws.String("c_daily"), Role: aws.String("r"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://x/")}}}}); err != nil {
		t.Fatal(err)
	}
	fake.ScriptCrawls("c_daily", gluetest.CrawlScript{Duration: time.Minute, TablesCreated: 2}, gluetest.CrawlScript{Duration: 3 * time.Minute, TablesUpdated: 2})
	r := glue.NewCrawlerRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) })
	first, err := r.Run(ctx, "c_daily")
	if err != nil || first.TablesCreated != 2 {
		t.Fatalf("first run = %+v, %v", first, err)
	}
	// The second run must not stop at the first crawl's READY/SUCCEEDED.
	second, err := r.Run(ctx, "c_daily")
	if err != nil || second.TablesUpdated != 2 || second.LastRuntime != 3*time.Minute || second.Deleted {
		t.Fatalf("second run = %+v, %v", second, err)
	}
	if _, err := r.Run(ctx, ""); err == nil {
		t.Error("empty crawler name accepted")
	}
}

func TestEphemeralCrawlerValidation(t *testing.T) {
	fake, _ := newFake(t)
	r := glue.NewCrawlerRunner(fake)
	for _, c := range []glue.EphemeralCrawler{
		{Role: "r", Database: "d", S3Paths: []string{"s3://b/"}},
		{Name: "n", Database: "d", S3Paths: []string{"s3://b/"}},
		{Name: "n", Role: "r", S3Paths: []string{"s3://b/"}},
		{Name: "n", Role: "r", Database: "d"},
		{Name: "n", Role: "r", Database: "d", S3Paths: []string{"/local/path"}},
	} {
		if _, err := r.RunEphemeral(context.Background(), c); err == nil {
			t.Errorf("RunEphemeral(%+v) accepted", c)
		}
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("%d calls made for invalid input", n)
	}
}
