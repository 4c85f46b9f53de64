package emrtest

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// S3 is a minimal in-memory S3 for emr.Shipper: HeadObject and PutObject on buckets that
// spring into being on first use. It is served in-process only: S3 speaks restXml, which
// package localaws does not, so S3 has no Service method. It is safe for concurrent use.
type S3 struct {
	*fakecontrol.Controls

	clock   datablocks.Clock
	mu      sync.Mutex
	objects map[string]object // "bucket/key"
}

// object is a stored object: its bytes and the time of its last PutObject.
type object struct {
	data     []byte
	modified time.Time
}

// NewS3 returns an empty S3 fake.
// Of its Options, only Clock applies: the LastModified HeadObject reports, to the second as
// S3's is.
func NewS3(optFns ...func(*Options)) *S3 {
	o := newOptions(optFns)
	return &S3{Controls: fakecontrol.New(nil, OpHeadObject, OpPutObject), clock: newClock(o.Clock), objects: map[string]object{}}
}

// Clock returns the fake's clock.
func (f *S3) Clock() datablocks.Clock { return f.clock }

// Object returns the bytes stored at s3://bucket/key.
func (f *S3) Object(bucket, key string) ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	obj, ok := f.objects[bucket+"/"+key]
	return slices.Clone(obj.data), ok
}

// requireBucketKey fails as the SDK's own input validation does, before anything is sent, when
// Bucket or Key is missing.
func requireBucketKey(input string, bucket, key *string) error {
	errs := smithy.InvalidParamsError{Context: input}
	if bucket == nil {
		errs.Add(smithy.NewErrParamRequired("Bucket"))
	}
	if key == nil {
		errs.Add(smithy.NewErrParamRequired("Key"))
	}
	if errs.Len() > 0 {
		return &errs
	}
	return nil
}

func etag(b []byte) *string {
	sum := md5.Sum(b)
	return aws.String(`"` + hex.EncodeToString(sum[:]) + `"`)
}

// HeadObject returns an object's size, ETag and LastModified, or *types.NotFound.
func (f *S3) HeadObject(ctx context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	return do(ctx, f.Controls, OpHeadObject, in, func(in *s3.HeadObjectInput) (*s3.HeadObjectOutput, error) {
		if err := requireBucketKey("HeadObjectInput", in.Bucket, in.Key); err != nil {
			return nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		obj, ok := f.objects[aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key)]
		if !ok {
			return nil, &types.NotFound{Message: aws.String("Not Found")}
		}
		return &s3.HeadObjectOutput{
			ContentLength: aws.Int64(int64(len(obj.data))), ETag: etag(obj.data), LastModified: aws.Time(obj.modified),
		}, nil
	})
}

// PutObject stores the body.
func (f *S3) PutObject(ctx context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	return do(ctx, f.Controls, OpPutObject, in, func(in *s3.PutObjectInput) (*s3.PutObjectOutput, error) {
		if err := requireBucketKey("PutObjectInput", in.Bucket, in.Key); err != nil {
			return nil, err
		}
		var b []byte
		if in.Body != nil {
			var err error
			if b, err = io.ReadAll(in.Body); err != nil {
				return nil, err
			}
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		f.objects[aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key)] = object{data: bytes.Clone(b), modified: f.clock.Now().UTC().Truncate(time.Second)}
		return &s3.PutObjectOutput{ETag: etag(b)}, nil
	})
}
