package fakecontrol

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

type in struct{ N int }
type out struct{ V string }

// real is the fake's own behaviour in these tests.
func real(i *in) (*out, error) { return &out{V: "real"}, nil }

func call(c *Controls, n int) (*out, error) { return Do(c, "Op", &in{N: n}, real) }

// outputs makes n calls (inputs 0..n-1) and returns their outputs' V.
func outputs(t *testing.T, c *Controls, n int) []string {
	t.Helper()
	var got []string
	for i := range n {
		o, err := call(c, i)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, o.V)
	}
	return got
}

func TestControlIsOneShotAndFIFO(t *testing.T) {
	c := New(nil)
	c.Control("Op", func(any) (any, error, bool) { return &out{V: "first"}, nil, true })
	c.Control("Op", func(any) (any, error, bool) { return &out{V: "second"}, nil, true })
	got := outputs(t, c, 3)
	if diff := cmp.Diff([]string{"first", "second", "real"}, got); diff != "" {
		t.Fatalf("outputs (-want +got):\n%s", diff)
	}
}

func TestUnhandledControlIsUsedUpAndFallsThrough(t *testing.T) {
	c := New(nil)
	seen := 0
	c.Control("Op", func(input any) (any, error, bool) {
		seen += input.(*in).N
		return nil, nil, false
	})
	for i := range 2 {
		o, err := call(c, 5+i)
		if err != nil || o.V != "real" {
			t.Fatalf("call %d = %+v, %v; want the fake's own output", i, o, err)
		}
	}
	if seen != 5 {
		t.Fatalf("observer saw %d, want only the first call's 5", seen)
	}
}

func TestKeepControlStays(t *testing.T) {
	c := New(nil)
	c.KeepControl("Op", func(any) (any, error, bool) { return nil, nil, true })
	for range 3 {
		o, err := call(c, 0)
		if err != nil || o == nil || o.V != "" {
			t.Fatalf("kept control: %+v, %v; want an empty output", o, err)
		}
	}
	c.ClearControls()
	if o, _ := call(c, 0); o.V != "real" {
		t.Fatalf("after ClearControls got %q, want real", o.V)
	}
}

func TestFailNextThrottleNextAndCallLog(t *testing.T) {
	boom := errors.New("boom")
	c := New(nil)
	c.FailNext("Op", boom)
	c.ThrottleNext("Op", 2)
	_, err1 := call(c, 1)
	_, err2 := call(c, 2)
	_, err3 := call(c, 3)
	_, err4 := call(c, 4)
	if err1 != boom {
		t.Fatalf("first call: %v, want boom", err1)
	}
	for _, err := range []error{err2, err3} {
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" || ae.ErrorFault() != smithy.FaultClient {
			t.Fatalf("throttled call: %v", err)
		}
	}
	if err4 != nil {
		t.Fatalf("fourth call: %v", err4)
	}
	calls := c.Calls()
	if len(calls) != 4 || calls[0].Err != boom || calls[3].Err != nil || calls[2].Input.(*in).N != 3 {
		t.Fatalf("call log = %+v", calls)
	}
	if c.Count("Op") != 4 || c.Count("Other") != 0 {
		t.Fatalf("Count = %d/%d", c.Count("Op"), c.Count("Other"))
	}
	c.ResetCalls()
	if len(c.Calls()) != 0 {
		t.Fatal("ResetCalls left calls")
	}
}

func TestCustomThrottleError(t *testing.T) {
	c := New(func(op string) error { return &smithy.GenericAPIError{Code: "TooManyRequestsException", Message: op} })
	c.ThrottleNext("Op", 1)
	_, err := call(c, 0)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "TooManyRequestsException" || ae.ErrorMessage() != "Op" {
		t.Fatalf("err = %v", err)
	}
}

func TestWrongOutputTypeIsAnError(t *testing.T) {
	c := New(nil)
	c.Control("Op", func(any) (any, error, bool) { return "not an *out", nil, true })
	if _, err := call(c, 0); err == nil {
		t.Fatal("a control function's wrong output type was accepted")
	}
}

func TestControlMayCallTheFake(t *testing.T) {
	c := New(nil)
	c.Control("Op", func(any) (any, error, bool) {
		o, err := call(c, 9) // re-entrant: must not deadlock
		return o, err, true
	})
	o, err := call(c, 0)
	if err != nil || o.V != "real" {
		t.Fatalf("re-entrant control: %+v, %v", o, err)
	}
	if c.Count("Op") != 2 {
		t.Fatalf("Count = %d, want 2", c.Count("Op"))
	}
}

func TestConcurrentOneShotRunsOnce(t *testing.T) {
	c := New(nil)
	var mu sync.Mutex
	handled := 0
	c.Control("Op", func(any) (any, error, bool) {
		mu.Lock()
		handled++
		mu.Unlock()
		return &out{V: "controlled"}, nil, true
	})
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { _, _ = call(c, i) })
	}
	wg.Wait()
	if handled != 1 || c.Count("Op") != 50 {
		t.Fatalf("one-shot ran %d times over %d calls, want once over 50", handled, c.Count("Op"))
	}
}

