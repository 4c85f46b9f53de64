package awsfake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/emr"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

const testClusterARN = "arn:aws:kafka:eu-west-1:123456789012:cluster/demo/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-2"

// wireCase is one SDK call per protocol, used by the success and rejection
// tests: register installs a handler that answers it, call makes it.
type wireCase struct {
	name     string
	protocol Protocol
	op       string
	register func(s *Server, called *int)
	call     func(ctx context.Context, cfg aws.Config) error
}

func wireCases() []wireCase {
	count := func(called *int, out any) Handler {
		var mu sync.Mutex
		return func(*Request) (any, error) {
			mu.Lock()
			*called++
			mu.Unlock()
			return out, nil
		}
	}
	return []wireCase{{
		name: "emr", protocol: AWSJSON, op: "AddJobFlowSteps",
		register: func(s *Server, n *int) {
			s.HandleJSON("ElasticMapReduce.AddJobFlowSteps", count(n, `{"StepIds":["s-1"]}`))
		},
		call: func(ctx context.Context, cfg aws.Config) error {
			_, err := emr.NewFromConfig(cfg).AddJobFlowSteps(ctx, addStepsInput("j-1"))
			return err
		},
	}, {
		name: "lakeformation", protocol: RESTJSON, op: "GetDataLakeSettings",
		register: func(s *Server, n *int) {
			s.HandleREST("GetDataLakeSettings", http.MethodPost, "/GetDataLakeSettings", count(n, nil))
		},
		call: func(ctx context.Context, cfg aws.Config) error {
			_, err := lakeformation.NewFromConfig(cfg).GetDataLakeSettings(ctx, &lakeformation.GetDataLakeSettingsInput{})
			return err
		},
	}, {
		name: "kafka", protocol: RESTJSON, op: "GetBootstrapBrokers",
		register: func(s *Server, n *int) {
			s.HandleREST("GetBootstrapBrokers", http.MethodGet, "/v1/clusters/{clusterArn}/bootstrap-brokers", count(n, nil))
		},
		call: func(ctx context.Context, cfg aws.Config) error {
			_, err := kafka.NewFromConfig(cfg).GetBootstrapBrokers(ctx, &kafka.GetBootstrapBrokersInput{ClusterArn: aws.String(testClusterARN)})
			return err
		},
	}, {
		name: "ec2", protocol: EC2Query, op: "DescribeInstanceTypes",
		register: func(s *Server, n *int) { s.HandleEC2Query("DescribeInstanceTypes", count(n, nil)) },
		call: func(ctx context.Context, cfg aws.Config) error {
			_, err := ec2.NewFromConfig(cfg).DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{})
			return err
		},
	}, {
		name: "sts", protocol: AWSQuery, op: "GetCallerIdentity",
		register: func(s *Server, n *int) {
			s.HandleAWSQuery("GetCallerIdentity", count(n, "<Account>123456789012</Account>"))
		},
		call: func(ctx context.Context, cfg aws.Config) error {
			_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		},
	}}
}

func addStepsInput(clusterID string) *emr.AddJobFlowStepsInput {
	return &emr.AddJobFlowStepsInput{
		JobFlowId: aws.String(clusterID),
		Steps: []emrtypes.StepConfig{{
			Name:          aws.String("spark"),
			HadoopJarStep: &emrtypes.HadoopJarStepConfig{Jar: aws.String("command-runner.jar"), Args: []string{"spark-submit"}},
		}},
	}
}

// apiError asserts err is a smithy.APIError with code and HTTP status, and
// returns it.
func apiError(t *testing.T, err error, code string, status int) smithy.APIError {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not a smithy.APIError", err, err)
	}
	if ae.ErrorCode() != code {
		t.Errorf("ErrorCode() = %q, want %q (message %q)", ae.ErrorCode(), code, ae.ErrorMessage())
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v has no *awshttp.ResponseError", err)
	}
	if re.HTTPStatusCode() != status {
		t.Errorf("HTTP status = %d, want %d", re.HTTPStatusCode(), status)
	}
	if !strings.HasPrefix(re.ServiceRequestID(), "00000000-0000-4000-8000-") {
		t.Errorf("ServiceRequestID() = %q, want the server's request id", re.ServiceRequestID())
	}
	return ae
}

