package msk_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kafkaconnect"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

var _ msk.ConnectAPIClient = (*msktest.Connect)(nil)

func mm2Deployment() msk.MirrorMakerDeployment {
	return msk.MirrorMakerDeployment{
		Name: "orders-mm2",
		Config: msk.MirrorMakerConfig{
			SourceBootstrapServers: "b-1.src.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.src.abc123.c2.kafka.eu-west-1.amazonaws.com:9098",
			TargetBootstrapServers: "b-1.dst.def456.c2.kafka.eu-west-1.amazonaws.com:9098",
			SourcePartitions:       180,
		},
		CustomPluginARN:         "arn:aws:kafkaconnect:eu-west-1:123456789012:custom-plugin/mm2-empty/0a1b2c3d-4e5f-6789-abcd-ef0123456789-1",
		ServiceExecutionRoleARN: "arn:aws:iam::123456789012:role/mm2-connector",
		Subnets:                 []string{"subnet-0a1b2c3d", "subnet-1a2b3c4d"},
		SecurityGroups:          []string{"sg-0a1b2c3d"},
		LogGroup:                "/msk-connect/orders-mm2",
	}
}

// TestEnsureMirrorMaker deploys the three connectors against the fake and checks what MSK
// Connect was asked for, that a re-run changes nothing, and that a changed flow is updated in
// place; all without wall-clock waits (the deployer waits by the fake's clock).
func TestEnsureMirrorMaker(t *testing.T) {
	fake := msktest.NewConnect()
	d := msk.NewMirrorMakerDeployer(fake)
	ctx := context.Background()
	start := time.Now()

	change, err := d.EnsureMirrorMaker(ctx, mm2Deployment())
	if err != nil {
		t.Fatal(err)
	}
	if change.Action != datablocks.Created {
		t.Errorf("first run: %v, want created", change)
	}
	if got := fake.Count(msktest.OpCreateConnector); got != 3 {
		t.Errorf("%d CreateConnector calls, want 3", got)
	}
	list, err := fake.ListConnectors(ctx, &kafkaconnect.ListConnectorsInput{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, c := range list.Connectors {
		if c.ConnectorState != "RUNNING" {
			t.Errorf("%s is %s after EnsureMirrorMaker returned", *c.ConnectorName, c.ConnectorState)
		}
		desc, err := fake.DescribeConnector(ctx, &kafkaconnect.DescribeConnectorInput{ConnectorArn: c.ConnectorArn})
		if err != nil {
			t.Fatal(err)
		}
		names[*c.ConnectorName] = desc.ConnectorConfiguration["connector.class"]
		// 180 source partitions: 18 tasks (one per 10 partitions), 3 workers (8 tasks each).
		wantWorkers, wantTasks := int32(1), "1"
		if *c.ConnectorName == "orders-mm2-source" {
			wantWorkers, wantTasks = 3, "18"
		}
		if p := desc.Capacity.ProvisionedCapacity; p == nil || p.WorkerCount != wantWorkers || p.McuCount != 1 {
			t.Errorf("%s capacity %+v, want %d workers of 1 MCU", *c.ConnectorName, desc.Capacity.ProvisionedCapacity, wantWorkers)
		}
		if got := desc.ConnectorConfiguration["tasks.max"]; got != wantTasks {
			t.Errorf("%s tasks.max = %s, want %s", *c.ConnectorName, got, wantTasks)
		}
		if desc.KafkaClusterClientAuthentication.AuthenticationType != "IAM" || desc.KafkaClusterEncryptionInTransit.EncryptionType != "TLS" {
			t.Errorf("%s: authentication %v over %v, want IAM over TLS", *c.ConnectorName, desc.KafkaClusterClientAuthentication, desc.KafkaClusterEncryptionInTransit)
		}
		if lg := desc.LogDelivery.WorkerLogDelivery.CloudWatchLogs; !lg.Enabled || *lg.LogGroup != "/msk-connect/orders-mm2" {
			t.Errorf("%s logs: %+v", *c.ConnectorName, lg)
		}
	}
	wantNames := map[string]string{
		"orders-mm2-checkpoint": "org.apache.kafka.connect.mirror.MirrorCheckpointConnector",
		"orders-mm2-heartbeat":  "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
		"orders-mm2-source":     "org.apache.kafka.connect.mirror.MirrorSourceConnector",
	}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("connectors (-want +got):\n%s", diff)
	}

	// Re-run: nothing written.
	fake.ResetCalls()
	change, err = d.EnsureMirrorMaker(ctx, mm2Deployment())
	if err != nil {
		t.Fatal(err)
	}
	if change.Action != datablocks.Unchanged || fake.Count(msktest.OpCreateConnector)+fake.Count(msktest.OpUpdateConnector) != 0 {
		t.Errorf("re-run: %v with %d creates and %d updates; want unchanged, no writes", change,
			fake.Count(msktest.OpCreateConnector), fake.Count(msktest.OpUpdateConnector))
	}

	// More partitions and 2 MCUs: every connector's capacity changes, the source's tasks too.
	dep := mm2Deployment()
	dep.Config.SourcePartitions = 240
	dep.MCUs = 2
	change, err = d.EnsureMirrorMaker(ctx, dep)
	if err != nil {
		t.Fatal(err)
	}
	want := datablocks.Change{Action: datablocks.Updated, Changed: []string{
		"orders-mm2-checkpoint: capacity", "orders-mm2-heartbeat: capacity",
		"orders-mm2-source: capacity", "orders-mm2-source: configuration",
	}}
	if diff := cmp.Diff(want, change); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}
	if got := fake.Count(msktest.OpUpdateConnector); got != 3 {
		t.Errorf("%d UpdateConnector calls, want 3", got)
	}
	if wall := time.Since(start); wall > 2*time.Second {
		t.Errorf("the waits took %s of wall time; they should follow the fake's clock", wall)
	}
}

