package msktest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/msk/internal/connopts"
)

// Defaults of a local cluster.
const (
	// defaultBrokers is the number of brokers, one per availability zone of a typical
	// three-AZ MSK cluster.
	defaultBrokers = 3
	// defaultRegion is the cluster's region; tokens must be signed for it.
	defaultRegion = "eu-west-1"
	// defaultAccessKeyID and defaultSecretAccessKey are the credentials a cluster accepts
	// when ClusterOptions.Credentials is nil; Config returns them.
	defaultAccessKeyID     = "AKIAMSKTESTEXAMPLE01"
	defaultSecretAccessKey = "msktest/EXAMPLE/secretAccessKey/0123456"
	// defaultPartitions is the partition count of seeded topics.
	defaultPartitions = 3
	// clockSkew is how far in the future a token may be signed.
	clockSkew = 5 * time.Minute
)

// ClusterOptions configures NewCluster. The zero value is valid.
type ClusterOptions struct {
	// Brokers is the number of brokers. Zero means 3, one per availability zone of a typical
	// three-AZ MSK cluster.
	Brokers int
	// Region is the cluster's region. Empty means "eu-west-1". IAM tokens signed for another
	// region are refused.
	Region string
	// Credentials maps access key IDs to secret access keys the cluster accepts in IAM
	// tokens. Nil means one generated example key pair, which Config returns. Session tokens
	// of temporary credentials are signed over but not checked.
	Credentials map[string]string
	// SCRAMUsers maps user names to passwords that may authenticate with SCRAM-SHA-512.
	// Nil means SCRAM is not offered.
	SCRAMUsers map[string]string
	// SessionLifetime ends each SASL session this long after authentication, as Kafka's
	// connections.max.reauth.ms does (KIP-368), and no later than the IAM token's expiry: the
	// first request that arrives after the session ended is not processed and the connection
	// is closed. Zero means an IAM session ends when its token expires, as on MSK, and a SCRAM
	// session never does. Successful SaslAuthenticate responses report the lifetime in
	// SessionLifetimeMillis, so clients that re-authenticate (KIP-368) know when to.
	SessionLifetime time.Duration
	// AllowUnauthenticated lets clients that skip SASL in, as an MSK cluster with
	// unauthenticated access enabled does. False (the default) closes the connection of a
	// client that sends anything but ApiVersions or SASL requests before authenticating.
	AllowUnauthenticated bool
	// SeedTopics are created at start with Partitions partitions each.
	SeedTopics []string
	// Partitions is the partition count of SeedTopics. Zero means 3.
	Partitions int32
	// Plaintext makes the brokers listen without TLS. False (the default) means TLS 1.2 or
	// newer with a certificate for 127.0.0.1 and localhost from a CA generated for the
	// cluster, as MSK's IAM listeners (port 9098) serve TLS; clients trust it with
	// Cluster.TLSConfig or Cluster.ConnOptions.
	Plaintext bool
	// Clock is the cluster's time for token expiry and session lifetimes. Nil means the
	// system clock: the brokers serve real clients in real time.
	Clock datablocks.Clock
	// Logger receives a record per refused connection or authentication. Nil means silent.
	Logger *slog.Logger
}

// Stats counts what the cluster's brokers saw. All fields are totals since NewCluster.
type Stats struct {
	// Connections is the number of client connections accepted.
	Connections int64
	// Authentications is the number of successful SASL authentications, all mechanisms.
	Authentications int64
	// IAMAuthentications is the number of successful MSK IAM (OAUTHBEARER) authentications.
	IAMAuthentications int64
	// AuthFailures is the number of refused SASL handshakes and authentications.
	AuthFailures int64
	// Unauthenticated is the number of connections closed because a request other than
	// ApiVersions or SASL arrived before authentication.
	Unauthenticated int64
	// ExpiredSessions is the number of connections closed because a request arrived after
	// the SASL session expired: sessions killed by the broker.
	ExpiredSessions int64
	// Reauthentications is the number of successful SASL authentications on connections
	// that were already authenticated (KIP-368 re-authentication), included in
	// Authentications.
	Reauthentications int64
}

