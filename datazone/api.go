package datazone

import (
	"context"

	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// AssetTypesAPIClient is the part of the DataZone client (*datazone.Client) that AssetTypes
// calls.
type AssetTypesAPIClient interface {
	CreateFormType(ctx context.Context, params *awsdz.CreateFormTypeInput, optFns ...func(*awsdz.Options)) (*awsdz.CreateFormTypeOutput, error)
	GetFormType(ctx context.Context, params *awsdz.GetFormTypeInput, optFns ...func(*awsdz.Options)) (*awsdz.GetFormTypeOutput, error)
	DeleteFormType(ctx context.Context, params *awsdz.DeleteFormTypeInput, optFns ...func(*awsdz.Options)) (*awsdz.DeleteFormTypeOutput, error)
	CreateAssetType(ctx context.Context, params *awsdz.CreateAssetTypeInput, optFns ...func(*awsdz.Options)) (*awsdz.CreateAssetTypeOutput, error)
	GetAssetType(ctx context.Context, params *awsdz.GetAssetTypeInput, optFns ...func(*awsdz.Options)) (*awsdz.GetAssetTypeOutput, error)
	DeleteAssetType(ctx context.Context, params *awsdz.DeleteAssetTypeInput, optFns ...func(*awsdz.Options)) (*awsdz.DeleteAssetTypeOutput, error)
}

// AssetsAPIClient is the part of the DataZone client that TopicSync calls.
type AssetsAPIClient interface {
	CreateAsset(ctx context.Context, params *awsdz.CreateAssetInput, optFns ...func(*awsdz.Options)) (*awsdz.CreateAssetOutput, error)
	GetAsset(ctx context.Context, params *awsdz.GetAssetInput, optFns ...func(*awsdz.Options)) (*awsdz.GetAssetOutput, error)
	CreateAssetRevision(ctx context.Context, params *awsdz.CreateAssetRevisionInput, optFns ...func(*awsdz.Options)) (*awsdz.CreateAssetRevisionOutput, error)
	DeleteAsset(ctx context.Context, params *awsdz.DeleteAssetInput, optFns ...func(*awsdz.Options)) (*awsdz.DeleteAssetOutput, error)
}

// GrantsAPIClient is the part of the DataZone client that Authorizer calls.
type GrantsAPIClient interface {
	GetSubscriptionGrant(ctx context.Context, params *awsdz.GetSubscriptionGrantInput, optFns ...func(*awsdz.Options)) (*awsdz.GetSubscriptionGrantOutput, error)
	GetListing(ctx context.Context, params *awsdz.GetListingInput, optFns ...func(*awsdz.Options)) (*awsdz.GetListingOutput, error)
	GetEnvironment(ctx context.Context, params *awsdz.GetEnvironmentInput, optFns ...func(*awsdz.Options)) (*awsdz.GetEnvironmentOutput, error)
	GetSubscriptionTarget(ctx context.Context, params *awsdz.GetSubscriptionTargetInput, optFns ...func(*awsdz.Options)) (*awsdz.GetSubscriptionTargetOutput, error)
	UpdateSubscriptionGrantStatus(ctx context.Context, params *awsdz.UpdateSubscriptionGrantStatusInput, optFns ...func(*awsdz.Options)) (*awsdz.UpdateSubscriptionGrantStatusOutput, error)
}

// SubscriptionTargetsAPIClient is the part of the DataZone client that SubscriptionTargets
// calls.
type SubscriptionTargetsAPIClient interface {
	awsdz.ListSubscriptionTargetsAPIClient
	CreateSubscriptionTarget(ctx context.Context, params *awsdz.CreateSubscriptionTargetInput, optFns ...func(*awsdz.Options)) (*awsdz.CreateSubscriptionTargetOutput, error)
	UpdateSubscriptionTarget(ctx context.Context, params *awsdz.UpdateSubscriptionTargetInput, optFns ...func(*awsdz.Options)) (*awsdz.UpdateSubscriptionTargetOutput, error)
}

// RolePolicyAPIClient is the part of the IAM client (*iam.Client) that MSKTopicGranter calls
// for consumer roles' inline policies.
type RolePolicyAPIClient interface {
	iam.ListRolePoliciesAPIClient
	GetRolePolicy(ctx context.Context, params *iam.GetRolePolicyInput, optFns ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
	PutRolePolicy(ctx context.Context, params *iam.PutRolePolicyInput, optFns ...func(*iam.Options)) (*iam.PutRolePolicyOutput, error)
	DeleteRolePolicy(ctx context.Context, params *iam.DeleteRolePolicyInput, optFns ...func(*iam.Options)) (*iam.DeleteRolePolicyOutput, error)
}

// ParametersAPIClient is the part of the SSM client (*ssm.Client) that SSMAssetIndex calls.
type ParametersAPIClient interface {
	ssm.GetParametersByPathAPIClient
	PutParameter(ctx context.Context, params *ssm.PutParameterInput, optFns ...func(*ssm.Options)) (*ssm.PutParameterOutput, error)
	DeleteParameter(ctx context.Context, params *ssm.DeleteParameterInput, optFns ...func(*ssm.Options)) (*ssm.DeleteParameterOutput, error)
}

var (
	_ AssetTypesAPIClient          = (*awsdz.Client)(nil)
	_ AssetsAPIClient              = (*awsdz.Client)(nil)
	_ GrantsAPIClient              = (*awsdz.Client)(nil)
	_ SubscriptionTargetsAPIClient = (*awsdz.Client)(nil)
	_ RolePolicyAPIClient          = (*iam.Client)(nil)
	_ ParametersAPIClient          = (*ssm.Client)(nil)
)
