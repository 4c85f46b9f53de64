package lakeformationtest

import (
	"fmt"
	"slices"
	"sync"

	"github.com/aws/smithy-go"
)

// Call is one entry of a fake's call log.
type Call struct {
	Op    string // SDK operation name, e.g. "BatchGrantPermissions"
	Input any    // the input pointer as passed (do not modify)
	Err   error  // the error returned, if any
}

// ControlFunc intercepts a call: input is the SDK input pointer. It returns the output pointer
// (of the operation's output type) or an error, and whether it handled the call; when handled
// is false the call falls through to the next control and then to the fake's normal handling.
type ControlFunc func(input any) (out any, err error, handled bool)

type control struct {
	op string
	fn ControlFunc
}

// recorder holds the call log and the controls every fake of this package shares.
type recorder struct {
	mu       sync.Mutex
	controls []*control
	calls    []Call

	controlMu sync.Mutex // serializes control functions
	keep      bool       // set by KeepControl during a control function
}

func (r *recorder) addControl(op string, fn ControlFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.controls = append(r.controls, &control{op: op, fn: fn})
}

func (r *recorder) keepControl() { r.keep = true }

func (r *recorder) failNext(op string, err error) {
	r.addControl(op, func(any) (any, error, bool) { return nil, err, true })
}

// intercept runs the controls registered for op, in FIFO order.
func (r *recorder) intercept(op string, in any) (any, error, bool) {
	r.mu.Lock()
	var cs []*control
	for _, c := range r.controls {
		if c.op == op {
			cs = append(cs, c)
		}
	}
	r.mu.Unlock()
	if len(cs) == 0 {
		return nil, nil, false
	}
	r.controlMu.Lock()
	defer r.controlMu.Unlock()
	for _, c := range cs {
		r.keep = false
		out, err, handled := c.fn(in)
		if !r.keep {
			r.mu.Lock()
			r.controls = slices.DeleteFunc(r.controls, func(x *control) bool { return x == c })
			r.mu.Unlock()
		}
		if handled {
			return out, err, true
		}
	}
	return nil, nil, false
}

func (r *recorder) record(op string, in any, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, Call{Op: op, Input: in, Err: err})
}

func (r *recorder) callLog() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

func (r *recorder) count(op string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		if c.Op == op {
			n++
		}
	}
	return n
}

// handle runs the controls, then normal, and records the call. It returns the typed output.
func handle[O any](r *recorder, op string, in any, normal func() (*O, error)) (*O, error) {
	out, err := func() (*O, error) {
		if o, err, handled := r.intercept(op, in); handled {
			if err != nil {
				return nil, err
			}
			typed, ok := o.(*O)
			if !ok {
				return nil, fmt.Errorf("lakeformationtest: control for %s returned %T, want %T", op, o, new(O))
			}
			return typed, nil
		}
		return normal()
	}()
	r.record(op, in, err)
	return out, err
}

// ThrottlingError returns the error AWS returns when a caller is throttled: an API error with
// code ThrottlingException, which the SDK's retryer and datablocks treat as retryable.
func ThrottlingError(op string) error {
	return &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded for " + op, Fault: smithy.FaultClient}
}
