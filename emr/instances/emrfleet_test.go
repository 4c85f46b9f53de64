package instances_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/datablocks-go/datablocks/emr/instances"
)

func fleetTypes(cfg emrtypes.InstanceFleetConfig) (names []string, weights []int32) {
	for _, tc := range cfg.InstanceTypeConfigs {
		names = append(names, aws.ToString(tc.InstanceType))
		weights = append(weights, aws.ToInt32(tc.WeightedCapacity))
	}
	return names, weights
}

// Catalog values (jq): m5.xlarge 4 vCPU/16 GiB, m5.2xlarge 8/32, r5.xlarge 4/32, m7i.2xlarge 8/32,
// m4.2xlarge 8/32; all current generation.
var fleetSelection = []string{"m5.xlarge", "m5.2xlarge", "m4.2xlarge", "m7i.2xlarge", "r5.xlarge"}

func TestEMRFleetCoreByVCPU(t *testing.T) {
	c := realCatalog(t)
	cfg, err := c.EMRFleet(emrtypes.InstanceFleetTypeCore, fleetSelection, func(o *instances.Options) {
		o.TargetSpotCapacity = 64
		o.TargetOnDemandCapacity = 16
	})
	if err != nil {
		t.Fatal(err)
	}
	want := emrtypes.InstanceFleetConfig{
		InstanceFleetType:      emrtypes.InstanceFleetTypeCore,
		Name:                   aws.String("Core"),
		TargetOnDemandCapacity: aws.Int32(16),
		TargetSpotCapacity:     aws.Int32(64),
		LaunchSpecifications: &emrtypes.InstanceFleetProvisioningSpecifications{
			OnDemandSpecification: &emrtypes.OnDemandProvisioningSpecification{AllocationStrategy: "lowest-price"},
			SpotSpecification: &emrtypes.SpotProvisioningSpecification{
				AllocationStrategy: "price-capacity-optimized", TimeoutAction: "SWITCH_TO_ON_DEMAND", TimeoutDurationMinutes: aws.Int32(60),
			},
		},
		// Newest generation first (m7i, then the 5th generation in input order, then m4).
		InstanceTypeConfigs: []emrtypes.InstanceTypeConfig{
			{InstanceType: aws.String("m7i.2xlarge"), WeightedCapacity: aws.Int32(8), BidPriceAsPercentageOfOnDemandPrice: aws.Float64(100)},
			{InstanceType: aws.String("m5.xlarge"), WeightedCapacity: aws.Int32(4), BidPriceAsPercentageOfOnDemandPrice: aws.Float64(100)},
			{InstanceType: aws.String("m5.2xlarge"), WeightedCapacity: aws.Int32(8), BidPriceAsPercentageOfOnDemandPrice: aws.Float64(100)},
			{InstanceType: aws.String("r5.xlarge"), WeightedCapacity: aws.Int32(4), BidPriceAsPercentageOfOnDemandPrice: aws.Float64(100)},
			{InstanceType: aws.String("m4.2xlarge"), WeightedCapacity: aws.Int32(8), BidPriceAsPercentageOfOnDemandPrice: aws.Float64(100)},
		},
	}
	if d := cmp.Diff(want, cfg, cmpopts.IgnoreUnexported(emrtypes.InstanceFleetConfig{}, emrtypes.InstanceTypeConfig{},
		emrtypes.InstanceFleetProvisioningSpecifications{}, emrtypes.OnDemandProvisioningSpecification{}, emrtypes.SpotProvisioningSpecification{})); d != "" {
		t.Errorf("fleet (-want +got):\n%s", d)
	}
}

func TestEMRFleetTaskByMemoryWithPrices(t *testing.T) {
	c := realCatalog(t)
	prices := instances.Prices{Spot: map[string]float64{"m5.xlarge": 0.08, "r5.xlarge": 0.08, "m5.2xlarge": 0.2}}
	cfg, err := c.EMRFleet(emrtypes.InstanceFleetTypeTask, fleetSelection, func(o *instances.Options) {
		o.TargetSpotCapacity = 256
		o.WeightBy = instances.WeightByMemoryGiB
		o.Prices = prices
		o.MaxInstanceTypes = 3
		o.SpotAllocationStrategy = emrtypes.SpotProvisioningAllocationStrategyCapacityOptimizedPrioritized
	})
	if err != nil {
		t.Fatal(err)
	}
	// Per GiB: r5.xlarge 0.08/32, m5.xlarge 0.08/16, m5.2xlarge 0.2/32; unpriced types last, cut at 3.
	names, weights := fleetTypes(cfg)
	if d := cmp.Diff([]string{"r5.xlarge", "m5.xlarge", "m5.2xlarge"}, names); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int32{32, 16, 32}, weights); d != "" {
		t.Errorf("weights (-want +got):\n%s", d)
	}
	for i, tc := range cfg.InstanceTypeConfigs {
		if aws.ToFloat64(tc.Priority) != float64(i) {
			t.Errorf("%s priority %v, want %d", aws.ToString(tc.InstanceType), tc.Priority, i)
		}
	}
	if cfg.TargetOnDemandCapacity != nil || aws.ToString(cfg.Name) != "Task" {
		t.Errorf("task fleet: %+v", cfg)
	}
}

