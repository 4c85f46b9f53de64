package emr

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Limits of the EMR steps API.
const (
	// maxStepsPerCall is the most steps one AddJobFlowSteps call (and one cluster) accepts.
	maxStepsPerCall = 256
	// maxStepIDsPerList is the most step IDs one ListSteps call filters by.
	maxStepIDsPerList = 10
	// stepsPerPage is the most steps one ListSteps page holds (EMR API reference, ListSteps).
	stepsPerPage = 50
	// defaultActionOnFailure is what a failed step does to its cluster unless told otherwise:
	// nothing, as in the AWS posts and the EMR CLI.
	defaultActionOnFailure = types.ActionOnFailureContinue
)

// runtimeRolesRequired is the start of the service's message when a runtime-role cluster gets
// steps without ExecutionRoleArn.
const runtimeRolesRequired = "Runtime roles are required for this cluster"

// ErrRuntimeRoleRequired is wrapped by the error of StepRunner.Start when the cluster's
// security configuration enables runtime roles and StepsInput.ExecutionRoleArn is empty. The
// same error wraps the service's ValidationException.
var ErrRuntimeRoleRequired = errors.New("emr: the cluster requires a runtime role: set StepsInput.ExecutionRoleArn")

// StepRunner submits Spark applications as steps of running EMR on EC2 clusters and follows
// them. It is safe for concurrent use.
type StepRunner struct {
	client StepRunnerAPIClient
	opts   Options
}

// NewStepRunner returns a StepRunner calling client (an *emr.Client or a fake).
func NewStepRunner(client StepRunnerAPIClient, optFns ...func(*Options)) *StepRunner {
	return &StepRunner{client: client, opts: configure(Options{}, optFns)}
}

func (r *StepRunner) options(optFns []func(*Options)) Options {
	return configure(r.opts, optFns)
}

// Step is one Spark application to run as an EMR step.
type Step struct {
	// Name is the step's name (required, at most 256 characters).
	Name string
	// Spark is the application, rendered with SparkSubmit.StepArgs.
	Spark SparkSubmit
	// ActionOnFailure is what EMR does when the step fails. Zero means CONTINUE: the cluster
	// and the other steps carry on, as in the AWS posts and the EMR CLI. CANCEL_AND_WAIT and
	// TERMINATE_CLUSTER are refused on clusters whose StepConcurrencyLevel is above 1.
	ActionOnFailure types.ActionOnFailure
}

// StepsInput is one AddJobFlowSteps call.
type StepsInput struct {
	// ClusterID is the cluster (j-...) to add the steps to.
	ClusterID string
	// ExecutionRoleArn is the runtime role the steps run as. Required on clusters whose
	// security configuration enables runtime roles; a cluster without them rejects it.
	ExecutionRoleArn string
	// Steps run in order (or StepConcurrencyLevel at a time). At most 256.
	Steps []Step
}

// config renders the step as the EMR API's StepConfig (command-runner.jar running
// spark-submit).
func (s Step) config() (types.StepConfig, error) {
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
	action := s.ActionOnFailure
	if action == "" {
		action = defaultActionOnFailure
	}
	if !slices.Contains(action.Values(), action) {
		return types.StepConfig{}, fmt.Errorf("emr: ActionOnFailure %q is not one of %v", action, action.Values())
	}
	return types.StepConfig{
		Name:            aws.String(s.Name),
		ActionOnFailure: action,
		HadoopJarStep:   &types.HadoopJarStepConfig{Jar: aws.String(commandRunnerJar), Args: args},
	}, nil
}

