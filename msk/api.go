package msk

import (
	"context"

	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/segmentio/kafka-go"
)

// BrokersAPIClient is the part of the MSK control-plane client (*kafka.Client of
// github.com/aws/aws-sdk-go-v2/service/kafka) that broker discovery calls.
type BrokersAPIClient interface {
	DescribeClusterV2(ctx context.Context, params *awskafka.DescribeClusterV2Input, optFns ...func(*awskafka.Options)) (*awskafka.DescribeClusterV2Output, error)
	GetBootstrapBrokers(ctx context.Context, params *awskafka.GetBootstrapBrokersInput, optFns ...func(*awskafka.Options)) (*awskafka.GetBootstrapBrokersOutput, error)
}

// ClusterPolicyAPIClient is the part of the MSK control-plane client that cluster resource
// policy grants call.
type ClusterPolicyAPIClient interface {
	DescribeClusterV2(ctx context.Context, params *awskafka.DescribeClusterV2Input, optFns ...func(*awskafka.Options)) (*awskafka.DescribeClusterV2Output, error)
	GetClusterPolicy(ctx context.Context, params *awskafka.GetClusterPolicyInput, optFns ...func(*awskafka.Options)) (*awskafka.GetClusterPolicyOutput, error)
	PutClusterPolicy(ctx context.Context, params *awskafka.PutClusterPolicyInput, optFns ...func(*awskafka.Options)) (*awskafka.PutClusterPolicyOutput, error)
	DeleteClusterPolicy(ctx context.Context, params *awskafka.DeleteClusterPolicyInput, optFns ...func(*awskafka.Options)) (*awskafka.DeleteClusterPolicyOutput, error)
}

// ParameterAPIClient is the part of the SSM client (*ssm.Client) that reads a broker list
// stored in a parameter.
type ParameterAPIClient interface {
	GetParameter(ctx context.Context, params *ssm.GetParameterInput, optFns ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
}

// TopicsAPIClient is the part of the kafka-go admin client (*kafka.Client of
// github.com/segmentio/kafka-go) that topic administration calls. Configure the client's Addr
// and Transport (with SASL and TLS for MSK); requests leave Addr unset so the client's is used.
type TopicsAPIClient interface {
	Metadata(ctx context.Context, req *kafka.MetadataRequest) (*kafka.MetadataResponse, error)
	CreateTopics(ctx context.Context, req *kafka.CreateTopicsRequest) (*kafka.CreateTopicsResponse, error)
	DeleteTopics(ctx context.Context, req *kafka.DeleteTopicsRequest) (*kafka.DeleteTopicsResponse, error)
	DescribeConfigs(ctx context.Context, req *kafka.DescribeConfigsRequest) (*kafka.DescribeConfigsResponse, error)
	IncrementalAlterConfigs(ctx context.Context, req *kafka.IncrementalAlterConfigsRequest) (*kafka.IncrementalAlterConfigsResponse, error)
	CreatePartitions(ctx context.Context, req *kafka.CreatePartitionsRequest) (*kafka.CreatePartitionsResponse, error)
}

// ACLsAPIClient is the part of the kafka-go admin client (*kafka.Client) that ACL
// administration calls.
type ACLsAPIClient interface {
	CreateACLs(ctx context.Context, req *kafka.CreateACLsRequest) (*kafka.CreateACLsResponse, error)
	DescribeACLs(ctx context.Context, req *kafka.DescribeACLsRequest) (*kafka.DescribeACLsResponse, error)
	DeleteACLs(ctx context.Context, req *kafka.DeleteACLsRequest) (*kafka.DeleteACLsResponse, error)
}

var (
	_ BrokersAPIClient       = (*awskafka.Client)(nil)
	_ ClusterPolicyAPIClient = (*awskafka.Client)(nil)
	_ ParameterAPIClient     = (*ssm.Client)(nil)
	_ TopicsAPIClient        = (*kafka.Client)(nil)
	_ ACLsAPIClient          = (*kafka.Client)(nil)
)

// SecretAPIClient is the part of the Secrets Manager client (*secretsmanager.Client) that
// NewSCRAMMechanism calls.
type SecretAPIClient interface {
	GetSecretValue(ctx context.Context, params *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

var _ SecretAPIClient = (*secretsmanager.Client)(nil)
