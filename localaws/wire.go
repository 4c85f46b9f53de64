package localaws

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// decodeRequest fills in (a *Input) from the request, per the service's protocol.
func (c *codec) decodeRequest(req *wireRequest, in any) *wireError {
	v := reflect.ValueOf(in).Elem()
	var err error
	switch c.proto {
	case AWSJSON10, AWSJSON11, RESTJSON1:
		if len(bytes.TrimSpace(req.body)) > 0 {
			var x any
			if x, err = parseJSON(req.body); err == nil {
				err = c.decodeJSON(v, x, false, v.Type().Name())
			}
		}
		if err == nil && c.proto == RESTJSON1 {
			err = c.bindHTTP(req, v)
		}
		if err != nil {
			return &wireError{status: http.StatusBadRequest, code: "SerializationException", message: err.Error()}
		}
	default:
		if err = c.decodeForm(v, req.form); err != nil {
			code := "ValidationError"
			if c.proto == EC2Query {
				code = "InvalidParameterValue"
			}
			return &wireError{status: http.StatusBadRequest, code: code, message: err.Error()}
		}
	}
	return nil
}

// standardHeaders are never bound to input members.
var standardHeaders = map[string]bool{
	"Authorization": true, "Content-Type": true, "Content-Length": true, "Host": true,
	"User-Agent": true, "X-Amz-Date": true, "X-Amz-Security-Token": true, "X-Amz-Content-Sha256": true,
	"Amz-Sdk-Invocation-Id": true, "Amz-Sdk-Request": true, "Accept-Encoding": true,
	"X-Amzn-Trace-Id": true, "Accept": true, "Connection": true,
}