// onlyRequest asserts the server recorded exactly one request, for op, and
// returns it.
func onlyRequest(t *testing.T, s *Server, op string) Request {
	t.Helper()
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Op != op {
		t.Fatalf("recorded %d requests %+v, want one %s", len(reqs), reqs, op)
	}
	return reqs[0]
}

// rawRequest builds a request to s signed with creds at signTime, as the SDK
// would sign it; tests then tamper with it.
func rawRequest(t *testing.T, s *Server, method, path, body string, header http.Header, creds aws.Credentials, signTime time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	sum := sha256.Sum256([]byte(body))
	payloadHash := hex.EncodeToString(sum[:])
	if h := req.Header.Get("X-Amz-Content-Sha256"); h != "" {
		payloadHash = h // as S3 clients do: the header is the signed payload hash
	}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, payloadHash, "elasticmapreduce", Region, signTime); err != nil {
		t.Fatal(err)
	}
	return req
}

func testCreds() aws.Credentials {
	return aws.Credentials{AccessKeyID: AccessKeyID, SecretAccessKey: SecretAccessKey, SessionToken: SessionToken}
}

func emrHeader(op string) http.Header {
	return http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {"ElasticMapReduce." + op}}
}

func TestServerConfigDefaults(t *testing.T) {
	s := New(t)
	cfg := s.Config()
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != Region || cfg.RetryMaxAttempts != 1 || aws.ToString(cfg.BaseEndpoint) != s.URL() ||
		creds.AccessKeyID != AccessKeyID || creds.SecretAccessKey != SecretAccessKey || creds.SessionToken != SessionToken {
		t.Errorf("Config() = region %q retries %d endpoint %q creds %+v", cfg.Region, cfg.RetryMaxAttempts, aws.ToString(cfg.BaseEndpoint), creds)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL() = %q, want http://127.0.0.1:port", s.URL())
	}
}

func TestServerCustomOptions(t *testing.T) {
	s := New(t, func(o *Options) {
		o.Region = "us-west-2"
		o.Credentials = map[string]string{"AKIDOTHER": "other-secret"}
		o.AWSQueryNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
	})
	s.HandleAWSQuery("GetCallerIdentity", func(*Request) (any, error) { return "<Account>1</Account>", nil })
	req := rawRequest(t, s, http.MethodPost, "/", "Action=GetCallerIdentity&Version=2011-06-15",
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, aws.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: "other-secret"}, time.Now())
	// rawRequest signs for Region; the server now wants us-west-2.
	resp := do(t, req)
	if resp.status != http.StatusForbidden || !strings.Contains(resp.body, "<Code>SignatureDoesNotMatch</Code>") {
		t.Errorf("eu-west-1 scope against a us-west-2 server: %d %s", resp.status, resp.body)
	}

	cfg := s.Config()
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: "other-secret"}, nil
	})
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with custom credentials and region: %v", err)
	}
	if aws.ToString(out.Account) != "1" {
		t.Errorf("Account = %q, want 1", aws.ToString(out.Account))
	}
	last := s.Requests()[1]
	if !last.Verified || last.Header.Get("X-Amz-Security-Token") != "" {
		t.Errorf("custom-credential request: Verified %v, token %q", last.Verified, last.Header.Get("X-Amz-Security-Token"))
	}
}

type rawResponse struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, req *http.Request) rawResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{resp.StatusCode, resp.Header, string(body)}
}

