package msktest_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/oauth"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

func testContext(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// sessionCluster starts one broker with one topic "t" of one partition, whose sessions last
// lifetime by a manual clock that the test moves.
func sessionCluster(t *testing.T, lifetime time.Duration) (*msktest.Cluster, *datablocks.ManualClock) {
	t.Helper()
	clock := datablocks.NewManualClock(time.Now())
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"t"}
		o.Partitions = 1
		o.Brokers = 1
		o.SessionLifetime = lifetime
		o.Clock = clock
	})
	return c, clock
}

func iamMechanism(t *testing.T, cfg aws.Config, optFns ...func(*msk.Options)) *msk.IAMMechanism {
	t.Helper()
	m, err := msk.NewIAMMechanism(cfg, optFns...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// consumeGroup reads messages with a consumer group, committing as it goes, until it has n
// distinct keys, and returns them in the order each partition delivered them. When sessions
// expire the group can rejoin and deliver uncommitted messages again (at least once), so
// delivery is counted by distinct key.
func consumeGroup(ctx context.Context, t *testing.T, c *msktest.Cluster, topic, group string, mech sasl.Mechanism, n int) map[int][]kafka.Message {
	t.Helper()
	rc := msk.NewReaderConfig(c.Addrs(), topic, group, mech, c.ConnOptions)
	rc.MaxWait = 50 * time.Millisecond
	r := kafka.NewReader(rc)
	defer r.Close()
	byPartition := make(map[int][]kafka.Message)
	var batch []kafka.Message
	keys := make(map[string]bool, n)
	for len(keys) < n {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatalf("after %d of %d keys: %v", len(keys), n, err)
		}
		byPartition[m.Partition] = append(byPartition[m.Partition], m)
		keys[string(m.Key)] = true
		batch = append(batch, m)
		if len(batch) == 500 || len(keys) == n {
			if err := msk.CommitMessages(ctx, r, batch...); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return byPartition
}

// TestIAMProduceConsume10k produces 10,000 messages over IAM with RequireAll and consumes
// them back with a consumer group: every message exactly once, each partition in the order
// it was written.
func TestIAMProduceConsume10k(t *testing.T) {
	const n = 10000
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"orders"}
	})
	ctx := testContext(t, 30*time.Second)
	mech := iamMechanism(t, c.Config())

	w := msk.NewWriter(c.Addrs(), "orders", mech, c.ConnOptions)
	w.BatchSize = 1000
	defer w.Close()
	if w.RequiredAcks != kafka.RequireAll {
		t.Fatalf("RequiredAcks = %v, want RequireAll", w.RequiredAcks)
	}
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		msgs[i] = kafka.Message{Key: []byte("key-" + strconv.Itoa(i)), Value: []byte(strconv.Itoa(i))}
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}

	byPartition := consumeGroup(ctx, t, c, "orders", "orders-audit", mech, n)
	seen := make(map[string]bool, n)
	for p, ms := range byPartition {
		last := -1
		for _, m := range ms {
			v, err := strconv.Atoi(string(m.Value))
			if err != nil {
				t.Fatalf("partition %d: value %q", p, m.Value)
			}
			if v <= last {
				t.Fatalf("partition %d: value %d after %d: out of order", p, v, last)
			}
			last = v
			if want := "key-" + string(m.Value); string(m.Key) != want {
				t.Fatalf("key %q carries value %s", m.Key, m.Value)
			}
			if seen[string(m.Key)] {
				t.Fatalf("key %s consumed twice", m.Key)
			}
			seen[string(m.Key)] = true
		}
	}
	if len(seen) != n {
		t.Fatalf("consumed %d distinct keys, want %d", len(seen), n)
	}
	if len(byPartition) != 3 { // ClusterOptions.Partitions zero means 3
		t.Errorf("messages landed on %d partitions, want 3", len(byPartition))
	}
	st := c.Stats()
	if st.IAMAuthentications == 0 || st.IAMAuthentications > st.Connections {
		t.Errorf("stats %+v: connections should have authenticated with IAM", st)
	}
	if st.AuthFailures != 0 || st.Unauthenticated != 0 {
		t.Errorf("stats %+v: unexpected refusals", st)
	}
}

