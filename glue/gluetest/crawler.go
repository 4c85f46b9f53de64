package gluetest

import (
	"context"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// CrawlScript scripts the outcome of one crawl of a crawler.
type CrawlScript struct {
	// Duration is how long the crawl stays RUNNING. Zero means 90 seconds.
	Duration time.Duration
	// Status is the crawl's LastCrawl.Status. Empty means SUCCEEDED.
	Status types.LastCrawlStatus
	// ErrorMessage is reported in LastCrawl.ErrorMessage.
	ErrorMessage string
	// TablesCreated, TablesUpdated and TablesDeleted are reported by GetCrawlerMetrics.
	TablesCreated, TablesUpdated, TablesDeleted int32
}

type crawlerState struct {
	crawler types.Crawler
	crawl   *crawlRun            // the latest crawl, nil before the first
	prev    *types.LastCrawlInfo // the crawl before it, reported while it runs
	runtime []float64            // runtimes of finished crawls, in seconds
}

type crawlRun struct {
	script   CrawlScript
	start    time.Time
	runEnd   time.Time // RUNNING until then, STOPPING until stopEnd, then READY
	stopEnd  time.Time
	id       string
	recorded bool // runtime recorded in crawlerState.runtime
}

// ScriptCrawls queues outcomes for the next crawls of a crawler, one per StartCrawler, in
// order. Crawls without a script succeed after 90 seconds with zero metrics. The
// crawler need not exist yet.
func (f *Fake) ScriptCrawls(crawler string, scripts ...CrawlScript) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.crawlScripts[crawler] = append(f.crawlScripts[crawler], scripts...)
}

// CreateCrawler creates a crawler in state READY. Name, Role and at least one target are
// required.
func (f *Fake) CreateCrawler(ctx context.Context, in *awsglue.CreateCrawlerInput, _ ...func(*awsglue.Options)) (*awsglue.CreateCrawlerOutput, error) {
	return handle(f, OpCreateCrawler, in, func() (*awsglue.CreateCrawlerOutput, error) {
		if in == nil || aws.ToString(in.Name) == "" {
			return nil, invalidInput("Name is required")
		}
		if aws.ToString(in.Role) == "" {
			return nil, invalidInput("Role is required")
		}
		t := in.Targets
		if t == nil || len(t.S3Targets)+len(t.CatalogTargets)+len(t.JdbcTargets)+len(t.DynamoDBTargets)+len(t.DeltaTargets)+
			len(t.HudiTargets)+len(t.IcebergTargets)+len(t.MongoDBTargets) == 0 {
			return nil, invalidInput("Targets must contain at least one target")
		}
		name := *in.Name
		if f.crawlers[name] != nil {
			return nil, alreadyExists("%s already exists", name)
		}
		now := f.now()
		f.crawlers[name] = &crawlerState{crawler: types.Crawler{
			Name: aws.String(name), Role: in.Role, Targets: in.Targets, DatabaseName: in.DatabaseName, Description: in.Description,
			TablePrefix: in.TablePrefix, Configuration: in.Configuration, SchemaChangePolicy: in.SchemaChangePolicy,
			LakeFormationConfiguration: in.LakeFormationConfiguration, RecrawlPolicy: in.RecrawlPolicy, Classifiers: in.Classifiers,
			CrawlerSecurityConfiguration: in.CrawlerSecurityConfiguration, CreationTime: aws.Time(now), LastUpdated: aws.Time(now),
			Version: 1, State: types.CrawlerStateReady,
		}}
		return &awsglue.CreateCrawlerOutput{}, nil
	})
}

// crawlerOp runs op on the crawler its input names, after checking that the name is given
// and the crawler exists (*types.EntityNotFoundException otherwise).
func crawlerOp[In, Out any](f *Fake, op string, in *In, name func(*In) *string, fn func(c *crawlerState) (*Out, error)) (*Out, error) {
	return handle(f, op, in, func() (*Out, error) {
		if in == nil {
			return nil, invalidInput("Name is required")
		}
		c, err := f.crawlerFor(name(in))
		if err != nil {
			return nil, err
		}
		return fn(c)
	})
}

