package msk

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseBrokerList(t *testing.T) {
	got, err := parseBrokerList(" b-1.x:9098, ,b-2.x:9098,[::1]:9092,")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b-1.x:9098", "b-2.x:9098", "[::1]:9092"}; !cmp.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"", " , ", "b-1", "b-1:", ":9092", "b-1:0", "b-1:65536", "b-1:+80", "b-1:http", "a b:9092", "::1:9092"} {
		if _, err := parseBrokerList(bad); err == nil {
			t.Errorf("parseBrokerList(%q) accepted", bad)
		}
	}
}

func FuzzParseBrokerList(f *testing.F) {
	for _, s := range []string{"b-1.x:9098,b-2.x:9098", "[::1]:9092", "a:1,,b:2", ":", "a:99999", "a:-1", "\xff:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		brokers, err := parseBrokerList(s)
		if err != nil {
			return
		}
		if len(brokers) == 0 {
			t.Fatalf("parseBrokerList(%q) returned no brokers and no error", s)
		}
		again, err := parseBrokerList(strings.Join(brokers, ","))
		if err != nil || !cmp.Equal(again, brokers) {
			t.Fatalf("reparse of %v = %v, %v", brokers, again, err)
		}
	})
}
