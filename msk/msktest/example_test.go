package msktest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/kafka/types"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// The control-plane fake stands in for the MSK API: clusters added by the test, MSK's typed
// errors, injected faults and a call log.
func ExampleNewControlPlane() {
	ctx := context.Background()
	cp := msktest.NewControlPlane()
	arn, err := cp.AddCluster(msktest.ClusterSpec{Serverless: true, Name: "events"})
	if err != nil {
		fmt.Println(err)
		return
	}
	discovery := msk.NewBrokerDiscovery(cp)
	b, err := discovery.Discover(ctx, arn, msk.AuthIAM)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.ClusterType, strings.HasSuffix(b.Brokers[0], ":9098"))

	// Serverless clusters accept IAM only.
	_, err = discovery.Discover(ctx, arn, msk.AuthSCRAM)
	var notEnabled *msk.AuthNotEnabledError
	fmt.Println(errors.As(err, &notEnabled))

	// MSK throttles with TooManyRequestsException; discovery returns it wrapped.
	cp.ThrottleNext(msktest.OpDescribeClusterV2, 1)
	_, err = discovery.Discover(ctx, arn, msk.AuthIAM)
	var throttled *types.TooManyRequestsException
	fmt.Println(errors.As(err, &throttled), cp.Count(msktest.OpDescribeClusterV2))
	// Output:
	// SERVERLESS true
	// true
	// true 3
}
