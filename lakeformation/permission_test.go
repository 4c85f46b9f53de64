package lakeformation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks/lakeformation"
)

const role = "arn:aws:iam::123456789012:role/analyst"

// TestPermissionMatrix checks every permission against every resource kind. The expected grid
// is transcribed, row by row, from the Lake Formation permissions reference ("Lake Formation
// permissions reference" in the developer guide), not from the package's table:
//
//   - ALL ("Super" in the console): databases and tables, hence tag policies on either; the
//     catalog's counterpart is SUPER_USER, so ALL on the catalog is rejected.
//   - SELECT: tables, all tables, columns (named or all-but) and tag policies on tables.
//   - ALTER, DROP: the catalog (multi-catalog), databases, tables, tag policies on databases
//     or tables, and an LF-tag key as a whole (TagValues ["*"], the console's "LF-Tag
//     permissions"), not named tag values ("Managing LF-Tag value permissions": Drop and Alter
//     manage the tag; Describe, Associate and Grant with LF-Tag expressions are the key-value
//     pair permissions); never columns or data locations.
//   - DESCRIBE: the catalog, databases, tables, LF-tag keys and values, tag policies.
//   - DELETE, INSERT: tables and tag policies on tables.
//   - CREATE_DATABASE, CREATE_CATALOG, CREATE_LF_TAG, CREATE_LF_TAG_EXPRESSION, SUPER_USER:
//     the catalog only.
//   - CREATE_TABLE: databases and tag policies on databases.
//   - DATA_LOCATION_ACCESS: data locations only.
//   - ASSOCIATE, GRANT_WITH_LF_TAG_EXPRESSION: LF-tags only (key or values).
//   - Column resources take SELECT and nothing else.
func TestPermissionMatrix(t *testing.T) {
	resources := []struct {
		name string
		r    lakeformation.Resource
	}{
		{"catalog", lakeformation.Catalog()},
		{"database", lakeformation.Database("sales")},
		{"table", lakeformation.Table("sales", "orders")},
		{"all tables", lakeformation.AllTables("sales")},
		{"columns", lakeformation.Columns("sales", "orders", "id", "amount")},
		{"columns except", lakeformation.ColumnsExcept("sales", "orders", "email")},
		{"location", lakeformation.DataLocation("arn:aws:s3:::lake/raw")},
		{"lf-tag", lakeformation.LFTag("LoB", "sales")},
		{"lf-tag key", lakeformation.LFTag("LoB", "*")},
		{"tag policy database", lakeformation.TagPolicy(types.ResourceTypeDatabase, lakeformation.Tag{Key: "LoB", Values: []string{"sales"}})},
		{"tag policy table", lakeformation.TagPolicy(types.ResourceTypeTable, lakeformation.Tag{Key: "LoB", Values: []string{"sales"}})},
	}
	// Columns: catalog, database, table, all tables, columns, columns except, location, lf-tag
	// values, lf-tag key, policy db, policy table.
	grid := map[types.Permission]string{
		types.PermissionAll:                      ".xxx.....xx",
		types.PermissionSelect:                   "..xxxx....x",
		types.PermissionAlter:                    "xxxx....xxx",
		types.PermissionDrop:                     "xxxx....xxx",
		types.PermissionDelete:                   "..xx......x",
		types.PermissionInsert:                   "..xx......x",
		types.PermissionDescribe:                 "xxxx...xxxx",
		types.PermissionCreateDatabase:           "x..........",
		types.PermissionCreateTable:              ".x.......x.",
		types.PermissionDataLocationAccess:       "......x....",
		types.PermissionCreateLfTag:              "x..........",
		types.PermissionAssociate:                ".......xx..",
		types.PermissionGrantWithLfTagExpression: ".......xx..",
		types.PermissionCreateLfTagExpression:    "x..........",
		types.PermissionCreateCatalog:            "x..........",
		types.PermissionSuperUser:                "x..........",
	}
	if len(grid) != len(types.Permission("").Values()) {
		t.Fatalf("grid covers %d permissions, the SDK has %d", len(grid), len(types.Permission("").Values()))
	}
	for _, p := range types.Permission("").Values() {
		row, ok := grid[p]
		if !ok {
			t.Fatalf("permission %s missing from the grid", p)
		}
		for i, res := range resources {
			want := row[i] == 'x'
			err := lakeformation.Grant{Principal: role, Resource: res.r, Permissions: []types.Permission{p}}.Validate()
			if want && err != nil {
				t.Errorf("%s on %s: unexpected error %v", p, res.name, err)
			}
			if !want {
				var ige *lakeformation.InvalidGrantError
				if !errors.As(err, &ige) {
					t.Errorf("%s on %s: got %v, want *InvalidGrantError", p, res.name, err)
					continue
				}
				if ige.Field != "Permissions" || !strings.Contains(ige.Rule, string(p)+" is not valid on") {
					t.Errorf("%s on %s: error %q does not name the rule", p, res.name, err)
				}
			}
		}
	}
}

