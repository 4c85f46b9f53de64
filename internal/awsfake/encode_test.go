package awsfake

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/emr"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
	kafkatypes "github.com/aws/aws-sdk-go-v2/service/kafka/types"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation"
	lftypes "github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// A message with XML and JSON metacharacters, to check escaping.
const trickyMessage = `Cluster "j-1" <not> found & gone`

func TestModeledErrorsDecodeToTypedSDKErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		status int
		code   string
		setup  func(s *Server, h Handler)
		call   func(cfg aws.Config) error
		typed  func(err error) (string, bool) // message of the typed SDK error, if err is one
	}{{
		name: "emr awsJson", status: 400, code: "InvalidRequestException",
		setup: func(s *Server, h Handler) { s.HandleJSON("ElasticMapReduce.AddJobFlowSteps", h) },
		call: func(cfg aws.Config) error {
			_, err := emr.NewFromConfig(cfg).AddJobFlowSteps(ctx, addStepsInput("j-1"))
			return err
		},
		typed: func(err error) (string, bool) {
			var e *emrtypes.InvalidRequestException
			if !errors.As(err, &e) {
				return "", false
			}
			return aws.ToString(e.Message), true
		},
	}, {
		name: "lakeformation restJson", status: 400, code: "EntityNotFoundException",
		setup: func(s *Server, h Handler) {
			s.HandleREST("GetDataLakeSettings", http.MethodPost, "/GetDataLakeSettings", h)
		},
		call: func(cfg aws.Config) error {
			_, err := lakeformation.NewFromConfig(cfg).GetDataLakeSettings(ctx, &lakeformation.GetDataLakeSettingsInput{})
			return err
		},
		typed: func(err error) (string, bool) {
			var e *lftypes.EntityNotFoundException
			if !errors.As(err, &e) {
				return "", false
			}
			return aws.ToString(e.Message), true
		},
	}, {
		name: "kafka restJson 404", status: 404, code: "NotFoundException",
		setup: func(s *Server, h Handler) {
			s.HandleREST("GetBootstrapBrokers", http.MethodGet, "/v1/clusters/{clusterArn}/bootstrap-brokers", h)
		},
		call: func(cfg aws.Config) error {
			_, err := kafka.NewFromConfig(cfg).GetBootstrapBrokers(ctx, &kafka.GetBootstrapBrokersInput{ClusterArn: aws.String(testClusterARN)})
			return err
		},
		typed: func(err error) (string, bool) {
			var e *kafkatypes.NotFoundException
			if !errors.As(err, &e) {
				return "", false
			}
			return aws.ToString(e.Message), true
		},
	}, {
		name: "ec2 ec2Query", status: 400, code: "InvalidSubnetID.NotFound",
		setup: func(s *Server, h Handler) { s.HandleEC2Query("DescribeSubnets", h) },
		call: func(cfg aws.Config) error {
			_, err := ec2.NewFromConfig(cfg).DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-1"}})
			return err
		},
	}, {
		name: "sts awsQuery", status: 403, code: "AccessDenied",
		setup: func(s *Server, h Handler) { s.HandleAWSQuery("GetCallerIdentity", h) },
		call: func(cfg aws.Config) error {
			_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			status := tt.status
			if status == 400 {
				status = 0 // the default
			}
			tt.setup(s, func(*Request) (any, error) {
				// Wrapped, to check errors.As on the server side.
				return nil, fmt.Errorf("fake: %w", &Error{Status: status, Code: tt.code, Message: trickyMessage})
			})
			err := tt.call(s.Config())
			ae := apiError(t, err, tt.code, tt.status)
			if ae.ErrorMessage() != trickyMessage {
				t.Errorf("ErrorMessage() = %q, want %q", ae.ErrorMessage(), trickyMessage)
			}
			if tt.typed != nil {
				msg, ok := tt.typed(err)
				if !ok {
					t.Fatalf("error %v (%T) is not the typed SDK error", err, err)
				}
				if msg != trickyMessage {
					t.Errorf("typed error Message = %q, want %q", msg, trickyMessage)
				}
			}
			req := s.Requests()[0]
			var recorded *Error
			if !req.Verified || !errors.As(req.Err, &recorded) || recorded.Code != tt.code {
				t.Errorf("recorded Verified %v Err %v", req.Verified, req.Err)
			}
		})
	}
}

