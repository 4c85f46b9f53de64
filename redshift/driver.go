package redshift

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
)

// DriverName is the name the database/sql driver is registered under:
//
//	db, err := sql.Open(redshift.DriverName, "workgroup(analytics)/dev?region=eu-west-1")
//
// Its data source names are
//
//	[<db user>@]workgroup(<name or ARN>)/<database>[?<options>]
//	[<db user>@]cluster(<cluster ID>)/<database>[?<options>]
//
// with options, URL-query encoded:
//
//	secret_arn=<ARN>     authenticate with a Secrets Manager secret
//	region=<region>      the AWS region (default: the SDK's configuration)
//	timeout=<duration>   bound on each statement's wait, such as 15m (default: none)
//	keep_alive=<dur>     session keep-alive of transactions (default 5m)
//	min_poll=<duration>  first DescribeStatement delay (default 50ms)
//	max_poll=<duration>  largest DescribeStatement delay (default 5s)
//	session_per_conn=true  every statement of a connection in its session (SessionPerConn)
//
// The forms are those of mashiike/redshift-data-sql-driver, so its DSNs (with timeout and
// region) carry over; its fixed "polling" option is accepted as min_poll.
//
// sql.Open loads the default AWS configuration (environment, shared files, IAM role). To use
// an aws.Config or a client of your own, use NewConnector with sql.OpenDB.
const DriverName = "redshift-data"

// defaultSessionKeepAlive is how long a transaction's Data API session stays open after each
// statement.
const defaultSessionKeepAlive = 5 * time.Minute

func init() {
	sql.Register(DriverName, sqlDriver{})
}

// sqlDriver is the database/sql driver registered as DriverName.
type sqlDriver struct{}

// Open opens a connection for dsn.
func (d sqlDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses dsn and loads the default AWS configuration once.
func (sqlDriver) OpenConnector(dsn string) (driver.Connector, error) {
	p, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var loadOpts []func(*config.LoadOptions) error
	if p.Region != "" {
		loadOpts = append(loadOpts, config.WithRegion(p.Region))
	}
	cfg, err := config.LoadDefaultConfig(context.Background(), loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("redshift: loading the AWS configuration: %w", err)
	}
	opts := p.Options
	return NewConnector(NewDataAPI(redshiftdata.NewFromConfig(cfg), p.Target, func(o *Options) { *o = opts })), nil
}

// NewConnector returns a connector that runs statements with d (its client, target, waits
// and cancellation); use it with sql.OpenDB:
//
//	db := sql.OpenDB(redshift.NewConnector(redshift.NewDataAPI(redshiftdata.NewFromConfig(cfg), target)))
//
// Outside a transaction each statement runs on its own (ExecuteStatement). Begin opens a Data
// API session (or reuses the connection's, while it lives) and runs BEGIN in it; every
// statement of the transaction then runs in that session, so it sees the transaction's
// writes, and COMMIT or ROLLBACK ends it. Arguments are bound as Data API parameters: write
// :name in the SQL for sql.Named("name", v), and :1, :2, ... for positional arguments. The
// Data API has no NULL or empty-string parameter, so nil and "" arguments are errors.
//
// NewConnector reads SessionKeepAlive and SessionPerConn of d's Options with optFns applied;
// statements wait and are cancelled as d's Options say.
func NewConnector(d *DataAPI, optFns ...func(*Options)) driver.Connector {
	o := configure(d.opts, optFns)
	if o.SessionKeepAlive <= 0 {
		o.SessionKeepAlive = defaultSessionKeepAlive
	}
	return &connector{d: d, opts: o}
}

type connector struct {
	d    *DataAPI
	opts Options
}

func (c *connector) Connect(context.Context) (driver.Conn, error) {
	if err := c.d.target.validate(); err != nil {
		return nil, err
	}
	return &conn{d: c.d, opts: c.opts}, nil
}

func (c *connector) Driver() driver.Driver { return sqlDriver{} }

// conn is one database/sql connection: stateless statements, plus a session for transactions.
type conn struct {
	d    *DataAPI
	opts Options
	sess *session
	inTx bool
	bad  bool
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
)

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext prepares on the client: the Data API has no prepared statements, so the SQL
// is checked and kept, and each execution sends it with its arguments as parameters.
func (c *conn) PrepareContext(_ context.Context, query string) (driver.Stmt, error) {
	names, err := paramRefs(query)
	if err != nil {
		return nil, err
	}
	return &stmt{c: c, query: query, numInput: numInput(names)}, nil
}

// numInput is the number of positional arguments when every parameter is :1 … :n, else -1
// (database/sql then does not check the count).
func numInput(names []string) int {
	seen := map[string]bool{}
	for _, n := range names {
		if _, err := strconv.Atoi(n); err != nil {
			return -1
		}
		seen[n] = true
	}
	for i := 1; i <= len(seen); i++ {
		if !seen[strconv.Itoa(i)] {
			return -1
		}
	}
	return len(seen)
}

func (c *conn) Close() error {
	c.sess = nil
	return nil
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx runs BEGIN in the connection's session, opening a new session when there is none or
// the last one expired.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.inTx {
		return nil, errors.New("redshift: a transaction is already open on this connection")
	}
	begin := "BEGIN"
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault:
	case sql.LevelSerializable:
		begin += " ISOLATION LEVEL SERIALIZABLE"
	default:
		return nil, fmt.Errorf("redshift: isolation level %s is not supported (Redshift has SERIALIZABLE and SNAPSHOT, chosen per database)", sql.IsolationLevel(opts.Isolation))
	}
	if opts.ReadOnly {
		begin += " READ ONLY"
	}
	if c.sess != nil {
		_, err := c.sess.Run(ctx, Statement{SQL: begin})
		if err == nil {
			c.inTx = true
			return &tx{c: c}, nil
		}
		var ve *types.ValidationException
		if !errors.As(err, &ve) {
			return nil, err
		}
		// The session expired (or was closed) between transactions: BEGIN did not run, so a
		// new session is safe.
		c.sess = nil
	}
	s, err := c.d.newSession(c.opts.SessionKeepAlive)
	if err != nil {
		return nil, err
	}
	if _, err := s.Run(ctx, Statement{SQL: begin}); err != nil {
		return nil, err
	}
	c.sess, c.inTx = s, true
	return &tx{c: c}, nil
}

