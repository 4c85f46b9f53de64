package emrtest

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// eksReleases are the EMR releases the Containers fake knows by default: those the Amazon
// EMR on EKS release guide lists (5.32.0 to 7.9.0). A release label is one of them followed by
// -latest or a -YYYYMMDD build date, such as emr-7.5.0-latest or emr-6.5.0-20211119.
var eksReleases = []string{
	"5.32.0", "5.33.0", "5.34.0", "5.35.0", "5.36.0",
	"6.2.0", "6.3.0", "6.4.0", "6.5.0", "6.6.0", "6.7.0", "6.8.0", "6.9.0", "6.10.0", "6.11.0",
	"6.12.0", "6.13.0", "6.14.0", "6.15.0",
	"7.0.0", "7.1.0", "7.2.0", "7.3.0", "7.4.0", "7.5.0", "7.6.0", "7.7.0", "7.8.0", "7.9.0",
}

// VirtualClusterConfig seeds a virtual cluster of the Containers fake.
type VirtualClusterConfig struct {
	// ID is the virtual cluster ID. Empty means a generated one.
	ID string
	// State is the state. Zero means RUNNING.
	State types.VirtualClusterState
}

// Containers is a fake of the EMR on EKS control plane: virtual clusters and job runs. It is
// safe for concurrent use.
type Containers struct {
	*fakecontrol.Controls

	opts    Options
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
	life     timeline
	cancelAt time.Time
}

// NewContainers returns a Containers fake without virtual clusters; add them with
// AddVirtualCluster. Its StartJobRun accepts the releases of the Amazon EMR on EKS release
// guide, 5.32.0 to 7.9.0.
func NewContainers(optFns ...func(*Options)) *Containers {
	o := newOptions(optFns)
	return &Containers{
		Controls: fakecontrol.New(eksThrottled, OpStartJobRun, OpDescribeJobRun, OpCancelJobRun),
		opts:     o, clock: newClock(o.Clock), vcs: map[string]*virtualCluster{},
	}
}

// eksThrottled is EMR on EKS's own throttling error, RequestThrottledException (HTTP 429).
func eksThrottled(string) error {
	return &types.RequestThrottledException{Message: aws.String("Rate exceeded")}
}

// Clock returns the fake's clock, which helpers use when their Wait.Clock is nil.
func (f *Containers) Clock() datablocks.Clock { return f.clock }

// Service describes the fake as EMR on EKS (restJson1, the routes of the EMR on EKS API
// reference) for package localaws, so the real *emrcontainers.Client reaches it.
func (f *Containers) Service() localaws.Service {
	return localaws.Service{
		SigningName: "emr-containers",
		Protocol:    localaws.RESTJSON1,
		Naming:      localaws.LowerCamel,
		// The model gives JobRun's timestamps the date-time format.
		DateTimes: []string{"JobRun.CreatedAt", "JobRun.FinishedAt"},
		ErrorStatus: map[string]int{
			"ResourceNotFoundException": http.StatusBadRequest, "RequestThrottledException": http.StatusTooManyRequests,
			"EKSRequestThrottledException": http.StatusTooManyRequests,
		},
		Operations: []localaws.Operation{
			localaws.Route(OpStartJobRun, http.MethodPost, "/virtualclusters/{virtualClusterId}/jobruns", f.StartJobRun),
			localaws.Route(OpDescribeJobRun, http.MethodGet, "/virtualclusters/{virtualClusterId}/jobruns/{id}", f.DescribeJobRun),
			localaws.Route(OpCancelJobRun, http.MethodDelete, "/virtualclusters/{virtualClusterId}/jobruns/{id}", f.CancelJobRun),
		},
	}
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

// ScriptNext queues outcomes for the next job runs started, in order.
func (f *Containers) ScriptNext(outcomes ...Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, outcomes...)
}

func eksValidation(msg string) error { return &types.ValidationException{Message: aws.String(msg)} }

var (
	// Patterns of the EMR on EKS API reference (StartJobRun, DescribeJobRun).
	eksIDPattern      = regexp.MustCompile(`^[0-9a-z]+$`)
	eksNamePattern    = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]+$`)
	eksTokenPattern   = regexp.MustCompile(`\S`)
	eksRolePattern    = regexp.MustCompile(`^arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((/)|(/[\x21-\x7F]+/))[\w+=,.@-]+)$`)
	eksReleasePattern = regexp.MustCompile(`^[.\-_/A-Za-z0-9]+$`)
	eksEntryPattern   = regexp.MustCompile("^[^';|&<>*?`$(){}\\[\\]!#\\\\]*$")
	// eksReleaseLabel splits a release label into its release and its -latest or build date.
	eksReleaseLabel = regexp.MustCompile(`^emr-([0-9]+\.[0-9]+\.[0-9]+)-(latest|[0-9]{8})$`)
)

