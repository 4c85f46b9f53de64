package emr_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

const runtimeRole = "arn:aws:iam::123456789012:role/analyst-runtime"

var sparkPi = emr.SparkSubmit{
	EntryPoint: "/usr/lib/spark/examples/jars/spark-examples.jar",
	MainClass:  "org.apache.spark.examples.SparkPi",
	Args:       []string{"5"},
}

type stepsEnv struct {
	clock  *datablocks.ManualClock
	fake   *emrtest.EMR
	runner *emr.StepRunner
	events *[]datablocks.Progress
}

// newStepsEnv wires the runner to the fake and nothing else: the runner waits on the fake's
// own clock, which only its waits move.
func newStepsEnv(t *testing.T, fakeOpts ...func(*emrtest.Options)) stepsEnv {
	t.Helper()
	fake := emrtest.NewEMR(fakeOpts...)
	clock := fake.Clock().(*datablocks.ManualClock)
	var events []datablocks.Progress
	runner := emr.NewStepRunner(fake, func(o *emr.Options) {
		o.Wait.Jitter = func() float64 { return 0 }
		o.Wait.OnProgress = func(p datablocks.Progress) { events = append(events, p) }
	})
	return stepsEnv{clock: clock, fake: fake, runner: runner, events: &events}
}

// stepState reads a step's state from the fake with DescribeStep.
func (e stepsEnv) stepState(t *testing.T, cluster, id string) types.StepState {
	t.Helper()
	d, err := e.fake.DescribeStep(context.Background(), &awsemr.DescribeStepInput{ClusterId: aws.String(cluster), StepId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	return d.Step.Status.State
}

// wait1 waits for one step and returns its final state and the error of the wait.
func (e stepsEnv) wait1(ctx context.Context, cluster, id string) (string, error) {
	states, err := e.runner.Wait(ctx, cluster, []string{id})
	if len(states) != 1 {
		return "", err
	}
	return states[0], err
}

func (e stepsEnv) transitions(id string) []string {
	var out []string
	for _, p := range *e.events {
		if p.ID == id {
			out = append(out, p.State)
		}
	}
	return out
}

func piSteps(n int) []emr.Step {
	steps := make([]emr.Step, n)
	for i := range steps {
		steps[i] = emr.Step{Name: fmt.Sprintf("pi-%d", i), Spark: sparkPi}
	}
	return steps
}

func TestStepCompletes(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)})
	if err != nil {
		t.Fatal(err)
	}
	state, err := env.wait1(ctx, cluster, runs[0])
	if err != nil || state != "COMPLETED" {
		t.Fatalf("Wait = %q, %v; want COMPLETED, nil", state, err)
	}
	// One ListSteps per check, 2 s apart (jitter 0): the step runs on the idle cluster at
	// once and completes after the fake's DefaultRunDuration (1m), seen by check 31 at 60 s.
	id := runs[0]
	what := "EMR step " + id + " on cluster " + cluster
	wantProgress := []datablocks.Progress{
		{What: what, ID: id, Attempt: 1, State: "RUNNING"},
		{What: what, ID: id, Attempt: 31, Previous: "RUNNING", State: "COMPLETED", Elapsed: time.Minute},
	}
	if diff := cmp.Diff(wantProgress, *env.events); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	// The step as submitted: command-runner.jar running spark-submit, ActionOnFailure CONTINUE.
	in := env.fake.Calls()[0].Input.(*awsemr.AddJobFlowStepsInput)
	want := []types.StepConfig{{
		Name:            aws.String("pi-0"),
		ActionOnFailure: types.ActionOnFailureContinue,
		HadoopJarStep: &types.HadoopJarStepConfig{Jar: aws.String("command-runner.jar"), Args: []string{
			"spark-submit", "--class", "org.apache.spark.examples.SparkPi", "/usr/lib/spark/examples/jars/spark-examples.jar", "5"}},
	}}
	if diff := cmp.Diff(want, in.Steps, cmp.AllowUnexported(types.StepConfig{}, types.HadoopJarStepConfig{})); diff != "" {
		t.Errorf("steps sent (-want +got):\n%s", diff)
	}
	// Delays: 2 s minimum with zero jitter, reset on every state change.
	for _, d := range env.clock.Sleeps() {
		if d != 2*time.Second {
			t.Errorf("slept %s, want 2s (MinDelay, jitter 0, state changed every poll)", d)
		}
	}
}

