package emrtest_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

func TestS3HeadPut(t *testing.T) {
	ctx := context.Background()
	put := time.Date(2026, 3, 1, 12, 0, 0, 500_000_000, time.UTC)
	f := emrtest.NewS3(func(o *emrtest.Options) { o.Clock = datablocks.NewManualClock(put) })
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
		t.Fatalf("HeadObject = %+v, %v", out, err)
	}
	// S3 reports LastModified to the second.
	if want := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC); !aws.ToTime(out.LastModified).Equal(want) {
		t.Errorf("LastModified = %v, want %v", aws.ToTime(out.LastModified), want)
	}
	if b, ok := f.Object("b", "k"); !ok || string(b) != "hello" {
		t.Errorf("Object = %q, %v", b, ok)
	}
}
