package glue

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/bufbuild/protocompile"
	"github.com/hamba/avro/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The corpus of real schemas (../shared/testdata/schemas, see its README) is parsed by the
// reference implementation of each format (hamba/avro, bufbuild/protocompile,
// santhosh-tekuri/jsonschema) and by this package. Acceptance must agree file by file, except
// the differences listed in corpusDifferences; the columns must agree with an expected mapping
// computed here from the reference library's own schema model, following the rules documented
// on ParseSchema (not from this package's parsers).

// corpusFile is one definition of the corpus.
type corpusFile struct {
	name, def string
}

// loadCorpus reads ../shared/testdata/schemas/<kind>, or the directory named by the
// environment variable GLUE_CORPUS_<KIND> (AVRO, PROTO, JSON) for a local measurement over a
// larger set (SchemaStore's schemas, say), which is never committed.
func loadCorpus(tb testing.TB, kind, ext string) []corpusFile {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "testdata", "schemas", kind)
	if d := os.Getenv("GLUE_CORPUS_" + strings.ToUpper(kind)); d != "" {
		dir = d
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Skipf("schema corpus not available: %v", err)
	}
	var out []corpusFile
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ext) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, corpusFile{e.Name(), string(b)})
	}
	return out
}

// corpusDifferences are the files where this package and the reference disagree on
// acceptance, each with the reason the difference is right.
var corpusDifferences = map[string]string{
	"015_large_schema.avsc": "385,753 bytes: longer than the 170,000 characters Glue's SchemaDefinition allows (Glue API " +
		"reference, RegisterSchemaVersion), so this package refuses it; hamba/avro has no size limit",
	"065_namespace_null_fixed.avsc": `"namespace": "" puts Z in the null namespace (Avro specification, Names), so "Z" ` +
		"resolves from the null-namespace record R; hamba/avro takes the empty namespace as inherited and rejects the file, " +
		"which Apache Avro's test suite keeps as valid",
	"066_namespace_null_record.avsc": "the same null-namespace rule as 065_namespace_null_fixed.avsc, for a record",
	"591_RecordWithAliasesToNullNamespace.avsc": `aliases with a leading dot (".InnerEnum") name the null namespace, ` +
		"as Java Avro reads them; hamba/avro rejects the leading dot",
	"197_unittest_enormous_descriptor.proto": "250,706 bytes: longer than the 170,000 characters Glue's SchemaDefinition " +
		"allows, so this package refuses it",
	"161_cpp_features.proto": "feature_support names EDITION_UNSTABLE, a value of the descriptor.proto of protobuf 30+; " +
		"protocompile v0.14 knows an older descriptor.proto. This package does not interpret option values",
	"190_unittest_custom_options.proto": "feature_support.removal_error is a field of the protobuf 30+ descriptor.proto " +
		"that protocompile v0.14 lacks; option values are not interpreted here",
	"671_TestTreeNode.avsc": "a valid recursive default ([{\"children\": []}] for an array of the record itself); " +
		"hamba/avro panics with a nil dereference in isValidDefault",
}

// agreement tallies one format's comparison.
type agreement struct {
	files, accepted, acceptAgree int
	compared, columnsAgree       int
	diffs                        []string
}

// accept counts one file and whether the reference (refErr) and this package (ourErr) agree on
// accepting it; a disagreement listed in corpusDifferences counts as agreement, with its reason
// logged.
func (a *agreement) accept(format, name string, refErr, ourErr error) {
	a.files++
	if refErr == nil {
		a.accepted++
	}
	if (refErr == nil) == (ourErr == nil) {
		a.acceptAgree++
	} else if why, ok := corpusDifferences[name]; ok {
		a.acceptAgree++
		a.diffs = append(a.diffs, fmt.Sprintf("%s %s: justified difference: %s", format, name, why))
	} else {
		a.diffs = append(a.diffs, fmt.Sprintf("%s %s: reference err %v; ours %v", format, name, refErr, ourErr))
	}
}

// structOf renders parsed columns as the struct<name:type,...> type the references produce; ""
// when parsing failed.
func structOf(cols []Column, err error) string {
	if err != nil {
		return ""
	}
	var parts []string
	for _, c := range cols {
		parts = append(parts, c.Name+":"+c.Type)
	}
	return "struct<" + strings.Join(parts, ",") + ">"
}

