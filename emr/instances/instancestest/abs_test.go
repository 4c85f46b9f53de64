package instancestest_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
)

func req(vmin, vmax, mmin int32, edit func(*types.InstanceRequirementsRequest)) *types.InstanceRequirementsRequest {
	r := &types.InstanceRequirementsRequest{
		VCpuCount: &types.VCpuCountRangeRequest{Min: aws.Int32(vmin)},
		MemoryMiB: &types.MemoryMiBRequest{Min: aws.Int32(mmin)},
	}
	if vmax >= 0 {
		r.VCpuCount.Max = aws.Int32(vmax)
	}
	if edit != nil {
		edit(r)
	}
	return r
}

// TestRequirementsSemantics evaluates requirements over the 23-type sample. Each expected list
// is read off the sample's attributes (vCPUs, MiB, architecture, flags, devices) with the rule of
// the EC2 User Guide the case names, not computed by any selector.
func TestRequirementsSemantics(t *testing.T) {
	ctx := context.Background()
	f := instancestest.New()
	x86 := []types.ArchitectureType{types.ArchitectureTypeX8664}
	tests := []struct {
		name  string
		archs []types.ArchitectureType
		req   *types.InstanceRequirementsRequest
		want  []string
	}{
		{"ABS post example 2: >=4 vCPU, >=16 GiB, Intel or AMD, c5/m5/c4/m4 (m5.metal: bare metal excluded by default)", x86,
			req(4, -1, 16384, func(r *types.InstanceRequirementsRequest) {
				r.CpuManufacturers = []types.CpuManufacturer{"intel", "amd"}
				r.AllowedInstanceTypes = []string{"c5.*", "m5.*", "c4.*", "m4.*"}
			}),
			[]string{"c5.2xlarge", "m4.2xlarge", "m5.2xlarge", "m5.4xlarge", "m5.8xlarge", "m5.xlarge"}},
		{"architecture arm64 only", []types.ArchitectureType{types.ArchitectureTypeArm64}, req(0, -1, 0, nil),
			[]string{"c6g.2xlarge", "m6g.2xlarge", "m6g.xlarge", "r6g.2xlarge"}},
		{"GPUs by NVIDIA", x86, req(0, -1, 0, func(r *types.InstanceRequirementsRequest) {
			r.AcceleratorTypes = []types.AcceleratorType{"gpu"}
			r.AcceleratorManufacturers = []types.AcceleratorManufacturer{"nvidia"}
		}), []string{"g5.xlarge"}},
		{"accelerator name a10g and at least 20000 MiB of accelerator memory", x86, req(0, -1, 0, func(r *types.InstanceRequirementsRequest) {
			r.AcceleratorNames = []types.AcceleratorName{"a10g"}
			r.AcceleratorTotalMemoryMiB = &types.AcceleratorTotalMemoryMiBRequest{Min: aws.Int32(20000)}
		}), []string{"g5.xlarge"}},
		{"AcceleratorCount Max 0 excludes accelerated types; burstable excluded by default", x86, req(4, 4, 0, func(r *types.InstanceRequirementsRequest) {
			r.AcceleratorCount = &types.AcceleratorCountRequest{Max: aws.Int32(0)}
		}), []string{"c5.xlarge", "m5.xlarge", "r5.xlarge"}},
		{"bare metal required", x86, req(0, -1, 0, func(r *types.InstanceRequirementsRequest) { r.BareMetal = types.BareMetalRequired }),
			[]string{"m5.metal"}},
		{"local storage required", x86, req(0, -1, 0, func(r *types.InstanceRequirementsRequest) { r.LocalStorage = types.LocalStorageRequired }),
			[]string{"g5.xlarge", "m5d.2xlarge"}},
		{"at least 260 GB of instance store (EBS-only types have 0)", x86, req(0, -1, 0, func(r *types.InstanceRequirementsRequest) {
			r.TotalLocalStorageGB = &types.TotalLocalStorageGBRequest{Min: aws.Float64(260)}
		}), []string{"m5d.2xlarge"}},
		{"at least 8 GiB per vCPU", x86, req(0, -1, 0, func(r *types.InstanceRequirementsRequest) {
			r.MemoryGiBPerVCpu = &types.MemoryGiBPerVCpuRequest{Min: aws.Float64(8)}
		}), []string{"r5.2xlarge", "r5.xlarge", "r6i.2xlarge"}},
		{"ExcludedInstanceTypes *5* among 8 vCPUs: * spans dots and letters", x86, req(8, 8, 0, func(r *types.InstanceRequirementsRequest) {
			r.ExcludedInstanceTypes = []string{"*5*"}
		}), []string{"m4.2xlarge", "m6i.2xlarge", "m7i.2xlarge", "r6i.2xlarge"}},
		{"at least 8 network interfaces", x86, req(0, -1, 0, func(r *types.InstanceRequirementsRequest) {
			r.NetworkInterfaceCount = &types.NetworkInterfaceCountRequest{Min: aws.Int32(8)}
		}), []string{"m5.4xlarge", "m5.8xlarge"}},
		{"at least 10 Gbps baseline: 'Up to' figures are bursts, not baselines", x86, req(0, -1, 0, func(r *types.InstanceRequirementsRequest) {
			r.NetworkBandwidthGbps = &types.NetworkBandwidthGbpsRequest{Min: aws.Float64(10)}
		}), []string{"m5.8xlarge"}},
		{"burstable required", x86, req(0, -1, 0, func(r *types.InstanceRequirementsRequest) {
			r.BurstablePerformance = types.BurstablePerformanceRequired
		}), []string{"t3.large", "t3.xlarge"}},
	}
	for _, tt := range tests {
		out, err := f.GetInstanceTypesFromInstanceRequirements(ctx, &ec2.GetInstanceTypesFromInstanceRequirementsInput{
			ArchitectureTypes: tt.archs, VirtualizationTypes: []types.VirtualizationType{"hvm"}, InstanceRequirements: tt.req,
		})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got []string
		for _, it := range out.InstanceTypes {
			got = append(got, aws.ToString(it.InstanceType))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, got, tt.want)
		}
	}
}

