package lakeformation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks"
)

// resourceKind is the kind of a Lake Formation resource, one per member of the SDK's Resource
// union that datablocks models.
type resourceKind string

// The resource kinds.
const (
	kindCatalog          resourceKind = "CATALOG"
	kindDatabase         resourceKind = "DATABASE"
	kindTable            resourceKind = "TABLE"              // named table, or all tables of a database
	kindTableWithColumns resourceKind = "TABLE_WITH_COLUMNS" // named columns, or all columns except some
	kindDataLocation     resourceKind = "DATA_LOCATION"
	kindLFTag            resourceKind = "LF_TAG"
	kindLFTagPolicy      resourceKind = "LF_TAG_POLICY" // a tag expression on DATABASE or TABLE resources
)

// Tag is an LF-tag key with values: on a resource the values assigned, in an expression the
// values any of which match.
type Tag struct {
	// Key is the LF-tag's key.
	Key string
	// Values are the LF-tag's values.
	Values []string
}

// Resource is a typed Lake Formation resource. Build it with the constructors (Catalog,
// Database, Table, AllTables, Columns, ColumnsExcept, DataLocation, LFTag, TagPolicy) and, for a
// catalog other than the caller's account, InCatalog; a Resource literal is invalid. String
// describes it; the exported fields name the Data Catalog entry it is on.
type Resource struct {
	// CatalogID is the catalog (account) owning the resource; empty means the caller's account.
	CatalogID string
	// Database names the database of a database, table or columns resource.
	Database string
	// Table names the table of a named table or columns resource; it is empty for a database
	// and for all tables of a database (AllTables).
	Table string

	kind            resourceKind
	allTables       bool     // every table of Database (TableWildcard)
	columns         []string // the columns of a column list
	columnWildcard  bool     // all columns but excludedColumns
	excludedColumns []string // the columns left out of a column wildcard
	location        string   // the S3 ARN of a data location (arn:<partition>:s3:::bucket/prefix)
	tagKey          string   // the LF-tag of an LF-tag resource
	tagValues       []string
	policyType      types.ResourceType // DATABASE or TABLE for an LF-tag policy
	expression      []Tag              // the tag expression of an LF-tag policy: every tag must match (AND), any of a tag's values matches (OR)
}

// Catalog returns the Data Catalog resource of the caller's account.
func Catalog() Resource { return Resource{kind: kindCatalog} }

// Database returns a database resource.
func Database(name string) Resource { return Resource{kind: kindDatabase, Database: name} }

// Table returns a named table resource.
func Table(database, name string) Resource {
	return Resource{kind: kindTable, Database: database, Table: name}
}

// AllTables returns the resource of every table in a database (TableWildcard).
func AllTables(database string) Resource {
	return Resource{kind: kindTable, Database: database, allTables: true}
}

// Columns returns a resource of named columns of a table (TableWithColumns.ColumnNames).
func Columns(database, table string, columns ...string) Resource {
	return Resource{kind: kindTableWithColumns, Database: database, Table: table, columns: columns}
}

// ColumnsExcept returns a resource of all columns of a table but the excluded ones
// (TableWithColumns.ColumnWildcard).
func ColumnsExcept(database, table string, excluded ...string) Resource {
	return Resource{kind: kindTableWithColumns, Database: database, Table: table, columnWildcard: true, excludedColumns: excluded}
}

// DataLocation returns a registered S3 location resource, given its ARN.
func DataLocation(s3ARN string) Resource { return Resource{kind: kindDataLocation, location: s3ARN} }

// LFTag returns an LF-tag resource (a key and some of its values), the resource of the
// key-value pair permissions DESCRIBE, ASSOCIATE and GRANT_WITH_LF_TAG_EXPRESSION. The value
// "*" alone, LFTag(key, "*"), stands for the whole key, every value included: the resource of
// ALTER and DROP on the tag.
func LFTag(key string, values ...string) Resource {
	return Resource{kind: kindLFTag, tagKey: key, tagValues: values}
}

// allTablesName is the table name Lake Formation lists grants on every table of a database
// under: Table{Name: "ALL_TABLES", TableWildcard: {}} and, for SELECT,
// TableWithColumns{Name: "ALL_TABLES", ColumnWildcard: {}} (terraform-provider-aws issue
// #46245). Glue stores table names in lower case, so no real table has this name.
const allTablesName = "ALL_TABLES"

