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
	"github.com/datablocks-go/datablocks/glue"
)

// Defaults used when the corresponding Options field is zero.
const (
	// DefaultPageSize is the fake's page size for every paginated operation: small, so that
	// callers that ignore NextToken miss items in their tests.
	DefaultPageSize = 2
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
	// PageSize caps every page the fake returns, overriding DefaultPageSize. A smaller
	// MaxResults in a request wins. Zero means the default.
	PageSize int
	// Clock drives every state machine of the fake (schema versions, crawlers, job and
	// workflow runs) and stamps creation times. Pass the same datablocks.ManualClock to the
	// helper under test so that its waits advance the fake. Nil means datablocks.SystemClock().
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
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.Clock == nil {
		o.Clock = datablocks.SystemClock()
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

// Call is one entry of the fake's call log.
type Call struct {
	// Op is the operation name, e.g. "CreateTable".
	Op string
	// Input is the request as the caller passed it (a pointer to the SDK input struct).
	Input any
	// Err is the error the fake returned, nil on success.
	Err error
}

// ControlFunc intercepts a request before the fake handles it. It returns the output to send
// (a pointer to the SDK output struct of the operation, or nil for an empty one), an error, and
// whether it handled the request; handled=false lets the fake handle it as usual.
type ControlFunc func(input any) (out any, err error, handled bool)

type control struct {
	fn   ControlFunc
	keep bool
	drop bool
}

// Fake is an in-memory AWS Glue control plane: the Data Catalog, the Schema Registry,
// crawlers, jobs and workflows. It implements every client interface of package glue with
// the exact SDK method signatures and is safe for concurrent use.
type Fake struct {
	opts Options

	mu        sync.Mutex
	calls     []Call
	failures  map[string][]error
	throttles map[string]int
	catalogs  map[string]*catalogState // by catalog ID
	registry  *registryState
	crawlers  map[string]*crawlerState
	jobs      map[string]*jobState
	workflows map[string]*workflowState

	crawlScripts    map[string][]CrawlScript
	jobScripts      map[string][]JobScript
	workflowScripts map[string][]WorkflowScript
	seq             int

	ctlMu    sync.Mutex // guards controls and current
	controls map[string][]*control
	ctlRun   sync.Mutex // serializes control functions
	current  *control
}

var (
	_ glue.CatalogAPIClient       = (*Fake)(nil)
	_ glue.CatalogReaderAPIClient = (*Fake)(nil)
	_ glue.RegistryAPIClient      = (*Fake)(nil)
	_ glue.CrawlerAPIClient       = (*Fake)(nil)
	_ glue.JobRunAPIClient        = (*Fake)(nil)
	_ glue.WorkflowRunAPIClient   = (*Fake)(nil)
)

// New returns an empty Fake.
func New(optFns ...func(*Options)) *Fake {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	return &Fake{
		opts:      o.withDefaults(),
		failures:  map[string][]error{},
		throttles: map[string]int{},
		catalogs:  map[string]*catalogState{},
		registry:  newRegistryState(),
		crawlers:  map[string]*crawlerState{},
		jobs:      map[string]*jobState{},
		workflows: map[string]*workflowState{},

		crawlScripts:    map[string][]CrawlScript{},
		jobScripts:      map[string][]JobScript{},
		workflowScripts: map[string][]WorkflowScript{},
		controls:        map[string][]*control{},
	}
}

// Options returns the fake's options with defaults applied.
func (f *Fake) Options() Options { return f.opts }

// Control adds fn in front of the fake's handling of op ("CreateTable", "GetJobRun", ...).
// Controls for one op run in the order they were added. A control that handles a request is
// removed unless it calls KeepControl while running; one that does not handle it stays unless
// it calls DropControl. Control functions run one at a time and must not call the Fake's API
// methods; they may call Control, KeepControl and DropControl.
func (f *Fake) Control(op string, fn ControlFunc) {
	f.ctlMu.Lock()
	defer f.ctlMu.Unlock()
	f.controls[op] = append(f.controls[op], &control{fn: fn})
}

// KeepControl, called inside a control function, keeps it installed after it handles a request.
func (f *Fake) KeepControl() {
	f.ctlMu.Lock()
	defer f.ctlMu.Unlock()
	if f.current != nil {
		f.current.keep = true
	}
}

// DropControl, called inside a control function, removes it even if it did not handle the
// request or called KeepControl.
func (f *Fake) DropControl() {
	f.ctlMu.Lock()
	defer f.ctlMu.Unlock()
	if f.current != nil {
		f.current.drop = true
	}
}

// FailNext makes the next call to op return err instead of being handled. Several calls queue
// in order. Injected failures are checked after controls.
func (f *Fake) FailNext(op string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[op] = append(f.failures[op], err)
}

// ThrottleNext makes the next n calls to op fail with a *types.ThrottlingException ("Rate
// exceeded"), which the SDK and internal/poll treat as retryable. An empty op throttles every
// operation. Throttles are checked after controls and injected failures.
func (f *Fake) ThrottleNext(op string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttles[op] += n
}

// Calls returns a copy of the call log, oldest first.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// CallCount returns how many calls to op the log holds.
func (f *Fake) CallCount(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.Op == op {
			n++
		}
	}
	return n
}

// ResetCalls empties the call log.
func (f *Fake) ResetCalls() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = nil
}

