package glue

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// avroType is a parsed Avro schema node. Named types (record, enum, fixed) are shared by
// pointer wherever they are referenced, so recursive schemas are cyclic graphs.
type avroType struct {
	kind     string // null boolean int long float double bytes string record enum array map fixed union
	name     string // full name of a named type
	aliases  []string
	logical  string
	fields   []*avroField
	symbols  []string
	enumDef  string // enum default symbol, if any
	items    *avroType
	values   *avroType
	branches []*avroType
	size     int
	doc      string
	done     bool // a record whose fields are all parsed
}

type avroField struct {
	name       string
	aliases    []string
	typ        *avroType
	doc        string
	hasDefault bool
	def        *jnode
}

var avroPrimitives = map[string]bool{
	"null": true, "boolean": true, "int": true, "long": true, "float": true, "double": true, "bytes": true, "string": true,
}

type avroParser struct {
	src   string
	named map[string]*avroType
	steps int // parse calls and default checks, bounded by maxSchemaSteps
}

func (p *avroParser) errAt(n *jnode, path, format string, args ...any) error {
	e := &SchemaError{format: types.DataFormatAvro, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = lineCol(p.src, n.off)
	}
	return e
}

// parseAvroSchema parses an Avro schema (Avro specification 1.11) into a graph.
func parseAvroSchema(def string) (*avroType, error) {
	root, err := parseJSONTree(def)
	if err != nil {
		se := err.(*jsonSyntaxError)
		line, col := lineCol(def, se.off)
		return nil, &SchemaError{format: types.DataFormatAvro, Line: line, Column: col, Msg: se.msg}
	}
	p := &avroParser{src: def, named: map[string]*avroType{}}
	return p.parse(root, "", "")
}

func validAvroName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func validAvroFullName(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !validAvroName(part) {
			return false
		}
	}
	return true
}

// fullName applies the Avro namespace rules: a dotted name is already full; otherwise the
// explicit namespace, else the enclosing one, is prepended.
func fullName(name, namespace, enclosing string) string {
	if strings.Contains(name, ".") {
		return name
	}
	ns := enclosing
	if namespace != "" {
		ns = namespace
	}
	if ns == "" {
		return name
	}
	return ns + "." + name
}

func (p *avroParser) lookup(name, ns string) *avroType {
	if t := p.named[fullName(name, "", ns)]; t != nil {
		return t
	}
	return p.named[name]
}

