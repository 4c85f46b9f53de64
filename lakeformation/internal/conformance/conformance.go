// Package conformance is the conformance suite of the Lake Formation fake: the behaviors a
// Lake Formation client must show, checked at the SDK interface. It runs in every go test
// against lakeformationtest.Fake in-process and through the real SDK client over localaws,
// and against real AWS under the integration build tag; when they disagree, AWS is right and
// the fake must change. It does not import package lakeformation, so that the suite stays a
// reading of AWS independent of the helpers.
package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/datablocks-go/datablocks"
)

// Client is every Lake Formation operation the conformance suite calls, with the SDK's
// signatures. *awslf.Client and *lakeformationtest.Fake satisfy it.
type Client interface {
	BatchGrantPermissions(context.Context, *awslf.BatchGrantPermissionsInput, ...func(*awslf.Options)) (*awslf.BatchGrantPermissionsOutput, error)
	BatchRevokePermissions(context.Context, *awslf.BatchRevokePermissionsInput, ...func(*awslf.Options)) (*awslf.BatchRevokePermissionsOutput, error)
	ListPermissions(context.Context, *awslf.ListPermissionsInput, ...func(*awslf.Options)) (*awslf.ListPermissionsOutput, error)
	GetDataLakeSettings(context.Context, *awslf.GetDataLakeSettingsInput, ...func(*awslf.Options)) (*awslf.GetDataLakeSettingsOutput, error)
	PutDataLakeSettings(context.Context, *awslf.PutDataLakeSettingsInput, ...func(*awslf.Options)) (*awslf.PutDataLakeSettingsOutput, error)
	DescribeResource(context.Context, *awslf.DescribeResourceInput, ...func(*awslf.Options)) (*awslf.DescribeResourceOutput, error)
	CreateLFTag(context.Context, *awslf.CreateLFTagInput, ...func(*awslf.Options)) (*awslf.CreateLFTagOutput, error)
	GetLFTag(context.Context, *awslf.GetLFTagInput, ...func(*awslf.Options)) (*awslf.GetLFTagOutput, error)
	UpdateLFTag(context.Context, *awslf.UpdateLFTagInput, ...func(*awslf.Options)) (*awslf.UpdateLFTagOutput, error)
	DeleteLFTag(context.Context, *awslf.DeleteLFTagInput, ...func(*awslf.Options)) (*awslf.DeleteLFTagOutput, error)
}

var _ Client = (*awslf.Client)(nil)

// Harness gives the conformance suite a client and catalog resources to grant on.
type Harness interface {
	// Client returns the client under test; its caller must be a data lake administrator.
	Client() Client
	// Principal returns an IAM role ARN in the account that the suite may grant to and revoke
	// from; the suite leaves it with the permissions it had.
	Principal() string
	// Database and Table name an existing Glue database and a table in it, and Column a
	// column of that table.
	Database() string
	Table() string
	Column() string
	// Prefix returns a prefix, unique to the run, for the LF-tags the suite creates.
	Prefix() string
	// Close releases the harness.
	Close()
}

// HarnessMaker makes a Harness for one subtest. An error fails the subtest.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// RunConformanceTests runs the behaviors a Lake Formation client must show, one subtest
// each: the fake in every go test, real AWS under the integration build tag. When they
// disagree, AWS is right and the fake must change.
func RunConformanceTests(t *testing.T, newHarness HarnessMaker) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, ctx context.Context, h Harness)
	}{
		{"GrantsAccumulate", testGrantsAccumulate},
		{"GrantOptionRevokedAlone", testGrantOptionRevokedAlone},
		{"TableSelectIsRecordedOnColumns", testTableSelectOnColumns},
		{"RevokeNotHeldFails", testRevokeNotHeld},
		{"BatchPartialFailure", testBatchPartialFailure},
		{"BatchOver20EntriesRejected", testBatchLimit},
		{"ListPermissionsPages", testListPages},
		{"ListPermissionsRejectsColumns", testListRejectsColumns},
		{"AllTablesListedAsALL_TABLES", testAllTablesListing},
		{"GrantOptionNeedsIncludeList", testGrantOptionExcludeList},
		{"LFTagValuesListedTogether", testLFTagValuesListing},
		{"LFTagErrors", testLFTagErrors},
		{"SettingsRoundTrip", testSettingsRoundTrip},
		{"DescribeUnregisteredLocation", testDescribeUnregistered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			h, err := newHarness(ctx, t)
			if err != nil {
				t.Fatalf("making harness: %v", err)
			}
			defer h.Close()
			tt.fn(t, ctx, h)
		})
	}
}

