package lakeformationtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/lakeformation/internal/conformance"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
	"github.com/datablocks-go/datablocks/localaws"
)

// TestConformanceOverLocalAWS runs the conformance suite through the real Lake Formation
// client, over package localaws, against the fake.
func TestConformanceOverLocalAWS(t *testing.T) {
	conformance.RunConformanceTests(t, func(_ context.Context, t *testing.T) (conformance.Harness, error) {
		f := lakeformationtest.New(func(o *lakeformationtest.Options) { o.StrictCatalog = true })
		f.AddTable("conformance_db", "events", "id", "ts")
		srv := localaws.NewTestServer(t, f.Service())
		client := awslf.NewFromConfig(srv.Config(), func(o *awslf.Options) { o.RetryMaxAttempts = 1 })
		return wireHarness{harness{f}, client}, nil
	})
}

type wireHarness struct {
	harness
	client *awslf.Client
}

func (h wireHarness) Client() conformance.Client { return h.client }

// TestWireEncodingOfEveryOperation checks each operation of both fakes' Services in both
// directions with every member filled, through the real SDK clients.
func TestWireEncodingOfEveryOperation(t *testing.T) {
	lf := lakeformationtest.New().Service()
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).BatchGrantPermissions)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).BatchRevokePermissions)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).ListPermissions)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).GetDataLakeSettings)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).PutDataLakeSettings)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).RegisterResource)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).DescribeResource)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).CreateLFTag)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).GetLFTag)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).UpdateLFTag)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).DeleteLFTag)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).AddLFTagsToResource)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).GetResourceLFTags)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).SearchDatabasesByLFTags)
	localaws.CheckOperation(t, lf, awslf.NewFromConfig, (*awslf.Client).SearchTablesByLFTags)
	localaws.CheckOperation(t, lakeformationtest.NewRAM().Service(), ram.NewFromConfig, (*ram.Client).GetResourceShareInvitations)
	localaws.CheckOperation(t, lakeformationtest.NewRAM().Service(), ram.NewFromConfig, (*ram.Client).AcceptResourceShareInvitation)
	localaws.CheckOperation(t, lakeformationtest.NewSNS().Service(), sns.NewFromConfig, (*sns.Client).Publish)
}

// TestWireErrorsAndRAM: typed errors and batch failures reach the real clients unchanged.
func TestWireErrorsAndRAM(t *testing.T) {
	ctx := context.Background()
	f := lakeformationtest.New()
	r := lakeformationtest.NewRAM(func(o *lakeformationtest.Options) { o.PageSize = 1 })
	srv := localaws.NewTestServer(t, f.Service(), r.Service())
	cfg := srv.Config()
	cfg.RetryMaxAttempts = 1
	lf, rc := awslf.NewFromConfig(cfg), ram.NewFromConfig(cfg)

	_, err := lf.GetLFTag(ctx, &awslf.GetLFTagInput{TagKey: aws.String("missing")})
	var nf *types.EntityNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("GetLFTag of a missing key: %v, want *types.EntityNotFoundException", err)
	}
	out, err := lf.BatchGrantPermissions(ctx, &awslf.BatchGrantPermissionsInput{Entries: []types.BatchPermissionsRequestEntry{{
		Id: aws.String("x"), Principal: &types.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String("arn:aws:iam::123456789012:role/a")},
		Resource:    &types.Resource{Table: &types.TableResource{DatabaseName: aws.String("d")}},
		Permissions: []types.Permission{types.PermissionSelect}}}})
	if err != nil || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Error.ErrorCode) != "InvalidInputException" {
		t.Errorf("table without name or wildcard: %+v %v", out, err)
	}
	f.FailNext(lakeformationtest.OpListPermissions, &smithy.GenericAPIError{Code: "ConcurrentModificationException", Message: "Concurrent modification", Fault: smithy.FaultClient})
	_, err = lf.ListPermissions(ctx, &awslf.ListPermissionsInput{})
	var cme smithy.APIError
	if !errors.As(err, &cme) || cme.ErrorCode() != "ConcurrentModificationException" {
		t.Errorf("injected ConcurrentModificationException: %v", err)
	}

	first := r.Invite("111122223333", "a")
	r.Invite("111122223333", "b")
	var n int
	p := ram.NewGetResourceShareInvitationsPaginator(rc, &ram.GetResourceShareInvitationsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.ResourceShareInvitations)
	}
	if n != 2 {
		t.Errorf("%d invitations over pages of 1, want 2", n)
	}
	if _, err := rc.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: aws.String(first)}); err != nil {
		t.Fatal(err)
	}
	_, err = rc.AcceptResourceShareInvitation(ctx, &ram.AcceptResourceShareInvitationInput{ResourceShareInvitationArn: aws.String(first)})
	var aa *ramtypes.ResourceShareInvitationAlreadyAcceptedException
	if !errors.As(err, &aa) {
		t.Errorf("accepting twice: %v, want ResourceShareInvitationAlreadyAcceptedException", err)
	}
	r.ThrottleNext(lakeformationtest.OpGetResourceShareInvitations, 1)
	_, err = rc.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{})
	var te *ramtypes.ThrottlingException
	if !errors.As(err, &te) {
		t.Errorf("throttled: %v, want *ramtypes.ThrottlingException", err)
	}
}
