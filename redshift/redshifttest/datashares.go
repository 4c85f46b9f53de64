package redshifttest

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsredshift "github.com/aws/aws-sdk-go-v2/service/redshift"
	rstypes "github.com/aws/aws-sdk-go-v2/service/redshift/types"
	"github.com/aws/smithy-go"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// The Redshift (provisioned control plane) datashare operations the DataShares fake
// implements.
const (
	OpAuthorizeDataShare         = "AuthorizeDataShare"
	OpDeauthorizeDataShare       = "DeauthorizeDataShare"
	OpAssociateDataShareConsumer = "AssociateDataShareConsumer"
	OpDescribeDataShares         = "DescribeDataShares"
)

// defaultDataSharesPageSize is DescribeDataShares' default MaxRecords (100).
const defaultDataSharesPageSize = 100

// DataShares is a fake of the Redshift control plane's datashare associations: a grant to an
// account (made in SQL on the producer, modelled by GrantToAccount) is PENDING_AUTHORIZATION,
// AuthorizeDataShare makes it AUTHORIZED, AssociateDataShareConsumer ACTIVE, and
// DeauthorizeDataShare DEAUTHORIZED. It is safe for concurrent use.
type DataShares struct {
	*fakecontrol.Controls
	opts  Options
	clock datablocks.Clock

	mu     sync.Mutex
	shares map[string]*rstypes.DataShare
}

