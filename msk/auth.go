package msk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-msk-iam-sasl-signer-go/signer"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/segmentio/kafka-go/sasl"

	"github.com/datablocks-go/datablocks"
)

// iamMechanismName is the SASL mechanism MSK IAM authentication uses on the wire.
const iamMechanismName = "OAUTHBEARER"

// defaultTokenLifetime is the lifetime of the tokens NewIAMMechanism signs unless
// Options.TokenLifetime says otherwise: 15 minutes, as aws-msk-iam-sasl-signer-go.
const defaultTokenLifetime = maxTokenLifetime

// tokenSigner selects which code signs MSK IAM tokens.
type tokenSigner int

const (
	// signerAuto uses aws-msk-iam-sasl-signer-go where it produces the right token (the aws
	// partition, a 15-minute lifetime that the credentials outlive, the system clock) and
	// aws/signer/v4 with the same token format everywhere else.
	signerAuto tokenSigner = iota
	// signerMSK uses aws-msk-iam-sasl-signer-go (GenerateAuthTokenFromCredentialsProvider).
	// It signs for kafka.<region>.amazonaws.com with a fixed 15-minute lifetime, so
	// NewIAMMechanism refuses it outside the aws partition, with a Clock or with another
	// TokenLifetime. A token that must be cut short because the credentials expire within 15
	// minutes is still presigned with aws/signer/v4: the MSK signer cannot shorten it.
	signerMSK
	// signerSigV4 always presigns with aws/signer/v4.
	signerSigV4
)

// minTokenLifetime is the shortest lifetime worth signing a token for: credentials that
// would leave a token less are refreshed first. It also bounds how short a session a token
// opens, so re-authentication keeps a margin of a second (reauth.go).
const minTokenLifetime = 2 * time.Second

// IAMMechanism is the SASL mechanism for MSK IAM authentication with kafka-go: OAUTHBEARER
// whose initial response (RFC 7628) carries a token presigned for kafka-cluster:Connect. Give
// it to NewDialer, NewTransport, NewWriter or NewReaderConfig, or set it as
// kafka.Dialer.SASLMechanism or kafka.Transport.SASL yourself.
//
// Credentials come from the aws.Config's provider, wrapped in an aws.CredentialsCache unless
// it already is one, so a connection costs a signature, not a credential load or a role
// assumption. An IAMMechanism is immutable and safe for concurrent use.
type IAMMechanism struct {
	creds     aws.CredentialsProvider
	region    string
	host      string
	partition datablocks.Partition
	lifetime  time.Duration
	useMSK    bool // the MSK signer may be used (subject to lifetime and credential expiry)
	clock     datablocks.Clock
	logger    *slog.Logger
	sigv4     *v4.Signer

	rmu     sync.Mutex
	lastKey string        // identity of the credentials the last token was signed with
	rotated chan struct{} // closed when the credentials change, then replaced
}

// rotation returns a channel closed the next time the mechanism signs a token with
// credentials other than those of the previous token: connections re-authenticate at once
// (reauth.go), so no session outlives the credentials it was opened with by more than it must.
func (m *IAMMechanism) rotation() <-chan struct{} {
	m.rmu.Lock()
	defer m.rmu.Unlock()
	return m.rotated
}

// noteCredentials records the credentials a token is signed with and signals a rotation.
func (m *IAMMechanism) noteCredentials(c aws.Credentials) {
	key := c.AccessKeyID + "\x00" + c.SessionToken + "\x00" + c.Expires.String()
	m.rmu.Lock()
	defer m.rmu.Unlock()
	if m.lastKey != "" && m.lastKey != key {
		close(m.rotated)
		m.rotated = make(chan struct{})
	}
	m.lastKey = key
}

var _ sasl.Mechanism = (*IAMMechanism)(nil)