func principal(p string) *types.DataLakePrincipal {
	return &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(p)}
}

func database(name string) *types.Resource {
	return &types.Resource{Database: &types.DatabaseResource{Name: aws.String(name)}}
}

func table(db, name string) *types.Resource {
	return &types.Resource{Table: &types.TableResource{DatabaseName: aws.String(db), Name: aws.String(name)}}
}

func entry(id string, p string, r *types.Resource, perms, grantable []types.Permission) types.BatchPermissionsRequestEntry {
	return types.BatchPermissionsRequestEntry{Id: aws.String(id), Principal: principal(p), Resource: r,
		Permissions: perms, PermissionsWithGrantOption: grantable}
}

func grant(t *testing.T, ctx context.Context, c Client, entries ...types.BatchPermissionsRequestEntry) {
	t.Helper()
	out, err := c.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: entries})
	if err != nil {
		t.Fatalf("BatchGrantPermissions: %v", err)
	}
	if len(out.Failures) > 0 {
		t.Fatalf("BatchGrantPermissions failures: %s", aws.ToString(out.Failures[0].Error.ErrorMessage))
	}
}

func revokeAll(t *testing.T, ctx context.Context, c Client, who string, r *types.Resource) {
	t.Helper()
	held := list(t, ctx, c, &awslf.ListPermissionsInput{Principal: principal(who), Resource: r})
	for i, p := range held {
		_, err := c.BatchRevokePermissions(ctx, &awslf.BatchRevokePermissionsInput{Entries: []types.BatchPermissionsRequestEntry{{
			Id: aws.String(strconv.Itoa(i)), Principal: p.Principal, Resource: p.Resource, Permissions: p.Permissions,
			PermissionsWithGrantOption: p.PermissionsWithGrantOption}}})
		if err != nil {
			t.Errorf("cleanup: %v", err)
		}
	}
}

func list(t *testing.T, ctx context.Context, c Client, in *awslf.ListPermissionsInput) []types.PrincipalResourcePermissions {
	t.Helper()
	var out []types.PrincipalResourcePermissions
	p := awslf.NewListPermissionsPaginator(c, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListPermissions: %v", err)
		}
		out = append(out, page.PrincipalResourcePermissions...)
	}
	return out
}

func joinPerms(ps []types.Permission) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}

func sorted(ps []types.Permission) []types.Permission {
	c := slices.Clone(ps)
	slices.Sort(c)
	return c
}

func testGrantsAccumulate(t *testing.T, ctx context.Context, h Harness) {
	c, db := h.Client(), database(h.Database())
	defer revokeAll(t, ctx, c, h.Principal(), db)
	grant(t, ctx, c, entry("a", h.Principal(), db, []types.Permission{types.PermissionDescribe}, nil))
	grant(t, ctx, c, entry("b", h.Principal(), db, []types.Permission{types.PermissionAlter}, nil))
	held := list(t, ctx, c, &awslf.ListPermissionsInput{Principal: principal(h.Principal()), Resource: db})
	var all []types.Permission
	for _, p := range held {
		all = append(all, p.Permissions...)
	}
	if d := cmp.Diff([]types.Permission{types.PermissionAlter, types.PermissionDescribe}, sorted(all)); d != "" {
		t.Errorf("permissions after two grants (-want +got):\n%s", d)
	}
}

func testGrantOptionRevokedAlone(t *testing.T, ctx context.Context, h Harness) {
	c, db := h.Client(), database(h.Database())
	defer revokeAll(t, ctx, c, h.Principal(), db)
	d := []types.Permission{types.PermissionDescribe}
	grant(t, ctx, c, entry("a", h.Principal(), db, d, d))
	held := list(t, ctx, c, &awslf.ListPermissionsInput{Principal: principal(h.Principal()), Resource: db})
	if len(held) != 1 || !slices.Equal(held[0].PermissionsWithGrantOption, d) {
		t.Fatalf("after grant with grant option: %+v", held)
	}
	out, err := c.BatchRevokePermissions(ctx, &awslf.BatchRevokePermissionsInput{Entries: []types.BatchPermissionsRequestEntry{
		entry("a", h.Principal(), db, []types.Permission{}, d)}})
	if err != nil || len(out.Failures) > 0 {
		t.Fatalf("revoke grant option: %v %+v", err, out)
	}
	held = list(t, ctx, c, &awslf.ListPermissionsInput{Principal: principal(h.Principal()), Resource: db})
	if len(held) != 1 || !slices.Equal(held[0].Permissions, d) || len(held[0].PermissionsWithGrantOption) != 0 {
		t.Errorf("after revoking the grant option: %+v", held)
	}
}

