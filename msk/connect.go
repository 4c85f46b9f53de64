package msk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kafkaconnect"
	kctypes "github.com/aws/aws-sdk-go-v2/service/kafkaconnect/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// ConnectAPIClient is the part of the MSK Connect client (*kafkaconnect.Client of
// github.com/aws/aws-sdk-go-v2/service/kafkaconnect) that MirrorMakerDeployer calls.
type ConnectAPIClient interface {
	CreateConnector(ctx context.Context, params *kafkaconnect.CreateConnectorInput, optFns ...func(*kafkaconnect.Options)) (*kafkaconnect.CreateConnectorOutput, error)
	DescribeConnector(ctx context.Context, params *kafkaconnect.DescribeConnectorInput, optFns ...func(*kafkaconnect.Options)) (*kafkaconnect.DescribeConnectorOutput, error)
	ListConnectors(ctx context.Context, params *kafkaconnect.ListConnectorsInput, optFns ...func(*kafkaconnect.Options)) (*kafkaconnect.ListConnectorsOutput, error)
	UpdateConnector(ctx context.Context, params *kafkaconnect.UpdateConnectorInput, optFns ...func(*kafkaconnect.Options)) (*kafkaconnect.UpdateConnectorOutput, error)
}

var _ ConnectAPIClient = (*kafkaconnect.Client)(nil)

// Defaults of MirrorMakerDeployment and Options.
const (
	// defaultKafkaConnectVersion is the Kafka Connect version of the connectors: the newest
	// MSK Connect offers (2.7.1).
	defaultKafkaConnectVersion = "2.7.1"
	// defaultMirrorMCUs is the MCU count (1 vCPU, 4 GiB each) of every connector's workers.
	defaultMirrorMCUs = 1
	// defaultConnectMinDelay and defaultConnectMaxDelay bound the delays between
	// DescribeConnector calls while waiting for RUNNING. Connectors take minutes.
	defaultConnectMinDelay = 10 * time.Second
	defaultConnectMaxDelay = time.Minute
	// defaultConnectTimeout bounds the wait for the three connectors.
	defaultConnectTimeout = 30 * time.Minute
)

// MirrorMakerDeployment describes the three MSK Connect connectors of a MirrorMaker 2 flow.
// They run in the target cluster's VPC and authenticate with IAM over TLS to both clusters.
type MirrorMakerDeployment struct {
	// Name names the connectors <Name>-source, <Name>-checkpoint and <Name>-heartbeat;
	// required, letters, digits, '_', '-' and '.', at most 100 characters.
	Name string
	// Config is the replication flow; MirrorMaker2 builds the connector configurations.
	Config MirrorMakerConfig
	// CustomPluginARN and CustomPluginRevision name the custom plugin the connectors run
	// (MSK Connect needs one even for MirrorMaker 2, which ships with Kafka Connect: a ZIP of
	// an empty folder works); required. Zero revision means 1.
	CustomPluginARN      string
	CustomPluginRevision int64
	// ServiceExecutionRoleARN is the role the connectors assume (trusted by
	// kafkaconnect.amazonaws.com; see MirrorMakerRolePolicy); required. Never the
	// AWSServiceRoleForKafkaConnect service-linked role.
	ServiceExecutionRoleARN string
	// Subnets and SecurityGroups place the workers in the target cluster's VPC; at least one
	// subnet is required.
	Subnets, SecurityGroups []string
	// SourceWorkers is the source connector's provisioned worker count (1 to 10). Zero means
	// one worker per 8 tasks of the source connector, at least 1: MirrorMaker 2's source
	// tasks are light and an MCU runs several.
	SourceWorkers int
	// MCUs is the MCU count (1 vCPU, 4 GiB each) of each worker: 1, 2, 4 or 8. Zero means 1.
	MCUs int
	// KafkaConnectVersion is the connectors' Kafka Connect version. Empty means "2.7.1", the
	// newest MSK Connect offers.
	KafkaConnectVersion string
	// WorkerConfigurationARN and WorkerConfigurationRevision select a custom worker
	// configuration. Empty means MSK Connect's default.
	WorkerConfigurationARN      string
	WorkerConfigurationRevision int64
	// LogGroup, if set, delivers worker logs to this CloudWatch Logs group: the first place
	// to look when a connector fails.
	LogGroup string
}

// MirrorMakerDeployer creates or updates the MSK Connect connectors of MirrorMaker 2 flows
// and waits until they run. It is safe for concurrent use.
type MirrorMakerDeployer struct {
	client ConnectAPIClient
	opts   Options
}

// NewMirrorMakerDeployer returns a deployer calling client.
func NewMirrorMakerDeployer(client ConnectAPIClient, optFns ...func(*Options)) *MirrorMakerDeployer {
	return &MirrorMakerDeployer{client: client, opts: configure(Options{}, optFns)}
}

