package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/credentials"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// mskStep produces and consumes a few messages with MSK IAM authentication against a local
// MSK whose brokers verify every token, and shows how a wrong secret is refused.
func mskStep(ctx context.Context, w io.Writer, e *env) error {
	local, err := msktest.NewCluster(func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"orders"} })
	if err != nil {
		return err
	}
	defer local.Close()
	fmt.Fprintf(w, "local MSK: %d TLS brokers that accept only MSK IAM (OAUTHBEARER) clients\n", len(local.Addrs()))
	tlsOpts := local.ConnOptions // TLS 1.2+, trusting the local cluster's CA

	// The control plane: find the IAM brokers from the cluster ARN, and the producer's policy.
	arn, err := e.kafka.AddCluster(msktest.ClusterSpec{Name: "quickstart", UUID: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2", Addrs: local.Addrs()})
	if err != nil {
		return err
	}
	found, err := msk.NewBrokerDiscovery(awskafka.NewFromConfig(e.cfg)).Discover(ctx, arn, msk.AuthIAM)
	if err != nil {
		return err
	}
	policy, err := msk.ProducerPolicy(msk.ProducerAccess{ClusterARN: arn, Topics: []string{"orders"}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s cluster, %d IAM brokers; producer policy grants %s on %s\n", found.ClusterType, len(found.Brokers),
		strings.Join(policy.Statements[1].Action, "+"), policy.Statements[1].Resource[0])

	mech, err := msk.NewIAMMechanism(local.Config())
	if err != nil {
		return err
	}
	wr := msk.NewWriter(local.Addrs(), "orders", mech, tlsOpts)
	defer wr.Close()
	const n = 5
	for i := range n {
		m := kafka.Message{Key: []byte("customer-7"), Value: fmt.Appendf(nil, "order-%d", i+1)}
		if err := wr.WriteMessages(ctx, m); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "produced %d messages with RequireAll over IAM\n", n)

	r := kafka.NewReader(msk.NewReaderConfig(local.Addrs(), "orders", "shipping", mech, tlsOpts))
	defer r.Close()
	var values []string
	for range n {
		m, err := msk.ReadMessage(ctx, r) // a refused authentication surfaces as *msk.AuthError
		if err != nil {
			return err
		}
		values = append(values, string(m.Value))
	}
	fmt.Fprintf(w, "consumed %d messages with group \"shipping\": %v\n", len(values), values)

	bad := local.Config()
	good, err := bad.Credentials.Retrieve(ctx)
	if err != nil {
		return err
	}
	bad.Credentials = credentials.NewStaticCredentialsProvider(good.AccessKeyID, "wrong-secret", "")
	badMech, err := msk.NewIAMMechanism(bad)
	if err != nil {
		return err
	}
	_, err = msk.NewDialer(badMech, tlsOpts).DialContext(ctx, "tcp", local.Addrs()[0])
	var ae *msk.AuthError
	if !errors.As(err, &ae) {
		return fmt.Errorf("a wrong secret was not refused: %v", err)
	}
	fmt.Fprintf(w, "wrong secret refused: %s\n", ae.Message)
	return nil
}
