package redshifttest

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/jackc/pgx/v5/pgconn"
)

type target struct {
	cluster, workgroup, database, dbUser, secretArn string
}

// session is a Data API session: one dedicated PostgreSQL connection, so that transactions and
// temporary tables persist across statements.
type session struct {
	id        string
	target    target
	keepAlive time.Duration

	// guarded by Fake.mu
	current   *statement
	idleSince time.Time

	connMu sync.Mutex
	conn   *pgconn.PgConn
	closed bool
}

func (s *session) idleSinceTime() time.Time {
	if s.current != nil {
		if t := s.current.endedAt(); !t.IsZero() {
			return t
		}
	}
	return s.idleSince
}

func (s *session) close() {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	s.closed = true
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s.conn.Close(ctx)
		cancel()
		s.conn = nil
	}
}

// statement is one ExecuteStatement or BatchExecuteStatement.
type statement struct {
	id                        string
	created                   time.Time
	pickAt, startAt, finishAt time.Time
	sqls                      []string
	params                    []types.SqlParameter
	batch                     bool
	format                    types.ResultFormatString
	name                      string
	target                    target
	session                   *session
	queryID                   int64

	runMu sync.Mutex // serializes running the SQL

	mu      sync.Mutex
	status  types.StatusString
	errMsg  string
	updated time.Time
	ended   time.Time
	pid     int64
	subs    []*subResult
}

// subResult is the outcome of one SQL text of a statement.
type subResult struct {
	status    types.StatementStatusString
	errMsg    string
	hasResult bool
	rows      int64
	result    *result
	duration  time.Duration
}

func (st *statement) sessionID() *string {
	if st.session == nil {
		return nil
	}
	return aws.String(st.session.id)
}

func (st *statement) terminal() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.terminalLocked()
}

func (st *statement) terminalLocked() bool {
	switch st.status {
	case types.StatusStringFinished, types.StatusStringFailed, types.StatusStringAborted:
		return true
	}
	return false
}

func (st *statement) endedAt() time.Time {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.ended
}

func (st *statement) abortLocked(now time.Time) {
	st.status, st.updated, st.ended = types.StatusStringAborted, now, now
	st.errMsg = "Query was cancelled by the user."
	st.subs = make([]*subResult, len(st.sqls))
	for i := range st.subs {
		st.subs[i] = &subResult{status: types.StatementStatusStringAborted}
	}
}

// advance moves st along its timeline to now, running its SQL when its time has come.
func (f *Fake) advance(ctx context.Context, st *statement, now time.Time) {
	st.runMu.Lock()
	defer st.runMu.Unlock()
	st.mu.Lock()
	if st.terminalLocked() {
		st.mu.Unlock()
		return
	}
	switch {
	case !now.Before(st.finishAt):
		st.mu.Unlock()
		f.run(ctx, st)
		return
	case !now.Before(st.startAt):
		st.setStatus(types.StatusStringStarted, st.startAt)
	case !now.Before(st.pickAt):
		st.setStatus(types.StatusStringPicked, st.pickAt)
	}
	st.mu.Unlock()
}

func (st *statement) setStatus(s types.StatusString, at time.Time) {
	if st.status != s {
		st.status, st.updated = s, at
	}
}

// run executes the statement's SQL on PostgreSQL and records its outcome.
func (f *Fake) run(ctx context.Context, st *statement) {
	// The SQL runs to completion even when the caller that observed its end goes away, as the
	// statement runs on the server.
	ctx = context.WithoutCancel(ctx)
	subs := make([]*subResult, len(st.sqls))
	for i := range subs {
		subs[i] = &subResult{status: types.StatementStatusStringSubmitted}
	}
	status, errMsg, pid := f.execute(ctx, st, subs)
	st.mu.Lock()
	st.subs, st.status, st.errMsg, st.pid = subs, status, errMsg, pid
	st.updated, st.ended = st.finishAt, st.finishAt
	st.mu.Unlock()
}