func TestStepFailureDetails(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{LogURI: "s3n://logs/emr/"})
	env.fake.ScriptNext(emrtest.Outcome{
		State:   "FAILED",
		Reason:  "Unknown Error.",
		Message: "Insufficient Lake Formation permission(s) on sales",
	})
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)})
	if err != nil {
		t.Fatal(err)
	}
	state, err := env.wait1(ctx, cluster, runs[0])
	var failed *emr.JobFailedError
	if !errors.As(err, &failed) {
		t.Fatalf("Wait = %q, %v; want a *JobFailedError", state, err)
	}
	id := runs[0]
	want := &emr.JobFailedError{
		Runtime: emr.RuntimeSteps, Container: cluster, ID: id, State: "FAILED",
		Reason:  "Unknown Error.",
		Message: "Insufficient Lake Formation permission(s) on sales",
		LogURI:  "s3://logs/emr/" + cluster + "/steps/" + id + "/stderr.gz",
	}
	if diff := cmp.Diff(want, failed); diff != "" {
		t.Errorf("JobFailedError (-want +got):\n%s", diff)
	}
	if state != "FAILED" {
		t.Errorf("state %q, want FAILED", state)
	}
	if got := env.transitions(id); !slices.Equal(got, []string{"RUNNING", "FAILED"}) {
		t.Errorf("progress %v", got)
	}
}

func TestStepsActionOnFailure(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		action       types.ActionOnFailure
		wantStates   []string
		wantCluster  types.ClusterState
		wantFailures int
	}{
		{types.ActionOnFailureContinue, []string{"FAILED", "COMPLETED", "COMPLETED"}, types.ClusterStateWaiting, 1},
		{types.ActionOnFailureCancelAndWait, []string{"FAILED", "CANCELLED", "CANCELLED"}, types.ClusterStateWaiting, 3},
		{types.ActionOnFailureTerminateCluster, []string{"FAILED", "CANCELLED", "CANCELLED"}, types.ClusterStateTerminatedWithErrors, 3},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			env := newStepsEnv(t)
			cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
			env.fake.ScriptNext(emrtest.Outcome{State: "FAILED", Reason: "boom"})
			steps := piSteps(3)
			steps[0].ActionOnFailure = tt.action
			runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: steps})
			if err != nil {
				t.Fatal(err)
			}
			ids := []string{runs[0], runs[1], runs[2]}
			states, err := env.runner.Wait(ctx, cluster, ids)
			if !slices.Equal(states, tt.wantStates) {
				t.Errorf("states %v, want %v", states, tt.wantStates)
			}
			var se *emr.StepsError
			if !errors.As(err, &se) {
				t.Fatalf("err %v, want *StepsError", err)
			}
			n := 0
			for i, e := range se.Errors {
				if e == nil {
					continue
				}
				n++
				var jf *emr.JobFailedError
				if !errors.As(e, &jf) || jf.ID != ids[i] || jf.State != tt.wantStates[i] {
					t.Errorf("Errors[%d] = %v, want *JobFailedError for %s %s", i, e, ids[i], tt.wantStates[i])
				}
			}
			if n != tt.wantFailures {
				t.Errorf("%d failures, want %d", n, tt.wantFailures)
			}
			d, err := env.fake.DescribeCluster(ctx, &awsemr.DescribeClusterInput{ClusterId: aws.String(cluster)})
			if err != nil {
				t.Fatal(err)
			}
			if cs := d.Cluster.Status.State; cs != tt.wantCluster {
				t.Errorf("cluster %s, want %s", cs, tt.wantCluster)
			}
		})
	}
}

func TestRuntimeRoleRequired(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{RuntimeRoles: true})
	_, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)})
	if !errors.Is(err, emr.ErrRuntimeRoleRequired) || !strings.Contains(err.Error(), cluster) || strings.Count(err.Error(), "emr:") != 1 {
		t.Fatalf("err = %v, want ErrRuntimeRoleRequired for %s, with one package prefix", err, cluster)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationException" {
		t.Errorf("the service's ValidationException is not wrapped: %v", err)
	}
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, ExecutionRoleArn: runtimeRole, Steps: piSteps(1)})
	if err != nil {
		t.Fatal(err)
	}
	if state, err := env.wait1(ctx, cluster, runs[0]); err != nil || state != "COMPLETED" {
		t.Errorf("with a runtime role: %q, %v", state, err)
	}
	if got := aws.ToString(env.fake.Calls()[1].Input.(*awsemr.AddJobFlowStepsInput).ExecutionRoleArn); got != runtimeRole {
		t.Errorf("ExecutionRoleArn sent %q", got)
	}
}

