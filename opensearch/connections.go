package opensearch

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"
	"github.com/aws/aws-sdk-go-v2/service/opensearch/types"

	"github.com/datablocks-go/datablocks/internal/poll"
)

// maxConnections is AWS's limit of cross-cluster connections per domain, inbound and
// outbound together.
const maxConnections = 20

// Defaults of Options.Wait.
const (
	defaultConnectionMinDelay = 5 * time.Second
	defaultConnectionMaxDelay = 30 * time.Second
)

// ConnectionsAPIClient is the part of the OpenSearch Service client (*opensearch.Client)
// that Connections calls on the follower's account.
type ConnectionsAPIClient interface {
	awsos.DescribeOutboundConnectionsAPIClient
	awsos.DescribeInboundConnectionsAPIClient
	CreateOutboundConnection(ctx context.Context, params *awsos.CreateOutboundConnectionInput, optFns ...func(*awsos.Options)) (*awsos.CreateOutboundConnectionOutput, error)
	DeleteOutboundConnection(ctx context.Context, params *awsos.DeleteOutboundConnectionInput, optFns ...func(*awsos.Options)) (*awsos.DeleteOutboundConnectionOutput, error)
}

// AcceptAPIClient is the part of the OpenSearch Service client that accepts connections on
// the leader's account.
type AcceptAPIClient interface {
	AcceptInboundConnection(ctx context.Context, params *awsos.AcceptInboundConnectionInput, optFns ...func(*awsos.Options)) (*awsos.AcceptInboundConnectionOutput, error)
}

var (
	_ ConnectionsAPIClient = (*awsos.Client)(nil)
	_ AcceptAPIClient      = (*awsos.Client)(nil)
)

// Connections creates cross-cluster connections from follower domains to leader domains.
type Connections struct {
	client ConnectionsAPIClient
	opts   Options
}

// NewConnections returns a Connections helper. It reads Accept, Wait and ClientOptions.
func NewConnections(client ConnectionsAPIClient, optFns ...func(*Options)) *Connections {
	return &Connections{client: client, opts: configure(Options{}, optFns)}
}

// Domain identifies a domain for a connection.
type Domain struct {
	// Name is the domain name.
	Name string
	// OwnerID is the owning account. Empty leaves it to the service (the caller's account).
	OwnerID string
	// Region is the domain's region. Empty leaves it to the service (the client's region).
	Region string
}

func (d Domain) info() *types.DomainInformationContainer {
	i := &types.AWSDomainInformation{DomainName: aws.String(d.Name)}
	if d.OwnerID != "" {
		i.OwnerId = aws.String(d.OwnerID)
	}
	if d.Region != "" {
		i.Region = aws.String(d.Region)
	}
	return &types.DomainInformationContainer{AWSDomainInformation: i}
}

// ConnectionInput describes a connection from a follower to a leader.
type ConnectionInput struct {
	// Alias names the connection on the follower; replication's leader_alias is this alias.
	// 2-100 characters, ^[a-zA-Z][a-zA-Z0-9\-\_]+$.
	Alias string
	// Follower is the local domain, which pulls.
	Follower Domain
	// Leader is the remote domain.
	Leader Domain
	// Mode is DIRECT or VPC_ENDPOINT. Empty means DIRECT.
	Mode types.ConnectionMode
}

// Connection is a connection handle.
type Connection struct {
	// ID is the connection ID.
	ID string
	// Alias is the connection alias.
	Alias string
	// Status is the last observed status.
	Status types.OutboundConnectionStatusCode
	// Existing reports that StartConnection found a live connection with the alias instead
	// of creating one.
	Existing bool
}

