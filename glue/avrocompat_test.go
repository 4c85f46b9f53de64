package glue_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/glue"
)

// Schema evolutions from the Glue Schema Registry developer guide ("Schema versioning and
// compatibility"): BACKWARD allows deleting fields and adding optional fields; FORWARD allows
// adding fields and deleting optional fields; FULL allows adding or deleting optional fields;
// NONE allows anything; DISABLED allows no new version. The verdicts follow from the Avro
// specification's schema resolution rules.
const (
	userV1 = `{"type":"record","name":"User","namespace":"com.acme","fields":[
		{"name":"id","type":"string"},
		{"name":"name","type":"string"},
		{"name":"age","type":"int"},
		{"name":"tier","type":{"type":"enum","name":"Tier","symbols":["FREE","PRO"]}}]}`
	// An optional field added (with a default).
	userAddOptional = `{"type":"record","name":"User","namespace":"com.acme","fields":[
		{"name":"id","type":"string"},
		{"name":"name","type":"string"},
		{"name":"age","type":"int"},
		{"name":"tier","type":{"type":"enum","name":"Tier","symbols":["FREE","PRO"]}},
		{"name":"email","type":["null","string"],"default":null}]}`
	// A required field added (no default).
	userAddRequired = `{"type":"record","name":"User","namespace":"com.acme","fields":[
		{"name":"id","type":"string"},
		{"name":"name","type":"string"},
		{"name":"age","type":"int"},
		{"name":"tier","type":{"type":"enum","name":"Tier","symbols":["FREE","PRO"]}},
		{"name":"country","type":"string"}]}`
	// The required field "name" deleted.
	userDeleteRequired = `{"type":"record","name":"User","namespace":"com.acme","fields":[
		{"name":"id","type":"string"},
		{"name":"age","type":"int"},
		{"name":"tier","type":{"type":"enum","name":"Tier","symbols":["FREE","PRO"]}}]}`
	// "age" promoted from int to long.
	userPromote = `{"type":"record","name":"User","namespace":"com.acme","fields":[
		{"name":"id","type":"string"},
		{"name":"name","type":"string"},
		{"name":"age","type":"long"},
		{"name":"tier","type":{"type":"enum","name":"Tier","symbols":["FREE","PRO"]}}]}`
	// "age" changed from int to string: no promotion exists.
	userRetype = `{"type":"record","name":"User","namespace":"com.acme","fields":[
		{"name":"id","type":"string"},
		{"name":"name","type":"string"},
		{"name":"age","type":"string"},
		{"name":"tier","type":{"type":"enum","name":"Tier","symbols":["FREE","PRO"]}}]}`
	// An enum symbol added.
	userEnumSymbol = `{"type":"record","name":"User","namespace":"com.acme","fields":[
		{"name":"id","type":"string"},
		{"name":"name","type":"string"},
		{"name":"age","type":"int"},
		{"name":"tier","type":{"type":"enum","name":"Tier","symbols":["FREE","PRO","ENTERPRISE"]}}]}`
	// "name" widened to a union with null (and a default).
	userNullable = `{"type":"record","name":"User","namespace":"com.acme","fields":[
		{"name":"id","type":"string"},
		{"name":"name","type":["null","string"],"default":null},
		{"name":"age","type":"int"},
		{"name":"tier","type":{"type":"enum","name":"Tier","symbols":["FREE","PRO"]}}]}`
)

func TestCheckAvroCompatibilityDocumentedEvolutions(t *testing.T) {
	type verdict struct{ backward, forward bool }
	tests := []struct {
		name string
		next string
		want verdict
	}{
		{"add optional field", userAddOptional, verdict{true, true}},
		{"add required field", userAddRequired, verdict{false, true}},
		{"delete required field", userDeleteRequired, verdict{true, false}},
		{"promote int to long", userPromote, verdict{true, false}},
		{"change int to string", userRetype, verdict{false, false}},
		{"add enum symbol", userEnumSymbol, verdict{true, false}},
		{"make field nullable", userNullable, verdict{true, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, mc := range []struct {
				mode types.Compatibility
				ok   bool
			}{
				{types.CompatibilityBackward, tc.want.backward},
				{types.CompatibilityForward, tc.want.forward},
				{types.CompatibilityFull, tc.want.backward && tc.want.forward},
				{types.CompatibilityNone, true},
				{types.CompatibilityDisabled, false},
			} {
				err := glue.CheckAvroCompatibility(mc.mode, tc.next, userV1)
				if (err == nil) != mc.ok {
					t.Errorf("%s: err = %v, want ok=%v", mc.mode, err, mc.ok)
				}
				var ce *glue.CompatibilityError
				if err != nil && !errors.As(err, &ce) {
					t.Errorf("%s: err %v is not a *glue.CompatibilityError", mc.mode, err)
				}
			}
		})
	}
}