// NewIAMMechanism returns the MSK IAM mechanism for cfg's credentials and region. It fails
// when cfg has no credentials provider, when no region is set, or when the options are
// invalid; it does not retrieve credentials.
func NewIAMMechanism(cfg aws.Config, optFns ...func(*Options)) (*IAMMechanism, error) {
	o := configure(Options{}, optFns)
	if cfg.Credentials == nil {
		return nil, errors.New("msk: MSK IAM needs credentials: aws.Config.Credentials is nil (load the config with config.LoadDefaultConfig)")
	}
	region := o.Region
	if region == "" {
		region = cfg.Region
	}
	if region == "" {
		return nil, errors.New("msk: MSK IAM needs the cluster's region: set aws.Config.Region or Options.Region (a token signed for an empty region is refused)")
	}
	if o.TokenLifetime < 0 || o.TokenLifetime > maxTokenLifetime {
		return nil, fmt.Errorf("msk: Options.TokenLifetime %s is not between 0 and %s", o.TokenLifetime, maxTokenLifetime)
	}
	if o.TokenLifetime != 0 && o.TokenLifetime < time.Second {
		return nil, fmt.Errorf("msk: Options.TokenLifetime %s is shorter than one second", o.TokenLifetime)
	}
	lifetime := o.TokenLifetime
	if lifetime == 0 {
		lifetime = defaultTokenLifetime
	}
	partition := datablocks.PartitionForRegion(region)
	m := &IAMMechanism{
		creds:     cfg.Credentials,
		region:    region,
		host:      partition.ServiceHost("kafka", region),
		partition: partition,
		lifetime:  lifetime.Truncate(time.Second),
		clock:     o.clock,
		logger:    o.Logger,
		sigv4:     v4.NewSigner(),
		rotated:   make(chan struct{}),
	}
	if _, cached := m.creds.(*aws.CredentialsCache); !cached {
		m.creds = aws.NewCredentialsCache(m.creds)
	}
	switch o.signer {
	case signerAuto:
		m.useMSK = partition.ID == datablocks.PartitionAWS.ID && o.clock == nil && m.lifetime == maxTokenLifetime
	case signerMSK:
		if partition.ID != datablocks.PartitionAWS.ID {
			return nil, fmt.Errorf("msk: the MSK signer signs for kafka.%s.amazonaws.com, but region %q is in partition %s (host %s)", region, region, partition.ID, m.host)
		}
		if o.clock != nil || m.lifetime != maxTokenLifetime {
			return nil, errors.New("msk: the MSK signer cannot use a Clock or a TokenLifetime other than 15m")
		}
		m.useMSK = true
	case signerSigV4:
	default:
		return nil, fmt.Errorf("msk: signer %d is not a known token signer", o.signer)
	}
	if m.clock == nil {
		m.clock = datablocks.SystemClock()
	}
	return m, nil
}

// Name returns "OAUTHBEARER".
func (m *IAMMechanism) Name() string { return iamMechanismName }

// Token returns a fresh MSK IAM token and its expiry. The token is a bearer credential for
// its lifetime: do not log it.
func (m *IAMMechanism) Token(ctx context.Context) (string, time.Time, error) {
	creds, err := m.creds.Retrieve(ctx)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("msk: MSK IAM: retrieving credentials: %w", err)
	}
	if !creds.HasKeys() {
		return "", time.Time{}, errors.New("msk: MSK IAM: the credentials provider returned no access key")
	}
	now := m.clock.Now()
	signAt := now.Truncate(time.Second) // X-Amz-Date has whole seconds
	// tokenLeft is how long a token signed now with creds stays valid: its lifetime is the
	// whole seconds from signAt to the credentials' expiry, so it never outlives them.
	tokenLeft := func(c aws.Credentials) time.Duration {
		if !c.CanExpire {
			return m.lifetime
		}
		return signAt.Add(min(m.lifetime, c.Expires.Sub(signAt).Truncate(time.Second))).Sub(now)
	}
	if cache, ok := m.creds.(*aws.CredentialsCache); ok && tokenLeft(creds) < minTokenLifetime {
		// Too close to the credentials' expiry for a useful token: refresh them now.
		cache.Invalidate()
		if creds, err = m.creds.Retrieve(ctx); err != nil {
			return "", time.Time{}, fmt.Errorf("msk: MSK IAM: retrieving credentials: %w", err)
		}
	}
	if tokenLeft(creds) < minTokenLifetime {
		return "", time.Time{}, fmt.Errorf("msk: MSK IAM: credentials for access key %s expire at %s, too soon to sign a token", creds.AccessKeyID, creds.Expires.UTC().Format(time.RFC3339))
	}
	m.noteCredentials(creds)
	lifetime := m.lifetime
	if creds.CanExpire {
		lifetime = min(lifetime, creds.Expires.Sub(signAt).Truncate(time.Second))
	}
	var (
		token   string
		expires time.Time
		via     = "sigv4"
	)
	if m.useMSK && lifetime == maxTokenLifetime {
		var ms int64
		token, ms, err = signer.GenerateAuthTokenFromCredentialsProvider(ctx, m.region, staticProvider{creds})
		if err != nil {
			return "", time.Time{}, fmt.Errorf("msk: MSK IAM: signing the token: %w", err)
		}
		expires, via = time.UnixMilli(ms), "aws-msk-iam-sasl-signer-go"
	} else {
		token, expires, err = presignToken(ctx, m.sigv4, creds, m.host, m.region, lifetime, now)
		if err != nil {
			return "", time.Time{}, err
		}
	}
	if m.logger != nil {
		m.logger.LogAttrs(ctx, slog.LevelDebug, "msk: signed MSK IAM token",
			slog.String("access_key_id", creds.AccessKeyID), slog.String("region", m.region),
			slog.String("host", m.host), slog.Time("expires", expires), slog.String("signer", via))
	}
	return token, expires, nil
}