// A seed that knows more than the sample (the baseline bandwidth the ABS post quotes for
// c5n.2xlarge: 10 Gbps, up to 25) changes the answer, as AWS's fuller data does.
func TestRequirementsUseTheSeedsNetworkCards(t *testing.T) {
	infos := instancestest.SampleInstanceTypes()
	for i := range infos {
		if infos[i].InstanceType == "c5n.2xlarge" {
			infos[i].NetworkInfo.NetworkCards[0].BaselineBandwidthInGbps = aws.Float64(10)
			infos[i].NetworkInfo.NetworkCards[0].PeakBandwidthInGbps = aws.Float64(25)
		}
	}
	f := instancestest.New(func(o *instancestest.Options) { o.InstanceTypes = infos })
	out, err := f.GetInstanceTypesFromInstanceRequirements(context.Background(), &ec2.GetInstanceTypesFromInstanceRequirementsInput{
		ArchitectureTypes: []types.ArchitectureType{"x86_64"}, VirtualizationTypes: []types.VirtualizationType{"hvm"},
		InstanceRequirements: req(0, -1, 0, func(r *types.InstanceRequirementsRequest) {
			r.NetworkBandwidthGbps = &types.NetworkBandwidthGbpsRequest{Min: aws.Float64(10), Max: aws.Float64(25)}
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range out.InstanceTypes {
		got = append(got, aws.ToString(it.InstanceType))
	}
	// m5.8xlarge: 10 Gigabit both ways; c5n.2xlarge: baseline 10, peak 25; m5.metal is bare metal.
	if want := []string{"c5n.2xlarge", "m5.8xlarge"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRequirementsValidationCodes(t *testing.T) {
	f := instancestest.New()
	base := func() *ec2.GetInstanceTypesFromInstanceRequirementsInput {
		return &ec2.GetInstanceTypesFromInstanceRequirementsInput{
			ArchitectureTypes: []types.ArchitectureType{"x86_64"}, VirtualizationTypes: []types.VirtualizationType{"hvm"},
			InstanceRequirements: req(2, 4, 0, nil),
		}
	}
	tests := []struct {
		name string
		edit func(*ec2.GetInstanceTypesFromInstanceRequirementsInput)
		code string
	}{
		{"no architecture", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) { in.ArchitectureTypes = nil }, "MissingParameter"},
		{"four architectures", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.ArchitectureTypes = []types.ArchitectureType{"i386", "x86_64", "arm64", "arm64_mac"}
		}, "InvalidParameterValue"},
		{"unknown architecture", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.ArchitectureTypes = []types.ArchitectureType{"amd64"}
		}, "InvalidParameterValue"},
		{"no virtualization type", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) { in.VirtualizationTypes = nil }, "MissingParameter"},
		{"no MemoryMiB.Min", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.MemoryMiB = &types.MemoryMiBRequest{}
		}, "MissingParameter"},
		{"Min above Max", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.VCpuCount.Min = aws.Int32(8)
		}, "InvalidParameterValue"},
		{"negative GiB per vCPU", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.MemoryGiBPerVCpu = &types.MemoryGiBPerVCpuRequest{Min: aws.Float64(-1)}
		}, "InvalidParameterValue"},
		{"negative accelerator count", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.AcceleratorCount = &types.AcceleratorCountRequest{Max: aws.Int32(-1)}
		}, "InvalidParameterValue"},
		{"network interfaces Min above Max", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.NetworkInterfaceCount = &types.NetworkInterfaceCountRequest{Min: aws.Int32(4), Max: aws.Int32(2)}
		}, "InvalidParameterValue"},
		{"NaN network bandwidth", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.NetworkBandwidthGbps = &types.NetworkBandwidthGbpsRequest{Min: aws.Float64(math.NaN())}
		}, "InvalidParameterValue"},
		{"unknown manufacturer", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.CpuManufacturers = []types.CpuManufacturer{"Intel"}
		}, "InvalidParameterValue"},
		{"tri-state", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.BareMetal = "maybe"
		}, "InvalidParameterValue"},
		{"allowed and excluded", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.AllowedInstanceTypes, in.InstanceRequirements.ExcludedInstanceTypes = []string{"m5.*"}, []string{"t3.*"}
		}, "InvalidParameterCombination"},
		{"two Spot price protections", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.SpotMaxPricePercentageOverLowestPrice = aws.Int32(100)
			in.InstanceRequirements.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice = aws.Int32(50)
		}, "InvalidParameterCombination"},
		{"pattern over 30 characters", func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) {
			in.InstanceRequirements.AllowedInstanceTypes = []string{"m5.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}
		}, "InvalidParameterValue"},
	}
	for _, tt := range tests {
		in := base()
		tt.edit(in)
		_, err := f.GetInstanceTypesFromInstanceRequirements(context.Background(), in)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
}

