package redshifttest

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// The Data API operations the fake implements, for fakecontrol (FailNext, Count, ...).
const (
	OpExecuteStatement      = "ExecuteStatement"
	OpBatchExecuteStatement = "BatchExecuteStatement"
	OpDescribeStatement     = "DescribeStatement"
	OpGetStatementResult    = "GetStatementResult"
	OpGetStatementResultV2  = "GetStatementResultV2"
	OpCancelStatement       = "CancelStatement"
)

// Defaults of Options.
const (
	// defaultPageSize is the number of records per GetStatementResult page. AWS pages by size
	// and documents no record count; a thousand keeps pages small enough to exercise NextToken.
	defaultPageSize = 1000
	// defaultStatementTime is how long, by the fake's clock, a statement takes from submission
	// to a final state.
	defaultStatementTime = 100 * time.Millisecond
	// defaultMaxRowBytes is the Data API's limit on one result row (64 KB).
	defaultMaxRowBytes = 64 * 1024
	// defaultMaxResultBytes is the Data API's limit on one statement's result (500 MB).
	defaultMaxResultBytes = 500 * 1024 * 1024
	// maxSessions is the Data API's limit on sessions per cluster or workgroup (500).
	maxSessions = 500
	// maxSessionKeepAlive is the longest SessionKeepAliveSeconds the Data API accepts (24 h).
	maxSessionKeepAlive = 86400
	// maxBatchStatements is the most Sqls a BatchExecuteStatement takes.
	maxBatchStatements = 40
)

// Options configures the package's fakes: Fake (the Data API), Serverless and DataShares.
// Each constructor applies its optFns to the zero Options; a field a fake has no use for is
// ignored by it.
type Options struct {
	// ConnString returns the PostgreSQL connection string for a Data API database name, for
	// example (*Postgres).ConnString. Fake requires it: with nil, every statement fails.
	ConnString func(database string) string
	// Clock is the fake's time, which alone advances statements, expires sessions and moves
	// namespaces and workgroups (and dates associations). Nil means a datablocks.ManualClock
	// at the current time truncated to the second.
	Clock datablocks.Clock
	// PageSize is the number of records per page when the request sets no MaxResults
	// (MaxRecords). Zero means each API's own: 1000 records per Data API result page (AWS
	// pages by size and documents no record count, and a thousand keeps pages small enough
	// to exercise NextToken), 100 for ListUsageLimits and DescribeDataShares (their default
	// MaxResults and MaxRecords).
	PageSize int
	// StatementTime returns how long a statement takes by the fake's clock (SUBMITTED for the
	// first tenth, PICKED for the second, then STARTED until it ends), given its SQL (a batch's
	// SQL texts joined by ";\n"). Nil means 100 milliseconds for every statement.
	StatementTime func(sql string) time.Duration
	// MaxRowBytes limits a result row. Zero means 64 KB, the Data API's limit.
	MaxRowBytes int
	// MaxResultBytes limits a statement's result. Zero means 500 MB, the Data API's limit.
	MaxResultBytes int64
	// Region and AccountID make the fakes' ARNs. Empty means us-east-1 and 123456789012;
	// DataShares, the consumer side, has no region and 210987654321 as its calling account
	// (the consumer of AssociateDataShareConsumer with AssociateEntireAccount).
	Region, AccountID string
	// RateLimits bounds each Data API operation (by its Op constant) to that many calls per
	// second of the fake's clock, with a burst of one second's worth; a call over the limit
	// fails with ThrottlingException. Nil means no limits; ReportedRateLimits holds the
	// account quotas reported for the Data API.
	RateLimits map[string]int
}

// ReportedRateLimits are the Data API's per-account quotas as a third party reported them
// (jitsucom/jitsu PR #1462): ExecuteStatement 30/s, DescribeStatement 100/s,
// GetStatementResult 20/s. Give them to Options.RateLimits to test polling economy.
var ReportedRateLimits = map[string]int{OpExecuteStatement: 30, OpDescribeStatement: 100, OpGetStatementResult: 20}

// bucket is a token bucket refilled by the fake's clock.
type bucket struct {
	tokens float64
	at     time.Time
}

