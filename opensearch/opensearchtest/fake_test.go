package opensearchtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Vectors: RFC 7693 / the BLAKE2 reference (unsalted BLAKE2b-256) and the security
// plugin's FieldMaskedTest (masked ip_source values with the default salt).
func TestMaskValueVectors(t *testing.T) {
	var zero [16]byte
	for in, want := range map[string]string{
		"":    "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
		"abc": "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
	} {
		got := blake2b256Salted([]byte(in), zero)
		if hex.EncodeToString(got[:]) != want {
			t.Errorf("BLAKE2b-256(%q) = %x; want %s", in, got, want)
		}
	}
	long := bytes.Repeat([]byte("x"), 300) // more than two blocks
	a, b := blake2b256Salted(long, zero), blake2b256Salted(long[:299], zero)
	if a == b {
		t.Error("multi-block inputs collide")
	}
	for in, want := range map[string]string{
		"100.100.1.1": "0e3f99018654fda6757601e88d4317f1649efae79126eb62c3f8c15105ba47ac",
		"100.100.2.2": "cf2061910587994e02f446d59d61d2dbabc5a3a8aea2fa05d08ffe2a12ee8bc8",
		"200.100.1.1": "4805f3596e68104d71b922124a61c701798180d5511a21586d9d8d58a1fc593f",
	} {
		if got, ok := maskString("ip_source", in, defaultSalt); !ok || got != want {
			t.Errorf("mask(%s) = %s; want the plugin's %s", in, got, want)
		}
	}
	sum := sha256.Sum256([]byte("a@b.c"))
	if got, _ := maskString("email::SHA-256", "a@b.c", defaultSalt); got != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA-256 mask = %s", got)
	}
	if got, _ := maskString("phone::/[0-9]{3}$/::XXX::/^\\+/::00", "+33123456789", defaultSalt); got != "0033123456XXX" {
		t.Errorf("regex mask = %s", got)
	}
	if _, ok := maskString("f::WHIRLPOOL", "x", defaultSalt); ok {
		t.Error("unknown algorithm accepted")
	}
}

// RFC 6902 appendix A examples, and the security plugin's mapping semantics.
func TestApplyPatch(t *testing.T) {
	cases := []struct {
		doc, patch, want string
		fail             bool
	}{
		{`{"foo":"bar"}`, `[{"op":"add","path":"/baz","value":"qux"}]`, `{"baz":"qux","foo":"bar"}`, false},
		{`{"foo":["bar","baz"]}`, `[{"op":"add","path":"/foo/1","value":"qux"}]`, `{"foo":["bar","qux","baz"]}`, false},
		{`{"baz":"qux","foo":"bar"}`, `[{"op":"remove","path":"/baz"}]`, `{"foo":"bar"}`, false},
		{`{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}`, `[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]`, `{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}`, false},
		{`{"baz":"qux","foo":["a",2,"c"]}`, `[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]`, `{"baz":"qux","foo":["a",2,"c"]}`, false},
		{`{"baz":"qux"}`, `[{"op":"test","path":"/baz","value":"bar"}]`, ``, true},
		{`{"foo":"bar"}`, `[{"op":"add","path":"/baz/bat","value":"qux"}]`, ``, true},
		{`{"foo":["bar"]}`, `[{"op":"add","path":"/foo/-","value":["abc","def"]}]`, `{"foo":["bar",["abc","def"]]}`, false},
		// add on an existing member replaces it: the mapping trap.
		{`{"backend_roles":["a","b"]}`, `[{"op":"add","path":"/backend_roles","value":["c"]}]`, `{"backend_roles":["c"]}`, false},
		{`{"backend_roles":["a"]}`, `[{"op":"test","path":"/backend_roles","value":["a"]},{"op":"add","path":"/backend_roles/-","value":"c"}]`, `{"backend_roles":["a","c"]}`, false},
		{`{"a":1}`, `[{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":2}]`, ``, true},
	}
	for _, c := range cases {
		var doc any
		var ops []patchOp
		_ = json.Unmarshal([]byte(c.doc), &doc)
		if err := json.Unmarshal([]byte(c.patch), &ops); err != nil {
			t.Fatal(err)
		}
		got, err := applyPatch(deepCopy(doc), ops)
		if c.fail {
			if err == nil {
				t.Errorf("%s on %s: no error", c.patch, c.doc)
			}
			continue
		}
		var want any
		_ = json.Unmarshal([]byte(c.want), &want)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s on %s = %v, %v; want %s", c.patch, c.doc, got, err, c.want)
		}
	}
}

type rawClient struct {
	t   *testing.T
	d   *Domain
	cfg aws.Config
	svc string
}

