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
//	id, err := runner.Start(ctx, app, emr.JobRun{ExecutionRoleArn: role, Spark: spark})
//	if err != nil { ... }
//	state, err := runner.Wait(ctx, app, id) // "SUCCESS", or a *JobFailedError
//
// # Clients
//
// Each runner takes the narrow interface of the SDK client it calls: StepRunnerAPIClient
// (*emr.Client), ServerlessAPIClient (*emrserverless.Client), ContainersAPIClient
// (*emrcontainers.Client) and UploadAPIClient (*s3.Client, for Shipper). A JobRun describes
// a job run on EMR Serverless and on EMR on EKS alike; a step is a Step of a StepsInput.
//
// The verbs are those of every datablocks package: Start submits and returns the IDs of what
// it started without waiting (step IDs, a job run ID), Wait waits for runs given by those
// IDs, Cancel cancels them, and Run is Start then Wait. Wait and Cancel take the IDs of any
// run, including one started elsewhere.
//
// Waiting for up to ten steps reads them with one ListSteps call filtered by their IDs per
// round; more are followed with a listing filtered by the active states, 50 steps a page,
// plus calls by ID for those that left it: at most ceil(P/50)+1 ListSteps calls a round for
// P steps not yet ended (when the cluster runs no other steps), never one DescribeStep per
// step.
//
// StepRunner.Start checks ActionOnFailure against the cluster's StepConcurrencyLevel (EMR
// refuses CANCEL_AND_WAIT and TERMINATE_CLUSTER above 1) and is safe to retry although
// AddJobFlowSteps has no idempotency token: before retrying after an error that may have
// followed the write, it looks for the submission among the steps the cluster got since the
// first attempt (same names, jars and arguments, in order) and does not add them twice.
//
// # Options and defaults
//
// The runners and Shipper take functional options of one type, Options, also per call. Its
// Wait field is the
// datablocks.WaitOptions every datablocks package shares: waits start at 2 seconds
// (Wait.MinDelay) and back off with jitter to 30 seconds (Wait.MaxDelay), returning to the
// minimum on every state change, with no timeout but the context's unless Wait.Timeout is set;
// throttling and server errors are retried. A nil Wait.Clock means the client's own clock when
// it has one (a datablocks.ClockSource, as the emrtest fakes are), else the system clock.
// Wait.OnProgress sees every state change as a datablocks.Progress whose What names the run
// ("EMR Serverless job run 00f...") and whose ID is the step, job run or application ID; the
// Logger records them at debug level. Steps default to ActionOnFailure CONTINUE. Starting an
// EMR Serverless or EMR on EKS job run uses one client token across retries, so a retry never
// starts a second run; those retries are not a wait and take the runner's Retry field, a
// datablocks.RetryOptions.
//
// The runtime-roles kit builds the security configuration (RuntimeRoleSecurityConfiguration)
// and datablocks.Policy documents for the runtime role's trust (RuntimeRoleTrustPolicy), the
// instance profile (InstanceProfileRuntimeRolePolicy), and the submitters of each runtime
// (SubmitterPolicy). Shipper uploads application files, such as a
// PySpark entry point and its packed virtual environment (see SparkSubmit.WithPySparkVenv),
// under content-addressed keys.
//
// # Errors
//
// Invalid input returns an error naming the field and rule before any call. A run that does
// not succeed returns a *JobFailedError with the service's reason, message and log location;
// waiting for several steps returns a *StepsError aligned with the step IDs. A cluster that
// requires runtime roles and got none returns an error wrapping ErrRuntimeRoleRequired. SDK
// errors are wrapped with %w.
//
// # Testing
//
// Package emrtest has stateful fakes of the three control planes (and a tiny S3) that
// implement these interfaces, with scripted outcomes, their own clocks, and the fault
// injection and call log of package fakecontrol. A runner given a fake and nothing else waits
// on the fake's clock, so its waits take no real time.
package emr
