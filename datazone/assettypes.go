package datazone

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"

	"github.com/datablocks-go/datablocks"
)

// AssetTypes creates, revises and deletes custom form types and asset types in a DataZone
// domain. It is safe for concurrent use.
type AssetTypes struct {
	client AssetTypesAPIClient
	opts   Options
}

// NewAssetTypes returns an AssetTypes calling client, usually a *datazone.Client. It reads
// ClientOptions and Logger.
func NewAssetTypes(client AssetTypesAPIClient, optFns ...func(*Options)) *AssetTypes {
	return &AssetTypes{client: client, opts: apply(Options{}, optFns)}
}

// Scope names where types live: a domain and the project that owns them.
type Scope struct {
	// Domain is the domain ID (dzd_… or dzd-…); required.
	Domain string
	// Project is the owning project's ID; required to create types.
	Project string
}

func (s Scope) validate(needProject bool) error {
	if err := validDomainID(s.Domain); err != nil {
		return fmt.Errorf("datazone: Scope.Domain: %w", err)
	}
	if needProject {
		if err := validID(s.Project); err != nil {
			return fmt.Errorf("datazone: Scope.Project: %w", err)
		}
	}
	return nil
}

// EnsureFormType makes the form type exist, enabled, with f's model in the scope. An equal
// model (whitespace aside) already enabled is reused and nothing is written; a different or
// disabled one gets a new revision (Updated, Changed "model" and/or "status").
func (a *AssetTypes) EnsureFormType(ctx context.Context, s Scope, f FormType, optFns ...func(*Options)) (datablocks.Change, error) {
	if err := s.validate(true); err != nil {
		return datablocks.Change{}, err
	}
	if err := f.validate(); err != nil {
		return datablocks.Change{}, err
	}
	_, ch, err := a.ensureFormType(ctx, apply(a.opts, optFns), s, f)
	return ch, err
}

func (a *AssetTypes) ensureFormType(ctx context.Context, o Options, s Scope, f FormType) (string, datablocks.Change, error) {
	model := f.render()
	cur, err := a.client.GetFormType(ctx, &awsdz.GetFormTypeInput{DomainIdentifier: &s.Domain, FormTypeIdentifier: &f.Name}, o.ClientOptions...)
	exists := true
	if isNotFound(err) {
		exists = false
	} else if err != nil {
		return "", datablocks.Change{}, fmt.Errorf("datazone: get form type %s: %w", f.Name, err)
	}
	var changed []string
	if exists {
		if sm, ok := cur.Model.(*types.ModelMemberSmithy); !ok || normalizeModel(sm.Value) != normalizeModel(model) {
			changed = append(changed, "model")
		}
		if aws.ToString(cur.Description) != f.Description {
			changed = append(changed, "description")
		}
		if cur.Status != types.FormTypeStatusEnabled {
			changed = append(changed, "status")
		}
		if len(changed) == 0 {
			return aws.ToString(cur.Revision), datablocks.Change{Action: datablocks.Unchanged}, nil
		}
	}
	in := &awsdz.CreateFormTypeInput{
		DomainIdentifier: &s.Domain, Name: &f.Name, OwningProjectIdentifier: &s.Project,
		Model: &types.ModelMemberSmithy{Value: model}, Status: types.FormTypeStatusEnabled,
	}
	if f.Description != "" {
		in.Description = aws.String(f.Description)
	}
	out, err := a.client.CreateFormType(ctx, in, o.ClientOptions...)
	if err != nil {
		return "", datablocks.Change{}, fmt.Errorf("datazone: create form type %s: %w", f.Name, err)
	}
	ch := datablocks.Change{Action: datablocks.Created}
	if exists {
		ch = datablocks.Change{Action: datablocks.Updated, Changed: changed}
	}
	logDebug(o.Logger, "form type", "name", f.Name, "revision", aws.ToString(out.Revision), "change", ch.String())
	return aws.ToString(out.Revision), ch, nil
}

// normalizeModel drops the whitespace differences a service may introduce when it stores a
// model, so that only meaningful edits count as changes.
func normalizeModel(m string) string { return strings.Join(strings.Fields(m), " ") }

