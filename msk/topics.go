package msk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Defaults of Options.Wait for TopicAdmin, used when the field is zero.
const (
	// defaultTopicMinDelay is the first delay between metadata checks while waiting for leaders.
	defaultTopicMinDelay = 200 * time.Millisecond
	// defaultTopicMaxDelay caps the delay between metadata checks.
	defaultTopicMaxDelay = 5 * time.Second
)

// configSourceDynamicTopic is DescribeConfigs' DYNAMIC_TOPIC_CONFIG source: a topic override.
const configSourceDynamicTopic = 1

// TopicAdmin creates, inspects, changes and deletes topics through the Kafka admin protocol.
// It is safe for concurrent use.
type TopicAdmin struct {
	client TopicsAPIClient
	opts   Options
}

// NewTopicAdmin returns a TopicAdmin calling client, usually a *kafka.Client of
// github.com/segmentio/kafka-go whose Transport authenticates to MSK.
func NewTopicAdmin(client TopicsAPIClient, optFns ...func(*Options)) *TopicAdmin {
	return &TopicAdmin{client: client, opts: configure(Options{}, optFns)}
}

func (a *TopicAdmin) options(optFns []func(*Options)) Options {
	return configure(a.opts, optFns)
}

// TopicSpec is the desired state of a topic.
type TopicSpec struct {
	// Name is the topic name: 1 to 249 characters from [A-Za-z0-9._-].
	Name string
	// Partitions is the partition count, at least 1. An existing topic with fewer partitions
	// grows to it; one with more is an error, since Kafka cannot remove partitions.
	Partitions int
	// ReplicationFactor is the number of replicas of each partition. Zero means the broker's
	// default.replication.factor on creation and no check on an existing topic (MSK Serverless
	// fixes it at 3). A different factor on an existing topic is an error.
	ReplicationFactor int
	// Configs are topic-level configs ("retention.ms", "cleanup.policy", ...). On an existing
	// topic only the keys listed here are compared and changed; other overrides are left alone.
	Configs map[string]string
}

func (s TopicSpec) validate() error {
	if err := ValidateTopicName(s.Name); err != nil {
		return fmt.Errorf("msk: TopicSpec.Name: %w", err)
	}
	if s.Partitions < 1 {
		return fmt.Errorf("msk: TopicSpec.Partitions of topic %q is %d; it must be at least 1", s.Name, s.Partitions)
	}
	if s.ReplicationFactor < 0 {
		return fmt.Errorf("msk: TopicSpec.ReplicationFactor of topic %q is %d; it must be 0 (broker default) or more", s.Name, s.ReplicationFactor)
	}
	for k := range s.Configs {
		if k == "" || strings.ContainsAny(k, " \t\n=") {
			return fmt.Errorf("msk: TopicSpec.Configs key %q of topic %q is empty or contains white space or '='", k, s.Name)
		}
	}
	return nil
}

// TopicChangeError reports a change EnsureTopic refuses to make to an existing topic: shrinking
// its partition count or changing its replication factor. Nothing was changed.
//
// The message also names the topic and the value asked for, which are the caller's TopicSpec.
type TopicChangeError struct {
	// Setting is "Partitions" or "ReplicationFactor".
	Setting string
	// Current is the topic's value of Setting.
	Current int
	// Reason says why the change is refused.
	Reason string

	// topic and requested are the TopicSpec's name and value of Setting.
	topic     string
	requested int
}

// Error names the topic, the setting, both values and why the change is refused.
func (e *TopicChangeError) Error() string {
	return fmt.Sprintf("msk: topic %q: refusing to change %s from %d to %d: %s", e.topic, e.Setting, e.Current, e.requested, e.Reason)
}