// Cluster is a local MSK cluster: in-process Kafka brokers (kfake) on 127.0.0.1 that
// accept only clients that authenticate with MSK IAM (OAUTHBEARER) or, when configured,
// SCRAM-SHA-512. It is safe for concurrent use.
type Cluster struct {
	opts     ClusterOptions
	kf       *kfake.Cluster
	tls      *tls.Config    // server side; nil for plaintext
	roots    *x509.CertPool // the cluster CA; nil for plaintext
	verifier *tokenVerifier
	region   string

	mu    sync.Mutex
	creds map[string]string
	conns map[*guardConn]struct{}
	dead  bool

	stats statsBox
}

type statsBox struct {
	mu sync.Mutex
	s  Stats
}

func (b *statsBox) add(fn func(*Stats)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fn(&b.s)
}

// NewCluster starts a local cluster. Close it when done.
func NewCluster(optFns ...func(*ClusterOptions)) (*Cluster, error) {
	var o ClusterOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Brokers == 0 {
		o.Brokers = defaultBrokers
	}
	if o.Brokers < 0 {
		return nil, fmt.Errorf("msktest: ClusterOptions.Brokers %d is negative", o.Brokers)
	}
	if o.Region == "" {
		o.Region = defaultRegion
	}
	if o.Partitions == 0 {
		o.Partitions = defaultPartitions
	}
	if o.Partitions < 0 {
		return nil, fmt.Errorf("msktest: ClusterOptions.Partitions %d is negative", o.Partitions)
	}
	if o.SessionLifetime < 0 {
		return nil, fmt.Errorf("msktest: ClusterOptions.SessionLifetime %s is negative", o.SessionLifetime)
	}
	if o.Clock == nil {
		o.Clock = datablocks.SystemClock()
	}
	c := &Cluster{
		opts:   o,
		region: o.Region,
		creds:  map[string]string{defaultAccessKeyID: defaultSecretAccessKey},
		conns:  make(map[*guardConn]struct{}),
	}
	if o.Credentials != nil {
		c.creds = make(map[string]string, len(o.Credentials))
		for k, v := range o.Credentials {
			if k == "" || v == "" {
				return nil, errors.New("msktest: ClusterOptions.Credentials has an empty access key ID or secret")
			}
			c.creds[k] = v
		}
	}
	c.verifier = &tokenVerifier{region: o.Region, host: serviceHost(o.Region), skew: clockSkew, lookup: c.secret}
	if !o.Plaintext {
		var err error
		if c.tls, c.roots, err = newServerTLS(); err != nil {
			return nil, err
		}
	}
	kopts := []kfake.Opt{
		kfake.NumBrokers(o.Brokers),
		kfake.ListenFn(func(network, address string) (net.Listener, error) {
			ln, err := net.Listen(network, address)
			if err != nil {
				return nil, err
			}
			if c.tls != nil {
				// TLS below the guard, so that the guard reads Kafka frames.
				ln = tls.NewListener(ln, c.tls)
			}
			return &guardListener{Listener: ln, c: c}, nil
		}),
	}
	if len(o.SeedTopics) > 0 {
		kopts = append(kopts, kfake.SeedTopics(o.Partitions, o.SeedTopics...))
	}
	for u, p := range o.SCRAMUsers {
		kopts = append(kopts, kfake.User(mechSCRAM, u, p))
	}
	if o.SessionLifetime > 0 {
		// Lets kfake report the lifetime to, and accept a re-handshake from, SCRAM clients.
		kopts = append(kopts, kfake.BrokerConfigs(map[string]string{
			"connections.max.reauth.ms": strconv.FormatInt(o.SessionLifetime.Milliseconds(), 10),
		}))
	}
	kf, err := kfake.NewCluster(kopts...)
	if err != nil {
		return nil, fmt.Errorf("msktest: starting brokers: %w", err)
	}
	c.kf = kf
	kf.ControlKey(int16(kmsg.SASLHandshake), c.handshake)
	kf.ControlKey(int16(kmsg.SASLAuthenticate), c.authenticate)
	return c, nil
}

