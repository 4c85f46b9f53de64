package glue

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// jsonSchemaParser flattens a JSON Schema (draft-04 to 2020-12 keywords) into columns.
type jsonSchemaParser struct {
	src   string
	root  *jnode
	cols  []SchemaColumn
	steps int // describe calls, bounded by maxSchemaSteps
}

// maxSchemaSteps bounds the work spent on one definition: references shared by many parts of
// a schema are walked once per use, which a hostile definition could make exponential.
const maxSchemaSteps = 100000

func (p *jsonSchemaParser) errAt(n *jnode, path, format string, args ...any) error {
	e := &SchemaError{Format: types.DataFormatJson, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = lineCol(p.src, n.off)
	}
	return e
}

// ParseJSONSchema parses a JSON Schema whose top level is an object schema into columns:
// properties in definition order, local $ref (#/definitions/..., #/$defs/...) resolved,
// allOf merged, oneOf/anyOf with a null branch read as nullable.
func ParseJSONSchema(definition string) ([]SchemaColumn, error) {
	root, err := parseJSONTree(definition)
	if err != nil {
		se := err.(*jsonSyntaxError)
		line, col := lineCol(definition, se.off)
		return nil, &SchemaError{Format: types.DataFormatJson, Line: line, Column: col, Msg: se.msg}
	}
	p := &jsonSchemaParser{src: definition, root: root}
	if root.kind != 'o' {
		return nil, p.errAt(root, "", "a schema must be an object, not %s", root.kindName())
	}
	s, err := p.resolve(root, "", map[*jnode]bool{})
	if err != nil {
		return nil, err
	}
	info, err := p.describe(s, "", map[*jnode]bool{})
	if err != nil {
		return nil, err
	}
	if info.typ != "struct" {
		return nil, p.errAt(root, "", "top-level schema is of type %s, want an object with properties", info.typ)
	}
	if err := p.properties(s, "", "", map[*jnode]bool{root: true}); err != nil {
		return nil, err
	}
	return p.cols, nil
}

// validateJSONSchema checks a JSON Schema document of any top-level type.
func validateJSONSchema(definition string) error {
	root, err := parseJSONTree(definition)
	if err != nil {
		se := err.(*jsonSyntaxError)
		line, col := lineCol(definition, se.off)
		return &SchemaError{Format: types.DataFormatJson, Line: line, Column: col, Msg: se.msg}
	}
	p := &jsonSchemaParser{src: definition, root: root}
	if root.kind == 'b' {
		return nil
	}
	if root.kind != 'o' {
		return p.errAt(root, "", "a schema must be an object or a boolean, not %s", root.kindName())
	}
	s, err := p.resolve(root, "", map[*jnode]bool{})
	if err != nil {
		return err
	}
	info, err := p.describe(s, "", map[*jnode]bool{})
	if err != nil {
		return err
	}
	if info.object != nil {
		return p.properties(info.object, "", "", map[*jnode]bool{root: true, info.object: true})
	}
	return nil
}

// resolve follows $ref chains to local definitions.
func (p *jsonSchemaParser) resolve(n *jnode, path string, seen map[*jnode]bool) (*jnode, error) {
	for n != nil && n.kind == 'o' {
		ref := n.get("$ref")
		if ref == nil {
			return n, nil
		}
		if ref.kind != 's' {
			return nil, p.errAt(ref, joinPath(path, "$ref"), "$ref must be a string")
		}
		if seen[n] {
			return nil, p.errAt(ref, joinPath(path, "$ref"), "$ref %q loops", ref.str)
		}
		seen[n] = true
		target, err := p.pointer(ref, path)
		if err != nil {
			return nil, err
		}
		n = target
	}
	if n != nil && n.kind == 'b' { // true/false schemas
		return n, nil
	}
	if n == nil || n.kind != 'o' {
		return nil, p.errAt(n, path, "a schema must be an object or a boolean, not %s", n.kindName())
	}
	return n, nil
}

