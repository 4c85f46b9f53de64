package glue_test

import (
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/glue"
)

// Rules from the Glue API reference (Name: 1 to 255, single-line string) and the Athena user
// guide ("Name databases, tables, and columns": UTF-8, 1 to 255 bytes).
func TestValidateName(t *testing.T) {
	tests := []struct {
		kind glue.NameKind
		name string
		want string // "" for valid
	}{
		{glue.DatabaseName, "sales", ""},
		{glue.DatabaseName, "Sales_2024", ""}, // Athena lowers it
		{glue.DatabaseName, "rl-sales", ""},   // hyphens work when quoted
		{glue.TableName, "orders.v2", ""},     // a table name may hold a dot (quoted in SQL)
		{glue.ColumnName, "zip code", ""},     // spaces work in backticks
		{glue.ColumnName, "größe", ""},        // UTF-8
		{glue.ColumnName, strings.Repeat("a", 255), ""},
		{glue.ColumnName, strings.Repeat("a", 256), "256 bytes long, more than 255"},
		{glue.ColumnName, strings.Repeat("é", 128), "256 bytes long"}, // bytes, not characters
		{glue.TableName, "", "table name is empty"},
		{glue.TableName, "a\nb", "control character U+000A"},
		{glue.TableName, "a\tb", "control character U+0009"},
		{glue.TableName, "a\x00b", "control character U+0000"},
		{glue.TableName, "a\u200bb", "invisible format character U+200B"},
		{glue.TableName, "a\u2066b", "invisible format character U+2066"},
		{glue.TableName, "a\xc3", "not valid UTF-8"},
		{glue.TableName, " a", "leading or trailing space"},
		{glue.ColumnName, "a`b", "backtick"},
		{glue.ColumnName, "a.b", "'.'"},
		{glue.ColumnName, "a:b", "':'"},
		{glue.ColumnName, "a<b", "'<'"},
		{glue.ColumnName, "a,b", "','"},
		{"view", "a", "unknown name kind"},
	}
	for _, tc := range tests {
		err := glue.ValidateName(tc.kind, tc.name)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ValidateName(%s, %q) = %v, want nil", tc.kind, tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("ValidateName(%s, %q) = %v, want an error containing %q", tc.kind, tc.name, err, tc.want)
		case err != nil && strings.HasPrefix(err.Error(), "glue:"):
			t.Errorf("ValidateName error %q carries a package prefix", err)
		}
	}
}

// Types from "Data types in Amazon Athena".
func TestValidateColumnType(t *testing.T) {
	valid := []string{"boolean", "tinyint", "smallint", "int", "integer", "bigint", "float", "double",
		"decimal", "decimal(10,2)", "decimal(38,0)", "decimal(5)", "char(10)", "varchar(65535)", "string", "binary",
		"date", "timestamp", "BIGINT", "array<string>", "map<string,array<int>>", "map<int,string>",
		"struct<a:int,b:struct<c:array<date>>>", "struct<zip code:string>", "array<struct<sku:string,qty:int>>"}
	for _, typ := range valid {
		if err := glue.ValidateColumnType(typ); err != nil {
			t.Errorf("ValidateColumnType(%q) = %v", typ, err)
		}
	}
	invalid := map[string]string{
		"":                       "empty",
		"long":                   "use bigint",
		"int64":                  "use bigint",
		"struct":                 "missing '<'",
		"struct<>":               "no fields",
		"array<>":                "want a type name",
		"array<int":              "missing '>'",
		"map<array<int>,string>": "not a primitive",
		"decimal(0,0)":           "precision",
		"decimal(10,11)":         "scale <= precision",
		"varchar":                "needs a length",
		"char(256)":              "1 to 255",
		"struct<a.b:int>":        "'.'",
		"struct<a:int,A:int>":    "appears twice",
		"uniontype<int,string>":  "use one of its branches",
		"array<string> ":         "after the type",
		"array< string>":         "want a type name",
		"struct<a:int,>":         "empty",
		strings.Repeat("array<", 101) + "int" + strings.Repeat(">", 101): "nested more than 100",
	}
	for typ, want := range invalid {
		err := glue.ValidateColumnType(typ)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateColumnType(%.40q) = %v, want an error containing %q", typ, err, want)
		}
	}
	if err := glue.ValidateColumnType(strings.Repeat("x", 131072+1)); err == nil || !strings.Contains(err.Error(), "131072") {
		t.Errorf("overlong type: %v", err)
	}
}
