package msk_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

func plaintext(o *msk.ConnOptions) { o.Plaintext = true }

func TestNewWriterDefaults(t *testing.T) {
	w := msk.NewWriter([]string{"b-1:9098", "b-2:9098"}, "orders", nil)
	if w.RequiredAcks != kafka.RequireAll {
		t.Errorf("RequiredAcks = %v, want RequireAll", w.RequiredAcks)
	}
	// The documented defaults: 10 tries, a 10ms batch timeout, 10s I/O timeouts.
	if w.MaxAttempts != 10 || w.BatchTimeout != 10*time.Millisecond ||
		w.ReadTimeout != 10*time.Second || w.WriteTimeout != 10*time.Second {
		t.Errorf("writer timeouts/attempts: %+v", w)
	}
	if _, ok := w.Balancer.(*kafka.Murmur2Balancer); !ok {
		t.Errorf("Balancer = %T, want *kafka.Murmur2Balancer", w.Balancer)
	}
	if w.Addr.String() != "b-1:9098,b-2:9098" || w.Topic != "orders" {
		t.Errorf("Addr %q Topic %q", w.Addr, w.Topic)
	}
	tr, ok := w.Transport.(*kafka.Transport)
	if !ok {
		t.Fatalf("Transport = %T", w.Transport)
	}
	if tr.TLS != nil || tr.SASL != nil || tr.Dial == nil {
		t.Errorf("transport must do TLS and SASL in Dial: %+v", tr)
	}
	if tr.IdleTimeout != 30*time.Second || tr.DialTimeout != 10*time.Second || tr.ClientID != "datablocks" { // ConnOptions zero values
		t.Errorf("transport defaults: %+v", tr)
	}

	rc := msk.NewReaderConfig([]string{"b-1:9098"}, "orders", "g", nil, func(o *msk.ConnOptions) {
		o.DialTimeout = 3 * time.Second
		o.ClientID = "billing"
	})
	if rc.Dialer == nil || rc.Dialer.TLS != nil || rc.Dialer.SASLMechanism != nil || rc.Dialer.DialFunc == nil {
		t.Fatalf("reader dialer: %+v", rc.Dialer)
	}
	if rc.Dialer.Timeout != 3*time.Second || rc.Dialer.ClientID != "billing" || rc.StartOffset != kafka.FirstOffset || rc.GroupID != "g" {
		t.Errorf("reader config: %+v", rc)
	}
	if err := rc.Validate(); err != nil {
		t.Error(err)
	}
}

// tlsServer is a TLS listener (with httptest's self-signed certificate for 127.0.0.1) that
// completes handshakes and then hangs up; maxVersion caps its TLS version.
func tlsServer(t *testing.T, maxVersion uint16) (addr string, roots *x509.CertPool) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{MaxVersion: maxVersion}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots = x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	return srv.Listener.Addr().String(), roots
}

// TestTLSVerifiesBrokers checks the MSK TLS defaults on a real handshake: certificates are
// verified against the system roots, InsecureSkipVerify cannot turn that off, a private CA
// works through RootCAs, and TLS below 1.2 is refused.
func TestTLSVerifiesBrokers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	addr, roots := tlsServer(t, 0)
	var unknownCA x509.UnknownAuthorityError

	_, err := msk.NewDialer(nil).DialContext(ctx, "tcp", addr)
	if !errors.As(err, &unknownCA) {
		t.Errorf("default TLS against a self-signed broker: %v; want x509.UnknownAuthorityError", err)
	}
	_, err = msk.NewDialer(nil, func(o *msk.ConnOptions) { o.TLS = &tls.Config{InsecureSkipVerify: true} }).DialContext(ctx, "tcp", addr)
	if !errors.As(err, &unknownCA) {
		t.Errorf("InsecureSkipVerify: %v; want verification anyway", err)
	}
	conn, err := msk.NewDialer(nil, func(o *msk.ConnOptions) { o.TLS = &tls.Config{RootCAs: roots} }).DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatalf("private CA via RootCAs: %v", err)
	}
	conn.Close()

	old, oldRoots := tlsServer(t, tls.VersionTLS11)
	_, err = msk.NewDialer(nil, func(o *msk.ConnOptions) { o.TLS = &tls.Config{RootCAs: oldRoots, MinVersion: tls.VersionTLS10} }).DialContext(ctx, "tcp", old)
	if err == nil || !strings.Contains(err.Error(), "TLS handshake") {
		t.Errorf("TLS 1.1 broker: %v; want a refused handshake", err)
	}
}

