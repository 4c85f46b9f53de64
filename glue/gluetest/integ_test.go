//go:build integration

package gluetest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue/internal/conformance"
)

// awsHarness runs the conformance suite against the account and region of the default
// credential chain. It creates and deletes databases and schemas whose names start with
// "dbconf_<unix time>_"; the schemas go to default-registry.
type awsHarness struct {
	c      *awsglue.Client
	prefix string
}

func (h awsHarness) Client() conformance.Client { return h.c }
func (h awsHarness) Prefix() string             { return h.prefix }
func (h awsHarness) Clock() datablocks.Clock    { return datablocks.SystemClock() }
func (h awsHarness) Close()                     {}

func TestConformanceAWS(t *testing.T) {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Skipf("no AWS configuration: %v", err)
	}
	client := awsglue.NewFromConfig(cfg)
	conformance.RunConformanceTests(t, func(_ context.Context, t *testing.T) (conformance.Harness, error) {
		return awsHarness{c: client, prefix: fmt.Sprintf("dbconf_%d_", time.Now().UnixNano())}, nil
	})
}
