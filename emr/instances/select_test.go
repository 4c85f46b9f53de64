package instances_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/datablocks-go/datablocks/emr/instances"
)

// catalogPath is the real us-east-1 catalog (910 types) shared beside the checkout.
const catalogPath = "../../../shared/testdata/ec2/describe-instance-types.json"

var (
	catOnce sync.Once
	cat     *instances.Catalog
	catErr  error
)

// realCatalog loads the shared catalog once, skipping the test when the file is absent.
func realCatalog(tb testing.TB) *instances.Catalog {
	tb.Helper()
	if _, err := os.Stat(catalogPath); err != nil {
		tb.Skipf("real EC2 catalog %s not found (it lives in ../shared beside the checkout): %v", catalogPath, err)
	}
	catOnce.Do(func() { cat, catErr = instances.LoadCatalogFile(catalogPath) })
	if catErr != nil {
		tb.Fatal(catErr)
	}
	return cat
}

// any0 is the weakest valid requirement: every size.
func any0() instances.Requirements {
	return instances.Requirements{VCpuCount: instances.AtLeast(0), MemoryMiB: instances.AtLeast(0)}
}

func i32(v int32) *int32 { return &v }

type attrCase struct {
	name    string
	mod     func(r *instances.Requirements)
	typ     string
	attr    string            // Requirements field whose check is asserted
	verdict instances.Verdict // expected verdict of that check
	opts    []func(*instances.Options)
}

