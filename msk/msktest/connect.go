package msktest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kafkaconnect"
	"github.com/aws/aws-sdk-go-v2/service/kafkaconnect/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// The operations of Connect, as named in fakecontrol calls.
const (
	OpCreateConnector   = "CreateConnector"
	OpDescribeConnector = "DescribeConnector"
	OpListConnectors    = "ListConnectors"
	OpUpdateConnector   = "UpdateConnector"
	OpDeleteConnector   = "DeleteConnector"
)

// Defaults of Options.
const (
	// createDuration, updateDuration and deleteDuration are how long, by the fake's clock, a
	// connector stays CREATING, UPDATING and DELETING. MSK Connect takes minutes for each.
	createDuration = 5 * time.Minute
	updateDuration = 3 * time.Minute
	deleteDuration = time.Minute
	// defaultConnectPageSize is ListConnectors' page size when MaxResults is not set: the
	// API's maximum (the API reference states no default).
	defaultConnectPageSize = 100
)

// Connect is an in-memory fake of the MSK Connect API (the kafkaconnect service client)
// for connectors: CreateConnector, DescribeConnector, ListConnectors, UpdateConnector and
// DeleteConnector, with the connector state machine CREATING -> RUNNING | FAILED, RUNNING ->
// UPDATING -> RUNNING | FAILED, and DELETING -> gone, advanced only by the fake's clock. Serve
// it on the wire with Service. It is safe for concurrent use.
//
// Requests are validated as the MSK Connect API reference specifies each member (required
// members, lengths, capacity ranges, enum values, one custom plugin, IAM authentication only
// with TLS) and answered with its errors: BadRequestException, ConflictException (a name
// in use), NotFoundException.
//
// Not modeled: custom plugins and worker configurations as resources (their ARNs are only
// checked for shape), connector logs, auto scaling behaviour (the settings are validated
// and stored), tags, connector operations (ListConnectorOperations), and connectors that
// fail on their own: a failure happens where FailNextTransition says.
type Connect struct {
	// Controls intercepts calls, injects failures and throttling (MSK Connect's
	// TooManyRequestsException), and logs calls, keyed by the OpXxxConnector constants.
	*fakecontrol.Controls

	opts Options

	mu       sync.Mutex
	byARN    map[string]*fakeConnector
	failNext map[string]*types.StateDescription // by connector name
	seq      int
}

type fakeConnector struct {
	in       kafkaconnect.CreateConnectorInput
	arn      string
	created  time.Time
	version  int
	state    types.ConnectorState
	until    time.Time               // when the transitional state ends
	fail     *types.StateDescription // the failure the transition ends in, if any
	failed   *types.StateDescription
	capacity *types.Capacity
}

