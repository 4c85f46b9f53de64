package lakeformationtest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/lakeformation"
)

// maxBatchEntries is Lake Formation's limit of entries per batch call.
const maxBatchEntries = 20

func invalidInput(format string, args ...any) error {
	return &types.InvalidInputException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func notFound(format string, args ...any) error {
	return &types.EntityNotFoundException{Message: aws.String(fmt.Sprintf(format, args...))}
}

// BatchGrantPermissions grants each entry, accumulating permissions and grant options per
// principal and resource; invalid entries come back in Failures.
func (f *Fake) BatchGrantPermissions(_ context.Context, in *awslf.BatchGrantPermissionsInput, _ ...func(*awslf.Options)) (*awslf.BatchGrantPermissionsOutput, error) {
	return fakecontrol.Do(f.Controls, "BatchGrantPermissions", in, func(in *awslf.BatchGrantPermissionsInput) (*awslf.BatchGrantPermissionsOutput, error) {
		if in == nil {
			return nil, invalidInput("input is required")
		}
		failures, err := f.batch(in.CatalogId, in.Entries, true)
		if err != nil {
			return nil, err
		}
		return &awslf.BatchGrantPermissionsOutput{Failures: failures}, nil
	})
}

// BatchRevokePermissions revokes each entry; entries naming permissions the principal does not
// hold come back in Failures with InvalidInputException, as in Lake Formation.
func (f *Fake) BatchRevokePermissions(_ context.Context, in *awslf.BatchRevokePermissionsInput, _ ...func(*awslf.Options)) (*awslf.BatchRevokePermissionsOutput, error) {
	return fakecontrol.Do(f.Controls, "BatchRevokePermissions", in, func(in *awslf.BatchRevokePermissionsInput) (*awslf.BatchRevokePermissionsOutput, error) {
		if in == nil {
			return nil, invalidInput("input is required")
		}
		failures, err := f.batch(in.CatalogId, in.Entries, false)
		if err != nil {
			return nil, err
		}
		return &awslf.BatchRevokePermissionsOutput{Failures: failures}, nil
	})
}

func (f *Fake) batch(catalogID *string, entries []types.BatchPermissionsRequestEntry, grant bool) ([]types.BatchPermissionsFailureEntry, error) {
	if len(entries) == 0 || len(entries) > maxBatchEntries {
		return nil, invalidInput("1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and %d", maxBatchEntries)
	}
	ids := map[string]bool{}
	for _, e := range entries {
		id := aws.ToString(e.Id)
		if id == "" || len(id) > 255 {
			return nil, invalidInput("Entry Id must have length between 1 and 255")
		}
		if ids[id] {
			return nil, invalidInput("Duplicate entry Id %q in the request", id)
		}
		ids[id] = true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var failures []types.BatchPermissionsFailureEntry
	for _, e := range entries {
		var err error
		if grant {
			err = f.grantLocked(catalogID, e.Principal, e.Resource, e.Permissions, e.PermissionsWithGrantOption)
		} else {
			err = f.revokeLocked(catalogID, e.Principal, e.Resource, e.Permissions, e.PermissionsWithGrantOption)
		}
		if err != nil {
			code, msg := errorCode(err)
			failures = append(failures, types.BatchPermissionsFailureEntry{RequestEntry: &e,
				Error: &types.ErrorDetail{ErrorCode: aws.String(code), ErrorMessage: aws.String(msg)}})
		}
	}
	return failures, nil
}

func errorCode(err error) (string, string) {
	switch e := err.(type) {
	case *types.InvalidInputException:
		return "InvalidInputException", aws.ToString(e.Message)
	case *types.EntityNotFoundException:
		return "EntityNotFoundException", aws.ToString(e.Message)
	case *types.AccessDeniedException:
		return "AccessDeniedException", aws.ToString(e.Message)
	}
	return "InternalServiceException", err.Error()
}

// request converts and checks one grant or revoke request.
func (f *Fake) request(catalogID *string, p *types.DataLakePrincipal, r *types.Resource, perms, grantable []types.Permission, grant bool) (lakeformation.Principal, lakeformation.Resource, error) {
	if p == nil || aws.ToString(p.DataLakePrincipalIdentifier) == "" {
		return "", lakeformation.Resource{}, invalidInput("Principal is required")
	}
	principal := lakeformation.Principal(aws.ToString(p.DataLakePrincipalIdentifier))
	res, err := lakeformation.ResourceFromSDK(r)
	if err != nil {
		return "", lakeformation.Resource{}, invalidInput("Invalid resource: %v", strings.TrimPrefix(err.Error(), "lakeformation: "))
	}
	if res.CatalogID == "" {
		res.CatalogID = aws.ToString(catalogID)
	}
	if res.CatalogID == "" {
		res.CatalogID = f.opts.AccountID
	}
	g := lakeformation.Grant{Principal: principal, Resource: res, Permissions: perms, GrantOption: grantable}
	if !grant && len(perms) == 0 {
		g.Permissions = grantable
	}
	if err := g.Validate(); err != nil {
		return "", lakeformation.Resource{}, invalidInput("%s", strings.TrimPrefix(err.Error(), "lakeformation: "))
	}
	if err := f.existsLocked(res); err != nil {
		return "", lakeformation.Resource{}, err
	}
	return principal, res, nil
}

// existsLocked checks that the resource exists, under StrictCatalog for catalog resources and
// always for LF-tags.
func (f *Fake) existsLocked(res lakeformation.Resource) error {
	switch res.Kind {
	case lakeformation.KindLFTag:
		vals, ok := f.tags[res.TagKey]
		if !ok {
			return notFound("Tag key does not exist: %s", res.TagKey)
		}
		for _, v := range res.TagValues {
			if v != "*" && !slices.Contains(vals, v) {
				return notFound("Tag value %s does not exist for tag key %s", v, res.TagKey)
			}
		}
	case lakeformation.KindLFTagPolicy:
		for _, t := range res.Expression {
			if _, ok := f.tags[t.Key]; !ok {
				return notFound("Tag key does not exist: %s", t.Key)
			}
		}
	}
	if !f.opts.StrictCatalog || res.CatalogID != f.opts.AccountID {
		return nil
	}
	switch res.Kind {
	case lakeformation.KindDatabase, lakeformation.KindTable, lakeformation.KindTableWithColumns:
		d, ok := f.databases[res.Database]
		if !ok {
			return notFound("Database not found: %s", res.Database)
		}
		if res.Table != "" {
			if _, ok := d.tables[res.Table]; !ok {
				return notFound("Table not found: %s.%s", res.Database, res.Table)
			}
		}
	case lakeformation.KindDataLocation:
		if !f.registeredLocked(res.Location) {
			return notFound("Location %s is not registered with Lake Formation", res.Location)
		}
	}
	return nil
}

func (f *Fake) registeredLocked(loc string) bool {
	for k := range f.locations {
		if loc == k || strings.HasPrefix(loc, strings.TrimSuffix(k, "/")+"/") {
			return true
		}
	}
	return false
}

// canonical is where Lake Formation records perm on res: SELECT on a named table is recorded
// on all of its columns.
func canonical(res lakeformation.Resource, perm types.Permission) lakeformation.Resource {
	if res.Kind == lakeformation.KindTable && !res.AllTables && perm == types.PermissionSelect {
		return lakeformation.ColumnsExcept(res.Database, res.Table).InCatalog(res.CatalogID)
	}
	return res
}

func (f *Fake) grantLocked(catalogID *string, p *types.DataLakePrincipal, r *types.Resource, perms, grantable []types.Permission) error {
	principal, res, err := f.request(catalogID, p, r, perms, grantable, true)
	if err != nil {
		return err
	}
	for _, perm := range perms {
		e := f.entryLocked(principal, canonical(res, perm), true)
		if !slices.Contains(e.perms, perm) {
			e.perms = append(e.perms, perm)
		}
		if slices.Contains(grantable, perm) && !slices.Contains(e.grantable, perm) {
			e.grantable = append(e.grantable, perm)
		}
		e.updated = f.opts.Clock.Now()
	}
	return nil
}

func (f *Fake) revokeLocked(catalogID *string, p *types.DataLakePrincipal, r *types.Resource, perms, grantable []types.Permission) error {
	principal, res, err := f.request(catalogID, p, r, perms, grantable, false)
	if err != nil {
		return err
	}
	changed := false
	for _, perm := range perms {
		if e := f.entryLocked(principal, canonical(res, perm), false); e != nil && slices.Contains(e.perms, perm) {
			e.perms = slices.DeleteFunc(e.perms, func(x types.Permission) bool { return x == perm })
			e.grantable = slices.DeleteFunc(e.grantable, func(x types.Permission) bool { return x == perm })
			changed = true
		}
	}
	for _, perm := range grantable {
		if e := f.entryLocked(principal, canonical(res, perm), false); e != nil && slices.Contains(e.grantable, perm) {
			e.grantable = slices.DeleteFunc(e.grantable, func(x types.Permission) bool { return x == perm })
			changed = true
		}
	}
	for k, e := range f.perms {
		if len(e.perms) == 0 && len(e.grantable) == 0 {
			delete(f.perms, k)
		}
	}
	if !changed {
		return invalidInput("No permissions revoked. Grantee has no permissions and no grantable permissions on resource")
	}
	return nil
}

func (f *Fake) entryLocked(principal lakeformation.Principal, res lakeformation.Resource, create bool) *permEntry {
	k := string(principal) + "\x00" + res.Key()
	e, ok := f.perms[k]
	if !ok && create {
		f.seq++
		e = &permEntry{seq: f.seq, principal: string(principal), resource: res}
		f.perms[k] = e
	}
	return e
}

// ListPermissions lists the permissions held, filtered by Principal, Resource and ResourceType,
// in pages of at most the fake's page size.
func (f *Fake) ListPermissions(_ context.Context, in *awslf.ListPermissionsInput, _ ...func(*awslf.Options)) (*awslf.ListPermissionsOutput, error) {
	return fakecontrol.Do(f.Controls, "ListPermissions", in, func(in *awslf.ListPermissionsInput) (*awslf.ListPermissionsOutput, error) {
		if in == nil {
			in = &awslf.ListPermissionsInput{}
		}
		size, err := pageSize(in.MaxResults, f.opts.PageSize, 1000)
		if err != nil {
			return nil, err
		}
		var filter *lakeformation.Resource
		if in.Resource != nil {
			r, err := lakeformation.ResourceFromSDK(in.Resource)
			if err != nil {
				return nil, invalidInput("Invalid resource: %v", strings.TrimPrefix(err.Error(), "lakeformation: "))
			}
			if r.Kind == lakeformation.KindTableWithColumns {
				// The SDK documents ListPermissionsInput.Resource: "This operation does not
				// support getting privileges on a table with columns. Instead, call this
				// operation on the table". The exact message is the fake's.
				return nil, invalidInput("ListPermissions does not support a TableWithColumns resource; list the table instead")
			}
			if r.CatalogID == "" {
				r.CatalogID = aws.ToString(in.CatalogId)
			}
			if r.CatalogID == "" {
				r.CatalogID = f.opts.AccountID
			}
			filter = &r
		}
		if in.ResourceType != "" && !slices.Contains(in.ResourceType.Values(), in.ResourceType) {
			return nil, invalidInput("Invalid ResourceType %q", in.ResourceType)
		}
		principal := ""
		if in.Principal != nil {
			principal = aws.ToString(in.Principal.DataLakePrincipalIdentifier)
		}
		f.mu.Lock()
		all := f.listLocked(func(e *permEntry) bool {
			return (principal == "" || e.principal == principal) && matchesType(e.resource, in.ResourceType) &&
				(filter == nil || matchesResource(e.resource, *filter))
		})
		f.mu.Unlock()
		page, next, err := paginate(all, in.NextToken, size)
		if err != nil {
			return nil, err
		}
		return &awslf.ListPermissionsOutput{PrincipalResourcePermissions: page, NextToken: next}, nil
	})
}

func matchesType(r lakeformation.Resource, t types.DataLakeResourceType) bool {
	switch t {
	case "":
		return true
	case types.DataLakeResourceTypeCatalog:
		return r.Kind == lakeformation.KindCatalog
	case types.DataLakeResourceTypeDatabase:
		return r.Kind == lakeformation.KindDatabase
	case types.DataLakeResourceTypeTable:
		return r.Kind == lakeformation.KindTable || r.Kind == lakeformation.KindTableWithColumns
	case types.DataLakeResourceTypeDataLocation:
		return r.Kind == lakeformation.KindDataLocation
	case types.DataLakeResourceTypeLfTag:
		return r.Kind == lakeformation.KindLFTag
	case types.DataLakeResourceTypeLfTagPolicy:
		return r.Kind == lakeformation.KindLFTagPolicy
	case types.DataLakeResourceTypeLfTagPolicyDatabase:
		return r.Kind == lakeformation.KindLFTagPolicy && r.PolicyType == types.ResourceTypeDatabase
	case types.DataLakeResourceTypeLfTagPolicyTable:
		return r.Kind == lakeformation.KindLFTagPolicy && r.PolicyType == types.ResourceTypeTable
	}
	return false
}

// matchesResource reports whether a held permission's resource is selected by a ListPermissions
// resource filter: a named table selects its table and column permissions.
func matchesResource(held, filter lakeformation.Resource) bool {
	if held.CatalogID != filter.CatalogID {
		return false
	}
	switch filter.Kind {
	case lakeformation.KindTable:
		if !filter.AllTables {
			return (held.Kind == lakeformation.KindTable || held.Kind == lakeformation.KindTableWithColumns) &&
				!held.AllTables && held.Database == filter.Database && held.Table == filter.Table
		}
	case lakeformation.KindLFTag:
		return held.Kind == lakeformation.KindLFTag && held.TagKey == filter.TagKey
	}
	return held.Key() == filter.Key()
}

func pageSize(maxResults *int32, def, limit int) (int, error) {
	if maxResults == nil {
		return def, nil
	}
	n := int(*maxResults)
	if n < 1 || n > limit {
		return 0, invalidInput("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and %d", n, limit)
	}
	return min(n, def), nil
}

// paginate returns one page of all from the offset encoded in token.
func paginate[T any](all []T, token *string, size int) ([]T, *string, error) {
	start := 0
	if token != nil {
		t := aws.ToString(token)
		n, err := strconv.Atoi(strings.TrimPrefix(t, "page-"))
		if !strings.HasPrefix(t, "page-") || err != nil || n < 0 || n > len(all) {
			return nil, nil, invalidInput("Invalid NextToken %q", t)
		}
		start = n
	}
	end := min(start+size, len(all))
	var next *string
	if end < len(all) {
		next = aws.String("page-" + strconv.Itoa(end))
	}
	return all[start:end], next, nil
}
