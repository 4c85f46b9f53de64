package emrtest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

var _ emr.StepRunnerAPIClient = (*EMR)(nil)
var _ awsemr.DescribeStepAPIClient = (*EMR)(nil)

// Messages the EMR fake returns, as EMR words them.
const (
	// MsgRuntimeRolesRequired is EMR's message for steps without ExecutionRoleArn on a
	// runtime-role cluster.
	MsgRuntimeRolesRequired = "Runtime roles are required for this cluster. Please specify the role using the ExecutionRoleArn parameter."
	msgClusterNotModifiable = "A job flow that is shutting down, terminated, or finished may not be modified."
	msgTooManyActiveSteps   = "Maximum number of active steps(State = 'Running', 'Pending' or 'Cancel_Pending') for cluster exceeded."
)

// EMROptions configures an EMR fake.
type EMROptions struct {
	// Clock is the fake's time: step timelines and Outcome.After. Nil means the system clock;
	// pass the Clock the code under test sleeps on.
	Clock datablocks.Clock
	// PageSize is the number of steps per ListSteps page. Zero means DefaultPageSize (3).
	PageSize int
	// DefaultOutcome applies to steps without a scripted outcome. The zero value completes
	// after two polls (PENDING, RUNNING).
	DefaultOutcome Outcome
	// Region and AccountID appear in cluster ARNs. Zero means DefaultRegion and
	// DefaultAccountID.
	Region, AccountID string
}

// ClusterConfig seeds a cluster of the EMR fake.
type ClusterConfig struct {
	// ID is the cluster ID. Empty means a generated j-... ID.
	ID string
	// Name is the cluster name.
	Name string
	// State is the initial state. Zero means WAITING.
	State types.ClusterState
	// StepConcurrencyLevel is how many steps run at once. Zero means 1.
	StepConcurrencyLevel int
	// LogURI is the cluster's log URI, such as s3://logs/emr/.
	LogURI string
	// RuntimeRoles marks a cluster whose security configuration enables runtime roles: steps
	// must come with ExecutionRoleArn, and without runtime roles they must not.
	RuntimeRoles bool
	// SecurityConfiguration names the security configuration.
	SecurityConfiguration string
}

// EMR is a fake of the EMR on EC2 control plane's step API (the operations of
// emr.StepRunnerAPIClient, plus DescribeStep): clusters with step queues. It is safe for
// concurrent use.
type EMR struct {
	*fakecontrol.Controls

	opts     EMROptions
	clock    datablocks.Clock
	mu       sync.Mutex
	clusters map[string]*cluster
	scripts  []Outcome
	next     int
}

type cluster struct {
	cfg    ClusterConfig
	state  types.ClusterState
	reason *types.ClusterStateChangeReason
	steps  []*fakeStep
	create time.Time
}

type fakeStep struct {
	id      string
	config  types.StepConfig
	roleArn string
	state   types.StepState
	active  bool
	prog    progress
	failure *types.FailureDetails
	created time.Time
	started time.Time
	ended   time.Time
	// cancelSeen records that a poll has seen CANCEL_PENDING; the next one sees CANCELLED.
	cancelSeen bool
}

// NewEMR returns an EMR fake without clusters; add them with AddCluster.
func NewEMR(optFns ...func(*EMROptions)) *EMR {
	var o EMROptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.AccountID == "" {
		o.AccountID = DefaultAccountID
	}
	return &EMR{Controls: fakecontrol.New(nil), opts: o, clock: clockOr(o.Clock), clusters: map[string]*cluster{}}
}

// AddCluster adds a cluster and returns its ID.
func (f *EMR) AddCluster(c ClusterConfig) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	if c.ID == "" {
		c.ID = fmt.Sprintf("j-%013d", f.next)
	}
	if c.State == "" {
		c.State = types.ClusterStateWaiting
	}
	if c.StepConcurrencyLevel <= 0 {
		c.StepConcurrencyLevel = 1
	}
	f.clusters[c.ID] = &cluster{cfg: c, state: c.State, create: f.clock.Now()}
	return c.ID
}

// ScriptNext queues outcomes for the next steps added, in order, on any cluster.
func (f *EMR) ScriptNext(outcomes ...Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, outcomes...)
}

// Script sets the outcome of an existing step that has not ended.
func (f *EMR) Script(clusterID, stepID string, o Outcome) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.step(clusterID, stepID)
	if err != nil {
		return err
	}
	if isStepTerminal(s.state) {
		return fmt.Errorf("emrtest: step %s already ended %s", stepID, s.state)
	}
	s.prog.outcome = o
	return nil
}

