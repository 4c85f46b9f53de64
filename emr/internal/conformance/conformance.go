// Package conformance checks clients of the three EMR control planes (the emrtest fakes
// in-process or over localaws, or the SDK clients against AWS) against the behavior of the
// services. It speaks SDK types only and does not import package emr, so that the fakes and
// the helpers are independent readings of AWS.
package conformance

import (
	"context"
	"errors"
	"slices"
	"strings"
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
)

// EMRClient is what the conformance suite calls on EMR: the SDK's *emr.Client methods.
type EMRClient interface {
	AddJobFlowSteps(ctx context.Context, params *awsemr.AddJobFlowStepsInput, optFns ...func(*awsemr.Options)) (*awsemr.AddJobFlowStepsOutput, error)
	ListSteps(ctx context.Context, params *awsemr.ListStepsInput, optFns ...func(*awsemr.Options)) (*awsemr.ListStepsOutput, error)
	DescribeStep(ctx context.Context, params *awsemr.DescribeStepInput, optFns ...func(*awsemr.Options)) (*awsemr.DescribeStepOutput, error)
	CancelSteps(ctx context.Context, params *awsemr.CancelStepsInput, optFns ...func(*awsemr.Options)) (*awsemr.CancelStepsOutput, error)
	DescribeCluster(ctx context.Context, params *awsemr.DescribeClusterInput, optFns ...func(*awsemr.Options)) (*awsemr.DescribeClusterOutput, error)
}

// ServerlessClient is what the conformance suite calls on EMR Serverless: the SDK's
// *emrserverless.Client methods.
type ServerlessClient interface {
	StartJobRun(ctx context.Context, params *emrserverless.StartJobRunInput, optFns ...func(*emrserverless.Options)) (*emrserverless.StartJobRunOutput, error)
	GetJobRun(ctx context.Context, params *emrserverless.GetJobRunInput, optFns ...func(*emrserverless.Options)) (*emrserverless.GetJobRunOutput, error)
	CancelJobRun(ctx context.Context, params *emrserverless.CancelJobRunInput, optFns ...func(*emrserverless.Options)) (*emrserverless.CancelJobRunOutput, error)
	ListJobRunAttempts(ctx context.Context, params *emrserverless.ListJobRunAttemptsInput, optFns ...func(*emrserverless.Options)) (*emrserverless.ListJobRunAttemptsOutput, error)
	StartApplication(ctx context.Context, params *emrserverless.StartApplicationInput, optFns ...func(*emrserverless.Options)) (*emrserverless.StartApplicationOutput, error)
	GetApplication(ctx context.Context, params *emrserverless.GetApplicationInput, optFns ...func(*emrserverless.Options)) (*emrserverless.GetApplicationOutput, error)
}

// ContainersClient is what the conformance suite calls on EMR on EKS: the SDK's
// *emrcontainers.Client methods.
type ContainersClient interface {
	StartJobRun(ctx context.Context, params *emrcontainers.StartJobRunInput, optFns ...func(*emrcontainers.Options)) (*emrcontainers.StartJobRunOutput, error)
	DescribeJobRun(ctx context.Context, params *emrcontainers.DescribeJobRunInput, optFns ...func(*emrcontainers.Options)) (*emrcontainers.DescribeJobRunOutput, error)
	CancelJobRun(ctx context.Context, params *emrcontainers.CancelJobRunInput, optFns ...func(*emrcontainers.Options)) (*emrcontainers.CancelJobRunOutput, error)
}

