package emrtest

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

var _ emr.ServerlessAPIClient = (*Serverless)(nil)

// DefaultReleaseLabel is the release label of fake applications that do not set one.
const DefaultReleaseLabel = "emr-7.5.0"

// ServerlessOptions configures a Serverless fake.
type ServerlessOptions struct {
	// Clock is the fake's time. Nil means the system clock; pass the Clock the code under
	// test sleeps on.
	Clock datablocks.Clock
	// PageSize is the number of attempts per ListJobRunAttempts page when the caller sets no
	// MaxResults. Zero means DefaultPageSize (3).
	PageSize int
	// DefaultOutcome applies to job runs without a scripted outcome. The zero value succeeds
	// after four polls (SUBMITTED, PENDING, SCHEDULED, RUNNING).
	DefaultOutcome Outcome
	// StartPolls is the number of GetApplication reads that see an application STARTING
	// before it is STARTED. Zero means 1.
	StartPolls int
	// Region and AccountID appear in ARNs. Zero means DefaultRegion and DefaultAccountID.
	Region, AccountID string
}

// ApplicationConfig seeds an application of the Serverless fake.
type ApplicationConfig struct {
	// ID is the application ID. Empty means a generated one.
	ID string
	// Name is the application name.
	Name string
	// State is the initial state. Zero means CREATED.
	State types.ApplicationState
	// NoAutoStart turns off auto-start: StartJobRun on a CREATED or STOPPED application
	// fails instead of starting it.
	NoAutoStart bool
	// ReleaseLabel is the application's release. Zero means DefaultReleaseLabel.
	ReleaseLabel string
}

// Serverless is a fake of the EMR Serverless control plane (the operations of
// emr.ServerlessAPIClient): applications and job runs with attempts. It is safe for
// concurrent use.
type Serverless struct {
	*fakecontrol.Controls

	opts    ServerlessOptions
	clock   datablocks.Clock
	mu      sync.Mutex
	apps    map[string]*application
	scripts []Outcome
	next    int
}

type application struct {
	cfg     ApplicationConfig
	state   types.ApplicationState
	reads   int
	created time.Time
	updated time.Time
	runs    map[string]*jobRun
	tokens  map[string]string // client token -> job run ID
}

type jobRun struct {
	in       emrserverless.StartJobRunInput
	id       string
	created  time.Time
	attempts []*attempt
	outcome  Outcome
}

type attempt struct {
	state   types.JobRunState
	details string
	created time.Time
	updated time.Time
	prog    progress
	// cancelSeen records that a poll has seen CANCELLING; the next one sees CANCELLED.
	cancelSeen bool
}

// NewServerless returns a Serverless fake without applications; add them with
// AddApplication.
func NewServerless(optFns ...func(*ServerlessOptions)) *Serverless {
	var o ServerlessOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.StartPolls <= 0 {
		o.StartPolls = 1
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.AccountID == "" {
		o.AccountID = DefaultAccountID
	}
	return &Serverless{Controls: fakecontrol.New(nil), opts: o, clock: clockOr(o.Clock), apps: map[string]*application{}}
}

// AddApplication adds an application and returns its ID.
func (f *Serverless) AddApplication(c ApplicationConfig) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	if c.ID == "" {
		c.ID = fmt.Sprintf("00f%013d", f.next)
	}
	if c.State == "" {
		c.State = types.ApplicationStateCreated
	}
	if c.ReleaseLabel == "" {
		c.ReleaseLabel = DefaultReleaseLabel
	}
	now := f.clock.Now()
	f.apps[c.ID] = &application{cfg: c, state: c.State, created: now, updated: now, runs: map[string]*jobRun{}, tokens: map[string]string{}}
	return c.ID
}

// SetApplicationState forces an application's state (to model STOPPED after idle timeout,
// or TERMINATED).
func (f *Serverless) SetApplicationState(appID string, state types.ApplicationState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.apps[appID]
	if !ok {
		return fmt.Errorf("emrtest: no application %s", appID)
	}
	a.state, a.reads, a.updated = state, 0, f.clock.Now()
	return nil
}

// ScriptNext queues outcomes for the next job runs started, in order, on any application.
func (f *Serverless) ScriptNext(outcomes ...Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, outcomes...)
}

// JobRunCount returns how many job runs an application has (however many StartJobRun calls
// it took).
func (f *Serverless) JobRunCount(appID string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a, ok := f.apps[appID]; ok {
		return len(a.runs)
	}
	return 0
}

func (f *Serverless) notFound(msg string) error {
	return &types.ResourceNotFoundException{Message: aws.String(msg)}
}

