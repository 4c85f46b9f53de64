package msk

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"

	"github.com/datablocks-go/datablocks/msk/msktest"
)

// One local cluster serves both produce benchmarks, so that IAM and plaintext produce are
// compared on the same brokers in one run: it accepts IAM clients and, like an MSK cluster
// with unauthenticated access enabled, clients without SASL. It lives until the test binary
// exits.
var (
	benchOnce    sync.Once
	benchCluster *msktest.Cluster
	benchErr     error
)

func sharedBenchCluster(b *testing.B) *msktest.Cluster {
	benchOnce.Do(func() {
		benchCluster, benchErr = msktest.NewCluster(func(o *msktest.ClusterOptions) {
			o.SeedTopics = []string{"bench-iam", "bench-plaintext", "bench-warmup"}
			o.AllowUnauthenticated = true
		})
		if benchErr == nil {
			benchErr = warmUp(benchCluster)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchCluster
}

// warmUp produces to a third topic first, so that whichever benchmark runs first does not pay
// for the brokers' start-up (heap growth, first segments) and bias the comparison.
func warmUp(c *msktest.Cluster) error {
	w := NewWriter(c.Addrs(), "bench-warmup", nil, c.ConnOptions)
	defer w.Close()
	w.BatchSize = benchBatch
	msgs := make([]kafka.Message, benchBatch)
	for i := range msgs {
		msgs[i] = kafka.Message{Key: []byte("k"), Value: bytes.Repeat([]byte{'x'}, benchValueSize)}
	}
	for range 2000 {
		if err := w.WriteMessages(context.Background(), msgs...); err != nil {
			return err
		}
	}
	return nil
}

const (
	benchBatch     = 100
	benchValueSize = 64
)

// benchmarkProduce measures synchronous RequireAll writes of benchBatch messages once the
// writer is connected (and, with a mechanism, authenticated).
func benchmarkProduce(b *testing.B, topic string, mech sasl.Mechanism) {
	c := sharedBenchCluster(b)
	ctx := context.Background()
	w := NewWriter(c.Addrs(), topic, mech, c.ConnOptions)
	w.BatchSize = benchBatch // one key, so each call fills one batch: one Produce request, no batch timer
	defer w.Close()
	msgs := make([]kafka.Message, benchBatch)
	for i := range msgs {
		msgs[i] = kafka.Message{Key: []byte("k"), Value: bytes.Repeat([]byte{'x'}, benchValueSize)}
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil { // connect and authenticate
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(benchBatch * benchValueSize)
	for b.Loop() {
		if err := w.WriteMessages(ctx, msgs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkProduceIAM produces over IAM-authenticated connections.
func BenchmarkProduceIAM(b *testing.B) {
	c := sharedBenchCluster(b)
	mech, err := NewIAMMechanism(c.Config())
	if err != nil {
		b.Fatal(err)
	}
	benchmarkProduce(b, "bench-iam", mech)
}

// BenchmarkProducePlaintext produces without SASL (PLAINTEXT authentication: TLS, no IAM) to
// the same brokers: the baseline of BenchmarkProduceIAM.
func BenchmarkProducePlaintext(b *testing.B) {
	benchmarkProduce(b, "bench-plaintext", nil)
}

// BenchmarkIAMToken measures one token with cached credentials, with each signer.
func BenchmarkIAMToken(b *testing.B) {
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "session")}
	for name, signer := range map[string]tokenSigner{"msk-signer": signerMSK, "sigv4": signerSigV4} {
		b.Run(name, func(b *testing.B) {
			m, err := NewIAMMechanism(cfg, func(o *Options) { o.signer = signer })
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := m.Token(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkProduceIAMOverPlaintext alternates the writes of BenchmarkProduceIAM and
// BenchmarkProducePlaintext in one loop, so that both see the same machine load, and reports
// the throughput ratio IAM / plaintext (target >= 0.95).
func BenchmarkProduceIAMOverPlaintext(b *testing.B) {
	c := sharedBenchCluster(b)
	mech, err := NewIAMMechanism(c.Config())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	writer := func(topic string, m sasl.Mechanism) *kafka.Writer {
		w := NewWriter(c.Addrs(), topic, m, c.ConnOptions)
		w.BatchSize = benchBatch
		return w
	}
	iam, plain := writer("bench-iam", mech), writer("bench-plaintext", nil)
	defer iam.Close()
	defer plain.Close()
	msgs := make([]kafka.Message, benchBatch)
	for i := range msgs {
		msgs[i] = kafka.Message{Key: []byte("k"), Value: bytes.Repeat([]byte{'x'}, benchValueSize)}
	}
	var tIAM, tPlain time.Duration
	write := func(w *kafka.Writer, total *time.Duration) {
		start := time.Now()
		if err := w.WriteMessages(ctx, msgs...); err != nil {
			b.Fatal(err)
		}
		*total += time.Since(start)
	}
	write(iam, new(time.Duration)) // connect and authenticate
	write(plain, new(time.Duration))
	n := 0
	for b.Loop() {
		if n%2 == 0 { // alternate which goes first
			write(iam, &tIAM)
			write(plain, &tPlain)
		} else {
			write(plain, &tPlain)
			write(iam, &tIAM)
		}
		n++
	}
	msgs2 := float64(n * benchBatch)
	b.ReportMetric(msgs2/tIAM.Seconds(), "iam-msgs/s")
	b.ReportMetric(msgs2/tPlain.Seconds(), "plaintext-msgs/s")
	b.ReportMetric(tPlain.Seconds()/tIAM.Seconds(), "iam/plaintext")
}

// BenchmarkWriteLatencyAcrossReauth measures single-message RequireAll writes on a
// connection whose 2s sessions it re-authenticates in place (KIP-368), alternating with the
// same writes to a cluster whose sessions outlast the benchmark, and reports both p99
// latencies, their ratio (target <= 1.5), and the re-authentications and expired sessions.
func BenchmarkWriteLatencyAcrossReauth(b *testing.B) {
	writer := func(c *msktest.Cluster) *kafka.Writer {
		mech, err := NewIAMMechanism(c.Config())
		if err != nil {
			b.Fatal(err)
		}
		w := NewWriter(c.Addrs(), "lat", mech, c.ConnOptions)
		w.BatchTimeout = time.Microsecond
		return w
	}
	cluster := func(lifetime time.Duration) *msktest.Cluster {
		return msktest.MustCluster(b, func(o *msktest.ClusterOptions) {
			o.Brokers, o.Partitions, o.SeedTopics = 1, 1, []string{"lat"}
			o.SessionLifetime = lifetime
		})
	}
	steadyCluster, reauthCluster := cluster(time.Hour), cluster(2*time.Second)
	steadyW, reauthW := writer(steadyCluster), writer(reauthCluster)
	defer steadyW.Close()
	defer reauthW.Close()
	ctx := context.Background()
	msg := kafka.Message{Key: []byte("k"), Value: bytes.Repeat([]byte{'x'}, benchValueSize)}
	var steady, reauth []time.Duration
	write := func(w *kafka.Writer, lat *[]time.Duration) {
		start := time.Now()
		if err := w.WriteMessages(ctx, msg); err != nil {
			b.Fatal(err)
		}
		*lat = append(*lat, time.Since(start))
	}
	write(steadyW, new([]time.Duration))
	write(reauthW, new([]time.Duration))
	for b.Loop() {
		write(steadyW, &steady)
		write(reauthW, &reauth)
	}
	p99 := func(l []time.Duration) time.Duration { slices.Sort(l); return l[len(l)*99/100] }
	ps, pr := p99(steady), p99(reauth)
	st := reauthCluster.Stats()
	b.ReportMetric(float64(ps.Microseconds()), "steady-p99-µs")
	b.ReportMetric(float64(pr.Microseconds()), "reauth-p99-µs")
	b.ReportMetric(float64(pr)/float64(ps), "p99-ratio")
	b.ReportMetric(float64(st.Reauthentications), "reauths")
	b.ReportMetric(float64(st.ExpiredSessions), "expired")
}
