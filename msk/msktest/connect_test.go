package msktest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kafkaconnect"
	"github.com/aws/aws-sdk-go-v2/service/kafkaconnect/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// connectClient is the MSK Connect API as the SDK client has it.
type connectClient interface {
	CreateConnector(context.Context, *kafkaconnect.CreateConnectorInput, ...func(*kafkaconnect.Options)) (*kafkaconnect.CreateConnectorOutput, error)
	DescribeConnector(context.Context, *kafkaconnect.DescribeConnectorInput, ...func(*kafkaconnect.Options)) (*kafkaconnect.DescribeConnectorOutput, error)
	ListConnectors(context.Context, *kafkaconnect.ListConnectorsInput, ...func(*kafkaconnect.Options)) (*kafkaconnect.ListConnectorsOutput, error)
	UpdateConnector(context.Context, *kafkaconnect.UpdateConnectorInput, ...func(*kafkaconnect.Options)) (*kafkaconnect.UpdateConnectorOutput, error)
	DeleteConnector(context.Context, *kafkaconnect.DeleteConnectorInput, ...func(*kafkaconnect.Options)) (*kafkaconnect.DeleteConnectorOutput, error)
}

var (
	_ connectClient          = (*msktest.Connect)(nil)
	_ connectClient          = (*kafkaconnect.Client)(nil)
	_ datablocks.ClockSource = (*msktest.Connect)(nil)
)

func connectorInput(name string) *kafkaconnect.CreateConnectorInput {
	return &kafkaconnect.CreateConnectorInput{
		ConnectorName:          aws.String(name),
		ConnectorConfiguration: map[string]string{"connector.class": "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector", "tasks.max": "1"},
		Capacity:               &types.Capacity{ProvisionedCapacity: &types.ProvisionedCapacity{McuCount: 1, WorkerCount: 1}},
		KafkaCluster: &types.KafkaCluster{ApacheKafkaCluster: &types.ApacheKafkaCluster{
			BootstrapServers: aws.String("b-1.x.abc.c2.kafka.eu-west-1.amazonaws.com:9098"),
			Vpc:              &types.Vpc{Subnets: []string{"subnet-1"}, SecurityGroups: []string{"sg-1"}},
		}},
		KafkaClusterClientAuthentication: &types.KafkaClusterClientAuthentication{AuthenticationType: types.KafkaClusterClientAuthenticationTypeIam},
		KafkaClusterEncryptionInTransit:  &types.KafkaClusterEncryptionInTransit{EncryptionType: types.KafkaClusterEncryptionInTransitTypeTls},
		KafkaConnectVersion:              aws.String("2.7.1"),
		Plugins: []types.Plugin{{CustomPlugin: &types.CustomPlugin{
			CustomPluginArn: aws.String("arn:aws:kafkaconnect:eu-west-1:123456789012:custom-plugin/mm2/abc-1"), Revision: 1}}},
		ServiceExecutionRoleArn: aws.String("arn:aws:iam::123456789012:role/connector"),
	}
}