// TestRefusedClients checks each way a client is refused, through both the Transport
// (kafka.Writer) and the Dialer (kafka.Conn, kafka.Reader) paths.
func TestRefusedClients(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"orders"}
		o.Brokers = 1
	})
	good := c.Config()
	goodCreds, err := good.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wrongSecret := good.Copy()
	wrongSecret.Credentials = credentials.NewStaticCredentialsProvider(goodCreds.AccessKeyID, "not-the-secret", "")
	unknownKey := good.Copy()
	unknownKey.Credentials = credentials.NewStaticCredentialsProvider("AKIAUNKNOWN000000000", "whatever", "")
	wrongRegion := good.Copy()
	wrongRegion.Region = "us-east-1"
	// A cluster 20 minutes ahead sees a token signed now as expired.
	ahead := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"orders"}
		o.Brokers = 1
		o.Clock = datablocks.NewManualClock(time.Now().Add(20 * time.Minute))
	})

	cases := []struct {
		name    string
		mech    sasl.Mechanism
		want    string           // in the error text
		cluster *msktest.Cluster // nil means c
	}{
		{"wrong secret", iamMechanism(t, wrongSecret), "signature does not match", nil},
		{"unknown access key", iamMechanism(t, unknownKey), "AKIAUNKNOWN000000000 is not registered", nil},
		{"wrong region", iamMechanism(t, wrongRegion), `signed for region "us-east-1"`, nil},
		{"expired token", iamMechanism(t, ahead.Config()), "expired at", ahead},
		{"malformed token", rawMechanism{name: "OAUTHBEARER", ir: []byte("n,,\x01auth=Bearer not-a-token!\x01\x01")}, "not unpadded base64url", nil},
		{"unsupported mechanism", rawMechanism{name: "PLAIN", ir: []byte("\x00u\x00p")}, "the broker offers OAUTHBEARER", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t, 10*time.Second)
			check := func(path string, err error) {
				t.Helper()
				if err == nil {
					t.Fatalf("%s: no error", path)
				}
				var ae *msk.AuthError
				if !errors.As(err, &ae) {
					t.Fatalf("%s: %v is not an *msk.AuthError", path, err)
				}
				t.Logf("%s: %v", path, err)
				if !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("%s: error %q does not mention %q", path, err, tc.want)
				}
				if _, isIAM := tc.mech.(*msk.IAMMechanism); isIAM && !strings.Contains(err.Error(), "MSK IAM authentication") {
					t.Fatalf("%s: error %q does not name MSK IAM", path, err)
				}
			}
			c := c
			if tc.cluster != nil {
				c = tc.cluster
			}
			w := msk.NewWriter(c.Addrs(), "orders", tc.mech, c.ConnOptions)
			w.MaxAttempts = 1
			err := w.WriteMessages(ctx, kafka.Message{Value: []byte("x")})
			w.Close()
			check("writer", err)
			_, err = msk.NewDialer(tc.mech, c.ConnOptions).DialContext(ctx, "tcp", c.Addrs()[0])
			check("dialer", err)
		})
	}
	t.Run("no SASL", func(t *testing.T) {
		ctx := testContext(t, 10*time.Second)
		before := c.Stats().Unauthenticated
		w := msk.NewWriter(c.Addrs(), "orders", nil, c.ConnOptions)
		w.MaxAttempts = 1
		err := w.WriteMessages(ctx, kafka.Message{Value: []byte("x")})
		w.Close()
		if err == nil {
			t.Fatal("a client without SASL wrote a message")
		}
		t.Logf("writer: %v", err)
		if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
			t.Fatalf("error %v: want the connection closed (EOF)", err)
		}
		conn, err := (&kafka.Dialer{TLS: c.TLSConfig()}).DialContext(ctx, "tcp", c.Addrs()[0])
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ReadPartitions("orders"); err == nil {
			t.Fatal("a client without SASL read metadata")
		}
		if got := c.Stats().Unauthenticated - before; got < 2 {
			t.Fatalf("Stats().Unauthenticated grew by %d, want at least 2", got)
		}
	})
	st := c.Stats()
	if n := st.AuthFailures + ahead.Stats().AuthFailures; n < int64(2*len(cases)) {
		t.Errorf("stats %+v (and %d on the cluster ahead): want at least %d AuthFailures", st, ahead.Stats().AuthFailures, 2*len(cases))
	}
}