// TagPolicy returns an LF-tag policy resource: the DATABASE or TABLE resources matching expr.
func TagPolicy(resourceType types.ResourceType, expr ...Tag) Resource {
	return Resource{kind: kindLFTagPolicy, policyType: resourceType, expression: expr}
}

// InCatalog returns a copy of r in the catalog of another account.
func (r Resource) InCatalog(catalogID string) Resource {
	r.CatalogID = catalogID
	return r
}

// validate reports the first missing or malformed field of r.
func (r Resource) validate() error {
	switch r.kind {
	case kindCatalog:
	case kindDatabase:
		if r.Database == "" {
			return fmt.Errorf("lakeformation: Resource.Database is required for a %s resource", r.kind)
		}
	case kindTable:
		if r.Database == "" {
			return fmt.Errorf("lakeformation: Resource.Database is required for a %s resource", r.kind)
		}
		if r.allTables && r.Table != "" {
			return fmt.Errorf("lakeformation: AllTables(%q) names no table, not %q", r.Database, r.Table)
		}
		if !r.allTables && r.Table == "" {
			return fmt.Errorf("lakeformation: Table needs a table name (AllTables selects every table of a database)")
		}
	case kindTableWithColumns:
		if r.Database == "" || r.Table == "" {
			return fmt.Errorf("lakeformation: Resource.Database and Resource.Table are required for a %s resource", r.kind)
		}
		if r.columnWildcard && len(r.columns) > 0 {
			return fmt.Errorf("lakeformation: a columns resource takes a column list (Columns) or a column wildcard (ColumnsExcept), not both")
		}
		if !r.columnWildcard && len(r.columns) == 0 {
			return fmt.Errorf("lakeformation: Columns needs at least one column (ColumnsExcept with none selects all columns)")
		}
		if !r.columnWildcard && len(r.excludedColumns) > 0 {
			return fmt.Errorf("lakeformation: excluded columns need a column wildcard (ColumnsExcept)")
		}
		for _, c := range append(slices.Clone(r.columns), r.excludedColumns...) {
			if c == "" {
				return fmt.Errorf("lakeformation: TABLE_WITH_COLUMNS resource has an empty column name")
			}
		}
	case kindDataLocation:
		a, err := datablocks.ParseARN(r.location)
		if err != nil {
			return wrapf(err, "DataLocation")
		}
		if a.Service != "s3" || a.Region != "" || a.AccountID != "" {
			return fmt.Errorf("lakeformation: DataLocation %q must be an S3 ARN arn:<partition>:s3:::<bucket>[/<prefix>]", r.location)
		}
	case kindLFTag:
		if r.tagKey == "" || len(r.tagValues) == 0 {
			return fmt.Errorf("lakeformation: LFTag needs a key and at least one value")
		}
		if len(r.tagValues) > 1 && slices.Contains(r.tagValues, "*") {
			return fmt.Errorf("lakeformation: LFTag %s: \"*\" stands for every value of the key and cannot be combined with named values", r.tagKey)
		}
		for _, v := range r.tagValues {
			if v == "" {
				return fmt.Errorf("lakeformation: LFTag %s has an empty value", r.tagKey)
			}
		}
	case kindLFTagPolicy:
		if r.policyType != types.ResourceTypeDatabase && r.policyType != types.ResourceTypeTable {
			return fmt.Errorf("lakeformation: TagPolicy resource type %q must be DATABASE or TABLE", r.policyType)
		}
		if err := validateExpression(r.expression); err != nil {
			return err
		}
	default:
		return fmt.Errorf("lakeformation: a Resource is built with its constructors (Database, Table, Columns, ...), not as a literal")
	}
	return nil
}

