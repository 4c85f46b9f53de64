package instances

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func i32(r IntRange) (min, max *int32) {
	if r.Min != nil {
		min = aws.Int32(*r.Min)
	}
	if r.Max != nil {
		max = aws.Int32(*r.Max)
	}
	return min, max
}

func f64(r FloatRange) (min, max *float64) {
	if r.Min != nil {
		min = aws.Float64(*r.Min)
	}
	if r.Max != nil {
		max = aws.Float64(*r.Max)
	}
	return min, max
}

func boolPtr(b bool) *bool {
	if !b {
		return nil
	}
	return aws.Bool(true)
}

func clonePtr(p *int32) *int32 {
	if p == nil {
		return nil
	}
	return aws.Int32(*p)
}

// InstanceRequirementsRequest converts r to the EC2 request shape used by
// GetInstanceTypesFromInstanceRequirements, CreateFleet overrides and launch template data.
// Unset fields stay unset so EC2 applies its defaults; Architectures and VirtualizationTypes are
// not part of this shape.
func (r Requirements) InstanceRequirementsRequest() *types.InstanceRequirementsRequest {
	out := &types.InstanceRequirementsRequest{
		AcceleratorManufacturers:                       r.AcceleratorManufacturers,
		AcceleratorNames:                               r.AcceleratorNames,
		AcceleratorTypes:                               r.AcceleratorTypes,
		AllowedInstanceTypes:                           r.AllowedInstanceTypes,
		ExcludedInstanceTypes:                          r.ExcludedInstanceTypes,
		BareMetal:                                      types.BareMetal(r.BareMetal),
		BurstablePerformance:                           types.BurstablePerformance(r.BurstablePerformance),
		LocalStorage:                                   types.LocalStorage(r.LocalStorage),
		LocalStorageTypes:                              r.LocalStorageTypes,
		CpuManufacturers:                               r.CpuManufacturers,
		InstanceGenerations:                            r.InstanceGenerations,
		RequireHibernateSupport:                        boolPtr(r.RequireHibernateSupport),
		RequireEncryptionInTransit:                     boolPtr(r.RequireEncryptionInTransit),
		OnDemandMaxPricePercentageOverLowestPrice:      clonePtr(r.OnDemandMaxPricePercentageOverLowestPrice),
		SpotMaxPricePercentageOverLowestPrice:          clonePtr(r.SpotMaxPricePercentageOverLowestPrice),
		MaxSpotPriceAsPercentageOfOptimalOnDemandPrice: clonePtr(r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice),
	}
	out.VCpuCount = &types.VCpuCountRangeRequest{}
	out.VCpuCount.Min, out.VCpuCount.Max = i32(r.VCpuCount)
	out.MemoryMiB = &types.MemoryMiBRequest{}
	out.MemoryMiB.Min, out.MemoryMiB.Max = i32(r.MemoryMiB)
	if !r.MemoryGiBPerVCpu.IsZero() {
		out.MemoryGiBPerVCpu = &types.MemoryGiBPerVCpuRequest{}
		out.MemoryGiBPerVCpu.Min, out.MemoryGiBPerVCpu.Max = f64(r.MemoryGiBPerVCpu)
	}
	if !r.TotalLocalStorageGB.IsZero() {
		out.TotalLocalStorageGB = &types.TotalLocalStorageGBRequest{}
		out.TotalLocalStorageGB.Min, out.TotalLocalStorageGB.Max = f64(r.TotalLocalStorageGB)
	}
	if !r.NetworkBandwidthGbps.IsZero() {
		out.NetworkBandwidthGbps = &types.NetworkBandwidthGbpsRequest{}
		out.NetworkBandwidthGbps.Min, out.NetworkBandwidthGbps.Max = f64(r.NetworkBandwidthGbps)
	}
	if !r.BaselineEbsBandwidthMbps.IsZero() {
		out.BaselineEbsBandwidthMbps = &types.BaselineEbsBandwidthMbpsRequest{}
		out.BaselineEbsBandwidthMbps.Min, out.BaselineEbsBandwidthMbps.Max = i32(r.BaselineEbsBandwidthMbps)
	}
	if !r.NetworkInterfaceCount.IsZero() {
		out.NetworkInterfaceCount = &types.NetworkInterfaceCountRequest{}
		out.NetworkInterfaceCount.Min, out.NetworkInterfaceCount.Max = i32(r.NetworkInterfaceCount)
	}
	if !r.AcceleratorCount.IsZero() {
		out.AcceleratorCount = &types.AcceleratorCountRequest{}
		out.AcceleratorCount.Min, out.AcceleratorCount.Max = i32(r.AcceleratorCount)
	}
	if !r.AcceleratorTotalMemoryMiB.IsZero() {
		out.AcceleratorTotalMemoryMiB = &types.AcceleratorTotalMemoryMiBRequest{}
		out.AcceleratorTotalMemoryMiB.Min, out.AcceleratorTotalMemoryMiB.Max = i32(r.AcceleratorTotalMemoryMiB)
	}
	if len(r.BaselinePerformanceFamilies) > 0 {
		refs := make([]types.PerformanceFactorReferenceRequest, len(r.BaselinePerformanceFamilies))
		for i, f := range r.BaselinePerformanceFamilies {
			refs[i] = types.PerformanceFactorReferenceRequest{InstanceFamily: aws.String(f)}
		}
		out.BaselinePerformanceFactors = &types.BaselinePerformanceFactorsRequest{
			Cpu: &types.CpuPerformanceFactorRequest{References: refs},
		}
	}
	return out
}

