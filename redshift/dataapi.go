package redshift

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Defaults of Options for a DataAPI.
const (
	// defaultMinPoll is the first delay between DescribeStatement calls: most statements end
	// within tens of milliseconds.
	defaultMinPoll = 50 * time.Millisecond
	// defaultMaxPoll caps the delay between DescribeStatement calls, which doubles while a
	// statement runs, so a long statement costs a few calls per minute rather than the fixed
	// 10 ms poll's hundred per second (the account's whole DescribeStatement quota).
	defaultMaxPoll = 5 * time.Second
	// defaultCancelTimeout bounds the CancelStatement call sent after the caller's context
	// ended.
	defaultCancelTimeout = 10 * time.Second
	// maxBatchStatements is the most SQL texts one batch takes.
	maxBatchStatements = 40
)

// DataAPI runs SQL through the Redshift Data API on one Target. It is safe for concurrent use.
type DataAPI struct {
	client DataAPIClient
	target Target
	opts   Options
}

// NewDataAPI returns a DataAPI that runs statements on target with client. The target is
// validated by each call. It reads Wait, CancelTimeout and DataAPIClientOptions.
func NewDataAPI(client DataAPIClient, target Target, optFns ...func(*Options)) *DataAPI {
	return &DataAPI{client: client, target: target, opts: configure(Options{}, optFns)}
}

func (d *DataAPI) options(optFns []func(*Options)) Options {
	o := configure(d.opts, optFns)
	if o.Wait.MinDelay <= 0 {
		o.Wait.MinDelay = defaultMinPoll
	}
	if o.Wait.MaxDelay <= 0 {
		o.Wait.MaxDelay = defaultMaxPoll
	}
	if o.Wait.Jitter == nil {
		o.Wait.Jitter = func() float64 { return 0.5 + rand.Float64()/2 }
	}
	if o.CancelTimeout <= 0 {
		o.CancelTimeout = defaultCancelTimeout
	}
	return o
}

// Handle is a started statement. Its methods are safe for concurrent use.
type Handle struct {
	// ID is the statement ID.
	ID string

	sessionID string // the session the statement runs in, if any
	d         *DataAPI
	opts      Options
}

// Result is a statement that reached FINISHED.
type Result struct {
	// ID is the statement ID.
	ID string
	// HasResultSet reports whether the statement returned rows (a query, even with no rows).
	HasResultSet bool
	// Rows is the number of rows returned by a query or affected by a DML statement
	// (DescribeStatement's ResultRows).
	Rows int64
	// Size is the result's size in bytes (ResultSize); -1 when unknown.
	Size int64
	// QueryID is Redshift's query ID.
	QueryID int64
	// Duration is the time Redshift spent on the statement.
	Duration time.Duration
	// Subs are a batch's sub-statements, in the order of its SQL texts. Of each, ID (the
	// sub-statement ID, "<batch ID>:<n>", used to read its result), HasResultSet, Rows and
	// Size are set.
	Subs []Result
}

// Start sends one statement and returns at once (ExecuteStatement).
func (d *DataAPI) Start(ctx context.Context, s Statement, optFns ...func(*Options)) (*Handle, error) {
	return d.submit(ctx, nil, s, optFns)
}

// StartBatch sends 1 to 40 SQL texts that run as one transaction, sharing params, and returns
// at once (BatchExecuteStatement).
func (d *DataAPI) StartBatch(ctx context.Context, sqls []string, params []Param, optFns ...func(*Options)) (*Handle, error) {
	return d.submitBatch(ctx, nil, sqls, params, optFns)
}

// Run runs one statement and waits until it ends (Start and Handle.Wait).
func (d *DataAPI) Run(ctx context.Context, s Statement, optFns ...func(*Options)) (*Result, error) {
	h, err := d.Start(ctx, s, optFns...)
	if err != nil {
		return nil, err
	}
	return h.Wait(ctx)
}

// RunBatch runs 1 to 40 SQL texts as one transaction and waits until it ends (StartBatch and
// Handle.Wait). When one fails, all are rolled back and the error is a *StatementError naming
// the failed sub-statement.
func (d *DataAPI) RunBatch(ctx context.Context, sqls []string, params []Param, optFns ...func(*Options)) (*Result, error) {
	h, err := d.StartBatch(ctx, sqls, params, optFns...)
	if err != nil {
		return nil, err
	}
	return h.Wait(ctx)
}

// Query runs one statement that returns rows, waits until it ends and returns its rows,
// which are fetched page by page as they are read. Close the rows.
func (d *DataAPI) Query(ctx context.Context, s Statement, optFns ...func(*Options)) (*Rows, error) {
	s.csv = false
	res, err := d.Run(ctx, s, optFns...)
	if err != nil {
		return nil, err
	}
	if !res.HasResultSet {
		return nil, fmt.Errorf("redshift: statement %s returned no result set", res.ID)
	}
	return d.Rows(ctx, res.ID, optFns...)
}

