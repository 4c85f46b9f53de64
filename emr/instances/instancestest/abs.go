package instancestest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// This file is the fake's own reading of attribute-based instance type selection, from the EC2
// API reference (GetInstanceTypesFromInstanceRequirements, InstanceRequirementsRequest) and the
// EC2 User Guide ("Attribute-based instance type selection"). It shares no code with package
// instances, so that a selector and the fake are two independent readings of the same rules.

// checkRequirements validates a GetInstanceTypesFromInstanceRequirements request:
//   - ArchitectureType.N and VirtualizationType.N are required, at most 3 and 2 items of their
//     enum values; InstanceRequirements is required (MissingParameter);
//   - InstanceRequirements.VCpuCount and MemoryMiB are required, each with Min (MissingParameter);
//   - every range has non-negative bounds with Min <= Max, enum lists hold enum values, and the
//     tri-states are included, required or excluded (InvalidParameterValue);
//   - AllowedInstanceTypes and ExcludedInstanceTypes are exclusive, and
//     SpotMaxPricePercentageOverLowestPrice and MaxSpotPriceAsPercentageOfOptimalOnDemandPrice
//     too (InvalidParameterCombination); each list holds at most 400 entries of 1-30 characters
//     of [a-zA-Z0-9.*-] (InvalidParameterValue).
func checkRequirements(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) error {
	switch {
	case len(in.ArchitectureTypes) == 0:
		return apiError("MissingParameter", "The request must contain the parameter ArchitectureType")
	case len(in.ArchitectureTypes) > 3:
		return apiError("InvalidParameterValue", fmt.Sprintf("ArchitectureType has %d items; the maximum is 3.", len(in.ArchitectureTypes)))
	case len(in.VirtualizationTypes) == 0:
		return apiError("MissingParameter", "The request must contain the parameter VirtualizationType")
	case len(in.VirtualizationTypes) > 2:
		return apiError("InvalidParameterValue", fmt.Sprintf("VirtualizationType has %d items; the maximum is 2.", len(in.VirtualizationTypes)))
	case in.InstanceRequirements == nil:
		return apiError("MissingParameter", "The request must contain the parameter InstanceRequirements")
	}
	if err := enums("ArchitectureType", in.ArchitectureTypes); err != nil {
		return err
	}
	if err := enums("VirtualizationType", in.VirtualizationTypes); err != nil {
		return err
	}
	ir := in.InstanceRequirements
	switch {
	case ir.VCpuCount == nil || ir.VCpuCount.Min == nil:
		return apiError("MissingParameter", "The request must contain the parameter InstanceRequirements.VCpuCount.Min")
	case ir.MemoryMiB == nil || ir.MemoryMiB.Min == nil:
		return apiError("MissingParameter", "The request must contain the parameter InstanceRequirements.MemoryMiB.Min")
	case len(ir.AllowedInstanceTypes) > 0 && len(ir.ExcludedInstanceTypes) > 0:
		return apiError("InvalidParameterCombination", "AllowedInstanceTypes and ExcludedInstanceTypes cannot be specified together")
	case ir.SpotMaxPricePercentageOverLowestPrice != nil && ir.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice != nil:
		return apiError("InvalidParameterCombination", "SpotMaxPricePercentageOverLowestPrice and MaxSpotPriceAsPercentageOfOptimalOnDemandPrice cannot be specified together")
	}
	ints := []bounds[int32]{
		{"VCpuCount", ir.VCpuCount.Min, ir.VCpuCount.Max},
		{"MemoryMiB", ir.MemoryMiB.Min, ir.MemoryMiB.Max},
	}
	if r := ir.NetworkInterfaceCount; r != nil {
		ints = append(ints, bounds[int32]{"NetworkInterfaceCount", r.Min, r.Max})
	}
	if r := ir.BaselineEbsBandwidthMbps; r != nil {
		ints = append(ints, bounds[int32]{"BaselineEbsBandwidthMbps", r.Min, r.Max})
	}
	if r := ir.AcceleratorCount; r != nil {
		ints = append(ints, bounds[int32]{"AcceleratorCount", r.Min, r.Max})
	}
	if r := ir.AcceleratorTotalMemoryMiB; r != nil {
		ints = append(ints, bounds[int32]{"AcceleratorTotalMemoryMiB", r.Min, r.Max})
	}
	var floats []bounds[float64]
	if r := ir.MemoryGiBPerVCpu; r != nil {
		floats = append(floats, bounds[float64]{"MemoryGiBPerVCpu", r.Min, r.Max})
	}
	if r := ir.TotalLocalStorageGB; r != nil {
		floats = append(floats, bounds[float64]{"TotalLocalStorageGB", r.Min, r.Max})
	}
	if r := ir.NetworkBandwidthGbps; r != nil {
		floats = append(floats, bounds[float64]{"NetworkBandwidthGbps", r.Min, r.Max})
	}
	if err := checkBounds(ints, "non-negative"); err != nil {
		return err
	}
	if err := checkBounds(floats, "non-negative numbers"); err != nil {
		return err
	}
	for _, err := range []error{
		enums("CpuManufacturer", ir.CpuManufacturers), enums("InstanceGeneration", ir.InstanceGenerations),
		enums("LocalStorageType", ir.LocalStorageTypes), enums("AcceleratorType", ir.AcceleratorTypes),
		enums("AcceleratorManufacturer", ir.AcceleratorManufacturers), enums("AcceleratorName", ir.AcceleratorNames),
		tristate("BareMetal", ir.BareMetal), tristate("BurstablePerformance", ir.BurstablePerformance), tristate("LocalStorage", ir.LocalStorage),
		checkInstanceTypePatterns("AllowedInstanceTypes", ir.AllowedInstanceTypes),
		checkInstanceTypePatterns("ExcludedInstanceTypes", ir.ExcludedInstanceTypes),
	} {
		if err != nil {
			return err
		}
	}
	if ir.BaselinePerformanceFactors != nil {
		return apiError("UnsupportedOperation", "instancestest: BaselinePerformanceFactors is not modeled by the fake")
	}
	return nil
}

