package opensearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Replication defaults and limits.
const (
	// defaultLeaderClusterRole and defaultFollowerClusterRole are the plugin's built-in
	// roles the replication runs as (use_roles).
	defaultLeaderClusterRole   = "cross_cluster_replication_leader_full_access"
	defaultFollowerClusterRole = "cross_cluster_replication_follower_full_access"
	// maxPause is how long a paused replication can be resumed: the leader keeps the
	// history a follower needs for 12 hours.
	maxPause = 12 * time.Hour
	// defaultReplicationMinDelay and defaultReplicationMaxDelay are WaitSyncing's delays.
	defaultReplicationMinDelay = 2 * time.Second
	defaultReplicationMaxDelay = 30 * time.Second
)

// Replication states as the plugin reports them; BOOTSTRAPING is its spelling.
const (
	stateBootstrapping = "BOOTSTRAPING"
	stateSyncing       = "SYNCING"
)

// Replication drives the cross-cluster replication plugin of a follower domain. It
// remembers the indexes it paused (and when) and stopped, to refuse a late resume or a
// restart before any call. It is safe for concurrent use.
type Replication struct {
	t    Transport
	opts Options

	mu      sync.Mutex
	paused  map[string]time.Time
	stopped map[string]bool
}

// NewReplication returns a Replication helper for the follower domain reached through t. It
// reads PluginPrefix, LeaderClusterRole, FollowerClusterRole and Wait.
func NewReplication(follower Transport, optFns ...func(*Options)) *Replication {
	o := configure(Options{}, optFns)
	if o.LeaderClusterRole == "" {
		o.LeaderClusterRole = defaultLeaderClusterRole
	}
	if o.FollowerClusterRole == "" {
		o.FollowerClusterRole = defaultFollowerClusterRole
	}
	if o.Wait.MinDelay == 0 {
		o.Wait.MinDelay = defaultReplicationMinDelay
	}
	if o.Wait.MaxDelay == 0 {
		o.Wait.MaxDelay = defaultReplicationMaxDelay
	}
	return &Replication{t: follower, opts: o, paused: map[string]time.Time{}, stopped: map[string]bool{}}
}

// with returns the helper's options with per-call changes applied to a copy.
func (r *Replication) with(optFns []func(*Options)) Options {
	return configure(r.opts, optFns)
}

func (r *Replication) clock(o Options) datablocks.Clock {
	return poll.ClockFor(o.Wait.Clock, r.t)
}

func replicationPath(o Options, index, action string) string {
	return o.PluginPrefix + "/_replication/" + url.PathEscape(index) + "/" + action
}

// StartInput starts replicating a leader index into a new follower index.
type StartInput struct {
	// FollowerIndex is created on the follower; it must not exist.
	FollowerIndex string
	// LeaderAlias is the alias of the follower's connection to the leader.
	LeaderAlias string
	// LeaderIndex is the index to replicate. Empty means FollowerIndex.
	LeaderIndex string
}

// indexReusedError is ErrIndexReused for an index.
type indexReusedError struct {
	Index string
	// Err is the plugin's answer, nil when the helper refused before calling.
	Err error
}

// Error says the index cannot be reused.
func (e *indexReusedError) Error() string {
	return fmt.Sprintf("opensearch: index %q was a follower whose replication stopped; it cannot replicate again (delete it and start anew)", e.Index)
}

// Unwrap returns ErrIndexReused and the plugin's answer.
func (e *indexReusedError) Unwrap() []error { return withCause(ErrIndexReused, e.Err) }

// pausedTooLongError is ErrPausedTooLong for an index.
type pausedTooLongError struct {
	Index     string
	PausedFor time.Duration
	// Err is the plugin's answer, nil when the helper refused before calling.
	Err error
}

// Error says how long the index was paused.
func (e *pausedTooLongError) Error() string {
	return fmt.Sprintf("opensearch: replication of %q was paused %s ago, more than %s: it cannot resume; stop it, delete the follower index and start again", e.Index, e.PausedFor.Round(time.Second), maxPause)
}

