package opensearch

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"
	"github.com/aws/aws-sdk-go-v2/service/opensearch/types"
)

// DomainAPIClient is the part of the OpenSearch Service client (*opensearch.Client of
// github.com/aws/aws-sdk-go-v2/service/opensearch) that CheckDomainFGAC calls.
type DomainAPIClient interface {
	DescribeDomain(ctx context.Context, params *awsos.DescribeDomainInput, optFns ...func(*awsos.Options)) (*awsos.DescribeDomainOutput, error)
}

var _ DomainAPIClient = (*awsos.Client)(nil)

// fgacError lists the fine-grained access control prerequisites a domain misses.
type fgacError struct {
	// Domain is the domain's name.
	Domain string
	// Missing names each missing prerequisite.
	Missing []string
}

// Unwrap returns ErrFGACPrerequisites.
func (e *fgacError) Unwrap() error { return ErrFGACPrerequisites }

// Error lists what is missing.
func (e *fgacError) Error() string {
	return fmt.Sprintf("opensearch: domain %q does not meet the fine-grained access control prerequisites: %s", e.Domain, strings.Join(e.Missing, "; "))
}

// checkFGAC checks the prerequisites of fine-grained access control in a DescribeDomain
// status: HTTPS enforced, node-to-node encryption, encryption at rest, and advanced security
// enabled (which AWS only allows with a master user, an IAM ARN or an internal user).
// It returns an error matching ErrFGACPrerequisites that lists every missing one, or nil.
func checkFGAC(d *types.DomainStatus) error {
	if d == nil {
		return errors.New("opensearch: checkFGAC: no domain status")
	}
	var missing []string
	if d.DomainEndpointOptions == nil || !aws.ToBool(d.DomainEndpointOptions.EnforceHTTPS) {
		missing = append(missing, "DomainEndpointOptions.EnforceHTTPS is off")
	}
	if d.NodeToNodeEncryptionOptions == nil || !aws.ToBool(d.NodeToNodeEncryptionOptions.Enabled) {
		missing = append(missing, "NodeToNodeEncryptionOptions.Enabled is off")
	}
	if d.EncryptionAtRestOptions == nil || !aws.ToBool(d.EncryptionAtRestOptions.Enabled) {
		missing = append(missing, "EncryptionAtRestOptions.Enabled is off")
	}
	if d.AdvancedSecurityOptions == nil || !aws.ToBool(d.AdvancedSecurityOptions.Enabled) {
		missing = append(missing, "AdvancedSecurityOptions.Enabled is off (fine-grained access control with a master user)")
	}
	if len(missing) > 0 {
		return &fgacError{Domain: aws.ToString(d.DomainName), Missing: missing}
	}
	return nil
}

// CheckDomainFGAC describes domain (DescribeDomain) and checks the prerequisites of
// fine-grained access control: HTTPS enforced, node-to-node encryption, encryption at rest,
// and advanced security enabled (which AWS only allows with a master user, an IAM ARN or an
// internal user). It returns an error matching ErrFGACPrerequisites that lists every
// missing one, or nil.
func CheckDomainFGAC(ctx context.Context, client DomainAPIClient, domain string, optFns ...func(*awsos.Options)) error {
	if err := validateName("domain", domain); err != nil {
		return err
	}
	out, err := client.DescribeDomain(ctx, &awsos.DescribeDomainInput{DomainName: aws.String(domain)}, optFns...)
	if err != nil {
		return fmt.Errorf("opensearch: describing domain %q: %w", domain, err)
	}
	return checkFGAC(out.DomainStatus)
}