// Start adds the steps to the cluster in one AddJobFlowSteps call and returns their step IDs
// (s-...), in order, without waiting for them; Wait and Cancel take them. Every step is validated before anything is
// sent; when a step's ActionOnFailure is CANCEL_AND_WAIT or TERMINATE_CLUSTER (or
// TERMINATE_JOB_FLOW), Start first reads the cluster's StepConcurrencyLevel with
// DescribeCluster and refuses the steps when it is above 1, as EMR would (StepConfig,
// ActionOnFailure). A cluster that requires a runtime role and got none returns an error that
// wraps ErrRuntimeRoleRequired and the service's ValidationException.
//
// AddJobFlowSteps has no idempotency token, so Start makes its own retries safe: it sends
// each attempt with the SDK's retries turned off and, before retrying after an error that may
// have followed the write (a server error, a lost connection), lists the cluster's newest
// steps; steps created since the first attempt whose names, jars and arguments match the
// submission in order are taken as this submission's and not added again. Throttling is
// retried at once. See Options.Retry.
func (r *StepRunner) Start(ctx context.Context, in StepsInput, optFns ...func(*Options)) ([]string, error) {
	o := r.options(optFns)
	var errs []error
	if in.ClusterID == "" {
		errs = append(errs, errMissing("StepsInput.ClusterID"))
	}
	switch n := len(in.Steps); {
	case n == 0:
		errs = append(errs, errMissing("StepsInput.Steps"))
	case n > maxStepsPerCall:
		errs = append(errs, fmt.Errorf("emr: StepsInput.Steps has %d steps, over the limit of %d", n, maxStepsPerCall))
	}
	if in.ExecutionRoleArn != "" {
		if err := checkRoleARN("StepsInput.ExecutionRoleArn", in.ExecutionRoleArn); err != nil {
			errs = append(errs, err)
		}
	}
	configs := make([]types.StepConfig, 0, len(in.Steps))
	for i, s := range in.Steps {
		c, err := s.config()
		if err != nil {
			errs = append(errs, inField(fmt.Sprintf("StepsInput.Steps[%d]", i), err))
			continue
		}
		configs = append(configs, c)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := r.checkConcurrency(ctx, in.ClusterID, configs, o); err != nil {
		return nil, err
	}
	params := &awsemr.AddJobFlowStepsInput{JobFlowId: aws.String(in.ClusterID), Steps: configs}
	if in.ExecutionRoleArn != "" {
		params.ExecutionRoleArn = aws.String(in.ExecutionRoleArn)
	}
	ids, err := r.addSteps(ctx, params, o)
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && strings.Contains(ae.ErrorMessage(), runtimeRolesRequired) {
			return nil, fmt.Errorf("%w: cluster %s: %w", ErrRuntimeRoleRequired, in.ClusterID, err)
		}
		return nil, fmt.Errorf("emr: adding %d steps to cluster %s: %w", len(configs), in.ClusterID, err)
	}
	if len(ids) != len(configs) {
		return nil, fmt.Errorf("emr: AddJobFlowSteps on cluster %s returned %d step IDs for %d steps", in.ClusterID, len(ids), len(configs))
	}
	if o.Logger != nil {
		o.Logger.Info("emr: steps added", "cluster", in.ClusterID, "steps", ids)
	}
	return ids, nil
}

// Run adds the steps (Start) and waits for them to end (Wait), returning their final states
// in order and, when any did not complete, a *StepsError.
func (r *StepRunner) Run(ctx context.Context, in StepsInput, optFns ...func(*Options)) ([]string, error) {
	ids, err := r.Start(ctx, in, optFns...)
	if err != nil {
		return nil, err
	}
	return r.Wait(ctx, in.ClusterID, ids, optFns...)
}

// checkConcurrency refuses CANCEL_AND_WAIT and TERMINATE_CLUSTER (and its legacy name
// TERMINATE_JOB_FLOW) on a cluster whose StepConcurrencyLevel is above 1. It reads the cluster
// only when a step asks for one of them.
func (r *StepRunner) checkConcurrency(ctx context.Context, clusterID string, configs []types.StepConfig, o Options) error {
	var first = -1
	for i, c := range configs {
		if exclusiveAction(c.ActionOnFailure) {
			first = i
			break
		}
	}
	if first < 0 {
		return nil
	}
	out, err := r.client.DescribeCluster(ctx, &awsemr.DescribeClusterInput{ClusterId: aws.String(clusterID)}, o.EMRClientOptions...)
	if err != nil {
		return fmt.Errorf("emr: describing cluster %s for its step concurrency: %w", clusterID, err)
	}
	level := int32(1)
	if out.Cluster != nil && out.Cluster.StepConcurrencyLevel != nil {
		level = *out.Cluster.StepConcurrencyLevel
	}
	if level <= 1 {
		return nil
	}
	var errs []error
	for i, c := range configs {
		if exclusiveAction(c.ActionOnFailure) {
			errs = append(errs, fmt.Errorf("emr: StepsInput.Steps[%d].ActionOnFailure %s is not allowed on cluster %s, whose StepConcurrencyLevel is %d: EMR refuses CANCEL_AND_WAIT and TERMINATE_CLUSTER there; use CONTINUE", i, c.ActionOnFailure, clusterID, level))
		}
	}
	return errors.Join(errs...)
}

