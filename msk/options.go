package msk

import (
	"context"
	"log/slog"
	"slices"
	"time"

	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/kafkaconnect"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Options configures every helper of the package (BrokerDiscovery, ParameterBrokers,
// TopicAdmin, ACLAdmin, ClusterPolicies, MirrorMakerDeployer) and the IAM and SCRAM
// mechanisms: each constructor takes functional options, and so does every call (applied to a
// copy). A field a helper has no use for is ignored by it. The zero value is usable.
// Connections are configured by ConnOptions.
type Options struct {
	// Region is the region NewIAMMechanism signs tokens for: the cluster's region, overriding
	// aws.Config.Region. One of the two is required: a token signed for the wrong (or an
	// empty) region is refused by the broker.
	Region string
	// TokenLifetime is the lifetime (X-Amz-Expires) of each token NewIAMMechanism signs, at
	// most 15 minutes (the lifetime of aws-msk-iam-sasl-signer-go tokens). Zero means 15
	// minutes. A token never outlives the credentials that signed it: its lifetime is cut to
	// their expiry.
	TokenLifetime time.Duration
	// VersionStage is the secret version stage NewSCRAMMechanism reads. Empty means Secrets
	// Manager's default, AWSCURRENT.
	VersionStage string
	// Public makes BrokerDiscovery return the public-access bootstrap brokers (ports
	// 9198/9196/9194) instead of the private ones. Public access must be turned on for the
	// cluster.
	Public bool
	// Wait configures the waits. TopicAdmin waits for partition leaders after creating a
	// topic or adding partitions: zero MinDelay and MaxDelay mean 200ms and 5s between
	// metadata checks, and a zero Timeout means no bound other than the context's, so give
	// the context a deadline or set Timeout (a partition whose leader never comes would
	// otherwise be waited for indefinitely); progress reports are "n/m partitions with a
	// leader". kafka-go's Transport answers Metadata requests from a cache it refreshes every
	// MetadataTTL (6s by default) and after CreateTopics, so a wait after adding partitions
	// takes up to that long to see them; lower the Transport's MetadataTTL for faster waits.
	// MirrorMakerDeployer waits for its connectors to run: zero MinDelay and MaxDelay mean
	// 10s and 1m between DescribeConnector calls (connectors take minutes), and a zero
	// Timeout means 30m for the three connectors. A nil Clock means the client's
	// (datablocks.ClockSource, as the msktest fakes have), else the system clock.
	Wait datablocks.WaitOptions
	// Retry configures ClusterPolicies' retries after a version conflict or throttling: a
	// zero MinDelay, MaxDelay or MaxAttempts means 100ms, 30s or 20 read-modify-write
	// attempts (the first one included), after the Data Solutions Framework's cluster policy
	// updater; a nil Clock means datablocks.SystemClock() (tests pass a
	// datablocks.ManualClock).
	Retry datablocks.RetryOptions
	// Logger, if set, receives a debug record per IAM token signed (access key ID, region,
	// expiry; never the token), per SCRAM secret loaded (its name and the user name; never
	// the password), per discovery, per broker list read (never the
	// parameter's value), per topic change applied (created, configs set, partitions added,
	// deleted) and topic described or listed, per ACL call, per cluster policy attempt and
	// change, and the waits' state changes when Wait.Logger is nil. Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every MSK control-plane call (BrokerDiscovery,
	// ClusterPolicies).
	ClientOptions []func(*awskafka.Options)
	// ConnectClientOptions are passed to every MSK Connect call (MirrorMakerDeployer).
	ConnectClientOptions []func(*kafkaconnect.Options)
	// SSMClientOptions are passed to the GetParameter call of ParameterBrokers.
	SSMClientOptions []func(*ssm.Options)
	// SecretsManagerClientOptions are passed to the GetSecretValue call of
	// NewSCRAMMechanism.
	SecretsManagerClientOptions []func(*secretsmanager.Options)

	// signer selects NewIAMMechanism's token signer; zero is signerAuto. Only tests set it.
	signer tokenSigner
	// clock is the time NewIAMMechanism's tokens are signed at, overriding the system clock;
	// only tests set it. A clock other than the system clock implies signing with
	// aws/signer/v4 (the MSK signer reads the system clock).
	clock datablocks.Clock
}

// configure returns base with optFns applied, on a copy whose ClientOptions slices are its
// own, so that per-call options never change the helper's.
func configure(base Options, optFns []func(*Options)) Options {
	o := base
	o.ClientOptions = slices.Clone(o.ClientOptions)
	o.ConnectClientOptions = slices.Clone(o.ConnectClientOptions)
	o.SSMClientOptions = slices.Clone(o.SSMClientOptions)
	o.SecretsManagerClientOptions = slices.Clone(o.SecretsManagerClientOptions)
	return apply(o, optFns)
}

// apply returns o with the option functions applied, in order: the constructors apply them
// to a zero options struct, and the per-call methods to a copy of the helper's.
func apply[O any](o O, optFns []func(*O)) O {
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}

// withDefaultDelays fills in a helper's own default delays where po has none, so a zero
// MinDelay or MaxDelay in the user's options means the helper's default rather than poll's.
func withDefaultDelays(po poll.Options, minDelay, maxDelay time.Duration) poll.Options {
	if po.MinDelay <= 0 {
		po.MinDelay = minDelay
	}
	if po.MaxDelay <= 0 {
		po.MaxDelay = maxDelay
	}
	return po
}

// waitFor is poll.Wait with the package prefix on every error it returns, once.
func waitFor(ctx context.Context, o poll.Options, check poll.Check) error {
	return poll.WaitPrefixed(ctx, "msk", o, check)
}
