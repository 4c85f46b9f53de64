package localaws

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// ec2APIVersion is the Version of EC2's requests, and ec2Namespace the xmlns of its answers.
const (
	ec2APIVersion = "2016-11-15"
	ec2Namespace  = "http://ec2.amazonaws.com/doc/" + ec2APIVersion + "/"
)

// formNode is one dotted name of a query form: "Filter.1.Value.2" is
// root.kids["Filter"].kids["1"].kids["Value"].kids["2"].
type formNode struct {
	value string
	set   bool
	kids  map[string]*formNode
}

// parseForm builds the tree of form names other than Action and Version.
func parseForm(form url.Values) (*formNode, error) {
	root := &formNode{}
	for key, vals := range form {
		if key == "Action" || key == "Version" {
			continue
		}
		parts := strings.Split(key, ".")
		if len(parts) > maxDepth {
			return nil, fmt.Errorf("parameter %.64q nests deeper than %d levels", key, maxDepth)
		}
		n := root
		for _, p := range parts {
			if n.kids == nil {
				n.kids = map[string]*formNode{}
			}
			k := n.kids[p]
			if k == nil {
				k = &formNode{}
				n.kids[p] = k
			}
			n = k
		}
		n.value, n.set = vals[0], true
	}
	return root, nil
}

// kid finds child name case-insensitively.
func (n *formNode) kid(name string) *formNode {
	if k := n.kids[name]; k != nil {
		return k
	}
	for k, kn := range n.kids {
		if strings.EqualFold(k, name) {
			return kn
		}
	}
	return nil
}

// indexed returns the children named by positive integers, in numeric order.
func (n *formNode) indexed() []*formNode {
	type item struct {
		i int
		n *formNode
	}
	var items []item
	for k, kn := range n.kids {
		if i, err := strconv.Atoi(k); err == nil && i > 0 {
			items = append(items, item{i, kn})
		}
	}
	sort.Slice(items, func(a, b int) bool { return items[a].i < items[b].i })
	out := make([]*formNode, len(items))
	for i, it := range items {
		out[i] = it.n
	}
	return out
}

// decodeForm fills struct v from a query protocol's form.
func (c *codec) decodeForm(v reflect.Value, form url.Values) error {
	root, err := parseForm(form)
	if err != nil {
		return err
	}
	return c.decodeFormValue(v, root, "")
}

