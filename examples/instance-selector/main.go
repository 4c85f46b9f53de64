// Command instance-selector picks EC2 instance types by attributes with EC2's attribute-based
// selection semantics, evaluated locally, and prints them as names, a table, JSON, an EMR
// instance fleet or a Karpenter NodePool. Flags are named like amazon-ec2-instance-selector's
// where the concepts match; allow and deny lists take ABS `*` wildcards, not regular expressions.
// Enum values are case-insensitive (--gpu-manufacturer NVIDIA); --vcpus, --memory and --gpus
// give exact values; memory is in GiB; bad input is a one-line error naming the flag.
//
//	go run ./examples/instance-selector --vcpus-min 4 --vcpus-max 16 --memory-per-vcpu-min 2 \
//	    --memory-per-vcpu-max 8 --current-generation -o table
//	go run ./examples/instance-selector --catalog us-east-1.json --explain t3.xlarge --vcpus-min 4
//	go run ./examples/instance-selector -aws --vcpus-min 8 -o emr-fleet
//
// The default output is one name per line in the catalog's order: by family, then size (vCPUs,
// memory), then name.
//
// It builds its EC2 client from an aws.Config only. By default that configuration reaches a
// local EC2 endpoint (package localaws) serving the instancestest fake with its sample of 23
// real us-east-1 types, so it needs no AWS account; --cross-check then compares with the fake's
// own evaluation of the requirements. With -aws the configuration comes from
// config.LoadDefaultConfig, and the region's catalog (DescribeInstanceTypes) is cached for a
// day in the user cache directory in compact form. --catalog reads an `aws ec2
// describe-instance-types` file instead, keeping a compact copy in the user cache directory so
// that later runs load it in a few milliseconds.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"

	"github.com/datablocks-go/datablocks/emr/instances"
	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
	"github.com/datablocks-go/datablocks/localaws"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "instance-selector:", err)
		}
		os.Exit(2)
	}
}

// maxMiB is the largest MiB count InstanceRequirements carries (an int32).
const maxMiB = math.MaxInt32

// countFlag is a whole number of unit (vCPUs, GPUs, ...), at most math.MaxInt32.
type countFlag struct {
	unit string
	v    int32
	set  bool
}

func (f *countFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.Itoa(int(f.v))
}

func (f *countFlag) Set(s string) error {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a whole number of %s", s, f.unit)
	case v < 0:
		return fmt.Errorf("%d %s is negative", v, f.unit)
	case v > math.MaxInt32:
		return fmt.Errorf("%d %s is more than EC2 accepts (at most %d)", v, f.unit, math.MaxInt32)
	}
	f.v, f.set = int32(v), true
	return nil
}

// numberFlag is a non-negative finite number of unit (GiB, GB, Gbps); maxV, when positive,
// bounds it (memory in GiB must fit EC2's MiB field).
type numberFlag struct {
	unit string
	maxV float64
	v    float64
	set  bool
}

func (f *numberFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'f', -1, 64)
}

func (f *numberFlag) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return fmt.Errorf("%q is not a number of %s", s, f.unit)
	case err != nil || math.IsInf(v, 0) || math.IsNaN(v):
		return fmt.Errorf("%s %s is not a finite number", s, f.unit)
	case v < 0:
		return fmt.Errorf("%s %s is negative", s, f.unit)
	case f.maxV > 0 && v > f.maxV:
		return fmt.Errorf("%s %s is more than EC2 accepts (at most %s %s)", s, f.unit, strconv.FormatFloat(math.Floor(f.maxV*100)/100, 'f', -1, 64), f.unit)
	}
	f.v, f.set = v, true
	return nil
}

type optBool struct {
	v   bool
	set bool
}

func (o *optBool) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatBool(o.v)
}

func (o *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%q is not true or false", s)
	}
	o.v, o.set = v, true
	return nil
}

func (o *optBool) IsBoolFlag() bool { return true }