func (a *agreement) report(t *testing.T, format string, acceptFloor, columnFloor float64) {
	t.Helper()
	for _, d := range a.diffs {
		t.Log(d)
	}
	acc := 100 * float64(a.acceptAgree) / float64(a.files)
	col := 100.0
	if a.compared > 0 {
		col = 100 * float64(a.columnsAgree) / float64(a.compared)
	}
	t.Logf("%s: %d files, reference accepts %d; acceptance agrees on %d (%.2f%%); columns agree on %d of %d (%.2f%%)",
		format, a.files, a.accepted, a.acceptAgree, acc, a.columnsAgree, a.compared, col)
	if acc < acceptFloor {
		t.Errorf("%s acceptance agreement %.2f%% fell below the floor %.2f%%", format, acc, acceptFloor)
	}
	if col < columnFloor {
		t.Errorf("%s column agreement %.2f%% fell below the floor %.2f%%", format, col, columnFloor)
	}
}

func columnsString(cols []Column) string {
	var b strings.Builder
	for _, c := range cols {
		fmt.Fprintf(&b, "%s %s\n", c.Name, c.Type)
	}
	return b.String()
}

// refStruct renders an expected struct the way the documented rules say: fields holding no
// data ("") dropped, later case-insensitive duplicates dropped, names made valid; "" when no
// field is left.
func refStruct(names, typs []string) (string, []Column) {
	var cols []Column
	seen := map[string]bool{}
	for i, n := range names {
		if typs[i] == "" {
			continue
		}
		n = hiveFieldName(n)
		if seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		cols = append(cols, Column{Name: n, Type: typs[i]})
	}
	if len(cols) == 0 {
		return "", nil
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c.Name + ":" + c.Type
	}
	return "struct<" + strings.Join(parts, ",") + ">", cols
}

// --- Avro, from hamba/avro's schema model.

func refAvro(s avro.Schema, stack map[string]bool) string {
	switch s := s.(type) {
	case *avro.NullSchema:
		return ""
	case *avro.RefSchema:
		return refAvro(s.Schema(), stack)
	case *avro.PrimitiveSchema:
		var lt avro.LogicalType
		if l := s.Logical(); l != nil {
			lt = l.Type()
		}
		switch s.Type() {
		case avro.Boolean:
			return "boolean"
		case avro.Int:
			if lt == avro.Date {
				return "date"
			}
			return "int"
		case avro.Long:
			switch lt {
			case avro.TimestampMillis, avro.TimestampMicros, avro.LocalTimestampMillis, avro.LocalTimestampMicros:
				return "timestamp"
			}
			return "bigint"
		case avro.Float:
			return "float"
		case avro.Double:
			return "double"
		case avro.String:
			return "string"
		case avro.Bytes:
			if d, ok := s.Logical().(*avro.DecimalLogicalSchema); ok && d.Precision() <= 38 {
				return fmt.Sprintf("decimal(%d,%d)", d.Precision(), d.Scale())
			}
			return "binary"
		}
	case *avro.FixedSchema:
		if d, ok := s.Logical().(*avro.DecimalLogicalSchema); ok && d.Precision() <= 38 {
			return fmt.Sprintf("decimal(%d,%d)", d.Precision(), d.Scale())
		}
		return "binary"
	case *avro.EnumSchema:
		return "string"
	case *avro.ArraySchema:
		e := refAvro(s.Items(), stack)
		if e == "" {
			e = "string"
		}
		return "array<" + e + ">"
	case *avro.MapSchema:
		v := refAvro(s.Values(), stack)
		if v == "" {
			v = "string"
		}
		return "map<string," + v + ">"
	case *avro.UnionSchema:
		var rest []avro.Schema
		for _, b := range s.Types() {
			if b.Type() != avro.Null {
				rest = append(rest, b)
			}
		}
		plain := func(a, b avro.Type) bool {
			if len(rest) != 2 {
				return false
			}
			for _, r := range rest {
				if p, ok := r.(*avro.PrimitiveSchema); !ok || p.Logical() != nil {
					return false
				}
			}
			return rest[0].Type() == a && rest[1].Type() == b || rest[0].Type() == b && rest[1].Type() == a
		}
		switch {
		case len(rest) == 0:
			return ""
		case len(rest) == 1:
			return refAvro(rest[0], stack)
		case plain(avro.Int, avro.Long):
			return "bigint"
		case plain(avro.Float, avro.Double):
			return "double"
		}
		var names, typs []string
		for i, r := range rest {
			names = append(names, fmt.Sprintf("member%d", i))
			typs = append(typs, refAvro(r, stack))
		}
		st, _ := refStruct(names, typs)
		return st
	case *avro.RecordSchema:
		if stack[s.FullName()] {
			return "string"
		}
		stack[s.FullName()] = true
		defer delete(stack, s.FullName())
		var names, typs []string
		for _, f := range s.Fields() {
			names = append(names, f.Name())
			typs = append(typs, refAvro(f.Type(), stack))
		}
		st, _ := refStruct(names, typs)
		return st
	}
	return "?"
}