func exclusiveAction(a types.ActionOnFailure) bool {
	switch a {
	case types.ActionOnFailureCancelAndWait, types.ActionOnFailureTerminateCluster, types.ActionOnFailureTerminateJobFlow:
		return true
	}
	return false
}

// submitSkew is how far before its first attempt a submission looks for steps it may have
// added already: room for the difference between this machine's clock and EMR's.
const submitSkew = 5 * time.Minute

// sdkRetries is the SDK's own retry rule, which also covers lost connections.
var sdkRetries = retry.IsErrorRetryables(retry.DefaultRetryables)

// addSteps calls AddJobFlowSteps until it answers, without adding the steps twice (see Start).
func (r *StepRunner) addSteps(ctx context.Context, params *awsemr.AddJobFlowStepsInput, o Options) ([]string, error) {
	ro := retryOptions("EMR AddJobFlowSteps on cluster "+aws.ToString(params.JobFlowId), o.Retry, o.Wait, r.client, o.Logger)
	ro.Retryable = func(err error) bool {
		return isTransient(err) || ctx.Err() == nil && sdkRetries.IsErrorRetryable(err) == aws.TrueTernary
	}
	clientOpts := append(slices.Clip(o.EMRClientOptions), func(o *awsemr.Options) { o.RetryMaxAttempts = 1 })
	since := ro.Clock.Now().Add(-submitSkew)
	var ids []string
	var last error
	err := poll.Wait(ctx, ro, func(ctx context.Context) (string, bool, error) {
		if last != nil && mayHaveWritten(last) {
			found, err := r.findAdded(ctx, params, since, o)
			if err != nil {
				return "", false, err
			}
			if found != nil {
				ids = found
				return "found", true, nil
			}
		}
		out, err := r.client.AddJobFlowSteps(ctx, params, clientOpts...)
		if err != nil {
			last = err
			return "", false, err
		}
		ids = out.StepIds
		return "added", true, nil
	})
	return ids, err
}

// mayHaveWritten reports whether a failed AddJobFlowSteps may still have added the steps:
// anything but an error the service answered as the client's fault (a validation error,
// throttling).
func mayHaveWritten(err error) bool {
	var ae smithy.APIError
	return !errors.As(err, &ae) || ae.ErrorFault() != smithy.FaultClient
}

// findAdded looks among the cluster's steps created since since (newest first, as ListSteps
// lists them unfiltered) for the steps of params, in order, and returns their IDs, or nil.
func (r *StepRunner) findAdded(ctx context.Context, params *awsemr.AddJobFlowStepsInput, since time.Time, o Options) ([]string, error) {
	var recent []types.StepSummary // newest first
	p := awsemr.NewListStepsPaginator(r.client, &awsemr.ListStepsInput{ClusterId: params.JobFlowId})
pages:
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.EMRClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("listing the cluster's steps to find a submission that may have been added: %w", err)
		}
		for _, s := range page.Steps {
			if s.Status == nil || s.Status.Timeline == nil || aws.ToTime(s.Status.Timeline.CreationDateTime).Before(since) {
				break pages
			}
			recent = append(recent, s)
		}
	}
	slices.Reverse(recent)
	n := len(params.Steps)
	for i := len(recent) - n; i >= 0; i-- { // the latest match
		if slices.EqualFunc(recent[i:i+n], params.Steps, sameStep) {
			ids := make([]string, n)
			for j, s := range recent[i : i+n] {
				ids[j] = aws.ToString(s.Id)
			}
			return ids, nil
		}
	}
	return nil, nil
}