func TestStepsValidatedBeforeSending(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
	bad := piSteps(2)
	bad[1].Spark.Conf = map[string]string{"spark executor.memory": "4g"}
	tests := []struct {
		name string
		in   emr.StepsInput
		want string
	}{
		{"no cluster", emr.StepsInput{Steps: piSteps(1)}, "StepsInput.ClusterID is required"},
		{"no steps", emr.StepsInput{ClusterID: cluster}, "StepsInput.Steps is required"},
		{"257 steps", emr.StepsInput{ClusterID: cluster, Steps: piSteps(257)}, "257 steps, over the limit of 256"},
		{"bad conf", emr.StepsInput{ClusterID: cluster, Steps: bad}, `emr: StepsInput.Steps[1]: SparkSubmit.Conf key "spark executor.memory" contains a space`},
		{"no name", emr.StepsInput{ClusterID: cluster, Steps: []emr.Step{{Spark: sparkPi}}}, "Step.Name is required"},
		{"bad action", emr.StepsInput{ClusterID: cluster, Steps: []emr.Step{{Name: "x", Spark: sparkPi, ActionOnFailure: "EXPLODE"}}}, `ActionOnFailure "EXPLODE"`},
		{"role not a role", emr.StepsInput{ClusterID: cluster, ExecutionRoleArn: "arn:aws:iam::123456789012:user/bob", Steps: piSteps(1)}, "is not an IAM role ARN"},
		{"role malformed", emr.StepsInput{ClusterID: cluster, ExecutionRoleArn: "role/bob", Steps: piSteps(1)}, "invalid ARN"},
	}
	for _, tt := range tests {
		_, err := env.runner.Start(ctx, tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
	}
	if calls := env.fake.Calls(); len(calls) != 0 {
		t.Errorf("%d calls sent for invalid input", len(calls))
	}
}

func TestStepConcurrencyAndCancel(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 1})
	env.fake.ScriptNext(emrtest.Outcome{Duration: time.Hour})
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(2)})
	if err != nil {
		t.Fatal(err)
	}
	first, second := runs[0], runs[1]
	// The second step is queued behind the first: cancelling it cancels it at once.
	if err := env.runner.Cancel(ctx, cluster, []string{second}); err != nil {
		t.Fatal(err)
	}
	state, err := env.wait1(ctx, cluster, second)
	var jf *emr.JobFailedError
	if state != "CANCELLED" || !errors.As(err, &jf) || jf.State != "CANCELLED" {
		t.Fatalf("cancelled queued step: %q, %v", state, err)
	}
	// The first one is running: it goes through CANCEL_PENDING to CANCELLED.
	if err := env.runner.Cancel(ctx, cluster, []string{first}); err != nil {
		t.Fatal(err)
	}
	if st := env.stepState(t, cluster, first); st != types.StepStateCancelPending {
		t.Errorf("running step after CancelSteps is %s, want CANCEL_PENDING", st)
	}
	if state, err := env.wait1(ctx, cluster, first); state != "CANCELLED" || !errors.As(err, &jf) {
		t.Errorf("cancelled running step: %q, %v", state, err)
	}
	if got := env.transitions(first); !slices.Equal(got, []string{"CANCEL_PENDING", "CANCELLED"}) {
		t.Errorf("cancelled running step progress %v", got)
	}
	// Cancelling a step that ended is refused, with the service's reason.
	if err := env.runner.Cancel(ctx, cluster, []string{first}); err == nil || !strings.Contains(err.Error(), "cannot be cancelled") {
		t.Errorf("cancelling an ended step: %v", err)
	}
	in := env.fake.Calls()[1].Input.(*awsemr.CancelStepsInput)
	if in.StepCancellationOption != types.StepCancellationOptionSendInterrupt || !slices.Equal(in.StepIds, []string{second}) {
		t.Errorf("CancelSteps input %+v", in)
	}
}

