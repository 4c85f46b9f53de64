package instances

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Karpenter well-known labels used in NodePool requirements.
const (
	labelInstanceCPU        = "karpenter.k8s.aws/instance-cpu"
	labelInstanceMemory     = "karpenter.k8s.aws/instance-memory" // MiB
	labelInstanceCategory   = "karpenter.k8s.aws/instance-category"
	labelInstanceGeneration = "karpenter.k8s.aws/instance-generation"
	labelInstanceType       = "node.kubernetes.io/instance-type"
	labelArch               = "kubernetes.io/arch"
	labelCapacityType       = "karpenter.sh/capacity-type"
	labelZone               = "topology.kubernetes.io/zone"
)

// NodePool is a Karpenter v1 NodePool manifest (karpenter.sh/v1) as [Catalog.KarpenterNodePool]
// renders it, as JSON (which kubectl applies as is) or YAML. To change what the Options
// fields do not cover, decode the JSON into Karpenter's own API types
// (sigs.k8s.io/karpenter/pkg/apis/v1).
type NodePool struct {
	m nodePool
}

// nodePool is the manifest, reduced to the fields selection sets.
type nodePool struct {
	APIVersion string       `json:"apiVersion"` // karpenter.sh/v1
	Kind       string       `json:"kind"`       // NodePool
	Metadata   objectMeta   `json:"metadata"`   // name and labels
	Spec       nodePoolSpec `json:"spec"`       // template, limits, disruption
}

// objectMeta is the metadata of a Kubernetes object.
type objectMeta struct {
	Name   string            `json:"name,omitempty"`   // metadata.name
	Labels map[string]string `json:"labels,omitempty"` // metadata.labels
}

// nodePoolSpec is spec of a NodePool.
type nodePoolSpec struct {
	Template   nodeClaimTemplate `json:"template"`             // spec.template
	Limits     map[string]string `json:"limits,omitempty"`     // spec.limits, e.g. cpu
	Disruption *disruption       `json:"disruption,omitempty"` // spec.disruption
}

// nodeClaimTemplate is spec.template of a NodePool.
type nodeClaimTemplate struct {
	Metadata *objectMeta   `json:"metadata,omitempty"` // labels of the nodes
	Spec     nodeClaimSpec `json:"spec"`               // spec.template.spec
}

// nodeClaimSpec is spec.template.spec of a NodePool.
type nodeClaimSpec struct {
	NodeClassRef nodeClassRef              `json:"nodeClassRef"` // the EC2NodeClass
	Requirements []nodeSelectorRequirement `json:"requirements"` // the selection, as node requirements
}

// nodeClassRef points at the EC2NodeClass.
type nodeClassRef struct {
	Group string `json:"group"` // karpenter.k8s.aws
	Kind  string `json:"kind"`  // EC2NodeClass
	Name  string `json:"name"`  // Options.NodeClassName
}

// nodeSelectorRequirement is one scheduling requirement: Key Operator Values.
type nodeSelectorRequirement struct {
	Key      string   `json:"key"`              // a node label, e.g. node.kubernetes.io/instance-type
	Operator string   `json:"operator"`         // In, NotIn, Exists, DoesNotExist, Gt, Lt
	Values   []string `json:"values,omitempty"` // the label values Operator compares with
}

// disruption is spec.disruption of a NodePool.
type disruption struct {
	ConsolidationPolicy string `json:"consolidationPolicy,omitempty"` // WhenEmpty or WhenEmptyOrUnderutilized
	ConsolidateAfter    string `json:"consolidateAfter,omitempty"`    // a duration such as 30s
}

// archLabels maps EC2 architectures to kubernetes.io/arch.
var archLabels = map[types.ArchitectureType]string{
	types.ArchitectureTypeX8664: "amd64",
	types.ArchitectureTypeArm64: "arm64",
}

