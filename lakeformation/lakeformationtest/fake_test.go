package lakeformationtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

type harness struct{ f *lakeformationtest.Fake }

func (h harness) Client() lakeformationtest.Client { return h.f }
func (h harness) Principal() string                { return "arn:aws:iam::123456789012:role/conformance" }
func (h harness) Database() string                 { return "conformance_db" }
func (h harness) Table() string                    { return "events" }
func (h harness) Prefix() string                   { return "conf_" }
func (h harness) Close()                           {}

func TestConformance(t *testing.T) {
	lakeformationtest.RunConformanceTests(t, func(_ context.Context, t *testing.T) (lakeformationtest.Harness, error) {
		f := lakeformationtest.New(func(o *lakeformationtest.Options) { o.StrictCatalog = true })
		f.AddTable("conformance_db", "events", "id", "ts")
		return harness{f}, nil
	})
}

func TestListPermissionsFilters(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	g := lakeformation.NewGranter(f)
	a, b := lakeformation.Role("arn:aws:iam::123456789012:role/a"), lakeformation.Role("arn:aws:iam::123456789012:role/b")
	if _, err := g.Grant(ctx, []lakeformation.Grant{
		{Principal: a, Resource: lakeformation.Database("sales"), Permissions: []lakeformation.Permission{lakeformation.Describe}},
		{Principal: a, Resource: lakeformation.Table("sales", "orders"), Permissions: []lakeformation.Permission{lakeformation.Select}},
		{Principal: b, Resource: lakeformation.Columns("sales", "orders", "id"), Permissions: []lakeformation.Permission{lakeformation.Select}},
		{Principal: b, Resource: lakeformation.AllTables("sales"), Permissions: []lakeformation.Permission{lakeformation.Describe}},
	}); err != nil {
		t.Fatal(err)
	}
	count := func(in *awslf.ListPermissionsInput) int {
		t.Helper()
		n := 0
		p := awslf.NewListPermissionsPaginator(f, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n += len(page.PrincipalResourcePermissions)
		}
		return n
	}
	tests := []struct {
		name string
		in   *awslf.ListPermissionsInput
		want int
	}{
		{"all", &awslf.ListPermissionsInput{}, 4},
		{"principal a", &awslf.ListPermissionsInput{Principal: a.SDK()}, 2},
		{"table resource selects columns too", &awslf.ListPermissionsInput{Resource: lakeformation.Table("sales", "orders").SDK()}, 2},
		{"wildcard resource", &awslf.ListPermissionsInput{Resource: lakeformation.AllTables("sales").SDK()}, 1},
		{"type TABLE", &awslf.ListPermissionsInput{ResourceType: types.DataLakeResourceTypeTable}, 3},
		{"type DATABASE for b", &awslf.ListPermissionsInput{ResourceType: types.DataLakeResourceTypeDatabase, Principal: b.SDK()}, 0},
		{"other catalog", &awslf.ListPermissionsInput{Resource: lakeformation.Database("sales").InCatalog("999999999999").SDK()}, 0},
	}
	for _, tt := range tests {
		if got := count(tt.in); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	_, err := f.ListPermissions(ctx, &awslf.ListPermissionsInput{MaxResults: aws.Int32(0)})
	var ie *types.InvalidInputException
	if !errors.As(err, &ie) {
		t.Errorf("MaxResults 0: %v", err)
	}
}

func TestBatchValidation(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	p := lakeformation.Role("arn:aws:iam::123456789012:role/a").SDK()
	_, err := f.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{
		{Id: aws.String("1"), Principal: p, Resource: lakeformation.Database("d").SDK(), Permissions: []types.Permission{types.PermissionDescribe}},
		{Id: aws.String("1"), Principal: p, Resource: lakeformation.Database("e").SDK(), Permissions: []types.Permission{types.PermissionDescribe}},
	}})
	var ie *types.InvalidInputException
	if !errors.As(err, &ie) {
		t.Errorf("duplicate IDs: %v", err)
	}
	out, err := f.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{
		{Id: aws.String("1"), Principal: p, Resource: lakeformation.Database("d").SDK(), Permissions: []types.Permission{types.PermissionSelect}},
		{Id: aws.String("2"), Principal: p, Resource: lakeformation.LFTag("nope", "x").SDK(), Permissions: []types.Permission{types.PermissionAssociate}},
	}})
	if err != nil || len(out.Failures) != 2 || aws.ToString(out.Failures[0].Error.ErrorCode) != "InvalidInputException" ||
		aws.ToString(out.Failures[1].Error.ErrorCode) != "EntityNotFoundException" {
		t.Errorf("failures %+v %v", out, err)
	}
}

