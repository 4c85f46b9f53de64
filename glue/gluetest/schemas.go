package gluetest

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/bufbuild/protocompile"
	"github.com/hamba/avro/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The fake checks schema definitions with reference implementations of each format, never
// with package glue's parsers, so that the helper and the fake are two independent readings:
// hamba/avro for Avro (parsing and compatibility), bufbuild/protocompile for Protobuf (with
// the standard imports: google/protobuf/*.proto), santhosh-tekuri/jsonschema for JSON Schema
// (metaschema validation; draft 7 when $schema is absent; no references to other documents).

// maxSchemaDefinition is SchemaDefinition's length bound in the Glue API reference
// (CreateSchema, RegisterSchemaVersion, CheckSchemaVersionValidity: 1 to 170,000).
const maxSchemaDefinition = 170000

// validateDefinition returns why def is not a valid schema of format, or nil.
func validateDefinition(format types.DataFormat, def string) error {
	if len(def) > maxSchemaDefinition {
		return fmt.Errorf("the definition is %d characters long, more than %d", len(def), maxSchemaDefinition)
	}
	switch format {
	case types.DataFormatAvro:
		_, err := parseAvro(def)
		return err
	case types.DataFormatJson:
		return compileJSONSchema(def)
	case types.DataFormatProtobuf:
		c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			Accessor: protocompile.SourceAccessorFromMap(map[string]string{"schema.proto": def}),
		})}
		_, err := c.Compile(context.Background(), "schema.proto")
		return err
	}
	return fmt.Errorf("unknown data format %q", string(format))
}

// parseAvro parses with hamba/avro, each definition on its own cache so named types of one
// schema never leak into another. A panic of the library counts as invalid.
func parseAvro(def string) (s avro.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("avro: cannot parse the schema (%v)", r)
		}
	}()
	return avro.ParseWithCache(def, "", &avro.SchemaCache{})
}

// refuseLoader stops the JSON Schema compiler from fetching other documents.
type refuseLoader struct{}

func (refuseLoader) Load(u string) (any, error) {
	return nil, fmt.Errorf("reference to another document %s", u)
}

func compileJSONSchema(def string) error {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(def))
	if err != nil {
		return err
	}
	const base = "https://schema-registry.glue.invalid/definition.json"
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.UseLoader(refuseLoader{})
	if err := c.AddResource(base, doc); err != nil {
		return err
	}
	_, err = c.Compile(base)
	return err
}

// checkCompatibility applies a compatibility mode (Glue developer guide, "Schema versioning
// and compatibility") to a new Avro definition against the previous AVAILABLE ones, oldest
// first: BACKWARD — the new schema reads data of the latest; BACKWARD_ALL — of every previous
// one; FORWARD — the latest reads data of the new; FORWARD_ALL — every previous one does; FULL
// and FULL_ALL — both. NONE accepts everything. Only Avro is checked (see the package doc).
func checkCompatibility(mode types.Compatibility, format types.DataFormat, def string, previous []string) error {
	if format != types.DataFormatAvro || len(previous) == 0 || mode == types.CompatibilityNone {
		return nil
	}
	against := previous[len(previous)-1:]
	switch mode {
	case types.CompatibilityBackwardAll, types.CompatibilityForwardAll, types.CompatibilityFullAll:
		against = previous
	}
	backward := mode == types.CompatibilityBackward || mode == types.CompatibilityBackwardAll || mode == types.CompatibilityFull || mode == types.CompatibilityFullAll
	forward := mode == types.CompatibilityForward || mode == types.CompatibilityForwardAll || mode == types.CompatibilityFull || mode == types.CompatibilityFullAll
	next, err := parseAvro(def)
	if err != nil {
		return err
	}
	sc := avro.NewSchemaCompatibility()
	for i, p := range against {
		old, err := parseAvro(p)
		if err != nil {
			continue // an earlier version the library cannot read constrains nothing here
		}
		version := len(previous) - len(against) + i + 1
		if backward {
			if err := sc.Compatible(next, old); err != nil {
				return fmt.Errorf("the new version cannot read data written with version %d (%s): %v", version, mode, err)
			}
		}
		if forward {
			if err := sc.Compatible(old, next); err != nil {
				return fmt.Errorf("version %d cannot read data written with the new version (%s): %v", version, mode, err)
			}
		}
	}
	return nil
}
