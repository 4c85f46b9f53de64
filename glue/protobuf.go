package glue

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// ptok is a Protobuf token: an identifier (possibly dotted), a number, a string literal or one
// punctuation character.
type ptok struct {
	kind      byte // 'i' identifier, 'n' number, 's' string, 'p' punctuation, 0 end of input
	text      string
	line, col int
}

// String describes the token for error messages.
func (t ptok) String() string {
	switch t.kind {
	case 0:
		return "end of input"
	case 's':
		return strconv.Quote(t.text)
	}
	return strconv.Quote(t.text)
}

func protoErr(line, col int, path, format string, args ...any) error {
	return &SchemaError{format: types.DataFormatProtobuf, Line: line, Column: col, Path: path, Msg: fmt.Sprintf(format, args...)}
}

// tokenizeProto splits a .proto source into tokens, dropping whitespace and comments.
func tokenizeProto(src string) ([]ptok, error) {
	var toks []ptok
	line, col := 1, 1
	i := 0
	adv := func(n int) {
		for k := 0; k < n && i < len(src); k++ {
			if src[i] == '\n' {
				line++
				col = 1
			} else {
				col++
			}
			i++
		}
	}
	isIdent := func(c byte, first bool) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9'
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v':
			adv(1)
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				adv(1)
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			l, cl := line, col
			adv(2)
			for i < len(src) && !(src[i] == '*' && i+1 < len(src) && src[i+1] == '/') {
				adv(1)
			}
			if i >= len(src) {
				return nil, protoErr(l, cl, "", "unterminated /* comment")
			}
			adv(2)
		case isIdent(c, true) || c == '.' && i+1 < len(src) && isIdent(src[i+1], true):
			// A dotted name may be split by whitespace and comments after its dots
			// ("foo.\n  Bar"); the parts are joined into one token. A space before a dot
			// ("foo .Bar") is joined by the parser where a type name is expected.
			l, cl := line, col
			var b strings.Builder
			for {
				start := i
				for i < len(src) && (isIdent(src[i], false) || src[i] == '.' && i+1 < len(src) && isIdent(src[i+1], true)) {
					adv(1)
				}
				b.WriteString(src[start:i])
				if i > 0 && src[i-1] != '.' && i < len(src) && src[i] == '.' {
					k := skipProtoSpace(src, i+1)
					if k < len(src) && isIdent(src[k], true) {
						b.WriteByte('.')
						adv(k - i)
						continue
					}
				}
				break
			}
			toks = append(toks, ptok{'i', b.String(), l, cl})
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			l, cl, start := line, col, i
			for i < len(src) && (isIdent(src[i], false) || src[i] == '.' ||
				(src[i] == '+' || src[i] == '-') && (src[i-1] == 'e' || src[i-1] == 'E') && !strings.HasPrefix(src[start:], "0x")) {
				adv(1)
			}
			toks = append(toks, ptok{'n', src[start:i], l, cl})
		case c == '"' || c == '\'':
			l, cl := line, col
			adv(1)
			var b strings.Builder
			for {
				if i >= len(src) || src[i] == '\n' {
					return nil, protoErr(l, cl, "", "unterminated string literal")
				}
				if src[i] == c {
					adv(1)
					break
				}
				if src[i] == '\\' && i+1 < len(src) {
					b.WriteByte(src[i+1])
					adv(2)
					continue
				}
				b.WriteByte(src[i])
				adv(1)
			}
			toks = append(toks, ptok{'s', b.String(), l, cl})
		case strings.IndexByte("{}[]()<>;,=:-+/.", c) >= 0:
			toks = append(toks, ptok{'p', string(c), line, col})
			adv(1)
		default:
			return nil, protoErr(line, col, "", "unexpected character %q", c)
		}
	}
	toks = append(toks, ptok{kind: 0, line: line, col: col})
	return toks, nil
}

// skipProtoSpace returns the offset of the first byte at or after i that is not whitespace or
// part of a comment.
func skipProtoSpace(src string, i int) int {
	for i < len(src) {
		switch {
		case src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n' || src[i] == '\f' || src[i] == '\v':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return i
			}
			i += end + 4
		default:
			return i
		}
	}
	return i
}

// protoMessage and protoEnum are the parsed declarations.
type protoMessage struct {
	full    string
	fields  []*protoField
	line    int
	col     int
	names   map[string]*protoField // duplicate checks in constant time
	numbers map[int]*protoField
}

type protoField struct {
	name      string
	label     string // "", "optional", "required", "repeated"
	typ       string // as written; map value type for maps
	keyType   string // maps only
	number    int
	oneof     string
	line, col int
	resolved  string // full name of a message or enum type, after resolution
}

type protoEnum struct {
	full   string
	values []string
}