// sameStep reports whether a listed step is the step config: same name, jar, main class and
// arguments.
func sameStep(s types.StepSummary, c types.StepConfig) bool {
	if aws.ToString(s.Name) != aws.ToString(c.Name) || s.Config == nil || c.HadoopJarStep == nil {
		return false
	}
	h := c.HadoopJarStep
	return aws.ToString(s.Config.Jar) == aws.ToString(h.Jar) && aws.ToString(s.Config.MainClass) == aws.ToString(h.MainClass) &&
		slices.Equal(s.Config.Args, h.Args)
}

// checkRoleARN checks that s is an IAM role ARN in a known partition.
func checkRoleARN(field, s string) error {
	a, err := datablocks.ParseARN(s)
	if err != nil {
		return fmt.Errorf("emr: %s: %s", field, strings.TrimPrefix(err.Error(), "datablocks: "))
	}
	if a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return fmt.Errorf("emr: %s %q is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)", field, s)
	}
	return nil
}

// Wait waits for every step (on one cluster) to end and returns the final states aligned with
// stepIDs and, when any step did not complete, a *StepsError whose Errors hold *JobFailedError
// values. Cancelling ctx stops the wait, not the steps.
//
// Each round of the wait costs few ListSteps calls. Up to 10 steps still
// running are read with one call filtered by their IDs. More are followed with a listing
// filtered by the active states (PENDING, RUNNING, CANCEL_PENDING), 50 steps a page, plus
// calls by ID (ten at a time) for the steps that left it: a round over P steps not yet ended
// costs at most ceil(P/50)+1 calls when the cluster runs no other steps (each other active
// step adds to the pages). Steps that ended beyond that budget are read in the next round.
func (r *StepRunner) Wait(ctx context.Context, clusterID string, stepIDs []string, optFns ...func(*Options)) ([]string, error) {
	o := r.options(optFns)
	if clusterID == "" {
		return nil, errMissing("cluster ID")
	}
	if len(stepIDs) == 0 {
		return nil, errMissing("step IDs")
	}
	w := &stepWait{r: r, o: o, clusterID: clusterID, states: make([]string, len(stepIDs)), failures: make([]error, len(stepIDs)), index: map[string][]int{}}
	for i, id := range stepIDs {
		if id == "" {
			return nil, fmt.Errorf("emr: step ID %d is empty", i)
		}
		w.index[id] = append(w.index[id], i)
	}
	// pending keeps submission order: step IDs sort as they were created only by chance.
	for _, id := range stepIDs {
		if len(w.index[id]) > 0 && !slices.Contains(w.pending, id) {
			w.pending = append(w.pending, id)
		}
	}
	what := fmt.Sprintf("EMR steps on cluster %s", clusterID)
	if len(w.pending) == 1 {
		what = fmt.Sprintf("EMR step %s on cluster %s", w.pending[0], clusterID)
	}
	w.tr = newTracker(what, o.Wait, r.client, o.Logger)
	po := pollOptions(what, "", o.Wait, r.client, o.Logger)
	po.OnProgress = nil // the tracker reports each step's changes
	if err := waitFor(ctx, po, w.round); err != nil {
		return w.states, err
	}
	if slices.ContainsFunc(w.failures, func(e error) bool { return e != nil }) {
		return w.states, &StepsError{Errors: w.failures, clusterID: clusterID}
	}
	return w.states, nil
}

// stepWait is the state of one StepRunner.Wait.
type stepWait struct {
	r         *StepRunner
	o         Options
	clusterID string
	tr        *tracker
	index     map[string][]int // step ID -> positions in the caller's list
	pending   []string         // steps not known to have ended, in submission order
	states    []string
	failures  []error
	logURI    *string // cluster log URI, fetched once on the first failure
}

