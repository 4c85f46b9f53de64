package instancestest

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/internal/glob"
	"github.com/datablocks-go/datablocks/localaws"
)

// Operation names accepted by Control, FailNext, ThrottleNext and Count, and recorded in Calls.
const (
	OpDescribeInstanceTypes                    = "DescribeInstanceTypes"
	OpGetInstanceTypesFromInstanceRequirements = "GetInstanceTypesFromInstanceRequirements"
)

// defaultPageSize is the fake's page size when a request sets no MaxResults: 100, the largest
// MaxResults DescribeInstanceTypes accepts.
const defaultPageSize = 100

//go:embed sample-us-east-1.json
var sampleJSON []byte

// SampleInstanceTypes returns 23 real us-east-1 instance types (M4, M5, M5d, M6g, M6i, M7i, C5,
// C5n, C6g, R5, R6g, R6i, T3, G5 and m5.metal) in the DescribeInstanceTypes shape, for examples
// and tests. Each call returns a fresh copy.
func SampleInstanceTypes() []types.InstanceTypeInfo {
	var f struct{ InstanceTypes []types.InstanceTypeInfo }
	dec := json.NewDecoder(bytes.NewReader(sampleJSON))
	if err := dec.Decode(&f); err != nil {
		// The file is embedded at build time and covered by tests.
		panic("instancestest: embedded sample catalog: " + err.Error())
	}
	return f.InstanceTypes
}

// Options configure a Fake.
type Options struct {
	// InstanceTypes seeds the region's instance types. Nil means SampleInstanceTypes().
	InstanceTypes []types.InstanceTypeInfo
	// PageSize is the page size when a request sets no MaxResults; pagination tests set it
	// small. Zero means 100, the largest MaxResults DescribeInstanceTypes accepts. A smaller
	// MaxResults in a request wins.
	PageSize int
	// Clock is the fake's clock. The fake has no state that time changes; Clock is there so
	// that it answers datablocks.ClockSource like every fake. Nil means its own
	// datablocks.ManualClock.
	Clock datablocks.Clock
}

// Fake is an in-memory EC2 for instance type selection. DescribeInstanceTypes serves the seeded
// types with real pagination; GetInstanceTypesFromInstanceRequirements validates the request as
// the EC2 API reference says and answers by evaluating the InstanceRequirements over the seeded
// types by the fake's own reading of the EC2 documentation (see doc.go), so a selector's
// results can be cross-checked against an independent implementation. It is safe for
// concurrent use.
type Fake struct {
	// Controls intercepts calls, injects faults and throttling (RequestLimitExceeded), and keeps
	// the call log (Control, KeepControl, FailNext, ThrottleNext, Calls, Count, ResetCalls,
	// ClearControls).
	*fakecontrol.Controls

	clock    datablocks.Clock
	mu       sync.Mutex
	infos    []types.InstanceTypeInfo // sorted by name
	pageSize int
}

