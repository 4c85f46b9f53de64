package msk_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/kafka/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks/internal/awsfake"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

func addProvisioned(t *testing.T, cp *msktest.ControlPlane, spec msktest.ClusterSpec) string {
	t.Helper()
	arn, err := cp.AddCluster(spec)
	if err != nil {
		t.Fatal(err)
	}
	return arn
}

func TestDiscoverModes(t *testing.T) {
	ctx := context.Background()
	cp := msktest.NewControlPlane()
	all := addProvisioned(t, cp, msktest.ClusterSpec{Name: "all", UUID: "abcdef12-0000-1111-2222-333333333333-1", IAM: true, SCRAM: true, TLS: true, Unauthenticated: true, ClientBroker: types.ClientBrokerTlsPlaintext})
	public := addProvisioned(t, cp, msktest.ClusterSpec{Name: "pub", UUID: "fedcba98-0000-1111-2222-333333333333-1", IAM: true, SCRAM: true, TLS: true, PublicAccess: true})
	d := msk.NewBrokerDiscovery(cp)
	for _, tc := range []struct {
		name    string
		arn     string
		auth    msk.AuthMode
		public  bool
		brokers []string
	}{
		{"iam", all, msk.AuthIAM, false, []string{
			"b-1.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9098", "b-2.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9098", "b-3.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9098"}},
		{"scram", all, msk.AuthSCRAM, false, []string{
			"b-1.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9096", "b-2.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9096", "b-3.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9096"}},
		{"tls", all, msk.AuthTLS, false, []string{
			"b-1.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9094", "b-2.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9094", "b-3.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9094"}},
		{"plaintext", all, msk.AuthPlaintext, false, []string{
			"b-1.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9092", "b-2.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9092", "b-3.all.abcdef.c2.kafka.eu-west-1.amazonaws.com:9092"}},
		{"public iam", public, msk.AuthIAM, true, []string{
			"b-1-public.pub.fedcba.c2.kafka.eu-west-1.amazonaws.com:9198", "b-2-public.pub.fedcba.c2.kafka.eu-west-1.amazonaws.com:9198", "b-3-public.pub.fedcba.c2.kafka.eu-west-1.amazonaws.com:9198"}},
		{"public scram", public, msk.AuthSCRAM, true, []string{
			"b-1-public.pub.fedcba.c2.kafka.eu-west-1.amazonaws.com:9196", "b-2-public.pub.fedcba.c2.kafka.eu-west-1.amazonaws.com:9196", "b-3-public.pub.fedcba.c2.kafka.eu-west-1.amazonaws.com:9196"}},
		{"public tls", public, msk.AuthTLS, true, []string{
			"b-1-public.pub.fedcba.c2.kafka.eu-west-1.amazonaws.com:9194", "b-2-public.pub.fedcba.c2.kafka.eu-west-1.amazonaws.com:9194", "b-3-public.pub.fedcba.c2.kafka.eu-west-1.amazonaws.com:9194"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := d.Discover(ctx, tc.arn, tc.auth, func(o *msk.Options) { o.Public = tc.public })
			if err != nil {
				t.Fatal(err)
			}
			want := &msk.Bootstrap{ClusterType: types.ClusterTypeProvisioned, Brokers: tc.brokers}
			if diff := cmp.Diff(want, b); diff != "" {
				t.Errorf("Discover (-want +got):\n%s", diff)
			}
			if b.String() != strings.Join(tc.brokers, ",") {
				t.Errorf("String() = %q", b.String())
			}
		})
	}
}

