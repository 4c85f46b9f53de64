package lakeformationtest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks"
)

// allTablesName is the table name Lake Formation lists for grants on every table of a
// database: Table{Name: "ALL_TABLES", TableWildcard: {}} and, for SELECT,
// TableWithColumns{Name: "ALL_TABLES", ColumnWildcard: {}} (terraform-provider-aws issue
// #46245 quotes such a listing; its lakeformation permission filter documents both shapes).
const allTablesName = "ALL_TABLES"

// The resource classes of the fake, one per member of the Resource union it models.
const (
	kCatalog  = "CATALOG"
	kDatabase = "DATABASE"
	kTable    = "TABLE"
	kColumns  = "TABLE_WITH_COLUMNS"
	kLocation = "DATA_LOCATION"
	kLFTag    = "LF_TAG"
	kPolicy   = "LF_TAG_POLICY"
)

// res is one Resource union member as the fake keeps it, with the catalog filled in.
type res struct {
	kind       string
	catalog    string
	db, table  string
	wildcard   bool     // Table.TableWildcard
	cols       []string // TableWithColumns.ColumnNames, sorted
	colWild    bool     // TableWithColumns.ColumnWildcard
	excluded   []string // ColumnWildcard.ExcludedColumnNames, sorted
	location   string
	tagKey     string
	tagValues  []string // sorted
	policyType types.ResourceType
	expr       []types.LFTag // sorted by key, values sorted
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return slices.Compact(c)
}

// parseResource checks a Resource union by the Lake Formation API reference ("Resource",
// "TableResource", "TableWithColumnsResource", "LFTagKeyResource", "LFTagPolicyResource"):
// exactly one member, its required members, the exclusive choices, and fills an empty
// CatalogId with catalog.
func parseResource(r *types.Resource, catalog string) (res, error) {
	if r == nil {
		return res{}, invalidInput("Resource is required")
	}
	n := 0
	for _, set := range []bool{r.Catalog != nil, r.Database != nil, r.Table != nil, r.TableWithColumns != nil,
		r.DataLocation != nil, r.LFTag != nil, r.LFTagPolicy != nil, r.DataCellsFilter != nil, r.LFTagExpression != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return res{}, invalidInput("Resource must have exactly one member set, found %d", n)
	}
	cat := func(id *string) string {
		if aws.ToString(id) != "" {
			return aws.ToString(id)
		}
		return catalog
	}
	switch {
	case r.Catalog != nil:
		return res{kind: kCatalog, catalog: cat(r.Catalog.Id)}, nil
	case r.Database != nil:
		if err := nameRule("Database.Name", aws.ToString(r.Database.Name)); err != nil {
			return res{}, err
		}
		return res{kind: kDatabase, catalog: cat(r.Database.CatalogId), db: aws.ToString(r.Database.Name)}, nil
	case r.Table != nil:
		t := r.Table
		if err := nameRule("Table.DatabaseName", aws.ToString(t.DatabaseName)); err != nil {
			return res{}, err
		}
		out := res{kind: kTable, catalog: cat(t.CatalogId), db: aws.ToString(t.DatabaseName)}
		switch {
		case t.TableWildcard != nil && (t.Name == nil || aws.ToString(t.Name) == allTablesName):
			out.wildcard = true
		case t.TableWildcard != nil:
			return res{}, invalidInput("Table name and table wildcard cannot both be specified.")
		case aws.ToString(t.Name) == "":
			// The service's message, quoted in terraform-provider-aws issue #41916.
			return res{}, invalidInput("Table name and table wildcard cannot both be empty.")
		default:
			if err := nameRule("Table.Name", aws.ToString(t.Name)); err != nil {
				return res{}, err
			}
			out.table = aws.ToString(t.Name)
		}
		return out, nil
	case r.TableWithColumns != nil:
		t := r.TableWithColumns
		if err := nameRule("TableWithColumns.DatabaseName", aws.ToString(t.DatabaseName)); err != nil {
			return res{}, err
		}
		if err := nameRule("TableWithColumns.Name", aws.ToString(t.Name)); err != nil {
			return res{}, err
		}
		out := res{kind: kColumns, catalog: cat(t.CatalogId), db: aws.ToString(t.DatabaseName), table: aws.ToString(t.Name)}
		switch {
		case t.ColumnWildcard != nil && len(t.ColumnNames) > 0:
			return res{}, invalidInput("TableWithColumns takes ColumnNames or ColumnWildcard, not both")
		case t.ColumnWildcard != nil:
			out.colWild, out.excluded = true, sortedCopy(t.ColumnWildcard.ExcludedColumnNames)
		case len(t.ColumnNames) == 0:
			return res{}, invalidInput("TableWithColumns requires ColumnNames or ColumnWildcard")
		default:
			out.cols = sortedCopy(t.ColumnNames)
		}
		for _, c := range append(slices.Clone(out.cols), out.excluded...) {
			if c == "" || len(c) > 255 {
				return res{}, invalidInput("Column names must have length between 1 and 255")
			}
		}
		return out, nil
	case r.DataLocation != nil:
		arn := aws.ToString(r.DataLocation.ResourceArn)
		if !isS3ARN(arn) {
			return res{}, invalidInput("Invalid ResourceArn %q: must be an Amazon S3 ARN", arn)
		}
		return res{kind: kLocation, catalog: cat(r.DataLocation.CatalogId), location: strings.TrimSuffix(arn, "/")}, nil
	case r.LFTag != nil:
		key := aws.ToString(r.LFTag.TagKey)
		if key == "" || len(key) > 128 {
			return res{}, invalidInput("LFTag.TagKey must have length between 1 and 128")
		}
		if len(r.LFTag.TagValues) == 0 || len(r.LFTag.TagValues) > 50 {
			return res{}, invalidInput("LFTag.TagValues must have between 1 and 50 values")
		}
		vals := sortedCopy(r.LFTag.TagValues)
		if len(vals) > 1 && slices.Contains(vals, "*") {
			return res{}, invalidInput("LFTag.TagValues: \"*\" stands for every value and cannot be combined with other values")
		}
		return res{kind: kLFTag, catalog: cat(r.LFTag.CatalogId), tagKey: key, tagValues: vals}, nil
	case r.LFTagPolicy != nil:
		p := r.LFTagPolicy
		if p.ResourceType != types.ResourceTypeDatabase && p.ResourceType != types.ResourceTypeTable {
			return res{}, invalidInput("LFTagPolicy.ResourceType must be DATABASE or TABLE")
		}
		if aws.ToString(p.ExpressionName) != "" {
			return res{}, invalidInput("LFTagPolicy.ExpressionName: saved LF-tag expressions are not modeled by this fake")
		}
		if len(p.Expression) == 0 {
			return res{}, invalidInput("LFTagPolicy requires an Expression")
		}
		expr := make([]types.LFTag, 0, len(p.Expression))
		for _, e := range p.Expression {
			if aws.ToString(e.TagKey) == "" || len(e.TagValues) == 0 {
				return res{}, invalidInput("LFTagPolicy.Expression: every LF-tag needs a TagKey and TagValues")
			}
			expr = append(expr, types.LFTag{TagKey: aws.String(aws.ToString(e.TagKey)), TagValues: sortedCopy(e.TagValues)})
		}
		slices.SortFunc(expr, func(a, b types.LFTag) int { return strings.Compare(aws.ToString(a.TagKey), aws.ToString(b.TagKey)) })
		return res{kind: kPolicy, catalog: cat(p.CatalogId), policyType: p.ResourceType, expr: expr}, nil
	}
	return res{}, invalidInput("DataCellsFilter and LFTagExpression resources are not modeled by this fake")
}

