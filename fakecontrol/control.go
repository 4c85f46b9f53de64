// Package fakecontrol is the control surface every datablocks fake shares (emrtest, gluetest,
// lakeformationtest, msktest, instancestest): intercept a call, inject a fault or throttling,
// and read the call log. Each fake embeds a *Controls, so the methods below are the same on
// every fake.
//
// Control functions for an operation run in FIFO order (the order they were added) before the
// fake's own behaviour, as kfake's ControlKey does; a function that returns handled=false falls
// through to the next one and then to the fake, so it can observe or count calls without
// intercepting. A function added with Control is used up once it has run, whether or not it
// handled the call (kfake, by contrast, keeps an unhandled function until DropControl); one
// added with KeepControl stays until ClearControls. When calls run concurrently, each one-shot
// function runs for exactly one of them.
//
//	fake.FailNext("ListSteps", &types.InternalServerError{Message: aws.String("boom")})
//	fake.ThrottleNext("GetJobRun", 3)
//	fake.KeepControl("StartJobRun", func(in any) (any, error, bool) {
//		seen = append(seen, in.(*emrserverless.StartJobRunInput))
//		return nil, nil, false // observe only
//	})
//	n := fake.Count("ListSteps")
package fakecontrol

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go"
)

// Call is one call a fake received, logged when it returned.
type Call struct {
	// Op is the operation name, such as "ListSteps".
	Op string
	// Input is the SDK input pointer, such as *emr.ListStepsInput.
	Input any
	// Err is the error the fake returned, if any.
	Err error
}

// ControlFunc intercepts a call; input is the SDK input pointer. It returns the output to send
// (the operation's SDK output pointer; nil with a nil error means an empty output), the error,
// and whether it handled the call. handled=false falls through to the fake's own behaviour.
// It runs without the fake's locks, so it may call the fake.
type ControlFunc func(input any) (out any, err error, handled bool)

// Controls holds a fake's control functions and call log. It is safe for concurrent use.
type Controls struct {
	ops map[string]bool // the operations the fake implements; nil accepts any name

	mu       sync.Mutex
	stalls   map[string]stall
	fns      map[string][]*entry
	calls    []Call // in the order the calls returned
	throttle func(op string) error
}

type entry struct {
	fn   ControlFunc
	keep bool
}

// New returns Controls for a fake that implements ops, whose ThrottleNext fails calls with
// throttle(op) (nil means ThrottlingError). Every method that takes an operation name panics
// when the name is not in ops, so a misspelled name fails the test that uses it instead of
// silently doing nothing. Every datablocks fake passes its ops; with none, any name is accepted.
func New(throttle func(op string) error, ops ...string) *Controls {
	if throttle == nil {
		throttle = ThrottlingError
	}
	c := &Controls{throttle: throttle}
	if len(ops) > 0 {
		c.ops = make(map[string]bool, len(ops))
		for _, op := range ops {
			c.ops[op] = true
		}
	}
	return c
}

// Operations returns the sorted names of the operations the fake implements (nil when it
// accepts any name).
func (c *Controls) Operations() []string {
	if c.ops == nil {
		return nil
	}
	names := make([]string, 0, len(c.ops))
	for op := range c.ops {
		names = append(names, op)
	}
	slices.Sort(names)
	return names
}

// check panics when op is not an operation of the fake.
func (c *Controls) check(method, op string) {
	if c.ops != nil && !c.ops[op] {
		panic(fmt.Sprintf("fakecontrol: %s(%q): the fake does not implement operation %q; it implements %s",
			method, op, op, strings.Join(c.Operations(), ", ")))
	}
}

// ThrottlingError is the error most AWS services return when a caller exceeds its request rate:
// code ThrottlingException, fault client. The SDK's retryers and datablocks waiters treat it as
// throttling.
func ThrottlingError(op string) error {
	return &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded", Fault: smithy.FaultClient}
}

// Control queues fn to intercept the next call of op, after any functions already queued.
func (c *Controls) Control(op string, fn ControlFunc) {
	c.check("Control", op)
	c.add(op, fn, false)
}

// KeepControl queues fn to intercept every later call of op, not just the next one.
func (c *Controls) KeepControl(op string, fn ControlFunc) {
	c.check("KeepControl", op)
	c.add(op, fn, true)
}

// FailNext makes the next call of op return err without touching the fake's state.
func (c *Controls) FailNext(op string, err error) {
	c.check("FailNext", op)
	c.add(op, func(any) (any, error, bool) { return nil, err, true }, false)
}

