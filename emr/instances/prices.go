package instances

import (
	"errors"
	"fmt"
)

// ErrPricesRequired is wrapped by the error Select and Explain return when Requirements set a
// price-protection threshold but Options.Prices holds no prices.
var ErrPricesRequired = errors.New("instances: price protection needs prices")

// Prices are hourly prices for one region by instance type name, e.g. filled from the Pricing
// API (On-Demand) and DescribeSpotPriceHistory (Spot). A type missing from a map has no known
// price of that kind. The zero Prices holds none. Selection only reads the maps: do not change
// them while a Select, Explain or EMRFleet call that was given them runs.
type Prices struct {
	OnDemand map[string]float64 // On-Demand USD per hour by instance type name
	Spot     map[string]float64 // Spot USD per hour by instance type name
}

// empty reports whether p holds no prices at all.
func (p Prices) empty() bool { return len(p.OnDemand) == 0 && len(p.Spot) == 0 }

// PriceUnit is what price protection compares: the price of an instance, of a vCPU or of a MiB,
// matching a fleet's TargetCapacityUnitType (units, vcpu, memory-mib).
type PriceUnit int

// Price units.
const (
	PerInstance PriceUnit = iota
	PerVCPU
	PerMemoryMiB
)

// identified is the reference price of one kind (On-Demand or Spot) for price protection.
type identified struct {
	price float64
	from  string // the instance type the price comes from
	ok    bool
}

// protection holds the identified On-Demand and Spot prices for one selection.
type protection struct {
	onDemand, spot identified
}

func (q *query) unitPrice(e *entry, p float64) (float64, bool) {
	switch q.opts.PriceUnit {
	case PerVCPU:
		if !e.vcpus.ok || e.vcpus.v == 0 {
			return 0, false
		}
		return p / e.vcpus.v, true
	case PerMemoryMiB:
		if !e.memMiB.ok || e.memMiB.v == 0 {
			return 0, false
		}
		return p / e.memMiB.v, true
	}
	return p, true
}

func (q *query) onDemand(e *entry) (float64, bool) {
	p, ok := q.opts.Prices.OnDemand[e.name]
	if !ok {
		return 0, false
	}
	return q.unitPrice(e, p)
}

func (q *query) spot(e *entry) (float64, bool) {
	p, ok := q.opts.Prices.Spot[e.name]
	if !ok {
		return 0, false
	}
	return q.unitPrice(e, p)
}

// lowest identifies the reference price as EC2 documents it: the lowest priced current generation
// C, M or R type among those matching the other attributes; failing that the lowest priced current
// generation type; failing that the lowest priced previous generation type.
func lowest(cands []*entry, price func(*entry) (float64, bool)) identified {
	groups := [...]func(*entry) bool{
		func(e *entry) bool {
			return e.current == yes && (e.category == "c" || e.category == "m" || e.category == "r")
		},
		func(e *entry) bool { return e.current == yes },
		func(e *entry) bool { return e.current != yes },
	}
	for _, in := range groups {
		var best identified
		for _, e := range cands {
			if !in(e) {
				continue
			}
			if p, ok := price(e); ok && (!best.ok || p < best.price) {
				best = identified{price: p, from: e.name, ok: true}
			}
		}
		if best.ok {
			return best
		}
	}
	return identified{}
}

func (q *query) priceProtection(cands []*entry) protection {
	var pp protection
	for _, a := range q.price {
		switch a {
		case aOnDemandPrice, aSpotOfOnDemand:
			if !pp.onDemand.ok {
				pp.onDemand = lowest(cands, q.onDemand)
			}
		case aSpotPrice:
			pp.spot = lowest(cands, q.spot)
		}
	}
	return pp
}

func threshold(ref identified, percent int32, over bool) float64 {
	if over {
		return ref.price * (1 + float64(percent)/100)
	}
	return ref.price * float64(percent) / 100
}

// verdict evaluates one price-protection requirement.
func (pp protection) verdict(q *query, a attr, e *entry) (Verdict, string, string) {
	var ref identified
	var pct int32
	var have func(*entry) (float64, bool)
	var over bool
	var kind string
	switch a {
	case aOnDemandPrice:
		ref, pct, have, over, kind = pp.onDemand, *q.req.OnDemandMaxPricePercentageOverLowestPrice, q.onDemand, true, "On-Demand"
	case aSpotPrice:
		ref, pct, have, over, kind = pp.spot, *q.req.SpotMaxPricePercentageOverLowestPrice, q.spot, true, "Spot"
	default:
		ref, pct, have, over, kind = pp.onDemand, *q.req.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice, q.spot, false, "On-Demand"
	}
	unit := [...]string{PerInstance: "/h", PerVCPU: "/vCPU/h", PerMemoryMiB: "/MiB/h"}[q.opts.PriceUnit]
	p, ok := have(e)
	haveStr := "price unknown"
	if ok {
		haveStr = fmt.Sprintf("$%.6g%s", p, unit)
	}
	if !ref.ok {
		return Unknown, fmt.Sprintf("%d%% vs lowest %s price (no matching type has a price)", pct, kind), haveStr
	}
	limit := threshold(ref, pct, over)
	rel := "of"
	if over {
		rel = "over"
	}
	want := fmt.Sprintf("≤ $%.6g%s (%d%% %s lowest %s price $%.6g of %s)", limit, unit, pct, rel, kind, ref.price, ref.from)
	switch {
	case !ok:
		return Unknown, want, haveStr
	case p > limit*(1+1e-12):
		return Fail, want, haveStr
	}
	return Pass, want, haveStr
}

func (pp protection) keep(q *query, e *entry) bool {
	for _, a := range q.price {
		if v, _, _ := pp.verdict(q, a, e); !q.keep(v) {
			return false
		}
	}
	return true
}

func (pp protection) checks(q *query, e *entry) []Check {
	out := make([]Check, 0, len(q.price))
	for _, a := range q.price {
		v, want, have := pp.verdict(q, a, e)
		out = append(out, Check{Attribute: attrNames[a], Want: want, Have: have, Verdict: v})
	}
	return out
}
