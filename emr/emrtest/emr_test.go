package emrtest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

func stepConfigs(n int) []types.StepConfig {
	out := make([]types.StepConfig, n)
	for i := range out {
		out[i] = types.StepConfig{Name: aws.String(fmt.Sprint("s", i)), ActionOnFailure: types.ActionOnFailureContinue,
			HadoopJarStep: &types.HadoopJarStepConfig{Jar: aws.String("command-runner.jar"), Args: []string{"spark-submit", "s3://a/b.py"}}}
	}
	return out
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func newEMR(optFns ...func(*emrtest.Options)) (*emrtest.EMR, *datablocks.ManualClock) {
	clock := datablocks.NewManualClock(time.Time{})
	return emrtest.NewEMR(append([]func(*emrtest.Options){func(o *emrtest.Options) { o.Clock = clock }}, optFns...)...), clock
}

// states reads the steps' states with DescribeStep.
func states(t *testing.T, f *emrtest.EMR, cluster string, ids []string) []types.StepState {
	t.Helper()
	var out []types.StepState
	for _, id := range ids {
		d, err := f.DescribeStep(context.Background(), &awsemr.DescribeStepInput{ClusterId: aws.String(cluster), StepId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d.Step.Status.State)
	}
	return out
}

// clusterState reads the cluster's state with DescribeCluster.
func clusterState(t *testing.T, f *emrtest.EMR, cluster string) types.ClusterState {
	t.Helper()
	d, err := f.DescribeCluster(context.Background(), &awsemr.DescribeClusterInput{ClusterId: aws.String(cluster)})
	if err != nil {
		t.Fatal(err)
	}
	return d.Cluster.Status.State
}

// Steps move by the fake's clock alone: reads change nothing, two slots run two steps of a
// minute each, and the freed slots go to the next steps at the moment the first ones end.
func TestEMRStepsMoveByClockOnly(t *testing.T) {
	ctx := context.Background()
	f, clock := newEMR()
	cluster := f.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 2})
	out, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(4)})
	if err != nil {
		t.Fatal(err)
	}
	ids := out.StepIds
	run, pend, done := types.StepStateRunning, types.StepStatePending, types.StepStateCompleted
	if got := states(t, f, cluster, ids); !slices.Equal(got, []types.StepState{run, run, pend, pend}) {
		t.Fatalf("at once: %v", got)
	}
	in := &awsemr.ListStepsInput{ClusterId: aws.String(cluster)}
	const stallReads = 3 // fakecontrol's documented threshold
	for i := 1; i < stallReads; i++ {
		if _, err := f.ListSteps(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	// The same read again with the clock standing still: the fake says nothing moves it.
	if _, err := f.ListSteps(ctx, in); apiCode(err) != fakecontrol.StalledCode {
		t.Fatalf("read %d at the same time: %v, want %s", stallReads, err, fakecontrol.StalledCode)
	}
	if got := states(t, f, cluster, ids); !slices.Equal(got, []types.StepState{run, run, pend, pend}) {
		t.Fatalf("after reads only: %v", got)
	}
	clock.Advance(time.Minute - time.Second)
	if got := states(t, f, cluster, ids); !slices.Equal(got, []types.StepState{run, run, pend, pend}) {
		t.Fatalf("after 59s: %v", got)
	}
	clock.Advance(time.Second)
	if got := states(t, f, cluster, ids); !slices.Equal(got, []types.StepState{done, done, run, run}) {
		t.Fatalf("after 1m: %v", got)
	}
	// Two minutes later at once: the second pair started at 1m, not when read.
	clock.Advance(2 * time.Minute)
	if got := states(t, f, cluster, ids); !slices.Equal(got, []types.StepState{done, done, done, done}) {
		t.Fatalf("after 3m: %v", got)
	}
	d, err := f.DescribeStep(ctx, &awsemr.DescribeStepInput{ClusterId: aws.String(cluster), StepId: aws.String(ids[3])})
	if err != nil {
		t.Fatal(err)
	}
	tl := d.Step.Status.Timeline
	if got := aws.ToTime(tl.EndDateTime).Sub(aws.ToTime(tl.CreationDateTime)); got != 2*time.Minute {
		t.Errorf("step 4 ended %s after creation, want 2m (queued 1m, ran 1m)", got)
	}
	if cs := clusterState(t, f, cluster); cs != types.ClusterStateWaiting {
		t.Errorf("idle cluster %s, want WAITING", cs)
	}
}

// ListSteps pages and orders as the API reference says: 50 a page, newest first without
// filters, submission order with StepIds or StepStates.
func TestEMRListStepsPagesAndOrder(t *testing.T) {
	ctx := context.Background()
	f, _ := newEMR()
	cluster := f.AddCluster(emrtest.ClusterConfig{})
	var ids []string
	for range 2 {
		out, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(60)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.StepIds...)
	}
	list := func(in *awsemr.ListStepsInput) (got []string, sizes []int) {
		p := awsemr.NewListStepsPaginator(f, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(page.Steps))
			for _, s := range page.Steps {
				got = append(got, aws.ToString(s.Id))
			}
		}
		return got, sizes
	}
	newest := slices.Clone(ids)
	slices.Reverse(newest)
	got, sizes := list(&awsemr.ListStepsInput{ClusterId: aws.String(cluster)})
	if !slices.Equal(got, newest) || !slices.Equal(sizes, []int{50, 50, 20}) {
		t.Errorf("unfiltered: pages %v, newest first %v", sizes, slices.Equal(got, newest))
	}
	got, sizes = list(&awsemr.ListStepsInput{ClusterId: aws.String(cluster), StepStates: []types.StepState{types.StepStatePending}})
	if !slices.Equal(got, ids[1:]) || !slices.Equal(sizes, []int{50, 50, 19}) {
		t.Errorf("PENDING: pages %v, in submission order %v", sizes, slices.Equal(got, ids[1:]))
	}
	pick := []string{ids[7], ids[3], ids[100]}
	if got, _ := list(&awsemr.ListStepsInput{ClusterId: aws.String(cluster), StepIds: pick}); !slices.Equal(got, []string{ids[3], ids[7], ids[100]}) {
		t.Errorf("by ID: %v, want submission order", got)
	}
	if _, err := f.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(cluster), StepIds: ids[:11]}); apiCode(err) != "ValidationException" {
		t.Errorf("11 step IDs: %v", err)
	}
	small := emrtest.NewEMR(func(o *emrtest.Options) { o.PageSize = 7 })
	c2 := small.AddCluster(emrtest.ClusterConfig{})
	if _, err := small.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(c2), Steps: stepConfigs(10)}); err != nil {
		t.Fatal(err)
	}
	page, err := small.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(c2)})
	if err != nil || len(page.Steps) != 7 || page.Marker == nil {
		t.Errorf("PageSize 7: %d steps, marker %v, %v", len(page.Steps), page.Marker, err)
	}
}

