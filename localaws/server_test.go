package localaws_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/datazone"
	dztypes "github.com/aws/aws-sdk-go-v2/service/datazone/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation"
	lftypes "github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/datablocks-go/datablocks/localaws"
)

// tableStore is a tiny Glue fake made of plain functions: enough to show a stateful fake
// behind the real glue client.
type tableStore struct {
	mu     sync.Mutex
	tables map[string]gluetypes.Table
	got    []any // inputs received, in order
}

func (s *tableStore) CreateTable(_ context.Context, in *glue.CreateTableInput, _ ...func(*glue.Options)) (*glue.CreateTableOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, in)
	key := aws.ToString(in.DatabaseName) + "/" + aws.ToString(in.TableInput.Name)
	if _, ok := s.tables[key]; ok {
		return nil, &gluetypes.AlreadyExistsException{Message: aws.String("Table already exists.")}
	}
	s.tables[key] = gluetypes.Table{
		Name:              in.TableInput.Name,
		DatabaseName:      in.DatabaseName,
		StorageDescriptor: in.TableInput.StorageDescriptor,
		Parameters:        in.TableInput.Parameters,
		CreateTime:        aws.Time(time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)),
	}
	return &glue.CreateTableOutput{}, nil
}

func (s *tableStore) GetTable(ctx context.Context, in *glue.GetTableInput, _ ...func(*glue.Options)) (*glue.GetTableOutput, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, in)
	t, ok := s.tables[aws.ToString(in.DatabaseName)+"/"+aws.ToString(in.Name)]
	if !ok {
		return nil, &gluetypes.EntityNotFoundException{Message: aws.String("Table " + aws.ToString(in.Name) + " not found.")}
	}
	return &glue.GetTableOutput{Table: &t}, nil
}

func (s *tableStore) service() localaws.Service {
	return localaws.Service{SigningName: "glue", Protocol: localaws.AWSJSON11, TargetPrefix: "AWSGlue",
		WireNames: glueWireNames,
		Operations: []localaws.Operation{
			localaws.Op("CreateTable", s.CreateTable),
			localaws.Op("GetTable", s.GetTable),
		}}
}

var ignoreUnexported = cmpopts.IgnoreUnexported(glue.CreateTableInput{}, glue.GetTableInput{}, gluetypes.TableInput{},
	gluetypes.StorageDescriptor{}, gluetypes.Column{}, gluetypes.Table{}, glue.GetTableOutput{}, gluetypes.SerDeInfo{})

func TestGlueThroughRealClient(t *testing.T) {
	store := &tableStore{tables: map[string]gluetypes.Table{}}
	srv := localaws.NewTestServer(t, store.service())
	client := glue.NewFromConfig(srv.Config())
	ctx := context.Background()

	create := &glue.CreateTableInput{
		DatabaseName: aws.String("sales"),
		TableInput: &gluetypes.TableInput{
			Name: aws.String("orders"),
			StorageDescriptor: &gluetypes.StorageDescriptor{
				Columns:   []gluetypes.Column{{Name: aws.String("id"), Type: aws.String("bigint")}, {Name: aws.String("note"), Type: aws.String("string"), Comment: aws.String(`"quoted" <b>&</b> é`)}},
				Location:  aws.String("s3://bucket/orders/"),
				SerdeInfo: &gluetypes.SerDeInfo{SerializationLibrary: aws.String("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")},
			},
			Parameters: map[string]string{"classification": "parquet", "EXTERNAL": "TRUE"},
		},
	}
	if _, err := client.CreateTable(ctx, create); err != nil {
		t.Fatal(err)
	}
	got, err := client.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("sales"), Name: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	want := &gluetypes.Table{
		Name: aws.String("orders"), DatabaseName: aws.String("sales"),
		StorageDescriptor: create.TableInput.StorageDescriptor,
		Parameters:        map[string]string{"classification": "parquet", "EXTERNAL": "TRUE"},
		CreateTime:        aws.Time(time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)),
	}
	if diff := cmp.Diff(want, got.Table, ignoreUnexported); diff != "" {
		t.Errorf("GetTable decoded (-want +got):\n%s", diff)
	}
	store.mu.Lock()
	if diff := cmp.Diff(create, store.got[0], ignoreUnexported); diff != "" {
		t.Errorf("the fake received another CreateTableInput (-sent +received):\n%s", diff)
	}
	store.mu.Unlock()

	_, err = client.CreateTable(ctx, create)
	var exists *gluetypes.AlreadyExistsException
	if !errors.As(err, &exists) || aws.ToString(exists.Message) != "Table already exists." {
		t.Errorf("second CreateTable: got %v, want AlreadyExistsException", err)
	}
	_, err = client.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("sales"), Name: aws.String("nope")})
	var notFound *gluetypes.EntityNotFoundException
	if !errors.As(err, &notFound) || aws.ToString(notFound.Message) != "Table nope not found." {
		t.Errorf("GetTable nope: got %v, want EntityNotFoundException", err)
	}
}