type tx struct{ c *conn }

func (t *tx) Commit() error   { return t.end("COMMIT") }
func (t *tx) Rollback() error { return t.end("ROLLBACK") }

func (t *tx) end(sqlText string) error {
	if !t.c.inTx {
		return sql.ErrTxDone
	}
	// The transaction is over whatever happens: a failed COMMIT leaves nothing to roll back
	// that Redshift has not rolled back already.
	t.c.inTx = false
	_, err := t.c.sess.Run(context.Background(), Statement{SQL: sqlText})
	if err != nil {
		t.c.sess = nil // its state is unknown; the next transaction opens a new session
	}
	return err
}

func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	_, err := paramValue(nv)
	return err
}

func (c *conn) ResetSession(context.Context) error {
	if c.bad || c.inTx {
		return driver.ErrBadConn
	}
	return nil
}

func (c *conn) IsValid() bool { return !c.bad && !c.inTx }

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.exec(ctx, query, args)
	if err != nil {
		return nil, c.mapErr(err)
	}
	return execResult{rows: res.Rows, hasRows: res.HasResultSet}, nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	res, err := c.exec(ctx, query, args)
	if err != nil {
		return nil, c.mapErr(err)
	}
	if !res.HasResultSet {
		return &driverRows{}, nil
	}
	r, err := c.d.Rows(ctx, res.ID)
	if err != nil {
		return nil, err
	}
	return &driverRows{r: r}, nil
}

// exec binds args to query and runs it in the connection's session inside a transaction
// (or always, with SessionPerConn), else on its own.
func (c *conn) exec(ctx context.Context, query string, args []driver.NamedValue) (*Result, error) {
	st, err := statementFor(query, args)
	if err != nil {
		return nil, err
	}
	if c.inTx {
		return c.sess.Run(ctx, st)
	}
	if !c.opts.SessionPerConn {
		return c.d.Run(ctx, st)
	}
	if c.sess == nil {
		s, err := c.d.newSession(c.opts.SessionKeepAlive)
		if err != nil {
			return nil, err
		}
		c.sess = s
	}
	res, err := c.sess.Run(ctx, st)
	var ve *types.ValidationException
	if err != nil && c.sess.ID() != "" && errors.As(err, &ve) {
		// The session expired: its state is gone, so this connection is done; database/sql
		// retries the statement, which did not run, on a new one.
		c.bad = true
		return nil, errors.Join(driver.ErrBadConn, err)
	}
	return res, err
}

// mapErr reports driver.ErrBadConn only where database/sql's retry on another connection is
// safe: outside a transaction, when the Data API could not reach the database, so the
// statement was not submitted.
func (c *conn) mapErr(err error) error {
	var dce *types.DatabaseConnectionException
	if !c.inTx && errors.As(err, &dce) {
		return errors.Join(driver.ErrBadConn, err)
	}
	return err
}

func statementFor(query string, args []driver.NamedValue) (Statement, error) {
	st := Statement{SQL: query}
	for i := range args {
		v, err := paramValue(&args[i])
		if err != nil {
			return st, err
		}
		name := args[i].Name
		if name == "" {
			name = strconv.Itoa(args[i].Ordinal)
		}
		st.Params = append(st.Params, Param{Name: name, Value: v})
	}
	return st, nil
}

