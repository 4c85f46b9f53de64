package emr

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"

	"github.com/datablocks-go/datablocks"
)

// sparkDefaultsClassification is the configuration classification of Spark properties in
// EMR on EKS configuration overrides.
const sparkDefaultsClassification = "spark-defaults"

// ContainersRunnerOptions configures a ContainersRunner.
type ContainersRunnerOptions struct {
	// Wait configures how job runs are followed: delays between checks (zero MinDelay means
	// 2 seconds, zero MaxDelay 30 seconds), an optional timeout, the clock, and OnProgress,
	// which sees every state change with the job run ID in Progress.ID.
	Wait datablocks.WaitOptions
	// Retry configures Start's retries of StartJobRun after throttling or a server error:
	// zero delays mean 2 and 30 seconds, a nil Clock means Wait.Clock,
	// then the client's own clock when it has one (a fake's).
	Retry datablocks.RetryOptions
	// Logger receives starts (Info) and, unless Wait.Logger is set, state changes and
	// transient errors (Debug). Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every EMR on EKS call.
	ClientOptions []func(*emrcontainers.Options)
}

// ContainersRunner starts Spark job runs on EMR on EKS virtual clusters and follows them. It
// is safe for concurrent use.
type ContainersRunner struct {
	client ContainersAPIClient
	opts   ContainersRunnerOptions
}

// NewContainersRunner returns a ContainersRunner calling client (an *emrcontainers.Client or
// a fake).
func NewContainersRunner(client ContainersAPIClient, optFns ...func(*ContainersRunnerOptions)) *ContainersRunner {
	return &ContainersRunner{client: client, opts: configure(ContainersRunnerOptions{}, optFns, nil)}
}

func (r *ContainersRunner) options(optFns []func(*ContainersRunnerOptions)) ContainersRunnerOptions {
	o := configure(r.opts, optFns, func(o *ContainersRunnerOptions) { o.ClientOptions = slices.Clone(o.ClientOptions) })
	return o
}

// ContainersJob is one EMR on EKS job run.
type ContainersJob struct {
	// VirtualClusterID is the virtual cluster to run on (required).
	VirtualClusterID string
	// Name names the job run. Optional.
	Name string
	// ExecutionRoleArn is the job run's IAM role (required).
	ExecutionRoleArn string
	// ReleaseLabel is the EMR release, such as emr-7.5.0-latest (required).
	ReleaseLabel string
	// Spark is the application, rendered as the sparkSubmitJobDriver.
	Spark SparkSubmit
	// SparkDefaults are spark-defaults overrides. Keys must not repeat what the fields below
	// or SparkSubmit's typed fields (spark.jars, spark.executor.memory, ...) set.
	SparkDefaults map[string]string
	// DriverPodTemplate and ExecutorPodTemplate are S3 URIs of pod templates
	// (spark.kubernetes.{driver,executor}.podTemplateFile).
	DriverPodTemplate, ExecutorPodTemplate string
	// NodeSelector places driver and executors on labelled nodes
	// (spark.kubernetes.node.selector.<label>).
	NodeSelector map[string]string
	// LogURI is the S3 prefix for logs (S3 monitoring). Empty means no S3 logs.
	LogURI string
	// CloudWatchLogs, if set, sends logs to CloudWatch Logs; LogGroupName is required.
	CloudWatchLogs *CloudWatchLogs
	// Tags tag the job run. Optional.
	Tags map[string]string
	// ClientToken makes the start idempotent. Empty means a random token, kept across Start's
	// own retries.
	ClientToken string
}

var releaseLabelPattern = regexp.MustCompile(`^emr-[0-9]+\.[0-9]+\.[0-9]+(-[a-z0-9-]+)?$`)

