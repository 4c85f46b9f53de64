package glue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
)

// catalogAttempts bounds the writes of one Ensure call, the first included: a create or
// update that lost a race to another writer (AlreadyExistsException,
// ConcurrentModificationException) is re-read and written again up to three more times.
const catalogAttempts = 4

// catalogDefaults fills the defaults of a Catalog's writes.
func (o Options) catalogDefaults() Options {
	if o.Retry.MaxAttempts <= 0 {
		o.Retry.MaxAttempts = catalogAttempts
	}
	return o
}

// validateCatalogID checks the CatalogID a Catalog or CatalogReader call will use.
func (o Options) validateCatalogID() error {
	if o.CatalogID != "" && !datablocks.IsAccountID(o.CatalogID) {
		return fmt.Errorf("glue: Options.CatalogID %q is not a 12-digit AWS account ID", o.CatalogID)
	}
	return nil
}

// Catalog creates and updates Data Catalog databases, tables and resource links idempotently:
// each Ensure call reads the current definition, creates it when missing, updates it when it
// differs and does nothing otherwise. It is safe for concurrent use.
type Catalog struct {
	client CatalogAPIClient
	opts   Options
}

// NewCatalog returns a Catalog over client. Of the options, it uses CatalogID, Retry.MaxAttempts,
// Logger and ClientOptions.
func NewCatalog(client CatalogAPIClient, optFns ...func(*Options)) *Catalog {
	return &Catalog{client: client, opts: configure(Options{}, optFns)}
}

func (c *Catalog) options(optFns []func(*Options)) (Options, error) {
	o := configure(c.opts, optFns).catalogDefaults()
	return o, o.validateCatalogID()
}

// Database is the desired state of a Data Catalog database.
type Database struct {
	// Name is the database name; Glue stores it in lower case. Required.
	Name string
	// Description is free text. Optional.
	Description string
	// LocationURI is the default location of the tables, e.g. "s3://bucket/sales/". Optional;
	// when set it must start with s3://.
	LocationURI string
	// Governance is written as the data_owner, data_owner_name and pii_flag parameters.
	Governance Governance
	// Parameters are other parameters to set. Keys set here or by Governance win over keys
	// already on the database; keys on the database that are not set here are kept.
	Parameters map[string]string
	// LakeFormation creates the database with an empty CreateTableDefaultPermissions, so
	// Lake Formation, not IAMAllowedPrincipals, controls access to new tables. On an existing
	// database it empties the list.
	LakeFormation bool
}

func (d Database) validate() error {
	if err := checkCatalogName("Database.Name", databaseName, d.Name); err != nil {
		return err
	}
	if d.LocationURI != "" && !strings.HasPrefix(d.LocationURI, "s3://") {
		return fmt.Errorf("Database.LocationURI %q must start with s3://", d.LocationURI)
	}
	if err := d.Governance.validate("Database.Governance"); err != nil {
		return err
	}
	return checkParams("Database.Parameters", d.Parameters)
}

func checkName(field, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%s is required", field)
	case len(name) > 255:
		return fmt.Errorf("%s %q is longer than 255 characters", field, name)
	case strings.ContainsAny(name, "\r\n\t"):
		return fmt.Errorf("%s %q contains a line break or tab", field, name)
	}
	return nil
}

// checkCatalogName applies validateName to a field.
func checkCatalogName(field string, kind nameKind, name string) error {
	if err := validateName(kind, name); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	return nil
}

func checkParams(field string, p map[string]string) error {
	for k := range p {
		if k == "" {
			return fmt.Errorf("%s has an empty key", field)
		}
	}
	return nil
}

func (c *Catalog) catalogID(o Options) *string {
	if o.CatalogID == "" {
		return nil
	}
	return aws.String(o.CatalogID)
}

