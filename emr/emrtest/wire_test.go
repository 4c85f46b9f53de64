package emrtest_test

import (
	"context"
	"testing"

	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"

	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/emr/internal/conformance"
	"github.com/datablocks-go/datablocks/localaws"
)

// newWireHarness serves the fakes over localaws and gives the suite the real SDK clients.
func newWireHarness(_ context.Context, t *testing.T) (conformance.Harness, error) {
	f := newFakes()
	srv, err := localaws.Start([]localaws.Service{f.emr.Service(), f.sl.Service(), f.eks.Service()})
	if err != nil {
		return nil, err
	}
	cfg := srv.Config()
	cfg.RetryMaxAttempts = 1 // the suite sees errors as the fakes answer them
	return &harness{
		fakes:     f,
		emrClient: awsemr.NewFromConfig(cfg),
		slClient:  emrserverless.NewFromConfig(cfg),
		eksClient: emrcontainers.NewFromConfig(cfg),
		close:     srv.Close,
	}, nil
}

// TestConformanceOverLocalAWS runs the conformance suite through the real SDK clients.
func TestConformanceOverLocalAWS(t *testing.T) {
	conformance.RunConformanceTests(t, newWireHarness)
}

// TestWireEncoding checks every operation's members both ways through the real clients.
func TestWireEncoding(t *testing.T) {
	emrSvc, sl, eks := emrtest.NewEMR().Service(), emrtest.NewServerless().Service(), emrtest.NewContainers().Service()
	localaws.CheckOperation(t, emrSvc, awsemr.NewFromConfig, (*awsemr.Client).AddJobFlowSteps)
	localaws.CheckOperation(t, emrSvc, awsemr.NewFromConfig, (*awsemr.Client).ListSteps)
	localaws.CheckOperation(t, emrSvc, awsemr.NewFromConfig, (*awsemr.Client).DescribeStep)
	localaws.CheckOperation(t, emrSvc, awsemr.NewFromConfig, (*awsemr.Client).CancelSteps)
	localaws.CheckOperation(t, emrSvc, awsemr.NewFromConfig, (*awsemr.Client).DescribeCluster)
	localaws.CheckOperation(t, sl, emrserverless.NewFromConfig, (*emrserverless.Client).StartJobRun)
	localaws.CheckOperation(t, sl, emrserverless.NewFromConfig, (*emrserverless.Client).GetJobRun)
	localaws.CheckOperation(t, sl, emrserverless.NewFromConfig, (*emrserverless.Client).CancelJobRun)
	localaws.CheckOperation(t, sl, emrserverless.NewFromConfig, (*emrserverless.Client).ListJobRunAttempts)
	localaws.CheckOperation(t, sl, emrserverless.NewFromConfig, (*emrserverless.Client).StartApplication)
	localaws.CheckOperation(t, sl, emrserverless.NewFromConfig, (*emrserverless.Client).GetApplication)
	localaws.CheckOperation(t, eks, emrcontainers.NewFromConfig, (*emrcontainers.Client).StartJobRun)
	localaws.CheckOperation(t, eks, emrcontainers.NewFromConfig, (*emrcontainers.Client).DescribeJobRun)
	localaws.CheckOperation(t, eks, emrcontainers.NewFromConfig, (*emrcontainers.Client).CancelJobRun)
}
