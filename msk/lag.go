package msk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/segmentio/kafka-go"
)

// LagAPIClient is the part of the kafka-go admin client (*kafka.Client) that ConsumerLag
// calls: OffsetFetch goes to the group's coordinator, ListOffsets to each partition's leader.
type LagAPIClient interface {
	Metadata(ctx context.Context, req *kafka.MetadataRequest) (*kafka.MetadataResponse, error)
	OffsetFetch(ctx context.Context, req *kafka.OffsetFetchRequest) (*kafka.OffsetFetchResponse, error)
	ListOffsets(ctx context.Context, req *kafka.ListOffsetsRequest) (*kafka.ListOffsetsResponse, error)
}

var _ LagAPIClient = (*kafka.Client)(nil)

// PartitionLag is a consumer group's position in one partition.
type PartitionLag struct {
	Topic     string
	Partition int
	// Committed is the group's committed offset (the next offset it will read), -1 when the
	// group has committed none in this partition.
	Committed int64
	// Start and End are the partition's first offset and its end offset (the offset the
	// next record will get).
	Start, End int64
	// Lag is End - Committed: the records the group has yet to process. Without a committed
	// offset it is End - Start, what a group that starts at the earliest offset (as
	// NewReaderConfig's readers do) has to read.
	Lag int64
}

// GroupLag is a consumer group's lag in every partition it was asked about.
type GroupLag struct {
	// Partitions are sorted by topic, then partition.
	Partitions []PartitionLag
	// Total is the sum of the partitions' Lag.
	Total int64
}

// ConsumerLag reads a consumer group's lag through the brokers: for each partition of the
// topics, the group's committed offset (OffsetFetch) against the partition's end offset
// (ListOffsets). With no topics it covers the topics the group has committed offsets for.
// The offsets are read at slightly different instants, so on a busy partition Lag is an
// estimate, never negative. The client needs the permissions of AdminPolicy's DescribeTopic
// and of ConsumerPolicy's DescribeGroup (kafka-cluster:DescribeTopic, DescribeGroup).
func ConsumerLag(ctx context.Context, client LagAPIClient, group string, topics ...string) (*GroupLag, error) {
	if client == nil {
		return nil, errors.New("msk: ConsumerLag needs a client")
	}
	if group == "" {
		return nil, errors.New("msk: ConsumerLag: group is required")
	}
	for _, t := range topics {
		if err := ValidateTopicName(t); err != nil {
			return nil, fmt.Errorf("msk: ConsumerLag: %w", err)
		}
	}
	req := &kafka.OffsetFetchRequest{GroupID: group}
	if len(topics) > 0 {
		meta, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
		if err != nil {
			return nil, fmt.Errorf("msk: ConsumerLag: reading metadata of %v: %w", topics, err)
		}
		req.Topics = map[string][]int{}
		for _, t := range meta.Topics {
			if t.Error != nil {
				return nil, fmt.Errorf("msk: ConsumerLag: topic %q: %w", t.Name, t.Error)
			}
			for _, p := range t.Partitions {
				req.Topics[t.Name] = append(req.Topics[t.Name], p.ID)
			}
		}
	}
	committed, err := client.OffsetFetch(ctx, req)
	if err == nil {
		err = committed.Error
	}
	if errors.Is(err, kafka.GroupIdNotFound) {
		// Newer brokers answer so for a group that never committed; older ones with -1
		// offsets. Both mean: nothing committed.
		err = nil
		committed = &kafka.OffsetFetchResponse{Topics: map[string][]kafka.OffsetFetchPartition{}}
		for topic, ps := range req.Topics {
			for _, p := range ps {
				committed.Topics[topic] = append(committed.Topics[topic], kafka.OffsetFetchPartition{Partition: p, CommittedOffset: -1})
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("msk: ConsumerLag: fetching the committed offsets of group %q: %w", group, err)
	}
	out := &GroupLag{}
	offsets := map[string][]kafka.OffsetRequest{}
	for _, topic := range slices.Sorted(maps.Keys(committed.Topics)) {
		for _, p := range committed.Topics[topic] {
			if p.Error != nil {
				return nil, fmt.Errorf("msk: ConsumerLag: group %q, topic %q partition %d: %w", group, topic, p.Partition, p.Error)
			}
			offsets[topic] = append(offsets[topic], kafka.FirstOffsetOf(p.Partition), kafka.LastOffsetOf(p.Partition))
			out.Partitions = append(out.Partitions, PartitionLag{Topic: topic, Partition: p.Partition, Committed: max(p.CommittedOffset, -1)})
		}
	}
	if len(out.Partitions) == 0 {
		return out, nil
	}
	ends, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: offsets})
	if err != nil {
		return nil, fmt.Errorf("msk: ConsumerLag: listing offsets: %w", err)
	}
	type key struct {
		topic     string
		partition int
	}
	found := map[key]kafka.PartitionOffsets{}
	for topic, ps := range ends.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return nil, fmt.Errorf("msk: ConsumerLag: offsets of topic %q partition %d: %w", topic, p.Partition, p.Error)
			}
			found[key{topic, p.Partition}] = p
		}
	}
	for i := range out.Partitions {
		pl := &out.Partitions[i]
		po, ok := found[key{pl.Topic, pl.Partition}]
		if !ok {
			return nil, fmt.Errorf("msk: ConsumerLag: no offsets for topic %q partition %d", pl.Topic, pl.Partition)
		}
		pl.Start, pl.End = po.FirstOffset, po.LastOffset
		from := pl.Committed
		if from < 0 {
			from = pl.Start
		}
		pl.Lag = max(pl.End-from, 0)
		out.Total += pl.Lag
	}
	slices.SortFunc(out.Partitions, func(a, b PartitionLag) int {
		return cmp.Or(cmp.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	return out, nil
}