func TestEMRErrors(t *testing.T) {
	ctx := context.Background()
	f, _ := newEMR()
	cluster := f.AddCluster(emrtest.ClusterConfig{})
	add := func(in *awsemr.AddJobFlowStepsInput) error { _, err := f.AddJobFlowSteps(ctx, in); return err }
	if err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String("j-NOPE"), Steps: stepConfigs(1)}); apiCode(err) != "InvalidRequestException" {
		t.Errorf("unknown cluster: %v", err)
	}
	if err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(257)}); apiCode(err) != "ValidationException" {
		t.Errorf("257 active steps: %v", err)
	}
	if err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(1), ExecutionRoleArn: aws.String("arn:aws:iam::123456789012:role/r")}); apiCode(err) != "ValidationException" {
		t.Errorf("runtime role on a plain cluster: %v", err)
	}
	noName := stepConfigs(1)
	noName[0].Name = nil
	if err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: noName}); apiCode(err) != "ValidationException" {
		t.Errorf("step without a name: %v", err)
	}
	badAction := stepConfigs(1)
	badAction[0].ActionOnFailure = "RETRY"
	if err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: badAction}); apiCode(err) != "ValidationException" {
		t.Errorf("ActionOnFailure RETRY: %v", err)
	}
	rr := f.AddCluster(emrtest.ClusterConfig{RuntimeRoles: true})
	err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(rr), Steps: stepConfigs(1)})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorMessage() != "Runtime roles are required for this cluster. Please specify the role using the ExecutionRoleArn parameter." {
		t.Errorf("no runtime role: %v", err)
	}
	long := stepConfigs(1)
	long[0].HadoopJarStep.Args = []string{string(make([]byte, 10240))}
	if err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: long}); apiCode(err) != "ValidationException" {
		t.Errorf("step over 10240 characters: %v", err)
	}
	// StepConfig.ActionOnFailure: CANCEL_AND_WAIT and TERMINATE_CLUSTER are refused on a
	// cluster with StepConcurrencyLevel > 1, and nothing of the call is added.
	conc := f.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 4})
	for _, a := range []types.ActionOnFailure{types.ActionOnFailureCancelAndWait, types.ActionOnFailureTerminateCluster, types.ActionOnFailureTerminateJobFlow} {
		steps := stepConfigs(2)
		steps[1].ActionOnFailure = a
		if err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(conc), Steps: steps}); apiCode(err) != "ValidationException" {
			t.Errorf("%s on a concurrent cluster: %v", a, err)
		}
	}
	if out, _ := f.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(conc)}); len(out.Steps) != 0 {
		t.Errorf("refused calls added %d steps", len(out.Steps))
	}
	single := stepConfigs(1)
	single[0].ActionOnFailure = types.ActionOnFailureCancelAndWait
	if err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: single}); err != nil {
		t.Errorf("CANCEL_AND_WAIT on a StepConcurrencyLevel 1 cluster: %v", err)
	}
	if _, err := f.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(cluster), Marker: aws.String("bogus")}); apiCode(err) != "InvalidRequestException" {
		t.Errorf("bad marker: %v", err)
	}
	if _, err := f.DescribeStep(ctx, &awsemr.DescribeStepInput{ClusterId: aws.String(cluster), StepId: aws.String("s-NOPE")}); apiCode(err) != "InvalidRequestException" {
		t.Errorf("unknown step: %v", err)
	}
	if err := f.SetClusterState(cluster, types.ClusterStateTerminated); err != nil {
		t.Fatal(err)
	}
	if err := add(&awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(1)}); apiCode(err) != "ValidationException" {
		t.Errorf("terminated cluster: %v", err)
	}
}