// throttled takes a token for op, reporting ThrottlingException when none is left.
func (f *Fake) throttled(op string) error {
	rate := f.opts.RateLimits[op]
	if rate <= 0 {
		return nil
	}
	now := f.clock.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.buckets[op]
	if b == nil {
		b = &bucket{tokens: float64(rate), at: now}
		f.buckets[op] = b
	}
	b.tokens = min(float64(rate), b.tokens+now.Sub(b.at).Seconds()*float64(rate))
	b.at = now
	if b.tokens < 1 {
		return fakecontrol.ThrottlingError(op)
	}
	b.tokens--
	return nil
}

// Fake is a Redshift Data API whose SQL runs on a real PostgreSQL. It is safe for concurrent
// use. See the package doc for what it models and what it does not.
type Fake struct {
	*fakecontrol.Controls
	opts  Options
	clock datablocks.Clock

	mu       sync.Mutex
	stmts    map[string]*statement
	sessions map[string]*session
	tokens   map[string]string // client token → statement ID
	closing  sync.WaitGroup    // expired sessions being closed
	buckets  map[string]*bucket
	dbMu     sync.Mutex
	dbs      map[string]bool   // databases prepared
	domains  map[uint32]string // OIDs of the super and varbyte domains
	queryID  int64
}

// New returns a Fake.
func New(optFns ...func(*Options)) *Fake {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultPageSize
	}
	if o.MaxRowBytes <= 0 {
		o.MaxRowBytes = defaultMaxRowBytes
	}
	if o.MaxResultBytes <= 0 {
		o.MaxResultBytes = defaultMaxResultBytes
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.AccountID == "" {
		o.AccountID = "123456789012"
	}
	clock := o.Clock
	if clock == nil {
		clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	return &Fake{
		Controls: fakecontrol.New(nil, OpExecuteStatement, OpBatchExecuteStatement, OpDescribeStatement,
			OpGetStatementResult, OpGetStatementResultV2, OpCancelStatement),
		opts: o, clock: clock,
		stmts: map[string]*statement{}, sessions: map[string]*session{}, tokens: map[string]string{}, dbs: map[string]bool{}, domains: map[uint32]string{}, buckets: map[string]*bucket{},
		queryID: 1000,
	}
}

// Clock returns the fake's clock (the fake is a datablocks.ClockSource).
func (f *Fake) Clock() datablocks.Clock { return f.clock }

// Service describes the fake as the redshift-data service for localaws.
func (f *Fake) Service() localaws.Service {
	return localaws.Service{
		SigningName:  "redshift-data",
		Protocol:     localaws.AWSJSON11,
		TargetPrefix: "RedshiftData",
		Naming:       localaws.Pascal,
		// Top-level members are PascalCase; the members of nested shapes are lowerCamel.
		WireNames: wireNames,
		Unions: []any{
			types.FieldMemberBlobValue{}, types.FieldMemberBooleanValue{}, types.FieldMemberDoubleValue{},
			types.FieldMemberIsNull{}, types.FieldMemberLongValue{}, types.FieldMemberStringValue{},
			types.QueryRecordsMemberCSVRecords{},
		},
		ErrorStatus: map[string]int{
			"ExecuteStatementException":      500,
			"BatchExecuteStatementException": 500,
			"DatabaseConnectionException":    500,
			"InternalServerException":        500,
		},
		Operations: []localaws.Operation{
			localaws.Op(OpExecuteStatement, f.ExecuteStatement),
			localaws.Op(OpBatchExecuteStatement, f.BatchExecuteStatement),
			localaws.Op(OpDescribeStatement, f.DescribeStatement),
			localaws.Op(OpGetStatementResult, f.GetStatementResult),
			localaws.Op(OpGetStatementResultV2, f.GetStatementResultV2),
			localaws.Op(OpCancelStatement, f.CancelStatement),
		},
	}
}

// wireNames are the Data API's lowerCamel member names of nested shapes.
var wireNames = func() map[string]string {
	m := map[string]string{}
	for _, f := range []string{"ColumnDefault", "IsCaseSensitive", "IsCurrency", "IsSigned", "Label", "Length", "Name",
		"Nullable", "Precision", "Scale", "SchemaName", "TableName", "TypeName"} {
		m["ColumnMetadata."+f] = strings.ToLower(f[:1]) + f[1:]
	}
	m["SqlParameter.Name"], m["SqlParameter.Value"] = "name", "value"
	for _, f := range []string{"BlobValue", "BooleanValue", "DoubleValue", "IsNull", "LongValue", "StringValue"} {
		m["Field."+f] = strings.ToLower(f[:1]) + f[1:]
	}
	return m
}()

// Close ends every session, closing its PostgreSQL connection.
func (f *Fake) Close() {
	f.mu.Lock()
	sessions := f.sessions
	f.sessions = map[string]*session{}
	f.mu.Unlock()
	for _, s := range sessions {
		s.close()
	}
	f.closing.Wait()
}

func validation(format string, args ...any) error {
	return &types.ValidationException{Message: aws.String(fmt.Sprintf(format, args...))}
}

var (
	workgroupRe = regexp.MustCompile(`^(([a-z0-9-]+)|(arn:(aws(-[a-z]+)*):redshift-serverless:[a-z]{2}(-gov)?-[a-z]+-\d{1}:\d{12}:workgroup/[a-z0-9-]+))$`)
	clusterRe   = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	paramNameRe = regexp.MustCompile(`^[0-9a-zA-Z_]+$`)
	secretRe    = regexp.MustCompile(`^arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$`)
	sessionRe   = regexp.MustCompile(`^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\d+)?$`)
)

// request is what ExecuteStatement and BatchExecuteStatement share.
type request struct {
	sqls                                            []string
	params                                          []types.SqlParameter
	cluster, workgroup, database, dbUser, secretArn *string
	sessionID                                       *string
	keepAlive                                       *int32
	name                                            *string
	token                                           *string
	format                                          types.ResultFormatString
	batch                                           bool
}

// validate checks a request by the Data API reference (ExecuteStatement, BatchExecuteStatement:
// request parameters and their constraints).
func (r *request) validate() error {
	if r.sessionID != nil {
		if !sessionRe.MatchString(*r.sessionID) {
			return validation("SessionId %q does not match the session ID pattern", *r.sessionID)
		}
		if r.cluster != nil || r.workgroup != nil || r.database != nil || r.dbUser != nil || r.secretArn != nil {
			return validation("ClusterIdentifier, WorkgroupName, Database, DbUser and SecretArn must not be set with SessionId: the session carries them")
		}
	} else {
		switch {
		case r.cluster != nil && r.workgroup != nil:
			return validation("Either ClusterIdentifier or WorkgroupName must be set, not both")
		case r.cluster == nil && r.workgroup == nil:
			return validation("Either ClusterIdentifier or WorkgroupName must be set")
		case r.workgroup != nil && (len(*r.workgroup) < 3 || len(*r.workgroup) > 128 || !workgroupRe.MatchString(*r.workgroup)):
			return validation("WorkgroupName %q must be 3 to 128 characters and a workgroup name or ARN", *r.workgroup)
		case r.cluster != nil && (len(*r.cluster) < 1 || len(*r.cluster) > 63 || !clusterRe.MatchString(*r.cluster)):
			return validation("ClusterIdentifier %q must be 1 to 63 characters matching %s", *r.cluster, clusterRe)
		case r.dbUser != nil && r.secretArn != nil:
			return validation("DbUser and SecretArn cannot both be set")
		case r.dbUser != nil && r.workgroup != nil:
			return validation("DbUser is not supported with WorkgroupName: a workgroup authenticates with SecretArn or the caller's IAM identity")
		case r.dbUser != nil && *r.dbUser == "":
			return validation("DbUser must not be empty")
		case r.secretArn != nil && !secretRe.MatchString(*r.secretArn):
			return validation("SecretArn %q is not a Secrets Manager secret ARN", *r.secretArn)
		case r.database == nil || *r.database == "":
			return validation("Database must be set")
		}
	}
	if r.keepAlive != nil && (*r.keepAlive < 0 || *r.keepAlive > maxSessionKeepAlive) {
		return validation("SessionKeepAliveSeconds %d must be between 0 and %d", *r.keepAlive, maxSessionKeepAlive)
	}
	if r.name != nil && len(*r.name) > 2048 {
		return validation("StatementName must be at most 2048 characters")
	}
	if r.token != nil && (len(*r.token) < 1 || len(*r.token) > 64) {
		return validation("ClientToken must be 1 to 64 characters")
	}
	switch r.format {
	case "", types.ResultFormatStringJson, types.ResultFormatStringCsv:
	default:
		return validation("ResultFormat %q must be JSON or CSV", r.format)
	}
	if r.params != nil && len(r.params) == 0 {
		return validation("Parameters must have at least 1 item when present")
	}
	seen := map[string]bool{}
	for i, p := range r.params {
		switch {
		case p.Name == nil || !paramNameRe.MatchString(*p.Name):
			return validation("Parameters[%d].Name %q must match %s", i, aws.ToString(p.Name), paramNameRe)
		case p.Value == nil || *p.Value == "":
			return validation("Parameters[%d].Value (%s) must be at least 1 character", i, *p.Name)
		case seen[*p.Name]:
			return validation("Parameters[%d]: parameter %q is given twice", i, *p.Name)
		}
		seen[*p.Name] = true
	}
	used := map[string]bool{}
	for i, sql := range r.sqls {
		if sql == "" {
			return validation("Sql must not be empty")
		}
		if !utf8.ValidString(sql) {
			return validation("Sql must be valid UTF-8")
		}
		_, names, err := translateParams(sql)
		if err != nil {
			return validation("Sql: %v", err)
		}
		for _, n := range names {
			if !seen[n] {
				if r.batch {
					return validation("Sqls[%d] references parameter :%s, which has no value in Parameters", i, n)
				}
				return validation("Sql references parameter :%s, which has no value in Parameters", n)
			}
			used[n] = true
		}
	}
	for _, p := range r.params {
		if !used[*p.Name] {
			return validation("Parameter %q is not referenced in the SQL", *p.Name)
		}
	}
	return nil
}

func (f *Fake) statementTime(sql string) time.Duration {
	if f.opts.StatementTime != nil {
		return f.opts.StatementTime(sql)
	}
	return defaultStatementTime
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// submit validates a request and creates its statement.
func (f *Fake) submit(r *request) (*statement, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	now := f.clock.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expireLocked(now)
	if r.token != nil {
		if id, ok := f.tokens[*r.token]; ok {
			return f.stmts[id], nil
		}
	}
	st := &statement{
		id: newUUID(), created: now, sqls: r.sqls, params: r.params, batch: r.batch,
		format: r.format, name: aws.ToString(r.name), status: types.StatusStringSubmitted, updated: now,
	}
	if st.format == "" {
		st.format = types.ResultFormatStringJson
	}
	var sess *session
	if r.sessionID != nil {
		sess = f.sessions[strings.SplitN(*r.sessionID, ":", 2)[0]]
		if sess == nil {
			return nil, validation("Session %s is not available: it does not exist or its keep-alive expired", *r.sessionID)
		}
		if cur := sess.current; cur != nil && !cur.terminal() {
			return nil, &types.ActiveStatementsExceededException{Message: aws.String(fmt.Sprintf("Session %s is busy running statement %s; a session runs one statement at a time", sess.id, cur.id))}
		}
		if r.keepAlive != nil {
			sess.keepAlive = time.Duration(*r.keepAlive) * time.Second
		}
		st.target = sess.target
	} else {
		st.target = target{cluster: aws.ToString(r.cluster), workgroup: aws.ToString(r.workgroup),
			database: aws.ToString(r.database), dbUser: aws.ToString(r.dbUser), secretArn: aws.ToString(r.secretArn)}
		if r.keepAlive != nil && *r.keepAlive > 0 {
			n := 0
			for _, s := range f.sessions {
				if s.target.cluster == st.target.cluster && s.target.workgroup == st.target.workgroup {
					n++
				}
			}
			if n >= maxSessions {
				return nil, &types.ActiveSessionsExceededException{Message: aws.String(fmt.Sprintf("Active sessions exceeded the limit of %d", maxSessions))}
			}
			sess = &session{id: newUUID(), target: st.target, keepAlive: time.Duration(*r.keepAlive) * time.Second, idleSince: now}
			f.sessions[sess.id] = sess
		}
	}
	st.session = sess
	if sess != nil {
		sess.current = st
	}
	total := f.statementTime(strings.Join(r.sqls, ";\n"))
	st.pickAt, st.startAt, st.finishAt = now.Add(total/10), now.Add(total/5), now.Add(total)
	f.queryID++
	st.queryID = f.queryID
	f.stmts[st.id] = st
	if r.token != nil {
		f.tokens[*r.token] = st.id
	}
	return st, nil
}

// expireLocked closes the sessions idle for longer than their keep-alive.
func (f *Fake) expireLocked(now time.Time) {
	for id, s := range f.sessions {
		if cur := s.current; cur != nil && !cur.terminal() {
			continue
		}
		if now.Sub(s.idleSinceTime()) > s.keepAlive {
			delete(f.sessions, id)
			// Closing talks to PostgreSQL, which must not happen under f.mu; Close waits.
			f.closing.Add(1)
			go func() { defer f.closing.Done(); s.close() }()
		}
	}
}

// ExecuteStatement submits one SQL statement.
func (f *Fake) ExecuteStatement(ctx context.Context, in *redshiftdata.ExecuteStatementInput, _ ...func(*redshiftdata.Options)) (*redshiftdata.ExecuteStatementOutput, error) {
	return fakecontrol.Do(f.Controls, OpExecuteStatement, in, func(in *redshiftdata.ExecuteStatementInput) (*redshiftdata.ExecuteStatementOutput, error) {
		if err := f.throttled(OpExecuteStatement); err != nil {
			return nil, err
		}
		if in == nil || in.Sql == nil {
			return nil, validation("1 validation error detected: Value null at 'sql' failed to satisfy constraint: Member must not be null")
		}
		r := &request{sqls: []string{*in.Sql}, params: in.Parameters, cluster: in.ClusterIdentifier, workgroup: in.WorkgroupName,
			database: in.Database, dbUser: in.DbUser, secretArn: in.SecretArn, sessionID: in.SessionId, keepAlive: in.SessionKeepAliveSeconds,
			name: in.StatementName, token: in.ClientToken, format: in.ResultFormat}
		st, err := f.submit(r)
		if err != nil {
			return nil, err
		}
		t := st.target
		return &redshiftdata.ExecuteStatementOutput{
			Id: aws.String(st.id), CreatedAt: aws.Time(st.created), SessionId: st.sessionID(),
			ClusterIdentifier: optional(t.cluster), WorkgroupName: optional(t.workgroup), Database: optional(t.database),
			DbUser: optional(t.dbUser), SecretArn: optional(t.secretArn),
		}, nil
	})
}

// BatchExecuteStatement submits 1 to 40 SQL statements run as one transaction.
func (f *Fake) BatchExecuteStatement(ctx context.Context, in *redshiftdata.BatchExecuteStatementInput, _ ...func(*redshiftdata.Options)) (*redshiftdata.BatchExecuteStatementOutput, error) {
	return fakecontrol.Do(f.Controls, OpBatchExecuteStatement, in, func(in *redshiftdata.BatchExecuteStatementInput) (*redshiftdata.BatchExecuteStatementOutput, error) {
		if err := f.throttled(OpBatchExecuteStatement); err != nil {
			return nil, err
		}
		if in == nil || in.Sqls == nil {
			return nil, validation("1 validation error detected: Value null at 'sqls' failed to satisfy constraint: Member must not be null")
		}
		if len(in.Sqls) < 1 || len(in.Sqls) > maxBatchStatements {
			return nil, validation("Sqls must have 1 to %d items, not %d", maxBatchStatements, len(in.Sqls))
		}
		r := &request{sqls: in.Sqls, params: in.Parameters, cluster: in.ClusterIdentifier, workgroup: in.WorkgroupName,
			database: in.Database, dbUser: in.DbUser, secretArn: in.SecretArn, sessionID: in.SessionId, keepAlive: in.SessionKeepAliveSeconds,
			name: in.StatementName, token: in.ClientToken, format: in.ResultFormat, batch: true}
		st, err := f.submit(r)
		if err != nil {
			return nil, err
		}
		t := st.target
		return &redshiftdata.BatchExecuteStatementOutput{
			Id: aws.String(st.id), CreatedAt: aws.Time(st.created), SessionId: st.sessionID(),
			ClusterIdentifier: optional(t.cluster), WorkgroupName: optional(t.workgroup), Database: optional(t.database),
			DbUser: optional(t.dbUser), SecretArn: optional(t.secretArn),
		}, nil
	})
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// lookup finds a statement by ID, or by sub-statement ID "<id>:<n>" (sub is then n, 1-based).
func (f *Fake) lookup(id *string) (*statement, int, error) {
	if id == nil || *id == "" {
		return nil, 0, validation("1 validation error detected: Value null at 'id' failed to satisfy constraint: Member must not be null")
	}
	base, subPart, isSub := strings.Cut(*id, ":")
	sub := 0
	if isSub {
		n, err := strconv.Atoi(subPart)
		if err != nil || n < 1 {
			return nil, 0, validation("Id %q is not a statement ID", *id)
		}
		sub = n
	}
	f.mu.Lock()
	st := f.stmts[base]
	f.mu.Unlock()
	if st == nil || (sub > 0 && (!st.batch || sub > len(st.sqls))) {
		return nil, 0, &types.ResourceNotFoundException{Message: aws.String("Query does not exist."), ResourceId: aws.String(*id)}
	}
	return st, sub, nil
}

// observe tells a fake's controls what a read saw: a resource in transition waits on the
// clock; one settled or gone is final.
func observe(c *fakecontrol.Controls, key string, pending bool, now time.Time) error {
	if pending {
		return c.WaitingOnClock(key, now)
	}
	c.Settled(key)
	return nil
}

// DescribeStatement reports a statement's state, advancing it by the fake's clock.
func (f *Fake) DescribeStatement(ctx context.Context, in *redshiftdata.DescribeStatementInput, _ ...func(*redshiftdata.Options)) (*redshiftdata.DescribeStatementOutput, error) {
	return fakecontrol.Do(f.Controls, OpDescribeStatement, in, func(in *redshiftdata.DescribeStatementInput) (*redshiftdata.DescribeStatementOutput, error) {
		if err := f.throttled(OpDescribeStatement); err != nil {
			return nil, err
		}
		if in == nil {
			in = &redshiftdata.DescribeStatementInput{}
		}
		st, sub, err := f.lookup(in.Id)
		if err != nil {
			return nil, err
		}
		now := f.clock.Now()
		f.advance(ctx, st, now)
		st.mu.Lock()
		defer st.mu.Unlock()
		if err := observe(f.Controls, "statement "+st.id, !st.terminalLocked(), now); err != nil {
			return nil, err
		}
		return st.describeLocked(sub), nil
	})
}

// CancelStatement cancels a statement that has not finished.
func (f *Fake) CancelStatement(ctx context.Context, in *redshiftdata.CancelStatementInput, _ ...func(*redshiftdata.Options)) (*redshiftdata.CancelStatementOutput, error) {
	return fakecontrol.Do(f.Controls, OpCancelStatement, in, func(in *redshiftdata.CancelStatementInput) (*redshiftdata.CancelStatementOutput, error) {
		if err := f.throttled(OpCancelStatement); err != nil {
			return nil, err
		}
		if in == nil {
			in = &redshiftdata.CancelStatementInput{}
		}
		st, sub, err := f.lookup(in.Id)
		if err != nil {
			return nil, err
		}
		if sub > 0 {
			return nil, validation("Id %q is a sub-statement; cancel the batch statement %s", *in.Id, st.id)
		}
		now := f.clock.Now()
		f.advance(ctx, st, now)
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.terminalLocked() {
			return nil, validation("Could not cancel a query that is already in %s state with ID: %s", st.status, st.id)
		}
		st.abortLocked(now)
		f.Settled("statement " + st.id)
		return &redshiftdata.CancelStatementOutput{Status: aws.Bool(true)}, nil
	})
}

// redshiftOnly matches the Redshift SQL the fake's PostgreSQL cannot run.
var redshiftOnly = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`(?is)^copy\b.*(\biam_role\b|'s3://|\bcredentials\b)`), "COPY from Amazon S3"},
	{regexp.MustCompile(`(?is)^unload\b`), "UNLOAD"},
	{regexp.MustCompile(`(?is)^create\s+(external\s+(schema|table)|model|library)\b`), "CREATE EXTERNAL SCHEMA/TABLE, MODEL and LIBRARY"},
}

// refuseRedshiftOnly returns a statement error for SQL only Redshift can run.
func refuseRedshiftOnly(sql string) string {
	s := strings.TrimSpace(stripLeadingComments(sql))
	for _, r := range redshiftOnly {
		if r.re.MatchString(s) {
			return fmt.Sprintf("redshifttest: %s are Redshift-only SQL that the fake's PostgreSQL cannot run", r.what)
		}
	}
	return ""
}

func stripLeadingComments(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		switch {
		case strings.HasPrefix(s, "--"):
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = s[i+1:]
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s, "*/")
			if i < 0 {
				return ""
			}
			s = s[i+2:]
		default:
			return s
		}
	}
}
