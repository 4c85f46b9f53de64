package glue

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// maxColumnTypeLength is the longest column type Glue stores: Column.Type is a string of at
// most 131,072 characters (Glue API reference, Column structure).
const maxColumnTypeLength = 131072

// maxHiveDepth bounds the nesting of a Hive type. Hive itself has no documented bound, but
// deeper types are not readable by Athena in practice and a bound keeps parsing linear.
const maxHiveDepth = 100

// hiveType is a column type in Hive DDL, the vocabulary of Glue and Athena: a primitive
// ("bigint", "decimal(10,2)") or an array, map or struct of them. Schema parsers build these;
// shared subtrees are shared by pointer.
type hiveType struct {
	prim   string      // primitive name; empty for array, map, struct
	kind   byte        // 'p' primitive, 'a' array, 'm' map, 's' struct
	key    *hiveType   // map key
	elem   *hiveType   // array element, map value
	fields []hiveField // struct fields, in order
}

type hiveField struct {
	name string
	typ  *hiveType
	doc  string
}

func hivePrim(name string) *hiveType { return &hiveType{kind: 'p', prim: name} }

func hiveArray(elem *hiveType) *hiveType { return &hiveType{kind: 'a', elem: elem} }

func hiveMap(key, value *hiveType) *hiveType { return &hiveType{kind: 'm', key: key, elem: value} }

// The primitives shared by every mapping.
var (
	hiveString    = hivePrim("string")
	hiveBigint    = hivePrim("bigint")
	hiveInt       = hivePrim("int")
	hiveDouble    = hivePrim("double")
	hiveFloat     = hivePrim("float")
	hiveBoolean   = hivePrim("boolean")
	hiveBinary    = hivePrim("binary")
	hiveDate      = hivePrim("date")
	hiveTimestamp = hivePrim("timestamp")
)

// structBuilder collects a struct's fields: names made valid for Hive (hiveFieldName), later
// fields whose name equals an earlier one case-insensitively dropped (Athena lowers names,
// so both could not be read), and fields of empty struct type dropped (Hive has no empty
// struct<>; such a field can hold no data).
type structBuilder struct {
	fields []hiveField
	seen   map[string]bool
}

// noData reports whether a type holds no data: nothing, or a struct without fields.
func noData(t *hiveType) bool { return t == nil || t.kind == 's' && len(t.fields) == 0 }

func (b *structBuilder) add(name string, t *hiveType, doc string) {
	if noData(t) {
		return
	}
	name = hiveFieldName(name)
	k := strings.ToLower(name)
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	if b.seen[k] {
		return
	}
	b.seen[k] = true
	b.fields = append(b.fields, hiveField{name: name, typ: t, doc: doc})
}

func (b *structBuilder) build() *hiveType { return &hiveType{kind: 's', fields: b.fields} }

// render writes t in Hive DDL. It stops with false once sb would exceed limit characters, so
// a type shared many times in a small schema cannot make it write more than limit.
func (t *hiveType) render(sb *strings.Builder, limit int) bool {
	if sb.Len() > limit {
		return false
	}
	switch t.kind {
	case 'p':
		sb.WriteString(t.prim)
	case 'a':
		sb.WriteString("array<")
		if !t.elem.render(sb, limit) {
			return false
		}
		sb.WriteByte('>')
	case 'm':
		sb.WriteString("map<")
		if !t.key.render(sb, limit) {
			return false
		}
		sb.WriteByte(',')
		if !t.elem.render(sb, limit) {
			return false
		}
		sb.WriteByte('>')
	case 's':
		sb.WriteString("struct<")
		for i, f := range t.fields {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(f.name)
			sb.WriteByte(':')
			if !f.typ.render(sb, limit) {
				return false
			}
		}
		sb.WriteByte('>')
	}
	return sb.Len() <= limit
}

// String renders t without bound; for tests and debugging.
func (t *hiveType) String() string {
	var sb strings.Builder
	t.render(&sb, int(^uint(0)>>1))
	return sb.String()
}