// FuzzStarMatch checks the wildcard matcher against its definition on short inputs: a pattern
// without * matches only itself, and "*" matches everything.
func FuzzRequirementsPatterns(f *testing.F) {
	f.Add("m5.*", "m5.large")
	f.Add("*3*", "t3.large")
	f.Add("**********************a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab")
	f.Fuzz(func(t *testing.T, pattern, name string) {
		in := &ec2.GetInstanceTypesFromInstanceRequirementsInput{
			ArchitectureTypes: []types.ArchitectureType{"x86_64", "arm64"}, VirtualizationTypes: []types.VirtualizationType{"hvm"},
			InstanceRequirements: req(0, -1, 0, func(r *types.InstanceRequirementsRequest) { r.AllowedInstanceTypes = []string{pattern} }),
		}
		infos := []types.InstanceTypeInfo{{
			InstanceType: types.InstanceType(name), VCpuInfo: &types.VCpuInfo{DefaultVCpus: aws.Int32(2)},
			MemoryInfo: &types.MemoryInfo{SizeInMiB: aws.Int64(1024)}, ProcessorInfo: &types.ProcessorInfo{SupportedArchitectures: []types.ArchitectureType{"x86_64"}},
			BurstablePerformanceSupported: aws.Bool(false), BareMetal: aws.Bool(false),
		}}
		if name == "" {
			return
		}
		out, err := instancestest.New(func(o *instancestest.Options) { o.InstanceTypes = infos }).GetInstanceTypesFromInstanceRequirements(context.Background(), in)
		if err != nil {
			return // an invalid pattern
		}
		matched := len(out.InstanceTypes) == 1
		switch {
		case pattern == "*" && !matched:
			t.Errorf("* does not match %q", name)
		case !containsStar(pattern) && matched != (pattern == name):
			t.Errorf("pattern %q without * and %q: matched %v", pattern, name, matched)
		}
	})
}

func containsStar(s string) bool { return slices.Contains([]byte(s), '*') }