type protoFile struct {
	syntax   string // proto2, proto3, or editions
	pkg      string
	imports  []string
	messages map[string]*protoMessage
	enums    map[string]*protoEnum
	order    []string        // top-level messages in order
	msgOrder []string        // every message, nested ones and imported ones included, in order
	packages map[string]bool // the package and its prefixes ("a", "a.b" for package a.b)
}

type protoParser struct {
	toks []ptok
	pos  int
	file *protoFile
}

func (p *protoParser) peek() ptok { return p.toks[p.pos] }

func (p *protoParser) next() ptok {
	t := p.toks[p.pos]
	if t.kind != 0 {
		p.pos++
	}
	return t
}

func (p *protoParser) errTok(t ptok, path, format string, args ...any) error {
	return protoErr(t.line, t.col, path, format, args...)
}

func (p *protoParser) expect(text, path string) (ptok, error) {
	t := p.next()
	if t.text != text || t.kind == 's' || t.kind == 0 {
		return t, p.errTok(t, path, "expected %q, found %s", text, t)
	}
	return t, nil
}

func (p *protoParser) ident(what, path string) (ptok, error) {
	t := p.next()
	if t.kind != 'i' {
		return t, p.errTok(t, path, "expected %s, found %s", what, t)
	}
	return t, nil
}

// skipStatement skips to the ';' that ends the current statement, over nested brackets.
func (p *protoParser) skipStatement(path string) error {
	depth := 0
	for {
		t := p.next()
		switch {
		case t.kind == 0:
			return p.errTok(t, path, "unexpected end of input, expected \";\"")
		case t.kind == 'p' && (t.text == "{" || t.text == "[" || t.text == "("):
			depth++
		case t.kind == 'p' && (t.text == "}" || t.text == "]" || t.text == ")"):
			depth--
			if depth < 0 {
				return p.errTok(t, path, "unbalanced %q", t.text)
			}
		case t.kind == 'p' && t.text == ";" && depth == 0:
			return nil
		}
	}
}

// skipBlock skips a balanced { ... } block starting at the current "{".
func (p *protoParser) skipBlock(path string) error {
	if _, err := p.expect("{", path); err != nil {
		return err
	}
	depth := 1
	for depth > 0 {
		t := p.next()
		switch {
		case t.kind == 0:
			return p.errTok(t, path, "unexpected end of input, expected \"}\"")
		case t.kind == 'p' && t.text == "{":
			depth++
		case t.kind == 'p' && t.text == "}":
			depth--
		}
	}
	return nil
}

// parseProtoFile parses a .proto file and resolves its field types; types not found are taken
// to come from its imports (it has no access to them).
func parseProtoFile(src string) (*protoFile, error) {
	f, err := parseProtoSyntax(src)
	if err != nil {
		return nil, err
	}
	return f, f.resolve(true)
}

// parseProtoSyntax parses proto2, proto3 and editions files: syntax/edition, package, import,
// option, message (fields, labels, map, oneof, nested message and enum, group, reserved,
// extensions, option, extend), enum, service and extend (skipped).
func parseProtoSyntax(src string) (*protoFile, error) {
	toks, err := tokenizeProto(src)
	if err != nil {
		return nil, err
	}
	p := &protoParser{toks: toks, file: &protoFile{syntax: "proto2", messages: map[string]*protoMessage{}, enums: map[string]*protoEnum{}, packages: map[string]bool{}}}
	first := true
	for p.peek().kind != 0 {
		t := p.next()
		if t.kind != 'i' && !(t.kind == 'p' && t.text == ";") {
			return nil, p.errTok(t, "", "expected a declaration, found %s", t)
		}
		switch t.text {
		case ";":
		case "syntax", "edition":
			if !first {
				return nil, p.errTok(t, "", "%s must be the first statement", t.text)
			}
			if _, err := p.expect("=", t.text); err != nil {
				return nil, err
			}
			v := p.next()
			if v.kind != 's' {
				return nil, p.errTok(v, t.text, "expected a string, found %s", v)
			}
			if t.text == "syntax" && v.text != "proto2" && v.text != "proto3" {
				return nil, p.errTok(v, "syntax", "unknown syntax %q (want proto2 or proto3)", v.text)
			}
			if t.text == "edition" && v.text != "2023" {
				return nil, p.errTok(v, "edition", "edition %q is not supported (want 2023, the edition protoc and protocompile accept)", v.text)
			}
			p.file.syntax = v.text
			if t.text == "edition" {
				p.file.syntax = "editions"
			}
			if _, err := p.expect(";", t.text); err != nil {
				return nil, err
			}
		case "package":
			n, err := p.ident("a package name", "package")
			if err != nil {
				return nil, err
			}
			p.file.pkg = n.text
			for i, c := range n.text {
				if c == '.' {
					p.file.packages[n.text[:i]] = true
				}
			}
			p.file.packages[n.text] = true
			if _, err := p.expect(";", "package"); err != nil {
				return nil, err
			}
		case "import":
			v := p.next()
			if v.kind == 'i' && (v.text == "public" || v.text == "weak") {
				v = p.next()
			}
			if v.kind != 's' {
				return nil, p.errTok(v, "import", "expected a file name string, found %s", v)
			}
			p.file.imports = append(p.file.imports, v.text)
			if _, err := p.expect(";", "import"); err != nil {
				return nil, err
			}
		case "option":
			if err := p.checkOptionName(protoFileOptions, "file", "option"); err != nil {
				return nil, err
			}
			if err := p.skipStatement("option"); err != nil {
				return nil, err
			}
		case "message":
			m, err := p.message(p.file.pkg, 0)
			if err != nil {
				return nil, err
			}
			p.file.order = append(p.file.order, m.full)
		case "enum":
			if err := p.enum(p.file.pkg); err != nil {
				return nil, err
			}
		case "service", "extend":
			if _, err := p.ident("a name", t.text); err != nil {
				return nil, err
			}
			if err := p.skipBlock(t.text); err != nil {
				return nil, err
			}
		default:
			return nil, p.errTok(t, "", "unexpected %s at top level", t)
		}
		first = false
	}
	return p.file, nil
}

