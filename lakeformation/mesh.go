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
)

// DefaultDomainTagKey is the LF-tag key naming a data domain (line of business).
const DefaultDomainTagKey = "LoB"

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

// MeshOptions configures a Mesh. The zero value is usable.
type MeshOptions struct {
	// GranterOptions configure the grants; CatalogID is the central catalog (empty means the
	// caller's account).
	GranterOptions
	// DomainTagKey is the LF-tag key of domains, overriding DefaultDomainTagKey ("LoB").
	DomainTagKey string
	// GlueClientOptions are passed to every Glue call.
	GlueClientOptions []func(*awsglue.Options)
}

// Mesh registers data domains and data products in a central governance account, as the
// data mesh of the AWS Analytics Reference Architecture does: two central databases per
// domain (one shared by NRAC, one by LF-TBAC), the domain's LF-tag and tag-policy grants, and
// product tables on which the producer account holds ALL with grant option. Registration is
// idempotent: running it again makes no write call to Lake Formation for grants in place.
type Mesh struct {
	lf      MeshAPIClient
	catalog CatalogAPIClient
	opts    MeshOptions
}

// NewMesh returns a Mesh calling the central account's Lake Formation and Glue Data Catalog.
func NewMesh(lf MeshAPIClient, catalog CatalogAPIClient, optFns ...func(*MeshOptions)) *Mesh {
	var o MeshOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if o.DomainTagKey == "" {
		o.DomainTagKey = DefaultDomainTagKey
	}
	return &Mesh{lf: lf, catalog: catalog, opts: o}
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

// DomainDatabase returns the central database of a domain in a mode:
// "nrac-data-domain-<account>" or "tbac-data-domain-<account>".
func DomainDatabase(mode AccessMode, accountID string) string {
	return string(mode) + "-data-domain-" + accountID
}

// DomainGrants returns the grants the domain account receives for LF-TBAC: ASSOCIATE and
// DESCRIBE on its LoB tag value, ALL on tables and CREATE_TABLE and DESCRIBE on databases
// tagged with it, all with grant option.
func (m *Mesh) DomainGrants(d Domain) []Grant {
	cat := m.opts.CatalogID
	expr := []Tag{{Key: m.opts.DomainTagKey, Values: []string{d.Name}}}
	acct := Account(d.AccountID)
	tagPerms := []Permission{Associate, Describe}
	dbPerms := []Permission{CreateTable, Describe}
	return []Grant{
		{Principal: acct, Resource: LFTag(m.opts.DomainTagKey, d.Name).InCatalog(cat), Permissions: tagPerms, GrantOption: tagPerms},
		{Principal: acct, Resource: TagPolicy(types.ResourceTypeTable, expr...).InCatalog(cat), Permissions: []Permission{All}, GrantOption: []Permission{All}},
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

// RegisterDomain creates the domain's central databases (with data_owner and data_owner_name
// parameters, and no IAM_ALLOWED_PRINCIPALS default for the tables created in them), makes
// sure the LoB tag has the domain's value, tags the TBAC database with it, and converges the
// domain's tag grants. LF-tag sharing across accounts has needed the central account's
// CROSS_ACCOUNT_VERSION at 4 in practice (Settings.SetCrossAccountVersion); a grant on
// the database itself from the account's CreateDatabaseDefaultPermissions is left to
// Planner.RevokeIAMAllowedPrincipals.
func (m *Mesh) RegisterDomain(ctx context.Context, d Domain) error {
	if err := d.validate(); err != nil {
		return err
	}
	params := map[string]string{DataOwnerParameter: d.AccountID, DataOwnerNameParameter: d.Name}
	for _, mode := range []AccessMode{NRAC, TBAC} {
		if err := ensureDatabase(ctx, m.catalog, DomainDatabase(mode, d.AccountID), params, d.Location, m.opts.GlueClientOptions); err != nil {
			return err
		}
	}
	tags := &Tags{client: m.lf, opts: TagsOptions{CatalogID: m.opts.CatalogID, ClientOptions: m.opts.ClientOptions}}
	if _, err := tags.Ensure(ctx, Tag{Key: m.opts.DomainTagKey, Values: []string{d.Name}}); err != nil {
		return err
	}
	tbac := Database(DomainDatabase(TBAC, d.AccountID)).InCatalog(m.opts.CatalogID)
	if err := tags.Assign(ctx, tbac, []Tag{{Key: m.opts.DomainTagKey, Values: []string{d.Name}}}); err != nil {
		return err
	}
	pl := &Planner{client: m.lf, opts: PlannerOptions{GranterOptions: m.opts.GranterOptions}}
	_, _, err := pl.Converge(ctx, PlanInput{Desired: m.DomainGrants(d)})
	return err
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

// RegisterProduct creates the product table in the domain's central database if it does not
// exist and, for NRAC, converges the producer account's grant of ALL with grant option on it.
// With TBAC the table inherits the database's LoB tag, so the domain's tag grants cover it.
func (m *Mesh) RegisterProduct(ctx context.Context, p Product) error {
	switch {
	case !datablocks.IsAccountID(p.DomainAccountID):
		return fmt.Errorf("lakeformation: Product.DomainAccountID %q must be a 12-digit account ID", p.DomainAccountID)
	case p.Mode != NRAC && p.Mode != TBAC:
		return fmt.Errorf("lakeformation: Product.Mode %q must be nrac or tbac", p.Mode)
	case p.Table == "":
		return fmt.Errorf("lakeformation: Product.Table is required")
	}
	db := DomainDatabase(p.Mode, p.DomainAccountID)
	ti := &gluetypes.TableInput{Name: aws.String(p.Table), TableType: aws.String("EXTERNAL_TABLE"),
		StorageDescriptor: &gluetypes.StorageDescriptor{Columns: slices.Clone(p.Columns)}}
	if p.Location != "" {
		ti.StorageDescriptor.Location = aws.String(p.Location)
	}
	_, err := m.catalog.CreateTable(ctx, &awsglue.CreateTableInput{CatalogId: optString(m.opts.CatalogID), DatabaseName: aws.String(db), TableInput: ti}, m.opts.GlueClientOptions...)
	if err := ignoreExists(err); err != nil {
		return fmt.Errorf("lakeformation: CreateTable %s.%s: %w", db, p.Table, err)
	}
	if p.Mode == TBAC {
		return nil
	}
	pl := &Planner{client: m.lf, opts: PlannerOptions{GranterOptions: m.opts.GranterOptions}}
	_, _, err = pl.Converge(ctx, PlanInput{Desired: []Grant{{Principal: Account(p.DomainAccountID),
		Resource: Table(db, p.Table).InCatalog(m.opts.CatalogID), Permissions: []Permission{All}, GrantOption: []Permission{All}}}})
	return err
}
