package redshifttest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// The fake keeps Redshift's datashare catalog in three tables of every database it prepares,
// named and shaped as Redshift's system views, so that queries of them run on PostgreSQL and
// datashare statements in a batch or a session roll back with the rest.
const datashareCatalog = `
CREATE TABLE IF NOT EXISTS public.svv_datashares (
	share_name varchar(128), share_id integer, share_owner integer, source_database varchar(128),
	consumer_database varchar(128), share_type varchar(8), createdate timestamp without time zone,
	is_publicaccessible boolean, share_acl varchar(256), producer_account varchar(16),
	producer_namespace varchar(64), managed_by varchar(64));
CREATE TABLE IF NOT EXISTS public.svv_datashare_objects (
	share_type varchar(8), share_name varchar(128), object_type varchar(64), object_name varchar(512),
	producer_account varchar(16), producer_namespace varchar(64), include_new boolean);
CREATE TABLE IF NOT EXISTS public.svv_datashare_consumers (
	share_name varchar(128), consumer_account varchar(16), consumer_namespace varchar(64),
	share_date timestamp without time zone);`

// namespaceID is the producer namespace ID of the datashares the fake's SQL creates.
const namespaceID = "a1b2c3d4-0000-4000-8000-00000000fa4e"

// token is one lexical token of a datashare statement.
type token struct {
	text   string // identifiers folded to lower case, literals unquoted
	quoted bool   // a quoted identifier
	str    bool   // a string literal
}

// lexDatashare splits a statement into words, quoted identifiers, string literals and the
// punctuation . , = ; (a trailing ; ends it).
func lexDatashare(sql string) ([]token, error) {
	var toks []token
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return toks, nil
			}
			i += j
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(sql); j++ {
				if sql[j] == c {
					if j+1 < len(sql) && sql[j+1] == c {
						b.WriteByte(c)
						j++
						continue
					}
					break
				}
				b.WriteByte(sql[j])
			}
			if j >= len(sql) {
				return nil, errors.New("ERROR: unterminated quoted string")
			}
			if c == '"' {
				// Redshift folds quoted identifiers too unless enable_case_sensitive_identifier is on.
				toks = append(toks, token{text: strings.ToLower(b.String()), quoted: true})
			} else {
				toks = append(toks, token{text: b.String(), str: true})
			}
			i = j + 1
		case c == '.' || c == ',' || c == '=' || c == ';':
			toks = append(toks, token{text: string(c)})
			i++
		case nameByte(c) || c >= 0x80 || c == '$':
			j := i
			for j < len(sql) && (nameByte(sql[j]) || sql[j] >= 0x80 || sql[j] == '$') {
				j++
			}
			toks = append(toks, token{text: strings.ToLower(sql[i:j])})
			i = j
		default:
			return nil, fmt.Errorf("ERROR: syntax error at or near %q", string(c))
		}
	}
	if n := len(toks); n > 0 && toks[n-1].text == ";" {
		toks = toks[:n-1]
	}
	return toks, nil
}

// dsParser reads a datashare statement's tokens.
type dsParser struct {
	toks []token
	i    int
}

func (p *dsParser) peek(words ...string) bool {
	for k, w := range words {
		if p.i+k >= len(p.toks) {
			return false
		}
		t := p.toks[p.i+k]
		if t.quoted || t.str || t.text != w {
			return false
		}
	}
	return true
}

func (p *dsParser) accept(words ...string) bool {
	if p.peek(words...) {
		p.i += len(words)
		return true
	}
	return false
}

func (p *dsParser) expect(words ...string) error {
	if !p.accept(words...) {
		return p.syntax()
	}
	return nil
}

func (p *dsParser) syntax() error {
	if p.i >= len(p.toks) {
		return errors.New("ERROR: syntax error at end of input")
	}
	return fmt.Errorf("ERROR: syntax error at or near %q", p.toks[p.i].text)
}

func (p *dsParser) ident() (string, error) {
	if p.i >= len(p.toks) {
		return "", p.syntax()
	}
	t := p.toks[p.i]
	if t.str || (!t.quoted && !(nameByte(t.text[0]) || t.text[0] >= 0x80)) {
		return "", p.syntax()
	}
	if len(t.text) > 127 {
		return "", fmt.Errorf("ERROR: identifier %q is longer than 127 bytes", t.text)
	}
	p.i++
	return t.text, nil
}