// NewConnect returns an empty MSK Connect fake.
func NewConnect(optFns ...func(*Options)) *Connect {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Clock == nil {
		o.Clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	if o.Region == "" {
		o.Region = defaultControlPlaneRegion
	}
	if o.AccountID == "" {
		o.AccountID = defaultAccountID
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultConnectPageSize
	}
	return &Connect{
		Controls: fakecontrol.New(func(string) error {
			return &types.TooManyRequestsException{Message: aws.String("Rate exceeded")}
		}, OpCreateConnector, OpDescribeConnector, OpListConnectors, OpUpdateConnector, OpDeleteConnector),
		opts:     o,
		byARN:    map[string]*fakeConnector{},
		failNext: map[string]*types.StateDescription{},
	}
}

// Clock returns the fake's clock (datablocks.ClockSource); advancing it moves connectors
// through their states.
func (f *Connect) Clock() datablocks.Clock { return f.opts.Clock }

// Service describes the fake for package localaws: kafkaconnect (restJson1, signing name
// "kafkaconnect", lower-camel members, RFC 3339 creation times), each operation at its route
// in the MSK Connect API reference.
func (f *Connect) Service() localaws.Service {
	return localaws.Service{
		SigningName: "kafkaconnect",
		Protocol:    localaws.RESTJSON1,
		Naming:      localaws.LowerCamel,
		DateTimes:   []string{"DescribeConnectorOutput.CreationTime", "ConnectorSummary.CreationTime"},
		Operations: []localaws.Operation{
			localaws.Route(OpCreateConnector, "POST", "/v1/connectors", f.CreateConnector),
			localaws.Route(OpListConnectors, "GET", "/v1/connectors", f.ListConnectors),
			localaws.Route(OpDescribeConnector, "GET", "/v1/connectors/{connectorArn}", f.DescribeConnector),
			localaws.Route(OpUpdateConnector, "PUT", "/v1/connectors/{connectorArn}", f.UpdateConnector),
			localaws.Route(OpDeleteConnector, "DELETE", "/v1/connectors/{connectorArn}", f.DeleteConnector),
		},
	}
}

// FailNextTransition makes the next CREATING or UPDATING of the connector named name end in
// FAILED with the given state description instead of RUNNING, as MSK Connect reports a
// connector whose workers cannot start (a bad configuration, a role it cannot assume).
func (f *Connect) FailNextTransition(name, code, message string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failNext[name] = &types.StateDescription{Code: aws.String(code), Message: aws.String(message)}
}

func badRequest(format string, args ...any) error {
	return &types.BadRequestException{Message: aws.String(fmt.Sprintf(format, args...))}
}

// advance moves c along by the clock. Callers hold f.mu.
func (f *Connect) advance(c *fakeConnector, now time.Time) (gone bool) {
	if c.until.IsZero() || now.Before(c.until) {
		return false
	}
	c.until = time.Time{}
	switch c.state {
	case types.ConnectorStateCreating, types.ConnectorStateUpdating:
		if c.fail != nil {
			c.state, c.failed, c.fail = types.ConnectorStateFailed, c.fail, nil
		} else {
			c.state = types.ConnectorStateRunning
		}
	case types.ConnectorStateDeleting:
		delete(f.byARN, c.arn)
		return true
	}
	return false
}

func (f *Connect) transitional(c *fakeConnector) bool { return !c.until.IsZero() }

var (
	connectorNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_\-.]{1,128}$`)
	roleARNPattern       = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$`)
	pluginARNPattern     = regexp.MustCompile(`^arn:aws[a-z-]*:kafkaconnect:[a-z0-9-]+:[0-9]{12}:custom-plugin/.+$`)
	workerCfgARNPattern  = regexp.MustCompile(`^arn:aws[a-z-]*:kafkaconnect:[a-z0-9-]+:[0-9]{12}:worker-configuration/.+$`)
	mcuCounts            = []int32{1, 2, 4, 8}
)

func validateProvisioned(field string, p *types.ProvisionedCapacity) error {
	if !slices.Contains(mcuCounts, p.McuCount) {
		return badRequest("%s.mcuCount must be 1, 2, 4 or 8", field)
	}
	if p.WorkerCount < 1 || p.WorkerCount > 10 {
		return badRequest("%s.workerCount must be between 1 and 10", field)
	}
	return nil
}

func validateAutoScaling(field string, a *types.AutoScaling) error {
	if !slices.Contains(mcuCounts, a.McuCount) {
		return badRequest("%s.mcuCount must be 1, 2, 4 or 8", field)
	}
	if a.MinWorkerCount < 1 || a.MaxWorkerCount > 10 || a.MinWorkerCount > a.MaxWorkerCount {
		return badRequest("%s: minWorkerCount and maxWorkerCount must satisfy 1 <= min <= max <= 10", field)
	}
	return nil
}

func validateCapacity(c *types.Capacity) error {
	if c == nil {
		return badRequest("capacity is required")
	}
	if (c.AutoScaling == nil) == (c.ProvisionedCapacity == nil) {
		return badRequest("capacity must specify exactly one of autoScaling and provisionedCapacity")
	}
	if c.ProvisionedCapacity != nil {
		return validateProvisioned("capacity.provisionedCapacity", c.ProvisionedCapacity)
	}
	return validateAutoScaling("capacity.autoScaling", c.AutoScaling)
}

func validateConfiguration(cfg map[string]string) error {
	if len(cfg) == 0 {
		return badRequest("connectorConfiguration is required")
	}
	if cfg["connector.class"] == "" {
		return badRequest("connectorConfiguration must set connector.class")
	}
	if t, ok := cfg["tasks.max"]; ok {
		if n, err := strconv.Atoi(t); err != nil || n < 1 {
			return badRequest("connectorConfiguration tasks.max %q is not a positive integer", t)
		}
	}
	return nil
}

