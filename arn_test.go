package datablocks

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Partitions and DNS suffixes as listed in the AWS General Reference and the SDK's
// partitions.json.
func TestPartitionForRegion(t *testing.T) {
	tests := []struct {
		region, id, suffix string
	}{
		{"us-east-1", "aws", "amazonaws.com"},
		{"eu-west-1", "aws", "amazonaws.com"},
		{"ap-southeast-7", "aws", "amazonaws.com"},
		{"cn-north-1", "aws-cn", "amazonaws.com.cn"},
		{"cn-northwest-1", "aws-cn", "amazonaws.com.cn"},
		{"us-gov-west-1", "aws-us-gov", "amazonaws.com"},
		{"us-gov-east-1", "aws-us-gov", "amazonaws.com"},
		{"us-iso-east-1", "aws-iso", "c2s.ic.gov"},
		{"us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"},
		{"eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk"},
		{"us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov"},
		{"eusc-de-east-1", "aws-eusc", "amazonaws.eu"},
		// The SDK's pseudo-regions (partitions.json lists the -global ones as regions of
		// their partition; the FIPS forms name the region they stand for).
		{"aws-global", "aws", "amazonaws.com"},
		{"aws-cn-global", "aws-cn", "amazonaws.com.cn"},
		{"aws-us-gov-global", "aws-us-gov", "amazonaws.com"},
		{"aws-iso-b-global", "aws-iso-b", "sc2s.sgov.gov"},
		{"fips-us-gov-west-1", "aws-us-gov", "amazonaws.com"},
		{"us-gov-east-1-fips", "aws-us-gov", "amazonaws.com"},
		{"fips-us-east-1", "aws", "amazonaws.com"},
	}
	for _, tt := range tests {
		p := PartitionForRegion(tt.region)
		if p.ID != tt.id || p.DNSSuffix != tt.suffix {
			t.Errorf("PartitionForRegion(%q) = %+v, want {%s %s}", tt.region, p, tt.id, tt.suffix)
		}
	}
}

func TestPartitionARNAndHost(t *testing.T) {
	tests := []struct {
		region, service, account, resource, wantARN, wantHost string
	}{
		{"us-east-1", "kafka", "123456789012", "cluster/orders/abcd-1234", "arn:aws:kafka:us-east-1:123456789012:cluster/orders/abcd-1234", "kafka.us-east-1.amazonaws.com"},
		{"cn-north-1", "kafka", "123456789012", "cluster/orders/abcd-1234", "arn:aws-cn:kafka:cn-north-1:123456789012:cluster/orders/abcd-1234", "kafka.cn-north-1.amazonaws.com.cn"},
		{"us-gov-west-1", "glue", "123456789012", "catalog", "arn:aws-us-gov:glue:us-gov-west-1:123456789012:catalog", "glue.us-gov-west-1.amazonaws.com"},
	}
	for _, tt := range tests {
		p := PartitionForRegion(tt.region)
		if got := p.ARN(tt.service, tt.region, tt.account, tt.resource); got != tt.wantARN {
			t.Errorf("ARN = %q, want %q", got, tt.wantARN)
		}
		if got := p.ServiceHost(tt.service, tt.region); got != tt.wantHost {
			t.Errorf("ServiceHost = %q, want %q", got, tt.wantHost)
		}
	}
	// Global resources: IAM roles have no region, S3 buckets neither region nor account.
	if got := partitionAWSCN.ARN("iam", "", "123456789012", "role/etl"); got != "arn:aws-cn:iam::123456789012:role/etl" {
		t.Errorf("IAM role ARN = %q", got)
	}
	if got := partitionAWSUSGov.ARN("s3", "", "", "bucket/*"); got != "arn:aws-us-gov:s3:::bucket/*" {
		t.Errorf("S3 ARN = %q", got)
	}
}

