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
//   - S3 (NewS3): HeadObject and PutObject, enough for emr.Shipper.
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
// Pass the same clock to the code under test (emr.WaitOptions.Clock) so its sleeps advance
// the fake's time and no test really sleeps.
//
// # Faults and the call log
//
// Control queues a function that intercepts the next call of an operation (KeepControl: every
// call); FailNext fails the next call; Throttle fails the next n calls with a
// ThrottlingException. Calls returns every call with its input and error, and Count counts
// one operation, so a test can assert API economy.
//
// # Conformance
//
// RunConformanceTests checks a Harness (the fakes here, real clients in an integration test)
// against the behaviour of the services.
//
// # Not modelled
//
// Cluster creation and termination through the API (RunJobFlow, TerminateJobFlows), step
// logs, Spark itself (entry points are not read), EMR Serverless capacity, networking,
// interactive sessions, job timeouts and retry policies beyond Outcome.FailedAttempts, EMR on
// EKS job templates and Spark SQL drivers, tag operations, IAM checks on roles and exact
// wording of most validation messages (MsgRuntimeRolesRequired is EMR's own). Step IDs,
// application and job run IDs are counters, not AWS's random IDs. S3 has no versions,
// metadata or checksums.
package emrtest