// CreateConnector creates a connector in CREATING.
func (f *Connect) CreateConnector(ctx context.Context, in *kafkaconnect.CreateConnectorInput, _ ...func(*kafkaconnect.Options)) (*kafkaconnect.CreateConnectorOutput, error) {
	return connectDo(f, OpCreateConnector, in, func() (*kafkaconnect.CreateConnectorOutput, error) {
		if in == nil {
			return nil, badRequest("the request has no body")
		}
		name := aws.ToString(in.ConnectorName)
		switch {
		case !connectorNamePattern.MatchString(name):
			return nil, badRequest("connectorName %q must be 1 to 128 letters, digits, '_', '-' and '.'", name)
		case len(aws.ToString(in.ConnectorDescription)) > 1024:
			return nil, badRequest("connectorDescription is longer than 1024 characters")
		case aws.ToString(in.KafkaConnectVersion) == "":
			return nil, badRequest("kafkaConnectVersion is required")
		case !roleARNPattern.MatchString(aws.ToString(in.ServiceExecutionRoleArn)):
			return nil, badRequest("serviceExecutionRoleArn %q is not an IAM role ARN", aws.ToString(in.ServiceExecutionRoleArn))
		case in.KafkaCluster == nil || in.KafkaCluster.ApacheKafkaCluster == nil:
			return nil, badRequest("kafkaCluster.apacheKafkaCluster is required")
		case aws.ToString(in.KafkaCluster.ApacheKafkaCluster.BootstrapServers) == "":
			return nil, badRequest("kafkaCluster.apacheKafkaCluster.bootstrapServers is required")
		case in.KafkaCluster.ApacheKafkaCluster.Vpc == nil || len(in.KafkaCluster.ApacheKafkaCluster.Vpc.Subnets) == 0:
			return nil, badRequest("kafkaCluster.apacheKafkaCluster.vpc.subnets is required")
		case in.KafkaClusterClientAuthentication == nil || !slices.Contains(types.KafkaClusterClientAuthenticationType("").Values(), in.KafkaClusterClientAuthentication.AuthenticationType):
			return nil, badRequest("kafkaClusterClientAuthentication.authenticationType must be NONE or IAM")
		case in.KafkaClusterEncryptionInTransit == nil || !slices.Contains(types.KafkaClusterEncryptionInTransitType("").Values(), in.KafkaClusterEncryptionInTransit.EncryptionType):
			return nil, badRequest("kafkaClusterEncryptionInTransit.encryptionType must be PLAINTEXT or TLS")
		case in.KafkaClusterClientAuthentication.AuthenticationType == types.KafkaClusterClientAuthenticationTypeIam &&
			in.KafkaClusterEncryptionInTransit.EncryptionType != types.KafkaClusterEncryptionInTransitTypeTls:
			return nil, badRequest("IAM authentication requires TLS encryption in transit")
		case len(in.Plugins) != 1 || in.Plugins[0].CustomPlugin == nil:
			return nil, badRequest("plugins must be a list of exactly one customPlugin")
		case !pluginARNPattern.MatchString(aws.ToString(in.Plugins[0].CustomPlugin.CustomPluginArn)):
			return nil, badRequest("plugins[0].customPlugin.customPluginArn %q is not a custom plugin ARN", aws.ToString(in.Plugins[0].CustomPlugin.CustomPluginArn))
		case in.Plugins[0].CustomPlugin.Revision < 1:
			return nil, badRequest("plugins[0].customPlugin.revision must be at least 1")
		case in.WorkerConfiguration != nil && !workerCfgARNPattern.MatchString(aws.ToString(in.WorkerConfiguration.WorkerConfigurationArn)):
			return nil, badRequest("workerConfiguration.workerConfigurationArn is not a worker configuration ARN")
		}
		if err := validateCapacity(in.Capacity); err != nil {
			return nil, err
		}
		if err := validateConfiguration(in.ConnectorConfiguration); err != nil {
			return nil, err
		}
		now := f.opts.Clock.Now().UTC()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, c := range f.byARN {
			f.advance(c, now)
		}
		for _, c := range f.byARN {
			if aws.ToString(c.in.ConnectorName) == name {
				return nil, &types.ConflictException{Message: aws.String("Connector name " + name + " already exists.")}
			}
		}
		f.seq++
		c := &fakeConnector{
			in:      *in,
			arn:     fmt.Sprintf("arn:%s:kafkaconnect:%s:%s:connector/%s/%08x-0000-4000-8000-%012x-%d", partitionOf(f.opts.Region), f.opts.Region, f.opts.AccountID, name, f.seq, f.seq, f.seq%10),
			created: now,
			version: 1,
			state:   types.ConnectorStateCreating,
			until:   now.Add(createDuration),
			fail:    f.failNext[name],
		}
		c.in.ConnectorConfiguration = maps.Clone(in.ConnectorConfiguration)
		c.capacity = in.Capacity
		delete(f.failNext, name)
		f.byARN[c.arn] = c
		return &kafkaconnect.CreateConnectorOutput{ConnectorArn: aws.String(c.arn), ConnectorName: aws.String(name), ConnectorState: c.state}, nil
	})
}