// staticProvider hands already-retrieved credentials to the MSK signer, so the cache is read
// once per token.
type staticProvider struct{ creds aws.Credentials }

func (p staticProvider) Retrieve(context.Context) (aws.Credentials, error) { return p.creds, nil }

// Start begins an authentication: it signs a token and returns the OAUTHBEARER initial
// response. It is safe to call from many connections at once.
func (m *IAMMechanism) Start(ctx context.Context) (sasl.StateMachine, []byte, error) {
	token, _, err := m.Token(ctx)
	if err != nil {
		return nil, nil, err
	}
	return iamSession{}, oauthBearerMessage(token), nil
}

// iamSession is the one-step OAUTHBEARER exchange: an empty server reply means success; a
// non-empty one is the broker's error (RFC 7628 section 3.2.2).
type iamSession struct{}

func (iamSession) Next(_ context.Context, challenge []byte) (bool, []byte, error) {
	if len(challenge) == 0 {
		return true, nil, nil
	}
	return true, nil, &AuthError{Mechanism: "MSK IAM", Message: string(challenge), Err: errOAuthBearerRejected}
}

var errOAuthBearerRejected = errors.New("the broker rejected the OAUTHBEARER token")

// AuthError reports a failed SASL authentication with an MSK broker. Err is the cause: a
// kafka.Error such as kafka.SASLAuthenticationFailed (58) or kafka.UnsupportedSASLMechanism
// (33), a credentials or signing error, or a network error.
//
//	var ae *msk.AuthError
//	if errors.As(err, &ae) {
//		log.Printf("broker %s refused %s: %s", ae.Broker, ae.Mechanism, ae.Message)
//	}
type AuthError struct {
	// Mechanism is "MSK IAM" or "SCRAM-SHA-512" (or the SASL name of another mechanism).
	Mechanism string
	// Broker is the broker's host:port, when known.
	Broker string
	// Message is the broker's error message, when it sent one.
	Message string
	// Err is the cause.
	Err error
}

// Error names the mechanism, the broker, the broker's message and the cause.
func (e *AuthError) Error() string {
	s := "msk: " + e.Mechanism + " authentication"
	if e.Broker != "" {
		s += " with broker " + e.Broker
	}
	s += " failed"
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + strings.TrimPrefix(e.Err.Error(), "msk: ")
	}
	return s
}

// Unwrap returns the cause.
func (e *AuthError) Unwrap() error { return e.Err }

// mechanismLabel is the name AuthError gives a mechanism.
func mechanismLabel(m sasl.Mechanism) string {
	switch m.(type) {
	case *IAMMechanism:
		return "MSK IAM"
	}
	return m.Name()
}