func (p *dsParser) literal() (string, bool) {
	if p.i < len(p.toks) && p.toks[p.i].str {
		p.i++
		return p.toks[p.i-1].text, true
	}
	return "", false
}

// qualified reads [schema.]table, defaulting the schema to public.
func (p *dsParser) qualified() (string, string, error) {
	a, err := p.ident()
	if err != nil {
		return "", "", err
	}
	if p.accept(".") {
		b, err := p.ident()
		return a, b, err
	}
	return "public", a, nil
}

func (p *dsParser) end() error {
	if p.i != len(p.toks) {
		return p.syntax()
	}
	return nil
}

// isDatashareSQL reports whether sql is a datashare statement the fake runs on its catalog.
func isDatashareSQL(sql string) bool {
	toks, err := lexDatashare(stripLeadingComments(sql))
	if err != nil || len(toks) < 2 {
		return false
	}
	p := &dsParser{toks: toks}
	switch {
	case p.peek("create", "datashare"), p.peek("alter", "datashare"), p.peek("drop", "datashare"),
		p.peek("show", "datashares"), p.peek("desc", "datashare"):
		return true
	case p.peek("grant", "usage", "on", "datashare"), p.peek("revoke", "usage", "on", "datashare"):
		return true
	case p.peek("create", "database"):
		for _, t := range toks {
			if !t.quoted && !t.str && t.text == "datashare" {
				return true
			}
		}
	}
	return false
}