// EnsureDatabase creates the database or brings it to the desired state.
func (c *Catalog) EnsureDatabase(ctx context.Context, db Database, optFns ...func(*Options)) (datablocks.Change, error) {
	if err := db.validate(); err != nil {
		return datablocks.Change{}, fmt.Errorf("glue: %w", err)
	}
	o, err := c.options(optFns)
	if err != nil {
		return datablocks.Change{}, err
	}
	params := maps.Clone(db.Parameters)
	if params == nil {
		params = map[string]string{}
	}
	maps.Copy(params, db.Governance.parameters())
	if len(params) == 0 {
		params = nil
	}
	in := &types.DatabaseInput{
		Name:        aws.String(strings.ToLower(db.Name)),
		Description: optional(db.Description),
		LocationUri: optional(db.LocationURI),
		Parameters:  params,
	}
	if db.LakeFormation {
		in.CreateTableDefaultPermissions = []types.PrincipalPermissions{}
	}
	return c.writeDatabase(ctx, o, aws.ToString(in.Name), in, "updated database", func(cur *types.Database) *types.DatabaseInput {
		want := cloneDatabaseInput(in)
		want.Parameters = mergeParams(cur.Parameters, want.Parameters)
		if want.CreateTableDefaultPermissions == nil {
			want.CreateTableDefaultPermissions = cur.CreateTableDefaultPermissions
		}
		want.TargetDatabase = cur.TargetDatabase
		return want
	})
}

// writeDatabase brings the database name to the definition build derives from the current
// one, updating it only when they differ. A missing database is created from create or, when
// create is nil, reported as the GetDatabase error. A create or update that loses a race to
// another writer is re-read and retried (Options.Retry).
func (c *Catalog) writeDatabase(ctx context.Context, o Options, name string, create *types.DatabaseInput, updated string, build func(cur *types.Database) *types.DatabaseInput) (datablocks.Change, error) {
	for attempt := 0; ; attempt++ {
		got, err := c.client.GetDatabase(ctx, &awsglue.GetDatabaseInput{CatalogId: c.catalogID(o), Name: aws.String(name)}, o.ClientOptions...)
		var nf *types.EntityNotFoundException
		if create != nil && errors.As(err, &nf) {
			_, err = c.client.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{CatalogId: c.catalogID(o), DatabaseInput: create}, o.ClientOptions...)
			if lostRace(err, attempt, o) {
				continue // another writer created it: converge by updating
			}
			if err != nil {
				return datablocks.Change{}, fmt.Errorf("glue: create database %s: %w", name, err)
			}
			c.log(o, "created database", "database", name)
			return datablocks.Change{Action: datablocks.Created}, nil
		}
		if err != nil {
			return datablocks.Change{}, fmt.Errorf("glue: get database %s: %w", name, err)
		}
		want := build(got.Database)
		if sameJSON(want, databaseInputOf(got.Database)) {
			return datablocks.Change{Action: datablocks.Unchanged}, nil
		}
		_, err = c.client.UpdateDatabase(ctx, &awsglue.UpdateDatabaseInput{CatalogId: c.catalogID(o), Name: aws.String(name), DatabaseInput: want}, o.ClientOptions...)
		if lostRace(err, attempt, o) {
			continue
		}
		if err != nil {
			return datablocks.Change{}, fmt.Errorf("glue: update database %s: %w", name, err)
		}
		c.log(o, updated, "database", name)
		return datablocks.Change{Action: datablocks.Updated, Changed: changedFields(want, databaseInputOf(got.Database))}, nil
	}
}

// lostRace reports whether err is a create or update that lost a race to another writer
// (AlreadyExistsException, ConcurrentModificationException) and may be retried.
func lostRace(err error, attempt int, o Options) bool {
	var ae *types.AlreadyExistsException
	var cm *types.ConcurrentModificationException
	return attempt+1 < o.Retry.MaxAttempts && (errors.As(err, &ae) || errors.As(err, &cm))
}

// SetDatabaseGovernance writes g as parameters of an existing database, keeping its other
// parameters. It does nothing when they are already set.
func (c *Catalog) SetDatabaseGovernance(ctx context.Context, database string, g Governance, optFns ...func(*Options)) (datablocks.Change, error) {
	if err := checkCatalogName("database", databaseName, database); err != nil {
		return datablocks.Change{}, fmt.Errorf("glue: %w", err)
	}
	if g.isZero() {
		return datablocks.Change{}, errors.New("glue: Governance is empty")
	}
	if err := g.validate("Governance"); err != nil {
		return datablocks.Change{}, fmt.Errorf("glue: %w", err)
	}
	o, err := c.options(optFns)
	if err != nil {
		return datablocks.Change{}, err
	}
	return c.writeDatabase(ctx, o, database, nil, "set database governance", func(cur *types.Database) *types.DatabaseInput {
		want := databaseInputOf(cur)
		want.Parameters = mergeParams(want.Parameters, g.parameters())
		return want
	})
}

