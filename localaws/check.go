package localaws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	smithydocument "github.com/aws/smithy-go/document"
	"github.com/google/go-cmp/cmp"
)

// CheckOperation checks the wire encoding of one operation of svc in both directions,
// through the real SDK client: it fills every member of the operation's input and output
// recursively with distinct values, serves svc's operation whose input type is In with a
// handler that records its input and answers the filled output, calls it with the client
// newClient builds over a local server, and fails t unless the handler received exactly the
// input sent and the client decoded exactly the output answered. A difference names the
// member whose wire name or format is wrong.
//
// The values are deterministic: strings "s1 \"<&>é", "s2 \"<&>é"... (characters every
// encoding must escape); numbers 1, 2... counting modulo 30000 (floats n+0.5); booleans
// true; timestamps 1700000000 s plus n seconds and n milliseconds, in UTC; blobs "b1"...;
// lists of two elements; maps of two entries with keys "k1"...; union members chosen among
// Service.Unions; documents {"s": "sN"} made with Service.NewDocument. A recursive type is
// filled once per path (the inner occurrence stays nil).
//
//	localaws.CheckOperation(t, fake.Service(), glue.NewFromConfig, (*glue.Client).GetTable)
func CheckOperation[C, In, Out, O any](t testing.TB, svc Service, newClient func(aws.Config, ...func(*O)) *C,
	call func(*C, context.Context, *In, ...func(*O)) (*Out, error)) {
	t.Helper()
	f := &filler{unions: svc.Unions, newDocument: svc.NewDocument}
	in, out := new(In), new(Out)
	f.fill(reflect.ValueOf(in).Elem(), 0)
	f.fill(reflect.ValueOf(out).Elem(), 0)
	if len(f.missing) > 0 {
		t.Errorf("localaws: %s: %T and %T have members the service cannot serve: %s",
			svc.SigningName, in, out, strings.Join(unique(f.missing), "; "))
	}
	roundTrip(t, svc, newClient, call, in, out)
}

// roundTrip is CheckOperation with the input and output given: the client sends in, the
// handler must receive it, answer out, and the client must decode out (members the SDK
// sets itself, such as ResultMetadata, and unexported fields are not compared).
func roundTrip[C, In, Out, O any](t testing.TB, svc Service, newClient func(aws.Config, ...func(*O)) *C,
	call func(*C, context.Context, *In, ...func(*O)) (*Out, error), in *In, out *Out) {
	t.Helper()
	var mu sync.Mutex
	var got *In
	client, name, done := serveOne[C, In](t, svc, newClient, func(x any) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		got = x.(*In)
		return out, nil
	})
	if client == nil {
		return
	}
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	decoded, err := call(client, ctx, in)
	if err != nil {
		t.Errorf("localaws: %s %s: %v%s", svc.SigningName, name, err, timestampHint(svc, reflect.TypeFor[Out](), err))
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(in, got, cmpOptions...); diff != "" {
		t.Errorf("localaws: %s %s: the handler received another input than the client sent (-sent +received):\n%s",
			svc.SigningName, name, diff)
	}
	if diff := cmp.Diff(out, decoded, cmpOptions...); diff != "" {
		t.Errorf("localaws: %s %s: the client decoded another output than the handler answered (-answered +decoded):\n%s",
			svc.SigningName, name, diff)
	}
}

// cmpOptions compare SDK values: unexported fields and ResultMetadata are skipped,
// documents compare by their JSON.
var cmpOptions = []cmp.Option{
	cmp.Comparer(func(a, b smithydocument.Marshaler) bool {
		if a == nil || b == nil {
			return a == nil && b == nil
		}
		ja, erra := a.MarshalSmithyDocument()
		jb, errb := b.MarshalSmithyDocument()
		var va, vb any
		return erra == nil && errb == nil && json.Unmarshal(ja, &va) == nil && json.Unmarshal(jb, &vb) == nil &&
			reflect.DeepEqual(va, vb)
	}),
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && (!token.IsExported(sf.Name()) || sf.Name() == "ResultMetadata")
	}, cmp.Ignore()),
}

// fill sets every member of the struct v points to, recursively, to distinct
// deterministic values: strings "s1 \"<&>é", "s2 \"<&>é"... (characters every encoding
// must escape); numbers 1, 2... counting modulo 30000 (floats n+0.5); booleans true;
// timestamps 1700000000 s plus n seconds and n milliseconds, in UTC; blobs "b1"...; lists
// of two elements; maps of two entries with keys "k1"...; union members chosen among
// unions (zero values of member types, as Service.Unions). A recursive type is filled once
// per path (the inner occurrence stays nil). Document members are left nil by fill;
// CheckOperation sets them to {"s": "sN"} with Service.NewDocument. fill panics if v is not
// a pointer to a struct.
func fill(v any, unions ...any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("fill: %T is not a pointer to a struct", v))
	}
	(&filler{unions: unions}).fill(rv.Elem(), 0)
}

