package emr

// configure returns base with optFns applied, on a copy. own, if set, first gives the copy its
// own slices (ClientOptions), so that per-call options never change the helper's stored ones.
func configure[O any](base O, optFns []func(*O), own func(*O)) O {
	o := base
	if own != nil {
		own(&o)
	}
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}