// QueryCSV runs one statement with the CSV result format, waits until it ends and returns its
// result as CSV text, read page by page (GetStatementResultV2) as the reader is read. Close
// it when done.
func (d *DataAPI) QueryCSV(ctx context.Context, s Statement, optFns ...func(*Options)) (io.ReadCloser, error) {
	s.csv = true
	res, err := d.Run(ctx, s, optFns...)
	if err != nil {
		return nil, err
	}
	return &csvReader{ctx: ctx, d: d, opts: d.options(optFns), id: res.ID}, nil
}

// request is the part of ExecuteStatement and BatchExecuteStatement inputs the target and a
// session decide.
type request struct {
	cluster, workgroup, database, dbUser, secretArn, sessionID *string
	keepAlive                                                  *int32
}

func (d *DataAPI) request(sess *session) (request, error) {
	if sess != nil && sess.id != "" {
		return request{sessionID: aws.String(sess.id), keepAlive: sess.keepAliveSeconds()}, nil
	}
	if err := d.target.validate(); err != nil {
		return request{}, err
	}
	t := d.target
	r := request{cluster: opt(t.Cluster), workgroup: opt(t.Workgroup), database: aws.String(t.Database),
		dbUser: opt(t.DbUser), secretArn: opt(t.SecretARN)}
	if sess != nil {
		r.keepAlive = sess.keepAliveSeconds()
	}
	return r, nil
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func sqlParams(ps []Param) []types.SqlParameter {
	if len(ps) == 0 {
		return nil
	}
	out := make([]types.SqlParameter, len(ps))
	for i, p := range ps {
		out[i] = types.SqlParameter{Name: aws.String(p.Name), Value: aws.String(p.Value)}
	}
	return out
}

func (d *DataAPI) submit(ctx context.Context, sess *session, s Statement, optFns []func(*Options)) (*Handle, error) {
	o := d.options(optFns)
	if err := s.validate(); err != nil {
		return nil, err
	}
	r, err := d.request(sess)
	if err != nil {
		return nil, err
	}
	in := &redshiftdata.ExecuteStatementInput{
		Sql: aws.String(s.SQL), Parameters: sqlParams(s.Params), StatementName: opt(s.Name),
		ClusterIdentifier: r.cluster, WorkgroupName: r.workgroup, Database: r.database, DbUser: r.dbUser,
		SecretArn: r.secretArn, SessionId: r.sessionID, SessionKeepAliveSeconds: r.keepAlive,
	}
	if s.csv {
		in.ResultFormat = types.ResultFormatStringCsv
	}
	out, err := d.client.ExecuteStatement(ctx, in, o.DataAPIClientOptions...)
	if err != nil {
		return nil, apiError("ExecuteStatement", err)
	}
	h := &Handle{ID: aws.ToString(out.Id), sessionID: aws.ToString(out.SessionId), d: d, opts: o}
	if sess != nil && h.sessionID != "" {
		sess.id = h.sessionID
	}
	return h, nil
}

func (d *DataAPI) submitBatch(ctx context.Context, sess *session, sqls []string, params []Param, optFns []func(*Options)) (*Handle, error) {
	o := d.options(optFns)
	if len(sqls) < 1 || len(sqls) > maxBatchStatements {
		return nil, fmt.Errorf("redshift: a batch takes 1 to %d SQL texts, not %d", maxBatchStatements, len(sqls))
	}
	for i, s := range sqls {
		if strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("redshift: batch SQL %d is empty", i)
		}
	}
	if err := validateParams("params", sqls, params); err != nil {
		return nil, err
	}
	r, err := d.request(sess)
	if err != nil {
		return nil, err
	}
	out, err := d.client.BatchExecuteStatement(ctx, &redshiftdata.BatchExecuteStatementInput{
		Sqls: sqls, Parameters: sqlParams(params),
		ClusterIdentifier: r.cluster, WorkgroupName: r.workgroup, Database: r.database, DbUser: r.dbUser,
		SecretArn: r.secretArn, SessionId: r.sessionID, SessionKeepAliveSeconds: r.keepAlive,
	}, o.DataAPIClientOptions...)
	if err != nil {
		return nil, apiError("BatchExecuteStatement", err)
	}
	h := &Handle{ID: aws.ToString(out.Id), sessionID: aws.ToString(out.SessionId), d: d, opts: o}
	if sess != nil && h.sessionID != "" {
		sess.id = h.sessionID
	}
	return h, nil
}