// EnsureTopic makes the topic match spec, idempotently. A missing topic is created and
// EnsureTopic waits until every partition has a leader. For an existing topic it checks first
// that the replication factor is unchanged and that the partition count does not shrink
// (returning a *TopicChangeError and changing nothing otherwise), then sets only the configs
// whose values differ, and adds partitions up to spec.Partitions, waiting for their leaders.
//
// The Change says what it did: Created, Unchanged, or Updated with Changed listing the config
// keys it set and "partitions" when it added partitions. When a later step fails after an
// earlier one was applied (configs set, then adding partitions fails), the Change returned
// with the error lists what was applied.
func (a *TopicAdmin) EnsureTopic(ctx context.Context, spec TopicSpec, optFns ...func(*Options)) (datablocks.Change, error) {
	none := datablocks.Change{}
	if err := spec.validate(); err != nil {
		return none, err
	}
	o := a.options(optFns)
	topic, err := a.topicMetadata(ctx, spec.Name)
	if err != nil {
		return none, err
	}
	if topic == nil {
		created, err := a.create(ctx, o, spec)
		if created && err != nil { // created, but its leaders did not come in time
			return datablocks.Change{Action: datablocks.Created}, err
		}
		if err != nil {
			return none, err
		}
		if created {
			return datablocks.Change{Action: datablocks.Created}, nil
		}
		// Someone else created it first (or the metadata cache was stale): converge instead.
		topic, err = a.waitExists(ctx, o, spec.Name)
		if err != nil {
			return none, err
		}
	}
	current := len(topic.Partitions)
	rf := replicationFactor(topic)
	if spec.ReplicationFactor != 0 && spec.ReplicationFactor != rf {
		return none, &TopicChangeError{topic: spec.Name, Setting: "ReplicationFactor", Current: rf, requested: spec.ReplicationFactor,
			Reason: "changing the replication factor needs a partition reassignment, which EnsureTopic does not do"}
	}
	if spec.Partitions < current {
		return none, &TopicChangeError{topic: spec.Name, Setting: "Partitions", Current: current, requested: spec.Partitions,
			Reason: "Kafka cannot remove partitions; create a new topic and migrate to it"}
	}
	res := datablocks.Change{Action: datablocks.Unchanged}
	changed, err := a.configDiff(ctx, spec)
	if err != nil {
		return none, err
	}
	if len(changed) > 0 {
		if err := a.alterConfigs(ctx, spec.Name, spec.Configs, changed); err != nil {
			return none, err
		}
		res = datablocks.Change{Action: datablocks.Updated, Changed: changed}
		if o.Logger != nil {
			o.Logger.DebugContext(ctx, "changed topic configs", "topic", spec.Name, "keys", changed)
		}
	}
	if spec.Partitions > current {
		resp, err := a.client.CreatePartitions(ctx, &kafka.CreatePartitionsRequest{
			Topics: []kafka.TopicPartitionsConfig{{Name: spec.Name, Count: int32(spec.Partitions)}},
		})
		if err == nil {
			err = resp.Errors[spec.Name]
		}
		if err != nil {
			return res, fmt.Errorf("msk: adding partitions to topic %q (%d to %d): %w", spec.Name, current, spec.Partitions, err)
		}
		res.Action = datablocks.Updated
		res.Changed = append(res.Changed, "partitions")
		slices.Sort(res.Changed)
		if o.Logger != nil {
			o.Logger.DebugContext(ctx, "added partitions", "topic", spec.Name, "from", current, "to", spec.Partitions)
		}
		if err := a.waitLeaders(ctx, o, spec.Name, spec.Partitions); err != nil {
			return res, err
		}
	}
	return res, nil
}

// create creates the topic and waits for its leaders. It returns false when the topic
// already existed.
func (a *TopicAdmin) create(ctx context.Context, o Options, spec TopicSpec) (bool, error) {
	rf := spec.ReplicationFactor
	if rf == 0 {
		rf = -1 // the broker's default.replication.factor
	}
	tc := kafka.TopicConfig{Topic: spec.Name, NumPartitions: spec.Partitions, ReplicationFactor: rf}
	for _, k := range slices.Sorted(maps.Keys(spec.Configs)) {
		tc.ConfigEntries = append(tc.ConfigEntries, kafka.ConfigEntry{ConfigName: k, ConfigValue: spec.Configs[k]})
	}
	resp, err := a.client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{tc}})
	if err == nil {
		err = resp.Errors[spec.Name]
	}
	if errors.Is(err, kafka.TopicAlreadyExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("msk: creating topic %q: %w", spec.Name, err)
	}
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "created topic", "topic", spec.Name, "partitions", spec.Partitions, "replicationFactor", spec.ReplicationFactor)
	}
	return true, a.waitLeaders(ctx, o, spec.Name, spec.Partitions)
}

