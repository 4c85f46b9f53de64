package emrtest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr/emrtest"
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

func TestEMRStepConcurrency(t *testing.T) {
	ctx := context.Background()
	f := emrtest.NewEMR(func(o *emrtest.EMROptions) { o.PageSize = 50 })
	cluster := f.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 2})
	out, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(4)})
	if err != nil {
		t.Fatal(err)
	}
	maxRunning := 0
	for range 20 {
		page, err := f.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(cluster)})
		if err != nil {
			t.Fatal(err)
		}
		running := 0
		for _, s := range page.Steps {
			if s.Status.State == types.StepStateRunning {
				running++
			}
		}
		maxRunning = max(maxRunning, running)
	}
	if maxRunning != 2 {
		t.Errorf("at most %d steps RUNNING at once, want 2 (StepConcurrencyLevel)", maxRunning)
	}
	for _, id := range out.StepIds {
		if st, _ := f.StepState(cluster, id); st != types.StepStateCompleted {
			t.Errorf("step %s %s", id, st)
		}
	}
	if cs, _ := f.ClusterState(cluster); cs != types.ClusterStateWaiting {
		t.Errorf("idle cluster %s, want WAITING", cs)
	}
}

func TestEMRErrors(t *testing.T) {
	ctx := context.Background()
	f := emrtest.NewEMR()
	cluster := f.AddCluster(emrtest.ClusterConfig{})
	if _, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String("j-NOPE"), Steps: stepConfigs(1)}); apiCode(err) != "InvalidRequestException" {
		t.Errorf("unknown cluster: %v", err)
	}
	if _, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(257)}); apiCode(err) != "ValidationException" {
		t.Errorf("257 active steps: %v", err)
	}
	if _, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(1), ExecutionRoleArn: aws.String("arn:aws:iam::123456789012:role/r")}); apiCode(err) != "ValidationException" {
		t.Errorf("runtime role on a plain cluster: %v", err)
	}
	rr := f.AddCluster(emrtest.ClusterConfig{RuntimeRoles: true})
	_, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(rr), Steps: stepConfigs(1)})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorMessage() != emrtest.MsgRuntimeRolesRequired {
		t.Errorf("no runtime role: %v", err)
	}
	long := stepConfigs(1)
	long[0].HadoopJarStep.Args = []string{string(make([]byte, 10240))}
	if _, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: long}); apiCode(err) != "ValidationException" {
		t.Errorf("step over 10240 characters: %v", err)
	}
	if _, err := f.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(cluster), Marker: aws.String("bogus")}); apiCode(err) != "InvalidRequestException" {
		t.Errorf("bad marker: %v", err)
	}
	if _, err := f.DescribeStep(ctx, &awsemr.DescribeStepInput{ClusterId: aws.String(cluster), StepId: aws.String("s-NOPE")}); apiCode(err) != "InvalidRequestException" {
		t.Errorf("unknown step: %v", err)
	}
	if err := f.TerminateCluster(cluster); err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(1)}); apiCode(err) != "ValidationException" {
		t.Errorf("terminated cluster: %v", err)
	}
}

func TestEMROutcomeAfterUsesClock(t *testing.T) {
	ctx := context.Background()
	clock := datablocks.NewManualClock(time.Time{})
	f := emrtest.NewEMR(func(o *emrtest.EMROptions) { o.Clock = clock })
	cluster := f.AddCluster(emrtest.ClusterConfig{LogURI: "s3://logs/"})
	f.ScriptNext(emrtest.Outcome{State: "FAILED", Reason: "boom", After: time.Hour})
	out, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(1)})
	if err != nil {
		t.Fatal(err)
	}
	in := &awsemr.DescribeStepInput{ClusterId: aws.String(cluster), StepId: aws.String(out.StepIds[0])}
	for range 10 {
		if _, err := f.DescribeStep(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := f.StepState(cluster, out.StepIds[0]); st != types.StepStateRunning {
		t.Fatalf("before the hour: %s", st)
	}
	clock.Advance(time.Hour)
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

func TestEMRScriptExistingStep(t *testing.T) {
	ctx := context.Background()
	f := emrtest.NewEMR()
	cluster := f.AddCluster(emrtest.ClusterConfig{State: types.ClusterStateStarting})
	out, err := f.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(cluster), Steps: stepConfigs(1)})
	if err != nil {
		t.Fatal(err)
	}
	id := out.StepIds[0]
	if err := f.Script(cluster, id, emrtest.Outcome{State: "FAILED", Message: "scripted late", Polls: 1}); err != nil {
		t.Fatal(err)
	}
	in := &awsemr.DescribeStepInput{ClusterId: aws.String(cluster), StepId: aws.String(id)}
	// A STARTING cluster accepts steps but runs none.
	for range 3 {
		if got, _ := f.DescribeStep(ctx, in); got.Step.Status.State != types.StepStatePending {
			t.Fatalf("step on a STARTING cluster is %s", got.Step.Status.State)
		}
	}
	if err := f.SetClusterState(cluster, types.ClusterStateWaiting); err != nil {
		t.Fatal(err)
	}
	var seen []types.StepState
	for range 2 {
		got, _ := f.DescribeStep(ctx, in)
		seen = append(seen, got.Step.Status.State)
		if fd := got.Step.Status.FailureDetails; fd != nil && aws.ToString(fd.Message) != "scripted late" {
			t.Errorf("failure message %q", aws.ToString(fd.Message))
		}
	}
	if seen[0] != types.StepStatePending || seen[1] != types.StepStateFailed {
		t.Errorf("after bootstrapping: %v, want [PENDING FAILED] (Polls 1)", seen)
	}
	if err := f.Script(cluster, id, emrtest.Outcome{}); err == nil {
		t.Error("Script of an ended step succeeded")
	}
	if err := f.Script(cluster, "s-NOPE", emrtest.Outcome{}); err == nil {
		t.Error("Script of an unknown step succeeded")
	}
}
