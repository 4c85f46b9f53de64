package lakeformation

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"

	"github.com/datablocks-go/datablocks"
)

// Consumer is the consumer side of a cross-account share: it accepts the AWS RAM invitations
// of an expected account, creates local resource links to the shared databases and tables,
// and grants on them. Every step is idempotent. The Logger of Options, if set, also receives a
// debug line per invitation accepted or ignored.
type Consumer struct {
	perms   PermissionsAPIClient
	catalog GlueCatalogAPIClient
	ram     InvitationsAPIClient
	opts    Options
}

// NewConsumer returns a Consumer calling Lake Formation, the Glue Data Catalog and AWS RAM of
// the consumer account (the package's own service first, then the others in alphabetical
// order).
func NewConsumer(perms PermissionsAPIClient, catalog GlueCatalogAPIClient, ramClient InvitationsAPIClient, optFns ...func(*Options)) *Consumer {
	return &Consumer{perms: perms, catalog: catalog, ram: ramClient, opts: configure(Options{}, optFns)}
}

func (c *Consumer) options(optFns []func(*Options)) Options {
	return configure(c.opts, optFns)
}

// acceptInvitations reads every page of the account's resource share invitations and accepts
// the PENDING ones sent by fromAccount, returning them. Invitations from other accounts are
// left alone; an invitation accepted concurrently counts as accepted.
func (c *Consumer) acceptInvitations(ctx context.Context, fromAccount string, optFns ...func(*Options)) ([]ramtypes.ResourceShareInvitation, error) {
	if !datablocks.IsAccountID(fromAccount) {
		return nil, fmt.Errorf("lakeformation: AcceptInvitations: sender account %q must be a 12-digit account ID", fromAccount)
	}
	o := c.options(optFns)
	var pending []ramtypes.ResourceShareInvitation
	p := ram.NewGetResourceShareInvitationsPaginator(c.ram, &ram.GetResourceShareInvitationsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.RAMClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("lakeformation: GetResourceShareInvitations: %w", err)
		}
		for _, inv := range page.ResourceShareInvitations {
			if aws.ToString(inv.SenderAccountId) != fromAccount {
				if o.Logger != nil {
					o.Logger.Debug("ignoring invitation from unexpected account", "sender", aws.ToString(inv.SenderAccountId))
				}
				continue
			}
			if inv.Status == ramtypes.ResourceShareInvitationStatusPending {
				pending = append(pending, inv)
			}
		}
	}
	accepted := make([]ramtypes.ResourceShareInvitation, 0, len(pending))
	for _, inv := range pending {
		out, err := c.ram.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{
			ResourceShareInvitationArn: inv.ResourceShareInvitationArn}, o.RAMClientOptions...)
		var already *ramtypes.ResourceShareInvitationAlreadyAcceptedException
		switch {
		case errors.As(err, &already):
			inv.Status = ramtypes.ResourceShareInvitationStatusAccepted
			accepted = append(accepted, inv)
		case err != nil:
			return accepted, fmt.Errorf("lakeformation: AcceptResourceShareInvitation %s: %w", aws.ToString(inv.ResourceShareInvitationArn), err)
		default:
			if out.ResourceShareInvitation != nil {
				inv = *out.ResourceShareInvitation
			}
			accepted = append(accepted, inv)
		}
		if o.Logger != nil {
			o.Logger.Debug("accepted resource share invitation", "share", aws.ToString(inv.ResourceShareName), "sender", fromAccount)
		}
	}
	return accepted, nil
}

// ResourceLink is a local Data Catalog entry pointing at a shared database or table.
type ResourceLink struct {
	// Link is the local entry: a Database, or a named Table whose database is created if
	// missing. Its CatalogID must be empty (the caller's account).
	Link Resource
	// Target is the shared resource of the same kind, in the producer account's catalog
	// (InCatalog with its 12-digit account ID).
	Target Resource
}

func (l ResourceLink) validate(i int) error {
	named := func(r Resource) bool {
		return r.kind == kindDatabase && r.Database != "" || r.kind == kindTable && !r.allTables && r.Database != "" && r.Table != ""
	}
	switch {
	case !named(l.Link) || l.Link.CatalogID != "":
		return fmt.Errorf("lakeformation: links[%d].Link %s must be a database or a named table of the caller's catalog", i, l.Link)
	case !named(l.Target) || l.Target.kind != l.Link.kind:
		return fmt.Errorf("lakeformation: links[%d].Target %s must be a %s, as the link", i, l.Target, l.Link.kind)
	case !datablocks.IsAccountID(l.Target.CatalogID):
		return fmt.Errorf("lakeformation: links[%d].Target.CatalogID %q must be a 12-digit account ID", i, l.Target.CatalogID)
	}
	return nil
}

