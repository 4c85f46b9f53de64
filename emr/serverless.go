package emr

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// ServerlessRunnerOptions configures a ServerlessRunner.
type ServerlessRunnerOptions struct {
	// StartApplication makes Start start the application first (StartApplication) when it is
	// CREATED or STOPPED, and wait until it is STARTED. False leaves it to the application's
	// auto-start.
	StartApplication bool
	// Wait configures how job runs and applications are followed: delays between checks (zero
	// MinDelay means 2 seconds, zero MaxDelay 30 seconds), an optional timeout, the clock, and
	// OnProgress, which sees every state change with the job run (or application) ID in
	// Progress.ID.
	Wait datablocks.WaitOptions
	// Retry configures Start's retries of StartJobRun after throttling or a server error:
	// zero delays mean 2 and 30 seconds, a nil Clock means Wait.Clock,
	// then the client's own clock when it has one (a fake's).
	Retry datablocks.RetryOptions
	// Logger receives starts (Info) and, unless Wait.Logger is set, state changes and
	// transient errors (Debug). Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every EMR Serverless call.
	ClientOptions []func(*emrserverless.Options)
}

// ServerlessRunner starts Spark job runs on EMR Serverless applications and follows them. It
// is safe for concurrent use.
type ServerlessRunner struct {
	client ServerlessAPIClient
	opts   ServerlessRunnerOptions
}

// NewServerlessRunner returns a ServerlessRunner calling client (an *emrserverless.Client or a
// fake).
func NewServerlessRunner(client ServerlessAPIClient, optFns ...func(*ServerlessRunnerOptions)) *ServerlessRunner {
	return &ServerlessRunner{client: client, opts: configure(ServerlessRunnerOptions{}, optFns, nil)}
}

func (r *ServerlessRunner) options(optFns []func(*ServerlessRunnerOptions)) ServerlessRunnerOptions {
	o := configure(r.opts, optFns, func(o *ServerlessRunnerOptions) { o.ClientOptions = slices.Clone(o.ClientOptions) })
	return o
}

// CloudWatchLogs sends a job run's logs to CloudWatch Logs.
type CloudWatchLogs struct {
	// LogGroupName is the log group. Empty means the service's default
	// (/aws/emr-serverless for EMR Serverless); required by EMR on EKS.
	LogGroupName string
	// LogStreamNamePrefix prefixes the log streams. Optional.
	LogStreamNamePrefix string
}

// ServerlessJob is one EMR Serverless job run.
type ServerlessJob struct {
	// ApplicationID is the Spark application to run on (required).
	ApplicationID string
	// ExecutionRoleArn is the job run's IAM role (required).
	ExecutionRoleArn string
	// Spark is the application, rendered as the sparkSubmit job driver.
	Spark SparkSubmit
	// Name names the job run. Optional.
	Name string
	// Tags tag the job run. Optional.
	Tags map[string]string
	// ExecutionTimeout cancels the run after this long, rounded up to whole minutes. Zero
	// means the service's default (12 hours).
	ExecutionTimeout time.Duration
	// LogURI is the S3 prefix for logs (S3 monitoring). Empty means no S3 logs.
	LogURI string
	// CloudWatchLogs, if set, enables CloudWatch logging.
	CloudWatchLogs *CloudWatchLogs
	// ClientToken makes the start idempotent: the service starts one run per token. Empty
	// means a random token, kept across Start's own retries; set it to make your retries
	// (after a crash, say) idempotent too.
	ClientToken string
}

func (j ServerlessJob) input() (*emrserverless.StartJobRunInput, error) {
	errs := checkJobRun("ServerlessJob", "ApplicationID", j.ApplicationID, j.ExecutionRoleArn, j.LogURI, j.ClientToken)
	if j.ExecutionTimeout < 0 {
		errs = append(errs, fmt.Errorf("emr: ServerlessJob.ExecutionTimeout %s is negative", j.ExecutionTimeout))
	}
	d, err := j.Spark.driver()
	if err := errors.Join(append(errs, err)...); err != nil {
		return nil, err
	}
	in := &emrserverless.StartJobRunInput{
		ApplicationId:    aws.String(j.ApplicationID),
		ClientToken:      clientToken(j.ClientToken),
		ExecutionRoleArn: aws.String(j.ExecutionRoleArn),
		JobDriver: &types.JobDriverMemberSparkSubmit{Value: types.SparkSubmit{
			EntryPoint: d.entryPoint, EntryPointArguments: d.args, SparkSubmitParameters: d.params,
		}},
		Tags: maps.Clone(j.Tags),
	}
	if j.Name != "" {
		in.Name = aws.String(j.Name)
	}
	if j.ExecutionTimeout > 0 {
		in.ExecutionTimeoutMinutes = aws.Int64(int64((j.ExecutionTimeout + time.Minute - 1) / time.Minute))
	}
	if j.LogURI != "" || j.CloudWatchLogs != nil {
		m := &types.MonitoringConfiguration{}
		if j.LogURI != "" {
			m.S3MonitoringConfiguration = &types.S3MonitoringConfiguration{LogUri: aws.String(j.LogURI)}
		}
		if cw := j.CloudWatchLogs; cw != nil {
			m.CloudWatchLoggingConfiguration = &types.CloudWatchLoggingConfiguration{Enabled: aws.Bool(true)}
			if cw.LogGroupName != "" {
				m.CloudWatchLoggingConfiguration.LogGroupName = aws.String(cw.LogGroupName)
			}
			if cw.LogStreamNamePrefix != "" {
				m.CloudWatchLoggingConfiguration.LogStreamNamePrefix = aws.String(cw.LogStreamNamePrefix)
			}
		}
		in.ConfigurationOverrides = &types.ConfigurationOverrides{MonitoringConfiguration: m}
	}
	return in, nil
}