// InstanceRequirements converts r to the EC2 response-side shape used by Spot Fleet
// LaunchTemplateOverrides.
func (r Requirements) InstanceRequirements() *types.InstanceRequirements {
	out := &types.InstanceRequirements{
		AcceleratorManufacturers:                       r.AcceleratorManufacturers,
		AcceleratorNames:                               r.AcceleratorNames,
		AcceleratorTypes:                               r.AcceleratorTypes,
		AllowedInstanceTypes:                           r.AllowedInstanceTypes,
		ExcludedInstanceTypes:                          r.ExcludedInstanceTypes,
		BareMetal:                                      types.BareMetal(r.BareMetal),
		BurstablePerformance:                           types.BurstablePerformance(r.BurstablePerformance),
		LocalStorage:                                   types.LocalStorage(r.LocalStorage),
		LocalStorageTypes:                              r.LocalStorageTypes,
		CpuManufacturers:                               r.CpuManufacturers,
		InstanceGenerations:                            r.InstanceGenerations,
		RequireHibernateSupport:                        boolPtr(r.RequireHibernateSupport),
		RequireEncryptionInTransit:                     boolPtr(r.RequireEncryptionInTransit),
		OnDemandMaxPricePercentageOverLowestPrice:      clonePtr(r.OnDemandMaxPricePercentageOverLowestPrice),
		SpotMaxPricePercentageOverLowestPrice:          clonePtr(r.SpotMaxPricePercentageOverLowestPrice),
		MaxSpotPriceAsPercentageOfOptimalOnDemandPrice: clonePtr(r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice),
	}
	out.VCpuCount = &types.VCpuCountRange{}
	out.VCpuCount.Min, out.VCpuCount.Max = i32(r.VCpuCount)
	out.MemoryMiB = &types.MemoryMiB{}
	out.MemoryMiB.Min, out.MemoryMiB.Max = i32(r.MemoryMiB)
	if !r.MemoryGiBPerVCpu.IsZero() {
		out.MemoryGiBPerVCpu = &types.MemoryGiBPerVCpu{}
		out.MemoryGiBPerVCpu.Min, out.MemoryGiBPerVCpu.Max = f64(r.MemoryGiBPerVCpu)
	}
	if !r.TotalLocalStorageGB.IsZero() {
		out.TotalLocalStorageGB = &types.TotalLocalStorageGB{}
		out.TotalLocalStorageGB.Min, out.TotalLocalStorageGB.Max = f64(r.TotalLocalStorageGB)
	}
	if !r.NetworkBandwidthGbps.IsZero() {
		out.NetworkBandwidthGbps = &types.NetworkBandwidthGbps{}
		out.NetworkBandwidthGbps.Min, out.NetworkBandwidthGbps.Max = f64(r.NetworkBandwidthGbps)
	}
	if !r.BaselineEbsBandwidthMbps.IsZero() {
		out.BaselineEbsBandwidthMbps = &types.BaselineEbsBandwidthMbps{}
		out.BaselineEbsBandwidthMbps.Min, out.BaselineEbsBandwidthMbps.Max = i32(r.BaselineEbsBandwidthMbps)
	}
	if !r.NetworkInterfaceCount.IsZero() {
		out.NetworkInterfaceCount = &types.NetworkInterfaceCount{}
		out.NetworkInterfaceCount.Min, out.NetworkInterfaceCount.Max = i32(r.NetworkInterfaceCount)
	}
	if !r.AcceleratorCount.IsZero() {
		out.AcceleratorCount = &types.AcceleratorCount{}
		out.AcceleratorCount.Min, out.AcceleratorCount.Max = i32(r.AcceleratorCount)
	}
	if !r.AcceleratorTotalMemoryMiB.IsZero() {
		out.AcceleratorTotalMemoryMiB = &types.AcceleratorTotalMemoryMiB{}
		out.AcceleratorTotalMemoryMiB.Min, out.AcceleratorTotalMemoryMiB.Max = i32(r.AcceleratorTotalMemoryMiB)
	}
	if len(r.BaselinePerformanceFamilies) > 0 {
		refs := make([]types.PerformanceFactorReference, len(r.BaselinePerformanceFamilies))
		for i, f := range r.BaselinePerformanceFamilies {
			refs[i] = types.PerformanceFactorReference{InstanceFamily: aws.String(f)}
		}
		out.BaselinePerformanceFactors = &types.BaselinePerformanceFactors{
			Cpu: &types.CpuPerformanceFactor{References: refs},
		}
	}
	return out
}

