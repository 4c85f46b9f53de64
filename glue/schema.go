package glue

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// maxDefinitionLength is the longest schema definition parsed: the Glue API reference bounds
// SchemaDefinition (RegisterSchemaVersion, CreateSchema) to 170,000 characters. Each import
// given in SchemaOptions.Imports is bounded the same way.
const maxDefinitionLength = 170000

// maxSchemaSteps bounds the work spent on one definition, imports included: every schema
// node visited while parsing and mapping counts one step. Shared named types and $refs are
// mapped once and reused, so real schemas stay far below it; a hostile definition that would
// expand exponentially stops with a *SchemaError instead.
const maxSchemaSteps = 1 << 20

// SchemaOptions configures [ParseSchema].
type SchemaOptions struct {
	// Message is the Protobuf message mapped to columns: its full name ("acme.sales.v1.Order")
	// or its name within the file's package ("Order"). Empty means the first top-level
	// message, which the Glue Schema Registry serializers use by default. Ignored for other
	// formats.
	Message string
	// Imports holds the .proto files a Protobuf definition imports, by import path
	// ("acme/common/money.proto" → its content). Imports of google/protobuf/*.proto (the
	// well-known types) are built in; any other import must be here. Ignored for other formats.
	Imports map[string]string
}

// ParseSchema maps a Schema Registry definition (AVRO, JSON or PROTOBUF) to the columns of a
// Glue table that holds its records, typed in the Hive DDL Glue and Athena read: bigint, int,
// double, float, boolean, string, binary, decimal(p,s), date, timestamp, array<T>,
// map<K,V> and struct<name:T,...>. Nested records stay nested as struct types (never
// dotted columns), logical types are kept at every depth, and every Type and Name passes the
// checks [Catalog] makes, so the columns can go straight into [Table].Columns. Field documentation becomes the column Comment.
//
// The mapping, per format (sources: "Data types in Amazon Athena", the Hive AvroSerDe
// documentation, the Avro 1.11 specification, the Protobuf language guide, JSON Schema 2020-12):
//
//	Avro                               Hive                Protobuf                  Hive
//	null                               (field dropped)     double, float             double, float
//	boolean, int, long                 boolean, int, bigint int32 sint32 sfixed32     int
//	float, double                      float, double       uint32 fixed32            bigint
//	bytes, fixed                       binary              int64 sint64 sfixed64     bigint
//	string, enum                       string              uint64 fixed64            decimal(20,0)
//	decimal(p,s) on bytes/fixed        decimal(p,s)        bool, string, bytes       boolean, string, binary
//	  (p > 38: binary)                                     enum                      string
//	date                               date                message                   struct<...>
//	time-millis / time-micros          int / bigint        repeated T                array<T>
//	timestamp-*, local-timestamp-*     timestamp           map<K,V>                  map<K,V>
//	uuid                               string              google.protobuf.Timestamp timestamp
//	record                             struct<...>         google.protobuf.Duration  struct<seconds:bigint,nanos:int>
//	array<T>, map<T>                   array<T>, map<string,T> wrappers (Int64Value…) their scalar
//	[null, T]                          T                   Struct, Value, ListValue  string (JSON text)
//	[int, long], [float, double]       bigint, double      Any                       struct<type_url:string,value:binary>
//	other unions                       struct<member0:…,member1:…> (as Spark reads Avro)
//
//	JSON Schema                                            Hive
//	integer, number, boolean                               bigint, double, boolean
//	string; format date; format date-time                  string; date; timestamp
//	object with properties (allOf merged, oneOf/anyOf      struct<...> of the union of properties
//	  branches that are objects merged in)
//	object with only additionalProperties or               map<string,T>
//	  patternProperties
//	array with items T; without items                      array<T>; array<string>
//	type arrays and unions with null                       the non-null type
//	several scalar types, free-form objects, no type       string (the value as JSON text)
//
// Hive columns are all nullable, so presence (Avro unions with null, JSON Schema required,
// Protobuf labels and editions' features.field_presence) does not change a type. In every
// format a reference back to a type being mapped (a recursive schema) becomes string: Hive
// types cannot recurse. Fields of types that hold no data (Avro null, empty
// records and messages, google.protobuf.Empty) are dropped, and so are later fields whose
// name equals an earlier one case-insensitively (Athena lowers names). Field names that are
// not valid column names (JSON properties such as "editor.fontSize": a dot, colon, comma,
// angle bracket, backtick or control character) have the offending characters replaced by '_'.
//
// Parsing is bounded: a definition (and each import) longer than 170,000 bytes is
// rejected, and so is one whose parsing and mapping take more than a fixed number of steps;
// time and memory are linear in the input. A JSON Schema document may hold at most 800
// objects, because the compiler's time grows faster than linearly with them. A malformed definition returns a *[SchemaError];
// the JSON Schema document is validated against its metaschema (drafts 4, 6, 7, 2019-09 and
// 2020-12; draft 7 when $schema is absent, as Glue's JSON support) and may only use references
// within itself.
func ParseSchema(format types.DataFormat, definition string, optFns ...func(*SchemaOptions)) ([]Column, error) {
	var o SchemaOptions
	for _, fn := range optFns {
		fn(&o)
	}
	root, err := parseHive(format, definition, o)
	if err != nil {
		return nil, err
	}
	return columnsOf(format, root)
}

