package opensearch_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"
	"github.com/aws/aws-sdk-go-v2/service/opensearch/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/internal/awsfake"
	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

// serveREST answers a restJson1 route of the OpenSearch Service API with a fake method: the
// body (PascalCase, as the model names members) decodes into the SDK input, the label sets
// ConnectionId or DomainName, and typed errors keep their code with the model's status.
func serveREST[In, Out any](s *awsfake.Server, op, method, path string, label func(*In, string), fn func(context.Context, *In, ...func(*awsos.Options)) (*Out, error)) {
	s.HandleREST(op, method, path, func(r *awsfake.Request) (any, error) {
		in := new(In)
		if len(r.Body) > 0 {
			if err := r.JSON(in); err != nil {
				return nil, &awsfake.Error{Code: "ValidationException", Message: err.Error()}
			}
		}
		for _, v := range r.PathParams {
			label(in, v)
		}
		out, err := fn(context.Background(), in)
		if err != nil {
			var ae smithy.APIError
			if errors.As(err, &ae) {
				status := map[string]int{"ResourceNotFoundException": 409, "ResourceAlreadyExistsException": 409, "LimitExceededException": 409,
					"DisabledOperationException": 409, "ValidationException": 400}[ae.ErrorCode()]
				return nil, &awsfake.Error{Status: status, Code: ae.ErrorCode(), Message: ae.ErrorMessage()}
			}
			return nil, err
		}
		b, err := json.Marshal(out)
		return json.RawMessage(b), err
	})
}

func noLabel[In any](*In, string) {}

func wireClient(t *testing.T, f *opensearchtest.Fake) *awsos.Client {
	s := awsfake.New(t)
	const p = "/2021-01-01/opensearch"
	serveREST(s, opensearchtest.OpCreateOutboundConnection, "POST", p+"/cc/outboundConnection", noLabel, f.CreateOutboundConnection)
	serveREST(s, opensearchtest.OpDescribeOutboundConnections, "POST", p+"/cc/outboundConnection/search", noLabel, f.DescribeOutboundConnections)
	serveREST(s, opensearchtest.OpDescribeInboundConnections, "POST", p+"/cc/inboundConnection/search", noLabel, f.DescribeInboundConnections)
	serveREST(s, opensearchtest.OpAcceptInboundConnection, "PUT", p+"/cc/inboundConnection/{ConnectionId}/accept",
		func(in *awsos.AcceptInboundConnectionInput, v string) { in.ConnectionId = aws.String(v) }, f.AcceptInboundConnection)
	serveREST(s, opensearchtest.OpRejectInboundConnection, "PUT", p+"/cc/inboundConnection/{ConnectionId}/reject",
		func(in *awsos.RejectInboundConnectionInput, v string) { in.ConnectionId = aws.String(v) }, f.RejectInboundConnection)
	serveREST(s, opensearchtest.OpDeleteOutboundConnection, "DELETE", p+"/cc/outboundConnection/{ConnectionId}",
		func(in *awsos.DeleteOutboundConnectionInput, v string) { in.ConnectionId = aws.String(v) }, f.DeleteOutboundConnection)
	serveREST(s, opensearchtest.OpDeleteInboundConnection, "DELETE", p+"/cc/inboundConnection/{ConnectionId}",
		func(in *awsos.DeleteInboundConnectionInput, v string) { in.ConnectionId = aws.String(v) }, f.DeleteInboundConnection)
	serveREST(s, opensearchtest.OpDescribeDomain, "GET", p+"/domain/{DomainName}",
		func(in *awsos.DescribeDomainInput, v string) { in.DomainName = aws.String(v) }, f.DescribeDomain)
	return awsos.NewFromConfig(s.Config())
}

// The helpers through the real SDK client on the wire, for every connection operation and
// DescribeDomain.
func TestWireConnectionsThroughTheSDKClient(t *testing.T) {
	c := newCCR(t)
	client := wireClient(t, c.f)
	ctx := context.Background()
	conns := opensearch.NewConnections(client, func(o *opensearch.ConnectionsOptions) { o.Wait.Clock = c.clock })
	in := opensearch.ConnectionInput{Alias: "ccr-west", Follower: opensearch.Domain{Name: "follower-west"}, Leader: opensearch.Domain{Name: "leader-east"}}
	conn, err := conns.RunConnection(ctx, in)
	if err != nil || conn.Status != types.OutboundConnectionStatusCodeActive {
		t.Fatalf("RunConnection over the wire = %+v, %v", conn, err)
	}
	if err := conns.DeleteConnection(ctx, conn.ID); err != nil {
		t.Fatal(err)
	}
	// Reject and delete on the leader side, with the SDK client directly.
	c.clock.Advance(opensearchtest.ConnectionStepTime)
	created, err := client.CreateOutboundConnection(ctx, opensearch.CreateInputForTest("second", "follower-west", "leader-east"))
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(opensearchtest.ConnectionStepTime)
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
