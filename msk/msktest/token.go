package msktest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The MSK IAM token rules this verifier checks, written from the SigV4 query-string
// (presigned URL) rules of the IAM User Guide ("Create a signed AWS API request",
// "Authentication methods: query parameters") and the MSK IAM signer's token format
// (aws-msk-iam-sasl-signer-go: GET https://kafka.<region>.<suffix>/?Action=kafka-cluster%3AConnect
// presigned for service kafka-cluster, signed header host, empty payload, User-Agent
// appended after signing, base64url without padding). It shares no code with package msk.
const (
	tokenAction      = "kafka-cluster:Connect"
	tokenService     = "kafka-cluster"
	tokenAlgorithm   = "AWS4-HMAC-SHA256"
	tokenDateLayout  = "20060102T150405Z"
	emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// maxTokenExpires is the largest X-Amz-Expires MSK accepts: 900 seconds, the signer's
	// fixed token lifetime (a SigV4 presign may ask for up to 7 days; MSK does not honour it).
	maxTokenExpires = 900
	// maxTokenBytes bounds a token (or AWS_MSK_IAM payload) before decoding; real ones are
	// about 1-2 KB, 3 KB with a session token.
	maxTokenBytes = 16 << 10
	// maxQueryParams bounds the query parameters parsed.
	maxQueryParams = 32

	mechOAuthBearer = "OAUTHBEARER"
	mechMSKIAM      = "AWS_MSK_IAM"
	mechSCRAM       = "SCRAM-SHA-512"
	mskIAMVersion   = "2020_10_22"
)

// signedParams are the query parameters of a presigned token, by canonical name. All but
// X-Amz-Signature are part of the canonical request; X-Amz-Security-Token is optional.
var signedParams = []string{
	"Action", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
	"X-Amz-Security-Token", "X-Amz-SignedHeaders",
}

// verifiedToken is what a valid token says.
type verifiedToken struct {
	accessKeyID string
	expires     time.Time
}

// tokenVerifier checks MSK IAM tokens for one cluster.
type tokenVerifier struct {
	region string
	host   string // the host OAUTHBEARER tokens are signed for
	skew   time.Duration
	lookup func(accessKeyID string) (secret string, ok bool)
}

// serviceHost is the MSK control-plane host of region: kafka.<region>.amazonaws.com, with
// the China regions' amazonaws.com.cn suffix (AWS General Reference, service endpoints).
func serviceHost(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "kafka." + region + ".amazonaws.com.cn"
	}
	return "kafka." + region + ".amazonaws.com"
}

// parseOAuthBearer extracts the bearer token from an RFC 7628 client-first message:
// gs2-header ("n," [ "a=" authzid ] ","), then \x01-separated key=value pairs, ending in
// \x01\x01, one of them auth=Bearer <token>.
func parseOAuthBearer(msg []byte) (string, error) {
	rest, ok := bytes.CutPrefix(msg, []byte("n,"))
	if !ok {
		return "", errors.New(`OAUTHBEARER message does not start with the GS2 header "n,"`)
	}
	authz, rest, ok := bytes.Cut(rest, []byte(","))
	if !ok || (len(authz) > 0 && !bytes.HasPrefix(authz, []byte("a="))) {
		return "", errors.New("OAUTHBEARER GS2 header is malformed")
	}
	if len(rest) < 3 || rest[0] != 0x01 || !bytes.HasSuffix(rest, []byte{0x01, 0x01}) {
		return "", errors.New(`OAUTHBEARER message is not framed by \x01 separators`)
	}
	token := ""
	for kv := range bytes.SplitSeq(rest[1:len(rest)-2], []byte{0x01}) {
		v, ok := bytes.CutPrefix(kv, []byte("auth="))
		if !ok {
			continue
		}
		if token != "" {
			return "", errors.New("OAUTHBEARER message has more than one auth value")
		}
		scheme, tok, ok := bytes.Cut(v, []byte(" "))
		if !ok || !strings.EqualFold(string(scheme), "Bearer") || len(tok) == 0 {
			return "", errors.New(`OAUTHBEARER auth value is not "Bearer <token>"`)
		}
		token = string(tok)
	}
	if token == "" {
		return "", errors.New("OAUTHBEARER message has no auth value")
	}
	return token, nil
}

