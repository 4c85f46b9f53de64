package datablocks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// policyVersion is the current IAM policy language version.
const policyVersion = "2012-10-17"

// maxRoleInlinePolicySize is IAM's limit on all inline policies of one role together, counted
// in characters with white space excluded, as IAM counts them.
const maxRoleInlinePolicySize = 10240

// ErrPolicyTooLarge is matched (errors.Is) by the error Validate returns for an oversized policy.
var ErrPolicyTooLarge = errors.New("policy exceeds the IAM size limit")

// Effect is a statement's effect.
type Effect string

// The two effects IAM knows.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Policy is an IAM policy document: an identity policy, a trust policy or a resource policy.
// Its JSON is deterministic: fields in IAM's order, one value printed as a string and several as
// an array, condition operators and keys sorted.
type Policy struct {
	Version    string
	ID         string
	Statements []Statement
}

// Statement is one statement of a policy. Exactly one of Action and NotAction is set, and (in an
// identity policy) exactly one of Resource and NotResource.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    *Principal
	NotPrincipal *Principal
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Condition    Condition
}

// Principal names who a resource or trust policy applies to. All is the "*" principal.
type Principal struct {
	All           bool
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// Condition maps a condition operator (StringEquals, ArnLike, ForAnyValue:StringLike, ...) to
// condition keys and their values.
type Condition map[string]map[string][]string

// NewPolicy returns a policy of the current version holding the given statements.
func NewPolicy(statements ...Statement) Policy {
	return Policy{Version: policyVersion, Statements: statements}
}

// String returns the policy as indented JSON.
func (p Policy) String() string {
	b, err := marshal(p, "  ")
	if err != nil {
		return fmt.Sprintf("<invalid policy: %v>", err)
	}
	return string(b)
}

// Compact returns the policy as JSON without white space, the form to send to IAM. Characters
// such as & < > are written as they are, not as \u0026 escapes, so the text is the one IAM
// stores and counts.
func (p Policy) Compact() string {
	b, err := marshal(p, "")
	if err != nil {
		return ""
	}
	return string(b)
}

// marshal is json.Marshal (or MarshalIndent with indent) without HTML escaping: IAM prints
// "&" in "arn:aws:s3:::b/a&b" as is, and counts it as one character.
func marshal(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// checkKeys reports the first member of the JSON object b that is not one of allowed. IAM's
// element names are case sensitive ("effect" is a syntax error), while encoding/json matches
// them case-insensitively, so the names are checked here first.
func checkKeys(what string, b []byte, allowed ...string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			return fmt.Errorf("%s: unknown element %q (IAM accepts %s, case sensitive)", what, k, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// Size returns the policy's size as IAM counts it: characters of its JSON, white space excluded.
func (p Policy) Size() int {
	n := 0
	for _, r := range p.Compact() {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// ParsePolicy parses an IAM policy document. It accepts every form IAM accepts: a single
// statement object or an array, single strings or arrays for Action, Resource and principals,
// "*" as the principal, and boolean or numeric condition values (kept as their text). Like IAM
// it rejects unknown elements and element names in the wrong case ("effect", "ID").
// ParsePolicy checks the syntax only; Validate checks the content.
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	if err := json.Unmarshal(data, &p); err != nil {
		return Policy{}, fmt.Errorf("datablocks: parsing policy: %w", err)
	}
	return p, nil
}

// stringOrList prints one value as a JSON string and several as an array.
type stringOrList []string

func (s stringOrList) MarshalJSON() ([]byte, error) {
	if len(s) == 1 {
		return marshal(s[0], "")
	}
	return marshal([]string(s), "")
}

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		out := make([]string, 0, len(raw))
		for _, r := range raw {
			v, err := scalarText(r)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		*s = out
		return nil
	}
	v, err := scalarText(b)
	if err != nil {
		return err
	}
	*s = []string{v}
	return nil
}

// scalarText returns the text of a JSON string, number or boolean.
func scalarText(b json.RawMessage) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", errors.New("empty value")
	}
	switch b[0] {
	case '"':
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	case 't', 'f':
		v, err := strconv.ParseBool(string(b))
		return strconv.FormatBool(v), err
	case '{', '[', 'n':
		return "", fmt.Errorf("expected a string, got %s", b)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return "", err
		}
		return n.String(), nil
	}
}

type policyJSON struct {
	Version   string          `json:"Version,omitempty"`
	ID        string          `json:"Id,omitempty"`
	Statement json.RawMessage `json:"Statement"`
}

// MarshalJSON implements json.Marshaler with IAM's field order.
func (p Policy) MarshalJSON() ([]byte, error) {
	stmts := p.Statements
	if stmts == nil {
		stmts = []Statement{}
	}
	sb, err := marshal(stmts, "")
	if err != nil {
		return nil, err
	}
	return marshal(policyJSON{Version: p.Version, ID: p.ID, Statement: sb}, "")
}

// UnmarshalJSON implements json.Unmarshaler; Statement may be one object or an array.
func (p *Policy) UnmarshalJSON(b []byte) error {
	if err := checkKeys("policy", b, "Version", "Id", "Statement"); err != nil {
		return err
	}
	var raw policyJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*p = Policy{Version: raw.Version, ID: raw.ID}
	st := bytes.TrimSpace(raw.Statement)
	switch {
	case len(st) == 0 || string(st) == "null":
		return errors.New("policy has no Statement")
	case st[0] == '{':
		var s Statement
		if err := json.Unmarshal(st, &s); err != nil {
			return err
		}
		p.Statements = []Statement{s}
	default:
		if err := json.Unmarshal(st, &p.Statements); err != nil {
			return err
		}
	}
	return nil
}

type statementJSON struct {
	Sid          string       `json:"Sid,omitempty"`
	Effect       Effect       `json:"Effect"`
	Principal    *Principal   `json:"Principal,omitempty"`
	NotPrincipal *Principal   `json:"NotPrincipal,omitempty"`
	Action       stringOrList `json:"Action,omitempty"`
	NotAction    stringOrList `json:"NotAction,omitempty"`
	Resource     stringOrList `json:"Resource,omitempty"`
	NotResource  stringOrList `json:"NotResource,omitempty"`
	Condition    Condition    `json:"Condition,omitempty"`
}

// MarshalJSON implements json.Marshaler with IAM's field order.
func (s Statement) MarshalJSON() ([]byte, error) {
	return marshal(statementJSON{
		Sid: s.Sid, Effect: s.Effect, Principal: s.Principal, NotPrincipal: s.NotPrincipal,
		Action: s.Action, NotAction: s.NotAction, Resource: s.Resource, NotResource: s.NotResource,
		Condition: s.Condition,
	}, "")
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *Statement) UnmarshalJSON(b []byte) error {
	if err := checkKeys("statement", b, "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
		"Resource", "NotResource", "Condition"); err != nil {
		return err
	}
	var j statementJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	*s = Statement{
		Sid: j.Sid, Effect: j.Effect, Principal: j.Principal, NotPrincipal: j.NotPrincipal,
		Action: j.Action, NotAction: j.NotAction, Resource: j.Resource, NotResource: j.NotResource,
		Condition: j.Condition,
	}
	return nil
}

type principalJSON struct {
	AWS           stringOrList `json:"AWS,omitempty"`
	CanonicalUser stringOrList `json:"CanonicalUser,omitempty"`
	Federated     stringOrList `json:"Federated,omitempty"`
	Service       stringOrList `json:"Service,omitempty"`
}

// MarshalJSON prints "*" for All and otherwise an object keyed AWS, CanonicalUser, Federated,
// Service.
func (p Principal) MarshalJSON() ([]byte, error) {
	if p.All {
		return []byte(`"*"`), nil
	}
	return marshal(principalJSON{AWS: p.AWS, CanonicalUser: p.CanonicalUser, Federated: p.Federated, Service: p.Service}, "")
}

// UnmarshalJSON accepts "*" or an object.
func (p *Principal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s != "*" {
			return fmt.Errorf("principal string must be \"*\", got %q", s)
		}
		*p = Principal{All: true}
		return nil
	}
	if err := checkKeys("principal", b, "AWS", "CanonicalUser", "Federated", "Service"); err != nil {
		return err
	}
	var j principalJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("principal: %w", err)
	}
	*p = Principal{AWS: j.AWS, CanonicalUser: j.CanonicalUser, Federated: j.Federated, Service: j.Service}
	return nil
}

