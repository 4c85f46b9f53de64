package poll

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
)

// script returns a Check that reports the given states in order, done on the last one.
func script(states ...string) (Check, *int) {
	calls := 0
	return func(context.Context) (string, bool, error) {
		s := states[min(calls, len(states)-1)]
		calls++
		return s, calls >= len(states), nil
	}, &calls
}

func TestDelayBounds(t *testing.T) {
	const minD, maxD = 2 * time.Second, 30 * time.Second
	// With jitter 0 every delay is the minimum; with jitter near 1 it approaches the cap,
	// which doubles from the minimum: 2s, 4s, 8s, 16s, then 30s (capped).
	wantCaps := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for attempt, capD := range wantCaps {
		if got := Delay(minD, maxD, attempt, 0); got != minD {
			t.Errorf("Delay(attempt %d, jitter 0) = %v, want %v", attempt, got, minD)
		}
		if got := Delay(minD, maxD, attempt, 0.5); got != minD+(capD-minD)/2 {
			t.Errorf("Delay(attempt %d, jitter 0.5) = %v, want %v", attempt, got, minD+(capD-minD)/2)
		}
	}
	if got := Delay(minD, maxD, 200, 0.999999); got > maxD {
		t.Errorf("Delay at a huge attempt = %v, exceeds max %v", got, maxD)
	}
}

func TestWaitBacksOffUnderFakeClock(t *testing.T) {
	clock := datablocks.NewManualClock(time.Time{})
	check, calls := script("PENDING", "PENDING", "PENDING", "PENDING", "COMPLETED")
	err := Wait(context.Background(), Options{Clock: clock, MinDelay: time.Second, MaxDelay: 5 * time.Second, Jitter: func() float64 { return 1 }}, check)
	if err != nil {
		t.Fatal(err)
	}
	if *calls != 5 {
		t.Fatalf("check called %d times, want 5", *calls)
	}
	// Full jitter (1.0) gives the cap each time: 1s, 2s, 4s, then 5s (capped).
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second}
	if diff := cmp.Diff(want, clock.Sleeps()); diff != "" {
		t.Fatalf("sleeps (-want +got):\n%s", diff)
	}
}

func TestWaitReportsEachStateChangeOnce(t *testing.T) {
	clock := datablocks.NewManualClock(time.Time{})
	check, _ := script("PENDING", "PENDING", "RUNNING", "RUNNING", "COMPLETED")
	var got []Progress
	err := Wait(context.Background(), Options{What: "step s-1", Clock: clock, MinDelay: time.Second, Jitter: func() float64 { return 0 },
		OnProgress: func(p Progress) { got = append(got, p) }}, check)
	if err != nil {
		t.Fatal(err)
	}
	want := []Progress{
		{What: "step s-1", Attempt: 1, State: "PENDING", Elapsed: 0},
		{What: "step s-1", Attempt: 3, Previous: "PENDING", State: "RUNNING", Elapsed: 2 * time.Second},
		{What: "step s-1", Attempt: 5, Previous: "RUNNING", State: "COMPLETED", Elapsed: 4 * time.Second},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("progress (-want +got):\n%s", diff)
	}
}

func TestWaitStateChangeResetsBackoff(t *testing.T) {
	clock := datablocks.NewManualClock(time.Time{})
	check, _ := script("A", "A", "A", "B", "B", "C")
	if err := Wait(context.Background(), Options{Clock: clock, MinDelay: time.Second, MaxDelay: time.Minute, Jitter: func() float64 { return 1 }}, check); err != nil {
		t.Fatal(err)
	}
	// A,A,A: 1s 2s 4s; B observed → reset: 1s, 2s; C done.
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, time.Second, 2 * time.Second}
	if diff := cmp.Diff(want, clock.Sleeps()); diff != "" {
		t.Fatalf("sleeps (-want +got):\n%s", diff)
	}
}

func TestWaitTimeout(t *testing.T) {
	clock := datablocks.NewManualClock(time.Time{})
	calls := 0
	check := func(context.Context) (string, bool, error) { calls++; return "RUNNING", false, nil }
	err := Wait(context.Background(), Options{What: "job jr-1", Clock: clock, MinDelay: 10 * time.Second, MaxDelay: 10 * time.Second, Timeout: 35 * time.Second}, check)
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want *TimeoutError", err)
	}
	if te.LastState != "RUNNING" || te.After != 35*time.Second || te.What != "job jr-1" {
		t.Fatalf("TimeoutError = %+v", te)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("TimeoutError does not match context.DeadlineExceeded")
	}
	// Checks at 0, 10, 20, 30 and a last one at the 35 s deadline.
	if calls != 5 {
		t.Fatalf("check called %d times, want 5", calls)
	}
	if elapsed := clock.Now().Sub(datablocks.NewManualClock(time.Time{}).Now()); elapsed != 35*time.Second {
		t.Fatalf("clock advanced %v, want exactly the 35s timeout", elapsed)
	}
}

