package redshifttest

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/jackc/pgx/v5/pgconn"
)

// PostgreSQL type OIDs the fake maps to Redshift type names.
const (
	oidBool        = 16
	oidBytea       = 17
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidBpchar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidTimetz      = 1266
	oidNumeric     = 1700
	oidJSONB       = 3802
)

// kind is how a column's text values become Data API fields.
type kind uint8

const (
	kindString kind = iota
	kindLong
	kindDouble
	kindBool
	kindBytes
)

// result is a statement's result held compactly: every row encoded as fields of
// uvarint(len+1) (0 for NULL) followed by the bytes of the value's PostgreSQL text form.
type result struct {
	hasResult bool
	rows      int64 // ResultRows: rows returned, or rows affected
	size      int64 // ResultSize in bytes
	cols      []types.ColumnMetadata
	kinds     []kind
	data      []byte
	offs      []int
	n         int
}

// runOne runs one SQL text with the statement's parameters on conn.
func (f *Fake) runOne(ctx context.Context, conn *pgconn.PgConn, sql string, values map[string]string, database string) (*result, error) {
	if isDatashareSQL(sql) {
		return f.runDatashare(ctx, conn, sql, database)
	}
	text, names, err := translateParams(sql)
	if err != nil {
		return nil, err
	}
	args := make([][]byte, len(names))
	for i, n := range names {
		args[i] = []byte(values[n])
	}
	return f.query(ctx, conn, text, args)
}

// query runs one PostgreSQL statement with text arguments and keeps its result.
func (f *Fake) query(ctx context.Context, conn *pgconn.PgConn, text string, args [][]byte) (*result, error) {
	rr := conn.ExecParams(ctx, text, args, nil, nil, nil)
	fds := rr.FieldDescriptions()
	res := &result{}
	if fds != nil {
		res.hasResult = true
		res.cols, res.kinds = f.columns(fds)
	}
	var rowErr error
	for rr.NextRow() {
		if rowErr != nil {
			continue
		}
		start := len(res.data)
		for _, v := range rr.Values() {
			if v == nil {
				res.data = binary.AppendUvarint(res.data, 0)
				continue
			}
			res.data = binary.AppendUvarint(res.data, uint64(len(v))+1)
			res.data = append(res.data, v...)
		}
		rowBytes := len(res.data) - start
		if rowBytes > f.opts.MaxRowBytes {
			rowErr = fmt.Errorf("ERROR: Result row %d is %d bytes, over the Data API's limit of %d bytes per row", res.n+1, rowBytes, f.opts.MaxRowBytes)
			continue
		}
		if int64(len(res.data)) > f.opts.MaxResultBytes {
			rowErr = fmt.Errorf("ERROR: The query result is over the Data API's limit of %d bytes per statement", f.opts.MaxResultBytes)
			continue
		}
		res.offs = append(res.offs, start)
		res.n++
	}
	tag, err := rr.Close()
	if err != nil {
		return nil, err
	}
	if rowErr != nil {
		return nil, rowErr
	}
	res.size = int64(len(res.data))
	if res.hasResult {
		res.rows = int64(res.n)
	} else {
		res.rows = tag.RowsAffected()
	}
	return res, nil
}