// Unwrap returns ErrPausedTooLong and the plugin's answer.
func (e *pausedTooLongError) Unwrap() []error { return withCause(ErrPausedTooLong, e.Err) }

// withCause is sentinel and, when there is one, the plugin's answer.
func withCause(sentinel, cause error) []error {
	if cause == nil {
		return []error{sentinel}
	}
	return []error{sentinel, cause}
}

func validIndex(field, name string) error {
	if name == "" || len(name) > 255 || name != strings.ToLower(name) || strings.ContainsAny(name, `\/*?"<>| ,#:`) || strings.HasPrefix(name, "_") || strings.HasPrefix(name, "-") || strings.HasPrefix(name, "+") || name == "." || name == ".." {
		return fmt.Errorf("opensearch: %s %q is not a valid index name (lower case, 1-255 bytes, no \\ / * ? \" < > | space , # :, not starting with _ - +)", field, name)
	}
	return nil
}

// Start starts replication (PUT <follower>/_start). It refuses, before any call, an index
// this helper stopped; the plugin's own refusal of a reused index matches ErrIndexReused
// too.
func (r *Replication) Start(ctx context.Context, in StartInput, optFns ...func(*Options)) error {
	o := r.with(optFns)
	if in.LeaderIndex == "" {
		in.LeaderIndex = in.FollowerIndex
	}
	if err := validIndex("StartInput.FollowerIndex", in.FollowerIndex); err != nil {
		return err
	}
	if err := validIndex("StartInput.LeaderIndex", in.LeaderIndex); err != nil {
		return err
	}
	if len(in.LeaderAlias) < 2 || !aliasRE.MatchString(in.LeaderAlias) {
		return fmt.Errorf("opensearch: StartInput.LeaderAlias %q is not a connection alias", in.LeaderAlias)
	}
	r.mu.Lock()
	stopped := r.stopped[in.FollowerIndex]
	r.mu.Unlock()
	if stopped {
		return &indexReusedError{Index: in.FollowerIndex}
	}
	body := map[string]any{"leader_alias": in.LeaderAlias, "leader_index": in.LeaderIndex,
		"use_roles": map[string]string{"leader_cluster_role": o.LeaderClusterRole, "follower_cluster_role": o.FollowerClusterRole}}
	err := call(ctx, r.t, http.MethodPut, replicationPath(o, in.FollowerIndex, "_start"), body, nil)
	var apiErr *APIError
	if errors.As(err, &apiErr) && strings.Contains(apiErr.Reason, "same index again") {
		return &indexReusedError{Index: in.FollowerIndex, Err: err}
	}
	return err
}

// Paused is the handle of a pause: Resume needs it to apply the 12-hour rule.
type Paused struct {
	Index string
	// At is when the pause was acknowledged, by the helper's clock.
	At time.Time
}

// Pause pauses replication (POST <index>/_pause with the required {} body) and returns when
// it happened.
func (r *Replication) Pause(ctx context.Context, index string, optFns ...func(*Options)) (Paused, error) {
	o := r.with(optFns)
	if err := validIndex("index", index); err != nil {
		return Paused{}, err
	}
	if err := call(ctx, r.t, http.MethodPost, replicationPath(o, index, "_pause"), json.RawMessage("{}"), nil); err != nil {
		return Paused{}, err
	}
	p := Paused{Index: index, At: r.clock(o).Now()}
	r.mu.Lock()
	r.paused[index] = p.At
	r.mu.Unlock()
	return p, nil
}

// checkResume reports, without any call, whether a pause can still be resumed: a
// ErrPausedTooLong after 12 hours.
func (r *Replication) checkResume(p Paused, optFns ...func(*Options)) error {
	o := r.with(optFns)
	if p.At.IsZero() {
		return fmt.Errorf("opensearch: pause of %q has no time", p.Index)
	}
	if d := r.clock(o).Now().Sub(p.At); d > maxPause {
		return &pausedTooLongError{Index: p.Index, PausedFor: d}
	}
	return nil
}

