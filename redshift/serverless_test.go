package redshift_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

var _ redshift.ServerlessAPIClient = (*redshifttest.Serverless)(nil)

const (
	roleA = "arn:aws:iam::123456789012:role/copy-a"
	roleB = "arn:aws:iam::123456789012:role/copy-b"
)

func TestEnsureNamespaceAndWorkgroup(t *testing.T) {
	f := redshifttest.NewServerless()
	s := redshift.NewServerless(f, func(o *redshift.Options) { o.Region = "us-east-1" })
	ctx := context.Background()
	ns := redshift.Namespace{Name: "sales", AdminUsername: "admin", AdminPassword: "S3cret-pw", IAMRoles: []string{roleA}, DefaultIAMRole: roleA,
		LogExports: []types.LogExport{types.LogExportUserLog}}
	ch, err := s.EnsureNamespace(ctx, ns)
	if err != nil || ch.Action != datablocks.Created {
		t.Fatalf("create namespace: %v %v", ch, err)
	}
	if ch, err = s.EnsureNamespace(ctx, ns); err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("re-run: %v %v", ch, err)
	}
	ns.IAMRoles, ns.DefaultIAMRole = []string{roleA, roleB}, roleB
	ns.LogExports = []types.LogExport{types.LogExportUserLog, types.LogExportConnectionLog}
	f.ResetCalls()
	ch, err = s.EnsureNamespace(ctx, ns)
	if err != nil || ch.Action != datablocks.Updated || !reflect.DeepEqual(ch.Changed, []string{"IAMRoles", "LogExports"}) {
		t.Fatalf("update: %v %v", ch, err)
	}
	// Two updates, one per coupled group, each after the namespace was AVAILABLE again.
	if n := f.Count(redshifttest.OpUpdateNamespace); n != 2 {
		t.Errorf("UpdateNamespace calls = %d, want 2", n)
	}
	for _, c := range f.Calls() {
		if in, ok := c.Input.(*redshiftserverless.UpdateNamespaceInput); ok && in.IamRoles != nil && aws.ToString(in.DefaultIamRoleArn) != roleB {
			t.Errorf("IAM roles updated without the default role: %+v", in)
		}
		if c.Err != nil {
			t.Errorf("%s failed: %v", c.Op, c.Err)
		}
	}
	out, _ := f.GetNamespace(ctx, &redshiftserverless.GetNamespaceInput{NamespaceName: aws.String("sales")})
	if aws.ToString(out.Namespace.DefaultIamRoleArn) != roleB || len(out.Namespace.IamRoles) != 2 || len(out.Namespace.LogExports) != 2 {
		t.Errorf("namespace after update: %+v", out.Namespace)
	}

	wg := redshift.Workgroup{Name: "sales-wg", Namespace: "sales", BaseCapacity: 32, Port: 5439}
	if ch, err = s.EnsureWorkgroup(ctx, wg); err != nil || ch.Action != datablocks.Created {
		t.Fatalf("create workgroup: %v %v", ch, err)
	}
	got, _ := f.GetWorkgroup(ctx, &redshiftserverless.GetWorkgroupInput{WorkgroupName: aws.String("sales-wg")})
	if got.Workgroup.Status != types.WorkgroupStatusAvailable {
		t.Errorf("workgroup after Ensure: %s", got.Workgroup.Status)
	}
	if ch, err = s.EnsureWorkgroup(ctx, wg); err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("re-run workgroup: %v %v", ch, err)
	}
	wg.BaseCapacity, wg.Port, wg.ConfigParameters = 128, 5440, map[string]string{"search_path": "sales,public"}
	ch, err = s.EnsureWorkgroup(ctx, wg)
	if err != nil || !reflect.DeepEqual(ch.Changed, []string{"BaseCapacity", "ConfigParameters", "Port"}) {
		t.Fatalf("update workgroup: %v %v", ch, err)
	}
	got, _ = f.GetWorkgroup(ctx, &redshiftserverless.GetWorkgroupInput{WorkgroupName: aws.String("sales-wg")})
	if aws.ToInt32(got.Workgroup.BaseCapacity) != 128 || aws.ToInt32(got.Workgroup.Port) != 5440 {
		t.Errorf("workgroup after update: base %d port %d", aws.ToInt32(got.Workgroup.BaseCapacity), aws.ToInt32(got.Workgroup.Port))
	}

	// The namespace cannot go while its workgroup exists; delete in order.
	if ch, err = s.DeleteWorkgroup(ctx, "sales-wg"); err != nil || ch.Action != datablocks.Deleted {
		t.Fatalf("delete workgroup: %v %v", ch, err)
	}
	if ch, err = s.DeleteNamespace(ctx, "sales"); err != nil || ch.Action != datablocks.Deleted {
		t.Fatalf("delete namespace: %v %v", ch, err)
	}
	if ch, err = s.DeleteNamespace(ctx, "sales"); err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("delete again: %v %v", ch, err)
	}
}