// ResourceLink is a resource link: a database, or a table, in this catalog that points at a
// database or a table in another account's (or region's) catalog, as Lake Formation
// cross-account sharing uses.
type ResourceLink struct {
	// Database is the link itself when Table is empty (e.g. "rl_sales"), otherwise the local
	// database that holds the table link. Required.
	Database string
	// Table is the name of a table link, e.g. "rl_orders"; empty for a database link.
	Table string
	// TargetCatalogID is the account ID owning the target. Required.
	TargetCatalogID string
	// TargetDatabase is the target database's name. Required.
	TargetDatabase string
	// TargetTable is the target table's name: required for a table link, empty for a database
	// link.
	TargetTable string
	// TargetRegion is the target's region. Empty means the link's own region.
	TargetRegion string
}

func (l ResourceLink) validate() error {
	if err := checkCatalogName("ResourceLink.Database", databaseName, l.Database); err != nil {
		return err
	}
	if (l.Table == "") != (l.TargetTable == "") {
		return fmt.Errorf("ResourceLink.Table %q and TargetTable %q must be set together (a table link) or both be empty (a database link)", l.Table, l.TargetTable)
	}
	if l.Table != "" {
		if err := checkCatalogName("ResourceLink.Table", tableName, l.Table); err != nil {
			return err
		}
	}
	if !datablocks.IsAccountID(l.TargetCatalogID) {
		return fmt.Errorf("ResourceLink.TargetCatalogID %q is not a 12-digit AWS account ID", l.TargetCatalogID)
	}
	if err := checkCatalogName("ResourceLink.TargetDatabase", databaseName, l.TargetDatabase); err != nil {
		return err
	}
	if l.TargetTable != "" {
		return checkCatalogName("ResourceLink.TargetTable", tableName, l.TargetTable)
	}
	return nil
}

// EnsureResourceLink creates a database or table resource link, or repoints an existing one.
func (c *Catalog) EnsureResourceLink(ctx context.Context, l ResourceLink, optFns ...func(*Options)) (datablocks.Change, error) {
	if err := l.validate(); err != nil {
		return datablocks.Change{}, fmt.Errorf("glue: %w", err)
	}
	o, err := c.options(optFns)
	if err != nil {
		return datablocks.Change{}, err
	}
	if l.Table != "" {
		in := &types.TableInput{
			Name: aws.String(strings.ToLower(l.Table)),
			TargetTable: &types.TableIdentifier{
				CatalogId:    aws.String(l.TargetCatalogID),
				DatabaseName: aws.String(strings.ToLower(l.TargetDatabase)),
				Name:         aws.String(strings.ToLower(l.TargetTable)),
				Region:       optional(l.TargetRegion),
			},
		}
		return c.writeTable(ctx, o, strings.ToLower(l.Database), aws.ToString(in.Name), in, "updated table link", func(cur *types.Table) (*types.TableInput, error) {
			want := tableInputOf(cur)
			want.TargetTable = in.TargetTable
			return want, nil
		})
	}
	in := &types.DatabaseInput{
		Name: aws.String(strings.ToLower(l.Database)),
		TargetDatabase: &types.DatabaseIdentifier{
			CatalogId:    aws.String(l.TargetCatalogID),
			DatabaseName: aws.String(strings.ToLower(l.TargetDatabase)),
			Region:       optional(l.TargetRegion),
		},
	}
	return c.writeDatabase(ctx, o, aws.ToString(in.Name), in, "updated database link", func(cur *types.Database) *types.DatabaseInput {
		want := databaseInputOf(cur)
		want.TargetDatabase = in.TargetDatabase
		return want
	})
}

// Column is a table or partition column.
type Column struct {
	// Name is the column name. Required, unique in the table (case-insensitively).
	Name string
	// Type is the Hive type, e.g. "string", "bigint", "array<struct<a:int>>". Required.
	Type string
	// Comment documents the column. Optional.
	Comment string
	// PII sets the column parameter pii_flag to "true". False writes no flag.
	PII bool
	// Parameters are other column parameters.
	Parameters map[string]string
}

