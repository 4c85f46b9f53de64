// Package instances selects EC2 instance types by their attributes, with the semantics of EC2
// attribute-based instance type selection (ABS, InstanceRequirements), evaluated locally in
// microseconds and explained attribute by attribute, and turns the result into EMR instance
// fleets, EC2 Fleet / Spot Fleet / Auto Scaling overrides and Karpenter NodePools.
//
//	cat, err := instances.LoadCatalog(ctx, ec2.NewFromConfig(cfg), func(o *instances.Options) {
//		o.CacheFile = "us-east-1.dbic" // refreshed after a day
//	})
//	req := instances.Requirements{
//		VCpuCount:           instances.Between(4, 16),
//		MemoryMiB:           instances.AtLeast(0),
//		MemoryGiBPerVCpu:    instances.FloatBetween(2, 8),
//		InstanceGenerations: []types.InstanceGeneration{types.InstanceGenerationCurrent},
//		Architectures:       []types.ArchitectureType{types.ArchitectureTypeX8664}, // one fleet, one AMI architecture
//	} // burstable and bare metal are excluded by default, as in EC2
//	names, err := cat.Select(req)
//	why, err := cat.Explain(req, "t3.xlarge") // "fail BurstablePerformance: want excluded, have burstable true"
//	fleet, err := cat.EMRFleet(emrtypes.InstanceFleetTypeTask, names, func(o *instances.Options) { o.TargetSpotCapacity = 64 })
//
// # Catalog
//
// A [Catalog] holds a region's DescribeInstanceTypes entries, loaded once with [LoadCatalog]
// (paginated, optionally cached to a file), from the JSON `aws ec2 describe-instance-types`
// prints or from the compact form [Catalog.WriteCompact] writes ([LoadCatalogFile]), or built
// from entries in memory ([NewCatalog]). Loading precomputes every attribute selection reads,
// so [Catalog.Select] is a single pass over a slice: no JSON, maps or goroutines per query.
//
// # Semantics
//
// Attributes are ANDed; several values of one attribute are ORed; ranges are inclusive; unset
// fields take EC2's defaults (burstable and bare metal excluded, instance store included, both
// generations). AllowedInstanceTypes and ExcludedInstanceTypes take `*` wildcards where `*`
// matches any run of characters, dots included ("c5*" is the whole C5 family with C5a and C5n;
// "m5a.*" is M5a but not M5n). NetworkBandwidthGbps.Min is compared with the baseline bandwidth
// and Max with the burst bandwidth. Architectures and VirtualizationTypes are the top-level lists
// of GetInstanceTypesFromInstanceRequirements.
//
// Choices where the documentation leaves room, stated so they can be checked against AWS with
// [RemoteSelector.CrossCheck]:
//   - LocalStorageTypes constrains only types that have instance store; LocalStorage decides
//     about EBS-only types, whose TotalLocalStorageGB is 0.
//   - AcceleratorCount counts GPUs, FPGAs, Neuron devices (Inferentia and Trainium, accelerator
//     type "inference", manufacturer amazon-web-services), Elastic Inference and media
//     accelerators. A missing GpuInfo/FpgaInfo/NeuronInfo section means none, as
//     DescribeInstanceTypes omits it then.
//   - Nitro and bare metal types run HVM only; other types' virtualization is unknown unless the
//     catalog lists SupportedVirtualizationTypes.
//   - BaselinePerformanceFamilies: EC2 compares CPU performance with data the catalog lacks; only
//     the reference family itself is known to meet its floor, every other type is unknown.
//
// # Unknown attributes
//
// An attribute absent from the catalog is unknown, never false. Explain reports such a
// requirement as [Unknown] with "unknown in catalog". [Options].IncludeUnknown decides:
// by default only types proven to meet every requirement are kept (safe for fleets; a
// cross-check shows what AWS adds); with IncludeUnknown, also types whose only doubts are
// unknowns. Typical unknowns: HibernationSupported (absent from public catalogs), the baseline
// bandwidth of "Up to N Gigabit" types when NetworkCards lacks BaselineBandwidthInGbps (a Min at
// or above N still excludes them, since the baseline is below the burst), "High"/"Moderate"
// network performance, FPGA manufacturers and names, Neuron memory.
//
// # Price protection
//
// The three thresholds (OnDemandMaxPricePercentageOverLowestPrice,
// SpotMaxPricePercentageOverLowestPrice, MaxSpotPriceAsPercentageOfOptimalOnDemandPrice) are
// applied only when set, relative to the lowest priced matching current generation C, M or R
// type (else current generation, else previous), per instance, vCPU or MiB ([PriceUnit]). They
// need [Prices] (filled from the Pricing API and DescribeSpotPriceHistory); without them Select
// returns an error wrapping [ErrPricesRequired]. GetInstanceTypesFromInstanceRequirements
// does not support price protection, so [RemoteSelector] leaves the thresholds out.
//
// # Outputs
//
// [Catalog.EMRFleet] builds an EMR InstanceFleetConfig (EMR fleets take no InstanceRequirements):
// weighted capacity by vCPU or memory, best candidates first, at most 30 types.
// [Requirements.InstanceRequirementsRequest] (EC2 Fleet, launch templates, Auto Scaling) and
// [Requirements.InstanceRequirements] (Spot Fleet) carry the requirements to EC2 in the SDK's
// shapes; [APIJSON] renders either, or a fleet, as the JSON the AWS CLI takes.
// [Catalog.KarpenterNodePool] writes a Karpenter v1 NodePool for EMR on EKS, as JSON (which
// kubectl applies) or YAML from a small deterministic emitter for that fixed shape.
//
// # Clients
//
// [CatalogAPIClient] (DescribeInstanceTypes) and [RemoteSelectorAPIClient]
// (GetInstanceTypesFromInstanceRequirements) are satisfied by *ec2.Client. IAM:
// ec2:DescribeInstanceTypes and ec2:GetInstanceTypesFromInstanceRequirements.
//
// # Options and defaults
//
// One Options type configures every call that takes functional options; each field states
// the calls that read it, its default and what zero means. [LoadCatalog] reads pages of 100
// and keeps a cache file fresh for 24 hours. [Catalog.EMRFleet] keeps at most 30 types, weights
// by vCPU and uses price-capacity-optimized Spot and lowest-price On-Demand allocation; its
// fleets wait 60 minutes for Spot capacity, then switch to On-Demand.
//
// # Errors
//
// Invalid requirements give joined [*ValidationError] values naming the field and rule; nothing
// is sent to AWS. SDK errors are wrapped with %w (errors.As to smithy.APIError works).
// [ErrNotInCatalog] and [ErrPricesRequired] are sentinels.
//
// # Testing
//
// Package instancestest provides an in-memory EC2 fake (DescribeInstanceTypes with small pages,
// GetInstanceTypesFromInstanceRequirements answered by the fake's own reading of ABS, fault
// injection and a call log through the shared fakecontrol surface) and a 23-type real catalog
// sample. A conformance suite keeps the fake honest against EC2.
package instances
