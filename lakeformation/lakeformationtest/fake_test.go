package lakeformationtest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/internal/conformance"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

type harness struct{ f *lakeformationtest.Fake }

func (h harness) Client() conformance.Client { return h.f }
func (h harness) Principal() string          { return "arn:aws:iam::123456789012:role/conformance" }
func (h harness) Database() string           { return "conformance_db" }
func (h harness) Table() string              { return "events" }
func (h harness) Column() string             { return "ts" }
func (h harness) Prefix() string             { return "conf_" }
func (h harness) Close()                     {}

// The fakes satisfy every client interface of package lakeformation; the assertions live in
// a test so that the fake package itself does not import the helper it fakes.
var (
	_ conformance.Client                 = (*lakeformationtest.Fake)(nil)
	_ lakeformation.PermissionsAPIClient = (*lakeformationtest.Fake)(nil)
	_ lakeformation.SettingsAPIClient    = (*lakeformationtest.Fake)(nil)
	_ lakeformation.LFTagsAPIClient      = (*lakeformationtest.Fake)(nil)
	_ lakeformation.MeshAPIClient        = (*lakeformationtest.Fake)(nil)
	_ lakeformation.InvitationsAPIClient = (*lakeformationtest.RAM)(nil)
	_ datablocks.ClockSource             = (*lakeformationtest.Fake)(nil)
	_ datablocks.ClockSource             = (*lakeformationtest.RAM)(nil)
	_ lakeformation.PublishAPIClient     = (*lakeformationtest.SNS)(nil)
)

func TestConformance(t *testing.T) {
	conformance.RunConformanceTests(t, func(_ context.Context, t *testing.T) (conformance.Harness, error) {
		f := lakeformationtest.New(func(o *lakeformationtest.Options) { o.StrictCatalog = true })
		f.AddTable("conformance_db", "events", "id", "ts")
		return harness{f}, nil
	})
}

func TestListPermissionsFilters(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	g := lakeformation.NewPlanner(f)
	a, b := lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/a"), lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/b")
	if _, err := g.Apply(ctx, &lakeformation.Plan{Grants: []lakeformation.Grant{
		{Principal: a, Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}},
		{Principal: a, Resource: lakeformation.Table("sales", "orders"), Permissions: []types.Permission{types.PermissionSelect}},
		{Principal: b, Resource: lakeformation.Columns("sales", "orders", "id"), Permissions: []types.Permission{types.PermissionSelect}},
		{Principal: b, Resource: lakeformation.AllTables("sales"), Permissions: []types.Permission{types.PermissionDescribe}},
	}}); err != nil {
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
		{"principal a", &awslf.ListPermissionsInput{Principal: sdkPrincipal(string(a))}, 2},
		{"table resource selects columns too", &awslf.ListPermissionsInput{Resource: &types.Resource{Table: &types.TableResource{DatabaseName: aws.String("sales"), Name: aws.String("orders")}}}, 2},
		{"wildcard resource", &awslf.ListPermissionsInput{Resource: &types.Resource{Table: &types.TableResource{DatabaseName: aws.String("sales"), TableWildcard: &types.TableWildcard{}}}}, 1},
		{"type TABLE", &awslf.ListPermissionsInput{ResourceType: types.DataLakeResourceTypeTable}, 3},
		{"type DATABASE for b", &awslf.ListPermissionsInput{ResourceType: types.DataLakeResourceTypeDatabase, Principal: sdkPrincipal(string(b))}, 0},
		{"other catalog", &awslf.ListPermissionsInput{Resource: sdkDatabaseIn("999999999999", "sales")}, 0},
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
	p := sdkPrincipal("arn:aws:iam::123456789012:role/a")
	_, err := f.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{
		{Id: aws.String("1"), Principal: p, Resource: sdkDatabaseIn("", "d"), Permissions: []types.Permission{types.PermissionDescribe}},
		{Id: aws.String("1"), Principal: p, Resource: sdkDatabaseIn("", "e"), Permissions: []types.Permission{types.PermissionDescribe}},
	}})
	var ie *types.InvalidInputException
	if !errors.As(err, &ie) {
		t.Errorf("duplicate IDs: %v", err)
	}
	out, err := f.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{
		{Id: aws.String("1"), Principal: p, Resource: sdkDatabaseIn("", "d"), Permissions: []types.Permission{types.PermissionSelect}},
		{Id: aws.String("2"), Principal: p, Resource: &types.Resource{LFTag: &types.LFTagKeyResource{TagKey: aws.String("nope"), TagValues: []string{"x"}}}, Permissions: []types.Permission{types.PermissionAssociate}},
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
	f.KeepControl(lakeformationtest.OpGetDataLakeSettings, func(any) (any, error, bool) {
		seen++
		return nil, nil, false // observe only
	})
	f.FailNext(lakeformationtest.OpGetDataLakeSettings, &types.AccessDeniedException{Message: aws.String("no")})
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
	if !errors.As(err, &te) {
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
	f.FailNext("BatchGrantPermissions", &smithy.GenericAPIError{Code: "ConcurrentModificationException", Message: "Concurrent modification", Fault: smithy.FaultClient})
	_, err := f.ListPermissions(ctx, &awslf.ListPermissionsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" {
		t.Errorf("throttled ListPermissions: got %v, want a retryable ThrottlingException", err)
	}
	entry := types.BatchPermissionsRequestEntry{Id: aws.String("1"), Principal: sdkPrincipal("210987654321"),
		Resource: sdkDatabaseIn("", "sales"), Permissions: []types.Permission{types.PermissionDescribe}}
	_, err = f.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{entry}})
	var cme smithy.APIError
	if !errors.As(err, &cme) || cme.ErrorCode() != "ConcurrentModificationException" {
		t.Errorf("got %v, want code ConcurrentModificationException", err)
	}
	if len(held(f)) != 0 {
		t.Error("a call failed by injection changed the fake's state")
	}
	if _, err := f.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{entry}}); err != nil {
		t.Fatal(err)
	}
	if len(held(f)) != 1 || f.Count("BatchGrantPermissions") != 2 {
		t.Errorf("permissions %d, batch calls %d", len(held(f)), f.Count("BatchGrantPermissions"))
	}
}

