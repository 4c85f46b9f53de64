package emr_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks/emr"
)

func TestRuntimeRoleSecurityConfiguration(t *testing.T) {
	// From the AWS post "Introducing runtime roles for Amazon EMR steps".
	want := `{"AuthorizationConfiguration":{"IAMConfiguration":{"EnableApplicationScopedIAMRole":true,"ApplicationScopedIAMRoleConfiguration":{"PropagateSourceIdentity":true}},"LakeFormationConfiguration":{"AuthorizedSessionTagValue":"Amazon EMR"}}}`
	if got := (emr.RuntimeRoleSecurityConfiguration{}).JSON(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	minimal := `{"AuthorizationConfiguration":{"IAMConfiguration":{"EnableApplicationScopedIAMRole":true}}}`
	if got := (emr.RuntimeRoleSecurityConfiguration{NoSourceIdentity: true, NoLakeFormation: true}).JSON(); got != minimal {
		t.Errorf("got  %s\nwant %s", got, minimal)
	}
}

// sameJSON compares two JSON documents by value.
func sameJSON(t *testing.T, got any, want string) {
	t.Helper()
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON: %v", err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
}

func TestRuntimeRoleTrustPolicy(t *testing.T) {
	p, err := emr.RuntimeRoleTrustPolicy([]string{"arn:aws:iam::123456789012:role/EMR_EC2_DefaultRole"}, "")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, p, `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "AssumeRuntimeRole", "Effect": "Allow",
	     "Principal": {"AWS": "arn:aws:iam::123456789012:role/EMR_EC2_DefaultRole"}, "Action": "sts:AssumeRole"},
	    {"Sid": "SetSourceIdentity", "Effect": "Allow",
	     "Principal": {"AWS": "arn:aws:iam::123456789012:role/EMR_EC2_DefaultRole"}, "Action": "sts:SetSourceIdentity"},
	    {"Sid": "TagSessionForLakeFormation", "Effect": "Allow",
	     "Principal": {"AWS": "arn:aws:iam::123456789012:role/EMR_EC2_DefaultRole"}, "Action": "sts:TagSession",
	     "Condition": {"StringEquals": {"aws:RequestTag/LakeFormationAuthorizedCaller": "Amazon EMR"}}}
	  ]}`)
	if _, err := emr.RuntimeRoleTrustPolicy([]string{"arn:aws:iam::123456789012:user/bob"}, ""); err == nil {
		t.Error("a user ARN accepted as instance profile role")
	}
}

func TestSubmitterPolicies(t *testing.T) {
	roles := []string{"arn:aws-cn:iam::123456789012:role/analyst", "arn:aws-cn:iam::123456789012:role/engineer"}
	cluster := "arn:aws-cn:elasticmapreduce:cn-north-1:123456789012:cluster/j-1ABCDEFGHIJKL"
	p, err := emr.SubmitterPolicy(emr.RuntimeSteps, []string{cluster}, roles)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, p, `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "AddStepsAsRuntimeRoles", "Effect": "Allow", "Action": "elasticmapreduce:AddJobFlowSteps",
	     "Resource": "`+cluster+`",
	     "Condition": {"StringEquals": {"elasticmapreduce:ExecutionRoleArn": ["arn:aws-cn:iam::123456789012:role/analyst", "arn:aws-cn:iam::123456789012:role/engineer"]}}},
	    {"Sid": "FollowSteps", "Effect": "Allow",
	     "Action": ["elasticmapreduce:CancelSteps", "elasticmapreduce:DescribeCluster", "elasticmapreduce:DescribeStep", "elasticmapreduce:ListSteps"],
	     "Resource": "`+cluster+`"}
	  ]}`)

	app := "arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fabc"
	sp, err := emr.SubmitterPolicy(emr.RuntimeServerless, []string{app}, []string{"arn:aws:iam::123456789012:role/job"})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, sp.Statements[1], `{"Sid": "PassExecutionRoles", "Effect": "Allow", "Action": "iam:PassRole",
	  "Resource": "arn:aws:iam::123456789012:role/job",
	  "Condition": {"StringEquals": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}}`)
	if got := sp.Statements[0].Resource; !cmp.Equal(got, []string{app, app + "/jobruns/*"}) {
		t.Errorf("serverless resources %v", got)
	}
	if got := sp.Statements[0].Action; !cmp.Equal(got, []string{"emr-serverless:CancelJobRun", "emr-serverless:GetApplication", "emr-serverless:GetJobRun",
		"emr-serverless:StartApplication", "emr-serverless:StartJobRun", "emr-serverless:TagResource"}) {
		t.Errorf("serverless actions %v", got)
	}

	vc := "arn:aws:emr-containers:eu-west-1:123456789012:/virtualclusters/abc123"
	cp, err := emr.SubmitterPolicy(emr.RuntimeEKS, []string{vc}, []string{"arn:aws:iam::123456789012:role/job"})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, cp.Statements[1].Condition, `{"StringEquals": {"iam:PassedToService": "emr-containers.amazonaws.com"}}`)

	ip, err := emr.InstanceProfileRuntimeRolePolicy(roles)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, ip, `{"Version": "2012-10-17", "Statement": [{"Sid": "AssumeRuntimeRoles", "Effect": "Allow",
	  "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
	  "Resource": ["arn:aws-cn:iam::123456789012:role/analyst", "arn:aws-cn:iam::123456789012:role/engineer"]}]}`)

	for _, bad := range []func() error{
		func() error { _, err := emr.SubmitterPolicy(emr.RuntimeSteps, nil, roles); return err },
		func() error { _, err := emr.SubmitterPolicy(emr.RuntimeSteps, []string{"*"}, roles); return err },
		func() error { _, err := emr.SubmitterPolicy(emr.RuntimeServerless, []string{vc}, roles); return err },
		func() error {
			_, err := emr.SubmitterPolicy(emr.RuntimeEKS, []string{vc}, []string{"arn:aws:iam::12:role/x"})
			return err
		},
		func() error { _, err := emr.SubmitterPolicy("EMR on Mars", []string{vc}, roles); return err },
	} {
		if err := bad(); err == nil || !strings.HasPrefix(err.Error(), "emr: ") {
			t.Errorf("bad input accepted or unprefixed error: %v", err)
		}
	}
}
