// Package glue holds the AWS Glue helpers data pipelines rewrite again and again: the Data
// Catalog (databases, tables, governance parameters, resource links), the Schema Registry
// (schemas, versions, compatibility, definitions parsed into columns), and runs of crawlers,
// jobs and workflows waited on to the end.
//
//	client := awsglue.NewFromConfig(cfg)
//	catalog := glue.NewCatalog(client)
//	_, err := catalog.EnsureDatabase(ctx, glue.Database{Name: "sales", LakeFormation: true,
//		Governance: glue.Governance{DataOwner: "111122223333", DataOwnerName: "sales-team"}})
//	_, err = catalog.EnsureTable(ctx, glue.Table{Database: "sales", Name: "orders",
//		Location: "s3://lake/sales/orders/", Format: glue.FormatParquet,
//		Columns: []glue.Column{{Name: "id", Type: "string"}, {Name: "email", Type: "string", PII: true}}})
//	v, err := glue.NewRegistry(client).Register(ctx, glue.Schema{Name: "orders-value",
//		DataFormat: types.DataFormatAvro, Definition: avsc})
//	cols, err := glue.ParseSchema(v.DataFormat, v.Definition) // Hive types: "customer struct<id:bigint,...>"
//	_, err = catalog.EnsureTable(ctx, glue.Table{Database: "sales", Name: "orders_stream",
//		Location: "s3://lake/sales/orders_stream/", Format: glue.FormatAvro, Columns: cols})
//	res, err := glue.NewCrawlerRunner(client).RunEphemeral(ctx, glue.EphemeralCrawler{...})
//
// # Clients
//
// Each helper takes the narrow interface of the SDK methods it calls, which *awsglue.Client
// and gluetest.Fake both satisfy: [Catalog] ([CatalogAPIClient]) creates and updates
// databases, tables and resource links idempotently; [CatalogReader]
// ([CatalogReaderAPIClient]) lists every page and answers governance questions
// ([CatalogReader.TablePII], [CatalogReader.DatabaseGovernance]; [ParseGovernance] reads
// parameters already at hand); [Registry] ([RegistryAPIClient]) lists schemas with their
// latest definitions, registers versions and waits for them; [CrawlerRunner]
// ([CrawlerAPIClient]), [JobRunner] ([JobRunAPIClient]) and [WorkflowRunner]
// ([WorkflowRunAPIClient]) start, wait and run (Start returns a handle without waiting, Wait
// waits, Run is Start then Wait). Every Ensure call returns a datablocks.Change (Created,
// Updated with what changed, Unchanged).
// Schema parsing needs no client and works offline: [ParseSchema] maps an AVRO, JSON or
// PROTOBUF definition to table columns,
//
//	cols, err := glue.ParseSchema(types.DataFormatProtobuf, definition)
//
// typed in the Hive DDL Glue and Athena read (bigint, decimal(10,2), timestamp,
// array<struct<sku:string,qty:int>>, ...; the mapping per format is in its doc), ready for
// [Table].Columns; a malformed definition is a [*SchemaError] with line and column.
// [CheckAvroCompatibility] checks Avro versions against each other. [Catalog] checks names and
// column types before any call, by Glue's and Athena's rules.
//
// # Options and defaults
//
// One [Options] struct configures every helper: constructors take functional options applied
// to it, and every call takes options too, applied to a copy; its zero value is usable, and a
// field a helper has no use for is ignored by it. Waits go through one loop with exponential
// backoff and jitter, configured by Options.Wait, a datablocks.WaitOptions (Clock, delays,
// Timeout, OnProgress, Logger): schema versions poll from 1 to 10 seconds, crawls and job runs
// from 15 seconds to 1 minute, workflow runs from 30 seconds to 2 minutes. A zero Timeout means
// no bound other than the context's (a job run is bounded by its own Timeout in Glue; a crawl
// is not). Throttling while polling is retried, and so is a throttled StartCrawler,
// StartJobRun or StartWorkflowRun (Options.Retry, a datablocks.RetryOptions: 5 attempts from
// 1 to 20 seconds). For a [Catalog], Retry.MaxAttempts bounds the writes after a lost race
// (re-read and written again at once; 4 by default). ClientOptions are passed to every SDK
// call, and Logger receives debug records (silent when nil), and a wait's state changes
// unless Wait.Logger is set.
//
// # Errors
//
// Invalid inputs are rejected before any API call with an error naming the field and the rule
// ("glue: JobRun.Arguments: argument key \"souce.table\" must start with \"--\""). SDK errors
// are wrapped with %w, so errors.As finds *types.EntityNotFoundException and friends. Domain
// failures have their own types: [*CrawlFailedError], carrying the crawl's result, and
// [*JobRunFailedError] and [*WorkflowRunFailedError], carrying the run as Glue reported it;
// [*SchemaVersionFailedError] (wrapping a [*CompatibilityError] or a [*SchemaError] when the
// reason is known); and [*SchemaError] for malformed definitions, with line and column when
// parsed locally. Every error starts with "glue: " once, the timeouts and cancellations of
// waits included. An ephemeral crawler is deleted even when the run fails or the context is
// canceled; a failed deletion is joined to the returned error.
//
// # Testing
//
// Package gluetest is an in-memory Glue with real state machines, typed errors, Glue's page
// sizes, fault injection and a call log, served on the wire by package localaws too. A helper
// given the fake and no clock waits on the fake's own clock, so waits of minutes take
// microseconds; a wait that nothing advances fails fast with the fake's stall report.
package glue
