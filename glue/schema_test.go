package glue_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/datablocks-go/datablocks/glue"
)

// An order event in the shape of the Confluent/AWS examples: nested record, array of records,
// map, optional union, enum, logical types, a named type reused by reference.
const avroOrder = `{
  "type": "record",
  "name": "Order",
  "namespace": "com.acme.sales",
  "doc": "An order placed in the web shop.",
  "fields": [
    {"name": "order_id", "type": "string", "doc": "Order identifier"},
    {"name": "placed_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["PLACED", "SHIPPED", "CANCELLED"]}},
    {"name": "customer", "type": {
      "type": "record", "name": "Customer",
      "fields": [
        {"name": "id", "type": "long"},
        {"name": "email", "type": ["null", "string"], "default": null},
        {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
          {"name": "street", "type": "string"},
          {"name": "zip", "type": "string"}
        ]}}
      ]}},
    {"name": "billing_address", "type": ["null", "Address"], "default": null},
    {"name": "lines", "type": {"type": "array", "items": {
      "type": "record", "name": "Line",
      "fields": [
        {"name": "sku", "type": "string"},
        {"name": "quantity", "type": "int"},
        {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}}
      ]}}},
    {"name": "attributes", "type": {"type": "map", "values": "string"}, "default": {}},
    {"name": "discount", "type": ["null", "double", "string"], "default": null}
  ]
}`

