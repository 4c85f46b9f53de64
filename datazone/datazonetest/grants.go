package datazonetest

import (
	"context"
	"encoding/json"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"
)

func sortStrings(s []string) { sort.Strings(s) }

// env finds the environment id names; field is the request member holding it.
func (d *domain) env(field string, id *string) (*environment, error) {
	if err := checkID(field, id); err != nil {
		return nil, err
	}
	e := d.envs[*id]
	if e == nil {
		return nil, notFound("Environment %s not found", *id)
	}
	return e, nil
}

// GetEnvironment implements the DataZone operation.
func (f *Fake) GetEnvironment(ctx context.Context, in *awsdz.GetEnvironmentInput, _ ...func(*awsdz.Options)) (*awsdz.GetEnvironmentOutput, error) {
	return handle(f.Controls, &f.mu, OpGetEnvironment, in, func() (*awsdz.GetEnvironmentOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		e, err := d.env("identifier", in.Identifier)
		if err != nil {
			return nil, err
		}
		return &awsdz.GetEnvironmentOutput{
			Id: aws.String(e.id), DomainId: aws.String(d.id), Name: aws.String(e.name), ProjectId: aws.String(e.project),
			Provider: aws.String("Amazon DataZone"), AwsAccountId: aws.String(e.account), AwsAccountRegion: aws.String(e.region),
			Status: e.status, CreatedAt: aws.Time(e.created), UpdatedAt: aws.Time(e.created), CreatedBy: aws.String("fake"),
		}, nil
	})
}

func checkPrincipals(p []string) error {
	if p == nil {
		return validation("1 validation error detected: Value null at 'authorizedPrincipals' failed to satisfy constraint: Member must not be null")
	}
	if len(p) < 1 || len(p) > maxPrincipals {
		return validation("1 validation error detected: Value at 'authorizedPrincipals' failed to satisfy constraint: Member must have length between 1 and %d", maxPrincipals)
	}
	return nil
}

func checkManageRole(v *string) error {
	if v == nil {
		return validation("1 validation error detected: Value null at 'manageAccessRole' failed to satisfy constraint: Member must not be null")
	}
	if !manageRoleRE.MatchString(*v) {
		return validation("1 validation error detected: Value '%s' at 'manageAccessRole' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws(|-cn|-us-gov):iam::\\d{12}:(role|role/service-role)/[\\w+=,.@-]*$", *v)
	}
	return nil
}

// CreateSubscriptionTarget implements the DataZone operation.
func (f *Fake) CreateSubscriptionTarget(ctx context.Context, in *awsdz.CreateSubscriptionTargetInput, _ ...func(*awsdz.Options)) (*awsdz.CreateSubscriptionTargetOutput, error) {
	return handle(f.Controls, &f.mu, OpCreateSubscriptionTarget, in, func() (*awsdz.CreateSubscriptionTargetOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		e, err := d.env("environmentIdentifier", in.EnvironmentIdentifier)
		if err != nil {
			return nil, err
		}
		for _, c := range []error{
			checkLen("name", in.Name, 1, 256, true), checkLen("type", in.Type, 1, 256, true), checkLen("provider", in.Provider, 0, 256, false),
			checkPrincipals(in.AuthorizedPrincipals), checkManageRole(in.ManageAccessRole), checkToken(in.ClientToken),
		} {
			if c != nil {
				return nil, c
			}
		}
		if in.ApplicableAssetTypes == nil {
			return nil, validation("1 validation error detected: Value null at 'applicableAssetTypes' failed to satisfy constraint: Member must not be null")
		}
		if in.SubscriptionTargetConfig == nil {
			return nil, validation("1 validation error detected: Value null at 'subscriptionTargetConfig' failed to satisfy constraint: Member must not be null")
		}
		switch in.SubscriptionGrantCreationMode {
		case "", types.SubscriptionGrantCreationModeAutomatic, types.SubscriptionGrantCreationModeManual:
		default:
			return nil, validation("1 validation error detected: Value '%s' at 'subscriptionGrantCreationMode' failed to satisfy constraint: Member must satisfy enum value set: [AUTOMATIC, MANUAL]", in.SubscriptionGrantCreationMode)
		}
		now := f.now()
		t := &target{out: awsdz.GetSubscriptionTargetOutput{
			Id: aws.String(f.newID("tgt")), DomainId: aws.String(d.id), EnvironmentId: aws.String(e.id), ProjectId: aws.String(e.project),
			Name: in.Name, Type: in.Type, Provider: aws.String(aws.ToString(in.Provider)), ManageAccessRole: in.ManageAccessRole,
			ApplicableAssetTypes: slices.Clone(in.ApplicableAssetTypes), AuthorizedPrincipals: slices.Clone(in.AuthorizedPrincipals),
			SubscriptionTargetConfig: slices.Clone(in.SubscriptionTargetConfig), SubscriptionGrantCreationMode: in.SubscriptionGrantCreationMode,
			CreatedAt: aws.Time(now), CreatedBy: aws.String("fake"),
		}}
		if t.out.Provider == nil || *t.out.Provider == "" {
			t.out.Provider = aws.String("Custom")
		}
		d.targets[*t.out.Id] = t
		out := awsdz.CreateSubscriptionTargetOutput(*cloneTarget(t.out))
		return &out, nil
	})
}

