package msk

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"weak"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/datablocks-go/datablocks/msk/internal/connopts"
)

// Defaults of the clients this package builds.
const (
	// defaultDialTimeout bounds a connection's TCP dial, TLS handshake and SASL exchange.
	defaultDialTimeout = 10 * time.Second
	// defaultIdleTimeout is how long a Transport keeps an unused connection. It is well below
	// MSK's IAM session lifetime (about 15 minutes), so idle connections are closed by the
	// client, not found dead by the next request.
	defaultIdleTimeout = 30 * time.Second
	// defaultClientID is the Kafka client ID sent to brokers.
	defaultClientID = "datablocks"
	// defaultBatchTimeout is how long a Writer waits to fill a batch (kafka-go's own default
	// is 1s, which makes every synchronous write take a second).
	defaultBatchTimeout = 10 * time.Millisecond
	// defaultIOTimeout is a Writer's read and write timeout.
	defaultIOTimeout = 10 * time.Second
	// defaultMaxAttempts is how many times a Writer tries a batch. Retries are what carry a
	// batch over a connection that the broker closed because its SASL session expired.
	defaultMaxAttempts = 10

	// defaultCommitAttempts is how many times CommitMessages tries a commit.
	defaultCommitAttempts = 10

	// maxSASLResponse bounds a SASL response frame read during authentication.
	maxSASLResponse = 1 << 20
)

// ConnOptions configures the connections of the dialers, transports, writers and readers
// this package builds. The zero value is MSK's: TLS with the system roots, TLS 1.2 or newer.
// Its fields:
//
//   - TLS *tls.Config: the TLS configuration, overriding the MSK default (system root CAs, TLS
//     1.2 or newer, server name from the broker address). A MinVersion below TLS 1.2 is raised
//     and InsecureSkipVerify is forced off: to trust a private CA, set RootCAs.
//   - Plaintext bool: TLS off for brokers on a loopback address (127.0.0.0/8, ::1,
//     localhost), such as a local msktest cluster. With a SASL mechanism, any other address
//     is refused: MSK's IAM and SCRAM listeners require TLS, and a token or password sent in
//     plaintext can be read and replayed.
//   - InsecurePlaintext bool: TLS off for every address, credentials unencrypted on the
//     network. Only for brokers behind an encrypting tunnel; never for MSK.
//   - DialTimeout time.Duration: bounds TCP dial, TLS handshake and SASL authentication
//     together, and each re-authentication. Zero means 10 seconds.
//   - IdleTimeout time.Duration: how long a Transport keeps an unused connection. Zero means
//     30 seconds, well below MSK's IAM session lifetime (about 15 minutes), so idle
//     connections are closed by the client, not found dead by the next request.
//   - ClientID string: the Kafka client ID. Empty means "datablocks".
//   - Logger *slog.Logger: a debug record per authentication and re-authentication, a
//     warning per failed re-authentication, and the Writer's and Reader's error logs. Nil
//     means silent. Tokens and passwords are never logged.
//
// It is an alias of a type in an internal package so that msktest.Cluster.ConnOptions, which
// configures clients for a local cluster, needs no import of this package.
type ConnOptions = connopts.Options

func resolveConnOptions(optFns []func(*ConnOptions)) ConnOptions {
	o := apply(ConnOptions{}, optFns)
	if o.DialTimeout <= 0 {
		o.DialTimeout = defaultDialTimeout
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = defaultIdleTimeout
	}
	if o.ClientID == "" {
		o.ClientID = defaultClientID
	}
	return o
}

// tlsConfig returns the TLS configuration to use, nil for plaintext.
func tlsConfig(o ConnOptions) *tls.Config {
	if o.Plaintext || o.InsecurePlaintext {
		return nil
	}
	var c *tls.Config
	if o.TLS == nil {
		c = &tls.Config{}
	} else {
		c = o.TLS.Clone()
	}
	c.MinVersion = max(c.MinVersion, tls.VersionTLS12)
	c.InsecureSkipVerify = false
	return c
}

