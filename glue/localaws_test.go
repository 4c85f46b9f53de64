package glue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/localaws"
)

// overLocalAWS serves fake through localaws until the test ends and returns a real Glue client
// of it.
func overLocalAWS(t *testing.T, fake *gluetest.Fake) *awsglue.Client {
	t.Helper()
	srv, err := localaws.Start([]localaws.Service{fake.Service()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return awsglue.NewFromConfig(srv.Config())
}

// The helpers end to end through the real Glue client, served the fake by localaws: a table
// from a registry schema's columns, a registered version waited on, a crawl and a job run.
// Over the wire the client is no ClockSource, so the waits are given the fake's clock.
func TestHelpersOverLocalAWS(t *testing.T) {
	ctx := context.Background()
	fake := gluetest.New()
	client := overLocalAWS(t, fake)
	w := datablocks.WaitOptions{Clock: fake.Clock()}

	v, err := glue.NewRegistry(client, func(o *glue.Options) { o.Wait = w }).Register(ctx,
		glue.Schema{Name: "orders-value", DataFormat: types.DataFormatProtobuf, Definition: protoOrder})
	if err != nil || v.Status != types.SchemaVersionStatusAvailable {
		t.Fatalf("Register = %+v, %v", v, err)
	}
	cols, err := glue.ParseSchema(v.DataFormat, v.Definition)
	if err != nil {
		t.Fatal(err)
	}
	cat := glue.NewCatalog(client)
	if _, err := cat.EnsureDatabase(ctx, glue.Database{Name: "sales"}); err != nil {
		t.Fatal(err)
	}
	table := glue.Table{Database: "sales", Name: "orders", Location: "s3://lake/sales/orders/", Format: glue.FormatParquet, Columns: cols}
	if ch, err := cat.EnsureTable(ctx, table); err != nil || ch.Action != datablocks.Created {
		t.Fatalf("EnsureTable = %v, %v", ch, err)
	}
	got, err := client.GetTable(ctx, &awsglue.GetTableInput{DatabaseName: aws.String("sales"), Name: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	if c := got.Table.StorageDescriptor.Columns[1]; aws.ToString(c.Name) != "placed_at" || aws.ToString(c.Type) != "timestamp" {
		t.Errorf("column 1 = %s %s, want placed_at timestamp", aws.ToString(c.Name), aws.ToString(c.Type))
	}

	if _, err := client.CreateCrawler(ctx, &awsglue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/sales/")}}}}); err != nil {
		t.Fatal(err)
	}
	if res, err := glue.NewCrawlerRunner(client, func(o *glue.Options) { o.Wait = w }).Run(ctx, "c"); err != nil || res.Status != types.LastCrawlStatusSucceeded {
		t.Fatalf("crawl = %+v, %v", res, err)
	}
	if _, err := client.CreateJob(ctx, gluetestJob("j")); err != nil {
		t.Fatal(err)
	}
	if res, err := glue.NewJobRunner(client, func(o *glue.Options) { o.Wait = w }).Run(ctx, glue.JobRun{JobName: "j"}); err != nil || res.JobRunState != types.JobRunStateSucceeded {
		t.Fatalf("job run = %+v, %v", res, err)
	}
}

// Over the wire without the fake's clock, nothing moves the fake's time: the wait fails fast
// with the fake's stall report instead of hanging until the deadline.
func TestWaitWithoutTheFakesClockFailsFast(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fake := gluetest.New()
	client := overLocalAWS(t, fake)
	if _, err := client.CreateJob(ctx, gluetestJob("j")); err != nil {
		t.Fatal(err)
	}
	jobs := glue.NewJobRunner(client, func(o *glue.Options) {
		o.Wait = datablocks.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond}
	})
	began := time.Now()
	_, err := jobs.Run(ctx, glue.JobRun{JobName: "j"})
	if err == nil || !strings.Contains(err.Error(), "FakeClockStalled") {
		t.Fatalf("err = %v, want the fake's stall report", err)
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("the stalled wait took %v", d)
	}
}
