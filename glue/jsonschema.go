package glue

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// jsonSchemaBase is the URL a definition is compiled under. A relative or absolute reference
// to any other document reaches refuseLoader and fails.
const jsonSchemaBase = "https://schema-registry.glue.invalid/definition.json"

// refuseLoader is the compiler's loader: the Schema Registry stores one document per schema,
// so a reference outside it cannot be resolved (the metaschemas are built into the library).
type refuseLoader struct{}

func (refuseLoader) Load(u string) (any, error) {
	return nil, fmt.Errorf("references to other documents (%s) are not supported: a Schema Registry definition must be self-contained", u)
}

// compileJSONSchema compiles a definition with santhosh-tekuri/jsonschema: the document is
// validated against its metaschema ($schema; draft 7 when absent, the newest draft Glue's
// JSON support names), $id, anchors and (percent- and ~-encoded) JSON pointers resolved. It
// also returns the order of every "properties" object, which the compiled schema (a Go map)
// does not keep.
func compileJSONSchema(definition string) (*jsonschema.Schema, map[string][]string, error) {
	order, err := propertyOrder(definition) // first: it also enforces maxJSONSchemaObjects
	if err != nil {
		return nil, nil, jsonSyntax(definition, err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(definition))
	if err != nil {
		return nil, nil, jsonSyntax(definition, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.UseLoader(refuseLoader{})
	c.AssertFormat() // only fills Schema.Format for every draft; instances are never validated
	if err := c.AddResource(jsonSchemaBase, doc); err != nil {
		return nil, nil, &SchemaError{format: types.DataFormatJson, Msg: err.Error()}
	}
	s, err := c.Compile(jsonSchemaBase)
	if err != nil {
		return nil, nil, &SchemaError{format: types.DataFormatJson, Msg: strings.ReplaceAll(err.Error(), jsonSchemaBase, "definition")}
	}
	return s, order, nil
}

func jsonSyntax(definition string, err error) error {
	e := &SchemaError{format: types.DataFormatJson, Msg: err.Error()}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		e.Line, e.Column = lineCol(definition, int(se.Offset))
	}
	return e
}

// maxJSONSchemaObjects bounds the objects of a JSON Schema document. The compiler's time grows
// faster than linearly with the number of subschemas and references (lookups in lists, a walk
// per fragment resolved): a 64 KiB document at this bound compiles in about 60 ms, one with
// 2,000 subschemas in 125 ms. Registry schemas that map to tables stay below it.
const maxJSONSchemaObjects = 800

// maxOrderDepth bounds the nesting propertyOrder follows; deeper objects keep their properties
// in sorted order, which only changes the order of their columns.
const maxOrderDepth = 256

// propertyOrder reads the document's tokens once and records, for every object holding a
// "properties" object, the order of its keys, indexed by the object's JSON pointer segments
// joined with NUL.
func propertyOrder(definition string) (map[string][]string, error) {
	dec := json.NewDecoder(strings.NewReader(definition))
	dec.UseNumber()
	order := map[string][]string{}
	var path []string
	objects := 0
	var walk func(depth int) error
	walk = func(depth int) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		switch d {
		case '{':
			if objects++; objects > maxJSONSchemaObjects {
				return fmt.Errorf("the document has more than %d objects, the most this parser compiles", maxJSONSchemaObjects)
			}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				path = append(path, k)
				if k == "properties" && depth < maxOrderDepth {
					key := strings.Join(path[:len(path)-1], "\x00")
					if err := walkProps(dec, &path, order, key, walk, depth); err != nil {
						return err
					}
				} else if err := walk(depth + 1); err != nil {
					return err
				}
				path = path[:len(path)-1]
			}
		case '[':
			for i := 0; dec.More(); i++ {
				path = append(path, fmt.Sprint(i))
				if err := walk(depth + 1); err != nil {
					return err
				}
				path = path[:len(path)-1]
			}
		}
		_, err = dec.Token() // closing delimiter
		return err
	}
	if err := walk(0); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the top-level value")
	}
	return order, nil
}

// walkProps reads a "properties" value, recording its keys' order under key.
func walkProps(dec *json.Decoder, path *[]string, order map[string][]string, key string, walk func(int) error, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		if ok { // an array or other misuse: the metaschema check reports it; skip it
			for dec.More() {
				if err := walk(depth + 1); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		}
		return err
	}
	var names []string // the "properties" object itself is not counted: it holds no schema
	seen := map[string]bool{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return err
		}
		k, _ := kt.(string)
		if !seen[k] {
			seen[k] = true
			names = append(names, k)
		}
		*path = append(*path, k)
		if err := walk(depth + 2); err != nil {
			return err
		}
		*path = (*path)[:len(*path)-1]
	}
	order[key] = names
	_, err = dec.Token()
	return err
}