// parseHive parses and maps a definition to its top-level struct.
func parseHive(format types.DataFormat, definition string, o SchemaOptions) (*hiveType, error) {
	if err := checkFormatName(format); err != nil {
		return nil, err
	}
	if len(definition) > maxDefinitionLength {
		return nil, &SchemaError{format: format, Msg: fmt.Sprintf("the definition is %d bytes long, more than %d", len(definition), maxDefinitionLength)}
	}
	switch format {
	case types.DataFormatAvro:
		return avroHive(definition)
	case types.DataFormatJson:
		return jsonSchemaHive(definition)
	default:
		return protoHive(definition, o)
	}
}

func checkFormatName(format types.DataFormat) error {
	switch format {
	case types.DataFormatAvro, types.DataFormatJson, types.DataFormatProtobuf:
		return nil
	}
	return fmt.Errorf("glue: unknown schema data format %q (want AVRO, JSON or PROTOBUF)", string(format))
}

// SchemaError reports a malformed schema definition, found by ParseSchema and
// CheckAvroCompatibility or by Glue (Registry.CheckValidity). Line and Column are 1-based
// positions in the definition (zero when unknown, and always from Glue); Path locates the
// element in the schema ("fields[2].type", "/properties/address", "message Order.field
// items"). The message names the data format.
type SchemaError struct {
	format types.DataFormat // AVRO, JSON or PROTOBUF, for the message
	// Line and Column locate the error, 1-based; zero when unknown.
	Line, Column int
	// Path locates the element in the schema; empty for syntax errors.
	Path string
	// Msg says what is wrong.
	Msg string
}

// Error implements error.
func (e *SchemaError) Error() string {
	s := "glue: " + string(e.format) + " schema"
	if e.Line > 0 {
		s += fmt.Sprintf(" at line %d column %d", e.Line, e.Column)
	}
	if e.Path != "" {
		s += " (" + e.Path + ")"
	}
	return s + ": " + e.Msg
}

func tooManySteps(format types.DataFormat) error {
	return &SchemaError{format: format, Msg: fmt.Sprintf("the schema takes more than %d steps to map (a type expanding exponentially?)", maxSchemaSteps)}
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

// validateDefinition checks locally, without an API call, that a definition is a well-formed
// schema of its format: any Avro schema (not only records), a JSON Schema document valid
// against its metaschema with resolvable local references, or a .proto file. It returns nil
// or a *SchemaError.
func validateDefinition(format types.DataFormat, definition string) error {
	if err := checkFormatName(format); err != nil {
		return err
	}
	if len(definition) > maxDefinitionLength {
		return &SchemaError{format: format, Msg: fmt.Sprintf("the definition is %d bytes long, more than %d", len(definition), maxDefinitionLength)}
	}
	switch format {
	case types.DataFormatAvro:
		_, err := parseAvroSchema(definition)
		return err
	case types.DataFormatJson:
		_, _, err := compileJSONSchema(definition)
		return err
	default:
		_, err := parseProtoFile(definition)
		return err
	}
}
