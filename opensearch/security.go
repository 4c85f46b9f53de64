package opensearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Defaults of Options for Security.
const (
	// defaultMapAttempts bounds the read-test-patch rounds of MapRole and UnmapRole when
	// concurrent writers make the JSON Patch test fail.
	defaultMapAttempts = 8
	// defaultMapMinDelay is the first delay before such a round is tried again.
	defaultMapMinDelay = 50 * time.Millisecond
	// defaultMapMaxDelay caps that delay.
	defaultMapMaxDelay = 2 * time.Second
)

// Security manages the security plugin's roles, role mappings, internal users and action
// groups of one managed domain (Serverless has no security plugin). It is safe for
// concurrent use.
type Security struct {
	t    Transport
	opts Options
}

// NewSecurity returns a Security helper sending requests through t (the Client field of what
// NewClient returns, or opensearchtest's client). It reads PluginPrefix, Retry and Logger.
func NewSecurity(t Transport, optFns ...func(*Options)) *Security {
	return &Security{t: t, opts: configure(Options{}, optFns)}
}

func (s *Security) options(optFns []func(*Options)) Options {
	o := configure(s.opts, optFns)
	if o.Retry.MaxAttempts == 0 {
		o.Retry.MaxAttempts = defaultMapAttempts
	}
	if o.Retry.MinDelay == 0 {
		o.Retry.MinDelay = defaultMapMinDelay
	}
	if o.Retry.MaxDelay == 0 {
		o.Retry.MaxDelay = defaultMapMaxDelay
	}
	return o
}

func securityPath(o Options, kind, name string) string {
	return o.PluginPrefix + "/_security/api/" + kind + "/" + url.PathEscape(name)
}

// immutableError turns the flags of a stored resource into the error the plugin would answer
// to a write, so the helper refuses before sending anything: hidden (404), static, reserved
// (403), in the plugin's order.
func immutableError(method, path, name string, reserved, hidden, static bool) error {
	switch {
	case hidden:
		return &APIError{Method: method, Path: path, Status: http.StatusNotFound, Type: "NOT_FOUND", Reason: "Resource '" + name + "' is not available."}
	case static:
		return &APIError{Method: method, Path: path, Status: http.StatusForbidden, Type: "FORBIDDEN", Reason: "Resource '" + name + "' is static."}
	case reserved:
		return &APIError{Method: method, Path: path, Status: http.StatusForbidden, Type: "FORBIDDEN", Reason: "Resource '" + name + "' is reserved."}
	}
	return nil
}

// GetRole reads a role. A missing role is an error matching ErrNotFound; a hidden one
// ErrHidden.
func (s *Security) GetRole(ctx context.Context, name string, optFns ...func(*Options)) (Role, error) {
	o := s.options(optFns)
	if err := validateName("role", name); err != nil {
		return Role{}, err
	}
	stored, err := s.getRole(ctx, o, name)
	if err != nil {
		return Role{}, err
	}
	return stored.Role, nil
}

func (s *Security) getRole(ctx context.Context, o Options, name string) (storedRole, error) {
	var raw json.RawMessage
	if err := call(ctx, s.t, http.MethodGet, securityPath(o, "roles", name), nil, &raw); err != nil {
		return storedRole{}, err
	}
	roles, err := parseStoredRoles(raw)
	if err != nil {
		return storedRole{}, err
	}
	r, ok := roles[name]
	if !ok {
		return storedRole{}, fmt.Errorf("opensearch: GET role %q: the answer does not hold the role", name)
	}
	return r, nil
}

// EnsureRole makes role r exist as given: it reads the role, compares, and writes (PUT,
// which replaces the whole role) only when something differs. It refuses reserved, static
// and hidden roles before writing, with an *APIError matching ErrReserved, ErrStatic or
// ErrHidden, and validates r first (Role.Validate).
func (s *Security) EnsureRole(ctx context.Context, r Role, optFns ...func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	if err := r.validate(); err != nil {
		return datablocks.Change{}, err
	}
	if o.Logger != nil {
		for _, w := range r.Warnings(nil) {
			o.Logger.WarnContext(ctx, "opensearch role", "role", r.Name, "warning", w)
		}
	}
	path := securityPath(o, "roles", r.Name)
	cur, err := s.getRole(ctx, o, r.Name)
	switch {
	case errors.Is(err, ErrNotFound):
		if err := call(ctx, s.t, http.MethodPut, path, r, nil); err != nil {
			return datablocks.Change{}, err
		}
		s.logWrite(ctx, o, "created role", r.Name)
		return datablocks.Change{Action: datablocks.Created}, nil
	case err != nil:
		return datablocks.Change{}, err
	}
	if err := immutableError(http.MethodPut, path, r.Name, cur.Reserved, cur.Hidden, cur.Static); err != nil {
		return datablocks.Change{}, err
	}
	changed := roleDiff(cur.Role, r)
	if len(changed) == 0 {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if err := call(ctx, s.t, http.MethodPut, path, r, nil); err != nil {
		return datablocks.Change{}, err
	}
	s.logWrite(ctx, o, "updated role", r.Name)
	return datablocks.Change{Action: datablocks.Updated, Changed: changed}, nil
}

func (s *Security) logWrite(ctx context.Context, o Options, msg, name string) {
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "opensearch: "+msg, "name", name)
	}
}