// enumFlag is a comma-separated list of values of one enum, matched case-insensitively, with
// aliases ("amd64" for x86_64, "aws" for amazon-web-services).
type enumFlag struct {
	allowed []string
	aliases map[string]string
	single  bool // one value only
	vals    []string
}

func (f *enumFlag) String() string {
	if f == nil {
		return ""
	}
	return strings.Join(f.vals, ",")
}

func (f *enumFlag) Set(s string) error {
	f.vals = nil
	for _, p := range list(s) {
		v := strings.ToLower(p)
		if a, ok := f.aliases[v]; ok {
			v = a
		}
		if !slices.Contains(f.allowed, v) {
			return fmt.Errorf("%q is not one of %s", p, strings.Join(f.allowed, ", "))
		}
		f.vals = append(f.vals, v)
	}
	if f.single && len(f.vals) != 1 {
		return fmt.Errorf("%q: give one of %s", s, strings.Join(f.allowed, ", "))
	}
	return nil
}

func enumOf[T ~string](values []T, aliases map[string]string, single bool) *enumFlag {
	f := &enumFlag{aliases: aliases, single: single}
	for _, v := range values {
		f.allowed = append(f.allowed, string(v))
	}
	return f
}

func typed[T ~string](f *enumFlag) []T {
	var out []T
	for _, v := range f.vals {
		out = append(out, T(v))
	}
	return out
}

// rangeFlags is a -min/-max pair with an optional exact-value shorthand.
type intRangeFlags struct {
	name          string
	exact, lo, hi countFlag
}

func (r *intRangeFlags) register(fs *flag.FlagSet, name, unit, what string, exact bool) {
	r.name = name
	r.exact.unit, r.lo.unit, r.hi.unit = unit, unit, unit
	if exact {
		fs.Var(&r.exact, name, "exactly this many "+what+" (sets -min and -max)")
	}
	fs.Var(&r.lo, name+"-min", "minimum "+what)
	fs.Var(&r.hi, name+"-max", "maximum "+what)
}

func (r *intRangeFlags) get() (instances.Range[int32], error) {
	lo, hi := r.lo, r.hi
	if r.exact.set {
		if lo.set || hi.set {
			return instances.Range[int32]{}, fmt.Errorf("--%s and --%s-min/--%s-max are exclusive", r.name, r.name, r.name)
		}
		lo, hi = r.exact, r.exact
	}
	if lo.set && hi.set && lo.v > hi.v {
		return instances.Range[int32]{}, fmt.Errorf("--%s-min %d %s is more than --%s-max %d %s", r.name, lo.v, lo.unit, r.name, hi.v, hi.unit)
	}
	var out instances.Range[int32]
	if lo.set {
		out.Min = aws.Int32(lo.v)
	}
	if hi.set {
		out.Max = aws.Int32(hi.v)
	}
	return out, nil
}

type floatRangeFlags struct {
	name          string
	exact, lo, hi numberFlag
}

func (r *floatRangeFlags) register(fs *flag.FlagSet, name, unit, what string, maxV float64, exact bool) {
	r.name = name
	for _, f := range []*numberFlag{&r.exact, &r.lo, &r.hi} {
		f.unit, f.maxV = unit, maxV
	}
	if exact {
		fs.Var(&r.exact, name, "exactly this "+what+" ("+unit+"; sets -min and -max)")
	}
	fs.Var(&r.lo, name+"-min", "minimum "+what+" ("+unit+")")
	fs.Var(&r.hi, name+"-max", "maximum "+what+" ("+unit+")")
}

func (r *floatRangeFlags) bounds() (lo, hi numberFlag, err error) {
	lo, hi = r.lo, r.hi
	if r.exact.set {
		if lo.set || hi.set {
			return lo, hi, fmt.Errorf("--%s and --%s-min/--%s-max are exclusive", r.name, r.name, r.name)
		}
		lo, hi = r.exact, r.exact
	}
	if lo.set && hi.set && lo.v > hi.v {
		return lo, hi, fmt.Errorf("--%s-min %s %s is more than --%s-max %s %s", r.name, lo.String(), lo.unit, r.name, hi.String(), hi.unit)
	}
	return lo, hi, nil
}

