package glue

import (
	"log/slog"
	"slices"

	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"

	"github.com/datablocks-go/datablocks"
)

// Options configures every helper of the package: each constructor takes functional options,
// and so does every call (applied to a copy). A field a helper has no use for is ignored by
// it. The zero value is usable.
type Options struct {
	// CatalogID is the Data Catalog a Catalog writes to and a CatalogReader reads: a 12-digit
	// account ID. Empty means the caller's account.
	CatalogID string
	// RegistryName is the Schema Registry registry a Registry works in. Empty means
	// "default-registry", the registry Glue uses when none is named.
	RegistryName string
	// Wait configures the waits: for a registered schema version to leave PENDING (zero delays
	// mean polls from 1 second growing to 10 seconds), for a crawl or a job run (15 seconds to
	// 1 minute) and for a workflow run (30 seconds to 2 minutes). A zero Timeout means no bound
	// other than the context's. Glue ends a job run at the job's Timeout (TIMEOUT state) but
	// puts no time limit on a crawl, so bound a long-lived pipeline's wait for one with Timeout
	// or the context: an ephemeral crawler is stopped and deleted when either ends the wait.
	Wait datablocks.WaitOptions
	// Retry bounds the retries of a throttled StartCrawler, StartJobRun or StartWorkflowRun:
	// zero fields mean 5 attempts, the first included, with delays from 1 second growing to
	// 20 seconds. For a Catalog, Retry.MaxAttempts bounds the writes of a create or update that
	// lost a race to another writer (AlreadyExistsException, ConcurrentModificationException),
	// the first write included: zero means 4 and 1 means no retry. Such a retry re-reads the
	// current definition and writes again at once, since the race is settled by the time its
	// error arrives; throttled catalog writes are left to the SDK client's own retryer.
	Retry datablocks.RetryOptions
	// Logger, if set, receives a debug line per catalog create or update, per listing read,
	// per schema created, compatibility changed and version registered, per crawl or run
	// started and ended and per ephemeral crawler created or deleted; and the waits' state
	// changes when Wait.Logger is nil. Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every SDK call.
	ClientOptions []func(*awsglue.Options)
}

// configure returns base with optFns applied, on a copy whose ClientOptions slice is its own,
// so that per-call options never change the helper's.
func configure(base Options, optFns []func(*Options)) Options {
	o := base
	o.ClientOptions = slices.Clone(o.ClientOptions)
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}