// TestServerlessDeleteRejectsBadName: a name the service would refuse (3-64 of a-z, 0-9 and -,
// per the CreateNamespace and CreateWorkgroup API reference) fails before any call.
func TestServerlessDeleteRejectsBadName(t *testing.T) {
	f := redshifttest.NewServerless()
	s := redshift.NewServerless(f)
	ctx := context.Background()
	if _, err := s.DeleteNamespace(ctx, "Sales"); err == nil || !strings.Contains(err.Error(), `namespace name "Sales"`) {
		t.Errorf("DeleteNamespace(Sales) = %v; want an error naming the namespace name", err)
	}
	if _, err := s.DeleteWorkgroup(ctx, "wg"); err == nil || !strings.Contains(err.Error(), `workgroup name "wg"`) {
		t.Errorf("DeleteWorkgroup(wg) = %v; want an error naming the workgroup name", err)
	}
	for _, op := range []string{redshifttest.OpDeleteNamespace, redshifttest.OpGetNamespace, redshifttest.OpDeleteWorkgroup, redshifttest.OpGetWorkgroup} {
		if n := f.Count(op); n != 0 {
			t.Errorf("%s called %d times for a bad name", op, n)
		}
	}
}

func TestServerlessConflictRetried(t *testing.T) {
	f := redshifttest.NewServerless()
	s := redshift.NewServerless(f)
	ctx := context.Background()
	if _, err := s.EnsureNamespace(ctx, redshift.Namespace{Name: "busy"}); err != nil {
		t.Fatal(err)
	}
	// Someone else's update leaves the namespace MODIFYING: Ensure waits, then updates.
	if _, err := f.UpdateNamespace(ctx, &redshiftserverless.UpdateNamespaceInput{NamespaceName: aws.String("busy"), KmsKeyId: aws.String("k1")}); err != nil {
		t.Fatal(err)
	}
	f.FailNext(redshifttest.OpUpdateNamespace, &types.ConflictException{Message: aws.String("busy")})
	ch, err := s.EnsureNamespace(ctx, redshift.Namespace{Name: "busy", LogExports: []types.LogExport{types.LogExportUserActivityLog}})
	if err != nil || ch.Action != datablocks.Updated {
		t.Fatalf("%v %v", ch, err)
	}
	if n := f.Count(redshifttest.OpUpdateNamespace); n != 3 {
		t.Errorf("UpdateNamespace calls = %d, want 3 (outside, conflict, retry)", n)
	}
}

