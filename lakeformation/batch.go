package lakeformation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Defaults of GranterOptions.
const (
	// DefaultBatchSize is the number of entries per BatchGrantPermissions or
	// BatchRevokePermissions call, and the service's maximum.
	DefaultBatchSize = 20
	// DefaultMaxAttempts bounds the calls made for one batch while it meets
	// ConcurrentModificationException or throttling.
	DefaultMaxAttempts = 8
	// DefaultMinDelay is the first backoff delay after a retryable failure.
	DefaultMinDelay = 1 * time.Second
	// DefaultMaxDelay caps the backoff delay.
	DefaultMaxDelay = 20 * time.Second
)

// GranterOptions configures a Granter. The zero value is usable.
type GranterOptions struct {
	// CatalogID is sent as CatalogId on every call. Empty means the caller's account.
	CatalogID string
	// BatchSize is the number of entries per call, overriding DefaultBatchSize (20, also the
	// maximum). Zero means the default.
	BatchSize int
	// Retry configures the retries of a batch that meets ConcurrentModificationException,
	// OperationTimeoutException or throttling, for the whole call or single entries:
	// MaxAttempts bounds the calls for one batch (DefaultMaxAttempts when zero), the backoff
	// runs from MinDelay (DefaultMinDelay when zero) to MaxDelay (DefaultMaxDelay when zero),
	// and a nil Clock means the client's clock when it is a datablocks.ClockSource (a fake,
	// so tests sleep no wall-clock time), else datablocks.SystemClock().
	Retry datablocks.RetryOptions
	// Logger, if set, receives a debug line per batch call. Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every SDK call.
	ClientOptions []func(*awslf.Options)
}

func (o GranterOptions) withDefaults() GranterOptions {
	if o.BatchSize <= 0 || o.BatchSize > DefaultBatchSize {
		o.BatchSize = DefaultBatchSize
	}
	if o.Retry.MaxAttempts <= 0 {
		o.Retry.MaxAttempts = DefaultMaxAttempts
	}
	if o.Retry.MinDelay <= 0 {
		o.Retry.MinDelay = DefaultMinDelay
	}
	if o.Retry.MaxDelay <= 0 {
		o.Retry.MaxDelay = DefaultMaxDelay
	}
	return o
}

// Granter applies grants and revokes with BatchGrantPermissions and BatchRevokePermissions in
// batches of at most 20 entries, retrying ConcurrentModificationException and throttling with
// backoff, and collecting per-entry failures. It is safe for concurrent use.
type Granter struct {
	client PermissionsAPIClient
	opts   GranterOptions
}

// NewGranter returns a Granter calling client.
func NewGranter(client PermissionsAPIClient, optFns ...func(*GranterOptions)) *Granter {
	return &Granter{client: client, opts: configure(GranterOptions{}, optFns)}
}

// BatchResult is what a Grant or Revoke did: the grants applied, in input order, and the
// per-entry failures.
type BatchResult struct {
	// Applied lists the grants applied (or found already applied), in input order.
	Applied []Grant
	// Failures lists the entries Lake Formation rejected, in input order.
	Failures []*EntryFailure
	// Calls counts the batch calls made, retries included.
	Calls int
}

// EntryFailure is one entry Lake Formation rejected.
type EntryFailure struct {
	Index   int    // index of the grant in the input
	Grant   Grant  // the grant
	Code    string // Lake Formation error code, e.g. EntityNotFoundException
	Message string // Lake Formation error message
}

// Error describes the failed entry: index, grant, code and message.
func (e *EntryFailure) Error() string {
	return fmt.Sprintf("lakeformation: entry %d (%s): %s: %s", e.Index, e.Grant, e.Code, e.Message)
}

// BatchError reports that some entries of a Grant or Revoke failed while the others were
// applied. Use errors.As to get it:
//
//	var be *lakeformation.BatchError
//	if errors.As(err, &be) {
//		for i, err := range be.Errors {
//			if err != nil { log.Println(grants[i], err) }
//		}
//	}
type BatchError struct {
	// Op is BatchGrantPermissions or BatchRevokePermissions.
	Op string
	// Applied lists the grants that were applied, in input order.
	Applied []Grant
	// Errors is aligned with the input grants: Errors[i] is the *EntryFailure of grants[i],
	// nil where the entry succeeded.
	Errors []error
	// Failures lists the entries that failed, in input order: the non-nil Errors with their
	// index, as a convenience.
	Failures []*EntryFailure
}