// paramValue renders an argument as the Data API parameter text Redshift casts from.
func paramValue(nv *driver.NamedValue) (string, error) {
	name := nv.Name
	if name == "" {
		name = ":" + strconv.Itoa(nv.Ordinal)
	}
	var s string
	switch v := nv.Value.(type) {
	case nil:
		return "", fmt.Errorf("redshift: argument %s is NULL, which the Data API cannot carry as a parameter; write NULL in the SQL", name)
	case string:
		s = v
	case int64:
		s = strconv.FormatInt(v, 10)
	case int:
		s = strconv.Itoa(v)
	case int32:
		s = strconv.FormatInt(int64(v), 10)
	case float64:
		switch {
		case math.IsInf(v, 1):
			s = "Infinity"
		case math.IsInf(v, -1):
			s = "-Infinity"
		default:
			s = strconv.FormatFloat(v, 'g', -1, 64) // NaN as "NaN"
		}
	case bool:
		s = strconv.FormatBool(v)
	case time.Time:
		// In UTC, so that a timestamp column stores the instant's UTC wall time, which is how
		// timestamps read back; a timestamptz column gets the instant either way.
		s = v.UTC().Format("2006-01-02 15:04:05.999999-07:00")
	case []byte:
		// Bytes are sent as hex text; write from_hex(:p) or :p::varbyte as the column needs.
		s = hex.EncodeToString(v)
	case json.RawMessage:
		s = string(v)
	default:
		rv := reflect.ValueOf(nv.Value)
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			s = strconv.FormatInt(rv.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			s = strconv.FormatUint(rv.Uint(), 10)
		case reflect.Float32:
			s = strconv.FormatFloat(rv.Float(), 'g', -1, 32)
		case reflect.String:
			s = rv.String()
		default:
			return "", fmt.Errorf("redshift: argument %s has type %T, which has no Data API parameter form", name, nv.Value)
		}
	}
	if s == "" {
		return "", fmt.Errorf("redshift: argument %s is an empty string, which the Data API cannot carry as a parameter; write '' in the SQL", name)
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("redshift: argument %s is not valid UTF-8", name)
	}
	return s, nil
}

type stmt struct {
	c        *conn
	query    string
	numInput int
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return s.numInput }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.c.ExecContext(ctx, s.query, args)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.c.QueryContext(ctx, s.query, args)
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

type execResult struct {
	rows    int64
	hasRows bool
}

func (r execResult) LastInsertId() (int64, error) {
	return 0, errors.New("redshift: LastInsertId is not supported; use RETURNING or a query")
}

func (r execResult) RowsAffected() (int64, error) {
	if r.rows < 0 {
		return 0, errors.New("redshift: the Data API reported no row count")
	}
	return r.rows, nil
}

// driverRows adapts Rows to driver.Rows; r is nil for a statement without a result set.
type driverRows struct {
	r *Rows
}

func (d *driverRows) Columns() []string {
	if d.r == nil {
		return nil
	}
	names := make([]string, len(d.r.cols))
	for i, c := range d.r.cols {
		names[i] = c.Name
	}
	return names
}

func (d *driverRows) Close() error {
	if d.r == nil {
		return nil
	}
	return d.r.Close()
}

func (d *driverRows) Next(dest []driver.Value) error {
	if d.r == nil || !d.r.Next() {
		if d.r != nil && d.r.Err() != nil {
			return d.r.Err()
		}
		return io.EOF
	}
	for i, v := range d.r.cur {
		if raw, ok := v.(json.RawMessage); ok {
			v = []byte(raw)
		}
		dest[i] = v
	}
	return nil
}

func (d *driverRows) ColumnTypeDatabaseTypeName(i int) string {
	return d.r.cols[i].TypeName
}

func (d *driverRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	switch d.r.cols[i].Nullable {
	case 0:
		return false, true
	case 1:
		return true, true
	}
	return false, false
}

func (d *driverRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	c := d.r.cols[i]
	if c.TypeName == "numeric" || c.TypeName == "decimal" {
		return int64(c.Precision), int64(c.Scale), true
	}
	return 0, 0, false
}

func (d *driverRows) ColumnTypeScanType(i int) reflect.Type {
	switch d.r.cols[i].TypeName {
	case "int2", "int4", "int8":
		return reflect.TypeFor[int64]()
	case "float4", "float8":
		return reflect.TypeFor[float64]()
	case "bool":
		return reflect.TypeFor[bool]()
	case "date", "timestamp", "timestamptz":
		return reflect.TypeFor[time.Time]()
	case "super", "varbyte":
		return reflect.TypeFor[[]byte]()
	}
	return reflect.TypeFor[string]()
}
