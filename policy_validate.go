package datablocks

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
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

// actionPattern is "service:Action" with IAM wildcards, or "*" alone. IAM matches actions case
// insensitively, so "S3:GetObject" is as valid as "s3:GetObject".
var actionPattern = regexp.MustCompile(`^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$`)

// uniqueIDPattern matches IAM unique IDs of users (AIDA), roles (AROA) and instance profiles
// (AIPA): the prefix and 17 or more upper-case letters and digits.
var uniqueIDPattern = regexp.MustCompile(`^A(IDA|ROA|IPA)[A-Z0-9]{17,}$`)

// placeholderPattern finds ${...} sequences.
var placeholderPattern = regexp.MustCompile(`\$\{([^}]*)\}`)

// Validate checks the policy as IAM would before accepting it, and more strictly where IAM's
// own checks let mistakes through. It reports every problem it finds, each naming the statement:
//   - a Version other than 2012-10-17 and 2008-10-17 (a missing Version is accepted, as IAM
//     reads it as 2008-10-17), no statements, or duplicate Sids;
//   - an Effect other than Allow or Deny;
//   - no actions, both Action and NotAction, or an action not of the form "service:Name";
//   - no resources in a statement without a principal (an identity policy), both Resource and
//     NotResource, or a resource that is neither "*" nor a well-formed ARN;
//   - an empty principal, or an AWS principal that is not "*", an account ID, an ARN without
//     wildcards, or a user or role unique ID (AIDA…, AROA…, which AWS shows in a resource
//     policy once the named principal is deleted, so that reading and writing back such a
//     policy keeps working);
//   - an unknown condition operator (the IAM operators, with at most one ForAllValues: or
//     ForAnyValue: prefix and an IfExists suffix on any but Null), an operator without keys,
//     or a condition key without values;
//   - an Allow of iam:PassRole (named, matched by a wildcard such as "iam:*" or "*", or not
//     excluded by NotAction) without a StringEquals, StringEqualsIgnoreCase or StringLike
//     condition on iam:PassedToService naming a service, which would let the role be passed to
//     any service;
//   - a ${...} placeholder left over from a template, such as ${BucketName}, ${AWS::AccountId}
//     or ${var.bucket} (IAM policy variables such as ${aws:username},
//     ${aws:PrincipalTag/team, 'default'} and ${saml:sub}, and the escapes ${*}, ${?}, ${$}
//     are allowed), or a policy variable in a policy whose Version is not 2012-10-17, where IAM
//     would match it literally;
//   - a size over maxRoleInlinePolicySize (matches ErrPolicyTooLarge).
func (p Policy) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("datablocks: policy: "+format, args...))
	}
	// IAM accepts a missing Version as 2008-10-17; only then and with 2012-10-17 does it accept
	// the policy.
	if p.Version != policyVersion && p.Version != "2008-10-17" && p.Version != "" {
		add("Version %q is not %q", p.Version, policyVersion)
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
		if p.Version != policyVersion {
			for _, v := range s.placeholders() {
				if v != "${*}" && v != "${?}" && v != "${$}" && isPolicyVariable(v[2:len(v)-1]) {
					add("%s: policy variable %s needs Version %q (IAM matches it literally otherwise)", where, v, policyVersion)
					break
				}
			}
		}
	}
	if size := p.Size(); size > maxRoleInlinePolicySize {
		errs = append(errs, fmt.Errorf("datablocks: policy: %w: %d characters without white space, limit %d", ErrPolicyTooLarge, size, maxRoleInlinePolicySize))
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
			if a == "*" || IsAccountID(a) || uniqueIDPattern.MatchString(a) {
				continue
			}
			if _, err := ParseARN(a); err != nil {
				add("AWS principal %q is not \"*\", an account ID or an ARN", a)
			} else if strings.ContainsAny(a, "*?") {
				// IAM answers "Invalid principal in policy": principals name one identity.
				add("AWS principal %q has a wildcard; use \"*\" with an aws:PrincipalArn condition", a)
			}
		}
	}
	for op, kv := range s.Condition {
		if !knownOperator(op) {
			add("unknown condition operator %q", op)
		}
		if len(kv) == 0 {
			add("condition %s has no keys", op)
		}
		for k, v := range kv {
			if k == "" {
				add("condition %s has an empty key", op)
			}
			if len(v) == 0 {
				add("condition %s key %q has no values", op, k)
			}
			for _, val := range v {
				if why := conditionValueProblem(op, val); why != "" {
					add("condition %s key %q value %q %s", op, k, val, why)
				}
			}
		}
	}
	if s.Effect == Allow && s.grants("iam:PassRole") && !s.restrictsPassedToService() {
		add("allows iam:PassRole without an iam:PassedToService condition (StringEquals, StringEqualsIgnoreCase or StringLike naming a service)")
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

// placeholders returns every ${...} in the statement.
func (s Statement) placeholders() []string {
	var out []string
	for _, v := range s.strings() {
		out = append(out, placeholderPattern.FindAllString(v, -1)...)
	}
	return out
}

// baseOperator strips one ForAllValues:/ForAnyValue: set prefix from op.
func baseOperator(op string) string {
	if b, ok := strings.CutPrefix(op, "ForAllValues:"); ok {
		return b
	}
	return strings.TrimPrefix(op, "ForAnyValue:")
}

// knownOperator strips the set prefix and the IfExists suffix and looks the operator up.
func knownOperator(op string) bool {
	base := baseOperator(op)
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

// grants reports whether the statement's Action covers action, or its NotAction leaves it in.
func (s Statement) grants(action string) bool {
	if len(s.Action) > 0 {
		return matchesAction(s.Action, action)
	}
	return len(s.NotAction) > 0 && !matchesAction(s.NotAction, action)
}

// restrictsPassedToService reports whether a positive string condition names the services
// iam:PassedToService may be: a negated operator (StringNotEquals), a Null check or a value of
// only wildcards ("*") would still let the role go to any service.
func (s Statement) restrictsPassedToService() bool {
	for op, kv := range s.Condition {
		switch strings.TrimSuffix(baseOperator(op), "IfExists") {
		case "StringEquals", "StringEqualsIgnoreCase", "StringLike":
		default:
			continue
		}
		for k, vs := range kv {
			if strings.EqualFold(k, "iam:PassedToService") && len(vs) > 0 &&
				!slices.ContainsFunc(vs, func(v string) bool { return strings.Trim(v, "*?") == "" }) {
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

// variableService is the part of a policy variable before the colon: aws, saml, sts, ec2, a
// web identity provider such as accounts.google.com or cognito-identity.amazonaws.com.
var variableService = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]*$`)

// isPolicyVariable reports whether the text inside ${...} is an IAM policy variable
// (service:key, such as aws:username or aws:PrincipalTag/team, optionally followed by a
// default value: aws:PrincipalTag/team, 'none') or one of the escapes *, ?, $. Template
// placeholders are not: ${BucketName} and ${var.bucket} have no service, and CloudFormation's
// ${AWS::AccountId} has an empty key after the first colon.
func isPolicyVariable(name string) bool {
	switch name {
	case "*", "?", "$":
		return true
	}
	name, def, hasDefault := strings.Cut(name, ",")
	if def = strings.TrimSpace(def); hasDefault && (len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'') {
		return false
	}
	svc, key, ok := strings.Cut(strings.TrimSpace(name), ":")
	return ok && variableService.MatchString(svc) && key != "" && !strings.HasPrefix(key, ":") &&
		!strings.ContainsAny(key, " \t")
}

// dateLayouts are the forms IAM's Date operators accept besides epoch seconds: ISO 8601 dates
// and date-times, as in the IAM condition operator reference.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z", "2006-01-02T15:04Z", "2006-01-02"}

// conditionValueProblem says why a value cannot work with its operator's type, or returns "".
// A wrong type is not always rejected by IAM but makes the condition never match, which is a
// silent hole in a Deny and a silent lock-out in an Allow. Values with policy variables are
// resolved when the policy is evaluated, so they are not checked.
func conditionValueProblem(op, value string) string {
	if strings.Contains(value, "${") {
		return ""
	}
	base, _ := strings.CutSuffix(baseOperator(op), "IfExists")
	switch {
	case base == "Bool" || base == "Null":
		if !strings.EqualFold(value, "true") && !strings.EqualFold(value, "false") {
			return "is not true or false"
		}
	case strings.HasPrefix(base, "Numeric"):
		if _, err := strconv.ParseFloat(value, 64); err != nil {
			return "is not a number"
		}
	case strings.HasPrefix(base, "Date"):
		if _, err := strconv.ParseInt(value, 10, 64); err == nil {
			return ""
		}
		for _, layout := range dateLayouts {
			if _, err := time.Parse(layout, value); err == nil {
				return ""
			}
		}
		return "is not an ISO 8601 date or epoch seconds"
	case base == "IpAddress" || base == "NotIpAddress":
		if _, err := netip.ParsePrefix(value); err == nil {
			return ""
		}
		if _, err := netip.ParseAddr(value); err == nil {
			return ""
		}
		return "is not an IP address or CIDR block"
	case base == "BinaryEquals":
		if _, err := base64.StdEncoding.DecodeString(value); err != nil {
			return "is not base64"
		}
	}
	return ""
}
