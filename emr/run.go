package emr

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Runtime names an EMR runtime: where a run executes (JobFailedError.Runtime) and which
// properties a preset sets (SparkSubmit.WithPySparkVenv).
type Runtime string

// The three EMR runtimes a SparkSubmit runs on.
const (
	RuntimeSteps      Runtime = "EMR on EC2"
	RuntimeServerless Runtime = "EMR Serverless"
	RuntimeEKS        Runtime = "EMR on EKS"
)

// Delays between two status checks of a run, used when the runner's Wait.MinDelay or
// Wait.MaxDelay is zero.
const (
	// defaultMinDelay is the first delay between two status checks, and the delay after every
	// state change.
	defaultMinDelay = 2 * time.Second
	// defaultMaxDelay caps the delay between two status checks.
	defaultMaxDelay = 30 * time.Second
)

// pollOptions returns the options of one wait on client. what names the resource
// (Progress.What), id is reported as Progress.ID (the step, job run or application ID), and
// logger stands in for w.Logger when that is nil. With no w.Clock the wait runs on the
// client's clock when it has one (a fake), so tests sleep no real time. Throttling and server
// errors are retried.
func pollOptions(what, id string, w datablocks.WaitOptions, client any, logger *slog.Logger) poll.Options {
	if w.Logger == nil {
		w.Logger = logger
	}
	o := poll.FromWaitFor(what, w, client)
	if o.MinDelay <= 0 {
		o.MinDelay = defaultMinDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = defaultMaxDelay
	}
	o.Retryable = isTransient
	if hook := w.OnProgress; hook != nil && id != "" {
		o.OnProgress = func(p datablocks.Progress) {
			p.ID = id
			hook(p)
		}
	}
	return o
}

// isTransient reports errors worth retrying while waiting or submitting: throttling by the
// SDK's definition (ThrottlingException, TooManyRequestsException, RequestThrottledException,
// ...) and server-side faults (InternalServerError, InternalServerException, 5xx).
func isTransient(err error) bool {
	if err == nil {
		return false
	}
	if poll.IsThrottle(err) {
		return true
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "InternalServerError", "InternalServerException", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException":
			return true
		}
		return ae.ErrorFault() == smithy.FaultServer
	}
	return false
}

// retryOptions returns the options of a retry loop of calls to client: zero delays in r mean
// defaultMinDelay and defaultMaxDelay, a nil r.Clock means w.Clock and then the client's clock
// (a fake's), and zero r.MaxAttempts means poll's default bound. Throttling and server errors
// are retried.
func retryOptions(what string, r datablocks.RetryOptions, w datablocks.WaitOptions, client any, logger *slog.Logger) poll.Options {
	if r.Clock == nil {
		r.Clock = w.Clock
	}
	o := poll.FromRetryFor(what, r, client)
	if o.MinDelay <= 0 {
		o.MinDelay = defaultMinDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = defaultMaxDelay
	}
	o.Retryable = isTransient
	o.Logger = w.Logger
	if o.Logger == nil {
		o.Logger = logger
	}
	return o
}

// startRetrying calls start until the service answers, retrying throttling and server errors
// with the same input, so with the same client token: a retry of a start that reached the
// service returns the run it started instead of starting a second one.
func startRetrying[Out any](ctx context.Context, o poll.Options, start func(context.Context) (*Out, error)) (*Out, error) {
	var out *Out
	err := poll.Wait(ctx, o, func(ctx context.Context) (string, bool, error) {
		var err error
		out, err = start(ctx)
		if err != nil {
			return "", false, err
		}
		return "started", true, nil
	})
	return out, err
}

// follow reads one run with get until its state is terminal, and returns the last read.
func follow[R any](ctx context.Context, o poll.Options, get func(context.Context) (R, string, error), terminal ...string) (R, error) {
	var last R
	err := waitFor(ctx, o, func(ctx context.Context) (string, bool, error) {
		r, state, err := get(ctx)
		if err != nil {
			return "", false, err
		}
		last = r
		for _, t := range terminal {
			if state == t {
				return state, true, nil
			}
		}
		return state, false, nil
	})
	return last, err
}

// waitFor is poll.Wait with the package prefix on every error it returns, once.
func waitFor(ctx context.Context, o poll.Options, check poll.Check) error {
	return poll.WaitPrefixed(ctx, "emr", o, check)
}

// logPrefix joins an S3 log URI and the path parts of one run's logs, ending in "/". Empty
// when uri is.
func logPrefix(uri string, parts ...string) string {
	if uri == "" {
		return ""
	}
	return strings.TrimSuffix(uri, "/") + "/" + strings.Join(parts, "/") + "/"
}

// tracker reports the state changes of several steps followed by one wait, each as a
// datablocks.Progress with the step ID in ID, and logs them at debug level.
type tracker struct {
	what    string
	last    map[string]string
	start   time.Time
	clock   datablocks.Clock
	hook    func(datablocks.Progress)
	logger  *slog.Logger
	attempt int
}

func newTracker(what string, w datablocks.WaitOptions, client any, logger *slog.Logger) *tracker {
	c := poll.ClockFor(w.Clock, client)
	if w.Logger != nil {
		logger = w.Logger
	}
	return &tracker{what: what, last: map[string]string{}, start: c.Now(), clock: c, hook: w.OnProgress, logger: logger}
}

// check counts one status check; observations until the next call belong to it.
func (t *tracker) check() { t.attempt++ }

func (t *tracker) observe(id, state string) {
	prev, seen := t.last[id]
	if seen && prev == state {
		return
	}
	t.last[id] = state
	p := datablocks.Progress{What: t.what, ID: id, Attempt: t.attempt, Previous: prev, State: state, Elapsed: t.clock.Now().Sub(t.start)}
	if t.hook != nil {
		t.hook(p)
	}
	if t.logger != nil {
		t.logger.Debug("state changed", "what", t.what, "id", id, "from", prev, "to", state, "elapsed", p.Elapsed)
	}
}

// maxClientTokenLength is the longest client token EMR Serverless and EMR on EKS accept.
const maxClientTokenLength = 64

// clientToken returns token, or a new random one when it is empty.
func clientToken(token string) *string {
	if token == "" {
		token = newToken()
	}
	return aws.String(token)
}

// newToken returns a random UUID (version 4) for client tokens.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// jobDriver is a SparkSubmit rendered as the fields of an EMR Serverless or EMR on EKS Spark
// job driver.
type jobDriver struct {
	entryPoint *string
	args       []string
	params     *string // nil when there are no options
}

// driver renders s as a job driver, validating it for sparkSubmitParameters.
func (s SparkSubmit) driver() (jobDriver, error) {
	params, err := s.SubmitParameters()
	if err != nil {
		return jobDriver{}, err
	}
	d := jobDriver{entryPoint: aws.String(s.EntryPoint), args: slices.Clone(s.Args)}
	if params != "" {
		d.params = aws.String(params)
	}
	return d, nil
}
