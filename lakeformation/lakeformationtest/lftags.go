package lakeformationtest

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/fakecontrol"
)

// CreateLFTag creates an LF-tag; an existing key fails with the code AlreadyExistsException,
// as a smithy.GenericAPIError: CreateLFTag's model does not list that error, so the real
// client decodes it so.
func (f *Fake) CreateLFTag(_ context.Context, in *awslf.CreateLFTagInput, _ ...func(*awslf.Options)) (*awslf.CreateLFTagOutput, error) {
	return fakecontrol.Do(f.Controls, OpCreateLFTag, in, func(in *awslf.CreateLFTagInput) (*awslf.CreateLFTagOutput, error) {
		if in == nil || aws.ToString(in.TagKey) == "" {
			return nil, invalidInput("TagKey is required")
		}
		if len(in.TagValues) == 0 || len(in.TagValues) > 1000 {
			return nil, invalidInput("TagValues must have between 1 and 1000 values")
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		key := aws.ToString(in.TagKey)
		if _, ok := f.tags[key]; ok {
			return nil, &smithy.GenericAPIError{Code: "AlreadyExistsException", Message: "Tag key already exists: " + key, Fault: smithy.FaultClient}
		}
		f.tags[key] = dedupe(in.TagValues)
		f.tagOrder = append(f.tagOrder, key)
		return &awslf.CreateLFTagOutput{}, nil
	})
}

func dedupe(s []string) []string {
	var out []string
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// GetLFTag returns an LF-tag; an unknown key fails with EntityNotFoundException.
func (f *Fake) GetLFTag(_ context.Context, in *awslf.GetLFTagInput, _ ...func(*awslf.Options)) (*awslf.GetLFTagOutput, error) {
	return fakecontrol.Do(f.Controls, OpGetLFTag, in, func(in *awslf.GetLFTagInput) (*awslf.GetLFTagOutput, error) {
		if in == nil || aws.ToString(in.TagKey) == "" {
			return nil, invalidInput("TagKey is required")
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		vals, ok := f.tags[aws.ToString(in.TagKey)]
		if !ok {
			return nil, notFound("Tag key does not exist: %s", aws.ToString(in.TagKey))
		}
		return &awslf.GetLFTagOutput{CatalogId: aws.String(f.catalogID(in.CatalogId)), TagKey: in.TagKey, TagValues: slices.Clone(vals)}, nil
	})
}

// UpdateLFTag adds and deletes values of an LF-tag.
func (f *Fake) UpdateLFTag(_ context.Context, in *awslf.UpdateLFTagInput, _ ...func(*awslf.Options)) (*awslf.UpdateLFTagOutput, error) {
	return fakecontrol.Do(f.Controls, OpUpdateLFTag, in, func(in *awslf.UpdateLFTagInput) (*awslf.UpdateLFTagOutput, error) {
		if in == nil || aws.ToString(in.TagKey) == "" {
			return nil, invalidInput("TagKey is required")
		}
		if len(in.TagValuesToAdd) == 0 && len(in.TagValuesToDelete) == 0 {
			return nil, invalidInput("TagValuesToAdd or TagValuesToDelete is required")
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		key := aws.ToString(in.TagKey)
		vals, ok := f.tags[key]
		if !ok {
			return nil, notFound("Tag key does not exist: %s", key)
		}
		for _, v := range in.TagValuesToAdd {
			if !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		vals = slices.DeleteFunc(vals, func(v string) bool { return slices.Contains(in.TagValuesToDelete, v) })
		if len(vals) == 0 {
			return nil, invalidInput("An LF-tag must keep at least one value")
		}
		f.tags[key] = vals
		return &awslf.UpdateLFTagOutput{}, nil
	})
}

// AddLFTagsToResource assigns LF-tags to a database, a table or table columns. Tags that do not
// exist, or values not defined for their key, come back in Failures.
func (f *Fake) AddLFTagsToResource(_ context.Context, in *awslf.AddLFTagsToResourceInput, _ ...func(*awslf.Options)) (*awslf.AddLFTagsToResourceOutput, error) {
	return fakecontrol.Do(f.Controls, OpAddLFTagsToResource, in, func(in *awslf.AddLFTagsToResourceInput) (*awslf.AddLFTagsToResourceOutput, error) {
		if in == nil || len(in.LFTags) == 0 {
			return nil, invalidInput("LFTags is required")
		}
		res, err := parseResource(in.Resource, f.catalogID(in.CatalogId))
		if err != nil {
			return nil, err
		}
		switch {
		case res.kind == kDatabase, res.kind == kTable && !res.wildcard, res.kind == kColumns && !res.colWild:
		default:
			// AddLFTagsToResource API reference: the resource is a database, a table or
			// columns; terraform-provider-aws issue #35547 quotes the service refusing a column
			// wildcard ("Must provide column names").
			return nil, invalidInput("LF-tags can be assigned only to a database, a table or named columns")
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if err := f.existsLocked(res); err != nil {
			return nil, err
		}
		if f.opts.StrictCatalog && res.kind == kColumns {
			t := f.databases[res.db].tables[res.table]
			for _, c := range res.cols {
				if _, ok := t.columns[c]; !ok {
					return nil, notFound("Column not found: %s.%s.%s", res.db, res.table, c)
				}
			}
		}
		var failures []types.LFTagError
		for _, p := range in.LFTags {
			key := aws.ToString(p.TagKey)
			vals, ok := f.tags[key]
			switch {
			case !ok:
				failures = append(failures, tagError(&p, "EntityNotFoundException", "Tag key does not exist: "+key))
				continue
			case len(p.TagValues) != 1:
				failures = append(failures, tagError(&p, "InvalidInputException", "Exactly one tag value must be assigned for key "+key))
				continue
			case !slices.Contains(vals, p.TagValues[0]):
				failures = append(failures, tagError(&p, "EntityNotFoundException", "Tag value "+p.TagValues[0]+" does not exist for key "+key))
				continue
			}
			v := p.TagValues[0]
			switch res.kind {
			case kDatabase:
				f.db(res.db).tags[key] = v
			case kTable:
				f.table(res.db, res.table).tags[key] = v
			case kColumns:
				t := f.table(res.db, res.table)
				for _, c := range res.cols {
					f.column(t, c)[key] = v
				}
			}
		}
		return &awslf.AddLFTagsToResourceOutput{Failures: failures}, nil
	})
}

func tagError(p *types.LFTagPair, code, msg string) types.LFTagError {
	return types.LFTagError{LFTag: p, Error: &types.ErrorDetail{ErrorCode: aws.String(code), ErrorMessage: aws.String(msg)}}
}

func pairs(tags map[string]string, catalog string) []types.LFTagPair {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]types.LFTagPair, 0, len(keys))
	for _, k := range keys {
		out = append(out, types.LFTagPair{CatalogId: aws.String(catalog), TagKey: aws.String(k), TagValues: []string{tags[k]}})
	}
	return out
}

// effective merges inherited tags: the nearer level wins per key.
func effective(levels ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, l := range levels {
		for k, v := range l {
			out[k] = v
		}
	}
	return out
}

func matchesExpr(tags map[string]string, expr []types.LFTag) bool {
	for _, e := range expr {
		v, ok := tags[aws.ToString(e.TagKey)]
		if !ok || !(slices.Contains(e.TagValues, v) || slices.Contains(e.TagValues, "*")) {
			return false
		}
	}
	return true
}

func (f *Fake) checkExprLocked(expr []types.LFTag) error {
	if len(expr) == 0 {
		return invalidInput("Expression is required")
	}
	for _, e := range expr {
		if _, ok := f.tags[aws.ToString(e.TagKey)]; !ok {
			return notFound("Tag key does not exist: %s", aws.ToString(e.TagKey))
		}
	}
	return nil
}

// searchByTags is the shared part of the two tag searches: it validates the expression and
// the page size, collects the matches under the lock, and returns the page NextToken selects.
func searchByTags[T any](f *Fake, expr []types.LFTag, catalogID *string, maxResults *int32, token *string,
	collect func(cat string, expr []types.LFTag) []T) ([]T, *string, error) {
	size, err := pageSize(maxResults, f.opts.PageSize, 1000)
	if err != nil {
		return nil, nil, err
	}
	f.mu.Lock()
	if err := f.checkExprLocked(expr); err != nil {
		f.mu.Unlock()
		return nil, nil, err
	}
	all := collect(f.catalogID(catalogID), expr)
	f.mu.Unlock()
	return paginate(all, token, size)
}

// SearchDatabasesByLFTags lists the databases whose LF-tags match every key of the expression.
func (f *Fake) SearchDatabasesByLFTags(_ context.Context, in *awslf.SearchDatabasesByLFTagsInput, _ ...func(*awslf.Options)) (*awslf.SearchDatabasesByLFTagsOutput, error) {
	return fakecontrol.Do(f.Controls, OpSearchDatabasesByLFTags, in, func(in *awslf.SearchDatabasesByLFTagsInput) (*awslf.SearchDatabasesByLFTagsOutput, error) {
		if in == nil {
			return nil, invalidInput("Expression is required")
		}
		page, next, err := searchByTags(f, in.Expression, in.CatalogId, in.MaxResults, in.NextToken, f.databasesLocked)
		if err != nil {
			return nil, err
		}
		return &awslf.SearchDatabasesByLFTagsOutput{DatabaseList: page, NextToken: next}, nil
	})
}

func (f *Fake) databasesLocked(cat string, expr []types.LFTag) []types.TaggedDatabase {
	var all []types.TaggedDatabase
	for _, name := range f.dbOrder {
		d := f.databases[name]
		if matchesExpr(d.tags, expr) {
			all = append(all, types.TaggedDatabase{Database: &types.DatabaseResource{CatalogId: aws.String(cat), Name: aws.String(name)},
				LFTags: pairs(d.tags, cat)})
		}
	}
	return all
}

// SearchTablesByLFTags lists the tables whose LF-tags, own or inherited from their database,
// match every key of the expression.
func (f *Fake) SearchTablesByLFTags(_ context.Context, in *awslf.SearchTablesByLFTagsInput, _ ...func(*awslf.Options)) (*awslf.SearchTablesByLFTagsOutput, error) {
	return fakecontrol.Do(f.Controls, OpSearchTablesByLFTags, in, func(in *awslf.SearchTablesByLFTagsInput) (*awslf.SearchTablesByLFTagsOutput, error) {
		if in == nil {
			return nil, invalidInput("Expression is required")
		}
		page, next, err := searchByTags(f, in.Expression, in.CatalogId, in.MaxResults, in.NextToken, f.tablesLocked)
		if err != nil {
			return nil, err
		}
		return &awslf.SearchTablesByLFTagsOutput{TableList: page, NextToken: next}, nil
	})
}

func (f *Fake) tablesLocked(cat string, expr []types.LFTag) []types.TaggedTable {
	var all []types.TaggedTable
	for _, dn := range f.dbOrder {
		d := f.databases[dn]
		for _, tn := range d.tOrder {
			t := d.tables[tn]
			if !matchesExpr(effective(d.tags, t.tags), expr) {
				continue
			}
			tt := types.TaggedTable{
				Table:           &types.TableResource{CatalogId: aws.String(cat), DatabaseName: aws.String(dn), Name: aws.String(tn)},
				LFTagOnDatabase: pairs(d.tags, cat),
				LFTagsOnTable:   pairs(effective(d.tags, t.tags), cat),
			}
			for _, cn := range t.cOrder {
				tt.LFTagsOnColumns = append(tt.LFTagsOnColumns, types.ColumnLFTag{Name: aws.String(cn),
					LFTags: pairs(effective(d.tags, t.tags, t.columns[cn]), cat)})
			}
			all = append(all, tt)
		}
	}
	return all
}

// GetResourceLFTags returns the LF-tags of a database, a table or table columns. With
// ShowAssignedLFTags only the tags assigned directly are returned; otherwise inherited tags are
// merged in (the nearer level wins per key).
func (f *Fake) GetResourceLFTags(_ context.Context, in *awslf.GetResourceLFTagsInput, _ ...func(*awslf.Options)) (*awslf.GetResourceLFTagsOutput, error) {
	return fakecontrol.Do(f.Controls, OpGetResourceLFTags, in, func(in *awslf.GetResourceLFTagsInput) (*awslf.GetResourceLFTagsOutput, error) {
		if in == nil {
			return nil, invalidInput("Resource is required")
		}
		res, err := parseResource(in.Resource, f.catalogID(in.CatalogId))
		if err != nil {
			return nil, err
		}
		if (res.kind != kDatabase && res.kind != kTable && res.kind != kColumns) || res.wildcard {
			return nil, invalidInput("Resource must be a database, a table or table columns")
		}
		assignedOnly := aws.ToBool(in.ShowAssignedLFTags)
		f.mu.Lock()
		defer f.mu.Unlock()
		if err := f.existsLocked(res); err != nil {
			return nil, err
		}
		cat := res.catalog
		d := f.databases[res.db]
		if d == nil {
			d = &dbInfo{tags: map[string]string{}, tables: map[string]*tableInfo{}}
		}
		out := &awslf.GetResourceLFTagsOutput{LFTagOnDatabase: pairs(d.tags, cat)}
		if res.kind == kDatabase {
			return out, nil
		}
		t := d.tables[res.table]
		if t == nil {
			t = &tableInfo{tags: map[string]string{}, columns: map[string]map[string]string{}}
		}
		tableTags := effective(d.tags, t.tags)
		if assignedOnly {
			tableTags = t.tags
		}
		out.LFTagsOnTable = pairs(tableTags, cat)
		cols := res.cols
		if res.kind == kTable || res.colWild {
			cols = t.cOrder
		}
		for _, c := range cols {
			ct := effective(d.tags, t.tags, t.columns[c])
			if assignedOnly {
				ct = t.columns[c]
			}
			out.LFTagsOnColumns = append(out.LFTagsOnColumns, types.ColumnLFTag{Name: aws.String(c), LFTags: pairs(ct, cat)})
		}
		return out, nil
	})
}

// DeleteLFTag deletes an LF-tag and removes it from every resource.
func (f *Fake) DeleteLFTag(_ context.Context, in *awslf.DeleteLFTagInput, _ ...func(*awslf.Options)) (*awslf.DeleteLFTagOutput, error) {
	return fakecontrol.Do(f.Controls, OpDeleteLFTag, in, func(in *awslf.DeleteLFTagInput) (*awslf.DeleteLFTagOutput, error) {
		if in == nil || aws.ToString(in.TagKey) == "" {
			return nil, invalidInput("TagKey is required")
		}
		key := aws.ToString(in.TagKey)
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.tags[key]; !ok {
			return nil, notFound("Tag key does not exist: %s", key)
		}
		delete(f.tags, key)
		f.tagOrder = slices.DeleteFunc(f.tagOrder, func(k string) bool { return k == key })
		for _, d := range f.databases {
			delete(d.tags, key)
			for _, t := range d.tables {
				delete(t.tags, key)
				for _, c := range t.columns {
					delete(c, key)
				}
			}
		}
		return &awslf.DeleteLFTagOutput{}, nil
	})
}