func TestUnknownOperations(t *testing.T) {
	s := New(t)
	ctx := context.Background()
	cfg := s.Config()

	_, err := emr.NewFromConfig(cfg).ListSteps(ctx, &emr.ListStepsInput{ClusterId: aws.String("j-1")})
	apiError(t, err, "UnknownOperationException", 400)

	_, err = kafka.NewFromConfig(cfg).GetBootstrapBrokers(ctx, &kafka.GetBootstrapBrokersInput{ClusterArn: aws.String(testClusterARN)})
	apiError(t, err, "UnknownOperationException", 404)

	_, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	ae := apiError(t, err, "InvalidAction", 400)
	if !strings.Contains(ae.ErrorMessage(), "GetCallerIdentity") {
		t.Errorf("InvalidAction message %q does not name the action", ae.ErrorMessage())
	}

	// An unknown EC2 action is answered in EC2's encoding, which the ec2
	// client can decode.
	_, err = ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	apiError(t, err, "InvalidAction", 400)

	wantOps := []string{"ListSteps", "", "GetCallerIdentity", "DescribeVpcs"}
	reqs := s.Requests()
	if len(reqs) != len(wantOps) {
		t.Fatalf("recorded %d requests, want %d", len(reqs), len(wantOps))
	}
	for i, r := range reqs {
		if r.Op != wantOps[i] || !r.Verified || r.Err == nil {
			t.Errorf("request %d: Op %q Verified %v Err %v, want %q verified and failed", i, r.Op, r.Verified, r.Err, wantOps[i])
		}
	}
}

