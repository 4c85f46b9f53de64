package instances

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
)

// EMR instance fleet limits and the settings of generated fleets.
const (
	// maxFleetInstanceTypes is the most instance type configs EMR accepts in one fleet that has
	// an allocation strategy (EMRFleet always sets one).
	maxFleetInstanceTypes = 30
	// spotTimeoutMinutes is how long EMR waits for Spot capacity before the timeout action.
	spotTimeoutMinutes = 60
	// spotTimeoutAction is what EMR does when Spot capacity is not found in time.
	spotTimeoutAction = emrtypes.SpotProvisioningTimeoutActionSwitchToOnDemand
	// bidPriceAsPercentageOfOnDemandPrice is the Spot bid of every type config.
	bidPriceAsPercentageOfOnDemandPrice = 100.0
)

// WeightBy is what one unit of fleet capacity means.
type WeightBy int

// Weighting schemes.
const (
	// WeightByVCPU gives each type a WeightedCapacity equal to its vCPUs (pair with managed
	// scaling UnitType VCPU or InstanceFleetUnits counted in vCPUs).
	WeightByVCPU WeightBy = iota
	// WeightByMemoryGiB gives each type its memory in whole GiB.
	WeightByMemoryGiB
	// WeightByInstance gives every type weight 1.
	WeightByInstance
)

