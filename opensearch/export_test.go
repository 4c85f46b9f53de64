package opensearch

import (
	"fmt"
	"net/http"
	"net/url"

	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"
)

// ParseAPIErrorForTest exposes the error decoder to the external tests.
func ParseAPIErrorForTest(method, path string, status int, body []byte) error {
	return parseAPIError(method, path, status, body)
}

// CreateInputForTest builds a CreateOutboundConnectionInput as StartConnection does.
func CreateInputForTest(alias, follower, leader string) *awsos.CreateOutboundConnectionInput {
	return &awsos.CreateOutboundConnectionInput{ConnectionAlias: &alias, LocalDomainInfo: Domain{Name: follower}.info(), RemoteDomainInfo: Domain{Name: leader}.info()}
}

// TransportFunc adapts a function to Transport.
type TransportFunc func(*http.Request) (*http.Response, error)

// Perform calls f.
func (f TransportFunc) Perform(r *http.Request) (*http.Response, error) { return f(r) }

// HTTPTransport (for tests) returns a Transport that sends requests to base (an endpoint URL such as
// https://search-x.eu-west-1.es.amazonaws.com) with client, for callers who sign with their own
// http.Client.
func HTTPTransport(client *http.Client, base string) (Transport, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("opensearch: base URL %q is not an absolute URL", base)
	}
	return TransportFunc(func(req *http.Request) (*http.Response, error) {
		r := req.Clone(req.Context())
		r.URL.Scheme, r.URL.Host = u.Scheme, u.Host
		r.Host = u.Host
		return client.Do(r)
	}), nil
}

// Limits and parsers the external tests check directly.
const (
	MaxDLSQuery    = maxDLSQuery
	MaxConnections = maxConnections
)

var (
	CheckFGAC        = checkFGAC
	ParseMaskedField = parseMaskedField
	ParseRoles       = parseRoles
	ValidateFLS      = validateFLS
	ValidateDLS      = validateDLS
)

func (r Role) Validate() error { return r.validate() }

// Expression is m's masked_fields expression.
func (m MaskedField) Expression() string { return m.expression() }
