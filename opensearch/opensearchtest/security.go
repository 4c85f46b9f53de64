package opensearchtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

var securityKinds = []string{"roles", "rolesmapping", "internalusers", "actiongroups"}

// resourceName is the plugin's word for each kind in "not found" messages.
var resourceName = map[string]string{"roles": "role", "rolesmapping": "rolesmapping", "internalusers": "user", "actiongroups": "actiongroup"}

type entry struct {
	doc                      map[string]any
	reserved, hidden, static bool
}

type securityStore struct {
	kinds map[string]map[string]*entry
}

// The built-in roles the fake seeds, with the plugin's flags: the static roles of the
// plugin's static_roles.yml are static and reserved; the AWS-managed ones reserved.
func newSecurityStore(master string) *securityStore {
	s := &securityStore{kinds: map[string]map[string]*entry{}}
	for _, k := range securityKinds {
		s.kinds[k] = map[string]*entry{}
	}
	role := func(name string, static, hidden bool, doc map[string]any) {
		s.kinds["roles"][name] = &entry{doc: doc, reserved: true, static: static, hidden: hidden}
	}
	role("all_access", true, false, map[string]any{"description": "Allow full access to all indices and all cluster APIs",
		"cluster_permissions": []any{"*"}, "index_permissions": []any{map[string]any{"index_patterns": []any{"*"}, "allowed_actions": []any{"*"}}},
		"tenant_permissions": []any{map[string]any{"tenant_patterns": []any{"*"}, "allowed_actions": []any{"kibana_all_write"}}}})
	role("readall", true, false, map[string]any{"description": "Provide the minimum permissions to read all indices",
		"cluster_permissions": []any{"cluster_composite_ops_ro"}, "index_permissions": []any{map[string]any{"index_patterns": []any{"*"}, "allowed_actions": []any{"read"}}}})
	role("opensearch_dashboards_user", true, false, map[string]any{"description": "Provide the minimum permissions for an OpenSearch Dashboards user",
		"cluster_permissions": []any{"cluster_composite_ops"}, "index_permissions": []any{map[string]any{"index_patterns": []any{".kibana", ".kibana-6", ".kibana_*", ".opensearch_dashboards", ".opensearch_dashboards-6", ".opensearch_dashboards_*"}, "allowed_actions": []any{"read", "delete", "manage", "index"}}}})
	role("security_manager", false, false, map[string]any{"cluster_permissions": []any{"cluster:admin/opendistro_security/*", "restapi:admin/*"}})
	role("cross_cluster_replication_leader_full_access", false, false, map[string]any{"index_permissions": []any{map[string]any{"index_patterns": []any{"*"}, "allowed_actions": []any{"indices:admin/plugins/replication/index/setup/validate", "indices:data/read/plugins/replication/changes", "indices:data/read/plugins/replication/file_chunk"}}}})
	role("cross_cluster_replication_follower_full_access", false, false, map[string]any{"cluster_permissions": []any{"cluster:admin/plugins/replication/autofollow/update"},
		"index_permissions": []any{map[string]any{"index_patterns": []any{"*"}, "allowed_actions": []any{"indices:admin/plugins/replication/index/setup/validate", "indices:admin/plugins/replication/index/start", "indices:admin/plugins/replication/index/pause", "indices:admin/plugins/replication/index/resume", "indices:admin/plugins/replication/index/stop", "indices:admin/plugins/replication/index/update", "indices:admin/plugins/replication/index/status_check"}}}})
	role("security_rest_api_access", false, true, map[string]any{})
	for _, name := range []string{"all_access", "security_manager"} {
		s.kinds["rolesmapping"][name] = &entry{doc: map[string]any{"backend_roles": []any{master}, "hosts": []any{}, "users": []any{}, "and_backend_roles": []any{}}}
	}
	for name, actions := range map[string][]any{
		"read":         {"indices:data/read*", "indices:admin/mappings/fields/get*", "indices:admin/resolve/index"},
		"search":       {"indices:data/read/search*", "indices:data/read/msearch*", "indices:data/read/suggest*"},
		"get":          {"indices:data/read/get*", "indices:data/read/mget*"},
		"write":        {"indices:data/write*", "indices:admin/mapping/put"},
		"index":        {"indices:data/write/index*", "indices:data/write/update*", "indices:admin/mapping/put", "indices:data/write/bulk*"},
		"delete":       {"indices:data/write/delete*", "indices:data/write/bulk*"},
		"crud":         {"read", "index", "delete"},
		"create_index": {"indices:admin/create", "indices:admin/mapping/put"},
		"manage":       {"indices:monitor/*", "indices:admin/*"},
		"indices_all":  {"indices:*"},
	} {
		s.kinds["actiongroups"][name] = &entry{doc: map[string]any{"allowed_actions": actions, "type": "index"}, reserved: true, static: true}
	}
	for kind, coll := range s.kinds {
		for _, e := range coll {
			e.doc = withDefaults(kind, e.doc)
		}
	}
	return s
}

