package lakeformationtest

import (
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/lakeformation"
)

// Defaults used when the corresponding Options field is zero.
const (
	// DefaultPageSize caps every page the fake returns: small, so that callers that ignore
	// NextToken miss items in their tests.
	DefaultPageSize = 3
	// DefaultAccountID is the account (and catalog ID) the fake pretends to be.
	DefaultAccountID = "123456789012"
)

// Options configures a Fake. The zero value is usable.
type Options struct {
	// PageSize caps every page, overriding DefaultPageSize. A smaller MaxResults wins.
	PageSize int
	// AccountID fills empty CatalogIds, as Lake Formation does, overriding DefaultAccountID.
	AccountID string
	// Clock stamps LastUpdated. Nil means datablocks.SystemClock().
	Clock datablocks.Clock
	// StrictCatalog makes grants and LF-tag assignments on databases and tables the fake does
	// not know (see AddDatabase and AddTable) fail with EntityNotFoundException, as Lake
	// Formation does for resources missing from the Data Catalog. Without it every database
	// and table is assumed to exist.
	StrictCatalog bool
	// Settings seeds the data lake settings. Nil means a new account's defaults:
	// IAM_ALLOWED_PRINCIPALS holds ALL on new databases and tables, and CROSS_ACCOUNT_VERSION
	// is "1".
	Settings *types.DataLakeSettings
}

// Fake is an in-memory Lake Formation implementing every client interface of package
// lakeformation. It is safe for concurrent use.
type Fake struct {
	// Controls intercept calls, inject faults and keep the call log. Lake Formation's
	// permission, settings and LF-tag APIs model no throttling error of their own; the service
	// front end answers with the generic ThrottlingException, which ThrottleNext returns.
	*fakecontrol.Controls

	opts Options

	mu        sync.Mutex
	perms     map[string]*permEntry // principal \x00 resource key
	seq       int
	settings  types.DataLakeSettings
	locations map[string]types.ResourceInfo
	tags      map[string][]string // LF-tag key -> values
	tagOrder  []string
	databases map[string]*dbInfo // name -> database
	dbOrder   []string
}

type permEntry struct {
	seq       int
	principal string
	resource  lakeformation.Resource
	perms     []types.Permission
	grantable []types.Permission
	updated   time.Time
}

type dbInfo struct {
	name   string
	tags   map[string]string
	tables map[string]*tableInfo
	tOrder []string
}

type tableInfo struct {
	name    string
	tags    map[string]string
	columns map[string]map[string]string // column -> tags
	cOrder  []string
}

var (
	_ lakeformation.PermissionsAPIClient = (*Fake)(nil)
	_ lakeformation.SettingsAPIClient    = (*Fake)(nil)
	_ lakeformation.LFTagsAPIClient      = (*Fake)(nil)
	_ lakeformation.MeshAPIClient        = (*Fake)(nil)
)

// New returns an empty Fake.
func New(optFns ...func(*Options)) *Fake {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.AccountID == "" {
		o.AccountID = DefaultAccountID
	}
	if o.Clock == nil {
		o.Clock = datablocks.SystemClock()
	}
	f := &Fake{
		Controls:  fakecontrol.New(nil),
		opts:      o,
		perms:     map[string]*permEntry{},
		locations: map[string]types.ResourceInfo{},
		tags:      map[string][]string{},
		databases: map[string]*dbInfo{},
	}
	if o.Settings != nil {
		f.settings = *cloneSettings(o.Settings)
	} else {
		iam := types.PrincipalPermissions{Principal: &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("IAM_ALLOWED_PRINCIPALS")},
			Permissions: []types.Permission{types.PermissionAll}}
		f.settings = types.DataLakeSettings{
			DataLakeAdmins:                   []types.DataLakePrincipal{},
			CreateDatabaseDefaultPermissions: []types.PrincipalPermissions{iam},
			CreateTableDefaultPermissions:    []types.PrincipalPermissions{iam},
			Parameters:                       map[string]string{"CROSS_ACCOUNT_VERSION": "1"},
			TrustedResourceOwners:            []string{},
			AllowExternalDataFiltering:       aws.Bool(false),
			AllowFullTableExternalDataAccess: aws.Bool(false),
		}
	}
	return f
}

