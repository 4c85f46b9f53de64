package lakeformation

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
)

// Planner computes and applies the minimal grants and revokes that make the current Lake
// Formation permissions equal a desired set. Apply sends grants and revokes with
// BatchGrantPermissions and BatchRevokePermissions, at most 20 entries per call (the
// service's maximum) with unique IDs, retrying ConcurrentModificationException and throttling
// with backoff and collecting per-entry failures. Plan reads ListPermissions 100 entries a
// page, every page. It is safe for concurrent use.
type Planner struct {
	client PermissionsAPIClient
	opts   Options
}

// NewPlanner returns a Planner calling client.
func NewPlanner(client PermissionsAPIClient, optFns ...func(*Options)) *Planner {
	return &Planner{client: client, opts: configure(Options{}, optFns)}
}

// PlanInput is the desired state and the scope it governs.
//
// The scope is what Plan reads: the resources of Desired and Resources (ListPermissions by
// resource) and the principals of Principals (ListPermissions by principal). With Revoke and
// no Principals, the plan revokes every permission read in scope that Desired does not hold,
// whoever holds it: Desired on sales.customers with Revoke also revokes other principals'
// permissions on sales.customers. With Principals, Revoke governs those principals only:
// their permissions everywhere are made equal to Desired, and what other principals hold is
// read (so that nothing held is granted again) but never revoked.
type PlanInput struct {
	// Desired are the grants that must hold.
	Desired []Grant
	// Resources adds resources whose current permissions are read (ListPermissions by
	// resource) besides those of Desired, so that Revoke can empty them. A column resource
	// stands for its whole table, which is what ListPermissions reads; an LF-tag resource
	// stands for its key and the values it names, not for the key's other values.
	Resources []Resource
	// Principals adds principals whose current permissions on every resource are read
	// (ListPermissions by principal), and limits Revoke to them: with Principals set, no
	// other principal's permission is ever revoked.
	Principals []DataLakePrincipal
	// Revoke asks for revokes of every permission read in scope that Desired does not hold,
	// making the scope equal to Desired. Without it the plan only adds.
	Revoke bool
}

// Plan is a reviewed change: grants to add and revokes to make, and what the plan saw in scope
// but cannot govern. Plan returns one; a Plan written by hand applies a list of grants (or
// revokes) as it is.
type Plan struct {
	// Grants add permissions (or grant options) that are missing.
	Grants []Grant
	// Revokes remove permissions not desired; a revoke with empty Permissions removes only the
	// grant option of its GrantOption permissions.
	Revokes []Grant
	// Unmanaged lists the permissions read in scope that the planner cannot govern (data cells
	// filters, saved LF-tag expressions, grants with conditions): they are neither compared
	// with Desired nor revoked, whatever Revoke says.
	Unmanaged []UnmanagedPermission
}

// UnmanagedPermission is a permission in scope the planner leaves alone, and why.
type UnmanagedPermission struct {
	// Principal holds the permissions.
	Principal string
	// Resource describes the resource, e.g. "DATA_CELLS_FILTER sales.customers/eu_only".
	Resource string
	// Permissions are the permissions held.
	Permissions []types.Permission
	// Reason says why the planner cannot govern it.
	Reason string
}

// String describes u on one line.
func (u UnmanagedPermission) String() string {
	return fmt.Sprintf("%s on %s to %s: %s", joinPerms(u.Permissions), u.Resource, u.Principal, u.Reason)
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return p == nil || len(p.Grants)+len(p.Revokes) == 0 }

