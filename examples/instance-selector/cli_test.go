package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/emr/instances"
)

// TestBadInputIsOneLineInTheUsersUnit covers the inputs of issue 11: overflow, NaN and
// infinities, negative values and fractions of whole units, each rejected with the unit the
// user typed, in one line, without the flag list.
func TestBadInputIsOneLineInTheUsersUnit(t *testing.T) {
	tests := []struct {
		args []string
		want []string // substrings of the error
	}{
		// int32 MiB holds at most 2147483647 MiB = 2097151.999 GiB.
		{[]string{"--memory-max", "3000000"}, []string{"-memory-max", "3000000 GiB is more than EC2 accepts (at most 2097151.99 GiB)"}},
		{[]string{"--memory-min", "abc"}, []string{"-memory-min", `"abc" is not a number of GiB`}},
		{[]string{"--memory-min", "NaN"}, []string{"NaN GiB is not a finite number"}},
		{[]string{"--memory", "+Inf"}, []string{"+Inf GiB is not a finite number"}},
		{[]string{"--memory-per-vcpu-max", "1e400"}, []string{"1e400 GiB is not a finite number"}},
		{[]string{"--memory-min", "-2"}, []string{"-2 GiB is negative"}},
		{[]string{"--vcpus-max", "3000000000"}, []string{"3000000000 vCPUs is more than EC2 accepts (at most 2147483647)"}},
		{[]string{"--vcpus-min", "1.5"}, []string{`"1.5" is not a whole number of vCPUs`}},
		{[]string{"--vcpus-min", "-1"}, []string{"-1 vCPUs is negative"}},
		{[]string{"--gpu-memory-total-max", "2097152"}, []string{"2097152 GiB is more than EC2 accepts"}},
		{[]string{"--memory-min", "64", "--memory-max", "32"}, []string{"--memory-min 64 GiB is more than --memory-max 32 GiB"}},
		{[]string{"--vcpus", "4", "--vcpus-min", "2"}, []string{"--vcpus and --vcpus-min/--vcpus-max are exclusive"}},
		{[]string{"--gpu-manufacturer", "nvdia"}, []string{`"nvdia" is not one of amazon-web-services, amd, nvidia`}},
		{[]string{"--burst-support", "maybe"}, []string{`"maybe" is not one of included, required, excluded`}},
		{[]string{"--allow-list", "m5.*", "--deny-list", "t*"}, []string{"--allow-list and --deny-list are exclusive"}},
		{[]string{"--allow-list", `^m5\..*$`}, []string{"--allow-list[0]", "not a regular expression"}},
		{[]string{"-o", "yaml"}, []string{`"yaml" is not one of names, table, json, emr-fleet, karpenter`}},
		{[]string{"-o", "emr-fleet", "--fleet-type", "master"}, []string{`"master" is not one of core, task`}},
		{[]string{"--cross-check", "--catalog", "x.json"}, []string{"--cross-check"}},
		{[]string{"--no-such-flag"}, []string{"no-such-flag"}},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tt.args, &out, &errOut)
		if err == nil {
			t.Errorf("%v accepted", tt.args)
			continue
		}
		msg := err.Error()
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%v: error %q lacks %q", tt.args, msg, w)
			}
		}
		if strings.Contains(msg, "\n") || strings.Contains(msg, "MiB") {
			t.Errorf("%v: error %q is not one line in the user's unit", tt.args, msg)
		}
		if errOut.Len() != 0 || out.Len() != 0 {
			t.Errorf("%v: printed %q %q besides the error (usage dump?)", tt.args, out.String(), errOut.String())
		}
	}
}

func TestHelpPrintsFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &out, &errOut)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut.String(), "-memory-max") {
		t.Errorf("-h: %v, %q", err, errOut.String())
	}
}

