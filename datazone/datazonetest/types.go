package datazonetest

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"
)

func (d *domain) checkProject(v *string) error {
	if err := checkID("owningProjectIdentifier", v); err != nil {
		return err
	}
	if !d.projects[*v] {
		return notFound("Project %s not found in domain %s", *v, d.id)
	}
	return nil
}

// CreateFormType implements the DataZone operation: a name that exists gets a new revision,
// unless model, description and status are those of its latest revision, which is returned.
func (f *Fake) CreateFormType(ctx context.Context, in *awsdz.CreateFormTypeInput, _ ...func(*awsdz.Options)) (*awsdz.CreateFormTypeOutput, error) {
	return handle(f.Controls, &f.mu, OpCreateFormType, in, func() (*awsdz.CreateFormTypeOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		name := aws.ToString(in.Name)
		if err := checkLen("name", in.Name, 1, maxFormTypeName, true); err != nil {
			return nil, err
		}
		if !formTypeNameRE.MatchString(name) {
			return nil, validation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(amazon.datazone.)?(?![0-9_])\\w+$", name)
		}
		if strings.HasPrefix(name, "amazon.datazone.") {
			return nil, validation("Form type names starting with amazon.datazone. are reserved")
		}
		if err := d.checkProject(in.OwningProjectIdentifier); err != nil {
			return nil, err
		}
		if err := checkLen("description", in.Description, 0, maxDescription, false); err != nil {
			return nil, err
		}
		sm, ok := in.Model.(*types.ModelMemberSmithy)
		if !ok {
			return nil, validation("1 validation error detected: Value null at 'model' failed to satisfy constraint: Member must not be null")
		}
		shape, err := parseSmithy(sm.Value)
		if err != nil {
			return nil, validation("%s", err.Error())
		}
		status := in.Status
		if status == "" {
			status = types.FormTypeStatusEnabled
		}
		if status != types.FormTypeStatusEnabled && status != types.FormTypeStatusDisabled {
			return nil, validation("1 validation error detected: Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]", status)
		}
		ft := d.formTypes[name]
		if ft != nil && !ft.deleted && ft.project != *in.OwningProjectIdentifier {
			return nil, conflict("Form type %s is owned by project %s", name, ft.project)
		}
		if ft == nil || ft.deleted {
			ft = &formType{name: name, project: *in.OwningProjectIdentifier}
			d.formTypes[name] = ft
		}
		rev := formTypeRevision{model: sm.Value, description: aws.ToString(in.Description), status: status, shape: shape, created: f.now()}
		if n := len(ft.revisions); n == 0 || !sameFormRevision(ft.revisions[n-1], rev) {
			ft.revisions = append(ft.revisions, rev)
		}
		return &awsdz.CreateFormTypeOutput{
			DomainId: aws.String(d.id), Name: aws.String(name), Revision: aws.String(strconv.Itoa(len(ft.revisions))),
			Description: in.Description, OwningProjectId: aws.String(ft.project), OriginDomainId: aws.String(d.id), OriginProjectId: aws.String(ft.project),
		}, nil
	})
}

func sameFormRevision(a, b formTypeRevision) bool {
	return a.model == b.model && a.description == b.description && a.status == b.status
}

// revisionIndex returns the index of revision rev ("1", "2", …; "" for the latest) among n
// revisions; ok is false when rev names none of them.
func revisionIndex(rev string, n int) (i int, ok bool) {
	if rev == "" {
		return n - 1, true
	}
	v, err := strconv.Atoi(rev)
	if err != nil || v < 1 || v > n {
		return 0, false
	}
	return v - 1, true
}

// formTypeRev finds a form type revision; rev "" means the latest.
func (d *domain) formTypeRev(name, rev string) (*formType, int, error) {
	ft := d.formTypes[name]
	if ft == nil || ft.deleted {
		return nil, 0, notFound("Form type %s not found", name)
	}
	i, ok := revisionIndex(rev, len(ft.revisions))
	if !ok {
		return nil, 0, notFound("Revision %s of form type %s not found", rev, name)
	}
	return ft, i, nil
}