func (r *floatRangeFlags) get() (instances.Range[float64], error) {
	lo, hi, err := r.bounds()
	var out instances.Range[float64]
	if lo.set {
		out.Min = aws.Float64(lo.v)
	}
	if hi.set {
		out.Max = aws.Float64(hi.v)
	}
	return out, err
}

// mib converts a GiB range to MiB: a minimum rounds up and a maximum down, so that the MiB
// range never admits what the GiB range excludes.
func (r *floatRangeFlags) mib() (instances.Range[int32], error) {
	lo, hi, err := r.bounds()
	var out instances.Range[int32]
	if lo.set {
		out.Min = aws.Int32(int32(min(math.Ceil(lo.v*1024), maxMiB)))
	}
	if hi.set {
		out.Max = aws.Int32(int32(math.Floor(hi.v * 1024)))
	}
	return out, err
}

func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

type cliOptions struct {
	req        instances.Requirements
	unknown    bool
	catalog    string
	useAWS     bool
	explain    string
	output     string
	fleetType  string
	targetSpot int
	crossCheck bool
}

// flagNames maps Requirements fields, as instances.ValidationError names them, to the flags
// that set them, so that the library's messages speak of what the user typed.
var flagNames = map[string]string{
	"VCpuCount": "--vcpus", "MemoryMiB": "--memory", "MemoryGiBPerVCpu": "--memory-per-vcpu",
	"AcceleratorCount": "--gpus", "AcceleratorTotalMemoryMiB": "--gpu-memory-total",
	"NetworkInterfaceCount": "--network-interfaces", "TotalLocalStorageGB": "--instance-storage",
	"NetworkBandwidthGbps": "--network-bandwidth", "BaselineEbsBandwidthMbps": "--ebs-bandwidth",
	"AllowedInstanceTypes": "--allow-list", "ExcludedInstanceTypes": "--deny-list",
	"BurstablePerformance": "--burst-support", "BareMetal": "--baremetal", "LocalStorage": "--local-storage",
	"LocalStorageTypes": "--local-storage-types", "CpuManufacturers": "--cpu-manufacturer",
	"AcceleratorManufacturers": "--gpu-manufacturer", "AcceleratorTypes": "--accelerator-types",
	"AcceleratorNames": "--accelerator-names", "Architectures": "--cpu-architecture",
	"VirtualizationTypes": "--virtualization-types", "InstanceGenerations": "--current-generation",
	"BaselinePerformanceFamilies": "--baseline-performance-families",
}

// flagError rewrites the library's validation errors with flag names, one line.
func flagError(err error) error {
	var msgs []string
	for _, e := range unwrapAll(err) {
		var ve *instances.ValidationError
		if !errors.As(e, &ve) {
			msgs = append(msgs, e.Error())
			continue
		}
		path := strings.TrimPrefix(ve.Field, "Requirements.")
		field, rest := path, ""
		if i := strings.IndexAny(path, ".["); i >= 0 {
			field, rest = path[:i], path[i:]
		}
		name := flagNames[field]
		switch {
		case name == "":
			name = ve.Field
		case strings.HasPrefix(rest, "."): // .Min, .Max
			name += "-" + strings.ToLower(rest[1:])
		default: // [i] of a list
			name += rest
		}
		msgs = append(msgs, name+" "+strings.ReplaceAll(ve.Rule, "AllowedInstanceTypes", "--allow-list"))
	}
	return errors.New(strings.Join(msgs, "; "))
}

func unwrapAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unwrapAll(e)...)
		}
		return out
	}
	return []error{err}
}

