package awsfake

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	sigAlgorithm = "AWS4-HMAC-SHA256"
	amzDateFmt   = "20060102T150405Z"
	maxSkew      = 15 * time.Minute
)

// authFailure is a class of SigV4 rejection; authError maps it to the code
// and status AWS uses for each protocol.
type authFailure int

const (
	authMissing    authFailure = iota // no or malformed Authorization / X-Amz-Date
	authUnknownKey                    // access key ID not in Options.Credentials
	authMismatch                      // wrong secret, tampered request, wrong scope region or date
	authExpired                       // X-Amz-Date more than 15 min from the server clock
)

// authError builds the rejection for the request's protocol. The codes are
// those AWS returns:
//   - missing: JSON MissingAuthenticationTokenException, query
//     MissingAuthenticationToken, 403. AWS answers some malformed headers
//     with IncompleteSignatureException (400); the fake folds them into this.
//   - unknown key: JSON UnrecognizedClientException 403, awsQuery
//     InvalidClientTokenId 403, EC2 AuthFailure 401.
//   - mismatch (including a wrong scope region): JSON
//     InvalidSignatureException 403, awsQuery SignatureDoesNotMatch 403, EC2
//     AuthFailure 401.
//   - expired: as mismatch with a "Signature expired: ..." message, except EC2
//     which answers RequestExpired 400.
func authError(kind authFailure, p Protocol, msg string) *Error {
	type row struct{ json, query, ec2 string }
	codes := map[authFailure]row{
		authMissing:    {"MissingAuthenticationTokenException", "MissingAuthenticationToken", "MissingAuthenticationToken"},
		authUnknownKey: {"UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure"},
		authMismatch:   {"InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure"},
		authExpired:    {"InvalidSignatureException", "SignatureDoesNotMatch", "RequestExpired"},
	}[kind]
	e := &Error{Status: http.StatusForbidden, Code: codes.json, Message: msg, Sender: true}
	switch p {
	case AWSQuery:
		e.Code = codes.query
	case EC2Query:
		e.Code = codes.ec2
		switch kind {
		case authUnknownKey, authMismatch:
			e.Status = http.StatusUnauthorized
			e.Message = "AWS was not able to validate the provided access credentials"
		case authExpired:
			e.Status = http.StatusBadRequest
			e.Message = "Request has expired. " + msg
		}
	}
	return e
}

// Messages AWS uses for the common rejections.
const (
	msgUnknownKey = "The security token included in the request is invalid."
	msgMismatch   = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// sigV4Auth is a parsed Authorization header.
type sigV4Auth struct {
	akid, date, region, service string
	signedHeaders, signature    string
}

func parseAuthorization(h string) (sigV4Auth, bool) {
	var a sigV4Auth
	rest, ok := strings.CutPrefix(h, sigAlgorithm+" ")
	if !ok {
		return a, false
	}
	var credential string
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			credential = v
		case "SignedHeaders":
			a.signedHeaders = v
		case "Signature":
			a.signature = v
		}
	}
	scope := strings.Split(credential, "/")
	if len(scope) != 5 || scope[4] != "aws4_request" || a.signedHeaders == "" || a.signature == "" {
		return a, false
	}
	a.akid, a.date, a.region, a.service = scope[0], scope[1], scope[2], scope[3]
	return a, true
}

// Verifier checks SigV4 signatures as Server does, for servers built on
// other routing (package localaws). The zero value accepts nothing: set
// Region and Credentials.
type Verifier struct {
	// Region is the region the credential scope must name.
	Region string
	// Credentials maps each accepted access key ID to its secret.
	Credentials map[string]string
	// Now is the clock of the ±15 min X-Amz-Date skew check. Nil means time.Now.
	Now func() time.Time
}

// SigningName returns the service name of the SigV4 credential scope of an
// Authorization header, such as "glue", and false when the header is not a
// well-formed SigV4 authorization.
func SigningName(authorization string) (string, bool) {
	a, ok := parseAuthorization(authorization)
	return a.service, ok
}

