package glue

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// CompatibilityError reports that a new schema version breaks the schema's compatibility mode,
// which the message names.
type CompatibilityError struct {
	mode types.Compatibility // the mode checked, for the message
	// Version is the 1-based number of the earlier version the check failed against (its
	// index in the previous list plus one); zero for DISABLED.
	Version int
	// Direction is "backward" (the new schema cannot read data written with Version) or
	// "forward" (Version cannot read data written with the new schema).
	Direction string
	// Reasons lists the incompatibilities found, e.g. `field "email" is new and has no default`.
	Reasons []string
}

// Error implements error.
func (e *CompatibilityError) Error() string {
	if e.mode == types.CompatibilityDisabled {
		return "glue: schema compatibility is DISABLED: no new versions can be registered"
	}
	what := "the new schema cannot read data written with version %d"
	if e.Direction == "forward" {
		what = "version %d cannot read data written with the new schema"
	}
	return fmt.Sprintf("glue: not %s compatible: "+what+": %s", e.mode, e.Version, strings.Join(e.Reasons, "; "))
}

// CheckAvroCompatibility checks a new Avro schema against the earlier versions of a schema
// (oldest first) under a Schema Registry compatibility mode, using the Avro schema resolution
// rules (a reader schema reading data written with a writer schema):
//
//   - BACKWARD: the new schema reads data written with the latest version; BACKWARD_ALL: with
//     every version.
//   - FORWARD: the latest version reads data written with the new schema; FORWARD_ALL: every
//     version does.
//   - FULL and FULL_ALL: both.
//   - NONE: anything that parses. DISABLED: nothing.
//
// The resolution rules modeled: records match by unqualified name or reader alias; a reader
// field missing from the writer needs a default; writer fields missing from the reader are
// skipped; fields match by name or reader field alias; enums match by name and every writer
// symbol must be a reader symbol unless the reader enum has a default; fixed types need the
// same name and size; arrays and maps resolve their items and values; the promotions int →
// long → float → double (int and long to float and double too) and string ↔ bytes; a reader
// union must read every writer branch with one of its branches, and a non-union reader must
// read every branch of a writer union. Logical types resolve by their underlying types.
// Recursive schemas are handled. A parse error of any definition is returned as *SchemaError.
func CheckAvroCompatibility(mode types.Compatibility, newDefinition string, previous ...string) error {
	next, err := parseAvroSchema(newDefinition)
	if err != nil {
		return err
	}
	olds := make([]*avroType, len(previous))
	for i, d := range previous {
		if olds[i], err = parseAvroSchema(d); err != nil {
			var se *SchemaError
			if errors.As(err, &se) {
				se.Path = strings.TrimPrefix(fmt.Sprintf("version %d %s", i+1, se.Path), " ")
			}
			return err
		}
	}
	var backward, forward, all bool
	switch mode {
	case types.CompatibilityNone, "":
		return nil
	case types.CompatibilityDisabled:
		return &CompatibilityError{mode: mode}
	case types.CompatibilityBackward:
		backward = true
	case types.CompatibilityBackwardAll:
		backward, all = true, true
	case types.CompatibilityForward:
		forward = true
	case types.CompatibilityForwardAll:
		forward, all = true, true
	case types.CompatibilityFull:
		backward, forward = true, true
	case types.CompatibilityFullAll:
		backward, forward, all = true, true, true
	default:
		return fmt.Errorf("glue: unknown compatibility mode %q", string(mode))
	}
	from := len(olds) - 1
	if all {
		from = 0
	}
	for i := len(olds) - 1; i >= max(from, 0); i-- {
		if backward {
			if reasons := avroCanRead(next, olds[i]); len(reasons) > 0 {
				return &CompatibilityError{mode: mode, Version: i + 1, Direction: "backward", Reasons: reasons}
			}
		}
		if forward {
			if reasons := avroCanRead(olds[i], next); len(reasons) > 0 {
				return &CompatibilityError{mode: mode, Version: i + 1, Direction: "forward", Reasons: reasons}
			}
		}
	}
	return nil
}

// avroCanRead returns why reader cannot read data written with writer, or nothing.
func avroCanRead(reader, writer *avroType) []string {
	c := &avroResolver{seen: map[[2]*avroType]bool{}, budget: &avroBudget{}}
	c.check(reader, writer, "")
	if c.budget.exceeded {
		return []string{fmt.Sprintf("the schemas are too complex to compare (more than %d steps)", maxSchemaSteps)}
	}
	return c.reasons
}

type avroResolver struct {
	seen    map[[2]*avroType]bool
	reasons []string
	budget  *avroBudget // shared with sub-resolvers
}

