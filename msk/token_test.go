package msk

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/datablocks-go/datablocks"
)

var signTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// sigv4Token signs a token at signTime with SignerSigV4.
func sigv4Token(t testing.TB, region, akid, secret, session string) string {
	t.Helper()
	cfg := aws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider(akid, secret, session)}
	m, err := NewIAMMechanism(cfg, func(o *Options) {
		o.signer = signerSigV4
		o.clock = datablocks.NewManualClock(signTime)
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := m.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// expectedSignature computes the SigV4 query-string signature of the token request from the
// AWS Signature Version 4 specification, independently of aws/signer/v4.
func expectedSignature(host, region, akid, secret, session string, at time.Time, expires string) string {
	date, stamp := at.Format("20060102"), at.Format("20060102T150405Z")
	scope := date + "/" + region + "/kafka-cluster/aws4_request"
	params := []string{
		"Action=" + url.QueryEscape("kafka-cluster:Connect"),
		"X-Amz-Algorithm=AWS4-HMAC-SHA256",
		"X-Amz-Credential=" + url.QueryEscape(akid+"/"+scope),
		"X-Amz-Date=" + stamp,
		"X-Amz-Expires=" + expires,
	}
	if session != "" {
		params = append(params, "X-Amz-Security-Token="+url.QueryEscape(session))
	}
	params = append(params, "X-Amz-SignedHeaders=host")
	canonical := strings.Join([]string{
		"GET", "/", strings.Join(params, "&"),
		"host:" + host + "\n", "host",
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	mac := func(key []byte, s string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(s))
		return h.Sum(nil)
	}
	key := mac(mac(mac(mac([]byte("AWS4"+secret), date), region), "kafka-cluster"), "aws4_request")
	return hex.EncodeToString(mac(key, toSign))
}

func TestParseTokenSigV4(t *testing.T) {
	for _, tc := range []struct {
		region, host, session string
	}{
		{"eu-west-1", "kafka.eu-west-1.amazonaws.com", ""},
		{"eu-west-1", "kafka.eu-west-1.amazonaws.com", "FwoGZXIvYXdzEXAMPLE/session+token="},
		{"cn-north-1", "kafka.cn-north-1.amazonaws.com.cn", ""},
		{"us-gov-west-1", "kafka.us-gov-west-1.amazonaws.com", ""},
	} {
		tok := sigv4Token(t, tc.region, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", tc.session)
		got, err := parseToken(tok)
		if err != nil {
			t.Fatal(err)
		}
		want := tokenFields{
			Host: tc.host, Action: "kafka-cluster:Connect",
			AccessKeyID: "AKIDEXAMPLE", Date: "20260102", Region: tc.region, Service: "kafka-cluster",
			SessionToken: tc.session, SignedAt: signTime, Lifetime: 15 * time.Minute, SignedHeaders: "host",
			Signature: expectedSignature(tc.host, tc.region, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", tc.session, signTime, "900"),
			UserAgent: got.UserAgent, Expires: signTime.Add(15 * time.Minute),
		}
		if *got != want {
			t.Errorf("%s: ParseToken =\n%+v\nwant\n%+v", tc.region, *got, want)
		}
		if !strings.HasPrefix(got.UserAgent, "datablocks-msk/") {
			t.Errorf("UserAgent = %q", got.UserAgent)
		}
		if strings.Contains(tok, "=") {
			t.Errorf("token %q is padded", tok)
		}
	}
}

func encodeURL(u string) string { return base64.RawURLEncoding.EncodeToString([]byte(u)) }

func TestParseTokenRejects(t *testing.T) {
	good, err := base64.RawURLEncoding.DecodeString(sigv4Token(t, "eu-west-1", "AKID", "secret", ""))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(string(good))
	with := func(fn func(q url.Values)) string {
		q := u.Query()
		fn(q)
		v := *u
		v.RawQuery = q.Encode()
		return encodeURL(v.String())
	}
	cases := map[string]string{
		"empty":              "",
		"not base64":         "!!!",
		"padded":             base64.URLEncoding.EncodeToString(good[:len(good)-1]),
		"http":               encodeURL(strings.Replace(string(good), "https://", "http://", 1)),
		"path":               encodeURL(strings.Replace(string(good), ".com/?", ".com/x?", 1)),
		"port":               encodeURL(strings.Replace(string(good), ".com/?", ".com:443/?", 1)),
		"no action":          with(func(q url.Values) { q.Del("Action") }),
		"two actions":        with(func(q url.Values) { q.Add("Action", "kafka-cluster:Connect") }),
		"algorithm":          with(func(q url.Values) { q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA1") }),
		"credential parts":   with(func(q url.Values) { q.Set("X-Amz-Credential", "AKID/20260102/eu-west-1/kafka-cluster") }),
		"credential suffix":  with(func(q url.Values) { q.Set("X-Amz-Credential", "AKID/20260102/eu-west-1/kafka-cluster/aws5_request") }),
		"credential empty":   with(func(q url.Values) { q.Set("X-Amz-Credential", "/20260102/eu-west-1/kafka-cluster/aws4_request") }),
		"date format":        with(func(q url.Values) { q.Set("X-Amz-Date", "2026-01-02T03:04:05Z") }),
		"date mismatch":      with(func(q url.Values) { q.Set("X-Amz-Date", "20260103T030405Z") }),
		"expires zero":       with(func(q url.Values) { q.Set("X-Amz-Expires", "0") }),
		"expires text":       with(func(q url.Values) { q.Set("X-Amz-Expires", "15m") }),
		"expires leading 0":  with(func(q url.Values) { q.Set("X-Amz-Expires", "0900") }),
		"expires > 7 days":   with(func(q url.Values) { q.Set("X-Amz-Expires", "604801") }),
		"signature short":    with(func(q url.Values) { q.Set("X-Amz-Signature", "abc") }),
		"signature upper":    with(func(q url.Values) { q.Set("X-Amz-Signature", strings.ToUpper(q.Get("X-Amz-Signature"))) }),
		"signature not hex":  with(func(q url.Values) { q.Set("X-Amz-Signature", strings.Repeat("g", 64)) }),
		"no signed headers":  with(func(q url.Values) { q.Del("X-Amz-SignedHeaders") }),
		"too long":           strings.Repeat("A", 20000),
		"two session tokens": with(func(q url.Values) { q.Add("X-Amz-Security-Token", "a"); q.Add("X-Amz-Security-Token", "b") }),
	}
	for name, tok := range cases {
		if _, err := parseToken(tok); err == nil {
			t.Errorf("%s: ParseToken accepted it", name)
		} else if !strings.HasPrefix(err.Error(), "msk: invalid MSK IAM token: ") {
			t.Errorf("%s: error %q", name, err)
		}
	}
}

func TestParseOAuthBearer(t *testing.T) {
	ok := map[string]string{
		"n,,\x01auth=Bearer abc\x01\x01":                        "abc",
		"n,a=user@example.com,\x01auth=Bearer abc\x01\x01":      "abc",
		"n,,\x01host=b-1\x01port=9098\x01auth=bearer x\x01\x01": "x",
	}
	for msg, want := range ok {
		got, err := parseOAuthBearer([]byte(msg))
		if err != nil || got != want {
			t.Errorf("ParseOAuthBearer(%q) = %q, %v; want %q", msg, got, err, want)
		}
	}
	for _, msg := range []string{
		"", "y,,\x01auth=Bearer abc\x01\x01", "n,\x01auth=Bearer abc\x01\x01", "n,x=y,\x01auth=Bearer abc\x01\x01",
		"n,,auth=Bearer abc\x01\x01", "n,,\x01auth=Bearer abc\x01", "n,,\x01\x01", "n,,\x01auth=Basic abc\x01\x01",
		"n,,\x01auth=Bearer \x01\x01", "n,,\x01auth=Bearer a\x01auth=Bearer b\x01\x01",
	} {
		if _, err := parseOAuthBearer([]byte(msg)); err == nil {
			t.Errorf("ParseOAuthBearer(%q) accepted it", msg)
		}
	}
}

// FuzzDecodeToken feeds arbitrary tokens and SASL messages to the decoders: they must not
// panic, and what they accept must be consistent.
func FuzzDecodeToken(f *testing.F) {
	good := sigv4Token(f, "eu-west-1", "AKID", "secret", "session")
	f.Add(good)
	f.Add("n,,\x01auth=Bearer " + good + "\x01\x01")
	f.Add(encodeURL("https://kafka.eu-west-1.amazonaws.com/?Action=kafka-cluster%3AConnect"))
	f.Add(encodeURL("https://h/?X-Amz-Date=20260102T030405Z&X-Amz-Date=20260102T030405Z"))
	f.Add("")
	f.Add("n,a=,\x01\x01\x01")
	f.Fuzz(func(t *testing.T, s string) {
		if tok, err := parseToken(s); err == nil {
			if tok.Lifetime <= 0 || !tok.Expires.Equal(tok.SignedAt.Add(tok.Lifetime)) {
				t.Fatalf("inconsistent expiry: %+v", tok)
			}
			if len(tok.Signature) != 64 || tok.Host == "" || tok.AccessKeyID == "" {
				t.Fatalf("accepted incomplete token: %+v", tok)
			}
			if tok.SignedAt.Format("20060102") != tok.Date {
				t.Fatalf("scope date %s, signed at %s", tok.Date, tok.SignedAt)
			}
		} else if strings.Contains(err.Error(), s) && len(s) > 8 {
			t.Fatalf("error %q quotes the token", err)
		}
		if tok, err := parseOAuthBearer([]byte(s)); err == nil {
			if tok == "" || !strings.Contains(s, tok) {
				t.Fatalf("ParseOAuthBearer(%q) = %q", s, tok)
			}
		}
	})
}

// TestTokenNeverPrintsSecrets prints a decoded token and the mechanisms every way a program
// might: no secret of the signed token shows.
func TestTokenNeverPrintsSecrets(t *testing.T) {
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDPRINT", "the-secret-key", "the-session-token")}
	m, err := NewIAMMechanism(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, parsed := signedToken(t, context.Background(), m)
	secrets := []string{"the-secret-key", "the-session-token", parsed.Signature, tok}
	var logged bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	logger.Info("token", "token", parsed, "mech", m)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("token", "token", parsed, "mech", m)
	outputs := map[string]string{"slog": logged.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		outputs[verb+" token"] = fmt.Sprintf(verb, parsed)
		outputs[verb+" *token"] = fmt.Sprintf(verb, *parsed)
		outputs[verb+" mech"] = fmt.Sprintf(verb, m)
	}
	for name, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s prints a secret: %s", name, out)
			}
		}
	}
	if !strings.Contains(outputs["%v token"], "AKIDPRINT") || !strings.Contains(outputs["%v token"], "[REDACTED]") {
		t.Errorf("%%v token = %s; want the access key ID and [REDACTED] secrets", outputs["%v token"])
	}
}
