package emrtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"

	"github.com/datablocks-go/datablocks/emr/emrtest"
)

func TestContainersTokensStatesAndReleases(t *testing.T) {
	ctx := context.Background()
	f := emrtest.NewContainers(func(o *emrtest.Options) { o.RunDuration = 3 * time.Minute })
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
	if aws.ToString(a.Id) != aws.ToString(b.Id) {
		t.Errorf("same token: %s and %s", aws.ToString(a.Id), aws.ToString(b.Id))
	}
	if aws.ToString(a.Arn) != "arn:aws:emr-containers:eu-west-1:123456789012:/virtualclusters/"+vc+"/jobruns/"+aws.ToString(a.Id) {
		t.Errorf("ARN %s", aws.ToString(a.Arn))
	}
	// Three intermediate states share the three minutes: one each.
	var seen []types.JobRunState
	for range 4 {
		got, err := f.DescribeJobRun(ctx, &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(vc), Id: a.Id})
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, got.JobRun.State)
		f.Clock().Sleep(ctx, time.Minute)
	}
	if want := []types.JobRunState{"PENDING", "SUBMITTED", "RUNNING", "COMPLETED"}; !equal(seen, want) {
		t.Errorf("states a minute apart %v, want %v", seen, want)
	}
	var nf *types.ResourceNotFoundException
	for _, label := range []string{"emr-6.55.0-latest", "emr-7.5.0", "emr-7.5.0-2024"} {
		in.ClientToken, in.ReleaseLabel = aws.String("r-"+label), aws.String(label)
		if _, err := f.StartJobRun(ctx, in); !errors.As(err, &nf) || aws.ToString(nf.Message) != "Release "+label+" does not exist" {
			t.Errorf("release label %s: %v", label, err)
		}
	}
	in.ReleaseLabel = aws.String("emr-6.5.0-20211119")
	if _, err := f.StartJobRun(ctx, in); err != nil {
		t.Errorf("dated release label: %v", err)
	}
	in.ClientToken = aws.String("t2")
	in.VirtualClusterId = aws.String(f.AddVirtualCluster(emrtest.VirtualClusterConfig{State: types.VirtualClusterStateTerminated}))
	var ve *types.ValidationException
	if _, err := f.StartJobRun(ctx, in); !errors.As(err, &ve) {
		t.Errorf("terminated virtual cluster: %v", err)
	}
	in.VirtualClusterId = aws.String(vc)
	in.ReleaseLabel = nil
	if _, err := f.StartJobRun(ctx, in); !errors.As(err, &ve) {
		t.Errorf("missing release label: %v", err)
	}
	in.ReleaseLabel = aws.String("emr-7.5.0-latest")
	in.JobDriver.SparkSubmitJobDriver.EntryPoint = aws.String("s3://a/b.py; rm -rf /")
	if _, err := f.StartJobRun(ctx, in); !errors.As(err, &ve) {
		t.Errorf("entry point with shell metacharacters: %v", err)
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
