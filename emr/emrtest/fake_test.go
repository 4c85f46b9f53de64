package emrtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

type fakeHarness struct {
	clock *datablocks.ManualClock
	emr   *emrtest.EMR
	sl    *emrtest.Serverless
	eks   *emrtest.Containers

	cluster, app, vc string
}

func newFakeHarness(context.Context, *testing.T) (emrtest.Harness, error) {
	clock := datablocks.NewManualClock(time.Time{})
	return &fakeHarness{
		clock: clock,
		emr:   emrtest.NewEMR(func(o *emrtest.EMROptions) { o.Clock = clock; o.PageSize = 2 }),
		sl:    emrtest.NewServerless(func(o *emrtest.ServerlessOptions) { o.Clock = clock }),
		eks:   emrtest.NewContainers(func(o *emrtest.ContainersOptions) { o.Clock = clock }),
	}, nil
}

func (h *fakeHarness) EMR() emr.StepRunnerAPIClient        { return h.emr }
func (h *fakeHarness) Serverless() emr.ServerlessAPIClient { return h.sl }
func (h *fakeHarness) Containers() emr.ContainersAPIClient { return h.eks }
func (h *fakeHarness) ClusterID(context.Context) (string, error) {
	if h.cluster == "" {
		h.cluster = h.emr.AddCluster(emrtest.ClusterConfig{Name: "conformance"})
	}
	return h.cluster, nil
}
func (h *fakeHarness) ApplicationID(context.Context) (string, error) {
	if h.app == "" {
		h.app = h.sl.AddApplication(emrtest.ApplicationConfig{Name: "conformance"})
	}
	return h.app, nil
}
func (h *fakeHarness) VirtualClusterID(context.Context) (string, error) {
	if h.vc == "" {
		h.vc = h.eks.AddVirtualCluster(emrtest.VirtualClusterConfig{Name: "conformance"})
	}
	return h.vc, nil
}
func (h *fakeHarness) ExecutionRoleArn() string { return "arn:aws:iam::123456789012:role/job" }
func (h *fakeHarness) ReleaseLabel() string     { return "emr-7.5.0-latest" }
func (h *fakeHarness) Spark() emr.SparkSubmit {
	return emr.SparkSubmit{EntryPoint: "/usr/lib/spark/examples/jars/spark-examples.jar", MainClass: "org.apache.spark.examples.SparkPi", Args: []string{"5"}}
}
func (h *fakeHarness) Clock() datablocks.Clock  { return h.clock }
func (h *fakeHarness) PollDelay() time.Duration { return 10 * time.Second }
func (h *fakeHarness) MaxPolls() int            { return 50 }
func (h *fakeHarness) Close()                   {}

func TestConformance(t *testing.T) {
	emrtest.RunConformanceTests(t, newFakeHarness)
}

// TestEveryOperationGoesThroughControls checks that each operation of each fake honours the
// shared fakecontrol surface: FailNext fails it, ThrottleNext throttles it with a
// ThrottlingException, and both calls are logged with their error.
func TestEveryOperationGoesThroughControls(t *testing.T) {
	ctx := context.Background()
	ec2, sl, eks, s3f := emrtest.NewEMR(), emrtest.NewServerless(), emrtest.NewContainers(), emrtest.NewS3()
	type controls interface {
		FailNext(op string, err error)
		ThrottleNext(op string, n int)
		Calls() []fakecontrol.Call
	}
	ops := []struct {
		fake controls
		op   string
		call func() error
	}{
		{ec2, "AddJobFlowSteps", func() error { _, err := ec2.AddJobFlowSteps(ctx, nil); return err }},
		{ec2, "ListSteps", func() error { _, err := ec2.ListSteps(ctx, nil); return err }},
		{ec2, "DescribeStep", func() error { _, err := ec2.DescribeStep(ctx, nil); return err }},
		{ec2, "CancelSteps", func() error { _, err := ec2.CancelSteps(ctx, nil); return err }},
		{ec2, "DescribeCluster", func() error { _, err := ec2.DescribeCluster(ctx, nil); return err }},
		{sl, "StartJobRun", func() error { _, err := sl.StartJobRun(ctx, nil); return err }},
		{sl, "GetJobRun", func() error { _, err := sl.GetJobRun(ctx, nil); return err }},
		{sl, "CancelJobRun", func() error { _, err := sl.CancelJobRun(ctx, nil); return err }},
		{sl, "ListJobRunAttempts", func() error { _, err := sl.ListJobRunAttempts(ctx, nil); return err }},
		{sl, "StartApplication", func() error { _, err := sl.StartApplication(ctx, nil); return err }},
		{sl, "GetApplication", func() error { _, err := sl.GetApplication(ctx, nil); return err }},
		{eks, "StartJobRun", func() error { _, err := eks.StartJobRun(ctx, nil); return err }},
		{eks, "DescribeJobRun", func() error { _, err := eks.DescribeJobRun(ctx, nil); return err }},
		{eks, "CancelJobRun", func() error { _, err := eks.CancelJobRun(ctx, nil); return err }},
		{s3f, "HeadObject", func() error { _, err := s3f.HeadObject(ctx, nil); return err }},
		{s3f, "PutObject", func() error { _, err := s3f.PutObject(ctx, nil); return err }},
	}
	boom := errors.New("boom")
	for _, o := range ops {
		o.fake.FailNext(o.op, boom)
		o.fake.ThrottleNext(o.op, 1)
		if err := o.call(); !errors.Is(err, boom) {
			t.Errorf("%s after FailNext: %v, want boom", o.op, err)
		}
		var ae smithy.APIError
		if err := o.call(); !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" {
			t.Errorf("%s after ThrottleNext: %v, want ThrottlingException", o.op, err)
		}
		calls := o.fake.Calls()
		last := calls[len(calls)-2:]
		if last[0].Op != o.op || last[0].Err != boom || last[1].Op != o.op || last[1].Err == nil {
			t.Errorf("%s call log ends %+v", o.op, last)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := emrtest.NewEMR()
	_, err := f.DescribeCluster(ctx, &awsemr.DescribeClusterInput{ClusterId: aws.String(f.AddCluster(emrtest.ClusterConfig{}))})
	if !errors.Is(err, context.Canceled) || f.Count("DescribeCluster") != 1 {
		t.Errorf("DescribeCluster with a cancelled context: %v (%d calls logged)", err, f.Count("DescribeCluster"))
	}
}
