package emr_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// TestWaitsOnFakesTakeNoWallTime wires each runner to its fake and nothing else (no clock
// anywhere), as a user's test would, and runs an EMR step, an EMR Serverless job run (through
// the application's STARTING) and an EMR on EKS job run of ten minutes each: the waits run on
// the fakes' clocks, so together they take well under 100 ms of wall time.
func TestWaitsOnFakesTakeNoWallTime(t *testing.T) {
	ctx := context.Background()
	begin := time.Now()

	steps := emrtest.NewEMR(func(o *emrtest.Options) { o.RunDuration = 10 * time.Minute })
	cluster := steps.AddCluster(emrtest.ClusterConfig{})
	states, err := emr.NewStepRunner(steps).Run(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)})
	if err != nil || states[0] != "COMPLETED" {
		t.Fatalf("step: %v, %v", states, err)
	}

	sl := emrtest.NewServerless(func(o *emrtest.Options) { o.RunDuration = 10 * time.Minute })
	app := sl.AddApplication(emrtest.ApplicationConfig{})
	state, err := emr.NewServerlessRunner(sl).Run(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil || state != "SUCCESS" {
		t.Fatalf("serverless: %q, %v", state, err)
	}

	eks := emrtest.NewContainers(func(o *emrtest.Options) { o.RunDuration = 10 * time.Minute })
	vc := eks.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	state, err = emr.NewContainersRunner(eks).Run(ctx, vc, eksJob())
	if err != nil || state != "COMPLETED" {
		t.Fatalf("EKS: %q, %v", state, err)
	}

	wall := time.Since(begin)
	t.Logf("three ten-minute runs waited for in %s of wall time", wall)
	if wall >= 100*time.Millisecond {
		t.Errorf("waits took %s of wall time, want < 100ms", wall)
	}
	for name, c := range map[string]time.Duration{
		"EMR": steps.Clock().Now().Sub(begin), "Serverless": sl.Clock().Now().Sub(begin), "EKS": eks.Clock().Now().Sub(begin),
	} {
		if c < 10*time.Minute-time.Second {
			t.Errorf("%s fake's clock moved %s, want at least the ten minutes the run took", name, c)
		}
	}
}

// TestRunnersOverLocalAWS runs each runner with the real SDK client against its fake served
// by localaws. The SDK client has no clock of its own, so the waits take the fake's clock in
// Wait.Clock.
func TestRunnersOverLocalAWS(t *testing.T) {
	ctx := context.Background()
	steps := emrtest.NewEMR()
	sl := emrtest.NewServerless()
	eks := emrtest.NewContainers()
	srv := localaws.NewTestServer(t, steps.Service(), sl.Service(), eks.Service())
	cfg := srv.Config()

	cluster := steps.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 2})
	_, err := emr.NewStepRunner(awsemr.NewFromConfig(cfg), func(o *emr.Options) { o.Wait.Clock = steps.Clock() }).
		Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: []emr.Step{{Name: "x", Spark: sparkPi, ActionOnFailure: types.ActionOnFailureCancelAndWait}}})
	if err == nil || !strings.Contains(err.Error(), "StepConcurrencyLevel is 2") {
		t.Errorf("CANCEL_AND_WAIT on a concurrent cluster over the wire: %v", err)
	}
	states, err := emr.NewStepRunner(awsemr.NewFromConfig(cfg), func(o *emr.Options) { o.Wait.Clock = steps.Clock() }).
		Run(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(12)})
	if err != nil || len(states) != 12 || slices.ContainsFunc(states, func(s string) bool { return s != "COMPLETED" }) {
		t.Errorf("12 steps over the wire: %v, %v", states, err)
	}

	app := sl.AddApplication(emrtest.ApplicationConfig{})
	state, err := emr.NewServerlessRunner(emrserverless.NewFromConfig(cfg), func(o *emr.Options) { o.Wait.Clock = sl.Clock() }).
		Run(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil || state != "SUCCESS" {
		t.Errorf("serverless over the wire: %q, %v", state, err)
	}

	vc := eks.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	job := eksJob()
	job.ReleaseLabel = "emr-6.55.0-latest"
	_, err = emr.NewContainersRunner(emrcontainers.NewFromConfig(cfg), func(o *emr.Options) { o.Wait.Clock = eks.Clock() }).Run(ctx, vc, job)
	var nf *ekstypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("unknown release over the wire: %v, want ResourceNotFoundException", err)
	}
	state, err = emr.NewContainersRunner(emrcontainers.NewFromConfig(cfg), func(o *emr.Options) { o.Wait.Clock = eks.Clock() }).Run(ctx, vc, eksJob())
	if err != nil || state != "COMPLETED" {
		t.Errorf("EKS over the wire: %q, %v", state, err)
	}
}

// TestWaitOnAClockNothingAdvancesFailsFast gives the runner a clock of its own and the fake
// another: the runner's sleeps never move the fake's time, and the fake says so after a few
// reads instead of the wait hanging until its context ends.
func TestWaitOnAClockNothingAdvancesFailsFast(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fake := emrtest.NewServerless()
	app := fake.AddApplication(emrtest.ApplicationConfig{State: "STARTED"})
	runner := emr.NewServerlessRunner(fake, func(o *emr.Options) {
		o.Wait.Clock = datablocks.NewManualClock(time.Time{}) // not the fake's
	})
	begin := time.Now()
	_, err := runner.Run(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != fakecontrol.StalledCode || !strings.Contains(err.Error(), "Wait.Clock") {
		t.Fatalf("err %v, want %s naming Wait.Clock", err, fakecontrol.StalledCode)
	}
	if d := time.Since(begin); d > time.Second {
		t.Errorf("failing took %s", d)
	}
}
