package opensearch_test

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

func analystRole() opensearch.Role {
	return opensearch.Role{
		Name:               "analyst",
		Description:        "EU analysts",
		ClusterPermissions: []string{"cluster_composite_ops_ro"},
		IndexPermissions: []opensearch.IndexPermission{{
			IndexPatterns:  []string{"customers*"},
			AllowedActions: []string{"read"},
			DLS:            `{"term":{"region":"eu"}}`,
			FLS:            opensearch.FieldSecurity{Exclude: []string{"ssn"}},
			MaskedFields:   []opensearch.MaskedField{{Field: "email", Algorithm: "SHA-512"}, {Field: "ip_source"}},
		}},
	}
}

func TestEnsureRoleCreatesComparesAndUpdates(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := opensearch.NewSecurity(e.admin, e.secOpt)
	c, err := sec.EnsureRole(ctx, analystRole())
	if err != nil || c.Action != datablocks.Created {
		t.Fatalf("EnsureRole = %v, %v; want created", c, err)
	}
	puts := e.f.Count(opensearchtest.OpPutSecurity)
	c, err = sec.EnsureRole(ctx, analystRole())
	if err != nil || c.Action != datablocks.Unchanged {
		t.Fatalf("second EnsureRole = %v, %v; want unchanged", c, err)
	}
	if n := e.f.Count(opensearchtest.OpPutSecurity); n != puts {
		t.Errorf("an unchanged role was written (%d PUTs, want %d)", n, puts)
	}
	r := analystRole()
	r.Description = "EU and UK analysts"
	r.IndexPermissions[0].FLS.Exclude = append(r.IndexPermissions[0].FLS.Exclude, "phone")
	c, err = sec.EnsureRole(ctx, r)
	if err != nil || c.Action != datablocks.Updated || !slices.Equal(c.Changed, []string{"description", "index_permissions"}) {
		t.Fatalf("EnsureRole after change = %v, %v; want updated (description, index_permissions)", c, err)
	}
	got, err := sec.GetRole(ctx, "analyst")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.IndexPermissions[0].FLS.Exclude, []string{"ssn", "phone"}) || got.IndexPermissions[0].MaskedFields[0].Algorithm != "SHA-512" {
		t.Errorf("stored role = %+v", got.IndexPermissions[0])
	}
}

func TestEnsureRoleRefusesBuiltInsBeforeWriting(t *testing.T) {
	e := newEnv(t)
	sec := opensearch.NewSecurity(e.admin)
	for _, tc := range []struct {
		name string
		want error
	}{
		{"all_access", opensearch.ErrStatic},         // static_roles.yml
		{"security_manager", opensearch.ErrReserved}, // reserved
		{"security_rest_api_access", opensearch.ErrHidden},
	} {
		r := opensearch.Role{Name: tc.name, ClusterPermissions: []string{"cluster_monitor"}}
		_, err := sec.EnsureRole(context.Background(), r)
		if !errors.Is(err, tc.want) {
			t.Errorf("EnsureRole(%s) = %v; want %v", tc.name, err, tc.want)
		}
		var apiErr *opensearch.APIError
		if !errors.As(err, &apiErr) {
			t.Errorf("EnsureRole(%s): %T is not an *APIError", tc.name, err)
		}
	}
	if n := e.f.Count(opensearchtest.OpPutSecurity); n != 0 {
		t.Errorf("%d PUTs sent for refused roles", n)
	}
}

// The plugin's own refusal (not the helper's) decodes to the same typed errors.
func TestAPIErrorsFromThePlugin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	put := func(path, body string) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := e.admin.Perform(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode < 300 {
			return nil
		}
		return opensearch.ParseAPIErrorForTest(http.MethodPut, path, resp.StatusCode, b)
	}
	err := put("/_plugins/_security/api/roles/security_manager", `{"cluster_permissions":["*"]}`)
	if !errors.Is(err, opensearch.ErrReserved) || errors.Is(err, opensearch.ErrStatic) {
		t.Errorf("PUT reserved role: %v", err)
	}
	err = put("/_plugins/_security/api/roles/all_access", `{"cluster_permissions":["*"]}`)
	if !errors.Is(err, opensearch.ErrStatic) {
		t.Errorf("PUT static role: %v", err)
	}
	err = put("/_plugins/_security/api/roles/security_rest_api_access", `{}`)
	if !errors.Is(err, opensearch.ErrHidden) || errors.Is(err, opensearch.ErrNotFound) {
		t.Errorf("PUT hidden role: %v", err)
	}
	// Sending back what GET returned: the flags are invalid keys.
	err = put("/_plugins/_security/api/roles/copy", `{"cluster_permissions":[],"reserved":false,"hidden":false,"static":false}`)
	var apiErr *opensearch.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || !slices.Equal(apiErr.InvalidKeys, []string{"hidden", "reserved", "static"}) || apiErr.Reason != "Invalid configuration" {
		t.Errorf("PUT with flags: %#v", err)
	}
	_, err = opensearch.NewSecurity(e.admin).GetRole(ctx, "nobody")
	if !errors.Is(err, opensearch.ErrNotFound) || !strings.Contains(err.Error(), "role 'nobody' not found.") {
		t.Errorf("GetRole(missing) = %v", err)
	}
}