// execute runs the statement's SQL texts and returns the statement's final status.
func (f *Fake) execute(ctx context.Context, st *statement, subs []*subResult) (types.StatusString, string, int64) {
	fail := func(msg string) (types.StatusString, string, int64) {
		for _, s := range subs {
			if s.status == types.StatementStatusStringSubmitted {
				s.status = types.StatementStatusStringAborted
			}
		}
		return types.StatusStringFailed, msg, 0
	}
	for i, sql := range st.sqls {
		if msg := refuseRedshiftOnly(sql); msg != "" {
			subs[i].status, subs[i].errMsg = types.StatementStatusStringFailed, msg
			return fail(msg)
		}
	}
	var conn *pgconn.PgConn
	if s := st.session; s != nil {
		s.connMu.Lock()
		defer s.connMu.Unlock()
		if s.closed {
			return fail("Session " + s.id + " was closed")
		}
		if s.conn == nil {
			c, err := f.connect(ctx, s.target.database)
			if err != nil {
				return fail(err.Error())
			}
			s.conn = c
		}
		conn = s.conn
	} else {
		c, err := f.connect(ctx, st.target.database)
		if err != nil {
			return fail(err.Error())
		}
		defer c.Close(ctx)
		conn = c
	}
	values := map[string]string{}
	for _, p := range st.params {
		values[aws.ToString(p.Name)] = aws.ToString(p.Value)
	}
	if st.batch {
		if err := conn.Exec(ctx, "BEGIN").Close(); err != nil {
			return fail(pgMessage(err))
		}
	}
	for i, sql := range st.sqls {
		start := time.Now()
		res, err := f.runOne(ctx, conn, sql, values, st.target.database)
		subs[i].duration = time.Since(start)
		if err != nil {
			subs[i].status, subs[i].errMsg = types.StatementStatusStringFailed, pgMessage(err)
			if st.batch {
				conn.Exec(ctx, "ROLLBACK").Close()
			}
			return fail(subs[i].errMsg)
		}
		subs[i].status, subs[i].hasResult, subs[i].rows, subs[i].result = types.StatementStatusStringFinished, res.hasResult, res.rows, res
	}
	if st.batch {
		if err := conn.Exec(ctx, "COMMIT").Close(); err != nil {
			return fail(pgMessage(err))
		}
	}
	return types.StatusStringFinished, "", int64(conn.PID())
}

// pgMessage is an error as Redshift reports a statement error: "ERROR: message".
func pgMessage(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return "ERROR: " + pe.Message
	}
	return err.Error()
}

// connect opens a connection to database, creating the database and the Redshift type names
// (super, varbyte) on first use.
func (f *Fake) connect(ctx context.Context, database string) (*pgconn.PgConn, error) {
	if f.opts.ConnString == nil {
		return nil, errors.New("redshifttest: Options.ConnString is not set: the fake has no PostgreSQL to run SQL on")
	}
	if err := f.prepareDatabase(ctx, database); err != nil {
		return nil, err
	}
	c, err := pgconn.Connect(ctx, f.opts.ConnString(database))
	if err != nil {
		return nil, fmt.Errorf("redshifttest: connecting to PostgreSQL database %q: %w", database, err)
	}
	return c, nil
}

func (f *Fake) prepareDatabase(ctx context.Context, database string) error {
	f.dbMu.Lock()
	defer f.dbMu.Unlock()
	if f.dbs[database] {
		return nil
	}
	if strings.ContainsRune(database, 0) || len(database) > 63 {
		return fmt.Errorf("redshifttest: database name %q cannot be a PostgreSQL database name (NUL or over 63 bytes)", database)
	}
	admin, err := pgconn.Connect(ctx, f.opts.ConnString("postgres"))
	if err != nil {
		return fmt.Errorf("redshifttest: connecting to PostgreSQL: %w", err)
	}
	defer admin.Close(ctx)
	res, err := admin.ExecParams(ctx, "SELECT 1 FROM pg_database WHERE datname = $1", [][]byte{[]byte(database)}, nil, nil, nil).Close()
	if err != nil {
		return fmt.Errorf("redshifttest: %w", err)
	}
	if res.RowsAffected() == 0 {
		if err := admin.Exec(ctx, `CREATE DATABASE "`+strings.ReplaceAll(database, `"`, `""`)+`"`).Close(); err != nil {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "42P04" { // duplicate_database: created concurrently
				return fmt.Errorf("redshifttest: creating database %q: %w", database, err)
			}
		}
	}
	c, err := pgconn.Connect(ctx, f.opts.ConnString(database))
	if err != nil {
		return fmt.Errorf("redshifttest: connecting to PostgreSQL database %q: %w", database, err)
	}
	defer c.Close(ctx)
	// SUPER and VARBYTE are Redshift types; as domains over jsonb and bytea, tables can use
	// them and results report them by name.
	setup := `DO $$ BEGIN
IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'super' AND typnamespace = 'public'::regnamespace) THEN CREATE DOMAIN public.super AS jsonb; END IF;
IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'varbyte' AND typnamespace = 'public'::regnamespace) THEN CREATE DOMAIN public.varbyte AS bytea; END IF;
END $$`
	if err := c.Exec(ctx, setup+";\n"+datashareCatalog).Close(); err != nil {
		return fmt.Errorf("redshifttest: preparing database %q: %w", database, err)
	}
	// Domain OIDs come from the cluster-wide OID counter, so they identify the domain across
	// databases.
	rr := c.ExecParams(ctx, "SELECT oid::text, typname FROM pg_type WHERE typname IN ('super', 'varbyte') AND typnamespace = 'public'::regnamespace", nil, nil, nil, nil)
	for rr.NextRow() {
		oid, _ := strconv.ParseUint(string(rr.Values()[0]), 10, 32)
		f.domains[uint32(oid)] = string(rr.Values()[1])
	}
	if _, err := rr.Close(); err != nil {
		return fmt.Errorf("redshifttest: preparing database %q: %w", database, err)
	}
	f.dbs[database] = true
	return nil
}

