// Package emrtest has in-memory fakes of the three EMR control planes, for testing code that
// uses package emr (or the SDK clients directly) without AWS:
//
//   - EMR (NewEMR): clusters with step queues that honour StepConcurrencyLevel and
//     ActionOnFailure, clusters that require runtime roles, ListSteps with Marker pages
//     (newest first, at most 10 step IDs), DescribeStep, CancelSteps and DescribeCluster;
//   - Serverless (NewServerless): applications (CREATED, STARTING, STARTED, STOPPED, ...)
//     with auto-start, job runs with attempts and client-token idempotency, GetJobRun,
//     CancelJobRun and paged ListJobRunAttempts;
//   - Containers (NewContainers): virtual clusters and job runs with client tokens,
//     DescribeJobRun and CancelJobRun;
//   - S3 (NewS3, S3Options): HeadObject and PutObject, enough for emr.Shipper.
//
// Each fake implements the matching emr interface with the SDK's input and output types and
// typed errors (*types.InvalidRequestException, *types.ResourceNotFoundException,
// *types.ValidationException; EMR's untyped ValidationException as a smithy.APIError).
//
// # Scripting runs
//
// Runs move only when read: each status read of an active run is a poll, and an Outcome
// says how many polls (and how much time on the fake's Clock) a run takes and how it ends:
//
//	clock := datablocks.NewManualClock(time.Time{})
//	fake := emrtest.NewServerless(func(o *emrtest.ServerlessOptions) { o.Clock = clock })
//	app := fake.AddApplication(emrtest.ApplicationConfig{})
//	fake.ScriptNext(emrtest.Outcome{State: "FAILED", Message: "OutOfMemoryError", Polls: 6})
//
// Pass the same clock to the code under test (the runner's Wait.Clock, a
// datablocks.WaitOptions) so its sleeps advance the fake's time and no test really sleeps.
//
// # Faults and the call log
//
// Every fake embeds a *fakecontrol.Controls, the control surface all datablocks fakes share:
// Control queues a function that intercepts the next call of an operation (KeepControl: every
// call); FailNext fails the next call; ThrottleNext fails the next n calls with a
// ThrottlingException (what EMR, EMR Serverless and EMR on EKS return for StartJobRun,
// GetJobRun, DescribeJobRun and the step operations: none of them models a typed throttling
// error). Calls returns every call with its input and error, Count counts one operation and
// ResetCalls starts a new phase, so a test can assert API economy:
//
//	fake.ThrottleNext("ListSteps", 3)
//	states, err := runner.Wait(ctx, cluster, ids)
//	n := fake.Count("ListSteps")
//
// An operation called with a context that is done returns the context's error, after the
// control functions had their turn.
//
// # Conformance
//
// RunConformanceTests checks a Harness (the fakes here, real clients in an integration test)
// against the behavior of the services.
//
// # Not modeled
//
// Cluster creation and termination through the API (RunJobFlow, TerminateJobFlows), the
// TERMINATING state (a step failure with TERMINATE_CLUSTER ends the cluster at once), step
// logs, Spark itself (entry points are not read), EMR Serverless capacity, networking,
// interactive sessions, job timeouts and retry policies beyond Outcome.FailedAttempts, EMR on
// EKS job templates and Spark SQL drivers, tag operations, IAM checks on roles and exact
// wording of most validation messages (MsgRuntimeRolesRequired is EMR's own). Step IDs,
// application and job run IDs are counters, not AWS's random IDs. S3 has no versions,
// metadata or checksums.
package emrtest
