package lakeformation

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"

	"github.com/datablocks-go/datablocks"
)

// Share is a producer-side cross-account share (named-resource access control): permissions on
// resources of the producer catalog granted to a consumer account, whose data lake
// administrator then grants them on to local principals. When the consumer is outside the
// producer's AWS Organization, AWS RAM sends it an invitation to accept.
type Share struct {
	// ConsumerAccount is the 12-digit account ID receiving the share.
	ConsumerAccount string
	// Resources are the shared resources, in the producer catalog.
	Resources []Resource
	// Permissions are granted on every resource.
	Permissions []Permission
	// Grantable grants the permissions with grant option, so the consumer's administrator can
	// grant them to its principals.
	Grantable bool
}

// Grants returns the share as grants, validated.
func (s Share) Grants() ([]Grant, error) {
	if !datablocks.IsAccountID(s.ConsumerAccount) {
		return nil, fmt.Errorf("lakeformation: Share.ConsumerAccount %q must be a 12-digit account ID", s.ConsumerAccount)
	}
	if len(s.Resources) == 0 {
		return nil, fmt.Errorf("lakeformation: Share.Resources: at least one resource is required")
	}
	out := make([]Grant, 0, len(s.Resources))
	for _, r := range s.Resources {
		g := Grant{Principal: Account(s.ConsumerAccount), Resource: r, Permissions: s.Permissions}
		if s.Grantable {
			g.GrantOption = s.Permissions
		}
		out = append(out, g)
	}
	return out, ValidateGrants(out)
}

// ConsumerOptions configures a Consumer. The zero value is usable.
type ConsumerOptions struct {
	// GranterOptions configure the grants on resource links. Logger, if set, also receives a
	// debug line per invitation accepted or ignored.
	GranterOptions
	// RAMClientOptions are passed to every AWS RAM call.
	RAMClientOptions []func(*ram.Options)
	// GlueClientOptions are passed to every Glue call.
	GlueClientOptions []func(*awsglue.Options)
}

// Consumer is the consumer side of a cross-account share: it accepts the AWS RAM invitations
// of an expected account, creates local resource links to the shared databases and tables,
// and grants on them. Every step is idempotent.
type Consumer struct {
	perms   PermissionsAPIClient
	catalog GlueCatalogAPIClient
	ram     InvitationsAPIClient
	opts    ConsumerOptions
}

// NewConsumer returns a Consumer calling Lake Formation, the Glue Data Catalog and AWS RAM of
// the consumer account (the package's own service first, then the others in alphabetical
// order).
func NewConsumer(perms PermissionsAPIClient, catalog GlueCatalogAPIClient, ramClient InvitationsAPIClient, optFns ...func(*ConsumerOptions)) *Consumer {
	return &Consumer{perms: perms, catalog: catalog, ram: ramClient, opts: configure(ConsumerOptions{}, optFns)}
}

func (c *Consumer) options(optFns []func(*ConsumerOptions)) ConsumerOptions {
	return configure(c.opts, optFns)
}

// AcceptInvitations reads every page of the account's resource share invitations and accepts
// the PENDING ones sent by fromAccount, returning them. Invitations from other accounts are
// left alone; an invitation accepted concurrently counts as accepted.
func (c *Consumer) AcceptInvitations(ctx context.Context, fromAccount string, optFns ...func(*ConsumerOptions)) ([]ramtypes.ResourceShareInvitation, error) {
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
	// Database is the local database: the link itself when Table is empty, otherwise the
	// database that holds the table link (created if missing).
	Database string
	// Table is the name of a table link; empty for a database link.
	Table string
	// TargetCatalogID is the producer account (catalog) owning the shared resource.
	TargetCatalogID string
	// TargetDatabase is the shared database.
	TargetDatabase string
	// TargetTable is the shared table; required for a table link.
	TargetTable string
}

func (l ResourceLink) validate(i int) error {
	switch {
	case l.Database == "":
		return fmt.Errorf("lakeformation: links[%d].Database is required", i)
	case !datablocks.IsAccountID(l.TargetCatalogID):
		return fmt.Errorf("lakeformation: links[%d].TargetCatalogID %q must be a 12-digit account ID", i, l.TargetCatalogID)
	case l.TargetDatabase == "":
		return fmt.Errorf("lakeformation: links[%d].TargetDatabase is required", i)
	case (l.Table == "") != (l.TargetTable == ""):
		return fmt.Errorf("lakeformation: links[%d]: Table and TargetTable go together", i)
	}
	return nil
}

// Resource returns the local resource of the link (Database, or Table in Database).
func (l ResourceLink) Resource() Resource {
	if l.Table == "" {
		return Database(l.Database)
	}
	return Table(l.Database, l.Table)
}

