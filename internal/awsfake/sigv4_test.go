package awsfake

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// rejection is the code, status and message prefix expected for one protocol.
type rejection struct {
	code    string
	status  int
	message string // prefix; empty means any
}

func TestSigV4Rejections(t *testing.T) {
	wrongSecret := func(cfg *aws.Config) {
		cfg.Credentials = credentials.NewStaticCredentialsProvider(AccessKeyID, "not-the-secret", SessionToken)
	}
	unknownKey := func(cfg *aws.Config) {
		cfg.Credentials = credentials.NewStaticCredentialsProvider("AKIDUNKNOWN", SecretAccessKey, SessionToken)
	}
	wrongRegion := func(cfg *aws.Config) { cfg.Region = "us-east-1" }
	ahead := func(o *Options) { o.Now = func() time.Time { return time.Now().Add(20 * time.Minute) } }
	behind := func(o *Options) { o.Now = func() time.Time { return time.Now().Add(-20 * time.Minute) } }

	mismatch := map[Protocol]rejection{
		AWSJSON:  {"InvalidSignatureException", 403, "The request signature we calculated does not match"},
		RESTJSON: {"InvalidSignatureException", 403, "The request signature we calculated does not match"},
		AWSQuery: {"SignatureDoesNotMatch", 403, "The request signature we calculated does not match"},
		EC2Query: {"AuthFailure", 401, ""},
	}
	tests := []struct {
		name   string
		server func(*Options)
		client func(*aws.Config)
		want   map[Protocol]rejection
	}{
		{"wrong secret", nil, wrongSecret, mismatch},
		{"unknown access key", nil, unknownKey, map[Protocol]rejection{
			AWSJSON:  {"UnrecognizedClientException", 403, "The security token included in the request is invalid."},
			RESTJSON: {"UnrecognizedClientException", 403, "The security token included in the request is invalid."},
			AWSQuery: {"InvalidClientTokenId", 403, "The security token included in the request is invalid."},
			EC2Query: {"AuthFailure", 401, "AWS was not able to validate the provided access credentials"},
		}},
		{"wrong region", nil, wrongRegion, map[Protocol]rejection{
			AWSJSON:  {"InvalidSignatureException", 403, "Credential should be scoped to a valid region, not 'us-east-1'"},
			RESTJSON: {"InvalidSignatureException", 403, "Credential should be scoped to a valid region, not 'us-east-1'"},
			AWSQuery: {"SignatureDoesNotMatch", 403, "Credential should be scoped to a valid region, not 'us-east-1'"},
			EC2Query: {"AuthFailure", 401, ""},
		}},
		{"stale date", ahead, nil, map[Protocol]rejection{
			AWSJSON:  {"InvalidSignatureException", 403, "Signature expired: "},
			RESTJSON: {"InvalidSignatureException", 403, "Signature expired: "},
			AWSQuery: {"SignatureDoesNotMatch", 403, "Signature expired: "},
			EC2Query: {"RequestExpired", 400, "Request has expired. Signature expired: "},
		}},
		{"future date", behind, nil, map[Protocol]rejection{
			AWSJSON:  {"InvalidSignatureException", 403, "Signature not yet current: "},
			RESTJSON: {"InvalidSignatureException", 403, "Signature not yet current: "},
			AWSQuery: {"SignatureDoesNotMatch", 403, "Signature not yet current: "},
			EC2Query: {"RequestExpired", 400, "Request has expired. Signature not yet current: "},
		}},
	}
	for _, tt := range tests {
		for _, wc := range wireCases() {
			t.Run(tt.name+"/"+wc.name, func(t *testing.T) {
				var opts []func(*Options)
				if tt.server != nil {
					opts = append(opts, tt.server)
				}
				s := New(t, opts...)
				var called int
				wc.register(s, &called)
				cfg := s.Config()
				if tt.client != nil {
					tt.client(&cfg)
				}
				err := wc.call(context.Background(), cfg)
				want := tt.want[wc.protocol]
				ae := apiError(t, err, want.code, want.status)
				if !strings.HasPrefix(ae.ErrorMessage(), want.message) {
					t.Errorf("ErrorMessage() = %q, want prefix %q", ae.ErrorMessage(), want.message)
				}
				req := onlyRequest(t, s, wc.op)
				if called != 0 {
					t.Errorf("handler called %d times for a rejected request", called)
				}
				var recorded *Error
				if req.Verified || !errors.As(req.Err, &recorded) || recorded.Code != want.code || req.Protocol != wc.protocol {
					t.Errorf("recorded Verified %v Err %v Protocol %v, want rejected with %s", req.Verified, req.Err, req.Protocol, want.code)
				}
			})
		}
	}
}

