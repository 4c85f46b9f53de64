package redshifttest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/datablocks-go/datablocks/localaws"
)

// TestWireEncoding checks every operation's members on the wire through the real client.
func TestWireEncoding(t *testing.T) {
	svc := New().Service()
	localaws.CheckOperation(t, svc, redshiftdata.NewFromConfig, (*redshiftdata.Client).ExecuteStatement)
	localaws.CheckOperation(t, svc, redshiftdata.NewFromConfig, (*redshiftdata.Client).BatchExecuteStatement)
	localaws.CheckOperation(t, svc, redshiftdata.NewFromConfig, (*redshiftdata.Client).DescribeStatement)
	localaws.CheckOperation(t, svc, redshiftdata.NewFromConfig, (*redshiftdata.Client).GetStatementResult)
	localaws.CheckOperation(t, svc, redshiftdata.NewFromConfig, (*redshiftdata.Client).GetStatementResultV2)
	localaws.CheckOperation(t, svc, redshiftdata.NewFromConfig, (*redshiftdata.Client).CancelStatement)
}