// createResourceLinks creates the links that do not exist yet; existing entries of the same
// name are left as they are.
func (c *Consumer) createResourceLinks(ctx context.Context, links []ResourceLink, optFns ...func(*Options)) error {
	for i, l := range links {
		if err := l.validate(i); err != nil {
			return err
		}
	}
	o := c.options(optFns)
	for _, l := range links {
		link, target := l.Link, l.Target
		if link.kind == kindDatabase {
			_, err := c.catalog.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &gluetypes.DatabaseInput{
				Name:           aws.String(link.Database),
				TargetDatabase: &gluetypes.DatabaseIdentifier{CatalogId: aws.String(target.CatalogID), DatabaseName: aws.String(target.Database)},
			}}, o.GlueClientOptions...)
			if err := ignoreExists(err); err != nil {
				return fmt.Errorf("lakeformation: creating database link %s: %w", link.Database, err)
			}
			continue
		}
		if err := ensureDatabase(ctx, c.catalog, link.Database, nil, "", o.GlueClientOptions); err != nil {
			return err
		}
		_, err := c.catalog.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String(link.Database), TableInput: &gluetypes.TableInput{
			Name:        aws.String(link.Table),
			TargetTable: &gluetypes.TableIdentifier{CatalogId: aws.String(target.CatalogID), DatabaseName: aws.String(target.Database), Name: aws.String(target.Table)},
		}}, o.GlueClientOptions...)
		if err := ignoreExists(err); err != nil {
			return fmt.Errorf("lakeformation: creating table link %s.%s: %w", link.Database, link.Table, err)
		}
	}
	return nil
}

func ignoreExists(err error) error {
	var ae *gluetypes.AlreadyExistsException
	if errors.As(err, &ae) {
		return nil
	}
	return err
}

// ensureDatabase creates a database with empty default permissions (Lake Formation mode) when
// it does not exist.
func ensureDatabase(ctx context.Context, catalog GlueCatalogAPIClient, name string, params map[string]string, location string, optFns []func(*awsglue.Options)) error {
	_, err := catalog.GetDatabase(ctx, &awsglue.GetDatabaseInput{Name: aws.String(name)}, optFns...)
	var nf *gluetypes.EntityNotFoundException
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &nf):
		return fmt.Errorf("lakeformation: GetDatabase %s: %w", name, err)
	}
	in := &gluetypes.DatabaseInput{Name: aws.String(name), Parameters: params, CreateTableDefaultPermissions: []gluetypes.PrincipalPermissions{}}
	if location != "" {
		in.LocationUri = aws.String(location)
	}
	if _, err := catalog.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: in}, optFns...); ignoreExists(err) != nil {
		return fmt.Errorf("lakeformation: CreateDatabase %s: %w", name, err)
	}
	return nil
}

// linkGrants returns the grants a local principal needs to query through a link: DESCRIBE on
// the link itself, and perms on the shared target, which the consumer account must hold with
// grant option. For a database link, DESCRIBE and CREATE_TABLE go to the target database and
// the other perms (SELECT, INSERT, ...) to all tables of the target database.
func linkGrants(l ResourceLink, p DataLakePrincipal, perms ...types.Permission) []Grant {
	out := []Grant{{Principal: p, Resource: l.Link, Permissions: []types.Permission{types.PermissionDescribe}}}
	target := l.Target
	if target.kind != kindDatabase {
		if len(perms) > 0 {
			out = append(out, Grant{Principal: p, Resource: target, Permissions: perms})
		}
		return out
	}
	var onDatabase, onTables []types.Permission
	for _, perm := range perms {
		if perm == types.PermissionDescribe || perm == types.PermissionCreateTable {
			onDatabase = append(onDatabase, perm)
		} else {
			onTables = append(onTables, perm)
		}
	}
	if len(onDatabase) > 0 {
		out = append(out, Grant{Principal: p, Resource: target, Permissions: onDatabase})
	}
	if len(onTables) > 0 {
		out = append(out, Grant{Principal: p, Resource: AllTables(target.Database).InCatalog(target.CatalogID), Permissions: onTables})
	}
	return out
}

// SetupInput is a whole consumer-side setup.
type SetupInput struct {
	// FromAccount is the producer (or central governance) account whose invitations to accept:
	// every page of the account's resource share invitations is read and the PENDING ones this
	// account sent are accepted; invitations from other accounts are left alone, and one
	// accepted concurrently counts as accepted.
	FromAccount string
	// Links are the resource links to create where they do not exist yet; existing entries of
	// the same name are left as they are.
	Links []ResourceLink
	// Principal receives, on every link, what it needs to query through it: DESCRIBE on the
	// link itself and Permissions on its target, which the consumer account must hold with
	// grant option. For a database link, DESCRIBE and CREATE_TABLE go to the target database
	// and the other permissions (SELECT, INSERT, ...) to all tables of the target database.
	// Empty means no grants.
	Principal DataLakePrincipal
	// Permissions are granted to Principal on every link target.
	Permissions []types.Permission
}

// Setup accepts the invitations, creates the links and converges the grants on them (no write
// call when they are already in place), each step idempotent: it can run again after any
// failure, or whenever new invitations or links are due. The whole input is validated before
// any call.
func (c *Consumer) Setup(ctx context.Context, in SetupInput, optFns ...func(*Options)) error {
	if !datablocks.IsAccountID(in.FromAccount) {
		return fmt.Errorf("lakeformation: SetupInput.FromAccount %q must be a 12-digit account ID", in.FromAccount)
	}
	for i, l := range in.Links {
		if err := l.validate(i); err != nil {
			return err
		}
	}
	var grants []Grant
	if in.Principal != "" {
		for _, l := range in.Links {
			grants = append(grants, linkGrants(l, in.Principal, in.Permissions...)...)
		}
		if err := validateList("grants", grants); err != nil {
			return err
		}
	}
	if _, err := c.acceptInvitations(ctx, in.FromAccount, optFns...); err != nil {
		return err
	}
	if err := c.createResourceLinks(ctx, in.Links, optFns...); err != nil {
		return err
	}
	if len(grants) == 0 {
		return nil
	}
	o := c.options(optFns)
	pl := &Planner{client: c.perms, opts: o}
	_, _, err := pl.Converge(ctx, PlanInput{Desired: grants})
	return err
}
