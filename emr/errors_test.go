package emr_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

// onePrefix fails unless err starts with the package prefix and carries it once.
func onePrefix(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil || !strings.HasPrefix(err.Error(), "emr: ") || strings.Count(err.Error(), "emr:") != 1 || strings.Contains(err.Error(), "datablocks:") {
		t.Errorf("%s: %v, want one \"emr: \" prefix", what, err)
	}
}

// TestErrorsCarryOnePrefix checks the errors of the waits (timeout, cancellation, transient
// errors exhausted, a failed step among several) and of validation against the convention:
// "emr: " once, never stacked.
func TestErrorsCarryOnePrefix(t *testing.T) {
	ctx := context.Background()
	sl := emrtest.NewServerless()
	app := sl.AddApplication(emrtest.ApplicationConfig{})
	runner := emr.NewServerlessRunner(sl)
	sl.ScriptNext(emrtest.Outcome{Duration: time.Hour})
	id, err := runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = runner.Wait(ctx, app, id, func(o *emr.Options) { o.Wait.Timeout = time.Minute })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: %v, want context.DeadlineExceeded", err)
	}
	onePrefix(t, "timeout", err)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = runner.Wait(cancelled, app, id)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
	onePrefix(t, "cancelled", err)

	sl.ThrottleNext(emrtest.OpGetJobRun, 100)
	_, err = runner.Wait(ctx, app, id)
	onePrefix(t, "transient errors exhausted", err)

	steps := emrtest.NewEMR()
	cluster := steps.AddCluster(emrtest.ClusterConfig{})
	steps.ScriptNext(emrtest.Outcome{}, emrtest.Outcome{State: "FAILED", Message: "boom"})
	_, err = emr.NewStepRunner(steps).Run(ctx, emr.StepsInput{ClusterID: cluster, Steps: piSteps(2)})
	var se *emr.StepsError
	if !errors.As(err, &se) {
		t.Fatalf("steps: %v, want a *StepsError", err)
	}
	onePrefix(t, "StepsError", err)

	bad := piSteps(1)
	bad[0].Spark.EntryPoint = ""
	_, err = emr.NewStepRunner(steps).Start(ctx, emr.StepsInput{ClusterID: cluster, ExecutionRoleArn: "arn:aws:iam::12:role/x", Steps: bad})
	for _, line := range strings.Split(err.Error(), "\n") {
		onePrefix(t, "validation", errors.New(line))
	}
}