// columns maps PostgreSQL field descriptions to Redshift column metadata.
func (f *Fake) columns(fds []pgconn.FieldDescription) ([]types.ColumnMetadata, []kind) {
	cols := make([]types.ColumnMetadata, len(fds))
	kinds := make([]kind, len(fds))
	for i, fd := range fds {
		name := fd.Name
		c := types.ColumnMetadata{Name: aws.String(name), Label: aws.String(name), Nullable: 2, SchemaName: aws.String(""), TableName: aws.String("")}
		typmod := fd.TypeModifier
		typeName, k := "varchar", kindString
		switch fd.DataTypeOID {
		case oidBool:
			typeName, k = "bool", kindBool
		case oidInt2:
			typeName, k, c.IsSigned, c.Precision = "int2", kindLong, true, 5
		case oidInt4:
			typeName, k, c.IsSigned, c.Precision = "int4", kindLong, true, 10
		case oidInt8:
			typeName, k, c.IsSigned, c.Precision = "int8", kindLong, true, 19
		case oidFloat4:
			typeName, k, c.IsSigned, c.Precision = "float4", kindDouble, true, 8
		case oidFloat8:
			typeName, k, c.IsSigned, c.Precision = "float8", kindDouble, true, 17
		case oidNumeric:
			typeName, c.IsSigned = "numeric", true
			if typmod >= 4 {
				c.Precision, c.Scale = (typmod-4)>>16&0xffff, (typmod-4)&0xffff
			}
		case oidBpchar:
			typeName, c.IsCaseSensitive = "bpchar", true
			if typmod >= 4 {
				c.Length, c.Precision = typmod-4, typmod-4
			}
		case oidVarchar, oidText:
			typeName, c.IsCaseSensitive = "varchar", true
			if typmod >= 4 {
				c.Length, c.Precision = typmod-4, typmod-4
			} else {
				c.Length, c.Precision = 256, 256
			}
		case oidDate:
			typeName = "date"
		case oidTime:
			typeName = "time"
		case oidTimetz:
			typeName = "timetz"
		case oidTimestamp:
			typeName = "timestamp"
		case oidTimestamptz:
			typeName = "timestamptz"
		case oidJSON, oidJSONB:
			typeName = "super"
		case oidBytea:
			typeName, k = "varbyte", kindBytes
		default:
			switch f.domainName(fd.DataTypeOID) {
			case "super":
				typeName = "super"
			case "varbyte":
				typeName, k = "varbyte", kindBytes
			default:
				typeName = "unknown"
			}
		}
		c.TypeName = aws.String(typeName)
		cols[i], kinds[i] = c, k
	}
	return cols, kinds
}

// domainName returns the name of the super or varbyte domain with OID oid, or "".
func (f *Fake) domainName(oid uint32) string {
	f.dbMu.Lock()
	defer f.dbMu.Unlock()
	return f.domains[oid]
}

// value returns the text of column col of row i, and whether it is NULL.
func (r *result) value(i, col int) ([]byte, bool) {
	p := r.offs[i]
	for c := 0; ; c++ {
		l, k := binary.Uvarint(r.data[p:])
		p += k
		if l == 0 {
			if c == col {
				return nil, true
			}
			continue
		}
		if c == col {
			return r.data[p : p+int(l)-1], false
		}
		p += int(l) - 1
	}
}

// fields returns row i as Data API fields.
func (r *result) fields(i int) []types.Field {
	out := make([]types.Field, len(r.kinds))
	p := r.offs[i]
	for c, k := range r.kinds {
		l, n := binary.Uvarint(r.data[p:])
		p += n
		if l == 0 {
			out[c] = &types.FieldMemberIsNull{Value: true}
			continue
		}
		v := r.data[p : p+int(l)-1]
		p += int(l) - 1
		out[c] = field(k, v)
	}
	return out
}

// field converts one PostgreSQL text value to a Data API field.
func field(k kind, v []byte) types.Field {
	s := string(v)
	switch k {
	case kindLong:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return &types.FieldMemberLongValue{Value: n}
		}
	case kindDouble:
		// JSON cannot carry NaN or infinities, so those stay strings.
		if x, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
			return &types.FieldMemberDoubleValue{Value: x}
		}
	case kindBool:
		return &types.FieldMemberBooleanValue{Value: s == "t"}
	case kindBytes:
		// PostgreSQL's text form is \x<hex>; Redshift shows VARBYTE as hex.
		return &types.FieldMemberStringValue{Value: strings.TrimPrefix(s, `\x`)}
	}
	return &types.FieldMemberStringValue{Value: s}
}

// csv returns rows [from, to) as CSV text.
func (r *result) csv(from, to int) string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rec := make([]string, len(r.kinds))
	for i := from; i < to; i++ {
		for c, k := range r.kinds {
			v, null := r.value(i, c)
			switch {
			case null:
				rec[c] = ""
			case k == kindBytes:
				rec[c] = strings.TrimPrefix(string(v), `\x`)
			case k == kindBool:
				rec[c] = strconv.FormatBool(string(v) == "t")
			default:
				rec[c] = string(v)
			}
		}
		w.Write(rec)
	}
	w.Flush()
	return buf.String()
}
