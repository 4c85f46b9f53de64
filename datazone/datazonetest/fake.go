package datazonetest

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// The DataZone operations the fake implements, for fakecontrol (FailNext, Count, …).
const (
	OpGetDomain                     = "GetDomain"
	OpCreateFormType                = "CreateFormType"
	OpGetFormType                   = "GetFormType"
	OpDeleteFormType                = "DeleteFormType"
	OpCreateAssetType               = "CreateAssetType"
	OpGetAssetType                  = "GetAssetType"
	OpDeleteAssetType               = "DeleteAssetType"
	OpCreateAsset                   = "CreateAsset"
	OpGetAsset                      = "GetAsset"
	OpCreateAssetRevision           = "CreateAssetRevision"
	OpDeleteAsset                   = "DeleteAsset"
	OpGetListing                    = "GetListing"
	OpGetEnvironment                = "GetEnvironment"
	OpCreateSubscriptionTarget      = "CreateSubscriptionTarget"
	OpGetSubscriptionTarget         = "GetSubscriptionTarget"
	OpUpdateSubscriptionTarget      = "UpdateSubscriptionTarget"
	OpListSubscriptionTargets       = "ListSubscriptionTargets"
	OpGetSubscriptionGrant          = "GetSubscriptionGrant"
	OpUpdateSubscriptionGrantStatus = "UpdateSubscriptionGrantStatus"
)

var operations = []string{
	OpGetDomain, OpCreateFormType, OpGetFormType, OpDeleteFormType, OpCreateAssetType, OpGetAssetType,
	OpDeleteAssetType, OpCreateAsset, OpGetAsset, OpCreateAssetRevision, OpDeleteAsset, OpGetListing,
	OpGetEnvironment, OpCreateSubscriptionTarget, OpGetSubscriptionTarget, OpUpdateSubscriptionTarget,
	OpListSubscriptionTargets, OpGetSubscriptionGrant, OpUpdateSubscriptionGrantStatus,
}

// Defaults of Options.
const (
	// defaultPageSize is the page size of list operations: 50, the largest maxResults
	// ListSubscriptionTargets accepts (the reference documents no smaller default).
	defaultPageSize = 50
	// defaultAccountID and defaultRegion are where the fake's domains live.
	defaultAccountID = "123456789012"
	defaultRegion    = "eu-west-1"
)

// Built-in form types every domain of the fake has, as DataZone defines them.
const (
	relationalTableFormType    = "amazon.datazone.RelationalTableFormType"
	assetCommonDetailsFormType = "amazon.datazone.AssetCommonDetailsFormType"
)

// Options configures the package's fakes: Fake (DataZone), IAM and SSM. Each constructor
// applies its optFns to the zero Options. The zero value is usable.
type Options struct {
	// PageSize caps every page; a smaller maxResults (MaxItems, MaxResults) in a request
	// wins. Zero means each API's own: 50 for DataZone (the largest maxResults
	// ListSubscriptionTargets accepts), 100 for IAM's ListRolePolicies (its default
	// MaxItems) and 10 for SSM's GetParametersByPath (its largest MaxResults, which a larger
	// PageSize does not exceed).
	PageSize int
	// Clock stamps creation and update times (DataZone) and LastModifiedDate (SSM); the IAM
	// fake stamps nothing the SDK reads. Nil means the fake's own
	// datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second)).
	Clock datablocks.Clock
	// AccountID and Region place the fake's domains, roles and parameter ARNs. Empty means
	// 123456789012 and eu-west-1.
	AccountID, Region string
}

// Fake is an in-memory Amazon DataZone: domains, projects, environments, form types, asset
// types, assets with revisions, listings, subscription targets and subscription grants. It
// serves the SDK client's method signatures and is safe for concurrent use.
type Fake struct {
	// Controls intercepts calls, injects faults and keeps the call log.
	*fakecontrol.Controls

	opts Options

	mu      sync.Mutex
	domains map[string]*domain
	seq     int
}

type domain struct {
	id, name   string
	created    time.Time
	projects   map[string]bool
	envs       map[string]*environment
	formTypes  map[string]*formType
	assetTypes map[string]*assetType
	assets     map[string]*asset
	tokens     map[string]string // CreateAsset client token → asset ID
	revTokens  map[string]string // asset ID + CreateAssetRevision client token → revision
	listings   map[string]*listing
	targets    map[string]*target
	grants     map[string]*grant
}

type environment struct {
	id, project, account, region, name string
	status                             types.EnvironmentStatus
	created                            time.Time
}