// TestDialTimeoutBoundsAuthentication checks that a broker that never answers the SASL
// handshake cannot hang a dial past DialTimeout.
func TestDialTimeoutBoundsAuthentication(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	mech, err := msk.NewIAMMechanism(aws.Config{Region: "eu-west-1", Credentials: aws.AnonymousCredentials{}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = msk.NewDialer(mech, plaintext, func(o *msk.ConnOptions) { o.DialTimeout = 200 * time.Millisecond }).
		DialContext(context.Background(), "tcp", ln.Addr().String())
	if err == nil {
		t.Fatal("dial succeeded")
	}
	var ae *msk.AuthError
	if !errors.As(err, &ae) || ae.Mechanism != "MSK IAM" {
		t.Fatalf("err = %v; want an MSK IAM AuthError", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("dial took %s with a 200ms timeout", d)
	}
}

// TestIAMWriterAndReader goes from an aws.Config and a broker list to a working producer
// and consumer sharing one mechanism.
func TestIAMWriterAndReader(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"payments"} })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	mech, err := msk.NewIAMMechanism(c.Config())
	if err != nil {
		t.Fatal(err)
	}
	w := msk.NewWriter(c.Addrs(), "payments", mech, c.ConnOptions)
	defer w.Close()
	want := []string{"p-1", "p-2", "p-3"}
	for _, v := range want {
		if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("customer-7"), Value: []byte(v)}); err != nil {
			t.Fatal(err)
		}
	}
	r := kafka.NewReader(msk.NewReaderConfig(c.Addrs(), "payments", "ledger", mech, c.ConnOptions))
	defer r.Close()
	for _, v := range want {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if string(m.Value) != v {
			t.Fatalf("read %q, want %q (one key, one partition, in order)", m.Value, v)
		}
	}
}

// TestCommitMessagesAcrossSessionExpiry commits after every session of a consumer group
// expired: kafka-go's own commit retries reuse the dead coordinator connection; the helper's
// retries go through the rejoined group.
func TestCommitMessagesAcrossSessionExpiry(t *testing.T) {
	clock := datablocks.NewManualClock(time.Now())
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"t"}
		o.Partitions = 1
		o.Brokers = 1
		o.SessionLifetime = time.Minute
		o.Clock = clock
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	mech, err := msk.NewIAMMechanism(c.Config()) // tokens signed by the system clock stay valid for 15m of the cluster's
	if err != nil {
		t.Fatal(err)
	}
	w := msk.NewWriter(c.Addrs(), "t", mech, c.ConnOptions)
	defer w.Close()
	for _, v := range []string{"m1", "m2", "m3"} {
		if err := w.WriteMessages(ctx, kafka.Message{Value: []byte(v)}); err != nil {
			t.Fatal(err)
		}
	}
	rc := msk.NewReaderConfig(c.Addrs(), "t", "g", mech, c.ConnOptions)
	rc.MaxWait = 50 * time.Millisecond
	r := kafka.NewReader(rc)
	m1, err := r.FetchMessage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := msk.CommitMessages(ctx, r, m1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute) // every session of the group is now expired
	var m2 kafka.Message
	for string(m2.Value) != "m2" { // after a rejoin, m2 may come again
		if m2, err = r.FetchMessage(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := msk.CommitMessages(ctx, r, m2); err != nil {
		t.Fatalf("commit after session expiry: %v", err)
	}
	r.Close()
	if c.Stats().ExpiredSessions == 0 {
		t.Fatal("no session expired")
	}
	r2 := kafka.NewReader(rc)
	defer r2.Close()
	m3, err := r2.FetchMessage(ctx)
	if err != nil || string(m3.Value) != "m3" {
		t.Fatalf("the group resumed at %q, %v; want m3 (m2 committed)", m3.Value, err)
	}
}
