package lakeformation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func TestTagsEnsureIsIdempotent(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	tags := lakeformation.NewTags(f)
	steps := []struct {
		values []string
		change string
		op     string
	}{
		{[]string{"sales", "hr"}, "created", lakeformationtest.OpCreateLFTag},
		{[]string{"hr", "sales"}, "unchanged", ""},
		{[]string{"sales", "finance", "audit"}, "updated (audit, finance)", lakeformationtest.OpUpdateLFTag},
	}
	for i, s := range steps {
		before := writeCount(f)
		change, err := tags.Ensure(ctx, lakeformation.Tag{Key: "LoB", Values: s.values})
		if err != nil || change.String() != s.change {
			t.Fatalf("step %d: change %v err=%v, want %s", i, change, err, s.change)
		}
		if s.op != "" && f.Count(s.op) != 1 {
			t.Errorf("step %d: %s not called", i, s.op)
		}
		if !change.Wrote() && writeCount(f) != before {
			t.Errorf("step %d wrote", i)
		}
	}
}

func TestTagsAssignAndMatch(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	tags := lakeformation.NewTags(f)
	for _, tg := range []lakeformation.Tag{{Key: "LoB", Values: []string{"sales", "hr"}}, {Key: "pii", Values: []string{"true", "false"}}} {
		if _, err := tags.Ensure(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	f.AddTable("sales", "orders", "id", "email")
	f.AddTable("sales", "regions", "code")
	f.AddTable("hr", "people", "name")
	must := func(r lakeformation.Resource, tg ...lakeformation.Tag) {
		t.Helper()
		if err := tags.Assign(ctx, r, tg); err != nil {
			t.Fatal(err)
		}
	}
	must(lakeformation.Database("sales"), lakeformation.Tag{Key: "LoB", Values: []string{"sales"}})
	must(lakeformation.Database("hr"), lakeformation.Tag{Key: "LoB", Values: []string{"hr"}})
	must(lakeformation.Table("sales", "orders"), lakeformation.Tag{Key: "pii", Values: []string{"true"}})
	must(lakeformation.Columns("sales", "orders", "email"), lakeformation.Tag{Key: "pii", Values: []string{"true"}})
	// Repeating an assignment is a no-op.
	must(lakeformation.Table("sales", "orders"), lakeformation.Tag{Key: "pii", Values: []string{"true"}})

	m, err := tags.Match(ctx, []lakeformation.Tag{{Key: "LoB", Values: []string{"sales"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(m); got != "[DATABASE 123456789012:sales TABLE 123456789012:sales.orders TABLE 123456789012:sales.regions]" {
		t.Errorf("LoB=sales matches %s", got)
	}
	m, err = tags.Match(ctx, []lakeformation.Tag{{Key: "LoB", Values: []string{"sales", "hr"}}, {Key: "pii", Values: []string{"true"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(m); got != "[TABLE 123456789012:sales.orders]" {
		t.Errorf("LoB in (sales,hr) AND pii=true matches %s", got)
	}
	// Grants on the tag expression are ordinary grants on a TagPolicy resource.
	_, err = grantAll(lakeformation.NewPlanner(f), ctx, []lakeformation.Grant{{Principal: analyst,
		Resource:    lakeformation.TagPolicy(types.ResourceTypeTable, lakeformation.Tag{Key: "LoB", Values: []string{"sales"}}),
		Permissions: []types.Permission{types.PermissionSelect, types.PermissionDescribe}}})
	if err != nil {
		t.Fatal(err)
	}
	// An unknown tag value is rejected per tag.
	err = tags.Assign(ctx, lakeformation.Table("hr", "people"), []lakeformation.Tag{{Key: "LoB", Values: []string{"legal"}}})
	var tae *lakeformation.TagAssignmentError
	if !errors.As(err, &tae) || len(tae.Failures) != 1 {
		t.Errorf("got %v, want *TagAssignmentError", err)
	} else if want := "lakeformation: assigning 1 LF-tag(s) to TABLE hr.people failed; first: LoB: EntityNotFoundException: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start %q", err, want)
	}
	if err := tags.Assign(ctx, lakeformation.AllTables("hr"), []lakeformation.Tag{{Key: "LoB", Values: []string{"hr"}}}); err == nil {
		t.Error("assigning to all tables: want error")
	}
}

func TestTagsEnsureCreatedConcurrently(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	if _, err := f.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String("LoB"), TagValues: []string{"sales"}}); err != nil {
		t.Fatal(err)
	}
	f.ResetCalls()
	// Another writer creates the tag between our read and our create: the first read sees no tag.
	f.FailNext("GetLFTag", &types.EntityNotFoundException{Message: aws.String("Tag key does not exist: LoB")})
	change, err := lakeformation.NewTags(f).Ensure(ctx, lakeformation.Tag{Key: "LoB", Values: []string{"sales", "hr"}})
	if err != nil || change.String() != "updated (hr)" {
		t.Fatalf("change %v err=%v, want updated (hr)", change, err)
	}
	var ops []string
	for _, c := range f.Calls() {
		ops = append(ops, fmt.Sprintf("%s(err=%v)", c.Op, c.Err != nil))
	}
	want := "[GetLFTag(err=true) CreateLFTag(err=true) GetLFTag(err=false) UpdateLFTag(err=false)]"
	if got := fmt.Sprint(ops); got != want {
		t.Errorf("calls %s\nwant %s", got, want)
	}
	got, err := f.GetLFTag(ctx, &awslf.GetLFTagInput{TagKey: aws.String("LoB")})
	if err != nil || fmt.Sprint(got.TagValues) != "[sales hr]" {
		t.Errorf("values %v %v", got, err)
	}
}
