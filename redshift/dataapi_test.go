package redshift_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

func mustExec(t *testing.T, d *redshift.DataAPI, sql string) *redshift.Result {
	t.Helper()
	res, err := d.Run(context.Background(), redshift.Statement{SQL: sql})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return res
}

// allTypes creates a table with one column per Redshift type the package decodes, one row of
// values and one row of NULLs.
const allTypesDDL = `create table all_types (
	i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision, n numeric(12,4), b boolean,
	c char(4), vc varchar(10), d date, tm time, ts timestamp, tstz timestamptz, s super, vb varbyte)`

const allTypesInsert = `insert into all_types values
	(-32768, 2147483647, -9223372036854775808, 1.5, 3.141592653589793, -12345678.1234, true,
	 'ab', 'héllo', '2024-02-29', '23:59:58.123456', '2024-02-29 12:34:56.789', '2024-02-29 12:34:56+02',
	 '{"a":[1,2]}', '\x00ff10'),
	(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)`

func TestTypesRoundTrip(t *testing.T) {
	f := newFake(t)
	d := redshift.NewDataAPI(f, newTarget())
	mustExec(t, d, allTypesDDL)
	mustExec(t, d, allTypesInsert)
	rows, err := d.Query(context.Background(), redshift.Statement{SQL: "select * from all_types order by i2 nulls last"})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	wantTypes := []string{"int2", "int4", "int8", "float4", "float8", "numeric", "bool", "bpchar", "varchar", "date", "time", "timestamp", "timestamptz", "super", "varbyte"}
	var gotTypes []string
	for _, c := range rows.Columns() {
		gotTypes = append(gotTypes, c.TypeName)
	}
	if !reflect.DeepEqual(gotTypes, wantTypes) {
		t.Errorf("column types %q, want %q", gotTypes, wantTypes)
	}
	if c := rows.Columns()[5]; c.Precision != 12 || c.Scale != 4 {
		t.Errorf("numeric(12,4) column metadata precision %d scale %d", c.Precision, c.Scale)
	}
	want := []any{
		int64(-32768), int64(2147483647), int64(math.MinInt64), 1.5, 3.141592653589793, "-12345678.1234", true,
		"ab  ", "héllo", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "23:59:58.123456",
		time.Date(2024, 2, 29, 12, 34, 56, 789e6, time.UTC), time.Date(2024, 2, 29, 10, 34, 56, 0, time.UTC),
		json.RawMessage(`{"a":[1,2]}`), []byte{0, 0xff, 0x10},
	}
	if !rows.Next() {
		t.Fatalf("no first row: %v", rows.Err())
	}
	got := rows.Values()
	for i, w := range want {
		g := got[i]
		switch w := w.(type) {
		case time.Time:
			if gt, ok := g.(time.Time); !ok || !gt.Equal(w) {
				t.Errorf("%s: got %#v, want %v", wantTypes[i], g, w)
			}
		case json.RawMessage:
			var a, b any
			json.Unmarshal(w, &a)
			if raw, ok := g.(json.RawMessage); !ok || json.Unmarshal(raw, &b) != nil || !reflect.DeepEqual(a, b) {
				t.Errorf("%s: got %#v, want JSON %s", wantTypes[i], g, w)
			}
		default:
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: got %#v, want %#v", wantTypes[i], g, w)
			}
		}
	}
	if !rows.Next() {
		t.Fatalf("no second row: %v", rows.Err())
	}
	for i, v := range rows.Values() {
		if v != nil {
			t.Errorf("%s NULL came back as %#v", wantTypes[i], v)
		}
	}
	if rows.Next() || rows.Err() != nil {
		t.Errorf("a third row or an error: %v", rows.Err())
	}

	// The same through database/sql into typed destinations.
	db := sql.OpenDB(redshift.NewConnector(d))
	defer db.Close()
	var (
		i2, i4, i8   int64
		f4, f8       float64
		n, c, vc, tm string
		b            bool
		dt, ts, tstz time.Time
		s, vb        []byte
		nullI8       sql.NullInt64
		nullTS       sql.NullTime
	)
	err = db.QueryRow("select * from all_types where i2 is not null").Scan(&i2, &i4, &i8, &f4, &f8, &n, &b, &c, &vc, &dt, &tm, &ts, &tstz, &s, &vb)
	if err != nil {
		t.Fatal(err)
	}
	if i8 != math.MinInt64 || n != "-12345678.1234" || !tstz.Equal(time.Date(2024, 2, 29, 10, 34, 56, 0, time.UTC)) || string(vb) != "\x00\xff\x10" || !json.Valid(s) {
		t.Errorf("database/sql scan: i8=%d n=%s tstz=%v vb=%x s=%s", i8, n, tstz, vb, s)
	}
	if err := db.QueryRow("select i8, ts from all_types where i2 is null").Scan(&nullI8, &nullTS); err != nil || nullI8.Valid || nullTS.Valid {
		t.Errorf("NULLs through database/sql: %v %v %v", nullI8, nullTS, err)
	}
}

