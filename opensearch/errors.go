package opensearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// Sentinel errors an *APIError matches with errors.Is.
var (
	// ErrNotFound: the resource (role, mapping, user, index, replication) does not exist.
	ErrNotFound = errors.New("opensearch: not found")
	// ErrReserved: the security plugin refuses changes to a reserved resource (403).
	ErrReserved = errors.New("opensearch: resource is reserved")
	// ErrStatic: the security plugin refuses changes to a static resource (403).
	ErrStatic = errors.New("opensearch: resource is static")
	// ErrHidden: the security plugin hides the resource (404 "is not available").
	ErrHidden = errors.New("opensearch: resource is hidden")
	// ErrForbidden: the caller lacks the privileges for the request (403).
	ErrForbidden = errors.New("opensearch: forbidden")
	// ErrFollowerReadOnly: a write to a follower index while it replicates (the replication
	// plugin's index block); stop the replication to write.
	ErrFollowerReadOnly = errors.New("opensearch: follower index is read-only while it replicates")
)

// Sentinel errors of the helpers' own refusals, matched with errors.Is; the error's message
// names the index, domain or role, and wraps the plugin's answer when there is one.
var (
	// ErrIndexReused: a replication start on an index that was a follower before. A stopped
	// index is a plain index and the plugin never replicates into it again; delete it first.
	ErrIndexReused = errors.New("opensearch: index was a follower before")
	// ErrPausedTooLong: a resume more than 12 hours after the pause, when the leader no longer
	// keeps the history the follower needs. Stop the replication, delete the follower index
	// and start again.
	ErrPausedTooLong = errors.New("opensearch: replication paused too long to resume")
	// ErrReplicationNotRunning: WaitSyncing found the replication neither bootstrapping nor
	// syncing (paused or not running).
	ErrReplicationNotRunning = errors.New("opensearch: replication is not running")
	// ErrConnectionLimit: the domain already has 20 cross-cluster connections, AWS's limit
	// per domain, inbound and outbound together.
	ErrConnectionLimit = errors.New("opensearch: domain has the most cross-cluster connections")
	// ErrMappingRace: MapRole created a role mapping at the same time as another writer. The
	// security plugin has no way to create a mapping only if it is absent, so the PUT that
	// created it replaced the other writer's new mapping: MapRole's own entries are mapped;
	// the other writer's may be lost and its MapRole should run again.
	ErrMappingRace = errors.New("opensearch: role mapping created concurrently")
	// ErrFGACPrerequisites: CheckDomainFGAC found the domain missing prerequisites of
	// fine-grained access control; the message lists each.
	ErrFGACPrerequisites = errors.New("opensearch: domain misses fine-grained access control prerequisites")
)

// maxResponseBody bounds the response bodies the helpers read.
const maxResponseBody = 8 << 20

// APIError is an HTTP error answered by OpenSearch, its security plugin or its replication
// plugin. Use errors.Is with ErrNotFound, ErrReserved, ErrStatic, ErrHidden or ErrForbidden:
//
//	if errors.Is(err, opensearch.ErrReserved) { ... }
//	var apiErr *opensearch.APIError
//	if errors.As(err, &apiErr) { fmt.Println(apiErr.Status, apiErr.Reason) }
type APIError struct {
	// Method and Path are the request's.
	Method, Path string
	// Status is the HTTP status code.
	Status int
	// Type is OpenSearch's error type (security_exception, index_not_found_exception) or
	// the security plugin's status word (FORBIDDEN, NOT_FOUND, BAD_REQUEST, error).
	Type string
	// Reason is the message: the security plugin's "message" or "reason", OpenSearch's
	// error.reason.
	Reason string
	// InvalidKeys lists the keys the security plugin rejected ("hidden", "reserved").
	InvalidKeys []string
}

// Error says what failed, with the status and the reason.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "opensearch: %s %s: %d", e.Method, e.Path, e.Status)
	if e.Type != "" {
		b.WriteString(" " + e.Type)
	}
	if e.Reason != "" {
		b.WriteString(": " + e.Reason)
	}
	if len(e.InvalidKeys) > 0 {
		b.WriteString(" (invalid keys: " + strings.Join(e.InvalidKeys, ", ") + ")")
	}
	return b.String()
}

// Is matches the sentinel errors by status and message, as the security plugin words them
// ("Resource 'x' is reserved.", "... is static.", "... is not available.") and as the
// replication plugin blocks a follower ("index read-only(cross-cluster-replication)").
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrReserved:
		return e.Status == http.StatusForbidden && strings.HasSuffix(e.Reason, "is reserved.")
	case ErrStatic:
		return e.Status == http.StatusForbidden && strings.HasSuffix(e.Reason, "is static.")
	case ErrHidden:
		return e.Status == http.StatusNotFound && strings.HasSuffix(e.Reason, "is not available.")
	case ErrNotFound:
		return e.Status == http.StatusNotFound && !strings.HasSuffix(e.Reason, "is not available.")
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrFollowerReadOnly:
		return e.Type == "cluster_block_exception" && strings.Contains(e.Reason, "cross-cluster-replication")
	}
	return false
}

// parseAPIError decodes the error shapes of OpenSearch and its plugins:
//
//	{"status":"FORBIDDEN","message":"Resource 'x' is reserved."}                 security plugin
//	{"status":"error","reason":"Invalid configuration","invalid_keys":{"keys":"hidden,reserved"}}
//	{"error":{"type":"security_exception","reason":"no permissions for ..."},"status":403}
func parseAPIError(method, path string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, Status: status}
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		e.Reason = strings.TrimSpace(truncate(string(body), 512))
		return e
	}
	if raw, ok := doc["error"]; ok {
		var inner struct {
			Type   string `json:"type"`
			Reason string `json:"reason"`
		}
		if json.Unmarshal(raw, &inner) == nil {
			e.Type, e.Reason = inner.Type, inner.Reason
		} else {
			var s string
			_ = json.Unmarshal(raw, &s)
			e.Reason = s
		}
		return e
	}
	var st string
	_ = json.Unmarshal(doc["status"], &st)
	e.Type = st
	for _, k := range []string{"message", "reason"} {
		var s string
		if json.Unmarshal(doc[k], &s) == nil && s != "" {
			e.Reason = s
			break
		}
	}
	var ik struct {
		Keys string `json:"keys"`
	}
	if json.Unmarshal(doc["invalid_keys"], &ik) == nil && ik.Keys != "" {
		e.InvalidKeys = strings.Split(ik.Keys, ",")
		slices.Sort(e.InvalidKeys)
	}
	return e
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// call sends one request and decodes a 2xx JSON answer into out (when not nil). Any other
// status is an *APIError.
func call(ctx context.Context, t Transport, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if raw, ok := in.(json.RawMessage); ok {
			body = raw
		} else if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("opensearch: encoding %s %s: %w", method, path, err)
		}
	}
	req, err := newRequest(ctx, method, path, body)
	if err != nil {
		return err
	}
	resp, err := t.Perform(req)
	if err != nil {
		return fmt.Errorf("opensearch: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return fmt.Errorf("opensearch: %s %s: reading answer: %w", method, path, err)
	}
	if len(data) > maxResponseBody {
		return fmt.Errorf("opensearch: %s %s: answer exceeds %d bytes", method, path, maxResponseBody)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return parseAPIError(method, path, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("opensearch: %s %s: decoding answer: %w", method, path, err)
	}
	return nil
}
