package redshift_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/datablocks-go/datablocks/redshift"
)

// FuzzDecodeValue feeds any text as a stringValue of every column type: decoding never
// panics, never yields NULL for a value, and what it accepts is what the type's text form
// means (checked by an independent parse).
func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{"1", "-9223372036854775808", "1.5e300", "NaN", "12.50", "t", "2024-02-29", "23:59:59.999999+05:30",
		"2024-02-29 12:34:56.789", "2024-02-29 12:34:56+02", `{"a":[1]}`, "00ff", `\x00ff`, ""} {
		f.Add(s)
	}
	types := []string{"int8", "float8", "numeric", "bool", "date", "time", "timestamp", "timestamptz", "super", "varbyte", "varchar"}
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range types {
			v, err := redshift.DecodeString(typ, s)
			if err != nil {
				continue
			}
			if v == nil {
				t.Fatalf("%s %q decoded to NULL", typ, s)
			}
			switch typ {
			case "int8":
				if n, err := strconv.ParseInt(s, 10, 64); err != nil || v != n {
					t.Fatalf("int8 %q → %v", s, v)
				}
			case "date":
				if d, err := time.Parse(time.DateOnly, s); err != nil || !d.Equal(v.(time.Time)) {
					t.Fatalf("date %q → %v", s, v)
				}
			case "super":
				if !json.Valid([]byte(s)) {
					t.Fatalf("super %q accepted but is not JSON", s)
				}
			case "varchar":
				if v != s {
					t.Fatalf("varchar %q → %v", s, v)
				}
			}
		}
	})
}
