package datablocks

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestManualClockSleepAdvances(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := NewManualClock(start)
	if err := c.Sleep(context.Background(), 90*time.Minute); err != nil {
		t.Fatal(err)
	}
	c.Advance(30 * time.Second)
	if got, want := c.Now(), start.Add(90*time.Minute+30*time.Second); !got.Equal(want) {
		t.Fatalf("Now = %v, want %v", got, want)
	}
	if got := c.Sleeps(); len(got) != 1 || got[0] != 90*time.Minute {
		t.Fatalf("Sleeps = %v, want [1h30m]", got)
	}
}

func TestManualClockSleepCancelled(t *testing.T) {
	c := NewManualClock(time.Time{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := c.Now()
	if err := c.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on cancelled ctx = %v, want context.Canceled", err)
	}
	if !c.Now().Equal(before) {
		t.Fatal("a cancelled Sleep moved the clock")
	}
}

func TestSystemClockSleepCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	start := time.Now()
	err := SystemClock().Sleep(ctx, time.Hour)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("Sleep did not return promptly on cancellation")
	}
}

func TestManualClockConcurrentUse(t *testing.T) {
	// A helper's waiter and a fake's state machine share one clock: 8 goroutines each sleep
	// 100 × 1s while others read it; the clock ends exactly 800s on, with 800 sleeps logged.
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	c := NewManualClock(start)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_ = c.Sleep(context.Background(), time.Second)
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	if got := c.Now().Sub(start); got != 800*time.Second {
		t.Fatalf("clock moved %v, want 800s", got)
	}
	if n := len(c.Sleeps()); n != 800 {
		t.Fatalf("%d sleeps logged, want 800", n)
	}
}

func TestNewManualClockZeroStart(t *testing.T) {
	if got, want := NewManualClock(time.Time{}).Now(), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("zero start: Now = %v, want %v", got, want)
	}
}
