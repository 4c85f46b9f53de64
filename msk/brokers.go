package msk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	kafkatypes "github.com/aws/aws-sdk-go-v2/service/kafka/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// AuthMode is how clients authenticate to MSK brokers; each mode has its own listener port.
type AuthMode string

// The authentication modes MSK offers, with their private and public broker ports.
const (
	AuthIAM       AuthMode = "IAM"       // SASL/OAUTHBEARER or AWS_MSK_IAM over TLS: 9098, public 9198
	AuthSCRAM     AuthMode = "SCRAM"     // SASL/SCRAM-SHA-512 over TLS: 9096, public 9196
	AuthTLS       AuthMode = "TLS"       // mutual TLS, or unauthenticated TLS: 9094, public 9194
	AuthPlaintext AuthMode = "PLAINTEXT" // unauthenticated plaintext: 9092, no public access
)

func (m AuthMode) valid() bool {
	switch m {
	case AuthIAM, AuthSCRAM, AuthTLS, AuthPlaintext:
		return true
	}
	return false
}

// BrokerDiscovery finds the bootstrap brokers of an MSK cluster for an authentication mode.
// It is safe for concurrent use.
type BrokerDiscovery struct {
	client BrokersAPIClient
	opts   Options
}

// NewBrokerDiscovery returns a BrokerDiscovery calling client, usually a *kafka.Client of
// github.com/aws/aws-sdk-go-v2/service/kafka.
func NewBrokerDiscovery(client BrokersAPIClient, optFns ...func(*Options)) *BrokerDiscovery {
	o := configure(Options{}, optFns)
	return &BrokerDiscovery{client: client, opts: o}
}

// Bootstrap is the result of broker discovery: the brokers for the authentication mode and
// access (Options.Public) asked for.
type Bootstrap struct {
	// ClusterType is PROVISIONED or SERVERLESS.
	ClusterType kafkatypes.ClusterType
	// Brokers is the bootstrap string split into host:port addresses, in MSK's order.
	Brokers []string
}

// String returns the brokers as the comma-separated bootstrap string Kafka clients take.
func (b *Bootstrap) String() string { return strings.Join(b.Brokers, ",") }

// AuthNotEnabledError reports that the requested authentication mode (or public access) is not
// enabled on the cluster. Enabled lists the modes that are, for the requested access; the
// message also names the mode and access asked for and the cluster.
//
//	var notEnabled *msk.AuthNotEnabledError
//	if errors.As(err, &notEnabled) { fmt.Println("use one of", notEnabled.Enabled) }
type AuthNotEnabledError struct {
	// clusterARN and clusterType identify the cluster; auth and public are what was asked
	// for (the caller's own arguments, named in the message).
	clusterARN  string
	clusterType kafkatypes.ClusterType
	auth        AuthMode
	public      bool
	// Enabled lists the modes the cluster enables for the requested access.
	Enabled []AuthMode
	// Reason says why Auth is not available.
	Reason string
}

// Error names the mode, the access, the cluster, the reason and the modes that are enabled.
func (e *AuthNotEnabledError) Error() string {
	access := "private"
	if e.public {
		access = "public"
	}
	enabled := "none"
	if len(e.Enabled) > 0 {
		parts := make([]string, len(e.Enabled))
		for i, m := range e.Enabled {
			parts[i] = string(m)
		}
		enabled = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("msk: %s auth with %s access is not enabled on %s cluster %s: %s (enabled for %s access: %s)",
		e.auth, access, strings.ToLower(string(e.clusterType)), e.clusterARN, e.Reason, access, enabled)
}

// Discover returns the bootstrap brokers of the cluster for the authentication mode. It calls
// DescribeClusterV2 to learn whether the cluster is provisioned or serverless and which modes
// are enabled, returning an *AuthNotEnabledError without calling GetBootstrapBrokers when the
// mode is not, and then reads the matching field of GetBootstrapBrokers.
func (d *BrokerDiscovery) Discover(ctx context.Context, clusterARN string, auth AuthMode, optFns ...func(*Options)) (*Bootstrap, error) {
	o := configure(d.opts, optFns)
	if clusterARN == "" {
		return nil, errors.New("msk: Discover: cluster ARN is required")
	}
	if _, err := parseClusterARN(clusterARN); err != nil {
		return nil, fmt.Errorf("msk: Discover: %w", err)
	}
	if !auth.valid() {
		return nil, fmt.Errorf("msk: Discover: auth mode %q is not IAM, SCRAM, TLS or PLAINTEXT", auth)
	}
	desc, err := d.client.DescribeClusterV2(ctx, &awskafka.DescribeClusterV2Input{ClusterArn: aws.String(clusterARN)}, o.ClientOptions...)
	if err != nil {
		return nil, fmt.Errorf("msk: describing cluster %s: %w", clusterARN, err)
	}
	if desc.ClusterInfo == nil {
		return nil, fmt.Errorf("msk: describing cluster %s: response has no cluster info", clusterARN)
	}
	info := desc.ClusterInfo
	enabled := enabledAuthModes(info, o.Public)
	if reason := notEnabledReason(info, auth, o.Public, enabled); reason != "" {
		return nil, &AuthNotEnabledError{clusterARN: clusterARN, clusterType: info.ClusterType, auth: auth, public: o.Public, Enabled: enabled, Reason: reason}
	}
	out, err := d.client.GetBootstrapBrokers(ctx, &awskafka.GetBootstrapBrokersInput{ClusterArn: aws.String(clusterARN)}, o.ClientOptions...)
	if err != nil {
		return nil, fmt.Errorf("msk: getting bootstrap brokers of %s: %w", clusterARN, err)
	}
	s := aws.ToString(bootstrapField(out, auth, o.Public))
	if s == "" {
		return nil, &AuthNotEnabledError{clusterARN: clusterARN, clusterType: info.ClusterType, auth: auth, public: o.Public, Enabled: enabled,
			Reason: "GetBootstrapBrokers returned no " + bootstrapFieldName(auth, o.Public)}
	}
	brokers, err := parseBrokerList(s)
	if err != nil {
		return nil, fmt.Errorf("msk: %s of %s: %w", bootstrapFieldName(auth, o.Public), clusterARN, err)
	}
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "discovered MSK brokers", "cluster", clusterARN, "type", info.ClusterType, "auth", auth, "public", o.Public, "brokers", len(brokers))
	}
	return &Bootstrap{ClusterType: info.ClusterType, Brokers: brokers}, nil
}

