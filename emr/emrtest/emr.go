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
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// Operations of the fakes, for Control, FailNext, ThrottleNext and Count. StartJobRun and
// CancelJobRun name the operation of both EMR Serverless and EMR on EKS.
const (
	OpAddJobFlowSteps    = "AddJobFlowSteps"
	OpListSteps          = "ListSteps"
	OpDescribeStep       = "DescribeStep"
	OpCancelSteps        = "CancelSteps"
	OpDescribeCluster    = "DescribeCluster"
	OpStartJobRun        = "StartJobRun"
	OpGetJobRun          = "GetJobRun"
	OpCancelJobRun       = "CancelJobRun"
	OpListJobRunAttempts = "ListJobRunAttempts"
	OpStartApplication   = "StartApplication"
	OpGetApplication     = "GetApplication"
	OpDescribeJobRun     = "DescribeJobRun"
	OpHeadObject         = "HeadObject"
	OpPutObject          = "PutObject"
)

// Limits of the EMR API the fake enforces (EMR API reference and EMR management guide).
const (
	// maxActiveSteps is the most steps a cluster holds PENDING, RUNNING or CANCEL_PENDING.
	maxActiveSteps = 256
	// maxStepIDs is the most StepIds one ListSteps call takes.
	maxStepIDs = 10
	// maxJarStepLength bounds the total length of the strings in one HadoopJarStep.
	maxJarStepLength = 10240
)

// Messages the EMR fake returns, as EMR words them.
const (
	// msgRuntimeRolesRequired is EMR's message for steps without ExecutionRoleArn on a
	// runtime-role cluster.
	msgRuntimeRolesRequired = "Runtime roles are required for this cluster. Please specify the role using the ExecutionRoleArn parameter."
	msgClusterNotModifiable = "A job flow that is shutting down, terminated, or finished may not be modified."
	msgTooManyActiveSteps   = "Maximum number of active steps(State = 'Running', 'Pending' or 'Cancel_Pending') for cluster exceeded."
)

// ClusterConfig seeds a cluster of the EMR fake.
type ClusterConfig struct {
	// ID is the cluster ID. Empty means a generated j-... ID.
	ID string
	// State is the initial state. Zero means WAITING.
	State types.ClusterState
	// StepConcurrencyLevel is how many steps run at once. Zero means 1.
	StepConcurrencyLevel int
	// LogURI is the cluster's log URI, such as s3://logs/emr/.
	LogURI string
	// RuntimeRoles marks a cluster whose security configuration enables runtime roles: steps
	// must come with ExecutionRoleArn, and without runtime roles they must not. DescribeCluster
	// names its security configuration "runtime-roles".
	RuntimeRoles bool
}

// EMR is a fake of the EMR on EC2 control plane's step API: clusters with step queues. It is
// safe for concurrent use.
type EMR struct {
	*fakecontrol.Controls

	opts     Options
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
	steps  []*fakeStep // in submission order
	create time.Time
}

type fakeStep struct {
	id       string
	config   types.StepConfig
	roleArn  string
	state    types.StepState
	life     timeline
	failure  *types.FailureDetails
	created  time.Time
	started  time.Time
	ended    time.Time
	cancelAt time.Time // when a CANCEL_PENDING step becomes CANCELLED
}

// NewEMR returns an EMR fake without clusters; add them with AddCluster.
func NewEMR(optFns ...func(*Options)) *EMR {
	o := newOptions(optFns)
	return &EMR{
		Controls: fakecontrol.New(nil, OpAddJobFlowSteps, OpListSteps, OpDescribeStep, OpCancelSteps, OpDescribeCluster),
		opts:     o, clock: newClock(o.Clock), clusters: map[string]*cluster{},
	}
}

// Clock returns the fake's clock. Helpers that wait on the fake use it when their own
// Wait.Clock is nil, so a test wired with the helper and the fake sleeps no real time.
func (f *EMR) Clock() datablocks.Clock { return f.clock }