func validateExpression(expr []Tag) error {
	if len(expr) == 0 {
		return fmt.Errorf("lakeformation: tag expression is empty")
	}
	seen := map[string]bool{}
	for i, t := range expr {
		if t.Key == "" || len(t.Values) == 0 {
			return fmt.Errorf("lakeformation: tag expression[%d] needs a key and at least one value", i)
		}
		if seen[t.Key] {
			return fmt.Errorf("lakeformation: tag expression repeats key %q", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// matrixClass is the row of the permission matrix r belongs to.
func (r Resource) matrixClass() string {
	switch r.kind {
	case kindLFTagPolicy:
		return "LF_TAG_POLICY_" + string(r.policyType)
	case kindTable:
		if r.allTables {
			return "TABLE_WILDCARD"
		}
	case kindLFTag:
		if slices.Equal(r.tagValues, []string{"*"}) {
			return "LF_TAG_KEY"
		}
	}
	return string(r.kind)
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// sdk returns r as the SDK Resource union.
func (r Resource) sdk() *types.Resource {
	cat := optString(r.CatalogID)
	switch r.kind {
	case kindCatalog:
		return &types.Resource{Catalog: &types.CatalogResource{Id: cat}}
	case kindDatabase:
		return &types.Resource{Database: &types.DatabaseResource{CatalogId: cat, Name: aws.String(r.Database)}}
	case kindTable:
		t := &types.TableResource{CatalogId: cat, DatabaseName: aws.String(r.Database)}
		if r.allTables {
			t.TableWildcard = &types.TableWildcard{}
		} else {
			t.Name = aws.String(r.Table)
		}
		return &types.Resource{Table: t}
	case kindTableWithColumns:
		t := &types.TableWithColumnsResource{CatalogId: cat, DatabaseName: aws.String(r.Database), Name: aws.String(r.Table)}
		if r.columnWildcard {
			t.ColumnWildcard = &types.ColumnWildcard{ExcludedColumnNames: slices.Clone(r.excludedColumns)}
		} else {
			t.ColumnNames = slices.Clone(r.columns)
		}
		return &types.Resource{TableWithColumns: t}
	case kindDataLocation:
		return &types.Resource{DataLocation: &types.DataLocationResource{CatalogId: cat, ResourceArn: aws.String(r.location)}}
	case kindLFTag:
		return &types.Resource{LFTag: &types.LFTagKeyResource{CatalogId: cat, TagKey: aws.String(r.tagKey), TagValues: slices.Clone(r.tagValues)}}
	case kindLFTagPolicy:
		return &types.Resource{LFTagPolicy: &types.LFTagPolicyResource{CatalogId: cat, ResourceType: r.policyType, Expression: sdkTags(r.expression)}}
	}
	return &types.Resource{}
}

func sdkTags(tags []Tag) []types.LFTag {
	out := make([]types.LFTag, 0, len(tags))
	for _, t := range tags {
		out = append(out, types.LFTag{TagKey: aws.String(t.Key), TagValues: slices.Clone(t.Values)})
	}
	return out
}

func fromSDKTags(tags []types.LFTag) []Tag {
	out := make([]Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, Tag{Key: aws.ToString(t.TagKey), Values: slices.Clone(t.TagValues)})
	}
	return out
}

// resourceFromSDK converts an SDK Resource union. It fails when no member or more than one
// member is set, or the member is one datablocks does not model (DataCellsFilter,
// LFTagExpression).
func resourceFromSDK(res *types.Resource) (Resource, error) {
	if res == nil {
		return Resource{}, fmt.Errorf("lakeformation: resource is nil")
	}
	var out []Resource
	if c := res.Catalog; c != nil {
		out = append(out, Resource{kind: kindCatalog, CatalogID: aws.ToString(c.Id)})
	}
	if d := res.Database; d != nil {
		out = append(out, Resource{kind: kindDatabase, CatalogID: aws.ToString(d.CatalogId), Database: aws.ToString(d.Name)})
	}
	if t := res.Table; t != nil {
		r := Resource{kind: kindTable, CatalogID: aws.ToString(t.CatalogId), Database: aws.ToString(t.DatabaseName),
			Table: aws.ToString(t.Name), allTables: t.TableWildcard != nil}
		if r.allTables {
			r.Table = "" // listed as "ALL_TABLES"
		}
		out = append(out, r)
	}
	if t := res.TableWithColumns; t != nil {
		r := Resource{kind: kindTableWithColumns, CatalogID: aws.ToString(t.CatalogId), Database: aws.ToString(t.DatabaseName),
			Table: aws.ToString(t.Name), columns: slices.Clone(t.ColumnNames)}
		if t.ColumnWildcard != nil {
			r.columnWildcard = true
			r.excludedColumns = slices.Clone(t.ColumnWildcard.ExcludedColumnNames)
		}
		out = append(out, r)
	}
	if l := res.DataLocation; l != nil {
		out = append(out, Resource{kind: kindDataLocation, CatalogID: aws.ToString(l.CatalogId), location: aws.ToString(l.ResourceArn)})
	}
	if t := res.LFTag; t != nil {
		out = append(out, Resource{kind: kindLFTag, CatalogID: aws.ToString(t.CatalogId), tagKey: aws.ToString(t.TagKey), tagValues: slices.Clone(t.TagValues)})
	}
	if p := res.LFTagPolicy; p != nil {
		if len(p.Expression) == 0 {
			return Resource{}, fmt.Errorf("lakeformation: LF-tag policies on a saved expression (ExpressionName %q) are not supported", aws.ToString(p.ExpressionName))
		}
		out = append(out, Resource{kind: kindLFTagPolicy, CatalogID: aws.ToString(p.CatalogId), policyType: p.ResourceType, expression: fromSDKTags(p.Expression)})
	}
	if res.DataCellsFilter != nil || res.LFTagExpression != nil {
		return Resource{}, fmt.Errorf("lakeformation: DataCellsFilter and LFTagExpression resources are not supported")
	}
	switch len(out) {
	case 0:
		return Resource{}, fmt.Errorf("lakeformation: resource has no member set")
	case 1:
		return out[0], nil
	}
	return Resource{}, fmt.Errorf("lakeformation: resource has %d members set, want exactly one", len(out))
}

func sortedJoin(s []string) string {
	c := slices.Clone(s)
	slices.Sort(c)
	c = slices.Compact(c)
	return strings.Join(c, ",")
}

// key returns a canonical string identifying r: equal for resources Lake Formation treats as
// the same (column and tag value order does not matter). An empty CatalogID is kept empty.
func (r Resource) key() string {
	var b strings.Builder
	b.WriteString(string(r.kind))
	b.WriteString("|")
	b.WriteString(r.CatalogID)
	b.WriteString("|")
	switch r.kind {
	case kindDatabase:
		b.WriteString(r.Database)
	case kindTable:
		b.WriteString(r.Database + "|")
		if r.allTables {
			b.WriteString("*")
		} else {
			b.WriteString("=" + r.Table)
		}
	case kindTableWithColumns:
		b.WriteString(r.Database + "|" + r.Table + "|")
		if r.columnWildcard {
			b.WriteString("*-" + sortedJoin(r.excludedColumns))
		} else {
			b.WriteString("+" + sortedJoin(r.columns))
		}
	case kindDataLocation:
		b.WriteString(strings.TrimSuffix(r.location, "/"))
	case kindLFTag:
		b.WriteString(r.tagKey + "=" + sortedJoin(r.tagValues))
	case kindLFTagPolicy:
		b.WriteString(string(r.policyType) + "|")
		parts := make([]string, 0, len(r.expression))
		for _, t := range r.expression {
			parts = append(parts, t.Key+"="+sortedJoin(t.Values))
		}
		slices.Sort(parts)
		b.WriteString(strings.Join(parts, ";"))
	}
	return b.String()
}

// String describes r for messages, e.g. "TABLE sales.orders".
func (r Resource) String() string {
	prefix := ""
	if r.CatalogID != "" {
		prefix = r.CatalogID + ":"
	}
	switch r.kind {
	case kindCatalog:
		return "CATALOG " + prefix
	case kindDatabase:
		return "DATABASE " + prefix + r.Database
	case kindTable:
		if r.allTables {
			return "TABLE " + prefix + r.Database + ".*"
		}
		return "TABLE " + prefix + r.Database + "." + r.Table
	case kindTableWithColumns:
		if r.columnWildcard && len(r.excludedColumns) == 0 {
			return fmt.Sprintf("COLUMNS %s%s.%s (all)", prefix, r.Database, r.Table)
		}
		if r.columnWildcard {
			return fmt.Sprintf("COLUMNS %s%s.%s (all except [%s])", prefix, r.Database, r.Table, strings.Join(r.excludedColumns, ","))
		}
		return fmt.Sprintf("COLUMNS %s%s.%s [%s]", prefix, r.Database, r.Table, strings.Join(r.columns, ","))
	case kindDataLocation:
		return "DATA_LOCATION " + r.location
	case kindLFTag:
		return fmt.Sprintf("LF_TAG %s%s=%s", prefix, r.tagKey, strings.Join(r.tagValues, "|"))
	case kindLFTagPolicy:
		parts := make([]string, 0, len(r.expression))
		for _, t := range r.expression {
			parts = append(parts, t.Key+"="+strings.Join(t.Values, "|"))
		}
		return fmt.Sprintf("LF_TAG_POLICY %s %s%s", r.policyType, prefix, strings.Join(parts, " AND "))
	}
	return string(r.kind)
}
