package msk_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// rotatingCredentials hands out a new access key every period, registered with the cluster
// just before, each expiring one period after it was issued, as short-lived role credentials
// do.
type rotatingCredentials struct {
	c      *msktest.Cluster
	period time.Duration
	mu     sync.Mutex
	n      int
	issued int64
}

func (r *rotatingCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	akid := fmt.Sprintf("AKIAROTATING%08d", r.n)
	secret := fmt.Sprintf("secret-%d", r.n)
	r.c.AddCredentials(akid, secret)
	atomic.AddInt64(&r.issued, 1)
	return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, CanExpire: true, Expires: time.Now().Add(r.period)}, nil
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), "expired") {
		w.t.Logf("%s", p)
	}
	return len(p), nil
}

// TestReauthenticationKeepsSessions is the KIP-368 acceptance test: with 2-second sessions,
// a writer and a consumer group run for 10 seconds (3 with -short) without the broker ending
// a single session, without a rebalance after the group's first join, and with every
// acknowledged message consumed exactly once; again with credentials that rotate every 3
// seconds.
func TestReauthenticationKeepsSessions(t *testing.T) {
	duration := 10 * time.Second
	if testing.Short() {
		duration = 3 * time.Second
	}
	for _, rotate := range []bool{false, true} {
		name := "static credentials"
		if rotate {
			name = "credentials rotating every 3s"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
				o.SeedTopics = []string{"events"}
				o.SessionLifetime = 2 * time.Second
				o.Logger = slog.New(slog.NewTextHandler(testWriter{t}, nil))
			})
			cfg := c.Config()
			var rot *rotatingCredentials
			if rotate {
				rot = &rotatingCredentials{c: c, period: 3 * time.Second}
				cfg.Credentials = aws.NewCredentialsCache(rot)
			}
			mech, err := msk.NewIAMMechanism(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), duration+30*time.Second)
			defer cancel()

			rc := msk.NewReaderConfig(c.Addrs(), "events", "reauth-group", mech, c.ConnOptions)
			rc.MaxWait = 100 * time.Millisecond
			r := kafka.NewReader(rc)
			defer r.Close()
			w := msk.NewWriter(c.Addrs(), "events", mech, c.ConnOptions)
			w.BatchTimeout = time.Millisecond
			defer w.Close()

			var (
				mu       sync.Mutex
				consumed = map[string]int{}
				done     = make(chan error, 1)
				total    atomic.Int64 // acknowledged messages, known once the writer stops
			)
			total.Store(-1)
			go func() {
				for {
					m, err := r.FetchMessage(ctx)
					if err != nil {
						done <- err
						return
					}
					mu.Lock()
					consumed[string(m.Key)]++
					n := len(consumed)
					mu.Unlock()
					if err := msk.CommitMessages(ctx, r, m); err != nil {
						done <- fmt.Errorf("commit: %w", err)
						return
					}
					if want := total.Load(); want >= 0 && int64(n) >= want {
						done <- nil
						return
					}
				}
			}()

			var latencies []time.Duration
			written := 0
			for stop := time.Now().Add(duration); time.Now().Before(stop); {
				batch := make([]kafka.Message, 5)
				for j := range batch {
					k := fmt.Sprintf("m-%07d", written+j)
					batch[j] = kafka.Message{Key: []byte(k), Value: []byte(k)}
				}
				start := time.Now()
				if err := w.WriteMessages(ctx, batch...); err != nil {
					t.Fatalf("write after %d messages: %v", written, err)
				}
				latencies = append(latencies, time.Since(start))
				written += len(batch)
			}
			total.Store(int64(written))
			mu.Lock()
			caughtUp := len(consumed) >= written
			mu.Unlock()
			if !caughtUp {
				if err := <-done; err != nil {
					t.Fatalf("consumer: %v", err)
				}
			}

			st := c.Stats()
			rs := r.Stats()
			slices.Sort(latencies)
			p99 := latencies[len(latencies)*99/100]
			t.Logf("%d messages in %s; broker stats %+v; reader rebalances %d; write p50 %s p99 %s max %s",
				written, duration, st, rs.Rebalances, latencies[len(latencies)/2], p99, latencies[len(latencies)-1])
			if rot != nil {
				t.Logf("credentials issued: %d", atomic.LoadInt64(&rot.issued))
			}
			if st.ExpiredSessions != 0 {
				t.Errorf("the broker ended %d sessions; want 0 (every connection re-authenticates)", st.ExpiredSessions)
			}
			if min := int64(duration / (2 * time.Second)); st.Reauthentications < min {
				t.Errorf("%d re-authentications in %s of 2s sessions; want at least %d", st.Reauthentications, duration, min)
			}
			if rs.Rebalances > 1 {
				t.Errorf("the group rebalanced %d times; want only its first join", rs.Rebalances)
			}
			mu.Lock()
			defer mu.Unlock()
			lost, dup := 0, 0
			for i := range written {
				switch n := consumed[fmt.Sprintf("m-%07d", i)]; {
				case n == 0:
					lost++
				case n > 1:
					dup += n - 1
				}
			}
			if lost != 0 || dup != 0 || len(consumed) != written {
				t.Errorf("wrote %d, consumed %d distinct: %d lost, %d duplicated; want 0 and 0", written, len(consumed), lost, dup)
			}
			if rot != nil && atomic.LoadInt64(&rot.issued) < int64(duration/(3*time.Second)) {
				t.Errorf("credentials were issued %d times in %s; the rotation did not happen", rot.issued, duration)
			}
		})
	}
}

