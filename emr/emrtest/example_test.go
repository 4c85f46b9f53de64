package emrtest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

// A test scripts how each step ends, injects throttling and then asserts the API economy of
// the code under test from the call log.
func ExampleNewEMR() {
	ctx := context.Background()
	clock := datablocks.NewManualClock(time.Time{})
	fake := emrtest.NewEMR(func(o *emrtest.EMROptions) { o.Clock = clock })
	cluster := fake.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 2})
	fake.ScriptNext(emrtest.Outcome{}, emrtest.Outcome{State: "FAILED", Message: "exit code 1"})

	runner := emr.NewStepRunner(fake, func(o *emr.StepRunnerOptions) { o.Wait.Clock = clock })
	spark := emr.SparkSubmit{EntryPoint: "s3://code/etl.py"}
	runs, err := runner.Submit(ctx, emr.StepsInput{ClusterID: cluster, Steps: []emr.Step{
		{Name: "a", Spark: spark}, {Name: "b", Spark: spark},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fake.ThrottleNext("ListSteps", 2) // retried by the runner's wait
	states, err := runner.Wait(ctx, cluster, []string{runs[0].ID(), runs[1].ID()})
	var se *emr.StepsError
	fmt.Println(states, errors.As(err, &se))
	// Two throttled calls, then one ListSteps per state: PENDING, RUNNING, final.
	fmt.Println(fake.Count("ListSteps"), fake.Count("DescribeStep"))
	// Output:
	// [COMPLETED FAILED] true
	// 5 0
}

// An EMR Serverless application starts on demand, and a scripted job run fails its first
// attempt before it succeeds.
func ExampleNewServerless() {
	ctx := context.Background()
	clock := datablocks.NewManualClock(time.Time{})
	fake := emrtest.NewServerless(func(o *emrtest.ServerlessOptions) { o.Clock = clock })
	app := fake.AddApplication(emrtest.ApplicationConfig{})
	fake.ScriptNext(emrtest.Outcome{FailedAttempts: 1, After: 10 * time.Minute})

	runner := emr.NewServerlessRunner(fake, func(o *emr.ServerlessRunnerOptions) {
		o.StartApplication = true
		o.Wait.Clock = clock
	})
	run, err := runner.Start(ctx, emr.ServerlessJob{
		ApplicationID:    app,
		ExecutionRoleArn: "arn:aws:iam::123456789012:role/emr-serverless-job",
		Spark:            emr.SparkSubmit{EntryPoint: "s3://code/etl.py"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	start := clock.Now()
	state, err := run.Wait(ctx)
	fmt.Println(state, err, clock.Now().Sub(start) >= 20*time.Minute, fake.JobRunCount(app))
	// Output: SUCCESS <nil> true 1
}