// lookup finds a connector by ARN after advancing it. Callers hold f.mu.
func (f *Connect) lookup(arn *string, now time.Time) (*fakeConnector, error) {
	if aws.ToString(arn) == "" {
		return nil, badRequest("connectorArn is required")
	}
	c, ok := f.byARN[*arn]
	if ok && f.advance(c, now) {
		ok = false
	}
	if !ok {
		return nil, &types.NotFoundException{Message: aws.String("Connector " + *arn + " not found.")}
	}
	return c, nil
}

func (c *fakeConnector) versionString() string { return fmt.Sprintf("V%08d", c.version) }

// DescribeConnector returns the connector's description.
func (f *Connect) DescribeConnector(ctx context.Context, in *kafkaconnect.DescribeConnectorInput, _ ...func(*kafkaconnect.Options)) (*kafkaconnect.DescribeConnectorOutput, error) {
	return connectDo(f, OpDescribeConnector, in, func() (*kafkaconnect.DescribeConnectorOutput, error) {
		if in == nil {
			return nil, badRequest("connectorArn is required")
		}
		now := f.opts.Clock.Now().UTC()
		f.mu.Lock()
		c, err := f.lookup(in.ConnectorArn, now)
		if err != nil {
			f.mu.Unlock()
			f.Settled(aws.ToString(in.ConnectorArn))
			return nil, err
		}
		out := c.describe()
		waiting := f.transitional(c)
		f.mu.Unlock()
		if waiting {
			if err := f.WaitingOnClock(c.arn, now); err != nil {
				return nil, err
			}
		} else {
			f.Settled(c.arn)
		}
		return out, nil
	})
}

func (c *fakeConnector) describe() *kafkaconnect.DescribeConnectorOutput {
	created := c.created
	out := &kafkaconnect.DescribeConnectorOutput{
		ConnectorArn:            aws.String(c.arn),
		ConnectorName:           c.in.ConnectorName,
		ConnectorDescription:    c.in.ConnectorDescription,
		ConnectorConfiguration:  maps.Clone(c.in.ConnectorConfiguration),
		ConnectorState:          c.state,
		CreationTime:            &created,
		CurrentVersion:          aws.String(c.versionString()),
		KafkaConnectVersion:     c.in.KafkaConnectVersion,
		ServiceExecutionRoleArn: c.in.ServiceExecutionRoleArn,
		StateDescription:        c.failed,
		Capacity:                &types.CapacityDescription{},
	}
	if p := c.capacity.ProvisionedCapacity; p != nil {
		out.Capacity.ProvisionedCapacity = &types.ProvisionedCapacityDescription{McuCount: p.McuCount, WorkerCount: p.WorkerCount}
	}
	if a := c.capacity.AutoScaling; a != nil {
		out.Capacity.AutoScaling = &types.AutoScalingDescription{McuCount: a.McuCount, MinWorkerCount: a.MinWorkerCount, MaxWorkerCount: a.MaxWorkerCount}
	}
	if k := c.in.KafkaCluster; k != nil && k.ApacheKafkaCluster != nil {
		d := &types.ApacheKafkaClusterDescription{BootstrapServers: k.ApacheKafkaCluster.BootstrapServers}
		if v := k.ApacheKafkaCluster.Vpc; v != nil {
			d.Vpc = &types.VpcDescription{SecurityGroups: slices.Clone(v.SecurityGroups), Subnets: slices.Clone(v.Subnets)}
		}
		out.KafkaCluster = &types.KafkaClusterDescription{ApacheKafkaCluster: d}
	}
	if a := c.in.KafkaClusterClientAuthentication; a != nil {
		out.KafkaClusterClientAuthentication = &types.KafkaClusterClientAuthenticationDescription{AuthenticationType: a.AuthenticationType}
	}
	if e := c.in.KafkaClusterEncryptionInTransit; e != nil {
		out.KafkaClusterEncryptionInTransit = &types.KafkaClusterEncryptionInTransitDescription{EncryptionType: e.EncryptionType}
	}
	for _, p := range c.in.Plugins {
		if p.CustomPlugin != nil {
			out.Plugins = append(out.Plugins, types.PluginDescription{CustomPlugin: &types.CustomPluginDescription{
				CustomPluginArn: p.CustomPlugin.CustomPluginArn, Revision: p.CustomPlugin.Revision}})
		}
	}
	if w := c.in.WorkerConfiguration; w != nil {
		out.WorkerConfiguration = &types.WorkerConfigurationDescription{WorkerConfigurationArn: w.WorkerConfigurationArn, Revision: w.Revision}
	}
	if l := c.in.LogDelivery; l != nil && l.WorkerLogDelivery != nil && l.WorkerLogDelivery.CloudWatchLogs != nil {
		cw := l.WorkerLogDelivery.CloudWatchLogs
		out.LogDelivery = &types.LogDeliveryDescription{WorkerLogDelivery: &types.WorkerLogDeliveryDescription{
			CloudWatchLogs: &types.CloudWatchLogsLogDeliveryDescription{Enabled: cw.Enabled, LogGroup: cw.LogGroup}}}
	}
	return out
}