// Start validates the job, optionally starts the application (ServerlessRunnerOptions.
// StartApplication), and starts the job run with StartJobRun. Throttling and server errors are
// retried with the same client token, so a retry never starts a second run.
func (r *ServerlessRunner) Start(ctx context.Context, job ServerlessJob, optFns ...func(*ServerlessRunnerOptions)) (*ServerlessRun, error) {
	o := r.options(optFns)
	in, err := job.input()
	if err != nil {
		return nil, err
	}
	if o.StartApplication {
		if err := r.startApplication(ctx, job.ApplicationID, o); err != nil {
			return nil, err
		}
	}
	out, err := startRetrying(ctx, retryOptions("EMR Serverless StartJobRun on application "+job.ApplicationID, o.Retry, o.Wait, r.client, o.Logger),
		func(ctx context.Context) (*emrserverless.StartJobRunOutput, error) {
			return r.client.StartJobRun(ctx, in, o.ClientOptions...)
		})
	if err != nil {
		return nil, fmt.Errorf("emr: starting job run on EMR Serverless application %s: %w", job.ApplicationID, err)
	}
	run := &ServerlessRun{ApplicationID: job.ApplicationID, JobRunID: aws.ToString(out.JobRunId), ARN: aws.ToString(out.Arn), runner: r, optFns: optFns}
	if o.Logger != nil {
		o.Logger.Info("emr: serverless job run started", "application", job.ApplicationID, "jobRun", run.JobRunID)
	}
	return run, nil
}

// StartApplication starts an application that is CREATED or STOPPED and waits until it is
// STARTED; an application already STARTED is left alone.
func (r *ServerlessRunner) StartApplication(ctx context.Context, applicationID string, optFns ...func(*ServerlessRunnerOptions)) error {
	if applicationID == "" {
		return errMissing("application ID")
	}
	return r.startApplication(ctx, applicationID, r.options(optFns))
}

func (r *ServerlessRunner) startApplication(ctx context.Context, appID string, o ServerlessRunnerOptions) error {
	started := false
	check := func(ctx context.Context) (string, bool, error) {
		out, err := r.client.GetApplication(ctx, &emrserverless.GetApplicationInput{ApplicationId: aws.String(appID)}, o.ClientOptions...)
		if err != nil {
			return "", false, fmt.Errorf("emr: getting EMR Serverless application %s: %w", appID, err)
		}
		if out.Application == nil {
			return "", false, fmt.Errorf("emr: EMR Serverless application %s: empty GetApplication response", appID)
		}
		state := out.Application.State
		switch state {
		case types.ApplicationStateStarted:
			return string(state), true, nil
		case types.ApplicationStateCreated, types.ApplicationStateStopped:
			if started {
				// The service may report the old state for a moment after StartApplication.
				return string(state), false, nil
			}
			if _, err := r.client.StartApplication(ctx, &emrserverless.StartApplicationInput{ApplicationId: aws.String(appID)}, o.ClientOptions...); err != nil {
				return "", false, fmt.Errorf("emr: starting EMR Serverless application %s: %w", appID, err)
			}
			started = true
			return string(state), false, nil
		case types.ApplicationStateTerminated:
			return "", false, fmt.Errorf("emr: EMR Serverless application %s is TERMINATED", appID)
		}
		return string(state), false, nil // CREATING, STARTING, STOPPING
	}
	return poll.Wait(ctx, pollOptions("EMR Serverless application "+appID, appID, o.Wait, r.client, o.Logger), check)
}

// Run starts the job (Start) and waits for it to end (ServerlessRun.Wait), returning the final
// state: SUCCESS, or a *JobFailedError.
func (r *ServerlessRunner) Run(ctx context.Context, job ServerlessJob, optFns ...func(*ServerlessRunnerOptions)) (string, error) {
	run, err := r.Start(ctx, job, optFns...)
	if err != nil {
		return "", err
	}
	return run.Wait(ctx)
}

// JobRun returns a handle on an existing job run, to wait for or cancel it. It makes no call.
func (r *ServerlessRunner) JobRun(applicationID, jobRunID string) *ServerlessRun {
	return &ServerlessRun{ApplicationID: applicationID, JobRunID: jobRunID, runner: r}
}

