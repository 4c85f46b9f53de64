package instances_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/emr/instances"
)

// Hourly prices used by these tests are the user's input, not catalog data; the values resemble
// us-east-1 list prices. The expected results follow the EC2 definition of price protection: the
// threshold is relative to the lowest priced current generation C, M or R type that matches the
// other attributes, else the lowest current generation type, else the lowest previous one.
var testPrices = instances.Prices{
	OnDemand: map[string]float64{
		"m5.large": 0.096, "m5.xlarge": 0.192, "c5.large": 0.085, "r5.large": 0.126, "m6g.large": 0.077,
		"i3.large": 0.156, "i3.xlarge": 0.312, "d3.xlarge": 0.499,
	},
	Spot: map[string]float64{"m5.large": 0.040, "c5.large": 0.035, "r5.large": 0.050, "m6g.large": 0.030},
}

func withPrices(o *instances.Options) { o.Prices = testPrices }

// twoVCPU selects m5.large, c5.large, r5.large and m6g.large (jq: the 2-vCPU types of those families).
func twoVCPU() instances.Requirements {
	return instances.Requirements{
		VCpuCount: instances.Between(2, 2), MemoryMiB: instances.AtLeast(0),
		AllowedInstanceTypes: []string{"m5.*", "c5.*", "r5.*", "m6g.*"},
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

func TestPriceProtection(t *testing.T) {
	c := realCatalog(t)
	base, err := c.Select(twoVCPU())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"c5.large", "m5.large", "m6g.large", "r5.large"}; !slices.Equal(sorted(base), want) {
		t.Fatalf("without price protection: %v, want %v", sorted(base), want)
	}
	cases := []struct {
		name string
		mod  func(r *instances.Requirements)
		want []string
	}{
		// Lowest On-Demand C/M/R is m6g.large at 0.077; +20% = 0.0924.
		{"on-demand 20%", func(r *instances.Requirements) { r.OnDemandMaxPricePercentageOverLowestPrice = i32(20) }, []string{"c5.large", "m6g.large"}},
		// Lowest Spot is m6g.large at 0.030; +50% = 0.045.
		{"spot over lowest 50%", func(r *instances.Requirements) { r.SpotMaxPricePercentageOverLowestPrice = i32(50) }, []string{"c5.large", "m5.large", "m6g.large"}},
		// 50% of the lowest On-Demand (0.077) = 0.0385, compared with Spot prices.
		{"spot of on-demand 50%", func(r *instances.Requirements) { r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice = i32(50) }, []string{"c5.large", "m6g.large"}},
		// A very high value turns protection off.
		{"off", func(r *instances.Requirements) { r.OnDemandMaxPricePercentageOverLowestPrice = i32(999999) }, []string{"c5.large", "m5.large", "m6g.large", "r5.large"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := twoVCPU()
			tc.mod(&r)
			got, err := c.Select(r, withPrices)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sorted(got), tc.want) {
				t.Errorf("got %v, want %v", sorted(got), tc.want)
			}
			for _, n := range base {
				ex, err := c.Explain(r, n, withPrices)
				if err != nil {
					t.Fatal(err)
				}
				if ex.Selected != slices.Contains(tc.want, n) {
					t.Errorf("Explain(%s).Selected = %v\n%s", n, ex.Selected, ex)
				}
			}
		})
	}
}

// With no C, M or R type among the matches, the reference is the lowest current generation type:
// i3.large at 0.156; +100% = 0.312 keeps i3.xlarge (equal) and drops d3.xlarge.
func TestPriceProtectionFallsBackToCurrentGeneration(t *testing.T) {
	c := realCatalog(t)
	r := instances.Requirements{
		VCpuCount: instances.Between(2, 4), MemoryMiB: instances.AtLeast(0),
		AllowedInstanceTypes:                      []string{"i3.*", "d3.*"},
		OnDemandMaxPricePercentageOverLowestPrice: i32(100),
	}
	got, err := c.Select(r, withPrices)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"i3.large", "i3.xlarge"}; !slices.Equal(sorted(got), want) {
		t.Errorf("got %v, want %v", sorted(got), want)
	}
	ex, _ := c.Explain(r, "d3.xlarge", withPrices)
	if !strings.Contains(ex.String(), "lowest On-Demand price $0.156 of i3.large") {
		t.Errorf("explanation does not name the reference price:\n%s", ex)
	}
}

// Per-vCPU comparison (TargetCapacityUnitType vcpu): m5.xlarge costs twice m5.large per
// instance but the same per vCPU.
func TestPriceProtectionPerVCPU(t *testing.T) {
	c := realCatalog(t)
	r := instances.Requirements{
		VCpuCount: instances.Between(2, 4), MemoryMiB: instances.AtLeast(0),
		AllowedInstanceTypes:                      []string{"m5.large", "m5.xlarge"},
		OnDemandMaxPricePercentageOverLowestPrice: i32(20),
	}
	got, _ := c.Select(r, withPrices)
	if !slices.Equal(got, []string{"m5.large"}) {
		t.Errorf("per instance: %v", got)
	}
	got, _ = c.Select(r, withPrices, func(o *instances.Options) { o.PriceUnit = instances.PerVCPU })
	if !slices.Equal(got, []string{"m5.large", "m5.xlarge"}) {
		t.Errorf("per vCPU: %v", got)
	}
}

func TestPriceProtectionUnpricedTypeIsUnknown(t *testing.T) {
	c := realCatalog(t)
	r := twoVCPU()
	r.AllowedInstanceTypes = append(r.AllowedInstanceTypes, "m7i.*") // m7i.large has no test price
	r.OnDemandMaxPricePercentageOverLowestPrice = i32(999999)
	ex, err := c.Explain(r, "m7i.large", withPrices)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Selected || ex.Failed()[0].Verdict != instances.Unknown {
		t.Errorf("unpriced type:\n%s", ex)
	}
}

func TestPriceProtectionNeedsPrices(t *testing.T) {
	c := realCatalog(t)
	r := twoVCPU()
	r.SpotMaxPricePercentageOverLowestPrice = i32(100)
	_, err := c.Select(r)
	if !errors.Is(err, instances.ErrPricesRequired) || !strings.Contains(err.Error(), "SpotMaxPricePercentageOverLowestPrice") {
		t.Fatalf("got %v, want ErrPricesRequired naming the field", err)
	}
	if _, err := c.Explain(r, "m5.large"); !errors.Is(err, instances.ErrPricesRequired) {
		t.Fatalf("Explain: got %v", err)
	}
}
