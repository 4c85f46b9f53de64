package localaws

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// checkJSONDepth rejects JSON nested deeper than maxDepth, in one linear pass, before the
// body is decoded.
func checkJSONDepth(b []byte) error {
	depth, inString, escaped := 0, false, false
	for _, ch := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
		case ch == '"':
			inString = true
		case ch == '{' || ch == '[':
			depth++
			if depth > maxDepth {
				return fmt.Errorf("JSON nested deeper than %d levels", maxDepth)
			}
		case ch == '}' || ch == ']':
			depth--
		}
	}
	return nil
}

// parseJSON decodes a request body into generic values (numbers as json.Number).
func parseJSON(b []byte) (any, error) {
	if err := checkJSONDepth(b); err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err == nil {
		return nil, errors.New("data after the JSON value")
	}
	return x, nil
}

// decodeJSON stores JSON value x into v (settable), following the service's names and
// formats. path names the member for errors.
func (c *codec) decodeJSON(v reflect.Value, x any, dateTime bool, path string) error {
	if x == nil {
		return nil // null: leave the zero value
	}
	t := v.Type()
	switch {
	case t == timeType:
		tm, err := parseTimestamp(x)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v.Set(reflect.ValueOf(tm))
		return nil
	case t == bytesType:
		s, ok := x.(string)
		if !ok {
			return typeError(path, "base64 string", x)
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return fmt.Errorf("%s: invalid base64: %w", path, err)
		}
		v.SetBytes(b)
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := c.decodeJSON(p.Elem(), x, dateTime, path); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Struct:
		m, ok := x.(map[string]any)
		if !ok {
			return typeError(path, "object", x)
		}
		si := c.info(t)
		for k, xv := range m {
			fi, ok := si.lookup(k)
			if !ok {
				continue // unknown members are ignored, as by the services
			}
			if err := c.decodeJSON(v.Field(fi.index), xv, fi.dateTime, path+"."+k); err != nil {
				return err
			}
		}
	case reflect.String:
		s, ok := x.(string)
		if !ok {
			return typeError(path, "string", x)
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := x.(bool)
		if !ok {
			return typeError(path, "boolean", x)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := x.(json.Number)
		if !ok {
			return typeError(path, "integer", x)
		}
		i, err := strconv.ParseInt(string(n), 10, t.Bits())
		if err != nil {
			return fmt.Errorf("%s: %s is not a %d-bit integer", path, n, t.Bits())
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := x.(json.Number)
		if !ok {
			return typeError(path, "integer", x)
		}
		i, err := strconv.ParseUint(string(n), 10, t.Bits())
		if err != nil {
			return fmt.Errorf("%s: %s is not a %d-bit unsigned integer", path, n, t.Bits())
		}
		v.SetUint(i)
	case reflect.Float32, reflect.Float64:
		f, err := parseFloat(x, t.Bits())
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v.SetFloat(f)
	case reflect.Slice:
		l, ok := x.([]any)
		if !ok {
			return typeError(path, "array", x)
		}
		s := reflect.MakeSlice(t, len(l), len(l))
		for i, xe := range l {
			if err := c.decodeJSON(s.Index(i), xe, dateTime, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Map:
		m, ok := x.(map[string]any)
		if !ok {
			return typeError(path, "object", x)
		}
		mv := reflect.MakeMapWithSize(t, len(m))
		for k, xe := range m {
			ev := reflect.New(t.Elem()).Elem()
			if err := c.decodeJSON(ev, xe, dateTime, path+"["+strconv.Quote(k)+"]"); err != nil {
				return err
			}
			mv.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), ev)
		}
		v.Set(mv)
	case reflect.Interface:
		return c.decodeJSONInterface(v, x, path)
	default:
		return fmt.Errorf("%s: localaws cannot decode into Go type %s", path, t)
	}
	return nil
}

// decodeJSONInterface decodes a document or a union ({"Member": value}).
func (c *codec) decodeJSONInterface(v reflect.Value, x any, path string) error {
	t := v.Type()
	if isDocument(t) {
		if c.newDocument == nil {
			return fmt.Errorf("%s: a document member, but the service has no NewDocument", path)
		}
		doc := reflect.ValueOf(c.newDocument(documentValue(x)))
		if !doc.IsValid() || !doc.Type().Implements(t) {
			return fmt.Errorf("%s: the service's NewDocument does not return a %s", path, t)
		}
		v.Set(doc)
		return nil
	}
	m, ok := x.(map[string]any)
	if !ok {
		return typeError(path, "union object", x)
	}
	var key string
	var value any
	set := 0
	for k, xv := range m {
		if xv != nil {
			key, value = k, xv
			set++
		}
	}
	if set != 1 {
		return fmt.Errorf("%s: a union must set exactly one member, got %d", path, set)
	}
	members := c.unionMembers(t)
	var found *unionMember
	for i := range members {
		if members[i].wire == key {
			found = &members[i]
			break
		}
	}
	for i := 0; found == nil && i < len(members); i++ {
		if strings.EqualFold(members[i].wire, key) || strings.EqualFold(members[i].name, key) {
			found = &members[i]
		}
	}
	if found == nil {
		return fmt.Errorf("%s: union %s has no member %q among the service's Unions", path, t.Name(), key)
	}
	p := reflect.New(found.typ)
	vf, ok := found.typ.FieldByName("Value")
	if !ok {
		return fmt.Errorf("%s: union member type %s has no Value field", path, found.typ)
	}
	if err := c.decodeJSON(p.Elem().FieldByIndex(vf.Index), value, false, path+"."+key); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

// documentValue converts a generic JSON value for a lazy document: json.Number becomes
// int64 or float64.
func documentValue(x any) any {
	switch x := x.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = documentValue(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = documentValue(x[k])
		}
	}
	return x
}

func typeError(path, want string, x any) error {
	got := "null"
	switch x.(type) {
	case string:
		got = "string"
	case json.Number:
		got = "number"
	case bool:
		got = "boolean"
	case []any:
		got = "array"
	case map[string]any:
		got = "object"
	}
	return fmt.Errorf("%s: expected %s, got %s", path, want, got)
}

// parseFloat reads a JSON number, or "NaN", "Infinity", "-Infinity" as the SDK sends them.
func parseFloat(x any, bits int) (float64, error) {
	switch x := x.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), bits)
		if err != nil {
			return 0, fmt.Errorf("%s is not a number", x)
		}
		return f, nil
	case string:
		switch x {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
	}
	return 0, fmt.Errorf("expected a number")
}

// parseTimestamp reads epoch seconds (a number with up to nanosecond decimals) or an
// RFC 3339 string.
func parseTimestamp(x any) (time.Time, error) {
	switch x := x.(type) {
	case json.Number:
		return parseEpoch(string(x))
	case string:
		return parseTimeString(x)
	}
	return time.Time{}, errors.New("expected a timestamp (epoch seconds or RFC 3339)")
}

func parseEpoch(s string) (time.Time, error) {
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e12 {
			return time.Time{}, fmt.Errorf("%s is not epoch seconds", s)
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC(), nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || len(frac) > 9 || (sec > 1e12 || sec < -1e12) {
		return time.Time{}, fmt.Errorf("%s is not epoch seconds", s)
	}
	var nsec int64
	if frac != "" {
		n, err := strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		if err != nil || n < 0 {
			return time.Time{}, fmt.Errorf("%s is not epoch seconds", s)
		}
		nsec = n
		if strings.HasPrefix(whole, "-") {
			nsec = -n
		}
	}
	return time.Unix(sec, nsec).UTC(), nil
}

// parseTimeString reads RFC 3339, HTTP dates and epoch seconds given as text.
func parseTimeString(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := http1Date(s); err == nil {
		return t, nil
	}
	if t, err := parseEpoch(s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a timestamp", s)
}

func http1Date(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC1123, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// formatEpoch writes t as epoch seconds with milliseconds when not whole, as AWS does
// (1700000000.123).
func formatEpoch(t time.Time) string {
	ms := t.UnixMilli()
	s := strconv.FormatInt(ms/1000, 10)
	if r := ms % 1000; r != 0 {
		if r < 0 {
			s = strconv.FormatInt(ms/1000-1, 10)
			r += 1000
		}
		s += strings.TrimRight("."+fmt.Sprintf("%03d", r), "0")
	}
	return s
}

// formatDateTime writes t as RFC 3339 in UTC with milliseconds when not whole.
func formatDateTime(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.999Z07:00")
}

// encodeJSON appends v as JSON. v is a value that is not omitted (see omit).
func (c *codec) encodeJSON(b *bytes.Buffer, v reflect.Value, dateTime bool) error {
	t := v.Type()
	switch {
	case t == timeType:
		tm := v.Interface().(time.Time)
		if dateTime {
			writeJSONString(b, formatDateTime(tm))
		} else {
			b.WriteString(formatEpoch(tm))
		}
		return nil
	case t == bytesType:
		writeJSONString(b, base64.StdEncoding.EncodeToString(v.Bytes()))
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		return c.encodeJSON(b, v.Elem(), dateTime)
	case reflect.Struct:
		return c.encodeJSONStruct(b, v, nil)
	case reflect.String:
		writeJSONString(b, v.String())
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(scalarText(v))
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			writeJSONString(b, scalarText(v)) // JSON has no NaN or Infinity: Smithy sends them as strings
		} else {
			b.WriteString(scalarText(v))
		}
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := c.encodeJSON(b, v.Index(i), dateTime); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k.String())
			b.WriteByte(':')
			if err := c.encodeJSON(b, v.MapIndex(k), dateTime); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		return c.encodeJSONInterface(b, v)
	default:
		return fmt.Errorf("localaws cannot encode Go type %s", t)
	}
	return nil
}

func (c *codec) encodeJSONInterface(b *bytes.Buffer, v reflect.Value) error {
	if m, ok := v.Interface().(interface{ MarshalSmithyDocument() ([]byte, error) }); ok {
		raw, err := m.MarshalSmithyDocument()
		if err != nil {
			return fmt.Errorf("marshalling a document: %w", err)
		}
		b.Write(raw)
		return nil
	}
	if m, val, ok := c.unionValue(v.Type(), v.Elem()); ok {
		b.WriteByte('{')
		writeJSONString(b, m.wire)
		b.WriteByte(':')
		if err := c.encodeJSON(b, val, false); err != nil {
			return err
		}
		b.WriteByte('}')
		return nil
	}
	return c.encodeJSON(b, v.Elem(), false)
}

// omit reports whether a member holding v is left out: nil pointers, slices, maps and
// interfaces, and zero scalars without a pointer.
func omit(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	}
	return isZeroScalar(v)
}

// encodeJSONStruct appends struct v as an object; skip names Go fields left out, extra
// adds members first.
func (c *codec) encodeJSONStruct(b *bytes.Buffer, v reflect.Value, skip map[string]bool, extra ...[2]string) error {
	b.WriteByte('{')
	n := 0
	for _, kv := range extra {
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		writeJSONString(b, kv[0])
		b.WriteByte(':')
		writeJSONString(b, kv[1])
	}
	for _, fi := range c.info(v.Type()).fields {
		fv := v.Field(fi.index)
		if skip[fi.goName] || omit(fv) {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		writeJSONString(b, fi.wire)
		b.WriteByte(':')
		if err := c.encodeJSON(b, fv, fi.dateTime); err != nil {
			return fmt.Errorf("%s.%s: %w", v.Type().Name(), fi.goName, err)
		}
	}
	b.WriteByte('}')
	return nil
}

const hexDigits = "0123456789abcdef"

// writeJSONString writes s as a JSON string, without HTML escaping; invalid UTF-8 becomes
// U+FFFD.
func writeJSONString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c < 0x20:
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xf])
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(`\ufffd`)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
