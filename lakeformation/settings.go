package lakeformation

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
)

// crossAccountVersionParameter is the DataLakeSettings parameter selecting the cross-account
// sharing version ("1" to "4"); version 4 is needed to share LF-tag resources across accounts.
const crossAccountVersionParameter = "CROSS_ACCOUNT_VERSION"

// Settings changes the account's DataLakeSettings without collateral damage: every change
// reads the whole object, changes one field and writes the whole object back, so fields it
// does not touch (admins, default permissions, parameters, external filtering, ...) survive.
// A change that finds the desired value already in place writes nothing.
//
// PutDataLakeSettings has no version check: two writers changing settings at the same moment
// can still lose one update, so serialize settings changes in one place.
type Settings struct {
	client SettingsAPIClient
	opts   Options
}

// NewSettings returns a Settings calling client.
func NewSettings(client SettingsAPIClient, optFns ...func(*Options)) *Settings {
	return &Settings{client: client, opts: configure(Options{}, optFns)}
}

func (s *Settings) options(optFns []func(*Options)) Options {
	return configure(s.opts, optFns)
}

func (s *Settings) get(ctx context.Context, o Options) (*types.DataLakeSettings, error) {
	out, err := retried(ctx, o, "GetDataLakeSettings", s.client, func(ctx context.Context) (*awslf.GetDataLakeSettingsOutput, error) {
		return s.client.GetDataLakeSettings(ctx, &awslf.GetDataLakeSettingsInput{CatalogId: optString(o.CatalogID)}, o.ClientOptions...)
	})
	if err != nil {
		return nil, fmt.Errorf("lakeformation: GetDataLakeSettings: %w", err)
	}
	if out.DataLakeSettings == nil {
		return &types.DataLakeSettings{}, nil
	}
	return out.DataLakeSettings, nil
}

// Update reads the settings, calls fn on them and writes them back if fn changed anything. It
// reports whether it wrote. fn must change only the fields it means to.
func (s *Settings) Update(ctx context.Context, what string, fn func(*types.DataLakeSettings) error, optFns ...func(*Options)) (bool, error) {
	o := s.options(optFns)
	cur, err := s.get(ctx, o)
	if err != nil {
		return false, err
	}
	before := copySettings(cur)
	next := copySettings(cur)
	if err := fn(next); err != nil {
		return false, err
	}
	if reflect.DeepEqual(before, next) {
		return false, nil
	}
	if _, err := retried(ctx, o, "PutDataLakeSettings", s.client, func(ctx context.Context) (*awslf.PutDataLakeSettingsOutput, error) {
		return s.client.PutDataLakeSettings(ctx, &awslf.PutDataLakeSettingsInput{CatalogId: optString(o.CatalogID), DataLakeSettings: next}, o.ClientOptions...)
	}); err != nil {
		return false, fmt.Errorf("lakeformation: PutDataLakeSettings (%s): %w", what, err)
	}
	if o.Logger != nil {
		o.Logger.Debug("data lake settings updated", "change", what)
	}
	return true, nil
}

func copySettings(s *types.DataLakeSettings) *types.DataLakeSettings {
	c := *s
	c.DataLakeAdmins = slices.Clone(s.DataLakeAdmins)
	c.ReadOnlyAdmins = slices.Clone(s.ReadOnlyAdmins)
	c.ExternalDataFilteringAllowList = slices.Clone(s.ExternalDataFilteringAllowList)
	c.CreateDatabaseDefaultPermissions = clonePrincipalPermissions(s.CreateDatabaseDefaultPermissions)
	c.CreateTableDefaultPermissions = clonePrincipalPermissions(s.CreateTableDefaultPermissions)
	c.TrustedResourceOwners = slices.Clone(s.TrustedResourceOwners)
	c.AuthorizedSessionTagValueList = slices.Clone(s.AuthorizedSessionTagValueList)
	if s.Parameters != nil {
		c.Parameters = make(map[string]string, len(s.Parameters))
		for k, v := range s.Parameters {
			c.Parameters[k] = v
		}
	}
	return &c
}