func (f *Serverless) app(id *string) (*application, error) {
	if aws.ToString(id) == "" {
		return nil, &types.ValidationException{Message: aws.String("applicationId must not be empty")}
	}
	a, ok := f.apps[*id]
	if !ok {
		return nil, f.notFound("Application " + *id + " does not exist")
	}
	return a, nil
}

func (f *Serverless) run(appID, runID *string) (*application, *jobRun, error) {
	a, err := f.app(appID)
	if err != nil {
		return nil, nil, err
	}
	r, ok := a.runs[aws.ToString(runID)]
	if !ok {
		return nil, nil, f.notFound("Job run " + aws.ToString(runID) + " does not exist")
	}
	return a, r, nil
}

func isRunTerminal(s types.JobRunState) bool {
	return s == types.JobRunStateSuccess || s == types.JobRunStateFailed || s == types.JobRunStateCancelled
}

// StartApplication moves a CREATED or STOPPED application to STARTING; it is STARTED after
// StartPolls reads.
func (f *Serverless) StartApplication(ctx context.Context, in *emrserverless.StartApplicationInput, _ ...func(*emrserverless.Options)) (*emrserverless.StartApplicationOutput, error) {
	return do(ctx, f.Controls, "StartApplication", in, func(in *emrserverless.StartApplicationInput) (*emrserverless.StartApplicationOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, err := f.app(in.ApplicationId)
		if err != nil {
			return nil, err
		}
		switch a.state {
		case types.ApplicationStateCreated, types.ApplicationStateStopped:
			a.state, a.reads, a.updated = types.ApplicationStateStarting, 0, f.clock.Now()
		case types.ApplicationStateStarting, types.ApplicationStateStarted:
		default:
			return nil, &types.ValidationException{Message: aws.String("Application " + a.cfg.ID + " is in " + string(a.state) + " state and cannot be started")}
		}
		return &emrserverless.StartApplicationOutput{}, nil
	})
}

// GetApplication returns an application, counting a read of a STARTING one.
func (f *Serverless) GetApplication(ctx context.Context, in *emrserverless.GetApplicationInput, _ ...func(*emrserverless.Options)) (*emrserverless.GetApplicationOutput, error) {
	return do(ctx, f.Controls, "GetApplication", in, func(in *emrserverless.GetApplicationInput) (*emrserverless.GetApplicationOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, err := f.app(in.ApplicationId)
		if err != nil {
			return nil, err
		}
		if a.state == types.ApplicationStateStarting {
			a.reads++
			if a.reads > f.opts.StartPolls {
				a.state, a.updated = types.ApplicationStateStarted, f.clock.Now()
			}
		}
		p := datablocks.PartitionForRegion(f.opts.Region)
		return &emrserverless.GetApplicationOutput{Application: &types.Application{
			ApplicationId:          aws.String(a.cfg.ID),
			Name:                   aws.String(a.cfg.Name),
			Arn:                    aws.String(p.ARN("emr-serverless", f.opts.Region, f.opts.AccountID, "/applications/"+a.cfg.ID)),
			State:                  a.state,
			ReleaseLabel:           aws.String(a.cfg.ReleaseLabel),
			Type:                   aws.String("Spark"),
			CreatedAt:              aws.Time(a.created),
			UpdatedAt:              aws.Time(a.updated),
			AutoStartConfiguration: &types.AutoStartConfig{Enabled: aws.Bool(!a.cfg.NoAutoStart)},
		}}, nil
	})
}

// StartJobRun starts a job run in SUBMITTED. A client token already used on the application
// returns the run it started. A CREATED or STOPPED application is started (auto-start) unless
// NoAutoStart is set.
func (f *Serverless) StartJobRun(ctx context.Context, in *emrserverless.StartJobRunInput, _ ...func(*emrserverless.Options)) (*emrserverless.StartJobRunOutput, error) {
	return do(ctx, f.Controls, "StartJobRun", in, f.startJobRun)
}