// Table is the desired state of a Data Catalog table over files in S3.
type Table struct {
	// Database is the database holding the table. Required.
	Database string
	// Name is the table name; Glue stores it in lower case. Required.
	Name string
	// Description is free text. Optional.
	Description string
	// Location is the S3 prefix holding the data, e.g. "s3://bucket/sales/orders/". Required.
	Location string
	// Format sets the input and output formats, the SerDe and the classification. Required.
	Format Format
	// CSV configures FormatCSV tables.
	CSV CSVOptions
	// Columns are the data columns. At least one is required.
	Columns []Column
	// PartitionKeys are the partition columns, in partition order.
	PartitionKeys []Column
	// PII sets the table parameter pii_flag to "true".
	PII bool
	// Parameters are other table parameters. Keys set here win over keys already on the
	// table; keys on the table that are not set here are kept.
	Parameters map[string]string
	// Owner is the table owner. Optional.
	Owner string
}

func (t Table) validate() error {
	if err := checkCatalogName("Table.Database", databaseName, t.Database); err != nil {
		return err
	}
	if err := checkCatalogName("Table.Name", tableName, t.Name); err != nil {
		return err
	}
	if !strings.HasPrefix(t.Location, "s3://") {
		return fmt.Errorf("Table.Location %q must start with s3://", t.Location)
	}
	if err := t.Format.apply(&types.StorageDescriptor{}, map[string]string{}, t.CSV); err != nil {
		return fmt.Errorf("Table.Format: %w", err)
	}
	if t.CSV != (CSVOptions{}) && t.Format != FormatCSV {
		return fmt.Errorf("Table.CSV is set but Table.Format is %q", string(t.Format))
	}
	if t.CSV.SkipHeaderLines < 0 {
		return fmt.Errorf("Table.CSV.SkipHeaderLines %d is negative", t.CSV.SkipHeaderLines)
	}
	if len(t.Columns) == 0 {
		return errors.New("Table.Columns must not be empty")
	}
	seen := map[string]string{}
	for _, set := range []struct {
		field string
		cols  []Column
	}{{"Table.Columns", t.Columns}, {"Table.PartitionKeys", t.PartitionKeys}} {
		for i, col := range set.cols {
			f := fmt.Sprintf("%s[%d]", set.field, i)
			if err := checkCatalogName(f+".Name", columnName, col.Name); err != nil {
				return err
			}
			if err := validateColumnType(col.Type); err != nil {
				return fmt.Errorf("%s (%s).Type: %w", f, col.Name, err)
			}
			if set.field == "Table.PartitionKeys" && strings.ContainsAny(col.Type, "<(") && !strings.HasPrefix(strings.ToLower(col.Type), "decimal") &&
				!strings.HasPrefix(strings.ToLower(col.Type), "char") && !strings.HasPrefix(strings.ToLower(col.Type), "varchar") {
				return fmt.Errorf("%s (%s).Type %q: a partition key must have a primitive type", f, col.Name, col.Type)
			}
			if len(col.Comment) > maxCommentLength {
				return fmt.Errorf("%s (%s).Comment is %d bytes long, more than Glue's %d", f, col.Name, len(col.Comment), maxCommentLength)
			}
			k := strings.ToLower(col.Name)
			if prev, ok := seen[k]; ok {
				return fmt.Errorf("%s.Name %q duplicates %s", f, col.Name, prev)
			}
			seen[k] = f
		}
	}
	return checkParams("Table.Parameters", t.Parameters)
}

func (col Column) sdk() types.Column {
	params := maps.Clone(col.Parameters)
	if col.PII {
		if params == nil {
			params = map[string]string{}
		}
		params[ParamPIIFlag] = "true"
	}
	return types.Column{Name: aws.String(strings.ToLower(col.Name)), Type: aws.String(col.Type), Comment: optional(col.Comment), Parameters: params}
}

func (t Table) input() *types.TableInput {
	params := maps.Clone(t.Parameters)
	if params == nil {
		params = map[string]string{}
	}
	params["EXTERNAL"] = "TRUE"
	if t.PII {
		params[ParamPIIFlag] = "true"
	}
	sd := &types.StorageDescriptor{Location: aws.String(t.Location)}
	// Validated before: the format is known.
	_ = t.Format.apply(sd, params, t.CSV)
	for _, col := range t.Columns {
		sd.Columns = append(sd.Columns, col.sdk())
	}
	var parts []types.Column
	for _, col := range t.PartitionKeys {
		parts = append(parts, col.sdk())
	}
	return &types.TableInput{
		Name:              aws.String(strings.ToLower(t.Name)),
		Description:       optional(t.Description),
		Owner:             optional(t.Owner),
		TableType:         aws.String(tableTypeExternal),
		Parameters:        params,
		PartitionKeys:     parts,
		StorageDescriptor: sd,
	}
}