func (j ContainersJob) input() (*emrcontainers.StartJobRunInput, error) {
	errs := checkJobRun("ContainersJob", "VirtualClusterID", j.VirtualClusterID, j.ExecutionRoleArn, j.LogURI, j.ClientToken)
	add := func(err error) { errs = append(errs, err) }
	switch {
	case j.ReleaseLabel == "":
		add(errMissing("ContainersJob.ReleaseLabel"))
	case !releaseLabelPattern.MatchString(j.ReleaseLabel):
		add(fmt.Errorf("emr: ContainersJob.ReleaseLabel %q is not an EMR release such as emr-7.5.0-latest", j.ReleaseLabel))
	}
	if j.CloudWatchLogs != nil && j.CloudWatchLogs.LogGroupName == "" {
		add(errMissing("ContainersJob.CloudWatchLogs.LogGroupName"))
	}
	defaults := map[string]string{}
	set := func(field, k, v string) {
		if v == "" {
			return
		}
		if _, dup := j.SparkDefaults[k]; dup {
			add(fmt.Errorf("emr: ContainersJob.SparkDefaults key %q duplicates ContainersJob.%s", k, field))
		}
		defaults[k] = v
	}
	for _, k := range slices.Sorted(maps.Keys(j.SparkDefaults)) {
		if k == "" || hasSpace(k) {
			add(fmt.Errorf("emr: ContainersJob.SparkDefaults key %q is empty or contains white space", k))
		}
		if reservedConf[k] != "" {
			add(fmt.Errorf("emr: ContainersJob.SparkDefaults key %q duplicates a field: set SparkSubmit.%s instead", k, reservedConf[k]))
		}
		defaults[k] = j.SparkDefaults[k]
	}
	for _, p := range []struct{ field, k, uri string }{
		{"DriverPodTemplate", "spark.kubernetes.driver.podTemplateFile", j.DriverPodTemplate},
		{"ExecutorPodTemplate", "spark.kubernetes.executor.podTemplateFile", j.ExecutorPodTemplate},
	} {
		if p.uri != "" && !strings.HasPrefix(p.uri, "s3://") {
			add(fmt.Errorf("emr: ContainersJob.%s %q is not an s3:// URI", p.field, p.uri))
		}
		set(p.field, p.k, p.uri)
	}
	for _, label := range slices.Sorted(maps.Keys(j.NodeSelector)) {
		if label == "" || hasSpace(label) {
			add(fmt.Errorf("emr: ContainersJob.NodeSelector label %q is empty or contains white space", label))
		}
		set("NodeSelector", "spark.kubernetes.node.selector."+label, j.NodeSelector[label])
	}
	d, err := j.Spark.driver()
	if err := errors.Join(append(errs, err)...); err != nil {
		return nil, err
	}
	in := &emrcontainers.StartJobRunInput{
		VirtualClusterId: aws.String(j.VirtualClusterID),
		ClientToken:      clientToken(j.ClientToken),
		ExecutionRoleArn: aws.String(j.ExecutionRoleArn),
		ReleaseLabel:     aws.String(j.ReleaseLabel),
		JobDriver: &types.JobDriver{SparkSubmitJobDriver: &types.SparkSubmitJobDriver{
			EntryPoint: d.entryPoint, EntryPointArguments: d.args, SparkSubmitParameters: d.params,
		}},
		Tags: maps.Clone(j.Tags),
	}
	if j.Name != "" {
		in.Name = aws.String(j.Name)
	}
	var co types.ConfigurationOverrides
	if len(defaults) > 0 {
		co.ApplicationConfiguration = []types.Configuration{{Classification: aws.String(sparkDefaultsClassification), Properties: defaults}}
	}
	if j.LogURI != "" || j.CloudWatchLogs != nil {
		m := &types.MonitoringConfiguration{}
		if j.LogURI != "" {
			m.S3MonitoringConfiguration = &types.S3MonitoringConfiguration{LogUri: aws.String(j.LogURI)}
		}
		if cw := j.CloudWatchLogs; cw != nil {
			m.CloudWatchMonitoringConfiguration = &types.CloudWatchMonitoringConfiguration{LogGroupName: aws.String(cw.LogGroupName)}
			if cw.LogStreamNamePrefix != "" {
				m.CloudWatchMonitoringConfiguration.LogStreamNamePrefix = aws.String(cw.LogStreamNamePrefix)
			}
		}
		co.MonitoringConfiguration = m
	}
	if co.ApplicationConfiguration != nil || co.MonitoringConfiguration != nil {
		in.ConfigurationOverrides = &co
	}
	return in, nil
}

// Start validates the job and starts it with StartJobRun. Throttling and server errors are
// retried with the same client token.
func (r *ContainersRunner) Start(ctx context.Context, job ContainersJob, optFns ...func(*ContainersRunnerOptions)) (*ContainersRun, error) {
	o := r.options(optFns)
	in, err := job.input()
	if err != nil {
		return nil, err
	}
	out, err := startRetrying(ctx, retryOptions("EMR on EKS StartJobRun on virtual cluster "+job.VirtualClusterID, o.Retry, o.Wait, r.client, o.Logger),
		func(ctx context.Context) (*emrcontainers.StartJobRunOutput, error) {
			return r.client.StartJobRun(ctx, in, o.ClientOptions...)
		})
	if err != nil {
		return nil, fmt.Errorf("emr: starting job run on EMR on EKS virtual cluster %s: %w", job.VirtualClusterID, err)
	}
	run := &ContainersRun{VirtualClusterID: job.VirtualClusterID, JobRunID: aws.ToString(out.Id), ARN: aws.ToString(out.Arn), runner: r, optFns: optFns}
	if o.Logger != nil {
		o.Logger.Info("emr: EKS job run started", "virtualCluster", job.VirtualClusterID, "jobRun", run.JobRunID)
	}
	return run, nil
}