func statusBody(status, message string) map[string]any {
	return map[string]any{"status": status, "message": message}
}

func notFoundMsg(kind, name string) (int, any) {
	return http.StatusNotFound, statusBody("NOT_FOUND", resourceName[kind]+" '"+name+"' not found.")
}

// immutable answers for a write to a hidden, static or reserved entry, in the plugin's
// order (EndpointValidator.entityImmutable).
func immutable(e *entry, name string) (int, any, bool) {
	switch {
	case e.hidden:
		return http.StatusNotFound, statusBody("NOT_FOUND", "Resource '"+name+"' is not available."), true
	case e.static:
		return http.StatusForbidden, statusBody("FORBIDDEN", "Resource '"+name+"' is static."), true
	case e.reserved:
		return http.StatusForbidden, statusBody("FORBIDDEN", "Resource '"+name+"' is reserved."), true
	}
	return 0, nil, false
}

func (d *Domain) securityAllowed(who *caller) bool {
	return who.has("all_access") || who.has("security_manager")
}

func (e *entry) view() map[string]any {
	out := map[string]any{}
	for k, v := range e.doc {
		if k == "password" || k == "hash" {
			continue
		}
		out[k] = v
	}
	out["reserved"], out["hidden"], out["static"] = e.reserved, e.hidden, e.static
	return out
}

