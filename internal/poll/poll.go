// Package poll is the one wait loop every datablocks waiter uses: exponential backoff with
// jitter between a minimum and a maximum delay, an overall timeout, prompt return on context
// cancellation, tolerance of throttling, an injectable clock so tests never sleep, and a
// progress hook called on every observed state change.
package poll

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/datablocks-go/datablocks"
)

// Defaults used when the corresponding Options field is zero.
const (
	DefaultMinDelay = 2 * time.Second
	DefaultMaxDelay = 30 * time.Second
	// DefaultMaxTransient bounds consecutive retryable errors (throttling) before the wait gives up.
	DefaultMaxTransient = 20
)

// Check observes the resource once. It returns a short description of the observed state (used
// for progress reports and timeout errors), whether waiting is over, and an error. A non-nil error
// ends the wait unless Options.Retryable reports it as transient.
type Check func(ctx context.Context) (state string, done bool, err error)

// Progress is the state-change report, shared by every package.
type Progress = datablocks.Progress

// Options configures a wait. The zero value is usable.
type Options struct {
	// What names the resource in logs and errors, e.g. "EMR step s-123".
	What string
	// MinDelay is the first delay, overriding DefaultMinDelay. Zero means the default.
	MinDelay time.Duration
	// MaxDelay caps every delay, overriding DefaultMaxDelay. Zero means the default.
	MaxDelay time.Duration
	// Timeout bounds the whole wait, by the Clock: the last check runs at the deadline and the
	// wait then ends with a *TimeoutError. With the system clock a check still running at the
	// deadline (a hung API call) is cancelled and the wait ends with a *TimeoutError too; with
	// any other clock, whose time is virtual, Timeout is checked between checks only.
	// Zero means no bound other than the context's.
	Timeout time.Duration
	// Clock sleeps and tells time. Nil means datablocks.SystemClock().
	Clock datablocks.Clock
	// Jitter returns a number in [0,1) that places each delay between MinDelay and the current
	// backoff cap. Nil means math/rand/v2. Tests pass a constant for exact delays.
	Jitter func() float64
	// Retryable reports whether a Check error is transient, so the wait backs off and checks
	// again. Nil means IsThrottle.
	Retryable func(error) bool
	// MaxTransient bounds consecutive transient errors, overriding DefaultMaxTransient. Zero
	// means the default; negative means none is tolerated.
	MaxTransient int
	// OnProgress, if set, is called on the waiting goroutine for every observed state change.
	OnProgress func(Progress)
	// Logger, if set, receives a debug line per state change. Nil means silent.
	Logger *slog.Logger
}

// TimeoutError reports that Options.Timeout passed before the wait was over.
// It matches context.DeadlineExceeded with errors.Is.
type TimeoutError struct {
	// What is Options.What.
	What string
	// After is Options.Timeout.
	After time.Duration
	// LastState is the state the last successful check observed.
	LastState string
}

// Error names the resource, the timeout and the last state.
func (e *TimeoutError) Error() string {
	what := e.What
	if what == "" {
		what = "resource"
	}
	return fmt.Sprintf("timed out after %s waiting for %s (last state %q)", e.After, what, e.LastState)
}

