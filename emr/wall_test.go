package emr_test

import (
	"context"
	"testing"
	"time"

	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

// TestWaitsOnFakesTakeNoWallTime wires each runner to its fake and nothing else (no clock
// anywhere), as a user's test would, and runs an EMR step, an EMR Serverless job run (through
// the application's STARTING) and an EMR on EKS job run of an hour each: the waits run on the
// fakes' clocks, so together they take well under 100 ms of wall time.
func TestWaitsOnFakesTakeNoWallTime(t *testing.T) {
	ctx := context.Background()
	begin := time.Now()

	steps := emrtest.NewEMR(func(o *emrtest.EMROptions) { o.RunDuration = time.Hour })
	cluster := steps.AddCluster(emrtest.ClusterConfig{})
	states, err := emr.NewStepRunner(steps).Run(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(1)})
	if err != nil || states[0] != "COMPLETED" {
		t.Fatalf("step: %v, %v", states, err)
	}

	sl := emrtest.NewServerless(func(o *emrtest.ServerlessOptions) { o.RunDuration = time.Hour })
	app := sl.AddApplication(emrtest.ApplicationConfig{})
	state, err := emr.NewServerlessRunner(sl).Run(ctx, emr.ServerlessJob{ApplicationID: app, ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil || state != "SUCCESS" {
		t.Fatalf("serverless: %q, %v", state, err)
	}

	eks := emrtest.NewContainers(func(o *emrtest.ContainersOptions) { o.RunDuration = time.Hour })
	vc := eks.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	state, err = emr.NewContainersRunner(eks).Run(ctx, eksJob(vc))
	if err != nil || state != "COMPLETED" {
		t.Fatalf("EKS: %q, %v", state, err)
	}

	wall := time.Since(begin)
	t.Logf("three one-hour runs waited for in %s of wall time", wall)
	if wall >= 100*time.Millisecond {
		t.Errorf("waits took %s of wall time, want < 100ms", wall)
	}
	for name, c := range map[string]time.Duration{
		"EMR": steps.Clock().Now().Sub(begin), "Serverless": sl.Clock().Now().Sub(begin), "EKS": eks.Clock().Now().Sub(begin),
	} {
		if c < time.Hour-time.Second {
			t.Errorf("%s fake's clock moved %s, want at least the hour the run took", name, c)
		}
	}
}