// ThrottleNext makes the next n calls of op fail with the fake's throttling error.
func (c *Controls) ThrottleNext(op string, n int) {
	c.check("ThrottleNext", op)
	for range n {
		c.add(op, func(any) (any, error, bool) { return nil, c.throttleErr(op), true }, false)
	}
}

// ClearControls drops every queued control function, kept ones included.
func (c *Controls) ClearControls() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fns = nil
}

// Calls returns a copy of the call log. A call is logged when it returns, with its error, so
// for sequential calls the log is in the order they were made; a control function sees in
// Calls and Count the calls before the one it intercepts, and a call it makes to the fake is
// logged before the call it intercepts.
func (c *Controls) Calls() []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// Count returns how many calls of op have returned, failed ones included (see Calls).
func (c *Controls) Count(op string) int {
	c.check("Count", op)
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

// ResetCalls empties the call log, so a test can count the calls of one phase.
func (c *Controls) ResetCalls() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = nil
}

func (c *Controls) throttleErr(op string) error {
	if c.throttle == nil {
		return ThrottlingError(op)
	}
	return c.throttle(op)
}

func (c *Controls) add(op string, fn ControlFunc, keep bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fns == nil {
		c.fns = map[string][]*entry{}
	}
	c.fns[op] = append(c.fns[op], &entry{fn: fn, keep: keep})
}

// claim removes a one-shot entry, reporting whether it was still queued.
func (c *Controls) claim(op string, target *entry) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.Index(c.fns[op], target)
	if i < 0 {
		return false
	}
	c.fns[op] = slices.Delete(c.fns[op], i, i+1)
	return true
}

func (c *Controls) intercept(op string, input any) (any, error, bool) {
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

func (c *Controls) record(op string, input any, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, Call{Op: op, Input: input, Err: err})
}

// Do is how a fake runs one operation: control functions queued for op first; if none handles
// the call, do (the fake's own behaviour, which takes the fake's lock itself). Either way the
// call is logged, with its error, when it returns. A control function's output
// must be *Out (nil, or a nil *Out, means an empty *Out, as the SDK never returns a nil output
// without an error).
func Do[In, Out any](c *Controls, op string, in In, do func(In) (*Out, error)) (*Out, error) {
	c.check("Do", op)
	out, err := run(c, op, in, do)
	c.record(op, in, err)
	return out, err
}

func run[In, Out any](c *Controls, op string, in In, do func(In) (*Out, error)) (*Out, error) {
	v, err, handled := c.intercept(op, in)
	if !handled {
		return do(in)
	}
	if err != nil {
		return nil, err
	}
	if v == nil {
		return new(Out), nil
	}
	out, ok := v.(*Out)
	if !ok {
		return nil, &smithy.GenericAPIError{Code: "InternalFailure", Message: "fakecontrol: control function for " + op + " returned the wrong output type", Fault: smithy.FaultServer}
	}
	if out == nil {
		return new(Out), nil
	}
	return out, nil
}

// stallReads is how many reads of one resource may observe it waiting on the fake's clock,
// with the clock not moved between them, before WaitingOnClock reports a stall.
const stallReads = 3

// StalledCode is the error code of the error WaitingOnClock returns.
const StalledCode = "FakeClockStalled"

type stall struct {
	at    time.Time
	reads int
}

// WaitingOnClock is called by a fake each time a read (Describe, Get, List) observes resource
// key in a state that only the passing of the fake's time will change, with now the fake's
// clock. It returns nil until three such reads in a row saw the clock at the same time,
// and then an error with code StalledCode that says what is wrong: nothing advances the fake's
// clock, so the wait would never end. That happens when a helper waits by another clock than
// the fake's (see datablocks.ClockSource), for example over the wire with no Wait.Clock. A
// read that sees the clock moved starts the count again; Settled forgets the resource.
func (c *Controls) WaitingOnClock(key string, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stalls == nil {
		c.stalls = map[string]stall{}
	}
	s := c.stalls[key]
	if s.reads == 0 || !s.at.Equal(now) {
		s = stall{at: now}
	}
	s.reads++
	c.stalls[key] = s
	if s.reads < stallReads {
		return nil
	}
	return &smithy.GenericAPIError{
		Code: StalledCode,
		Message: fmt.Sprintf("%s is waiting for the fake's clock, which has stayed at %s for %d reads: nothing advances it. "+
			"Give the fake's clock (fake.Clock()) to the helper's Wait.Clock or Retry.Clock, or call Advance on it",
			key, now.Format(time.RFC3339), s.reads),
		Fault: smithy.FaultClient,
	}
}

// Settled forgets resource key, which no longer waits on the fake's clock.
func (c *Controls) Settled(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.stalls, key)
}