func clonePrincipalPermissions(in []types.PrincipalPermissions) []types.PrincipalPermissions {
	if in == nil {
		return nil
	}
	out := make([]types.PrincipalPermissions, len(in))
	for i, p := range in {
		out[i] = types.PrincipalPermissions{Principal: p.Principal, Permissions: slices.Clone(p.Permissions)}
	}
	return out
}

func validatePrincipals(field string, ps []DataLakePrincipal) error {
	if len(ps) == 0 {
		return fmt.Errorf("lakeformation: %s: at least one principal is required", field)
	}
	for i, p := range ps {
		if err := p.validate(); err != nil {
			return wrapf(err, "%s[%d]", field, i)
		}
	}
	return nil
}

func addPrincipals(list []types.DataLakePrincipal, ps []DataLakePrincipal) []types.DataLakePrincipal {
	for _, p := range ps {
		if !slices.ContainsFunc(list, func(d types.DataLakePrincipal) bool { return aws.ToString(d.DataLakePrincipalIdentifier) == string(p) }) {
			list = append(list, *p.sdk())
		}
	}
	return list
}

func removePrincipals(list []types.DataLakePrincipal, ps []DataLakePrincipal) []types.DataLakePrincipal {
	if list == nil {
		return nil
	}
	return slices.DeleteFunc(list, func(d types.DataLakePrincipal) bool {
		return slices.Contains(ps, DataLakePrincipal(aws.ToString(d.DataLakePrincipalIdentifier)))
	})
}

// AddAdmins adds data lake administrators, keeping the others and every other setting.
func (s *Settings) AddAdmins(ctx context.Context, admins []DataLakePrincipal, optFns ...func(*Options)) (bool, error) {
	if err := validatePrincipals("AddAdmins", admins); err != nil {
		return false, err
	}
	return s.Update(ctx, "add data lake admins", func(d *types.DataLakeSettings) error {
		d.DataLakeAdmins = addPrincipals(d.DataLakeAdmins, admins)
		return nil
	}, optFns...)
}

// RemoveAdmins removes data lake administrators, keeping every other setting.
func (s *Settings) RemoveAdmins(ctx context.Context, admins []DataLakePrincipal, optFns ...func(*Options)) (bool, error) {
	if err := validatePrincipals("RemoveAdmins", admins); err != nil {
		return false, err
	}
	return s.Update(ctx, "remove data lake admins", func(d *types.DataLakeSettings) error {
		d.DataLakeAdmins = removePrincipals(d.DataLakeAdmins, admins)
		return nil
	}, optFns...)
}

// AddReadOnlyAdmins adds read-only administrators, keeping every other setting.
func (s *Settings) AddReadOnlyAdmins(ctx context.Context, admins []DataLakePrincipal, optFns ...func(*Options)) (bool, error) {
	if err := validatePrincipals("AddReadOnlyAdmins", admins); err != nil {
		return false, err
	}
	return s.Update(ctx, "add read-only admins", func(d *types.DataLakeSettings) error {
		d.ReadOnlyAdmins = addPrincipals(d.ReadOnlyAdmins, admins)
		return nil
	}, optFns...)
}

// RemoveReadOnlyAdmins removes read-only administrators, keeping every other setting.
func (s *Settings) RemoveReadOnlyAdmins(ctx context.Context, admins []DataLakePrincipal, optFns ...func(*Options)) (bool, error) {
	if err := validatePrincipals("RemoveReadOnlyAdmins", admins); err != nil {
		return false, err
	}
	return s.Update(ctx, "remove read-only admins", func(d *types.DataLakeSettings) error {
		d.ReadOnlyAdmins = removePrincipals(d.ReadOnlyAdmins, admins)
		return nil
	}, optFns...)
}

