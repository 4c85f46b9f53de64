package localaws

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/internal/awsfake"
)

// Defaults of Options.
const (
	defaultRegion = "eu-west-1"
	defaultAddr   = "127.0.0.1:0"
	// defaultAccessKeyID, defaultSecretAccessKey and defaultSessionToken are the credentials
	// the server accepts, and Config sends, unless Options.Credentials is set.
	defaultAccessKeyID     = awsfake.AccessKeyID
	defaultSecretAccessKey = awsfake.SecretAccessKey
	defaultSessionToken    = awsfake.SessionToken
	defaultMaxBodyBytes    = 16 << 20
	// maxDepth bounds the nesting of a request's JSON values and form names.
	maxDepth = 64
)

// Options configure a Server.
type Options struct {
	// Region is the region the SigV4 credential scope must name and that Config sets.
	// Zero means eu-west-1.
	Region string
	// Credentials maps each accepted access key ID to its secret. Nil means the access key
	// AKIDDATABLOCKSTEST with the secret datablocks-test-secret (what the AWS CLI needs in
	// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Config sends AKIDDATABLOCKSTEST when
	// listed, else the first key in sorted order, with the session token
	// datablocks-test-session.
	Credentials map[string]string
	// Now is the clock of the ±15 minutes X-Amz-Date skew check. Nil means time.Now.
	Now func() time.Time
	// Addr is the TCP address to listen on. Zero means a free port on loopback
	// (127.0.0.1:0).
	Addr string
	// MaxBodyBytes bounds request bodies: a larger one is answered 413
	// RequestEntityTooLargeException. Zero means 16 MiB.
	MaxBodyBytes int64
}

// Server is a local AWS endpoint serving a set of Services. It is safe for concurrent use.
//
// Requests are routed by the service name of their SigV4 credential scope, then by
// X-Amz-Target (awsJson), by method and path (restJson1) or by the form's Action (query
// protocols). Requests that are unsigned or badly signed are rejected with the codes AWS
// uses (MissingAuthenticationToken..., InvalidSignatureException, SignatureDoesNotMatch,
// AuthFailure...); an operation no Service implements is answered with the protocol's
// UnknownOperationException or InvalidAction.
type Server struct {
	srv      *http.Server
	ln       net.Listener
	url      string
	region   string
	maxBody  int64
	akid     string
	secret   string
	verifier awsfake.Verifier
	services map[string]*service // by signing name
	nextID   atomic.Uint64
	// client is Config's HTTP client: the SDK's default transport with request bodies
	// guarded (see the package doc, "The SDK's early close of request bodies").
	client *http.Client

	closeOnce sync.Once
	done      chan struct{}
}

// service is a Service ready to route.
type service struct {
	Service
	codec  *codec
	byName map[string]*Operation // awsJson target suffix or query Action
	routes []route               // restJson1
}

