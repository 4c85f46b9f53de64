package msk_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// Produce and consume with MSK IAM authentication. Against MSK, pass the aws.Config from
// config.LoadDefaultConfig and the cluster's BootstrapBrokerStringSaslIam, and no client
// options: TLS with the system roots is the default.
func ExampleNewIAMMechanism() {
	local, err := msktest.NewCluster(func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"orders"}
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer local.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	mech, err := msk.NewIAMMechanism(local.Config()) // credentials cached, region required
	if err != nil {
		fmt.Println(err)
		return
	}
	trustLocalCA := local.ConnOptions // msktest only: its brokers use a CA of their own
	w := msk.NewWriter(local.Addrs(), "orders", mech, trustLocalCA)
	defer w.Close()
	for _, id := range []string{"order-1", "order-2", "order-3"} {
		if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("customer-42"), Value: []byte(id)}); err != nil {
			fmt.Println(err)
			return
		}
	}
	r := kafka.NewReader(msk.NewReaderConfig(local.Addrs(), "orders", "shipping", mech, trustLocalCA))
	defer r.Close()
	for range 3 {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("consumed", string(m.Value))
	}
	st := local.Stats()
	fmt.Println("authenticated with MSK IAM:", st.IAMAuthentications > 0, "refused:", st.AuthFailures+st.Unauthenticated)
	// Output:
	// consumed order-1
	// consumed order-2
	// consumed order-3
	// authenticated with MSK IAM: true refused: 0
}

// From an aws.Config and a broker list to a producer and a consumer: one IAM mechanism
// serves both.
func ExampleNewWriter() {
	local, err := msktest.NewCluster(func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"clicks"} })
	if err != nil {
		fmt.Println(err)
		return
	}
	defer local.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, brokers := local.Config(), local.Addrs() // MSK: config.LoadDefaultConfig(ctx), port 9098 brokers
	trustLocalCA := local.ConnOptions             // msktest only: its brokers use a CA of their own

	mech, err := msk.NewIAMMechanism(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	w := msk.NewWriter(brokers, "clicks", mech, trustLocalCA)
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Value: []byte("home")}); err != nil {
		fmt.Println(err)
		return
	}
	r := kafka.NewReader(msk.NewReaderConfig(brokers, "clicks", "analytics", mech, trustLocalCA))
	defer r.Close()
	m, err := msk.ReadMessage(ctx, r)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("consumed", string(m.Value))
	// Output: consumed home
}

// exampleSecrets stands in for *secretsmanager.Client.
type exampleSecrets map[string]string

func (s exampleSecrets) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	return &secretsmanager.GetSecretValueOutput{SecretString: aws.String(s[aws.ToString(in.SecretId)])}, nil
}

// SCRAM-SHA-512 with credentials from a Secrets Manager secret whose name starts with
// AmazonMSK_. Against MSK, pass secretsmanager.NewFromConfig(cfg).
func ExampleNewSCRAMMechanism() {
	local, err := msktest.NewCluster(func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"orders"}
		o.SCRAMUsers = map[string]string{"orders-app": "s3cret-pw"}
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer local.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	secrets := exampleSecrets{"AmazonMSK_orders": `{"username":"orders-app","password":"s3cret-pw"}`}

	mech, err := msk.NewSCRAMMechanism(ctx, secrets, "AmazonMSK_orders")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(mech) // the password is never printed
	w := msk.NewWriter(local.Addrs(), "orders", mech, local.ConnOptions)
	defer w.Close()
	fmt.Println("write error:", w.WriteMessages(ctx, kafka.Message{Value: []byte("o-1")}))

	_, err = msk.NewSCRAMMechanism(ctx, secrets, "orders")
	fmt.Println(err)
	// Output:
	// SCRAM-SHA-512(user=orders-app, secret=AmazonMSK_orders)
	// write error: <nil>
	// msk: SCRAM secret name "orders" does not start with "AmazonMSK_", which MSK requires of SCRAM secrets
}

// Sign a token for another Kafka client (such as librdkafka's OAUTHBEARER token refresh).
// Here it is signed in the China partition. The token is a bearer credential: never print
// it; the mechanism prints without credentials.
func ExampleIAMMechanism_Token() {
	cfg := aws.Config{Region: "cn-north-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	mech, err := msk.NewIAMMechanism(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	token, expires, err := mech.Token(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(mech)
	fmt.Println("token signed:", len(token) > 0, "valid for", time.Until(expires).Round(time.Minute))
	// Output:
	// msk.IAMMechanism{Region: "cn-north-1", Host: "kafka.cn-north-1.amazonaws.com.cn"}
	// token signed: true valid for 15m0s
}

// A refused authentication is an *AuthError naming the mechanism, the broker and the
// broker's reason.
func ExampleAuthError() {
	local, err := msktest.NewCluster(func(o *msktest.ClusterOptions) { o.Brokers = 1 })
	if err != nil {
		fmt.Println(err)
		return
	}
	defer local.Close()
	cfg := local.Config()
	good, _ := cfg.Credentials.Retrieve(context.Background())
	cfg.Credentials = credentials.NewStaticCredentialsProvider(good.AccessKeyID, "wrong-secret", "")
	mech, err := msk.NewIAMMechanism(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = msk.NewDialer(mech, local.ConnOptions).
		DialContext(context.Background(), "tcp", local.Addrs()[0])
	var ae *msk.AuthError
	if errors.As(err, &ae) {
		fmt.Println(ae.Mechanism, "refused:", ae.Message)
		fmt.Println("SASL authentication failed:", errors.Is(err, kafka.SASLAuthenticationFailed))
	}
	// Output:
	// MSK IAM refused: MSK IAM token signature does not match for access key AKIAMSKTESTEXAMPLE01 (wrong secret key, or the token was altered after signing)
	// SASL authentication failed: true
}
