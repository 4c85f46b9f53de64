package awsfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Default test credentials and region that the server accepts.
const (
	// AccessKeyID is the access key ID accepted by default.
	AccessKeyID = "AKIDDATABLOCKSTEST"
	// SecretAccessKey is the secret of AccessKeyID.
	SecretAccessKey = "datablocks-test-secret"
	// SessionToken is the session token that Server.Config sends.
	SessionToken = "datablocks-test-session"
	// Region is the server's default region.
	Region = "eu-west-1"
)

// DefaultAWSQueryNamespace is the xmlns of awsQuery responses unless
// Options.AWSQueryNamespace is set.
const DefaultAWSQueryNamespace = "https://example.amazonaws.com/doc/"

// ec2APIVersion is the Version every ec2Query request carries.
const ec2APIVersion = "2016-11-15"

// Protocol is an AWS wire protocol.
type Protocol int

// The wire protocols the server speaks.
const (
	AWSJSON  Protocol = iota + 1 // awsJson1_0 and awsJson1_1: POST /, X-Amz-Target: Prefix.Op
	RESTJSON                     // restJson1: method + path pattern
	EC2Query                     // ec2Query: form Action=..., XML replies, <Response><Errors> errors
	AWSQuery                     // awsQuery: form Action=..., XML replies, <ErrorResponse> errors
)

// String returns the protocol's Smithy name.
func (p Protocol) String() string {
	switch p {
	case AWSJSON:
		return "awsJson"
	case RESTJSON:
		return "restJson1"
	case EC2Query:
		return "ec2Query"
	case AWSQuery:
		return "awsQuery"
	}
	return fmt.Sprintf("Protocol(%d)", int(p))
}

// Request is one request the server received (verified or not).
type Request struct {
	Op         string            // operation name: X-Amz-Target suffix, registered REST op name, or form Action
	Protocol   Protocol          // protocol the request was routed by
	Method     string            // HTTP method
	Path       string            // escaped path as sent (r.URL.EscapedPath())
	PathParams map[string]string // decoded values of {name} segments for REST routes
	Query      url.Values        // parsed query string
	Header     http.Header       // request headers (Host is in r.Host, not here)
	Body       []byte            // raw request body
	Form       url.Values        // for query protocols (parsed body)
	Verified   bool              // SigV4 signature verified
	Err        error             // the *Error the server replied with, if any (verification or handler)
}

// JSON decodes the body into v (json.Unmarshal); errors if the body is not JSON.
func (r *Request) JSON(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("awsfake: %s body: %w", r.Op, err)
	}
	return nil
}

// Map returns the body decoded as map[string]any (nil map for an empty or
// non-JSON-object body).
func (r *Request) Map() map[string]any {
	var m map[string]any
	if json.Unmarshal(r.Body, &m) != nil {
		return nil
	}
	return m
}

// Handler answers one operation. The returned value is encoded as the response body:
//   - JSON protocols: json.RawMessage / []byte / string are written as-is; anything else json.Marshal'ed; nil -> "{}".
//   - Query protocols: string/[]byte is the inner XML; the server wraps it:
//     EC2Query: <{Op}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>ID</requestId>{inner}</{Op}Response>
//     AWSQuery: <{Op}Response xmlns="{ns}"><{Op}Result>{inner}</{Op}Result><ResponseMetadata><RequestId>ID</RequestId></ResponseMetadata></{Op}Response>
//     any other value is xml.Marshal'ed and used as the inner XML.
//
// Returning an error: *Error (possibly wrapped) is encoded as that AWS error;
// any other error, or a panic, becomes a 500 InternalFailure.
//
// Handlers run on the server's goroutines, possibly concurrently: use
// t.Error, not t.Fatal, and guard shared state.
type Handler func(r *Request) (any, error)

// Options configure a Server.
type Options struct {
	// Region is the region the credential scope must name. Zero means Region.
	Region string
	// Credentials maps each accepted access key ID to its secret. Nil means
	// {AccessKeyID: SecretAccessKey}.
	Credentials map[string]string
	// Now is the server's clock for the ±15 min X-Amz-Date skew check. Nil
	// means time.Now.
	Now func() time.Time
	// AWSQueryNamespace is the xmlns of awsQuery responses. Zero means
	// DefaultAWSQueryNamespace.
	AWSQueryNamespace string
}

