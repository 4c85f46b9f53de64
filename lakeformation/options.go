package lakeformation

import "slices"

// helperOptions is what every options struct of the package implements, so that one function
// applies functional options the same way for every helper.
type helperOptions[O any] interface {
	*O
	// cloneSlices gives the struct its own copies of its ClientOptions slices.
	cloneSlices()
}

// configure returns base with optFns applied, on a copy whose ClientOptions slices are its
// own, so that per-call options never change the helper's.
func configure[O any, P helperOptions[O]](base O, optFns []func(*O)) O {
	o := base
	P(&o).cloneSlices()
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}

func (o *GranterOptions) cloneSlices()     { o.ClientOptions = slices.Clone(o.ClientOptions) }
func (o *TagsOptions) cloneSlices()        { o.ClientOptions = slices.Clone(o.ClientOptions) }
func (o *SettingsOptions) cloneSlices()    { o.ClientOptions = slices.Clone(o.ClientOptions) }
func (o *SNSNotifierOptions) cloneSlices() { o.ClientOptions = slices.Clone(o.ClientOptions) }
func (o *PlannerOptions) cloneSlices()     { o.GranterOptions.cloneSlices() }
func (o *MeshOptions) cloneSlices() {
	o.GranterOptions.cloneSlices()
	o.GlueClientOptions = slices.Clone(o.GlueClientOptions)
}
func (o *SharingWorkflowOptions) cloneSlices() {
	o.GranterOptions.cloneSlices()
	o.GlueClientOptions = slices.Clone(o.GlueClientOptions)
}
func (o *ConsumerOptions) cloneSlices() {
	o.GranterOptions.cloneSlices()
	o.RAMClientOptions = slices.Clone(o.RAMClientOptions)
	o.GlueClientOptions = slices.Clone(o.GlueClientOptions)
}