// Service describes the fake as the EMR service (awsJson1_1, X-Amz-Target
// ElasticMapReduce.<Op>) for package localaws, so the real *emr.Client reaches it.
func (f *EMR) Service() localaws.Service {
	return localaws.Service{
		SigningName:  "elasticmapreduce",
		Protocol:     localaws.AWSJSON11,
		TargetPrefix: "ElasticMapReduce",
		Naming:       localaws.Pascal,
		Operations: []localaws.Operation{
			localaws.Op(OpAddJobFlowSteps, f.AddJobFlowSteps),
			localaws.Op(OpListSteps, f.ListSteps),
			localaws.Op(OpDescribeStep, f.DescribeStep),
			localaws.Op(OpCancelSteps, f.CancelSteps),
			localaws.Op(OpDescribeCluster, f.DescribeCluster),
		},
	}
}

// AddCluster adds a cluster and returns its ID. DescribeCluster reports the ID as its name.
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

// SetClusterState forces a cluster's state, as when a STARTING cluster finishes
// bootstrapping (WAITING) or the cluster is terminated. Steps run only while the cluster is
// WAITING or RUNNING. TERMINATING, TERMINATED and TERMINATED_WITH_ERRORS cancel the steps
// that have not ended, and TERMINATED gives the cluster the USER_REQUEST state change reason.
func (f *EMR) SetClusterState(clusterID string, state types.ClusterState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.clusters[clusterID]
	if !ok {
		return fmt.Errorf("emrtest: no cluster %s", clusterID)
	}
	now := f.clock.Now()
	f.advance(c, now)
	c.state = state
	if isClusterDone(state) {
		cancelRemaining(c, true, now)
		if state == types.ClusterStateTerminated {
			c.reason = &types.ClusterStateChangeReason{Code: types.ClusterStateChangeReasonCodeUserRequest, Message: aws.String("Terminated by user request")}
		}
	}
	f.schedule(c, now)
	return nil
}

func (c *cluster) find(id string) *fakeStep {
	for _, s := range c.steps {
		if s.id == id {
			return s
		}
	}
	return nil
}

func invalidRequest(msg string) error {
	return &types.InvalidRequestException{Message: aws.String(msg)}
}

// notNull is the service's message for a required member left out.
func notNull(member string) error {
	return validationError("1 validation error detected: Value null at '" + member + "' failed to satisfy constraint: Member must not be null")
}

// tooLong is the service's message for a string over its length limit.
func tooLong(member string, limit int) error {
	return validationError(fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, limit))
}