// nameRule is the NameString shape of the API reference: 1 to 255 characters.
func nameRule(field, s string) error {
	if s == "" || len(s) > 255 {
		return invalidInput("%s must have length between 1 and 255", field)
	}
	return nil
}

func isS3ARN(s string) bool {
	a, err := datablocks.ParseARN(s)
	return err == nil && a.Service == "s3" && a.Region == "" && a.AccountID == "" && a.Resource != ""
}

// key identifies the resource: equal for the same resource in any member order.
func (r res) key() string {
	parts := []string{r.kind, r.catalog}
	switch r.kind {
	case kDatabase:
		parts = append(parts, r.db)
	case kTable:
		if r.wildcard {
			parts = append(parts, r.db, "*")
		} else {
			parts = append(parts, r.db, "="+r.table)
		}
	case kColumns:
		if r.colWild {
			parts = append(parts, r.db, r.table, "*-"+strings.Join(r.excluded, ","))
		} else {
			parts = append(parts, r.db, r.table, "+"+strings.Join(r.cols, ","))
		}
	case kLocation:
		parts = append(parts, r.location)
	case kLFTag:
		parts = append(parts, r.tagKey, strings.Join(r.tagValues, ","))
	case kPolicy:
		parts = append(parts, string(r.policyType))
		for _, e := range r.expr {
			parts = append(parts, aws.ToString(e.TagKey)+"="+strings.Join(e.TagValues, ","))
		}
	}
	return strings.Join(parts, "\x00")
}

