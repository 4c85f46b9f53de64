//go:build integration

package msktest_test

import (
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/internal/conformance"
)

// awsHarness runs the conformance suite against real MSK. Run it with
//
//	MSK_CLUSTER_ARN=arn:aws:kafka:... [MSK_SERVERLESS_CLUSTER_ARN=arn:aws:kafka:...] \
//	  go test -tags integration -run TestConformanceAWS ./msk/msktest/
//
// The provisioned cluster must be ACTIVE with IAM authentication enabled and have no cluster
// policy: the suite writes policies granting its own account kafka-cluster:Connect and
// deletes them again. Without MSK_SERVERLESS_CLUSTER_ARN the serverless subtests skip.
type awsHarness struct {
	client      *awskafka.Client
	provisioned string
	serverless  string
	missing     string
}

func (h *awsHarness) Client() conformance.Client                            { return h.client }
func (h *awsHarness) ProvisionedCluster(context.Context, *testing.T) string { return h.provisioned }
func (h *awsHarness) ServerlessCluster(context.Context, *testing.T) string  { return h.serverless }
func (h *awsHarness) MissingClusterARN() string                             { return h.missing }
func (h *awsHarness) Close()                                                {}

func TestConformanceAWS(t *testing.T) {
	arn := os.Getenv("MSK_CLUSTER_ARN")
	if arn == "" {
		t.Skip("MSK_CLUSTER_ARN is not set")
	}
	c, err := msk.ParseClusterARN(arn)
	if err != nil {
		t.Fatalf("MSK_CLUSTER_ARN: %v", err)
	}
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(c.Region))
	if err != nil {
		t.Fatal(err)
	}
	h := &awsHarness{
		client:      awskafka.NewFromConfig(cfg),
		provisioned: arn,
		serverless:  os.Getenv("MSK_SERVERLESS_CLUSTER_ARN"),
		missing:     msk.ClusterARN{Partition: c.Partition, Region: c.Region, AccountID: c.AccountID, Name: "datablocks-missing", UUID: "00000000-0000-0000-0000-000000000000-1"}.String(),
	}
	conformance.RunConformanceTests(t, func(context.Context, *testing.T) (conformance.Harness, error) { return h, nil })
}
