package redshift

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsredshift "github.com/aws/aws-sdk-go-v2/service/redshift"
	rstypes "github.com/aws/aws-sdk-go-v2/service/redshift/types"
	"github.com/datablocks-go/datablocks"
)

// DataShareAPIClient is the part of the Redshift control-plane client (redshift.Client) that
// DataShareControl calls.
type DataShareAPIClient interface {
	AuthorizeDataShare(ctx context.Context, params *awsredshift.AuthorizeDataShareInput, optFns ...func(*awsredshift.Options)) (*awsredshift.AuthorizeDataShareOutput, error)
	AssociateDataShareConsumer(ctx context.Context, params *awsredshift.AssociateDataShareConsumerInput, optFns ...func(*awsredshift.Options)) (*awsredshift.AssociateDataShareConsumerOutput, error)
	DescribeDataShares(ctx context.Context, params *awsredshift.DescribeDataSharesInput, optFns ...func(*awsredshift.Options)) (*awsredshift.DescribeDataSharesOutput, error)
}

var _ DataShareAPIClient = (*awsredshift.Client)(nil)

// DataShareControl runs the cross-account steps of data sharing on the Redshift control
// plane: the producer account authorizes a consumer account it granted the share to, and the
// consumer account associates the share. Both are idempotent: the association's status is
// read first (DescribeDataShares).
type DataShareControl struct {
	client DataShareAPIClient
	opts   Options
}

// NewDataShareControl returns a DataShareControl calling client. It reads ClientOptions.
func NewDataShareControl(client DataShareAPIClient, optFns ...func(*Options)) *DataShareControl {
	return &DataShareControl{client: client, opts: configure(Options{}, optFns)}
}

func (c *DataShareControl) options(optFns []func(*Options)) Options {
	return configure(c.opts, optFns)
}

func validDatashareARN(s string) error {
	a, err := datablocks.ParseARN(s)
	if err != nil || a.Service != "redshift" || !strings.HasPrefix(a.Resource, "datashare:") || !strings.Contains(a.Resource, "/") {
		return fmt.Errorf("redshift: %q is not a datashare ARN (arn:<partition>:redshift:<region>:<account>:datashare:<namespace>/<name>)", s)
	}
	return nil
}

// association returns the status of consumer's association with the share, "" when none.
func (c *DataShareControl) association(ctx context.Context, o Options, shareARN, consumer string) (rstypes.DataShareStatus, error) {
	out, err := c.client.DescribeDataShares(ctx, &awsredshift.DescribeDataSharesInput{DataShareArn: aws.String(shareARN)}, o.ClientOptions...)
	if err != nil {
		var inv *rstypes.InvalidDataShareFault
		if errors.As(err, &inv) {
			return "", nil
		}
		return "", fmt.Errorf("redshift: DescribeDataShares %s: %w", shareARN, err)
	}
	for _, s := range out.DataShares {
		for _, a := range s.DataShareAssociations {
			if aws.ToString(a.ConsumerIdentifier) == consumer {
				return a.Status, nil
			}
		}
	}
	return "", nil
}

// Authorize authorizes consumerAccount, to which the producer granted the share in SQL
// (DataSharing.Grant with Consumer.Account), unless it is already authorized or active.
func (c *DataShareControl) Authorize(ctx context.Context, shareARN, consumerAccount string, optFns ...func(*Options)) (datablocks.Change, error) {
	o := c.options(optFns)
	if err := validDatashareARN(shareARN); err != nil {
		return datablocks.Change{}, err
	}
	if !datablocks.IsAccountID(consumerAccount) {
		return datablocks.Change{}, fmt.Errorf("redshift: consumer account %q is not a 12-digit account ID", consumerAccount)
	}
	st, err := c.association(ctx, o, shareARN, consumerAccount)
	if err != nil {
		return datablocks.Change{}, err
	}
	switch st {
	case rstypes.DataShareStatusAuthorized, rstypes.DataShareStatusActive, rstypes.DataShareStatusAvailable:
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if _, err := c.client.AuthorizeDataShare(ctx, &awsredshift.AuthorizeDataShareInput{DataShareArn: aws.String(shareARN), ConsumerIdentifier: aws.String(consumerAccount)}, o.ClientOptions...); err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: AuthorizeDataShare %s for %s: %w", shareARN, consumerAccount, err)
	}
	return datablocks.Change{Action: datablocks.Created}, nil
}

// Association is how a consumer account associates a datashare.
type Association struct {
	// Account is the consumer's (the caller's) account ID. Required.
	Account string
	// ConsumerARN is the namespace ARN to associate; empty associates the entire account.
	ConsumerARN string
	// ConsumerRegion is the consumer's region when it differs from the producer's.
	ConsumerRegion string
}

// Associate associates the share with the consumer account (or one of its namespaces)
// unless the association is already active.
func (c *DataShareControl) Associate(ctx context.Context, shareARN string, a Association, optFns ...func(*Options)) (datablocks.Change, error) {
	o := c.options(optFns)
	if err := validDatashareARN(shareARN); err != nil {
		return datablocks.Change{}, err
	}
	if !datablocks.IsAccountID(a.Account) {
		return datablocks.Change{}, fmt.Errorf("redshift: Association.Account %q is not a 12-digit account ID", a.Account)
	}
	in := &awsredshift.AssociateDataShareConsumerInput{DataShareArn: aws.String(shareARN), ConsumerRegion: opt(a.ConsumerRegion)}
	if a.ConsumerARN != "" {
		arn, err := datablocks.ParseARN(a.ConsumerARN)
		if err != nil || arn.AccountID != a.Account || !strings.HasPrefix(arn.Resource, "namespace") {
			return datablocks.Change{}, fmt.Errorf("redshift: Association.ConsumerARN %q is not a namespace ARN of account %s", a.ConsumerARN, a.Account)
		}
		in.ConsumerArn = aws.String(a.ConsumerARN)
	} else {
		in.AssociateEntireAccount = aws.Bool(true)
	}
	st, err := c.association(ctx, o, shareARN, a.Account)
	if err != nil {
		return datablocks.Change{}, err
	}
	if st == rstypes.DataShareStatusActive {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if _, err := c.client.AssociateDataShareConsumer(ctx, in, o.ClientOptions...); err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: AssociateDataShareConsumer %s: %w", shareARN, err)
	}
	return datablocks.Change{Action: datablocks.Created}, nil
}