func (d *domain) target(envID, id *string) (*target, error) {
	if _, err := d.env("environmentIdentifier", envID); err != nil {
		return nil, err
	}
	if err := checkID("identifier", id); err != nil {
		return nil, err
	}
	t := d.targets[*id]
	if t == nil || *t.out.EnvironmentId != *envID {
		return nil, notFound("Subscription target %s not found", *id)
	}
	return t, nil
}

func cloneTarget(o awsdz.GetSubscriptionTargetOutput) *awsdz.GetSubscriptionTargetOutput {
	o.ApplicableAssetTypes = slices.Clone(o.ApplicableAssetTypes)
	o.AuthorizedPrincipals = slices.Clone(o.AuthorizedPrincipals)
	o.SubscriptionTargetConfig = slices.Clone(o.SubscriptionTargetConfig)
	return &o
}

// GetSubscriptionTarget implements the DataZone operation.
func (f *Fake) GetSubscriptionTarget(ctx context.Context, in *awsdz.GetSubscriptionTargetInput, _ ...func(*awsdz.Options)) (*awsdz.GetSubscriptionTargetOutput, error) {
	return handle(f.Controls, &f.mu, OpGetSubscriptionTarget, in, func() (*awsdz.GetSubscriptionTargetOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		t, err := d.target(in.EnvironmentIdentifier, in.Identifier)
		if err != nil {
			return nil, err
		}
		return cloneTarget(t.out), nil
	})
}

// UpdateSubscriptionTarget implements the DataZone operation: members given replace the
// target's.
func (f *Fake) UpdateSubscriptionTarget(ctx context.Context, in *awsdz.UpdateSubscriptionTargetInput, _ ...func(*awsdz.Options)) (*awsdz.UpdateSubscriptionTargetOutput, error) {
	return handle(f.Controls, &f.mu, OpUpdateSubscriptionTarget, in, func() (*awsdz.UpdateSubscriptionTargetOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		t, err := d.target(in.EnvironmentIdentifier, in.Identifier)
		if err != nil {
			return nil, err
		}
		if in.AuthorizedPrincipals != nil {
			if err := checkPrincipals(in.AuthorizedPrincipals); err != nil {
				return nil, err
			}
		}
		if in.ManageAccessRole != nil {
			if err := checkManageRole(in.ManageAccessRole); err != nil {
				return nil, err
			}
		}
		if err := checkLen("name", in.Name, 1, 256, false); err != nil {
			return nil, err
		}
		o := &t.out
		if in.AuthorizedPrincipals != nil {
			o.AuthorizedPrincipals = slices.Clone(in.AuthorizedPrincipals)
		}
		if in.ApplicableAssetTypes != nil {
			o.ApplicableAssetTypes = slices.Clone(in.ApplicableAssetTypes)
		}
		if in.ManageAccessRole != nil {
			o.ManageAccessRole = in.ManageAccessRole
		}
		if in.Name != nil {
			o.Name = in.Name
		}
		if in.Provider != nil {
			o.Provider = in.Provider
		}
		if in.SubscriptionTargetConfig != nil {
			o.SubscriptionTargetConfig = slices.Clone(in.SubscriptionTargetConfig)
		}
		if in.SubscriptionGrantCreationMode != "" {
			o.SubscriptionGrantCreationMode = in.SubscriptionGrantCreationMode
		}
		o.UpdatedAt = aws.Time(f.now())
		out := awsdz.UpdateSubscriptionTargetOutput(*cloneTarget(*o))
		return &out, nil
	})
}

