package redshift

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxIdentBytes is the longest identifier Redshift accepts: 127 bytes of UTF-8.
const maxIdentBytes = 127

// ident quotes name as a Redshift identifier (a table, schema, role or datashare name) for
// SQL text: in double quotes, embedded double quotes doubled. It rejects an empty name, a NUL,
// invalid UTF-8 and names over 127 bytes, which Redshift would reject or truncate. Redshift
// folds even quoted identifiers to lower case unless enable_case_sensitive_identifier is on.
func ident(name string) (string, error) {
	switch {
	case name == "":
		return "", errors.New("identifier is empty")
	case len(name) > maxIdentBytes:
		return "", fmt.Errorf("identifier %.32q… is %d bytes, over Redshift's limit of %d", name, len(name), maxIdentBytes)
	case strings.IndexByte(name, 0) >= 0:
		return "", fmt.Errorf("identifier %q contains NUL", name)
	case !utf8.ValidString(name):
		return "", fmt.Errorf("identifier %q is not valid UTF-8", name)
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`, nil
}

// qualifiedIdent quotes each part with ident and joins them with dots: schema.table.
func qualifiedIdent(parts ...string) (string, error) {
	if len(parts) == 0 {
		return "", errors.New("qualified identifier has no parts")
	}
	quoted := make([]string, len(parts))
	for i, p := range parts {
		q, err := ident(p)
		if err != nil {
			return "", err
		}
		quoted[i] = q
	}
	return strings.Join(quoted, "."), nil
}

// literal quotes v as a Redshift string literal: in single quotes, with single quotes doubled
// and backslashes doubled, since Redshift string literals treat a backslash as an escape
// character. It rejects a NUL and invalid UTF-8. Prefer statement parameters for values; use
// literal where Redshift's grammar wants a literal (NAMESPACE '<id>', ACCOUNT '<id>').
func literal(v string) (string, error) {
	switch {
	case strings.IndexByte(v, 0) >= 0:
		return "", errors.New("literal contains NUL")
	case !utf8.ValidString(v):
		return "", errors.New("literal is not valid UTF-8")
	}
	r := strings.NewReplacer(`'`, `''`, `\`, `\\`)
	return "'" + r.Replace(v) + "'", nil
}
