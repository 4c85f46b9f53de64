package instances

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// tri is a catalog boolean that may be absent: absent fields are unknown, never false.
type tri uint8

const (
	unknown tri = iota
	no
	yes
)

func triOf(b *bool) tri {
	switch {
	case b == nil:
		return unknown
	case *b:
		return yes
	default:
		return no
	}
}

// not negates a known value; unknown stays unknown.
func (t tri) not() tri {
	switch t {
	case yes:
		return no
	case no:
		return yes
	}
	return unknown
}

// String renders the value for Explain.
func (t tri) String() string {
	switch t {
	case yes:
		return "true"
	case no:
		return "false"
	}
	return "unknown in catalog"
}

// num is a catalog number that may be absent.
type num struct {
	v  float64
	ok bool
}

func known(v float64) num { return num{v: v, ok: true} }

// String renders the value for Explain.
func (n num) String() string {
	if !n.ok {
		return "unknown in catalog"
	}
	return strconv.FormatFloat(n.v, 'f', -1, 64)
}

// Bit sets for enum attributes; index = position in the SDK's Values() list.
var (
	cpuManufacturers   = types.CpuManufacturer("").Values()
	architectures      = types.ArchitectureType("").Values()
	virtualizations    = types.VirtualizationType("").Values()
	acceleratorTypes   = types.AcceleratorType("").Values()
	acceleratorMakers  = types.AcceleratorManufacturer("").Values()
	acceleratorNames   = types.AcceleratorName("").Values()
	localStorageTypes  = types.LocalStorageType("").Values()
	instanceGeneration = types.InstanceGeneration("").Values()
)

func bitOf[T ~string](all []T, v T) uint32 {
	for i, a := range all {
		if a == v {
			return 1 << uint(i)
		}
	}
	return 0
}

func bitsOf[T ~string](all []T, vs []T) uint32 {
	var b uint32
	for _, v := range vs {
		b |= bitOf(all, v)
	}
	return b
}

