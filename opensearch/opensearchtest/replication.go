package opensearchtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/datablocks-go/datablocks/internal/glob"
)

// Replication states as the plugin's _status reports them (BOOTSTRAPING is the plugin's
// spelling).
const (
	statusBootstrapping = "BOOTSTRAPING"
	statusSyncing       = "SYNCING"
	statusPaused        = "PAUSED"
	statusNotRunning    = "REPLICATION NOT IN PROGRESS"
)

type replication struct {
	follower, leaderIndex, alias string
	leader                       *Domain
	started, paused              time.Time
	state                        string // "" running (bootstrapping or syncing by time), PAUSED, STOPPED
	lastSeq                      int
}

func (r *replication) active() bool { return r.state != "STOPPED" }

func (r *replication) status(now time.Time) string {
	switch r.state {
	case "STOPPED":
		return statusNotRunning
	case statusPaused:
		return statusPaused
	}
	if now.Sub(r.started) < bootstrapTime {
		return statusBootstrapping
	}
	return statusSyncing
}

type autoFollowRule struct {
	alias, name, pattern string
	started              int
}

func (d *Domain) routeReplication(method string, segs []string) (string, handlerFunc) {
	switch {
	case len(segs) == 1 && segs[0] == "_autofollow" && method == http.MethodPost:
		return OpPutAutoFollow, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.putAutoFollow(who, b) }
	case len(segs) == 1 && segs[0] == "_autofollow" && method == http.MethodDelete:
		return OpDeleteAutoFollow, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.deleteAutoFollow(who, b) }
	case len(segs) == 1 && segs[0] == "autofollow_stats" && method == http.MethodGet:
		return OpAutoFollowStats, func(who *caller, _ *http.Request, _ []byte) (int, any) { return d.autoFollowStats(who) }
	case len(segs) == 2 && !strings.HasPrefix(segs[0], "_"):
		idx := segs[0]
		switch {
		case segs[1] == "_start" && method == http.MethodPut:
			return OpStartReplication, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.startReplication(who, idx, b) }
		case segs[1] == "_pause" && method == http.MethodPost:
			return OpPauseReplication, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.pauseReplication(who, idx, b) }
		case segs[1] == "_resume" && method == http.MethodPost:
			return OpResumeReplication, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.resumeReplication(who, idx, b) }
		case segs[1] == "_stop" && method == http.MethodPost:
			return OpStopReplication, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.stopReplication(who, idx, b) }
		case segs[1] == "_status" && method == http.MethodGet:
			return OpReplicationStatus, func(who *caller, _ *http.Request, _ []byte) (int, any) { return d.replicationStatus(who, idx) }
		}
	}
	return "", nil
}

func (d *Domain) replicationAllowed(who *caller) bool {
	return who.has("all_access") || who.has("cross_cluster_replication_follower_full_access")
}

func badRequest(typ, reason string) (int, any) {
	return http.StatusBadRequest, osError(http.StatusBadRequest, typ, reason)
}

// emptyObject checks the required body {} of pause, resume and stop.
func emptyObject(b []byte) bool {
	var m map[string]any
	return json.Unmarshal(b, &m) == nil && m != nil
}

type useRoles struct {
	LeaderClusterRole   string `json:"leader_cluster_role"`
	FollowerClusterRole string `json:"follower_cluster_role"`
}

