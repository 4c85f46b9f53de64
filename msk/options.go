package msk

import (
	"time"

	"github.com/datablocks-go/datablocks/internal/poll"
)

// apply returns o with the option functions applied, in order: the constructors apply them
// to a zero options struct, and the per-call methods to a copy of the helper's.
func apply[O any](o O, optFns []func(*O)) O {
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}

// withDefaultDelays fills in a helper's own default delays where po has none, so a zero
// MinDelay or MaxDelay in the user's options means the helper's default rather than poll's.
func withDefaultDelays(po poll.Options, minDelay, maxDelay time.Duration) poll.Options {
	if po.MinDelay <= 0 {
		po.MinDelay = minDelay
	}
	if po.MaxDelay <= 0 {
		po.MaxDelay = maxDelay
	}
	return po
}
