package emr

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Limits of the EMR steps API.
const (
	// MaxStepsPerCall is the most steps one AddJobFlowSteps call (and one cluster) accepts.
	MaxStepsPerCall = 256
	// MaxStepIDsPerList is the most step IDs one ListSteps call filters by.
	MaxStepIDsPerList = 10
	// DefaultActionOnFailure is what a failed step does to its cluster unless told otherwise:
	// nothing, as in the AWS posts and the EMR CLI.
	DefaultActionOnFailure = types.ActionOnFailureContinue
)

// runtimeRolesRequired is the start of the service's message when a runtime-role cluster gets
// steps without ExecutionRoleArn.
const runtimeRolesRequired = "Runtime roles are required for this cluster"

// StepRunnerOptions configures a StepRunner.
type StepRunnerOptions struct {
	// ActionOnFailure applies to steps that do not set their own, overriding
	// DefaultActionOnFailure (CONTINUE). Zero means the default.
	ActionOnFailure types.ActionOnFailure
	// Wait configures how steps are followed: delays between ListSteps rounds (zero means
	// DefaultMinDelay and DefaultMaxDelay), an optional timeout, the clock, and OnProgress,
	// which sees every state change of every step with the step ID in Progress.ID.
	Wait datablocks.WaitOptions
	// Logger receives submissions (Info) and, unless Wait.Logger is set, state changes and
	// transient errors (Debug). Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every EMR call.
	ClientOptions []func(*awsemr.Options)
}

// StepRunner submits Spark applications as steps of running EMR on EC2 clusters and follows
// them. It is safe for concurrent use.
type StepRunner struct {
	client StepRunnerAPIClient
	opts   StepRunnerOptions
}

// NewStepRunner returns a StepRunner calling client (an *emr.Client or a fake).
func NewStepRunner(client StepRunnerAPIClient, optFns ...func(*StepRunnerOptions)) *StepRunner {
	return &StepRunner{client: client, opts: configure(StepRunnerOptions{}, optFns, nil)}
}

func (r *StepRunner) options(optFns []func(*StepRunnerOptions)) StepRunnerOptions {
	o := configure(r.opts, optFns, func(o *StepRunnerOptions) { o.ClientOptions = slices.Clone(o.ClientOptions) })
	if o.ActionOnFailure == "" {
		o.ActionOnFailure = DefaultActionOnFailure
	}
	return o
}

// Step is one Spark application to run as an EMR step.
type Step struct {
	// Name is the step's name (required, at most 256 characters).
	Name string
	// Spark is the application, rendered with SparkSubmit.StepArgs.
	Spark SparkSubmit
	// ActionOnFailure overrides StepRunnerOptions.ActionOnFailure for this step. Zero means the
	// runner's.
	ActionOnFailure types.ActionOnFailure
}

// StepsInput is one AddJobFlowSteps call.
type StepsInput struct {
	// ClusterID is the cluster (j-...) to add the steps to.
	ClusterID string
	// ExecutionRoleArn is the runtime role the steps run as. Required on clusters whose
	// security configuration enables runtime roles; a cluster without them rejects it.
	ExecutionRoleArn string
	// Steps run in order (or StepConcurrencyLevel at a time). At most MaxStepsPerCall.
	Steps []Step
}

// Config renders the step as the EMR API's StepConfig (command-runner.jar running
// spark-submit), with action as its ActionOnFailure when the step sets none.
func (s Step) Config(action types.ActionOnFailure) (types.StepConfig, error) {
	if s.Name == "" {
		return types.StepConfig{}, errMissing("Step.Name")
	}
	if len(s.Name) > 256 {
		return types.StepConfig{}, fmt.Errorf("emr: Step.Name is %d characters, over the limit of 256", len(s.Name))
	}
	args, err := s.Spark.StepArgs()
	if err != nil {
		return types.StepConfig{}, err
	}
	if s.ActionOnFailure != "" {
		action = s.ActionOnFailure
	}
	if !slices.Contains(action.Values(), action) {
		return types.StepConfig{}, fmt.Errorf("emr: ActionOnFailure %q is not one of %v", action, action.Values())
	}
	return types.StepConfig{
		Name:            aws.String(s.Name),
		ActionOnFailure: action,
		HadoopJarStep:   &types.HadoopJarStepConfig{Jar: aws.String(CommandRunnerJar), Args: args},
	}, nil
}

