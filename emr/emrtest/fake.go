package emrtest

import (
	"context"
	"time"

	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// Defaults of the fakes' options.
const (
	// DefaultRegion and DefaultAccountID appear in the ARNs the fakes return.
	DefaultRegion    = "eu-west-1"
	DefaultAccountID = "123456789012"
	// DefaultStepPageSize is the number of steps per ListSteps page: 50, as the EMR API
	// reference (ListSteps, Marker) documents.
	DefaultStepPageSize = 50
	// DefaultAttemptPageSize is the number of attempts per ListJobRunAttempts page when the
	// request sets no maxResults: 50, the largest maxResults the EMR Serverless API
	// reference allows.
	DefaultAttemptPageSize = 50
	// DefaultRunDuration is how long a run takes, by the fake's clock, from activation to
	// its end when neither its Outcome nor the fake's options say otherwise.
	DefaultRunDuration = time.Minute
	// DefaultCancelDuration is how long a cancelled run stays CANCEL_PENDING (steps, EMR on
	// EKS) or CANCELLING (EMR Serverless) before it is CANCELLED.
	DefaultCancelDuration = 10 * time.Second
	// DefaultStartDuration is how long an EMR Serverless application stays STARTING.
	DefaultStartDuration = 30 * time.Second
)

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
	// LogFile is a step's FailureDetails.LogFile. Empty means stderr.gz under the cluster's
	// log URI, if it has one.
	LogFile string
	// Duration is the time from activation to the end, by the fake's clock. Zero means the
	// fake's Options.RunDuration.
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
