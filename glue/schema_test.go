package glue_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks/glue"
)

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

// The expected types follow the mapping documented on ParseSchema, read from "Data types in
// Amazon Athena" and the Avro specification: long is bigint, enum is string, a nullable union
// is its branch, decimal keeps precision and scale, records nest as struct types.
func TestParseSchemaAvroRealWorld(t *testing.T) {
	got, err := glue.ParseSchema(types.DataFormatAvro, avroOrder)
	if err != nil {
		t.Fatal(err)
	}
	want := []glue.Column{
		{Name: "order_id", Type: "string", Comment: "Order identifier"},
		{Name: "placed_at", Type: "timestamp"},
		{Name: "status", Type: "string"},
		{Name: "customer", Type: "struct<id:bigint,email:string,address:struct<street:string,zip:string>>"},
		{Name: "billing_address", Type: "struct<street:string,zip:string>"},
		{Name: "lines", Type: "array<struct<sku:string,quantity:int,price:decimal(10,2)>>"},
		{Name: "attributes", Type: "map<string,string>"},
		{Name: "discount", Type: "struct<member0:double,member1:string>"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	for _, c := range got {
		if err := glue.ValidateColumnType(c.Type); err != nil {
			t.Errorf("column %s: %v", c.Name, err)
		}
	}
}

func TestParseSchemaAvroRecursiveIsCut(t *testing.T) {
	// The linked-list example of the Avro specification: Hive types cannot recurse, so the
	// reference back to LongList becomes string.
	got, err := glue.ParseSchema(types.DataFormatAvro, `{"type": "record", "name": "LongList", "aliases": ["LinkedLongs"],
	  "fields": [{"name": "value", "type": "long"}, {"name": "next", "type": ["null", "LongList"]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []glue.Column{{Name: "value", Type: "bigint"}, {Name: "next", Type: "string"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	// Recursion one level down: the inner reference is cut, the outer struct kept.
	got, err = glue.ParseSchema(types.DataFormatAvro, `{"type":"record","name":"Doc","fields":[
	  {"name":"root","type":{"type":"record","name":"Node","fields":[
	    {"name":"label","type":"string"},
	    {"name":"children","type":{"type":"array","items":"Node"}}]}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	want = []glue.Column{{Name: "root", Type: "struct<label:string,children:array<string>>"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

// Each Avro logical type with the Athena type it maps to (Avro 1.11 "Logical Types"; Athena
// "Data types": DATE, TIMESTAMP, DECIMAL(precision, scale) with precision up to 38).
func TestParseSchemaAvroLogicalTypes(t *testing.T) {
	tests := []struct{ schema, want string }{
		{`{"type":"bytes","logicalType":"decimal","precision":38,"scale":9}`, "decimal(38,9)"},
		{`{"type":"fixed","name":"F","size":16,"logicalType":"decimal","precision":20,"scale":4}`, "decimal(20,4)"},
		{`{"type":"bytes","logicalType":"decimal","precision":39,"scale":0}`, "binary"},          // beyond Athena's 38
		{`{"type":"bytes","logicalType":"decimal","scale":2}`, "binary"},                         // invalid: ignored
		{`{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":5}`, "binary"}, // 2 bytes hold 4 digits
		{`{"type":"int","logicalType":"date"}`, "date"},
		{`{"type":"int","logicalType":"time-millis"}`, "int"},
		{`{"type":"long","logicalType":"time-micros"}`, "bigint"},
		{`{"type":"long","logicalType":"timestamp-millis"}`, "timestamp"},
		{`{"type":"long","logicalType":"timestamp-micros"}`, "timestamp"},
		{`{"type":"long","logicalType":"timestamp-nanos"}`, "timestamp"},
		{`{"type":"long","logicalType":"local-timestamp-millis"}`, "timestamp"},
		{`{"type":"long","logicalType":"local-timestamp-micros"}`, "timestamp"},
		{`{"type":"string","logicalType":"uuid"}`, "string"},
		{`{"type":"fixed","name":"D","size":12,"logicalType":"duration"}`, "binary"},
		{`{"type":"string","logicalType":"date"}`, "string"}, // wrong underlying type: ignored
		{`{"type":"int","logicalType":"no-such-type"}`, "int"},
	}
	for _, tc := range tests {
		def := `{"type":"record","name":"R","fields":[{"name":"x","type":` + tc.schema + `},` +
			`{"name":"nested","type":{"type":"array","items":{"type":"map","values":["null",` + strings.Replace(tc.schema, `"name":"`, `"name":"N`, 1) + `]}}}]}`
		got, err := glue.ParseSchema(types.DataFormatAvro, def)
		if err != nil {
			t.Errorf("%s: %v", tc.schema, err)
			continue
		}
		if got[0].Type != tc.want || got[1].Type != "array<map<string,"+tc.want+">>" {
			t.Errorf("%s: types %q, %q; want %q at every depth", tc.schema, got[0].Type, got[1].Type, tc.want)
		}
	}
}

func TestParseSchemaAvroFixes(t *testing.T) {
	// "doc": null is accepted (Java Avro accepts it); the doc is ignored.
	if _, err := glue.ParseSchema(types.DataFormatAvro, `{"type":"record","name":"A","doc":null,"fields":[{"name":"x","type":"int","doc":null}]}`); err != nil {
		t.Errorf("doc null: %v", err)
	}
	// "namespace": "" is the null namespace: the inner record B is "B", not "a.B", so a
	// reference to "a.B" does not resolve and a reference to "B" does.
	if _, err := glue.ParseSchema(types.DataFormatAvro, `{"type":"record","name":"A","namespace":"a","fields":[
	  {"name":"b","type":{"type":"record","name":"B","namespace":"","fields":[{"name":"x","type":"int"}]}},
	  {"name":"c","type":"a.B"}]}`); err == nil {
		t.Error("a.B resolved although B is in the null namespace")
	}
	if _, err := glue.ParseSchema(types.DataFormatAvro, `{"type":"record","name":"A","namespace":"a","fields":[
	  {"name":"b","type":{"type":"record","name":"B","namespace":"","fields":[{"name":"x","type":"int"}]}},
	  {"name":"c","type":"B"}]}`); err != nil {
		t.Errorf("B in the null namespace: %v", err)
	}
	// A repeated key keeps its last value, as Java Avro's and hamba/avro's JSON parsers do.
	cols, err := glue.ParseSchema(types.DataFormatAvro, `{"type":"record","name":"A","fields":[{"name":"x","type":"int","type":"string"}]}`)
	if err != nil || len(cols) != 1 || cols[0].Type != "string" {
		t.Errorf("duplicate key: %+v, %v", cols, err)
	}
	// Defaults inside nested records are checked.
	for _, def := range []string{
		`{"type":"record","name":"A","fields":[{"name":"r","type":{"type":"record","name":"R","fields":[{"name":"x","type":"int"}]},"default":{"x":"one"}}]}`,
		`{"type":"record","name":"A","fields":[{"name":"r","type":{"type":"record","name":"R","fields":[{"name":"x","type":"int"}]},"default":{}}]}`,
		`{"type":"record","name":"A","fields":[{"name":"a","type":{"type":"array","items":"int"},"default":[1,"two"]}]}`,
		`{"type":"record","name":"A","fields":[{"name":"m","type":{"type":"map","values":"boolean"},"default":{"k":1}}]}`,
		`{"type":"record","name":"A","fields":[{"name":"i","type":"int","default":1.5}]}`,
	} {
		if _, err := glue.ParseSchema(types.DataFormatAvro, def); err == nil {
			t.Errorf("bad nested default accepted: %s", def)
		}
	}
	if _, err := glue.ParseSchema(types.DataFormatAvro, `{"type":"record","name":"A","fields":[{"name":"r","type":{"type":"record","name":"R","fields":[{"name":"x","type":"int"},{"name":"y","type":"string","default":"z"}]},"default":{"x":1}}]}`); err != nil {
		t.Errorf("good nested default: %v", err)
	}
}

func TestParseSchemaAvroErrors(t *testing.T) {
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
		{"no columns", `{"type":"record","name":"A","fields":[{"name":"n","type":"null"}]}`, 0, 0, "", "no columns"},
		{"doc not a string", `{"type":"record","name":"A","doc":true,"fields":[{"name":"x","type":"int"}]}`, 1, 0, "doc", `"doc" must be a string`},
		{"union default not the first branch", `{"type":"record","name":"A","fields":[{"name":"x","type":["null","int"],"default":1}]}`, 1, 0, "", "default"},
		{"truncated", `{"type":"record","name":"A","fields":[`, 1, 0, "", "unexpected end"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := glue.ParseSchema(types.DataFormatAvro, tc.def)
			var se *glue.SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *glue.SchemaError", err)
			}
			if !strings.HasPrefix(err.Error(), "glue: AVRO schema") || se.Line != tc.line || (tc.col != 0 && se.Column != tc.col) ||
				(tc.path != "" && se.Path != tc.path) || !strings.Contains(se.Msg, tc.msgContain) {
				t.Errorf("err = %#v (%v), want line %d col %d path %q msg containing %q", se, err, tc.line, tc.col, tc.path, tc.msgContain)
			}
		})
	}
}

// A customer profile in the shape of the JSON Schema examples (draft 2020-12 and draft-07):
// required list, nested objects, arrays of objects, $defs/$ref, enum, nullable union types,
// additionalProperties, oneOf with null, allOf.
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

func TestParseSchemaJSONRealWorld(t *testing.T) {
	got, err := glue.ParseSchema(types.DataFormatJson, jsonCustomer)
	if err != nil {
		t.Fatal(err)
	}
	address := "struct<street_address:string,locality:string,country:string>"
	want := []glue.Column{
		{Name: "id", Type: "bigint", Comment: "Customer number"},
		{Name: "email", Type: "string"},
		{Name: "tier", Type: "string"},
		{Name: "nickname", Type: "string"},
		{Name: "created", Type: "timestamp"},
		{Name: "address", Type: address},
		{Name: "previous_addresses", Type: "array<" + address + ">"},
		{Name: "tags", Type: "array<string>"},
		{Name: "preferences", Type: "map<string,boolean>"},
		{Name: "score", Type: "double"},
		{Name: "loyalty", Type: "struct<points:bigint,since:date>"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestParseSchemaJSONComposition(t *testing.T) {
	tests := []struct{ name, props, want string }{
		// allOf of a string constraint is a string, not a struct (draft-04 minLength).
		{"allOf scalar", `"a":{"allOf":[{"type":"string"},{"minLength":1}]}`, "string"},
		// oneOf of objects: a struct of the union of their properties, in order.
		{"oneOf objects", `"a":{"oneOf":[{"type":"object","properties":{"x":{"type":"integer"}}},{"type":"object","properties":{"y":{"type":"string"},"x":{"type":"integer"}}}]}`, "struct<x:bigint,y:string>"},
		// oneOf does not override type/properties set beside it.
		{"oneOf beside properties", `"a":{"type":"object","properties":{"p":{"type":"boolean"}},"oneOf":[{"required":["p"]},{"properties":{"q":{"type":"number"}}}]}`, "struct<p:boolean,q:double>"},
		{"anyOf nullable", `"a":{"anyOf":[{"type":"null"},{"type":"string","format":"date"}]}`, "date"},
		{"type array nullable", `"a":{"type":["null","integer"]}`, "bigint"},
		{"type array mixed", `"a":{"type":["string","integer"]}`, "string"},
		{"integer or number", `"a":{"type":["integer","number"]}`, "double"},
		{"additionalProperties map", `"a":{"type":"object","additionalProperties":{"type":"array","items":{"type":"integer"}}}`, "map<string,array<bigint>>"},
		{"patternProperties map", `"a":{"type":"object","patternProperties":{"^x-":{"type":"string"}}}`, "map<string,string>"},
		{"free-form object", `"a":{"type":"object"}`, "string"},
		{"no type", `"a":{}`, "string"},
		{"true schema", `"a":true`, "string"},
		{"enum integers", `"a":{"enum":[1,2,3]}`, "bigint"},
		{"const boolean", `"a":{"const":true}`, "boolean"},
		{"array without items", `"a":{"type":"array"}`, "array<string>"},
		{"tuple of one type", `"a":{"type":"array","prefixItems":[{"type":"string"},{"type":"string"}]}`, "array<string>"},
		{"format date-time", `"a":{"type":"string","format":"date-time"}`, "timestamp"},
		{"format date", `"a":{"type":"string","format":"date"}`, "date"},
		{"format time", `"a":{"type":"string","format":"time"}`, "string"},
		{"format email", `"a":{"type":"string","format":"email"}`, "string"},
		{"format uuid", `"a":{"type":"string","format":"uuid"}`, "string"},
	}
	for _, tc := range tests {
		def := `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{` + tc.props + `,"keep":{"type":"string"}}}`
		got, err := glue.ParseSchema(types.DataFormatJson, def)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(got) != 2 || got[0].Type != tc.want {
			t.Errorf("%s: columns %+v, want a %s", tc.name, got, tc.want)
		}
	}
	// An explicit null type holds no data: the property is dropped, not an empty struct.
	got, err := glue.ParseSchema(types.DataFormatJson, `{"type":"object","properties":{"n":{"type":"null","additionalProperties":false},"k":{"type":"string"}}}`)
	if err != nil || len(got) != 1 || got[0].Name != "k" {
		t.Errorf("null property: %+v, %v", got, err)
	}
}

func TestParseSchemaJSONReferences(t *testing.T) {
	tests := []struct{ name, def, want string }{
		// An $id-based anchor, as in the Glue Schema Registry's own tests.
		{"anchor", `{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/p.json","type":"object",
		  "properties":{"home":{"$ref":"#address"}},"$defs":{"a":{"$anchor":"address","type":"object","properties":{"zip":{"type":"string"}}}}}`, "struct<zip:string>"},
		{"draft-07 $id anchor", `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
		  "properties":{"home":{"$ref":"#address"}},"definitions":{"a":{"$id":"#address","type":"object","properties":{"zip":{"type":"integer"}}}}}`, "struct<zip:bigint>"},
		{"encoded pointer", `{"type":"object","properties":{"x":{"$ref":"#/definitions/a~1b%25c"}},"definitions":{"a/b%c":{"type":"boolean"}}}`, "boolean"},
		{"array index", `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"x":{"$ref":"#/definitions/list/items/1"}},"definitions":{"list":{"type":"array","items":[{"type":"string"},{"type":"integer"}]}}}`, "bigint"},
		{"recursion", `{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"node":{"type":"object","properties":{"name":{"type":"string"},
		  "children":{"type":"array","items":{"$ref":"#/definitions/node"}}}}},"type":"object","properties":{"root":{"$ref":"#/definitions/node"}}}`, "struct<name:string,children:array<string>>"},
	}
	for _, tc := range tests {
		got, err := glue.ParseSchema(types.DataFormatJson, tc.def)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(got) != 1 || got[0].Type != tc.want {
			t.Errorf("%s: columns %+v, want one %s", tc.name, got, tc.want)
		}
	}
}

func TestParseSchemaJSONErrors(t *testing.T) {
	tests := []struct {
		name, def  string
		line       int
		msgContain string
	}{
		{"syntax", "{\"type\": \"object\",\n \"properties\": {,}}", 2, "invalid character"},
		{"unknown type", `{"type":"object","properties":{"a":{"type":"strng"}}}`, 0, "/properties/a/type"},
		{"dangling ref", `{"type":"object","properties":{"a":{"$ref":"#/$defs/missing"}}}`, 0, "missing"},
		{"remote ref", `{"type":"object","properties":{"a":{"$ref":"https://example.com/a.json"}}}`, 0, "not supported"},
		{"relative ref", `{"type":"object","properties":{"a":{"$ref":"other.json#/x"}}}`, 0, "not supported"},
		{"scalar root", `{"type":"string"}`, 0, "not an object"},
		{"properties not object", `{"type":"object","properties":[]}`, 0, "properties"},
		{"unknown $schema", `{"$schema":"https://example.com/my-meta","type":"object","properties":{"a":{}}}`, 0, "not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := glue.ParseSchema(types.DataFormatJson, tc.def)
			var se *glue.SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *glue.SchemaError", err)
			}
			if !strings.HasPrefix(err.Error(), "glue: JSON schema") || se.Line != tc.line || !strings.Contains(err.Error(), tc.msgContain) {
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
  rpc PlaceOrder (Order) returns (Order) { option deprecated = false; }
}
`

func TestParseSchemaProtobufRealWorld(t *testing.T) {
	got, err := glue.ParseSchema(types.DataFormatProtobuf, protoOrder)
	if err != nil {
		t.Fatal(err)
	}
	address := "struct<street:string,zip:string>"
	want := []glue.Column{
		{Name: "order_id", Type: "string"},
		{Name: "placed_at", Type: "timestamp"},
		{Name: "status", Type: "string"},
		{Name: "customer", Type: "struct<id:bigint,email:string,address:" + address + ">"},
		{Name: "lines", Type: "array<struct<sku:string,quantity:int,price_cents:bigint>>"},
		{Name: "attributes", Type: "map<string,string>"},
		{Name: "addresses", Type: "map<string," + address + ">"},
		{Name: "coupon", Type: "string"},
		{Name: "note", Type: "string"},
		{Name: "card_token", Type: "string"},
		{Name: "transfer", Type: "struct<iban:string>"},
		{Name: "tags", Type: "array<string>"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	cust, err := glue.ParseSchema(types.DataFormatProtobuf, protoOrder, func(o *glue.SchemaOptions) { o.Message = "acme.sales.v1.BankTransfer" })
	if err != nil || len(cust) != 1 || cust[0].Name != "iban" {
		t.Errorf("BankTransfer = %+v, %v", cust, err)
	}
}

func TestParseSchemaProtobufScalars(t *testing.T) {
	// Hive types wide enough for each scalar's range (Protobuf language guide, scalar types).
	def := `syntax = "proto3";
message S {
  double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;
  sint32 s32 = 7; sint64 s64 = 8; fixed32 f32 = 9; fixed64 f64 = 10; sfixed32 sf32 = 11;
  sfixed64 sf64 = 12; bool b = 13; string s = 14; bytes by = 15; map<uint64, bool> m = 16;
}`
	got, err := glue.ParseSchema(types.DataFormatProtobuf, def)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"double", "float", "int", "bigint", "bigint", "decimal(20,0)", "int", "bigint", "bigint",
		"decimal(20,0)", "int", "bigint", "boolean", "string", "binary", "map<decimal(20,0),boolean>"}
	for i, c := range got {
		if i >= len(want) || c.Type != want[i] {
			t.Errorf("column %d %s: %s", i, c.Name, c.Type)
		}
	}
}

func TestParseSchemaProtobufImports(t *testing.T) {
	main := `syntax = "proto3";
package acme.orders;
import "acme/common/money.proto";
message Order {
  acme.common.
    Money total = 1;   // a type name split across lines
  acme.common /* comment */ .Currency currency = 2;
  .acme.common.Money refund = 3;
}`
	money := `syntax = "proto3";
package acme.common;
enum Currency { CURRENCY_UNSPECIFIED = 0; EUR = 1; }
message Money { Currency currency = 1; int64 units = 2; int32 nanos = 3; }`
	_, err := glue.ParseSchema(types.DataFormatProtobuf, main)
	if err == nil || !strings.Contains(err.Error(), "acme/common/money.proto") {
		t.Errorf("missing import: err = %v", err)
	}
	got, err := glue.ParseSchema(types.DataFormatProtobuf, main, func(o *glue.SchemaOptions) {
		o.Imports = map[string]string{"acme/common/money.proto": money}
	})
	if err != nil {
		t.Fatal(err)
	}
	m := "struct<currency:string,units:bigint,nanos:int>"
	want := []glue.Column{{Name: "total", Type: m}, {Name: "currency", Type: "string"}, {Name: "refund", Type: m}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestParseSchemaProtobufRecursiveIsCut(t *testing.T) {
	got, err := glue.ParseSchema(types.DataFormatProtobuf, `syntax = "proto3";
message Tree { string label = 1; repeated Tree children = 2; Leaf leaf = 3; }
message Leaf { Tree parent = 1; int32 weight = 2; }`)
	if err != nil {
		t.Fatal(err)
	}
	want := []glue.Column{{Name: "label", Type: "string"}, {Name: "children", Type: "array<string>"}, {Name: "leaf", Type: "struct<parent:string,weight:int>"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestParseSchemaUnknownFormat(t *testing.T) {
	if _, err := glue.ParseSchema("XML", "<a/>"); err == nil || !strings.Contains(err.Error(), "AVRO, JSON or PROTOBUF") {
		t.Errorf("err = %v", err)
	}
}

// The Protobuf rules protoc and protocompile enforce (Protobuf language guide; descriptor.proto
// for option names), and the tokens real files use.
func TestParseSchemaProtobufRules(t *testing.T) {
	valid := map[string]string{
		"editions features": "edition = \"2023\";\noption features.(pb.cpp).legacy_closed_enum = true;\nmessage A {\n  int32 a = 1 [features.field_presence = IMPLICIT];\n}",
		"proto2 default":    "syntax = \"proto2\";\nmessage A { optional int32 a = 1 [default = 5]; }",
		"proto2 group":      "syntax = \"proto2\";\nmessage A { optional group G = 1 { optional int32 x = 2; } }",
		"custom option":     "syntax = \"proto3\";\nmessage A { int32 a = 1 [(acme.rules).min = 1]; }",
		"split type name":   "syntax = \"proto3\";\npackage p;\nmessage B { int32 x = 1; }\nmessage A { p.\n  // comment\n  B b = 1; }",
	}
	for name, def := range valid {
		if _, err := glue.ParseSchema(types.DataFormatProtobuf, def); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	invalid := map[string]string{
		"proto3 default":             "syntax = \"proto3\";\nmessage A { int32 a = 1 [default = 5]; }",
		"proto3 required":            "syntax = \"proto3\";\nmessage A { required int32 a = 1; }",
		"proto3 group":               "syntax = \"proto3\";\nmessage A { group G = 1 { int32 x = 2; } }",
		"editions optional":          "edition = \"2023\";\nmessage A { optional int32 a = 1; }",
		"unknown file option":        "syntax = \"proto3\";\noption php_generic_services = true;\nmessage A { int32 a = 1; }",
		"unknown field option":       "syntax = \"proto3\";\nmessage A { int32 a = 1 [packd = true]; }",
		"edition 2024":               "edition = \"2024\";\nmessage A { int32 a = 1; }",
		"unresolved import":          "syntax = \"proto3\";\nimport \"acme/x.proto\";\nmessage A { acme.X x = 1; }",
		"non-standard google import": "syntax = \"proto3\";\nimport \"google/protobuf/unittest_import.proto\";\nmessage A { int32 a = 1; }",
	}
	for name, def := range invalid {
		if _, err := glue.ParseSchema(types.DataFormatProtobuf, def); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
