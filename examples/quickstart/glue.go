package main

import (
	"context"
	"fmt"
	"io"
	"time"

	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

// glueStep registers an Avro schema and reads its columns, creates a governed Data Catalog
// table, and runs an ephemeral crawler, through the real Glue client.
func glueStep(ctx context.Context, w io.Writer, e *env) error {
	e.glue.ScriptCrawls("c_sales_orders", gluetest.CrawlScript{Duration: 90 * time.Second, TablesCreated: 1})
	client := awsglue.NewFromConfig(e.cfg)
	reg := glue.NewRegistry(client, func(o *glue.Options) { o.Wait = e.wait })
	v, err := reg.Register(ctx, glue.Schema{Name: "orders-value", DataFormat: types.DataFormatAvro, Definition: `{
		"type": "record", "name": "Order", "namespace": "com.acme",
		"fields": [
			{"name": "id", "type": "string"},
			{"name": "customer", "type": {"type": "record", "name": "Customer",
				"fields": [{"name": "email", "type": ["null", "string"], "default": null}]}},
			{"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}}]}`})
	if err != nil {
		return err
	}
	cols, err := glue.ParseSchema(v.DataFormat, v.Definition)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "schema orders-value v%d %s, columns:", v.Version, v.Status)
	for _, c := range cols {
		fmt.Fprintf(w, " %s:%s", c.Name, c.Type)
	}
	fmt.Fprintln(w)

	cat := glue.NewCatalog(client)
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
	pii, err := glue.NewCatalogReader(client).TablePII(ctx, "sales", "orders")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "table sales.orders: %s, then %s; PII columns %v\n", first, second, pii)

	res, err := glue.NewCrawlerRunner(client, func(o *glue.Options) { o.Wait = e.wait }).RunEphemeral(ctx, glue.EphemeralCrawler{
		Name: "c_sales_orders", Role: "AWSGlueServiceRole-sales", Database: "sales", S3Paths: []string{"s3://lake/sales/orders/"}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ephemeral crawler c_sales_orders: %s, %d table created, deleted=%v\n", res.Status, res.TablesCreated, res.Deleted)
	return nil
}
