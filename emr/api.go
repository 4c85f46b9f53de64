package emr

import (
	"context"

	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// StepRunnerAPIClient is the part of the EMR client (*emr.Client) that a StepRunner calls.
type StepRunnerAPIClient interface {
	AddJobFlowSteps(ctx context.Context, params *awsemr.AddJobFlowStepsInput, optFns ...func(*awsemr.Options)) (*awsemr.AddJobFlowStepsOutput, error)
	awsemr.ListStepsAPIClient
	CancelSteps(ctx context.Context, params *awsemr.CancelStepsInput, optFns ...func(*awsemr.Options)) (*awsemr.CancelStepsOutput, error)
	DescribeCluster(ctx context.Context, params *awsemr.DescribeClusterInput, optFns ...func(*awsemr.Options)) (*awsemr.DescribeClusterOutput, error)
}

// ServerlessAPIClient is the part of the EMR Serverless client (*emrserverless.Client) that a
// ServerlessRunner calls.
type ServerlessAPIClient interface {
	StartJobRun(ctx context.Context, params *emrserverless.StartJobRunInput, optFns ...func(*emrserverless.Options)) (*emrserverless.StartJobRunOutput, error)
	GetJobRun(ctx context.Context, params *emrserverless.GetJobRunInput, optFns ...func(*emrserverless.Options)) (*emrserverless.GetJobRunOutput, error)
	CancelJobRun(ctx context.Context, params *emrserverless.CancelJobRunInput, optFns ...func(*emrserverless.Options)) (*emrserverless.CancelJobRunOutput, error)
	StartApplication(ctx context.Context, params *emrserverless.StartApplicationInput, optFns ...func(*emrserverless.Options)) (*emrserverless.StartApplicationOutput, error)
	GetApplication(ctx context.Context, params *emrserverless.GetApplicationInput, optFns ...func(*emrserverless.Options)) (*emrserverless.GetApplicationOutput, error)
}

// ContainersAPIClient is the part of the EMR on EKS client (*emrcontainers.Client) that a
// ContainersRunner calls.
type ContainersAPIClient interface {
	StartJobRun(ctx context.Context, params *emrcontainers.StartJobRunInput, optFns ...func(*emrcontainers.Options)) (*emrcontainers.StartJobRunOutput, error)
	DescribeJobRun(ctx context.Context, params *emrcontainers.DescribeJobRunInput, optFns ...func(*emrcontainers.Options)) (*emrcontainers.DescribeJobRunOutput, error)
	CancelJobRun(ctx context.Context, params *emrcontainers.CancelJobRunInput, optFns ...func(*emrcontainers.Options)) (*emrcontainers.CancelJobRunOutput, error)
}

// UploadAPIClient is the part of the S3 client (*s3.Client) that a Shipper calls.
type UploadAPIClient interface {
	HeadObject(ctx context.Context, params *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	PutObject(ctx context.Context, params *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

var (
	_ StepRunnerAPIClient = (*awsemr.Client)(nil)
	_ ServerlessAPIClient = (*emrserverless.Client)(nil)
	_ ContainersAPIClient = (*emrcontainers.Client)(nil)
	_ UploadAPIClient     = (*s3.Client)(nil)
)