func (d *Domain) securityGet(who *caller, kind, name string) (int, any) {
	if !d.securityAllowed(who) {
		return forbidden("restapi:admin/"+kind, who)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	coll := d.sec.kinds[kind]
	if name == "" {
		out := map[string]any{}
		for n, e := range coll {
			if !e.hidden {
				out[n] = e.view()
			}
		}
		return http.StatusOK, out
	}
	e, ok := coll[name]
	if !ok {
		return notFoundMsg(kind, name)
	}
	if e.hidden {
		return http.StatusNotFound, statusBody("NOT_FOUND", "Resource '"+name+"' is not available.")
	}
	return http.StatusOK, map[string]any{name: e.view()}
}

func (d *Domain) securityPut(who *caller, kind, name string, body []byte) (int, any) {
	if !d.securityAllowed(who) {
		return forbidden("restapi:admin/"+kind, who)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return http.StatusBadRequest, statusBody("BAD_REQUEST", "Request body required for this action.")
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || doc == nil {
		return http.StatusBadRequest, statusBody("BAD_REQUEST", "Could not parse content of request.")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	_, status, out := d.sec.put(kind, name, doc, false)
	return status, out
}

// put validates and stores doc; admin skips the immutable checks (seeding).
func (s *securityStore) put(kind, name string, doc map[string]any, admin bool) (bool, int, any) {
	coll := s.kinds[kind]
	old, exists := coll[name]
	if exists && !admin {
		if st, b, bad := immutable(old, name); bad {
			return false, st, b
		}
	}
	if st, b, bad := s.validate(kind, name, doc, old); bad {
		return false, st, b
	}
	if kind == "internalusers" {
		doc = s.hashUser(name, doc, old)
	}
	coll[name] = &entry{doc: withDefaults(kind, doc)}
	if exists {
		return true, http.StatusOK, statusBody("OK", "'"+name+"' updated.")
	}
	return true, http.StatusCreated, statusBody("CREATED", "'"+name+"' created.")
}

func (s *securityStore) hashUser(name string, doc map[string]any, old *entry) map[string]any {
	out := map[string]any{}
	for k, v := range doc {
		out[k] = v
	}
	if pw, ok := out["password"].(string); ok {
		out["hash"] = hashPassword(name, pw)
	} else if old != nil && out["hash"] == nil {
		out["hash"] = old.doc["hash"]
	}
	delete(out, "password")
	return out
}

// The members each kind accepts and their types ("array", "string", "object"), as the
// plugin's RequestContentValidator declares them.
var schemas = map[string]map[string]string{
	"roles":         {"description": "string", "cluster_permissions": "array", "index_permissions": "array", "tenant_permissions": "array"},
	"rolesmapping":  {"description": "string", "backend_roles": "array", "and_backend_roles": "array", "hosts": "array", "users": "array"},
	"internalusers": {"description": "string", "password": "string", "hash": "string", "backend_roles": "array", "opendistro_security_roles": "array", "attributes": "object"},
	"actiongroups":  {"description": "string", "allowed_actions": "array", "type": "string"},
}

var indexPermissionKeys = map[string]string{"index_patterns": "array", "dls": "string", "fls": "array", "masked_fields": "array", "allowed_actions": "array"}

func invalid(reason string, extra map[string]any) (int, any, bool) {
	b := map[string]any{"status": "error", "reason": reason}
	for k, v := range extra {
		b[k] = v
	}
	return http.StatusBadRequest, b, true
}

func checkKeys(doc map[string]any, schema map[string]string) (int, any, bool) {
	var bad []string
	for k := range doc {
		if _, ok := schema[k]; !ok {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return invalid("Invalid configuration", map[string]any{"invalid_keys": map[string]any{"keys": strings.Join(bad, ",")}})
	}
	for k, t := range schema {
		v, ok := doc[k]
		if !ok {
			continue
		}
		switch t {
		case "array":
			arr, ok := v.([]any)
			if !ok {
				return invalid("Wrong datatype", map[string]any{k: "Array expected"})
			}
			for _, el := range arr {
				if el == nil {
					return invalid("`null` is not allowed as json array element", nil)
				}
			}
		case "string":
			if _, ok := v.(string); !ok {
				return invalid("Wrong datatype", map[string]any{k: "String expected"})
			}
		case "object":
			if _, ok := v.(map[string]any); !ok {
				return invalid("Wrong datatype", map[string]any{k: "Object expected"})
			}
		}
	}
	return 0, nil, false
}

func (s *securityStore) validate(kind, name string, doc map[string]any, old *entry) (int, any, bool) {
	if st, b, bad := checkKeys(doc, schemas[kind]); bad {
		return st, b, bad
	}
	switch kind {
	case "roles":
		perms, _ := doc["index_permissions"].([]any)
		for _, p := range perms {
			pm, ok := p.(map[string]any)
			if !ok {
				return invalid("Wrong datatype", map[string]any{"index_permissions": "Object expected"})
			}
			if st, b, bad := checkKeys(pm, indexPermissionKeys); bad {
				return st, b, bad
			}
			if dls, _ := pm["dls"].(string); dls != "" {
				var q map[string]any
				if json.Unmarshal([]byte(substituteDLS(dls, &caller{})), &q) != nil {
					return http.StatusBadRequest, statusBody("BAD_REQUEST", "Invalid DLS query: "+dls), true
				}
			}
			for _, m := range strSlice(pm["masked_fields"]) {
				tokens := strings.Split(m, "::")
				if len(tokens) > 2 && len(tokens)%2 == 0 {
					return http.StatusBadRequest, statusBody("BAD_REQUEST", "A field masking expression must have the form 'field_name', 'field_name::algorithm', 'field_name::regex::replacement' or 'field_name::(regex::replacement)+'"), true
				}
				if len(tokens) == 2 {
					if _, ok := maskString(m, "", ""); !ok {
						return http.StatusBadRequest, statusBody("BAD_REQUEST", "Invalid algorithm "+tokens[1]), true
					}
				}
			}
		}
	case "rolesmapping":
		if r, ok := s.kinds["roles"][name]; !ok || r.hidden {
			return http.StatusNotFound, statusBody("NOT_FOUND", "role '"+name+"' not found."), true
		}
	case "internalusers":
		_, hasPW := doc["password"]
		_, hasHash := doc["hash"]
		if old == nil && !hasPW && !hasHash {
			return http.StatusBadRequest, statusBody("BAD_REQUEST", "Please specify either 'hash' or 'password' when creating a new internal user."), true
		}
		for _, r := range strSlice(doc["opendistro_security_roles"]) {
			e, ok := s.kinds["roles"][r]
			if !ok {
				return http.StatusNotFound, statusBody("NOT_FOUND", "role '"+r+"' not found."), true
			}
			if st, b, bad := immutable(e, r); bad {
				return st, b, bad
			}
		}
	case "actiongroups":
		if _, ok := doc["allowed_actions"]; !ok {
			return invalid("Invalid configuration", map[string]any{"missing_mandatory_keys": map[string]any{"keys": "allowed_actions"}})
		}
		if slices.Contains(strSlice(doc["allowed_actions"]), name) {
			return http.StatusBadRequest, statusBody("BAD_REQUEST", name+" cannot be an allowed_action of itself"), true
		}
	}
	return 0, nil, false
}

func strSlice(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (d *Domain) securityDelete(who *caller, kind, name string) (int, any) {
	if !d.securityAllowed(who) {
		return forbidden("restapi:admin/"+kind, who)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	coll := d.sec.kinds[kind]
	e, ok := coll[name]
	if !ok {
		return notFoundMsg(kind, name)
	}
	if st, b, bad := immutable(e, name); bad {
		return st, b
	}
	delete(coll, name)
	return http.StatusOK, statusBody("OK", "'"+name+"' deleted.")
}

// securityPatch applies an RFC 6902 patch to one entry or, without a name, to the whole
// collection (paths then start with the entry's name), as the plugin's PATCH does.
func (d *Domain) securityPatch(who *caller, kind, name string, body []byte) (int, any) {
	if !d.securityAllowed(who) {
		return forbidden("restapi:admin/"+kind, who)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return http.StatusBadRequest, statusBody("BAD_REQUEST", "Request body required for this action.")
	}
	var ops []patchOp
	if err := json.Unmarshal(body, &ops); err != nil {
		return http.StatusBadRequest, statusBody("BAD_REQUEST", "Could not parse content of request.")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	coll := d.sec.kinds[kind]
	if name != "" {
		e, ok := coll[name]
		if !ok {
			return notFoundMsg(kind, name)
		}
		if st, b, bad := immutable(e, name); bad {
			return st, b
		}
		next, err := applyPatch(deepCopy(map[string]any(e.doc)), ops)
		if err != nil {
			return http.StatusBadRequest, statusBody("BAD_REQUEST", err.Error())
		}
		doc, ok := next.(map[string]any)
		if !ok {
			return http.StatusBadRequest, statusBody("BAD_REQUEST", "Could not parse content of request.")
		}
		if st, b, bad := d.sec.validate(kind, name, doc, e); bad {
			return st, b
		}
		if kind == "internalusers" {
			doc = d.sec.hashUser(name, doc, e)
		}
		coll[name] = &entry{doc: withDefaults(kind, doc)}
		return http.StatusOK, statusBody("OK", "'"+name+"' updated.")
	}
	all := map[string]any{}
	for n, e := range coll {
		if !e.hidden {
			all[n] = deepCopy(map[string]any(e.doc))
		}
	}
	next, err := applyPatch(all, ops)
	if err != nil {
		return http.StatusBadRequest, statusBody("BAD_REQUEST", err.Error())
	}
	nextAll, ok := next.(map[string]any)
	if !ok {
		return http.StatusBadRequest, statusBody("BAD_REQUEST", "Could not parse content of request.")
	}
	// Check every change before applying any, so a refused patch changes nothing.
	for n, e := range coll {
		if e.hidden {
			continue
		}
		nd, kept := nextAll[n]
		if !kept || !reflect.DeepEqual(nd, all[n]) {
			if st, b, bad := immutable(e, n); bad {
				return st, b
			}
		}
	}
	for n, v := range nextAll {
		doc, ok := v.(map[string]any)
		if !ok {
			return http.StatusBadRequest, statusBody("BAD_REQUEST", fmt.Sprintf("'%s' is not an object", n))
		}
		if st, b, bad := d.sec.validate(kind, n, doc, coll[n]); bad {
			return st, b
		}
	}
	for n, e := range coll {
		if _, kept := nextAll[n]; !kept && !e.hidden {
			delete(coll, n)
		}
	}
	for n, v := range nextAll {
		doc := v.(map[string]any)
		if kind == "internalusers" {
			doc = d.sec.hashUser(n, doc, coll[n])
		}
		doc = withDefaults(kind, doc)
		if old, ok := coll[n]; ok && reflect.DeepEqual(old.doc, doc) {
			continue
		}
		coll[n] = &entry{doc: doc}
	}
	return http.StatusOK, statusBody("OK", "Resource updated.")
}

// iamCaller resolves an IAM principal: its ARN is both user name and backend role.
func (s *securityStore) iamCaller(principal string) *caller {
	c := &caller{name: principal, backendRoles: []string{principal}}
	c.roles = s.mappedRoles(c)
	return c
}

// basicAuth resolves an internal user, nil when the name or password is wrong.
func (s *securityStore) basicAuth(user, pass string) *caller {
	e, ok := s.kinds["internalusers"][user]
	if !ok {
		return nil
	}
	hash, _ := e.doc["hash"].(string)
	if !passwordMatches(hash, user, pass) {
		return nil
	}
	c := &caller{name: user, backendRoles: strSlice(e.doc["backend_roles"]), attrs: map[string]string{}}
	if a, ok := e.doc["attributes"].(map[string]any); ok {
		for k, v := range a {
			if s, ok := v.(string); ok {
				c.attrs[k] = s
			}
		}
	}
	c.roles = s.mappedRoles(c)
	for _, r := range strSlice(e.doc["opendistro_security_roles"]) {
		if !slices.Contains(c.roles, r) {
			c.roles = append(c.roles, r)
		}
	}
	slices.Sort(c.roles)
	return c
}

// mappedRoles applies the role mappings: users, backend_roles (any), and_backend_roles (all).
func (s *securityStore) mappedRoles(c *caller) []string {
	var out []string
	for role, m := range s.kinds["rolesmapping"] {
		match := slices.Contains(strSlice(m.doc["users"]), c.name)
		for _, br := range strSlice(m.doc["backend_roles"]) {
			if slices.Contains(c.backendRoles, br) {
				match = true
			}
		}
		if and := strSlice(m.doc["and_backend_roles"]); len(and) > 0 && !match {
			all := true
			for _, br := range and {
				all = all && slices.Contains(c.backendRoles, br)
			}
			match = all
		}
		if match {
			out = append(out, role)
		}
	}
	slices.Sort(out)
	return out
}

// withDefaults fills the members the plugin's model defaults, as its GET answers show them:
// empty lists (and an empty attributes object), fls and masked_fields in each index
// permission.
func withDefaults(kind string, doc map[string]any) map[string]any {
	for k, t := range schemas[kind] {
		if _, ok := doc[k]; ok {
			continue
		}
		switch {
		case t == "array":
			doc[k] = []any{}
		case t == "object":
			doc[k] = map[string]any{}
		}
	}
	if kind == "roles" {
		for _, p := range doc["index_permissions"].([]any) {
			if pm, ok := p.(map[string]any); ok {
				for _, k := range []string{"index_patterns", "fls", "masked_fields", "allowed_actions"} {
					if _, ok := pm[k]; !ok {
						pm[k] = []any{}
					}
				}
			}
		}
	}
	return doc
}
