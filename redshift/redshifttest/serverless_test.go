package redshifttest

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/redshift/internal/conformance"
)

func serverlessHarness(t *testing.T, wire bool) conformance.ServerlessHarness {
	f := NewServerless()
	h := conformance.ServerlessHarness{Client: f, Namespace: "conf-ns", Workgroup: "conf-wg", Step: 10 * time.Second,
		Advance: func(d time.Duration) { f.Clock().(*datablocks.ManualClock).Advance(d) }}
	if wire {
		h.Client = redshiftserverless.NewFromConfig(localaws.NewTestServer(t, f.Service()).Config())
	}
	return h
}

func TestServerlessConformanceInProcess(t *testing.T) {
	conformance.RunServerlessConformanceTests(t, func(t *testing.T) conformance.ServerlessHarness { return serverlessHarness(t, false) })
}

func TestServerlessConformanceOverLocalAWS(t *testing.T) {
	conformance.RunServerlessConformanceTests(t, func(t *testing.T) conformance.ServerlessHarness { return serverlessHarness(t, true) })
}

func TestServerlessWireEncoding(t *testing.T) {
	svc := NewServerless().Service()
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).CreateNamespace)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).GetNamespace)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).UpdateNamespace)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).DeleteNamespace)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).CreateWorkgroup)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).GetWorkgroup)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).UpdateWorkgroup)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).DeleteWorkgroup)
}

func TestUsageLimitsWireEncoding(t *testing.T) {
	svc := NewServerless().Service()
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).CreateUsageLimit)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).ListUsageLimits)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).UpdateUsageLimit)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).DeleteUsageLimit)
}
