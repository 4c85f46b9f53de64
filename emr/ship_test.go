package emr_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

func TestShipPySparkIsContentAddressed(t *testing.T) {
	ctx := context.Background()
	store := emrtest.NewS3()
	shipper := emr.NewShipper(store)
	main := []byte("from pyspark.sql import SparkSession\n")
	venv := []byte("pretend this is a venv-pack tarball")
	app := func() emr.PySparkApp {
		return emr.PySparkApp{
			Bucket: "code", Prefix: "/apps/etl/",
			EntryPoint: emr.Object{Name: "main.py", Body: bytes.NewReader(main)},
			Venv:       emr.Object{Name: "pyspark_venv.tar.gz", Body: bytes.NewReader(venv)},
			Runtime:    emr.RuntimeServerless,
		}
	}
	got, err := shipper.ShipPySpark(ctx, app())
	if err != nil {
		t.Fatal(err)
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	wantEntry := "s3://code/apps/etl/" + sum(main) + "/main.py"
	wantVenv := "s3://code/apps/etl/" + sum(venv) + "/pyspark_venv.tar.gz"
	if got.EntryPointURI != wantEntry || got.ArchiveURI != wantVenv || got.Uploaded != 2 {
		t.Errorf("first ship: %+v", got)
	}
	if b, ok := store.Object("code", "apps/etl/"+sum(venv)+"/pyspark_venv.tar.gz"); !ok || !bytes.Equal(b, venv) {
		t.Errorf("venv not stored as sent")
	}
	params, err := got.Spark.SubmitParameters()
	if err != nil {
		t.Fatal(err)
	}
	if got.Spark.EntryPoint != wantEntry || !strings.Contains(params, "spark.archives="+wantVenv+"#environment") {
		t.Errorf("preset: entry %s, params %s", got.Spark.EntryPoint, params)
	}

	// Same bytes again: HeadObject only.
	again, err := shipper.ShipPySpark(ctx, app())
	if err != nil {
		t.Fatal(err)
	}
	if again.Uploaded != 0 || again.EntryPointURI != wantEntry {
		t.Errorf("second ship: %+v", again)
	}
	if n := store.Count("PutObject"); n != 2 {
		t.Errorf("%d PutObject calls, want 2 (none on the second ship)", n)
	}
	if in := store.Calls()[1].Input.(*s3.PutObjectInput); aws.ToInt64(in.ContentLength) != int64(len(main)) {
		t.Errorf("ContentLength %d", aws.ToInt64(in.ContentLength))
	}

	// New bytes, new key: the old object stays for jobs still reading it.
	changed := app()
	changed.EntryPoint.Body = bytes.NewReader([]byte("print('v2')\n"))
	v2, err := shipper.ShipPySpark(ctx, changed)
	if err != nil {
		t.Fatal(err)
	}
	if _, old := store.Object("code", strings.TrimPrefix(wantEntry, "s3://code/")); v2.EntryPointURI == wantEntry || v2.Uploaded != 1 || store.Count("PutObject") != 3 || !old {
		t.Errorf("changed ship: %+v, %d PutObject calls, old entry point kept %v", v2, store.Count("PutObject"), old)
	}
}

func TestShipErrors(t *testing.T) {
	ctx := context.Background()
	store := emrtest.NewS3()
	shipper := emr.NewShipper(store)
	if _, _, err := shipper.Upload(ctx, "code", "p", emr.Object{Name: "a b.py", Body: bytes.NewReader(nil)}); err == nil {
		t.Error("name with a space accepted")
	}
	if _, err := shipper.ShipPySpark(ctx, emr.PySparkApp{Bucket: "code"}); err == nil || !strings.Contains(err.Error(), "Runtime") {
		t.Errorf("missing runtime: %v", err)
	}
	denied := errors.New("AccessDenied")
	store.FailNext("HeadObject", denied)
	if _, _, err := shipper.Upload(ctx, "code", "p", emr.Object{Name: "a.py", Body: bytes.NewReader([]byte("x"))}); !errors.Is(err, denied) {
		t.Errorf("HeadObject error not returned: %v", err)
	}
	if n := store.Count("PutObject"); n != 0 {
		t.Errorf("uploaded despite a failed HeadObject")
	}
}