// FleetLaunchTemplateConfig returns the EC2 Fleet (CreateFleet) launch template configuration
// carrying r: one override per subnet (one override without a subnet when none is given). The
// launch template must not name an InstanceType; the architecture comes from its AMI.
func (r Requirements) FleetLaunchTemplateConfig(spec types.FleetLaunchTemplateSpecificationRequest, subnetIDs ...string) types.FleetLaunchTemplateConfigRequest {
	cfg := types.FleetLaunchTemplateConfigRequest{LaunchTemplateSpecification: &spec}
	if len(subnetIDs) == 0 {
		cfg.Overrides = []types.FleetLaunchTemplateOverridesRequest{{InstanceRequirements: r.InstanceRequirementsRequest()}}
		return cfg
	}
	for _, s := range subnetIDs {
		cfg.Overrides = append(cfg.Overrides, types.FleetLaunchTemplateOverridesRequest{
			InstanceRequirements: r.InstanceRequirementsRequest(), SubnetId: aws.String(s),
		})
	}
	return cfg
}

// SpotFleetLaunchTemplateConfig returns the Spot Fleet (RequestSpotFleet) launch template
// configuration carrying r, one override per subnet.
func (r Requirements) SpotFleetLaunchTemplateConfig(spec types.FleetLaunchTemplateSpecification, subnetIDs ...string) types.LaunchTemplateConfig {
	cfg := types.LaunchTemplateConfig{LaunchTemplateSpecification: &spec}
	if len(subnetIDs) == 0 {
		cfg.Overrides = []types.LaunchTemplateOverrides{{InstanceRequirements: r.InstanceRequirements()}}
		return cfg
	}
	for _, s := range subnetIDs {
		cfg.Overrides = append(cfg.Overrides, types.LaunchTemplateOverrides{
			InstanceRequirements: r.InstanceRequirements(), SubnetId: aws.String(s),
		})
	}
	return cfg
}