// Start serves services on a loopback port until Close. Each Service needs a SigningName
// that no other one has and a Protocol; restJson1 operations need a route (Route), and
// names must be unique within a Service.
func Start(services []Service, optFns ...func(*Options)) (*Server, error) {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Region == "" {
		o.Region = defaultRegion
	}
	if o.Addr == "" {
		o.Addr = defaultAddr
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = defaultMaxBodyBytes
	}
	creds := map[string]string{defaultAccessKeyID: defaultSecretAccessKey}
	if o.Credentials != nil {
		if len(o.Credentials) == 0 {
			return nil, errors.New("localaws: Options.Credentials is empty: no request could be verified")
		}
		creds = make(map[string]string, len(o.Credentials))
		for k, v := range o.Credentials {
			creds[k] = v
		}
	}
	s := &Server{
		region:   o.Region,
		maxBody:  o.MaxBodyBytes,
		verifier: awsfake.Verifier{Region: o.Region, Credentials: creds, Now: o.Now},
		services: map[string]*service{},
		done:     make(chan struct{}),
	}
	if _, ok := creds[defaultAccessKeyID]; ok {
		s.akid = defaultAccessKeyID
	} else {
		keys := make([]string, 0, len(creds))
		for k := range creds {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		s.akid = keys[0]
	}
	s.secret = creds[s.akid]
	for i := range services {
		svc, err := newService(services[i])
		if err != nil {
			return nil, err
		}
		if _, dup := s.services[svc.SigningName]; dup {
			return nil, fmt.Errorf("localaws: two services with SigningName %q", svc.SigningName)
		}
		s.services[svc.SigningName] = svc
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("localaws: listening on %s: %w", o.Addr, err)
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: time.Minute}
	s.client = &http.Client{Transport: awsfake.GuardRequestBodies(awshttp.NewBuildableClient().GetTransport())}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s, nil
}

// NewTestServer starts a server for services, failing t if it cannot, and closes it when
// the test ends.
func NewTestServer(t testing.TB, services ...Service) *Server {
	t.Helper()
	s, err := Start(services)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func newService(in Service) (*service, error) {
	if in.SigningName == "" {
		return nil, errors.New("localaws: a Service has no SigningName")
	}
	svc := &service{Service: in, byName: map[string]*Operation{}}
	switch in.Protocol {
	case AWSJSON10, AWSJSON11, RESTJSON1, AWSQuery, EC2Query:
	default:
		return nil, fmt.Errorf("localaws: service %s: unknown Protocol %d", in.SigningName, in.Protocol)
	}
	for i := range in.Operations {
		op := &in.Operations[i]
		if op.name == "" || op.call == nil {
			return nil, fmt.Errorf("localaws: service %s: operation %d was not made by Op or Route", in.SigningName, i)
		}
		if _, dup := svc.byName[op.name]; dup {
			return nil, fmt.Errorf("localaws: service %s: operation %s listed twice", in.SigningName, op.name)
		}
		svc.byName[op.name] = op
		if in.Protocol == RESTJSON1 {
			rt, err := newRoute(op)
			if err != nil {
				return nil, fmt.Errorf("localaws: service %s: %w", in.SigningName, err)
			}
			svc.routes = append(svc.routes, rt)
		}
	}
	svc.codec = newCodec(in)
	return svc, nil
}

// URL returns the server's base URL, such as "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.url }

// Config returns an aws.Config reaching the server: Region, static credentials (with a
// session token), BaseEndpoint set to URL, and HTTPClient the server's client, so that
// svc.NewFromConfig(cfg) talks to the fakes. The client is the SDK's default transport
// with request bodies guarded against the SDK closing them early (see the package doc);
// replace it only with one as guarded. The retryer is the SDK's default: errors AWS marks
// retryable (throttling, 5xx) are retried with backoff; set RetryMaxAttempts to 1 to see
// them at once.
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:       s.region,
		Credentials:  credentials.NewStaticCredentialsProvider(s.akid, s.secret, defaultSessionToken),
		BaseEndpoint: aws.String(s.url),
		HTTPClient:   s.client,
	}
}

// Close stops the server, waiting for outstanding requests to be answered. It is safe to
// call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		_ = s.srv.Shutdown(context.Background()) // waits for active requests
		<-s.done
		s.client.CloseIdleConnections()
	})
}

// wireRequest is one request being answered.
type wireRequest struct {
	r      *http.Request
	body   []byte
	proto  Protocol
	svc    *service
	op     *Operation
	labels map[string]string
	form   url.Values
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := fmt.Sprintf("00000000-0000-4000-8000-%012d", s.nextID.Add(1))
	req := &wireRequest{r: r}
	signingName, _ := awsfake.SigningName(r.Header.Get("Authorization"))
	req.svc = s.services[signingName]
	req.proto = guessProtocol(r, nil)
	if req.svc != nil {
		req.proto = req.svc.Protocol
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if req.svc == nil && err == nil {
		req.proto = guessProtocol(r, body)
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, req, requestID, &wireError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLargeException",
				message: fmt.Sprintf("Request body exceeds %d bytes", s.maxBody)})
			return
		}
		writeError(w, req, requestID, &wireError{status: http.StatusBadRequest, code: "IncompleteBody", message: "reading body: " + err.Error()})
		return
	}
	req.body = body
	if e := s.verifier.Verify(r, body, fakeProtocol(req.proto)); e != nil {
		status := e.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		writeError(w, req, requestID, &wireError{status: status, code: e.Code, message: e.Message, sender: true})
		return
	}
	if werr := s.route(req, signingName); werr != nil {
		writeError(w, req, requestID, werr)
		return
	}
	in := req.op.newInput()
	if werr := req.svc.codec.decodeRequest(req, in); werr != nil {
		writeError(w, req, requestID, werr)
		return
	}
	out, err := callOp(r.Context(), req.op, in)
	if err != nil {
		writeError(w, req, requestID, req.svc.codec.errorFor(req.op.name, err))
		return
	}
	resp, werr := req.svc.codec.encodeResult(req, requestID, out)
	if werr != nil {
		writeError(w, req, requestID, werr)
		return
	}
	resp.write(w)
}

// callOp runs op, turning a panic into an error so the client sees a 500 naming it.
func callOp(ctx context.Context, op *Operation, in any) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("localaws: %s handler panicked: %v", op.name, p)
		}
	}()
	return op.call(ctx, in)
}

