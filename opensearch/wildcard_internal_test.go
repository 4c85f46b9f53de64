package opensearch

import "testing"

// TestWildcardMatchStarBeforeLiteral: a pattern star is a wildcard even where the name holds a
// '*' (the matcher once took it for a literal, so "a*" did not match "a*b"). Expected values
// are the plain meaning of * (any run) and ? (one character).
func TestWildcardMatchStarBeforeLiteral(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"a*", "a*b", true},
		{"*", "*0", true},
		{"user.*", "user.email", true},
		{"user.?", "user.id", false},
		{"*.ssn", "customer.ssn", true},
		{"*.ssn", "customer.ssn.hash", false},
	}
	for _, c := range cases {
		if got := wildcardMatch(c.pattern, c.s); got != c.want {
			t.Errorf("wildcardMatch(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}