func TestCallLogIsWrittenWhenCallsReturn(t *testing.T) {
	// Inside a control function the log holds the calls before this one (fakes' tests count
	// on Count there); a call the control function makes is logged first, as it returns
	// first, and the intercepted call then with the error it returned.
	c := New(nil)
	boom := errors.New("boom")
	_, _ = call(c, 0)
	c.Control("Op", func(any) (any, error, bool) {
		if n := c.Count("Op"); n != 1 {
			t.Errorf("Count inside the control function = %d, want 1 (the earlier call)", n)
		}
		_, _ = call(c, 2)
		return nil, boom, true
	})
	_, _ = call(c, 1)
	calls := c.Calls()
	if len(calls) != 3 || calls[1].Input.(*in).N != 2 || calls[1].Err != nil || calls[2].Input.(*in).N != 1 || calls[2].Err != boom {
		t.Fatalf("call log = %+v, want [0, inner 2 (nil), outer 1 (boom)]", calls)
	}
}

func TestTypedNilOutputIsEmptyOutput(t *testing.T) {
	c := New(nil)
	c.Control("Op", func(any) (any, error, bool) { return (*out)(nil), nil, true })
	o, err := call(c, 0)
	if err != nil || o == nil || o.V != "" {
		t.Fatalf("typed nil output: %+v, %v; want an empty *out", o, err)
	}
}

func TestKeepAndOneShotInterleaveInFIFOOrder(t *testing.T) {
	// A kept observer added first sees every call; the one-shot after it handles only the
	// first; the fake handles the rest.
	c := New(nil)
	var seen []int
	c.KeepControl("Op", func(input any) (any, error, bool) {
		seen = append(seen, input.(*in).N)
		return nil, nil, false
	})
	c.Control("Op", func(any) (any, error, bool) { return &out{V: "once"}, nil, true })
	got := outputs(t, c, 3)
	if diff := cmp.Diff([]string{"once", "real", "real"}, got); diff != "" {
		t.Fatalf("outputs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 1, 2}, seen); diff != "" {
		t.Fatalf("observer saw (-want +got):\n%s", diff)
	}
	// Another operation's controls are not consulted.
	if o, _ := Do(c, "Other", &in{}, real); o.V != "real" || len(seen) != 3 {
		t.Fatalf("Other op: %q, observer saw %v", o.V, seen)
	}
}

func TestConcurrentOneShotsEachRunOnce(t *testing.T) {
	// 10 one-shots and 30 concurrent calls: exactly 10 calls are controlled, each function
	// running once, and the call log holds all 30.
	c := New(nil)
	var mu sync.Mutex
	ran := map[int]int{}
	for i := range 10 {
		c.Control("Op", func(any) (any, error, bool) {
			mu.Lock()
			ran[i]++
			mu.Unlock()
			return &out{V: "controlled"}, nil, true
		})
	}
	var wg sync.WaitGroup
	var controlled, fallThrough int
	var cmu sync.Mutex
	for i := range 30 {
		wg.Go(func() {
			o, _ := call(c, i)
			cmu.Lock()
			defer cmu.Unlock()
			if o.V == "controlled" {
				controlled++
			} else {
				fallThrough++
			}
		})
	}
	wg.Wait()
	if controlled != 10 || fallThrough != 20 || len(ran) != 10 || c.Count("Op") != 30 {
		t.Fatalf("controlled %d, fell through %d, functions run %v, logged %d", controlled, fallThrough, ran, c.Count("Op"))
	}
	for i, n := range ran {
		if n != 1 {
			t.Fatalf("function %d ran %d times", i, n)
		}
	}
}

func TestUnknownOperationPanics(t *testing.T) {
	c := New(nil, "StartJobRun", "GetJobRun")
	for name, call := range map[string]func(){
		"FailNext":     func() { c.FailNext("StartJobRuns", errors.New("x")) },
		"ThrottleNext": func() { c.ThrottleNext("GetJobRuns", 1) },
		"Control":      func() { c.Control("Start", func(any) (any, error, bool) { return nil, nil, false }) },
		"KeepControl":  func() { c.KeepControl("start", func(any) (any, error, bool) { return nil, nil, false }) },
		"Count":        func() { c.Count("ListJobRuns") },
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatalf("%s with a misspelled operation did not panic", name)
				}
				if msg := fmt.Sprint(r); !strings.Contains(msg, "GetJobRun, StartJobRun") {
					t.Errorf("%s panic %q does not list the operations the fake implements", name, msg)
				}
			}()
			call()
		}()
	}
	c.FailNext("StartJobRun", errors.New("x")) // a known name is accepted
	if got := c.Count("StartJobRun"); got != 0 {
		t.Fatalf("Count = %d, want 0", got)
	}
}

func TestWaitingOnClockReportsAStall(t *testing.T) {
	c := New(nil)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i < stallReads; i++ {
		if err := c.WaitingOnClock("schema version v1", t0); err != nil {
			t.Fatalf("read %d: %v, want nil before %d reads", i, err, stallReads)
		}
	}
	err := c.WaitingOnClock("schema version v1", t0)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != StalledCode || !strings.Contains(ae.ErrorMessage(), "schema version v1") {
		t.Fatalf("read %d: got %v, want a %s error naming the resource", stallReads, err, StalledCode)
	}
	// A moving clock never stalls, and Settled forgets the count.
	for i := range 2 * stallReads {
		if err := c.WaitingOnClock("run r1", t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatalf("moving clock, read %d: %v", i, err)
		}
	}
	c.Settled("schema version v1")
	if err := c.WaitingOnClock("schema version v1", t0); err != nil {
		t.Fatalf("after Settled: %v", err)
	}
}