// bindHTTP stores a restJson1 request's path labels, query parameters and the headers that
// WireNames binds into the input struct v.
func (c *codec) bindHTTP(req *wireRequest, v reflect.Value) error {
	si := c.info(v.Type())
	for name, val := range req.labels {
		fi, ok := si.lookup(name)
		if !ok {
			return fmt.Errorf("path label {%s} of %s matches no member of %s", name, req.op.path, v.Type().Name())
		}
		if err := setStrings(v.Field(fi.index), []string{val}, name); err != nil {
			return err
		}
	}
	for name, vals := range req.r.URL.Query() {
		fi, ok := si.lookup(name)
		if !ok {
			continue // parameters no member binds are ignored, as by the services
		}
		if err := setStrings(v.Field(fi.index), vals, name); err != nil {
			return err
		}
	}
	for name, vals := range req.r.Header {
		if standardHeaders[name] {
			continue
		}
		for _, fi := range si.fields {
			if _, explicit := c.wireNames[v.Type().Name()+"."+fi.goName]; !explicit || !strings.EqualFold(fi.wire, name) {
				continue
			}
			var parts []string
			for _, hv := range vals {
				if fi.typ.Kind() == reflect.Slice && fi.typ != bytesType {
					for _, p := range strings.Split(hv, ",") {
						parts = append(parts, strings.TrimSpace(p))
					}
				} else {
					parts = append(parts, hv)
				}
			}
			if err := setStrings(v.Field(fi.index), parts, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// setStrings stores text values into v: the first for a scalar, all of them for a list.
func setStrings(v reflect.Value, vals []string, path string) error {
	if len(vals) == 0 {
		return nil
	}
	t := v.Type()
	switch {
	case t == timeType:
		tm, err := parseTimeString(vals[0])
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v.Set(reflect.ValueOf(tm))
		return nil
	case t == bytesType:
		b, err := base64.StdEncoding.DecodeString(vals[0])
		if err != nil {
			return fmt.Errorf("%s: invalid base64: %w", path, err)
		}
		v.SetBytes(b)
		return nil
	}
	s := vals[0]
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := setStrings(p.Elem(), vals, path); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Slice:
		l := reflect.MakeSlice(t, len(vals), len(vals))
		for i, s := range vals {
			if err := setStrings(l.Index(i), []string{s}, path); err != nil {
				return err
			}
		}
		v.Set(l)
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%s: %q is not a boolean", path, s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(s, 10, t.Bits())
		if err != nil {
			return fmt.Errorf("%s: %q is not a %d-bit integer", path, s, t.Bits())
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		i, err := strconv.ParseUint(s, 10, t.Bits())
		if err != nil {
			return fmt.Errorf("%s: %q is not a %d-bit unsigned integer", path, s, t.Bits())
		}
		v.SetUint(i)
	case reflect.Float32, reflect.Float64:
		var x any = s
		if s != "NaN" && s != "Infinity" && s != "-Infinity" {
			f, err := strconv.ParseFloat(s, t.Bits())
			if err != nil {
				return fmt.Errorf("%s: %q is not a number", path, s)
			}
			x = f
		}
		if f, ok := x.(float64); ok {
			v.SetFloat(f)
			return nil
		}
		f, err := parseFloat(x, t.Bits())
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v.SetFloat(f)
	default:
		return fmt.Errorf("%s: cannot bind text to Go type %s", path, t)
	}
	return nil
}

// encodeResult encodes a handler's output with status 200.
func (c *codec) encodeResult(req *wireRequest, requestID string, out any) (*response, *wireError) {
	v := reflect.ValueOf(out)
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v = reflect.Value{}
			break
		}
		v = v.Elem()
	}
	if v.IsValid() && v.Kind() != reflect.Struct {
		return nil, &wireError{status: http.StatusInternalServerError, code: "InternalFailure",
			message: fmt.Sprintf("localaws: %s returned a %T, not an output struct", req.op.name, out)}
	}
	var b bytes.Buffer
	resp := &response{status: http.StatusOK, requestID: requestID}
	var err error
	switch c.proto {
	case AWSJSON10, AWSJSON11, RESTJSON1:
		resp.contentType = jsonContentType(c.proto)
		if !v.IsValid() {
			b.WriteString("{}")
		} else {
			err = c.encodeJSONStruct(&b, v, nil)
		}
	default:
		resp.contentType = "text/xml;charset=UTF-8"
		err = c.encodeQueryResult(&b, req.op.name, requestID, v)
	}
	if err != nil {
		return nil, &wireError{status: http.StatusInternalServerError, code: "InternalFailure",
			message: fmt.Sprintf("localaws: encoding %s output: %v", req.op.name, err)}
	}
	resp.body = b.Bytes()
	return resp, nil
}

// errorMembers returns the modeled error struct of e, if any: a struct of a service's
// types package, not a smithy-go generic error.
func errorMembers(e *wireError) (reflect.Value, bool) {
	if e.members == nil {
		return reflect.Value{}, false
	}
	v := reflect.ValueOf(e.members)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	v = v.Elem()
	if strings.HasPrefix(v.Type().PkgPath(), "github.com/aws/smithy-go") {
		return reflect.Value{}, false
	}
	return v, true
}

// errorSkip lists the fields of modeled errors that are not wire members.
var errorSkip = map[string]bool{"Message": true, "ErrorCodeOverride": true}

// encodeError encodes e for protocol p.
func (c *codec) encodeError(p Protocol, requestID string, e *wireError) *response {
	resp := &response{status: e.status, requestID: requestID}
	var b bytes.Buffer
	members, hasMembers := errorMembers(e)
	switch p {
	case AWSJSON10, AWSJSON11, RESTJSON1:
		resp.contentType, resp.errorType = jsonContentType(p), e.code
		extra := [][2]string{{"message", e.message}, {"Message", e.message}}
		if p != RESTJSON1 {
			extra = append([][2]string{{"__type", e.code}}, extra...)
		}
		if !hasMembers || c.encodeJSONStruct(&b, members, errorSkip, extra...) != nil {
			b.Reset()
			_ = c.encodeJSONStruct(&b, reflect.ValueOf(struct{}{}), nil, extra...) // strings only: cannot fail
		}
	default: // awsQuery and ec2Query: the same <Error> in different envelopes
		resp.contentType = "text/xml;charset=UTF-8"
		start := "<Response><Errors><Error>"
		end := "</Error></Errors><RequestID>" + requestID + "</RequestID></Response>"
		if p != EC2Query {
			typ := "Receiver"
			if e.sender || e.status < 500 {
				typ = "Sender"
			}
			start = "<ErrorResponse><Error><Type>" + typ + "</Type>"
			end = "</Error><RequestId>" + requestID + "</RequestId></ErrorResponse>"
		}
		b.WriteString(xmlHeader + start + "<Code>")
		writeXMLText(&b, e.code)
		b.WriteString("</Code><Message>")
		writeXMLText(&b, e.message)
		b.WriteString("</Message>")
		c.writeErrorMembers(&b, members, hasMembers)
		b.WriteString(end)
	}
	resp.body = b.Bytes()
	return resp
}

func (c *codec) writeErrorMembers(b *bytes.Buffer, v reflect.Value, ok bool) {
	if !ok {
		return
	}
	var mb bytes.Buffer
	if c.encodeXMLFields(&mb, v, errorSkip) == nil {
		b.Write(mb.Bytes())
	}
}
