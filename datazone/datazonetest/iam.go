package datazonetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// The IAM operations the IAM fake implements.
const (
	OpPutRolePolicy    = "PutRolePolicy"
	OpGetRolePolicy    = "GetRolePolicy"
	OpDeleteRolePolicy = "DeleteRolePolicy"
	OpListRolePolicies = "ListRolePolicies"
)

// Limits of IAM inline role policies (IAM User Guide, "IAM and AWS STS quotas"; IAM API
// reference, PutRolePolicy).
const (
	// maxRoleInlinePolicySize is the aggregate size of a role's inline policies, counted
	// without whitespace.
	maxRoleInlinePolicySize = 10240
	// defaultIAMPageSize is ListRolePolicies' default MaxItems.
	defaultIAMPageSize = 100
)

// IAM is an in-memory IAM holding roles and their inline policies, enforcing the inline
// policy rules: names, document syntax, and the 10,240-character aggregate per role.
type IAM struct {
	// Controls intercepts calls, injects faults and keeps the call log.
	*fakecontrol.Controls

	opts  Options
	mu    sync.Mutex
	roles map[string]map[string]string // role name → policy name → document
}

// NewIAM returns an IAM fake without roles.
func NewIAM(optFns ...func(*Options)) *IAM {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultIAMPageSize
	}
	if o.Clock == nil {
		o.Clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	if o.AccountID == "" {
		o.AccountID = defaultAccountID
	}
	return &IAM{
		Controls: fakecontrol.New(func(string) error {
			return &smithy.GenericAPIError{Code: "Throttling", Message: "Rate exceeded", Fault: smithy.FaultClient}
		}, OpPutRolePolicy, OpGetRolePolicy, OpDeleteRolePolicy, OpListRolePolicies),
		opts:  o,
		roles: map[string]map[string]string{},
	}
}

// Clock returns the fake's clock.
func (f *IAM) Clock() datablocks.Clock { return f.opts.Clock }

// AddRole creates a role (path "/" when empty, else "/a/b/") and returns its ARN.
func (f *IAM) AddRole(name, path string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if path == "" {
		path = "/"
	}
	f.roles[name] = map[string]string{}
	return "arn:aws:iam::" + f.opts.AccountID + ":role" + path + name
}

// RolePolicies returns the names of a role's inline policies, sorted.
func (f *IAM) RolePolicies(role string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var names []string
	for n := range f.roles[role] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RolePolicy returns an inline policy's document as written (not URL-encoded).
func (f *IAM) RolePolicy(role, name string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	doc, ok := f.roles[role][name]
	return doc, ok
}

var (
	iamNameRE   = regexp.MustCompile(`^[\w+=,.@-]+$`)
	policyDocRE = regexp.MustCompile(`^[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+$`)
)

func iamValidation(format string, args ...any) error {
	return &smithy.GenericAPIError{Code: "ValidationError", Message: fmt.Sprintf(format, args...), Fault: smithy.FaultClient}
}

func checkIAMName(field, v string, hi int) error {
	if len(v) < 1 || len(v) > hi || !iamNameRE.MatchString(v) {
		return iamValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length between 1 and %d and satisfy regular expression pattern: [\\w+=,.@-]+", v, field, hi)
	}
	return nil
}

func (f *IAM) role(name *string) (map[string]string, error) {
	if err := checkIAMName("roleName", aws.ToString(name), 64); err != nil {
		return nil, err
	}
	r, ok := f.roles[*name]
	if !ok {
		return nil, &iamtypes.NoSuchEntityException{Message: aws.String("The role with name " + *name + " cannot be found.")}
	}
	return r, nil
}

// policySize counts a document's characters without whitespace, as IAM does for quotas.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// checkPolicyDocument rejects what IAM calls a MalformedPolicyDocument: not a JSON object, a
// Version other than 2012-10-17 or 2008-10-17, no Statement, statements without Effect
// (Allow or Deny), without Action/NotAction or without Resource/NotResource, or with a
// Principal (identity policies have none).
func checkPolicyDocument(doc string) error {
	malformed := func(msg string) error {
		return &iamtypes.MalformedPolicyDocumentException{Message: aws.String(msg)}
	}
	var p map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &p); err != nil || p == nil {
		return malformed("Syntax errors in policy.")
	}
	if v, ok := p["Version"]; ok {
		var s string
		if json.Unmarshal(v, &s) != nil || s != "2012-10-17" && s != "2008-10-17" {
			return malformed("The policy failed legacy parsing")
		}
	}
	raw, ok := p["Statement"]
	if !ok {
		return malformed("Syntax errors in policy.")
	}
	var stmts []map[string]json.RawMessage
	if json.Unmarshal(raw, &stmts) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(raw, &one) != nil || one == nil {
			return malformed("Syntax errors in policy.")
		}
		stmts = append(stmts, one)
	}
	for _, s := range stmts {
		var effect string
		if json.Unmarshal(s["Effect"], &effect) != nil || effect != "Allow" && effect != "Deny" {
			return malformed("Missing or invalid Effect in a statement.")
		}
		if _, ok := s["Principal"]; ok {
			return malformed("Policy document should not specify a principal.")
		}
		_, a := s["Action"]
		_, na := s["NotAction"]
		_, r := s["Resource"]
		_, nr := s["NotResource"]
		if a == na || r == nr {
			return malformed("Policy statement must contain actions and resources.")
		}
	}
	return nil
}

