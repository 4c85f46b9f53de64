package opensearch_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

func TestRoleValidate(t *testing.T) {
	base := func() opensearch.Role { return analystRole() }
	for _, tc := range []struct {
		name   string
		mutate func(*opensearch.Role)
		want   string
	}{
		{"bad name", func(r *opensearch.Role) { r.Name = "a b" }, `role name "a b"`},
		{"wrapped DLS", func(r *opensearch.Role) { r.IndexPermissions[0].DLS = `{"query":{"match_all":{}}}` }, "without the enclosing"},
		{"DLS not JSON", func(r *opensearch.Role) { r.IndexPermissions[0].DLS = `{"term":` }, "DLS: not a JSON object"},
		{"unknown substitution", func(r *opensearch.Role) { r.IndexPermissions[0].DLS = `{"term":{"u":"${user.email}"}}` }, "unknown substitution"},
		{"FLS both", func(r *opensearch.Role) { r.IndexPermissions[0].FLS.Include = []string{"name"} }, "Include and Exclude are exclusive"},
		{"FLS tilde", func(r *opensearch.Role) {
			r.IndexPermissions[0].FLS = opensearch.FieldSecurity{Exclude: []string{"~ssn"}}
		}, "without the ~ prefix"},
		{"no patterns", func(r *opensearch.Role) { r.IndexPermissions[0].IndexPatterns = nil }, "IndexPatterns is empty"},
		{"mask algorithm", func(r *opensearch.Role) { r.IndexPermissions[0].MaskedFields[0].Algorithm = "CRC32" }, `Algorithm "CRC32"`},
		{"mask regex", func(r *opensearch.Role) {
			r.IndexPermissions[0].MaskedFields = []opensearch.MaskedField{{Field: "p", Replacements: []opensearch.Replacement{{Regex: "(", Replacement: "x"}}}}
		}, "Regex"},
	} {
		r := base()
		tc.mutate(&r)
		err := r.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "opensearch: ") || strings.Count(err.Error(), "opensearch: ") != 1 {
			t.Errorf("%s: Validate() = %v; want one error mentioning %q", tc.name, err, tc.want)
		}
	}
	if err := base().Validate(); err != nil {
		t.Errorf("valid role: %v", err)
	}
	ok := analystRole()
	ok.IndexPermissions[0].DLS = `{"terms":{"team":[${user.roles}]}}`
	if err := ok.Validate(); err != nil {
		t.Errorf("substitution outside a string: %v", err)
	}
	// Nothing is sent for an invalid role.
	e := newEnv(t)
	bad := base()
	bad.IndexPermissions[0].FLS.Include = []string{"x"}
	if _, err := opensearch.NewSecurity(e.admin).EnsureRole(context.Background(), bad); err == nil || e.f.Count(opensearchtest.OpGetSecurity)+e.f.Count(opensearchtest.OpPutSecurity) != 0 {
		t.Errorf("invalid role: %v, %d calls", err, len(e.f.Calls()))
	}
}

func TestRoleWarnings(t *testing.T) {
	r := analystRole()
	r.IndexPermissions[0].MaskedFields = append(r.IndexPermissions[0].MaskedFields, opensearch.MaskedField{Field: "age"})
	r.IndexPermissions[0].DLS = `{"term":{"ssn":"x"}}`
	got := r.Warnings(map[string]opensearch.FieldType{"email": "keyword", "age": "long", "ip_source": "ip"})
	for _, want := range []string{
		`masked field "age" is a long: the plugin masks string fields only`,
		`masked field "ip_source" is a ip`,
		`masked field "email" is a keyword: aggregations`,
		`DLS uses field "ssn", which FLS hides`,
	} {
		if !slices.ContainsFunc(got, func(w string) bool { return strings.Contains(w, want) }) {
			t.Errorf("warnings lack %q: %q", want, got)
		}
	}
}

func TestActionGroupsAndInternalUserDLS(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := opensearch.NewSecurity(e.admin, e.secOpt)
	g := opensearch.ActionGroup{Name: "doc_read", AllowedActions: []string{"indices:data/read/search*", "indices:data/read/get*"}, Type: "index"}
	for i, want := range []datablocks.Action{datablocks.Created, datablocks.Unchanged} {
		if c, err := sec.EnsureActionGroup(ctx, g); err != nil || c.Action != want {
			t.Fatalf("EnsureActionGroup #%d = %v, %v", i+1, c, err)
		}
	}
	if _, err := sec.EnsureActionGroup(ctx, opensearch.ActionGroup{Name: "read", AllowedActions: []string{"x"}}); err == nil {
		t.Error("static action group changed")
	}
	// A role using the custom group, with DLS on the user's own name and attribute.
	r := opensearch.Role{Name: "own_docs", IndexPermissions: []opensearch.IndexPermission{{
		IndexPatterns: []string{"tickets"}, AllowedActions: []string{"doc_read"},
		DLS: `{"bool":{"must":[{"term":{"owner":"${user.name}"}},{"term":{"team":"${attr.internal.team}"}}]}}`,
	}}}
	if _, err := sec.EnsureRole(ctx, r); err != nil {
		t.Fatal(err)
	}
	u := opensearch.InternalUser{Name: "dana", Password: "Correct-Horse-9", SecurityRoles: []string{"own_docs"}, Attributes: map[string]string{"team": "blue"}}
	if _, err := sec.EnsureUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	for id, body := range map[string]string{"1": `{"owner":"dana","team":"blue"}`, "2": `{"owner":"dana","team":"red"}`, "3": `{"owner":"eli","team":"blue"}`} {
		do(t, e.admin, http.MethodPut, "/tickets/_doc/"+id, body, nil)
	}
	dana, _ := opensearch.HTTPTransport(http.DefaultClient, e.d.URL())
	basic := opensearch.TransportFunc(func(r *http.Request) (*http.Response, error) {
		r.SetBasicAuth("dana", "Correct-Horse-9")
		return dana.Perform(r)
	})
	var res searchResult
	if st := do(t, basic, http.MethodPost, "/tickets/_search", `{}`, &res); st != 200 || len(res.Hits.Hits) != 1 || res.Hits.Hits[0].ID != "1" {
		t.Errorf("dana's search = %d %+v; want ticket 1 only", st, res.Hits.Hits)
	}
	if err := sec.SetPassword(ctx, "dana", "New-Horse-10"); err != nil {
		t.Fatal(err)
	}
	if st := do(t, basic, http.MethodPost, "/tickets/_search", `{}`, nil); st != http.StatusUnauthorized {
		t.Errorf("old password after SetPassword: %d; want 401", st)
	}
}
