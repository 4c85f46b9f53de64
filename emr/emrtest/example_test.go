package emrtest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

// A test scripts how each step ends, injects throttling and then asserts the API economy of
// the code under test from the call log. The runner waits on the fake's own clock.
func ExampleNewEMR() {
	ctx := context.Background()
	fake := emrtest.NewEMR()
	cluster := fake.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 2})
	fake.ScriptNext(emrtest.Outcome{}, emrtest.Outcome{State: "FAILED", Message: "exit code 1"})

	runner := emr.NewStepRunner(fake, func(o *emr.Options) {
		o.Wait.MinDelay, o.Wait.MaxDelay = 30*time.Second, 30*time.Second
	})
	spark := emr.SparkSubmit{EntryPoint: "s3://code/etl.py"}
	ids, err := runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: []emr.Step{
		{Name: "a", Spark: spark}, {Name: "b", Spark: spark},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fake.ThrottleNext(emrtest.OpListSteps, 2) // retried by the runner's wait
	states, err := runner.Wait(ctx, cluster, ids)
	var se *emr.StepsError
	fmt.Println(states, errors.As(err, &se))
	// Both steps run at once for the default run duration (1m): two throttled calls at 0 and 30 s,
	// then one ListSteps at 1m sees both ended.
	fmt.Println(fake.Count(emrtest.OpListSteps), fake.Count(emrtest.OpDescribeStep))
	// Output:
	// [COMPLETED FAILED] true
	// 3 0
}

// An EMR Serverless application starts on demand (STARTING for 30 seconds), and a
// scripted job run fails its first attempt before it succeeds.
func ExampleNewServerless() {
	ctx := context.Background()
	fake := emrtest.NewServerless()
	app := fake.AddApplication(emrtest.ApplicationConfig{})
	fake.ScriptNext(emrtest.Outcome{FailedAttempts: 1, Duration: 10 * time.Minute})

	runner := emr.NewServerlessRunner(fake, func(o *emr.Options) { o.StartApplication = true })
	start := fake.Clock().Now()
	state, err := runner.Run(ctx, app, emr.JobRun{
		ExecutionRoleArn: "arn:aws:iam::123456789012:role/emr-serverless-job",
		Spark:            emr.SparkSubmit{EntryPoint: "s3://code/etl.py"},
	})
	fmt.Println(state, err, fake.Clock().Now().Sub(start) >= 20*time.Minute+30*time.Second, fake.Count(emrtest.OpStartJobRun))
	// Output: SUCCESS <nil> true 1
}

// The EMR on EKS fake checks release labels against the EMR on EKS releases, as the service
// does, and counts the runs a test started through its call log.
func ExampleNewContainers() {
	ctx := context.Background()
	fake := emrtest.NewContainers()
	vc := fake.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	fake.ScriptNext(emrtest.Outcome{State: "FAILED", Reason: "USER_ERROR", Message: "exit code 1", Duration: 5 * time.Minute})

	runner := emr.NewContainersRunner(fake)
	job := emr.JobRun{
		ExecutionRoleArn: "arn:aws:iam::123456789012:role/emr-eks-job",
		ReleaseLabel:     "emr-7.5.0-latest",
		Spark:            emr.SparkSubmit{EntryPoint: "s3://code/etl.py"},
	}
	_, err := runner.Run(ctx, vc, job)
	var failed *emr.JobFailedError
	fmt.Println(errors.As(err, &failed), failed.Reason, failed.Message)

	job.ReleaseLabel = "emr-6.55.0-latest"
	_, err = runner.Start(ctx, vc, job)
	fmt.Println(err != nil, fake.Count(emrtest.OpStartJobRun))
	// Output:
	// true USER_ERROR exit code 1
	// true 2
}
