package datazonetest

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"
)

// checkForms validates formsInput against the asset type revision: known form names, the
// declared form types, required forms present, content a JSON object string that fits the
// form type's model.
func (d *domain) checkForms(at *assetType, atRev int, in []types.FormInput) ([]types.FormOutput, error) {
	if len(in) > maxForms {
		return nil, validation("1 validation error detected: Value at 'formsInput' failed to satisfy constraint: Member must have length less than or equal to %d", maxForms)
	}
	entries := at.revisions[atRev].forms
	seen := map[string]bool{}
	out := make([]types.FormOutput, 0, len(in))
	for _, fi := range in {
		if err := checkLen("formsInput.member.formName", fi.FormName, 1, 128, true); err != nil {
			return nil, err
		}
		name := *fi.FormName
		if seen[name] {
			return nil, validation("Form %s is given twice", name)
		}
		seen[name] = true
		e, ok := entries[name]
		if !ok {
			return nil, validation("Form %s is not a form of asset type %s", name, at.name)
		}
		if fi.TypeIdentifier != nil && *fi.TypeIdentifier != aws.ToString(e.TypeName) {
			return nil, validation("Form %s has type %s, not %s", name, aws.ToString(e.TypeName), *fi.TypeIdentifier)
		}
		if err := checkLen("formsInput.member.content", fi.Content, 0, maxFormContent, false); err != nil {
			return nil, err
		}
		ft, i, err := d.formTypeRev(aws.ToString(e.TypeName), aws.ToString(e.TypeRevision))
		if err != nil {
			return nil, err
		}
		content := aws.ToString(fi.Content)
		if err := checkContent(name, ft, ft.revisions[i].shape, content); err != nil {
			return nil, err
		}
		out = append(out, types.FormOutput{FormName: aws.String(name), TypeName: e.TypeName, TypeRevision: e.TypeRevision, Content: aws.String(content)})
	}
	for name, e := range entries {
		if aws.ToBool(e.Required) && !seen[name] {
			return nil, validation("Required form %s of asset type %s is missing", name, at.name)
		}
	}
	return out, nil
}

// checkContent checks a form's content against its model: a JSON object, required members
// present and not null, no unknown members, values of the member's type. The built-in
// relational table form has a columns list of {columnName, dataType} besides tableName.
func checkContent(form string, ft *formType, shape *smithyShape, content string) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(content)))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
		return validation("Content of form %s is not a JSON object", form)
	}
	members := map[string]smithyMember{}
	for _, m := range shape.Members {
		members[m.Name] = m
		if v, ok := obj[m.Name]; m.Required && (!ok || v == nil) {
			return validation("Content of form %s misses required member %s", form, m.Name)
		}
	}
	for k, v := range obj {
		if ft.name == relationalTableFormType && k == "columns" {
			if err := checkColumns(form, v); err != nil {
				return err
			}
			continue
		}
		m, ok := members[k]
		if !ok {
			if ft.builtin {
				continue // the fake models only part of DataZone's own form types
			}
			return validation("Content of form %s has member %s, which form type %s does not define", form, k, ft.name)
		}
		if v != nil && !fitsTarget(m.Target, v) {
			return validation("Member %s of form %s must be a %s", k, form, m.Target)
		}
	}
	return nil
}

func checkColumns(form string, v any) error {
	cols, ok := v.([]any)
	if !ok {
		return validation("Member columns of form %s must be a list", form)
	}
	for i, c := range cols {
		m, ok := c.(map[string]any)
		if !ok {
			return validation("columns[%d] of form %s must be an object", i, form)
		}
		for _, k := range []string{"columnName", "dataType"} {
			if s, ok := m[k].(string); !ok || s == "" {
				return validation("columns[%d].%s of form %s must be a non-empty string", i, k, form)
			}
		}
	}
	return nil
}