// EnsureTable creates the table or brings it to the desired state. Parameters of existing
// columns that the input does not set (a pii_flag written by a data steward, say) are kept.
// Updates carry the VersionId read, and a lost race is re-read and retried
// (Options.Retry).
func (c *Catalog) EnsureTable(ctx context.Context, t Table, optFns ...func(*Options)) (datablocks.Change, error) {
	if err := t.validate(); err != nil {
		return datablocks.Change{}, fmt.Errorf("glue: %w", err)
	}
	o, err := c.options(optFns)
	if err != nil {
		return datablocks.Change{}, err
	}
	in := t.input()
	return c.writeTable(ctx, o, strings.ToLower(t.Database), aws.ToString(in.Name), in, "updated table", func(cur *types.Table) (*types.TableInput, error) {
		want := cloneTableInput(in)
		want.Parameters = mergeParams(cur.Parameters, want.Parameters)
		if cur.StorageDescriptor != nil {
			want.StorageDescriptor.Columns = mergeColumns(cur.StorageDescriptor.Columns, want.StorageDescriptor.Columns)
			want.StorageDescriptor.Parameters = cur.StorageDescriptor.Parameters
		}
		want.PartitionKeys = mergeColumns(cur.PartitionKeys, want.PartitionKeys)
		keepUnmanaged(cur, want)
		return want, nil
	})
}

// writeTable brings the table database.name to the definition build derives from the current
// one, updating it (with the VersionId read) only when they differ. A missing table is created
// from create or, when create is nil, reported as the GetTable error. A create or update that
// loses a race to another writer is re-read and retried (Options.Retry).
func (c *Catalog) writeTable(ctx context.Context, o Options, database, name string, create *types.TableInput, updated string, build func(cur *types.Table) (*types.TableInput, error)) (datablocks.Change, error) {
	for attempt := 0; ; attempt++ {
		got, err := c.client.GetTable(ctx, &awsglue.GetTableInput{CatalogId: c.catalogID(o), DatabaseName: aws.String(database), Name: aws.String(name)}, o.ClientOptions...)
		var nf *types.EntityNotFoundException
		if create != nil && errors.As(err, &nf) {
			_, err = c.client.CreateTable(ctx, &awsglue.CreateTableInput{CatalogId: c.catalogID(o), DatabaseName: aws.String(database), TableInput: create}, o.ClientOptions...)
			if lostRace(err, attempt, o) {
				continue // another writer created it: converge by updating
			}
			if err != nil {
				return datablocks.Change{}, fmt.Errorf("glue: create table %s.%s: %w", database, name, err)
			}
			c.log(o, "created table", "database", database, "table", name)
			return datablocks.Change{Action: datablocks.Created}, nil
		}
		if err != nil {
			return datablocks.Change{}, fmt.Errorf("glue: get table %s.%s: %w", database, name, err)
		}
		want, err := build(got.Table)
		if err != nil {
			return datablocks.Change{}, err
		}
		if sameJSON(want, tableInputOf(got.Table)) {
			return datablocks.Change{Action: datablocks.Unchanged}, nil
		}
		_, err = c.client.UpdateTable(ctx, &awsglue.UpdateTableInput{
			CatalogId: c.catalogID(o), DatabaseName: aws.String(database), TableInput: want, VersionId: got.Table.VersionId,
		}, o.ClientOptions...)
		if lostRace(err, attempt, o) {
			continue
		}
		if err != nil {
			return datablocks.Change{}, fmt.Errorf("glue: update table %s.%s: %w", database, name, err)
		}
		c.log(o, updated, "database", database, "table", name)
		return datablocks.Change{Action: datablocks.Updated, Changed: changedFields(want, tableInputOf(got.Table))}, nil
	}
}

