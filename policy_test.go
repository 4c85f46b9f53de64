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
		{
			name: "S3 canonical user principal, number in an array",
			in: `{"Version":"2012-10-17","Statement":[{"Sid":"GrantOAI","Effect":"Allow",
  "Principal":{"Service":["s3.amazonaws.com"],"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be","AWS":["111122223333"]},
  "Action":["s3:GetObject"],"Resource":["arn:aws:s3:::amzn-s3-demo-bucket/*"],
  "Condition":{"NumericLessThan":{"s3:max-keys":[10]},"StringEquals":{"s3:x-amz-acl":["bucket-owner-full-control"]}}}]}`,
			want: `{"Version":"2012-10-17","Statement":[{"Sid":"GrantOAI","Effect":"Allow",
  "Principal":{"AWS":"111122223333","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be","Service":"s3.amazonaws.com"},
  "Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*",
  "Condition":{"NumericLessThan":{"s3:max-keys":"10"},"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}`,
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

func TestStatementMarshalFieldOrder(t *testing.T) {
	// IAM's element order: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource,
	// NotResource, Condition; principal keys AWS, CanonicalUser, Federated, Service.
	s := Statement{
		Condition: Condition{"Bool": {"aws:SecureTransport": {"true"}}},
		Action:    []string{"sts:AssumeRole", "sts:TagSession"},
		Principal: &Principal{Service: []string{"glue.amazonaws.com"}, Federated: []string{"cognito-identity.amazonaws.com"}, AWS: []string{"111122223333"}},
		Effect:    Allow,
		Sid:       "Trust",
	}
	want := `{"Sid":"Trust","Effect":"Allow","Principal":{"AWS":"111122223333","Federated":"cognito-identity.amazonaws.com","Service":"glue.amazonaws.com"},` +
		`"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"Bool":{"aws:SecureTransport":"true"}}}`
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("Marshal =\n%s\nwant\n%s", got, want)
	}
	deny := Statement{Effect: Deny, NotPrincipal: &Principal{All: true}, NotAction: []string{"s3:GetObject"}, NotResource: []string{"*"}}
	if got, _ := json.Marshal(deny); string(got) != `{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:GetObject","NotResource":"*"}` {
		t.Fatalf("Marshal = %s", got)
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
	f.Add(`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::${aws:PrincipalAccount}:role/${AWS::Region}",` +
		`"Condition":{"ForAnyValue:StringLikeIfExists":{"iam:PassedToService":["*",3]}}}]}`)
	f.Add(`{"Version":"2012-10-17","Statement":[{"effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a&b"}]}`)
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

// Real policies from the AWS documentation (IAM User Guide, S3, KMS, EKS and Cognito guides)
// that IAM accepts; Validate must accept them too. Account IDs and bucket names are the
// documentation's.
func TestValidateAcceptsDocumentedPolicies(t *testing.T) {
	for name, doc := range map[string]string{
		"S3 home folders with ${aws:username}": `{"Version":"2012-10-17","Statement":[
  {"Sid":"AllowListingOfUserFolder","Action":["s3:ListBucket"],"Effect":"Allow","Resource":["arn:aws:s3:::amzn-s3-demo-bucket"],
   "Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*","home/${aws:username}"]}}},
  {"Sid":"AllowAllS3ActionsInUserFolder","Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*"]}]}`,
		"policy variable with a default value": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],
  "Resource":["arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team, 'company-wide'}/*"]}]}`,
		"SAML trust policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
  "Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/ExampleOrgSSOProvider"},"Action":"sts:AssumeRoleWithSAML",
  "Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`,
		"Cognito web identity trust policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
  "Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
  "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:12345678-abcd-abcd-abcd-123456789012"},
               "ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"unauthenticated"}}}]}`,
		"EKS IRSA trust policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
  "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},
  "Action":"sts:AssumeRoleWithWebIdentity",
  "Condition":{"StringEquals":{"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub":"system:serviceaccount:default:my-service-account",
                               "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud":"sts.amazonaws.com"}}}]}`,
		"S3 deny insecure transport to anyone": `{"Version":"2012-10-17","Statement":[{"Sid":"AllowSSLRequestsOnly","Action":"s3:*","Effect":"Deny",
  "Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],
  "Condition":{"Bool":{"aws:SecureTransport":"false"}},"Principal":"*"}]}`,
		"CloudFront origin access control": `{"Version":"2012-10-17","Statement":{"Sid":"AllowCloudFrontServicePrincipalReadOnly","Effect":"Allow",
  "Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*",
  "Condition":{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}}}`,
		"KMS default key policy (Sid with spaces, AWS principal)": `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions",
  "Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`,
		"old S3 bucket policy, version 2008, anonymous AWS principal": `{"Version":"2008-10-17","Statement":[{"Sid":"AddPerm","Effect":"Allow",
  "Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`,
		"no Version (IAM assumes 2008-10-17)": `{"Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`,
		"MFA guard with NotAction and BoolIfExists": `{"Version":"2012-10-17","Statement":[{"Sid":"BlockMostAccessUnlessSignedInWithMFA","Effect":"Deny",
  "NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:ListMFADevices","iam:ListUsers","iam:ListVirtualMFADevices","iam:ResyncMFADevice"],
  "Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
		"time window with date conditions": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*",
  "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}}]}`,
		"wildcard region and account, tag policy variable": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances"],
  "Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"aws:ResourceTag/Owner":"${aws:username}"}}}]}`,
		"account from a policy variable": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole",
  "Resource":"arn:aws:iam::${aws:PrincipalAccount}:role/${aws:PrincipalTag/project}-*"}]}`,
		"PassRole limited to EC2, as the PassRole page shows": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole",
  "Resource":"arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}`,
		"PassRole to a family of services with StringLike": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole",
  "Resource":"*","Condition":{"StringLike":{"iam:PassedToService":"emr-*.amazonaws.com"}}}]}`,
		"Cognito identity folders in S3": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
  "Resource":["arn:aws:s3:::amzn-s3-demo-bucket/cognito/application-name/${cognito-identity.amazonaws.com:sub}/*"]}]}`,
		"SAML and EC2 policy variables": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
  "Resource":"arn:aws:s3:::amzn-s3-demo-bucket/${saml:sub}/*","Condition":{"ArnEquals":{"ec2:SourceInstanceARN":"${ec2:SourceInstanceARN}"}}}]}`,
		"upper-case service prefix (IAM matches actions case-insensitively)": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"S3:GetObject","Resource":"*"}]}`,
		"escapes ${*} ${?} ${$}": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/literal-${*}${?}${$}"}]}`,
		"GovCloud and China partitions": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
  "Resource":["arn:aws-us-gov:s3:::b/*","arn:aws-cn:s3:::b/*","arn:aws-iso-b:s3:::b/*"]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Validate(); err != nil {
				t.Fatalf("Validate rejected a policy IAM accepts: %v", err)
			}
		})
	}
}