// AutoScalingPolicy is the MixedInstancesPolicy of an Auto Scaling group
// (CreateAutoScalingGroup) carrying InstanceRequirements in a launch template override. It
// marshals to the JSON that `aws autoscaling create-auto-scaling-group --mixed-instances-policy`
// accepts, with unset fields omitted. The group itself should use DesiredCapacityType "units"
// (or "vcpu"/"memory-mib") and VPCZoneIdentifier as one comma-separated string.
type AutoScalingPolicy struct {
	// LaunchTemplateName names the launch template; it must not set InstanceType.
	LaunchTemplateName string
	// Version is the launch template version, e.g. "$Latest" (the default when empty).
	Version string
	// Requirements go into the single override.
	Requirements Requirements
	// OnDemandBaseCapacity is the On-Demand capacity filled first.
	OnDemandBaseCapacity int32
	// OnDemandPercentageAboveBaseCapacity is the On-Demand share above the base, 0–100.
	OnDemandPercentageAboveBaseCapacity int32
	// SpotAllocationStrategy is e.g. "price-capacity-optimized" (the default when empty) or
	// "capacity-optimized".
	SpotAllocationStrategy string
}

// MarshalJSON renders the MixedInstancesPolicy JSON.
func (p AutoScalingPolicy) MarshalJSON() ([]byte, error) {
	version := p.Version
	if version == "" {
		version = "$Latest"
	}
	strategy := p.SpotAllocationStrategy
	if strategy == "" {
		strategy = "price-capacity-optimized"
	}
	type spec struct {
		LaunchTemplateName string
		Version            string
	}
	type override struct {
		InstanceRequirements *types.InstanceRequirementsRequest
	}
	type lt struct {
		LaunchTemplateSpecification spec
		Overrides                   []override
	}
	type dist struct {
		OnDemandBaseCapacity                int32
		OnDemandPercentageAboveBaseCapacity int32
		SpotAllocationStrategy              string
	}
	v := struct {
		LaunchTemplate        lt
		InstancesDistribution dist
	}{
		LaunchTemplate: lt{
			LaunchTemplateSpecification: spec{p.LaunchTemplateName, version},
			Overrides:                   []override{{p.Requirements.InstanceRequirementsRequest()}},
		},
		InstancesDistribution: dist{p.OnDemandBaseCapacity, p.OnDemandPercentageAboveBaseCapacity, strategy},
	}
	return compactJSON(v)
}

// APIJSON marshals an SDK value (an EMR InstanceFleetConfig, an EC2 InstanceRequirementsRequest)
// as the API's JSON, which the AWS CLI accepts in file:// arguments: member names as the API
// spells them, unset members omitted, object keys sorted.
func APIJSON(v any) ([]byte, error) { return compactJSON(v) }

// compactJSON marshals v and drops null members and empty strings and arrays recursively, so SDK
// structs (which have no omitempty tags) render as API request JSON. Map keys come out sorted.
func compactJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	out, err := json.Marshal(prune(tree))
	if err != nil {
		return nil, fmt.Errorf("instances: %w", err)
	}
	return out, nil
}

func prune(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			x = prune(x)
			if x == nil {
				delete(t, k)
				continue
			}
			t[k] = x
		}
		if len(t) == 0 {
			return nil
		}
		return t
	case []any:
		var out []any
		for _, x := range t {
			if x = prune(x); x != nil {
				out = append(out, x)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case string:
		if t == "" {
			return nil
		}
	}
	return v
}