func parse(args []string, stderr io.Writer) (cliOptions, error) {
	fs := flag.NewFlagSet("instance-selector", flag.ContinueOnError)
	// Errors are one line (returned, printed by main); -h prints the flags.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var (
		vcpus, gpus, enis, ebs          intRangeFlags
		mem, gpuMem, mpv, stor, network floatRangeFlags
		current, hibernate, encrypt     optBool
	)
	vcpus.register(fs, "vcpus", "vCPUs", "vCPUs", true)
	mem.register(fs, "memory", "GiB", "memory", maxMiB/1024.0, true)
	mpv.register(fs, "memory-per-vcpu", "GiB", "memory per vCPU", 0, false)
	gpus.register(fs, "gpus", "GPUs", "accelerators (a positive minimum requires GPUs; a maximum of 0 excludes every accelerated type)", true)
	gpuMem.register(fs, "gpu-memory-total", "GiB", "total accelerator memory", maxMiB/1024.0, false)
	enis.register(fs, "network-interfaces", "network interfaces", "network interfaces", false)
	stor.register(fs, "instance-storage", "GB", "total instance store", 0, false)
	network.register(fs, "network-bandwidth", "Gbps", "network bandwidth (minimum: baseline, maximum: burst)", 0, false)
	ebs.register(fs, "ebs-bandwidth", "Mbps", "baseline EBS bandwidth in Mbps", false)
	fs.Var(&current, "current-generation", "current generation only (=false: previous generation only)")
	fs.Var(&hibernate, "hibernation-support", "only types that support hibernation")
	fs.Var(&encrypt, "encryption-in-transit", "only types that encrypt traffic between instances")
	arch := enumOf(types.ArchitectureType("").Values(), map[string]string{"amd64": "x86_64", "x86-64": "x86_64", "aarch64": "arm64"}, false)
	fs.Var(arch, "cpu-architecture", "architectures: "+strings.Join(arch.allowed, ", ")+" (amd64 = x86_64)")
	virt := enumOf(types.VirtualizationType("").Values(), nil, false)
	fs.Var(virt, "virtualization-types", "virtualization types: hvm, paravirtual")
	awsAlias := map[string]string{"aws": "amazon-web-services"}
	cpuMaker := enumOf(types.CpuManufacturer("").Values(), awsAlias, false)
	fs.Var(cpuMaker, "cpu-manufacturer", "CPU manufacturers: "+strings.Join(cpuMaker.allowed, ", ")+" (aws = amazon-web-services)")
	gpuMaker := enumOf(types.AcceleratorManufacturer("").Values(), awsAlias, false)
	fs.Var(gpuMaker, "gpu-manufacturer", "accelerator manufacturers: "+strings.Join(gpuMaker.allowed, ", "))
	accTypes := enumOf(types.AcceleratorType("").Values(), nil, false)
	fs.Var(accTypes, "accelerator-types", "accelerator kinds that must be present: "+strings.Join(accTypes.allowed, ", "))
	accNames := enumOf(types.AcceleratorName("").Values(), nil, false)
	fs.Var(accNames, "accelerator-names", "accelerators: "+strings.Join(accNames.allowed, ", "))
	storTypes := enumOf(types.LocalStorageType("").Values(), nil, false)
	fs.Var(storTypes, "local-storage-types", "instance store kinds: hdd, ssd")
	inclusion := []string{"included", "required", "excluded"}
	burst, metal, local := enumOf(inclusion, nil, true), enumOf(inclusion, nil, true), enumOf(inclusion, nil, true)
	fs.Var(burst, "burst-support", "burstable types: included|required|excluded (default excluded)")
	fs.Var(metal, "baremetal", "bare metal types: included|required|excluded (default excluded)")
	fs.Var(local, "local-storage", "instance store: included|required|excluded (default included)")
	output := enumOf([]string{"names", "table", "json", "emr-fleet", "karpenter"}, nil, true)
	fs.Var(output, "o", "output: names, table, json, emr-fleet, karpenter (default names)")
	fleetType := enumOf([]string{"core", "task"}, nil, true)
	fs.Var(fleetType, "fleet-type", "EMR fleet type for -o emr-fleet: core or task (default task)")
	allow := fs.String("allow-list", "", "allowed instance types, comma-separated, * wildcards (ABS style, not regex)")
	deny := fs.String("deny-list", "", "excluded instance types, comma-separated, * wildcards")
	families := fs.String("baseline-performance-families", "", "CPU performance floor: instance families, comma-separated (e.g. c6i)")
	var c cliOptions
	fs.BoolVar(&c.unknown, "include-unknown", false, "keep types whose only doubts are attributes the catalog lacks")
	fs.StringVar(&c.catalog, "catalog", "", "read the catalog from this `aws ec2 describe-instance-types` JSON file (or a compact catalog)")
	fs.BoolVar(&c.useAWS, "aws", false, "use AWS (default credential chain and region) instead of the local endpoint")
	fs.StringVar(&c.explain, "explain", "", "explain why this instance type is or is not selected")
	fs.IntVar(&c.targetSpot, "target-spot-capacity", 64, "EMR fleet Spot capacity in vCPUs for -o emr-fleet")
	fs.BoolVar(&c.crossCheck, "cross-check", false, "compare with EC2's GetInstanceTypesFromInstanceRequirements")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: instance-selector [flags]")
			fs.PrintDefaults()
		}
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var errs []error
	get := func(r instances.Range[int32], err error) instances.Range[int32] {
		errs = append(errs, err)
		return r
	}
	getF := func(r instances.Range[float64], err error) instances.Range[float64] {
		errs = append(errs, err)
		return r
	}
	r := instances.Requirements{
		VCpuCount:                   get(vcpus.get()),
		MemoryMiB:                   get(mem.mib()),
		MemoryGiBPerVCpu:            getF(mpv.get()),
		AcceleratorCount:            get(gpus.get()),
		NetworkInterfaceCount:       get(enis.get()),
		BaselineEbsBandwidthMbps:    get(ebs.get()),
		TotalLocalStorageGB:         getF(stor.get()),
		NetworkBandwidthGbps:        getF(network.get()),
		AllowedInstanceTypes:        list(*allow),
		ExcludedInstanceTypes:       list(*deny),
		BaselinePerformanceFamilies: list(*families),
		Architectures:               typed[types.ArchitectureType](arch),
		VirtualizationTypes:         typed[types.VirtualizationType](virt),
		CpuManufacturers:            typed[types.CpuManufacturer](cpuMaker),
		AcceleratorManufacturers:    typed[types.AcceleratorManufacturer](gpuMaker),
		AcceleratorTypes:            typed[types.AcceleratorType](accTypes),
		AcceleratorNames:            typed[types.AcceleratorName](accNames),
		LocalStorageTypes:           typed[types.LocalStorageType](storTypes),
		RequireHibernateSupport:     hibernate.set && hibernate.v,
		RequireEncryptionInTransit:  encrypt.set && encrypt.v,
	}
	if gpuMem.lo.set || gpuMem.hi.set {
		r.AcceleratorTotalMemoryMiB = get(gpuMem.mib())
	}
	if err := errors.Join(errs...); err != nil {
		return c, err
	}
	if len(r.AllowedInstanceTypes) > 0 && len(r.ExcludedInstanceTypes) > 0 {
		return c, errors.New("--allow-list and --deny-list are exclusive")
	}
	if len(burst.vals) > 0 {
		r.BurstablePerformance = instances.Inclusion(burst.vals[0])
	}
	if len(metal.vals) > 0 {
		r.BareMetal = instances.Inclusion(metal.vals[0])
	}
	if len(local.vals) > 0 {
		r.LocalStorage = instances.Inclusion(local.vals[0])
	}
	// ABS requires both minimums; the CLI, like amazon-ec2-instance-selector, defaults them to 0.
	if r.VCpuCount.Min == nil {
		r.VCpuCount.Min = aws.Int32(0)
	}
	if r.MemoryMiB.Min == nil {
		r.MemoryMiB.Min = aws.Int32(0)
	}
	if r.AcceleratorCount.Min != nil && *r.AcceleratorCount.Min > 0 && len(r.AcceleratorTypes) == 0 {
		r.AcceleratorTypes = []types.AcceleratorType{types.AcceleratorTypeGpu}
	}
	if current.set {
		g := types.InstanceGenerationPrevious
		if current.v {
			g = types.InstanceGenerationCurrent
		}
		r.InstanceGenerations = []types.InstanceGeneration{g}
	}
	c.req = r
	if err := r.Validate(); err != nil {
		return c, flagError(err)
	}
	c.output, c.fleetType = "names", "task"
	if len(output.vals) > 0 {
		c.output = output.vals[0]
	}
	if len(fleetType.vals) > 0 {
		c.fleetType = fleetType.vals[0]
	}
	if c.catalog != "" && c.useAWS {
		return c, errors.New("--catalog and -aws are exclusive")
	}
	if c.targetSpot < 1 || c.targetSpot > math.MaxInt32 {
		return c, fmt.Errorf("--target-spot-capacity %d: want a positive number of vCPUs", c.targetSpot)
	}
	if c.crossCheck && c.catalog != "" {
		return c, errors.New("--cross-check compares with EC2 (the local endpoint or -aws): it does not take --catalog")
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parse(args, stderr)
	if err != nil {
		return err
	}
	var cat *instances.Catalog
	var client *ec2.Client
	switch {
	case c.catalog != "":
		cat, err = loadCatalogFile(c.catalog)
	default:
		// One code path for AWS and the local endpoint: an aws.Config, then the SDK client.
		var cfg aws.Config
		cacheFile := ""
		if c.useAWS {
			if cfg, err = config.LoadDefaultConfig(ctx); err != nil {
				return err
			}
			if dir, dirErr := os.UserCacheDir(); dirErr == nil && os.MkdirAll(filepath.Join(dir, "datablocks"), 0o755) == nil {
				cacheFile = filepath.Join(dir, "datablocks", "instance-types-"+cfg.Region+".dbic")
			}
		} else {
			fmt.Fprintln(stderr, "instance-selector: using a local EC2 endpoint with a sample of 23 us-east-1 types; pass --catalog FILE or -aws for a full region")
			srv, startErr := localaws.Start([]localaws.Service{instancestest.New().Service()})
			if startErr != nil {
				return startErr
			}
			defer srv.Close()
			cfg = srv.Config()
		}
		client = ec2.NewFromConfig(cfg)
		cat, err = instances.LoadCatalog(ctx, client, func(o *instances.Options) { o.CacheFile = cacheFile })
	}
	if err != nil {
		return err
	}
	selOpt := func(o *instances.Options) {
		o.IncludeUnknown = c.unknown
	}
	if c.explain != "" {
		ex, err := cat.Explain(c.req, c.explain, selOpt)
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, ex)
		return nil
	}
	if c.crossCheck {
		cmp, err := instances.NewRemoteSelector(client).CrossCheck(ctx, cat, c.req, selOpt)
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, cmp)
		for _, ex := range cmp.Explanations {
			fmt.Fprint(stdout, ex)
		}
		return nil
	}
	names, err := cat.Select(c.req, selOpt)
	if err != nil {
		return err
	}
	return write(stdout, cat, c, names)
}

