package datablocks

import (
	"context"
	"sync"
	"time"
)

// Clock is the time source every datablocks waiter uses, and the one the fakes in the
// <pkg>test packages advance their state machines by. Pass the same Clock to a helper and to
// its fake so that the helper's sleeps move the fake's time forward.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d or until ctx is done, returning ctx.Err() in that case.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock returns the wall clock. It is the default wherever a Clock is optional.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ManualClock is a Clock for tests: Sleep returns at once after moving the clock forward by the
// requested duration, so a wait of an hour takes microseconds and fake state machines driven by
// the same clock see the hour pass. It is safe for concurrent use.
type ManualClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

// NewManualClock returns a ManualClock reading start. A zero start means 2026-01-01T00:00:00Z.
func NewManualClock(start time.Time) *ManualClock {
	if start.IsZero() {
		start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return &ManualClock{now: start}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep records d, advances the clock by d and returns immediately; it returns ctx.Err() without
// advancing when ctx is already done.
func (c *ManualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return nil
}

// Advance moves the clock forward by d without recording a sleep.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleeps returns a copy of the durations passed to Sleep, in order.
func (c *ManualClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// ClockSource is implemented by every datablocks fake: it reports the clock the fake's state
// machines run on. A helper that is given such a client and no Clock of its own (in
// WaitOptions or RetryOptions) waits by the fake's clock, so a test wired as "helper + fake,
// nothing else" sleeps no wall-clock time and the fake's time moves with the helper's sleeps.
type ClockSource interface {
	// Clock returns the clock the fake's state machines run on.
	Clock() Clock
}
