package redshifttest

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"
)

var (
	testPG    *Postgres
	testPGErr error
	pgOnce    sync.Once
)

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
		testPG, testPGErr = StartPostgres(ctx)
	})
}

// needPostgres returns the test process's PostgreSQL, skipping the test only when the server
// binaries are not installed.
func needPostgres(t testing.TB) *Postgres {
	t.Helper()
	startPostgres()
	if errors.Is(testPGErr, ErrNoPostgres) {
		if os.Getenv("DATABLOCKS_REQUIRE_POSTGRES") != "" {
			t.Fatalf("DATABLOCKS_REQUIRE_POSTGRES is set (as in CI) but: %v", testPGErr)
		}
		t.Skip(testPGErr)
	}
	if testPGErr != nil {
		t.Fatal(testPGErr)
	}
	return testPG
}

// newFake returns a fake on the test PostgreSQL, closed when the test ends.
func newFake(t testing.TB, optFns ...func(*Options)) *Fake {
	pg := needPostgres(t)
	f := New(append([]func(*Options){func(o *Options) { o.ConnString = pg.ConnString }}, optFns...)...)
	t.Cleanup(f.Close)
	return f
}
