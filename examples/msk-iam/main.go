// Command msk-iam produces and consumes Kafka messages with MSK IAM authentication through
// kafka-go. It builds every client from one aws.Config: by default the config of a local AWS
// endpoint (package localaws) serving the MSK control-plane fake, whose cluster's brokers are
// a local MSK (msktest: three in-process TLS brokers that verify every IAM token); with -aws
// the config comes from config.LoadDefaultConfig (the usual credential chain), in the
// cluster's region taken from its ARN. The same code path runs in both: discover the IAM
// brokers from the cluster ARN, sign tokens from the config's credentials, produce, consume
// with a group and commit with msk.CommitMessages.
//
//	go run ./examples/msk-iam
//	go run ./examples/msk-iam -aws -cluster-arn arn:aws:kafka:eu-west-1:123456789012:cluster/demo/abcd1234-... -topic orders
//
// Against AWS the topic must exist (MSK does not create topics on first use by default) and
// the caller needs kafka-cluster:Connect, DescribeTopic, WriteData, ReadData, AlterGroup and
// DescribeGroup, plus kafka:DescribeClusterV2 and kafka:GetBootstrapBrokers.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

type options struct {
	aws        bool
	clusterARN string
	public     bool
	topic      string
	group      string
	messages   int
}

func main() {
	var o options
	flag.BoolVar(&o.aws, "aws", false, "run against a real MSK cluster instead of the local one")
	flag.StringVar(&o.clusterARN, "cluster-arn", "", "ARN of the MSK cluster (with -aws)")
	flag.BoolVar(&o.public, "public", false, "use the public IAM brokers (port 9198) (with -aws)")
	flag.StringVar(&o.topic, "topic", "datablocks-msk-iam", "topic to produce to and consume from")
	flag.StringVar(&o.group, "group", "datablocks-msk-iam", "consumer group")
	flag.IntVar(&o.messages, "messages", 1000, "number of messages")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "msk-iam:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, o options) error {
	if o.messages <= 0 {
		return errors.New("-messages must be positive")
	}
	var (
		cfg    aws.Config
		client []func(*msk.ConnOptions) // -aws: none; MSK's certificates chain to public roots
	)
	if o.aws {
		if o.clusterARN == "" {
			return errors.New("-aws needs -cluster-arn")
		}
		a, err := msk.ParseClusterARN(o.clusterARN)
		if err != nil {
			return err
		}
		// Tokens must be signed for the cluster's region, whatever the default region is.
		if cfg, err = config.LoadDefaultConfig(ctx, config.WithRegion(a.Region)); err != nil {
			return err
		}
	} else {
		local, err := startLocal(o.topic)
		if err != nil {
			return err
		}
		defer local.close()
		cfg, o.clusterARN = local.cfg, local.clusterARN
		client = append(client, local.cluster.ConnOptions) // trust the local brokers' CA
		fmt.Fprintf(out, "local MSK: %d TLS brokers in %s that accept only MSK IAM, behind a local AWS endpoint\n", len(local.cluster.Addrs()), cfg.Region)
		defer func() {
			st := local.cluster.Stats()
			fmt.Fprintf(out, "local MSK saw %d connections, %d IAM authentications, %d refusals, %d expired sessions\n",
				st.Connections, st.IAMAuthentications, st.AuthFailures+st.Unauthenticated, st.ExpiredSessions)
		}()
	}

	boot, err := msk.NewBrokerDiscovery(awskafka.NewFromConfig(cfg)).Discover(ctx, o.clusterARN, msk.AuthIAM,
		func(bo *msk.Options) { bo.Public = o.public })
	if err != nil {
		return err
	}
	brokers := boot.Brokers
	fmt.Fprintf(out, "MSK cluster %s: %d IAM brokers\n", o.clusterARN, len(brokers))

	mech, err := msk.NewIAMMechanism(cfg)
	if err != nil {
		return err
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36) // tells this run's messages from older ones
	w := msk.NewWriter(brokers, o.topic, mech, client...)
	defer w.Close()
	start := time.Now()
	batch := make([]kafka.Message, 0, 100)
	for i := range o.messages {
		key := fmt.Sprintf("%s-%06d", run, i)
		batch = append(batch, kafka.Message{Key: []byte(key), Value: []byte("message " + strconv.Itoa(i))})
		if len(batch) == cap(batch) || i == o.messages-1 {
			if err := w.WriteMessages(ctx, batch...); err != nil {
				return fmt.Errorf("producing: %w", err)
			}
			batch = batch[:0]
		}
	}
	fmt.Fprintf(out, "produced %d messages to %q with RequireAll in %s\n", o.messages, o.topic, time.Since(start).Round(time.Millisecond))

	rc := msk.NewReaderConfig(brokers, o.topic, o.group, mech, client...)
	rc.MaxWait = 100 * time.Millisecond
	r := kafka.NewReader(rc)
	defer r.Close()
	start = time.Now()
	seen := make(map[string]bool, o.messages)
	lastByPartition := map[int]int{} // the index of the last message of this run per partition
	inOrder := true
	for len(seen) < o.messages {
		m, err := msk.FetchMessage(ctx, r) // a refused authentication surfaces as *msk.AuthError
		if err != nil {
			return fmt.Errorf("consuming after %d of %d messages: %w", len(seen), o.messages, err)
		}
		if suffix, ours := strings.CutPrefix(string(m.Key), run+"-"); ours {
			i, err := strconv.Atoi(suffix)
			if err != nil {
				return fmt.Errorf("message key %q of this run has no index", m.Key)
			}
			if last, ok := lastByPartition[m.Partition]; ok && i <= last {
				inOrder = false
			}
			lastByPartition[m.Partition], seen[string(m.Key)] = i, true
		}
		if err := msk.CommitMessages(ctx, r, m); err != nil {
			return fmt.Errorf("committing: %w", err)
		}
	}
	fmt.Fprintf(out, "consumed %d messages with group %q in %s, in order per partition: %v\n",
		len(seen), o.group, time.Since(start).Round(time.Millisecond), inOrder)
	return nil
}

// local is the local stand-in for AWS: a local MSK cluster, the MSK control-plane fake that
// knows it, and a local AWS endpoint serving the fake, whose credentials the cluster accepts.
type local struct {
	cluster    *msktest.Cluster
	srv        *localaws.Server
	cfg        aws.Config
	clusterARN string
}

func startLocal(topic string) (*local, error) {
	cp := msktest.NewControlPlane()
	srv, err := localaws.Start([]localaws.Service{cp.Service()})
	if err != nil {
		return nil, err
	}
	cfg := srv.Config()
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		srv.Close()
		return nil, err
	}
	cluster, err := msktest.NewCluster(func(mo *msktest.ClusterOptions) {
		mo.SeedTopics = []string{topic}
		mo.Region = cfg.Region
		mo.Credentials = map[string]string{creds.AccessKeyID: creds.SecretAccessKey}
	})
	if err != nil {
		srv.Close()
		return nil, err
	}
	arn, err := cp.AddCluster(msktest.ClusterSpec{Name: "msk-iam-example", Region: cfg.Region, Addrs: cluster.Addrs()})
	if err != nil {
		cluster.Close()
		srv.Close()
		return nil, err
	}
	return &local{cluster: cluster, srv: srv, cfg: cfg, clusterARN: arn}, nil
}

func (l *local) close() {
	l.cluster.Close()
	l.srv.Close()
}