// New returns a Fake seeded by the options.
func New(optFns ...func(*Options)) *Fake {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.InstanceTypes == nil {
		o.InstanceTypes = SampleInstanceTypes()
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultPageSize
	}
	if o.Clock == nil {
		o.Clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	f := &Fake{
		Controls: fakecontrol.New(throttled, OpDescribeInstanceTypes, OpGetInstanceTypesFromInstanceRequirements),
		clock:    o.Clock, pageSize: o.PageSize,
	}
	f.setInstanceTypes(o.InstanceTypes)
	return f
}

// Clock returns the fake's clock.
func (f *Fake) Clock() datablocks.Clock { return f.clock }

// Service describes the fake as EC2 (ec2Query, API version 2016-11-15) for package localaws, so
// the real *ec2.Client reaches it.
func (f *Fake) Service() localaws.Service {
	return localaws.Service{
		SigningName:  "ec2",
		Protocol:     localaws.EC2Query,
		APIVersion:   "2016-11-15",
		XMLNamespace: "http://ec2.amazonaws.com/doc/2016-11-15/",
		// The model's locationName of the lists whose element name is not their member's name
		// (every other member is its name with a lower-case first letter).
		WireNames: map[string]string{
			"DescribeInstanceTypesOutput.InstanceTypes":                    "instanceTypeSet",
			"GetInstanceTypesFromInstanceRequirementsOutput.InstanceTypes": "instanceTypeSet",
			"NetworkCardInfo.InterfaceTypes":                               "interfaceTypeSet",
			"GpuDeviceInfo.Workloads":                                      "workloadSet",
			"EbsInfo.EbsCards":                                             "ebsCardSet",
			// The one list of these answers whose elements are <member>, not <item>.
			"InferenceAcceleratorInfo.Accelerators": "accelerators/member",
		},
		Operations: []localaws.Operation{
			localaws.Op(OpDescribeInstanceTypes, f.DescribeInstanceTypes),
			localaws.Op(OpGetInstanceTypesFromInstanceRequirements, f.GetInstanceTypesFromInstanceRequirements),
		},
	}
}

// setInstanceTypes sets the catalog DescribeInstanceTypes serves.
func (f *Fake) setInstanceTypes(infos []types.InstanceTypeInfo) {
	sorted := slices.Clone(infos)
	slices.SortFunc(sorted, func(a, b types.InstanceTypeInfo) int {
		return strings.Compare(string(a.InstanceType), string(b.InstanceType))
	})
	f.mu.Lock()
	defer f.mu.Unlock()
	f.infos = sorted
}

// throttled is EC2's throttling error: code RequestLimitExceeded (EC2 does not use
// ThrottlingException), which the SDK's retryer treats as throttling.
func throttled(string) error {
	return apiError("RequestLimitExceeded", "Request limit exceeded.")
}

func apiError(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg, Fault: smithy.FaultClient}
}

// page returns the token-delimited slice of n items and the next token.
func page(n, size int, max *int32, token *string) (lo, hi int, next *string, err error) {
	if max != nil && int(*max) < size {
		size = int(*max)
	}
	if token != nil {
		v, ok := strings.CutPrefix(*token, "fake-")
		off, convErr := strconv.Atoi(v)
		if !ok || convErr != nil || off < 0 || off > n {
			return 0, 0, nil, apiError("InvalidParameterValue", fmt.Sprintf("The NextToken %q is invalid.", *token))
		}
		lo = off
	}
	hi = min(lo+size, n)
	if hi < n {
		next = aws.String("fake-" + strconv.Itoa(hi))
	}
	return lo, hi, next, nil
}

// DescribeInstanceTypes serves the seeded catalog sorted by name, filtered by InstanceTypes and
// the filters instance-type (with * wildcards), current-generation and
// processor-info.supported-architecture. MaxResults must be 5–100.
func (f *Fake) DescribeInstanceTypes(ctx context.Context, in *ec2.DescribeInstanceTypesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error) {
	if in == nil {
		in = &ec2.DescribeInstanceTypesInput{}
	}
	return fakecontrol.Do(f.Controls, OpDescribeInstanceTypes, in, func(in *ec2.DescribeInstanceTypesInput) (*ec2.DescribeInstanceTypesOutput, error) {
		return f.describeInstanceTypes(ctx, in)
	})
}