// bounds is one Min/Max range of InstanceRequirements.
type bounds[N int32 | float64] struct {
	name     string
	min, max *N
}

// checkBounds checks that each range's bounds are non-negative (NaN is not) with
// Min <= Max; what names the values in the error.
func checkBounds[N int32 | float64](rs []bounds[N], what string) error {
	for _, r := range rs {
		if (r.min != nil && !(*r.min >= 0)) || (r.max != nil && !(*r.max >= 0)) || (r.min != nil && r.max != nil && *r.min > *r.max) {
			return apiError("InvalidParameterValue", fmt.Sprintf("The value for InstanceRequirements.%s is invalid: bounds must be %s with Min <= Max.", r.name, what))
		}
	}
	return nil
}

// enums checks that every value is one of the SDK's enum values for its type.
func enums[T interface {
	~string
	Values() []T
}](name string, vs []T) error {
	for _, v := range vs {
		if !slices.Contains(v.Values(), v) {
			return apiError("InvalidParameterValue", fmt.Sprintf("The value '%s' for %s is invalid.", v, name))
		}
	}
	return nil
}

func tristate[T ~string](name string, v T) error {
	switch v {
	case "", "included", "required", "excluded":
		return nil
	}
	return apiError("InvalidParameterValue", fmt.Sprintf("The value '%s' for %s is invalid. Expecting included, required or excluded.", v, name))
}

