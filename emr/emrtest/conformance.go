package emrtest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	eksypes "github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	sltypes "github.com/aws/aws-sdk-go-v2/service/emrserverless/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
)

// Harness gives the conformance suite clients and resources, from a fake or from AWS.
type Harness interface {
	// EMR, Serverless and Containers return the clients under test.
	EMR() emr.StepRunnerAPIClient
	Serverless() emr.ServerlessAPIClient
	Containers() emr.ContainersAPIClient
	// ClusterID returns a WAITING or RUNNING cluster without runtime roles that accepts steps.
	ClusterID(ctx context.Context) (string, error)
	// ApplicationID returns an EMR Serverless Spark application with auto-start.
	ApplicationID(ctx context.Context) (string, error)
	// VirtualClusterID returns a RUNNING EMR on EKS virtual cluster.
	VirtualClusterID(ctx context.Context) (string, error)
	// ExecutionRoleArn is the job runs' role for EMR Serverless and EMR on EKS.
	ExecutionRoleArn() string
	// ReleaseLabel is the EMR on EKS release, such as emr-7.5.0-latest.
	ReleaseLabel() string
	// Spark is a small application that succeeds on every runtime (SparkPi, say).
	Spark() emr.SparkSubmit
	// Clock sleeps between status reads: a ManualClock shared with the fakes, or the system
	// clock against AWS.
	Clock() datablocks.Clock
	// PollDelay is the delay between status reads, and MaxPolls bounds them.
	PollDelay() time.Duration
	MaxPolls() int
	// Close releases what the harness made.
	Close()
}

// HarnessMaker makes a Harness for one subtest.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// RunConformanceTests checks, one subtest per behaviour, that the clients of a Harness behave
// as the three EMR control planes do: typed not-found errors, state machines that reach their
// terminal states in order, client-token idempotency, pagination, and cancellation.
func RunConformanceTests(t *testing.T, newHarness HarnessMaker) {
	t.Helper()
	run := func(name string, fn func(t *testing.T, ctx context.Context, h Harness)) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			h, err := newHarness(ctx, t)
			if err != nil {
				t.Fatalf("harness: %v", err)
			}
			defer h.Close()
			fn(t, ctx, h)
		})
	}
	run("EMR/UnknownClusterIsInvalidRequest", testUnknownCluster)
	run("EMR/StepLifecycle", testStepLifecycle)
	run("EMR/ListStepsPagesAndOrder", testListStepsPages)
	run("EMR/ListStepsRejectsElevenIDs", testListStepsElevenIDs)
	run("Serverless/UnknownApplicationIsNotFound", testServerlessUnknownApp)
	run("Serverless/UnknownJobRunIsNotFound", testServerlessUnknownRun)
	run("Serverless/JobRunLifecycle", testServerlessLifecycle)
	run("Serverless/ClientTokenIsIdempotent", testServerlessToken)
	run("Serverless/CancelJobRun", testServerlessCancel)
	run("EKS/UnknownJobRunIsNotFound", testEKSUnknownRun)
	run("EKS/JobRunLifecycle", testEKSLifecycle)
	run("EKS/CancelJobRun", testEKSCancel)
}

// follow reads a state until terminal, returning the distinct states seen in order.
func follow(t *testing.T, ctx context.Context, h Harness, read func() (string, error), terminal ...string) []string {
	t.Helper()
	var seen []string
	for range h.MaxPolls() {
		s, err := read()
		if err != nil {
			t.Fatalf("reading state: %v", err)
		}
		if len(seen) == 0 || seen[len(seen)-1] != s {
			seen = append(seen, s)
		}
		if slices.Contains(terminal, s) {
			return seen
		}
		if err := h.Clock().Sleep(ctx, h.PollDelay()); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("no terminal state after %d polls; states %v", h.MaxPolls(), seen)
	return nil
}

// inOrder reports whether seen is a subsequence of order (states never go back).
func inOrder(seen, order []string) bool {
	i := 0
	for _, s := range seen {
		j := slices.Index(order[i:], s)
		if j < 0 {
			return false
		}
		i += j
	}
	return true
}

func addSteps(t *testing.T, ctx context.Context, h Harness, n int) (string, []string) {
	t.Helper()
	cluster, err := h.ClusterID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	args, err := h.Spark().StepArgs()
	if err != nil {
		t.Fatal(err)
	}
	var steps []emrtypes.StepConfig
	for range n {
		steps = append(steps, emrtypes.StepConfig{
			Name:            aws.String("conformance"),
			ActionOnFailure: emrtypes.ActionOnFailureContinue,
			HadoopJarStep:   &emrtypes.HadoopJarStepConfig{Jar: aws.String(emr.CommandRunnerJar), Args: args},
		})
	}
	out, err := h.EMR().AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: steps})
	if err != nil {
		t.Fatalf("AddJobFlowSteps: %v", err)
	}
	if len(out.StepIds) != n {
		t.Fatalf("AddJobFlowSteps returned %d IDs for %d steps", len(out.StepIds), n)
	}
	return cluster, out.StepIds
}

