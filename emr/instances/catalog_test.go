package instances_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/datablocks-go/datablocks/emr/instances"
	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
)

func TestRealCatalogLoads(t *testing.T) {
	c := realCatalog(t)
	if len(c.Names()) != 910 {
		t.Errorf("Len = %d, want 910 (README)", len(c.Names()))
	}
	info, ok := c.Info("m5.large")
	if !ok || aws.ToInt32(info.VCpuInfo.DefaultVCpus) != 2 || aws.ToInt64(info.MemoryInfo.SizeInMiB) != 8192 {
		t.Errorf("m5.large: %+v", info)
	}
	names := c.Names()
	// Catalog order: family, then vCPUs: m5.large before m5.xlarge before m5.2xlarge.
	if i, j, k := slices.Index(names, "m5.large"), slices.Index(names, "m5.xlarge"), slices.Index(names, "m5.2xlarge"); !(i < j && j < k) {
		t.Errorf("order: m5.large %d, m5.xlarge %d, m5.2xlarge %d", i, j, k)
	}
}

func TestLoadCatalogPaginates(t *testing.T) {
	f := instancestest.New(func(o *instancestest.Options) { o.PageSize = 5 })
	c, err := instances.LoadCatalog(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Names()) != 23 {
		t.Errorf("Len = %d, want the 23 sample types", len(c.Names()))
	}
	calls := f.Calls()
	if len(calls) != 5 { // 23 types in the fake's pages of 5
		t.Errorf("%d DescribeInstanceTypes calls, want 5", len(calls))
	}
	if in := calls[0].Input.(*ec2.DescribeInstanceTypesInput); aws.ToInt32(in.MaxResults) != 100 {
		t.Errorf("MaxResults %v, want 100 (the API's maximum)", in.MaxResults)
	}
}

func TestLoadCatalogErrors(t *testing.T) {
	f := instancestest.New(func(o *instancestest.Options) { o.PageSize = 3 })
	n := 0
	f.KeepControl(instancestest.OpDescribeInstanceTypes, func(any) (any, error, bool) {
		n++
		if n == 2 { // the first page passes through, the second fails
			return nil, errors.New("connection reset"), true
		}
		return nil, nil, false
	})
	_, err := instances.LoadCatalog(context.Background(), f)
	if err == nil || !strings.Contains(err.Error(), "DescribeInstanceTypes page 2: connection reset") {
		t.Fatalf("got %v", err)
	}
}

