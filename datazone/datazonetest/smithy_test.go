package datazonetest

import (
	"strings"
	"testing"
)

func TestParseSmithy(t *testing.T) {
	s, err := parseSmithy("$version: \"2\"\nnamespace acme\n// a comment\nstructure Form {\n  @documentation(\"a \\\" ) } quote\")\n  @required\n  a: String,\n  b: smithy.api#Long\n  @amazon.datazone#searchable\n  _c1: Timestamp\n}\n")
	if err != nil || s.Name != "Form" || len(s.Members) != 3 || !s.Members[0].Required || s.Members[1].Required || s.Members[1].Target != "Long" || s.Members[2].Name != "_c1" {
		t.Fatalf("parseSmithy = %+v, %v", s, err)
	}
	for _, bad := range []string{
		"", "structure X {}", "structure X { a: Enum }", "structure X { a: String", "structure 1X { a: String }",
		"structure X { a: String } structure Y { b: String }", "structure X { a: String a: Long }", "structure X { @documentation(\"x) a: String }",
		"list L { member: String }", strings.Repeat(" ", maxModelLength+1),
	} {
		if s, err := parseSmithy(bad); err == nil {
			t.Errorf("parseSmithy(%.40q) = %+v, want an error", bad, s)
		}
	}
}

func FuzzParseSmithy(f *testing.F) {
	f.Add("structure A { @required a: String }")
	f.Add("$version: \"2\"\nstructure A {\n @documentation(\"(\\\")\") b: Integer, c: smithy.api#Double }")
	f.Fuzz(func(t *testing.T, src string) {
		s, err := parseSmithy(src)
		if err != nil {
			return
		}
		if !validIdent(s.Name) || len(s.Members) == 0 {
			t.Fatalf("accepted %+v", s)
		}
		for _, m := range s.Members {
			if !validIdent(m.Name) || !smithyTargets[m.Target] {
				t.Fatalf("accepted member %+v", m)
			}
		}
	})
}

func FuzzCheckContent(f *testing.F) {
	shape, _ := parseSmithy("structure F { @required topic: String\n version: Integer\n ok: Boolean\n at: Timestamp\n ratio: Double }")
	ft := &formType{name: "F"}
	f.Add(`{"topic":"t","version":1}`)
	f.Add(`{"topic":null}`)
	f.Add(`{"topic":"t","version":99999999999999999999}`)
	f.Fuzz(func(t *testing.T, content string) {
		if len(content) > maxFormContent {
			return
		}
		if err := checkContent("F", ft, shape, content); err == nil && !strings.Contains(content, "topic") {
			t.Fatalf("accepted content without its required member: %q", content)
		}
	})
}

func TestFitsTarget(t *testing.T) {
	shape, _ := parseSmithy("structure F { i: Integer\n b: Byte\n l: Long\n s: String\n f: Boolean }")
	ft := &formType{name: "F"}
	for content, ok := range map[string]bool{
		`{"i":2147483647}`: true, `{"i":-2147483648}`: true, `{"i":2147483648}`: false, `{"i":1.5}`: false,
		`{"b":127}`: true, `{"b":-128}`: true, `{"b":128}`: false, `{"l":9223372036854775807}`: true, `{"l":9223372036854775808}`: false,
		`{"s":1}`: false, `{"f":"true"}`: false, `{"unknown":1}`: false, `[1]`: false, `{"s":"a"} {}`: false,
	} {
		if err := checkContent("F", ft, shape, content); (err == nil) != ok {
			t.Errorf("checkContent(%s) = %v, want ok=%v", content, err, ok)
		}
	}
}