// KarpenterNodePool expresses req and its selection (typically Select's result) as a Karpenter
// NodePool for EMR on EKS: instance-cpu and instance-memory ranges from req (Gt/Lt, which
// Karpenter reads as exclusive bounds), instance-category, instance-generation and
// kubernetes.io/arch from the selected types, and the capacity type. Karpenter has no label for
// several ABS attributes (burstable, bare metal, price protection); set PinInstanceTypes to
// enforce them exactly.
func (c *Catalog) KarpenterNodePool(name string, req Requirements, selected []string, optFns ...func(*Options)) (NodePool, error) {
	o := apply(Options{}, optFns)
	if name == "" {
		return NodePool{}, errors.New("instances: KarpenterNodePool name is empty")
	}
	if err := req.Validate(); err != nil {
		return NodePool{}, err
	}
	if len(selected) == 0 {
		return NodePool{}, errors.New("instances: KarpenterNodePool needs at least one selected instance type")
	}
	if o.CapacityTypes == nil {
		o.CapacityTypes = []string{"spot"}
	}
	for _, ct := range o.CapacityTypes {
		if ct != "spot" && ct != "on-demand" && ct != "reserved" {
			return NodePool{}, fmt.Errorf("instances: Options.CapacityTypes value %q is not spot, on-demand or reserved", ct)
		}
	}
	cats, gens, archs := map[string]bool{}, map[int]bool{}, map[string]bool{}
	var names []string
	for _, n := range selected {
		e := c.entry(n)
		if e == nil {
			return NodePool{}, fmt.Errorf("instances: selected instance type %q is not in the catalog", n)
		}
		names = append(names, n)
		cats[e.category] = true
		if e.generation > 0 {
			gens[e.generation] = true
		}
		for a, label := range archLabels {
			if e.arch&bitOf(architectures, a) != 0 {
				archs[label] = true
			}
		}
	}
	var rs []nodeSelectorRequirement
	bounds := func(key string, r Range[int32]) {
		if r.Min != nil && *r.Min > 0 {
			rs = append(rs, nodeSelectorRequirement{Key: key, Operator: "Gt", Values: []string{strconv.Itoa(int(*r.Min) - 1)}})
		}
		if r.Max != nil {
			rs = append(rs, nodeSelectorRequirement{Key: key, Operator: "Lt", Values: []string{strconv.Itoa(int(*r.Max) + 1)}})
		}
	}
	bounds(labelInstanceCPU, req.VCpuCount)
	bounds(labelInstanceMemory, req.MemoryMiB)
	rs = append(rs, nodeSelectorRequirement{Key: labelInstanceCategory, Operator: "In", Values: sortedKeys(cats, cmp.Compare[string])})
	genVals := sortedKeys(gens, cmp.Compare[int])
	gv := make([]string, len(genVals))
	for i, g := range genVals {
		gv[i] = strconv.Itoa(g)
	}
	if len(gv) > 0 {
		rs = append(rs, nodeSelectorRequirement{Key: labelInstanceGeneration, Operator: "In", Values: gv})
	}
	if len(archs) > 0 {
		rs = append(rs, nodeSelectorRequirement{Key: labelArch, Operator: "In", Values: sortedKeys(archs, cmp.Compare[string])})
	}
	rs = append(rs, nodeSelectorRequirement{Key: labelCapacityType, Operator: "In", Values: slices.Clone(o.CapacityTypes)})
	if len(o.Zones) > 0 {
		rs = append(rs, nodeSelectorRequirement{Key: labelZone, Operator: "In", Values: slices.Clone(o.Zones)})
	}
	if o.PinInstanceTypes {
		slices.Sort(names)
		rs = append(rs, nodeSelectorRequirement{Key: labelInstanceType, Operator: "In", Values: slices.Compact(names)})
	}
	np := nodePool{
		APIVersion: "karpenter.sh/v1",
		Kind:       "NodePool",
		Metadata:   objectMeta{Name: name},
		Spec: nodePoolSpec{
			Template: nodeClaimTemplate{Spec: nodeClaimSpec{
				NodeClassRef: nodeClassRef{Group: "karpenter.k8s.aws", Kind: "EC2NodeClass", Name: cmp.Or(o.NodeClassName, "default")},
				Requirements: rs,
			}},
			Disruption: &disruption{ConsolidationPolicy: "WhenEmptyOrUnderutilized", ConsolidateAfter: "30s"},
		},
	}
	if len(o.Labels) > 0 {
		np.Spec.Template.Metadata = &objectMeta{Labels: o.Labels}
	}
	if o.CPULimit != "" {
		np.Spec.Limits = map[string]string{"cpu": o.CPULimit}
	}
	return NodePool{np}, nil
}