// roleDiff names the top-level members that differ.
func roleDiff(cur, want Role) []string {
	c, w := cur.normalized(), want.normalized()
	var out []string
	if c.Description != w.Description {
		out = append(out, "description")
	}
	if !slices.Equal(c.ClusterPermissions, w.ClusterPermissions) {
		out = append(out, "cluster_permissions")
	}
	if !reflect.DeepEqual(c.IndexPermissions, w.IndexPermissions) {
		out = append(out, "index_permissions")
	}
	if !reflect.DeepEqual(c.TenantPermissions, w.TenantPermissions) {
		out = append(out, "tenant_permissions")
	}
	return out
}

// RoleMapping is who a role is mapped to.
type RoleMapping struct {
	// BackendRoles are backend roles: IAM role ARNs on AWS, LDAP or SAML groups.
	BackendRoles []string `json:"backend_roles"`
	// Hosts are host names or patterns.
	Hosts []string `json:"hosts"`
	// Users are user names (internal users, IAM user ARNs).
	Users []string `json:"users"`
}

type storedMapping struct {
	BackendRoles    []string `json:"backend_roles"`
	Hosts           []string `json:"hosts"`
	Users           []string `json:"users"`
	AndBackendRoles []string `json:"and_backend_roles"`
	Reserved        bool     `json:"reserved"`
	Hidden          bool     `json:"hidden"`
	Static          bool     `json:"static"`
}

// GetRoleMapping reads the mapping of role. A role without mapping is an error matching
// ErrNotFound.
func (s *Security) GetRoleMapping(ctx context.Context, role string, optFns ...func(*Options)) (RoleMapping, error) {
	o := s.options(optFns)
	if err := validateName("role", role); err != nil {
		return RoleMapping{}, err
	}
	m, err := s.getMapping(ctx, o, role)
	if err != nil {
		return RoleMapping{}, err
	}
	return RoleMapping{BackendRoles: m.BackendRoles, Hosts: m.Hosts, Users: m.Users}, nil
}

func (s *Security) getMapping(ctx context.Context, o Options, role string) (storedMapping, error) {
	var all map[string]storedMapping
	if err := call(ctx, s.t, http.MethodGet, securityPath(o, "rolesmapping", role), nil, &all); err != nil {
		return storedMapping{}, err
	}
	m, ok := all[role]
	if !ok {
		return storedMapping{}, fmt.Errorf("opensearch: GET role mapping %q: the answer does not hold the mapping", role)
	}
	return m, nil
}

// patchOp is one RFC 6902 operation.
type patchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

// MapRole adds the backend roles, users and hosts of m to the mapping of role, leaving every
// other entry as it is. It changes an existing mapping only with a JSON Patch whose test
// operations check each list it changes is still what it read, and appends with
// "/<list>/-"; when another writer changed the mapping in between, the plugin refuses the
// patch and MapRole reads and tries again (Retry). A role without mapping is created with a
// PUT (the plugin's API cannot test that a mapping is absent, so two writers creating the
// same mapping at the same instant may race: MapRole then returns an error matching ErrMappingRace; see
// the package documentation).
func (s *Security) MapRole(ctx context.Context, role string, m RoleMapping, optFns ...func(*Options)) (datablocks.Change, error) {
	return s.changeMapping(ctx, role, m, true, optFns)
}

// UnmapRole removes the backend roles, users and hosts of m from the mapping of role, with
// the same test-guarded JSON Patch as MapRole, and nothing else: it never deletes the
// mapping, even when it becomes empty, since other writers may rely on it.
func (s *Security) UnmapRole(ctx context.Context, role string, m RoleMapping, optFns ...func(*Options)) (datablocks.Change, error) {
	return s.changeMapping(ctx, role, m, false, optFns)
}

func (m RoleMapping) validate() error {
	if len(m.BackendRoles)+len(m.Hosts)+len(m.Users) == 0 {
		return errors.New("opensearch: RoleMapping names no backend role, host or user")
	}
	for _, l := range [][]string{m.BackendRoles, m.Hosts, m.Users} {
		for _, v := range l {
			if v == "" || len(v) > 2048 {
				return fmt.Errorf("opensearch: RoleMapping entry %q must be 1-2048 characters", v)
			}
		}
	}
	return nil
}

// mappingRaceError is ErrMappingRace for a role.
type mappingRaceError struct {
	Role string
}