// MarshalJSON prints each key's values as a string when single and an array otherwise.
func (c Condition) MarshalJSON() ([]byte, error) {
	out := make(map[string]map[string]stringOrList, len(c))
	for op, kv := range c {
		m := make(map[string]stringOrList, len(kv))
		for k, v := range kv {
			m[k] = v
		}
		out[op] = m
	}
	return marshal(out, "") // encoding/json sorts map keys
}

// UnmarshalJSON accepts string, boolean and numeric values, single or in arrays.
func (c *Condition) UnmarshalJSON(b []byte) error {
	var in map[string]map[string]stringOrList
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("condition: %w", err)
	}
	out := make(Condition, len(in))
	for op, kv := range in {
		m := make(map[string][]string, len(kv))
		for k, v := range kv {
			m[k] = v
		}
		out[op] = m
	}
	*c = out
	return nil
}

// Put returns a copy of the policy with s added, replacing the statement with the same Sid if
// there is one. A statement without a Sid is appended.
func (p Policy) Put(s Statement) Policy {
	out := p.clone()
	if s.Sid != "" {
		for i := range out.Statements {
			if out.Statements[i].Sid == s.Sid {
				out.Statements[i] = s
				return out
			}
		}
	}
	out.Statements = append(out.Statements, s)
	return out
}

