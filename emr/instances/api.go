package instances

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// CatalogAPIClient is the EC2 API [LoadCatalog] calls: DescribeInstanceTypes, paginated.
type CatalogAPIClient interface {
	DescribeInstanceTypes(context.Context, *ec2.DescribeInstanceTypesInput, ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error)
}

// RemoteSelectorAPIClient is the EC2 API [RemoteSelector] calls:
// GetInstanceTypesFromInstanceRequirements, paginated.
type RemoteSelectorAPIClient interface {
	GetInstanceTypesFromInstanceRequirements(context.Context, *ec2.GetInstanceTypesFromInstanceRequirementsInput, ...func(*ec2.Options)) (*ec2.GetInstanceTypesFromInstanceRequirementsOutput, error)
}

var (
	_ CatalogAPIClient        = (*ec2.Client)(nil)
	_ RemoteSelectorAPIClient = (*ec2.Client)(nil)
)