// Every case reads one real catalog entry; the comment gives the entry's value (read with jq)
// and the rule from the EC2 InstanceRequirements documentation.
var attrCases = []attrCase{
	// VCpuCount: m5.xlarge has 4 vCPUs, m5.large 2, m5.8xlarge 32.
	{"vcpu include", func(r *instances.Requirements) { r.VCpuCount = instances.Between(4, 16) }, "m5.xlarge", "VCpuCount", instances.Pass, nil},
	{"vcpu below min", func(r *instances.Requirements) { r.VCpuCount = instances.Between(4, 16) }, "m5.large", "VCpuCount", instances.Fail, nil},
	{"vcpu above max", func(r *instances.Requirements) { r.VCpuCount = instances.Between(4, 16) }, "m5.8xlarge", "VCpuCount", instances.Fail, nil},
	// MemoryMiB: m5.xlarge has 16384 MiB; bounds are inclusive.
	{"memory include at min", func(r *instances.Requirements) { r.MemoryMiB = instances.AtLeast(16384) }, "m5.xlarge", "MemoryMiB", instances.Pass, nil},
	{"memory below min", func(r *instances.Requirements) { r.MemoryMiB = instances.AtLeast(16385) }, "m5.xlarge", "MemoryMiB", instances.Fail, nil},
	{"memory above max", func(r *instances.Requirements) { r.MemoryMiB = instances.Between(0, 8192) }, "m5.xlarge", "MemoryMiB", instances.Fail, nil},
	// MemoryGiBPerVCpu: c5.xlarge 8192 MiB / 4 = 2 GiB, r5.xlarge 32768 / 4 = 8 GiB.
	{"memory per vcpu include", func(r *instances.Requirements) { r.MemoryGiBPerVCpu = instances.FloatBetween(2, 4) }, "c5.xlarge", "MemoryGiBPerVCpu", instances.Pass, nil},
	{"memory per vcpu exclude", func(r *instances.Requirements) { r.MemoryGiBPerVCpu = instances.FloatBetween(2, 4) }, "r5.xlarge", "MemoryGiBPerVCpu", instances.Fail, nil},
	{"memory per vcpu below min", func(r *instances.Requirements) { r.MemoryGiBPerVCpu = instances.FloatAtLeast(4) }, "c5.xlarge", "MemoryGiBPerVCpu", instances.Fail, nil},
	// CpuManufacturers: m6g.xlarge is "AWS" (Graviton), m5a.large "AMD", m5.large "Intel".
	{"cpu manufacturer aws include", func(r *instances.Requirements) {
		r.CpuManufacturers = []types.CpuManufacturer{types.CpuManufacturerAmazonWebServices}
	}, "m6g.xlarge", "CpuManufacturers", instances.Pass, nil},
	{"cpu manufacturer intel excludes graviton", func(r *instances.Requirements) {
		r.CpuManufacturers = []types.CpuManufacturer{types.CpuManufacturerIntel}
	}, "m6g.xlarge", "CpuManufacturers", instances.Fail, nil},
	{"cpu manufacturers ORed", func(r *instances.Requirements) {
		r.CpuManufacturers = []types.CpuManufacturer{types.CpuManufacturerIntel, types.CpuManufacturerAmd}
	}, "m5a.large", "CpuManufacturers", instances.Pass, nil},
	// InstanceGenerations: m4.2xlarge CurrentGeneration true, m3.large false.
	{"generation current include", func(r *instances.Requirements) {
		r.InstanceGenerations = []types.InstanceGeneration{types.InstanceGenerationCurrent}
	}, "m4.2xlarge", "InstanceGenerations", instances.Pass, nil},
	{"generation current excludes previous", func(r *instances.Requirements) {
		r.InstanceGenerations = []types.InstanceGeneration{types.InstanceGenerationCurrent}
	}, "m3.large", "InstanceGenerations", instances.Fail, nil},
	{"generation previous include", func(r *instances.Requirements) {
		r.InstanceGenerations = []types.InstanceGeneration{types.InstanceGenerationPrevious}
	}, "m3.large", "InstanceGenerations", instances.Pass, nil},
	{"generation previous excludes current", func(r *instances.Requirements) {
		r.InstanceGenerations = []types.InstanceGeneration{types.InstanceGenerationPrevious}
	}, "m5.large", "InstanceGenerations", instances.Fail, nil},
	// BurstablePerformance: t3.large BurstablePerformanceSupported true; default excluded.
	{"burstable excluded by default", nil, "t3.large", "BurstablePerformance", instances.Fail, nil},
	{"burstable included", func(r *instances.Requirements) { r.BurstablePerformance = instances.Included }, "t3.large", "", 0, nil},
	{"burstable required keeps t3", func(r *instances.Requirements) { r.BurstablePerformance = instances.Required }, "t3.large", "BurstablePerformance", instances.Pass, nil},
	{"burstable required drops m5", func(r *instances.Requirements) { r.BurstablePerformance = instances.Required }, "m5.large", "BurstablePerformance", instances.Fail, nil},
	// BareMetal: m5.metal BareMetal true; default excluded. i3.metal has no BareMetal field.
	{"bare metal excluded by default", nil, "m5.metal", "BareMetal", instances.Fail, nil},
	{"bare metal included", func(r *instances.Requirements) { r.BareMetal = instances.Included }, "m5.metal", "", 0, nil},
	{"bare metal required keeps metal", func(r *instances.Requirements) { r.BareMetal = instances.Required }, "m5.metal", "BareMetal", instances.Pass, nil},
	{"bare metal required drops virtualized", func(r *instances.Requirements) { r.BareMetal = instances.Required }, "m5.large", "BareMetal", instances.Fail, nil},
	{"bare metal unknown in catalog", nil, "i3.metal", "BareMetal", instances.Unknown, nil},
	{"bare metal unknown included on request", nil, "i3.metal", "BareMetal", instances.Unknown,
		[]func(*instances.Options){func(o *instances.Options) { o.IncludeUnknown = true }}},
	// LocalStorage: m5d.2xlarge has a 300 GB SSD, m5.2xlarge none, cr1.8xlarge unknown.
	{"local storage excluded", func(r *instances.Requirements) { r.LocalStorage = instances.Excluded }, "m5d.2xlarge", "LocalStorage", instances.Fail, nil},
	{"local storage excluded keeps ebs-only", func(r *instances.Requirements) { r.LocalStorage = instances.Excluded }, "m5.2xlarge", "LocalStorage", instances.Pass, nil},
	{"local storage required", func(r *instances.Requirements) { r.LocalStorage = instances.Required }, "m5d.2xlarge", "LocalStorage", instances.Pass, nil},
	{"local storage required drops ebs-only", func(r *instances.Requirements) { r.LocalStorage = instances.Required }, "m5.2xlarge", "LocalStorage", instances.Fail, nil},
	{"local storage unknown", func(r *instances.Requirements) { r.LocalStorage = instances.Required }, "cr1.8xlarge", "LocalStorage", instances.Unknown, nil},
	// LocalStorageTypes: d3.xlarge 3x1980 GB HDD, m5d.2xlarge SSD.
	{"local storage hdd include", func(r *instances.Requirements) {
		r.LocalStorageTypes = []types.LocalStorageType{types.LocalStorageTypeHdd}
	}, "d3.xlarge", "LocalStorageTypes", instances.Pass, nil},
	{"local storage hdd excludes ssd", func(r *instances.Requirements) {
		r.LocalStorageTypes = []types.LocalStorageType{types.LocalStorageTypeHdd}
	}, "m5d.2xlarge", "LocalStorageTypes", instances.Fail, nil},
	{"local storage types ignore ebs-only", func(r *instances.Requirements) {
		r.LocalStorageTypes = []types.LocalStorageType{types.LocalStorageTypeHdd}
	}, "m5.2xlarge", "LocalStorageTypes", instances.Pass, nil},
	{"local storage ssd include", func(r *instances.Requirements) {
		r.LocalStorageTypes = []types.LocalStorageType{types.LocalStorageTypeSsd}
	}, "m5d.2xlarge", "LocalStorageTypes", instances.Pass, nil},
	{"local storage ssd excludes hdd", func(r *instances.Requirements) {
		r.LocalStorageTypes = []types.LocalStorageType{types.LocalStorageTypeSsd}
	}, "d3.xlarge", "LocalStorageTypes", instances.Fail, nil},
	// TotalLocalStorageGB: m5d.2xlarge 300 GB, d3.xlarge 5940 GB, m5.2xlarge 0.
	{"local storage size include", func(r *instances.Requirements) { r.TotalLocalStorageGB = instances.FloatBetween(100, 1000) }, "m5d.2xlarge", "TotalLocalStorageGB", instances.Pass, nil},
	{"local storage size above max", func(r *instances.Requirements) { r.TotalLocalStorageGB = instances.FloatBetween(100, 1000) }, "d3.xlarge", "TotalLocalStorageGB", instances.Fail, nil},
	{"local storage size ebs-only is 0", func(r *instances.Requirements) { r.TotalLocalStorageGB = instances.FloatAtLeast(1) }, "m5.2xlarge", "TotalLocalStorageGB", instances.Fail, nil},
	// AllowedInstanceTypes / ExcludedInstanceTypes with * wildcards (EC2 doc examples).
	{"allowed m5a.* matches m5a", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{"m5a.*"} }, "m5a.large", "AllowedInstanceTypes", instances.Pass, nil},
	{"allowed m5a.* not m5n", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{"m5a.*"} }, "m5n.large", "AllowedInstanceTypes", instances.Fail, nil},
	{"allowed c5* matches c5n", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{"c5*"} }, "c5n.2xlarge", "AllowedInstanceTypes", instances.Pass, nil},
	{"allowed c5* not c6g", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{"c5*"} }, "c6g.2xlarge", "AllowedInstanceTypes", instances.Fail, nil},
	{"allowed *3* matches m3", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{"*3*"} }, "m3.large", "AllowedInstanceTypes", instances.Pass, nil},
	{"allowed exact name", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{"m5.8xlarge"} }, "m5.8xlarge", "AllowedInstanceTypes", instances.Pass, nil},
	{"allowed exact name only", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{"m5.8xlarge"} }, "m5.4xlarge", "AllowedInstanceTypes", instances.Fail, nil},
	{"excluded r* drops r5", func(r *instances.Requirements) { r.ExcludedInstanceTypes = []string{"r*"} }, "r5.xlarge", "ExcludedInstanceTypes", instances.Fail, nil},
	{"excluded r* keeps m5", func(r *instances.Requirements) { r.ExcludedInstanceTypes = []string{"r*"} }, "m5.xlarge", "ExcludedInstanceTypes", instances.Pass, nil},
	{"excluded c5*.* drops c5d", func(r *instances.Requirements) { r.ExcludedInstanceTypes = []string{"c5*.*"} }, "c5d.2xlarge", "ExcludedInstanceTypes", instances.Fail, nil},
	// BaselineEbsBandwidthMbps: m5.4xlarge 4750, t3.micro 87, c1.medium has no EbsOptimizedInfo.
	{"ebs include", func(r *instances.Requirements) { r.BaselineEbsBandwidthMbps = instances.AtLeast(4750) }, "m5.4xlarge", "BaselineEbsBandwidthMbps", instances.Pass, nil},
	{"ebs exclude", func(r *instances.Requirements) {
		r.BaselineEbsBandwidthMbps = instances.AtLeast(1000)
		r.BurstablePerformance = instances.Included
	}, "t3.micro", "BaselineEbsBandwidthMbps", instances.Fail, nil},
	{"ebs above max", func(r *instances.Requirements) { r.BaselineEbsBandwidthMbps = instances.Between(0, 4000) }, "m5.4xlarge", "BaselineEbsBandwidthMbps", instances.Fail, nil},
	{"ebs unknown", func(r *instances.Requirements) { r.BaselineEbsBandwidthMbps = instances.AtLeast(100) }, "c1.medium", "BaselineEbsBandwidthMbps", instances.Unknown, nil},
	// NetworkBandwidthGbps: Min vs baseline, Max vs burst. m5.8xlarge "10 Gigabit"; m5.4xlarge
	// "Up to 10 Gigabit" (the ABS post: Min 10 excludes it); c5n.2xlarge "Up to 25 Gigabit"
	// (baseline not in this catalog); c1.xlarge "High".
	{"network min include", func(r *instances.Requirements) { r.NetworkBandwidthGbps = instances.FloatAtLeast(10) }, "m5.8xlarge", "NetworkBandwidthGbps", instances.Pass, nil},
	{"network min exclude", func(r *instances.Requirements) { r.NetworkBandwidthGbps = instances.FloatAtLeast(12) }, "m5.8xlarge", "NetworkBandwidthGbps", instances.Fail, nil},
	{"network min vs up-to burst", func(r *instances.Requirements) { r.NetworkBandwidthGbps = instances.FloatAtLeast(10) }, "m5.4xlarge", "NetworkBandwidthGbps", instances.Fail, nil},
	{"network max vs burst", func(r *instances.Requirements) { r.NetworkBandwidthGbps = instances.FloatBetween(0, 5) }, "m5.4xlarge", "NetworkBandwidthGbps", instances.Fail, nil},
	{"network max include", func(r *instances.Requirements) { r.NetworkBandwidthGbps = instances.FloatBetween(0, 10) }, "m5.4xlarge", "NetworkBandwidthGbps", instances.Pass, nil},
	{"network baseline unknown", func(r *instances.Requirements) { r.NetworkBandwidthGbps = instances.FloatAtLeast(10) }, "c5n.2xlarge", "NetworkBandwidthGbps", instances.Unknown, nil},
	{"network named performance unknown", func(r *instances.Requirements) { r.NetworkBandwidthGbps = instances.FloatBetween(0, 10) }, "c1.xlarge", "NetworkBandwidthGbps", instances.Unknown, nil},
	// NetworkInterfaceCount (MaximumNetworkInterfaces): m5.large 3, m5.xlarge 4.
	{"enis include", func(r *instances.Requirements) { r.NetworkInterfaceCount = instances.AtLeast(4) }, "m5.xlarge", "NetworkInterfaceCount", instances.Pass, nil},
	{"enis exclude", func(r *instances.Requirements) { r.NetworkInterfaceCount = instances.AtLeast(4) }, "m5.large", "NetworkInterfaceCount", instances.Fail, nil},
	{"enis above max", func(r *instances.Requirements) { r.NetworkInterfaceCount = instances.Between(1, 3) }, "m5.xlarge", "NetworkInterfaceCount", instances.Fail, nil},
	// AcceleratorTypes: g5.xlarge GPU, f1.2xlarge FPGA, inf1.xlarge Inferentia, m5.large none.
	{"accelerator gpu include", func(r *instances.Requirements) {
		r.AcceleratorTypes = []types.AcceleratorType{types.AcceleratorTypeGpu}
	}, "g5.xlarge", "AcceleratorTypes", instances.Pass, nil},
	{"accelerator gpu excludes none", func(r *instances.Requirements) {
		r.AcceleratorTypes = []types.AcceleratorType{types.AcceleratorTypeGpu}
	}, "m5.large", "AcceleratorTypes", instances.Fail, nil},
	{"accelerator fpga include", func(r *instances.Requirements) {
		r.AcceleratorTypes = []types.AcceleratorType{types.AcceleratorTypeFpga}
	}, "f1.2xlarge", "AcceleratorTypes", instances.Pass, nil},
	{"accelerator inference include", func(r *instances.Requirements) {
		r.AcceleratorTypes = []types.AcceleratorType{types.AcceleratorTypeInference}
	}, "inf1.xlarge", "AcceleratorTypes", instances.Pass, nil},
	{"accelerator gpu excludes fpga", func(r *instances.Requirements) {
		r.AcceleratorTypes = []types.AcceleratorType{types.AcceleratorTypeGpu}
	}, "f1.2xlarge", "AcceleratorTypes", instances.Fail, nil},
	// AcceleratorCount: g5.12xlarge 4 A10G, g5.xlarge 1; Max 0 excludes accelerated types.
	{"accelerator count include", func(r *instances.Requirements) { r.AcceleratorCount = instances.AtLeast(4) }, "g5.12xlarge", "AcceleratorCount", instances.Pass, nil},
	{"accelerator count exclude", func(r *instances.Requirements) { r.AcceleratorCount = instances.AtLeast(4) }, "g5.xlarge", "AcceleratorCount", instances.Fail, nil},
	{"accelerator count above max", func(r *instances.Requirements) { r.AcceleratorCount = instances.Between(1, 2) }, "g5.12xlarge", "AcceleratorCount", instances.Fail, nil},
	{"accelerator max 0 excludes gpu", func(r *instances.Requirements) { r.AcceleratorCount = instances.Between(0, 0) }, "g5.xlarge", "AcceleratorCount", instances.Fail, nil},
	{"accelerator max 0 keeps plain", func(r *instances.Requirements) { r.AcceleratorCount = instances.Between(0, 0) }, "m5.large", "AcceleratorCount", instances.Pass, nil},
	// AcceleratorManufacturers: g4ad.xlarge AMD, g5.xlarge NVIDIA, inf1 AWS, f1 not in catalog.
	{"accelerator maker amd", func(r *instances.Requirements) {
		r.AcceleratorManufacturers = []types.AcceleratorManufacturer{types.AcceleratorManufacturerAmd}
	}, "g4ad.xlarge", "AcceleratorManufacturers", instances.Pass, nil},
	{"accelerator maker amd excludes nvidia", func(r *instances.Requirements) {
		r.AcceleratorManufacturers = []types.AcceleratorManufacturer{types.AcceleratorManufacturerAmd}
	}, "g5.xlarge", "AcceleratorManufacturers", instances.Fail, nil},
	// "must have accelerators by these manufacturers": a type without accelerators fails.
	{"accelerator maker nvidia", func(r *instances.Requirements) {
		r.AcceleratorManufacturers = []types.AcceleratorManufacturer{types.AcceleratorManufacturerNvidia}
	}, "g5.xlarge", "AcceleratorManufacturers", instances.Pass, nil},
	{"accelerator maker nvidia excludes no accelerator", func(r *instances.Requirements) {
		r.AcceleratorManufacturers = []types.AcceleratorManufacturer{types.AcceleratorManufacturerNvidia}
	}, "m5.large", "AcceleratorManufacturers", instances.Fail, nil},
	{"accelerator maker aws for neuron", func(r *instances.Requirements) {
		r.AcceleratorManufacturers = []types.AcceleratorManufacturer{types.AcceleratorManufacturerAmazonWebServices}
	}, "inf1.xlarge", "AcceleratorManufacturers", instances.Pass, nil},
	{"accelerator maker unknown for fpga", func(r *instances.Requirements) {
		r.AcceleratorManufacturers = []types.AcceleratorManufacturer{types.AcceleratorManufacturerXilinx}
	}, "f1.2xlarge", "AcceleratorManufacturers", instances.Unknown, nil},
	// AcceleratorNames: g5.xlarge "A10G", g4dn.xlarge "T4", p5.48xlarge "H100", p5en.48xlarge "H200".
	{"accelerator name a10g", func(r *instances.Requirements) {
		r.AcceleratorNames = []types.AcceleratorName{types.AcceleratorNameA10g}
	}, "g5.xlarge", "AcceleratorNames", instances.Pass, nil},
	{"accelerator name a10g excludes t4", func(r *instances.Requirements) {
		r.AcceleratorNames = []types.AcceleratorName{types.AcceleratorNameA10g}
	}, "g4dn.xlarge", "AcceleratorNames", instances.Fail, nil},
	{"accelerator name h100", func(r *instances.Requirements) {
		r.AcceleratorNames = []types.AcceleratorName{types.AcceleratorNameH100}
	}, "p5.48xlarge", "AcceleratorNames", instances.Pass, nil},
	{"accelerator name h100 excludes h200", func(r *instances.Requirements) {
		r.AcceleratorNames = []types.AcceleratorName{types.AcceleratorNameH100}
	}, "p5en.48xlarge", "AcceleratorNames", instances.Fail, nil},
	{"accelerator name inferentia", func(r *instances.Requirements) {
		r.AcceleratorNames = []types.AcceleratorName{types.AcceleratorNameInferentia}
	}, "inf1.xlarge", "AcceleratorNames", instances.Pass, nil},
	{"accelerator name excludes no accelerator", func(r *instances.Requirements) {
		r.AcceleratorNames = []types.AcceleratorName{types.AcceleratorNameT4}
	}, "m5.large", "AcceleratorNames", instances.Fail, nil},
	// AcceleratorTotalMemoryMiB: g5.xlarge 22888, g4dn.xlarge 16384, inf1 memory not in catalog.
	{"accelerator memory include", func(r *instances.Requirements) { r.AcceleratorTotalMemoryMiB = instances.AtLeast(20000) }, "g5.xlarge", "AcceleratorTotalMemoryMiB", instances.Pass, nil},
	{"accelerator memory exclude", func(r *instances.Requirements) { r.AcceleratorTotalMemoryMiB = instances.AtLeast(20000) }, "g4dn.xlarge", "AcceleratorTotalMemoryMiB", instances.Fail, nil},
	{"accelerator memory unknown", func(r *instances.Requirements) { r.AcceleratorTotalMemoryMiB = instances.AtLeast(1) }, "inf1.xlarge", "AcceleratorTotalMemoryMiB", instances.Unknown, nil},
	{"accelerator memory none is 0", func(r *instances.Requirements) { r.AcceleratorTotalMemoryMiB = instances.AtLeast(1) }, "m5.large", "AcceleratorTotalMemoryMiB", instances.Fail, nil},
	// RequireHibernateSupport: HibernationSupported is absent from the whole catalog.
	{"hibernation unknown", func(r *instances.Requirements) { r.RequireHibernateSupport = true }, "m5.large", "RequireHibernateSupport", instances.Unknown, nil},
	{"hibernation unknown included on request", func(r *instances.Requirements) { r.RequireHibernateSupport = true }, "m5.large", "RequireHibernateSupport", instances.Unknown,
		[]func(*instances.Options){func(o *instances.Options) { o.IncludeUnknown = true }}},
	// RequireEncryptionInTransit: g5.xlarge true, m5.4xlarge false, f1.2xlarge absent.
	{"encryption in transit include", func(r *instances.Requirements) { r.RequireEncryptionInTransit = true }, "g5.xlarge", "RequireEncryptionInTransit", instances.Pass, nil},
	{"encryption in transit exclude", func(r *instances.Requirements) { r.RequireEncryptionInTransit = true }, "m5.4xlarge", "RequireEncryptionInTransit", instances.Fail, nil},
	{"encryption in transit unknown", func(r *instances.Requirements) { r.RequireEncryptionInTransit = true }, "f1.2xlarge", "RequireEncryptionInTransit", instances.Unknown, nil},
	// BaselinePerformanceFamilies: the reference family meets its own floor; others are unknown.
	{"baseline performance reference family", func(r *instances.Requirements) { r.BaselinePerformanceFamilies = []string{"c6i"} }, "c6i.xlarge", "BaselinePerformanceFamilies", instances.Pass, nil},
	{"baseline performance other family unknown", func(r *instances.Requirements) { r.BaselinePerformanceFamilies = []string{"c6i"} }, "m6i.xlarge", "BaselinePerformanceFamilies", instances.Unknown, nil},
	// Architectures: m6g.xlarge arm64, m5.large x86_64, c1.medium i386 and x86_64.
	{"arch arm64 include", func(r *instances.Requirements) {
		r.Architectures = []types.ArchitectureType{types.ArchitectureTypeArm64}
	}, "m6g.xlarge", "Architectures", instances.Pass, nil},
	{"arch arm64 excludes x86", func(r *instances.Requirements) {
		r.Architectures = []types.ArchitectureType{types.ArchitectureTypeArm64}
	}, "m5.large", "Architectures", instances.Fail, nil},
	{"arch i386", func(r *instances.Requirements) {
		r.Architectures = []types.ArchitectureType{types.ArchitectureTypeI386}
	}, "c1.medium", "Architectures", instances.Pass, nil},
	// VirtualizationTypes: Nitro runs HVM only; the catalog has no SupportedVirtualizationTypes,
	// so a Xen type (m1.small, hypervisor xen) is unknown.
	{"virtualization hvm on nitro", func(r *instances.Requirements) {
		r.VirtualizationTypes = []types.VirtualizationType{types.VirtualizationTypeHvm}
	}, "m5.large", "VirtualizationTypes", instances.Pass, nil},
	{"virtualization paravirtual not on nitro", func(r *instances.Requirements) {
		r.VirtualizationTypes = []types.VirtualizationType{types.VirtualizationTypeParavirtual}
	}, "m5.large", "VirtualizationTypes", instances.Fail, nil},
	{"virtualization unknown on xen", func(r *instances.Requirements) {
		r.VirtualizationTypes = []types.VirtualizationType{types.VirtualizationTypeParavirtual}
	}, "m1.small", "VirtualizationTypes", instances.Unknown, nil},
}