// TerminateCluster moves a cluster to TERMINATED (USER_REQUEST), cancelling its steps that
// have not ended.
func (f *EMR) TerminateCluster(clusterID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.clusters[clusterID]
	if !ok {
		return fmt.Errorf("emrtest: no cluster %s", clusterID)
	}
	f.cancelRemaining(c, true)
	c.state = types.ClusterStateTerminated
	c.reason = &types.ClusterStateChangeReason{Code: types.ClusterStateChangeReasonCodeUserRequest, Message: aws.String("Terminated by user request")}
	return nil
}

// SetClusterState forces a cluster's state, as when a STARTING cluster finishes
// bootstrapping (WAITING) or the service terminates it. Steps run only while the cluster is
// WAITING or RUNNING.
func (f *EMR) SetClusterState(clusterID string, state types.ClusterState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.clusters[clusterID]
	if !ok {
		return fmt.Errorf("emrtest: no cluster %s", clusterID)
	}
	c.state = state
	f.schedule(c)
	return nil
}

// StepState returns a step's current state without counting a poll.
func (f *EMR) StepState(clusterID, stepID string) (types.StepState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.step(clusterID, stepID)
	if err != nil {
		return "", err
	}
	return s.state, nil
}

// ClusterState returns a cluster's current state.
func (f *EMR) ClusterState(clusterID string) (types.ClusterState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.clusters[clusterID]
	if !ok {
		return "", fmt.Errorf("emrtest: no cluster %s", clusterID)
	}
	return c.state, nil
}

func (f *EMR) step(clusterID, stepID string) (*fakeStep, error) {
	c, ok := f.clusters[clusterID]
	if !ok {
		return nil, fmt.Errorf("emrtest: no cluster %s", clusterID)
	}
	for _, s := range c.steps {
		if s.id == stepID {
			return s, nil
		}
	}
	return nil, fmt.Errorf("emrtest: no step %s on cluster %s", stepID, clusterID)
}

func invalidRequest(msg string) error {
	return &types.InvalidRequestException{Message: aws.String(msg)}
}

func (f *EMR) lookup(id *string) (*cluster, error) {
	if aws.ToString(id) == "" {
		return nil, validationError("1 validation error detected: Value null at 'clusterId' failed to satisfy constraint: Member must not be null")
	}
	c, ok := f.clusters[*id]
	if !ok {
		return nil, invalidRequest(fmt.Sprintf("Cluster id '%s' is not valid.", *id))
	}
	return c, nil
}

func isStepTerminal(s types.StepState) bool {
	switch s {
	case types.StepStateCompleted, types.StepStateFailed, types.StepStateCancelled, types.StepStateInterrupted:
		return true
	}
	return false
}

func isClusterDone(s types.ClusterState) bool {
	switch s {
	case types.ClusterStateTerminating, types.ClusterStateTerminated, types.ClusterStateTerminatedWithErrors:
		return true
	}
	return false
}

// AddJobFlowSteps adds steps to a cluster's queue.
func (f *EMR) AddJobFlowSteps(ctx context.Context, in *awsemr.AddJobFlowStepsInput, _ ...func(*awsemr.Options)) (*awsemr.AddJobFlowStepsOutput, error) {
	return do(ctx, f.Controls, "AddJobFlowSteps", in, f.addJobFlowSteps)
}