// rawMechanism sends a fixed initial response.
type rawMechanism struct {
	name string
	ir   []byte
}

func (m rawMechanism) Name() string { return m.name }
func (m rawMechanism) Start(context.Context) (sasl.StateMachine, []byte, error) {
	return m, m.ir, nil
}
func (m rawMechanism) Next(context.Context, []byte) (bool, []byte, error) { return true, nil, nil }

// TestSessionExpiryRequestNotProcessed drives the session clock by hand: a request that
// arrives after the session ended is not processed and its connection is closed.
func TestSessionExpiryRequestNotProcessed(t *testing.T) {
	c, clock := sessionCluster(t, time.Minute)
	ctx := testContext(t, 10*time.Second)
	mech := iamMechanism(t, c.Config()) // its 15-minute tokens outlive the minutes the test advances
	conn, err := msk.NewDialer(mech, c.ConnOptions).DialLeader(ctx, "tcp", c.Addrs()[0], "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.WriteMessages(kafka.Message{Value: []byte("in session")}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(59 * time.Second)
	if _, err := conn.WriteMessages(kafka.Message{Value: []byte("still in session")}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if _, err := conn.WriteMessages(kafka.Message{Value: []byte("after expiry")}); err == nil {
		t.Fatal("a write after the session expired succeeded")
	}
	if got := c.Stats().ExpiredSessions; got != 1 {
		t.Fatalf("ExpiredSessions = %d, want 1", got)
	}
	fresh, err := msk.NewDialer(mech, c.ConnOptions).DialLeader(ctx, "tcp", c.Addrs()[0], "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	last, err := fresh.ReadLastOffset()
	if err != nil {
		t.Fatal(err)
	}
	if last != 2 {
		t.Fatalf("partition holds %d records, want the 2 written in session", last)
	}
}

// TestSessionEndsAtTokenExpiry checks that a session ends no later than the token that opened
// it, even when the configured lifetime is longer.
func TestSessionEndsAtTokenExpiry(t *testing.T) {
	c, clock := sessionCluster(t, time.Hour)
	ctx := testContext(t, 10*time.Second)
	// The cluster's clock starts at the system time the token is signed at.
	mech := iamMechanism(t, c.Config(), func(o *msk.Options) { o.TokenLifetime = 30 * time.Second })
	conn, err := msk.NewDialer(mech, c.ConnOptions).DialLeader(ctx, "tcp", c.Addrs()[0], "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	clock.Advance(31 * time.Second)
	if _, err := conn.WriteMessages(kafka.Message{Value: []byte("late")}); err == nil {
		t.Fatal("a write after the token expired succeeded")
	}
	if got := c.Stats().ExpiredSessions; got != 1 {
		t.Fatalf("ExpiredSessions = %d, want 1", got)
	}
}

// TestAllowUnauthenticated lets a client without SASL in, next to IAM clients.
func TestAllowUnauthenticated(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"t"}
		o.AllowUnauthenticated = true
	})
	ctx := testContext(t, 10*time.Second)
	for _, mech := range []sasl.Mechanism{nil, iamMechanism(t, c.Config())} {
		w := msk.NewWriter(c.Addrs(), "t", mech, c.ConnOptions)
		if err := w.WriteMessages(ctx, kafka.Message{Value: []byte("x")}); err != nil {
			t.Fatalf("mechanism %v: %v", mech, err)
		}
		w.Close()
	}
	if st := c.Stats(); st.Unauthenticated != 0 || st.IAMAuthentications == 0 {
		t.Fatalf("stats %+v", st)
	}
}

// TestCloseStopsEverything checks that Close closes client connections and listeners.
func TestCloseStopsEverything(t *testing.T) {
	c, err := msktest.NewCluster(func(o *msktest.ClusterOptions) { o.Brokers = 1; o.SeedTopics = []string{"t"} })
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t, 10*time.Second)
	conn, err := msk.NewDialer(iamMechanism(t, c.Config()), c.ConnOptions).DialContext(ctx, "tcp", c.Addrs()[0])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	addr := c.Addrs()[0]
	c.Close()
	c.Close() // idempotent
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.ReadPartitions("t"); err == nil {
		t.Fatal("connection still served after Close")
	}
	if nc, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		nc.Close()
		t.Fatal("listener still accepts after Close")
	}
}

