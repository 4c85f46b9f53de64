// Package instancestest is an in-memory EC2 for testing code that uses package instances
// (github.com/datablocks-go/datablocks/emr/instances), plus a small real catalog sample and the
// conformance suite that keeps the fake honest.
//
// # Fake
//
// [New] returns a [Fake] implementing instances.CatalogAPIClient and
// instances.RemoteSelectorAPIClient with the exact SDK signatures:
//
//	f := instancestest.New()                               // seeded with SampleInstanceTypes()
//	cat, err := instances.LoadCatalog(ctx, f)              // pages of 3 (DefaultPageSize)
//	f.SetRequirementsAnswer("m5.large", "m6i.large")       // scripted AWS answer
//	cmp, err := instances.NewRemoteSelector(f).CrossCheck(ctx, cat, req)
//
// DescribeInstanceTypes serves the seeded catalog sorted by name, with real NextToken
// pagination, the InstanceTypes parameter, and the instance-type (wildcards),
// current-generation and processor-info.supported-architecture filters.
//
// GetInstanceTypesFromInstanceRequirements is scripted on purpose: it validates the request the
// way EC2 does and pages through the list given to [Fake.SetRequirementsAnswer]. It never
// evaluates the requirements, since a fake that answered with the local selector would make every
// local-versus-remote cross-check agree by construction.
//
// # Faults and observation
//
// The Fake embeds *fakecontrol.Controls, the control surface every datablocks fake shares:
// Control intercepts the next call of an operation (FIFO, one-shot; KeepControl for every later
// call; handled=false falls through), FailNext and ThrottleNext inject errors (throttling is
// RequestLimitExceeded, EC2's code), and Calls and Count read the call log. Errors are
// *smithy.GenericAPIError values with EC2's codes, as the real ec2 client returns them (EC2 has
// no modeled error types). Control functions run without the Fake's lock and may call it.
//
// # Not modeled
//
// Filters other than the three above (they fail with InvalidParameterValue), regions and
// IncludeUnsupportedInRegion, DryRun, time (the fake has no time-dependent state), and the
// evaluation of InstanceRequirements.
//
// # Conformance
//
// [RunConformanceTests] checks pagination, lookups by name, error codes and request validation
// at the SDK interface. fake_test.go runs it on the Fake; the integration test in package
// instances runs it against real EC2.
package instancestest