// TestEnumsCaseInsensitiveAndShorthands: NVIDIA as the model tool spells it, AMD64, and the
// exact-value shorthands (4 vCPUs and 16 GiB: in the sample, g5.xlarge has an NVIDIA A10G).
func TestEnumsCaseInsensitiveAndShorthands(t *testing.T) {
	got, err := runCLI(t, "--gpu-manufacturer", "NVIDIA", "--cpu-architecture", "AMD64", "--vcpus", "4", "--memory", "16")
	if err != nil {
		t.Fatal(err)
	}
	if got != "g5.xlarge\n" {
		t.Errorf("got %q, want g5.xlarge", got)
	}
	c, err := parse([]string{"--gpus", "1", "--burst-support", "Included", "-o", "TABLE", "--accelerator-names", "A10G",
		"--local-storage-types", "SSD", "--virtualization-types", "HVM", "--ebs-bandwidth-min", "1000",
		"--hibernation-support", "--encryption-in-transit", "--baseline-performance-families", "c6i"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	r := c.req
	if *r.AcceleratorCount.Min != 1 || *r.AcceleratorCount.Max != 1 || r.BurstablePerformance != instances.Included || c.output != "table" ||
		r.AcceleratorNames[0] != "a10g" || r.LocalStorageTypes[0] != "ssd" || r.VirtualizationTypes[0] != "hvm" ||
		*r.BaselineEbsBandwidthMbps.Min != 1000 || !r.RequireHibernateSupport || !r.RequireEncryptionInTransit ||
		r.BaselinePerformanceFamilies[0] != "c6i" {
		t.Errorf("requirements %+v", r)
	}
}

// A fractional GiB minimum rounds up to whole MiB and a maximum down, never admitting more.
func TestGiBToMiB(t *testing.T) {
	c, err := parse([]string{"--memory-min", "0.0001", "--memory-max", "1.0009"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if *c.req.MemoryMiB.Min != 1 || *c.req.MemoryMiB.Max != 1024 {
		t.Errorf("MiB range %d-%d, want 1-1024", *c.req.MemoryMiB.Min, *c.req.MemoryMiB.Max)
	}
}

// realCatalog is the 910-type us-east-1 file beside the checkout.
const realCatalog = "../../../shared/testdata/ec2/describe-instance-types.json"

// TestCatalogCompactCache: the first run with a JSON catalog writes a compact copy in the
// user cache directory; the next run reads it and answers the same.
func TestCatalogCompactCache(t *testing.T) {
	file := sampleCatalogFile(t)
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	first, err := runCLI(t, "--catalog", file, "--vcpus", "2", "--memory", "8", "--allow-list", "m*")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "datablocks", "catalogs", "*.dbic"))
	if len(files) != 1 {
		t.Fatalf("compact copies %v, want one", files)
	}
	if err := os.Remove(file); err != nil { // the compact copy is what the next run reads...
		t.Fatal(err)
	}
	if _, err := runCLI(t, "--catalog", file); err == nil { // ...but only for a file that exists
		t.Error("a removed catalog file was answered from its compact copy")
	}
	copyTo := func(dst string) {
		if err := os.Link(files[0], dst); err != nil {
			t.Fatal(err)
		}
	}
	compact := filepath.Join(t.TempDir(), "catalog.dbic")
	copyTo(compact)
	second, err := runCLI(t, "--catalog", compact, "--vcpus", "2", "--memory", "8", "--allow-list", "m*")
	if err != nil || second != first || first != "m5.large\n" {
		t.Errorf("compact catalog run %q, %v; JSON run %q, want m5.large", second, err, first)
	}
}

// BenchmarkLoadCatalog is the CLI's catalog load of the 910-type file once its compact copy
// exists (every run after the first), against the JSON itself.
func BenchmarkLoadCatalog(b *testing.B) {
	if _, err := os.Stat(realCatalog); err != nil {
		b.Skipf("%s not found: %v", realCatalog, err)
	}
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	if _, err := loadCatalogFile(realCatalog); err != nil { // writes the compact copy
		b.Fatal(err)
	}
	b.Run("compact-cache", func(b *testing.B) {
		for b.Loop() {
			if c, err := loadCatalogFile(realCatalog); err != nil || len(c.Names()) != 910 {
				b.Fatal(c, err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			if c, err := instances.LoadCatalogFile(realCatalog); err != nil || len(c.Names()) != 910 {
				b.Fatal(c, err)
			}
		}
	})
}
