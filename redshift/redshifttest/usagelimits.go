package redshifttest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
	"github.com/datablocks-go/datablocks/fakecontrol"
)

// The usage limit operations of the Serverless fake.
const (
	OpCreateUsageLimit = "CreateUsageLimit"
	OpListUsageLimits  = "ListUsageLimits"
	OpUpdateUsageLimit = "UpdateUsageLimit"
	OpDeleteUsageLimit = "DeleteUsageLimit"
)

// defaultUsageLimitsPageSize is ListUsageLimits' default MaxResults (100).
const defaultUsageLimitsPageSize = 100

func checkBreachAction(a types.UsageLimitBreachAction) error {
	switch a {
	case "", types.UsageLimitBreachActionLog, types.UsageLimitBreachActionEmitMetric, types.UsageLimitBreachActionDeactivate:
		return nil
	}
	return svValidation("breachAction %q must be log, emit-metric or deactivate", a)
}

// resourceExistsLocked reports whether arn is a workgroup's or namespace's ARN.
func (s *Serverless) resourceExistsLocked(arn string) bool {
	for _, w := range s.workgroups {
		if aws.ToString(w.wg.WorkgroupArn) == arn && w.wg.Status != types.WorkgroupStatusDeleting {
			return true
		}
	}
	for _, n := range s.namespaces {
		if aws.ToString(n.ns.NamespaceArn) == arn && n.ns.Status != types.NamespaceStatusDeleting {
			return true
		}
	}
	return false
}

// CreateUsageLimit creates a usage limit on a workgroup (serverless-compute, RPU-hours) or a
// namespace or workgroup (cross-region-datasharing, TB).
func (s *Serverless) CreateUsageLimit(ctx context.Context, in *redshiftserverless.CreateUsageLimitInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateUsageLimitOutput, error) {
	return fakecontrol.Do(s.Controls, OpCreateUsageLimit, in, func(in *redshiftserverless.CreateUsageLimitInput) (*redshiftserverless.CreateUsageLimitOutput, error) {
		if in == nil || in.ResourceArn == nil || in.Amount == nil || in.UsageType == "" {
			return nil, svValidation("resourceArn, usageType and amount are required")
		}
		switch in.UsageType {
		case types.UsageLimitUsageTypeServerlessCompute, types.UsageLimitUsageTypeCrossRegionDatasharing:
		default:
			return nil, svValidation("usageType %q must be serverless-compute or cross-region-datasharing", in.UsageType)
		}
		if in.UsageType == types.UsageLimitUsageTypeServerlessCompute && !strings.Contains(*in.ResourceArn, ":workgroup/") {
			return nil, svValidation("a serverless-compute usage limit needs a workgroup ARN")
		}
		if *in.Amount < 1 {
			return nil, svValidation("amount %d must be at least 1", *in.Amount)
		}
		switch in.Period {
		case "", types.UsageLimitPeriodDaily, types.UsageLimitPeriodWeekly, types.UsageLimitPeriodMonthly:
		default:
			return nil, svValidation("period %q must be daily, weekly or monthly", in.Period)
		}
		if err := checkBreachAction(in.BreachAction); err != nil {
			return nil, err
		}
		period, action := in.Period, in.BreachAction
		if period == "" {
			period = types.UsageLimitPeriodMonthly
		}
		if action == "" {
			action = types.UsageLimitBreachActionLog
		}
		now := s.clock.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		for name := range s.workgroups {
			s.workgroupLocked(name, now)
		}
		for name := range s.namespaces {
			s.namespaceLocked(name, now)
		}
		if !s.resourceExistsLocked(*in.ResourceArn) {
			return nil, &types.ResourceNotFoundException{Message: aws.String("Resource " + *in.ResourceArn + " not found"), ResourceName: in.ResourceArn}
		}
		for _, l := range s.usageLimits {
			if aws.ToString(l.ResourceArn) == *in.ResourceArn && l.UsageType == in.UsageType && l.Period == period {
				return nil, svConflict("A %s %s usage limit already exists for %s", period, in.UsageType, *in.ResourceArn)
			}
		}
		arn, id := s.arn("usagelimit")
		l := types.UsageLimit{UsageLimitId: aws.String(id), UsageLimitArn: aws.String(arn), ResourceArn: in.ResourceArn,
			UsageType: in.UsageType, Amount: in.Amount, Period: period, BreachAction: action}
		s.usageLimits[id] = &l
		out := l
		return &redshiftserverless.CreateUsageLimitOutput{UsageLimit: &out}, nil
	})
}

