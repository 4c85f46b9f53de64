package emrtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	sltypes "github.com/aws/aws-sdk-go-v2/service/emrserverless/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/emr/internal/conformance"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// The fakes implement the helper's interfaces and the suite's client interfaces, as the SDK
// clients do.
var (
	_ emr.StepRunnerAPIClient      = (*emrtest.EMR)(nil)
	_ emr.ServerlessAPIClient      = (*emrtest.Serverless)(nil)
	_ emr.ContainersAPIClient      = (*emrtest.Containers)(nil)
	_ emr.UploadAPIClient          = (*emrtest.S3)(nil)
	_ conformance.EMRClient        = (*emrtest.EMR)(nil)
	_ conformance.EMRClient        = (*awsemr.Client)(nil)
	_ conformance.ServerlessClient = (*emrtest.Serverless)(nil)
	_ conformance.ServerlessClient = (*emrserverless.Client)(nil)
	_ conformance.ContainersClient = (*emrtest.Containers)(nil)
	_ conformance.ContainersClient = (*emrcontainers.Client)(nil)
	_ datablocks.ClockSource       = (*emrtest.EMR)(nil)
	_ datablocks.ClockSource       = (*emrtest.Serverless)(nil)
	_ datablocks.ClockSource       = (*emrtest.Containers)(nil)
	_ awsemr.DescribeStepAPIClient = (*emrtest.EMR)(nil)
	_ awsemr.ListStepsAPIClient    = (*emrtest.EMR)(nil)
)

// fakes are the three fakes on one clock.
type fakes struct {
	clock *datablocks.ManualClock
	emr   *emrtest.EMR
	sl    *emrtest.Serverless
	eks   *emrtest.Containers
}

func newFakes() *fakes {
	clock := datablocks.NewManualClock(time.Time{})
	return &fakes{
		clock: clock,
		emr:   emrtest.NewEMR(func(o *emrtest.Options) { o.Clock = clock; o.PageSize = 2 }),
		sl:    emrtest.NewServerless(func(o *emrtest.Options) { o.Clock = clock }),
		eks:   emrtest.NewContainers(func(o *emrtest.Options) { o.Clock = clock }),
	}
}

// harness serves the conformance suite with clients of the fakes: the fakes themselves or
// the SDK clients over localaws.
type harness struct {
	*fakes
	emrClient conformance.EMRClient
	slClient  conformance.ServerlessClient
	eksClient conformance.ContainersClient
	close     func()

	cluster, app, vc string // made on first use
}

func newInProcessHarness(context.Context, *testing.T) (conformance.Harness, error) {
	f := newFakes()
	return &harness{fakes: f, emrClient: f.emr, slClient: f.sl, eksClient: f.eks, close: func() {}}, nil
}

func (h *harness) EMR() conformance.EMRClient               { return h.emrClient }
func (h *harness) Serverless() conformance.ServerlessClient { return h.slClient }
func (h *harness) Containers() conformance.ContainersClient { return h.eksClient }
func (h *harness) ClusterID(context.Context) (string, error) {
	if h.cluster == "" {
		h.cluster = h.emr.AddCluster(emrtest.ClusterConfig{})
	}
	return h.cluster, nil
}
func (h *harness) ConcurrentClusterID(context.Context) (string, error) {
	return h.emr.AddCluster(emrtest.ClusterConfig{StepConcurrencyLevel: 5}), nil
}
func (h *harness) ApplicationID(context.Context) (string, error) {
	if h.app == "" {
		h.app = h.sl.AddApplication(emrtest.ApplicationConfig{State: sltypes.ApplicationStateStarted})
	}
	return h.app, nil
}
func (h *harness) StoppedApplicationID(context.Context) (string, error) {
	return h.sl.AddApplication(emrtest.ApplicationConfig{State: sltypes.ApplicationStateStopped}), nil
}
func (h *harness) VirtualClusterID(context.Context) (string, error) {
	if h.vc == "" {
		h.vc = h.eks.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	}
	return h.vc, nil
}
func (h *harness) ExecutionRoleArn() string { return "arn:aws:iam::123456789012:role/job" }
func (h *harness) ReleaseLabel() string     { return "emr-7.5.0-latest" }
func (h *harness) Spark() ([]string, string, []string) {
	return []string{"--conf", "spark.executor.memory=2g"}, "s3://code/pi.py", []string{"10"}
}
func (h *harness) Clock() datablocks.Clock  { return h.clock }
func (h *harness) PollDelay() time.Duration { return 10 * time.Second }
func (h *harness) MaxPolls() int            { return 50 }
func (h *harness) Close()                   { h.close() }

func TestConformance(t *testing.T) {
	conformance.RunConformanceTests(t, newInProcessHarness)
}