func (p *avroParser) parse(n *jnode, ns, path string) (*avroType, error) {
	if p.steps++; p.steps > maxSchemaSteps {
		return nil, tooManySteps(types.DataFormatAvro)
	}
	switch n.kind {
	case 's':
		if avroPrimitives[n.str] {
			return &avroType{kind: n.str}, nil
		}
		if t := p.lookup(n.str, ns); t != nil {
			return t, nil
		}
		return nil, p.errAt(n, path, "unknown type %q", n.str)
	case 'a':
		u := &avroType{kind: "union"}
		seen := map[string]bool{}
		for i, b := range n.arr {
			bp := fmt.Sprintf("%s[%d]", path, i)
			t, err := p.parse(b, ns, bp)
			if err != nil {
				return nil, err
			}
			if t.kind == "union" {
				return nil, p.errAt(b, bp, "a union may not immediately contain another union")
			}
			key := t.kind
			if t.name != "" {
				key = t.name
			}
			if seen[key] {
				return nil, p.errAt(b, bp, "union contains %s more than once", key)
			}
			seen[key] = true
			u.branches = append(u.branches, t)
		}
		return u, nil // an empty union is accepted (Java Avro and hamba/avro do); it holds no data
	case 'o':
	default:
		return nil, p.errAt(n, path, "a schema must be a string, an object or an array, not %s", n.kindName())
	}
	tn := n.get("type")
	if tn == nil {
		return nil, p.errAt(n, path, `missing "type"`)
	}
	if tn.kind != 's' {
		// {"type": {...}} or {"type": [...]}: a wrapped schema.
		return p.parse(tn, ns, joinPath(path, "type"))
	}
	kind := tn.str
	str := func(key string) (string, error) {
		v := n.get(key)
		if v == nil {
			return "", nil
		}
		if v.kind != 's' {
			return "", p.errAt(v, joinPath(path, key), "%q must be a string, not %s", key, v.kindName())
		}
		return v.str, nil
	}
	// "doc": null is accepted and ignored, as Java Avro and hamba/avro do.
	var doc string
	if d := n.get("doc"); d != nil && d.kind == 's' {
		doc = d.str
	} else if d != nil && d.kind != 'z' {
		return nil, p.errAt(d, joinPath(path, "doc"), `"doc" must be a string, not %s`, d.kindName())
	}
	switch kind {
	case "record", "error", "enum", "fixed":
		name, err := str("name")
		if err != nil {
			return nil, err
		}
		if name == "" {
			return nil, p.errAt(n, path, "%s is missing its name", kind)
		}
		namespace, err := str("namespace")
		if err != nil {
			return nil, err
		}
		if n.get("namespace") != nil {
			// An explicit namespace, "" included (the null namespace), replaces the
			// enclosing one (Avro specification, "Names").
			ns = namespace
		}
		full := fullName(name, "", ns)
		if !validAvroFullName(full) {
			return nil, p.errAt(n.get("name"), joinPath(path, "name"), "invalid name %q", full)
		}
		if avroPrimitives[full] {
			return nil, p.errAt(n.get("name"), joinPath(path, "name"), "a named type may not be called %q", full)
		}
		if p.named[full] != nil {
			return nil, p.errAt(n.get("name"), joinPath(path, "name"), "type %s is defined twice", full)
		}
		t := &avroType{kind: kind, name: full, doc: doc}
		if kind == "error" {
			t.kind = "record"
		}
		aliases, err := p.strings(n, "aliases", path)
		if err != nil {
			return nil, err
		}
		for _, a := range aliases {
			t.aliases = append(t.aliases, fullName(a, "", ns))
		}
		p.named[full] = t
		inner := full[:max(strings.LastIndex(full, "."), 0)]
		switch t.kind {
		case "record":
			err := p.parseFields(t, n, inner, path)
			t.done = true
			return t, err
		case "enum":
			syms, err := p.strings(n, "symbols", path)
			if err != nil {
				return nil, err
			}
			if n.get("symbols") == nil {
				return nil, p.errAt(n, path, "enum %s has no symbols", full)
			}
			seen := map[string]bool{}
			for i, s := range syms {
				if !validAvroName(s) {
					return nil, p.errAt(n.get("symbols").arr[i], fmt.Sprintf("%s.symbols[%d]", path, i), "invalid enum symbol %q", s)
				}
				if seen[s] {
					return nil, p.errAt(n.get("symbols").arr[i], fmt.Sprintf("%s.symbols[%d]", path, i), "duplicate enum symbol %q", s)
				}
				seen[s] = true
			}
			t.symbols = syms
			if t.enumDef, err = str("default"); err != nil {
				return nil, err
			}
			if t.enumDef != "" && !seen[t.enumDef] {
				return nil, p.errAt(n.get("default"), joinPath(path, "default"), "enum default %q is not a symbol", t.enumDef)
			}
			return t, nil
		default: // fixed
			sz := n.get("size")
			if sz == nil || sz.kind != 'n' {
				return nil, p.errAt(n, path, "fixed %s needs a numeric size", full)
			}
			size, err := strconv.Atoi(sz.str)
			if err != nil || size < 0 {
				return nil, p.errAt(sz, joinPath(path, "size"), "size %s is not a non-negative integer", sz.str)
			}
			t.size = size
			return t, p.logical(t, n, path)
		}
	case "array":
		it := n.get("items")
		if it == nil {
			return nil, p.errAt(n, path, `array is missing "items"`)
		}
		items, err := p.parse(it, ns, joinPath(path, "items"))
		if err != nil {
			return nil, err
		}
		return &avroType{kind: "array", items: items}, nil
	case "map":
		vn := n.get("values")
		if vn == nil {
			return nil, p.errAt(n, path, `map is missing "values"`)
		}
		values, err := p.parse(vn, ns, joinPath(path, "values"))
		if err != nil {
			return nil, err
		}
		return &avroType{kind: "map", values: values}, nil
	default:
		if avroPrimitives[kind] {
			t := &avroType{kind: kind}
			return t, p.logical(t, n, path)
		}
		if t := p.lookup(kind, ns); t != nil {
			return t, nil
		}
		return nil, p.errAt(tn, joinPath(path, "type"), "unknown type %q", kind)
	}
}

