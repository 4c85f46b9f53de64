package opensearch_test

import (
	"testing"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

// The fake's transport fits the helpers' narrow interface.
var _ opensearch.Transport = (*opensearchtest.Transport)(nil)

const analystARN = "arn:aws:iam::123456789012:role/analyst"

// The fake's documented master user (Options.MasterUserARN) and connection state step.
const (
	masterUserARN  = "arn:aws:iam::123456789012:role/opensearch-master"
	connectionStep = 10 * time.Second
)

type env struct {
	f      *opensearchtest.Fake
	d      *opensearchtest.Domain
	admin  *opensearchtest.Transport
	clock  *datablocks.ManualClock
	secOpt func(*opensearch.Options)
}

func newEnv(t testing.TB) *env {
	t.Helper()
	clock := datablocks.NewManualClock(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	f := opensearchtest.New(func(o *opensearchtest.Options) { o.Clock = clock })
	t.Cleanup(f.Close)
	d, err := f.AddDomain(opensearchtest.DomainSpec{Name: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := d.Transport(f.Config())
	if err != nil {
		t.Fatal(err)
	}
	return &env{f: f, d: d, admin: admin, clock: clock, secOpt: func(o *opensearch.Options) {
		o.Retry.Clock = clock
		o.Retry.Jitter = func() float64 { return 0 }
	}}
}

func (e *env) as(t testing.TB, principal string) *opensearchtest.Transport {
	t.Helper()
	cfg, err := e.f.ConfigFor(principal)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := e.d.Transport(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
