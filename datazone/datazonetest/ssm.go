package datazonetest

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// The SSM Parameter Store operations the SSM fake implements.
const (
	OpGetParametersByPath = "GetParametersByPath"
	OpGetParameter        = "GetParameter"
	OpPutParameter        = "PutParameter"
	OpDeleteParameter     = "DeleteParameter"
)

// defaultSSMPageSize is GetParametersByPath's page size: 10, its largest MaxResults.
const defaultSSMPageSize = 10

// SSM is an in-memory SSM Parameter Store: String, StringList and SecureString parameters
// with versions, hierarchical paths and paged GetParametersByPath.
type SSM struct {
	// Controls intercepts calls, injects faults and keeps the call log.
	*fakecontrol.Controls

	opts   Options
	mu     sync.Mutex
	params map[string]*ssmtypes.Parameter
}

// NewSSM returns an empty SSM fake.
func NewSSM(optFns ...func(*Options)) *SSM {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.PageSize <= 0 || o.PageSize > defaultSSMPageSize {
		o.PageSize = defaultSSMPageSize
	}
	if o.Clock == nil {
		o.Clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	if o.AccountID == "" {
		o.AccountID = defaultAccountID
	}
	if o.Region == "" {
		o.Region = defaultRegion
	}
	return &SSM{
		Controls: fakecontrol.New(func(string) error {
			return &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded", Fault: smithy.FaultClient}
		}, OpGetParametersByPath, OpGetParameter, OpPutParameter, OpDeleteParameter),
		opts:   o,
		params: map[string]*ssmtypes.Parameter{},
	}
}

// Clock returns the fake's clock.
func (f *SSM) Clock() datablocks.Clock { return f.opts.Clock }

// Names returns the stored parameter names, sorted.
func (f *SSM) Names() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	names := make([]string, 0, len(f.params))
	for n := range f.params {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var ssmNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.\-/]+$`)

func ssmValidation(format string, args ...any) error {
	return &smithy.GenericAPIError{Code: "ValidationException", Message: fmt.Sprintf(format, args...), Fault: smithy.FaultClient}
}

// checkSSMName applies the parameter name rules of the Parameter Store documentation: 1–2048
// characters of a-zA-Z0-9_.-/, at most 15 hierarchy levels, no aws or ssm prefix.
func checkSSMName(name string) error {
	if len(name) < 1 || len(name) > 2048 {
		return ssmValidation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must have length between 1 and 2048", name)
	}
	if !ssmNameRE.MatchString(name) {
		return &ssmtypes.ParameterPatternMismatchException{Message: aws.String("Parameter name: can't contain characters other than a-zA-Z0-9_.-/")}
	}
	if strings.Count(name, "/") > 15 {
		return &ssmtypes.HierarchyLevelLimitExceededException{Message: aws.String("A parameter name can have at most 15 hierarchy levels")}
	}
	low := strings.ToLower(strings.TrimPrefix(name, "/"))
	if strings.HasPrefix(low, "aws") || strings.HasPrefix(low, "ssm") {
		return ssmValidation("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).")
	}
	if strings.HasPrefix(name, "/") && (strings.HasSuffix(name, "/") || strings.Contains(name, "//")) {
		return ssmValidation("Parameter name %s is not a valid hierarchy", name)
	}
	return nil
}

func (f *SSM) view(p *ssmtypes.Parameter, decrypt bool) ssmtypes.Parameter {
	v := *p
	if p.Type == ssmtypes.ParameterTypeSecureString && !decrypt {
		// Without decryption SSM returns the ciphertext; the fake's stands for it.
		v.Value = aws.String(base64.StdEncoding.EncodeToString([]byte("ciphertext:" + aws.ToString(p.Value))))
	}
	return v
}

// PutParameter implements the SSM operation.
func (f *SSM) PutParameter(ctx context.Context, in *ssm.PutParameterInput, _ ...func(*ssm.Options)) (*ssm.PutParameterOutput, error) {
	return handle(f.Controls, &f.mu, OpPutParameter, in, func() (*ssm.PutParameterOutput, error) {
		name := aws.ToString(in.Name)
		if err := checkSSMName(name); err != nil {
			return nil, err
		}
		if in.Value == nil {
			return nil, ssmValidation("1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null")
		}
		if len(*in.Value) > 4096 {
			return nil, ssmValidation("Standard tier parameters support a maximum parameter value of 4096 characters.")
		}
		cur := f.params[name]
		if cur != nil && !aws.ToBool(in.Overwrite) {
			return nil, &ssmtypes.ParameterAlreadyExists{Message: aws.String("The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")}
		}
		typ := in.Type
		switch {
		case typ == "" && cur == nil:
			return nil, ssmValidation("A parameter type is required when you create a parameter.")
		case typ == "":
			typ = cur.Type
		case typ != ssmtypes.ParameterTypeString && typ != ssmtypes.ParameterTypeStringList && typ != ssmtypes.ParameterTypeSecureString:
			return nil, ssmValidation("1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]", typ)
		}
		version := int64(1)
		if cur != nil {
			version = cur.Version + 1
		}
		f.params[name] = &ssmtypes.Parameter{
			Name: aws.String(name), Value: aws.String(*in.Value), Type: typ, Version: version, DataType: aws.String("text"),
			LastModifiedDate: aws.Time(f.opts.Clock.Now().UTC()),
			ARN:              aws.String(datablocks.PartitionForRegion(f.opts.Region).ARN("ssm", f.opts.Region, f.opts.AccountID, "parameter/"+strings.TrimPrefix(name, "/"))),
		}
		return &ssm.PutParameterOutput{Version: version, Tier: ssmtypes.ParameterTierStandard}, nil
	})
}

// GetParameter implements the SSM operation.
func (f *SSM) GetParameter(ctx context.Context, in *ssm.GetParameterInput, _ ...func(*ssm.Options)) (*ssm.GetParameterOutput, error) {
	return handle(f.Controls, &f.mu, OpGetParameter, in, func() (*ssm.GetParameterOutput, error) {
		p := f.params[aws.ToString(in.Name)]
		if p == nil {
			return nil, &ssmtypes.ParameterNotFound{}
		}
		v := f.view(p, aws.ToBool(in.WithDecryption))
		return &ssm.GetParameterOutput{Parameter: &v}, nil
	})
}

// DeleteParameter implements the SSM operation.
func (f *SSM) DeleteParameter(ctx context.Context, in *ssm.DeleteParameterInput, _ ...func(*ssm.Options)) (*ssm.DeleteParameterOutput, error) {
	return handle(f.Controls, &f.mu, OpDeleteParameter, in, func() (*ssm.DeleteParameterOutput, error) {
		if f.params[aws.ToString(in.Name)] == nil {
			return nil, &ssmtypes.ParameterNotFound{}
		}
		delete(f.params, *in.Name)
		return &ssm.DeleteParameterOutput{}, nil
	})
}

// GetParametersByPath implements the SSM operation: parameters under Path (direct children
// only unless Recursive), sorted by name, at most 10 per page.
func (f *SSM) GetParametersByPath(ctx context.Context, in *ssm.GetParametersByPathInput, _ ...func(*ssm.Options)) (*ssm.GetParametersByPathOutput, error) {
	return handle(f.Controls, &f.mu, OpGetParametersByPath, in, func() (*ssm.GetParametersByPathOutput, error) {
		path := aws.ToString(in.Path)
		if len(path) < 1 || len(path) > 2048 || !strings.HasPrefix(path, "/") {
			return nil, ssmValidation("The parameter path %q must start with a forward slash (/) and have at most 2048 characters", path)
		}
		size := f.opts.PageSize
		if in.MaxResults != nil {
			if *in.MaxResults < 1 || *in.MaxResults > 10 {
				return nil, ssmValidation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10", *in.MaxResults)
			}
			size = min(size, int(*in.MaxResults))
		}
		prefix := strings.TrimSuffix(path, "/") + "/"
		var names []string
		for n := range f.params {
			rest, ok := strings.CutPrefix(n, prefix)
			if !ok || (!aws.ToBool(in.Recursive) && strings.Contains(rest, "/")) {
				continue
			}
			names = append(names, n)
		}
		sort.Strings(names)
		window, next, ok := page(names, in.NextToken, size)
		if !ok {
			return nil, &ssmtypes.InvalidNextToken{Message: aws.String("The specified token is not valid.")}
		}
		out := &ssm.GetParametersByPathOutput{Parameters: []ssmtypes.Parameter{}, NextToken: next}
		for _, n := range window {
			out.Parameters = append(out.Parameters, f.view(f.params[n], aws.ToBool(in.WithDecryption)))
		}
		return out, nil
	})
}

// Service describes the SSM fake on the wire for package localaws: awsJson1_1, target prefix
// AmazonSSM, signing name "ssm".
func (f *SSM) Service() localaws.Service {
	return localaws.Service{
		SigningName:  "ssm",
		Protocol:     localaws.AWSJSON11,
		TargetPrefix: "AmazonSSM",
		Naming:       localaws.Pascal,
		Operations: []localaws.Operation{
			localaws.Op(OpGetParametersByPath, f.GetParametersByPath),
			localaws.Op(OpGetParameter, f.GetParameter),
			localaws.Op(OpPutParameter, f.PutParameter),
			localaws.Op(OpDeleteParameter, f.DeleteParameter),
		},
	}
}
