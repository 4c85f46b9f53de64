package datazone

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"

	"github.com/datablocks-go/datablocks"
)

// Defaults and limits of subscription targets.
const (
	// defaultSubscriptionTargetType is the type DSF and the DataZone documentation use for
	// custom subscription targets.
	defaultSubscriptionTargetType = "BaseSubscriptionTargetType"
	// maxAuthorizedPrincipals is the most principals a subscription target may authorize.
	maxAuthorizedPrincipals = 20
)

// manageAccessRoleRE is CreateSubscriptionTarget's pattern for manageAccessRole: only roles at
// the root path or under service-role/, in aws, aws-cn and aws-us-gov.
var manageAccessRoleRE = regexp.MustCompile(`^arn:aws(|-cn|-us-gov):iam::\d{12}:(role|role/service-role)/[\w+=,.@-]*$`)

// SubscriptionTarget is where DataZone grants subscriptions of an environment: for custom
// asset types, the roles the Authorizer gives access to.
type SubscriptionTarget struct {
	// Name identifies the target in its environment (1–256 characters); required.
	Name string
	// Type is the target type. Empty means "BaseSubscriptionTargetType", the type DSF and the
	// DataZone documentation use for custom subscription targets.
	Type string
	// Provider names who applies grants, such as "datablocks". Empty means DataZone's default.
	Provider string
	// ApplicableAssetTypes are the asset types granted here. Empty means
	// MskTopicAssetType.Name.
	ApplicableAssetTypes []string
	// AuthorizedPrincipals are the consumer IAM role ARNs; 1 to 20.
	AuthorizedPrincipals []string
	// ManageAccessRole is the role DataZone uses to manage access: a role at the root path or
	// under role/service-role/ (no other paths), in the environment's account; required.
	ManageAccessRole string
	// CreationMode is AUTOMATIC or MANUAL. Empty means DataZone's default.
	CreationMode types.SubscriptionGrantCreationMode
}

func (t SubscriptionTarget) withDefaults() SubscriptionTarget {
	if t.Type == "" {
		t.Type = defaultSubscriptionTargetType
	}
	if len(t.ApplicableAssetTypes) == 0 {
		t.ApplicableAssetTypes = []string{mskTopicAssetTypeName}
	}
	return t
}

// validate checks the target as CreateSubscriptionTarget does.
func (t SubscriptionTarget) validate() error {
	switch {
	case t.Name == "" || len(t.Name) > 256:
		return fmt.Errorf("datazone: SubscriptionTarget.Name %q must have 1 to 256 characters", t.Name)
	case len(t.AuthorizedPrincipals) < 1 || len(t.AuthorizedPrincipals) > maxAuthorizedPrincipals:
		return fmt.Errorf("datazone: SubscriptionTarget.AuthorizedPrincipals has %d principals; a target has 1 to %d", len(t.AuthorizedPrincipals), maxAuthorizedPrincipals)
	case !manageAccessRoleRE.MatchString(t.ManageAccessRole):
		return fmt.Errorf("datazone: SubscriptionTarget.ManageAccessRole %q must be a role ARN at the root path or under role/service-role/ (pattern ^arn:aws(|-cn|-us-gov):iam::\\d{12}:(role|role/service-role)/[\\w+=,.@-]*$)", t.ManageAccessRole)
	}
	for i, p := range t.AuthorizedPrincipals {
		a, err := datablocks.ParseARN(p)
		if err != nil || a.Service != "iam" || !datablocks.IsAccountID(a.AccountID) {
			return fmt.Errorf("datazone: SubscriptionTarget.AuthorizedPrincipals[%d] %q is not an IAM principal ARN", i, p)
		}
	}
	switch t.CreationMode {
	case "", types.SubscriptionGrantCreationModeAutomatic, types.SubscriptionGrantCreationModeManual:
	default:
		return fmt.Errorf("datazone: SubscriptionTarget.CreationMode %q is neither AUTOMATIC nor MANUAL", t.CreationMode)
	}
	return nil
}

// SubscriptionTargets creates and updates subscription targets. The caller must be in the
// environment's account, as DataZone requires. It is safe for concurrent use.
type SubscriptionTargets struct {
	client SubscriptionTargetsAPIClient
	opts   Options
}

// NewSubscriptionTargets returns a SubscriptionTargets calling client (a *datazone.Client). It
// reads ClientOptions and Logger.
func NewSubscriptionTargets(client SubscriptionTargetsAPIClient, optFns ...func(*Options)) *SubscriptionTargets {
	return &SubscriptionTargets{client: client, opts: apply(Options{}, optFns)}
}

