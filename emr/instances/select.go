package instances

import (
	"errors"
	"fmt"
	"math"
	bits64 "math/bits"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ErrNotInCatalog is returned (wrapped) by [Catalog.Explain] for a name the catalog lacks.
var ErrNotInCatalog = errors.New("instances: instance type not in catalog")

// Verdict is the outcome of one requirement for one instance type.
type Verdict int

// Verdicts.
const (
	Pass    Verdict = iota // the type meets the requirement
	Fail                   // the type breaks the requirement
	Unknown                // the catalog lacks the attribute the requirement reads
)

// String returns "pass", "fail" or "unknown".
func (v Verdict) String() string {
	switch v {
	case Pass:
		return "pass"
	case Fail:
		return "fail"
	}
	return "unknown"
}

// Check is one requirement evaluated against one instance type.
type Check struct {
	// Attribute is the Requirements field, e.g. "VCpuCount" or "BurstablePerformance".
	Attribute string
	// Want is the requirement, e.g. "[4, 16]" or "excluded".
	Want string
	// Have is the type's value, e.g. "2" or "unknown in catalog".
	Have string
	// Verdict is the outcome.
	Verdict Verdict
}

// Explanation is why an instance type is or is not selected, attribute by attribute.
type Explanation struct {
	// InstanceType is the explained type.
	InstanceType string
	// Selected reports whether Select returns the type with the same requirements and options.
	Selected bool
	// Checks lists every active requirement in evaluation order.
	Checks []Check
}

// Failed returns the checks that did not pass (Fail and Unknown).
func (e Explanation) Failed() []Check {
	var out []Check
	for _, c := range e.Checks {
		if c.Verdict != Pass {
			out = append(out, c)
		}
	}
	return out
}

// String renders the explanation, one check per line.
func (e Explanation) String() string {
	var b strings.Builder
	if e.Selected {
		fmt.Fprintf(&b, "%s: selected\n", e.InstanceType)
	} else {
		fmt.Fprintf(&b, "%s: not selected\n", e.InstanceType)
	}
	for _, c := range e.Checks {
		fmt.Fprintf(&b, "  %-7s %s: want %s, have %s\n", c.Verdict, c.Attribute, c.Want, c.Have)
	}
	return b.String()
}

// attr identifies one requirement in the evaluation loop.
type attr uint8

const (
	aVCPU attr = iota
	aMemory
	aBurstable
	aBareMetal
	aGenerations
	aMemPerVCPU
	aCPUMaker
	aArch
	aVirt
	aLocalStorage
	aLocalStorageTypes
	aLocalGB
	aEBS
	aNetwork
	aENIs
	aAccTypes
	aAccCount
	aAccMakers
	aAccNames
	aAccMem
	aHibernate
	aEncryptInTransit
	aBaseline
	aAllowed
	aExcluded
	// price protection, evaluated after the others
	aOnDemandPrice
	aSpotPrice
	aSpotOfOnDemand
)

var attrNames = [...]string{
	aVCPU: "VCpuCount", aMemory: "MemoryMiB", aBurstable: "BurstablePerformance", aBareMetal: "BareMetal",
	aGenerations: "InstanceGenerations", aMemPerVCPU: "MemoryGiBPerVCpu", aCPUMaker: "CpuManufacturers",
	aArch: "Architectures", aVirt: "VirtualizationTypes", aLocalStorage: "LocalStorage",
	aLocalStorageTypes: "LocalStorageTypes", aLocalGB: "TotalLocalStorageGB", aEBS: "BaselineEbsBandwidthMbps",
	aNetwork: "NetworkBandwidthGbps", aENIs: "NetworkInterfaceCount", aAccTypes: "AcceleratorTypes",
	aAccCount: "AcceleratorCount", aAccMakers: "AcceleratorManufacturers", aAccNames: "AcceleratorNames",
	aAccMem: "AcceleratorTotalMemoryMiB", aHibernate: "RequireHibernateSupport",
	aEncryptInTransit: "RequireEncryptionInTransit", aBaseline: "BaselinePerformanceFamilies",
	aAllowed: "AllowedInstanceTypes", aExcluded: "ExcludedInstanceTypes",
	aOnDemandPrice: "OnDemandMaxPricePercentageOverLowestPrice", aSpotPrice: "SpotMaxPricePercentageOverLowestPrice",
	aSpotOfOnDemand: "MaxSpotPriceAsPercentageOfOptimalOnDemandPrice",
}

// frange is a range compiled to float64 bounds.
type frange struct {
	min, max       float64
	hasMin, hasMax bool
}

func intRange(r Range[int32]) frange {
	var f frange
	if r.Min != nil {
		f.min, f.hasMin = float64(*r.Min), true
	}
	if r.Max != nil {
		f.max, f.hasMax = float64(*r.Max), true
	}
	return f
}

func floatRange(r Range[float64]) frange {
	var f frange
	if r.Min != nil {
		f.min, f.hasMin = *r.Min, true
	}
	if r.Max != nil {
		f.max, f.hasMax = *r.Max, true
	}
	return f
}

func (f frange) test(n num) Verdict {
	if !n.ok {
		return Unknown
	}
	if (f.hasMin && n.v < f.min) || (f.hasMax && n.v > f.max) {
		return Fail
	}
	return Pass
}

// query is a Requirements value compiled for evaluation: ranges as floats, enum lists as bit
// sets, wildcard patterns split once.
type query struct {
	req   Requirements
	opts  Options
	attrs []attr // non-price requirements, cheapest and most selective first
	price []attr // price-protection requirements
	buf   [32]attr

	vcpu, mem, memPerVCPU, localGB, ebs, net, enis, accCount, accMem frange

	burst, metal, local                                              Inclusion
	gens, cpuMakers, archs, virts, disks, accTypes, accMakers, accNm uint32
	allowed, excluded                                                patternSet
}

func compile(req Requirements, opts Options) (*query, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	q := &query{req: req, opts: opts}
	q.attrs = q.buf[: 0 : len(q.buf)-3]
	q.price = q.buf[len(q.buf)-3 : len(q.buf)-3]
	q.vcpu, q.mem, q.memPerVCPU = intRange(req.VCpuCount), intRange(req.MemoryMiB), floatRange(req.MemoryGiBPerVCpu)
	q.localGB, q.ebs, q.net = floatRange(req.TotalLocalStorageGB), intRange(req.BaselineEbsBandwidthMbps), floatRange(req.NetworkBandwidthGbps)
	q.enis, q.accCount, q.accMem = intRange(req.NetworkInterfaceCount), intRange(req.AcceleratorCount), intRange(req.AcceleratorTotalMemoryMiB)
	q.burst = req.BurstablePerformance.or(defaultBurstablePerformance)
	q.metal = req.BareMetal.or(defaultBareMetal)
	q.local = req.LocalStorage.or(defaultLocalStorage)
	q.gens, q.cpuMakers = bitsOf(instanceGeneration, req.InstanceGenerations), bitsOf(cpuManufacturers, req.CpuManufacturers)
	q.archs, q.virts = bitsOf(architectures, req.Architectures), bitsOf(virtualizations, req.VirtualizationTypes)
	q.disks, q.accTypes = bitsOf(localStorageTypes, req.LocalStorageTypes), bitsOf(acceleratorTypes, req.AcceleratorTypes)
	q.accMakers, q.accNm = bitsOf(acceleratorMakers, req.AcceleratorManufacturers), bitsOf(acceleratorNames, req.AcceleratorNames)
	q.allowed, q.excluded = compilePatterns(req.AllowedInstanceTypes), compilePatterns(req.ExcludedInstanceTypes)
	// The active requirements in evaluation order: a list that names every value (both
	// generations, HDD and SSD, both virtualization types) is no requirement.
	for _, c := range [...]struct {
		a  attr
		on bool
	}{
		{aVCPU, true}, {aMemory, true},
		{aBurstable, q.burst != Included}, {aBareMetal, q.metal != Included},
		{aGenerations, q.gens != 0 && q.gens != 3},
		{aMemPerVCPU, !req.MemoryGiBPerVCpu.isZero()},
		{aCPUMaker, q.cpuMakers != 0}, {aArch, q.archs != 0}, {aVirt, q.virts != 0 && q.virts != 3},
		{aLocalStorage, q.local != Included}, {aLocalStorageTypes, q.disks != 0 && q.disks != 3},
		{aLocalGB, !req.TotalLocalStorageGB.isZero()}, {aEBS, !req.BaselineEbsBandwidthMbps.isZero()},
		{aNetwork, !req.NetworkBandwidthGbps.isZero()}, {aENIs, !req.NetworkInterfaceCount.isZero()},
		{aAccTypes, q.accTypes != 0}, {aAccCount, !req.AcceleratorCount.isZero()},
		{aAccMakers, q.accMakers != 0}, {aAccNames, q.accNm != 0},
		{aAccMem, !req.AcceleratorTotalMemoryMiB.isZero()},
		{aHibernate, req.RequireHibernateSupport}, {aEncryptInTransit, req.RequireEncryptionInTransit},
		{aBaseline, len(req.BaselinePerformanceFamilies) > 0},
		{aAllowed, q.allowed != nil}, {aExcluded, q.excluded != nil},
	} {
		if c.on {
			q.attrs = append(q.attrs, c.a)
		}
	}
	if req.OnDemandMaxPricePercentageOverLowestPrice != nil {
		q.price = append(q.price, aOnDemandPrice)
	}
	if req.SpotMaxPricePercentageOverLowestPrice != nil {
		q.price = append(q.price, aSpotPrice)
	}
	if req.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice != nil {
		q.price = append(q.price, aSpotOfOnDemand)
	}
	if len(q.price) > 0 && opts.Prices.empty() {
		names := make([]string, len(q.price))
		for i, a := range q.price {
			names[i] = "Requirements." + attrNames[a]
		}
		return nil, fmt.Errorf("%w: %s needs On-Demand/Spot prices to be evaluated locally; set Options.Prices "+
			"(GetInstanceTypesFromInstanceRequirements ignores price protection too)", ErrPricesRequired, strings.Join(names, ", "))
	}
	return q, nil
}

// inclusion evaluates a tri-state requirement: Required needs the attribute, Excluded its
// absence, Included takes both.
func inclusion(want Inclusion, have tri) Verdict {
	switch want {
	case Required:
		return requireTrue(have)
	case Excluded:
		return requireTrue(have.not())
	}
	return Pass
}

func bitsVerdict(want, have uint32, complete bool) Verdict {
	switch {
	case want&have != 0:
		return Pass
	case !complete:
		return Unknown
	}
	return Fail
}

func requireTrue(have tri) Verdict {
	switch have {
	case yes:
		return Pass
	case no:
		return Fail
	}
	return Unknown
}

// test evaluates one non-price requirement.
func (q *query) test(a attr, e *entry) Verdict {
	switch a {
	case aVCPU:
		return q.vcpu.test(e.vcpus)
	case aMemory:
		return q.mem.test(e.memMiB)
	case aBurstable:
		return inclusion(q.burst, e.burstable)
	case aBareMetal:
		return inclusion(q.metal, e.bareMetal)
	case aGenerations:
		switch e.current {
		case yes:
			return bitsVerdict(q.gens, bitOf(instanceGeneration, types.InstanceGenerationCurrent), true)
		case no:
			return bitsVerdict(q.gens, bitOf(instanceGeneration, types.InstanceGenerationPrevious), true)
		}
		return Unknown
	case aMemPerVCPU:
		return q.memPerVCPU.test(e.memPerVCPU)
	case aCPUMaker:
		return bitsVerdict(q.cpuMakers, e.cpuMaker, e.cpuMaker != 0)
	case aArch:
		return bitsVerdict(q.archs, e.arch, e.arch != 0)
	case aVirt:
		switch {
		case q.virts&e.virtYes != 0:
			return Pass
		case q.virts&^e.virtNo == 0:
			return Fail
		}
		return Unknown
	case aLocalStorage:
		return inclusion(q.local, e.localStorage)
	case aLocalStorageTypes:
		switch e.localStorage {
		case no:
			return Pass
		case yes:
			return bitsVerdict(q.disks, e.diskTypes, e.diskTypes != 0)
		}
		return Unknown
	case aLocalGB:
		return q.localGB.test(e.localGB)
	case aEBS:
		return q.ebs.test(e.ebsMbps)
	case aNetwork:
		return q.network(e)
	case aENIs:
		return q.enis.test(e.enis)
	case aAccTypes:
		return bitsVerdict(q.accTypes, e.accTypes, true)
	case aAccCount:
		return q.accCount.test(e.accCount)
	case aAccMakers:
		return bitsVerdict(q.accMakers, e.accMakers, e.accMakersComplete)
	case aAccNames:
		return bitsVerdict(q.accNm, e.accNames, e.accNamesComplete)
	case aAccMem:
		return q.accMem.test(e.accMemMiB)
	case aHibernate:
		return requireTrue(e.hibernate)
	case aEncryptInTransit:
		return requireTrue(e.encryptInTransit)
	case aBaseline:
		// EC2 rates CPU performance against the reference family with data the catalog does not
		// carry; only the reference family itself is known to meet its own floor.
		if slices.Contains(q.req.BaselinePerformanceFamilies, e.family) {
			return Pass
		}
		return Unknown
	case aAllowed:
		if q.allowed.matchIndex(e.name) >= 0 {
			return Pass
		}
		return Fail
	case aExcluded:
		if q.excluded.matchIndex(e.name) >= 0 {
			return Fail
		}
		return Pass
	}
	return Unknown
}

// network compares Min with the baseline bandwidth and Max with the burst bandwidth.
func (q *query) network(e *entry) Verdict {
	v := Pass
	if q.net.hasMin && q.net.min > 0 { // every type meets a minimum of 0
		switch {
		case e.netBaseline.ok:
			if e.netBaseline.v < q.net.min {
				return Fail
			}
		case e.netBaselineBelow > 0 && q.net.min >= e.netBaselineBelow:
			return Fail
		default:
			v = Unknown
		}
	}
	if q.net.hasMax {
		switch {
		case !e.netPeak.ok:
			v = Unknown
		case e.netPeak.v > q.net.max:
			return Fail
		}
	}
	return v
}

func (q *query) keep(v Verdict) bool {
	return v == Pass || (v == Unknown && q.opts.IncludeUnknown)
}

// matches runs the non-price requirements, stopping at the first that excludes the type.
func (q *query) matches(e *entry) bool {
	for _, a := range q.attrs {
		if !q.keep(q.test(a, e)) {
			return false
		}
	}
	return true
}

// Select returns the names of the catalog's instance types that meet req, in the catalog's order
// (family, vCPUs, memory, name), with the semantics of GetInstanceTypesFromInstanceRequirements
// for every attribute the catalog carries. See the package documentation for unknown attributes
// and price protection.
func (c *Catalog) Select(req Requirements, optFns ...func(*Options)) ([]string, error) {
	o := apply(Options{}, optFns)
	q, err := compile(req, o)
	if err != nil {
		return nil, err
	}
	if len(q.price) == 0 {
		// Pass 1 marks matches in a bit set, pass 2 fills an exactly sized result: two
		// allocations per query whatever the result size.
		marks := make([]uint64, (len(c.entries)+63)/64)
		n := 0
		for i := range c.entries {
			if q.matches(&c.entries[i]) {
				marks[i/64] |= 1 << (i % 64)
				n++
			}
		}
		out := make([]string, 0, n)
		for w, bits := range marks {
			for bits != 0 {
				i := w*64 + bits64.TrailingZeros64(bits)
				bits &= bits - 1
				out = append(out, c.entries[i].name)
			}
		}
		return out, nil
	}
	var out []string
	cands := c.candidates(q)
	pp := q.priceProtection(cands)
	for _, e := range cands {
		if pp.keep(q, e) {
			out = append(out, e.name)
		}
	}
	return out, nil
}

func (c *Catalog) candidates(q *query) []*entry {
	var cands []*entry
	for i := range c.entries {
		if q.matches(&c.entries[i]) {
			cands = append(cands, &c.entries[i])
		}
	}
	return cands
}

// Explain evaluates every requirement of req against one instance type and says which pass,
// which fail and which the catalog cannot answer.
func (c *Catalog) Explain(req Requirements, instanceType string, optFns ...func(*Options)) (Explanation, error) {
	o := apply(Options{}, optFns)
	q, err := compile(req, o)
	if err != nil {
		return Explanation{}, err
	}
	e := c.entry(instanceType)
	if e == nil {
		return Explanation{}, fmt.Errorf("%w: %q", ErrNotInCatalog, instanceType)
	}
	ex := Explanation{InstanceType: e.name, Selected: true}
	for _, a := range q.attrs {
		v := q.test(a, e)
		want, have := q.describe(a, e)
		ex.Checks = append(ex.Checks, Check{Attribute: attrNames[a], Want: want, Have: have, Verdict: v})
		ex.Selected = ex.Selected && q.keep(v)
	}
	if len(q.price) > 0 {
		// Price protection is identified among the types that pass everything else.
		pp := q.priceProtection(c.candidates(q))
		for _, ch := range pp.checks(q, e) {
			ex.Checks = append(ex.Checks, ch)
			ex.Selected = ex.Selected && q.keep(ch.Verdict)
		}
	}
	return ex, nil
}

// describe renders the requirement and the type's value for Explain.
func (q *query) describe(a attr, e *entry) (want, have string) {
	r := q.req
	switch a {
	case aVCPU:
		return r.VCpuCount.string(), e.vcpus.String()
	case aMemory:
		return r.MemoryMiB.string() + " MiB", e.memMiB.String() + " MiB"
	case aBurstable:
		return string(q.burst), "burstable " + e.burstable.String()
	case aBareMetal:
		return string(q.metal), "bare metal " + e.bareMetal.String()
	case aGenerations:
		g := "previous"
		switch e.current {
		case yes:
			g = "current"
		case unknown:
			g = e.current.String()
		}
		return namesOf(instanceGeneration, q.gens), g
	case aMemPerVCPU:
		return r.MemoryGiBPerVCpu.string() + " GiB", fmtNum(e.memPerVCPU, 3) + " GiB"
	case aCPUMaker:
		if e.cpuMaker == 0 {
			return namesOf(cpuManufacturers, q.cpuMakers), "unknown in catalog (" + e.cpuMakerName + ")"
		}
		return namesOf(cpuManufacturers, q.cpuMakers), namesOf(cpuManufacturers, e.cpuMaker)
	case aArch:
		return namesOf(architectures, q.archs), describeBits(architectures, e.arch, e.arch != 0)
	case aVirt:
		have := "unknown in catalog"
		if e.virtYes != 0 {
			have = namesOf(virtualizations, e.virtYes)
		}
		return namesOf(virtualizations, q.virts), have
	case aLocalStorage:
		return string(q.local), "instance store " + e.localStorage.String()
	case aLocalStorageTypes:
		switch e.localStorage {
		case no:
			return namesOf(localStorageTypes, q.disks), "no instance store"
		case unknown:
			return namesOf(localStorageTypes, q.disks), "instance store unknown in catalog"
		}
		return namesOf(localStorageTypes, q.disks), describeBits(localStorageTypes, e.diskTypes, e.diskTypes != 0)
	case aLocalGB:
		return r.TotalLocalStorageGB.string() + " GB", describeGB(e.localGB)
	case aEBS:
		return r.BaselineEbsBandwidthMbps.string() + " Mbps", e.ebsMbps.String() + " Mbps"
	case aNetwork:
		want = fmt.Sprintf("%s Gbps (min vs baseline, max vs burst)", r.NetworkBandwidthGbps.string())
		base := e.netBaseline.String()
		if !e.netBaseline.ok && e.netBaselineBelow > 0 {
			base = fmt.Sprintf("unknown in catalog (below %v)", e.netBaselineBelow)
		}
		have = fmt.Sprintf("baseline %s, burst %s", base, e.netPeak)
		if e.netDesc != "" {
			have += fmt.Sprintf(" (NetworkPerformance %q)", e.netDesc)
		}
		return want, have
	case aENIs:
		return r.NetworkInterfaceCount.string(), e.enis.String()
	case aAccTypes:
		return namesOf(acceleratorTypes, q.accTypes), namesOf(acceleratorTypes, e.accTypes)
	case aAccCount:
		return r.AcceleratorCount.string(), e.accCount.String()
	case aAccMakers:
		return namesOf(acceleratorMakers, q.accMakers), describeBits(acceleratorMakers, e.accMakers, e.accMakersComplete)
	case aAccNames:
		return namesOf(acceleratorNames, q.accNm), describeBits(acceleratorNames, e.accNames, e.accNamesComplete)
	case aAccMem:
		return r.AcceleratorTotalMemoryMiB.string() + " MiB", e.accMemMiB.String() + " MiB"
	case aHibernate:
		return "true", "hibernation " + e.hibernate.String()
	case aEncryptInTransit:
		return "true", "encryption in transit " + e.encryptInTransit.String()
	case aBaseline:
		return "CPU at least " + strings.Join(r.BaselinePerformanceFamilies, " or "),
			"family " + e.family + " (relative CPU performance unknown in catalog unless it is the reference family)"
	case aAllowed:
		if i := q.allowed.matchIndex(e.name); i >= 0 {
			return strings.Join(r.AllowedInstanceTypes, ","), "matches " + r.AllowedInstanceTypes[i]
		}
		return strings.Join(r.AllowedInstanceTypes, ","), "matches none"
	case aExcluded:
		if i := q.excluded.matchIndex(e.name); i >= 0 {
			return "none of " + strings.Join(r.ExcludedInstanceTypes, ","), "matches " + r.ExcludedInstanceTypes[i]
		}
		return "none of " + strings.Join(r.ExcludedInstanceTypes, ","), "matches none"
	}
	return "", ""
}

func fmtNum(n num, prec int) string {
	if !n.ok {
		return n.String()
	}
	return fmt.Sprint(math.Round(n.v*math.Pow10(prec)) / math.Pow10(prec))
}