func TestDiscoverNotEnabled(t *testing.T) {
	ctx := context.Background()
	cp := msktest.NewControlPlane()
	iamOnly := addProvisioned(t, cp, msktest.ClusterSpec{Name: "iam-only", IAM: true})
	serverless, err := cp.AddCluster(msktest.ClusterSpec{Serverless: true, Name: "sls"})
	if err != nil {
		t.Fatal(err)
	}
	d := msk.NewBrokerDiscovery(cp)
	for _, tc := range []struct {
		name        string
		arn         string
		auth        msk.AuthMode
		public      bool
		wantEnabled []msk.AuthMode
		wantReason  string
	}{
		{"scram on iam-only", iamOnly, msk.AuthSCRAM, false, []msk.AuthMode{msk.AuthIAM}, "client authentication or encryption in transit"},
		{"plaintext on tls-only", iamOnly, msk.AuthPlaintext, false, []msk.AuthMode{msk.AuthIAM}, "client authentication or encryption in transit"},
		{"public without public access", iamOnly, msk.AuthIAM, true, nil, "public access is turned off"},
		{"public plaintext", iamOnly, msk.AuthPlaintext, true, nil, "does not allow plaintext"},
		{"serverless scram", serverless, msk.AuthSCRAM, false, []msk.AuthMode{msk.AuthIAM}, "IAM authentication only"},
		{"serverless public", serverless, msk.AuthIAM, true, nil, "no public access"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := cp.Count(msktest.OpGetBootstrapBrokers)
			_, err := d.Discover(ctx, tc.arn, tc.auth, func(o *msk.Options) { o.Public = tc.public })
			var ne *msk.AuthNotEnabledError
			if !errors.As(err, &ne) {
				t.Fatalf("err = %v, want *msk.AuthNotEnabledError", err)
			}
			if !cmp.Equal(ne.Enabled, tc.wantEnabled) || !strings.Contains(ne.Reason, tc.wantReason) {
				t.Errorf("error = %+v, want enabled %v reason containing %q", ne, tc.wantEnabled, tc.wantReason)
			}
			access := map[bool]string{false: " with private access ", true: " with public access "}[tc.public]
			if msg := err.Error(); !strings.HasPrefix(msg, "msk: "+string(tc.auth)+" auth"+access) || !strings.Contains(msg, tc.arn) {
				t.Errorf("message %q does not name the mode, the access and the cluster", err)
			}
			if n := cp.Count(msktest.OpGetBootstrapBrokers) - before; n != 0 {
				t.Errorf("GetBootstrapBrokers called %d times for a mode that is not enabled", n)
			}
		})
	}
	b, err := d.Discover(ctx, serverless, msk.AuthIAM)
	if err != nil {
		t.Fatal(err)
	}
	if b.ClusterType != types.ClusterTypeServerless || len(b.Brokers) != 1 || !strings.HasSuffix(b.Brokers[0], ".kafka-serverless.eu-west-1.amazonaws.com:9098") {
		t.Errorf("serverless bootstrap = %+v", b)
	}
}

func TestDiscoverLocalAddrs(t *testing.T) {
	cp := msktest.NewControlPlane()
	arn := addProvisioned(t, cp, msktest.ClusterSpec{Name: "local", Addrs: []string{"127.0.0.1:40001", "127.0.0.1:40002"}})
	b, err := msk.NewBrokerDiscovery(cp).Discover(context.Background(), arn, msk.AuthIAM)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(b.Brokers, []string{"127.0.0.1:40001", "127.0.0.1:40002"}) {
		t.Errorf("brokers = %v", b.Brokers)
	}
}

func TestDiscoverErrors(t *testing.T) {
	ctx := context.Background()
	cp := msktest.NewControlPlane()
	d := msk.NewBrokerDiscovery(cp)
	if _, err := d.Discover(ctx, "", msk.AuthIAM); err == nil || !strings.Contains(err.Error(), "cluster ARN is required") {
		t.Errorf("empty ARN: %v", err)
	}
	if _, err := d.Discover(ctx, exampleClusterARN, "KERBEROS"); err == nil || !strings.Contains(err.Error(), `auth mode "KERBEROS"`) {
		t.Errorf("bad mode: %v", err)
	}
	if _, err := d.Discover(ctx, "arn:aws:kafka:eu-west-1:111122223333:topic/a/b/c", msk.AuthIAM); err == nil {
		t.Error("topic ARN accepted")
	}
	if n := len(cp.Calls()); n != 0 {
		t.Errorf("%d calls made for invalid input", n)
	}
	_, err := d.Discover(ctx, exampleClusterARN, msk.AuthIAM)
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("missing cluster: err = %v, want *types.NotFoundException", err)
	}
	arn := addProvisioned(t, cp, msktest.ClusterSpec{Name: "c"})
	cp.ThrottleNext(msktest.OpGetBootstrapBrokers, 1)
	_, err = d.Discover(ctx, arn, msk.AuthIAM)
	var tm *types.TooManyRequestsException
	if !errors.As(err, &tm) {
		t.Errorf("throttled: err = %v, want *types.TooManyRequestsException", err)
	}
}

// Wire tests: the real SDK clients against internal/awsfake, with responses written from the
// MSK and SSM API references.

const wireClusterARN = "arn:aws:kafka:eu-west-1:111122223333:cluster/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"

