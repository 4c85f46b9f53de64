// Package conformance checks an OpenSearch Service control-plane client (the fake of package
// opensearchtest, or AWS) against the API reference. The fake's tests run it in-process and
// through the real SDK client over localaws.
package conformance

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"
	"github.com/aws/aws-sdk-go-v2/service/opensearch/types"
	"github.com/aws/smithy-go"
)

// Client is the part of the OpenSearch Service client (*opensearch.Client of
// github.com/aws/aws-sdk-go-v2/service/opensearch) the conformance suite calls; the fake
// implements it in-process.
type Client interface {
	DescribeDomain(ctx context.Context, params *awsos.DescribeDomainInput, optFns ...func(*awsos.Options)) (*awsos.DescribeDomainOutput, error)
	CreateOutboundConnection(ctx context.Context, params *awsos.CreateOutboundConnectionInput, optFns ...func(*awsos.Options)) (*awsos.CreateOutboundConnectionOutput, error)
	AcceptInboundConnection(ctx context.Context, params *awsos.AcceptInboundConnectionInput, optFns ...func(*awsos.Options)) (*awsos.AcceptInboundConnectionOutput, error)
	RejectInboundConnection(ctx context.Context, params *awsos.RejectInboundConnectionInput, optFns ...func(*awsos.Options)) (*awsos.RejectInboundConnectionOutput, error)
	DeleteOutboundConnection(ctx context.Context, params *awsos.DeleteOutboundConnectionInput, optFns ...func(*awsos.Options)) (*awsos.DeleteOutboundConnectionOutput, error)
	DeleteInboundConnection(ctx context.Context, params *awsos.DeleteInboundConnectionInput, optFns ...func(*awsos.Options)) (*awsos.DeleteInboundConnectionOutput, error)
	DescribeOutboundConnections(ctx context.Context, params *awsos.DescribeOutboundConnectionsInput, optFns ...func(*awsos.Options)) (*awsos.DescribeOutboundConnectionsOutput, error)
	DescribeInboundConnections(ctx context.Context, params *awsos.DescribeInboundConnectionsInput, optFns ...func(*awsos.Options)) (*awsos.DescribeInboundConnectionsOutput, error)
}

// Harness is what the conformance suite runs against: a client and two existing domains of
// its account and region with no connections, and a way to let time pass (the fake's clock,
// or a sleep against AWS).
type Harness struct {
	Client Client
	// Follower and Leader are domain names; Missing names no domain.
	Follower, Leader, Missing string
	// Advance lets d pass.
	Advance func(d time.Duration)
	// Step is at least how long a connection stays in each of VALIDATING, APPROVED,
	// PROVISIONING and the deleting and rejecting states.
	Step time.Duration
}