// loadCatalogFile reads a catalog file. A JSON catalog is also written, once, in the compact
// form to the user cache directory (keyed by the file's path, size and modification time), and
// read from there next time: a region's compact catalog loads in a few milliseconds, its JSON
// in tens.
func loadCatalogFile(path string) (*instances.Catalog, error) {
	cache := compactCachePath(path)
	if cache != "" {
		if cat, err := instances.LoadCatalogFile(cache); err == nil {
			return cat, nil
		}
	}
	cat, err := instances.LoadCatalogFile(path)
	if err != nil || cache == "" {
		return cat, err
	}
	if f, err := os.CreateTemp(filepath.Dir(cache), "catalog-*.tmp"); err == nil {
		if cat.WriteCompact(f) == nil && f.Close() == nil {
			_ = os.Rename(f.Name(), cache)
		}
		_ = os.Remove(f.Name()) // after a rename, already gone
	}
	return cat, nil
}

// compactCachePath returns where the compact copy of a JSON catalog file lives, or "" when the
// file is already compact, cannot be read, or there is no cache directory.
func compactCachePath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	st, err := os.Stat(abs)
	if err != nil || strings.HasSuffix(abs, ".dbic") {
		return ""
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	dir = filepath.Join(dir, "datablocks", "catalogs")
	if os.MkdirAll(dir, 0o755) != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d\x00%d", abs, st.Size(), st.ModTime().UnixNano())))
	return filepath.Join(dir, hex.EncodeToString(sum[:12])+".dbic")
}

