package lakeformation

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
)

// Tags manages LF-tags for tag-based access control (LF-TBAC): creating tags and values
// idempotently, assigning them to databases, tables and columns, and listing the resources a
// tag expression matches. Grants on tag expressions are ordinary Grants on a TagPolicy resource.
type Tags struct {
	client LFTagsAPIClient
	opts   Options
}

// NewTags returns a Tags calling client.
func NewTags(client LFTagsAPIClient, optFns ...func(*Options)) *Tags {
	return &Tags{client: client, opts: configure(Options{}, optFns)}
}

func (t *Tags) options(optFns []func(*Options)) Options {
	return configure(t.opts, optFns)
}

// Ensure makes sure the LF-tag exists with at least the given values: it creates the tag
// (Created), adds the missing values (Updated, Changed listing the values added), or does
// nothing (Unchanged).
func (t *Tags) Ensure(ctx context.Context, tag Tag, optFns ...func(*Options)) (datablocks.Change, error) {
	none := datablocks.Change{Action: datablocks.Unchanged}
	if tag.Key == "" || len(tag.Values) == 0 {
		return none, fmt.Errorf("lakeformation: Tag needs a key and at least one value")
	}
	o := t.options(optFns)
	cat := optString(o.CatalogID)
	cur, err := retried(ctx, o, "GetLFTag", t.client, func(ctx context.Context) (*awslf.GetLFTagOutput, error) {
		return t.client.GetLFTag(ctx, &awslf.GetLFTagInput{CatalogId: cat, TagKey: aws.String(tag.Key)}, o.ClientOptions...)
	})
	var nf *types.EntityNotFoundException
	if errors.As(err, &nf) {
		_, err = retried(ctx, o, "CreateLFTag", t.client, func(ctx context.Context) (*awslf.CreateLFTagOutput, error) {
			return t.client.CreateLFTag(ctx, &awslf.CreateLFTagInput{CatalogId: cat, TagKey: aws.String(tag.Key), TagValues: dedupe(tag.Values)}, o.ClientOptions...)
		})
		// CreateLFTag's model lists no AlreadyExistsException, so the SDK decodes it as a
		// generic API error: match the code.
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "AlreadyExistsException" {
			if err != nil {
				return none, fmt.Errorf("lakeformation: CreateLFTag %s: %w", tag.Key, err)
			}
			o.debug("created LF-tag", "key", tag.Key)
			return datablocks.Change{Action: datablocks.Created}, nil
		}
		// Created concurrently: read it once more and add the missing values.
		cur, err = retried(ctx, o, "GetLFTag", t.client, func(ctx context.Context) (*awslf.GetLFTagOutput, error) {
			return t.client.GetLFTag(ctx, &awslf.GetLFTagInput{CatalogId: cat, TagKey: aws.String(tag.Key)}, o.ClientOptions...)
		})
	}
	if err != nil {
		return none, fmt.Errorf("lakeformation: GetLFTag %s: %w", tag.Key, err)
	}
	var missing []string
	for _, v := range dedupe(tag.Values) {
		if !slices.Contains(cur.TagValues, v) {
			missing = append(missing, v)
		}
	}
	if len(missing) == 0 {
		return none, nil
	}
	if _, err := retried(ctx, o, "UpdateLFTag", t.client, func(ctx context.Context) (*awslf.UpdateLFTagOutput, error) {
		return t.client.UpdateLFTag(ctx, &awslf.UpdateLFTagInput{CatalogId: cat, TagKey: aws.String(tag.Key), TagValuesToAdd: missing}, o.ClientOptions...)
	}); err != nil {
		return none, fmt.Errorf("lakeformation: UpdateLFTag %s: %w", tag.Key, err)
	}
	o.debug("added LF-tag values", "key", tag.Key, "values", missing)
	changed := slices.Clone(missing)
	slices.Sort(changed)
	return datablocks.Change{Action: datablocks.Updated, Changed: changed}, nil
}

func dedupe(s []string) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// TagAssignmentError reports LF-tags AddLFTagsToResource did not assign.
type TagAssignmentError struct {
	// Resource is the resource the tags were assigned to.
	Resource Resource
	// Failures are the LF-tags Lake Formation did not assign, with its error for each.
	Failures []types.LFTagError
}

// Error summarizes the failures, quoting the first.
func (e *TagAssignmentError) Error() string {
	f := e.Failures[0]
	code, msg := "", ""
	if f.Error != nil {
		code, msg = aws.ToString(f.Error.ErrorCode), aws.ToString(f.Error.ErrorMessage)
	}
	key := ""
	if f.LFTag != nil {
		key = aws.ToString(f.LFTag.TagKey)
	}
	return fmt.Sprintf("lakeformation: assigning %d LF-tag(s) to %s failed; first: %s: %s: %s", len(e.Failures), e.Resource, key, code, msg)
}

