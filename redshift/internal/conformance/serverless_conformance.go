package conformance

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
)

// ServerlessClient is Redshift Serverless as the conformance suite calls it: the methods of
// redshiftserverless.Client that the Serverless fake implements.
type ServerlessClient interface {
	CreateNamespace(ctx context.Context, params *redshiftserverless.CreateNamespaceInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateNamespaceOutput, error)
	GetNamespace(ctx context.Context, params *redshiftserverless.GetNamespaceInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.GetNamespaceOutput, error)
	UpdateNamespace(ctx context.Context, params *redshiftserverless.UpdateNamespaceInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.UpdateNamespaceOutput, error)
	DeleteNamespace(ctx context.Context, params *redshiftserverless.DeleteNamespaceInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteNamespaceOutput, error)
	CreateWorkgroup(ctx context.Context, params *redshiftserverless.CreateWorkgroupInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateWorkgroupOutput, error)
	GetWorkgroup(ctx context.Context, params *redshiftserverless.GetWorkgroupInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.GetWorkgroupOutput, error)
	UpdateWorkgroup(ctx context.Context, params *redshiftserverless.UpdateWorkgroupInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.UpdateWorkgroupOutput, error)
	DeleteWorkgroup(ctx context.Context, params *redshiftserverless.DeleteWorkgroupInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteWorkgroupOutput, error)
	CreateUsageLimit(ctx context.Context, params *redshiftserverless.CreateUsageLimitInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateUsageLimitOutput, error)
	ListUsageLimits(ctx context.Context, params *redshiftserverless.ListUsageLimitsInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.ListUsageLimitsOutput, error)
	UpdateUsageLimit(ctx context.Context, params *redshiftserverless.UpdateUsageLimitInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.UpdateUsageLimitOutput, error)
	DeleteUsageLimit(ctx context.Context, params *redshiftserverless.DeleteUsageLimitInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteUsageLimitOutput, error)
}

var _ ServerlessClient = (*redshiftserverless.Client)(nil)

// ServerlessHarness is what the Serverless conformance suite needs: a client, names that do
// not exist yet, and a way to let time pass.
type ServerlessHarness struct {
	// Client reaches Redshift Serverless.
	Client ServerlessClient
	// Namespace and Workgroup are unused names for the suite to create and delete.
	Namespace, Workgroup string
	// Advance lets d pass for the service.
	Advance func(d time.Duration)
	// Step is how long to advance between checks of a transition.
	Step time.Duration
}