// columnsOf turns a top-level struct into table columns, the struct's field docs becoming
// column comments (cut to Glue's 255 characters).
func columnsOf(format types.DataFormat, root *hiveType) ([]Column, error) {
	if len(root.fields) == 0 {
		return nil, &SchemaError{format: format, Msg: "the schema has no columns (no field holds data)"}
	}
	cols := make([]Column, 0, len(root.fields))
	var sb strings.Builder
	for _, f := range root.fields {
		sb.Reset()
		if !f.typ.render(&sb, maxColumnTypeLength) {
			return nil, &SchemaError{format: format, Path: f.name, Msg: fmt.Sprintf("the column's type is longer than Glue's %d characters", maxColumnTypeLength)}
		}
		// The rules validateColumnType checks beyond length (nesting depth) hold for every
		// column returned, so the columns can go to EnsureTable as they are.
		if err := validateColumnType(sb.String()); err != nil {
			return nil, &SchemaError{format: format, Path: f.name, Msg: "the column's type is not one Athena reads: " + err.Error()}
		}
		cols = append(cols, Column{Name: f.name, Type: sb.String(), Comment: cutComment(f.doc)})
	}
	return cols, nil
}

// maxCommentLength is the longest column comment Glue stores (Column.Comment, Glue API
// reference).
const maxCommentLength = 255

func cutComment(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxCommentLength {
		return s
	}
	n := 0
	for i := range s {
		if i > maxCommentLength {
			break
		}
		n = i
	}
	return s[:n]
}

// hivePrimitives are the primitive types of Athena's DDL ("Data types in Amazon Athena":
// boolean, tinyint, smallint, int, bigint, double, float, decimal, char, varchar, string,
// binary, date, timestamp), with Hive's synonym "integer".
var hivePrimitives = map[string]bool{
	"boolean": true, "tinyint": true, "smallint": true, "int": true, "integer": true, "bigint": true,
	"float": true, "double": true, "string": true, "binary": true, "date": true, "timestamp": true,
}

// hiveSuggestions name the Hive type meant by common names from schema formats.
var hiveSuggestions = map[string]string{
	"long": "bigint", "int64": "bigint", "int32": "int", "short": "smallint", "byte": "tinyint",
	"bool": "boolean", "bytes": "binary", "number": "double", "real": "float", "text": "string",
	"datetime": "timestamp", "date-time": "timestamp", "record": "struct<...>", "object": "struct<...>",
	"struct": "struct<name:type,...>", "array": "array<type>", "map": "map<keytype,valuetype>",
	"list": "array<type>", "union": "one of its branches", "uniontype": "one of its branches",
}

// validateColumnType checks that typ is a column type Glue stores and Athena reads: a Hive DDL
// type made of the primitives boolean, tinyint, smallint, int (or integer), bigint, float,
// double, decimal(p,s) (1 <= p <= 38, 0 <= s <= p), char(n) (1..255), varchar(n) (1..65535),
// string, binary, date and timestamp, and of array<T>, map<K,V> (K primitive) and
// struct<name:T,...> (at least one field; names valid column names, unique case-insensitively),
// as listed in "Data types in Amazon Athena". Type names are case-insensitive; whitespace
// is not allowed inside a type, as Glue stores the string verbatim. At most
// maxColumnTypeLength characters.
//
// The error says what is wrong without a package prefix.
func validateColumnType(typ string) error {
	if typ == "" {
		return fmt.Errorf("type is empty")
	}
	if len(typ) > maxColumnTypeLength {
		return fmt.Errorf("type is %d characters long, more than %d", len(typ), maxColumnTypeLength)
	}
	p := &hiveTypeParser{s: typ}
	if err := p.typ(0); err != nil {
		return err
	}
	if p.pos != len(p.s) {
		return p.errorf("unexpected %q after the type", p.s[p.pos:min(len(p.s), p.pos+10)])
	}
	return nil
}

type hiveTypeParser struct {
	s   string
	pos int
}

