package instances_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/emr/instances"
)

// Catalog values (jq): m5.xlarge x86_64, m6g.2xlarge arm64, r5.xlarge x86_64, c5.4xlarge x86_64.
func TestKarpenterNodePool(t *testing.T) {
	c := realCatalog(t)
	req := instances.Requirements{VCpuCount: instances.Between(4, 16), MemoryMiB: instances.AtLeast(16384)}
	np, err := c.KarpenterNodePool("spark-executors", req, []string{"m5.xlarge", "m6g.2xlarge", "r5.xlarge", "c5.4xlarge"},
		func(o *instances.Options) {
			o.Zones = []string{"us-east-1a"}
			o.CPULimit = "2000"
			o.Labels = map[string]string{"role": "executor"}
		})
	if err != nil {
		t.Fatal(err)
	}
	want := `apiVersion: "karpenter.sh/v1"
kind: "NodePool"
metadata:
  name: "spark-executors"
spec:
  template:
    metadata:
      labels:
        "role": "executor"
    spec:
      nodeClassRef:
        group: "karpenter.k8s.aws"
        kind: "EC2NodeClass"
        name: "default"
      requirements:
        - key: "karpenter.k8s.aws/instance-cpu"
          operator: "Gt"
          values: ["3"]
        - key: "karpenter.k8s.aws/instance-cpu"
          operator: "Lt"
          values: ["17"]
        - key: "karpenter.k8s.aws/instance-memory"
          operator: "Gt"
          values: ["16383"]
        - key: "karpenter.k8s.aws/instance-category"
          operator: "In"
          values: ["c", "m", "r"]
        - key: "karpenter.k8s.aws/instance-generation"
          operator: "In"
          values: ["5", "6"]
        - key: "kubernetes.io/arch"
          operator: "In"
          values: ["amd64", "arm64"]
        - key: "karpenter.sh/capacity-type"
          operator: "In"
          values: ["spot"]
        - key: "topology.kubernetes.io/zone"
          operator: "In"
          values: ["us-east-1a"]
  limits:
    "cpu": "2000"
  disruption:
    consolidationPolicy: "WhenEmptyOrUnderutilized"
    consolidateAfter: "30s"
`
	if got := np.YAML(); got != want {
		t.Errorf("YAML:\n%s\nwant:\n%s", got, want)
	}
	raw, err := np.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	reqs := m["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["requirements"].([]any)
	if len(reqs) != 8 || m["kind"] != "NodePool" {
		t.Errorf("JSON manifest: %s", raw)
	}
}

func TestKarpenterNodePoolPinned(t *testing.T) {
	c := realCatalog(t)
	np, err := c.KarpenterNodePool("driver", any0(), []string{"m5.xlarge", "m5.large", "m5.xlarge"}, func(o *instances.Options) {
		o.CapacityTypes = []string{"on-demand"}
		o.PinInstanceTypes = true
	})
	if err != nil {
		t.Fatal(err)
	}
	y := np.YAML()
	if !strings.Contains(y, `- key: "node.kubernetes.io/instance-type"
          operator: "In"
          values: ["m5.large", "m5.xlarge"]`) || !strings.Contains(y, `values: ["on-demand"]`) || strings.Contains(y, "instance-cpu") {
		t.Errorf("YAML:\n%s", y)
	}
}

func TestKarpenterNodePoolErrors(t *testing.T) {
	c := realCatalog(t)
	cases := []struct {
		name     string
		pool     string
		req      instances.Requirements
		selected []string
		opt      func(*instances.Options)
		want     string
	}{
		{"empty selection", "x", any0(), nil, nil, "at least one selected instance type"},
		{"bad capacity type", "x", any0(), []string{"m5.large"}, func(o *instances.Options) { o.CapacityTypes = []string{"preemptible"} }, `"preemptible" is not spot, on-demand or reserved`},
		{"empty name", "", any0(), []string{"m5.large"}, nil, "name is empty"},
		{"unknown type", "x", any0(), []string{"m5.notasize"}, nil, `"m5.notasize" is not in the catalog`},
		{"invalid requirements", "x", instances.Requirements{}, []string{"m5.large"}, nil, "VCpuCount.Min is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var opts []func(*instances.Options)
			if tc.opt != nil {
				opts = append(opts, tc.opt)
			}
			_, err := c.KarpenterNodePool(tc.pool, tc.req, tc.selected, opts...)
			if err == nil || !strings.HasPrefix(err.Error(), "instances: ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
