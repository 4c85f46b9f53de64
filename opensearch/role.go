package opensearch

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Limits of the role parser and validators (outside input: GET answers and user files).
const (
	// maxRoleJSON bounds a role document the parser accepts.
	maxRoleJSON = 1 << 20
	// maxDLSQuery bounds a DLS query string.
	maxDLSQuery = 64 << 10
	// maxListItems bounds each list of a role (patterns, actions, fields, permissions).
	maxListItems = 1000
	// maxJSONDepth bounds the nesting of a DLS query.
	maxJSONDepth = 64
)

// Role is a security plugin role: cluster permissions, index permissions with DLS, FLS and
// field masking, and tenant permissions. Its JSON form is the plugin's
// (PUT _plugins/_security/api/roles/<name>), without the name.
type Role struct {
	// Name is the role's name (the last segment of its URL); not part of the JSON body.
	Name string `json:"-"`
	// Description is free text.
	Description string `json:"description,omitempty"`
	// ClusterPermissions lists cluster actions and action groups ("cluster_composite_ops").
	ClusterPermissions []string `json:"cluster_permissions,omitempty"`
	// IndexPermissions lists the permissions on index patterns.
	IndexPermissions []IndexPermission `json:"index_permissions,omitempty"`
	// TenantPermissions lists the Dashboards tenant permissions.
	TenantPermissions []TenantPermission `json:"tenant_permissions,omitempty"`
}

// IndexPermission grants actions on indexes matching patterns, restricted by DLS, FLS and
// field masking.
type IndexPermission struct {
	// IndexPatterns are index names or wildcard patterns ("orders-*").
	IndexPatterns []string
	// AllowedActions are index actions and action groups ("read", "indices:data/read/search").
	AllowedActions []string
	// DLS is the document-level security query: the query body only, as JSON, without the
	// enclosing {"query": ...}, e.g. {"term":{"region":"eu"}}. It may use the plugin's
	// substitutions ${user.name}, ${user.roles}, ${user.securityRoles} and
	// ${attr.<internal|jwt|proxy|ldap>.<name>}. Empty means no DLS.
	DLS string
	// FLS restricts the visible fields: Include or Exclude, never both.
	FLS FieldSecurity
	// MaskedFields are string fields whose values are replaced by a hash or a pattern.
	MaskedFields []MaskedField
}

// FieldSecurity is field-level security: only Include fields are visible, or all but the
// Exclude fields. Names may use wildcards; excluding "title*" also hides "title.keyword".
// The plugin's "~" prefix for exclusions is added on the wire.
type FieldSecurity struct {
	Include []string
	Exclude []string
}

// isZero reports whether no field is restricted.
func (f FieldSecurity) isZero() bool { return len(f.Include) == 0 && len(f.Exclude) == 0 }

// MaskedField masks one string field (the name may use wildcards): by default with the
// plugin's salted BLAKE2b hash, or with Algorithm (a Java MessageDigest name such as
// "SHA-512"), or with Replacements applied in order. Algorithm and Replacements are exclusive.
type MaskedField struct {
	Field        string
	Algorithm    string
	Replacements []Replacement
}

// Replacement replaces the matches of Regex (Java regular expression syntax, as the plugin
// runs it) by Replacement.
type Replacement struct {
	Regex, Replacement string
}

// TenantPermission grants actions on Dashboards tenants.
type TenantPermission struct {
	TenantPatterns []string `json:"tenant_patterns,omitempty"`
	AllowedActions []string `json:"allowed_actions,omitempty"`
}