func fitsTarget(target string, v any) bool {
	switch target {
	case "String":
		_, ok := v.(string)
		return ok
	case "Boolean":
		_, ok := v.(bool)
		return ok
	case "Byte", "Short", "Integer", "Long", "BigInteger":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		i, ok := new(big.Int).SetString(string(n), 10)
		if !ok {
			return false
		}
		bits := map[string]int{"Byte": 8, "Short": 16, "Integer": 32, "Long": 64}[target]
		return bits == 0 || i.BitLen() < bits || i.BitLen() == bits && i.Sign() < 0 && new(big.Int).Neg(i).Cmp(new(big.Int).Lsh(big.NewInt(1), uint(bits-1))) == 0
	case "Float", "Double", "BigDecimal":
		_, ok := v.(json.Number)
		return ok
	case "Timestamp":
		switch v.(type) {
		case json.Number, string:
			return true
		}
	}
	return false
}

func checkGlossary(terms []string) error {
	if terms != nil && (len(terms) < 1 || len(terms) > maxGlossary) {
		return validation("1 validation error detected: Value at 'glossaryTerms' failed to satisfy constraint: Member must have length between 1 and %d", maxGlossary)
	}
	return nil
}

func checkToken(v *string) error {
	if v == nil {
		return nil
	}
	if len(*v) < 1 || len(*v) > maxClientToken || !clientTokenRE.MatchString(*v) {
		return validation("1 validation error detected: Value at 'clientToken' failed to satisfy constraint: Member must have length between 1 and 128 and satisfy regular expression pattern: ^[\\x21-\\x7E]+$")
	}
	return nil
}

func (f *Fake) assetOutput(d *domain, a *asset, i int) *awsdz.GetAssetOutput {
	r := a.revisions[i]
	out := &awsdz.GetAssetOutput{
		DomainId: aws.String(d.id), Id: aws.String(a.id), Name: aws.String(r.name), OwningProjectId: aws.String(a.project),
		Revision: aws.String(strconv.Itoa(i + 1)), TypeIdentifier: aws.String(a.typeName), TypeRevision: aws.String(r.typeRevision),
		CreatedAt: aws.Time(r.created), FirstRevisionCreatedAt: aws.Time(a.created), FormsOutput: append([]types.FormOutput(nil), r.forms...),
		GlossaryTerms: append([]string(nil), r.glossary...),
	}
	if a.externalID != "" {
		out.ExternalIdentifier = aws.String(a.externalID)
	}
	if r.description != "" {
		out.Description = aws.String(r.description)
	}
	return out
}

// CreateAsset implements the DataZone operation. A clientToken seen before returns the asset
// it created.
func (f *Fake) CreateAsset(ctx context.Context, in *awsdz.CreateAssetInput, _ ...func(*awsdz.Options)) (*awsdz.CreateAssetOutput, error) {
	return handle(f.Controls, &f.mu, OpCreateAsset, in, func() (*awsdz.CreateAssetOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		for _, c := range []error{
			checkLen("name", in.Name, 1, 256, true), checkLen("typeIdentifier", in.TypeIdentifier, 1, 513, true),
			checkLen("typeRevision", in.TypeRevision, 1, 64, false), checkLen("externalIdentifier", in.ExternalIdentifier, 1, maxExternalID, false),
			checkLen("description", in.Description, 0, maxDescription, false), checkGlossary(in.GlossaryTerms), checkToken(in.ClientToken),
		} {
			if c != nil {
				return nil, c
			}
		}
		if err := d.checkProject(in.OwningProjectIdentifier); err != nil {
			return nil, err
		}
		if in.ClientToken != nil {
			if id, ok := d.tokens[*in.ClientToken]; ok {
				a := d.assets[id]
				return f.createOutput(d, a, 0), nil
			}
		}
		at, atRev, err := d.assetTypeRev(*in.TypeIdentifier, aws.ToString(in.TypeRevision))
		if err != nil {
			return nil, err
		}
		forms, err := d.checkForms(at, atRev, in.FormsInput)
		if err != nil {
			return nil, err
		}
		now := f.now()
		a := &asset{
			id: f.newID("ast"), project: *in.OwningProjectIdentifier, typeName: at.name, externalID: aws.ToString(in.ExternalIdentifier), created: now,
		}
		a.revisions = []assetRevision{{name: *in.Name, description: aws.ToString(in.Description), typeRevision: strconv.Itoa(atRev + 1), forms: forms, glossary: in.GlossaryTerms, created: now}}
		d.assets[a.id] = a
		if in.ClientToken != nil {
			d.tokens[*in.ClientToken] = a.id
		}
		return f.createOutput(d, a, 0), nil
	})
}