func (f *Fake) crawlerFor(name *string) (*crawlerState, error) {
	if aws.ToString(name) == "" {
		return nil, invalidInput("Name is required")
	}
	c := f.crawlers[*name]
	if c == nil {
		return nil, notFound("Crawler with name %s does not exist", *name)
	}
	return c, nil
}

func (f *Fake) crawlerState(c *crawlerState) types.CrawlerState {
	now := f.now()
	switch {
	case c.crawl == nil || !now.Before(c.crawl.stopEnd):
		return types.CrawlerStateReady
	case now.Before(c.crawl.runEnd):
		return types.CrawlerStateRunning
	}
	return types.CrawlerStateStopping
}

// StartCrawler starts a crawl: RUNNING for the script's duration, STOPPING for
// 10 seconds, then READY with LastCrawl set. A crawler that is not READY fails
// with *types.CrawlerRunningException.
func (f *Fake) StartCrawler(ctx context.Context, in *awsglue.StartCrawlerInput, _ ...func(*awsglue.Options)) (*awsglue.StartCrawlerOutput, error) {
	return crawlerOp(f, OpStartCrawler, in, func(in *awsglue.StartCrawlerInput) *string { return in.Name }, func(c *crawlerState) (*awsglue.StartCrawlerOutput, error) {
		if f.crawlerState(c) != types.CrawlerStateReady {
			return nil, &types.CrawlerRunningException{Message: aws.String("Crawler with name " + *in.Name + " has already started")}
		}
		c.finish(f)
		if c.crawl != nil {
			c.prev = c.crawl.info(*in.Name)
		}
		var s CrawlScript
		if q := f.crawlScripts[*in.Name]; len(q) > 0 {
			s, f.crawlScripts[*in.Name] = q[0], q[1:]
		}
		if s.Duration <= 0 {
			s.Duration = crawlDuration
		}
		if s.Status == "" {
			s.Status = types.LastCrawlStatusSucceeded
		}
		now := f.now()
		c.crawl = &crawlRun{script: s, start: now, runEnd: now.Add(s.Duration), stopEnd: now.Add(s.Duration + stoppingDuration), id: f.newID()}
		return &awsglue.StartCrawlerOutput{}, nil
	})
}

// finish records the runtime of a finished crawl once.
func (c *crawlerState) finish(f *Fake) {
	if c.crawl != nil && !c.crawl.recorded && !f.now().Before(c.crawl.stopEnd) {
		c.runtime = append(c.runtime, c.crawl.runEnd.Sub(c.crawl.start).Seconds())
		c.crawl.recorded = true
	}
}

func (r *crawlRun) info(name string) *types.LastCrawlInfo {
	lc := &types.LastCrawlInfo{
		Status: r.script.Status, StartTime: aws.Time(r.start), LogGroup: aws.String("/aws-glue/crawlers"),
		LogStream: aws.String(name), MessagePrefix: aws.String(r.id),
	}
	if r.script.ErrorMessage != "" {
		lc.ErrorMessage = aws.String(r.script.ErrorMessage)
	}
	return lc
}

// StopCrawler cancels a RUNNING crawl: the crawler goes STOPPING and its crawl ends CANCELLED.
func (f *Fake) StopCrawler(ctx context.Context, in *awsglue.StopCrawlerInput, _ ...func(*awsglue.Options)) (*awsglue.StopCrawlerOutput, error) {
	return crawlerOp(f, OpStopCrawler, in, func(in *awsglue.StopCrawlerInput) *string { return in.Name }, func(c *crawlerState) (*awsglue.StopCrawlerOutput, error) {
		switch f.crawlerState(c) {
		case types.CrawlerStateReady:
			return nil, &types.CrawlerNotRunningException{Message: aws.String("Crawler with name " + *in.Name + " isn't running")}
		case types.CrawlerStateStopping:
			return nil, &types.CrawlerStoppingException{Message: aws.String("Crawler with name " + *in.Name + " is stopping")}
		}
		now := f.now()
		c.crawl.runEnd = now
		c.crawl.stopEnd = now.Add(stoppingDuration)
		c.crawl.script.Status = types.LastCrawlStatusCancelled
		c.crawl.script.TablesCreated, c.crawl.script.TablesUpdated, c.crawl.script.TablesDeleted = 0, 0, 0
		return &awsglue.StopCrawlerOutput{}, nil
	})
}