// blockingClock is a Clock whose Sleep blocks until ctx is done, announcing each sleep on
// sleeping: a wait cancelled mid-sleep can only return through ctx, with no real time passing.
type blockingClock struct {
	*datablocks.ManualClock
	sleeping chan time.Duration
}

func (c blockingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.sleeping <- d
	<-ctx.Done()
	return ctx.Err()
}

func TestWaitContextCancelledReturnsPromptly(t *testing.T) {
	// Cancelled by the check itself: the wait ends before any further sleep.
	ctx, cancel := context.WithCancel(context.Background())
	clock := datablocks.NewManualClock(time.Time{})
	calls := 0
	err := Wait(ctx, Options{Clock: clock, MinDelay: time.Second, MaxDelay: time.Second}, func(context.Context) (string, bool, error) {
		calls++
		if calls == 2 {
			cancel()
		}
		return "RUNNING", false, nil
	})
	if !errors.Is(err, context.Canceled) || calls != 2 {
		t.Fatalf("err = %v after %d calls, want context.Canceled after 2", err, calls)
	}
	if got := len(clock.Sleeps()); got != 1 {
		t.Fatalf("%d sleeps, want 1 (none after the cancelling check)", got)
	}

	// Cancelled during a one-hour sleep: Wait returns through ctx, with the resource named.
	ctx2, cancel2 := context.WithCancel(context.Background())
	bc := blockingClock{datablocks.NewManualClock(time.Time{}), make(chan time.Duration)}
	done := make(chan error, 1)
	go func() {
		done <- Wait(ctx2, Options{What: "run jr-1", Clock: bc, MinDelay: time.Hour}, func(context.Context) (string, bool, error) {
			return "RUNNING", false, nil
		})
	}()
	if d := <-bc.sleeping; d != time.Hour {
		t.Fatalf("slept %v, want 1h", d)
	}
	cancel2()
	err = <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if want := "waiting for run jr-1: context canceled"; err.Error() != want {
		t.Fatalf("err = %q, want %q", err, want)
	}
}

func TestWaitCheckFailingBecauseOfCancellation(t *testing.T) {
	// A check whose SDK call fails because the context ended reports both errors, and
	// errors.Is finds the context's.
	ctx, cancel := context.WithCancel(context.Background())
	sdkErr := errors.New("operation error EMR: DescribeStep, canceled")
	err := Wait(ctx, Options{Clock: datablocks.NewManualClock(time.Time{})}, func(context.Context) (string, bool, error) {
		cancel()
		return "", false, sdkErr
	})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, sdkErr) {
		t.Fatalf("err = %v, want it to match context.Canceled and the check's error", err)
	}
}

func TestDelayDoesNotOverflowOnLongWaits(t *testing.T) {
	// One-minute minimum, ten-minute cap: 1m, 2m, 4m, 8m, then 10m for every later attempt,
	// including attempts where min·2^attempt no longer fits in an int64.
	const minD, maxD = time.Minute, 10 * time.Minute
	for attempt := range 300 {
		want := maxD
		if attempt < 4 {
			want = minD << attempt
		}
		if got := Delay(minD, maxD, attempt, 1); got != want {
			t.Fatalf("Delay(1m, 10m, attempt %d, 1) = %v, want %v", attempt, got, want)
		}
	}
}

func TestDelayClampsJitter(t *testing.T) {
	for _, tt := range []struct {
		jitter float64
		want   time.Duration
	}{
		{-0.5, time.Second}, {math.NaN(), time.Second}, {1.5, 8 * time.Second}, {0.25, 2750 * time.Millisecond},
	} {
		// attempt 3 with min 1s: cap 8s; 0.25 of the 7s span above the minimum is 1.75s.
		if got := Delay(time.Second, time.Minute, 3, tt.jitter); got != tt.want {
			t.Errorf("Delay(jitter %v) = %v, want %v", tt.jitter, got, tt.want)
		}
	}
	if got := Delay(5*time.Second, time.Second, 3, 1); got != 5*time.Second {
		t.Errorf("Delay with max below min = %v, want the min 5s", got)
	}
}

func TestWaitTimeoutWhileThrottled(t *testing.T) {
	clock := datablocks.NewManualClock(time.Time{})
	throttle := &smithy.GenericAPIError{Code: "ThrottlingException"}
	err := Wait(context.Background(), Options{Clock: clock, MinDelay: time.Second, MaxDelay: time.Second, Timeout: 5 * time.Second},
		func(context.Context) (string, bool, error) { return "", false, throttle })
	var te *TimeoutError
	if !errors.As(err, &te) || te.LastState != "" {
		t.Fatalf("err = %v, want a *TimeoutError with no observed state", err)
	}
}