// locationKey turns a compiled schema's Location ("<base>#/properties/a%20b") into the key
// propertyOrder uses, or "" when it is not in the definition.
func locationKey(loc string) (string, bool) {
	base, frag, ok := strings.Cut(loc, "#")
	if !ok || base != jsonSchemaBase {
		return "", false
	}
	frag, err := url.PathUnescape(frag)
	if err != nil {
		return "", false
	}
	if frag == "" {
		return "", true
	}
	segs := strings.Split(strings.TrimPrefix(frag, "/"), "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return strings.Join(segs, "\x00"), true
}

// jsonSchemaHive compiles a definition and maps its top-level object schema to Hive.
func jsonSchemaHive(definition string) (*hiveType, error) {
	s, order, err := compileJSONSchema(definition)
	if err != nil {
		return nil, err
	}
	m := &jsMapper{expansion: newExpansion(s, jsSuccs), order: order}
	h, _ := m.conv([]*jsonschema.Schema{s}, 0)
	if m.steps > maxSchemaSteps {
		return nil, tooManySteps(types.DataFormatJson)
	}
	if h == nil || h.kind != 's' {
		return nil, &SchemaError{format: types.DataFormatJson, Msg: "the top-level schema is not an object with properties"}
	}
	return h, nil
}

// JSON types as bits; number includes integer.
const (
	jsNull = 1 << iota
	jsBoolean
	jsInteger
	jsNumber
	jsString
	jsArray
	jsObject
	jsAny = 1<<iota - 1
)

var jsTypeBits = map[string]int{"null": jsNull, "boolean": jsBoolean, "integer": jsInteger, "number": jsNumber | jsInteger, "string": jsString, "array": jsArray, "object": jsObject}

// jsView is what a schema and everything it is conjoined with ($ref, $recursiveRef,
// $dynamicRef, allOf) say about an instance.
type jsView struct {
	mask       int // allowed types; jsAny when nothing constrains them
	never      bool
	props      []string
	propSchems map[string][]*jsonschema.Schema
	values     []*jsonschema.Schema // additionalProperties and patternProperties schemas
	items      []*jsonschema.Schema
	formats    []string
	alts       [][]*jsonschema.Schema // oneOf and anyOf groups
	doc        string
}

// jsMapper maps compiled schemas to Hive types, memoizing single schemas as avroMapper does.
type jsMapper struct {
	expansion[*jsonschema.Schema]
	order map[string][]string
	steps int
}

// jsSuccs calls visit with every subschema the mapping of s may map or conjoin with s: a
// superset of the mapper's own steps, which only merges components (see components).
func jsSuccs(s *jsonschema.Schema, visit func(*jsonschema.Schema)) {
	one := func(x *jsonschema.Schema) {
		if x != nil {
			visit(x)
		}
	}
	one(s.Ref)
	one(s.RecursiveRef)
	if s.DynamicRef != nil {
		one(s.DynamicRef.Ref)
	}
	for _, l := range [][]*jsonschema.Schema{s.AllOf, s.OneOf, s.AnyOf, s.PrefixItems} {
		for _, x := range l {
			one(x)
		}
	}
	for _, x := range s.Properties {
		one(x)
	}
	for _, x := range s.PatternProperties {
		one(x)
	}
	if a, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		one(a)
	}
	switch it := s.Items.(type) {
	case *jsonschema.Schema:
		one(it)
	case []*jsonschema.Schema:
		for _, x := range it {
			one(x)
		}
	}
	one(s.Items2020)
}

func valueBits(v any) int {
	switch v := v.(type) {
	case nil:
		return jsNull
	case bool:
		return jsBoolean
	case json.Number:
		if strings.ContainsAny(v.String(), ".eE") {
			return jsNumber
		}
		return jsInteger
	case string:
		return jsString
	case []any:
		return jsArray
	case map[string]any:
		return jsObject
	}
	return jsAny
}

