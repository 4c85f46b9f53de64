package opensearchtest

import "testing"

// The plugin's masking algorithms side by side on a 20-byte e-mail address.
func BenchmarkMaskValue(b *testing.B) {
	for _, expr := range []string{"email", "email::SHA-512", "email::SHA-256", "email::/[a-z]+@/::***@"} {
		b.Run(expr, func(b *testing.B) {
			for b.Loop() {
				if _, ok := maskString(expr, "someone@example.com", defaultSalt); !ok {
					b.Fatal("not masked")
				}
			}
		})
	}
}