// hambaParse parses with hamba/avro; a panic of the library (it dereferences a nil default on
// some recursive records) counts as a rejection.
func hambaParse(def string) (s avro.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("hamba/avro panicked: %v", r)
		}
	}()
	return avro.ParseWithCache(def, "", &avro.SchemaCache{})
}

func TestCorpusAvro(t *testing.T) {
	files := loadCorpus(t, "avro", ".avsc")
	var a agreement
	for _, f := range files {
		ref, refErr := hambaParse(f.def)
		ourErr := validateDefinition(types.DataFormatAvro, f.def)
		a.accept("avro", f.name, refErr, ourErr)
		rec, ok := ref.(*avro.RecordSchema)
		if refErr != nil || ourErr != nil || !ok {
			continue
		}
		a.compared++
		var names, typs []string
		stack := map[string]bool{rec.FullName(): true}
		for _, fd := range rec.Fields() {
			names = append(names, fd.Name())
			typs = append(typs, refAvro(fd.Type(), stack))
		}
		_, want := refStruct(names, typs)
		got, err := ParseSchema(types.DataFormatAvro, f.def)
		if err == nil && columnsString(got) == columnsString(want) || len(want) == 0 && err != nil && strings.Contains(err.Error(), "has no columns") {
			a.columnsAgree++
			continue
		}
		a.diffs = append(a.diffs, fmt.Sprintf("avro %s columns: err %v\nwant:\n%s got:\n%s", f.name, err, columnsString(want), columnsString(got)))
	}
	a.report(t, "AVRO", corpusFloor["AVRO accept"], corpusFloor["AVRO columns"])
}

// --- Protobuf, from protocompile's descriptors.

var refProtoWKT = map[protoreflect.FullName]string{
	"google.protobuf.Timestamp": "timestamp", "google.protobuf.Duration": "struct<seconds:bigint,nanos:int>",
	"google.protobuf.DoubleValue": "double", "google.protobuf.FloatValue": "float", "google.protobuf.Int64Value": "bigint",
	"google.protobuf.UInt64Value": "decimal(20,0)", "google.protobuf.Int32Value": "int", "google.protobuf.UInt32Value": "bigint",
	"google.protobuf.BoolValue": "boolean", "google.protobuf.StringValue": "string", "google.protobuf.BytesValue": "binary",
	"google.protobuf.Struct": "string", "google.protobuf.Value": "string", "google.protobuf.ListValue": "string",
	"google.protobuf.Any": "struct<type_url:string,value:binary>", "google.protobuf.FieldMask": "struct<paths:array<string>>",
	"google.protobuf.Empty": "",
}

func refProtoKind(fd protoreflect.FieldDescriptor, stack map[protoreflect.FullName]bool) string {
	switch fd.Kind() {
	case protoreflect.DoubleKind:
		return "double"
	case protoreflect.FloatKind:
		return "float"
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return "int"
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return "bigint"
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return "decimal(20,0)"
	case protoreflect.BoolKind:
		return "boolean"
	case protoreflect.StringKind, protoreflect.EnumKind:
		return "string"
	case protoreflect.BytesKind:
		return "binary"
	}
	md := fd.Message()
	if t, ok := refProtoWKT[md.FullName()]; ok {
		return t
	}
	if strings.HasPrefix(string(md.FullName()), "google.protobuf.") {
		return "string"
	}
	return refProtoMessage(md, stack)
}

