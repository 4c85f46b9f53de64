// Package conformance checks clients of the Redshift Data API, Redshift Serverless and the
// datashare operations of Redshift (the fakes of package redshifttest, or AWS) against the
// suite's reading of the AWS API references. The fakes' tests run it in-process and through
// the real SDK clients over localaws, and the integration tests against AWS.
package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
)

// Client is the Data API as the conformance suite calls it: the methods of
// redshiftdata.Client that the Fake implements.
type Client interface {
	ExecuteStatement(ctx context.Context, params *redshiftdata.ExecuteStatementInput, optFns ...func(*redshiftdata.Options)) (*redshiftdata.ExecuteStatementOutput, error)
	BatchExecuteStatement(ctx context.Context, params *redshiftdata.BatchExecuteStatementInput, optFns ...func(*redshiftdata.Options)) (*redshiftdata.BatchExecuteStatementOutput, error)
	DescribeStatement(ctx context.Context, params *redshiftdata.DescribeStatementInput, optFns ...func(*redshiftdata.Options)) (*redshiftdata.DescribeStatementOutput, error)
	GetStatementResult(ctx context.Context, params *redshiftdata.GetStatementResultInput, optFns ...func(*redshiftdata.Options)) (*redshiftdata.GetStatementResultOutput, error)
	GetStatementResultV2(ctx context.Context, params *redshiftdata.GetStatementResultV2Input, optFns ...func(*redshiftdata.Options)) (*redshiftdata.GetStatementResultV2Output, error)
	CancelStatement(ctx context.Context, params *redshiftdata.CancelStatementInput, optFns ...func(*redshiftdata.Options)) (*redshiftdata.CancelStatementOutput, error)
}

var _ Client = (*redshiftdata.Client)(nil)

// Harness is what the conformance suite needs from one Data API: a client, a workgroup and
// database to run statements on, and a way to let time pass (the fake's clock, or a real
// sleep against AWS).
type Harness struct {
	// Client reaches the Data API.
	Client Client
	// Workgroup and Database are the target of every statement.
	Workgroup, Database string
	// Advance lets d pass for the Data API.
	Advance func(d time.Duration)
	// StatementTime is at least how long a statement takes; the suite advances by more
	// than this to see statements end.
	StatementTime time.Duration
	// LongStatement is SQL that is still running after StatementTime and before
	// 100×StatementTime (the fake: any SQL, with a long Options.StatementTime; AWS: a slow
	// query).
	LongStatement string
}

