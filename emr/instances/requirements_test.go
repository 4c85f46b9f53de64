package instances_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/datablocks-go/datablocks/emr/instances"
)

func TestValidate(t *testing.T) {
	ok := any0()
	long := strings.Repeat("m", 31)
	many := make([]string, 401)
	for i := range many {
		many[i] = fmt.Sprintf("m%d.*", i)
	}
	cases := []struct {
		name string
		mod  func(r *instances.Requirements)
		want string // substring of the error; "" means valid
	}{
		{"minimal", func(*instances.Requirements) {}, ""},
		{"vcpu min required", func(r *instances.Requirements) { r.VCpuCount = instances.Range[int32]{Max: i32(8)} }, "Requirements.VCpuCount.Min is required"},
		{"memory min required", func(r *instances.Requirements) { r.MemoryMiB = instances.Range[int32]{} }, "Requirements.MemoryMiB.Min is required"},
		{"min above max", func(r *instances.Requirements) { r.VCpuCount = instances.Between(16, 4) }, "Requirements.VCpuCount Min 16 is greater than Max 4"},
		{"negative", func(r *instances.Requirements) { r.NetworkInterfaceCount = instances.AtLeast(-1) }, "NetworkInterfaceCount.Min must not be negative"},
		{"float min above max", func(r *instances.Requirements) { r.MemoryGiBPerVCpu = instances.FloatBetween(8, 2) }, "MemoryGiBPerVCpu Min 8 is greater than Max 2"},
		{"allowed and excluded", func(r *instances.Requirements) {
			r.AllowedInstanceTypes = []string{"m5.*"}
			r.ExcludedInstanceTypes = []string{"t*"}
		}, "AllowedInstanceTypes and ExcludedInstanceTypes are mutually exclusive"},
		{"too many", func(r *instances.Requirements) { r.ExcludedInstanceTypes = many }, "has 401 entries, at most 400"},
		{"400 is fine", func(r *instances.Requirements) { r.ExcludedInstanceTypes = many[:400] }, ""},
		{"too long", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{long} }, "longer than 30 characters"},
		{"regex rejected", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{"^m5\\..*$"} }, "not a regular expression"},
		{"empty pattern", func(r *instances.Requirements) { r.AllowedInstanceTypes = []string{""} }, "AllowedInstanceTypes[0] is empty"},
		{"bad enum", func(r *instances.Requirements) { r.CpuManufacturers = []types.CpuManufacturer{"aws"} }, `CpuManufacturers[0] is "aws"`},
		{"bad tri-state", func(r *instances.Requirements) { r.BareMetal = "maybe" }, `BareMetal is "maybe"`},
		{"two spot thresholds", func(r *instances.Requirements) {
			r.SpotMaxPricePercentageOverLowestPrice = i32(100)
			r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice = i32(50)
		}, "mutually exclusive"},
		{"bad family", func(r *instances.Requirements) { r.BaselinePerformanceFamilies = []string{"c6i.large"} }, "want an instance family"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := ok
			tc.mod(&r)
			err := r.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
			if err != nil {
				var ve *instances.ValidationError
				if !errors.As(err, &ve) || !strings.HasPrefix(err.Error(), "instances: Requirements.") {
					t.Errorf("error %v is not a prefixed *ValidationError", err)
				}
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := instances.Requirements{}.Validate()
	if err == nil || !strings.Contains(err.Error(), "VCpuCount.Min") || !strings.Contains(err.Error(), "MemoryMiB.Min") {
		t.Fatalf("got %v, want both minimums reported", err)
	}
}
