//go:build integration

package lakeformation_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"

	"github.com/datablocks-go/datablocks/lakeformation/internal/conformance"
)

// awsHarness runs the conformance suite against the account of the default credential chain.
// The caller must be a data lake administrator; LF_CONFORMANCE_PRINCIPAL names an IAM role to
// grant to, LF_CONFORMANCE_DATABASE and LF_CONFORMANCE_TABLE an existing database and table,
// LF_CONFORMANCE_COLUMN a column of that table.
type awsHarness struct {
	client                     *awslf.Client
	principal, database, table string
	column, prefix             string
}

func (h awsHarness) Client() conformance.Client { return h.client }
func (h awsHarness) Principal() string          { return h.principal }
func (h awsHarness) Database() string           { return h.database }
func (h awsHarness) Table() string              { return h.table }
func (h awsHarness) Column() string             { return h.column }
func (h awsHarness) Prefix() string             { return h.prefix }
func (h awsHarness) Close()                     {}

func TestConformanceAWS(t *testing.T) {
	principal, database, table := os.Getenv("LF_CONFORMANCE_PRINCIPAL"), os.Getenv("LF_CONFORMANCE_DATABASE"), os.Getenv("LF_CONFORMANCE_TABLE")
	column := os.Getenv("LF_CONFORMANCE_COLUMN")
	if principal == "" || database == "" || table == "" || column == "" {
		t.Skip("set LF_CONFORMANCE_PRINCIPAL, LF_CONFORMANCE_DATABASE, LF_CONFORMANCE_TABLE and LF_CONFORMANCE_COLUMN to run against AWS")
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	client := awslf.NewFromConfig(cfg)
	prefix := fmt.Sprintf("dbconf_%d_", time.Now().Unix())
	conformance.RunConformanceTests(t, func(_ context.Context, t *testing.T) (conformance.Harness, error) {
		return awsHarness{client: client, principal: principal, database: database, table: table, column: column, prefix: prefix}, nil
	})
}