// ConnectorFailedError reports a connector that MSK Connect put in FAILED (or that
// disappeared) instead of RUNNING, with the state description MSK Connect gave. Worker logs
// (MirrorMakerDeployment.LogGroup) say more.
type ConnectorFailedError struct {
	// Name and ARN identify the connector.
	Name, ARN string
	// State is the connector's state, such as "FAILED".
	State string
	// Code and Message are the connector's StateDescription.
	Code, Message string
}

// Error names the connector, its state and MSK Connect's description.
func (e *ConnectorFailedError) Error() string {
	s := fmt.Sprintf("msk: MSK Connect connector %s is %s", e.Name, e.State)
	if e.Code != "" || e.Message != "" {
		s += fmt.Sprintf(": %s: %s", e.Code, e.Message)
	}
	return s
}

var connectorNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_\-.]{1,100}$`)

// connectorSpec is one connector to ensure.
type connectorSpec struct {
	name     string
	config   map[string]string
	workers  int
	mcus     int
	createIn *kafkaconnect.CreateConnectorInput
}

func (d MirrorMakerDeployment) specs() ([]connectorSpec, error) {
	if !connectorNamePattern.MatchString(d.Name) {
		return nil, fmt.Errorf("msk: MirrorMakerDeployment.Name %q is not 1 to 100 letters, digits, '_', '-' and '.'", d.Name)
	}
	if d.CustomPluginARN == "" {
		return nil, errors.New("msk: MirrorMakerDeployment.CustomPluginARN is required (MSK Connect runs MirrorMaker 2 from a custom plugin)")
	}
	if a, err := datablocks.ParseARN(d.CustomPluginARN); err != nil || a.Service != "kafkaconnect" || !strings.HasPrefix(a.Resource, "custom-plugin/") {
		return nil, fmt.Errorf("msk: MirrorMakerDeployment.CustomPluginARN %q is not an MSK Connect custom plugin ARN", d.CustomPluginARN)
	}
	if d.CustomPluginRevision < 0 {
		return nil, fmt.Errorf("msk: MirrorMakerDeployment.CustomPluginRevision %d is negative", d.CustomPluginRevision)
	}
	role, err := datablocks.ParseARN(d.ServiceExecutionRoleARN)
	if err != nil || role.Service != "iam" || !strings.HasPrefix(role.Resource, "role/") {
		return nil, fmt.Errorf("msk: MirrorMakerDeployment.ServiceExecutionRoleARN %q is not an IAM role ARN", d.ServiceExecutionRoleARN)
	}
	if strings.Contains(role.Resource, "AWSServiceRoleForKafkaConnect") {
		return nil, errors.New("msk: MirrorMakerDeployment.ServiceExecutionRoleARN is the MSK Connect service-linked role, which connectors cannot use; create a role trusted by kafkaconnect.amazonaws.com")
	}
	if len(d.Subnets) == 0 {
		return nil, errors.New("msk: MirrorMakerDeployment.Subnets: at least one subnet of the target cluster's VPC is required")
	}
	if d.WorkerConfigurationARN != "" {
		if a, err := datablocks.ParseARN(d.WorkerConfigurationARN); err != nil || a.Service != "kafkaconnect" || !strings.HasPrefix(a.Resource, "worker-configuration/") {
			return nil, fmt.Errorf("msk: MirrorMakerDeployment.WorkerConfigurationARN %q is not an MSK Connect worker configuration ARN", d.WorkerConfigurationARN)
		}
	}
	mcus := d.MCUs
	if mcus == 0 {
		mcus = defaultMirrorMCUs
	}
	if !slices.Contains([]int{1, 2, 4, 8}, mcus) {
		return nil, fmt.Errorf("msk: MirrorMakerDeployment.MCUs %d is not 1, 2, 4 or 8", mcus)
	}
	if d.SourceWorkers < 0 || d.SourceWorkers > 10 {
		return nil, fmt.Errorf("msk: MirrorMakerDeployment.SourceWorkers %d is not between 0 (sized from the tasks) and 10", d.SourceWorkers)
	}
	conns, err := MirrorMaker2(d.Config)
	if err != nil {
		return nil, err
	}
	workers := d.SourceWorkers
	if workers == 0 {
		tasks, err := strconv.Atoi(conns.Source["tasks.max"])
		if err != nil {
			return nil, fmt.Errorf("msk: source connector tasks.max %q: %w", conns.Source["tasks.max"], err)
		}
		workers = min(10, max(1, (tasks+7)/8))
	}
	version := d.KafkaConnectVersion
	if version == "" {
		version = defaultKafkaConnectVersion
	}
	rev := d.CustomPluginRevision
	if rev == 0 {
		rev = 1
	}
	specs := []connectorSpec{
		{name: d.Name + "-source", config: conns.Source, workers: workers},
		{name: d.Name + "-checkpoint", config: conns.Checkpoint, workers: 1},
		{name: d.Name + "-heartbeat", config: conns.Heartbeat, workers: 1},
	}
	for i := range specs {
		s := &specs[i]
		s.mcus = mcus
		in := &kafkaconnect.CreateConnectorInput{
			ConnectorName:          aws.String(s.name),
			ConnectorDescription:   aws.String("MirrorMaker 2 " + strings.TrimPrefix(s.name, d.Name+"-") + " connector, managed by datablocks"),
			ConnectorConfiguration: s.config,
			Capacity: &kctypes.Capacity{ProvisionedCapacity: &kctypes.ProvisionedCapacity{
				McuCount: int32(mcus), WorkerCount: int32(s.workers)}},
			KafkaCluster: &kctypes.KafkaCluster{ApacheKafkaCluster: &kctypes.ApacheKafkaCluster{
				BootstrapServers: aws.String(d.Config.TargetBootstrapServers),
				Vpc:              &kctypes.Vpc{Subnets: slices.Clone(d.Subnets), SecurityGroups: slices.Clone(d.SecurityGroups)},
			}},
			KafkaClusterClientAuthentication: &kctypes.KafkaClusterClientAuthentication{AuthenticationType: kctypes.KafkaClusterClientAuthenticationTypeIam},
			KafkaClusterEncryptionInTransit:  &kctypes.KafkaClusterEncryptionInTransit{EncryptionType: kctypes.KafkaClusterEncryptionInTransitTypeTls},
			KafkaConnectVersion:              aws.String(version),
			Plugins:                          []kctypes.Plugin{{CustomPlugin: &kctypes.CustomPlugin{CustomPluginArn: aws.String(d.CustomPluginARN), Revision: rev}}},
			ServiceExecutionRoleArn:          aws.String(d.ServiceExecutionRoleARN),
		}
		if d.WorkerConfigurationARN != "" {
			wrev := max(d.WorkerConfigurationRevision, 1)
			in.WorkerConfiguration = &kctypes.WorkerConfiguration{WorkerConfigurationArn: aws.String(d.WorkerConfigurationARN), Revision: wrev}
		}
		if d.LogGroup != "" {
			in.LogDelivery = &kctypes.LogDelivery{WorkerLogDelivery: &kctypes.WorkerLogDelivery{
				CloudWatchLogs: &kctypes.CloudWatchLogsLogDelivery{Enabled: true, LogGroup: aws.String(d.LogGroup)}}}
		}
		s.createIn = in
	}
	return specs, nil
}

// EnsureMirrorMaker creates the three connectors of d that do not exist, updates those whose
// configuration or capacity differs (MSK Connect updates a RUNNING connector in place; the
// other settings of an existing connector, which MSK Connect cannot change, are left as they
// are), and waits until all three are RUNNING. Re-running it on a deployed flow changes
// nothing. The Change is Created when it created all three, Updated when it created or
// updated any (Changed lists "<connector>: created", "<connector>: configuration",
// "<connector>: capacity"), Unchanged otherwise. A connector that ends FAILED is a
// *ConnectorFailedError; nothing is rolled back, and the Change returned with an error
// lists what was done.
func (m *MirrorMakerDeployer) EnsureMirrorMaker(ctx context.Context, d MirrorMakerDeployment, optFns ...func(*Options)) (datablocks.Change, error) {
	o := configure(m.opts, optFns)
	var change datablocks.Change
	if m.client == nil {
		return change, errors.New("msk: NewMirrorMakerDeployer needs an MSK Connect client")
	}
	specs, err := d.specs()
	if err != nil {
		return change, err
	}
	existing, err := m.list(ctx, d.Name+"-", o)
	if err != nil {
		return change, err
	}
	created := 0
	arns := make([]string, len(specs))
	for i, s := range specs {
		sum, ok := existing[s.name]
		if !ok {
			out, err := m.client.CreateConnector(ctx, s.createIn, o.ConnectClientOptions...)
			if err != nil {
				return change, fmt.Errorf("msk: creating MSK Connect connector %s: %w", s.name, err)
			}
			arns[i] = aws.ToString(out.ConnectorArn)
			change.Changed = append(change.Changed, s.name+": created")
			created++
			continue
		}
		arns[i] = aws.ToString(sum.ConnectorArn)
		what, err := m.update(ctx, s, arns[i], o)
		if err != nil {
			return finish(change, created, len(specs)), err
		}
		change.Changed = append(change.Changed, what...)
	}
	change = finish(change, created, len(specs))
	return change, m.waitRunning(ctx, specs, arns, o)
}

func finish(c datablocks.Change, created, total int) datablocks.Change {
	switch {
	case created == total:
		c.Action, c.Changed = datablocks.Created, nil
	case len(c.Changed) > 0:
		c.Action = datablocks.Updated
		slices.Sort(c.Changed)
	default:
		c.Action = datablocks.Unchanged
	}
	return c
}

// list returns the connectors whose names start with prefix, reading every page.
func (m *MirrorMakerDeployer) list(ctx context.Context, prefix string, o Options) (map[string]kctypes.ConnectorSummary, error) {
	out := map[string]kctypes.ConnectorSummary{}
	p := kafkaconnect.NewListConnectorsPaginator(m.client, &kafkaconnect.ListConnectorsInput{ConnectorNamePrefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.ConnectClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("msk: listing MSK Connect connectors %s*: %w", prefix, err)
		}
		for _, c := range page.Connectors {
			out[aws.ToString(c.ConnectorName)] = c
		}
	}
	return out, nil
}

// update brings an existing connector's configuration and capacity to s, waiting first for
// a transitional state to end. It returns what it changed.
func (m *MirrorMakerDeployer) update(ctx context.Context, s connectorSpec, arn string, o Options) ([]string, error) {
	desc, err := m.settle(ctx, s.name, arn, o)
	if err != nil {
		return nil, err
	}
	if desc.ConnectorState != kctypes.ConnectorStateRunning {
		return nil, failed(s.name, desc)
	}
	in := &kafkaconnect.UpdateConnectorInput{ConnectorArn: aws.String(arn), CurrentVersion: desc.CurrentVersion}
	var what []string
	if !maps.Equal(desc.ConnectorConfiguration, s.config) {
		in.ConnectorConfiguration = s.config
		what = append(what, s.name+": configuration")
	}
	pc := (*kctypes.ProvisionedCapacityDescription)(nil)
	if desc.Capacity != nil {
		pc = desc.Capacity.ProvisionedCapacity
	}
	if pc == nil || pc.McuCount != int32(s.mcus) || pc.WorkerCount != int32(s.workers) {
		in.Capacity = &kctypes.CapacityUpdate{ProvisionedCapacity: &kctypes.ProvisionedCapacityUpdate{McuCount: int32(s.mcus), WorkerCount: int32(s.workers)}}
		what = append(what, s.name+": capacity")
	}
	if len(what) == 0 {
		return nil, nil
	}
	if _, err := m.client.UpdateConnector(ctx, in, o.ConnectClientOptions...); err != nil {
		return nil, fmt.Errorf("msk: updating MSK Connect connector %s: %w", s.name, err)
	}
	return what, nil
}

// settle waits until the connector is not CREATING, UPDATING or DELETING.
func (m *MirrorMakerDeployer) settle(ctx context.Context, name, arn string, o Options) (*kafkaconnect.DescribeConnectorOutput, error) {
	var last *kafkaconnect.DescribeConnectorOutput
	err := waitFor(ctx, m.pollOptions("MSK Connect connector "+name, o), func(ctx context.Context) (string, bool, error) {
		out, err := m.client.DescribeConnector(ctx, &kafkaconnect.DescribeConnectorInput{ConnectorArn: aws.String(arn)}, o.ConnectClientOptions...)
		if err != nil {
			return "", false, fmt.Errorf("msk: describing MSK Connect connector %s: %w", name, err)
		}
		last = out
		switch out.ConnectorState {
		case kctypes.ConnectorStateCreating, kctypes.ConnectorStateUpdating, kctypes.ConnectorStateDeleting:
			return string(out.ConnectorState), false, nil
		}
		return string(out.ConnectorState), true, nil
	})
	return last, err
}

func (m *MirrorMakerDeployer) pollOptions(what string, o Options) poll.Options {
	if o.Wait.Logger == nil {
		o.Wait.Logger = o.Logger
	}
	po := withDefaultDelays(poll.FromWaitFor(what, o.Wait, m.client), defaultConnectMinDelay, defaultConnectMaxDelay)
	if po.Timeout == 0 {
		po.Timeout = defaultConnectTimeout
	}
	return po
}

// waitRunning waits until every connector is RUNNING; a FAILED one ends the wait.
func (m *MirrorMakerDeployer) waitRunning(ctx context.Context, specs []connectorSpec, arns []string, o Options) error {
	for i, s := range specs {
		desc, err := m.settle(ctx, s.name, arns[i], o)
		if err != nil {
			return err
		}
		if desc.ConnectorState != kctypes.ConnectorStateRunning {
			return failed(s.name, desc)
		}
	}
	return nil
}

func failed(name string, d *kafkaconnect.DescribeConnectorOutput) error {
	e := &ConnectorFailedError{Name: name, ARN: aws.ToString(d.ConnectorArn), State: string(d.ConnectorState)}
	if sd := d.StateDescription; sd != nil {
		e.Code, e.Message = aws.ToString(sd.Code), aws.ToString(sd.Message)
	}
	return e
}