func (f *EMR) addJobFlowSteps(in *awsemr.AddJobFlowStepsInput) (*awsemr.AddJobFlowStepsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.lookup(in.JobFlowId)
	if err != nil {
		return nil, err
	}
	if len(in.Steps) == 0 {
		return nil, validationError("1 validation error detected: Value null at 'steps' failed to satisfy constraint: Member must not be null")
	}
	if isClusterDone(c.state) {
		return nil, validationError(msgClusterNotModifiable)
	}
	role := aws.ToString(in.ExecutionRoleArn)
	switch {
	case c.cfg.RuntimeRoles && role == "":
		return nil, validationError(MsgRuntimeRolesRequired)
	case !c.cfg.RuntimeRoles && role != "":
		return nil, validationError("Runtime roles are not supported for this cluster: its security configuration does not enable them.")
	}
	active := 0
	for _, s := range c.steps {
		if !isStepTerminal(s.state) {
			active++
		}
	}
	if active+len(in.Steps) > emr.MaxStepsPerCall {
		return nil, validationError(msgTooManyActiveSteps)
	}
	for i, sc := range in.Steps {
		if aws.ToString(sc.Name) == "" {
			return nil, validationError(fmt.Sprintf("1 validation error detected: Value null at 'steps.%d.member.name' failed to satisfy constraint: Member must not be null", i+1))
		}
		if sc.HadoopJarStep == nil || aws.ToString(sc.HadoopJarStep.Jar) == "" {
			return nil, validationError(fmt.Sprintf("1 validation error detected: Value null at 'steps.%d.member.hadoopJarStep.jar' failed to satisfy constraint: Member must not be null", i+1))
		}
		if sc.ActionOnFailure != "" && !slices.Contains(sc.ActionOnFailure.Values(), sc.ActionOnFailure) {
			return nil, validationError(fmt.Sprintf("Value '%s' at 'steps.%d.member.actionOnFailure' failed to satisfy constraint: Member must satisfy enum value set: %v", sc.ActionOnFailure, i+1, sc.ActionOnFailure.Values()))
		}
		if n := jarStepLength(sc.HadoopJarStep); n > emr.MaxStepArgsLength {
			return nil, validationError(fmt.Sprintf("The total length of the strings in HadoopJarStep of step %d is %d, which exceeds the limit of %d characters.", i+1, n, emr.MaxStepArgsLength))
		}
	}
	now := f.clock.Now()
	ids := make([]string, len(in.Steps))
	for i, sc := range in.Steps {
		f.next++
		s := &fakeStep{id: fmt.Sprintf("s-%013d", f.next), config: sc, roleArn: role, state: types.StepStatePending, created: now}
		if s.config.ActionOnFailure == "" {
			s.config.ActionOnFailure = types.ActionOnFailureTerminateCluster // EMR's default
		}
		s.prog.outcome = f.opts.DefaultOutcome
		if len(f.scripts) > 0 {
			s.prog.outcome, f.scripts = f.scripts[0], f.scripts[1:]
		}
		c.steps = append(c.steps, s)
		ids[i] = s.id
	}
	f.schedule(c)
	return &awsemr.AddJobFlowStepsOutput{StepIds: ids}, nil
}

func jarStepLength(h *types.HadoopJarStepConfig) int {
	n := utf8.RuneCountInString(aws.ToString(h.Jar)) + utf8.RuneCountInString(aws.ToString(h.MainClass))
	for _, a := range h.Args {
		n += utf8.RuneCountInString(a)
	}
	for _, kv := range h.Properties {
		n += utf8.RuneCountInString(aws.ToString(kv.Key)) + utf8.RuneCountInString(aws.ToString(kv.Value))
	}
	return n
}

// schedule activates queued steps while the cluster has free slots, and sets the cluster
// RUNNING or WAITING accordingly.
func (f *EMR) schedule(c *cluster) {
	if isClusterDone(c.state) || c.state == types.ClusterStateStarting || c.state == types.ClusterStateBootstrapping {
		return
	}
	now := f.clock.Now()
	running := 0
	for _, s := range c.steps {
		if s.active && !isStepTerminal(s.state) {
			running++
		}
	}
	for _, s := range c.steps {
		if running >= c.cfg.StepConcurrencyLevel {
			break
		}
		if !s.active && !isStepTerminal(s.state) {
			s.active, s.prog.activeAt = true, now
			running++
		}
	}
	if running > 0 {
		c.state = types.ClusterStateRunning
	} else {
		c.state = types.ClusterStateWaiting
	}
}

var stepIntermediate = []string{string(types.StepStatePending), string(types.StepStateRunning)}

// read counts a poll of s and moves it along its script.
func (f *EMR) read(c *cluster, s *fakeStep) {
	f.schedule(c)
	if isStepTerminal(s.state) || !s.active {
		return
	}
	now := f.clock.Now()
	if s.state == types.StepStateCancelPending {
		if s.cancelSeen {
			f.end(c, s, types.StepStateCancelled, nil, now)
		}
		s.cancelSeen = true
		return
	}
	state, done := s.prog.next(now, stepIntermediate)
	if !done {
		if types.StepState(state) == types.StepStateRunning && s.started.IsZero() {
			s.started = now
		}
		s.state = types.StepState(state)
		return
	}
	o := s.prog.outcome
	final := types.StepState(o.State)
	if final == "" {
		final = types.StepStateCompleted
	}
	var fd *types.FailureDetails
	if final != types.StepStateCompleted && (o.Reason != "" || o.Message != "" || o.LogFile != "" || c.cfg.LogURI != "") {
		fd = &types.FailureDetails{}
		if o.Reason != "" {
			fd.Reason = aws.String(o.Reason)
		}
		if o.Message != "" {
			fd.Message = aws.String(o.Message)
		}
		switch {
		case o.LogFile != "":
			fd.LogFile = aws.String(o.LogFile)
		case c.cfg.LogURI != "":
			fd.LogFile = aws.String(strings.TrimSuffix(c.cfg.LogURI, "/") + "/" + c.cfg.ID + "/steps/" + s.id + "/stderr.gz")
		}
	}
	f.end(c, s, final, fd, now)
}