// ServerlessRun is an EMR Serverless job run.
type ServerlessRun struct {
	ApplicationID string // the application the job run belongs to
	JobRunID      string // the job run's ID
	ARN           string // empty for a handle from ServerlessRunner.JobRun

	runner *ServerlessRunner
	optFns []func(*ServerlessRunnerOptions)
}

// check validates a handle before any call.
func (j *ServerlessRun) check() error {
	return errors.Join(
		errIfEmpty("ServerlessRun.ApplicationID", j.ApplicationID),
		errIfEmpty("ServerlessRun.JobRunID", j.JobRunID),
	)
}

// Runtime returns RuntimeServerless.
func (j *ServerlessRun) Runtime() Runtime { return RuntimeServerless }

// ID returns the job run ID.
func (j *ServerlessRun) ID() string { return j.JobRunID }

// Wait follows the job run with GetJobRun (which reports the latest attempt) through
// SUBMITTED, PENDING, SCHEDULED, RUNNING (and QUEUED, CANCELLING) until SUCCESS, FAILED or
// CANCELLED. FAILED and CANCELLED return a *JobFailedError carrying stateDetails, the attempt
// and the log prefix. Cancelling ctx stops the wait, not the run.
func (j *ServerlessRun) Wait(ctx context.Context) (string, error) {
	if err := j.check(); err != nil {
		return "", err
	}
	o := j.runner.options(j.optFns)
	po := pollOptions("EMR Serverless job run "+j.JobRunID, j.JobRunID, o.Wait, j.runner.client, o.Logger)
	final, err := follow(ctx, po, func(ctx context.Context) (*types.JobRun, string, error) {
		out, err := j.runner.client.GetJobRun(ctx, &emrserverless.GetJobRunInput{ApplicationId: aws.String(j.ApplicationID), JobRunId: aws.String(j.JobRunID)}, o.ClientOptions...)
		if err != nil {
			return nil, "", fmt.Errorf("emr: getting EMR Serverless job run %s: %w", j.JobRunID, err)
		}
		if out.JobRun == nil {
			return nil, "", fmt.Errorf("emr: EMR Serverless job run %s: empty GetJobRun response", j.JobRunID)
		}
		return out.JobRun, string(out.JobRun.State), nil
	}, string(types.JobRunStateSuccess), string(types.JobRunStateFailed), string(types.JobRunStateCancelled))
	if err != nil {
		return "", err
	}
	if final.State == types.JobRunStateSuccess {
		return string(final.State), nil
	}
	e := &JobFailedError{
		Runtime:   RuntimeServerless,
		Container: j.ApplicationID,
		ID:        j.JobRunID,
		State:     string(final.State),
		Message:   aws.ToString(final.StateDetails),
		Attempt:   int(aws.ToInt32(final.Attempt)),
	}
	if e.Attempt == 0 {
		e.Attempt = 1
	}
	if co := final.ConfigurationOverrides; co != nil && co.MonitoringConfiguration != nil && co.MonitoringConfiguration.S3MonitoringConfiguration != nil {
		e.LogURI = logPrefix(aws.ToString(co.MonitoringConfiguration.S3MonitoringConfiguration.LogUri), "applications", j.ApplicationID, "jobs", j.JobRunID)
	}
	return string(final.State), e
}

// Cancel cancels the job run with CancelJobRun.
func (j *ServerlessRun) Cancel(ctx context.Context) error {
	if err := j.check(); err != nil {
		return err
	}
	o := j.runner.options(j.optFns)
	_, err := j.runner.client.CancelJobRun(ctx, &emrserverless.CancelJobRunInput{ApplicationId: aws.String(j.ApplicationID), JobRunId: aws.String(j.JobRunID)}, o.ClientOptions...)
	if err != nil {
		return fmt.Errorf("emr: cancelling EMR Serverless job run %s: %w", j.JobRunID, err)
	}
	return nil
}

// Attempts lists every attempt of the job run (one per retry under a retry policy), following
// NextToken across pages. optFns apply after those the run was started with, to a copy.
func (j *ServerlessRun) Attempts(ctx context.Context, optFns ...func(*ServerlessRunnerOptions)) ([]types.JobRunAttemptSummary, error) {
	if err := j.check(); err != nil {
		return nil, err
	}
	o := j.runner.options(append(slices.Clip(j.optFns), optFns...))
	var out []types.JobRunAttemptSummary
	p := emrserverless.NewListJobRunAttemptsPaginator(j.runner.client, &emrserverless.ListJobRunAttemptsInput{
		ApplicationId: aws.String(j.ApplicationID), JobRunId: aws.String(j.JobRunID),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("emr: listing attempts of EMR Serverless job run %s: %w", j.JobRunID, err)
		}
		out = append(out, page.JobRunAttempts...)
	}
	return out, nil
}