func TestStepWaitToleratesThrottling(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)})
	if err != nil {
		t.Fatal(err)
	}
	env.fake.ThrottleNext("ListSteps", 3)
	state, err := env.wait1(ctx, cluster, runs[0])
	if err != nil || state != "COMPLETED" {
		t.Fatalf("Wait = %q, %v", state, err)
	}
	throttled := 0
	for _, c := range env.fake.Calls() {
		if c.Op == "ListSteps" && c.Err != nil {
			throttled++
		}
	}
	if throttled != 3 {
		t.Errorf("%d throttled ListSteps calls, want 3", throttled)
	}
}

func TestStepWaitStopsOnContextCancel(t *testing.T) {
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
	env.fake.ScriptNext(emrtest.Outcome{Duration: time.Hour})
	runs, err := env.runner.Start(context.Background(), emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	states, err := env.runner.Wait(ctx, cluster, []string{runs[0]}, func(o *emr.Options) {
		o.Wait.OnProgress = func(p datablocks.Progress) {
			if p.State == "RUNNING" {
				cancel()
			}
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if !slices.Equal(states, []string{"RUNNING"}) {
		t.Errorf("states %v, want the last seen [RUNNING]", states)
	}
	if n := env.fake.Count(emrtest.OpListSteps); n != 1 {
		t.Errorf("%d ListSteps calls, want 1 (RUNNING, then stop at once)", n)
	}
	if n := env.fake.Count("CancelSteps"); n != 0 {
		t.Errorf("the wait cancelled the step (%d CancelSteps calls)", n)
	}
	if st := env.stepState(t, cluster, runs[0]); st != types.StepStateRunning {
		t.Errorf("step %s after the wait stopped, want RUNNING", st)
	}
}

func TestStepWaitTimeout(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
	env.fake.ScriptNext(emrtest.Outcome{Duration: time.Hour})
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.runner.Wait(ctx, cluster, []string{runs[0]}, func(o *emr.Options) {
		o.Wait.Timeout = 10 * time.Minute
		o.Wait.Jitter = func() float64 { return 0.5 }
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want a timeout matching context.DeadlineExceeded", err)
	}
	// Backoff: from 2 s, halfway (jitter 0.5) between 2 s and a cap doubling to 30 s (the step
	// stays RUNNING, so nothing resets it): 2, 2+0.5*2, 2+0.5*6, 2+0.5*14, 2+0.5*28, ...
	sleeps := env.clock.Sleeps()
	want := []time.Duration{2 * time.Second, 3 * time.Second, 5 * time.Second, 9 * time.Second, 16 * time.Second, 16 * time.Second}
	if len(sleeps) < len(want) || !slices.Equal(sleeps[:len(want)], want) {
		t.Errorf("delays %v, want to start with %v", sleeps, want)
	}
	var total time.Duration
	for _, d := range sleeps {
		total += d
	}
	if total != 10*time.Minute {
		t.Errorf("slept %s in all, want exactly the 10m timeout", total)
	}
}

// TestWaitHundredStepsListStepsPerRound follows 100 steps of different lengths, ten at a
// time, and checks the call log of every round: a round over the P steps not yet seen to end
// makes at most ceil(P/50)+1 ListSteps calls (issue 14).
func TestWaitHundredStepsListStepsPerRound(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 10})
	outcomes := make([]emrtest.Outcome, 100)
	for i := range outcomes {
		outcomes[i] = emrtest.Outcome{Duration: time.Duration(1+i%7) * time.Minute}
		if i%13 == 0 {
			outcomes[i].State = "FAILED"
		}
	}
	env.fake.ScriptNext(outcomes...)
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(100)})
	if err != nil {
		t.Fatal(err)
	}
	ids := runs
	// A round is every call made at one instant of the fake's clock, which only the wait's
	// sleeps move. The steps not yet ended at a round's start are those without a final
	// state in the progress reported before it.
	start := env.clock.Now()
	calls := map[time.Duration]int{}
	env.fake.KeepControl(emrtest.OpListSteps, func(any) (any, error, bool) {
		calls[env.clock.Now().Sub(start)]++
		return nil, nil, false
	})
	var ended []time.Duration // Elapsed of each final state reported
	states, err := env.runner.Wait(ctx, cluster, ids, func(o *emr.Options) {
		o.Wait.OnProgress = func(p datablocks.Progress) {
			switch p.State {
			case "COMPLETED", "FAILED", "CANCELLED", "INTERRUPTED":
				ended = append(ended, p.Elapsed)
			}
		}
	})
	var se *emr.StepsError
	if !errors.As(err, &se) {
		t.Fatalf("err %v, want *StepsError for the failed steps", err)
	}
	for i, s := range states {
		want := "COMPLETED"
		if i%13 == 0 {
			want = "FAILED"
		}
		if s != want {
			t.Errorf("step %d ended %s, want %s", i, s, want)
		}
	}
	if len(ended) != 100 {
		t.Fatalf("%d final states reported, want 100", len(ended))
	}
	rounds := slices.Sorted(maps.Keys(calls))
	total, most := 0, 0
	for _, at := range rounds {
		active := 0
		for _, e := range ended {
			if e >= at {
				active++
			}
		}
		if bound := (active+49)/50 + 1; calls[at] > bound {
			t.Errorf("round at +%s: %d ListSteps calls for %d steps not yet ended, want at most %d", at, calls[at], active, bound)
		}
		total += calls[at]
		most = max(most, calls[at])
	}
	t.Logf("100 steps: %d ListSteps calls over %d rounds (%.2f a round, at most %d)", total, len(rounds), float64(total)/float64(len(rounds)), most)
	for _, c := range env.fake.Calls() {
		if in, ok := c.Input.(*awsemr.ListStepsInput); ok && len(in.StepIds) > 10 {
			t.Errorf("ListSteps with %d step IDs", len(in.StepIds))
		}
	}
	if n := env.fake.Count(emrtest.OpDescribeStep); n != 0 {
		t.Errorf("%d DescribeStep calls, want none", n)
	}
}

func TestStepsWaitFollowsPages(t *testing.T) {
	ctx := context.Background()
	// Pages of 3: the listing of the 12 active steps needs 4 pages, and the waiter must follow
	// Marker to see every step.
	env := newStepsEnv(t, func(o *emrtest.Options) { o.PageSize = 3 })
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 20})
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(12)})
	if err != nil {
		t.Fatal(err)
	}
	ids := runs
	states, err := env.runner.Wait(ctx, cluster, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 12 || slices.ContainsFunc(states, func(s string) bool { return s != "COMPLETED" }) {
		t.Errorf("states %v", states)
	}
	marked := 0
	for _, c := range env.fake.Calls() {
		if in, ok := c.Input.(*awsemr.ListStepsInput); ok && in.Marker != nil {
			marked++
		}
	}
	if marked == 0 {
		t.Error("no ListSteps call with a Marker: pages not followed")
	}
}

