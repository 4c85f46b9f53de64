package redshifttest

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestTranslateParams(t *testing.T) {
	tests := []struct {
		in, want string
		names    []string
	}{
		{"select :a", "select $1", []string{"a"}},
		{"select :a, :b, :a", "select $1, $2, $1", []string{"a", "b"}},
		{"select x::int, :n::text", "select x::int, $1::text", []string{"n"}},
		{"select ':a', \":b\", :c", "select ':a', \":b\", $1", []string{"c"}},
		{"select 'it''s :a' || :b", "select 'it''s :a' || $1", []string{"b"}},
		{"select E'\\' :a' || :b", "select E'\\' :a' || $1", []string{"b"}},
		{"select 1 -- :a\n, :b", "select 1 -- :a\n, $1", []string{"b"}},
		{"select /* :a /* :x */ */ :b", "select /* :a /* :x */ */ $1", []string{"b"}},
		{"select $$ :a $$, $t$ :b $ $t$, :c", "select $$ :a $$, $t$ :b $ $t$, $1", []string{"c"}},
		{"select $1, :c", "select $1, $1", []string{"c"}}, // PostgreSQL's own $1 passes through
		{"select a:::b", "select a:::b", nil},
		{"select :_x9", "select $1", []string{"_x9"}},
		{"select :ü", "select :ü", nil}, // not a Data API parameter name
		{"select array[1,2][1:2]", "select array[1,2][1$1]", []string{"2"}},
	}
	for _, tt := range tests {
		got, names, err := translateParams(tt.in)
		if err != nil {
			t.Errorf("translateParams(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want || !slices.Equal(names, tt.names) {
			t.Errorf("translateParams(%q) = %q, %q; want %q, %q", tt.in, got, names, tt.want, tt.names)
		}
	}
	for _, bad := range []string{"select 'x", `select "x`, "select /* x", "select $$ x", "select $q$ x $$", strings.Repeat("x", maxSQLBytes+1)} {
		if _, _, err := translateParams(bad); err == nil {
			t.Errorf("translateParams(%.20q) succeeded, want an error", bad)
		}
	}
}

// FuzzTranslateParams checks that translation never panics, leaves text without a colon
// unchanged, numbers parameters densely and keeps every byte outside the parameters.
func FuzzTranslateParams(f *testing.F) {
	for _, s := range []string{"select :a, ':b', \":c\" -- :d\n /* :e */ $$ :f $$ :g::int", "E'\\':x'", "$a$ $a$ :z", "::::", ":1:2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		out, names, err := translateParams(sql)
		if err != nil {
			return
		}
		if !strings.Contains(sql, ":") && out != sql {
			t.Fatalf("text without parameters changed: %q → %q", sql, out)
		}
		seen := map[string]bool{}
		for _, n := range names {
			if n == "" || seen[n] || !paramNameRe.MatchString(n) {
				t.Fatalf("bad names %q for %q", names, sql)
			}
			seen[n] = true
		}
		// Replacing $n back by :name must give the input whenever the input has no $ of its own.
		if !strings.Contains(sql, "$") {
			back := out
			for i := len(names); i >= 1; i-- {
				back = strings.ReplaceAll(back, "$"+strconv.Itoa(i), ":"+names[i-1])
			}
			if back != sql {
				t.Fatalf("round trip: %q → %q → %q", sql, out, back)
			}
		}
	})
}