// runConnectSuite checks the connector state machine and the API's errors through client,
// moving the fake's clock by hand.
func runConnectSuite(t *testing.T, fake *msktest.Connect, client connectClient) {
	ctx := context.Background()
	clock := fake.Clock().(*datablocks.ManualClock)
	out, err := client.CreateConnector(ctx, connectorInput("hb"))
	if err != nil {
		t.Fatal(err)
	}
	if out.ConnectorState != types.ConnectorStateCreating || !strings.Contains(aws.ToString(out.ConnectorArn), ":connector/hb/") {
		t.Fatalf("CreateConnector = %+v", out)
	}
	arn := out.ConnectorArn
	state := func() types.ConnectorState {
		t.Helper()
		d, err := client.DescribeConnector(ctx, &kafkaconnect.DescribeConnectorInput{ConnectorArn: arn})
		if err != nil {
			t.Fatal(err)
		}
		return d.ConnectorState
	}
	if got := state(); got != types.ConnectorStateCreating {
		t.Fatalf("state %s, want CREATING", got)
	}
	var conflict *types.ConflictException
	if _, err := client.CreateConnector(ctx, connectorInput("hb")); !errors.As(err, &conflict) {
		t.Errorf("duplicate name: %v, want ConflictException", err)
	}
	clock.Advance(5 * time.Minute) // CREATING lasts 5 minutes
	if got := state(); got != types.ConnectorStateRunning {
		t.Fatalf("state %s after the create duration, want RUNNING", got)
	}
	d, _ := client.DescribeConnector(ctx, &kafkaconnect.DescribeConnectorInput{ConnectorArn: arn})
	var bad *types.BadRequestException
	if _, err := client.UpdateConnector(ctx, &kafkaconnect.UpdateConnectorInput{ConnectorArn: arn, CurrentVersion: aws.String("V-stale"),
		Capacity: &types.CapacityUpdate{ProvisionedCapacity: &types.ProvisionedCapacityUpdate{McuCount: 2, WorkerCount: 1}}}); !errors.As(err, &bad) {
		t.Errorf("stale version: %v, want BadRequestException", err)
	}
	if _, err := client.UpdateConnector(ctx, &kafkaconnect.UpdateConnectorInput{ConnectorArn: arn, CurrentVersion: d.CurrentVersion,
		Capacity: &types.CapacityUpdate{ProvisionedCapacity: &types.ProvisionedCapacityUpdate{McuCount: 2, WorkerCount: 1}}}); err != nil {
		t.Fatal(err)
	}
	if got := state(); got != types.ConnectorStateUpdating {
		t.Fatalf("state %s after UpdateConnector, want UPDATING", got)
	}
	if _, err := client.UpdateConnector(ctx, &kafkaconnect.UpdateConnectorInput{ConnectorArn: arn, CurrentVersion: d.CurrentVersion,
		ConnectorConfiguration: map[string]string{"connector.class": "x"}}); !errors.As(err, &bad) {
		t.Errorf("update while UPDATING: %v, want BadRequestException", err)
	}
	clock.Advance(3 * time.Minute) // UPDATING lasts 3 minutes
	d, err = client.DescribeConnector(ctx, &kafkaconnect.DescribeConnectorInput{ConnectorArn: arn})
	if err != nil || d.ConnectorState != types.ConnectorStateRunning || d.Capacity.ProvisionedCapacity.McuCount != 2 {
		t.Fatalf("after the update: %+v, %v", d, err)
	}
	if _, err := client.DeleteConnector(ctx, &kafkaconnect.DeleteConnectorInput{ConnectorArn: arn}); err != nil {
		t.Fatal(err)
	}
	if got := state(); got != types.ConnectorStateDeleting {
		t.Fatalf("state %s after DeleteConnector, want DELETING", got)
	}
	clock.Advance(time.Minute) // DELETING lasts 1 minute
	var nf *types.NotFoundException
	if _, err := client.DescribeConnector(ctx, &kafkaconnect.DescribeConnectorInput{ConnectorArn: arn}); !errors.As(err, &nf) {
		t.Errorf("deleted connector: %v, want NotFoundException", err)
	}

	// A failing start ends in FAILED with the state description.
	fake.FailNextTransition("broken", "WORKER_FAILURE", "cannot reach the cluster")
	out, err = client.CreateConnector(ctx, connectorInput("broken"))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Minute) // CREATING lasts 5 minutes
	d, err = client.DescribeConnector(ctx, &kafkaconnect.DescribeConnectorInput{ConnectorArn: out.ConnectorArn})
	if err != nil || d.ConnectorState != types.ConnectorStateFailed || aws.ToString(d.StateDescription.Code) != "WORKER_FAILURE" {
		t.Fatalf("failed connector: %+v, %v", d, err)
	}

	// Validation by the API reference.
	for name, mod := range map[string]func(*kafkaconnect.CreateConnectorInput){
		"mcu count":    func(in *kafkaconnect.CreateConnectorInput) { in.Capacity.ProvisionedCapacity.McuCount = 3 },
		"worker count": func(in *kafkaconnect.CreateConnectorInput) { in.Capacity.ProvisionedCapacity.WorkerCount = 11 },
		"two plugins":  func(in *kafkaconnect.CreateConnectorInput) { in.Plugins = append(in.Plugins, in.Plugins[0]) },
		"IAM in plaintext": func(in *kafkaconnect.CreateConnectorInput) {
			in.KafkaClusterEncryptionInTransit.EncryptionType = "PLAINTEXT"
		},
		"no class":   func(in *kafkaconnect.CreateConnectorInput) { delete(in.ConnectorConfiguration, "connector.class") },
		"bad role":   func(in *kafkaconnect.CreateConnectorInput) { in.ServiceExecutionRoleArn = aws.String("role") },
		"no subnets": func(in *kafkaconnect.CreateConnectorInput) { in.KafkaCluster.ApacheKafkaCluster.Vpc.Subnets = nil },
		"both capacities": func(in *kafkaconnect.CreateConnectorInput) {
			in.Capacity.AutoScaling = &types.AutoScaling{McuCount: 1, MinWorkerCount: 1, MaxWorkerCount: 2}
		},
		"name with a space": func(in *kafkaconnect.CreateConnectorInput) { in.ConnectorName = aws.String("a b") },
	} {
		in := connectorInput("v-" + strings.ReplaceAll(name, " ", "-"))
		mod(in)
		// The SDK client checks required members itself (smithy.InvalidParamsError); the
		// fake answers the rest as MSK Connect does.
		var invalid smithy.InvalidParamsError
		if _, err := client.CreateConnector(ctx, in); !errors.As(err, &bad) && !errors.As(err, &invalid) {
			t.Errorf("%s: %v, want BadRequestException", name, err)
		}
	}
}

func TestConnectFake(t *testing.T) {
	fake := msktest.NewConnect()
	runConnectSuite(t, fake, fake)
}

func TestConnectFakeWire(t *testing.T) {
	fake := msktest.NewConnect()
	srv := localaws.NewTestServer(t, fake.Service())
	runConnectSuite(t, fake, kafkaconnect.NewFromConfig(srv.Config(), func(o *kafkaconnect.Options) { o.RetryMaxAttempts = 1 }))
}

// A wait that nothing advances fails fast with the fake's stall error.
func TestConnectStallsWithoutClock(t *testing.T) {
	fake := msktest.NewConnect()
	ctx := context.Background()
	out, err := fake.CreateConnector(ctx, connectorInput("idle"))
	if err != nil {
		t.Fatal(err)
	}
	var last error
	const stallReads = 3 // fakecontrol's documented threshold
	for range stallReads {
		_, last = fake.DescribeConnector(ctx, &kafkaconnect.DescribeConnectorInput{ConnectorArn: out.ConnectorArn})
	}
	var ae smithy.APIError
	if !errors.As(last, &ae) || ae.ErrorCode() != fakecontrol.StalledCode {
		t.Fatalf("after %d reads at the same time: %v, want %s", stallReads, last, fakecontrol.StalledCode)
	}
}