// TestLoadCatalogCanceled: a canceled context stops the load before any page is served, and the
// error says so.
func TestLoadCatalogCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := instances.LoadCatalog(ctx, instancestest.New())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestLoadCatalogCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "us-east-1.json")
	opts := func(o *instances.Options) {
		o.CacheFile = file
		o.CacheTTL = time.Hour
	}
	f := instancestest.New()
	if _, err := instances.LoadCatalog(ctx, f, opts); err != nil {
		t.Fatal(err)
	}
	fetches := len(f.Calls())
	// Fresh: read from the file, no EC2 call, same content.
	c, err := instances.LoadCatalog(ctx, f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Calls()) != fetches || len(c.Names()) != 23 {
		t.Errorf("fresh cache: %d calls (was %d), %d types", len(f.Calls()), fetches, len(c.Names()))
	}
	// The cache file is a compact catalog LoadCatalogFile reads.
	if fc, err := instances.LoadCatalogFile(file); err != nil || len(fc.Names()) != 23 {
		t.Errorf("LoadCatalogFile(cache) = %v, %v", fc, err)
	}
	// Stale after the TTL, by the file's modification time: refetched, and the region's new
	// type appears.
	if err := os.Chtimes(file, time.Time{}, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	// The region, now with one more type: a fake seeded with it.
	grown := instancestest.New(func(o *instancestest.Options) {
		o.InstanceTypes = append(instancestest.SampleInstanceTypes(), types.InstanceTypeInfo{
			InstanceType: "m9.large", VCpuInfo: &types.VCpuInfo{DefaultVCpus: aws.Int32(2)}, MemoryInfo: &types.MemoryInfo{SizeInMiB: aws.Int64(8192)},
		})
	})
	c, err = instances.LoadCatalog(ctx, grown, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(grown.Calls()) == 0 || len(c.Names()) != 24 {
		t.Errorf("stale cache: %d calls, %d types", len(grown.Calls()), len(c.Names()))
	}
	// A corrupt cache is refetched, not fatal.
	if err := os.WriteFile(file, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err = instances.LoadCatalog(ctx, grown, opts); err != nil || len(c.Names()) != 24 {
		t.Errorf("corrupt cache: %v, %v", c, err)
	}
}

func TestReadCatalog(t *testing.T) {
	if _, err := instances.ReadCatalog(strings.NewReader(`{"Reservations":[]}`)); err == nil {
		t.Error("document without InstanceTypes accepted")
	}
	if _, err := instances.ReadCatalog(strings.NewReader(`{"InstanceTypes":[{"VCpuInfo":{"DefaultVCpus":2}}]}`)); err == nil {
		t.Error("entry without InstanceType accepted")
	}
	c, err := instances.ReadCatalog(strings.NewReader(`{"InstanceTypes":[{"InstanceType":"m5.large"},{"InstanceType":"m5.large","CurrentGeneration":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := c.Info("m5.large"); len(c.Names()) != 1 || !aws.ToBool(info.CurrentGeneration) {
		t.Errorf("duplicate should keep the last entry: %d, %+v", len(c.Names()), info)
	}
	// An entry with no attributes is selectable only on what it proves: nothing (all unknown).
	if got, _ := c.Select(any0()); len(got) != 0 {
		t.Errorf("attribute-less entry selected: %v", got)
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	c, err := instances.NewCatalog(instancestest.SampleInstanceTypes())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := instances.ReadCatalog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Names(), c.Names()) {
		t.Error("round trip changed the catalog")
	}
	a, _ := c.Select(any0())
	b, _ := back.Select(any0())
	if !slices.Equal(a, b) {
		t.Errorf("round trip changed selection: %v vs %v", a, b)
	}
}

// TestCompactRoundTrip writes the sample catalog compact and reads it back: same names,
// same selections, same DescribeInstanceTypes entries; a flipped byte is refused.
func TestCompactRoundTrip(t *testing.T) {
	c, err := instances.NewCatalog(instancestest.SampleInstanceTypes())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteCompact(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	back, err := instances.ReadCatalog(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Names(), c.Names()) {
		t.Fatalf("names %v, want %v", back.Names(), c.Names())
	}
	for _, q := range benchQueries {
		a, _ := c.Select(q.req)
		b, _ := back.Select(q.req)
		if !slices.Equal(a, b) {
			t.Errorf("%s: compact selects %v, JSON %v", q.name, b, a)
		}
	}
	for _, n := range c.Names() {
		want, _ := c.Info(n)
		got, ok := back.Info(n)
		// The same members with the same values; nulls, empty strings and empty lists, which the
		// compact form drops, are equal to absent ones.
		gj, _ := instances.APIJSON(got)
		wj, _ := instances.APIJSON(want)
		if !ok || !bytes.Equal(gj, wj) {
			t.Errorf("Info(%s) differs after the round trip", n)
		}
		ew, _ := c.Explain(any0(), n)
		eg, _ := back.Explain(any0(), n)
		if ew.String() != eg.String() {
			t.Errorf("Explain(%s) differs after the round trip", n)
		}
	}
	var js bytes.Buffer
	if err := back.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if again, err := instances.ReadCatalog(&js); err != nil || len(again.Names()) != len(c.Names()) {
		t.Errorf("WriteJSON of a compact catalog: %v, %v", again, err)
	}
	for _, i := range []int{5, len(data) / 2, len(data) - 1} {
		bad := bytes.Clone(data)
		bad[i] ^= 0x40
		if _, err := instances.ReadCatalog(bytes.NewReader(bad)); err == nil {
			t.Errorf("byte %d flipped: accepted", i)
		}
	}
	if _, err := instances.ReadCatalog(bytes.NewReader(data[:len(data)-10])); err == nil {
		t.Error("truncated compact catalog accepted")
	}
}

func FuzzReadCatalog(f *testing.F) {
	f.Add(`{"InstanceTypes":[{"InstanceType":"m5.large","VCpuInfo":{"DefaultVCpus":2},"MemoryInfo":{"SizeInMiB":8192}}]}`)
	if c, err := instances.NewCatalog(instancestest.SampleInstanceTypes()[:3]); err == nil {
		var buf bytes.Buffer
		if c.WriteCompact(&buf) == nil {
			f.Add(buf.String())
		}
	}
	f.Add(`{"InstanceTypes":[{"InstanceType":"x","NetworkInfo":{"NetworkPerformance":"Up to 1e400 Gigabit","NetworkCards":[{}]}}]}`)
	f.Add(`{"InstanceTypes":[{"InstanceType":"g","GpuInfo":{"Gpus":[{"Count":-1}]},"VCpuInfo":{"DefaultVCpus":0}}]}`)
	f.Add(`{"InstanceTypes":null}`)
	f.Fuzz(func(t *testing.T, doc string) {
		c, err := instances.ReadCatalog(strings.NewReader(doc))
		if err != nil {
			return
		}
		for _, n := range c.Names() {
			if _, err := c.Explain(any0(), n); err != nil {
				t.Fatalf("Explain(%q): %v", n, err)
			}
		}
		if _, err := c.Select(any0()); err != nil {
			t.Fatal(err)
		}
	})
}
