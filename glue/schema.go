package glue

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// SchemaColumn is one column of a schema definition. Nested fields are flattened: a record
// field "address" of type struct is followed by "address.street", "address.city", and so on;
// fields of records inside arrays and maps are flattened under the array or map column's name.
type SchemaColumn struct {
	// Name is the dotted path of the field, e.g. "customer.address.zip".
	Name string
	// Type is the field's type. Scalars keep their format's own names (Avro "long", JSON Schema
	// "integer", Protobuf "int64"); structures use one vocabulary for every format: "struct",
	// "enum", "array<T>", "map<K,V>" and "union<A,B>" (several non-null branches).
	Type string
	// Logical refines Type: an Avro logicalType ("timestamp-millis", "decimal(10,2)"), a JSON
	// Schema format ("date-time", "email"), a Protobuf message's full name
	// ("google.protobuf.Timestamp"), or a named type's full name ("com.acme.Address").
	Logical string
	// Nullable reports whether the field may be absent or null: an Avro union with "null", a
	// JSON Schema property that is not required or allows "null", a Protobuf field with
	// presence (proto2 optional, proto3 optional, message fields, oneof members).
	Nullable bool
	// Doc is the field's documentation (Avro doc, JSON Schema description), if any.
	Doc string
	// Symbols lists the values of an enum.
	Symbols []string
}

// SchemaError reports a malformed schema definition. Line and Column are 1-based positions in
// the definition (zero when unknown); Path locates the element in the schema
// ("fields[2].type", "properties.address", "message Order.field items").
type SchemaError struct {
	// Format is AVRO, JSON or PROTOBUF.
	Format types.DataFormat
	// Line and Column locate the error, 1-based; zero when unknown.
	Line, Column int
	// Path locates the element in the schema; empty for syntax errors.
	Path string
	// Msg says what is wrong.
	Msg string
}

// Error implements error.
func (e *SchemaError) Error() string {
	s := "glue: " + string(e.Format) + " schema"
	if e.Line > 0 {
		s += fmt.Sprintf(" at line %d column %d", e.Line, e.Column)
	}
	if e.Path != "" {
		s += " (" + e.Path + ")"
	}
	return s + ": " + e.Msg
}

// ParseSchema parses a Schema Registry definition of the given format into columns.
func ParseSchema(format types.DataFormat, definition string) ([]SchemaColumn, error) {
	switch format {
	case types.DataFormatAvro:
		return ParseAvro(definition)
	case types.DataFormatJson:
		return ParseJSONSchema(definition)
	case types.DataFormatProtobuf:
		return ParseProtobuf(definition)
	}
	return nil, fmt.Errorf("glue: unknown schema data format %q (want AVRO, JSON or PROTOBUF)", string(format))
}

// MaxSchemaColumns bounds the columns a definition may flatten into. Named types referenced
// from several places are expanded at each, so a small hostile definition could otherwise
// expand exponentially.
const MaxSchemaColumns = 10000

func tooManyColumns(format types.DataFormat) error {
	return &SchemaError{Format: format, Msg: fmt.Sprintf("the schema flattens into more than %d columns", MaxSchemaColumns)}
}

// lineCol converts a byte offset of s into a 1-based line and column.
func lineCol(s string, off int) (line, col int) {
	if off > len(s) {
		off = len(s)
	}
	line, col = 1, 1
	for i := 0; i < off; i++ {
		if s[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// ValidateDefinition checks locally, without an API call, that a definition is a well-formed
// schema of its format: any Avro schema (not only records), a JSON Schema document (an object
// or a boolean, with resolvable local references), or a .proto file. It returns nil or a
// *SchemaError.
func ValidateDefinition(format types.DataFormat, definition string) error {
	switch format {
	case types.DataFormatAvro:
		_, err := parseAvroSchema(definition)
		return err
	case types.DataFormatJson:
		return validateJSONSchema(definition)
	case types.DataFormatProtobuf:
		_, err := parseProtoFile(definition)
		return err
	}
	return fmt.Errorf("glue: unknown schema data format %q (want AVRO, JSON or PROTOBUF)", string(format))
}
