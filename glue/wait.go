package glue

import (
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// pollOptions turns a helper's datablocks.WaitOptions into internal/poll options, filling
// zero delays with the helper's defaults. A zero Timeout stays zero: no bound other than the
// context's.
func pollOptions(w datablocks.WaitOptions, what string, minDelay, maxDelay time.Duration) poll.Options {
	o := poll.FromWait(what, w)
	if o.MinDelay <= 0 {
		o.MinDelay = minDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = maxDelay
	}
	return o
}