// TestReauthenticationFailureClosesConnection removes the access key a connection
// authenticated with: its re-authentication is refused, the connection is closed, and the
// next request on it fails with the *AuthError.
func TestReauthenticationFailureClosesConnection(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"t"}
		o.Brokers = 1
		o.Partitions = 1
		// Long enough that a loaded CI machine (2 cores, -race, packages in parallel) still
		// re-authenticates before the session ends: the re-authentication is due by half the
		// lifetime at the latest, leaving a second of slack.
		o.SessionLifetime = 2 * time.Second
	})
	c.AddCredentials("AKIAREMOVED000000001", "removed-secret")
	cfg := c.Config()
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIAREMOVED000000001", SecretAccessKey: "removed-secret"}, nil
	})
	mech, err := msk.NewIAMMechanism(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := msk.NewDialer(mech, c.ConnOptions).DialLeader(ctx, "tcp", c.Addrs()[0], "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.WriteMessages(kafka.Message{Value: []byte("before")}); err != nil {
		t.Fatal(err)
	}
	c.RemoveCredentials("AKIAREMOVED000000001")
	// Wait (bounded) for the refused re-authentication to close the connection.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && c.Stats().AuthFailures == 0; {
		time.Sleep(20 * time.Millisecond)
	}
	_, err = conn.WriteMessages(kafka.Message{Value: []byte("after")})
	var ae *msk.AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("write after a refused re-authentication: %v; want an *msk.AuthError", err)
	}
	t.Logf("write error: %v", err)
	if !errors.Is(err, kafka.SASLAuthenticationFailed) {
		t.Errorf("error %v does not wrap kafka.SASLAuthenticationFailed", err)
	}
	if st := c.Stats(); st.ExpiredSessions != 0 {
		t.Errorf("stats %+v: the session was refused at re-authentication, not found expired", st)
	}
}

// A refused authentication reaches the caller of FetchMessage and ReadMessage as the
// *AuthError at once, for partition and group readers, instead of a deadline.
func TestReaderSurfacesAuthError(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"t"}; o.Brokers = 1 })
	bad := c.Config()
	good, err := bad.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bad.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: good.AccessKeyID, SecretAccessKey: "wrong"}, nil
	})
	mech, err := msk.NewIAMMechanism(bad)
	if err != nil {
		t.Fatal(err)
	}
	for _, group := range []string{"", "g"} {
		rc := msk.NewReaderConfig(c.Addrs(), "t", group, mech, c.ConnOptions)
		if group == "" {
			rc.Partition = 0
		}
		r := kafka.NewReader(rc)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		start := time.Now()
		_, err := msk.ReadMessage(ctx, r)
		cancel()
		r.Close()
		var ae *msk.AuthError
		if !errors.As(err, &ae) {
			t.Fatalf("group %q: ReadMessage error %v; want an *msk.AuthError", group, err)
		}
		if wait := time.Since(start); wait > 10*time.Second {
			t.Errorf("group %q: the refusal took %s to surface", group, wait)
		}
		t.Logf("group %q: %v", group, err)
	}
}
