package msktest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/kafka/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/internal/conformance"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// fakeHarness runs the conformance suite against a ControlPlane, directly or (wire) behind
// internal/awsfake through the real SDK client.
type fakeHarness struct {
	cp     *msktest.ControlPlane
	client conformance.Client
}

func (h *fakeHarness) Client() conformance.Client { return h.client }
func (h *fakeHarness) Close()                     {}
func (h *fakeHarness) MissingClusterARN() string {
	return "arn:aws:kafka:eu-west-1:123456789012:cluster/missing/00000000-0000-0000-0000-000000000000-1"
}

func (h *fakeHarness) ProvisionedCluster(_ context.Context, t *testing.T) string {
	arn, err := h.cp.AddCluster(msktest.ClusterSpec{Name: "conformance", IAM: true, SCRAM: true})
	if err != nil {
		t.Fatal(err)
	}
	return arn
}

func (h *fakeHarness) ServerlessCluster(_ context.Context, t *testing.T) string {
	arn, err := h.cp.AddCluster(msktest.ClusterSpec{Serverless: true, Name: "conformance-sls"})
	if err != nil {
		t.Fatal(err)
	}
	return arn
}

func TestConformance(t *testing.T) {
	conformance.RunConformanceTests(t, func(context.Context, *testing.T) (conformance.Harness, error) {
		cp := msktest.NewControlPlane()
		return &fakeHarness{cp: cp, client: cp}, nil
	})
}

func TestConformanceWire(t *testing.T) {
	conformance.RunConformanceTests(t, func(_ context.Context, t *testing.T) (conformance.Harness, error) {
		cp := msktest.NewControlPlane()
		srv := localaws.NewTestServer(t, cp.Service())
		return &fakeHarness{cp: cp, client: awskafka.NewFromConfig(srv.Config())}, nil
	})
}