// guessProtocol classifies a request that no Service claims, to answer it in the style
// of the client that sent it: a form with EC2's API version is ec2Query.
func guessProtocol(r *http.Request, body []byte) Protocol {
	if r.Header.Get("X-Amz-Target") != "" {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-1.0") {
			return AWSJSON10
		}
		return AWSJSON11
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" {
		if form, err := url.ParseQuery(string(body)); err == nil && form.Get("Version") == ec2APIVersion {
			return EC2Query
		}
		return AWSQuery
	}
	return RESTJSON1
}

func fakeProtocol(p Protocol) awsfake.Protocol {
	switch p {
	case RESTJSON1:
		return awsfake.RESTJSON
	case AWSQuery:
		return awsfake.AWSQuery
	case EC2Query:
		return awsfake.EC2Query
	}
	return awsfake.AWSJSON
}

// route finds req's operation.
func (s *Server) route(req *wireRequest, signingName string) *wireError {
	r := req.r
	if req.svc == nil {
		msg := fmt.Sprintf("localaws: no service is served for signing name %q", signingName)
		if req.proto == AWSQuery {
			return &wireError{status: http.StatusBadRequest, code: "InvalidAction", message: msg}
		}
		return &wireError{status: http.StatusNotFound, code: "UnknownOperationException", message: msg}
	}
	svc := req.svc
	switch svc.Protocol {
	case AWSJSON10, AWSJSON11:
		target := r.Header.Get("X-Amz-Target")
		prefix, name, _ := strings.Cut(target, ".")
		op := svc.byName[name]
		if r.Method != http.MethodPost || op == nil || (svc.TargetPrefix != "" && prefix != svc.TargetPrefix) {
			return &wireError{status: http.StatusBadRequest, code: "UnknownOperationException",
				message: fmt.Sprintf("localaws: %s does not serve X-Amz-Target %q", svc.SigningName, target)}
		}
		req.op = op
	case RESTJSON1:
		op, labels := svc.match(r.Method, r.URL.EscapedPath(), r.URL.Query())
		if op == nil {
			return &wireError{status: http.StatusNotFound, code: "UnknownOperationException",
				message: fmt.Sprintf("localaws: %s has no operation at %s %s", svc.SigningName, r.Method, r.URL.EscapedPath())}
		}
		req.op, req.labels = op, labels
	default:
		form, err := url.ParseQuery(string(req.body))
		if err != nil || r.Method != http.MethodPost {
			form, err = r.URL.Query(), nil
		}
		action := form.Get("Action")
		op := svc.byName[action]
		if op == nil {
			return &wireError{status: http.StatusBadRequest, code: "InvalidAction",
				message: fmt.Sprintf("The action %s is not valid for this web service.", action)}
		}
		req.op, req.form = op, form
	}
	return nil
}

// wireError is an error answer before encoding.
type wireError struct {
	status        int
	code, message string
	sender        bool
	members       any // the modeled error struct, whose other members are encoded too
}

// errorFor turns a handler's error into its answer: a smithy.APIError keeps its code,
// message and members; anything else is a 500 InternalFailure.
func (c *codec) errorFor(op string, err error) *wireError {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr == nil {
		return &wireError{status: http.StatusInternalServerError, code: "InternalFailure", message: err.Error()}
	}
	e := &wireError{code: apiErr.ErrorCode(), message: apiErr.ErrorMessage(), members: apiErr}
	if e.code == "" {
		return &wireError{status: http.StatusInternalServerError, code: "InternalFailure",
			message: fmt.Sprintf("localaws: %s returned an API error without a code: %v", op, err)}
	}
	switch status, ok := c.errorStatus[e.code]; {
	case ok:
		e.status = status
	case apiErr.ErrorFault() == smithy.FaultServer:
		e.status = http.StatusInternalServerError
	default:
		e.status = http.StatusBadRequest
	}
	e.sender = apiErr.ErrorFault() != smithy.FaultServer && e.status < 500
	return e
}

// response is an encoded answer.
type response struct {
	status      int
	contentType string
	errorType   string
	requestID   string
	body        []byte
}

func (resp *response) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", resp.contentType)
	h.Set("X-Amzn-Requestid", resp.requestID)
	h.Set("Content-Length", strconv.Itoa(len(resp.body))) // as AWS sends it, rather than chunked
	if resp.errorType != "" {
		h.Set("X-Amzn-ErrorType", resp.errorType)
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

func jsonContentType(p Protocol) string {
	switch p {
	case AWSJSON10:
		return "application/x-amz-json-1.0"
	case AWSJSON11:
		return "application/x-amz-json-1.1"
	}
	return "application/json"
}

func writeError(w http.ResponseWriter, req *wireRequest, requestID string, e *wireError) {
	c := defaultCodec
	if req.svc != nil {
		c = req.svc.codec
	}
	c.encodeError(req.proto, requestID, e).write(w)
}
