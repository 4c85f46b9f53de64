package gluetest

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
)

type catalogState struct {
	dbs map[string]*dbState // by lower-case name
}

type dbState struct {
	db     types.Database
	tables map[string]*tableState // by lower-case name
}

type tableState struct {
	versions []types.Table // oldest first; the last is current
}

func (t *tableState) current() *types.Table { return &t.versions[len(t.versions)-1] }

// catalogID returns the catalog a request addresses. f.mu must be held.
func (f *Fake) catalog(id *string) *catalogState {
	key := aws.ToString(id)
	if key == "" {
		key = f.opts.AccountID
	}
	c := f.catalogs[key]
	if c == nil {
		c = &catalogState{dbs: map[string]*dbState{}}
		f.catalogs[key] = c
	}
	return c
}

func (f *Fake) catalogKey(id *string) string {
	if aws.ToString(id) == "" {
		return f.opts.AccountID
	}
	return *id
}

func checkName(field, name string) error { return checkNameString(field, name) }

// defaultPermissions is what Glue stores when CreateTableDefaultPermissions is omitted in an
// account whose Lake Formation settings keep "use only IAM access control" (the default).
func defaultPermissions() []types.PrincipalPermissions {
	return []types.PrincipalPermissions{{
		Principal:   &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("IAM_ALLOWED_PRINCIPALS")},
		Permissions: []types.Permission{types.PermissionAll},
	}}
}

func clonePermissions(p []types.PrincipalPermissions) []types.PrincipalPermissions {
	if p == nil {
		return nil
	}
	out := make([]types.PrincipalPermissions, len(p))
	for i, x := range p {
		out[i] = types.PrincipalPermissions{
			Permissions: append([]types.Permission(nil), x.Permissions...),
			Principal:   clonePtr(x.Principal),
		}
	}
	return out
}

func cloneDatabase(d types.Database) types.Database {
	d.Parameters = cloneMap(d.Parameters)
	d.CreateTableDefaultPermissions = clonePermissions(d.CreateTableDefaultPermissions)
	if d.CreateTableDefaultPermissions == nil {
		d.CreateTableDefaultPermissions = []types.PrincipalPermissions{}
	}
	d.TargetDatabase = clonePtr(d.TargetDatabase)
	d.FederatedDatabase = clonePtr(d.FederatedDatabase)
	d.CreateTime = clonePtr(d.CreateTime)
	return d
}

