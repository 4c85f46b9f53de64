package redshifttest

import (
	"testing"

	awsredshift "github.com/aws/aws-sdk-go-v2/service/redshift"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/redshift/internal/conformance"
)

func TestDataSharesWireEncoding(t *testing.T) {
	svc := NewDataShares().Service()
	localaws.CheckOperation(t, svc, awsredshift.NewFromConfig, (*awsredshift.Client).AuthorizeDataShare)
	localaws.CheckOperation(t, svc, awsredshift.NewFromConfig, (*awsredshift.Client).DeauthorizeDataShare)
	localaws.CheckOperation(t, svc, awsredshift.NewFromConfig, (*awsredshift.Client).AssociateDataShareConsumer)
	localaws.CheckOperation(t, svc, awsredshift.NewFromConfig, (*awsredshift.Client).DescribeDataShares)
}

func dataSharesHarness(t *testing.T, wire bool) conformance.DataSharesHarness {
	f := NewDataShares()
	arn := "arn:aws:redshift:us-east-1:123456789012:datashare:" + namespaceID + "/sales"
	if err := f.GrantToAccount(arn, "210987654321"); err != nil {
		t.Fatal(err)
	}
	h := conformance.DataSharesHarness{Producer: f, Consumer: f, ShareARN: arn, ConsumerAccount: "210987654321"}
	if wire {
		c := awsredshift.NewFromConfig(localaws.NewTestServer(t, f.Service()).Config())
		h.Producer, h.Consumer = c, c
	}
	return h
}

func TestDataSharesConformanceInProcess(t *testing.T) {
	conformance.RunDataSharesConformanceTests(t, func(t *testing.T) conformance.DataSharesHarness { return dataSharesHarness(t, false) })
}

func TestDataSharesConformanceOverLocalAWS(t *testing.T) {
	conformance.RunDataSharesConformanceTests(t, func(t *testing.T) conformance.DataSharesHarness { return dataSharesHarness(t, true) })
}
