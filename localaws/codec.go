package localaws

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	smithydocument "github.com/aws/smithy-go/document"
)

// codec maps SDK types to a service's wire names and formats, by reflection.
type codec struct {
	proto       Protocol
	naming      Naming
	wireNames   map[string]string // "GoType.Field" -> wire name
	dateTimes   map[string]bool   // "GoType.Field"
	unionTypes  []reflect.Type    // union member struct types
	errorStatus map[string]int
	newDocument func(any) any
	// xmlNamespace is the xmlns of query answers.
	xmlNamespace string

	structs sync.Map // reflect.Type -> *structInfo
	unions  sync.Map // interface reflect.Type -> []unionMember
}

// defaultCodec encodes errors for requests no Service claims.
var defaultCodec = newCodec(Service{})

func newCodec(svc Service) *codec {
	c := &codec{
		proto:       svc.Protocol,
		naming:      svc.Naming,
		wireNames:   svc.WireNames,
		dateTimes:   map[string]bool{},
		errorStatus: svc.ErrorStatus,
		newDocument: svc.NewDocument,
	}
	switch {
	case svc.XMLNamespace != "":
		c.xmlNamespace = svc.XMLNamespace
	case svc.Protocol == EC2Query:
		c.xmlNamespace = ec2Namespace
	default:
		c.xmlNamespace = "https://" + svc.SigningName + ".amazonaws.com/doc/" + svc.APIVersion + "/"
	}
	for _, k := range svc.DateTimes {
		c.dateTimes[k] = true
	}
	for _, u := range svc.Unions {
		t := reflect.TypeOf(u)
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t != nil && t.Kind() == reflect.Struct {
			c.unionTypes = append(c.unionTypes, t)
		}
	}
	return c
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	bytesType       = reflect.TypeFor[[]byte]()
	docMarshalType  = reflect.TypeFor[smithydocument.Marshaler]()
	docUnmarshalTyp = reflect.TypeFor[smithydocument.Unmarshaler]()
)

// isDocument reports whether t, an interface type, is a service's document.Interface.
func isDocument(t reflect.Type) bool {
	return t.Kind() == reflect.Interface && t.Implements(docMarshalType) && t.Implements(docUnmarshalTyp)
}

// fieldInfo is one serialized member of a struct.
type fieldInfo struct {
	index    int
	goName   string
	wire     string // name on the wire (JSON member, XML element)
	dateTime bool
	typ      reflect.Type
}

type structInfo struct {
	fields []fieldInfo
	exact  map[string]int // wire name -> index in fields
	folded map[string]int // lower-cased wire and Go names -> index in fields
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// defaultWireName is the wire name of Go field name in the codec's protocol: JSON per
// Naming, awsQuery the Go name, ec2Query lower camel case.
func (c *codec) defaultWireName(goName string) string {
	switch c.proto {
	case AWSQuery:
		return goName
	case EC2Query:
		return lowerFirst(goName)
	}
	if c.naming == LowerCamel {
		return lowerFirst(goName)
	}
	return goName
}

// info returns the serialized members of struct type t: exported fields other than
// ResultMetadata.
func (c *codec) info(t reflect.Type) *structInfo {
	if v, ok := c.structs.Load(t); ok {
		return v.(*structInfo)
	}
	si := &structInfo{exact: map[string]int{}, folded: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous || f.Name == "ResultMetadata" {
			continue
		}
		key := t.Name() + "." + f.Name
		dateTime := c.dateTimes[key] || c.dateTimes[t.Name()+".*"] || c.dateTimes["*"]
		fi := fieldInfo{index: i, goName: f.Name, wire: c.defaultWireName(f.Name), dateTime: dateTime, typ: f.Type}
		if w, ok := c.wireNames[key]; ok {
			fi.wire = w
		}
		n := len(si.fields)
		si.fields = append(si.fields, fi)
		si.exact[fi.wire] = n
		if _, ok := si.folded[strings.ToLower(fi.wire)]; !ok {
			si.folded[strings.ToLower(fi.wire)] = n
		}
	}
	// Go names after wire names, so that a wire name wins a case-insensitive tie.
	for n, fi := range si.fields {
		if _, ok := si.folded[strings.ToLower(fi.goName)]; !ok {
			si.folded[strings.ToLower(fi.goName)] = n
		}
	}
	v, _ := c.structs.LoadOrStore(t, si)
	return v.(*structInfo)
}

// lookup finds the member named name on the wire: exactly, then case-insensitively.
func (si *structInfo) lookup(name string) (*fieldInfo, bool) {
	if n, ok := si.exact[name]; ok {
		return &si.fields[n], true
	}
	if n, ok := si.folded[strings.ToLower(name)]; ok {
		return &si.fields[n], true
	}
	return nil, false
}

// unionMember is one member type of a union interface.
type unionMember struct {
	typ  reflect.Type // the struct type, such as types.ResourceMemberTable
	name string       // the member name, such as "Table"
	wire string
}

// unionMembers returns the registered member types of union interface t.
func (c *codec) unionMembers(t reflect.Type) []unionMember {
	if v, ok := c.unions.Load(t); ok {
		return v.([]unionMember)
	}
	var ms []unionMember
	for _, ut := range c.unionTypes {
		if !reflect.PointerTo(ut).Implements(t) {
			continue
		}
		ms = append(ms, c.unionMember(t, ut))
	}
	v, _ := c.unions.LoadOrStore(t, ms)
	return v.([]unionMember)
}

// unionMember describes member type ut of union t: its name is what follows "Member" in
// the type name, and its wire name follows Naming unless WireNames has "Union.Member".
func (c *codec) unionMember(t, ut reflect.Type) unionMember {
	name := ut.Name()
	if i := strings.LastIndex(name, "Member"); i >= 0 {
		name = name[i+len("Member"):]
	}
	m := unionMember{typ: ut, name: name, wire: c.defaultWireName(name)}
	if w, ok := c.wireNames[t.Name()+"."+name]; ok {
		m.wire = w
	}
	return m
}

// unionValue returns the member and its Value of v, a union member pointer such as
// &types.ResourceMemberTable{Value: ...}, or false when v is not one.
func (c *codec) unionValue(iface reflect.Type, v reflect.Value) (unionMember, reflect.Value, bool) {
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return unionMember{}, reflect.Value{}, false
	}
	st := v.Elem().Type()
	f, ok := st.FieldByName("Value")
	if !ok || !strings.Contains(st.Name(), "Member") {
		return unionMember{}, reflect.Value{}, false
	}
	return c.unionMember(iface, st), v.Elem().FieldByIndex(f.Index), true
}

// isZeroScalar reports whether v is a scalar at its zero value, which encoders omit as the
// SDK's serializers do for members without a pointer.
func isZeroScalar(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	}
	return false
}

// scalarText is the wire text of a bool or number: floats in their shortest form, and NaN,
// Infinity and -Infinity by those names.
func scalarText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	}
	switch f := v.Float(); {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	default:
		return strconv.FormatFloat(f, 'g', -1, v.Type().Bits())
	}
}
