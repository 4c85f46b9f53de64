package instances_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"

	"github.com/datablocks-go/datablocks/emr/instances"
	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
)

// intelMidSize is 4–8 vCPUs, at least 16 GiB, Intel CPUs (burstable and bare metal excluded by default).
func intelMidSize() instances.Requirements {
	return instances.Requirements{
		VCpuCount:        instances.Between(4, 8),
		MemoryMiB:        instances.AtLeast(16384),
		CpuManufacturers: []types.CpuManufacturer{types.CpuManufacturerIntel},
	}
}

func ExampleCatalog_Select() {
	ctx := context.Background()
	// The fake serves 23 real us-east-1 types; pass ec2.NewFromConfig(cfg) for a real region.
	cat, err := instances.LoadCatalog(ctx, instancestest.New())
	if err != nil {
		fmt.Println(err)
		return
	}
	names, err := cat.Select(intelMidSize())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(names)
	// Output:
	// [c5.2xlarge c5n.2xlarge m4.2xlarge m5.xlarge m5.2xlarge m5d.2xlarge m6i.2xlarge m7i.2xlarge r5.xlarge r5.2xlarge r6i.2xlarge]
}

func ExampleCatalog_Explain() {
	cat, err := instances.NewCatalog(instancestest.SampleInstanceTypes())
	if err != nil {
		fmt.Println(err)
		return
	}
	why, err := cat.Explain(intelMidSize(), "t3.xlarge")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(why)
	// Output:
	// t3.xlarge: not selected
	//   pass    VCpuCount: want [4, 8], have 4
	//   pass    MemoryMiB: want [16384, ∞] MiB, have 16384 MiB
	//   fail    BurstablePerformance: want excluded, have burstable true
	//   pass    BareMetal: want excluded, have bare metal false
	//   pass    CpuManufacturers: want intel, have intel
}

func ExampleCatalog_EMRFleet() {
	cat, err := instances.NewCatalog(instancestest.SampleInstanceTypes())
	if err != nil {
		fmt.Println(err)
		return
	}
	names, err := cat.Select(intelMidSize())
	if err != nil {
		fmt.Println(err)
		return
	}
	fleet, err := cat.EMRFleet(emrtypes.InstanceFleetTypeTask, names, func(o *instances.Options) {
		o.TargetSpotCapacity = 64 // vCPUs
		o.MaxInstanceTypes = 4
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, tc := range fleet.InstanceTypeConfigs {
		fmt.Println(aws.ToString(tc.InstanceType), aws.ToInt32(tc.WeightedCapacity))
	}
	fmt.Println(fleet.LaunchSpecifications.SpotSpecification.AllocationStrategy)
	// Output:
	// m7i.2xlarge 8
	// m6i.2xlarge 8
	// r6i.2xlarge 8
	// c5.2xlarge 8
	// price-capacity-optimized
}

func ExampleRemoteSelector_CrossCheck() {
	ctx := context.Background()
	// The local catalog is the sample; the fake plays EC2 and knows more: the 10 Gbps baseline
	// of c5n.2xlarge that the ABS post quotes, where the catalog says "Up to 25 Gigabit".
	cat, err := instances.NewCatalog(instancestest.SampleInstanceTypes())
	if err != nil {
		fmt.Println(err)
		return
	}
	aws := instancestest.SampleInstanceTypes()
	for i := range aws {
		if aws[i].InstanceType == "c5n.2xlarge" {
			card := &aws[i].NetworkInfo.NetworkCards[0]
			card.BaselineBandwidthInGbps, card.PeakBandwidthInGbps = ptr(10.0), ptr(25.0)
		}
	}
	fake := instancestest.New(func(o *instancestest.Options) { o.InstanceTypes = aws })
	req := instances.Requirements{
		VCpuCount: instances.AtLeast(8), MemoryMiB: instances.AtLeast(16384),
		NetworkBandwidthGbps: instances.FloatAtLeast(10), AllowedInstanceTypes: []string{"c5n.*"},
	}
	diff, err := instances.NewRemoteSelector(fake).CrossCheck(ctx, cat, req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(diff)
	// Output:
	// local 0, remote 1
	// only remote:    c5n.2xlarge
}

func ptr[T any](v T) *T { return &v }

func ExampleCatalog_KarpenterNodePool() {
	cat, err := instances.NewCatalog(instancestest.SampleInstanceTypes())
	if err != nil {
		fmt.Println(err)
		return
	}
	req := instances.Requirements{VCpuCount: instances.Between(8, 8), MemoryMiB: instances.AtLeast(32768)}
	names, err := cat.Select(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	np, err := cat.KarpenterNodePool("spark-executors", req, names)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(np.YAML())
	// Output:
	// apiVersion: "karpenter.sh/v1"
	// kind: "NodePool"
	// metadata:
	//   name: "spark-executors"
	// spec:
	//   template:
	//     spec:
	//       nodeClassRef:
	//         group: "karpenter.k8s.aws"
	//         kind: "EC2NodeClass"
	//         name: "default"
	//       requirements:
	//         - key: "karpenter.k8s.aws/instance-cpu"
	//           operator: "Gt"
	//           values: ["7"]
	//         - key: "karpenter.k8s.aws/instance-cpu"
	//           operator: "Lt"
	//           values: ["9"]
	//         - key: "karpenter.k8s.aws/instance-memory"
	//           operator: "Gt"
	//           values: ["32767"]
	//         - key: "karpenter.k8s.aws/instance-category"
	//           operator: "In"
	//           values: ["m", "r"]
	//         - key: "karpenter.k8s.aws/instance-generation"
	//           operator: "In"
	//           values: ["4", "5", "6", "7"]
	//         - key: "kubernetes.io/arch"
	//           operator: "In"
	//           values: ["amd64", "arm64"]
	//         - key: "karpenter.sh/capacity-type"
	//           operator: "In"
	//           values: ["spot"]
	//   disruption:
	//     consolidationPolicy: "WhenEmptyOrUnderutilized"
	//     consolidateAfter: "30s"
}

func ExampleLoadCatalog() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "catalog")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	cache := func(o *instances.Options) { o.CacheFile = filepath.Join(dir, "us-east-1.json") }

	ec2 := instancestest.New() // ec2.NewFromConfig(cfg) in production
	cat, err := instances.LoadCatalog(ctx, ec2, cache)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(cat.Names()), ec2.Count("DescribeInstanceTypes"))

	// The cache file is fresh for a day (CacheTTL): the second load calls EC2 no more.
	again, err := instances.LoadCatalog(ctx, ec2, cache)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(again.Names()), ec2.Count("DescribeInstanceTypes"))
	// 23 types come in one page of MaxResults 100.
	// Output:
	// 23 1
	// 23 1
}