func TestStepWaitUnknownStep(t *testing.T) {
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
	_, err := env.runner.Wait(context.Background(), cluster, []string{"s-NOPE"})
	if err == nil || !strings.Contains(err.Error(), "step s-NOPE not found") {
		t.Errorf("err %v", err)
	}
	_, err = env.runner.Wait(context.Background(), "j-NOPE", []string{"s-NOPE"})
	var ire *types.InvalidRequestException
	if !errors.As(err, &ire) {
		t.Errorf("unknown cluster: err %v, want *types.InvalidRequestException", err)
	}
}

func TestStepInterrupted(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
	env.fake.ScriptNext(emrtest.Outcome{State: "INTERRUPTED"})
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)})
	if err != nil {
		t.Fatal(err)
	}
	state, err := env.wait1(ctx, cluster, runs[0])
	var jf *emr.JobFailedError
	if state != "INTERRUPTED" || !errors.As(err, &jf) || jf.State != "INTERRUPTED" || jf.LogURI != "" {
		t.Errorf("Wait = %q, %v", state, err)
	}
}

// StepConfig.ActionOnFailure (EMR API reference): on a cluster whose StepConcurrencyLevel is
// above 1, CANCEL_AND_WAIT and TERMINATE_CLUSTER are refused. Start refuses them before
// AddJobFlowSteps, naming each step.
func TestStartRefusesExclusiveActionsOnConcurrentCluster(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	conc := env.fake.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 3})
	steps := piSteps(3)
	steps[0].ActionOnFailure = types.ActionOnFailureCancelAndWait
	steps[2].ActionOnFailure = types.ActionOnFailureTerminateCluster
	_, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: conc, Steps: steps})
	for _, want := range []string{"StepsInput.Steps[0].ActionOnFailure CANCEL_AND_WAIT", "StepsInput.Steps[2].ActionOnFailure TERMINATE_CLUSTER", "StepConcurrencyLevel is 3"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err %v, want it to say %q", err, want)
		}
	}
	if n := env.fake.Count(emrtest.OpAddJobFlowSteps); n != 0 {
		t.Errorf("%d AddJobFlowSteps calls, want none", n)
	}
	// CONTINUE, the default, needs no DescribeCluster at all.
	env.fake.ResetCalls()
	if _, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: conc, Steps: piSteps(2)}); err != nil {
		t.Fatal(err)
	}
	if n := env.fake.Count(emrtest.OpDescribeCluster); n != 0 {
		t.Errorf("%d DescribeCluster calls for CONTINUE steps, want none", n)
	}
	// On a cluster running one step at a time they are EMR's to apply.
	single := env.fake.AddCluster(emrtest.ClusterConfig{})
	if _, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: single, Steps: steps}); err != nil {
		t.Errorf("CANCEL_AND_WAIT on a StepConcurrencyLevel 1 cluster: %v", err)
	}
}

