package redshift_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

func sharedObjects(t *testing.T, d *redshift.DataAPI, share string) []string {
	t.Helper()
	rows, err := d.Query(context.Background(), redshift.Statement{
		SQL: "select object_type || ':' || object_name from svv_datashare_objects where share_name = :s order by 1", Params: []redshift.Param{{Name: "s", Value: share}}})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		out = append(out, rows.Values()[0].(string))
	}
	return out
}

func TestDatashareEnsureGrantConsume(t *testing.T) {
	f := newFake(t)
	d := redshift.NewDataAPI(f, newTarget())
	ctx := context.Background()
	mustExec(t, d, "create schema sales")
	mustExec(t, d, "create table sales.orders (id int)")
	mustExec(t, d, "create table sales.customers (id int)")
	mustExec(t, d, `create schema "odd ""schema"""`) // PostgreSQL keeps the case of quoted names; Redshift folds them
	s := redshift.NewDataSharing(d)

	ds := redshift.Datashare{Name: "sales_share", Schemas: []string{"sales"}, Tables: []redshift.TableRef{{Schema: "sales", Table: "orders"}}}
	ch, err := s.Ensure(ctx, ds)
	if err != nil || ch.Action != datablocks.Created {
		t.Fatalf("create: %v %v", ch, err)
	}
	if ch, err = s.Ensure(ctx, ds); err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("re-run: %v %v", ch, err)
	}
	ds.Tables = []redshift.TableRef{{Schema: "sales", Table: "customers"}}
	ds.Schemas = append(ds.Schemas, `odd "schema"`)
	ch, err = s.Ensure(ctx, ds)
	if err != nil || ch.Action != datablocks.Updated || !reflect.DeepEqual(ch.Changed, []string{"Objects"}) {
		t.Fatalf("update: %v %v", ch, err)
	}
	want := []string{`schema:odd "schema"`, "schema:sales", "table:sales.customers"}
	if got := sharedObjects(t, d, "sales_share"); !reflect.DeepEqual(got, want) {
		t.Errorf("objects %q, want %q", got, want)
	}

	if ch, err = s.Grant(ctx, "sales_share", redshift.Consumer{Namespace: "b1b2c3d4-1111-4000-8000-000000000001"}); err != nil || ch.Action != datablocks.Created {
		t.Fatalf("grant: %v %v", ch, err)
	}
	if ch, err = s.Grant(ctx, "sales_share", redshift.Consumer{Namespace: "b1b2c3d4-1111-4000-8000-000000000001"}); err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("grant again: %v %v", ch, err)
	}
	if ch, err = s.Grant(ctx, "sales_share", redshift.Consumer{Account: "210987654321"}); err != nil || ch.Action != datablocks.Created {
		t.Fatalf("grant to account: %v %v", ch, err)
	}

	// Rename: the new share exists with the objects and grants before the old one goes.
	ren := redshift.Datashare{Name: "sales_v2", PreviousName: "sales_share", Schemas: []string{"sales"}, Tables: []redshift.TableRef{{Schema: "sales", Table: "orders"}}}
	ch, err = s.Ensure(ctx, ren)
	if err != nil || ch.Action != datablocks.Updated || !reflect.DeepEqual(ch.Changed, []string{"Name"}) {
		t.Fatalf("rename: %v %v", ch, err)
	}
	if got := sharedObjects(t, d, "sales_v2"); !reflect.DeepEqual(got, []string{"schema:sales", "table:sales.orders"}) {
		t.Errorf("renamed share objects %q", got)
	}
	if got := sharedObjects(t, d, "sales_share"); len(got) != 0 {
		t.Errorf("old share still has objects %q", got)
	}
	rows, err := d.Query(ctx, redshift.Statement{SQL: "select count(*) from svv_datashare_consumers where share_name = 'sales_v2'"})
	if err != nil || !rows.Next() || rows.Values()[0] != int64(2) {
		t.Errorf("consumers of the renamed share: %v %v", rows.Values(), err)
	}
	if ch, err = s.Ensure(ctx, ren); err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("rename re-run: %v %v", ch, err)
	}

	c := redshift.Consumption{Database: "sales_consumer", Share: "sales_v2", ProducerNamespace: "a1b2c3d4-0000-4000-8000-00000000fa4e", ProducerAccount: "123456789012"}
	if ch, err = s.Consume(ctx, c); err != nil || ch.Action != datablocks.Created {
		t.Fatalf("consume: %v %v", ch, err)
	}
	if ch, err = s.Consume(ctx, c); err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("consume again: %v %v", ch, err)
	}

	// A table whose schema is not shared is refused before any call.
	f.ResetCalls()
	if _, err := s.Ensure(ctx, redshift.Datashare{Name: "x", Tables: []redshift.TableRef{{Schema: "sales", Table: "orders"}}}); err == nil {
		t.Error("table without its schema: no error")
	}
	if len(f.Calls()) != 0 {
		t.Error("calls made for invalid input")
	}
}

// TestDatashareSQLText pins the generated SQL: identifiers quoted, namespace and account as
// literals.
func TestDatashareSQLText(t *testing.T) {
	f := newFake(t)
	d := redshift.NewDataAPI(f, newTarget())
	mustExec(t, d, `create schema "we""ird"`)
	mustExec(t, d, `create table "we""ird"."t 1" (id int)`)
	var sqls []string
	f.KeepControl(redshifttest.OpBatchExecuteStatement, func(in any) (any, error, bool) {
		sqls = append(sqls, in.(*redshiftdata.BatchExecuteStatementInput).Sqls...)
		return nil, nil, false
	})
	f.KeepControl(redshifttest.OpExecuteStatement, func(in any) (any, error, bool) {
		if q := *in.(*redshiftdata.ExecuteStatementInput).Sql; !strings.HasPrefix(q, "select") {
			sqls = append(sqls, q)
		}
		return nil, nil, false
	})
	s := redshift.NewDataSharing(d)
	ctx := context.Background()
	if _, err := s.Ensure(ctx, redshift.Datashare{Name: `Share"X`, Schemas: []string{`we"ird`}, Tables: []redshift.TableRef{{Schema: `we"ird`, Table: "t 1"}}, PubliclyAccessible: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Grant(ctx, `Share"X`, redshift.Consumer{Account: "210987654321", Namespace: "ns-'x"}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`CREATE DATASHARE "Share""X" SET PUBLICACCESSIBLE TRUE`,
		`ALTER DATASHARE "Share""X" ADD SCHEMA "we""ird"`,
		`ALTER DATASHARE "Share""X" ADD TABLE "we""ird"."t 1"`,
		`GRANT USAGE ON DATASHARE "Share""X" TO ACCOUNT '210987654321' NAMESPACE 'ns-''x'`,
	}
	if !reflect.DeepEqual(sqls, want) {
		t.Errorf("SQL:\n%s\nwant:\n%s", strings.Join(sqls, "\n"), strings.Join(want, "\n"))
	}
	if arn := redshift.DatashareARN("cn-north-1", "123456789012", "ns-1", "s"); arn != "arn:aws-cn:redshift:cn-north-1:123456789012:datashare:ns-1/s" {
		t.Errorf("DatashareARN = %s", arn)
	}
}
