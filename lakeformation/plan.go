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

// DefaultListPageSize is the MaxResults the Planner asks ListPermissions for.
const DefaultListPageSize = 100

// PlannerOptions configures a Planner. The zero value is usable.
type PlannerOptions struct {
	// GranterOptions configure the calls Apply makes; CatalogID and ClientOptions also apply to
	// ListPermissions.
	GranterOptions
	// ListPageSize is the MaxResults of each ListPermissions call, overriding
	// DefaultListPageSize. Zero means the default.
	ListPageSize int32
}

// Planner computes and applies the minimal grants and revokes that make the current Lake
// Formation permissions equal a desired set. It is safe for concurrent use.
type Planner struct {
	client PermissionsAPIClient
	opts   PlannerOptions
}

// NewPlanner returns a Planner calling client.
func NewPlanner(client PermissionsAPIClient, optFns ...func(*PlannerOptions)) *Planner {
	return &Planner{client: client, opts: configure(PlannerOptions{}, optFns)}
}

// PlanInput is the desired state and the scope it governs.
type PlanInput struct {
	// Desired are the grants that must hold.
	Desired []Grant
	// Resources adds resources whose current permissions are read (ListPermissions by
	// resource) besides those of Desired, so that Revoke can empty them. A column resource
	// stands for its whole table, which is what ListPermissions reads.
	Resources []Resource
	// Principals adds principals whose current permissions on every resource are read
	// (ListPermissions by principal).
	Principals []Principal
	// Revoke asks for revokes of every permission read that Desired does not hold, making the
	// scope (the resources of Desired and Resources, and the principals of Principals) equal
	// to Desired. Without it the plan only adds.
	Revoke bool
}

// Plan is a reviewed change: grants to add and revokes to make.
type Plan struct {
	// Grants add permissions (or grant options) that are missing.
	Grants []Grant
	// Revokes remove permissions not desired; a revoke with empty Permissions removes only the
	// grant option of its GrantOption permissions.
	Revokes []Grant
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return p == nil || len(p.Grants)+len(p.Revokes) == 0 }

// String lists the plan, one line per change, "+" for grants and "-" for revokes.
func (p *Plan) String() string {
	if p.Empty() {
		return "no changes"
	}
	var b strings.Builder
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
	return strings.TrimSuffix(b.String(), "\n")
}

// ApplyResult is what Apply did.
type ApplyResult struct {
	Granted *BatchResult // nil when the plan had no grants
	Revoked *BatchResult // nil when the plan had no revokes
}

// atom is one permission of one principal on one canonical resource.
type atom struct {
	principal Principal
	resource  Resource
	perm      Permission
	grantable bool
}

func (a atom) key() string {
	return string(a.principal) + "\x00" + a.resource.Key() + "\x00" + string(a.perm)
}

// canonical returns the resource Lake Formation records a permission on: SELECT on a named
// table is recorded as SELECT on all its columns (TableWithColumns with a ColumnWildcard).
// CatalogID equal to the default catalog is cleared.
func canonical(r Resource, p Permission, defaultCatalog string) Resource {
	if r.CatalogID != "" && r.CatalogID == defaultCatalog {
		r.CatalogID = ""
	}
	if r.Kind == KindTable && !r.AllTables && p == Select {
		return Resource{Kind: KindTableWithColumns, CatalogID: r.CatalogID, Database: r.Database, Table: r.Table, ColumnWildcard: true}
	}
	return r
}

func atomsOf(g Grant, defaultCatalog string) []atom {
	out := make([]atom, 0, len(g.Permissions))
	for _, p := range g.Permissions {
		out = append(out, atom{principal: g.Principal, resource: canonical(g.Resource, p, defaultCatalog), perm: p,
			grantable: slices.Contains(g.GrantOption, p)})
	}
	return out
}

