package lakeformation

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
)

// domainTagKey is the LF-tag key naming a data domain (line of business).
const domainTagKey = "LoB"

// AccessMode is how a data domain's products are shared from the central catalog.
type AccessMode string

// The access modes of the data mesh.
const (
	// NRAC shares products by named-resource grants to the domain account (through AWS RAM).
	NRAC AccessMode = "nrac"
	// TBAC shares products by LF-tag: the domain's database carries LoB=<domain>, and the
	// domain account holds grants on that tag expression.
	TBAC AccessMode = "tbac"
)

// Mesh registers data domains and data products in a central governance account, as the
// data mesh of the AWS Analytics Reference Architecture does: two central databases per
// domain (one shared by NRAC, one by LF-TBAC), the domain's LF-tag and tag-policy grants, and
// product tables on which the producer account holds ALL with grant option. Registration is
// idempotent: running it again makes no write call to Lake Formation for grants in place.
// Options.CatalogID is the central catalog (empty means the caller's account); the Logger, if
// set, also receives a debug line per registration.
type Mesh struct {
	lf      MeshAPIClient
	catalog GlueCatalogAPIClient
	opts    Options
}

// NewMesh returns a Mesh calling the central account's Lake Formation and Glue Data Catalog.
func NewMesh(lf MeshAPIClient, catalog GlueCatalogAPIClient, optFns ...func(*Options)) *Mesh {
	return &Mesh{lf: lf, catalog: catalog, opts: configure(Options{}, optFns)}
}

// options returns the mesh's options with optFns applied to a copy.
func (m *Mesh) options(optFns []func(*Options)) Options {
	return configure(m.opts, optFns)
}

// Domain is a data domain: a producer or consumer account.
type Domain struct {
	// AccountID is the domain's 12-digit account.
	AccountID string
	// Name is the domain name, the value of its LoB LF-tag (e.g. "sales").
	Name string
	// Location is the S3 URI of the domain's data (s3://bucket/prefix); optional.
	Location string
}

// domainDatabase returns the central database of a domain in a mode:
// "nrac-data-domain-<account>" or "tbac-data-domain-<account>".
func domainDatabase(mode AccessMode, accountID string) string {
	return string(mode) + "-data-domain-" + accountID
}

// domainGrants returns the grants the domain account receives for LF-TBAC: ASSOCIATE and
// DESCRIBE on its LoB tag value, ALL on tables and CREATE_TABLE and DESCRIBE on databases
// tagged with it, all with grant option.
func domainGrants(o Options, d Domain) []Grant {
	cat := o.CatalogID
	expr := []Tag{{Key: domainTagKey, Values: []string{d.Name}}}
	acct := DataLakePrincipal(d.AccountID)
	tagPerms := []types.Permission{types.PermissionAssociate, types.PermissionDescribe}
	dbPerms := []types.Permission{types.PermissionCreateTable, types.PermissionDescribe}
	return []Grant{
		{Principal: acct, Resource: LFTag(domainTagKey, d.Name).InCatalog(cat), Permissions: tagPerms, GrantOption: tagPerms},
		{Principal: acct, Resource: TagPolicy(types.ResourceTypeTable, expr...).InCatalog(cat), Permissions: []types.Permission{types.PermissionAll}, GrantOption: []types.Permission{types.PermissionAll}},
		{Principal: acct, Resource: TagPolicy(types.ResourceTypeDatabase, expr...).InCatalog(cat), Permissions: dbPerms, GrantOption: dbPerms},
	}
}

func (d Domain) validate() error {
	switch {
	case !datablocks.IsAccountID(d.AccountID):
		return fmt.Errorf("lakeformation: Domain.AccountID %q must be a 12-digit account ID", d.AccountID)
	case d.Name == "":
		return fmt.Errorf("lakeformation: Domain.Name is required")
	}
	return nil
}