func testTableSelectOnColumns(t *testing.T, ctx context.Context, h Harness) {
	c, tbl := h.Client(), table(h.Database(), h.Table())
	defer revokeAll(t, ctx, c, h.Principal(), tbl)
	grant(t, ctx, c, entry("a", h.Principal(), tbl, []types.Permission{types.PermissionSelect, types.PermissionDescribe}, nil))
	held := list(t, ctx, c, &awslf.ListPermissionsInput{Principal: principal(h.Principal()), Resource: tbl})
	var kinds []string
	for _, p := range held {
		switch r := p.Resource; {
		case r.Table != nil:
			kinds = append(kinds, "TABLE:"+string(sorted(p.Permissions)[0]))
			if aws.ToString(r.Table.CatalogId) == "" {
				t.Errorf("ListPermissions returned %+v without CatalogId", r.Table)
			}
		case r.TableWithColumns != nil:
			kinds = append(kinds, "TABLE_WITH_COLUMNS:"+string(sorted(p.Permissions)[0]))
			if aws.ToString(r.TableWithColumns.CatalogId) == "" {
				t.Errorf("ListPermissions returned %+v without CatalogId", r.TableWithColumns)
			}
			if r.TableWithColumns.ColumnWildcard == nil || aws.ToString(r.TableWithColumns.Name) != h.Table() {
				t.Errorf("SELECT recorded on %+v, want a column wildcard on %s", r.TableWithColumns, h.Table())
			}
		default:
			t.Errorf("unexpected resource %+v", r)
		}
	}
	slices.Sort(kinds)
	if d := cmp.Diff([]string{"TABLE:DESCRIBE", "TABLE_WITH_COLUMNS:SELECT"}, kinds); d != "" {
		t.Errorf("recorded resources (-want +got):\n%s", d)
	}
}

func testRevokeNotHeld(t *testing.T, ctx context.Context, h Harness) {
	out, err := h.Client().BatchRevokePermissions(ctx, &awslf.BatchRevokePermissionsInput{Entries: []types.BatchPermissionsRequestEntry{
		entry("x", h.Principal(), database(h.Database()), []types.Permission{types.PermissionDrop}, nil)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Failures) != 1 || aws.ToString(out.Failures[0].Error.ErrorCode) != "InvalidInputException" || aws.ToString(out.Failures[0].RequestEntry.Id) != "x" {
		t.Errorf("failures %+v", out.Failures)
	}
}

func testBatchPartialFailure(t *testing.T, ctx context.Context, h Harness) {
	c, db := h.Client(), database(h.Database())
	defer revokeAll(t, ctx, c, h.Principal(), db)
	missing := database(h.Prefix() + "no_such_database")
	out, err := c.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{
		entry("ok", h.Principal(), db, []types.Permission{types.PermissionDescribe}, nil),
		entry("bad", h.Principal(), missing, []types.Permission{types.PermissionDescribe}, nil),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Failures) != 1 || aws.ToString(out.Failures[0].RequestEntry.Id) != "bad" || aws.ToString(out.Failures[0].Error.ErrorCode) != "EntityNotFoundException" {
		t.Fatalf("failures %+v", out.Failures)
	}
	if held := list(t, ctx, c, &awslf.ListPermissionsInput{Principal: principal(h.Principal()), Resource: db}); len(held) != 1 {
		t.Errorf("the valid entry was not applied: %+v", held)
	}
}

func testBatchLimit(t *testing.T, ctx context.Context, h Harness) {
	var entries []types.BatchPermissionsRequestEntry
	for i := range 21 {
		entries = append(entries, entry(strconv.Itoa(i), h.Principal(), database(h.Database()), []types.Permission{types.PermissionDescribe}, nil))
	}
	_, err := h.Client().BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: entries})
	var ie *types.InvalidInputException
	if !errors.As(err, &ie) {
		t.Errorf("21 entries: got %v, want InvalidInputException", err)
	}
}