// SetColumnPII sets or clears the pii_flag parameter of the named columns (data or partition
// columns) of an existing table, keeping everything else. An unknown column is an error and
// nothing is written. The update carries the VersionId read, and a lost race is re-read and
// retried (Options.Retry).
func (c *Catalog) SetColumnPII(ctx context.Context, database, table string, flags map[string]bool, optFns ...func(*Options)) (datablocks.Change, error) {
	if err := checkCatalogName("database", databaseName, database); err != nil {
		return datablocks.Change{}, fmt.Errorf("glue: %w", err)
	}
	if err := checkCatalogName("table", tableName, table); err != nil {
		return datablocks.Change{}, fmt.Errorf("glue: %w", err)
	}
	if len(flags) == 0 {
		return datablocks.Change{}, errors.New("glue: no columns to flag")
	}
	o, err := c.options(optFns)
	if err != nil {
		return datablocks.Change{}, err
	}
	return c.writeTable(ctx, o, database, table, nil, "set column pii flags", func(cur *types.Table) (*types.TableInput, error) {
		want := tableInputOf(cur)
		left := map[string]bool{}
		for k, v := range flags {
			left[strings.ToLower(k)] = v
		}
		set := func(cols []types.Column) {
			for i := range cols {
				k := strings.ToLower(aws.ToString(cols[i].Name))
				v, ok := left[k]
				if !ok {
					continue
				}
				delete(left, k)
				if cols[i].Parameters == nil {
					cols[i].Parameters = map[string]string{}
				}
				cols[i].Parameters[ParamPIIFlag] = fmt.Sprint(v)
			}
		}
		if want.StorageDescriptor != nil {
			set(want.StorageDescriptor.Columns)
		}
		set(want.PartitionKeys)
		if len(left) > 0 {
			return nil, fmt.Errorf("glue: table %s.%s has no column %q", database, table, slices.Sorted(maps.Keys(left))[0])
		}
		return want, nil
	})
}

// keepUnmanaged copies into want the parts of the current table that Table does not describe
// (set by crawlers, Athena or other tools), so that Ensure neither flaps nor erases them.
func keepUnmanaged(cur *types.Table, want *types.TableInput) {
	want.LastAccessTime = cur.LastAccessTime
	want.LastAnalyzedTime = cur.LastAnalyzedTime
	want.Retention = cur.Retention
	want.FederatedTable = cur.FederatedTable
	want.ViewExpandedText = cur.ViewExpandedText
	want.ViewOriginalText = cur.ViewOriginalText
	csd, wsd := cur.StorageDescriptor, want.StorageDescriptor
	if csd == nil || wsd == nil {
		return
	}
	wsd.AdditionalLocations = csd.AdditionalLocations
	wsd.BucketColumns = csd.BucketColumns
	wsd.Compressed = csd.Compressed
	wsd.NumberOfBuckets = csd.NumberOfBuckets
	wsd.SchemaReference = csd.SchemaReference
	wsd.SkewedInfo = csd.SkewedInfo
	wsd.SortColumns = csd.SortColumns
	wsd.StoredAsSubDirectories = csd.StoredAsSubDirectories
	if csd.SerdeInfo != nil && wsd.SerdeInfo != nil {
		wsd.SerdeInfo.Name = csd.SerdeInfo.Name
		wsd.SerdeInfo.Parameters = mergeParams(csd.SerdeInfo.Parameters, wsd.SerdeInfo.Parameters)
	}
}

