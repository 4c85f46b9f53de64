package emrtest_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/datablocks-go/datablocks/emr/emrtest"
)

func TestS3HeadPut(t *testing.T) {
	ctx := context.Background()
	f := emrtest.NewS3()
	head := &s3.HeadObjectInput{Bucket: aws.String("b"), Key: aws.String("k")}
	var nf *types.NotFound
	if _, err := f.HeadObject(ctx, head); !errors.As(err, &nf) {
		t.Fatalf("missing object: %v, want *types.NotFound", err)
	}
	if _, err := f.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), Body: bytes.NewReader([]byte("hello"))}); err != nil {
		t.Fatal(err)
	}
	out, err := f.HeadObject(ctx, head)
	// ETag of "hello" is its MD5, 5d41402abc4b2a76b9719d911017c592.
	if err != nil || aws.ToInt64(out.ContentLength) != 5 || aws.ToString(out.ETag) != `"5d41402abc4b2a76b9719d911017c592"` {
		t.Errorf("HeadObject = %+v, %v", out, err)
	}
	if b, ok := f.Object("b", "k"); !ok || string(b) != "hello" {
		t.Errorf("Object = %q, %v", b, ok)
	}
}
