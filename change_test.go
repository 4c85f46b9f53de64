package datablocks

import "testing"

func TestChange(t *testing.T) {
	for _, tc := range []struct {
		c     Change
		wrote bool
		s     string
	}{
		{Change{}, false, "unchanged"},
		{Change{Action: Unchanged}, false, "unchanged"},
		{Change{Action: Created}, true, "created"},
		{Change{Action: Updated, Changed: []string{"partitions", "retention.ms"}}, true, "updated (partitions, retention.ms)"},
		{Change{Action: Deleted}, true, "deleted"},
	} {
		if got := tc.c.Wrote(); got != tc.wrote {
			t.Errorf("%+v.Wrote() = %v, want %v", tc.c, got, tc.wrote)
		}
		if got := tc.c.String(); got != tc.s {
			t.Errorf("%+v.String() = %q, want %q", tc.c, got, tc.s)
		}
	}
}