func namesOf[T ~string](all []T, bits uint32) string {
	var out []string
	for i, a := range all {
		if bits&(1<<uint(i)) != 0 {
			out = append(out, string(a))
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ",")
}

// entry is one instance type with every attribute selection reads precomputed on Load, so that
// selection touches no JSON, maps or strings beyond the name.
type entry struct {
	// Hot fields first: the checks every query runs read one cache line.
	vcpus, memMiB                                              num
	current, burstable, bareMetal, hibernate, encryptInTransit tri
	localStorage                                               tri
	cpuMaker                                                   uint32 // one bit; 0 = unknown
	arch                                                       uint32 // bits; 0 = unknown
	memPerVCPU                                                 num

	virtYes, virtNo uint32 // known supported / known unsupported
	diskTypes       uint32 // bits of localStorageTypes
	localGB         num
	ebsMbps         num

	netBaseline      num
	netBaselineBelow float64 // > 0: baseline is known to be strictly below this ("Up to N Gigabit")
	netPeak          num
	enis             num

	accTypes          uint32 // bits of acceleratorTypes
	accMakers         uint32
	accNames          uint32
	accMakersComplete bool // false when some accelerator's manufacturer is absent
	accNamesComplete  bool
	accCount          num
	accMemMiB         num

	name         string
	family       string
	category     string // Karpenter instance-category: "m" of m5d, "inf" of inf2
	generation   int    // Karpenter instance-generation: 5 of m5d; 0 if none
	info         int    // index into Catalog.infos
	cpuMakerName string
	netDesc      string
}

func newEntry(info *types.InstanceTypeInfo, index int) entry {
	e := entry{name: string(info.InstanceType), info: index}
	e.family, _, _ = strings.Cut(e.name, ".")
	e.category, e.generation = categoryAndGeneration(e.family)
	if info.VCpuInfo != nil && info.VCpuInfo.DefaultVCpus != nil {
		e.vcpus = known(float64(*info.VCpuInfo.DefaultVCpus))
	}
	if info.MemoryInfo != nil && info.MemoryInfo.SizeInMiB != nil {
		e.memMiB = known(float64(*info.MemoryInfo.SizeInMiB))
	}
	if e.vcpus.ok && e.memMiB.ok && e.vcpus.v > 0 {
		e.memPerVCPU = known(e.memMiB.v / 1024 / e.vcpus.v)
	}
	if p := info.ProcessorInfo; p != nil {
		if p.Manufacturer != nil {
			e.cpuMakerName = *p.Manufacturer
			e.cpuMaker = bitOf(cpuManufacturers, cpuManufacturerOf(*p.Manufacturer))
		}
		e.arch = bitsOf(architectures, p.SupportedArchitectures)
	}
	e.current = triOf(info.CurrentGeneration)
	e.burstable = triOf(info.BurstablePerformanceSupported)
	e.bareMetal = triOf(info.BareMetal)
	e.hibernate = triOf(info.HibernationSupported)
	switch {
	case len(info.SupportedVirtualizationTypes) > 0:
		e.virtYes = bitsOf(virtualizations, info.SupportedVirtualizationTypes)
		e.virtNo = ^e.virtYes
	case info.Hypervisor == types.InstanceTypeHypervisorNitro || e.bareMetal == yes:
		// Nitro and bare metal instances run HVM AMIs only.
		e.virtYes = bitOf(virtualizations, types.VirtualizationTypeHvm)
		e.virtNo = bitOf(virtualizations, types.VirtualizationTypeParavirtual)
	}

	e.localStorage = triOf(info.InstanceStorageSupported)
	if si := info.InstanceStorageInfo; si != nil {
		if e.localStorage == unknown {
			e.localStorage = yes
		}
		if si.TotalSizeInGB != nil {
			e.localGB = known(float64(*si.TotalSizeInGB))
		}
		for _, d := range si.Disks {
			e.diskTypes |= bitOf(localStorageTypes, types.LocalStorageType(d.Type))
		}
	} else if e.localStorage == no {
		e.localGB = known(0)
	}

	if ebs := info.EbsInfo; ebs != nil && ebs.EbsOptimizedInfo != nil && ebs.EbsOptimizedInfo.BaselineBandwidthInMbps != nil {
		e.ebsMbps = known(float64(*ebs.EbsOptimizedInfo.BaselineBandwidthInMbps))
	}

	if n := info.NetworkInfo; n != nil {
		e.encryptInTransit = triOf(n.EncryptionInTransitSupported)
		if n.MaximumNetworkInterfaces != nil {
			e.enis = known(float64(*n.MaximumNetworkInterfaces))
		}
		if n.NetworkPerformance != nil {
			e.netDesc = *n.NetworkPerformance
		}
		e.netBaseline, e.netPeak, e.netBaselineBelow = networkBandwidth(n)
	}
	e.accelerators(info)
	return e
}

// networkBandwidth returns the baseline and peak bandwidth in Gbps. Per-card figures
// (BaselineBandwidthInGbps, PeakBandwidthInGbps, as DescribeInstanceTypes returns them) are exact.
// Without them only NetworkPerformance is left: "25 Gigabit" and "4x 100 Gigabit" give both
// figures, "Up to 10 Gigabit" only the peak (the baseline is then known to be below it), and
// "High", "Moderate" or "Low" give nothing.
func networkBandwidth(n *types.NetworkInfo) (baseline, peak num, below float64) {
	if len(n.NetworkCards) > 0 {
		var b, p float64
		bOK, pOK := true, true
		for _, c := range n.NetworkCards {
			if c.BaselineBandwidthInGbps == nil {
				bOK = false
			} else {
				b += *c.BaselineBandwidthInGbps
			}
			if c.PeakBandwidthInGbps == nil {
				pOK = false
			} else {
				p += *c.PeakBandwidthInGbps
			}
		}
		if bOK && pOK {
			return known(b), known(p), 0
		}
	}
	if n.NetworkPerformance == nil {
		return num{}, num{}, 0
	}
	gbps, upTo, ok := parseNetworkPerformance(*n.NetworkPerformance)
	switch {
	case !ok:
		return num{}, num{}, 0
	case upTo:
		return num{}, known(gbps), gbps
	default:
		return known(gbps), known(gbps), 0
	}
}

// parseNetworkPerformance reads a DescribeInstanceTypes NetworkPerformance string. It returns the
// bandwidth in Gbps, whether it is a burst figure ("Up to 12.5 Gigabit"), and false when the string
// carries no number ("High", "Moderate", "Low to Moderate"). "4x 100 Gigabit" is 400 Gbps.
func parseNetworkPerformance(s string) (gbps float64, upTo bool, ok bool) {
	s = strings.TrimSpace(s)
	if rest, found := strings.CutPrefix(s, "Up to "); found {
		upTo = true
		s = rest
	}
	s, found := strings.CutSuffix(s, " Gigabit")
	if !found {
		return 0, false, false
	}
	mult := 1.0
	if k, v, found := strings.Cut(s, "x "); found {
		m, err := strconv.ParseFloat(k, 64)
		if err != nil || !(m > 0 && m <= 1024) {
			return 0, false, false
		}
		mult, s = m, v
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v != v || v > 1e9 {
		return 0, false, false
	}
	return v * mult, upTo, true
}

// cpuManufacturerOf maps ProcessorInfo.Manufacturer ("Intel", "AMD", "AWS", "Apple") to the
// CpuManufacturer enum of InstanceRequirements.
func cpuManufacturerOf(s string) types.CpuManufacturer {
	switch strings.ToLower(s) {
	case "intel":
		return types.CpuManufacturerIntel
	case "amd":
		return types.CpuManufacturerAmd
	case "aws", "amazon-web-services", "amazon web services":
		return types.CpuManufacturerAmazonWebServices
	case "apple":
		return types.CpuManufacturerApple
	}
	return ""
}

func acceleratorMakerOf(s string) types.AcceleratorManufacturer {
	switch strings.ToLower(s) {
	case "nvidia":
		return types.AcceleratorManufacturerNvidia
	case "amd":
		return types.AcceleratorManufacturerAmd
	case "xilinx":
		return types.AcceleratorManufacturerXilinx
	case "habana":
		return types.AcceleratorManufacturerHabana
	case "aws", "amazon-web-services", "amazon web services":
		return types.AcceleratorManufacturerAmazonWebServices
	}
	return ""
}

// acceleratorNameOf maps a device name ("A10G", "Radeon Pro V520", "Inferentia2", the FPGA
// "Xilinx Virtex UltraScale+ VU9P") to the AcceleratorName enum; names outside the enum (e.g.
// "H200") map to no bit.
func acceleratorNameOf(s string) uint32 {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-")
	if strings.Contains(n, "vu9p") {
		return bitOf(acceleratorNames, types.AcceleratorNameVu9p)
	}
	return bitOf(acceleratorNames, types.AcceleratorName(n))
}

// device is one accelerator entry of any DescribeInstanceTypes section (GpuInfo.Gpus,
// FpgaInfo.Fpgas, NeuronInfo.NeuronDevices, ...), reduced to what selection reads.
type device struct {
	count       *int32
	maker, name *string
}

func devices[T any](xs []T, f func(*T) device) []device {
	out := make([]device, len(xs))
	for i := range xs {
		out[i] = f(&xs[i])
	}
	return out
}

// accelerators totals GPUs, FPGAs, Neuron devices (Inferentia, Trainium; type "inference"),
// Elastic Inference and media accelerators. A section absent from the catalog means the type has
// no such accelerator, as DescribeInstanceTypes omits it then; a present section with an absent
// manufacturer, name or memory makes that figure unknown.
func (e *entry) accelerators(info *types.InstanceTypeInfo) {
	var count, mem float64
	memOK := true
	e.accMakersComplete, e.accNamesComplete = true, true
	section := func(kind types.AcceleratorType, devs []device, totalMemMiB *int32) {
		if len(devs) == 0 {
			return
		}
		e.accTypes |= bitOf(acceleratorTypes, kind)
		for _, d := range devs {
			count += float64(deref32(d.count))
			if m := acceleratorMakerOf(deref(d.maker)); m != "" {
				e.accMakers |= bitOf(acceleratorMakers, m)
			} else {
				e.accMakersComplete = false
			}
			if d.name != nil {
				e.accNames |= acceleratorNameOf(*d.name)
			} else {
				e.accNamesComplete = false
			}
		}
		if totalMemMiB != nil {
			mem += float64(*totalMemMiB)
		} else {
			memOK = false
		}
	}
	if g := info.GpuInfo; g != nil {
		section(types.AcceleratorTypeGpu, devices(g.Gpus, func(d *types.GpuDeviceInfo) device {
			return device{d.Count, d.Manufacturer, d.Name}
		}), g.TotalGpuMemoryInMiB)
	}
	if f := info.FpgaInfo; f != nil {
		section(types.AcceleratorTypeFpga, devices(f.Fpgas, func(d *types.FpgaDeviceInfo) device {
			return device{d.Count, d.Manufacturer, d.Name}
		}), f.TotalFpgaMemoryInMiB)
	}
	if n := info.NeuronInfo; n != nil {
		// Neuron devices (Inferentia, Trainium) are AWS's own; the section names no manufacturer.
		amazon := "AWS"
		section(types.AcceleratorTypeInference, devices(n.NeuronDevices, func(d *types.NeuronDeviceInfo) device {
			return device{d.Count, &amazon, d.Name}
		}), n.TotalNeuronDeviceMemoryInMiB)
	}
	if ia := info.InferenceAcceleratorInfo; ia != nil {
		section(types.AcceleratorTypeInference, devices(ia.Accelerators, func(d *types.InferenceDeviceInfo) device {
			return device{d.Count, d.Manufacturer, d.Name}
		}), ia.TotalInferenceMemoryInMiB)
	}
	if m := info.MediaAcceleratorInfo; m != nil {
		section(types.AcceleratorTypeMedia, devices(m.Accelerators, func(d *types.MediaDeviceInfo) device {
			return device{d.Count, d.Manufacturer, d.Name}
		}), m.TotalMediaMemoryInMiB)
	}
	e.accCount = known(count)
	if memOK {
		e.accMemMiB = known(mem)
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func deref32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// categoryAndGeneration splits a family the way Karpenter labels nodes
// (karpenter.k8s.aws/instance-category and instance-generation): the leading letters, an optional
// "-<n>tb" memory marker, then the generation digits. "m5d" → ("m", 5), "inf2" → ("inf", 2),
// "u-12tb1" → ("u", 1), "c7i-flex" → ("c", 7).
func categoryAndGeneration(family string) (string, int) {
	i := 0
	for i < len(family) && family[i] >= 'a' && family[i] <= 'z' {
		i++
	}
	cat := family[:i]
	rest := family[i:]
	if strings.HasPrefix(rest, "-") {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j > 1 && strings.HasPrefix(rest[j:], "tb") {
			rest = rest[j+2:]
		}
	}
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	gen, _ := strconv.Atoi(rest[:j])
	return cat, gen
}

// describeBits renders a known bit set, or "unknown in catalog" when empty and unknown.
func describeBits[T ~string](all []T, bits uint32, complete bool) string {
	s := namesOf(all, bits)
	if !complete {
		if bits == 0 {
			return "unknown in catalog"
		}
		s += " (others unknown in catalog)"
	}
	return s
}

func describeGB(n num) string {
	if !n.ok {
		return n.String()
	}
	return fmt.Sprintf("%s GB", n)
}
