package instances_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/datablocks-go/datablocks/emr/instances"
	"github.com/datablocks-go/datablocks/internal/awsfake"
)

var benchQueries = []struct {
	name string
	req  instances.Requirements
}{
	{"minimal", any0()},
	{"issue", instances.Requirements{
		VCpuCount: instances.Between(4, 16), MemoryMiB: instances.AtLeast(0),
		MemoryGiBPerVCpu:    instances.FloatBetween(2, 8),
		InstanceGenerations: []types.InstanceGeneration{types.InstanceGenerationCurrent},
	}},
	{"wildcards", instances.Requirements{
		VCpuCount: instances.AtLeast(32), MemoryMiB: instances.AtLeast(65536),
		NetworkBandwidthGbps:  instances.FloatAtLeast(10),
		ExcludedInstanceTypes: []string{"*3*", "t*", "x*.*", "u-*", "*n.*", "c5*", "m4.*", "r5a*.*"},
	}},
	{"everything", instances.Requirements{
		VCpuCount: instances.Between(2, 96), MemoryMiB: instances.Between(4096, 786432),
		MemoryGiBPerVCpu: instances.FloatBetween(2, 8), CpuManufacturers: []types.CpuManufacturer{"intel", "amd", "amazon-web-services"},
		InstanceGenerations: []types.InstanceGeneration{"current"}, LocalStorage: instances.Included,
		LocalStorageTypes: []types.LocalStorageType{"ssd"}, BaselineEbsBandwidthMbps: instances.AtLeast(1000),
		NetworkInterfaceCount: instances.AtLeast(2), AcceleratorCount: instances.Between(0, 0),
		Architectures: []types.ArchitectureType{"x86_64", "arm64"}, AllowedInstanceTypes: []string{"c*", "m*", "r*"},
	}},
}

// BenchmarkSelect runs local selection over the full 910-type catalog: one Select per iteration,
// single goroutine.
func BenchmarkSelect(b *testing.B) {
	c := realCatalog(b)
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Select(q.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSelectRemoteWire is the API path for comparison: the real ec2 client against the local
// wire fake (no network latency, so real AWS is slower still).
func BenchmarkSelectRemoteWire(b *testing.B) {
	s := awsfake.New(b)
	s.HandleEC2Query("GetInstanceTypesFromInstanceRequirements", func(*awsfake.Request) (any, error) {
		return `<instanceTypeSet><item><instanceType>m5.8xlarge</instanceType></item></instanceTypeSet>`, nil
	})
	sel := instances.NewRemoteSelector(ec2.NewFromConfig(s.Config()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sel.Select(context.Background(), benchQueries[1].req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadCatalogFile is the one-off cost of loading the 910-type catalog: from the 1.8 MB
// JSON `aws ec2 describe-instance-types` prints, and from its compact form (WriteCompact), which
// the instance-selector CLI and LoadCatalog's cache read.
func BenchmarkLoadCatalogFile(b *testing.B) {
	c := realCatalog(b)
	compact := filepath.Join(b.TempDir(), "catalog.dbic")
	f, err := os.Create(compact)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.WriteCompact(f); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	for _, file := range []struct{ name, path string }{{"json", catalogPath}, {"compact", compact}} {
		b.Run(file.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				got, err := instances.LoadCatalogFile(file.path)
				if err != nil || len(got.Names()) != len(c.Names()) {
					b.Fatal(got, err)
				}
			}
		})
	}
}