// ListConnectors lists connectors whose names start with ConnectorNamePrefix, sorted by
// name, a page at a time.
func (f *Connect) ListConnectors(ctx context.Context, in *kafkaconnect.ListConnectorsInput, _ ...func(*kafkaconnect.Options)) (*kafkaconnect.ListConnectorsOutput, error) {
	return connectDo(f, OpListConnectors, in, func() (*kafkaconnect.ListConnectorsOutput, error) {
		if in == nil {
			in = &kafkaconnect.ListConnectorsInput{}
		}
		size := f.opts.PageSize
		if in.MaxResults != nil {
			if *in.MaxResults < 1 || *in.MaxResults > 100 {
				return nil, badRequest("maxResults must be between 1 and 100")
			}
			size = int(*in.MaxResults)
		}
		start := 0
		if t := aws.ToString(in.NextToken); t != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(t, "page-"))
			if err != nil || !strings.HasPrefix(t, "page-") || n < 0 {
				return nil, badRequest("nextToken is not valid")
			}
			start = n
		}
		now := f.opts.Clock.Now().UTC()
		f.mu.Lock()
		defer f.mu.Unlock()
		var all []*fakeConnector
		for _, c := range f.byARN {
			if f.advance(c, now) {
				continue
			}
			if strings.HasPrefix(aws.ToString(c.in.ConnectorName), aws.ToString(in.ConnectorNamePrefix)) {
				all = append(all, c)
			}
		}
		slices.SortFunc(all, func(a, b *fakeConnector) int {
			return strings.Compare(aws.ToString(a.in.ConnectorName), aws.ToString(b.in.ConnectorName))
		})
		out := &kafkaconnect.ListConnectorsOutput{}
		end := min(start+size, len(all))
		for _, c := range all[min(start, len(all)):end] {
			d := c.describe()
			created := c.created
			out.Connectors = append(out.Connectors, types.ConnectorSummary{
				ConnectorArn: d.ConnectorArn, ConnectorName: d.ConnectorName, ConnectorState: d.ConnectorState,
				CreationTime: &created, CurrentVersion: d.CurrentVersion, KafkaConnectVersion: d.KafkaConnectVersion,
				ServiceExecutionRoleArn: d.ServiceExecutionRoleArn, Capacity: d.Capacity,
			})
		}
		if end < len(all) {
			out.NextToken = aws.String(fmt.Sprintf("page-%d", end))
		}
		return out, nil
	})
}