func TestRESTRouting(t *testing.T) {
	s := New(t)
	noop := func(*Request) (any, error) { return nil, nil }
	s.HandleREST("GetObject", http.MethodGet, "/{Bucket}/{Key+}?x-id=GetObject", noop)
	s.HandleREST("ListTopics", http.MethodGet, "/v1/clusters/{clusterArn}/topics", noop)
	s.HandleREST("DescribeTopic", http.MethodGet, "/v1/clusters/{clusterArn}/topics/{topicName}", noop)
	s.HandleREST("ListClusters", http.MethodGet, "/v1/clusters", noop)
	s.HandleREST("CreateCluster", http.MethodPost, "/v1/clusters", noop)
	s.HandleREST("CreateTopic", http.MethodPost, "/v1/clusters/{clusterArn}/topics", noop)

	tests := []struct {
		method, target string
		op             string
		params         map[string]string
	}{
		{"GET", "/v1/clusters?maxResults=5", "ListClusters", map[string]string{}},
		{"POST", "/v1/clusters", "CreateCluster", map[string]string{}},
		{"GET", "/v1/clusters/arn%3Aaws%3Akafka%3Ax%2Fy/topics", "ListTopics", map[string]string{"clusterArn": "arn:aws:kafka:x/y"}},
		{"GET", "/v1/clusters/c1/topics/orders%20v2", "DescribeTopic", map[string]string{"clusterArn": "c1", "topicName": "orders v2"}},
		// Most literal segments wins over the greedy /{Bucket}/{Key+}.
		{"GET", "/v1/clusters/c1/topics", "ListTopics", map[string]string{"clusterArn": "c1"}},
		{"GET", "/bucket/a/b%20c/d.txt", "GetObject", map[string]string{"Bucket": "bucket", "Key": "a/b c/d.txt"}},
		{"GET", "/bucket/", "", nil},              // greedy label needs a value
		{"DELETE", "/v1/clusters", "", nil},       // method mismatch
		{"POST", "/v1/clusters//topics", "", nil}, // empty label
		{"GET", "/v1/clusters//topics", "GetObject", map[string]string{"Bucket": "v1", "Key": "clusters//topics"}},
		{"GET", "/v1/clusters/c1/topics/a/b", "GetObject", map[string]string{"Bucket": "v1", "Key": "clusters/c1/topics/a/b"}},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, nil)
		req := &Request{}
		h, err := s.route(r, req)
		if tt.op == "" {
			if h != nil || err == nil || err.Status != http.StatusNotFound || err.Code != "UnknownOperationException" {
				t.Errorf("%s %s: routed to %q (err %v), want 404 UnknownOperationException", tt.method, tt.target, req.Op, err)
			}
			continue
		}
		if h == nil || err != nil || req.Op != tt.op || req.Protocol != RESTJSON || !reflect.DeepEqual(req.PathParams, tt.params) {
			t.Errorf("%s %s: op %q params %v err %v, want %s %v", tt.method, tt.target, req.Op, req.PathParams, err, tt.op, tt.params)
		}
	}

	// Registering an op again replaces its route.
	req0 := &Request{}
	s.HandleREST("ListClusters", http.MethodGet, "/v2/clusters", noop)
	if _, err := s.route(httptest.NewRequest("GET", "/v1/clusters", nil), req0); err == nil && req0.Op == "ListClusters" {
		t.Error("old ListClusters route still matches after re-registration")
	}
	req := &Request{}
	if _, err := s.route(httptest.NewRequest("GET", "/v2/clusters", nil), req); err != nil || req.Op != "ListClusters" {
		t.Errorf("new ListClusters route: op %q err %v", req.Op, err)
	}
}

func TestHandleRESTPanicsOnBadPattern(t *testing.T) {
	s := New(t)
	for _, pattern := range []string{"v1/clusters", "/{Key+}/tail"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("HandleREST(%q) did not panic", pattern)
				}
			}()
			s.HandleREST("Op", http.MethodGet, pattern, nil)
		}()
	}
}