// RunServerlessConformanceTests checks the namespace and workgroup state machines, the
// coupled UpdateNamespace members, conflicts while busy, and the capacity and port rules.
func RunServerlessConformanceTests(t *testing.T, newHarness func(t *testing.T) ServerlessHarness) {
	ctx := context.Background()
	t.Run("Lifecycle", func(t *testing.T) {
		h := newHarness(t)
		c := h.Client
		ns, wg := aws.String(h.Namespace), aws.String(h.Workgroup)
		if _, err := c.CreateWorkgroup(ctx, &redshiftserverless.CreateWorkgroupInput{WorkgroupName: wg, NamespaceName: ns}); !isSvNotFound(err) {
			t.Fatalf("workgroup on a missing namespace: %v, want ResourceNotFoundException", err)
		}
		out, err := c.CreateNamespace(ctx, &redshiftserverless.CreateNamespaceInput{NamespaceName: ns, ManageAdminPassword: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		if out.Namespace.Status != types.NamespaceStatusAvailable || aws.ToString(out.Namespace.NamespaceArn) == "" || aws.ToString(out.Namespace.AdminPasswordSecretArn) == "" {
			t.Errorf("created namespace %+v", out.Namespace)
		}
		if _, err := c.CreateNamespace(ctx, &redshiftserverless.CreateNamespaceInput{NamespaceName: ns}); !isSvConflict(err) {
			t.Errorf("second namespace of the same name: %v, want ConflictException", err)
		}
		if _, err := c.UpdateNamespace(ctx, &redshiftserverless.UpdateNamespaceInput{NamespaceName: ns, DefaultIamRoleArn: aws.String("arn:aws:iam::123456789012:role/r")}); !isSvValidation(err) {
			t.Errorf("defaultIamRoleArn without iamRoles: %v, want ValidationException", err)
		}
		if _, err := c.UpdateNamespace(ctx, &redshiftserverless.UpdateNamespaceInput{NamespaceName: ns, AdminUsername: aws.String("a")}); !isSvValidation(err) {
			t.Errorf("adminUsername without adminUserPassword: %v, want ValidationException", err)
		}
		for _, in := range []*redshiftserverless.CreateWorkgroupInput{
			{WorkgroupName: wg, NamespaceName: ns, BaseCapacity: aws.Int32(12)},
			{WorkgroupName: wg, NamespaceName: ns, Port: aws.Int32(5500)},
		} {
			if _, err := c.CreateWorkgroup(ctx, in); !isSvValidation(err) {
				t.Errorf("workgroup base %d port %d: %v, want ValidationException", aws.ToInt32(in.BaseCapacity), aws.ToInt32(in.Port), err)
			}
		}
		w, err := c.CreateWorkgroup(ctx, &redshiftserverless.CreateWorkgroupInput{WorkgroupName: wg, NamespaceName: ns, BaseCapacity: aws.Int32(8)})
		if err != nil {
			t.Fatal(err)
		}
		if w.Workgroup.Status != types.WorkgroupStatusCreating || aws.ToInt32(w.Workgroup.Port) != 5439 {
			t.Errorf("new workgroup %s port %d, want CREATING 5439", w.Workgroup.Status, aws.ToInt32(w.Workgroup.Port))
		}
		if _, err := c.UpdateWorkgroup(ctx, &redshiftserverless.UpdateWorkgroupInput{WorkgroupName: wg, BaseCapacity: aws.Int32(16)}); !isSvConflict(err) {
			t.Errorf("update while CREATING: %v, want ConflictException", err)
		}
		waitWorkgroup(t, h, types.WorkgroupStatusAvailable)
		if _, err := c.UpdateWorkgroup(ctx, &redshiftserverless.UpdateWorkgroupInput{WorkgroupName: wg, BaseCapacity: aws.Int32(16)}); err != nil {
			t.Fatal(err)
		}
		waitWorkgroup(t, h, types.WorkgroupStatusAvailable)
		if _, err := c.DeleteNamespace(ctx, &redshiftserverless.DeleteNamespaceInput{NamespaceName: ns}); !isSvConflict(err) {
			t.Errorf("deleting a namespace with a workgroup: %v, want ConflictException", err)
		}
		wgARN := w.Workgroup.WorkgroupArn
		if _, err := c.CreateUsageLimit(ctx, &redshiftserverless.CreateUsageLimitInput{ResourceArn: wgARN, UsageType: types.UsageLimitUsageTypeServerlessCompute, Amount: aws.Int64(0)}); !isSvValidation(err) {
			t.Errorf("usage limit of 0: %v, want ValidationException", err)
		}
		ul, err := c.CreateUsageLimit(ctx, &redshiftserverless.CreateUsageLimitInput{ResourceArn: wgARN, UsageType: types.UsageLimitUsageTypeServerlessCompute, Amount: aws.Int64(256), Period: types.UsageLimitPeriodDaily})
		if err != nil {
			t.Fatal(err)
		}
		if ul.UsageLimit.BreachAction != types.UsageLimitBreachActionLog || aws.ToString(ul.UsageLimit.UsageLimitId) == "" {
			t.Errorf("usage limit %+v, want breach action log by default", ul.UsageLimit)
		}
		if _, err := c.UpdateUsageLimit(ctx, &redshiftserverless.UpdateUsageLimitInput{UsageLimitId: ul.UsageLimit.UsageLimitId, BreachAction: types.UsageLimitBreachActionDeactivate}); err != nil {
			t.Fatal(err)
		}
		list, err := c.ListUsageLimits(ctx, &redshiftserverless.ListUsageLimitsInput{ResourceArn: wgARN})
		if err != nil || len(list.UsageLimits) != 1 || list.UsageLimits[0].BreachAction != types.UsageLimitBreachActionDeactivate || aws.ToInt64(list.UsageLimits[0].Amount) != 256 {
			t.Fatalf("ListUsageLimits: %+v %v", list, err)
		}
		if _, err := c.DeleteUsageLimit(ctx, &redshiftserverless.DeleteUsageLimitInput{UsageLimitId: ul.UsageLimit.UsageLimitId}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DeleteWorkgroup(ctx, &redshiftserverless.DeleteWorkgroupInput{WorkgroupName: wg}); err != nil {
			t.Fatal(err)
		}
		waitWorkgroup(t, h, "")
		d, err := c.DeleteNamespace(ctx, &redshiftserverless.DeleteNamespaceInput{NamespaceName: ns})
		if err != nil || d.Namespace.Status != types.NamespaceStatusDeleting {
			t.Fatalf("DeleteNamespace: %v", err)
		}
		for range 100 {
			h.Advance(h.Step)
			if _, err := c.GetNamespace(ctx, &redshiftserverless.GetNamespaceInput{NamespaceName: ns}); isSvNotFound(err) {
				return
			}
		}
		t.Error("namespace never went away")
	})
}

// waitWorkgroup advances until the workgroup has status want ("" means gone).
func waitWorkgroup(t *testing.T, h ServerlessHarness, want types.WorkgroupStatus) {
	t.Helper()
	for range 100 {
		out, err := h.Client.GetWorkgroup(context.Background(), &redshiftserverless.GetWorkgroupInput{WorkgroupName: aws.String(h.Workgroup)})
		if want == "" && isSvNotFound(err) {
			return
		}
		if err != nil && want != "" {
			t.Fatal(err)
		}
		if err == nil && out.Workgroup.Status == want {
			return
		}
		h.Advance(h.Step)
	}
	t.Fatalf("workgroup never reached %q", want)
}

func isSvNotFound(err error) bool {
	var e *types.ResourceNotFoundException
	return errors.As(err, &e)
}

func isSvConflict(err error) bool {
	var e *types.ConflictException
	return errors.As(err, &e)
}

func isSvValidation(err error) bool {
	var e *types.ValidationException
	return errors.As(err, &e)
}