// collect adds s and the schemas conjoined with it to v.
func (m *jsMapper) collect(s *jsonschema.Schema, v *jsView, seen map[*jsonschema.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	if m.steps++; m.steps > maxSchemaSteps {
		return
	}
	seen[s] = true
	if s.Bool != nil {
		if !*s.Bool {
			v.never = true
		}
		return
	}
	if s.Types != nil && !s.Types.IsEmpty() {
		bits := 0
		for _, t := range s.Types.ToStrings() {
			bits |= jsTypeBits[t]
		}
		v.mask &= bits
	}
	if s.Enum != nil {
		bits := 0
		for _, e := range s.Enum.Values {
			bits |= valueBits(e)
		}
		v.mask &= bits
	}
	if s.Const != nil {
		v.mask &= valueBits(*s.Const)
	}
	if v.doc == "" {
		v.doc = s.Description
	}
	if s.Format != nil {
		v.formats = append(v.formats, s.Format.Name)
	}
	if len(s.Properties) > 0 {
		names := m.propertyNames(s)
		for _, n := range names {
			if _, ok := v.propSchems[n]; !ok {
				v.props = append(v.props, n)
			}
			v.propSchems[n] = append(v.propSchems[n], s.Properties[n])
		}
	}
	if a, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		v.values = append(v.values, a)
	}
	for _, p := range s.PatternProperties {
		v.values = append(v.values, p)
	}
	switch it := s.Items.(type) {
	case *jsonschema.Schema:
		v.items = append(v.items, it)
	case []*jsonschema.Schema:
		v.items = append(v.items, it...)
	}
	if s.Items2020 != nil {
		v.items = append(v.items, s.Items2020)
	}
	v.items = append(v.items, s.PrefixItems...)
	if len(s.OneOf) > 0 {
		v.alts = append(v.alts, s.OneOf)
	}
	if len(s.AnyOf) > 0 {
		v.alts = append(v.alts, s.AnyOf)
	}
	m.collect(s.Ref, v, seen)
	m.collect(s.RecursiveRef, v, seen)
	if s.DynamicRef != nil {
		m.collect(s.DynamicRef.Ref, v, seen)
	}
	for _, a := range s.AllOf {
		m.collect(a, v, seen)
	}
}

