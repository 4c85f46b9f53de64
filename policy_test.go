package datablocks

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// asJSON decodes JSON text into generic values so that comparisons ignore white space and
// object key order but not array order or string-versus-array forms.
func asJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("invalid JSON %q: %v", s, err)
	}
	return v
}

// The inputs below are examples from the IAM User Guide (JSON policy reference, PassRole and
// trust policy pages, S3 bucket policy examples). The expected outputs are the same documents in
// the form IAM prints: single values as strings, several as arrays.
func TestPolicyRoundTripIAMExamples(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			name: "identity policy with three statements",
			in: `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "FirstStatement", "Effect": "Allow", "Action": ["iam:ChangePassword"], "Resource": "*"},
    {"Sid": "SecondStatement", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
    {"Sid": "ThirdStatement", "Effect": "Allow", "Action": ["s3:List*", "s3:Get*"],
     "Resource": ["arn:aws:s3:::confidential-data", "arn:aws:s3:::confidential-data/*"],
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
  ]
}`,
			want: `{"Version":"2012-10-17","Statement":[
  {"Sid":"FirstStatement","Effect":"Allow","Action":"iam:ChangePassword","Resource":"*"},
  {"Sid":"SecondStatement","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"},
  {"Sid":"ThirdStatement","Effect":"Allow","Action":["s3:List*","s3:Get*"],
   "Resource":["arn:aws:s3:::confidential-data","arn:aws:s3:::confidential-data/*"],
   "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`,
		},
		{
			name: "trust policy with a single statement object and a boolean condition",
			in:   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:SecureTransport":true}}}}`,
			want: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`,
		},
		{
			name: "bucket policy with Id, anonymous principal and IP conditions",
			in: `{"Version":"2012-10-17","Id":"PolicyId2","Statement":[{"Sid":"AllowIPmix","Effect":"Allow","Principal":"*","Action":"s3:*",
  "Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET","arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
  "Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:DB8:1234:5678::/64"]},
               "NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678:ABCD::/80"]}}}]}`,
			want: `{"Version":"2012-10-17","Id":"PolicyId2","Statement":[{"Sid":"AllowIPmix","Effect":"Allow","Principal":"*","Action":"s3:*",
  "Resource":["arn:aws:s3:::DOC-EXAMPLE-BUCKET","arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
  "Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:DB8:1234:5678::/64"]},
               "NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678:ABCD::/80"]}}}]}`,
		},
		{
			name: "PassRole conditioned on the service, numeric condition value",
			in:   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"},"NumericLessThanEquals":{"aws:MultiFactorAuthAge":3600}}}]}`,
			want: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*","Condition":{"NumericLessThanEquals":{"aws:MultiFactorAuthAge":"3600"},"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}`,
		},
		{
			name: "cross-account principal list and NotAction",
			in:   `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:root","444455556666"]},"NotAction":["iam:*"],"NotResource":"arn:aws:iam::444455556666:role/admin"}]}`,
			want: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:root","444455556666"]},"NotAction":"iam:*","NotResource":"arn:aws:iam::444455556666:role/admin"}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Validate(); err != nil {
				t.Fatalf("documented example does not validate: %v", err)
			}
			got, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(asJSON(t, tt.want), asJSON(t, string(got))); diff != "" {
				t.Fatalf("JSON (-want +got):\n%s", diff)
			}
			again, err := ParsePolicy(got)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(p, again); diff != "" {
				t.Fatalf("second round trip changed the policy (-first +second):\n%s", diff)
			}
		})
	}
}

func TestPolicyMarshalIsDeterministicAndOrdered(t *testing.T) {
	p := NewPolicy(Statement{
		Sid:      "Read",
		Effect:   Allow,
		Action:   []string{"s3:GetObject"},
		Resource: []string{"arn:aws:s3:::b/*"},
		Condition: Condition{
			"StringLike":   {"s3:prefix": {"home/", "home/*"}},
			"StringEquals": {"aws:PrincipalTag/team": {"data"}, "aws:RequestedRegion": {"eu-west-1"}},
		},
	})
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",` +
		`"Condition":{"StringEquals":{"aws:PrincipalTag/team":"data","aws:RequestedRegion":"eu-west-1"},"StringLike":{"s3:prefix":["home/","home/*"]}}}]}`
	for range 20 {
		if got := p.Compact(); got != want {
			t.Fatalf("Compact() =\n%s\nwant\n%s", got, want)
		}
	}
}