// Is makes errors.Is(err, context.DeadlineExceeded) true.
func (e *TimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// throttles is the SDK's own list of throttling error codes.
var throttles = retry.IsErrorThrottles(retry.DefaultThrottles)

// IsThrottle reports whether err is a throttling error by the SDK's definition
// (ThrottlingException, TooManyRequestsException, RequestLimitExceeded, ...).
func IsThrottle(err error) bool {
	return err != nil && throttles.IsErrorThrottle(err) == aws.TrueTernary
}

// FromWait returns the poll options for a user's datablocks.WaitOptions: what names the
// resource; the helper then sets Retryable, MaxTransient or its own default delays as needed.
func FromWait(what string, w datablocks.WaitOptions) Options {
	return Options{
		What: what, MinDelay: w.MinDelay, MaxDelay: w.MaxDelay, Timeout: w.Timeout,
		Clock: w.Clock, Jitter: w.Jitter, OnProgress: w.OnProgress, Logger: w.Logger,
	}
}

// FromRetry returns the poll options for a user's datablocks.RetryOptions, for a retry loop
// written as a Wait whose check makes the call: the helper sets Retryable, and MaxTransient
// (from MaxAttempts) bounds the calls.
func FromRetry(what string, r datablocks.RetryOptions) Options {
	return FromRetryFor(what, r, nil)
}

// FromWaitFor is FromWait for a wait that polls client: with no Clock in w, the wait runs on
// the client's clock when client is a fake (a datablocks.ClockSource), so a test that wires a
// helper to a fake and nothing else sleeps no wall-clock time.
func FromWaitFor(what string, w datablocks.WaitOptions, client any) Options {
	o := FromWait(what, w)
	o.Clock = ClockFor(w.Clock, client)
	return o
}

// FromRetryFor is FromRetry for retries of calls to client, taking the client's clock as
// FromWaitFor does.
func FromRetryFor(what string, r datablocks.RetryOptions, client any) Options {
	clock := r.Clock
	if client != nil {
		clock = ClockFor(r.Clock, client)
	}
	return Options{
		What: what, MinDelay: r.MinDelay, MaxDelay: r.MaxDelay, Clock: clock, Jitter: r.Jitter,
		MaxTransient: transientFor(r.MaxAttempts),
	}
}

// transientFor converts a bound on attempts to a bound on transient errors: zero keeps the
// default, one attempt tolerates none.
func transientFor(maxAttempts int) int {
	switch {
	case maxAttempts <= 0:
		return 0
	case maxAttempts == 1:
		return -1
	default:
		return maxAttempts - 1
	}
}

func (o Options) withDefaults() Options {
	if o.MinDelay <= 0 {
		o.MinDelay = DefaultMinDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = DefaultMaxDelay
	}
	if o.MaxDelay < o.MinDelay {
		o.MaxDelay = o.MinDelay
	}
	if o.Clock == nil {
		o.Clock = datablocks.SystemClock()
	}
	if o.Jitter == nil {
		o.Jitter = rand.Float64
	}
	if o.Retryable == nil {
		o.Retryable = IsThrottle
	}
	if o.MaxTransient == 0 {
		o.MaxTransient = DefaultMaxTransient
	}
	return o
}

// Delay returns the delay before check number attempt+1 (attempt counts from 0): a point chosen
// by jitter in [0,1] (clamped to it) between min and min(max, min·2^attempt). The doubling
// stops at max, so it cannot overflow however many attempts a long wait makes.
func Delay(minDelay, maxDelay time.Duration, attempt int, jitter float64) time.Duration {
	if maxDelay < minDelay {
		maxDelay = minDelay
	}
	ceiling := minDelay
	for i := 0; i < attempt && ceiling < maxDelay; i++ {
		if ceiling <= 0 || ceiling > maxDelay/2 {
			ceiling = maxDelay
			break
		}
		ceiling *= 2
	}
	switch {
	case !(jitter > 0): // also NaN
		jitter = 0
	case jitter > 1:
		jitter = 1
	}
	return minDelay + time.Duration(jitter*float64(ceiling-minDelay))
}

// Wait calls check until it reports done, returns a non-transient error, the timeout passes or
// ctx is done. The first check runs at once. A state change resets the backoff to MinDelay,
// since a resource that moves is likely to move again soon.
//
// On cancellation Wait returns promptly with an error wrapping ctx.Err(); on Options.Timeout it
// returns a *TimeoutError. A check error is returned unchanged.
func Wait(ctx context.Context, opts Options, check Check) error {
	o := opts.withDefaults()
	start := o.Clock.Now()
	var deadline time.Time
	if o.Timeout > 0 {
		deadline = start.Add(o.Timeout)
	}
	last, step, transient := "", 0, 0
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("waiting for %s: %w", o.what(), err)
		}
		state, done, err := o.checkWithin(ctx, deadline, check)
		switch {
		case err != nil && ctx.Err() == nil && errors.Is(err, errCheckTimedOut):
			return &TimeoutError{What: o.What, After: o.Timeout, LastState: last}
		case err != nil && ctx.Err() != nil:
			return fmt.Errorf("waiting for %s: %w", o.what(), errors.Join(ctx.Err(), err))
		case err != nil && o.Retryable(err):
			transient++
			if transient > max(o.MaxTransient, 0) {
				return fmt.Errorf("waiting for %s: %d consecutive transient errors: %w", o.what(), transient, err)
			}
			if o.Logger != nil {
				o.Logger.Debug("transient error while waiting", "what", o.What, "attempt", attempt, "error", err)
			}
		case err != nil:
			return err
		default:
			transient = 0
			if state != last || attempt == 1 {
				if attempt > 1 {
					step = 0
				}
				p := Progress{What: o.What, Attempt: attempt, Previous: last, State: state, Elapsed: o.Clock.Now().Sub(start)}
				if o.OnProgress != nil {
					o.OnProgress(p)
				}
				if o.Logger != nil {
					o.Logger.Debug("state changed", "what", o.What, "from", last, "to", state, "elapsed", p.Elapsed)
				}
				last = state
			}
			if done {
				return nil
			}
		}
		d := Delay(o.MinDelay, o.MaxDelay, step, o.Jitter())
		step++
		if !deadline.IsZero() {
			remaining := deadline.Sub(o.Clock.Now())
			if remaining <= 0 {
				return &TimeoutError{What: o.What, After: o.Timeout, LastState: last}
			}
			if d > remaining {
				d = remaining
			}
		}
		if err := o.Clock.Sleep(ctx, d); err != nil {
			return fmt.Errorf("waiting for %s: %w", o.what(), err)
		}
	}
}