// EnsureSubscriptionTarget makes the environment have the target, found by name among every
// page of its targets: created when missing, updated (Changed naming the fields) when it
// differs, left alone when it matches. Principals and asset types compare as sets.
func (s *SubscriptionTargets) EnsureSubscriptionTarget(ctx context.Context, domain, environment string, t SubscriptionTarget, optFns ...func(*Options)) (datablocks.Change, error) {
	if err := validDomainID(domain); err != nil {
		return datablocks.Change{}, fmt.Errorf("datazone: domain: %w", err)
	}
	if err := validID(environment); err != nil {
		return datablocks.Change{}, fmt.Errorf("datazone: environment: %w", err)
	}
	t = t.withDefaults()
	if err := t.validate(); err != nil {
		return datablocks.Change{}, err
	}
	o := apply(s.opts, optFns)
	var cur *types.SubscriptionTargetSummary
	p := awsdz.NewListSubscriptionTargetsPaginator(s.client, &awsdz.ListSubscriptionTargetsInput{DomainIdentifier: &domain, EnvironmentIdentifier: &environment})
	for p.HasMorePages() && cur == nil {
		page, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			return datablocks.Change{}, fmt.Errorf("datazone: list subscription targets of environment %s: %w", environment, err)
		}
		for i := range page.Items {
			if aws.ToString(page.Items[i].Name) == t.Name {
				cur = &page.Items[i]
				break
			}
		}
	}
	if cur == nil {
		in := &awsdz.CreateSubscriptionTargetInput{
			DomainIdentifier: &domain, EnvironmentIdentifier: &environment, Name: &t.Name, Type: &t.Type,
			ApplicableAssetTypes: t.ApplicableAssetTypes, AuthorizedPrincipals: t.AuthorizedPrincipals, ManageAccessRole: &t.ManageAccessRole,
			SubscriptionTargetConfig: []types.SubscriptionTargetForm{}, SubscriptionGrantCreationMode: t.CreationMode,
			ClientToken: aws.String(clientToken("target", domain, environment, t.Name)),
		}
		if t.Provider != "" {
			in.Provider = &t.Provider
		}
		out, err := s.client.CreateSubscriptionTarget(ctx, in, o.ClientOptions...)
		if err != nil {
			return datablocks.Change{}, fmt.Errorf("datazone: create subscription target %s: %w", t.Name, err)
		}
		logDebug(o.Logger, "subscription target created", "environment", environment, "id", aws.ToString(out.Id))
		return datablocks.Change{Action: datablocks.Created}, nil
	}
	in := &awsdz.UpdateSubscriptionTargetInput{DomainIdentifier: &domain, EnvironmentIdentifier: &environment, Identifier: cur.Id}
	var changed []string
	if !sameSet(cur.AuthorizedPrincipals, t.AuthorizedPrincipals) {
		changed, in.AuthorizedPrincipals = append(changed, "AuthorizedPrincipals"), t.AuthorizedPrincipals
	}
	if !sameSet(cur.ApplicableAssetTypes, t.ApplicableAssetTypes) {
		changed, in.ApplicableAssetTypes = append(changed, "ApplicableAssetTypes"), t.ApplicableAssetTypes
	}
	if aws.ToString(cur.ManageAccessRole) != t.ManageAccessRole {
		changed, in.ManageAccessRole = append(changed, "ManageAccessRole"), &t.ManageAccessRole
	}
	if t.Provider != "" && aws.ToString(cur.Provider) != t.Provider {
		changed, in.Provider = append(changed, "Provider"), &t.Provider
	}
	if t.CreationMode != "" && cur.SubscriptionGrantCreationMode != t.CreationMode {
		changed, in.SubscriptionGrantCreationMode = append(changed, "CreationMode"), t.CreationMode
	}
	if aws.ToString(cur.Type) != t.Type {
		return datablocks.Change{}, fmt.Errorf("datazone: subscription target %s has type %s, not %s; the type cannot be updated", t.Name, aws.ToString(cur.Type), t.Type)
	}
	if len(changed) == 0 {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if _, err := s.client.UpdateSubscriptionTarget(ctx, in, o.ClientOptions...); err != nil {
		return datablocks.Change{}, fmt.Errorf("datazone: update subscription target %s: %w", t.Name, err)
	}
	slices.Sort(changed)
	logDebug(o.Logger, "subscription target updated", "environment", environment, "id", aws.ToString(cur.Id), "changed", changed)
	return datablocks.Change{Action: datablocks.Updated, Changed: changed}, nil
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}
