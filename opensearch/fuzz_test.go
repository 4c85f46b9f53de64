package opensearch_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/opensearch"
)

// A role parsed from the plugin's JSON, written back and parsed again is a fixed point.
func FuzzRoleJSONRoundTrip(f *testing.F) {
	f.Add([]byte(`{"analyst":{"reserved":false,"hidden":false,"static":false,"description":"d","cluster_permissions":["cluster_composite_ops_ro"],"index_permissions":[{"index_patterns":["orders-*"],"dls":"{\"term\":{\"region\":\"eu\"}}","fls":["~ssn","~title*"],"masked_fields":["email","name::SHA-512","phone::/[0-9]/::X::/X+/::Y"],"allowed_actions":["read"]}],"tenant_permissions":[{"tenant_patterns":["global"],"allowed_actions":["kibana_all_read"]}]}}`))
	f.Add([]byte(`{"r":{"index_permissions":[{"index_patterns":[],"fls":["a","~b"],"masked_fields":["f::"],"allowed_actions":[]}]}}`))
	f.Add([]byte(`{"r":{"index_permissions":[{"masked_fields":["f:://::"]}]}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roles, err := opensearch.ParseRoles(data)
		if err != nil {
			return
		}
		for name, r := range roles {
			b1, err := json.Marshal(r)
			if err != nil {
				t.Fatalf("marshal %q: %v", name, err)
			}
			again, err := opensearch.ParseRoles([]byte(`{"x":` + string(b1) + `}`))
			if err != nil {
				t.Fatalf("reparse %s: %v", b1, err)
			}
			b2, err := json.Marshal(again["x"])
			if err != nil || !bytes.Equal(b1, b2) {
				t.Fatalf("round trip differs:\n%s\n%s", b1, b2)
			}
			_ = r.Validate() // must not panic
			_ = r.Warnings(map[string]opensearch.FieldType{"email": "keyword", "age": "long"})
		}
	})
}

func FuzzValidateDLS(f *testing.F) {
	for _, s := range []string{
		`{"term":{"region":"eu"}}`,
		`{"terms":{"roles":[${user.roles}]}}`,
		`{"match":{"owner":"${user.name}"}}`,
		`{"bool":{"must":[{"term":{"a":"${attr.internal.team}"}}]}}`,
		`{"query":{"match_all":{}}}`,
		`{"a":"\"${x}"}`,
		`[[[[`,
		`{"term":{"x":"${user.name"}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if len(q) > opensearch.MaxDLSQuery+10 {
			return
		}
		if opensearch.ValidateDLS(q) != nil {
			return
		}
		// A valid query body is one clause and never the {"query": ...} wrapper.
		if opensearch.ValidateDLS(`{"query":`+q+`}`) == nil {
			t.Fatalf("wrapped query accepted: %s", q)
		}
		if !strings.Contains(q, "{") {
			t.Fatalf("accepted a non-object: %q", q)
		}
	})
}

func FuzzValidateFLS(f *testing.F) {
	f.Add("ssn,title*", "")
	f.Add("", "a.b,c")
	f.Add("~x", "")
	f.Add("a", "b")
	f.Add(" a", "")
	f.Fuzz(func(t *testing.T, include, exclude string) {
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ",")
		}
		fs := opensearch.FieldSecurity{Include: split(include), Exclude: split(exclude)}
		if opensearch.ValidateFLS(fs) != nil {
			return
		}
		if len(fs.Include) > 0 && len(fs.Exclude) > 0 {
			t.Fatal("accepted include and exclude together")
		}
		for _, s := range append(fs.Include, fs.Exclude...) {
			if s == "" || strings.HasPrefix(s, "~") || strings.Contains(s, "::") {
				t.Fatalf("accepted field %q", s)
			}
		}
		// What validates round-trips through the plugin's fls form.
		p := opensearch.IndexPermission{IndexPatterns: []string{"i"}, AllowedActions: []string{"read"}, FLS: fs}
		b, _ := json.Marshal(p)
		var back opensearch.IndexPermission
		if err := json.Unmarshal(b, &back); err != nil || len(back.FLS.Include) != len(fs.Include) || len(back.FLS.Exclude) != len(fs.Exclude) {
			t.Fatalf("fls round trip: %s -> %+v, %v", b, back.FLS, err)
		}
	})
}

func FuzzParseMaskedField(f *testing.F) {
	for _, s := range []string{"email", "name::SHA-512", "phone::/[0-9]/::X", "a::/x/::y::/z/::w", "bad::/x", "f::", "f:://::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := opensearch.ParseMaskedField(s)
		if err != nil {
			return
		}
		back, err := opensearch.ParseMaskedField(m.Expression())
		if err != nil || back.Expression() != m.Expression() {
			t.Fatalf("%q -> %q -> %q, %v", s, m.Expression(), back.Expression(), err)
		}
	})
}
