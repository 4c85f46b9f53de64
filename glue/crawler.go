package glue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/internal/poll"
)

// Defaults of a CrawlerRunner, stated on the Options fields.
const (
	// crawlerMinDelay is the first delay between GetCrawler polls.
	crawlerMinDelay = 15 * time.Second
	// crawlerMaxDelay caps the delay between GetCrawler polls.
	crawlerMaxDelay = time.Minute
	// cleanupTimeout bounds the stop-and-delete of an ephemeral crawler, which runs on
	// a fresh context so that it happens even when the caller's context is canceled.
	cleanupTimeout = 5 * time.Minute
)

// CrawlerRunner runs Glue crawlers to the end. It is safe for concurrent use.
type CrawlerRunner struct {
	client CrawlerAPIClient
	opts   Options
}

// NewCrawlerRunner returns a CrawlerRunner over client. Of the options, it uses Wait, Retry,
// Logger and ClientOptions.
func NewCrawlerRunner(client CrawlerAPIClient, optFns ...func(*Options)) *CrawlerRunner {
	return &CrawlerRunner{client: client, opts: configure(Options{}, optFns)}
}

func (r *CrawlerRunner) options(optFns []func(*Options)) Options {
	return configure(r.opts, optFns)
}

// CrawlResult is the outcome of one crawl.
type CrawlResult struct {
	// Status is the crawl's LastCrawl.Status: SUCCEEDED, FAILED or CANCELLED.
	Status types.LastCrawlStatus
	// ErrorMessage is Glue's message for a failed crawl.
	ErrorMessage string
	// LogGroup and LogStream locate the crawl's CloudWatch logs.
	LogGroup, LogStream string
	// TablesCreated, TablesUpdated and TablesDeleted are the crawl's metrics
	// (GetCrawlerMetrics).
	TablesCreated, TablesUpdated, TablesDeleted int
	// LastRuntime is the duration of the crawl as Glue reports it.
	LastRuntime time.Duration
	// Deleted reports that an ephemeral crawler was deleted afterwards.
	Deleted bool
}

// CrawlFailedError reports a crawl that ended FAILED or CANCELLED, with the crawl's result as
// it ended (ErrorMessage is Glue's message; LogGroup and LogStream locate the logs). The
// message names the crawler.
type CrawlFailedError struct {
	CrawlResult
	crawler string
}

// Error implements error.
func (e *CrawlFailedError) Error() string {
	s := fmt.Sprintf("glue: crawler %s: crawl %s", e.crawler, e.Status)
	if e.ErrorMessage != "" {
		s += ": " + e.ErrorMessage
	}
	if e.LogGroup != "" {
		s += fmt.Sprintf(" (logs: %s %s)", e.LogGroup, e.LogStream)
	}
	return s
}

// CrawlStart is the handle of a crawl Start began, for Wait.
type CrawlStart struct {
	// Crawler is the crawler's name.
	Crawler string
	// Requested is when the crawl was requested, by the wait's clock; Wait uses it to tell
	// this crawl from the previous one.
	Requested time.Time
}

// Start starts a crawl of an existing crawler and returns without waiting. A throttled
// StartCrawler is retried (Options.Retry). A crawler that is already running is
// an error wrapping *types.CrawlerRunningException.
func (r *CrawlerRunner) Start(ctx context.Context, name string, optFns ...func(*Options)) (CrawlStart, error) {
	if err := checkName("crawler name", name); err != nil {
		return CrawlStart{}, fmt.Errorf("glue: %w", err)
	}
	return r.start(ctx, r.options(optFns), name)
}

func (r *CrawlerRunner) start(ctx context.Context, o Options, name string) (CrawlStart, error) {
	requested := poll.ClockFor(o.Wait.Clock, r.client).Now()
	err := startWithRetry(ctx, o.Retry, r.client, "start of Glue crawler "+name, func(ctx context.Context) error {
		_, err := r.client.StartCrawler(ctx, &awsglue.StartCrawlerInput{Name: aws.String(name)}, o.ClientOptions...)
		return err
	})
	if err != nil {
		return CrawlStart{Crawler: name}, fmt.Errorf("glue: start crawler %s: %w", name, err)
	}
	debug(o.Logger, "started crawl", "crawler", name)
	return CrawlStart{Crawler: name, Requested: requested}, nil
}

// Wait waits for the crawl Start began to finish. A crawl that does not succeed returns the
// result and a *CrawlFailedError.
func (r *CrawlerRunner) Wait(ctx context.Context, s CrawlStart, optFns ...func(*Options)) (CrawlResult, error) {
	if err := checkName("crawler name", s.Crawler); err != nil {
		return CrawlResult{}, fmt.Errorf("glue: %w", err)
	}
	return r.wait(ctx, r.options(optFns), s)
}

