package lakeformation_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/lakeformation"
)

func TestDataAccessRolePolicy(t *testing.T) {
	p, err := lakeformation.DataAccessRolePolicy(datablocks.PartitionForRegion("cn-north-1"), "lake", "/raw/")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"LakeFormationDataAccessObjects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws-cn:s3:::lake/raw/*"},` +
		`{"Sid":"LakeFormationDataAccessList","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws-cn:s3:::lake","Condition":{"StringLike":{"s3:prefix":"raw/*"}}}]}`
	if got := p.Compact(); got != want {
		t.Errorf("policy\n%s\nwant\n%s", got, want)
	}
	if _, err := lakeformation.DataAccessRolePolicy(datablocks.PartitionAWS, "lake/raw", ""); err == nil {
		t.Error("bucket with a slash: want error")
	}
	trust := lakeformation.DataAccessRoleTrustPolicy().Compact()
	if want := `{"Version":"2012-10-17","Statement":[{"Sid":"LakeFormationAssume","Effect":"Allow","Principal":{"Service":"lakeformation.amazonaws.com"},"Action":"sts:AssumeRole"}]}`; trust != want {
		t.Errorf("trust\n%s\nwant\n%s", trust, want)
	}
}

func TestAutomationPolicy(t *testing.T) {
	p, err := lakeformation.AutomationPolicy(lakeformation.AutomationPolicyInput{Region: "us-gov-west-1",
		AccountID: "123456789012", DataAccessRoleARN: "arn:aws-us-gov:iam::123456789012:role/lf-data-access",
		TopicARN: "arn:aws-us-gov:sns:us-gov-west-1:123456789012:DataLakeSharingApproval"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Statements) != 6 {
		t.Fatalf("%d statements", len(p.Statements))
	}
	glue := p.Statements[1].Resource
	if glue[0] != "arn:aws-us-gov:glue:us-gov-west-1:123456789012:catalog" || glue[2] != "arn:aws-us-gov:glue:us-gov-west-1:123456789012:table/*/*" {
		t.Errorf("glue resources %v", glue)
	}
	pass := p.Statements[4]
	if pass.Action[0] != "iam:PassRole" || pass.Condition["StringEquals"]["iam:PassedToService"][0] != "lakeformation.amazonaws.com" {
		t.Errorf("pass role statement %+v", pass)
	}
	if _, err := lakeformation.AutomationPolicy(lakeformation.AutomationPolicyInput{Region: "eu-west-1"}); err == nil {
		t.Error("missing account: want error")
	}
}

// TestAutomationPolicyCoversEveryCall checks that the automation role may make every call the
// package's helpers make: each method of the client interfaces, as an IAM action of its
// service, and nothing else of Lake Formation.
func TestAutomationPolicyCoversEveryCall(t *testing.T) {
	p, err := lakeformation.AutomationPolicy(lakeformation.AutomationPolicyInput{
		Region: "eu-west-1", AccountID: "123456789012", TopicARN: "arn:aws:sns:eu-west-1:123456789012:DataLakeSharingApproval"})
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{}
	for _, s := range p.Statements {
		for _, a := range s.Action {
			allowed[a] = true
		}
	}
	want := map[string]bool{}
	for _, c := range []struct {
		service string
		iface   reflect.Type
	}{
		{"lakeformation", reflect.TypeFor[lakeformation.MeshAPIClient]()},
		{"lakeformation", reflect.TypeFor[lakeformation.SettingsAPIClient]()},
		{"glue", reflect.TypeFor[lakeformation.GlueCatalogAPIClient]()},
		{"ram", reflect.TypeFor[lakeformation.InvitationsAPIClient]()},
		{"sns", reflect.TypeFor[lakeformation.PublishAPIClient]()},
	} {
		for i := range c.iface.NumMethod() {
			want[c.service+":"+c.iface.Method(i).Name] = true
		}
	}
	for a := range want {
		if !allowed[a] {
			t.Errorf("the policy does not allow %s, which a helper calls", a)
		}
	}
	for a := range allowed {
		if strings.HasPrefix(a, "lakeformation:") && !want[a] {
			t.Errorf("the policy allows %s, which no helper calls", a)
		}
	}
}

// TestPolicyBuildersRejectWildcardsAndVariables: user-given names must not widen a policy with
// the IAM wildcards * and ? or policy variables ${...} (IAM User Guide, "IAM JSON policy
// elements: Resource" and "IAM policy elements: Variables and tags"), unless an option asks.
func TestPolicyBuildersRejectWildcardsAndVariables(t *testing.T) {
	aws := datablocks.PartitionAWS
	for _, tt := range []struct{ bucket, prefix, rule string }{
		{"b?", "", "bucket"},
		{"lake*", "", "bucket"},
		{"${aws:username}", "", "bucket"},
		{"Lake", "", "bucket"},
		{"ab", "", "bucket"},
		{"-lake", "", "bucket"},
		{"lake", "*", "IAM wildcard"},
		{"lake", "x?y", "IAM wildcard"},
		{"lake", "home/${aws:username}", "policy variable"},
		{"lake", "raw\x00", "control character"},
	} {
		_, err := lakeformation.DataAccessRolePolicy(aws, tt.bucket, tt.prefix)
		if err == nil || !strings.Contains(err.Error(), tt.rule) {
			t.Errorf("bucket %q prefix %q: got %v, want an error about the %s", tt.bucket, tt.prefix, err, tt.rule)
		}
	}
	if _, err := lakeformation.DataAccessRolePolicy(aws, "my.lake-01", "raw"); err != nil {
		t.Errorf("valid bucket with dot and hyphen: %v", err)
	}
	base := lakeformation.AutomationPolicyInput{Region: "eu-west-1", AccountID: "123456789012"}
	for name, in := range map[string]lakeformation.AutomationPolicyInput{
		"role wildcard":   {Region: "eu-west-1", AccountID: "123456789012", DataAccessRoleARN: "arn:aws:iam::123456789012:role/lf-*"},
		"role variable":   {Region: "eu-west-1", AccountID: "123456789012", DataAccessRoleARN: "arn:aws:iam::123456789012:role/${aws:username}"},
		"role not role":   {Region: "eu-west-1", AccountID: "123456789012", DataAccessRoleARN: "arn:aws:iam::123456789012:user/x"},
		"topic wildcard":  {Region: "eu-west-1", AccountID: "123456789012", TopicARN: "arn:aws:sns:eu-west-1:123456789012:Approval?"},
		"topic not sns":   {Region: "eu-west-1", AccountID: "123456789012", TopicARN: "arn:aws:sqs:eu-west-1:123456789012:q"},
		"region wildcard": {Region: "eu-*", AccountID: "123456789012"},
	} {
		if _, err := lakeformation.AutomationPolicy(in); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
	if _, err := lakeformation.AutomationPolicy(base); err != nil {
		t.Errorf("literal input: %v", err)
	}
}