// Wait waits until the statement ends, polling DescribeStatement with backoff. It returns a
// *StatementError when the statement failed or was cancelled. When ctx ends first, Wait sends
// CancelStatement on a detached context bounded by CancelTimeout and returns an error
// wrapping ctx's error.
func (h *Handle) Wait(ctx context.Context) (*Result, error) {
	var last *redshiftdata.DescribeStatementOutput
	po := poll.FromWaitFor("Redshift statement "+h.ID, h.opts.Wait, h.d.client)
	err := poll.Wait(ctx, po, func(ctx context.Context) (string, bool, error) {
		out, err := h.d.client.DescribeStatement(ctx, &redshiftdata.DescribeStatementInput{Id: aws.String(h.ID)}, h.opts.DataAPIClientOptions...)
		if err != nil {
			return "", false, apiError("DescribeStatement", err)
		}
		last = out
		switch out.Status {
		case types.StatusStringFinished, types.StatusStringFailed, types.StatusStringAborted:
			return string(out.Status), true, nil
		}
		// SUBMITTED, PICKED, STARTED (and any unknown status) are one state for the backoff:
		// a statement moving through them is not about to end.
		return "running", false, nil
	})
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			// The caller gave up (its context ended, or Wait.Timeout passed): stop the statement
			// rather than leave it running unobserved.
			if cerr := h.cancel(context.WithoutCancel(ctx)); cerr != nil {
				// The statement may have ended meanwhile; its state is not known here.
				return nil, fmt.Errorf("redshift: statement %s: %w (and cancelling it failed: %w)", h.ID, err, cerr)
			}
			return nil, &StatementError{ID: h.ID, Status: types.StatusStringAborted, Message: "the wait ended before the statement; it was cancelled", Err: err}
		}
		return nil, err
	}
	return h.result(last)
}

func (h *Handle) result(out *redshiftdata.DescribeStatementOutput) (*Result, error) {
	if out.Status != types.StatusStringFinished {
		se := &StatementError{ID: h.ID, Status: out.Status, Message: aws.ToString(out.Error), QueryID: out.RedshiftQueryId}
		for i, sub := range out.SubStatements {
			if sub.Status == types.StatementStatusStringFailed {
				se.Sub, se.Message, se.QueryID = i+1, aws.ToString(sub.Error), sub.RedshiftQueryId
				break
			}
		}
		return nil, se
	}
	r := &Result{ID: h.ID, HasResultSet: aws.ToBool(out.HasResultSet), Rows: out.ResultRows,
		Size: out.ResultSize, QueryID: out.RedshiftQueryId, Duration: time.Duration(out.Duration)}
	for _, sub := range out.SubStatements {
		r.Subs = append(r.Subs, Result{ID: aws.ToString(sub.Id), HasResultSet: aws.ToBool(sub.HasResultSet), Rows: sub.ResultRows, Size: sub.ResultSize})
	}
	return r, nil
}

// Cancel cancels the statement (CancelStatement). Cancelling a statement that already ended
// is an error from the Data API.
func (h *Handle) Cancel(ctx context.Context) error {
	return h.cancel(ctx)
}

func (h *Handle) cancel(ctx context.Context) error {
	ctx, done := context.WithTimeout(ctx, h.opts.CancelTimeout)
	defer done()
	if _, err := h.d.client.CancelStatement(ctx, &redshiftdata.CancelStatementInput{Id: aws.String(h.ID)}, h.opts.DataAPIClientOptions...); err != nil {
		return apiError("CancelStatement", err)
	}
	return nil
}

// session runs statements in one Data API session: one database connection kept open between
// statements (for SessionKeepAlive after each), so transactions (BEGIN … COMMIT) and
// temporary tables span statements. A session runs one statement at a time; its methods
// serialize. The session is created by its first statement.
type session struct {
	d         *DataAPI
	keepAlive time.Duration
	mu        sync.Mutex
	id        string
}

// maxSessionKeepAlive is the longest keep-alive the Data API allows (24 h).
const maxSessionKeepAlive = 24 * time.Hour

// newSession returns a session whose first statement opens it on the target and whose
// database connection stays open keepAlive (rounded down to seconds, 1 s to 24 h) after each
// statement.
func (d *DataAPI) newSession(keepAlive time.Duration) (*session, error) {
	if keepAlive < time.Second || keepAlive > maxSessionKeepAlive {
		return nil, fmt.Errorf("redshift: session keep-alive %s must be between 1s and 24h", keepAlive)
	}
	return &session{d: d, keepAlive: keepAlive}, nil
}

func (s *session) keepAliveSeconds() *int32 {
	return aws.Int32(int32(s.keepAlive / time.Second))
}

// ID returns the session ID, empty before the first statement.
func (s *session) ID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id
}

// Run runs one statement in the session and waits until it ends.
func (s *session) Run(ctx context.Context, st Statement, optFns ...func(*Options)) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, err := s.d.submit(ctx, s, st, optFns)
	if err != nil {
		return nil, err
	}
	return h.Wait(ctx)
}

// Query runs one statement in the session, waits until it ends and returns its rows. The
// session can run the next statement while the rows are read.
func (s *session) Query(ctx context.Context, st Statement, optFns ...func(*Options)) (*Rows, error) {
	res, err := s.Run(ctx, st, optFns...)
	if err != nil {
		return nil, err
	}
	if !res.HasResultSet {
		return nil, fmt.Errorf("redshift: statement %s returned no result set", res.ID)
	}
	return s.d.Rows(ctx, res.ID, optFns...)
}

// RunBatch runs 1 to 40 SQL texts in the session as one transaction and waits until it ends.
func (s *session) RunBatch(ctx context.Context, sqls []string, params []Param, optFns ...func(*Options)) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, err := s.d.submitBatch(ctx, s, sqls, params, optFns)
	if err != nil {
		return nil, err
	}
	return h.Wait(ctx)
}