// errCheckTimedOut marks a check cut short by Options.Timeout.
var errCheckTimedOut = errors.New("poll: check outlived the wait's timeout")

// checkWithin runs one check. With the system clock and a deadline, the check's context ends
// at the deadline, so a hung call cannot outlive Timeout. A virtual clock's deadline has no
// meaning for real calls, so with any other clock Timeout is checked between checks only.
func (o Options) checkWithin(ctx context.Context, deadline time.Time, check Check) (string, bool, error) {
	if deadline.IsZero() || o.Clock != datablocks.SystemClock() {
		return check(ctx)
	}
	cctx, cancel := context.WithDeadlineCause(ctx, deadline, errCheckTimedOut)
	defer cancel()
	state, done, err := check(cctx)
	if err != nil && ctx.Err() == nil && context.Cause(cctx) == errCheckTimedOut {
		return state, done, fmt.Errorf("%w: %w", errCheckTimedOut, err)
	}
	return state, done, err
}

func (o Options) what() string {
	if o.What == "" {
		return "resource"
	}
	return o.What
}

// ClockFor returns c when it is set, else the clock of client when client is a
// datablocks.ClockSource, else datablocks.SystemClock(). Helpers call it with their configured
// clock and the client they poll.
func ClockFor(c datablocks.Clock, client any) datablocks.Clock {
	if c != nil {
		return c
	}
	if src, ok := client.(datablocks.ClockSource); ok {
		if fc := src.Clock(); fc != nil {
			return fc
		}
	}
	return datablocks.SystemClock()
}

// WaitPrefixed is Wait with the package prefix ("emr", "glue", ...) on every error it
// returns, once: the wait's own errors (timeout, cancellation, transient errors exhausted)
// and the check's errors alike. The check's errors are read through Unprefixed, so a wait
// error that quotes one does not stack prefixes.
func WaitPrefixed(ctx context.Context, prefix string, o Options, check Check) error {
	if err := Wait(ctx, o, UnprefixedCheck(prefix, check)); err != nil {
		return fmt.Errorf("%s: %w", prefix, err)
	}
	return nil
}

// UnprefixedCheck returns check with its errors read through Unprefixed.
func UnprefixedCheck(prefix string, check Check) Check {
	return func(ctx context.Context) (string, bool, error) {
		state, done, err := check(ctx)
		return state, done, Unprefixed(err, prefix)
	}
}

// Unprefixed returns err with a message that drops its leading "<prefix>: " and every
// "datablocks: " (a policy validation or ARN parse of package datablocks), for an error that
// is about to be wrapped under the package's prefix: errors carry one package prefix, never
// two. errors.Is and errors.As see err. Unprefixed(nil, p) is nil.
func Unprefixed(err error, prefix string) error {
	if err == nil {
		return nil
	}
	return unprefixed{err: err, prefix: prefix + ": "}
}

type unprefixed struct {
	err    error
	prefix string
}

func (e unprefixed) Error() string {
	return strings.TrimPrefix(strings.ReplaceAll(e.err.Error(), "datablocks: ", ""), e.prefix)
}

func (e unprefixed) Unwrap() error { return e.err }
