package redshift

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
	"github.com/datablocks-go/datablocks"
)

// UsageLimit is a usage limit on a workgroup (or, for cross-region data sharing, a namespace),
// identified by its resource, usage type and period.
type UsageLimit struct {
	// ResourceARN is the workgroup's ARN (a UUID ARN, from GetWorkgroup). Required.
	ResourceARN string
	// UsageType is serverless-compute (RPU-hours) or cross-region-datasharing (TB). Empty
	// means serverless-compute.
	UsageType types.UsageLimitUsageType
	// Amount is the limit, at least 1.
	Amount int64
	// Period is daily, weekly or monthly. Empty means monthly.
	Period types.UsageLimitPeriod
	// BreachAction is log, emit-metric or deactivate. Empty means log.
	BreachAction types.UsageLimitBreachAction
}

func (l UsageLimit) withDefaults() (UsageLimit, error) {
	if l.UsageType == "" {
		l.UsageType = types.UsageLimitUsageTypeServerlessCompute
	}
	if l.Period == "" {
		l.Period = types.UsageLimitPeriodMonthly
	}
	if l.BreachAction == "" {
		l.BreachAction = types.UsageLimitBreachActionLog
	}
	a, err := datablocks.ParseARN(l.ResourceARN)
	switch {
	case err != nil || a.Service != "redshift-serverless" || !(strings.HasPrefix(a.Resource, "workgroup/") || strings.HasPrefix(a.Resource, "namespace/")):
		return l, fmt.Errorf("redshift: UsageLimit.ResourceARN %q is not a redshift-serverless workgroup or namespace ARN", l.ResourceARN)
	case !slices.Contains(types.UsageLimitUsageType("").Values(), l.UsageType):
		return l, fmt.Errorf("redshift: UsageLimit.UsageType %q must be one of %q", l.UsageType, types.UsageLimitUsageType("").Values())
	case l.UsageType == types.UsageLimitUsageTypeServerlessCompute && !strings.HasPrefix(a.Resource, "workgroup/"):
		return l, fmt.Errorf("redshift: a serverless-compute UsageLimit needs a workgroup ARN, not %s", l.ResourceARN)
	case !slices.Contains(types.UsageLimitPeriod("").Values(), l.Period):
		return l, fmt.Errorf("redshift: UsageLimit.Period %q must be one of %q", l.Period, types.UsageLimitPeriod("").Values())
	case !slices.Contains(types.UsageLimitBreachAction("").Values(), l.BreachAction):
		return l, fmt.Errorf("redshift: UsageLimit.BreachAction %q must be one of %q", l.BreachAction, types.UsageLimitBreachAction("").Values())
	case l.Amount < 1:
		return l, fmt.Errorf("redshift: UsageLimit.Amount %d must be at least 1", l.Amount)
	}
	return l, nil
}

// find returns the existing limit with l's resource, usage type and period.
func (s *Serverless) findUsageLimit(ctx context.Context, o Options, l UsageLimit) (*types.UsageLimit, error) {
	p := redshiftserverless.NewListUsageLimitsPaginator(s.client, &redshiftserverless.ListUsageLimitsInput{ResourceArn: aws.String(l.ResourceARN), UsageType: l.UsageType})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx, o.ServerlessClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("redshift: ListUsageLimits %s: %w", l.ResourceARN, err)
		}
		for i := range out.UsageLimits {
			if cur := &out.UsageLimits[i]; cur.Period == l.Period && cur.UsageType == l.UsageType {
				return cur, nil
			}
		}
	}
	return nil, nil
}

// EnsureUsageLimit creates the usage limit or updates its amount and breach action.
func (s *Serverless) EnsureUsageLimit(ctx context.Context, l UsageLimit, optFns ...func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	l, err := l.withDefaults()
	if err != nil {
		return datablocks.Change{}, err
	}
	cur, err := s.findUsageLimit(ctx, o, l)
	if err != nil {
		return datablocks.Change{}, err
	}
	if cur == nil {
		_, err := s.client.CreateUsageLimit(ctx, &redshiftserverless.CreateUsageLimitInput{
			ResourceArn: aws.String(l.ResourceARN), UsageType: l.UsageType, Amount: aws.Int64(l.Amount), Period: l.Period, BreachAction: l.BreachAction,
		}, o.ServerlessClientOptions...)
		if err != nil {
			return datablocks.Change{}, fmt.Errorf("redshift: CreateUsageLimit %s: %w", l.ResourceARN, err)
		}
		return datablocks.Change{Action: datablocks.Created}, nil
	}
	in := &redshiftserverless.UpdateUsageLimitInput{UsageLimitId: cur.UsageLimitId}
	var changed []string
	if aws.ToInt64(cur.Amount) != l.Amount {
		in.Amount, changed = aws.Int64(l.Amount), append(changed, "Amount")
	}
	if cur.BreachAction != l.BreachAction {
		in.BreachAction, changed = l.BreachAction, append(changed, "BreachAction")
	}
	if len(changed) == 0 {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	if _, err := s.client.UpdateUsageLimit(ctx, in, o.ServerlessClientOptions...); err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: UpdateUsageLimit %s: %w", aws.ToString(cur.UsageLimitId), err)
	}
	return datablocks.Change{Action: datablocks.Updated, Changed: changed}, nil
}

// DeleteUsageLimit deletes the usage limit with l's resource, usage type and period, if there
// is one.
func (s *Serverless) DeleteUsageLimit(ctx context.Context, l UsageLimit, optFns ...func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	if l.Amount == 0 {
		l.Amount = 1 // not compared
	}
	l, err := l.withDefaults()
	if err != nil {
		return datablocks.Change{}, err
	}
	cur, err := s.findUsageLimit(ctx, o, l)
	if err != nil || cur == nil {
		return datablocks.Change{Action: datablocks.Unchanged}, err
	}
	if _, err := s.client.DeleteUsageLimit(ctx, &redshiftserverless.DeleteUsageLimitInput{UsageLimitId: cur.UsageLimitId}, o.ServerlessClientOptions...); err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: DeleteUsageLimit %s: %w", aws.ToString(cur.UsageLimitId), err)
	}
	return datablocks.Change{Action: datablocks.Deleted}, nil
}
