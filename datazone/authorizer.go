package datazone

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"
)

// Defaults of Options.
const (
	// defaultAuthorizerTimeout bounds one grant or revoke, the final status call aside: under
	// a Lambda function's 5-minute limit, so the final status is written before the function
	// is stopped.
	defaultAuthorizerTimeout = 4 * time.Minute
	// defaultStatusTimeout bounds the final UpdateSubscriptionGrantStatus call, made on a
	// fresh context so that it runs after a timeout or cancellation too.
	defaultStatusTimeout = 15 * time.Second
	// maxFailureCause is the longest failure cause written: 1 KB.
	maxFailureCause = 1024
	// maxFormsSize bounds the listing's forms document read.
	maxFormsSize = 2 << 20
)

// Subscription is what a Granter applies: a grant of a listed asset to the principals of a
// subscription target in a consumer environment.
type Subscription struct {
	// Domain, GrantID and AssetID identify the grant.
	Domain, GrantID, AssetID string
	// AssetType is the asset's type name.
	AssetType string
	// Forms are the listing's forms, by form name (the parsed item.assetListing.forms).
	Forms map[string]json.RawMessage
	// ConsumerAccount and ConsumerRegion are the environment's account and region.
	ConsumerAccount, ConsumerRegion string
	// Principals are the subscription target's authorized principals (IAM role ARNs).
	Principals []string
}

// Granter applies and removes the access a subscription grants. Both calls must be
// idempotent: a replayed or retried event applies the same subscription again.
type Granter interface {
	Grant(ctx context.Context, s Subscription) error
	Revoke(ctx context.Context, s Subscription) error
}

// Authorizer handles subscription grant events for unmanaged (custom) assets, which DataZone
// does not grant itself: it marks the grant in progress, reads the listing, the environment and
// the subscription target, applies the grant with a Granter, and always ends in GRANTED or
// REVOKED, or GRANT_FAILED or REVOKE_FAILED with the cause. It is safe for concurrent use.
type Authorizer struct {
	dz      GrantsAPIClient
	granter Granter
	opts    Options
}

// NewAuthorizer returns an Authorizer calling dz (a *datazone.Client) and applying grants
// with granter. It reads AssetTypes, Timeout, StatusTimeout, ClientOptions and Logger.
func NewAuthorizer(dz GrantsAPIClient, granter Granter, optFns ...func(*Options)) *Authorizer {
	return &Authorizer{dz: dz, granter: granter, opts: apply(Options{}, optFns)}
}

// GrantOutcome is how a grant event ended.
type GrantOutcome struct {
	// Status is the asset's grant status at the end.
	Status types.SubscriptionGrantStatus
	// Replayed is true when the grant was already in a final status for this kind of
	// request (or the event is stale: a grant event for a grant being revoked), so nothing
	// was done: events are delivered at least once. Status is then the status found.
	Replayed bool
	// Err is why the grant failed (also returned by HandleEvent); nil on success.
	Err error
}

// GrantFailedError is returned when a grant or revoke failed; the grant's status is then
// GRANT_FAILED or REVOKE_FAILED, unless StatusErr says that could not be written either.
type GrantFailedError struct {
	// GrantID and AssetID identify the grant.
	GrantID, AssetID string
	// Step is where it failed: "read grant", "mark in progress", "read listing", "read
	// environment", "read subscription target", "apply".
	Step string
	// Err is the failure.
	Err error
	// StatusErr is the failure to write the final status, if any.
	StatusErr error
}

// Error names the grant, the step and the cause.
func (e *GrantFailedError) Error() string {
	s := fmt.Sprintf("datazone: grant %s of asset %s failed at %s: %s", e.GrantID, e.AssetID, e.Step, strings.TrimPrefix(e.Err.Error(), "datazone: "))
	if e.StatusErr != nil {
		s += fmt.Sprintf("; and its failed status could not be written: %v", e.StatusErr)
	}
	return s
}

// Unwrap returns the failure and the status write's failure.
func (e *GrantFailedError) Unwrap() []error {
	if e.StatusErr != nil {
		return []error{e.Err, e.StatusErr}
	}
	return []error{e.Err}
}

