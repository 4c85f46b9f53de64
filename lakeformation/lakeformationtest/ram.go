package lakeformationtest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// RAM is an in-memory AWS RAM holding the resource share invitations a consumer account
// receives, with the aws-sdk-go-v2 method signatures. It is safe for concurrent use.
type RAM struct {
	// Controls intercept calls, inject faults and keep the call log; ThrottleNext returns
	// RAM's typed *types.ThrottlingException.
	*fakecontrol.Controls

	opts  Options
	clock datablocks.Clock

	mu          sync.Mutex
	invitations []ramtypes.ResourceShareInvitation
	seq         int
}

// The AWS RAM operations the RAM fake implements.
const (
	OpGetResourceShareInvitations   = "GetResourceShareInvitations"
	OpAcceptResourceShareInvitation = "AcceptResourceShareInvitation"
)

// ramRegion is the region of the invitation and share ARNs the RAM fake makes.
const ramRegion = "eu-west-1"

// defaultRAMPageSize is the largest page of invitations the RAM fake returns when the caller
// sets no MaxResults: 500, the maximum of MaxResults in the AWS RAM API reference for
// GetResourceShareInvitations.
const defaultRAMPageSize = 500

// NewRAM returns a RAM fake with no invitations.
func NewRAM(optFns ...func(*Options)) *RAM {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultRAMPageSize
	}
	if o.AccountID == "" {
		o.AccountID = defaultAccountID
	}
	clock := o.Clock
	if clock == nil {
		clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	throttle := func(string) error { return &ramtypes.ThrottlingException{Message: aws.String("Rate exceeded")} }
	return &RAM{Controls: fakecontrol.New(throttle, OpGetResourceShareInvitations, OpAcceptResourceShareInvitation), opts: o, clock: clock}
}

// Clock returns the clock the fake stamps invitations with (datablocks.ClockSource):
// Options.Clock, or its own manual clock started at the current second.
func (r *RAM) Clock() datablocks.Clock { return r.clock }

// Invite adds a PENDING invitation from senderAccountID to the fake's account, as a Lake
// Formation cross-account grant outside the organization creates, and returns its ARN.
func (r *RAM) Invite(senderAccountID, shareName string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	p := datablocks.PartitionForRegion(ramRegion)
	now := r.clock.Now()
	inv := ramtypes.ResourceShareInvitation{
		ResourceShareInvitationArn: aws.String(p.ARN("ram", ramRegion, senderAccountID, fmt.Sprintf("resource-share-invitation/%08d-0000-4000-8000-%012d", r.seq, r.seq))),
		ResourceShareArn:           aws.String(p.ARN("ram", ramRegion, senderAccountID, fmt.Sprintf("resource-share/%08d-1111-4000-8000-%012d", r.seq, r.seq))),
		ResourceShareName:          aws.String(shareName),
		SenderAccountId:            aws.String(senderAccountID),
		ReceiverAccountId:          aws.String(r.opts.AccountID),
		InvitationTimestamp:        &now,
		Status:                     ramtypes.ResourceShareInvitationStatusPending,
	}
	r.invitations = append(r.invitations, inv)
	return aws.ToString(inv.ResourceShareInvitationArn)
}

// SetStatus changes an invitation's status, e.g. to EXPIRED or REJECTED.
func (r *RAM) SetStatus(invitationARN string, status ramtypes.ResourceShareInvitationStatus) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range r.invitations {
		if aws.ToString(r.invitations[i].ResourceShareInvitationArn) == invitationARN {
			r.invitations[i].Status = status
			return true
		}
	}
	return false
}

