package glue_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/glue"
)

// adversarial is a hostile definition of at most 64 KiB (issue 13) and what parsing it must
// give: an error containing wantErr, or columns when wantErr is empty.
type adversarial struct {
	name    string
	format  types.DataFormat
	def     string
	wantErr string
}

// jsonAllOfChain: each definition allOf's three $refs to the next; walked as a tree this is
// 3^n, which took seconds and a gigabyte at 13 levels before mapping was memoized.
func jsonAllOfChain(n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"object","properties":{"root":{"$ref":"#/definitions/d0"}},"definitions":{`)
	for i := range n {
		fmt.Fprintf(&b, `"d%d":{"allOf":[{"$ref":"#/definitions/d%d"},{"$ref":"#/definitions/d%d"},{"$ref":"#/definitions/d%d"}]},`, i, i+1, i+1, i+1)
	}
	fmt.Fprintf(&b, `"d%d":{"type":"object","properties":{"x":{"type":"string"}}}}}`, n)
	return b.String()
}

// jsonDoubling: each definition has two properties of the next; the type doubles per level.
func jsonDoubling(n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"object","properties":{"root":{"$ref":"#/definitions/d0"}},"definitions":{`)
	for i := range n {
		fmt.Fprintf(&b, `"d%d":{"type":"object","properties":{"a":{"$ref":"#/definitions/d%d"},"b":{"$ref":"#/definitions/d%d"}}},`, i, i+1, i+1)
	}
	fmt.Fprintf(&b, `"d%d":{"type":"string"}}}`, n)
	return b.String()
}

// jsonManyProperties: one object with n properties (the duplicate-key scan was quadratic).
func jsonManyProperties(n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"object","properties":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"p%d":{"type":"integer"}`, i)
	}
	b.WriteString(`}}`)
	return b.String()
}

// avroManyKeys: a record object with n extra attributes (Avro's JSON duplicate-key scan).
func avroManyKeys(n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]`)
	for i := range n {
		fmt.Fprintf(&b, `,"k%d":0`, i)
	}
	b.WriteString(`}`)
	return b.String()
}

// avroDoubling: record R_i has two fields of record R_{i+1}: 2^n expansion of a small schema.
func avroDoubling(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"type":"record","name":"R%d","fields":[{"name":"a","type":`, i)
	}
	b.WriteString(`"string"`)
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&b, `},{"name":"b","type":"R%d"}]}`, i+1)
	}
	s := b.String()
	// The innermost record refers to R_n, which is string: rename it.
	return strings.Replace(s, fmt.Sprintf(`"type":"R%d"`, n), `"type":"string"`, 1)
}

// avroLongChain: n nested records, a chain whose column names used to be rebuilt per level.
func avroLongChain(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"name":"f","type":{"type":"record","name":"R%d","fields":[`, i)
	}
	b.WriteString(`{"name":"leaf","type":"int"}`)
	for range n {
		b.WriteString(`]}}`)
	}
	return `{"type":"record","name":"Top","fields":[` + b.String() + `]}`
}