// ListSubscriptionTargets implements the DataZone operation, in creation order, in pages of
// Options.PageSize (maxResults 1–50).
func (f *Fake) ListSubscriptionTargets(ctx context.Context, in *awsdz.ListSubscriptionTargetsInput, _ ...func(*awsdz.Options)) (*awsdz.ListSubscriptionTargetsOutput, error) {
	return handle(f.Controls, &f.mu, OpListSubscriptionTargets, in, func() (*awsdz.ListSubscriptionTargetsOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		e, err := d.env("environmentIdentifier", in.EnvironmentIdentifier)
		if err != nil {
			return nil, err
		}
		size := f.opts.PageSize
		if in.MaxResults != nil {
			if *in.MaxResults < 1 || *in.MaxResults > 50 {
				return nil, validation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50", *in.MaxResults)
			}
			size = min(size, int(*in.MaxResults))
		}
		var ids []string
		for id, t := range d.targets {
			if *t.out.EnvironmentId == e.id {
				ids = append(ids, id)
			}
		}
		sortStrings(ids)
		window, next, ok := page(ids, in.NextToken, size)
		if !ok {
			return nil, validation("Invalid nextToken")
		}
		out := &awsdz.ListSubscriptionTargetsOutput{Items: []types.SubscriptionTargetSummary{}, NextToken: next}
		for _, id := range window {
			c := cloneTarget(d.targets[id].out)
			out.Items = append(out.Items, types.SubscriptionTargetSummary{
				ApplicableAssetTypes: c.ApplicableAssetTypes, AuthorizedPrincipals: c.AuthorizedPrincipals, CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy,
				DomainId: c.DomainId, EnvironmentId: c.EnvironmentId, Id: c.Id, Name: c.Name, ProjectId: c.ProjectId, Provider: c.Provider,
				SubscriptionTargetConfig: c.SubscriptionTargetConfig, Type: c.Type, ManageAccessRole: c.ManageAccessRole,
				SubscriptionGrantCreationMode: c.SubscriptionGrantCreationMode, UpdatedAt: c.UpdatedAt,
			})
		}
		return out, nil
	})
}

// RequestGrant starts a subscription grant of a listing's latest revision to a subscription
// target, as DataZone does once a subscription is approved: its asset is GRANT_PENDING. It
// returns the grant's ID; GrantEvent builds the event DataZone then sends.
func (f *Fake) RequestGrant(domainID, listingID, targetID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.mustDomain(domainID)
	l, t := d.listings[listingID], d.targets[targetID]
	if l == nil || t == nil {
		panic("datazonetest: RequestGrant: unknown listing or target")
	}
	now := f.now()
	g := &grant{
		id: f.newID("grt"), targetID: targetID, envID: *t.out.EnvironmentId, listingID: listingID,
		listingRevision: itoa(len(l.revisions)), created: now, updated: now,
	}
	g.assets = []*types.SubscribedAsset{{AssetId: aws.String(l.assetID), AssetRevision: aws.String(l.revisions[len(l.revisions)-1]), Status: types.SubscriptionGrantStatusGrantPending}}
	g.history = []types.SubscriptionGrantStatus{types.SubscriptionGrantStatusGrantPending}
	d.grants[g.id] = g
	return g.id
}

// RequestRevoke asks for a granted (or failed) grant to be revoked, as DataZone does when a
// subscription is revoked or cancelled: its asset becomes REVOKE_PENDING.
func (f *Fake) RequestRevoke(domainID, grantID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := f.mustDomain(domainID).grants[grantID]
	if g == nil {
		panic("datazonetest: RequestRevoke: unknown grant " + grantID)
	}
	for _, a := range g.assets {
		a.Status = types.SubscriptionGrantStatusRevokePending
		a.FailureCause = nil
	}
	g.history = append(g.history, types.SubscriptionGrantStatusRevokePending)
}