func TestEMROutcomeDuration(t *testing.T) {
	ctx := context.Background()
	f, clock := newEMR()
	cluster := f.AddCluster(emrtest.ClusterConfig{LogURI: "s3://logs/"})
	f.ScriptNext(emrtest.Outcome{State: "FAILED", Reason: "boom", Duration: time.Hour})
	out, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(1)})
	if err != nil {
		t.Fatal(err)
	}
	in := &awsemr.DescribeStepInput{ClusterId: aws.String(cluster), StepId: aws.String(out.StepIds[0])}
	clock.Advance(59 * time.Minute)
	if st := states(t, f, cluster, out.StepIds); st[0] != types.StepStateRunning {
		t.Fatalf("before the hour: %s", st)
	}
	clock.Advance(time.Minute)
	got, err := f.DescribeStep(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	s := got.Step.Status
	if s.State != types.StepStateFailed || aws.ToString(s.FailureDetails.Reason) != "boom" ||
		aws.ToString(s.FailureDetails.LogFile) != "s3://logs/"+cluster+"/steps/"+out.StepIds[0]+"/stderr.gz" {
		t.Errorf("after the hour: %+v %+v", s, s.FailureDetails)
	}
	if got.Step.Config == nil || aws.ToString(got.Step.Config.Jar) != "command-runner.jar" {
		t.Errorf("config %+v", got.Step.Config)
	}
}