// Server is a fake AWS endpoint. Register handlers with the Handle methods,
// point SDK clients at it with Config, and inspect Requests afterwards. It is
// safe for concurrent use.
//
// Signature rejections follow AWS, by protocol (JSON = awsJson and restJson1):
//
//	failure               JSON                                     awsQuery                       ec2Query
//	no/bad Authorization  MissingAuthenticationTokenException 403  MissingAuthenticationToken 403 MissingAuthenticationToken 403
//	unknown access key    UnrecognizedClientException 403          InvalidClientTokenId 403       AuthFailure 401
//	bad signature/region  InvalidSignatureException 403            SignatureDoesNotMatch 403      AuthFailure 401
//	date skew > 15 min    InvalidSignatureException 403            SignatureDoesNotMatch 403      RequestExpired 400
type Server struct {
	srv     *httptest.Server
	client  *http.Client // srv's client, request bodies guarded (GuardRequestBodies)
	region  string
	creds   map[string]string
	now     func() time.Time
	queryNS string

	mu     sync.Mutex
	json   map[string]Handler // by full X-Amz-Target
	ec2    map[string]Handler // by Action
	query  map[string]Handler // by Action
	rest   []restRoute
	reqs   []Request
	nextID uint64
}

// New starts a server on 127.0.0.1 and registers t.Cleanup(s.Close).
func New(t testing.TB, optFns ...func(*Options)) *Server {
	t.Helper()
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	s := &Server{
		region:  o.Region,
		creds:   map[string]string{AccessKeyID: SecretAccessKey},
		now:     o.Now,
		queryNS: o.AWSQueryNamespace,
		json:    map[string]Handler{},
		ec2:     map[string]Handler{},
		query:   map[string]Handler{},
	}
	if s.region == "" {
		s.region = Region
	}
	if o.Credentials != nil {
		s.creds = make(map[string]string, len(o.Credentials))
		for k, v := range o.Credentials {
			s.creds[k] = v
		}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.queryNS == "" {
		s.queryNS = DefaultAWSQueryNamespace
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.client = &http.Client{Transport: GuardRequestBodies(s.srv.Client().Transport)}
	t.Cleanup(s.Close)
	return s
}

// URL returns the server's base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.srv.URL }

// Close shuts the server down, waiting for outstanding requests. It is safe
// to call more than once.
func (s *Server) Close() { s.srv.Close() }

// Config returns an aws.Config for the server: Region, static credentials
// (AccessKeyID, SecretAccessKey, SessionToken), RetryMaxAttempts 1,
// BaseEndpoint set to the server URL, and HTTPClient the server's client with
// request bodies guarded by GuardRequestBodies. So emr.NewFromConfig(s.Config())
// talks to the fake.
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:           s.region,
		Credentials:      credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, SessionToken),
		RetryMaxAttempts: 1,
		BaseEndpoint:     aws.String(s.srv.URL),
		HTTPClient:       s.client,
	}
}

// HandleJSON registers h for the awsJson operation with the full X-Amz-Target
// target, e.g. "ElasticMapReduce.AddJobFlowSteps", replacing any earlier one.
func (s *Server) HandleJSON(target string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.json[target] = h
}