func TestGrantValidateRules(t *testing.T) {
	tests := []struct {
		name  string
		g     lakeformation.Grant
		field string
		rule  string
	}{
		{"no permissions", lakeformation.Grant{Principal: role, Resource: lakeformation.Database("d")}, "Permissions", "at least one permission"},
		{"grant option not granted", lakeformation.Grant{Principal: role, Resource: lakeformation.Database("d"),
			Permissions: []types.Permission{types.PermissionDescribe}, GrantOption: []types.Permission{types.PermissionAlter}},
			"GrantOption", "ALTER with grant option must also be in Permissions"},
		{"duplicate", lakeformation.Grant{Principal: role, Resource: lakeformation.Database("d"),
			Permissions: []types.Permission{types.PermissionDescribe, types.PermissionDescribe}}, "Permissions", "listed twice"},
		{"columns need select", lakeformation.Grant{Principal: role, Resource: lakeformation.Columns("d", "t", "c"),
			Permissions: []types.Permission{types.PermissionDescribe}}, "Permissions", "column lists and column wildcards take SELECT only"},
		{"create table only on databases", lakeformation.Grant{Principal: role, Resource: lakeformation.Table("d", "t"),
			Permissions: []types.Permission{types.PermissionCreateTable}}, "Permissions", "valid only on DATABASE, LF_TAG_POLICY_DATABASE"},
		{"unknown permission", lakeformation.Grant{Principal: role, Resource: lakeformation.Table("d", "t"),
			Permissions: []types.Permission{"READ"}}, "Permissions", `"READ" is not a Lake Formation permission`},
		{"bad principal", lakeformation.Grant{Principal: "bob", Resource: lakeformation.Database("d"),
			Permissions: []types.Permission{types.PermissionDescribe}}, "Principal", "neither an ARN"},
		{"table without name", lakeformation.Grant{Principal: role, Resource: lakeformation.Table("d", ""),
			Permissions: []types.Permission{types.PermissionSelect}}, "Resource", "Table needs a table name"},
		{"location not s3", lakeformation.Grant{Principal: role, Resource: lakeformation.DataLocation("arn:aws:iam::123456789012:role/x"),
			Permissions: []types.Permission{types.PermissionDataLocationAccess}}, "Resource", "must be an S3 ARN"},
		{"tag policy without expression", lakeformation.Grant{Principal: role, Resource: lakeformation.TagPolicy(types.ResourceTypeTable),
			Permissions: []types.Permission{types.PermissionSelect}}, "Resource", "tag expression is empty"},
		{"tag policy on location", lakeformation.Grant{Principal: role, Resource: lakeformation.TagPolicy("DATA_LOCATION", lakeformation.Tag{Key: "k", Values: []string{"v"}}),
			Permissions: []types.Permission{types.PermissionSelect}}, "Resource", "must be DATABASE or TABLE"},
		{"resource literal", lakeformation.Grant{Principal: role, Resource: lakeformation.Resource{Database: "d"},
			Permissions: []types.Permission{types.PermissionDescribe}}, "Resource", "built with its constructors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lakeformation.ValidateGrants([]lakeformation.Grant{tt.g})
			var ige *lakeformation.InvalidGrantError
			if !errors.As(err, &ige) {
				t.Fatalf("got %v, want *InvalidGrantError", err)
			}
			if ige.Index != 0 || ige.Field != tt.field || !strings.Contains(ige.Rule, tt.rule) {
				t.Errorf("got index %d field %q rule %q; want field %q rule containing %q", ige.Index, ige.Field, ige.Rule, tt.field, tt.rule)
			}
			if !strings.HasPrefix(err.Error(), "lakeformation: grants[0]."+tt.field+": ") {
				t.Errorf("error %q lacks the package/field prefix", err)
			}
		})
	}
}