// Resume resumes a paused replication (POST <index>/_resume {}), after checkResume: a pause
// older than 12 hours is refused before any call. The plugin's own refusal (its retention
// lease is gone) matches ErrPausedTooLong too.
func (r *Replication) Resume(ctx context.Context, p Paused, optFns ...func(*Options)) error {
	o := r.with(optFns)
	if err := validIndex("index", p.Index); err != nil {
		return err
	}
	if err := r.checkResume(p, optFns...); err != nil {
		return err
	}
	err := call(ctx, r.t, http.MethodPost, replicationPath(o, p.Index, "_resume"), json.RawMessage("{}"), nil)
	var apiErr *APIError
	if errors.As(err, &apiErr) && strings.Contains(apiErr.Reason, "Retention lease") {
		return &pausedTooLongError{Index: p.Index, PausedFor: r.clock(o).Now().Sub(p.At), Err: err}
	}
	if err == nil {
		r.mu.Lock()
		delete(r.paused, p.Index)
		r.mu.Unlock()
	}
	return err
}

// Stop stops replication for good (POST <index>/_stop {}): the follower becomes a plain,
// writable index that can never be a follower again.
func (r *Replication) Stop(ctx context.Context, index string, optFns ...func(*Options)) error {
	o := r.with(optFns)
	if err := validIndex("index", index); err != nil {
		return err
	}
	if err := call(ctx, r.t, http.MethodPost, replicationPath(o, index, "_stop"), json.RawMessage("{}"), nil); err != nil {
		return err
	}
	r.mu.Lock()
	r.stopped[index] = true
	delete(r.paused, index)
	r.mu.Unlock()
	return nil
}

// ReplicationStatus is the plugin's _status answer.
type ReplicationStatus struct {
	// Status is BOOTSTRAPING (the plugin's spelling), SYNCING, PAUSED or
	// "REPLICATION NOT IN PROGRESS".
	Status         string          `json:"status"`
	Reason         string          `json:"reason"`
	LeaderAlias    string          `json:"leader_alias"`
	LeaderIndex    string          `json:"leader_index"`
	FollowerIndex  string          `json:"follower_index"`
	SyncingDetails *SyncingDetails `json:"syncing_details,omitempty"`
}

// SyncingDetails are the checkpoints of a SYNCING or PAUSED replication; equal checkpoints
// mean the follower has caught up.
type SyncingDetails struct {
	LeaderCheckpoint   int64 `json:"leader_checkpoint"`
	FollowerCheckpoint int64 `json:"follower_checkpoint"`
	SeqNo              int64 `json:"seq_no"`
}

// Status reads the replication status of a follower index.
func (r *Replication) Status(ctx context.Context, index string, optFns ...func(*Options)) (ReplicationStatus, error) {
	o := r.with(optFns)
	if err := validIndex("index", index); err != nil {
		return ReplicationStatus{}, err
	}
	var st ReplicationStatus
	err := call(ctx, r.t, http.MethodGet, replicationPath(o, index, "_status"), nil, &st)
	return st, err
}

// replicationNotRunningError is ErrReplicationNotRunning for an index.
type replicationNotRunningError struct {
	Index, Status string
}

// Error says the state.
func (e *replicationNotRunningError) Error() string {
	return fmt.Sprintf("opensearch: replication of %q is %s", e.Index, e.Status)
}

// Unwrap returns ErrReplicationNotRunning.
func (e *replicationNotRunningError) Unwrap() error { return ErrReplicationNotRunning }

// WaitSyncing waits until the follower index is SYNCING. PAUSED or not running ends the wait
// with an error matching ErrReplicationNotRunning.
func (r *Replication) WaitSyncing(ctx context.Context, index string, optFns ...func(*Options)) (ReplicationStatus, error) {
	o := r.with(optFns)
	var last ReplicationStatus
	err := poll.Wait(ctx, poll.FromWaitFor("replication of "+index, o.Wait, r.t), func(ctx context.Context) (string, bool, error) {
		st, err := r.Status(ctx, index, optFns...)
		if err != nil {
			return "", false, err
		}
		last = st
		switch st.Status {
		case stateSyncing:
			return st.Status, true, nil
		case stateBootstrapping, "BOOTSTRAPPING":
			return st.Status, false, nil
		}
		return st.Status, false, &replicationNotRunningError{Index: index, Status: st.Status}
	})
	return last, err
}

