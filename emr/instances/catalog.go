package instances

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

const (
	// defaultCacheTTL is how long a catalog cache file stays fresh.
	defaultCacheTTL = 24 * time.Hour
	// describePageSize is the MaxResults of each DescribeInstanceTypes call (the API maximum).
	describePageSize = 100
)

// Catalog is the set of instance types of one region with their attributes, loaded once and
// selected from many times. A Catalog is immutable and safe for concurrent use.
type Catalog struct {
	infos   []types.InstanceTypeInfo // nil for a compact catalog
	entries []entry                  // ordered by family, vCPUs, memory, name
	index   map[string]int
	raw     [][]byte   // a compact catalog's JSON per type, by entry.info
	decoded []lazyInfo // raw, decoded on first use
}

// NewCatalog builds a catalog from DescribeInstanceTypes entries. Entries without an InstanceType
// are an error; a duplicate name keeps the last entry.
func NewCatalog(infos []types.InstanceTypeInfo) (*Catalog, error) {
	byName := make(map[string]int, len(infos))
	kept := make([]types.InstanceTypeInfo, 0, len(infos))
	for i := range infos {
		name := string(infos[i].InstanceType)
		if name == "" {
			return nil, fmt.Errorf("instances: catalog entry %d has no InstanceType", i)
		}
		if j, dup := byName[name]; dup {
			kept[j] = infos[i]
			continue
		}
		byName[name] = len(kept)
		kept = append(kept, infos[i])
	}
	c := &Catalog{infos: kept, entries: make([]entry, len(kept)), index: make(map[string]int, len(kept))}
	for i := range kept {
		c.entries[i] = newEntry(&kept[i], i)
	}
	slices.SortFunc(c.entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.family, b.family), cmp.Compare(a.vcpus.v, b.vcpus.v),
			cmp.Compare(a.memMiB.v, b.memMiB.v), cmp.Compare(a.name, b.name))
	})
	for i := range c.entries {
		c.index[c.entries[i].name] = i
	}
	return c, nil
}

// catalogFile is the JSON shape `aws ec2 describe-instance-types` prints.
type catalogFile struct {
	InstanceTypes []types.InstanceTypeInfo
}

// readCatalog reads a catalog in either form LoadCatalogFile reads. At most 64 MiB are read.
func readCatalog(r io.Reader) (*Catalog, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxCatalogBytes+1))
	if err != nil {
		return nil, fmt.Errorf("instances: reading catalog: %w", err)
	}
	return readCatalogBytes(data)
}

func readCatalogBytes(data []byte) (*Catalog, error) {
	if len(data) > maxCatalogBytes {
		return nil, fmt.Errorf("instances: catalog is over the limit of %d bytes", maxCatalogBytes)
	}
	if isCompact(data) {
		return readCompact(data)
	}
	f, err := decodeCatalog(data)
	if err != nil {
		return nil, err
	}
	return NewCatalog(f.InstanceTypes)
}

func decodeCatalog(data []byte) (catalogFile, error) {
	var f catalogFile
	if err := json.Unmarshal(data, &f); err != nil {
		return f, fmt.Errorf("instances: reading catalog JSON: %w", err)
	}
	if f.InstanceTypes == nil {
		return f, errors.New(`instances: catalog JSON has no "InstanceTypes" array`)
	}
	if len(f.InstanceTypes) > maxCatalogTypes {
		return f, fmt.Errorf("instances: catalog has %d types, over the limit of %d", len(f.InstanceTypes), maxCatalogTypes)
	}
	return f, nil
}

// LoadCatalogFile reads a catalog file: the JSON `aws ec2 describe-instance-types` prints
// ({"InstanceTypes":[{"InstanceType":"m5.large",...},...]}, pages already merged by the CLI) or
// the compact form [Catalog.WriteCompact] writes. The compact form of a region's catalog loads
// in a few milliseconds, the JSON in tens. Files over 64 MiB or 100,000 types are refused.
func LoadCatalogFile(path string) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("instances: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() <= maxCatalogBytes {
		// One read of the known size, instead of ReadAll's growing buffer.
		data := make([]byte, st.Size())
		if _, err := io.ReadFull(f, data); err != nil {
			return nil, fmt.Errorf("instances: %w", err)
		}
		return readCatalogBytes(data)
	}
	return readCatalog(f)
}