var (
	aliasRE      = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9\-\_]+$`)
	domainNameRE = regexp.MustCompile(`^[a-z][a-z0-9\-]{2,27}$`)
)

func (in ConnectionInput) validate() error {
	if len(in.Alias) < 2 || len(in.Alias) > 100 || !aliasRE.MatchString(in.Alias) {
		return fmt.Errorf("opensearch: ConnectionInput.Alias %q must be 2-100 characters matching ^[a-zA-Z][a-zA-Z0-9\\-\\_]+$", in.Alias)
	}
	for _, d := range []struct {
		field string
		d     Domain
	}{{"Follower", in.Follower}, {"Leader", in.Leader}} {
		if !domainNameRE.MatchString(d.d.Name) {
			return fmt.Errorf("opensearch: ConnectionInput.%s.Name %q must be 3-28 lower-case letters, digits and hyphens, starting with a letter", d.field, d.d.Name)
		}
	}
	if in.Follower == in.Leader {
		return errors.New("opensearch: ConnectionInput: Follower and Leader are the same domain")
	}
	if in.Mode != "" && in.Mode != types.ConnectionModeDirect && in.Mode != types.ConnectionModeVpcEndpoint {
		return fmt.Errorf("opensearch: ConnectionInput.Mode %q must be DIRECT or VPC_ENDPOINT", in.Mode)
	}
	return nil
}

// connectionLimitError is ErrConnectionLimit for a domain.
type connectionLimitError struct {
	Domain string
	Count  int
}

// Error says which domain is full.
func (e *connectionLimitError) Error() string {
	return fmt.Sprintf("opensearch: domain %q already has %d cross-cluster connections (the limit is %d, inbound and outbound together)", e.Domain, e.Count, maxConnections)
}

// Unwrap returns ErrConnectionLimit.
func (e *connectionLimitError) Unwrap() error { return ErrConnectionLimit }

// ConnectionFailedError reports a connection that ended in VALIDATION_FAILED, REJECTED or
// DELETED.
type ConnectionFailedError struct {
	ID, Alias string
	Status    types.OutboundConnectionStatusCode
	Message   string
}

// Error says how the connection ended.
func (e *ConnectionFailedError) Error() string {
	return fmt.Sprintf("opensearch: connection %s (%s) is %s: %s", e.Alias, e.ID, e.Status, e.Message)
}

func dead(s types.OutboundConnectionStatusCode) bool {
	switch s {
	case types.OutboundConnectionStatusCodeValidationFailed, types.OutboundConnectionStatusCodeRejecting, types.OutboundConnectionStatusCodeRejected,
		types.OutboundConnectionStatusCodeDeleting, types.OutboundConnectionStatusCodeDeleted:
		return true
	}
	return false
}

func statusOf(c types.OutboundConnection) (types.OutboundConnectionStatusCode, string) {
	if c.ConnectionStatus == nil {
		return "", ""
	}
	return c.ConnectionStatus.StatusCode, aws.ToString(c.ConnectionStatus.Message)
}

func (c *Connections) with(optFns []func(*Options)) Options {
	return configure(c.opts, optFns)
}

// StartConnection creates the connection, or returns the live one the follower already has
// with in.Alias (idempotent by alias; one with another leader is an error). Before creating,
// it counts the live connections of both domains and refuses with ErrConnectionLimit at
// 20, AWS's limit. It does not wait; see WaitConnection.
func (c *Connections) StartConnection(ctx context.Context, in ConnectionInput, optFns ...func(*Options)) (Connection, error) {
	o := c.with(optFns)
	if err := in.validate(); err != nil {
		return Connection{}, err
	}
	outbound, err := c.outbound(ctx, o, "local-domain-info.domain-name", in.Follower.Name)
	if err != nil {
		return Connection{}, err
	}
	for _, oc := range outbound {
		st, _ := statusOf(oc)
		if aws.ToString(oc.ConnectionAlias) != in.Alias || dead(st) {
			continue
		}
		remote := ""
		if oc.RemoteDomainInfo != nil && oc.RemoteDomainInfo.AWSDomainInformation != nil {
			remote = aws.ToString(oc.RemoteDomainInfo.AWSDomainInformation.DomainName)
		}
		if remote != in.Leader.Name {
			return Connection{}, fmt.Errorf("opensearch: domain %q already has connection %q (%s) to %q, not to %q", in.Follower.Name, in.Alias, aws.ToString(oc.ConnectionId), remote, in.Leader.Name)
		}
		return Connection{ID: aws.ToString(oc.ConnectionId), Alias: in.Alias, Status: st, Existing: true}, nil
	}
	for i, d := range []string{in.Follower.Name, in.Leader.Name} {
		var known []types.OutboundConnection
		if i == 0 {
			known = outbound // already listed: one read less of each connection
		}
		n, err := c.liveCount(ctx, o, d, known)
		if err != nil {
			return Connection{}, err
		}
		if n >= maxConnections {
			return Connection{}, &connectionLimitError{Domain: d, Count: n}
		}
	}
	out, err := c.client.CreateOutboundConnection(ctx, &awsos.CreateOutboundConnectionInput{
		ConnectionAlias: aws.String(in.Alias), LocalDomainInfo: in.Follower.info(), RemoteDomainInfo: in.Leader.info(), ConnectionMode: in.Mode,
	}, o.ClientOptions...)
	if err != nil {
		return Connection{}, fmt.Errorf("opensearch: creating connection %q: %w", in.Alias, err)
	}
	conn := Connection{ID: aws.ToString(out.ConnectionId), Alias: in.Alias}
	if out.ConnectionStatus != nil {
		conn.Status = out.ConnectionStatus.StatusCode
	}
	return conn, nil
}

func (c *Connections) outbound(ctx context.Context, o Options, filter, value string) ([]types.OutboundConnection, error) {
	p := awsos.NewDescribeOutboundConnectionsPaginator(c.client, &awsos.DescribeOutboundConnectionsInput{
		Filters: []types.Filter{{Name: aws.String(filter), Values: []string{value}}}})
	var out []types.OutboundConnection
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("opensearch: describing outbound connections: %w", err)
		}
		out = append(out, page.Connections...)
	}
	return out, nil
}

// liveCount counts a domain's live connections, outbound (known when already listed) and
// inbound.
func (c *Connections) liveCount(ctx context.Context, o Options, domain string, known []types.OutboundConnection) (int, error) {
	out := known
	if out == nil {
		var err error
		if out, err = c.outbound(ctx, o, "local-domain-info.domain-name", domain); err != nil {
			return 0, err
		}
	}
	n := 0
	for _, oc := range out {
		if st, _ := statusOf(oc); !dead(st) {
			n++
		}
	}
	p := awsos.NewDescribeInboundConnectionsPaginator(c.client, &awsos.DescribeInboundConnectionsInput{
		Filters: []types.Filter{{Name: aws.String("local-domain-info.domain-name"), Values: []string{domain}}}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			return 0, fmt.Errorf("opensearch: describing inbound connections: %w", err)
		}
		for _, ic := range page.Connections {
			if ic.ConnectionStatus == nil || !dead(types.OutboundConnectionStatusCode(ic.ConnectionStatus.StatusCode)) {
				n++
			}
		}
	}
	return n, nil
}

// WaitConnection waits until the connection is ACTIVE, accepting it on the leader side when
// it is PENDING_ACCEPTANCE (see Options.Accept). A connection that fails
// validation, is rejected or deleted ends the wait with *ConnectionFailedError.
func (c *Connections) WaitConnection(ctx context.Context, conn Connection, optFns ...func(*Options)) (Connection, error) {
	o := c.with(optFns)
	if conn.ID == "" {
		return conn, errors.New("opensearch: WaitConnection: the connection has no ID")
	}
	accept := o.Accept
	if accept == nil {
		accept, _ = c.client.(AcceptAPIClient)
	}
	w := o.Wait
	if w.MinDelay == 0 {
		w.MinDelay = defaultConnectionMinDelay
	}
	if w.MaxDelay == 0 {
		w.MaxDelay = defaultConnectionMaxDelay
	}
	accepted := false
	err := poll.Wait(ctx, poll.FromWaitFor("connection "+conn.Alias, w, c.client), func(ctx context.Context) (string, bool, error) {
		out, err := c.client.DescribeOutboundConnections(ctx, &awsos.DescribeOutboundConnectionsInput{
			Filters: []types.Filter{{Name: aws.String("connection-id"), Values: []string{conn.ID}}}}, o.ClientOptions...)
		if err != nil {
			return "", false, fmt.Errorf("opensearch: describing connection %s: %w", conn.ID, err)
		}
		if len(out.Connections) == 0 {
			return "", false, &ConnectionFailedError{ID: conn.ID, Alias: conn.Alias, Status: types.OutboundConnectionStatusCodeDeleted, Message: "not found"}
		}
		st, msg := statusOf(out.Connections[0])
		conn.Status = st
		switch {
		case st == types.OutboundConnectionStatusCodeActive:
			return string(st), true, nil
		case dead(st):
			return string(st), false, &ConnectionFailedError{ID: conn.ID, Alias: conn.Alias, Status: st, Message: msg}
		case st == types.OutboundConnectionStatusCodePendingAcceptance && accept != nil && !accepted:
			if _, err := accept.AcceptInboundConnection(ctx, &awsos.AcceptInboundConnectionInput{ConnectionId: aws.String(conn.ID)}, o.ClientOptions...); err != nil {
				return string(st), false, fmt.Errorf("opensearch: accepting connection %s: %w", conn.ID, err)
			}
			accepted = true
		}
		return string(st), false, nil
	})
	return conn, err
}

// RunConnection is StartConnection then WaitConnection.
func (c *Connections) RunConnection(ctx context.Context, in ConnectionInput, optFns ...func(*Options)) (Connection, error) {
	conn, err := c.StartConnection(ctx, in, optFns...)
	if err != nil {
		return conn, err
	}
	existing := conn.Existing
	conn, err = c.WaitConnection(ctx, conn, optFns...)
	conn.Existing = existing
	return conn, err
}

// DeleteConnection deletes a connection from the follower side.
func (c *Connections) DeleteConnection(ctx context.Context, id string, optFns ...func(*Options)) error {
	o := c.with(optFns)
	if id == "" {
		return errors.New("opensearch: DeleteConnection: empty connection ID")
	}
	if _, err := c.client.DeleteOutboundConnection(ctx, &awsos.DeleteOutboundConnectionInput{ConnectionId: aws.String(id)}, o.ClientOptions...); err != nil {
		return fmt.Errorf("opensearch: deleting connection %s: %w", id, err)
	}
	return nil
}
