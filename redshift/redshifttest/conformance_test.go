package redshifttest

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/redshift/internal/conformance"
)

var conformanceDBs atomic.Int64

func harness(t *testing.T, long bool, wire bool) conformance.Harness {
	stmt := time.Second
	f := newFake(t, func(o *Options) {
		if long {
			o.StatementTime = func(string) time.Duration { return time.Hour }
		} else {
			o.StatementTime = func(string) time.Duration { return stmt }
		}
	})
	h := conformance.Harness{
		Client: f, Workgroup: "conformance", Database: fmt.Sprintf("conformance_%d", conformanceDBs.Add(1)),
		Advance:       func(d time.Duration) { f.Clock().(*datablocks.ManualClock).Advance(d) },
		StatementTime: stmt, LongStatement: "select pg_sleep(0)",
	}
	if wire {
		srv := localaws.NewTestServer(t, f.Service())
		h.Client = redshiftdata.NewFromConfig(srv.Config())
	}
	return h
}

func TestConformanceInProcess(t *testing.T) {
	conformance.RunConformanceTests(t, func(t *testing.T, long bool) conformance.Harness { return harness(t, long, false) })
}

func TestConformanceOverLocalAWS(t *testing.T) {
	conformance.RunConformanceTests(t, func(t *testing.T, long bool) conformance.Harness { return harness(t, long, true) })
}
