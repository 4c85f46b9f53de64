package redshifttest

import (
	"strings"
	"testing"
)

// FuzzDatashareLexer checks that lexing any text never panics, that quoted identifiers and
// literals keep their content (doubled quotes undone) and that words fold to lower case.
func FuzzDatashareLexer(f *testing.F) {
	for _, s := range []string{
		`CREATE DATASHARE "Sales""X" SET PUBLICACCESSIBLE = TRUE;`,
		`GRANT USAGE ON DATASHARE s TO NAMESPACE 'ns-''1'`,
		`create database d from datashare s of account '123456789012' namespace 'n'`,
		`ALTER DATASHARE s ADD TABLE a.b, "c"."d" -- x`, "'", `"`, "é$x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		toks, err := lexDatashare(sql)
		_ = isDatashareSQL(sql)
		if err != nil {
			return
		}
		for _, tok := range toks {
			switch {
			case tok.str, tok.quoted:
			case tok.text != strings.ToLower(tok.text):
				t.Fatalf("word %q not folded", tok.text)
			case tok.text == "":
				t.Fatalf("empty token in %q", sql)
			}
		}
	})
}