// row is one instance type in -o table and -o json.
type row struct {
	InstanceType      string   `json:"instanceType"`
	VCpus             int32    `json:"vcpus"`
	MemoryGiB         float64  `json:"memoryGiB"`
	Architectures     []string `json:"architectures"`
	CPUManufacturer   string   `json:"cpuManufacturer,omitempty"`
	Network           string   `json:"networkPerformance,omitempty"`
	GPUs              int32    `json:"gpus"`
	InstanceStorageGB int64    `json:"instanceStorageGB"`
	CurrentGeneration bool     `json:"currentGeneration"`
}

func rowOf(info types.InstanceTypeInfo) row {
	r := row{InstanceType: string(info.InstanceType), CurrentGeneration: aws.ToBool(info.CurrentGeneration)}
	if info.VCpuInfo != nil {
		r.VCpus = aws.ToInt32(info.VCpuInfo.DefaultVCpus)
	}
	if info.MemoryInfo != nil {
		r.MemoryGiB = float64(aws.ToInt64(info.MemoryInfo.SizeInMiB)) / 1024
	}
	if p := info.ProcessorInfo; p != nil {
		r.CPUManufacturer = aws.ToString(p.Manufacturer)
		for _, a := range p.SupportedArchitectures {
			r.Architectures = append(r.Architectures, string(a))
		}
	}
	if info.NetworkInfo != nil {
		r.Network = aws.ToString(info.NetworkInfo.NetworkPerformance)
	}
	if info.GpuInfo != nil {
		for _, g := range info.GpuInfo.Gpus {
			r.GPUs += aws.ToInt32(g.Count)
		}
	}
	if info.InstanceStorageInfo != nil {
		r.InstanceStorageGB = aws.ToInt64(info.InstanceStorageInfo.TotalSizeInGB)
	}
	return r
}