func qualify(scope, name string) string {
	if scope == "" {
		return name
	}
	return scope + "." + name
}

const maxProtoNesting = 64

func (p *protoParser) message(scope string, depth int) (*protoMessage, error) {
	n, err := p.ident("a message name", "message")
	if err != nil {
		return nil, err
	}
	if strings.Contains(n.text, ".") {
		return nil, p.errTok(n, "message", "invalid message name %q", n.text)
	}
	if depth > maxProtoNesting {
		return nil, p.errTok(n, "message "+n.text, "messages nest deeper than %d levels", maxProtoNesting)
	}
	m := &protoMessage{full: qualify(scope, n.text), line: n.line, col: n.col}
	if p.file.messages[m.full] != nil || p.file.enums[m.full] != nil {
		return nil, p.errTok(n, "message "+m.full, "%s is already defined", m.full)
	}
	p.file.messages[m.full] = m
	p.file.msgOrder = append(p.file.msgOrder, m.full)
	if _, err := p.expect("{", "message "+m.full); err != nil {
		return nil, err
	}
	return m, p.messageBody(m, "", depth)
}

var protoScalars = map[string]bool{
	"double": true, "float": true, "int32": true, "int64": true, "uint32": true, "uint64": true,
	"sint32": true, "sint64": true, "fixed32": true, "fixed64": true, "sfixed32": true, "sfixed64": true,
	"bool": true, "string": true, "bytes": true,
}

// messageBody parses up to the closing "}". oneof is the enclosing oneof's name, if any.
func (p *protoParser) messageBody(m *protoMessage, oneof string, depth int) error {
	path := "message " + m.full
	if oneof != "" {
		path += " oneof " + oneof
	}
	for {
		t := p.peek()
		switch {
		case t.kind == 0:
			return p.errTok(t, path, "unexpected end of input, expected \"}\"")
		case t.kind == 'p' && t.text == "}":
			p.next()
			return nil
		case t.kind == 'p' && t.text == ";":
			p.next()
			continue
		case t.kind != 'i':
			return p.errTok(t, path, "expected a field or declaration, found %s", t)
		}
		switch t.text {
		case "message":
			if oneof != "" {
				return p.errTok(t, path, "a message may not be declared in a oneof")
			}
			p.next()
			if _, err := p.message(m.full, depth+1); err != nil {
				return err
			}
			continue
		case "enum":
			if oneof != "" {
				return p.errTok(t, path, "an enum may not be declared in a oneof")
			}
			p.next()
			if err := p.enum(m.full); err != nil {
				return err
			}
			continue
		case "option", "reserved", "extensions":
			p.next()
			if t.text == "option" {
				opts, kind := protoMessageOptions, "message"
				if oneof != "" {
					opts, kind = protoOneofOptions, "oneof"
				}
				if err := p.checkOptionName(opts, kind, path); err != nil {
					return err
				}
			}
			if err := p.skipStatement(path); err != nil {
				return err
			}
			continue
		case "extend":
			p.next()
			if _, err := p.ident("a name", path); err != nil {
				return err
			}
			if err := p.skipBlock(path); err != nil {
				return err
			}
			continue
		case "oneof":
			if oneof != "" {
				return p.errTok(t, path, "a oneof may not be nested in a oneof")
			}
			p.next()
			n, err := p.ident("a oneof name", path)
			if err != nil {
				return err
			}
			if _, err := p.expect("{", path); err != nil {
				return err
			}
			if err := p.messageBody(m, n.text, depth); err != nil {
				return err
			}
			continue
		}
		if err := p.field(m, oneof, path, depth); err != nil {
			return err
		}
	}
}

