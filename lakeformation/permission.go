package lakeformation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
)

// validPermissions is the permission/resource matrix of the Lake Formation permissions
// reference: for each resource class, the permissions that can be granted on it. ALL (shown
// as "Super" in the console) applies to databases and tables; its catalog counterpart is
// SUPER_USER. DESCRIBE, ALTER and DROP on catalogs came with multi-catalog support. LF-tags
// have two rows ("Managing LF-Tag value permissions"): ALTER and DROP manage the tag key
// itself and are granted on every value (TagValues ["*"], the console's "LF-Tag
// permissions"); DESCRIBE, ASSOCIATE and GRANT_WITH_LF_TAG_EXPRESSION are key-value pair
// permissions on named values (or on "*").
var validPermissions = map[string][]types.Permission{
	"CATALOG":                {types.PermissionSuperUser, types.PermissionCreateCatalog, types.PermissionCreateDatabase, types.PermissionCreateLfTag, types.PermissionCreateLfTagExpression, types.PermissionDescribe, types.PermissionAlter, types.PermissionDrop},
	"DATABASE":               {types.PermissionAll, types.PermissionAlter, types.PermissionCreateTable, types.PermissionDescribe, types.PermissionDrop},
	"TABLE":                  {types.PermissionAll, types.PermissionAlter, types.PermissionDelete, types.PermissionDescribe, types.PermissionDrop, types.PermissionInsert, types.PermissionSelect},
	"TABLE_WILDCARD":         {types.PermissionAll, types.PermissionAlter, types.PermissionDelete, types.PermissionDescribe, types.PermissionDrop, types.PermissionInsert, types.PermissionSelect},
	"TABLE_WITH_COLUMNS":     {types.PermissionSelect},
	"DATA_LOCATION":          {types.PermissionDataLocationAccess},
	"LF_TAG_KEY":             {types.PermissionAlter, types.PermissionDrop, types.PermissionDescribe, types.PermissionAssociate, types.PermissionGrantWithLfTagExpression},
	"LF_TAG":                 {types.PermissionDescribe, types.PermissionAssociate, types.PermissionGrantWithLfTagExpression},
	"LF_TAG_POLICY_DATABASE": {types.PermissionAll, types.PermissionAlter, types.PermissionCreateTable, types.PermissionDescribe, types.PermissionDrop},
	"LF_TAG_POLICY_TABLE":    {types.PermissionAll, types.PermissionAlter, types.PermissionDelete, types.PermissionDescribe, types.PermissionDrop, types.PermissionInsert, types.PermissionSelect},
}

// classNames describes the matrix rows in errors.
var classNames = map[string]string{
	"CATALOG":                "the Data Catalog",
	"DATABASE":               "a database",
	"TABLE":                  "a table",
	"TABLE_WILDCARD":         "all tables of a database",
	"TABLE_WITH_COLUMNS":     "table columns (column lists and column wildcards take SELECT only)",
	"DATA_LOCATION":          "a data location",
	"LF_TAG_KEY":             "an LF-tag key (TagValues [\"*\"])",
	"LF_TAG":                 "named LF-tag values (ALTER and DROP apply to the whole key: use TagValues [\"*\"])",
	"LF_TAG_POLICY_DATABASE": "an LF-tag policy on databases",
	"LF_TAG_POLICY_TABLE":    "an LF-tag policy on tables",
}

// Grant is a set of permissions for one principal on one resource.
type Grant struct {
	// Principal receives the permissions.
	Principal DataLakePrincipal
	// Resource is what the permissions apply to.
	Resource Resource
	// Permissions are the permissions granted (the SDK's enum, types.PermissionSelect, ...).
	Permissions []types.Permission
	// GrantOption lists the permissions the principal may grant on to others
	// (PermissionsWithGrantOption); each must also be in Permissions.
	GrantOption []types.Permission
}

// String describes g for messages and logs.
func (g Grant) String() string {
	s := fmt.Sprintf("%s on %s to %s", joinPerms(g.Permissions), g.Resource, g.Principal)
	if len(g.GrantOption) > 0 {
		s += " (grantable: " + joinPerms(g.GrantOption) + ")"
	}
	return s
}

func joinPerms(ps []types.Permission) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}

// InvalidGrantError reports a grant that breaks a rule of the permission model. Nothing is
// sent to Lake Formation when a grant is invalid.
type InvalidGrantError struct {
	List  string // the input list: "grants", "revokes" or "PlanInput.Desired"; empty for a single grant
	Index int    // index of the grant in List, -1 for a single grant
	Field string // Principal, Resource, Permissions or GrantOption
	Rule  string // the rule broken, e.g. "SELECT is valid only on tables, columns and LF-tag policies on tables"
}