func (f *Serverless) startJobRun(in *emrserverless.StartJobRunInput) (*emrserverless.StartJobRunOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, err := f.app(in.ApplicationId)
	if err != nil {
		return nil, err
	}
	p := datablocks.PartitionForRegion(f.opts.Region)
	output := func(id string) *emrserverless.StartJobRunOutput {
		return &emrserverless.StartJobRunOutput{
			ApplicationId: aws.String(a.cfg.ID), JobRunId: aws.String(id),
			Arn: aws.String(p.ARN("emr-serverless", f.opts.Region, f.opts.AccountID, "/applications/"+a.cfg.ID+"/jobruns/"+id)),
		}
	}
	token := aws.ToString(in.ClientToken)
	if id, ok := a.tokens[token]; ok && token != "" {
		return output(id), nil
	}
	switch {
	case aws.ToString(in.ExecutionRoleArn) == "":
		return nil, &types.ValidationException{Message: aws.String("executionRoleArn must not be empty")}
	case in.JobDriver == nil:
		return nil, &types.ValidationException{Message: aws.String("jobDriver must not be null")}
	}
	if sd, ok := in.JobDriver.(*types.JobDriverMemberSparkSubmit); ok && aws.ToString(sd.Value.EntryPoint) == "" {
		return nil, &types.ValidationException{Message: aws.String("jobDriver.sparkSubmit.entryPoint must not be empty")}
	}
	now := f.clock.Now()
	switch a.state {
	case types.ApplicationStateStarted, types.ApplicationStateStarting:
	case types.ApplicationStateCreated, types.ApplicationStateStopped:
		if a.cfg.NoAutoStart {
			return nil, &types.ValidationException{Message: aws.String("Application " + a.cfg.ID + " is not started and auto-start is disabled")}
		}
		a.state, a.updated = types.ApplicationStateStarted, now
	default:
		return nil, &types.ValidationException{Message: aws.String("Application " + a.cfg.ID + " is in " + string(a.state) + " state and cannot accept job runs")}
	}
	f.next++
	r := &jobRun{in: *in, id: fmt.Sprintf("00f%013d", f.next), created: now, outcome: f.opts.DefaultOutcome}
	if len(f.scripts) > 0 {
		r.outcome, f.scripts = f.scripts[0], f.scripts[1:]
	}
	r.in.Tags = maps.Clone(in.Tags)
	r.attempts = []*attempt{{state: types.JobRunStateSubmitted, created: now, updated: now, prog: progress{outcome: r.outcome, activeAt: now}}}
	a.runs[r.id] = r
	if token != "" {
		a.tokens[token] = r.id
	}
	return output(r.id), nil
}

var serverlessIntermediate = []string{
	string(types.JobRunStateSubmitted), string(types.JobRunStatePending),
	string(types.JobRunStateScheduled), string(types.JobRunStateRunning),
}

// read counts a poll of the run's latest attempt and moves it along its script.
func (f *Serverless) read(r *jobRun) {
	at := r.attempts[len(r.attempts)-1]
	if isRunTerminal(at.state) {
		return
	}
	now := f.clock.Now()
	at.updated = now
	if at.state == types.JobRunStateCancelling {
		if at.cancelSeen {
			at.state, at.details = types.JobRunStateCancelled, "Job run cancelled by user."
		}
		at.cancelSeen = true
		return
	}
	state, done := at.prog.next(now, serverlessIntermediate)
	if !done {
		at.state = types.JobRunState(state)
		return
	}
	if len(r.attempts) <= r.outcome.FailedAttempts {
		at.state, at.details = types.JobRunStateFailed, fmt.Sprintf("Attempt %d failed.", len(r.attempts))
		r.attempts = append(r.attempts, &attempt{state: types.JobRunStateSubmitted, created: now, updated: now, prog: progress{outcome: r.outcome, activeAt: now}})
		return
	}
	at.state = types.JobRunState(r.outcome.State)
	if at.state == "" {
		at.state = types.JobRunStateSuccess
	}
	at.details = r.outcome.Message
}

func (f *Serverless) jobRunView(a *application, r *jobRun, n int) *types.JobRun {
	at := r.attempts[n-1]
	p := datablocks.PartitionForRegion(f.opts.Region)
	out := &types.JobRun{
		ApplicationId:           aws.String(a.cfg.ID),
		JobRunId:                aws.String(r.id),
		Arn:                     aws.String(p.ARN("emr-serverless", f.opts.Region, f.opts.AccountID, "/applications/"+a.cfg.ID+"/jobruns/"+r.id)),
		Name:                    r.in.Name,
		ExecutionRole:           r.in.ExecutionRoleArn,
		JobDriver:               r.in.JobDriver,
		ConfigurationOverrides:  r.in.ConfigurationOverrides,
		ExecutionTimeoutMinutes: r.in.ExecutionTimeoutMinutes,
		Tags:                    maps.Clone(r.in.Tags),
		ReleaseLabel:            aws.String(a.cfg.ReleaseLabel),
		Mode:                    types.JobRunModeBatch,
		State:                   at.state,
		CreatedAt:               aws.Time(r.created),
		UpdatedAt:               aws.Time(at.updated),
		CreatedBy:               aws.String(p.ARN("iam", "", f.opts.AccountID, "root")),
		Attempt:                 aws.Int32(int32(n)),
		AttemptCreatedAt:        aws.Time(at.created),
		AttemptUpdatedAt:        aws.Time(at.updated),
	}
	if at.details != "" {
		out.StateDetails = aws.String(at.details)
	}
	if isRunTerminal(at.state) {
		out.EndedAt = aws.Time(at.updated)
	}
	return out
}

