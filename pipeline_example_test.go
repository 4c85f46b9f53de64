package datablocks_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

// runPipeline is a user's pipeline as they would write it: register a schema, crawl the new
// data, then run the same Spark application on EMR on EC2, EMR Serverless and EMR on EKS.
// It takes its clients through the helpers' interfaces, so tests pass fakes and production
// passes the SDK clients.
func runPipeline(ctx context.Context, g *gluetest.Fake, ec2 *emrtest.EMR, sl *emrtest.Serverless, eks *emrtest.Containers) ([]string, error) {
	var states []string
	v, err := glue.NewRegistry(g).Register(ctx, glue.Schema{Name: "orders-value", DataFormat: types.DataFormatAvro,
		Definition: `{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}`})
	if err != nil {
		return nil, err
	}
	states = append(states, "schema "+string(v.Status))
	crawl, err := glue.NewCrawlerRunner(g).RunEphemeral(ctx, glue.EphemeralCrawler{Name: "c_orders", Role: "AWSGlueServiceRole-sales",
		Database: "sales", S3Paths: []string{"s3://lake/sales/orders/"}})
	if err != nil {
		return nil, err
	}
	states = append(states, "crawl "+string(crawl.Status))

	spark := emr.SparkSubmit{EntryPoint: "s3://code/etl.py"}
	const role = "arn:aws:iam::123456789012:role/etl"
	cluster := ec2.AddCluster(emrtest.ClusterConfig{ID: "j-PIPELINE"})
	steps, err := emr.NewStepRunner(ec2).Run(ctx, emr.StepsInput{ClusterID: cluster, Steps: []emr.Step{{Name: "etl", Spark: spark}}})
	if err != nil {
		return nil, err
	}
	states = append(states, "step "+steps[0])
	app := sl.AddApplication(emrtest.ApplicationConfig{})
	slState, err := emr.NewServerlessRunner(sl).Run(ctx, app, emr.JobRun{ExecutionRoleArn: role, Spark: spark})
	if err != nil {
		return nil, err
	}
	states = append(states, "serverless "+slState)
	vc := eks.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	eksState, err := emr.NewContainersRunner(eks).Run(ctx, vc, emr.JobRun{ExecutionRoleArn: role, ReleaseLabel: "emr-7.5.0-latest", Spark: spark})
	if err != nil {
		return nil, err
	}
	return append(states, "eks "+eksState), nil
}

// Testing your pipelines: wire each helper to the fake of its service and nothing else. Every
// fake runs its state machines on its own clock, and a helper given a fake and no clock waits by
// that clock, so the schema version, the crawl and the three Spark runs below (minutes of
// simulated time) take no wall-clock time.
func Example_testingYourPipelines() {
	ctx := context.Background()
	g := gluetest.New()
	g.ScriptCrawls("c_orders", gluetest.CrawlScript{Duration: 3 * time.Minute, TablesCreated: 1})
	ec2, sl, eks := emrtest.NewEMR(), emrtest.NewServerless(), emrtest.NewContainers()
	eks.ScriptNext(emrtest.Outcome{State: "FAILED", Reason: "USER_ERROR", Message: "exit code 1", Duration: 5 * time.Minute})

	states, err := runPipeline(ctx, g, ec2, sl, eks)
	fmt.Println(states)
	var failed *emr.JobFailedError
	if errors.As(err, &failed) {
		fmt.Println("EMR on EKS run failed:", failed.Message)
	}
	// Output:
	// []
	// EMR on EKS run failed: exit code 1
}

// The waits of a pipeline wired as the README shows (helper + fake, nothing else) sleep no
// wall-clock time: a schema version, a crawl, an EMR step, an EMR Serverless run and an EMR on
// EKS run, minutes each by the fakes' clocks, take well under a second together (issue 10).
func TestPipelineWaitsTakeNoWallTime(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	g := gluetest.New()
	g.ScriptCrawls("c_orders", gluetest.CrawlScript{Duration: 3 * time.Minute, TablesCreated: 1})
	ec2, sl, eks := emrtest.NewEMR(), emrtest.NewServerless(), emrtest.NewContainers()
	for _, o := range []emrtest.Outcome{{Duration: 10 * time.Minute}} {
		ec2.ScriptNext(o)
		sl.ScriptNext(o)
		eks.ScriptNext(o)
	}
	start := time.Now()
	states, err := runPipeline(ctx, g, ec2, sl, eks)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"schema AVAILABLE", "crawl SUCCEEDED", "step COMPLETED", "serverless SUCCESS", "eks COMPLETED"}
	if fmt.Sprint(states) != fmt.Sprint(want) {
		t.Fatalf("states = %v, want %v", states, want)
	}
	if elapsed > time.Second {
		t.Fatalf("five waits against the fakes took %v of wall time, want < 1s", elapsed)
	}
	t.Logf("five waits (%v of glue and %v of EMR time each) took %v of wall time", 3*time.Minute, 10*time.Minute, elapsed)
}
