package instances_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks/emr/instances"
	"github.com/datablocks-go/datablocks/internal/awsfake"
)

// item is one instanceTypeSet entry as EC2 returns it (values of the real m5.large, m6g.large and
// t3.micro entries).
func item(name, arch, maker string, vcpus, mib int, burstable bool, perf string) string {
	b := "false"
	if burstable {
		b = "true"
	}
	return `<item><instanceType>` + name + `</instanceType><currentGeneration>true</currentGeneration>` +
		`<bareMetal>false</bareMetal><burstablePerformanceSupported>` + b + `</burstablePerformanceSupported>` +
		`<processorInfo><supportedArchitectures><item>` + arch + `</item></supportedArchitectures><manufacturer>` + maker + `</manufacturer></processorInfo>` +
		`<vCpuInfo><defaultVCpus>` + strconv.Itoa(vcpus) + `</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>` + strconv.Itoa(mib) + `</sizeInMiB></memoryInfo>` +
		`<networkInfo><networkPerformance>` + perf + `</networkPerformance><maximumNetworkInterfaces>3</maximumNetworkInterfaces></networkInfo></item>`
}

// TestWireDescribeInstanceTypes drives LoadCatalog through the real ec2 client: two pages joined
// by NextToken, MaxResults 100, and XML decoded into the catalog.
func TestWireDescribeInstanceTypes(t *testing.T) {
	s := awsfake.New(t)
	s.HandleEC2Query("DescribeInstanceTypes", func(r *awsfake.Request) (any, error) {
		if r.Form.Get("NextToken") == "" {
			return `<instanceTypeSet>` + item("m5.large", "x86_64", "Intel", 2, 8192, false, "Up to 10 Gigabit") +
				item("m6g.large", "arm64", "AWS", 2, 8192, false, "Up to 10 Gigabit") + `</instanceTypeSet><nextToken>page-2</nextToken>`, nil
		}
		return `<instanceTypeSet>` + item("t3.micro", "x86_64", "Intel", 2, 1024, true, "Up to 5 Gigabit") + `</instanceTypeSet>`, nil
	})
	c, err := instances.LoadCatalog(context.Background(), ec2.NewFromConfig(s.Config()))
	if err != nil {
		t.Fatal(err)
	}
	reqs := s.Ops("DescribeInstanceTypes")
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	want := []url.Values{
		{"Action": {"DescribeInstanceTypes"}, "Version": {"2016-11-15"}, "MaxResults": {"100"}},
		{"Action": {"DescribeInstanceTypes"}, "Version": {"2016-11-15"}, "MaxResults": {"100"}, "NextToken": {"page-2"}},
	}
	for i, r := range reqs {
		if !r.Verified {
			t.Errorf("request %d not SigV4-verified", i)
		}
		if d := cmp.Diff(want[i], r.Form); d != "" {
			t.Errorf("request %d body (-want +got):\n%s", i, d)
		}
	}
	if got := c.Names(); !slices.Equal(got, []string{"m5.large", "m6g.large", "t3.micro"}) {
		t.Fatalf("catalog %v", got)
	}
	got, err := c.Select(instances.Requirements{
		VCpuCount: instances.AtLeast(2), MemoryMiB: instances.AtLeast(4096),
		CpuManufacturers: []types.CpuManufacturer{types.CpuManufacturerAmazonWebServices},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"m6g.large"}) {
		t.Errorf("Select = %v, want [m6g.large]", got)
	}
}

// TestWireGetInstanceTypesFromInstanceRequirements checks the request body against the ec2Query
// form in the API reference (the ABS post's example: ≥32 vCPUs, ≥64 GiB, ≥10 Gbps, m5*) and
// follows NextToken.
func TestWireGetInstanceTypesFromInstanceRequirements(t *testing.T) {
	s := awsfake.New(t)
	s.HandleEC2Query("GetInstanceTypesFromInstanceRequirements", func(r *awsfake.Request) (any, error) {
		if r.Form.Get("NextToken") == "" {
			return `<instanceTypeSet><item><instanceType>m5.8xlarge</instanceType></item><item><instanceType>m5.12xlarge</instanceType></item></instanceTypeSet><nextToken>p2</nextToken>`, nil
		}
		return `<instanceTypeSet><item><instanceType>m5n.8xlarge</instanceType></item></instanceTypeSet>`, nil
	})
	sel := instances.NewRemoteSelector(ec2.NewFromConfig(s.Config()))
	got, err := sel.Select(context.Background(), instances.Requirements{
		VCpuCount:            instances.AtLeast(32),
		MemoryMiB:            instances.AtLeast(65536),
		NetworkBandwidthGbps: instances.FloatAtLeast(10),
		AllowedInstanceTypes: []string{"m5*"},
		Architectures:        []types.ArchitectureType{types.ArchitectureTypeX8664},
		VirtualizationTypes:  []types.VirtualizationType{types.VirtualizationTypeHvm},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"m5.12xlarge", "m5.8xlarge", "m5n.8xlarge"}; !slices.Equal(got, want) {
		t.Errorf("Select = %v, want %v", got, want)
	}
	reqs := s.Ops("GetInstanceTypesFromInstanceRequirements")
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	// From the reference: Action=GetInstanceTypesFromInstanceRequirements&ArchitectureType.1=x86_64
	// &VirtualizationType.1=hvm&InstanceRequirements.VCpuCount.Min=32&InstanceRequirements.MemoryMiB.Min=65536
	// &InstanceRequirements.NetworkBandwidthGbps.Min=10&InstanceRequirements.AllowedInstanceType.1=m5%2A&Version=2016-11-15
	want := url.Values{
		"Action":                             {"GetInstanceTypesFromInstanceRequirements"},
		"Version":                            {"2016-11-15"},
		"ArchitectureType.1":                 {"x86_64"},
		"VirtualizationType.1":               {"hvm"},
		"InstanceRequirements.VCpuCount.Min": {"32"},
		"InstanceRequirements.MemoryMiB.Min": {"65536"},
		"InstanceRequirements.NetworkBandwidthGbps.Min": {"10"},
		"InstanceRequirements.AllowedInstanceType.1":    {"m5*"},
	}
	if d := cmp.Diff(want, reqs[0].Form); d != "" {
		t.Errorf("first request body (-want +got):\n%s", d)
	}
	if reqs[1].Form.Get("NextToken") != "p2" || !reqs[1].Verified {
		t.Errorf("second request: NextToken %q, verified %v", reqs[1].Form.Get("NextToken"), reqs[1].Verified)
	}
}

// TestWireEC2Error: an EC2 error reaches the caller wrapped, with its code.
func TestWireEC2Error(t *testing.T) {
	s := awsfake.New(t)
	s.HandleEC2Query("GetInstanceTypesFromInstanceRequirements", func(*awsfake.Request) (any, error) {
		return nil, &awsfake.Error{Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."}
	})
	_, err := instances.NewRemoteSelector(ec2.NewFromConfig(s.Config())).Select(context.Background(), any0())
	if code := apiCode(err); code != "UnauthorizedOperation" {
		t.Fatalf("got %v", err)
	}
}
