package lakeformation

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks"
)

// principalKind classifies a Lake Formation principal: the kinds Lake Formation accepts in
// DataLakePrincipalIdentifier.
type principalKind string

const (
	principalIAMRole             principalKind = "IAM_ROLE"               // arn:<p>:iam::<acct>:role/<name>
	principalIAMUser             principalKind = "IAM_USER"               // arn:<p>:iam::<acct>:user/<name>
	principalSAML                principalKind = "SAML"                   // arn:<p>:iam::<acct>:saml-provider/<name>:user|group/<name>
	principalIdentityCenter      principalKind = "IDENTITY_CENTER"        // arn:<p>:identitystore:::user|group/<id>
	principalAccount             principalKind = "ACCOUNT"                // 12-digit AWS account ID
	principalOrganization        principalKind = "ORGANIZATION"           // arn:<p>:organizations::<acct>:organization/o-...
	principalOrganizationalUnit  principalKind = "ORGANIZATIONAL_UNIT"    // arn:<p>:organizations::<acct>:ou/o-.../ou-...
	principalIAMAllowedPrincipal principalKind = "IAM_ALLOWED_PRINCIPALS" // the special group of all IAM principals
)

// IAMAllowedPrincipals is the special principal standing for every IAM principal with IAM
// permissions. While it holds any grant on a database or table, Lake Formation permissions on
// that resource are not enforced.
const IAMAllowedPrincipals DataLakePrincipal = "IAM_ALLOWED_PRINCIPALS"

// DataLakePrincipal is a Lake Formation principal identifier (DataLakePrincipalIdentifier),
// named as the SDK names it, apart from datablocks.Principal, the principal element of IAM
// policies. It is the identifier itself, converted: an IAM role or user ARN
// (DataLakePrincipal("arn:aws:iam::123456789012:role/analyst")), a 12-digit account ID for
// cross-account grants (the account's data lake administrator then re-grants locally), an
// Organizations organization or organizational unit ARN, a SAML or Identity Center user or
// group (SAMLPrincipal, IdentityCenterPrincipal) or IAMAllowedPrincipals. Grants validate it
// before any call; the zero value is invalid.
type DataLakePrincipal string

// SAMLPrincipal returns the principal for a SAML user or group:
// arn:<partition>:iam::<account>:saml-provider/<provider>:user/<name> (or :group/<name>).
func SAMLPrincipal(providerARN, kind, name string) DataLakePrincipal {
	return DataLakePrincipal(providerARN + ":" + kind + "/" + name)
}

// IdentityCenterPrincipal returns the principal for an IAM Identity Center user or group
// ("user" or "group") in a partition: arn:<partition>:identitystore:::<kind>/<id>.
func IdentityCenterPrincipal(p datablocks.Partition, kind, id string) DataLakePrincipal {
	return DataLakePrincipal(p.ARN("identitystore", "", "", kind+"/"+id))
}

// sdk returns the principal as the SDK type.
func (p DataLakePrincipal) sdk() *types.DataLakePrincipal {
	return &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(string(p))}
}

// validate reports whether p is a well-formed principal identifier.
func (p DataLakePrincipal) validate() error {
	_, err := p.kind()
	return err
}

// kind classifies p, or returns an error naming the rule it breaks.
func (p DataLakePrincipal) kind() (principalKind, error) {
	s := string(p)
	switch {
	case s == "":
		return "", fmt.Errorf("lakeformation: principal is empty")
	case s == string(IAMAllowedPrincipals):
		return principalIAMAllowedPrincipal, nil
	case datablocks.IsAccountID(s):
		return principalAccount, nil
	case !strings.HasPrefix(s, "arn:"):
		return "", fmt.Errorf("lakeformation: principal %q is neither an ARN, a 12-digit account ID nor IAM_ALLOWED_PRINCIPALS", s)
	}
	a, err := datablocks.ParseARN(s)
	if err != nil {
		return "", wrapf(err, "principal %q", s)
	}
	res := a.Resource
	switch a.Service {
	case "iam":
		if !datablocks.IsAccountID(a.AccountID) {
			return "", fmt.Errorf("lakeformation: principal %q: IAM ARN must name a 12-digit account", s)
		}
		switch {
		case strings.HasPrefix(res, "role/") && len(res) > len("role/"):
			return principalIAMRole, nil
		case strings.HasPrefix(res, "user/") && len(res) > len("user/"):
			return principalIAMUser, nil
		case strings.HasPrefix(res, "saml-provider/"):
			rest := strings.TrimPrefix(res, "saml-provider/")
			i := strings.Index(rest, ":")
			if i > 0 {
				sub := rest[i+1:]
				if (strings.HasPrefix(sub, "user/") && len(sub) > 5) || (strings.HasPrefix(sub, "group/") && len(sub) > 6) {
					return principalSAML, nil
				}
			}
			return "", fmt.Errorf("lakeformation: principal %q: SAML principal must be saml-provider/<name>:user/<name> or :group/<name>", s)
		}
		return "", fmt.Errorf("lakeformation: principal %q: IAM principal must be a role, a user or a SAML user/group", s)
	case "identitystore":
		if (strings.HasPrefix(res, "user/") && len(res) > 5) || (strings.HasPrefix(res, "group/") && len(res) > 6) {
			return principalIdentityCenter, nil
		}
		return "", fmt.Errorf("lakeformation: principal %q: Identity Center principal must be user/<id> or group/<id>", s)
	case "organizations":
		parts := strings.Split(res, "/")
		switch {
		case len(parts) == 2 && parts[0] == "organization" && strings.HasPrefix(parts[1], "o-"):
			return principalOrganization, nil
		case len(parts) == 3 && parts[0] == "ou" && strings.HasPrefix(parts[1], "o-") && strings.HasPrefix(parts[2], "ou-"):
			return principalOrganizationalUnit, nil
		}
		return "", fmt.Errorf("lakeformation: principal %q: Organizations principal must be organization/o-<id> or ou/o-<id>/ou-<id>", s)
	}
	return "", fmt.Errorf("lakeformation: principal %q: service %q cannot be a Lake Formation principal", s, a.Service)
}
