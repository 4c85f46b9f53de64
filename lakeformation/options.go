package lakeformation

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Options configures the calls of every helper: each takes functional options at construction
// and per call (applied to a copy). The zero value is usable.
type Options struct {
	// CatalogID is sent as CatalogId on every call. Empty means the caller's account. Set it
	// when Plan cannot tell the caller's catalog from what it reads (it says so).
	CatalogID string
	// Retry configures the retries of a call that meets ConcurrentModificationException,
	// OperationTimeoutException or throttling; for the batch calls of Planner.Apply, of the
	// whole call or of single entries: MaxAttempts bounds the calls (zero means 8; one for
	// no retry), the backoff runs from MinDelay (zero means 1 second) to MaxDelay (zero means
	// 20 seconds), and a nil Clock means the client's clock when it is a
	// datablocks.ClockSource (a fake, so tests sleep no wall-clock time), else
	// datablocks.SystemClock().
	Retry datablocks.RetryOptions
	// Logger, if set, receives a debug line per batch call, per LF-tag created, updated or
	// assigned, per settings change, per location registered and per approval request published.
	// Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every Lake Formation call.
	ClientOptions []func(*awslf.Options)
	// GlueClientOptions are passed to every Glue call (Mesh, Consumer, SharingWorkflow).
	GlueClientOptions []func(*awsglue.Options)
	// RAMClientOptions are passed to every AWS RAM call (Consumer).
	RAMClientOptions []func(*ram.Options)
	// SNSClientOptions are passed to every Amazon SNS call (SNSNotifier).
	SNSClientOptions []func(*sns.Options)
}

// helperOptions is what every options struct of the package implements, so that one function
// applies functional options the same way for every helper.
type helperOptions[O any] interface {
	*O
	// cloneSlices gives the struct its own copies of its ClientOptions slices.
	cloneSlices()
}

// configure returns base with optFns applied, on a copy whose ClientOptions slices are its
// own, so that per-call options never change the helper's.
func configure[O any, P helperOptions[O]](base O, optFns []func(*O)) O {
	o := base
	P(&o).cloneSlices()
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}

func (o *Options) cloneSlices() {
	o.ClientOptions = slices.Clone(o.ClientOptions)
	o.GlueClientOptions = slices.Clone(o.GlueClientOptions)
	o.RAMClientOptions = slices.Clone(o.RAMClientOptions)
	o.SNSClientOptions = slices.Clone(o.SNSClientOptions)
}

// prefixedError carries the package prefix once: the message of the error it wraps loses its
// own "lakeformation: " or "datablocks: " prefix, the chain keeps the error.
type prefixedError struct {
	msg string
	err error
}

func (e *prefixedError) Error() string { return e.msg }
func (e *prefixedError) Unwrap() error { return e.err }

// wrapf returns err in context: "lakeformation: <context>: <err without its prefix>".
func wrapf(err error, format string, args ...any) error {
	m := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "lakeformation: "), "datablocks: ")
	return &prefixedError{msg: "lakeformation: " + fmt.Sprintf(format, args...) + ": " + m, err: err}
}

// retried makes one SDK call, again after a backoff while it fails with
// ConcurrentModificationException, OperationTimeoutException or throttling, as o.Retry says
// (the defaults of Options.Retry when zero), on the client's clock when it is a fake.
func retried[T any](ctx context.Context, o Options, what string, client any, call func(context.Context) (T, error)) (T, error) {
	o = o.withDefaults()
	var out T
	attempts := 0
	po := poll.FromRetryFor(what, o.Retry, client)
	po.Retryable = func(err error) bool { return attempts < o.Retry.MaxAttempts && isRetryable(err) }
	po.Logger = o.Logger
	err := poll.Wait(ctx, po, func(ctx context.Context) (string, bool, error) {
		attempts++
		var err error
		out, err = call(ctx)
		return "", err == nil, err
	})
	return out, err
}

func (o Options) debug(msg string, args ...any) {
	if o.Logger != nil {
		o.Logger.Debug(msg, args...)
	}
}
