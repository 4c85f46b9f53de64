// Package conformance is the conformance suite of the EC2 fake of package instancestest: the
// behaviors of DescribeInstanceTypes and GetInstanceTypesFromInstanceRequirements that package
// instances relies on, checked at the SDK interface. It runs in every go test against
// instancestest.Fake in-process and through the real SDK client over localaws, and against real
// EC2 under the integration build tag of package instances; when they disagree, AWS is right
// and the fake must change. It does not import package instances, so that the suite stays a
// reading of AWS independent of the helpers.
package conformance

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
)

// Client is what the conformance suite calls: the EC2 methods with the SDK's signatures, as
// instancestest.Fake and a real *ec2.Client provide them.
type Client interface {
	DescribeInstanceTypes(ctx context.Context, params *ec2.DescribeInstanceTypesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error)
	GetInstanceTypesFromInstanceRequirements(ctx context.Context, params *ec2.GetInstanceTypesFromInstanceRequirementsInput, optFns ...func(*ec2.Options)) (*ec2.GetInstanceTypesFromInstanceRequirementsOutput, error)
}

// Harness gives the conformance suite a client and what it needs to know about the backend.
type Harness interface {
	// Client returns the EC2 client under test.
	Client() Client
	// KnownInstanceTypes returns at least two instance type names that exist in the backend's
	// region, including "m5.large".
	KnownInstanceTypes() []string
	// Close releases the harness.
	Close()
}

// HarnessMaker makes a fresh Harness for one subtest.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// RunConformanceTests checks that a client behaves like EC2 for the operations package instances
// calls, one subtest per behavior. It runs against the Fake in every `go test` and against real
// AWS under the integration build tag; when they disagree, AWS wins.
func RunConformanceTests(t *testing.T, newHarness HarnessMaker) {
	t.Helper()
	run := func(name string, fn func(t *testing.T, ctx context.Context, h Harness)) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			h, err := newHarness(ctx, t)
			if err != nil {
				t.Fatalf("harness: %v", err)
			}
			defer h.Close()
			fn(t, ctx, h)
		})
	}
	run("DescribeInstanceTypesPaginates", testDescribePaginates)
	run("DescribeInstanceTypesByName", testDescribeByName)
	run("DescribeInstanceTypesUnknownName", testDescribeUnknown)
	run("DescribeInstanceTypesMaxResultsRange", testDescribeMaxResults)
	run("DescribeInstanceTypesWildcardFilter", testDescribeFilter)
	run("GetInstanceTypesFromInstanceRequirementsPaginates", testRequirementsPaginate)
	run("GetInstanceTypesFromInstanceRequirementsExclusiveLists", testRequirementsExclusive)
	run("GetInstanceTypesFromInstanceRequirementsRequiresMinimums", testRequirementsMinimums)
	run("GetInstanceTypesFromInstanceRequirementsRejectsRegex", testRequirementsRegex)
	run("GetInstanceTypesFromInstanceRequirementsAtMostThreeArchitectures", testRequirementsArchitectures)
	run("GetInstanceTypesFromInstanceRequirementsExcludesBurstableByDefault", testRequirementsBurstable)
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func testDescribePaginates(t *testing.T, ctx context.Context, h Harness) {
	p := ec2.NewDescribeInstanceTypesPaginator(h.Client(), &ec2.DescribeInstanceTypesInput{
		MaxResults: aws.Int32(5),
		Filters:    []types.Filter{{Name: aws.String("instance-type"), Values: []string{"m5.*"}}},
	})
	seen := map[string]bool{}
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		if len(out.InstanceTypes) > 5 {
			t.Errorf("page %d has %d types, MaxResults was 5", pages, len(out.InstanceTypes))
		}
		for _, it := range out.InstanceTypes {
			n := string(it.InstanceType)
			if seen[n] {
				t.Errorf("%s returned twice across pages", n)
			}
			seen[n] = true
		}
	}
	if pages < 2 {
		t.Errorf("got %d page(s) for m5.* with MaxResults 5; want at least 2", pages)
	}
	if !seen["m5.large"] {
		t.Errorf("m5.large missing from the m5.* pages: %v", seen)
	}
}