func (c rawClient) send(method, path, body string, mutate func(*http.Request)) (int, map[string]any) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.d.URL()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	h := hex.EncodeToString(sum[:])
	if c.svc == "aoss" {
		req.Header.Set("X-Amz-Content-Sha256", h)
	}
	creds, _ := c.cfg.Credentials.Retrieve(context.Background())
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, h, c.svc, c.cfg.Region, time.Now()); err != nil {
		c.t.Fatal(err)
	}
	if mutate != nil {
		mutate(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

func TestSigV4Verification(t *testing.T) {
	f := New()
	defer f.Close()
	d, _ := f.AddDomain(DomainSpec{Name: "logs"})
	coll, _ := f.AddCollection("vectors")
	ok := rawClient{t, d, f.Config(), "es"}
	if st, _ := ok.send("PUT", "/a/_doc/1", `{"x":1}`, nil); st != 201 {
		t.Fatalf("signed request: %d", st)
	}
	for name, tc := range map[string]struct {
		c      rawClient
		mutate func(*http.Request)
		msg    string
	}{
		"tampered body": {ok, func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader(`{"x":2}`)); r.ContentLength = 7 }, "signature we calculated does not match"},
		"unsigned":      {ok, func(r *http.Request) { r.Header.Del("Authorization") }, "Authorization header requires"},
		"wrong secret": {rawClient{t, d, aws.Config{Region: f.Config().Region, Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDOPENSEARCHMASTER", SecretAccessKey: "nope"}, nil
		})}, "es"}, nil, "signature we calculated does not match"},
		"aoss to a domain":    {rawClient{t, d, f.Config(), "aoss"}, nil, "Credential should be scoped to correct service: 'es'."},
		"es to a collection":  {rawClient{t, coll, f.Config(), "es"}, nil, "Credential should be scoped to correct service: 'aoss'."},
		"aoss without sha256": {rawClient{t, coll, f.Config(), "aoss"}, nil, ""},
	} {
		if name == "aoss without sha256" {
			// Sign without the header: Serverless requires it.
			req, _ := http.NewRequest("PUT", coll.URL()+"/a/_doc/1", strings.NewReader(`{}`))
			creds, _ := f.Config().Credentials.Retrieve(context.Background())
			sum := sha256.Sum256([]byte(`{}`))
			_ = v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "aoss", f.Config().Region, time.Now())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 403 || !strings.Contains(string(b), "x-amz-content-sha256") {
				t.Errorf("%s: %d %s", name, resp.StatusCode, b)
			}
			continue
		}
		st, body := tc.c.send("PUT", "/a/_doc/2", `{"x":1}`, tc.mutate)
		if st != 403 || !strings.Contains(body["message"].(string), tc.msg) {
			t.Errorf("%s: %d %v", name, st, body)
		}
	}
	// Serverless: no security or replication plugin.
	aoss := rawClient{t, coll, f.Config(), "aoss"}
	for _, p := range []string{"/_plugins/_security/api/roles", "/_plugins/_replication/a/_status"} {
		if st, _ := aoss.send("GET", p, "", nil); st != 404 {
			t.Errorf("GET %s on Serverless: %d; want 404", p, st)
		}
	}
}

