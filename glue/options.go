package glue

import (
	"log/slog"
	"slices"

	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"

	"github.com/datablocks-go/datablocks"
)

// helperOptions is what every options struct of the package implements, so that one function
// applies functional options the same way for every helper.
type helperOptions[O any] interface {
	*O
	// clientOptions points at the struct's ClientOptions.
	clientOptions() *[]func(*awsglue.Options)
}

// configure returns base with optFns applied, on a copy whose ClientOptions slice is its own,
// so that per-call options never change the helper's.
func configure[O any, P helperOptions[O]](base O, optFns []func(*O)) O {
	o := base
	client := P(&o).clientOptions()
	*client = slices.Clone(*client)
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}

func (o *CatalogOptions) clientOptions() *[]func(*awsglue.Options)  { return &o.ClientOptions }
func (o *RegistryOptions) clientOptions() *[]func(*awsglue.Options) { return &o.ClientOptions }
func (o *RunnerOptions) clientOptions() *[]func(*awsglue.Options)   { return &o.ClientOptions }

// RunnerOptions configures a CrawlerRunner, a JobRunner or a WorkflowRunner. The zero value is
// usable.
type RunnerOptions struct {
	// Wait configures the wait for a crawl or a run. Zero delays mean polls from 15 seconds
	// growing to 1 minute for crawls and job runs, and from 30 seconds to 2 minutes for
	// workflow runs; a zero Timeout means no bound other than the context's. Glue ends a job
	// run at the job's Timeout (TIMEOUT state) but puts no time limit on a crawl, so bound a
	// long-lived pipeline's wait for one with Timeout or the context: an ephemeral crawler is
	// stopped and deleted when either ends the wait.
	Wait datablocks.WaitOptions
	// Retry bounds the retries of a throttled StartCrawler, StartJobRun or StartWorkflowRun.
	// Zero fields mean 5 attempts, the first included, with delays from 1 second growing to
	// 20 seconds.
	Retry datablocks.RetryOptions
	// Logger, if set, receives a debug line per crawl or run started and ended and per
	// ephemeral crawler created or deleted, and the wait's state changes when Wait.Logger is
	// nil. Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every SDK call.
	ClientOptions []func(*awsglue.Options)
}
