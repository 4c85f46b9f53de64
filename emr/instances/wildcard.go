package instances

import "strings"

// pattern is an instance type name or an ABS wildcard pattern compiled once per selection: the
// literal parts between `*`, matched in order. `*` matches any run of characters, dots included,
// so "c5*" matches c5.large, c5a.xlarge and c5n.metal, while "m5a.*" matches M5a but not M5n.
type pattern struct {
	parts    []string // literal parts, split on '*'
	anchored bool     // true when the pattern has no '*': an exact name
}

func compilePattern(p string) pattern {
	p = strings.ToLower(p)
	if !strings.Contains(p, "*") {
		return pattern{parts: []string{p}, anchored: true}
	}
	return pattern{parts: strings.Split(p, "*")}
}

// match reports whether name (lower case, as EC2 spells instance types) matches the pattern.
func (p *pattern) match(name string) bool {
	if p.anchored {
		return name == p.parts[0]
	}
	// parts[0] is a prefix, parts[len-1] a suffix (either may be empty), the rest appear in order.
	first, last := p.parts[0], p.parts[len(p.parts)-1]
	if len(name) < len(first)+len(last) || !strings.HasPrefix(name, first) || !strings.HasSuffix(name, last) {
		return false
	}
	rest := name[len(first) : len(name)-len(last)]
	for _, mid := range p.parts[1 : len(p.parts)-1] {
		i := strings.Index(rest, mid)
		if i < 0 {
			return false
		}
		rest = rest[i+len(mid):]
	}
	return true
}

// patternSet is a compiled AllowedInstanceTypes or ExcludedInstanceTypes list.
type patternSet []pattern

func compilePatterns(ps []string) patternSet {
	if len(ps) == 0 {
		return nil
	}
	out := make(patternSet, len(ps))
	for i, p := range ps {
		out[i] = compilePattern(p)
	}
	return out
}

// matchIndex returns the index of the first pattern matching name, or -1.
func (s patternSet) matchIndex(name string) int {
	for i := range s {
		if s[i].match(name) {
			return i
		}
	}
	return -1
}
