package awsfake

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/emr"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Successful calls from real SDK clients: the request verifies and is
// recorded, and the SDK decodes the handler's reply.

func TestAWSJSONEMR(t *testing.T) {
	s := New(t)
	s.HandleJSON("ElasticMapReduce.AddJobFlowSteps", func(r *Request) (any, error) {
		return `{"StepIds":["s-1"]}`, nil
	})
	type stepStatus struct{ State string }
	type stepSummary struct {
		Id, Name string
		Status   stepStatus
	}
	s.HandleJSON("ElasticMapReduce.ListSteps", func(r *Request) (any, error) {
		// Any other value is json.Marshal'ed.
		return map[string]any{"Steps": []stepSummary{{Id: "s-1", Name: "spark", Status: stepStatus{State: "RUNNING"}}}}, nil
	})
	client := emr.NewFromConfig(s.Config())
	ctx := context.Background()

	out, err := client.AddJobFlowSteps(ctx, addStepsInput("j-1"))
	if err != nil {
		t.Fatalf("AddJobFlowSteps: %v", err)
	}
	if !reflect.DeepEqual(out.StepIds, []string{"s-1"}) {
		t.Errorf("StepIds = %v, want [s-1]", out.StepIds)
	}
	req := onlyRequest(t, s, "AddJobFlowSteps")
	var in struct {
		JobFlowId string
		Steps     []struct {
			Name          string
			HadoopJarStep struct{ Jar string }
		}
	}
	if err := req.JSON(&in); err != nil {
		t.Fatal(err)
	}
	if !req.Verified || req.Err != nil || req.Protocol != AWSJSON || req.Method != http.MethodPost || req.Path != "/" ||
		req.Header.Get("X-Amz-Target") != "ElasticMapReduce.AddJobFlowSteps" ||
		in.JobFlowId != "j-1" || len(in.Steps) != 1 || in.Steps[0].HadoopJarStep.Jar != "command-runner.jar" {
		t.Errorf("recorded %+v, body %+v", req, in)
	}

	steps, err := client.ListSteps(ctx, &emr.ListStepsInput{ClusterId: aws.String("j-1")})
	if err != nil {
		t.Fatalf("ListSteps: %v", err)
	}
	if len(steps.Steps) != 1 || aws.ToString(steps.Steps[0].Id) != "s-1" || steps.Steps[0].Status.State != emrtypes.StepStateRunning {
		t.Errorf("ListSteps decoded %+v", steps.Steps)
	}
	if got := s.Ops("ListSteps"); len(got) != 1 || got[0].Map()["ClusterId"] != "j-1" {
		t.Errorf("Ops(ListSteps) = %+v", got)
	}
}

func TestAWSJSON10ContentTypeMirrored(t *testing.T) {
	s := New(t)
	s.HandleJSON("RedshiftData.ListDatabases", func(*Request) (any, error) { return nil, nil })
	header := http.Header{"Content-Type": {"application/x-amz-json-1.0"}, "X-Amz-Target": {"RedshiftData.ListDatabases"}}
	resp := do(t, rawRequest(t, s, http.MethodPost, "/", "{}", header, testCreds(), time.Now()))
	if resp.status != http.StatusOK || resp.header.Get("Content-Type") != "application/x-amz-json-1.0" || resp.body != "{}" ||
		resp.header.Get("X-Amzn-Requestid") == "" {
		t.Errorf("awsJson1_0 reply: %d %v %q", resp.status, resp.header, resp.body)
	}
	header.Set("X-Amz-Target", "RedshiftData.Nope")
	resp = do(t, rawRequest(t, s, http.MethodPost, "/", "{}", header, testCreds(), time.Now()))
	if resp.status != http.StatusBadRequest || resp.header.Get("Content-Type") != "application/x-amz-json-1.0" ||
		!strings.Contains(resp.body, `"__type":"UnknownOperationException"`) {
		t.Errorf("awsJson1_0 error: %d %v %q", resp.status, resp.header, resp.body)
	}
}

