package redshift_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

// TestOverTheWire runs the helpers through the real redshiftdata client against the fake
// served by localaws: every Data API operation the package calls.
func TestOverTheWire(t *testing.T) {
	f := newFake(t, func(o *redshifttest.Options) { o.PageSize = 3 })
	srv := localaws.NewTestServer(t, f.Service())
	client := redshiftdata.NewFromConfig(srv.Config())
	// The fake's time passes only by its clock, so waits over the wire sleep on it.
	wait := func(o *redshift.Options) { o.Wait.Clock = f.Clock() }
	target := newTarget()
	ctx := context.Background()

	db := sql.OpenDB(redshift.NewConnector(redshift.NewDataAPI(client, target, wait)))
	defer db.Close()
	if _, err := db.ExecContext(ctx, "create table wire (id int, at timestamptz, note varchar(20))"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 3, 7, 30, 0, 123456000, time.UTC)
	for i := range 7 {
		if _, err := tx.ExecContext(ctx, "insert into wire values (:id, :at, :note)", sql.Named("id", i), sql.Named("at", at), sql.Named("note", "it's #"+string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, "select id, at, note from wire where id >= :1 order by id", 2)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var id int
		var got time.Time
		var note string
		if err := rows.Scan(&id, &got, &note); err != nil {
			t.Fatal(err)
		}
		if id != n+2 || !got.Equal(at) || note != "it's #"+string(rune('a'+id)) {
			t.Errorf("row %d: %d %v %q", n, id, got, note)
		}
		n++
	}
	if rows.Err() != nil || n != 5 {
		t.Fatalf("%d rows (pages of 3), err %v; want 5", n, rows.Err())
	}

	d := redshift.NewDataAPI(client, target, wait)
	res, err := d.RunBatch(ctx, []string{"select count(*) from wire", "select max(id) from wire"}, nil)
	if err != nil || len(res.Subs) != 2 {
		t.Fatalf("batch: %v", err)
	}
	r, err := d.QueryCSV(ctx, redshift.Statement{SQL: "select id from wire order by id"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	r.Close()
	if err != nil || string(b) != "0\n1\n2\n3\n4\n5\n6\n" {
		t.Errorf("CSV %q, %v", b, err)
	}
	h, err := d.Start(ctx, redshift.Statement{SQL: "select 1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Cancel(ctx); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	_, err = h.Wait(ctx)
	var se *redshift.StatementError
	if !errors.As(err, &se) || se.Status != types.StatusStringAborted {
		t.Errorf("cancelled statement: %v", err)
	}
}
