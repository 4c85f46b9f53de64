// Command instance-selector picks EC2 instance types by attributes with EC2's attribute-based
// selection semantics, evaluated locally, and prints them as names, a table, JSON, an EMR
// instance fleet or a Karpenter NodePool. Flags are named like amazon-ec2-instance-selector's
// where the concepts match; allow and deny lists take ABS `*` wildcards, not regular expressions.
//
//	go run ./examples/instance-selector --vcpus-min 4 --vcpus-max 16 --memory-per-vcpu-min 2 \
//	    --memory-per-vcpu-max 8 --current-generation -o table
//	go run ./examples/instance-selector --catalog us-east-1.json --explain t3.xlarge --vcpus-min 4
//	go run ./examples/instance-selector -aws --vcpus-min 8 -o emr-fleet
//
// The default output is one name per line in the catalog's order: by family, then size (vCPUs,
// memory), then name.
//
// Without --catalog or -aws it runs on a built-in sample of 23 real us-east-1 types. With -aws
// it loads the region's catalog with DescribeInstanceTypes (default credential chain and
// region), cached for a day in the user cache directory.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// optInt and optFloat are flags that remember whether they were set.
type optInt struct {
	v   int32
	set bool
}

func (o *optInt) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.Itoa(int(o.v))
}

func (o *optInt) Set(s string) error {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return err
	}
	o.v, o.set = int32(v), true
	return nil
}

type optFloat struct {
	v   float64
	set bool
}

func (o *optFloat) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatFloat(o.v, 'f', -1, 64)
}

func (o *optFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return err
	}
	o.v, o.set = v, true
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
		return err
	}
	o.v, o.set = v, true
	return nil
}

func (o *optBool) IsBoolFlag() bool { return true }

func intRange(min, max optInt) instances.IntRange {
	var r instances.IntRange
	if min.set {
		r.Min = aws.Int32(min.v)
	}
	if max.set {
		r.Max = aws.Int32(max.v)
	}
	return r
}

func floatRange(min, max optFloat, scale float64) instances.FloatRange {
	var r instances.FloatRange
	if min.set {
		r.Min = aws.Float64(min.v * scale)
	}
	if max.set {
		r.Max = aws.Float64(max.v * scale)
	}
	return r
}