// GetResourceShareInvitations lists invitations, optionally filtered by invitation or share
// ARNs, in pages.
func (r *RAM) GetResourceShareInvitations(_ context.Context, in *ram.GetResourceShareInvitationsInput, _ ...func(*ram.Options)) (*ram.GetResourceShareInvitationsOutput, error) {
	return fakecontrol.Do(r.Controls, OpGetResourceShareInvitations, in, func(in *ram.GetResourceShareInvitationsInput) (*ram.GetResourceShareInvitationsOutput, error) {
		if in == nil {
			in = &ram.GetResourceShareInvitationsInput{}
		}
		size := r.opts.PageSize
		if in.MaxResults != nil {
			n := int(*in.MaxResults)
			if n < 1 || n > 500 {
				return nil, &ramtypes.InvalidParameterException{Message: aws.String("maxResults must be between 1 and 500")}
			}
			size = min(size, n)
		}
		if len(in.ResourceShareInvitationArns) > 0 && len(in.ResourceShareArns) > 0 {
			return nil, &ramtypes.InvalidParameterException{Message: aws.String("specify resourceShareInvitationArns or resourceShareArns, not both")}
		}
		r.mu.Lock()
		var all []ramtypes.ResourceShareInvitation
		for _, inv := range r.invitations {
			if len(in.ResourceShareInvitationArns) > 0 && !slices.Contains(in.ResourceShareInvitationArns, aws.ToString(inv.ResourceShareInvitationArn)) {
				continue
			}
			if len(in.ResourceShareArns) > 0 && !slices.Contains(in.ResourceShareArns, aws.ToString(inv.ResourceShareArn)) {
				continue
			}
			all = append(all, inv)
		}
		r.mu.Unlock()
		page, next, err := paginate(all, in.NextToken, size)
		if err != nil {
			return nil, &ramtypes.InvalidNextTokenException{Message: aws.String("The specified value for nextToken is not valid")}
		}
		return &ram.GetResourceShareInvitationsOutput{ResourceShareInvitations: page, NextToken: next}, nil
	})
}

// AcceptResourceShareInvitation accepts a PENDING invitation. Accepting it again fails with
// ResourceShareInvitationAlreadyAcceptedException; rejected, expired and unknown invitations
// fail with their RAM errors.
func (r *RAM) AcceptResourceShareInvitation(_ context.Context, in *ram.AcceptResourceShareInvitationInput, _ ...func(*ram.Options)) (*ram.AcceptResourceShareInvitationOutput, error) {
	return fakecontrol.Do(r.Controls, OpAcceptResourceShareInvitation, in, func(in *ram.AcceptResourceShareInvitationInput) (*ram.AcceptResourceShareInvitationOutput, error) {
		if in == nil || aws.ToString(in.ResourceShareInvitationArn) == "" {
			return nil, &ramtypes.MissingRequiredParameterException{Message: aws.String("resourceShareInvitationArn is required")}
		}
		arn := aws.ToString(in.ResourceShareInvitationArn)
		if _, err := datablocks.ParseARN(arn); err != nil {
			return nil, &ramtypes.MalformedArnException{Message: aws.String("The format of ARN " + arn + " is not valid")}
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		for i := range r.invitations {
			inv := &r.invitations[i]
			if aws.ToString(inv.ResourceShareInvitationArn) != arn {
				continue
			}
			switch inv.Status {
			case ramtypes.ResourceShareInvitationStatusAccepted:
				return nil, &ramtypes.ResourceShareInvitationAlreadyAcceptedException{Message: aws.String("The invitation " + arn + " was already accepted")}
			case ramtypes.ResourceShareInvitationStatusRejected:
				return nil, &ramtypes.ResourceShareInvitationAlreadyRejectedException{Message: aws.String("The invitation " + arn + " was already rejected")}
			case ramtypes.ResourceShareInvitationStatusExpired:
				return nil, &ramtypes.ResourceShareInvitationExpiredException{Message: aws.String("The invitation " + arn + " has expired")}
			}
			inv.Status = ramtypes.ResourceShareInvitationStatusAccepted
			out := *inv
			return &ram.AcceptResourceShareInvitationOutput{ResourceShareInvitation: &out, ClientToken: in.ClientToken}, nil
		}
		return nil, &ramtypes.ResourceShareInvitationArnNotFoundException{Message: aws.String("The invitation " + arn + " was not found")}
	})
}
