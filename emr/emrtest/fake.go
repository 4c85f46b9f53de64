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
	// DefaultPageSize is the page size of the fakes' list operations (small, so callers that
	// ignore Marker or NextToken fail their tests). EMR itself returns up to 50 steps a page.
	DefaultPageSize = 3
)

// Outcome scripts how a run (step or job run) ends and how long it takes to get there.
//
// A run becomes active when it can run (a step when its cluster has a free slot under
// StepConcurrencyLevel, a job run at once). Every status read of an active run (a ListSteps or
// DescribeStep that returns the step, a GetJobRun or DescribeJobRun) counts as a poll; the
// first Polls polls walk through the runtime's intermediate states (steps: PENDING, RUNNING;
// EMR Serverless: SUBMITTED, PENDING, SCHEDULED, RUNNING; EMR on EKS: PENDING, SUBMITTED,
// RUNNING), staying in the last one, and the next poll after that, once After has passed on
// the fake's clock, sees the final state.
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
	// Polls is the number of polls that see the run before it ends. Zero means one per
	// intermediate state.
	Polls int
	// After is the least time, by the fake's clock, from activation to the end.
	After time.Duration
	// FailedAttempts (EMR Serverless) is the number of attempts that fail before the attempt
	// that ends with State; each takes Polls polls and After.
	FailedAttempts int
}

// progress is the scripted life of one run (or one attempt).
type progress struct {
	outcome  Outcome
	reads    int
	activeAt time.Time
}

// next counts a poll and reports the intermediate state to show, or done when the run ends.
func (p *progress) next(now time.Time, intermediate []string) (state string, done bool) {
	p.reads++
	polls := p.outcome.Polls
	if polls <= 0 {
		polls = len(intermediate)
	}
	if p.reads > polls && !now.Before(p.activeAt.Add(p.outcome.After)) {
		return "", true
	}
	i := min(p.reads, polls, len(intermediate)) - 1
	return intermediate[max(i, 0)], false
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

func clockOr(c datablocks.Clock) datablocks.Clock {
	if c == nil {
		return datablocks.SystemClock()
	}
	return c
}