func TestControlAndCallLog(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	seen := 0
	f.KeepControl("GetDataLakeSettings", func(any) (any, error, bool) {
		seen++
		return nil, nil, false // observe only
	})
	f.FailNext("GetDataLakeSettings", &types.AccessDeniedException{Message: aws.String("no")})
	if _, err := f.GetDataLakeSettings(ctx, &awslf.GetDataLakeSettingsInput{}); err == nil {
		t.Fatal("want injected error")
	}
	out, err := f.GetDataLakeSettings(ctx, &awslf.GetDataLakeSettingsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if v := out.DataLakeSettings.Parameters["CROSS_ACCOUNT_VERSION"]; v != "1" || len(out.DataLakeSettings.CreateTableDefaultPermissions) != 1 {
		t.Errorf("default settings %+v", out.DataLakeSettings)
	}
	if seen != 2 {
		t.Errorf("kept control saw %d calls, want 2", seen)
	}
	calls := f.Calls()
	if len(calls) != 2 || calls[0].Err == nil || calls[1].Err != nil {
		t.Errorf("calls %+v", calls)
	}
	_, err = f.PutDataLakeSettings(ctx, &awslf.PutDataLakeSettingsInput{DataLakeSettings: &types.DataLakeSettings{Parameters: map[string]string{"CROSS_ACCOUNT_VERSION": "9"}}})
	var ie *types.InvalidInputException
	if !errors.As(err, &ie) {
		t.Errorf("bad version: %v", err)
	}
}

func TestRAMErrors(t *testing.T) {
	ctx := context.Background()
	r := lakeformationtest.NewRAM()
	arn := r.Invite("111122223333", "s")
	if _, err := r.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err := r.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: aws.String(arn)})
	var aa *ramtypes.ResourceShareInvitationAlreadyAcceptedException
	if !errors.As(err, &aa) {
		t.Errorf("accept twice: %v", err)
	}
	_, err = r.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: aws.String("arn:aws:ram:eu-west-1:111122223333:resource-share-invitation/none")})
	var nf *ramtypes.ResourceShareInvitationArnNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("unknown: %v", err)
	}
	exp := r.Invite("111122223333", "e")
	r.SetStatus(exp, ramtypes.ResourceShareInvitationStatusExpired)
	_, err = r.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: aws.String(exp)})
	var ee *ramtypes.ResourceShareInvitationExpiredException
	if !errors.As(err, &ee) {
		t.Errorf("expired: %v", err)
	}
	_, err = r.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{NextToken: aws.String("bogus")})
	var bt *ramtypes.InvalidNextTokenException
	if !errors.As(err, &bt) {
		t.Errorf("bad token: %v", err)
	}
	r.ThrottleNext("GetResourceShareInvitations", 1)
	_, err = r.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{})
	var te *ramtypes.ThrottlingException
	if !errors.As(err, &te) || !lakeformation.IsRetryable(err) {
		t.Errorf("throttled: got %v, want a retryable *types.ThrottlingException", err)
	}
	if _, err := r.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{}); err != nil {
		t.Errorf("ThrottleNext(1) throttled the second call too: %v", err)
	}
	if n := r.Count("AcceptResourceShareInvitation"); n != 4 {
		t.Errorf("%d accept calls logged", n)
	}
}

func TestThrottleAndConcurrentModification(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	f.ThrottleNext("ListPermissions", 1)
	f.ConcurrentModificationNext("BatchGrantPermissions", 1)
	_, err := f.ListPermissions(ctx, &awslf.ListPermissionsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" || !lakeformation.IsRetryable(err) {
		t.Errorf("throttled ListPermissions: got %v, want a retryable ThrottlingException", err)
	}
	entry := types.BatchPermissionsRequestEntry{Id: aws.String("1"), Principal: lakeformation.Account("210987654321").SDK(),
		Resource: lakeformation.Database("sales").SDK(), Permissions: []types.Permission{types.PermissionDescribe}}
	_, err = f.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{entry}})
	var cme *types.ConcurrentModificationException
	if !errors.As(err, &cme) {
		t.Errorf("got %v, want *types.ConcurrentModificationException", err)
	}
	if len(f.Permissions()) != 0 {
		t.Error("a call failed by injection changed the fake's state")
	}
	if _, err := f.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{entry}}); err != nil {
		t.Fatal(err)
	}
	if len(f.Permissions()) != 1 || f.Count("BatchGrantPermissions") != 2 || f.WriteCount() != 2 {
		t.Errorf("permissions %d, batch calls %d, writes %d", len(f.Permissions()), f.Count("BatchGrantPermissions"), f.WriteCount())
	}
}