// Target returns the shared resource the link points at.
func (l ResourceLink) Target() Resource {
	if l.TargetTable == "" {
		return Database(l.TargetDatabase).InCatalog(l.TargetCatalogID)
	}
	return Table(l.TargetDatabase, l.TargetTable).InCatalog(l.TargetCatalogID)
}

// CreateResourceLinks creates the links that do not exist yet; existing entries of the same
// name are left as they are.
func (c *Consumer) CreateResourceLinks(ctx context.Context, links []ResourceLink, optFns ...func(*ConsumerOptions)) error {
	for i, l := range links {
		if err := l.validate(i); err != nil {
			return err
		}
	}
	o := c.options(optFns)
	for _, l := range links {
		if l.Table == "" {
			_, err := c.catalog.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &gluetypes.DatabaseInput{
				Name:           aws.String(l.Database),
				TargetDatabase: &gluetypes.DatabaseIdentifier{CatalogId: aws.String(l.TargetCatalogID), DatabaseName: aws.String(l.TargetDatabase)},
			}}, o.GlueClientOptions...)
			if err := ignoreExists(err); err != nil {
				return fmt.Errorf("lakeformation: creating database link %s: %w", l.Database, err)
			}
			continue
		}
		if err := ensureDatabase(ctx, c.catalog, l.Database, nil, "", o.GlueClientOptions); err != nil {
			return err
		}
		_, err := c.catalog.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String(l.Database), TableInput: &gluetypes.TableInput{
			Name:        aws.String(l.Table),
			TargetTable: &gluetypes.TableIdentifier{CatalogId: aws.String(l.TargetCatalogID), DatabaseName: aws.String(l.TargetDatabase), Name: aws.String(l.TargetTable)},
		}}, o.GlueClientOptions...)
		if err := ignoreExists(err); err != nil {
			return fmt.Errorf("lakeformation: creating table link %s.%s: %w", l.Database, l.Table, err)
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

// LinkGrants returns the grants a local principal needs to query through a link: DESCRIBE on
// the link itself, and perms on the shared target, which the consumer account must hold with
// grant option. For a database link, DESCRIBE and CREATE_TABLE go to the target database and
// the other perms (SELECT, INSERT, ...) to all tables of the target database.
func LinkGrants(l ResourceLink, p DataLakePrincipal, perms ...Permission) []Grant {
	out := []Grant{{Principal: p, Resource: l.Resource(), Permissions: []Permission{Describe}}}
	target := l.Target()
	if target.Kind != KindDatabase {
		if len(perms) > 0 {
			out = append(out, Grant{Principal: p, Resource: target, Permissions: perms})
		}
		return out
	}
	var onDatabase, onTables []Permission
	for _, perm := range perms {
		if perm == Describe || perm == CreateTable {
			onDatabase = append(onDatabase, perm)
		} else {
			onTables = append(onTables, perm)
		}
	}
	if len(onDatabase) > 0 {
		out = append(out, Grant{Principal: p, Resource: target, Permissions: onDatabase})
	}
	if len(onTables) > 0 {
		out = append(out, Grant{Principal: p, Resource: AllTables(l.TargetDatabase).InCatalog(l.TargetCatalogID), Permissions: onTables})
	}
	return out
}

// SetupInput is a whole consumer-side setup.
type SetupInput struct {
	// FromAccount is the producer (or central governance) account whose invitations to accept.
	FromAccount string
	// Links are the resource links to create.
	Links []ResourceLink
	// Principal receives LinkGrants on every link; empty means no grants.
	Principal DataLakePrincipal
	// Permissions are granted to Principal on every link target.
	Permissions []Permission
}

// Setup accepts the invitations, creates the links and converges the grants on them (no write
// call when they are already in place). The whole input is validated before any call.
func (c *Consumer) Setup(ctx context.Context, in SetupInput, optFns ...func(*ConsumerOptions)) error {
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
			grants = append(grants, LinkGrants(l, in.Principal, in.Permissions...)...)
		}
		if err := ValidateGrants(grants); err != nil {
			return err
		}
	}
	if _, err := c.AcceptInvitations(ctx, in.FromAccount, optFns...); err != nil {
		return err
	}
	if err := c.CreateResourceLinks(ctx, in.Links, optFns...); err != nil {
		return err
	}
	if len(grants) == 0 {
		return nil
	}
	o := c.options(optFns)
	pl := &Planner{client: c.perms, opts: PlannerOptions{GranterOptions: o.GranterOptions}}
	_, _, err := pl.Converge(ctx, PlanInput{Desired: grants})
	return err
}