func TestEMRFleetMasterWeightsOne(t *testing.T) {
	c := realCatalog(t)
	cfg, err := c.EMRFleet(emrtypes.InstanceFleetTypeMaster, []string{"m5.xlarge", "m5.2xlarge"}, func(o *instances.Options) {
		o.TargetOnDemandCapacity = 1
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, w := fleetTypes(cfg); w[0] != 1 || w[1] != 1 {
		t.Errorf("master weights %v", w)
	}
	if cfg.LaunchSpecifications.SpotSpecification != nil {
		t.Error("On-Demand master fleet has a Spot specification")
	}
}

func TestEMRFleetLimit(t *testing.T) {
	c := realCatalog(t)
	sel, err := c.Select(instances.Requirements{VCpuCount: instances.Between(4, 16), MemoryMiB: instances.AtLeast(0)})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := c.EMRFleet(emrtypes.InstanceFleetTypeTask, sel, func(o *instances.Options) {
		o.TargetSpotCapacity = 100
		o.AllowMixedArchitectures = true // the selection spans x86_64 and arm64
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sel) <= 30 || len(cfg.InstanceTypeConfigs) != 30 {
		t.Errorf("%d selected, %d configs; want EMR's limit of 30", len(sel), len(cfg.InstanceTypeConfigs))
	}
}

// Architectures from the catalog, read with jq: m1.small i386+x86_64, m5.large x86_64,
// m6g.large arm64.
func TestEMRFleetArchitectures(t *testing.T) {
	c := realCatalog(t)
	spot := func(o *instances.Options) { o.TargetSpotCapacity = 4 }
	// m1.small and m5.large share x86_64: accepted.
	if _, err := c.EMRFleet(emrtypes.InstanceFleetTypeTask, []string{"m1.small", "m5.large"}, spot); err != nil {
		t.Fatalf("one shared architecture refused: %v", err)
	}
	// m5.large and m6g.large share none: refused, naming both.
	_, err := c.EMRFleet(emrtypes.InstanceFleetTypeTask, []string{"m5.large", "m6g.large"}, spot)
	if err == nil || !strings.Contains(err.Error(), "m5.large (x86_64)") || !strings.Contains(err.Error(), "m6g.large (arm64)") {
		t.Fatalf("mixed architectures: err = %v, want a refusal naming m5.large (x86_64) and m6g.large (arm64)", err)
	}
	cfg, err := c.EMRFleet(emrtypes.InstanceFleetTypeTask, []string{"m5.large", "m6g.large"}, spot,
		func(o *instances.Options) { o.AllowMixedArchitectures = true })
	if err != nil || len(cfg.InstanceTypeConfigs) != 2 {
		t.Fatalf("AllowMixedArchitectures: %d configs, %v", len(cfg.InstanceTypeConfigs), err)
	}
}

func TestEMRFleetValidation(t *testing.T) {
	c := realCatalog(t)
	cases := []struct {
		name  string
		fleet emrtypes.InstanceFleetType
		types []string
		opt   func(o *instances.Options)
		want  string
	}{
		{"empty selection", "TASK", nil, func(o *instances.Options) { o.TargetSpotCapacity = 1 }, "at least one instance type"},
		{"unknown type", "TASK", []string{"m5.notasize"}, func(o *instances.Options) { o.TargetSpotCapacity = 1 }, `"m5.notasize" is not in the catalog`},
		{"no capacity", "CORE", []string{"m5.large"}, func(*instances.Options) {}, "TargetOnDemandCapacity or TargetSpotCapacity > 0"},
		{"master capacity", "MASTER", []string{"m5.large"}, func(o *instances.Options) { o.TargetOnDemandCapacity = 2 }, "exactly one"},
		{"too many types", "TASK", []string{"m5.large"}, func(o *instances.Options) { o.TargetSpotCapacity = 1; o.MaxInstanceTypes = 31 }, "outside 1–30"},
		{"fleet type", "SPARE", []string{"m5.large"}, func(o *instances.Options) { o.TargetSpotCapacity = 1 }, "not MASTER, CORE or TASK"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.EMRFleet(tc.fleet, tc.types, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "instances: ") {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
