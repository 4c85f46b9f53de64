package instances

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// API limits of AllowedInstanceTypes and ExcludedInstanceTypes, enforced by Validate as
// documented for EC2 InstanceRequirements.
const (
	maxInstanceTypePatterns      = 400 // entries in one list
	maxInstanceTypePatternLength = 30  // characters in one entry
)

// Range is an inclusive range of whole numbers (Range[int32]: vCPUs, MiB, Mbps, counts) or of
// decimal numbers (Range[float64]: GiB, GB, Gbps). A nil bound means no limit on that side; the
// zero Range means no limits at all. [Between], [AtLeast], [FloatBetween] and [FloatAtLeast]
// build one; for "at most max" use Between(0, max).
type Range[N int32 | float64] struct {
	Min *N // lower bound, inclusive; nil means none
	Max *N // upper bound, inclusive; nil means none
}

// Between returns the whole-number Range [min, max].
func Between(min, max int32) Range[int32] { return Range[int32]{Min: &min, Max: &max} }

// AtLeast returns the whole-number Range [min, ∞).
func AtLeast(min int32) Range[int32] { return Range[int32]{Min: &min} }

// FloatBetween returns the decimal Range [min, max].
func FloatBetween(min, max float64) Range[float64] { return Range[float64]{Min: &min, Max: &max} }

// FloatAtLeast returns the decimal Range [min, ∞).
func FloatAtLeast(min float64) Range[float64] { return Range[float64]{Min: &min} }

// isZero reports whether the range sets no bound.
func (r Range[N]) isZero() bool { return r.Min == nil && r.Max == nil }

// string formats the range as "[min, max]" with "∞" for an open upper bound.
func (r Range[N]) string() string { return rangeString(r.Min, r.Max) }

func rangeString[N int32 | float64](min, max *N) string {
	lo, hi := "0", "∞"
	if min != nil {
		lo = fmt.Sprint(*min)
	}
	if max != nil {
		hi = fmt.Sprint(*max)
	}
	return "[" + lo + ", " + hi + "]"
}

// Inclusion is the tri-state EC2 uses for burstable, bare metal and local storage: included (may be
// picked), required (only these) or excluded (never). The zero value means the field's documented
// default, which differs per field.
type Inclusion string

// Inclusion values, spelled as the EC2 API spells them.
const (
	Included Inclusion = "included"
	Required Inclusion = "required"
	Excluded Inclusion = "excluded"
)

func (i Inclusion) or(def Inclusion) Inclusion {
	if i == "" {
		return def
	}
	return i
}

func (i Inclusion) valid() bool { return i == "" || i == Included || i == Required || i == Excluded }

// Documented defaults of InstanceRequirements fields that are not "no limit".
const (
	defaultBurstablePerformance = Excluded // T types are excluded
	defaultBareMetal            = Excluded // bare metal types are excluded
	defaultLocalStorage         = Included // instance store is allowed
)

