package msk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/segmentio/kafka-go"
)

// ACLBinding is one Kafka ACL: a permission for a principal, from a host, to perform an
// operation on a resource (or on resources whose names start with ResourceName, for the
// prefixed pattern type). Kafka ACLs apply to SCRAM and mutual-TLS principals; IAM-authenticated
// clients are authorized by IAM policies instead (ProducerPolicy, ConsumerPolicy).
//
// An ACLBinding is also the filter of DescribeACLs and DeleteACLs. There every zero field
// matches anything (any resource type, name, pattern type, principal, host, operation or
// permission), and PatternType kafka.PatternTypeMatch matches the literal, wildcard and
// prefixed bindings that apply to ResourceName. A binding that DescribeACLs, ProducerACLs or
// ConsumerACLs returns has every field set, so as a filter it matches exactly itself.
type ACLBinding struct {
	// ResourceType is kafka.ResourceTypeTopic, ResourceTypeGroup, ResourceTypeCluster or
	// ResourceTypeTransactionalID.
	ResourceType kafka.ResourceType
	// ResourceName is the topic, group or transactional ID ("*" for all); "kafka-cluster" for
	// the cluster (kafka.ResourceTypeCluster).
	ResourceName string
	// PatternType is kafka.PatternTypeLiteral or PatternTypePrefixed. Zero means literal.
	PatternType kafka.PatternType
	// Principal is "User:<name>" (a SCRAM user name or a TLS certificate's distinguished
	// name), or "User:*".
	Principal string
	// Host is the client address the binding applies to. Empty means "*" (every host).
	Host string
	// Operation is what is allowed or denied, e.g. kafka.ACLOperationTypeWrite.
	Operation kafka.ACLOperationType
	// Permission is kafka.ACLPermissionTypeAllow or ACLPermissionTypeDeny. Zero means allow.
	Permission kafka.ACLPermissionType
}

// clusterResourceName is the resource name of the cluster in ACL bindings.
const clusterResourceName = "kafka-cluster"

// String renders the binding in the style of kafka-acls --list output.
func (b ACLBinding) String() string {
	b = b.withDefaults()
	return fmt.Sprintf("(principal=%s, host=%s, operation=%s, permissionType=%s) on %s:%s:%s",
		b.Principal, b.Host, strings.ToUpper(b.Operation.String()), strings.ToUpper(b.Permission.String()),
		strings.ToUpper(b.PatternType.String()), resourceTypeName(b.ResourceType), b.ResourceName)
}

func resourceTypeName(t kafka.ResourceType) string {
	switch t {
	case kafka.ResourceTypeTopic:
		return "Topic"
	case kafka.ResourceTypeGroup:
		return "Group"
	case kafka.ResourceTypeCluster:
		return "Cluster"
	case kafka.ResourceTypeTransactionalID:
		return "TransactionalId"
	}
	return t.String()
}

func (b ACLBinding) withDefaults() ACLBinding {
	if b.PatternType == 0 {
		b.PatternType = kafka.PatternTypeLiteral
	}
	if b.Host == "" {
		b.Host = "*"
	}
	if b.Permission == 0 {
		b.Permission = kafka.ACLPermissionTypeAllow
	}
	return b
}

func (b ACLBinding) validate() error {
	switch b.ResourceType {
	case kafka.ResourceTypeTopic, kafka.ResourceTypeGroup, kafka.ResourceTypeTransactionalID:
		if b.ResourceName == "" {
			return fmt.Errorf("ResourceName is empty")
		}
	case kafka.ResourceTypeCluster:
		if b.ResourceName != clusterResourceName {
			return fmt.Errorf("ResourceName of a cluster binding must be %q, not %q", clusterResourceName, b.ResourceName)
		}
	default:
		return fmt.Errorf("ResourceType %s is not topic, group, cluster or transactional ID", b.ResourceType)
	}
	if b.ResourceType == kafka.ResourceTypeTopic && b.ResourceName != "*" && b.PatternType != kafka.PatternTypePrefixed {
		if err := ValidateTopicName(b.ResourceName); err != nil {
			return err
		}
	}
	if b.PatternType != kafka.PatternTypeLiteral && b.PatternType != kafka.PatternTypePrefixed {
		return fmt.Errorf("PatternType %s is not literal or prefixed", b.PatternType)
	}
	if err := validPrincipal(b.Principal); err != nil {
		return err
	}
	if strings.ContainsAny(b.Host, " \t\n") {
		return fmt.Errorf("host %q contains white space", b.Host)
	}
	if b.Operation < kafka.ACLOperationTypeAll || b.Operation > kafka.ACLOperationTypeIdempotentWrite {
		return fmt.Errorf("operation %d is not a concrete ACL operation", b.Operation)
	}
	if b.Permission != kafka.ACLPermissionTypeAllow && b.Permission != kafka.ACLPermissionTypeDeny {
		return fmt.Errorf("permission %s is not allow or deny", b.Permission)
	}
	return nil
}

