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

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// maxBatchEntries is the Entries limit of BatchGrantPermissions and BatchRevokePermissions
// (API reference: "Array Members: Maximum number of 20 items").
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
	return fakecontrol.Do(f.Controls, OpBatchGrantPermissions, in, func(in *awslf.BatchGrantPermissionsInput) (*awslf.BatchGrantPermissionsOutput, error) {
		if in == nil {
			return nil, invalidInput("Entries is required")
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
	return fakecontrol.Do(f.Controls, OpBatchRevokePermissions, in, func(in *awslf.BatchRevokePermissionsInput) (*awslf.BatchRevokePermissionsOutput, error) {
		if in == nil {
			return nil, invalidInput("Entries is required")
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
			return nil, invalidInput("1 validation error detected: Value at 'entries.member.id' failed to satisfy constraint: Member must have length between 1 and 255")
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

// principalRule checks a DataLakePrincipalIdentifier by the shapes the API reference and the
// developer guide ("Lake Formation principals") list: IAM_ALLOWED_PRINCIPALS, a 12-digit
// account, or an IAM role, user or SAML, Identity Center or Organizations ARN.
func principalRule(id string) error {
	switch {
	case id == "" || len(id) > 255:
		return invalidInput("DataLakePrincipalIdentifier must have length between 1 and 255")
	case id == "IAM_ALLOWED_PRINCIPALS", datablocks.IsAccountID(id):
		return nil
	}
	a, err := datablocks.ParseARN(id)
	if err != nil {
		return invalidInput("Invalid principal %q", id)
	}
	switch {
	case a.Service == "iam" && (strings.HasPrefix(a.Resource, "role/") || strings.HasPrefix(a.Resource, "user/") ||
		strings.HasPrefix(a.Resource, "saml-provider/")):
	case a.Service == "identitystore" && (strings.HasPrefix(a.Resource, "user/") || strings.HasPrefix(a.Resource, "group/")):
	case a.Service == "organizations" && (strings.HasPrefix(a.Resource, "organization/") || strings.HasPrefix(a.Resource, "ou/")):
	default:
		return invalidInput("Invalid principal %q", id)
	}
	return nil
}

// request converts and checks one grant or revoke entry.
func (f *Fake) request(catalogID *string, p *types.DataLakePrincipal, r *types.Resource, perms, grantable []types.Permission, grant bool) (string, res, error) {
	if p == nil {
		return "", res{}, invalidInput("Principal is required")
	}
	principal := aws.ToString(p.DataLakePrincipalIdentifier)
	if err := principalRule(principal); err != nil {
		return "", res{}, err
	}
	rs, err := parseResource(r, f.catalogID(catalogID))
	if err != nil {
		return "", res{}, err
	}
	if len(perms) == 0 && (grant || len(grantable) == 0) {
		return "", res{}, invalidInput("Permissions is required")
	}
	for _, list := range [][]types.Permission{perms, grantable} {
		for _, perm := range list {
			if !slices.Contains(types.Permission("").Values(), perm) {
				return "", res{}, invalidInput("1 validation error detected: Value '%s' at 'permissions' failed to satisfy enum value set", perm)
			}
			if rule := permissionRule(rs, perm); rule != "" {
				return "", res{}, invalidInput("%s", rule)
			}
		}
	}
	if grant {
		// GrantPermissions API reference: PermissionsWithGrantOption "may only be a subset of
		// the permissions granted".
		for _, g := range grantable {
			if !slices.Contains(perms, g) {
				return "", res{}, invalidInput("Permissions with grant option must be a subset of the permissions granted: %s", g)
			}
		}
		// Developer guide, column-level filtering: a grant option needs an include list.
		if len(grantable) > 0 && rs.kind == kColumns && rs.colWild && len(rs.excluded) > 0 {
			return "", res{}, invalidInput("Grant option is not allowed on a column wildcard with excluded columns; grant on an include list of columns")
		}
		// "Managing LF-Tag value permissions": when granting to an external account, you must
		// include the grant option.
		if rs.kind == kLFTag && datablocks.IsAccountID(principal) && principal != f.opts.AccountID && len(grantable) == 0 {
			return "", res{}, invalidInput("LF-tag permissions granted to an external account must include the grant option")
		}
	}
	if err := f.existsLocked(rs); err != nil {
		return "", res{}, err
	}
	return principal, rs, nil
}

// existsLocked checks that the resource exists, under StrictCatalog for catalog resources and
// always for LF-tags.
func (f *Fake) existsLocked(r res) error {
	switch r.kind {
	case kLFTag:
		vals, ok := f.tags[r.tagKey]
		if !ok {
			return notFound("Tag key does not exist: %s", r.tagKey)
		}
		for _, v := range r.tagValues {
			if v != "*" && !slices.Contains(vals, v) {
				return notFound("Tag value %s does not exist for tag key %s", v, r.tagKey)
			}
		}
	case kPolicy:
		for _, t := range r.expr {
			if _, ok := f.tags[aws.ToString(t.TagKey)]; !ok {
				return notFound("Tag key does not exist: %s", aws.ToString(t.TagKey))
			}
		}
	}
	if !f.opts.StrictCatalog || r.catalog != f.opts.AccountID {
		return nil
	}
	switch r.kind {
	case kDatabase, kTable, kColumns:
		d, ok := f.databases[r.db]
		if !ok {
			return notFound("Database not found: %s", r.db)
		}
		if r.table != "" && r.table != allTablesName {
			if _, ok := d.tables[r.table]; !ok {
				return notFound("Table not found: %s.%s", r.db, r.table)
			}
		}
	case kLocation:
		if !f.registeredLocked(r.location) {
			return notFound("Location %s is not registered with Lake Formation", r.location)
		}
	}
	return nil
}

func (f *Fake) registeredLocked(loc string) bool {
	for k := range f.locations {
		if loc == strings.TrimSuffix(k, "/") || strings.HasPrefix(loc, strings.TrimSuffix(k, "/")+"/") {
			return true
		}
	}
	return false
}

// atoms returns the resources a grant on r is recorded on for perm: LF-tag grants value by
// value, everything else in its recorded shape.
func atoms(r res, perm types.Permission) []res {
	if r.kind != kLFTag {
		return []res{recorded(r, perm)}
	}
	out := make([]res, 0, len(r.tagValues))
	for _, v := range r.tagValues {
		one := r
		one.tagValues = []string{v}
		out = append(out, one)
	}
	return out
}

func (f *Fake) grantLocked(catalogID *string, p *types.DataLakePrincipal, r *types.Resource, perms, grantable []types.Permission) error {
	principal, rs, err := f.request(catalogID, p, r, perms, grantable, true)
	if err != nil {
		return err
	}
	for _, perm := range perms {
		for _, at := range atoms(rs, perm) {
			e := f.entryLocked(principal, at, true)
			if !slices.Contains(e.perms, perm) {
				e.perms = append(e.perms, perm)
			}
			if slices.Contains(grantable, perm) && !slices.Contains(e.grantable, perm) {
				e.grantable = append(e.grantable, perm)
			}
			e.updated = f.clock.Now()
		}
	}
	return nil
}

func (f *Fake) revokeLocked(catalogID *string, p *types.DataLakePrincipal, r *types.Resource, perms, grantable []types.Permission) error {
	principal, rs, err := f.request(catalogID, p, r, perms, grantable, false)
	if err != nil {
		return err
	}
	changed := false
	for _, perm := range perms {
		for _, at := range atoms(rs, perm) {
			if e := f.entryLocked(principal, at, false); e != nil && slices.Contains(e.perms, perm) {
				e.perms = slices.DeleteFunc(e.perms, func(x types.Permission) bool { return x == perm })
				e.grantable = slices.DeleteFunc(e.grantable, func(x types.Permission) bool { return x == perm })
				changed = true
			}
		}
	}
	for _, perm := range grantable {
		for _, at := range atoms(rs, perm) {
			if e := f.entryLocked(principal, at, false); e != nil && slices.Contains(e.grantable, perm) {
				e.grantable = slices.DeleteFunc(e.grantable, func(x types.Permission) bool { return x == perm })
				changed = true
			}
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

func (f *Fake) entryLocked(principal string, r res, create bool) *permEntry {
	k := principal + "\x00" + r.key()
	e, ok := f.perms[k]
	if !ok && create {
		f.seq++
		e = &permEntry{seq: f.seq, principal: principal, resource: r}
		f.perms[k] = e
	}
	return e
}

// ListPermissions lists the permissions held, filtered by Principal, Resource and ResourceType,
// in pages of at most the fake's page size, in the shapes Lake Formation lists them.
func (f *Fake) ListPermissions(_ context.Context, in *awslf.ListPermissionsInput, _ ...func(*awslf.Options)) (*awslf.ListPermissionsOutput, error) {
	return fakecontrol.Do(f.Controls, OpListPermissions, in, func(in *awslf.ListPermissionsInput) (*awslf.ListPermissionsOutput, error) {
		if in == nil {
			in = &awslf.ListPermissionsInput{}
		}
		size, err := pageSize(in.MaxResults, f.opts.PageSize, maxListPermissionsResults)
		if err != nil {
			return nil, err
		}
		var filter *res
		if in.Resource != nil {
			if in.Resource.TableWithColumns != nil {
				// The API reference of ListPermissions' Resource: "This operation does not
				// support getting privileges on a table with columns. Instead, call this
				// operation on the table". The message is the fake's.
				return nil, invalidInput("ListPermissions does not support a TableWithColumns resource; list the table instead")
			}
			r, err := parseResource(in.Resource, f.catalogID(in.CatalogId))
			if err != nil {
				return nil, err
			}
			filter = &r
		}
		if in.ResourceType != "" && !slices.Contains(in.ResourceType.Values(), in.ResourceType) {
			return nil, invalidInput("1 validation error detected: Value '%s' at 'resourceType' failed to satisfy enum value set", in.ResourceType)
		}
		principal := ""
		if in.Principal != nil {
			principal = aws.ToString(in.Principal.DataLakePrincipalIdentifier)
			if err := principalRule(principal); err != nil {
				return nil, err
			}
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

func matchesType(r res, t types.DataLakeResourceType) bool {
	switch t {
	case "":
		return true
	case types.DataLakeResourceTypeCatalog:
		return r.kind == kCatalog
	case types.DataLakeResourceTypeDatabase:
		return r.kind == kDatabase
	case types.DataLakeResourceTypeTable:
		return r.kind == kTable || r.kind == kColumns
	case types.DataLakeResourceTypeDataLocation:
		return r.kind == kLocation
	case types.DataLakeResourceTypeLfTag:
		return r.kind == kLFTag
	case types.DataLakeResourceTypeLfTagPolicy:
		return r.kind == kPolicy
	case types.DataLakeResourceTypeLfTagPolicyDatabase:
		return r.kind == kPolicy && r.policyType == types.ResourceTypeDatabase
	case types.DataLakeResourceTypeLfTagPolicyTable:
		return r.kind == kPolicy && r.policyType == types.ResourceTypeTable
	}
	return false
}

// matchesResource reports whether a held permission's resource is selected by a
// ListPermissions resource filter: a named table selects its table and column permissions,
// the table wildcard the ALL_TABLES entries, an LF-tag key with "*" every value of the key.
func matchesResource(held, filter res) bool {
	if held.catalog != filter.catalog {
		return false
	}
	switch {
	case filter.kind == kTable && filter.wildcard:
		return (held.kind == kTable && held.wildcard && held.db == filter.db) ||
			(held.kind == kColumns && held.table == allTablesName && held.db == filter.db)
	case filter.kind == kTable:
		return (held.kind == kTable || held.kind == kColumns) && !held.wildcard && held.table != allTablesName &&
			held.db == filter.db && held.table == filter.table
	case filter.kind == kLFTag:
		return held.kind == kLFTag && held.tagKey == filter.tagKey &&
			(slices.Equal(filter.tagValues, []string{"*"}) || slices.Contains(filter.tagValues, held.tagValues[0]))
	}
	return held.key() == filter.key()
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