// logical reads logicalType. Per the specification, an invalid logical type is ignored and the
// underlying type used; a decimal needs a positive precision.
func (p *avroParser) logical(t *avroType, n *jnode, path string) error {
	lt := n.get("logicalType")
	if lt == nil || lt.kind != 's' {
		return nil
	}
	switch lt.str {
	case "decimal":
		if t.kind != "bytes" && t.kind != "fixed" {
			return nil
		}
		prec, scale := 0, 0
		if v := n.get("precision"); v != nil && v.kind == 'n' {
			prec, _ = strconv.Atoi(v.str)
		}
		if v := n.get("scale"); v != nil && v.kind == 'n' {
			scale, _ = strconv.Atoi(v.str)
		}
		if prec <= 0 || scale < 0 || scale > prec {
			return nil // invalid: the specification says to use the underlying type
		}
		if t.kind == "fixed" && float64(prec) > maxFixedPrecision(t.size) {
			return nil
		}
		t.logical = fmt.Sprintf("decimal(%d,%d)", prec, scale)
	case "uuid":
		if t.kind == "string" || t.kind == "fixed" {
			t.logical = lt.str
		}
	case "date", "time-millis":
		if t.kind == "int" {
			t.logical = lt.str
		}
	case "time-micros", "timestamp-millis", "timestamp-micros", "timestamp-nanos",
		"local-timestamp-millis", "local-timestamp-micros", "local-timestamp-nanos":
		if t.kind == "long" {
			t.logical = lt.str
		}
	case "duration":
		if t.kind == "fixed" && t.size == 12 {
			t.logical = lt.str
		}
	}
	return nil
}

func (p *avroParser) strings(n *jnode, key, path string) ([]string, error) {
	v := n.get(key)
	if v == nil {
		return nil, nil
	}
	if v.kind != 'a' {
		return nil, p.errAt(v, joinPath(path, key), "%q must be an array of strings", key)
	}
	out := make([]string, 0, len(v.arr))
	for i, e := range v.arr {
		if e.kind != 's' {
			return nil, p.errAt(e, fmt.Sprintf("%s.%s[%d]", path, key, i), "%q must be an array of strings", key)
		}
		out = append(out, e.str)
	}
	return out, nil
}

