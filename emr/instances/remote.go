package instances

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// RemoteSelector resolves Requirements with EC2's GetInstanceTypesFromInstanceRequirements: the
// exact AWS answer, one or more API calls per query. It is safe for concurrent use.
type RemoteSelector struct {
	client RemoteSelectorAPIClient
	opts   Options
}

// NewRemoteSelector returns a RemoteSelector calling client.
func NewRemoteSelector(client RemoteSelectorAPIClient, optFns ...func(*Options)) *RemoteSelector {
	o := apply(Options{}, optFns)
	return &RemoteSelector{client: client, opts: o}
}

// withoutPriceProtection clears the thresholds GetInstanceTypesFromInstanceRequirements does not
// support; a fleet applies them later at launch.
func withoutPriceProtection(r Requirements) Requirements {
	r.OnDemandMaxPricePercentageOverLowestPrice = nil
	r.SpotMaxPricePercentageOverLowestPrice = nil
	r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice = nil
	return r
}

// maxArchitectureTypesPerCall is the most ArchitectureTypes one
// GetInstanceTypesFromInstanceRequirements call takes (EC2 API reference: ArchitectureType.N,
// "Maximum number of 3 items").
const maxArchitectureTypesPerCall = 3

// inputs returns the GetInstanceTypesFromInstanceRequirements inputs for req, one per group of
// at most maxArchitectureTypesPerCall architectures: empty Architectures mean all five
// architecture types (two calls) and empty VirtualizationTypes both, as the API requires the
// lists; price protection is left out (the API does not support it).
func inputs(req Requirements) []*ec2.GetInstanceTypesFromInstanceRequirementsInput {
	req = withoutPriceProtection(req)
	archs := req.Architectures
	if len(archs) == 0 {
		archs = types.ArchitectureType("").Values()
	}
	virts := req.VirtualizationTypes
	if len(virts) == 0 {
		virts = types.VirtualizationType("").Values()
	}
	var ins []*ec2.GetInstanceTypesFromInstanceRequirementsInput
	for chunk := range slices.Chunk(slices.Compact(slices.Clone(archs)), maxArchitectureTypesPerCall) {
		in := &ec2.GetInstanceTypesFromInstanceRequirementsInput{
			ArchitectureTypes:    chunk,
			VirtualizationTypes:  slices.Clone(virts),
			InstanceRequirements: req.InstanceRequirementsRequest(),
		}
		ins = append(ins, in)
	}
	return ins
}

// Select asks EC2 which instance types satisfy req, following NextToken across pages. The API
// takes at most 3 architectures a call, so empty Architectures (all five) take two call
// sequences; empty VirtualizationTypes mean both, and price protection is left out (the API does
// not support it). The names are sorted and deduplicated. req is validated first.
func (s *RemoteSelector) Select(ctx context.Context, req Requirements, optFns ...func(*Options)) ([]string, error) {
	o := s.opts
	o.ClientOptions = slices.Clone(o.ClientOptions)
	o = apply(o, optFns)
	if err := req.Validate(); err != nil {
		return nil, err
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	seen := map[string]bool{}
	var out []string
	page := 0
	for _, in := range inputs(req) {
		p := ec2.NewGetInstanceTypesFromInstanceRequirementsPaginator(s.client, in)
		for p.HasMorePages() {
			page++
			res, err := p.NextPage(ctx, o.ClientOptions...)
			if err != nil {
				return nil, fmt.Errorf("instances: GetInstanceTypesFromInstanceRequirements page %d: %w", page, err)
			}
			for _, t := range res.InstanceTypes {
				if t.InstanceType != nil && !seen[*t.InstanceType] {
					seen[*t.InstanceType] = true
					out = append(out, *t.InstanceType)
				}
			}
			log.DebugContext(ctx, "instances: GetInstanceTypesFromInstanceRequirements page", "page", page, "types", len(res.InstanceTypes))
		}
	}
	slices.Sort(out)
	return out, nil
}

// Comparison is the difference between a local and a remote selection of the same Requirements.
type Comparison struct {
	// OnlyLocal are types the catalog selected and AWS did not.
	OnlyLocal []string
	// OnlyRemote are catalog types AWS selected and the catalog did not; Explanations says why.
	OnlyRemote []string
	// NotInCatalog are types AWS selected that the catalog lacks (a stale or filtered catalog).
	NotInCatalog []string
	// Explanations explain each OnlyLocal and OnlyRemote type locally, in that order.
	Explanations []Explanation

	local, remote int // the number of types each side selected
}

// Equal reports whether both answers are the same.
func (c *Comparison) Equal() bool {
	return len(c.OnlyLocal) == 0 && len(c.OnlyRemote) == 0 && len(c.NotInCatalog) == 0
}

// String summarizes the differences, one line per type.
func (c *Comparison) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "local %d, remote %d", c.local, c.remote)
	if c.Equal() {
		b.WriteString(": identical\n")
		return b.String()
	}
	b.WriteString("\n")
	for _, n := range c.OnlyLocal {
		fmt.Fprintf(&b, "only local:     %s\n", n)
	}
	for _, n := range c.OnlyRemote {
		fmt.Fprintf(&b, "only remote:    %s\n", n)
	}
	for _, n := range c.NotInCatalog {
		fmt.Fprintf(&b, "not in catalog: %s\n", n)
	}
	return b.String()
}

// CrossCheck runs req locally on cat and remotely, and reports every difference. Price
// protection is left out of both sides, since the API ignores it; optFns apply to both sides,
// so IncludeUnknown (say) to the local one and ClientOptions to the remote one.
func (s *RemoteSelector) CrossCheck(ctx context.Context, cat *Catalog, req Requirements, optFns ...func(*Options)) (*Comparison, error) {
	req = withoutPriceProtection(req)
	local, err := cat.Select(req, optFns...)
	if err != nil {
		return nil, err
	}
	remote, err := s.Select(ctx, req, optFns...)
	if err != nil {
		return nil, err
	}
	c := &Comparison{local: len(local), remote: len(remote)}
	inRemote := make(map[string]bool, len(remote))
	for _, n := range remote {
		inRemote[n] = true
	}
	inLocal := make(map[string]bool, len(local))
	for _, n := range local {
		inLocal[n] = true
		if !inRemote[n] {
			c.OnlyLocal = append(c.OnlyLocal, n)
		}
	}
	for _, n := range remote {
		switch {
		case cat.entry(n) == nil:
			c.NotInCatalog = append(c.NotInCatalog, n)
		case !inLocal[n]:
			c.OnlyRemote = append(c.OnlyRemote, n)
		}
	}
	slices.Sort(c.OnlyLocal)
	for _, n := range append(slices.Clone(c.OnlyLocal), c.OnlyRemote...) {
		ex, err := cat.Explain(req, n, optFns...)
		if err != nil {
			return nil, err
		}
		c.Explanations = append(c.Explanations, ex)
	}
	return c, nil
}
