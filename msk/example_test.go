package msk_test

import (
	"context"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

func ExampleBrokerDiscovery_Discover() {
	// In production: awskafka.NewFromConfig(cfg) instead of the fake.
	cp := msktest.NewControlPlane()
	arn, err := cp.AddCluster(msktest.ClusterSpec{Name: "orders", UUID: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2", IAM: true, SCRAM: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := msk.NewBrokerDiscovery(cp)
	b, err := d.Discover(context.Background(), arn, msk.AuthIAM)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.ClusterType, b.Brokers[0])
	_, err = d.Discover(context.Background(), arn, msk.AuthTLS)
	fmt.Println(err != nil)
	// Output:
	// PROVISIONED b-1.orders.0a1b2c.c2.kafka.eu-west-1.amazonaws.com:9098
	// true
}

func ExampleProducerPolicy() {
	p, err := msk.ProducerPolicy(msk.ProducerAccess{
		ClusterARN: "arn:aws:kafka:eu-west-1:111122223333:cluster/orders/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2",
		Topics:     []string{"orders"},
		Idempotent: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p)
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "MSKConnect",
	//       "Effect": "Allow",
	//       "Action": [
	//         "kafka-cluster:Connect",
	//         "kafka-cluster:WriteDataIdempotently"
	//       ],
	//       "Resource": "arn:aws:kafka:eu-west-1:111122223333:cluster/orders/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2"
	//     },
	//     {
	//       "Sid": "MSKWriteTopics",
	//       "Effect": "Allow",
	//       "Action": [
	//         "kafka-cluster:DescribeTopic",
	//         "kafka-cluster:WriteData"
	//       ],
	//       "Resource": "arn:aws:kafka:eu-west-1:111122223333:topic/orders/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2/orders"
	//     }
	//   ]
	// }
}

func ExampleClusterPolicies_GrantConsumer() {
	clock := datablocks.NewManualClock(time.Time{})
	cp := msktest.NewControlPlane(func(o *msktest.Options) { o.Clock = clock })
	arn, err := cp.AddCluster(msktest.ClusterSpec{Name: "orders", AccountID: "111122223333"})
	if err != nil {
		fmt.Println(err)
		return
	}
	policies := msk.NewClusterPolicies(cp, func(o *msk.Options) { o.Retry.Clock = clock })
	access := msk.ConsumerAccess{ClusterARN: arn, Topics: []string{"orders"}}
	for range 2 {
		res, err := policies.GrantConsumer(context.Background(), "AnalyticsConsume", []string{"444455556666"}, access)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("grant:", res)
	}
	res, err := policies.Revoke(context.Background(), arn, "AnalyticsConsume")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("revoke:", res)
	// Output:
	// grant: created
	// grant: unchanged
	// revoke: deleted
}

func ExampleMirrorMaker2() {
	c, err := msk.MirrorMaker2(msk.MirrorMakerConfig{
		SourceBootstrapServers: "b-1.src.abc.c2.kafka.eu-west-1.amazonaws.com:9098",
		TargetBootstrapServers: "b-1.dst.def.c2.kafka.eu-west-1.amazonaws.com:9098",
		SourcePartitions:       180,
		SourceTasks:            24,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Source["tasks.max"], c.Checkpoint["tasks.max"], c.Heartbeat["tasks.max"])
	fmt.Println(c.Source["target.cluster.sasl.mechanism"])
	fmt.Println(len(c.Warnings))
	// Output:
	// 24 1 1
	// AWS_MSK_IAM
	// 1
}

func ExampleTopicAdmin_EnsureTopic() {
	// A local Kafka cluster stands in for MSK; for MSK, give the client a Transport with
	// SASL (NewTransport) and the brokers from BrokerDiscovery.
	cluster, err := kfake.NewCluster(kfake.NumBrokers(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cluster.Close()
	client := &kafka.Client{Addr: kafka.TCP(cluster.ListenAddrs()...), Transport: &kafka.Transport{MetadataTTL: 20 * time.Millisecond}}
	admin := msk.NewTopicAdmin(client, func(o *msk.Options) {
		o.Wait.MinDelay, o.Wait.MaxDelay, o.Wait.Timeout = 5*time.Millisecond, 20*time.Millisecond, 30*time.Second
	})
	spec := msk.TopicSpec{Name: "orders", Partitions: 3, ReplicationFactor: 3, Configs: map[string]string{"retention.ms": "86400000"}}
	for _, partitions := range []int{3, 3, 6} {
		spec.Partitions = partitions
		res, err := admin.EnsureTopic(context.Background(), spec)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res)
	}
	spec.Partitions = 2
	_, err = admin.EnsureTopic(context.Background(), spec)
	fmt.Println(err)
	// Output:
	// created
	// unchanged
	// updated (partitions)
	// msk: topic "orders": refusing to change Partitions from 6 to 2: Kafka cannot remove partitions; create a new topic and migrate to it
}