// Each policy below is one IAM accepts or would accept as written but that carries one of the
// mistakes Validate exists to catch (or one IAM itself rejects); wantErr is the part of the
// message naming it.
func TestValidateRejectsMistakes(t *testing.T) {
	const head = `{"Version":"2012-10-17","Statement":[`
	for name, tt := range map[string]struct{ doc, wantErr string }{
		"AdministratorAccess passes every role to any service": {head + `{"Effect":"Allow","Action":"*","Resource":"*"}]}`, "iam:PassRole without an iam:PassedToService"},
		"iam:* passes roles":            {head + `{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`, "iam:PassRole without"},
		"iam:passrole, lower case":      {head + `{"Effect":"Allow","Action":"iam:passrole","Resource":"*"}]}`, "iam:PassRole without"},
		"NotAction leaving PassRole in": {head + `{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}]}`, "iam:PassRole without"},
		"PassedToService only negated": {head + `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*",
  "Condition":{"StringNotEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}]}`, "iam:PassRole without"},
		"PassedToService only checked for presence": {head + `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*",
  "Condition":{"Null":{"iam:PassedToService":"false"}}}]}`, "iam:PassRole without"},
		"PassedToService matching anything": {head + `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*",
  "Condition":{"StringLike":{"iam:PassedToService":"*"}}}]}`, "iam:PassRole without"},
		"CloudFormation pseudo parameter": {head + `{"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::${AWS::AccountId}:role/x"}]}`, `leftover placeholder "${AWS::AccountId}"`},
		"Terraform interpolation":         {head + `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::${var.bucket}/*"}]}`, `leftover placeholder "${var.bucket}"`},
		"template parameter in a condition": {head + `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
  "Condition":{"StringEquals":{"aws:SourceVpce":"${VpcEndpointId}"}}}]}`, `leftover placeholder "${VpcEndpointId}"`},
		"unquoted default value": {head + `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team, none}/*"}]}`, "leftover placeholder"},
		"policy variable in a 2008-10-17 policy": {`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
  "Resource":"arn:aws:s3:::b/home/${aws:username}/*"}]}`, "policy variable ${aws:username} needs Version"},
		"policy variable without a Version": {`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}]}`, "needs Version"},
		"two set prefixes": {head + `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
  "Condition":{"ForAllValues:ForAnyValue:StringEquals":{"aws:TagKeys":"a"}}}]}`, "unknown condition operator"},
		"operator without keys":            {head + `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{}}}]}`, "condition StringEquals has no keys"},
		"wildcard in an AWS principal ARN": {head + `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"sts:AssumeRole"}]}`, "has a wildcard"},
		"resource that is not an ARN":      {head + `{"Effect":"Allow","Action":"s3:GetObject","Resource":"amzn-s3-demo-bucket/*"}]}`, `resource "amzn-s3-demo-bucket/*" is not`},
		"ARN with a short account":         {head + `{"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::12345:role/x"}]}`, `resource "arn:aws:iam::12345:role/x" is not`},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			err = p.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

// IAM's element names are case sensitive; encoding/json's are not, so ParsePolicy checks them.
func TestParsePolicyElementNamesAreCaseSensitive(t *testing.T) {
	for name, doc := range map[string]string{
		"lower-case effect":    `{"Version":"2012-10-17","Statement":[{"effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
		"lower-case statement": `{"Version":"2012-10-17","statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
		"ID instead of Id":     `{"Version":"2012-10-17","ID":"x","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
		"aws principal key":    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"aws":"*"},"Action":"s3:*"}]}`,
		"unknown top level":    `{"Version":"2012-10-17","Statements":[],"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
	} {
		if _, err := ParsePolicy([]byte(doc)); err == nil {
			t.Errorf("%s: ParsePolicy accepted %s", name, doc)
		}
	}
}

// IAM stores and counts "&" as one character; json.Marshal's default \u0026 would count six and
// differ from the text IAM prints.
func TestCompactDoesNotEscapeHTML(t *testing.T) {
	p := NewPolicy(Statement{Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/a&b<c>"}})
	want := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a&b<c>"}]}`
	if got := p.Compact(); got != want {
		t.Fatalf("Compact() = %s, want %s", got, want)
	}
	if got := p.Size(); got != len(want) {
		t.Fatalf("Size() = %d, want %d", got, len(want))
	}
	if !strings.Contains(p.String(), `"arn:aws:s3:::b/a&b<c>"`) || !strings.Contains(p.String(), "\n  \"Statement\": [") {
		t.Fatalf("String() is not indented, unescaped JSON:\n%s", p)
	}
}

// The limit is inclusive: 10,240 characters pass, 10,241 do not.
func TestValidateSizeLimitBoundary(t *testing.T) {
	// {"Version":"2012-10-17", (24) "Statement":[ (13) {"Sid":" (8) <sid> ", (2)
	// "Effect":"Allow", (17) "Action":"s3:GetObject", (24) "Resource":"*" (14) }]} (3):
	// 105 characters plus the Sid.
	at := func(sidLen int) Policy {
		return NewPolicy(Statement{Sid: strings.Repeat("A", sidLen), Effect: Allow, Action: []string{"s3:GetObject"}, Resource: []string{"*"}})
	}
	if err := at(10240 - 105).Validate(); err != nil {
		t.Fatalf("10,240 characters: %v", err)
	}
	err := at(10241 - 105).Validate()
	if !errors.Is(err, ErrPolicyTooLarge) || !strings.Contains(err.Error(), "10241 characters") {
		t.Fatalf("10,241 characters: %v, want ErrPolicyTooLarge naming the size", err)
	}
}

func TestMergeRefusesToUniteNegatedLists(t *testing.T) {
	// Deny everything but bucket a, and Deny everything but bucket b: together they deny
	// everything except what is in both lists (nothing). Uniting the NotResource lists would
	// stop denying a and b, widening access.
	base := NewPolicy(Statement{Sid: "D", Effect: Deny, Action: []string{"s3:*"}, NotResource: []string{"arn:aws:s3:::a/*"}})
	if _, err := base.Merge(Statement{Sid: "D", Effect: Deny, Action: []string{"s3:*"}, NotResource: []string{"arn:aws:s3:::b/*"}}); err == nil {
		t.Fatal("Merge united two NotResource lists")
	}
	na := NewPolicy(Statement{Sid: "N", Effect: Allow, NotAction: []string{"iam:*"}, Resource: []string{"*"}})
	if _, err := na.Merge(Statement{Sid: "N", Effect: Allow, NotAction: []string{"s3:*"}, Resource: []string{"*"}}); err == nil {
		t.Fatal("Merge united two NotAction lists")
	}
	// The same NotResource statement with more actions does unite the actions.
	got, err := base.Merge(Statement{Sid: "D", Effect: Deny, Action: []string{"kms:*"}, NotResource: []string{"arn:aws:s3:::a/*"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"s3:*", "kms:*"}, got.Statements[0].Action); diff != "" {
		t.Fatalf("actions (-want +got):\n%s", diff)
	}
}

// Condition value types, from the IAM condition operator reference: Bool and Null take
// true/false, Numeric operators numbers, Date operators ISO 8601 dates or epoch seconds,
// IpAddress IPv4/IPv6 addresses or CIDR blocks, BinaryEquals base64.
func TestValidateConditionValueTypes(t *testing.T) {
	tests := []struct {
		op, key, value string
		ok             bool
	}{
		{"Bool", "aws:SecureTransport", "false", true},
		{"BoolIfExists", "aws:MultiFactorAuthPresent", "True", true},
		{"Bool", "aws:SecureTransport", "no", false},
		{"Null", "aws:TokenIssueTime", "yes", false},
		{"NumericLessThan", "aws:MultiFactorAuthAge", "3600", true},
		{"NumericLessThan", "aws:MultiFactorAuthAge", "1.5", true},
		{"NumericLessThan", "aws:MultiFactorAuthAge", "one hour", false},
		{"DateGreaterThan", "aws:CurrentTime", "2026-01-01T00:00:00Z", true},
		{"DateLessThan", "aws:CurrentTime", "2026-06-30", true},
		{"DateLessThan", "aws:EpochTime", "1767225600", true},
		{"DateLessThan", "aws:CurrentTime", "next tuesday", false},
		{"IpAddress", "aws:SourceIp", "203.0.113.0/24", true},
		{"NotIpAddress", "aws:SourceIp", "2001:DB8:1234:5678::/64", true},
		{"IpAddress", "aws:SourceIp", "192.0.2.7", true},
		{"IpAddress", "aws:SourceIp", "10.0.0.0/33", false},
		{"ForAnyValue:IpAddress", "aws:SourceIp", "corp-network", false},
		{"BinaryEquals", "key", "QmluYXJ5VmFsdWU=", true},
		{"BinaryEquals", "key", "not base64!", false},
		{"StringEquals", "aws:PrincipalTag/team", "anything at all", true},
		{"DateGreaterThan", "aws:CurrentTime", "${aws:TokenIssueTime}", true}, // resolved at evaluation
	}
	for _, tt := range tests {
		p := NewPolicy(Statement{Effect: Deny, Action: []string{"s3:*"}, Resource: []string{"*"},
			Condition: Condition{tt.op: {tt.key: {tt.value}}}})
		err := p.Validate()
		if tt.ok && err != nil {
			t.Errorf("%s %s=%q rejected: %v", tt.op, tt.key, tt.value, err)
		}
		if !tt.ok && (err == nil || !strings.Contains(err.Error(), fmt.Sprintf("value %q", tt.value))) {
			t.Errorf("%s %s=%q: err = %v, want a rejection naming the value", tt.op, tt.key, tt.value, err)
		}
	}
}

// After a role named in a resource policy is deleted, AWS shows its unique ID (AROA + 17
// characters, as in the IAM identifiers reference) instead of the ARN; writing the policy back
// must still validate. Other bare strings are still not principals.
func TestValidateUniqueIDPrincipals(t *testing.T) {
	for _, tc := range []struct {
		principal string
		ok        bool
	}{
		{"AROADBQP57FF2AEXAMPLE", true},
		{"AIDACKCEVSQ6C2EXAMPLE", true},
		{"AROA", false},
		{"aroadbqp57ff2aexample", false},
		{"AKIAIOSFODNN7EXAMPLE", false}, // an access key ID names no principal
	} {
		p := NewPolicy(Statement{Effect: Allow, Principal: &Principal{AWS: []string{tc.principal}},
			Action: []string{"kafka-cluster:Connect"}, Resource: []string{"arn:aws:kafka:us-east-1:111122223333:cluster/c/uuid"}})
		if err := p.Validate(); (err == nil) != tc.ok {
			t.Errorf("principal %q: Validate() = %v, want ok=%v", tc.principal, err, tc.ok)
		}
	}
}
