package gluetest_test

import (
	"time"

	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/glue/internal/conformance"
)

var time0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// The fake satisfies every client interface of package glue; the assertions live in a test
// file so that package gluetest never imports the package it fakes.
var (
	_ glue.CatalogAPIClient       = (*gluetest.Fake)(nil)
	_ glue.CatalogReaderAPIClient = (*gluetest.Fake)(nil)
	_ glue.RegistryAPIClient      = (*gluetest.Fake)(nil)
	_ glue.CrawlerAPIClient       = (*gluetest.Fake)(nil)
	_ glue.JobRunAPIClient        = (*gluetest.Fake)(nil)
	_ glue.WorkflowRunAPIClient   = (*gluetest.Fake)(nil)
	_ conformance.Client          = (*gluetest.Fake)(nil)
)
