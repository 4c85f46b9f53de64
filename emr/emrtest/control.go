package emrtest

import (
	"slices"
	"sync"

	"github.com/aws/smithy-go"
)

// Call is one call a fake received, in the order received.
type Call struct {
	// Op is the operation name, such as "ListSteps".
	Op string
	// Input is the SDK input pointer, such as *emr.ListStepsInput.
	Input any
	// Err is the error the fake returned, if any.
	Err error
}

// ControlFunc intercepts a call; input is the SDK input pointer (such as
// *emr.ListStepsInput). It returns the output to send (the operation's SDK output pointer; nil
// means an empty output) and error, and whether it handled the call; handled false falls
// through to the fake's normal behaviour, so a ControlFunc can also just observe.
type ControlFunc func(input any) (out any, err error, handled bool)

// control holds the interceptors and the call log shared by every fake.
type control struct {
	mu    sync.Mutex
	fns   map[string][]*controlEntry
	calls []Call
}

type controlEntry struct {
	fn   ControlFunc
	keep bool
}

// add queues fn for op; keep makes it stay for every later call.
func (c *control) add(op string, fn ControlFunc, keep bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fns == nil {
		c.fns = map[string][]*controlEntry{}
	}
	c.fns[op] = append(c.fns[op], &controlEntry{fn: fn, keep: keep})
}

// intercept runs the functions queued for op in FIFO order, outside the lock (so they may call
// the fake), until one handles the call. A one-shot function is used up once run, handled or
// not; a kept one stays.
func (c *control) intercept(op string, input any) (any, error, bool) {
	c.mu.Lock()
	entries := slices.Clone(c.fns[op])
	c.mu.Unlock()
	for _, e := range entries {
		if !e.keep && !c.claim(op, e) {
			continue // a concurrent call used it
		}
		if out, err, handled := e.fn(input); handled {
			return out, err, true
		}
	}
	return nil, nil, false
}

// claim removes a one-shot entry, reporting whether it was still queued.
func (c *control) claim(op string, target *controlEntry) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.fns[op] {
		if e == target {
			c.fns[op] = append(c.fns[op][:i:i], c.fns[op][i+1:]...)
			return true
		}
	}
	return false
}

func (c *control) record(op string, input any, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, Call{Op: op, Input: input, Err: err})
}

// Calls returns a copy of the call log, oldest first.
func (c *control) Calls() []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Call(nil), c.calls...)
}

// Count returns how many calls of op the fake received.
func (c *control) Count(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, call := range c.calls {
		if call.Op == op {
			n++
		}
	}
	return n
}

// Control queues fn to intercept the next call of op (such as "ListSteps"), in FIFO order
// with other queued functions. It is used up once run, whether it handles the call or not.
// fn runs without the fake's lock, so it may call the fake.
func (c *control) Control(op string, fn ControlFunc) { c.add(op, fn, false) }

// KeepControl is Control for every later call of op, not just the next one.
func (c *control) KeepControl(op string, fn ControlFunc) { c.add(op, fn, true) }

// FailNext makes the next call of op return err without touching the fake's state.
func (c *control) FailNext(op string, err error) {
	c.add(op, func(any) (any, error, bool) { return nil, err, true }, false)
}

// Throttle makes the next n calls of op fail with ThrottlingError.
func (c *control) Throttle(op string, n int) {
	for range n {
		c.FailNext(op, ThrottlingError())
	}
}

// ThrottlingError returns the error AWS sends when a caller exceeds its request rate: an API
// error with code ThrottlingException, which the SDK and the emr package treat as retryable.
func ThrottlingError() error {
	return &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded", Fault: smithy.FaultClient}
}

// validationError is the generic ValidationException of services without a typed one (EMR).
func validationError(msg string) error {
	return &smithy.GenericAPIError{Code: "ValidationException", Message: msg, Fault: smithy.FaultClient}
}
