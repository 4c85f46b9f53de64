package glue

import (
	"slices"

	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
)

// helperOptions is what every options struct of the package implements, so that one function
// applies functional options the same way for every helper.
type helperOptions[O any] interface {
	*O
	// clientOptions points at the struct's ClientOptions.
	clientOptions() *[]func(*awsglue.Options)
}

// configure returns base with optFns applied, on a copy whose ClientOptions slice is its own,
// so that per-call options never change the helper's.
func configure[O any, P helperOptions[O]](base O, optFns []func(*O)) O {
	o := base
	client := P(&o).clientOptions()
	*client = slices.Clone(*client)
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}

func (o *CatalogOptions) clientOptions() *[]func(*awsglue.Options)        { return &o.ClientOptions }
func (o *CatalogReaderOptions) clientOptions() *[]func(*awsglue.Options)  { return &o.ClientOptions }
func (o *RegistryOptions) clientOptions() *[]func(*awsglue.Options)       { return &o.ClientOptions }
func (o *CrawlerRunnerOptions) clientOptions() *[]func(*awsglue.Options)  { return &o.ClientOptions }
func (o *JobRunnerOptions) clientOptions() *[]func(*awsglue.Options)      { return &o.ClientOptions }
func (o *WorkflowRunnerOptions) clientOptions() *[]func(*awsglue.Options) { return &o.ClientOptions }