// ListUsageLimits lists usage limits, optionally of one resource and usage type, MaxResults
// (1-100) at a time.
func (s *Serverless) ListUsageLimits(ctx context.Context, in *redshiftserverless.ListUsageLimitsInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.ListUsageLimitsOutput, error) {
	return fakecontrol.Do(s.Controls, OpListUsageLimits, in, func(in *redshiftserverless.ListUsageLimitsInput) (*redshiftserverless.ListUsageLimitsOutput, error) {
		if in == nil {
			in = &redshiftserverless.ListUsageLimitsInput{}
		}
		size := s.opts.PageSize
		if in.MaxResults != nil {
			if *in.MaxResults < 1 || *in.MaxResults > 100 {
				return nil, svValidation("maxResults %d must be between 1 and 100", *in.MaxResults)
			}
			size = int(*in.MaxResults)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		var ids []string
		for id, l := range s.usageLimits {
			if (in.ResourceArn == nil || aws.ToString(l.ResourceArn) == *in.ResourceArn) && (in.UsageType == "" || l.UsageType == in.UsageType) {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		from := 0
		if in.NextToken != nil {
			n, err := strconv.Atoi(strings.TrimPrefix(*in.NextToken, "u"))
			if err != nil || !strings.HasPrefix(*in.NextToken, "u") || n < 0 || n > len(ids) {
				return nil, &types.InvalidPaginationException{Message: aws.String("nextToken is invalid")}
			}
			from = n
		}
		out := &redshiftserverless.ListUsageLimitsOutput{}
		for _, id := range ids[from:min(from+size, len(ids))] {
			out.UsageLimits = append(out.UsageLimits, *s.usageLimits[id])
		}
		if from+size < len(ids) {
			out.NextToken = aws.String(fmt.Sprintf("u%d", from+size))
		}
		return out, nil
	})
}

// UpdateUsageLimit changes a usage limit's amount or breach action.
func (s *Serverless) UpdateUsageLimit(ctx context.Context, in *redshiftserverless.UpdateUsageLimitInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.UpdateUsageLimitOutput, error) {
	return fakecontrol.Do(s.Controls, OpUpdateUsageLimit, in, func(in *redshiftserverless.UpdateUsageLimitInput) (*redshiftserverless.UpdateUsageLimitOutput, error) {
		if in == nil || in.UsageLimitId == nil {
			return nil, svValidation("usageLimitId is required")
		}
		if in.Amount != nil && *in.Amount < 1 {
			return nil, svValidation("amount %d must be at least 1", *in.Amount)
		}
		if err := checkBreachAction(in.BreachAction); err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		l := s.usageLimits[*in.UsageLimitId]
		if l == nil {
			return nil, svNotFound("Usage limit", *in.UsageLimitId)
		}
		if in.Amount != nil {
			l.Amount = in.Amount
		}
		if in.BreachAction != "" {
			l.BreachAction = in.BreachAction
		}
		out := *l
		return &redshiftserverless.UpdateUsageLimitOutput{UsageLimit: &out}, nil
	})
}

// DeleteUsageLimit deletes a usage limit.
func (s *Serverless) DeleteUsageLimit(ctx context.Context, in *redshiftserverless.DeleteUsageLimitInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteUsageLimitOutput, error) {
	return fakecontrol.Do(s.Controls, OpDeleteUsageLimit, in, func(in *redshiftserverless.DeleteUsageLimitInput) (*redshiftserverless.DeleteUsageLimitOutput, error) {
		if in == nil || in.UsageLimitId == nil {
			return nil, svValidation("usageLimitId is required")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		l := s.usageLimits[*in.UsageLimitId]
		if l == nil {
			return nil, svNotFound("Usage limit", *in.UsageLimitId)
		}
		delete(s.usageLimits, *in.UsageLimitId)
		out := *l
		return &redshiftserverless.DeleteUsageLimitOutput{UsageLimit: &out}, nil
	})
}