func TestSecurityAPIStatusesAndPatch(t *testing.T) {
	f := New()
	defer f.Close()
	d, _ := f.AddDomain(DomainSpec{Name: "logs"})
	c := rawClient{t, d, f.Config(), "es"}
	check := func(st int, body map[string]any, wantSt int, key, want string) {
		t.Helper()
		got, _ := json.Marshal(body[key])
		if st != wantSt || !strings.Contains(string(got), want) {
			t.Errorf("got %d %v; want %d %s %q", st, body, wantSt, key, want)
		}
	}
	st, b := c.send("PUT", "/_plugins/_security/api/roles/r1", `{"cluster_permissions":["cluster_monitor"]}`, nil)
	check(st, b, 201, "message", "'r1' created.")
	st, b = c.send("PUT", "/_plugins/_security/api/roles/r1", `{"cluster_permissions":["cluster_monitor"]}`, nil)
	check(st, b, 200, "message", "'r1' updated.")
	st, b = c.send("PUT", "/_plugins/_security/api/roles/r1", `{"cluster_permissions":"x"}`, nil)
	check(st, b, 400, "cluster_permissions", "Array expected")
	st, b = c.send("PUT", "/_plugins/_security/api/roles/r1", `{"cluster_permissions":[null]}`, nil)
	check(st, b, 400, "reason", "`null` is not allowed as json array element")
	st, b = c.send("PUT", "/_plugins/_security/api/roles/r1", ``, nil)
	check(st, b, 400, "message", "Request body required for this action.")
	st, b = c.send("PUT", "/_plugins/_security/api/rolesmapping/nope", `{"users":["x"]}`, nil)
	check(st, b, 404, "message", "role 'nope' not found.")
	st, b = c.send("DELETE", "/_plugins/_security/api/roles/readall", ``, nil)
	check(st, b, 403, "message", "Resource 'readall' is static.")
	st, b = c.send("GET", "/_plugins/_security/api/roles/security_rest_api_access", ``, nil)
	check(st, b, 404, "message", "Resource 'security_rest_api_access' is not available.")
	st, b = c.send("PUT", "/_plugins/_security/api/internalusers/u1", `{"backend_roles":["x"]}`, nil)
	check(st, b, 400, "message", "Please specify either 'hash' or 'password'")
	st, b = c.send("PUT", "/_plugins/_security/api/actiongroups/g1", `{"type":"index"}`, nil)
	check(st, b, 400, "missing_mandatory_keys", "allowed_actions")

	// PATCH: a failed test applies nothing; the bulk form patches the collection.
	c.send("PUT", "/_plugins/_security/api/rolesmapping/r1", `{"backend_roles":["a"]}`, nil)
	st, b = c.send("PATCH", "/_plugins/_security/api/rolesmapping/r1", `[{"op":"add","path":"/users/-","value":"u"},{"op":"test","path":"/backend_roles","value":["z"]}]`, nil)
	check(st, b, 400, "message", "[TEST Operation] value mismatch")
	_, b = c.send("GET", "/_plugins/_security/api/rolesmapping/r1", ``, nil)
	if users := b["r1"].(map[string]any)["users"]; users != nil && len(users.([]any)) != 0 {
		t.Errorf("a failed patch was applied: %v", b)
	}
	st, b = c.send("PATCH", "/_plugins/_security/api/rolesmapping", `[{"op":"add","path":"/r1/backend_roles/-","value":"b"}]`, nil)
	check(st, b, 200, "message", "Resource updated.")
	st, b = c.send("PATCH", "/_plugins/_security/api/roles", `[{"op":"remove","path":"/all_access"}]`, nil)
	check(st, b, 403, "message", "Resource 'all_access' is static.")
	_, b = c.send("GET", "/_plugins/_security/api/rolesmapping/r1", ``, nil)
	if got := b["r1"].(map[string]any)["backend_roles"]; !reflect.DeepEqual(got, []any{"a", "b"}) {
		t.Errorf("backend_roles = %v", got)
	}
	// Non-admins may not use the API.
	cfg, _ := f.ConfigFor("arn:aws:iam::123456789012:role/dev")
	st, _ = rawClient{t, d, cfg, "es"}.send("GET", "/_plugins/_security/api/roles", ``, nil)
	if st != 403 {
		t.Errorf("non-admin GET roles: %d", st)
	}
	// Basic authentication of an internal user, who is then mapped by backend role.
	if err := d.AddInternalUser("bi", "Str0ng!pass", "bi-team"); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", d.URL()+"/a/_search", nil)
	req.SetBasicAuth("bi", "wrong")
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("wrong password: %d", resp.StatusCode)
	}
}

func TestFakeClockStallReportedOnBootstrappingReplication(t *testing.T) {
	f := New()
	defer f.Close()
	ctx := context.Background()
	leader, _ := f.AddDomain(DomainSpec{Name: "leader"})
	follower, _ := f.AddDomain(DomainSpec{Name: "follower"})
	rawClient{t, leader, f.Config(), "es"}.send("PUT", "/idx/_doc/1", `{"a":1}`, nil)
	out, err := f.CreateOutboundConnection(ctx, createInput("ab", "follower", "leader"))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.(interface{ Advance(time.Duration) }).Advance(connectionStepTime)
	if _, err := f.AcceptInboundConnection(ctx, acceptInput(*out.ConnectionId)); err != nil {
		t.Fatal(err)
	}
	f.clock.(interface{ Advance(time.Duration) }).Advance(2 * connectionStepTime)
	fc := rawClient{t, follower, f.Config(), "es"}
	if st, b := fc.send("PUT", "/_plugins/_replication/idx/_start", `{"leader_alias":"ab","leader_index":"idx","use_roles":{"leader_cluster_role":"a","follower_cluster_role":"b"}}`, nil); st != 200 {
		t.Fatalf("start: %d %v", st, b)
	}
	var last map[string]any
	for range 4 {
		_, last = fc.send("GET", "/_plugins/_replication/idx/_status", ``, nil)
	}
	if !strings.Contains(last["error"].(map[string]any)["reason"].(string), "FakeClockStalled") && !strings.Contains(last["error"].(map[string]any)["reason"].(string), "waiting for the fake's clock") {
		t.Errorf("stalled status reads not reported: %v", last)
	}
}

func TestDataPlaneThrottleAndFailure(t *testing.T) {
	f := New()
	defer f.Close()
	d, _ := f.AddDomain(DomainSpec{Name: "logs"})
	c := rawClient{t, d, f.Config(), "es"}
	f.ThrottleNext(OpSearch, 1)
	if st, _ := c.send("POST", "/a/_search", `{}`, nil); st != http.StatusTooManyRequests {
		t.Errorf("throttled search: %d; want 429", st)
	}
	f.FailNext(OpSearch, io.ErrUnexpectedEOF)
	if st, _ := c.send("POST", "/a/_search", `{}`, nil); st != http.StatusInternalServerError {
		t.Errorf("failed search: %d; want 500", st)
	}
	if st, _ := c.send("POST", "/a/_search", `{}`, nil); st != http.StatusNotFound {
		t.Errorf("search of a missing index: %d; want 404", st)
	}
	if n := f.Count(OpSearch); n != 3 {
		t.Errorf("Count(OpSearch) = %d; want 3", n)
	}
}
