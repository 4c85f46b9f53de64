package glue

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// jnode is a JSON value that keeps the order of object members and the byte offset where it
// starts, so schema errors can point at a line and column.
type jnode struct {
	kind byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	off  int
	str  string // string value, or the literal of a number
	b    bool
	arr  []*jnode
	keys []string
	vals []*jnode
}

// get returns the member key of an object. Lookups scan the keys: schema objects have few
// keys, and the few lookups per object keep it linear (parseJSONTree rejects duplicates
// with a map).
func (n *jnode) get(key string) *jnode {
	if n == nil || n.kind != 'o' {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

func (n *jnode) kindName() string {
	if n == nil {
		return "nothing"
	}
	return map[byte]string{'o': "an object", 'a': "an array", 's': "a string", 'n': "a number", 'b': "a boolean", 'z': "null"}[n.kind]
}

// jsonSyntaxError carries the byte offset of a JSON syntax error.
type jsonSyntaxError struct {
	off int
	msg string
}

// Error implements error.
func (e *jsonSyntaxError) Error() string { return e.msg }

// maxJSONDepth bounds nesting so hostile input cannot exhaust the stack.
const maxJSONDepth = 200

// parseJSONTree decodes one JSON document into a jnode tree. A duplicate object key keeps its
// last value.
func parseJSONTree(s string) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	n, err := readNode(dec, s, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &jsonSyntaxError{off: int(dec.InputOffset()), msg: "unexpected data after the top-level value"}
	}
	return n, nil
}

func syntaxErr(dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &jsonSyntaxError{off: int(se.Offset), msg: se.Error()}
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return &jsonSyntaxError{off: int(dec.InputOffset()), msg: "unexpected end of JSON input"}
	}
	return &jsonSyntaxError{off: int(dec.InputOffset()), msg: err.Error()}
}

// valueStart returns the offset of the first non-space byte at or after off.
func valueStart(s string, off int) int {
	for off < len(s) && (s[off] == ' ' || s[off] == '\t' || s[off] == '\n' || s[off] == '\r' || s[off] == ':' || s[off] == ',') {
		off++
	}
	return off
}

func readNode(dec *json.Decoder, s string, depth int) (*jnode, error) {
	if depth > maxJSONDepth {
		return nil, &jsonSyntaxError{off: int(dec.InputOffset()), msg: fmt.Sprintf("nesting deeper than %d levels", maxJSONDepth)}
	}
	start := valueStart(s, int(dec.InputOffset()))
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxErr(dec, err)
	}
	n := &jnode{off: start}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.kind = 'o'
			var seen map[string]int // key → index, built once an object has many keys, so the scan stays linear
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, syntaxErr(dec, err)
				}
				k, _ := kt.(string)
				if len(n.keys) == 16 && seen == nil {
					seen = make(map[string]int, 32)
					for i, k := range n.keys {
						seen[k] = i
					}
				}
				v, err := readNode(dec, s, depth+1)
				if err != nil {
					return nil, err
				}
				// A repeated key keeps its last value, as the JSON parsers of the Avro
				// implementations do (Jackson for Java, encoding/json for hamba/avro).
				dup := -1
				if seen != nil {
					if i, ok := seen[k]; ok {
						dup = i
					}
				} else if i := slices.Index(n.keys, k); i >= 0 {
					dup = i
				}
				if dup >= 0 {
					n.vals[dup] = v
					continue
				}
				if seen != nil {
					seen[k] = len(n.keys)
				}
				n.keys = append(n.keys, k)
				n.vals = append(n.vals, v)
			}
		case '[':
			n.kind = 'a'
			for dec.More() {
				v, err := readNode(dec, s, depth+1)
				if err != nil {
					return nil, err
				}
				n.arr = append(n.arr, v)
			}
		default:
			return nil, &jsonSyntaxError{off: start, msg: fmt.Sprintf("unexpected %q", rune(t))}
		}
		if _, err := dec.Token(); err != nil { // closing delimiter
			return nil, syntaxErr(dec, err)
		}
	case string:
		n.kind, n.str = 's', t
	case json.Number:
		n.kind, n.str = 'n', t.String()
	case bool:
		n.kind, n.b = 'b', t
	case nil:
		n.kind = 'z'
	}
	return n, nil
}
