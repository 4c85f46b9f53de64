package msk_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/twmb/franz-go/pkg/kgo"
	fsaws "github.com/twmb/franz-go/pkg/sasl/aws"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// franzRoundTrip produces n records with a franz-go client built from opts and consumes
// them back with a group, returning the values in order per partition.
func franzRoundTrip(ctx context.Context, t *testing.T, opts []kgo.Opt, topic string, n int) {
	t.Helper()
	prod, err := kgo.NewClient(append(opts, kgo.DefaultProduceTopic(topic))...)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	for i := range n {
		rec := &kgo.Record{Key: fmt.Appendf(nil, "k%d", i%7), Value: fmt.Appendf(nil, "v%04d", i)}
		if err := prod.ProduceSync(ctx, rec).FirstErr(); err != nil {
			t.Fatalf("produce %d: %v", i, err)
		}
	}
	cons, err := kgo.NewClient(append(opts, kgo.ConsumeTopics(topic), kgo.ConsumerGroup("franz-"+topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))...)
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	seen := map[string]bool{}
	for len(seen) < n {
		fs := cons.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatalf("after %d records: %v", len(seen), err)
		}
		fs.EachRecord(func(r *kgo.Record) { seen[string(r.Value)] = true })
	}
	if len(seen) != n {
		t.Fatalf("consumed %d distinct records, produced %d", len(seen), n)
	}
}

// A franz-go client built from FranzOpts and IAMMechanism.FranzMechanism produces and
// consumes over IAM (OAUTHBEARER, TLS) against the local MSK, re-authenticating its 2-second
// sessions itself.
func TestFranzGoOverIAM(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"franz"}
		o.SessionLifetime = 2 * time.Second
	})
	mech, err := msk.NewIAMMechanism(c.Config())
	if err != nil {
		t.Fatal(err)
	}
	opts, err := msk.FranzOpts(c.Addrs(), mech.FranzMechanism(), c.ConnOptions)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	franzRoundTrip(ctx, t, opts, "franz", 200)
	st := c.Stats()
	t.Logf("stats %+v", st)
	if st.IAMAuthentications == 0 || st.AuthFailures != 0 || st.ExpiredSessions != 0 {
		t.Errorf("stats %+v: want IAM authentications, no failures, no expired session", st)
	}

	// Without TLS trust, the client cannot reach the TLS listeners; plaintext to a remote
	// address is refused before any dial.
	if _, err := msk.FranzOpts([]string{"b-1.demo.abc123.c2.kafka.eu-west-1.amazonaws.com:9098"}, mech.FranzMechanism(),
		func(o *msk.ConnOptions) { o.Plaintext = true }); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("plaintext IAM to a remote broker: %v", err)
	}
	if _, err := msk.FranzOpts(nil, mech.FranzMechanism()); err == nil {
		t.Error("FranzOpts without brokers succeeded")
	}
}

// franz-go's own AWS_MSK_IAM mechanism (sasl/aws, the Java IAMLoginModule's wire format)
// is accepted by the local MSK, as by MSK.
func TestFranzGoAWSMSKIAM(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"mskiam"} })
	t.Setenv("AWS_REGION", c.Config().Region) // franz-go reads the region from the broker host, else from here
	creds, err := c.Config().Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	mech := fsaws.Auth{AccessKey: creds.AccessKeyID, SecretKey: creds.SecretAccessKey}.AsManagedStreamingIAMMechanism()
	opts, err := msk.FranzOpts(c.Addrs(), mech, c.ConnOptions)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	franzRoundTrip(ctx, t, opts, "mskiam", 50)
	if st := c.Stats(); st.IAMAuthentications == 0 || st.AuthFailures != 0 {
		t.Errorf("stats %+v", st)
	}

	bad := fsaws.Auth{AccessKey: creds.AccessKeyID, SecretKey: "wrong"}.AsManagedStreamingIAMMechanism()
	opts, _ = msk.FranzOpts(c.Addrs(), bad, c.ConnOptions)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	pctx, pcancel := context.WithTimeout(ctx, 5*time.Second)
	defer pcancel()
	if err := cl.Ping(pctx); err == nil || !strings.Contains(err.Error(), "signature does not match") {
		t.Errorf("wrong secret over AWS_MSK_IAM: %v", err)
	}
}

// Plaintext SASL is refused before any dial unless the broker is on a loopback address or
// the caller says InsecurePlaintext.
func TestPlaintextSASLOnlyToLoopback(t *testing.T) {
	mech, err := msk.NewIAMMechanism(aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	plain := func(o *msk.ConnOptions) { o.Plaintext = true }
	_, err = msk.NewDialer(mech, plain).DialContext(ctx, "tcp", "b-1.demo.abc123.c2.kafka.eu-west-1.amazonaws.com:9098")
	if err == nil || !strings.Contains(err.Error(), "not on a loopback address") || strings.Contains(err.Error(), "secret") {
		t.Errorf("plaintext IAM to MSK: %v", err)
	}
	// Loopback passes the check (and then finds nothing listening).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	for _, a := range []string{addr, strings.Replace(addr, "127.0.0.1", "localhost", 1)} {
		if _, err := msk.NewDialer(mech, plain).DialContext(ctx, "tcp", a); err == nil || strings.Contains(err.Error(), "loopback") {
			t.Errorf("plaintext to %s: %v; want a dial error, not a refusal", a, err)
		}
	}
	// Without a mechanism there is no credential to protect.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := msk.NewDialer(nil, plain).DialContext(short, "tcp", "192.0.2.1:1"); err != nil && strings.Contains(err.Error(), "loopback") {
		t.Errorf("plaintext without SASL: %v", err)
	}
}
