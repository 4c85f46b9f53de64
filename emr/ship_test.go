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

func TestUploadIsContentAddressed(t *testing.T) {
	ctx := context.Background()
	store := emrtest.NewS3()
	shipper := emr.NewShipper(store)
	main := []byte("from pyspark.sql import SparkSession\n")
	venv := []byte("pretend this is a venv-pack tarball")
	upload := func(name string, b []byte) (string, bool) {
		t.Helper()
		uri, uploaded, err := shipper.Upload(ctx, "code", "/apps/etl/", emr.Object{Name: name, Body: bytes.NewReader(b)})
		if err != nil {
			t.Fatal(err)
		}
		return uri, uploaded
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	wantEntry := "s3://code/apps/etl/" + sum(main) + "/main.py"
	wantVenv := "s3://code/apps/etl/" + sum(venv) + "/pyspark_venv.tar.gz"
	entry, up1 := upload("main.py", main)
	archive, up2 := upload("pyspark_venv.tar.gz", venv)
	if entry != wantEntry || archive != wantVenv || !up1 || !up2 {
		t.Errorf("first upload: %s %v, %s %v", entry, up1, archive, up2)
	}
	if b, ok := store.Object("code", "apps/etl/"+sum(venv)+"/pyspark_venv.tar.gz"); !ok || !bytes.Equal(b, venv) {
		t.Errorf("venv not stored as sent")
	}
	params, err := emr.SparkSubmit{EntryPoint: entry}.WithPySparkVenv(emr.RuntimeServerless, archive).SubmitParameters()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(params, "spark.archives="+wantVenv+"#environment") {
		t.Errorf("preset: params %s", params)
	}

	// Same bytes again: HeadObject only.
	if again, up := upload("main.py", main); up || again != wantEntry {
		t.Errorf("second upload: %s %v", again, up)
	}
	if n := store.Count("PutObject"); n != 2 {
		t.Errorf("%d PutObject calls, want 2 (none on the second upload)", n)
	}
	if in := store.Calls()[1].Input.(*s3.PutObjectInput); aws.ToInt64(in.ContentLength) != int64(len(main)) {
		t.Errorf("ContentLength %d", aws.ToInt64(in.ContentLength))
	}

	// New bytes, new key: the old object stays for jobs still reading it.
	v2, up := upload("main.py", []byte("print('v2')\n"))
	if _, old := store.Object("code", strings.TrimPrefix(wantEntry, "s3://code/")); v2 == wantEntry || !up || store.Count("PutObject") != 3 || !old {
		t.Errorf("changed upload: %s %v, %d PutObject calls, old entry point kept %v", v2, up, store.Count("PutObject"), old)
	}
}

func TestShipErrors(t *testing.T) {
	ctx := context.Background()
	store := emrtest.NewS3()
	shipper := emr.NewShipper(store)
	if _, _, err := shipper.Upload(ctx, "code", "p", emr.Object{Name: "a b.py", Body: bytes.NewReader(nil)}); err == nil {
		t.Error("name with a space accepted")
	}
	if _, _, err := shipper.Upload(ctx, "", "p", emr.Object{Name: "a.py", Body: bytes.NewReader(nil)}); err == nil || !strings.Contains(err.Error(), "bucket is required") {
		t.Errorf("missing bucket: %v", err)
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