// formField finds the member named name in a form: by wire or Go name, case-insensitively,
// or by the singular that EC2 and some awsQuery lists use ("Filter" for Filters).
func formField(si *structInfo, name string) (*fieldInfo, bool) {
	if fi, ok := si.lookup(name); ok {
		return fi, true
	}
	for _, suffix := range []string{"s", "es", "List", "Set"} {
		if fi, ok := si.lookup(name + suffix); ok && fi.typ.Kind() == reflect.Slice {
			return fi, true
		}
	}
	if strings.HasSuffix(name, "y") {
		if fi, ok := si.lookup(name[:len(name)-1] + "ies"); ok && fi.typ.Kind() == reflect.Slice {
			return fi, true
		}
	}
	return nil, false
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (c *codec) decodeFormValue(v reflect.Value, n *formNode, path string) error {
	t := v.Type()
	if t == timeType || t == bytesType {
		return setStrings(v, []string{n.value}, path)
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := c.decodeFormValue(p.Elem(), n, path); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Struct:
		si := c.info(t)
		for name, kn := range n.kids {
			fi, ok := formField(si, name)
			if !ok {
				continue // unknown parameters are ignored
			}
			if err := c.decodeFormValue(v.Field(fi.index), kn, joinPath(path, name)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		items := n
		if m := n.kid("member"); m != nil {
			items = m
		} else if m := n.kid("item"); m != nil {
			items = m
		}
		elems := items.indexed()
		l := reflect.MakeSlice(t, len(elems), len(elems))
		for i, en := range elems {
			if err := c.decodeFormValue(l.Index(i), en, path+"."+strconv.Itoa(i+1)); err != nil {
				return err
			}
		}
		v.Set(l)
	case reflect.Map:
		entries := n
		if e := n.kid("entry"); e != nil {
			entries = e
		}
		mv := reflect.MakeMap(t)
		for i, en := range entries.indexed() {
			kn, vn := en.kid("key"), en.kid("value")
			if kn == nil {
				kn = en.kid("Name")
			}
			if kn == nil || vn == nil {
				return fmt.Errorf("%s: map entry %d needs a key and a value", path, i+1)
			}
			ev := reflect.New(t.Elem()).Elem()
			if err := c.decodeFormValue(ev, vn, fmt.Sprintf("%s.%d.value", path, i+1)); err != nil {
				return err
			}
			mv.SetMapIndex(reflect.ValueOf(kn.value).Convert(t.Key()), ev)
		}
		v.Set(mv)
	case reflect.Interface:
		members := c.unionMembers(t)
		for name, kn := range n.kids {
			for _, m := range members {
				if !strings.EqualFold(m.wire, name) && !strings.EqualFold(m.name, name) {
					continue
				}
				p := reflect.New(m.typ)
				vf, _ := m.typ.FieldByName("Value")
				if err := c.decodeFormValue(p.Elem().FieldByIndex(vf.Index), kn, joinPath(path, name)); err != nil {
					return err
				}
				v.Set(p)
				return nil
			}
		}
		return fmt.Errorf("%s: no registered member of union %s", path, t.Name())
	default:
		return setStrings(v, []string{n.value}, path)
	}
	return nil
}

// encodeQueryResult writes an awsQuery or ec2Query answer for operation op.
func (c *codec) encodeQueryResult(b *bytes.Buffer, op, requestID string, v reflect.Value) error {
	b.WriteString(xmlHeader)
	ns := c.xmlNamespace
	if c.proto == EC2Query {
		b.WriteString("<" + op + `Response xmlns="`)
		writeXMLText(b, ns)
		b.WriteString(`"><requestId>` + requestID + "</requestId>")
		if v.IsValid() {
			if err := c.encodeXMLFields(b, v, nil); err != nil {
				return err
			}
		}
		b.WriteString("</" + op + "Response>")
		return nil
	}
	b.WriteString("<" + op + `Response xmlns="`)
	writeXMLText(b, ns)
	b.WriteString(`"><` + op + "Result>")
	if v.IsValid() {
		if err := c.encodeXMLFields(b, v, nil); err != nil {
			return err
		}
	}
	b.WriteString("</" + op + "Result><ResponseMetadata><RequestId>" + requestID +
		"</RequestId></ResponseMetadata></" + op + "Response>")
	return nil
}

// encodeXMLFields writes the members of struct v as elements.
func (c *codec) encodeXMLFields(b *bytes.Buffer, v reflect.Value, skip map[string]bool) error {
	for _, fi := range c.info(v.Type()).fields {
		fv := v.Field(fi.index)
		if skip[fi.goName] || omit(fv) {
			continue
		}
		if err := c.encodeXML(b, fi.wire, fv); err != nil {
			return fmt.Errorf("%s.%s: %w", v.Type().Name(), fi.goName, err)
		}
	}
	return nil
}

// encodeXML writes v as element name. A name "outer/item" names a list's elements item
// instead of the protocol's default (member, or item for EC2).
func (c *codec) encodeXML(b *bytes.Buffer, name string, v reflect.Value) error {
	t := v.Type()
	name, item, _ := strings.Cut(name, "/")
	if t.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		return c.encodeXML(b, name, v.Elem())
	}
	b.WriteString("<" + name + ">")
	switch {
	case t == timeType:
		writeXMLText(b, formatDateTime(v.Interface().(time.Time)))
	case t == bytesType:
		b.WriteString(base64.StdEncoding.EncodeToString(v.Bytes()))
	default:
		if err := c.encodeXMLContent(b, v, item); err != nil {
			return err
		}
	}
	b.WriteString("</" + name + ">")
	return nil
}

func (c *codec) encodeXMLContent(b *bytes.Buffer, v reflect.Value, item string) error {
	t := v.Type()
	switch {
	case item != "":
	case c.proto == EC2Query:
		item = "item"
	default:
		item = "member"
	}
	switch t.Kind() {
	case reflect.Struct:
		return c.encodeXMLFields(b, v, nil)
	case reflect.String:
		writeXMLText(b, v.String())
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		b.WriteString(scalarText(v))
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := c.encodeXML(b, item, v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		entry := "entry"
		if c.proto == EC2Query {
			entry = "item"
		}
		for _, k := range keys {
			b.WriteString("<" + entry + "><key>")
			writeXMLText(b, k.String())
			b.WriteString("</key>")
			if err := c.encodeXML(b, "value", v.MapIndex(k)); err != nil {
				return err
			}
			b.WriteString("</" + entry + ">")
		}
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if m, val, ok := c.unionValue(t, v.Elem()); ok {
			return c.encodeXML(b, m.wire, val)
		}
		return c.encodeXMLContent(b, v.Elem(), "")
	default:
		return fmt.Errorf("localaws cannot encode Go type %s as XML", t)
	}
	return nil
}

func writeXMLText(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s)) // writes to a bytes.Buffer: cannot fail
}