// NewDialer returns a kafka.Dialer (for kafka.Reader, kafka.Conn and DialLeader) whose
// connections are TLS-encrypted and authenticated with mech. A nil mech means no SASL, for
// unauthenticated listeners.
//
// The dialer runs the TLS handshake and the SASL exchange itself (in DialFunc), rather than
// through kafka.Dialer's TLS and SASLMechanism fields, so that a refused authentication
// surfaces as an *AuthError naming the mechanism, the broker and the broker's message
// instead of kafka-go's bare "SASL Authentication Failed". Leave TLS and SASLMechanism nil
// on the returned dialer.
func NewDialer(mech sasl.Mechanism, optFns ...func(*ConnOptions)) *kafka.Dialer {
	o := resolveConnOptions(optFns)
	d := newConnDialer(mech, o)
	kd := &kafka.Dialer{
		ClientID: o.ClientID,
		Timeout:  o.DialTimeout,
		DialFunc: d.DialContext,
	}
	registerDialer(kd, d)
	return kd
}

// NewTransport returns a kafka.Transport (for kafka.Writer and kafka.Client) whose
// connections are TLS-encrypted and authenticated with mech, as NewDialer's are. A nil mech
// means no SASL. Call CloseIdleConnections when done with it.
func NewTransport(mech sasl.Mechanism, optFns ...func(*ConnOptions)) *kafka.Transport {
	o := resolveConnOptions(optFns)
	d := newConnDialer(mech, o)
	return &kafka.Transport{
		Dial:        d.DialContext,
		DialTimeout: o.DialTimeout,
		IdleTimeout: o.IdleTimeout,
		ClientID:    o.ClientID,
	}
}

// NewWriter returns a kafka.Writer for MSK: NewTransport's connections, RequiredAcks
// RequireAll, the Java-compatible murmur2 partitioner (kafka.Murmur2Balancer), a 10ms batch
// timeout, 10s I/O timeouts and 10 tries per batch. Adjust its fields before
// the first write if needed. Close it when done; kafka.Writer.Close leaves the connections of
// a Transport it did not create open until IdleTimeout, so to release them at once also call
// w.Transport.(*kafka.Transport).CloseIdleConnections().
//
// # Retries and expired sessions
//
// kafka-go does not re-authenticate connections (KIP-368), so when a broker's SASL session
// expires (MSK: about 15 minutes after authentication) the broker closes the connection at
// the next request instead of processing it. The Writer sees io.ErrUnexpectedEOF, which it
// retries on a fresh, freshly authenticated connection. Because the broker processed nothing,
// the retry neither loses nor duplicates messages; msktest's session-lifetime tests check
// this with a 2-second lifetime. A batch is retried at most MaxAttempts times, so keep
// MaxAttempts above one. (kafka-go has no idempotent producer: a connection that fails after
// the broker appended a batch but before the client read the acknowledgement can still
// duplicate it on retry, on MSK as on any Kafka.)
func NewWriter(brokers []string, topic string, mech sasl.Mechanism, optFns ...func(*ConnOptions)) *kafka.Writer {
	o := resolveConnOptions(optFns)
	w := &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        topic,
		Balancer:     &kafka.Murmur2Balancer{},
		RequiredAcks: kafka.RequireAll,
		MaxAttempts:  defaultMaxAttempts,
		BatchTimeout: defaultBatchTimeout,
		ReadTimeout:  defaultIOTimeout,
		WriteTimeout: defaultIOTimeout,
		Transport:    NewTransport(mech, func(c *ConnOptions) { *c = o }),
	}
	if o.Logger != nil {
		w.ErrorLogger = errorLogger(o.Logger, "msk: kafka writer")
	}
	return w
}

// NewReaderConfig returns a kafka.ReaderConfig for MSK: NewDialer's connections, the topic
// and consumer group (an empty groupID means a partition reader; set Partition), starting at
// the first offset for a new group, with synchronous commits (CommitInterval 0). Adjust it
// and pass it to kafka.NewReader.
//
// When a broker ends a connection's SASL session, the Reader reconnects its fetches by
// itself, but a consumer group's commit fails and the group rejoins (delivering uncommitted
// messages again); commit with CommitMessages, which retries through the rejoined group.
func NewReaderConfig(brokers []string, topic, groupID string, mech sasl.Mechanism, optFns ...func(*ConnOptions)) kafka.ReaderConfig {
	o := resolveConnOptions(optFns)
	rc := kafka.ReaderConfig{
		Brokers:     brokers,
		Topic:       topic,
		GroupID:     groupID,
		Dialer:      NewDialer(mech, func(c *ConnOptions) { *c = o }),
		StartOffset: kafka.FirstOffset,
		MaxWait:     500 * time.Millisecond,
	}
	if o.Logger != nil {
		rc.ErrorLogger = errorLogger(o.Logger, "msk: kafka reader")
	}
	return rc
}

