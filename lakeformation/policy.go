package lakeformation

import (
	"fmt"
	"strings"

	"github.com/datablocks-go/datablocks"
)

// DataAccessRolePolicy returns the permissions policy of the role Lake Formation assumes to
// vend temporary credentials for the registered location s3://bucket/prefix: object read and
// write under the prefix, and listing the bucket restricted to the prefix.
func DataAccessRolePolicy(p datablocks.Partition, bucket, prefix string) (datablocks.Policy, error) {
	prefix = strings.Trim(prefix, "/")
	if bucket == "" || strings.ContainsAny(bucket, "/*") {
		return datablocks.Policy{}, fmt.Errorf("lakeformation: DataAccessRolePolicy: bucket %q must be a bucket name", bucket)
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

// DataAccessRoleTrustPolicy returns the trust policy that lets Lake Formation assume the data
// access role.
func DataAccessRoleTrustPolicy() datablocks.Policy {
	return datablocks.NewPolicy(datablocks.Statement{Sid: "LakeFormationAssume", Effect: datablocks.Allow,
		Principal: &datablocks.Principal{Service: []string{"lakeformation.amazonaws.com"}},
		Action:    []string{"sts:AssumeRole"}})
}

// AutomationPolicyInput describes where an automation role runs this package's helpers.
type AutomationPolicyInput struct {
	// Partition, Region and AccountID locate the Glue Data Catalog. Required.
	Partition datablocks.Partition
	Region    string
	AccountID string
	// DataAccessRoleARN, when set, is the role RegisterLocation passes to Lake Formation.
	DataAccessRoleARN string
	// TopicARN, when set, is the SNS topic of approval requests.
	TopicARN string
}

// AutomationPolicy returns the identity policy of a role running the Granter, Planner,
// Settings, Tags, Consumer, Mesh and SharingWorkflow. Lake Formation permission, settings and
// tag actions, and RAM's invitation listing, have no resource-level permissions, so they take
// "*"; Glue actions are scoped to the account's catalog, iam:PassRole to the data access role
// for Lake Formation only, and sns:Publish to the topic.
func AutomationPolicy(in AutomationPolicyInput) (datablocks.Policy, error) {
	if in.Partition.ID == "" || in.Region == "" || !datablocks.IsAccountID(in.AccountID) {
		return datablocks.Policy{}, fmt.Errorf("lakeformation: AutomationPolicyInput needs a Partition, a Region and a 12-digit AccountID")
	}
	p := in.Partition
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
