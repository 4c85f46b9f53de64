package emrtest_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/emr/emrtest"
)

func TestControlSemantics(t *testing.T) {
	ctx := context.Background()
	f := emrtest.NewEMR()
	cluster := f.AddCluster(emrtest.ClusterConfig{})
	in := &awsemr.DescribeClusterInput{ClusterId: aws.String(cluster)}
	var order []string
	// An observer that keeps watching, then two one-shot interceptors in FIFO order.
	f.KeepControl("DescribeCluster", func(any) (any, error, bool) {
		order = append(order, "keep")
		return nil, nil, false
	})
	first := errors.New("first")
	f.Control("DescribeCluster", func(any) (any, error, bool) {
		order = append(order, "first")
		return nil, first, true
	})
	f.Control("DescribeCluster", func(any) (any, error, bool) {
		order = append(order, "second")
		return &awsemr.DescribeClusterOutput{}, nil, true
	})
	if _, err := f.DescribeCluster(ctx, in); !errors.Is(err, first) {
		t.Errorf("call 1: %v, want the first interceptor's error", err)
	}
	out, err := f.DescribeCluster(ctx, in)
	if err != nil || out.Cluster != nil {
		t.Errorf("call 2: %v, %v; want the second interceptor's empty output", out, err)
	}
	out, err = f.DescribeCluster(ctx, in)
	if err != nil || aws.ToString(out.Cluster.Id) != cluster {
		t.Errorf("call 3: %v, %v; want the fake's own answer", out, err)
	}
	if want := []string{"keep", "first", "keep", "second", "keep"}; !slices.Equal(order, want) {
		t.Errorf("interceptors ran %v, want %v", order, want)
	}
	calls := f.Calls()
	if len(calls) != 3 || calls[0].Err != first || calls[0].Input != in {
		t.Errorf("call log %+v", calls)
	}
	calls[0].Op = "mutated"
	if f.Calls()[0].Op != "DescribeCluster" {
		t.Error("Calls does not return a copy")
	}

	f.Throttle("ListSteps", 2)
	for i := range 3 {
		_, err := f.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: aws.String(cluster)})
		var ae smithy.APIError
		throttled := errors.As(err, &ae) && ae.ErrorCode() == "ThrottlingException"
		if throttled != (i < 2) {
			t.Errorf("ListSteps %d: %v", i, err)
		}
	}
	if f.Count("ListSteps") != 3 {
		t.Errorf("Count = %d", f.Count("ListSteps"))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.DescribeCluster(cctx, in); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}
