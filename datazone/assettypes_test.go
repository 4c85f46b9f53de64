package datazone_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/datazone"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
)

var (
	_ datazone.AssetTypesAPIClient          = (*datazonetest.Fake)(nil)
	_ datazone.AssetsAPIClient              = (*datazonetest.Fake)(nil)
	_ datazone.GrantsAPIClient              = (*datazonetest.Fake)(nil)
	_ datazone.SubscriptionTargetsAPIClient = (*datazonetest.Fake)(nil)
	_ datazone.RolePolicyAPIClient          = (*datazonetest.IAM)(nil)
	_ datazone.ParametersAPIClient          = (*datazonetest.SSM)(nil)
)

func newDomain(t *testing.T) (*datazonetest.Fake, datazone.Scope) {
	t.Helper()
	f := datazonetest.New()
	d := f.CreateDomain("d")
	return f, datazone.Scope{Domain: d, Project: f.CreateProject(d, "p")}
}

func TestSmithyRendersDSFShape(t *testing.T) {
	got, err := datazone.Smithy(datazone.MskSourceReferenceFormType)
	if err != nil {
		t.Fatal(err)
	}
	want := `structure MskSourceReferenceFormType {
    @documentation("The cluster's ARN.")
    @required
    cluster_arn: String
    @documentation("PROVISIONED or SERVERLESS.")
    @required
    cluster_type: String
    @documentation("The IAM bootstrap brokers, comma-separated.")
    @required
    bootstrap_brokers: String
}
`
	if got != want {
		t.Errorf("Smithy() =\n%s\nwant\n%s", got, want)
	}
}

// DSF (D27) rejects bigInteger/bigDecimal and emits "Enum"; here the prelude names work and
// a lower-case or non-prelude name is refused before any call.
func TestFormTypeValidate(t *testing.T) {
	ok := datazone.FormType{Name: "Metrics", Fields: []datazone.FormField{{Name: "count", Type: datazone.BigInteger}, {Name: "ratio", Type: datazone.BigDecimal}}}
	if err := datazone.Validate(ok); err != nil {
		t.Fatalf("BigInteger/BigDecimal rejected: %v", err)
	}
	for _, tc := range []struct {
		f    datazone.FormType
		want string
	}{
		{datazone.FormType{Name: "X", Fields: []datazone.FormField{{Name: "e", Type: "Enum"}}}, `Fields[0].Type "Enum"`},
		{datazone.FormType{Name: "X", Fields: []datazone.FormField{{Name: "e", Type: "string"}}}, `Fields[0].Type "string"`},
		{datazone.FormType{Name: "1X", Fields: []datazone.FormField{{Name: "a", Type: datazone.String}}}, "FormType.Name"},
		{datazone.FormType{Name: "a.b", Fields: []datazone.FormField{{Name: "a", Type: datazone.String}}}, "FormType.Name"},
		{datazone.FormType{Name: "amazon.datazone.Mine", Fields: []datazone.FormField{{Name: "a", Type: datazone.String}}}, "reserved"},
		{datazone.FormType{Name: strings.Repeat("a", 129), Fields: []datazone.FormField{{Name: "a", Type: datazone.String}}}, "more than 128"},
		{datazone.FormType{Name: "X"}, "at least one field"},
		{datazone.FormType{Name: "X", Fields: []datazone.FormField{{Name: "a b", Type: datazone.String}}}, `Fields[0].Name "a b"`},
		{datazone.FormType{Name: "X", Fields: []datazone.FormField{{Name: "A", Type: datazone.String}, {Name: "a", Type: datazone.Long}}}, "repeats"},
	} {
		err := datazone.Validate(tc.f)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "datazone: ") {
			t.Errorf("Validate(%+v) = %v, want an error with %q", tc.f, err, tc.want)
		}
	}
}

func TestEnsureAssetTypeIdempotent(t *testing.T) {
	ctx := context.Background()
	f, s := newDomain(t)
	a := datazone.NewAssetTypes(f)
	ch, err := a.EnsureAssetType(ctx, s, datazone.MskTopicAssetType)
	if err != nil || ch.Action != datablocks.Created {
		t.Fatalf("first Ensure = %v, %v; want created", ch, err)
	}
	f.ResetCalls()
	ch, err = a.EnsureAssetType(ctx, s, datazone.MskTopicAssetType)
	if err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("second Ensure = %v, %v; want unchanged", ch, err)
	}
	if n := f.Count(datazonetest.OpCreateFormType) + f.Count(datazonetest.OpCreateAssetType); n != 0 {
		t.Errorf("second Ensure wrote %d times", n)
	}
	// A changed form type gets one new revision, and so does the asset type pointing at it.
	changed := datazone.MskTopicAssetType
	changed.FormTypes = append([]datazone.FormType(nil), changed.FormTypes...)
	k := changed.FormTypes[1]
	k.Fields = append(append([]datazone.FormField(nil), k.Fields...), datazone.FormField{Name: "owner", Type: datazone.String})
	changed.FormTypes[1] = k
	ch, err = a.EnsureAssetType(ctx, s, changed)
	if err != nil || ch.Action != datablocks.Updated || strings.Join(ch.Changed, ",") != "forms.KafkaSchemaForm" {
		t.Fatalf("changed Ensure = %v, %v; want updated (forms.KafkaSchemaForm)", ch, err)
	}
	ft, err := f.GetFormType(ctx, &awsdz.GetFormTypeInput{DomainIdentifier: &s.Domain, FormTypeIdentifier: aws.String(datazone.KafkaSchemaFormTypeName)})
	if err != nil || aws.ToString(ft.Revision) != "2" {
		t.Fatalf("KafkaSchemaFormType revision = %v, %v; want 2", aws.ToString(ft.Revision), err)
	}
	at, err := f.GetAssetType(ctx, &awsdz.GetAssetTypeInput{DomainIdentifier: &s.Domain, Identifier: aws.String(datazone.MskTopicAssetTypeName)})
	if err != nil || aws.ToString(at.Revision) != "2" || aws.ToString(at.FormsOutput["KafkaSchemaForm"].TypeRevision) != "2" ||
		aws.ToString(at.FormsOutput["MskSourceReferenceForm"].TypeRevision) != "1" {
		t.Fatalf("asset type = %+v, %v", at, err)
	}
}

