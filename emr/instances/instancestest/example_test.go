package instancestest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/emr/instances"
	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
)

// The fake pages DescribeInstanceTypes, answers GetInstanceTypesFromInstanceRequirements by
// evaluating the requirements, and returns EC2's error codes.
func ExampleNew() {
	ctx := context.Background()
	f := instancestest.New(func(o *instancestest.Options) { o.PageSize = 10 })
	cat, err := instances.LoadCatalog(ctx, f)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(cat.Names()), f.Count(instancestest.OpDescribeInstanceTypes)) // 23 types in pages of 10

	f.FailNext(instancestest.OpDescribeInstanceTypes, &smithy.GenericAPIError{Code: "UnauthorizedOperation", Message: "not authorized"})
	_, err = instances.LoadCatalog(ctx, f)
	var ae smithy.APIError
	fmt.Println(errors.As(err, &ae) && ae.ErrorCode() == "UnauthorizedOperation")

	_, err = f.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{
		Filters: []types.Filter{{Name: aws.String("hypervisor"), Values: []string{"nitro"}}},
	})
	fmt.Println(errors.As(err, &ae), ae.ErrorCode())
	// Output:
	// 23 3
	// true
	// true InvalidParameterValue
}