// verifyOAuthBearer checks the token of an OAUTHBEARER message: the unpadded base64url of
// the presigned URL https://<host>/?<query>.
func (v *tokenVerifier) verifyOAuthBearer(msg []byte, now time.Time) (*verifiedToken, error) {
	if len(msg) > maxTokenBytes {
		return nil, fmt.Errorf("MSK IAM message is %d bytes, more than %d", len(msg), maxTokenBytes)
	}
	token, err := parseOAuthBearer(msg)
	if err != nil {
		return nil, err
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, errors.New("MSK IAM token is not unpadded base64url")
	}
	u, err := url.Parse(string(raw))
	if err != nil {
		return nil, errors.New("MSK IAM token is not a URL")
	}
	switch {
	case u.Scheme != "https":
		return nil, errors.New("MSK IAM token URL scheme is not https")
	case u.User != nil || u.Port() != "" || u.Fragment != "" || u.Opaque != "":
		return nil, errors.New("MSK IAM token URL has a user, port, fragment or opaque part")
	case u.EscapedPath() != "/":
		return nil, errors.New(`MSK IAM token URL path is not "/"`)
	}
	params := map[string]string{}
	n := 0
	for pair := range strings.SplitSeq(u.RawQuery, "&") {
		if n++; n > maxQueryParams {
			return nil, fmt.Errorf("MSK IAM token has more than %d query parameters", maxQueryParams)
		}
		k, val, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil || key == "" {
			return nil, errors.New("MSK IAM token query does not parse")
		}
		if _, dup := params[key]; dup {
			return nil, fmt.Errorf("MSK IAM token query parameter %s appears more than once", key)
		}
		params[key] = value
	}
	delete(params, "User-Agent") // appended after signing, so not part of the signed request
	return v.verify(params, u.Host, v.host, now)
}

// verifyMSKIAM checks an AWS_MSK_IAM payload: a JSON object with version 2020_10_22, the
// broker host, the presign query parameters as lower-case keys and a user-agent, presigned
// for GET https://<broker host>/.
func (v *tokenVerifier) verifyMSKIAM(msg []byte, brokerHost string, now time.Time) (*verifiedToken, error) {
	if len(msg) > maxTokenBytes {
		return nil, fmt.Errorf("AWS_MSK_IAM payload is %d bytes, more than %d", len(msg), maxTokenBytes)
	}
	var kv map[string]string
	if err := json.Unmarshal(msg, &kv); err != nil {
		return nil, errors.New("AWS_MSK_IAM payload is not a JSON object of strings")
	}
	if kv["version"] != mskIAMVersion {
		return nil, fmt.Errorf("AWS_MSK_IAM payload version %q is not %s", kv["version"], mskIAMVersion)
	}
	host := kv["host"]
	params := map[string]string{}
	for k, val := range kv {
		switch k {
		case "version", "host", "user-agent":
			continue
		}
		i := slices.IndexFunc(signedParams, func(p string) bool { return strings.EqualFold(p, k) })
		if i < 0 && k != "x-amz-signature" {
			return nil, fmt.Errorf("AWS_MSK_IAM payload has an unknown key %q", k)
		}
		name := "X-Amz-Signature"
		if i >= 0 {
			name = signedParams[i]
		}
		params[name] = val
	}
	return v.verify(params, host, brokerHost, now)
}