func checkEKSID(member string, v *string) error {
	switch {
	case v == nil || *v == "":
		return eksValidation(member + " must not be empty")
	case len(*v) > 64 || !eksIDPattern.MatchString(*v):
		return eksValidation(fmt.Sprintf("%s %q must be 1 to 64 characters of [0-9a-z]", member, *v))
	}
	return nil
}

func (f *Containers) vc(id *string) (*virtualCluster, error) {
	if err := checkEKSID("virtualClusterId", id); err != nil {
		return nil, err
	}
	vc, ok := f.vcs[*id]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Virtual cluster " + *id + " doesn't exist.")}
	}
	return vc, nil
}

func (f *Containers) run(vcID, id *string) (*virtualCluster, *eksRun, error) {
	if err := checkEKSID("id", id); err != nil {
		return nil, nil, err
	}
	vc, err := f.vc(vcID)
	if err != nil {
		return nil, nil, err
	}
	r, ok := vc.runs[*id]
	if !ok {
		return nil, nil, &types.ResourceNotFoundException{Message: aws.String("Job run " + *id + " doesn't exist.")}
	}
	f.advance(r, f.clock.Now())
	return vc, r, nil
}

func isEKSTerminal(s types.JobRunState) bool {
	return s == types.JobRunStateCompleted || s == types.JobRunStateFailed || s == types.JobRunStateCancelled
}

func (f *Containers) arn(vcID, runID string) string {
	p := datablocks.PartitionForRegion(defaultRegion)
	return p.ARN("emr-containers", defaultRegion, defaultAccountID, "/virtualclusters/"+vcID+"/jobruns/"+runID)
}

// StartJobRun starts a job run in PENDING, validating the request as the EMR on EKS API
// reference (StartJobRun) says: virtualClusterId 1-64 of [0-9a-z]; name 1-64 of
// [.-_/#A-Za-z0-9]; clientToken 1-64 characters, not blank; executionRoleArn 20-2048
// characters matching the IAM role ARN pattern; releaseLabel 1-64 of [.-_/A-Za-z0-9];
// jobDriver with a sparkSubmitJobDriver or sparkSqlJobDriver, a Spark entryPoint 1-256
// characters without shell metacharacters. A release label that names no EMR on EKS release
// is a ResourceNotFoundException, as EMR answers. A client token already used on the
// virtual cluster returns the run it started; a virtual cluster that is not RUNNING refuses
// job runs.
func (f *Containers) StartJobRun(ctx context.Context, in *emrcontainers.StartJobRunInput, _ ...func(*emrcontainers.Options)) (*emrcontainers.StartJobRunOutput, error) {
	return do(ctx, f.Controls, OpStartJobRun, in, f.startJobRun)
}

func checkEKSStart(in *emrcontainers.StartJobRunInput) error {
	token, role, label, name := aws.ToString(in.ClientToken), aws.ToString(in.ExecutionRoleArn), aws.ToString(in.ReleaseLabel), aws.ToString(in.Name)
	switch {
	case in.Name != nil && (name == "" || len(name) > 64 || !eksNamePattern.MatchString(name)):
		return eksValidation(fmt.Sprintf("name %q must be 1 to 64 characters of [.-_/#A-Za-z0-9]", name))
	case token == "" || len(token) > 64 || !eksTokenPattern.MatchString(token):
		return eksValidation("clientToken must be 1 to 64 characters, not all white space")
	case role == "":
		return eksValidation("executionRoleArn must not be empty")
	case len(role) < 20 || len(role) > 2048 || !eksRolePattern.MatchString(role):
		return eksValidation(fmt.Sprintf("executionRoleArn %q is not a valid IAM role ARN", role))
	case label == "":
		return eksValidation("releaseLabel must not be empty")
	case len(label) > 64 || !eksReleasePattern.MatchString(label):
		return eksValidation(fmt.Sprintf("releaseLabel %q must be 1 to 64 characters of [.-_/A-Za-z0-9]", label))
	case in.JobDriver == nil || (in.JobDriver.SparkSubmitJobDriver == nil && in.JobDriver.SparkSqlJobDriver == nil):
		return eksValidation("jobDriver must have a sparkSubmitJobDriver or a sparkSqlJobDriver")
	}
	if d := in.JobDriver.SparkSubmitJobDriver; d != nil {
		ep := aws.ToString(d.EntryPoint)
		if ep == "" || utf8.RuneCountInString(ep) > 256 || !eksEntryPattern.MatchString(ep) {
			return eksValidation(fmt.Sprintf("jobDriver.sparkSubmitJobDriver.entryPoint %q must be 1 to 256 characters without shell metacharacters", ep))
		}
	}
	return nil
}