// Plan reads the current permissions in scope (every page) and returns the changes that make
// them equal to in.Desired. Invalid grants fail before any call.
func (pl *Planner) Plan(ctx context.Context, in PlanInput, optFns ...func(*PlannerOptions)) (*Plan, error) {
	o := pl.options(optFns)
	if err := ValidateGrants(in.Desired); err != nil {
		return nil, err
	}
	for i, r := range in.Resources {
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("lakeformation: PlanInput.Resources[%d]: %w", i, err)
		}
	}
	for i, p := range in.Principals {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("lakeformation: PlanInput.Principals[%d]: %w", i, err)
		}
	}
	defaultCatalog := o.CatalogID
	var current []types.PrincipalResourcePermissions
	readRes := map[string]bool{}
	resources := make([]Resource, 0, len(in.Desired)+len(in.Resources))
	for _, g := range in.Desired {
		resources = append(resources, g.Resource)
	}
	resources = append(resources, in.Resources...)
	for _, r := range resources {
		r = listable(r)
		if readRes[r.Key()] {
			continue
		}
		readRes[r.Key()] = true
		got, err := pl.list(ctx, o, &awslf.ListPermissionsInput{Resource: r.SDK()})
		if err != nil {
			return nil, err
		}
		if defaultCatalog == "" && r.CatalogID == "" {
			for _, p := range got {
				if c := catalogOf(p.Resource); c != "" {
					defaultCatalog = c
					break
				}
			}
		}
		current = append(current, got...)
	}
	for _, p := range in.Principals {
		got, err := pl.list(ctx, o, &awslf.ListPermissionsInput{Principal: p.SDK()})
		if err != nil {
			return nil, err
		}
		current = append(current, got...)
	}
	have := map[string]atom{}
	for _, prp := range current {
		r, err := ResourceFromSDK(prp.Resource)
		if err != nil || prp.Principal == nil || prp.Condition != nil {
			continue // data cells filters, tag expressions and conditional grants are out of scope
		}
		g := Grant{Principal: Principal(aws.ToString(prp.Principal.DataLakePrincipalIdentifier)), Resource: r,
			Permissions: prp.Permissions, GrantOption: prp.PermissionsWithGrantOption}
		for _, a := range atomsOf(g, defaultCatalog) {
			if prev, ok := have[a.key()]; ok {
				a.grantable = a.grantable || prev.grantable
			}
			have[a.key()] = a
		}
		for _, p := range prp.PermissionsWithGrantOption {
			if !slices.Contains(prp.Permissions, p) {
				a := atom{principal: g.Principal, resource: canonical(r, p, defaultCatalog), perm: p, grantable: true}
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
	if in.Revoke {
		for k, h := range have {
			if _, ok := want[k]; !ok {
				revokes = append(revokes, h)
			}
		}
	}
	return &Plan{
		Grants:  group(grants, false),
		Revokes: append(group(revokes, false), group(revokeOptions, true)...),
	}, nil
}

// listable returns the resource ListPermissions is asked about for r. ListPermissions does not
// take a TableWithColumns resource (see the SDK's ListPermissionsInput.Resource); asked about
// the table, it returns the table's permissions and those on its columns. So the scope of a
// column resource is its whole table.
func listable(r Resource) Resource {
	if r.Kind == KindTableWithColumns {
		return Table(r.Database, r.Table).InCatalog(r.CatalogID)
	}
	return r
}

func catalogOf(r *types.Resource) string {
	res, err := ResourceFromSDK(r)
	if err != nil {
		return ""
	}
	return res.CatalogID
}

// group folds atoms into one Grant per principal and resource, sorted for determinism. With
// optionOnly the grants carry only GrantOption (revoking the grant option alone).
func group(atoms []atom, optionOnly bool) []Grant {
	byKey := map[string]*Grant{}
	var keys []string
	for _, a := range atoms {
		k := string(a.principal) + "\x00" + a.resource.Key()
		g, ok := byKey[k]
		if !ok {
			g = &Grant{Principal: a.principal, Resource: a.resource}
			byKey[k] = g
			keys = append(keys, k)
		}
		if !optionOnly {
			g.Permissions = append(g.Permissions, a.perm)
		}
		if a.grantable {
			g.GrantOption = append(g.GrantOption, a.perm)
		}
	}
	slices.Sort(keys)
	out := make([]Grant, 0, len(keys))
	for _, k := range keys {
		g := byKey[k]
		slices.Sort(g.Permissions)
		slices.Sort(g.GrantOption)
		out = append(out, *g)
	}
	return out
}

func (pl *Planner) options(optFns []func(*PlannerOptions)) PlannerOptions {
	o := configure(pl.opts, optFns)
	if o.ListPageSize <= 0 {
		o.ListPageSize = DefaultListPageSize
	}
	return o
}

// list reads every page of ListPermissions.
func (pl *Planner) list(ctx context.Context, o PlannerOptions, in *awslf.ListPermissionsInput) ([]types.PrincipalResourcePermissions, error) {
	in.CatalogId = optString(o.CatalogID)
	in.MaxResults = aws.Int32(o.ListPageSize)
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
// keeps in the desired state. An empty plan makes no calls.
func (pl *Planner) Apply(ctx context.Context, plan *Plan, optFns ...func(*PlannerOptions)) (*ApplyResult, error) {
	o := pl.options(optFns)
	res := &ApplyResult{}
	if plan.Empty() {
		return res, nil
	}
	g := &Granter{client: pl.client, opts: o.GranterOptions}
	if len(plan.Grants) > 0 {
		r, err := g.Grant(ctx, plan.Grants)
		res.Granted = r
		if err != nil {
			return res, err
		}
	}
	if len(plan.Revokes) > 0 {
		r, err := g.Revoke(ctx, plan.Revokes)
		res.Revoked = r
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// Converge plans and applies in one call, returning the plan it applied.
func (pl *Planner) Converge(ctx context.Context, in PlanInput, optFns ...func(*PlannerOptions)) (*Plan, *ApplyResult, error) {
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
// in batches; with nothing to revoke it makes no write call.
func (pl *Planner) RevokeIAMAllowedPrincipals(ctx context.Context, database string, optFns ...func(*PlannerOptions)) (*BatchResult, error) {
	if database == "" {
		return nil, fmt.Errorf("lakeformation: RevokeIAMAllowedPrincipals: database is required")
	}
	o := pl.options(optFns)
	dbGrants, err := pl.list(ctx, o, &awslf.ListPermissionsInput{Principal: IAMAllowedPrincipals.SDK(), Resource: Database(database).SDK()})
	if err != nil {
		return nil, err
	}
	tableGrants, err := pl.list(ctx, o, &awslf.ListPermissionsInput{Principal: IAMAllowedPrincipals.SDK(), ResourceType: types.DataLakeResourceTypeTable})
	if err != nil {
		return nil, err
	}
	var revokes []Grant
	for _, prp := range append(dbGrants, tableGrants...) {
		r, err := ResourceFromSDK(prp.Resource)
		if err != nil || r.Database != database || aws.ToString(prp.Principal.DataLakePrincipalIdentifier) != string(IAMAllowedPrincipals) {
			continue
		}
		if r.Kind != KindDatabase && r.Kind != KindTable && r.Kind != KindTableWithColumns {
			continue
		}
		revokes = append(revokes, Grant{Principal: IAMAllowedPrincipals, Resource: r,
			Permissions: prp.Permissions, GrantOption: prp.PermissionsWithGrantOption})
	}
	if len(revokes) == 0 {
		return &BatchResult{}, nil
	}
	g := &Granter{client: pl.client, opts: o.GranterOptions}
	return g.Revoke(ctx, revokes)
}