// sdk returns the resource in the shape ListPermissions answers: CatalogId always set, and a
// table wildcard named ALL_TABLES.
func (r res) sdk() *types.Resource {
	cat := aws.String(r.catalog)
	switch r.kind {
	case kCatalog:
		return &types.Resource{Catalog: &types.CatalogResource{Id: cat}}
	case kDatabase:
		return &types.Resource{Database: &types.DatabaseResource{CatalogId: cat, Name: aws.String(r.db)}}
	case kTable:
		t := &types.TableResource{CatalogId: cat, DatabaseName: aws.String(r.db), Name: aws.String(r.table)}
		if r.wildcard {
			t.Name, t.TableWildcard = aws.String(allTablesName), &types.TableWildcard{}
		}
		return &types.Resource{Table: t}
	case kColumns:
		t := &types.TableWithColumnsResource{CatalogId: cat, DatabaseName: aws.String(r.db), Name: aws.String(r.table)}
		if r.colWild {
			t.ColumnWildcard = &types.ColumnWildcard{ExcludedColumnNames: slices.Clone(r.excluded)}
		} else {
			t.ColumnNames = slices.Clone(r.cols)
		}
		return &types.Resource{TableWithColumns: t}
	case kLocation:
		return &types.Resource{DataLocation: &types.DataLocationResource{CatalogId: cat, ResourceArn: aws.String(r.location)}}
	case kLFTag:
		return &types.Resource{LFTag: &types.LFTagKeyResource{CatalogId: cat, TagKey: aws.String(r.tagKey), TagValues: slices.Clone(r.tagValues)}}
	case kPolicy:
		expr := make([]types.LFTag, len(r.expr))
		for i, e := range r.expr {
			expr[i] = types.LFTag{TagKey: aws.String(aws.ToString(e.TagKey)), TagValues: slices.Clone(e.TagValues)}
		}
		return &types.Resource{LFTagPolicy: &types.LFTagPolicyResource{CatalogId: cat, ResourceType: r.policyType, Expression: expr}}
	}
	return &types.Resource{}
}

// recorded returns where Lake Formation records perm granted on r, as it lists it: SELECT on
// a named table or on all tables is recorded on all their columns; an LF-tag grant on several
// values is recorded value by value (and listed merged again, see Fake.listLocked).
func recorded(r res, perm types.Permission) res {
	if r.kind == kTable && perm == types.PermissionSelect {
		name := r.table
		if r.wildcard {
			name = allTablesName
		}
		return res{kind: kColumns, catalog: r.catalog, db: r.db, table: name, colWild: true}
	}
	return r
}

// permissionRule is the fake's reading of the Lake Formation permissions reference
// (developer guide, "Lake Formation permissions reference") and of "Managing LF-Tag value
// permissions": which permissions each resource takes. It returns "" when perm is allowed.
func permissionRule(r res, perm types.Permission) string {
	var allowed []types.Permission
	switch r.kind {
	case kCatalog:
		allowed = []types.Permission{types.PermissionCreateDatabase, types.PermissionCreateLfTag, types.PermissionCreateLfTagExpression,
			types.PermissionCreateCatalog, types.PermissionSuperUser, types.PermissionDescribe, types.PermissionAlter, types.PermissionDrop}
	case kDatabase:
		allowed = []types.Permission{types.PermissionAll, types.PermissionAlter, types.PermissionCreateTable, types.PermissionDescribe, types.PermissionDrop}
	case kTable:
		allowed = []types.Permission{types.PermissionAll, types.PermissionAlter, types.PermissionDelete, types.PermissionDescribe,
			types.PermissionDrop, types.PermissionInsert, types.PermissionSelect}
	case kColumns:
		allowed = []types.Permission{types.PermissionSelect}
	case kLocation:
		allowed = []types.Permission{types.PermissionDataLocationAccess}
	case kLFTag:
		// Key-value pair permissions on named values; ALTER and DROP are permissions on the
		// LF-tag key itself, granted with every value ("*").
		allowed = []types.Permission{types.PermissionDescribe, types.PermissionAssociate, types.PermissionGrantWithLfTagExpression}
		if slices.Equal(r.tagValues, []string{"*"}) {
			allowed = append(allowed, types.PermissionAlter, types.PermissionDrop)
		} else if perm == types.PermissionAlter || perm == types.PermissionDrop {
			return fmt.Sprintf("%s on an LF-tag applies to the whole key: TagValues must be [\"*\"]", perm)
		}
	case kPolicy:
		if r.policyType == types.ResourceTypeDatabase {
			allowed = []types.Permission{types.PermissionAll, types.PermissionAlter, types.PermissionCreateTable, types.PermissionDescribe, types.PermissionDrop}
		} else {
			allowed = []types.Permission{types.PermissionAll, types.PermissionAlter, types.PermissionDelete, types.PermissionDescribe,
				types.PermissionDrop, types.PermissionInsert, types.PermissionSelect}
		}
	}
	if slices.Contains(allowed, perm) {
		return ""
	}
	return fmt.Sprintf("Permission %s is not valid on a %s resource", perm, r.kind)
}