// end finishes a step and applies its ActionOnFailure when it failed.
func (f *EMR) end(c *cluster, s *fakeStep, state types.StepState, fd *types.FailureDetails, now time.Time) {
	s.state, s.failure, s.ended = state, fd, now
	if s.started.IsZero() && s.active {
		s.started = now
	}
	if state == types.StepStateFailed {
		switch s.config.ActionOnFailure {
		case types.ActionOnFailureCancelAndWait:
			f.cancelRemaining(c, false)
		case types.ActionOnFailureTerminateCluster, types.ActionOnFailureTerminateJobFlow:
			f.cancelRemaining(c, true)
			c.state = types.ClusterStateTerminatedWithErrors
			c.reason = &types.ClusterStateChangeReason{Code: types.ClusterStateChangeReasonCodeStepFailure, Message: aws.String("Shut down as step failed")}
			return
		}
	}
	f.schedule(c)
}

// cancelRemaining cancels the steps that have not started (and, with running, those running).
func (f *EMR) cancelRemaining(c *cluster, running bool) {
	now := f.clock.Now()
	for _, s := range c.steps {
		if isStepTerminal(s.state) || (s.active && !running) {
			continue
		}
		s.state, s.ended = types.StepStateCancelled, now
	}
}

func (f *EMR) summary(s *fakeStep) types.StepSummary {
	st := &types.StepStatus{State: s.state, Timeline: &types.StepTimeline{CreationDateTime: aws.Time(s.created)}, FailureDetails: s.failure}
	if !s.started.IsZero() {
		st.Timeline.StartDateTime = aws.Time(s.started)
	}
	if !s.ended.IsZero() {
		st.Timeline.EndDateTime = aws.Time(s.ended)
	}
	st.StateChangeReason = &types.StepStateChangeReason{}
	return types.StepSummary{
		Id:              aws.String(s.id),
		Name:            s.config.Name,
		ActionOnFailure: s.config.ActionOnFailure,
		Config:          hadoopConfig(s.config.HadoopJarStep),
		Status:          st,
	}
}

func hadoopConfig(h *types.HadoopJarStepConfig) *types.HadoopStepConfig {
	out := &types.HadoopStepConfig{Jar: h.Jar, MainClass: h.MainClass, Args: slices.Clone(h.Args), Properties: map[string]string{}}
	for _, kv := range h.Properties {
		out.Properties[aws.ToString(kv.Key)] = aws.ToString(kv.Value)
	}
	return out
}

// ListSteps lists a cluster's steps, newest first, filtered by StepIds (at most 10) and
// StepStates, a page of PageSize at a time. Every step returned counts a poll.
func (f *EMR) ListSteps(ctx context.Context, in *awsemr.ListStepsInput, _ ...func(*awsemr.Options)) (*awsemr.ListStepsOutput, error) {
	return do(ctx, f.Controls, "ListSteps", in, f.listSteps)
}

func (f *EMR) listSteps(in *awsemr.ListStepsInput) (*awsemr.ListStepsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.lookup(in.ClusterId)
	if err != nil {
		return nil, err
	}
	if len(in.StepIds) > emr.MaxStepIDsPerList {
		return nil, validationError(fmt.Sprintf("1 validation error detected: Value at 'stepIds' failed to satisfy constraint: Member must have length less than or equal to %d", emr.MaxStepIDsPerList))
	}
	offset := 0
	if m := aws.ToString(in.Marker); m != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(m, "marker-"))
		if err != nil || n < 0 || !strings.HasPrefix(m, "marker-") {
			return nil, invalidRequest("Marker '" + m + "' is not valid.")
		}
		offset = n
	}
	var match []*fakeStep
	for i := len(c.steps) - 1; i >= 0; i-- {
		s := c.steps[i]
		if len(in.StepIds) > 0 && !slices.Contains(in.StepIds, s.id) {
			continue
		}
		if len(in.StepStates) > 0 && !slices.Contains(in.StepStates, s.state) {
			continue
		}
		match = append(match, s)
	}
	out := &awsemr.ListStepsOutput{}
	if end := offset + f.opts.PageSize; end < len(match) {
		match = match[:end]
		out.Marker = aws.String("marker-" + strconv.Itoa(end))
	}
	for _, s := range match[min(offset, len(match)):] {
		f.read(c, s)
		out.Steps = append(out.Steps, f.summary(s))
	}
	return out, nil
}