// TestSigV4Accepts is the control for TestSigV4Rejections: the same calls
// with the server's own config succeed, and a clock 14 minutes off is within
// the allowed skew.
func TestSigV4Accepts(t *testing.T) {
	for _, skew := range []time.Duration{0, 14 * time.Minute, -14 * time.Minute} {
		for _, wc := range wireCases() {
			t.Run(wc.name+"/"+skew.String(), func(t *testing.T) {
				s := New(t, func(o *Options) { o.Now = func() time.Time { return time.Now().Add(skew) } })
				var called int
				wc.register(s, &called)
				if err := wc.call(context.Background(), s.Config()); err != nil {
					t.Fatalf("call: %v", err)
				}
				if req := onlyRequest(t, s, wc.op); !req.Verified || req.Err != nil || called != 1 {
					t.Errorf("Verified %v Err %v called %d", req.Verified, req.Err, called)
				}
			})
		}
	}
}

// TestSigV4Tampering signs requests by hand with aws/signer/v4, changes them
// after signing, and checks the rejection (or, for the control cases, the
// acceptance).
func TestSigV4Tampering(t *testing.T) {
	const body = `{"JobFlowId":"j-1","Steps":[]}`
	tests := []struct {
		name   string
		build  func(t *testing.T, s *Server) *http.Request
		status int
		code   string
		op     string // op whose handler must (control) or must not run
	}{{
		name:   "control: untouched",
		build:  func(t *testing.T, s *Server) *http.Request { return signed(t, s, body) },
		status: http.StatusOK, op: "AddJobFlowSteps",
	}, {
		name: "control: unsigned User-Agent changed",
		build: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, body)
			r.Header.Set("User-Agent", "something-else/1.0")
			return r
		},
		status: http.StatusOK, op: "AddJobFlowSteps",
	}, {
		name: "body tampered, same length",
		build: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, body)
			setBody(r, strings.Replace(body, "j-1", "j-2", 1))
			return r
		},
		status: http.StatusForbidden, code: "InvalidSignatureException", op: "AddJobFlowSteps",
	}, {
		name: "X-Amz-Target tampered",
		build: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, body)
			r.Header.Set("X-Amz-Target", "ElasticMapReduce.TerminateJobFlows")
			return r
		},
		status: http.StatusForbidden, code: "InvalidSignatureException", op: "TerminateJobFlows",
	}, {
		name: "signed custom header tampered",
		build: func(t *testing.T, s *Server) *http.Request {
			h := emrHeader("AddJobFlowSteps")
			h.Set("X-Amz-Meta-Owner", "alice")
			r := rawRequest(t, s, http.MethodPost, "/", body, h, testCreds(), time.Now())
			r.Header.Set("X-Amz-Meta-Owner", "mallory")
			return r
		},
		status: http.StatusForbidden, code: "InvalidSignatureException", op: "AddJobFlowSteps",
	}, {
		name: "signed header removed",
		build: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, body)
			r.Header.Del("Content-Type")
			return r
		},
		status: http.StatusForbidden, code: "InvalidSignatureException", op: "AddJobFlowSteps",
	}, {
		name: "session token swapped",
		build: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, body)
			r.Header.Set("X-Amz-Security-Token", "another-token")
			return r
		},
		status: http.StatusForbidden, code: "InvalidSignatureException", op: "AddJobFlowSteps",
	}, {
		name: "X-Amz-Content-Sha256 does not match body",
		build: func(t *testing.T, s *Server) *http.Request {
			h := emrHeader("AddJobFlowSteps")
			h.Set("X-Amz-Content-Sha256", strings.Repeat("0", 64))
			return rawRequest(t, s, http.MethodPost, "/", body, h, testCreds(), time.Now())
		},
		status: http.StatusForbidden, code: "InvalidSignatureException", op: "AddJobFlowSteps",
	}, {
		name: "X-Amz-Date differs from scope date",
		build: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, body)
			r.Header.Set("X-Amz-Date", time.Now().UTC().Add(-24*time.Hour).Format("20060102T150405Z"))
			return r
		},
		status: http.StatusForbidden, code: "InvalidSignatureException", op: "AddJobFlowSteps",
	}, {
		name: "no Authorization",
		build: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, body)
			r.Header.Del("Authorization")
			return r
		},
		status: http.StatusForbidden, code: "MissingAuthenticationTokenException", op: "AddJobFlowSteps",
	}, {
		name: "malformed Authorization",
		build: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, body)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+AccessKeyID+"/20240101/eu-west-1/emr, Signature=00")
			return r
		},
		status: http.StatusForbidden, code: "MissingAuthenticationTokenException", op: "AddJobFlowSteps",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			var called []string
			for _, op := range []string{"AddJobFlowSteps", "TerminateJobFlows"} {
				s.HandleJSON("ElasticMapReduce."+op, func(*Request) (any, error) {
					called = append(called, op)
					return nil, nil
				})
			}
			resp := do(t, tt.build(t, s))
			if resp.status != tt.status || resp.header.Get("X-Amzn-Errortype") != tt.code {
				t.Fatalf("status %d, X-Amzn-ErrorType %q (%s), want %d %q", resp.status, resp.header.Get("X-Amzn-Errortype"), resp.body, tt.status, tt.code)
			}
			req := onlyRequest(t, s, tt.op)
			if tt.code == "" {
				if len(called) != 1 || called[0] != tt.op || !req.Verified {
					t.Errorf("handlers called %v, Verified %v; want %s to run", called, req.Verified, tt.op)
				}
				return
			}
			if len(called) != 0 || req.Verified || req.Err == nil || !strings.Contains(resp.body, `"__type":"`+tt.code+`"`) {
				t.Errorf("handlers called %v, recorded Verified %v Err %v, body %s", called, req.Verified, req.Err, resp.body)
			}
		})
	}
}