// Submit adds the steps to the cluster in one AddJobFlowSteps call and returns one *StepRun
// per step, in order. Every step is validated before anything is sent. A cluster that requires
// a runtime role and got none returns a *RuntimeRoleRequiredError.
func (r *StepRunner) Submit(ctx context.Context, in StepsInput, optFns ...func(*StepRunnerOptions)) ([]*StepRun, error) {
	o := r.options(optFns)
	var errs []error
	if in.ClusterID == "" {
		errs = append(errs, errMissing("StepsInput.ClusterID"))
	}
	switch n := len(in.Steps); {
	case n == 0:
		errs = append(errs, errMissing("StepsInput.Steps"))
	case n > MaxStepsPerCall:
		errs = append(errs, fmt.Errorf("emr: StepsInput.Steps has %d steps, over the limit of %d", n, MaxStepsPerCall))
	}
	if in.ExecutionRoleArn != "" {
		if err := checkRoleARN("StepsInput.ExecutionRoleArn", in.ExecutionRoleArn); err != nil {
			errs = append(errs, err)
		}
	}
	configs := make([]types.StepConfig, 0, len(in.Steps))
	for i, s := range in.Steps {
		c, err := s.Config(o.ActionOnFailure)
		if err != nil {
			errs = append(errs, fmt.Errorf("StepsInput.Steps[%d]: %w", i, err))
			continue
		}
		configs = append(configs, c)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	params := &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(in.ClusterID), Steps: configs}
	if in.ExecutionRoleArn != "" {
		params.ExecutionRoleArn = aws.String(in.ExecutionRoleArn)
	}
	out, err := r.client.AddJobFlowSteps(ctx, params, o.ClientOptions...)
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && strings.Contains(ae.ErrorMessage(), runtimeRolesRequired) {
			return nil, &RuntimeRoleRequiredError{ClusterID: in.ClusterID, Err: err}
		}
		return nil, fmt.Errorf("emr: adding %d steps to cluster %s: %w", len(configs), in.ClusterID, err)
	}
	if len(out.StepIds) != len(configs) {
		return nil, fmt.Errorf("emr: AddJobFlowSteps on cluster %s returned %d step IDs for %d steps", in.ClusterID, len(out.StepIds), len(configs))
	}
	runs := make([]*StepRun, len(out.StepIds))
	for i, id := range out.StepIds {
		runs[i] = &StepRun{ClusterID: in.ClusterID, StepID: id, runner: r, optFns: optFns}
	}
	if o.Logger != nil {
		o.Logger.Info("emr: steps added", "cluster", in.ClusterID, "steps", out.StepIds)
	}
	return runs, nil
}

// checkRoleARN checks that s is an IAM role ARN in a known partition.
func checkRoleARN(field, s string) error {
	a, err := datablocks.ParseARN(s)
	if err != nil {
		return fmt.Errorf("emr: %s: %w", field, err)
	}
	if a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return fmt.Errorf("emr: %s %q is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)", field, s)
	}
	return nil
}

// Step returns a handle on an existing step, to wait for or cancel it.
func (r *StepRunner) Step(clusterID, stepID string) *StepRun {
	return &StepRun{ClusterID: clusterID, StepID: stepID, runner: r}
}

