package msk

import (
	"strings"
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

// unprefixed wraps an error that carries a package prefix of its own (a policy validation
// or parse of package datablocks, a sentinel such as ErrServerlessCrossAccount) so that its
// text reads without it: msk errors carry one package prefix, never two. errors.Is and
// errors.As see the wrapped error.
type unprefixed struct{ err error }

func (e unprefixed) Error() string {
	return strings.TrimPrefix(strings.ReplaceAll(e.err.Error(), "datablocks: ", ""), "msk: ")
}

func (e unprefixed) Unwrap() error { return e.err }