func TestMalformedValuesAreErrors(t *testing.T) {
	cases := []struct {
		typ   string
		field types.Field
	}{
		{"int8", &types.FieldMemberStringValue{Value: "12x"}},
		{"int4", &types.FieldMemberBooleanValue{Value: true}},
		{"float8", &types.FieldMemberStringValue{Value: "abc"}},
		{"numeric", &types.FieldMemberStringValue{Value: "1.2.3"}},
		{"bool", &types.FieldMemberStringValue{Value: "yes"}},
		{"date", &types.FieldMemberStringValue{Value: "2024-13-45"}},
		{"timestamp", &types.FieldMemberStringValue{Value: "yesterday"}},
		{"timestamptz", &types.FieldMemberStringValue{Value: "2024-01-01 00:00:00"}},
		{"time", &types.FieldMemberStringValue{Value: "25:61:00"}},
		{"super", &types.FieldMemberStringValue{Value: `{"a":`}},
		{"varbyte", &types.FieldMemberStringValue{Value: "zz"}},
		{"varchar", &types.FieldMemberIsNull{Value: false}},
	}
	f := newFake(t)
	d := redshift.NewDataAPI(f, newTarget())
	for _, tc := range cases {
		res := mustExec(t, d, "select 1 as x")
		f.Control(redshifttest.OpGetStatementResult, func(any) (any, error, bool) {
			return &redshiftdata.GetStatementResultOutput{
				ColumnMetadata: []types.ColumnMetadata{{Name: aws.String("x"), TypeName: aws.String(tc.typ)}},
				Records:        [][]types.Field{{tc.field}}, TotalNumRows: 1,
			}, nil, true
		})
		rows, err := d.Rows(context.Background(), res.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rows.Next() {
			t.Errorf("%s %#v: decoded as %#v, want an error", tc.typ, tc.field, rows.Values()[0])
		} else if rows.Err() == nil {
			t.Errorf("%s %#v: no row and no error", tc.typ, tc.field)
		}
	}
}

// TestDescribeCallsForTwoSecondStatement measures the polling economy: the number of
// DescribeStatement calls while a statement runs for two seconds (of the fake's clock).
func TestDescribeCallsForTwoSecondStatement(t *testing.T) {
	f := newFake(t, func(o *redshifttest.Options) { o.StatementTime = func(string) time.Duration { return 2 * time.Second } })
	d := redshift.NewDataAPI(f, newTarget())
	// describes runs one statement with d and counts its DescribeStatement calls.
	describes := func(d *redshift.DataAPI) int {
		before := f.Count(redshifttest.OpDescribeStatement)
		mustExec(t, d, "select 1")
		return f.Count(redshifttest.OpDescribeStatement) - before
	}
	worst := 0
	for range 20 {
		worst = max(worst, describes(d))
	}
	if worst > 10 {
		t.Errorf("DescribeStatement calls for a 2 s statement: %d in the worst of 20 runs, want ≤ 10", worst)
	}
	// The anchor driver's fixed 10 ms poll, for the record.
	fixed := redshift.NewDataAPI(f, newTarget(), func(o *redshift.Options) {
		o.Wait = datablocks.WaitOptions{MinDelay: 10 * time.Millisecond, MaxDelay: 10 * time.Millisecond, Jitter: func() float64 { return 0 }}
	})
	n := describes(fixed)
	t.Logf("DescribeStatement calls for a 2 s statement: adaptive %d (worst of 20), fixed 10 ms %d", worst, n)
	if n < 150 {
		t.Errorf("fixed 10 ms poll made %d calls; the comparison is broken", n)
	}
}

func TestContextCancelCancelsStatement(t *testing.T) {
	f := newFake(t, func(o *redshifttest.Options) { o.StatementTime = func(string) time.Duration { return time.Hour } })
	d := redshift.NewDataAPI(f, newTarget())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	f.KeepControl(redshifttest.OpDescribeStatement, func(any) (any, error, bool) {
		if calls++; calls == 3 {
			cancel()
		}
		return nil, nil, false
	})
	_, err := d.Run(ctx, redshift.Statement{SQL: "select 1"})
	var se *redshift.StatementError
	if !errors.As(err, &se) || se.Status != types.StatusStringAborted || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want an ABORTED *StatementError wrapping context.Canceled", err)
	}
	if n := f.Count(redshifttest.OpCancelStatement); n != 1 {
		t.Fatalf("CancelStatement calls: %d, want 1", n)
	}
	f.ClearControls()
	out, err := f.DescribeStatement(context.Background(), &redshiftdata.DescribeStatementInput{Id: aws.String(se.ID)})
	if err != nil || out.Status != types.StatusStringAborted {
		t.Fatalf("statement after cancel: %v %v, want ABORTED", out.Status, err)
	}
}

