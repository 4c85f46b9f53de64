package emrtest

import (
	"context"
	"time"

	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// What the fakes do when their Options or an Outcome do not say otherwise.
const (
	// defaultRegion and defaultAccountID appear in the ARNs the fakes return.
	defaultRegion    = "eu-west-1"
	defaultAccountID = "123456789012"
	// defaultPageSize is the number of steps per ListSteps page (50, as the EMR API reference,
	// ListSteps, Marker, documents) and of attempts per ListJobRunAttempts page when the
	// request sets no maxResults (50, the largest maxResults the EMR Serverless API reference
	// allows).
	defaultPageSize = 50
	// defaultRunDuration is how long a run takes, by the fake's clock, from activation to
	// its end when neither its Outcome nor the fake's options say otherwise.
	defaultRunDuration = time.Minute
	// cancelDuration is how long a cancelled run stays CANCEL_PENDING (steps, EMR on EKS) or
	// CANCELLING (EMR Serverless) before it is CANCELLED.
	cancelDuration = 10 * time.Second
	// startDuration is how long an EMR Serverless application stays STARTING.
	startDuration = 30 * time.Second
)

// Options configures a fake. NewEMR, NewServerless, NewContainers and NewS3 take the same
// options; each uses those that apply to it.
type Options struct {
	// Clock is the fake's time, the only thing that moves runs and applications (and the
	// LastModified of the S3 fake). Nil means the fake's own datablocks.ManualClock, starting
	// at the current second, which the fake's Clock method returns.
	Clock datablocks.Clock
	// PageSize is the number of steps per ListSteps page (EMR) and of attempts per
	// ListJobRunAttempts page when the request sets no maxResults (EMR Serverless). Zero
	// means 50, the services' own; tests of pagination set a small one.
	PageSize int
	// RunDuration is how long a run (a step, a job run or one attempt of it) takes when its
	// Outcome sets no Duration. Zero means one minute.
	RunDuration time.Duration
}

// newOptions applies optFns to the zero Options and fills in the defaults.
func newOptions(optFns []func(*Options)) Options {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultPageSize
	}
	if o.RunDuration <= 0 {
		o.RunDuration = defaultRunDuration
	}
	return o
}

// Outcome scripts how a run (a step or a job run) ends and how long it takes to get there.
//
// A run becomes active when it can run: a step when its cluster has a free slot under
// StepConcurrencyLevel, an EMR Serverless job run when its application is STARTED, an EMR on
// EKS job run at once. From then on only the fake's clock moves it: the run walks through the
// runtime's intermediate states (steps: RUNNING; EMR Serverless: SUBMITTED, PENDING,
// SCHEDULED, RUNNING; EMR on EKS: PENDING, SUBMITTED, RUNNING), each for an equal share of
// Duration, and ends Duration after activation. How often it is read changes nothing.
type Outcome struct {
	// State is the final state: FAILED, CANCELLED, INTERRUPTED (steps). Empty means success
	// (COMPLETED for steps and EMR on EKS, SUCCESS for EMR Serverless). Used as given.
	State string
	// Reason is a step's FailureDetails.Reason or an EMR on EKS job run's failureReason
	// (USER_ERROR, ...). EMR Serverless has no reason field.
	Reason string
	// Message is a step's FailureDetails.Message or a job run's stateDetails.
	Message string
	// Duration is the time from activation to the end, by the fake's clock. Zero means the
	// fake's Options.RunDuration (one minute unless set).
	Duration time.Duration
	// FailedAttempts (EMR Serverless) is the number of attempts that fail before the attempt
	// that ends with State; each takes Duration.
	FailedAttempts int
}

// timeline is the scripted life of one run (or one attempt): active from activeAt, ending at
// activeAt + duration.
type timeline struct {
	outcome  Outcome
	active   bool
	activeAt time.Time
	duration time.Duration
}

func (t *timeline) activate(at time.Time, def time.Duration) {
	t.active, t.activeAt, t.duration = true, at, t.outcome.Duration
	if t.duration <= 0 {
		t.duration = def
	}
}

func (t *timeline) endAt() time.Time { return t.activeAt.Add(t.duration) }

// phase returns the intermediate state at now (the first one before activation), or done
// when the run has ended by now.
func (t *timeline) phase(now time.Time, intermediate []string) (state string, done bool) {
	if !t.active || now.Before(t.activeAt) {
		return intermediate[0], false
	}
	if !now.Before(t.endAt()) {
		return "", true
	}
	i := int(int64(now.Sub(t.activeAt)) * int64(len(intermediate)) / int64(t.duration))
	return intermediate[min(i, len(intermediate)-1)], false
}

// do runs one operation of a fake through its controls (fakecontrol.Do): queued control
// functions first, then fn, unless ctx is done, as the SDK client returns the context's error
// without sending anything. A nil input is treated as an empty one, as the SDK does.
func do[In, Out any](ctx context.Context, c *fakecontrol.Controls, op string, in *In, fn func(*In) (*Out, error)) (*Out, error) {
	if in == nil {
		in = new(In)
	}
	return fakecontrol.Do(c, op, in, func(in *In) (*Out, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return fn(in)
	})
}

// validationError is the ValidationException of EMR, which has no typed one: an API error with
// that code and a client fault.
func validationError(msg string) error {
	return &smithy.GenericAPIError{Code: "ValidationException", Message: msg, Fault: smithy.FaultClient}
}

// newClock returns c, or the fake's own manual clock starting at the current second.
func newClock(c datablocks.Clock) datablocks.Clock {
	if c == nil {
		return datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	return c
}
