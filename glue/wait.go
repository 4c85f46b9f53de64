package glue

import (
	"context"
	"log/slog"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// pollOptions turns a helper's datablocks.WaitOptions into internal/poll options, filling
// zero delays with the helper's defaults and a nil Wait.Logger with the helper's Logger. A
// zero Timeout stays zero: no bound other than the context's. With no Wait.Clock, the wait
// runs on client's clock when client is a fake (datablocks.ClockSource), so helper + fake
// sleeps no wall-clock time.
func pollOptions(w datablocks.WaitOptions, client any, logger *slog.Logger, what string, minDelay, maxDelay time.Duration) poll.Options {
	o := poll.FromWaitFor(what, w, client)
	if o.Logger == nil {
		o.Logger = logger
	}
	if o.MinDelay <= 0 {
		o.MinDelay = minDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = maxDelay
	}
	return o
}

// waitFor is poll.Wait with the package prefix on every error it returns, once.
func waitFor(ctx context.Context, o poll.Options, check poll.Check) error {
	return poll.WaitPrefixed(ctx, "glue", o, check)
}

// debug logs msg at debug level when logger is set.
func debug(logger *slog.Logger, msg string, args ...any) {
	if logger != nil {
		logger.Debug(msg, args...)
	}
}

// Defaults of the retries (Options.Retry) of Start* calls (StartCrawler, StartJobRun, StartWorkflowRun) that
// Glue throttles: a throttled start is tried again, so one ThrottlingException does not fail a
// crawl or a run.
const (
	// startAttempts bounds the calls of one start, the first included.
	startAttempts = 5
	// startMinDelay is the first delay before a retry.
	startMinDelay = time.Second
	// startMaxDelay caps the delay before a retry.
	startMaxDelay = 20 * time.Second
)

// startWithRetry calls start, again while it fails with throttling, as r allows (defaults
// startAttempts, startMinDelay, startMaxDelay), sleeping on r.Clock or
// else the client's clock. Other errors end it at once.
func startWithRetry(ctx context.Context, r datablocks.RetryOptions, client any, what string, start func(context.Context) error) error {
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = startAttempts
	}
	if r.MinDelay <= 0 {
		r.MinDelay = startMinDelay
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = startMaxDelay
	}
	o := poll.FromRetryFor(what, r, client)
	return poll.Wait(ctx, o, func(ctx context.Context) (string, bool, error) {
		if err := start(ctx); err != nil {
			return "", false, err
		}
		return "started", true, nil
	})
}