// CANCEL_AND_WAIT cancels the pending steps when a step fails; TERMINATE_CLUSTER ends the
// cluster (StepConfig, ActionOnFailure).
func TestEMRActionOnFailure(t *testing.T) {
	ctx := context.Background()
	f, clock := newEMR()
	for _, tc := range []struct {
		action  types.ActionOnFailure
		cluster types.ClusterState
	}{{types.ActionOnFailureCancelAndWait, types.ClusterStateWaiting}, {types.ActionOnFailureTerminateCluster, types.ClusterStateTerminatedWithErrors}} {
		cluster := f.AddCluster(emrtest.ClusterConfig{})
		f.ScriptNext(emrtest.Outcome{State: "FAILED"})
		steps := stepConfigs(3)
		steps[0].ActionOnFailure = tc.action
		out, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: steps})
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		want := []types.StepState{types.StepStateFailed, types.StepStateCancelled, types.StepStateCancelled}
		if got := states(t, f, cluster, out.StepIds); !slices.Equal(got, want) {
			t.Errorf("%s: steps %v, want %v", tc.action, got, want)
		}
		if cs := clusterState(t, f, cluster); cs != tc.cluster {
			t.Errorf("%s: cluster %s, want %s", tc.action, cs, tc.cluster)
		}
	}
}

func TestEMRCancelSteps(t *testing.T) {
	ctx := context.Background()
	f, clock := newEMR()
	cluster := f.AddCluster(emrtest.ClusterConfig{})
	out, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(2)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.CancelSteps(ctx, &awsemr.CancelStepsInput{ClusterId: aws.String(cluster), StepIds: append(slices.Clone(out.StepIds), "s-NOPE")})
	if err != nil {
		t.Fatal(err)
	}
	var statuses []types.CancelStepsRequestStatus
	for _, i := range got.CancelStepsInfoList {
		statuses = append(statuses, i.Status)
	}
	if !slices.Equal(statuses, []types.CancelStepsRequestStatus{"SUBMITTED", "SUBMITTED", "FAILED"}) {
		t.Errorf("CancelSteps statuses %v", statuses)
	}
	if st := states(t, f, cluster, out.StepIds); !slices.Equal(st, []types.StepState{types.StepStateCancelPending, types.StepStateCancelled}) {
		t.Errorf("right after CancelSteps: %v", st)
	}
	clock.Advance(10 * time.Second)
	if st := states(t, f, cluster, out.StepIds); !slices.Equal(st, []types.StepState{types.StepStateCancelled, types.StepStateCancelled}) {
		t.Errorf("after the cancel duration: %v", st)
	}
}

// A STARTING cluster accepts steps but runs none until it is WAITING; a terminated one
// cancels the steps that have not ended.
func TestEMRSetClusterState(t *testing.T) {
	ctx := context.Background()
	f, clock := newEMR()
	cluster := f.AddCluster(emrtest.ClusterConfig{State: types.ClusterStateStarting})
	f.ScriptNext(emrtest.Outcome{State: "FAILED", Message: "scripted", Duration: time.Second})
	out, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(1)})
	if err != nil {
		t.Fatal(err)
	}
	id := out.StepIds[0]
	clock.Advance(time.Hour)
	if st := states(t, f, cluster, out.StepIds); st[0] != types.StepStatePending {
		t.Fatalf("step on a STARTING cluster is %s", st[0])
	}
	if err := f.SetClusterState(cluster, types.ClusterStateWaiting); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	got, err := f.DescribeStep(ctx, &awsemr.DescribeStepInput{ClusterId: aws.String(cluster), StepId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Step.Status.State != types.StepStateFailed || aws.ToString(got.Step.Status.FailureDetails.Message) != "scripted" {
		t.Errorf("after bootstrapping: %s %+v", got.Step.Status.State, got.Step.Status.FailureDetails)
	}
	out, err = f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(2)})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetClusterState(cluster, types.ClusterStateTerminated); err != nil {
		t.Fatal(err)
	}
	if st := states(t, f, cluster, out.StepIds); !slices.Equal(st, []types.StepState{types.StepStateCancelled, types.StepStateCancelled}) {
		t.Errorf("steps of a terminated cluster: %v", st)
	}
	d, err := f.DescribeCluster(ctx, &awsemr.DescribeClusterInput{ClusterId: aws.String(cluster)})
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Cluster.Status.StateChangeReason; d.Cluster.Status.State != types.ClusterStateTerminated || r == nil || r.Code != types.ClusterStateChangeReasonCodeUserRequest {
		t.Errorf("terminated cluster: %s %+v", d.Cluster.Status.State, r)
	}
	if err := f.SetClusterState("j-NOPE", types.ClusterStateWaiting); err == nil {
		t.Error("SetClusterState of an unknown cluster succeeded")
	}
}