func (p *protoParser) field(m *protoMessage, oneof, path string, depth int) error {
	f := &protoField{oneof: oneof}
	t := p.next()
	f.line, f.col = t.line, t.col
	if t.text == "optional" || t.text == "required" || t.text == "repeated" {
		if oneof != "" {
			return p.errTok(t, path, "oneof fields may not have a label")
		}
		if t.text == "required" && p.file.syntax == "proto3" {
			return p.errTok(t, path, "required fields are not allowed in proto3")
		}
		if t.text != "repeated" && p.file.syntax == "editions" {
			// Editions express presence with features.field_presence instead of labels.
			return p.errTok(t, path, "label %q is not allowed in editions (use features.field_presence)", t.text)
		}
		f.label = t.text
		t = p.next()
	}
	if t.kind != 'i' {
		return p.errTok(t, path, "expected a field type, found %s", t)
	}
	for nt := p.peek(); nt.kind == 'i' && strings.HasPrefix(nt.text, ".") && !strings.HasSuffix(t.text, "."); nt = p.peek() {
		t.text += p.next().text // "foo .Bar": one type name split before a dot
	}
	switch {
	case t.text == "map" && p.peek().text == "<":
		if f.label != "" {
			return p.errTok(t, path, "map fields may not have a label")
		}
		p.next()
		k, err := p.ident("a map key type", path)
		if err != nil {
			return err
		}
		switch k.text {
		case "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string":
		default:
			return p.errTok(k, path, "map key type %s is not an integral or string type", k.text)
		}
		if _, err := p.expect(",", path); err != nil {
			return err
		}
		v, err := p.ident("a map value type", path)
		if err != nil {
			return err
		}
		if _, err := p.expect(">", path); err != nil {
			return err
		}
		f.keyType, f.typ = k.text, v.text
	case t.text == "group" && p.peek().kind == 'i' && p.file.syntax != "proto2":
		return p.errTok(t, path, "groups are not allowed in %s", p.file.syntax)
	case t.text == "group" && p.peek().kind == 'i':
		n, err := p.ident("a group name", path)
		if err != nil {
			return err
		}
		f.name = strings.ToLower(n.text)
		f.typ = n.text
		num, err := p.fieldNumber(path)
		if err != nil {
			return err
		}
		f.number = num
		if p.peek().text == "[" {
			if err := p.skipOptions(path, protoFieldOptions, "field"); err != nil {
				return err
			}
		}
		g := &protoMessage{full: qualify(m.full, n.text), line: n.line, col: n.col}
		if p.file.messages[g.full] != nil || p.file.enums[g.full] != nil {
			return p.errTok(n, path, "%s is already defined", g.full)
		}
		p.file.messages[g.full] = g
		p.file.msgOrder = append(p.file.msgOrder, g.full)
		if _, err := p.expect("{", path); err != nil {
			return err
		}
		if err := p.messageBody(g, "", depth+1); err != nil {
			return err
		}
		return m.add(f, path)
	default:
		f.typ = t.text
	}
	if f.label == "" && oneof == "" && f.keyType == "" && p.file.syntax == "proto2" {
		return p.errTok(t, path, "proto2 fields need a label (optional, required or repeated)")
	}
	n, err := p.ident("a field name", path)
	if err != nil {
		return err
	}
	if strings.Contains(n.text, ".") {
		return p.errTok(n, path, "invalid field name %q", n.text)
	}
	f.name = n.text
	if f.number, err = p.fieldNumber(path + " field " + f.name); err != nil {
		return err
	}
	if p.peek().text == "[" {
		if err := p.skipOptions(path, protoFieldOptions, "field"); err != nil {
			return err
		}
	}
	if _, err := p.expect(";", path+" field "+f.name); err != nil {
		return err
	}
	return m.add(f, path)
}

func (m *protoMessage) add(f *protoField, path string) error {
	if m.names == nil {
		m.names, m.numbers = map[string]*protoField{}, map[int]*protoField{}
	}
	if m.names[f.name] != nil {
		return protoErr(f.line, f.col, path, "duplicate field name %q", f.name)
	}
	if g := m.numbers[f.number]; g != nil {
		return protoErr(f.line, f.col, path, "field %s reuses number %d of field %s", f.name, f.number, g.name)
	}
	m.names[f.name], m.numbers[f.number] = f, f
	m.fields = append(m.fields, f)
	return nil
}