// GrantHistory returns every status the grant's asset went through, in order.
func (f *Fake) GrantHistory(domainID, grantID string) []types.SubscriptionGrantStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.mustDomain(domainID).grants[grantID].history)
}

// GrantFailureCause returns the failure cause last written for the grant's asset, if any.
func (f *Fake) GrantFailureCause(domainID, grantID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.mustDomain(domainID).grants[grantID].assets[0]
	if a.FailureCause == nil {
		return ""
	}
	return aws.ToString(a.FailureCause.Message)
}

// GrantEvent returns the EventBridge event DataZone sends for a grant:
// "Subscription Grant Requested" or, with revoke, "Subscription Grant Revoke Requested", in the
// shape DSF's collector reads (detail.metadata.id/domain, detail.data.asset.listingId …).
func (f *Fake) GrantEvent(domainID, grantID string, revoke bool) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.mustDomain(domainID)
	g := d.grants[grantID]
	if g == nil {
		panic("datazonetest: GrantEvent: unknown grant " + grantID)
	}
	a := d.assets[aws.ToString(g.assets[0].AssetId)]
	detailType := "Subscription Grant Requested"
	if revoke {
		detailType = "Subscription Grant Revoke Requested"
	}
	ev := map[string]any{
		"version": "0", "id": f.newID("evt"), "detail-type": detailType, "source": "aws.datazone",
		"account": f.opts.AccountID, "time": f.now().Format("2006-01-02T15:04:05Z"), "region": f.opts.Region,
		"resources": []string{}, "detail": map[string]any{
			"version": "79", "internal": map[string]any{"sourceOrigin": "DATAZONE"},
			"metadata": map[string]any{
				"id": g.id, "version": "1", "typeName": "SubscriptionGrantEntityType", "domain": d.id,
				"user": "fake-user", "awsAccountId": f.opts.AccountID,
			},
			"data": map[string]any{
				"asset":              map[string]any{"id": a.id, "listingId": g.listingID, "listingVersion": g.listingRevision, "typeName": a.typeName},
				"subscriptionTarget": map[string]any{"id": g.targetID, "environmentId": g.envID},
			},
		},
	}
	b, _ := json.Marshal(ev)
	return b
}

// grantTransitions lists the statuses each asset status may move to through
// UpdateSubscriptionGrantStatus; writing the current status again is allowed (the operation is
// idempotent).
var grantTransitions = map[types.SubscriptionGrantStatus][]types.SubscriptionGrantStatus{
	types.SubscriptionGrantStatusGrantPending:     {types.SubscriptionGrantStatusGrantInProgress, types.SubscriptionGrantStatusGranted, types.SubscriptionGrantStatusGrantFailed},
	types.SubscriptionGrantStatusGrantInProgress:  {types.SubscriptionGrantStatusGranted, types.SubscriptionGrantStatusGrantFailed},
	types.SubscriptionGrantStatusRevokePending:    {types.SubscriptionGrantStatusRevokeInProgress, types.SubscriptionGrantStatusRevoked, types.SubscriptionGrantStatusRevokeFailed},
	types.SubscriptionGrantStatusRevokeInProgress: {types.SubscriptionGrantStatusRevoked, types.SubscriptionGrantStatusRevokeFailed},
}

func overall(g *grant) types.SubscriptionGrantOverallStatus {
	switch g.assets[0].Status {
	case types.SubscriptionGrantStatusGrantPending, types.SubscriptionGrantStatusRevokePending:
		return types.SubscriptionGrantOverallStatusPending
	case types.SubscriptionGrantStatusGrantInProgress, types.SubscriptionGrantStatusRevokeInProgress:
		return types.SubscriptionGrantOverallStatusInProgress
	case types.SubscriptionGrantStatusGrantFailed:
		return types.SubscriptionGrantOverallStatusGrantFailed
	case types.SubscriptionGrantStatusRevokeFailed:
		return types.SubscriptionGrantOverallStatusRevokeFailed
	}
	return types.SubscriptionGrantOverallStatusCompleted
}

func (d *domain) grant(id *string) (*grant, error) {
	if err := checkID("identifier", id); err != nil {
		return nil, err
	}
	g := d.grants[*id]
	if g == nil {
		return nil, notFound("Subscription grant %s not found", *id)
	}
	return g, nil
}

