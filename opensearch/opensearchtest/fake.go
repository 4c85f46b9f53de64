package opensearchtest

import (
	"fmt"
	"net/http/httptest"
	"regexp"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// Operation names, for the fakecontrol methods (Control, FailNext, Count, ...). The control
// plane's are the SDK operation names; the data plane's name REST calls of a domain.
const (
	OpDescribeDomain              = "DescribeDomain"
	OpCreateOutboundConnection    = "CreateOutboundConnection"
	OpAcceptInboundConnection     = "AcceptInboundConnection"
	OpRejectInboundConnection     = "RejectInboundConnection"
	OpDeleteOutboundConnection    = "DeleteOutboundConnection"
	OpDeleteInboundConnection     = "DeleteInboundConnection"
	OpDescribeOutboundConnections = "DescribeOutboundConnections"
	OpDescribeInboundConnections  = "DescribeInboundConnections"

	OpGetSecurity    = "GetSecurity"    // GET _plugins/_security/api/<kind>[/<name>]
	OpPutSecurity    = "PutSecurity"    // PUT _plugins/_security/api/<kind>/<name>
	OpPatchSecurity  = "PatchSecurity"  // PATCH _plugins/_security/api/<kind>[/<name>]
	OpDeleteSecurity = "DeleteSecurity" // DELETE _plugins/_security/api/<kind>/<name>

	OpCreateIndex   = "CreateIndex"   // PUT /<index>
	OpIndexDocument = "IndexDocument" // PUT|POST /<index>/_doc[/<id>]
	OpGetDocument   = "GetDocument"   // GET /<index>/_doc/<id>
	OpSearch        = "Search"        // GET|POST /<index>/_search

	OpStartReplication  = "StartReplication"  // PUT _plugins/_replication/<index>/_start
	OpPauseReplication  = "PauseReplication"  // POST .../_pause
	OpResumeReplication = "ResumeReplication" // POST .../_resume
	OpStopReplication   = "StopReplication"   // POST .../_stop
	OpReplicationStatus = "ReplicationStatus" // GET .../_status
	OpPutAutoFollow     = "PutAutoFollow"     // POST _plugins/_replication/_autofollow
	OpDeleteAutoFollow  = "DeleteAutoFollow"  // DELETE _plugins/_replication/_autofollow
	OpAutoFollowStats   = "AutoFollowStats"   // GET _plugins/_replication/autofollow_stats
)

var allOps = []string{
	OpDescribeDomain, OpCreateOutboundConnection, OpAcceptInboundConnection, OpRejectInboundConnection,
	OpDeleteOutboundConnection, OpDeleteInboundConnection, OpDescribeOutboundConnections, OpDescribeInboundConnections,
	OpGetSecurity, OpPutSecurity, OpPatchSecurity, OpDeleteSecurity,
	OpCreateIndex, OpIndexDocument, OpGetDocument, OpSearch,
	OpStartReplication, OpPauseReplication, OpResumeReplication, OpStopReplication, OpReplicationStatus,
	OpPutAutoFollow, OpDeleteAutoFollow, OpAutoFollowStats,
}

// Defaults of Options.
const (
	defaultRegion    = "eu-west-1"
	defaultAccountID = "123456789012"
	// defaultMasterUserARN is the IAM role the fake's Config signs as, mapped to all_access
	// and security_manager on every domain as AWS maps a domain's master user ARN.
	defaultMasterUserARN = "arn:aws:iam::123456789012:role/opensearch-master"
	// defaultPageSize is the page size of DescribeInbound/OutboundConnections (the model's
	// MaxResults maximum, 100).
	defaultPageSize = 100
	// maxConnections is AWS's limit of cross-cluster connections per domain, inbound and
	// outbound together.
	maxConnections = 20
	// bootstrapTime is how long, by the fake's clock, a started replication stays
	// BOOTSTRAPING before it is SYNCING.
	bootstrapTime = 30 * time.Second
	// connectionStepTime is how long, by the fake's clock, a connection stays in each of
	// VALIDATING, APPROVED and PROVISIONING.
	connectionStepTime = 10 * time.Second
	// maxPause is how long a paused replication can be resumed.
	maxPause = 12 * time.Hour
)

// Options configures a Fake.
type Options struct {
	// Region is the fake's region. Empty means eu-west-1.
	Region string
	// AccountID owns the domains. Empty means 123456789012.
	AccountID string
	// MasterUserARN is the master user of every domain: the IAM role Config signs as, mapped
	// to all_access and security_manager on every domain as AWS maps a domain's master user
	// ARN. Empty means arn:aws:iam::123456789012:role/opensearch-master.
	MasterUserARN string
	// Salt is the compliance salt field masking uses. Empty means e1ukloTsQlOgPquJ, the
	// security plugin's default plugins.security.compliance.salt.
	Salt string
	// PageSize is the page size of the Describe*Connections operations. Zero means 100, the
	// model's MaxResults maximum; tests set it small to check pagination.
	PageSize int
	// Clock drives the connection and replication state machines. Nil means a
	// datablocks.ManualClock at the current time.
	Clock datablocks.Clock
}

// Fake is an OpenSearch Service account: a control plane (DescribeDomain and the
// cross-cluster connection operations, in SDK shapes and on the wire through Service) and
// data-plane domains (AddDomain, AddCollection), each an HTTP server on 127.0.0.1 with the
// security plugin, a small document store that enforces it, and the replication plugin.
type Fake struct {
	*fakecontrol.Controls

	opts  Options
	clock datablocks.Clock

	mu      sync.Mutex
	creds   map[string]credential // by access key ID
	domains map[string]*Domain    // by name
	conns   map[string]*connection
	seq     int
}

type credential struct {
	secret, principal string
}

// New returns an empty Fake.
func New(optFns ...func(*Options)) *Fake {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Region == "" {
		o.Region = defaultRegion
	}
	if o.AccountID == "" {
		o.AccountID = defaultAccountID
	}
	if o.MasterUserARN == "" {
		o.MasterUserARN = defaultMasterUserARN
	}
	if o.Salt == "" {
		o.Salt = defaultSalt
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultPageSize
	}
	if o.Clock == nil {
		o.Clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	f := &Fake{
		Controls: fakecontrol.New(func(string) error {
			return &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded", Fault: smithy.FaultClient}
		}, allOps...),
		opts: o, clock: o.Clock,
		creds:   map[string]credential{},
		domains: map[string]*Domain{},
		conns:   map[string]*connection{},
	}
	f.creds["AKIDOPENSEARCHMASTER"] = credential{secret: "opensearchtest-master-secret", principal: o.MasterUserARN}
	return f
}

// Clock returns the clock the fake's state machines run on (datablocks.ClockSource).
func (f *Fake) Clock() datablocks.Clock { return f.clock }

// Config returns an aws.Config that signs as the master user, with retries off.
func (f *Fake) Config() aws.Config { return f.configFor("AKIDOPENSEARCHMASTER") }

var roleARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]{1,512}$`)

// ConfigFor registers credentials for the IAM principal (a role or user ARN) and returns an
// aws.Config signing as it: the data plane takes principalARN as the caller's user name and
// backend role, as AWS does for IAM callers.
func (f *Fake) ConfigFor(principalARN string) (aws.Config, error) {
	if !roleARNRE.MatchString(principalARN) {
		return aws.Config{}, fmt.Errorf("opensearchtest: %q is not an IAM role or user ARN", principalARN)
	}
	f.mu.Lock()
	f.seq++
	akid := fmt.Sprintf("AKIDOSTEST%010d", f.seq)
	f.creds[akid] = credential{secret: fmt.Sprintf("secret-%d-%s", f.seq, principalARN), principal: principalARN}
	f.mu.Unlock()
	return f.configFor(akid), nil
}

func (f *Fake) configFor(akid string) aws.Config {
	f.mu.Lock()
	c := f.creds[akid]
	f.mu.Unlock()
	return aws.Config{
		Region:           f.opts.Region,
		Credentials:      credentials.NewStaticCredentialsProvider(akid, c.secret, ""),
		RetryMaxAttempts: 1,
	}
}

func (f *Fake) credential(akid string) (credential, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.creds[akid]
	return c, ok
}

// DomainSpec describes a domain to add.
type DomainSpec struct {
	// Name is the domain name: 3-28 characters, lower-case letters, digits and hyphens,
	// starting with a letter.
	Name string
	// EngineVersion is reported by DescribeDomain and compared when connecting (the leader
	// must not be older than the follower). Empty means "OpenSearch_2.19".
	EngineVersion string
	// Insecure turns off what FGAC requires (HTTPS enforcement, node-to-node and at-rest
	// encryption, advanced security) in the DescribeDomain answer, to test prerequisite
	// checks. The data plane still enforces the security plugin.
	Insecure bool
}

var domainNameRE = regexp.MustCompile(`^[a-z][a-z0-9\-]{2,27}$`)

// AddDomain adds a managed domain (signing name es) with its data plane listening on
// 127.0.0.1. Close the Fake (or the domain) when done.
func (f *Fake) AddDomain(spec DomainSpec) (*Domain, error) {
	return f.add(spec, false)
}

// AddCollection adds an OpenSearch Serverless collection (signing name aoss): the data plane
// has no security or replication plugin (404) and requires X-Amz-Content-Sha256; every
// signed caller may read and write (data access policies are not modeled).
func (f *Fake) AddCollection(name string) (*Domain, error) {
	return f.add(DomainSpec{Name: name}, true)
}

func (f *Fake) add(spec DomainSpec, serverless bool) (*Domain, error) {
	if !domainNameRE.MatchString(spec.Name) {
		return nil, fmt.Errorf("opensearchtest: domain name %q must be 3-28 characters: lower-case letters, digits and hyphens, starting with a letter", spec.Name)
	}
	if spec.EngineVersion == "" {
		spec.EngineVersion = "OpenSearch_2.19"
	}
	f.mu.Lock()
	if _, dup := f.domains[spec.Name]; dup {
		f.mu.Unlock()
		return nil, fmt.Errorf("opensearchtest: domain %q already exists", spec.Name)
	}
	d := newDomain(f, spec, serverless)
	f.domains[spec.Name] = d
	f.mu.Unlock()
	d.srv = httptest.NewServer(d)
	return d, nil
}

// Domain returns the domain named name.
func (f *Fake) Domain(name string) (*Domain, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.domains[name]
	return d, ok
}

// Close stops every domain's server.
func (f *Fake) Close() {
	f.mu.Lock()
	ds := make([]*Domain, 0, len(f.domains))
	for _, d := range f.domains {
		ds = append(ds, d)
	}
	f.mu.Unlock()
	for _, d := range ds {
		d.Close()
	}
}
