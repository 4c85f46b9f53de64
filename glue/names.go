package glue

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameKind says which Data Catalog object a name is for; the rules differ slightly.
type nameKind string

// Name kinds accepted by [validateName].
const (
	// databaseName is a Data Catalog database name.
	databaseName nameKind = "database"
	// tableName is a Data Catalog table name.
	tableName nameKind = "table"
	// columnName is a table column name or the name of a field inside a struct type.
	columnName nameKind = "column"
)

// maxNameBytes is the longest database, table or column name Glue and Athena accept.
const maxNameBytes = 255

// validateName checks a Data Catalog name against Glue's documented rules (the
// single-line-string pattern and 1 to 255 length of DatabaseInput.Name, TableInput.Name and
// Column.Name in the Glue API reference) and the subset Athena needs ("Name databases, tables,
// and columns" in the Athena user guide: a UTF-8 string of 1 to 255 bytes, lower case by
// convention; Athena lowers upper case itself, so upper case is accepted here).
//
// On top of those it rejects what makes a name unusable in Athena DDL or invisible to a reader:
// invalid UTF-8, NUL and every other control character, Unicode format characters (bidi
// controls, zero-width characters), backticks (Athena quotes names with them), and leading or
// trailing spaces. Column names may further not contain '.', ':', ',', '<' or '>': a dot is
// Athena's path into a struct ("a.b" is field b of column a), and the others delimit Hive
// types (struct<name:type,...>), so a column named with them cannot be expressed in one.
//
// The error says what is wrong without a package prefix, so callers wrap it with their field:
// fmt.Errorf("lakeformation: Table.Name: %w", err).
func validateName(kind nameKind, name string) error {
	switch kind {
	case databaseName, tableName, columnName:
	default:
		return fmt.Errorf("unknown name kind %q (want database, table or column)", string(kind))
	}
	if name == "" {
		return fmt.Errorf("%s name is empty", kind)
	}
	if len(name) > maxNameBytes {
		return fmt.Errorf("%s name %.40q... is %d bytes long, more than %d", kind, name, len(name), maxNameBytes)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("%s name %q is not valid UTF-8", kind, name)
	}
	if name[0] == ' ' || name[len(name)-1] == ' ' {
		return fmt.Errorf("%s name %q has a leading or trailing space", kind, name)
	}
	for _, r := range name {
		switch {
		case unicode.IsControl(r):
			return fmt.Errorf("%s name %q contains the control character %U", kind, name, r)
		case unicode.Is(unicode.Cf, r):
			return fmt.Errorf("%s name %q contains the invisible format character %U", kind, name, r)
		case r == '`':
			return fmt.Errorf("%s name %q contains a backtick", kind, name)
		case r == utf8.RuneError:
			return fmt.Errorf("%s name %q contains U+FFFD", kind, name)
		}
	}
	if kind == columnName {
		if i := strings.IndexAny(name, ".:,<>"); i >= 0 {
			return fmt.Errorf("column name %q contains %q, which Athena reads as a struct path or a type delimiter", name, name[i])
		}
	}
	return nil
}

// hiveFieldName turns a schema's field name into a valid column or struct field name: the
// characters validateName rejects in a column name become '_', and an overlong name is cut at
// maxNameBytes on a rune boundary. JSON Schema property names ("editor.fontSize", "@type")
// need it; Avro and Protobuf names are always valid.
func hiveFieldName(name string) string {
	if validateName(columnName, name) == nil {
		return name
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r), strings.ContainsRune("`.:,<>", r):
			r = '_'
		}
		if b.Len()+utf8.RuneLen(r) > maxNameBytes {
			break
		}
		b.WriteRune(r)
	}
	s := b.String()
	if s == "" {
		return "_"
	}
	if s[0] == ' ' {
		s = "_" + s[1:]
	}
	if s[len(s)-1] == ' ' {
		s = s[:len(s)-1] + "_"
	}
	return s
}
