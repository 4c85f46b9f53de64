package lakeformation

import (
	"fmt"
	"strings"

	"github.com/datablocks-go/datablocks"
)

// DataAccessRolePolicy returns the permissions policy of the role Lake Formation assumes to
// vend temporary credentials for the registered location s3://bucket/prefix: object read and
// write under the prefix, and listing the bucket restricted to the prefix. The bucket must be
// an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens), and the prefix must
// be literal: the IAM wildcards (* and ?) and policy variables (${...}) that would widen the
// policy beyond the location named are rejected.
func DataAccessRolePolicy(p datablocks.Partition, bucket, prefix string) (datablocks.Policy, error) {
	prefix = strings.Trim(prefix, "/")
	if !isBucketName(bucket) {
		return datablocks.Policy{}, fmt.Errorf("lakeformation: DataAccessRolePolicy: bucket %q must be an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens", bucket)
	}
	if err := literalName("DataAccessRolePolicy: prefix", prefix); err != nil {
		return datablocks.Policy{}, err
	}
	objects := bucket + "/*"
	listPrefix := "*"
	if prefix != "" {
		objects = bucket + "/" + prefix + "/*"
		listPrefix = prefix + "/*"
	}
	pol := datablocks.NewPolicy(
		datablocks.Statement{Sid: "LakeFormationDataAccessObjects", Effect: datablocks.Allow,
			Action:   []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
			Resource: []string{p.ARN("s3", "", "", objects)}},
		datablocks.Statement{Sid: "LakeFormationDataAccessList", Effect: datablocks.Allow,
			Action:    []string{"s3:ListBucket"},
			Resource:  []string{p.ARN("s3", "", "", bucket)},
			Condition: datablocks.Condition{"StringLike": {"s3:prefix": {listPrefix}}}},
	)
	return pol, pol.Validate()
}

// isBucketName reports whether s follows the S3 general purpose bucket naming rules on
// characters and length.
func isBucketName(s string) bool {
	if len(s) < 3 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && c != '.' && c != '-' || (i == 0 || i == len(s)-1) && !alnum {
			return false
		}
	}
	return true
}

// literalName rejects the IAM wildcards, policy variables and control characters in a
// user-given name.
func literalName(field, s string) error {
	switch {
	case strings.ContainsAny(s, "*?"):
		return fmt.Errorf("lakeformation: %s %q contains an IAM wildcard (* or ?), which would widen the policy", field, s)
	case strings.Contains(s, "${"):
		return fmt.Errorf("lakeformation: %s %q contains an IAM policy variable (${...}), which would widen the policy", field, s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("lakeformation: %s %q contains a control character", field, s)
		}
	}
	return nil
}

// DataAccessRoleTrustPolicy returns the trust policy that lets Lake Formation assume the data
// access role.
func DataAccessRoleTrustPolicy() datablocks.Policy {
	return datablocks.NewPolicy(datablocks.Statement{Sid: "LakeFormationAssume", Effect: datablocks.Allow,
		Principal: &datablocks.Principal{Service: []string{"lakeformation.amazonaws.com"}},
		Action:    []string{"sts:AssumeRole"}})
}

// AutomationPolicyInput describes where an automation role runs this package's helpers.
type AutomationPolicyInput struct {
	// Region and AccountID locate the Glue Data Catalog; the region gives the partition of
	// the ARNs (datablocks.PartitionForRegion). Required.
	Region    string
	AccountID string
	// DataAccessRoleARN, when set, is the role RegisterLocation passes to Lake Formation.
	DataAccessRoleARN string
	// TopicARN, when set, is the SNS topic of approval requests.
	TopicARN string
}