// Example_packageDoc runs the package documentation's snippet, on the sample catalog: the
// candidates it passes to EMRFleet share one architecture, as an EMR fleet needs.
func Example_packageDoc() {
	ctx := context.Background()
	cat, err := instances.LoadCatalog(ctx, instancestest.New())
	if err != nil {
		fmt.Println(err)
		return
	}
	req := instances.Requirements{
		VCpuCount:           instances.Between(4, 16),
		MemoryMiB:           instances.AtLeast(0),
		MemoryGiBPerVCpu:    instances.FloatBetween(2, 8),
		InstanceGenerations: []types.InstanceGeneration{types.InstanceGenerationCurrent},
		Architectures:       []types.ArchitectureType{types.ArchitectureTypeX8664}, // one fleet, one AMI architecture
	}
	names, err := cat.Select(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fleet, err := cat.EMRFleet(emrtypes.InstanceFleetTypeTask, names, func(o *instances.Options) { o.TargetSpotCapacity = 64 })
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(names) == len(fleet.InstanceTypeConfigs), aws.ToInt32(fleet.TargetSpotCapacity))
	// Output: true 64
}

// The requirements travel to EC2 Fleet, launch templates and Auto Scaling in the SDK's request
// shape; APIJSON renders it as the AWS CLI takes it (here, an Auto Scaling override's
// InstanceRequirements).
func ExampleRequirements_InstanceRequirementsRequest() {
	req := intelMidSize()
	fleet := types.FleetLaunchTemplateConfigRequest{
		LaunchTemplateSpecification: &types.FleetLaunchTemplateSpecificationRequest{LaunchTemplateName: aws.String("spark")},
		Overrides: []types.FleetLaunchTemplateOverridesRequest{
			{InstanceRequirements: req.InstanceRequirementsRequest(), SubnetId: aws.String("subnet-0a")},
		},
	}
	fmt.Println(aws.ToInt32(fleet.Overrides[0].InstanceRequirements.VCpuCount.Max))
	js, err := instances.APIJSON(req.InstanceRequirementsRequest())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(js))
	// Output:
	// 8
	// {"CpuManufacturers":["intel"],"MemoryMiB":{"Min":16384},"VCpuCount":{"Max":8,"Min":4}}
}