func testUnknownCluster(t *testing.T, ctx context.Context, h Harness) {
	_, err := h.EMR().DescribeCluster(ctx, &awsemr.DescribeClusterInput{ClusterId: aws.String("j-00000000000ZZ")})
	var ire *emrtypes.InvalidRequestException
	if !errors.As(err, &ire) {
		t.Fatalf("DescribeCluster of an unknown cluster: got %v, want *types.InvalidRequestException", err)
	}
}

func testStepLifecycle(t *testing.T, ctx context.Context, h Harness) {
	cluster, ids := addSteps(t, ctx, h, 1)
	seen := follow(t, ctx, h, func() (string, error) {
		out, err := h.EMR().ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(cluster), StepIds: ids})
		if err != nil {
			return "", err
		}
		if len(out.Steps) != 1 || aws.ToString(out.Steps[0].Id) != ids[0] {
			t.Fatalf("ListSteps by ID returned %d steps", len(out.Steps))
		}
		return string(out.Steps[0].Status.State), nil
	}, "COMPLETED", "FAILED", "CANCELLED", "INTERRUPTED")
	if seen[len(seen)-1] != "COMPLETED" || !inOrder(seen, []string{"PENDING", "RUNNING", "COMPLETED"}) {
		t.Errorf("step states %v, want an ordered walk PENDING → RUNNING → COMPLETED", seen)
	}
}

func testListStepsPages(t *testing.T, ctx context.Context, h Harness) {
	cluster, ids := addSteps(t, ctx, h, 5)
	p := awsemr.NewListStepsPaginator(h.EMR(), &awsemr.ListStepsInput{ClusterId: aws.String(cluster), StepIds: ids})
	var got []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.Steps {
			got = append(got, aws.ToString(s.Id))
		}
	}
	want := slices.Clone(ids)
	slices.Reverse(want) // newest first
	if !slices.Equal(got, want) {
		t.Errorf("ListSteps pages: got %v, want %v (newest first, each once)", got, want)
	}
	// Clean up: cancel what has not run.
	_, _ = h.EMR().CancelSteps(ctx, &awsemr.CancelStepsInput{ClusterId: aws.String(cluster), StepIds: ids})
}

func testListStepsElevenIDs(t *testing.T, ctx context.Context, h Harness) {
	cluster, err := h.ClusterID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 11)
	for i := range ids {
		ids[i] = "s-0000000000" + string(rune('A'+i)) + "ZZ"
	}
	if _, err := h.EMR().ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(cluster), StepIds: ids}); err == nil {
		t.Error("ListSteps with 11 step IDs succeeded, want an error (at most 10)")
	}
}

func testServerlessUnknownApp(t *testing.T, ctx context.Context, h Harness) {
	_, err := h.Serverless().GetApplication(ctx, &emrserverless.GetApplicationInput{ApplicationId: aws.String("00fzzzzzzzzzzzzz")})
	var nf *sltypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("GetApplication of an unknown application: got %v, want *types.ResourceNotFoundException", err)
	}
}

func testServerlessUnknownRun(t *testing.T, ctx context.Context, h Harness) {
	app, err := h.ApplicationID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Serverless().GetJobRun(ctx, &emrserverless.GetJobRunInput{ApplicationId: aws.String(app), JobRunId: aws.String("00fzzzzzzzzzzzzz")})
	var nf *sltypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("GetJobRun of an unknown job run: got %v, want *types.ResourceNotFoundException", err)
	}
}

func startServerless(t *testing.T, ctx context.Context, h Harness, token string) (string, string) {
	t.Helper()
	app, err := h.ApplicationID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	spark := h.Spark()
	params, err := spark.SubmitParameters()
	if err != nil {
		t.Fatal(err)
	}
	driver := sltypes.SparkSubmit{EntryPoint: aws.String(spark.EntryPoint), EntryPointArguments: spark.Args}
	if params != "" {
		driver.SparkSubmitParameters = aws.String(params)
	}
	out, err := h.Serverless().StartJobRun(ctx, &emrserverless.StartJobRunInput{
		ApplicationId: aws.String(app), ClientToken: aws.String(token), ExecutionRoleArn: aws.String(h.ExecutionRoleArn()),
		JobDriver: &sltypes.JobDriverMemberSparkSubmit{Value: driver}, Name: aws.String("conformance"),
	})
	if err != nil {
		t.Fatalf("StartJobRun: %v", err)
	}
	return app, aws.ToString(out.JobRunId)
}

func serverlessState(ctx context.Context, h Harness, app, run string) func() (string, error) {
	return func() (string, error) {
		out, err := h.Serverless().GetJobRun(ctx, &emrserverless.GetJobRunInput{ApplicationId: aws.String(app), JobRunId: aws.String(run)})
		if err != nil {
			return "", err
		}
		return string(out.JobRun.State), nil
	}
}

