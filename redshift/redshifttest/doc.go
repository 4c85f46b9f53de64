// Package redshifttest is a fake Amazon Redshift Data API whose SQL runs on a real PostgreSQL,
// for testing code that uses the Data API (package redshift, or the SDK's redshiftdata client
// directly) without an AWS account.
//
//	pg, err := redshifttest.StartPostgres(ctx) // a private cluster on a Unix socket
//	if err != nil { ... }                      // errors.Is(err, redshifttest.ErrNoPostgres): skip
//	defer pg.Close()
//	fake := redshifttest.New(func(o *redshifttest.Options) { o.ConnString = pg.ConnString })
//	defer fake.Close()
//	out, err := fake.ExecuteStatement(ctx, &redshiftdata.ExecuteStatementInput{
//		WorkgroupName: aws.String("wg"), Database: aws.String("dev"), Sql: aws.String("select 1")})
//
// The fake implements ExecuteStatement, BatchExecuteStatement, DescribeStatement,
// GetStatementResult, GetStatementResultV2 and CancelStatement with the SDK's signatures, and
// serves them on the wire through package localaws (Service). Two control-plane fakes sit
// beside it: Serverless (redshift-serverless, NewServerless) and DataShares (the datashare
// operations of the provisioned redshift service, NewDataShares). Each embeds
// fakecontrol.Controls with its Op constants, has its own clock (Clock) and is checked by a
// conformance suite that runs in-process, through the real SDK clients over localaws, and
// against AWS under the integration build tag.
//
// # What it models
//
//   - Requests validated by the Data API reference: exactly one of ClusterIdentifier and
//     WorkgroupName (name or ARN, with their patterns and lengths), Database, at most one of
//     DbUser and SecretArn (DbUser only with a cluster), SessionKeepAliveSeconds 0–86,400,
//     StatementName ≤ 2048, ClientToken 1–64 (a repeated token returns the same statement),
//     ResultFormat JSON or CSV, 1–40 Sqls per batch, SQL ≤ 100 KB; parameters: at least one
//     when the list is present, names matching ^[0-9a-zA-Z_]+$, values at least one character,
//     every :name in the SQL bound and every parameter referenced. Errors are the SDK's typed
//     ValidationException, ResourceNotFoundException, ActiveSessionsExceededException and
//     ActiveStatementsExceededException.
//   - Statements move SUBMITTED → PICKED → STARTED → FINISHED | FAILED | ABORTED by the fake's
//     clock only (Options.StatementTime); the SQL runs on PostgreSQL when the clock reaches the
//     statement's end, so a cancelled statement never ran. ResultRows, ResultSize and Duration
//     are -1 until the end; HasResultSet is true for a query with no rows.
//   - :name parameters become $n outside literals, quoted identifiers, comments, dollar-quoted
//     bodies and :: casts; values are sent as text of unknown type, so
//     PostgreSQL casts them as Redshift does.
//   - Batches run in one transaction; one failure rolls back all and the later sub-statements
//     are ABORTED; results are read by sub-statement ID "<id>:<n>".
//   - Sessions (SessionKeepAliveSeconds, SessionId) are dedicated PostgreSQL connections, so
//     BEGIN … COMMIT and temporary tables span statements; a session runs one statement at a
//     time and expires when idle longer than its keep-alive (by the fake's clock), rolling back
//     an open transaction; at most 500 are open (the Data API's limit per cluster or workgroup).
//   - Results carry Redshift column metadata (type names int2, int4, int8, float4, float8,
//     numeric with precision and scale, bool, bpchar, varchar, date, time, timetz, timestamp,
//     timestamptz, super, varbyte) and Field unions (longValue, doubleValue, booleanValue,
//     stringValue, isNull), in pages of Options.PageSize records; the 64 KB row and 500 MB
//     result limits fail the statement (both configurable). SUPER and VARBYTE exist as
//     domains over jsonb and bytea in every database the fake prepares.
//   - Datashare SQL runs on a catalog the fake keeps in tables named as Redshift's system
//     views (svv_datashares, svv_datashare_objects, svv_datashare_consumers) in each
//     database: CREATE, ALTER (ADD/REMOVE SCHEMA, TABLE, ALL TABLES IN SCHEMA; SET
//     PUBLICACCESSIBLE) and DROP DATASHARE, GRANT/REVOKE USAGE ON DATASHARE TO NAMESPACE or
//     ACCOUNT (an unquoted namespace fails as on Redshift), CREATE DATABASE … FROM DATASHARE
//     … OF [ACCOUNT '…'] NAMESPACE '…', SHOW DATASHARES [LIKE] and DESC DATASHARE. Objects
//     must exist and a table's schema must be shared first; identifiers fold to lower case.
//     Being tables, the catalog rolls back with a failed batch or transaction.
//   - Throttling: ThrottleNext for single calls, and Options.RateLimits for per-operation
//     quotas (token buckets on the fake's clock; ReportedRateLimits holds the quotas
//     reported for the Data API), answered with ThrottlingException.
//   - Redshift-only SQL that PostgreSQL cannot run (COPY from S3, UNLOAD, external schemas
//     and tables, models, libraries) fails the statement with a message naming it.
//
// Serverless models namespaces (AVAILABLE ⇄ MODIFYING → DELETING, created AVAILABLE) and
// workgroups (CREATING → AVAILABLE ⇄ MODIFYING → DELETING) moving by its clock (a workgroup is
// CREATING for 3 minutes, an update MODIFYING for 30 seconds, a deletion DELETING for 1
// minute); name rules
// (3-64 of a-z, 0-9, -); unique names (ConflictException); a workgroup needs an existing
// namespace (ResourceNotFoundException) that has no other workgroup; UpdateNamespace's coupled
// members (defaultIamRoleArn with iamRoles, adminUsername with adminUserPassword) and
// manageAdminPassword against adminUserPassword (ValidationException); updates or deletes of a
// resource that is not AVAILABLE and deleting a namespace that has a workgroup
// (ConflictException); base capacity 8-512 in steps of 8 (and 4), 512-1024 in steps of 32 in
// us-east-1, us-east-2, us-west-2, eu-west-1 and eu-central-1; ports 5431-5455 and 8191-8215.
// Usage limits need an existing workgroup (serverless-compute) or namespace, an amount of at
// least 1, the enums of usage type, period (default monthly) and breach action (default log);
// a second limit for the same resource, usage type and period is a ConflictException
// (unverified); ListUsageLimits pages by MaxResults (1-100, default 100).
// It does not model snapshots, recovery points, endpoints access, tags, VPC
// checks (subnets in three AZs) or capacity limits per account.
//
// DataShares models associations PENDING_AUTHORIZATION (GrantToAccount, standing for the
// producer's SQL grant) → AUTHORIZED → ACTIVE, and DEAUTHORIZED, with InvalidDataShareFault
// for a step out of order or an unknown share, and DescribeDataShares pages (MaxRecords 20-100,
// Marker). It does not connect to the Data API fake's SQL catalog, and does not model
// AllowWrites, RejectDataShare, DisassociateDataShareConsumer, regions without data sharing
// or the caller's identity beyond Options.AccountID.
//
// # What it does not model
//
// Redshift's case folding of quoted identifiers in PostgreSQL's own objects (PostgreSQL keeps
// their case), consumer databases that can be queried (CREATE DATABASE … FROM DATASHARE only
// records one), Redshift's SQL dialect beyond PostgreSQL's (DISTKEY, SORTKEY, ENCODE, GETDATE, NVL, …),
// byte-counted VARCHAR lengths, identifiers longer than 63 bytes, system tables (STL_, SVV_),
// IAM authorization and GetCredentials, the active-statement quota, ListStatements, ListDatabases, ListSchemas, ListTables,
// DescribeTable, events (WithEvent is accepted and ignored), result expiry after 24 hours, the
// long-poll WaitTimeSeconds of newer API versions, and how AWS splits result pages by size.
// How AWS encodes VARBYTE values (the fake sends hex strings), non-finite floats (the fake
// sends strings), whether a SessionId request may repeat the target (the fake refuses), which
// error a busy session gives (the fake: ActiveStatementsExceededException) and which an expired
// session gives (the fake: ValidationException) are unverified.
package redshifttest
