// Package redshift runs SQL on Amazon Redshift (Serverless workgroups and provisioned
// clusters) through the Redshift Data API, which needs no network path to the database and
// authenticates with IAM: a client (DataAPI) with typed, lazily streamed results (or CSV text,
// QueryCSV) and adaptive polling, and a database/sql driver with real transactions on Data API sessions.
//
//	d := redshift.NewDataAPI(redshiftdata.NewFromConfig(cfg),
//		redshift.Target{Workgroup: "analytics", Database: "dev"})
//	rows, err := d.Query(ctx, redshift.Statement{
//		SQL:    "select id, name from users where created > :since",
//		Params: []redshift.Param{{Name: "since", Value: "2026-01-01"}},
//	})
//	if err != nil { ... }
//	defer rows.Close()
//	for rows.Next() { fmt.Println(rows.Values()...) }
//	if err := rows.Err(); err != nil { ... }
//
// # database/sql
//
// The driver is registered as DriverName ("redshift-data"), whose doc gives its data source
// names. NewConnector builds a connector from a DataAPI for sql.OpenDB. Transactions are
// real: Begin opens a Data API session (SessionKeepAliveSeconds) and runs BEGIN in it, every
// statement of the transaction runs in that session (SessionId), so a query sees the transaction's uncommitted writes and other
// connections do not, and Commit or Rollback runs COMMIT or ROLLBACK. Arguments become Data
// API parameters (never text spliced into the SQL): :name for sql.Named, :1, :2, … for
// positional arguments. With Options.SessionPerConn every statement of a connection
// runs in its session, so temporary tables and session settings carry over on a *sql.Conn.
//
// # Serverless
//
// Serverless.EnsureNamespace and EnsureWorkgroup create a namespace or workgroup, or update
// what differs (one coupled group of fields per call, waiting for AVAILABLE between calls,
// retrying ConflictException while the resource is MODIFYING), and return a datablocks.Change;
// DeleteWorkgroup and DeleteNamespace wait until the resource is gone. Base capacity and port
// are validated before any call. Serverless.EnsureUsageLimit keeps a usage limit (RPU-hours
// per day, week or month, with its breach action) as desired.
//
// # Data sharing
//
// DataSharing runs datashare SQL through a DataAPI: Ensure creates a datashare, adds and
// removes the schemas and tables that differ from SVV_DATASHARE_OBJECTS, or renames it from
// PreviousName (create, grant to the same consumers, then drop the old one, in one
// transaction); Grant and Consume (CREATE DATABASE … FROM DATASHARE) do nothing when the
// system views show them done; the names and values they put in SQL are quoted (identifiers
// in double quotes, at most 127 bytes; literals in single quotes). DataShareControl
// authorizes and associates cross-account consumers on the control plane, and DatashareARN
// builds ARNs in the region's partition.
//
// # Clients
//
// DataAPIClient lists the redshiftdata.Client methods used: ExecuteStatement,
// BatchExecuteStatement, DescribeStatement, CancelStatement, GetStatementResult and
// GetStatementResultV2. ServerlessAPIClient lists the redshiftserverless.Client namespace,
// workgroup and usage limit methods; DataShareAPIClient the redshift.Client methods AuthorizeDataShare,
// AssociateDataShareConsumer and DescribeDataShares.
//
// # Options and defaults
//
// Statements are waited for by DescribeStatement with backoff from 50 ms to 5 s
// (Options.Wait), so a two-second statement costs about eight calls (8 in the worst of
// 20 runs) instead of the two hundred of a fixed 10 ms poll. When the caller's context ends
// (or Wait.Timeout passes), the statement is cancelled with CancelStatement on a detached
// context bounded by Options.CancelTimeout (10 s).
//
// # Errors
//
// Validation errors name the field and rule and are returned before any call. A statement
// that fails or is cancelled returns a *StatementError with its status, message, query ID
// and, for a batch, the failed sub-statement. Data API errors are wrapped, so errors.As finds
// the SDK's types (*types.ValidationException, ...). A result value that does not parse as its
// column's type is an error from Rows.Err, never a NULL.
//
// # Testing
//
// Package redshifttest is a fake Data API whose SQL runs on a real PostgreSQL started by the
// test; pass it as the DataAPIClient. Its Serverless and DataShares fakes stand in for the
// two control planes. All three serve the real SDK clients through package localaws.
package redshift