// HandleEvent applies a "Subscription Grant Requested" or "Subscription Grant Revoke
// Requested" event, raw as EventBridge delivers it (the envelope with detail-type and
// detail). Reading it is lenient (unknown fields are ignored, numbers are accepted where
// strings are expected, as listingVersion) and bounded: at most 256 KB (EventBridge's limit
// on an event), 64 levels of nesting, linear time; the IDs it needs are checked against
// DataZone's patterns. An event that fails these checks is an error and writes nothing.
//
// After that, every path ends in a final status: success writes GRANTED or REVOKED; any
// failure — an API error, the Timeout, a cancelled ctx — writes GRANT_FAILED or
// REVOKE_FAILED with a cause of at most 1 KB, on a fresh context bounded by StatusTimeout. A
// grant already GRANTED (or a revoke already REVOKED), or in a failed status, is a replay:
// nothing is written.
func (a *Authorizer) HandleEvent(ctx context.Context, raw []byte, optFns ...func(*Options)) (*GrantOutcome, error) {
	ev, err := parseGrantEvent(raw)
	if err != nil {
		return nil, err
	}
	return a.handle(ctx, ev, optFns...)
}

// handle applies a parsed grant event (see HandleEvent).
func (a *Authorizer) handle(ctx context.Context, ev grantEvent, optFns ...func(*Options)) (*GrantOutcome, error) {
	if err := ev.validate(); err != nil {
		return nil, err
	}
	o := apply(a.opts, optFns)
	if o.Timeout <= 0 {
		o.Timeout = defaultAuthorizerTimeout
	}
	if o.StatusTimeout <= 0 {
		o.StatusTimeout = defaultStatusTimeout
	}
	if len(o.AssetTypes) == 0 {
		o.AssetTypes = []string{mskTopicAssetTypeName}
	}
	inProgress, done, failed := types.SubscriptionGrantStatusGrantInProgress, types.SubscriptionGrantStatusGranted, types.SubscriptionGrantStatusGrantFailed
	if ev.Kind == revokeRequested {
		inProgress, done, failed = types.SubscriptionGrantStatusRevokeInProgress, types.SubscriptionGrantStatusRevoked, types.SubscriptionGrantStatusRevokeFailed
	}
	wctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	assetID := ev.AssetID
	step := "read grant"
	var observed types.SubscriptionGrantStatus
	replay, err := func() (bool, error) {
		g, err := a.dz.GetSubscriptionGrant(wctx, &awsdz.GetSubscriptionGrantInput{DomainIdentifier: &ev.Domain, Identifier: &ev.GrantID}, o.ClientOptions...)
		if err != nil {
			return false, err
		}
		asset, err := grantAsset(g.Assets, assetID)
		if err != nil {
			return false, err
		}
		assetID, observed = aws.ToString(asset.AssetId), asset.Status
		switch asset.Status {
		case done, failed:
			return true, nil
		case types.SubscriptionGrantStatusGrantPending, types.SubscriptionGrantStatusGrantInProgress:
			if ev.Kind == revokeRequested {
				return false, fmt.Errorf("the grant is %s, not being revoked", asset.Status)
			}
		case types.SubscriptionGrantStatusRevokePending, types.SubscriptionGrantStatusRevokeInProgress:
			if ev.Kind == grantRequested {
				return true, nil // a stale grant event of a grant being revoked
			}
		default:
			if ev.Kind == grantRequested {
				return true, nil // revoked or failing to revoke: the grant event is stale
			}
		}
		step = "mark in progress"
		if asset.Status != inProgress {
			if err := a.status(wctx, o, ev, assetID, inProgress, ""); err != nil {
				return false, err
			}
		}
		return false, nil
	}()
	if err == nil && replay {
		logDebug(o.Logger, "replayed grant event", "grant", ev.GrantID, "asset", assetID, "status", string(observed))
		return &GrantOutcome{Status: observed, Replayed: true}, nil
	}
	if err == nil {
		var sub Subscription
		sub, step, err = a.collect(wctx, o, ev, assetID)
		if err == nil {
			step = "apply"
			if ev.Kind == grantRequested {
				err = a.granter.Grant(wctx, sub)
			} else {
				err = a.granter.Revoke(wctx, sub)
			}
		}
	}
	// The final status runs on a fresh context: the work's may be expired or cancelled.
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), o.StatusTimeout)
	defer fcancel()
	if err == nil {
		if serr := a.status(fctx, o, ev, assetID, done, ""); serr != nil {
			ferr := &GrantFailedError{GrantID: ev.GrantID, AssetID: assetID, Step: "mark done", Err: serr}
			return &GrantOutcome{Status: inProgress, Err: ferr}, ferr
		}
		return &GrantOutcome{Status: done}, nil
	}
	if assetID == "" {
		ferr := &GrantFailedError{GrantID: ev.GrantID, Step: step, Err: err,
			StatusErr: errors.New("the asset ID is unknown (the event has none and the grant could not be read)")}
		return &GrantOutcome{Err: ferr}, ferr
	}
	ferr := &GrantFailedError{GrantID: ev.GrantID, AssetID: assetID, Step: step, Err: err}
	ferr.StatusErr = a.status(fctx, o, ev, assetID, failed, failureCause(step, err))
	out := &GrantOutcome{Status: failed, Err: ferr}
	if ferr.StatusErr != nil {
		out.Status = ""
	}
	return out, ferr
}