// Assign assigns LF-tags to a database, a table or table columns (a Columns resource). Each
// tag takes exactly one value on a resource. It reads the tags assigned (GetResourceLFTags)
// first and writes only when one is missing, so repeating it makes no write call.
func (t *Tags) Assign(ctx context.Context, r Resource, tags []Tag, optFns ...func(*Options)) error {
	if err := r.validate(); err != nil {
		return err
	}
	switch {
	case r.kind == kindDatabase, r.kind == kindTable && !r.allTables, r.kind == kindTableWithColumns && !r.columnWildcard:
	default:
		return fmt.Errorf("lakeformation: LF-tags can be assigned only to a database, a named table or named columns, not %s", r)
	}
	if len(tags) == 0 {
		return fmt.Errorf("lakeformation: Assign: at least one tag is required")
	}
	o := t.options(optFns)
	pairs := make([]types.LFTagPair, 0, len(tags))
	for i, tg := range tags {
		if tg.Key == "" || len(tg.Values) != 1 {
			return fmt.Errorf("lakeformation: Assign: tags[%d] needs a key and exactly one value", i)
		}
		pairs = append(pairs, types.LFTagPair{CatalogId: optString(o.CatalogID), TagKey: aws.String(tg.Key), TagValues: slices.Clone(tg.Values)})
	}
	cur, err := retried(ctx, o, "GetResourceLFTags", t.client, func(ctx context.Context) (*awslf.GetResourceLFTagsOutput, error) {
		return t.client.GetResourceLFTags(ctx, &awslf.GetResourceLFTagsInput{CatalogId: optString(o.CatalogID), Resource: r.sdk(),
			ShowAssignedLFTags: aws.Bool(true)}, o.ClientOptions...)
	})
	if err != nil {
		return fmt.Errorf("lakeformation: GetResourceLFTags %s: %w", r, err)
	}
	if assigned(r, cur, tags) {
		return nil
	}
	out, err := retried(ctx, o, "AddLFTagsToResource", t.client, func(ctx context.Context) (*awslf.AddLFTagsToResourceOutput, error) {
		return t.client.AddLFTagsToResource(ctx, &awslf.AddLFTagsToResourceInput{CatalogId: optString(o.CatalogID), Resource: r.sdk(), LFTags: pairs}, o.ClientOptions...)
	})
	if err != nil {
		return fmt.Errorf("lakeformation: AddLFTagsToResource %s: %w", r, err)
	}
	if len(out.Failures) > 0 {
		return &TagAssignmentError{Resource: r, Failures: out.Failures}
	}
	o.debug("assigned LF-tags", "resource", r.String(), "tags", len(tags))
	return nil
}

// Match lists the databases and tables whose LF-tags (their own or inherited) satisfy the
// expression: every key present with one of its values. It returns the databases
// (kindDatabase) first, then the tables (kindTable), and reads every page.
func (t *Tags) Match(ctx context.Context, expr []Tag, optFns ...func(*Options)) ([]Resource, error) {
	if err := validateExpression(expr); err != nil {
		return nil, err
	}
	o := t.options(optFns)
	var m []Resource
	dp := awslf.NewSearchDatabasesByLFTagsPaginator(t.client, &awslf.SearchDatabasesByLFTagsInput{CatalogId: optString(o.CatalogID), Expression: sdkTags(expr)})
	for dp.HasMorePages() {
		page, err := retried(ctx, o, "SearchDatabasesByLFTags", t.client, func(ctx context.Context) (*awslf.SearchDatabasesByLFTagsOutput, error) {
			return dp.NextPage(ctx, o.ClientOptions...)
		})
		if err != nil {
			return nil, fmt.Errorf("lakeformation: SearchDatabasesByLFTags: %w", err)
		}
		for _, d := range page.DatabaseList {
			if d.Database != nil {
				m = append(m, Resource{kind: kindDatabase, CatalogID: aws.ToString(d.Database.CatalogId), Database: aws.ToString(d.Database.Name)})
			}
		}
	}
	tp := awslf.NewSearchTablesByLFTagsPaginator(t.client, &awslf.SearchTablesByLFTagsInput{CatalogId: optString(o.CatalogID), Expression: sdkTags(expr)})
	for tp.HasMorePages() {
		page, err := retried(ctx, o, "SearchTablesByLFTags", t.client, func(ctx context.Context) (*awslf.SearchTablesByLFTagsOutput, error) {
			return tp.NextPage(ctx, o.ClientOptions...)
		})
		if err != nil {
			return nil, fmt.Errorf("lakeformation: SearchTablesByLFTags: %w", err)
		}
		for _, tt := range page.TableList {
			if tt.Table != nil {
				m = append(m, Resource{kind: kindTable, CatalogID: aws.ToString(tt.Table.CatalogId),
					Database: aws.ToString(tt.Table.DatabaseName), Table: aws.ToString(tt.Table.Name)})
			}
		}
	}
	return m, nil
}

func hasPairs(have []types.LFTagPair, want []Tag) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(p types.LFTagPair) bool {
			return aws.ToString(p.TagKey) == w.Key && slices.Equal(p.TagValues, w.Values)
		}) {
			return false
		}
	}
	return true
}

// assigned reports whether every tag is already assigned to r.
func assigned(r Resource, cur *awslf.GetResourceLFTagsOutput, tags []Tag) bool {
	switch r.kind {
	case kindDatabase:
		return hasPairs(cur.LFTagOnDatabase, tags)
	case kindTable:
		return hasPairs(cur.LFTagsOnTable, tags)
	}
	for _, c := range r.columns {
		i := slices.IndexFunc(cur.LFTagsOnColumns, func(ct types.ColumnLFTag) bool { return aws.ToString(ct.Name) == c })
		if i < 0 || !hasPairs(cur.LFTagsOnColumns[i].LFTags, tags) {
			return false
		}
	}
	return true
}