func refProtoMessage(md protoreflect.MessageDescriptor, stack map[protoreflect.FullName]bool) string {
	if stack[md.FullName()] {
		return "string"
	}
	stack[md.FullName()] = true
	defer delete(stack, md.FullName())
	var names, typs []string
	fields := md.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		var t string
		switch {
		case fd.IsMap():
			if v := refProtoKind(fd.MapValue(), stack); v != "" {
				t = "map<" + refProtoKind(fd.MapKey(), stack) + "," + v + ">"
			}
		case fd.IsList():
			if v := refProtoKind(fd, stack); v != "" {
				t = "array<" + v + ">"
			}
		default:
			t = refProtoKind(fd, stack)
		}
		names = append(names, string(fd.Name()))
		typs = append(typs, t)
	}
	st, _ := refStruct(names, typs)
	return st
}

// protoStrict parses a file the way ParseSchema does, with its imports required.
func protoStrict(def string) error {
	if len(def) > maxDefinitionLength {
		return fmt.Errorf("longer than %d", maxDefinitionLength)
	}
	f, err := parseProtoSyntax(def)
	if err != nil {
		return err
	}
	if err := f.addImports(nil); err != nil {
		return err
	}
	return f.resolve(false)
}

func TestCorpusProtobuf(t *testing.T) {
	files := loadCorpus(t, "proto", ".proto")
	var a agreement
	for _, f := range files {
		c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			Accessor: protocompile.SourceAccessorFromMap(map[string]string{f.name: f.def}),
		})}
		res, refErr := c.Compile(t.Context(), f.name)
		ourErr := protoStrict(f.def)
		a.accept("proto", f.name, refErr, ourErr)
		if refErr != nil || ourErr != nil || res[0].Messages().Len() == 0 {
			continue
		}
		a.compared++
		md := res[0].Messages().Get(0)
		stack := map[protoreflect.FullName]bool{}
		wantType := refProtoMessage(md, stack)
		got, err := ParseSchema(types.DataFormatProtobuf, f.def)
		gotType := structOf(got, err)
		if wantType == gotType || wantType == "" && err != nil {
			a.columnsAgree++
			continue
		}
		a.diffs = append(a.diffs, fmt.Sprintf("proto %s columns: err %v\nwant %s\ngot  %s", f.name, err, wantType, gotType))
	}
	a.report(t, "PROTOBUF", corpusFloor["PROTOBUF accept"], corpusFloor["PROTOBUF columns"])
}

// --- JSON Schema, from santhosh-tekuri/jsonschema's compiled schemas: a plain recursive reading
// of the documented rules (no memoization, no shared code with jsonschema.go's mapper).

type refJS struct {
	onPath []*jsonschema.Schema
	order  map[string][]string
}

// conj returns s with everything it is conjoined with.
func (r *refJS) conj(s *jsonschema.Schema, out *[]*jsonschema.Schema) {
	if s == nil || slices.Contains(*out, s) {
		return
	}
	*out = append(*out, s)
	r.conj(s.Ref, out)
	r.conj(s.RecursiveRef, out)
	if s.DynamicRef != nil {
		r.conj(s.DynamicRef.Ref, out)
	}
	for _, a := range s.AllOf {
		r.conj(a, out)
	}
}

func refKinds(all []*jsonschema.Schema) (mask int, never bool) {
	mask = jsAny
	for _, s := range all {
		if s.Bool != nil && !*s.Bool {
			never = true
		}
		if s.Types != nil && !s.Types.IsEmpty() {
			m := 0
			for _, n := range s.Types.ToStrings() {
				m |= jsTypeBits[n]
			}
			mask &= m
		}
		if s.Enum != nil {
			m := 0
			for _, v := range s.Enum.Values {
				m |= valueBits(v)
			}
			mask &= m
		}
		if s.Const != nil {
			mask &= valueBits(*s.Const)
		}
	}
	return mask, never
}