// GetJobRun returns a job run as of its latest attempt (or the attempt asked for), counting
// a poll of the latest attempt.
func (f *Serverless) GetJobRun(ctx context.Context, in *emrserverless.GetJobRunInput, _ ...func(*emrserverless.Options)) (*emrserverless.GetJobRunOutput, error) {
	return do(ctx, f.Controls, "GetJobRun", in, func(in *emrserverless.GetJobRunInput) (*emrserverless.GetJobRunOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, r, err := f.run(in.ApplicationId, in.JobRunId)
		if err != nil {
			return nil, err
		}
		var n int
		if in.Attempt != nil {
			n = int(*in.Attempt)
			if n < 1 || n > len(r.attempts) {
				return nil, &types.ValidationException{Message: aws.String(fmt.Sprintf("Attempt %d does not exist for job run %s", n, r.id))}
			}
		} else {
			f.read(r)
			n = len(r.attempts)
		}
		return &emrserverless.GetJobRunOutput{JobRun: f.jobRunView(a, r, n)}, nil
	})
}

// CancelJobRun moves a job run that has not ended to CANCELLING, which one poll sees; the
// poll after sees CANCELLED. Cancelling an ended run is a ValidationException.
func (f *Serverless) CancelJobRun(ctx context.Context, in *emrserverless.CancelJobRunInput, _ ...func(*emrserverless.Options)) (*emrserverless.CancelJobRunOutput, error) {
	return do(ctx, f.Controls, "CancelJobRun", in, func(in *emrserverless.CancelJobRunInput) (*emrserverless.CancelJobRunOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, r, err := f.run(in.ApplicationId, in.JobRunId)
		if err != nil {
			return nil, err
		}
		at := r.attempts[len(r.attempts)-1]
		if isRunTerminal(at.state) {
			return nil, &types.ValidationException{Message: aws.String("Job run " + r.id + " is in " + string(at.state) + " state and cannot be cancelled")}
		}
		at.state, at.updated = types.JobRunStateCancelling, f.clock.Now()
		return &emrserverless.CancelJobRunOutput{ApplicationId: aws.String(a.cfg.ID), JobRunId: aws.String(r.id)}, nil
	})
}

// ListJobRunAttempts lists a job run's attempts, oldest first, MaxResults (or PageSize) a
// page.
func (f *Serverless) ListJobRunAttempts(ctx context.Context, in *emrserverless.ListJobRunAttemptsInput, _ ...func(*emrserverless.Options)) (*emrserverless.ListJobRunAttemptsOutput, error) {
	return do(ctx, f.Controls, "ListJobRunAttempts", in, func(in *emrserverless.ListJobRunAttemptsInput) (*emrserverless.ListJobRunAttemptsOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, r, err := f.run(in.ApplicationId, in.JobRunId)
		if err != nil {
			return nil, err
		}
		size := f.opts.PageSize
		if in.MaxResults != nil {
			size = int(*in.MaxResults)
			if size < 1 || size > 50 {
				return nil, &types.ValidationException{Message: aws.String("maxResults must be between 1 and 50")}
			}
		}
		offset := 0
		if t := aws.ToString(in.NextToken); t != "" {
			n, err := strconv.Atoi(t)
			if err != nil || n < 0 || n > len(r.attempts) {
				return nil, &types.ValidationException{Message: aws.String("Invalid nextToken")}
			}
			offset = n
		}
		out := &emrserverless.ListJobRunAttemptsOutput{}
		end := min(offset+size, len(r.attempts))
		for n := offset + 1; n <= end; n++ {
			v := f.jobRunView(a, r, n)
			out.JobRunAttempts = append(out.JobRunAttempts, types.JobRunAttemptSummary{
				ApplicationId: v.ApplicationId, Arn: v.Arn, Id: v.JobRunId, Name: v.Name, Attempt: v.Attempt,
				State: v.State, StateDetails: v.StateDetails, ExecutionRole: v.ExecutionRole, ReleaseLabel: v.ReleaseLabel,
				Mode: v.Mode, CreatedAt: v.AttemptCreatedAt, UpdatedAt: v.AttemptUpdatedAt, JobCreatedAt: v.CreatedAt,
				CreatedBy: v.CreatedBy, Type: aws.String("Spark"),
			})
		}
		if end < len(r.attempts) {
			out.NextToken = aws.String(strconv.Itoa(end))
		}
		return out, nil
	})
}