// Wait waits for every step (on one cluster) to end. It polls with ListSteps filtered by step
// IDs, MaxStepIDsPerList at a time, and only for steps still running, so one poll round of 100
// steps costs at most 10 calls (plus pages). It returns the final states aligned with stepIDs
// and, when any step did not complete, a *StepsError whose Errors hold *JobFailedError values.
// Cancelling ctx stops the wait, not the steps.
func (r *StepRunner) Wait(ctx context.Context, clusterID string, stepIDs []string, optFns ...func(*StepRunnerOptions)) ([]string, error) {
	o := r.options(optFns)
	if clusterID == "" {
		return nil, errMissing("cluster ID")
	}
	if len(stepIDs) == 0 {
		return nil, errMissing("step IDs")
	}
	states := make([]string, len(stepIDs))
	failures := make([]error, len(stepIDs))
	index := map[string][]int{}
	for i, id := range stepIDs {
		if id == "" {
			return nil, fmt.Errorf("emr: step ID %d is empty", i)
		}
		index[id] = append(index[id], i)
	}
	pending := slices.Compact(slices.Sorted(maps.Keys(index)))
	var logURI *string // cluster log URI, fetched once on the first failure
	what := fmt.Sprintf("EMR steps on cluster %s", clusterID)
	if len(pending) == 1 {
		what = fmt.Sprintf("EMR step %s on cluster %s", pending[0], clusterID)
	}
	tr := newTracker(what, o.Wait, o.Logger)
	check := func(ctx context.Context) (string, bool, error) {
		tr.check()
		var still []string
		for batch := range slices.Chunk(pending, MaxStepIDsPerList) {
			seen := map[string]bool{}
			p := awsemr.NewListStepsPaginator(r.client, &awsemr.ListStepsInput{ClusterId: aws.String(clusterID), StepIds: batch})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx, o.ClientOptions...)
				if err != nil {
					return "", false, fmt.Errorf("emr: listing steps of cluster %s: %w", clusterID, err)
				}
				for _, s := range page.Steps {
					id := aws.ToString(s.Id)
					if _, ok := index[id]; !ok || seen[id] || s.Status == nil {
						continue
					}
					seen[id] = true
					state := string(s.Status.State)
					tr.observe(id, state)
					for _, i := range index[id] {
						states[i] = state
					}
					switch s.Status.State {
					case types.StepStateCompleted:
					case types.StepStateFailed, types.StepStateCancelled, types.StepStateInterrupted:
						if logURI == nil {
							logURI = aws.String(r.clusterLogURI(ctx, clusterID, o))
						}
						fe := stepFailure(clusterID, s, *logURI)
						for _, i := range index[id] {
							failures[i] = fe
						}
					default:
						still = append(still, id)
					}
				}
			}
			for _, id := range batch {
				if !seen[id] {
					return "", false, fmt.Errorf("emr: step %s not found on cluster %s", id, clusterID)
				}
			}
		}
		pending = still
		return summarize(states), len(pending) == 0, nil
	}
	po := pollOptions(what, "", o.Wait, o.Logger)
	po.OnProgress = nil // the tracker reports each step's changes
	if err := poll.Wait(ctx, po, check); err != nil {
		return states, err
	}
	if slices.ContainsFunc(failures, func(e error) bool { return e != nil }) {
		return states, &StepsError{ClusterID: clusterID, StepIDs: slices.Clone(stepIDs), Errors: failures}
	}
	return states, nil
}

// summarize describes many states in one string, such as "COMPLETED=3 RUNNING=1".
func summarize(states []string) string {
	counts := map[string]int{}
	for _, s := range states {
		counts[s]++
	}
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s=%d", s, counts[s]))
	}
	return strings.Join(parts, " ")
}

// clusterLogURI returns the cluster's log URI with s3n:// and s3a:// normalized to s3://, or
// "" when it has none or DescribeCluster fails (failure details are best effort).
func (r *StepRunner) clusterLogURI(ctx context.Context, clusterID string, o StepRunnerOptions) string {
	out, err := r.client.DescribeCluster(ctx, &awsemr.DescribeClusterInput{ClusterId: aws.String(clusterID)}, o.ClientOptions...)
	if err != nil || out.Cluster == nil {
		if o.Logger != nil {
			o.Logger.Debug("emr: describing cluster for its log URI", "cluster", clusterID, "error", err)
		}
		return ""
	}
	return normalizeS3(aws.ToString(out.Cluster.LogUri))
}