// Error names the grant, the field and the rule.
func (e *InvalidGrantError) Error() string {
	where := "Grant"
	if e.Index >= 0 {
		list := e.List
		if list == "" {
			list = "grants"
		}
		where = fmt.Sprintf("%s[%d]", list, e.Index)
	}
	return fmt.Sprintf("lakeformation: %s.%s: %s", where, e.Field, e.Rule)
}

// Validate checks g against the permission model before any call: a valid principal and
// resource, at least one permission, each permission allowed on the resource kind, grant
// options a subset of the permissions, and no grant option on a column exclude list (the
// developer guide's notes on column-level filtering require an include list for it).
func (g Grant) Validate() error { return g.validate("", -1) }

func (g Grant) validate(list string, index int) error {
	if err := g.check(index); err != nil {
		err.List = list
		return err
	}
	return nil
}

func (g Grant) check(index int) *InvalidGrantError {
	if err := g.Principal.validate(); err != nil {
		return &InvalidGrantError{Index: index, Field: "Principal", Rule: strings.TrimPrefix(err.Error(), "lakeformation: ")}
	}
	if err := g.Resource.validate(); err != nil {
		return &InvalidGrantError{Index: index, Field: "Resource", Rule: strings.TrimPrefix(err.Error(), "lakeformation: ")}
	}
	if len(g.Permissions) == 0 {
		return &InvalidGrantError{Index: index, Field: "Permissions", Rule: "at least one permission is required"}
	}
	class := g.Resource.matrixClass()
	valid := validPermissions[class]
	seen := map[types.Permission]bool{}
	for _, p := range g.Permissions {
		if seen[p] {
			return &InvalidGrantError{Index: index, Field: "Permissions", Rule: fmt.Sprintf("%s is listed twice", p)}
		}
		seen[p] = true
		if !slices.Contains(valid, p) {
			return &InvalidGrantError{Index: index, Field: "Permissions", Rule: matrixRule(p, class)}
		}
	}
	for _, p := range g.GrantOption {
		if !seen[p] {
			return &InvalidGrantError{Index: index, Field: "GrantOption",
				Rule: fmt.Sprintf("%s with grant option must also be in Permissions", p)}
		}
	}
	if len(g.GrantOption) > 0 && g.Resource.kind == kindTableWithColumns && g.Resource.columnWildcard && len(g.Resource.excludedColumns) > 0 {
		return &InvalidGrantError{Index: index, Field: "GrantOption",
			Rule: "a grant option needs an include list of columns (Columns), not a column wildcard with exclusions (ColumnsExcept)"}
	}
	return nil
}

// matrixRule explains why p is not valid on class, naming where p is valid.
func matrixRule(p types.Permission, class string) string {
	if !slices.Contains(types.Permission("").Values(), p) {
		return fmt.Sprintf("%q is not a Lake Formation permission", p)
	}
	var where []string
	for _, c := range []string{"CATALOG", "DATABASE", "TABLE", "TABLE_WILDCARD", "TABLE_WITH_COLUMNS", "DATA_LOCATION", "LF_TAG_KEY", "LF_TAG", "LF_TAG_POLICY_DATABASE", "LF_TAG_POLICY_TABLE"} {
		if slices.Contains(validPermissions[c], p) {
			where = append(where, c)
		}
	}
	return fmt.Sprintf("%s is not valid on %s; it is valid only on %s (valid here: %s)",
		p, classNames[class], strings.Join(where, ", "), joinPerms(validPermissions[class]))
}

func validateList(list string, grants []Grant) error {
	for i, g := range grants {
		if err := g.validate(list, i); err != nil {
			return err
		}
	}
	return nil
}

// entry returns g as a batch request entry with the given ID. Permissions is always sent, as
// an empty list when a revoke removes only grant options (RevokePermissions requires it).
func (g Grant) entry(id string) types.BatchPermissionsRequestEntry {
	perms := slices.Clone(g.Permissions)
	if perms == nil {
		perms = []types.Permission{}
	}
	return types.BatchPermissionsRequestEntry{
		Id:                         &id,
		Principal:                  g.Principal.sdk(),
		Resource:                   g.Resource.sdk(),
		Permissions:                perms,
		PermissionsWithGrantOption: slices.Clone(g.GrantOption),
	}
}