// GetFormType implements the DataZone operation.
func (f *Fake) GetFormType(ctx context.Context, in *awsdz.GetFormTypeInput, _ ...func(*awsdz.Options)) (*awsdz.GetFormTypeOutput, error) {
	return handle(f.Controls, &f.mu, OpGetFormType, in, func() (*awsdz.GetFormTypeOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		if err := checkLen("formTypeIdentifier", in.FormTypeIdentifier, 1, 385, true); err != nil {
			return nil, err
		}
		ft, i, err := d.formTypeRev(*in.FormTypeIdentifier, aws.ToString(in.Revision))
		if err != nil {
			return nil, err
		}
		r := ft.revisions[i]
		out := &awsdz.GetFormTypeOutput{
			DomainId: aws.String(d.id), Name: aws.String(ft.name), Revision: aws.String(strconv.Itoa(i + 1)),
			Model: &types.ModelMemberSmithy{Value: r.model}, Status: r.status, CreatedAt: aws.Time(r.created),
		}
		if r.description != "" {
			out.Description = aws.String(r.description)
		}
		if !ft.builtin {
			out.OwningProjectId, out.OriginProjectId, out.OriginDomainId = aws.String(ft.project), aws.String(ft.project), aws.String(d.id)
		}
		return out, nil
	})
}

// DeleteFormType implements the DataZone operation: the form type must be DISABLED and used
// by no asset type (ConflictException otherwise).
func (f *Fake) DeleteFormType(ctx context.Context, in *awsdz.DeleteFormTypeInput, _ ...func(*awsdz.Options)) (*awsdz.DeleteFormTypeOutput, error) {
	return handle(f.Controls, &f.mu, OpDeleteFormType, in, func() (*awsdz.DeleteFormTypeOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		if err := checkLen("formTypeIdentifier", in.FormTypeIdentifier, 1, 385, true); err != nil {
			return nil, err
		}
		ft, i, err := d.formTypeRev(*in.FormTypeIdentifier, "")
		if err != nil {
			return nil, err
		}
		if ft.builtin {
			return nil, &types.AccessDeniedException{Message: aws.String("Form type " + ft.name + " is managed by DataZone")}
		}
		if ft.revisions[i].status != types.FormTypeStatusDisabled {
			return nil, conflict("Form type %s must be DISABLED before it is deleted", ft.name)
		}
		for _, at := range d.assetTypes {
			if at.deleted {
				continue
			}
			for _, e := range at.revisions[len(at.revisions)-1].forms {
				if aws.ToString(e.TypeName) == ft.name {
					return nil, conflict("Form type %s is used by asset type %s", ft.name, at.name)
				}
			}
		}
		ft.deleted = true
		return &awsdz.DeleteFormTypeOutput{}, nil
	})
}

// CreateAssetType implements the DataZone operation: a name that exists gets a new revision
// unless its forms and description are those of the latest revision.
func (f *Fake) CreateAssetType(ctx context.Context, in *awsdz.CreateAssetTypeInput, _ ...func(*awsdz.Options)) (*awsdz.CreateAssetTypeOutput, error) {
	return handle(f.Controls, &f.mu, OpCreateAssetType, in, func() (*awsdz.CreateAssetTypeOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		if err := checkLen("name", in.Name, 1, 256, true); err != nil {
			return nil, err
		}
		name := *in.Name
		if strings.Contains(name, ".") {
			return nil, validation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[^\\.]*", name)
		}
		if err := d.checkProject(in.OwningProjectIdentifier); err != nil {
			return nil, err
		}
		if err := checkLen("description", in.Description, 0, maxDescription, false); err != nil {
			return nil, err
		}
		if in.FormsInput == nil {
			return nil, validation("1 validation error detected: Value null at 'formsInput' failed to satisfy constraint: Member must not be null")
		}
		if len(in.FormsInput) > maxForms {
			return nil, validation("1 validation error detected: Value at 'formsInput' failed to satisfy constraint: Member must have length less than or equal to %d", maxForms)
		}
		forms := map[string]types.FormEntryOutput{}
		for _, k := range slices.Sorted(maps.Keys(in.FormsInput)) {
			e := in.FormsInput[k]
			if len(k) < 1 || len(k) > 128 {
				return nil, validation("Form name %q must have 1 to 128 characters", k)
			}
			if err := checkLen("formsInput."+k+".typeIdentifier", e.TypeIdentifier, 1, 385, true); err != nil {
				return nil, err
			}
			if err := checkLen("formsInput."+k+".typeRevision", e.TypeRevision, 1, 64, true); err != nil {
				return nil, err
			}
			ft, i, err := d.formTypeRev(*e.TypeIdentifier, *e.TypeRevision)
			if err != nil {
				return nil, err
			}
			if ft.revisions[i].status != types.FormTypeStatusEnabled {
				return nil, validation("Form type %s revision %s is DISABLED", ft.name, *e.TypeRevision)
			}
			forms[k] = types.FormEntryOutput{TypeName: aws.String(ft.name), TypeRevision: aws.String(strconv.Itoa(i + 1)), Required: aws.Bool(aws.ToBool(e.Required))}
		}
		at := d.assetTypes[name]
		if at != nil && !at.deleted && at.project != *in.OwningProjectIdentifier {
			return nil, conflict("Asset type %s is owned by project %s", name, at.project)
		}
		if at == nil || at.deleted {
			at = &assetType{name: name, project: *in.OwningProjectIdentifier}
			d.assetTypes[name] = at
		}
		rev := assetTypeRevision{description: aws.ToString(in.Description), forms: forms, created: f.now()}
		if n := len(at.revisions); n == 0 || !sameAssetTypeRevision(at.revisions[n-1], rev) {
			at.revisions = append(at.revisions, rev)
		}
		return &awsdz.CreateAssetTypeOutput{
			DomainId: aws.String(d.id), Name: aws.String(name), Revision: aws.String(strconv.Itoa(len(at.revisions))),
			FormsOutput: cloneForms(forms), Description: in.Description, OwningProjectId: aws.String(at.project),
			OriginDomainId: aws.String(d.id), OriginProjectId: aws.String(at.project), CreatedAt: aws.Time(rev.created),
		}, nil
	})
}