func TestNewClusterValidation(t *testing.T) {
	for name, fn := range map[string]func(*msktest.ClusterOptions){
		"negative brokers":  func(o *msktest.ClusterOptions) { o.Brokers = -1 },
		"negative lifetime": func(o *msktest.ClusterOptions) { o.SessionLifetime = -time.Second },
		"empty secret":      func(o *msktest.ClusterOptions) { o.Credentials = map[string]string{"AKID": ""} },
	} {
		if c, err := msktest.NewCluster(fn); err == nil {
			c.Close()
			t.Errorf("%s: no error", name)
		}
	}
}

// TestTLSListeners checks the TLS listeners: clients configured by ConnOptions connect;
// clients that trust only the system roots, or speak plaintext, do not.
func TestTLSListeners(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.Brokers = 1
	})
	ctx := testContext(t, 10*time.Second)
	mech := iamMechanism(t, c.Config())
	conn, err := msk.NewDialer(mech, c.ConnOptions).DialContext(ctx, "tcp", c.Addrs()[0])
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	var unknownCA x509.UnknownAuthorityError
	if _, err := msk.NewDialer(mech).DialContext(ctx, "tcp", c.Addrs()[0]); !errors.As(err, &unknownCA) {
		t.Errorf("system roots: %v; want x509.UnknownAuthorityError", err)
	}
	if _, err := msk.NewDialer(mech, func(o *msk.ConnOptions) { o.Plaintext = true }).DialContext(ctx, "tcp", c.Addrs()[0]); err == nil {
		t.Error("a plaintext client authenticated against a TLS listener")
	}
	if c.TLSConfig() == nil || c.TLSConfig().RootCAs == nil {
		t.Error("TLSConfig() has no RootCAs with TLS")
	}
	var o msk.ConnOptions
	c.ConnOptions(&o)
	if o.Plaintext || o.TLS == nil || o.TLS.RootCAs != c.TLSConfig().RootCAs {
		t.Errorf("ConnOptions: %+v", o)
	}
}

// TestReauthenticationKIP368 runs a client that re-authenticates before its session expires
// (franz-go's kgo, KIP-368, SaslAuthenticate v2): it keeps its connections, and no session
// expires.
func TestReauthenticationKIP368(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"t"}
		o.Brokers = 1
		o.SessionLifetime = 1500 * time.Millisecond
	})
	ctx := testContext(t, 20*time.Second)
	mech := iamMechanism(t, c.Config())
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(c.Addrs()...),
		kgo.SASL(oauth.Oauth(func(ctx context.Context) (oauth.Auth, error) {
			tok, _, err := mech.Token(ctx)
			return oauth.Auth{Token: tok}, err
		})),
		kgo.DefaultProduceTopic("t"),
		kgo.DialTLSConfig(c.TLSConfig()),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	stop := time.Now().Add(3 * time.Second)
	n := 0
	for time.Now().Before(stop) {
		if err := cl.ProduceSync(ctx, &kgo.Record{Value: []byte("v")}).FirstErr(); err != nil {
			t.Fatalf("record %d: %v", n, err)
		}
		n++
		time.Sleep(5 * time.Millisecond)
	}
	st := c.Stats()
	t.Logf("%d records, stats %+v", n, st)
	if st.ExpiredSessions != 0 {
		t.Errorf("%d sessions expired under a re-authenticating client", st.ExpiredSessions)
	}
	if st.IAMAuthentications <= st.Connections {
		t.Errorf("stats %+v: want more authentications than connections (re-authentication)", st)
	}
}