func (f *EMR) lookup(id *string) (*cluster, error) {
	if id == nil {
		return nil, notNull("clusterId")
	}
	c, ok := f.clusters[*id]
	if !ok {
		return nil, invalidRequest(fmt.Sprintf("Cluster id '%s' is not valid.", *id))
	}
	f.advance(c, f.clock.Now())
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

// AddJobFlowSteps adds steps to a cluster's queue, validating the request as the EMR API
// reference (AddJobFlowSteps, StepConfig, HadoopJarStepConfig) says: JobFlowId and Steps
// required; each step's Name (at most 256 characters), HadoopJarStep and Jar required;
// ActionOnFailure one of the enum values and, on a cluster whose StepConcurrencyLevel is
// above 1, neither CANCEL_AND_WAIT nor TERMINATE_CLUSTER (nor TERMINATE_JOB_FLOW, its legacy
// name); HadoopJarStep strings at most 10,240 characters in total; ExecutionRoleArn 20 to
// 2048 characters, required on and refused by clusters with and without runtime roles; at
// most 256 active steps; a terminating or terminated cluster refuses steps.
func (f *EMR) AddJobFlowSteps(ctx context.Context, in *awsemr.AddJobFlowStepsInput, _ ...func(*awsemr.Options)) (*awsemr.AddJobFlowStepsOutput, error) {
	return do(ctx, f.Controls, OpAddJobFlowSteps, in, f.addJobFlowSteps)
}

func (f *EMR) addJobFlowSteps(in *awsemr.AddJobFlowStepsInput) (*awsemr.AddJobFlowStepsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if in.JobFlowId == nil {
		return nil, notNull("jobFlowId")
	}
	if len(*in.JobFlowId) > 256 {
		return nil, tooLong("jobFlowId", 256)
	}
	if in.Steps == nil {
		return nil, notNull("steps")
	}
	role := aws.ToString(in.ExecutionRoleArn)
	if in.ExecutionRoleArn != nil && (len(role) < 20 || len(role) > 2048) {
		return nil, validationError("1 validation error detected: Value at 'executionRoleArn' failed to satisfy constraint: Member must have length between 20 and 2048")
	}
	for i, sc := range in.Steps {
		member := fmt.Sprintf("steps.%d.member", i+1)
		switch {
		case sc.Name == nil:
			return nil, notNull(member + ".name")
		case utf8.RuneCountInString(*sc.Name) > 256:
			return nil, tooLong(member+".name", 256)
		case sc.HadoopJarStep == nil:
			return nil, notNull(member + ".hadoopJarStep")
		case sc.HadoopJarStep.Jar == nil:
			return nil, notNull(member + ".hadoopJarStep.jar")
		}
		if sc.ActionOnFailure != "" && !slices.Contains(sc.ActionOnFailure.Values(), sc.ActionOnFailure) {
			return nil, validationError(fmt.Sprintf("1 validation error detected: Value '%s' at '%s.actionOnFailure' failed to satisfy constraint: Member must satisfy enum value set: [TERMINATE_JOB_FLOW, TERMINATE_CLUSTER, CANCEL_AND_WAIT, CONTINUE]", sc.ActionOnFailure, member))
		}
		if n := jarStepLength(sc.HadoopJarStep); n > maxJarStepLength {
			return nil, validationError(fmt.Sprintf("The total length of the strings in HadoopJarStep of step %d is %d, which exceeds the limit of %d characters.", i+1, n, maxJarStepLength))
		}
	}
	c, err := f.lookup(in.JobFlowId)
	if err != nil {
		return nil, err
	}
	if isClusterDone(c.state) {
		return nil, validationError(msgClusterNotModifiable)
	}
	switch {
	case c.cfg.RuntimeRoles && role == "":
		return nil, validationError(msgRuntimeRolesRequired)
	case !c.cfg.RuntimeRoles && role != "":
		return nil, validationError("Runtime roles are not supported for this cluster: its security configuration does not enable them.")
	}
	if c.cfg.StepConcurrencyLevel > 1 {
		for _, sc := range in.Steps {
			switch sc.ActionOnFailure {
			case types.ActionOnFailureCancelAndWait, types.ActionOnFailureTerminateCluster, types.ActionOnFailureTerminateJobFlow:
				return nil, validationError(fmt.Sprintf("ActionOnFailure %s is not valid for a cluster with StepConcurrencyLevel %d: use CONTINUE.", sc.ActionOnFailure, c.cfg.StepConcurrencyLevel))
			}
		}
	}
	active := 0
	for _, s := range c.steps {
		if !isStepTerminal(s.state) {
			active++
		}
	}
	if active+len(in.Steps) > maxActiveSteps {
		return nil, validationError(msgTooManyActiveSteps)
	}
	now := f.clock.Now()
	ids := make([]string, len(in.Steps))
	for i, sc := range in.Steps {
		f.next++
		s := &fakeStep{id: fmt.Sprintf("s-%013d", f.next), config: sc, roleArn: role, state: types.StepStatePending, created: now}
		s.config.HadoopJarStep = &types.HadoopJarStepConfig{Jar: sc.HadoopJarStep.Jar, MainClass: sc.HadoopJarStep.MainClass, Args: slices.Clone(sc.HadoopJarStep.Args), Properties: slices.Clone(sc.HadoopJarStep.Properties)}
		if s.config.ActionOnFailure == "" {
			// The API reference names no default; the fake takes TERMINATE_CLUSTER, the
			// historical one, where it is allowed, and CONTINUE elsewhere.
			s.config.ActionOnFailure = types.ActionOnFailureTerminateCluster
			if c.cfg.StepConcurrencyLevel > 1 {
				s.config.ActionOnFailure = types.ActionOnFailureContinue
			}
		}
		if len(f.scripts) > 0 {
			s.life.outcome, f.scripts = f.scripts[0], f.scripts[1:]
		}
		c.steps = append(c.steps, s)
		ids[i] = s.id
	}
	f.schedule(c, now)
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

// advance moves the cluster's steps to now: in time order, each running step whose end has
// come ends (applying its ActionOnFailure), each cancellation whose time has come completes,
// and the freed slots go to the next pending steps, activated at that moment.
func (f *EMR) advance(c *cluster, now time.Time) {
	f.schedule(c, now)
	for {
		var next *fakeStep
		var at time.Time
		for _, s := range c.steps {
			var t time.Time
			switch {
			case s.state == types.StepStateCancelPending:
				t = s.cancelAt
			case s.state == types.StepStateRunning || s.life.active && !isStepTerminal(s.state):
				t = s.life.endAt()
			default:
				continue
			}
			if !t.After(now) && (next == nil || t.Before(at)) {
				next, at = s, t
			}
		}
		if next == nil {
			return
		}
		if next.state == types.StepStateCancelPending {
			f.end(c, next, types.StepStateCancelled, nil, at)
			continue
		}
		f.finish(c, next, at)
	}
}

// schedule activates pending steps, in submission order, while the cluster has free slots,
// and sets the cluster RUNNING or WAITING accordingly.
func (f *EMR) schedule(c *cluster, at time.Time) {
	if isClusterDone(c.state) || c.state == types.ClusterStateStarting || c.state == types.ClusterStateBootstrapping {
		return
	}
	running := 0
	for _, s := range c.steps {
		if s.life.active && !isStepTerminal(s.state) {
			running++
		}
	}
	for _, s := range c.steps {
		if running >= c.cfg.StepConcurrencyLevel {
			break
		}
		if !s.life.active && s.state == types.StepStatePending {
			s.life.activate(at, f.opts.RunDuration)
			s.state, s.started = types.StepStateRunning, at
			running++
		}
	}
	if running > 0 {
		c.state = types.ClusterStateRunning
	} else {
		c.state = types.ClusterStateWaiting
	}
}

// finish ends a running step as its outcome says, at its end time.
func (f *EMR) finish(c *cluster, s *fakeStep, at time.Time) {
	o := s.life.outcome
	final := types.StepState(o.State)
	if final == "" {
		final = types.StepStateCompleted
	}
	var fd *types.FailureDetails
	if final != types.StepStateCompleted && (o.Reason != "" || o.Message != "" || c.cfg.LogURI != "") {
		fd = &types.FailureDetails{}
		if o.Reason != "" {
			fd.Reason = aws.String(o.Reason)
		}
		if o.Message != "" {
			fd.Message = aws.String(o.Message)
		}
		if c.cfg.LogURI != "" {
			fd.LogFile = aws.String(strings.TrimSuffix(c.cfg.LogURI, "/") + "/" + c.cfg.ID + "/steps/" + s.id + "/stderr.gz")
		}
	}
	f.end(c, s, final, fd, at)
}

// end finishes a step at at and applies its ActionOnFailure when it failed.
func (f *EMR) end(c *cluster, s *fakeStep, state types.StepState, fd *types.FailureDetails, at time.Time) {
	s.state, s.failure, s.ended = state, fd, at
	if s.started.IsZero() {
		s.started = at
	}
	if state == types.StepStateFailed {
		switch s.config.ActionOnFailure {
		case types.ActionOnFailureCancelAndWait:
			cancelRemaining(c, false, at)
		case types.ActionOnFailureTerminateCluster, types.ActionOnFailureTerminateJobFlow:
			cancelRemaining(c, true, at)
			c.state = types.ClusterStateTerminatedWithErrors
			c.reason = &types.ClusterStateChangeReason{Code: types.ClusterStateChangeReasonCodeStepFailure, Message: aws.String("Shut down as step failed")}
			return
		}
	}
	f.schedule(c, at)
}

// cancelRemaining cancels the steps that have not started (and, with running, those running).
func cancelRemaining(c *cluster, running bool, at time.Time) {
	for _, s := range c.steps {
		if isStepTerminal(s.state) || (s.life.active && !running) {
			continue
		}
		s.state, s.ended = types.StepStateCancelled, at
	}
}

func (f *EMR) summary(c *cluster, s *fakeStep) types.StepSummary {
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

// ListSteps lists a cluster's steps as the EMR API reference (ListSteps) says: newest first
// when the request has neither StepIds nor StepStates, in submission order when it filters by
// either; at most 10 StepIds; pages of PageSize (50) steps joined by Marker. A listing that
// shows a step that only the clock can move reports it with WaitingOnClock.
func (f *EMR) ListSteps(ctx context.Context, in *awsemr.ListStepsInput, _ ...func(*awsemr.Options)) (*awsemr.ListStepsOutput, error) {
	return do(ctx, f.Controls, OpListSteps, in, f.listSteps)
}

// markerPrefix starts the fake's Marker: the index, in submission order, of the next step
// to consider.
const markerPrefix = "emrtest-"

func (f *EMR) listSteps(in *awsemr.ListStepsInput) (*awsemr.ListStepsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(in.StepIds) > maxStepIDs {
		return nil, validationError(fmt.Sprintf("1 validation error detected: Value at 'stepIds' failed to satisfy constraint: Member must have length less than or equal to %d", maxStepIDs))
	}
	for i, st := range in.StepStates {
		if !slices.Contains(st.Values(), st) {
			return nil, validationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'stepStates.%d.member' failed to satisfy constraint: Member must satisfy enum value set: %v", st, i+1, st.Values()))
		}
	}
	c, err := f.lookup(in.ClusterId)
	if err != nil {
		return nil, err
	}
	filtered := len(in.StepIds) > 0 || len(in.StepStates) > 0
	pos, step := len(c.steps)-1, -1 // newest first
	if filtered {
		pos, step = 0, 1
	}
	if m := aws.ToString(in.Marker); m != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(m, markerPrefix))
		if err != nil || !strings.HasPrefix(m, markerPrefix) || n < 0 || n >= len(c.steps) {
			return nil, invalidRequest("Marker '" + m + "' is not valid.")
		}
		pos = n
	}
	match := func(s *fakeStep) bool {
		return (len(in.StepIds) == 0 || slices.Contains(in.StepIds, s.id)) &&
			(len(in.StepStates) == 0 || slices.Contains(in.StepStates, s.state))
	}
	out := &awsemr.ListStepsOutput{}
	moving := false
	for ; pos >= 0 && pos < len(c.steps); pos += step {
		s := c.steps[pos]
		if !match(s) {
			continue
		}
		if len(out.Steps) == f.opts.PageSize {
			out.Marker = aws.String(markerPrefix + strconv.Itoa(pos))
			break
		}
		out.Steps = append(out.Steps, f.summary(c, s))
		moving = moving || !isStepTerminal(s.state) && c.state != types.ClusterStateStarting && c.state != types.ClusterStateBootstrapping
	}
	key := fmt.Sprintf("EMR ListSteps on cluster %s (StepIds %v, StepStates %v, Marker %q)", c.cfg.ID, in.StepIds, in.StepStates, aws.ToString(in.Marker))
	if !moving {
		f.Settled(key)
	} else if err := f.WaitingOnClock(key, f.clock.Now()); err != nil {
		return nil, err
	}
	return out, nil
}

// DescribeStep returns one step.
func (f *EMR) DescribeStep(ctx context.Context, in *awsemr.DescribeStepInput, _ ...func(*awsemr.Options)) (*awsemr.DescribeStepOutput, error) {
	return do(ctx, f.Controls, OpDescribeStep, in, f.describeStep)
}

func (f *EMR) describeStep(in *awsemr.DescribeStepInput) (*awsemr.DescribeStepOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if in.StepId == nil {
		return nil, notNull("stepId")
	}
	c, err := f.lookup(in.ClusterId)
	if err != nil {
		return nil, err
	}
	s := c.find(*in.StepId)
	if s == nil {
		return nil, invalidRequest(fmt.Sprintf("Step id '%s' is not valid.", *in.StepId))
	}
	key := "EMR step " + s.id
	if isStepTerminal(s.state) {
		f.Settled(key)
	} else if err := f.WaitingOnClock(key, f.clock.Now()); err != nil {
		return nil, err
	}
	sum := f.summary(c, s)
	step := &types.Step{Id: sum.Id, Name: sum.Name, ActionOnFailure: sum.ActionOnFailure, Config: sum.Config, Status: sum.Status}
	if s.roleArn != "" {
		step.ExecutionRoleArn = aws.String(s.roleArn)
	}
	return &awsemr.DescribeStepOutput{Step: step}, nil
}

// CancelSteps cancels steps: a pending step is CANCELLED at once; a running one is
// CANCEL_PENDING for CancelDuration, then CANCELLED; one that ended is refused (FAILED in the
// CancelStepsInfoList), as is an unknown step ID.
func (f *EMR) CancelSteps(ctx context.Context, in *awsemr.CancelStepsInput, _ ...func(*awsemr.Options)) (*awsemr.CancelStepsOutput, error) {
	return do(ctx, f.Controls, OpCancelSteps, in, f.cancelSteps)
}

func (f *EMR) cancelSteps(in *awsemr.CancelStepsInput) (*awsemr.CancelStepsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if in.StepIds == nil {
		return nil, notNull("stepIds")
	}
	if o := in.StepCancellationOption; o != "" && !slices.Contains(o.Values(), o) {
		return nil, validationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'stepCancellationOption' failed to satisfy constraint: Member must satisfy enum value set: %v", o, o.Values()))
	}
	c, err := f.lookup(in.ClusterId)
	if err != nil {
		return nil, err
	}
	out := &awsemr.CancelStepsOutput{}
	now := f.clock.Now()
	for _, id := range in.StepIds {
		info := types.CancelStepsInfo{StepId: aws.String(id), Status: types.CancelStepsRequestStatusSubmitted}
		s := c.find(id)
		switch {
		case s == nil:
			info.Status, info.Reason = types.CancelStepsRequestStatusFailed, aws.String("Step id '"+id+"' is not valid.")
		case isStepTerminal(s.state) || s.state == types.StepStateCancelPending:
			info.Status, info.Reason = types.CancelStepsRequestStatusFailed, aws.String("Step is in "+string(s.state)+" state and cannot be cancelled.")
		case s.life.active:
			s.state, s.cancelAt = types.StepStateCancelPending, now.Add(cancelDuration)
		default:
			s.state, s.ended = types.StepStateCancelled, now
		}
		out.CancelStepsInfoList = append(out.CancelStepsInfoList, info)
	}
	f.schedule(c, now)
	return out, nil
}

// DescribeCluster returns a cluster's ID, name, ARN, state, log URI, step concurrency level
// and security configuration (runtime-roles on a cluster with RuntimeRoles, else none).
func (f *EMR) DescribeCluster(ctx context.Context, in *awsemr.DescribeClusterInput, _ ...func(*awsemr.Options)) (*awsemr.DescribeClusterOutput, error) {
	return do(ctx, f.Controls, OpDescribeCluster, in, f.describeCluster)
}

func (f *EMR) describeCluster(in *awsemr.DescribeClusterInput) (*awsemr.DescribeClusterOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.lookup(in.ClusterId)
	if err != nil {
		return nil, err
	}
	p := datablocks.PartitionForRegion(defaultRegion)
	out := &types.Cluster{
		Id:                   aws.String(c.cfg.ID),
		Name:                 aws.String(c.cfg.ID),
		ClusterArn:           aws.String(p.ARN("elasticmapreduce", defaultRegion, defaultAccountID, "cluster/"+c.cfg.ID)),
		StepConcurrencyLevel: aws.Int32(int32(c.cfg.StepConcurrencyLevel)),
		Status:               &types.ClusterStatus{State: c.state, StateChangeReason: c.reason, Timeline: &types.ClusterTimeline{CreationDateTime: aws.Time(c.create)}},
	}
	if c.cfg.LogURI != "" {
		out.LogUri = aws.String(c.cfg.LogURI)
	}
	if c.cfg.RuntimeRoles {
		out.SecurityConfiguration = aws.String("runtime-roles")
	}
	return &awsemr.DescribeClusterOutput{Cluster: out}, nil
}