// gibRange converts GiB flags to a MiB IntRange.
func gibRange(min, max optFloat) instances.IntRange {
	var r instances.IntRange
	if min.set {
		r.Min = aws.Int32(int32(min.v * 1024))
	}
	if max.set {
		r.Max = aws.Int32(int32(max.v * 1024))
	}
	return r
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

func parse(args []string, stderr io.Writer) (cliOptions, error) {
	fs := flag.NewFlagSet("instance-selector", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		vcpuMin, vcpuMax, gpuMin, gpuMax, eniMin, eniMax optInt
		memMin, memMax, mpvMin, mpvMax, gpuMemMin        optFloat
		gpuMemMax, storMin, storMax, netMin, netMax      optFloat
		current                                          optBool
	)
	fs.Var(&vcpuMin, "vcpus-min", "minimum vCPUs")
	fs.Var(&vcpuMax, "vcpus-max", "maximum vCPUs")
	fs.Var(&memMin, "memory-min", "minimum memory (GiB)")
	fs.Var(&memMax, "memory-max", "maximum memory (GiB)")
	fs.Var(&mpvMin, "memory-per-vcpu-min", "minimum memory per vCPU (GiB)")
	fs.Var(&mpvMax, "memory-per-vcpu-max", "maximum memory per vCPU (GiB)")
	fs.Var(&gpuMin, "gpus-min", "minimum GPUs (a positive minimum requires GPU accelerators)")
	fs.Var(&gpuMax, "gpus-max", "maximum accelerators (0 excludes every accelerated type)")
	fs.Var(&gpuMemMin, "gpu-memory-total-min", "minimum total accelerator memory (GiB)")
	fs.Var(&gpuMemMax, "gpu-memory-total-max", "maximum total accelerator memory (GiB)")
	fs.Var(&eniMin, "network-interfaces-min", "minimum network interfaces")
	fs.Var(&eniMax, "network-interfaces-max", "maximum network interfaces")
	fs.Var(&storMin, "instance-storage-min", "minimum total instance store (GB)")
	fs.Var(&storMax, "instance-storage-max", "maximum total instance store (GB)")
	fs.Var(&netMin, "network-bandwidth-min", "minimum baseline network bandwidth (Gbps)")
	fs.Var(&netMax, "network-bandwidth-max", "maximum burst network bandwidth (Gbps)")
	fs.Var(&current, "current-generation", "current generation only (=false: previous generation only)")
	arch := fs.String("cpu-architecture", "", "architectures: x86_64 (or amd64), arm64, i386, x86_64_mac, arm64_mac")
	cpuMaker := fs.String("cpu-manufacturer", "", "CPU manufacturers: intel, amd, aws, apple")
	gpuMaker := fs.String("gpu-manufacturer", "", "accelerator manufacturers: nvidia, amd, amazon-web-services, xilinx, habana")
	allow := fs.String("allow-list", "", "allowed instance types, comma-separated, * wildcards (ABS style, not regex)")
	deny := fs.String("deny-list", "", "excluded instance types, comma-separated, * wildcards")
	burst := fs.String("burst-support", "", "burstable types: included|required|excluded (default excluded)")
	metal := fs.String("baremetal", "", "bare metal types: included|required|excluded (default excluded)")
	local := fs.String("local-storage", "", "instance store: included|required|excluded (default included)")
	var c cliOptions
	fs.BoolVar(&c.unknown, "include-unknown", false, "keep types whose only doubts are attributes the catalog lacks")
	fs.StringVar(&c.catalog, "catalog", "", "read the catalog from this `aws ec2 describe-instance-types` JSON file")
	fs.BoolVar(&c.useAWS, "aws", false, "load the catalog from EC2 (default credential chain and region)")
	fs.StringVar(&c.explain, "explain", "", "explain why this instance type is or is not selected")
	fs.StringVar(&c.output, "o", "names", "output: names, table, json, emr-fleet, karpenter")
	fs.StringVar(&c.fleetType, "fleet-type", "task", "EMR fleet type for -o emr-fleet: core or task")
	fs.IntVar(&c.targetSpot, "target-spot-capacity", 64, "EMR fleet Spot capacity in vCPUs for -o emr-fleet")
	fs.BoolVar(&c.crossCheck, "cross-check", false, "with -aws: compare with GetInstanceTypesFromInstanceRequirements")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	r := instances.Requirements{
		VCpuCount:             intRange(vcpuMin, vcpuMax),
		MemoryMiB:             gibRange(memMin, memMax),
		MemoryGiBPerVCpu:      floatRange(mpvMin, mpvMax, 1),
		AcceleratorCount:      intRange(gpuMin, gpuMax),
		NetworkInterfaceCount: intRange(eniMin, eniMax),
		TotalLocalStorageGB:   floatRange(storMin, storMax, 1),
		NetworkBandwidthGbps:  floatRange(netMin, netMax, 1),
		AllowedInstanceTypes:  list(*allow),
		ExcludedInstanceTypes: list(*deny),
		BurstablePerformance:  instances.Inclusion(*burst),
		BareMetal:             instances.Inclusion(*metal),
		LocalStorage:          instances.Inclusion(*local),
	}
	// ABS requires both minimums; the CLI, like amazon-ec2-instance-selector, defaults them to 0.
	if r.VCpuCount.Min == nil {
		r.VCpuCount.Min = aws.Int32(0)
	}
	if r.MemoryMiB.Min == nil {
		r.MemoryMiB.Min = aws.Int32(0)
	}
	if gpuMin.set && gpuMin.v > 0 {
		r.AcceleratorTypes = []types.AcceleratorType{types.AcceleratorTypeGpu}
	}
	if gpuMemMin.set || gpuMemMax.set {
		r.AcceleratorTotalMemoryMiB = gibRange(gpuMemMin, gpuMemMax)
	}
	if current.set {
		g := types.InstanceGenerationPrevious
		if current.v {
			g = types.InstanceGenerationCurrent
		}
		r.InstanceGenerations = []types.InstanceGeneration{g}
	}
	for _, a := range list(*arch) {
		if a == "amd64" {
			a = "x86_64"
		}
		r.Architectures = append(r.Architectures, types.ArchitectureType(a))
	}
	for _, m := range list(*cpuMaker) {
		if m == "aws" {
			m = string(types.CpuManufacturerAmazonWebServices)
		}
		r.CpuManufacturers = append(r.CpuManufacturers, types.CpuManufacturer(m))
	}
	for _, m := range list(*gpuMaker) {
		if m == "aws" {
			m = string(types.AcceleratorManufacturerAmazonWebServices)
		}
		r.AcceleratorManufacturers = append(r.AcceleratorManufacturers, types.AcceleratorManufacturer(m))
	}
	c.req = r
	if err := r.Validate(); err != nil {
		return c, err
	}
	switch c.output {
	case "names", "table", "json", "emr-fleet", "karpenter":
	default:
		return c, fmt.Errorf("-o %q: want names, table, json, emr-fleet or karpenter", c.output)
	}
	if c.catalog != "" && c.useAWS {
		return c, errors.New("--catalog and -aws are exclusive")
	}
	if f := strings.ToLower(c.fleetType); f != "core" && f != "task" {
		return c, fmt.Errorf("--fleet-type %q: want core or task", c.fleetType)
	}
	if c.targetSpot < 1 {
		return c, fmt.Errorf("--target-spot-capacity %d: want a positive number of vCPUs", c.targetSpot)
	}
	if c.crossCheck && !c.useAWS {
		return c, errors.New("--cross-check needs -aws")
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
		cat, err = instances.LoadCatalogFile(c.catalog)
	case c.useAWS:
		cfg, cfgErr := config.LoadDefaultConfig(ctx)
		if cfgErr != nil {
			return cfgErr
		}
		client = ec2.NewFromConfig(cfg)
		cat, err = instances.LoadCatalog(ctx, client, func(o *instances.LoadCatalogOptions) {
			if dir, dirErr := os.UserCacheDir(); dirErr == nil && os.MkdirAll(filepath.Join(dir, "datablocks"), 0o755) == nil {
				o.CacheFile = filepath.Join(dir, "datablocks", "instance-types-"+cfg.Region+".json")
			}
		})
	default:
		fmt.Fprintln(stderr, "instance-selector: using the built-in sample of 23 us-east-1 types; pass --catalog FILE or -aws for a full region")
		cat, err = instances.NewCatalog(instancestest.SampleInstanceTypes())
	}
	if err != nil {
		return err
	}
	selOpt := func(o *instances.SelectOptions) {
		if c.unknown {
			o.Unknown = instances.UnknownIncludes
		}
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
		fleet, err := cat.EMRFleet(ft, names, func(o *instances.EMRFleetOptions) { o.TargetSpotCapacity = int32(c.targetSpot) })
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
