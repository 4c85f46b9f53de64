package opensearch_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/opensearch/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

var (
	_ opensearch.ConnectionsAPIClient = (*opensearchtest.Fake)(nil)
	_ opensearch.AcceptAPIClient      = (*opensearchtest.Fake)(nil)
	_ opensearch.DomainAPIClient      = (*opensearchtest.Fake)(nil)
	_ datablocks.ClockSource          = (*opensearchtest.Transport)(nil)
)

type ccr struct {
	f                  *opensearchtest.Fake
	clock              *datablocks.ManualClock
	leader, follower   *opensearchtest.Domain
	leaderT, followerT *opensearchtest.Transport
}

func newCCR(t *testing.T) *ccr {
	t.Helper()
	clock := datablocks.NewManualClock(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	f := opensearchtest.New(func(o *opensearchtest.Options) { o.Clock = clock })
	t.Cleanup(f.Close)
	c := &ccr{f: f, clock: clock}
	var err error
	if c.leader, err = f.AddDomain(opensearchtest.DomainSpec{Name: "leader-east"}); err != nil {
		t.Fatal(err)
	}
	if c.follower, err = f.AddDomain(opensearchtest.DomainSpec{Name: "follower-west"}); err != nil {
		t.Fatal(err)
	}
	c.leaderT, _ = c.leader.Transport(f.Config())
	c.followerT, _ = c.follower.Transport(f.Config())
	return c
}

func (c *ccr) connect(t *testing.T, alias string) opensearch.Connection {
	t.Helper()
	conns := opensearch.NewConnections(c.f)
	conn, err := conns.RunConnection(context.Background(), opensearch.ConnectionInput{
		Alias: alias, Follower: opensearch.Domain{Name: "follower-west"}, Leader: opensearch.Domain{Name: "leader-east"}})
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

func TestConnectionsRunUntilActiveAndIdempotentByAlias(t *testing.T) {
	c := newCCR(t)
	start := c.clock.Now()
	conn := c.connect(t, "ccr-west")
	if conn.Status != types.OutboundConnectionStatusCodeActive || conn.Existing {
		t.Fatalf("connection = %+v", conn)
	}
	// VALIDATING, PENDING_ACCEPTANCE (accepted), APPROVED, PROVISIONING: the wait moved the
	// fake's clock by at least three steps and no wall time.
	if el := c.clock.Now().Sub(start); el < 3*connectionStep {
		t.Errorf("elapsed on the fake clock %s", el)
	}
	if n := c.f.Count(opensearchtest.OpAcceptInboundConnection); n != 1 {
		t.Errorf("%d accepts; want 1", n)
	}
	creates := c.f.Count(opensearchtest.OpCreateOutboundConnection)
	again := c.connect(t, "ccr-west")
	if !again.Existing || again.ID != conn.ID || c.f.Count(opensearchtest.OpCreateOutboundConnection) != creates {
		t.Errorf("second RunConnection = %+v; want the existing connection, no create", again)
	}
	// The same alias to another leader is refused.
	if _, err := c.f.AddDomain(opensearchtest.DomainSpec{Name: "other"}); err != nil {
		t.Fatal(err)
	}
	_, err := opensearch.NewConnections(c.f).StartConnection(context.Background(), opensearch.ConnectionInput{
		Alias: "ccr-west", Follower: opensearch.Domain{Name: "follower-west"}, Leader: opensearch.Domain{Name: "other"}})
	if err == nil {
		t.Error("alias reused for another leader")
	}
}

func TestConnectionLimitRefusedBeforeCreate(t *testing.T) {
	c := newCCR(t)
	ctx := context.Background()
	conns := opensearch.NewConnections(c.f)
	for i := range opensearch.MaxConnections {
		// Each start lists connections still VALIDATING; the fake reports reads that see
		// only clock-driven states with a clock that never moves as a stalled wait.
		c.clock.Advance(time.Second)
		if _, err := conns.StartConnection(ctx, opensearch.ConnectionInput{Alias: fmt.Sprintf("c%02d", i),
			Follower: opensearch.Domain{Name: "follower-west"}, Leader: opensearch.Domain{Name: "leader-east"}}); err != nil {
			t.Fatal(err)
		}
	}
	creates := c.f.Count(opensearchtest.OpCreateOutboundConnection)
	_, err := conns.StartConnection(ctx, opensearch.ConnectionInput{Alias: "one-too-many",
		Follower: opensearch.Domain{Name: "follower-west"}, Leader: opensearch.Domain{Name: "leader-east"}})
	if !errors.Is(err, opensearch.ErrConnectionLimit) || !strings.Contains(err.Error(), "already has 20 ") {
		t.Fatalf("21st connection: %v", err)
	}
	if c.f.Count(opensearchtest.OpCreateOutboundConnection) != creates {
		t.Error("the 21st connection was sent")
	}
	// The fake enforces the limit itself too.
	_, err = c.f.CreateOutboundConnection(ctx, opensearch.CreateInputForTest("direct", "follower-west", "leader-east"))
	var fakeLim *types.LimitExceededException
	if !errors.As(err, &fakeLim) {
		t.Errorf("fake's 21st connection: %v", err)
	}
}

func TestConnectionValidationFailureEndsTheWait(t *testing.T) {
	c := newCCR(t)
	_, err := opensearch.NewConnections(c.f).RunConnection(context.Background(), opensearch.ConnectionInput{
		Alias: "to-nowhere", Follower: opensearch.Domain{Name: "follower-west"}, Leader: opensearch.Domain{Name: "missing"}})
	var failed *opensearch.ConnectionFailedError
	if !errors.As(err, &failed) || failed.Status != types.OutboundConnectionStatusCodeValidationFailed {
		t.Fatalf("RunConnection to a missing leader: %v", err)
	}
}

func TestReplicationGuardRails(t *testing.T) {
	c := newCCR(t)
	ctx := context.Background()
	for i := range 3 {
		do(t, c.leaderT, http.MethodPut, fmt.Sprintf("/orders/_doc/%d", i), `{"n":1}`, nil)
	}
	c.connect(t, "ccr-west")
	repl := opensearch.NewReplication(c.followerT)
	st, err := repl.Run(ctx, opensearch.StartInput{FollowerIndex: "orders", LeaderAlias: "ccr-west"})
	if err != nil || st.Status != "SYNCING" || st.LeaderIndex != "orders" {
		t.Fatalf("Run = %+v, %v", st, err)
	}
	// Leader writes reach the follower; the follower is read-only.
	do(t, c.leaderT, http.MethodPut, "/orders/_doc/9", `{"n":9}`, nil)
	var res searchResult
	do(t, c.followerT, http.MethodPost, "/orders/_search", `{}`, &res)
	if res.Hits.Total.Value != 4 {
		t.Errorf("follower holds %d documents; want 4", res.Hits.Total.Value)
	}
	var blocked map[string]any
	status := do(t, c.followerT, http.MethodPut, "/orders/_doc/x", `{"n":0}`, &blocked)
	raw, _ := json.Marshal(blocked)
	if err := opensearch.ParseAPIErrorForTest("PUT", "/orders/_doc/x", status, raw); status != http.StatusForbidden || !errors.Is(err, opensearch.ErrFollowerReadOnly) {
		t.Errorf("write to a replicating follower: %d %v; want 403 ErrFollowerReadOnly", status, err)
	}

	// Pause, and resume within 12 hours.
	p, err := repl.Pause(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(11 * time.Hour)
	if err := repl.Resume(ctx, p); err != nil {
		t.Fatalf("resume after 11 h: %v", err)
	}
	// Pause again, 12 h and 1 s later: refused before any call.
	p, err = repl.Pause(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(12*time.Hour + time.Second)
	resumes := c.f.Count(opensearchtest.OpResumeReplication)
	err = repl.Resume(ctx, p)
	var apiErr *opensearch.APIError
	if !errors.Is(err, opensearch.ErrPausedTooLong) || errors.As(err, &apiErr) || !strings.Contains(err.Error(), "paused 12h0m1s ago") {
		t.Fatalf("late resume = %v", err)
	}
	if c.f.Count(opensearchtest.OpResumeReplication) != resumes {
		t.Error("the late resume was sent")
	}
	// The plugin refuses it too (a handle that does not know the pause time).
	err = repl.Resume(ctx, opensearch.Paused{Index: "orders", At: c.clock.Now()})
	if !errors.Is(err, opensearch.ErrPausedTooLong) || !errors.As(err, &apiErr) {
		t.Errorf("plugin's late resume = %v", err)
	}

	// Stop, then start on the same index: refused before any call, and by the plugin.
	if err := repl.Stop(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	if status := do(t, c.followerT, http.MethodPut, "/orders/_doc/x", `{"n":0}`, nil); status != http.StatusCreated {
		t.Errorf("write to a stopped follower: %d; want 201", status)
	}
	starts := c.f.Count(opensearchtest.OpStartReplication)
	err = repl.Start(ctx, opensearch.StartInput{FollowerIndex: "orders", LeaderAlias: "ccr-west"})
	if !errors.Is(err, opensearch.ErrIndexReused) || errors.As(err, new(*opensearch.APIError)) || c.f.Count(opensearchtest.OpStartReplication) != starts {
		t.Fatalf("restart after stop = %v", err)
	}
	err = opensearch.NewReplication(c.followerT).Start(ctx, opensearch.StartInput{FollowerIndex: "orders", LeaderAlias: "ccr-west"})
	if !errors.Is(err, opensearch.ErrIndexReused) || !errors.As(err, new(*opensearch.APIError)) {
		t.Errorf("plugin's restart refusal = %v", err)
	}
	st, err = repl.Status(ctx, "orders")
	if err != nil || st.Status != "REPLICATION NOT IN PROGRESS" {
		t.Errorf("status after stop = %+v, %v", st, err)
	}
}

func TestAutoFollow(t *testing.T) {
	c := newCCR(t)
	ctx := context.Background()
	do(t, c.leaderT, http.MethodPut, "/logs-1/_doc/a", `{"m":"x"}`, nil)
	do(t, c.leaderT, http.MethodPut, "/metrics-1/_doc/a", `{"m":"y"}`, nil)
	c.connect(t, "ccr-west")
	repl := opensearch.NewReplication(c.followerT)
	rule := opensearch.AutoFollowRule{LeaderAlias: "ccr-west", Name: "logs", Pattern: "logs-*"}
	for i, want := range []datablocks.Action{datablocks.Created, datablocks.Unchanged} {
		ch, err := repl.EnsureAutoFollow(ctx, rule)
		if err != nil || ch.Action != want {
			t.Fatalf("EnsureAutoFollow #%d = %v, %v; want %s", i+1, ch, err, want)
		}
	}
	if _, err := repl.WaitSyncing(ctx, "logs-1"); err != nil {
		t.Fatalf("auto-followed index: %v", err)
	}
	if st, _ := repl.Status(ctx, "metrics-1"); st.Status != "REPLICATION NOT IN PROGRESS" {
		t.Errorf("metrics-1 replicated: %+v", st)
	}
	rule.Pattern = "*-1"
	if ch, err := repl.EnsureAutoFollow(ctx, rule); err != nil || ch.Action != datablocks.Updated {
		t.Fatalf("EnsureAutoFollow with a new pattern = %v, %v", ch, err)
	}
	if err := repl.DeleteAutoFollow(ctx, "ccr-west", "logs"); err != nil {
		t.Fatal(err)
	}
	// Deleting the rule stops nothing it started.
	if st, err := repl.Status(ctx, "logs-1"); err != nil || st.Status != "SYNCING" {
		t.Errorf("after deleting the rule: %+v, %v", st, err)
	}
}

func TestCheckDomainFGAC(t *testing.T) {
	f := opensearchtest.New()
	defer f.Close()
	if _, err := f.AddDomain(opensearchtest.DomainSpec{Name: "secure"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddDomain(opensearchtest.DomainSpec{Name: "open", Insecure: true}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := opensearch.CheckDomainFGAC(ctx, f, "secure"); err != nil {
		t.Errorf("secure domain: %v", err)
	}
	err := opensearch.CheckDomainFGAC(ctx, f, "open")
	if !errors.Is(err, opensearch.ErrFGACPrerequisites) || strings.Count(err.Error(), "; ") != 3 {
		t.Errorf("open domain: %v", err)
	}
	var nf *types.ResourceNotFoundException
	if err := opensearch.CheckDomainFGAC(ctx, f, "missing"); !errors.As(err, &nf) {
		t.Errorf("missing domain: %v", err)
	}
}