func TestMapRoleConcurrentWritersBothEndMapped(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := opensearch.NewSecurity(e.admin, e.secOpt)
	if _, err := sec.EnsureRole(ctx, analystRole()); err != nil {
		t.Fatal(err)
	}
	// An existing mapping with a user someone else added.
	if _, err := sec.MapRole(ctx, "analyst", opensearch.RoleMapping{Users: []string{"carol"}}); err != nil {
		t.Fatal(err)
	}
	teamA := "arn:aws:iam::123456789012:role/team-a"
	teamB := "arn:aws:iam::123456789012:role/team-b"
	// Interleave: when writer A's PATCH arrives (after A read the mapping), writer B runs
	// entirely first, so A's test operation sees a changed array.
	var bErr error
	e.f.Control(opensearchtest.OpPatchSecurity, func(any) (any, error, bool) {
		_, bErr = opensearch.NewSecurity(e.admin, e.secOpt).MapRole(ctx, "analyst", opensearch.RoleMapping{BackendRoles: []string{teamB}})
		return nil, nil, false
	})
	c, err := sec.MapRole(ctx, "analyst", opensearch.RoleMapping{BackendRoles: []string{teamA}})
	if err != nil || bErr != nil {
		t.Fatalf("MapRole A = %v, %v; B = %v", c, err, bErr)
	}
	if c.Action != datablocks.Updated || !slices.Equal(c.Changed, []string{"backend_roles"}) {
		t.Errorf("MapRole A change = %v", c)
	}
	m, err := sec.GetRoleMapping(ctx, "analyst")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(m.BackendRoles)
	if !slices.Equal(m.BackendRoles, []string{teamA, teamB}) || !slices.Equal(m.Users, []string{"carol"}) {
		t.Fatalf("mapping = %+v; want both teams and carol", m)
	}
	// A's first patch failed its test (B's won), then A read again and patched: 3 patches
	// (A refused, B, A) and a retry sleep on the retry clock.
	if n := e.f.Count(opensearchtest.OpPatchSecurity); n != 3 {
		t.Errorf("%d PATCH calls; want 3", n)
	}
	if len(e.clock.Sleeps()) != 1 {
		t.Errorf("retry sleeps = %v; want one", e.clock.Sleeps())
	}

	// UnmapRole removes only its own entry, never with DELETE.
	c, err = sec.UnmapRole(ctx, "analyst", opensearch.RoleMapping{BackendRoles: []string{teamA}})
	if err != nil || c.Action != datablocks.Updated {
		t.Fatalf("UnmapRole = %v, %v", c, err)
	}
	m, _ = sec.GetRoleMapping(ctx, "analyst")
	if !slices.Equal(m.BackendRoles, []string{teamB}) || !slices.Equal(m.Users, []string{"carol"}) {
		t.Errorf("after UnmapRole: %+v", m)
	}
	// Removing every entry leaves an empty mapping: the helper did not create it.
	for _, mm := range []opensearch.RoleMapping{{BackendRoles: []string{teamB}}, {Users: []string{"carol"}}} {
		if _, err := sec.UnmapRole(ctx, "analyst", mm); err != nil {
			t.Fatal(err)
		}
	}
	c, err = sec.UnmapRole(ctx, "analyst", opensearch.RoleMapping{BackendRoles: []string{teamB}})
	if err != nil || c.Action != datablocks.Unchanged {
		t.Errorf("UnmapRole of an absent entry = %v, %v; want unchanged", c, err)
	}
	if _, err := sec.GetRoleMapping(ctx, "analyst"); err != nil {
		t.Errorf("the emptied mapping is gone: %v", err)
	}
	if n := e.f.Count(opensearchtest.OpDeleteSecurity); n != 0 {
		t.Errorf("%d DELETE calls; want none", n)
	}
}

