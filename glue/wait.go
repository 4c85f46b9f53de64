package glue

import (
	"log/slog"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// WaitOptions configures how a helper waits for a schema version, a crawl, a job run or a
// workflow run. The zero value is usable: each helper documents its own default delays.
type WaitOptions struct {
	// MinDelay is the first delay between polls. Zero means the helper's default.
	MinDelay time.Duration
	// MaxDelay caps the delay between polls. Zero means the helper's default.
	MaxDelay time.Duration
	// Timeout bounds the wait. Zero means the helper's default; negative means no bound other
	// than the context's.
	Timeout time.Duration
	// Clock sleeps and tells time. Nil means datablocks.SystemClock(). Tests pass a
	// datablocks.ManualClock shared with the gluetest.Fake.
	Clock datablocks.Clock
	// Jitter returns a number in [0,1) that places each delay between MinDelay and the current
	// backoff cap. Nil means random. Tests pass a constant for exact delays.
	Jitter func() float64
	// OnProgress, if set, is called on the waiting goroutine for every observed state change.
	OnProgress func(Progress)
	// Logger, if set, receives a debug line per state change. Nil means silent.
	Logger *slog.Logger
}

// Progress describes one observed state change during a wait.
type Progress struct {
	// What names the resource, e.g. "Glue job run j_load/jr_123".
	What string
	// Attempt is the 1-based number of the poll that observed State.
	Attempt int
	// Previous is the state before; empty on the first observation.
	Previous string
	// State is the state now.
	State string
	// Elapsed is the time since the wait began, by the Clock.
	Elapsed time.Duration
}

// pollOptions turns w into internal/poll options with the given defaults.
func (w WaitOptions) pollOptions(what string, minDelay, maxDelay, timeout time.Duration) poll.Options {
	o := poll.Options{What: what, MinDelay: w.MinDelay, MaxDelay: w.MaxDelay, Timeout: w.Timeout, Clock: w.Clock, Jitter: w.Jitter, Logger: w.Logger}
	if o.MinDelay <= 0 {
		o.MinDelay = minDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = maxDelay
	}
	switch {
	case o.Timeout == 0:
		o.Timeout = timeout
	case o.Timeout < 0:
		o.Timeout = 0
	}
	if w.OnProgress != nil {
		on := w.OnProgress
		o.OnProgress = func(p poll.Progress) {
			on(Progress{What: p.What, Attempt: p.Attempt, Previous: p.Previous, State: p.State, Elapsed: p.Elapsed})
		}
	}
	return o
}