func TestRESTJSONLakeFormation(t *testing.T) {
	s := New(t)
	s.HandleREST("GetDataLakeSettings", http.MethodPost, "/GetDataLakeSettings", func(r *Request) (any, error) {
		return []byte(`{"DataLakeSettings":{"DataLakeAdmins":[{"DataLakePrincipalIdentifier":"arn:aws:iam::123456789012:role/Admin"}]}}`), nil
	})
	out, err := lakeformation.NewFromConfig(s.Config()).GetDataLakeSettings(context.Background(),
		&lakeformation.GetDataLakeSettingsInput{CatalogId: aws.String("123456789012")})
	if err != nil {
		t.Fatalf("GetDataLakeSettings: %v", err)
	}
	if admins := out.DataLakeSettings.DataLakeAdmins; len(admins) != 1 ||
		aws.ToString(admins[0].DataLakePrincipalIdentifier) != "arn:aws:iam::123456789012:role/Admin" {
		t.Errorf("DataLakeAdmins = %+v", admins)
	}
	req := onlyRequest(t, s, "GetDataLakeSettings")
	if !req.Verified || req.Protocol != RESTJSON || req.Method != http.MethodPost || req.Path != "/GetDataLakeSettings" ||
		req.Map()["CatalogId"] != "123456789012" {
		t.Errorf("recorded %+v body %s", req, req.Body)
	}
}

func TestRESTJSONKafkaARNPath(t *testing.T) {
	s := New(t)
	s.HandleREST("GetBootstrapBrokers", http.MethodGet, "/v1/clusters/{clusterArn}/bootstrap-brokers", func(r *Request) (any, error) {
		return map[string]string{"bootstrapBrokerStringSaslIam": "b-1.demo:9098,b-2.demo:9098"}, nil
	})
	out, err := kafka.NewFromConfig(s.Config()).GetBootstrapBrokers(context.Background(),
		&kafka.GetBootstrapBrokersInput{ClusterArn: aws.String(testClusterARN)})
	if err != nil {
		t.Fatalf("GetBootstrapBrokers: %v", err)
	}
	if got := aws.ToString(out.BootstrapBrokerStringSaslIam); got != "b-1.demo:9098,b-2.demo:9098" {
		t.Errorf("BootstrapBrokerStringSaslIam = %q", got)
	}
	req := onlyRequest(t, s, "GetBootstrapBrokers")
	if got := req.PathParams["clusterArn"]; got != testClusterARN {
		t.Errorf("PathParams[clusterArn] = %q, want %q", got, testClusterARN)
	}
	if want := "/v1/clusters/" + strings.NewReplacer(":", "%3A", "/", "%2F").Replace(testClusterARN) + "/bootstrap-brokers"; req.Path != want || !strings.Contains(req.Path, "%2F") {
		t.Errorf("Path = %q, want %q", req.Path, want)
	}
	if !req.Verified || req.Method != http.MethodGet || len(req.Body) != 0 {
		t.Errorf("recorded %+v", req)
	}
}

// xmlInstanceTypes exercises the xml.Marshal path for query results.
type xmlInstanceTypes struct {
	XMLName xml.Name          `xml:"instanceTypeSet"`
	Items   []xmlInstanceType `xml:"item"`
}

type xmlInstanceType struct {
	InstanceType string `xml:"instanceType"`
	VCPUs        int    `xml:"vCpuInfo>defaultVCpus"`
}

func TestEC2QueryDescribeInstanceTypes(t *testing.T) {
	s := New(t)
	s.HandleEC2Query("DescribeInstanceTypes", func(r *Request) (any, error) {
		var out xmlInstanceTypes
		for i := 1; r.Form.Has("InstanceType." + strconv.Itoa(i)); i++ {
			out.Items = append(out.Items, xmlInstanceType{InstanceType: r.Form.Get("InstanceType." + strconv.Itoa(i)), VCPUs: 4 * i})
		}
		return out, nil
	})
	out, err := ec2.NewFromConfig(s.Config()).DescribeInstanceTypes(context.Background(), &ec2.DescribeInstanceTypesInput{
		InstanceTypes: []ec2types.InstanceType{ec2types.InstanceTypeM5Xlarge, ec2types.InstanceTypeR52xlarge},
	})
	if err != nil {
		t.Fatalf("DescribeInstanceTypes: %v", err)
	}
	if len(out.InstanceTypes) != 2 || out.InstanceTypes[0].InstanceType != ec2types.InstanceTypeM5Xlarge ||
		aws.ToInt32(out.InstanceTypes[1].VCpuInfo.DefaultVCpus) != 8 {
		t.Errorf("InstanceTypes = %+v", out.InstanceTypes)
	}
	req := onlyRequest(t, s, "DescribeInstanceTypes")
	if !req.Verified || req.Protocol != EC2Query || req.Form.Get("Version") != "2016-11-15" ||
		req.Form.Get("InstanceType.1") != "m5.xlarge" || req.Form.Get("InstanceType.2") != "r5.2xlarge" {
		t.Errorf("recorded %+v", req)
	}
}