func TestHandlerFailuresAreInternalFailure(t *testing.T) {
	s := New(t)
	s.HandleJSON("ElasticMapReduce.ListSteps", func(*Request) (any, error) { return nil, errors.New("boom") })
	s.HandleAWSQuery("GetCallerIdentity", func(*Request) (any, error) { return nil, errors.New("boom") })
	s.HandleJSON("ElasticMapReduce.DescribeCluster", func(*Request) (any, error) { return func() {}, nil }) // not JSON-encodable
	s.HandleJSON("ElasticMapReduce.DescribeStep", func(*Request) (any, error) { panic("handler bug") })
	s.HandleJSON("ElasticMapReduce.ListInstances", func(*Request) (any, error) {
		var e *Error // a typed nil in a non-nil error: a handler bug, never a success
		return `{"Instances":[]}`, e
	})

	_, err := emr.NewFromConfig(s.Config()).ListSteps(context.Background(), &emr.ListStepsInput{ClusterId: aws.String("j-1")})
	if ae := apiError(t, err, "InternalFailure", 500); ae.ErrorMessage() != "boom" {
		t.Errorf("message %q, want boom", ae.ErrorMessage())
	}
	_, err = sts.NewFromConfig(s.Config()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	apiError(t, err, "InternalFailure", 500)
	_, err = emr.NewFromConfig(s.Config()).DescribeCluster(context.Background(), &emr.DescribeClusterInput{ClusterId: aws.String("j-1")})
	apiError(t, err, "InternalFailure", 500)

	_, err = emr.NewFromConfig(s.Config()).DescribeStep(context.Background(), &emr.DescribeStepInput{ClusterId: aws.String("j-1"), StepId: aws.String("s-1")})
	if ae := apiError(t, err, "InternalFailure", 500); !strings.Contains(ae.ErrorMessage(), "DescribeStep handler panicked: handler bug") {
		t.Errorf("panic message %q", ae.ErrorMessage())
	}

	_, err = emr.NewFromConfig(s.Config()).ListInstances(context.Background(), &emr.ListInstancesInput{ClusterId: aws.String("j-1")})
	if ae := apiError(t, err, "InternalFailure", 500); !strings.Contains(ae.ErrorMessage(), "nil *Error") {
		t.Errorf("typed nil *Error message %q", ae.ErrorMessage())
	}

	// RetryMaxAttempts 1: each 500 reached the server once.
	if n := len(s.Requests()); n != 5 {
		t.Errorf("recorded %d requests, want 5 (no retries)", n)
	}
}

func TestErrorWireEncoding(t *testing.T) {
	s := New(t)
	fail := func(e *Error) Handler { return func(*Request) (any, error) { return nil, e } }
	s.HandleREST("Get", http.MethodGet, "/things/{id}", fail(&Error{Status: 404, Code: "ResourceNotFoundException", Message: "no"}))
	s.HandleAWSQuery("Throttle", fail(&Error{Status: 503, Code: "Throttling", Message: "slow <down>"}))
	s.HandleAWSQuery("Reject", fail(&Error{Status: 503, Code: "Busy", Message: "m", Sender: true}))
	s.HandleAWSQuery("DescribeClusters", fail(&Error{Code: "ClusterNotFound", Message: "m"}))
	s.HandleEC2Query("DescribeVpcs", fail(&Error{Code: "InvalidVpcID.NotFound", Message: "a & b"}))
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	tests := []struct {
		name, method, path, body string
		header                   http.Header
		status                   int
		contentType, errorType   string
		wantBody                 string
	}{
		{"restJson", http.MethodGet, "/things/1", "", nil, 404, "application/json", "ResourceNotFoundException",
			`{"message":"no","Message":"no"}`},
		{"awsJson", http.MethodPost, "/", "{}", emrHeader("Nope"), 400, "application/x-amz-json-1.1", "UnknownOperationException",
			`{"__type":"UnknownOperationException","message":"awsfake: no handler for X-Amz-Target ElasticMapReduce.Nope","Message":"awsfake: no handler for X-Amz-Target ElasticMapReduce.Nope"}`},
		{"awsQuery receiver", http.MethodPost, "/", "Action=Throttle&Version=2012-12-01", form, 503, "text/xml;charset=UTF-8", "",
			`<ErrorResponse><Error><Type>Receiver</Type><Code>Throttling</Code><Message>slow &lt;down&gt;</Message></Error><RequestId>`},
		{"awsQuery default 400 sender", http.MethodPost, "/", "Action=DescribeClusters&Version=2012-12-01", form, 400, "text/xml;charset=UTF-8", "",
			`<ErrorResponse><Error><Type>Sender</Type><Code>ClusterNotFound</Code><Message>m</Message>`},
		{"awsQuery sender 5xx", http.MethodPost, "/", "Action=Reject&Version=2012-12-01", form, 503, "text/xml;charset=UTF-8", "",
			`<ErrorResponse><Error><Type>Sender</Type><Code>Busy</Code>`},
		{"ec2Query", http.MethodPost, "/", "Action=DescribeVpcs&Version=2016-11-15", form, 400, "text/xml;charset=UTF-8", "",
			`<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>a &amp; b</Message></Error></Errors><RequestID>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, rawRequest(t, s, tt.method, tt.path, tt.body, tt.header, testCreds(), time.Now()))
			if resp.status != tt.status || resp.header.Get("Content-Type") != tt.contentType ||
				resp.header.Get("X-Amzn-ErrorType") != tt.errorType || resp.header.Get("X-Amzn-RequestId") == "" ||
				!strings.Contains(resp.body, tt.wantBody) {
				t.Errorf("got %d %v\n%s\nwant %d %s %q containing %s", resp.status, resp.header, resp.body, tt.status, tt.contentType, tt.errorType, tt.wantBody)
			}
			if strings.HasPrefix(tt.contentType, "text/xml") && !strings.Contains(resp.body, resp.header.Get("X-Amzn-RequestId")) {
				t.Errorf("XML error does not carry the request id %q: %s", resp.header.Get("X-Amzn-RequestId"), resp.body)
			}
		})
	}
}