// verify checks the presign parameters of a token signed for host, which must be wantHost,
// and recomputes the signature over the whole canonical request: every parameter but
// X-Amz-Signature, so a parameter added after signing makes the signature differ.
func (v *tokenVerifier) verify(params map[string]string, host, wantHost string, now time.Time) (*verifiedToken, error) {
	for _, p := range []string{"Action", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		if _, ok := params[p]; !ok {
			return nil, fmt.Errorf("MSK IAM token has no %s", p)
		}
	}
	for k := range params {
		if !slices.Contains(signedParams, k) && k != "X-Amz-Signature" {
			return nil, fmt.Errorf("MSK IAM token has query parameter %q, which is not part of an MSK IAM token", k)
		}
	}
	if a := params["Action"]; a != tokenAction {
		return nil, fmt.Errorf("MSK IAM token action %q is not %s", a, tokenAction)
	}
	if a := params["X-Amz-Algorithm"]; a != tokenAlgorithm {
		return nil, fmt.Errorf("MSK IAM token algorithm %q is not %s", a, tokenAlgorithm)
	}
	if sh := params["X-Amz-SignedHeaders"]; sh != "host" {
		return nil, fmt.Errorf("MSK IAM token signs headers %q; MSK tokens sign exactly host", sh)
	}
	scope := strings.Split(params["X-Amz-Credential"], "/")
	if len(scope) != 5 || scope[4] != "aws4_request" || slices.Contains(scope, "") {
		return nil, errors.New("MSK IAM token X-Amz-Credential is not <access key>/<date>/<region>/<service>/aws4_request")
	}
	akid, date, region, service := scope[0], scope[1], scope[2], scope[3]
	signedAt, err := time.Parse(tokenDateLayout, params["X-Amz-Date"])
	if err != nil {
		return nil, errors.New("MSK IAM token X-Amz-Date is not yyyymmddThhmmssZ")
	}
	switch {
	case date != signedAt.Format("20060102"):
		return nil, errors.New("MSK IAM token credential scope date does not match X-Amz-Date")
	case service != tokenService:
		return nil, fmt.Errorf("MSK IAM token is signed for service %q, not %s", service, tokenService)
	case region != v.region:
		return nil, fmt.Errorf("MSK IAM token is signed for region %q, but the cluster is in %s", region, v.region)
	case host != wantHost:
		return nil, fmt.Errorf("MSK IAM token is signed for host %q, not %s", host, wantHost)
	}
	exp := params["X-Amz-Expires"]
	secs, err := strconv.Atoi(exp)
	if err != nil || secs < 1 || secs > maxTokenExpires || strconv.Itoa(secs) != exp {
		return nil, fmt.Errorf("MSK IAM token X-Amz-Expires %q is not a number of seconds from 1 to %d", exp, maxTokenExpires)
	}
	sig := params["X-Amz-Signature"]
	if _, err := hex.DecodeString(sig); err != nil || len(sig) != 64 || strings.ToLower(sig) != sig {
		return nil, errors.New("MSK IAM token X-Amz-Signature is not 64 lower-case hex digits")
	}
	secret, ok := v.lookup(akid)
	if !ok {
		return nil, fmt.Errorf("MSK IAM token access key %s is not registered with the cluster", akid)
	}
	expires := signedAt.Add(time.Duration(secs) * time.Second)
	if signedAt.After(now.Add(v.skew)) {
		return nil, fmt.Errorf("MSK IAM token is signed at %s, in the future", signedAt.Format(time.RFC3339))
	}
	if !now.Before(expires) {
		return nil, fmt.Errorf("MSK IAM token expired at %s", expires.Format(time.RFC3339))
	}
	want := presignSignature(params, host, secret, signedAt, date, region, service)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return nil, fmt.Errorf("MSK IAM token signature does not match for access key %s (wrong secret key, or the token was altered after signing)", akid)
	}
	return &verifiedToken{accessKeyID: akid, expires: expires}, nil
}

// presignSignature computes the SigV4 signature of GET https://host/?<params> with the
// signed header host and an empty payload.
func presignSignature(params map[string]string, host, secret string, signedAt time.Time, date, region, service string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "X-Amz-Signature" {
			keys = append(keys, k)
		}
	}
	// Canonical query: URI-encoded names and values, sorted by encoded name.
	enc := make([]string, len(keys))
	for i, k := range keys {
		enc[i] = uriEncode(k) + "=" + uriEncode(params[k])
	}
	slices.Sort(enc)
	canonical := "GET\n/\n" + strings.Join(enc, "&") + "\nhost:" + host + "\n\nhost\n" + emptyPayloadHash
	sum := sha256.Sum256([]byte(canonical))
	scope := date + "/" + region + "/" + service + "/aws4_request"
	toSign := tokenAlgorithm + "\n" + signedAt.Format(tokenDateLayout) + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	key := []byte("AWS4" + secret)
	for _, part := range []string{date, region, service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// uriEncode encodes s as SigV4 requires: every byte except A-Z a-z 0-9 - _ . ~ as %XX with
// upper-case hex.
func uriEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