func cloneAssets(g *grant) []types.SubscribedAsset {
	out := make([]types.SubscribedAsset, len(g.assets))
	for i, a := range g.assets {
		out[i] = *a
		if a.FailureCause != nil {
			fc := *a.FailureCause
			out[i].FailureCause = &fc
		}
	}
	return out
}

// GetSubscriptionGrant implements the DataZone operation.
func (f *Fake) GetSubscriptionGrant(ctx context.Context, in *awsdz.GetSubscriptionGrantInput, _ ...func(*awsdz.Options)) (*awsdz.GetSubscriptionGrantOutput, error) {
	return handle(f.Controls, &f.mu, OpGetSubscriptionGrant, in, func() (*awsdz.GetSubscriptionGrantOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		g, err := d.grant(in.Identifier)
		if err != nil {
			return nil, err
		}
		return grantOutput(d, g), nil
	})
}

// grantOutput describes a grant as GetSubscriptionGrant (and, converted,
// UpdateSubscriptionGrantStatus) answer.
func grantOutput(d *domain, g *grant) *awsdz.GetSubscriptionGrantOutput {
	return &awsdz.GetSubscriptionGrantOutput{
		Id: aws.String(g.id), DomainId: aws.String(d.id), Status: overall(g), SubscriptionTargetId: aws.String(g.targetID),
		EnvironmentId: aws.String(g.envID), Assets: cloneAssets(g), CreatedAt: aws.Time(g.created), UpdatedAt: aws.Time(g.updated),
		CreatedBy:     aws.String("fake"),
		GrantedEntity: &types.GrantedEntityMemberListing{Value: types.ListingRevision{Id: aws.String(g.listingID), Revision: aws.String(g.listingRevision)}},
	}
}

// UpdateSubscriptionGrantStatus implements the DataZone operation with the documented status
// machine: GRANT_PENDING → GRANT_IN_PROGRESS → GRANTED | GRANT_FAILED, and REVOKE_PENDING →
// REVOKE_IN_PROGRESS → REVOKED | REVOKE_FAILED; any other move is a ConflictException.
func (f *Fake) UpdateSubscriptionGrantStatus(ctx context.Context, in *awsdz.UpdateSubscriptionGrantStatusInput, _ ...func(*awsdz.Options)) (*awsdz.UpdateSubscriptionGrantStatusOutput, error) {
	return handle(f.Controls, &f.mu, OpUpdateSubscriptionGrantStatus, in, func() (*awsdz.UpdateSubscriptionGrantStatusOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		g, err := d.grant(in.Identifier)
		if err != nil {
			return nil, err
		}
		if err := checkID("assetIdentifier", in.AssetIdentifier); err != nil {
			return nil, err
		}
		if !slices.Contains(types.SubscriptionGrantStatus("").Values(), in.Status) {
			return nil, validation("1 validation error detected: Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: %v", in.Status, types.SubscriptionGrantStatus("").Values())
		}
		var a *types.SubscribedAsset
		for _, x := range g.assets {
			if aws.ToString(x.AssetId) == *in.AssetIdentifier {
				a = x
			}
		}
		if a == nil {
			return nil, notFound("Asset %s is not part of subscription grant %s", *in.AssetIdentifier, g.id)
		}
		if a.Status != in.Status && !slices.Contains(grantTransitions[a.Status], in.Status) {
			return nil, conflict("Subscription grant %s asset %s cannot move from %s to %s", g.id, aws.ToString(a.AssetId), a.Status, in.Status)
		}
		now := f.now()
		a.Status = in.Status
		a.FailureCause = nil
		if in.FailureCause != nil {
			fc := *in.FailureCause
			a.FailureCause = &fc
			a.FailureTimestamp = aws.Time(now)
		}
		if in.TargetName != nil {
			a.TargetName = in.TargetName
		}
		if in.Status == types.SubscriptionGrantStatusGranted {
			a.GrantedTimestamp = aws.Time(now)
		}
		g.updated = now
		g.history = append(g.history, in.Status)
		out := awsdz.UpdateSubscriptionGrantStatusOutput(*grantOutput(d, g))
		return &out, nil
	})
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
