package lakeformation

import "github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

// Internals the external tests check directly.

var ResourceFromSDK = resourceFromSDK

func ValidateGrants(grants []Grant) error { return validateList("grants", grants) }

func ValidPermissions(r Resource) []types.Permission { return validPermissions[r.matrixClass()] }

func (r Resource) Key() string { return r.key() }

func (r Resource) SDK() *types.Resource { return r.sdk() }

func (p DataLakePrincipal) SDK() *types.DataLakePrincipal { return p.sdk() }

// ParsePrincipal classifies a principal identifier: IAM_ROLE, IAM_USER, SAML,
// IDENTITY_CENTER, ACCOUNT, ORGANIZATION, ORGANIZATIONAL_UNIT or IAM_ALLOWED_PRINCIPALS.
func ParsePrincipal(s string) (DataLakePrincipal, string, error) {
	k, err := DataLakePrincipal(s).kind()
	return DataLakePrincipal(s), string(k), err
}

var LinkGrants = linkGrants

func (m *Mesh) DomainGrants(d Domain) []Grant { return domainGrants(m.opts, d) }
