package msk_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/msk"
)

// newKafka starts a plaintext 3-broker kfake cluster and a kafka-go admin client for it. The
// transport's metadata cache expires fast so waits after adding partitions end quickly.
func newKafka(t *testing.T, opts ...kfake.Opt) *kafka.Client {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(3)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	tr := &kafka.Transport{MetadataTTL: 20 * time.Millisecond}
	t.Cleanup(tr.CloseIdleConnections)
	return &kafka.Client{Addr: kafka.TCP(c.ListenAddrs()...), Transport: tr, Timeout: 10 * time.Second}
}

// recordingTopics counts the admin requests a TopicAdmin makes.
type recordingTopics struct {
	msk.TopicsAPIClient
	mu       sync.Mutex
	ops      []string
	alters   []kafka.IncrementalAlterConfigsRequestConfig
	hideOnce bool // report the topic missing from the next Metadata call
}

func (r *recordingTopics) record(op string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops = append(r.ops, op)
}

func (r *recordingTopics) Ops() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ops...)
}

func (r *recordingTopics) Metadata(ctx context.Context, req *kafka.MetadataRequest) (*kafka.MetadataResponse, error) {
	r.record("Metadata")
	resp, err := r.TopicsAPIClient.Metadata(ctx, req)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil && r.hideOnce {
		r.hideOnce = false
		for i := range resp.Topics {
			resp.Topics[i] = kafka.Topic{Name: resp.Topics[i].Name, Error: kafka.UnknownTopicOrPartition}
		}
	}
	return resp, err
}

func (r *recordingTopics) CreateTopics(ctx context.Context, req *kafka.CreateTopicsRequest) (*kafka.CreateTopicsResponse, error) {
	r.record("CreateTopics")
	return r.TopicsAPIClient.CreateTopics(ctx, req)
}

func (r *recordingTopics) CreatePartitions(ctx context.Context, req *kafka.CreatePartitionsRequest) (*kafka.CreatePartitionsResponse, error) {
	r.record("CreatePartitions")
	return r.TopicsAPIClient.CreatePartitions(ctx, req)
}

func (r *recordingTopics) IncrementalAlterConfigs(ctx context.Context, req *kafka.IncrementalAlterConfigsRequest) (*kafka.IncrementalAlterConfigsResponse, error) {
	r.record("IncrementalAlterConfigs")
	r.mu.Lock()
	for _, res := range req.Resources {
		r.alters = append(r.alters, res.Configs...)
	}
	r.mu.Unlock()
	return r.TopicsAPIClient.IncrementalAlterConfigs(ctx, req)
}

func fastWaits(o *msk.Options) {
	o.Wait.MinDelay, o.Wait.MaxDelay, o.Wait.Timeout = 5*time.Millisecond, 20*time.Millisecond, 10*time.Second
}

func count(ops []string, op string) int {
	n := 0
	for _, o := range ops {
		if o == op {
			n++
		}
	}
	return n
}

