package instances

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func boolPtr(b bool) *bool {
	if !b {
		return nil
	}
	return aws.Bool(true)
}

func clonePtr[N any](p *N) *N {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// bounds builds one SDK range member (VCpuCountRangeRequest, MemoryGiBPerVCpuRequest, ...) from
// copies of min and max: nil when both are unset, so EC2 applies its default.
func bounds[T any, N int32 | float64](min, max *N, mk func(min, max *N) *T) *T {
	if min == nil && max == nil {
		return nil
	}
	return mk(clonePtr(min), clonePtr(max))
}

// InstanceRequirementsRequest converts r to the EC2 request shape used by
// GetInstanceTypesFromInstanceRequirements, EC2 Fleet (CreateFleet) overrides and launch
// template data. Unset fields stay unset so EC2 applies its defaults; Architectures and
// VirtualizationTypes are not part of this shape (for a launch, they come from the AMI). An
// override that carries InstanceRequirements names no InstanceType:
//
//	cfg := types.FleetLaunchTemplateConfigRequest{
//		LaunchTemplateSpecification: &types.FleetLaunchTemplateSpecificationRequest{LaunchTemplateName: aws.String("spark")},
//		Overrides: []types.FleetLaunchTemplateOverridesRequest{{InstanceRequirements: req.InstanceRequirementsRequest(), SubnetId: aws.String(subnet)}},
//	}
//
// An Auto Scaling group's MixedInstancesPolicy override takes the same members:
// [APIJSON](req.InstanceRequirementsRequest()) is its InstanceRequirements for the AWS CLI.
func (r Requirements) InstanceRequirementsRequest() *types.InstanceRequirementsRequest {
	out := &types.InstanceRequirementsRequest{
		AcceleratorManufacturers:                       slices.Clone(r.AcceleratorManufacturers),
		AcceleratorNames:                               slices.Clone(r.AcceleratorNames),
		AcceleratorTypes:                               slices.Clone(r.AcceleratorTypes),
		AllowedInstanceTypes:                           slices.Clone(r.AllowedInstanceTypes),
		ExcludedInstanceTypes:                          slices.Clone(r.ExcludedInstanceTypes),
		BareMetal:                                      types.BareMetal(r.BareMetal),
		BurstablePerformance:                           types.BurstablePerformance(r.BurstablePerformance),
		LocalStorage:                                   types.LocalStorage(r.LocalStorage),
		LocalStorageTypes:                              slices.Clone(r.LocalStorageTypes),
		CpuManufacturers:                               slices.Clone(r.CpuManufacturers),
		InstanceGenerations:                            slices.Clone(r.InstanceGenerations),
		RequireHibernateSupport:                        boolPtr(r.RequireHibernateSupport),
		RequireEncryptionInTransit:                     boolPtr(r.RequireEncryptionInTransit),
		OnDemandMaxPricePercentageOverLowestPrice:      clonePtr(r.OnDemandMaxPricePercentageOverLowestPrice),
		SpotMaxPricePercentageOverLowestPrice:          clonePtr(r.SpotMaxPricePercentageOverLowestPrice),
		MaxSpotPriceAsPercentageOfOptimalOnDemandPrice: clonePtr(r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice),
	}
	// VCpuCount and MemoryMiB are required members: always present, even when Validate would
	// reject them, so EC2 names the missing Min itself.
	out.VCpuCount = &types.VCpuCountRangeRequest{Min: clonePtr(r.VCpuCount.Min), Max: clonePtr(r.VCpuCount.Max)}
	out.MemoryMiB = &types.MemoryMiBRequest{Min: clonePtr(r.MemoryMiB.Min), Max: clonePtr(r.MemoryMiB.Max)}
	out.MemoryGiBPerVCpu = bounds(r.MemoryGiBPerVCpu.Min, r.MemoryGiBPerVCpu.Max, func(lo, hi *float64) *types.MemoryGiBPerVCpuRequest {
		return &types.MemoryGiBPerVCpuRequest{Min: lo, Max: hi}
	})
	out.TotalLocalStorageGB = bounds(r.TotalLocalStorageGB.Min, r.TotalLocalStorageGB.Max, func(lo, hi *float64) *types.TotalLocalStorageGBRequest {
		return &types.TotalLocalStorageGBRequest{Min: lo, Max: hi}
	})
	out.NetworkBandwidthGbps = bounds(r.NetworkBandwidthGbps.Min, r.NetworkBandwidthGbps.Max, func(lo, hi *float64) *types.NetworkBandwidthGbpsRequest {
		return &types.NetworkBandwidthGbpsRequest{Min: lo, Max: hi}
	})
	out.BaselineEbsBandwidthMbps = bounds(r.BaselineEbsBandwidthMbps.Min, r.BaselineEbsBandwidthMbps.Max, func(lo, hi *int32) *types.BaselineEbsBandwidthMbpsRequest {
		return &types.BaselineEbsBandwidthMbpsRequest{Min: lo, Max: hi}
	})
	out.NetworkInterfaceCount = bounds(r.NetworkInterfaceCount.Min, r.NetworkInterfaceCount.Max, func(lo, hi *int32) *types.NetworkInterfaceCountRequest {
		return &types.NetworkInterfaceCountRequest{Min: lo, Max: hi}
	})
	out.AcceleratorCount = bounds(r.AcceleratorCount.Min, r.AcceleratorCount.Max, func(lo, hi *int32) *types.AcceleratorCountRequest {
		return &types.AcceleratorCountRequest{Min: lo, Max: hi}
	})
	out.AcceleratorTotalMemoryMiB = bounds(r.AcceleratorTotalMemoryMiB.Min, r.AcceleratorTotalMemoryMiB.Max, func(lo, hi *int32) *types.AcceleratorTotalMemoryMiBRequest {
		return &types.AcceleratorTotalMemoryMiBRequest{Min: lo, Max: hi}
	})
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
// (RequestSpotFleet) LaunchTemplateOverrides. The SDK's request and response shapes have the same members with the
// same JSON under different type names (VCpuCountRangeRequest and VCpuCountRange, ...), so the
// request shape is converted member for member through its JSON; TestInstanceRequirementsShapesAgree
// fails if a future SDK lets them drift apart.
func (r Requirements) InstanceRequirements() *types.InstanceRequirements {
	var out types.InstanceRequirements
	// Marshalling plain SDK data (strings, numbers, pointers, slices) cannot fail, and the JSON
	// of one shape always decodes into the other.
	if raw, err := json.Marshal(r.InstanceRequirementsRequest()); err == nil {
		_ = json.Unmarshal(raw, &out)
	}
	return &out
}

// APIJSON marshals an SDK value (an EMR InstanceFleetConfig from [Catalog.EMRFleet], an EC2
// InstanceRequirementsRequest) as the API's JSON, which the AWS CLI accepts in file://
// arguments (aws emr create-cluster --instance-fleets, aws autoscaling
// create-auto-scaling-group --mixed-instances-policy): member names as the API spells them,
// unset members omitted, object keys sorted.
func APIJSON(v any) ([]byte, error) {
	out, err := compactJSON(v)
	if err != nil {
		return nil, fmt.Errorf("instances: APIJSON: %w", err)
	}
	return out, nil
}

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
	return json.Marshal(prune(tree))
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