// TestEveryOperationGoesThroughControls checks that each operation of each fake honours the
// shared fakecontrol surface: FailNext fails it, ThrottleNext throttles it with the
// service's throttling error, and both calls are logged with their error.
func TestEveryOperationGoesThroughControls(t *testing.T) {
	ctx := context.Background()
	ec2, sl, eks, s3f := emrtest.NewEMR(), emrtest.NewServerless(), emrtest.NewContainers(), emrtest.NewS3()
	type controls interface {
		FailNext(op string, err error)
		ThrottleNext(op string, n int)
		Calls() []fakecontrol.Call
	}
	ops := []struct {
		fake     controls
		op       string
		throttle string
		call     func() error
	}{
		{ec2, emrtest.OpAddJobFlowSteps, "ThrottlingException", func() error { _, err := ec2.AddJobFlowSteps(ctx, nil); return err }},
		{ec2, emrtest.OpListSteps, "ThrottlingException", func() error { _, err := ec2.ListSteps(ctx, nil); return err }},
		{ec2, emrtest.OpDescribeStep, "ThrottlingException", func() error { _, err := ec2.DescribeStep(ctx, nil); return err }},
		{ec2, emrtest.OpCancelSteps, "ThrottlingException", func() error { _, err := ec2.CancelSteps(ctx, nil); return err }},
		{ec2, emrtest.OpDescribeCluster, "ThrottlingException", func() error { _, err := ec2.DescribeCluster(ctx, nil); return err }},
		{sl, emrtest.OpStartJobRun, "ThrottlingException", func() error { _, err := sl.StartJobRun(ctx, nil); return err }},
		{sl, emrtest.OpGetJobRun, "ThrottlingException", func() error { _, err := sl.GetJobRun(ctx, nil); return err }},
		{sl, emrtest.OpCancelJobRun, "ThrottlingException", func() error { _, err := sl.CancelJobRun(ctx, nil); return err }},
		{sl, emrtest.OpListJobRunAttempts, "ThrottlingException", func() error { _, err := sl.ListJobRunAttempts(ctx, nil); return err }},
		{sl, emrtest.OpStartApplication, "ThrottlingException", func() error { _, err := sl.StartApplication(ctx, nil); return err }},
		{sl, emrtest.OpGetApplication, "ThrottlingException", func() error { _, err := sl.GetApplication(ctx, nil); return err }},
		{eks, emrtest.OpStartJobRun, "RequestThrottledException", func() error { _, err := eks.StartJobRun(ctx, nil); return err }},
		{eks, emrtest.OpDescribeJobRun, "RequestThrottledException", func() error { _, err := eks.DescribeJobRun(ctx, nil); return err }},
		{eks, emrtest.OpCancelJobRun, "RequestThrottledException", func() error { _, err := eks.CancelJobRun(ctx, nil); return err }},
		{s3f, emrtest.OpHeadObject, "ThrottlingException", func() error { _, err := s3f.HeadObject(ctx, nil); return err }},
		{s3f, emrtest.OpPutObject, "ThrottlingException", func() error { _, err := s3f.PutObject(ctx, nil); return err }},
	}
	boom := errors.New("boom")
	for _, o := range ops {
		o.fake.FailNext(o.op, boom)
		o.fake.ThrottleNext(o.op, 1)
		if err := o.call(); !errors.Is(err, boom) {
			t.Errorf("%s after FailNext: %v, want boom", o.op, err)
		}
		var ae smithy.APIError
		if err := o.call(); !errors.As(err, &ae) || ae.ErrorCode() != o.throttle {
			t.Errorf("%s after ThrottleNext: %v, want %s", o.op, err, o.throttle)
		}
		calls := o.fake.Calls()
		last := calls[len(calls)-2:]
		if last[0].Op != o.op || last[0].Err != boom || last[1].Op != o.op || last[1].Err == nil {
			t.Errorf("%s call log ends %+v", o.op, last)
		}
	}
}

// A misspelled or foreign operation name fails the test that uses it.
func TestUnknownOperationNamesPanic(t *testing.T) {
	for name, fn := range map[string]func(){
		"EMR StartJobRuns":          func() { emrtest.NewEMR().FailNext("StartJobRuns", errors.New("x")) },
		"Serverless ListSteps":      func() { emrtest.NewServerless().ThrottleNext(emrtest.OpListSteps, 1) },
		"Containers GetApplication": func() { emrtest.NewContainers().Count(emrtest.OpGetApplication) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			fn()
		}()
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := emrtest.NewEMR()
	_, err := f.DescribeCluster(ctx, &awsemr.DescribeClusterInput{ClusterId: aws.String(f.AddCluster(emrtest.ClusterConfig{}))})
	if !errors.Is(err, context.Canceled) || f.Count(emrtest.OpDescribeCluster) != 1 {
		t.Errorf("DescribeCluster with a cancelled context: %v (%d calls logged)", err, f.Count(emrtest.OpDescribeCluster))
	}
}
