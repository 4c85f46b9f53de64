// Package conformance checks that an MSK control plane behaves as MSK does for the calls
// package msk makes. It runs against msktest.ControlPlane in-process and through the real SDK
// client (msk/msktest tests), and against real MSK under the integration build tag. It reads
// AWS independently of package msk and does not import it.
package conformance

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/kafka/types"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
)

// Harness gives the conformance suite a control plane and clusters to test against: the fake,
// the fake behind the real SDK client, or real MSK.
type Harness interface {
	// Client returns the control-plane client under test.
	Client() Client
	// ProvisionedCluster returns the ARN of an ACTIVE provisioned cluster with IAM
	// authentication enabled and no cluster policy. Each call may return a new cluster; the
	// suite leaves it without a policy.
	ProvisionedCluster(ctx context.Context, t *testing.T) string
	// ServerlessCluster returns the ARN of an ACTIVE serverless cluster, or "" to skip the
	// serverless subtests.
	ServerlessCluster(ctx context.Context, t *testing.T) string
	// MissingClusterARN returns a well-formed ARN of a cluster that does not exist.
	MissingClusterARN() string
	// Close releases the harness.
	Close()
}

// Client is the part of the MSK control-plane client (*kafka.Client of
// github.com/aws/aws-sdk-go-v2/service/kafka) that the suite calls.
type Client interface {
	DescribeClusterV2(ctx context.Context, params *awskafka.DescribeClusterV2Input, optFns ...func(*awskafka.Options)) (*awskafka.DescribeClusterV2Output, error)
	GetBootstrapBrokers(ctx context.Context, params *awskafka.GetBootstrapBrokersInput, optFns ...func(*awskafka.Options)) (*awskafka.GetBootstrapBrokersOutput, error)
	GetClusterPolicy(ctx context.Context, params *awskafka.GetClusterPolicyInput, optFns ...func(*awskafka.Options)) (*awskafka.GetClusterPolicyOutput, error)
	PutClusterPolicy(ctx context.Context, params *awskafka.PutClusterPolicyInput, optFns ...func(*awskafka.Options)) (*awskafka.PutClusterPolicyOutput, error)
	DeleteClusterPolicy(ctx context.Context, params *awskafka.DeleteClusterPolicyInput, optFns ...func(*awskafka.Options)) (*awskafka.DeleteClusterPolicyOutput, error)
}

var _ Client = (*awskafka.Client)(nil)

// HarnessMaker makes a Harness for one subtest.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// RunConformanceTests checks, one subtest per behavior, that a control plane behaves as MSK
// does for the calls the msk package makes: cluster descriptions, bootstrap strings, typed
// not-found and bad-request errors, and versioned cluster policies with conflicts on stale
// versions.
func RunConformanceTests(t *testing.T, newHarness HarnessMaker) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(context.Context, *testing.T, Harness)
	}{
		{"DescribeProvisionedCluster", testDescribeProvisioned},
		{"DescribeServerlessCluster", testDescribeServerless},
		{"DescribeMissingCluster", testDescribeMissing},
		{"BootstrapBrokersIAM", testBootstrapIAM},
		{"BootstrapBrokersServerless", testBootstrapServerless},
		{"BootstrapBrokersMissingCluster", testBootstrapMissing},
		{"GetPolicyNone", testGetPolicyNone},
		{"PutGetPolicy", testPutGetPolicy},
		{"PutPolicyVersions", testPutPolicyVersions},
		{"PutPolicyStaleVersion", testPutPolicyStale},
		{"PutInvalidPolicy", testPutInvalidPolicy},
		{"PutPolicyMissingCluster", testPutPolicyMissing},
		{"DeletePolicy", testDeletePolicy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			h, err := newHarness(ctx, t)
			if err != nil {
				t.Fatalf("making harness: %v", err)
			}
			defer h.Close()
			tc.fn(ctx, t, h)
		})
	}
}

