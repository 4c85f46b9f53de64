package msk

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// The key pair countingProvider returns; clusters that must accept it register it.
const (
	testAccessKeyID     = "AKIAMSKTESTCOUNTING1"
	testSecretAccessKey = "counting/EXAMPLE/secret"
)

// countingProvider counts Retrieve calls; its credentials expire at expires when set.
type countingProvider struct {
	calls   atomic.Int64
	expires time.Time
}

func (p *countingProvider) Retrieve(context.Context) (aws.Credentials, error) {
	p.calls.Add(1)
	c := aws.Credentials{AccessKeyID: testAccessKeyID, SecretAccessKey: testSecretAccessKey, SessionToken: "session"}
	if !p.expires.IsZero() {
		c.CanExpire, c.Expires = true, p.expires
	}
	return c, nil
}

// signedToken signs a token with m and decodes it, failing the test on either error.
func signedToken(t *testing.T, ctx context.Context, m *IAMMechanism) (tok string, expires time.Time, parsed *tokenFields) {
	t.Helper()
	tok, expires, err := m.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if parsed, err = parseToken(tok); err != nil {
		t.Fatal(err)
	}
	return tok, expires, parsed
}

func TestNewIAMMechanismValidation(t *testing.T) {
	creds := credentials.NewStaticCredentialsProvider("AKID", "secret", "")
	cases := []struct {
		name string
		cfg  aws.Config
		opt  func(*Options)
		want string
	}{
		{"no region", aws.Config{Credentials: creds}, nil, "needs the cluster's region"},
		{"no credentials", aws.Config{Region: "eu-west-1"}, nil, "needs credentials"},
		{"lifetime too long", aws.Config{Region: "eu-west-1", Credentials: creds}, func(o *Options) { o.TokenLifetime = time.Hour }, "TokenLifetime"},
		{"lifetime too short", aws.Config{Region: "eu-west-1", Credentials: creds}, func(o *Options) { o.TokenLifetime = time.Millisecond }, "TokenLifetime"},
		{"MSK signer in China", aws.Config{Region: "cn-north-1", Credentials: creds}, func(o *Options) { o.signer = signerMSK }, "partition aws-cn"},
		{"MSK signer with clock", aws.Config{Region: "eu-west-1", Credentials: creds}, func(o *Options) {
			o.signer = signerMSK
			o.clock = datablocks.NewManualClock(time.Time{})
		}, "MSK signer cannot use a Clock"},
		{"unknown signer", aws.Config{Region: "eu-west-1", Credentials: creds}, func(o *Options) { o.signer = 7 }, "not a known token signer"},
	}
	for _, tc := range cases {
		var opts []func(*Options)
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		_, err := NewIAMMechanism(tc.cfg, opts...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
	m, err := NewIAMMechanism(aws.Config{Credentials: creds}, func(o *Options) { o.Region = "ap-south-1" })
	if err != nil {
		t.Fatal(err)
	}
	if m.region != "ap-south-1" || m.host != "kafka.ap-south-1.amazonaws.com" || m.Name() != "OAUTHBEARER" {
		t.Fatalf("Region %q Host %q Name %q", m.region, m.host, m.Name())
	}
}

func TestIAMMechanismPartitionHosts(t *testing.T) {
	for region, host := range map[string]string{
		"cn-north-1":     "kafka.cn-north-1.amazonaws.com.cn",
		"cn-northwest-1": "kafka.cn-northwest-1.amazonaws.com.cn",
		"us-gov-east-1":  "kafka.us-gov-east-1.amazonaws.com",
		"eu-central-1":   "kafka.eu-central-1.amazonaws.com",
	} {
		cfg := aws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")}
		m, err := NewIAMMechanism(cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, _, parsed := signedToken(t, context.Background(), m)
		if m.host != host || parsed.Host != host || parsed.Region != region {
			t.Errorf("%s: Host() %q, token host %q region %q; want %q", region, m.host, parsed.Host, parsed.Region, host)
		}
	}
}

func TestTokenLifetimeClampedToCredentialExpiry(t *testing.T) {
	clock := datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	p := &countingProvider{expires: clock.Now().Add(5*time.Minute + 500*time.Millisecond)}
	m, err := NewIAMMechanism(aws.Config{Region: "eu-west-1", Credentials: p}, func(o *Options) { o.clock = clock })
	if err != nil {
		t.Fatal(err)
	}
	_, expires, parsed := signedToken(t, context.Background(), m)
	if parsed.Lifetime != 5*time.Minute || !expires.Equal(clock.Now().Add(5*time.Minute)) || !parsed.Expires.Equal(expires) {
		t.Fatalf("lifetime %s, expires %s (token %s); want 5m from %s", parsed.Lifetime, expires, parsed.Expires, clock.Now())
	}
	if parsed.SessionToken != "session" {
		t.Fatalf("session token %q", parsed.SessionToken)
	}

	// Credentials that outlive the token leave the full 15 minutes.
	p2 := &countingProvider{expires: time.Now().Add(time.Hour)}
	m2, _ := NewIAMMechanism(aws.Config{Region: "eu-west-1", Credentials: p2})
	if _, _, parsed2 := signedToken(t, context.Background(), m2); parsed2.Lifetime != 15*time.Minute {
		t.Fatalf("token %+v: want a 15m lifetime", parsed2)
	}

	// Expired credentials are an error, not a token.
	clock.Advance(6 * time.Minute)
	if _, _, err := m.Token(context.Background()); err == nil || !strings.Contains(err.Error(), "too soon to sign a token") {
		t.Fatalf("Token with expired credentials: %v", err)
	}
}

// TestCredentialsCachedAcrossConnections authenticates many connections at once: the
// provider is asked once, and every connection is accepted.
func TestCredentialsCachedAcrossConnections(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.Brokers = 1
		o.Credentials = map[string]string{testAccessKeyID: testSecretAccessKey}
	})
	p := &countingProvider{expires: time.Now().Add(time.Hour)}
	cfg := c.Config()
	cfg.Credentials = p
	m, err := NewIAMMechanism(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := NewDialer(m, c.ConnOptions)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := d.DialContext(ctx, "tcp", c.Addrs()[0])
			if err != nil {
				errs <- err
				return
			}
			conn.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := p.calls.Load(); got != 1 {
		t.Errorf("credentials provider called %d times for 20 connections, want 1", got)
	}
	if got := c.Stats().IAMAuthentications; got != 20 {
		t.Errorf("IAMAuthentications = %d, want 20", got)
	}
}

// TestSignersBothAccepted proves that, for the aws partition, tokens from
// aws-msk-iam-sasl-signer-go and from this package's aws/signer/v4 presigning have the same
// shape and are both accepted by a broker that verifies the signature.
func TestSignersBothAccepted(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.Brokers = 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tokens := map[tokenSigner]*tokenFields{}
	for signer, agent := range map[tokenSigner]string{
		signerMSK:   "aws-msk-iam-sasl-signer-go/",
		signerSigV4: "datablocks-msk/",
		signerAuto:  "aws-msk-iam-sasl-signer-go/",
	} {
		m, err := NewIAMMechanism(c.Config(), func(o *Options) { o.signer = signer })
		if err != nil {
			t.Fatal(err)
		}
		_, _, parsed := signedToken(t, ctx, m)
		if !strings.HasPrefix(parsed.UserAgent, agent) {
			t.Errorf("signer %d: User-Agent %q, want prefix %q", signer, parsed.UserAgent, agent)
		}
		tokens[signer] = parsed
		conn, err := NewDialer(m, c.ConnOptions).DialContext(ctx, "tcp", c.Addrs()[0])
		if err != nil {
			t.Fatalf("signer %d: %v", signer, err)
		}
		conn.Close()
	}
	a, b := tokens[signerMSK], tokens[signerSigV4]
	if a.Host != b.Host || a.Action != b.Action || a.Region != b.Region || a.Service != b.Service ||
		a.Lifetime != b.Lifetime || a.SignedHeaders != b.SignedHeaders || a.AccessKeyID != b.AccessKeyID {
		t.Errorf("tokens differ in shape:\nmsk   %+v\nsigv4 %+v", a, b)
	}
	if got := c.Stats().IAMAuthentications; got != 3 {
		t.Errorf("IAMAuthentications = %d, want 3", got)
	}
}

func TestIAMLoggingNeverShowsTheToken(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDLOG", "sekrit-key", "")}
	m, err := NewIAMMechanism(cfg, func(o *Options) { o.Logger = logger })
	if err != nil {
		t.Fatal(err)
	}
	tok, _, parsed := signedToken(t, context.Background(), m)
	out := buf.String()
	if !strings.Contains(out, "AKIDLOG") {
		t.Errorf("log %q does not name the access key", out)
	}
	for _, secret := range []string{tok, "sekrit-key", parsed.Signature} {
		if strings.Contains(out, secret) {
			t.Errorf("log %q contains a secret", out)
		}
	}
}

func TestIAMStateMachine(t *testing.T) {
	m, err := NewIAMMechanism(aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	if err != nil {
		t.Fatal(err)
	}
	sm, ir, err := m.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := parseOAuthBearer(ir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseToken(tok); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(ir, []byte("n,,\x01auth=Bearer ")) || !bytes.HasSuffix(ir, []byte("\x01\x01")) {
		t.Fatalf("initial response %q is not RFC 7628", ir)
	}
	done, resp, err := sm.Next(context.Background(), nil)
	if !done || resp != nil || err != nil {
		t.Fatalf("Next(empty) = %v, %q, %v; want done", done, resp, err)
	}
	_, _, err = sm.Next(context.Background(), []byte(`{"status":"invalid_token"}`))
	var ae *AuthError
	if !errors.As(err, &ae) || ae.Mechanism != "MSK IAM" || !strings.Contains(err.Error(), "invalid_token") {
		t.Fatalf("Next(error reply) = %v; want an MSK IAM AuthError with the reply", err)
	}
}

func TestIAMCredentialErrors(t *testing.T) {
	failing := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no EC2 instance role")
	})
	m, err := NewIAMMechanism(aws.Config{Region: "eu-west-1", Credentials: failing})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = m.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "MSK IAM") || !strings.Contains(err.Error(), "no EC2 instance role") {
		t.Fatalf("Start = %v", err)
	}
	empty := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return aws.Credentials{}, nil })
	m, _ = NewIAMMechanism(aws.Config{Region: "eu-west-1", Credentials: empty})
	if _, _, err := m.Token(context.Background()); err == nil {
		t.Fatal("Token with empty credentials succeeded")
	}
}