// Remove returns a copy of the policy without the statement with the given Sid, and whether
// there was one.
func (p Policy) Remove(sid string) (Policy, bool) {
	out := p.clone()
	i := slices.IndexFunc(out.Statements, func(s Statement) bool { return s.Sid == sid })
	if i < 0 {
		return out, false
	}
	out.Statements = slices.Delete(out.Statements, i, i+1)
	return out, true
}

// Merge returns a copy of the policy with the statements merged in by Sid. A statement whose
// Sid is new (or empty) is appended. One whose Sid exists is folded into the existing statement
// when both have the same effect, principals and conditions and either the same actions (the
// Resource lists are united) or the same resources (the Action lists are united); any other
// overlap, including differing NotAction or NotResource lists, would change what the
// statements match, so it is an error naming the Sid.
func (p Policy) Merge(statements ...Statement) (Policy, error) {
	out := p.clone()
	for _, s := range statements {
		i := -1
		if s.Sid != "" {
			i = slices.IndexFunc(out.Statements, func(e Statement) bool { return e.Sid == s.Sid })
		}
		if i < 0 {
			out.Statements = append(out.Statements, s)
			continue
		}
		merged, err := mergeStatement(out.Statements[i], s)
		if err != nil {
			return Policy{}, err
		}
		out.Statements[i] = merged
	}
	return out, nil
}

func mergeStatement(a, b Statement) (Statement, error) {
	conflict := func(why string) (Statement, error) {
		return Statement{}, fmt.Errorf("datablocks: cannot merge statements with Sid %q: %s", a.Sid, why)
	}
	if a.Effect != b.Effect {
		return conflict("different effects")
	}
	if !equalPrincipal(a.Principal, b.Principal) || !equalPrincipal(a.NotPrincipal, b.NotPrincipal) {
		return conflict("different principals")
	}
	if !equalCondition(a.Condition, b.Condition) {
		return conflict("different conditions")
	}
	if (len(a.Action) > 0) != (len(b.Action) > 0) || (len(a.Resource) > 0) != (len(b.Resource) > 0) {
		return conflict("one uses NotAction or NotResource where the other does not")
	}
	// Only positive lists unite: the union of two statements with NotResource X and
	// NotResource Y covers everything but the intersection of X and Y, not their union, and
	// for a Deny a united NotResource list would deny less than the two statements did.
	sameActions := sameSet(a.Action, b.Action) && sameSet(a.NotAction, b.NotAction)
	sameResources := sameSet(a.Resource, b.Resource) && sameSet(a.NotResource, b.NotResource)
	out := a
	switch {
	case sameActions && sameResources:
	case sameActions && len(a.NotResource) == 0 && len(b.NotResource) == 0:
		out.Resource = union(a.Resource, b.Resource)
	case sameResources && len(a.NotAction) == 0 && len(b.NotAction) == 0:
		out.Action = union(a.Action, b.Action)
	case sameActions || sameResources:
		return conflict("their NotAction or NotResource lists differ, which cannot be united without changing what they match")
	default:
		return conflict("both actions and resources differ, and uniting them would grant every action on every resource")
	}
	return out, nil
}

func (p Policy) clone() Policy {
	out := p
	out.Statements = slices.Clone(p.Statements)
	return out
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, v := range b {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	as, bs := slices.Clone(a), slices.Clone(b)
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(slices.Compact(as), slices.Compact(bs))
}

func equalPrincipal(a, b *Principal) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.All == b.All && sameSet(a.AWS, b.AWS) && sameSet(a.Service, b.Service) &&
		sameSet(a.Federated, b.Federated) && sameSet(a.CanonicalUser, b.CanonicalUser)
}

func equalCondition(a, b Condition) bool {
	if len(a) != len(b) {
		return false
	}
	for op, akv := range a {
		bkv, ok := b[op]
		if !ok || len(akv) != len(bkv) {
			return false
		}
		for k, av := range akv {
			bv, ok := bkv[k]
			if !ok || !sameSet(av, bv) {
				return false
			}
		}
	}
	return true
}
