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

// RunConformanceTests checks, one subtest per behavior, that the clients of a Harness behave
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
	run("Serverless/AttemptsListed", testServerlessAttempts)
	for _, rt := range []struct {
		name string
		runs jobRuns
	}{{"Serverless", serverlessRuns}, {"EKS", eksRuns}} {
		run(rt.name+"/UnknownJobRunIsNotFound", rt.runs.testUnknownRun)
		run(rt.name+"/JobRunLifecycle", rt.runs.testLifecycle)
		run(rt.name+"/ClientTokenIsIdempotent", rt.runs.testToken)
		run(rt.name+"/CancelJobRun", rt.runs.testCancel)
	}
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
	defer func() { // cancel what has not run
		_, _ = h.EMR().CancelSteps(ctx, &awsemr.CancelStepsInput{ClusterId: aws.String(cluster), StepIds: ids})
	}()
	list := func(in *awsemr.ListStepsInput) []string {
		var got []string
		p := awsemr.NewListStepsPaginator(h.EMR(), in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range page.Steps {
				got = append(got, aws.ToString(s.Id))
			}
		}
		return got
	}
	// Filtered by step IDs, every step comes once; the API reference promises no order.
	got := list(&awsemr.ListStepsInput{ClusterId: aws.String(cluster), StepIds: ids})
	if want := slices.Sorted(slices.Values(ids)); !slices.Equal(slices.Sorted(slices.Values(got)), want) {
		t.Errorf("ListSteps by ID: got %v, want each of %v once", got, ids)
	}
	// Unfiltered, ListSteps lists "in reverse order": the newest step first.
	all := list(&awsemr.ListStepsInput{ClusterId: aws.String(cluster)})
	want := slices.Clone(ids)
	slices.Reverse(want)
	if len(all) < len(want) || !slices.Equal(all[:len(want)], want) {
		t.Errorf("ListSteps: got %v, want to start with the new steps newest first %v", all, want)
	}
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

// jobRuns describes a job-run control plane, EMR Serverless or EMR on EKS, to the subtests
// they share.
type jobRuns struct {
	// start starts h.Spark() with the client token and returns the application or virtual
	// cluster and the job run ID.
	start func(t *testing.T, ctx context.Context, h Harness, token string) (container, id string)
	// state reads a job run's state.
	state func(ctx context.Context, h Harness, container, id string) (string, error)
	// cancel cancels a job run.
	cancel func(ctx context.Context, h Harness, container, id string) error
	// container returns the application or virtual cluster to run on.
	container func(ctx context.Context, h Harness) (string, error)
	// success is the documented walk to success; terminal lists the final states.
	success, terminal []string
	// unknownID is a well-formed ID no job run has.
	unknownID string
	// notFound reports whether err is the service's typed ResourceNotFoundException.
	notFound func(err error) bool
}

// sparkDriver renders h.Spark() as the fields of a Spark job driver; params is nil when the
// application has no options.
func sparkDriver(t *testing.T, h Harness) (entryPoint *string, args []string, params *string) {
	t.Helper()
	spark := h.Spark()
	p, err := spark.SubmitParameters()
	if err != nil {
		t.Fatal(err)
	}
	if p != "" {
		params = aws.String(p)
	}
	return aws.String(spark.EntryPoint), spark.Args, params
}