func (p *avroParser) parseFields(t *avroType, n *jnode, ns, path string) error {
	fn := n.get("fields")
	if fn == nil || fn.kind != 'a' {
		return p.errAt(n, path, "record %s needs a \"fields\" array", t.name)
	}
	seen := map[string]bool{}
	for i, f := range fn.arr {
		fp := fmt.Sprintf("%s.fields[%d]", strings.TrimPrefix(path, "."), i)
		fp = strings.TrimPrefix(fp, ".")
		if f.kind != 'o' {
			return p.errAt(f, fp, "a field must be an object, not %s", f.kindName())
		}
		nn := f.get("name")
		if nn == nil || nn.kind != 's' || !validAvroName(nn.str) {
			return p.errAt(f, fp, "field needs a valid name")
		}
		fp += fmt.Sprintf(" (%s)", nn.str)
		if seen[nn.str] {
			return p.errAt(nn, fp, "duplicate field %q in record %s", nn.str, t.name)
		}
		seen[nn.str] = true
		tn := f.get("type")
		if tn == nil {
			return p.errAt(f, fp, `field %q is missing "type"`, nn.str)
		}
		ft, err := p.parse(tn, ns, fp+".type")
		if err != nil {
			return err
		}
		field := &avroField{name: nn.str, typ: ft}
		if d := f.get("doc"); d != nil && d.kind == 's' {
			field.doc = d.str
		} else if d != nil && d.kind != 'z' {
			return p.errAt(d, fp+".doc", `"doc" must be a string, not %s`, d.kindName())
		}
		if field.aliases, err = p.strings(f, "aliases", fp); err != nil {
			return err
		}
		if d := f.get("default"); d != nil {
			field.hasDefault, field.def = true, d
			if !avroDefaultOK(ft, d, &p.steps) {
				return p.errAt(d, fp+".default", "default %s does not match the field's type", d.kindName())
			}
		}
		t.fields = append(t.fields, field)
	}
	return nil
}

// avroDefaultOK checks a default value against a type, nested values included: every field
// of a record default (a field left out must have its own default), every element of an array,
// every value of a map. A union's default must match its first branch (Avro 1.11
// specification, "Unions"; hamba/avro checks the same). steps bounds the work across one
// definition.
func avroDefaultOK(t *avroType, d *jnode, steps *int) bool {
	*steps++
	if *steps > maxSchemaSteps {
		return false
	}
	switch t.kind {
	case "null":
		return d.kind == 'z'
	case "boolean":
		return d.kind == 'b'
	case "int", "long":
		return d.kind == 'n' && !strings.ContainsAny(d.str, ".eE")
	case "float", "double":
		return d.kind == 'n'
	case "bytes", "string", "fixed":
		return d.kind == 's'
	case "enum":
		if d.kind != 's' {
			return false
		}
		for _, s := range t.symbols {
			if s == d.str {
				return true
			}
		}
		return false
	case "array":
		if d.kind != 'a' {
			return false
		}
		for _, e := range d.arr {
			if !avroDefaultOK(t.items, e, steps) {
				return false
			}
		}
		return true
	case "map":
		if d.kind != 'o' {
			return false
		}
		for _, v := range d.vals {
			if !avroDefaultOK(t.values, v, steps) {
				return false
			}
		}
		return true
	case "record":
		if d.kind != 'o' {
			return false
		}
		for _, f := range t.fields {
			v := d.get(f.name)
			if v == nil {
				if !f.hasDefault && t.done {
					return false
				}
				continue
			}
			if !avroDefaultOK(f.typ, v, steps) {
				return false
			}
		}
		return true
	case "union":
		return len(t.branches) > 0 && avroDefaultOK(t.branches[0], d, steps)
	}
	return false
}

