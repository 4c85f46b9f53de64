package lakeformationtest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// OpPublish is the Amazon SNS operation the SNS fake implements.
const OpPublish = "Publish"

// Limits of Publish, from the Amazon SNS API reference.
const (
	maxSNSMessageBytes  = 256 * 1024 // "at most 256 KB"
	maxSNSSubjectLen    = 99         // "less than 100 characters long"
	maxSNSAttributes    = 10         // message attributes per message
	maxSNSAttributeName = 256
	snsAPIVersion       = "2010-03-31"
	snsXMLNamespace     = "http://sns.amazonaws.com/doc/2010-03-31/"
)

// SNS is an in-memory Amazon SNS holding topics, for the approval requests of the sharing
// workflow (lakeformation.SNSNotifier); the messages published are in the call log (Calls,
// each Input a *sns.PublishInput). It implements
// Publish with the aws-sdk-go-v2 signature and is safe for concurrent use. It does not model
// subscriptions, deliveries, FIFO topics, phone numbers, platform endpoints, message
// structure "json" or encryption.
type SNS struct {
	// Controls intercept calls, inject faults and keep the call log; ThrottleNext returns the
	// query protocol's generic Throttling error.
	*fakecontrol.Controls

	mu     sync.Mutex
	topics []string
	seq    int
}

// NewSNS returns an SNS fake with no topics.
func NewSNS() *SNS {
	throttle := func(string) error {
		return &smithy.GenericAPIError{Code: "Throttling", Message: "Rate exceeded", Fault: smithy.FaultClient}
	}
	return &SNS{Controls: fakecontrol.New(throttle, OpPublish)}
}

// AddTopic creates the standard topic of an ARN (arn:<partition>:sns:<region>:<account>:<name>),
// the one the code under test publishes to.
func (s *SNS) AddTopic(topicARN string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.topics, topicARN) {
		s.topics = append(s.topics, topicARN)
	}
}

func snsInvalid(format string, args ...any) error {
	return &snstypes.InvalidParameterException{Message: aws.String(fmt.Sprintf(format, args...))}
}

// Publish checks the request by the Amazon SNS API reference and records the message:
// exactly one destination, which must be an existing topic (NotFound); a Message of at most
// 256 KB of UTF-8; a Subject of ASCII without line breaks or control characters, less than
// 100 characters; at most 10 message attributes, each with a valid name and a DataType of
// String, Number, Binary or String.Array (optionally with a custom suffix) and its value
// (InvalidParameter).
func (s *SNS) Publish(_ context.Context, in *sns.PublishInput, _ ...func(*sns.Options)) (*sns.PublishOutput, error) {
	return fakecontrol.Do(s.Controls, OpPublish, in, func(in *sns.PublishInput) (*sns.PublishOutput, error) {
		if in == nil || in.Message == nil {
			return nil, snsInvalid("Invalid parameter: Message")
		}
		dests := 0
		for _, d := range []*string{in.TopicArn, in.TargetArn, in.PhoneNumber} {
			if aws.ToString(d) != "" {
				dests++
			}
		}
		if dests != 1 {
			return nil, snsInvalid("Invalid parameter: exactly one of TopicArn, TargetArn or PhoneNumber is required")
		}
		if aws.ToString(in.PhoneNumber) != "" {
			return nil, snsInvalid("Invalid parameter: PhoneNumber (SMS is not modeled by this fake)")
		}
		topic := aws.ToString(in.TopicArn) + aws.ToString(in.TargetArn)
		msg := aws.ToString(in.Message)
		switch {
		case msg == "":
			return nil, snsInvalid("Invalid parameter: Empty message")
		case len(msg) > maxSNSMessageBytes:
			return nil, snsInvalid("Invalid parameter: Message too long")
		case !utf8.ValidString(msg):
			return nil, snsInvalid("Invalid parameter: Message must be UTF-8 encoded")
		}
		if in.Subject != nil {
			if err := subjectRule(aws.ToString(in.Subject)); err != nil {
				return nil, err
			}
		}
		if err := attributesRule(in.MessageAttributes); err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if !slices.Contains(s.topics, topic) {
			return nil, &snstypes.NotFoundException{Message: aws.String("Topic does not exist")}
		}
		s.seq++
		id := fmt.Sprintf("%08x-0000-4000-8000-%012d", s.seq, s.seq)
		return &sns.PublishOutput{MessageId: aws.String(id)}, nil
	})
}

func subjectRule(subject string) error {
	if subject == "" || len(subject) > maxSNSSubjectLen {
		return snsInvalid("Invalid parameter: Subject must be 1 to %d characters", maxSNSSubjectLen)
	}
	for i := 0; i < len(subject); i++ {
		if c := subject[i]; c < 0x20 || c > 0x7e {
			return snsInvalid("Invalid parameter: Subject must be ASCII text without line breaks or control characters")
		}
	}
	return nil
}

func attributesRule(attrs map[string]snstypes.MessageAttributeValue) error {
	if len(attrs) > maxSNSAttributes {
		return snsInvalid("Invalid parameter: Number of message attributes [%d] exceeds the allowed maximum [%d].", len(attrs), maxSNSAttributes)
	}
	for name, v := range attrs {
		lower := strings.ToLower(name)
		if name == "" || len(name) > maxSNSAttributeName || strings.HasPrefix(lower, "aws.") || strings.HasPrefix(lower, "amazon.") ||
			strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") ||
			strings.IndexFunc(name, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.')
			}) >= 0 {
			return snsInvalid("Invalid parameter: Message attribute name %q is not valid", name)
		}
		dt := aws.ToString(v.DataType)
		base, _, _ := strings.Cut(dt, ".")
		if dt == "String.Array" {
			base = "String.Array"
		}
		switch base {
		case "String", "Number", "String.Array":
			if v.StringValue == nil {
				return snsInvalid("Invalid parameter: Message attribute %q with type %s must contain a non-empty value", name, dt)
			}
		case "Binary":
			if len(v.BinaryValue) == 0 {
				return snsInvalid("Invalid parameter: Message attribute %q with type Binary must contain a non-empty value", name)
			}
		default:
			return snsInvalid("Invalid parameter: Message attribute %q has an invalid message attribute type %q", name, dt)
		}
	}
	return nil
}

// Service describes the SNS fake for package localaws: Amazon SNS speaks awsQuery
// (Action=Publish, Version 2010-03-31) and signs as "sns"; NotFound is HTTP 404.
func (s *SNS) Service() localaws.Service {
	return localaws.Service{
		SigningName:  "sns",
		Protocol:     localaws.AWSQuery,
		APIVersion:   snsAPIVersion,
		XMLNamespace: snsXMLNamespace,
		ErrorStatus:  map[string]int{"NotFound": http.StatusNotFound},
		Operations:   []localaws.Operation{localaws.Op(OpPublish, s.Publish)},
	}
}
