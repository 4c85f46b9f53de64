package opensearchtest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"

	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/fakecontrol"
)

// maxBody bounds a request body the data plane reads (AWS's limit for the largest
// instance types is 100 MiB; the fake keeps 10 MiB).
const maxBody = 10 << 20

// Request is a data-plane call as control functions see it (their input for the data-plane
// Op constants).
type Request struct {
	// Domain is the domain's name.
	Domain string
	// Method, Path and Body are the HTTP request's.
	Method, Path string
	Body         []byte
	// Caller is the caller's user name: an IAM principal ARN or an internal user.
	Caller string
}

// Response is what a data-plane call answers; control functions may return one as their
// output (a nil output with a nil error answers 200 {}).
type Response struct {
	Status int
	Body   any
}

// Domain is the data plane of one domain or Serverless collection: an HTTP server on
// 127.0.0.1 serving the security plugin's REST API, a document store and the replication
// plugin.
type Domain struct {
	f          *Fake
	spec       DomainSpec
	serverless bool
	srv        *httptest.Server

	mu        sync.Mutex
	sec       *securityStore
	indexes   map[string]*index
	repl      map[string]*replication // follower index -> replication
	autofollw map[string]*autoFollowRule
}

func newDomain(f *Fake, spec DomainSpec, serverless bool) *Domain {
	d := &Domain{f: f, spec: spec, serverless: serverless, indexes: map[string]*index{}, repl: map[string]*replication{}, autofollw: map[string]*autoFollowRule{}}
	d.sec = newSecurityStore(f.opts.MasterUserARN)
	return d
}

// Name returns the domain's name.
func (d *Domain) Name() string { return d.spec.Name }

// URL returns the data-plane endpoint, http://127.0.0.1:port.
func (d *Domain) URL() string { return d.srv.URL }

// Close stops the domain's server.
func (d *Domain) Close() { d.srv.Close() }

func (d *Domain) signingName() string {
	if d.serverless {
		return "aoss"
	}
	return "es"
}

// AddInternalUser adds an internal user (basic authentication) with backend roles, as an
// administrator would; its password is kept hashed.
func (d *Domain) AddInternalUser(name, password string, backendRoles ...string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	doc := map[string]any{"password": password, "backend_roles": toAny(backendRoles)}
	_, status, body := d.sec.put("internalusers", name, doc, true)
	if status >= 300 {
		return fmt.Errorf("opensearchtest: adding user %q: %v", name, body)
	}
	return nil
}

// caller is an authenticated caller with its resolved security roles.
type caller struct {
	name         string
	backendRoles []string
	roles        []string
	attrs        map[string]string
}

func (c *caller) has(role string) bool { return slices.Contains(c.roles, role) }

func (c *caller) String() string {
	return fmt.Sprintf("User [name=%s, backend_roles=[%s], requestedTenant=null]", c.name, strings.Join(c.backendRoles, ", "))
}

// ServeHTTP authenticates the caller (SigV4 with the domain's signing name, or basic
// authentication of an internal user on a domain) and routes the request.
func (d *Domain) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"Message": "Request size exceeded"})
		return
	}
	var who *caller
	if user, pass, ok := r.BasicAuth(); ok && r.Header.Get("Authorization") != "" && !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-") {
		if d.serverless {
			writeJSON(w, http.StatusForbidden, map[string]any{"message": "Authorization header requires 'Credential' parameter."})
			return
		}
		d.mu.Lock()
		who = d.sec.basicAuth(user, pass)
		d.mu.Unlock()
		if who == nil {
			w.Header().Set("WWW-Authenticate", `Basic realm="OpenSearch Security"`)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, "Unauthorized")
			return
		}
	} else {
		principal, msg := d.verifySigV4(r, body)
		if msg != "" {
			writeJSON(w, http.StatusForbidden, map[string]any{"message": msg})
			return
		}
		d.mu.Lock()
		who = d.sec.iamCaller(principal)
		d.mu.Unlock()
	}
	op, handler := d.route(r.Method, r.URL.Path)
	if handler == nil {
		writeJSON(w, http.StatusNotFound, osError(http.StatusNotFound, "resource_not_found_exception", "no handler found for uri ["+r.URL.Path+"] and method ["+r.Method+"]"))
		return
	}
	req := &Request{Domain: d.spec.Name, Method: r.Method, Path: r.URL.Path, Body: body, Caller: who.name}
	if r.URL.RawQuery != "" {
		req.Path += "?" + r.URL.RawQuery
	}
	resp, err := fakecontrol.Do(d.f.Controls, op, req, func(req *Request) (*Response, error) {
		status, out := handler(who, r, body)
		return &Response{Status: status, Body: out}, nil
	})
	if err != nil {
		// ThrottleNext: the data plane answers throttling with 429, other injected errors 500.
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "ThrottlingException" {
			writeJSON(w, http.StatusTooManyRequests, osError(http.StatusTooManyRequests, "too_many_requests", "429 Too Many Requests "+r.URL.Path))
			return
		}
		writeJSON(w, http.StatusInternalServerError, osError(http.StatusInternalServerError, "exception", err.Error()))
		return
	}
	if resp.Status == 0 {
		resp.Status = http.StatusOK
	}
	if resp.Body == nil {
		resp.Body = map[string]any{}
	}
	writeJSON(w, resp.Status, resp.Body)
}