// EnabledAuthModes returns the authentication modes a cluster accepts for private
// (public=false) or public access, in the order IAM, SCRAM, TLS, PLAINTEXT.
//
// A serverless cluster accepts IAM only, and has no public access. A provisioned cluster
// accepts IAM and SCRAM when enabled under client authentication (they need TLS in transit),
// TLS when TLS in transit is on and either mutual TLS or unauthenticated access is enabled,
// and PLAINTEXT when plaintext in transit is allowed and unauthenticated access is enabled.
// Public access, when turned on, covers IAM, SCRAM and TLS only.
func enabledAuthModes(info *kafkatypes.Cluster, public bool) []AuthMode {
	if info == nil {
		return nil
	}
	if info.ClusterType == kafkatypes.ClusterTypeServerless || info.Serverless != nil {
		s := info.Serverless
		if public || s == nil || s.ClientAuthentication == nil || s.ClientAuthentication.Sasl == nil ||
			s.ClientAuthentication.Sasl.Iam == nil || !aws.ToBool(s.ClientAuthentication.Sasl.Iam.Enabled) {
			return nil
		}
		return []AuthMode{AuthIAM}
	}
	p := info.Provisioned
	if p == nil {
		return nil
	}
	if public && !publicAccessOn(p) {
		return nil
	}
	// Clusters created before client authentication existed report none: unauthenticated.
	iam, scram, mtls, unauth := false, false, false, p.ClientAuthentication == nil
	if ca := p.ClientAuthentication; ca != nil {
		if ca.Sasl != nil {
			iam = ca.Sasl.Iam != nil && aws.ToBool(ca.Sasl.Iam.Enabled)
			scram = ca.Sasl.Scram != nil && aws.ToBool(ca.Sasl.Scram.Enabled)
		}
		mtls = ca.Tls != nil && aws.ToBool(ca.Tls.Enabled)
		unauth = ca.Unauthenticated != nil && aws.ToBool(ca.Unauthenticated.Enabled)
	}
	clientBroker := kafkatypes.ClientBrokerTls // the MSK default
	if p.EncryptionInfo != nil && p.EncryptionInfo.EncryptionInTransit != nil && p.EncryptionInfo.EncryptionInTransit.ClientBroker != "" {
		clientBroker = p.EncryptionInfo.EncryptionInTransit.ClientBroker
	}
	tlsOn := clientBroker == kafkatypes.ClientBrokerTls || clientBroker == kafkatypes.ClientBrokerTlsPlaintext
	plainOn := clientBroker == kafkatypes.ClientBrokerPlaintext || clientBroker == kafkatypes.ClientBrokerTlsPlaintext
	var out []AuthMode
	if iam && tlsOn {
		out = append(out, AuthIAM)
	}
	if scram && tlsOn {
		out = append(out, AuthSCRAM)
	}
	if tlsOn && (mtls || unauth) {
		out = append(out, AuthTLS)
	}
	if plainOn && unauth && !public {
		out = append(out, AuthPlaintext)
	}
	return out
}