// RunConformanceTests checks the connection operations and DescribeDomain of h.Client by
// the API reference: statuses through the connection state machine, errors and their
// types, filters and paging. It leaves deleted connections behind.
func RunConformanceTests(t *testing.T, h Harness) {
	ctx := context.Background()
	c := h.Client
	info := func(name string) *types.DomainInformationContainer {
		return &types.DomainInformationContainer{AWSDomainInformation: &types.AWSDomainInformation{DomainName: aws.String(name)}}
	}
	create := func(alias string) (*awsos.CreateOutboundConnectionOutput, error) {
		return c.CreateOutboundConnection(ctx, &awsos.CreateOutboundConnectionInput{ConnectionAlias: aws.String(alias),
			LocalDomainInfo: info(h.Follower), RemoteDomainInfo: info(h.Leader)})
	}
	outbound := func(id string) types.OutboundConnection {
		t.Helper()
		out, err := c.DescribeOutboundConnections(ctx, &awsos.DescribeOutboundConnectionsInput{
			Filters: []types.Filter{{Name: aws.String("connection-id"), Values: []string{id}}}})
		if err != nil || len(out.Connections) != 1 {
			t.Fatalf("DescribeOutboundConnections(%s) = %+v, %v", id, out, err)
		}
		return out.Connections[0]
	}

	t.Run("DescribeDomain", func(t *testing.T) {
		out, err := c.DescribeDomain(ctx, &awsos.DescribeDomainInput{DomainName: aws.String(h.Leader)})
		if err != nil || aws.ToString(out.DomainStatus.DomainName) != h.Leader || out.DomainStatus.ARN == nil || out.DomainStatus.ClusterConfig == nil {
			t.Fatalf("DescribeDomain = %+v, %v", out, err)
		}
		_, err = c.DescribeDomain(ctx, &awsos.DescribeDomainInput{DomainName: aws.String(h.Missing)})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("DescribeDomain(missing) = %v; want ResourceNotFoundException", err)
		}
	})

	t.Run("ConnectionLifecycle", func(t *testing.T) {
		out, err := create("conformance-a")
		if err != nil {
			t.Fatal(err)
		}
		id := aws.ToString(out.ConnectionId)
		if out.ConnectionStatus.StatusCode != types.OutboundConnectionStatusCodeValidating || aws.ToString(out.ConnectionAlias) != "conformance-a" {
			t.Errorf("created = %+v", out.ConnectionStatus)
		}
		_, err = create("conformance-a")
		var dup *types.ResourceAlreadyExistsException
		if !errors.As(err, &dup) {
			t.Errorf("duplicate alias = %v; want ResourceAlreadyExistsException", err)
		}
		h.Advance(h.Step)
		if st := outbound(id).ConnectionStatus.StatusCode; st != types.OutboundConnectionStatusCodePendingAcceptance {
			t.Fatalf("after validation: %s", st)
		}
		in, err := c.DescribeInboundConnections(ctx, &awsos.DescribeInboundConnectionsInput{
			Filters: []types.Filter{{Name: aws.String("local-domain-info.domain-name"), Values: []string{h.Leader}}}})
		if err != nil || len(in.Connections) != 1 || aws.ToString(in.Connections[0].RemoteDomainInfo.AWSDomainInformation.DomainName) != h.Follower {
			t.Fatalf("inbound on the leader = %+v, %v", in, err)
		}
		acc, err := c.AcceptInboundConnection(ctx, &awsos.AcceptInboundConnectionInput{ConnectionId: aws.String(id)})
		if err != nil || acc.Connection.ConnectionStatus.StatusCode != types.InboundConnectionStatusCodeApproved {
			t.Fatalf("accept = %+v, %v", acc, err)
		}
		_, err = c.AcceptInboundConnection(ctx, &awsos.AcceptInboundConnectionInput{ConnectionId: aws.String(id)})
		var disabled *types.DisabledOperationException
		if !errors.As(err, &disabled) {
			t.Errorf("second accept = %v; want DisabledOperationException", err)
		}
		h.Advance(h.Step)
		if st := outbound(id).ConnectionStatus.StatusCode; st != types.OutboundConnectionStatusCodeProvisioning {
			t.Errorf("after approval: %s", st)
		}
		h.Advance(h.Step)
		if st := outbound(id).ConnectionStatus.StatusCode; st != types.OutboundConnectionStatusCodeActive {
			t.Fatalf("after provisioning: %s", st)
		}
		del, err := c.DeleteOutboundConnection(ctx, &awsos.DeleteOutboundConnectionInput{ConnectionId: aws.String(id)})
		if err != nil || del.Connection.ConnectionStatus.StatusCode != types.OutboundConnectionStatusCodeDeleting {
			t.Fatalf("delete = %+v, %v", del, err)
		}
		h.Advance(h.Step)
		if st := outbound(id).ConnectionStatus.StatusCode; st != types.OutboundConnectionStatusCodeDeleted {
			t.Errorf("after deletion: %s", st)
		}
	})

	t.Run("RejectAndDeleteInbound", func(t *testing.T) {
		out, err := create("conformance-b")
		if err != nil {
			t.Fatal(err)
		}
		id := out.ConnectionId
		h.Advance(h.Step)
		rej, err := c.RejectInboundConnection(ctx, &awsos.RejectInboundConnectionInput{ConnectionId: id})
		if err != nil || rej.Connection.ConnectionStatus.StatusCode != types.InboundConnectionStatusCodeRejecting {
			t.Fatalf("reject = %+v, %v", rej, err)
		}
		h.Advance(h.Step)
		if st := outbound(*id).ConnectionStatus.StatusCode; st != types.OutboundConnectionStatusCodeRejected {
			t.Errorf("after rejection: %s", st)
		}
		if _, err := c.DeleteInboundConnection(ctx, &awsos.DeleteInboundConnectionInput{ConnectionId: id}); err != nil {
			t.Errorf("delete inbound: %v", err)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		// ValidationException is not among these operations' modeled errors, so the SDK
		// returns it as a generic API error with that code.
		isValidation := func(err error) bool {
			var ae smithy.APIError
			return errors.As(err, &ae) && ae.ErrorCode() == "ValidationException"
		}
		_, err := create("9starts-with-digit")
		if !isValidation(err) {
			t.Errorf("bad alias = %v; want ValidationException", err)
		}
		_, err = c.AcceptInboundConnection(ctx, &awsos.AcceptInboundConnectionInput{ConnectionId: aws.String("cc0000000000000000")})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("accept of an unknown connection = %v; want ResourceNotFoundException", err)
		}
		_, err = c.DescribeOutboundConnections(ctx, &awsos.DescribeOutboundConnectionsInput{Filters: []types.Filter{{Name: aws.String("alias"), Values: []string{"x"}}}})
		if !isValidation(err) {
			t.Errorf("unknown filter = %v; want ValidationException", err)
		}
	})

	t.Run("Paging", func(t *testing.T) {
		var all []string
		in := &awsos.DescribeOutboundConnectionsInput{MaxResults: 1,
			Filters: []types.Filter{{Name: aws.String("local-domain-info.domain-name"), Values: []string{h.Follower}}}}
		for pages := 0; ; pages++ {
			out, err := c.DescribeOutboundConnections(ctx, in)
			if err != nil || len(out.Connections) > 1 || pages > 10 {
				t.Fatalf("page %d = %+v, %v", pages, out, err)
			}
			for _, oc := range out.Connections {
				all = append(all, aws.ToString(oc.ConnectionAlias))
			}
			if out.NextToken == nil {
				break
			}
			in.NextToken = out.NextToken
		}
		if len(all) < 2 {
			t.Errorf("paged through %v; want both connections", all)
		}
	})
}