func grantAsset(assets []types.SubscribedAsset, id string) (types.SubscribedAsset, error) {
	for _, a := range assets {
		if id == "" && len(assets) == 1 || aws.ToString(a.AssetId) == id {
			return a, nil
		}
	}
	if id == "" {
		return types.SubscribedAsset{}, fmt.Errorf("the grant has %d assets and the event names none", len(assets))
	}
	return types.SubscribedAsset{}, fmt.Errorf("asset %s is not part of the grant", id)
}

func (a *Authorizer) status(ctx context.Context, o Options, ev grantEvent, assetID string, s types.SubscriptionGrantStatus, cause string) error {
	in := &awsdz.UpdateSubscriptionGrantStatusInput{DomainIdentifier: &ev.Domain, Identifier: &ev.GrantID, AssetIdentifier: &assetID, Status: s}
	if cause != "" {
		in.FailureCause = &types.FailureCause{Message: aws.String(cause)}
	}
	_, err := a.dz.UpdateSubscriptionGrantStatus(ctx, in, o.ClientOptions...)
	if err == nil {
		logDebug(o.Logger, "grant status", "grant", ev.GrantID, "asset", assetID, "status", string(s))
	}
	return err
}

// failureCause is the message DataZone shows: the step and the error, at most
// maxFailureCause bytes, cut on a character boundary.
func failureCause(step string, err error) string {
	msg := step + ": " + strings.TrimPrefix(err.Error(), "datazone: ")
	if len(msg) <= maxFailureCause {
		return msg
	}
	cut := maxFailureCause - len("…")
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}

// collect reads the listing, the environment and the subscription target.
func (a *Authorizer) collect(ctx context.Context, o Options, ev grantEvent, assetID string) (Subscription, string, error) {
	sub := Subscription{Domain: ev.Domain, GrantID: ev.GrantID, AssetID: assetID}
	in := &awsdz.GetListingInput{DomainIdentifier: &ev.Domain, Identifier: &ev.ListingID}
	if ev.ListingRevision != "" {
		in.ListingRevision = aws.String(ev.ListingRevision)
	}
	l, err := a.dz.GetListing(ctx, in, o.ClientOptions...)
	if err != nil {
		return sub, "read listing", err
	}
	item, ok := l.Item.(*types.ListingItemMemberAssetListing)
	if !ok {
		return sub, "read listing", fmt.Errorf("listing %s is not an asset listing", ev.ListingID)
	}
	sub.AssetType = aws.ToString(item.Value.AssetType)
	if !slices.Contains(o.AssetTypes, sub.AssetType) {
		return sub, "read listing", fmt.Errorf("asset type %q is not one this authorizer handles (%s)", sub.AssetType, strings.Join(o.AssetTypes, ", "))
	}
	forms := aws.ToString(item.Value.Forms)
	if len(forms) > maxFormsSize {
		return sub, "read listing", fmt.Errorf("the listing's forms are %d bytes, more than %d", len(forms), maxFormsSize)
	}
	if err := json.Unmarshal([]byte(forms), &sub.Forms); err != nil {
		return sub, "read listing", fmt.Errorf("the listing's forms are not a JSON object: %v", err)
	}
	env, err := a.dz.GetEnvironment(ctx, &awsdz.GetEnvironmentInput{DomainIdentifier: &ev.Domain, Identifier: &ev.EnvironmentID}, o.ClientOptions...)
	if err != nil {
		return sub, "read environment", err
	}
	if ev.Kind == grantRequested && env.Status != types.EnvironmentStatusActive {
		return sub, "read environment", fmt.Errorf("environment %s is %s, not ACTIVE", ev.EnvironmentID, env.Status)
	}
	sub.ConsumerAccount, sub.ConsumerRegion = aws.ToString(env.AwsAccountId), aws.ToString(env.AwsAccountRegion)
	t, err := a.dz.GetSubscriptionTarget(ctx, &awsdz.GetSubscriptionTargetInput{DomainIdentifier: &ev.Domain, EnvironmentIdentifier: &ev.EnvironmentID, Identifier: &ev.TargetID}, o.ClientOptions...)
	if err != nil {
		return sub, "read subscription target", err
	}
	if len(t.AuthorizedPrincipals) == 0 {
		return sub, "read subscription target", fmt.Errorf("subscription target %s has no authorized principals", ev.TargetID)
	}
	sub.Principals = slices.Clone(t.AuthorizedPrincipals)
	return sub, "", nil
}
