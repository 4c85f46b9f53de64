package instancestest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
	"github.com/datablocks-go/datablocks/emr/instances/internal/conformance"
	"github.com/datablocks-go/datablocks/localaws"
)

var (
	_ conformance.Client     = (*ec2.Client)(nil)
	_ conformance.Client     = (*instancestest.Fake)(nil)
	_ datablocks.ClockSource = (*instancestest.Fake)(nil)
)

type wireHarness struct {
	c   *ec2.Client
	srv *localaws.Server
}

func (h wireHarness) Client() conformance.Client   { return h.c }
func (h wireHarness) KnownInstanceTypes() []string { return []string{"m5.large", "c5.xlarge"} }
func (h wireHarness) Close()                       { h.srv.Close() }

// TestConformanceOverLocalAWS runs the suite through the real EC2 client (ec2Query) against
// the fake served by localaws.
func TestConformanceOverLocalAWS(t *testing.T) {
	conformance.RunConformanceTests(t, func(context.Context, *testing.T) (conformance.Harness, error) {
		srv, err := localaws.Start([]localaws.Service{instancestest.New().Service()})
		if err != nil {
			return nil, err
		}
		cfg := srv.Config()
		cfg.RetryMaxAttempts = 1 // the suite sees errors as the fake answers them
		return wireHarness{c: ec2.NewFromConfig(cfg), srv: srv}, nil
	})
}

// TestWireEncoding checks both operations' encoding through the real EC2 client: every
// member of a filled input and answer, every list name (instanceTypeSet, interfaceTypeSet,
// workloadSet, ebsCardSet, accelerators/member among them) both ways.
func TestWireEncoding(t *testing.T) {
	svc := instancestest.New().Service()
	localaws.CheckOperation(t, svc, ec2.NewFromConfig, (*ec2.Client).DescribeInstanceTypes)
	localaws.CheckOperation(t, svc, ec2.NewFromConfig, (*ec2.Client).GetInstanceTypesFromInstanceRequirements)
}