// CommitMessages commits msgs on a consumer-group Reader like r.CommitMessages, retrying
// (up to 10 times, backing off from 100ms to 2s) when the commit fails
// because a connection broke.
//
// kafka-go sends a group's commits over the group generation's coordinator connection and
// retries them only on that connection. When the broker ends the connection's SASL session
// (MSK: about 15 minutes after authentication; kafka-go does not re-authenticate), every
// retry fails with a closed-connection error, the Reader rejoins the group on a new
// connection, and uncommitted messages are delivered again. Retrying the call commits
// through the new generation. Other errors are returned at once.
func CommitMessages(ctx context.Context, r *kafka.Reader, msgs ...kafka.Message) error {
	delay := 100 * time.Millisecond
	var err error
	for attempt := 1; ; attempt++ {
		if err = r.CommitMessages(ctx, msgs...); err == nil {
			return nil
		}
		if attempt == defaultCommitAttempts || !isConnectionError(err) {
			return err
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (last commit error: %v)", ctx.Err(), err)
		case <-t.C:
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// FetchMessage is r.FetchMessage for a Reader whose Dialer NewDialer made (NewReaderConfig),
// except that a refused authentication ends it at once with the *AuthError.
// kafka-go's Reader retries refused connections in the background and reports them only to
// its ErrorLogger, so r.FetchMessage and r.ReadMessage wait for the context's deadline and
// return just that; through this function, errors.As finds the *AuthError. A refusal ends
// the call, not the Reader: a later call fetches again. With another Dialer it is
// r.FetchMessage.
func FetchMessage(ctx context.Context, r *kafka.Reader) (kafka.Message, error) {
	d := dialerOf(r)
	if d == nil {
		return r.FetchMessage(ctx)
	}
	fctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := d.watchAuth(func(err error) { cancel(err) })
	defer stop()
	m, err := r.FetchMessage(fctx)
	if err != nil && ctx.Err() == nil {
		var ae *AuthError
		if cause := context.Cause(fctx); errors.As(cause, &ae) {
			return m, cause
		}
	}
	return m, err
}

// ReadMessage is FetchMessage, then a commit for a consumer-group Reader (through
// CommitMessages), as r.ReadMessage does.
func ReadMessage(ctx context.Context, r *kafka.Reader) (kafka.Message, error) {
	m, err := FetchMessage(ctx, r)
	if err != nil {
		return m, err
	}
	if r.Config().GroupID != "" {
		if err := CommitMessages(ctx, r, m); err != nil {
			return m, err
		}
	}
	return m, nil
}

// isConnectionError reports whether err comes from a broken connection, including one closed
// by a re-authentication the broker hung up on.
func isConnectionError(err error) bool {
	var temp interface{ Temporary() bool }
	if errors.As(err, &temp) && temp.Temporary() {
		if _, isKafka := temp.(kafka.Error); !isKafka {
			return true
		}
	}
	return errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

func errorLogger(l *slog.Logger, msg string) kafka.LoggerFunc {
	return func(format string, args ...any) {
		l.Warn(msg, slog.String("error", fmt.Sprintf(format, args...)))
	}
}

// connDialer opens broker connections: TCP, then TLS, then the SASL exchange; connections
// whose broker limits the SASL session are wrapped to re-authenticate in place (reauth.go).
type connDialer struct {
	mech     sasl.Mechanism
	tls      *tls.Config
	net      net.Dialer
	timeout  time.Duration
	clientID string
	logger   *slog.Logger
	// loopbackOnly refuses SASL over plaintext to brokers not on a loopback address.
	loopbackOnly bool

	wmu      sync.Mutex
	watchers map[int]func(error) // told of every refused authentication (FetchMessage)
	nextW    int
}

// watchAuth calls fn with every *AuthError a dial of d returns until stop is called.
func (d *connDialer) watchAuth(fn func(error)) (stop func()) {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	if d.watchers == nil {
		d.watchers = map[int]func(error){}
	}
	id := d.nextW
	d.nextW++
	d.watchers[id] = fn
	return func() {
		d.wmu.Lock()
		defer d.wmu.Unlock()
		delete(d.watchers, id)
	}
}

func (d *connDialer) authFailed(err error) {
	d.wmu.Lock()
	fns := slices.Collect(maps.Values(d.watchers))
	d.wmu.Unlock()
	for _, fn := range fns {
		fn(err)
	}
}

// dialers maps the kafka.Dialers NewDialer returned to their connDialer, so that FetchMessage
// can learn of a reader's refused authentications. Entries go when the Dialer is collected.
var dialers sync.Map // weak.Pointer[kafka.Dialer] -> *connDialer

func registerDialer(kd *kafka.Dialer, d *connDialer) {
	wp := weak.Make(kd)
	dialers.Store(wp, d)
	runtime.AddCleanup(kd, func(wp weak.Pointer[kafka.Dialer]) { dialers.Delete(wp) }, wp)
}

func dialerOf(r *kafka.Reader) *connDialer {
	kd := r.Config().Dialer
	if kd == nil {
		return nil
	}
	if d, ok := dialers.Load(weak.Make(kd)); ok {
		return d.(*connDialer)
	}
	return nil
}

func newConnDialer(mech sasl.Mechanism, o ConnOptions) *connDialer {
	return &connDialer{
		mech:         mech,
		tls:          tlsConfig(o),
		loopbackOnly: (o.Plaintext && !o.InsecurePlaintext),
		net:          net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second},
		timeout:      o.DialTimeout,
		clientID:     o.ClientID,
		logger:       o.Logger,
	}
}

// DialContext connects to a broker, encrypts and authenticates the connection.
func (d *connDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if err := d.checkPlaintext(address); err != nil {
		return nil, err
	}
	conn, err := d.net.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	if d.tls != nil {
		cfg := d.tls
		if cfg.ServerName == "" {
			host, _, _ := net.SplitHostPort(address)
			cfg = cfg.Clone()
			cfg.ServerName = host
		}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("msk: TLS handshake with broker %s: %w", address, err)
		}
		conn = tc
	}
	if d.mech == nil {
		return conn, nil
	}
	var corr int32
	next := func() int32 { corr++; return corr }
	authAt := time.Now()
	lifetime, err := d.authenticate(d.metadataContext(ctx, address), conn, address, next)
	if err != nil {
		conn.Close()
		if ctx.Err() == nil {
			d.authFailed(err)
		}
		return nil, err
	}
	if lifetime > 0 {
		return newReauthConn(conn, d, address, authAt, lifetime), nil
	}
	return conn, nil
}

// checkPlaintext refuses to send SASL credentials in plaintext to a broker that is not on a
// loopback address unless ConnOptions.InsecurePlaintext says so.
func (d *connDialer) checkPlaintext(address string) error {
	if !d.loopbackOnly || d.mech == nil {
		return nil
	}
	return checkLoopback(address, mechanismLabel(d.mech))
}

// checkLoopback refuses an address that is not on a loopback interface.
func checkLoopback(address, mechanism string) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("msk: ConnOptions.Plaintext: refusing to send %s credentials without TLS to broker %s, which is not on a loopback address (MSK requires TLS; set ConnOptions.InsecurePlaintext only for a tunnel that encrypts)", mechanism, address)
}

// metadataContext adds the broker's address to ctx for the SASL mechanism.
func (d *connDialer) metadataContext(ctx context.Context, address string) context.Context {
	host, port, _ := net.SplitHostPort(address)
	p, _ := strconv.Atoi(port)
	return sasl.WithMetadata(ctx, &sasl.Metadata{Host: host, Port: p})
}

// authenticate runs SaslHandshake v1 and SaslAuthenticate v1 round trips until the mechanism
// is done, with correlation IDs from corr, and returns the session lifetime the broker
// reported (zero: unlimited). It bounds the exchange by ctx and clears the connection's
// deadlines when done.
func (d *connDialer) authenticate(ctx context.Context, conn net.Conn, address string, corr func() int32) (time.Duration, error) {
	label := mechanismLabel(d.mech)
	fail := func(msg string, err error) (time.Duration, error) {
		var ae *AuthError
		if errors.As(err, &ae) {
			if ae.Broker == "" {
				ae.Broker = address
			}
			return 0, ae
		}
		return 0, &AuthError{Mechanism: label, Broker: address, Message: msg, Err: err}
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	hs := kmsg.NewPtrSASLHandshakeRequest()
	hs.Version, hs.Mechanism = 1, d.mech.Name()
	hsResp := kmsg.NewPtrSASLHandshakeResponse()
	hsResp.Version = 1
	if err := saslRoundTrip(conn, d.clientID, corr(), hs, hsResp); err != nil {
		return fail("", saslIOError(ctx, err))
	}
	if hsResp.ErrorCode != 0 {
		msg := ""
		if len(hsResp.SupportedMechanisms) > 0 {
			msg = "the broker offers " + strings.Join(hsResp.SupportedMechanisms, ", ")
		}
		return fail(msg, kafka.Error(hsResp.ErrorCode))
	}
	sess, data, err := d.mech.Start(ctx)
	if err != nil {
		return fail("", err)
	}
	for {
		req := kmsg.NewPtrSASLAuthenticateRequest()
		req.Version, req.SASLAuthBytes = 1, data
		resp := kmsg.NewPtrSASLAuthenticateResponse()
		resp.Version = 1
		if err := saslRoundTrip(conn, d.clientID, corr(), req, resp); err != nil {
			return fail("", saslIOError(ctx, err))
		}
		if resp.ErrorCode != 0 {
			msg := ""
			if resp.ErrorMessage != nil {
				msg = *resp.ErrorMessage
			}
			return fail(msg, kafka.Error(resp.ErrorCode))
		}
		done, next, err := sess.Next(ctx, resp.SASLAuthBytes)
		if err != nil {
			return fail("", err)
		}
		if done {
			lifetime := time.Duration(resp.SessionLifetimeMillis) * time.Millisecond
			if d.logger != nil {
				d.logger.LogAttrs(ctx, slog.LevelDebug, "msk: authenticated",
					slog.String("broker", address), slog.String("mechanism", label),
					slog.Duration("session_lifetime", lifetime))
			}
			if !stop() {
				return fail("", ctx.Err())
			}
			return lifetime, conn.SetDeadline(time.Time{})
		}
		data = next
	}
}

// errBrokerHangUp is a SASL exchange the broker ended by closing the connection.
var errBrokerHangUp = fmt.Errorf("%w (the broker closed the connection)", kafka.SASLAuthenticationFailed)

// saslIOError turns a failed SASL round trip into the error to report: the context's error
// if it ended the exchange, kafka.SASLAuthenticationFailed if the broker hung up (which is
// how brokers refuse some exchanges, and which kafka-go's Writer must not retry), else err.
func saslIOError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return errBrokerHangUp
	}
	return err
}