// pointer resolves a local JSON pointer ("#", "#/definitions/Address", "#/$defs/a~1b").
func (p *jsonSchemaParser) pointer(ref *jnode, path string) (*jnode, error) {
	s := ref.str
	if !strings.HasPrefix(s, "#") {
		return nil, p.errAt(ref, joinPath(path, "$ref"), "only local references (#/...) are supported, not %q", s)
	}
	n := p.root
	if s == "#" {
		return n, nil
	}
	if !strings.HasPrefix(s, "#/") {
		return nil, p.errAt(ref, joinPath(path, "$ref"), "unsupported reference %q", s)
	}
	for _, tok := range strings.Split(s[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		next := n.get(tok)
		if next == nil {
			return nil, p.errAt(ref, joinPath(path, "$ref"), "reference %q does not resolve", s)
		}
		n = next
	}
	return n, nil
}

// jsInfo is what a property's schema says about its column.
type jsInfo struct {
	typ      string
	format   string
	nullable bool
	symbols  []string
	object   *jnode // the object schema whose properties are flattened under the column
}

// typeNames reads "type" (a string or an array of strings).
func (p *jsonSchemaParser) typeNames(s *jnode, path string) ([]string, error) {
	t := s.get("type")
	if t == nil {
		return nil, nil
	}
	switch t.kind {
	case 's':
		return []string{t.str}, nil
	case 'a':
		var out []string
		for i, e := range t.arr {
			if e.kind != 's' {
				return nil, p.errAt(e, fmt.Sprintf("%s.type[%d]", path, i), "type names must be strings")
			}
			out = append(out, e.str)
		}
		return out, nil
	}
	return nil, p.errAt(t, joinPath(path, "type"), "type must be a string or an array, not %s", t.kindName())
}

var jsonTypes = map[string]bool{"string": true, "integer": true, "number": true, "boolean": true, "object": true, "array": true, "null": true}

func (p *jsonSchemaParser) describe(s *jnode, path string, stack map[*jnode]bool) (jsInfo, error) {
	if s.kind == 'b' {
		return jsInfo{typ: "any", nullable: true}, nil
	}
	if p.steps++; p.steps > maxSchemaSteps {
		return jsInfo{}, p.errAt(s, path, "the schema is too complex (more than %d steps)", maxSchemaSteps)
	}
	// A schema that contains itself (through items, additionalProperties or oneOf) is described
	// as a struct at the point of recursion.
	if !stack[s] {
		stack[s] = true
		defer delete(stack, s)
	}
	names, err := p.typeNames(s, path)
	if err != nil {
		return jsInfo{}, err
	}
	var info jsInfo
	var nonNull []string
	for _, n := range names {
		if !jsonTypes[n] {
			return jsInfo{}, p.errAt(s.get("type"), joinPath(path, "type"), "unknown type %q", n)
		}
		if n == "null" {
			info.nullable = true
		} else {
			nonNull = append(nonNull, n)
		}
	}
	if v := s.get("nullable"); v != nil && v.kind == 'b' && v.b { // OpenAPI style
		info.nullable = true
	}
	if f := s.get("format"); f != nil && f.kind == 's' {
		info.format = f.str
	}
	if e := s.get("enum"); e != nil {
		if e.kind != 'a' || len(e.arr) == 0 {
			return jsInfo{}, p.errAt(e, joinPath(path, "enum"), "enum must be a non-empty array")
		}
		for _, v := range e.arr {
			switch v.kind {
			case 'z':
				info.nullable = true
			case 's', 'n':
				info.symbols = append(info.symbols, v.str)
			case 'b':
				info.symbols = append(info.symbols, fmt.Sprint(v.b))
			}
		}
		info.typ = "enum"
		return info, nil
	}
	for _, kw := range []string{"oneOf", "anyOf"} {
		alts := s.get(kw)
		if alts == nil {
			continue
		}
		if alts.kind != 'a' || len(alts.arr) == 0 {
			return jsInfo{}, p.errAt(alts, joinPath(path, kw), "%s must be a non-empty array", kw)
		}
		var branches []jsInfo
		for i, a := range alts.arr {
			ap := fmt.Sprintf("%s.%s[%d]", path, kw, i)
			as, err := p.resolve(a, ap, map[*jnode]bool{})
			if err != nil {
				return jsInfo{}, err
			}
			if stack[as] {
				branches = append(branches, jsInfo{typ: "struct"})
				continue
			}
			bi, err := p.describe(as, ap, stack)
			if err != nil {
				return jsInfo{}, err
			}
			if bi.typ == "null" {
				info.nullable = true
				continue
			}
			info.nullable = info.nullable || bi.nullable
			branches = append(branches, bi)
		}
		switch len(branches) {
		case 0:
			info.typ = "null"
		case 1:
			b := branches[0]
			b.nullable = info.nullable
			return b, nil
		default:
			names := make([]string, len(branches))
			for i, b := range branches {
				names[i] = b.typ
			}
			info.typ = "union<" + strings.Join(names, ",") + ">"
		}
		return info, nil
	}
	if len(nonNull) == 0 {
		switch {
		case s.get("properties") != nil || s.get("allOf") != nil || s.get("additionalProperties") != nil:
			nonNull = []string{"object"}
		case s.get("items") != nil:
			nonNull = []string{"array"}
		case len(names) > 0:
			info.typ = "null"
			return info, nil
		default:
			info.typ = "any"
			return info, nil
		}
	}
	if len(nonNull) > 1 {
		info.typ = "union<" + strings.Join(nonNull, ",") + ">"
		return info, nil
	}
	switch nonNull[0] {
	case "object":
		if s.get("properties") != nil || s.get("allOf") != nil {
			info.typ, info.object = "struct", s
			return info, nil
		}
		if ap := s.get("additionalProperties"); ap != nil && ap.kind == 'o' {
			vs, err := p.resolve(ap, joinPath(path, "additionalProperties"), map[*jnode]bool{})
			if err != nil {
				return jsInfo{}, err
			}
			vi := jsInfo{typ: "struct", object: vs}
			if !stack[vs] {
				if vi, err = p.describe(vs, joinPath(path, "additionalProperties"), stack); err != nil {
					return jsInfo{}, err
				}
			}
			info.typ, info.object = "map<string,"+vi.typ+">", vi.object
			return info, nil
		}
		info.typ, info.object = "struct", s
		return info, nil
	case "array":
		it := s.get("items")
		if it == nil || it.kind == 'a' { // no items or a tuple
			info.typ = "array<any>"
			return info, nil
		}
		is, err := p.resolve(it, joinPath(path, "items"), map[*jnode]bool{})
		if err != nil {
			return jsInfo{}, err
		}
		ii := jsInfo{typ: "struct", object: is}
		if !stack[is] {
			if ii, err = p.describe(is, joinPath(path, "items"), stack); err != nil {
				return jsInfo{}, err
			}
		}
		info.typ, info.object = "array<"+ii.typ+">", ii.object
		return info, nil
	}
	info.typ = nonNull[0]
	return info, nil
}

// properties emits the columns of an object schema: its properties and those of allOf parts.
func (p *jsonSchemaParser) properties(s *jnode, prefix, path string, stack map[*jnode]bool) error {
	required := map[string]bool{}
	var collect func(s *jnode, path string, depth int) error
	type prop struct {
		name string
		n    *jnode
		path string
	}
	var props []prop
	collect = func(s *jnode, path string, depth int) error {
		if depth > 16 {
			return p.errAt(s, path, "allOf nests too deeply")
		}
		if r := s.get("required"); r != nil && r.kind == 'a' {
			for _, e := range r.arr {
				if e.kind == 's' {
					required[e.str] = true
				}
			}
		}
		if ps := s.get("properties"); ps != nil {
			if ps.kind != 'o' {
				return p.errAt(ps, joinPath(path, "properties"), "properties must be an object, not %s", ps.kindName())
			}
			for i, k := range ps.keys {
				if k == "" {
					return p.errAt(ps.vals[i], joinPath(path, "properties"), "a property has an empty name")
				}
				props = append(props, prop{k, ps.vals[i], joinPath(path, "properties."+k)})
			}
		}
		if all := s.get("allOf"); all != nil {
			if all.kind != 'a' {
				return p.errAt(all, joinPath(path, "allOf"), "allOf must be an array")
			}
			for i, a := range all.arr {
				ap := fmt.Sprintf("%s.allOf[%d]", path, i)
				as, err := p.resolve(a, ap, map[*jnode]bool{})
				if err != nil {
					return err
				}
				if as.kind == 'o' {
					if err := collect(as, ap, depth+1); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	if err := collect(s, path, 0); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, pr := range props {
		if seen[pr.name] {
			continue // allOf parts may repeat a property; the first wins
		}
		seen[pr.name] = true
		ps, err := p.resolve(pr.n, pr.path, map[*jnode]bool{})
		if err != nil {
			return err
		}
		name := pr.name
		if prefix != "" {
			name = prefix + "." + pr.name
		}
		if len(p.cols) >= MaxSchemaColumns {
			return tooManyColumns(types.DataFormatJson)
		}
		if stack[ps] { // recursive reference: stop here
			p.cols = append(p.cols, SchemaColumn{Name: name, Type: "struct", Nullable: !required[pr.name]})
			continue
		}
		info, err := p.describe(ps, pr.path, stack)
		if err != nil {
			return err
		}
		col := SchemaColumn{Name: name, Type: info.typ, Logical: info.format, Nullable: info.nullable || !required[pr.name], Symbols: info.symbols}
		if ps.kind == 'o' {
			if d := ps.get("description"); d != nil && d.kind == 's' {
				col.Doc = d.str
			}
		}
		p.cols = append(p.cols, col)
		if info.object != nil && !stack[info.object] {
			stack[info.object] = true
			err := p.properties(info.object, name, pr.path, stack)
			delete(stack, info.object)
			if err != nil {
				return err
			}
		}
	}
	return nil
}