// TestRESTLabelsAndQuery checks that percent-encoded labels arrive decoded, and that query
// parameters bind to their members, through the real kafka and datazone clients.
func TestRESTLabelsAndQuery(t *testing.T) {
	const arn = "arn:aws:kafka:eu-west-1:123456789012:cluster/orders/0b7e4c1a-1d2e-4f5a-9b8c-7d6e5f4a3b2c-2"
	var gotARN string
	var gotList *datazone.ListDataSourcesInput
	kafkaSvc := localaws.Service{SigningName: "kafka", Protocol: localaws.RESTJSON1, Naming: localaws.LowerCamel,
		Operations: []localaws.Operation{
			localaws.Route("GetBootstrapBrokers", "GET", "/v1/clusters/{clusterArn}/bootstrap-brokers",
				func(_ context.Context, in *kafka.GetBootstrapBrokersInput, _ ...func(*kafka.Options)) (*kafka.GetBootstrapBrokersOutput, error) {
					gotARN = aws.ToString(in.ClusterArn)
					return &kafka.GetBootstrapBrokersOutput{BootstrapBrokerStringSaslIam: aws.String("b-1.orders.kafka.eu-west-1.amazonaws.com:9098")}, nil
				}),
		}}
	dzSvc := localaws.Service{SigningName: "datazone", Protocol: localaws.RESTJSON1, Naming: localaws.LowerCamel,
		DateTimes: datazoneDateTimes,
		Operations: []localaws.Operation{
			localaws.Route("ListDataSources", "GET", "/v2/domains/{domainIdentifier}/data-sources",
				func(_ context.Context, in *datazone.ListDataSourcesInput, _ ...func(*datazone.Options)) (*datazone.ListDataSourcesOutput, error) {
					gotList = in
					return &datazone.ListDataSourcesOutput{Items: []dztypes.DataSourceSummary{{
						DataSourceId: aws.String("ds-1"), DomainId: in.DomainIdentifier, EnvironmentId: aws.String("env-1"),
						Name: aws.String("glue source"), Status: dztypes.DataSourceStatusReady, Type: aws.String("GLUE"),
						CreatedAt: aws.Time(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)),
					}}, NextToken: aws.String("page 2")}, nil
				}),
		}}
	srv := localaws.NewTestServer(t, kafkaSvc, dzSvc)
	ctx := context.Background()

	out, err := kafka.NewFromConfig(srv.Config()).GetBootstrapBrokers(ctx, &kafka.GetBootstrapBrokersInput{ClusterArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if gotARN != arn || aws.ToString(out.BootstrapBrokerStringSaslIam) != "b-1.orders.kafka.eu-west-1.amazonaws.com:9098" {
		t.Errorf("GetBootstrapBrokers: fake got ARN %q, client got %v", gotARN, aws.ToString(out.BootstrapBrokerStringSaslIam))
	}

	in := &datazone.ListDataSourcesInput{DomainIdentifier: aws.String("dzd_abc"), ProjectIdentifier: aws.String("prj_1"), MaxResults: aws.Int32(25),
		Name: aws.String("glue source"), NextToken: aws.String("a+b/c=="), Status: dztypes.DataSourceStatusReady, Type: aws.String("GLUE")}
	list, err := datazone.NewFromConfig(srv.Config()).ListDataSources(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, gotList, cmpopts.IgnoreUnexported(datazone.ListDataSourcesInput{})); diff != "" {
		t.Errorf("ListDataSources input (-sent +received):\n%s", diff)
	}
	if len(list.Items) != 1 || aws.ToString(list.Items[0].DomainId) != "dzd_abc" ||
		!list.Items[0].CreatedAt.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) || aws.ToString(list.NextToken) != "page 2" {
		t.Errorf("ListDataSources output: %+v", list)
	}
}