func TestParsePolicyRejectsMalformed(t *testing.T) {
	for name, in := range map[string]string{
		"not json":            `{`,
		"no statement":        `{"Version":"2012-10-17"}`,
		"principal string":    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::1:root","Action":"s3:*"}]}`,
		"unknown field":       `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Actions":"s3:*","Resource":"*"}]}`,
		"object action":       `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{"a":1},"Resource":"*"}]}`,
		"null condition list": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"k":[null]}}}]}`,
	} {
		if _, err := ParsePolicy([]byte(in)); err == nil {
			t.Errorf("%s: ParsePolicy accepted %s", name, in)
		}
	}
}

// validStatement is a statement every rule accepts; each case below breaks one rule.
func validStatement() Statement {
	return Statement{Sid: "Ok", Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::bucket/*"}}
}

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(p *Policy)
		wantErr string // empty: must validate
	}{
		{"valid", func(*Policy) {}, ""},
		{"empty actions", func(p *Policy) { p.Statements[0].Action = nil }, "no actions"},
		{"both Action and NotAction", func(p *Policy) { p.Statements[0].NotAction = []string{"s3:*"} }, "both Action and NotAction"},
		{"malformed action", func(p *Policy) { p.Statements[0].Action = []string{"GetObject"} }, `action "GetObject" is not of the form`},
		{"empty resources", func(p *Policy) { p.Statements[0].Resource = nil }, "no resources"},
		{"trust policy needs no resource", func(p *Policy) {
			p.Statements[0] = Statement{Effect: Allow, Principal: &Principal{Service: []string{"elasticmapreduce.amazonaws.com"}}, Action: []string{"sts:AssumeRole"}}
		}, ""},
		{"malformed ARN", func(p *Policy) { p.Statements[0].Resource = []string{"arn:aws:s3"} }, `resource "arn:aws:s3" is not`},
		{"unknown partition", func(p *Policy) { p.Statements[0].Resource = []string{"arn:awz:s3:::b"} }, `resource "arn:awz:s3:::b"`},
		{"bad effect", func(p *Policy) { p.Statements[0].Effect = "allow" }, `Effect "allow"`},
		{"unknown condition operator", func(p *Policy) {
			p.Statements[0].Condition = Condition{"StringEqual": {"aws:SourceAccount": {"111122223333"}}}
		}, `unknown condition operator "StringEqual"`},
		{"NullIfExists is not an operator", func(p *Policy) {
			p.Statements[0].Condition = Condition{"NullIfExists": {"aws:TokenIssueTime": {"true"}}}
		}, "unknown condition operator"},
		{"set prefix and IfExists accepted", func(p *Policy) {
			p.Statements[0].Condition = Condition{
				"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": {"team*"}},
				"ForAllValues:StringEquals":      {"aws:TagKeys": {"team", "env"}},
				"Null":                           {"aws:TokenIssueTime": {"false"}},
			}
		}, ""},
		{"condition key without values", func(p *Policy) {
			p.Statements[0].Condition = Condition{"StringEquals": {"aws:SourceAccount": {}}}
		}, "has no values"},
		{"PassRole without PassedToService", func(p *Policy) {
			p.Statements[0].Action = []string{"iam:PassRole"}
			p.Statements[0].Resource = []string{"arn:aws:iam::111122223333:role/job"}
		}, "iam:PassRole without an iam:PassedToService"},
		{"wildcard action covering PassRole", func(p *Policy) {
			p.Statements[0].Action = []string{"iam:Pass*"}
			p.Statements[0].Resource = []string{"arn:aws:iam::111122223333:role/job"}
		}, "iam:PassRole without an iam:PassedToService"},
		{"PassRole with PassedToService", func(p *Policy) {
			p.Statements[0].Action = []string{"iam:PassRole"}
			p.Statements[0].Resource = []string{"arn:aws:iam::111122223333:role/job"}
			p.Statements[0].Condition = Condition{"StringEquals": {"iam:PassedToService": {"emr-serverless.amazonaws.com"}}}
		}, ""},
		{"Deny PassRole needs no condition", func(p *Policy) {
			p.Statements[0].Effect = Deny
			p.Statements[0].Action = []string{"iam:PassRole"}
		}, ""},
		{"leftover placeholder", func(p *Policy) { p.Statements[0].Resource = []string{"arn:aws:s3:::${BucketName}/*"} }, `leftover placeholder "${BucketName}"`},
		{"policy variable allowed", func(p *Policy) {
			p.Statements[0].Resource = []string{"arn:aws:s3:::bucket/home/${aws:username}/*"}
		}, ""},
		{"duplicate Sid", func(p *Policy) { p.Statements = append(p.Statements, validStatement()) }, "Sid duplicates Statement[0]"},
		{"bad AWS principal", func(p *Policy) {
			p.Statements[0].Principal = &Principal{AWS: []string{"alice"}}
		}, `AWS principal "alice"`},
		{"empty principal", func(p *Policy) { p.Statements[0].Principal = &Principal{} }, "empty principal"},
		{"wrong version", func(p *Policy) { p.Version = "2012-10-18" }, `Version "2012-10-18"`},
		{"no statements", func(p *Policy) { p.Statements = nil }, "no statements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPolicy(validStatement())
			tt.mutate(&p)
			err := p.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Validate() = nil, want an error containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("Validate() = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestValidateSizeLimit(t *testing.T) {
	// Each resource ARN "arn:aws:s3:::bucket-with-a-long-name-0000/*" is 42 characters plus
	// quotes and a comma: 300 of them are well over 10,240 characters.
	var res []string
	for i := range 300 {
		res = append(res, fmt.Sprintf("arn:aws:s3:::bucket-with-a-long-name-%04d/*", i))
	}
	p := NewPolicy(Statement{Effect: Allow, Action: []string{"s3:GetObject"}, Resource: res})
	err := p.Validate()
	if !errors.Is(err, ErrPolicyTooLarge) {
		t.Fatalf("Validate() = %v, want ErrPolicyTooLarge", err)
	}
	small := NewPolicy(Statement{Effect: Allow, Action: []string{"s3:GetObject"}, Resource: res[:100]})
	if err := small.Validate(); err != nil {
		t.Fatalf("100 resources: %v", err)
	}
}

func TestSizeExcludesWhiteSpace(t *testing.T) {
	p := NewPolicy(Statement{Sid: "A", Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::my bucket/*"}})
	// {"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::mybucket/*"}]}
	// counted by hand, without the space inside the ARN: {"Version":"2012-10-17", (24)
	// "Statement":[ (13) {"Sid":"A", (11) "Effect":"Allow", (17) "Action":"s3:GetObject", (24)
	// "Resource":"arn:aws:s3:::mybucket/*" (36) }]} (3) = 128 characters.
	if got := p.Size(); got != 128 {
		t.Fatalf("Size() = %d, want 128", got)
	}
}

func TestMergeBySid(t *testing.T) {
	base := NewPolicy(Statement{Sid: "Read", Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::a/*"}})
	got, err := base.Merge(
		Statement{Sid: "Read", Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*", "arn:aws:s3:::a/*"}},
		Statement{Sid: "List", Effect: Allow, Action: []string{"s3:ListBucket"}, Resource: []string{"arn:aws:s3:::a"}},
		Statement{Sid: "List", Effect: Allow, Action: []string{"s3:GetBucketLocation"}, Resource: []string{"arn:aws:s3:::a"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := NewPolicy(
		Statement{Sid: "Read", Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*"}},
		Statement{Sid: "List", Effect: Allow, Action: []string{"s3:ListBucket", "s3:GetBucketLocation"}, Resource: []string{"arn:aws:s3:::a"}},
	)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Merge (-want +got):\n%s", diff)
	}
	if len(base.Statements[0].Resource) != 1 {
		t.Fatal("Merge modified its receiver")
	}
	// Different actions AND resources would grant the cross product: refused.
	if _, err := got.Merge(Statement{Sid: "Read", Effect: Allow, Action: []string{"s3:PutObject"}, Resource: []string{"arn:aws:s3:::c/*"}}); err == nil {
		t.Fatal("Merge widened a statement across both actions and resources")
	}
	if _, err := got.Merge(Statement{Sid: "Read", Effect: Deny, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::a/*"}}); err == nil {
		t.Fatal("Merge combined Allow and Deny")
	}
}

func TestPutAndRemove(t *testing.T) {
	p := NewPolicy(validStatement())
	replaced := p.Put(Statement{Sid: "Ok", Effect: Deny, Action: []string{"s3:*"}, Resource: []string{"*"}})
	if len(replaced.Statements) != 1 || replaced.Statements[0].Effect != Deny {
		t.Fatalf("Put did not replace by Sid: %+v", replaced.Statements)
	}
	if p.Statements[0].Effect != Allow {
		t.Fatal("Put modified its receiver")
	}
	added := replaced.Put(Statement{Sid: "Other", Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"*"}})
	if len(added.Statements) != 2 {
		t.Fatalf("Put of a new Sid: %d statements, want 2", len(added.Statements))
	}
	removed, ok := added.Remove("Ok")
	if !ok || len(removed.Statements) != 1 || removed.Statements[0].Sid != "Other" {
		t.Fatalf("Remove = %+v, %v", removed.Statements, ok)
	}
	if _, ok := removed.Remove("Missing"); ok {
		t.Fatal("Remove reported a missing Sid as removed")
	}
}

func FuzzParsePolicy(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	f.Add(`{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Deny","Principal":"*","NotAction":["a:b","c:d"],"Condition":{"Bool":{"k":[true,1.5,"s"]}}}]}`)
	f.Add(`{"Statement":[{"Principal":{"AWS":["1","2"],"Service":"s"},"Action":[]}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		p, err := ParsePolicy([]byte(in))
		if err != nil {
			return
		}
		_ = p.Validate()
		first, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("a parsed policy does not marshal: %v", err)
		}
		q, err := ParsePolicy(first)
		if err != nil {
			t.Fatalf("marshalled policy does not parse back: %v\n%s", err, first)
		}
		second, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		if string(first) != string(second) {
			t.Fatalf("marshal is not stable:\n%s\n%s", first, second)
		}
	})
}