// Requirements describes instance types by their attributes, mirroring EC2 InstanceRequirements
// field by field. Attributes are ANDed; several values of one list attribute are ORed. Unset
// fields take the documented EC2 defaults: no limit for ranges and lists, burstable and bare metal
// excluded, local storage included, both generations, HDD and SSD.
//
// Architectures and VirtualizationTypes are not part of InstanceRequirements: they are the
// top-level ArchitectureTypes and VirtualizationTypes of GetInstanceTypesFromInstanceRequirements
// (and, for launches, come from the AMI). Empty means any.
type Requirements struct {
	// VCpuCount is the number of vCPUs. Min is required.
	VCpuCount Range[int32]
	// MemoryMiB is the memory in MiB. Min is required.
	MemoryMiB Range[int32]
	// MemoryGiBPerVCpu is the memory per vCPU in GiB.
	MemoryGiBPerVCpu Range[float64]
	// CpuManufacturers are the allowed CPU manufacturers (intel, amd, amazon-web-services, apple).
	CpuManufacturers []types.CpuManufacturer
	// InstanceGenerations are the allowed generations (current, previous). Empty means both.
	InstanceGenerations []types.InstanceGeneration
	// BurstablePerformance includes, requires or excludes burstable (T) types. Zero means excluded.
	BurstablePerformance Inclusion
	// BareMetal includes, requires or excludes bare metal types. Zero means excluded.
	BareMetal Inclusion
	// LocalStorage includes, requires or excludes types with instance store. Zero means included.
	LocalStorage Inclusion
	// LocalStorageTypes are the allowed instance store kinds (hdd, ssd). Empty means both. It
	// constrains only types that have instance store; LocalStorage decides about the others.
	LocalStorageTypes []types.LocalStorageType
	// TotalLocalStorageGB is the total instance store size in GB (0 for EBS-only types).
	TotalLocalStorageGB Range[float64]
	// AllowedInstanceTypes restricts the candidates to these names or `*` patterns ("m5.8xlarge",
	// "c5*.*", "m5a.*", "r*", "*3*"). Newly released types are then not picked up automatically.
	AllowedInstanceTypes []string
	// ExcludedInstanceTypes removes these names or `*` patterns. Exclusive with AllowedInstanceTypes.
	ExcludedInstanceTypes []string
	// BaselineEbsBandwidthMbps is the baseline EBS bandwidth in Mbps.
	BaselineEbsBandwidthMbps Range[int32]
	// NetworkBandwidthGbps is the network bandwidth in Gbps: Min is compared with the baseline
	// bandwidth and Max with the burst (peak) bandwidth.
	NetworkBandwidthGbps Range[float64]
	// NetworkInterfaceCount is the maximum number of network interfaces of the type.
	NetworkInterfaceCount Range[int32]
	// AcceleratorTypes are the accelerator kinds that must be present (gpu, fpga, inference, media).
	AcceleratorTypes []types.AcceleratorType
	// AcceleratorCount is the number of accelerators (GPUs, FPGAs, Inferentia/Trainium devices,
	// media accelerators). Max 0 excludes every type with accelerators.
	AcceleratorCount Range[int32]
	// AcceleratorManufacturers are the allowed accelerator manufacturers (nvidia, amd, ...).
	AcceleratorManufacturers []types.AcceleratorManufacturer
	// AcceleratorNames are the allowed accelerators (a100, t4, inferentia, ...).
	AcceleratorNames []types.AcceleratorName
	// AcceleratorTotalMemoryMiB is the total accelerator memory in MiB.
	AcceleratorTotalMemoryMiB Range[int32]
	// RequireHibernateSupport keeps only types that support hibernation (On-Demand).
	RequireHibernateSupport bool
	// RequireEncryptionInTransit keeps only types that encrypt traffic between instances.
	RequireEncryptionInTransit bool
	// BaselinePerformanceFamilies are the instance families (e.g. "c6i") of
	// BaselinePerformanceFactors.Cpu.References: a CPU performance floor.
	BaselinePerformanceFamilies []string
	// OnDemandMaxPricePercentageOverLowestPrice is the On-Demand price protection threshold, as a
	// percentage above the identified lowest price. Nil means not set: selection then applies
	// none, and EC2 Fleet and Auto Scaling apply 20. Local selection needs prices for it.
	OnDemandMaxPricePercentageOverLowestPrice *int32
	// SpotMaxPricePercentageOverLowestPrice is the Spot price protection threshold, as a percentage
	// above the identified lowest Spot price. Exclusive with
	// MaxSpotPriceAsPercentageOfOptimalOnDemandPrice. Nil means not set: selection then applies
	// none, and fleets apply 100. Local selection needs prices for it.
	SpotMaxPricePercentageOverLowestPrice *int32
	// MaxSpotPriceAsPercentageOfOptimalOnDemandPrice is the Spot price protection threshold, as a
	// percentage of the identified On-Demand price. Local selection needs prices for it.
	MaxSpotPriceAsPercentageOfOptimalOnDemandPrice *int32
	// Architectures are the allowed CPU architectures (i386, x86_64, arm64, x86_64_mac, arm64_mac).
	Architectures []types.ArchitectureType
	// VirtualizationTypes are the allowed virtualization types (hvm, paravirtual).
	VirtualizationTypes []types.VirtualizationType
}

// ValidationError is one rule a Requirements value breaks.
type ValidationError struct {
	// Field is the path of the offending field, e.g. "Requirements.VCpuCount.Min".
	Field string
	// Rule says what is wrong.
	Rule string
}

// Error returns "instances: <Field> <Rule>".
func (e *ValidationError) Error() string { return "instances: " + e.Field + " " + e.Rule }

