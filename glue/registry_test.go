package glue_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

func TestRegisterWaitsForAvailable(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t) // versions stay PENDING for 3s
	var states []string
	reg := glue.NewRegistry(fake, func(o *glue.Options) {
		o.Wait = wait(clock)
		o.Wait.OnProgress = func(p datablocks.Progress) { states = append(states, p.State) }
	})
	v, err := reg.Register(ctx, glue.Schema{Name: "users", DataFormat: types.DataFormatAvro, Definition: userV1})
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != 1 || v.Name != "users" || v.Compatibility != types.CompatibilityBackward || v.Status != types.SchemaVersionStatusAvailable || v.Definition != userV1 {
		t.Errorf("version = %+v, want 1 AVAILABLE", v)
	}
	if diff := cmp.Diff([]string{"PENDING", "AVAILABLE"}, states); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
	if elapsed := clock.Now().Sub(start); elapsed < 3*time.Second {
		t.Errorf("waited %s of fake time, want at least the 3s pending delay", elapsed)
	}
	// A compatible new version (BACKWARD is the default mode).
	v2, err := reg.Register(ctx, glue.Schema{Name: "users", DataFormat: types.DataFormatAvro, Definition: userAddOptional})
	if err != nil || v2.Version != 2 {
		t.Fatalf("second version = %+v, %v", v2, err)
	}
	// The same definition again returns the existing version.
	again, err := reg.Register(ctx, glue.Schema{Name: "users", DataFormat: types.DataFormatAvro, Definition: userV1})
	if err != nil || again.Version != 1 || again.VersionID != v.VersionID {
		t.Errorf("re-registering v1 = %+v, %v; want version 1", again, err)
	}
	latest, err := reg.GetSchema(ctx, "users", 0)
	if err != nil || latest.Version != 2 {
		t.Errorf("GetSchema(latest) = %+v, %v", latest, err)
	}
	if first, err := reg.GetSchema(ctx, "users", 1); err != nil || first.Version != 1 || first.Definition != userV1 || first.ARN != latest.ARN {
		t.Errorf("GetSchema(version 1) = %+v, %v", first, err)
	}
	cols, err := glue.ParseSchema(latest.DataFormat, latest.Definition)
	if err != nil || len(cols) != 5 || cols[4].Name != "email" || cols[4].Type != "string" {
		t.Errorf("latest columns = %+v, %v", cols, err)
	}
}

func TestRegisterIncompatibleReportsFailure(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	reg := glue.NewRegistry(fake, func(o *glue.Options) { o.Wait = wait(clock) })
	if _, err := reg.Register(ctx, glue.Schema{Name: "users", DataFormat: types.DataFormatAvro, Definition: userV1, Compatibility: types.CompatibilityBackward}); err != nil {
		t.Fatal(err)
	}
	v, err := reg.Register(ctx, glue.Schema{Name: "users", DataFormat: types.DataFormatAvro, Definition: userAddRequired})
	var fe *glue.SchemaVersionFailedError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *glue.SchemaVersionFailedError", err)
	}
	if v.Status != types.SchemaVersionStatusFailure || fe.Schema.Version != 2 || fe.Schema.Compatibility != types.CompatibilityBackward {
		t.Errorf("version %+v, error %+v; want version 2 FAILURE under BACKWARD", v, fe)
	}
	var ce *glue.CompatibilityError
	if !errors.As(err, &ce) || !strings.Contains(fe.Reason, `field "country"`) {
		t.Errorf("reason = %q (err %v), want the missing default of country", fe.Reason, err)
	}
	if n := strings.Count(err.Error(), "glue: "); n != 1 || !strings.HasPrefix(err.Error(), "glue: ") {
		t.Errorf("error %q carries %d package prefixes, want one in front", err, n)
	}
	// Switching the schema to FORWARD makes the same change acceptable.
	v3, err := reg.Register(ctx, glue.Schema{Name: "users", DataFormat: types.DataFormatAvro, Definition: userAddRequired + " ", Compatibility: types.CompatibilityForward})
	if err != nil || v3.Status != types.SchemaVersionStatusAvailable {
		t.Errorf("under FORWARD: %+v, %v", v3, err)
	}
	s, err := reg.GetSchema(ctx, "users", 0)
	if err != nil || s.Compatibility != types.CompatibilityForward {
		t.Errorf("schema = %+v, %v; want FORWARD", s, err)
	}
}

