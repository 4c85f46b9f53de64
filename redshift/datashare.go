package redshift

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/datablocks-go/datablocks"
)

// TableRef names a table or view in a schema.
type TableRef struct {
	Schema, Table string
}

// Datashare is the desired state of a producer datashare.
type Datashare struct {
	// Name is the datashare's name. Required.
	Name string
	// PreviousName, when set, is the share's former name: if a share of that name exists and
	// none named Name does, Ensure renames it, in one transaction: it creates Name with the
	// desired objects, grants it to the former share's consumers, and only then drops the
	// former share. Consumers in other accounts must authorize and associate the new ARN.
	PreviousName string
	// Schemas are shared (ALTER DATASHARE … ADD SCHEMA); a table's schema must be among them.
	Schemas []string
	// Tables are shared (ADD TABLE).
	Tables []TableRef
	// PubliclyAccessible lets the share reach publicly accessible clusters and workgroups.
	PubliclyAccessible bool
}

// Consumer is who a datashare is granted to: a namespace of the same account (Namespace),
// or another account (Account, optionally with one of its namespaces).
type Consumer struct {
	Namespace string
	Account   string
}

// DataSharing manages datashares with SQL run through a DataAPI on the producer (or consumer)
// database. Every method is idempotent: it reads the system views first and does only what is
// missing. Per-call options configure the DataAPI calls.
type DataSharing struct {
	d *DataAPI
}

// NewDataSharing returns a DataSharing running its SQL with d.
func NewDataSharing(d *DataAPI) *DataSharing {
	return &DataSharing{d: d}
}

