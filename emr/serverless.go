package emr

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless/types"
)

// ServerlessRunner starts Spark job runs on EMR Serverless applications and follows them. It
// is safe for concurrent use.
type ServerlessRunner struct {
	client ServerlessAPIClient
	opts   Options
}

// NewServerlessRunner returns a ServerlessRunner calling client (an *emrserverless.Client or a
// fake).
func NewServerlessRunner(client ServerlessAPIClient, optFns ...func(*Options)) *ServerlessRunner {
	return &ServerlessRunner{client: client, opts: configure(Options{}, optFns)}
}

func (r *ServerlessRunner) options(optFns []func(*Options)) Options {
	return configure(r.opts, optFns)
}

// serverlessInput renders j as the StartJobRun input of EMR Serverless application appID.
func serverlessInput(appID string, j JobRun) (*emrserverless.StartJobRunInput, error) {
	defaults, errs := j.check("application ID", appID)
	if j.ExecutionTimeout < 0 {
		errs = append(errs, fmt.Errorf("emr: JobRun.ExecutionTimeout %s is negative", j.ExecutionTimeout))
	}
	if j.ReleaseLabel != "" {
		errs = append(errs, fmt.Errorf("emr: JobRun.ReleaseLabel %q: EMR Serverless runs the application's release; leave it empty", j.ReleaseLabel))
	}
	d, err := j.Spark.driver()
	if err := errors.Join(append(errs, err)...); err != nil {
		return nil, err
	}
	in := &emrserverless.StartJobRunInput{
		ApplicationId:    aws.String(appID),
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
			m.CloudWatchLoggingConfiguration = &types.CloudWatchLoggingConfiguration{Enabled: aws.Bool(true), LogGroupName: aws.String(j.CloudWatchLogGroup)}
			if j.CloudWatchLogStreamPrefix != "" {
				m.CloudWatchLoggingConfiguration.LogStreamNamePrefix = aws.String(j.CloudWatchLogStreamPrefix)
			}
		}
		co.MonitoringConfiguration = m
	}
	if co.ApplicationConfiguration != nil || co.MonitoringConfiguration != nil {
		in.ConfigurationOverrides = &co
	}
	return in, nil
}

// Start validates the job, optionally starts the application (Options.
// StartApplication), and starts the job run on application applicationID with StartJobRun,
// returning its job run ID without waiting for it. Throttling and server errors are retried
// with the same client token, so a retry never starts a second run.
func (r *ServerlessRunner) Start(ctx context.Context, applicationID string, job JobRun, optFns ...func(*Options)) (string, error) {
	o := r.options(optFns)
	in, err := serverlessInput(applicationID, job)
	if err != nil {
		return "", err
	}
	if o.StartApplication {
		if err := r.startApplication(ctx, applicationID, o); err != nil {
			return "", err
		}
	}
	out, err := startRetrying(ctx, retryOptions("EMR Serverless StartJobRun on application "+applicationID, o.Retry, o.Wait, r.client, o.Logger),
		func(ctx context.Context) (*emrserverless.StartJobRunOutput, error) {
			return r.client.StartJobRun(ctx, in, o.ServerlessClientOptions...)
		})
	if err != nil {
		return "", fmt.Errorf("emr: starting job run on EMR Serverless application %s: %w", applicationID, err)
	}
	id := aws.ToString(out.JobRunId)
	if o.Logger != nil {
		o.Logger.Info("emr: serverless job run started", "application", applicationID, "jobRun", id)
	}
	return id, nil
}

func (r *ServerlessRunner) startApplication(ctx context.Context, appID string, o Options) error {
	started := false
	check := func(ctx context.Context) (string, bool, error) {
		out, err := r.client.GetApplication(ctx, &emrserverless.GetApplicationInput{ApplicationId: aws.String(appID)}, o.ServerlessClientOptions...)
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
			if _, err := r.client.StartApplication(ctx, &emrserverless.StartApplicationInput{ApplicationId: aws.String(appID)}, o.ServerlessClientOptions...); err != nil {
				return "", false, fmt.Errorf("emr: starting EMR Serverless application %s: %w", appID, err)
			}
			started = true
			return string(state), false, nil
		case types.ApplicationStateTerminated:
			return "", false, fmt.Errorf("emr: EMR Serverless application %s is TERMINATED", appID)
		}
		return string(state), false, nil // CREATING, STARTING, STOPPING
	}
	return waitFor(ctx, pollOptions("EMR Serverless application "+appID, appID, o.Wait, r.client, o.Logger), check)
}

