package opensearch_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"
	"github.com/aws/aws-sdk-go-v2/service/opensearch/types"

	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

func wireClient(t *testing.T, f *opensearchtest.Fake) *awsos.Client {
	srv := localaws.NewTestServer(t, f.Service())
	cfg := srv.Config()
	cfg.RetryMaxAttempts = 1
	return awsos.NewFromConfig(cfg)
}

// The helpers through the real SDK client on the wire, for every connection operation and
// DescribeDomain.
func TestWireConnectionsThroughTheSDKClient(t *testing.T) {
	c := newCCR(t)
	client := wireClient(t, c.f)
	ctx := context.Background()
	conns := opensearch.NewConnections(client, func(o *opensearch.Options) { o.Wait.Clock = c.clock })
	in := opensearch.ConnectionInput{Alias: "ccr-west", Follower: opensearch.Domain{Name: "follower-west"}, Leader: opensearch.Domain{Name: "leader-east"}}
	conn, err := conns.RunConnection(ctx, in)
	if err != nil || conn.Status != types.OutboundConnectionStatusCodeActive {
		t.Fatalf("RunConnection over the wire = %+v, %v", conn, err)
	}
	if err := conns.DeleteConnection(ctx, conn.ID); err != nil {
		t.Fatal(err)
	}
	// Reject and delete on the leader side, with the SDK client directly.
	c.clock.Advance(connectionStep)
	created, err := client.CreateOutboundConnection(ctx, opensearch.CreateInputForTest("second", "follower-west", "leader-east"))
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(connectionStep)
	rej, err := client.RejectInboundConnection(ctx, &awsos.RejectInboundConnectionInput{ConnectionId: created.ConnectionId})
	if err != nil || rej.Connection.ConnectionStatus.StatusCode != types.InboundConnectionStatusCodeRejecting {
		t.Fatalf("RejectInboundConnection = %+v, %v", rej, err)
	}
	del, err := client.DeleteInboundConnection(ctx, &awsos.DeleteInboundConnectionInput{ConnectionId: created.ConnectionId})
	if err != nil || aws.ToString(del.Connection.ConnectionId) != aws.ToString(created.ConnectionId) {
		t.Fatalf("DeleteInboundConnection = %+v, %v", del, err)
	}
	// Typed errors survive the wire.
	_, err = client.AcceptInboundConnection(ctx, &awsos.AcceptInboundConnectionInput{ConnectionId: aws.String("cc-does-not-exist")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("accept of a missing connection: %v", err)
	}
	if err := opensearch.CheckDomainFGAC(ctx, client, "leader-east"); err != nil {
		t.Errorf("CheckDomainFGAC over the wire: %v", err)
	}
	for _, op := range []string{opensearchtest.OpCreateOutboundConnection, opensearchtest.OpDescribeOutboundConnections, opensearchtest.OpDescribeInboundConnections,
		opensearchtest.OpAcceptInboundConnection, opensearchtest.OpRejectInboundConnection, opensearchtest.OpDeleteOutboundConnection,
		opensearchtest.OpDeleteInboundConnection, opensearchtest.OpDescribeDomain} {
		if c.f.Count(op) == 0 {
			t.Errorf("%s never reached the fake", op)
		}
	}
}
