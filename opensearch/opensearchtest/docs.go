package opensearchtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/datablocks-go/datablocks/internal/glob"
)

// Limits of the query parser.
const (
	maxQueryDepth  = 32
	maxQueryClause = 1000
	// defaultSearchSize is OpenSearch's default number of hits.
	defaultSearchSize = 10
)

type document struct {
	id     string
	source map[string]any
	seqNo  int
}

type index struct {
	name    string
	types   map[string]string // dotted field path -> mapping type
	docs    map[string]*document
	order   []string
	seqNo   int
	stopped bool // a follower whose replication was stopped: plain index, never replicated again
}

func newIndex(name string) *index {
	return &index{name: name, types: map[string]string{}, docs: map[string]*document{}}
}

// put stores a document, returning whether it was created.
func (ix *index) put(id string, src map[string]any) bool {
	ix.learnTypes("", src)
	ix.seqNo++
	if d, ok := ix.docs[id]; ok {
		d.source, d.seqNo = src, ix.seqNo
		return false
	}
	ix.docs[id] = &document{id: id, source: src, seqNo: ix.seqNo}
	ix.order = append(ix.order, id)
	return true
}

// learnTypes applies OpenSearch's dynamic mapping: strings are text (with a keyword
// subfield), numbers long or float, booleans boolean; explicit mappings win.
func (ix *index) learnTypes(prefix string, src map[string]any) {
	for k, v := range src {
		path := prefix + k
		switch t := v.(type) {
		case map[string]any:
			ix.learnTypes(path+".", t)
			continue
		case string:
			if _, ok := ix.types[path]; !ok {
				ix.types[path] = "text"
			}
		case float64:
			if _, ok := ix.types[path]; !ok {
				if t == float64(int64(t)) {
					ix.types[path] = "long"
				} else {
					ix.types[path] = "float"
				}
			}
		case bool:
			if _, ok := ix.types[path]; !ok {
				ix.types[path] = "boolean"
			}
		}
	}
}

