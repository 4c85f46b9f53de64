package opensearchtest

import (
	"testing"
	"time"

	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/opensearch/internal/conformance"
)

var _ conformance.Client = (*awsos.Client)(nil)

func conformanceFake(t *testing.T) (*Fake, *datablocks.ManualClock) {
	clock := datablocks.NewManualClock(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	f := New(func(o *Options) { o.Clock = clock })
	t.Cleanup(f.Close)
	for _, n := range []string{"follower", "leader"} {
		if _, err := f.AddDomain(DomainSpec{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	return f, clock
}

func TestConformanceInProcess(t *testing.T) {
	f, clock := conformanceFake(t)
	conformance.RunConformanceTests(t, conformance.Harness{Client: f, Follower: "follower", Leader: "leader", Missing: "missing", Advance: clock.Advance, Step: connectionStepTime})
}

func TestConformanceOnTheWire(t *testing.T) {
	f, clock := conformanceFake(t)
	srv := localaws.NewTestServer(t, f.Service())
	cfg := srv.Config()
	cfg.RetryMaxAttempts = 1
	conformance.RunConformanceTests(t, conformance.Harness{Client: awsos.NewFromConfig(cfg), Follower: "follower", Leader: "leader", Missing: "missing", Advance: clock.Advance, Step: connectionStepTime})
}

// Every operation's members, filled, cross the wire both ways through the real SDK client.
func TestServiceWireEncoding(t *testing.T) {
	svc := New().Service()
	localaws.CheckOperation(t, svc, awsos.NewFromConfig, (*awsos.Client).DescribeDomain)
	localaws.CheckOperation(t, svc, awsos.NewFromConfig, (*awsos.Client).CreateOutboundConnection)
	localaws.CheckOperation(t, svc, awsos.NewFromConfig, (*awsos.Client).AcceptInboundConnection)
	localaws.CheckOperation(t, svc, awsos.NewFromConfig, (*awsos.Client).RejectInboundConnection)
	localaws.CheckOperation(t, svc, awsos.NewFromConfig, (*awsos.Client).DeleteOutboundConnection)
	localaws.CheckOperation(t, svc, awsos.NewFromConfig, (*awsos.Client).DeleteInboundConnection)
	localaws.CheckOperation(t, svc, awsos.NewFromConfig, (*awsos.Client).DescribeOutboundConnections)
	localaws.CheckOperation(t, svc, awsos.NewFromConfig, (*awsos.Client).DescribeInboundConnections)
}