// AddJobFlowSteps has no idempotency token. When the service adds the steps and the answer is
// lost (a 500 after the write), Start finds them on the cluster and does not add them again.
func TestStartRetryAfterLostAnswerAddsOnce(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
	// Earlier steps with the same names and arguments, added an hour before, are not this
	// submission.
	if _, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(3)}); err != nil {
		t.Fatal(err)
	}
	env.clock.Advance(time.Hour)
	var written []string
	env.fake.Control(emrtest.OpAddJobFlowSteps, func(in any) (any, error, bool) {
		out, err := env.fake.AddJobFlowSteps(ctx, in.(*awsemr.AddJobFlowStepsInput)) // the write happens
		if err != nil {
			t.Fatal(err)
		}
		written = out.StepIds
		return nil, &smithy.GenericAPIError{Code: "InternalServerError", Message: "lost", Fault: smithy.FaultServer}, true
	})
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(3)})
	if err != nil {
		t.Fatal(err)
	}
	if got := runs; !slices.Equal(got, written) {
		t.Errorf("Start returned %v, want the steps the lost call added %v", got, written)
	}
	out, err := env.fake.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(cluster)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Steps) != 6 {
		t.Errorf("cluster has %d steps, want 6 (3 earlier + 3 added once)", len(out.Steps))
	}
	// One AddJobFlowSteps through the control (plus the write inside it), then one listing.
	var ops []string
	for _, c := range env.fake.Calls()[1:] { // after the first submission
		ops = append(ops, c.Op)
	}
	if want := []string{"AddJobFlowSteps", "AddJobFlowSteps", "ListSteps", "ListSteps"}; !slices.Equal(ops, want) {
		t.Errorf("calls %v, want %v (the write, the failed call, the search, the check above)", ops, want)
	}
}

// Throttling is the service refusing the call: Start retries it without searching.
func TestStartRetriesThrottlingWithoutSearch(t *testing.T) {
	ctx := context.Background()
	env := newStepsEnv(t)
	cluster := env.fake.AddCluster(emrtest.ClusterConfig{})
	env.fake.ThrottleNext(emrtest.OpAddJobFlowSteps, 2)
	runs, err := env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(2)})
	if err != nil || len(runs) != 2 {
		t.Fatalf("Start = %v, %v", runs, err)
	}
	if n, l := env.fake.Count(emrtest.OpAddJobFlowSteps), env.fake.Count(emrtest.OpListSteps); n != 3 || l != 0 {
		t.Errorf("%d AddJobFlowSteps and %d ListSteps calls, want 3 and 0", n, l)
	}
	// A bound on attempts is a Retry option.
	env.fake.ThrottleNext(emrtest.OpAddJobFlowSteps, 2)
	_, err = env.runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)}, func(o *emr.Options) { o.Retry.MaxAttempts = 2 })
	if err == nil {
		t.Error("two throttled attempts with Retry.MaxAttempts 2 succeeded")
	}
}