func (p *hiveTypeParser) errorf(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if len(p.s) <= 80 {
		return fmt.Errorf("type %q: %s", p.s, msg)
	}
	return fmt.Errorf("type %.60q... at offset %d: %s", p.s, p.pos, msg)
}

// word reads a run of letters, digits and underscores.
func (p *hiveTypeParser) word() string {
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

func (p *hiveTypeParser) expect(c byte) error {
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		return nil
	}
	if p.pos >= len(p.s) {
		return p.errorf("missing %q at the end", c)
	}
	return p.errorf("want %q at offset %d, found %q", c, p.pos, p.s[p.pos])
}

// number reads a decimal integer parameter.
func (p *hiveTypeParser) number() (int, error) {
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' && p.pos-start < 9 {
		p.pos++
	}
	if start == p.pos {
		return 0, p.errorf("want a number at offset %d", start)
	}
	n, _ := strconv.Atoi(p.s[start:p.pos])
	return n, nil
}

// typ parses one type; depth bounds nesting so the recursion is bounded.
func (p *hiveTypeParser) typ(depth int) error {
	if depth > maxHiveDepth {
		return p.errorf("nested more than %d levels deep", maxHiveDepth)
	}
	start := p.pos
	w := strings.ToLower(p.word())
	switch w {
	case "":
		if p.pos < len(p.s) {
			return p.errorf("want a type name at offset %d, found %q", p.pos, p.s[p.pos])
		}
		return p.errorf("missing a type at the end")
	case "array":
		if err := p.expect('<'); err != nil {
			return err
		}
		if err := p.typ(depth + 1); err != nil {
			return err
		}
		return p.expect('>')
	case "map":
		if err := p.expect('<'); err != nil {
			return err
		}
		keyStart := p.pos
		if err := p.typ(depth + 1); err != nil {
			return err
		}
		if k := strings.ToLower(p.s[keyStart:p.pos]); !hivePrimitives[k] && !strings.HasPrefix(k, "decimal") && !strings.HasPrefix(k, "char") && !strings.HasPrefix(k, "varchar") {
			return p.errorf("map key type %q is not a primitive", p.s[keyStart:p.pos])
		}
		if err := p.expect(','); err != nil {
			return err
		}
		if err := p.typ(depth + 1); err != nil {
			return err
		}
		return p.expect('>')
	case "struct":
		if err := p.expect('<'); err != nil {
			return err
		}
		if p.pos < len(p.s) && p.s[p.pos] == '>' {
			return p.errorf("struct<> has no fields")
		}
		seen := map[string]bool{}
		for {
			nameStart := p.pos
			for p.pos < len(p.s) && !strings.ContainsRune(":,<>", rune(p.s[p.pos])) {
				p.pos++
			}
			name := p.s[nameStart:p.pos]
			if err := validateName(columnName, name); err != nil {
				return p.errorf("struct field at offset %d: %v", nameStart, err)
			}
			k := strings.ToLower(name)
			if seen[k] {
				return p.errorf("struct field %q appears twice", name)
			}
			seen[k] = true
			if err := p.expect(':'); err != nil {
				return err
			}
			if err := p.typ(depth + 1); err != nil {
				return err
			}
			if p.pos < len(p.s) && p.s[p.pos] == ',' {
				p.pos++
				continue
			}
			return p.expect('>')
		}
	case "decimal":
		if p.pos == len(p.s) || p.s[p.pos] != '(' {
			return nil // decimal alone is decimal(10,0) in Hive
		}
		p.pos++
		prec, err := p.number()
		if err != nil {
			return err
		}
		scale := 0
		if p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
			if scale, err = p.number(); err != nil {
				return err
			}
		}
		if err := p.expect(')'); err != nil {
			return err
		}
		if prec < 1 || prec > 38 || scale > prec {
			return p.errorf("decimal(%d,%d): Athena needs 1 <= precision <= 38 and 0 <= scale <= precision", prec, scale)
		}
		return nil
	case "char", "varchar":
		limit := 255
		if w == "varchar" {
			limit = 65535
		}
		if err := p.expect('('); err != nil {
			return p.errorf("%s needs a length, as in %s(10)", w, w)
		}
		n, err := p.number()
		if err != nil {
			return err
		}
		if n < 1 || n > limit {
			return p.errorf("%s(%d): the length must be 1 to %d", w, n, limit)
		}
		return p.expect(')')
	}
	if hivePrimitives[w] {
		return nil
	}
	p.pos = start
	if s, ok := hiveSuggestions[w]; ok {
		return p.errorf("%q is not an Athena type (use %s)", p.s[start:start+len(w)], s)
	}
	return p.errorf("unknown type %q", p.s[start:start+len(w)])
}

