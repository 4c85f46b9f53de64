package emr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Shipper uploads Spark application files to S3 under content-addressed keys,
// <prefix>/<sha256 of the bytes>/<name>, so uploading the same bytes again is a HeadObject and
// nothing more, and a new version never overwrites an old one that running jobs still read.
// It is safe for concurrent use.
type Shipper struct {
	client UploadAPIClient
	opts   Options
}

// NewShipper returns a Shipper calling client (an *s3.Client or a fake).
func NewShipper(client UploadAPIClient, optFns ...func(*Options)) *Shipper {
	return &Shipper{client: client, opts: configure(Options{}, optFns)}
}

// Object is one file to ship.
type Object struct {
	// Name is the file name kept at the end of the key (e.g. main.py, pyspark_venv.tar.gz).
	Name string
	// Body is the content. It is read twice (to hash, then to upload), hence a ReadSeeker.
	Body io.ReadSeeker
}

// Upload stores obj at s3://bucket/prefix/<sha256>/<name> unless an object is already there,
// and returns the URI and whether it uploaded.
func (s *Shipper) Upload(ctx context.Context, bucket, prefix string, obj Object, optFns ...func(*Options)) (uri string, uploaded bool, err error) {
	o := configure(s.opts, optFns)
	switch {
	case bucket == "":
		return "", false, errMissing("bucket")
	case obj.Name == "" || strings.Contains(obj.Name, "/") || hasSpace(obj.Name) || strings.ContainsAny(obj.Name, "#,"):
		return "", false, fmt.Errorf("emr: Object.Name %q must be a file name without '/', '#', ',' or white space", obj.Name)
	case obj.Body == nil:
		return "", false, errMissing("Object.Body")
	}
	h := sha256.New()
	size, err := io.Copy(h, obj.Body)
	if err != nil {
		return "", false, fmt.Errorf("emr: reading %s: %w", obj.Name, err)
	}
	if _, err := obj.Body.Seek(0, io.SeekStart); err != nil {
		return "", false, fmt.Errorf("emr: rewinding %s: %w", obj.Name, err)
	}
	key := path.Join(strings.Trim(prefix, "/"), hex.EncodeToString(h.Sum(nil)), obj.Name)
	uri = "s3://" + bucket + "/" + key
	_, err = s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}, o.S3ClientOptions...)
	switch {
	case err == nil:
		if o.Logger != nil {
			o.Logger.Info("emr: already shipped", "uri", uri)
		}
		return uri, false, nil
	case !isNotFound(err):
		return "", false, fmt.Errorf("emr: checking %s: %w", uri, err)
	}
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(bucket),
		Key:           aws.String(key),
		Body:          obj.Body,
		ContentLength: aws.Int64(size),
	}, o.S3ClientOptions...)
	if err != nil {
		return "", false, fmt.Errorf("emr: uploading %s: %w", uri, err)
	}
	if o.Logger != nil {
		o.Logger.Info("emr: shipped", "uri", uri, "bytes", size)
	}
	return uri, true, nil
}

// isNotFound reports a HeadObject miss: the typed NotFound, a NoSuchKey, or a bare 404.
func isNotFound(err error) bool {
	var nf *types.NotFound
	var nk *types.NoSuchKey
	if errors.As(err, &nf) || errors.As(err, &nk) {
		return true
	}
	var re *smithyhttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}
