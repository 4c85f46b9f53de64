// Package gluetest is an in-memory AWS Glue for tests: a [Fake] that implements every client
// interface of package glue (and the SDK methods listed below) with the exact aws-sdk-go-v2
// signatures, real output shapes and real typed errors. It does not import package glue: it
// speaks SDK types only and checks requests and schemas on its own, so that a mistake of the
// helpers cannot hide in their fake.
//
//	clock := datablocks.NewManualClock(time.Time{})
//	fake := gluetest.New(func(o *gluetest.Options) { o.Clock = clock })
//	catalog := glue.NewCatalog(fake)
//
// # Data Catalog
//
// CreateDatabase, GetDatabase, GetDatabases, UpdateDatabase, DeleteDatabase, CreateTable,
// GetTable, GetTables, UpdateTable and DeleteTable behave as Glue does: names are stored in
// lower case and looked up case-insensitively; several catalogs are kept apart by CatalogId
// (empty means Options.AccountID); a missing database or table is a
// *types.EntityNotFoundException, a duplicate a *types.AlreadyExistsException; updates replace
// the definition (parameters are not merged); every table update adds a version ("0", "1",
// ...) and a stale UpdateTableInput.VersionId is a *types.ConcurrentModificationException.
// A database created without CreateTableDefaultPermissions gets the IAM_ALLOWED_PRINCIPALS/ALL
// default; one created with an empty list (Lake Formation mode) keeps it empty.
//
// # Schema Registry
//
// CreateRegistry, CreateSchema, GetSchema, ListSchemas, UpdateSchema, DeleteSchema,
// RegisterSchemaVersion, GetSchemaVersion and CheckSchemaVersionValidity. default-registry
// springs into being on first use, as in Glue. Definitions (at most 170,000 characters, as
// the API reference bounds SchemaDefinition) are validated with reference implementations of
// each format, never with package glue's parsers: hamba/avro for Avro, bufbuild/protocompile
// for Protobuf (the google/protobuf/*.proto imports built in, no others), and
// santhosh-tekuri/jsonschema for JSON Schema (metaschema validation, draft 7 when $schema is
// absent, no references to other documents). An invalid definition is a
// *types.InvalidInputException. A new version is PENDING for Options.SchemaVersionDelay, then
// AVAILABLE, or FAILURE when it breaks the schema's compatibility mode: Avro versions are
// checked with hamba/avro's SchemaCompatibility (BACKWARD, FORWARD, FULL against the latest
// AVAILABLE version, the _ALL variants against all of them, NONE accepts anything); DISABLED
// fails every version after the first. Registering a
// definition identical to an existing version returns that version.
//
// # Crawlers, jobs and workflows
//
// Runs advance by Options.Clock. A crawler goes READY → RUNNING → STOPPING → READY and then
// reports LastCrawl (the previous crawl's while a new one runs); StopCrawler cancels a crawl;
// DeleteCrawler and StartCrawler refuse a busy crawler with *types.CrawlerRunningException.
// A job run goes STARTING → RUNNING → its final state (STOPPED through STOPPING), ends TIMEOUT
// when its Timeout is shorter than its running time, and beyond the job's MaxConcurrentRuns
// the start fails with *types.ConcurrentRunsExceededException. A workflow run is RUNNING, then
// COMPLETED, STOPPED or ERROR with its statistics. Outcomes are scripted per run with
// [Fake.ScriptCrawls], [Fake.ScriptJobRuns] and [Fake.ScriptWorkflowRuns]; unscripted runs
// succeed. Jobs and workflows are defined with CreateJob and CreateWorkflow.
//
// # Pages, faults and the call log
//
// List operations page as Glue documents: ListSchemas returns 25 items when MaxResults is not
// set (from the API reference), GetDatabases, GetTables and GetCrawlerMetrics 100 (the
// reference gives only MaxResults' range, 1 to 100). Options.PageSize overrides both; set it
// small so that code that reads only the first page fails its tests. A MaxResults outside its range or a malformed NextToken is a
// *types.InvalidInputException.
//
// # Validation
//
// Requests are checked against the Glue API reference on the fake's own, with Glue's
// InvalidInputException and its "1 validation error detected: Value '...' at 'member' failed
// to satisfy constraint: ..." wording: NameString members (database, table, column, job and
// crawler names: 1 to 255 characters of the single-line pattern, which rejects NUL and every
// control character but tab), DescriptionString (0 to 2048), URI locations, ParametersMap
// (keys 1 to 255, values up to 512,000 bytes), Column.Type (up to 131,072 characters) and
// Column.Comment (up to 255), SchemaRegistryNameString ([a-zA-Z0-9-_$#.]+, 1 to 255),
// SchemaDefinition (1 to 170,000), the DataFormat, Compatibility and WorkerType enums.
//
// # Time
//
// Every state machine advances by the fake's clock only: Options.Clock, or the fake's own
// datablocks.ManualClock, which [Fake.Clock] returns. Helpers of package glue given the fake
// and no clock of their own wait by it, so a wait of minutes takes microseconds. A read that
// observes a version, crawl or run that only time can finish, three times in a row with the
// clock unmoved, fails with fakecontrol's FakeClockStalled error instead of letting the wait
// spin until its deadline.
//
// # On the wire
//
// [Fake.Service] describes the fake for package localaws, which serves it to the real SDK
// client (awsglue.NewFromConfig(srv.Config())) and the AWS CLI.
//
// The fake embeds *fakecontrol.Controls, the control surface every datablocks fake shares:
// Control and KeepControl intercept an operation (OpGetCrawler, OpUpdateTable, ...; a name
// the fake does not implement panics), FailNext
// fails its next call with a given error, ThrottleNext(op, n) fails the next n calls with
// *types.ThrottlingException, and Calls, Count and ResetCalls read the call log.
//
// # Conformance
//
// A conformance suite (in glue/internal/conformance) checks the fake's behaviors at the SDK
// interface; it runs in every go test against the fake in-process and through the real SDK
// client over localaws, and against real AWS under the integration build tag.
//
// # Not modeled
//
// Partitions, table versions APIs (each UpdateTable keeps a version, but GetTableVersions is not served), column statistics,
// transactions and governed tables, Lake Formation permission checks, ResourceShareType and
// AttributesToGet filters, federated and view definitions beyond storing them, and resource
// links resolving to their targets (they are stored and returned as written). Compatibility
// checks of JSON Schema and Protobuf versions (only DISABLED is enforced for them), schema
// checkpoints, version metadata and deletion of versions; the exact wording of Glue's
// schema-validation messages (the fake reports the reference library's). CatalogId is not
// checked against the caller's account or Lake Formation grants. Crawls do not write tables into
// the catalog; jobs and workflows run no code; triggers, schedules, job bookmarks and retries
// (MaxRetries) are not modeled; GetCrawler omits Schedule details.
package gluetest