// SetCrossAccountVersion sets Parameters["CROSS_ACCOUNT_VERSION"] (1 to 4), keeping the other
// parameters and every other setting.
func (s *Settings) SetCrossAccountVersion(ctx context.Context, version int, optFns ...func(*Options)) (bool, error) {
	if version < 1 || version > 4 {
		return false, fmt.Errorf("lakeformation: cross-account version %d must be between 1 and 4", version)
	}
	return s.Update(ctx, "set cross-account version", func(d *types.DataLakeSettings) error {
		if d.Parameters == nil {
			d.Parameters = map[string]string{}
		}
		d.Parameters[crossAccountVersionParameter] = strconv.Itoa(version)
		return nil
	}, optFns...)
}

// EnableExternalDataFiltering lets third-party engines such as Amazon EMR filter data for Lake
// Formation: it sets AllowExternalDataFiltering, adds the session tag values to
// AuthorizedSessionTagValueList and the accounts to ExternalDataFilteringAllowList, keeping
// every other setting. allowedAccounts may be empty. For Amazon EMR the session tag value is
// "Amazon EMR", the value EMR presents to Lake Formation when it filters data for runtime
// roles; it must also be in the EMR security configuration and in the runtime roles' trust
// policy condition on aws:RequestTag/LakeFormationAuthorizedCaller.
func (s *Settings) EnableExternalDataFiltering(ctx context.Context, sessionTagValues []string, allowedAccounts []DataLakePrincipal, optFns ...func(*Options)) (bool, error) {
	if len(sessionTagValues) == 0 {
		return false, fmt.Errorf("lakeformation: EnableExternalDataFiltering: at least one session tag value is required")
	}
	for i, a := range allowedAccounts {
		if k, err := a.kind(); err != nil || k != principalAccount {
			return false, fmt.Errorf("lakeformation: EnableExternalDataFiltering: allowedAccounts[%d] %q must be a 12-digit account ID", i, a)
		}
	}
	return s.Update(ctx, "enable external data filtering", func(d *types.DataLakeSettings) error {
		d.AllowExternalDataFiltering = aws.Bool(true)
		for _, v := range sessionTagValues {
			if !slices.Contains(d.AuthorizedSessionTagValueList, v) {
				d.AuthorizedSessionTagValueList = append(d.AuthorizedSessionTagValueList, v)
			}
		}
		if len(allowedAccounts) > 0 {
			d.ExternalDataFilteringAllowList = addPrincipals(d.ExternalDataFilteringAllowList, allowedAccounts)
		}
		return nil
	}, optFns...)
}

// SetDefaultPermissions replaces the permissions Lake Formation grants on new databases
// (CreateDatabaseDefaultPermissions) and new tables (CreateTableDefaultPermissions), keeping
// every other setting. Empty lists turn off the implicit IAM_ALLOWED_PRINCIPALS ALL grant, so
// Lake Formation permissions apply to new resources.
func (s *Settings) SetDefaultPermissions(ctx context.Context, database, table []types.PrincipalPermissions, optFns ...func(*Options)) (bool, error) {
	for _, list := range [][]types.PrincipalPermissions{database, table} {
		for i, pp := range list {
			if pp.Principal == nil {
				return false, fmt.Errorf("lakeformation: SetDefaultPermissions: default permissions [%d].Principal is required", i)
			}
			if err := DataLakePrincipal(aws.ToString(pp.Principal.DataLakePrincipalIdentifier)).validate(); err != nil {
				return false, wrapf(err, "SetDefaultPermissions: default permissions [%d]", i)
			}
		}
	}
	return s.Update(ctx, "set default permissions", func(d *types.DataLakeSettings) error {
		d.CreateDatabaseDefaultPermissions = nonNil(clonePrincipalPermissions(database))
		d.CreateTableDefaultPermissions = nonNil(clonePrincipalPermissions(table))
		return nil
	}, optFns...)
}

func nonNil(in []types.PrincipalPermissions) []types.PrincipalPermissions {
	if in == nil {
		return []types.PrincipalPermissions{}
	}
	return in
}