func TestQueryRoutingByVersion(t *testing.T) {
	s := New(t)
	var got []string
	var mu sync.Mutex
	handler := func(name string) Handler {
		return func(*Request) (any, error) {
			mu.Lock()
			got = append(got, name)
			mu.Unlock()
			return nil, nil
		}
	}
	// EC2 and Auto Scaling both have DescribeTags.
	s.HandleEC2Query("DescribeTags", handler("ec2"))
	s.HandleAWSQuery("DescribeTags", handler("autoscaling"))
	s.HandleEC2Query("DescribeVpcs", handler("ec2-vpcs"))
	for _, body := range []string{
		"Action=DescribeTags&Version=2016-11-15",
		"Action=DescribeTags&Version=2011-01-01",
		"Action=DescribeVpcs&Version=2099-01-01", // only EC2 has it
	} {
		req := rawRequest(t, s, http.MethodPost, "/", body, http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}}, testCreds(), time.Now())
		if resp := do(t, req); resp.status != http.StatusOK {
			t.Errorf("%s: status %d %s", body, resp.status, resp.body)
		}
	}
	if want := []string{"ec2", "autoscaling", "ec2-vpcs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("handlers called %v, want %v", got, want)
	}
	reqs := s.Requests()
	if reqs[0].Protocol != EC2Query || reqs[1].Protocol != AWSQuery || reqs[2].Protocol != EC2Query || reqs[1].Form.Get("Version") != "2011-01-01" {
		t.Errorf("protocols %v %v %v, form %v", reqs[0].Protocol, reqs[1].Protocol, reqs[2].Protocol, reqs[1].Form)
	}
}

func TestRequestJSONAndMap(t *testing.T) {
	r := &Request{Op: "Op", Body: []byte(`{"JobFlowId":"j-1","Steps":[{"Name":"a"}]}`)}
	var v struct{ JobFlowId string }
	if err := r.JSON(&v); err != nil || v.JobFlowId != "j-1" {
		t.Errorf("JSON: %+v, %v", v, err)
	}
	if m := r.Map(); m["JobFlowId"] != "j-1" || len(m["Steps"].([]any)) != 1 {
		t.Errorf("Map() = %v", m)
	}
	empty := &Request{}
	if m := empty.Map(); m != nil {
		t.Errorf("Map() of empty body = %v, want nil", m)
	}
	if err := empty.JSON(&v); err == nil {
		t.Error("JSON of empty body: no error")
	}
	if err := (&Request{Body: []byte("Action=X")}).JSON(&v); err == nil {
		t.Error("JSON of a form body: no error")
	}
}

func TestConcurrentRequestsRecorded(t *testing.T) {
	s := New(t)
	s.HandleJSON("ElasticMapReduce.AddJobFlowSteps", func(r *Request) (any, error) {
		return map[string][]string{"StepIds": {"s-" + r.Map()["JobFlowId"].(string)}}, nil
	})
	client := emr.NewFromConfig(s.Config())
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			id := fmt.Sprintf("j-%d", i)
			out, err := client.AddJobFlowSteps(context.Background(), addStepsInput(id))
			if err == nil && (len(out.StepIds) != 1 || out.StepIds[0] != "s-"+id) {
				err = fmt.Errorf("StepIds = %v, want [s-%s]", out.StepIds, id)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	reqs := s.Ops("AddJobFlowSteps")
	seen := map[string]bool{}
	for _, r := range reqs {
		if !r.Verified || r.Err != nil {
			t.Errorf("request %s: Verified %v Err %v", r.Map()["JobFlowId"], r.Verified, r.Err)
		}
		seen[r.Map()["JobFlowId"].(string)] = true
	}
	if len(reqs) != n || len(seen) != n {
		t.Errorf("recorded %d requests for %d clusters, want %d", len(reqs), len(seen), n)
	}
}

// TestServerListensOnLoopbackOnly: the fake accepts any request signed with the public test
// credentials, so it must never be reachable from another host.
func TestServerListensOnLoopbackOnly(t *testing.T) {
	s := New(t)
	addr, ok := s.srv.Listener.Addr().(*net.TCPAddr)
	if !ok || !addr.IP.IsLoopback() {
		t.Fatalf("listening on %v, want a loopback address", s.srv.Listener.Addr())
	}
	u, err := url.Parse(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		t.Fatalf("URL() host %q is not a loopback IP", u.Hostname())
	}
	s.Close()
	s.Close() // a second Close (t.Cleanup's) is harmless
	if _, err := http.Get(s.URL()); err == nil {
		t.Fatal("server still answers after Close")
	}
}
