package opensearch

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"

	"github.com/datablocks-go/datablocks"
)

// Password is a secret that never prints: String, GoString and MarshalText (used by %v, %#v,
// slog and encoders) all redact it. Its value reaches the wire only in the
// request body that sets it.
type Password string

const redacted = "[REDACTED]"

// String redacts.
func (Password) String() string { return redacted }

// GoString redacts.
func (Password) GoString() string { return redacted }

// MarshalText redacts, so a Password inside a struct never leaks through encoding/json or
// logging encoders.
func (Password) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// InternalUser is a user of the security plugin's internal user database. Printed, logged or
// encoded, it shows its Password redacted.
type InternalUser struct {
	// Name is the user name.
	Name string
	// Password is set when the user is created, or by SetPassword; EnsureUser never changes
	// the password of an existing user (the plugin returns only a hash to compare with).
	Password Password
	// BackendRoles are backend roles the user carries (mapped to roles by role mappings).
	BackendRoles []string
	// SecurityRoles are roles given directly (opendistro_security_roles); they must exist
	// and not be reserved.
	SecurityRoles []string
	// Attributes are user attributes, usable in DLS as ${attr.internal.<name>}.
	Attributes map[string]string
	// Description is free text.
	Description string
}

type wireUser struct {
	Password      string            `json:"password,omitempty"`
	BackendRoles  []string          `json:"backend_roles"`
	SecurityRoles []string          `json:"opendistro_security_roles"`
	Attributes    map[string]string `json:"attributes"`
	Description   string            `json:"description,omitempty"`
}

type storedUser struct {
	BackendRoles  []string          `json:"backend_roles"`
	SecurityRoles []string          `json:"opendistro_security_roles"`
	Attributes    map[string]string `json:"attributes"`
	Description   string            `json:"description"`
	Reserved      bool              `json:"reserved"`
	Hidden        bool              `json:"hidden"`
	Static        bool              `json:"static"`
}

