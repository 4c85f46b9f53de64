package instances_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/emr/instances"
	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
)

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestRemoteSelectPaginatesAndDefaults(t *testing.T) {
	f := instancestest.New(func(o *instancestest.Options) { o.PageSize = 3 })
	r := any0()
	r.VCpuCount, r.AllowedInstanceTypes = instances.Between(4, 8), []string{"m5.*", "c5.*", "r5.*"}
	got, err := instances.NewRemoteSelector(f).Select(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	// The sample's m5, c5 and r5 types with 4 to 8 vCPUs, m5.metal (96) and m5.large (2) aside.
	if want := []string{"c5.2xlarge", "c5.xlarge", "m5.2xlarge", "m5.xlarge", "r5.2xlarge", "r5.xlarge"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v (sorted, deduplicated)", got, want)
	}
	var archs [][]types.ArchitectureType
	for _, c := range f.Calls() {
		in := c.Input.(*ec2.GetInstanceTypesFromInstanceRequirementsInput)
		if len(in.VirtualizationTypes) != 2 {
			t.Errorf("empty VirtualizationTypes should send both: %v", in.VirtualizationTypes)
		}
		if in.InstanceRequirements.BurstablePerformance != "" || in.InstanceRequirements.BareMetal != "" {
			t.Error("unset tri-states must stay unset so EC2 applies its defaults")
		}
		if len(archs) == 0 || !slices.Equal(archs[len(archs)-1], in.ArchitectureTypes) {
			archs = append(archs, in.ArchitectureTypes)
		}
	}
	// All five architectures, at most three a call (EC2 API reference, ArchitectureType.N); the
	// six x86_64 answers come in pages of three.
	if len(archs) != 2 || len(archs[0]) != 3 || len(archs[1]) != 2 {
		t.Errorf("architecture groups %v, want all five in groups of 3 and 2", archs)
	}
	if n := len(f.Calls()); n != 3 {
		t.Errorf("%d calls, want 3 (two pages for the first group, one for the second)", n)
	}
}

func TestRemoteSelectDropsPriceProtection(t *testing.T) {
	f := instancestest.New()
	r := any0()
	r.OnDemandMaxPricePercentageOverLowestPrice = i32(20)
	if _, err := instances.NewRemoteSelector(f).Select(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	in := f.Calls()[0].Input.(*ec2.GetInstanceTypesFromInstanceRequirementsInput)
	if in.InstanceRequirements.OnDemandMaxPricePercentageOverLowestPrice != nil {
		t.Error("price protection sent to GetInstanceTypesFromInstanceRequirements, which does not support it")
	}
}

func TestRemoteSelectValidatesFirst(t *testing.T) {
	f := instancestest.New()
	_, err := instances.NewRemoteSelector(f).Select(context.Background(), instances.Requirements{})
	var ve *instances.ValidationError
	if !errors.As(err, &ve) || len(f.Calls()) != 0 {
		t.Fatalf("got %v after %d calls; want a validation error and no call", err, len(f.Calls()))
	}
}

func TestRemoteSelectThrottled(t *testing.T) {
	f := instancestest.New()
	f.ThrottleNext(instancestest.OpGetInstanceTypesFromInstanceRequirements, 1)
	_, err := instances.NewRemoteSelector(f).Select(context.Background(), any0())
	if apiCode(err) != "RequestLimitExceeded" || !strings.HasPrefix(err.Error(), "instances: GetInstanceTypesFromInstanceRequirements page 1") {
		t.Fatalf("got %v", err)
	}
}

// TestCrossCheck uses the ABS post's bandwidth example: AWS includes c5n.2xlarge for a 10 Gbps
// minimum (its baseline is 10 Gbps), while the catalog only knows "Up to 25 Gigabit". The fake
// plays AWS: its seed has the baselines the post quotes and a type the catalog lacks, and it
// answers by its own evaluation, never by the selector.
func TestCrossCheck(t *testing.T) {
	c := realCatalog(t)
	var seed []types.InstanceTypeInfo
	for _, n := range []string{"c5n.2xlarge", "c5n.9xlarge"} {
		info, _ := c.Info(n)
		seed = append(seed, info)
	}
	seed[0].NetworkInfo.NetworkCards[0].BaselineBandwidthInGbps = aws.Float64(10)
	seed[0].NetworkInfo.NetworkCards[0].PeakBandwidthInGbps = aws.Float64(25)
	m9z := seed[1]
	m9z.InstanceType = "c5n.9xlargez"
	seed = append(seed, m9z)
	f := instancestest.New(func(o *instancestest.Options) { o.InstanceTypes = seed })
	req := instances.Requirements{
		VCpuCount: instances.Between(8, 36), MemoryMiB: instances.AtLeast(16384),
		NetworkBandwidthGbps: instances.FloatAtLeast(10),
		AllowedInstanceTypes: []string{"c5n.*"},
		Architectures:        []types.ArchitectureType{types.ArchitectureTypeX8664},
	}
	cmp, err := instances.NewRemoteSelector(f).CrossCheck(context.Background(), c, req)
	if err != nil {
		t.Fatal(err)
	}
	// jq: c5n.4xlarge (16 vCPUs, "Up to 25 Gigabit") is unknown locally too; c5n.9xlarge has 50 Gigabit.
	if local, err := c.Select(req); err != nil || !slices.Equal(local, []string{"c5n.9xlarge"}) {
		t.Errorf("local %v, %v", local, err)
	}
	if !slices.Equal(cmp.OnlyRemote, []string{"c5n.2xlarge"}) || !slices.Equal(cmp.NotInCatalog, []string{"c5n.9xlargez"}) || len(cmp.OnlyLocal) != 0 {
		t.Errorf("comparison %+v", cmp)
	}
	if cmp.Equal() || len(cmp.Explanations) != 1 || cmp.Explanations[0].InstanceType != "c5n.2xlarge" {
		t.Fatalf("explanations %+v", cmp.Explanations)
	}
	if s := cmp.Explanations[0].String(); !strings.Contains(s, "unknown NetworkBandwidthGbps") {
		t.Errorf("explanation does not show the unknown baseline:\n%s", s)
	}
	if s := cmp.String(); !strings.Contains(s, "only remote:    c5n.2xlarge") || !strings.Contains(s, "not in catalog: c5n.9xlargez") {
		t.Errorf("String():\n%s", s)
	}
}
