package emr

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Runtime names an EMR runtime.
type Runtime string

// The three EMR runtimes a SparkSubmit runs on.
const (
	RuntimeSteps      Runtime = "EMR on EC2"
	RuntimeServerless Runtime = "EMR Serverless"
	RuntimeEKS        Runtime = "EMR on EKS"
)

// Run is one submitted Spark application on any runtime: a step (*StepRun), an EMR Serverless
// job run (*ServerlessRun) or an EMR on EKS job run (*ContainersRun).
type Run interface {
	// Runtime reports where the run executes.
	Runtime() Runtime
	// ID is the service's identifier of the run: a step ID or a job run ID.
	ID() string
	// Wait blocks until the run ends and returns its final state: COMPLETED for steps and EMR
	// on EKS, SUCCESS for EMR Serverless. A run that fails, is cancelled or interrupted
	// returns a *JobFailedError. Cancelling ctx stops the wait, not the run.
	Wait(ctx context.Context) (string, error)
	// Cancel asks the service to cancel the run. It does not wait; call Wait for the outcome.
	Cancel(ctx context.Context) error
}

var (
	_ Run = (*StepRun)(nil)
	_ Run = (*ServerlessRun)(nil)
	_ Run = (*ContainersRun)(nil)
)

// Defaults of WaitOptions.
const (
	// DefaultMinDelay is the first delay between two status checks.
	DefaultMinDelay = 2 * time.Second
	// DefaultMaxDelay caps the delay between two status checks.
	DefaultMaxDelay = 30 * time.Second
)

// Progress reports one observed state change of a run.
type Progress struct {
	Runtime  Runtime
	ID       string        // step ID or job run ID
	Previous string        // the state before; empty on the first observation
	State    string        // the state now
	Elapsed  time.Duration // since the wait began
}

// WaitOptions configures how runs are followed. The zero value polls every 2 s, backing off
// with jitter to 30 s, with no timeout other than the context's.
type WaitOptions struct {
	// MinDelay is the first delay between checks, overriding DefaultMinDelay (2s). Zero means
	// the default. The delay grows with jitter up to MaxDelay and falls back to MinDelay when
	// a state changes.
	MinDelay time.Duration
	// MaxDelay caps the delay between checks, overriding DefaultMaxDelay (30s). Zero means the
	// default.
	MaxDelay time.Duration
	// Timeout bounds one Wait. Zero means no bound other than the context's.
	Timeout time.Duration
	// Clock sleeps between checks. Nil means the system clock; tests pass a
	// datablocks.ManualClock (the same one as the emrtest fakes).
	Clock datablocks.Clock
	// Jitter returns a number in [0,1) that places each delay between MinDelay and the
	// current backoff cap. Nil means random; tests pass a constant.
	Jitter func() float64
	// OnProgress, if set, is called on the waiting goroutine for every observed state change
	// of every run being waited on.
	OnProgress func(Progress)
}

func (w WaitOptions) poll(what string, logger *slog.Logger) poll.Options {
	return poll.Options{
		What:      what,
		MinDelay:  w.MinDelay,
		MaxDelay:  w.MaxDelay,
		Timeout:   w.Timeout,
		Clock:     w.Clock,
		Jitter:    w.Jitter,
		Retryable: isTransient,
		Logger:    logger,
	}
}

// isTransient reports errors worth retrying while waiting or submitting: throttling by the
// SDK's definition (including EMR on EKS's RequestThrottledException), EKS throttling, and
// server-side faults.
func isTransient(err error) bool {
	if err == nil {
		return false
	}
	if poll.IsThrottle(err) {
		return true
	}
	var eks *types.EKSRequestThrottledException
	if errors.As(err, &eks) {
		return true
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "InternalServerError", "InternalServerException", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException":
			return true
		}
		return ae.ErrorFault() == smithy.FaultServer
	}
	return false
}

// tracker reports state changes of many runs through OnProgress and the logger.
type tracker struct {
	rt     Runtime
	last   map[string]string
	start  time.Time
	clock  datablocks.Clock
	hook   func(Progress)
	logger *slog.Logger
}

func newTracker(rt Runtime, w WaitOptions, logger *slog.Logger) *tracker {
	c := w.Clock
	if c == nil {
		c = datablocks.SystemClock()
	}
	return &tracker{rt: rt, last: map[string]string{}, start: c.Now(), clock: c, hook: w.OnProgress, logger: logger}
}

func (t *tracker) observe(id, state string) {
	prev, seen := t.last[id]
	if seen && prev == state {
		return
	}
	t.last[id] = state
	p := Progress{Runtime: t.rt, ID: id, Previous: prev, State: state, Elapsed: t.clock.Now().Sub(t.start)}
	if t.hook != nil {
		t.hook(p)
	}
	if t.logger != nil {
		t.logger.Info("emr: run state", "runtime", string(t.rt), "id", id, "from", prev, "to", state)
	}
}
