package fakecontrol_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"

	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// Every fake embeds *Controls, so a test injects faults and reads the call log the same way
// on each: here the EMR fake answers one DescribeCluster with an internal error, then two
// throttles, then for real.
func ExampleControls_FailNext() {
	fake := emrtest.NewEMR()
	cluster := fake.AddCluster(emrtest.ClusterConfig{})
	ctx := context.Background()
	in := &emr.DescribeClusterInput{ClusterId: aws.String(cluster)}

	fake.FailNext(emrtest.OpDescribeCluster, &types.InternalServerError{Message: aws.String("boom")})
	fake.ThrottleNext(emrtest.OpDescribeCluster, 2)
	for range 4 {
		_, err := fake.DescribeCluster(ctx, in)
		var ise *types.InternalServerError
		switch {
		case errors.As(err, &ise):
			fmt.Println("internal error")
		case err != nil:
			fmt.Println("throttled")
		default:
			fmt.Println("ok")
		}
	}
	var log []fakecontrol.Call = fake.Calls()
	fmt.Println(fake.Count(emrtest.OpDescribeCluster), "calls logged; the first failed:", log[0].Err != nil)
	// Output:
	// internal error
	// throttled
	// throttled
	// ok
	// 4 calls logged; the first failed: true
}
