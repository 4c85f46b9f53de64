package redshift

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
)

// Column describes a result column from the Data API's column metadata.
type Column struct {
	// Name is the column's label.
	Name string
	// TypeName is Redshift's type name: int2, int4, int8, float4, float8, numeric, bool,
	// bpchar, varchar, date, time, timetz, timestamp, timestamptz, super, varbyte, ...
	TypeName string
	// Precision and Scale are a numeric's; Length a character type's.
	Precision, Scale, Length int
	// Nullable is 0 for NOT NULL, 1 for nullable, 2 when unknown (JDBC's convention).
	Nullable int
}

// Rows is the result of a query, read page by page (GetStatementResult) as Next advances: at
// most one page is held in memory. It is not safe for concurrent use.
//
// Values are typed from the column metadata:
//
//	int2, int4, int8                 int64
//	float4, float8                   float64
//	numeric, decimal                 string (exact, such as "-12.50")
//	bool                             bool
//	bpchar, char, varchar, text      string
//	date                             time.Time (UTC midnight)
//	timestamp                        time.Time (UTC)
//	timestamptz                      time.Time (in the offset Redshift sent)
//	time, timetz                     string ("15:04:05[.999999][±hh[:mm]]")
//	super                            json.RawMessage
//	varbyte, binary varying          []byte
//	other types                      string
//	NULL                             nil
//
// A value that does not parse as its column's type ends the iteration with an error (see Err):
// it never becomes NULL.
type Rows struct {
	ctx    context.Context
	d      *DataAPI
	opts   Options
	id     string
	token  *string
	page   [][]types.Field
	i      int
	cols   []Column
	cur    []any
	err    error
	done   bool
	closed bool
}