// NewDataShares returns a DataShares fake.
func NewDataShares(optFns ...func(*Options)) *DataShares {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.AccountID == "" {
		o.AccountID = "210987654321"
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultDataSharesPageSize
	}
	clock := o.Clock
	if clock == nil {
		clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	return &DataShares{
		Controls: fakecontrol.New(nil, OpAuthorizeDataShare, OpDeauthorizeDataShare, OpAssociateDataShareConsumer, OpDescribeDataShares),
		opts:     o, clock: clock, shares: map[string]*rstypes.DataShare{},
	}
}

// Clock returns the fake's clock.
func (d *DataShares) Clock() datablocks.Clock { return d.clock }

// Service describes the fake as the redshift service (awsQuery) for localaws.
func (d *DataShares) Service() localaws.Service {
	return localaws.Service{
		SigningName: "redshift", Protocol: localaws.AWSQuery, APIVersion: "2012-12-01",
		XMLNamespace: "http://redshift.amazonaws.com/doc/2012-12-01/",
		Operations: []localaws.Operation{
			localaws.Op(OpAuthorizeDataShare, d.AuthorizeDataShare), localaws.Op(OpDeauthorizeDataShare, d.DeauthorizeDataShare),
			localaws.Op(OpAssociateDataShareConsumer, d.AssociateDataShareConsumer), localaws.Op(OpDescribeDataShares, d.DescribeDataShares),
		},
	}
}

var (
	datashareARNRe = regexp.MustCompile(`^arn:(aws[a-z-]*):redshift:([a-z0-9-]+):(\d{12}):datashare:([^/]+)/(.+)$`)
	consumerARNRe  = regexp.MustCompile(`^arn:aws[a-z-]*:redshift(-serverless)?:[a-z0-9-]+:(\d{12}):namespace[:/].+$`)
)

func invalidShare(format string, args ...any) error {
	return &rstypes.InvalidDataShareFault{Message: aws.String(fmt.Sprintf(format, args...))}
}

// GrantToAccount records the producer's GRANT USAGE ON DATASHARE … TO ACCOUNT 'account'
// for the share with ARN shareARN: an association PENDING_AUTHORIZATION.
func (d *DataShares) GrantToAccount(shareARN, account string) error {
	m := datashareARNRe.FindStringSubmatch(shareARN)
	if m == nil {
		return fmt.Errorf("redshifttest: %q is not a datashare ARN", shareARN)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.shares[shareARN]
	if s == nil {
		s = &rstypes.DataShare{
			DataShareArn: aws.String(shareARN), DataShareType: rstypes.DataShareTypeInternal,
			ProducerArn:                      aws.String(fmt.Sprintf("arn:%s:redshift-serverless:%s:%s:namespace/%s", m[1], m[2], m[3], m[4])),
			AllowPubliclyAccessibleConsumers: aws.Bool(false),
		}
		d.shares[shareARN] = s
	}
	now := d.clock.Now()
	for _, a := range s.DataShareAssociations {
		if aws.ToString(a.ConsumerIdentifier) == account {
			return nil
		}
	}
	s.DataShareAssociations = append(s.DataShareAssociations, rstypes.DataShareAssociation{
		ConsumerIdentifier: aws.String(account), Status: rstypes.DataShareStatusPendingAuthorization, CreatedDate: aws.Time(now), StatusChangeDate: aws.Time(now),
	})
	return nil
}

func (d *DataShares) shareLocked(arn *string) (*rstypes.DataShare, error) {
	if arn == nil || !datashareARNRe.MatchString(*arn) {
		return nil, invalidShare("DataShareArn %q is not a datashare ARN", aws.ToString(arn))
	}
	s := d.shares[*arn]
	if s == nil {
		return nil, invalidShare("There is no datashare %s granted to a consumer", *arn)
	}
	return s, nil
}

// move changes the status of the share's association with consumer from one of from to to
// (setting the consumer's region if given) and returns the share as it is then.
func (d *DataShares) move(arn *string, consumer string, from []rstypes.DataShareStatus, to rstypes.DataShareStatus, region *string) (rstypes.DataShare, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.shareLocked(arn)
	if err != nil {
		return rstypes.DataShare{}, err
	}
	for i := range s.DataShareAssociations {
		a := &s.DataShareAssociations[i]
		if aws.ToString(a.ConsumerIdentifier) != consumer {
			continue
		}
		for _, f := range from {
			if a.Status == f {
				a.Status, a.StatusChangeDate = to, aws.Time(d.clock.Now())
				if region != nil {
					a.ConsumerRegion = region
				}
				return shareOutput(s), nil
			}
		}
		return rstypes.DataShare{}, invalidShare("The association of datashare %s with %s is %s", aws.ToString(s.DataShareArn), consumer, a.Status)
	}
	return rstypes.DataShare{}, invalidShare("Datashare %s is not granted to %s", aws.ToString(s.DataShareArn), consumer)
}

func shareOutput(s *rstypes.DataShare) rstypes.DataShare {
	out := *s
	out.DataShareAssociations = append([]rstypes.DataShareAssociation(nil), s.DataShareAssociations...)
	return out
}

// AuthorizeDataShare authorizes a consumer account the share was granted to.
func (d *DataShares) AuthorizeDataShare(ctx context.Context, in *awsredshift.AuthorizeDataShareInput, _ ...func(*awsredshift.Options)) (*awsredshift.AuthorizeDataShareOutput, error) {
	return fakecontrol.Do(d.Controls, OpAuthorizeDataShare, in, func(in *awsredshift.AuthorizeDataShareInput) (*awsredshift.AuthorizeDataShareOutput, error) {
		if in == nil || in.ConsumerIdentifier == nil {
			return nil, invalidShare("ConsumerIdentifier is required")
		}
		o, err := d.move(in.DataShareArn, *in.ConsumerIdentifier, []rstypes.DataShareStatus{rstypes.DataShareStatusPendingAuthorization, rstypes.DataShareStatusDeauthorized}, rstypes.DataShareStatusAuthorized, nil)
		if err != nil {
			return nil, err
		}
		return &awsredshift.AuthorizeDataShareOutput{DataShareArn: o.DataShareArn, ProducerArn: o.ProducerArn, DataShareAssociations: o.DataShareAssociations,
			AllowPubliclyAccessibleConsumers: o.AllowPubliclyAccessibleConsumers, DataShareType: o.DataShareType}, nil
	})
}

// DeauthorizeDataShare withdraws a consumer account's authorization.
func (d *DataShares) DeauthorizeDataShare(ctx context.Context, in *awsredshift.DeauthorizeDataShareInput, _ ...func(*awsredshift.Options)) (*awsredshift.DeauthorizeDataShareOutput, error) {
	return fakecontrol.Do(d.Controls, OpDeauthorizeDataShare, in, func(in *awsredshift.DeauthorizeDataShareInput) (*awsredshift.DeauthorizeDataShareOutput, error) {
		if in == nil || in.ConsumerIdentifier == nil {
			return nil, invalidShare("ConsumerIdentifier is required")
		}
		o, err := d.move(in.DataShareArn, *in.ConsumerIdentifier, []rstypes.DataShareStatus{rstypes.DataShareStatusAuthorized, rstypes.DataShareStatusActive, rstypes.DataShareStatusAvailable}, rstypes.DataShareStatusDeauthorized, nil)
		if err != nil {
			return nil, err
		}
		return &awsredshift.DeauthorizeDataShareOutput{DataShareArn: o.DataShareArn, ProducerArn: o.ProducerArn, DataShareAssociations: o.DataShareAssociations,
			AllowPubliclyAccessibleConsumers: o.AllowPubliclyAccessibleConsumers, DataShareType: o.DataShareType}, nil
	})
}

// AssociateDataShareConsumer associates an authorized consumer account (the calling account,
// or the account of ConsumerArn) with the share, making it ACTIVE.
func (d *DataShares) AssociateDataShareConsumer(ctx context.Context, in *awsredshift.AssociateDataShareConsumerInput, _ ...func(*awsredshift.Options)) (*awsredshift.AssociateDataShareConsumerOutput, error) {
	return fakecontrol.Do(d.Controls, OpAssociateDataShareConsumer, in, func(in *awsredshift.AssociateDataShareConsumerInput) (*awsredshift.AssociateDataShareConsumerOutput, error) {
		if in == nil {
			in = &awsredshift.AssociateDataShareConsumerInput{}
		}
		entire := aws.ToBool(in.AssociateEntireAccount)
		if entire == (in.ConsumerArn != nil) {
			return nil, &smithy.GenericAPIError{Code: "InvalidParameterValue", Message: "Give exactly one of AssociateEntireAccount true and ConsumerArn", Fault: smithy.FaultClient}
		}
		account := d.opts.AccountID
		if in.ConsumerArn != nil {
			m := consumerARNRe.FindStringSubmatch(*in.ConsumerArn)
			if m == nil {
				return nil, &rstypes.InvalidNamespaceFault{Message: aws.String(fmt.Sprintf("ConsumerArn %q is not a namespace ARN", *in.ConsumerArn))}
			}
			account = m[2]
		}
		o, err := d.move(in.DataShareArn, account, []rstypes.DataShareStatus{rstypes.DataShareStatusAuthorized}, rstypes.DataShareStatusActive, in.ConsumerRegion)
		if err != nil {
			return nil, err
		}
		return &awsredshift.AssociateDataShareConsumerOutput{DataShareArn: o.DataShareArn, ProducerArn: o.ProducerArn, DataShareAssociations: o.DataShareAssociations,
			AllowPubliclyAccessibleConsumers: o.AllowPubliclyAccessibleConsumers, DataShareType: o.DataShareType}, nil
	})
}

// DescribeDataShares lists the shares (one, with DataShareArn), MaxRecords (20-100) at a
// time.
func (d *DataShares) DescribeDataShares(ctx context.Context, in *awsredshift.DescribeDataSharesInput, _ ...func(*awsredshift.Options)) (*awsredshift.DescribeDataSharesOutput, error) {
	return fakecontrol.Do(d.Controls, OpDescribeDataShares, in, func(in *awsredshift.DescribeDataSharesInput) (*awsredshift.DescribeDataSharesOutput, error) {
		if in == nil {
			in = &awsredshift.DescribeDataSharesInput{}
		}
		size := d.opts.PageSize
		if in.MaxRecords != nil {
			if *in.MaxRecords < 20 || *in.MaxRecords > 100 {
				return nil, &smithy.GenericAPIError{Code: "InvalidParameterValue", Message: "MaxRecords must be between 20 and 100", Fault: smithy.FaultClient}
			}
			size = int(*in.MaxRecords)
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		var arns []string
		for arn := range d.shares {
			if in.DataShareArn == nil || *in.DataShareArn == arn {
				arns = append(arns, arn)
			}
		}
		sort.Strings(arns)
		from := 0
		if in.Marker != nil {
			n, err := strconv.Atoi(*in.Marker)
			if err != nil || n < 0 || n > len(arns) {
				return nil, &smithy.GenericAPIError{Code: "InvalidParameterValue", Message: "Marker is invalid", Fault: smithy.FaultClient}
			}
			from = n
		}
		out := &awsredshift.DescribeDataSharesOutput{}
		for _, arn := range arns[from:min(from+size, len(arns))] {
			out.DataShares = append(out.DataShares, shareOutput(d.shares[arn]))
		}
		if from+size < len(arns) {
			out.Marker = aws.String(strconv.Itoa(from + size))
		}
		return out, nil
	})
}