func (p *protoParser) fieldNumber(path string) (int, error) {
	if _, err := p.expect("=", path); err != nil {
		return 0, err
	}
	t := p.next()
	if t.kind != 'n' {
		return 0, p.errTok(t, path, "expected a field number, found %s", t)
	}
	n, err := strconv.ParseInt(t.text, 0, 64)
	switch {
	case err != nil || n < 1 || n > 536870911:
		return 0, p.errTok(t, path, "field number %s is not in 1..536870911", t.text)
	case n >= 19000 && n <= 19999:
		return 0, p.errTok(t, path, "field number %d is reserved for the Protobuf implementation", n)
	}
	return int(n), nil
}

// skipOptions skips a [ ... ] option list, checking each option's name against known (the
// fields of the descriptor.proto options message of the element: FieldOptions,
// EnumValueOptions). A parenthesized name is a custom option.
func (p *protoParser) skipOptions(path string, known map[string]bool, kind string) error {
	open := p.next()
	depth := 1
	if err := p.checkOptionName(known, kind, path); err != nil {
		return err
	}
	for depth > 0 {
		t := p.next()
		switch {
		case t.kind == 0:
			return p.errTok(open, path, "unterminated field options")
		case t.kind == 'p' && (t.text == "[" || t.text == "{"):
			depth++
		case t.kind == 'p' && (t.text == "]" || t.text == "}"):
			depth--
		case t.kind == 'p' && t.text == "," && depth == 1:
			if err := p.checkOptionName(known, kind, path); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkOptionName checks the option name at the current token without consuming it: a
// built-in option must be a field of the element's options message in descriptor.proto
// (protoc and protocompile reject others, e.g. php_generic_services since its removal);
// "default" is not allowed in proto3 (the Protobuf language guide: proto3 has no custom
// defaults). Option values are not interpreted.
func (p *protoParser) checkOptionName(known map[string]bool, kind, path string) error {
	t := p.peek()
	if t.kind != 'i' {
		return nil // "(custom).x" or a syntax error reported by the caller
	}
	name, _, _ := strings.Cut(t.text, ".")
	if !known[name] {
		return p.errTok(t, path, "unknown %s option %q (not a field of google.protobuf.%sOptions)", kind, name, protoOptionsMessage[kind])
	}
	if name == "default" && p.file.syntax == "proto3" {
		return p.errTok(t, path, "explicit default values are not allowed in proto3")
	}
	return nil
}

// The options of descriptor.proto (the version protocompile v0.14 builds in), per element.
var (
	protoFileOptions = protoSet("java_package java_outer_classname java_multiple_files java_generate_equals_and_hash " +
		"java_string_check_utf8 optimize_for go_package cc_generic_services java_generic_services py_generic_services " +
		"deprecated cc_enable_arenas objc_class_prefix csharp_namespace swift_prefix php_class_prefix php_namespace " +
		"php_metadata_namespace ruby_package features uninterpreted_option")
	protoMessageOptions = protoSet("message_set_wire_format no_standard_descriptor_accessor deprecated map_entry " +
		"deprecated_legacy_json_field_conflicts features uninterpreted_option")
	protoFieldOptions = protoSet("ctype packed jstype lazy unverified_lazy deprecated weak debug_redact retention targets " +
		"edition_defaults features feature_support uninterpreted_option default json_name")
	protoOneofOptions     = protoSet("features uninterpreted_option")
	protoEnumOptions      = protoSet("allow_alias deprecated deprecated_legacy_json_field_conflicts features uninterpreted_option")
	protoEnumValueOptions = protoSet("deprecated features debug_redact feature_support uninterpreted_option")
	protoOptionsMessage   = map[string]string{"file": "File", "message": "Message", "field": "Field", "oneof": "Oneof", "enum": "Enum", "enum value": "EnumValue"}
)

func protoSet(names string) map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(names) {
		m[n] = true
	}
	return m
}

// protoStandardImports are the files protoc and protocompile build in.
var protoStandardImports = protoSet("google/protobuf/any.proto google/protobuf/api.proto google/protobuf/compiler/plugin.proto " +
	"google/protobuf/descriptor.proto google/protobuf/duration.proto google/protobuf/empty.proto google/protobuf/field_mask.proto " +
	"google/protobuf/go_features.proto google/protobuf/source_context.proto google/protobuf/struct.proto " +
	"google/protobuf/timestamp.proto google/protobuf/type.proto google/protobuf/wrappers.proto " +
	"google/protobuf/cpp_features.proto google/protobuf/java_features.proto")

func (p *protoParser) enum(scope string) error {
	n, err := p.ident("an enum name", "enum")
	if err != nil {
		return err
	}
	e := &protoEnum{full: qualify(scope, n.text)}
	path := "enum " + e.full
	if p.file.messages[e.full] != nil || p.file.enums[e.full] != nil {
		return p.errTok(n, path, "%s is already defined", e.full)
	}
	p.file.enums[e.full] = e
	if _, err := p.expect("{", path); err != nil {
		return err
	}
	for {
		t := p.next()
		switch {
		case t.kind == 0:
			return p.errTok(t, path, "unexpected end of input, expected \"}\"")
		case t.kind == 'p' && t.text == "}":
			if len(e.values) == 0 {
				return p.errTok(t, path, "enum %s has no values", e.full)
			}
			return nil
		case t.kind == 'p' && t.text == ";":
			continue
		case t.kind == 'i' && (t.text == "option" || t.text == "reserved"):
			if t.text == "option" {
				if err := p.checkOptionName(protoEnumOptions, "enum", path); err != nil {
					return err
				}
			}
			if err := p.skipStatement(path); err != nil {
				return err
			}
			continue
		case t.kind != 'i':
			return p.errTok(t, path, "expected an enum value, found %s", t)
		}
		if _, err := p.expect("=", path); err != nil {
			return err
		}
		neg := false
		v := p.next()
		if v.kind == 'p' && v.text == "-" {
			neg = true
			v = p.next()
		}
		if v.kind != 'n' {
			return p.errTok(v, path, "expected a number for %s, found %s", t.text, v)
		}
		num, err := strconv.ParseInt(v.text, 0, 64)
		if err != nil {
			return p.errTok(v, path, "invalid enum number %s", v.text)
		}
		if len(e.values) == 0 && p.file.syntax == "proto3" && (num != 0 || neg) {
			return p.errTok(v, path, "the first value of a proto3 enum must be 0")
		}
		if p.peek().text == "[" {
			if err := p.skipOptions(path, protoEnumValueOptions, "enum value"); err != nil {
				return err
			}
		}
		if _, err := p.expect(";", path); err != nil {
			return err
		}
		e.values = append(e.values, t.text)
	}
}

// resolve binds every field type to a message or enum, following Protobuf scoping: the name
// is looked up from the innermost enclosing scope outwards; a leading dot is absolute. The
// well-known types (google.protobuf.*) are known when the file imports google/protobuf/. With
// lenient, a type not found is taken to come from an import that was not given.
func (f *protoFile) resolve(lenient bool) error {
	wkt := false
	for _, imp := range f.imports {
		if protoStandardImports[imp] {
			wkt = true
		}
	}
	for _, full := range f.msgOrder {
		m := f.messages[full]
		for _, fd := range m.fields {
			if protoScalars[fd.typ] {
				continue
			}
			full := f.lookup(m.full, fd.typ)
			switch {
			case full != "":
				fd.resolved = full
			case wkt && protoWellKnownNames[f.wellKnown(m.full, fd.typ)]:
				fd.resolved = f.wellKnown(m.full, fd.typ)
			case lenient && len(f.imports) > 0:
				fd.resolved = strings.TrimPrefix(fd.typ, ".") // defined in an imported file
			default:
				return protoErr(fd.line, fd.col, "message "+m.full+" field "+fd.name, "unknown type %q", fd.typ)
			}
		}
	}
	return nil
}

// wellKnown returns the google.protobuf name typ refers to from scope, or "".
func (f *protoFile) wellKnown(scope, typ string) string {
	if strings.HasPrefix(typ, ".") {
		return typ[1:]
	}
	if strings.HasPrefix(typ, "google.protobuf.") {
		return typ
	}
	if strings.HasPrefix(scope, "google.protobuf") || f.pkg == "google.protobuf" {
		return "google.protobuf." + typ
	}
	if strings.HasPrefix(typ, "protobuf.") && (f.pkg == "google" || strings.HasPrefix(f.pkg, "google.")) {
		return "google." + typ
	}
	return ""
}

func (f *protoFile) lookup(scope, name string) string {
	exists := func(n string) bool { return f.messages[n] != nil || f.enums[n] != nil }
	if strings.HasPrefix(name, ".") {
		if exists(name[1:]) {
			return name[1:]
		}
		return ""
	}
	// The first component of a dotted name is looked up, then the rest within it (Protobuf
	// language specification, name resolution).
	first, rest, dotted := strings.Cut(name, ".")
	for {
		c := qualify(scope, first)
		if exists(c) || f.packages[c] {
			if !dotted {
				return c
			}
			if exists(c + "." + rest) {
				return c + "." + rest
			}
			return "" // found the scope but not the name inside: an error, as in protoc

		}
		if scope == "" {
			return ""
		}
		if i := strings.LastIndex(scope, "."); i >= 0 {
			scope = scope[:i]
		} else {
			scope = ""
		}
	}
}

// protoWellKnownNames are the message and enum types of google/protobuf/*.proto that fields
// use; protoWellKnownHive maps those with a natural Hive type (the others are structs of their
// fields in descriptor.proto, which are mapped to string: their JSON form).
var protoWellKnownNames = map[string]bool{
	"google.protobuf.Any": true, "google.protobuf.Api": true, "google.protobuf.Method": true, "google.protobuf.Mixin": true,
	"google.protobuf.Duration": true, "google.protobuf.Empty": true, "google.protobuf.FieldMask": true,
	"google.protobuf.SourceContext": true, "google.protobuf.Struct": true, "google.protobuf.Value": true,
	"google.protobuf.ListValue": true, "google.protobuf.NullValue": true, "google.protobuf.Timestamp": true,
	"google.protobuf.Type": true, "google.protobuf.Field": true, "google.protobuf.Enum": true,
	"google.protobuf.EnumValue": true, "google.protobuf.Option": true, "google.protobuf.Syntax": true,
	"google.protobuf.DoubleValue": true, "google.protobuf.FloatValue": true, "google.protobuf.Int64Value": true,
	"google.protobuf.UInt64Value": true, "google.protobuf.Int32Value": true, "google.protobuf.UInt32Value": true,
	"google.protobuf.BoolValue": true, "google.protobuf.StringValue": true, "google.protobuf.BytesValue": true,
	"google.protobuf.FileDescriptorSet": true, "google.protobuf.FileDescriptorProto": true,
	"google.protobuf.DescriptorProto": true, "google.protobuf.FieldDescriptorProto": true,
	"google.protobuf.EnumDescriptorProto": true, "google.protobuf.ServiceDescriptorProto": true,
	"google.protobuf.MethodDescriptorProto": true, "google.protobuf.FileOptions": true,
	"google.protobuf.MessageOptions": true, "google.protobuf.FieldOptions": true, "google.protobuf.EnumOptions": true,
	"google.protobuf.EnumValueOptions": true, "google.protobuf.ServiceOptions": true, "google.protobuf.MethodOptions": true,
	"google.protobuf.OneofOptions": true, "google.protobuf.ExtensionRangeOptions": true,
	"google.protobuf.OneofDescriptorProto": true, "google.protobuf.EnumValueDescriptorProto": true,
	"google.protobuf.SourceCodeInfo": true, "google.protobuf.GeneratedCodeInfo": true,
	"google.protobuf.UninterpretedOption": true, "google.protobuf.FeatureSet": true, "google.protobuf.Edition": true,
}

var protoWellKnownHive = map[string]*hiveType{
	"google.protobuf.Timestamp":   hiveTimestamp,
	"google.protobuf.Duration":    {kind: 's', fields: []hiveField{{name: "seconds", typ: hiveBigint}, {name: "nanos", typ: hiveInt}}},
	"google.protobuf.DoubleValue": hiveDouble,
	"google.protobuf.FloatValue":  hiveFloat,
	"google.protobuf.Int64Value":  hiveBigint,
	"google.protobuf.UInt64Value": hivePrim("decimal(20,0)"),
	"google.protobuf.Int32Value":  hiveInt,
	"google.protobuf.UInt32Value": hiveBigint,
	"google.protobuf.BoolValue":   hiveBoolean,
	"google.protobuf.StringValue": hiveString,
	"google.protobuf.BytesValue":  hiveBinary,
	"google.protobuf.Struct":      hiveString,
	"google.protobuf.Value":       hiveString,
	"google.protobuf.ListValue":   hiveString,
	"google.protobuf.NullValue":   hiveString,
	"google.protobuf.Any":         {kind: 's', fields: []hiveField{{name: "type_url", typ: hiveString}, {name: "value", typ: hiveBinary}}},
	"google.protobuf.FieldMask":   {kind: 's', fields: []hiveField{{name: "paths", typ: hiveArray(hiveString)}}},
	"google.protobuf.Empty":       nil,
}

// protoScalarHive maps scalar types: unsigned 32-bit values need bigint and unsigned 64-bit
// values decimal(20,0) to hold their whole range.
var protoScalarHive = map[string]*hiveType{
	"double": hiveDouble, "float": hiveFloat,
	"int32": hiveInt, "sint32": hiveInt, "sfixed32": hiveInt,
	"uint32": hiveBigint, "fixed32": hiveBigint,
	"int64": hiveBigint, "sint64": hiveBigint, "sfixed64": hiveBigint,
	"uint64": hivePrim("decimal(20,0)"), "fixed64": hivePrim("decimal(20,0)"),
	"bool": hiveBoolean, "string": hiveString, "bytes": hiveBinary,
}

// protoHive parses a .proto definition and its imports and maps one message to Hive.
func protoHive(definition string, o SchemaOptions) (*hiveType, error) {
	f, err := parseProtoSyntax(definition)
	if err != nil {
		return nil, err
	}
	if err := f.addImports(o.Imports); err != nil {
		return nil, err
	}
	if err := f.resolve(false); err != nil {
		return nil, err
	}
	var m *protoMessage
	switch {
	case o.Message == "" && len(f.order) == 0:
		return nil, protoErr(0, 0, "", "the definition declares no message")
	case o.Message == "":
		m = f.messages[f.order[0]]
	default:
		m = f.messages[strings.TrimPrefix(o.Message, ".")]
		if m == nil {
			m = f.messages[qualify(f.pkg, o.Message)]
		}
		if m == nil {
			return nil, protoErr(0, 0, "", "the definition declares no message %q", o.Message)
		}
	}
	pm := &protoMapper{f: f}
	pm.expansion = newExpansion(m, func(m *protoMessage, visit func(*protoMessage)) {
		for _, fd := range m.fields {
			if _, wk := protoWellKnownHive[fd.resolved]; wk || strings.HasPrefix(fd.resolved, "google.protobuf.") {
				continue
			}
			if g := f.messages[fd.resolved]; g != nil {
				visit(g)
			}
		}
	})
	h, _ := pm.message(m, 0)
	if pm.steps > maxSchemaSteps {
		return nil, tooManySteps(types.DataFormatProtobuf)
	}
	return h, nil
}

// addImports parses the files f imports, transitively, from imports (by path) and adds their
// messages and enums to f. google/protobuf/ imports are built in.
func (f *protoFile) addImports(imports map[string]string) error {
	done := map[string]bool{}
	queue := append([]string(nil), f.imports...)
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if done[path] || protoStandardImports[path] {
			continue
		}
		done[path] = true
		src, ok := imports[path]
		if !ok {
			return protoErr(0, 0, "import "+path, "imported file %q was not given (SchemaOptions.Imports)", path)
		}
		if len(src) > maxDefinitionLength {
			return protoErr(0, 0, "import "+path, "the file is %d bytes long, more than %d", len(src), maxDefinitionLength)
		}
		g, err := parseProtoSyntax(src)
		if err != nil {
			var se *SchemaError
			if errors.As(err, &se) {
				se.Path = strings.TrimSpace("import " + path + " " + se.Path)
			}
			return err
		}
		for _, full := range g.msgOrder {
			if f.messages[full] != nil || f.enums[full] != nil {
				return protoErr(0, 0, "import "+path, "%s is already defined", full)
			}
			f.messages[full] = g.messages[full]
			f.msgOrder = append(f.msgOrder, full)
		}
		for full, e := range g.enums {
			if f.messages[full] != nil || f.enums[full] != nil {
				return protoErr(0, 0, "import "+path, "%s is already defined", full)
			}
			f.enums[full] = e
		}
		for pkg := range g.packages {
			f.packages[pkg] = true
		}
		f.imports = append(f.imports, g.imports...)
		queue = append(queue, g.imports...)
	}
	return nil
}

// protoMapper maps messages to Hive structs, memoized as avroMapper does.
type protoMapper struct {
	expansion[*protoMessage]
	f     *protoFile
	steps int
}

func (pm *protoMapper) message(m *protoMessage, depth int) (*hiveType, int) {
	return pm.expand(m, depth, func() (*hiveType, int) {
		var b structBuilder
		low := depth + 1
		for _, fd := range m.fields {
			if pm.steps++; pm.steps > maxSchemaSteps {
				break
			}
			h, cut := pm.named(fd, fd.typ, depth+1)
			low = min(low, cut)
			switch {
			case noData(h):
			case fd.keyType != "":
				h = hiveMap(protoScalarHive[fd.keyType], h)
			case fd.label == "repeated":
				h = hiveArray(h)
			}
			b.add(fd.name, h, "")
		}
		return b.build(), low
	})
}

func (pm *protoMapper) named(fd *protoField, typ string, depth int) (*hiveType, int) {
	if h, ok := protoScalarHive[typ]; ok {
		return h, depth + 1
	}
	r := fd.resolved
	if h, ok := protoWellKnownHive[r]; ok {
		return h, depth + 1
	}
	if strings.HasPrefix(r, "google.protobuf.") {
		return hiveString, depth + 1 // another well-known or descriptor type: its JSON form
	}
	if m := pm.f.messages[r]; m != nil {
		return pm.message(m, depth)
	}
	return hiveString, depth + 1 // an enum, or another well-known type (its JSON form)
}
