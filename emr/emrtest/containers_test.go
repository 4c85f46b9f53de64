package emrtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"

	"github.com/datablocks-go/datablocks/emr/emrtest"
)

func TestContainersTokensAndStates(t *testing.T) {
	ctx := context.Background()
	f := emrtest.NewContainers()
	vc := f.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	in := &emrcontainers.StartJobRunInput{
		VirtualClusterId: aws.String(vc), ClientToken: aws.String("t1"), Name: aws.String("etl"),
		ExecutionRoleArn: aws.String("arn:aws:iam::123456789012:role/r"), ReleaseLabel: aws.String("emr-7.5.0-latest"),
		JobDriver: &types.JobDriver{SparkSubmitJobDriver: &types.SparkSubmitJobDriver{EntryPoint: aws.String("s3://a/b.py")}},
	}
	a, err := f.StartJobRun(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.StartJobRun(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(a.Id) != aws.ToString(b.Id) || f.JobRunCount(vc) != 1 {
		t.Errorf("same token: %s and %s", aws.ToString(a.Id), aws.ToString(b.Id))
	}
	if aws.ToString(a.Arn) != "arn:aws:emr-containers:eu-west-1:123456789012:/virtualclusters/"+vc+"/jobruns/"+aws.ToString(a.Id) {
		t.Errorf("ARN %s", aws.ToString(a.Arn))
	}
	if err := f.SetVirtualClusterState(vc, types.VirtualClusterStateTerminated); err != nil {
		t.Fatal(err)
	}
	in.ClientToken = aws.String("t2")
	var ve *types.ValidationException
	if _, err := f.StartJobRun(ctx, in); !errors.As(err, &ve) {
		t.Errorf("terminated virtual cluster: %v", err)
	}
	in.ReleaseLabel = nil
	if err := f.SetVirtualClusterState(vc, types.VirtualClusterStateRunning); err != nil {
		t.Fatal(err)
	}
	if _, err := f.StartJobRun(ctx, in); !errors.As(err, &ve) {
		t.Errorf("missing release label: %v", err)
	}
}