// saslRoundTrip writes one request with a v1 (non-flexible) request header and reads its
// response, whose v0 header is the correlation ID.
func saslRoundTrip(conn net.Conn, clientID string, corr int32, req kmsg.Request, resp kmsg.Response) error {
	buf := make([]byte, 4, 64+len(clientID))
	buf = binary.BigEndian.AppendUint16(buf, uint16(req.Key()))
	buf = binary.BigEndian.AppendUint16(buf, uint16(req.GetVersion()))
	buf = binary.BigEndian.AppendUint32(buf, uint32(corr))
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(clientID)))
	buf = append(buf, clientID...)
	buf = req.AppendTo(buf)
	binary.BigEndian.PutUint32(buf, uint32(len(buf)-4))
	if _, err := conn.Write(buf); err != nil {
		return err
	}
	var size [4]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(size[:])
	if n < 4 || n > maxSASLResponse {
		return fmt.Errorf("msk: SASL response of %d bytes is out of range", n)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(conn, body); err != nil {
		return dontExpectEOF(err)
	}
	if got := int32(binary.BigEndian.Uint32(body)); got != corr {
		return fmt.Errorf("msk: SASL response has correlation ID %d, want %d", got, corr)
	}
	if err := resp.ReadFrom(body[4:]); err != nil {
		return fmt.Errorf("msk: decoding the SASL response (key %d): %w", resp.Key(), err)
	}
	return nil
}

func dontExpectEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
