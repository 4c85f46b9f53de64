package opensearchtest

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"
	"github.com/aws/aws-sdk-go-v2/service/opensearch/types"

	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// connection is a cross-cluster connection from a local (follower) domain to a remote
// (leader) domain; the leader sees it as inbound.
type connection struct {
	id, alias     string
	mode          types.ConnectionMode
	props         *types.ConnectionProperties
	local, remote types.AWSDomainInformation
	created       time.Time
	accepted      time.Time
	rejected      time.Time
	deleted       time.Time
	failed        string // validation failure message
}

// outboundStatus derives the state from the fake's clock: VALIDATING for connectionStepTime,
// PENDING_ACCEPTANCE until accepted, APPROVED and PROVISIONING for connectionStepTime each,
// then ACTIVE; REJECTING and DELETING last connectionStepTime.
func (c *connection) outboundStatus(now time.Time) (types.OutboundConnectionStatusCode, string) {
	step := connectionStepTime
	switch {
	case !c.deleted.IsZero():
		if now.Sub(c.deleted) < step {
			return types.OutboundConnectionStatusCodeDeleting, "Connection is being deleted"
		}
		return types.OutboundConnectionStatusCodeDeleted, "Connection is deleted"
	case !c.rejected.IsZero():
		if now.Sub(c.rejected) < step {
			return types.OutboundConnectionStatusCodeRejecting, "Connection is being rejected"
		}
		return types.OutboundConnectionStatusCodeRejected, "Connection is rejected"
	case now.Sub(c.created) < step:
		return types.OutboundConnectionStatusCodeValidating, "Connection is being validated"
	case c.failed != "":
		return types.OutboundConnectionStatusCodeValidationFailed, c.failed
	case c.accepted.IsZero():
		return types.OutboundConnectionStatusCodePendingAcceptance, "Connection is waiting for acceptance by the remote domain owner"
	case now.Sub(c.accepted) < step:
		return types.OutboundConnectionStatusCodeApproved, "Connection is approved"
	case now.Sub(c.accepted) < 2*step:
		return types.OutboundConnectionStatusCodeProvisioning, "Connection is being provisioned"
	}
	return types.OutboundConnectionStatusCodeActive, "Connection is active"
}

func (c *connection) inboundStatus(now time.Time) types.InboundConnectionStatusCode {
	s, _ := c.outboundStatus(now)
	switch s {
	case types.OutboundConnectionStatusCodeValidating, types.OutboundConnectionStatusCodeValidationFailed:
		return ""
	}
	return types.InboundConnectionStatusCode(s)
}

// counts reports whether the connection counts against the domains' limits.
func (c *connection) live(now time.Time) bool {
	s, _ := c.outboundStatus(now)
	return s != types.OutboundConnectionStatusCodeDeleted && s != types.OutboundConnectionStatusCodeRejected && s != types.OutboundConnectionStatusCodeValidationFailed
}

// transient reports whether only the clock will move the connection on.
func transient(s types.OutboundConnectionStatusCode) bool {
	switch s {
	case types.OutboundConnectionStatusCodeValidating, types.OutboundConnectionStatusCodeApproved,
		types.OutboundConnectionStatusCodeProvisioning, types.OutboundConnectionStatusCodeRejecting, types.OutboundConnectionStatusCodeDeleting:
		return true
	}
	return false
}

var aliasRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9\-\_]+$`)

func validationErr(msg string) error { return &types.ValidationException{Message: aws.String(msg)} }

func domainInfo(c *types.DomainInformationContainer, member string) (types.AWSDomainInformation, error) {
	if c == nil || c.AWSDomainInformation == nil {
		return types.AWSDomainInformation{}, validationErr("1 validation error detected: Value null at '" + member + ".aWSDomainInformation' failed to satisfy constraint: Member must not be null")
	}
	info := *c.AWSDomainInformation
	if info.DomainName == nil || !domainNameRE.MatchString(*info.DomainName) {
		return info, validationErr("1 validation error detected: Value at '" + member + ".aWSDomainInformation.domainName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z][a-z0-9\\-]+ and have length between 3 and 28")
	}
	return info, nil
}

// CreateOutboundConnection creates a connection from the local (follower) domain to the
// remote (leader) domain, by the API reference: ConnectionAlias 2-100 characters matching
// ^[a-zA-Z][a-zA-Z0-9\-\_]+$ and unique per local domain (ResourceAlreadyExistsException),
// both domains named, the local one existing (ResourceNotFoundException), at most
// maxConnections live connections per domain (LimitExceededException). Validation fails
// (VALIDATION_FAILED) when the remote domain is not in the fake or runs an older version.
func (f *Fake) CreateOutboundConnection(ctx context.Context, in *awsos.CreateOutboundConnectionInput, _ ...func(*awsos.Options)) (*awsos.CreateOutboundConnectionOutput, error) {
	return fakecontrol.Do(f.Controls, OpCreateOutboundConnection, in, func(in *awsos.CreateOutboundConnectionInput) (*awsos.CreateOutboundConnectionOutput, error) {
		alias := aws.ToString(in.ConnectionAlias)
		if len(alias) < 2 || len(alias) > 100 || !aliasRE.MatchString(alias) {
			return nil, validationErr("1 validation error detected: Value '" + alias + "' at 'connectionAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z][a-zA-Z0-9\\-\\_]+$ and have length between 2 and 100")
		}
		local, err := domainInfo(in.LocalDomainInfo, "localDomainInfo")
		if err != nil {
			return nil, err
		}
		remote, err := domainInfo(in.RemoteDomainInfo, "remoteDomainInfo")
		if err != nil {
			return nil, err
		}
		mode := in.ConnectionMode
		if mode == "" {
			mode = types.ConnectionModeDirect
		}
		if !slices.Contains(types.ConnectionMode("").Values(), mode) {
			return nil, validationErr("1 validation error detected: Value '" + string(mode) + "' at 'connectionMode' failed to satisfy constraint: Member must satisfy enum value set: [DIRECT, VPC_ENDPOINT]")
		}
		f.fillInfo(&local)
		f.fillInfo(&remote)
		f.mu.Lock()
		defer f.mu.Unlock()
		now := f.clock.Now()
		ld, ok := f.domains[*local.DomainName]
		if !ok || ld.serverless {
			return nil, &types.ResourceNotFoundException{Message: aws.String("Domain not found: " + *local.DomainName)}
		}
		for _, c := range f.conns {
			if c.live(now) && aws.ToString(c.local.DomainName) == *local.DomainName && c.alias == alias {
				return nil, &types.ResourceAlreadyExistsException{Message: aws.String("A connection with alias " + alias + " already exists for domain " + *local.DomainName)}
			}
		}
		for _, name := range []string{*local.DomainName, *remote.DomainName} {
			if f.liveConnections(name, now) >= maxConnections {
				return nil, &types.LimitExceededException{Message: aws.String(fmt.Sprintf("Domain %s has reached the limit of %d cross-cluster connections", name, maxConnections))}
			}
		}
		f.seq++
		c := &connection{id: fmt.Sprintf("cc%014x", f.seq), alias: alias, mode: mode, props: in.ConnectionProperties, local: local, remote: remote, created: now}
		rd, ok := f.domains[*remote.DomainName]
		switch {
		case !ok || rd.serverless:
			c.failed = "Remote domain " + *remote.DomainName + " was not found"
		case rd.spec.EngineVersion < ld.spec.EngineVersion:
			c.failed = "The remote (leader) domain runs an older version than the local domain"
		}
		f.conns[c.id] = c
		status, msg := c.outboundStatus(now)
		return &awsos.CreateOutboundConnectionOutput{
			ConnectionAlias: aws.String(alias), ConnectionId: aws.String(c.id), ConnectionMode: mode, ConnectionProperties: c.props,
			ConnectionStatus: &types.OutboundConnectionStatus{StatusCode: status, Message: aws.String(msg)},
			LocalDomainInfo:  &types.DomainInformationContainer{AWSDomainInformation: &local},
			RemoteDomainInfo: &types.DomainInformationContainer{AWSDomainInformation: &remote},
		}, nil
	})
}

func (f *Fake) fillInfo(i *types.AWSDomainInformation) {
	if i.OwnerId == nil {
		i.OwnerId = aws.String(f.opts.AccountID)
	}
	if i.Region == nil {
		i.Region = aws.String(f.opts.Region)
	}
}

// liveConnections counts the live connections of a domain, inbound and outbound.
func (f *Fake) liveConnections(domain string, now time.Time) int {
	n := 0
	for _, c := range f.conns {
		if c.live(now) && (aws.ToString(c.local.DomainName) == domain || aws.ToString(c.remote.DomainName) == domain) {
			n++
		}
	}
	return n
}

func (f *Fake) findConn(id *string) (*connection, error) {
	if id == nil || *id == "" || len(*id) > 256 {
		return nil, validationErr("1 validation error detected: Value at 'connectionId' failed to satisfy constraint: Member must have length between 10 and 256")
	}
	c, ok := f.conns[*id]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Connection not found: " + *id)}
	}
	return c, nil
}

func (f *Fake) outbound(c *connection, now time.Time) types.OutboundConnection {
	s, msg := c.outboundStatus(now)
	l, r := c.local, c.remote
	return types.OutboundConnection{ConnectionAlias: aws.String(c.alias), ConnectionId: aws.String(c.id), ConnectionMode: c.mode, ConnectionProperties: c.props,
		ConnectionStatus: &types.OutboundConnectionStatus{StatusCode: s, Message: aws.String(msg)},
		LocalDomainInfo:  &types.DomainInformationContainer{AWSDomainInformation: &l}, RemoteDomainInfo: &types.DomainInformationContainer{AWSDomainInformation: &r}}
}

// inbound is the leader's view: local is the leader.
func (f *Fake) inbound(c *connection, now time.Time) types.InboundConnection {
	_, msg := c.outboundStatus(now)
	l, r := c.remote, c.local
	return types.InboundConnection{ConnectionId: aws.String(c.id), ConnectionMode: c.mode,
		ConnectionStatus: &types.InboundConnectionStatus{StatusCode: c.inboundStatus(now), Message: aws.String(msg)},
		LocalDomainInfo:  &types.DomainInformationContainer{AWSDomainInformation: &l}, RemoteDomainInfo: &types.DomainInformationContainer{AWSDomainInformation: &r}}
}

// AcceptInboundConnection accepts a PENDING_ACCEPTANCE connection on the leader side; the
// leader's limit of maxConnections applies.
func (f *Fake) AcceptInboundConnection(ctx context.Context, in *awsos.AcceptInboundConnectionInput, _ ...func(*awsos.Options)) (*awsos.AcceptInboundConnectionOutput, error) {
	return fakecontrol.Do(f.Controls, OpAcceptInboundConnection, in, func(in *awsos.AcceptInboundConnectionInput) (*awsos.AcceptInboundConnectionOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		now := f.clock.Now()
		c, err := f.pendingInbound(in.ConnectionId, now)
		if err != nil {
			return nil, err
		}
		c.accepted = now
		ib := f.inbound(c, now)
		return &awsos.AcceptInboundConnectionOutput{Connection: &ib}, nil
	})
}

// RejectInboundConnection rejects a PENDING_ACCEPTANCE connection on the leader side.
func (f *Fake) RejectInboundConnection(ctx context.Context, in *awsos.RejectInboundConnectionInput, _ ...func(*awsos.Options)) (*awsos.RejectInboundConnectionOutput, error) {
	return fakecontrol.Do(f.Controls, OpRejectInboundConnection, in, func(in *awsos.RejectInboundConnectionInput) (*awsos.RejectInboundConnectionOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		now := f.clock.Now()
		c, err := f.pendingInbound(in.ConnectionId, now)
		if err != nil {
			return nil, err
		}
		c.rejected = now
		ib := f.inbound(c, now)
		return &awsos.RejectInboundConnectionOutput{Connection: &ib}, nil
	})
}

// pendingInbound finds a connection the leader can still accept or reject.
func (f *Fake) pendingInbound(id *string, now time.Time) (*connection, error) {
	c, err := f.findConn(id)
	if err != nil {
		return nil, err
	}
	if st := c.inboundStatus(now); st != types.InboundConnectionStatusCodePendingAcceptance {
		return nil, &types.DisabledOperationException{Message: aws.String(fmt.Sprintf("Connection %s is %s, not PENDING_ACCEPTANCE", c.id, st))}
	}
	return c, nil
}

func (f *Fake) deleteConn(id *string, now time.Time) (*connection, error) {
	c, err := f.findConn(id)
	if err != nil {
		return nil, err
	}
	if c.deleted.IsZero() {
		c.deleted = now
	}
	return c, nil
}

// DeleteOutboundConnection deletes a connection from the follower side.
func (f *Fake) DeleteOutboundConnection(ctx context.Context, in *awsos.DeleteOutboundConnectionInput, _ ...func(*awsos.Options)) (*awsos.DeleteOutboundConnectionOutput, error) {
	return fakecontrol.Do(f.Controls, OpDeleteOutboundConnection, in, func(in *awsos.DeleteOutboundConnectionInput) (*awsos.DeleteOutboundConnectionOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		now := f.clock.Now()
		c, err := f.deleteConn(in.ConnectionId, now)
		if err != nil {
			return nil, err
		}
		ob := f.outbound(c, now)
		return &awsos.DeleteOutboundConnectionOutput{Connection: &ob}, nil
	})
}

// DeleteInboundConnection deletes a connection from the leader side.
func (f *Fake) DeleteInboundConnection(ctx context.Context, in *awsos.DeleteInboundConnectionInput, _ ...func(*awsos.Options)) (*awsos.DeleteInboundConnectionOutput, error) {
	return fakecontrol.Do(f.Controls, OpDeleteInboundConnection, in, func(in *awsos.DeleteInboundConnectionInput) (*awsos.DeleteInboundConnectionOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		now := f.clock.Now()
		c, err := f.deleteConn(in.ConnectionId, now)
		if err != nil {
			return nil, err
		}
		ib := f.inbound(c, now)
		return &awsos.DeleteInboundConnectionOutput{Connection: &ib}, nil
	})
}

var connectionFilters = []string{"connection-id", "local-domain-info.domain-name", "local-domain-info.owner-id", "local-domain-info.region",
	"remote-domain-info.domain-name", "remote-domain-info.owner-id", "remote-domain-info.region"}

func filterValue(name, id string, local, remote types.AWSDomainInformation) string {
	switch name {
	case "connection-id":
		return id
	case "local-domain-info.domain-name":
		return aws.ToString(local.DomainName)
	case "local-domain-info.owner-id":
		return aws.ToString(local.OwnerId)
	case "local-domain-info.region":
		return aws.ToString(local.Region)
	case "remote-domain-info.domain-name":
		return aws.ToString(remote.DomainName)
	case "remote-domain-info.owner-id":
		return aws.ToString(remote.OwnerId)
	case "remote-domain-info.region":
		return aws.ToString(remote.Region)
	}
	return ""
}

// page validates filters and paging and returns the window [start, end) of n items.
func (f *Fake) page(filters []types.Filter, maxResults int32, token *string, n int) (int, int, error) {
	for _, fl := range filters {
		if !slices.Contains(connectionFilters, aws.ToString(fl.Name)) {
			return 0, 0, validationErr("Invalid filter name: " + aws.ToString(fl.Name))
		}
		if len(fl.Values) == 0 {
			return 0, 0, validationErr("Filter " + aws.ToString(fl.Name) + " needs at least one value")
		}
	}
	if maxResults < 0 || maxResults > 100 {
		return 0, 0, validationErr("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100")
	}
	size := f.opts.PageSize
	if maxResults > 0 && int(maxResults) < size {
		size = int(maxResults)
	}
	start := 0
	if token != nil {
		v, err := strconv.Atoi(*token)
		if err != nil || v < 0 || v > n {
			return 0, 0, validationErr("Invalid NextToken")
		}
		start = v
	}
	return start, min(n, start+size), nil
}

func matchFilters(filters []types.Filter, value func(string) string) bool {
	for _, fl := range filters {
		if !slices.Contains(fl.Values, value(aws.ToString(fl.Name))) {
			return false
		}
	}
	return true
}

// waitingOnClock reports a connection that only the clock moves on (see fakecontrol).
func (f *Fake) waitingOnClock(c *connection, now time.Time) error {
	s, _ := c.outboundStatus(now)
	if transient(s) {
		return f.WaitingOnClock("connection/"+c.id, now)
	}
	f.Settled("connection/" + c.id)
	return nil
}

func (f *Fake) sortedConns() []*connection {
	cs := make([]*connection, 0, len(f.conns))
	for _, c := range f.conns {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b *connection) int { return a.created.Compare(b.created)*2 + cmpStr(a.id, b.id) })
	return cs
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DescribeOutboundConnections lists connections as their follower (local) side sees them,
// with filters and pages of Options.PageSize.
func (f *Fake) DescribeOutboundConnections(ctx context.Context, in *awsos.DescribeOutboundConnectionsInput, _ ...func(*awsos.Options)) (*awsos.DescribeOutboundConnectionsOutput, error) {
	return fakecontrol.Do(f.Controls, OpDescribeOutboundConnections, in, func(in *awsos.DescribeOutboundConnectionsInput) (*awsos.DescribeOutboundConnectionsOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		now := f.clock.Now()
		conns, next, err := f.pageConns(false, in.Filters, in.MaxResults, in.NextToken, now)
		if err != nil {
			return nil, err
		}
		out := &awsos.DescribeOutboundConnectionsOutput{Connections: make([]types.OutboundConnection, 0, len(conns)), NextToken: next}
		for _, c := range conns {
			out.Connections = append(out.Connections, f.outbound(c, now))
		}
		return out, nil
	})
}

// DescribeInboundConnections lists connections as their leader side sees them (local is the
// leader); connections still VALIDATING or that failed validation are not listed.
func (f *Fake) DescribeInboundConnections(ctx context.Context, in *awsos.DescribeInboundConnectionsInput, _ ...func(*awsos.Options)) (*awsos.DescribeInboundConnectionsOutput, error) {
	return fakecontrol.Do(f.Controls, OpDescribeInboundConnections, in, func(in *awsos.DescribeInboundConnectionsInput) (*awsos.DescribeInboundConnectionsOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		now := f.clock.Now()
		conns, next, err := f.pageConns(true, in.Filters, in.MaxResults, in.NextToken, now)
		if err != nil {
			return nil, err
		}
		out := &awsos.DescribeInboundConnectionsOutput{Connections: make([]types.InboundConnection, 0, len(conns)), NextToken: next}
		for _, c := range conns {
			out.Connections = append(out.Connections, f.inbound(c, now))
		}
		return out, nil
	})
}

// pageConns is the search both Describe*Connections make: the connections one side lists
// (inbound: the leader's, where local is the remote domain and validation is not shown),
// matching filters, one page of them, each reported to the clock's bookkeeping. next is the
// token of the following page, nil on the last.
func (f *Fake) pageConns(inbound bool, filters []types.Filter, maxResults int32, token *string, now time.Time) (page []*connection, next *string, err error) {
	var all []*connection
	for _, c := range f.sortedConns() {
		local, remote := c.local, c.remote
		if inbound {
			if c.inboundStatus(now) == "" {
				continue
			}
			local, remote = remote, local
		}
		if matchFilters(filters, func(n string) string { return filterValue(n, c.id, local, remote) }) {
			all = append(all, c)
		}
	}
	start, end, err := f.page(filters, maxResults, token, len(all))
	if err != nil {
		return nil, nil, err
	}
	for _, c := range all[start:end] {
		if err := f.waitingOnClock(c, now); err != nil {
			return nil, nil, err
		}
	}
	if end < len(all) {
		next = aws.String(strconv.Itoa(end))
	}
	return all[start:end], next, nil
}

// DescribeDomain describes a domain: ARN, endpoint (the data plane's host:port), engine
// version and the FGAC prerequisites (all on unless DomainSpec.Insecure).
func (f *Fake) DescribeDomain(ctx context.Context, in *awsos.DescribeDomainInput, _ ...func(*awsos.Options)) (*awsos.DescribeDomainOutput, error) {
	return fakecontrol.Do(f.Controls, OpDescribeDomain, in, func(in *awsos.DescribeDomainInput) (*awsos.DescribeDomainOutput, error) {
		name := aws.ToString(in.DomainName)
		if !domainNameRE.MatchString(name) {
			return nil, validationErr("1 validation error detected: Value '" + name + "' at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z][a-z0-9\\-]+")
		}
		f.mu.Lock()
		d, ok := f.domains[name]
		f.mu.Unlock()
		if !ok || d.serverless {
			return nil, &types.ResourceNotFoundException{Message: aws.String("Domain not found: " + name)}
		}
		secure := !d.spec.Insecure
		host := ""
		if u, err := url.Parse(d.URL()); err == nil {
			host = u.Host
		}
		st := &types.DomainStatus{
			ARN: aws.String(fmt.Sprintf("arn:aws:es:%s:%s:domain/%s", f.opts.Region, f.opts.AccountID, name)), DomainId: aws.String(f.opts.AccountID + "/" + name),
			DomainName: aws.String(name), Created: aws.Bool(true), Deleted: aws.Bool(false), Processing: aws.Bool(false),
			Endpoint: aws.String(host), EngineVersion: aws.String(d.spec.EngineVersion),
			DomainProcessingStatus: types.DomainProcessingStatusTypeActive,
			ClusterConfig:          &types.ClusterConfig{InstanceType: types.OpenSearchPartitionInstanceTypeR6gLargeSearch, InstanceCount: aws.Int32(2)},
			AdvancedSecurityOptions: &types.AdvancedSecurityOptions{Enabled: aws.Bool(secure), InternalUserDatabaseEnabled: aws.Bool(secure),
				AnonymousAuthEnabled: aws.Bool(false)},
			NodeToNodeEncryptionOptions: &types.NodeToNodeEncryptionOptions{Enabled: aws.Bool(secure)},
			EncryptionAtRestOptions:     &types.EncryptionAtRestOptions{Enabled: aws.Bool(secure)},
			DomainEndpointOptions:       &types.DomainEndpointOptions{EnforceHTTPS: aws.Bool(secure), TLSSecurityPolicy: types.TLSSecurityPolicyPolicyMinTls12201907},
		}
		return &awsos.DescribeDomainOutput{DomainStatus: st}, nil
	})
}

// Service describes the control plane for localaws: restJson1, signing name es, PascalCase
// members, routes as in the API reference.
func (f *Fake) Service() localaws.Service {
	const p = "/2021-01-01/opensearch"
	return localaws.Service{
		SigningName: "es",
		Protocol:    localaws.RESTJSON1,
		Naming:      localaws.Pascal,
		ErrorStatus: map[string]int{
			"ResourceNotFoundException": 409, "ResourceAlreadyExistsException": 409, "LimitExceededException": 409,
			"DisabledOperationException": 409, "ConflictException": 409, "AccessDeniedException": 403,
			"InternalException": 500, "ValidationException": 400, "BaseException": 400,
		},
		Operations: []localaws.Operation{
			localaws.Route(OpDescribeDomain, "GET", p+"/domain/{DomainName}", f.DescribeDomain),
			localaws.Route(OpCreateOutboundConnection, "POST", p+"/cc/outboundConnection", f.CreateOutboundConnection),
			localaws.Route(OpAcceptInboundConnection, "PUT", p+"/cc/inboundConnection/{ConnectionId}/accept", f.AcceptInboundConnection),
			localaws.Route(OpRejectInboundConnection, "PUT", p+"/cc/inboundConnection/{ConnectionId}/reject", f.RejectInboundConnection),
			localaws.Route(OpDeleteOutboundConnection, "DELETE", p+"/cc/outboundConnection/{ConnectionId}", f.DeleteOutboundConnection),
			localaws.Route(OpDeleteInboundConnection, "DELETE", p+"/cc/inboundConnection/{ConnectionId}", f.DeleteInboundConnection),
			localaws.Route(OpDescribeOutboundConnections, "POST", p+"/cc/outboundConnection/search", f.DescribeOutboundConnections),
			localaws.Route(OpDescribeInboundConnections, "POST", p+"/cc/inboundConnection/search", f.DescribeInboundConnections),
		},
	}
}

// activeLeader returns the leader domain of the ACTIVE connection with alias from follower.
func (f *Fake) activeLeader(follower, alias string) (*Domain, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now()
	for _, c := range f.conns {
		if aws.ToString(c.local.DomainName) == follower && c.alias == alias {
			if s, _ := c.outboundStatus(now); s == types.OutboundConnectionStatusCodeActive {
				d, ok := f.domains[aws.ToString(c.remote.DomainName)]
				return d, ok
			}
		}
	}
	return nil, false
}
