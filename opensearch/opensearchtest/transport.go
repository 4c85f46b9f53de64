package opensearchtest

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/opensearch-project/opensearch-go/v4/signer"
	"github.com/opensearch-project/opensearch-go/v4/signer/awsv2"

	"github.com/datablocks-go/datablocks"
)

// Transport sends requests to a domain, signed with SigV4 for the domain's signing name by
// opensearch-go's signer/awsv2. Its Perform completes a path-only URL with the domain's
// endpoint, as opensearch-go's client does, so it fits helpers that take a Perform method;
// its Clock is the fake's, so helpers waiting through it advance the fake's time.
type Transport struct {
	base   *url.URL
	signer signer.Signer
	client *http.Client
	clock  datablocks.Clock
}

// Transport returns a Transport signing with cfg (Fake.Config or Fake.ConfigFor).
func (d *Domain) Transport(cfg aws.Config) (*Transport, error) {
	return d.transportAs(cfg, d.signingName())
}

// TransportSignedAs is Transport with another signing name, to test that the domain refuses
// it (es for a collection, aoss for a domain).
func (d *Domain) TransportSignedAs(cfg aws.Config, signingName string) (*Transport, error) {
	return d.transportAs(cfg, signingName)
}

func (d *Domain) transportAs(cfg aws.Config, name string) (*Transport, error) {
	u, err := url.Parse(d.URL())
	if err != nil {
		return nil, err
	}
	s, err := awsv2.NewSignerWithService(cfg, name)
	if err != nil {
		return nil, fmt.Errorf("opensearchtest: %w", err)
	}
	return &Transport{base: u, signer: s, client: d.srv.Client(), clock: d.f.clock}, nil
}

// Perform signs and sends req.
func (t *Transport) Perform(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
	if err := t.signer.SignRequest(r); err != nil {
		return nil, err
	}
	return t.client.Do(r)
}

// Clock returns the fake's clock (datablocks.ClockSource).
func (t *Transport) Clock() datablocks.Clock { return t.clock }
