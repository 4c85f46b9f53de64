package msktest_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

var verifyNow = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

// presign builds a token for any action, host, service and region, as a client that got
// something wrong would.
type presign struct {
	action, host, service, region, akid, secret, session string
	at                                                   time.Time
	expires                                              int
}

func goodPresign() presign {
	return presign{
		action: "kafka-cluster:Connect", host: "kafka.eu-west-1.amazonaws.com", service: "kafka-cluster",
		region: "eu-west-1", akid: "AKIDGOOD", secret: "good-secret", at: verifyNow.Add(-time.Minute), expires: 900,
	}
}

func (p presign) token(t testing.TB) string {
	t.Helper()
	q := url.Values{"Action": {p.action}, "X-Amz-Expires": {strconv.Itoa(p.expires)}}
	u := url.URL{Scheme: "https", Host: p.host, Path: "/", RawQuery: q.Encode()}
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: p.akid, SecretAccessKey: p.secret, SessionToken: p.session}, req,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", p.service, p.region, p.at)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(signed + "&User-Agent=test"))
}

func newVerifier() *msktest.TokenVerifier {
	keys := map[string]string{"AKIDGOOD": "good-secret"}
	return msktest.NewTokenVerifier("eu-west-1", 5*time.Minute, func(id string) (string, bool) {
		s, ok := keys[id]
		return s, ok
	})
}

func TestTokenVerifier(t *testing.T) {
	v := newVerifier()
	ctx := context.Background()
	if _, err := v.Verify(ctx, goodPresign().token(t), verifyNow); err != nil {
		t.Fatalf("good token: %v", err)
	}
	withSession := goodPresign()
	withSession.session = "FwoGZXIvYXdzEXAMPLE"
	if _, err := v.Verify(ctx, withSession.token(t), verifyNow); err != nil {
		t.Fatalf("token with a session token: %v", err)
	}
	cases := map[string]struct {
		edit func(*presign)
		now  time.Time
		want string
	}{
		"action":       {func(p *presign) { p.action = "kafka-cluster:DescribeCluster" }, verifyNow, "action"},
		"service":      {func(p *presign) { p.service = "kafka" }, verifyNow, "service"},
		"region":       {func(p *presign) { p.region = "eu-west-2" }, verifyNow, "region"},
		"host":         {func(p *presign) { p.host = "kafka.eu-west-1.amazonaws.com.cn" }, verifyNow, "host"},
		"unknown key":  {func(p *presign) { p.akid = "AKIDOTHER" }, verifyNow, "not registered"},
		"wrong secret": {func(p *presign) { p.secret = "bad-secret" }, verifyNow, "signature does not match"},
		"expired":      {func(*presign) {}, verifyNow.Add(14 * time.Minute), "expired"},
		"future":       {func(p *presign) { p.at = verifyNow.Add(10 * time.Minute) }, verifyNow, "in the future"},
		"short life":   {func(p *presign) { p.expires = 30 }, verifyNow, "expired"},
	}
	for name, tc := range cases {
		p := goodPresign()
		tc.edit(&p)
		_, err := v.Verify(ctx, p.token(t), tc.now)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), p.secret) {
			t.Errorf("%s: error %q contains the secret", name, err)
		}
	}
	// Altering any signed parameter breaks the signature.
	raw, _ := base64.RawURLEncoding.DecodeString(goodPresign().token(t))
	tampered := strings.Replace(string(raw), "X-Amz-Expires=900", "X-Amz-Expires=901", 1)
	if _, err := v.Verify(ctx, base64.RawURLEncoding.EncodeToString([]byte(tampered)), verifyNow); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Errorf("tampered expiry: %v", err)
	}
}

// FuzzVerifyToken: the verifier never panics, and whatever it accepts carries the signed
// parameters of the one genuine token.
func FuzzVerifyToken(f *testing.F) {
	good := goodPresign().token(f)
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add(strings.ToUpper(good))
	f.Add("")
	want, err := msk.ParseToken(good)
	if err != nil {
		f.Fatal(err)
	}
	v := newVerifier()
	f.Fuzz(func(t *testing.T, s string) {
		got, err := v.Verify(context.Background(), s, verifyNow)
		if err != nil {
			return
		}
		if got.Signature != want.Signature || got.Action != want.Action || got.Host != want.Host ||
			got.AccessKeyID != want.AccessKeyID || !got.SignedAt.Equal(want.SignedAt) ||
			got.Lifetime != want.Lifetime || got.Region != want.Region || got.SessionToken != want.SessionToken {
			t.Fatalf("verified a token with different signed parameters: %+v", got)
		}
	})
}