// DescribeStep returns one step, counting a poll.
func (f *EMR) DescribeStep(ctx context.Context, in *awsemr.DescribeStepInput, _ ...func(*awsemr.Options)) (*awsemr.DescribeStepOutput, error) {
	return do(ctx, f.Controls, "DescribeStep", in, f.describeStep)
}

func (f *EMR) describeStep(in *awsemr.DescribeStepInput) (*awsemr.DescribeStepOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.lookup(in.ClusterId)
	if err != nil {
		return nil, err
	}
	for _, s := range c.steps {
		if s.id == aws.ToString(in.StepId) {
			f.read(c, s)
			sum := f.summary(s)
			step := &types.Step{Id: sum.Id, Name: sum.Name, ActionOnFailure: sum.ActionOnFailure, Config: sum.Config, Status: sum.Status}
			if s.roleArn != "" {
				step.ExecutionRoleArn = aws.String(s.roleArn)
			}
			return &awsemr.DescribeStepOutput{Step: step}, nil
		}
	}
	return nil, invalidRequest(fmt.Sprintf("Step id '%s' is not valid.", aws.ToString(in.StepId)))
}

// CancelSteps cancels steps: a step still queued is CANCELLED at once, a running one goes to
// CANCEL_PENDING, seen by one poll, and is CANCELLED at the poll after, and one that ended is refused (FAILED in
// the CancelStepsInfoList).
func (f *EMR) CancelSteps(ctx context.Context, in *awsemr.CancelStepsInput, _ ...func(*awsemr.Options)) (*awsemr.CancelStepsOutput, error) {
	return do(ctx, f.Controls, "CancelSteps", in, f.cancelSteps)
}

func (f *EMR) cancelSteps(in *awsemr.CancelStepsInput) (*awsemr.CancelStepsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.lookup(in.ClusterId)
	if err != nil {
		return nil, err
	}
	if len(in.StepIds) == 0 {
		return nil, validationError("1 validation error detected: Value null at 'stepIds' failed to satisfy constraint: Member must not be null")
	}
	out := &awsemr.CancelStepsOutput{}
	now := f.clock.Now()
	for _, id := range in.StepIds {
		info := types.CancelStepsInfo{StepId: aws.String(id), Status: types.CancelStepsRequestStatusSubmitted}
		s, err := f.step(c.cfg.ID, id)
		switch {
		case err != nil:
			info.Status, info.Reason = types.CancelStepsRequestStatusFailed, aws.String("Step id '"+id+"' is not valid.")
		case isStepTerminal(s.state):
			info.Status, info.Reason = types.CancelStepsRequestStatusFailed, aws.String("Step is in "+string(s.state)+" state and cannot be cancelled.")
		case s.active:
			s.state = types.StepStateCancelPending
		default:
			s.state, s.ended = types.StepStateCancelled, now
		}
		out.CancelStepsInfoList = append(out.CancelStepsInfoList, info)
	}
	f.schedule(c)
	return out, nil
}

// DescribeCluster returns a cluster's ID, name, state, log URI, step concurrency level and
// security configuration.
func (f *EMR) DescribeCluster(ctx context.Context, in *awsemr.DescribeClusterInput, _ ...func(*awsemr.Options)) (*awsemr.DescribeClusterOutput, error) {
	return do(ctx, f.Controls, "DescribeCluster", in, f.describeCluster)
}

func (f *EMR) describeCluster(in *awsemr.DescribeClusterInput) (*awsemr.DescribeClusterOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.lookup(in.ClusterId)
	if err != nil {
		return nil, err
	}
	f.schedule(c)
	p := datablocks.PartitionForRegion(f.opts.Region)
	out := &types.Cluster{
		Id:                   aws.String(c.cfg.ID),
		Name:                 aws.String(c.cfg.Name),
		ClusterArn:           aws.String(p.ARN("elasticmapreduce", f.opts.Region, f.opts.AccountID, "cluster/"+c.cfg.ID)),
		StepConcurrencyLevel: aws.Int32(int32(c.cfg.StepConcurrencyLevel)),
		Status:               &types.ClusterStatus{State: c.state, StateChangeReason: c.reason, Timeline: &types.ClusterTimeline{CreationDateTime: aws.Time(c.create)}},
	}
	if c.cfg.LogURI != "" {
		out.LogUri = aws.String(c.cfg.LogURI)
	}
	if c.cfg.SecurityConfiguration != "" {
		out.SecurityConfiguration = aws.String(c.cfg.SecurityConfiguration)
	}
	return &awsemr.DescribeClusterOutput{Cluster: out}, nil
}
