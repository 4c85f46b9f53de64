package msk

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The fixed parts of an MSK IAM authentication token, as aws-msk-iam-sasl-signer-go writes them.
const (
	// tokenAction is the IAM action a token presigns: connecting to the cluster.
	tokenAction = "kafka-cluster:Connect"
	// tokenSigningName is the SigV4 service name in a token's credential scope.
	tokenSigningName = "kafka-cluster"
	// maxTokenLifetime is the longest lifetime (X-Amz-Expires) a token gets: 15 minutes, the
	// fixed lifetime of aws-msk-iam-sasl-signer-go tokens.
	maxTokenLifetime = 900 * time.Second

	tokenAlgorithm   = "AWS4-HMAC-SHA256"
	tokenDateLayout  = "20060102T150405Z"
	tokenScopeLayout = "20060102"
	// emptyPayloadHash is hex(sha256("")), the payload hash of the presigned GET.
	emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// maxPresignExpires is the SigV4 limit on X-Amz-Expires (7 days).
	maxPresignExpires = 7 * 24 * 60 * 60
	// maxTokenLength bounds what parseToken decodes; real tokens are about 1-2 KB.
	maxTokenLength = 16 << 10
)

// tokenFields is a decoded MSK IAM authentication token: the SigV4-presigned URL
// GET https://kafka.<region>.<dns suffix>/?Action=kafka-cluster%3AConnect&X-Amz-... that the
// OAUTHBEARER initial response carries, base64url-encoded. Decoding checks the token's shape;
// it proves nothing about the signature, which only a holder of the secret key can verify.
type tokenFields struct {
	// Host is the host the URL was signed for, e.g. "kafka.eu-west-1.amazonaws.com".
	Host string
	// Action is the Action query parameter; MSK accepts only TokenAction.
	Action string
	// AccessKeyID, Date, Region and Service are the parts of the credential scope
	// (X-Amz-Credential = AKID/yyyymmdd/region/service/aws4_request).
	AccessKeyID, Date, Region, Service string
	// SessionToken is X-Amz-Security-Token, set for temporary credentials.
	SessionToken string
	// SignedAt is X-Amz-Date.
	SignedAt time.Time
	// Lifetime is X-Amz-Expires.
	Lifetime time.Duration
	// SignedHeaders is X-Amz-SignedHeaders ("host").
	SignedHeaders string
	// Signature is X-Amz-Signature, 64 lower-case hex digits.
	Signature string
	// UserAgent is the User-Agent query parameter added after signing, if any.
	UserAgent string
	// Expires is SignedAt + Lifetime: the broker refuses the token from then on.
	Expires time.Time
}