func TestEnsureTopicLifecycle(t *testing.T) {
	ctx := context.Background()
	rec := &recordingTopics{TopicsAPIClient: newKafka(t)}
	var progress []datablocks.Progress
	admin := msk.NewTopicAdmin(rec, fastWaits, func(o *msk.Options) {
		o.Wait.OnProgress = func(p datablocks.Progress) { progress = append(progress, p) }
	})
	spec := msk.TopicSpec{Name: "orders", Partitions: 3, ReplicationFactor: 3, Configs: map[string]string{"retention.ms": "3600000", "cleanup.policy": "delete"}}

	res, err := admin.EnsureTopic(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(datablocks.Change{Action: datablocks.Created}, res); diff != "" {
		t.Errorf("create (-want +got):\n%s", diff)
	}
	if len(progress) == 0 || progress[len(progress)-1].State != "3/3 partitions with a leader" {
		t.Errorf("progress = %+v, want the last state 3/3 partitions with a leader", progress)
	}
	d, err := admin.DescribeTopic(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&spec, d); diff != "" {
		t.Errorf("described (-want +got):\n%s", diff)
	}
	for _, p := range partitions(ctx, t, rec, "orders") {
		if p.Leader.Host == "" || len(p.Replicas) != 3 || !slices.ContainsFunc(p.Replicas, func(b kafka.Broker) bool { return b.ID == p.Leader.ID }) {
			t.Errorf("partition %+v: want a leader among 3 replicas", p)
		}
	}

	// Same spec again: nothing to do.
	before := len(rec.Ops())
	res, err = admin.EnsureTopic(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(datablocks.Change{Action: datablocks.Unchanged}, res); diff != "" {
		t.Errorf("repeat (-want +got):\n%s", diff)
	}
	if ops := rec.Ops()[before:]; count(ops, "CreateTopics")+count(ops, "CreatePartitions")+count(ops, "IncrementalAlterConfigs") != 0 {
		t.Errorf("repeat made changes: %v", ops)
	}

	// One config changed, partitions grown.
	spec.Configs["retention.ms"] = "7200000"
	spec.Partitions = 6
	res, err = admin.EnsureTopic(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(datablocks.Change{Action: datablocks.Updated, Changed: []string{"partitions", "retention.ms"}}, res); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]kafka.IncrementalAlterConfigsRequestConfig{{Name: "retention.ms", Value: "7200000", ConfigOperation: kafka.ConfigOperationSet}}, rec.alters); diff != "" {
		t.Errorf("config changes sent (-want +got):\n%s", diff)
	}
	d, err = admin.DescribeTopic(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	if d.Partitions != 6 || d.Configs["retention.ms"] != "7200000" {
		t.Errorf("after update: %d partitions, retention.ms %q", d.Partitions, d.Configs["retention.ms"])
	}
	ps := partitions(ctx, t, rec, "orders")
	for _, p := range ps {
		if p.Leader.Host == "" {
			t.Errorf("partition %d has no leader", p.ID)
		}
	}
	if len(ps) != 6 {
		t.Errorf("metadata lists %d partitions, want 6", len(ps))
	}

	// Refusals change nothing, even with a config change in the same spec.
	before = len(rec.Ops())
	spec.Configs["retention.ms"] = "1000"
	for _, tc := range []struct {
		mutate  func(*msk.TopicSpec)
		setting string
		current int
		reason  string
	}{
		{func(s *msk.TopicSpec) { s.Partitions = 2 }, "Partitions", 6, "cannot remove partitions"},
		{func(s *msk.TopicSpec) { s.ReplicationFactor = 2 }, "ReplicationFactor", 3, "partition reassignment"},
	} {
		s := spec
		tc.mutate(&s)
		_, err := admin.EnsureTopic(ctx, s)
		var ce *msk.TopicChangeError
		if !errors.As(err, &ce) || ce.Setting != tc.setting || ce.Current != tc.current || !strings.Contains(err.Error(), tc.reason) ||
			!strings.Contains(err.Error(), fmt.Sprintf(`topic "orders": refusing to change %s from %d to 2`, tc.setting, tc.current)) {
			t.Errorf("err = %v, want a TopicChangeError for %s from %d", err, tc.setting, tc.current)
		}
	}
	if ops := rec.Ops()[before:]; count(ops, "CreatePartitions")+count(ops, "IncrementalAlterConfigs") != 0 {
		t.Errorf("refused changes still sent: %v", ops)
	}

	names, err := admin.ListTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(names, []string{"orders"}) {
		t.Errorf("ListTopics = %v", names)
	}
	if err := admin.DeleteTopic(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	if err := admin.DeleteTopic(ctx, "orders"); err != nil {
		t.Errorf("second delete: %v", err)
	}
}

// partitions reads a topic's partitions (leaders, replicas) from the client's metadata.
func partitions(ctx context.Context, t *testing.T, client msk.TopicsAPIClient, topic string) []kafka.Partition {
	t.Helper()
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil || len(md.Topics) != 1 {
		t.Fatalf("metadata of %s: %+v, %v", topic, md, err)
	}
	return md.Topics[0].Partitions
}

func TestEnsureTopicConvergesWhenCreatedConcurrently(t *testing.T) {
	ctx := context.Background()
	client := newKafka(t, kfake.SeedTopics(2, "events"))
	rec := &recordingTopics{TopicsAPIClient: client, hideOnce: true}
	admin := msk.NewTopicAdmin(rec, fastWaits)
	res, err := admin.EnsureTopic(ctx, msk.TopicSpec{Name: "events", Partitions: 4})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(datablocks.Change{Action: datablocks.Updated, Changed: []string{"partitions"}}, res); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if ops := rec.Ops(); count(ops, "CreateTopics") != 1 || count(ops, "CreatePartitions") != 1 {
		t.Errorf("ops = %v", ops)
	}
}

func TestEnsureTopicBrokerDefaultReplication(t *testing.T) {
	admin := msk.NewTopicAdmin(newKafka(t), fastWaits)
	if _, err := admin.EnsureTopic(context.Background(), msk.TopicSpec{Name: "defaults", Partitions: 1}); err != nil {
		t.Fatal(err)
	}
	d, err := admin.DescribeTopic(context.Background(), "defaults")
	if err != nil {
		t.Fatal(err)
	}
	if d.ReplicationFactor < 1 || d.Partitions != 1 {
		t.Errorf("described %+v", d)
	}
}

func TestTopicAdminValidation(t *testing.T) {
	rec := &recordingTopics{}
	admin := msk.NewTopicAdmin(rec)
	ctx := context.Background()
	for _, tc := range []struct {
		spec    msk.TopicSpec
		wantErr string
	}{
		{msk.TopicSpec{Name: "bad name", Partitions: 1}, "TopicSpec.Name"},
		{msk.TopicSpec{Name: "", Partitions: 1}, "TopicSpec.Name"},
		{msk.TopicSpec{Name: "t", Partitions: 0}, "Partitions"},
		{msk.TopicSpec{Name: "t", Partitions: 1, ReplicationFactor: -1}, "ReplicationFactor"},
		{msk.TopicSpec{Name: "t", Partitions: 1, Configs: map[string]string{"retention ms": "1"}}, "Configs key"},
	} {
		_, err := admin.EnsureTopic(ctx, tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "msk: ") {
			t.Errorf("EnsureTopic(%+v) = %v, want an error containing %q", tc.spec, err, tc.wantErr)
		}
	}
	if _, err := admin.DescribeTopic(ctx, "a/b"); err == nil {
		t.Error("DescribeTopic accepted a bad name")
	}
	if err := admin.DeleteTopic(ctx, ""); err == nil {
		t.Error("DeleteTopic accepted an empty name")
	}
	if ops := rec.Ops(); len(ops) != 0 {
		t.Errorf("calls for invalid input: %v", ops)
	}
}

func TestDescribeMissingTopic(t *testing.T) {
	_, err := msk.NewTopicAdmin(newKafka(t)).DescribeTopic(context.Background(), "missing")
	if !errors.Is(err, kafka.UnknownTopicOrPartition) {
		t.Errorf("err = %v, want kafka.UnknownTopicOrPartition", err)
	}
}

func TestEnsureTopicWaitTimesOut(t *testing.T) {
	// A client whose metadata never shows a leader: the wait ends at the timeout, by the
	// injected clock, without real sleeping.
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := datablocks.NewManualClock(start)
	stub := &leaderlessTopics{}
	var logs bytes.Buffer
	admin := msk.NewTopicAdmin(stub, func(o *msk.Options) {
		o.Wait.Clock = clock
		o.Wait.Timeout = time.Minute
		// Without Wait.Logger, the wait logs to Logger.
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	_, err := admin.EnsureTopic(context.Background(), msk.TopicSpec{Name: "stuck", Partitions: 2})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "0/2 partitions with a leader") {
		t.Fatalf("err = %v, want a timeout naming the last state", err)
	}
	if !strings.Contains(logs.String(), `to="0/2 partitions with a leader"`) {
		t.Errorf("the wait's state change is not in the Logger's output:\n%s", logs.String())
	}
	if elapsed := clock.Now().Sub(start); elapsed != time.Minute {
		t.Errorf("waited %v of clock time, want 1m", elapsed)
	}
}

// leaderlessTopics creates topics whose partitions never get a leader.
type leaderlessTopics struct {
	msk.TopicsAPIClient
	created bool
}

func (l *leaderlessTopics) Metadata(_ context.Context, req *kafka.MetadataRequest) (*kafka.MetadataResponse, error) {
	t := kafka.Topic{Name: req.Topics[0], Error: kafka.UnknownTopicOrPartition}
	if l.created {
		t = kafka.Topic{Name: req.Topics[0], Partitions: []kafka.Partition{
			{ID: 0, Error: kafka.LeaderNotAvailable}, {ID: 1, Error: kafka.LeaderNotAvailable},
		}}
	}
	return &kafka.MetadataResponse{Topics: []kafka.Topic{t}}, nil
}

func (l *leaderlessTopics) CreateTopics(_ context.Context, req *kafka.CreateTopicsRequest) (*kafka.CreateTopicsResponse, error) {
	l.created = true
	return &kafka.CreateTopicsResponse{Errors: map[string]error{req.Topics[0].Topic: nil}}, nil
}

// TestEnsureTopicWaitHonorsCancellation checks that with a zero Wait.Timeout only the
// context bounds the wait for leaders: the wait goes on past what the old 2-minute default
// would have allowed (by the manual clock) and ends, with context.Canceled, when the context
// is cancelled.
func TestEnsureTopicWaitHonorsCancellation(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := datablocks.NewManualClock(start)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stub := &cancellingTopics{cancelAfter: 100, cancel: cancel}
	admin := msk.NewTopicAdmin(stub, func(o *msk.Options) {
		o.Wait.Clock = clock
		o.Wait.Jitter = func() float64 { return 0.5 }
	})
	_, err := admin.EnsureTopic(ctx, msk.TopicSpec{Name: "stuck", Partitions: 2})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// One existence check, then 99 checks for leaders with 98 delays between them. With
	// jitter 0.5 each delay is halfway between 200ms and min(5s, 200ms·2^n): 0.2, 0.3, 0.5,
	// 0.9, 1.7s, then 2.6s, so 3.6s + 93 × 2.6s = 245.4s of clock time, past 2 minutes.
	if waited := clock.Now().Sub(start); waited != 245400*time.Millisecond {
		t.Errorf("waited %v of clock time before the cancellation, want 4m5.4s (no default timeout)", waited)
	}
	if stub.calls != 100 {
		t.Errorf("%d metadata calls, want the wait to stop at the 100th", stub.calls)
	}
}

// cancellingTopics is leaderlessTopics that cancels the context at the cancelAfter-th
// Metadata call.
type cancellingTopics struct {
	leaderlessTopics
	calls       int
	cancelAfter int
	cancel      context.CancelFunc
}

func (c *cancellingTopics) Metadata(ctx context.Context, req *kafka.MetadataRequest) (*kafka.MetadataResponse, error) {
	c.calls++
	if c.calls == c.cancelAfter {
		c.cancel()
	}
	return c.leaderlessTopics.Metadata(ctx, req)
}

// TestTopicAdminPerCallOptions checks that options given to DescribeTopic, ListTopics and
// DeleteTopic apply to that call only.
func TestTopicAdminPerCallOptions(t *testing.T) {
	ctx := context.Background()
	admin := msk.NewTopicAdmin(newKafka(t, kfake.SeedTopics(2, "orders")))
	var buf bytes.Buffer
	logTo := func(o *msk.Options) {
		o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	d, err := admin.DescribeTopic(ctx, "orders", logTo)
	if err != nil || d.Partitions != 2 {
		t.Fatalf("DescribeTopic = %+v, %v; want 2 partitions", d, err)
	}
	names, err := admin.ListTopics(ctx, logTo)
	if err != nil || !slices.Equal(names, []string{"orders"}) {
		t.Fatalf("ListTopics = %v, %v", names, err)
	}
	if err := admin.DeleteTopic(ctx, "orders", logTo); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`msg="described topic" topic=orders partitions=2`, `msg="listed topics" count=1`, `msg="deleted topic" topic=orders`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %q lacks %q", buf.String(), want)
		}
	}
	buf.Reset()
	if _, err := admin.ListTopics(ctx); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("a call without options logged %q: per-call options leaked into the admin", buf.String())
	}
}
