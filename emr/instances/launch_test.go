package instances_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

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

// The ASG shape from the ABS post: MixedInstancesPolicy{LaunchTemplate{LaunchTemplateSpecification,
// Overrides[{InstanceRequirements}]}, InstancesDistribution{...}}.
func TestAutoScalingPolicyJSON(t *testing.T) {
	p := instances.AutoScalingPolicy{
		LaunchTemplateName:                  "spark-workers",
		Requirements:                        absPostRequirements(),
		OnDemandPercentageAboveBaseCapacity: 30,
		SpotAllocationStrategy:              "capacity-optimized",
	}
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"InstancesDistribution":{"OnDemandBaseCapacity":0,"OnDemandPercentageAboveBaseCapacity":30,"SpotAllocationStrategy":"capacity-optimized"},` +
		`"LaunchTemplate":{"LaunchTemplateSpecification":{"LaunchTemplateName":"spark-workers","Version":"$Latest"},` +
		`"Overrides":[{"InstanceRequirements":{"AllowedInstanceTypes":["c5.*","m5.*","c4.*","m4.*"],"CpuManufacturers":["intel","amd"],` +
		`"MemoryMiB":{"Min":16384},"VCpuCount":{"Min":4}}}]}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestFleetLaunchTemplateConfig(t *testing.T) {
	r := absPostRequirements()
	r.NetworkBandwidthGbps = instances.FloatAtLeast(10)
	r.BaselinePerformanceFamilies = []string{"c6i"}
	r.BurstablePerformance = instances.Included
	cfg := r.FleetLaunchTemplateConfig(types.FleetLaunchTemplateSpecificationRequest{
		LaunchTemplateName: aws.String("lt"), Version: aws.String("$Latest"),
	}, "subnet-a", "subnet-b")
	if len(cfg.Overrides) != 2 || aws.ToString(cfg.Overrides[1].SubnetId) != "subnet-b" {
		t.Fatalf("overrides %+v", cfg.Overrides)
	}
	ir := cfg.Overrides[0].InstanceRequirements
	if aws.ToInt32(ir.VCpuCount.Min) != 4 || ir.VCpuCount.Max != nil || aws.ToInt32(ir.MemoryMiB.Min) != 16384 ||
		aws.ToFloat64(ir.NetworkBandwidthGbps.Min) != 10 || ir.BurstablePerformance != types.BurstablePerformanceIncluded ||
		aws.ToString(ir.BaselinePerformanceFactors.Cpu.References[0].InstanceFamily) != "c6i" || ir.TotalLocalStorageGB != nil {
		t.Errorf("InstanceRequirementsRequest %+v", ir)
	}
	if cfg.Overrides[0].InstanceType != "" {
		t.Error("an override with InstanceRequirements must not name an InstanceType")
	}
	sf := r.SpotFleetLaunchTemplateConfig(types.FleetLaunchTemplateSpecification{LaunchTemplateName: aws.String("lt")})
	sir := sf.Overrides[0].InstanceRequirements
	if len(sf.Overrides) != 1 || aws.ToInt32(sir.VCpuCount.Min) != 4 || len(sir.AllowedInstanceTypes) != 4 ||
		aws.ToString(sir.BaselinePerformanceFactors.Cpu.References[0].InstanceFamily) != "c6i" {
		t.Errorf("Spot Fleet override %+v", sir)
	}
}
