// Command redshift-sql uses Amazon Redshift through database/sql with the Data API driver of
// package redshift: it creates a table, inserts rows in a transaction (a real one, on a Data
// API session), runs a parametrized query and streams a large result page by page.
//
// By default it runs locally: a private PostgreSQL (the Debian package postgresql must be
// installed) under the redshifttest Data API fake, served by localaws and reached through the
// real redshiftdata client, on the fake's simulated clock:
//
//	go run ./examples/redshift-sql
//
// With -aws it uses the default credential chain and region against a Serverless workgroup
// (IAM authentication, or -secret-arn):
//
//	go run ./examples/redshift-sql -aws -workgroup analytics -database dev
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"

	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

type flags struct {
	aws       bool
	workgroup string
	database  string
	secretARN string
	digits    int
	timeout   time.Duration
}

func main() {
	var f flags
	flag.BoolVar(&f.aws, "aws", false, "run on AWS instead of the local fake")
	flag.StringVar(&f.workgroup, "workgroup", "", "Redshift Serverless workgroup name or ARN (with -aws)")
	flag.StringVar(&f.database, "database", "dev", "database")
	flag.StringVar(&f.secretARN, "secret-arn", "", "Secrets Manager secret with the database credentials (with -aws; empty means IAM)")
	flag.IntVar(&f.digits, "digits", 5, "stream 10^digits rows (1 to 7)")
	flag.DurationVar(&f.timeout, "timeout", 15*time.Minute, "bound on the whole run")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	if err := run(ctx, os.Stdout, f); err != nil {
		fmt.Fprintln(os.Stderr, "redshift-sql:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, f flags) error {
	if f.digits < 1 || f.digits > 7 {
		return fmt.Errorf("-digits %d must be between 1 and 7", f.digits)
	}
	var (
		cfg    aws.Config
		target = redshift.Target{Workgroup: f.workgroup, Database: f.database, SecretARN: f.secretARN}
		opts   []func(*redshift.Options)
	)
	if f.aws {
		if f.workgroup == "" {
			return errors.New("-aws needs -workgroup")
		}
		var err error
		if cfg, err = config.LoadDefaultConfig(ctx); err != nil {
			return err
		}
	} else {
		pg, err := redshifttest.StartPostgres(ctx)
		if err != nil {
			return fmt.Errorf("the local run needs PostgreSQL: %w", err)
		}
		defer pg.Close()
		fake := redshifttest.New(func(o *redshifttest.Options) { o.ConnString = pg.ConnString })
		defer fake.Close()
		srv, err := localaws.Start([]localaws.Service{fake.Service()})
		if err != nil {
			return err
		}
		defer srv.Close()
		cfg = srv.Config()
		target = redshift.Target{Workgroup: "local", Database: f.database}
		// The fake's statements take time on its simulated clock; waiting on that clock makes
		// the local run instant.
		opts = append(opts, func(o *redshift.Options) { o.Wait.Clock = fake.Clock() })
		fmt.Fprintln(w, "(local: PostgreSQL under the Data API fake, through localaws; run with -aws for Redshift)")
	}
	db := sql.OpenDB(redshift.NewConnector(redshift.NewDataAPI(redshiftdata.NewFromConfig(cfg), target, opts...)))
	defer db.Close()

	for _, q := range []string{
		"drop table if exists redshift_sql_example",
		"create table redshift_sql_example (id int, name varchar(64), amount numeric(10,2), at timestamp)",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "created table redshift_sql_example")

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	at := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	names := []string{"Ada", "O'Brien", "Zoë", "Robert'); drop table students;--"}
	for i, name := range names {
		_, err := tx.ExecContext(ctx, "insert into redshift_sql_example values (:id, :name, :amount, :at)",
			sql.Named("id", i+1), sql.Named("name", name), sql.Named("amount", fmt.Sprintf("%d.%02d", 10*(i+1), i)), sql.Named("at", at.Add(time.Duration(i)*time.Hour)))
		if err != nil {
			tx.Rollback()
			return err
		}
	}
	// Inside the transaction its rows are visible; outside, not yet.
	var inside, outside int
	if err := tx.QueryRowContext(ctx, "select count(*) from redshift_sql_example").Scan(&inside); err != nil {
		tx.Rollback()
		return err
	}
	if err := db.QueryRowContext(ctx, "select count(*) from redshift_sql_example").Scan(&outside); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(w, "inserted %d rows in a transaction (seen inside: %d, outside before commit: %d)\n", len(names), inside, outside)

	rows, err := db.QueryContext(ctx, "select id, name, amount, at from redshift_sql_example where amount >= :min order by id", sql.Named("min", "20"))
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int
		var name, amount string
		var when time.Time
		if err := rows.Scan(&id, &name, &amount, &when); err != nil {
			rows.Close()
			return err
		}
		fmt.Fprintf(w, "  %d %-36q %7s %s\n", id, name, amount, when.Format(time.DateTime))
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}

	// 10^digits rows from cross joins of ten digits: plain SQL that Redshift and PostgreSQL
	// both run, read page by page.
	var sel, from []string
	for i := range f.digits {
		sel = append(sel, fmt.Sprintf("d%d.x * %d", i, pow10(i)))
		from = append(from, fmt.Sprintf("digits d%d", i))
	}
	q := "with digits as (select 0 as x union all select 1 union all select 2 union all select 3 union all select 4 " +
		"union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) " +
		"select " + strings.Join(sel, " + ") + " as n from " + strings.Join(from, ", ")
	start := time.Now()
	big, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	var count, sum int64
	for big.Next() {
		var n int64
		if err := big.Scan(&n); err != nil {
			big.Close()
			return err
		}
		count++
		sum += n
	}
	if err := big.Err(); err != nil {
		return err
	}
	big.Close()
	fmt.Fprintf(w, "streamed %d rows (sum %d) in %s\n", count, sum, time.Since(start).Round(time.Millisecond))
	return nil
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}