func testDescribeProvisioned(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ProvisionedCluster(ctx, t)
	out, err := h.Client().DescribeClusterV2(ctx, &awskafka.DescribeClusterV2Input{ClusterArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("DescribeClusterV2: %v", err)
	}
	info := out.ClusterInfo
	if info == nil {
		t.Fatal("DescribeClusterV2 returned no ClusterInfo")
	}
	parsed, err := parseClusterARN(arn)
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(info.ClusterArn); got != arn {
		t.Errorf("ClusterArn = %q, want %q", got, arn)
	}
	if got := aws.ToString(info.ClusterName); got != parsed.Name {
		t.Errorf("ClusterName = %q, want %q (from the ARN)", got, parsed.Name)
	}
	if info.ClusterType != types.ClusterTypeProvisioned || info.Provisioned == nil || info.Serverless != nil {
		t.Errorf("ClusterType = %q, Provisioned set %v, Serverless set %v; want PROVISIONED with only Provisioned", info.ClusterType, info.Provisioned != nil, info.Serverless != nil)
	}
	if info.State != types.ClusterStateActive {
		t.Errorf("State = %q, want ACTIVE", info.State)
	}
	if info.CreationTime == nil || aws.ToString(info.CurrentVersion) == "" {
		t.Errorf("CreationTime %v, CurrentVersion %q; want both set", info.CreationTime, aws.ToString(info.CurrentVersion))
	}
	if p := info.Provisioned; p == nil || p.ClientAuthentication == nil || p.ClientAuthentication.Sasl == nil ||
		p.ClientAuthentication.Sasl.Iam == nil || !aws.ToBool(p.ClientAuthentication.Sasl.Iam.Enabled) {
		t.Errorf("Provisioned.ClientAuthentication.Sasl.Iam.Enabled is not true")
	}
}

func testDescribeServerless(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ServerlessCluster(ctx, t)
	if arn == "" {
		t.Skip("harness has no serverless cluster")
	}
	out, err := h.Client().DescribeClusterV2(ctx, &awskafka.DescribeClusterV2Input{ClusterArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("DescribeClusterV2: %v", err)
	}
	info := out.ClusterInfo
	if info == nil || info.ClusterType != types.ClusterTypeServerless || info.Serverless == nil || info.Provisioned != nil {
		t.Fatalf("ClusterInfo = %+v, want SERVERLESS with only Serverless set", info)
	}
	if ca := info.Serverless.ClientAuthentication; ca == nil || ca.Sasl == nil || ca.Sasl.Iam == nil || !aws.ToBool(ca.Sasl.Iam.Enabled) {
		t.Errorf("Serverless.ClientAuthentication.Sasl.Iam.Enabled is not true")
	}
}

func testDescribeMissing(ctx context.Context, t *testing.T, h Harness) {
	_, err := h.Client().DescribeClusterV2(ctx, &awskafka.DescribeClusterV2Input{ClusterArn: aws.String(h.MissingClusterARN())})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("DescribeClusterV2 of a missing cluster: err = %v (%T), want *types.NotFoundException", err, err)
	}
}

func testBootstrapIAM(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ProvisionedCluster(ctx, t)
	out, err := h.Client().GetBootstrapBrokers(ctx, &awskafka.GetBootstrapBrokersInput{ClusterArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("GetBootstrapBrokers: %v", err)
	}
	brokers, err := splitBrokers(aws.ToString(out.BootstrapBrokerStringSaslIam))
	if err != nil {
		t.Fatalf("BootstrapBrokerStringSaslIam %q: %v", aws.ToString(out.BootstrapBrokerStringSaslIam), err)
	}
	if len(brokers) == 0 {
		t.Fatal("no IAM brokers")
	}
	for _, b := range brokers {
		if !strings.HasSuffix(b, ":9098") {
			t.Errorf("IAM broker %q is not on port 9098, MSK's private IAM listener", b)
		}
	}
}

func testBootstrapServerless(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ServerlessCluster(ctx, t)
	if arn == "" {
		t.Skip("harness has no serverless cluster")
	}
	out, err := h.Client().GetBootstrapBrokers(ctx, &awskafka.GetBootstrapBrokersInput{ClusterArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("GetBootstrapBrokers: %v", err)
	}
	brokers, err := splitBrokers(aws.ToString(out.BootstrapBrokerStringSaslIam))
	if err != nil {
		t.Errorf("BootstrapBrokerStringSaslIam: %v", err)
	}
	for _, b := range brokers {
		if !strings.HasSuffix(b, ":9098") {
			t.Errorf("serverless IAM bootstrap broker %q is not on port 9098", b)
		}
	}
	for name, s := range map[string]*string{
		"BootstrapBrokerString": out.BootstrapBrokerString, "BootstrapBrokerStringTls": out.BootstrapBrokerStringTls,
		"BootstrapBrokerStringSaslScram": out.BootstrapBrokerStringSaslScram, "BootstrapBrokerStringPublicSaslIam": out.BootstrapBrokerStringPublicSaslIam,
	} {
		if aws.ToString(s) != "" {
			t.Errorf("%s = %q on a serverless cluster, want empty", name, *s)
		}
	}
}

func testBootstrapMissing(ctx context.Context, t *testing.T, h Harness) {
	_, err := h.Client().GetBootstrapBrokers(ctx, &awskafka.GetBootstrapBrokersInput{ClusterArn: aws.String(h.MissingClusterARN())})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("GetBootstrapBrokers of a missing cluster: err = %v (%T), want *types.NotFoundException", err, err)
	}
}

func testGetPolicyNone(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ProvisionedCluster(ctx, t)
	_, err := h.Client().GetClusterPolicy(ctx, &awskafka.GetClusterPolicyInput{ClusterArn: aws.String(arn)})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("GetClusterPolicy without a policy: err = %v (%T), want *types.NotFoundException", err, err)
	}
}

// samplePolicy grants the cluster's own account Connect on the cluster.
func samplePolicy(t *testing.T, clusterARN, sid string) string {
	t.Helper()
	c, err := parseClusterARN(clusterARN)
	if err != nil {
		t.Fatal(err)
	}
	p := datablocks.NewPolicy(datablocks.Statement{
		Sid:       sid,
		Effect:    datablocks.Allow,
		Principal: &datablocks.Principal{AWS: []string{datablocks.Partition{ID: c.Partition}.ARN("iam", "", c.AccountID, "root")}},
		Action:    []string{"kafka-cluster:Connect"},
		Resource:  []string{clusterARN},
	})
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p.Compact()
}

func put(ctx context.Context, t *testing.T, h Harness, arn, policy string, version *string) string {
	t.Helper()
	out, err := h.Client().PutClusterPolicy(ctx, &awskafka.PutClusterPolicyInput{ClusterArn: aws.String(arn), Policy: aws.String(policy), CurrentVersion: version})
	if err != nil {
		t.Fatalf("PutClusterPolicy: %v", err)
	}
	if aws.ToString(out.CurrentVersion) == "" {
		t.Fatal("PutClusterPolicy returned no CurrentVersion")
	}
	return *out.CurrentVersion
}

func cleanupPolicy(ctx context.Context, t *testing.T, h Harness, arn string) {
	t.Cleanup(func() {
		_, _ = h.Client().DeleteClusterPolicy(ctx, &awskafka.DeleteClusterPolicyInput{ClusterArn: aws.String(arn)})
	})
}

func testPutGetPolicy(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ProvisionedCluster(ctx, t)
	cleanupPolicy(ctx, t, h, arn)
	policy := samplePolicy(t, arn, "ConformanceRead")
	version := put(ctx, t, h, arn, policy, nil)
	out, err := h.Client().GetClusterPolicy(ctx, &awskafka.GetClusterPolicyInput{ClusterArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("GetClusterPolicy: %v", err)
	}
	if got := aws.ToString(out.CurrentVersion); got != version {
		t.Errorf("CurrentVersion = %q, want %q from PutClusterPolicy", got, version)
	}
	want, _ := datablocks.ParsePolicy([]byte(policy))
	got, err := datablocks.ParsePolicy([]byte(aws.ToString(out.Policy)))
	if err != nil {
		t.Fatalf("stored policy: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored policy (-put +got):\n%s", diff)
	}
}

func testPutPolicyVersions(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ProvisionedCluster(ctx, t)
	cleanupPolicy(ctx, t, h, arn)
	v1 := put(ctx, t, h, arn, samplePolicy(t, arn, "ConformanceOne"), nil)
	v2 := put(ctx, t, h, arn, samplePolicy(t, arn, "ConformanceTwo"), aws.String(v1))
	if v2 == v1 {
		t.Errorf("version after an update = %q, the same as before", v2)
	}
	// Without CurrentVersion the write is unconditional.
	v3 := put(ctx, t, h, arn, samplePolicy(t, arn, "ConformanceThree"), nil)
	if v3 == v2 {
		t.Errorf("version after an unconditional update = %q, the same as before", v3)
	}
}

func testPutPolicyStale(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ProvisionedCluster(ctx, t)
	cleanupPolicy(ctx, t, h, arn)
	v1 := put(ctx, t, h, arn, samplePolicy(t, arn, "ConformanceOne"), nil)
	put(ctx, t, h, arn, samplePolicy(t, arn, "ConformanceTwo"), aws.String(v1))
	_, err := h.Client().PutClusterPolicy(ctx, &awskafka.PutClusterPolicyInput{
		ClusterArn: aws.String(arn), Policy: aws.String(samplePolicy(t, arn, "ConformanceStale")), CurrentVersion: aws.String(v1),
	})
	var conflict *types.ConflictException
	var bad *types.BadRequestException
	if !errors.As(err, &conflict) && !errors.As(err, &bad) {
		t.Fatalf("PutClusterPolicy with a stale version: err = %v (%T), want a version conflict", err, err)
	}
	out, err := h.Client().GetClusterPolicy(ctx, &awskafka.GetClusterPolicyInput{ClusterArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := datablocks.ParsePolicy([]byte(aws.ToString(out.Policy)))
	if len(p.Statements) != 1 || p.Statements[0].Sid != "ConformanceTwo" {
		t.Errorf("policy after a rejected write = %s, want the ConformanceTwo policy", aws.ToString(out.Policy))
	}
}

func testPutInvalidPolicy(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ProvisionedCluster(ctx, t)
	cleanupPolicy(ctx, t, h, arn)
	_, err := h.Client().PutClusterPolicy(ctx, &awskafka.PutClusterPolicyInput{ClusterArn: aws.String(arn), Policy: aws.String(`{"Version":`)})
	var br *types.BadRequestException
	if !errors.As(err, &br) {
		t.Fatalf("PutClusterPolicy with malformed JSON: err = %v (%T), want *types.BadRequestException", err, err)
	}
}

func testPutPolicyMissing(ctx context.Context, t *testing.T, h Harness) {
	arn := h.MissingClusterARN()
	_, err := h.Client().PutClusterPolicy(ctx, &awskafka.PutClusterPolicyInput{ClusterArn: aws.String(arn), Policy: aws.String(samplePolicy(t, arn, "Missing"))})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("PutClusterPolicy on a missing cluster: err = %v (%T), want *types.NotFoundException", err, err)
	}
}

func testDeletePolicy(ctx context.Context, t *testing.T, h Harness) {
	arn := h.ProvisionedCluster(ctx, t)
	put(ctx, t, h, arn, samplePolicy(t, arn, "ConformanceDelete"), nil)
	if _, err := h.Client().DeleteClusterPolicy(ctx, &awskafka.DeleteClusterPolicyInput{ClusterArn: aws.String(arn)}); err != nil {
		t.Fatalf("DeleteClusterPolicy: %v", err)
	}
	_, err := h.Client().GetClusterPolicy(ctx, &awskafka.GetClusterPolicyInput{ClusterArn: aws.String(arn)})
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("GetClusterPolicy after delete: err = %v (%T), want *types.NotFoundException", err, err)
	}
}

// splitBrokers splits a bootstrap broker string and checks each host:port.
func splitBrokers(s string) ([]string, error) {
	var out []string
	for a := range strings.SplitSeq(s, ",") {
		if err := checkBrokerAddr(a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// clusterARN is the part of a cluster ARN the suite reads.
type clusterARN struct{ Partition, AccountID, Name string }

// parseClusterARN reads arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>.
func parseClusterARN(s string) (clusterARN, error) {
	a, err := datablocks.ParseARN(s)
	if err != nil {
		return clusterARN{}, err
	}
	res := strings.Split(a.Resource, "/")
	if a.Service != "kafka" || len(res) != 3 || res[0] != "cluster" {
		return clusterARN{}, fmt.Errorf("%q is not an MSK cluster ARN", s)
	}
	return clusterARN{Partition: a.Partition, AccountID: a.AccountID, Name: res[1]}, nil
}

// checkBrokerAddr checks a host:port broker address.
func checkBrokerAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return fmt.Errorf("broker address %q is not host:port", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("broker address %q has an invalid port", addr)
	}
	return nil
}
