package lakeformation_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func principal(id string) types.DataLakePrincipal {
	return types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(id)}
}

// fullSettings sets every field of DataLakeSettings, as an account configured for EMR
// runtime roles with LF-tag cross-account sharing would.
func fullSettings() *types.DataLakeSettings {
	return &types.DataLakeSettings{
		DataLakeAdmins: []types.DataLakePrincipal{principal("arn:aws:iam::123456789012:role/lf-admin")},
		ReadOnlyAdmins: []types.DataLakePrincipal{principal("arn:aws:iam::123456789012:role/auditor")},
		CreateDatabaseDefaultPermissions: []types.PrincipalPermissions{{Principal: &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("arn:aws:iam::123456789012:role/etl")},
			Permissions: []types.Permission{types.PermissionDescribe}}},
		CreateTableDefaultPermissions: []types.PrincipalPermissions{{Principal: &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("arn:aws:iam::123456789012:role/etl")},
			Permissions: []types.Permission{types.PermissionAll}}},
		TrustedResourceOwners:            []string{"210987654321"},
		AllowExternalDataFiltering:       aws.Bool(true),
		ExternalDataFilteringAllowList:   []types.DataLakePrincipal{principal("123456789012")},
		AuthorizedSessionTagValueList:    []string{"Amazon EMR"},
		AllowFullTableExternalDataAccess: aws.Bool(true),
		Parameters:                       map[string]string{"CROSS_ACCOUNT_VERSION": "3", "SET_CONTEXT": "TRUE"},
	}
}

var settingsOpts = cmpopts.IgnoreUnexported(types.DataLakeSettings{}, types.DataLakePrincipal{}, types.PrincipalPermissions{})

// TestFullSettingsSetsEveryField guards the test below: if the SDK adds a DataLakeSettings
// field, fullSettings must set it, or a change that drops it would go unnoticed.
func TestFullSettingsSetsEveryField(t *testing.T) {
	v := reflect.ValueOf(*fullSettings())
	for i := range v.NumField() {
		f, field := v.Field(i), v.Type().Field(i)
		if !field.IsExported() {
			continue
		}
		if f.IsZero() || ((f.Kind() == reflect.Slice || f.Kind() == reflect.Map) && f.Len() == 0) {
			t.Errorf("fullSettings leaves DataLakeSettings.%s empty", field.Name)
		}
	}
}