// avroBigEnum: an enum with n symbols used by many fields (symbols were copied per column).
func avroBigEnum(symbols, uses int) string {
	var b strings.Builder
	b.WriteString(`{"type":"record","name":"A","fields":[{"name":"e0","type":{"type":"enum","name":"E","symbols":[`)
	for i := range symbols {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"S%d"`, i)
	}
	b.WriteString(`]}}`)
	for i := 1; i < uses; i++ {
		fmt.Fprintf(&b, `,{"name":"e%d","type":"E"}`, i)
	}
	b.WriteString(`]}`)
	return b.String()
}

// protoManyFields: a message with n fields (the duplicate checks were quadratic).
func protoManyFields(n int) string {
	var b strings.Builder
	b.WriteString("syntax = \"proto3\";\nmessage M {\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "int32 f%d = %d;\n", i, i)
	}
	b.WriteString("}\n")
	return b.String()
}

// protoDoubling: message M_i has two fields of M_{i+1}.
func protoDoubling(n int) string {
	var b strings.Builder
	b.WriteString("syntax = \"proto3\";\n")
	for i := range n {
		fmt.Fprintf(&b, "message M%d { M%d a = 1; M%d b = 2; }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "message M%d { string s = 1; }\n", n)
	return b.String()
}

func adversarialInputs() []adversarial {
	return []adversarial{
		{"json allOf chain", types.DataFormatJson, jsonAllOfChain(195), ""},
		{"json allOf chain over the object bound", types.DataFormatJson, jsonAllOfChain(550), "more than 800 objects"},
		{"json doubling", types.DataFormatJson, jsonDoubling(250), "longer than Glue's 131072 characters"},
		{"json many properties", types.DataFormatJson, jsonManyProperties(790), ""},
		{"json self-recursive flat chain", types.DataFormatJson, jsonSelfChainFlat(155), "nested more than 100 levels"},
		{"json many properties over the object bound", types.DataFormatJson, jsonManyProperties(2400), "more than 800 objects"},
		{"avro many keys", types.DataFormatAvro, avroManyKeys(6500), ""},
		{"avro doubling", types.DataFormatAvro, avroDoubling(45), "longer than Glue's 131072 characters"},
		{"avro long chain", types.DataFormatAvro, avroLongChain(45), ""},
		{"avro big enum", types.DataFormatAvro, avroBigEnum(4000, 1000), ""},
		{"avro self-recursive chain", types.DataFormatAvro, avroSelfChain(45), ""},
		{"avro self-recursive flat chain", types.DataFormatAvro, avroSelfChainFlat(480), "nested more than 100 levels"},
		{"proto many fields", types.DataFormatProtobuf, protoManyFields(3300), ""},
		{"proto doubling", types.DataFormatProtobuf, protoDoubling(1400), "longer than Glue's 131072 characters"},
	}
}

// The adversarial inputs of issue 13, each at most 64 KiB, parse to a result or a clear error.
// Their wall time is measured by BenchmarkAdversarialSchemas (each well under 100 ms).
func TestAdversarialSchemas(t *testing.T) {
	for _, tc := range adversarialInputs() {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.def) > 64<<10 {
				t.Fatalf("input is %d bytes, want at most 64 KiB", len(tc.def))
			}
			cols, err := glue.ParseSchema(tc.format, tc.def)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				for _, c := range cols {
					if err := glue.ValidateColumnType(c.Type); err != nil {
						t.Fatalf("column %s: %v", c.Name, err)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestDefinitionSizeLimit(t *testing.T) {
	big := `{"type":"record","name":"A","fields":[],"doc":"` + strings.Repeat("x", 170000) + `"}`
	for _, f := range []types.DataFormat{types.DataFormatAvro, types.DataFormatJson, types.DataFormatProtobuf} {
		_, err := glue.ParseSchema(f, big)
		var se *glue.SchemaError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, "more than 170000") {
			t.Errorf("%s: err = %v", f, err)
		}
		if err := glue.ValidateDefinition(f, big); err == nil {
			t.Errorf("%s: ValidateDefinition accepted %d bytes", f, len(big))
		}
	}
	_, err := glue.ParseSchema(types.DataFormatProtobuf, "syntax = \"proto3\";\nimport \"big.proto\";\nmessage A { int32 x = 1; }",
		func(o *glue.SchemaOptions) {
			o.Imports = map[string]string{"big.proto": strings.Repeat(" ", 170000+1)}
		})
	if err == nil || !strings.Contains(err.Error(), "more than 170000") {
		t.Errorf("big import: err = %v", err)
	}
}

func BenchmarkAdversarialSchemas(b *testing.B) {
	for _, tc := range adversarialInputs() {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(tc.def)))
			for b.Loop() {
				_, _ = glue.ParseSchema(tc.format, tc.def)
			}
		})
	}
}

// checkColumns is the property every fuzz target checks: a definition either fails with a
// *SchemaError (or the format error) or gives columns that Glue and Athena accept.
func checkColumns(t *testing.T, cols []glue.Column, err error) {
	t.Helper()
	if err != nil {
		if !strings.HasPrefix(err.Error(), "glue: ") || strings.Count(err.Error(), "glue: ") != 1 {
			t.Fatalf("error without exactly one package prefix: %v", err)
		}
		return
	}
	if len(cols) == 0 {
		t.Fatal("no columns and no error")
	}
	seen := map[string]bool{}
	for _, c := range cols {
		if err := glue.ValidateName(glue.ColumnName, c.Name); err != nil {
			t.Fatalf("column name: %v", err)
		}
		if err := glue.ValidateColumnType(c.Type); err != nil {
			t.Fatalf("column %q: %v", c.Name, err)
		}
		if k := strings.ToLower(c.Name); seen[k] {
			t.Fatalf("duplicate column %q", c.Name)
		} else {
			seen[k] = true
		}
		if len(c.Comment) > 255 {
			t.Fatalf("comment of %d bytes", len(c.Comment))
		}
	}
}

func fuzzSeeds(f *testing.F, format types.DataFormat, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	for _, tc := range adversarialInputs() {
		if tc.format == format {
			f.Add(tc.def)
		}
	}
}

func FuzzParseSchemaAvro(f *testing.F) {
	fuzzSeeds(f, types.DataFormatAvro, avroOrder, avroDoubling(8), avroLongChain(4), avroManyKeys(20),
		`{"type":"record","name":"L","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","L"]}]}`,
		`{"type":"record","name":"A","namespace":"","doc":null,"fields":[{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}}]}`)
	f.Fuzz(func(t *testing.T, def string) {
		cols, err := glue.ParseSchema(types.DataFormatAvro, def)
		checkColumns(t, cols, err)
		_ = glue.ValidateDefinition(types.DataFormatAvro, def)
	})
}

func FuzzParseSchemaJSON(f *testing.F) {
	fuzzSeeds(f, types.DataFormatJson, jsonCustomer, jsonAllOfChain(3), jsonDoubling(4), jsonManyProperties(5),
		`{"type":"object","properties":{"a":{"oneOf":[{"type":"object","properties":{"x":{"type":"integer"}}},{"type":"null"}]}}}`,
		`{"$id":"https://e.com/s","type":"object","properties":{"h":{"$ref":"#a"}},"$defs":{"x":{"$anchor":"a","type":"string"}}}`)
	f.Fuzz(func(t *testing.T, def string) {
		cols, err := glue.ParseSchema(types.DataFormatJson, def)
		checkColumns(t, cols, err)
		_ = glue.ValidateDefinition(types.DataFormatJson, def)
	})
}

func FuzzParseSchemaProtobuf(f *testing.F) {
	fuzzSeeds(f, types.DataFormatProtobuf, protoOrder, protoManyFields(5), protoDoubling(4),
		"edition = \"2023\";\noption features.(pb.cpp).legacy_closed_enum = true;\nmessage A { int32 a = 1 [features.field_presence = IMPLICIT]; foo.\n Bar b = 2; }\nmessage Bar {}",
		"syntax = \"proto2\";\nmessage A { optional group G = 1 { optional int32 x = 2; } }")
	f.Fuzz(func(t *testing.T, def string) {
		cols, err := glue.ParseSchema(types.DataFormatProtobuf, def)
		checkColumns(t, cols, err)
		_ = glue.ValidateDefinition(types.DataFormatProtobuf, def)
	})
}

func FuzzValidateColumnType(f *testing.F) {
	for _, s := range []string{"bigint", "array<struct<a:int,b:map<string,decimal(10,2)>>>", "struct<a b:int>", "decimal(38,38)", "varchar(10)", "map<int,array<date>>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typ string) {
		err := glue.ValidateColumnType(typ)
		if err != nil && strings.HasPrefix(err.Error(), "glue:") {
			t.Fatalf("prefixed error: %v", err)
		}
	})
}

// avroSelfChain: n records, each referring to itself and to the next; with recursion, the
// mapping of each record depends on the path, so it cannot be reused.
func avroSelfChain(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"type":"record","name":"R%d","fields":[{"name":"self","type":["null","R%d"]},{"name":"next","type":`, i, i)
	}
	b.WriteString(`"int"`)
	for range n {
		b.WriteString(`}]}`)
	}
	return `{"type":"record","name":"Top","fields":[{"name":"r","type":` + b.String() + `}]}`
}