// satisfies reports whether an instance type meets the request: every attribute that is set
// (and the documented defaults of those that are not) holds, attributes ANDed, the values of one
// attribute ORed. An attribute the type's entry does not state fails a constraint on it (EC2
// knows every attribute; the fake knows only its seed).
func satisfies(t *types.InstanceTypeInfo, archs []types.ArchitectureType, virts []types.VirtualizationType, ir *types.InstanceRequirementsRequest) bool {
	name := string(t.InstanceType)
	if t.ProcessorInfo == nil || !overlaps(t.ProcessorInfo.SupportedArchitectures, archs) {
		return false
	}
	supportedVirt := t.SupportedVirtualizationTypes
	if len(supportedVirt) == 0 {
		// Entries that state no virtualization types are of the HVM-only era (every current
		// generation type runs HVM AMIs only).
		supportedVirt = []types.VirtualizationType{types.VirtualizationTypeHvm}
	}
	if !overlaps(supportedVirt, virts) {
		return false
	}
	vcpus, mem := int64(-1), int64(-1)
	if t.VCpuInfo != nil && t.VCpuInfo.DefaultVCpus != nil {
		vcpus = int64(*t.VCpuInfo.DefaultVCpus)
	}
	if t.MemoryInfo != nil && t.MemoryInfo.SizeInMiB != nil {
		mem = *t.MemoryInfo.SizeInMiB
	}
	if !inInt(vcpus, ir.VCpuCount.Min, ir.VCpuCount.Max) || !inInt(mem, ir.MemoryMiB.Min, ir.MemoryMiB.Max) {
		return false
	}
	if r := ir.MemoryGiBPerVCpu; r != nil && (r.Min != nil || r.Max != nil) {
		if vcpus <= 0 || mem < 0 || !inFloat(float64(mem)/1024/float64(vcpus), true, r.Min, r.Max) {
			return false
		}
	}
	if len(ir.CpuManufacturers) > 0 && !slices.Contains(ir.CpuManufacturers, cpuMaker(t.ProcessorInfo.Manufacturer)) {
		return false
	}
	if len(ir.InstanceGenerations) > 0 {
		if t.CurrentGeneration == nil {
			return false
		}
		gen := types.InstanceGenerationPrevious
		if *t.CurrentGeneration {
			gen = types.InstanceGenerationCurrent
		}
		if !slices.Contains(ir.InstanceGenerations, gen) {
			return false
		}
	}
	if !tri(ir.BurstablePerformance, "excluded", t.BurstablePerformanceSupported) || !tri(ir.BareMetal, "excluded", t.BareMetal) {
		return false
	}
	hasStore := t.InstanceStorageSupported
	if hasStore == nil && t.InstanceStorageInfo != nil {
		hasStore = aws.Bool(true)
	}
	if !tri(ir.LocalStorage, "included", hasStore) {
		return false
	}
	if len(ir.LocalStorageTypes) > 0 && aws.ToBool(hasStore) {
		if t.InstanceStorageInfo == nil || !slices.ContainsFunc(t.InstanceStorageInfo.Disks, func(d types.DiskInfo) bool {
			return slices.Contains(ir.LocalStorageTypes, types.LocalStorageType(d.Type))
		}) {
			return false
		}
	}
	if r := ir.TotalLocalStorageGB; r != nil && (r.Min != nil || r.Max != nil) {
		gb, known := 0.0, hasStore != nil
		if aws.ToBool(hasStore) {
			known = t.InstanceStorageInfo != nil && t.InstanceStorageInfo.TotalSizeInGB != nil
			if known {
				gb = float64(*t.InstanceStorageInfo.TotalSizeInGB)
			}
		}
		if !inFloat(gb, known, r.Min, r.Max) {
			return false
		}
	}
	if r := ir.BaselineEbsBandwidthMbps; r != nil && (r.Min != nil || r.Max != nil) {
		mbps := int64(-1)
		if t.EbsInfo != nil && t.EbsInfo.EbsOptimizedInfo != nil && t.EbsInfo.EbsOptimizedInfo.BaselineBandwidthInMbps != nil {
			mbps = int64(*t.EbsInfo.EbsOptimizedInfo.BaselineBandwidthInMbps)
		}
		if !inInt(mbps, r.Min, r.Max) {
			return false
		}
	}
	if r := ir.NetworkInterfaceCount; r != nil && (r.Min != nil || r.Max != nil) {
		n := int64(-1)
		if t.NetworkInfo != nil && t.NetworkInfo.MaximumNetworkInterfaces != nil {
			n = int64(*t.NetworkInfo.MaximumNetworkInterfaces)
		}
		if !inInt(n, r.Min, r.Max) {
			return false
		}
	}
	if r := ir.NetworkBandwidthGbps; r != nil && (r.Min != nil || r.Max != nil) {
		baseline, peak, bOK, pOK := bandwidth(t.NetworkInfo)
		// The reference: Min is compared with the baseline bandwidth, Max with the peak.
		if (r.Min != nil && (!bOK || baseline < *r.Min)) || (r.Max != nil && (!pOK || peak > *r.Max)) {
			return false
		}
	}
	if ir.RequireHibernateSupport != nil && *ir.RequireHibernateSupport && !aws.ToBool(t.HibernationSupported) {
		return false
	}
	if ir.RequireEncryptionInTransit != nil && *ir.RequireEncryptionInTransit && (t.NetworkInfo == nil || !aws.ToBool(t.NetworkInfo.EncryptionInTransitSupported)) {
		return false
	}
	if !acceleratorsSatisfy(t, ir) {
		return false
	}
	if len(ir.AllowedInstanceTypes) > 0 && !slices.ContainsFunc(ir.AllowedInstanceTypes, func(p string) bool { return starMatch(p, name) }) {
		return false
	}
	if slices.ContainsFunc(ir.ExcludedInstanceTypes, func(p string) bool { return starMatch(p, name) }) {
		return false
	}
	return true
}

