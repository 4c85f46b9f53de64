package datazonetest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// maxModelLength is CreateFormType's limit on model.smithy (DataZone API reference,
// Model.smithy: length 1–100000).
const maxModelLength = 100_000

// smithyTargets are the member targets the fake accepts in a form type model: the Smithy
// prelude's simple shapes DataZone documents for form types. Blob and Document are left out.
var smithyTargets = map[string]bool{
	"String": true, "Boolean": true, "Byte": true, "Short": true, "Integer": true, "Long": true,
	"Float": true, "Double": true, "BigInteger": true, "BigDecimal": true, "Timestamp": true,
}

// smithyShape is a parsed form type model: one structure and its members.
type smithyShape struct {
	Name    string
	Members []smithyMember
}

type smithyMember struct {
	Name, Target string
	Required     bool
}

// parseSmithy reads the subset of the Smithy IDL a form type model is written in:
// an optional $version control statement and namespace, then one structure whose members
// carry traits (@required, @documentation("…"), @amazon.datazone#searchable, …) and target a
// prelude simple shape. It runs in one pass over at most maxModelLength bytes.
func parseSmithy(src string) (*smithyShape, error) {
	if len(src) == 0 || len(src) > maxModelLength {
		return nil, fmt.Errorf("model.smithy must have 1 to %d characters", maxModelLength)
	}
	p := &smithyParser{s: src}
	for {
		p.skipSpace()
		switch {
		case strings.HasPrefix(p.s[p.i:], "$"):
			p.skipLine()
		case p.word("namespace"):
			p.skipLine()
		case p.word("structure"):
			return p.structure()
		default:
			return nil, p.errf("expected a structure")
		}
	}
}

type smithyParser struct {
	s string
	i int
}

func (p *smithyParser) errf(format string, args ...any) error {
	line := 1 + strings.Count(p.s[:p.i], "\n")
	return fmt.Errorf("invalid Smithy model at line %d: %s", line, fmt.Sprintf(format, args...))
}

func (p *smithyParser) skipSpace() {
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			p.i++
		case strings.HasPrefix(p.s[p.i:], "//"):
			p.skipLine()
		default:
			return
		}
	}
}

func (p *smithyParser) skipLine() {
	if j := strings.IndexByte(p.s[p.i:], '\n'); j >= 0 {
		p.i += j + 1
	} else {
		p.i = len(p.s)
	}
}

// word consumes w if it comes next as a whole word.
func (p *smithyParser) word(w string) bool {
	if !strings.HasPrefix(p.s[p.i:], w) {
		return false
	}
	end := p.i + len(w)
	if end < len(p.s) && isIdent(rune(p.s[end])) {
		return false
	}
	p.i = end
	return true
}

func isIdent(r rune) bool {
	return r == '_' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// ident reads a Smithy identifier, with dots and a # allowed when shapeID is set.
func (p *smithyParser) ident(shapeID bool) string {
	start := p.i
	for p.i < len(p.s) {
		c := rune(p.s[p.i])
		if isIdent(c) || shapeID && (c == '.' || c == '#') {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i]
}

var identRE = regexp.MustCompile(`^(_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*$`)

func validIdent(s string) bool { return identRE.MatchString(s) }

func (p *smithyParser) structure() (*smithyShape, error) {
	p.skipSpace()
	name := p.ident(false)
	if !validIdent(name) {
		return nil, p.errf("structure name %q is not an identifier", name)
	}
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != '{' {
		return nil, p.errf("expected { after structure %s", name)
	}
	p.i++
	shape := &smithyShape{Name: name}
	seen := map[string]bool{}
	required := false
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errf("structure %s is not closed", name)
		}
		switch c := p.s[p.i]; {
		case c == '}':
			p.i++
			p.skipSpace()
			if p.i != len(p.s) {
				return nil, p.errf("a form type model holds one structure; found more after structure %s", name)
			}
			if len(shape.Members) == 0 {
				return nil, p.errf("structure %s has no members", name)
			}
			return shape, nil
		case c == '@':
			p.i++
			trait := p.ident(true)
			if trait == "" {
				return nil, p.errf("empty trait name")
			}
			if trait == "required" || trait == "smithy.api#required" {
				required = true
			}
			if p.i < len(p.s) && p.s[p.i] == '(' {
				if err := p.traitValue(); err != nil {
					return nil, err
				}
			}
		default:
			m := p.ident(false)
			if !validIdent(m) {
				return nil, p.errf("expected a member name in structure %s", name)
			}
			p.skipSpace()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, p.errf("expected : after member %s", m)
			}
			p.i++
			p.skipSpace()
			target := strings.TrimPrefix(p.ident(true), "smithy.api#")
			if !smithyTargets[target] {
				return nil, p.errf("member %s targets %q, which is not a type DataZone form types accept", m, target)
			}
			if seen[strings.ToLower(m)] {
				return nil, p.errf("member %s is defined twice", m)
			}
			seen[strings.ToLower(m)] = true
			shape.Members = append(shape.Members, smithyMember{Name: m, Target: target, Required: required})
			required = false
		}
	}
}

// traitValue skips a parenthesized trait value holding strings with escapes.
func (p *smithyParser) traitValue() error {
	depth := 0
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				p.i++
				return nil
			}
		case '"':
			p.i++
			for p.i < len(p.s) && p.s[p.i] != '"' {
				if p.s[p.i] == '\\' {
					p.i++
				} else if p.s[p.i] == '\n' {
					return p.errf("newline in a string literal")
				}
				p.i++
			}
			if p.i >= len(p.s) {
				return p.errf("unterminated string")
			}
		}
		p.i++
	}
	return p.errf("unterminated trait value")
}