// describeLocked builds a DescribeStatement answer; sub > 0 describes that sub-statement.
func (st *statement) describeLocked(sub int) *redshiftdata.DescribeStatementOutput {
	t := st.target
	out := &redshiftdata.DescribeStatementOutput{
		Id: aws.String(st.id), CreatedAt: aws.Time(st.created), UpdatedAt: aws.Time(st.updated), Status: st.status,
		ClusterIdentifier: optional(t.cluster), WorkgroupName: optional(t.workgroup), Database: optional(t.database),
		DbUser: optional(t.dbUser), SecretArn: optional(t.secretArn), SessionId: st.sessionID(),
		ResultFormat: st.format, RedshiftQueryId: st.queryID, RedshiftPid: st.pid,
		QueryParameters: st.params, ResultRows: -1, ResultSize: -1, Duration: -1,
	}
	if st.errMsg != "" {
		out.Error = aws.String(st.errMsg)
	}
	if !st.batch {
		out.QueryString = aws.String(st.sqls[0])
	}
	if st.terminalLocked() {
		out.Duration = int64(st.ended.Sub(st.created))
	}
	if st.status == types.StatusStringFinished && !st.batch {
		r := st.subs[0]
		out.HasResultSet, out.ResultRows = aws.Bool(r.hasResult), r.rows
		out.ResultSize = r.result.size
	} else {
		out.HasResultSet = aws.Bool(false)
	}
	if st.batch {
		for i, sql := range st.sqls {
			sd := types.SubStatementData{
				Id: aws.String(fmt.Sprintf("%s:%d", st.id, i+1)), QueryString: aws.String(sql), CreatedAt: aws.Time(st.created),
				UpdatedAt: aws.Time(st.updated), Status: subStatus(st.status), RedshiftQueryId: st.queryID + int64(i),
				ResultRows: -1, ResultSize: -1, Duration: -1, HasResultSet: aws.Bool(false),
			}
			if st.subs != nil {
				r := st.subs[i]
				sd.Status = r.status
				if r.errMsg != "" {
					sd.Error = aws.String(r.errMsg)
				}
				if r.status == types.StatementStatusStringFinished {
					sd.HasResultSet, sd.ResultRows, sd.ResultSize = aws.Bool(r.hasResult), r.rows, r.result.size
					sd.Duration = int64(r.duration)
				}
			}
			out.SubStatements = append(out.SubStatements, sd)
		}
	}
	return out
}

func subStatus(s types.StatusString) types.StatementStatusString {
	return types.StatementStatusString(s)
}

// resultPage returns the finished result of statement id (or sub-statement) for a result
// call, with the rows [from, to) of the page token asks for.
func (f *Fake) resultPage(ctx context.Context, id, token *string, format types.ResultFormatString) (r *result, from, to int, err error) {
	r, err = f.resultOf(ctx, id, format)
	if err != nil {
		return nil, 0, 0, err
	}
	from, err = pageBounds(token, r.n)
	if err != nil {
		return nil, 0, 0, err
	}
	return r, from, min(from+f.opts.PageSize, r.n), nil
}