func cloneColumns(cols []types.Column) []types.Column {
	if cols == nil {
		return nil
	}
	out := make([]types.Column, len(cols))
	for i, c := range cols {
		c.Parameters = cloneMap(c.Parameters)
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
	c.Parameters = cloneMap(sd.Parameters)
	c.AdditionalLocations = append([]string(nil), sd.AdditionalLocations...)
	c.BucketColumns = append([]string(nil), sd.BucketColumns...)
	c.SortColumns = append([]types.Order(nil), sd.SortColumns...)
	if sd.SerdeInfo != nil {
		s := *sd.SerdeInfo
		s.Parameters = cloneMap(sd.SerdeInfo.Parameters)
		c.SerdeInfo = &s
	}
	c.SchemaReference = clonePtr(sd.SchemaReference)
	c.SkewedInfo = clonePtr(sd.SkewedInfo)
	return &c
}

func cloneTable(t types.Table) types.Table {
	t.Parameters = cloneMap(t.Parameters)
	t.PartitionKeys = cloneColumns(t.PartitionKeys)
	t.StorageDescriptor = cloneStorage(t.StorageDescriptor)
	t.TargetTable = clonePtr(t.TargetTable)
	t.CreateTime = clonePtr(t.CreateTime)
	t.UpdateTime = clonePtr(t.UpdateTime)
	return t
}

// CreateDatabase creates a database. Names are stored in lower case, as Glue does. An omitted
// CreateTableDefaultPermissions becomes the IAM_ALLOWED_PRINCIPALS/ALL default; an empty one
// (Lake Formation mode) stays empty.
func (f *Fake) CreateDatabase(ctx context.Context, in *awsglue.CreateDatabaseInput, _ ...func(*awsglue.Options)) (*awsglue.CreateDatabaseOutput, error) {
	return handle(f, OpCreateDatabase, in, func() (*awsglue.CreateDatabaseOutput, error) {
		if in == nil || in.DatabaseInput == nil {
			return nil, invalidInput("DatabaseInput is required")
		}
		di := in.DatabaseInput
		name := strings.ToLower(aws.ToString(di.Name))
		if err := checkDatabaseInput(in.DatabaseInput); err != nil {
			return nil, err
		}
		cat := f.catalog(in.CatalogId)
		if _, ok := cat.dbs[name]; ok {
			return nil, alreadyExists("Database already exists.")
		}
		db := databaseFromInput(di)
		db.Name = aws.String(name)
		db.CatalogId = aws.String(f.catalogKey(in.CatalogId))
		db.CreateTime = aws.Time(f.now())
		if di.CreateTableDefaultPermissions == nil {
			db.CreateTableDefaultPermissions = defaultPermissions()
		}
		cat.dbs[name] = &dbState{db: db, tables: map[string]*tableState{}}
		return &awsglue.CreateDatabaseOutput{}, nil
	})
}

func databaseFromInput(di *types.DatabaseInput) types.Database {
	return cloneDatabase(types.Database{
		Name:                          di.Name,
		CreateTableDefaultPermissions: di.CreateTableDefaultPermissions,
		Description:                   di.Description,
		FederatedDatabase:             di.FederatedDatabase,
		LocationUri:                   di.LocationUri,
		Parameters:                    di.Parameters,
		TargetDatabase:                di.TargetDatabase,
	})
}

func (f *Fake) database(catalogID, name *string) (*dbState, error) {
	n := strings.ToLower(aws.ToString(name))
	if n == "" {
		return nil, invalidInput("Name is required")
	}
	db := f.catalog(catalogID).dbs[n]
	if db == nil {
		return nil, notFound("Database %s not found.", n)
	}
	return db, nil
}

// GetDatabase returns a database, or *types.EntityNotFoundException.
func (f *Fake) GetDatabase(ctx context.Context, in *awsglue.GetDatabaseInput, _ ...func(*awsglue.Options)) (*awsglue.GetDatabaseOutput, error) {
	return handle(f, OpGetDatabase, in, func() (*awsglue.GetDatabaseOutput, error) {
		if in == nil {
			return nil, invalidInput("Name is required")
		}
		db, err := f.database(in.CatalogId, in.Name)
		if err != nil {
			return nil, err
		}
		d := cloneDatabase(db.db)
		return &awsglue.GetDatabaseOutput{Database: &d}, nil
	})
}

// GetDatabases lists databases by name, a page at a time.
func (f *Fake) GetDatabases(ctx context.Context, in *awsglue.GetDatabasesInput, _ ...func(*awsglue.Options)) (*awsglue.GetDatabasesOutput, error) {
	return handle(f, OpGetDatabases, in, func() (*awsglue.GetDatabasesOutput, error) {
		if in == nil {
			in = &awsglue.GetDatabasesInput{}
		}
		cat := f.catalog(in.CatalogId)
		keys := make([]string, 0, len(cat.dbs))
		for k := range cat.dbs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		start, end, next, err := f.page(keys, in.NextToken, in.MaxResults, catalogPageSize, 100)
		if err != nil {
			return nil, err
		}
		out := &awsglue.GetDatabasesOutput{NextToken: next, DatabaseList: []types.Database{}}
		for _, k := range keys[start:end] {
			out.DatabaseList = append(out.DatabaseList, cloneDatabase(cat.dbs[k].db))
		}
		return out, nil
	})
}

// UpdateDatabase replaces a database's definition with DatabaseInput (parameters are replaced,
// not merged, as in Glue). An omitted CreateTableDefaultPermissions keeps the current one.
// Renaming is rejected with *types.InvalidInputException.
func (f *Fake) UpdateDatabase(ctx context.Context, in *awsglue.UpdateDatabaseInput, _ ...func(*awsglue.Options)) (*awsglue.UpdateDatabaseOutput, error) {
	return handle(f, OpUpdateDatabase, in, func() (*awsglue.UpdateDatabaseOutput, error) {
		if in == nil || in.DatabaseInput == nil {
			return nil, invalidInput("DatabaseInput is required")
		}
		db, err := f.database(in.CatalogId, in.Name)
		if err != nil {
			return nil, err
		}
		if err := checkDatabaseInput(in.DatabaseInput); err != nil {
			return nil, err
		}
		if n := aws.ToString(in.DatabaseInput.Name); !strings.EqualFold(n, aws.ToString(db.db.Name)) {
			return nil, invalidInput("Database name cannot be changed from %s to %s", aws.ToString(db.db.Name), n)
		}
		upd := databaseFromInput(in.DatabaseInput)
		upd.Name = db.db.Name
		upd.CatalogId = db.db.CatalogId
		upd.CreateTime = db.db.CreateTime
		if in.DatabaseInput.CreateTableDefaultPermissions == nil {
			upd.CreateTableDefaultPermissions = clonePermissions(db.db.CreateTableDefaultPermissions)
		}
		db.db = upd
		return &awsglue.UpdateDatabaseOutput{}, nil
	})
}

// DeleteDatabase deletes a database and all its tables.
func (f *Fake) DeleteDatabase(ctx context.Context, in *awsglue.DeleteDatabaseInput, _ ...func(*awsglue.Options)) (*awsglue.DeleteDatabaseOutput, error) {
	return handle(f, OpDeleteDatabase, in, func() (*awsglue.DeleteDatabaseOutput, error) {
		if in == nil {
			return nil, invalidInput("Name is required")
		}
		db, err := f.database(in.CatalogId, in.Name)
		if err != nil {
			return nil, err
		}
		delete(f.catalog(in.CatalogId).dbs, aws.ToString(db.db.Name))
		return &awsglue.DeleteDatabaseOutput{}, nil
	})
}

func tableFromInput(ti *types.TableInput) types.Table {
	return cloneTable(types.Table{
		Name:              ti.Name,
		Description:       ti.Description,
		FederatedTable:    ti.FederatedTable,
		LastAccessTime:    ti.LastAccessTime,
		LastAnalyzedTime:  ti.LastAnalyzedTime,
		Owner:             ti.Owner,
		Parameters:        ti.Parameters,
		PartitionKeys:     ti.PartitionKeys,
		Retention:         ti.Retention,
		StorageDescriptor: ti.StorageDescriptor,
		TableType:         ti.TableType,
		TargetTable:       ti.TargetTable,
		ViewExpandedText:  ti.ViewExpandedText,
		ViewOriginalText:  ti.ViewOriginalText,
	})
}

func checkTableInput(ti *types.TableInput) error {
	if ti == nil {
		return invalidInput("TableInput is required")
	}
	if err := checkName("tableInput.name", aws.ToString(ti.Name)); err != nil {
		return err
	}
	if err := checkOptional("tableInput.description", ti.Description, 0, 2048, true); err != nil {
		return err
	}
	if err := checkOptional("tableInput.owner", ti.Owner, 1, 255, false); err != nil {
		return err
	}
	if sd := ti.StorageDescriptor; sd != nil {
		if err := checkColumns("tableInput.storageDescriptor.columns", sd.Columns); err != nil {
			return err
		}
		if err := checkOptional("tableInput.storageDescriptor.location", sd.Location, 0, 2056, true); err != nil {
			return err
		}
	}
	if err := checkColumns("tableInput.partitionKeys", ti.PartitionKeys); err != nil {
		return err
	}
	return checkParameters("tableInput.parameters", ti.Parameters)
}

// CreateTable creates a table at version "0". The database must exist.
func (f *Fake) CreateTable(ctx context.Context, in *awsglue.CreateTableInput, _ ...func(*awsglue.Options)) (*awsglue.CreateTableOutput, error) {
	return handle(f, OpCreateTable, in, func() (*awsglue.CreateTableOutput, error) {
		if in == nil {
			return nil, invalidInput("DatabaseName is required")
		}
		if err := checkTableInput(in.TableInput); err != nil {
			return nil, err
		}
		db, err := f.database(in.CatalogId, in.DatabaseName)
		if err != nil {
			return nil, err
		}
		name := strings.ToLower(aws.ToString(in.TableInput.Name))
		if _, ok := db.tables[name]; ok {
			return nil, alreadyExists("Table already exists.")
		}
		t := tableFromInput(in.TableInput)
		now := f.now()
		t.Name = aws.String(name)
		t.DatabaseName = db.db.Name
		t.CatalogId = db.db.CatalogId
		t.CreateTime = aws.Time(now)
		t.UpdateTime = aws.Time(now)
		t.VersionId = aws.String("0")
		t.CreatedBy = aws.String(datablocks.PartitionForRegion(f.opts.Region).ARN("iam", "", f.opts.AccountID, "user/gluetest"))
		db.tables[name] = &tableState{versions: []types.Table{t}}
		return &awsglue.CreateTableOutput{}, nil
	})
}

func (f *Fake) table(catalogID, dbName, name *string) (*tableState, error) {
	db, err := f.database(catalogID, dbName)
	if err != nil {
		return nil, err
	}
	n := strings.ToLower(aws.ToString(name))
	if n == "" {
		return nil, invalidInput("Name is required")
	}
	t := db.tables[n]
	if t == nil {
		return nil, notFound("Table %s not found.", n)
	}
	return t, nil
}

// GetTable returns the current version of a table, or *types.EntityNotFoundException when the
// database or the table does not exist.
func (f *Fake) GetTable(ctx context.Context, in *awsglue.GetTableInput, _ ...func(*awsglue.Options)) (*awsglue.GetTableOutput, error) {
	return handle(f, OpGetTable, in, func() (*awsglue.GetTableOutput, error) {
		if in == nil {
			return nil, invalidInput("DatabaseName is required")
		}
		t, err := f.table(in.CatalogId, in.DatabaseName, in.Name)
		if err != nil {
			return nil, err
		}
		c := cloneTable(*t.current())
		return &awsglue.GetTableOutput{Table: &c}, nil
	})
}

// GetTables lists the tables of a database by name, a page at a time. Expression, when set, is
// a regular expression the whole table name must match.
func (f *Fake) GetTables(ctx context.Context, in *awsglue.GetTablesInput, _ ...func(*awsglue.Options)) (*awsglue.GetTablesOutput, error) {
	return handle(f, OpGetTables, in, func() (*awsglue.GetTablesOutput, error) {
		if in == nil {
			return nil, invalidInput("DatabaseName is required")
		}
		db, err := f.database(in.CatalogId, in.DatabaseName)
		if err != nil {
			return nil, err
		}
		var re *regexp.Regexp
		if e := aws.ToString(in.Expression); e != "" {
			if re, err = regexp.Compile("^(?:" + e + ")$"); err != nil {
				return nil, invalidInput("Expression is not a valid regular expression: %v", err)
			}
		}
		keys := make([]string, 0, len(db.tables))
		for k := range db.tables {
			if re == nil || re.MatchString(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		start, end, next, err := f.page(keys, in.NextToken, in.MaxResults, catalogPageSize, 100)
		if err != nil {
			return nil, err
		}
		out := &awsglue.GetTablesOutput{NextToken: next, TableList: []types.Table{}}
		for _, k := range keys[start:end] {
			out.TableList = append(out.TableList, cloneTable(*db.tables[k].current()))
		}
		return out, nil
	})
}

// UpdateTable replaces a table's definition with TableInput and increments its VersionId. A
// VersionId in the request that is not the current one fails with
// *types.ConcurrentModificationException. Renaming is rejected.
func (f *Fake) UpdateTable(ctx context.Context, in *awsglue.UpdateTableInput, _ ...func(*awsglue.Options)) (*awsglue.UpdateTableOutput, error) {
	return handle(f, OpUpdateTable, in, func() (*awsglue.UpdateTableOutput, error) {
		if in == nil {
			return nil, invalidInput("DatabaseName is required")
		}
		if err := checkTableInput(in.TableInput); err != nil {
			return nil, err
		}
		t, err := f.table(in.CatalogId, in.DatabaseName, in.TableInput.Name)
		if err != nil {
			return nil, err
		}
		cur := t.current()
		if n := aws.ToString(in.Name); n != "" && !strings.EqualFold(n, aws.ToString(cur.Name)) {
			return nil, invalidInput("Table name cannot be changed from %s to %s", aws.ToString(cur.Name), n)
		}
		if v := aws.ToString(in.VersionId); v != "" && v != aws.ToString(cur.VersionId) {
			return nil, &types.ConcurrentModificationException{Message: aws.String("Update table failed due to concurrent modifications.")}
		}
		version, _ := strconv.Atoi(aws.ToString(cur.VersionId))
		upd := tableFromInput(in.TableInput)
		upd.Name = cur.Name
		upd.DatabaseName = cur.DatabaseName
		upd.CatalogId = cur.CatalogId
		upd.CreateTime = cur.CreateTime
		upd.CreatedBy = cur.CreatedBy
		upd.UpdateTime = aws.Time(f.now())
		upd.VersionId = aws.String(strconv.Itoa(version + 1))
		t.versions = append(t.versions, upd)
		return &awsglue.UpdateTableOutput{}, nil
	})
}

// DeleteTable deletes a table and its versions.
func (f *Fake) DeleteTable(ctx context.Context, in *awsglue.DeleteTableInput, _ ...func(*awsglue.Options)) (*awsglue.DeleteTableOutput, error) {
	return handle(f, OpDeleteTable, in, func() (*awsglue.DeleteTableOutput, error) {
		if in == nil {
			return nil, invalidInput("DatabaseName is required")
		}
		t, err := f.table(in.CatalogId, in.DatabaseName, in.Name)
		if err != nil {
			return nil, err
		}
		db, _ := f.database(in.CatalogId, in.DatabaseName)
		delete(db.tables, aws.ToString(t.current().Name))
		return &awsglue.DeleteTableOutput{}, nil
	})
}

// tableVersions returns every version of a table, oldest first, as GetTableVersions would, or
// false when the table does not exist, for the fake's own tests.
func (f *Fake) tableVersions(catalogID, database, table string) ([]types.Table, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.table(aws.String(catalogID), aws.String(database), aws.String(table))
	if err != nil {
		return nil, false
	}
	out := make([]types.Table, len(t.versions))
	for i, v := range t.versions {
		out[i] = cloneTable(v)
	}
	return out, true
}