// Run starts the job (Start) and waits for it to end (Wait), returning the final state:
// SUCCESS, or a *JobFailedError.
func (r *ServerlessRunner) Run(ctx context.Context, applicationID string, job JobRun, optFns ...func(*Options)) (string, error) {
	id, err := r.Start(ctx, applicationID, job, optFns...)
	if err != nil {
		return "", err
	}
	return r.Wait(ctx, applicationID, id, optFns...)
}

// Wait follows the job run with GetJobRun (which reports the latest attempt) through
// SUBMITTED, PENDING, SCHEDULED, RUNNING (and QUEUED, CANCELLING) until SUCCESS, FAILED or
// CANCELLED. FAILED and CANCELLED return a *JobFailedError carrying stateDetails, the attempt
// and the log prefix. Cancelling ctx stops the wait, not the run.
func (r *ServerlessRunner) Wait(ctx context.Context, applicationID, jobRunID string, optFns ...func(*Options)) (string, error) {
	if err := checkRun("application ID", applicationID, jobRunID); err != nil {
		return "", err
	}
	o := r.options(optFns)
	po := pollOptions("EMR Serverless job run "+jobRunID, jobRunID, o.Wait, r.client, o.Logger)
	final, err := follow(ctx, po, func(ctx context.Context) (*types.JobRun, string, error) {
		out, err := r.client.GetJobRun(ctx, &emrserverless.GetJobRunInput{ApplicationId: aws.String(applicationID), JobRunId: aws.String(jobRunID)}, o.ServerlessClientOptions...)
		if err != nil {
			return nil, "", fmt.Errorf("emr: getting EMR Serverless job run %s: %w", jobRunID, err)
		}
		if out.JobRun == nil {
			return nil, "", fmt.Errorf("emr: EMR Serverless job run %s: empty GetJobRun response", jobRunID)
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
		Container: applicationID,
		ID:        jobRunID,
		State:     string(final.State),
		Message:   aws.ToString(final.StateDetails),
		Attempt:   int(aws.ToInt32(final.Attempt)),
	}
	if e.Attempt == 0 {
		e.Attempt = 1
	}
	if co := final.ConfigurationOverrides; co != nil && co.MonitoringConfiguration != nil && co.MonitoringConfiguration.S3MonitoringConfiguration != nil {
		e.LogURI = logPrefix(aws.ToString(co.MonitoringConfiguration.S3MonitoringConfiguration.LogUri), "applications", applicationID, "jobs", jobRunID)
	}
	return string(final.State), e
}

// Cancel asks EMR Serverless to cancel the job run with CancelJobRun. It does not wait; Wait
// returns the outcome.
func (r *ServerlessRunner) Cancel(ctx context.Context, applicationID, jobRunID string, optFns ...func(*Options)) error {
	if err := checkRun("application ID", applicationID, jobRunID); err != nil {
		return err
	}
	o := r.options(optFns)
	_, err := r.client.CancelJobRun(ctx, &emrserverless.CancelJobRunInput{ApplicationId: aws.String(applicationID), JobRunId: aws.String(jobRunID)}, o.ServerlessClientOptions...)
	if err != nil {
		return fmt.Errorf("emr: cancelling EMR Serverless job run %s: %w", jobRunID, err)
	}
	return nil
}

// checkRun checks the IDs of a job run before any call; container names containerID in
// errors.
func checkRun(container, containerID, jobRunID string) error {
	return errors.Join(errIfEmpty(container, containerID), errIfEmpty("job run ID", jobRunID))
}