// TestEC2Query sends lists, nested members and filters through the real ec2 client.
func TestEC2Query(t *testing.T) {
	var got *ec2.DescribeInstanceTypesInput
	svc := localaws.Service{SigningName: "ec2", Protocol: localaws.EC2Query, APIVersion: "2016-11-15",
		WireNames: map[string]string{"DescribeInstanceTypesOutput.InstanceTypes": "instanceTypeSet"},
		Operations: []localaws.Operation{
			localaws.Op("DescribeInstanceTypes", func(_ context.Context, in *ec2.DescribeInstanceTypesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error) {
				got = in
				return &ec2.DescribeInstanceTypesOutput{InstanceTypes: []ec2types.InstanceTypeInfo{{
					InstanceType: ec2types.InstanceTypeM5Xlarge,
					VCpuInfo:     &ec2types.VCpuInfo{DefaultVCpus: aws.Int32(4), ValidCores: []int32{1, 2}},
					MemoryInfo:   &ec2types.MemoryInfo{SizeInMiB: aws.Int64(16384)},
					ProcessorInfo: &ec2types.ProcessorInfo{SupportedArchitectures: []ec2types.ArchitectureType{ec2types.ArchitectureTypeX8664},
						SustainedClockSpeedInGhz: aws.Float64(3.1)},
				}}}, nil
			}),
		}}
	srv := localaws.NewTestServer(t, svc)
	in := &ec2.DescribeInstanceTypesInput{
		InstanceTypes: []ec2types.InstanceType{ec2types.InstanceTypeM5Xlarge, ec2types.InstanceTypeR5Large},
		Filters: []ec2types.Filter{{Name: aws.String("processor-info.supported-architecture"), Values: []string{"x86_64", "arm64"}},
			{Name: aws.String("current-generation"), Values: []string{"true"}}},
		MaxResults: aws.Int32(100),
	}
	out, err := ec2.NewFromConfig(srv.Config()).DescribeInstanceTypes(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	opts := cmpopts.IgnoreUnexported(ec2.DescribeInstanceTypesInput{}, ec2types.Filter{})
	if diff := cmp.Diff(in, got, opts); diff != "" {
		t.Errorf("input (-sent +received):\n%s", diff)
	}
	if len(out.InstanceTypes) != 1 || out.InstanceTypes[0].InstanceType != ec2types.InstanceTypeM5Xlarge ||
		aws.ToInt64(out.InstanceTypes[0].MemoryInfo.SizeInMiB) != 16384 ||
		!cmp.Equal(out.InstanceTypes[0].VCpuInfo.ValidCores, []int32{1, 2}) ||
		aws.ToFloat64(out.InstanceTypes[0].ProcessorInfo.SustainedClockSpeedInGhz) != 3.1 {
		t.Errorf("output: %+v", out.InstanceTypes)
	}
}

// TestAWSQueryMaps sends a map and a list through the real sns client.
func TestAWSQueryMaps(t *testing.T) {
	var got *sns.CreateTopicInput
	svc := localaws.Service{SigningName: "sns", Protocol: localaws.AWSQuery, APIVersion: "2010-03-31",
		XMLNamespace: "http://sns.amazonaws.com/doc/2010-03-31/",
		Operations: []localaws.Operation{
			localaws.Op("CreateTopic", func(_ context.Context, in *sns.CreateTopicInput, _ ...func(*sns.Options)) (*sns.CreateTopicOutput, error) {
				got = in
				return &sns.CreateTopicOutput{TopicArn: aws.String("arn:aws:sns:eu-west-1:123456789012:" + aws.ToString(in.Name))}, nil
			}),
		}}
	srv := localaws.NewTestServer(t, svc)
	in := &sns.CreateTopicInput{Name: aws.String("orders.fifo"),
		Attributes: map[string]string{"FifoTopic": "true", "DisplayName": "Orders & more"}}
	out, err := sns.NewFromConfig(srv.Config()).CreateTopic(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, got, cmpopts.IgnoreUnexported(sns.CreateTopicInput{})); diff != "" {
		t.Errorf("input (-sent +received):\n%s", diff)
	}
	if aws.ToString(out.TopicArn) != "arn:aws:sns:eu-west-1:123456789012:orders.fifo" {
		t.Errorf("TopicArn = %q", aws.ToString(out.TopicArn))
	}
}

// TestErrorsAndStatus checks status codes and error shapes as the SDK sees them.
func TestErrorsAndStatus(t *testing.T) {
	fail := func(err error) func(context.Context, *lakeformation.GrantPermissionsInput, ...func(*lakeformation.Options)) (*lakeformation.GrantPermissionsOutput, error) {
		return func(context.Context, *lakeformation.GrantPermissionsInput, ...func(*lakeformation.Options)) (*lakeformation.GrantPermissionsOutput, error) {
			if err == nil {
				panic("boom")
			}
			return nil, err
		}
	}
	cases := []struct {
		name       string
		err        error
		status     int
		code, msg  string
		checkTyped func(error) bool
	}{
		{"modeled client fault", &lftypes.EntityNotFoundException{Message: aws.String("no db")}, 400, "EntityNotFoundException", "no db",
			func(err error) bool { var e *lftypes.EntityNotFoundException; return errors.As(err, &e) }},
		{"wrapped modeled error", fmt.Errorf("fake: %w", &lftypes.ConcurrentModificationException{Message: aws.String("busy")}), 400,
			"ConcurrentModificationException", "busy",
			func(err error) bool { var e *lftypes.ConcurrentModificationException; return errors.As(err, &e) }},
		{"server fault", &lftypes.InternalServiceException{Message: aws.String("oops")}, 500, "InternalServiceException", "oops", nil},
		{"status from ErrorStatus", &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "denied", Fault: smithy.FaultClient}, 403,
			"AccessDeniedException", "denied", nil},
		{"throttling keeps 400", &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}, 400, "ThrottlingException", "Rate exceeded", nil},
		{"plain error", errors.New("disk on fire"), 500, "InternalFailure", "disk on fire", nil},
		{"panic", nil, 500, "InternalFailure", "localaws: GrantPermissions handler panicked: boom", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := localaws.Service{SigningName: "lakeformation", Protocol: localaws.RESTJSON1,
				ErrorStatus: map[string]int{"AccessDeniedException": 403},
				Operations:  []localaws.Operation{localaws.Route("GrantPermissions", "POST", "/GrantPermissions", fail(tc.err))}}
			srv := localaws.NewTestServer(t, svc)
			client := lakeformation.NewFromConfig(srv.Config(), func(o *lakeformation.Options) { o.RetryMaxAttempts = 1 })
			_, err := client.GrantPermissions(context.Background(), &lakeformation.GrantPermissionsInput{
				Principal:   &lftypes.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("arn:aws:iam::123456789012:role/r")},
				Resource:    &lftypes.Resource{Database: &lftypes.DatabaseResource{Name: aws.String("db")}},
				Permissions: []lftypes.Permission{lftypes.PermissionDescribe}})
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != tc.code || apiErr.ErrorMessage() != tc.msg {
				t.Fatalf("got %v, want %s: %s", err, tc.code, tc.msg)
			}
			var re interface{ HTTPStatusCode() int }
			if !errors.As(err, &re) || re.HTTPStatusCode() != tc.status {
				t.Errorf("status: got %v, want %d", err, tc.status)
			}
			if tc.checkTyped != nil && !tc.checkTyped(err) {
				t.Errorf("%v is not the modeled error type", err)
			}
		})
	}
}

