package lakeformation

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
)

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

func (c *Consumer) AcceptInvitations(ctx context.Context, fromAccount string, optFns ...func(*Options)) ([]ramtypes.ResourceShareInvitation, error) {
	return c.acceptInvitations(ctx, fromAccount, optFns...)
}

func (c *Consumer) CreateResourceLinks(ctx context.Context, links []ResourceLink, optFns ...func(*Options)) error {
	return c.createResourceLinks(ctx, links, optFns...)
}

func (w *SharingWorkflow) ShareGrants(r Request) []Grant { return shareGrants(w.opts.CatalogID, r) }

type MemoryStore = memoryStore

var NewMemoryStore = newMemoryStore