func TestFailedStatementError(t *testing.T) {
	f := newFake(t)
	d := redshift.NewDataAPI(f, newTarget())
	_, err := d.Run(context.Background(), redshift.Statement{SQL: "select * from no_such_table"})
	var se *redshift.StatementError
	if !errors.As(err, &se) || se.Status != types.StatusStringFailed || !strings.Contains(se.Message, `relation "no_such_table" does not exist`) || se.QueryID == 0 {
		t.Fatalf("err = %#v", err)
	}
}

func TestBatchRollsBackAsOne(t *testing.T) {
	f := newFake(t)
	d := redshift.NewDataAPI(f, newTarget())
	ctx := context.Background()
	res, err := d.RunBatch(ctx, []string{"create table b1 (id int)", "insert into b1 values (:id)", "select id from b1"}, []redshift.Param{{Name: "id", Value: "5"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Subs) != 3 || !res.Subs[2].HasResultSet || res.Subs[2].Rows != 1 || res.Subs[1].Rows != 1 {
		t.Fatalf("subs = %+v", res.Subs)
	}
	rows, err := d.Rows(ctx, res.Subs[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() || rows.Values()[0] != int64(5) {
		t.Fatalf("sub-statement result: %v %v", rows.Values(), rows.Err())
	}
	_, err = d.RunBatch(ctx, []string{"insert into b1 values (6)", "create table b2 (id int)", "insert into b1 values ('x')"}, nil)
	var se *redshift.StatementError
	if !errors.As(err, &se) || se.Sub != 3 || se.Status != types.StatusStringFailed {
		t.Fatalf("failing batch: %v", err)
	}
	var n int64
	r2, err := d.Query(ctx, redshift.Statement{SQL: "select count(*) from b1"})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Next() {
		n = r2.Values()[0].(int64)
	}
	if n != 1 {
		t.Errorf("b1 has %d rows after the failed batch, want 1 (its insert rolled back)", n)
	}
	if _, err := d.Run(ctx, redshift.Statement{SQL: "select * from b2"}); err == nil {
		t.Error("b2 exists after the failed batch, want it rolled back")
	}
	if _, err := d.RunBatch(ctx, make([]string, 41), nil); err == nil {
		t.Error("41 statements: no error")
	}
}

func TestCSVResult(t *testing.T) {
	f := newFake(t, func(o *redshifttest.Options) { o.PageSize = 2 })
	d := redshift.NewDataAPI(f, newTarget())
	ctx := context.Background()
	r, err := d.QueryCSV(ctx, redshift.Statement{SQL: `select g as n, 'a,"b"' as s from generate_series(1, 3) g`})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	want := "1,\"a,\"\"b\"\"\"\n2,\"a,\"\"b\"\"\"\n3,\"a,\"\"b\"\"\"\n"
	if string(b) != want {
		t.Errorf("CSV = %q, want %q", b, want)
	}
	if n := f.Count(redshifttest.OpGetStatementResultV2); n != 2 {
		t.Errorf("GetStatementResultV2 calls = %d, want 2 pages of 2", n)
	}
}

func TestSessionKeepsStateAndExpires(t *testing.T) {
	f := newFake(t)
	d := redshift.NewDataAPI(f, newTarget())
	ctx := context.Background()
	s, err := d.NewSession(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(ctx, redshift.Statement{SQL: "create temp table scratch as select 42 as x"}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Query(ctx, redshift.Statement{SQL: "select x from scratch"})
	if err != nil {
		t.Fatalf("temp table in the same session: %v", err)
	}
	if !rows.Next() || rows.Values()[0] != int64(42) {
		t.Fatalf("scratch: %v %v", rows.Values(), rows.Err())
	}
	f.Clock().(*datablocks.ManualClock).Advance(2 * time.Minute)
	var ve *types.ValidationException
	if _, err := s.Run(ctx, redshift.Statement{SQL: "select 1"}); !errors.As(err, &ve) {
		t.Fatalf("after the keep-alive: %v, want a ValidationException", err)
	}
	if _, err := d.NewSession(0); err == nil {
		t.Error("keep-alive 0: no error")
	}
}

func TestDriverReopensExpiredSession(t *testing.T) {
	f := newFake(t)
	db := sql.OpenDB(redshift.NewConnector(redshift.NewDataAPI(f, newTarget()), func(o *redshift.Options) { o.SessionKeepAlive = time.Minute }))
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	for i := range 2 {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatalf("transaction %d: %v", i, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		f.Clock().(*datablocks.ManualClock).Advance(5 * time.Minute)
	}
	// The second BEGIN first went to the expired session, was refused, and went to a new one.
	var refused, ok int
	for _, c := range f.Calls() {
		if c.Op != redshifttest.OpExecuteStatement {
			continue
		}
		if c.Err != nil {
			refused++
		} else {
			ok++
		}
	}
	if refused != 1 || ok != 4 {
		t.Errorf("ExecuteStatement calls: %d refused, %d accepted; want 1 and 4 (BEGIN, COMMIT twice)", refused, ok)
	}
}

func TestValidationBeforeAnyCall(t *testing.T) {
	f := newFake(t)
	ctx := context.Background()
	targets := []redshift.Target{
		{Database: "dev"},
		{Workgroup: "wg-1", Cluster: "c1", Database: "dev"},
		{Workgroup: "WG", Database: "dev"},
		{Cluster: "1cluster", Database: "dev"},
		{Cluster: "c1"},
		{Cluster: "c1", Database: "dev", DbUser: "u", SecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf"},
		{Workgroup: "wg-1", Database: "dev", DbUser: "u"},
		{Workgroup: "wg-1", Database: "dev", SecretARN: "arn:aws:s3:::bucket"},
	}
	for _, tg := range targets {
		if _, err := redshift.NewDataAPI(f, tg).Run(ctx, redshift.Statement{SQL: "select 1"}); err == nil {
			t.Errorf("target %+v: no error", tg)
		}
	}
	good := []redshift.Target{
		{Workgroup: "wg-1", Database: "dev"},
		{Workgroup: "arn:aws-cn:redshift-serverless:cn-north-1:123456789012:workgroup/0b5c6f4e-1d2a-4f3b-9c8d-7e6f5a4b3c2d", Database: "dev"},
		{Cluster: "my-cluster", Database: "dev", DbUser: "etl"},
		{Cluster: "my-cluster", Database: "dev", SecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf"},
	}
	for _, tg := range good {
		if err := tg.Validate(); err != nil {
			t.Errorf("target %+v: %v", tg, err)
		}
	}
	d := redshift.NewDataAPI(f, newTarget())
	statements := []redshift.Statement{
		{SQL: " "},
		{SQL: "select :a"},
		{SQL: "select 1", Params: []redshift.Param{{Name: "a", Value: "1"}}},
		{SQL: "select :a", Params: []redshift.Param{{Name: "a", Value: ""}}},
		{SQL: "select :a", Params: []redshift.Param{{Name: "a-b", Value: "1"}}},
		{SQL: "select :a", Params: []redshift.Param{{Name: "a", Value: "1"}, {Name: "a", Value: "2"}}},
		{SQL: "select ':a'", Params: []redshift.Param{{Name: "a", Value: "1"}}},
		{SQL: "select 'unterminated"},
	}
	for _, st := range statements {
		if _, err := d.Run(ctx, st); err == nil {
			t.Errorf("statement %+v: no error", st)
		}
	}
	if n := len(f.Calls()); n != 0 {
		t.Errorf("%d calls for invalid input, want 0", n)
	}
}
