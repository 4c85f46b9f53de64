package lakeformationtest

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// The Lake Formation operations the Fake implements, for FailNext, ThrottleNext, Control and
// Count.
const (
	OpBatchGrantPermissions   = "BatchGrantPermissions"
	OpBatchRevokePermissions  = "BatchRevokePermissions"
	OpListPermissions         = "ListPermissions"
	OpGetDataLakeSettings     = "GetDataLakeSettings"
	OpPutDataLakeSettings     = "PutDataLakeSettings"
	OpRegisterResource        = "RegisterResource"
	OpDescribeResource        = "DescribeResource"
	OpCreateLFTag             = "CreateLFTag"
	OpGetLFTag                = "GetLFTag"
	OpUpdateLFTag             = "UpdateLFTag"
	OpDeleteLFTag             = "DeleteLFTag"
	OpAddLFTagsToResource     = "AddLFTagsToResource"
	OpGetResourceLFTags       = "GetResourceLFTags"
	OpSearchDatabasesByLFTags = "SearchDatabasesByLFTags"
	OpSearchTablesByLFTags    = "SearchTablesByLFTags"
)

// lfOps lists every operation of the Fake.
var lfOps = []string{OpBatchGrantPermissions, OpBatchRevokePermissions, OpListPermissions, OpGetDataLakeSettings,
	OpPutDataLakeSettings, OpRegisterResource, OpDescribeResource, OpCreateLFTag, OpGetLFTag, OpUpdateLFTag, OpDeleteLFTag,
	OpAddLFTagsToResource, OpGetResourceLFTags, OpSearchDatabasesByLFTags, OpSearchTablesByLFTags}

// Defaults used when the corresponding Options field is zero.
const (
	// defaultPageSize is the largest page the fake returns when the caller sets no
	// MaxResults: 1000, the MaxResults maximum of the Lake Formation API reference for
	// ListPermissions, SearchDatabasesByLFTags and SearchTablesByLFTags (the service documents
	// no smaller default).
	defaultPageSize = 1000
	// defaultAccountID is the account (and catalog ID) the fakes pretend to be.
	defaultAccountID = "123456789012"
)

// maxListPermissionsResults is ListPermissions' MaxResults range maximum (1–1000).
const maxListPermissionsResults = 1000

// Options configures a Fake (New) and a RAM fake (NewRAM, which reads PageSize, AccountID and
// Clock). The zero value is usable.
type Options struct {
	// PageSize caps every page; a smaller MaxResults wins. Zero means the service's maximum:
	// 1000 for ListPermissions, SearchDatabasesByLFTags and SearchTablesByLFTags (Lake
	// Formation documents no smaller default) and 500 for the RAM fake's
	// GetResourceShareInvitations. Set it small to test pagination.
	PageSize int
	// AccountID is the account the fake pretends to be: it fills empty CatalogIds, as Lake
	// Formation does, and receives the RAM fake's invitations. Empty means "123456789012".
	AccountID string
	// Clock stamps LastUpdated and LastModified, and the RAM fake's invitations. Nil means
	// the fake's own datablocks.NewManualClock, started at the current second.
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

// Fake is an in-memory Lake Formation with the aws-sdk-go-v2 method signatures. It is safe
// for concurrent use.
type Fake struct {
	// Controls intercept calls, inject faults and keep the call log. Lake Formation's
	// permission, settings and LF-tag APIs model no throttling error of their own; the service
	// front end answers with the generic ThrottlingException, which ThrottleNext returns.
	*fakecontrol.Controls

	opts  Options
	clock datablocks.Clock

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
	resource  res
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

// New returns an empty Fake.
func New(optFns ...func(*Options)) *Fake {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultPageSize
	}
	if o.AccountID == "" {
		o.AccountID = defaultAccountID
	}
	clock := o.Clock
	if clock == nil {
		clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	f := &Fake{
		Controls:  fakecontrol.New(nil, lfOps...),
		opts:      o,
		clock:     clock,
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
			Parameters:                       map[string]string{crossAccountVersion: "1"},
			TrustedResourceOwners:            []string{},
			AllowExternalDataFiltering:       aws.Bool(false),
			AllowFullTableExternalDataAccess: aws.Bool(false),
		}
	}
	return f
}

// Clock returns the clock the fake stamps times with (datablocks.ClockSource).
func (f *Fake) Clock() datablocks.Clock { return f.clock }

func (f *Fake) catalogID(id *string) string {
	if aws.ToString(id) != "" {
		return aws.ToString(id)
	}
	return f.opts.AccountID
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

// listLocked returns the matching entries in the order first granted. LF-tag values held by
// one principal with the same permissions are listed as one entry, as in the listing of the
// developer guide's "Managing LF-Tag permissions using the AWS CLI"
// (TagValues ["Orders", "Sales"]).
func (f *Fake) listLocked(match func(*permEntry) bool) []types.PrincipalResourcePermissions {
	entries := make([]*permEntry, 0, len(f.perms))
	for _, e := range f.perms {
		if match(e) {
			entries = append(entries, e)
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].seq < entries[j].seq })
	out := make([]types.PrincipalResourcePermissions, 0, len(entries))
	merged := map[string]int{}
	for _, e := range entries {
		p := e.sdk()
		if e.resource.kind == kLFTag {
			k := strings.Join([]string{e.principal, e.resource.catalog, e.resource.tagKey, joinPerms(p.Permissions), joinPerms(p.PermissionsWithGrantOption)}, "\x00")
			if i, ok := merged[k]; ok {
				t := out[i].Resource.LFTag
				t.TagValues = append(t.TagValues, e.resource.tagValues...)
				slices.Sort(t.TagValues)
				continue
			}
			merged[k] = len(out)
		}
		out = append(out, p)
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

func (e *permEntry) sdk() types.PrincipalResourcePermissions {
	perms := slices.Clone(e.perms)
	slices.Sort(perms)
	grantable := slices.Clone(e.grantable)
	slices.Sort(grantable)
	if grantable == nil {
		grantable = []types.Permission{}
	}
	return types.PrincipalResourcePermissions{
		Principal:                  &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(e.principal)},
		Resource:                   e.resource.sdk(),
		Permissions:                perms,
		PermissionsWithGrantOption: grantable,
		LastUpdated:                aws.Time(e.updated),
	}
}