// AutomationPolicy returns the identity policy of a role running the Planner,
// Settings, Tags, Consumer, Mesh and SharingWorkflow. Lake Formation permission, settings and
// tag actions, and RAM's invitation listing, have no resource-level permissions, so they take
// "*"; Glue actions are scoped to the account's catalog, iam:PassRole to the data access role
// for Lake Formation only, and sns:Publish to the topic. The region and the ARNs given must
// be literal: wildcards (* or ?) and policy variables (${...}) in them are rejected.
func AutomationPolicy(in AutomationPolicyInput) (datablocks.Policy, error) {
	if in.Region == "" || !datablocks.IsAccountID(in.AccountID) {
		return datablocks.Policy{}, fmt.Errorf("lakeformation: AutomationPolicyInput needs a Region and a 12-digit AccountID")
	}
	for _, c := range in.Region {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return datablocks.Policy{}, fmt.Errorf("lakeformation: AutomationPolicyInput.Region %q must be a region name such as eu-west-1", in.Region)
		}
	}
	if in.DataAccessRoleARN != "" {
		if err := literalName("AutomationPolicyInput.DataAccessRoleARN", in.DataAccessRoleARN); err != nil {
			return datablocks.Policy{}, err
		}
		if k, err := DataLakePrincipal(in.DataAccessRoleARN).kind(); err != nil || k != principalIAMRole {
			return datablocks.Policy{}, fmt.Errorf("lakeformation: AutomationPolicyInput.DataAccessRoleARN %q must be an IAM role ARN", in.DataAccessRoleARN)
		}
	}
	if in.TopicARN != "" {
		if err := literalName("AutomationPolicyInput.TopicARN", in.TopicARN); err != nil {
			return datablocks.Policy{}, err
		}
		if a, err := datablocks.ParseARN(in.TopicARN); err != nil || a.Service != "sns" || a.Resource == "" {
			return datablocks.Policy{}, fmt.Errorf("lakeformation: AutomationPolicyInput.TopicARN %q must be an SNS topic ARN", in.TopicARN)
		}
	}
	p := datablocks.PartitionForRegion(in.Region)
	glueARN := func(res string) string { return p.ARN("glue", in.Region, in.AccountID, res) }
	statements := []datablocks.Statement{
		{Sid: "LakeFormationAdministration", Effect: datablocks.Allow, Resource: []string{"*"}, Action: []string{
			"lakeformation:BatchGrantPermissions", "lakeformation:BatchRevokePermissions", "lakeformation:ListPermissions",
			"lakeformation:GetDataLakeSettings", "lakeformation:PutDataLakeSettings", "lakeformation:RegisterResource", "lakeformation:DescribeResource",
			"lakeformation:GetLFTag", "lakeformation:CreateLFTag", "lakeformation:UpdateLFTag", "lakeformation:AddLFTagsToResource",
			"lakeformation:GetResourceLFTags", "lakeformation:SearchDatabasesByLFTags", "lakeformation:SearchTablesByLFTags"}},
		{Sid: "GlueCatalog", Effect: datablocks.Allow,
			Action:   []string{"glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateDatabase", "glue:CreateTable"},
			Resource: []string{glueARN("catalog"), glueARN("database/*"), glueARN("table/*/*")}},
		{Sid: "RAMInvitations", Effect: datablocks.Allow, Action: []string{"ram:GetResourceShareInvitations"}, Resource: []string{"*"}},
		{Sid: "RAMAccept", Effect: datablocks.Allow, Action: []string{"ram:AcceptResourceShareInvitation"},
			Resource: []string{p.ARN("ram", in.Region, "*", "resource-share-invitation/*")}},
	}
	if in.DataAccessRoleARN != "" {
		statements = append(statements, datablocks.Statement{Sid: "PassDataAccessRole", Effect: datablocks.Allow,
			Action: []string{"iam:PassRole"}, Resource: []string{in.DataAccessRoleARN},
			Condition: datablocks.Condition{"StringEquals": {"iam:PassedToService": {"lakeformation.amazonaws.com"}}}})
	}
	if in.TopicARN != "" {
		statements = append(statements, datablocks.Statement{Sid: "ApprovalTopic", Effect: datablocks.Allow,
			Action: []string{"sns:Publish"}, Resource: []string{in.TopicARN}})
	}
	pol := datablocks.NewPolicy(statements...)
	return pol, pol.Validate()
}
