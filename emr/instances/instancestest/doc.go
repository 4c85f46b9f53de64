// Package instancestest is an in-memory EC2 for testing code that selects instance types (such
// as package github.com/datablocks-go/datablocks/emr/instances), plus a small real catalog
// sample.
//
// # Fake
//
// [New] returns a [Fake] with the SDK's signatures for DescribeInstanceTypes and
// GetInstanceTypesFromInstanceRequirements:
//
//	f := instancestest.New()                  // seeded with SampleInstanceTypes()
//	cat, err := instances.LoadCatalog(ctx, f) // pages of 100 (Options.PageSize)
//	cmp, err := instances.NewRemoteSelector(f).CrossCheck(ctx, cat, req)
//
// DescribeInstanceTypes serves the seeded catalog sorted by name, with NextToken pagination,
// the InstanceTypes parameter (unknown names: InvalidInstanceType), MaxResults 5-100
// (InvalidParameterValue) and the instance-type (wildcards), current-generation and
// processor-info.supported-architecture filters (EC2 API reference, DescribeInstanceTypes).
//
// GetInstanceTypesFromInstanceRequirements validates the request as the EC2 API reference
// (GetInstanceTypesFromInstanceRequirements, InstanceRequirementsRequest) says, with EC2's
// codes: ArchitectureType.N (at most 3), VirtualizationType.N (at most 2), InstanceRequirements,
// VCpuCount.Min and MemoryMiB.Min required (MissingParameter); enum values, non-negative
// bounds with Min <= Max, tri-states, and AllowedInstanceTypes / ExcludedInstanceTypes of at
// most 400 entries of 1-30 characters of [a-zA-Z0-9.*-] (InvalidParameterValue); allowed and
// excluded types together, or both Spot price protections (InvalidParameterCombination). It
// then answers by evaluating the requirements over the seeded types with the fake's own
// reading of attribute-based instance type selection (EC2 User Guide): attributes ANDed,
// values of one attribute ORed, inclusive ranges; burstable and bare metal excluded and
// instance store included unless set; * in instance type patterns spans any characters, dots
// included; NetworkBandwidthGbps.Min compared with the baseline and Max with the peak (from
// the network cards, else from NetworkPerformance, where "Up to N Gigabit" is a peak only);
// Neuron devices count as AWS inference accelerators. The fake shares no code with package
// instances, so the two are independent readings of the same rules.
//
// # Faults and observation
//
// The Fake embeds *fakecontrol.Controls, created with its two operations (the Op constants):
// Control intercepts the next call of an operation (FIFO, one-shot; KeepControl for every
// later call; handled=false falls through), FailNext and ThrottleNext inject errors
// (throttling is RequestLimitExceeded, EC2's code), and Calls and Count read the call log. A
// name the fake does not implement panics. Errors are *smithy.GenericAPIError values with EC2's
// codes, as the real ec2 client returns them (EC2 has no modeled error types).
//
// # On the wire
//
// [Fake.Service] describes the fake to package localaws (ec2Query, API version 2016-11-15),
// so the real *ec2.Client built from localaws's aws.Config reaches it.
//
// # Not modeled
//
// Filters other than the three above (they fail with InvalidParameterValue), regions,
// IncludeUnsupportedInRegion, DryRun and permissions; in requirements,
// BaselinePerformanceFactors (answered with UnsupportedOperation) and price protection (accepted
// and ignored, as the API reference says this operation does not support it). The fake knows
// only what its seed states: an attribute absent from a type's entry fails any constraint on
// it, where EC2 knows every attribute (the sample has no network-card bandwidths, so "Up to"
// types never meet a bandwidth minimum). Entries without SupportedVirtualizationTypes are taken
// as HVM only. Results are sorted by name; EC2's order is unspecified. The fake has no state
// that time changes.
//
// # Conformance
//
// A conformance suite (emr/instances/internal/conformance) checks pagination, lookups by name,
// error codes, request validation and requirement semantics whose expected answers it reads
// from the backend's own DescribeInstanceTypes, so it runs unchanged against the Fake
// in-process, through the real SDK client over localaws, and against real EC2 under the
// integration build tag of package instances.
package instancestest