func (r *refJS) typ(ss []*jsonschema.Schema) string {
	var all, chains []*jsonschema.Schema
	for _, s := range ss {
		for c := s; c != nil && !slices.Contains(chains, c); {
			if slices.Contains(r.onPath, c) {
				return "string"
			}
			chains = append(chains, c)
			switch {
			case c.Ref != nil:
				c = c.Ref
			case c.RecursiveRef != nil:
				c = c.RecursiveRef
			case c.DynamicRef != nil:
				c = c.DynamicRef.Ref
			default:
				c = nil
			}
		}
		r.conj(s, &all)
	}
	defer func(n int) { r.onPath = r.onPath[:n] }(len(r.onPath))
	r.onPath = append(r.onPath, chains...)
	kinds, never := refKinds(all)
	var props []string
	propSchemas := map[string][]*jsonschema.Schema{}
	var values, items []*jsonschema.Schema
	var formats []string
	addObject := func(all []*jsonschema.Schema) {
		for _, s := range all {
			names := make([]string, 0, len(s.Properties))
			if key, ok := locationKey(s.Location); ok {
				for _, n := range r.order[key] {
					if s.Properties[n] != nil {
						names = append(names, n)
					}
				}
			}
			if len(names) != len(s.Properties) {
				names = names[:0]
				for n := range s.Properties {
					names = append(names, n)
				}
				sort.Strings(names)
			}
			for _, n := range names {
				if _, ok := propSchemas[n]; !ok {
					props = append(props, n)
				}
				propSchemas[n] = append(propSchemas[n], s.Properties[n])
			}
			if a, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
				values = append(values, a)
			}
			for _, p := range s.PatternProperties {
				values = append(values, p)
			}
		}
	}
	addArray := func(all []*jsonschema.Schema) {
		for _, s := range all {
			switch it := s.Items.(type) {
			case *jsonschema.Schema:
				items = append(items, it)
			case []*jsonschema.Schema:
				items = append(items, it...)
			}
			if s.Items2020 != nil {
				items = append(items, s.Items2020)
			}
			items = append(items, s.PrefixItems...)
		}
	}
	addFormats := func(all []*jsonschema.Schema) {
		for _, s := range all {
			if s.Format != nil {
				formats = append(formats, s.Format.Name)
			}
		}
	}
	addObject(all)
	addArray(all)
	addFormats(all)
	if never {
		kinds = 0
	} else if kinds == jsAny {
		switch {
		case len(props) > 0 || len(values) > 0:
			kinds = jsObject
		case len(items) > 0:
			kinds = jsArray
		}
	}
	var branches [][]*jsonschema.Schema
	for _, s := range all {
		for _, g := range [][]*jsonschema.Schema{s.OneOf, s.AnyOf} {
			if len(g) == 0 {
				continue
			}
			union := 0
			for _, b := range g {
				var ball []*jsonschema.Schema
				r.conj(b, &ball)
				bk, bnever := refKinds(ball)
				if !bnever && bk == jsAny {
					probe := &refJS{order: r.order}
					_ = probe
					for _, x := range ball {
						if len(x.Properties) > 0 || x.AdditionalProperties != nil && x.AdditionalProperties != any(true) && x.AdditionalProperties != any(false) || len(x.PatternProperties) > 0 {
							bk = jsObject
							break
						}
					}
					if bk == jsAny {
						for _, x := range ball {
							if x.Items != nil || x.Items2020 != nil || len(x.PrefixItems) > 0 {
								bk = jsArray
								break
							}
						}
					}
				}
				if bnever {
					bk = 0
				}
				union |= bk
				if bk != 0 && bk != jsNull {
					branches = append(branches, ball)
				}
			}
			if kinds&union != 0 {
				kinds &= union
			}
		}
	}
	kinds &^= jsNull
	collection := func(ss []*jsonschema.Schema) string {
		first := ""
		for _, s := range ss {
			t := r.typ([]*jsonschema.Schema{s})
			if t == "" {
				continue
			}
			if first == "" {
				first = t
			} else if t != first {
				return "string"
			}
		}
		if first == "" {
			return "string"
		}
		return first
	}
	switch kinds {
	case 0:
		return ""
	case jsAny &^ jsNull:
		return "string"
	case jsInteger:
		return "bigint"
	case jsNumber | jsInteger, jsNumber:
		return "double"
	case jsBoolean:
		return "boolean"
	case jsString:
		for _, b := range branches {
			if k, _ := refKinds(b); k&jsString != 0 {
				addFormats(b)
			}
		}
		if len(formats) > 0 && !slices.ContainsFunc(formats, func(f string) bool { return f != formats[0] }) {
			switch formats[0] {
			case "date":
				return "date"
			case "date-time":
				return "timestamp"
			}
		}
		return "string"
	case jsArray:
		for _, b := range branches {
			if k, _ := refKinds(b); k&jsArray != 0 {
				addArray(b)
			}
		}
		return "array<" + collection(items) + ">"
	case jsObject:
		for _, b := range branches {
			if k, _ := refKinds(b); k&jsObject != 0 {
				addObject(b)
			}
		}
		if len(props) == 0 {
			if len(values) > 0 {
				return "map<string," + collection(values) + ">"
			}
			return "string"
		}
		var typs []string
		for _, n := range props {
			typs = append(typs, r.typ(propSchemas[n]))
		}
		st, _ := refStruct(props, typs)
		return st
	}
	return "string"
}