func sameAssetTypeRevision(a, b assetTypeRevision) bool {
	if a.description != b.description || len(a.forms) != len(b.forms) {
		return false
	}
	for k, x := range a.forms {
		y, ok := b.forms[k]
		if !ok || aws.ToString(x.TypeName) != aws.ToString(y.TypeName) || aws.ToString(x.TypeRevision) != aws.ToString(y.TypeRevision) || aws.ToBool(x.Required) != aws.ToBool(y.Required) {
			return false
		}
	}
	return true
}

func cloneForms(m map[string]types.FormEntryOutput) map[string]types.FormEntryOutput {
	return maps.Clone(m)
}

func (d *domain) assetTypeRev(name, rev string) (*assetType, int, error) {
	at := d.assetTypes[name]
	if at == nil || at.deleted {
		return nil, 0, notFound("Asset type %s not found", name)
	}
	i, ok := revisionIndex(rev, len(at.revisions))
	if !ok {
		return nil, 0, notFound("Revision %s of asset type %s not found", rev, name)
	}
	return at, i, nil
}

// GetAssetType implements the DataZone operation.
func (f *Fake) GetAssetType(ctx context.Context, in *awsdz.GetAssetTypeInput, _ ...func(*awsdz.Options)) (*awsdz.GetAssetTypeOutput, error) {
	return handle(f.Controls, &f.mu, OpGetAssetType, in, func() (*awsdz.GetAssetTypeOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		if err := checkLen("identifier", in.Identifier, 1, 513, true); err != nil {
			return nil, err
		}
		at, i, err := d.assetTypeRev(*in.Identifier, aws.ToString(in.Revision))
		if err != nil {
			return nil, err
		}
		r := at.revisions[i]
		out := &awsdz.GetAssetTypeOutput{
			DomainId: aws.String(d.id), Name: aws.String(at.name), Revision: aws.String(strconv.Itoa(i + 1)),
			FormsOutput: cloneForms(r.forms), OwningProjectId: aws.String(at.project), CreatedAt: aws.Time(r.created),
			OriginDomainId: aws.String(d.id), OriginProjectId: aws.String(at.project),
		}
		if r.description != "" {
			out.Description = aws.String(r.description)
		}
		return out, nil
	})
}

// DeleteAssetType implements the DataZone operation: an asset type with assets cannot be
// deleted (ConflictException).
func (f *Fake) DeleteAssetType(ctx context.Context, in *awsdz.DeleteAssetTypeInput, _ ...func(*awsdz.Options)) (*awsdz.DeleteAssetTypeOutput, error) {
	return handle(f.Controls, &f.mu, OpDeleteAssetType, in, func() (*awsdz.DeleteAssetTypeOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		if err := checkLen("identifier", in.Identifier, 1, 513, true); err != nil {
			return nil, err
		}
		at, _, err := d.assetTypeRev(*in.Identifier, "")
		if err != nil {
			return nil, err
		}
		for _, a := range d.assets {
			if !a.deleted && a.typeName == at.name {
				return nil, conflict("Asset type %s has assets", at.name)
			}
		}
		at.deleted = true
		return &awsdz.DeleteAssetTypeOutput{}, nil
	})
}