// HandleREST registers h as the restJson1 operation op, matched by method and
// a path pattern like "/v1/clusters/{clusterArn}/bootstrap-brokers". A
// "{name}" segment matches one non-empty path segment and a final "{name+}"
// the rest of the path; their decoded values are in Request.PathParams. Any
// query part of pattern is ignored. When several routes match, the one with
// the most literal segments wins. Registering op again replaces its route.
// HandleREST panics on a pattern that does not start with "/" or has a
// greedy label before the end.
func (s *Server) HandleREST(op, method, pattern string, h Handler) {
	rt := restRoute{op: op, method: method, h: h}
	pattern, _, _ = strings.Cut(pattern, "?")
	if !strings.HasPrefix(pattern, "/") {
		panic(fmt.Sprintf("awsfake: HandleREST %s: pattern %q must start with /", op, pattern))
	}
	rt.segs = strings.Split(pattern, "/")[1:]
	for i, seg := range rt.segs {
		if strings.HasSuffix(seg, "+}") && i != len(rt.segs)-1 {
			panic(fmt.Sprintf("awsfake: HandleREST %s: greedy label %s must be last in %q", op, seg, pattern))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.rest {
		if s.rest[i].op == op {
			s.rest[i] = rt
			return
		}
	}
	s.rest = append(s.rest, rt)
}

// HandleEC2Query registers h for the ec2Query Action action, replacing any
// earlier one.
func (s *Server) HandleEC2Query(action string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ec2[action] = h
}

// HandleAWSQuery registers h for the awsQuery Action action, replacing any
// earlier one.
func (s *Server) HandleAWSQuery(action string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.query[action] = h
}

// Requests returns a copy of every request received, in the order they were
// answered (for sequential calls, the order they were sent). A request is
// recorded once its reply is ready, before the reply is written.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Ops returns the received requests whose Op is op, in the order of Requests.
func (s *Server) Ops(op string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Op == op {
			out = append(out, r)
		}
	}
	return out
}

type restRoute struct {
	op, method string
	segs       []string // pattern segments after the leading "/"
	h          Handler
}

// match reports whether path (escaped, split after the leading "/") matches
// the route, returning the decoded labels and the count of literal segments.
func (rt *restRoute) match(path []string) (params map[string]string, literals int, ok bool) {
	params = map[string]string{}
	for i, seg := range rt.segs {
		if i >= len(path) {
			return nil, 0, false
		}
		name, isLabel := strings.CutPrefix(seg, "{")
		if !isLabel {
			if unescape(path[i]) != seg {
				return nil, 0, false
			}
			literals++
			continue
		}
		name = strings.TrimSuffix(name, "}")
		value := path[i]
		if greedy, ok := strings.CutSuffix(name, "+"); ok {
			name, value, path = greedy, strings.Join(path[i:], "/"), path[:i+1]
		}
		v, err := url.PathUnescape(value)
		if value == "" || err != nil {
			return nil, 0, false
		}
		params[name] = v
	}
	return params, literals, len(path) == len(rt.segs)
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// route classifies r, fills req.Protocol, Op, PathParams and Form, and
// returns the handler, or a nil handler and the unknown-operation error.
func (s *Server) route(r *http.Request, req *Request) (Handler, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		req.Protocol = AWSJSON
		req.Op = target[strings.LastIndex(target, ".")+1:]
		if h := s.json[target]; h != nil {
			return h, nil
		}
		return nil, &Error{Code: "UnknownOperationException", Message: "awsfake: no handler for X-Amz-Target " + target}
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); r.Method == http.MethodPost && ct == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(req.Body))
		if action := form.Get("Action"); err == nil && action != "" {
			req.Op, req.Form = action, form
			// EC2 and awsQuery services share action names (DescribeTags), so
			// the EC2 API version picks the table; an unknown action is
			// answered in the style of the client that sent it.
			tables := []map[string]Handler{s.query, s.ec2}
			protos := []Protocol{AWSQuery, EC2Query}
			if form.Get("Version") == ec2APIVersion {
				tables[0], tables[1], protos[0], protos[1] = s.ec2, s.query, EC2Query, AWSQuery
			}
			req.Protocol = protos[0]
			for i, table := range tables {
				if h := table[action]; h != nil {
					req.Protocol = protos[i]
					return h, nil
				}
			}
			return nil, &Error{Code: "InvalidAction", Message: "The action " + action + " is not valid for this web service."}
		}
	}
	req.Protocol = RESTJSON
	path := strings.Split(r.URL.EscapedPath(), "/")[1:]
	var best *restRoute
	bestLiterals := -1
	for i := range s.rest {
		rt := &s.rest[i]
		if rt.method != r.Method {
			continue
		}
		if params, n, ok := rt.match(path); ok && n > bestLiterals {
			best, bestLiterals, req.PathParams = rt, n, params
		}
	}
	if best == nil {
		return nil, &Error{Status: http.StatusNotFound, Code: "UnknownOperationException",
			Message: "awsfake: no REST route for " + r.Method + " " + r.URL.EscapedPath()}
	}
	req.Op = best.op
	return best.h, nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, readErr := io.ReadAll(r.Body)
	req := &Request{
		Method: r.Method,
		Path:   r.URL.EscapedPath(),
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
	}
	h, routeErr := s.route(r, req)
	s.mu.Lock()
	s.nextID++
	requestID := fmt.Sprintf("00000000-0000-4000-8000-%012d", s.nextID)
	s.mu.Unlock()

	var out any
	var err error
	switch verr := s.verify(r, body, req.Protocol); {
	case verr != nil:
		err = verr
	case readErr != nil:
		req.Verified = true
		err = &Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "awsfake: reading body: " + readErr.Error()}
	case routeErr != nil:
		req.Verified = true
		err = routeErr
	default:
		req.Verified = true
		out, err = callHandler(h, req)
	}

	var apiErr *Error
	if err != nil && (!errors.As(err, &apiErr) || apiErr == nil) {
		// Not an *Error, or a typed nil one (return nil, e with var e *Error): never a success.
		apiErr = &Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: err.Error()}
	}
	var resp *response
	if apiErr == nil {
		resp, apiErr = s.encodeResult(req, requestID, out)
	}
	if apiErr != nil {
		req.Err = apiErr
		resp = encodeError(req, requestID, apiErr)
	}

	// Record before replying, so a client holding the reply sees the request.
	s.mu.Lock()
	s.reqs = append(s.reqs, *req)
	s.mu.Unlock()
	resp.write(w)
}

// callHandler runs h, turning a panic into an error (a 500 InternalFailure
// reply naming the panic) so the test sees it in the SDK's error.
func callHandler(h Handler, req *Request) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("awsfake: %s handler panicked: %v", req.Op, p)
		}
	}()
	return h(req)
}
