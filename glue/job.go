package glue

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// Defaults of a JobRunner, stated on the Options fields.
const (
	// jobMinDelay is the first delay between GetJobRun polls.
	jobMinDelay = 15 * time.Second
	// jobMaxDelay caps the delay between GetJobRun polls.
	jobMaxDelay = time.Minute
)

// JobRunner starts Glue job runs and waits for them. It is safe for concurrent use.
type JobRunner struct {
	client JobRunAPIClient
	opts   Options
}

// NewJobRunner returns a JobRunner over client. Of the options, it uses Wait, Retry, Logger and
// ClientOptions.
func NewJobRunner(client JobRunAPIClient, optFns ...func(*Options)) *JobRunner {
	return &JobRunner{client: client, opts: configure(Options{}, optFns)}
}

func (r *JobRunner) options(optFns []func(*Options)) Options {
	return configure(r.opts, optFns)
}

// checkArguments checks every key of a run's arguments; it reports the first bad key in sorted
// order.
func checkArguments(args map[string]string) error {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := checkArgKey(k); err != nil {
			return err
		}
	}
	return nil
}

func checkArgKey(k string) error {
	if !strings.HasPrefix(k, "--") || len(k) == 2 {
		return fmt.Errorf("argument key %q must start with \"--\" followed by a name", k)
	}
	for _, r := range k[2:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("argument key %q contains %q; use letters, digits, '.', '_' or '-'", k, r)
		}
	}
	if k == "--JOB_NAME" {
		return fmt.Errorf("argument key %q is set by Glue itself", k)
	}
	return nil
}

// JobRun describes one run of an existing job. What it leaves unset comes from the job's
// definition (its security configuration and run queuing among others).
type JobRun struct {
	// JobName names the job. Required.
	JobName string
	// Arguments override the job's default arguments for this run. Glue passes them to the
	// script as-is, so a misspelt key (the AWS Git post ships "--souce.table.name") silently
	// breaks the binding; keys that are not "--" followed by letters, digits, '.', '_' or '-'
	// are rejected before the run starts.
	Arguments map[string]string
	// WorkerType sizes the workers (G.1X, G.2X, ...); set it with NumberOfWorkers or neither.
	WorkerType types.WorkerType
	// NumberOfWorkers is the number of workers; set it with WorkerType or neither.
	NumberOfWorkers int32
	// Timeout bounds the run (whole minutes, at least one). Zero means the job's setting.
	Timeout time.Duration
	// ExecutionClass is STANDARD or FLEX. Empty means the job's setting.
	ExecutionClass types.ExecutionClass
}

func (j JobRun) validate() error {
	if err := checkName("JobRun.JobName", j.JobName); err != nil {
		return err
	}
	if err := checkArguments(j.Arguments); err != nil {
		return fmt.Errorf("JobRun.Arguments: %w", err)
	}
	if (j.WorkerType == "") != (j.NumberOfWorkers == 0) {
		return fmt.Errorf("JobRun.WorkerType %q and NumberOfWorkers %d must be set together", j.WorkerType, j.NumberOfWorkers)
	}
	if j.WorkerType != "" {
		ok := false
		for _, w := range j.WorkerType.Values() {
			ok = ok || w == j.WorkerType
		}
		if !ok {
			return fmt.Errorf("JobRun.WorkerType %q is not one of %v", j.WorkerType, j.WorkerType.Values())
		}
	}
	if j.NumberOfWorkers < 0 {
		return fmt.Errorf("JobRun.NumberOfWorkers %d is negative", j.NumberOfWorkers)
	}
	if j.Timeout < 0 || j.Timeout > 0 && (j.Timeout < time.Minute || j.Timeout%time.Minute != 0) {
		return fmt.Errorf("JobRun.Timeout %s must be a positive whole number of minutes", j.Timeout)
	}
	return nil
}

// JobRunFailedError reports a run that ended FAILED, ERROR, TIMEOUT, STOPPED or EXPIRED, with
// the run as Glue last reported it (Run.ErrorMessage is Glue's message).
type JobRunFailedError struct {
	Run *types.JobRun
}

// Error implements error.
func (e *JobRunFailedError) Error() string {
	s := fmt.Sprintf("glue: job %s run %s ended %s", aws.ToString(e.Run.JobName), aws.ToString(e.Run.Id), e.Run.JobRunState)
	if msg := aws.ToString(e.Run.ErrorMessage); msg != "" {
		s += ": " + msg
	}
	return s
}