// avroBudget bounds the work of one comparison: named types used in many places are compared
// once per use, which hostile schemas could make exponential.
type avroBudget struct {
	steps    int
	exceeded bool
}

func (c *avroResolver) fail(path, format string, args ...any) {
	if path == "" {
		path = "top level"
	} else {
		path = "field " + `"` + path + `"`
	}
	c.reasons = append(c.reasons, path+": "+fmt.Sprintf(format, args...))
}

func shortName(full string) string {
	if i := strings.LastIndex(full, "."); i >= 0 {
		return full[i+1:]
	}
	return full
}

func avroDescribe(t *avroType) string {
	if t.name != "" {
		return t.kind + " " + t.name
	}
	return avroTypeName(t)
}

// namesMatch implements the name rule for records, enums and fixed types.
func namesMatch(reader, writer *avroType) bool {
	if shortName(reader.name) == shortName(writer.name) {
		return true
	}
	for _, a := range reader.aliases {
		if a == writer.name || shortName(a) == shortName(writer.name) {
			return true
		}
	}
	return false
}

var avroPromotions = map[string][]string{
	"int":    {"long", "float", "double"},
	"long":   {"float", "double"},
	"float":  {"double"},
	"string": {"bytes"},
	"bytes":  {"string"},
}

// readable reports, without recording reasons, whether reader reads writer.
func (c *avroResolver) readable(reader, writer *avroType) bool {
	sub := &avroResolver{seen: c.seen, budget: c.budget}
	sub.check(reader, writer, "")
	return len(sub.reasons) == 0 && !c.budget.exceeded
}

func (c *avroResolver) check(reader, writer *avroType, path string) {
	if c.budget.steps++; c.budget.steps > maxSchemaSteps {
		c.budget.exceeded = true
	}
	if c.budget.exceeded {
		return
	}
	key := [2]*avroType{reader, writer}
	if c.seen[key] {
		return // already being checked higher up: recursive types
	}
	c.seen[key] = true
	defer delete(c.seen, key)

	if writer.kind == "union" {
		for _, b := range writer.branches {
			if reader.kind == "union" {
				if !slices.ContainsFunc(reader.branches, func(r *avroType) bool { return c.readable(r, b) }) {
					c.fail(path, "no branch of the reader union %s reads the writer's %s", avroTypeName(reader), avroDescribe(b))
				}
				continue
			}
			if !c.readable(reader, b) {
				c.fail(path, "%s cannot read the writer's union branch %s", avroDescribe(reader), avroDescribe(b))
			}
		}
		return
	}
	if reader.kind == "union" {
		if !slices.ContainsFunc(reader.branches, func(r *avroType) bool { return c.readable(r, writer) }) {
			c.fail(path, "no branch of the reader union %s reads the writer's %s", avroTypeName(reader), avroDescribe(writer))
		}
		return
	}
	if reader.kind != writer.kind {
		if slices.Contains(avroPromotions[writer.kind], reader.kind) {
			return
		}
		c.fail(path, "%s cannot read %s", avroDescribe(reader), avroDescribe(writer))
		return
	}
	switch reader.kind {
	case "record":
		if !namesMatch(reader, writer) {
			c.fail(path, "record %s cannot read record %s (names differ)", reader.name, writer.name)
			return
		}
		for _, rf := range reader.fields {
			fp := rf.name
			if path != "" {
				fp = path + "." + rf.name
			}
			var wf *avroField
			for _, f := range writer.fields {
				if f.name == rf.name || slices.Contains(rf.aliases, f.name) {
					wf = f
					break
				}
			}
			if wf == nil {
				if !rf.hasDefault {
					c.fail(fp, "the reader has the field but the writer does not, and it has no default")
				}
				continue
			}
			c.check(rf.typ, wf.typ, fp)
		}
	case "enum":
		if !namesMatch(reader, writer) {
			c.fail(path, "enum %s cannot read enum %s (names differ)", reader.name, writer.name)
			return
		}
		if reader.enumDef != "" {
			return
		}
		for _, s := range writer.symbols {
			if !slices.Contains(reader.symbols, s) {
				c.fail(path, "the reader enum %s has no symbol %s and no default", reader.name, s)
			}
		}
	case "fixed":
		if !namesMatch(reader, writer) || reader.size != writer.size {
			c.fail(path, "fixed %s(%d) cannot read fixed %s(%d)", reader.name, reader.size, writer.name, writer.size)
		}
	case "array":
		c.check(reader.items, writer.items, path+"[]")
	case "map":
		c.check(reader.values, writer.values, path+"{}")
	}
}

// avroTypeName names a type in compatibility errors: a named type by its full name, others by
// their kind.
func avroTypeName(t *avroType) string {
	if t.name != "" {
		return t.name
	}
	return t.kind
}
