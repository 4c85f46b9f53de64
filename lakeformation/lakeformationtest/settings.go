package lakeformationtest

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// crossAccountVersion is the DataLakeSettings parameter of the cross-account sharing version.
const crossAccountVersion = "CROSS_ACCOUNT_VERSION"

// serviceLinkedRoleName is the role RegisterResource uses with UseServiceLinkedRole.
const serviceLinkedRoleName = "AWSServiceRoleForLakeFormationDataAccess"

// adminPrincipal reports whether id can be a data lake administrator: an IAM user or role, or
// a federated (SAML or Identity Center) principal; not an account, group or
// IAM_ALLOWED_PRINCIPALS.
func adminPrincipal(id string) bool {
	a, err := datablocks.ParseARN(id)
	if err != nil {
		return false
	}
	switch a.Service {
	case "iam":
		return datablocks.IsAccountID(a.AccountID) && (strings.HasPrefix(a.Resource, "role/") || strings.HasPrefix(a.Resource, "user/") ||
			strings.HasPrefix(a.Resource, "saml-provider/"))
	case "identitystore":
		return strings.HasPrefix(a.Resource, "user/") || strings.HasPrefix(a.Resource, "group/")
	}
	return false
}

func cloneSettings(s *types.DataLakeSettings) *types.DataLakeSettings {
	c := *s
	c.DataLakeAdmins = slices.Clone(s.DataLakeAdmins)
	c.ReadOnlyAdmins = slices.Clone(s.ReadOnlyAdmins)
	c.ExternalDataFilteringAllowList = slices.Clone(s.ExternalDataFilteringAllowList)
	c.TrustedResourceOwners = slices.Clone(s.TrustedResourceOwners)
	c.AuthorizedSessionTagValueList = slices.Clone(s.AuthorizedSessionTagValueList)
	c.CreateDatabaseDefaultPermissions = clonePP(s.CreateDatabaseDefaultPermissions)
	c.CreateTableDefaultPermissions = clonePP(s.CreateTableDefaultPermissions)
	c.Parameters = maps.Clone(s.Parameters)
	if s.AllowExternalDataFiltering != nil {
		c.AllowExternalDataFiltering = aws.Bool(*s.AllowExternalDataFiltering)
	}
	if s.AllowFullTableExternalDataAccess != nil {
		c.AllowFullTableExternalDataAccess = aws.Bool(*s.AllowFullTableExternalDataAccess)
	}
	return &c
}

func clonePP(in []types.PrincipalPermissions) []types.PrincipalPermissions {
	if in == nil {
		return nil
	}
	out := make([]types.PrincipalPermissions, len(in))
	for i, p := range in {
		out[i] = types.PrincipalPermissions{Permissions: slices.Clone(p.Permissions)}
		if p.Principal != nil {
			out[i].Principal = &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(aws.ToString(p.Principal.DataLakePrincipalIdentifier))}
		}
	}
	return out
}

// GetDataLakeSettings returns a copy of the settings.
func (f *Fake) GetDataLakeSettings(_ context.Context, in *awslf.GetDataLakeSettingsInput, _ ...func(*awslf.Options)) (*awslf.GetDataLakeSettingsOutput, error) {
	return fakecontrol.Do(f.Controls, OpGetDataLakeSettings, in, func(in *awslf.GetDataLakeSettingsInput) (*awslf.GetDataLakeSettingsOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		return &awslf.GetDataLakeSettingsOutput{DataLakeSettings: cloneSettings(&f.settings)}, nil
	})
}

// PutDataLakeSettings replaces the whole settings object, as Lake Formation does: fields left
// out are reset.
func (f *Fake) PutDataLakeSettings(_ context.Context, in *awslf.PutDataLakeSettingsInput, _ ...func(*awslf.Options)) (*awslf.PutDataLakeSettingsOutput, error) {
	return fakecontrol.Do(f.Controls, OpPutDataLakeSettings, in, func(in *awslf.PutDataLakeSettingsInput) (*awslf.PutDataLakeSettingsOutput, error) {
		if in == nil || in.DataLakeSettings == nil {
			return nil, invalidInput("DataLakeSettings is required")
		}
		s := in.DataLakeSettings
		for _, list := range [][]types.DataLakePrincipal{s.DataLakeAdmins, s.ReadOnlyAdmins} {
			for _, p := range list {
				if !adminPrincipal(aws.ToString(p.DataLakePrincipalIdentifier)) {
					return nil, invalidInput("Invalid data lake admin %q: admins must be IAM users, roles or federated principals", aws.ToString(p.DataLakePrincipalIdentifier))
				}
			}
		}
		if v, ok := s.Parameters[crossAccountVersion]; ok {
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 4 {
				return nil, invalidInput("Invalid CROSS_ACCOUNT_VERSION %q: must be 1, 2, 3 or 4", v)
			}
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		f.settings = *cloneSettings(s)
		return &awslf.PutDataLakeSettingsOutput{}, nil
	})
}

// RegisterResource registers an S3 location; registering it again fails with
// AlreadyExistsException.
func (f *Fake) RegisterResource(_ context.Context, in *awslf.RegisterResourceInput, _ ...func(*awslf.Options)) (*awslf.RegisterResourceOutput, error) {
	return fakecontrol.Do(f.Controls, OpRegisterResource, in, func(in *awslf.RegisterResourceInput) (*awslf.RegisterResourceOutput, error) {
		if in == nil || aws.ToString(in.ResourceArn) == "" {
			return nil, invalidInput("ResourceArn is required")
		}
		arn := aws.ToString(in.ResourceArn)
		if !isS3ARN(arn) {
			return nil, invalidInput("Invalid ResourceArn %q: must be an S3 ARN", arn)
		}
		if aws.ToString(in.RoleArn) == "" && !aws.ToBool(in.UseServiceLinkedRole) {
			return nil, invalidInput("Either RoleArn or UseServiceLinkedRole must be specified")
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.locations[arn]; ok {
			return nil, &types.AlreadyExistsException{Message: aws.String("Resource is already registered")}
		}
		role := aws.ToString(in.RoleArn)
		if role == "" {
			role = "arn:aws:iam::" + f.opts.AccountID + ":role/aws-service-role/lakeformation.amazonaws.com/" + serviceLinkedRoleName
		}
		now := f.clock.Now()
		f.locations[arn] = types.ResourceInfo{ResourceArn: aws.String(arn), RoleArn: aws.String(role),
			HybridAccessEnabled: aws.Bool(aws.ToBool(in.HybridAccessEnabled)), WithFederation: aws.Bool(aws.ToBool(in.WithFederation)),
			LastModified: &now}
		return &awslf.RegisterResourceOutput{}, nil
	})
}

// DescribeResource returns a registered location; an unknown one fails with
// EntityNotFoundException.
func (f *Fake) DescribeResource(_ context.Context, in *awslf.DescribeResourceInput, _ ...func(*awslf.Options)) (*awslf.DescribeResourceOutput, error) {
	return fakecontrol.Do(f.Controls, OpDescribeResource, in, func(in *awslf.DescribeResourceInput) (*awslf.DescribeResourceOutput, error) {
		if in == nil || aws.ToString(in.ResourceArn) == "" {
			return nil, invalidInput("ResourceArn is required")
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		ri, ok := f.locations[aws.ToString(in.ResourceArn)]
		if !ok {
			return nil, notFound("Entity not found: %s", aws.ToString(in.ResourceArn))
		}
		return &awslf.DescribeResourceOutput{ResourceInfo: &ri}, nil
	})
}