// signedRequest builds a request signed with SigV4 for service, as a program in another
// language would send it.
func signedRequest(t *testing.T, srv *localaws.Server, service, method, path string, header map[string]string, body []byte, secret string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if secret == "" {
		return req
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: localaws.DefaultAccessKeyID, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, localaws.DefaultRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

func send(t *testing.T, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// TestRawSignedRequests reaches fakes with net/http requests signed by aws/signer/v4, routes
// two services with the same restJson1 path by their signing names, and rejects unsigned
// and badly signed requests.
func TestRawSignedRequests(t *testing.T) {
	type thingInput struct {
		Id   *string
		Path *string
		Tags []string
		Kind *string
	}
	type thingOutput struct {
		Service *string
		Id      *string
		Path    *string
		Tags    []string
		Kind    *string
	}
	thing := func(name string) func(context.Context, *thingInput, ...func(*struct{})) (*thingOutput, error) {
		return func(_ context.Context, in *thingInput, _ ...func(*struct{})) (*thingOutput, error) {
			return &thingOutput{Service: aws.String(name), Id: in.Id, Path: in.Path, Tags: in.Tags, Kind: in.Kind}, nil
		}
	}
	svcA := localaws.Service{SigningName: "alpha", Protocol: localaws.RESTJSON1, Naming: localaws.LowerCamel,
		WireNames:  map[string]string{"thingInput.Tags": "tag", "thingInput.Kind": "X-Thing-Kind"},
		Operations: []localaws.Operation{localaws.Route("GetThing", "GET", "/things/{id}/files/{path+}", thing("alpha"))}}
	svcB := localaws.Service{SigningName: "beta", Protocol: localaws.RESTJSON1, Naming: localaws.LowerCamel,
		WireNames:  map[string]string{"thingInput.Tags": "tag", "thingInput.Kind": "X-Thing-Kind"},
		Operations: []localaws.Operation{localaws.Route("GetThing", "GET", "/things/{id}/files/{path+}", thing("beta"))}}
	glueSvc := (&tableStore{tables: map[string]gluetypes.Table{}}).service()
	ec2Svc := localaws.Service{SigningName: "ec2", Protocol: localaws.EC2Query, Operations: []localaws.Operation{
		localaws.Op("DescribeInstanceTypes", func(context.Context, *ec2.DescribeInstanceTypesInput, ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error) {
			return &ec2.DescribeInstanceTypesOutput{}, nil
		})}}
	srv := localaws.NewTestServer(t, svcA, svcB, glueSvc, ec2Svc)
	path := "/things/a%2Fb%20c/files/dir/sub%20dir/x.json?tag=t1&tag=t2"
	hdr := map[string]string{"X-Thing-Kind": "special"}
	for _, name := range []string{"alpha", "beta"} {
		status, _, body := send(t, signedRequest(t, srv, name, "GET", path, hdr, nil, localaws.DefaultSecretAccessKey))
		want := `{"service":"` + name + `","id":"a/b c","path":"dir/sub dir/x.json","tags":["t1","t2"],"kind":"special"}`
		if status != 200 || body != want {
			t.Errorf("%s: got %d %s, want 200 %s", name, status, body, want)
		}
	}

	jsonHdr := map[string]string{"X-Amz-Target": "AWSGlue.GetTable", "Content-Type": "application/x-amz-json-1.1"}
	getTable := []byte(`{"DatabaseName":"sales","Name":"orders"}`)
	rejections := []struct {
		name            string
		req             *http.Request
		status          int
		code            string
		errorTypeHeader bool
	}{
		{"unsigned", signedRequest(t, srv, "glue", "POST", "/", jsonHdr, getTable, ""), 403, "MissingAuthenticationTokenException", true},
		{"wrong secret", signedRequest(t, srv, "glue", "POST", "/", jsonHdr, getTable, "not-the-secret"), 403, "InvalidSignatureException", true},
		{"unknown target", signedRequest(t, srv, "glue", "POST", "/", map[string]string{"X-Amz-Target": "AWSGlue.DropEverything",
			"Content-Type": "application/x-amz-json-1.1"}, []byte(`{}`), localaws.DefaultSecretAccessKey), 400, "UnknownOperationException", true},
		{"unknown REST path", signedRequest(t, srv, "alpha", "DELETE", "/things/1", nil, nil, localaws.DefaultSecretAccessKey), 404, "UnknownOperationException", true},
		{"unserved service", signedRequest(t, srv, "gamma", "GET", "/x", nil, nil, localaws.DefaultSecretAccessKey), 404, "UnknownOperationException", true},
		{"bad JSON", signedRequest(t, srv, "glue", "POST", "/", jsonHdr, []byte(`{"Name":`), localaws.DefaultSecretAccessKey), 400, "SerializationException", true},
		{"wrong JSON type", signedRequest(t, srv, "glue", "POST", "/", jsonHdr, []byte(`{"Name":7}`), localaws.DefaultSecretAccessKey), 400, "SerializationException", true},
		{"too deep", signedRequest(t, srv, "glue", "POST", "/", jsonHdr, []byte(strings.Repeat("[", 100)+strings.Repeat("]", 100)), localaws.DefaultSecretAccessKey), 400, "SerializationException", true},
		{"ec2 unknown action", signedRequest(t, srv, "ec2", "POST", "/", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			[]byte("Action=RunEverything&Version=2016-11-15"), localaws.DefaultSecretAccessKey), 400, "InvalidAction", false},
		{"ec2 wrong secret", signedRequest(t, srv, "ec2", "POST", "/", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			[]byte("Action=DescribeInstanceTypes&Version=2016-11-15"), "nope"), 401, "AuthFailure", false},
		{"unsigned EC2 request", signedRequest(t, srv, "ec2", "POST", "/", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			[]byte("Action=DescribeInstanceTypes&Version=2016-11-15"), ""), 403, "<Response><Errors><Error><Code>MissingAuthenticationToken</Code>", false},
		{"unsigned awsQuery request", signedRequest(t, srv, "sns", "POST", "/", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			[]byte("Action=ListTopics&Version=2010-03-31"), ""), 403, "<ErrorResponse><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>", false},
		{"ec2 bad integer", signedRequest(t, srv, "ec2", "POST", "/", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			[]byte("Action=DescribeInstanceTypes&Version=2016-11-15&MaxResults=many"), localaws.DefaultSecretAccessKey), 400, "InvalidParameterValue", false},
	}
	for _, rc := range rejections {
		status, h, body := send(t, rc.req)
		codeSeen := strings.Contains(body, rc.code)
		if rc.errorTypeHeader {
			codeSeen = h.Get("X-Amzn-ErrorType") == rc.code
		}
		if status != rc.status || !codeSeen {
			t.Errorf("%s: got %d %s %s, want %d %s", rc.name, status, h.Get("X-Amzn-ErrorType"), body, rc.status, rc.code)
		}
	}
}

// TestBodyLimit answers a body over Options.MaxBodyBytes with 413, and accepts one at the
// limit.
func TestBodyLimit(t *testing.T) {
	const limit = 4096
	srv, err := localaws.Start([]localaws.Service{(&tableStore{tables: map[string]gluetypes.Table{}}).service()},
		func(o *localaws.Options) { o.MaxBodyBytes = limit })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hdr := map[string]string{"X-Amz-Target": "AWSGlue.GetTable", "Content-Type": "application/x-amz-json-1.1"}
	atLimit := []byte(`{"DatabaseName":"d","Name":"t"}`)
	atLimit = append(atLimit, bytes.Repeat([]byte(" "), limit-len(atLimit))...)
	status, h, resp := send(t, signedRequest(t, srv, "glue", "POST", "/", hdr, atLimit, localaws.DefaultSecretAccessKey))
	if status != http.StatusBadRequest || h.Get("X-Amzn-ErrorType") != "EntityNotFoundException" {
		t.Errorf("body at the limit: got %d %s, want the fake's 400 EntityNotFoundException", status, resp)
	}
	status, _, resp = send(t, signedRequest(t, srv, "glue", "POST", "/", hdr, append(atLimit, ' '), localaws.DefaultSecretAccessKey))
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(resp, "RequestEntityTooLargeException") {
		t.Errorf("body over the limit: got %d %s, want 413 RequestEntityTooLargeException", status, resp)
	}
	if localaws.DefaultMaxBodyBytes != 16<<20 {
		t.Errorf("localaws.DefaultMaxBodyBytes = %d, want 16 MiB", localaws.DefaultMaxBodyBytes)
	}
}

// TestCloseWaitsForRequests: a request in flight when Close is called still gets its
// answer, Close returns after it, and a second Close is a no-op.
func TestCloseWaitsForRequests(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	svc := localaws.Service{SigningName: "glue", Protocol: localaws.AWSJSON11, TargetPrefix: "AWSGlue",
		Operations: []localaws.Operation{localaws.Op("GetTable",
			func(context.Context, *glue.GetTableInput, ...func(*glue.Options)) (*glue.GetTableOutput, error) {
				close(entered)
				<-release
				return &glue.GetTableOutput{Table: &gluetypes.Table{Name: aws.String("late")}}, nil
			})}}
	srv, err := localaws.Start([]localaws.Service{svc})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		out *glue.GetTableOutput
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := glue.NewFromConfig(srv.Config()).GetTable(context.Background(),
			&glue.GetTableInput{DatabaseName: aws.String("d"), Name: aws.String("late")})
		done <- result{out, err}
	}()
	<-entered
	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	close(release)
	<-closed
	r := <-done
	if r.err != nil || aws.ToString(r.out.Table.Name) != "late" {
		t.Errorf("request in flight at Close: %v", r.err)
	}
	srv.Close()
	if _, err := http.Get(srv.URL()); err == nil {
		t.Error("the server still answers after Close")
	}
}

func TestStartRejectsBadServices(t *testing.T) {
	var c *glue.Client
	cases := map[string][]localaws.Service{
		"no signing name":   {{Protocol: localaws.AWSJSON11}},
		"no protocol":       {{SigningName: "glue"}},
		"duplicate service": {{SigningName: "glue", Protocol: localaws.AWSJSON11}, {SigningName: "glue", Protocol: localaws.AWSJSON11}},
		"duplicate op": {{SigningName: "glue", Protocol: localaws.AWSJSON11,
			Operations: []localaws.Operation{localaws.Op("GetTable", c.GetTable), localaws.Op("GetTable", c.GetTable)}}},
		"REST op without route": {{SigningName: "lakeformation", Protocol: localaws.RESTJSON1,
			Operations: []localaws.Operation{localaws.Op("GetTable", c.GetTable)}}},
		"greedy label not last": {{SigningName: "x", Protocol: localaws.RESTJSON1,
			Operations: []localaws.Operation{localaws.Route("GetTable", "GET", "/a/{b+}/c", c.GetTable)}}},
		"zero operation": {{SigningName: "x", Protocol: localaws.AWSJSON10, Operations: []localaws.Operation{{}}}},
	}
	for name, svcs := range cases {
		if srv, err := localaws.Start(svcs); err == nil {
			srv.Close()
			t.Errorf("%s: Start accepted it", name)
		}
	}
	if _, err := localaws.Start(nil, func(o *localaws.Options) { o.Credentials = map[string]string{} }); err == nil {
		t.Error("Start accepted empty Credentials")
	}
}

// TestOptions: another region and access key are required of requests and given by Config.
func TestOptions(t *testing.T) {
	store := &tableStore{tables: map[string]gluetypes.Table{}}
	srv, err := localaws.Start([]localaws.Service{store.service()}, func(o *localaws.Options) {
		o.Region = "us-east-2"
		o.Credentials = map[string]string{"AKIDOTHER": "other-secret"}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := srv.Config()
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || cfg.Region != "us-east-2" || creds.AccessKeyID != "AKIDOTHER" || creds.SecretAccessKey != "other-secret" {
		t.Fatalf("Config: region %s creds %s %v", cfg.Region, creds.AccessKeyID, err)
	}
	in := &glue.GetTableInput{DatabaseName: aws.String("d"), Name: aws.String("t")}
	var nf *gluetypes.EntityNotFoundException
	if _, err := glue.NewFromConfig(cfg).GetTable(context.Background(), in); !errors.As(err, &nf) {
		t.Errorf("with Config: %v, want EntityNotFoundException from the fake", err)
	}
	wrongRegion := cfg.Copy()
	wrongRegion.Region = "eu-west-1"
	var apiErr smithy.APIError
	if _, err := glue.NewFromConfig(wrongRegion).GetTable(context.Background(), in); !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidSignatureException" {
		t.Errorf("wrong region: %v, want InvalidSignatureException", err)
	}
}

// TestAWSCLI runs the AWS CLI against a fake when it is installed.
func TestAWSCLI(t *testing.T) {
	cli, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	store := &tableStore{tables: map[string]gluetypes.Table{"sales/orders": {Name: aws.String("orders"), DatabaseName: aws.String("sales"),
		CreateTime: aws.Time(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))}}}
	srv := localaws.NewTestServer(t, store.service())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, "glue", "get-table", "--database-name", "sales", "--name", "orders",
		"--endpoint-url", srv.URL(), "--region", localaws.DefaultRegion, "--output", "json")
	home := t.TempDir()
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "HOME=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "HOME="+home, "AWS_CONFIG_FILE="+home+"/config", "AWS_SHARED_CREDENTIALS_FILE="+home+"/credentials",
		"AWS_ACCESS_KEY_ID="+localaws.DefaultAccessKeyID, "AWS_SECRET_ACCESS_KEY="+localaws.DefaultSecretAccessKey,
		"AWS_SESSION_TOKEN="+localaws.DefaultSessionToken, "AWS_MAX_ATTEMPTS=1")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("aws glue get-table: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var got struct {
		Table struct {
			Name, DatabaseName string
			CreateTime         any
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("CLI output %s: %v", out, err)
	}
	if got.Table.Name != "orders" || got.Table.DatabaseName != "sales" || got.Table.CreateTime == nil {
		t.Errorf("CLI output: %s", out)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.got) != 1 {
		t.Errorf("the fake saw %d requests, want 1", len(store.got))
	}
}

// TestConcurrentClients: many clients at once, each getting its own answer (run with -race).
func TestConcurrentClients(t *testing.T) {
	store := &tableStore{tables: map[string]gluetypes.Table{}}
	for i := range 8 {
		name := fmt.Sprintf("t%d", i)
		store.tables["db/"+name] = gluetypes.Table{Name: aws.String(name), DatabaseName: aws.String("db")}
	}
	srv := localaws.NewTestServer(t, store.service())
	var wg sync.WaitGroup
	errs := make(chan error, 8*20)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := glue.NewFromConfig(srv.Config())
			name := fmt.Sprintf("t%d", i)
			for range 20 {
				out, err := client.GetTable(context.Background(), &glue.GetTableInput{DatabaseName: aws.String("db"), Name: aws.String(name)})
				if err == nil && aws.ToString(out.Table.Name) != name {
					err = fmt.Errorf("asked %s, got %s", name, aws.ToString(out.Table.Name))
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.got) != 160 {
		t.Errorf("the fake saw %d requests, want 160", len(store.got))
	}
}

// TestHandlerContext: a handler runs with the request's context, canceled when the client
// gives up.
func TestHandlerContext(t *testing.T) {
	entered, sawCancel := make(chan struct{}), make(chan error, 1)
	svc := localaws.Service{SigningName: "glue", Protocol: localaws.AWSJSON11, TargetPrefix: "AWSGlue",
		Operations: []localaws.Operation{localaws.Op("GetTable",
			func(ctx context.Context, _ *glue.GetTableInput, _ ...func(*glue.Options)) (*glue.GetTableOutput, error) {
				close(entered)
				<-ctx.Done()
				sawCancel <- ctx.Err()
				return nil, ctx.Err()
			})}}
	srv := localaws.NewTestServer(t, svc)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-entered; cancel() }()
	_, err := glue.NewFromConfig(srv.Config(), func(o *glue.Options) { o.RetryMaxAttempts = 1 }).
		GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("d"), Name: aws.String("t")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("client: %v, want context.Canceled", err)
	}
	if err := <-sawCancel; !errors.Is(err, context.Canceled) {
		t.Errorf("handler context: %v, want context.Canceled", err)
	}
}