func (f *Fake) runControls(op string, in any) (any, error, bool) {
	f.ctlMu.Lock()
	list := append([]*control(nil), f.controls[op]...)
	f.ctlMu.Unlock()
	if len(list) == 0 {
		return nil, nil, false
	}
	f.ctlRun.Lock()
	defer f.ctlRun.Unlock()
	for _, c := range list {
		f.ctlMu.Lock()
		f.current = c
		f.ctlMu.Unlock()
		out, err, handled := c.fn(in)
		f.ctlMu.Lock()
		f.current = nil
		if c.drop || (handled && !c.keep) {
			f.removeControl(op, c)
		}
		c.keep = false
		f.ctlMu.Unlock()
		if handled {
			return out, err, true
		}
	}
	return nil, nil, false
}

func (f *Fake) removeControl(op string, c *control) {
	list := f.controls[op]
	for i, x := range list {
		if x == c {
			f.controls[op] = append(list[:i:i], list[i+1:]...)
			return
		}
	}
}

// injected returns an injected failure for op, if any. f.mu must be held.
func (f *Fake) injected(op string) error {
	if q := f.failures[op]; len(q) > 0 {
		f.failures[op] = q[1:]
		return q[0]
	}
	for _, key := range []string{op, ""} {
		if f.throttles[key] > 0 {
			f.throttles[key]--
			return &types.ThrottlingException{Message: aws.String("Rate exceeded")}
		}
	}
	return nil
}

// handle runs controls, injected failures and then fn (with f.mu held), logging the call.
func handle[O any](f *Fake, op string, in any, fn func() (*O, error)) (*O, error) {
	if out, err, handled := f.runControls(op, in); handled {
		o, _ := out.(*O)
		if o == nil && err == nil {
			o = new(O)
		}
		f.mu.Lock()
		f.calls = append(f.calls, Call{Op: op, Input: in, Err: err})
		f.mu.Unlock()
		return o, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.injected(op); err != nil {
		f.calls = append(f.calls, Call{Op: op, Input: in, Err: err})
		return nil, err
	}
	o, err := fn()
	f.calls = append(f.calls, Call{Op: op, Input: in, Err: err})
	if err != nil {
		return nil, err
	}
	return o, nil
}

func (f *Fake) now() time.Time { return f.opts.Clock.Now() }

func (f *Fake) arn(resource string) string {
	return datablocks.PartitionForRegion(f.opts.Region).ARN("glue", f.opts.Region, f.opts.AccountID, resource)
}

// page returns the page of sorted keys that follows token, and the token of the next page.
func (f *Fake) page(keys []string, token *string, maxResults *int32) (start, end int, next *string, err error) {
	size := f.opts.PageSize
	if maxResults != nil {
		if *maxResults < 1 {
			return 0, 0, nil, invalidInput("MaxResults must be at least 1")
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