// activeStates are the states of a step that has not ended.
var activeStates = []types.StepState{types.StepStatePending, types.StepStateRunning, types.StepStateCancelPending}

// round reads the pending steps once (see Wait for its cost).
func (w *stepWait) round(ctx context.Context) (string, bool, error) {
	w.tr.check()
	ended := map[string]bool{}
	if len(w.pending) <= maxStepIDsPerList {
		if err := w.byIDs(ctx, w.pending, ended); err != nil {
			return "", false, err
		}
	} else {
		budget := (len(w.pending)+stepsPerPage-1)/stepsPerPage + 1
		active := map[string]bool{}
		calls := 0
		p := awsemr.NewListStepsPaginator(w.r.client, &awsemr.ListStepsInput{ClusterId: aws.String(w.clusterID), StepStates: activeStates})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx, w.o.EMRClientOptions...)
			calls++
			if err != nil {
				return "", false, fmt.Errorf("emr: listing active steps of cluster %s: %w", w.clusterID, err)
			}
			for _, s := range page.Steps {
				if id := aws.ToString(s.Id); w.index[id] != nil && s.Status != nil {
					active[id] = true
					w.observe(ctx, s)
				}
			}
		}
		var gone []string
		for _, id := range w.pending {
			if !active[id] {
				gone = append(gone, id)
			}
		}
		for batches := max(1, budget-calls); batches > 0 && len(gone) > 0; batches-- {
			n := min(len(gone), maxStepIDsPerList)
			if err := w.byIDs(ctx, gone[:n], ended); err != nil {
				return "", false, err
			}
			gone = gone[n:]
		}
	}
	w.pending = slices.DeleteFunc(w.pending, func(id string) bool { return ended[id] })
	return summarize(w.states), len(w.pending) == 0, nil
}

// byIDs reads steps by ID, at most maxStepIDsPerList, marking in ended those that ended.
func (w *stepWait) byIDs(ctx context.Context, ids []string, ended map[string]bool) error {
	seen := map[string]bool{}
	p := awsemr.NewListStepsPaginator(w.r.client, &awsemr.ListStepsInput{ClusterId: aws.String(w.clusterID), StepIds: ids})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, w.o.EMRClientOptions...)
		if err != nil {
			return fmt.Errorf("emr: listing steps of cluster %s: %w", w.clusterID, err)
		}
		for _, s := range page.Steps {
			id := aws.ToString(s.Id)
			if !slices.Contains(ids, id) || seen[id] || s.Status == nil {
				continue
			}
			seen[id] = true
			if w.observe(ctx, s) {
				ended[id] = true
			}
		}
	}
	for _, id := range ids {
		if !seen[id] {
			return fmt.Errorf("emr: step %s not found on cluster %s", id, w.clusterID)
		}
	}
	return nil
}

// observe records a listed step's state and reports whether it ended.
func (w *stepWait) observe(ctx context.Context, s types.StepSummary) bool {
	id := aws.ToString(s.Id)
	state := string(s.Status.State)
	w.tr.observe(id, state)
	for _, i := range w.index[id] {
		w.states[i] = state
	}
	switch s.Status.State {
	case types.StepStateCompleted:
		return true
	case types.StepStateFailed, types.StepStateCancelled, types.StepStateInterrupted:
		if w.logURI == nil {
			w.logURI = aws.String(w.r.clusterLogURI(ctx, w.clusterID, w.o))
		}
		fe := stepFailure(w.clusterID, s, *w.logURI)
		for _, i := range w.index[id] {
			w.failures[i] = fe
		}
		return true
	}
	return false
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
func (r *StepRunner) clusterLogURI(ctx context.Context, clusterID string, o Options) string {
	out, err := r.client.DescribeCluster(ctx, &awsemr.DescribeClusterInput{ClusterId: aws.String(clusterID)}, o.EMRClientOptions...)
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
		e.LogURI = logPrefix(logURI, clusterID, "steps", id) + "stderr.gz"
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
func (r *StepRunner) Cancel(ctx context.Context, clusterID string, stepIDs []string, optFns ...func(*Options)) error {
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
	}, o.EMRClientOptions...)
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