// RegisterLocationInput describes an S3 location to register with Lake Formation.
type RegisterLocationInput struct {
	// Location is the S3 ARN, arn:<partition>:s3:::<bucket>[/<prefix>]. Required.
	Location string
	// RoleARN is the role Lake Formation assumes to vend credentials; it needs s3:* on the prefix
	// and s3:ListBucket on the bucket, and trusts lakeformation.amazonaws.com. Empty means the
	// service-linked role.
	RoleARN string
	// HybridAccess lets IAM and Lake Formation permissions apply side by side (hybrid access
	// mode) while principals are opted in.
	HybridAccess bool
}

// serviceLinkedRoleName is the name of the role Lake Formation uses for a location registered
// without a role of its own.
const serviceLinkedRoleName = "AWSServiceRoleForLakeFormationDataAccess"

// LocationConflictError reports an S3 location that is already registered, but with another
// role or hybrid access mode than asked. RegisterLocation leaves the registration as it is.
type LocationConflictError struct {
	// Registered is the registration in place.
	Registered RegisterLocationInput
	// Want is what RegisterLocation was asked for.
	Want RegisterLocationInput
}

// Error names the location and both registrations.
func (e *LocationConflictError) Error() string {
	want := e.Want.RoleARN
	if want == "" {
		want = "the service-linked role"
	}
	return fmt.Sprintf("lakeformation: location %s is registered with role %s (hybrid access %t), not %s (hybrid access %t)",
		e.Registered.Location, e.Registered.RoleARN, e.Registered.HybridAccess, want, e.Want.HybridAccess)
}

// RegisterLocation registers an S3 location. A location already registered the same way is
// success, so the call is idempotent; the reported bool is false then. A location registered
// with another role or hybrid access mode fails with *LocationConflictError and is left as it is.
func (s *Settings) RegisterLocation(ctx context.Context, in RegisterLocationInput, optFns ...func(*Options)) (bool, error) {
	if err := DataLocation(in.Location).validate(); err != nil {
		return false, err
	}
	if in.RoleARN != "" {
		if k, err := DataLakePrincipal(in.RoleARN).kind(); err != nil || k != principalIAMRole {
			return false, fmt.Errorf("lakeformation: RegisterLocationInput.RoleARN %q must be an IAM role ARN", in.RoleARN)
		}
	}
	o := s.options(optFns)
	req := &awslf.RegisterResourceInput{ResourceArn: aws.String(in.Location)}
	if in.RoleARN != "" {
		req.RoleArn = aws.String(in.RoleARN)
	} else {
		req.UseServiceLinkedRole = aws.Bool(true)
	}
	if in.HybridAccess {
		req.HybridAccessEnabled = aws.Bool(true)
	}
	_, err := retried(ctx, o, "RegisterResource", s.client, func(ctx context.Context) (*awslf.RegisterResourceOutput, error) {
		return s.client.RegisterResource(ctx, req, o.ClientOptions...)
	})
	var ae *types.AlreadyExistsException
	switch {
	case err == nil:
		if o.Logger != nil {
			o.Logger.Debug("registered location", "location", in.Location)
		}
		return true, nil
	case !errors.As(err, &ae):
		return false, fmt.Errorf("lakeformation: RegisterResource %s: %w", in.Location, err)
	}
	cur, err := retried(ctx, o, "DescribeResource", s.client, func(ctx context.Context) (*awslf.DescribeResourceOutput, error) {
		return s.client.DescribeResource(ctx, &awslf.DescribeResourceInput{ResourceArn: aws.String(in.Location)}, o.ClientOptions...)
	})
	if err != nil {
		return false, fmt.Errorf("lakeformation: DescribeResource %s: %w", in.Location, err)
	}
	var role string
	var hybrid bool
	if ri := cur.ResourceInfo; ri != nil {
		role, hybrid = aws.ToString(ri.RoleArn), aws.ToBool(ri.HybridAccessEnabled)
	}
	sameRole := role == in.RoleARN || (in.RoleARN == "" && strings.HasSuffix(role, "/"+serviceLinkedRoleName))
	if !sameRole || hybrid != in.HybridAccess {
		return false, &LocationConflictError{Registered: RegisterLocationInput{Location: in.Location, RoleARN: role, HybridAccess: hybrid}, Want: in}
	}
	return false, nil
}