// TestSessionExpiryAcksZero checks expiry with produce requests that get no response
// (acks=0): the broker must not wait for a response that will never come.
func TestSessionExpiryAcksZero(t *testing.T) {
	c, clock := sessionCluster(t, time.Minute)
	ctx := testContext(t, 10*time.Second)
	mech := iamMechanism(t, c.Config()) // its 15-minute tokens outlive the minutes the test advances
	w := msk.NewWriter(c.Addrs(), "t", mech, c.ConnOptions)
	w.RequiredAcks = kafka.RequireNone
	w.MaxAttempts = 1
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Value: []byte("fire and forget")}); err != nil {
		t.Fatal(err)
	}
	freshConns := int64(0)
	fresh := func() *kafka.Conn {
		conn, err := msk.NewDialer(mech, c.ConnOptions).DialLeader(ctx, "tcp", c.Addrs()[0], "t", 0)
		if err != nil {
			t.Fatal(err)
		}
		freshConns++
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	deadline := time.Now().Add(5 * time.Second)
	for last := int64(0); last != 1; last, _ = fresh().ReadLastOffset() {
		if time.Now().After(deadline) {
			t.Fatal("the acks=0 record never arrived")
		}
	}
	// The writer's transport may hold more than one connection to the broker (kafka-go pools
	// them); the probes above stay idle after the advance, so only the writer's can expire.
	writerConns := c.Stats().Connections - freshConns
	clock.Advance(2 * time.Minute)
	authsBefore := c.Stats().IAMAuthentications
	start := time.Now()
	_ = w.WriteMessages(ctx, kafka.Message{Value: []byte("after expiry")}) // on the expired connection
	// The guard must close the expired connection at once (no response is owed for acks=0),
	// so the writer soon needs, and authenticates, a new one.
	for i := 0; c.Stats().IAMAuthentications == authsBefore; i++ {
		if time.Since(start) > 3*time.Second {
			t.Fatalf("the expired connection was not closed: stats %+v", c.Stats())
		}
		_ = w.WriteMessages(ctx, kafka.Message{Value: []byte("retry")})
		time.Sleep(time.Millisecond)
	}
	if got := c.Stats().ExpiredSessions; got < 1 || got > writerConns {
		t.Fatalf("ExpiredSessions = %d, want between 1 and the writer's %d connections", got, writerConns)
	}
	batch := fresh().ReadBatch(1, 1<<20)
	defer batch.Close()
	var values []string
	for {
		m, err := batch.ReadMessage()
		if err != nil {
			break
		}
		values = append(values, string(m.Value))
	}
	if len(values) == 0 || values[0] != "fire and forget" || slices.Contains(values, "after expiry") {
		t.Fatalf("partition holds %q; want the first record and not the one sent after expiry", values)
	}
}

func TestCredentialsRegistry(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.Brokers = 1
		o.Credentials = map[string]string{"AKIDB": "secret-b", "AKIDA": "secret-a"}
	})
	ctx := testContext(t, 10*time.Second)
	dial := func(akid, secret string) error {
		cfg := c.Config()
		cfg.Credentials = credentials.NewStaticCredentialsProvider(akid, secret, "")
		conn, err := msk.NewDialer(iamMechanism(t, cfg), c.ConnOptions).DialContext(ctx, "tcp", c.Addrs()[0])
		if err == nil {
			conn.Close()
		}
		return err
	}
	creds, err := c.Config().Credentials.Retrieve(ctx)
	if err != nil || creds.AccessKeyID != "AKIDA" || creds.SecretAccessKey != "secret-a" || c.Config().Region != "eu-west-1" {
		t.Fatalf("Config() credentials %+v, %v; want AKIDA (first in order) in eu-west-1 (the default region)", creds, err)
	}
	if err := dial("AKIDB", "secret-b"); err != nil {
		t.Fatal(err)
	}
	// The key pair of a cluster with default credentials.
	def, err := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.Brokers = 1 }).Config().Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := dial(def.AccessKeyID, def.SecretAccessKey); err == nil {
		t.Fatal("the default key works although ClusterOptions.Credentials replaced it")
	}
	c.AddCredentials("AKIDC", "secret-c")
	if err := dial("AKIDC", "secret-c"); err != nil {
		t.Fatal(err)
	}
	c.RemoveCredentials("AKIDB")
	if err := dial("AKIDB", "secret-b"); err == nil {
		t.Fatal("a removed key still authenticates")
	}
}
