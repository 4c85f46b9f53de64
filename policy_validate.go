package datablocks

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// conditionOperators are IAM's condition operators, without the IfExists suffix and the
// ForAllValues:/ForAnyValue: set prefixes, which Validate strips first.
var conditionOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true, "StringNotEqualsIgnoreCase": true,
	"StringLike": true, "StringNotLike": true,
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true, "NumericLessThanEquals": true,
	"NumericGreaterThan": true, "NumericGreaterThanEquals": true,
	"DateEquals": true, "DateNotEquals": true, "DateLessThan": true, "DateLessThanEquals": true,
	"DateGreaterThan": true, "DateGreaterThanEquals": true,
	"Bool": true, "BinaryEquals": true, "IpAddress": true, "NotIpAddress": true,
	"ArnEquals": true, "ArnLike": true, "ArnNotEquals": true, "ArnNotLike": true,
	"Null": true,
}

// actionPattern is "service:Action" with IAM wildcards, or "*" alone.
var actionPattern = regexp.MustCompile(`^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$`)

// placeholderPattern finds ${...} sequences.
var placeholderPattern = regexp.MustCompile(`\$\{([^}]*)\}`)

// Validate checks the policy as IAM would before accepting it, and more strictly where IAM's
// own checks let mistakes through. It reports every problem it finds, each naming the statement:
//   - an unknown Version, no statements, or duplicate Sids;
//   - an Effect other than Allow or Deny;
//   - no actions, both Action and NotAction, or an action not of the form "service:Name";
//   - no resources in a statement without a principal (an identity policy), both Resource and
//     NotResource, or a resource that is neither "*" nor a well-formed ARN;
//   - an empty principal, or an AWS principal that is not "*", an account ID or an ARN;
//   - an unknown condition operator, or a condition key without values;
//   - an Allow of iam:PassRole without an iam:PassedToService condition, which would let the
//     role be passed to any service;
//   - a ${...} placeholder left over from a template (IAM policy variables such as
//     ${aws:username} and the escapes ${*}, ${?}, ${$} are allowed);
//   - a size over MaxRoleInlinePolicySize (matches ErrPolicyTooLarge).
func (p Policy) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("datablocks: policy: "+format, args...))
	}
	if p.Version != PolicyVersion && p.Version != "2008-10-17" {
		add("Version %q is not %q", p.Version, PolicyVersion)
	}
	if len(p.Statements) == 0 {
		add("no statements")
	}
	sids := map[string]int{}
	for i, s := range p.Statements {
		where := fmt.Sprintf("Statement[%d]", i)
		if s.Sid != "" {
			where = fmt.Sprintf("Statement[%d] (Sid %q)", i, s.Sid)
			if j, dup := sids[s.Sid]; dup {
				add("%s: Sid duplicates Statement[%d]", where, j)
			} else {
				sids[s.Sid] = i
			}
		}
		for _, e := range s.problems() {
			add("%s: %s", where, e)
		}
	}
	if size := p.Size(); size > MaxRoleInlinePolicySize {
		errs = append(errs, fmt.Errorf("datablocks: policy: %w: %d characters without white space, limit %d", ErrPolicyTooLarge, size, MaxRoleInlinePolicySize))
	}
	return errors.Join(errs...)
}