// A connector MSK Connect fails is a *ConnectorFailedError with its state description.
func TestEnsureMirrorMakerFailed(t *testing.T) {
	fake := msktest.NewConnect()
	fake.FailNextTransition("orders-mm2-checkpoint", "WORKER_FAILURE", "The connector failed to start: invalid bootstrap servers")
	change, err := msk.NewMirrorMakerDeployer(fake).EnsureMirrorMaker(context.Background(), mm2Deployment())
	var fe *msk.ConnectorFailedError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *msk.ConnectorFailedError", err)
	}
	if fe.Name != "orders-mm2-checkpoint" || fe.State != "FAILED" || fe.Code != "WORKER_FAILURE" || fe.Message == "" {
		t.Errorf("failure %+v", fe)
	}
	if change.Action != datablocks.Created {
		t.Errorf("change with the error = %v; want created (the connectors exist)", change)
	}
}

func TestEnsureMirrorMakerValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*msk.MirrorMakerDeployment)
		want string
	}{
		{"name", func(d *msk.MirrorMakerDeployment) { d.Name = "bad name" }, "MirrorMakerDeployment.Name"},
		{"plugin", func(d *msk.MirrorMakerDeployment) { d.CustomPluginARN = "" }, "CustomPluginARN is required"},
		{"plugin ARN", func(d *msk.MirrorMakerDeployment) { d.CustomPluginARN = "arn:aws:s3:::bucket/key" }, "custom plugin ARN"},
		{"role", func(d *msk.MirrorMakerDeployment) { d.ServiceExecutionRoleARN = "mm2" }, "ServiceExecutionRoleARN"},
		{"service-linked role", func(d *msk.MirrorMakerDeployment) {
			d.ServiceExecutionRoleARN = "arn:aws:iam::123456789012:role/aws-service-role/kafkaconnect.amazonaws.com/AWSServiceRoleForKafkaConnect"
		}, "service-linked"},
		{"subnets", func(d *msk.MirrorMakerDeployment) { d.Subnets = nil }, "Subnets"},
		{"MCUs", func(d *msk.MirrorMakerDeployment) { d.MCUs = 3 }, "MCUs 3"},
		{"workers", func(d *msk.MirrorMakerDeployment) { d.SourceWorkers = 11 }, "SourceWorkers 11"},
		{"flow", func(d *msk.MirrorMakerDeployment) { d.Config.TargetBootstrapServers = "" }, "TargetBootstrapServers is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := msktest.NewConnect()
			dep := mm2Deployment()
			tc.mod(&dep)
			_, err := msk.NewMirrorMakerDeployer(fake).EnsureMirrorMaker(context.Background(), dep)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
			if n := len(fake.Calls()); n != 0 {
				t.Errorf("%d calls made before validation failed", n)
			}
		})
	}
}

// TestEnsureMirrorMakerWire runs the deployment through the real kafkaconnect client over the
// local AWS endpoint: CreateConnector, ListConnectors, DescribeConnector and UpdateConnector
// on the wire, with the wait on the fake's clock.
func TestEnsureMirrorMakerWire(t *testing.T) {
	fake := msktest.NewConnect(func(o *msktest.Options) { o.PageSize = 2 })
	srv := localaws.NewTestServer(t, fake.Service())
	client := kafkaconnect.NewFromConfig(srv.Config())
	d := msk.NewMirrorMakerDeployer(client, func(o *msk.Options) { o.Wait.Clock = fake.Clock() })
	ctx := context.Background()
	if change, err := d.EnsureMirrorMaker(ctx, mm2Deployment()); err != nil || change.Action != datablocks.Created {
		t.Fatalf("first run: %v, %v", change, err)
	}
	if change, err := d.EnsureMirrorMaker(ctx, mm2Deployment()); err != nil || change.Action != datablocks.Unchanged {
		t.Fatalf("re-run: %v, %v", change, err)
	}
	dep := mm2Deployment()
	dep.SourceWorkers = 4
	change, err := d.EnsureMirrorMaker(ctx, dep)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(datablocks.Change{Action: datablocks.Updated, Changed: []string{"orders-mm2-source: capacity"}}, change); diff != "" {
		t.Errorf("update over the wire (-want +got):\n%s", diff)
	}
	for _, op := range []string{msktest.OpCreateConnector, msktest.OpListConnectors, msktest.OpDescribeConnector, msktest.OpUpdateConnector} {
		if fake.Count(op) == 0 {
			t.Errorf("%s never reached the fake over the wire", op)
		}
	}
	// Pages of 2: one (empty) page on the first run, two pages of the three connectors on
	// each later run: the deployer reads every page.
	if got := fake.Count(msktest.OpListConnectors); got != 1+2+2 {
		t.Errorf("%d ListConnectors calls, want 5", got)
	}
}

// A failed check inside the wait for RUNNING surfaces with one "msk:" prefix, not a
// "waiting for ...: msk: ..." without one at the start.
func TestEnsureMirrorMakerWaitErrorHasOnePrefix(t *testing.T) {
	fake := msktest.NewConnect()
	fake.KeepControl(msktest.OpDescribeConnector, func(any) (any, error, bool) {
		return nil, errors.New("access denied"), true
	})
	_, err := msk.NewMirrorMakerDeployer(fake).EnsureMirrorMaker(context.Background(), mm2Deployment())
	if err == nil || !strings.HasPrefix(err.Error(), "msk: ") || strings.Count(err.Error(), "msk:") != 1 || !strings.Contains(err.Error(), "access denied") {
		t.Fatalf("err = %v; want one leading \"msk: \" and the cause", err)
	}
}
