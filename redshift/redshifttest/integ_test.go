//go:build integration

package redshifttest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/datablocks-go/datablocks/redshift/internal/conformance"
)

// TestConformanceAWS runs the Data API conformance suite against a real Redshift Serverless
// workgroup named by REDSHIFT_WORKGROUP (database REDSHIFT_DATABASE, default dev), with the
// default credential chain: when fake and AWS disagree, AWS wins.
func TestConformanceAWS(t *testing.T) {
	wg := os.Getenv("REDSHIFT_WORKGROUP")
	if wg == "" {
		t.Skip("REDSHIFT_WORKGROUP is not set")
	}
	db := os.Getenv("REDSHIFT_DATABASE")
	if db == "" {
		db = "dev"
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	client := redshiftdata.NewFromConfig(cfg)
	conformance.RunConformanceTests(t, func(t *testing.T, long bool) conformance.Harness {
		return conformance.Harness{
			Client: client, Workgroup: wg, Database: db, Advance: time.Sleep, StatementTime: time.Second,
			// Ten million rows of a cross join keep a Serverless workgroup busy for seconds.
			LongStatement: "with d as (select 0 as x union all select 1 union all select 2 union all select 3 union all select 4 " +
				"union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) " +
				"select count(*) from d a, d b, d c, d e, d f, d g, d h",
		}
	})
}
