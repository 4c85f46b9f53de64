package glue

import (
	"context"

	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
)

// CatalogAPIClient is the part of the Glue client that [Catalog] calls to create and update
// databases and tables. *awsglue.Client satisfies it, and so does gluetest.Fake.
type CatalogAPIClient interface {
	CreateDatabase(context.Context, *awsglue.CreateDatabaseInput, ...func(*awsglue.Options)) (*awsglue.CreateDatabaseOutput, error)
	GetDatabase(context.Context, *awsglue.GetDatabaseInput, ...func(*awsglue.Options)) (*awsglue.GetDatabaseOutput, error)
	UpdateDatabase(context.Context, *awsglue.UpdateDatabaseInput, ...func(*awsglue.Options)) (*awsglue.UpdateDatabaseOutput, error)
	CreateTable(context.Context, *awsglue.CreateTableInput, ...func(*awsglue.Options)) (*awsglue.CreateTableOutput, error)
	GetTable(context.Context, *awsglue.GetTableInput, ...func(*awsglue.Options)) (*awsglue.GetTableOutput, error)
	UpdateTable(context.Context, *awsglue.UpdateTableInput, ...func(*awsglue.Options)) (*awsglue.UpdateTableOutput, error)
}

// CatalogReaderAPIClient is the part of the Glue client that [CatalogReader] calls to read and
// list databases and tables, all pages included.
type CatalogReaderAPIClient interface {
	GetDatabase(context.Context, *awsglue.GetDatabaseInput, ...func(*awsglue.Options)) (*awsglue.GetDatabaseOutput, error)
	GetTable(context.Context, *awsglue.GetTableInput, ...func(*awsglue.Options)) (*awsglue.GetTableOutput, error)
	awsglue.GetDatabasesAPIClient
	awsglue.GetTablesAPIClient
}

// RegistryAPIClient is the part of the Glue client that [Registry] calls on the Schema
// Registry.
type RegistryAPIClient interface {
	awsglue.ListSchemasAPIClient
	GetSchema(context.Context, *awsglue.GetSchemaInput, ...func(*awsglue.Options)) (*awsglue.GetSchemaOutput, error)
	GetSchemaVersion(context.Context, *awsglue.GetSchemaVersionInput, ...func(*awsglue.Options)) (*awsglue.GetSchemaVersionOutput, error)
	CreateSchema(context.Context, *awsglue.CreateSchemaInput, ...func(*awsglue.Options)) (*awsglue.CreateSchemaOutput, error)
	UpdateSchema(context.Context, *awsglue.UpdateSchemaInput, ...func(*awsglue.Options)) (*awsglue.UpdateSchemaOutput, error)
	RegisterSchemaVersion(context.Context, *awsglue.RegisterSchemaVersionInput, ...func(*awsglue.Options)) (*awsglue.RegisterSchemaVersionOutput, error)
	CheckSchemaVersionValidity(context.Context, *awsglue.CheckSchemaVersionValidityInput, ...func(*awsglue.Options)) (*awsglue.CheckSchemaVersionValidityOutput, error)
}

// CrawlerAPIClient is the part of the Glue client that [CrawlerRunner] calls.
type CrawlerAPIClient interface {
	CreateCrawler(context.Context, *awsglue.CreateCrawlerInput, ...func(*awsglue.Options)) (*awsglue.CreateCrawlerOutput, error)
	StartCrawler(context.Context, *awsglue.StartCrawlerInput, ...func(*awsglue.Options)) (*awsglue.StartCrawlerOutput, error)
	GetCrawler(context.Context, *awsglue.GetCrawlerInput, ...func(*awsglue.Options)) (*awsglue.GetCrawlerOutput, error)
	StopCrawler(context.Context, *awsglue.StopCrawlerInput, ...func(*awsglue.Options)) (*awsglue.StopCrawlerOutput, error)
	DeleteCrawler(context.Context, *awsglue.DeleteCrawlerInput, ...func(*awsglue.Options)) (*awsglue.DeleteCrawlerOutput, error)
	awsglue.GetCrawlerMetricsAPIClient
}

// JobRunAPIClient is the part of the Glue client that [JobRunner] calls.
type JobRunAPIClient interface {
	StartJobRun(context.Context, *awsglue.StartJobRunInput, ...func(*awsglue.Options)) (*awsglue.StartJobRunOutput, error)
	GetJobRun(context.Context, *awsglue.GetJobRunInput, ...func(*awsglue.Options)) (*awsglue.GetJobRunOutput, error)
}

// WorkflowRunAPIClient is the part of the Glue client that [WorkflowRunner] calls.
type WorkflowRunAPIClient interface {
	StartWorkflowRun(context.Context, *awsglue.StartWorkflowRunInput, ...func(*awsglue.Options)) (*awsglue.StartWorkflowRunOutput, error)
	GetWorkflowRun(context.Context, *awsglue.GetWorkflowRunInput, ...func(*awsglue.Options)) (*awsglue.GetWorkflowRunOutput, error)
}

var (
	_ CatalogAPIClient       = (*awsglue.Client)(nil)
	_ CatalogReaderAPIClient = (*awsglue.Client)(nil)
	_ RegistryAPIClient      = (*awsglue.Client)(nil)
	_ CrawlerAPIClient       = (*awsglue.Client)(nil)
	_ JobRunAPIClient        = (*awsglue.Client)(nil)
	_ WorkflowRunAPIClient   = (*awsglue.Client)(nil)
)