// EnsureUser makes internal user u exist with its backend roles, security roles, attributes
// and description: created with u.Password (required then) by PUT, or updated by a JSON
// Patch of the members that differ, which leaves the password alone. Reserved, static and
// hidden users are refused before any write.
func (s *Security) EnsureUser(ctx context.Context, u InternalUser, optFns ...func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	if err := validateName("user", u.Name); err != nil {
		return datablocks.Change{}, err
	}
	path := securityPath(o, "internalusers", u.Name)
	var all map[string]storedUser
	err := call(ctx, s.t, http.MethodGet, path, nil, &all)
	if errors.Is(err, ErrNotFound) {
		if u.Password == "" {
			return datablocks.Change{}, fmt.Errorf("opensearch: InternalUser %q: Password is required to create the user", u.Name)
		}
		body := wireUser{Password: string(u.Password), BackendRoles: nonNil(u.BackendRoles), SecurityRoles: nonNil(u.SecurityRoles), Attributes: attrs(u.Attributes), Description: u.Description}
		if err := call(ctx, s.t, http.MethodPut, path, body, nil); err != nil {
			return datablocks.Change{}, err
		}
		s.logWrite(ctx, o, "created internal user", u.Name)
		return datablocks.Change{Action: datablocks.Created}, nil
	}
	if err != nil {
		return datablocks.Change{}, err
	}
	cur, ok := all[u.Name]
	if !ok {
		return datablocks.Change{}, fmt.Errorf("opensearch: GET internal user %q: the answer does not hold the user", u.Name)
	}
	if err := immutableError(http.MethodPatch, path, u.Name, cur.Reserved, cur.Hidden, cur.Static); err != nil {
		return datablocks.Change{}, err
	}
	var ops []patchOp
	var changed []string
	if !slices.Equal(emptyNil(cur.BackendRoles), emptyNil(u.BackendRoles)) {
		ops = append(ops, patchOp{Op: "replace", Path: "/backend_roles", Value: nonNil(u.BackendRoles)})
		changed = append(changed, "backend_roles")
	}
	if !slices.Equal(emptyNil(cur.SecurityRoles), emptyNil(u.SecurityRoles)) {
		ops = append(ops, patchOp{Op: "replace", Path: "/opendistro_security_roles", Value: nonNil(u.SecurityRoles)})
		changed = append(changed, "opendistro_security_roles")
	}
	if !maps.Equal(cur.Attributes, u.Attributes) && !(len(cur.Attributes) == 0 && len(u.Attributes) == 0) {
		ops = append(ops, patchOp{Op: "replace", Path: "/attributes", Value: attrs(u.Attributes)})
		changed = append(changed, "attributes")
	}
	if cur.Description != u.Description {
		ops = append(ops, patchOp{Op: "replace", Path: "/description", Value: u.Description})
		changed = append(changed, "description")
	}
	if len(ops) == 0 {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if err := call(ctx, s.t, http.MethodPatch, path, ops, nil); err != nil {
		return datablocks.Change{}, err
	}
	s.logWrite(ctx, o, "patched internal user", u.Name)
	return datablocks.Change{Action: datablocks.Updated, Changed: changed}, nil
}

func attrs(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// SetPassword replaces the password of an existing internal user with a JSON Patch.
func (s *Security) SetPassword(ctx context.Context, user string, p Password, optFns ...func(*Options)) error {
	o := s.options(optFns)
	if err := validateName("user", user); err != nil {
		return err
	}
	if p == "" {
		return errors.New("opensearch: SetPassword: the password is empty")
	}
	ops := []patchOp{{Op: "add", Path: "/password", Value: string(p)}}
	return call(ctx, s.t, http.MethodPatch, securityPath(o, "internalusers", user), ops, nil)
}

// ActionGroup is a named set of actions usable in roles.
type ActionGroup struct {
	// Name is the group's name.
	Name string `json:"-"`
	// AllowedActions are the actions and groups it stands for.
	AllowedActions []string `json:"allowed_actions"`
	// Type is "index", "cluster" or "kibana". Empty leaves it unset.
	Type string `json:"type,omitempty"`
	// Description is free text.
	Description string `json:"description,omitempty"`
}

type storedActionGroup struct {
	ActionGroup
	Reserved bool `json:"reserved"`
	Hidden   bool `json:"hidden"`
	Static   bool `json:"static"`
}

// EnsureActionGroup makes action group g exist as given, writing (PUT) only when it differs;
// reserved, static and hidden groups are refused before any write.
func (s *Security) EnsureActionGroup(ctx context.Context, g ActionGroup, optFns ...func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	if err := validateName("action group", g.Name); err != nil {
		return datablocks.Change{}, err
	}
	if len(g.AllowedActions) == 0 {
		return datablocks.Change{}, fmt.Errorf("opensearch: action group %q: AllowedActions is empty", g.Name)
	}
	if g.Type != "" && g.Type != "index" && g.Type != "cluster" && g.Type != "kibana" {
		return datablocks.Change{}, fmt.Errorf("opensearch: action group %q: Type %q must be index, cluster or kibana", g.Name, g.Type)
	}
	path := securityPath(o, "actiongroups", g.Name)
	var all map[string]storedActionGroup
	err := call(ctx, s.t, http.MethodGet, path, nil, &all)
	if errors.Is(err, ErrNotFound) {
		if err := call(ctx, s.t, http.MethodPut, path, g, nil); err != nil {
			return datablocks.Change{}, err
		}
		return datablocks.Change{Action: datablocks.Created}, nil
	}
	if err != nil {
		return datablocks.Change{}, err
	}
	cur := all[g.Name]
	if err := immutableError(http.MethodPut, path, g.Name, cur.Reserved, cur.Hidden, cur.Static); err != nil {
		return datablocks.Change{}, err
	}
	var changed []string
	if !slices.Equal(cur.AllowedActions, g.AllowedActions) {
		changed = append(changed, "allowed_actions")
	}
	if g.Type != "" && cur.Type != g.Type {
		changed = append(changed, "type")
	}
	if cur.Description != g.Description {
		changed = append(changed, "description")
	}
	if len(changed) == 0 || reflect.DeepEqual(cur.ActionGroup, g) {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if err := call(ctx, s.t, http.MethodPut, path, g, nil); err != nil {
		return datablocks.Change{}, err
	}
	return datablocks.Change{Action: datablocks.Updated, Changed: changed}, nil
}