// fillEpoch is the first timestamp fill uses.
const fillEpoch = 1700000000

type filler struct {
	n      int
	unions []any
	active map[reflect.Type]bool // struct and union types being filled: recursive types stop there
	// newDocument makes document members ({"s": "sN"}); nil leaves them nil.
	newDocument func(any) any
	missing     []string // members left nil for want of Unions or NewDocument
}

func (f *filler) next() int { f.n++; return f.n }

// enter marks t as being filled, until the returned function runs.
func (f *filler) enter(t reflect.Type) (leave func()) {
	if f.active == nil {
		f.active = map[reflect.Type]bool{}
	}
	f.active[t] = true
	return func() { delete(f.active, t) }
}

// number is the next value, kept within a type of the given bits (positive).
func (f *filler) number(bits int) int64 {
	n := int64(f.next())
	if bits < 16 {
		return n % 100
	}
	return n % 30000
}

const maxFillDepth = 24

func (f *filler) fill(v reflect.Value, depth int) {
	t := v.Type()
	switch {
	case t == timeType:
		n := f.next()
		v.Set(reflect.ValueOf(time.Unix(int64(fillEpoch+n), int64(n%1000)*int64(time.Millisecond)).UTC()))
		return
	case t == bytesType:
		v.SetBytes([]byte(fmt.Sprintf("b%d", f.next())))
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Struct && t.Elem() != timeType && (depth >= maxFillDepth || f.active[t.Elem()]) {
			return
		}
		p := reflect.New(t.Elem())
		f.fill(p.Elem(), depth)
		v.Set(p)
	case reflect.Struct:
		if depth >= maxFillDepth || f.active[t] {
			return
		}
		defer f.enter(t)()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Anonymous || sf.Name == "ResultMetadata" {
				continue
			}
			f.fill(v.Field(i), depth+1)
		}
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d \"<&>é", f.next()))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(f.number(t.Bits()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(f.number(t.Bits())))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(f.number(16)) + 0.5)
	case reflect.Slice:
		if depth >= maxFillDepth || f.active[t.Elem()] {
			return
		}
		l := reflect.MakeSlice(t, 2, 2)
		for i := 0; i < 2; i++ {
			f.fill(l.Index(i), depth+1)
		}
		v.Set(l)
	case reflect.Map:
		if depth >= maxFillDepth {
			return
		}
		m := reflect.MakeMap(t)
		for i := 0; i < 2; i++ {
			ev := reflect.New(t.Elem()).Elem()
			f.fill(ev, depth+1)
			m.SetMapIndex(reflect.ValueOf(fmt.Sprintf("k%d", f.next())).Convert(t.Key()), ev)
		}
		v.Set(m)
	case reflect.Interface:
		if isDocument(t) {
			if f.newDocument == nil {
				f.missing = append(f.missing, "document "+t.String()+" (Service.NewDocument is nil)")
			}
			if f.newDocument != nil {
				if d := reflect.ValueOf(f.newDocument(map[string]any{"s": fmt.Sprintf("s%d", f.next())})); d.IsValid() && d.Type().Implements(t) {
					v.Set(d)
				}
			}
			return
		}
		if depth >= maxFillDepth || f.active[t] {
			return
		}
		defer f.enter(t)()
		var members []reflect.Type
		for _, u := range f.unions {
			ut := reflect.TypeOf(u)
			for ut != nil && ut.Kind() == reflect.Pointer {
				ut = ut.Elem()
			}
			if ut != nil && reflect.PointerTo(ut).Implements(t) {
				members = append(members, ut)
			}
		}
		// Members whose value is the union being filled (And/Or of filters) would stay empty:
		// prefer the others.
		var leaves []reflect.Type
		for _, m := range members {
			if vf, ok := m.FieldByName("Value"); ok && !f.recursive(vf.Type) {
				leaves = append(leaves, m)
			}
		}
		if len(leaves) > 0 {
			members = leaves
		}
		if len(members) == 0 {
			f.missing = append(f.missing, "union "+t.String()+" (no member type in Service.Unions)")
			return
		}
		p := reflect.New(members[f.next()%len(members)])
		if vf := p.Elem().FieldByName("Value"); vf.IsValid() {
			f.fill(vf, depth+1)
		}
		v.Set(p)
	}
}

// recursive reports whether filling t would stop on a type being filled.
func (f *filler) recursive(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	return f.active[t]
}