func (s Statement) problems() []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	if s.Effect != Allow && s.Effect != Deny {
		add("Effect %q is neither Allow nor Deny", s.Effect)
	}
	switch {
	case len(s.Action) == 0 && len(s.NotAction) == 0:
		add("no actions")
	case len(s.Action) > 0 && len(s.NotAction) > 0:
		add("both Action and NotAction")
	}
	for _, a := range append(slices.Clone(s.Action), s.NotAction...) {
		if !actionPattern.MatchString(a) {
			add("action %q is not of the form service:Action", a)
		}
	}
	hasPrincipal := s.Principal != nil || s.NotPrincipal != nil
	switch {
	case len(s.Resource) == 0 && len(s.NotResource) == 0 && !hasPrincipal:
		add("no resources")
	case len(s.Resource) > 0 && len(s.NotResource) > 0:
		add("both Resource and NotResource")
	}
	for _, r := range append(slices.Clone(s.Resource), s.NotResource...) {
		if r == "*" {
			continue
		}
		if _, err := ParseARN(r); err != nil {
			add("resource %q is not \"*\" or a well-formed ARN", r)
		}
	}
	for _, pr := range []*Principal{s.Principal, s.NotPrincipal} {
		if pr == nil || pr.All {
			continue
		}
		if len(pr.AWS)+len(pr.Service)+len(pr.Federated)+len(pr.CanonicalUser) == 0 {
			add("empty principal")
		}
		for _, a := range pr.AWS {
			if a != "*" && !IsAccountID(a) {
				if _, err := ParseARN(a); err != nil {
					add("AWS principal %q is not \"*\", an account ID or an ARN", a)
				}
			}
		}
	}
	for op, kv := range s.Condition {
		if !knownOperator(op) {
			add("unknown condition operator %q", op)
		}
		for k, v := range kv {
			if k == "" {
				add("condition %s has an empty key", op)
			}
			if len(v) == 0 {
				add("condition %s key %q has no values", op, k)
			}
		}
	}
	if s.Effect == Allow && matchesAction(s.Action, "iam:PassRole") && !s.hasConditionKey("iam:PassedToService") {
		add("allows iam:PassRole without an iam:PassedToService condition")
	}
	for _, v := range s.strings() {
		for _, m := range placeholderPattern.FindAllStringSubmatch(v, -1) {
			if !isPolicyVariable(m[1]) {
				add("leftover placeholder %q in %q", m[0], v)
			}
		}
	}
	return out
}

// knownOperator strips the set prefixes and the IfExists suffix and looks the operator up.
func knownOperator(op string) bool {
	base := strings.TrimPrefix(strings.TrimPrefix(op, "ForAllValues:"), "ForAnyValue:")
	if b, ok := strings.CutSuffix(base, "IfExists"); ok {
		if b == "Null" {
			return false
		}
		base = b
	}
	return conditionOperators[base]
}

// matchesAction reports whether any IAM action pattern in patterns covers action (IAM matches
// actions case-insensitively, with * and ? wildcards).
func matchesAction(patterns []string, action string) bool {
	action = strings.ToLower(action)
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToLower(p), action); ok {
			return true
		}
	}
	return false
}

func (s Statement) hasConditionKey(key string) bool {
	for _, kv := range s.Condition {
		for k := range kv {
			if strings.EqualFold(k, key) {
				return true
			}
		}
	}
	return false
}

// strings returns every string in the statement, for placeholder checks.
func (s Statement) strings() []string {
	out := []string{s.Sid}
	out = append(out, s.Action...)
	out = append(out, s.NotAction...)
	out = append(out, s.Resource...)
	out = append(out, s.NotResource...)
	for _, pr := range []*Principal{s.Principal, s.NotPrincipal} {
		if pr != nil {
			out = append(out, pr.AWS...)
			out = append(out, pr.Service...)
			out = append(out, pr.Federated...)
			out = append(out, pr.CanonicalUser...)
		}
	}
	for _, kv := range s.Condition {
		for k, v := range kv {
			out = append(out, k)
			out = append(out, v...)
		}
	}
	return out
}

// isPolicyVariable reports whether the text inside ${...} is an IAM policy variable
// (service:key, such as aws:username or aws:PrincipalTag/team) or one of the escapes *, ?, $.
func isPolicyVariable(name string) bool {
	switch name {
	case "*", "?", "$":
		return true
	}
	svc, key, ok := strings.Cut(name, ":")
	return ok && svc != "" && key != "" && !strings.ContainsAny(svc, " /")
}
