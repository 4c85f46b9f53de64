package datazone_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	dztypes "github.com/aws/aws-sdk-go-v2/service/datazone/types"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/datazone"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

const registry = "streaming"

type syncEnv struct {
	dz    *datazonetest.Fake
	glue  *gluetest.Fake
	kafka *msktest.ControlPlane
	ssm   *datazonetest.SSM
	index *datazone.SSMAssetIndex
	sync  *datazone.TopicSync
	in    datazone.SyncInput
}

func avroSchema(extra string) string {
	return `{"type":"record","name":"Order","namespace":"acme","fields":[
		{"name":"id","type":"long"},
		{"name":"customer","type":["null","string"],"default":null},
		{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
		{"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"zip","type":"string"}]}}` + extra + `]}`
}

func newSyncEnv(t *testing.T, region string, schemas int) *syncEnv {
	t.Helper()
	ctx := context.Background()
	e := &syncEnv{
		dz:    datazonetest.New(),
		glue:  gluetest.New(func(o *gluetest.Options) { o.PageSize = 2; o.SchemaVersionDelay = -1; o.Region = region }),
		kafka: msktest.NewControlPlane(func(o *msktest.Options) { o.Region = region }),
		ssm:   datazonetest.NewSSM(),
	}
	domain := e.dz.CreateDomain("d")
	project := e.dz.CreateProject(domain, "p")
	if _, err := datazone.NewAssetTypes(e.dz).EnsureAssetType(ctx, datazone.Scope{Domain: domain, Project: project}, datazone.MskTopicAssetType); err != nil {
		t.Fatal(err)
	}
	clusterARN, err := e.kafka.AddCluster(msktest.ClusterSpec{Name: "events", UUID: "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.glue.CreateRegistry(ctx, &awsglue.CreateRegistryInput{RegistryName: aws.String(registry)}); err != nil {
		t.Fatal(err)
	}
	for i := range schemas {
		e.createSchema(t, fmt.Sprintf("topic-%02d", i))
	}
	e.index = datazone.NewSSMAssetIndex(e.ssm, "/datazone/"+domain+"/"+registry)
	e.sync = datazone.NewTopicSync(e.dz, e.glue, e.kafka, e.index)
	e.in = datazone.SyncInput{Domain: domain, Project: project, ClusterARN: clusterARN, RegistryName: registry}
	return e
}

func (e *syncEnv) createSchema(t *testing.T, name string) {
	t.Helper()
	_, err := e.glue.CreateSchema(context.Background(), &awsglue.CreateSchemaInput{
		RegistryId: &gluetypes.RegistryId{RegistryName: aws.String(registry)}, SchemaName: aws.String(name),
		DataFormat: gluetypes.DataFormatAvro, Compatibility: gluetypes.CompatibilityBackward, SchemaDefinition: aws.String(avroSchema("")),
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *syncEnv) writes() int {
	return e.dz.Count(datazonetest.OpCreateAsset) + e.dz.Count(datazonetest.OpCreateAssetRevision) + e.dz.Count(datazonetest.OpDeleteAsset) +
		e.ssm.Count(datazonetest.OpPutParameter) + e.ssm.Count(datazonetest.OpDeleteParameter)
}

func (e *syncEnv) reset() {
	e.dz.ResetCalls()
	e.ssm.ResetCalls()
	e.glue.ResetCalls()
}

func counts(r *datazone.SyncReport) string {
	return fmt.Sprintf("created=%d updated=%d unchanged=%d deleted=%d failed=%d", r.Count(datablocks.Created), r.Count(datablocks.Updated),
		r.Count(datablocks.Unchanged), r.Count(datablocks.Deleted), len(r.Failed()))
}

// The done-when scenario: more than 3 pages of schemas (2 a page) and more than 2 pages of
// stored IDs (10 a page), so an unpaginated reader (D3) would miss some and duplicate or delete.
func TestTopicSyncLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newSyncEnv(t, "eu-west-1", 25)

	r, err := e.sync.Sync(ctx, e.in)
	if err != nil || counts(r) != "created=25 updated=0 unchanged=0 deleted=0 failed=0" {
		t.Fatalf("first sync: %v, %v", counts(r), err)
	}
	if n := len(e.dz.Assets(e.in.Domain)); n != 25 {
		t.Fatalf("%d assets, want 25", n)
	}
	if n := len(e.ssm.Names()); n != 25 {
		t.Fatalf("%d stored IDs, want 25", n)
	}
	if pages := e.glue.Count("ListSchemas"); pages != 13 {
		t.Errorf("ListSchemas pages = %d, want 13 (25 schemas, 2 a page)", pages)
	}

	e.reset()
	r, err = e.sync.Sync(ctx, e.in)
	if err != nil || counts(r) != "created=0 updated=0 unchanged=25 deleted=0 failed=0" || e.writes() != 0 {
		t.Fatalf("re-run: %v, %v, %d writes; want 25 unchanged and no write (D4)", counts(r), err, e.writes())
	}
	if pages := e.ssm.Count(datazonetest.OpGetParametersByPath); pages != 3 {
		t.Errorf("GetParametersByPath pages = %d, want 3 (25 IDs, 10 a page)", pages)
	}

	// One changed schema: exactly one revision.
	if _, err := e.glue.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{
		SchemaId:         &gluetypes.SchemaId{RegistryName: aws.String(registry), SchemaName: aws.String("topic-07")},
		SchemaDefinition: aws.String(avroSchema(`,{"name":"note","type":["null","string"],"default":null}`)),
	}); err != nil {
		t.Fatal(err)
	}
	e.reset()
	r, err = e.sync.Sync(ctx, e.in)
	if err != nil || counts(r) != "created=0 updated=1 unchanged=24 deleted=0 failed=0" || e.dz.Count(datazonetest.OpCreateAssetRevision) != 1 || e.writes() != 1 {
		t.Fatalf("after one change: %v, %v, %d writes", counts(r), err, e.writes())
	}

	// One removed schema: exactly one delete, of its asset and its stored ID.
	if _, err := e.glue.DeleteSchema(ctx, &awsglue.DeleteSchemaInput{SchemaId: &gluetypes.SchemaId{RegistryName: aws.String(registry), SchemaName: aws.String("topic-20")}}); err != nil {
		t.Fatal(err)
	}
	e.reset()
	r, err = e.sync.Sync(ctx, e.in)
	if err != nil || counts(r) != "created=0 updated=0 unchanged=24 deleted=1 failed=0" || e.dz.Count(datazonetest.OpDeleteAsset) != 1 || e.writes() != 2 {
		t.Fatalf("after one removal: %v, %v, %d writes", counts(r), err, e.writes())
	}
	if n := len(e.dz.Assets(e.in.Domain)); n != 24 {
		t.Errorf("%d assets, want 24", n)
	}
}

// A listing that fails on its third page deletes nothing (D3: DSF deleted live assets of
// schemas past the first page).
func TestTopicSyncPartialListingDeletesNothing(t *testing.T) {
	ctx := context.Background()
	e := newSyncEnv(t, "eu-west-1", 8)
	if _, err := e.sync.Sync(ctx, e.in); err != nil {
		t.Fatal(err)
	}
	e.reset()
	calls := 0
	e.glue.KeepControl("ListSchemas", func(any) (any, error, bool) {
		calls++
		if calls == 3 {
			return nil, &gluetypes.InternalServiceException{Message: aws.String("boom")}, true
		}
		return nil, nil, false
	})
	r, err := e.sync.Sync(ctx, e.in)
	var ise *gluetypes.InternalServiceException
	if r != nil || !errors.As(err, &ise) {
		t.Fatalf("Sync = %v, %v; want no report and the listing's error", r, err)
	}
	if strings.Count(err.Error(), "datazone:") != 1 || strings.Contains(err.Error(), "glue:") {
		t.Errorf("error %q should carry one package prefix", err)
	}
	if e.writes() != 0 {
		t.Errorf("%d writes after a failed listing, want 0", e.writes())
	}
	// The same for the stored IDs: a failing second page of GetParametersByPath.
	e.glue.ClearControls()
	e.ssm.Control(datazonetest.OpGetParametersByPath, func(any) (any, error, bool) { return nil, nil, false })
	e.ssm.Control(datazonetest.OpGetParametersByPath, func(any) (any, error, bool) {
		return nil, &smithyErr{"InternalServerError"}, true
	})
	if _, err := e.glue.DeleteSchema(ctx, &awsglue.DeleteSchemaInput{SchemaId: &gluetypes.SchemaId{RegistryName: aws.String(registry), SchemaName: aws.String("topic-01")}}); err != nil {
		t.Fatal(err)
	}
	e.reset()
	if _, err := e.sync.Sync(ctx, e.in); err == nil || e.writes() != 0 {
		t.Fatalf("Sync with a failing ID page = %v with %d writes; want an error and none", err, e.writes())
	}
}

type smithyErr struct{ code string }

func (e *smithyErr) Error() string { return e.code }

// A crash between CreateAsset and storing its ID (D5: no client token) converges: the next
// run's CreateAsset carries the same token and gets the same asset back.
func TestTopicSyncCrashAfterCreateConverges(t *testing.T) {
	ctx := context.Background()
	e := newSyncEnv(t, "eu-west-1", 3)
	e.ssm.FailNext(datazonetest.OpPutParameter, &smithyErr{"InternalServerError"})
	r, err := e.sync.Sync(ctx, e.in)
	var se *datazone.SyncError
	if !errors.As(err, &se) || len(se.Items) != 1 || counts(r) != "created=2 updated=0 unchanged=0 deleted=0 failed=1" {
		t.Fatalf("Sync = %v, %v; want one failed item (D6: failures are not swallowed)", counts(r), err)
	}
	if len(se.Unwrap()) != 1 {
		t.Errorf("Unwrap() = %v", se.Unwrap())
	}
	r, err = e.sync.Sync(ctx, e.in)
	if err != nil || counts(r) != "created=1 updated=0 unchanged=2 deleted=0 failed=0" {
		t.Fatalf("re-run: %v, %v", counts(r), err)
	}
	if n := len(e.dz.Assets(e.in.Domain)); n != 3 {
		t.Errorf("%d assets after the crash and re-run, want 3 (no duplicate)", n)
	}
}

// D1: the external identifier is the topic ARN in the cluster's partition, with the cluster
// UUID and the topic; the forms carry Athena-typed columns (D8: unions are not arrays).
func TestTopicSyncAssetContent(t *testing.T) {
	ctx := context.Background()
	e := newSyncEnv(t, "cn-north-1", 1)
	r, err := e.sync.Sync(ctx, e.in)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.dz.GetAsset(ctx, &awsdz.GetAssetInput{DomainIdentifier: &e.in.Domain, Identifier: aws.String(r.Items[0].AssetID)})
	if err != nil {
		t.Fatal(err)
	}
	wantExt := "arn:aws-cn:kafka:cn-north-1:123456789012:topic/events/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2/topic-00"
	if got := aws.ToString(a.ExternalIdentifier); got != wantExt {
		t.Errorf("externalIdentifier = %s, want %s", got, wantExt)
	}
	forms := map[string]map[string]any{}
	for _, f := range a.FormsOutput {
		var m map[string]any
		if err := json.Unmarshal([]byte(aws.ToString(f.Content)), &m); err != nil {
			t.Fatalf("form %s content %q is not a JSON object string", aws.ToString(f.FormName), aws.ToString(f.Content))
		}
		forms[aws.ToString(f.FormName)] = m
	}
	cols, _ := json.Marshal(forms["RelationalTableForm"]["columns"])
	// Avro long → bigint, ["null","string"] → string, decimal(10,2), record → struct<…>
	// ("Data types in Amazon Athena").
	wantCols := `[{"columnName":"id","dataType":"bigint"},{"columnName":"customer","dataType":"string"},{"columnName":"amount","dataType":"decimal(10,2)"},{"columnName":"address","dataType":"struct\u003czip:string\u003e"}]`
	if string(cols) != wantCols {
		t.Errorf("columns = %s\nwant %s", cols, wantCols)
	}
	src := forms["MskSourceReferenceForm"]
	if src["cluster_type"] != "PROVISIONED" || !strings.HasPrefix(src["cluster_arn"].(string), "arn:aws-cn:kafka:cn-north-1:") || src["bootstrap_brokers"] == "" {
		t.Errorf("MskSourceReferenceForm = %v", src)
	}
	ks := forms["KafkaSchemaForm"]
	if ks["kafka_topic"] != "topic-00" || ks["schema_version"] != float64(1) || ks["data_format"] != "AVRO" || ks["compatibility_mode"] != "BACKWARD" ||
		ks["registry_arn"] != "arn:aws-cn:glue:cn-north-1:123456789012:registry/streaming" {
		t.Errorf("KafkaSchemaForm = %v", ks)
	}
}

// D2: an asset whose external identifier is wrong (DSF's arn:undefined:…) cannot be repaired
// by a revision; the sync says so instead of revising forever.
func TestTopicSyncWrongExternalIdentifier(t *testing.T) {
	ctx := context.Background()
	e := newSyncEnv(t, "eu-west-1", 1)
	r, err := e.sync.Sync(ctx, e.in)
	if err != nil {
		t.Fatal(err)
	}
	id := r.Items[0].AssetID
	cur, _ := e.dz.GetAsset(ctx, &awsdz.GetAssetInput{DomainIdentifier: &e.in.Domain, Identifier: &id})
	forms := make([]dztypes.FormInput, 0, len(cur.FormsOutput))
	for _, f := range cur.FormsOutput {
		forms = append(forms, dztypes.FormInput{FormName: f.FormName, TypeIdentifier: f.TypeName, Content: f.Content})
	}
	bad, err := e.dz.CreateAsset(ctx, &awsdz.CreateAssetInput{DomainIdentifier: &e.in.Domain, OwningProjectIdentifier: &e.in.Project,
		Name: aws.String("topic-00"), TypeIdentifier: aws.String(datazone.MskTopicAssetTypeName), FormsInput: forms,
		ExternalIdentifier: aws.String("arn:undefined:kafka:eu-west-1:123456789012:topic/events/topic-00/aws")})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.index.Put(ctx, "topic-00", aws.ToString(bad.Id)); err != nil {
		t.Fatal(err)
	}
	e.reset()
	_, err = e.sync.Sync(ctx, e.in)
	if err == nil || !strings.Contains(err.Error(), "arn:undefined") || e.writes() != 0 {
		t.Fatalf("Sync = %v with %d writes; want an error naming the wrong identifier and no write", err, e.writes())
	}
}

// D7: an asset deleted outside the sync is created again in the same run.
func TestTopicSyncRecreatesDeletedAsset(t *testing.T) {
	ctx := context.Background()
	e := newSyncEnv(t, "eu-west-1", 2)
	r, err := e.sync.Sync(ctx, e.in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.dz.DeleteAsset(ctx, &awsdz.DeleteAssetInput{DomainIdentifier: &e.in.Domain, Identifier: aws.String(r.Items[1].AssetID)}); err != nil {
		t.Fatal(err)
	}
	r, err = e.sync.Sync(ctx, e.in)
	if err != nil || counts(r) != "created=1 updated=0 unchanged=1 deleted=0 failed=0" {
		t.Fatalf("Sync = %v, %v", counts(r), err)
	}
	ids, _ := e.index.Load(ctx)
	if ids["topic-01"] != r.Items[1].AssetID || len(e.dz.Assets(e.in.Domain)) != 2 {
		t.Errorf("index = %v, assets = %v", ids, e.dz.Assets(e.in.Domain))
	}
}

func TestSyncSchemaOne(t *testing.T) {
	ctx := context.Background()
	e := newSyncEnv(t, "eu-west-1", 3)
	r, err := e.sync.SyncSchema(ctx, e.in, "topic-01")
	if err != nil || counts(r) != "created=1 updated=0 unchanged=0 deleted=0 failed=0" {
		t.Fatalf("SyncSchema = %v, %v", counts(r), err)
	}
	if e.glue.Count("ListSchemas") != 0 {
		t.Errorf("SyncSchema listed the registry")
	}
	if _, err := e.sync.Sync(ctx, e.in); err != nil {
		t.Fatal(err)
	}
	if _, err := e.glue.DeleteSchema(ctx, &awsglue.DeleteSchemaInput{SchemaId: &gluetypes.SchemaId{RegistryName: aws.String(registry), SchemaName: aws.String("topic-02")}}); err != nil {
		t.Fatal(err)
	}
	e.reset()
	r, err = e.sync.SyncSchema(ctx, e.in, "topic-02")
	if err != nil || counts(r) != "created=0 updated=0 unchanged=0 deleted=1 failed=0" || e.writes() != 2 {
		t.Fatalf("SyncSchema of a deleted schema = %v, %v, %d writes", counts(r), err, e.writes())
	}
}

func TestSyncInputValidation(t *testing.T) {
	e := newSyncEnv(t, "eu-west-1", 0)
	for _, tc := range []struct {
		mod  func(*datazone.SyncInput)
		want string
	}{
		{func(in *datazone.SyncInput) { in.Domain = "abc" }, "SyncInput.Domain"},
		{func(in *datazone.SyncInput) { in.Project = "" }, "SyncInput.Project"},
		{func(in *datazone.SyncInput) { in.ClusterARN = "arn:aws:kafka:eu-west-1:123456789012:topic/x/y/z" }, "SyncInput.ClusterARN"},
	} {
		in := e.in
		tc.mod(&in)
		_, err := e.sync.Sync(context.Background(), in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || e.kafka.Count("DescribeClusterV2") != 0 {
			t.Errorf("Sync(%+v) = %v; want an error naming %s before any call", in, err, tc.want)
		}
	}
}

func TestSSMAssetIndexEscapesKeys(t *testing.T) {
	ctx := context.Background()
	s := datazonetest.NewSSM()
	x := datazone.NewSSMAssetIndex(s, "/dz/d1/reg")
	for _, k := range []string{"a$b#c", "plain-name.v1", "under_score"} {
		if err := x.Put(ctx, k, "id-"+k); err != nil {
			t.Fatal(err)
		}
	}
	m, err := x.Load(ctx)
	if err != nil || len(m) != 3 || m["a$b#c"] != "id-a$b#c" || m["under_score"] != "id-under_score" {
		t.Fatalf("Load = %v, %v", m, err)
	}
	if err := x.Delete(ctx, "a$b#c"); err != nil {
		t.Fatal(err)
	}
	if err := x.Delete(ctx, "a$b#c"); err != nil {
		t.Fatalf("second Delete = %v; want nil", err)
	}
	if _, err := datazone.NewSSMAssetIndex(s, "no-slash").Load(ctx); err == nil || s.Count(datazonetest.OpGetParametersByPath) != 1 {
		t.Errorf("bad prefix accepted or called SSM: %v", err)
	}
}
