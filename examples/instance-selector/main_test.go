package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/emr/instances"
	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
)

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String(), err
}

// The sample holds 23 real us-east-1 types (instancestest/sample-us-east-1.json). Expected
// lists below are read from it.
func TestNamesDefault(t *testing.T) {
	got, err := runCLI(t, "--vcpus-min", "4", "--vcpus-max", "8", "--memory-min", "16", "--cpu-manufacturer", "intel")
	if err != nil {
		t.Fatal(err)
	}
	want := "c5.2xlarge\nc5n.2xlarge\nm4.2xlarge\nm5.xlarge\nm5.2xlarge\nm5d.2xlarge\nm6i.2xlarge\nm7i.2xlarge\nr5.xlarge\nr5.2xlarge\nr6i.2xlarge\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFlagsMapToRequirements(t *testing.T) {
	var errOut bytes.Buffer
	c, err := parse([]string{
		"--vcpus-min", "4", "--memory-max", "64", "--memory-per-vcpu-min", "2", "--gpus-min", "1",
		"--gpu-memory-total-min", "16", "--instance-storage-max", "500", "--cpu-architecture", "amd64,arm64",
		"--cpu-manufacturer", "aws", "--deny-list", "t*, x*", "--burst-support", "included", "--baremetal", "required",
		"--local-storage", "excluded", "--current-generation", "--network-interfaces-min", "2",
	}, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	r := c.req
	if *r.VCpuCount.Min != 4 || *r.MemoryMiB.Min != 0 || *r.MemoryMiB.Max != 65536 || *r.MemoryGiBPerVCpu.Min != 2 ||
		*r.AcceleratorCount.Min != 1 || r.AcceleratorTypes[0] != "gpu" || *r.AcceleratorTotalMemoryMiB.Min != 16384 ||
		*r.TotalLocalStorageGB.Max != 500 || r.Architectures[0] != "x86_64" || r.Architectures[1] != "arm64" ||
		r.CpuManufacturers[0] != "amazon-web-services" || strings.Join(r.ExcludedInstanceTypes, "|") != "t*|x*" ||
		r.BurstablePerformance != instances.Included || r.BareMetal != instances.Required || r.LocalStorage != instances.Excluded ||
		r.InstanceGenerations[0] != "current" || *r.NetworkInterfaceCount.Min != 2 {
		t.Errorf("requirements %+v", r)
	}
}

func TestCatalogFileTableAndExplain(t *testing.T) {
	file := sampleCatalogFile(t)
	out, err := runCLI(t, "--catalog", file, "--allow-list", "m6g.*", "-o", "table")
	if err != nil {
		t.Fatal(err)
	}
	// m6g.xlarge: 4 vCPUs, 16 GiB, arm64, AWS, "Up to 10 Gigabit", no GPU or instance store.
	if !strings.Contains(out, "Instance Type") || !strings.Contains(out, "m6g.xlarge     4      16            arm64  AWS  Up to 10 Gigabit  0     0") {
		t.Errorf("table:\n%s", out)
	}
	out, err = runCLI(t, "--catalog", file, "--explain", "t3.large")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "fail    BurstablePerformance: want excluded, have burstable true") {
		t.Errorf("explain:\n%s", out)
	}
}

func TestOutputs(t *testing.T) {
	out, err := runCLI(t, "--allow-list", "r6g.*", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []row
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 || rows[0].InstanceType != "r6g.2xlarge" || rows[0].MemoryGiB != 64 {
		t.Errorf("json %v: %s", err, out)
	}
	out, err = runCLI(t, "--allow-list", "m5.2xlarge,r5.xlarge", "-o", "emr-fleet", "--fleet-type", "core")
	if err != nil {
		t.Fatal(err)
	}
	var fleets []map[string]any
	if err := json.Unmarshal([]byte(out), &fleets); err != nil || len(fleets) != 1 || fleets[0]["InstanceFleetType"] != "CORE" ||
		len(fleets[0]["InstanceTypeConfigs"].([]any)) != 2 || fleets[0]["TargetSpotCapacity"].(float64) != 64 {
		t.Errorf("emr-fleet %v: %s", err, out)
	}
	out, err = runCLI(t, "--allow-list", "m6g.*", "-o", "karpenter")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `values: ["arm64"]`) || !strings.HasPrefix(out, `apiVersion: "karpenter.sh/v1"`) {
		t.Errorf("karpenter:\n%s", out)
	}
}

// sampleCatalogFile writes instancestest's sample catalog as a JSON catalog file and
// returns its path.
func sampleCatalogFile(t *testing.T) string {
	t.Helper()
	data, err := json.Marshal(map[string]any{"InstanceTypes": instancestest.SampleInstanceTypes()})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "catalog.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
