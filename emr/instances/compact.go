package instances

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The compact catalog is the pre-indexed form Catalog.WriteCompact writes and LoadCatalogFile
// reads back in a few milliseconds: for each instance type, in the catalog's
// order, the attributes selection reads (as Load computed them) and the type's
// DescribeInstanceTypes entry as JSON without its null members, deflated, decoded only when
// Info asks for it. The whole is covered by a CRC-32C, so a damaged file is refused instead of
// half read.
//
//	magic "DBIC" | version 1 | uvarint count | records... | CRC-32C (Castagnoli) of all before
const (
	compactMagic   = "DBIC"
	compactVersion = 2
	// maxInfoBytes bounds one type's decompressed JSON (a real entry is about 2 KB).
	maxInfoBytes = 1 << 20
	// maxCatalogBytes bounds what LoadCatalogFile reads: a region's catalog is under 2 MB in JSON.
	maxCatalogBytes = 64 << 20
	// maxCatalogTypes bounds the number of instance types (a region has about 1,000).
	maxCatalogTypes = 100_000
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// isCompact reports whether data starts like a compact catalog.
func isCompact(data []byte) bool { return bytes.HasPrefix(data, []byte(compactMagic)) }

// WriteCompact writes the catalog in its compact, pre-indexed form (see LoadCatalogFile), which
// loads over twenty times faster than the JSON of `aws ec2 describe-instance-types` (910 types:
// about 2 ms against about 50). The form is private to this package and its version: keep the
// JSON of `aws ec2 describe-instance-types` as the durable copy.
func (c *Catalog) WriteCompact(w io.Writer) error {
	buf := append([]byte(compactMagic), compactVersion)
	buf = binary.AppendUvarint(buf, uint64(len(c.entries)))
	for i := range c.entries {
		e := &c.entries[i]
		info, err := c.infoAt(e.info)
		if err != nil {
			return err
		}
		raw, err := deflatedJSON(info)
		if err != nil {
			return fmt.Errorf("instances: writing compact catalog: %w", err)
		}
		buf = appendEntry(buf, e)
		buf = binary.AppendUvarint(buf, uint64(len(raw)))
		buf = append(buf, raw...)
	}
	buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli))
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("instances: writing compact catalog: %w", err)
	}
	return nil
}

// deflatedJSON returns info as the API's JSON (compactJSON: the SDK's types have no
// omitempty, so their plain JSON is mostly nulls), deflated.
func deflatedJSON(info types.InstanceTypeInfo) ([]byte, error) {
	raw, err := compactJSON(info)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func appendNum(b []byte, n num) []byte {
	ok := byte(0)
	if n.ok {
		ok = 1
	}
	return binary.LittleEndian.AppendUint64(append(b, ok), math.Float64bits(n.v))
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// appendEntry encodes every field of e but info, which is the record's position.
func appendEntry(b []byte, e *entry) []byte {
	for _, n := range []num{e.vcpus, e.memMiB, e.memPerVCPU, e.localGB, e.ebsMbps, e.netBaseline, e.netPeak, e.enis, e.accCount, e.accMemMiB} {
		b = appendNum(b, n)
	}
	b = append(b, byte(e.current), byte(e.burstable), byte(e.bareMetal), byte(e.hibernate), byte(e.encryptInTransit), byte(e.localStorage))
	for _, v := range []uint32{e.cpuMaker, e.arch, e.virtYes, e.virtNo, e.diskTypes, e.accTypes, e.accMakers, e.accNames} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = appendBool(appendBool(b, e.accMakersComplete), e.accNamesComplete)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(e.netBaselineBelow))
	for _, s := range []string{e.name, e.family, e.category, e.cpuMakerName, e.netDesc} {
		b = appendString(b, s)
	}
	return binary.AppendVarint(b, int64(e.generation))
}

// compactReader reads a compact catalog; every read is bounded by the data left, so a
// catalog of n bytes takes O(n) steps.
type compactReader struct {
	data []byte
	err  error
}

var errCompactTruncated = errors.New("instances: compact catalog is truncated")

func (r *compactReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.data) {
		r.err = errCompactTruncated
		return nil
	}
	b := r.data[:n:n]
	r.data = r.data[n:]
	return b
}

func (r *compactReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.err = errCompactTruncated
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *compactReader) length() int {
	v := r.uvarint()
	if v > uint64(len(r.data)) {
		r.err = errCompactTruncated
		return 0
	}
	return int(v)
}

func (r *compactReader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *compactReader) f64() float64 {
	if b := r.take(8); b != nil {
		return math.Float64frombits(binary.LittleEndian.Uint64(b))
	}
	return 0
}

func (r *compactReader) num() num {
	ok := r.take(1)
	v := r.f64()
	if ok == nil {
		return num{}
	}
	if ok[0] > 1 {
		r.err = errors.New("instances: compact catalog has a malformed number")
	}
	return num{v: v, ok: ok[0] == 1}
}