func testDescribeByName(t *testing.T, ctx context.Context, h Harness) {
	names := h.KnownInstanceTypes()[:2]
	in := &ec2.DescribeInstanceTypesInput{}
	for _, n := range names {
		in.InstanceTypes = append(in.InstanceTypes, types.InstanceType(n))
	}
	out, err := h.Client().DescribeInstanceTypes(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range out.InstanceTypes {
		got = append(got, string(it.InstanceType))
		if it.VCpuInfo == nil || it.VCpuInfo.DefaultVCpus == nil || it.MemoryInfo == nil || it.MemoryInfo.SizeInMiB == nil {
			t.Errorf("%s lacks VCpuInfo.DefaultVCpus or MemoryInfo.SizeInMiB", it.InstanceType)
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(names))
	if !slices.Equal(got, want) {
		t.Errorf("DescribeInstanceTypes(%v) = %v", want, got)
	}
}

func testDescribeUnknown(t *testing.T, ctx context.Context, h Harness) {
	_, err := h.Client().DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{
		InstanceTypes: []types.InstanceType{"m5.notasize"},
	})
	if code := apiCode(err); code != "InvalidInstanceType" {
		t.Errorf("unknown instance type: error %v (code %q), want code InvalidInstanceType", err, code)
	}
}

func testDescribeMaxResults(t *testing.T, ctx context.Context, h Harness) {
	_, err := h.Client().DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{MaxResults: aws.Int32(1)})
	if code := apiCode(err); code != "InvalidParameterValue" {
		t.Errorf("MaxResults 1: error %v (code %q), want code InvalidParameterValue", err, code)
	}
}

func testDescribeFilter(t *testing.T, ctx context.Context, h Harness) {
	p := ec2.NewDescribeInstanceTypesPaginator(h.Client(), &ec2.DescribeInstanceTypesInput{
		Filters: []types.Filter{{Name: aws.String("instance-type"), Values: []string{"m5.*"}}},
	})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range out.InstanceTypes {
			n++
			if !strings.HasPrefix(string(it.InstanceType), "m5.") {
				t.Errorf("filter instance-type=m5.* returned %s", it.InstanceType)
			}
		}
	}
	if n == 0 {
		t.Error("filter instance-type=m5.* returned nothing")
	}
}

func requirementsInput() *ec2.GetInstanceTypesFromInstanceRequirementsInput {
	return &ec2.GetInstanceTypesFromInstanceRequirementsInput{
		ArchitectureTypes:   []types.ArchitectureType{types.ArchitectureTypeX8664},
		VirtualizationTypes: []types.VirtualizationType{types.VirtualizationTypeHvm},
		InstanceRequirements: &types.InstanceRequirementsRequest{
			VCpuCount:            &types.VCpuCountRangeRequest{Min: aws.Int32(2), Max: aws.Int32(2)},
			MemoryMiB:            &types.MemoryMiBRequest{Min: aws.Int32(8192), Max: aws.Int32(8192)},
			AllowedInstanceTypes: []string{"m5.*", "m6i.*"},
		},
	}
}

// describeMatching lists, with DescribeInstanceTypes, the types of the instance-type filter
// patterns that keep returns true for.
func describeMatching(t *testing.T, ctx context.Context, h Harness, patterns []string, keep func(types.InstanceTypeInfo) bool) []string {
	t.Helper()
	p := ec2.NewDescribeInstanceTypesPaginator(h.Client(), &ec2.DescribeInstanceTypesInput{
		Filters: []types.Filter{{Name: aws.String("instance-type"), Values: patterns}},
	})
	var out []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.InstanceTypes {
			if keep(it) {
				out = append(out, string(it.InstanceType))
			}
		}
	}
	slices.Sort(out)
	return out
}

func vcpusMem(it types.InstanceTypeInfo) (int32, int64) {
	if it.VCpuInfo == nil || it.MemoryInfo == nil {
		return -1, -1
	}
	return aws.ToInt32(it.VCpuInfo.DefaultVCpus), aws.ToInt64(it.MemoryInfo.SizeInMiB)
}

func requirementsNames(t *testing.T, ctx context.Context, h Harness, in *ec2.GetInstanceTypesFromInstanceRequirementsInput) ([]string, int) {
	t.Helper()
	p := ec2.NewGetInstanceTypesFromInstanceRequirementsPaginator(h.Client(), in)
	var got []string
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if in.MaxResults != nil && len(out.InstanceTypes) > int(*in.MaxResults) {
			t.Errorf("page has %d types, MaxResults was %d", len(out.InstanceTypes), *in.MaxResults)
		}
		for _, it := range out.InstanceTypes {
			got = append(got, aws.ToString(it.InstanceType))
		}
	}
	slices.Sort(got)
	return got, pages
}