// String lists the plan, one line per change, "+" for grants and "-" for revokes, then "!" for
// each permission in scope the plan does not govern.
func (p *Plan) String() string {
	if p == nil {
		return "no changes"
	}
	var b strings.Builder
	if p.Empty() {
		b.WriteString("no changes\n")
	}
	for _, g := range p.Grants {
		fmt.Fprintf(&b, "+ grant %s\n", g)
	}
	for _, g := range p.Revokes {
		if len(g.Permissions) == 0 {
			fmt.Fprintf(&b, "- revoke grant option %s on %s from %s\n", joinPerms(g.GrantOption), g.Resource, g.Principal)
			continue
		}
		fmt.Fprintf(&b, "- revoke %s on %s from %s", joinPerms(g.Permissions), g.Resource, g.Principal)
		if len(g.GrantOption) > 0 {
			fmt.Fprintf(&b, " (with grant option)")
		}
		b.WriteString("\n")
	}
	for _, u := range p.Unmanaged {
		fmt.Fprintf(&b, "! not governed: %s\n", u)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// ApplyResult is what Apply did: the grants and revokes applied (or found already applied),
// in plan order.
type ApplyResult struct {
	Granted []Grant // nil when the plan had no grants or Apply stopped before them
	Revoked []Grant // nil when the plan had no revokes or Apply stopped before them
}

// atom is one permission of one principal on one canonical resource.
type atom struct {
	principal DataLakePrincipal
	resource  Resource
	perm      types.Permission
	grantable bool
}

func (a atom) key() string {
	return string(a.principal) + "\x00" + a.resource.key() + "\x00" + string(a.perm)
}

// canonical returns the resource Lake Formation lists perm on r under, so that what is
// desired and what is listed compare equal:
//   - SELECT on a named table is listed on all its columns, TableWithColumns{Name,
//     ColumnWildcard: {}}; SELECT on all tables as TableWithColumns{Name: "ALL_TABLES",
//     ColumnWildcard: {}}; other permissions on all tables as Table{Name: "ALL_TABLES",
//     TableWildcard: {}} (terraform-provider-aws issue #46245 and its permission filter);
//   - a CatalogID equal to the default catalog is cleared (listings always carry it);
//   - column lists, excluded columns and tag values compare as sets (Resource.key).
func canonical(r Resource, p types.Permission, defaultCatalog string) Resource {
	if r.CatalogID != "" && r.CatalogID == defaultCatalog {
		r.CatalogID = ""
	}
	switch {
	case r.kind == kindTable && p == types.PermissionSelect:
		name := r.Table
		if r.allTables {
			name = allTablesName
		}
		return Resource{kind: kindTableWithColumns, CatalogID: r.CatalogID, Database: r.Database, Table: name, columnWildcard: true}
	case r.kind == kindTable && r.allTables:
		r.Table = ""
	case r.kind == kindTableWithColumns && r.columnWildcard && len(r.excludedColumns) == 0:
		r.excludedColumns = nil
	}
	return r
}

// requestShape returns the resource a grant or revoke of a canonical resource is sent on: a
// column wildcard without exclusions is sent as the table (or all tables) it covers.
func requestShape(r Resource) Resource {
	if r.kind == kindTableWithColumns && r.columnWildcard && len(r.excludedColumns) == 0 {
		if r.Table == allTablesName {
			return AllTables(r.Database).InCatalog(r.CatalogID)
		}
		return Table(r.Database, r.Table).InCatalog(r.CatalogID)
	}
	return r
}

// atomsOf splits g into atoms: one per permission and, for LF-tags, per value, since an
// LF-tag's scope is its key and the values named.
func atomsOf(g Grant, defaultCatalog string) []atom {
	out := make([]atom, 0, len(g.Permissions))
	add := func(p types.Permission, grantable bool) {
		r := canonical(g.Resource, p, defaultCatalog)
		if r.kind != kindLFTag {
			out = append(out, atom{principal: g.Principal, resource: r, perm: p, grantable: grantable})
			return
		}
		for _, v := range r.tagValues {
			one := r
			one.tagValues = []string{v}
			out = append(out, atom{principal: g.Principal, resource: one, perm: p, grantable: grantable})
		}
	}
	for _, p := range g.Permissions {
		add(p, slices.Contains(g.GrantOption, p))
	}
	for _, p := range g.GrantOption {
		if !slices.Contains(g.Permissions, p) {
			add(p, true) // listed as grantable without the permission itself
		}
	}
	return out
}

// inScope reports whether an atom read by listing a resource belongs to the scope of one of
// the resources the read stands for: an LF-tag listing reads every value of the key, but
// only the values named are in scope.
func inScope(a atom, scopes []Resource) bool {
	for _, r := range scopes {
		if r.kind != kindLFTag {
			return true
		}
		if a.resource.kind == kindLFTag && a.resource.tagKey == r.tagKey &&
			(slices.Equal(r.tagValues, []string{"*"}) || slices.Contains(r.tagValues, a.resource.tagValues[0])) {
			return true
		}
	}
	return false
}

// listing is what one ListPermissions read returned, with the resources it reads for (nil for
// a read by principal, whose scope is everything it returns).
type listing struct {
	scopes []Resource
	items  []types.PrincipalResourcePermissions
}

// Plan reads the current permissions in scope (every page) and returns the changes that make
// them equal to in.Desired, and what it saw but cannot govern. Invalid input fails before any
// call.
func (pl *Planner) Plan(ctx context.Context, in PlanInput, optFns ...func(*Options)) (*Plan, error) {
	o := pl.options(optFns)
	if err := validateList("PlanInput.Desired", in.Desired); err != nil {
		return nil, err
	}
	for i, r := range in.Resources {
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("lakeformation: PlanInput.Resources[%d]: %s", i, strings.TrimPrefix(err.Error(), "lakeformation: "))
		}
	}
	for i, p := range in.Principals {
		if err := p.validate(); err != nil {
			return nil, fmt.Errorf("lakeformation: PlanInput.Principals[%d]: %s", i, strings.TrimPrefix(err.Error(), "lakeformation: "))
		}
	}
	defaultCatalog := o.CatalogID
	var reads []listing
	readIdx := map[string]int{}
	resources := make([]Resource, 0, len(in.Desired)+len(in.Resources))
	for _, g := range in.Desired {
		resources = append(resources, g.Resource)
	}
	resources = append(resources, in.Resources...)
	for _, orig := range resources {
		r := listable(orig)
		if i, ok := readIdx[r.key()]; ok {
			reads[i].scopes = append(reads[i].scopes, orig)
			continue
		}
		readIdx[r.key()] = len(reads)
		got, err := pl.list(ctx, o, &awslf.ListPermissionsInput{Resource: r.sdk()})
		if err != nil {
			return nil, err
		}
		if defaultCatalog == "" && r.CatalogID == "" {
			// A read without a catalog is a read of the caller's catalog: what it lists
			// names that catalog.
			for _, p := range got {
				if c := catalogOf(p.Resource); c != "" {
					defaultCatalog = c
					break
				}
			}
		}
		reads = append(reads, listing{scopes: []Resource{orig}, items: got})
	}
	var byPrincipal []types.PrincipalResourcePermissions
	for _, p := range in.Principals {
		got, err := pl.list(ctx, o, &awslf.ListPermissionsInput{Principal: p.sdk()})
		if err != nil {
			return nil, err
		}
		byPrincipal = append(byPrincipal, got...)
		reads = append(reads, listing{items: got})
	}
	if defaultCatalog == "" {
		cats := map[string]bool{}
		for _, p := range byPrincipal {
			if c := catalogOf(p.Resource); c != "" {
				cats[c] = true
			}
		}
		switch len(cats) {
		case 0:
		case 1:
			for c := range cats {
				defaultCatalog = c
			}
		default:
			return nil, fmt.Errorf("lakeformation: Plan cannot tell the caller's catalog among the %d catalogs its principals hold permissions in; set Options.CatalogID", len(cats))
		}
	}
	plan := &Plan{}
	seenUnmanaged := map[string]bool{}
	have := map[string]atom{}
	for _, l := range reads {
		for _, prp := range l.items {
			if reason, what := unmanaged(prp); reason != "" {
				u := UnmanagedPermission{Principal: principalOf(prp), Resource: what, Permissions: slices.Clone(prp.Permissions), Reason: reason}
				if k := u.String(); !seenUnmanaged[k] {
					seenUnmanaged[k] = true
					plan.Unmanaged = append(plan.Unmanaged, u)
				}
				continue
			}
			r, _ := resourceFromSDK(prp.Resource)
			g := Grant{Principal: DataLakePrincipal(principalOf(prp)), Resource: r,
				Permissions: prp.Permissions, GrantOption: prp.PermissionsWithGrantOption}
			for _, a := range atomsOf(g, defaultCatalog) {
				if l.scopes != nil && !inScope(a, l.scopes) {
					continue
				}
				if prev, ok := have[a.key()]; ok {
					a.grantable = a.grantable || prev.grantable
				}
				have[a.key()] = a
			}
		}
	}
	want := map[string]atom{}
	for _, g := range in.Desired {
		for _, a := range atomsOf(g, defaultCatalog) {
			if prev, ok := want[a.key()]; ok {
				a.grantable = a.grantable || prev.grantable
			}
			want[a.key()] = a
		}
	}
	var grants, revokes, revokeOptions []atom
	for k, w := range want {
		h, ok := have[k]
		switch {
		case !ok, w.grantable && !h.grantable:
			grants = append(grants, w)
		case in.Revoke && !w.grantable && h.grantable:
			revokeOptions = append(revokeOptions, h)
		}
	}
	governed := func(atom) bool { return true }
	if len(in.Principals) > 0 {
		only := map[DataLakePrincipal]bool{}
		for _, p := range in.Principals {
			only[p] = true
		}
		governed = func(a atom) bool { return only[a.principal] }
	}
	if in.Revoke {
		for k, h := range have {
			if _, ok := want[k]; !ok && governed(h) {
				revokes = append(revokes, h)
			}
		}
	}
	plan.Grants = group(grants, false)
	plan.Revokes = append(group(revokes, false), group(revokeOptions, true)...)
	return plan, nil
}

func principalOf(prp types.PrincipalResourcePermissions) string {
	if prp.Principal == nil {
		return ""
	}
	return aws.ToString(prp.Principal.DataLakePrincipalIdentifier)
}

// unmanaged returns why the planner cannot govern a listed permission, and a description of
// its resource, or "" when it can.
func unmanaged(prp types.PrincipalResourcePermissions) (reason, what string) {
	res := prp.Resource
	switch {
	case principalOf(prp) == "":
		return "listed without a principal", describeSDK(res)
	case res != nil && res.DataCellsFilter != nil:
		return "data cells filters are not modeled by the planner", describeSDK(res)
	case res != nil && res.LFTagExpression != nil:
		return "saved LF-tag expressions are not modeled by the planner", describeSDK(res)
	case prp.Condition != nil && aws.ToString(prp.Condition.Expression) != "":
		return fmt.Sprintf("conditional grant (%s) is not modeled by the planner", aws.ToString(prp.Condition.Expression)), describeSDK(res)
	}
	if _, err := resourceFromSDK(res); err != nil {
		return strings.TrimPrefix(err.Error(), "lakeformation: "), describeSDK(res)
	}
	return "", ""
}

// describeSDK describes an SDK resource, including the members the package does not model.
func describeSDK(res *types.Resource) string {
	switch {
	case res == nil:
		return "no resource"
	case res.DataCellsFilter != nil:
		f := res.DataCellsFilter
		return fmt.Sprintf("DATA_CELLS_FILTER %s.%s/%s", aws.ToString(f.DatabaseName), aws.ToString(f.TableName), aws.ToString(f.Name))
	case res.LFTagExpression != nil:
		return "LF_TAG_EXPRESSION " + aws.ToString(res.LFTagExpression.Name)
	case res.LFTagPolicy != nil && len(res.LFTagPolicy.Expression) == 0:
		return fmt.Sprintf("LF_TAG_POLICY %s expression %s", res.LFTagPolicy.ResourceType, aws.ToString(res.LFTagPolicy.ExpressionName))
	}
	if r, err := resourceFromSDK(res); err == nil {
		return r.String()
	}
	return "an unrecognized resource"
}

// listable returns the resource ListPermissions is asked about for r. ListPermissions does not
// take a TableWithColumns resource (see the SDK's ListPermissionsInput.Resource); asked about
// the table, it returns the table's permissions and those on its columns. So the scope of a
// column resource is its whole table. LF-tags are read by key, every value (TagValues ["*"],
// as the developer guide lists "all grants for a specific LF-tag key"), then scoped to the
// values named (inScope).
func listable(r Resource) Resource {
	switch r.kind {
	case kindTableWithColumns:
		return Table(r.Database, r.Table).InCatalog(r.CatalogID)
	case kindLFTag:
		return LFTag(r.tagKey, "*").InCatalog(r.CatalogID)
	}
	return r
}

func catalogOf(r *types.Resource) string {
	res, err := resourceFromSDK(r)
	if err != nil {
		return ""
	}
	return res.CatalogID
}

// group folds atoms into one Grant per principal and resource, in the shape the request is
// sent in, sorted for determinism; LF-tag values with the same permissions are folded into one
// grant. With optionOnly the grants carry only GrantOption (revoking the grant option alone).
func group(atoms []atom, optionOnly bool) []Grant {
	byKey := map[string]*Grant{}
	var keys []string
	for _, a := range atoms {
		r := requestShape(a.resource)
		k := string(a.principal) + "\x00" + r.key()
		g, ok := byKey[k]
		if !ok {
			g = &Grant{Principal: a.principal, Resource: r}
			byKey[k] = g
			keys = append(keys, k)
		}
		if !optionOnly && !slices.Contains(g.Permissions, a.perm) {
			g.Permissions = append(g.Permissions, a.perm)
		}
		if a.grantable && !slices.Contains(g.GrantOption, a.perm) {
			g.GrantOption = append(g.GrantOption, a.perm)
		}
	}
	slices.Sort(keys)
	out := make([]Grant, 0, len(keys))
	tagGrant := map[string]int{}
	for _, k := range keys {
		g := byKey[k]
		slices.Sort(g.Permissions)
		slices.Sort(g.GrantOption)
		if g.Resource.kind == kindLFTag {
			tk := strings.Join([]string{string(g.Principal), g.Resource.CatalogID, g.Resource.tagKey, joinPerms(g.Permissions), joinPerms(g.GrantOption)}, "\x00")
			if i, ok := tagGrant[tk]; ok {
				out[i].Resource.tagValues = append(out[i].Resource.tagValues, g.Resource.tagValues...)
				continue
			}
			tagGrant[tk] = len(out)
			g.Resource.tagValues = slices.Clone(g.Resource.tagValues)
		}
		out = append(out, *g)
	}
	return out
}

func (pl *Planner) options(optFns []func(*Options)) Options {
	return configure(pl.opts, optFns)
}

// list reads every page of ListPermissions.
func (pl *Planner) list(ctx context.Context, o Options, in *awslf.ListPermissionsInput) ([]types.PrincipalResourcePermissions, error) {
	in.CatalogId = optString(o.CatalogID)
	in.MaxResults = aws.Int32(defaultListLimit)
	p := awslf.NewListPermissionsPaginator(pl.client, in)
	var out []types.PrincipalResourcePermissions
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("lakeformation: ListPermissions: %w", err)
		}
		out = append(out, page.PrincipalResourcePermissions...)
	}
	return out, nil
}

