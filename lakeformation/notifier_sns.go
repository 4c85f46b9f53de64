package lakeformation

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/datablocks-go/datablocks"
)

// Notifier asks a producer to approve or deny a request for PII data.
type Notifier interface {
	// RequestApproval sends the request to the approvers. It may be called again for the same
	// request after a crash, so receivers should key on Request.ID.
	RequestApproval(ctx context.Context, r Request) error
}

// NotifierFunc adapts a function to a Notifier.
type NotifierFunc func(ctx context.Context, r Request) error

// RequestApproval calls f.
func (f NotifierFunc) RequestApproval(ctx context.Context, r Request) error { return f(ctx, r) }

// SNSNotifier publishes approval requests to an SNS topic (the data sharing blog post's
// DataLakeSharingApproval topic). The message is a JSON object with the request's fields
// request_id, consumer_account, database, table (omitted for a whole database), requester
// (omitted when unknown) and pii_reason; the message attributes request_id and
// consumer_account allow subscription filter policies.
type SNSNotifier struct {
	client   PublishAPIClient
	topicARN string
	opts     Options
}

// NewSNSNotifier returns an SNSNotifier publishing to topicARN.
func NewSNSNotifier(client PublishAPIClient, topicARN string, optFns ...func(*Options)) *SNSNotifier {
	return &SNSNotifier{client: client, topicARN: topicARN, opts: configure(Options{}, optFns)}
}

// approvalMessage is the JSON body the SNSNotifier publishes.
type approvalMessage struct {
	RequestID       string `json:"request_id"`          // the request to approve or deny
	ConsumerAccount string `json:"consumer_account"`    // the account asking for access
	Database        string `json:"database"`            // the database shared
	Table           string `json:"table,omitempty"`     // the table, empty for a whole database
	Requester       string `json:"requester,omitempty"` // who asked, if known
	PIIReason       string `json:"pii_reason"`          // why the request needs an approval (the PII found)
}

// RequestApproval publishes the approval request. It has no per-call options, since its
// signature is the Notifier interface's; configure the SNSNotifier instead.
func (n *SNSNotifier) RequestApproval(ctx context.Context, r Request) error {
	a, err := datablocks.ParseARN(n.topicARN)
	if err != nil || a.Service != "sns" {
		return fmt.Errorf("lakeformation: SNSNotifier topic %q must be an SNS topic ARN", n.topicARN)
	}
	body, err := json.Marshal(approvalMessage{RequestID: r.ID, ConsumerAccount: r.ConsumerAccount, Database: r.Database,
		Table: r.Table, Requester: r.Requester, PIIReason: r.PIIReason})
	if err != nil {
		return fmt.Errorf("lakeformation: encoding approval message: %w", err)
	}
	what := r.Database
	if r.Table != "" {
		what += "." + r.Table
	}
	subject := snsSubject(fmt.Sprintf("Approval needed: account %s requests %s", r.ConsumerAccount, what))
	_, err = n.client.Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(n.topicARN),
		Subject:  aws.String(subject),
		Message:  aws.String(string(body)),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{
			"request_id":       {DataType: aws.String("String"), StringValue: aws.String(r.ID)},
			"consumer_account": {DataType: aws.String("String"), StringValue: aws.String(r.ConsumerAccount)},
		},
	}, n.opts.SNSClientOptions...)
	if err != nil {
		return fmt.Errorf("lakeformation: SNS Publish approval request %s: %w", r.ID, err)
	}
	if n.opts.Logger != nil {
		n.opts.Logger.Debug("published approval request", "id", r.ID, "consumer", r.ConsumerAccount)
	}
	return nil
}

// maxSubjectLen is the Subject limit of SNS Publish: "less than 100 characters long".
const maxSubjectLen = 99

// snsSubject makes s a valid SNS Subject (API reference, Publish): ASCII without line breaks
// or control characters, other bytes replaced by "?", cut to fewer than 100 characters.
func snsSubject(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	if len(b) > maxSubjectLen {
		b = b[:maxSubjectLen]
	}
	return string(b)
}
