package emrtest

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// releaseLabel is the release of every application of the Serverless fake.
const releaseLabel = "emr-7.5.0"

// ApplicationConfig seeds an application of the Serverless fake. GetApplication reports its ID
// as its name and emr-7.5.0 as its release.
type ApplicationConfig struct {
	// ID is the application ID. Empty means a generated one.
	ID string
	// State is the initial state. Zero means CREATED.
	State types.ApplicationState
	// NoAutoStart turns off auto-start: StartJobRun on a CREATED or STOPPED application
	// fails instead of starting it.
	NoAutoStart bool
}

// Serverless is a fake of the EMR Serverless control plane: applications and job runs with
// attempts. It is safe for concurrent use.
type Serverless struct {
	*fakecontrol.Controls

	opts    Options
	clock   datablocks.Clock
	mu      sync.Mutex
	apps    map[string]*application
	scripts []Outcome
	next    int
}

type application struct {
	cfg       ApplicationConfig
	state     types.ApplicationState
	startedAt time.Time // when a STARTING application is STARTED
	created   time.Time
	updated   time.Time
	runs      map[string]*jobRun
	tokens    map[string]string // client token -> job run ID
}

type jobRun struct {
	in       emrserverless.StartJobRunInput
	id       string
	created  time.Time
	attempts []*attempt
	outcome  Outcome
}

type attempt struct {
	state    types.JobRunState
	details  string
	created  time.Time
	updated  time.Time
	life     timeline
	cancelAt time.Time // when a CANCELLING attempt is CANCELLED
}

// NewServerless returns a Serverless fake without applications; add them with
// AddApplication.
func NewServerless(optFns ...func(*Options)) *Serverless {
	o := newOptions(optFns)
	return &Serverless{
		Controls: fakecontrol.New(nil, OpStartJobRun, OpGetJobRun, OpCancelJobRun, OpListJobRunAttempts, OpStartApplication, OpGetApplication),
		opts:     o, clock: newClock(o.Clock), apps: map[string]*application{},
	}
}

// Clock returns the fake's clock, which helpers use when their Wait.Clock is nil.
func (f *Serverless) Clock() datablocks.Clock { return f.clock }

// Service describes the fake as EMR Serverless (restJson1, the routes of the EMR Serverless
// API reference) for package localaws, so the real *emrserverless.Client reaches it.
func (f *Serverless) Service() localaws.Service {
	return localaws.Service{
		SigningName: "emr-serverless",
		Protocol:    localaws.RESTJSON1,
		Naming:      localaws.LowerCamel,
		Unions:      []any{types.JobDriverMemberSparkSubmit{}, types.JobDriverMemberHive{}},
		ErrorStatus: map[string]int{
			"ResourceNotFoundException": http.StatusNotFound, "ConflictException": http.StatusConflict,
			"ServiceQuotaExceededException": http.StatusPaymentRequired, "ThrottlingException": http.StatusTooManyRequests,
		},
		Operations: []localaws.Operation{
			localaws.Route(OpStartJobRun, http.MethodPost, "/applications/{applicationId}/jobruns", f.StartJobRun),
			localaws.Route(OpGetJobRun, http.MethodGet, "/applications/{applicationId}/jobruns/{jobRunId}", f.GetJobRun),
			localaws.Route(OpCancelJobRun, http.MethodDelete, "/applications/{applicationId}/jobruns/{jobRunId}", f.CancelJobRun),
			localaws.Route(OpListJobRunAttempts, http.MethodGet, "/applications/{applicationId}/jobruns/{jobRunId}/attempts", f.ListJobRunAttempts),
			localaws.Route(OpStartApplication, http.MethodPost, "/applications/{applicationId}/start", f.StartApplication),
			localaws.Route(OpGetApplication, http.MethodGet, "/applications/{applicationId}", f.GetApplication),
		},
	}
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
	now := f.clock.Now()
	f.apps[c.ID] = &application{cfg: c, state: c.State, created: now, updated: now, runs: map[string]*jobRun{}, tokens: map[string]string{}}
	return c.ID
}