func TestParseAvroRealWorld(t *testing.T) {
	got, err := glue.ParseAvro(avroOrder)
	if err != nil {
		t.Fatal(err)
	}
	want := []glue.SchemaColumn{
		{Name: "order_id", Type: "string", Doc: "Order identifier"},
		{Name: "placed_at", Type: "long", Logical: "timestamp-millis"},
		{Name: "status", Type: "enum", Logical: "com.acme.sales.Status", Symbols: []string{"PLACED", "SHIPPED", "CANCELLED"}},
		{Name: "customer", Type: "struct", Logical: "com.acme.sales.Customer"},
		{Name: "customer.id", Type: "long"},
		{Name: "customer.email", Type: "string", Nullable: true},
		{Name: "customer.address", Type: "struct", Logical: "com.acme.sales.Address"},
		{Name: "customer.address.street", Type: "string"},
		{Name: "customer.address.zip", Type: "string"},
		{Name: "billing_address", Type: "struct", Logical: "com.acme.sales.Address", Nullable: true},
		{Name: "billing_address.street", Type: "string"},
		{Name: "billing_address.zip", Type: "string"},
		{Name: "lines", Type: "array<struct>"},
		{Name: "lines.sku", Type: "string"},
		{Name: "lines.quantity", Type: "int"},
		{Name: "lines.price", Type: "bytes", Logical: "decimal(10,2)"},
		{Name: "attributes", Type: "map<string,string>"},
		{Name: "discount", Type: "union<double,string>", Nullable: true},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestParseAvroRecursive(t *testing.T) {
	// The linked-list example of the Avro specification.
	got, err := glue.ParseAvro(`{"type": "record", "name": "LongList", "aliases": ["LinkedLongs"],
	  "fields": [{"name": "value", "type": "long"}, {"name": "next", "type": ["null", "LongList"]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []glue.SchemaColumn{
		{Name: "value", Type: "long"},
		{Name: "next", Type: "struct", Logical: "LongList", Nullable: true},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestParseAvroErrors(t *testing.T) {
	tests := []struct {
		name, def        string
		line, col        int
		path, msgContain string
	}{
		{"syntax", "{\n  \"type\": \"record\",\n  \"name\": \"A\" \"fields\": []}", 3, 0, "", "invalid character"},
		{"unknown type", `{"type":"record","name":"A","fields":[{"name":"x","type":"strin"}]}`, 1, 0, "fields[0] (x).type", `unknown type "strin"`},
		{"missing fields", `{"type":"record","name":"A"}`, 1, 1, "", `"fields" array`},
		{"duplicate field", `{"type":"record","name":"A","fields":[{"name":"x","type":"int"},{"name":"x","type":"long"}]}`, 1, 0, "fields[1] (x)", "duplicate field"},
		{"nested union", `{"type":"record","name":"A","fields":[{"name":"x","type":["null",["int"]]}]}`, 1, 0, "fields[0] (x).type[1]", "union"},
		{"bad default", `{"type":"record","name":"A","fields":[{"name":"x","type":"int","default":"one"}]}`, 1, 0, "fields[0] (x).default", "default"},
		{"enum duplicate", `{"type":"record","name":"A","fields":[{"name":"x","type":{"type":"enum","name":"E","symbols":["A","A"]}}]}`, 1, 0, "", "duplicate enum symbol"},
		{"top-level primitive", `"string"`, 0, 0, "", "want a record"},
		{"decimal without precision", `{"type":"record","name":"A","fields":[{"name":"x","type":{"type":"bytes","logicalType":"decimal"}}]}`, 1, 0, "", "precision"},
		{"duplicate key", `{"type":"record","name":"A","name":"B","fields":[]}`, 1, 0, "", "duplicate key"},
		{"truncated", `{"type":"record","name":"A","fields":[`, 1, 0, "", "unexpected end"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := glue.ParseAvro(tc.def)
			var se *glue.SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *glue.SchemaError", err)
			}
			if se.Format != types.DataFormatAvro || se.Line != tc.line || (tc.col != 0 && se.Column != tc.col) ||
				(tc.path != "" && se.Path != tc.path) || !strings.Contains(se.Msg, tc.msgContain) {
				t.Errorf("err = %#v (%v), want line %d col %d path %q msg containing %q", se, err, tc.line, tc.col, tc.path, tc.msgContain)
			}
		})
	}
}

// A customer profile in the shape of the JSON Schema examples (draft 2020-12 and draft-07):
// required list, nested objects, arrays of objects, $defs/$ref, enum, nullable union types,
// oneOf with null, allOf composition, additionalProperties as a map, formats.
const jsonCustomer = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.com/customer.schema.json",
  "title": "Customer",
  "type": "object",
  "required": ["id", "email", "tier"],
  "properties": {
    "id": {"type": "integer", "description": "Customer number"},
    "email": {"type": "string", "format": "email"},
    "tier": {"enum": ["bronze", "silver", "gold"]},
    "nickname": {"type": ["string", "null"]},
    "created": {"type": "string", "format": "date-time"},
    "address": {"$ref": "#/$defs/address"},
    "previous_addresses": {"type": "array", "items": {"$ref": "#/$defs/address"}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "preferences": {"type": "object", "additionalProperties": {"type": "boolean"}},
    "score": {"oneOf": [{"type": "number"}, {"type": "null"}]},
    "loyalty": {"allOf": [
      {"type": "object", "properties": {"points": {"type": "integer"}}, "required": ["points"]},
      {"properties": {"since": {"type": "string", "format": "date"}}}
    ]}
  },
  "$defs": {
    "address": {
      "type": "object",
      "required": ["street_address", "country"],
      "properties": {
        "street_address": {"type": "string"},
        "locality": {"type": "string"},
        "country": {"type": "string"}
      }
    }
  }
}`

func TestParseJSONSchemaRealWorld(t *testing.T) {
	got, err := glue.ParseJSONSchema(jsonCustomer)
	if err != nil {
		t.Fatal(err)
	}
	want := []glue.SchemaColumn{
		{Name: "id", Type: "integer", Doc: "Customer number"},
		{Name: "email", Type: "string", Logical: "email"},
		{Name: "tier", Type: "enum", Symbols: []string{"bronze", "silver", "gold"}},
		{Name: "nickname", Type: "string", Nullable: true},
		{Name: "created", Type: "string", Logical: "date-time", Nullable: true},
		{Name: "address", Type: "struct", Nullable: true},
		{Name: "address.street_address", Type: "string"},
		{Name: "address.locality", Type: "string", Nullable: true},
		{Name: "address.country", Type: "string"},
		{Name: "previous_addresses", Type: "array<struct>", Nullable: true},
		{Name: "previous_addresses.street_address", Type: "string"},
		{Name: "previous_addresses.locality", Type: "string", Nullable: true},
		{Name: "previous_addresses.country", Type: "string"},
		{Name: "tags", Type: "array<string>", Nullable: true},
		{Name: "preferences", Type: "map<string,boolean>", Nullable: true},
		{Name: "score", Type: "number", Nullable: true},
		{Name: "loyalty", Type: "struct", Nullable: true},
		{Name: "loyalty.points", Type: "integer"},
		{Name: "loyalty.since", Type: "string", Logical: "date", Nullable: true},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestParseJSONSchemaRecursiveAndDraft07(t *testing.T) {
	// A tree with draft-07 "definitions" that refers to itself.
	got, err := glue.ParseJSONSchema(`{"$schema": "http://json-schema.org/draft-07/schema#",
	  "definitions": {"node": {"type": "object", "properties": {"name": {"type": "string"},
	    "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}},
	  "type": "object", "properties": {"root": {"$ref": "#/definitions/node"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []glue.SchemaColumn{
		{Name: "root", Type: "struct", Nullable: true},
		{Name: "root.name", Type: "string", Nullable: true},
		{Name: "root.children", Type: "array<struct>", Nullable: true},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestParseJSONSchemaErrors(t *testing.T) {
	tests := []struct {
		name, def  string
		line       int
		msgContain string
	}{
		{"syntax", "{\"type\": \"object\",\n \"properties\": {,}}", 2, "invalid character"},
		{"unknown type", `{"type":"object","properties":{"a":{"type":"strng"}}}`, 1, `unknown type "strng"`},
		{"dangling ref", `{"type":"object","properties":{"a":{"$ref":"#/$defs/missing"}}}`, 1, "does not resolve"},
		{"remote ref", `{"type":"object","properties":{"a":{"$ref":"https://example.com/a.json"}}}`, 1, "only local references"},
		{"ref loop", `{"type":"object","properties":{"a":{"$ref":"#/$defs/x"}},"$defs":{"x":{"$ref":"#/$defs/y"},"y":{"$ref":"#/$defs/x"}}}`, 1, "loops"},
		{"not an object", `[1,2]`, 1, "must be an object"},
		{"scalar root", `{"type":"string"}`, 1, "want an object"},
		{"properties not object", `{"type":"object","properties":[]}`, 1, "properties must be an object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := glue.ParseJSONSchema(tc.def)
			var se *glue.SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *glue.SchemaError", err)
			}
			if se.Format != types.DataFormatJson || se.Line != tc.line || !strings.Contains(se.Msg, tc.msgContain) {
				t.Errorf("err = %v, want line %d and message containing %q", err, tc.line, tc.msgContain)
			}
		})
	}
}

// An order in the shape of real-world proto3 registry definitions: package, imports of
// well-known types, nested message and enum, repeated messages, map with message values,
// oneof, proto3 optional, field options, reserved ranges, comments, a service.
const protoOrder = `// Orders placed in the web shop.
syntax = "proto3";

package acme.sales.v1;

import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

option java_multiple_files = true;
option java_package = "com.acme.sales.v1";

message Order {
  reserved 4, 15 to 20;
  reserved "legacy_id";

  string order_id = 1 [json_name = "orderId", deprecated = false];
  google.protobuf.Timestamp placed_at = 2;
  Status status = 3;
  Customer customer = 5;
  repeated LineItem lines = 6;
  map<string, string> attributes = 7;
  map<string, Customer.Address> addresses = 8;
  optional string coupon = 9;
  google.protobuf.StringValue note = 10;
  oneof payment {
    string card_token = 11;
    BankTransfer transfer = 12;
  }
  repeated string tags = 13;

  enum Status {
    STATUS_UNSPECIFIED = 0;
    STATUS_PLACED = 1;
    STATUS_SHIPPED = 2;
  }

  message LineItem {
    string sku = 1;
    int32 quantity = 2;
    /* price in cents */
    int64 price_cents = 3;
  }
}

message Customer {
  int64 id = 1;
  string email = 2;
  message Address {
    string street = 1;
    string zip = 2;
  }
  Address address = 3;
}

message BankTransfer {
  string iban = 1;
}

service OrderService {
  rpc PlaceOrder (Order) returns (Order) { option (google.api.http) = { post: "/v1/orders" body: "*" }; }
}
`

func TestParseProtobufRealWorld(t *testing.T) {
	got, err := glue.ParseProtobuf(protoOrder)
	if err != nil {
		t.Fatal(err)
	}
	want := []glue.SchemaColumn{
		{Name: "order_id", Type: "string"},
		{Name: "placed_at", Type: "timestamp", Logical: "google.protobuf.Timestamp", Nullable: true},
		{Name: "status", Type: "enum", Logical: "acme.sales.v1.Order.Status", Symbols: []string{"STATUS_UNSPECIFIED", "STATUS_PLACED", "STATUS_SHIPPED"}},
		{Name: "customer", Type: "struct", Logical: "acme.sales.v1.Customer", Nullable: true},
		{Name: "customer.id", Type: "int64"},
		{Name: "customer.email", Type: "string"},
		{Name: "customer.address", Type: "struct", Logical: "acme.sales.v1.Customer.Address", Nullable: true},
		{Name: "customer.address.street", Type: "string"},
		{Name: "customer.address.zip", Type: "string"},
		{Name: "lines", Type: "array<struct>", Logical: "acme.sales.v1.Order.LineItem"},
		{Name: "lines.sku", Type: "string"},
		{Name: "lines.quantity", Type: "int32"},
		{Name: "lines.price_cents", Type: "int64"},
		{Name: "attributes", Type: "map<string,string>"},
		{Name: "addresses", Type: "map<string,struct>", Logical: "acme.sales.v1.Customer.Address"},
		{Name: "addresses.street", Type: "string"},
		{Name: "addresses.zip", Type: "string"},
		{Name: "coupon", Type: "string", Nullable: true},
		{Name: "note", Type: "string", Logical: "google.protobuf.StringValue", Nullable: true},
		{Name: "card_token", Type: "string", Nullable: true},
		{Name: "transfer", Type: "struct", Logical: "acme.sales.v1.BankTransfer", Nullable: true},
		{Name: "transfer.iban", Type: "string"},
		{Name: "tags", Type: "array<string>"},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	cust, err := glue.ParseProtobufMessage(protoOrder, "acme.sales.v1.BankTransfer")
	if err != nil || len(cust) != 1 || cust[0].Name != "iban" {
		t.Errorf("ParseProtobufMessage(BankTransfer) = %v, %v; want the iban column", cust, err)
	}
}

func TestParseProtobufProto2(t *testing.T) {
	got, err := glue.ParseProtobuf(`syntax = "proto2";
package legacy;
message Event {
  required string id = 1;
  optional int32 retries = 2 [default = 3];
  repeated Tag tags = 3;
  optional group Meta = 4 { optional string source = 1; }
  extensions 100 to 199;
}
message Tag { required string key = 1; optional string value = 2; }
enum Unused { A = 1; B = 2; }
`)
	if err != nil {
		t.Fatal(err)
	}
	want := []glue.SchemaColumn{
		{Name: "id", Type: "string"},
		{Name: "retries", Type: "int32", Nullable: true},
		{Name: "tags", Type: "array<struct>", Logical: "legacy.Tag"},
		{Name: "tags.key", Type: "string"},
		{Name: "tags.value", Type: "string", Nullable: true},
		{Name: "meta", Type: "struct", Logical: "legacy.Event.Meta", Nullable: true},
		{Name: "meta.source", Type: "string", Nullable: true},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestParseProtobufErrors(t *testing.T) {
	tests := []struct {
		name, def  string
		line, col  int
		msgContain string
	}{
		{"missing semicolon", "syntax = \"proto3\";\nmessage A {\n  string a = 1\n}", 4, 1, `expected ";"`},
		{"unknown type", "syntax = \"proto3\";\nmessage A {\n  Strin a = 1;\n}", 3, 3, `unknown type "Strin"`},
		{"duplicate number", "syntax = \"proto3\";\nmessage A {\n  string a = 1;\n  string b = 1;\n}", 4, 3, "reuses number 1"},
		{"required in proto3", "syntax = \"proto3\";\nmessage A { required string a = 1; }", 2, 13, "not allowed in proto3"},
		{"proto3 enum first value", "syntax = \"proto3\";\nenum E { A = 1; }\nmessage M { E e = 1; }", 2, 14, "must be 0"},
		{"reserved number", "syntax = \"proto3\";\nmessage A { string a = 19500; }", 2, 24, "reserved"},
		{"unterminated", "syntax = \"proto3\";\nmessage A { string a = 1;", 2, 26, `expected "}"`},
		{"bad character", "syntax = \"proto3\";\nmessage A { string a = 1; # }", 2, 27, "unexpected character"},
		{"unterminated comment", "syntax = \"proto3\";\n/* open", 2, 1, "unterminated"},
		{"no message", "syntax = \"proto3\";\nenum E { A = 0; }", 0, 0, "no message"},
		{"bad map key", "syntax = \"proto3\";\nmessage A { map<double, string> m = 1; }", 2, 17, "map key type"},
		{"proto2 without label", "syntax = \"proto2\";\nmessage A { string a = 1; }", 2, 13, "need a label"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := glue.ParseProtobuf(tc.def)
			var se *glue.SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *glue.SchemaError", err)
			}
			if se.Format != types.DataFormatProtobuf || se.Line != tc.line || se.Column != tc.col || !strings.Contains(se.Msg, tc.msgContain) {
				t.Errorf("err = %v (line %d col %d), want line %d col %d and message containing %q", err, se.Line, se.Column, tc.line, tc.col, tc.msgContain)
			}
		})
	}
}

func TestParseSchemaDispatch(t *testing.T) {
	for _, tc := range []struct {
		format types.DataFormat
		def    string
	}{
		{types.DataFormatAvro, avroOrder},
		{types.DataFormatJson, jsonCustomer},
		{types.DataFormatProtobuf, protoOrder},
	} {
		cols, err := glue.ParseSchema(tc.format, tc.def)
		if err != nil || len(cols) == 0 {
			t.Errorf("ParseSchema(%s) = %d columns, %v", tc.format, len(cols), err)
		}
	}
	if _, err := glue.ParseSchema("XML", "<a/>"); err == nil {
		t.Error("ParseSchema(XML) succeeded, want an error")
	}
}

func FuzzParseAvro(f *testing.F) {
	for _, s := range []string{avroOrder, `{"type":"record","name":"A","fields":[]}`, `"int"`, `["null","int"]`,
		`{"type":"record","name":"L","fields":[{"name":"n","type":["null","L"]}]}`, `{"type":"enum","name":"E","symbols":["A"]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, def string) {
		cols, err := glue.ParseAvro(def)
		checkFuzzResult(t, cols, err)
		_ = glue.CheckAvroCompatibility(types.CompatibilityFull, def, def)
	})
}

func FuzzParseJSONSchema(f *testing.F) {
	for _, s := range []string{jsonCustomer, `{"type":"object","properties":{"a":{"$ref":"#"}}}`, `{}`, `true`,
		`{"type":"object","properties":{"a":{"oneOf":[{"type":"null"}]}}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, def string) {
		cols, err := glue.ParseJSONSchema(def)
		checkFuzzResult(t, cols, err)
	})
}

func FuzzParseProtobuf(f *testing.F) {
	for _, s := range []string{protoOrder, `syntax="proto2"; message A { optional group G = 1 { optional int32 x = 1; } }`,
		`message A { message B { message C {} } B.C c = 1; }`, `syntax = "proto3"; message M { M m = 1; }`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, def string) {
		cols, err := glue.ParseProtobuf(def)
		checkFuzzResult(t, cols, err)
	})
}

func checkFuzzResult(t *testing.T, cols []glue.SchemaColumn, err error) {
	t.Helper()
	if err != nil {
		var se *glue.SchemaError
		if !errors.As(err, &se) {
			t.Fatalf("error %v is not a *glue.SchemaError", err)
		}
		if se.Msg == "" {
			t.Fatalf("SchemaError without a message: %#v", se)
		}
		return
	}
	for _, c := range cols {
		if c.Name == "" || c.Type == "" {
			t.Fatalf("column without a name or type: %#v", c)
		}
	}
}

func TestSchemaExpansionIsBounded(t *testing.T) {
	// Each message holds two fields of the next: 2^40 columns if expanded naively.
	var b strings.Builder
	b.WriteString("syntax = \"proto3\";\n")
	for i := range 40 {
		fmt.Fprintf(&b, "message M%d { M%d a = 1; M%d b = 2; }\n", i, i+1, i+1)
	}
	b.WriteString("message M40 { string leaf = 1; }\n")
	_, err := glue.ParseProtobuf(b.String())
	var se *glue.SchemaError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "more than 10000 columns") {
		t.Errorf("err = %v, want the column limit", err)
	}
	// The same shape in Avro, through named type references.
	var a strings.Builder
	a.WriteString(`{"type":"record","name":"R0","fields":[`)
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&a, `{"name":"a","type":{"type":"record","name":"R%d","fields":[`, i)
	}
	a.WriteString(`{"name":"leaf","type":"int"}`)
	for i := 30; i >= 1; i-- {
		fmt.Fprintf(&a, `]}},{"name":"b","type":"R%d"}`, i)
	}
	a.WriteString(`]}`)
	if _, err := glue.ParseAvro(a.String()); !errors.As(err, &se) || !strings.Contains(se.Msg, "more than 10000 columns") {
		t.Errorf("avro: err = %v, want the column limit", err)
	}
}

func BenchmarkParseAvro(b *testing.B) {
	for b.Loop() {
		if _, err := glue.ParseAvro(avroOrder); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseJSONSchema(b *testing.B) {
	for b.Loop() {
		if _, err := glue.ParseJSONSchema(jsonCustomer); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseProtobuf(b *testing.B) {
	for b.Loop() {
		if _, err := glue.ParseProtobuf(protoOrder); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckAvroCompatibility(b *testing.B) {
	for b.Loop() {
		if err := glue.CheckAvroCompatibility(types.CompatibilityFull, userAddOptional, userV1); err != nil {
			b.Fatal(err)
		}
	}
}