func TestAWSQuerySTSGetCallerIdentity(t *testing.T) {
	s := New(t)
	s.HandleAWSQuery("GetCallerIdentity", func(r *Request) (any, error) {
		return "<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>", nil
	})
	out, err := sts.NewFromConfig(s.Config()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	if aws.ToString(out.Arn) != "arn:aws:iam::123456789012:user/alice" || aws.ToString(out.Account) != "123456789012" ||
		aws.ToString(out.UserId) != "AIDAEXAMPLE" {
		t.Errorf("GetCallerIdentity = %s %s %s", aws.ToString(out.Arn), aws.ToString(out.Account), aws.ToString(out.UserId))
	}
	req := onlyRequest(t, s, "GetCallerIdentity")
	if !req.Verified || req.Protocol != AWSQuery || req.Form.Get("Version") != "2011-06-15" || req.Form.Get("Action") != "GetCallerIdentity" {
		t.Errorf("recorded %+v", req)
	}

	// The raw reply has the documented wrapper.
	resp := do(t, rawRequest(t, s, http.MethodPost, "/", "Action=GetCallerIdentity&Version=2011-06-15",
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, testCreds(), time.Now()))
	id := resp.header.Get("X-Amzn-Requestid")
	want := `<GetCallerIdentityResponse xmlns="` + DefaultAWSQueryNamespace + `"><GetCallerIdentityResult><Arn>`
	if resp.status != http.StatusOK || !strings.Contains(resp.body, want) || id == "" ||
		!strings.HasSuffix(resp.body, "</GetCallerIdentityResult><ResponseMetadata><RequestId>"+id+"</RequestId></ResponseMetadata></GetCallerIdentityResponse>") {
		t.Errorf("raw reply %d %q (request id %q)", resp.status, resp.body, id)
	}
}

// TestRESTJSONKafkaQueryString sends query parameters whose values need escaping (a page token
// with + / =, a filter with a space and &) through the real SDK: the signature must verify and
// Request.Query must hold the decoded values.
func TestRESTJSONKafkaQueryString(t *testing.T) {
	s := New(t)
	s.HandleREST("ListClustersV2", http.MethodGet, "/api/v2/clusters", func(r *Request) (any, error) {
		// Member names as the service sends them (jsonName traits in the SDK schema).
		return `{"clusterInfoList":[{"clusterName":"orders"}],"nextToken":"AAF+x/y="}`, nil
	})
	out, err := kafka.NewFromConfig(s.Config()).ListClustersV2(context.Background(), &kafka.ListClustersV2Input{
		ClusterNameFilter: aws.String("orders & payments"),
		MaxResults:        aws.Int32(5),
		NextToken:         aws.String("AAE+b/c="),
	})
	if err != nil {
		t.Fatalf("ListClustersV2: %v", err)
	}
	if len(out.ClusterInfoList) != 1 || aws.ToString(out.ClusterInfoList[0].ClusterName) != "orders" || aws.ToString(out.NextToken) != "AAF+x/y=" {
		t.Errorf("output = %+v", out)
	}
	req := onlyRequest(t, s, "ListClustersV2")
	// Query names from the Kafka API reference: clusterNameFilter, maxResults, nextToken.
	want := url.Values{"clusterNameFilter": {"orders & payments"}, "maxResults": {"5"}, "nextToken": {"AAE+b/c="}}
	if !req.Verified || !reflect.DeepEqual(req.Query, want) || len(req.Body) != 0 {
		t.Errorf("recorded Verified %v Query %v body %q, want %v", req.Verified, req.Query, req.Body, want)
	}
}