func (d *Domain) createIndex(who *caller, name string, body []byte) (int, any) {
	if !d.indexAllowed(who, name, "indices:admin/create") {
		return forbidden("indices:admin/create", who)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.indexes[name]; ok {
		return http.StatusBadRequest, osError(http.StatusBadRequest, "resource_already_exists_exception", "index ["+name+"/"+indexUUID(name)+"] already exists")
	}
	if err := validIndexName(name); err != "" {
		return http.StatusBadRequest, osError(http.StatusBadRequest, "invalid_index_name_exception", "Invalid index name ["+name+"], "+err)
	}
	ix := newIndex(name)
	if len(body) > 0 {
		var req struct {
			Mappings struct {
				Properties map[string]any `json:"properties"`
			} `json:"mappings"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return http.StatusBadRequest, osError(http.StatusBadRequest, "parse_exception", "request body is not valid JSON")
		}
		learnMapping(ix.types, "", req.Mappings.Properties, 0)
	}
	d.indexes[name] = ix
	return http.StatusOK, map[string]any{"acknowledged": true, "shards_acknowledged": true, "index": name}
}

func learnMapping(types map[string]string, prefix string, props map[string]any, depth int) {
	if depth > maxQueryDepth {
		return
	}
	for k, v := range props {
		m, _ := v.(map[string]any)
		if sub, ok := m["properties"].(map[string]any); ok {
			learnMapping(types, prefix+k+".", sub, depth+1)
			continue
		}
		if t, ok := m["type"].(string); ok {
			types[prefix+k] = t
		}
	}
}

func validIndexName(name string) string {
	switch {
	case name != strings.ToLower(name):
		return "must be lowercase"
	case strings.ContainsAny(name, `\/*?"<>| ,#:`):
		return `must not contain the following characters [ , ", *, \, <, |, ,, >, /, ?]`
	case strings.HasPrefix(name, "-") || strings.HasPrefix(name, "+"):
		return "must not start with '_', '-', or '+'"
	}
	return ""
}

func indexUUID(name string) string { return fmt.Sprintf("%022x", len(name)*7919) }

func (d *Domain) indexDoc(who *caller, name, id string, body []byte) (int, any) {
	if !d.indexAllowed(who, name, "indices:data/write/index") {
		return forbidden("indices:data/write/index", who)
	}
	var src map[string]any
	if err := json.Unmarshal(body, &src); err != nil || src == nil {
		return http.StatusBadRequest, osError(http.StatusBadRequest, "mapper_parsing_exception", "failed to parse")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.repl[name]; ok && r.active() {
		return http.StatusForbidden, osError(http.StatusForbidden, "cluster_block_exception", "index ["+name+"] blocked by: [FORBIDDEN/1000/index read-only(cross-cluster-replication)];")
	}
	ix, ok := d.indexes[name]
	if !ok {
		if err := validIndexName(name); err != "" {
			return http.StatusBadRequest, osError(http.StatusBadRequest, "invalid_index_name_exception", "Invalid index name ["+name+"], "+err)
		}
		ix = newIndex(name)
		d.indexes[name] = ix
	}
	if id == "" {
		id = fmt.Sprintf("doc%08d", ix.seqNo+1)
	}
	created := ix.put(id, src)
	status, result := http.StatusOK, "updated"
	if created {
		status, result = http.StatusCreated, "created"
	}
	return status, map[string]any{"_index": name, "_id": id, "_version": 1, "result": result, "_seq_no": ix.seqNo - 1, "_primary_term": 1,
		"_shards": map[string]any{"total": 2, "successful": 1, "failed": 0}}
}

// access is what a caller may see of one index: DLS queries (any matching grants), FLS
// rules (a field must pass all), masks (unless a role grants the index unmasked).
type access struct {
	dls          []map[string]any // nil means unrestricted
	unrestricted bool
	fls          [][]string // each a role's fls list
	masks        []string   // masked_fields expressions
	unmasked     bool
}

// permitted evaluates the caller's roles for action on index: whether some role grants it,
// and the DLS, FLS and masking of the roles that do.
func (d *Domain) permitted(who *caller, idx, action string) (bool, access) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var acc access
	granted := false
	for _, rn := range who.roles {
		e, ok := d.sec.kinds["roles"][rn]
		if !ok {
			continue
		}
		perms, _ := e.doc["index_permissions"].([]any)
		for _, p := range perms {
			pm, _ := p.(map[string]any)
			if !matchesAny(strSlice(pm["index_patterns"]), idx) || !d.actionAllowed(strSlice(pm["allowed_actions"]), action, 0) {
				continue
			}
			granted = true
			if dls, _ := pm["dls"].(string); dls != "" {
				var q map[string]any
				if json.Unmarshal([]byte(substituteDLS(dls, who)), &q) == nil {
					acc.dls = append(acc.dls, q)
				}
			} else {
				acc.unrestricted = true
			}
			if fls := strSlice(pm["fls"]); len(fls) > 0 {
				acc.fls = append(acc.fls, fls)
			}
			if m := strSlice(pm["masked_fields"]); len(m) > 0 {
				acc.masks = append(acc.masks, m...)
			} else {
				acc.unmasked = true
			}
		}
	}
	return granted, acc
}

func (d *Domain) indexAllowed(who *caller, idx, action string) bool {
	if d.serverless {
		return true
	}
	ok, _ := d.permitted(who, idx, action)
	return ok
}

// actionAllowed expands action groups (built-in and custom) and matches wildcards.
func (d *Domain) actionAllowed(allowed []string, action string, depth int) bool {
	if depth > 8 {
		return false
	}
	for _, a := range allowed {
		if glob.Match(a, action) {
			return true
		}
		if g, ok := d.sec.kinds["actiongroups"][a]; ok && d.actionAllowed(strSlice(g.doc["allowed_actions"]), action, depth+1) {
			return true
		}
	}
	return false
}

func matchesAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if glob.Match(p, s) {
			return true
		}
	}
	return false
}

// substituteDLS replaces the plugin's user substitutions in a DLS query.
func substituteDLS(q string, who *caller) string {
	quoted := func(s []string) string {
		b, _ := json.Marshal(s)
		return strings.Trim(string(b), "[]")
	}
	r := strings.NewReplacer("${user.name}", who.name, "${user_name}", who.name,
		"${user.roles}", quoted(who.backendRoles), "${user.securityRoles}", quoted(who.roles))
	out := r.Replace(q)
	for k, v := range who.attrs {
		out = strings.ReplaceAll(out, "${attr.internal."+k+"}", v)
	}
	return out
}

func (d *Domain) getDoc(who *caller, name, id string) (int, any) {
	ok, acc := d.indexPermission(who, name, "indices:data/read/get")
	if !ok {
		return forbidden("indices:data/read/get", who)
	}
	d.sync(name)
	d.mu.Lock()
	defer d.mu.Unlock()
	ix, exists := d.indexes[name]
	if !exists {
		return indexNotFound(name)
	}
	doc, found := ix.docs[id]
	if found && !acc.allows(doc.source, ix) {
		found = false // DLS hides the document as if it did not exist
	}
	if !found {
		return http.StatusNotFound, map[string]any{"_index": name, "_id": id, "found": false}
	}
	return http.StatusOK, map[string]any{"_index": name, "_id": id, "_version": 1, "_seq_no": doc.seqNo - 1, "_primary_term": 1, "found": true,
		"_source": d.view(acc, ix, doc.source)}
}

func (d *Domain) indexPermission(who *caller, idx, action string) (bool, access) {
	if d.serverless {
		return true, access{unrestricted: true, unmasked: true}
	}
	return d.permitted(who, idx, action)
}

func (a access) allows(src map[string]any, ix *index) bool {
	if a.unrestricted {
		return true
	}
	for _, q := range a.dls {
		if ok, _ := matchQuery(q, src, ix, 0); ok {
			return true
		}
	}
	return false
}

// view applies FLS and masking to a source document.
func (d *Domain) view(a access, ix *index, src map[string]any) map[string]any {
	var masks []string
	if !a.unmasked {
		masks = a.masks
	}
	return filterSource("", src, a.fls, masks, ix, d.f.opts.Salt)
}

func filterSource(prefix string, src map[string]any, fls [][]string, masks []string, ix *index, salt string) map[string]any {
	out := map[string]any{}
	for k, v := range src {
		path := prefix + k
		if sub, ok := v.(map[string]any); ok {
			if flsVisible(fls, path) || flsHasChild(fls, path) {
				if f := filterSource(path+".", sub, fls, masks, ix, salt); len(f) > 0 || flsVisible(fls, path) {
					out[k] = f
				}
			}
			continue
		}
		if !flsVisible(fls, path) {
			continue
		}
		out[k] = maskValue(path, v, masks, ix, salt)
	}
	return out
}

// flsVisible applies each role's FLS list (include names, or ~exclusions; with any
// exclusion the list is an exclusion list) and requires all to show the field.
func flsVisible(fls [][]string, field string) bool {
	for _, rule := range fls {
		exclude := slices.ContainsFunc(rule, func(s string) bool { return strings.HasPrefix(s, "~") })
		matched := false
		for _, p := range rule {
			if exclude && !strings.HasPrefix(p, "~") {
				continue
			}
			if glob.Match(strings.TrimPrefix(p, "~"), field) {
				matched = true
				break
			}
		}
		if exclude == matched {
			return false
		}
	}
	return true
}

// flsHasChild reports whether an include rule names a field under path.
func flsHasChild(fls [][]string, path string) bool {
	for _, rule := range fls {
		for _, p := range rule {
			if strings.HasPrefix(p, path+".") || strings.HasPrefix(p, "*") {
				return true
			}
		}
	}
	return false
}

// maskValue masks string values of string-typed fields; numbers, booleans and dates stay as
// they are, as in the plugin.
func maskValue(path string, v any, masks []string, ix *index, salt string) any {
	s, isString := v.(string)
	if !isString || len(masks) == 0 {
		return v
	}
	if t := ix.types[path]; t != "" && t != "text" && t != "keyword" {
		return v
	}
	for _, m := range masks {
		field, _, _ := strings.Cut(m, "::")
		if glob.Match(field, path) {
			if out, ok := maskString(m, s, salt); ok {
				return out
			}
		}
	}
	return v
}

func (d *Domain) search(who *caller, name string, body []byte) (int, any) {
	ok, acc := d.indexPermission(who, name, "indices:data/read/search")
	if !ok {
		return forbidden("indices:data/read/search", who)
	}
	var req struct {
		Query map[string]any `json:"query"`
		Size  *int           `json:"size"`
		From  int            `json:"from"`
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			return http.StatusBadRequest, osError(http.StatusBadRequest, "parsing_exception", "request body is not valid JSON")
		}
	}
	size := defaultSearchSize
	if req.Size != nil {
		size = *req.Size
	}
	if size < 0 || req.From < 0 || size+req.From > 10000 {
		return http.StatusBadRequest, osError(http.StatusBadRequest, "illegal_argument_exception", "Result window is too large, from + size must be less than or equal to: [10000]")
	}
	d.sync(name)
	d.mu.Lock()
	defer d.mu.Unlock()
	ix, exists := d.indexes[name]
	if !exists {
		return indexNotFound(name)
	}
	var hits []any
	total := 0
	for _, id := range ix.order {
		doc := ix.docs[id]
		if !acc.allows(doc.source, ix) {
			continue
		}
		if req.Query != nil {
			ok, err := matchQuery(req.Query, doc.source, ix, 0)
			if err != nil {
				return http.StatusBadRequest, osError(http.StatusBadRequest, "parsing_exception", err.Error())
			}
			if !ok {
				continue
			}
		}
		total++
		if total > req.From && len(hits) < size {
			hits = append(hits, map[string]any{"_index": name, "_id": id, "_score": 1.0, "_source": d.view(acc, ix, doc.source)})
		}
	}
	if hits == nil {
		hits = []any{}
	}
	return http.StatusOK, map[string]any{"took": 1, "timed_out": false,
		"_shards": map[string]any{"total": 1, "successful": 1, "skipped": 0, "failed": 0},
		"hits":    map[string]any{"total": map[string]any{"value": total, "relation": "eq"}, "max_score": 1.0, "hits": hits}}
}

// matchQuery evaluates the supported DSL subset: match_all, match, term, terms, bool
// (must, filter, should, must_not, minimum_should_match).
func matchQuery(q map[string]any, src map[string]any, ix *index, depth int) (bool, error) {
	if depth > maxQueryDepth {
		return false, fmt.Errorf("query nests deeper than %d levels", maxQueryDepth)
	}
	if len(q) != 1 {
		return false, fmt.Errorf("[_na] query malformed, must start with start_object")
	}
	for kind, raw := range q {
		body, _ := raw.(map[string]any)
		switch kind {
		case "match_all":
			return true, nil
		case "term", "match", "terms":
			if len(body) != 1 {
				return false, fmt.Errorf("[%s] query doesn't support multiple fields", kind)
			}
			for field, v := range body {
				return leafMatch(kind, field, v, src, ix)
			}
		case "bool":
			return boolMatch(body, src, ix, depth)
		default:
			return false, fmt.Errorf("unknown query [%s]", kind)
		}
	}
	return false, nil
}

func clauses(v any) []map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return []map[string]any{t}
	case []any:
		var out []map[string]any
		for i, x := range t {
			if i >= maxQueryClause {
				break
			}
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

func boolMatch(b map[string]any, src map[string]any, ix *index, depth int) (bool, error) {
	for k := range b {
		if !slices.Contains([]string{"must", "filter", "should", "must_not", "minimum_should_match", "boost"}, k) {
			return false, fmt.Errorf("[bool] query does not support [%s]", k)
		}
	}
	for _, k := range []string{"must", "filter"} {
		for _, c := range clauses(b[k]) {
			ok, err := matchQuery(c, src, ix, depth+1)
			if err != nil || !ok {
				return false, err
			}
		}
	}
	for _, c := range clauses(b["must_not"]) {
		ok, err := matchQuery(c, src, ix, depth+1)
		if err != nil || ok {
			return false, err
		}
	}
	should := clauses(b["should"])
	minShould := 0
	if len(should) > 0 && b["must"] == nil && b["filter"] == nil {
		minShould = 1
	}
	switch m := b["minimum_should_match"].(type) {
	case float64:
		minShould = int(m)
	case string:
		if n, err := strconv.Atoi(m); err == nil {
			minShould = n
		}
	}
	n := 0
	for _, c := range should {
		ok, err := matchQuery(c, src, ix, depth+1)
		if err != nil {
			return false, err
		}
		if ok {
			n++
		}
	}
	return n >= minShould, nil
}

// fieldValues returns the values at a dotted path; "x.keyword" reads x.
func fieldValues(src map[string]any, path string) []any {
	path = strings.TrimSuffix(path, ".keyword")
	var cur any = src
	for _, p := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	if arr, ok := cur.([]any); ok {
		return arr
	}
	if cur == nil {
		return nil
	}
	return []any{cur}
}

func leafMatch(kind, field string, v any, src map[string]any, ix *index) (bool, error) {
	if m, ok := v.(map[string]any); ok {
		if kind == "match" {
			v = m["query"]
		} else {
			v = m["value"]
		}
	}
	vals := fieldValues(src, field)
	switch kind {
	case "term":
		return slices.ContainsFunc(vals, func(x any) bool { return termEqual(x, v, field, ix) }), nil
	case "terms":
		arr, ok := v.([]any)
		if !ok {
			return false, fmt.Errorf("[terms] query does not support [%s]", field)
		}
		for _, want := range arr {
			if slices.ContainsFunc(vals, func(x any) bool { return termEqual(x, want, field, ix) }) {
				return true, nil
			}
		}
		return false, nil
	}
	// match: any analyzed token of the query in the field's tokens (standard analyzer,
	// simplified to lower-cased letter/digit runs); exact for non-text fields.
	want := tokens(fmt.Sprint(v))
	for _, x := range vals {
		s, isStr := x.(string)
		if !isStr {
			if termEqual(x, v, field, ix) {
				return true, nil
			}
			continue
		}
		have := tokens(s)
		for _, w := range want {
			if slices.Contains(have, w) {
				return true, nil
			}
		}
	}
	return false, nil
}

// termEqual compares a stored value with a term: exact on keyword and numbers; text fields
// hold analyzed (lower-cased) tokens, so a term matches one token.
func termEqual(stored, term any, field string, ix *index) bool {
	switch s := stored.(type) {
	case string:
		t, ok := term.(string)
		if !ok {
			return false
		}
		if !strings.HasSuffix(field, ".keyword") && ix.types[field] == "text" {
			return slices.Contains(tokens(s), t)
		}
		return s == t
	case float64:
		switch t := term.(type) {
		case float64:
			return s == t
		case string:
			f, err := strconv.ParseFloat(t, 64)
			return err == nil && f == s
		}
	case bool:
		switch t := term.(type) {
		case bool:
			return s == t
		case string:
			return strconv.FormatBool(s) == t
		}
	}
	return false
}

func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