func (d *Domain) startReplication(who *caller, idx string, body []byte) (int, any) {
	if !d.replicationAllowed(who) {
		return forbidden("indices:admin/plugins/replication/index/start", who)
	}
	var req struct {
		LeaderAlias string    `json:"leader_alias"`
		LeaderIndex string    `json:"leader_index"`
		UseRoles    *useRoles `json:"use_roles"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return badRequest("parse_exception", "request body is not valid JSON")
	}
	var missing []string
	if req.LeaderAlias == "" {
		missing = append(missing, "leader_alias")
	}
	if req.LeaderIndex == "" {
		missing = append(missing, "leader_index")
	}
	if len(missing) > 0 {
		return badRequest("illegal_argument_exception", "Mandatory params ["+strings.Join(missing, ", ")+"] are missing for the request")
	}
	if req.UseRoles == nil || req.UseRoles.LeaderClusterRole == "" || req.UseRoles.FollowerClusterRole == "" {
		return badRequest("illegal_argument_exception", "Cluster security plugin is enabled. use_roles with leader_cluster_role and follower_cluster_role are required")
	}
	return d.start(idx, req.LeaderAlias, req.LeaderIndex)
}

func (d *Domain) start(idx, alias, leaderIndex string) (int, any) {
	leader, ok := d.f.activeLeader(d.spec.Name, alias)
	if !ok {
		return http.StatusNotFound, osError(http.StatusNotFound, "no_such_remote_cluster_exception", "no such remote cluster: ["+alias+"]")
	}
	leader.mu.Lock()
	lix, ok := leader.indexes[leaderIndex]
	if _, isFollower := leader.repl[leaderIndex]; isFollower && ok {
		leader.mu.Unlock()
		return badRequest("illegal_argument_exception", "Cannot replicate from "+leaderIndex+": it is itself a follower index (no chaining)")
	}
	var snapshot []*document
	seq := 0
	types := map[string]string{}
	if ok {
		for _, id := range lix.order {
			doc := lix.docs[id]
			snapshot = append(snapshot, &document{id: id, source: deepCopy(doc.source).(map[string]any)})
		}
		seq = lix.seqNo
		for k, v := range lix.types {
			types[k] = v
		}
	}
	leader.mu.Unlock()
	if !ok {
		return indexNotFound(leaderIndex)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if ix, exists := d.indexes[idx]; exists {
		if ix.stopped {
			return badRequest("illegal_argument_exception", "Cant use same index again for replication. Delete the index:"+idx)
		}
		return badRequest("resource_already_exists_exception", "index ["+idx+"/"+indexUUID(idx)+"] already exists")
	}
	ix := newIndex(idx)
	ix.types = types
	for _, doc := range snapshot {
		ix.put(doc.id, doc.source)
	}
	d.indexes[idx] = ix
	d.repl[idx] = &replication{follower: idx, leaderIndex: leaderIndex, alias: alias, leader: leader, started: d.f.clock.Now(), lastSeq: seq}
	return http.StatusOK, map[string]any{"acknowledged": true}
}

// sync copies the leader's changes to a SYNCING follower index (locks: leader, then self,
// never both).
func (d *Domain) sync(idx string) {
	d.mu.Lock()
	r, ok := d.repl[idx]
	if !ok || r.status(d.f.clock.Now()) != statusSyncing {
		d.mu.Unlock()
		return
	}
	leader, leaderIndex, last := r.leader, r.leaderIndex, r.lastSeq
	d.mu.Unlock()
	leader.mu.Lock()
	var changed []*document
	seq := last
	if lix, ok := leader.indexes[leaderIndex]; ok {
		for _, id := range lix.order {
			if doc := lix.docs[id]; doc.seqNo > last {
				changed = append(changed, &document{id: id, source: deepCopy(doc.source).(map[string]any)})
			}
		}
		seq = lix.seqNo
	}
	leader.mu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	if r.status(d.f.clock.Now()) != statusSyncing || r.lastSeq != last {
		return
	}
	if ix, ok := d.indexes[idx]; ok {
		for _, doc := range changed {
			ix.put(doc.id, doc.source)
		}
	}
	r.lastSeq = seq
}

func (d *Domain) running(idx string) (*replication, bool) {
	r, ok := d.repl[idx]
	return r, ok && r.active()
}

// controlReplication is what pause, resume and stop share: the caller's permission for
// action, the empty JSON body they take, the follower caught up with its leader, and a
// replication in progress on idx, which change then alters under the domain's lock.
func (d *Domain) controlReplication(who *caller, action, idx string, body []byte, change func(*replication) (int, any)) (int, any) {
	if !d.replicationAllowed(who) {
		return forbidden(action, who)
	}
	if !emptyObject(body) {
		return badRequest("parse_exception", "request body is required")
	}
	d.sync(idx) // a no-op unless SYNCING
	d.mu.Lock()
	defer d.mu.Unlock()
	r, ok := d.running(idx)
	if !ok {
		return badRequest("illegal_argument_exception", "No replication in progress for index:"+idx)
	}
	return change(r)
}

func (d *Domain) pauseReplication(who *caller, idx string, body []byte) (int, any) {
	return d.controlReplication(who, "indices:admin/plugins/replication/index/pause", idx, body, func(r *replication) (int, any) {
		if r.state == statusPaused {
			return badRequest("illegal_argument_exception", "Index "+idx+" is already paused")
		}
		r.state, r.paused = statusPaused, d.f.clock.Now()
		return http.StatusOK, map[string]any{"acknowledged": true}
	})
}

func (d *Domain) resumeReplication(who *caller, idx string, body []byte) (int, any) {
	return d.controlReplication(who, "indices:admin/plugins/replication/index/resume", idx, body, func(r *replication) (int, any) {
		if r.state != statusPaused {
			return badRequest("resource_already_exists_exception", "Replication on Index "+idx+" is already running")
		}
		// The leader keeps retention leases for 12 hours; later, the history is gone.
		if d.f.clock.Now().Sub(r.paused) > maxPause {
			return badRequest("illegal_state_exception", "Retention lease doesn't exist. Replication can't be resumed for "+idx)
		}
		r.state = ""
		r.started = d.f.clock.Now().Add(-bootstrapTime)
		return http.StatusOK, map[string]any{"acknowledged": true}
	})
}

func (d *Domain) stopReplication(who *caller, idx string, body []byte) (int, any) {
	return d.controlReplication(who, "indices:admin/plugins/replication/index/stop", idx, body, func(r *replication) (int, any) {
		r.state = "STOPPED"
		if ix, ok := d.indexes[idx]; ok {
			ix.stopped = true
		}
		return http.StatusOK, map[string]any{"acknowledged": true}
	})
}

func (d *Domain) replicationStatus(who *caller, idx string) (int, any) {
	if !d.replicationAllowed(who) {
		return forbidden("indices:admin/plugins/replication/index/status_check", who)
	}
	d.applyAutoFollow()
	d.sync(idx)
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.f.clock.Now()
	r, ok := d.repl[idx]
	if !ok {
		return http.StatusOK, map[string]any{"status": statusNotRunning, "reason": "User initiated", "follower_index": idx}
	}
	st := r.status(now)
	key := "replication/" + d.spec.Name + "/" + idx
	if st == statusBootstrapping {
		if err := d.f.WaitingOnClock(key, now); err != nil {
			return http.StatusInternalServerError, osError(http.StatusInternalServerError, "exception", err.Error())
		}
	} else {
		d.f.Settled(key)
	}
	out := map[string]any{"status": st, "reason": "User initiated", "leader_alias": r.alias, "leader_index": r.leaderIndex, "follower_index": idx}
	if st == statusSyncing || st == statusPaused {
		cp := int64(r.lastSeq) - 1
		out["syncing_details"] = map[string]any{"leader_checkpoint": cp, "follower_checkpoint": cp, "seq_no": cp + 1}
	}
	return http.StatusOK, out
}

type autoFollowReq struct {
	LeaderAlias string    `json:"leader_alias"`
	Name        string    `json:"name"`
	Pattern     string    `json:"pattern"`
	UseRoles    *useRoles `json:"use_roles"`
}

func (d *Domain) putAutoFollow(who *caller, body []byte) (int, any) {
	if !d.replicationAllowed(who) {
		return forbidden("cluster:admin/plugins/replication/autofollow/update", who)
	}
	var req autoFollowReq
	if err := json.Unmarshal(body, &req); err != nil {
		return badRequest("parse_exception", "request body is not valid JSON")
	}
	if req.LeaderAlias == "" || req.Name == "" || req.Pattern == "" {
		return badRequest("illegal_argument_exception", "Mandatory params [leader_alias, name, pattern] are missing for the request")
	}
	if req.UseRoles == nil || req.UseRoles.LeaderClusterRole == "" || req.UseRoles.FollowerClusterRole == "" {
		return badRequest("illegal_argument_exception", "Cluster security plugin is enabled. use_roles with leader_cluster_role and follower_cluster_role are required")
	}
	if _, ok := d.f.activeLeader(d.spec.Name, req.LeaderAlias); !ok {
		return http.StatusNotFound, osError(http.StatusNotFound, "no_such_remote_cluster_exception", "no such remote cluster: ["+req.LeaderAlias+"]")
	}
	d.mu.Lock()
	key := req.LeaderAlias + "/" + req.Name
	if r, ok := d.autofollw[key]; ok {
		r.pattern = req.Pattern // POST also updates a rule
	} else {
		d.autofollw[key] = &autoFollowRule{alias: req.LeaderAlias, name: req.Name, pattern: req.Pattern}
	}
	d.mu.Unlock()
	d.applyAutoFollow()
	return http.StatusOK, map[string]any{"acknowledged": true}
}

func (d *Domain) deleteAutoFollow(who *caller, body []byte) (int, any) {
	if !d.replicationAllowed(who) {
		return forbidden("cluster:admin/plugins/replication/autofollow/update", who)
	}
	var req autoFollowReq
	if err := json.Unmarshal(body, &req); err != nil || req.LeaderAlias == "" || req.Name == "" {
		return badRequest("illegal_argument_exception", "Mandatory params [leader_alias, name] are missing for the request")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	key := req.LeaderAlias + "/" + req.Name
	if _, ok := d.autofollw[key]; !ok {
		return badRequest("illegal_argument_exception", "Autofollow replication with name "+req.Name+" does not exist")
	}
	delete(d.autofollw, key) // replications it started go on
	return http.StatusOK, map[string]any{"acknowledged": true}
}

// applyAutoFollow starts replications for leader indexes matching a rule (as the plugin's
// periodic auto-follow task does), skipping indexes that exist on the follower.
func (d *Domain) applyAutoFollow() {
	d.mu.Lock()
	rules := make([]*autoFollowRule, 0, len(d.autofollw))
	for _, k := range sortedKeys(d.autofollw) {
		rules = append(rules, d.autofollw[k])
	}
	d.mu.Unlock()
	for _, r := range rules {
		leader, ok := d.f.activeLeader(d.spec.Name, r.alias)
		if !ok {
			continue
		}
		leader.mu.Lock()
		var names []string
		for n := range leader.indexes {
			if _, isFollower := leader.repl[n]; glob.Match(r.pattern, n) && !isFollower {
				names = append(names, n)
			}
		}
		leader.mu.Unlock()
		slices.Sort(names)
		for _, n := range names {
			d.mu.Lock()
			_, exists := d.indexes[n]
			d.mu.Unlock()
			if exists {
				continue
			}
			if st, _ := d.start(n, r.alias, n); st == http.StatusOK {
				d.mu.Lock()
				r.started++
				d.mu.Unlock()
			}
		}
	}
}

func (d *Domain) autoFollowStats(who *caller) (int, any) {
	if !d.replicationAllowed(who) {
		return forbidden("cluster:admin/plugins/replication/autofollow/stats", who)
	}
	d.applyAutoFollow()
	d.mu.Lock()
	defer d.mu.Unlock()
	total := 0
	stats := []any{}
	for _, k := range sortedKeys(d.autofollw) {
		r := d.autofollw[k]
		total += r.started
		stats = append(stats, map[string]any{"name": r.name, "pattern": r.pattern, "num_success_start_replication": r.started,
			"num_failed_start_replication": 0, "num_failed_leader_calls": 0, "failed_indices": []any{}})
	}
	return http.StatusOK, map[string]any{"num_success_start_replication": total, "num_failed_start_replication": 0,
		"num_failed_leader_calls": 0, "failed_indices": []any{}, "autofollow_stats": stats}
}