// MustCluster starts a local cluster for a test and closes it when the test ends; it fails
// the test if the cluster cannot start.
func MustCluster(t testing.TB, optFns ...func(*ClusterOptions)) *Cluster {
	t.Helper()
	c, err := NewCluster(optFns...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// Addrs returns the brokers' host:port addresses, the cluster's bootstrap broker list.
func (c *Cluster) Addrs() []string { return c.kf.ListenAddrs() }

// Config returns an aws.Config for the cluster's region with static credentials it accepts:
// the default example key pair when registered, else the first access key ID in sorted
// order.
func (c *Cluster) Config() aws.Config {
	c.mu.Lock()
	akid := defaultAccessKeyID
	if _, ok := c.creds[akid]; !ok {
		keys := make([]string, 0, len(c.creds))
		for k := range c.creds {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		akid = keys[0]
	}
	secret := c.creds[akid]
	c.mu.Unlock()
	return aws.Config{
		Region:      c.region,
		Credentials: credentials.NewStaticCredentialsProvider(akid, secret, ""),
	}
}

// TLSConfig returns a client TLS configuration that trusts the cluster's CA (TLS 1.2 or
// newer), nil with ClusterOptions.Plaintext: for kafka-go's Dialer.TLS, franz-go's
// kgo.DialTLSConfig or msk.ConnOptions.TLS.
func (c *Cluster) TLSConfig() *tls.Config {
	if c.roots == nil {
		return nil
	}
	return &tls.Config{RootCAs: c.roots, MinVersion: tls.VersionTLS12}
}

// ConnOptions configures msk clients for the cluster's listeners: TLS trusting the
// cluster's CA, or plaintext with ClusterOptions.Plaintext. Pass the method value as an
// option: msk.NewWriter(c.Addrs(), topic, mech, c.ConnOptions).
func (c *Cluster) ConnOptions(o *connopts.Options) {
	if c.roots == nil {
		o.Plaintext = true
		return
	}
	o.Plaintext, o.InsecurePlaintext = false, false
	o.TLS = c.TLSConfig()
}

// newServerTLS generates a CA and a broker certificate for 127.0.0.1 and localhost.
func newServerTLS() (*tls.Config, *x509.CertPool, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("msktest: generating the CA key: %w", err)
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "msktest local CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, fmt.Errorf("msktest: creating the CA certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, nil, fmt.Errorf("msktest: parsing the CA certificate: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("msktest: generating the broker key: %w", err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, fmt.Errorf("msktest: creating the broker certificate: %w", err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(caCert)
	cfg := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER, caDER}, PrivateKey: key}},
	}
	return cfg, roots, nil
}

// AddCredentials registers (or replaces) an access key the cluster accepts from now on.
func (c *Cluster) AddCredentials(accessKeyID, secretAccessKey string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.creds[accessKeyID] = secretAccessKey
}

// RemoveCredentials unregisters an access key: new authentications with it fail; sessions
// already open are not affected.
func (c *Cluster) RemoveCredentials(accessKeyID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.creds, accessKeyID)
}

// Stats returns a snapshot of the cluster's counters.
func (c *Cluster) Stats() Stats {
	c.stats.mu.Lock()
	defer c.stats.mu.Unlock()
	return c.stats.s
}

// Close stops the brokers and closes every client connection. It is idempotent.
func (c *Cluster) Close() {
	c.mu.Lock()
	if c.dead {
		c.mu.Unlock()
		return
	}
	c.dead = true
	conns := make([]*guardConn, 0, len(c.conns))
	for g := range c.conns {
		conns = append(conns, g)
	}
	c.mu.Unlock()
	c.kf.Close()
	for _, g := range conns {
		_ = g.Close()
	}
}

func (c *Cluster) secret(accessKeyID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.creds[accessKeyID]
	return s, ok
}

func (c *Cluster) now() time.Time { return c.opts.Clock.Now() }

func (c *Cluster) log(msg string, attrs ...slog.Attr) {
	if c.opts.Logger != nil {
		c.opts.Logger.LogAttrs(context.Background(), slog.LevelInfo, msg, attrs...)
	}
}

func (c *Cluster) track(g *guardConn) *guardConn {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dead {
		_ = g.Conn.Close()
		g.closed = true
		return g
	}
	c.conns[g] = struct{}{}
	return g
}