// maxFixedPrecision is the largest decimal precision a fixed of size bytes holds:
// floor(log10(2^(8*size-1) - 1)), per the Avro specification.
func maxFixedPrecision(size int) float64 {
	if size <= 0 {
		return 0
	}
	return math.Floor(math.Log10(math.Pow(2, float64(8*size-1)) - 1))
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// avroHive parses an Avro definition whose top level is a record and maps it to Hive.
func avroHive(definition string) (*hiveType, error) {
	t, err := parseAvroSchema(definition)
	if err != nil {
		return nil, err
	}
	if t.kind != "record" {
		return nil, &SchemaError{format: types.DataFormatAvro, Msg: fmt.Sprintf("top-level schema is %s, want a record", t.kind)}
	}
	m := &avroMapper{expansion: newExpansion(t, avroRecordSuccs)}
	h, _ := m.conv(t, 0)
	if m.steps > maxSchemaSteps {
		return nil, tooManySteps(types.DataFormatAvro)
	}
	return h, nil
}

// avroMapper maps Avro types to Hive. Records are memoized unless their mapping cut a
// recursion to a record further up, whose result depends on the path taken; so a record
// used in many places is mapped once and the work is linear.
type avroMapper struct {
	expansion[*avroType]
	steps int
}

// avroRecordSuccs calls visit with every record a record's fields lead to, through arrays,
// maps and unions.
func avroRecordSuccs(r *avroType, visit func(*avroType)) {
	var walk func(t *avroType, depth int)
	walk = func(t *avroType, depth int) {
		if depth > maxJSONDepth {
			return
		}
		switch t.kind {
		case "record":
			visit(t)
		case "array":
			walk(t.items, depth+1)
		case "map":
			walk(t.values, depth+1)
		case "union":
			for _, b := range t.branches {
				walk(b, depth+1)
			}
		}
	}
	for _, f := range r.fields {
		walk(f.typ, 0)
	}
}

// conv maps t at the given depth. It returns the Hive type (nil for a type holding no data)
// and the smallest depth of a record a recursion inside was cut at (depth+1 when none).
func (m *avroMapper) conv(t *avroType, depth int) (*hiveType, int) {
	noCut := depth + 1
	if m.steps++; m.steps > maxSchemaSteps {
		return hiveString, noCut
	}
	switch t.kind {
	case "null":
		return nil, noCut
	case "boolean":
		return hiveBoolean, noCut
	case "int":
		if t.logical == "date" {
			return hiveDate, noCut
		}
		return hiveInt, noCut
	case "long":
		if strings.HasPrefix(t.logical, "timestamp-") || strings.HasPrefix(t.logical, "local-timestamp-") {
			return hiveTimestamp, noCut
		}
		return hiveBigint, noCut
	case "float":
		return hiveFloat, noCut
	case "double":
		return hiveDouble, noCut
	case "string", "enum":
		return hiveString, noCut
	case "bytes", "fixed":
		if strings.HasPrefix(t.logical, "decimal(") {
			var p, s int
			fmt.Sscanf(t.logical, "decimal(%d,%d)", &p, &s)
			if p <= 38 {
				return hivePrim(t.logical), noCut
			}
		}
		return hiveBinary, noCut
	case "array":
		e, cut := m.conv(t.items, depth+1)
		if noData(e) {
			e = hiveString
		}
		return hiveArray(e), min(cut, noCut)
	case "map":
		v, cut := m.conv(t.values, depth+1)
		if noData(v) {
			v = hiveString
		}
		return hiveMap(hiveString, v), min(cut, noCut)
	case "union":
		var rest []*avroType
		for _, b := range t.branches {
			if b.kind != "null" {
				rest = append(rest, b)
			}
		}
		switch {
		case len(rest) == 0:
			return nil, noCut
		case len(rest) == 1:
			return m.conv(rest[0], depth)
		case len(rest) == 2 && plainKinds(rest, "int", "long"):
			return hiveBigint, noCut
		case len(rest) == 2 && plainKinds(rest, "float", "double"):
			return hiveDouble, noCut
		}
		var b structBuilder
		low := noCut
		for i, r := range rest {
			h, cut := m.conv(r, depth+1)
			low = min(low, cut)
			b.add(fmt.Sprintf("member%d", i), h, "")
		}
		return b.build(), low
	}
	// record
	return m.expand(t, depth, func() (*hiveType, int) {
		var b structBuilder
		low := noCut
		for _, f := range t.fields {
			h, cut := m.conv(f.typ, depth+1)
			low = min(low, cut)
			b.add(f.name, h, f.doc)
		}
		return b.build(), low
	})
}

// plainKinds reports whether ts are exactly the two kinds a and b, without logical types.
func plainKinds(ts []*avroType, a, b string) bool {
	if ts[0].logical != "" || ts[1].logical != "" {
		return false
	}
	return ts[0].kind == a && ts[1].kind == b || ts[0].kind == b && ts[1].kind == a
}
