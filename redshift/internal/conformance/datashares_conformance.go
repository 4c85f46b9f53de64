package conformance

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsredshift "github.com/aws/aws-sdk-go-v2/service/redshift"
	rstypes "github.com/aws/aws-sdk-go-v2/service/redshift/types"
)

// DataSharesClient is the Redshift control plane as the datashare conformance suite calls it.
type DataSharesClient interface {
	AuthorizeDataShare(ctx context.Context, params *awsredshift.AuthorizeDataShareInput, optFns ...func(*awsredshift.Options)) (*awsredshift.AuthorizeDataShareOutput, error)
	DeauthorizeDataShare(ctx context.Context, params *awsredshift.DeauthorizeDataShareInput, optFns ...func(*awsredshift.Options)) (*awsredshift.DeauthorizeDataShareOutput, error)
	AssociateDataShareConsumer(ctx context.Context, params *awsredshift.AssociateDataShareConsumerInput, optFns ...func(*awsredshift.Options)) (*awsredshift.AssociateDataShareConsumerOutput, error)
	DescribeDataShares(ctx context.Context, params *awsredshift.DescribeDataSharesInput, optFns ...func(*awsredshift.Options)) (*awsredshift.DescribeDataSharesOutput, error)
}

var _ DataSharesClient = (*awsredshift.Client)(nil)

// DataSharesHarness is what the datashare conformance suite needs: a producer-side and a
// consumer-side client, a share granted (in SQL) to the consumer account and not yet
// authorized, and that account.
type DataSharesHarness struct {
	Producer, Consumer DataSharesClient
	ShareARN           string
	ConsumerAccount    string
}

// RunDataSharesConformanceTests checks the association state machine: PENDING_AUTHORIZATION
// → AUTHORIZED (AuthorizeDataShare) → ACTIVE (AssociateDataShareConsumer) → DEAUTHORIZED,
// and the InvalidDataShareFault of a step out of order.
func RunDataSharesConformanceTests(t *testing.T, newHarness func(t *testing.T) DataSharesHarness) {
	ctx := context.Background()
	t.Run("AssociationStates", func(t *testing.T) {
		h := newHarness(t)
		status := func() rstypes.DataShareStatus {
			out, err := h.Producer.DescribeDataShares(ctx, &awsredshift.DescribeDataSharesInput{DataShareArn: aws.String(h.ShareARN)})
			if err != nil || len(out.DataShares) != 1 {
				t.Fatalf("DescribeDataShares: %v", err)
			}
			for _, a := range out.DataShares[0].DataShareAssociations {
				if aws.ToString(a.ConsumerIdentifier) == h.ConsumerAccount {
					return a.Status
				}
			}
			return ""
		}
		if s := status(); s != rstypes.DataShareStatusPendingAuthorization {
			t.Fatalf("granted share: %s, want PENDING_AUTHORIZATION", s)
		}
		var inv *rstypes.InvalidDataShareFault
		if _, err := h.Consumer.AssociateDataShareConsumer(ctx, &awsredshift.AssociateDataShareConsumerInput{DataShareArn: aws.String(h.ShareARN), AssociateEntireAccount: aws.Bool(true)}); !errors.As(err, &inv) {
			t.Errorf("associate before authorization: %v, want InvalidDataShareFault", err)
		}
		if _, err := h.Producer.AuthorizeDataShare(ctx, &awsredshift.AuthorizeDataShareInput{DataShareArn: aws.String(h.ShareARN), ConsumerIdentifier: aws.String(h.ConsumerAccount)}); err != nil {
			t.Fatal(err)
		}
		if s := status(); s != rstypes.DataShareStatusAuthorized {
			t.Errorf("after AuthorizeDataShare: %s", s)
		}
		if _, err := h.Consumer.AssociateDataShareConsumer(ctx, &awsredshift.AssociateDataShareConsumerInput{DataShareArn: aws.String(h.ShareARN), AssociateEntireAccount: aws.Bool(true)}); err != nil {
			t.Fatal(err)
		}
		if s := status(); s != rstypes.DataShareStatusActive {
			t.Errorf("after AssociateDataShareConsumer: %s", s)
		}
		if _, err := h.Producer.DeauthorizeDataShare(ctx, &awsredshift.DeauthorizeDataShareInput{DataShareArn: aws.String(h.ShareARN), ConsumerIdentifier: aws.String(h.ConsumerAccount)}); err != nil {
			t.Fatal(err)
		}
		if s := status(); s != rstypes.DataShareStatusDeauthorized {
			t.Errorf("after DeauthorizeDataShare: %s", s)
		}
		if _, err := h.Producer.AuthorizeDataShare(ctx, &awsredshift.AuthorizeDataShareInput{DataShareArn: aws.String(h.ShareARN + "-missing"), ConsumerIdentifier: aws.String(h.ConsumerAccount)}); !errors.As(err, &inv) {
			t.Errorf("authorize an unknown share: %v, want InvalidDataShareFault", err)
		}
	})
}
