package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

// glueStep registers an Avro schema and reads its columns, creates a governed Data Catalog
// table, and runs an ephemeral crawler, all against the in-memory Glue of package gluetest.
func glueStep(ctx context.Context, w io.Writer) error {
	clock := datablocks.NewManualClock(time.Time{})
	fake := gluetest.New(func(o *gluetest.Options) { o.Clock = clock })
	fake.ScriptCrawls("c_sales_orders", gluetest.CrawlScript{Duration: 90 * time.Second, TablesCreated: 1})
	wait := datablocks.WaitOptions{Clock: clock}

	reg := glue.NewRegistry(fake, func(o *glue.RegistryOptions) { o.Wait = wait })
	v, err := reg.Register(ctx, glue.RegisterInput{Name: "orders-value", DataFormat: types.DataFormatAvro, Definition: `{
		"type": "record", "name": "Order", "namespace": "com.acme",
		"fields": [
			{"name": "id", "type": "string"},
			{"name": "customer", "type": {"type": "record", "name": "Customer",
				"fields": [{"name": "email", "type": ["null", "string"], "default": null}]}},
			{"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}}]}`})
	if err != nil {
		return err
	}
	cols, err := v.Columns()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "schema orders-value v%d %s, columns:", v.Number, v.Status)
	for _, c := range cols {
		fmt.Fprintf(w, " %s:%s", c.Name, c.Type)
	}
	fmt.Fprintln(w)

	cat := glue.NewCatalog(fake)
	if _, err := cat.EnsureDatabase(ctx, glue.Database{Name: "sales", LocationURI: "s3://lake/sales/", LakeFormation: true,
		Governance: glue.Governance{DataOwner: "111122223333", DataOwnerName: "sales-team"}}); err != nil {
		return err
	}
	table := glue.Table{Database: "sales", Name: "orders", Location: "s3://lake/sales/orders/", Format: glue.FormatParquet,
		Columns:       []glue.Column{{Name: "id", Type: "string"}, {Name: "email", Type: "string", PII: true}, {Name: "total", Type: "decimal(10,2)"}},
		PartitionKeys: []glue.Column{{Name: "dt", Type: "string"}}}
	first, err := cat.EnsureTable(ctx, table)
	if err != nil {
		return err
	}
	second, err := cat.EnsureTable(ctx, table)
	if err != nil {
		return err
	}
	pii, err := glue.NewCatalogReader(fake).TablePII(ctx, "sales", "orders")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "table sales.orders: %s, then %s; PII columns %v\n", first, second, pii.Columns)

	res, err := glue.NewCrawlerRunner(fake, func(o *glue.CrawlerRunnerOptions) { o.Wait = wait }).RunEphemeral(ctx, glue.EphemeralCrawler{
		Name: "c_sales_orders", Role: "AWSGlueServiceRole-sales", Database: "sales", S3Paths: []string{"s3://lake/sales/orders/"}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ephemeral crawler %s: %s, %d table created, deleted=%v\n", res.Crawler, res.Status, res.TablesCreated, res.Deleted)
	return nil
}
