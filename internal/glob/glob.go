// Package glob matches names against the wildcard patterns AWS APIs accept in filters and
// resource lists: '*' is any run of characters (including none) and '?' exactly one. The
// fakes share it; helpers keep their own reading of each service's rules.
package glob

// Match reports whether s matches pattern, in O(len(pattern)·len(s)) time at worst: a
// pattern with many stars, sent by anyone who reaches a fake over the wire, cannot make it
// backtrack exponentially. Characters are compared byte by byte.
func Match(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			// Checked first: a star in the pattern is a wildcard even where s has a '*'.
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			// Let the last star swallow one more character and retry the rest.
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