func TestAttributes(t *testing.T) {
	c := realCatalog(t)
	for _, tc := range attrCases {
		t.Run(tc.name, func(t *testing.T) {
			req := any0()
			if tc.mod != nil {
				tc.mod(&req)
			}
			ex, err := c.Explain(req, tc.typ, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			// The asserted check decides; every other active check passes for these entries.
			wantSelected := tc.verdict == instances.Pass
			if tc.verdict == instances.Unknown {
				o := instances.Options{}
				for _, fn := range tc.opts {
					fn(&o)
				}
				wantSelected = o.IncludeUnknown
			}
			if tc.attr != "" {
				var found bool
				for _, ch := range ex.Checks {
					if ch.Attribute != tc.attr {
						continue
					}
					found = true
					if ch.Verdict != tc.verdict {
						t.Errorf("%s on %s: verdict %v, want %v\n%s", tc.attr, tc.typ, ch.Verdict, tc.verdict, ex)
					}
					if tc.verdict == instances.Unknown && !strings.Contains(ch.Have, "unknown") {
						t.Errorf("%s on %s: unknown verdict should say so, have %q", tc.attr, tc.typ, ch.Have)
					}
				}
				if !found {
					t.Fatalf("no %s check in\n%s", tc.attr, ex)
				}
			} else {
				wantSelected = true
			}
			if ex.Selected != wantSelected {
				t.Errorf("Explain(%s).Selected = %v, want %v\n%s", tc.typ, ex.Selected, wantSelected, ex)
			}
			got, err := c.Select(req, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(got, tc.typ) != wantSelected {
				t.Errorf("Select contains %s = %v, want %v", tc.typ, !wantSelected, wantSelected)
			}
		})
	}
}

// TestDefaultsExcludeBurstableAndBareMetal: with only the required minimums, no selected type is
// burstable or bare metal, and known examples of each are absent.
func TestDefaultsExcludeBurstableAndBareMetal(t *testing.T) {
	c := realCatalog(t)
	got, err := c.Select(any0())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range got {
		info, _ := c.Info(n)
		if aws.ToBool(info.BurstablePerformanceSupported) || aws.ToBool(info.BareMetal) {
			t.Errorf("default selection has %s (burstable %v, bare metal %v)", n,
				aws.ToBool(info.BurstablePerformanceSupported), aws.ToBool(info.BareMetal))
		}
	}
	for _, n := range []string{"t3.micro", "t4g.large", "m5.metal", "mac2.metal"} {
		if slices.Contains(got, n) {
			t.Errorf("default selection has %s", n)
		}
	}
	if !slices.Contains(got, "m5.large") {
		t.Error("default selection lacks m5.large")
	}
	// jq: BurstablePerformanceSupported false and BareMetal false → 789 of 910 types
	// (5 types lacking BareMetal are unknown and excluded by default).
	if len(got) != 789 {
		t.Errorf("default selection has %d types, want 789", len(got))
	}
}

// TestABSPostBandwidthExample follows the ABS blog post: ≥32 vCPUs, ≥64 GiB, ≥10 Gbps among
// M5, M5n, C5 and C5n. Expected list read with jq: numeric (not "Up to") NetworkPerformance ≥ 10,
// not bare metal.
func TestABSPostBandwidthExample(t *testing.T) {
	c := realCatalog(t)
	got, err := c.Select(instances.Requirements{
		VCpuCount:            instances.AtLeast(32),
		MemoryMiB:            instances.AtLeast(65536),
		NetworkBandwidthGbps: instances.FloatAtLeast(10),
		AllowedInstanceTypes: []string{"m5.*", "m5n.*", "c5.*", "c5n.*"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"c5.9xlarge", "c5.12xlarge", "c5.18xlarge", "c5.24xlarge", "c5n.9xlarge", "c5n.18xlarge",
		"m5.8xlarge", "m5.12xlarge", "m5.16xlarge", "m5.24xlarge", "m5n.8xlarge", "m5n.12xlarge", "m5n.16xlarge", "m5n.24xlarge"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// TestIssueExample: "4–16 vCPUs, 2–8 GiB per vCPU, current generation, no burstable". The
// expected list was read from the catalog with:
//
//	jq -r '.InstanceTypes[] | select(.VCpuInfo.DefaultVCpus>=4 and .VCpuInfo.DefaultVCpus<=16
//	  and (.MemoryInfo.SizeInMiB/1024/.VCpuInfo.DefaultVCpus)>=2 and (.MemoryInfo.SizeInMiB/1024/.VCpuInfo.DefaultVCpus)<=8
//	  and .CurrentGeneration==true and .BurstablePerformanceSupported==false and .BareMetal==false) | .InstanceType'
func TestIssueExample(t *testing.T) {
	c := realCatalog(t)
	raw, err := os.ReadFile("testdata/issue-example.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(raw))
	got, err := c.Select(instances.Requirements{
		VCpuCount:           instances.Between(4, 16),
		MemoryMiB:           instances.AtLeast(0),
		MemoryGiBPerVCpu:    instances.FloatBetween(2, 8),
		InstanceGenerations: []types.InstanceGeneration{types.InstanceGenerationCurrent},
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	gotSorted := slices.Sorted(slices.Values(got))
	if !slices.Equal(gotSorted, want) {
		t.Errorf("got %d types, want %d\ngot  %v\nwant %v", len(got), len(want), gotSorted, want)
	}
	// Stable order: family, then vCPUs.
	if i, j := slices.Index(got, "m5.xlarge"), slices.Index(got, "m5.2xlarge"); i < 0 || j != i+1 {
		t.Errorf("m5.xlarge at %d, m5.2xlarge at %d; want adjacent in size order", i, j)
	}
}

// TestNetworkCardsExact: with per-card figures (as DescribeInstanceTypes returns them; the ABS post
// gives c5n.2xlarge a 10 Gbps baseline and m5.4xlarge 5 Gbps) the baseline is exact: Min 10 keeps
// c5n.2xlarge and drops m5.4xlarge.
func TestNetworkCardsExact(t *testing.T) {
	card := func(base, peak float64) []types.NetworkCardInfo {
		return []types.NetworkCardInfo{{BaselineBandwidthInGbps: aws.Float64(base), PeakBandwidthInGbps: aws.Float64(peak)}}
	}
	info := func(name string, vcpu int32, mib int64, base, peak float64) types.InstanceTypeInfo {
		return types.InstanceTypeInfo{
			InstanceType: types.InstanceType(name), CurrentGeneration: aws.Bool(true),
			BareMetal: aws.Bool(false), BurstablePerformanceSupported: aws.Bool(false),
			VCpuInfo:    &types.VCpuInfo{DefaultVCpus: aws.Int32(vcpu)},
			MemoryInfo:  &types.MemoryInfo{SizeInMiB: aws.Int64(mib)},
			NetworkInfo: &types.NetworkInfo{NetworkPerformance: aws.String("Up to 25 Gigabit"), NetworkCards: card(base, peak)},
		}
	}
	c, err := instances.NewCatalog([]types.InstanceTypeInfo{
		info("c5n.2xlarge", 8, 21504, 10, 25), info("m5.4xlarge", 16, 65536, 5, 10),
	})
	if err != nil {
		t.Fatal(err)
	}
	req := any0()
	req.NetworkBandwidthGbps = instances.FloatAtLeast(10)
	got, err := c.Select(req)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"c5n.2xlarge"}) {
		t.Errorf("got %v, want [c5n.2xlarge]", got)
	}
	req.NetworkBandwidthGbps = instances.FloatBetween(0, 20) // c5n.2xlarge bursts to 25
	if got, _ = c.Select(req); !slices.Equal(got, []string{"m5.4xlarge"}) {
		t.Errorf("max 20: got %v, want [m5.4xlarge]", got)
	}
}

func TestExplainUnknownType(t *testing.T) {
	c := realCatalog(t)
	_, err := c.Explain(any0(), "m5.notasize")
	if !errors.Is(err, instances.ErrNotInCatalog) {
		t.Fatalf("got %v, want ErrNotInCatalog", err)
	}
}

func TestExplainString(t *testing.T) {
	c := realCatalog(t)
	req := any0()
	req.VCpuCount = instances.Between(4, 16)
	ex, err := c.Explain(req, "t3.micro")
	if err != nil {
		t.Fatal(err)
	}
	s := ex.String()
	for _, want := range []string{"t3.micro: not selected", "fail    VCpuCount: want [4, 16], have 2", "fail    BurstablePerformance: want excluded, have burstable true"} {
		if !strings.Contains(s, want) {
			t.Errorf("explanation lacks %q:\n%s", want, s)
		}
	}
	if n := len(ex.Failed()); n != 2 {
		t.Errorf("Failed() has %d checks, want 2", n)
	}
}

func TestSelectRejectsInvalid(t *testing.T) {
	c := realCatalog(t)
	_, err := c.Select(instances.Requirements{})
	var ve *instances.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want *ValidationError", err)
	}
}

// TestHibernationWhenKnown: the shared catalog lacks HibernationSupported, so this test takes the
// real m5.large and mac1.metal entries and adds the value the EC2 hibernation prerequisites give
// (M5 supports hibernation; Mac instances do not).
func TestHibernationWhenKnown(t *testing.T) {
	c := realCatalog(t)
	m5, _ := c.Info("m5.large")
	mac, _ := c.Info("mac1.metal")
	m5.HibernationSupported, mac.HibernationSupported = aws.Bool(true), aws.Bool(false)
	k, err := instances.NewCatalog([]types.InstanceTypeInfo{m5, mac})
	if err != nil {
		t.Fatal(err)
	}
	req := any0()
	req.RequireHibernateSupport = true
	req.BareMetal = instances.Included
	got, err := k.Select(req)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"m5.large"}) {
		t.Errorf("got %v, want [m5.large]", got)
	}
	ex, _ := k.Explain(req, "mac1.metal")
	if f := ex.Failed(); len(f) != 1 || f[0].Attribute != "RequireHibernateSupport" || f[0].Verdict != instances.Fail {
		t.Errorf("mac1.metal:\n%s", ex)
	}
}