// Rows opens the JSON result of a finished statement or batch sub-statement ("<id>:<n>"),
// fetching its first page.
func (d *DataAPI) Rows(ctx context.Context, id string, optFns ...func(*Options)) (*Rows, error) {
	r := &Rows{ctx: ctx, d: d, opts: d.options(optFns), id: id}
	if err := r.fetch(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Rows) fetch() error {
	out, err := r.d.client.GetStatementResult(r.ctx, &redshiftdata.GetStatementResultInput{Id: aws.String(r.id), NextToken: r.token}, r.opts.DataAPIClientOptions...)
	if err != nil {
		return apiError("GetStatementResult", err)
	}
	if r.cols == nil {
		r.cols = make([]Column, len(out.ColumnMetadata))
		for i, c := range out.ColumnMetadata {
			name := aws.ToString(c.Label)
			if name == "" {
				name = aws.ToString(c.Name)
			}
			r.cols[i] = Column{Name: name, TypeName: strings.ToLower(aws.ToString(c.TypeName)), Precision: int(c.Precision),
				Scale: int(c.Scale), Length: int(c.Length), Nullable: int(c.Nullable)}
		}
	}
	r.page, r.i = out.Records, 0
	r.token = out.NextToken
	if aws.ToString(r.token) == "" {
		r.token = nil
	}
	return nil
}

// Columns returns the result's columns.
func (r *Rows) Columns() []Column { return r.cols }

// Next advances to the next row, fetching the next page when the current one is used up. It
// returns false at the end or on an error (see Err).
func (r *Rows) Next() bool {
	if r.done || r.closed {
		return false
	}
	for r.i >= len(r.page) {
		if r.token == nil {
			r.done = true
			return false
		}
		r.page = nil // let the used page go before the next arrives
		if err := r.fetch(); err != nil {
			r.err, r.done = err, true
			return false
		}
	}
	rec := r.page[r.i]
	r.page[r.i] = nil
	r.i++
	if len(rec) != len(r.cols) {
		r.err, r.done = fmt.Errorf("redshift: statement %s: a record has %d fields for %d columns", r.id, len(rec), len(r.cols)), true
		return false
	}
	if r.cur == nil {
		r.cur = make([]any, len(r.cols))
	}
	for c, f := range rec {
		v, err := decode(r.cols[c], f)
		if err != nil {
			r.err, r.done = fmt.Errorf("redshift: statement %s: column %q: %w", r.id, r.cols[c].Name, err), true
			return false
		}
		r.cur[c] = v
	}
	return true
}

// Values returns the current row's values, typed as the Rows doc says. The slice is reused
// by the next call of Next.
func (r *Rows) Values() []any { return r.cur }

// Err returns the error that ended the iteration, if any.
func (r *Rows) Err() error { return r.err }

// Close releases the rows; the rest of the result is not fetched.
func (r *Rows) Close() error {
	r.closed, r.page, r.cur = true, nil, nil
	return nil
}

var (
	decimalRe = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	timeRe    = regexp.MustCompile(`^([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?([+-][0-9]{2}(:?[0-9]{2})?)?$`)
)

// decode converts one field to the Go value of its column's type.
func decode(col Column, f types.Field) (any, error) {
	if n, ok := f.(*types.FieldMemberIsNull); ok && n.Value {
		return nil, nil
	}
	switch col.TypeName {
	case "int2", "int4", "int8", "smallint", "integer", "bigint", "int":
		switch v := f.(type) {
		case *types.FieldMemberLongValue:
			return v.Value, nil
		case *types.FieldMemberStringValue:
			n, err := strconv.ParseInt(v.Value, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s value %q is not an integer", col.TypeName, v.Value)
			}
			return n, nil
		}
	case "float4", "float8", "real", "double precision", "float":
		switch v := f.(type) {
		case *types.FieldMemberDoubleValue:
			return v.Value, nil
		case *types.FieldMemberLongValue:
			return float64(v.Value), nil
		case *types.FieldMemberStringValue:
			switch strings.ToLower(v.Value) {
			case "nan":
				return math.NaN(), nil
			case "infinity", "inf":
				return math.Inf(1), nil
			case "-infinity", "-inf":
				return math.Inf(-1), nil
			}
			x, err := strconv.ParseFloat(v.Value, 64)
			if err != nil {
				return nil, fmt.Errorf("%s value %q is not a number", col.TypeName, v.Value)
			}
			return x, nil
		}
	case "numeric", "decimal":
		switch v := f.(type) {
		case *types.FieldMemberStringValue:
			if !decimalRe.MatchString(v.Value) && v.Value != "NaN" {
				return nil, fmt.Errorf("numeric value %q is not a decimal number", v.Value)
			}
			return v.Value, nil
		case *types.FieldMemberLongValue:
			return strconv.FormatInt(v.Value, 10), nil
		}
	case "bool", "boolean":
		switch v := f.(type) {
		case *types.FieldMemberBooleanValue:
			return v.Value, nil
		case *types.FieldMemberStringValue:
			switch v.Value {
			case "t", "true":
				return true, nil
			case "f", "false":
				return false, nil
			}
			return nil, fmt.Errorf("bool value %q is not a boolean", v.Value)
		}
	case "date":
		if v, ok := f.(*types.FieldMemberStringValue); ok {
			t, err := time.Parse("2006-01-02", v.Value)
			if err != nil {
				return nil, fmt.Errorf("date value %q is not YYYY-MM-DD", v.Value)
			}
			return t, nil
		}
	case "timestamp", "timestamp without time zone":
		if v, ok := f.(*types.FieldMemberStringValue); ok {
			t, err := time.Parse("2006-01-02 15:04:05.999999", v.Value)
			if err != nil {
				return nil, fmt.Errorf("timestamp value %q is not YYYY-MM-DD HH:MM:SS[.ffffff]", v.Value)
			}
			return t, nil
		}
	case "timestamptz", "timestamp with time zone":
		if v, ok := f.(*types.FieldMemberStringValue); ok {
			for _, layout := range []string{"2006-01-02 15:04:05.999999-07", "2006-01-02 15:04:05.999999-07:00", "2006-01-02 15:04:05.999999-07:00:00"} {
				if t, err := time.Parse(layout, v.Value); err == nil {
					return t, nil
				}
			}
			return nil, fmt.Errorf("timestamptz value %q is not YYYY-MM-DD HH:MM:SS[.ffffff]±hh[:mm]", v.Value)
		}
	case "time", "timetz", "time without time zone", "time with time zone":
		if v, ok := f.(*types.FieldMemberStringValue); ok {
			if !timeRe.MatchString(v.Value) {
				return nil, fmt.Errorf("%s value %q is not HH:MM:SS[.ffffff]", col.TypeName, v.Value)
			}
			return v.Value, nil
		}
	case "super":
		if v, ok := f.(*types.FieldMemberStringValue); ok {
			if !json.Valid([]byte(v.Value)) {
				return nil, fmt.Errorf("super value is not JSON (%d bytes)", len(v.Value))
			}
			return json.RawMessage(v.Value), nil
		}
	case "varbyte", "binary varying", "varbinary":
		switch v := f.(type) {
		case *types.FieldMemberBlobValue:
			return v.Value, nil
		case *types.FieldMemberStringValue:
			b, err := hex.DecodeString(strings.TrimPrefix(v.Value, `\x`))
			if err != nil {
				return nil, fmt.Errorf("varbyte value is not hexadecimal (%d characters)", len(v.Value))
			}
			return b, nil
		}
	default:
		switch v := f.(type) {
		case *types.FieldMemberStringValue:
			return v.Value, nil
		case *types.FieldMemberLongValue:
			return v.Value, nil
		case *types.FieldMemberDoubleValue:
			return v.Value, nil
		case *types.FieldMemberBooleanValue:
			return v.Value, nil
		case *types.FieldMemberBlobValue:
			return v.Value, nil
		}
	}
	return nil, fmt.Errorf("%s column got a %s", col.TypeName, fieldKind(f))
}

func fieldKind(f types.Field) string {
	switch f.(type) {
	case *types.FieldMemberStringValue:
		return "stringValue"
	case *types.FieldMemberLongValue:
		return "longValue"
	case *types.FieldMemberDoubleValue:
		return "doubleValue"
	case *types.FieldMemberBooleanValue:
		return "booleanValue"
	case *types.FieldMemberBlobValue:
		return "blobValue"
	case *types.FieldMemberIsNull:
		return "isNull false"
	}
	return fmt.Sprintf("%T", f)
}

type csvReader struct {
	ctx     context.Context
	d       *DataAPI
	opts    Options
	id      string
	token   *string
	started bool
	buf     []string
	cur     string
	err     error
}

func (c *csvReader) Read(p []byte) (int, error) {
	for c.cur == "" {
		if len(c.buf) > 0 {
			c.cur, c.buf = c.buf[0], c.buf[1:]
			continue
		}
		if c.err != nil {
			return 0, c.err
		}
		if c.started && c.token == nil {
			return 0, io.EOF
		}
		out, err := c.d.client.GetStatementResultV2(c.ctx, &redshiftdata.GetStatementResultV2Input{Id: aws.String(c.id), NextToken: c.token}, c.opts.DataAPIClientOptions...)
		c.started = true
		if err != nil {
			c.err = apiError("GetStatementResultV2", err)
			return 0, c.err
		}
		for _, rec := range out.Records {
			v, ok := rec.(*types.QueryRecordsMemberCSVRecords)
			if !ok {
				c.err = fmt.Errorf("redshift: GetStatementResultV2: statement %s: a record is %T, not CSV", c.id, rec)
				break
			}
			c.buf = append(c.buf, v.Value)
		}
		c.token = out.NextToken
		if aws.ToString(c.token) == "" {
			c.token = nil
		}
	}
	n := copy(p, c.cur)
	c.cur = c.cur[n:]
	return n, nil
}

func (c *csvReader) Close() error {
	c.buf, c.cur, c.token, c.started = nil, "", nil, true
	if c.err == nil {
		c.err = errors.New("redshift: CSV result read after Close")
	}
	return nil
}
