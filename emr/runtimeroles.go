package emr

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/datablocks-go/datablocks"
)

// defaultAuthorizedSessionTagValue is the session tag value Lake Formation trusts from EMR.
const defaultAuthorizedSessionTagValue = "Amazon EMR"

// Service principals that runtime and execution roles are passed to.
const (
	serverlessServicePrincipal = "emr-serverless.amazonaws.com"
	containersServicePrincipal = "emr-containers.amazonaws.com"
)

// RuntimeRoleSecurityConfiguration is the EMR security configuration that enables runtime
// roles for steps (ExecutionRoleArn): application-scoped IAM roles, source-identity
// propagation and, optionally, Lake Formation. The zero value is the configuration of the AWS
// post "Introducing runtime roles for Amazon EMR steps". A security configuration applies at
// cluster creation only.
type RuntimeRoleSecurityConfiguration struct {
	// NoSourceIdentity turns off PropagateSourceIdentity (on by default), which puts the
	// submitter's identity into CloudTrail as the source identity of the runtime role.
	NoSourceIdentity bool
	// NoLakeFormation leaves out the LakeFormationConfiguration (present by default).
	NoLakeFormation bool
	// AuthorizedSessionTagValue is the session tag value Lake Formation trusts from EMR.
	// Zero means "Amazon EMR".
	AuthorizedSessionTagValue string
}

// JSON returns the configuration as the JSON string CreateSecurityConfiguration takes.
func (c RuntimeRoleSecurityConfiguration) JSON() string {
	type appScoped struct {
		PropagateSourceIdentity bool
	}
	type iamConf struct {
		EnableApplicationScopedIAMRole        bool
		ApplicationScopedIAMRoleConfiguration *appScoped `json:",omitempty"`
	}
	type lfConf struct {
		AuthorizedSessionTagValue string
	}
	type authz struct {
		IAMConfiguration           iamConf
		LakeFormationConfiguration *lfConf `json:",omitempty"`
	}
	var v struct{ AuthorizationConfiguration authz }
	v.AuthorizationConfiguration.IAMConfiguration.EnableApplicationScopedIAMRole = true
	if !c.NoSourceIdentity {
		v.AuthorizationConfiguration.IAMConfiguration.ApplicationScopedIAMRoleConfiguration = &appScoped{PropagateSourceIdentity: true}
	}
	if !c.NoLakeFormation {
		tag := c.AuthorizedSessionTagValue
		if tag == "" {
			tag = defaultAuthorizedSessionTagValue
		}
		v.AuthorizationConfiguration.LakeFormationConfiguration = &lfConf{AuthorizedSessionTagValue: tag}
	}
	b, _ := json.Marshal(v) // plain structs of bools and strings: cannot fail
	return string(b)
}

// checkARNs checks that every ARN is well formed and of the given service and resource type.
func checkARNs(field, service, resourcePrefix string, arns []string) error {
	if len(arns) == 0 {
		return errMissing(field)
	}
	var errs []error
	for i, s := range arns {
		a, err := datablocks.ParseARN(s)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("emr: %s[%d]: %s", field, i, strings.TrimPrefix(err.Error(), "datablocks: ")))
		case a.Service != service || !strings.HasPrefix(a.Resource, resourcePrefix):
			errs = append(errs, fmt.Errorf("emr: %s[%d] %q is not a %s ARN with a resource starting %q", field, i, s, service, resourcePrefix))
		}
	}
	return errors.Join(errs...)
}

// RuntimeRoleTrustPolicy returns the trust policy of a runtime role: the cluster's instance
// profile roles (such as EMR_EC2_DefaultRole) may assume it, set the source identity, and tag
// the session with LakeFormationAuthorizedCaller = tagValue (empty means "Amazon EMR").
func RuntimeRoleTrustPolicy(instanceProfileRoleARNs []string, tagValue string) (datablocks.Policy, error) {
	if err := checkARNs("instance profile role ARNs", "iam", "role/", instanceProfileRoleARNs); err != nil {
		return datablocks.Policy{}, err
	}
	if tagValue == "" {
		tagValue = defaultAuthorizedSessionTagValue
	}
	principal := &datablocks.Principal{AWS: instanceProfileRoleARNs}
	p := datablocks.NewPolicy(
		datablocks.Statement{Sid: "AssumeRuntimeRole", Effect: datablocks.Allow, Principal: principal, Action: []string{"sts:AssumeRole"}},
		datablocks.Statement{Sid: "SetSourceIdentity", Effect: datablocks.Allow, Principal: principal, Action: []string{"sts:SetSourceIdentity"}},
		datablocks.Statement{Sid: "TagSessionForLakeFormation", Effect: datablocks.Allow, Principal: principal, Action: []string{"sts:TagSession"},
			Condition: datablocks.Condition{"StringEquals": {"aws:RequestTag/LakeFormationAuthorizedCaller": {tagValue}}}},
	)
	return p, p.Validate()
}