func publicAccessOn(p *kafkatypes.Provisioned) bool {
	bn := p.BrokerNodeGroupInfo
	if bn == nil || bn.ConnectivityInfo == nil || bn.ConnectivityInfo.PublicAccess == nil {
		return false
	}
	t := aws.ToString(bn.ConnectivityInfo.PublicAccess.Type)
	return t != "" && t != "DISABLED"
}

// notEnabledReason says why auth is unavailable, or "" when it is available.
func notEnabledReason(info *kafkatypes.Cluster, auth AuthMode, public bool, enabled []AuthMode) string {
	for _, m := range enabled {
		if m == auth {
			return ""
		}
	}
	serverless := info.ClusterType == kafkatypes.ClusterTypeServerless || info.Serverless != nil
	switch {
	case serverless && public:
		return "MSK Serverless has no public access"
	case serverless:
		return "MSK Serverless supports IAM authentication only"
	case info.Provisioned == nil:
		return "the cluster description has no provisioned cluster info"
	case public && auth == AuthPlaintext:
		return "MSK public access does not allow plaintext"
	case public && !publicAccessOn(info.Provisioned):
		return "public access is turned off"
	}
	return "the cluster's client authentication or encryption in transit settings do not allow it"
}

func bootstrapField(out *awskafka.GetBootstrapBrokersOutput, auth AuthMode, public bool) *string {
	switch {
	case auth == AuthIAM && public:
		return out.BootstrapBrokerStringPublicSaslIam
	case auth == AuthIAM:
		return out.BootstrapBrokerStringSaslIam
	case auth == AuthSCRAM && public:
		return out.BootstrapBrokerStringPublicSaslScram
	case auth == AuthSCRAM:
		return out.BootstrapBrokerStringSaslScram
	case auth == AuthTLS && public:
		return out.BootstrapBrokerStringPublicTls
	case auth == AuthTLS:
		return out.BootstrapBrokerStringTls
	case auth == AuthPlaintext && !public:
		return out.BootstrapBrokerString
	}
	return nil
}

func bootstrapFieldName(auth AuthMode, public bool) string {
	pub := ""
	if public {
		pub = "Public"
	}
	switch auth {
	case AuthIAM:
		return "BootstrapBrokerString" + pub + "SaslIam"
	case AuthSCRAM:
		return "BootstrapBrokerString" + pub + "SaslScram"
	case AuthTLS:
		return "BootstrapBrokerString" + pub + "Tls"
	}
	return "BootstrapBrokerString"
}

// parseBrokerList splits a comma-separated bootstrap string ("b-1.x:9098,b-2.x:9098") into
// host:port addresses. White space around entries and empty entries are dropped; every entry
// must have a host and a port between 1 and 65535. IPv6 hosts are written in brackets.
func parseBrokerList(s string) ([]string, error) {
	var out []string
	for entry := range strings.SplitSeq(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		host, port, err := net.SplitHostPort(entry)
		if err != nil {
			return nil, fmt.Errorf("broker %q is not host:port: %w", entry, err)
		}
		if host == "" || strings.ContainsAny(host, " \t/") {
			return nil, fmt.Errorf("broker %q has an invalid host", entry)
		}
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '+' || port[0] == '-' {
			return nil, fmt.Errorf("broker %q has an invalid port %q", entry, port)
		}
		out = append(out, entry)
	}
	if len(out) == 0 {
		return nil, errors.New("broker list is empty")
	}
	return out, nil
}

// ParameterBrokers reads a comma-separated broker list from an SSM parameter (as in the
// "/kafka_spark_demo/kafka_servers" pattern) and splits it into host:port addresses. White
// space around entries and empty entries are dropped; every entry must have a host and a port
// between 1 and 65535, and IPv6 hosts are written in brackets. A SecureString parameter is
// decrypted (the caller needs kms:Decrypt on its key).
func ParameterBrokers(ctx context.Context, client ParameterAPIClient, name string, optFns ...func(*Options)) ([]string, error) {
	o := configure(Options{}, optFns)
	if name == "" {
		return nil, errors.New("msk: ParameterBrokers: parameter name is required")
	}
	// WithDecryption reads a SecureString parameter's value; SSM ignores it for String and
	// StringList parameters, so it is always set.
	in := &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(true)}
	out, err := client.GetParameter(ctx, in, o.SSMClientOptions...)
	if err != nil {
		return nil, fmt.Errorf("msk: reading broker list parameter %s: %w", name, err)
	}
	if out.Parameter == nil || out.Parameter.Value == nil {
		return nil, fmt.Errorf("msk: broker list parameter %s has no value", name)
	}
	brokers, err := parseBrokerList(*out.Parameter.Value)
	if err != nil {
		return nil, fmt.Errorf("msk: broker list parameter %s: %w", name, err)
	}
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "read broker list parameter", "parameter", name, "brokers", len(brokers))
	}
	return brokers, nil
}