func lowerSorted(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToLower(x)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// validate checks names by Ident's rules and returns the quoted share name and the desired
// objects: schema names and "schema.table" names, lower case as Redshift stores them.
func (ds Datashare) validate() (share string, schemas, tables []string, err error) {
	if share, err = ident(ds.Name); err != nil {
		return "", nil, nil, fmt.Errorf("redshift: Datashare.Name: %w", err)
	}
	if ds.PreviousName != "" {
		if _, err := ident(ds.PreviousName); err != nil {
			return "", nil, nil, fmt.Errorf("redshift: Datashare.PreviousName: %w", err)
		}
	}
	for _, s := range ds.Schemas {
		if _, err := ident(s); err != nil {
			return "", nil, nil, fmt.Errorf("redshift: Datashare.Schemas: %w", err)
		}
		schemas = append(schemas, s)
	}
	schemas = lowerSorted(schemas)
	for _, t := range ds.Tables {
		if _, err := qualifiedIdent(t.Schema, t.Table); err != nil {
			return "", nil, nil, fmt.Errorf("redshift: Datashare.Tables: %w", err)
		}
		if strings.Contains(t.Schema, ".") || strings.Contains(t.Table, ".") {
			return "", nil, nil, fmt.Errorf("redshift: Datashare.Tables: %s.%s: names with dots cannot be told apart in SVV_DATASHARE_OBJECTS", t.Schema, t.Table)
		}
		if !slices.Contains(schemas, strings.ToLower(t.Schema)) {
			return "", nil, nil, fmt.Errorf("redshift: Datashare.Tables: schema %q of table %q must be in Schemas", t.Schema, t.Table)
		}
		tables = append(tables, t.Schema+"."+t.Table)
	}
	return share, schemas, lowerSorted(tables), nil
}

// objectSQL returns ALTER DATASHARE statements adding (or removing) schemas and tables.
func objectSQL(share, verb string, schemas, tables []string) []string {
	var out []string
	add := func(kind, name string) {
		var q string
		if kind == "SCHEMA" {
			q, _ = ident(name)
		} else {
			s, t, _ := strings.Cut(name, ".")
			q, _ = qualifiedIdent(s, t)
		}
		out = append(out, fmt.Sprintf("ALTER DATASHARE %s %s %s %s", share, verb, kind, q))
	}
	if verb == "ADD" {
		for _, s := range schemas {
			add("SCHEMA", s)
		}
	}
	for _, t := range tables {
		add("TABLE", t)
	}
	if verb == "REMOVE" {
		for _, s := range schemas {
			add("SCHEMA", s)
		}
	}
	return out
}

// queryStrings runs a query and returns its rows as strings (NULL as "").
func (s *DataSharing) queryStrings(ctx context.Context, st Statement, optFns []func(*Options)) ([][]string, error) {
	rows, err := s.d.Query(ctx, st, optFns...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		rec := make([]string, len(rows.Values()))
		for i, v := range rows.Values() {
			if v != nil {
				rec[i] = fmt.Sprint(v)
			}
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// Ensure creates the datashare, renames it from PreviousName, or adds and removes what
// differs from the objects SVV_DATASHARE_OBJECTS lists. The statements of one call run as
// one batch (a transaction); more than 40 are refused.
func (s *DataSharing) Ensure(ctx context.Context, ds Datashare, optFns ...func(*Options)) (datablocks.Change, error) {
	share, schemas, tables, err := ds.validate()
	if err != nil {
		return datablocks.Change{}, err
	}
	name, prev := strings.ToLower(ds.Name), strings.ToLower(ds.PreviousName)
	if prev == "" {
		prev = name
	}
	found, err := s.queryStrings(ctx, Statement{
		SQL:    "select share_name, is_publicaccessible from svv_datashares where share_type = 'OUTBOUND' and share_name in (:name, :prev)",
		Params: []Param{{Name: "name", Value: name}, {Name: "prev", Value: prev}},
	}, optFns)
	if err != nil {
		return datablocks.Change{}, err
	}
	exists, prevExists, public := false, false, false
	for _, r := range found {
		if r[0] == name {
			exists, public = true, r[1] == "true"
		} else if r[0] == prev {
			prevExists = true
		}
	}
	create := "CREATE DATASHARE " + share
	if ds.PubliclyAccessible {
		create += " SET PUBLICACCESSIBLE TRUE"
	}
	var sqls []string
	var change datablocks.Change
	switch {
	case !exists && prevExists:
		consumers, err := s.queryStrings(ctx, Statement{
			SQL:    "select consumer_account, consumer_namespace from svv_datashare_consumers where share_name = :prev",
			Params: []Param{{Name: "prev", Value: prev}},
		}, optFns)
		if err != nil {
			return datablocks.Change{}, err
		}
		sqls = append([]string{create}, objectSQL(share, "ADD", schemas, tables)...)
		for _, c := range consumers {
			g, err := grantSQL(share, Consumer{Account: c[0], Namespace: c[1]})
			if err != nil {
				return datablocks.Change{}, err
			}
			sqls = append(sqls, g)
		}
		old, _ := ident(ds.PreviousName)
		sqls = append(sqls, "DROP DATASHARE "+old)
		change = datablocks.Change{Action: datablocks.Updated, Changed: []string{"Name"}}
	case !exists:
		sqls = append([]string{create}, objectSQL(share, "ADD", schemas, tables)...)
		change = datablocks.Change{Action: datablocks.Created}
	default:
		if prevExists && prev != name {
			return datablocks.Change{}, fmt.Errorf("redshift: datashares %s and %s both exist; drop the former yourself to finish a rename", ds.Name, ds.PreviousName)
		}
		objs, err := s.queryStrings(ctx, Statement{
			SQL:    "select object_type, object_name from svv_datashare_objects where share_type = 'OUTBOUND' and share_name = :name",
			Params: []Param{{Name: "name", Value: name}},
		}, optFns)
		if err != nil {
			return datablocks.Change{}, err
		}
		var haveSchemas, haveTables []string
		for _, o := range objs {
			switch o[0] {
			case "schema":
				haveSchemas = append(haveSchemas, strings.ToLower(o[1]))
			case "table", "view", "late binding view", "materialized view":
				haveTables = append(haveTables, strings.ToLower(o[1]))
			}
		}
		missing := func(want, have []string) []string {
			var out []string
			for _, w := range want {
				if !slices.Contains(have, w) {
					out = append(out, w)
				}
			}
			return out
		}
		sqls = append(sqls, objectSQL(share, "REMOVE", missing(haveSchemas, schemas), missing(haveTables, tables))...)
		sqls = append(sqls, objectSQL(share, "ADD", missing(schemas, haveSchemas), missing(tables, haveTables))...)
		if len(sqls) > 0 {
			change.Changed = append(change.Changed, "Objects")
		}
		if public != ds.PubliclyAccessible {
			sqls = append(sqls, fmt.Sprintf("ALTER DATASHARE %s SET PUBLICACCESSIBLE %t", share, ds.PubliclyAccessible))
			change.Changed = append(change.Changed, "PubliclyAccessible")
		}
		if len(sqls) == 0 {
			return datablocks.Change{Action: datablocks.Unchanged}, nil
		}
		change.Action = datablocks.Updated
	}
	if len(sqls) > maxBatchStatements {
		return datablocks.Change{}, fmt.Errorf("redshift: datashare %s needs %d statements, over the %d of one transaction; ensure it in steps", ds.Name, len(sqls), maxBatchStatements)
	}
	if _, err := s.d.RunBatch(ctx, sqls, nil, optFns...); err != nil {
		return datablocks.Change{}, err
	}
	return change, nil
}

// grantSQL builds GRANT USAGE ON DATASHARE for c, with the namespace and account quoted as
// literals (unquoted, Redshift reads a user name and refuses).
func grantSQL(share string, c Consumer) (string, error) {
	switch {
	case c.Account != "":
		if !datablocks.IsAccountID(c.Account) {
			return "", fmt.Errorf("redshift: Consumer.Account %q is not a 12-digit account ID", c.Account)
		}
		acct, _ := literal(c.Account)
		q := "GRANT USAGE ON DATASHARE " + share + " TO ACCOUNT " + acct
		if c.Namespace != "" {
			ns, err := literal(c.Namespace)
			if err != nil {
				return "", fmt.Errorf("redshift: Consumer.Namespace: %w", err)
			}
			q += " NAMESPACE " + ns
		}
		return q, nil
	case c.Namespace != "":
		ns, err := literal(c.Namespace)
		if err != nil {
			return "", fmt.Errorf("redshift: Consumer.Namespace: %w", err)
		}
		return "GRANT USAGE ON DATASHARE " + share + " TO NAMESPACE " + ns, nil
	}
	return "", errors.New("redshift: Consumer needs Namespace or Account")
}

// Grant grants usage of the datashare to c unless SVV_DATASHARE_CONSUMERS already lists it.
// A consumer in another account must then be authorized (AuthorizeDataShare) by the
// producer's account.
func (s *DataSharing) Grant(ctx context.Context, shareName string, c Consumer, optFns ...func(*Options)) (datablocks.Change, error) {
	share, err := ident(shareName)
	if err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: datashare name: %w", err)
	}
	q, err := grantSQL(share, c)
	if err != nil {
		return datablocks.Change{}, err
	}
	st := Statement{SQL: "select 1 from svv_datashare_consumers where share_name = :share", Params: []Param{{Name: "share", Value: strings.ToLower(shareName)}}}
	if c.Account != "" {
		st.SQL += " and consumer_account = :account"
		st.Params = append(st.Params, Param{Name: "account", Value: c.Account})
	}
	if c.Namespace != "" {
		st.SQL += " and consumer_namespace = :namespace"
		st.Params = append(st.Params, Param{Name: "namespace", Value: c.Namespace})
	}
	found, err := s.queryStrings(ctx, st, optFns)
	if err != nil {
		return datablocks.Change{}, err
	}
	if len(found) > 0 {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if _, err := s.d.Run(ctx, Statement{SQL: q}, optFns...); err != nil {
		return datablocks.Change{}, err
	}
	return datablocks.Change{Action: datablocks.Created}, nil
}

// Consumption is a consumer database made from a producer's datashare.
type Consumption struct {
	// Database is the consumer database to create. Required.
	Database string
	// Share is the datashare's name. Required.
	Share string
	// ProducerNamespace is the producer namespace ID. Required.
	ProducerNamespace string
	// ProducerAccount is the producer's account when it is another account.
	ProducerAccount string
}

// Consume creates the consumer database (CREATE DATABASE … FROM DATASHARE … OF [ACCOUNT …]
// NAMESPACE …) unless SVV_DATASHARES already lists it.
func (s *DataSharing) Consume(ctx context.Context, c Consumption, optFns ...func(*Options)) (datablocks.Change, error) {
	db, err := ident(c.Database)
	if err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: Consumption.Database: %w", err)
	}
	share, err := ident(c.Share)
	if err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: Consumption.Share: %w", err)
	}
	if c.ProducerNamespace == "" {
		return datablocks.Change{}, errors.New("redshift: Consumption.ProducerNamespace is required")
	}
	ns, err := literal(c.ProducerNamespace)
	if err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: Consumption.ProducerNamespace: %w", err)
	}
	of := "NAMESPACE " + ns
	if c.ProducerAccount != "" {
		if !datablocks.IsAccountID(c.ProducerAccount) {
			return datablocks.Change{}, fmt.Errorf("redshift: Consumption.ProducerAccount %q is not a 12-digit account ID", c.ProducerAccount)
		}
		acct, _ := literal(c.ProducerAccount)
		of = "ACCOUNT " + acct + " " + of
	}
	found, err := s.queryStrings(ctx, Statement{
		SQL:    "select share_name from svv_datashares where share_type = 'INBOUND' and consumer_database = :db",
		Params: []Param{{Name: "db", Value: strings.ToLower(c.Database)}},
	}, optFns)
	if err != nil {
		return datablocks.Change{}, err
	}
	if len(found) > 0 {
		if found[0][0] != strings.ToLower(c.Share) {
			return datablocks.Change{}, fmt.Errorf("redshift: database %s already exists from datashare %s, not %s", c.Database, found[0][0], c.Share)
		}
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if _, err := s.d.Run(ctx, Statement{SQL: "CREATE DATABASE " + db + " FROM DATASHARE " + share + " OF " + of}, optFns...); err != nil {
		return datablocks.Change{}, err
	}
	return datablocks.Change{Action: datablocks.Created}, nil
}

// DatashareARN returns the ARN of a datashare in the partition of region:
// arn:<partition>:redshift:<region>:<account>:datashare:<producer namespace>/<share>.
func DatashareARN(region, account, producerNamespace, share string) string {
	return datablocks.PartitionForRegion(region).ARN("redshift", region, account, "datashare:"+producerNamespace+"/"+share)
}