// ScriptNext queues outcomes for the next job runs started, in order, on any application.
func (f *Serverless) ScriptNext(outcomes ...Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, outcomes...)
}

func slValidation(msg string) error { return &types.ValidationException{Message: aws.String(msg)} }

var (
	// Patterns of the EMR Serverless API reference (StartJobRun, GetJobRun).
	slIDPattern    = regexp.MustCompile(`^[0-9a-z]+$`)
	slTokenPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	slRolePattern  = regexp.MustCompile(`^arn:(aws[a-zA-Z0-9-]*):iam::([0-9]{12}):(role((/)|(/[\x21-\x7F]+/))[\w+=,.@-]+)$`)
)

// checkID applies the API reference's constraints on applicationId and jobRunId: required,
// 1 to 64 characters of [0-9a-z].
func checkID(member string, v *string) error {
	switch {
	case v == nil || *v == "":
		return slValidation(member + " must not be empty")
	case len(*v) > 64 || !slIDPattern.MatchString(*v):
		return slValidation(fmt.Sprintf("%s %q must be 1 to 64 characters of [0-9a-z]", member, *v))
	}
	return nil
}

// advance moves an application and its job runs to now: a STARTING application is STARTED
// once StartDuration has passed, and the job runs waiting for it become active at that moment.
func (f *Serverless) advance(a *application, now time.Time) {
	if a.state == types.ApplicationStateStarting && !now.Before(a.startedAt) {
		a.state, a.updated = types.ApplicationStateStarted, a.startedAt
	}
	if a.state != types.ApplicationStateStarted {
		return
	}
	for _, r := range a.runs {
		if at := r.attempts[len(r.attempts)-1]; !at.life.active && at.state == types.JobRunStateSubmitted {
			at.life.activate(maxTime(a.startedAt, r.created), f.opts.RunDuration)
		}
		f.advanceRun(r, now)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

var serverlessIntermediate = []string{
	string(types.JobRunStateSubmitted), string(types.JobRunStatePending),
	string(types.JobRunStateScheduled), string(types.JobRunStateRunning),
}

// advanceRun moves a job run's attempts to now.
func (f *Serverless) advanceRun(r *jobRun, now time.Time) {
	for {
		at := r.attempts[len(r.attempts)-1]
		if isRunTerminal(at.state) {
			return
		}
		if at.state == types.JobRunStateCancelling {
			if !now.Before(at.cancelAt) {
				at.state, at.details, at.updated = types.JobRunStateCancelled, "Job run cancelled by user.", at.cancelAt
			}
			return
		}
		state, done := at.life.phase(now, serverlessIntermediate)
		if !done {
			if at.state != types.JobRunState(state) {
				at.state, at.updated = types.JobRunState(state), now
			}
			return
		}
		end := at.life.endAt()
		at.updated = end
		if len(r.attempts) <= r.outcome.FailedAttempts {
			at.state, at.details = types.JobRunStateFailed, fmt.Sprintf("Attempt %d failed.", len(r.attempts))
			next := &attempt{state: types.JobRunStateSubmitted, created: end, updated: end, life: timeline{outcome: r.outcome}}
			next.life.activate(end, f.opts.RunDuration)
			r.attempts = append(r.attempts, next)
			continue
		}
		at.state = types.JobRunState(r.outcome.State)
		if at.state == "" {
			at.state = types.JobRunStateSuccess
		}
		at.details = r.outcome.Message
		return
	}
}

func (f *Serverless) app(id *string) (*application, error) {
	if err := checkID("applicationId", id); err != nil {
		return nil, err
	}
	a, ok := f.apps[*id]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Application " + *id + " does not exist")}
	}
	f.advance(a, f.clock.Now())
	return a, nil
}

func (f *Serverless) run(appID, runID *string) (*application, *jobRun, error) {
	if err := checkID("jobRunId", runID); err != nil {
		return nil, nil, err
	}
	a, err := f.app(appID)
	if err != nil {
		return nil, nil, err
	}
	r, ok := a.runs[*runID]
	if !ok {
		return nil, nil, &types.ResourceNotFoundException{Message: aws.String("Job run " + *runID + " does not exist")}
	}
	return a, r, nil
}

func isRunTerminal(s types.JobRunState) bool {
	return s == types.JobRunStateSuccess || s == types.JobRunStateFailed || s == types.JobRunStateCancelled
}

// StartApplication moves a CREATED or STOPPED application to STARTING; it is STARTED after
// StartDuration on the fake's clock.
func (f *Serverless) StartApplication(ctx context.Context, in *emrserverless.StartApplicationInput, _ ...func(*emrserverless.Options)) (*emrserverless.StartApplicationOutput, error) {
	return do(ctx, f.Controls, OpStartApplication, in, func(in *emrserverless.StartApplicationInput) (*emrserverless.StartApplicationOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, err := f.app(in.ApplicationId)
		if err != nil {
			return nil, err
		}
		switch a.state {
		case types.ApplicationStateCreated, types.ApplicationStateStopped:
			f.starting(a)
		case types.ApplicationStateStarting, types.ApplicationStateStarted:
		default:
			return nil, slValidation("Application " + a.cfg.ID + " is in " + string(a.state) + " state and cannot be started")
		}
		return &emrserverless.StartApplicationOutput{}, nil
	})
}

func (f *Serverless) starting(a *application) {
	now := f.clock.Now()
	a.state, a.updated, a.startedAt = types.ApplicationStateStarting, now, now.Add(startDuration)
}

// GetApplication returns an application. Reading one that is STARTING reports it with
// WaitingOnClock.
func (f *Serverless) GetApplication(ctx context.Context, in *emrserverless.GetApplicationInput, _ ...func(*emrserverless.Options)) (*emrserverless.GetApplicationOutput, error) {
	return do(ctx, f.Controls, OpGetApplication, in, func(in *emrserverless.GetApplicationInput) (*emrserverless.GetApplicationOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, err := f.app(in.ApplicationId)
		if err != nil {
			return nil, err
		}
		key := "EMR Serverless application " + a.cfg.ID
		if a.state == types.ApplicationStateStarting {
			if err := f.WaitingOnClock(key, f.clock.Now()); err != nil {
				return nil, err
			}
		} else {
			f.Settled(key)
		}
		p := datablocks.PartitionForRegion(defaultRegion)
		return &emrserverless.GetApplicationOutput{Application: &types.Application{
			ApplicationId:          aws.String(a.cfg.ID),
			Name:                   aws.String(a.cfg.ID),
			Arn:                    aws.String(p.ARN("emr-serverless", defaultRegion, defaultAccountID, "/applications/"+a.cfg.ID)),
			State:                  a.state,
			ReleaseLabel:           aws.String(releaseLabel),
			Type:                   aws.String("Spark"),
			CreatedAt:              aws.Time(a.created),
			UpdatedAt:              aws.Time(a.updated),
			AutoStartConfiguration: &types.AutoStartConfig{Enabled: aws.Bool(!a.cfg.NoAutoStart)},
		}}, nil
	})
}

// StartJobRun starts a job run in SUBMITTED, validating the request as the EMR Serverless
// API reference (StartJobRun) says: applicationId 1-64 of [0-9a-z]; clientToken 1-64 of
// [A-Za-z0-9._-]; executionRoleArn 20-2048 characters matching the IAM role ARN pattern;
// jobDriver required, sparkSubmit.entryPoint 1-256 characters; name at most 256 characters;
// executionTimeoutMinutes 0-1000000; mode BATCH or STREAMING; at most 200 tags. A client token
// already used on the application returns the run it started. A CREATED or STOPPED
// application with auto-start goes through STARTING (StartDuration) before the run is
// scheduled; without auto-start the call fails.
func (f *Serverless) StartJobRun(ctx context.Context, in *emrserverless.StartJobRunInput, _ ...func(*emrserverless.Options)) (*emrserverless.StartJobRunOutput, error) {
	return do(ctx, f.Controls, OpStartJobRun, in, f.startJobRun)
}

func checkStartJobRun(in *emrserverless.StartJobRunInput) error {
	token, role := aws.ToString(in.ClientToken), aws.ToString(in.ExecutionRoleArn)
	switch {
	case token == "":
		return slValidation("clientToken must not be empty")
	case len(token) > 64 || !slTokenPattern.MatchString(token):
		return slValidation("clientToken must be 1 to 64 characters of [A-Za-z0-9._-]")
	case role == "":
		return slValidation("executionRoleArn must not be empty")
	case len(role) < 20 || len(role) > 2048 || !slRolePattern.MatchString(role):
		return slValidation(fmt.Sprintf("executionRoleArn %q is not a valid IAM role ARN", role))
	case in.JobDriver == nil:
		return slValidation("jobDriver must not be null")
	case utf8.RuneCountInString(aws.ToString(in.Name)) > 256:
		return slValidation("name must be at most 256 characters")
	case in.ExecutionTimeoutMinutes != nil && (*in.ExecutionTimeoutMinutes < 0 || *in.ExecutionTimeoutMinutes > 1000000):
		return slValidation("executionTimeoutMinutes must be between 0 and 1000000")
	case in.Mode != "" && in.Mode != types.JobRunModeBatch && in.Mode != types.JobRunModeStreaming:
		return slValidation(fmt.Sprintf("mode %q must be one of [BATCH, STREAMING]", in.Mode))
	case len(in.Tags) > 200:
		return slValidation("tags must have at most 200 entries")
	}
	if sd, ok := in.JobDriver.(*types.JobDriverMemberSparkSubmit); ok {
		ep := aws.ToString(sd.Value.EntryPoint)
		if ep == "" || utf8.RuneCountInString(ep) > 256 {
			return slValidation("jobDriver.sparkSubmit.entryPoint must be 1 to 256 characters")
		}
	}
	return nil
}

func (f *Serverless) startJobRun(in *emrserverless.StartJobRunInput) (*emrserverless.StartJobRunOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, err := f.app(in.ApplicationId)
	if err != nil {
		return nil, err
	}
	if err := checkStartJobRun(in); err != nil {
		return nil, err
	}
	p := datablocks.PartitionForRegion(defaultRegion)
	output := func(id string) *emrserverless.StartJobRunOutput {
		return &emrserverless.StartJobRunOutput{
			ApplicationId: aws.String(a.cfg.ID), JobRunId: aws.String(id),
			Arn: aws.String(p.ARN("emr-serverless", defaultRegion, defaultAccountID, "/applications/"+a.cfg.ID+"/jobruns/"+id)),
		}
	}
	token := aws.ToString(in.ClientToken)
	if id, ok := a.tokens[token]; ok {
		return output(id), nil
	}
	now := f.clock.Now()
	switch a.state {
	case types.ApplicationStateStarted, types.ApplicationStateStarting:
	case types.ApplicationStateCreated, types.ApplicationStateStopped:
		if a.cfg.NoAutoStart {
			return nil, slValidation("Application " + a.cfg.ID + " is not started and auto-start is disabled")
		}
		f.starting(a)
	default:
		return nil, slValidation("Application " + a.cfg.ID + " is in " + string(a.state) + " state and cannot accept job runs")
	}
	f.next++
	r := &jobRun{in: *in, id: fmt.Sprintf("00f%013d", f.next), created: now}
	if len(f.scripts) > 0 {
		r.outcome, f.scripts = f.scripts[0], f.scripts[1:]
	}
	r.in.Tags = maps.Clone(in.Tags)
	r.attempts = []*attempt{{state: types.JobRunStateSubmitted, created: now, updated: now, life: timeline{outcome: r.outcome}}}
	a.runs[r.id] = r
	a.tokens[token] = r.id
	f.advance(a, now)
	return output(r.id), nil
}

func (f *Serverless) jobRunView(a *application, r *jobRun, n int) *types.JobRun {
	at := r.attempts[n-1]
	p := datablocks.PartitionForRegion(defaultRegion)
	out := &types.JobRun{
		ApplicationId:           aws.String(a.cfg.ID),
		JobRunId:                aws.String(r.id),
		Arn:                     aws.String(p.ARN("emr-serverless", defaultRegion, defaultAccountID, "/applications/"+a.cfg.ID+"/jobruns/"+r.id)),
		Name:                    r.in.Name,
		ExecutionRole:           r.in.ExecutionRoleArn,
		JobDriver:               r.in.JobDriver,
		ConfigurationOverrides:  r.in.ConfigurationOverrides,
		ExecutionTimeoutMinutes: r.in.ExecutionTimeoutMinutes,
		Tags:                    maps.Clone(r.in.Tags),
		ReleaseLabel:            aws.String(releaseLabel),
		Mode:                    types.JobRunModeBatch,
		State:                   at.state,
		CreatedAt:               aws.Time(r.created),
		UpdatedAt:               aws.Time(at.updated),
		CreatedBy:               aws.String(p.ARN("iam", "", defaultAccountID, "root")),
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

// GetJobRun returns a job run as of its latest attempt (or the attempt asked for, at least
// 1). Reading a run that has not ended reports it with WaitingOnClock.
func (f *Serverless) GetJobRun(ctx context.Context, in *emrserverless.GetJobRunInput, _ ...func(*emrserverless.Options)) (*emrserverless.GetJobRunOutput, error) {
	return do(ctx, f.Controls, OpGetJobRun, in, func(in *emrserverless.GetJobRunInput) (*emrserverless.GetJobRunOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, r, err := f.run(in.ApplicationId, in.JobRunId)
		if err != nil {
			return nil, err
		}
		n := len(r.attempts)
		if in.Attempt != nil {
			n = int(*in.Attempt)
			if n < 1 {
				return nil, slValidation("attempt must be at least 1")
			}
			if n > len(r.attempts) {
				return nil, &types.ResourceNotFoundException{Message: aws.String(fmt.Sprintf("Attempt %d of job run %s does not exist", n, r.id))}
			}
		}
		key := "EMR Serverless job run " + r.id
		if isRunTerminal(r.attempts[len(r.attempts)-1].state) {
			f.Settled(key)
		} else if err := f.WaitingOnClock(key, f.clock.Now()); err != nil {
			return nil, err
		}
		return &emrserverless.GetJobRunOutput{JobRun: f.jobRunView(a, r, n)}, nil
	})
}

// CancelJobRun moves a job run that has not ended to CANCELLING, and CancelDuration later to
// CANCELLED. Cancelling an ended run is a ValidationException.
func (f *Serverless) CancelJobRun(ctx context.Context, in *emrserverless.CancelJobRunInput, _ ...func(*emrserverless.Options)) (*emrserverless.CancelJobRunOutput, error) {
	return do(ctx, f.Controls, OpCancelJobRun, in, func(in *emrserverless.CancelJobRunInput) (*emrserverless.CancelJobRunOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, r, err := f.run(in.ApplicationId, in.JobRunId)
		if err != nil {
			return nil, err
		}
		at := r.attempts[len(r.attempts)-1]
		if isRunTerminal(at.state) {
			return nil, slValidation("Job run " + r.id + " is in " + string(at.state) + " state and cannot be cancelled")
		}
		now := f.clock.Now()
		if at.state != types.JobRunStateCancelling {
			at.state, at.updated, at.cancelAt = types.JobRunStateCancelling, now, now.Add(cancelDuration)
		}
		return &emrserverless.CancelJobRunOutput{ApplicationId: aws.String(a.cfg.ID), JobRunId: aws.String(r.id)}, nil
	})
}

// ListJobRunAttempts lists a job run's attempts, oldest first, maxResults (1-50) or PageSize
// a page.
func (f *Serverless) ListJobRunAttempts(ctx context.Context, in *emrserverless.ListJobRunAttemptsInput, _ ...func(*emrserverless.Options)) (*emrserverless.ListJobRunAttemptsOutput, error) {
	return do(ctx, f.Controls, OpListJobRunAttempts, in, func(in *emrserverless.ListJobRunAttemptsInput) (*emrserverless.ListJobRunAttemptsOutput, error) {
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
				return nil, slValidation("maxResults must be between 1 and 50")
			}
		}
		offset := 0
		if t := aws.ToString(in.NextToken); t != "" {
			n, err := strconv.Atoi(t)
			if err != nil || n < 0 || n > len(r.attempts) {
				return nil, slValidation("Invalid nextToken")
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