// topicMetadata returns the topic's metadata, or nil when it does not exist.
func (a *TopicAdmin) topicMetadata(ctx context.Context, name string) (*kafka.Topic, error) {
	md, err := a.client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{name}})
	if err != nil {
		return nil, fmt.Errorf("msk: reading metadata of topic %q: %w", name, err)
	}
	for i := range md.Topics {
		t := &md.Topics[i]
		if t.Name != name {
			continue
		}
		if errors.Is(t.Error, kafka.UnknownTopicOrPartition) {
			return nil, nil
		}
		if t.Error != nil && !errors.Is(t.Error, kafka.LeaderNotAvailable) {
			return nil, fmt.Errorf("msk: reading metadata of topic %q: %w", name, t.Error)
		}
		return t, nil
	}
	return nil, nil
}

func (o Options) topicPoll(what string) poll.Options {
	if o.Wait.Logger == nil {
		o.Wait.Logger = o.Logger
	}
	po := withDefaultDelays(poll.FromWait(what, o.Wait), defaultTopicMinDelay, defaultTopicMaxDelay)
	po.Retryable = func(err error) bool {
		var ke kafka.Error
		return poll.IsThrottle(err) || (errors.As(err, &ke) && ke.Temporary())
	}
	return po
}

// waitLeaders waits until the topic has at least n partitions, each with a leader.
func (a *TopicAdmin) waitLeaders(ctx context.Context, o Options, name string, n int) error {
	return waitFor(ctx, o.topicPoll(fmt.Sprintf("topic %q", name)), func(ctx context.Context) (string, bool, error) {
		t, err := a.topicMetadata(ctx, name)
		if err != nil || t == nil {
			return "not in metadata yet", false, err
		}
		led := 0
		for _, p := range t.Partitions {
			if p.Error == nil && p.Leader.Host != "" {
				led++
			}
		}
		state := fmt.Sprintf("%d/%d partitions with a leader", led, n)
		return state, len(t.Partitions) >= n && led == len(t.Partitions), nil
	})
}

// waitExists waits until the topic appears in the (possibly cached) metadata.
func (a *TopicAdmin) waitExists(ctx context.Context, o Options, name string) (*kafka.Topic, error) {
	var topic *kafka.Topic
	err := waitFor(ctx, o.topicPoll(fmt.Sprintf("topic %q", name)), func(ctx context.Context) (string, bool, error) {
		t, err := a.topicMetadata(ctx, name)
		if err != nil || t == nil {
			return "not in metadata yet", false, err
		}
		topic = t
		return "exists", true, nil
	})
	return topic, err
}

func replicationFactor(t *kafka.Topic) int {
	rf := 0
	for _, p := range t.Partitions {
		rf = max(rf, len(p.Replicas))
	}
	return rf
}

// configDiff returns the sorted keys of spec.Configs whose current value differs.
func (a *TopicAdmin) configDiff(ctx context.Context, spec TopicSpec) ([]string, error) {
	if len(spec.Configs) == 0 {
		return nil, nil
	}
	keys := slices.Sorted(maps.Keys(spec.Configs))
	current, err := a.describeConfigs(ctx, spec.Name, keys)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, k := range keys {
		if e, ok := current[k]; !ok || e.ConfigValue != spec.Configs[k] {
			changed = append(changed, k)
		}
	}
	return changed, nil
}

func (a *TopicAdmin) describeConfigs(ctx context.Context, topic string, keys []string) (map[string]kafka.DescribeConfigResponseConfigEntry, error) {
	resp, err := a.client.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{
		Resources: []kafka.DescribeConfigRequestResource{{ResourceType: kafka.ResourceTypeTopic, ResourceName: topic, ConfigNames: keys}},
	})
	if err != nil {
		return nil, fmt.Errorf("msk: describing configs of topic %q: %w", topic, err)
	}
	out := map[string]kafka.DescribeConfigResponseConfigEntry{}
	for _, r := range resp.Resources {
		if r.ResourceName != topic {
			continue
		}
		if r.Error != nil {
			return nil, fmt.Errorf("msk: describing configs of topic %q: %w", topic, r.Error)
		}
		for _, e := range r.ConfigEntries {
			out[e.ConfigName] = e
		}
	}
	return out, nil
}