// expansion is what a schema mapper keeps while it expands named types (Avro records, Protobuf
// messages, JSON schemas) into Hive types: the nodes on the current path, where meeting one
// again is a recursion, and the mappings it may reuse (see components).
type expansion[K comparable] struct {
	memo   map[K]*hiveType
	onPath map[K]int   // node → its depth on the current path, plus one
	comp   map[K]int   // node → its strongly connected component
	inComp map[int]int // component → how many of its nodes are on the path
}

func newExpansion[K comparable](root K, succ func(K, func(K))) expansion[K] {
	return expansion[K]{memo: map[K]*hiveType{}, onPath: map[K]int{}, comp: components([]K{root}, succ), inComp: map[int]int{}}
}

// enter puts k on the path at depth; leave takes it off.
func (e *expansion[K]) enter(k K, depth int) {
	e.onPath[k] = depth + 1
	e.inComp[e.comp[k]]++
}

func (e *expansion[K]) leave(k K) {
	delete(e.onPath, k)
	e.inComp[e.comp[k]]--
}

// reusable reports whether a mapping of k made now may be memoized, or a memoized one reused:
// no node of k's component is on the path.
func (e *expansion[K]) reusable(k K) bool { return e.inComp[e.comp[k]] == 0 }

// expand maps node k at depth with build, which maps its members one level deeper while k is on
// the path. A recursion to a node on the path is cut to string; a reusable mapping is memoized.
// The second result is the smallest depth a recursion inside was cut at (depth+1 when none).
func (e *expansion[K]) expand(k K, depth int, build func() (*hiveType, int)) (*hiveType, int) {
	if d, ok := e.onPath[k]; ok {
		return hiveString, d - 1 // recursion: Hive types cannot recurse
	}
	reusable := e.reusable(k)
	if h, ok := e.memo[k]; ok && reusable {
		return h, depth + 1
	}
	e.enter(k, depth)
	h, low := build()
	e.leave(k)
	if reusable {
		e.memo[k] = h
	}
	return h, low
}

// components numbers the strongly connected components of the graph reachable from roots
// (Tarjan's algorithm, linear in nodes and edges). A mapper may reuse the mapping of a node
// computed while no node of its component was on the path: a recursion cut inside it can then
// only lead to nodes entered during that mapping, so the result does not depend on the path.
// Any node on the path that the node reaches also reaches it, hence shares its component.
func components[T comparable](roots []T, succ func(T, func(T))) map[T]int {
	index := map[T]int{}
	lowlink := map[T]int{}
	onStack := map[T]bool{}
	comp := map[T]int{}
	var stack []T
	next, ncomp := 0, 0
	var visit func(v T)
	visit = func(v T) {
		index[v], lowlink[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		succ(v, func(w T) {
			if _, seen := index[w]; !seen {
				visit(w)
				lowlink[v] = min(lowlink[v], lowlink[w])
			} else if onStack[w] {
				lowlink[v] = min(lowlink[v], index[w])
			}
		})
		if lowlink[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = ncomp
				if w == v {
					break
				}
			}
			ncomp++
		}
	}
	for _, r := range roots {
		if _, seen := index[r]; !seen {
			visit(r)
		}
	}
	return comp
}