func testServerlessLifecycle(t *testing.T, ctx context.Context, h Harness) {
	app, run := startServerless(t, ctx, h, "conformance-"+time.Now().Format("150405.000000"))
	seen := follow(t, ctx, h, serverlessState(ctx, h, app, run), "SUCCESS", "FAILED", "CANCELLED")
	order := []string{"SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "SUCCESS"}
	if seen[len(seen)-1] != "SUCCESS" || !inOrder(seen, order) {
		t.Errorf("job run states %v, want an ordered walk of %v", seen, order)
	}
	p := emrserverless.NewListJobRunAttemptsPaginator(h.Serverless(), &emrserverless.ListJobRunAttemptsInput{ApplicationId: aws.String(app), JobRunId: aws.String(run)})
	n := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListJobRunAttempts: %v", err)
		}
		n += len(page.JobRunAttempts)
	}
	if n != 1 {
		t.Errorf("ListJobRunAttempts: %d attempts, want 1", n)
	}
}

func testServerlessToken(t *testing.T, ctx context.Context, h Harness) {
	token := "conformance-token-" + time.Now().Format("150405.000000")
	app, first := startServerless(t, ctx, h, token)
	_, second := startServerless(t, ctx, h, token)
	if first != second {
		t.Errorf("StartJobRun twice with one client token started %s and %s, want one run", first, second)
	}
	_, _ = h.Serverless().CancelJobRun(ctx, &emrserverless.CancelJobRunInput{ApplicationId: aws.String(app), JobRunId: aws.String(first)})
}

func testServerlessCancel(t *testing.T, ctx context.Context, h Harness) {
	app, run := startServerless(t, ctx, h, "conformance-cancel-"+time.Now().Format("150405.000000"))
	if _, err := h.Serverless().CancelJobRun(ctx, &emrserverless.CancelJobRunInput{ApplicationId: aws.String(app), JobRunId: aws.String(run)}); err != nil {
		t.Fatalf("CancelJobRun: %v", err)
	}
	seen := follow(t, ctx, h, serverlessState(ctx, h, app, run), "SUCCESS", "FAILED", "CANCELLED")
	if seen[len(seen)-1] != "CANCELLED" {
		t.Errorf("cancelled job run states %v, want CANCELLED at the end", seen)
	}
}

func testEKSUnknownRun(t *testing.T, ctx context.Context, h Harness) {
	vc, err := h.VirtualClusterID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Containers().DescribeJobRun(ctx, &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(vc), Id: aws.String("0000000000000000000")})
	var nf *eksypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("DescribeJobRun of an unknown job run: got %v, want *types.ResourceNotFoundException", err)
	}
}

func startEKS(t *testing.T, ctx context.Context, h Harness) (string, string) {
	t.Helper()
	vc, err := h.VirtualClusterID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	spark := h.Spark()
	params, err := spark.SubmitParameters()
	if err != nil {
		t.Fatal(err)
	}
	driver := &eksypes.SparkSubmitJobDriver{EntryPoint: aws.String(spark.EntryPoint), EntryPointArguments: spark.Args}
	if params != "" {
		driver.SparkSubmitParameters = aws.String(params)
	}
	out, err := h.Containers().StartJobRun(ctx, &emrcontainers.StartJobRunInput{
		VirtualClusterId: aws.String(vc), ClientToken: aws.String("conformance-" + time.Now().Format("150405.000000")),
		ExecutionRoleArn: aws.String(h.ExecutionRoleArn()), ReleaseLabel: aws.String(h.ReleaseLabel()),
		JobDriver: &eksypes.JobDriver{SparkSubmitJobDriver: driver}, Name: aws.String("conformance"),
	})
	if err != nil {
		t.Fatalf("StartJobRun: %v", err)
	}
	return vc, aws.ToString(out.Id)
}

func eksState(ctx context.Context, h Harness, vc, run string) func() (string, error) {
	return func() (string, error) {
		out, err := h.Containers().DescribeJobRun(ctx, &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(vc), Id: aws.String(run)})
		if err != nil {
			return "", err
		}
		return string(out.JobRun.State), nil
	}
}

func testEKSLifecycle(t *testing.T, ctx context.Context, h Harness) {
	vc, run := startEKS(t, ctx, h)
	seen := follow(t, ctx, h, eksState(ctx, h, vc, run), "COMPLETED", "FAILED", "CANCELLED")
	order := []string{"PENDING", "SUBMITTED", "RUNNING", "COMPLETED"}
	if seen[len(seen)-1] != "COMPLETED" || !inOrder(seen, order) {
		t.Errorf("job run states %v, want an ordered walk of %v", seen, order)
	}
}

func testEKSCancel(t *testing.T, ctx context.Context, h Harness) {
	vc, run := startEKS(t, ctx, h)
	if _, err := h.Containers().CancelJobRun(ctx, &emrcontainers.CancelJobRunInput{VirtualClusterId: aws.String(vc), Id: aws.String(run)}); err != nil {
		t.Fatalf("CancelJobRun: %v", err)
	}
	seen := follow(t, ctx, h, eksState(ctx, h, vc, run), "COMPLETED", "FAILED", "CANCELLED")
	if seen[len(seen)-1] != "CANCELLED" {
		t.Errorf("cancelled job run states %v, want CANCELLED at the end", seen)
	}
}