// TestGrantRulesOfTheFake checks the fake's own reading of the API reference and the
// developer guide, entry by entry, without package lakeformation's validation.
func TestGrantRulesOfTheFake(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	if _, err := f.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String("tier"), TagValues: []string{"gold", "silver"}}); err != nil {
		t.Fatal(err)
	}
	role := &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("arn:aws:iam::123456789012:role/a")}
	sel := []types.Permission{types.PermissionSelect}
	tag := func(values ...string) *types.Resource {
		return &types.Resource{LFTag: &types.LFTagKeyResource{TagKey: aws.String("tier"), TagValues: values}}
	}
	tests := []struct {
		name      string
		principal *types.DataLakePrincipal
		resource  *types.Resource
		perms     []types.Permission
		grantable []types.Permission
		code      string // "" for success
	}{
		{"select on named table", role, &types.Resource{Table: &types.TableResource{DatabaseName: aws.String("d"), Name: aws.String("t")}}, sel, nil, ""},
		{"table without name or wildcard", role, &types.Resource{Table: &types.TableResource{DatabaseName: aws.String("d")}}, sel, nil, "InvalidInputException"},
		{"two union members", role, &types.Resource{Database: &types.DatabaseResource{Name: aws.String("d")}, Catalog: &types.CatalogResource{}}, []types.Permission{types.PermissionDescribe}, nil, "InvalidInputException"},
		{"grant option on exclude list", role, &types.Resource{TableWithColumns: &types.TableWithColumnsResource{DatabaseName: aws.String("d"), Name: aws.String("t"),
			ColumnWildcard: &types.ColumnWildcard{ExcludedColumnNames: []string{"email"}}}}, sel, sel, "InvalidInputException"},
		{"grant option on include list", role, &types.Resource{TableWithColumns: &types.TableWithColumnsResource{DatabaseName: aws.String("d"), Name: aws.String("t"),
			ColumnNames: []string{"id"}}}, sel, sel, ""},
		{"insert on columns", role, &types.Resource{TableWithColumns: &types.TableWithColumnsResource{DatabaseName: aws.String("d"), Name: aws.String("t"),
			ColumnNames: []string{"id"}}}, []types.Permission{types.PermissionInsert}, nil, "InvalidInputException"},
		{"grant option not granted", role, &types.Resource{Database: &types.DatabaseResource{Name: aws.String("d")}},
			[]types.Permission{types.PermissionDescribe}, []types.Permission{types.PermissionAlter}, "InvalidInputException"},
		{"alter on named tag values", role, tag("gold"), []types.Permission{types.PermissionAlter}, nil, "InvalidInputException"},
		{"alter on the tag key", role, tag("*"), []types.Permission{types.PermissionAlter, types.PermissionDrop}, nil, ""},
		{"associate on values", role, tag("gold", "silver"), []types.Permission{types.PermissionAssociate, types.PermissionDescribe}, nil, ""},
		{"external account without grant option", &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("210987654321")},
			tag("gold"), []types.Permission{types.PermissionDescribe}, nil, "InvalidInputException"},
		{"unknown tag value", role, tag("bronze"), []types.Permission{types.PermissionDescribe}, nil, "EntityNotFoundException"},
		{"principal not an ARN", &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("bob")},
			&types.Resource{Database: &types.DatabaseResource{Name: aws.String("d")}}, []types.Permission{types.PermissionDescribe}, nil, "InvalidInputException"},
		{"unknown permission", role, &types.Resource{Database: &types.DatabaseResource{Name: aws.String("d")}}, []types.Permission{"READ"}, nil, "InvalidInputException"},
	}
	for _, tt := range tests {
		out, err := f.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{{
			Id: aws.String("1"), Principal: tt.principal, Resource: tt.resource, Permissions: tt.perms, PermissionsWithGrantOption: tt.grantable}}})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := ""
		if len(out.Failures) > 0 {
			got = aws.ToString(out.Failures[0].Error.ErrorCode)
		}
		if got != tt.code {
			t.Errorf("%s: failure code %q, want %q (%+v)", tt.name, got, tt.code, out.Failures)
		}
	}
}

func TestUnknownOperationNamePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("FailNext with a misspelled operation did not panic")
		}
	}()
	lakeformationtest.New().FailNext("BatchGrantPermission", errors.New("x"))
}

func TestFakeClockStampsLastUpdated(t *testing.T) {
	clock := datablocks.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	f := lakeformationtest.New(func(o *lakeformationtest.Options) { o.Clock = clock })
	if f.Clock() != datablocks.Clock(clock) {
		t.Fatal("Clock() is not the clock given")
	}
	_, err := f.BatchGrantPermissions(context.Background(), &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{{
		Id: aws.String("1"), Principal: &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("210987654321")},
		Resource: &types.Resource{Database: &types.DatabaseResource{Name: aws.String("d")}}, Permissions: []types.Permission{types.PermissionDescribe}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToTime(held(f)[0].LastUpdated); !got.Equal(clock.Now()) {
		t.Errorf("LastUpdated %v, want %v", got, clock.Now())
	}
	if New := lakeformationtest.New(); New.Clock() == nil {
		t.Error("a fake without Options.Clock has no clock")
	}
}

// FuzzGrantRevokeRoundTrip sends fuzzed resources through BatchGrantPermissions: the fake
// must not panic, and whatever it accepts, revoking the same entry removes, leaving nothing
// listed.
func FuzzGrantRevokeRoundTrip(f *testing.F) {
	f.Add(uint8(0), "sales", "orders", "email", "SELECT")
	f.Add(uint8(1), "sales", "", "", "DESCRIBE")
	f.Add(uint8(2), "tier", "gold", "*", "ASSOCIATE")
	f.Add(uint8(3), "arn:aws:s3:::lake/raw", "", "", "DATA_LOCATION_ACCESS")
	f.Fuzz(func(t *testing.T, shape uint8, a, b, c, perm string) {
		ctx := context.Background()
		fk := lakeformationtest.New()
		if _, err := fk.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String("tier"), TagValues: []string{"gold", "silver"}}); err != nil {
			t.Fatal(err)
		}
		var r *types.Resource
		switch shape % 5 {
		case 0:
			r = &types.Resource{TableWithColumns: &types.TableWithColumnsResource{DatabaseName: aws.String(a), Name: aws.String(b),
				ColumnWildcard: &types.ColumnWildcard{ExcludedColumnNames: []string{c}}}}
		case 1:
			r = &types.Resource{Table: &types.TableResource{DatabaseName: aws.String(a), Name: aws.String(b), TableWildcard: &types.TableWildcard{}}}
		case 2:
			r = &types.Resource{LFTag: &types.LFTagKeyResource{TagKey: aws.String(a), TagValues: []string{b, c}}}
		case 3:
			r = &types.Resource{DataLocation: &types.DataLocationResource{ResourceArn: aws.String(a)}}
		case 4:
			r = &types.Resource{LFTagPolicy: &types.LFTagPolicyResource{ResourceType: types.ResourceType(b),
				Expression: []types.LFTag{{TagKey: aws.String(a), TagValues: []string{c}}}}}
		}
		e := types.BatchPermissionsRequestEntry{Id: aws.String("1"), Principal: &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("arn:aws:iam::123456789012:role/a")},
			Resource: r, Permissions: []types.Permission{types.Permission(perm)}}
		out, err := fk.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{e}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Failures) > 0 {
			if len(held(fk)) != 0 {
				t.Fatalf("a failed grant changed the state: %+v", held(fk))
			}
			return
		}
		rout, err := fk.BatchRevokePermissions(ctx, &awslf.BatchRevokePermissionsInput{Entries: []types.BatchPermissionsRequestEntry{e}})
		if err != nil || len(rout.Failures) > 0 {
			t.Fatalf("revoking an accepted grant: %+v %v", rout, err)
		}
		if held := held(fk); len(held) != 0 {
			t.Errorf("left after revoke: %+v", held)
		}
	})
}