func overlaps[T comparable](have, want []T) bool {
	return slices.ContainsFunc(have, func(v T) bool { return slices.Contains(want, v) })
}

// inInt reports whether v (negative: unknown) is within the bounds; no bounds always hold.
func inInt(v int64, minV, maxV *int32) bool {
	if minV == nil && maxV == nil {
		return true
	}
	return v >= 0 && (minV == nil || v >= int64(*minV)) && (maxV == nil || v <= int64(*maxV))
}

func inFloat(v float64, known bool, minV, maxV *float64) bool {
	return known && (minV == nil || v >= *minV) && (maxV == nil || v <= *maxV)
}

// tri applies an included/required/excluded setting (def when unset) to a flag of the type.
func tri[T ~string](setting T, def string, flag *bool) bool {
	s := string(setting)
	if s == "" {
		s = def
	}
	switch s {
	case "required":
		return aws.ToBool(flag)
	case "excluded":
		return flag != nil && !*flag
	}
	return true
}

// cpuMaker maps ProcessorInfo.Manufacturer ("Intel", "AMD", "AWS", "Apple") to the enum.
func cpuMaker(m *string) types.CpuManufacturer {
	switch strings.ToLower(aws.ToString(m)) {
	case "intel":
		return types.CpuManufacturerIntel
	case "amd":
		return types.CpuManufacturerAmd
	case "aws", "amazon web services", "amazon-web-services":
		return types.CpuManufacturerAmazonWebServices
	case "apple":
		return types.CpuManufacturerApple
	}
	return ""
}

// bandwidth returns a type's baseline and peak network bandwidth in Gbps: the sums over its
// network cards when the entry has them, else its NetworkPerformance: "N Gigabit" is both, "Up
// to N Gigabit" only the peak, and words ("High") neither.
func bandwidth(n *types.NetworkInfo) (baseline, peak float64, baselineOK, peakOK bool) {
	if n == nil {
		return 0, 0, false, false
	}
	if len(n.NetworkCards) > 0 {
		baselineOK, peakOK = true, true
		for _, c := range n.NetworkCards {
			if c.BaselineBandwidthInGbps == nil {
				baselineOK = false
			} else {
				baseline += *c.BaselineBandwidthInGbps
			}
			if c.PeakBandwidthInGbps == nil {
				peakOK = false
			} else {
				peak += *c.PeakBandwidthInGbps
			}
		}
		if baselineOK && peakOK {
			return baseline, peak, true, true
		}
	}
	perf := strings.TrimSpace(aws.ToString(n.NetworkPerformance))
	upTo := strings.HasPrefix(perf, "Up to ")
	perf = strings.TrimSuffix(strings.TrimPrefix(perf, "Up to "), " Gigabit")
	mult := 1.0
	if k, v, ok := strings.Cut(perf, "x "); ok {
		m, err := strconv.ParseFloat(k, 64)
		if err != nil || m <= 0 {
			return 0, 0, false, false
		}
		mult, perf = m, v
	}
	g, err := strconv.ParseFloat(perf, 64)
	if err != nil || g < 0 {
		return 0, 0, false, false
	}
	if upTo {
		return 0, g * mult, false, true
	}
	return g * mult, g * mult, true, true
}

// accelerator is one kind of accelerator device of a type.
type accelerator struct {
	kind  types.AcceleratorType
	count int32
	maker types.AcceleratorManufacturer
	name  types.AcceleratorName
}