// EMRFleet builds an EMR instance fleet from selected instance types (typically the result of
// Select): one InstanceTypeConfig per type with its weighted capacity, best candidates first
// (current generation, then cheaper per unit when prices are given, then newer generation, then
// catalog order), at most MaxInstanceTypes of them. EMR fleets take no InstanceRequirements, so
// this is how attribute-based selection reaches EMR on EC2.
//
// The fleet is named for its type ("Primary", "Core", "Task"); with Spot capacity it waits 60
// minutes for Spot before switching to On-Demand (SWITCH_TO_ON_DEMAND) and bids 100% of the
// On-Demand price. The result is the SDK's struct: change those settings, or attach EBS
// volumes, on it before passing it to EMR:
//
//	fleet.Name = aws.String("Executors")
//	fleet.LaunchSpecifications.SpotSpecification.TimeoutDurationMinutes = aws.Int32(20) // Spot fleets only
//	for i := range fleet.InstanceTypeConfigs {
//		fleet.InstanceTypeConfigs[i].EbsConfiguration = ebs
//	}
func (c *Catalog) EMRFleet(fleetType emrtypes.InstanceFleetType, names []string, optFns ...func(*Options)) (emrtypes.InstanceFleetConfig, error) {
	o := apply(Options{}, optFns)
	if o.MaxInstanceTypes == 0 {
		o.MaxInstanceTypes = maxFleetInstanceTypes
	}
	if o.SpotAllocationStrategy == "" {
		o.SpotAllocationStrategy = emrtypes.SpotProvisioningAllocationStrategyPriceCapacityOptimized
	}
	if o.OnDemandAllocationStrategy == "" {
		o.OnDemandAllocationStrategy = emrtypes.OnDemandProvisioningAllocationStrategyLowestPrice
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("instances: "+format, args...)) }
	if !slices.Contains(fleetType.Values(), fleetType) {
		bad("fleet type %q is not MASTER, CORE or TASK", fleetType)
	}
	if len(names) == 0 {
		bad("EMRFleet needs at least one instance type (the selection is empty)")
	}
	if o.MaxInstanceTypes < 1 || o.MaxInstanceTypes > maxFleetInstanceTypes {
		bad("Options.MaxInstanceTypes %d is outside 1–%d", o.MaxInstanceTypes, maxFleetInstanceTypes)
	}
	if o.TargetOnDemandCapacity < 0 || o.TargetSpotCapacity < 0 {
		bad("EMRFleet target capacities must not be negative")
	}
	if o.TargetOnDemandCapacity == 0 && o.TargetSpotCapacity == 0 {
		bad("EMRFleet needs TargetOnDemandCapacity or TargetSpotCapacity > 0")
	}
	if fleetType == emrtypes.InstanceFleetTypeMaster && o.TargetOnDemandCapacity+o.TargetSpotCapacity != 1 {
		bad("a MASTER fleet sets exactly one of TargetOnDemandCapacity and TargetSpotCapacity, to 1")
	}
	type cand struct {
		e      *entry
		weight int32
		price  float64
		priced bool
	}
	var cands []cand
	seen := map[string]bool{}
	for _, n := range names {
		e := c.entry(n)
		if e == nil {
			bad("instance type %q is not in the catalog", n)
			continue
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		w := int32(1)
		if fleetType != emrtypes.InstanceFleetTypeMaster {
			switch o.WeightBy {
			case WeightByVCPU:
				w = int32(e.vcpus.v)
			case WeightByMemoryGiB:
				w = int32(math.Floor(e.memMiB.v / 1024))
			}
		}
		cd := cand{e: e, weight: max(w, 1)}
		if !o.Prices.empty() {
			var p float64
			var ok bool
			if o.TargetSpotCapacity > 0 {
				p, ok = o.Prices.Spot[n]
			}
			if !ok {
				p, ok = o.Prices.OnDemand[n]
			}
			cd.price, cd.priced = p/float64(cd.weight), ok
		}
		cands = append(cands, cd)
	}
	if !o.AllowMixedArchitectures {
		entries := make([]*entry, len(cands))
		for i, c := range cands {
			entries[i] = c.e
		}
		if err := sameArchitecture(entries); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return emrtypes.InstanceFleetConfig{}, err
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		if (a.e.current == yes) != (b.e.current == yes) {
			if a.e.current == yes {
				return -1
			}
			return 1
		}
		if a.priced != b.priced {
			if a.priced {
				return -1
			}
			return 1
		}
		if a.priced && a.price != b.price {
			return cmp.Compare(a.price, b.price)
		}
		return cmp.Compare(b.e.generation, a.e.generation)
	})
	if len(cands) > o.MaxInstanceTypes {
		cands = cands[:o.MaxInstanceTypes]
	}
	prioritized := o.SpotAllocationStrategy == emrtypes.SpotProvisioningAllocationStrategyCapacityOptimizedPrioritized ||
		o.OnDemandAllocationStrategy == emrtypes.OnDemandProvisioningAllocationStrategyPrioritized
	cfg := emrtypes.InstanceFleetConfig{
		InstanceFleetType: fleetType,
		Name:              aws.String(fleetName(fleetType)),
		LaunchSpecifications: &emrtypes.InstanceFleetProvisioningSpecifications{
			OnDemandSpecification: &emrtypes.OnDemandProvisioningSpecification{AllocationStrategy: o.OnDemandAllocationStrategy},
		},
	}
	if o.TargetOnDemandCapacity > 0 {
		cfg.TargetOnDemandCapacity = aws.Int32(o.TargetOnDemandCapacity)
	}
	if o.TargetSpotCapacity > 0 {
		cfg.TargetSpotCapacity = aws.Int32(o.TargetSpotCapacity)
		cfg.LaunchSpecifications.SpotSpecification = &emrtypes.SpotProvisioningSpecification{
			AllocationStrategy:     o.SpotAllocationStrategy,
			TimeoutAction:          spotTimeoutAction,
			TimeoutDurationMinutes: aws.Int32(spotTimeoutMinutes),
		}
	}
	for i, cd := range cands {
		tc := emrtypes.InstanceTypeConfig{
			InstanceType:     aws.String(cd.e.name),
			WeightedCapacity: aws.Int32(cd.weight),
		}
		if o.TargetSpotCapacity > 0 {
			tc.BidPriceAsPercentageOfOnDemandPrice = aws.Float64(bidPriceAsPercentageOfOnDemandPrice)
		}
		if prioritized {
			tc.Priority = aws.Float64(float64(i))
		}
		cfg.InstanceTypeConfigs = append(cfg.InstanceTypeConfigs, tc)
	}
	return cfg, nil
}

func fleetName(t emrtypes.InstanceFleetType) string {
	switch t {
	case emrtypes.InstanceFleetTypeMaster:
		return "Primary"
	case emrtypes.InstanceFleetTypeCore:
		return "Core"
	}
	return "Task"
}

// sameArchitecture returns an error naming one type per architecture when the candidates share
// no architecture. Types whose architectures the catalog does not know are left out of the check.
func sameArchitecture(entries []*entry) error {
	common, first := ^uint32(0), map[uint32]string{}
	for _, e := range entries {
		if e.arch == 0 {
			continue
		}
		common &= e.arch
		if _, ok := first[e.arch]; !ok {
			first[e.arch] = e.name
		}
	}
	if common != 0 {
		return nil
	}
	var parts []string
	for arch, name := range first {
		parts = append(parts, fmt.Sprintf("%s (%s)", name, namesOf(architectures, arch)))
	}
	slices.Sort(parts)
	return fmt.Errorf("instances: the fleet candidates mix CPU architectures, e.g. %s; select one with Requirements.Architectures or set Options.AllowMixedArchitectures", strings.Join(parts, " and "))
}