func signed(t *testing.T, s *Server, body string) *http.Request {
	return rawRequest(t, s, http.MethodPost, "/", body, emrHeader("AddJobFlowSteps"), testCreds(), time.Now())
}

func setBody(r *http.Request, body string) {
	r.Body = io.NopCloser(strings.NewReader(body))
	r.GetBody = nil
	r.ContentLength = int64(len(body))
}

// TestSigV4TamperedBySDKMiddleware changes the body in a finalize middleware
// that runs after the SDK's signing middleware.
func TestSigV4TamperedBySDKMiddleware(t *testing.T) {
	for _, tt := range []struct {
		name     string
		from, to string
		wantErr  bool
	}{
		{"control: no change", "j-1", "j-1", false},
		{"body changed", "j-1", "j-9", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			var called int
			s.HandleJSON("ElasticMapReduce.AddJobFlowSteps", func(*Request) (any, error) {
				called++
				return `{"StepIds":["s-1"]}`, nil
			})
			tamper := middleware.FinalizeMiddlewareFunc("tamper", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				req := in.Request.(*smithyhttp.Request)
				b, err := io.ReadAll(req.GetStream())
				if err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, err
				}
				if in.Request, err = req.SetStream(bytes.NewReader(bytes.Replace(b, []byte(tt.from), []byte(tt.to), 1))); err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, err
				}
				return next.HandleFinalize(ctx, in)
			})
			client := emr.NewFromConfig(s.Config(), func(o *emr.Options) {
				o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error { return st.Finalize.Add(tamper, middleware.After) })
			})
			_, err := client.AddJobFlowSteps(context.Background(), addStepsInput("j-1"))
			req := onlyRequest(t, s, "AddJobFlowSteps")
			if !tt.wantErr {
				if err != nil || called != 1 || !req.Verified {
					t.Fatalf("err %v, called %d, Verified %v", err, called, req.Verified)
				}
				return
			}
			apiError(t, err, "InvalidSignatureException", http.StatusForbidden)
			if called != 0 || req.Verified || req.Map()["JobFlowId"] != "j-9" {
				t.Errorf("called %d, recorded Verified %v body %s", called, req.Verified, req.Body)
			}
		})
	}
}