type formType struct {
	name, project string
	revisions     []formTypeRevision
	deleted       bool
	builtin       bool
}

type formTypeRevision struct {
	model, description string
	status             types.FormTypeStatus
	shape              *smithyShape
	created            time.Time
}

type assetType struct {
	name, project string
	revisions     []assetTypeRevision
	deleted       bool
}

type assetTypeRevision struct {
	description string
	forms       map[string]types.FormEntryOutput
	created     time.Time
}

type asset struct {
	id, project, typeName, externalID string
	revisions                         []assetRevision
	deleted                           bool
	created                           time.Time
}

type assetRevision struct {
	name, description, typeRevision string
	forms                           []types.FormOutput
	glossary                        []string
	created                         time.Time
}

type listing struct {
	id, assetID string
	revisions   []string // asset revision per listing revision
	created     time.Time
}

type target struct {
	out awsdz.GetSubscriptionTargetOutput
}

type grant struct {
	id, targetID, envID, listingID, listingRevision string
	assets                                          []*types.SubscribedAsset
	history                                         []types.SubscriptionGrantStatus
	created, updated                                time.Time
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
	if o.Clock == nil {
		o.Clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	if o.AccountID == "" {
		o.AccountID = defaultAccountID
	}
	if o.Region == "" {
		o.Region = defaultRegion
	}
	return &Fake{
		Controls: fakecontrol.New(throttled, operations...),
		opts:     o,
		domains:  map[string]*domain{},
	}
}

// Clock returns the fake's clock (datablocks.ClockSource).
func (f *Fake) Clock() datablocks.Clock { return f.opts.Clock }

func throttled(string) error {
	return &types.ThrottlingException{Message: aws.String("Rate exceeded")}
}

func validation(format string, args ...any) error {
	return &types.ValidationException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func notFound(format string, args ...any) error {
	return &types.ResourceNotFoundException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func conflict(format string, args ...any) error {
	return &types.ConflictException{Message: aws.String(fmt.Sprintf(format, args...))}
}

// handle runs fn for operation op through the fake's controls (faults, call log) while holding
// mu; the DataZone, IAM and SSM fakes all serve their operations through it.
func handle[In, Out any](c *fakecontrol.Controls, mu *sync.Mutex, op string, in *In, fn func() (*Out, error)) (*Out, error) {
	if in == nil {
		in = new(In)
	}
	return fakecontrol.Do(c, op, in, func(*In) (*Out, error) {
		mu.Lock()
		defer mu.Unlock()
		return fn()
	})
}

// page returns the part of the sorted keys a page of size keys after token holds, and the next
// page's token (nil on the last page); ok is false for a token the fake did not issue.
func page(keys []string, token *string, size int) (window []string, next *string, ok bool) {
	start := 0
	if tok := aws.ToString(token); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		after, found := strings.CutPrefix(string(raw), "after:")
		if err != nil || !found {
			return nil, nil, false
		}
		start = sort.SearchStrings(keys, after)
		if start < len(keys) && keys[start] == after {
			start++
		}
	}
	end := min(start+size, len(keys))
	if end < len(keys) {
		next = aws.String(base64.RawURLEncoding.EncodeToString([]byte("after:" + keys[end-1])))
	}
	return keys[start:end], next, true
}

func (f *Fake) now() time.Time { return f.opts.Clock.Now().UTC() }

func (f *Fake) newID(prefix string) string {
	f.seq++
	return fmt.Sprintf("%s%010d", prefix, f.seq)
}

// Patterns and limits from the DataZone API reference.
var (
	domainIDRE      = regexp.MustCompile(`^dzd[-_][a-zA-Z0-9_-]{1,36}$`)
	idRE            = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,36}$`)
	formTypeNameRE  = regexp.MustCompile(`^(amazon\.datazone\.)?[A-Za-z]\w*$`)
	manageRoleRE    = regexp.MustCompile(`^arn:aws(|-cn|-us-gov):iam::\d{12}:(role|role/service-role)/[\w+=,.@-]*$`)
	clientTokenRE   = regexp.MustCompile(`^[\x21-\x7E]+$`)
	maxFormContent  = 300_000
	maxDescription  = 2048
	maxForms        = 10
	maxGlossary     = 20
	maxPrincipals   = 20
	maxExternalID   = 600
	maxClientToken  = 128
	maxFormTypeName = 128
)

func (f *Fake) domain(id *string) (*domain, error) {
	s := aws.ToString(id)
	if !domainIDRE.MatchString(s) {
		return nil, validation("1 validation error detected: Value '%s' at 'domainIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ^dzd[-_][a-zA-Z0-9_-]{1,36}$", s)
	}
	d, ok := f.domains[s]
	if !ok {
		return nil, notFound("Domain %s not found", s)
	}
	return d, nil
}

func checkID(field string, v *string) error {
	if s := aws.ToString(v); !idRE.MatchString(s) {
		return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]{1,36}$", s, field)
	}
	return nil
}

func checkLen(field string, v *string, lo, hi int, required bool) error {
	if v == nil {
		if required {
			return validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
		}
		return nil
	}
	if n := len(*v); n < lo || n > hi {
		return validation("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length between %d and %d", field, lo, hi)
	}
	return nil
}

// CreateDomain adds a domain, AVAILABLE at once, and returns its ID (dzd_…).
func (f *Fake) CreateDomain(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := strings.ToLower(f.newID("dzd_"))
	d := &domain{
		id: id, name: name, created: f.now(),
		projects: map[string]bool{}, envs: map[string]*environment{}, formTypes: map[string]*formType{},
		assetTypes: map[string]*assetType{}, assets: map[string]*asset{}, tokens: map[string]string{},
		revTokens: map[string]string{}, listings: map[string]*listing{}, targets: map[string]*target{},
		grants: map[string]*grant{},
	}
	for _, b := range []struct{ name, model string }{
		{relationalTableFormType, "structure RelationalTableFormType { @required tableName: String }"},
		{assetCommonDetailsFormType, "structure AssetCommonDetailsFormType { sourceIdentifier: String }"},
	} {
		shape, _ := parseSmithy(b.model)
		d.formTypes[b.name] = &formType{name: b.name, builtin: true, revisions: []formTypeRevision{{model: b.model, status: types.FormTypeStatusEnabled, shape: shape, created: f.now()}}}
	}
	f.domains[id] = d
	return id
}

// CreateProject adds a project to a domain and returns its ID. It panics on an unknown domain.
func (f *Fake) CreateProject(domainID, name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.mustDomain(domainID)
	id := f.newID("prj")
	d.projects[id] = true
	return id
}

// CreateEnvironment adds an ACTIVE environment of a project, in the given account and region,
// and returns its ID. It panics on an unknown domain or project.
func (f *Fake) CreateEnvironment(domainID, projectID, accountID, region string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.mustDomain(domainID)
	if !d.projects[projectID] {
		panic("datazonetest: CreateEnvironment: unknown project " + projectID)
	}
	id := f.newID("env")
	d.envs[id] = &environment{id: id, project: projectID, account: accountID, region: region, name: "env-" + id, status: types.EnvironmentStatusActive, created: f.now()}
	return id
}

// SetEnvironmentStatus changes an environment's status (INACCESSIBLE, DELETED, …).
func (f *Fake) SetEnvironmentStatus(domainID, envID string, s types.EnvironmentStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mustDomain(domainID).envs[envID].status = s
}

func (f *Fake) mustDomain(id string) *domain {
	d, ok := f.domains[id]
	if !ok {
		panic("datazonetest: unknown domain " + id)
	}
	return d
}

func (f *Fake) arn(resource string) string {
	return datablocks.PartitionForRegion(f.opts.Region).ARN("datazone", f.opts.Region, f.opts.AccountID, resource)
}

// GetDomain implements the DataZone operation.
func (f *Fake) GetDomain(ctx context.Context, in *awsdz.GetDomainInput, _ ...func(*awsdz.Options)) (*awsdz.GetDomainOutput, error) {
	return handle(f.Controls, &f.mu, OpGetDomain, in, func() (*awsdz.GetDomainOutput, error) {
		d, err := f.domain(in.Identifier)
		if err != nil {
			return nil, err
		}
		return &awsdz.GetDomainOutput{
			Id: aws.String(d.id), Name: aws.String(d.name), Arn: aws.String(f.arn("domain/" + d.id)),
			Status: types.DomainStatusAvailable, CreatedAt: aws.Time(d.created), DomainVersion: types.DomainVersionV1,
			DomainExecutionRole: aws.String(datablocks.PartitionForRegion(f.opts.Region).ARN("iam", "", f.opts.AccountID, "role/service-role/AmazonDataZoneDomainExecution")),
			PortalUrl:           aws.String("https://" + d.id + ".datazone." + f.opts.Region + ".on.aws"),
		}, nil
	})
}