func TestEnsureFormTypeReenablesDisabled(t *testing.T) {
	ctx := context.Background()
	f, s := newDomain(t)
	a := datazone.NewAssetTypes(f)
	if _, err := a.EnsureFormType(ctx, s, datazone.KafkaSchemaFormType); err != nil {
		t.Fatal(err)
	}
	model, _ := datazone.Smithy(datazone.KafkaSchemaFormType)
	if _, err := f.CreateFormType(ctx, &awsdz.CreateFormTypeInput{DomainIdentifier: &s.Domain, Name: aws.String(datazone.KafkaSchemaFormTypeName),
		OwningProjectIdentifier: &s.Project, Model: &types.ModelMemberSmithy{Value: model}, Status: types.FormTypeStatusDisabled,
		Description: aws.String(datazone.KafkaSchemaFormType.Description)}); err != nil {
		t.Fatal(err)
	}
	ch, err := a.EnsureFormType(ctx, s, datazone.KafkaSchemaFormType)
	if err != nil || ch.String() != "updated (status)" {
		t.Fatalf("Ensure of a disabled form type = %v, %v; want updated (status)", ch, err)
	}
}

func TestDeleteAssetTypeOrder(t *testing.T) {
	ctx := context.Background()
	f, s := newDomain(t)
	a := datazone.NewAssetTypes(f)
	if _, err := a.EnsureAssetType(ctx, s, datazone.MskTopicAssetType); err != nil {
		t.Fatal(err)
	}
	// The fake refuses to delete an enabled or used form type, so only the documented order
	// (asset type; then disable and delete each form type) succeeds.
	ch, err := a.DeleteAssetType(ctx, s, datazone.MskTopicAssetType)
	if err != nil || ch.Action != datablocks.Deleted {
		t.Fatalf("Delete = %v, %v", ch, err)
	}
	var ops []string
	for _, c := range f.Calls() {
		if strings.HasPrefix(c.Op, "Delete") || c.Op == datazonetest.OpCreateFormType {
			ops = append(ops, c.Op)
		}
	}
	want := "CreateFormType,CreateFormType,DeleteAssetType,CreateFormType,DeleteFormType,CreateFormType,DeleteFormType"
	if strings.Join(ops, ",") != want {
		t.Errorf("calls = %v, want %s", ops, want)
	}
	_, err = f.GetFormType(ctx, &awsdz.GetFormTypeInput{DomainIdentifier: &s.Domain, FormTypeIdentifier: aws.String(datazone.KafkaSchemaFormTypeName)})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("form type still there: %v", err)
	}
	ch, err = a.DeleteAssetType(ctx, s, datazone.MskTopicAssetType)
	if err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("second Delete = %v, %v; want unchanged", ch, err)
	}
}

// FuzzFormTypeSmithy renders arbitrary valid form types and has the fake, an independent
// Smithy reader, accept each model: no documentation text can break out of its string.
func FuzzFormTypeSmithy(f *testing.F) {
	f.Add("Form", "field", "doc", true, uint8(0))
	f.Add("A_1", "_x", "quote \" back \\ nl \n tab \t ) @required", false, uint8(5))
	f.Add("Z", "z", "\u2028\x00\x7f", true, uint8(10))
	fake := datazonetest.New()
	d := fake.CreateDomain("fuzz")
	p := fake.CreateProject(d, "p")
	fieldTypes := []datazone.FieldType{datazone.String, datazone.Boolean, datazone.Byte, datazone.Short, datazone.Integer, datazone.Long,
		datazone.Float, datazone.Double, datazone.BigInteger, datazone.BigDecimal, datazone.Timestamp}
	f.Fuzz(func(t *testing.T, name, field, doc string, required bool, typ uint8) {
		ft := datazone.FormType{Name: name, Fields: []datazone.FormField{{Name: field, Type: fieldTypes[int(typ)%len(fieldTypes)], Required: required, Doc: doc}}}
		model, err := datazone.Smithy(ft)
		if err != nil {
			return
		}
		_, err = fake.CreateFormType(context.Background(), &awsdz.CreateFormTypeInput{DomainIdentifier: &d, Name: &name, OwningProjectIdentifier: &p,
			Model: &typesModel{Value: model}})
		if err != nil {
			t.Fatalf("fake rejected rendered model %q: %v", model, err)
		}
	})
}

type typesModel = types.ModelMemberSmithy