// The hash algorithms the plugin accepts by name (Java MessageDigest standard names).
var maskAlgorithms = []string{"MD2", "MD5", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512", "SHA-512/224", "SHA-512/256", "SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512"}

// expression returns the plugin's masked_fields expression: field, field::ALGO or
// field::/regex/::replacement[::/regex/::replacement].
func (m MaskedField) expression() string {
	switch {
	case m.Algorithm != "":
		return m.Field + "::" + m.Algorithm
	case len(m.Replacements) > 0:
		var b strings.Builder
		b.WriteString(m.Field)
		for _, r := range m.Replacements {
			b.WriteString("::/" + r.Regex + "/::" + r.Replacement)
		}
		return b.String()
	}
	return m.Field
}

// parseMaskedField parses a masked_fields expression as the plugin does: tokens split on
// "::"; one token is a field, two a field and an algorithm, an odd count of three or more a
// field and regex/replacement pairs, each regex wrapped in slashes.
func parseMaskedField(s string) (MaskedField, error) {
	tokens := strings.Split(s, "::")
	m := MaskedField{Field: tokens[0]}
	switch {
	case len(tokens) == 1:
	case len(tokens) == 2:
		m.Algorithm = tokens[1]
	case len(tokens)%2 == 1:
		for i := 1; i < len(tokens); i += 2 {
			re := tokens[i]
			if len(re) < 2 || !strings.HasPrefix(re, "/") || !strings.HasSuffix(re, "/") {
				return m, fmt.Errorf("opensearch: masked field %q: a regular expression needs to be wrapped in /.../", s)
			}
			m.Replacements = append(m.Replacements, Replacement{Regex: re[1 : len(re)-1], Replacement: tokens[i+1]})
		}
	default:
		return m, fmt.Errorf("opensearch: masked field %q must have the form 'field_name', 'field_name::algorithm', 'field_name::regex::replacement' or 'field_name::(regex::replacement)+'", s)
	}
	return m, nil
}

// wireIndexPermission is the plugin's JSON form of an index permission.
type wireIndexPermission struct {
	IndexPatterns  []string `json:"index_patterns"`
	DLS            string   `json:"dls,omitempty"`
	FLS            []string `json:"fls,omitempty"`
	MaskedFields   []string `json:"masked_fields,omitempty"`
	AllowedActions []string `json:"allowed_actions"`
}

// MarshalJSON writes the plugin's form: fls with "~" for exclusions, masked_fields as
// expressions.
func (p IndexPermission) MarshalJSON() ([]byte, error) {
	w := wireIndexPermission{
		IndexPatterns: nonNil(p.IndexPatterns), DLS: p.DLS, AllowedActions: nonNil(p.AllowedActions),
		FLS: slices.Clone(p.FLS.Include),
	}
	for _, f := range p.FLS.Exclude {
		w.FLS = append(w.FLS, "~"+f)
	}
	for _, m := range p.MaskedFields {
		w.MaskedFields = append(w.MaskedFields, m.expression())
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads the plugin's form.
func (p *IndexPermission) UnmarshalJSON(b []byte) error {
	var w wireIndexPermission
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = IndexPermission{IndexPatterns: w.IndexPatterns, AllowedActions: w.AllowedActions, DLS: w.DLS}
	for _, f := range w.FLS {
		if rest, ok := strings.CutPrefix(f, "~"); ok {
			p.FLS.Exclude = append(p.FLS.Exclude, rest)
		} else {
			p.FLS.Include = append(p.FLS.Include, f)
		}
	}
	for _, s := range w.MaskedFields {
		m, err := parseMaskedField(s)
		if err != nil {
			return err
		}
		p.MaskedFields = append(p.MaskedFields, m)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// storedRole is a role as GET returns it, with the flags the plugin refuses on PUT.
type storedRole struct {
	Role
	Reserved bool `json:"reserved"`
	Hidden   bool `json:"hidden"`
	Static   bool `json:"static"`
}

// parseRoles parses the answer of GET _plugins/_security/api/roles[/<name>]: an object of
// roles by name, each with the reserved, hidden and static flags. It accepts at most
// 1 MiB.
func parseRoles(data []byte) (map[string]Role, error) {
	stored, err := parseStoredRoles(data)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Role, len(stored))
	for name, s := range stored {
		out[name] = s.Role
	}
	return out, nil
}

func parseStoredRoles(data []byte) (map[string]storedRole, error) {
	if len(data) > maxRoleJSON {
		return nil, fmt.Errorf("opensearch: role document exceeds %d bytes", maxRoleJSON)
	}
	var stored map[string]storedRole
	if err := json.Unmarshal(data, &stored); err != nil {
		return nil, fmt.Errorf("opensearch: decoding roles: %w", err)
	}
	for name, s := range stored {
		s.Name = name
		stored[name] = s
	}
	return stored, nil
}

// validate checks the role as the security plugin would, and more: a bad role is refused
// before any request, with an error naming the field and the rule. All problems are joined.
func (r Role) validate() error {
	var errs []error
	add := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("opensearch: role %q: "+format, append([]any{r.Name}, a...)...))
	}
	if err := validateName("role", r.Name); err != nil {
		errs = append(errs, err)
	}
	if len(r.ClusterPermissions) > maxListItems || len(r.IndexPermissions) > maxListItems || len(r.TenantPermissions) > maxListItems {
		add("more than %d permissions", maxListItems)
	}
	for i, a := range r.ClusterPermissions {
		if strings.TrimSpace(a) == "" {
			add("ClusterPermissions[%d] is empty", i)
		}
	}
	for i, p := range r.IndexPermissions {
		if err := p.validate(); err != nil {
			add("IndexPermissions[%d]: %w", i, err)
		}
	}
	for i, t := range r.TenantPermissions {
		if len(t.TenantPatterns) == 0 {
			add("TenantPermissions[%d].TenantPatterns is empty", i)
		}
	}
	return errors.Join(errs...)
}

func (p IndexPermission) validate() error {
	var errs []error
	if len(p.IndexPatterns) == 0 {
		errs = append(errs, errors.New("IndexPatterns is empty"))
	}
	if len(p.AllowedActions) == 0 {
		errs = append(errs, errors.New("AllowedActions is empty"))
	}
	for _, l := range [][]string{p.IndexPatterns, p.AllowedActions} {
		if len(l) > maxListItems {
			errs = append(errs, fmt.Errorf("more than %d items in a list", maxListItems))
		}
		for _, s := range l {
			if strings.TrimSpace(s) == "" {
				errs = append(errs, errors.New("empty index pattern or action"))
			}
		}
	}
	if p.DLS != "" {
		if err := validateDLS(p.DLS); err != nil {
			errs = append(errs, err)
		}
	}
	if err := validateFLS(p.FLS); err != nil {
		errs = append(errs, err)
	}
	if len(p.MaskedFields) > maxListItems {
		errs = append(errs, fmt.Errorf("more than %d masked fields", maxListItems))
	}
	for i, m := range p.MaskedFields {
		if err := m.validate(); err != nil {
			errs = append(errs, fmt.Errorf("MaskedFields[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_\-.:@/+=]{1,256}$`)

// validateName checks a resource name used as a URL segment.
func validateName(kind, name string) error {
	if !nameRE.MatchString(name) || strings.Contains(name, "/") {
		return fmt.Errorf("opensearch: %s name %q must be 1-256 characters of letters, digits and _-.:@+=", kind, name)
	}
	return nil
}

// validateFLS checks field-level security: Include or Exclude, never both (the plugin cannot
// combine them); no empty names; no "~" (Exclude holds exclusions); no "::".
func validateFLS(f FieldSecurity) error {
	if len(f.Include) > 0 && len(f.Exclude) > 0 {
		return errors.New("FLS: Include and Exclude are exclusive (the plugin cannot mix included and excluded fields)")
	}
	if len(f.Include)+len(f.Exclude) > maxListItems {
		return fmt.Errorf("FLS: more than %d fields", maxListItems)
	}
	for _, l := range [][]string{f.Include, f.Exclude} {
		for _, s := range l {
			switch {
			case strings.TrimSpace(s) == "" || s != strings.TrimSpace(s):
				return fmt.Errorf("FLS: field %q is empty or has surrounding spaces", s)
			case strings.HasPrefix(s, "~"):
				return fmt.Errorf("FLS: field %q: put exclusions in Exclude without the ~ prefix", s)
			case strings.Contains(s, "::"):
				return fmt.Errorf("FLS: field %q contains \"::\"", s)
			}
		}
	}
	return nil
}

func (m MaskedField) validate() error {
	switch {
	case strings.TrimSpace(m.Field) == "":
		return errors.New("masked field: the field name is empty")
	case strings.Contains(m.Field, "::") || strings.HasPrefix(m.Field, "~"):
		return fmt.Errorf("masked field %q must not contain :: or start with ~", m.Field)
	case m.Algorithm != "" && len(m.Replacements) > 0:
		return fmt.Errorf("masked field %q: Algorithm and Replacements are exclusive", m.Field)
	case m.Algorithm != "" && !slices.Contains(maskAlgorithms, strings.ToUpper(m.Algorithm)):
		return fmt.Errorf("masked field %q: Algorithm %q is not a hash the plugin knows (%s)", m.Field, m.Algorithm, strings.Join(maskAlgorithms, ", "))
	}
	for i, r := range m.Replacements {
		if strings.Contains(r.Regex, "::") || strings.Contains(r.Replacement, "::") {
			return fmt.Errorf("masked field %q: Replacements[%d] must not contain \"::\"", m.Field, i)
		}
		if r.Regex == "" {
			return fmt.Errorf("masked field %q: Replacements[%d].Regex is empty", m.Field, i)
		}
		if _, err := regexp.Compile(r.Regex); err != nil {
			return fmt.Errorf("masked field %q: Replacements[%d].Regex %q: %w", m.Field, i, r.Regex, err)
		}
	}
	return nil
}

// dlsVariable matches the substitutions the plugin performs in DLS queries.
var dlsVariable = regexp.MustCompile(`^\$\{(user\.name|user\.roles|user\.securityRoles|attr\.(internal|jwt|proxy|ldap)\.[A-Za-z0-9_.\-]+)\}$`)

// validateDLS checks a DLS query as the plugin needs it: a JSON object holding one query
// clause, not wrapped in {"query": ...}, at most 64 KiB and 64 levels deep, with
// only known ${...} substitutions (which may stand outside strings, as in
// {"terms":{"roles":[${user.roles}]}}).
func validateDLS(q string) error {
	if len(q) > maxDLSQuery {
		return fmt.Errorf("DLS: query exceeds %d bytes", maxDLSQuery)
	}
	// Replace each substitution outside a string by a string, so the query parses as JSON.
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			case c == '$' && strings.HasPrefix(q[i:], "${"):
				end := strings.IndexByte(q[i:], '}')
				if end < 0 || !dlsVariable.MatchString(q[i:i+end+1]) {
					return fmt.Errorf("DLS: unknown substitution at offset %d (known: ${user.name}, ${user.roles}, ${user.securityRoles}, ${attr.<type>.<name>})", i)
				}
			}
			b.WriteByte(c)
			continue
		}
		switch {
		case c == '"':
			inString = true
		case c == '$':
			end := strings.IndexByte(q[i:], '}')
			if end < 0 || !dlsVariable.MatchString(q[i:i+end+1]) {
				return fmt.Errorf("DLS: unknown substitution at offset %d (known: ${user.name}, ${user.roles}, ${user.securityRoles}, ${attr.<type>.<name>})", i)
			}
			b.WriteString(`"_"`)
			i += end
			continue
		}
		b.WriteByte(c)
	}
	clean := b.String()
	if err := checkDepth(clean); err != nil {
		return err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(clean), &top); err != nil {
		return fmt.Errorf("DLS: not a JSON object: %w", err)
	}
	if len(top) != 1 {
		return fmt.Errorf("DLS: the query must hold exactly one clause, it holds %d", len(top))
	}
	if _, ok := top["query"]; ok {
		return errors.New(`DLS: give the query body only, without the enclosing {"query": ...}`)
	}
	return nil
}

// checkDepth refuses JSON nested deeper than maxJSONDepth (a linear scan).
func checkDepth(s string) error {
	depth, inString, escaped := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > maxJSONDepth {
				return fmt.Errorf("DLS: query nests deeper than %d levels", maxJSONDepth)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

// FieldType is a field's type in an index mapping ("text", "keyword", "long", "date").
type FieldType string

// Warnings reports what the role asks that the plugin will silently not do or that hurts,
// given the field types of the indexes it covers (from the index mapping, dotted paths;
// nil skips the type checks): masked fields that are not strings (the plugin leaves numbers
// and dates unmasked), hashed keyword fields (aggregations count hashes, which is inaccurate;
// pattern masking keeps them usable), and DLS queries on fields FLS hides (they must stay
// visible).
func (r Role) Warnings(fields map[string]FieldType) []string {
	var out []string
	for i, p := range r.IndexPermissions {
		for _, m := range p.MaskedFields {
			for name, t := range fields {
				if !wildcardMatch(m.Field, name) {
					continue
				}
				switch t {
				case "text", "keyword", "match_only_text", "wildcard", "constant_keyword":
					if t == "keyword" && len(m.Replacements) == 0 {
						out = append(out, fmt.Sprintf("IndexPermissions[%d]: masked field %q is a keyword: aggregations on it count hashes and become inaccurate; use Replacements to keep them meaningful", i, name))
					}
				default:
					out = append(out, fmt.Sprintf("IndexPermissions[%d]: masked field %q is a %s: the plugin masks string fields only and leaves it visible", i, name, t))
				}
			}
		}
		if p.DLS != "" && !p.FLS.isZero() {
			for _, f := range dlsFields(p.DLS) {
				if !flsVisible(p.FLS, f) {
					out = append(out, fmt.Sprintf("IndexPermissions[%d]: DLS uses field %q, which FLS hides; keep fields a DLS query uses visible", i, f))
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// dlsFields returns the field names of leaf clauses (term, terms, match, match_phrase,
// prefix, range, exists) of a DLS query, best effort.
func dlsFields(q string) []string {
	var v any
	if json.Unmarshal([]byte(q), &v) != nil {
		return nil
	}
	var out []string
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxJSONDepth {
			return
		}
		switch t := v.(type) {
		case map[string]any:
			for k, sub := range t {
				switch k {
				case "term", "terms", "match", "match_phrase", "prefix", "range", "wildcard":
					if m, ok := sub.(map[string]any); ok {
						for f := range m {
							out = append(out, strings.TrimSuffix(f, ".keyword"))
						}
					}
				case "exists":
					if m, ok := sub.(map[string]any); ok {
						if f, ok := m["field"].(string); ok {
							out = append(out, f)
						}
					}
				default:
					walk(sub, depth+1)
				}
			}
		case []any:
			for _, sub := range t {
				walk(sub, depth+1)
			}
		}
	}
	walk(v, 0)
	slices.Sort(out)
	return slices.Compact(out)
}

// flsVisible reports whether FLS leaves field visible.
func flsVisible(f FieldSecurity, field string) bool {
	if len(f.Include) > 0 {
		for _, p := range f.Include {
			if wildcardMatch(p, field) {
				return true
			}
		}
		return false
	}
	for _, p := range f.Exclude {
		if wildcardMatch(p, field) {
			return false
		}
	}
	return true
}

// wildcardMatch matches s against a pattern with * and ? wildcards, in linear time.
func wildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			// Checked first: a star in the pattern is a wildcard even where s has a '*'.
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// normalized returns a copy of r with nil and empty lists made equal, for comparison.
func (r Role) normalized() Role {
	n := Role{Name: r.Name, Description: r.Description, ClusterPermissions: emptyNil(r.ClusterPermissions)}
	for _, p := range r.IndexPermissions {
		np := p
		np.IndexPatterns, np.AllowedActions = emptyNil(p.IndexPatterns), emptyNil(p.AllowedActions)
		np.FLS = FieldSecurity{Include: emptyNil(p.FLS.Include), Exclude: emptyNil(p.FLS.Exclude)}
		if len(p.MaskedFields) == 0 {
			np.MaskedFields = nil
		}
		n.IndexPermissions = append(n.IndexPermissions, np)
	}
	for _, t := range r.TenantPermissions {
		n.TenantPermissions = append(n.TenantPermissions, TenantPermission{TenantPatterns: emptyNil(t.TenantPatterns), AllowedActions: emptyNil(t.AllowedActions)})
	}
	return n
}

func emptyNil(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
