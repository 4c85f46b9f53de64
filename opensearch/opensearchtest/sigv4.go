package opensearchtest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// maxClockSkew is the skew AWS tolerates between a signature's time and its own.
const maxClockSkew = 5 * time.Minute

// verifySigV4 checks a SigV4-signed request by signing it again: the credential scope must
// name the domain's region and signing name (es, or aoss for a collection), the access key
// must be registered, the date must be within maxClockSkew of the wall clock (signers use
// the wall clock, not the fake's), the payload hash must be the body's (aoss requires the
// X-Amz-Content-Sha256 header), and the signature must match. It returns the caller's
// principal ARN, or a message in AWS's words.
func (d *Domain) verifySigV4(r *http.Request, body []byte) (string, string) {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return "", "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter."
	}
	var cred, signed, sig string
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			cred = v
		case "SignedHeaders":
			signed = v
		case "Signature":
			sig = v
		}
	}
	scope := strings.Split(cred, "/")
	if len(scope) != 5 || scope[4] != "aws4_request" || signed == "" || sig == "" {
		return "", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters."
	}
	akid, date, region, service := scope[0], scope[1], scope[2], scope[3]
	if service != d.signingName() {
		return "", fmt.Sprintf("Credential should be scoped to correct service: '%s'.", d.signingName())
	}
	if region != d.f.opts.Region {
		return "", fmt.Sprintf("Credential should be scoped to a valid region, not '%s'.", region)
	}
	c, ok := d.f.credential(akid)
	if !ok {
		return "", "The security token included in the request is invalid."
	}
	t, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil || t.Format("20060102") != date {
		return "", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP."
	}
	if now := time.Now(); t.Before(now.Add(-maxClockSkew)) || t.After(now.Add(maxClockSkew)) {
		return "", "Signature expired: " + r.Header.Get("X-Amz-Date") + " is now earlier than the allowed skew."
	}
	sum := sha256.Sum256(body)
	bodyHash := hex.EncodeToString(sum[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		if h != bodyHash {
			return "", "The provided 'x-amz-content-sha256' header does not match what was computed."
		}
	} else if d.serverless {
		return "", "Missing required header for this request: x-amz-content-sha256"
	}
	// Sign a copy holding only the signed headers, as the client signed it.
	req, _ := http.NewRequestWithContext(context.Background(), r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	req.Host = r.Host
	req.URL.RawPath = r.URL.RawPath
	names := strings.Split(signed, ";")
	for _, h := range names {
		switch h {
		case "host":
		case "content-length":
			req.ContentLength = int64(len(body))
		default:
			for _, v := range r.Header.Values(h) {
				req.Header.Add(h, v)
			}
		}
	}
	creds := aws.Credentials{AccessKeyID: akid, SecretAccessKey: c.secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, bodyHash, service, region, t); err != nil {
		return "", "The request signature we calculated does not match the signature you provided."
	}
	want := req.Header.Get("Authorization")
	i := strings.LastIndex(want, "Signature=")
	if i < 0 || !hmac.Equal([]byte(want[i+len("Signature="):]), []byte(sig)) {
		return "", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	}
	return c.principal, ""
}