// RegisterDomain creates the domain's central databases, "nrac-data-domain-<account>" and
// "tbac-data-domain-<account>" (with data_owner and data_owner_name parameters, and no
// IAM_ALLOWED_PRINCIPALS default for the tables created in them), makes sure the LF-tag "LoB"
// has the domain's value, tags the TBAC database with it, and converges the domain's tag
// grants: ASSOCIATE and DESCRIBE on its LoB value, ALL on tables and CREATE_TABLE and
// DESCRIBE on databases tagged with it, all with grant option, to the domain account. LF-tag sharing across accounts has needed the central account's
// CROSS_ACCOUNT_VERSION at 4 in practice (Settings.SetCrossAccountVersion); a grant on
// the database itself from the account's CreateDatabaseDefaultPermissions is left to
// Planner.RevokeIAMAllowedPrincipals.
func (m *Mesh) RegisterDomain(ctx context.Context, d Domain, optFns ...func(*Options)) error {
	if err := d.validate(); err != nil {
		return err
	}
	o := m.options(optFns)
	params := map[string]string{glue.ParamDataOwner: d.AccountID, glue.ParamDataOwnerName: d.Name}
	for _, mode := range []AccessMode{NRAC, TBAC} {
		if err := ensureDatabase(ctx, m.catalog, domainDatabase(mode, d.AccountID), params, d.Location, o.GlueClientOptions); err != nil {
			return err
		}
	}
	tags := &Tags{client: m.lf, opts: Options{CatalogID: o.CatalogID, Logger: o.Logger, ClientOptions: o.ClientOptions}}
	if _, err := tags.Ensure(ctx, Tag{Key: domainTagKey, Values: []string{d.Name}}); err != nil {
		return err
	}
	tbac := Database(domainDatabase(TBAC, d.AccountID)).InCatalog(o.CatalogID)
	if err := tags.Assign(ctx, tbac, []Tag{{Key: domainTagKey, Values: []string{d.Name}}}); err != nil {
		return err
	}
	pl := &Planner{client: m.lf, opts: o}
	if _, _, err := pl.Converge(ctx, PlanInput{Desired: domainGrants(o, d)}); err != nil {
		return err
	}
	if o.Logger != nil {
		o.Logger.Debug("registered data domain", "account", d.AccountID, "domain", d.Name)
	}
	return nil
}

// Product is a data product: a table of a domain registered in the central catalog.
type Product struct {
	// DomainAccountID is the producer domain's account.
	DomainAccountID string
	// Mode selects the central database: NRAC or TBAC.
	Mode AccessMode
	// Table is the product table's name.
	Table string
	// Location is the S3 URI of the table's data; optional (the producer's crawler fills the
	// schema later).
	Location string
	// Columns is the schema, if known.
	Columns []gluetypes.Column
}

// RegisterProduct creates the product table in the domain's central database of its mode
// ("nrac-data-domain-<account>" or "tbac-data-domain-<account>") if it does not
// exist and, for NRAC, converges the producer account's grant of ALL with grant option on it.
// With TBAC the table inherits the database's LoB tag, so the domain's tag grants cover it.
func (m *Mesh) RegisterProduct(ctx context.Context, p Product, optFns ...func(*Options)) error {
	switch {
	case !datablocks.IsAccountID(p.DomainAccountID):
		return fmt.Errorf("lakeformation: Product.DomainAccountID %q must be a 12-digit account ID", p.DomainAccountID)
	case p.Mode != NRAC && p.Mode != TBAC:
		return fmt.Errorf("lakeformation: Product.Mode %q must be nrac or tbac", p.Mode)
	case p.Table == "":
		return fmt.Errorf("lakeformation: Product.Table is required")
	}
	o := m.options(optFns)
	db := domainDatabase(p.Mode, p.DomainAccountID)
	ti := &gluetypes.TableInput{Name: aws.String(p.Table), TableType: aws.String("EXTERNAL_TABLE"),
		StorageDescriptor: &gluetypes.StorageDescriptor{Columns: slices.Clone(p.Columns)}}
	if p.Location != "" {
		ti.StorageDescriptor.Location = aws.String(p.Location)
	}
	_, err := m.catalog.CreateTable(ctx, &awsglue.CreateTableInput{CatalogId: optString(o.CatalogID), DatabaseName: aws.String(db), TableInput: ti}, o.GlueClientOptions...)
	if err := ignoreExists(err); err != nil {
		return fmt.Errorf("lakeformation: CreateTable %s.%s: %w", db, p.Table, err)
	}
	if p.Mode == NRAC {
		pl := &Planner{client: m.lf, opts: o}
		if _, _, err := pl.Converge(ctx, PlanInput{Desired: []Grant{{Principal: DataLakePrincipal(p.DomainAccountID),
			Resource: Table(db, p.Table).InCatalog(o.CatalogID), Permissions: []types.Permission{types.PermissionAll}, GrantOption: []types.Permission{types.PermissionAll}}}}); err != nil {
			return err
		}
	}
	if o.Logger != nil {
		o.Logger.Debug("registered data product", "database", db, "table", p.Table)
	}
	return nil
}
