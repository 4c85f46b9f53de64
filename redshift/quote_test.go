package redshift_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/datablocks-go/datablocks/redshift"
)

func TestIdent(t *testing.T) {
	for in, want := range map[string]string{
		"sales":                  `"sales"`,
		`we"ird`:                 `"we""ird"`,
		`"`:                      `""""`,
		"Ünïcode table":          `"Ünïcode table"`,
		"a;drop":                 `"a;drop"`,
		strings.Repeat("x", 127): `"` + strings.Repeat("x", 127) + `"`,
	} {
		got, err := redshift.Ident(in)
		if err != nil || got != want {
			t.Errorf("Ident(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "a\x00b", strings.Repeat("x", 128), strings.Repeat("é", 64), "\xff"} {
		if got, err := redshift.Ident(bad); err == nil {
			t.Errorf("Ident(%.20q) = %q, want an error", bad, got)
		}
	}
	q, err := redshift.QualifiedIdent("my schema", `t"1`)
	if err != nil || q != `"my schema"."t""1"` {
		t.Errorf("QualifiedIdent = %q, %v", q, err)
	}
}

func TestLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"abc":  `'abc'`,
		"it's": `'it''s'`,
		`a\b`:  `'a\\b'`,
		`\'`:   `'\\'''`,
		"":     `''`,
		"日本":   `'日本'`,
	} {
		got, err := redshift.Literal(in)
		if err != nil || got != want {
			t.Errorf("Literal(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := redshift.Literal("a\x00"); err == nil {
		t.Error("Literal with NUL: no error")
	}
}

// FuzzIdent checks that an accepted name quotes to one identifier token that unquotes back to
// the name: it starts and ends with ", every inner " is doubled, and the length rule holds.
func FuzzIdent(f *testing.F) {
	for _, s := range []string{"a", `"`, `""x""`, "a.b", strings.Repeat("y", 127), "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		q, err := redshift.Ident(name)
		if err != nil {
			if name != "" && len(name) <= 127 && !strings.Contains(name, "\x00") && utf8.ValidString(name) {
				t.Fatalf("Ident(%q) refused a valid name: %v", name, err)
			}
			return
		}
		if len(name) > 127 || name == "" || strings.Contains(name, "\x00") {
			t.Fatalf("Ident(%q) accepted an invalid name", name)
		}
		if len(q) < 2 || q[0] != '"' || q[len(q)-1] != '"' {
			t.Fatalf("Ident(%q) = %q is not double-quoted", name, q)
		}
		inner := q[1 : len(q)-1]
		if strings.Contains(strings.ReplaceAll(inner, `""`, ""), `"`) {
			t.Fatalf("Ident(%q) = %q has an undoubled quote", name, q)
		}
		if strings.ReplaceAll(inner, `""`, `"`) != name {
			t.Fatalf("Ident(%q) = %q does not unquote to the name", name, q)
		}
	})
}
