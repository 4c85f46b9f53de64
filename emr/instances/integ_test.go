//go:build integration

package instances_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/datablocks-go/datablocks/emr/instances"
	"github.com/datablocks-go/datablocks/emr/instances/internal/conformance"
)

// awsHarness runs the conformance suite against real EC2 (default credential chain and region).
type awsHarness struct{ c *ec2.Client }

func (h awsHarness) Client() conformance.Client   { return h.c }
func (h awsHarness) KnownInstanceTypes() []string { return []string{"m5.large", "c5.xlarge"} }
func (h awsHarness) Close()                       {}

func newAWSClient(ctx context.Context, t *testing.T) *ec2.Client {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatalf("AWS config: %v", err)
	}
	return ec2.NewFromConfig(cfg)
}

func TestIntegrationConformance(t *testing.T) {
	conformance.RunConformanceTests(t, func(ctx context.Context, t *testing.T) (conformance.Harness, error) {
		return awsHarness{newAWSClient(ctx, t)}, nil
	})
}

// TestIntegrationCrossCheck compares local and remote answers in the live region and logs every
// difference with its local explanation; the only allowed differences are unknown attributes.
func TestIntegrationCrossCheck(t *testing.T) {
	ctx := context.Background()
	client := newAWSClient(ctx, t)
	cat, err := instances.LoadCatalog(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	req := instances.Requirements{
		VCpuCount: instances.Between(4, 16), MemoryMiB: instances.AtLeast(0),
		MemoryGiBPerVCpu:    instances.FloatBetween(2, 8),
		InstanceGenerations: []types.InstanceGeneration{types.InstanceGenerationCurrent},
	}
	cmp, err := instances.NewRemoteSelector(client).CrossCheck(ctx, cat, req)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(cmp)
	if len(cmp.OnlyLocal) > 0 {
		t.Errorf("selected locally but not by AWS: %v", cmp.OnlyLocal)
	}
	for _, ex := range cmp.Explanations {
		for _, ch := range ex.Failed() {
			if ch.Verdict == instances.Fail {
				t.Errorf("%s: local says fail, AWS disagrees:\n%s", ex.InstanceType, ex)
			}
		}
	}
}
