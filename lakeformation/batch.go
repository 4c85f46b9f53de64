package lakeformation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/internal/poll"
)

// Defaults of the batch calls and their retries (Options).
const (
	// batchSize is the number of entries per BatchGrantPermissions or BatchRevokePermissions
	// call, the service's maximum.
	batchSize        = 20
	defaultAttempts  = 8
	defaultMinDelay  = 1 * time.Second
	defaultMaxDelay  = 20 * time.Second
	defaultListLimit = 100 // MaxResults of each ListPermissions call
)

func (o Options) withDefaults() Options {
	if o.Retry.MaxAttempts <= 0 {
		o.Retry.MaxAttempts = defaultAttempts
	}
	if o.Retry.MinDelay <= 0 {
		o.Retry.MinDelay = defaultMinDelay
	}
	if o.Retry.MaxDelay <= 0 {
		o.Retry.MaxDelay = defaultMaxDelay
	}
	return o
}

// granter applies grants and revokes with BatchGrantPermissions and BatchRevokePermissions in
// batches of at most 20 entries, retrying ConcurrentModificationException and throttling with
// backoff, and collecting per-entry failures.
type granter struct {
	client PermissionsAPIClient
	opts   Options
}

// EntryFailure is one entry Lake Formation rejected.
type EntryFailure struct {
	Index   int    // index of the grant in the plan's grants (or revokes)
	Code    string // Lake Formation error code, e.g. EntityNotFoundException
	Message string // Lake Formation error message

	grant Grant
}

// Error describes the failed entry: index, grant, code and message.
func (e *EntryFailure) Error() string {
	return fmt.Sprintf("lakeformation: entry %d (%s): %s: %s", e.Index, e.grant, e.Code, e.Message)
}

// BatchError reports that some entries of a plan's grants or revokes failed while the others
// were applied (ApplyResult lists those). Use errors.As to get it:
//
//	var be *lakeformation.BatchError
//	if errors.As(err, &be) {
//		for i, err := range be.Errors {
//			if err != nil { log.Println(plan.Grants[i], err) }
//		}
//	}
type BatchError struct {
	// Op is BatchGrantPermissions or BatchRevokePermissions.
	Op string
	// Errors is aligned with the plan's grants (or revokes): Errors[i] is the *EntryFailure of
	// entry i, nil where the entry succeeded.
	Errors []error
}

// Error summarizes the failures, quoting the first.
func (e *BatchError) Error() string {
	failed := e.Unwrap()
	msg := fmt.Sprintf("lakeformation: %s: %d of %d entries failed", e.Op, len(failed), len(e.Errors))
	if len(failed) > 0 {
		msg += ": first: " + strings.TrimPrefix(failed[0].Error(), "lakeformation: ")
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

// batchResult is what a run did: the grants applied, in input order, and the per-entry
// failures.
type batchResult struct {
	applied  []Grant
	failures []*EntryFailure
}

// run applies grants (or revokes them) in batches. When entries fail, the error is a
// *BatchError; when a call fails for good, the error wraps the SDK error. Either way the
// grants applied before are returned.
func (g *granter) run(ctx context.Context, op string, grants []Grant) ([]Grant, error) {
	o := g.opts.withDefaults()
	res := &batchResult{}
	for start := 0; start < len(grants); start += batchSize {
		end := min(start+batchSize, len(grants))
		if err := g.chunk(ctx, o, op, grants, start, end, res); err != nil {
			return res.applied, err
		}
	}
	if len(res.failures) > 0 {
		errs := make([]error, len(grants))
		for _, f := range res.failures {
			errs[f.Index] = f
		}
		return res.applied, &BatchError{Op: op, Errors: errs}
	}
	return res.applied, nil
}

func (g *granter) chunk(ctx context.Context, o Options, op string, grants []Grant, start, end int, res *batchResult) error {
	pending := make([]int, 0, end-start)
	for i := start; i < end; i++ {
		pending = append(pending, i)
	}
	done := map[int]bool{}
	failed := map[int]*EntryFailure{}
	attempts := 0
	check := func(ctx context.Context) (string, bool, error) {
		attempts++
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
				failed[idx] = &EntryFailure{Index: idx, grant: grants[idx], Code: code, Message: msg}
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
	po.Retryable = func(err error) bool { return attempts < o.Retry.MaxAttempts && isRetryable(err) }
	po.Logger = o.Logger
	err := poll.Wait(ctx, po, check)
	for i := start; i < end; i++ {
		if done[i] {
			res.applied = append(res.applied, grants[i])
		} else if f := failed[i]; f != nil {
			res.failures = append(res.failures, f)
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

func (g *granter) call(ctx context.Context, o Options, op string, entries []types.BatchPermissionsRequestEntry) ([]types.BatchPermissionsFailureEntry, error) {
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

// isRetryable reports whether err is worth retrying after a backoff: Lake Formation's
// ConcurrentModificationException or OperationTimeoutException, or throttling.
func isRetryable(err error) bool {
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