func newFake(t *testing.T) (*msktest.ControlPlane, string) {
	t.Helper()
	cp := msktest.NewControlPlane()
	arn, err := cp.AddCluster(msktest.ClusterSpec{Name: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	return cp, arn
}

func TestPutStaleVersionIsConflictException(t *testing.T) {
	ctx := context.Background()
	cp, arn := newFake(t)
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kafka-cluster:Connect","Resource":"` + arn + `"}]}`
	v1, err := cp.SetClusterPolicy(arn, policy)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cp.SetClusterPolicy(arn, policy); err != nil {
		t.Fatal(err)
	}
	_, err = cp.PutClusterPolicy(ctx, &awskafka.PutClusterPolicyInput{ClusterArn: aws.String(arn), Policy: aws.String(policy), CurrentVersion: aws.String(v1)})
	var ce *types.ConflictException
	var oe *smithy.OperationError
	if !errors.As(err, &ce) || !errors.As(err, &oe) || oe.OperationName != "PutClusterPolicy" || oe.ServiceID != "Kafka" {
		t.Fatalf("err = %v, want a ConflictException in an OperationError", err)
	}
	if !strings.Contains(ce.ErrorMessage(), v1) {
		t.Errorf("message %q does not name the stale version", ce.ErrorMessage())
	}
}

func TestBootstrapStringsPerConfiguration(t *testing.T) {
	ctx := context.Background()
	cp := msktest.NewControlPlane(func(o *msktest.Options) { o.Region = "cn-north-1" })
	for _, tc := range []struct {
		name string
		spec msktest.ClusterSpec
		want []string // the set fields, by name
	}{
		{"iam only", msktest.ClusterSpec{}, []string{"SaslIam"}},
		{"iam and scram public", msktest.ClusterSpec{IAM: true, SCRAM: true, PublicAccess: true}, []string{"PublicSaslIam", "PublicSaslScram", "SaslIam", "SaslScram"}},
		{"mtls", msktest.ClusterSpec{TLS: true}, []string{"Tls"}},
		{"unauthenticated both", msktest.ClusterSpec{Unauthenticated: true, ClientBroker: types.ClientBrokerTlsPlaintext}, []string{"Plaintext", "Tls"}},
		{"unauthenticated plaintext", msktest.ClusterSpec{Unauthenticated: true, ClientBroker: types.ClientBrokerPlaintext}, []string{"Plaintext"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.Name = strings.ReplaceAll(tc.name, " ", "-")
			arn, err := cp.AddCluster(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(arn, "arn:aws-cn:kafka:cn-north-1:123456789012:cluster/") {
				t.Errorf("ARN %q is not in the China partition", arn)
			}
			out, err := cp.GetBootstrapBrokers(ctx, &awskafka.GetBootstrapBrokersInput{ClusterArn: aws.String(arn)})
			if err != nil {
				t.Fatal(err)
			}
			fields := map[string]*string{
				"Plaintext": out.BootstrapBrokerString, "Tls": out.BootstrapBrokerStringTls, "SaslScram": out.BootstrapBrokerStringSaslScram,
				"SaslIam": out.BootstrapBrokerStringSaslIam, "PublicTls": out.BootstrapBrokerStringPublicTls,
				"PublicSaslScram": out.BootstrapBrokerStringPublicSaslScram, "PublicSaslIam": out.BootstrapBrokerStringPublicSaslIam,
			}
			ports := map[string]string{"Plaintext": ":9092", "Tls": ":9094", "SaslScram": ":9096", "SaslIam": ":9098", "PublicTls": ":9194", "PublicSaslScram": ":9196", "PublicSaslIam": ":9198"}
			var set []string
			for _, name := range []string{"Plaintext", "PublicSaslIam", "PublicSaslScram", "PublicTls", "SaslIam", "SaslScram", "Tls"} {
				s := aws.ToString(fields[name])
				if s == "" {
					continue
				}
				set = append(set, name)
				brokers := strings.Split(s, ",")
				if len(brokers) != 3 {
					t.Errorf("%s = %q: want 3 brokers", name, s)
				}
				for _, b := range brokers {
					if !strings.HasSuffix(b, ".amazonaws.com.cn"+ports[name]) {
						t.Errorf("%s broker %q, want a China host on port %s", name, b, ports[name])
					}
				}
			}
			if !cmp.Equal(set, tc.want) {
				t.Errorf("fields set = %v, want %v", set, tc.want)
			}
		})
	}
}

func TestAddClusterValidation(t *testing.T) {
	cp := msktest.NewControlPlane()
	for _, spec := range []msktest.ClusterSpec{
		{Name: ""},
		{Name: "-bad"},
		{Name: "pub", PublicAccess: true, Unauthenticated: true},
		{Name: "pub2", IAM: true, PublicAccess: true, ClientBroker: types.ClientBrokerTlsPlaintext},
		{Name: "plain-iam", IAM: true, ClientBroker: types.ClientBrokerPlaintext},
		{Name: "bad-cb", ClientBroker: "SSL"},
		{Name: "addr", Addrs: []string{"nohost"}},
		{Name: "sls-scram", Serverless: true, SCRAM: true},
		{Name: "sls-public", Serverless: true, PublicAccess: true},
		{Name: "sls-version", Serverless: true, KafkaVersion: "3.6.0"},
	} {
		if _, err := cp.AddCluster(spec); err == nil {
			t.Errorf("AddCluster(%+v) accepted", spec)
		}
	}
	if _, err := cp.AddCluster(msktest.ClusterSpec{Name: "dup", UUID: "u-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cp.AddCluster(msktest.ClusterSpec{Name: "dup", UUID: "u-1"}); err == nil {
		t.Error("duplicate cluster accepted")
	}
	if len(cp.Calls()) != 0 {
		t.Error("seeding recorded calls")
	}
}

func TestControlsAndCalls(t *testing.T) {
	ctx := context.Background()
	cp, arn := newFake(t)
	in := &awskafka.DescribeClusterV2Input{ClusterArn: aws.String(arn)}

	// handled=false observes and falls through; KeepControl keeps the control until
	// ClearControls.
	seen := 0
	cp.KeepControl(msktest.OpDescribeClusterV2, func(input any) (any, error, bool) {
		if input.(*awskafka.DescribeClusterV2Input) != in {
			t.Error("control got another input")
		}
		seen++
		return nil, nil, false
	})
	for range 2 {
		if _, err := cp.DescribeClusterV2(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	cp.ClearControls()
	if _, err := cp.DescribeClusterV2(ctx, in); err != nil {
		t.Fatal(err)
	}
	if seen != 2 {
		t.Errorf("control saw %d calls, want 2 (kept, then cleared)", seen)
	}

	// Controls run in registration order; a handled one replaces the output.
	cp.Control(msktest.OpDescribeClusterV2, func(any) (any, error, bool) {
		return &awskafka.DescribeClusterV2Output{ClusterInfo: &types.Cluster{ClusterName: aws.String("first")}}, nil, true
	})
	cp.FailNext(msktest.OpDescribeClusterV2, &types.ForbiddenException{Message: aws.String("denied")})
	out, err := cp.DescribeClusterV2(ctx, in)
	if err != nil || aws.ToString(out.ClusterInfo.ClusterName) != "first" {
		t.Fatalf("first control: %v, %v", out, err)
	}
	_, err = cp.DescribeClusterV2(ctx, in)
	var fe *types.ForbiddenException
	if !errors.As(err, &fe) {
		t.Fatalf("FailNext: err = %v", err)
	}
	cp.ThrottleNext(msktest.OpGetClusterPolicy, 2)
	for i := range 3 {
		_, err := cp.GetClusterPolicy(ctx, &awskafka.GetClusterPolicyInput{ClusterArn: aws.String(arn)})
		var tm *types.TooManyRequestsException
		var nf *types.NotFoundException
		if (i < 2 && !errors.As(err, &tm)) || (i == 2 && !errors.As(err, &nf)) {
			t.Errorf("call %d: err = %v", i, err)
		}
	}
	// A control returning the wrong type is reported, not a panic.
	cp.Control(msktest.OpGetBootstrapBrokers, func(any) (any, error, bool) { return "nope", nil, true })
	if _, err := cp.GetBootstrapBrokers(ctx, &awskafka.GetBootstrapBrokersInput{ClusterArn: aws.String(arn)}); err == nil || !strings.Contains(err.Error(), "wrong output type") {
		t.Errorf("wrong control output: err = %v", err)
	}

	calls := cp.Calls()
	var got []string
	for _, c := range calls {
		got = append(got, c.Op)
	}
	want := []string{"DescribeClusterV2", "DescribeClusterV2", "DescribeClusterV2", "DescribeClusterV2", "DescribeClusterV2", "GetClusterPolicy", "GetClusterPolicy", "GetClusterPolicy", "GetBootstrapBrokers"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if calls[4].Err == nil || calls[3].Err != nil {
		t.Errorf("call errors not recorded: %v, %v", calls[3].Err, calls[4].Err)
	}
	calls[0].Op = "changed"
	if cp.Calls()[0].Op != "DescribeClusterV2" {
		t.Error("Calls does not return a copy")
	}
	if n := cp.Count(msktest.OpGetClusterPolicy); n != 3 {
		t.Errorf("Count = %d", n)
	}
}

func TestRequestValidationAndErrors(t *testing.T) {
	ctx := context.Background()
	cp, arn := newFake(t)
	_, err := cp.GetBootstrapBrokers(ctx, &awskafka.GetBootstrapBrokersInput{})
	var ip *smithy.InvalidParamsError
	if !errors.As(err, &ip) || !strings.Contains(err.Error(), "ClusterArn") {
		t.Errorf("missing ClusterArn: err = %v, want the SDK's InvalidParamsError", err)
	}
	_, err = cp.PutClusterPolicy(ctx, &awskafka.PutClusterPolicyInput{ClusterArn: aws.String(arn)})
	if !errors.As(err, &ip) || !strings.Contains(err.Error(), "Policy") {
		t.Errorf("missing Policy: err = %v", err)
	}
	_, err = cp.DescribeClusterV2(ctx, &awskafka.DescribeClusterV2Input{ClusterArn: aws.String("not-an-arn")})
	var br *types.BadRequestException
	if !errors.As(err, &br) {
		t.Errorf("malformed ARN: err = %v, want BadRequestException", err)
	}
	_, err = cp.DeleteClusterPolicy(ctx, &awskafka.DeleteClusterPolicyInput{ClusterArn: aws.String(arn)})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("delete without policy: err = %v, want NotFoundException", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := cp.DescribeClusterV2(cctx, &awskafka.DescribeClusterV2Input{ClusterArn: aws.String(arn)}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

func TestClusterStateAndClock(t *testing.T) {
	clock := datablocks.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	cp := msktest.NewControlPlane(func(o *msktest.Options) { o.Clock = clock; o.AccountID = "111122223333" })
	arn, err := cp.AddCluster(msktest.ClusterSpec{Name: "orders", KafkaVersion: "3.7.x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cp.SetClusterState(arn, types.ClusterStateMaintenance); err != nil {
		t.Fatal(err)
	}
	if err := cp.SetClusterState("arn:aws:kafka:eu-west-1:111122223333:cluster/x/y", types.ClusterStateActive); err == nil {
		t.Error("SetClusterState of an unknown cluster accepted")
	}
	out, err := cp.DescribeClusterV2(context.Background(), &awskafka.DescribeClusterV2Input{ClusterArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	info := out.ClusterInfo
	if info.State != types.ClusterStateMaintenance || !info.CreationTime.Equal(clock.Now()) ||
		aws.ToString(info.Provisioned.CurrentBrokerSoftwareInfo.KafkaVersion) != "3.7.x" || !strings.Contains(arn, ":111122223333:") {
		t.Errorf("described %+v", info)
	}
}

// The fake satisfies the helper's interfaces (kept here: msktest does not import msk).
var (
	_ msk.BrokersAPIClient       = (*msktest.ControlPlane)(nil)
	_ msk.ClusterPolicyAPIClient = (*msktest.ControlPlane)(nil)
	_ datablocks.ClockSource     = (*msktest.ControlPlane)(nil)
)

func TestFailNextRejectsUnknownOperation(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("FailNext with a misspelled operation did not panic")
		}
	}()
	msktest.NewControlPlane().FailNext("GetBootstrapBroker", errors.New("x"))
}
