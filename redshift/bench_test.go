package redshift_test

import (
	"context"
	"database/sql"
	"runtime"
	"testing"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

const streamRows = 1_000_000

// BenchmarkStreamRows reads a 1,000,000-row result (int8, varchar) through DataAPI.Rows and
// through database/sql, and reports the bytes allocated per row and the peak growth of the
// live heap while reading (sampled after a forced GC every 50,000 rows; the fake's copy of the
// result exists before the baseline is taken, as it lives on AWS's side in production).
func BenchmarkStreamRows(b *testing.B) {
	f := newFake(b)
	d := redshift.NewDataAPI(f, newTarget())
	ctx := context.Background()
	q := redshift.Statement{SQL: "select g::int8 as id, 'name-' || g as name from generate_series(1, 1000000) g"}
	res, err := d.Run(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	// read calls begin once the statement has finished (the result exists on the fake) and
	// sample after each row.
	measure := func(b *testing.B, read func(begin func(), sample func(n int)) int) {
		var peak uint64
		var ms runtime.MemStats
		for b.Loop() {
			var base, allocs uint64
			begin := func() {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				base, allocs = ms.HeapAlloc, ms.TotalAlloc
			}
			n := read(begin, func(n int) {
				if n%50_000 != 0 {
					return
				}
				runtime.GC()
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > base && ms.HeapAlloc-base > peak {
					peak = ms.HeapAlloc - base
				}
			})
			if n != streamRows {
				b.Fatalf("read %d rows, want %d", n, streamRows)
			}
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.TotalAlloc-allocs)/streamRows, "B/row")
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-live-heap-growth-MiB")
	}
	b.Run("DataAPI.Rows", func(b *testing.B) {
		measure(b, func(begin func(), sample func(int)) int {
			begin()
			rows, err := d.Rows(ctx, res.ID)
			if err != nil {
				b.Fatal(err)
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				n++
				sample(n)
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			return n
		})
	})
	b.Run("database/sql", func(b *testing.B) {
		db := sql.OpenDB(redshift.NewConnector(d))
		defer db.Close()
		measure(b, func(begin func(), sample func(int)) int {
			// QueryContext returns once the statement finished (and the fake stored its result)
			// and the first page arrived: the baseline comes after it.
			rows, err := db.QueryContext(ctx, q.SQL)
			if err != nil {
				b.Fatal(err)
			}
			begin()
			defer rows.Close()
			n := 0
			var id int64
			var name string
			for rows.Next() {
				if err := rows.Scan(&id, &name); err != nil {
					b.Fatal(err)
				}
				n++
				sample(n)
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			return n
		})
	})
}

// BenchmarkDescribeCalls compares, side by side, the DescribeStatement calls one 2-second
// statement (by the fake's clock) costs with the adaptive poll and with the anchor driver's
// fixed 10 ms poll.
func BenchmarkDescribeCalls(b *testing.B) {
	f := newFake(b, func(o *redshifttest.Options) { o.StatementTime = func(string) time.Duration { return 2 * time.Second } })
	polls := []struct {
		name string
		wait datablocks.WaitOptions
	}{
		{"adaptive", datablocks.WaitOptions{}},
		{"fixed-10ms", datablocks.WaitOptions{MinDelay: 10 * time.Millisecond, MaxDelay: 10 * time.Millisecond, Jitter: func() float64 { return 0 }}},
	}
	for _, p := range polls {
		b.Run(p.name, func(b *testing.B) {
			d := redshift.NewDataAPI(f, newTarget(), func(o *redshift.Options) { o.Wait = p.wait })
			calls, worst, n := 0, 0, 0
			for b.Loop() {
				before := f.Count(redshifttest.OpDescribeStatement)
				if _, err := d.Run(context.Background(), redshift.Statement{SQL: "select 1"}); err != nil {
					b.Fatal(err)
				}
				c := f.Count(redshifttest.OpDescribeStatement) - before
				calls += c
				worst = max(worst, c)
				n++
			}
			b.ReportMetric(float64(calls)/float64(n), "describe-calls/stmt")
			b.ReportMetric(float64(worst), "worst-describe-calls")
		})
	}
}
