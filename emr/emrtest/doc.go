// Package emrtest has in-memory fakes of the three EMR control planes, for testing code that
// uses package emr (or the SDK clients directly) without AWS:
//
//   - EMR (NewEMR): clusters with step queues that honour StepConcurrencyLevel and
//     ActionOnFailure, clusters that require runtime roles, ListSteps in 50-step pages
//     (newest first without filters, submission order with StepIds or StepStates, at most 10
//     step IDs), DescribeStep, CancelSteps and DescribeCluster;
//   - Serverless (NewServerless): applications that pass through STARTING (StartApplication
//     or auto-start) before STARTED, job runs with attempts and client-token idempotency,
//     GetJobRun, CancelJobRun and paged ListJobRunAttempts;
//   - Containers (NewContainers): virtual clusters and job runs with client tokens, release
//     labels checked against the EMR on EKS releases, DescribeJobRun and CancelJobRun;
//   - S3 (NewS3): HeadObject and PutObject, enough for emr.Shipper.
//
// The fakes speak SDK types only and validate requests by the services' API references,
// answering with the services' codes: EMR's InvalidRequestException (typed) and
// ValidationException (a smithy.APIError, as EMR models none), EMR Serverless's and EMR on
// EKS's typed ValidationException and ResourceNotFoundException, throttling as
// ThrottlingException (EMR, EMR Serverless) and RequestThrottledException (EMR on EKS). Each
// method's doc lists the rules it checks and the reference section they come from.
//
// # Time
//
// Only the fake's clock moves its runs: a run walks through its runtime's states, each for an
// equal share of its Outcome.Duration (Options.RunDuration by default), however often it is
// read. Options.Clock is that clock; nil means the fake's own datablocks.ManualClock, which
// Clock returns. A helper of package emr given the fake and no clock of its own waits on it,
// so waits take no real time:
//
//	fake := emrtest.NewServerless()
//	app := fake.AddApplication(emrtest.ApplicationConfig{})
//	fake.ScriptNext(emrtest.Outcome{State: "FAILED", Message: "OutOfMemoryError", Duration: 20 * time.Minute})
//	state, err := emr.NewServerlessRunner(fake).Run(ctx, app, job) // instant: 20 minutes on the fake's clock
//
// A read that observes a run only time can move calls fakecontrol's WaitingOnClock: the same
// read repeated while the clock stands still fails with code FakeClockStalled, so a wait on a
// clock nothing advances fails fast and says so instead of hanging.
//
// # Faults and the call log
//
// Every fake embeds a *fakecontrol.Controls created with the operations it implements (the Op
// constants): Control queues a function that intercepts the next call of an operation
// (KeepControl: every call); FailNext fails the next call; ThrottleNext fails the next n calls
// with the service's throttling error. Calls returns every call with its input and error,
// Count counts one operation and ResetCalls starts a new phase. A name the fake does not
// implement panics, so a misspelled operation fails the test that uses it:
//
//	fake.ThrottleNext(emrtest.OpListSteps, 3)
//	states, err := runner.Wait(ctx, cluster, ids)
//	n := fake.Count(emrtest.OpListSteps)
//
// An operation called with a context that is done returns the context's error, after the
// control functions had their turn.
//
// # On the wire
//
// EMR.Service, Serverless.Service and Containers.Service describe the fakes to package
// localaws (awsJson1_1 with target prefix ElasticMapReduce; restJson1 at the routes of the
// EMR Serverless and EMR on EKS API references), so the real SDK clients built from
// localaws's aws.Config reach them. S3 speaks restXml, which localaws does not: the S3 fake is
// in-process only.
//
// # Conformance
//
// Every go test runs the conformance suite of emr/internal/conformance against these fakes,
// in-process and over localaws; the integration test of package emr runs it against AWS, so
// the fakes are checked against the behavior of the services.
//
// # Not modeled
//
// Cluster creation and termination through the API (RunJobFlow, TerminateJobFlows), the
// TERMINATING state (a step failure with TERMINATE_CLUSTER ends the cluster at once), the
// time a step spends PENDING on an idle cluster (it runs at once), EMR's default
// ActionOnFailure (the API reference names none: the fake takes TERMINATE_CLUSTER, and
// CONTINUE on concurrent clusters), step logs, Spark itself (entry points are not read), EMR
// Serverless capacity, networking, interactive sessions, job timeouts and retry policies
// beyond Outcome.FailedAttempts, EMR on EKS job templates and Spark SQL drivers, virtual
// cluster state machines, tag operations, IAM checks on roles, and the exact wording of most
// messages ("Runtime roles are required for this cluster..." and "Release ... does not exist"
// are the services' own; the ActionOnFailure refusal's wording is not published). Markers and
// next tokens are the fake's own. Step IDs, application and job run IDs are counters, not AWS's random IDs. S3 has no
// versions, metadata or checksums.
package emrtest