// GetCrawler returns a crawler with its state and last crawl as of the fake's clock.
func (f *Fake) GetCrawler(ctx context.Context, in *awsglue.GetCrawlerInput, _ ...func(*awsglue.Options)) (*awsglue.GetCrawlerOutput, error) {
	return crawlerOp(f, OpGetCrawler, in, func(in *awsglue.GetCrawlerInput) *string { return in.Name }, func(c *crawlerState) (*awsglue.GetCrawlerOutput, error) {
		out := c.crawler
		out.State = f.crawlerState(c)
		if err := f.observe("crawler "+*in.Name, out.State != types.CrawlerStateReady); err != nil {
			return nil, err
		}
		if r := c.crawl; r != nil {
			if out.State == types.CrawlerStateReady {
				out.LastCrawl = r.info(*in.Name)
			} else {
				out.CrawlElapsedTime = f.now().Sub(r.start).Milliseconds()
				out.LastCrawl = c.prev
			}
		}
		return &awsglue.GetCrawlerOutput{Crawler: &out}, nil
	})
}

// DeleteCrawler deletes a READY crawler; a RUNNING or STOPPING one fails with
// *types.CrawlerRunningException.
func (f *Fake) DeleteCrawler(ctx context.Context, in *awsglue.DeleteCrawlerInput, _ ...func(*awsglue.Options)) (*awsglue.DeleteCrawlerOutput, error) {
	return crawlerOp(f, OpDeleteCrawler, in, func(in *awsglue.DeleteCrawlerInput) *string { return in.Name }, func(c *crawlerState) (*awsglue.DeleteCrawlerOutput, error) {
		if f.crawlerState(c) != types.CrawlerStateReady {
			return nil, &types.CrawlerRunningException{Message: aws.String("Crawler with name " + *in.Name + " is running and cannot be deleted")}
		}
		delete(f.crawlers, *in.Name)
		return &awsglue.DeleteCrawlerOutput{}, nil
	})
}

// GetCrawlerMetrics reports the metrics of the listed crawlers (all when the list is empty),
// by name, a page at a time. Table counts are those of the last finished crawl.
func (f *Fake) GetCrawlerMetrics(ctx context.Context, in *awsglue.GetCrawlerMetricsInput, _ ...func(*awsglue.Options)) (*awsglue.GetCrawlerMetricsOutput, error) {
	return handle(f, OpGetCrawlerMetrics, in, func() (*awsglue.GetCrawlerMetricsOutput, error) {
		if in == nil {
			in = &awsglue.GetCrawlerMetricsInput{}
		}
		var keys []string
		if len(in.CrawlerNameList) == 0 {
			for k := range f.crawlers {
				keys = append(keys, k)
			}
		} else {
			for _, k := range in.CrawlerNameList {
				if f.crawlers[k] != nil {
					keys = append(keys, k)
				}
			}
		}
		sort.Strings(keys)
		keys = dedupe(keys)
		start, end, next, err := f.page(keys, in.NextToken, in.MaxResults, catalogPageSize, 1000)
		if err != nil {
			return nil, err
		}
		out := &awsglue.GetCrawlerMetricsOutput{NextToken: next, CrawlerMetricsList: []types.CrawlerMetrics{}}
		for _, k := range keys[start:end] {
			c := f.crawlers[k]
			c.finish(f)
			m := types.CrawlerMetrics{CrawlerName: aws.String(k)}
			if r := c.crawl; r != nil {
				if f.crawlerState(c) == types.CrawlerStateReady {
					m.TablesCreated, m.TablesUpdated, m.TablesDeleted = r.script.TablesCreated, r.script.TablesUpdated, r.script.TablesDeleted
				} else {
					m.TimeLeftSeconds = max(r.runEnd.Sub(f.now()).Seconds(), 0)
				}
			}
			if n := len(c.runtime); n > 0 {
				m.LastRuntimeSeconds = c.runtime[n-1]
				sorted := append([]float64(nil), c.runtime...)
				sort.Float64s(sorted)
				m.MedianRuntimeSeconds = sorted[n/2]
				if n%2 == 0 {
					m.MedianRuntimeSeconds = (sorted[n/2-1] + sorted[n/2]) / 2
				}
			}
			out.CrawlerMetricsList = append(out.CrawlerMetricsList, m)
		}
		return out, nil
	})
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
