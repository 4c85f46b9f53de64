package msktest

import (
	"context"
	"crypto/hmac"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/msk"
)

// emptyPayloadHash is hex(sha256("")), the payload hash of the presigned GET.
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// TokenVerifier checks MSK IAM tokens as the local cluster does. The zero value is not
// usable; build one with NewTokenVerifier. It is safe for concurrent use.
type TokenVerifier struct {
	region string
	host   string
	skew   time.Duration
	lookup func(accessKeyID string) (secret string, ok bool)
	signer *v4.Signer
}

// NewTokenVerifier returns a verifier for tokens signed for region with the secret keys
// lookup returns, accepting tokens signed up to skew in the future.
func NewTokenVerifier(region string, skew time.Duration, lookup func(accessKeyID string) (secret string, ok bool)) *TokenVerifier {
	return &TokenVerifier{
		region: region,
		host:   datablocks.PartitionForRegion(region).ServiceHost("kafka", region),
		skew:   skew,
		lookup: lookup,
		signer: v4.NewSigner(),
	}
}

// Verify decodes token and checks, in order: its shape (msk.ParseToken), the action
// kafka-cluster:Connect, the signing name, the region and host, that the access key is
// known, that the token is not signed in the future (beyond the skew) nor expired at now,
// and the SigV4 presign signature, recomputed with the registered secret key. The error
// message says which check failed and never contains the token or a secret.
func (v *TokenVerifier) Verify(ctx context.Context, token string, now time.Time) (*msk.Token, error) {
	t, err := msk.ParseToken(token)
	if err != nil {
		return nil, err
	}
	switch {
	case t.Action != msk.TokenAction:
		return nil, fmt.Errorf("msktest: MSK IAM token action %q is not %s", t.Action, msk.TokenAction)
	case t.Service != msk.TokenSigningName:
		return nil, fmt.Errorf("msktest: MSK IAM token is signed for service %q, not %s", t.Service, msk.TokenSigningName)
	case t.Region != v.region:
		return nil, fmt.Errorf("msktest: MSK IAM token is signed for region %q, but the cluster is in %s", t.Region, v.region)
	case t.Host != v.host:
		return nil, fmt.Errorf("msktest: MSK IAM token is signed for host %q, not %s", t.Host, v.host)
	case t.SignedHeaders != "host":
		return nil, fmt.Errorf("msktest: MSK IAM token signs headers %q, not host", t.SignedHeaders)
	}
	secret, ok := v.lookup(t.AccessKeyID)
	if !ok {
		return nil, fmt.Errorf("msktest: MSK IAM token access key %s is not registered with the cluster", t.AccessKeyID)
	}
	if t.SignedAt.After(now.Add(v.skew)) {
		return nil, fmt.Errorf("msktest: MSK IAM token is signed at %s, in the future", t.SignedAt.Format(time.RFC3339))
	}
	if !now.Before(t.Expires) {
		return nil, fmt.Errorf("msktest: MSK IAM token expired at %s", t.Expires.Format(time.RFC3339))
	}
	q := url.Values{"Action": {t.Action}, "X-Amz-Expires": {fmt.Sprint(int64(t.Lifetime / time.Second))}}
	u := url.URL{Scheme: "https", Host: t.Host, Path: "/", RawQuery: q.Encode()}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("msktest: MSK IAM token: rebuilding the request: %w", err)
	}
	creds := aws.Credentials{AccessKeyID: t.AccessKeyID, SecretAccessKey: secret, SessionToken: t.SessionToken}
	signed, _, err := v.signer.PresignHTTP(ctx, creds, req, emptyPayloadHash, msk.TokenSigningName, t.Region, t.SignedAt)
	if err != nil {
		return nil, fmt.Errorf("msktest: MSK IAM token: re-signing: %w", err)
	}
	su, err := url.Parse(signed)
	if err != nil {
		return nil, fmt.Errorf("msktest: MSK IAM token: re-signed URL: %w", err)
	}
	if !hmac.Equal([]byte(su.Query().Get("X-Amz-Signature")), []byte(t.Signature)) {
		return nil, fmt.Errorf("msktest: MSK IAM token signature does not match for access key %s (wrong secret key or altered token)", t.AccessKeyID)
	}
	return t, nil
}