func TestWaitToleratesThrottling(t *testing.T) {
	clock := datablocks.NewManualClock(time.Time{})
	throttle := &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}
	calls := 0
	check := func(context.Context) (string, bool, error) {
		calls++
		if calls <= 3 {
			return "", false, throttle
		}
		return "DONE", true, nil
	}
	if err := Wait(context.Background(), Options{Clock: clock, MinDelay: time.Second, Jitter: func() float64 { return 1 }}, check); err != nil {
		t.Fatalf("throttled wait failed: %v", err)
	}
	if calls != 4 {
		t.Fatalf("calls = %d, want 4", calls)
	}
	// Throttling backs off like any poll: 1s, 2s, 4s.
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, clock.Sleeps()); diff != "" {
		t.Fatalf("sleeps (-want +got):\n%s", diff)
	}
}

func TestWaitGivesUpAfterMaxTransient(t *testing.T) {
	clock := datablocks.NewManualClock(time.Time{})
	throttle := &smithy.GenericAPIError{Code: "TooManyRequestsException"}
	calls := 0
	err := Wait(context.Background(), Options{Clock: clock, MaxTransient: 2}, func(context.Context) (string, bool, error) {
		calls++
		return "", false, throttle
	})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "TooManyRequestsException" {
		t.Fatalf("err = %v, want the throttling error wrapped", err)
	}
	if calls != 3 {
		t.Fatalf("calls = %d, want 3 (two tolerated, the third gives up)", calls)
	}
}

func TestWaitReturnsPermanentErrorUnchanged(t *testing.T) {
	boom := &smithy.GenericAPIError{Code: "ResourceNotFoundException"}
	err := Wait(context.Background(), Options{Clock: datablocks.NewManualClock(time.Time{})}, func(context.Context) (string, bool, error) {
		return "", false, boom
	})
	if err != boom {
		t.Fatalf("err = %v, want the check's error unchanged", err)
	}
}

func TestIsThrottle(t *testing.T) {
	for code, want := range map[string]bool{
		"ThrottlingException": true, "Throttling": true, "TooManyRequestsException": true,
		"RequestLimitExceeded": true, "ValidationException": false,
	} {
		if got := IsThrottle(&smithy.GenericAPIError{Code: code}); got != want {
			t.Errorf("IsThrottle(%s) = %v, want %v", code, got, want)
		}
	}
	if IsThrottle(nil) || IsThrottle(errors.New("plain")) {
		t.Error("IsThrottle true for a non-API error")
	}
}

func TestFromWaitCopiesEveryField(t *testing.T) {
	clock := datablocks.NewManualClock(time.Time{})
	var got []Progress
	w := datablocks.WaitOptions{MinDelay: time.Second, MaxDelay: 4 * time.Second, Timeout: time.Minute, Clock: clock,
		Jitter: func() float64 { return 1 }, OnProgress: func(p Progress) { got = append(got, p) }}
	check, _ := script("A", "A", "B")
	if err := Wait(context.Background(), FromWait("thing t-1", w), check); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second}, clock.Sleeps()); diff != "" {
		t.Fatalf("sleeps (-want +got):\n%s", diff)
	}
	if len(got) != 2 || got[1].What != "thing t-1" || got[1].State != "B" || got[1].Elapsed != 3*time.Second {
		t.Fatalf("progress = %+v", got)
	}
}

func TestFromRetryBoundsCalls(t *testing.T) {
	throttle := &smithy.GenericAPIError{Code: "ThrottlingException"}
	for _, tc := range []struct{ maxAttempts, wantCalls int }{{1, 1}, {2, 2}, {5, 5}, {0, DefaultMaxTransient + 1}} {
		calls := 0
		o := FromRetry("write", datablocks.RetryOptions{MaxAttempts: tc.maxAttempts, Clock: datablocks.NewManualClock(time.Time{})})
		err := Wait(context.Background(), o, func(context.Context) (string, bool, error) { calls++; return "", false, throttle })
		if err == nil || calls != tc.wantCalls {
			t.Errorf("MaxAttempts %d: %d calls (err %v), want %d calls and an error", tc.maxAttempts, calls, err, tc.wantCalls)
		}
	}
}

func TestWaitTimeoutCancelsAHungCheck(t *testing.T) {
	start := time.Now()
	calls := 0
	err := Wait(context.Background(), Options{What: "job jr-9", Timeout: 30 * time.Millisecond, MinDelay: time.Millisecond, MaxDelay: time.Millisecond},
		func(ctx context.Context) (string, bool, error) {
			calls++
			if calls == 1 {
				return "RUNNING", false, nil
			}
			<-ctx.Done() // a call that hangs until its context ends
			return "", false, ctx.Err()
		})
	var te *TimeoutError
	if !errors.As(err, &te) || te.LastState != "RUNNING" || te.What != "job jr-9" {
		t.Fatalf("err = %v, want a *TimeoutError after RUNNING", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("the hung check held the wait for %v", elapsed)
	}
}

func TestWaitParentCancellationIsNotATimeout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	err := Wait(ctx, Options{Timeout: time.Hour}, func(c context.Context) (string, bool, error) {
		cancel()
		<-c.Done()
		return "", false, c.Err()
	})
	var te *TimeoutError
	if errors.As(err, &te) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled and no *TimeoutError", err)
	}
}
