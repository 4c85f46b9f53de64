package redshift_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

func openDB(t *testing.T, f *redshifttest.Fake) *sql.DB {
	t.Helper()
	db := sql.OpenDB(redshift.NewConnector(redshift.NewDataAPI(f, newTarget())))
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, table string) int {
	t.Helper()
	var n int
	if err := q.QueryRowContext(context.Background(), "select count(*) from "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestDriverTransactionWithOneExecCommits(t *testing.T) {
	f := newFake(t)
	db := openDB(t, f)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "create table tx_one (id int)"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "insert into tx_one values (:1)", 7); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "tx_one"); n != 1 {
		t.Fatalf("after commit of a one-Exec transaction: %d rows, want 1", n)
	}
	// The connection is out of the transaction: a second one works on it.
	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("second transaction: %v", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
}

func TestDriverTransactionIsolationAndRollback(t *testing.T) {
	f := newFake(t)
	db := openDB(t, f)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "create table tx_iso (id int, name varchar(20))"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tx.ExecContext(ctx, "insert into tx_iso values (1, 'a'), (2, 'b')")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 2 {
		t.Errorf("RowsAffected = %d, want 2", n)
	}
	if n := count(t, tx, "tx_iso"); n != 2 {
		t.Errorf("inside the transaction: %d rows, want its 2 uncommitted rows", n)
	}
	if n := count(t, db, "tx_iso"); n != 0 {
		t.Errorf("outside the transaction: %d rows, want 0 (uncommitted)", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "tx_iso"); n != 0 {
		t.Errorf("after rollback: %d rows, want 0", n)
	}
	if err := tx.Commit(); !errors.Is(err, sql.ErrTxDone) {
		t.Errorf("Commit after Rollback: %v, want sql.ErrTxDone", err)
	}
}

func TestDriverParametersRoundTrip(t *testing.T) {
	f := newFake(t)
	db := openDB(t, f)
	ctx := context.Background()
	values := []string{
		"it's", `say "hi"`, "'; drop table users; --", ":name and :1", "$1 $$ $tag$", "/* not a comment */",
		"日本語 ✓ 🙂", `back\slash \n`, "100% _like_", "line\nbreak\ttab", " leading and trailing ",
	}
	for _, v := range values {
		var got string
		if err := db.QueryRowContext(ctx, "select :v::varchar as v", sql.Named("v", v)).Scan(&got); err != nil {
			t.Errorf("%q: %v", v, err)
			continue
		}
		if got != v {
			t.Errorf("parameter %q came back as %q", v, got)
		}
	}
	// Positional and prepared.
	st, err := db.PrepareContext(ctx, "select :1::int + :2::int")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var sum int
	if err := st.QueryRowContext(ctx, 40, 2).Scan(&sum); err != nil || sum != 42 {
		t.Errorf("prepared :1 + :2 = %d, %v; want 42", sum, err)
	}
	// NULL and empty strings cannot be Data API parameters: refused before any call.
	before := f.Count(redshifttest.OpExecuteStatement)
	for _, bad := range []any{nil, ""} {
		if _, err := db.ExecContext(ctx, "select :1", bad); err == nil {
			t.Errorf("argument %#v: no error", bad)
		}
	}
	if n := f.Count(redshifttest.OpExecuteStatement) - before; n != 0 {
		t.Errorf("%d ExecuteStatement calls for refused arguments, want 0", n)
	}
}

func TestDriverTimeArgumentsKeepTheInstant(t *testing.T) {
	f := newFake(t)
	db := openDB(t, f)
	ctx := context.Background()
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2026, 12, 3, 16, 30, 0, 250000000, tokyo) // 07:30:00.25 UTC
	var ts, tstz time.Time
	if err := db.QueryRowContext(ctx, "select :1::timestamp, :1::timestamptz", at).Scan(&ts, &tstz); err != nil {
		t.Fatal(err)
	}
	if !ts.Equal(at) || !tstz.Equal(at) {
		t.Errorf("timestamp %v, timestamptz %v; want both %v", ts, tstz, at.UTC())
	}
}

func TestDriverSessionPerConn(t *testing.T) {
	f := newFake(t)
	ctx := context.Background()
	target := newTarget()
	db := sql.OpenDB(redshift.NewConnector(redshift.NewDataAPI(f, target), func(o *redshift.Options) { o.SessionPerConn = true }))
	defer db.Close()
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "create temp table scratch as select 42 as x"); err != nil {
		t.Fatal(err)
	}
	var x int
	if err := c.QueryRowContext(ctx, "select x from scratch").Scan(&x); err != nil || x != 42 {
		t.Fatalf("temp table on the same connection: %d, %v", x, err)
	}
	// Without SessionPerConn each statement runs on its own: the temp table is gone.
	plain := openDB(t, f)
	pc, err := plain.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	if _, err := pc.ExecContext(ctx, "create temp table scratch2 as select 1 as x"); err != nil {
		t.Fatal(err)
	}
	if err := pc.QueryRowContext(ctx, "select x from scratch2").Scan(&x); err == nil {
		t.Error("a temp table outlived its statement without SessionPerConn")
	}
}

func TestDriverContextCancelCancelsStatement(t *testing.T) {
	f := newFake(t, func(o *redshifttest.Options) { o.StatementTime = func(string) time.Duration { return time.Hour } })
	db := openDB(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	f.KeepControl(redshifttest.OpDescribeStatement, func(any) (any, error, bool) {
		if calls++; calls == 2 {
			cancel()
		}
		return nil, nil, false
	})
	if _, err := db.ExecContext(ctx, "select 1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("ExecContext: %v, want context.Canceled", err)
	}
	if n := f.Count(redshifttest.OpCancelStatement); n != 1 {
		t.Errorf("CancelStatement calls = %d, want 1", n)
	}
}