// writeJSON writes the catalog in the `aws ec2 describe-instance-types` JSON shape.
func (c *Catalog) writeJSON(w io.Writer) error {
	infos, err := c.allInfos()
	if err != nil {
		return err
	}
	return writeCatalog(w, infos)
}

// allInfos returns every DescribeInstanceTypes entry.
func (c *Catalog) allInfos() ([]types.InstanceTypeInfo, error) {
	if c.raw == nil {
		return c.infos, nil
	}
	infos := make([]types.InstanceTypeInfo, len(c.raw))
	for i := range infos {
		var err error
		if infos[i], err = c.infoAt(i); err != nil {
			return nil, err
		}
	}
	return infos, nil
}

func writeCatalog(w io.Writer, infos []types.InstanceTypeInfo) error {
	enc := json.NewEncoder(w)
	if err := enc.Encode(catalogFile{InstanceTypes: infos}); err != nil {
		return fmt.Errorf("instances: writing catalog JSON: %w", err)
	}
	return nil
}

// Names returns every instance type name in the catalog's order (family, vCPUs, memory, name).
func (c *Catalog) Names() []string {
	out := make([]string, len(c.entries))
	for i := range c.entries {
		out[i] = c.entries[i].name
	}
	return out
}

// Info returns the DescribeInstanceTypes entry of an instance type.
func (c *Catalog) Info(name string) (types.InstanceTypeInfo, bool) {
	i, ok := c.index[name]
	if !ok {
		return types.InstanceTypeInfo{}, false
	}
	info, err := c.infoAt(c.entries[i].info)
	if err != nil { // a compact catalog whose checksum held but whose JSON does not decode
		return types.InstanceTypeInfo{}, false
	}
	return info, true
}

func (c *Catalog) entry(name string) *entry {
	i, ok := c.index[name]
	if !ok {
		return nil
	}
	return &c.entries[i]
}

// LoadCatalog loads the region's instance types with DescribeInstanceTypes, in pages of 100
// (the API's maximum), reading and writing Options.CacheFile when set. A cache file that cannot be written is logged and
// ignored; one that cannot be read is refetched.
func LoadCatalog(ctx context.Context, client CatalogAPIClient, optFns ...func(*Options)) (*Catalog, error) {
	o := apply(Options{}, optFns)
	if o.CacheTTL <= 0 {
		o.CacheTTL = defaultCacheTTL
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := time.Now()
	if o.CacheFile != "" {
		if c, fresh := readCache(o.CacheFile, now, o.CacheTTL, log); fresh {
			return c, nil
		}
	}
	var infos []types.InstanceTypeInfo
	p := ec2.NewDescribeInstanceTypesPaginator(client, &ec2.DescribeInstanceTypesInput{
		Filters: o.Filters, MaxResults: aws.Int32(describePageSize),
	})
	for page := 1; p.HasMorePages(); page++ {
		out, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("instances: DescribeInstanceTypes page %d: %w", page, err)
		}
		infos = append(infos, out.InstanceTypes...)
		log.DebugContext(ctx, "instances: DescribeInstanceTypes page", "page", page, "types", len(out.InstanceTypes))
	}
	c, err := NewCatalog(infos)
	if err != nil {
		return nil, err
	}
	if o.CacheFile != "" {
		if err := writeCache(o.CacheFile, c); err != nil {
			log.WarnContext(ctx, "instances: catalog cache not written", "file", o.CacheFile, "error", err)
		}
	}
	return c, nil
}

func readCache(path string, now time.Time, ttl time.Duration, log *slog.Logger) (*Catalog, bool) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, false
	}
	if now.Sub(st.ModTime()) >= ttl {
		log.Debug("instances: catalog cache stale", "file", path, "written", st.ModTime())
		return nil, false
	}
	c, err := LoadCatalogFile(path)
	if err != nil {
		log.Warn("instances: catalog cache unreadable, refetching", "file", path, "error", err)
		return nil, false
	}
	log.Debug("instances: catalog cache fresh", "file", path, "types", len(c.entries))
	return c, true
}

func writeCache(path string, c *Catalog) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := c.WriteCompact(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