func TestSettingsChangesKeepOtherFields(t *testing.T) {
	ctx := context.Background()
	newAdmin := lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/platform")
	tests := []struct {
		name   string
		change func(s *lakeformation.Settings) (bool, error)
		edit   func(want *types.DataLakeSettings)
	}{
		{"AddAdmins", func(s *lakeformation.Settings) (bool, error) {
			return s.AddAdmins(ctx, []lakeformation.DataLakePrincipal{newAdmin})
		},
			func(w *types.DataLakeSettings) {
				w.DataLakeAdmins = append(w.DataLakeAdmins, principal(string(newAdmin)))
			}},
		{"RemoveAdmins", func(s *lakeformation.Settings) (bool, error) {
			return s.RemoveAdmins(ctx, []lakeformation.DataLakePrincipal{"arn:aws:iam::123456789012:role/lf-admin"})
		}, func(w *types.DataLakeSettings) { w.DataLakeAdmins = []types.DataLakePrincipal{} }},
		{"AddReadOnlyAdmins", func(s *lakeformation.Settings) (bool, error) {
			return s.AddReadOnlyAdmins(ctx, []lakeformation.DataLakePrincipal{newAdmin})
		},
			func(w *types.DataLakeSettings) {
				w.ReadOnlyAdmins = append(w.ReadOnlyAdmins, principal(string(newAdmin)))
			}},
		{"RemoveReadOnlyAdmins", func(s *lakeformation.Settings) (bool, error) {
			return s.RemoveReadOnlyAdmins(ctx, []lakeformation.DataLakePrincipal{"arn:aws:iam::123456789012:role/auditor"})
		}, func(w *types.DataLakeSettings) { w.ReadOnlyAdmins = []types.DataLakePrincipal{} }},
		{"SetCrossAccountVersion", func(s *lakeformation.Settings) (bool, error) { return s.SetCrossAccountVersion(ctx, 4) },
			func(w *types.DataLakeSettings) { w.Parameters["CROSS_ACCOUNT_VERSION"] = "4" }},
		{"EnableExternalDataFiltering", func(s *lakeformation.Settings) (bool, error) {
			return s.EnableExternalDataFiltering(ctx, []string{"Amazon EMR", "Athena"}, []lakeformation.DataLakePrincipal{"210987654321"})
		}, func(w *types.DataLakeSettings) {
			w.AuthorizedSessionTagValueList = append(w.AuthorizedSessionTagValueList, "Athena")
			w.ExternalDataFilteringAllowList = append(w.ExternalDataFilteringAllowList, principal("210987654321"))
		}},
		{"SetDefaultPermissions", func(s *lakeformation.Settings) (bool, error) {
			return s.SetDefaultPermissions(ctx, nil, nil)
		}, func(w *types.DataLakeSettings) {
			w.CreateDatabaseDefaultPermissions = []types.PrincipalPermissions{}
			w.CreateTableDefaultPermissions = []types.PrincipalPermissions{}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := lakeformationtest.New(func(o *lakeformationtest.Options) { o.Settings = fullSettings() })
			s := lakeformation.NewSettings(f)
			changed, err := tt.change(s)
			if err != nil || !changed {
				t.Fatalf("changed=%v err=%v", changed, err)
			}
			want := fullSettings()
			tt.edit(want)
			got := settingsOf(f)
			if d := cmp.Diff(want, &got, settingsOpts); d != "" {
				t.Errorf("settings after %s (-want +got):\n%s", tt.name, d)
			}
			// The PutDataLakeSettings body carries every field, not just the changed one.
			var put *awslf.PutDataLakeSettingsInput
			for _, c := range f.Calls() {
				if c.Op == "PutDataLakeSettings" {
					put = c.Input.(*awslf.PutDataLakeSettingsInput)
				}
			}
			if d := cmp.Diff(want, put.DataLakeSettings, settingsOpts); d != "" {
				t.Errorf("PutDataLakeSettings body (-want +got):\n%s", d)
			}
			// The same change again writes nothing.
			puts := f.Count("PutDataLakeSettings")
			if changed, err := tt.change(s); err != nil || changed {
				t.Errorf("repeat: changed=%v err=%v", changed, err)
			}
			if f.Count("PutDataLakeSettings") != puts {
				t.Error("repeat change wrote the settings")
			}
		})
	}
}

func TestSettingsValidation(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	s := lakeformation.NewSettings(f)
	if _, err := s.SetCrossAccountVersion(ctx, 5); err == nil {
		t.Error("version 5: want error")
	}
	if _, err := s.AddAdmins(ctx, []lakeformation.DataLakePrincipal{"not-a-principal"}); err == nil {
		t.Error("bad admin: want error")
	}
	if _, err := s.AddAdmins(ctx, nil); err == nil {
		t.Error("no admin: want error")
	}
	if len(f.Calls()) != 0 {
		t.Errorf("invalid inputs made %d calls", len(f.Calls()))
	}
	f.FailNext("GetDataLakeSettings", &types.AccessDeniedException{Message: aws.String("denied")})
	_, err := s.AddAdmins(ctx, []lakeformation.DataLakePrincipal{"arn:aws:iam::123456789012:role/x"})
	var ade *types.AccessDeniedException
	if !errors.As(err, &ade) {
		t.Errorf("got %v, want wrapped AccessDeniedException", err)
	}
}