func validPrincipal(p string) error {
	typ, name, ok := strings.Cut(p, ":")
	if !ok || typ == "" || name == "" {
		return fmt.Errorf("principal %q is not of the form User:<name>", p)
	}
	return nil
}

// filter returns the binding as a Kafka ACL filter: zero fields match anything.
func (f ACLBinding) filter() kafka.ACLFilter {
	or := func(v, any int8) int8 {
		if v == 0 {
			return any
		}
		return v
	}
	return kafka.ACLFilter{
		ResourceTypeFilter:        kafka.ResourceType(or(int8(f.ResourceType), int8(kafka.ResourceTypeAny))),
		ResourceNameFilter:        f.ResourceName,
		ResourcePatternTypeFilter: kafka.PatternType(or(int8(f.PatternType), int8(kafka.PatternTypeAny))),
		PrincipalFilter:           f.Principal,
		HostFilter:                f.Host,
		Operation:                 kafka.ACLOperationType(or(int8(f.Operation), int8(kafka.ACLOperationTypeAny))),
		PermissionType:            kafka.ACLPermissionType(or(int8(f.Permission), int8(kafka.ACLPermissionTypeAny))),
	}
}

// ACLAdmin creates, describes and deletes Kafka ACLs. It is safe for concurrent use.
type ACLAdmin struct {
	client ACLsAPIClient
	opts   Options
}

// NewACLAdmin returns an ACLAdmin calling client, usually a *kafka.Client of
// github.com/segmentio/kafka-go.
func NewACLAdmin(client ACLsAPIClient, optFns ...func(*Options)) *ACLAdmin {
	return &ACLAdmin{client: client, opts: configure(Options{}, optFns)}
}

func (a *ACLAdmin) options(optFns []func(*Options)) Options {
	return configure(a.opts, optFns)
}

// ACLBatchError reports the bindings of a CreateACLs call the broker rejected. Errors is
// aligned with the input: Errors[i] is nil when bindings[i] was created.
//
//	var batch *msk.ACLBatchError
//	if errors.As(err, &batch) { for i, e := range batch.Errors { ... } }
type ACLBatchError struct {
	// bindings are the bindings of the call, in input order, with defaults applied.
	bindings []ACLBinding
	// Errors is aligned with the input: nil for a binding that was created, else the broker's
	// error for it.
	Errors []error
}

// Error lists the failed bindings by index with their errors.
func (e *ACLBatchError) Error() string {
	var parts []string
	for i, err := range e.Errors {
		if err != nil {
			parts = append(parts, fmt.Sprintf("binding %d %s: %v", i, e.bindings[i], err))
		}
	}
	return fmt.Sprintf("msk: %d of %d ACL bindings failed: %s", len(parts), len(e.Errors), strings.Join(parts, "; "))
}

// Unwrap returns the non-nil per-binding errors.
func (e *ACLBatchError) Unwrap() []error {
	var out []error
	for _, err := range e.Errors {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// CreateACLs creates the bindings. Kafka keeps ACLs as a set, so creating an existing binding
// again succeeds and changes nothing. Every binding is validated first; an invalid one fails
// the call before anything is sent. Bindings the broker rejects are reported in an
// *ACLBatchError; the others were created.
func (a *ACLAdmin) CreateACLs(ctx context.Context, bindings []ACLBinding, optFns ...func(*Options)) error {
	o := a.options(optFns)
	if len(bindings) == 0 {
		return errors.New("msk: CreateACLs: no bindings")
	}
	bindings = slices.Clone(bindings)
	entries := make([]kafka.ACLEntry, len(bindings))
	for i, b := range bindings {
		b = b.withDefaults()
		if err := b.validate(); err != nil {
			return fmt.Errorf("msk: CreateACLs: bindings[%d]: %w", i, err)
		}
		bindings[i] = b
		entries[i] = kafka.ACLEntry{
			ResourceType: b.ResourceType, ResourceName: b.ResourceName, ResourcePatternType: b.PatternType,
			Principal: b.Principal, Host: b.Host, Operation: b.Operation, PermissionType: b.Permission,
		}
	}
	resp, err := a.client.CreateACLs(ctx, &kafka.CreateACLsRequest{ACLs: entries})
	if err != nil {
		return fmt.Errorf("msk: creating ACLs: %w", err)
	}
	batch := &ACLBatchError{bindings: bindings, Errors: make([]error, len(bindings))}
	failed := false
	for i := range bindings {
		if i < len(resp.Errors) && resp.Errors[i] != nil {
			batch.Errors[i] = resp.Errors[i]
			failed = true
		}
	}
	if failed {
		return batch
	}
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "created ACLs", "count", len(bindings))
	}
	return nil
}