// UpdateConnector changes a RUNNING connector's capacity or configuration: it goes UPDATING
// and gets a new version.
func (f *Connect) UpdateConnector(ctx context.Context, in *kafkaconnect.UpdateConnectorInput, _ ...func(*kafkaconnect.Options)) (*kafkaconnect.UpdateConnectorOutput, error) {
	return connectDo(f, OpUpdateConnector, in, func() (*kafkaconnect.UpdateConnectorOutput, error) {
		if in == nil {
			return nil, badRequest("connectorArn is required")
		}
		if aws.ToString(in.CurrentVersion) == "" {
			return nil, badRequest("currentVersion is required")
		}
		if in.Capacity == nil && in.ConnectorConfiguration == nil {
			return nil, badRequest("the update must change capacity or connectorConfiguration")
		}
		var capacity *types.Capacity
		if cu := in.Capacity; cu != nil {
			if (cu.AutoScaling == nil) == (cu.ProvisionedCapacity == nil) {
				return nil, badRequest("capacity must specify exactly one of autoScaling and provisionedCapacity")
			}
			if p := cu.ProvisionedCapacity; p != nil {
				pc := &types.ProvisionedCapacity{McuCount: p.McuCount, WorkerCount: p.WorkerCount}
				if err := validateProvisioned("capacity.provisionedCapacity", pc); err != nil {
					return nil, err
				}
				capacity = &types.Capacity{ProvisionedCapacity: pc}
			} else {
				a := cu.AutoScaling
				as := &types.AutoScaling{McuCount: a.McuCount, MinWorkerCount: a.MinWorkerCount, MaxWorkerCount: a.MaxWorkerCount}
				if err := validateAutoScaling("capacity.autoScaling", as); err != nil {
					return nil, err
				}
				capacity = &types.Capacity{AutoScaling: as}
			}
		}
		if in.ConnectorConfiguration != nil {
			if err := validateConfiguration(in.ConnectorConfiguration); err != nil {
				return nil, err
			}
		}
		now := f.opts.Clock.Now().UTC()
		f.mu.Lock()
		defer f.mu.Unlock()
		c, err := f.lookup(in.ConnectorArn, now)
		if err != nil {
			return nil, err
		}
		if c.state != types.ConnectorStateRunning {
			return nil, badRequest("Connector %s is in state %s; only a RUNNING connector can be updated.", c.arn, c.state)
		}
		if aws.ToString(in.CurrentVersion) != c.versionString() {
			return nil, badRequest("currentVersion %s is not the connector's current version.", aws.ToString(in.CurrentVersion))
		}
		if capacity != nil {
			c.capacity = capacity
		}
		if in.ConnectorConfiguration != nil {
			c.in.ConnectorConfiguration = maps.Clone(in.ConnectorConfiguration)
		}
		c.version++
		c.state, c.until = types.ConnectorStateUpdating, now.Add(updateDuration)
		name := aws.ToString(c.in.ConnectorName)
		c.fail = f.failNext[name]
		delete(f.failNext, name)
		return &kafkaconnect.UpdateConnectorOutput{ConnectorArn: aws.String(c.arn), ConnectorState: c.state,
			ConnectorOperationArn: aws.String(strings.Replace(c.arn, ":connector/", ":connector-operation/", 1) + fmt.Sprintf("/op-%d", c.version))}, nil
	})
}

// DeleteConnector starts deleting a connector: DELETING, then gone.
func (f *Connect) DeleteConnector(ctx context.Context, in *kafkaconnect.DeleteConnectorInput, _ ...func(*kafkaconnect.Options)) (*kafkaconnect.DeleteConnectorOutput, error) {
	return connectDo(f, OpDeleteConnector, in, func() (*kafkaconnect.DeleteConnectorOutput, error) {
		if in == nil {
			return nil, badRequest("connectorArn is required")
		}
		now := f.opts.Clock.Now().UTC()
		f.mu.Lock()
		defer f.mu.Unlock()
		c, err := f.lookup(in.ConnectorArn, now)
		if err != nil {
			return nil, err
		}
		if v := aws.ToString(in.CurrentVersion); v != "" && v != c.versionString() {
			return nil, badRequest("currentVersion %s is not the connector's current version.", v)
		}
		if c.state != types.ConnectorStateDeleting {
			c.state, c.until, c.fail = types.ConnectorStateDeleting, now.Add(deleteDuration), nil
		}
		return &kafkaconnect.DeleteConnectorOutput{ConnectorArn: aws.String(c.arn), ConnectorState: c.state}, nil
	})
}

// connectDo runs one call through the fake's controls, wrapping errors in a
// *smithy.OperationError as the SDK client does.
func connectDo[In, Out any](f *Connect, op string, in *In, fn func() (*Out, error)) (*Out, error) {
	out, err := fakecontrol.Do(f.Controls, op, in, func(*In) (*Out, error) { return fn() })
	if err != nil {
		if oe := (*smithy.OperationError)(nil); !errors.As(err, &oe) {
			err = &smithy.OperationError{ServiceID: "KafkaConnect", OperationName: op, Err: err}
		}
		return nil, err
	}
	return out, nil
}
