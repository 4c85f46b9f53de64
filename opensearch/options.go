package opensearch

import (
	"log/slog"
	"net/http"
	"slices"

	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"

	"github.com/datablocks-go/datablocks"
)

// Options configures every helper of the package: NewClient, Connections, Replication and
// Security. A constructor applies its optFns to the zero Options, and so does every call that
// takes optFns (applied to a copy). A field a helper has no use for is ignored by it. The
// zero value is usable.
type Options struct {
	// Transport sends the signed requests of a NewClient client. Nil means
	// http.DefaultTransport.
	Transport http.RoundTripper
	// MaxRetries bounds a NewClient client's retries of requests that failed with 502, 503
	// or 504. Zero means the opensearch-go default (3); negative disables retries.
	MaxRetries int
	// PluginPrefix is the REST prefix of the security and replication plugins that Security
	// and Replication call: "/_opendistro" on Elasticsearch 7.x (Open Distro) domains, whose
	// APIs are /_opendistro/_security/api and /_opendistro/_replication. Empty means
	// "/_plugins".
	PluginPrefix string
	// Accept accepts connections on the leader side while Connections waits. Nil means the
	// connections client when it also implements AcceptAPIClient (both domains in one
	// account, as *opensearch.Client does), else connections are left for the leader's owner
	// to accept and the wait lasts until they do.
	Accept AcceptAPIClient
	// LeaderClusterRole and FollowerClusterRole are the use_roles of a Replication start.
	// Empty means the plugin's built-in roles, cross_cluster_replication_leader_full_access
	// and cross_cluster_replication_follower_full_access.
	LeaderClusterRole, FollowerClusterRole string
	// Wait configures the waits: Connections.WaitConnection (zero MinDelay means 5 seconds,
	// zero MaxDelay 30 seconds) and Replication.WaitSyncing (2 seconds and 30 seconds), whose
	// Clock also dates pauses for the 12-hour rule. A nil Clock means the client's or
	// transport's when it is a datablocks.ClockSource, else the system clock.
	Wait datablocks.WaitOptions
	// Retry bounds the rounds of Security's MapRole and UnmapRole when another writer changed
	// the mapping between the read and the patch (the patch's test fails). Zero MaxAttempts
	// means 8, zero MinDelay 50 milliseconds, zero MaxDelay 2 seconds.
	Retry datablocks.RetryOptions
	// Logger receives Security's role warnings (Role.Warnings) and one debug record per
	// write. Nil means silent. Passwords are never logged.
	Logger *slog.Logger
	// ClientOptions are passed to every OpenSearch Service SDK call (Connections).
	ClientOptions []func(*awsos.Options)
}

// defaultPluginPrefix is the plugins' REST prefix on OpenSearch.
const defaultPluginPrefix = "/_plugins"

// configure returns base with optFns applied, on a copy whose ClientOptions slice is its own,
// so that per-call options never change the helper's.
func configure(base Options, optFns []func(*Options)) Options {
	o := base
	o.ClientOptions = slices.Clone(o.ClientOptions)
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PluginPrefix == "" {
		o.PluginPrefix = defaultPluginPrefix
	}
	return o
}