func (c *Cluster) untrack(g *guardConn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.conns, g)
}

// mechanisms lists the SASL mechanisms the cluster offers.
func (c *Cluster) mechanisms() []string {
	m := []string{mechOAuthBearer, mechMSKIAM}
	if len(c.opts.SCRAMUsers) > 0 {
		m = append(m, mechSCRAM)
	}
	return m
}

// handshake answers SaslHandshake for OAUTHBEARER and AWS_MSK_IAM, passes SCRAM-SHA-512 to
// kfake when SCRAM users exist, and refuses every other mechanism with
// UNSUPPORTED_SASL_MECHANISM.
func (c *Cluster) handshake(r kmsg.Request) (kmsg.Response, error, bool) {
	c.kf.KeepControl()
	req := r.(*kmsg.SASLHandshakeRequest)
	resp := req.ResponseKind().(*kmsg.SASLHandshakeResponse)
	resp.SupportedMechanisms = c.mechanisms()
	switch {
	case req.Version != 1:
		resp.ErrorCode = kerr.UnsupportedVersion.Code
	case req.Mechanism == mechOAuthBearer, req.Mechanism == mechMSKIAM:
	case req.Mechanism == mechSCRAM && len(c.opts.SCRAMUsers) > 0:
		return nil, nil, false
	default:
		resp.ErrorCode = kerr.UnsupportedSaslMechanism.Code
	}
	return resp, nil, true
}

// authenticate verifies OAUTHBEARER and AWS_MSK_IAM messages and passes SCRAM messages to
// kfake. The guard connection has already checked that a handshake preceded it.
func (c *Cluster) authenticate(r kmsg.Request) (kmsg.Response, error, bool) {
	c.kf.KeepControl()
	req := r.(*kmsg.SASLAuthenticateRequest)
	var mech string
	switch {
	case isOAuthBearer(req.SASLAuthBytes):
		mech = mechOAuthBearer
	case len(req.SASLAuthBytes) > 0 && req.SASLAuthBytes[0] == '{':
		mech = mechMSKIAM
	default:
		return nil, nil, false
	}
	resp := req.ResponseKind().(*kmsg.SASLAuthenticateResponse)
	now := c.now()
	var (
		t   *verifiedToken
		err error
	)
	if mech == mechOAuthBearer {
		t, err = c.verifier.verifyOAuthBearer(req.SASLAuthBytes, now)
	} else {
		t, err = c.verifier.verifyMSKIAM(req.SASLAuthBytes, c.brokerHost(), now)
	}
	if err != nil {
		resp.ErrorCode = kerr.SaslAuthenticationFailed.Code
		msg := err.Error()
		resp.ErrorMessage = &msg
		return resp, nil, true
	}
	lifetime := c.opts.SessionLifetime
	if left := t.expires.Sub(now); lifetime == 0 || left < lifetime {
		lifetime = left
	}
	resp.SessionLifetimeMillis = lifetime.Milliseconds()
	if mech == mechMSKIAM {
		// The Java IAMSaslServer answers with a JSON object; franz-go requires a non-empty one.
		resp.SASLAuthBytes = []byte(`{"version":"` + mskIAMVersion + `","request-id":"` + requestID() + `"}`)
	}
	return resp, nil, true
}

// brokerHost is the host of the brokers' listeners, which AWS_MSK_IAM payloads are signed
// for.
func (c *Cluster) brokerHost() string {
	if addrs := c.kf.ListenAddrs(); len(addrs) > 0 {
		host, _, _ := net.SplitHostPort(addrs[0])
		return host
	}
	return ""
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// isOAuthBearer reports whether a SASL message is an OAUTHBEARER client-first message: a
// GS2 header followed by the \x01 separator. SCRAM messages never contain \x01.
func isOAuthBearer(b []byte) bool {
	if len(b) < 3 || b[0] != 'n' || b[1] != ',' {
		return false
	}
	for i := 2; i < len(b)-1; i++ {
		if b[i] == ',' {
			return b[i+1] == 0x01
		}
	}
	return false
}