// TestSNSPublishRules checks the SNS fake's reading of the Publish API reference.
func TestSNSPublishRules(t *testing.T) {
	ctx := context.Background()
	s := lakeformationtest.NewSNS()
	topic := "arn:aws:sns:eu-west-1:123456789012:approvals"
	s.AddTopic(topic)
	str := func(v string) snstypes.MessageAttributeValue {
		return snstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
	}
	tests := []struct {
		name string
		in   *sns.PublishInput
		code string
	}{
		{"ok", &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("m"), Subject: aws.String("s"),
			MessageAttributes: map[string]snstypes.MessageAttributeValue{"request_id": str("r")}}, ""},
		{"no message", &sns.PublishInput{TopicArn: aws.String(topic)}, "InvalidParameter"},
		{"two destinations", &sns.PublishInput{TopicArn: aws.String(topic), TargetArn: aws.String(topic), Message: aws.String("m")}, "InvalidParameter"},
		{"subject of 100", &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("m"), Subject: aws.String(strings.Repeat("s", 100))}, "InvalidParameter"},
		{"subject of 99", &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("m"), Subject: aws.String(strings.Repeat("s", 99))}, ""},
		{"subject with newline", &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("m"), Subject: aws.String("a\nb")}, "InvalidParameter"},
		{"reserved attribute", &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("m"),
			MessageAttributes: map[string]snstypes.MessageAttributeValue{"AWS.x": str("v")}}, "InvalidParameter"},
		{"attribute type", &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("m"),
			MessageAttributes: map[string]snstypes.MessageAttributeValue{"a": {DataType: aws.String("Text"), StringValue: aws.String("v")}}}, "InvalidParameter"},
		{"unknown topic", &sns.PublishInput{TopicArn: aws.String(topic + "x"), Message: aws.String("m")}, "NotFound"},
	}
	for _, tt := range tests {
		_, err := s.Publish(ctx, tt.in)
		code := ""
		var ae smithy.APIError
		if errors.As(err, &ae) {
			code = ae.ErrorCode()
		} else if err != nil {
			code = err.Error()
		}
		if code != tt.code {
			t.Errorf("%s: code %q, want %q (%v)", tt.name, code, tt.code, err)
		}
	}
	published := 0
	for _, c := range s.Calls() {
		if c.Op == lakeformationtest.OpPublish && c.Err == nil {
			published++
		}
	}
	if published != 2 {
		t.Errorf("%d messages published, want 2", published)
	}
}

func sdkPrincipal(id string) *types.DataLakePrincipal {
	return &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(id)}
}

func sdkDatabaseIn(catalog, name string) *types.Resource {
	r := &types.DatabaseResource{Name: aws.String(name)}
	if catalog != "" {
		r.CatalogId = aws.String(catalog)
	}
	return &types.Resource{Database: r}
}

// held returns every permission the fake holds, read with ListPermissions (every page).
func held(f *lakeformationtest.Fake) []types.PrincipalResourcePermissions {
	var out []types.PrincipalResourcePermissions
	p := awslf.NewListPermissionsPaginator(f, &awslf.ListPermissionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			panic(err)
		}
		out = append(out, page.PrincipalResourcePermissions...)
	}
	return out
}