// ignoreUnexportedAndMetadata compares SDK outputs by their members.
var ignoreUnexportedAndMetadata = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && (!token.IsExported(sf.Name()) || sf.Name() == "ResultMetadata")
}, cmp.Ignore())

// doerFunc is an aws.HTTPClient made of a function.
type doerFunc func(*http.Request) (*http.Response, error)

func (d doerFunc) Do(r *http.Request) (*http.Response, error) { return d(r) }

// TestLargeAnswersRepeated: a large answer (every member filled, several times the
// client's 4 KiB read buffer) asked for again and again on one kept-alive connection, with
// no retries, always arrives whole. Before Config guarded request bodies, about one call in
// four failed here under -race with "use of closed network connection" (the SDK closed
// the request body while net/http was still writing the request; see the package doc).
func TestLargeAnswersRepeated(t *testing.T) {
	want := &ec2.DescribeInstanceTypesOutput{}
	localaws.Fill(want)
	svc := ec2Service()
	svc.Operations = []localaws.Operation{
		localaws.Op("DescribeInstanceTypes", func(context.Context, *ec2.DescribeInstanceTypesInput, ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error) {
			return want, nil
		}),
	}
	srv := localaws.NewTestServer(t, svc)
	cfg := srv.Config()
	guarded := cfg.HTTPClient
	var lengths []int64
	cfg.HTTPClient = doerFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := guarded.Do(r)
		if err == nil {
			lengths = append(lengths, resp.ContentLength)
		}
		return resp, err
	})
	client := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.RetryMaxAttempts = 1 })
	const calls = 40
	for i := range calls {
		got, err := client.DescribeInstanceTypes(context.Background(), &ec2.DescribeInstanceTypesInput{})
		if err != nil {
			t.Fatalf("call %d of %d: %v", i+1, calls, err)
		}
		if i == 0 {
			if diff := cmp.Diff(want, got, ignoreUnexportedAndMetadata); diff != "" {
				t.Fatalf("decoded answer (-sent +decoded):\n%s", diff)
			}
		}
	}
	for i, n := range lengths {
		if n < 4<<10 {
			t.Fatalf("answer %d: Content-Length %d, want the length of a large answer (more than 4 KiB)", i+1, n)
		}
	}
}