// propertyNames lists s's properties in document order (sorted when the order is unknown).
func (m *jsMapper) propertyNames(s *jsonschema.Schema) []string {
	var names []string
	if key, ok := locationKey(s.Location); ok {
		for _, n := range m.order[key] {
			if _, ok := s.Properties[n]; ok {
				names = append(names, n)
			}
		}
	}
	if len(names) == len(s.Properties) {
		return names
	}
	names = names[:0]
	for n := range s.Properties {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func (m *jsMapper) view(ss []*jsonschema.Schema) *jsView {
	v := &jsView{mask: jsAny, propSchems: map[string][]*jsonschema.Schema{}}
	seen := map[*jsonschema.Schema]bool{}
	for _, s := range ss {
		m.collect(s, v, seen)
	}
	return v
}

// inferred returns the types v allows, inferring object or array from the keywords present
// when no type is given.
func (v *jsView) inferred() int {
	if v.never {
		return 0
	}
	if v.mask != jsAny {
		return v.mask
	}
	switch {
	case len(v.props) > 0 || len(v.values) > 0:
		return jsObject
	case len(v.items) > 0:
		return jsArray
	}
	return jsAny
}

// conv maps the conjunction of ss at depth. Single schemas are memoized; see avroMapper.conv
// for the meaning of the second result. A schema is on the path while its own mapping runs,
// with the targets of its reference chain ($ref, $recursiveRef, $dynamicRef): meeting one of
// them again is a recursion, cut to string.
func (m *jsMapper) conv(ss []*jsonschema.Schema, depth int) (*hiveType, int) {
	noCut := depth + 1
	if m.steps > maxSchemaSteps {
		return hiveString, noCut
	}
	var chain []*jsonschema.Schema
	for _, s := range ss {
		for s != nil && len(chain) <= maxSchemaSteps {
			if d, ok := m.onPath[s]; ok {
				return hiveString, d - 1 // recursion: Hive types cannot recurse
			}
			if slices.Contains(chain, s) {
				break
			}
			chain = append(chain, s)
			m.steps++
			switch {
			case s.Ref != nil:
				s = s.Ref
			case s.RecursiveRef != nil:
				s = s.RecursiveRef
			case s.DynamicRef != nil:
				s = s.DynamicRef.Ref
			default:
				s = nil
			}
		}
	}
	reusable := len(ss) == 1 && m.reusable(ss[0])
	if reusable {
		if h, ok := m.memo[ss[0]]; ok {
			return h, noCut
		}
	}
	for _, s := range chain {
		m.enter(s, depth)
	}
	h, low := m.convView(m.view(ss), depth)
	for _, s := range chain {
		m.leave(s)
	}
	if reusable {
		m.memo[ss[0]] = h
	}
	return h, low
}

func (m *jsMapper) convView(v *jsView, depth int) (*hiveType, int) {
	noCut := depth + 1
	kinds := v.inferred()
	// Branch views of oneOf/anyOf: the instance is one of them (and the base).
	var branches []*jsView
	for _, g := range v.alts {
		union := 0
		for _, b := range g {
			bv := m.view([]*jsonschema.Schema{b})
			bk := bv.inferred()
			if bk == 0 || bk == jsNull {
				union |= bk
				continue
			}
			union |= bk
			branches = append(branches, bv)
		}
		if kinds&union != 0 {
			kinds &= union
		}
	}
	kinds &^= jsNull
	switch {
	case kinds == 0:
		return nil, noCut // null only, or nothing valid: no data
	case kinds == jsAny&^jsNull:
		return hiveString, noCut
	case kinds == jsInteger:
		return hiveBigint, noCut
	case kinds == jsNumber|jsInteger || kinds == jsNumber:
		return hiveDouble, noCut
	case kinds == jsBoolean:
		return hiveBoolean, noCut
	case kinds == jsString:
		return m.stringType(v, branches), noCut
	case kinds == jsArray:
		items := slices.Clone(v.items)
		for _, b := range branches {
			if b.inferred()&jsArray != 0 {
				items = append(items, b.items...)
			}
		}
		return m.collection(items, depth, hiveArray)
	case kinds == jsObject:
		return m.object(v, branches, depth)
	}
	return hiveString, noCut // several kinds: the value as JSON text
}

func (m *jsMapper) stringType(v *jsView, branches []*jsView) *hiveType {
	formats := slices.Clone(v.formats)
	for _, b := range branches {
		if b.inferred()&jsString != 0 {
			formats = append(formats, b.formats...)
		}
	}
	if len(formats) == 0 {
		return hiveString
	}
	for _, f := range formats[1:] {
		if f != formats[0] {
			return hiveString
		}
	}
	switch formats[0] {
	case "date":
		return hiveDate
	case "date-time":
		return hiveTimestamp
	}
	return hiveString
}

// collection maps an array's items or a map's values: one Hive type when every schema maps
// to the same, string otherwise or when there is none.
func (m *jsMapper) collection(ss []*jsonschema.Schema, depth int, wrap func(*hiveType) *hiveType) (*hiveType, int) {
	low := depth + 1
	var elem *hiveType
	var first string
	for _, s := range ss {
		h, cut := m.conv([]*jsonschema.Schema{s}, depth+1)
		low = min(low, cut)
		if noData(h) {
			continue
		}
		var sb strings.Builder
		if !h.render(&sb, maxColumnTypeLength) {
			return wrap(hiveString), low
		}
		switch {
		case elem == nil:
			elem, first = h, sb.String()
		case sb.String() != first:
			return wrap(hiveString), low
		}
	}
	if elem == nil {
		elem = hiveString
	}
	return wrap(elem), low
}

func (m *jsMapper) object(v *jsView, branches []*jsView, depth int) (*hiveType, int) {
	props := slices.Clone(v.props)
	schemas := map[string][]*jsonschema.Schema{}
	for n, ss := range v.propSchems {
		schemas[n] = ss
	}
	values := slices.Clone(v.values)
	for _, b := range branches {
		if b.inferred()&jsObject == 0 {
			continue
		}
		for _, n := range b.props {
			if _, ok := schemas[n]; !ok {
				props = append(props, n)
			}
			schemas[n] = append(schemas[n], b.propSchems[n]...)
		}
		values = append(values, b.values...)
	}
	if len(props) == 0 {
		if len(values) > 0 {
			return m.collection(values, depth, func(h *hiveType) *hiveType { return hiveMap(hiveString, h) })
		}
		return hiveString, depth + 1 // a free-form object: its JSON text
	}
	var b structBuilder
	low := depth + 1
	for _, n := range props {
		ss := schemas[n]
		h, cut := m.conv(ss, depth+1)
		low = min(low, cut)
		doc := ""
		for _, s := range ss {
			if doc = s.Description; doc != "" {
				break
			}
			if s.Ref != nil && s.Ref.Description != "" {
				doc = s.Ref.Description
				break
			}
		}
		b.add(n, h, doc)
	}
	return b.build(), low
}
