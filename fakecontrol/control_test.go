package fakecontrol

import (
	"errors"
	"sync"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

type in struct{ N int }
type out struct{ V string }

// real is the fake's own behaviour in these tests.
func real(i *in) (*out, error) { return &out{V: "real"}, nil }

func call(c *Controls, n int) (*out, error) { return Do(c, "Op", &in{N: n}, real) }

func TestControlIsOneShotAndFIFO(t *testing.T) {
	c := New(nil)
	c.Control("Op", func(any) (any, error, bool) { return &out{V: "first"}, nil, true })
	c.Control("Op", func(any) (any, error, bool) { return &out{V: "second"}, nil, true })
	var got []string
	for i := range 3 {
		o, err := call(c, i)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, o.V)
	}
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