var serverlessRuns = jobRuns{
	start: func(t *testing.T, ctx context.Context, h Harness, token string) (string, string) {
		t.Helper()
		app, err := h.ApplicationID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		entry, args, params := sparkDriver(t, h)
		driver := sltypes.SparkSubmit{EntryPoint: entry, EntryPointArguments: args, SparkSubmitParameters: params}
		out, err := h.Serverless().StartJobRun(ctx, &emrserverless.StartJobRunInput{
			ApplicationId: aws.String(app), ClientToken: aws.String(token), ExecutionRoleArn: aws.String(h.ExecutionRoleArn()),
			JobDriver: &sltypes.JobDriverMemberSparkSubmit{Value: driver}, Name: aws.String("conformance"),
		})
		if err != nil {
			t.Fatalf("StartJobRun: %v", err)
		}
		return app, aws.ToString(out.JobRunId)
	},
	state: func(ctx context.Context, h Harness, app, id string) (string, error) {
		out, err := h.Serverless().GetJobRun(ctx, &emrserverless.GetJobRunInput{ApplicationId: aws.String(app), JobRunId: aws.String(id)})
		if err != nil {
			return "", err
		}
		return string(out.JobRun.State), nil
	},
	cancel: func(ctx context.Context, h Harness, app, id string) error {
		_, err := h.Serverless().CancelJobRun(ctx, &emrserverless.CancelJobRunInput{ApplicationId: aws.String(app), JobRunId: aws.String(id)})
		return err
	},
	container: func(ctx context.Context, h Harness) (string, error) { return h.ApplicationID(ctx) },
	success:   []string{"SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "SUCCESS"},
	terminal:  []string{"SUCCESS", "FAILED", "CANCELLED"},
	unknownID: "00fzzzzzzzzzzzzz",
	notFound: func(err error) bool {
		var nf *sltypes.ResourceNotFoundException
		return errors.As(err, &nf)
	},
}

var eksRuns = jobRuns{
	start: func(t *testing.T, ctx context.Context, h Harness, token string) (string, string) {
		t.Helper()
		vc, err := h.VirtualClusterID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		entry, args, params := sparkDriver(t, h)
		driver := &eksypes.SparkSubmitJobDriver{EntryPoint: entry, EntryPointArguments: args, SparkSubmitParameters: params}
		out, err := h.Containers().StartJobRun(ctx, &emrcontainers.StartJobRunInput{
			VirtualClusterId: aws.String(vc), ClientToken: aws.String(token),
			ExecutionRoleArn: aws.String(h.ExecutionRoleArn()), ReleaseLabel: aws.String(h.ReleaseLabel()),
			JobDriver: &eksypes.JobDriver{SparkSubmitJobDriver: driver}, Name: aws.String("conformance"),
		})
		if err != nil {
			t.Fatalf("StartJobRun: %v", err)
		}
		return vc, aws.ToString(out.Id)
	},
	state: func(ctx context.Context, h Harness, vc, id string) (string, error) {
		out, err := h.Containers().DescribeJobRun(ctx, &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(vc), Id: aws.String(id)})
		if err != nil {
			return "", err
		}
		return string(out.JobRun.State), nil
	},
	cancel: func(ctx context.Context, h Harness, vc, id string) error {
		_, err := h.Containers().CancelJobRun(ctx, &emrcontainers.CancelJobRunInput{VirtualClusterId: aws.String(vc), Id: aws.String(id)})
		return err
	},
	container: func(ctx context.Context, h Harness) (string, error) { return h.VirtualClusterID(ctx) },
	success:   []string{"PENDING", "SUBMITTED", "RUNNING", "COMPLETED"},
	terminal:  []string{"COMPLETED", "FAILED", "CANCELLED"},
	unknownID: "0000000000000000000",
	notFound: func(err error) bool {
		var nf *eksypes.ResourceNotFoundException
		return errors.As(err, &nf)
	},
}

// token returns a client token unique to this run of the suite.
func token(kind string) string {
	return "conformance-" + kind + "-" + time.Now().UTC().Format("150405.000000000")
}

func (r jobRuns) testUnknownRun(t *testing.T, ctx context.Context, h Harness) {
	c, err := r.container(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.state(ctx, h, c, r.unknownID); !r.notFound(err) {
		t.Fatalf("reading an unknown job run: got %v, want the service's *types.ResourceNotFoundException", err)
	}
}

func (r jobRuns) testLifecycle(t *testing.T, ctx context.Context, h Harness) {
	c, id := r.start(t, ctx, h, token("run"))
	seen := follow(t, ctx, h, func() (string, error) { return r.state(ctx, h, c, id) }, r.terminal...)
	if seen[len(seen)-1] != r.success[len(r.success)-1] || !inOrder(seen, r.success) {
		t.Errorf("job run states %v, want an ordered walk of %v", seen, r.success)
	}
}

func (r jobRuns) testToken(t *testing.T, ctx context.Context, h Harness) {
	tok := token("token")
	c, first := r.start(t, ctx, h, tok)
	_, second := r.start(t, ctx, h, tok)
	if first != second {
		t.Errorf("StartJobRun twice with one client token started %s and %s, want one run", first, second)
	}
	_ = r.cancel(ctx, h, c, first)
}

func (r jobRuns) testCancel(t *testing.T, ctx context.Context, h Harness) {
	c, id := r.start(t, ctx, h, token("cancel"))
	if err := r.cancel(ctx, h, c, id); err != nil {
		t.Fatalf("CancelJobRun: %v", err)
	}
	seen := follow(t, ctx, h, func() (string, error) { return r.state(ctx, h, c, id) }, r.terminal...)
	if seen[len(seen)-1] != "CANCELLED" {
		t.Errorf("cancelled job run states %v, want CANCELLED at the end", seen)
	}
}

func testServerlessAttempts(t *testing.T, ctx context.Context, h Harness) {
	app, run := serverlessRuns.start(t, ctx, h, token("attempts"))
	follow(t, ctx, h, func() (string, error) { return serverlessRuns.state(ctx, h, app, run) }, serverlessRuns.terminal...)
	p := emrserverless.NewListJobRunAttemptsPaginator(h.Serverless(), &emrserverless.ListJobRunAttemptsInput{ApplicationId: aws.String(app), JobRunId: aws.String(run)})
	n := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListJobRunAttempts: %v", err)
		}
		for _, a := range page.JobRunAttempts {
			n++
			if got := aws.ToInt32(a.Attempt); int(got) != n {
				t.Errorf("attempt %d listed as number %d", n, got)
			}
		}
	}
	if n != 1 {
		t.Errorf("ListJobRunAttempts: %d attempts, want 1 (no retry policy)", n)
	}
}
