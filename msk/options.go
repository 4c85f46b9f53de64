package msk

import (
	"context"
	"fmt"
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

// waitFor is poll.Wait with the package prefix on every error it returns, once: the wait's
// own errors (timeout, cancellation, transient errors exhausted) and the check's errors
// alike. The check's errors are read without their prefix, so a wait error that quotes one
// does not stack them.
func waitFor(ctx context.Context, o poll.Options, check poll.Check) error {
	if err := poll.Wait(ctx, o, unprefixedCheck(check)); err != nil {
		return fmt.Errorf("msk: %w", err)
	}
	return nil
}

// unprefixedCheck returns check with its errors read without their package prefix.
func unprefixedCheck(check poll.Check) poll.Check {
	return func(ctx context.Context) (string, bool, error) {
		state, done, err := check(ctx)
		if err != nil {
			err = unprefixed{err}
		}
		return state, done, err
	}
}
