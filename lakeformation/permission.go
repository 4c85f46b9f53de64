package lakeformation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
)

// Permission is a Lake Formation permission, the SDK enum.
type Permission = types.Permission

// The Lake Formation permissions.
const (
	All                      = types.PermissionAll
	Select                   = types.PermissionSelect
	Alter                    = types.PermissionAlter
	Drop                     = types.PermissionDrop
	Delete                   = types.PermissionDelete
	Insert                   = types.PermissionInsert
	Describe                 = types.PermissionDescribe
	CreateDatabase           = types.PermissionCreateDatabase
	CreateTable              = types.PermissionCreateTable
	DataLocationAccess       = types.PermissionDataLocationAccess
	CreateLFTag              = types.PermissionCreateLfTag
	Associate                = types.PermissionAssociate
	GrantWithLFTagExpression = types.PermissionGrantWithLfTagExpression
	CreateLFTagExpression    = types.PermissionCreateLfTagExpression
	CreateCatalog            = types.PermissionCreateCatalog
	SuperUser                = types.PermissionSuperUser
)

// validPermissions is the permission/resource matrix of the Lake Formation permissions
// reference: for each resource class, the permissions that can be granted on it. ALL (shown
// as "Super" in the console) applies to databases and tables; its catalog counterpart is
// SUPER_USER. DESCRIBE, ALTER and DROP on catalogs came with multi-catalog support. LF-tags
// have two rows ("Managing LF-Tag value permissions"): ALTER and DROP manage the tag key
// itself and are granted on every value (TagValues ["*"], the console's "LF-Tag
// permissions"); DESCRIBE, ASSOCIATE and GRANT_WITH_LF_TAG_EXPRESSION are key-value pair
// permissions on named values (or on "*").
var validPermissions = map[string][]Permission{
	"CATALOG":                {SuperUser, CreateCatalog, CreateDatabase, CreateLFTag, CreateLFTagExpression, Describe, Alter, Drop},
	"DATABASE":               {All, Alter, CreateTable, Describe, Drop},
	"TABLE":                  {All, Alter, Delete, Describe, Drop, Insert, Select},
	"TABLE_WILDCARD":         {All, Alter, Delete, Describe, Drop, Insert, Select},
	"TABLE_WITH_COLUMNS":     {Select},
	"DATA_LOCATION":          {DataLocationAccess},
	"LF_TAG_KEY":             {Alter, Drop, Describe, Associate, GrantWithLFTagExpression},
	"LF_TAG":                 {Describe, Associate, GrantWithLFTagExpression},
	"LF_TAG_POLICY_DATABASE": {All, Alter, CreateTable, Describe, Drop},
	"LF_TAG_POLICY_TABLE":    {All, Alter, Delete, Describe, Drop, Insert, Select},
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

// ValidPermissions returns the permissions that can be granted on r, in the matrix order.
func ValidPermissions(r Resource) []Permission {
	return slices.Clone(validPermissions[r.matrixClass()])
}

// Grant is a set of permissions for one principal on one resource.
type Grant struct {
	// Principal receives the permissions.
	Principal DataLakePrincipal
	// Resource is what the permissions apply to.
	Resource Resource
	// Permissions are the permissions granted.
	Permissions []Permission
	// GrantOption lists the permissions the principal may grant on to others
	// (PermissionsWithGrantOption); each must also be in Permissions.
	GrantOption []Permission
}

// String describes g for messages and logs.
func (g Grant) String() string {
	s := fmt.Sprintf("%s on %s to %s", joinPerms(g.Permissions), g.Resource, g.Principal)
	if len(g.GrantOption) > 0 {
		s += " (grantable: " + joinPerms(g.GrantOption) + ")"
	}
	return s
}

func joinPerms(ps []Permission) string {
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
	Err   error  // the underlying validation error, if any
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

// Unwrap returns the underlying error.
func (e *InvalidGrantError) Unwrap() error { return e.Err }

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
	if err := g.Principal.Validate(); err != nil {
		return &InvalidGrantError{Index: index, Field: "Principal", Rule: strings.TrimPrefix(err.Error(), "lakeformation: "), Err: err}
	}
	if err := g.Resource.Validate(); err != nil {
		return &InvalidGrantError{Index: index, Field: "Resource", Rule: strings.TrimPrefix(err.Error(), "lakeformation: "), Err: err}
	}
	if len(g.Permissions) == 0 {
		return &InvalidGrantError{Index: index, Field: "Permissions", Rule: "at least one permission is required"}
	}
	class := g.Resource.matrixClass()
	valid := validPermissions[class]
	seen := map[Permission]bool{}
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
	if len(g.GrantOption) > 0 && g.Resource.Kind == KindTableWithColumns && g.Resource.ColumnWildcard && len(g.Resource.ExcludedColumns) > 0 {
		return &InvalidGrantError{Index: index, Field: "GrantOption",
			Rule: "a grant option needs an include list of columns (Columns), not a column wildcard with exclusions (ColumnsExcept)"}
	}
	return nil
}

// matrixRule explains why p is not valid on class, naming where p is valid.
func matrixRule(p Permission, class string) string {
	if !slices.Contains(Permission("").Values(), p) {
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

// ValidateGrants validates every grant and returns the first error, an *InvalidGrantError
// carrying the grant's index in grants.
func ValidateGrants(grants []Grant) error { return validateList("grants", grants) }

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
		perms = []Permission{}
	}
	return types.BatchPermissionsRequestEntry{
		Id:                         &id,
		Principal:                  g.Principal.SDK(),
		Resource:                   g.Resource.SDK(),
		Permissions:                perms,
		PermissionsWithGrantOption: slices.Clone(g.GrantOption),
	}
}