// PutRolePolicy implements the IAM operation.
func (f *IAM) PutRolePolicy(ctx context.Context, in *iam.PutRolePolicyInput, _ ...func(*iam.Options)) (*iam.PutRolePolicyOutput, error) {
	return handle(f.Controls, &f.mu, OpPutRolePolicy, in, func() (*iam.PutRolePolicyOutput, error) {
		r, err := f.role(in.RoleName)
		if err != nil {
			return nil, err
		}
		if err := checkIAMName("policyName", aws.ToString(in.PolicyName), 128); err != nil {
			return nil, err
		}
		doc := aws.ToString(in.PolicyDocument)
		if len(doc) < 1 || len(doc) > 131072 || !policyDocRE.MatchString(doc) {
			return nil, iamValidation("1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must have length between 1 and 131072 and satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+")
		}
		if err := checkPolicyDocument(doc); err != nil {
			return nil, err
		}
		total := policySize(doc)
		for name, d := range r {
			if name != *in.PolicyName {
				total += policySize(d)
			}
		}
		if total > maxRoleInlinePolicySize {
			return nil, &iamtypes.LimitExceededException{Message: aws.String(fmt.Sprintf("Maximum policy size of %d bytes exceeded for role %s", maxRoleInlinePolicySize, *in.RoleName))}
		}
		r[*in.PolicyName] = doc
		return &iam.PutRolePolicyOutput{}, nil
	})
}

// policy finds a role's inline policy: it returns the role's policies and the document.
func (f *IAM) policy(roleName, policyName *string) (map[string]string, string, error) {
	r, err := f.role(roleName)
	if err != nil {
		return nil, "", err
	}
	if err := checkIAMName("policyName", aws.ToString(policyName), 128); err != nil {
		return nil, "", err
	}
	doc, ok := r[*policyName]
	if !ok {
		return nil, "", &iamtypes.NoSuchEntityException{Message: aws.String("The role policy with name " + *policyName + " cannot be found.")}
	}
	return r, doc, nil
}

// GetRolePolicy implements the IAM operation; like IAM, it returns the document URL-encoded
// (RFC 3986).
func (f *IAM) GetRolePolicy(ctx context.Context, in *iam.GetRolePolicyInput, _ ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error) {
	return handle(f.Controls, &f.mu, OpGetRolePolicy, in, func() (*iam.GetRolePolicyOutput, error) {
		_, doc, err := f.policy(in.RoleName, in.PolicyName)
		if err != nil {
			return nil, err
		}
		return &iam.GetRolePolicyOutput{
			RoleName: in.RoleName, PolicyName: in.PolicyName,
			PolicyDocument: aws.String(strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")),
		}, nil
	})
}

// DeleteRolePolicy implements the IAM operation.
func (f *IAM) DeleteRolePolicy(ctx context.Context, in *iam.DeleteRolePolicyInput, _ ...func(*iam.Options)) (*iam.DeleteRolePolicyOutput, error) {
	return handle(f.Controls, &f.mu, OpDeleteRolePolicy, in, func() (*iam.DeleteRolePolicyOutput, error) {
		r, _, err := f.policy(in.RoleName, in.PolicyName)
		if err != nil {
			return nil, err
		}
		delete(r, *in.PolicyName)
		return &iam.DeleteRolePolicyOutput{}, nil
	})
}

// ListRolePolicies implements the IAM operation, names sorted, paged by Marker.
func (f *IAM) ListRolePolicies(ctx context.Context, in *iam.ListRolePoliciesInput, _ ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error) {
	return handle(f.Controls, &f.mu, OpListRolePolicies, in, func() (*iam.ListRolePoliciesOutput, error) {
		r, err := f.role(in.RoleName)
		if err != nil {
			return nil, err
		}
		size := f.opts.PageSize
		if in.MaxItems != nil {
			if *in.MaxItems < 1 || *in.MaxItems > 1000 {
				return nil, iamValidation("1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000", *in.MaxItems)
			}
			size = min(size, int(*in.MaxItems))
		}
		names := make([]string, 0, len(r))
		for n := range r {
			names = append(names, n)
		}
		sort.Strings(names)
		window, next, ok := page(names, in.Marker, size)
		if !ok {
			return nil, iamValidation("Invalid Marker")
		}
		return &iam.ListRolePoliciesOutput{PolicyNames: window, Marker: next, IsTruncated: next != nil}, nil
	})
}

// Service describes the IAM fake on the wire for package localaws: awsQuery, version
// 2010-05-08, signing name "iam".
func (f *IAM) Service() localaws.Service {
	return localaws.Service{
		SigningName:  "iam",
		Protocol:     localaws.AWSQuery,
		APIVersion:   "2010-05-08",
		XMLNamespace: "https://iam.amazonaws.com/doc/2010-05-08/",
		ErrorStatus:  map[string]int{"NoSuchEntity": 404, "LimitExceeded": 409, "MalformedPolicyDocument": 400, "ValidationError": 400, "Throttling": 400},
		Operations: []localaws.Operation{
			localaws.Op(OpPutRolePolicy, f.PutRolePolicy),
			localaws.Op(OpGetRolePolicy, f.GetRolePolicy),
			localaws.Op(OpDeleteRolePolicy, f.DeleteRolePolicy),
			localaws.Op(OpListRolePolicies, f.ListRolePolicies),
		},
	}
}