// avroSelfChainFlat: the records of avroSelfChain defined one after the other as fields of the
// top record, last first, so that each is used again by the one before: O(n²) mapping steps
// without reuse, bounded by the step limit.
func avroSelfChainFlat(n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"record","name":"Top","fields":[`)
	for i := n - 1; i >= 0; i-- {
		next := `"int"`
		if i < n-1 {
			next = fmt.Sprintf(`"R%d"`, i+1)
		}
		if i < n-1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"f%d","type":{"type":"record","name":"R%d","fields":[{"name":"self","type":["null","R%d"]},{"name":"next","type":%s}]}}`, i, i, i, next)
	}
	b.WriteString(`]}`)
	return b.String()
}

// jsonSelfChainFlat: definitions that refer to themselves and to the next, each also a
// top-level property: mappings that cut a recursion are not reused.
func jsonSelfChainFlat(n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"object","properties":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"f%d":{"$ref":"#/definitions/d%d"}`, i, i)
	}
	b.WriteString(`},"definitions":{`)
	for i := range n {
		fmt.Fprintf(&b, `"d%d":{"type":"object","properties":{"self":{"$ref":"#/definitions/d%d"},"next":{"$ref":"#/definitions/d%d"}}},`, i, i, i+1)
	}
	fmt.Fprintf(&b, `"d%d":{"type":"integer"}}}`, n)
	return b.String()
}