// createOutput is GetAssetOutput in the shape of CreateAssetOutput (same members).
func (f *Fake) createOutput(d *domain, a *asset, i int) *awsdz.CreateAssetOutput {
	g := f.assetOutput(d, a, i)
	return &awsdz.CreateAssetOutput{
		DomainId: g.DomainId, FormsOutput: g.FormsOutput, Id: g.Id, Name: g.Name, OwningProjectId: g.OwningProjectId, Revision: g.Revision,
		TypeIdentifier: g.TypeIdentifier, TypeRevision: g.TypeRevision, CreatedAt: g.CreatedAt, Description: g.Description,
		ExternalIdentifier: g.ExternalIdentifier, FirstRevisionCreatedAt: g.FirstRevisionCreatedAt, GlossaryTerms: g.GlossaryTerms,
	}
}

func (d *domain) liveAsset(id *string) (*asset, error) {
	if err := checkID("identifier", id); err != nil {
		return nil, err
	}
	a := d.assets[*id]
	if a == nil || a.deleted {
		return nil, notFound("Asset %s not found", *id)
	}
	return a, nil
}

// GetAsset implements the DataZone operation; revision "" means the latest.
func (f *Fake) GetAsset(ctx context.Context, in *awsdz.GetAssetInput, _ ...func(*awsdz.Options)) (*awsdz.GetAssetOutput, error) {
	return handle(f.Controls, &f.mu, OpGetAsset, in, func() (*awsdz.GetAssetOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		a, err := d.liveAsset(in.Identifier)
		if err != nil {
			return nil, err
		}
		i := len(a.revisions) - 1
		if in.Revision != nil {
			n, err := strconv.Atoi(*in.Revision)
			if err != nil || n < 1 || n > len(a.revisions) {
				return nil, notFound("Revision %s of asset %s not found", *in.Revision, a.id)
			}
			i = n - 1
		}
		return f.assetOutput(d, a, i), nil
	})
}

// CreateAssetRevision implements the DataZone operation (no externalIdentifier: a revision
// keeps the asset's). A clientToken seen before for the asset returns the revision it made.
func (f *Fake) CreateAssetRevision(ctx context.Context, in *awsdz.CreateAssetRevisionInput, _ ...func(*awsdz.Options)) (*awsdz.CreateAssetRevisionOutput, error) {
	return handle(f.Controls, &f.mu, OpCreateAssetRevision, in, func() (*awsdz.CreateAssetRevisionOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		a, err := d.liveAsset(in.Identifier)
		if err != nil {
			return nil, err
		}
		for _, c := range []error{
			checkLen("name", in.Name, 1, 256, true), checkLen("typeRevision", in.TypeRevision, 1, 64, false),
			checkLen("description", in.Description, 0, maxDescription, false), checkGlossary(in.GlossaryTerms), checkToken(in.ClientToken),
		} {
			if c != nil {
				return nil, c
			}
		}
		toRevision := func(i int) *awsdz.CreateAssetRevisionOutput {
			out := awsdz.CreateAssetRevisionOutput(*f.createOutput(d, a, i)) // same members
			return &out
		}
		if in.ClientToken != nil {
			if rev, ok := d.revTokens[a.id+"\x00"+*in.ClientToken]; ok {
				n, _ := strconv.Atoi(rev)
				return toRevision(n - 1), nil
			}
		}
		at, atRev, err := d.assetTypeRev(a.typeName, aws.ToString(in.TypeRevision))
		if err != nil {
			return nil, err
		}
		forms, err := d.checkForms(at, atRev, in.FormsInput)
		if err != nil {
			return nil, err
		}
		a.revisions = append(a.revisions, assetRevision{
			name: *in.Name, description: aws.ToString(in.Description), typeRevision: strconv.Itoa(atRev + 1), forms: forms,
			glossary: in.GlossaryTerms, created: f.now(),
		})
		if in.ClientToken != nil {
			d.revTokens[a.id+"\x00"+*in.ClientToken] = strconv.Itoa(len(a.revisions))
		}
		return toRevision(len(a.revisions) - 1), nil
	})
}

