package opensearch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	osgo "github.com/opensearch-project/opensearch-go/v4"
	"github.com/opensearch-project/opensearch-go/v4/opensearchapi"
	"github.com/opensearch-project/opensearch-go/v4/signer"
	"github.com/opensearch-project/opensearch-go/v4/signer/awsv2"
)

// Service is the SigV4 signing name of an OpenSearch endpoint.
type Service string

// The two OpenSearch signing names.
const (
	// ServiceES signs for managed domains (Amazon OpenSearch Service).
	ServiceES Service = "es"
	// ServiceServerless signs for OpenSearch Serverless collections, which require the
	// X-Amz-Content-Sha256 header and have no security or replication plugin.
	ServiceServerless Service = "aoss"
)

// maxRequestBody bounds the body the signing transport buffers to sign and replay (the
// OpenSearch Service limit on HTTP request payloads of the largest instance types).
const maxRequestBody = 100 << 20

// Endpoint is an OpenSearch data-plane endpoint.
type Endpoint struct {
	// URL is the endpoint, https://search-name-id.region.es.amazonaws.com or a Serverless
	// collection's https://id.region.aoss.amazonaws.com. Plain http is accepted for
	// loopback addresses only (local fakes).
	URL string
	// Service is ServiceES or ServiceServerless. Empty means ServiceES.
	Service Service
}

func (ep Endpoint) validate() (Endpoint, error) {
	if ep.Service == "" {
		ep.Service = ServiceES
	}
	if ep.Service != ServiceES && ep.Service != ServiceServerless {
		return ep, fmt.Errorf("opensearch: Endpoint.Service %q must be %q or %q", ep.Service, ServiceES, ServiceServerless)
	}
	u, err := url.Parse(ep.URL)
	if err != nil || u.Host == "" {
		return ep, fmt.Errorf("opensearch: Endpoint.URL %q is not an absolute URL", ep.URL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		ip := net.ParseIP(u.Hostname())
		if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return ep, fmt.Errorf("opensearch: Endpoint.URL %q: plain http is only accepted for loopback addresses", ep.URL)
		}
	default:
		return ep, fmt.Errorf("opensearch: Endpoint.URL %q must use https", ep.URL)
	}
	return ep, nil
}

// newSigningTransport returns an http.RoundTripper that signs every request with SigV4 for
// ep.Service (with X-Amz-Content-Sha256, which Serverless requires) using the credentials of
// cfg, and sends it through base (nil means http.DefaultTransport). The body is buffered (up
// to 100 MiB) so that the signature covers it and a retried request can be signed
// again: each attempt is signed afresh, with its own time.
func newSigningTransport(cfg aws.Config, ep Endpoint, base http.RoundTripper) (http.RoundTripper, error) {
	ep, err := ep.validate()
	if err != nil {
		return nil, err
	}
	if cfg.Credentials == nil {
		return nil, errors.New("opensearch: aws.Config has no Credentials")
	}
	if cfg.Region == "" {
		return nil, errors.New("opensearch: no region: set the aws.Config region")
	}
	s, err := awsv2.NewSignerWithService(cfg, string(ep.Service))
	if err != nil {
		return nil, fmt.Errorf("opensearch: %w", err)
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return &signingTransport{signer: s, base: base}, nil
}

type signingTransport struct {
	signer signer.Signer
	base   http.RoundTripper
}

func (t *signingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	body, err := replayableBody(req)
	if err != nil {
		return nil, err
	}
	if body != nil {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		out.ContentLength = int64(len(body))
	}
	// Headers that proxies or the transport may change are left out of the signature by the
	// SDK signer itself (User-Agent, Expect, Transfer-Encoding).
	if err := t.signer.SignRequest(out); err != nil {
		return nil, fmt.Errorf("SigV4 signing of %s %s: %w", req.Method, req.URL.Path, err)
	}
	return t.base.RoundTrip(out)
}

// replayableBody reads the request body once, through GetBody when the request has it, so the
// caller's request stays replayable.
func replayableBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	rc := req.Body
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("reading the request body to sign it: %w", err)
		}
		rc = b
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, maxRequestBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the request body to sign it: %w", err)
	}
	if len(body) > maxRequestBody {
		return nil, fmt.Errorf("request body exceeds %d bytes, the most a signed request carries", maxRequestBody)
	}
	return body, nil
}

// NewClient returns an opensearch-go v4 client for ep whose requests are signed with SigV4
// for ep.Service (with X-Amz-Content-Sha256, which Serverless requires) using the credentials
// of cfg; each attempt is signed afresh, and bodies (up to 100 MiB) are buffered so that
// retries can be signed again. Its Client field (*opensearch.Client) is the Transport the helpers of
// this package take. It reads Transport and MaxRetries.
func NewClient(cfg aws.Config, ep Endpoint, optFns ...func(*Options)) (*opensearchapi.Client, error) {
	o := configure(Options{}, optFns)
	ep, err := ep.validate()
	if err != nil {
		return nil, err
	}
	rt, err := newSigningTransport(cfg, ep, o.Transport)
	if err != nil {
		return nil, err
	}
	c := osgo.Config{Addresses: []string{strings.TrimRight(ep.URL, "/")}, Transport: rt}
	switch {
	case o.MaxRetries < 0:
		c.DisableRetry = true
	case o.MaxRetries > 0:
		c.MaxRetries = o.MaxRetries
	}
	client, err := opensearchapi.NewClient(opensearchapi.Config{Client: c})
	if err != nil {
		return nil, fmt.Errorf("opensearch: %w", err)
	}
	return client, nil
}

// Transport is the narrow HTTP interface the helpers call: it sends a request whose URL holds
// only a path and query, completing it with the endpoint. *opensearch.Client of opensearch-go
// (the Client field of what NewClient returns) satisfies it; so can a type of your own, to
// send requests some other way.
type Transport interface {
	Perform(*http.Request) (*http.Response, error)
}

var _ Transport = (*osgo.Client)(nil)

// newRequest builds a path-only request with a JSON body.
func newRequest(ctx context.Context, method, path string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return nil, fmt.Errorf("opensearch: %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}