// runDatashare runs a datashare statement on the catalog tables of conn's database.
func (f *Fake) runDatashare(ctx context.Context, conn *pgconn.PgConn, sql string, database string) (*result, error) {
	toks, err := lexDatashare(stripLeadingComments(sql))
	if err != nil {
		return nil, err
	}
	p := &dsParser{toks: toks}
	exec := func(q string, args ...string) (int64, error) {
		vals := make([][]byte, len(args))
		for i, a := range args {
			vals[i] = []byte(a)
		}
		tag, err := conn.ExecParams(ctx, q, vals, nil, nil, nil).Close()
		return tag.RowsAffected(), err
	}
	exists := func(share string) (bool, error) {
		n, err := exec("SELECT 1 FROM public.svv_datashares WHERE share_name = $1 AND share_type = 'OUTBOUND'", share)
		return n > 0, err
	}
	ns, acct := namespaceID, f.opts.AccountID
	switch {
	case p.accept("create", "datashare"):
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		public := "false"
		if p.accept("set") || p.peek("publicaccessible") {
			if err := p.expect("publicaccessible"); err != nil {
				return nil, err
			}
			p.accept("=")
			if public, err = p.boolean(); err != nil {
				return nil, err
			}
		}
		if err := p.end(); err != nil {
			return nil, err
		}
		if ok, err := exists(name); err != nil || ok {
			if err == nil {
				err = fmt.Errorf("ERROR: datashare %q already exists", name)
			}
			return nil, err
		}
		_, err = exec(`INSERT INTO public.svv_datashares VALUES ($1, (SELECT coalesce(max(share_id), 100000) + 1 FROM public.svv_datashares), 100,
			$2, NULL, 'OUTBOUND', now() AT TIME ZONE 'UTC', $3::boolean, NULL, $4, $5, NULL)`, name, database, public, acct, ns)
		return &result{}, err
	case p.accept("alter", "datashare"):
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if ok, err := exists(name); err != nil || !ok {
			if err == nil {
				err = fmt.Errorf("ERROR: datashare %q does not exist", name)
			}
			return nil, err
		}
		if p.accept("set") {
			if err := p.expect("publicaccessible"); err != nil {
				return nil, err
			}
			p.accept("=")
			v, err := p.boolean()
			if err != nil {
				return nil, err
			}
			if err := p.end(); err != nil {
				return nil, err
			}
			_, err = exec("UPDATE public.svv_datashares SET is_publicaccessible = $2::boolean WHERE share_name = $1 AND share_type = 'OUTBOUND'", name, v)
			return &result{}, err
		}
		add := p.accept("add")
		if !add && !p.accept("remove") {
			return nil, p.syntax()
		}
		type object struct{ kind, name string }
		var objs []object
		switch {
		case p.accept("schema"):
			s, err := p.ident()
			if err != nil {
				return nil, err
			}
			objs = append(objs, object{"schema", s})
		case p.accept("all", "tables", "in", "schema"):
			s, err := p.ident()
			if err != nil {
				return nil, err
			}
			rr := conn.ExecParams(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", [][]byte{[]byte(s)}, nil, nil, nil)
			for rr.NextRow() {
				objs = append(objs, object{"table", s + "." + string(rr.Values()[0])})
			}
			if _, err := rr.Close(); err != nil {
				return nil, err
			}
		case p.accept("table"):
			for {
				s, t, err := p.qualified()
				if err != nil {
					return nil, err
				}
				objs = append(objs, object{"table", s + "." + t})
				if !p.accept(",") {
					break
				}
			}
		default:
			return nil, p.syntax()
		}
		if err := p.end(); err != nil {
			return nil, err
		}
		for _, o := range objs {
			n, err := exec("SELECT 1 FROM public.svv_datashare_objects WHERE share_name = $1 AND object_type = $2 AND object_name = $3", name, o.kind, o.name)
			if err != nil {
				return nil, err
			}
			switch {
			case add && n > 0:
				return nil, fmt.Errorf("ERROR: %s %s is already in datashare %s", o.kind, o.name, name)
			case !add && n == 0:
				return nil, fmt.Errorf("ERROR: %s %s is not in datashare %s", o.kind, o.name, name)
			case !add:
				if _, err := exec("DELETE FROM public.svv_datashare_objects WHERE share_name = $1 AND object_type = $2 AND object_name = $3", name, o.kind, o.name); err != nil {
					return nil, err
				}
				continue
			}
			schema, _, _ := strings.Cut(o.name, ".")
			if o.kind == "schema" {
				if n, err := exec("SELECT 1 FROM pg_namespace WHERE nspname = $1", o.name); err != nil || n == 0 {
					if err == nil {
						err = fmt.Errorf("ERROR: schema %q does not exist", o.name)
					}
					return nil, err
				}
			} else {
				s, t, _ := strings.Cut(o.name, ".")
				if n, err := exec("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2 UNION ALL SELECT 1 FROM pg_views WHERE schemaname = $1 AND viewname = $2", s, t); err != nil || n == 0 {
					if err == nil {
						err = fmt.Errorf("ERROR: relation %q does not exist", o.name)
					}
					return nil, err
				}
				if n, err := exec("SELECT 1 FROM public.svv_datashare_objects WHERE share_name = $1 AND object_type = 'schema' AND object_name = $2", name, schema); err != nil || n == 0 {
					if err == nil {
						err = fmt.Errorf("ERROR: schema %q of %s must be added to datashare %s first", schema, o.name, name)
					}
					return nil, err
				}
			}
			if _, err := exec("INSERT INTO public.svv_datashare_objects VALUES ('OUTBOUND', $1, $2, $3, $4, $5, NULL)", name, o.kind, o.name, acct, ns); err != nil {
				return nil, err
			}
		}
		return &result{}, nil
	case p.accept("drop", "datashare"):
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.end(); err != nil {
			return nil, err
		}
		n, err := exec("DELETE FROM public.svv_datashares WHERE share_name = $1 AND share_type = 'OUTBOUND'", name)
		if err == nil && n == 0 {
			err = fmt.Errorf("ERROR: datashare %q does not exist", name)
		}
		if err != nil {
			return nil, err
		}
		if _, err := exec("DELETE FROM public.svv_datashare_objects WHERE share_name = $1", name); err != nil {
			return nil, err
		}
		_, err = exec("DELETE FROM public.svv_datashare_consumers WHERE share_name = $1", name)
		return &result{}, err
	case p.peek("grant"), p.peek("revoke"):
		grant := p.accept("grant")
		p.accept("revoke")
		if err := p.expect("usage", "on", "datashare"); err != nil {
			return nil, err
		}
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if grant {
			err = p.expect("to")
		} else {
			err = p.expect("from")
		}
		if err != nil {
			return nil, err
		}
		var consumerAcct, consumerNS string
		switch {
		case p.accept("namespace"):
			v, ok := p.literal()
			if !ok {
				// Unquoted, Redshift parses a user name (PostgreSQL-style grantee).
				return nil, errors.New("ERROR: USAGE cannot be granted to users and groups on a datashare")
			}
			consumerNS = v
		case p.accept("account"):
			v, ok := p.literal()
			if !ok || !isAccountID(v) {
				return nil, errors.New("ERROR: ACCOUNT must be a quoted 12-digit AWS account ID")
			}
			consumerAcct = v
			if p.accept("namespace") {
				ns, ok := p.literal()
				if !ok {
					return nil, p.syntax()
				}
				consumerNS = ns
			}
		default:
			return nil, errors.New("ERROR: USAGE cannot be granted to users and groups on a datashare")
		}
		p.accept("via", "data", "catalog")
		if err := p.end(); err != nil {
			return nil, err
		}
		if ok, err := exists(name); err != nil || !ok {
			if err == nil {
				err = fmt.Errorf("ERROR: datashare %q does not exist", name)
			}
			return nil, err
		}
		if grant {
			n, err := exec("SELECT 1 FROM public.svv_datashare_consumers WHERE share_name = $1 AND coalesce(consumer_account, '') = $2 AND coalesce(consumer_namespace, '') = $3", name, consumerAcct, consumerNS)
			if err != nil || n > 0 {
				return &result{}, err // granting again changes nothing
			}
			_, err = exec("INSERT INTO public.svv_datashare_consumers VALUES ($1, nullif($2, ''), nullif($3, ''), now() AT TIME ZONE 'UTC')", name, consumerAcct, consumerNS)
			return &result{}, err
		}
		_, err = exec("DELETE FROM public.svv_datashare_consumers WHERE share_name = $1 AND coalesce(consumer_account, '') = $2 AND coalesce(consumer_namespace, '') = $3", name, consumerAcct, consumerNS)
		return &result{}, err
	case p.accept("create", "database"):
		db, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expect("from", "datashare"); err != nil {
			return nil, err
		}
		share, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expect("of"); err != nil {
			return nil, err
		}
		prodAcct := ""
		if p.accept("account") {
			v, ok := p.literal()
			if !ok || !isAccountID(v) {
				return nil, errors.New("ERROR: ACCOUNT must be a quoted 12-digit AWS account ID")
			}
			prodAcct = v
		}
		if err := p.expect("namespace"); err != nil {
			return nil, err
		}
		prodNS, ok := p.literal()
		if !ok {
			return nil, p.syntax()
		}
		if err := p.end(); err != nil {
			return nil, err
		}
		if n, err := exec("SELECT 1 FROM public.svv_datashares WHERE consumer_database = $1", db); err != nil || n > 0 {
			if err == nil {
				err = fmt.Errorf("ERROR: database %q already exists", db)
			}
			return nil, err
		}
		if prodAcct == "" {
			prodAcct = acct
		}
		_, err = exec(`INSERT INTO public.svv_datashares VALUES ($1, (SELECT coalesce(max(share_id), 100000) + 1 FROM public.svv_datashares), 100,
			NULL, $2, 'INBOUND', now() AT TIME ZONE 'UTC', false, NULL, $3, $4, NULL)`, share, db, prodAcct, prodNS)
		return &result{}, err
	case p.accept("show", "datashares"):
		q := "SELECT share_name, share_owner, source_database, consumer_database, share_type, createdate, is_publicaccessible, share_acl, producer_account, producer_namespace, managed_by FROM public.svv_datashares"
		var args [][]byte
		if p.accept("like") {
			v, ok := p.literal()
			if !ok {
				return nil, p.syntax()
			}
			q += " WHERE share_name LIKE $1"
			args = append(args, []byte(v))
		}
		if err := p.end(); err != nil {
			return nil, err
		}
		return f.query(ctx, conn, q+" ORDER BY share_name", args)
	case p.accept("desc", "datashare"):
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.end(); err != nil {
			return nil, err
		}
		return f.query(ctx, conn, "SELECT producer_account, producer_namespace, share_type, share_name, object_type, object_name, include_new FROM public.svv_datashare_objects WHERE share_name = $1 ORDER BY object_type, object_name", [][]byte{[]byte(name)})
	}
	return nil, p.syntax()
}

func (p *dsParser) boolean() (string, error) {
	switch {
	case p.accept("true"):
		return "true", nil
	case p.accept("false"):
		return "false", nil
	}
	return "", p.syntax()
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