// EnsureAssetType ensures t's own form types (EnsureFormType), reads the revisions of its
// built-in ones, and makes the asset type exist with exactly these forms at these revisions.
// An asset type that already matches is reused and nothing is written; otherwise a new revision
// is created (Updated, Changed naming the forms and fields that differ). A form type revised on
// the way also revises the asset type, whose forms point at form type revisions.
func (a *AssetTypes) EnsureAssetType(ctx context.Context, s Scope, t AssetType, optFns ...func(*Options)) (datablocks.Change, error) {
	if err := s.validate(true); err != nil {
		return datablocks.Change{}, err
	}
	if err := t.validate(); err != nil {
		return datablocks.Change{}, err
	}
	o := apply(a.opts, optFns)
	revisions := map[string]string{}
	for _, ft := range t.FormTypes {
		rev, _, err := a.ensureFormType(ctx, o, s, ft)
		if err != nil {
			return datablocks.Change{}, err
		}
		revisions[ft.Name] = rev
	}
	for _, f := range t.Forms {
		if _, ok := revisions[f.TypeName]; ok {
			continue
		}
		ft, err := a.client.GetFormType(ctx, &awsdz.GetFormTypeInput{DomainIdentifier: &s.Domain, FormTypeIdentifier: aws.String(f.TypeName)}, o.ClientOptions...)
		if err != nil {
			return datablocks.Change{}, fmt.Errorf("datazone: get form type %s of asset type %s: %w", f.TypeName, t.Name, err)
		}
		revisions[f.TypeName] = aws.ToString(ft.Revision)
	}
	want := make(map[string]types.FormEntryInput, len(t.Forms))
	for _, f := range t.Forms {
		want[f.Name] = types.FormEntryInput{TypeIdentifier: aws.String(f.TypeName), TypeRevision: aws.String(revisions[f.TypeName]), Required: aws.Bool(f.Required)}
	}
	cur, err := a.client.GetAssetType(ctx, &awsdz.GetAssetTypeInput{DomainIdentifier: &s.Domain, Identifier: &t.Name}, o.ClientOptions...)
	exists := true
	if isNotFound(err) {
		exists = false
	} else if err != nil {
		return datablocks.Change{}, fmt.Errorf("datazone: get asset type %s: %w", t.Name, err)
	}
	var changed []string
	if exists {
		changed = diffForms(want, cur.FormsOutput)
		if aws.ToString(cur.Description) != t.Description {
			changed = append(changed, "description")
		}
		if len(changed) == 0 {
			return datablocks.Change{Action: datablocks.Unchanged}, nil
		}
		slices.Sort(changed)
	}
	in := &awsdz.CreateAssetTypeInput{DomainIdentifier: &s.Domain, Name: &t.Name, OwningProjectIdentifier: &s.Project, FormsInput: want}
	if t.Description != "" {
		in.Description = aws.String(t.Description)
	}
	out, err := a.client.CreateAssetType(ctx, in, o.ClientOptions...)
	if err != nil {
		return datablocks.Change{}, fmt.Errorf("datazone: create asset type %s: %w", t.Name, err)
	}
	ch := datablocks.Change{Action: datablocks.Created}
	if exists {
		ch = datablocks.Change{Action: datablocks.Updated, Changed: changed}
	}
	logDebug(o.Logger, "asset type", "name", t.Name, "revision", aws.ToString(out.Revision), "change", ch.String())
	return ch, nil
}

// diffForms names the forms whose entry differs ("forms.KafkaSchemaForm").
func diffForms(want map[string]types.FormEntryInput, have map[string]types.FormEntryOutput) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		w := want[name]
		h, ok := have[name]
		if !ok || aws.ToString(h.TypeName) != aws.ToString(w.TypeIdentifier) ||
			aws.ToString(h.TypeRevision) != aws.ToString(w.TypeRevision) || aws.ToBool(h.Required) != aws.ToBool(w.Required) {
			out = append(out, "forms."+name)
		}
	}
	for name := range have {
		if _, ok := want[name]; !ok {
			out = append(out, "forms."+name)
		}
	}
	return out
}

// DeleteAssetType deletes the asset type, then each of t's own form types: DataZone deletes
// only disabled form types that no asset type uses, so the asset type goes first and each form
// type is disabled (a CreateFormType revision with status DISABLED) before DeleteFormType.
// What is already gone is skipped; the Change is Deleted when anything was deleted. The asset
// type's assets must be deleted first (DataZone refuses otherwise).
func (a *AssetTypes) DeleteAssetType(ctx context.Context, s Scope, t AssetType, optFns ...func(*Options)) (datablocks.Change, error) {
	if err := s.validate(true); err != nil {
		return datablocks.Change{}, err
	}
	if err := t.validate(); err != nil {
		return datablocks.Change{}, err
	}
	o := apply(a.opts, optFns)
	deleted := false
	_, err := a.client.DeleteAssetType(ctx, &awsdz.DeleteAssetTypeInput{DomainIdentifier: &s.Domain, Identifier: &t.Name}, o.ClientOptions...)
	switch {
	case err == nil:
		deleted = true
	case !isNotFound(err):
		return datablocks.Change{}, fmt.Errorf("datazone: delete asset type %s: %w", t.Name, err)
	}
	for _, ft := range t.FormTypes {
		cur, err := a.client.GetFormType(ctx, &awsdz.GetFormTypeInput{DomainIdentifier: &s.Domain, FormTypeIdentifier: &ft.Name}, o.ClientOptions...)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return changeIf(deleted), fmt.Errorf("datazone: get form type %s: %w", ft.Name, err)
		}
		if cur.Status != types.FormTypeStatusDisabled {
			model := cur.Model
			if model == nil {
				model = &types.ModelMemberSmithy{Value: ft.render()}
			}
			if _, err := a.client.CreateFormType(ctx, &awsdz.CreateFormTypeInput{
				DomainIdentifier: &s.Domain, Name: &ft.Name, OwningProjectIdentifier: &s.Project, Model: model,
				Status: types.FormTypeStatusDisabled, Description: cur.Description,
			}, o.ClientOptions...); err != nil {
				return changeIf(deleted), fmt.Errorf("datazone: disable form type %s: %w", ft.Name, err)
			}
		}
		if _, err := a.client.DeleteFormType(ctx, &awsdz.DeleteFormTypeInput{DomainIdentifier: &s.Domain, FormTypeIdentifier: &ft.Name}, o.ClientOptions...); err != nil && !isNotFound(err) {
			return changeIf(deleted), fmt.Errorf("datazone: delete form type %s: %w", ft.Name, err)
		}
		deleted = true
	}
	return changeIf(deleted), nil
}

func changeIf(deleted bool) datablocks.Change {
	if deleted {
		return datablocks.Change{Action: datablocks.Deleted}
	}
	return datablocks.Change{Action: datablocks.Unchanged}
}

func isNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}

func logDebug(l *slog.Logger, msg string, args ...any) {
	if l != nil {
		l.Debug("datazone: "+msg, args...)
	}
}