// Error says what to do.
// Unwrap returns ErrMappingRace.
func (e *mappingRaceError) Unwrap() error { return ErrMappingRace }

func (e *mappingRaceError) Error() string {
	return fmt.Sprintf("opensearch: role mapping %q was created concurrently by another writer and this MapRole's PUT replaced it; its entries are mapped, the other writer's may be lost: run the other writer's MapRole again", e.Role)
}

// errTestFailed marks a patch the plugin refused because a concurrent writer won.
var errTestFailed = errors.New("opensearch: role mapping changed concurrently")

func (s *Security) changeMapping(ctx context.Context, role string, m RoleMapping, add bool, optFns []func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	if err := validateName("role", role); err != nil {
		return datablocks.Change{}, err
	}
	if err := m.validate(); err != nil {
		return datablocks.Change{}, err
	}
	var change datablocks.Change
	popts := poll.FromRetryFor("role mapping "+role, o.Retry, s.t)
	popts.Retryable = func(err error) bool { return errors.Is(err, errTestFailed) }
	err := poll.Wait(ctx, popts, func(ctx context.Context) (string, bool, error) {
		c, err := s.mappingRound(ctx, o, role, m, add)
		change = c // what was applied, also when an error says more
		if err != nil {
			return "conflict", false, err
		}
		return "done", true, nil
	})
	if errors.Is(err, errTestFailed) {
		return datablocks.Change{}, fmt.Errorf("opensearch: role mapping %q kept changing during %d attempts: %w", role, o.Retry.MaxAttempts, err)
	}
	return change, err
}

// mappingRound reads the mapping and patches it once.
func (s *Security) mappingRound(ctx context.Context, o Options, role string, m RoleMapping, add bool) (datablocks.Change, error) {
	path := securityPath(o, "rolesmapping", role)
	cur, err := s.getMapping(ctx, o, role)
	if errors.Is(err, ErrNotFound) {
		if !add {
			return datablocks.Change{Action: datablocks.Unchanged}, nil
		}
		body := RoleMapping{BackendRoles: nonNil(dedupe(m.BackendRoles)), Hosts: nonNil(dedupe(m.Hosts)), Users: nonNil(dedupe(m.Users))}
		var ack struct {
			Status string `json:"status"`
		}
		if err := call(ctx, s.t, http.MethodPut, path, body, &ack); err != nil {
			return datablocks.Change{}, err
		}
		s.logWrite(ctx, o, "created role mapping", role)
		if ack.Status != "CREATED" {
			// The plugin answers 200 "updated" (not 201 "created"): another writer created the
			// mapping between the read and this PUT, and the PUT replaced it.
			return datablocks.Change{Action: datablocks.Updated, Changed: []string{"backend_roles", "hosts", "users"}}, &mappingRaceError{Role: role}
		}
		return datablocks.Change{Action: datablocks.Created}, nil
	}
	if err != nil {
		return datablocks.Change{}, err
	}
	if err := immutableError(http.MethodPatch, path, role, cur.Reserved, cur.Hidden, cur.Static); err != nil {
		return datablocks.Change{}, err
	}
	var ops []patchOp
	var changed []string
	for _, l := range []struct {
		name      string
		cur, want []string
	}{{"backend_roles", cur.BackendRoles, m.BackendRoles}, {"hosts", cur.Hosts, m.Hosts}, {"users", cur.Users, m.Users}} {
		var lops []patchOp
		if add {
			for _, v := range dedupe(l.want) {
				if !slices.Contains(l.cur, v) {
					lops = append(lops, patchOp{Op: "add", Path: "/" + l.name + "/-", Value: v})
				}
			}
		} else {
			next := slices.DeleteFunc(slices.Clone(l.cur), func(v string) bool { return slices.Contains(l.want, v) })
			if len(next) != len(l.cur) {
				lops = append(lops, patchOp{Op: "replace", Path: "/" + l.name, Value: nonNil(next)})
			}
		}
		if len(lops) == 0 {
			continue
		}
		ops = append(ops, patchOp{Op: "test", Path: "/" + l.name, Value: nonNil(l.cur)})
		ops = append(ops, lops...)
		changed = append(changed, l.name)
	}
	if len(ops) == 0 {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if err := call(ctx, s.t, http.MethodPatch, path, ops, nil); err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest && strings.Contains(strings.ToLower(apiErr.Reason), "test") {
			// The plugin answers 400 "[TEST Operation] value mismatch" (zjsonpatch) when a
			// test operation fails: someone else wrote first.
			return datablocks.Change{}, fmt.Errorf("%w: %w", errTestFailed, err)
		}
		return datablocks.Change{}, err
	}
	s.logWrite(ctx, o, "patched role mapping", role)
	return datablocks.Change{Action: datablocks.Updated, Changed: changed}, nil
}

func dedupe(s []string) []string {
	var out []string
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