// TestIAMMechanismInKafkaGoSASL uses the mechanism through kafka-go's own SASL support
// (kafka.Dialer.SASLMechanism, kafka.Transport.SASL) rather than this package's dialer.
func TestIAMMechanismInKafkaGoSASL(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"t"}; o.Brokers = 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	mech, err := NewIAMMechanism(c.Config())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := (&kafka.Dialer{SASLMechanism: mech, TLS: c.TLSConfig()}).DialContext(ctx, "tcp", c.Addrs()[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ReadPartitions("t"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	tr := &kafka.Transport{SASL: mech, TLS: c.TLSConfig()}
	defer tr.CloseIdleConnections()
	w := &kafka.Writer{Addr: kafka.TCP(c.Addrs()...), Topic: "t", Transport: tr, RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond}
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Value: []byte("v")}); err != nil {
		t.Fatal(err)
	}

	good, err := c.Config().Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bad := c.Config()
	bad.Credentials = credentials.NewStaticCredentialsProvider(good.AccessKeyID, "wrong", "")
	badMech, _ := NewIAMMechanism(bad)
	_, err = (&kafka.Dialer{SASLMechanism: badMech, TLS: c.TLSConfig()}).DialContext(ctx, "tcp", c.Addrs()[0])
	if !errors.Is(err, kafka.SASLAuthenticationFailed) {
		t.Fatalf("wrong secret through kafka-go's SASL: %v", err)
	}
	if st := c.Stats(); st.IAMAuthentications < 2 || st.AuthFailures != 1 {
		t.Fatalf("stats %+v", st)
	}
}