// Error summarizes the failures, quoting the first.
func (e *BatchError) Error() string {
	msg := fmt.Sprintf("lakeformation: %s: %d of %d entries failed", e.Op, len(e.Failures), len(e.Failures)+len(e.Applied))
	if len(e.Failures) > 0 {
		msg += ": first: " + e.Failures[0].Error()
	}
	return msg
}

// Unwrap returns the non-nil per-entry errors, each an *EntryFailure.
func (e *BatchError) Unwrap() []error {
	var out []error
	for _, err := range e.Errors {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// Grant grants every grant. Invalid grants fail before any call with an *InvalidGrantError.
// Granting permissions already held succeeds. When entries fail, the result lists what was
// applied and the error is a *BatchError; when a call fails for good, the error wraps the SDK
// error and the result lists what was applied before it.
func (g *Granter) Grant(ctx context.Context, grants []Grant, optFns ...func(*GranterOptions)) (*BatchResult, error) {
	if err := ValidateGrants(grants); err != nil {
		return nil, err
	}
	return g.run(ctx, opGrant, grants, optFns)
}

// Revoke revokes every grant. A grant whose Permissions are empty revokes only the grant option
// of its GrantOption permissions. Revoking permissions not held succeeds, so Revoke is
// idempotent. Errors are reported as by Grant.
func (g *Granter) Revoke(ctx context.Context, grants []Grant, optFns ...func(*GranterOptions)) (*BatchResult, error) {
	if err := validateRevokes("revokes", grants); err != nil {
		return nil, err
	}
	return g.run(ctx, opRevoke, grants, optFns)
}

// validateRevokes validates revokes as grants, a revoke of grant options alone as a grant of
// those permissions, with errors labelled list[i].
func validateRevokes(list string, revokes []Grant) error {
	for i, g := range revokes {
		if len(g.Permissions) == 0 && len(g.GrantOption) > 0 {
			g.Permissions = g.GrantOption
		}
		// A revoke may remove a grant option the model forbids granting today; only the
		// exclude-list rule is about granting, so it is not applied to revokes.
		if err := g.validate(list, i); err != nil {
			var ige *InvalidGrantError
			if errors.As(err, &ige) && ige.Field == "GrantOption" && strings.HasPrefix(ige.Rule, "a grant option needs an include list") {
				continue
			}
			return err
		}
	}
	return nil
}

const (
	opGrant  = "BatchGrantPermissions"
	opRevoke = "BatchRevokePermissions"
)

func (g *Granter) run(ctx context.Context, op string, grants []Grant, optFns []func(*GranterOptions)) (*BatchResult, error) {
	o := configure(g.opts, optFns).withDefaults()
	res := &BatchResult{}
	for start := 0; start < len(grants); start += o.BatchSize {
		end := min(start+o.BatchSize, len(grants))
		if err := g.chunk(ctx, o, op, grants, start, end, res); err != nil {
			return res, err
		}
	}
	if len(res.Failures) > 0 {
		errs := make([]error, len(grants))
		for _, f := range res.Failures {
			errs[f.Index] = f
		}
		return res, &BatchError{Op: op, Applied: res.Applied, Errors: errs, Failures: res.Failures}
	}
	return res, nil
}

func (g *Granter) chunk(ctx context.Context, o GranterOptions, op string, grants []Grant, start, end int, res *BatchResult) error {
	pending := make([]int, 0, end-start)
	for i := start; i < end; i++ {
		pending = append(pending, i)
	}
	done := map[int]bool{}
	failed := map[int]*EntryFailure{}
	attempts := 0
	check := func(ctx context.Context) (string, bool, error) {
		attempts++
		res.Calls++
		entries := make([]types.BatchPermissionsRequestEntry, len(pending))
		for k, i := range pending {
			entries[k] = grants[i].entry(strconv.Itoa(i))
		}
		failures, err := g.call(ctx, o, op, entries)
		if o.Logger != nil {
			o.Logger.Debug("lakeformation batch", "op", op, "entries", len(entries), "attempt", attempts, "failures", len(failures), "error", err)
		}
		if err != nil {
			return "", false, err
		}
		var retry []int
		rejected := map[int]bool{}
		for _, f := range failures {
			code, msg := "", ""
			if f.Error != nil {
				code, msg = aws.ToString(f.Error.ErrorCode), aws.ToString(f.Error.ErrorMessage)
			}
			idx := -1
			if f.RequestEntry != nil {
				if n, err := strconv.Atoi(aws.ToString(f.RequestEntry.Id)); err == nil && n >= start && n < end {
					idx = n
				}
			}
			if idx < 0 {
				return "", false, fmt.Errorf("lakeformation: %s returned a failure for unknown entry %q: %s: %s", op, entryID(f), code, msg)
			}
			rejected[idx] = true
			switch {
			case isAlreadyDone(op, code, msg):
			case isRetryableCode(code) && attempts < o.Retry.MaxAttempts:
				retry = append(retry, idx)
			default:
				failed[idx] = &EntryFailure{Index: idx, Grant: grants[idx], Code: code, Message: msg}
			}
		}
		for _, i := range pending {
			if !rejected[i] || (failed[i] == nil && !slices.Contains(retry, i)) {
				done[i] = true
			}
		}
		pending = retry
		return fmt.Sprintf("%d entries pending", len(pending)), len(pending) == 0, nil
	}
	po := poll.FromRetryFor(fmt.Sprintf("%s entries %d-%d", op, start, end-1), o.Retry, g.client)
	po.Retryable = func(err error) bool { return attempts < o.Retry.MaxAttempts && IsRetryable(err) }
	po.Logger = o.Logger
	err := poll.Wait(ctx, po, check)
	for i := start; i < end; i++ {
		if done[i] {
			res.Applied = append(res.Applied, grants[i])
		} else if f := failed[i]; f != nil {
			res.Failures = append(res.Failures, f)
		}
	}
	if err != nil {
		return fmt.Errorf("lakeformation: %s entries %d-%d: %w", op, start, end-1, err)
	}
	return nil
}

func entryID(f types.BatchPermissionsFailureEntry) string {
	if f.RequestEntry == nil {
		return ""
	}
	return aws.ToString(f.RequestEntry.Id)
}

func (g *Granter) call(ctx context.Context, o GranterOptions, op string, entries []types.BatchPermissionsRequestEntry) ([]types.BatchPermissionsFailureEntry, error) {
	if op == opGrant {
		out, err := g.client.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{
			CatalogId: optString(o.CatalogID), Entries: entries}, o.ClientOptions...)
		if err != nil {
			return nil, err
		}
		return out.Failures, nil
	}
	out, err := g.client.BatchRevokePermissions(ctx, &awslf.BatchRevokePermissionsInput{
		CatalogId: optString(o.CatalogID), Entries: entries}, o.ClientOptions...)
	if err != nil {
		return nil, err
	}
	return out.Failures, nil
}

// IsRetryable reports whether err is worth retrying after a backoff: Lake Formation's
// ConcurrentModificationException or OperationTimeoutException, or throttling.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var cme *types.ConcurrentModificationException
	var ote *types.OperationTimeoutException
	if errors.As(err, &cme) || errors.As(err, &ote) || poll.IsThrottle(err) {
		return true
	}
	var ae smithy.APIError
	return errors.As(err, &ae) && isRetryableCode(ae.ErrorCode())
}

func isRetryableCode(code string) bool {
	switch code {
	case "ConcurrentModificationException", "OperationTimeoutException", "ThrottlingException",
		"ThrottledException", "TooManyRequestsException", "RequestLimitExceeded":
		return true
	}
	return false
}

// isAlreadyDone reports an entry failure that means the desired state already holds: a grant
// of permissions already granted, or a revoke of permissions not held.
func isAlreadyDone(op, code, msg string) bool {
	m := strings.ToLower(msg)
	if op == opGrant {
		return code == "AlreadyExistsException" || strings.Contains(m, "already granted") || strings.Contains(m, "permissions already exist")
	}
	return code == "InvalidInputException" && (strings.Contains(m, "no permissions revoked") || strings.Contains(m, "grantee has no permissions"))
}
