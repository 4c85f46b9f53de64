package datablocks

import (
	"log/slog"
	"time"
)

// WaitOptions configures how a helper waits for a resource to reach a final state: a Spark
// run, a schema version, a crawl, a topic's leaders. Every package uses this one type, so a
// pipeline configures its waits the same way everywhere. The zero value is valid.
type WaitOptions struct {
	// MinDelay is the first delay between checks. Zero means the helper's default (2s for most).
	// The delay grows with jitter up to MaxDelay and falls back to MinDelay when the state
	// changes, since a resource that moves is likely to move again soon.
	MinDelay time.Duration
	// MaxDelay caps the delay between checks. Zero means the helper's default (30s for most).
	MaxDelay time.Duration
	// Timeout bounds one wait. Zero means no bound other than the context's.
	Timeout time.Duration
	// Clock sleeps and tells time. Nil means SystemClock(). Tests pass a ManualClock, the same
	// one the <pkg>test fake uses, so waits are instant and the fake's time moves with them.
	Clock Clock
	// Jitter returns a number in [0,1) that places each delay between MinDelay and the current
	// backoff cap. Nil means random. Tests pass a constant for exact delays.
	Jitter func() float64
	// OnProgress, if set, is called on the waiting goroutine for every observed state change.
	OnProgress func(Progress)
	// Logger, if set, receives a debug record per state change. Nil means silent.
	Logger *slog.Logger
}

// Progress describes one observed state change of a resource being waited on.
type Progress struct {
	// What names the resource, e.g. "EMR Serverless job run 00f1abc".
	What string
	// ID is the resource's ID (a step ID, a job run ID); when one wait follows several
	// resources, the ID of the one whose state changed. Empty when the resource has no ID.
	ID string
	// Attempt is the 1-based number of the check that observed State.
	Attempt int
	// Previous is the state before; empty on the first observation.
	Previous string
	// State is the state now.
	State string
	// Elapsed is the time since the wait began, by the Clock.
	Elapsed time.Duration
}

// RetryOptions configures how a helper retries a call that failed for a transient reason
// (throttling, a concurrent modification, a version conflict): backoff with jitter between
// MinDelay and MaxDelay, at most MaxAttempts calls. Every package that retries writes uses this
// one type. The zero value is valid.
type RetryOptions struct {
	// MaxAttempts bounds the calls, the first one included. Zero means the helper's default.
	MaxAttempts int
	// MinDelay is the first delay before a retry. Zero means the helper's default.
	MinDelay time.Duration
	// MaxDelay caps the delay before a retry. Zero means the helper's default.
	MaxDelay time.Duration
	// Clock sleeps between attempts. Nil means SystemClock(); tests pass a ManualClock.
	Clock Clock
	// Jitter returns a number in [0,1) that places each delay between MinDelay and the current
	// backoff cap. Nil means random. Tests pass a constant for exact delays.
	Jitter func() float64
}