// RunConformanceTests checks that a Data API behaves as the suite's reading of the AWS API
// reference says: the statement state machine, results and pages, validation errors,
// cancellation, batches, sessions and CSV results. newHarness makes a fresh harness for each
// subtest; long selects the harness variant whose statements take long (for cancellation).
func RunConformanceTests(t *testing.T, newHarness func(t *testing.T, long bool) Harness) {
	ctx := context.Background()
	run := func(h Harness, sql string, params ...types.SqlParameter) string {
		t.Helper()
		out, err := h.Client.ExecuteStatement(ctx, &redshiftdata.ExecuteStatementInput{
			WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database), Sql: aws.String(sql), Parameters: params})
		if err != nil {
			t.Fatalf("ExecuteStatement %q: %v", sql, err)
		}
		return aws.ToString(out.Id)
	}
	finish := func(t *testing.T, h Harness, id string) *redshiftdata.DescribeStatementOutput {
		t.Helper()
		h.Advance(2 * h.StatementTime)
		for range 100 {
			d, err := h.Client.DescribeStatement(ctx, &redshiftdata.DescribeStatementInput{Id: aws.String(id)})
			if err != nil {
				t.Fatalf("DescribeStatement: %v", err)
			}
			switch d.Status {
			case types.StatusStringFinished, types.StatusStringFailed, types.StatusStringAborted:
				return d
			}
			h.Advance(h.StatementTime)
		}
		t.Fatalf("statement %s did not end", id)
		return nil
	}

	t.Run("StatementLifecycleAndTypedResult", func(t *testing.T) {
		h := newHarness(t, false)
		id := run(h, "select :n::int + 1 as x, 'a' || :s as s, null::int as z",
			types.SqlParameter{Name: aws.String("n"), Value: aws.String("41")}, types.SqlParameter{Name: aws.String("s"), Value: aws.String("b")})
		d, err := h.Client.DescribeStatement(ctx, &redshiftdata.DescribeStatementInput{Id: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == types.StatusStringFinished {
			t.Logf("statement finished at once (status %s)", d.Status)
		} else if d.ResultRows != -1 {
			t.Errorf("ResultRows before the end = %d, want -1", d.ResultRows)
		}
		d = finish(t, h, id)
		if d.Status != types.StatusStringFinished || !aws.ToBool(d.HasResultSet) || d.ResultRows != 1 || d.Duration < 0 {
			t.Fatalf("described %s HasResultSet=%v ResultRows=%d Duration=%d, want FINISHED, true, 1, ≥0", d.Status, aws.ToBool(d.HasResultSet), d.ResultRows, d.Duration)
		}
		r, err := h.Client.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Records) != 1 || len(r.ColumnMetadata) != 3 || aws.ToString(r.ColumnMetadata[0].TypeName) != "int4" {
			t.Fatalf("result %d records, columns %d", len(r.Records), len(r.ColumnMetadata))
		}
		if v, ok := r.Records[0][0].(*types.FieldMemberLongValue); !ok || v.Value != 42 {
			t.Errorf("x = %#v, want longValue 42", r.Records[0][0])
		}
		if v, ok := r.Records[0][1].(*types.FieldMemberStringValue); !ok || v.Value != "ab" {
			t.Errorf("s = %#v, want stringValue ab", r.Records[0][1])
		}
		if v, ok := r.Records[0][2].(*types.FieldMemberIsNull); !ok || !v.Value {
			t.Errorf("z = %#v, want isNull", r.Records[0][2])
		}
	})

	t.Run("EmptyQueryHasResultSet", func(t *testing.T) {
		h := newHarness(t, false)
		d := finish(t, h, run(h, "select 1 as x where false"))
		if !aws.ToBool(d.HasResultSet) || d.ResultRows != 0 {
			t.Errorf("HasResultSet=%v ResultRows=%d, want true and 0", aws.ToBool(d.HasResultSet), d.ResultRows)
		}
	})

	t.Run("Pages", func(t *testing.T) {
		h := newHarness(t, false)
		id := run(h, "select g from generate_series(1, 2500) g")
		finish(t, h, id)
		var token *string
		total, pages := 0, 0
		for {
			r, err := h.Client.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: aws.String(id), NextToken: token})
			if err != nil {
				t.Fatal(err)
			}
			for _, rec := range r.Records {
				total++
				if v, ok := rec[0].(*types.FieldMemberLongValue); !ok || v.Value != int64(total) {
					t.Fatalf("row %d = %#v", total, rec[0])
				}
			}
			pages++
			if token = r.NextToken; aws.ToString(token) == "" {
				break
			}
		}
		if total != 2500 || pages < 2 {
			t.Errorf("%d rows in %d pages, want 2500 in several", total, pages)
		}
		if _, err := h.Client.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: aws.String(id), NextToken: aws.String("garbage")}); !isValidation(err) {
			t.Errorf("bad NextToken: %v, want ValidationException", err)
		}
	})

	t.Run("Validation", func(t *testing.T) {
		h := newHarness(t, false)
		bad := []*redshiftdata.ExecuteStatementInput{
			{Sql: aws.String("select 1"), Database: aws.String(h.Database)},
			{Sql: aws.String("select 1"), WorkgroupName: aws.String(h.Workgroup), ClusterIdentifier: aws.String("c1"), Database: aws.String(h.Database)},
			{Sql: aws.String("select :a"), WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database)},
			{Sql: aws.String("select :a"), WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database),
				Parameters: []types.SqlParameter{{Name: aws.String("a"), Value: aws.String("")}}},
			{Sql: aws.String("select :a"), WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database),
				Parameters: []types.SqlParameter{{Name: aws.String("a-b"), Value: aws.String("1")}}},
			{Sql: aws.String("select 1"), WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database), SessionKeepAliveSeconds: aws.Int32(86401)},
			{Sql: aws.String("select 1"), WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database), DbUser: aws.String("u")},
		}
		for i, in := range bad {
			if _, err := h.Client.ExecuteStatement(ctx, in); !isValidation(err) {
				t.Errorf("request %d: %v, want ValidationException", i, err)
			}
		}
		if _, err := h.Client.BatchExecuteStatement(ctx, &redshiftdata.BatchExecuteStatementInput{
			Sqls: make([]string, 41), WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database)}); !isValidation(err) {
			t.Errorf("41 Sqls: %v, want ValidationException", err)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		h := newHarness(t, false)
		var nf *types.ResourceNotFoundException
		if _, err := h.Client.DescribeStatement(ctx, &redshiftdata.DescribeStatementInput{Id: aws.String("00000000-0000-4000-8000-000000000000")}); !errors.As(err, &nf) {
			t.Errorf("DescribeStatement of an unknown ID: %v, want ResourceNotFoundException", err)
		}
	})

	t.Run("FailedStatement", func(t *testing.T) {
		h := newHarness(t, false)
		d := finish(t, h, run(h, "select * from conformance_no_such_table"))
		if d.Status != types.StatusStringFailed || !strings.Contains(aws.ToString(d.Error), "conformance_no_such_table") {
			t.Errorf("status %s error %q, want FAILED naming the table", d.Status, aws.ToString(d.Error))
		}
		if _, err := h.Client.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: d.Id}); !isValidation(err) {
			t.Errorf("result of a failed statement: %v, want ValidationException", err)
		}
	})

	t.Run("Cancel", func(t *testing.T) {
		h := newHarness(t, true)
		id := run(h, h.LongStatement)
		h.Advance(h.StatementTime)
		out, err := h.Client.CancelStatement(ctx, &redshiftdata.CancelStatementInput{Id: aws.String(id)})
		if err != nil || !aws.ToBool(out.Status) {
			t.Fatalf("CancelStatement: %v", err)
		}
		d := finish(t, h, id)
		if d.Status != types.StatusStringAborted {
			t.Errorf("after cancel: %s, want ABORTED", d.Status)
		}
		if _, err := h.Client.CancelStatement(ctx, &redshiftdata.CancelStatementInput{Id: aws.String(id)}); !isValidation(err) {
			t.Errorf("cancelling an ended statement: %v, want ValidationException", err)
		}
	})

	t.Run("BatchIsOneTransaction", func(t *testing.T) {
		h := newHarness(t, false)
		table := fmt.Sprintf("conformance_batch_%d", time.Now().UnixNano())
		out, err := h.Client.BatchExecuteStatement(ctx, &redshiftdata.BatchExecuteStatementInput{
			WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database),
			Sqls: []string{"create table " + table + " (id int)", "insert into " + table + " values (1)", "select id from " + table}})
		if err != nil {
			t.Fatal(err)
		}
		d := finish(t, h, aws.ToString(out.Id))
		if d.Status != types.StatusStringFinished || len(d.SubStatements) != 3 || aws.ToString(d.SubStatements[2].Id) != aws.ToString(out.Id)+":3" {
			t.Fatalf("batch %s with %d sub-statements", d.Status, len(d.SubStatements))
		}
		if _, err := h.Client.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: out.Id}); !isValidation(err) {
			t.Errorf("result of the batch ID: %v, want ValidationException", err)
		}
		r, err := h.Client.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: d.SubStatements[2].Id})
		if err != nil || len(r.Records) != 1 {
			t.Fatalf("sub-statement result: %v", err)
		}
		out, err = h.Client.BatchExecuteStatement(ctx, &redshiftdata.BatchExecuteStatementInput{
			WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database),
			Sqls: []string{"insert into " + table + " values (2)", "insert into " + table + " values ('x')"}})
		if err != nil {
			t.Fatal(err)
		}
		d = finish(t, h, aws.ToString(out.Id))
		if d.Status != types.StatusStringFailed || d.SubStatements[1].Status != types.StatementStatusStringFailed {
			t.Fatalf("failing batch: %s", d.Status)
		}
		id := run(h, "select count(*) from "+table)
		finish(t, h, id)
		r, err = h.Client.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := r.Records[0][0].(*types.FieldMemberLongValue); !ok || v.Value != 1 {
			t.Errorf("rows after the failed batch: %#v, want 1 (the batch rolled back)", r.Records[0][0])
		}
	})

	t.Run("SessionSpansStatements", func(t *testing.T) {
		h := newHarness(t, false)
		out, err := h.Client.ExecuteStatement(ctx, &redshiftdata.ExecuteStatementInput{WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database),
			Sql: aws.String("create temp table conformance_scratch as select 7 as x"), SessionKeepAliveSeconds: aws.Int32(60)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.SessionId) == "" {
			t.Fatal("no SessionId with SessionKeepAliveSeconds")
		}
		busy, err := h.Client.ExecuteStatement(ctx, &redshiftdata.ExecuteStatementInput{SessionId: out.SessionId, Sql: aws.String("select 1")})
		if err == nil {
			t.Logf("a second statement was accepted while the session was busy (%s); AWS rejects it", aws.ToString(busy.Id))
		}
		finish(t, h, aws.ToString(out.Id))
		next, err := h.Client.ExecuteStatement(ctx, &redshiftdata.ExecuteStatementInput{SessionId: out.SessionId, Sql: aws.String("select x from conformance_scratch")})
		if err != nil {
			t.Fatal(err)
		}
		if d := finish(t, h, aws.ToString(next.Id)); d.Status != types.StatusStringFinished {
			t.Errorf("temp table in the session: %s %s", d.Status, aws.ToString(d.Error))
		}
	})

	t.Run("CSV", func(t *testing.T) {
		h := newHarness(t, false)
		out, err := h.Client.ExecuteStatement(ctx, &redshiftdata.ExecuteStatementInput{WorkgroupName: aws.String(h.Workgroup), Database: aws.String(h.Database),
			Sql: aws.String("select 1 as a, 'x,y' as b"), ResultFormat: types.ResultFormatStringCsv})
		if err != nil {
			t.Fatal(err)
		}
		finish(t, h, aws.ToString(out.Id))
		r, err := h.Client.GetStatementResultV2(ctx, &redshiftdata.GetStatementResultV2Input{Id: out.Id})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Records) != 1 {
			t.Fatalf("%d CSV records", len(r.Records))
		}
		if v, ok := r.Records[0].(*types.QueryRecordsMemberCSVRecords); !ok || v.Value != "1,\"x,y\"\n" {
			t.Errorf("CSV = %#v", r.Records[0])
		}
		if _, err := h.Client.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: out.Id}); !isValidation(err) {
			t.Errorf("GetStatementResult of a CSV statement: %v, want ValidationException", err)
		}
	})
}

func isValidation(err error) bool {
	var ve *types.ValidationException
	return errors.As(err, &ve)
}