// CheckError checks that apiErr, returned by svc's operation whose input type is In,
// reaches the SDK client as the same error: errors.As finds an error of apiErr's type whose
// members (code and message included) are equal, and for a *smithy.GenericAPIError the
// same code and message. The input sent is filled as by CheckOperation.
//
//	localaws.CheckError(t, fake.Service(), glue.NewFromConfig, (*glue.Client).GetTable,
//		&types.EntityNotFoundException{Message: aws.String("no such table")})
func CheckError[C, In, Out, O any](t testing.TB, svc Service, newClient func(aws.Config, ...func(*O)) *C,
	call func(*C, context.Context, *In, ...func(*O)) (*Out, error), apiErr smithy.APIError) {
	t.Helper()
	in := new(In)
	(&filler{unions: svc.Unions, newDocument: svc.NewDocument}).fill(reflect.ValueOf(in).Elem(), 0)
	client, name, done := serveOne[C, In](t, svc, newClient, func(any) (any, error) { return nil, apiErr })
	if client == nil {
		return
	}
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, got := call(client, ctx, in)
	if got == nil {
		t.Errorf("localaws: %s %s: the client returned no error, want %v", svc.SigningName, name, apiErr)
		return
	}
	if generic, ok := apiErr.(*smithy.GenericAPIError); ok {
		var decoded smithy.APIError
		if !errors.As(got, &decoded) || decoded.ErrorCode() != generic.Code || decoded.ErrorMessage() != generic.Message {
			t.Errorf("localaws: %s %s: the client returned %v, want code %q message %q",
				svc.SigningName, name, got, generic.Code, generic.Message)
		}
		return
	}
	target := reflect.New(reflect.TypeOf(apiErr))
	if !errors.As(got, target.Interface()) {
		t.Errorf("localaws: %s %s: the client returned %v (%T), not a %T", svc.SigningName, name, got, got, apiErr)
		return
	}
	opts := append([]cmp.Option{cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && sf.Name() == "ErrorCodeOverride"
	}, cmp.Ignore())}, cmpOptions...)
	if diff := cmp.Diff(apiErr, target.Elem().Interface(), opts...); diff != "" {
		t.Errorf("localaws: %s %s: the client decoded another error than the handler returned (-returned +decoded):\n%s",
			svc.SigningName, name, diff)
	}
}

// serveOne serves, on a new server, svc's operation whose input is In with handler, and
// returns a client of it (retrying nothing), the operation's name and the server's Close.
// It fails t and returns a nil client when svc has no such operation.
func serveOne[C, In, O any](t testing.TB, svc Service, newClient func(aws.Config, ...func(*O)) *C,
	handler func(in any) (any, error)) (*C, string, func()) {
	t.Helper()
	var op *Operation
	for i := range svc.Operations {
		if _, ok := svc.Operations[i].newInput().(*In); ok {
			op = &svc.Operations[i]
			break
		}
	}
	if op == nil {
		t.Fatalf("localaws: service %s serves no operation with input %T", svc.SigningName, new(In))
		return nil, "", nil
	}
	one := *op
	one.call = func(_ context.Context, in any) (any, error) { return handler(in) }
	only := svc
	only.Operations = []Operation{one}
	srv, err := Start([]Service{only})
	if err != nil {
		t.Fatal(err)
		return nil, "", nil
	}
	cfg := srv.Config()
	cfg.RetryMaxAttempts = 1
	return newClient(cfg), op.name, srv.Close
}

// timestampHint helps with a client's failure to decode an answer, most often a timestamp
// in the wrong format: it lists the output's timestamp members by the format they were
// sent in, since the SDK's message does not name the member.
func timestampHint(svc Service, out reflect.Type, err error) string {
	msg := err.Error()
	if !strings.Contains(msg, "deserialization failed") {
		return ""
	}
	c := newCodec(svc)
	var epoch, dateTime []string
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == timeType || seen[t] {
			return
		}
		seen[t] = true
		for _, fi := range c.info(t).fields {
			ft := fi.typ
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			switch {
			case ft == timeType && fi.dateTime:
				dateTime = append(dateTime, t.Name()+"."+fi.goName)
			case ft == timeType:
				epoch = append(epoch, t.Name()+"."+fi.goName)
			default:
				walk(fi.typ)
			}
		}
	}
	walk(out)
	if len(epoch)+len(dateTime) == 0 {
		return ""
	}
	return fmt.Sprintf("\nIf a timestamp is the cause, the SDK expects another format (Service.DateTimes) for one of:\n"+
		"  sent as epoch seconds: %s\n  sent as date-time: %s", strings.Join(epoch, ", "), strings.Join(dateTime, ", "))
}

// unique returns ss sorted without duplicates.
func unique(ss []string) []string {
	sort.Strings(ss)
	return slices.Compact(ss)
}
