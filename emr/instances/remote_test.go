package instances_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

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
	f := instancestest.New()
	f.SetRequirementsAnswer("m5.large", "c5.xlarge", "m5.xlarge", "r5.xlarge", "m5.large")
	got, err := instances.NewRemoteSelector(f).Select(context.Background(), any0())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"c5.xlarge", "m5.large", "m5.xlarge", "r5.xlarge"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v (sorted, deduplicated)", got, want)
	}
	calls := f.Calls()
	if len(calls) != 2 {
		t.Fatalf("%d calls for 5 answers in pages of 3, want 2", len(calls))
	}
	in := calls[0].Input.(*ec2.GetInstanceTypesFromInstanceRequirementsInput)
	if len(in.ArchitectureTypes) != 5 || len(in.VirtualizationTypes) != 2 {
		t.Errorf("empty lists should send every architecture and virtualization type: %v %v", in.ArchitectureTypes, in.VirtualizationTypes)
	}
	if in.InstanceRequirements.BurstablePerformance != "" || in.InstanceRequirements.BareMetal != "" {
		t.Error("unset tri-states must stay unset so EC2 applies its defaults")
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
// minimum (its baseline is 10 Gbps), while the catalog only knows "Up to 25 Gigabit". The remote
// answer is scripted, never computed by the selector.
func TestCrossCheck(t *testing.T) {
	c := realCatalog(t)
	f := instancestest.New()
	f.SetRequirementsAnswer("c5n.2xlarge", "c5n.9xlarge", "m9z.large")
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
	if !slices.Equal(cmp.Local, []string{"c5n.9xlarge"}) {
		t.Errorf("local %v", cmp.Local)
	}
	if !slices.Equal(cmp.OnlyRemote, []string{"c5n.2xlarge"}) || !slices.Equal(cmp.NotInCatalog, []string{"m9z.large"}) || len(cmp.OnlyLocal) != 0 {
		t.Errorf("comparison %+v", cmp)
	}
	if cmp.Equal() || len(cmp.Explanations) != 1 || cmp.Explanations[0].InstanceType != "c5n.2xlarge" {
		t.Fatalf("explanations %+v", cmp.Explanations)
	}
	if s := cmp.Explanations[0].String(); !strings.Contains(s, "unknown NetworkBandwidthGbps") {
		t.Errorf("explanation does not show the unknown baseline:\n%s", s)
	}
	if s := cmp.String(); !strings.Contains(s, "only remote:    c5n.2xlarge") || !strings.Contains(s, "not in catalog: m9z.large") {
		t.Errorf("String():\n%s", s)
	}
}