func (c *Catalog) log(o Options, msg string, args ...any) {
	if o.Logger != nil {
		o.Logger.Debug(msg, args...)
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// mergeParams returns cur overlaid with want; nil when both are empty.
func mergeParams(cur, want map[string]string) map[string]string {
	if len(cur) == 0 && len(want) == 0 {
		return nil
	}
	out := maps.Clone(cur)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, want)
	return out
}

// mergeColumns keeps the parameters of existing columns under the wanted ones.
func mergeColumns(cur, want []types.Column) []types.Column {
	byName := map[string]types.Column{}
	for _, c := range cur {
		byName[strings.ToLower(aws.ToString(c.Name))] = c
	}
	out := make([]types.Column, len(want))
	for i, w := range want {
		if c, ok := byName[strings.ToLower(aws.ToString(w.Name))]; ok {
			w.Parameters = mergeParams(c.Parameters, w.Parameters)
		}
		out[i] = w
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// changedFields names the members of want that differ from cur, by their JSON form:
// "Parameters", "StorageDescriptor.Columns", sorted.
func changedFields(want, cur any) []string {
	var a, b map[string]any
	ja, _ := json.Marshal(want)
	jb, _ := json.Marshal(cur)
	if json.Unmarshal(normalize(ja), &a) != nil || json.Unmarshal(normalize(jb), &b) != nil {
		return nil
	}
	var out []string
	var walk func(prefix string, a, b map[string]any)
	walk = func(prefix string, a, b map[string]any) {
		for k := range a {
			if _, ok := b[k]; !ok {
				b[k] = nil
			}
		}
		for k, bv := range b {
			av := a[k]
			if reflect.DeepEqual(av, bv) {
				continue
			}
			am, aok := av.(map[string]any)
			bm, bok := bv.(map[string]any)
			if prefix == "" && k == "StorageDescriptor" && aok && bok {
				walk(k+".", am, bm)
				continue
			}
			out = append(out, prefix+k)
		}
	}
	walk("", a, b)
	sort.Strings(out)
	return out
}

// sameJSON compares two SDK structs by their JSON form (maps sort their keys, nil and empty
// maps and slices are treated alike by normalize).
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(normalize(ja), normalize(jb))
}

// normalize drops null, empty and false/zero members so that nil and empty values compare
// equal (Glue returns [] and {} where a definition had nothing).
func normalize(data []byte) []byte {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return data
	}
	out, _ := json.Marshal(prune(v))
	return out
}

func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			e = prune(e)
			if isEmptyJSON(e) {
				delete(x, k)
				continue
			}
			x[k] = e
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = prune(e)
		}
		return x
	}
	return v
}

func isEmptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

func databaseInputOf(d *types.Database) *types.DatabaseInput {
	return &types.DatabaseInput{
		Name:                          d.Name,
		CreateTableDefaultPermissions: d.CreateTableDefaultPermissions,
		Description:                   d.Description,
		FederatedDatabase:             d.FederatedDatabase,
		LocationUri:                   d.LocationUri,
		Parameters:                    maps.Clone(d.Parameters),
		TargetDatabase:                d.TargetDatabase,
	}
}

func cloneDatabaseInput(in *types.DatabaseInput) *types.DatabaseInput {
	c := *in
	c.Parameters = maps.Clone(in.Parameters)
	return &c
}

// tableInputOf turns a table read back into the TableInput that would recreate it.
func tableInputOf(t *types.Table) *types.TableInput {
	in := &types.TableInput{
		Name:              t.Name,
		Description:       t.Description,
		FederatedTable:    t.FederatedTable,
		Owner:             t.Owner,
		Parameters:        maps.Clone(t.Parameters),
		PartitionKeys:     cloneColumns(t.PartitionKeys),
		Retention:         t.Retention,
		TableType:         t.TableType,
		TargetTable:       t.TargetTable,
		ViewExpandedText:  t.ViewExpandedText,
		ViewOriginalText:  t.ViewOriginalText,
		LastAccessTime:    t.LastAccessTime,
		LastAnalyzedTime:  t.LastAnalyzedTime,
		StorageDescriptor: cloneStorage(t.StorageDescriptor),
	}
	return in
}

func cloneTableInput(in *types.TableInput) *types.TableInput {
	c := *in
	c.Parameters = maps.Clone(in.Parameters)
	c.PartitionKeys = cloneColumns(in.PartitionKeys)
	c.StorageDescriptor = cloneStorage(in.StorageDescriptor)
	return &c
}

func cloneColumns(cols []types.Column) []types.Column {
	if cols == nil {
		return nil
	}
	out := make([]types.Column, len(cols))
	for i, c := range cols {
		c.Parameters = maps.Clone(c.Parameters)
		out[i] = c
	}
	return out
}

func cloneStorage(sd *types.StorageDescriptor) *types.StorageDescriptor {
	if sd == nil {
		return nil
	}
	c := *sd
	c.Columns = cloneColumns(sd.Columns)
	c.Parameters = maps.Clone(sd.Parameters)
	if sd.SerdeInfo != nil {
		s := *sd.SerdeInfo
		s.Parameters = maps.Clone(sd.SerdeInfo.Parameters)
		c.SerdeInfo = &s
	}
	return &c
}