// InstanceProfileRuntimeRolePolicy returns the policy the cluster's instance profile role
// needs to assume the runtime roles: sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity
// on exactly those roles.
func InstanceProfileRuntimeRolePolicy(runtimeRoleARNs []string) (datablocks.Policy, error) {
	if err := checkARNs("runtime role ARNs", "iam", "role/", runtimeRoleARNs); err != nil {
		return datablocks.Policy{}, err
	}
	p := datablocks.NewPolicy(datablocks.Statement{
		Sid: "AssumeRuntimeRoles", Effect: datablocks.Allow,
		Action:   []string{"sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"},
		Resource: runtimeRoleARNs,
	})
	return p, p.Validate()
}

// SubmitterPolicy returns the policy of a principal that submits and follows Spark
// applications on runtime rt, with the calls its runner makes, on the given resources and as
// the given roles:
//
//   - RuntimeSteps: resourceARNs are clusters and roleARNs runtime roles:
//     elasticmapreduce:AddJobFlowSteps conditioned on elasticmapreduce:ExecutionRoleArn, and
//     the read and cancel calls of StepRunner;
//   - RuntimeServerless: resourceARNs are EMR Serverless applications and roleARNs execution
//     roles: the emr-serverless calls of ServerlessRunner on the applications and their job
//     runs, and iam:PassRole on the roles to emr-serverless.amazonaws.com only;
//   - RuntimeEKS: resourceARNs are EMR on EKS virtual clusters and roleARNs execution roles:
//     the emr-containers calls of ContainersRunner and iam:PassRole to
//     emr-containers.amazonaws.com only.
func SubmitterPolicy(rt Runtime, resourceARNs, roleARNs []string) (datablocks.Policy, error) {
	var (
		check     error
		resources []string
		run       datablocks.Statement
		pass      string
	)
	switch rt {
	case RuntimeSteps:
		check = checkARNs("cluster ARNs", "elasticmapreduce", "cluster/", resourceARNs)
	case RuntimeServerless:
		check = checkARNs("application ARNs", "emr-serverless", "/applications/", resourceARNs)
		run.Action = []string{
			"emr-serverless:CancelJobRun", "emr-serverless:GetApplication", "emr-serverless:GetJobRun",
			"emr-serverless:StartApplication", "emr-serverless:StartJobRun", "emr-serverless:TagResource",
		}
		pass = serverlessServicePrincipal
	case RuntimeEKS:
		check = checkARNs("virtual cluster ARNs", "emr-containers", "/virtualclusters/", resourceARNs)
		run.Action = []string{"emr-containers:CancelJobRun", "emr-containers:DescribeJobRun", "emr-containers:StartJobRun", "emr-containers:TagResource"}
		pass = containersServicePrincipal
	default:
		return datablocks.Policy{}, fmt.Errorf("emr: runtime %q is not one of %q, %q, %q", rt, RuntimeSteps, RuntimeServerless, RuntimeEKS)
	}
	if err := errors.Join(check, checkARNs("role ARNs", "iam", "role/", roleARNs)); err != nil {
		return datablocks.Policy{}, err
	}
	if rt == RuntimeSteps {
		p := datablocks.NewPolicy(
			datablocks.Statement{
				Sid: "AddStepsAsRuntimeRoles", Effect: datablocks.Allow,
				Action:    []string{"elasticmapreduce:AddJobFlowSteps"},
				Resource:  resourceARNs,
				Condition: datablocks.Condition{"StringEquals": {"elasticmapreduce:ExecutionRoleArn": roleARNs}},
			},
			datablocks.Statement{
				Sid: "FollowSteps", Effect: datablocks.Allow,
				Action:   []string{"elasticmapreduce:CancelSteps", "elasticmapreduce:DescribeCluster", "elasticmapreduce:DescribeStep", "elasticmapreduce:ListSteps"},
				Resource: resourceARNs,
			},
		)
		return p, p.Validate()
	}
	for _, a := range resourceARNs {
		resources = append(resources, a, a+"/jobruns/*")
	}
	run.Sid, run.Effect, run.Resource = "RunJobs", datablocks.Allow, resources
	p := datablocks.NewPolicy(run, passRoleStatement("PassExecutionRoles", pass, roleARNs))
	return p, p.Validate()
}

// passRoleStatement allows iam:PassRole on roleARNs to service (such as
// serverlessServicePrincipal) only, through the iam:PassedToService condition.
func passRoleStatement(sid, service string, roleARNs []string) datablocks.Statement {
	return datablocks.Statement{
		Sid: sid, Effect: datablocks.Allow,
		Action:    []string{"iam:PassRole"},
		Resource:  roleARNs,
		Condition: datablocks.Condition{"StringEquals": {"iam:PassedToService": {service}}},
	}
}
