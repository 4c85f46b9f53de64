package msk

import (
	"bytes"
	"context"
	"sync"
	"testing"

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

// BenchmarkProducePlaintext produces over unauthenticated connections to the same brokers.
func BenchmarkProducePlaintext(b *testing.B) {
	benchmarkProduce(b, "bench-plaintext", nil)
}

// BenchmarkIAMToken measures one token with cached credentials, with each signer.
func BenchmarkIAMToken(b *testing.B) {
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "session")}
	for name, signer := range map[string]tokenSigner{"msk-signer": signerMSK, "sigv4": signerSigV4} {
		b.Run(name, func(b *testing.B) {
			m, err := NewIAMMechanism(cfg, func(o *IAMMechanismOptions) { o.signer = signer })
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
