package redshift

import (
	"slices"
	"time"

	awsredshift "github.com/aws/aws-sdk-go-v2/service/redshift"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"

	"github.com/datablocks-go/datablocks"
)

// Options configures every helper of the package: DataAPI (and the DataSharing and
// database/sql connectors built on one), NewConnector, Serverless and DataShareControl. A
// constructor applies its optFns to the zero Options, and so does every call that takes
// optFns (applied to a copy). A field a helper has no use for is ignored by it. The zero value
// is usable.
type Options struct {
	// Wait configures the waits. A DataAPI waits for statements: zero MinDelay means
	// 50 milliseconds (most statements end within tens of milliseconds), zero MaxDelay
	// 5 seconds (the delay doubles while a statement runs, so a long statement costs a few
	// calls per minute rather than the fixed 10 ms poll's hundred per second, the account's
	// whole DescribeStatement quota), nil Jitter a random point in the upper half of each
	// backoff step (so delays really grow) and zero Timeout no bound other than the
	// context's. Serverless waits for AVAILABLE and for deletions: zero MinDelay means
	// 5 seconds, zero MaxDelay 30 seconds, zero Timeout 30 minutes (a workgroup takes minutes
	// to create). Nil Clock means the client's clock when it is a fake
	// (datablocks.ClockSource), else the system clock.
	Wait datablocks.WaitOptions
	// Retry configures Serverless's retries of calls refused with ConflictException (the
	// resource is busy) or throttled. Zero MaxAttempts means 20; zero delays mean those of
	// Wait.
	Retry datablocks.RetryOptions
	// CancelTimeout bounds the CancelStatement call a DataAPI makes when the context of a
	// wait ends. Zero means 10 seconds.
	CancelTimeout time.Duration
	// SessionKeepAlive is the keep-alive of the Data API session a database/sql connection
	// (NewConnector) opens for its transactions, after each statement. Zero means 5 minutes.
	SessionKeepAlive time.Duration
	// SessionPerConn makes a database/sql connection (NewConnector) run every statement in
	// its session, not only those of transactions, so that temporary tables, SET and
	// pg_last_copy_count() carry from one statement to the next on a *sql.Conn. Statements of
	// one connection then run one at a time. False runs statements outside transactions on
	// their own.
	SessionPerConn bool
	// Region is the region of Serverless's workgroups, for the base capacity rule (above
	// 512 RPU in five regions only). Empty skips the region part of the rule.
	Region string
	// ClientOptions are passed to every Redshift control-plane call (DataShareControl).
	ClientOptions []func(*awsredshift.Options)
	// DataAPIClientOptions are passed to every Data API call (DataAPI).
	DataAPIClientOptions []func(*redshiftdata.Options)
	// ServerlessClientOptions are passed to every Redshift Serverless call (Serverless).
	ServerlessClientOptions []func(*redshiftserverless.Options)
}

// configure returns base with optFns applied, on a copy whose slices are its own, so that
// per-call options never change the helper's.
func configure(base Options, optFns []func(*Options)) Options {
	o := base
	o.ClientOptions = slices.Clone(o.ClientOptions)
	o.DataAPIClientOptions = slices.Clone(o.DataAPIClientOptions)
	o.ServerlessClientOptions = slices.Clone(o.ServerlessClientOptions)
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}
