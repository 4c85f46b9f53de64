package glue

import (
	"fmt"
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
}

func (p *avroParser) errAt(n *jnode, path, format string, args ...any) error {
	e := &SchemaError{Format: types.DataFormatAvro, Path: path, Msg: fmt.Sprintf(format, args...)}
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
		return nil, &SchemaError{Format: types.DataFormatAvro, Line: line, Column: col, Msg: se.msg}
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
		if len(u.branches) == 0 {
			return nil, p.errAt(n, path, "union has no branches")
		}
		return u, nil
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
	doc, err := str("doc")
	if err != nil {
		return nil, err
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
		full := fullName(name, namespace, ns)
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
			t.aliases = append(t.aliases, fullName(a, namespace, ns))
		}
		p.named[full] = t
		inner := full[:max(strings.LastIndex(full, "."), 0)]
		switch t.kind {
		case "record":
			return t, p.parseFields(t, n, inner, path)
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
			return p.errAt(n, path, "decimal needs 0 < precision and 0 <= scale <= precision (got %d, %d)", prec, scale)
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
		}
		if field.aliases, err = p.strings(f, "aliases", fp); err != nil {
			return err
		}
		if d := f.get("default"); d != nil {
			field.hasDefault, field.def = true, d
			if !avroDefaultOK(ft, d) {
				return p.errAt(d, fp+".default", "default %s does not match the field's type", d.kindName())
			}
		}
		t.fields = append(t.fields, field)
	}
	return nil
}

// avroDefaultOK checks a default value against a type; for a union the default must match its
// first branch (Avro 1.11; later versions allow any branch, which this accepts too).
func avroDefaultOK(t *avroType, d *jnode) bool {
	switch t.kind {
	case "null":
		return d.kind == 'z'
	case "boolean":
		return d.kind == 'b'
	case "int", "long", "float", "double":
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
		return d.kind == 'a'
	case "map", "record":
		return d.kind == 'o'
	case "union":
		for _, b := range t.branches {
			if avroDefaultOK(b, d) {
				return true
			}
		}
	}
	return false
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// ParseAvro parses an Avro schema whose top level is a record into columns.
func ParseAvro(definition string) ([]SchemaColumn, error) {
	t, err := parseAvroSchema(definition)
	if err != nil {
		return nil, err
	}
	if t.kind != "record" {
		return nil, &SchemaError{Format: types.DataFormatAvro, Msg: fmt.Sprintf("top-level schema is %s, want a record", t.kind)}
	}
	var cols []SchemaColumn
	if err := avroColumns(&cols, t, "", map[*avroType]bool{t: true}); err != nil {
		return nil, err
	}
	return cols, nil
}

func avroColumns(cols *[]SchemaColumn, rec *avroType, prefix string, stack map[*avroType]bool) error {
	for _, f := range rec.fields {
		if len(*cols) >= MaxSchemaColumns {
			return tooManyColumns(types.DataFormatAvro)
		}
		name := f.name
		if prefix != "" {
			name = prefix + "." + f.name
		}
		t, nullable := avroNonNull(f.typ)
		col := SchemaColumn{Name: name, Type: avroTypeName(t), Nullable: nullable, Doc: f.doc, Logical: t.logical}
		if t.name != "" && t.logical == "" {
			col.Logical = t.name
		}
		if t.kind == "enum" {
			col.Symbols = append([]string(nil), t.symbols...)
		}
		*cols = append(*cols, col)
		if inner := avroRecordInside(t); inner != nil && !stack[inner] {
			stack[inner] = true
			err := avroColumns(cols, inner, name, stack)
			delete(stack, inner)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// avroNonNull strips "null" from a union: ["null", T] is a nullable T.
func avroNonNull(t *avroType) (*avroType, bool) {
	if t.kind == "null" {
		return t, true
	}
	if t.kind != "union" {
		return t, false
	}
	var rest []*avroType
	nullable := false
	for _, b := range t.branches {
		if b.kind == "null" {
			nullable = true
		} else {
			rest = append(rest, b)
		}
	}
	if len(rest) == 1 {
		return rest[0], nullable
	}
	return &avroType{kind: "union", branches: rest}, nullable
}

// avroRecordInside returns the record whose fields are flattened under a column of type t: the
// record itself, or the record held by an array or a map.
func avroRecordInside(t *avroType) *avroType {
	for range 8 {
		switch t.kind {
		case "record":
			return t
		case "array":
			t, _ = avroNonNull(t.items)
		case "map":
			t, _ = avroNonNull(t.values)
		default:
			return nil
		}
	}
	return nil
}

func avroTypeName(t *avroType) string {
	return avroTypeNameDepth(t, 0)
}

func avroTypeNameDepth(t *avroType, depth int) string {
	if depth > 16 {
		return "..."
	}
	switch t.kind {
	case "record":
		return "struct"
	case "array":
		return "array<" + avroTypeNameDepth(t.items, depth+1) + ">"
	case "map":
		return "map<string," + avroTypeNameDepth(t.values, depth+1) + ">"
	case "union":
		names := make([]string, len(t.branches))
		for i, b := range t.branches {
			names[i] = avroTypeNameDepth(b, depth+1)
		}
		return "union<" + strings.Join(names, ",") + ">"
	}
	return t.kind
}