// Run starts a job run and waits for it through STARTING, RUNNING, WAITING and STOPPING to a
// final state: Start, then Wait. It returns the run as Glue last reported it (GetJobRun): a run
// that does not succeed returns it and a *JobRunFailedError.
func (r *JobRunner) Run(ctx context.Context, run JobRun, optFns ...func(*Options)) (*types.JobRun, error) {
	if err := run.validate(); err != nil {
		return nil, fmt.Errorf("glue: %w", err)
	}
	o := r.options(optFns)
	runID, err := r.start(ctx, o, run)
	if err != nil {
		return nil, err
	}
	return r.wait(ctx, o, run.JobName, runID)
}

// Start starts a job run and returns its run ID without waiting. A throttled StartJobRun is
// retried (Options.Retry). Note that Glue has no idempotency token for job runs: a
// start that timed out on the client may have started a run.
func (r *JobRunner) Start(ctx context.Context, run JobRun, optFns ...func(*Options)) (string, error) {
	if err := run.validate(); err != nil {
		return "", fmt.Errorf("glue: %w", err)
	}
	return r.start(ctx, r.options(optFns), run)
}

func (r *JobRunner) start(ctx context.Context, o Options, run JobRun) (string, error) {
	in := &awsglue.StartJobRunInput{
		JobName: aws.String(run.JobName), WorkerType: run.WorkerType, ExecutionClass: run.ExecutionClass,
	}
	if len(run.Arguments) > 0 {
		in.Arguments = run.Arguments
	}
	if run.NumberOfWorkers > 0 {
		in.NumberOfWorkers = aws.Int32(run.NumberOfWorkers)
	}
	if run.Timeout > 0 {
		in.Timeout = aws.Int32(int32(run.Timeout / time.Minute))
	}
	var runID string
	err := startWithRetry(ctx, o.Retry, r.client, "start of Glue job "+run.JobName, func(ctx context.Context) error {
		out, err := r.client.StartJobRun(ctx, in, o.ClientOptions...)
		if err == nil {
			runID = aws.ToString(out.JobRunId)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("glue: start job %s: %w", run.JobName, err)
	}
	debug(o.Logger, "started job run", "job", run.JobName, "run", runID)
	return runID, nil
}

// Wait waits for an existing run to reach a final state and returns the run as Glue last
// reported it, as Run does.
func (r *JobRunner) Wait(ctx context.Context, jobName, runID string, optFns ...func(*Options)) (*types.JobRun, error) {
	if err := checkName("job name", jobName); err != nil {
		return nil, fmt.Errorf("glue: %w", err)
	}
	if err := checkName("run ID", runID); err != nil {
		return nil, fmt.Errorf("glue: %w", err)
	}
	return r.wait(ctx, r.options(optFns), jobName, runID)
}

func (r *JobRunner) wait(ctx context.Context, o Options, jobName, runID string) (*types.JobRun, error) {
	var last *types.JobRun
	opts := pollOptions(o.Wait, r.client, o.Logger, fmt.Sprintf("Glue job run %s/%s", jobName, runID), jobMinDelay, jobMaxDelay)
	err := waitFor(ctx, opts, func(ctx context.Context) (string, bool, error) {
		out, err := r.client.GetJobRun(ctx, &awsglue.GetJobRunInput{JobName: aws.String(jobName), RunId: aws.String(runID)}, o.ClientOptions...)
		if err != nil {
			return "", false, fmt.Errorf("glue: get job run %s/%s: %w", jobName, runID, err)
		}
		jr := out.JobRun
		if jr == nil {
			return "", false, fmt.Errorf("glue: get job run %s/%s: empty response", jobName, runID)
		}
		if jr.JobName == nil {
			jr.JobName = aws.String(jobName)
		}
		if jr.Id == nil {
			jr.Id = aws.String(runID)
		}
		last = jr
		switch jr.JobRunState {
		case types.JobRunStateStarting, types.JobRunStateRunning, types.JobRunStateStopping, types.JobRunStateWaiting:
			return string(jr.JobRunState), false, nil
		}
		return string(jr.JobRunState), true, nil
	})
	if err != nil {
		return last, err
	}
	debug(o.Logger, "job run ended", "job", jobName, "run", runID, "state", last.JobRunState)
	if last.JobRunState != types.JobRunStateSucceeded {
		return last, &JobRunFailedError{Run: last}
	}
	return last, nil
}