func TestMapRoleOnAllAccessKeepsTheMasterUser(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := opensearch.NewSecurity(e.admin, e.secOpt)
	ops := "arn:aws:iam::123456789012:role/ops"
	if _, err := sec.MapRole(ctx, "all_access", opensearch.RoleMapping{BackendRoles: []string{ops}}); err != nil {
		t.Fatal(err)
	}
	if _, err := sec.UnmapRole(ctx, "all_access", opensearch.RoleMapping{BackendRoles: []string{ops}}); err != nil {
		t.Fatal(err)
	}
	m, err := sec.GetRoleMapping(ctx, "all_access")
	if err != nil || !slices.Equal(m.BackendRoles, []string{masterUserARN}) {
		t.Errorf("all_access mapping = %+v, %v; want the master user only", m, err)
	}
}

// A mapped analyst's search returns only the documents the DLS query allows, without the
// FLS-excluded field, with masked values equal to the plugin's algorithms.
func TestAnalystSearchEnforcesDLSFLSAndMasking(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := opensearch.NewSecurity(e.admin, e.secOpt)
	if _, err := sec.EnsureRole(ctx, analystRole()); err != nil {
		t.Fatal(err)
	}
	if _, err := sec.MapRole(ctx, "analyst", opensearch.RoleMapping{BackendRoles: []string{analystARN}}); err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{
		"1": `{"name":"Ana","region":"eu","ssn":"111-22-3333","email":"ana@example.com","ip_source":"100.100.1.1","age":41}`,
		"2": `{"name":"Bob","region":"us","ssn":"222-33-4444","email":"bob@example.com","ip_source":"100.100.2.2","age":35}`,
		"3": `{"name":"Eve","region":"eu","ssn":"333-44-5555","email":"eve@example.com","ip_source":"200.100.1.1","age":29}`,
	}
	for id, src := range docs {
		if status := do(t, e.admin, http.MethodPut, "/customers/_doc/"+id, src, nil); status != http.StatusCreated {
			t.Fatalf("index %s: %d", id, status)
		}
	}
	var res searchResult
	if status := do(t, e.as(t, analystARN), http.MethodPost, "/customers/_search", `{"query":{"match_all":{}}}`, &res); status != 200 {
		t.Fatalf("analyst search: %d", status)
	}
	if res.Hits.Total.Value != 2 || len(res.Hits.Hits) != 2 {
		t.Fatalf("analyst sees %d documents; want the 2 EU ones", res.Hits.Total.Value)
	}
	// Expected masks: SHA-512 by the standard library; BLAKE2b by the security plugin's own
	// test vectors (FieldMaskedTest, default salt e1ukloTsQlOgPquJ).
	pluginBlake := map[string]string{
		"100.100.1.1": "0e3f99018654fda6757601e88d4317f1649efae79126eb62c3f8c15105ba47ac",
		"200.100.1.1": "4805f3596e68104d71b922124a61c701798180d5511a21586d9d8d58a1fc593f",
	}
	for _, h := range res.Hits.Hits {
		var orig map[string]any
		_ = json.Unmarshal([]byte(docs[h.ID]), &orig)
		if orig["region"] != "eu" {
			t.Errorf("DLS let %s through", h.ID)
		}
		if _, ok := h.Source["ssn"]; ok {
			t.Errorf("FLS left ssn in %s", h.ID)
		}
		sum := sha512.Sum512([]byte(orig["email"].(string)))
		if h.Source["email"] != hex.EncodeToString(sum[:]) {
			t.Errorf("email of %s = %v; want SHA-512 of the original", h.ID, h.Source["email"])
		}
		if h.Source["ip_source"] != pluginBlake[orig["ip_source"].(string)] {
			t.Errorf("ip_source of %s = %v; want the plugin's BLAKE2b", h.ID, h.Source["ip_source"])
		}
		if h.Source["name"] != orig["name"] || h.Source["age"] != orig["age"] {
			t.Errorf("unmasked fields changed in %s: %v", h.ID, h.Source)
		}
	}
	// The admin sees everything in clear.
	res = searchResult{}
	do(t, e.admin, http.MethodPost, "/customers/_search", `{"query":{"term":{"region":"us"}}}`, &res)
	if len(res.Hits.Hits) != 1 || res.Hits.Hits[0].Source["ssn"] != "222-33-4444" || res.Hits.Hits[0].Source["email"] != "bob@example.com" {
		t.Errorf("admin search = %+v", res.Hits.Hits)
	}
	// DLS hides documents from get as well.
	if status := do(t, e.as(t, analystARN), http.MethodGet, "/customers/_doc/2", "", nil); status != http.StatusNotFound {
		t.Errorf("analyst get of a US document: %d; want 404", status)
	}
	// An unmapped caller gets the plugin's 403.
	var errBody map[string]any
	status := do(t, e.as(t, "arn:aws:iam::123456789012:role/stranger"), http.MethodPost, "/customers/_search", `{}`, &errBody)
	reason, _ := errBody["error"].(map[string]any)["reason"].(string)
	if status != 403 || !strings.HasPrefix(reason, "no permissions for [indices:data/read/search] and User [name=arn:aws:iam::123456789012:role/stranger, backend_roles=[arn:aws:iam::123456789012:role/stranger]") {
		t.Errorf("stranger search: %d %q", status, reason)
	}
}

