package glue

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// CatalogReader lists and reads Data Catalog databases and tables, following every page, and
// answers governance questions about them. It is safe for concurrent use.
type CatalogReader struct {
	client CatalogReaderAPIClient
	opts   Options
}

// NewCatalogReader returns a CatalogReader over client. Of the options, it uses CatalogID,
// Logger and ClientOptions.
func NewCatalogReader(client CatalogReaderAPIClient, optFns ...func(*Options)) *CatalogReader {
	return &CatalogReader{client: client, opts: configure(Options{}, optFns)}
}

func (r *CatalogReader) options(optFns []func(*Options)) (Options, error) {
	o := configure(r.opts, optFns)
	return o, o.validateCatalogID()
}

func catalogIDPtr(id string) *string {
	if id == "" {
		return nil
	}
	return aws.String(id)
}

// Databases returns every database of the catalog, all pages included.
func (r *CatalogReader) Databases(ctx context.Context, optFns ...func(*Options)) ([]types.Database, error) {
	o, err := r.options(optFns)
	if err != nil {
		return nil, err
	}
	var out []types.Database
	p := awsglue.NewGetDatabasesPaginator(r.client, &awsglue.GetDatabasesInput{CatalogId: catalogIDPtr(o.CatalogID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("glue: list databases: %w", err)
		}
		out = append(out, page.DatabaseList...)
	}
	debug(o.Logger, "listed databases", "count", len(out))
	return out, nil
}

// Tables returns every table of a database, all pages included.
func (r *CatalogReader) Tables(ctx context.Context, database string, optFns ...func(*Options)) ([]types.Table, error) {
	if err := checkName("database", database); err != nil {
		return nil, fmt.Errorf("glue: %w", err)
	}
	o, err := r.options(optFns)
	if err != nil {
		return nil, err
	}
	var out []types.Table
	p := awsglue.NewGetTablesPaginator(r.client, &awsglue.GetTablesInput{CatalogId: catalogIDPtr(o.CatalogID), DatabaseName: aws.String(strings.ToLower(database))})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("glue: list tables of %s: %w", database, err)
		}
		out = append(out, page.TableList...)
	}
	debug(o.Logger, "listed tables", "database", database, "count", len(out))
	return out, nil
}

// DatabaseGovernance reads the governance parameters of a database.
func (r *CatalogReader) DatabaseGovernance(ctx context.Context, database string, optFns ...func(*Options)) (Governance, error) {
	if err := checkName("database", database); err != nil {
		return Governance{}, fmt.Errorf("glue: %w", err)
	}
	o, err := r.options(optFns)
	if err != nil {
		return Governance{}, err
	}
	got, err := r.client.GetDatabase(ctx, &awsglue.GetDatabaseInput{CatalogId: catalogIDPtr(o.CatalogID), Name: aws.String(database)}, o.ClientOptions...)
	if err != nil {
		return Governance{}, fmt.Errorf("glue: get database %s: %w", database, err)
	}
	g, err := parseGovernance(got.Database.Parameters)
	if err != nil {
		return g, fmt.Errorf("glue: database %s: %w", database, err)
	}
	return g, nil
}

// TablePII reads a table and its database and returns, sorted, the data and partition columns
// that carry personally identifiable information: every column when the database or the table
// itself has pii_flag "true" (PII marks the whole of it), otherwise the columns whose pii_flag
// is "true". It returns nil when no column does; a malformed flag is an error.
func (r *CatalogReader) TablePII(ctx context.Context, database, table string, optFns ...func(*Options)) ([]string, error) {
	if err := checkName("database", database); err != nil {
		return nil, fmt.Errorf("glue: %w", err)
	}
	if err := checkName("table", table); err != nil {
		return nil, fmt.Errorf("glue: %w", err)
	}
	o, err := r.options(optFns)
	if err != nil {
		return nil, err
	}
	db, err := r.client.GetDatabase(ctx, &awsglue.GetDatabaseInput{CatalogId: catalogIDPtr(o.CatalogID), Name: aws.String(database)}, o.ClientOptions...)
	if err != nil {
		return nil, fmt.Errorf("glue: get database %s: %w", database, err)
	}
	t, err := r.client.GetTable(ctx, &awsglue.GetTableInput{CatalogId: catalogIDPtr(o.CatalogID), DatabaseName: aws.String(database), Name: aws.String(table)}, o.ClientOptions...)
	if err != nil {
		return nil, fmt.Errorf("glue: get table %s.%s: %w", database, table, err)
	}
	return tablePII(db.Database, t.Table)
}