// parseToken decodes an MSK IAM token (unpadded base64url of the presigned URL) and checks
// its shape: an https URL with path "/", exactly one of each presign query parameter,
// algorithm AWS4-HMAC-SHA256, a five-part credential scope ending in aws4_request whose date
// matches X-Amz-Date, a positive X-Amz-Expires of at most 7 days and a 64-digit hex
// signature. It does not check the action, region, expiry or signature: see msktest for a
// verifier. Errors never quote the token.
func parseToken(token string) (*tokenFields, error) {
	if token == "" {
		return nil, tokenError("empty token")
	}
	if len(token) > maxTokenLength {
		return nil, tokenError(fmt.Sprintf("token is %d bytes, more than %d", len(token), maxTokenLength))
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, tokenError("not unpadded base64url")
	}
	u, err := url.Parse(string(raw))
	if err != nil {
		return nil, tokenError("not a URL")
	}
	if u.Scheme != "https" {
		return nil, tokenError("URL scheme is not https")
	}
	if u.Host == "" || u.User != nil || u.Port() != "" {
		return nil, tokenError("URL host is missing or has a user or port")
	}
	if u.Path != "/" || u.Fragment != "" || u.Opaque != "" {
		return nil, tokenError(`URL path is not "/"`)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, tokenError("URL query does not parse")
	}
	get := func(key string, required bool) (string, error) {
		vs := q[key]
		switch {
		case len(vs) > 1:
			return "", tokenError("query parameter " + key + " appears more than once")
		case len(vs) == 0 && required:
			return "", tokenError("query parameter " + key + " is missing")
		case len(vs) == 0:
			return "", nil
		}
		return vs[0], nil
	}
	t := &tokenFields{Host: u.Host}
	fields := []struct {
		key      string
		required bool
		dst      *string
	}{
		{"Action", true, &t.Action},
		{"X-Amz-SignedHeaders", true, &t.SignedHeaders},
		{"X-Amz-Signature", true, &t.Signature},
		{"X-Amz-Security-Token", false, &t.SessionToken},
		{"User-Agent", false, &t.UserAgent},
	}
	for _, f := range fields {
		if *f.dst, err = get(f.key, f.required); err != nil {
			return nil, err
		}
	}
	algorithm, err := get("X-Amz-Algorithm", true)
	if err != nil {
		return nil, err
	}
	if algorithm != tokenAlgorithm {
		return nil, tokenError("X-Amz-Algorithm is not " + tokenAlgorithm)
	}
	credential, err := get("X-Amz-Credential", true)
	if err != nil {
		return nil, err
	}
	scope := strings.Split(credential, "/")
	if len(scope) != 5 || scope[4] != "aws4_request" {
		return nil, tokenError("X-Amz-Credential is not AKID/date/region/service/aws4_request")
	}
	for _, part := range scope[:4] {
		if part == "" {
			return nil, tokenError("X-Amz-Credential has an empty part")
		}
	}
	t.AccessKeyID, t.Date, t.Region, t.Service = scope[0], scope[1], scope[2], scope[3]
	date, err := get("X-Amz-Date", true)
	if err != nil {
		return nil, err
	}
	if t.SignedAt, err = time.Parse(tokenDateLayout, date); err != nil {
		return nil, tokenError("X-Amz-Date is not yyyymmddThhmmssZ")
	}
	if t.SignedAt.Format(tokenScopeLayout) != t.Date {
		return nil, tokenError("X-Amz-Credential date does not match X-Amz-Date")
	}
	expires, err := get("X-Amz-Expires", true)
	if err != nil {
		return nil, err
	}
	secs, err := strconv.Atoi(expires)
	if err != nil || secs <= 0 || secs > maxPresignExpires || strconv.Itoa(secs) != expires {
		return nil, tokenError("X-Amz-Expires is not a number of seconds between 1 and 604800")
	}
	t.Lifetime = time.Duration(secs) * time.Second
	t.Expires = t.SignedAt.Add(t.Lifetime)
	if len(t.Signature) != 64 || strings.ToLower(t.Signature) != t.Signature {
		return nil, tokenError("X-Amz-Signature is not 64 lower-case hex digits")
	}
	if _, err := hex.DecodeString(t.Signature); err != nil {
		return nil, tokenError("X-Amz-Signature is not 64 lower-case hex digits")
	}
	return t, nil
}

// parseOAuthBearer extracts the token from an RFC 7628 OAUTHBEARER client-first message,
// "n,,\x01auth=Bearer <token>\x01\x01" (a GS2 authorization identity "n,a=<id>," is
// accepted; other key-value pairs are ignored). It does not decode the token; see
// parseToken.
func parseOAuthBearer(msg []byte) (string, error) {
	if !bytes.HasPrefix(msg, []byte("n,")) {
		return "", errors.New("msk: OAUTHBEARER message does not start with the GS2 header \"n,\"")
	}
	rest := msg[2:]
	comma := bytes.IndexByte(rest, ',')
	if comma < 0 {
		return "", errors.New("msk: OAUTHBEARER message has an unterminated GS2 header")
	}
	if authzid := rest[:comma]; len(authzid) > 0 && !bytes.HasPrefix(authzid, []byte("a=")) {
		return "", errors.New("msk: OAUTHBEARER GS2 header has an invalid authorization identity")
	}
	rest = rest[comma+1:]
	if len(rest) < 2 || rest[0] != 0x01 || !bytes.HasSuffix(rest, []byte{0x01, 0x01}) {
		return "", errors.New("msk: OAUTHBEARER message is not framed by \\x01 separators")
	}
	if len(rest) < 3 {
		return "", errors.New("msk: OAUTHBEARER message has no auth value")
	}
	var token string
	found := false
	for _, kv := range bytes.Split(rest[1:len(rest)-2], []byte{0x01}) {
		v, ok := bytes.CutPrefix(kv, []byte("auth="))
		if !ok {
			continue
		}
		if found {
			return "", errors.New("msk: OAUTHBEARER message has more than one auth value")
		}
		scheme, tok, ok := bytes.Cut(v, []byte(" "))
		if !ok || !strings.EqualFold(string(scheme), "Bearer") || len(tok) == 0 {
			return "", errors.New(`msk: OAUTHBEARER auth value is not "Bearer <token>"`)
		}
		token, found = string(tok), true
	}
	if !found {
		return "", errors.New("msk: OAUTHBEARER message has no auth value")
	}
	return token, nil
}

