package msk

import (
	"strings"
	"testing"
)

const (
	exampleClusterARN = "arn:aws:kafka:eu-west-1:111122223333:cluster/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
	chinaClusterARN   = "arn:aws-cn:kafka:cn-north-1:111122223333:cluster/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
)

func TestClusterARNBuilders(t *testing.T) {
	for _, tc := range []struct {
		name, cluster, kind, arg, want string
	}{
		{"topic", exampleClusterARN, "topic", "payments.v1", "arn:aws:kafka:eu-west-1:111122223333:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/payments.v1"},
		{"group", exampleClusterARN, "group", "billing", "arn:aws:kafka:eu-west-1:111122223333:group/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/billing"},
		{"all groups", exampleClusterARN, "group", "*", "arn:aws:kafka:eu-west-1:111122223333:group/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/*"},
		{"transactional id", exampleClusterARN, "transactional-id", "tx-1", "arn:aws:kafka:eu-west-1:111122223333:transactional-id/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/tx-1"},
		{"china topic", chinaClusterARN, "topic", "t", "arn:aws-cn:kafka:cn-north-1:111122223333:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/t"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseClusterARN(tc.cluster)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			switch tc.kind {
			case "topic":
				got = c.Topic(tc.arg)
			default:
				got = c.resourceARN(tc.kind, tc.arg)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			r, err := parseResource(got)
			if err != nil {
				t.Fatalf("parseResource(%q): %v", got, err)
			}
			if r.Kind != tc.kind || r.Name != tc.arg || r.Cluster != c || r.String() != got {
				t.Errorf("parseResource(%q) = %+v, want kind %q name %q cluster %+v", got, r, tc.kind, tc.arg, c)
			}
		})
	}
}

func TestParseResourceErrors(t *testing.T) {
	for _, tc := range []struct{ in, wantErr string }{
		{"", "invalid ARN"},
		{"arn:aws:kafka:eu-west-1:111122223333", "invalid ARN"},
		{"arn:aws:s3:::bucket/key", "service is \"s3\""},
		{"arn:nope:kafka:eu-west-1:111122223333:cluster/a/b", "unknown partition"},
		{"arn:aws:kafka::111122223333:cluster/a/b", "region"},
		{"arn:aws:kafka:eu-west-1:1234:cluster/a/b", "12 digits"},
		{"arn:aws:kafka:eu-west-1:111122223333:cluster", "resource \"cluster\""},
		{"arn:aws:kafka:eu-west-1:111122223333:cluster/a", "lacks the cluster name or UUID"},
		{"arn:aws:kafka:eu-west-1:111122223333:cluster/a/b/c", "ends after the cluster UUID"},
		{"arn:aws:kafka:eu-west-1:111122223333:cluster/-a/b", "cluster name"},
		{"arn:aws:kafka:eu-west-1:111122223333:cluster/a_b/b", "cluster name"},
		{"arn:aws:kafka:eu-west-1:111122223333:cluster/" + strings.Repeat("a", 65) + "/b", "1 to 64"},
		{"arn:aws:kafka:eu-west-1:111122223333:cluster/a/b_c", "cluster UUID"},
		{"arn:aws:kafka:eu-west-1:111122223333:topic/a/b", "lacks the topic name"},
		{"arn:aws:kafka:eu-west-1:111122223333:topic/a/b/", "lacks the topic name"},
		{"arn:aws:kafka:eu-west-1:111122223333:topic/a/b/has space", "contains ' '"},
		{"arn:aws:kafka:eu-west-1:111122223333:group/a/b/has space", "white space"},
		{"arn:aws:kafka:eu-west-1:111122223333:vpc-connection/a/b", "resource kind \"vpc-connection\""},
	} {
		_, err := parseResource(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("parseResource(%q) error = %v, want one containing %q", tc.in, err, tc.wantErr)
		}
	}
}

func FuzzParseResource(f *testing.F) {
	for _, s := range []string{
		exampleClusterARN, chinaClusterARN,
		"arn:aws:kafka:eu-west-1:111122223333:topic/orders/uuid-1/payments",
		"arn:aws:kafka:eu-west-1:111122223333:group/orders/uuid-1/a/b/c",
		"arn:aws:kafka:eu-west-1:111122223333:transactional-id/orders/uuid-1/*",
		"arn:aws:kafka:eu-west-1:111122223333:cluster/orders",
		"arn:aws:kafka:eu-west-1:111122223333:cluster//",
		"arn:::::", "arn:aws:kafka:eu-west-1:111122223333:topic/a/b/\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseResource(s)
		if err != nil {
			return
		}
		// A parsed ARN prints back to itself and parses to the same value.
		if got := r.String(); got != s {
			t.Fatalf("parseResource(%q).String() = %q", s, got)
		}
		again, err := parseResource(r.String())
		if err != nil || again != r {
			t.Fatalf("reparse of %q = %+v, %v; want %+v", s, again, err, r)
		}
		if r.Kind == kindCluster {
			if c, err := ParseClusterARN(s); err != nil || c != r.Cluster {
				t.Fatalf("ParseClusterARN(%q) = %+v, %v; want %+v", s, c, err, r.Cluster)
			}
		} else if r.Name == "" {
			t.Fatalf("parseResource(%q): %s ARN with an empty name", s, r.Kind)
		}
	})
}
