package lakeformation

import (
	"context"

	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// PermissionsAPIClient is the Lake Formation client the Planner calls.
type PermissionsAPIClient interface {
	BatchGrantPermissions(ctx context.Context, params *awslf.BatchGrantPermissionsInput, optFns ...func(*awslf.Options)) (*awslf.BatchGrantPermissionsOutput, error)
	BatchRevokePermissions(ctx context.Context, params *awslf.BatchRevokePermissionsInput, optFns ...func(*awslf.Options)) (*awslf.BatchRevokePermissionsOutput, error)
	awslf.ListPermissionsAPIClient
}

// SettingsAPIClient is the Lake Formation client Settings calls.
type SettingsAPIClient interface {
	GetDataLakeSettings(ctx context.Context, params *awslf.GetDataLakeSettingsInput, optFns ...func(*awslf.Options)) (*awslf.GetDataLakeSettingsOutput, error)
	PutDataLakeSettings(ctx context.Context, params *awslf.PutDataLakeSettingsInput, optFns ...func(*awslf.Options)) (*awslf.PutDataLakeSettingsOutput, error)
	RegisterResource(ctx context.Context, params *awslf.RegisterResourceInput, optFns ...func(*awslf.Options)) (*awslf.RegisterResourceOutput, error)
	DescribeResource(ctx context.Context, params *awslf.DescribeResourceInput, optFns ...func(*awslf.Options)) (*awslf.DescribeResourceOutput, error)
}

// LFTagsAPIClient is the Lake Formation client Tags calls.
type LFTagsAPIClient interface {
	GetLFTag(ctx context.Context, params *awslf.GetLFTagInput, optFns ...func(*awslf.Options)) (*awslf.GetLFTagOutput, error)
	CreateLFTag(ctx context.Context, params *awslf.CreateLFTagInput, optFns ...func(*awslf.Options)) (*awslf.CreateLFTagOutput, error)
	UpdateLFTag(ctx context.Context, params *awslf.UpdateLFTagInput, optFns ...func(*awslf.Options)) (*awslf.UpdateLFTagOutput, error)
	AddLFTagsToResource(ctx context.Context, params *awslf.AddLFTagsToResourceInput, optFns ...func(*awslf.Options)) (*awslf.AddLFTagsToResourceOutput, error)
	GetResourceLFTags(ctx context.Context, params *awslf.GetResourceLFTagsInput, optFns ...func(*awslf.Options)) (*awslf.GetResourceLFTagsOutput, error)
	awslf.SearchDatabasesByLFTagsAPIClient
	awslf.SearchTablesByLFTagsAPIClient
}

// MeshAPIClient is the Lake Formation client Mesh calls: grants and LF-tags.
type MeshAPIClient interface {
	PermissionsAPIClient
	LFTagsAPIClient
}

// GlueCatalogAPIClient is the Glue Data Catalog client the sharing workflow, the consumer and the
// mesh call: reading governance parameters and creating databases, tables and resource links.
type GlueCatalogAPIClient interface {
	GetDatabase(ctx context.Context, params *awsglue.GetDatabaseInput, optFns ...func(*awsglue.Options)) (*awsglue.GetDatabaseOutput, error)
	GetTable(ctx context.Context, params *awsglue.GetTableInput, optFns ...func(*awsglue.Options)) (*awsglue.GetTableOutput, error)
	awsglue.GetTablesAPIClient
	CreateDatabase(ctx context.Context, params *awsglue.CreateDatabaseInput, optFns ...func(*awsglue.Options)) (*awsglue.CreateDatabaseOutput, error)
	CreateTable(ctx context.Context, params *awsglue.CreateTableInput, optFns ...func(*awsglue.Options)) (*awsglue.CreateTableOutput, error)
}

// InvitationsAPIClient is the AWS RAM client the Consumer calls.
type InvitationsAPIClient interface {
	ram.GetResourceShareInvitationsAPIClient
	AcceptResourceShareInvitation(ctx context.Context, params *ram.AcceptResourceShareInvitationInput, optFns ...func(*ram.Options)) (*ram.AcceptResourceShareInvitationOutput, error)
}

// PublishAPIClient is the Amazon SNS client the SNSNotifier calls.
type PublishAPIClient interface {
	Publish(ctx context.Context, params *sns.PublishInput, optFns ...func(*sns.Options)) (*sns.PublishOutput, error)
}

var (
	_ PermissionsAPIClient = (*awslf.Client)(nil)
	_ SettingsAPIClient    = (*awslf.Client)(nil)
	_ LFTagsAPIClient      = (*awslf.Client)(nil)
	_ MeshAPIClient        = (*awslf.Client)(nil)
	_ GlueCatalogAPIClient = (*awsglue.Client)(nil)
	_ InvitationsAPIClient = (*ram.Client)(nil)
	_ PublishAPIClient     = (*sns.Client)(nil)
)
