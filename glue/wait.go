package glue

import (
	"log/slog"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// pollOptions turns a helper's datablocks.WaitOptions into internal/poll options, filling
// zero delays with the helper's defaults and a nil Wait.Logger with the helper's Logger. A
// zero Timeout stays zero: no bound other than the context's.
func pollOptions(w datablocks.WaitOptions, logger *slog.Logger, what string, minDelay, maxDelay time.Duration) poll.Options {
	o := poll.FromWait(what, w)
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

// debug logs msg at debug level when logger is set.
func debug(logger *slog.Logger, msg string, args ...any) {
	if logger != nil {
		logger.Debug(msg, args...)
	}
}