// Run starts the job (Start) and waits for it to end (ContainersRun.Wait), returning the final
// state: COMPLETED, or a *JobFailedError.
func (r *ContainersRunner) Run(ctx context.Context, job ContainersJob, optFns ...func(*ContainersRunnerOptions)) (string, error) {
	run, err := r.Start(ctx, job, optFns...)
	if err != nil {
		return "", err
	}
	return run.Wait(ctx)
}

// JobRun returns a handle on an existing job run, to wait for or cancel it. It makes no call.
func (r *ContainersRunner) JobRun(virtualClusterID, jobRunID string) *ContainersRun {
	return &ContainersRun{VirtualClusterID: virtualClusterID, JobRunID: jobRunID, runner: r}
}

// ContainersRun is an EMR on EKS job run.
type ContainersRun struct {
	VirtualClusterID string // the virtual cluster the job run belongs to
	JobRunID         string // the job run's ID
	ARN              string // empty for a handle from ContainersRunner.JobRun

	runner *ContainersRunner
	optFns []func(*ContainersRunnerOptions)
}

// check validates a handle before any call.
func (j *ContainersRun) check() error {
	return errors.Join(
		errIfEmpty("ContainersRun.VirtualClusterID", j.VirtualClusterID),
		errIfEmpty("ContainersRun.JobRunID", j.JobRunID),
	)
}

// Runtime returns RuntimeEKS.
func (j *ContainersRun) Runtime() Runtime { return RuntimeEKS }

// ID returns the job run ID.
func (j *ContainersRun) ID() string { return j.JobRunID }

// Wait follows the job run with DescribeJobRun through PENDING, SUBMITTED, RUNNING (and
// CANCEL_PENDING) until COMPLETED, FAILED or CANCELLED. FAILED and CANCELLED return a
// *JobFailedError with the failure reason, state details and log prefix. Cancelling ctx stops
// the wait, not the run.
func (j *ContainersRun) Wait(ctx context.Context) (string, error) {
	if err := j.check(); err != nil {
		return "", err
	}
	o := j.runner.options(j.optFns)
	po := pollOptions("EMR on EKS job run "+j.JobRunID, j.JobRunID, o.Wait, j.runner.client, o.Logger)
	final, err := follow(ctx, po, func(ctx context.Context) (*types.JobRun, string, error) {
		out, err := j.runner.client.DescribeJobRun(ctx, &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(j.VirtualClusterID), Id: aws.String(j.JobRunID)}, o.ClientOptions...)
		if err != nil {
			return nil, "", fmt.Errorf("emr: describing EMR on EKS job run %s: %w", j.JobRunID, err)
		}
		if out.JobRun == nil {
			return nil, "", fmt.Errorf("emr: EMR on EKS job run %s: empty DescribeJobRun response", j.JobRunID)
		}
		return out.JobRun, string(out.JobRun.State), nil
	}, string(types.JobRunStateCompleted), string(types.JobRunStateFailed), string(types.JobRunStateCancelled))
	if err != nil {
		return "", err
	}
	if final.State == types.JobRunStateCompleted {
		return string(final.State), nil
	}
	e := &JobFailedError{
		Runtime:   RuntimeEKS,
		Container: j.VirtualClusterID,
		ID:        j.JobRunID,
		State:     string(final.State),
		Reason:    string(final.FailureReason),
		Message:   aws.ToString(final.StateDetails),
	}
	if co := final.ConfigurationOverrides; co != nil && co.MonitoringConfiguration != nil && co.MonitoringConfiguration.S3MonitoringConfiguration != nil {
		e.LogURI = logPrefix(aws.ToString(co.MonitoringConfiguration.S3MonitoringConfiguration.LogUri), j.VirtualClusterID, "jobs", j.JobRunID)
	}
	return string(final.State), e
}

// Cancel cancels the job run with CancelJobRun.
func (j *ContainersRun) Cancel(ctx context.Context) error {
	if err := j.check(); err != nil {
		return err
	}
	o := j.runner.options(j.optFns)
	_, err := j.runner.client.CancelJobRun(ctx, &emrcontainers.CancelJobRunInput{VirtualClusterId: aws.String(j.VirtualClusterID), Id: aws.String(j.JobRunID)}, o.ClientOptions...)
	if err != nil {
		return fmt.Errorf("emr: cancelling EMR on EKS job run %s: %w", j.JobRunID, err)
	}
	return nil
}
