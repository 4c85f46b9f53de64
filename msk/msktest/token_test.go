package msktest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	fsaws "github.com/twmb/franz-go/pkg/sasl/aws"
)

// The tokens in these tests are presigned with the AWS SDK's SigV4 signer (the reference
// implementation), never with package msk, so the verifier is checked against AWS's
// reading of the rules.

var verifyNow = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

type presign struct {
	action, host, service, region, akid, secret, session string
	at                                                   time.Time
	expires                                              int
	extraHeader                                          bool   // sign a header besides host
	extraQuery                                           string // a parameter added after signing
	extraSigned                                          string // a parameter added before signing
}

func goodPresign() presign {
	return presign{
		action: "kafka-cluster:Connect", host: "kafka.eu-west-1.amazonaws.com", service: "kafka-cluster",
		region: "eu-west-1", akid: "AKIDGOOD", secret: "good-secret", at: verifyNow.Add(-time.Minute), expires: 900,
	}
}

func (p presign) url(t testing.TB) string {
	t.Helper()
	q := url.Values{"Action": {p.action}, "X-Amz-Expires": {strconv.Itoa(p.expires)}}
	if p.extraSigned != "" {
		q.Set(p.extraSigned, "1")
	}
	u := url.URL{Scheme: "https", Host: p.host, Path: "/", RawQuery: q.Encode()}
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.extraHeader {
		req.Header.Set("X-Extra", "1")
	}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: p.akid, SecretAccessKey: p.secret, SessionToken: p.session}, req,
		emptyPayloadHash, p.service, p.region, p.at)
	if err != nil {
		t.Fatal(err)
	}
	signed += "&User-Agent=test%2F1"
	if p.extraQuery != "" {
		signed += "&" + p.extraQuery
	}
	return signed
}

func (p presign) message(t testing.TB) []byte {
	return []byte("n,,\x01auth=Bearer " + base64.RawURLEncoding.EncodeToString([]byte(p.url(t))) + "\x01\x01")
}

func newVerifier() *tokenVerifier {
	keys := map[string]string{"AKIDGOOD": "good-secret"}
	return &tokenVerifier{region: "eu-west-1", host: serviceHost("eu-west-1"), skew: 5 * time.Minute,
		lookup: func(id string) (string, bool) { s, ok := keys[id]; return s, ok }}
}

func TestVerifyOAuthBearer(t *testing.T) {
	v := newVerifier()
	mod := func(f func(*presign)) presign { p := goodPresign(); f(&p); return p }
	good := goodPresign()
	if tok, err := v.verifyOAuthBearer(good.message(t), verifyNow); err != nil {
		t.Fatalf("good token refused: %v", err)
	} else if want := good.at.Truncate(time.Second).Add(900 * time.Second); !tok.expires.Equal(want) || tok.accessKeyID != "AKIDGOOD" {
		t.Errorf("verified token = %+v, want AKIDGOOD expiring %s", tok, want)
	}
	withSession := mod(func(p *presign) { p.session = "FQoGZXIvYXdzEJr//session+token=" })
	if _, err := v.verifyOAuthBearer(withSession.message(t), verifyNow); err != nil {
		t.Errorf("token with a session token refused: %v", err)
	}
	for _, tc := range []struct {
		name string
		p    presign
		want string
	}{
		{"extra unsigned query parameter", mod(func(p *presign) { p.extraQuery = "X-Amz-Foo=1" }), `query parameter "X-Amz-Foo"`},
		{"extra signed query parameter", mod(func(p *presign) { p.extraSigned = "Version" }), `query parameter "Version"`},
		{"expires over 900", mod(func(p *presign) { p.expires = 901 }), "X-Amz-Expires"},
		{"expires 7 days", mod(func(p *presign) { p.expires = 604800 }), "X-Amz-Expires"},
		{"signed headers differ", mod(func(p *presign) { p.extraHeader = true }), "signs headers"},
		{"wrong action", mod(func(p *presign) { p.action = "kafka-cluster:ReadData" }), "action"},
		{"wrong service", mod(func(p *presign) { p.service = "kafka" }), "service"},
		{"wrong region", mod(func(p *presign) { p.region = "us-east-1" }), "region"},
		{"wrong host", mod(func(p *presign) { p.host = "kafka.us-east-1.amazonaws.com" }), "host"},
		{"unknown key", mod(func(p *presign) { p.akid = "AKIDOTHER" }), "not registered"},
		{"wrong secret", mod(func(p *presign) { p.secret = "other" }), "signature does not match"},
		{"expired", mod(func(p *presign) { p.at = verifyNow.Add(-901 * time.Second) }), "expired"},
		{"future", mod(func(p *presign) { p.at = verifyNow.Add(6 * time.Minute) }), "future"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.verifyOAuthBearer(tc.p.message(t), verifyNow)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), tc.p.secret) {
				t.Errorf("error quotes the secret: %v", err)
			}
		})
	}
	// A parameter altered after signing.
	tampered := strings.Replace(good.url(t), "X-Amz-Expires=900", "X-Amz-Expires=899", 1)
	msg := []byte("n,,\x01auth=Bearer " + base64.RawURLEncoding.EncodeToString([]byte(tampered)) + "\x01\x01")
	if _, err := v.verifyOAuthBearer(msg, verifyNow); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Errorf("tampered token: %v", err)
	}
	for _, bad := range []string{"", "n,,auth=Bearer x", "y,,\x01auth=Bearer x\x01\x01", "n,,\x01auth=Basic x\x01\x01", "n,,\x01auth=Bearer !!\x01\x01"} {
		if _, err := v.verifyOAuthBearer([]byte(bad), verifyNow); err == nil {
			t.Errorf("message %q accepted", bad)
		}
	}
}