func TestParseARN(t *testing.T) {
	good := map[string]arn.ARN{
		"arn:aws:kafka:us-east-1:123456789012:topic/orders/abcd-1234/*": {Partition: "aws", Service: "kafka", Region: "us-east-1", AccountID: "123456789012", Resource: "topic/orders/abcd-1234/*"},
		"arn:aws-cn:s3:::bucket/key with spaces":                        {Partition: "aws-cn", Service: "s3", Resource: "bucket/key with spaces"},
		"arn:aws:iam::aws:policy/AdministratorAccess":                   {Partition: "aws", Service: "iam", AccountID: "aws", Resource: "policy/AdministratorAccess"},
		"arn:aws:iam::*:role/*":                                         {Partition: "aws", Service: "iam", AccountID: "*", Resource: "role/*"},
		// The resource keeps its own colons (CloudWatch Logs log groups).
		"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:*": {Partition: "aws", Service: "logs", Region: "us-east-1", AccountID: "123456789012", Resource: "log-group:/aws/lambda/fn:*"},
		// Policy variables may stand for the account.
		"arn:aws-us-gov:iam::${aws:PrincipalAccount}:role/x": {Partition: "aws-us-gov", Service: "iam", AccountID: "${aws:PrincipalAccount}", Resource: "role/x"},
		"arn:aws-iso-f:s3:::b":                               {Partition: "aws-iso-f", Service: "s3", Resource: "b"},
	}
	for in, want := range good {
		got, err := ParseARN(in)
		if err != nil {
			t.Errorf("ParseARN(%q): %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("ParseARN(%q) = %+v, want %+v", in, got, want)
		}
	}
	for _, in := range []string{
		"", "arn", "arn:aws:s3", "aws:s3:::bucket", "arn:aws::us-east-1:123456789012:x",
		"arn:aws:s3:::", "arn:awz:s3:::bucket", "arn:aws:iam::12345:role/x",
		"arn:aws:iam::1234567890123:role/x", "arn:AWS:s3:::bucket", "arn:aws-cn:s3::bucket",
	} {
		if _, err := ParseARN(in); err == nil {
			t.Errorf("ParseARN(%q) accepted a malformed ARN", in)
		}
	}
}

func FuzzParseARN(f *testing.F) {
	for _, s := range []string{
		"arn:aws:kafka:us-east-1:123456789012:cluster/orders/abcd",
		"arn:aws-cn:s3:::b/*", "arn:aws:iam::*:role/*", "arn:::::", "arn:aws:glue:eu-west-1:123456789012:table/db/t",
		"arn:aws:iam::${aws:PrincipalAccount}:role/${aws:username}", "arn:aws:s3:::${x", "arn:aws:logs:*:*:log-group:/a:*",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		a, err := ParseARN(in)
		if err != nil {
			return
		}
		if _, ok := partitionByID(a.Partition); !ok || a.Service == "" || a.Resource == "" {
			t.Fatalf("ParseARN(%q) accepted %+v", in, a)
		}
		// Without policy variables the fields are the SDK parser's.
		if !strings.Contains(in, "${") {
			if sdk, err := arn.Parse(in); err != nil || sdk != a {
				t.Fatalf("ParseARN(%q) = %+v, arn.Parse = %+v, %v", in, a, sdk, err)
			}
		}
		// The account is absent, 12 digits, "aws" (AWS managed policies) or a pattern.
		if acc := a.AccountID; acc != "" && acc != "aws" && !IsAccountID(acc) && !strings.ContainsAny(acc, "*?${}") {
			t.Fatalf("ParseARN(%q) accepted account %q", in, acc)
		}
		// A parsed ARN prints back to the same text and parses to the same value.
		if a.String() != in {
			t.Fatalf("String() = %q, want %q", a.String(), in)
		}
		b, err := ParseARN(a.String())
		if err != nil || b != a {
			t.Fatalf("reparse = %+v, %v", b, err)
		}
	})
}
