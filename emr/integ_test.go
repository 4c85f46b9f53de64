//go:build integration

package emr_test

// Runs the conformance suite (emr/internal/conformance) against real AWS. It needs credentials and:
//
//	DATABLOCKS_EMR_CLUSTER_ID          a WAITING cluster without runtime roles, StepConcurrencyLevel 1
//	DATABLOCKS_EMR_CONCURRENT_CLUSTER_ID  such a cluster with StepConcurrencyLevel above 1
//	DATABLOCKS_EMR_STOPPED_APPLICATION_ID an EMR Serverless Spark application with auto-start, STOPPED
//	DATABLOCKS_EMR_APPLICATION_ID      an EMR Serverless Spark application with auto-start
//	DATABLOCKS_EMR_VIRTUAL_CLUSTER_ID  a RUNNING EMR on EKS virtual cluster
//	DATABLOCKS_EMR_EXECUTION_ROLE      the job runs' execution role ARN
//
//	go test -tags integration -run TestConformanceAWS -timeout 2h ./emr/

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr/internal/conformance"
)

type awsHarness struct {
	emr        *awsemr.Client
	serverless *emrserverless.Client
	containers *emrcontainers.Client
	env        map[string]string
}

func (h *awsHarness) EMR() conformance.EMRClient               { return h.emr }
func (h *awsHarness) Serverless() conformance.ServerlessClient { return h.serverless }
func (h *awsHarness) Containers() conformance.ContainersClient { return h.containers }
func (h *awsHarness) ConcurrentClusterID(context.Context) (string, error) {
	return h.env["DATABLOCKS_EMR_CONCURRENT_CLUSTER_ID"], nil
}
func (h *awsHarness) StoppedApplicationID(context.Context) (string, error) {
	return h.env["DATABLOCKS_EMR_STOPPED_APPLICATION_ID"], nil
}
func (h *awsHarness) ClusterID(context.Context) (string, error) {
	return h.env["DATABLOCKS_EMR_CLUSTER_ID"], nil
}
func (h *awsHarness) ApplicationID(context.Context) (string, error) {
	return h.env["DATABLOCKS_EMR_APPLICATION_ID"], nil
}
func (h *awsHarness) VirtualClusterID(context.Context) (string, error) {
	return h.env["DATABLOCKS_EMR_VIRTUAL_CLUSTER_ID"], nil
}
func (h *awsHarness) ExecutionRoleArn() string { return h.env["DATABLOCKS_EMR_EXECUTION_ROLE"] }
func (h *awsHarness) ReleaseLabel() string     { return "emr-7.5.0-latest" }
func (h *awsHarness) Spark() ([]string, string, []string) {
	return []string{"--class", "org.apache.spark.examples.SparkPi"}, "local:///usr/lib/spark/examples/jars/spark-examples.jar", []string{"2"}
}
func (h *awsHarness) Clock() datablocks.Clock  { return datablocks.SystemClock() }
func (h *awsHarness) PollDelay() time.Duration { return 10 * time.Second }
func (h *awsHarness) MaxPolls() int            { return 120 }
func (h *awsHarness) Close()                   {}

func TestConformanceAWS(t *testing.T) {
	env := map[string]string{}
	for _, k := range []string{"DATABLOCKS_EMR_CLUSTER_ID", "DATABLOCKS_EMR_CONCURRENT_CLUSTER_ID", "DATABLOCKS_EMR_APPLICATION_ID", "DATABLOCKS_EMR_STOPPED_APPLICATION_ID", "DATABLOCKS_EMR_VIRTUAL_CLUSTER_ID", "DATABLOCKS_EMR_EXECUTION_ROLE"} {
		if env[k] = os.Getenv(k); env[k] == "" {
			t.Skipf("%s not set", k)
		}
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	conformance.RunConformanceTests(t, func(context.Context, *testing.T) (conformance.Harness, error) {
		return &awsHarness{emr: awsemr.NewFromConfig(cfg), serverless: emrserverless.NewFromConfig(cfg), containers: emrcontainers.NewFromConfig(cfg), env: env}, nil
	})
}