func testRequirementsPaginate(t *testing.T, ctx context.Context, h Harness) {
	// 2 vCPUs and exactly 8 GiB among the x86_64 m5 and m6i types: what DescribeInstanceTypes
	// says has those attributes (none of M5 and M6i is burstable or bare metal at 2 vCPUs).
	want := describeMatching(t, ctx, h, []string{"m5.*", "m6i.*"}, func(it types.InstanceTypeInfo) bool {
		v, m := vcpusMem(it)
		return v == 2 && m == 8192
	})
	if len(want) == 0 {
		t.Fatal("the backend lists no m5 or m6i type with 2 vCPUs and 8 GiB")
	}
	in := requirementsInput()
	in.MaxResults = aws.Int32(1)
	got, pages := requirementsNames(t, ctx, h, in)
	if !slices.Equal(got, want) {
		t.Errorf("GetInstanceTypesFromInstanceRequirements = %v, want %v", got, want)
	}
	if pages < len(want) {
		t.Errorf("%d pages for %d types with MaxResults 1", pages, len(want))
	}
}

// testRequirementsArchitectures checks the API reference's limit on ArchitectureType.N:
// "Maximum number of 3 items".
func testRequirementsArchitectures(t *testing.T, ctx context.Context, h Harness) {
	in := requirementsInput()
	in.ArchitectureTypes = []types.ArchitectureType{"i386", "x86_64", "arm64", "x86_64_mac"}
	if _, err := h.Client().GetInstanceTypesFromInstanceRequirements(ctx, in); apiCode(err) == "" {
		t.Errorf("four architecture types: error %v, want an EC2 API error", err)
	}
}

// testRequirementsBurstable checks the documented default of BurstablePerformance (excluded):
// 2 to 4 vCPUs among T3, M5 and C5 gives no t3 type unless burstable types are included.
func testRequirementsBurstable(t *testing.T, ctx context.Context, h Harness) {
	in := requirementsInput()
	in.InstanceRequirements.VCpuCount = &types.VCpuCountRangeRequest{Min: aws.Int32(2), Max: aws.Int32(4)}
	in.InstanceRequirements.MemoryMiB = &types.MemoryMiBRequest{Min: aws.Int32(0)}
	in.InstanceRequirements.AllowedInstanceTypes = []string{"t3.*", "m5.*", "c5.*"}
	got, _ := requirementsNames(t, ctx, h, in)
	if slices.ContainsFunc(got, func(n string) bool { return strings.HasPrefix(n, "t3.") }) {
		t.Errorf("burstable types without BurstablePerformance: %v", got)
	}
	in.InstanceRequirements.BurstablePerformance = types.BurstablePerformanceIncluded
	with, _ := requirementsNames(t, ctx, h, in)
	want := describeMatching(t, ctx, h, []string{"t3.*"}, func(it types.InstanceTypeInfo) bool {
		v, _ := vcpusMem(it)
		return v >= 2 && v <= 4
	})
	for _, n := range want {
		if !slices.Contains(with, n) {
			t.Errorf("%s missing with BurstablePerformance included: %v", n, with)
		}
	}
	if len(want) == 0 {
		t.Error("the backend lists no t3 type with 2 to 4 vCPUs")
	}
}

func testRequirementsExclusive(t *testing.T, ctx context.Context, h Harness) {
	in := requirementsInput()
	in.InstanceRequirements.ExcludedInstanceTypes = []string{"m5.large"}
	_, err := h.Client().GetInstanceTypesFromInstanceRequirements(ctx, in)
	if apiCode(err) == "" {
		t.Errorf("allowed and excluded instance types together: error %v, want an EC2 API error", err)
	}
}

func testRequirementsMinimums(t *testing.T, ctx context.Context, h Harness) {
	// VCpuCount.Min is required: the real client rejects its absence before sending (SDK
	// parameter validation), the fake with EC2's MissingParameter. Either way nothing is returned.
	in := requirementsInput()
	in.InstanceRequirements.VCpuCount = &types.VCpuCountRangeRequest{Max: aws.Int32(2)}
	out, err := h.Client().GetInstanceTypesFromInstanceRequirements(ctx, in)
	if err == nil {
		t.Errorf("VCpuCount without Min accepted: %+v", out)
	}
}

func testRequirementsRegex(t *testing.T, ctx context.Context, h Harness) {
	// AllowedInstanceTypes takes names and * wildcards, not regular expressions.
	in := requirementsInput()
	in.InstanceRequirements.AllowedInstanceTypes = []string{`^m5\..*$`}
	_, err := h.Client().GetInstanceTypesFromInstanceRequirements(ctx, in)
	if apiCode(err) == "" {
		t.Errorf("regular expression in AllowedInstanceTypes: error %v, want an EC2 API error", err)
	}
}