// Harness gives the conformance suite clients and resources, from the fakes (in-process or
// over localaws) or from AWS.
type Harness interface {
	// EMR, Serverless and Containers return the clients under test.
	EMR() EMRClient
	Serverless() ServerlessClient
	Containers() ContainersClient
	// ClusterID returns a WAITING or RUNNING cluster with StepConcurrencyLevel 1 and without
	// runtime roles that accepts steps.
	ClusterID(ctx context.Context) (string, error)
	// ConcurrentClusterID returns such a cluster with StepConcurrencyLevel above 1.
	ConcurrentClusterID(ctx context.Context) (string, error)
	// ApplicationID returns an EMR Serverless Spark application with auto-start.
	ApplicationID(ctx context.Context) (string, error)
	// StoppedApplicationID returns an EMR Serverless Spark application with auto-start that is
	// CREATED or STOPPED.
	StoppedApplicationID(ctx context.Context) (string, error)
	// VirtualClusterID returns a RUNNING EMR on EKS virtual cluster.
	VirtualClusterID(ctx context.Context) (string, error)
	// ExecutionRoleArn is the job runs' role for EMR Serverless and EMR on EKS.
	ExecutionRoleArn() string
	// ReleaseLabel is the EMR on EKS release, such as emr-7.5.0-latest.
	ReleaseLabel() string
	// Spark is a small application that succeeds on every runtime (SparkPi, say): its
	// spark-submit options (such as --class org.apache.spark.examples.SparkPi), entry point and
	// arguments.
	Spark() (options []string, entryPoint string, args []string)
	// Clock sleeps between status reads: the fakes' clock, or the system clock against AWS.
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
// terminal states in order, client-token idempotency, pagination and order of ListSteps,
// ActionOnFailure on concurrent clusters, unknown EMR on EKS releases, application auto-start,
// and cancellation.
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
	run("EMR/ConcurrentClusterRefusesCancelAndWait", testConcurrentActionOnFailure)
	run("Serverless/UnknownApplicationIsNotFound", testServerlessUnknownApp)
	run("Serverless/AttemptsListed", testServerlessAttempts)
	run("Serverless/AutoStartPassesThroughStarting", testServerlessAutoStart)
	run("EKS/UnknownReleaseIsNotFound", testEKSUnknownRelease)
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

// commandRunnerJar is the jar EMR steps run spark-submit with.
const commandRunnerJar = "command-runner.jar"

// stepConfigs returns n Spark steps of h.Spark() with action.
func stepConfigs(h Harness, n int, action emrtypes.ActionOnFailure) []emrtypes.StepConfig {
	opts, entry, args := h.Spark()
	cmd := append(append(append([]string{"spark-submit"}, opts...), entry), args...)
	var steps []emrtypes.StepConfig
	for range n {
		steps = append(steps, emrtypes.StepConfig{
			Name:            aws.String("conformance"),
			ActionOnFailure: action,
			HadoopJarStep:   &emrtypes.HadoopJarStepConfig{Jar: aws.String(commandRunnerJar), Args: slices.Clone(cmd)},
		})
	}
	return steps
}

func addSteps(t *testing.T, ctx context.Context, h Harness, n int) (string, []string) {
	t.Helper()
	cluster, err := h.ClusterID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out, err := h.EMR().AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(h, n, emrtypes.ActionOnFailureContinue)})
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
	// The API reference (ListSteps): "Provides a list of steps for the cluster in reverse
	// order unless you specify stepIds with the request or filter by StepStates." Filtered by
	// step IDs or by states, the steps come in submission order.
	if got := list(&awsemr.ListStepsInput{ClusterId: aws.String(cluster), StepIds: ids}); !slices.Equal(got, ids) {
		t.Errorf("ListSteps by ID: got %v, want %v in submission order", got, ids)
	}
	var mine []string
	for _, id := range list(&awsemr.ListStepsInput{ClusterId: aws.String(cluster), StepStates: []emrtypes.StepState{emrtypes.StepStatePending, emrtypes.StepStateRunning}}) {
		if slices.Contains(ids, id) {
			mine = append(mine, id)
		}
	}
	if len(mine) == 0 || !slices.IsSortedFunc(mine, func(a, b string) int { return slices.Index(ids, a) - slices.Index(ids, b) }) {
		t.Errorf("ListSteps by state: got %v of the new steps, want them in submission order", mine)
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

// sparkDriver returns h.Spark() as the fields of a Spark job driver; params is nil without
// options.
func sparkDriver(h Harness) (entryPoint *string, args []string, params *string) {
	opts, entry, args := h.Spark()
	if len(opts) > 0 {
		params = aws.String(strings.Join(opts, " "))
	}
	return aws.String(entry), args, params
}

var serverlessRuns = jobRuns{
	start: func(t *testing.T, ctx context.Context, h Harness, token string) (string, string) {
		t.Helper()
		app, err := h.ApplicationID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		entry, args, params := sparkDriver(h)
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
		entry, args, params := sparkDriver(h)
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

// testConcurrentActionOnFailure checks the rule of the API reference (StepConfig,
// ActionOnFailure): "If a cluster's StepConcurrencyLevel is greater than 1, do not use
// AddJobFlowSteps to submit a step with this parameter set to CANCEL_AND_WAIT or
// TERMINATE_CLUSTER. The step is not submitted and the action fails".
func testConcurrentActionOnFailure(t *testing.T, ctx context.Context, h Harness) {
	cluster, err := h.ConcurrentClusterID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range []emrtypes.ActionOnFailure{emrtypes.ActionOnFailureCancelAndWait, emrtypes.ActionOnFailureTerminateCluster} {
		_, err := h.EMR().AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(h, 1, action)})
		if err == nil {
			t.Errorf("AddJobFlowSteps with %s on a concurrent cluster succeeded, want it refused", action)
		}
	}
	out, err := h.EMR().ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(cluster)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range out.Steps {
		if s.ActionOnFailure == emrtypes.ActionOnFailureCancelAndWait || s.ActionOnFailure == emrtypes.ActionOnFailureTerminateCluster {
			t.Errorf("step %s with %s was submitted", aws.ToString(s.Id), s.ActionOnFailure)
		}
	}
}

// testServerlessAutoStart checks that a job run started on a stopped application with
// auto-start brings the application through STARTING to STARTED (application states of the
// EMR Serverless user guide: CREATED, STARTING, STARTED, STOPPING, STOPPED) and then runs.
func testServerlessAutoStart(t *testing.T, ctx context.Context, h Harness) {
	app, err := h.StoppedApplicationID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entry, args, params := sparkDriver(h)
	out, err := h.Serverless().StartJobRun(ctx, &emrserverless.StartJobRunInput{
		ApplicationId: aws.String(app), ClientToken: aws.String(token("autostart")), ExecutionRoleArn: aws.String(h.ExecutionRoleArn()),
		JobDriver: &sltypes.JobDriverMemberSparkSubmit{Value: sltypes.SparkSubmit{EntryPoint: entry, EntryPointArguments: args, SparkSubmitParameters: params}},
	})
	if err != nil {
		t.Fatalf("StartJobRun: %v", err)
	}
	seen := follow(t, ctx, h, func() (string, error) {
		out, err := h.Serverless().GetApplication(ctx, &emrserverless.GetApplicationInput{ApplicationId: aws.String(app)})
		if err != nil {
			return "", err
		}
		return string(out.Application.State), nil
	}, "STARTED")
	if !slices.Contains(seen, "STARTING") || !inOrder(seen, []string{"CREATED", "STOPPED", "STARTING", "STARTED"}) {
		t.Errorf("application states after an auto-starting job run: %v, want STARTING before STARTED", seen)
	}
	states := follow(t, ctx, h, func() (string, error) { return serverlessRuns.state(ctx, h, app, aws.ToString(out.JobRunId)) }, serverlessRuns.terminal...)
	if states[len(states)-1] != "SUCCESS" {
		t.Errorf("job run on an auto-started application: states %v, want SUCCESS at the end", states)
	}
}

// testEKSUnknownRelease checks that EMR on EKS refuses a release label that names no release
// with ResourceNotFoundException ("Release ... does not exist").
func testEKSUnknownRelease(t *testing.T, ctx context.Context, h Harness) {
	vc, err := h.VirtualClusterID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entry, args, params := sparkDriver(h)
	_, err = h.Containers().StartJobRun(ctx, &emrcontainers.StartJobRunInput{
		VirtualClusterId: aws.String(vc), ClientToken: aws.String(token("release")),
		ExecutionRoleArn: aws.String(h.ExecutionRoleArn()), ReleaseLabel: aws.String("emr-6.55.0-latest"),
		JobDriver: &eksypes.JobDriver{SparkSubmitJobDriver: &eksypes.SparkSubmitJobDriver{EntryPoint: entry, EntryPointArguments: args, SparkSubmitParameters: params}},
	})
	var nf *eksypes.ResourceNotFoundException
	if !errors.As(err, &nf) || !strings.Contains(nf.ErrorMessage(), "does not exist") {
		t.Fatalf("StartJobRun with release emr-6.55.0-latest: got %v, want ResourceNotFoundException \"Release ... does not exist\"", err)
	}
}
