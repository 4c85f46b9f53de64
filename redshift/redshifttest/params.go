package redshifttest

import (
	"fmt"
	"strconv"
	"strings"
)

// maxSQLBytes is the largest SQL text the fake accepts: the Data API's documented maximum
// query statement size (100 KB).
const maxSQLBytes = 100 * 1024

// translateParams rewrites the Data API's named parameters (:name, name matching
// ^[0-9a-zA-Z_]+$) into PostgreSQL's positional $n, numbered in order of first use, and
// returns the names in that order. It leaves alone what is not a parameter: '::' casts,
// 'string' literals (with doubled quotes), E'…' strings (with backslash escapes), "quoted"
// identifiers, -- and nested /* */ comments and $tag$ … $tag$ bodies. It runs in one pass over
// the text (linear) and refuses a text longer than maxSQLBytes or an unterminated literal,
// identifier, comment or body.
func translateParams(sql string) (string, []string, error) {
	if len(sql) > maxSQLBytes {
		return "", nil, fmt.Errorf("SQL is %d bytes, over the limit of %d", len(sql), maxSQLBytes)
	}
	var b strings.Builder
	b.Grow(len(sql) + 8)
	var names []string
	index := map[string]int{}
	n := len(sql)
	for i := 0; i < n; {
		c := sql[i]
		switch {
		case c == '\'' || ((c == 'E' || c == 'e') && i+1 < n && sql[i+1] == '\'' && !identByte(prev(sql, i))):
			start := i
			backslash := c != '\''
			if backslash {
				i++
			}
			i++ // opening quote
			closed := false
			for i < n {
				switch {
				case backslash && sql[i] == '\\' && i+1 < n:
					i += 2
				case sql[i] == '\'' && i+1 < n && sql[i+1] == '\'':
					i += 2
				case sql[i] == '\'':
					i++
					closed = true
				default:
					i++
				}
				if closed {
					break
				}
			}
			if !closed {
				return "", nil, fmt.Errorf("unterminated string literal at byte %d", start)
			}
			b.WriteString(sql[start:i])
		case c == '"':
			start := i
			i++
			closed := false
			for i < n {
				if sql[i] == '"' {
					if i+1 < n && sql[i+1] == '"' {
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				i++
			}
			if !closed {
				return "", nil, fmt.Errorf("unterminated quoted identifier at byte %d", start)
			}
			b.WriteString(sql[start:i])
		case c == '-' && i+1 < n && sql[i+1] == '-':
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				end = n - i
			}
			b.WriteString(sql[i : i+end])
			i += end
		case c == '/' && i+1 < n && sql[i+1] == '*':
			start := i
			depth := 0
			for i < n {
				if i+1 < n && sql[i] == '/' && sql[i+1] == '*' {
					depth++
					i += 2
				} else if i+1 < n && sql[i] == '*' && sql[i+1] == '/' {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
			if depth != 0 {
				return "", nil, fmt.Errorf("unterminated comment at byte %d", start)
			}
			b.WriteString(sql[start:i])
		case c == '$' && !identByte(prev(sql, i)):
			tagEnd := dollarTag(sql, i)
			if tagEnd < 0 {
				b.WriteByte(c)
				i++
				continue
			}
			tag := sql[i:tagEnd]
			end := strings.Index(sql[tagEnd:], tag)
			if end < 0 {
				return "", nil, fmt.Errorf("unterminated %s body at byte %d", tag, i)
			}
			stop := tagEnd + end + len(tag)
			b.WriteString(sql[i:stop])
			i = stop
		case c == ':' && i+1 < n && sql[i+1] == ':':
			// a cast, possibly followed by more colons: copy the whole run
			j := i
			for j < n && sql[j] == ':' {
				j++
			}
			b.WriteString(sql[i:j])
			i = j
		case c == ':' && i+1 < n && nameByte(sql[i+1]) && prev(sql, i) != ':':
			j := i + 1
			for j < n && nameByte(sql[j]) {
				j++
			}
			name := sql[i+1 : j]
			k, ok := index[name]
			if !ok {
				names = append(names, name)
				k = len(names)
				index[name] = k
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(k))
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), names, nil
}

func prev(s string, i int) byte {
	if i == 0 {
		return 0
	}
	return s[i-1]
}

func nameByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// identByte reports whether c can continue an identifier (so a following ' or $ is not the
// start of a literal or a dollar-quote).
func identByte(c byte) bool { return nameByte(c) || c >= 0x80 || c == '$' }

// dollarTag returns the end of a dollar-quote opening tag ($$ or $tag$) at i, or -1 when the $
// at i does not open one (a positional parameter such as $1, or a lone $).
func dollarTag(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '$' {
		return j + 1
	}
	if j >= len(s) || !(s[j] == '_' || 'a' <= s[j] && s[j] <= 'z' || 'A' <= s[j] && s[j] <= 'Z' || s[j] >= 0x80) {
		return -1
	}
	for j < len(s) && (nameByte(s[j]) || s[j] >= 0x80) {
		j++
	}
	if j < len(s) && s[j] == '$' {
		return j + 1
	}
	return -1
}
