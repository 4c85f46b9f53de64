package emrtest

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

var _ emr.ContainersAPIClient = (*Containers)(nil)

// ContainersOptions configures a Containers fake.
type ContainersOptions struct {
	// Clock is the fake's time. Nil means the system clock; pass the Clock the code under
	// test sleeps on.
	Clock datablocks.Clock
	// DefaultOutcome applies to job runs without a scripted outcome. The zero value completes
	// after three polls (PENDING, SUBMITTED, RUNNING).
	DefaultOutcome Outcome
	// Region and AccountID appear in ARNs. Zero means DefaultRegion and DefaultAccountID.
	Region, AccountID string
}

// VirtualClusterConfig seeds a virtual cluster of the Containers fake.
type VirtualClusterConfig struct {
	// ID is the virtual cluster ID. Empty means a generated one.
	ID string
	// Name is the virtual cluster name.
	Name string
	// State is the state. Zero means RUNNING.
	State types.VirtualClusterState
}

// Containers is a fake of the EMR on EKS control plane (the operations of
// emr.ContainersAPIClient): virtual clusters and job runs. It is safe for concurrent use.
type Containers struct {
	*fakecontrol.Controls

	opts    ContainersOptions
	clock   datablocks.Clock
	mu      sync.Mutex
	vcs     map[string]*virtualCluster
	scripts []Outcome
	next    int
}

type virtualCluster struct {
	cfg    VirtualClusterConfig
	runs   map[string]*eksRun
	tokens map[string]string
}

type eksRun struct {
	in       emrcontainers.StartJobRunInput
	id       string
	state    types.JobRunState
	reason   types.FailureReason
	details  string
	created  time.Time
	finished time.Time
	prog     progress
	// cancelSeen records that a poll has seen CANCEL_PENDING; the next one sees CANCELLED.
	cancelSeen bool
}

// NewContainers returns a Containers fake without virtual clusters; add them with
// AddVirtualCluster.
func NewContainers(optFns ...func(*ContainersOptions)) *Containers {
	var o ContainersOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.AccountID == "" {
		o.AccountID = DefaultAccountID
	}
	return &Containers{Controls: fakecontrol.New(nil), opts: o, clock: clockOr(o.Clock), vcs: map[string]*virtualCluster{}}
}

// AddVirtualCluster adds a virtual cluster and returns its ID.
func (f *Containers) AddVirtualCluster(c VirtualClusterConfig) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	if c.ID == "" {
		c.ID = fmt.Sprintf("vc%023d", f.next)
	}
	if c.State == "" {
		c.State = types.VirtualClusterStateRunning
	}
	f.vcs[c.ID] = &virtualCluster{cfg: c, runs: map[string]*eksRun{}, tokens: map[string]string{}}
	return c.ID
}

// SetVirtualClusterState forces a virtual cluster's state (TERMINATED, ARRESTED, ...).
func (f *Containers) SetVirtualClusterState(id string, state types.VirtualClusterState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	vc, ok := f.vcs[id]
	if !ok {
		return fmt.Errorf("emrtest: no virtual cluster %s", id)
	}
	vc.cfg.State = state
	return nil
}

// ScriptNext queues outcomes for the next job runs started, in order.
func (f *Containers) ScriptNext(outcomes ...Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, outcomes...)
}

// JobRunCount returns how many job runs a virtual cluster has.
func (f *Containers) JobRunCount(vcID string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if vc, ok := f.vcs[vcID]; ok {
		return len(vc.runs)
	}
	return 0
}

func (f *Containers) vc(id *string) (*virtualCluster, error) {
	if aws.ToString(id) == "" {
		return nil, &types.ValidationException{Message: aws.String("virtualClusterId must not be empty")}
	}
	vc, ok := f.vcs[*id]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Virtual cluster " + *id + " doesn't exist.")}
	}
	return vc, nil
}

func (f *Containers) run(vcID, id *string) (*virtualCluster, *eksRun, error) {
	vc, err := f.vc(vcID)
	if err != nil {
		return nil, nil, err
	}
	r, ok := vc.runs[aws.ToString(id)]
	if !ok {
		return nil, nil, &types.ResourceNotFoundException{Message: aws.String("Job run " + aws.ToString(id) + " doesn't exist.")}
	}
	return vc, r, nil
}

func isEKSTerminal(s types.JobRunState) bool {
	return s == types.JobRunStateCompleted || s == types.JobRunStateFailed || s == types.JobRunStateCancelled
}

func (f *Containers) arn(vcID, runID string) string {
	p := datablocks.PartitionForRegion(f.opts.Region)
	return p.ARN("emr-containers", f.opts.Region, f.opts.AccountID, "/virtualclusters/"+vcID+"/jobruns/"+runID)
}

// StartJobRun starts a job run in PENDING. A client token already used on the virtual
// cluster returns the run it started.
func (f *Containers) StartJobRun(ctx context.Context, in *emrcontainers.StartJobRunInput, _ ...func(*emrcontainers.Options)) (*emrcontainers.StartJobRunOutput, error) {
	return do(ctx, f.Controls, "StartJobRun", in, f.startJobRun)
}