func TestDiscoverWire(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("DescribeClusterV2", "GET", "/api/v2/clusters/{clusterArn}", func(r *awsfake.Request) (any, error) {
		return `{"clusterInfo":{
		  "clusterArn":"` + wireClusterARN + `","clusterName":"orders","clusterType":"PROVISIONED","state":"ACTIVE",
		  "creationTime":"2026-01-02T03:04:05.678Z","currentVersion":"K3AEGXETSR30VB",
		  "provisioned":{
		    "brokerNodeGroupInfo":{"instanceType":"kafka.m5.large","clientSubnets":["subnet-1","subnet-2","subnet-3"],
		      "connectivityInfo":{"publicAccess":{"type":"DISABLED"}}},
		    "clientAuthentication":{"sasl":{"iam":{"enabled":true},"scram":{"enabled":false}},"tls":{"enabled":false},"unauthenticated":{"enabled":false}},
		    "encryptionInfo":{"encryptionInTransit":{"clientBroker":"TLS","inCluster":true}},
		    "numberOfBrokerNodes":3}}}`, nil
	})
	s.HandleREST("GetBootstrapBrokers", "GET", "/v1/clusters/{clusterArn}/bootstrap-brokers", func(r *awsfake.Request) (any, error) {
		return `{"bootstrapBrokerStringSaslIam":"b-1.orders.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.orders.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098"}`, nil
	})
	client := awskafka.NewFromConfig(s.Config())
	b, err := msk.NewBrokerDiscovery(client).Discover(context.Background(), wireClusterARN, msk.AuthIAM)
	if err != nil {
		t.Fatal(err)
	}
	want := &msk.Bootstrap{ClusterType: types.ClusterTypeProvisioned,
		Brokers: []string{"b-1.orders.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098", "b-2.orders.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098"}}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("Discover (-want +got):\n%s", diff)
	}
	// The ARN travels percent-encoded in the path, ':' and '/' included.
	const escaped = "arn%3Aaws%3Akafka%3Aeu-west-1%3A111122223333%3Acluster%2Forders%2Fa1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
	type req struct{ Op, Method, Path, ARN string }
	var got []req
	for _, r := range s.Requests() {
		if !r.Verified {
			t.Errorf("%s: signature not verified", r.Op)
		}
		got = append(got, req{r.Op, r.Method, r.Path, r.PathParams["clusterArn"]})
	}
	wantReqs := []req{
		{"DescribeClusterV2", "GET", "/api/v2/clusters/" + escaped, wireClusterARN},
		{"GetBootstrapBrokers", "GET", "/v1/clusters/" + escaped + "/bootstrap-brokers", wireClusterARN},
	}
	if diff := cmp.Diff(wantReqs, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}

	// A mode the cluster does not enable fails before GetBootstrapBrokers.
	_, err = msk.NewBrokerDiscovery(client).Discover(context.Background(), wireClusterARN, msk.AuthSCRAM)
	var ne *msk.AuthNotEnabledError
	if !errors.As(err, &ne) || len(s.Ops("GetBootstrapBrokers")) != 1 {
		t.Errorf("SCRAM: err = %v, GetBootstrapBrokers calls %d", err, len(s.Ops("GetBootstrapBrokers")))
	}
}

func TestDiscoverWireNotFound(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("DescribeClusterV2", "GET", "/api/v2/clusters/{clusterArn}", func(r *awsfake.Request) (any, error) {
		return nil, &awsfake.Error{Status: 404, Code: "NotFoundException", Message: "The specified cluster was not found."}
	})
	_, err := msk.NewBrokerDiscovery(awskafka.NewFromConfig(s.Config())).Discover(context.Background(), wireClusterARN, msk.AuthIAM)
	var nf *types.NotFoundException
	if !errors.As(err, &nf) || nf.ErrorMessage() != "The specified cluster was not found." {
		t.Fatalf("err = %v, want *types.NotFoundException", err)
	}
}

