// Package datablocks is a library of building blocks for data platforms on AWS: the code a Go
// service or pipeline calls at run time to connect to Amazon MSK with IAM, submit and follow
// Spark jobs on EMR, pick instance types, manage the Glue Data Catalog and Schema Registry,
// apply Lake Formation grants, publish Kafka topics to Amazon DataZone, query Redshift through
// the Data API and secure OpenSearch indexes. Where CDK construct libraries deploy
// infrastructure, datablocks is what runs against it.
//
// # Packages
//
//	msk                 kafka-go and franz-go clients that authenticate to MSK with IAM or SCRAM and
//	                    re-authenticate for weeks, broker discovery, topic and ACL admin, consumer lag,
//	                    least-privilege IAM policies, MirrorMaker 2 on MSK Connect
//	emr                 Spark on EMR on EC2 (steps, runtime roles), EMR Serverless and EMR on EKS:
//	                    start, wait with backoff, cancel, typed failures
//	emr/instances       attribute-based instance type selection with EC2 InstanceRequirements semantics
//	glue                Schema Registry, schemas to table columns, Data Catalog with governance
//	                    parameters, crawler/job/workflow runs
//	lakeformation       typed grants planned and applied in batches, LF-tags, cross-account sharing,
//	                    an approval workflow
//	datazone            Kafka topics as DataZone assets synced from the Schema Registry, and the
//	                    subscription-grant authorizer
//	redshift            the Data API as a database/sql driver, Serverless, data sharing
//	opensearch          fine-grained access control (roles, DLS, FLS, masking), cross-cluster replication
//	localaws            one local AWS endpoint serving the fakes to the real SDK clients and the AWS CLI
//	fakecontrol         the fault injection and call log every fake shares
//
// Choose the package named for the service you call. Each exposes small helpers built from the
// service's SDK client: pass the real client (from aws-sdk-go-v2) in production and the fake from
// the matching <pkg>test package in unit tests.
//
// # Shared types
//
// This package holds what every service package shares:
//
//   - Policy and Statement: IAM policy documents as Go values, with deterministic JSON,
//     parsing of every form IAM accepts, merging by Sid and Validate, which rejects what IAM
//     would reject and the least-privilege mistakes it would not (iam:PassRole without
//     iam:PassedToService, leftover template placeholders). Packages return the policies they
//     recommend as Policy values.
//   - Partition: partition-aware ARNs and endpoint hosts, so no package hard-codes "arn:aws" or
//     "amazonaws.com".
//   - WaitOptions and Progress: how every helper that waits (for a Spark run, a schema version,
//     a crawl, a topic's leaders) backs off, times out and reports state changes, configured
//     the same way in every package.
//   - Clock: the time source every waiter uses. ManualClock makes waits instant in tests; pass
//     the same ManualClock to a helper and to its fake so the fake's state machine moves with
//     the helper's sleeps.
//   - IsAccountID, ParseARN: small checks shared by the packages' input validation.
//
// # Conventions
//
// Every package speaks one vocabulary, so a pipeline that spans several reads the same way:
//
//   - Start returns a handle (an ID, a run) and does not wait; Wait waits for a handle to reach a
//     final state; Run is Start followed by Wait.
//   - Every Ensure call makes a resource match a desired state and returns a Change: Created,
//     Updated (with what changed) or Unchanged. Calling it again with the same input changes
//     nothing.
//   - Waits are configured by a Wait field of type WaitOptions, retries of transient failures by a
//     Retry field of type RetryOptions. A clock appears only inside those two; with none, a helper
//     given a fake waits by the fake's clock (ClockSource), and by the wall clock otherwise.
//   - A helper is built by NewX(client, optFns ...func(*Options)) from a narrow <Concept>APIClient
//     interface that the SDK client satisfies, named for the operations it holds
//     (PermissionsAPIClient: the Lake Formation grants and revokes) and shared by the helpers
//     that call the same ones. A helper that needs several clients takes the client of the
//     service it is named for first, then the others in alphabetical order of service. Each
//     package has one Options type for all its helpers (each field says which helpers read it);
//     ClientOptions are the options of the package's own service client, <Service>ClientOptions
//     those of the others. Calls that do I/O take a context first and per-call option
//     functions last.
//   - Errors start with the package name once ("glue: table sales.orders: ..."), wrap the SDK's
//     typed errors with %w, and batch calls report per-item errors aligned with their input
//     through Unwrap() []error.
//   - Options fields say their default and what zero means in their doc comment ("Zero means
//     5 minutes."); defaults and service limits are not exported as constants, and a limit a
//     call enforces is stated in the error that enforces it.
//   - The public surface is what users call: helpers, their inputs and results, error types,
//     the API client interfaces and the fakes. Conformance suites that check a fake against AWS
//     live in <pkg>/internal/conformance; parsing and formatting internals stay unexported.
//
// # Testing
//
// Every service package has a <pkg>test package (msktest, emrtest, gluetest, ...) with
// in-memory fakes of the SDK clients it uses. They behave like AWS: documented state
// machines, the SDK's typed errors, small pages with real NextToken pagination, throttling and
// fault injection, and a call log so tests can assert how many calls a helper made. Every fake
// shares one control surface, package fakecontrol: Control, KeepControl, FailNext,
// ThrottleNext, Calls and Count mean the same on each. msktest also starts real in-process
// Kafka brokers that verify MSK IAM tokens.
package datablocks
