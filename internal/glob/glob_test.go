package glob

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "anything", true},
		{"m5.*", "m5.large", true},
		{"m5.*", "m5", false},
		{"m?.large", "m5.large", true},
		{"m?.large", "m.large", false},
		{"*.metal", "c5.metal", true},
		{"*.metal", "c5.metal-48xl", false},
		{"c*n.*", "c5n.2xlarge", true},
		{"c*n.*", "c5.2xlarge", false},
		{"orders-*", "orders-", true},
		{"a*b*c", "abbbbc", true},
		{"a*b*c", "acb", false},
		{"**a", "a", true},
		{"?", "", false},
		{"*", "*0", true},   // found by FuzzMatch: a pattern star met a '*' in s
		{"a*", "a*b", true}, // and was taken for a literal
	}
	for _, c := range cases {
		if got := Match(c.pattern, c.s); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

// TestMatchIsNotExponential: a backtracking matcher takes exponential time here.
func TestMatchIsNotExponential(t *testing.T) {
	pattern := strings.Repeat("*a", 40) + "b"
	s := strings.Repeat("a", 4000)
	start := time.Now()
	if Match(pattern, s) {
		t.Fatal("matched a string without the final b")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}

// FuzzMatch compares Match with Go's regexp (linear too) on the translated pattern.
func FuzzMatch(f *testing.F) {
	for _, seed := range [][2]string{{"m5.*", "m5.large"}, {"a*b?c", "axxbyc"}, {"*", ""}, {"?*?", "ab"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 256 {
			return
		}
		var re strings.Builder
		re.WriteString(`(?s)\A`)
		for _, r := range pattern {
			switch r {
			case '*':
				re.WriteString(`.*`)
			case '?':
				re.WriteString(`.`)
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		re.WriteString(`\z`)
		rx, err := regexp.Compile(re.String())
		if err != nil {
			t.Skip()
		}
		// regexp's '.' is one rune, Match's '?' one byte: compare on ASCII only.
		for i := 0; i < len(pattern); i++ {
			if pattern[i] >= 0x80 {
				t.Skip()
			}
		}
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				t.Skip()
			}
		}
		if got, want := Match(pattern, s), rx.MatchString(s); got != want {
			t.Fatalf("Match(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
	})
}