type searchResult struct {
	Hits struct {
		Total struct {
			Value int `json:"value"`
		} `json:"total"`
		Hits []struct {
			ID     string         `json:"_id"`
			Source map[string]any `json:"_source"`
		} `json:"hits"`
	} `json:"hits"`
}

func do(t testing.TB, tr opensearch.Transport, method, path, body string, out any) int {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := tr.Perform(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func TestInternalUserPasswordNeverPrints(t *testing.T) {
	u := opensearch.InternalUser{Name: "bi", Password: "s3cret-Passw0rd!", BackendRoles: []string{"bi"}}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("user", "u", u, "p", u.Password)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("user", "u", u, "p", u.Password)
	for _, s := range []string{fmt.Sprint(u), fmt.Sprintf("%+v", u), fmt.Sprintf("%#v", u), fmt.Sprintf("%#v", &u), u.Password.String(), u.Password.GoString(), text.String(), js.String()} {
		if strings.Contains(s, "s3cret") {
			t.Errorf("password printed: %s", s)
		}
	}
	b, _ := json.Marshal(u)
	if strings.Contains(string(b), "s3cret") {
		t.Errorf("password encoded: %s", b)
	}
	e := newEnv(t)
	ctx := context.Background()
	sec := opensearch.NewSecurity(e.admin)
	c, err := sec.EnsureUser(ctx, u)
	if err != nil || c.Action != datablocks.Created {
		t.Fatalf("EnsureUser = %v, %v", c, err)
	}
	u.Attributes = map[string]string{"region": "eu"}
	c, err = sec.EnsureUser(ctx, u)
	if err != nil || c.Action != datablocks.Updated || !slices.Equal(c.Changed, []string{"attributes"}) {
		t.Fatalf("EnsureUser update = %v, %v", c, err)
	}
	var got map[string]map[string]any
	do(t, e.admin, http.MethodGet, "/_plugins/_security/api/internalusers/bi", "", &got)
	if _, ok := got["bi"]["password"]; ok || strings.Contains(fmtAny(got), "s3cret") {
		t.Errorf("GET user echoes the password: %v", got)
	}
}

func fmtAny(v any) string { b, _ := json.Marshal(v); return string(b) }

// Two writers creating the same mapping at once: the later PUT replaces the earlier
// mapping, and the writer that did it says so.
func TestMapRoleReportsAConcurrentCreation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := opensearch.NewSecurity(e.admin, e.secOpt)
	if _, err := sec.EnsureRole(ctx, analystRole()); err != nil {
		t.Fatal(err)
	}
	var bChange datablocks.Change
	var bErr error
	e.f.Control(opensearchtest.OpPutSecurity, func(any) (any, error, bool) {
		bChange, bErr = opensearch.NewSecurity(e.admin).MapRole(ctx, "analyst", opensearch.RoleMapping{Users: []string{"bob"}})
		return nil, nil, false
	})
	c, err := sec.MapRole(ctx, "analyst", opensearch.RoleMapping{Users: []string{"ann"}})
	if !errors.Is(err, opensearch.ErrMappingRace) || !strings.Contains(err.Error(), `"analyst"`) || c.Action != datablocks.Updated {
		t.Fatalf("A = %v, %v; want ErrMappingRace", c, err)
	}
	if bErr != nil || bChange.Action != datablocks.Created {
		t.Fatalf("B = %v, %v", bChange, bErr)
	}
	m, _ := sec.GetRoleMapping(ctx, "analyst")
	if !slices.Equal(m.Users, []string{"ann"}) {
		t.Errorf("users = %v", m.Users)
	}
}

// An Open Distro domain's security plugin answers under /_opendistro: PluginPrefix reaches
// the same roles there.
func TestPluginPrefixOpenDistro(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	od := opensearch.NewSecurity(e.admin, e.secOpt, func(o *opensearch.Options) { o.PluginPrefix = "/_opendistro" })
	if c, err := od.EnsureRole(ctx, analystRole()); err != nil || c.Action != datablocks.Created {
		t.Fatalf("EnsureRole under /_opendistro = %v, %v; want created", c, err)
	}
	if _, err := opensearch.NewSecurity(e.admin, e.secOpt).GetRole(ctx, "analyst"); err != nil {
		t.Fatalf("GetRole under /_plugins: %v", err)
	}
}