// DeleteAsset implements the DataZone operation; a second delete is ResourceNotFound.
func (f *Fake) DeleteAsset(ctx context.Context, in *awsdz.DeleteAssetInput, _ ...func(*awsdz.Options)) (*awsdz.DeleteAssetOutput, error) {
	return handle(f.Controls, &f.mu, OpDeleteAsset, in, func() (*awsdz.DeleteAssetOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		a, err := d.liveAsset(in.Identifier)
		if err != nil {
			return nil, err
		}
		a.deleted = true
		return &awsdz.DeleteAssetOutput{}, nil
	})
}

// Assets returns the IDs of the domain's assets that are not deleted, in creation order.
func (f *Fake) Assets(domainID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.mustDomain(domainID)
	var ids []string
	for id, a := range d.assets {
		if !a.deleted {
			ids = append(ids, id)
		}
	}
	sortStrings(ids)
	return ids
}

// Publish lists the latest revision of an asset in the catalog, as publishing does, and
// returns the listing's ID; publishing again adds a listing revision.
func (f *Fake) Publish(domainID, assetID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.mustDomain(domainID)
	a := d.assets[assetID]
	if a == nil || a.deleted {
		panic("datazonetest: Publish: unknown asset " + assetID)
	}
	for _, l := range d.listings {
		if l.assetID == assetID {
			l.revisions = append(l.revisions, strconv.Itoa(len(a.revisions)))
			return l.id
		}
	}
	l := &listing{id: f.newID("lst"), assetID: assetID, revisions: []string{strconv.Itoa(len(a.revisions))}, created: f.now()}
	d.listings[l.id] = l
	return l.id
}

// GetListing implements the DataZone operation: item.assetListing.forms is a JSON string, an
// object keyed by form name whose values are the forms' content.
func (f *Fake) GetListing(ctx context.Context, in *awsdz.GetListingInput, _ ...func(*awsdz.Options)) (*awsdz.GetListingOutput, error) {
	return handle(f.Controls, &f.mu, OpGetListing, in, func() (*awsdz.GetListingOutput, error) {
		d, err := f.domain(in.DomainIdentifier)
		if err != nil {
			return nil, err
		}
		if err := checkID("identifier", in.Identifier); err != nil {
			return nil, err
		}
		l := d.listings[*in.Identifier]
		if l == nil {
			return nil, notFound("Listing %s not found", *in.Identifier)
		}
		i := len(l.revisions) - 1
		if r := aws.ToString(in.ListingRevision); r != "" && r != "latest" {
			n, err := strconv.Atoi(r)
			if err != nil || n < 1 || n > len(l.revisions) {
				return nil, notFound("Revision %s of listing %s not found", r, l.id)
			}
			i = n - 1
		}
		a := d.assets[l.assetID]
		ar, _ := strconv.Atoi(l.revisions[i])
		rev := a.revisions[ar-1]
		forms := map[string]json.RawMessage{}
		for _, fo := range rev.forms {
			forms[aws.ToString(fo.FormName)] = json.RawMessage(aws.ToString(fo.Content))
		}
		b, _ := json.Marshal(forms)
		return &awsdz.GetListingOutput{
			DomainId: aws.String(d.id), Id: aws.String(l.id), ListingRevision: aws.String(strconv.Itoa(i + 1)), Name: aws.String(rev.name),
			Status: types.ListingStatusActive, CreatedAt: aws.Time(l.created),
			Item: &types.ListingItemMemberAssetListing{Value: types.AssetListing{
				AssetId: aws.String(a.id), AssetRevision: aws.String(l.revisions[i]), AssetType: aws.String(a.typeName),
				Forms: aws.String(string(b)), OwningProjectId: aws.String(a.project), CreatedAt: aws.Time(rev.created),
			}},
		}, nil
	})
}
