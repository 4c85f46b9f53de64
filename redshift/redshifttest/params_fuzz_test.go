package redshifttest

import (
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/redshift"
)

// FuzzParameterNames checks the helper's reading of :name parameters (Statement.Validate,
// which runs before any call) against the fake's translator, written separately: for any
// SQL the fake translates, binding exactly the names it found satisfies the helper, and
// leaving one out does not.
func FuzzParameterNames(f *testing.F) {
	for _, s := range []string{
		"select :a, ':b', \":c\" -- :d\n /* :e /* :f */ */ $$ :g $$ $t$ :h $t$ :i::int",
		"E'\\':x' || :y", "select $1, :z", "a:::b", "select 'it''s' || :q", `"a""b" :c`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		if strings.TrimSpace(sql) == "" {
			return
		}
		_, names, err := translateParams(sql)
		if err != nil {
			return
		}
		st := redshift.Statement{SQL: sql}
		for _, n := range names {
			st.Params = append(st.Params, redshift.Param{Name: n, Value: "1"})
		}
		if err := st.Validate(); err != nil {
			t.Fatalf("the fake finds %q in %q, but with them bound the helper says: %v", names, sql, err)
		}
		if len(names) > 0 {
			st.Params = st.Params[1:]
			if err := st.Validate(); err == nil {
				t.Fatalf("the fake finds %q in %q, but the helper accepts it without :%s", names, sql, names[0])
			}
		}
	})
}
