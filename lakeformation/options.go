package lakeformation

import (
	"fmt"
	"slices"
	"strings"
)

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

func (o *TagsOptions) cloneSlices()        { o.ClientOptions = slices.Clone(o.ClientOptions) }
func (o *SettingsOptions) cloneSlices()    { o.ClientOptions = slices.Clone(o.ClientOptions) }
func (o *SNSNotifierOptions) cloneSlices() { o.ClientOptions = slices.Clone(o.ClientOptions) }
func (o *PlannerOptions) cloneSlices()     { o.ClientOptions = slices.Clone(o.ClientOptions) }
func (o *MeshOptions) cloneSlices() {
	o.PlannerOptions.cloneSlices()
	o.GlueClientOptions = slices.Clone(o.GlueClientOptions)
}
func (o *SharingWorkflowOptions) cloneSlices() {
	o.PlannerOptions.cloneSlices()
	o.GlueClientOptions = slices.Clone(o.GlueClientOptions)
}
func (o *ConsumerOptions) cloneSlices() {
	o.PlannerOptions.cloneSlices()
	o.RAMClientOptions = slices.Clone(o.RAMClientOptions)
	o.GlueClientOptions = slices.Clone(o.GlueClientOptions)
}

// prefixedError carries the package prefix once: the message of the error it wraps loses its
// own "lakeformation: " or "datablocks: " prefix, the chain keeps the error.
type prefixedError struct {
	msg string
	err error
}

func (e *prefixedError) Error() string { return e.msg }
func (e *prefixedError) Unwrap() error { return e.err }

// wrapf returns err in context: "lakeformation: <context>: <err without its prefix>".
func wrapf(err error, format string, args ...any) error {
	m := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "lakeformation: "), "datablocks: ")
	return &prefixedError{msg: "lakeformation: " + fmt.Sprintf(format, args...) + ": " + m, err: err}
}