// DescribeACLs returns the bindings matching filter (zero fields match anything), sorted by resource and then principal,
// operation and permission.
func (a *ACLAdmin) DescribeACLs(ctx context.Context, filter ACLBinding, optFns ...func(*Options)) ([]ACLBinding, error) {
	o := a.options(optFns)
	resp, err := a.client.DescribeACLs(ctx, &kafka.DescribeACLsRequest{Filter: filter.filter()})
	if err == nil {
		err = resp.Error
	}
	if err != nil {
		return nil, fmt.Errorf("msk: describing ACLs: %w", err)
	}
	var out []ACLBinding
	for _, r := range resp.Resources {
		for _, d := range r.ACLs {
			out = append(out, ACLBinding{
				ResourceType: r.ResourceType, ResourceName: r.ResourceName, PatternType: r.PatternType,
				Principal: d.Principal, Host: d.Host, Operation: d.Operation, Permission: d.PermissionType,
			})
		}
	}
	sortBindings(out)
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "described ACLs", "count", len(out))
	}
	return out, nil
}

// DeleteACLs deletes the bindings matching any of the filters (zero fields match anything)
// and returns them, sorted.
// Deleting bindings that do not exist succeeds and returns none.
func (a *ACLAdmin) DeleteACLs(ctx context.Context, filters []ACLBinding, optFns ...func(*Options)) ([]ACLBinding, error) {
	o := a.options(optFns)
	if len(filters) == 0 {
		return nil, errors.New("msk: DeleteACLs: no filters")
	}
	req := &kafka.DeleteACLsRequest{}
	for _, f := range filters {
		req.Filters = append(req.Filters, kafka.DeleteACLsFilter(f.filter()))
	}
	resp, err := a.client.DeleteACLs(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("msk: deleting ACLs: %w", err)
	}
	var out []ACLBinding
	var errs []error
	for i, r := range resp.Results {
		if r.Error != nil {
			errs = append(errs, fmt.Errorf("filter %d: %w", i, r.Error))
			continue
		}
		for _, m := range r.MatchingACLs {
			if m.Error != nil {
				errs = append(errs, fmt.Errorf("filter %d: %w", i, m.Error))
				continue
			}
			out = append(out, ACLBinding{
				ResourceType: m.ResourceType, ResourceName: m.ResourceName, PatternType: m.ResourcePatternType,
				Principal: m.Principal, Host: m.Host, Operation: m.Operation, Permission: m.PermissionType,
			})
		}
	}
	sortBindings(out)
	if len(errs) > 0 {
		return out, fmt.Errorf("msk: deleting ACLs: %w", errors.Join(errs...))
	}
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "deleted ACLs", "count", len(out))
	}
	return out, nil
}

func sortBindings(bs []ACLBinding) {
	slices.SortFunc(bs, func(x, y ACLBinding) int {
		switch {
		case x.ResourceType != y.ResourceType:
			return int(x.ResourceType) - int(y.ResourceType)
		case x.ResourceName != y.ResourceName:
			return strings.Compare(x.ResourceName, y.ResourceName)
		case x.PatternType != y.PatternType:
			return int(x.PatternType) - int(y.PatternType)
		case x.Principal != y.Principal:
			return strings.Compare(x.Principal, y.Principal)
		case x.Host != y.Host:
			return strings.Compare(x.Host, y.Host)
		case x.Operation != y.Operation:
			return int(x.Operation) - int(y.Operation)
		}
		return int(x.Permission) - int(y.Permission)
	})
}