// Validate checks r against the rules EC2 enforces: VCpuCount.Min and MemoryMiB.Min are required,
// bounds are non-negative with Min ≤ Max, list values are known enum values, AllowedInstanceTypes
// and ExcludedInstanceTypes are exclusive with at most 400 entries of at most 30 characters using
// only `*` as wildcard, and only one Spot price protection is set. It returns every problem
// (errors.Join of *ValidationError).
func (r Requirements) Validate() error {
	var v validator
	add := v.add
	if r.VCpuCount.Min == nil {
		add("VCpuCount.Min", "is required")
	}
	if r.MemoryMiB.Min == nil {
		add("MemoryMiB.Min", "is required")
	}
	intRanges := []struct {
		name string
		r    Range[int32]
	}{
		{"VCpuCount", r.VCpuCount}, {"MemoryMiB", r.MemoryMiB}, {"BaselineEbsBandwidthMbps", r.BaselineEbsBandwidthMbps},
		{"NetworkInterfaceCount", r.NetworkInterfaceCount}, {"AcceleratorCount", r.AcceleratorCount},
		{"AcceleratorTotalMemoryMiB", r.AcceleratorTotalMemoryMiB},
	}
	for _, ir := range intRanges {
		if ir.r.Min != nil && *ir.r.Min < 0 {
			add(ir.name+".Min", "must not be negative (got %d)", *ir.r.Min)
		}
		if ir.r.Max != nil && *ir.r.Max < 0 {
			add(ir.name+".Max", "must not be negative (got %d)", *ir.r.Max)
		}
		if ir.r.Min != nil && ir.r.Max != nil && *ir.r.Min > *ir.r.Max {
			add(ir.name, "Min %d is greater than Max %d", *ir.r.Min, *ir.r.Max)
		}
	}
	floatRanges := []struct {
		name string
		r    Range[float64]
	}{
		{"MemoryGiBPerVCpu", r.MemoryGiBPerVCpu}, {"TotalLocalStorageGB", r.TotalLocalStorageGB},
		{"NetworkBandwidthGbps", r.NetworkBandwidthGbps},
	}
	for _, fr := range floatRanges {
		if fr.r.Min != nil && !(*fr.r.Min >= 0) {
			add(fr.name+".Min", "must be a non-negative number (got %v)", *fr.r.Min)
		}
		if fr.r.Max != nil && !(*fr.r.Max >= 0) {
			add(fr.name+".Max", "must be a non-negative number (got %v)", *fr.r.Max)
		}
		if fr.r.Min != nil && fr.r.Max != nil && *fr.r.Min > *fr.r.Max {
			add(fr.name, "Min %v is greater than Max %v", *fr.r.Min, *fr.r.Max)
		}
	}
	checkEnum(add, "CpuManufacturers", r.CpuManufacturers, cpuManufacturers)
	checkEnum(add, "InstanceGenerations", r.InstanceGenerations, instanceGeneration)
	checkEnum(add, "LocalStorageTypes", r.LocalStorageTypes, localStorageTypes)
	checkEnum(add, "AcceleratorTypes", r.AcceleratorTypes, acceleratorTypes)
	checkEnum(add, "AcceleratorManufacturers", r.AcceleratorManufacturers, acceleratorMakers)
	checkEnum(add, "AcceleratorNames", r.AcceleratorNames, acceleratorNames)
	checkEnum(add, "Architectures", r.Architectures, architectures)
	checkEnum(add, "VirtualizationTypes", r.VirtualizationTypes, virtualizations)
	for _, t := range []struct {
		name string
		v    Inclusion
	}{{"BurstablePerformance", r.BurstablePerformance}, {"BareMetal", r.BareMetal}, {"LocalStorage", r.LocalStorage}} {
		if !t.v.valid() {
			add(t.name, "is %q, want included, required or excluded", t.v)
		}
	}
	if len(r.AllowedInstanceTypes) > 0 && len(r.ExcludedInstanceTypes) > 0 {
		add("AllowedInstanceTypes", "and ExcludedInstanceTypes are mutually exclusive")
	}
	checkPatterns(add, "AllowedInstanceTypes", r.AllowedInstanceTypes)
	checkPatterns(add, "ExcludedInstanceTypes", r.ExcludedInstanceTypes)
	for i, f := range r.BaselinePerformanceFamilies {
		if f == "" || strings.ContainsAny(f, ".* ") {
			add(fmt.Sprintf("BaselinePerformanceFamilies[%d]", i), "is %q, want an instance family such as c6i", f)
		}
	}
	for _, p := range []struct {
		name string
		v    *int32
	}{
		{"OnDemandMaxPricePercentageOverLowestPrice", r.OnDemandMaxPricePercentageOverLowestPrice},
		{"SpotMaxPricePercentageOverLowestPrice", r.SpotMaxPricePercentageOverLowestPrice},
		{"MaxSpotPriceAsPercentageOfOptimalOnDemandPrice", r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice},
	} {
		if p.v != nil && *p.v < 0 {
			add(p.name, "must not be negative (got %d)", *p.v)
		}
	}
	if r.SpotMaxPricePercentageOverLowestPrice != nil && r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice != nil {
		add("SpotMaxPricePercentageOverLowestPrice", "and MaxSpotPriceAsPercentageOfOptimalOnDemandPrice are mutually exclusive")
	}
	return errors.Join(v.errs...)
}

// validator collects ValidationErrors; a method value instead of a closure keeps the valid path
// free of allocations.
type validator struct{ errs []error }

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, &ValidationError{Field: "Requirements." + field, Rule: fmt.Sprintf(format, args...)})
}

func checkEnum[T ~string](add func(field, format string, args ...any), name string, vals, known []T) {
	for i, v := range vals {
		if !slices.Contains(known, v) {
			add(fmt.Sprintf("%s[%d]", name, i), "is %q, want one of %v", v, known)
		}
	}
}

func checkPatterns(add func(field, format string, args ...any), name string, pats []string) {
	if len(pats) > maxInstanceTypePatterns {
		add(name, "has %d entries, at most %d are allowed", len(pats), maxInstanceTypePatterns)
	}
	for i, p := range pats {
		field := fmt.Sprintf("%s[%d]", name, i)
		switch {
		case p == "":
			add(field, "is empty")
		case len(p) > maxInstanceTypePatternLength:
			add(field, "%q is longer than %d characters", p, maxInstanceTypePatternLength)
		default:
			if j := strings.IndexFunc(p, func(c rune) bool {
				return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '*')
			}); j >= 0 {
				add(field, "%q contains %q: only letters, digits, '.', '-' and the '*' wildcard are allowed (not a regular expression)", p, []rune(p[j:])[0])
			}
		}
	}
}
