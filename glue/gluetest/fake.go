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

// The fake's defaults: the operations' page sizes, the account and region of its ARNs, and how
// long its state machines take. Options.PageSize, AccountID, Region and SchemaVersionDelay
// override some; the scripts (CrawlScript, JobScript, WorkflowScript) set the durations of
// single runs.
const (
	// listSchemasPageSize is ListSchemas' page size when MaxResults is not set: "If the value
	// is not supplied, this will be defaulted to 25 per page" (Glue API reference,
	// ListSchemas).
	listSchemasPageSize = 25
	// catalogPageSize is the page size of GetDatabases, GetTables and GetCrawlerMetrics when
	// MaxResults is not set. The API reference documents no default, only the range of
	// MaxResults (1 to 100 for GetDatabases and GetTables); the fake uses its maximum.
	catalogPageSize = 100
	// defaultAccountID is the account (and Data Catalog ID) the fake pretends to be.
	defaultAccountID = "123456789012"
	// defaultRegion is the region used in the ARNs the fake builds.
	defaultRegion = "eu-west-1"
	// schemaVersionDelay is how long a new schema version stays PENDING.
	schemaVersionDelay = 3 * time.Second
	// crawlDuration is how long a crawl stays RUNNING unless scripted otherwise.
	crawlDuration = 90 * time.Second
	// stoppingDuration is how long a crawler, or a job run being stopped, stays STOPPING.
	stoppingDuration = 10 * time.Second
	// startingDuration is how long a job run stays STARTING unless scripted otherwise.
	startingDuration = 10 * time.Second
	// jobRunDuration is how long a job run stays RUNNING unless scripted otherwise.
	jobRunDuration = 2 * time.Minute
	// workflowRunDuration is how long a workflow run stays RUNNING unless scripted otherwise.
	workflowRunDuration = 8 * time.Minute
)

// Options configures a Fake. The zero value is usable.
type Options struct {
	// PageSize caps every page the fake returns, overriding the operations' own page sizes
	// (25 for ListSchemas, 100 for GetDatabases, GetTables and GetCrawlerMetrics): set it small
	// (2, say) so that code that reads only the first page fails its tests. A smaller
	// MaxResults in a request wins. Zero means the operations' page sizes.
	PageSize int
	// Clock drives every state machine of the fake (schema versions, crawlers, job and
	// workflow runs) and stamps creation times. Nil means the fake's own
	// datablocks.ManualClock, starting at the current time truncated to the second; Fake.Clock
	// returns it, and helpers given the fake and no clock of their own wait by it, so their
	// waits advance the fake and take no wall-clock time.
	Clock datablocks.Clock
	// AccountID is the default Data Catalog ID and the account in ARNs. Empty means
	// 123456789012.
	AccountID string
	// Region is used in ARNs. Empty means eu-west-1.
	Region string
	// SchemaVersionDelay is how long a registered schema version stays PENDING before it
	// becomes AVAILABLE (or FAILURE when it breaks the schema's compatibility mode). Zero means
	// 3 seconds; negative means no delay: versions are decided at once.
	SchemaVersionDelay time.Duration
}

func (o Options) withDefaults() Options {
	if o.PageSize < 0 {
		o.PageSize = 0
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
	if o.SchemaVersionDelay == 0 {
		o.SchemaVersionDelay = schemaVersionDelay
	}
	if o.SchemaVersionDelay < 0 {
		o.SchemaVersionDelay = 0
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