func (r *compactReader) tri() tri {
	b := r.take(1)
	if b == nil {
		return unknown
	}
	if b[0] > byte(yes) {
		r.err = errors.New("instances: compact catalog has a malformed flag")
	}
	return tri(b[0])
}

func (r *compactReader) boolean() bool {
	b := r.take(1)
	if b != nil && b[0] > 1 {
		r.err = errors.New("instances: compact catalog has a malformed flag")
	}
	return b != nil && b[0] == 1
}

func (r *compactReader) str() string { return string(r.take(r.length())) }

func (r *compactReader) entry(info int) entry {
	e := entry{info: info}
	for _, n := range []*num{&e.vcpus, &e.memMiB, &e.memPerVCPU, &e.localGB, &e.ebsMbps, &e.netBaseline, &e.netPeak, &e.enis, &e.accCount, &e.accMemMiB} {
		*n = r.num()
	}
	for _, t := range []*tri{&e.current, &e.burstable, &e.bareMetal, &e.hibernate, &e.encryptInTransit, &e.localStorage} {
		*t = r.tri()
	}
	for _, v := range []*uint32{&e.cpuMaker, &e.arch, &e.virtYes, &e.virtNo, &e.diskTypes, &e.accTypes, &e.accMakers, &e.accNames} {
		*v = r.u32()
	}
	e.accMakersComplete, e.accNamesComplete = r.boolean(), r.boolean()
	e.netBaselineBelow = r.f64()
	for _, s := range []*string{&e.name, &e.family, &e.category, &e.cpuMakerName, &e.netDesc} {
		*s = r.str()
	}
	if r.err == nil {
		g, n := binary.Varint(r.data)
		if n <= 0 || g < 0 || g > math.MaxInt32 {
			r.err = errors.New("instances: compact catalog has a malformed generation")
		} else {
			e.generation, r.data = int(g), r.data[n:]
		}
	}
	return e
}

// readCompact builds a catalog from a compact catalog, keeping each type's JSON undecoded until
// Info asks for it.
func readCompact(data []byte) (*Catalog, error) {
	if len(data) < len(compactMagic)+1+4 {
		return nil, errCompactTruncated
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, errors.New("instances: compact catalog checksum mismatch: the file is damaged")
	}
	if v := body[len(compactMagic)]; v != compactVersion {
		return nil, fmt.Errorf("instances: compact catalog version %d, want %d: rewrite it with WriteCompact", v, compactVersion)
	}
	r := &compactReader{data: body[len(compactMagic)+1:]}
	n := r.uvarint()
	if r.err == nil && n > maxCatalogTypes {
		return nil, fmt.Errorf("instances: compact catalog has %d types, over the limit of %d", n, maxCatalogTypes)
	}
	// Each record takes at least 120 bytes: a count beyond that is a lie, refused before
	// allocating for it.
	if r.err == nil && n > uint64(len(r.data)/120) {
		return nil, errCompactTruncated
	}
	c := &Catalog{entries: make([]entry, 0, n), raw: make([][]byte, 0, n), index: make(map[string]int, n)}
	for i := 0; uint64(i) < n && r.err == nil; i++ {
		e := r.entry(i)
		raw := r.take(r.length())
		if r.err != nil {
			break
		}
		if e.name == "" {
			return nil, fmt.Errorf("instances: compact catalog entry %d has no name", i)
		}
		if _, dup := c.index[e.name]; dup {
			return nil, fmt.Errorf("instances: compact catalog lists %s twice", e.name)
		}
		c.index[e.name] = i
		c.entries = append(c.entries, e)
		c.raw = append(c.raw, raw)
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.data) != 0 {
		return nil, errors.New("instances: compact catalog has trailing bytes")
	}
	c.decoded = make([]lazyInfo, len(c.raw))
	return c, nil
}

// lazyInfo is one type's DescribeInstanceTypes entry, decoded from a compact catalog on first
// use.
type lazyInfo struct {
	once sync.Once
	info types.InstanceTypeInfo
	err  error
}

// infoAt returns the DescribeInstanceTypes entry at index i (Catalog.infos or, for a compact
// catalog, Catalog.raw).
func (c *Catalog) infoAt(i int) (types.InstanceTypeInfo, error) {
	if c.raw == nil {
		return c.infos[i], nil
	}
	l := &c.decoded[i]
	l.once.Do(func() {
		raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(c.raw[i])), maxInfoBytes+1))
		switch {
		case err != nil:
			l.err = fmt.Errorf("instances: compact catalog entry %d: %w", i, err)
		case len(raw) > maxInfoBytes:
			l.err = fmt.Errorf("instances: compact catalog entry %d is over %d bytes", i, maxInfoBytes)
		default:
			if err := json.Unmarshal(raw, &l.info); err != nil {
				l.err = fmt.Errorf("instances: compact catalog entry %d: %w", i, err)
			}
		}
	})
	return l.info, l.err
}