func testListPages(t *testing.T, ctx context.Context, h Harness) {
	c, db := h.Client(), database(h.Database())
	defer revokeAll(t, ctx, c, h.Principal(), db)
	grant(t, ctx, c, entry("a", h.Principal(), db, []types.Permission{types.PermissionDescribe, types.PermissionAlter}, nil))
	tbl := table(h.Database(), h.Table())
	defer revokeAll(t, ctx, c, h.Principal(), tbl)
	grant(t, ctx, c, entry("b", h.Principal(), tbl, []types.Permission{types.PermissionSelect, types.PermissionDescribe}, nil))
	in := &awslf.ListPermissionsInput{Principal: principal(h.Principal()), MaxResults: aws.Int32(1)}
	first, err := c.ListPermissions(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.PrincipalResourcePermissions) != 1 || first.NextToken == nil {
		t.Fatalf("first page of 1: %d items, token %v", len(first.PrincipalResourcePermissions), first.NextToken)
	}
	if all := list(t, ctx, c, in); len(all) < 3 {
		t.Errorf("%d permissions across pages, want at least 3", len(all))
	}
	_, err = c.ListPermissions(ctx, &awslf.ListPermissionsInput{NextToken: aws.String("not-a-token")})
	var ie *types.InvalidInputException
	if !errors.As(err, &ie) {
		t.Errorf("bad token: got %v, want InvalidInputException", err)
	}
}

// testListRejectsColumns follows the SDK's documentation of ListPermissionsInput.Resource:
// a TableWithColumns resource is not supported; callers list the table instead.
func testListRejectsColumns(t *testing.T, ctx context.Context, h Harness) {
	_, err := h.Client().ListPermissions(ctx, &awslf.ListPermissionsInput{Resource: &types.Resource{TableWithColumns: &types.TableWithColumnsResource{
		DatabaseName: aws.String(h.Database()), Name: aws.String(h.Table()), ColumnWildcard: &types.ColumnWildcard{}}}})
	var ie *types.InvalidInputException
	if !errors.As(err, &ie) {
		t.Errorf("ListPermissions on a TableWithColumns resource: got %v, want InvalidInputException", err)
	}
}