func TestParameterBrokersWire(t *testing.T) {
	s := awsfake.New(t)
	s.HandleJSON("AmazonSSM.GetParameter", func(r *awsfake.Request) (any, error) {
		return `{"Parameter":{"Name":"/kafka_spark_demo/kafka_servers","Type":"SecureString","Version":3,
		  "Value":"b-1.demo.x.c2.kafka.eu-west-1.amazonaws.com:9098, b-2.demo.x.c2.kafka.eu-west-1.amazonaws.com:9098",
		  "ARN":"arn:aws:ssm:eu-west-1:111122223333:parameter/kafka_spark_demo/kafka_servers","DataType":"text"}}`, nil
	})
	var logs bytes.Buffer
	brokers, err := msk.ParameterBrokers(context.Background(), ssm.NewFromConfig(s.Config()), "/kafka_spark_demo/kafka_servers",
		func(o *msk.Options) {
			o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		})
	if err != nil {
		t.Fatal(err)
	}
	// The log names the parameter and counts the brokers; a SecureString's value stays out.
	if l := logs.String(); !strings.Contains(l, "parameter=/kafka_spark_demo/kafka_servers brokers=2") || strings.Contains(l, "b-1.demo") {
		t.Errorf("log %q", l)
	}
	if want := []string{"b-1.demo.x.c2.kafka.eu-west-1.amazonaws.com:9098", "b-2.demo.x.c2.kafka.eu-west-1.amazonaws.com:9098"}; !cmp.Equal(brokers, want) {
		t.Errorf("brokers = %v, want %v", brokers, want)
	}
	reqs := s.Ops("GetParameter")
	if len(reqs) != 1 || !reqs[0].Verified {
		t.Fatalf("GetParameter requests: %+v", reqs)
	}
	if diff := cmp.Diff(map[string]any{"Name": "/kafka_spark_demo/kafka_servers", "WithDecryption": true}, reqs[0].Map()); diff != "" {
		t.Errorf("GetParameter body (-want +got):\n%s", diff)
	}
}

func TestParameterBrokersErrors(t *testing.T) {
	s := awsfake.New(t)
	s.HandleJSON("AmazonSSM.GetParameter", func(r *awsfake.Request) (any, error) {
		if r.Map()["Name"] == "/empty" {
			return `{"Parameter":{"Name":"/empty","Type":"String","Value":" , "}}`, nil
		}
		return nil, &awsfake.Error{Code: "ParameterNotFound", Message: "not found"}
	})
	client := ssm.NewFromConfig(s.Config())
	if _, err := msk.ParameterBrokers(context.Background(), client, ""); err == nil {
		t.Error("empty name accepted")
	}
	if _, err := msk.ParameterBrokers(context.Background(), client, "/empty"); err == nil || !strings.Contains(err.Error(), "broker list is empty") {
		t.Errorf("empty list: %v", err)
	}
	_, err := msk.ParameterBrokers(context.Background(), client, "/missing")
	var nf interface{ ErrorCode() string }
	if !errors.As(err, &nf) || nf.ErrorCode() != "ParameterNotFound" {
		t.Errorf("missing parameter: %v", err)
	}
}

// TestClientOptionsReachTheSDK checks that ClientOptions, given at construction and per
// call, are passed to every SDK call, the per-call ones after the helper's: the client is
// built pointing at a closed port, the helper's option points it at the server, and a
// per-call option points it back at the closed port. A per-call option must not stay in
// the helper's options.
func TestClientOptionsReachTheSDK(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("DescribeClusterV2", "GET", "/api/v2/clusters/{clusterArn}", func(*awsfake.Request) (any, error) { return wireProvisionedJSON, nil })
	s.HandleREST("GetBootstrapBrokers", "GET", "/v1/clusters/{clusterArn}/bootstrap-brokers", func(*awsfake.Request) (any, error) {
		return `{"bootstrapBrokerStringSaslIam":"b-1.orders.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098"}`, nil
	})
	const closed = "http://127.0.0.1:1" // nothing listens there
	cfg := s.Config()
	cfg.BaseEndpoint = aws.String(closed)
	endpoint := func(url string) func(*awskafka.Options) {
		return func(o *awskafka.Options) { o.BaseEndpoint = aws.String(url) }
	}
	d := msk.NewBrokerDiscovery(awskafka.NewFromConfig(cfg), func(o *msk.Options) {
		o.ClientOptions = append(make([]func(*awskafka.Options), 0, 4), endpoint(s.URL()))
	})
	ctx := context.Background()
	if _, err := d.Discover(ctx, wireClusterARN, msk.AuthIAM); err != nil {
		t.Fatalf("with the helper's endpoint: %v", err)
	}
	if n := len(s.Requests()); n != 2 {
		t.Fatalf("%d requests reached the server, want 2", n)
	}
	_, err := d.Discover(ctx, wireClusterARN, msk.AuthIAM, func(o *msk.Options) {
		o.ClientOptions = append(o.ClientOptions, endpoint(closed))
	})
	if err == nil || len(s.Requests()) != 2 {
		t.Errorf("with a per-call endpoint: err %v, %d requests; want an error and no request", err, len(s.Requests()))
	}
	if _, err := d.Discover(ctx, wireClusterARN, msk.AuthIAM); err != nil || len(s.Requests()) != 4 {
		t.Errorf("after the per-call endpoint: err %v, %d requests; want success after 4", err, len(s.Requests()))
	}
}