// Apply executes a plan: grants first, then revokes, so that no principal loses access it
// keeps in the desired state. The whole plan is validated before the first write: an invalid
// entry fails with an *InvalidGrantError naming it (grants[i] or revokes[i]) and nothing is
// sent. Granting permissions already held, and revoking permissions not held, succeed. A
// revoke whose Permissions are empty revokes only the grant option of its GrantOption
// permissions. When a write then fails, the result reports exactly what was applied, entry
// by entry (ApplyResult, and *BatchError.Errors aligned with the plan's list); revokes are not
// attempted after grants failed. An empty plan makes no calls.
func (pl *Planner) Apply(ctx context.Context, plan *Plan, optFns ...func(*Options)) (*ApplyResult, error) {
	o := pl.options(optFns)
	res := &ApplyResult{}
	if plan.Empty() {
		return res, nil
	}
	if err := validateList("grants", plan.Grants); err != nil {
		return res, err
	}
	if err := validateRevokes("revokes", plan.Revokes); err != nil {
		return res, err
	}
	g := &granter{client: pl.client, opts: o}
	if len(plan.Grants) > 0 {
		r, err := g.run(ctx, opGrant, plan.Grants)
		res.Granted = r
		if err != nil {
			return res, err
		}
	}
	if len(plan.Revokes) > 0 {
		r, err := g.run(ctx, opRevoke, plan.Revokes)
		res.Revoked = r
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// Converge plans and applies in one call, returning the plan it applied.
func (pl *Planner) Converge(ctx context.Context, in PlanInput, optFns ...func(*Options)) (*Plan, *ApplyResult, error) {
	plan, err := pl.Plan(ctx, in, optFns...)
	if err != nil {
		return nil, nil, err
	}
	res, err := pl.Apply(ctx, plan, optFns...)
	return plan, res, err
}

// RevokeIAMAllowedPrincipals revokes every grant IAM_ALLOWED_PRINCIPALS holds on a database and
// on its tables (the defaults Glue adds to new resources), so that Lake Formation permissions
// are enforced on them. It reads the grants with ListPermissions (every page) and revokes them
// in batches, returning the grants revoked; with nothing to revoke it makes no write call.
// Errors are reported as by Apply.
func (pl *Planner) RevokeIAMAllowedPrincipals(ctx context.Context, database string, optFns ...func(*Options)) ([]Grant, error) {
	if database == "" {
		return nil, fmt.Errorf("lakeformation: RevokeIAMAllowedPrincipals: database is required")
	}
	o := pl.options(optFns)
	dbGrants, err := pl.list(ctx, o, &awslf.ListPermissionsInput{Principal: IAMAllowedPrincipals.sdk(), Resource: Database(database).sdk()})
	if err != nil {
		return nil, err
	}
	tableGrants, err := pl.list(ctx, o, &awslf.ListPermissionsInput{Principal: IAMAllowedPrincipals.sdk(), ResourceType: types.DataLakeResourceTypeTable})
	if err != nil {
		return nil, err
	}
	var revokes []Grant
	for _, prp := range append(dbGrants, tableGrants...) {
		r, err := resourceFromSDK(prp.Resource)
		if err != nil || r.Database != database || aws.ToString(prp.Principal.DataLakePrincipalIdentifier) != string(IAMAllowedPrincipals) {
			continue
		}
		if r.kind != kindDatabase && r.kind != kindTable && r.kind != kindTableWithColumns {
			continue
		}
		// Sent in the request shape: a listed ALL_TABLES column wildcard is revoked on all tables.
		revokes = append(revokes, Grant{Principal: IAMAllowedPrincipals, Resource: requestShape(r),
			Permissions: prp.Permissions, GrantOption: prp.PermissionsWithGrantOption})
	}
	if len(revokes) == 0 {
		return nil, nil
	}
	if err := validateRevokes("revokes", revokes); err != nil {
		return nil, err
	}
	g := &granter{client: pl.client, opts: o}
	return g.run(ctx, opRevoke, revokes)
}