// oauthBearerMessage builds the RFC 7628 client-first message for token.
func oauthBearerMessage(token string) []byte {
	b := make([]byte, 0, len(token)+20)
	b = append(b, "n,,\x01auth=Bearer "...)
	b = append(b, token...)
	return append(b, 0x01, 0x01)
}

func tokenError(reason string) error {
	return fmt.Errorf("msk: invalid MSK IAM token: %s", reason)
}

// tokenUserAgent is the User-Agent query parameter of tokens this package presigns itself, in
// the signer's "<lib>/<version>/<go version>" shape.
var tokenUserAgent = "datablocks-msk/1/" + runtime.Version()

// presignToken signs the MSK IAM token with aws/signer/v4 exactly as aws-msk-iam-sasl-signer-go
// does, but for any host and lifetime and at a given signing time: GET https://host/ with
// Action and X-Amz-Expires in the query, the empty payload hash, signing name kafka-cluster,
// then User-Agent appended and the URL base64url-encoded without padding.
func presignToken(ctx context.Context, signer *v4.Signer, creds aws.Credentials, host, region string, lifetime time.Duration, now time.Time) (string, time.Time, error) {
	secs := int64(lifetime / time.Second)
	q := url.Values{"Action": {tokenAction}, "X-Amz-Expires": {strconv.FormatInt(secs, 10)}}
	u := url.URL{Scheme: "https", Host: host, Path: "/", RawQuery: q.Encode()}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("msk: building the MSK IAM token request for host %q: %w", host, err)
	}
	signed, _, err := signer.PresignHTTP(ctx, creds, req, emptyPayloadHash, tokenSigningName, region, now.UTC())
	if err != nil {
		return "", time.Time{}, fmt.Errorf("msk: presigning the MSK IAM token: %w", err)
	}
	su, err := url.Parse(signed)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("msk: presigned MSK IAM token URL does not parse: %w", err)
	}
	sq := su.Query()
	sq.Set("User-Agent", tokenUserAgent)
	su.RawQuery = sq.Encode()
	signedAt := now.UTC().Truncate(time.Second)
	return base64.RawURLEncoding.EncodeToString([]byte(su.String())), signedAt.Add(time.Duration(secs) * time.Second), nil
}

// String prints the token's non-secret fields: its session token and signature are bearer
// material for its lifetime (with them, anyone can rebuild the token).
func (t tokenFields) String() string {
	return fmt.Sprintf("msk.token{Host: %q, Action: %q, AccessKeyID: %q, Region: %q, SignedAt: %s, Expires: %s, SessionToken: %s, Signature: %s}",
		t.Host, t.Action, t.AccessKeyID, t.Region, t.SignedAt.Format(time.RFC3339), t.Expires.Format(time.RFC3339),
		redacted(t.SessionToken), redacted(t.Signature))
}

// GoString is String, so %#v redacts too.
func (t tokenFields) GoString() string { return t.String() }

// Format makes every verb (%v, %+v, %#v, %s, %q) print String.
func (t tokenFields) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, t.String()) }

// LogValue logs the non-secret fields.
func (t tokenFields) LogValue() slog.Value {
	return slog.GroupValue(slog.String("host", t.Host), slog.String("access_key_id", t.AccessKeyID),
		slog.String("region", t.Region), slog.Time("expires", t.Expires))
}

func redacted(s string) string {
	if s == "" {
		return `""`
	}
	return "[REDACTED]"
}
