package msk_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// TestConsumerLag produces a known number of records per partition, lets a group commit a
// known number of them, and checks the lag of each partition: produced - committed.
func TestConsumerLag(t *testing.T) {
	const partitions = 3
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"orders", "other"}; o.Partitions = partitions })
	mech, err := msk.NewIAMMechanism(c.Config())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Partition p gets 10+p records: written straight to each leader.
	produced := map[int]int64{}
	for p := range partitions {
		conn, err := msk.NewDialer(mech, c.ConnOptions).DialLeader(ctx, "tcp", c.Addrs()[0], "orders", p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 10 + p {
			if _, err := conn.WriteMessages(kafka.Message{Value: []byte{byte(i)}}); err != nil {
				t.Fatal(err)
			}
		}
		conn.Close()
		produced[p] = int64(10 + p)
	}
	client := &kafka.Client{Addr: kafka.TCP(c.Addrs()...), Transport: msk.NewTransport(mech, c.ConnOptions)}
	defer client.Transport.(*kafka.Transport).CloseIdleConnections()

	// Before the group exists: nothing committed, everything to read.
	lag, err := msk.ConsumerLag(ctx, client, "billing", "orders")
	if err != nil {
		t.Fatal(err)
	}
	want := &msk.GroupLag{}
	for p := range partitions {
		want.Partitions = append(want.Partitions, msk.PartitionLag{Topic: "orders", Partition: p, Committed: -1, Start: 0, End: produced[p], Lag: produced[p]})
		want.Total += produced[p]
	}
	if diff := cmp.Diff(want, lag); diff != "" {
		t.Errorf("lag before the group consumed (-want +got):\n%s", diff)
	}

	// Commit 3 records of partition 0 and 5 of partition 2 (offsets are the next to read).
	commits := map[int]int64{0: 3, 2: 5}
	gen, err := client.OffsetCommit(ctx, &kafka.OffsetCommitRequest{GroupID: "billing", GenerationID: -1, Topics: map[string][]kafka.OffsetCommit{
		"orders": {{Partition: 0, Offset: commits[0]}, {Partition: 2, Offset: commits[2]}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ps := range gen.Topics {
		for _, p := range ps {
			if p.Error != nil {
				t.Fatal(p.Error)
			}
		}
	}
	lag, err = msk.ConsumerLag(ctx, client, "billing") // the group's own topics
	if err != nil {
		t.Fatal(err)
	}
	want = &msk.GroupLag{Partitions: []msk.PartitionLag{
		{Topic: "orders", Partition: 0, Committed: 3, End: 10, Lag: 7},
		{Topic: "orders", Partition: 2, Committed: 5, End: 12, Lag: 7},
	}, Total: 14}
	if diff := cmp.Diff(want, lag); diff != "" {
		t.Errorf("lag after commits (-want +got):\n%s", diff)
	}

	if _, err := msk.ConsumerLag(ctx, client, ""); err == nil {
		t.Error("empty group accepted")
	}
	if _, err := msk.ConsumerLag(ctx, client, "g", "bad topic"); err == nil {
		t.Error("invalid topic name accepted")
	}
}