// Run starts an existing crawler and waits for its crawl to finish: Start, then Wait. A crawl
// that does not succeed returns the result and a *CrawlFailedError. A crawler that is already
// running is an error wrapping *types.CrawlerRunningException.
func (r *CrawlerRunner) Run(ctx context.Context, name string, optFns ...func(*Options)) (CrawlResult, error) {
	if err := checkName("crawler name", name); err != nil {
		return CrawlResult{}, fmt.Errorf("glue: %w", err)
	}
	return r.run(ctx, r.options(optFns), name)
}

func (r *CrawlerRunner) run(ctx context.Context, o Options, name string) (CrawlResult, error) {
	s, err := r.start(ctx, o, name)
	if err != nil {
		return CrawlResult{}, err
	}
	return r.wait(ctx, o, s)
}

func (r *CrawlerRunner) wait(ctx context.Context, o Options, s CrawlStart) (CrawlResult, error) {
	name, requested := s.Crawler, s.Requested
	var res CrawlResult
	var last *types.LastCrawlInfo
	sawRun := false
	err := waitFor(ctx, pollOptions(o.Wait, r.client, o.Logger, "Glue crawler "+name, crawlerMinDelay, crawlerMaxDelay), func(ctx context.Context) (string, bool, error) {
		out, err := r.client.GetCrawler(ctx, &awsglue.GetCrawlerInput{Name: aws.String(name)}, o.ClientOptions...)
		if err != nil {
			return "", false, fmt.Errorf("glue: get crawler %s: %w", name, err)
		}
		c := out.Crawler
		if c == nil {
			return "", false, fmt.Errorf("glue: get crawler %s: empty response", name)
		}
		if c.State != types.CrawlerStateReady {
			sawRun = true
			return string(c.State), false, nil
		}
		// READY: done once the crawl we started is the last one. Right after StartCrawler the
		// previous crawl may still be reported, so require a RUNNING observation or a
		// LastCrawl that started after the request (with a minute of clock skew).
		lc := c.LastCrawl
		if lc != nil && (sawRun || lc.StartTime != nil && lc.StartTime.After(requested.Add(-time.Minute))) {
			last = lc
			return string(c.State) + "/" + string(lc.Status), true, nil
		}
		return string(c.State), false, nil
	})
	if err != nil {
		return res, err
	}
	res.Status = last.Status
	debug(o.Logger, "crawl ended", "crawler", name, "status", last.Status)
	res.ErrorMessage = aws.ToString(last.ErrorMessage)
	res.LogGroup, res.LogStream = aws.ToString(last.LogGroup), aws.ToString(last.LogStream)
	m, err := r.client.GetCrawlerMetrics(ctx, &awsglue.GetCrawlerMetricsInput{CrawlerNameList: []string{name}}, o.ClientOptions...)
	if err != nil {
		return res, fmt.Errorf("glue: get crawler metrics of %s: %w", name, err)
	}
	for _, cm := range m.CrawlerMetricsList {
		if aws.ToString(cm.CrawlerName) == name {
			res.TablesCreated, res.TablesUpdated, res.TablesDeleted = int(cm.TablesCreated), int(cm.TablesUpdated), int(cm.TablesDeleted)
			res.LastRuntime = time.Duration(cm.LastRuntimeSeconds * float64(time.Second))
		}
	}
	if res.Status != types.LastCrawlStatusSucceeded {
		return res, &CrawlFailedError{CrawlResult: res, crawler: name}
	}
	return res, nil
}

// EphemeralCrawler describes a crawler created for one run and deleted afterwards, as in the
// AWS data mesh blueprint: create → start → wait → delete.
type EphemeralCrawler struct {
	// Name is the crawler's name; use one unique to the run. Required.
	Name string
	// Role is the IAM role (name or ARN) the crawler assumes. Required.
	Role string
	// Database receives the tables. Required.
	Database string
	// S3Paths are the S3 prefixes to crawl, e.g. "s3://bucket/sales/". At least one.
	S3Paths []string
	// Exclusions are glob patterns excluded from every path.
	Exclusions []string
	// TablePrefix is prepended to the names of created tables.
	TablePrefix string
	// Configuration is the crawler's JSON configuration, if any.
	Configuration string
	// LakeFormation makes the crawler use Lake Formation credentials.
	LakeFormation bool
	// Tags are set on the crawler.
	Tags map[string]string
}

