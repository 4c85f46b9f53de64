// Package emr submits Spark applications to the three EMR runtimes and follows them to the
// end: steps of EMR on EC2 clusters, EMR Serverless job runs, and EMR on EKS job runs.
//
// A SparkSubmit describes the application once. StepArgs renders it as the command-runner.jar
// arguments of a step; SubmitParameters renders the sparkSubmitParameters string of EMR
// Serverless and EMR on EKS. Both validate first, so a value the format cannot carry is an
// error, never silently split.
//
//	spark := emr.SparkSubmit{EntryPoint: "s3://code/etl.py", Args: []string{"--day", "2026-01-01"}}.WithGlueCatalog()
//	runner := emr.NewServerlessRunner(emrserverless.NewFromConfig(cfg))
//	run, err := runner.Start(ctx, emr.ServerlessJob{ApplicationID: app, ExecutionRoleArn: role, Spark: spark})
//	if err != nil { ... }
//	state, err := run.Wait(ctx) // "SUCCESS", or a *JobFailedError
//
// # Clients
//
// Each runner takes the narrow interface of the SDK client it calls: StepRunnerAPIClient
// (*emr.Client), ServerlessAPIClient (*emrserverless.Client), ContainersAPIClient
// (*emrcontainers.Client) and UploadAPIClient (*s3.Client, for Shipper). All runs share the
// Run interface: ID, Wait and Cancel.
//
// Waiting for many steps polls ListSteps filtered by up to ten step IDs per call and only for
// steps still running, not one DescribeStep per step per poll.
//
// # Options and defaults
//
// Runners take functional options (StepRunnerOptions, ServerlessRunnerOptions,
// ContainersRunnerOptions, ShipperOptions), also per call. Each runner's Wait field is the
// datablocks.WaitOptions every datablocks package shares: waits start at DefaultMinDelay (2s)
// and back off with jitter to DefaultMaxDelay (30s), returning to the minimum on every state
// change, with no timeout but the context's unless Wait.Timeout is set; throttling and server
// errors are retried. Wait.OnProgress sees every state change as a datablocks.Progress whose
// What names the run ("EMR Serverless job run 00f...") and whose ID is the step, job run or
// application ID; the Logger records them at debug level. Steps default to ActionOnFailure
// CONTINUE. Starting an EMR Serverless or EMR on EKS job run uses one client token across
// retries, so a retry never starts a second run; those retries are not a wait and take the
// runner's Retry field, a datablocks.RetryOptions.
//
// The runtime-roles kit builds the security configuration (RuntimeRoleSecurityConfiguration)
// and datablocks.Policy documents for the runtime role's trust, the instance profile, and the
// submitters (StepSubmitterPolicy, ServerlessSubmitterPolicy, ContainersSubmitterPolicy).
// Shipper uploads a PySpark entry point and packed virtual environment under content-addressed
// keys.
//
// # Errors
//
// Invalid input returns an error naming the field and rule before any call. A run that does
// not succeed returns a *JobFailedError with the service's reason, message and log location;
// waiting for several steps returns a *StepsError aligned with the step IDs. A cluster that
// requires runtime roles and got none returns a *RuntimeRoleRequiredError. SDK errors are
// wrapped with %w.
//
// # Testing
//
// Package emrtest has stateful fakes of the three control planes (and a tiny S3) that
// implement these interfaces, with scripted outcomes, a fake clock, and the fault injection
// and call log of package fakecontrol. Pass the fake's datablocks.ManualClock as Wait.Clock
// so waits take no real time.
package emr