// Verify checks r's SigV4 signature (body is r's body, already read) and
// returns the rejection to send for protocol p, or nil when the signature is
// valid. See [Server] for the rejection table.
func (v *Verifier) Verify(r *http.Request, body []byte, p Protocol) *Error {
	now := v.Now
	if now == nil {
		now = time.Now
	}
	return verify(r, body, p, v.Region, v.Credentials, now)
}

// verify checks r's SigV4 signature by re-signing a copy holding only the
// signed parts of r with the SDK's signer, and returns the rejection to send,
// or nil.
func (s *Server) verify(r *http.Request, body []byte, p Protocol) *Error {
	return verify(r, body, p, s.region, s.creds, s.now)
}

func verify(r *http.Request, body []byte, p Protocol, region string, creds map[string]string, clock func() time.Time) *Error {
	auth, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return authError(authMissing, p, "Missing Authentication Token")
	}
	amzDate := r.Header.Get("X-Amz-Date")
	signTime, err := time.Parse(amzDateFmt, amzDate)
	if err != nil {
		return authError(authMissing, p, "Authorization header requires existence of a valid 'X-Amz-Date' header.")
	}
	secret, ok := creds[auth.akid]
	if !ok {
		return authError(authUnknownKey, p, msgUnknownKey)
	}
	if auth.date != signTime.Format("20060102") {
		return authError(authMismatch, p, fmt.Sprintf(
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s'",
			auth.date, signTime.Format("20060102")))
	}
	if auth.region != region {
		return authError(authMismatch, p, fmt.Sprintf(
			"Credential should be scoped to a valid region, not '%s'. Expected '%s'.", auth.region, region))
	}
	now := clock().UTC()
	if signTime.Before(now.Add(-maxSkew)) {
		return authError(authExpired, p, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			amzDate, now.Add(-maxSkew).Format(amzDateFmt), now.Format(amzDateFmt)))
	}
	if signTime.After(now.Add(maxSkew)) {
		// AWS words a future date "not yet current"; the codes are the same.
		return authError(authExpired, p, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 15 min.)",
			amzDate, now.Add(maxSkew).Format(amzDateFmt), now.Format(amzDateFmt)))
	}

	sum := sha256.Sum256(body)
	bodyHash := hex.EncodeToString(sum[:])
	payloadHash := bodyHash
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		// The header is signed, so the body must match it unless the client
		// declared the payload unsigned or streamed.
		if h != "UNSIGNED-PAYLOAD" && !strings.HasPrefix(h, "STREAMING-") && h != bodyHash {
			return authError(authMismatch, p, "The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
		payloadHash = h
	}

	// Rebuild the request from its signed parts only.
	signed := &http.Request{
		Method: r.Method,
		Host:   r.Host,
		URL: &url.URL{Scheme: "http", Host: r.Host,
			Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery},
		Header: http.Header{},
	}
	for _, name := range strings.Split(auth.signedHeaders, ";") {
		switch name {
		case "host":
		case "content-length":
			signed.ContentLength = int64(len(body))
		default:
			if vs := r.Header.Values(name); len(vs) > 0 {
				signed.Header[http.CanonicalHeaderKey(name)] = append([]string(nil), vs...)
			}
		}
	}
	signCreds := aws.Credentials{AccessKeyID: auth.akid, SecretAccessKey: secret,
		SessionToken: r.Header.Get("X-Amz-Security-Token")}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = auth.service == "s3" })
	if err := signer.SignHTTP(context.Background(), signCreds, signed, payloadHash, auth.service, auth.region, signTime); err != nil {
		return authError(authMismatch, p, "awsfake: re-signing: "+err.Error())
	}
	want, _ := parseAuthorization(signed.Header.Get("Authorization"))
	if want.signedHeaders != auth.signedHeaders || !hmac.Equal([]byte(want.signature), []byte(auth.signature)) {
		return authError(authMismatch, p, msgMismatch)
	}
	return nil
}
