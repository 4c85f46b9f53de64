// Package awsfake is an httptest server that speaks the AWS wire protocols, so
// that wire tests can drive the real aws-sdk-go-v2 service clients against it.
//
// The server routes each request by protocol (awsJson 1.0/1.1 by X-Amz-Target,
// restJson1 by method and path pattern, ec2Query and awsQuery by the form's
// Action), verifies its SigV4 signature by re-signing it with the SDK's
// aws/signer/v4, calls the registered [Handler], and encodes the reply or a
// modeled [Error] the way the service would, so the SDK returns its typed
// errors. Every request, rejected or not, is recorded for assertions.
//
// # Usage
//
//	s := awsfake.New(t)
//	s.HandleJSON("ElasticMapReduce.AddJobFlowSteps", func(r *awsfake.Request) (any, error) {
//		if r.Map()["JobFlowId"] != "j-1" {
//			return nil, &awsfake.Error{Code: "InvalidRequestException", Message: "no such cluster"}
//		}
//		return `{"StepIds":["s-1"]}`, nil
//	})
//	client := emr.NewFromConfig(s.Config())
//	out, err := client.AddJobFlowSteps(ctx, in) // out.StepIds == ["s-1"]
//	calls := s.Ops("AddJobFlowSteps")          // calls[0].Verified == true
//
// # Signature verification
//
// Requests must be signed with SigV4 by a key in [Options.Credentials] (by
// default [AccessKeyID] and [SecretAccessKey]) for the server's region, with
// an X-Amz-Date within 15 minutes of [Options.Now]. Rejections use the codes
// AWS uses for the request's protocol (see [Server] for the table). The
// session token is signed but not checked, and neither is the signing name
// (the service in the credential scope), since one server may stand in for
// several services.
//
// # Not modeled
//
// Presigned (query-string) authentication, SigV4a, aws-chunked streaming
// bodies, event streams, response headers or status codes bound to output
// members, and request compression.
package awsfake
