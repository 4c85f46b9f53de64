package opensearchtest

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math/bits"
	"regexp"
	"strings"
)

// defaultSalt is the security plugin's default plugins.security.compliance.salt.
const defaultSalt = "e1ukloTsQlOgPquJ"

// maskString masks a string value as the security plugin's field masking does for a
// masked_fields expression (field, field::ALGO or field::/regex/::replacement...) with the
// cluster's compliance salt (the first 16 bytes are used; shorter salts are an error in the
// plugin and are zero-padded here): by default BLAKE2b with a 32-byte digest and the salt in
// BLAKE2b's salt parameter, hex-encoded (the plugin's FieldMasking with its default
// algorithm); with an algorithm, that MessageDigest's hex digest; with regex pairs, each
// replacement in order. ok is false for an algorithm the fake does not implement.
func maskString(expr, value, salt string) (masked string, ok bool) {
	tokens := strings.Split(expr, "::")
	switch {
	case len(tokens) == 1:
		var s [16]byte
		copy(s[:], salt)
		sum := blake2b256Salted([]byte(value), s)
		return hex.EncodeToString(sum[:]), true
	case len(tokens) == 2:
		var h hash.Hash
		switch strings.ToUpper(tokens[1]) {
		case "MD5":
			h = md5.New()
		case "SHA-1":
			h = sha1.New()
		case "SHA-224":
			h = sha256.New224()
		case "SHA-256":
			h = sha256.New()
		case "SHA-384":
			h = sha512.New384()
		case "SHA-512":
			h = sha512.New()
		default:
			return "", false
		}
		h.Write([]byte(value))
		return hex.EncodeToString(h.Sum(nil)), true
	}
	cur := value
	for i := 1; i+1 < len(tokens); i += 2 {
		re := tokens[i]
		if len(re) < 2 || re[0] != '/' || re[len(re)-1] != '/' {
			return "", false
		}
		rx, err := regexp.Compile(re[1 : len(re)-1])
		if err != nil {
			return "", false
		}
		cur = rx.ReplaceAllString(cur, javaReplacement(tokens[i+1]))
	}
	return cur, true
}

// javaReplacement converts Java's $1 group references to Go's ${1}.
func javaReplacement(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			b.WriteString("${" + string(s[i+1]) + "}")
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// BLAKE2b (RFC 7693) with a salt parameter, which golang.org/x/crypto/blake2b does not
// expose and which the plugin's masking uses. Unkeyed, sequential mode, 32-byte digest.

var blake2bIV = [8]uint64{
	0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
	0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
}

var blake2bSigma = [12][16]byte{
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
	{11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
	{7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
	{9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
	{2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
	{12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
	{13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
	{6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
	{10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
}

func blake2bCompress(h *[8]uint64, block []byte, t uint64, last bool) {
	var m [16]uint64
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(block[i*8:])
	}
	var v [16]uint64
	copy(v[:8], h[:])
	copy(v[8:], blake2bIV[:])
	v[12] ^= t
	if last {
		v[14] = ^v[14]
	}
	g := func(a, b, c, d int, x, y uint64) {
		v[a] += v[b] + x
		v[d] = bits.RotateLeft64(v[d]^v[a], -32)
		v[c] += v[d]
		v[b] = bits.RotateLeft64(v[b]^v[c], -24)
		v[a] += v[b] + y
		v[d] = bits.RotateLeft64(v[d]^v[a], -16)
		v[c] += v[d]
		v[b] = bits.RotateLeft64(v[b]^v[c], -63)
	}
	for r := range 12 {
		s := &blake2bSigma[r]
		g(0, 4, 8, 12, m[s[0]], m[s[1]])
		g(1, 5, 9, 13, m[s[2]], m[s[3]])
		g(2, 6, 10, 14, m[s[4]], m[s[5]])
		g(3, 7, 11, 15, m[s[6]], m[s[7]])
		g(0, 5, 10, 15, m[s[8]], m[s[9]])
		g(1, 6, 11, 12, m[s[10]], m[s[11]])
		g(2, 7, 8, 13, m[s[12]], m[s[13]])
		g(3, 4, 9, 14, m[s[14]], m[s[15]])
	}
	for i := range h {
		h[i] ^= v[i] ^ v[i+8]
	}
}

// blake2b256Salted is BLAKE2b-256 of in with salt in the parameter block (bytes 32-47).
func blake2b256Salted(in []byte, salt [16]byte) [32]byte {
	h := blake2bIV
	h[0] ^= 0x01010000 ^ 32 // digest length 32, no key, fanout 1, depth 1
	h[4] ^= binary.LittleEndian.Uint64(salt[0:])
	h[5] ^= binary.LittleEndian.Uint64(salt[8:])
	var t uint64
	for len(in) > 128 {
		t += 128
		blake2bCompress(&h, in[:128], t, false)
		in = in[128:]
	}
	var block [128]byte
	copy(block[:], in)
	t += uint64(len(in))
	blake2bCompress(&h, block[:], t, true)
	var out [32]byte
	for i := range 4 {
		binary.LittleEndian.PutUint64(out[i*8:], h[i])
	}
	return out
}
