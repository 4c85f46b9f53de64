package opensearch_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/opensearch-project/opensearch-go/v4/opensearchapi"

	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

func TestNewClientSignsForDomainsAndServerless(t *testing.T) {
	f := opensearchtest.New()
	defer f.Close()
	dom, err := f.AddDomain(opensearchtest.DomainSpec{Name: "logs"})
	if err != nil {
		t.Fatal(err)
	}
	coll, err := f.AddCollection("vectors")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		d       *opensearchtest.Domain
		service opensearch.Service
		wantErr string
	}{
		{"es to domain", dom, opensearch.ServiceES, ""},
		{"aoss to collection", coll, opensearch.ServiceServerless, ""},
		{"aoss to domain", dom, opensearch.ServiceServerless, "Credential should be scoped to correct service: 'es'."},
		{"es to collection", coll, opensearch.ServiceES, "Credential should be scoped to correct service: 'aoss'."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, err := opensearch.NewClient(f.Config(), opensearch.Endpoint{URL: tc.d.URL(), Service: tc.service}, func(o *opensearch.Options) { o.MaxRetries = -1 })
			if err != nil {
				t.Fatal(err)
			}
			_, err = client.Index(ctx, opensearchapi.IndexReq{Index: "docs", DocumentID: "1", Body: strings.NewReader(`{"title":"hello world"}`)})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Index = %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Index: %v", err)
			}
			res, err := client.Search(ctx, &opensearchapi.SearchReq{Indices: []string{"docs"}, Body: strings.NewReader(`{"query":{"match":{"title":"HELLO"}}}`)})
			if err != nil || res.Hits.Total.Value != 1 {
				t.Fatalf("Search = %+v, %v", res, err)
			}
		})
	}
	// Serverless has no security plugin.
	client, _ := opensearch.NewClient(f.Config(), opensearch.Endpoint{URL: coll.URL(), Service: opensearch.ServiceServerless})
	_, err = opensearch.NewSecurity(client.Client).GetRole(ctx, "all_access")
	var apiErr *opensearch.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 404 {
		t.Errorf("security plugin on Serverless: %v; want 404", err)
	}
}

// A retried request is signed again with its whole body: the fake answers 503 once, the
// opensearch-go client retries, and the second attempt passes signature and body checks.
func TestSigningTransportReplaysBodies(t *testing.T) {
	f := opensearchtest.New()
	defer f.Close()
	d, _ := f.AddDomain(opensearchtest.DomainSpec{Name: "logs"})
	f.Control(opensearchtest.OpIndexDocument, func(any) (any, error, bool) {
		return &opensearchtest.Response{Status: 503, Body: map[string]any{"message": "busy"}}, nil, true
	})
	client, err := opensearch.NewClient(f.Config(), opensearch.Endpoint{URL: d.URL()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.Index(context.Background(), opensearchapi.IndexReq{Index: "docs", DocumentID: "7", Body: strings.NewReader(`{"a":1}`)})
	if err != nil || res.Result != "created" {
		t.Fatalf("Index = %+v, %v", res, err)
	}
	if n := f.Count(opensearchtest.OpIndexDocument); n != 2 {
		t.Errorf("%d index calls; want 2 (503, then the signed retry)", n)
	}
}

func TestEndpointValidation(t *testing.T) {
	f := opensearchtest.New()
	for _, ep := range []opensearch.Endpoint{
		{URL: "http://search-x.eu-west-1.es.amazonaws.com"},
		{URL: "ftp://127.0.0.1"},
		{URL: "search-x.eu-west-1.es.amazonaws.com"},
		{URL: "https://search-x.eu-west-1.es.amazonaws.com", Service: "s3"},
	} {
		if _, err := opensearch.NewClient(f.Config(), ep); err == nil {
			t.Errorf("NewClient(%+v) accepted", ep)
		}
	}
	if _, err := opensearch.NewClient(f.Config(), opensearch.Endpoint{URL: "https://search-x.eu-west-1.es.amazonaws.com"}); err != nil {
		t.Errorf("https endpoint refused: %v", err)
	}
}
