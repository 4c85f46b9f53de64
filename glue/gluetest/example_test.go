package gluetest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

// A pipeline's crawler step, tested without AWS: a scripted failure, a throttled poll, and the
// ephemeral crawler deleted anyway.
func ExampleFake_ScriptCrawls() {
	fake := gluetest.New() // runs on its own clock, which the runner waits by
	fake.ScriptCrawls("c_tmp", gluetest.CrawlScript{Duration: 5 * time.Minute, Status: types.LastCrawlStatusFailed,
		ErrorMessage: "Insufficient Lake Formation permission(s) on sales"})
	fake.ThrottleNext(gluetest.OpGetCrawler, 1)

	runner := glue.NewCrawlerRunner(fake)
	res, err := runner.RunEphemeral(context.Background(), glue.EphemeralCrawler{
		Name: "c_tmp", Role: "crawler-role", Database: "sales", S3Paths: []string{"s3://lake/sales/"}})
	fmt.Println(err)
	fmt.Println("deleted:", res.Deleted, "calls:", fake.Count(gluetest.OpDeleteCrawler), "throttled polls retried:", fake.Count(gluetest.OpGetCrawler) > 1)
	// Output:
	// glue: crawler c_tmp: crawl FAILED: Insufficient Lake Formation permission(s) on sales (logs: /aws-glue/crawlers c_tmp)
	// deleted: true calls: 1 throttled polls retried: true
}