// ProducerACLs returns the bindings kafka-acls --add --producer creates for principal
// ("User:<name>") from the same ProducerAccess ProducerPolicy takes: Write, Describe and
// Create on each topic; Write and Describe on each transactional ID; with Idempotent,
// IdempotentWrite on the cluster. A topic or transactional ID ending in '*' is a prefix, as
// in the IAM policy (a PREFIXED binding on the name without the '*'); "*" alone is every
// one (Kafka's wildcard). Every binding is for host "*", as MSK documents its ACLs;
// ClusterARN is not used.
func ProducerACLs(principal string, a ProducerAccess) ([]ACLBinding, error) {
	if err := aclInputs("ProducerACLs", principal, a.Topics, nil, a.TransactionalIDs, false); err != nil {
		return nil, err
	}
	var out []ACLBinding
	for _, t := range a.Topics {
		out = append(out, aclBindings(principal, kafka.ResourceTypeTopic, t, kafka.ACLOperationTypeWrite, kafka.ACLOperationTypeDescribe, kafka.ACLOperationTypeCreate)...)
	}
	for _, id := range a.TransactionalIDs {
		out = append(out, aclBindings(principal, kafka.ResourceTypeTransactionalID, id, kafka.ACLOperationTypeWrite, kafka.ACLOperationTypeDescribe)...)
	}
	if a.Idempotent {
		out = append(out, aclBindings(principal, kafka.ResourceTypeCluster, clusterResourceName, kafka.ACLOperationTypeIdempotentWrite)...)
	}
	return out, nil
}

// ConsumerACLs returns the bindings kafka-acls --add --consumer creates for principal
// ("User:<name>") from the same ConsumerAccess ConsumerPolicy takes: Read and Describe on
// each topic and Read on each group. Names ending in '*' are prefixes and "*" is every topic
// or group, as for ProducerACLs; ClusterARN and GlueSchemaRegistry are not used.
func ConsumerACLs(principal string, a ConsumerAccess) ([]ACLBinding, error) {
	if err := aclInputs("ConsumerACLs", principal, a.Topics, a.Groups, nil, true); err != nil {
		return nil, err
	}
	var out []ACLBinding
	for _, t := range a.Topics {
		out = append(out, aclBindings(principal, kafka.ResourceTypeTopic, t, kafka.ACLOperationTypeRead, kafka.ACLOperationTypeDescribe)...)
	}
	for _, g := range a.Groups {
		out = append(out, aclBindings(principal, kafka.ResourceTypeGroup, g, kafka.ACLOperationTypeRead)...)
	}
	return out, nil
}

func aclInputs(fn, principal string, topics, groups, txnIDs []string, needGroups bool) error {
	if err := validPrincipal(principal); err != nil {
		return fmt.Errorf("msk: %s: %w", fn, err)
	}
	if len(topics) == 0 {
		return fmt.Errorf("msk: %s: Topics: at least one topic is required", fn)
	}
	for i, t := range topics {
		if name, pattern := aclPattern(t); !(name == "*" && pattern == kafka.PatternTypeLiteral) && ValidateTopicName(name) != nil {
			return fmt.Errorf("msk: %s: Topics[%d] %q is not a topic name, a prefix ending in '*' or \"*\"", fn, i, t)
		}
	}
	if needGroups && len(groups) == 0 {
		return fmt.Errorf("msk: %s: Groups: at least one group is required", fn)
	}
	for _, l := range []struct {
		field string
		ids   []string
	}{{"Groups", groups}, {"TransactionalIDs", txnIDs}} {
		for i, id := range l.ids {
			if name, pattern := aclPattern(id); name == "" || (strings.Contains(name, "*") && !(name == "*" && pattern == kafka.PatternTypeLiteral)) {
				return fmt.Errorf("msk: %s: %s[%d] %q is not a name, a prefix ending in '*' or \"*\"", fn, l.field, i, id)
			}
		}
	}
	return nil
}

// aclPattern returns the resource name and pattern type of an ACL binding for name: a name
// ending in '*' is PREFIXED without it, "*" and every other name LITERAL.
func aclPattern(name string) (string, kafka.PatternType) {
	if name != "*" && strings.HasSuffix(name, "*") {
		return strings.TrimSuffix(name, "*"), kafka.PatternTypePrefixed
	}
	return name, kafka.PatternTypeLiteral
}

func aclBindings(principal string, rt kafka.ResourceType, name string, ops ...kafka.ACLOperationType) []ACLBinding {
	name, pattern := aclPattern(name)
	out := make([]ACLBinding, len(ops))
	for i, op := range ops {
		out[i] = ACLBinding{ResourceType: rt, ResourceName: name, PatternType: pattern, Principal: principal, Host: "*",
			Operation: op, Permission: kafka.ACLPermissionTypeAllow}
	}
	return out
}