// Run is Start then WaitSyncing.
func (r *Replication) Run(ctx context.Context, in StartInput, optFns ...func(*Options)) (ReplicationStatus, error) {
	if err := r.Start(ctx, in, optFns...); err != nil {
		return ReplicationStatus{}, err
	}
	return r.WaitSyncing(ctx, in.FollowerIndex, optFns...)
}

// AutoFollowRule replicates every leader index matching Pattern.
type AutoFollowRule struct {
	LeaderAlias string
	Name        string
	// Pattern is an index pattern such as "logs-*".
	Pattern string
}

type autoFollowStats struct {
	Stats []struct {
		Name    string `json:"name"`
		Pattern string `json:"pattern"`
	} `json:"autofollow_stats"`
}

// EnsureAutoFollow makes rule exist. The plugin has no API that lists rules, so it reads
// autofollow_stats (which names each rule and its pattern) and posts the rule (which creates
// or updates it) only when it is missing or its pattern differs.
func (r *Replication) EnsureAutoFollow(ctx context.Context, rule AutoFollowRule, optFns ...func(*Options)) (datablocks.Change, error) {
	o := r.with(optFns)
	if len(rule.LeaderAlias) < 2 || !aliasRE.MatchString(rule.LeaderAlias) {
		return datablocks.Change{}, fmt.Errorf("opensearch: AutoFollowRule.LeaderAlias %q is not a connection alias", rule.LeaderAlias)
	}
	if rule.Name == "" || len(rule.Name) > 255 || strings.ContainsAny(rule.Name, " /") {
		return datablocks.Change{}, fmt.Errorf("opensearch: AutoFollowRule.Name %q must be 1-255 characters without spaces or slashes", rule.Name)
	}
	if rule.Pattern == "" || strings.ContainsAny(rule.Pattern, ` \/"<>|,#:`) {
		return datablocks.Change{}, fmt.Errorf("opensearch: AutoFollowRule.Pattern %q is not an index pattern", rule.Pattern)
	}
	var stats autoFollowStats
	if err := call(ctx, r.t, http.MethodGet, o.PluginPrefix+"/_replication/autofollow_stats", nil, &stats); err != nil {
		return datablocks.Change{}, err
	}
	action := datablocks.Created
	for _, s := range stats.Stats {
		if s.Name == rule.Name {
			if s.Pattern == rule.Pattern {
				return datablocks.Change{Action: datablocks.Unchanged}, nil
			}
			action = datablocks.Updated
		}
	}
	body := map[string]any{"leader_alias": rule.LeaderAlias, "name": rule.Name, "pattern": rule.Pattern,
		"use_roles": map[string]string{"leader_cluster_role": o.LeaderClusterRole, "follower_cluster_role": o.FollowerClusterRole}}
	if err := call(ctx, r.t, http.MethodPost, o.PluginPrefix+"/_replication/_autofollow", body, nil); err != nil {
		return datablocks.Change{}, err
	}
	c := datablocks.Change{Action: action}
	if action == datablocks.Updated {
		c.Changed = []string{"pattern"}
	}
	return c, nil
}

// DeleteAutoFollow deletes a rule (DELETE _autofollow with a body). Replications the rule
// started go on.
func (r *Replication) DeleteAutoFollow(ctx context.Context, leaderAlias, name string, optFns ...func(*Options)) error {
	o := r.with(optFns)
	if leaderAlias == "" || name == "" {
		return errors.New("opensearch: DeleteAutoFollow: leaderAlias and name are required")
	}
	return call(ctx, r.t, http.MethodDelete, o.PluginPrefix+"/_replication/_autofollow", map[string]string{"leader_alias": leaderAlias, "name": name}, nil)
}
