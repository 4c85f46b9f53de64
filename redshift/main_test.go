package redshift_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

var (
	testPG    *redshifttest.Postgres
	testPGErr error
	pgOnce    sync.Once
)

// TestMain starts one private PostgreSQL for the whole test process.
func TestMain(m *testing.M) {
	code := m.Run()
	if testPG != nil {
		testPG.Close()
	}
	os.Exit(code)
}

// startPostgres starts the test process's PostgreSQL on first use (fuzz workers and tests
// that need none never start it).
func startPostgres() {
	pgOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		testPG, testPGErr = redshifttest.StartPostgres(ctx)
	})
}

// newFake returns a Data API fake on the test PostgreSQL, skipping the test only when the
// PostgreSQL binaries are not installed.
func newFake(t testing.TB, optFns ...func(*redshifttest.Options)) *redshifttest.Fake {
	t.Helper()
	startPostgres()
	if errors.Is(testPGErr, redshifttest.ErrNoPostgres) {
		if os.Getenv("DATABLOCKS_REQUIRE_POSTGRES") != "" {
			t.Fatalf("DATABLOCKS_REQUIRE_POSTGRES is set (as in CI) but: %v", testPGErr)
		}
		t.Skip(testPGErr)
	}
	if testPGErr != nil {
		t.Fatal(testPGErr)
	}
	f := redshifttest.New(append([]func(*redshifttest.Options){func(o *redshifttest.Options) { o.ConnString = testPG.ConnString }}, optFns...)...)
	t.Cleanup(f.Close)
	return f
}

var databases atomic.Int64

// newTarget returns a target on a database of its own, so tests (and -count=N runs) do not
// see each other's tables.
func newTarget() redshift.Target {
	return redshift.Target{Workgroup: "analytics", Database: fmt.Sprintf("test_%d_%d", os.Getpid(), databases.Add(1))}
}

var _ redshift.DataAPIClient = (*redshifttest.Fake)(nil)
