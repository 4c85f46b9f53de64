package emrtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
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