func TestRegisterValidation(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t)
	reg := glue.NewRegistry(fake, func(o *glue.Options) { o.Wait = wait(clock) })
	for _, in := range []glue.Schema{
		{DataFormat: types.DataFormatAvro, Definition: userV1},
		{Name: "a", DataFormat: "XML", Definition: "<a/>"},
		{Name: "a", DataFormat: types.DataFormatAvro},
		{Name: "a", DataFormat: types.DataFormatAvro, Definition: userV1, Compatibility: "SOMETIMES"},
	} {
		if _, err := reg.Register(ctx, in); err == nil || !strings.HasPrefix(err.Error(), "glue: ") {
			t.Errorf("Register(%+v): err = %v, want a glue: error", in, err)
		}
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("invalid inputs made %d calls", n)
	}
	// Another format under an existing name is refused before any version is sent.
	if _, err := reg.Register(ctx, glue.Schema{Name: "a", DataFormat: types.DataFormatJson, Definition: `{"type":"object"}`}); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Register(ctx, glue.Schema{Name: "a", DataFormat: types.DataFormatAvro, Definition: userV1}); err == nil || !strings.Contains(err.Error(), "is JSON, not AVRO") {
		t.Errorf("format change: err = %v", err)
	}
}

func TestListSchemasAllPages(t *testing.T) {
	ctx := context.Background()
	fake, clock := newFake(t, func(o *gluetest.Options) { o.PageSize = 2 })
	reg := glue.NewRegistry(fake, func(o *glue.Options) { o.RegistryName = "streaming"; o.Wait = wait(clock) })
	if _, err := fake.CreateRegistry(ctx, &awsglue.CreateRegistryInput{RegistryName: aws.String("streaming")}); err != nil {
		t.Fatal(err)
	}
	formats := []types.DataFormat{types.DataFormatAvro, types.DataFormatJson, types.DataFormatProtobuf}
	defs := []string{userV1, jsonCustomer, protoOrder}
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("topic-%d-value", i)
		want = append(want, name)
		if _, err := reg.Register(ctx, glue.Schema{Name: name, DataFormat: formats[i%3], Definition: defs[i%3]}); err != nil {
			t.Fatal(err)
		}
	}
	fake.ResetCalls()
	got, err := reg.ListSchemas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range got {
		names = append(names, s.Name)
		if s.Version != 1 || s.Definition == "" || s.Compatibility != types.CompatibilityBackward {
			t.Errorf("schema %s = %+v, want version 1 with its definition", s.Name, s)
		}
		if _, err := glue.ParseSchema(s.DataFormat, s.Definition); err != nil {
			t.Errorf("schema %s columns: %v", s.Name, err)
		}
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("schemas (-want +got):\n%s", diff)
	}
	if n := fake.Count(gluetest.OpListSchemas); n != 3 {
		t.Errorf("ListSchemas calls = %d, want 3 pages", n)
	}
	// A schema deleted between the listing and its description is left out, not an error.
	fake.Control(gluetest.OpGetSchema, func(any) (any, error, bool) {
		return nil, &types.EntityNotFoundException{Message: aws.String("Schema is not found.")}, true
	})
	got, err = reg.ListSchemas(ctx)
	if err != nil || len(got) != 4 || got[0].Name != "topic-1-value" {
		t.Errorf("ListSchemas with topic-0-value vanishing = %d schemas, %v; want the other 4", len(got), err)
	}
}

func TestCheckValidity(t *testing.T) {
	ctx := context.Background()
	fake, _ := newFake(t)
	reg := glue.NewRegistry(fake)
	if err := reg.CheckValidity(ctx, types.DataFormatProtobuf, protoOrder); err != nil {
		t.Errorf("valid proto: %v", err)
	}
	err := reg.CheckValidity(ctx, types.DataFormatAvro, `{"type":"record","name":"A","fields":[{"name":"x","type":"strin"}]}`)
	var se *glue.SchemaError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "unknown type") {
		t.Errorf("invalid avro: err = %v, want *glue.SchemaError", err)
	}
}