func normalizeS3(uri string) string {
	for _, scheme := range []string{"s3n://", "s3a://"} {
		if rest, ok := strings.CutPrefix(uri, scheme); ok {
			return "s3://" + rest
		}
	}
	return uri
}

// stepFailure builds the error of a step that ended without completing.
func stepFailure(clusterID string, s types.StepSummary, logURI string) *JobFailedError {
	id := aws.ToString(s.Id)
	e := &JobFailedError{Runtime: RuntimeSteps, Container: clusterID, ID: id, State: string(s.Status.State)}
	if logURI != "" {
		base := logPrefix(logURI, clusterID, "steps", id)
		e.StdoutURI, e.StderrURI = base+"stdout.gz", base+"stderr.gz"
		e.LogURI = e.StderrURI
	}
	if fd := s.Status.FailureDetails; fd != nil {
		e.Reason, e.Message = aws.ToString(fd.Reason), aws.ToString(fd.Message)
		if lf := aws.ToString(fd.LogFile); lf != "" {
			e.LogURI = normalizeS3(lf)
		}
	}
	if e.Message == "" && s.Status.StateChangeReason != nil {
		e.Message = aws.ToString(s.Status.StateChangeReason.Message)
	}
	return e
}

// Cancel cancels steps of a cluster with CancelSteps (SEND_INTERRUPT). PENDING steps are
// cancelled; RUNNING ones are interrupted. Steps the service refuses to cancel (because they
// already ended) are reported in the error.
func (r *StepRunner) Cancel(ctx context.Context, clusterID string, stepIDs []string, optFns ...func(*StepRunnerOptions)) error {
	o := r.options(optFns)
	if clusterID == "" {
		return errMissing("cluster ID")
	}
	if len(stepIDs) == 0 {
		return errMissing("step IDs")
	}
	out, err := r.client.CancelSteps(ctx, &awsemr.CancelStepsInput{
		ClusterId:              aws.String(clusterID),
		StepIds:                slices.Clone(stepIDs),
		StepCancellationOption: types.StepCancellationOptionSendInterrupt,
	}, o.ClientOptions...)
	if err != nil {
		return fmt.Errorf("emr: cancelling steps on cluster %s: %w", clusterID, err)
	}
	var errs []error
	for _, info := range out.CancelStepsInfoList {
		if info.Status == types.CancelStepsRequestStatusFailed {
			errs = append(errs, fmt.Errorf("emr: step %s on cluster %s not cancelled: %s", aws.ToString(info.StepId), clusterID, aws.ToString(info.Reason)))
		}
	}
	return errors.Join(errs...)
}

// StepRun is a step of an EMR on EC2 cluster.
type StepRun struct {
	ClusterID string // the cluster the step belongs to
	StepID    string // the step's ID (s-...)

	runner *StepRunner
	optFns []func(*StepRunnerOptions)
}

// Runtime returns RuntimeSteps.
func (s *StepRun) Runtime() Runtime { return RuntimeSteps }

// ID returns the step ID.
func (s *StepRun) ID() string { return s.StepID }

// Wait waits for the step to end; see StepRunner.Wait. A step that does not complete returns
// a *JobFailedError.
func (s *StepRun) Wait(ctx context.Context) (string, error) {
	states, err := s.runner.Wait(ctx, s.ClusterID, []string{s.StepID}, s.optFns...)
	var se *StepsError
	if errors.As(err, &se) && len(se.Errors) == 1 {
		err = se.Errors[0]
	}
	state := ""
	if len(states) == 1 {
		state = states[0]
	}
	return state, err
}

// Cancel cancels the step; see StepRunner.Cancel.
func (s *StepRun) Cancel(ctx context.Context) error {
	return s.runner.Cancel(ctx, s.ClusterID, []string{s.StepID}, s.optFns...)
}