func TestServerlessValidation(t *testing.T) {
	f := redshifttest.NewServerless()
	s := redshift.NewServerless(f, func(o *redshift.Options) { o.Region = "ap-south-1" })
	ctx := context.Background()
	for _, ns := range []redshift.Namespace{
		{Name: "ab"}, {Name: "Upper"},
		{Name: "ns-1", AdminUsername: "admin"},
		{Name: "ns-1", AdminPassword: "x", ManageAdminPassword: true, AdminUsername: "a"},
		{Name: "ns-1", IAMRoles: []string{roleA}, DefaultIAMRole: roleB},
		{Name: "ns-1", IAMRoles: []string{"arn:aws:s3:::bucket"}},
		{Name: "ns-1", LogExports: []types.LogExport{"auditlog"}},
	} {
		if _, err := s.EnsureNamespace(ctx, ns); err == nil {
			t.Errorf("%v: no error", ns)
		}
	}
	for _, wg := range []redshift.Workgroup{
		{Name: "wg-1", Namespace: "ns-1", BaseCapacity: 12},
		{Name: "wg-1", Namespace: "ns-1", BaseCapacity: 520},
		{Name: "wg-1", Namespace: "ns-1", BaseCapacity: 768}, // not offered in ap-south-1
		{Name: "wg-1", Namespace: "ns-1", BaseCapacity: 1056},
		{Name: "wg-1", Namespace: "ns-1", Port: 5439 + 100},
		{Name: "wg-1", Namespace: "ns-1", BaseCapacity: 64, MaxCapacity: 32},
		{Name: "w", Namespace: "ns-1"},
	} {
		if _, err := s.EnsureWorkgroup(ctx, wg); err == nil {
			t.Errorf("%+v: no error", wg)
		}
	}
	if n := len(f.Calls()); n != 0 {
		t.Errorf("%d calls for invalid input, want 0", n)
	}
}

func TestNamespaceRedactsPassword(t *testing.T) {
	ns := redshift.Namespace{Name: "n1", AdminUsername: "admin", AdminPassword: "hunter2-secret"}
	var log strings.Builder
	slog.New(slog.NewTextHandler(&log, nil)).Info("ensure", "namespace", ns)
	for _, s := range []string{fmt.Sprint(ns), fmt.Sprintf("%v %+v %#v %s", ns, ns, ns, ns), log.String()} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("password printed: %s", s)
		}
	}
}

// TestServerlessOverTheWire runs Serverless through the real redshiftserverless client
// against the fake served by localaws: every operation it calls.
func TestServerlessOverTheWire(t *testing.T) {
	f := redshifttest.NewServerless()
	srv := localaws.NewTestServer(t, f.Service())
	s := redshift.NewServerless(redshiftserverless.NewFromConfig(srv.Config()), func(o *redshift.Options) { o.Wait.Clock = f.Clock() })
	ctx := context.Background()
	steps := []func() (datablocks.Change, error){
		func() (datablocks.Change, error) {
			return s.EnsureNamespace(ctx, redshift.Namespace{Name: "wire", ManageAdminPassword: true, IAMRoles: []string{roleA}, DefaultIAMRole: roleA})
		},
		func() (datablocks.Change, error) {
			return s.EnsureNamespace(ctx, redshift.Namespace{Name: "wire", ManageAdminPassword: true, IAMRoles: []string{roleB}, DefaultIAMRole: roleB})
		},
		func() (datablocks.Change, error) {
			return s.EnsureWorkgroup(ctx, redshift.Workgroup{Name: "wire-wg", Namespace: "wire", BaseCapacity: 8})
		},
		func() (datablocks.Change, error) {
			return s.EnsureWorkgroup(ctx, redshift.Workgroup{Name: "wire-wg", Namespace: "wire", BaseCapacity: 16})
		},
		func() (datablocks.Change, error) { return s.DeleteWorkgroup(ctx, "wire-wg") },
		func() (datablocks.Change, error) { return s.DeleteNamespace(ctx, "wire") },
	}
	want := []datablocks.Action{datablocks.Created, datablocks.Updated, datablocks.Created, datablocks.Updated, datablocks.Deleted, datablocks.Deleted}
	for i, step := range steps {
		ch, err := step()
		if err != nil || ch.Action != want[i] {
			t.Fatalf("step %d: %v %v, want %s", i, ch, err, want[i])
		}
	}
	var nf *types.ResourceNotFoundException
	if _, err := redshiftserverless.NewFromConfig(srv.Config()).GetNamespace(ctx, &redshiftserverless.GetNamespaceInput{NamespaceName: aws.String("wire")}); !errors.As(err, &nf) {
		t.Errorf("deleted namespace: %v, want ResourceNotFoundException", err)
	}
}