func (f *Containers) startJobRun(in *emrcontainers.StartJobRunInput) (*emrcontainers.StartJobRunOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	vc, err := f.vc(in.VirtualClusterId)
	if err != nil {
		return nil, err
	}
	output := func(r *eksRun) *emrcontainers.StartJobRunOutput {
		return &emrcontainers.StartJobRunOutput{Id: aws.String(r.id), Name: r.in.Name, VirtualClusterId: aws.String(vc.cfg.ID), Arn: aws.String(f.arn(vc.cfg.ID, r.id))}
	}
	token := aws.ToString(in.ClientToken)
	if id, ok := vc.tokens[token]; ok && token != "" {
		return output(vc.runs[id]), nil
	}
	switch {
	case vc.cfg.State != types.VirtualClusterStateRunning:
		return nil, &types.ValidationException{Message: aws.String("Virtual cluster " + vc.cfg.ID + " is in " + string(vc.cfg.State) + " state")}
	case aws.ToString(in.ExecutionRoleArn) == "":
		return nil, &types.ValidationException{Message: aws.String("executionRoleArn must not be empty")}
	case aws.ToString(in.ReleaseLabel) == "":
		return nil, &types.ValidationException{Message: aws.String("releaseLabel must not be empty")}
	case in.JobDriver == nil || (in.JobDriver.SparkSubmitJobDriver == nil && in.JobDriver.SparkSqlJobDriver == nil):
		return nil, &types.ValidationException{Message: aws.String("jobDriver must not be empty")}
	case in.JobDriver.SparkSubmitJobDriver != nil && aws.ToString(in.JobDriver.SparkSubmitJobDriver.EntryPoint) == "":
		return nil, &types.ValidationException{Message: aws.String("jobDriver.sparkSubmitJobDriver.entryPoint must not be empty")}
	}
	now := f.clock.Now()
	f.next++
	r := &eksRun{in: *in, id: fmt.Sprintf("%019d", f.next), state: types.JobRunStatePending, created: now}
	r.in.Tags = maps.Clone(in.Tags)
	r.prog = progress{outcome: f.opts.DefaultOutcome, activeAt: now}
	if len(f.scripts) > 0 {
		r.prog.outcome, f.scripts = f.scripts[0], f.scripts[1:]
	}
	vc.runs[r.id] = r
	if token != "" {
		vc.tokens[token] = r.id
	}
	return output(r), nil
}

var eksIntermediate = []string{string(types.JobRunStatePending), string(types.JobRunStateSubmitted), string(types.JobRunStateRunning)}

func (f *Containers) read(r *eksRun) {
	if isEKSTerminal(r.state) {
		return
	}
	now := f.clock.Now()
	if r.state == types.JobRunStateCancelPending {
		if r.cancelSeen {
			r.state, r.details, r.finished = types.JobRunStateCancelled, "Job run cancelled by user.", now
		}
		r.cancelSeen = true
		return
	}
	state, done := r.prog.next(now, eksIntermediate)
	if !done {
		r.state = types.JobRunState(state)
		return
	}
	o := r.prog.outcome
	r.state, r.reason, r.details, r.finished = types.JobRunState(o.State), types.FailureReason(o.Reason), o.Message, now
	if r.state == "" {
		r.state = types.JobRunStateCompleted
	}
}

// DescribeJobRun returns a job run, counting a poll.
func (f *Containers) DescribeJobRun(ctx context.Context, in *emrcontainers.DescribeJobRunInput, _ ...func(*emrcontainers.Options)) (*emrcontainers.DescribeJobRunOutput, error) {
	return do(ctx, f.Controls, "DescribeJobRun", in, func(in *emrcontainers.DescribeJobRunInput) (*emrcontainers.DescribeJobRunOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		vc, r, err := f.run(in.VirtualClusterId, in.Id)
		if err != nil {
			return nil, err
		}
		f.read(r)
		out := &types.JobRun{
			Id:                     aws.String(r.id),
			Arn:                    aws.String(f.arn(vc.cfg.ID, r.id)),
			Name:                   r.in.Name,
			VirtualClusterId:       aws.String(vc.cfg.ID),
			ClientToken:            r.in.ClientToken,
			ExecutionRoleArn:       r.in.ExecutionRoleArn,
			ReleaseLabel:           r.in.ReleaseLabel,
			JobDriver:              r.in.JobDriver,
			ConfigurationOverrides: r.in.ConfigurationOverrides,
			Tags:                   maps.Clone(r.in.Tags),
			State:                  r.state,
			FailureReason:          r.reason,
			CreatedAt:              aws.Time(r.created),
			CreatedBy:              aws.String(datablocks.PartitionForRegion(f.opts.Region).ARN("iam", "", f.opts.AccountID, "root")),
		}
		if r.details != "" {
			out.StateDetails = aws.String(r.details)
		}
		if !r.finished.IsZero() {
			out.FinishedAt = aws.Time(r.finished)
		}
		return &emrcontainers.DescribeJobRunOutput{JobRun: out}, nil
	})
}

// CancelJobRun moves a job run that has not ended to CANCEL_PENDING, which one poll sees; the
// poll after sees CANCELLED. Cancelling an ended run is a ValidationException.
func (f *Containers) CancelJobRun(ctx context.Context, in *emrcontainers.CancelJobRunInput, _ ...func(*emrcontainers.Options)) (*emrcontainers.CancelJobRunOutput, error) {
	return do(ctx, f.Controls, "CancelJobRun", in, func(in *emrcontainers.CancelJobRunInput) (*emrcontainers.CancelJobRunOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		vc, r, err := f.run(in.VirtualClusterId, in.Id)
		if err != nil {
			return nil, err
		}
		if isEKSTerminal(r.state) {
			return nil, &types.ValidationException{Message: aws.String("Job run " + r.id + " is in " + string(r.state) + " state and cannot be cancelled")}
		}
		r.state = types.JobRunStateCancelPending
		return &emrcontainers.CancelJobRunOutput{Id: aws.String(r.id), VirtualClusterId: aws.String(vc.cfg.ID)}, nil
	})
}