func TestRegisterLocation(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	s := lakeformation.NewSettings(f)
	in := lakeformation.RegisterLocationInput{Location: "arn:aws:s3:::lake/raw", RoleARN: "arn:aws:iam::123456789012:role/lf-data-access", HybridAccess: true}
	if ok, err := s.RegisterLocation(ctx, in); err != nil || !ok {
		t.Fatalf("register: %v %v", ok, err)
	}
	f.ResetCalls()
	if ok, err := s.RegisterLocation(ctx, in); err != nil || ok {
		t.Fatalf("register again: %v %v, want idempotent success", ok, err)
	}
	// The second registration meets AlreadyExistsException and checks the registration in place.
	var ops []string
	for _, c := range f.Calls() {
		ops = append(ops, c.Op)
	}
	if got := strings.Join(ops, ","); got != "RegisterResource,DescribeResource" {
		t.Errorf("calls %s", got)
	}
	loc, err := f.DescribeResource(ctx, &awslf.DescribeResourceInput{ResourceArn: aws.String(in.Location)})
	if err != nil || aws.ToString(loc.ResourceInfo.RoleArn) != in.RoleARN || !aws.ToBool(loc.ResourceInfo.HybridAccessEnabled) {
		t.Errorf("location: %+v, %v", loc, err)
	}

	// The same location asked with another role, or without hybrid access, is a conflict.
	for _, other := range []lakeformation.RegisterLocationInput{
		{Location: in.Location, RoleARN: "arn:aws:iam::123456789012:role/other", HybridAccess: true},
		{Location: in.Location, RoleARN: in.RoleARN},
		{Location: in.Location, HybridAccess: true},
	} {
		_, err := s.RegisterLocation(ctx, other)
		var lce *lakeformation.LocationConflictError
		if !errors.As(err, &lce) || lce.Registered.RoleARN != in.RoleARN || !lce.Registered.HybridAccess || lce.Registered.Location != in.Location || lce.Want != other {
			t.Errorf("%+v: got %v, want *LocationConflictError", other, err)
		}
	}

	// Without a role, Lake Formation uses its service-linked role; registering again matches it.
	slr := lakeformation.RegisterLocationInput{Location: "arn:aws:s3:::lake/curated"}
	for i, want := range []bool{true, false} {
		if ok, err := s.RegisterLocation(ctx, slr); err != nil || ok != want {
			t.Fatalf("service-linked role registration %d: %v %v", i, ok, err)
		}
	}

	f.ResetCalls()
	if _, err := s.RegisterLocation(ctx, lakeformation.RegisterLocationInput{Location: "s3://lake/raw"}); err == nil {
		t.Error("s3:// URL: want error")
	}
	if _, err := s.RegisterLocation(ctx, lakeformation.RegisterLocationInput{Location: "arn:aws:s3:::lake/x", RoleARN: "arn:aws:iam::123456789012:user/u"}); err == nil {
		t.Error("user as role: want error")
	}
	if n := len(f.Calls()); n != 0 {
		t.Errorf("invalid inputs made %d calls", n)
	}
}

// TestSettingsAndTagsRetryThrottling: Settings and Tags retry a throttled or concurrently
// modified call as Options.Retry says, on the fake's clock, and give up after MaxAttempts.
func TestSettingsAndTagsRetryThrottling(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	f.ThrottleNext(lakeformationtest.OpGetDataLakeSettings, 2)
	concurrentModificationNext(f, lakeformationtest.OpPutDataLakeSettings, 1)
	changed, err := lakeformation.NewSettings(f).SetCrossAccountVersion(ctx, 4)
	if err != nil || !changed {
		t.Fatalf("SetCrossAccountVersion: %v, %v", changed, err)
	}
	if g, p := f.Count(lakeformationtest.OpGetDataLakeSettings), f.Count(lakeformationtest.OpPutDataLakeSettings); g != 3 || p != 2 {
		t.Errorf("%d gets and %d puts, want 3 and 2", g, p)
	}
	concurrentModificationNext(f, lakeformationtest.OpUpdateLFTag, 1)
	f.ThrottleNext(lakeformationtest.OpGetLFTag, 1)
	tags := lakeformation.NewTags(f)
	if _, err := tags.Ensure(ctx, lakeformation.Tag{Key: "tier", Values: []string{"gold"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := tags.Ensure(ctx, lakeformation.Tag{Key: "tier", Values: []string{"silver"}}); err != nil {
		t.Fatal(err)
	}
	if n := f.Count(lakeformationtest.OpUpdateLFTag); n != 2 {
		t.Errorf("%d UpdateLFTag calls, want 2", n)
	}
	f.ThrottleNext(lakeformationtest.OpGetDataLakeSettings, 3)
	_, err = lakeformation.NewSettings(f, func(o *lakeformation.Options) { o.Retry.MaxAttempts = 2 }).SetCrossAccountVersion(ctx, 3)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" || !strings.HasPrefix(err.Error(), "lakeformation: GetDataLakeSettings: ") {
		t.Errorf("after MaxAttempts: %v, want the throttling error", err)
	}
}
