package emr

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"
)

// sparkDefaultsClassification is the configuration classification of Spark properties in
// EMR on EKS configuration overrides.
const sparkDefaultsClassification = "spark-defaults"

// ContainersRunner starts Spark job runs on EMR on EKS virtual clusters and follows them. It
// is safe for concurrent use.
type ContainersRunner struct {
	client ContainersAPIClient
	opts   Options
}

// NewContainersRunner returns a ContainersRunner calling client (an *emrcontainers.Client or
// a fake).
func NewContainersRunner(client ContainersAPIClient, optFns ...func(*Options)) *ContainersRunner {
	return &ContainersRunner{client: client, opts: configure(Options{}, optFns)}
}

func (r *ContainersRunner) options(optFns []func(*Options)) Options {
	return configure(r.opts, optFns)
}

var releaseLabelPattern = regexp.MustCompile(`^emr-[0-9]+\.[0-9]+\.[0-9]+(-[a-z0-9-]+)?$`)

// containersInput renders j as the StartJobRun input of EMR on EKS virtual cluster vcID.
func containersInput(vcID string, j JobRun) (*emrcontainers.StartJobRunInput, error) {
	defaults, errs := j.check("virtual cluster ID", vcID)
	switch {
	case j.ReleaseLabel == "":
		errs = append(errs, errMissing("JobRun.ReleaseLabel"))
	case !releaseLabelPattern.MatchString(j.ReleaseLabel):
		errs = append(errs, fmt.Errorf("emr: JobRun.ReleaseLabel %q is not an EMR release such as emr-7.5.0-latest", j.ReleaseLabel))
	}
	if j.ExecutionTimeout != 0 {
		errs = append(errs, errors.New("emr: JobRun.ExecutionTimeout: EMR on EKS has no execution timeout; leave it zero"))
	}
	d, err := j.Spark.driver()
	if err := errors.Join(append(errs, err)...); err != nil {
		return nil, err
	}
	in := &emrcontainers.StartJobRunInput{
		VirtualClusterId: aws.String(vcID),
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
	if defaults != nil {
		co.ApplicationConfiguration = []types.Configuration{{Classification: aws.String(sparkDefaultsClassification), Properties: defaults}}
	}
	if j.LogURI != "" || j.CloudWatchLogGroup != "" {
		m := &types.MonitoringConfiguration{}
		if j.LogURI != "" {
			m.S3MonitoringConfiguration = &types.S3MonitoringConfiguration{LogUri: aws.String(j.LogURI)}
		}
		if j.CloudWatchLogGroup != "" {
			m.CloudWatchMonitoringConfiguration = &types.CloudWatchMonitoringConfiguration{LogGroupName: aws.String(j.CloudWatchLogGroup)}
			if j.CloudWatchLogStreamPrefix != "" {
				m.CloudWatchMonitoringConfiguration.LogStreamNamePrefix = aws.String(j.CloudWatchLogStreamPrefix)
			}
		}
		co.MonitoringConfiguration = m
	}
	if co.ApplicationConfiguration != nil || co.MonitoringConfiguration != nil {
		in.ConfigurationOverrides = &co
	}
	return in, nil
}

// Start validates the job and starts it on virtual cluster virtualClusterID with StartJobRun,
// returning its job run ID without waiting for it. Throttling and server errors are retried
// with the same client token.
func (r *ContainersRunner) Start(ctx context.Context, virtualClusterID string, job JobRun, optFns ...func(*Options)) (string, error) {
	o := r.options(optFns)
	in, err := containersInput(virtualClusterID, job)
	if err != nil {
		return "", err
	}
	out, err := startRetrying(ctx, retryOptions("EMR on EKS StartJobRun on virtual cluster "+virtualClusterID, o.Retry, o.Wait, r.client, o.Logger),
		func(ctx context.Context) (*emrcontainers.StartJobRunOutput, error) {
			return r.client.StartJobRun(ctx, in, o.ContainersClientOptions...)
		})
	if err != nil {
		return "", fmt.Errorf("emr: starting job run on EMR on EKS virtual cluster %s: %w", virtualClusterID, err)
	}
	id := aws.ToString(out.Id)
	if o.Logger != nil {
		o.Logger.Info("emr: EKS job run started", "virtualCluster", virtualClusterID, "jobRun", id)
	}
	return id, nil
}

// Run starts the job (Start) and waits for it to end (Wait), returning the final state:
// COMPLETED, or a *JobFailedError.
func (r *ContainersRunner) Run(ctx context.Context, virtualClusterID string, job JobRun, optFns ...func(*Options)) (string, error) {
	id, err := r.Start(ctx, virtualClusterID, job, optFns...)
	if err != nil {
		return "", err
	}
	return r.Wait(ctx, virtualClusterID, id, optFns...)
}

// Wait follows the job run with DescribeJobRun through PENDING, SUBMITTED, RUNNING (and
// CANCEL_PENDING) until COMPLETED, FAILED or CANCELLED. FAILED and CANCELLED return a
// *JobFailedError with the failure reason, state details and log prefix. Cancelling ctx stops
// the wait, not the run.
func (r *ContainersRunner) Wait(ctx context.Context, virtualClusterID, jobRunID string, optFns ...func(*Options)) (string, error) {
	if err := checkRun("virtual cluster ID", virtualClusterID, jobRunID); err != nil {
		return "", err
	}
	o := r.options(optFns)
	po := pollOptions("EMR on EKS job run "+jobRunID, jobRunID, o.Wait, r.client, o.Logger)
	final, err := follow(ctx, po, func(ctx context.Context) (*types.JobRun, string, error) {
		out, err := r.client.DescribeJobRun(ctx, &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(virtualClusterID), Id: aws.String(jobRunID)}, o.ContainersClientOptions...)
		if err != nil {
			return nil, "", fmt.Errorf("emr: describing EMR on EKS job run %s: %w", jobRunID, err)
		}
		if out.JobRun == nil {
			return nil, "", fmt.Errorf("emr: EMR on EKS job run %s: empty DescribeJobRun response", jobRunID)
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
		Container: virtualClusterID,
		ID:        jobRunID,
		State:     string(final.State),
		Reason:    string(final.FailureReason),
		Message:   aws.ToString(final.StateDetails),
	}
	if co := final.ConfigurationOverrides; co != nil && co.MonitoringConfiguration != nil && co.MonitoringConfiguration.S3MonitoringConfiguration != nil {
		e.LogURI = logPrefix(aws.ToString(co.MonitoringConfiguration.S3MonitoringConfiguration.LogUri), virtualClusterID, "jobs", jobRunID)
	}
	return string(final.State), e
}

// Cancel asks EMR on EKS to cancel the job run with CancelJobRun. It does not wait; Wait
// returns the outcome.
func (r *ContainersRunner) Cancel(ctx context.Context, virtualClusterID, jobRunID string, optFns ...func(*Options)) error {
	if err := checkRun("virtual cluster ID", virtualClusterID, jobRunID); err != nil {
		return err
	}
	o := r.options(optFns)
	_, err := r.client.CancelJobRun(ctx, &emrcontainers.CancelJobRunInput{VirtualClusterId: aws.String(virtualClusterID), Id: aws.String(jobRunID)}, o.ContainersClientOptions...)
	if err != nil {
		return fmt.Errorf("emr: cancelling EMR on EKS job run %s: %w", jobRunID, err)
	}
	return nil
}