func (f *Containers) startJobRun(in *emrcontainers.StartJobRunInput) (*emrcontainers.StartJobRunOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	vc, err := f.vc(in.VirtualClusterId)
	if err != nil {
		return nil, err
	}
	if err := checkEKSStart(in); err != nil {
		return nil, err
	}
	output := func(r *eksRun) *emrcontainers.StartJobRunOutput {
		return &emrcontainers.StartJobRunOutput{Id: aws.String(r.id), Name: r.in.Name, VirtualClusterId: aws.String(vc.cfg.ID), Arn: aws.String(f.arn(vc.cfg.ID, r.id))}
	}
	if id, ok := vc.tokens[*in.ClientToken]; ok {
		return output(vc.runs[id]), nil
	}
	if m := eksReleaseLabel.FindStringSubmatch(*in.ReleaseLabel); m == nil || !slices.Contains(eksReleases, m[1]) {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Release " + *in.ReleaseLabel + " does not exist")}
	}
	if vc.cfg.State != types.VirtualClusterStateRunning {
		return nil, eksValidation("Virtual cluster " + vc.cfg.ID + " is in " + string(vc.cfg.State) + " state")
	}
	now := f.clock.Now()
	f.next++
	r := &eksRun{in: *in, id: fmt.Sprintf("%019d", f.next), state: types.JobRunStatePending, created: now}
	r.in.Tags = maps.Clone(in.Tags)
	if len(f.scripts) > 0 {
		r.life.outcome, f.scripts = f.scripts[0], f.scripts[1:]
	}
	r.life.activate(now, f.opts.RunDuration)
	vc.runs[r.id] = r
	vc.tokens[*in.ClientToken] = r.id
	return output(r), nil
}

var eksIntermediate = []string{string(types.JobRunStatePending), string(types.JobRunStateSubmitted), string(types.JobRunStateRunning)}

// advance moves a job run to now.
func (f *Containers) advance(r *eksRun, now time.Time) {
	if isEKSTerminal(r.state) {
		return
	}
	if r.state == types.JobRunStateCancelPending {
		if !now.Before(r.cancelAt) {
			r.state, r.details, r.finished = types.JobRunStateCancelled, "Job run cancelled by user.", r.cancelAt
		}
		return
	}
	state, done := r.life.phase(now, eksIntermediate)
	if !done {
		r.state = types.JobRunState(state)
		return
	}
	o := r.life.outcome
	r.state, r.reason, r.details, r.finished = types.JobRunState(o.State), types.FailureReason(o.Reason), o.Message, r.life.endAt()
	if r.state == "" {
		r.state = types.JobRunStateCompleted
	}
}

// DescribeJobRun returns a job run. Reading one that has not ended reports it with
// WaitingOnClock.
func (f *Containers) DescribeJobRun(ctx context.Context, in *emrcontainers.DescribeJobRunInput, _ ...func(*emrcontainers.Options)) (*emrcontainers.DescribeJobRunOutput, error) {
	return do(ctx, f.Controls, OpDescribeJobRun, in, func(in *emrcontainers.DescribeJobRunInput) (*emrcontainers.DescribeJobRunOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		vc, r, err := f.run(in.VirtualClusterId, in.Id)
		if err != nil {
			return nil, err
		}
		key := "EMR on EKS job run " + r.id
		if isEKSTerminal(r.state) {
			f.Settled(key)
		} else if err := f.WaitingOnClock(key, f.clock.Now()); err != nil {
			return nil, err
		}
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
			CreatedBy:              aws.String(datablocks.PartitionForRegion(defaultRegion).ARN("iam", "", defaultAccountID, "root")),
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

// CancelJobRun moves a job run that has not ended to CANCEL_PENDING, and CancelDuration
// later to CANCELLED. Cancelling an ended run is a ValidationException.
func (f *Containers) CancelJobRun(ctx context.Context, in *emrcontainers.CancelJobRunInput, _ ...func(*emrcontainers.Options)) (*emrcontainers.CancelJobRunOutput, error) {
	return do(ctx, f.Controls, OpCancelJobRun, in, func(in *emrcontainers.CancelJobRunInput) (*emrcontainers.CancelJobRunOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		vc, r, err := f.run(in.VirtualClusterId, in.Id)
		if err != nil {
			return nil, err
		}
		if isEKSTerminal(r.state) {
			return nil, eksValidation("Job run " + r.id + " is in " + string(r.state) + " state and cannot be cancelled")
		}
		if r.state != types.JobRunStateCancelPending {
			r.state, r.cancelAt = types.JobRunStateCancelPending, f.clock.Now().Add(cancelDuration)
		}
		return &emrcontainers.CancelJobRunOutput{Id: aws.String(r.id), VirtualClusterId: aws.String(vc.cfg.ID)}, nil
	})
}