func (c EphemeralCrawler) validate() error {
	if err := checkName("EphemeralCrawler.Name", c.Name); err != nil {
		return err
	}
	if c.Role == "" {
		return errors.New("EphemeralCrawler.Role is required")
	}
	if err := checkName("EphemeralCrawler.Database", c.Database); err != nil {
		return err
	}
	if len(c.S3Paths) == 0 {
		return errors.New("EphemeralCrawler.S3Paths must not be empty")
	}
	for i, p := range c.S3Paths {
		if !strings.HasPrefix(p, "s3://") || len(p) <= len("s3://") {
			return fmt.Errorf("EphemeralCrawler.S3Paths[%d] %q must start with s3:// and name a bucket", i, p)
		}
	}
	return nil
}

// RunEphemeral creates a crawler, runs it and deletes it. The deletion happens whatever the
// outcome, also when ctx is canceled: it runs on a fresh context bounded by 5 minutes,
// stopping the crawler first if it still runs. A failed deletion
// is joined to the returned error; CrawlResult.Deleted reports success. When ctx is canceled
// during CreateCrawler, the crawler the request may have created is deleted too. A crawler
// that already exists is not touched: the error wraps *types.AlreadyExistsException.
func (r *CrawlerRunner) RunEphemeral(ctx context.Context, spec EphemeralCrawler, optFns ...func(*Options)) (res CrawlResult, err error) {
	if err := spec.validate(); err != nil {
		return CrawlResult{}, fmt.Errorf("glue: %w", err)
	}
	o := r.options(optFns)
	targets := &types.CrawlerTargets{}
	for _, p := range spec.S3Paths {
		targets.S3Targets = append(targets.S3Targets, types.S3Target{Path: aws.String(p), Exclusions: spec.Exclusions})
	}
	in := &awsglue.CreateCrawlerInput{
		Name: aws.String(spec.Name), Role: aws.String(spec.Role), DatabaseName: aws.String(spec.Database), Targets: targets,
		TablePrefix: optional(spec.TablePrefix), Configuration: optional(spec.Configuration), Tags: spec.Tags,
	}
	if spec.LakeFormation {
		in.LakeFormationConfiguration = &types.LakeFormationConfiguration{UseLakeFormationCredentials: aws.Bool(true)}
	}
	if _, err := r.client.CreateCrawler(ctx, in, o.ClientOptions...); err != nil {
		err = fmt.Errorf("glue: create crawler %s: %w", spec.Name, err)
		if ctx.Err() != nil {
			// Cancelled mid-request: Glue may have created the crawler all the same. Delete
			// what may exist (a missing crawler counts as deleted).
			err = errors.Join(err, r.cleanup(ctx, o, spec.Name))
		}
		return CrawlResult{}, err
	}
	debug(o.Logger, "created ephemeral crawler", "crawler", spec.Name)
	defer func() {
		derr := r.cleanup(ctx, o, spec.Name)
		res.Deleted = derr == nil
		if derr != nil {
			err = errors.Join(err, derr)
		}
	}()
	return r.run(ctx, o, spec.Name)
}

// cleanup deletes a crawler on a context that survives the caller's cancellation, stopping
// the crawler first when it still runs.
func (r *CrawlerRunner) cleanup(parent context.Context, o Options, name string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), cleanupTimeout)
	defer cancel()
	stopped := false
	wait := o.Wait
	wait.Timeout = cleanupTimeout
	wait.OnProgress = nil
	err := poll.Wait(ctx, pollOptions(wait, r.client, o.Logger, "deletion of Glue crawler "+name, time.Second, 15*time.Second), func(ctx context.Context) (string, bool, error) {
		_, err := r.client.DeleteCrawler(ctx, &awsglue.DeleteCrawlerInput{Name: aws.String(name)}, o.ClientOptions...)
		var running *types.CrawlerRunningException
		var stopping *types.CrawlerStoppingException
		var nf *types.EntityNotFoundException
		switch {
		case err == nil, errors.As(err, &nf):
			return "DELETED", true, nil
		case errors.As(err, &stopping):
			return "STOPPING", false, nil
		case errors.As(err, &running):
			if !stopped {
				_, serr := r.client.StopCrawler(ctx, &awsglue.StopCrawlerInput{Name: aws.String(name)}, o.ClientOptions...)
				var notRunning *types.CrawlerNotRunningException
				if serr != nil && !errors.As(serr, &notRunning) && !errors.As(serr, &stopping) && !poll.IsThrottle(serr) {
					return "", false, fmt.Errorf("stop crawler %s before deleting it: %w", name, serr)
				}
				stopped = serr == nil || !poll.IsThrottle(serr)
			}
			return "RUNNING", false, nil
		}
		return "", false, err
	})
	if err != nil {
		return fmt.Errorf("glue: delete ephemeral crawler %s: %w", name, poll.Unprefixed(err, "glue"))
	}
	debug(o.Logger, "deleted ephemeral crawler", "crawler", name)
	return nil
}