func sortedKeys[K comparable](m map[K]bool, less func(a, b K) int) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, less)
	return out
}

// JSON returns the NodePool as indented JSON, a manifest kubectl applies as is.
func (p NodePool) JSON() ([]byte, error) {
	return json.MarshalIndent(p.m, "", "  ")
}

// YAML renders the NodePool as YAML. The emitter handles only this fixed shape: every string is
// double-quoted (JSON string syntax, valid YAML) and map keys are sorted, so output is
// deterministic.
func (p NodePool) YAML() string {
	np := p.m
	var b strings.Builder
	w := func(indent int, key, val string) {
		b.WriteString(strings.Repeat("  ", indent))
		b.WriteString(key)
		b.WriteString(":")
		if val != "" {
			b.WriteString(" ")
			b.WriteString(val)
		}
		b.WriteString("\n")
	}
	meta := func(indent int, m objectMeta) {
		if m.Name != "" {
			w(indent, "name", yamlString(m.Name))
		}
		yamlMap(&b, indent, "labels", m.Labels)
	}
	w(0, "apiVersion", yamlString(np.APIVersion))
	w(0, "kind", yamlString(np.Kind))
	w(0, "metadata", "")
	meta(1, np.Metadata)
	w(0, "spec", "")
	w(1, "template", "")
	if np.Spec.Template.Metadata != nil {
		w(2, "metadata", "")
		meta(3, *np.Spec.Template.Metadata)
	}
	w(2, "spec", "")
	w(3, "nodeClassRef", "")
	ref := np.Spec.Template.Spec.NodeClassRef
	w(4, "group", yamlString(ref.Group))
	w(4, "kind", yamlString(ref.Kind))
	w(4, "name", yamlString(ref.Name))
	w(3, "requirements", "")
	for _, r := range np.Spec.Template.Spec.Requirements {
		b.WriteString(strings.Repeat("  ", 4) + "- key: " + yamlString(r.Key) + "\n")
		w(5, "operator", yamlString(r.Operator))
		if len(r.Values) > 0 {
			vals := make([]string, len(r.Values))
			for i, v := range r.Values {
				vals[i] = yamlString(v)
			}
			w(5, "values", "["+strings.Join(vals, ", ")+"]")
		}
	}
	yamlMap(&b, 1, "limits", np.Spec.Limits)
	if d := np.Spec.Disruption; d != nil {
		w(1, "disruption", "")
		if d.ConsolidationPolicy != "" {
			w(2, "consolidationPolicy", yamlString(d.ConsolidationPolicy))
		}
		if d.ConsolidateAfter != "" {
			w(2, "consolidateAfter", yamlString(d.ConsolidateAfter))
		}
	}
	return b.String()
}

func yamlString(s string) string {
	q, _ := json.Marshal(s) // a JSON string is a valid YAML double-quoted scalar
	return string(q)
}

func yamlMap(b *strings.Builder, indent int, key string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	pad := strings.Repeat("  ", indent)
	b.WriteString(pad + key + ":\n")
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(pad + "  " + yamlString(k) + ": " + yamlString(m[k]) + "\n")
	}
}