func TestCheckAvroCompatibilityAllVariants(t *testing.T) {
	// v1 has no email; v2 adds it optional; v3 makes it required. v3 reads v2 data (email is
	// there) but not v1 data (email missing, no default).
	v1 := `{"type":"record","name":"U","fields":[{"name":"id","type":"string"}]}`
	v2 := `{"type":"record","name":"U","fields":[{"name":"id","type":"string"},{"name":"email","type":"string","default":""}]}`
	v3 := `{"type":"record","name":"U","fields":[{"name":"id","type":"string"},{"name":"email","type":"string"}]}`
	if err := glue.CheckAvroCompatibility(types.CompatibilityBackward, v3, v1, v2); err != nil {
		t.Errorf("BACKWARD against the latest: %v", err)
	}
	err := glue.CheckAvroCompatibility(types.CompatibilityBackwardAll, v3, v1, v2)
	var ce *glue.CompatibilityError
	if !errors.As(err, &ce) || ce.Version != 1 || ce.Direction != "backward" {
		t.Errorf("BACKWARD_ALL: err = %v, want a backward failure against version 1", err)
	}
	if err := glue.CheckAvroCompatibility(types.CompatibilityFullAll, v2, v1); err != nil {
		t.Errorf("FULL_ALL for an optional field: %v", err)
	}
	// Forward: v1 reads data written with a schema that dropped an optional field of v2.
	if err := glue.CheckAvroCompatibility(types.CompatibilityForwardAll, v1, v1, v2); err != nil {
		t.Errorf("FORWARD_ALL: %v", err)
	}
}

func TestCheckAvroCompatibilityResolutionRules(t *testing.T) {
	rec := func(fieldType string) string {
		return `{"type":"record","name":"R","fields":[{"name":"f","type":` + fieldType + `}]}`
	}
	tests := []struct {
		name           string
		reader, writer string
		ok             bool
	}{
		{"int to double", rec(`"double"`), rec(`"int"`), true},
		{"long to float", rec(`"float"`), rec(`"long"`), true},
		{"float to double", rec(`"double"`), rec(`"float"`), true},
		{"double to float", rec(`"float"`), rec(`"double"`), false},
		{"string to bytes", rec(`"bytes"`), rec(`"string"`), true},
		{"bytes to string", rec(`"string"`), rec(`"bytes"`), true},
		{"union reader gains a branch", rec(`["null","int","string"]`), rec(`["null","int"]`), true},
		{"union reader loses a branch", rec(`["null","int"]`), rec(`["null","int","string"]`), false},
		{"plain writer into union", rec(`["null","long"]`), rec(`"int"`), true},
		{"union writer into plain", rec(`"long"`), rec(`["int","long"]`), true},
		{"nullable writer into plain", rec(`"int"`), rec(`["null","int"]`), false},
		{"array items promote", rec(`{"type":"array","items":"long"}`), rec(`{"type":"array","items":"int"}`), true},
		{"map values mismatch", rec(`{"type":"map","values":"int"}`), rec(`{"type":"map","values":"string"}`), false},
		{"fixed size differs", rec(`{"type":"fixed","name":"F","size":16}`), rec(`{"type":"fixed","name":"F","size":8}`), false},
		{"enum reader default", rec(`{"type":"enum","name":"E","symbols":["A","UNKNOWN"],"default":"UNKNOWN"}`), rec(`{"type":"enum","name":"E","symbols":["A","B"]}`), true},
		{"record renamed with alias", `{"type":"record","name":"New","aliases":["Old"],"fields":[]}`, `{"type":"record","name":"Old","fields":[]}`, true},
		{"record renamed", `{"type":"record","name":"New","fields":[]}`, `{"type":"record","name":"Old","fields":[]}`, false},
		{"field renamed with alias", `{"type":"record","name":"R","fields":[{"name":"g","aliases":["f"],"type":"int"}]}`, rec(`"int"`), true},
		{"recursive", `{"type":"record","name":"L","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","L"]}]}`,
			`{"type":"record","name":"L","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","L"]}]}`, true},
	}
	for _, tc := range tests {
		err := glue.CheckAvroCompatibility(types.CompatibilityBackward, tc.reader, tc.writer)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	var se *glue.SchemaError
	if err := glue.CheckAvroCompatibility(types.CompatibilityBackward, rec(`"int"`), `{"type":`); !errors.As(err, &se) {
		t.Errorf("malformed previous version: err = %v, want *glue.SchemaError", err)
	}
}

func TestCheckAvroCompatibilityIsBounded(t *testing.T) {
	// R0 uses R1 twice, R1 uses R2 twice, ...: 2^30 comparisons if walked naively.
	schema := func(leaf string) string {
		var b strings.Builder
		b.WriteString(`{"type":"record","name":"R0","fields":[`)
		for i := 1; i <= 30; i++ {
			fmt.Fprintf(&b, `{"name":"a","type":{"type":"record","name":"R%d","fields":[`, i)
		}
		b.WriteString(`{"name":"leaf","type":"` + leaf + `"}`)
		for i := 30; i >= 1; i-- {
			fmt.Fprintf(&b, `]}},{"name":"b","type":["null","R%d"]}`, i)
		}
		b.WriteString(`]}`)
		return b.String()
	}
	err := glue.CheckAvroCompatibility(types.CompatibilityBackward, schema("long"), schema("int"))
	var ce *glue.CompatibilityError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "too complex") {
		t.Errorf("err = %v, want a too-complex rejection", err)
	}
}
