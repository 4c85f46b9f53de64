package instances

import "testing"

func TestRangeString(t *testing.T) {
	if s := Between(4, 16).string(); s != "[4, 16]" {
		t.Error(s)
	}
	if s := FloatAtLeast(2.5).string(); s != "[2.5, ∞]" {
		t.Error(s)
	}
	if s := (Range[int32]{}).string(); s != "[0, ∞]" {
		t.Error(s)
	}
}
