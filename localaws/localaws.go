// Package localaws serves datablocks fakes as one local AWS endpoint: an HTTP server on
// loopback that speaks each service's wire protocol (awsJson 1.0/1.1, restJson1, awsQuery,
// ec2Query), verifies every request's SigV4 signature, routes each operation to the fake that
// implements it, and encodes answers and errors as the service's model says (member names,
// epoch-second timestamps, unions, error shapes), so that the real SDK clients built with
// xxx.NewFromConfig(srv.Config()) and the AWS CLI with --endpoint-url reach the fakes
// unchanged.
//
//	glueFake := gluetest.New()
//	srv, err := localaws.Start([]localaws.Service{glueFake.Service()})
//	if err != nil { ... }
//	defer srv.Close()
//	client := glue.NewFromConfig(srv.Config())
//
// In tests, NewTestServer starts a server that closes with the test.
//
// Each <pkg>test fake describes itself with a Service method; this package knows nothing of
// any particular service. It decodes requests into the SDK's input structs and encodes the
// SDK's output structs by reflection, following the service's Naming, WireNames and
// DateTimes, so a handler is just a method with the SDK client's signature.
//
// # Routing
//
// A request goes to the Service whose SigningName its SigV4 credential scope names, so two
// restJson1 services with the same paths never collide; then to the operation named by
// X-Amz-Target (awsJson), by method and path template (restJson1, matched on the escaped
// path; labels are decoded, a final {label+} takes the rest of the path) or by the form's
// Action (query protocols).
//
// # Wire formats
//
// JSON members are named per Naming and WireNames (decoding falls back to case-insensitive
// names); timestamps are epoch seconds with milliseconds unless listed in DateTimes (RFC
// 3339); blobs are base64; unions are {"Member": value}, decoded into the member types of
// Service.Unions; documents are marshalled, and decoded with Service.NewDocument. restJson1
// path labels, query parameters and the headers that WireNames names bind to input members.
// awsQuery forms decode "A.B", "List.member.N" and "Map.entry.N.key/value"; ec2Query forms
// "List.N" and "Filter.N.Value.M", with EC2's singular list names. awsQuery answers name
// elements by Go name with <member> list items and <entry> map items; ec2Query answers use
// lower camel case names and <item>, with WireNames for EC2's other names ("xxxSet"), where a
// value "name/member" also renames a list's items. Nil pointers, slices and maps and zero
// scalars are left out; timestamps in XML are ISO 8601.
//
// Errors: a handler's smithy.APIError is answered with its code, message and other modeled
// members (awsJson __type, restJson1 X-Amzn-ErrorType, query <Error>), with the status of
// Service.ErrorStatus, else 500 for a server fault and 400 otherwise; any other error, or a
// panic, is a 500 InternalFailure.
//
// CheckOperation and CheckError verify a Service's wire encoding of one operation against
// the real SDK client in one line, with every member filled.
//
// # Limits
//
// Request bodies are limited to Options.MaxBodyBytes, by default 16 MiB (413 beyond), and
// JSON values and form names to 64 levels of nesting.
//
// # The SDK's early close of request bodies
//
// Config's HTTP client hides every method of a request body but Read and Close before
// net/http sees it. Without that, about one large answer in twenty to fifty (one in four
// under -race on two cores) failed in the real SDK clients with "deserialization failed,
// failed to decode response body, read tcp ...: use of closed network connection". The
// cause is in the client, not in this server: smithy-go's ClientHandler closes the request
// body as soon as Do returns the response headers, while net/http's Transport may still be
// writing the request. For a body it does not know to be in memory, the Transport flushes
// the headers, sends the Content-Length bytes straight to the socket and only then copies
// what follows them (io.Copy(io.Discard, body), through the body's WriteTo). On loopback
// the server reads the request and answers before that copy runs; the SDK has then closed
// the body, and smithy-go's closed body (transport/http/internal/io.safeWriteToReadCloser)
// answers WriteTo with the error io.EOF. The Transport takes it for a failed request write
// and closes the connection under the answer still being read. The SDK's default retryer
// retries the failure (net.ErrClosed), so it shows with RetryMaxAttempts 1 or as extra
// attempts. Through Read, a closed body ends with a plain io.EOF and nothing fails. An
// HTTPClient set in place of Config's loses the guard unless it hides WriteTo the same way.
// The symptom is reported upstream in aws/aws-sdk-go-v2#1825 and #2737, which the SDK
// closed by retrying net.ErrClosed (aws/aws-sdk-go-v2#2949), not by fixing the cause.
//
// # Not modeled
//
// Event streams, S3 and other restXml services, restJson1 payload members (httpPayload),
// response headers and status codes bound to output members (every success is 200), flattened
// XML lists, request and response checksums, compression, presigned (query-string)
// authentication, SigV4a and aws-chunked bodies, endpoint host prefixes, and the session
// token (signed, not checked).
package localaws