func TestVerifyMSKIAMFromFranzGo(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-west-1") // franz-go takes the region from the host, else from here
	v := newVerifier()
	mech := fsaws.Auth{AccessKey: "AKIDGOOD", SecretKey: "good-secret"}.AsManagedStreamingIAMMechanism()
	_, payload, err := mech.Authenticate(context.Background(), "127.0.0.1:9098")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now() // franz-go signs at the system time
	if _, err := v.verifyMSKIAM(payload, "127.0.0.1", now); err != nil {
		t.Fatalf("franz-go AWS_MSK_IAM payload refused: %v", err)
	}
	if _, err := v.verifyMSKIAM(payload, "127.0.0.2", now); err == nil || !strings.Contains(err.Error(), "host") {
		t.Errorf("payload for another broker: %v", err)
	}
	var kv map[string]string
	if err := json.Unmarshal(payload, &kv); err != nil {
		t.Fatal(err)
	}
	kv["x-amz-expires"] = "299"
	altered, _ := json.Marshal(kv)
	if _, err := v.verifyMSKIAM(altered, "127.0.0.1", now); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Errorf("altered payload: %v", err)
	}
	kv["x-amz-expires"] = "300"
	kv["x-amz-foo"] = "1"
	extra, _ := json.Marshal(kv)
	if _, err := v.verifyMSKIAM(extra, "127.0.0.1", now); err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Errorf("payload with an extra key: %v", err)
	}
	bad := fsaws.Auth{AccessKey: "AKIDGOOD", SecretKey: "wrong"}.AsManagedStreamingIAMMechanism()
	_, payload, _ = bad.Authenticate(context.Background(), "127.0.0.1:9098")
	if _, err := v.verifyMSKIAM(payload, "127.0.0.1", now); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Errorf("payload signed with a wrong secret: %v", err)
	}
}

// FuzzVerifyOAuthBearer: the verifier never panics, is bounded, and accepts nothing but the
// one genuine token (with or without its unsigned User-Agent).
func FuzzVerifyOAuthBearer(f *testing.F) {
	good := goodPresign().message(f)
	f.Add(good)
	f.Add(good[:len(good)-3])
	f.Add([]byte(strings.ToUpper(string(good))))
	f.Add([]byte{})
	v := newVerifier()
	f.Fuzz(func(t *testing.T, msg []byte) {
		tok, err := v.verifyOAuthBearer(msg, verifyNow)
		if err != nil {
			return
		}
		if tok.accessKeyID != "AKIDGOOD" {
			t.Fatalf("verified a token of %q", tok.accessKeyID)
		}
	})
}

// FuzzVerifyMSKIAM: the AWS_MSK_IAM verifier never panics on any payload.
func FuzzVerifyMSKIAM(f *testing.F) {
	f.Add([]byte(`{"version":"2020_10_22","host":"127.0.0.1"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	v := newVerifier()
	f.Fuzz(func(t *testing.T, msg []byte) {
		_, _ = v.verifyMSKIAM(msg, "127.0.0.1", verifyNow)
	})
}