func (a *TopicAdmin) alterConfigs(ctx context.Context, topic string, configs map[string]string, keys []string) error {
	res := kafka.IncrementalAlterConfigsRequestResource{ResourceType: kafka.ResourceTypeTopic, ResourceName: topic}
	for _, k := range keys {
		res.Configs = append(res.Configs, kafka.IncrementalAlterConfigsRequestConfig{Name: k, Value: configs[k], ConfigOperation: kafka.ConfigOperationSet})
	}
	resp, err := a.client.IncrementalAlterConfigs(ctx, &kafka.IncrementalAlterConfigsRequest{Resources: []kafka.IncrementalAlterConfigsRequestResource{res}})
	if err == nil {
		for _, r := range resp.Resources {
			if r.Error != nil {
				err = r.Error
				break
			}
		}
	}
	if err != nil {
		return fmt.Errorf("msk: setting configs %s of topic %q: %w", strings.Join(keys, ", "), topic, err)
	}
	return nil
}

// DescribeTopic returns the topic's current state as the TopicSpec EnsureTopic would keep it
// in: its partition count, replication factor and config overrides (DYNAMIC_TOPIC_CONFIG,
// without broker defaults). A missing topic is an error matching kafka.UnknownTopicOrPartition
// with errors.Is. For partition leaders and in-sync replicas, ask the client's Metadata.
func (a *TopicAdmin) DescribeTopic(ctx context.Context, name string, optFns ...func(*Options)) (*TopicSpec, error) {
	o := a.options(optFns)
	if err := ValidateTopicName(name); err != nil {
		return nil, fmt.Errorf("msk: DescribeTopic: %w", err)
	}
	t, err := a.topicMetadata(ctx, name)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, fmt.Errorf("msk: topic %q: %w", name, kafka.UnknownTopicOrPartition)
	}
	d := &TopicSpec{Name: name, Partitions: len(t.Partitions), ReplicationFactor: replicationFactor(t), Configs: map[string]string{}}
	entries, err := a.describeConfigs(ctx, name, nil)
	if err != nil {
		return nil, err
	}
	for k, e := range entries {
		if e.ConfigSource == configSourceDynamicTopic || (e.ConfigSource == 0 && !e.IsDefault) {
			d.Configs[k] = e.ConfigValue
		}
	}
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "described topic", "topic", name, "partitions", d.Partitions)
	}
	return d, nil
}

// ListTopics returns the names of the cluster's topics, sorted, without internal topics:
// those the broker flags internal and those whose names start with "__", such as
// __consumer_offsets and MSK's __amazon_msk_canary.
func (a *TopicAdmin) ListTopics(ctx context.Context, optFns ...func(*Options)) ([]string, error) {
	o := a.options(optFns)
	md, err := a.client.Metadata(ctx, &kafka.MetadataRequest{})
	if err != nil {
		return nil, fmt.Errorf("msk: listing topics: %w", err)
	}
	var names []string
	for _, t := range md.Topics {
		if t.Error == nil && !t.Internal && !strings.HasPrefix(t.Name, "__") {
			names = append(names, t.Name)
		}
	}
	slices.Sort(names)
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "listed topics", "count", len(names))
	}
	return names, nil
}

// DeleteTopic deletes the topic. Deleting a topic that does not exist succeeds, so a retried
// delete converges.
func (a *TopicAdmin) DeleteTopic(ctx context.Context, name string, optFns ...func(*Options)) error {
	o := a.options(optFns)
	if err := ValidateTopicName(name); err != nil {
		return fmt.Errorf("msk: DeleteTopic: %w", err)
	}
	resp, err := a.client.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: []string{name}})
	if err == nil {
		err = resp.Errors[name]
	}
	if err != nil && !errors.Is(err, kafka.UnknownTopicOrPartition) {
		return fmt.Errorf("msk: deleting topic %q: %w", name, err)
	}
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "deleted topic", "topic", name)
	}
	return nil
}