// accelerators lists a type's accelerators and their total memory in MiB (negative when a
// section does not state it). Neuron devices (Inferentia, Trainium) are AWS's inference
// accelerators.
func accelerators(t *types.InstanceTypeInfo) ([]accelerator, int64) {
	var out []accelerator
	var mem int64
	addMem := func(m *int32) {
		if m == nil || mem < 0 {
			mem = -1
			return
		}
		mem += int64(*m)
	}
	if g := t.GpuInfo; g != nil && len(g.Gpus) > 0 {
		for _, d := range g.Gpus {
			out = append(out, accelerator{types.AcceleratorTypeGpu, aws.ToInt32(d.Count), accMaker(d.Manufacturer), accName(d.Name)})
		}
		addMem(g.TotalGpuMemoryInMiB)
	}
	if f := t.FpgaInfo; f != nil && len(f.Fpgas) > 0 {
		for _, d := range f.Fpgas {
			out = append(out, accelerator{types.AcceleratorTypeFpga, aws.ToInt32(d.Count), accMaker(d.Manufacturer), accName(d.Name)})
		}
		addMem(f.TotalFpgaMemoryInMiB)
	}
	if n := t.NeuronInfo; n != nil && len(n.NeuronDevices) > 0 {
		for _, d := range n.NeuronDevices {
			out = append(out, accelerator{types.AcceleratorTypeInference, aws.ToInt32(d.Count), types.AcceleratorManufacturerAmazonWebServices, accName(d.Name)})
		}
		addMem(n.TotalNeuronDeviceMemoryInMiB)
	} else if ia := t.InferenceAcceleratorInfo; ia != nil && len(ia.Accelerators) > 0 {
		for _, d := range ia.Accelerators {
			out = append(out, accelerator{types.AcceleratorTypeInference, aws.ToInt32(d.Count), accMaker(d.Manufacturer), accName(d.Name)})
		}
		addMem(ia.TotalInferenceMemoryInMiB)
	}
	if m := t.MediaAcceleratorInfo; m != nil && len(m.Accelerators) > 0 {
		for _, d := range m.Accelerators {
			out = append(out, accelerator{types.AcceleratorTypeMedia, aws.ToInt32(d.Count), accMaker(d.Manufacturer), accName(d.Name)})
		}
		addMem(m.TotalMediaMemoryInMiB)
	}
	return out, mem
}

func accMaker(m *string) types.AcceleratorManufacturer {
	switch strings.ToLower(aws.ToString(m)) {
	case "nvidia":
		return types.AcceleratorManufacturerNvidia
	case "amd":
		return types.AcceleratorManufacturerAmd
	case "xilinx":
		return types.AcceleratorManufacturerXilinx
	case "habana":
		return types.AcceleratorManufacturerHabana
	case "aws", "amazon web services", "amazon-web-services":
		return types.AcceleratorManufacturerAmazonWebServices
	}
	return ""
}

// accName maps a device name ("A10G", "Radeon Pro V520", "Inferentia2") to the enum spelling.
func accName(n *string) types.AcceleratorName {
	return types.AcceleratorName(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(aws.ToString(n))), " ", "-"))
}

// acceleratorsSatisfy applies AcceleratorTypes, AcceleratorCount, AcceleratorManufacturers,
// AcceleratorNames and AcceleratorTotalMemoryMiB. Types, manufacturers and names require a
// device of the type that matches; the count and memory are the type's totals (Max 0 excludes
// every accelerated type).
func acceleratorsSatisfy(t *types.InstanceTypeInfo, ir *types.InstanceRequirementsRequest) bool {
	accs, mem := accelerators(t)
	var count int64
	for _, a := range accs {
		count += int64(a.count)
	}
	if r := ir.AcceleratorCount; r != nil && !inInt(count, r.Min, r.Max) {
		return false
	}
	if r := ir.AcceleratorTotalMemoryMiB; r != nil && (r.Min != nil || r.Max != nil) {
		if len(accs) == 0 {
			mem = 0
		}
		if !inInt(mem, r.Min, r.Max) {
			return false
		}
	}
	if len(ir.AcceleratorTypes) > 0 && !slices.ContainsFunc(accs, func(a accelerator) bool { return slices.Contains(ir.AcceleratorTypes, a.kind) }) {
		return false
	}
	if len(ir.AcceleratorManufacturers) > 0 && !slices.ContainsFunc(accs, func(a accelerator) bool { return slices.Contains(ir.AcceleratorManufacturers, a.maker) }) {
		return false
	}
	if len(ir.AcceleratorNames) > 0 && !slices.ContainsFunc(accs, func(a accelerator) bool { return slices.Contains(ir.AcceleratorNames, a.name) }) {
		return false
	}
	return true
}

// starMatch matches an AllowedInstanceTypes or ExcludedInstanceTypes pattern, where * is any
// run of characters (dots included) and every other character stands for itself, in linear
// time (greedy matching with one backtrack point).
func starMatch(pattern, s string) bool {
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			p, mark = star+1, mark+1
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