func TestSigV4MissingAuthQueryProtocols(t *testing.T) {
	s := New(t)
	s.HandleAWSQuery("GetCallerIdentity", func(*Request) (any, error) { return nil, nil })
	s.HandleEC2Query("DescribeVpcs", func(*Request) (any, error) { return nil, nil })
	for _, tt := range []struct{ body, want string }{
		{"Action=GetCallerIdentity&Version=2011-06-15", "<ErrorResponse><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>"},
		{"Action=DescribeVpcs&Version=2016-11-15", "<Response><Errors><Error><Code>MissingAuthenticationToken</Code>"},
	} {
		req, err := http.NewRequest(http.MethodPost, s.URL(), strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp := do(t, req)
		if resp.status != http.StatusForbidden || !strings.Contains(resp.body, tt.want) || !strings.HasPrefix(resp.header.Get("Content-Type"), "text/xml") {
			t.Errorf("%s: %d %s", tt.body, resp.status, resp.body)
		}
	}
}

// TestSigV4RequestShapes covers the parts of a request the canonical request is built from
// beyond a JSON POST: query strings (escaped, unsorted), empty GET bodies, escaped path
// segments and headers with several values, each accepted as signed and rejected when changed
// after signing.
func TestSigV4RequestShapes(t *testing.T) {
	const clusters = "/v1/clusters"
	arnPath := clusters + "/" + strings.NewReplacer(":", "%3A", "/", "%2F").Replace(testClusterARN) + "/topics"
	multi := http.Header{"X-Amz-Meta-Tag": {"a", "b  c"}}
	tests := []struct {
		name   string
		build  func(t *testing.T, s *Server) *http.Request
		status int
	}{{
		name: "control: query string, empty GET body",
		build: func(t *testing.T, s *Server) *http.Request {
			return rawRequest(t, s, http.MethodGet, clusters+"?nextToken=AAE%2Bb%2Fc%3D&maxResults=5&clusterNameFilter=orders%20v2", "", nil, testCreds(), time.Now())
		},
		status: http.StatusOK,
	}, {
		name: "query value changed",
		build: func(t *testing.T, s *Server) *http.Request {
			r := rawRequest(t, s, http.MethodGet, clusters+"?maxResults=5", "", nil, testCreds(), time.Now())
			r.URL.RawQuery = "maxResults=500"
			return r
		},
		status: http.StatusForbidden,
	}, {
		name: "query parameter added",
		build: func(t *testing.T, s *Server) *http.Request {
			r := rawRequest(t, s, http.MethodGet, clusters+"?maxResults=5", "", nil, testCreds(), time.Now())
			r.URL.RawQuery += "&nextToken=x"
			return r
		},
		status: http.StatusForbidden,
	}, {
		name: "control: escaped ARN path segment",
		build: func(t *testing.T, s *Server) *http.Request {
			return rawRequest(t, s, http.MethodGet, arnPath, "", nil, testCreds(), time.Now())
		},
		status: http.StatusOK,
	}, {
		name: "path segment changed",
		build: func(t *testing.T, s *Server) *http.Request {
			r := rawRequest(t, s, http.MethodGet, arnPath, "", nil, testCreds(), time.Now())
			r.URL.RawPath = strings.Replace(arnPath, "demo", "prod", 1)
			r.URL.Path = strings.Replace(r.URL.Path, "demo", "prod", 1)
			return r
		},
		status: http.StatusForbidden,
	}, {
		name: "control: header with two values",
		build: func(t *testing.T, s *Server) *http.Request {
			return rawRequest(t, s, http.MethodGet, clusters, "", multi, testCreds(), time.Now())
		},
		status: http.StatusOK,
	}, {
		name: "one of two header values dropped",
		build: func(t *testing.T, s *Server) *http.Request {
			r := rawRequest(t, s, http.MethodGet, clusters, "", multi, testCreds(), time.Now())
			r.Header["X-Amz-Meta-Tag"] = []string{"a"}
			return r
		},
		status: http.StatusForbidden,
	}, {
		name: "header values reordered",
		build: func(t *testing.T, s *Server) *http.Request {
			r := rawRequest(t, s, http.MethodGet, clusters, "", multi, testCreds(), time.Now())
			r.Header["X-Amz-Meta-Tag"] = []string{"b  c", "a"}
			return r
		},
		status: http.StatusForbidden,
	}, {
		name: "control: excess spaces in a value do not count",
		build: func(t *testing.T, s *Server) *http.Request {
			r := rawRequest(t, s, http.MethodGet, clusters, "", multi, testCreds(), time.Now())
			r.Header["X-Amz-Meta-Tag"] = []string{"a", "b c"}
			return r
		},
		status: http.StatusOK,
	}, {
		name: "body added to a signed empty GET",
		build: func(t *testing.T, s *Server) *http.Request {
			r := rawRequest(t, s, http.MethodGet, clusters, "", nil, testCreds(), time.Now())
			setBody(r, "{}")
			return r
		},
		status: http.StatusForbidden,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			called := 0
			h := func(*Request) (any, error) { called++; return nil, nil }
			s.HandleREST("ListClusters", http.MethodGet, clusters, h)
			s.HandleREST("ListTopics", http.MethodGet, "/v1/clusters/{clusterArn}/topics", h)
			resp := do(t, tt.build(t, s))
			if resp.status != tt.status {
				t.Fatalf("status %d (%s %s), want %d", resp.status, resp.header.Get("X-Amzn-Errortype"), resp.body, tt.status)
			}
			reqs := s.Requests()
			if len(reqs) != 1 {
				t.Fatalf("recorded %d requests", len(reqs))
			}
			if tt.status == http.StatusOK {
				if called != 1 || !reqs[0].Verified {
					t.Fatalf("called %d, Verified %v", called, reqs[0].Verified)
				}
				return
			}
			if called != 0 || reqs[0].Verified || resp.header.Get("X-Amzn-Errortype") != "InvalidSignatureException" {
				t.Fatalf("called %d, Verified %v, error type %q", called, reqs[0].Verified, resp.header.Get("X-Amzn-Errortype"))
			}
		})
	}
}