func TestCorpusJSONSchema(t *testing.T) {
	files := loadCorpus(t, "json", ".json")
	var a agreement
	for _, f := range files {
		var refErr error
		var sch *jsonschema.Schema
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(f.def))
		if err != nil {
			refErr = err
		} else {
			c := jsonschema.NewCompiler()
			c.DefaultDraft(jsonschema.Draft7)
			c.AssertFormat()
			if refErr = c.AddResource(jsonSchemaBase, doc); refErr == nil {
				sch, refErr = c.Compile(jsonSchemaBase)
			}
		}
		ourErr := validateDefinition(types.DataFormatJson, f.def)
		a.accept("json", f.name, refErr, ourErr)
		if refErr != nil || ourErr != nil {
			continue
		}
		order, err := propertyOrder(f.def)
		if err != nil {
			t.Fatal(err)
		}
		r := &refJS{order: order}
		want := r.typ([]*jsonschema.Schema{sch})
		if !strings.HasPrefix(want, "struct<") {
			continue // not a table: the top level is no object with properties
		}
		a.compared++
		got, err := ParseSchema(types.DataFormatJson, f.def)
		gotType := structOf(got, err)
		if gotType == want {
			a.columnsAgree++
			continue
		}
		a.diffs = append(a.diffs, fmt.Sprintf("json %s columns: err %v\nwant %s\ngot  %s", f.name, err, want, gotType))
	}
	if os.Getenv("GLUE_CORPUS_JSON") != "" {
		a.report(t, "JSON", 0, 0) // a local measurement: report, no floor
		return
	}
	a.report(t, "JSON", corpusFloor["JSON accept"], corpusFloor["JSON columns"])
}

// corpusFloor holds the agreement measured when the test was written, in percent; a change
// that lowers one fails the test.
// Measured: AVRO 654 files (580 accepted by hamba/avro), 483 records compared; PROTOBUF 290
// files (147 accepted by protocompile), 140 messages compared; JSON 18 files (12 accepted), 3
// object schemas compared.
var corpusFloor = map[string]float64{
	"AVRO accept": 100, "AVRO columns": 100,
	"PROTOBUF accept": 100, "PROTOBUF columns": 100,
	"JSON accept": 100, "JSON columns": 100,
}

// BenchmarkCorpus parses every file of the corpus with this package and with the reference,
// side by side; ns/op is per schema.
func BenchmarkCorpus(b *testing.B) {
	avroFiles := loadCorpus(b, "avro", ".avsc")
	protoFiles := loadCorpus(b, "proto", ".proto")
	jsonFiles := loadCorpus(b, "json", ".json")
	run := func(name string, files []corpusFile, parse func(string)) {
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				parse(files[i%len(files)].def)
				i++
			}
		})
	}
	run("AVRO/glue", avroFiles, func(d string) { _, _ = ParseSchema(types.DataFormatAvro, d) })
	run("AVRO/hamba", avroFiles, func(d string) { _, _ = hambaParse(d) })
	run("PROTOBUF/glue", protoFiles, func(d string) { _, _ = ParseSchema(types.DataFormatProtobuf, d) })
	run("PROTOBUF/protocompile", protoFiles, func(d string) {
		c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			Accessor: protocompile.SourceAccessorFromMap(map[string]string{"f.proto": d}),
		})}
		_, _ = c.Compile(b.Context(), "f.proto")
	})
	run("JSON/glue", jsonFiles, func(d string) { _, _ = ParseSchema(types.DataFormatJson, d) })
	run("JSON/jsonschema", jsonFiles, func(d string) {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(d))
		if err != nil {
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft7)
		if c.AddResource(jsonSchemaBase, doc) == nil {
			_, _ = c.Compile(jsonSchemaBase)
		}
	})
}
