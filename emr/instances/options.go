package instances

import (
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
)

// Options configures every call of the package that takes functional options: [LoadCatalog],
// [NewRemoteSelector] and its calls, [Catalog.Select] and [Catalog.Explain],
// [Catalog.EMRFleet] and [Catalog.KarpenterNodePool]. Each says which fields it reads; a field a
// call has no use for is ignored by it. The zero value is usable, except that EMRFleet needs a
// target capacity.
type Options struct {
	// CacheFile, when set, makes LoadCatalog cache the catalog in this file, in the compact
	// form of Catalog.WriteCompact: a fresh file is read instead of calling EC2, and a stale,
	// damaged or missing one is rewritten after a fetch. Use one file per region and Filters
	// value; the file does not record either.
	CacheFile string
	// CacheTTL is how long CacheFile stays fresh, by the file's modification time. Zero means
	// 24 hours.
	CacheTTL time.Duration
	// Filters are passed to LoadCatalog's DescribeInstanceTypes calls (e.g.
	// processor-info.supported-architecture). Nil means every type offered in the region.
	Filters []types.Filter
	// Logger receives one debug record per EC2 page (LoadCatalog, RemoteSelector) and per
	// cache decision (LoadCatalog). Nil means silent.
	Logger *slog.Logger
	// ClientOptions are passed to every EC2 call (LoadCatalog, RemoteSelector).
	ClientOptions []func(*ec2.Options)

	// IncludeUnknown makes Select, Explain and the local side of CrossCheck keep a type when
	// the only doubts are requirements on attributes the catalog does not carry (absent fields
	// are unknown, never false). False, the default, drops a type unless every requirement is
	// proven met: a fleet built from the result never gets a type that may break a requirement,
	// at the cost of missing some types AWS would return (cross-check with
	// [RemoteSelector.CrossCheck]).
	IncludeUnknown bool
	// Prices supplies On-Demand and Spot prices. Select, Explain and CrossCheck evaluate the
	// price-protection thresholds with them: the zero Prices means none, and asking for price
	// protection is then an error wrapping ErrPricesRequired. EMRFleet, when they are set,
	// ranks cheaper types per capacity unit first (Spot prices when the fleet has Spot
	// capacity, else On-Demand).
	Prices Prices
	// PriceUnit makes price protection compare prices per instance (default), per vCPU or per
	// MiB, as a fleet with TargetCapacityUnitType units, vcpu or memory-mib does.
	PriceUnit PriceUnit

	// TargetOnDemandCapacity and TargetSpotCapacity are EMRFleet's target capacities, in
	// weight units; at least one must be positive. A MASTER fleet sets exactly one of them
	// to 1.
	TargetOnDemandCapacity, TargetSpotCapacity int32
	// WeightBy sets EMRFleet's WeightedCapacity. Zero means WeightByVCPU; MASTER fleets always
	// use 1.
	WeightBy WeightBy
	// MaxInstanceTypes makes EMRFleet keep the best candidates, at most 30 (EMR's limit with
	// an allocation strategy). Zero means 30.
	MaxInstanceTypes int
	// SpotAllocationStrategy is EMRFleet's Spot allocation strategy. Zero means
	// price-capacity-optimized. A prioritized strategy gives each type config its rank as
	// Priority.
	SpotAllocationStrategy emrtypes.SpotProvisioningAllocationStrategy
	// OnDemandAllocationStrategy is EMRFleet's On-Demand allocation strategy. Zero means
	// lowest-price. A prioritized strategy gives each type config its rank as Priority.
	OnDemandAllocationStrategy emrtypes.OnDemandProvisioningAllocationStrategy
	// AllowMixedArchitectures permits x86_64 and arm64 candidates in one EMRFleet. By default
	// EMRFleet refuses them: bootstrap actions, native libraries and Python wheels are built
	// for one architecture, and a fleet that may launch either gives a job whichever capacity
	// arrives first. Select with Requirements.Architectures, or set this when the application
	// is architecture-neutral.
	AllowMixedArchitectures bool

	// CapacityTypes are KarpenterNodePool's karpenter.sh/capacity-type values. Nil means
	// ["spot"] (executors on Spot; give the driver its own on-demand NodePool).
	CapacityTypes []string
	// NodeClassName names KarpenterNodePool's EC2NodeClass. Empty means "default".
	NodeClassName string
	// Zones pins KarpenterNodePool's nodes to these availability zones (Spark shuffles stay in
	// one AZ). Nil means any.
	Zones []string
	// PinInstanceTypes makes KarpenterNodePool add node.kubernetes.io/instance-type In <the
	// selection>, so Karpenter launches exactly the selected types instead of every type that
	// matches the label ranges.
	PinInstanceTypes bool
	// CPULimit is KarpenterNodePool's spec.limits.cpu, e.g. "2000". Empty means no limit.
	CPULimit string
	// Labels are added to KarpenterNodePool's nodes (spec.template.metadata.labels).
	Labels map[string]string
}

// apply returns o with optFns applied, in order.
func apply(o Options, optFns []func(*Options)) Options {
	for _, fn := range optFns {
		fn(&o)
	}
	return o
}