func (f *Fake) resultOf(ctx context.Context, id *string, format types.ResultFormatString) (*result, error) {
	st, sub, err := f.lookup(id)
	if err != nil {
		return nil, err
	}
	f.advance(ctx, st, f.clock.Now())
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.batch && sub == 0 {
		return nil, validation("Statement %s is a batch statement: get the result of a sub-statement ID (%s:<n>) instead", st.id, st.id)
	}
	if st.status != types.StatusStringFinished {
		return nil, validation("Query does not have result. Please check query status with DescribeStatement.")
	}
	r := st.subs[max(sub, 1)-1]
	if !r.hasResult {
		return nil, validation("Query does not have result. Please check query status with DescribeStatement.")
	}
	if st.format != format {
		if format == types.ResultFormatStringCsv {
			return nil, validation("GetStatementResultV2 is only for statements submitted with ResultFormat CSV; use GetStatementResult")
		}
		return nil, validation("GetStatementResult is only for statements submitted with ResultFormat JSON; use GetStatementResultV2")
	}
	return r.result, nil
}

// pageBounds decodes a NextToken into the first row of the page.
func pageBounds(token *string, total int) (int, error) {
	if token == nil {
		return 0, nil
	}
	b, err := hex.DecodeString(strings.TrimPrefix(*token, "r"))
	if err != nil || !strings.HasPrefix(*token, "r") {
		return 0, validation("NextToken is invalid")
	}
	n, k := binary.Uvarint(b)
	if k <= 0 || k != len(b) || n > uint64(total) {
		return 0, validation("NextToken is invalid")
	}
	return int(n), nil
}

func encodeToken(offset int) *string {
	return aws.String("r" + hex.EncodeToString(binary.AppendUvarint(nil, uint64(offset))))
}

// GetStatementResult returns one page of a finished JSON statement's result.
func (f *Fake) GetStatementResult(ctx context.Context, in *redshiftdata.GetStatementResultInput, _ ...func(*redshiftdata.Options)) (*redshiftdata.GetStatementResultOutput, error) {
	return fakecontrol.Do(f.Controls, OpGetStatementResult, in, func(in *redshiftdata.GetStatementResultInput) (*redshiftdata.GetStatementResultOutput, error) {
		if err := f.throttled(OpGetStatementResult); err != nil {
			return nil, err
		}
		if in == nil {
			in = &redshiftdata.GetStatementResultInput{}
		}
		r, from, to, err := f.resultPage(ctx, in.Id, in.NextToken, types.ResultFormatStringJson)
		if err != nil {
			return nil, err
		}
		out := &redshiftdata.GetStatementResultOutput{ColumnMetadata: r.cols, TotalNumRows: int64(r.n), Records: make([][]types.Field, 0, to-from)}
		for i := from; i < to; i++ {
			out.Records = append(out.Records, r.fields(i))
		}
		if to < r.n {
			out.NextToken = encodeToken(to)
		}
		return out, nil
	})
}

// GetStatementResultV2 returns one page of a finished CSV statement's result.
func (f *Fake) GetStatementResultV2(ctx context.Context, in *redshiftdata.GetStatementResultV2Input, _ ...func(*redshiftdata.Options)) (*redshiftdata.GetStatementResultV2Output, error) {
	return fakecontrol.Do(f.Controls, OpGetStatementResultV2, in, func(in *redshiftdata.GetStatementResultV2Input) (*redshiftdata.GetStatementResultV2Output, error) {
		if err := f.throttled(OpGetStatementResultV2); err != nil {
			return nil, err
		}
		if in == nil {
			in = &redshiftdata.GetStatementResultV2Input{}
		}
		r, from, to, err := f.resultPage(ctx, in.Id, in.NextToken, types.ResultFormatStringCsv)
		if err != nil {
			return nil, err
		}
		out := &redshiftdata.GetStatementResultV2Output{ColumnMetadata: r.cols, TotalNumRows: int64(r.n), ResultFormat: types.ResultFormatStringCsv}
		if to > from {
			out.Records = []types.QueryRecords{&types.QueryRecordsMemberCSVRecords{Value: r.csv(from, to)}}
		}
		if to < r.n {
			out.NextToken = encodeToken(to)
		}
		return out, nil
	})
}