type handlerFunc func(who *caller, r *http.Request, body []byte) (int, any)

// route finds the operation for a request; nil when no handler exists. A Serverless
// collection has neither the security nor the replication plugin, so their paths are 404.
func (d *Domain) route(method, path string) (string, handlerFunc) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) >= 2 && (segs[0] == "_plugins" || segs[0] == "_opendistro") {
		if d.serverless {
			return "", nil
		}
		switch segs[1] {
		case "_security":
			if len(segs) < 4 || segs[2] != "api" || len(segs) > 5 {
				return "", nil
			}
			kind := segs[3]
			if !slices.Contains(securityKinds, kind) {
				return "", nil
			}
			name := ""
			if len(segs) == 5 {
				name = segs[4]
			}
			switch method {
			case http.MethodGet:
				return OpGetSecurity, func(who *caller, _ *http.Request, _ []byte) (int, any) { return d.securityGet(who, kind, name) }
			case http.MethodPut:
				if name == "" {
					return "", nil
				}
				return OpPutSecurity, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.securityPut(who, kind, name, b) }
			case http.MethodPatch:
				return OpPatchSecurity, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.securityPatch(who, kind, name, b) }
			case http.MethodDelete:
				if name == "" {
					return "", nil
				}
				return OpDeleteSecurity, func(who *caller, _ *http.Request, _ []byte) (int, any) { return d.securityDelete(who, kind, name) }
			}
		case "_replication":
			return d.routeReplication(method, segs[2:])
		}
		return "", nil
	}
	if len(segs) == 0 || segs[0] == "" || strings.HasPrefix(segs[0], "_") {
		return "", nil
	}
	idx := segs[0]
	switch {
	case len(segs) == 1 && method == http.MethodPut:
		return OpCreateIndex, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.createIndex(who, idx, b) }
	case len(segs) == 2 && segs[1] == "_search" && (method == http.MethodGet || method == http.MethodPost):
		return OpSearch, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.search(who, idx, b) }
	case len(segs) == 2 && segs[1] == "_doc" && method == http.MethodPost:
		return OpIndexDocument, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.indexDoc(who, idx, "", b) }
	case len(segs) == 3 && segs[1] == "_doc" && (method == http.MethodPut || method == http.MethodPost):
		return OpIndexDocument, func(who *caller, _ *http.Request, b []byte) (int, any) { return d.indexDoc(who, idx, segs[2], b) }
	case len(segs) == 3 && segs[1] == "_doc" && method == http.MethodGet:
		return OpGetDocument, func(who *caller, _ *http.Request, _ []byte) (int, any) { return d.getDoc(who, idx, segs[2]) }
	}
	return "", nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// osError is OpenSearch's error body.
func osError(status int, typ, reason string) map[string]any {
	e := map[string]any{"type": typ, "reason": reason}
	return map[string]any{"error": map[string]any{"root_cause": []any{e}, "type": typ, "reason": reason}, "status": status}
}

// forbidden is the security plugin's answer to a caller without the privilege for action.
func forbidden(action string, who *caller) (int, any) {
	return http.StatusForbidden, osError(http.StatusForbidden, "security_exception", "no permissions for ["+action+"] and "+who.String())
}

// indexNotFound is OpenSearch's answer about an index that does not exist.
func indexNotFound(name string) (int, any) {
	return http.StatusNotFound, osError(http.StatusNotFound, "index_not_found_exception", "no such index ["+name+"]")
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// hashPassword stands in for the plugin's bcrypt: a salted SHA-256, never answered.
func hashPassword(name, password string) string {
	sum := sha256.Sum256([]byte("opensearchtest:" + name + ":" + password))
	return "$fake$" + hex.EncodeToString(sum[:])
}

func passwordMatches(hash, name, password string) bool {
	return subtle.ConstantTimeCompare([]byte(hash), []byte(hashPassword(name, password))) == 1
}
