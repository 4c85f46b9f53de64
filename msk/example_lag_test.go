package msk_test

import (
	"context"
	"fmt"

	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// Read a consumer group's lag: records produced but not yet committed by the group.
func ExampleConsumerLag() {
	local, err := msktest.NewCluster(func(o *msktest.ClusterOptions) {
		o.SeedTopics, o.Partitions, o.Brokers = []string{"orders"}, 1, 1
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer local.Close()
	ctx := context.Background()
	mech, _ := msk.NewIAMMechanism(local.Config())
	w := msk.NewWriter(local.Addrs(), "orders", mech, local.ConnOptions)
	defer w.Close()
	for _, v := range []string{"o-1", "o-2", "o-3", "o-4", "o-5"} {
		if err := w.WriteMessages(ctx, kafka.Message{Value: []byte(v)}); err != nil {
			fmt.Println(err)
			return
		}
	}
	r := kafka.NewReader(msk.NewReaderConfig(local.Addrs(), "orders", "billing", mech, local.ConnOptions))
	defer r.Close()
	for range 2 {
		if _, err := msk.ReadMessage(ctx, r); err != nil { // reads and commits
			fmt.Println(err)
			return
		}
	}
	admin := &kafka.Client{Addr: kafka.TCP(local.Addrs()...), Transport: msk.NewTransport(mech, local.ConnOptions)}
	lag, err := msk.ConsumerLag(ctx, admin, "billing", "orders")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range lag.Partitions {
		fmt.Printf("%s/%d committed %d of %d: lag %d\n", p.Topic, p.Partition, p.Committed, p.End, p.Lag)
	}
	// Output:
	// orders/0 committed 2 of 5: lag 3
}