func testLFTagErrors(t *testing.T, ctx context.Context, h Harness) {
	c := h.Client()
	key := h.Prefix() + "conformance"
	_, err := c.GetLFTag(ctx, &awslf.GetLFTagInput{TagKey: aws.String(key)})
	var nf *types.EntityNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("unknown tag: got %v, want EntityNotFoundException", err)
	}
	if _, err := c.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String(key), TagValues: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if _, err := c.DeleteLFTag(ctx, &awslf.DeleteLFTagInput{TagKey: aws.String(key)}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	}()
	_, err = c.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String(key), TagValues: []string{"b"}})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AlreadyExistsException" {
		t.Errorf("duplicate tag: got %v, want code AlreadyExistsException", err)
	}
	if _, err := c.UpdateLFTag(ctx, &awslf.UpdateLFTagInput{TagKey: aws.String(key), TagValuesToAdd: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetLFTag(ctx, &awslf.GetLFTagInput{TagKey: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	v := slices.Clone(got.TagValues)
	slices.Sort(v)
	if !slices.Equal(v, []string{"a", "b"}) {
		t.Errorf("values %v", v)
	}
}

func testSettingsRoundTrip(t *testing.T, ctx context.Context, h Harness) {
	c := h.Client()
	before, err := c.GetDataLakeSettings(ctx, &awslf.GetDataLakeSettingsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutDataLakeSettings(ctx, &awslf.PutDataLakeSettingsInput{DataLakeSettings: before.DataLakeSettings}); err != nil {
		t.Fatal(err)
	}
	after, err := c.GetDataLakeSettings(ctx, &awslf.GetDataLakeSettingsInput{})
	if err != nil {
		t.Fatal(err)
	}
	opts := cmpopts.IgnoreUnexported(types.DataLakeSettings{}, types.DataLakePrincipal{}, types.PrincipalPermissions{})
	if d := cmp.Diff(before.DataLakeSettings, after.DataLakeSettings, opts, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("settings changed by writing them back (-before +after):\n%s", d)
	}
}

func testDescribeUnregistered(t *testing.T, ctx context.Context, h Harness) {
	role, err := datablocks.ParseARN(h.Principal())
	if err != nil {
		t.Fatalf("Harness.Principal: %v", err)
	}
	loc := "arn:" + role.Partition + ":s3:::" + h.Prefix() + "no-such-location/data"
	_, err = h.Client().DescribeResource(ctx, &awslf.DescribeResourceInput{ResourceArn: aws.String(loc)})
	var nf *types.EntityNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("unregistered location: got %v, want EntityNotFoundException", err)
	}
}

// testAllTablesListing checks the shapes Lake Formation lists grants on every table of a
// database in: SELECT as TableWithColumns{Name: "ALL_TABLES", ColumnWildcard: {}} (the listing
// quoted in terraform-provider-aws issue #46245) and other permissions as
// Table{Name: "ALL_TABLES", TableWildcard: {}} (terraform-provider-aws's lakeformation
// permission filter documents both).
func testAllTablesListing(t *testing.T, ctx context.Context, h Harness) {
	c := h.Client()
	all := &types.Resource{Table: &types.TableResource{DatabaseName: aws.String(h.Database()), TableWildcard: &types.TableWildcard{}}}
	defer revokeAll(t, ctx, c, h.Principal(), all)
	grant(t, ctx, c, entry("a", h.Principal(), all, []types.Permission{types.PermissionSelect, types.PermissionDescribe}, nil))
	held := list(t, ctx, c, &awslf.ListPermissionsInput{Principal: principal(h.Principal()), Resource: all})
	var got []string
	for _, p := range held {
		switch r := p.Resource; {
		case r.TableWithColumns != nil && r.TableWithColumns.ColumnWildcard != nil:
			got = append(got, "TableWithColumns "+aws.ToString(r.TableWithColumns.Name)+" "+joinPerms(sorted(p.Permissions)))
		case r.Table != nil && r.Table.TableWildcard != nil:
			got = append(got, "Table "+aws.ToString(r.Table.Name)+" wildcard "+joinPerms(sorted(p.Permissions)))
		default:
			got = append(got, fmt.Sprintf("unexpected %+v", r))
		}
	}
	slices.Sort(got)
	want := []string{"Table ALL_TABLES wildcard DESCRIBE", "TableWithColumns ALL_TABLES SELECT"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("listing of SELECT, DESCRIBE on all tables (-want +got):\n%s", d)
	}
}

// testGrantOptionExcludeList follows the developer guide's notes on column-level filtering:
// a grant option requires an include list of columns, so SELECT with grant option on a column
// wildcard with exclusions fails.
func testGrantOptionExcludeList(t *testing.T, ctx context.Context, h Harness) {
	c := h.Client()
	cols := &types.Resource{TableWithColumns: &types.TableWithColumnsResource{DatabaseName: aws.String(h.Database()), Name: aws.String(h.Table()),
		ColumnWildcard: &types.ColumnWildcard{ExcludedColumnNames: []string{h.Column()}}}}
	defer revokeAll(t, ctx, c, h.Principal(), table(h.Database(), h.Table()))
	sel := []types.Permission{types.PermissionSelect}
	out, err := c.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{entry("x", h.Principal(), cols, sel, sel)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Failures) != 1 || aws.ToString(out.Failures[0].Error.ErrorCode) != "InvalidInputException" {
		t.Errorf("grant option on an exclude list: failures %+v, want one InvalidInputException", out.Failures)
	}
}

// testLFTagValuesListing grants DESCRIBE on two values of an LF-tag and lists the key: one
// entry carrying both values, as in the developer guide's "Managing LF-Tag permissions using
// the AWS CLI" (TagValues ["Orders", "Sales"]).
func testLFTagValuesListing(t *testing.T, ctx context.Context, h Harness) {
	c := h.Client()
	key := h.Prefix() + "module"
	if _, err := c.CreateLFTag(ctx, &awslf.CreateLFTagInput{TagKey: aws.String(key), TagValues: []string{"Orders", "Sales", "Returns"}}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if _, err := c.DeleteLFTag(ctx, &awslf.DeleteLFTagInput{TagKey: aws.String(key)}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	}()
	tag := func(values ...string) *types.Resource {
		return &types.Resource{LFTag: &types.LFTagKeyResource{TagKey: aws.String(key), TagValues: values}}
	}
	defer revokeAll(t, ctx, c, h.Principal(), tag("*"))
	grant(t, ctx, c, entry("a", h.Principal(), tag("Sales", "Orders"), []types.Permission{types.PermissionDescribe}, nil))
	held := list(t, ctx, c, &awslf.ListPermissionsInput{Principal: principal(h.Principal()), Resource: tag("*")})
	if len(held) != 1 || held[0].Resource.LFTag == nil {
		t.Fatalf("listing of the key: %+v, want one LF-tag entry", held)
	}
	vals := slices.Clone(held[0].Resource.LFTag.TagValues)
	slices.Sort(vals)
	if !slices.Equal(vals, []string{"Orders", "Sales"}) || !slices.Equal(held[0].Permissions, []types.Permission{types.PermissionDescribe}) {
		t.Errorf("listed %v %v, want DESCRIBE on [Orders Sales]", held[0].Permissions, vals)
	}
}
