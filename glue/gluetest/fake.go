package gluetest

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// Defaults used when the corresponding Options field is zero.
const (
	// DefaultListSchemasPageSize is ListSchemas' page size when MaxResults is not set: "If the
	// value is not supplied, this will be defaulted to 25 per page" (Glue API reference,
	// ListSchemas).
	DefaultListSchemasPageSize = 25
	// DefaultCatalogPageSize is the page size of GetDatabases, GetTables and
	// GetCrawlerMetrics when MaxResults is not set. The API reference documents no default,
	// only the range of MaxResults (1 to 100 for GetDatabases and GetTables); the fake uses
	// its maximum.
	DefaultCatalogPageSize = 100
	// DefaultAccountID is the account (and Data Catalog ID) the fake pretends to be.
	DefaultAccountID = "123456789012"
	// DefaultRegion is the region used in the ARNs the fake builds.
	DefaultRegion = "eu-west-1"
	// DefaultSchemaVersionDelay is how long a new schema version stays PENDING.
	DefaultSchemaVersionDelay = 3 * time.Second
	// DefaultCrawlDuration is how long a crawl stays RUNNING unless scripted otherwise.
	DefaultCrawlDuration = 90 * time.Second
	// DefaultStoppingDuration is how long a crawler stays STOPPING before it is READY again.
	DefaultStoppingDuration = 10 * time.Second
	// DefaultJobRunDuration is how long a job run stays RUNNING unless scripted otherwise.
	DefaultJobRunDuration = 2 * time.Minute
	// DefaultWorkflowRunDuration is how long a workflow run stays RUNNING unless scripted otherwise.
	DefaultWorkflowRunDuration = 8 * time.Minute
)

// Options configures a Fake. The zero value is usable.
type Options struct {
	// PageSize caps every page the fake returns, overriding the operations' defaults
	// (DefaultListSchemasPageSize, DefaultCatalogPageSize): set it small (2, say) so that code
	// that reads only the first page fails its tests. A smaller MaxResults in a request wins.
	// Zero means the defaults.
	PageSize int
	// Clock drives every state machine of the fake (schema versions, crawlers, job and
	// workflow runs) and stamps creation times. Nil means the fake's own
	// datablocks.ManualClock, starting at the current time truncated to the second; Fake.Clock
	// returns it, and helpers given the fake and no clock of their own wait by it, so their
	// waits advance the fake and take no wall-clock time.
	Clock datablocks.Clock
	// AccountID is the default Data Catalog ID and the account in ARNs, overriding
	// DefaultAccountID. Empty means the default.
	AccountID string
	// Region is used in ARNs, overriding DefaultRegion. Empty means the default.
	Region string
	// SchemaVersionDelay is how long a registered schema version stays PENDING before it
	// becomes AVAILABLE (or FAILURE when it breaks the schema's compatibility mode), overriding
	// DefaultSchemaVersionDelay. Negative means no delay: versions are decided at once.
	SchemaVersionDelay time.Duration
	// CrawlDuration is how long a crawl runs when the crawler has no script, overriding
	// DefaultCrawlDuration. Zero means the default.
	CrawlDuration time.Duration
	// StoppingDuration is how long a crawler stays STOPPING after a crawl, overriding
	// DefaultStoppingDuration. Zero means the default.
	StoppingDuration time.Duration
	// JobRunDuration is how long a job run stays RUNNING when the job has no script,
	// overriding DefaultJobRunDuration. Zero means the default.
	JobRunDuration time.Duration
	// WorkflowRunDuration is how long a workflow run stays RUNNING when the workflow has no
	// script, overriding DefaultWorkflowRunDuration. Zero means the default.
	WorkflowRunDuration time.Duration
}

