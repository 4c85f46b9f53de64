package instances_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks/emr/instances"
)

func absPostRequirements() instances.Requirements {
	return instances.Requirements{
		VCpuCount:            instances.AtLeast(4),
		MemoryMiB:            instances.AtLeast(16384),
		CpuManufacturers:     []types.CpuManufacturer{types.CpuManufacturerIntel, types.CpuManufacturerAmd},
		AllowedInstanceTypes: []string{"c5.*", "m5.*", "c4.*", "m4.*"},
	}
}

// The override of the ASG shape from the ABS post: MixedInstancesPolicy{LaunchTemplate{
// LaunchTemplateSpecification, Overrides[{InstanceRequirements}]}, ...}, as the AWS CLI takes it.
func TestInstanceRequirementsAPIJSON(t *testing.T) {
	got, err := instances.APIJSON(absPostRequirements().InstanceRequirementsRequest())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"AllowedInstanceTypes":["c5.*","m5.*","c4.*","m4.*"],"CpuManufacturers":["intel","amd"],` +
		`"MemoryMiB":{"Min":16384},"VCpuCount":{"Min":4}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestInstanceRequirementsRequest(t *testing.T) {
	r := absPostRequirements()
	r.NetworkBandwidthGbps = instances.FloatAtLeast(10)
	r.BaselinePerformanceFamilies = []string{"c6i"}
	r.BurstablePerformance = instances.Included
	ir := r.InstanceRequirementsRequest()
	if aws.ToInt32(ir.VCpuCount.Min) != 4 || ir.VCpuCount.Max != nil || aws.ToInt32(ir.MemoryMiB.Min) != 16384 ||
		aws.ToFloat64(ir.NetworkBandwidthGbps.Min) != 10 || ir.BurstablePerformance != types.BurstablePerformanceIncluded ||
		aws.ToString(ir.BaselinePerformanceFactors.Cpu.References[0].InstanceFamily) != "c6i" || ir.TotalLocalStorageGB != nil {
		t.Errorf("InstanceRequirementsRequest %+v", ir)
	}
	sir := r.InstanceRequirements()
	if aws.ToInt32(sir.VCpuCount.Min) != 4 || len(sir.AllowedInstanceTypes) != 4 ||
		aws.ToString(sir.BaselinePerformanceFactors.Cpu.References[0].InstanceFamily) != "c6i" {
		t.Errorf("InstanceRequirements (Spot Fleet) %+v", sir)
	}
}

// fullRequirements sets every member of InstanceRequirements, so a conversion that drops or
// renames one shows up.
func fullRequirements() instances.Requirements {
	return instances.Requirements{
		VCpuCount: instances.Between(4, 16), MemoryMiB: instances.Between(8192, 65536),
		MemoryGiBPerVCpu:                          instances.FloatBetween(2, 8),
		CpuManufacturers:                          []types.CpuManufacturer{types.CpuManufacturerIntel},
		InstanceGenerations:                       []types.InstanceGeneration{types.InstanceGenerationCurrent},
		BurstablePerformance:                      instances.Excluded,
		BareMetal:                                 instances.Included,
		LocalStorage:                              instances.Required,
		LocalStorageTypes:                         []types.LocalStorageType{types.LocalStorageTypeSsd},
		TotalLocalStorageGB:                       instances.FloatBetween(100, 1000),
		ExcludedInstanceTypes:                     []string{"t*"},
		BaselineEbsBandwidthMbps:                  instances.AtLeast(1000),
		NetworkBandwidthGbps:                      instances.FloatBetween(10, 50),
		NetworkInterfaceCount:                     instances.Between(2, 8),
		AcceleratorTypes:                          []types.AcceleratorType{types.AcceleratorTypeGpu},
		AcceleratorCount:                          instances.Between(1, 4),
		AcceleratorManufacturers:                  []types.AcceleratorManufacturer{types.AcceleratorManufacturerNvidia},
		AcceleratorNames:                          []types.AcceleratorName{types.AcceleratorNameA10g},
		AcceleratorTotalMemoryMiB:                 instances.AtLeast(16384),
		RequireHibernateSupport:                   true,
		RequireEncryptionInTransit:                true,
		BaselinePerformanceFamilies:               []string{"c6i"},
		OnDemandMaxPricePercentageOverLowestPrice: i32(20),
		SpotMaxPricePercentageOverLowestPrice:     i32(100),
	}
}

// TestInstanceRequirementsShapesAgree: the request shape (CreateFleet, launch templates) and the
// response shape (Spot Fleet) carry the same members with the same values.
func TestInstanceRequirementsShapesAgree(t *testing.T) {
	r := fullRequirements()
	req, err := json.Marshal(r.InstanceRequirementsRequest())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := json.Marshal(r.InstanceRequirements())
	if err != nil {
		t.Fatal(err)
	}
	var reqTree, respTree map[string]any
	if err := json.Unmarshal(req, &reqTree); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(resp, &respTree); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(reqTree, respTree); d != "" {
		t.Errorf("request vs response shape (-request +response):\n%s", d)
	}
	// Spot-check values against the input, written out by hand.
	ir := r.InstanceRequirements()
	if aws.ToInt32(ir.AcceleratorCount.Max) != 4 || aws.ToFloat64(ir.NetworkBandwidthGbps.Max) != 50 ||
		aws.ToFloat64(ir.MemoryGiBPerVCpu.Min) != 2 || ir.LocalStorage != types.LocalStorageRequired ||
		aws.ToInt32(ir.SpotMaxPricePercentageOverLowestPrice) != 100 || !aws.ToBool(ir.RequireHibernateSupport) ||
		aws.ToString(ir.BaselinePerformanceFactors.Cpu.References[0].InstanceFamily) != "c6i" {
		t.Errorf("InstanceRequirements %s", resp)
	}
	// The result must not alias the caller's slices.
	r2 := fullRequirements()
	out := r2.InstanceRequirementsRequest()
	r2.ExcludedInstanceTypes[0] = "changed"
	if out.ExcludedInstanceTypes[0] != "t*" {
		t.Error("InstanceRequirementsRequest aliases Requirements.ExcludedInstanceTypes")
	}
}