func TestPrincipalKinds(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"arn:aws:iam::123456789012:role/test-emr-demo1", "IAM_ROLE"},
		{"arn:aws-cn:iam::123456789012:user/alice", "IAM_USER"},
		{"arn:aws:iam::123456789012:saml-provider/okta:group/analysts", "SAML"},
		{"arn:aws:iam::123456789012:saml-provider/okta:user/alice@example.com", "SAML"},
		{"arn:aws:identitystore:::group/90676a5a-1234", "IDENTITY_CENTER"},
		{"111122223333", "ACCOUNT"},
		{"arn:aws:organizations::111122223333:organization/o-abcdef1234", "ORGANIZATION"},
		{"arn:aws:organizations::111122223333:ou/o-abcdef1234/ou-ab12-cdef5678", "ORGANIZATIONAL_UNIT"},
		{"IAM_ALLOWED_PRINCIPALS", "IAM_ALLOWED_PRINCIPALS"},
	}
	for _, tt := range tests {
		_, k, err := lakeformation.ParsePrincipal(tt.in)
		if err != nil || k != tt.want {
			t.Errorf("ParsePrincipal(%q) = %v, %v; want %v", tt.in, k, err, tt.want)
		}
	}
	for _, bad := range []string{"", "12345", "arn:aws:iam::123456789012:group/devs", "arn:aws:s3:::bucket",
		"arn:aws:iam::123456789012:saml-provider/okta", "arn:aws:organizations::111122223333:ou/o-1", "arn:foo:iam::123456789012:role/x",
		"arn:aws:iam::abc:role/x", "arn:aws:iam::123456789012:role/"} {
		if _, _, err := lakeformation.ParsePrincipal(bad); err == nil {
			t.Errorf("ParsePrincipal(%q): want error", bad)
		}
	}
}

func FuzzParsePrincipal(f *testing.F) {
	for _, s := range []string{"arn:aws:iam::123456789012:role/r", "111122223333", "IAM_ALLOWED_PRINCIPALS",
		"arn:aws:iam::123456789012:saml-provider/okta:group/g", "arn:aws:organizations::111122223333:ou/o-1/ou-2", "arn:::::", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, k, err := lakeformation.ParsePrincipal(s)
		if err != nil {
			return
		}
		if string(p) != s || k == "" {
			t.Fatalf("ParsePrincipal(%q) = %q, %q", s, p, k)
		}
		if p.SDK().DataLakePrincipalIdentifier == nil {
			t.Fatal("nil identifier")
		}
	})
}

func TestResourceSDKRoundTrip(t *testing.T) {
	for _, r := range []lakeformation.Resource{
		lakeformation.Catalog().InCatalog("111122223333"),
		lakeformation.Database("sales"),
		lakeformation.Table("sales", "orders").InCatalog("111122223333"),
		lakeformation.AllTables("sales"),
		lakeformation.Columns("sales", "orders", "id", "amount"),
		lakeformation.ColumnsExcept("sales", "orders", "email"),
		lakeformation.DataLocation("arn:aws:s3:::lake/raw"),
		lakeformation.LFTag("LoB", "sales", "hr"),
		lakeformation.TagPolicy(types.ResourceTypeTable, lakeformation.Tag{Key: "LoB", Values: []string{"sales"}}, lakeformation.Tag{Key: "tier", Values: []string{"gold"}}),
	} {
		back, err := lakeformation.ResourceFromSDK(r.SDK())
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		if back.Key() != r.Key() {
			t.Errorf("round trip of %s: key %q, want %q", r, back.Key(), r.Key())
		}
	}
	if lakeformation.Columns("d", "t", "b", "a").Key() != lakeformation.Columns("d", "t", "a", "b").Key() {
		t.Error("column order changes the key")
	}
	if _, err := lakeformation.ResourceFromSDK(&types.Resource{Database: &types.DatabaseResource{}, Catalog: &types.CatalogResource{}}); err == nil {
		t.Error("two members: want error")
	}
	if _, err := lakeformation.ResourceFromSDK(&types.Resource{}); err == nil {
		t.Error("no member: want error")
	}
}