import (
	"context"
)

// Protocol is an AWS wire protocol.
type Protocol int

// The wire protocols a Service can speak.
const (
	// AWSJSON10 is awsJson1_0: POST /, X-Amz-Target: Prefix.Op, application/x-amz-json-1.0.
	AWSJSON10 Protocol = iota + 1
	// AWSJSON11 is awsJson1_1, as AWSJSON10 with application/x-amz-json-1.1.
	AWSJSON11
	// RESTJSON1 is restJson1: method and path per operation, labels and query parameters
	// bound to input members, JSON bodies.
	RESTJSON1
	// AWSQuery is awsQuery: form Action=Op&Version=..., XML answers, <ErrorResponse> errors.
	AWSQuery
	// EC2Query is ec2Query: as AWSQuery with EC2's list and error shapes.
	EC2Query
)

// Naming is how a service's JSON member names relate to the SDK's Go field names.
type Naming int

// The namings of AWS JSON services.
const (
	// Pascal: wire names are the Go field names (Glue, EMR, Lake Formation, SSM).
	Pascal Naming = iota
	// LowerCamel: wire names are the Go field names with the first letter lower-cased
	// (DataZone, MSK, EMR Serverless, EMR on EKS, RAM, Redshift Serverless).
	LowerCamel
)

// Service is one AWS service as a fake serves it on the wire.
type Service struct {
	// SigningName is the SigV4 service name, which routes a request to this service:
	// "glue", "lakeformation", "elasticmapreduce", "emr-serverless".
	SigningName string
	// Protocol is the service's wire protocol.
	Protocol Protocol
	// TargetPrefix is the X-Amz-Target prefix of an awsJson service, such as "AWSGlue".
	TargetPrefix string
	// APIVersion is the Version every request of a query service carries, such as
	// "2016-11-15" for EC2.
	APIVersion string
	// XMLNamespace is the xmlns of a query service's answers.
	XMLNamespace string
	// Naming maps Go field names to wire names.
	Naming Naming
	// WireNames overrides Naming for the members it lists, keyed "GoType.Field" (for example
	// "GetBootstrapBrokersOutput.BootstrapBrokerStringSaslIam"), for members whose wire name
	// Naming does not produce, for restJson1 query parameters named otherwise than their
	// member, and for restJson1 headers bound to input members ("X-Amz-Client-Token"). Union
	// members are keyed "UnionInterface.Member". In query answers a value "name/item" also
	// names the list's items (EC2's few <member> lists).
	WireNames map[string]string
	// DateTimes lists the timestamp members, keyed "GoType.Field", sent as RFC 3339 strings
	// (the model's date-time format) instead of JSON's default epoch seconds. "GoType.*"
	// names every timestamp member of GoType, "*" every timestamp of the service.
	DateTimes []string
	// Unions holds a zero value of every union member type the service's inputs may carry
	// (for example types.ResourceMemberTable{}), so that requests carrying unions decode.
	Unions []any
	// NewDocument wraps a decoded JSON value as the service's document type; it is
	// func(v any) any { return document.NewLazyDocument(v) } with the service's document
	// package. Nil means requests carrying document members are rejected.
	NewDocument func(v any) any
	// ErrorStatus gives the HTTP status of error codes whose status is not the default
	// (400 for client faults, 500 for server faults).
	ErrorStatus map[string]int
	// Operations are the operations the fake implements.
	Operations []Operation
}

// Operation is one operation of a Service, made by Op or Route.
type Operation struct {
	name         string
	method, path string // restJson1 only
	call         func(ctx context.Context, in any) (any, error)
	newInput     func() any
}

// Name returns the operation's name, such as "GetTable".
func (o Operation) Name() string { return o.name }

// Op serves fn, a method with the SDK client's signature, as operation name of an awsJson or
// query service (routed by X-Amz-Target or Action).
func Op[In, Out, O any](name string, fn func(context.Context, *In, ...func(*O)) (*Out, error)) Operation {
	return Operation{
		name:     name,
		newInput: func() any { return new(In) },
		call: func(ctx context.Context, in any) (any, error) {
			return fn(ctx, in.(*In))
		},
	}
}

// Route serves fn as operation name of a restJson1 service at method and path, a template
// from the service's model such as "/v2/domains/{domainIdentifier}/assets/{identifier}" with
// {label} for one segment and a final {label+} for the rest of the path.
func Route[In, Out, O any](name, method, path string, fn func(context.Context, *In, ...func(*O)) (*Out, error)) Operation {
	op := Op(name, fn)
	op.method, op.path = method, path
	return op
}
