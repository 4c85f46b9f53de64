package instances

import (
	"regexp"
	"strings"
	"testing"
)

// The EC2 documentation's examples: "c5*" allows the whole C5 family including C5a and C5n;
// "m5a.*" allows M5a but not M5n; "m5.8xlarge", "c5*.*", "r*", "*3*".
func TestPatternDocExamples(t *testing.T) {
	cases := []struct {
		pat, name string
		want      bool
	}{
		{"c5*", "c5.large", true}, {"c5*", "c5a.xlarge", true}, {"c5*", "c5n.metal", true}, {"c5*", "c6g.large", false},
		{"m5a.*", "m5a.large", true}, {"m5a.*", "m5n.large", false}, {"m5a.*", "m5ad.large", false},
		{"m5.8xlarge", "m5.8xlarge", true}, {"m5.8xlarge", "m5.8xlarge2", false}, {"m5.8xlarge", "m5.4xlarge", false},
		{"c5*.*", "c5d.2xlarge", true}, {"c5*.*", "c6.large", false},
		{"r*", "r5.large", true}, {"r*", "m5.large", false},
		{"*3*", "t3.micro", true}, {"*3*", "m5.xlarge", false}, {"*3*", "r5.3xlarge", true},
		{"*", "anything", true}, {"M5.*", "m5.large", true}, {"*.metal", "m5.metal", true}, {"*.metal", "m5.large", false},
		{"m*5*.large", "m5.large", true}, {"a*a", "a", false}, {"a*a", "aa", true},
	}
	for _, c := range cases {
		p := compilePattern(c.pat)
		if got := p.match(c.name); got != c.want {
			t.Errorf("%q matches %q = %v, want %v", c.pat, c.name, got, c.want)
		}
	}
}

// FuzzPattern compares the matcher with a regular expression built from the same pattern.
func FuzzPattern(f *testing.F) {
	for _, s := range [][2]string{{"c5*", "c5n.large"}, {"m5a.*", "m5n.large"}, {"*3*", "t3.micro"}, {"a*a", "a"}, {"**", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pat, name string) {
		if len(pat) > 30 || strings.ContainsAny(pat, "\x00") {
			return
		}
		name = strings.ToLower(name)
		parts := strings.Split(strings.ToLower(pat), "*")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		re := regexp.MustCompile("(?s)^" + strings.Join(parts, ".*") + "$")
		p := compilePattern(pat)
		if got, want := p.match(name), re.MatchString(name); got != want {
			t.Errorf("pattern %q on %q: got %v, regexp says %v", pat, name, got, want)
		}
	})
}

func FuzzParseNetworkPerformance(f *testing.F) {
	for _, s := range []string{"25 Gigabit", "Up to 12.5 Gigabit", "4x 100 Gigabit", "High", "Low to Moderate", "", "x Gigabit", "NaN Gigabit"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, _, ok := parseNetworkPerformance(s)
		if ok && (g < 0 || g != g) {
			t.Errorf("%q parsed to %v", s, g)
		}
	})
}

func TestParseNetworkPerformance(t *testing.T) {
	cases := []struct {
		in       string
		gbps     float64
		upTo, ok bool
	}{
		{"25 Gigabit", 25, false, true}, {"Up to 12.5 Gigabit", 12.5, true, true}, {"4x 100 Gigabit", 400, false, true},
		{"16x 100 Gigabit", 1600, false, true}, {"High", 0, false, false}, {"Low to Moderate", 0, false, false},
		{"Very Low", 0, false, false}, {"3.12 Gigabit", 3.12, false, true},
	}
	for _, c := range cases {
		g, up, ok := parseNetworkPerformance(c.in)
		if g != c.gbps || up != c.upTo || ok != c.ok {
			t.Errorf("parseNetworkPerformance(%q) = %v, %v, %v; want %v, %v, %v", c.in, g, up, ok, c.gbps, c.upTo, c.ok)
		}
	}
}

// Karpenter's labels: m5d → (m, 5); inf2 → (inf, 2); u-12tb1 → (u, 1); c7i-flex → (c, 7);
// mac2-m2pro → (mac, 2); u7in-16tb → (u, 7).
func TestCategoryAndGeneration(t *testing.T) {
	cases := map[string]struct {
		cat string
		gen int
	}{"m5d": {"m", 5}, "inf2": {"inf", 2}, "u-12tb1": {"u", 1}, "c7i-flex": {"c", 7}, "mac2-m2pro": {"mac", 2}, "u7in-16tb": {"u", 7}, "x2iedn": {"x", 2}}
	for fam, want := range cases {
		if c, g := categoryAndGeneration(fam); c != want.cat || g != want.gen {
			t.Errorf("%s: got (%s, %d), want (%s, %d)", fam, c, g, want.cat, want.gen)
		}
	}
}