func (f *Fake) describeInstanceTypes(ctx context.Context, in *ec2.DescribeInstanceTypesInput) (*ec2.DescribeInstanceTypesOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.MaxResults != nil && (*in.MaxResults < 5 || *in.MaxResults > 100) {
		return nil, apiError("InvalidParameterValue", fmt.Sprintf("Value (%d) for parameter maxResults is invalid. Expecting a value between 5 and 100.", *in.MaxResults))
	}
	f.mu.Lock()
	infos := f.infos
	pageSize := f.pageSize
	f.mu.Unlock()
	var sel []types.InstanceTypeInfo
	if len(in.InstanceTypes) > 0 {
		var missing []string
		for _, want := range in.InstanceTypes {
			i, ok := slices.BinarySearchFunc(infos, want, func(a types.InstanceTypeInfo, w types.InstanceType) int {
				return strings.Compare(string(a.InstanceType), string(w))
			})
			if !ok {
				missing = append(missing, string(want))
				continue
			}
			sel = append(sel, infos[i])
		}
		if len(missing) > 0 {
			return nil, apiError("InvalidInstanceType", fmt.Sprintf("The following supplied instance types do not exist: [%s]", strings.Join(missing, ", ")))
		}
	} else {
		sel = infos
	}
	for _, flt := range in.Filters {
		name := aws.ToString(flt.Name)
		var keep func(types.InstanceTypeInfo, string) bool
		switch name {
		case "instance-type":
			keep = func(t types.InstanceTypeInfo, v string) bool { return glob.Match(v, string(t.InstanceType)) }
		case "current-generation":
			keep = func(t types.InstanceTypeInfo, v string) bool {
				return t.CurrentGeneration != nil && strconv.FormatBool(*t.CurrentGeneration) == v
			}
		case "processor-info.supported-architecture":
			keep = func(t types.InstanceTypeInfo, v string) bool {
				return t.ProcessorInfo != nil && slices.Contains(t.ProcessorInfo.SupportedArchitectures, types.ArchitectureType(v))
			}
		default:
			return nil, apiError("InvalidParameterValue", fmt.Sprintf("The filter '%s' is invalid", name))
		}
		var kept []types.InstanceTypeInfo
		for _, t := range sel {
			if slices.ContainsFunc(flt.Values, func(v string) bool { return keep(t, v) }) {
				kept = append(kept, t)
			}
		}
		sel = kept
	}
	lo, hi, next, err := page(len(sel), pageSize, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeInstanceTypesOutput{InstanceTypes: slices.Clone(sel[lo:hi]), NextToken: next}, nil
}

// GetInstanceTypesFromInstanceRequirements validates the request as the EC2 API reference says
// (see checkRequirements) and answers with the seeded types that satisfy it, sorted by name,
// MaxResults (or PageSize) a page.
func (f *Fake) GetInstanceTypesFromInstanceRequirements(ctx context.Context, in *ec2.GetInstanceTypesFromInstanceRequirementsInput, _ ...func(*ec2.Options)) (*ec2.GetInstanceTypesFromInstanceRequirementsOutput, error) {
	if in == nil {
		in = &ec2.GetInstanceTypesFromInstanceRequirementsInput{}
	}
	return fakecontrol.Do(f.Controls, OpGetInstanceTypesFromInstanceRequirements, in, func(in *ec2.GetInstanceTypesFromInstanceRequirementsInput) (*ec2.GetInstanceTypesFromInstanceRequirementsOutput, error) {
		return f.getInstanceTypes(ctx, in)
	})
}

func (f *Fake) getInstanceTypes(ctx context.Context, in *ec2.GetInstanceTypesFromInstanceRequirementsInput) (*ec2.GetInstanceTypesFromInstanceRequirementsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkRequirements(in); err != nil {
		return nil, err
	}
	if in.MaxResults != nil && *in.MaxResults < 1 {
		return nil, apiError("InvalidParameterValue", fmt.Sprintf("Value (%d) for parameter maxResults is invalid. Expecting a positive value.", *in.MaxResults))
	}
	f.mu.Lock()
	infos := f.infos
	pageSize := f.pageSize
	f.mu.Unlock()
	var names []string
	for i := range infos {
		if satisfies(&infos[i], in.ArchitectureTypes, in.VirtualizationTypes, in.InstanceRequirements) {
			names = append(names, string(infos[i].InstanceType))
		}
	}
	lo, hi, next, err := page(len(names), pageSize, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2.GetInstanceTypesFromInstanceRequirementsOutput{NextToken: next}
	for _, n := range names[lo:hi] {
		out.InstanceTypes = append(out.InstanceTypes, types.InstanceTypeInfoFromInstanceRequirements{InstanceType: aws.String(n)})
	}
	return out, nil
}

// checkInstanceTypePatterns applies the API's constraints on AllowedInstanceTypes and
// ExcludedInstanceTypes (EC2 API reference, InstanceRequirementsRequest): at most 400 entries,
// each 1–30 characters of [a-zA-Z0-9.*-].
func checkInstanceTypePatterns(name string, list []string) error {
	if len(list) > 400 {
		return apiError("InvalidParameterValue", fmt.Sprintf("%s has %d entries; the maximum is 400.", name, len(list)))
	}
	for _, p := range list {
		ok := len(p) >= 1 && len(p) <= 30
		for _, c := range p {
			ok = ok && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '*' || c == '-')
		}
		if !ok {
			return apiError("InvalidParameterValue", fmt.Sprintf("The value '%s' for %s is invalid.", p, name))
		}
	}
	return nil
}