func (o Options) withDefaults() Options {
	if o.PageSize < 0 {
		o.PageSize = 0
	}
	if o.Clock == nil {
		o.Clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	if o.AccountID == "" {
		o.AccountID = DefaultAccountID
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.SchemaVersionDelay == 0 {
		o.SchemaVersionDelay = DefaultSchemaVersionDelay
	}
	if o.SchemaVersionDelay < 0 {
		o.SchemaVersionDelay = 0
	}
	if o.CrawlDuration <= 0 {
		o.CrawlDuration = DefaultCrawlDuration
	}
	if o.StoppingDuration <= 0 {
		o.StoppingDuration = DefaultStoppingDuration
	}
	if o.JobRunDuration <= 0 {
		o.JobRunDuration = DefaultJobRunDuration
	}
	if o.WorkflowRunDuration <= 0 {
		o.WorkflowRunDuration = DefaultWorkflowRunDuration
	}
	return o
}

// Fake is an in-memory AWS Glue control plane: the Data Catalog, the Schema Registry,
// crawlers, jobs and workflows. It implements every client interface of package glue with
// the exact SDK method signatures and is safe for concurrent use.
type Fake struct {
	// Controls intercepts calls, injects faults and throttling, and keeps the call log
	// (Control, KeepControl, FailNext, ThrottleNext, Calls, Count, ResetCalls, ClearControls).
	*fakecontrol.Controls

	opts Options

	mu        sync.Mutex
	catalogs  map[string]*catalogState // by catalog ID
	registry  *registryState
	crawlers  map[string]*crawlerState
	jobs      map[string]*jobState
	workflows map[string]*workflowState

	crawlScripts    map[string][]CrawlScript
	jobScripts      map[string][]JobScript
	workflowScripts map[string][]WorkflowScript
	seq             int
}

// New returns an empty Fake.
func New(optFns ...func(*Options)) *Fake {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	return &Fake{
		Controls:  fakecontrol.New(throttled, operations...),
		opts:      o.withDefaults(),
		catalogs:  map[string]*catalogState{},
		registry:  newRegistryState(),
		crawlers:  map[string]*crawlerState{},
		jobs:      map[string]*jobState{},
		workflows: map[string]*workflowState{},

		crawlScripts:    map[string][]CrawlScript{},
		jobScripts:      map[string][]JobScript{},
		workflowScripts: map[string][]WorkflowScript{},
	}
}

// Options returns the fake's options with defaults applied.
func (f *Fake) Options() Options { return f.opts }

// Clock returns the clock the fake's state machines run on (datablocks.ClockSource).
func (f *Fake) Clock() datablocks.Clock { return f.opts.Clock }

// throttled is Glue's throttling error: a *types.ThrottlingException, code
// ThrottlingException, which the SDK's retryer and internal/poll treat as retryable.
func throttled(string) error {
	return &types.ThrottlingException{Message: aws.String("Rate exceeded")}
}

// handle runs one operation through the fake's controls and call log; fn, the fake's own
// behavior, runs with f.mu held.
func handle[In, Out any](f *Fake, op string, in In, fn func() (*Out, error)) (*Out, error) {
	return fakecontrol.Do(f.Controls, op, in, func(In) (*Out, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		return fn()
	})
}

func (f *Fake) now() time.Time { return f.opts.Clock.Now() }

// observe reports a read of resource key: waiting (a state only the fake's time will change)
// counts towards fakecontrol's stall report, whose error the read then returns; otherwise
// the resource is settled.
func (f *Fake) observe(key string, waiting bool) error {
	if !waiting {
		f.Settled(key)
		return nil
	}
	return f.WaitingOnClock(key, f.now())
}

func (f *Fake) arn(resource string) string {
	return datablocks.PartitionForRegion(f.opts.Region).ARN("glue", f.opts.Region, f.opts.AccountID, resource)
}

// page returns the page of sorted keys that follows token, and the token of the next page.
// def is the operation's default page size and limit the largest MaxResults it accepts.
func (f *Fake) page(keys []string, token *string, maxResults *int32, def, limit int) (start, end int, next *string, err error) {
	size := def
	if f.opts.PageSize > 0 {
		size = f.opts.PageSize
	}
	if maxResults != nil {
		if *maxResults < 1 || int(*maxResults) > limit {
			return 0, 0, nil, invalidInput("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and %d", *maxResults, limit)
		}
		if int(*maxResults) < size {
			size = int(*maxResults)
		}
	}
	if token != nil && *token != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(*token)
		if derr != nil || !strings.HasPrefix(string(raw), "after:") {
			return 0, 0, nil, invalidInput("Invalid pagination token")
		}
		after := strings.TrimPrefix(string(raw), "after:")
		start = sort.SearchStrings(keys, after)
		if start < len(keys) && keys[start] == after {
			start++
		}
	}
	end = min(start+size, len(keys))
	if end < len(keys) {
		next = aws.String(base64.RawURLEncoding.EncodeToString([]byte("after:" + keys[end-1])))
	}
	return start, end, next, nil
}

func invalidInput(format string, args ...any) error {
	return &types.InvalidInputException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func notFound(format string, args ...any) error {
	return &types.EntityNotFoundException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func alreadyExists(format string, args ...any) error {
	return &types.AlreadyExistsException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