func write(w io.Writer, cat *instances.Catalog, c cliOptions, names []string) error {
	switch c.output {
	case "table":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "Instance Type\tvCPUs\tMemory (GiB)\tArch\tCPU\tNetwork\tGPUs\tStorage (GB)")
		for _, n := range names {
			info, _ := cat.Info(n)
			r := rowOf(info)
			fmt.Fprintf(tw, "%s\t%d\t%g\t%s\t%s\t%s\t%d\t%d\n", r.InstanceType, r.VCpus, r.MemoryGiB,
				strings.Join(r.Architectures, ","), r.CPUManufacturer, r.Network, r.GPUs, r.InstanceStorageGB)
		}
		return tw.Flush()
	case "json":
		rows := make([]row, 0, len(names))
		for _, n := range names {
			info, _ := cat.Info(n)
			rows = append(rows, rowOf(info))
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "emr-fleet":
		ft := emrtypes.InstanceFleetTypeTask
		if strings.EqualFold(c.fleetType, "core") {
			ft = emrtypes.InstanceFleetTypeCore
		}
		fleet, err := cat.EMRFleet(ft, names, func(o *instances.Options) { o.TargetSpotCapacity = int32(c.targetSpot) })
		if err != nil {
			return err
		}
		b, err := instances.APIJSON([]emrtypes.InstanceFleetConfig{fleet}) // for aws emr create-cluster --instance-fleets
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "karpenter":
		np, err := cat.KarpenterNodePool("spark-executors", c.req, names)
		if err != nil {
			return err
		}
		_, err = fmt.Fprint(w, np.YAML())
		return err
	}
	for _, n := range names {
		fmt.Fprintln(w, n)
	}
	return nil
}