// AccountID returns the account the fake pretends to be.
func (f *Fake) AccountID() string { return f.opts.AccountID }

// ConcurrentModificationNext makes the next n calls to op fail with a
// ConcurrentModificationException, as parallel grants do.
func (f *Fake) ConcurrentModificationNext(op string, n int) {
	for range n {
		f.FailNext(op, &types.ConcurrentModificationException{Message: aws.String("Concurrent modification detected for " + op)})
	}
}

// WriteCount returns how many calls the fake received that can change state: batch grants and
// revokes, settings writes, registrations and LF-tag writes.
func (f *Fake) WriteCount() int {
	n := 0
	for _, op := range []string{"BatchGrantPermissions", "BatchRevokePermissions", "PutDataLakeSettings", "RegisterResource",
		"CreateLFTag", "UpdateLFTag", "AddLFTagsToResource"} {
		n += f.Count(op)
	}
	return n
}

// AddDatabase declares a Data Catalog database, for StrictCatalog and LF-tag inheritance.
func (f *Fake) AddDatabase(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.db(name)
}

// AddTable declares a table (and its database) with its columns.
func (f *Fake) AddTable(database, table string, columns ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := f.table(database, table)
	for _, c := range columns {
		f.column(t, c)
	}
}

func (f *Fake) db(name string) *dbInfo {
	d, ok := f.databases[name]
	if !ok {
		d = &dbInfo{name: name, tags: map[string]string{}, tables: map[string]*tableInfo{}}
		f.databases[name] = d
		f.dbOrder = append(f.dbOrder, name)
	}
	return d
}

func (f *Fake) table(database, name string) *tableInfo {
	d := f.db(database)
	t, ok := d.tables[name]
	if !ok {
		t = &tableInfo{name: name, tags: map[string]string{}, columns: map[string]map[string]string{}}
		d.tables[name] = t
		d.tOrder = append(d.tOrder, name)
	}
	return t
}

func (f *Fake) column(t *tableInfo, name string) map[string]string {
	c, ok := t.columns[name]
	if !ok {
		c = map[string]string{}
		t.columns[name] = c
		t.cOrder = append(t.cOrder, name)
	}
	return c
}

// Permissions returns every permission held, in the order first granted, as ListPermissions
// would return them without a filter.
func (f *Fake) Permissions() []types.PrincipalResourcePermissions {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.listLocked(func(*permEntry) bool { return true })
}

func (f *Fake) listLocked(match func(*permEntry) bool) []types.PrincipalResourcePermissions {
	entries := make([]*permEntry, 0, len(f.perms))
	for _, e := range f.perms {
		if match(e) {
			entries = append(entries, e)
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].seq < entries[j].seq })
	out := make([]types.PrincipalResourcePermissions, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.sdk())
	}
	return out
}

func (e *permEntry) sdk() types.PrincipalResourcePermissions {
	perms := slices.Clone(e.perms)
	slices.Sort(perms)
	grantable := slices.Clone(e.grantable)
	slices.Sort(grantable)
	return types.PrincipalResourcePermissions{
		Principal:                  &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(e.principal)},
		Resource:                   e.resource.SDK(),
		Permissions:                perms,
		PermissionsWithGrantOption: grantable,
		LastUpdated:                aws.Time(e.updated),
	}
}

// Settings returns a copy of the current data lake settings.
func (f *Fake) Settings() types.DataLakeSettings {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *cloneSettings(&f.settings)
}

// RegisteredLocations returns the registered S3 locations, sorted by ARN.
func (f *Fake) RegisteredLocations() []types.ResourceInfo {
	f.mu.Lock()
	defer f.mu.Unlock()
	keys := make([]string, 0, len(f.locations))
	for k := range f.locations {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]types.ResourceInfo, 0, len(keys))
	for _, k := range keys {
		out = append(out, f.locations[k])
	}
	return out
}
