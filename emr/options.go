package emr

import (
	"log/slog"
	"slices"

	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datablocks-go/datablocks"
)

// Options configures every helper of the package (StepRunner, ServerlessRunner,
// ContainersRunner, Shipper): each constructor takes functional options, and so does every
// call (applied to a copy). A field a helper has no use for is ignored by it. The zero value
// is usable.
type Options struct {
	// Wait configures how the runners follow runs: delays between checks (zero MinDelay means
	// 2 seconds, zero MaxDelay 30 seconds; StepRunner checks with ListSteps rounds), an
	// optional timeout, the clock (nil means the client's own clock when it has one, a
	// fake's, else the system clock), and OnProgress, which sees every state change with the
	// step, job run (or, for ServerlessRunner, application) ID in Progress.ID.
	Wait datablocks.WaitOptions
	// Retry configures the retries of the runners' Start after throttling or a server error
	// (StepRunner's also after a lost connection): zero delays mean 2 and 30 seconds, a nil
	// Clock means Wait.Clock, then the client's own clock when it has one (a fake's).
	// ServerlessRunner and ContainersRunner retry StartJobRun with the same client token.
	// StepRunner retries AddJobFlowSteps, which has none: before retrying after an error that
	// may have followed the write (a server error, a lost connection), it looks for the steps
	// among those the cluster got since the first attempt and does not add them twice.
	Retry datablocks.RetryOptions
	// Logger receives the runners' submissions and starts (Info) and, unless Wait.Logger is
	// set, state changes and transient errors (Debug), and one Info line per object Shipper
	// uploads or finds. Nil means silent.
	Logger *slog.Logger
	// StartApplication (ServerlessRunner only) makes Start start the application first
	// (StartApplication) when it is CREATED or STOPPED, and wait until it is STARTED. False
	// leaves it to the application's auto-start.
	StartApplication bool
	// EMRClientOptions are passed to every EMR on EC2 call (StepRunner).
	EMRClientOptions []func(*awsemr.Options)
	// ServerlessClientOptions are passed to every EMR Serverless call (ServerlessRunner).
	ServerlessClientOptions []func(*emrserverless.Options)
	// ContainersClientOptions are passed to every EMR on EKS call (ContainersRunner).
	ContainersClientOptions []func(*emrcontainers.Options)
	// S3ClientOptions are passed to every S3 call (Shipper).
	S3ClientOptions []func(*s3.Options)
}

// configure returns base with optFns applied, on a copy whose client option slices are its
// own, so that per-call options never change the helper's stored ones.
func configure(base Options, optFns []func(*Options)) Options {
	o := base
	o.EMRClientOptions = slices.Clone(o.EMRClientOptions)
	o.ServerlessClientOptions = slices.Clone(o.ServerlessClientOptions)
	o.ContainersClientOptions = slices.Clone(o.ContainersClientOptions)
	o.S3ClientOptions = slices.Clone(o.S3ClientOptions)
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}
