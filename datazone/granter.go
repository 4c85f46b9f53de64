package datazone

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	kafkatypes "github.com/aws/aws-sdk-go-v2/service/kafka/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/msk"
)

// maxRoleInlinePolicySize is IAM's limit on the aggregate size of a role's inline policies,
// whitespace not counted ("IAM and AWS STS quotas").
const maxRoleInlinePolicySize = 10240

// MSKTopicGranter grants and revokes subscriptions to MSK topic assets. On the producer side,
// for a consumer in another account, it adds to the cluster's resource policy a statement
// (through msk.ClusterPolicies, Sid derived from the grant and asset IDs) letting the
// consumer roles read the topic; MSK Serverless does not support this, so such a grant fails.
// On the consumer side it writes one inline policy per grant on each consumer role
// (msk.ConsumerPolicy, plus Schema Registry reads if asked), after checking the role's
// 10,240-character inline policy budget. Revoke removes both by name and Sid; what is already
// gone is no error. An identical policy already in place is not written again, so replays
// write nothing. It is safe for concurrent use.
type MSKTopicGranter struct {
	policies *msk.ClusterPolicies
	iam      RolePolicyAPIClient
	opts     Options
}

// NewMSKTopicGranter returns an MSKTopicGranter editing cluster policies with kafkaClient (a
// *kafka.Client of the producer account) and consumer roles' policies with iamClient (an
// *iam.Client of the consumer account). It reads Groups, GlueSchemaRegistry, Retry, Logger,
// IAMClientOptions and KafkaClientOptions.
func NewMSKTopicGranter(kafkaClient msk.ClusterPolicyAPIClient, iamClient RolePolicyAPIClient, optFns ...func(*Options)) *MSKTopicGranter {
	o := apply(Options{}, optFns)
	return &MSKTopicGranter{policies: msk.NewClusterPolicies(kafkaClient, func(m *msk.Options) {
		m.Retry, m.Logger, m.ClientOptions = o.Retry, o.Logger, o.KafkaClientOptions
	}), iam: iamClient, opts: o}
}

// GrantApplyError reports a grant or revoke that was applied in part, side by side: the
// producer side (the cluster policy) and each consumer role, in the order of the
// subscription's principals.
type GrantApplyError struct {
	// Revoke is true for a revoke.
	Revoke bool
	// ProducerApplied is true when the cluster policy side was done (or was not needed);
	// ProducerErr is its failure, if any.
	ProducerApplied bool
	ProducerErr     error
	// Roles are the consumer roles, aligned with Subscription.Principals; Err is nil for the
	// roles done.
	Roles []RoleResult
}

// RoleResult is the outcome of one consumer role.
type RoleResult struct {
	// RoleARN is the consumer role.
	RoleARN string
	// Err is why the role's policy could not be written or deleted; nil when it was.
	Err error
}

// Error says which side was applied and which failed.
func (e *GrantApplyError) Error() string {
	var b strings.Builder
	verb := "grant"
	if e.Revoke {
		verb = "revoke"
	}
	fmt.Fprintf(&b, "datazone: %s applied in part: producer ", verb)
	switch {
	case e.ProducerErr != nil:
		fmt.Fprintf(&b, "failed (%v)", e.ProducerErr)
	case e.ProducerApplied:
		b.WriteString("done")
	default:
		b.WriteString("not attempted")
	}
	for _, r := range e.Roles {
		if r.Err != nil {
			fmt.Fprintf(&b, "; role %s failed (%v)", r.RoleARN, r.Err)
		} else {
			fmt.Fprintf(&b, "; role %s done", r.RoleARN)
		}
	}
	return b.String()
}

// Unwrap returns the failures.
func (e *GrantApplyError) Unwrap() []error {
	var out []error
	if e.ProducerErr != nil {
		out = append(out, e.ProducerErr)
	}
	for _, r := range e.Roles {
		if r.Err != nil {
			out = append(out, r.Err)
		}
	}
	return out
}

// topicGrant is what the granter reads from a subscription.
type topicGrant struct {
	cluster               msk.ClusterARN
	serverless, crossAcct bool
	topic                 string
	schemaARN, registry   string
	roles                 []roleRef
	sid, policyName       string
}

type roleRef struct{ arn, name string }

func (g *MSKTopicGranter) parse(s Subscription) (topicGrant, error) {
	var src struct {
		ClusterARN  string `json:"cluster_arn"`
		ClusterType string `json:"cluster_type"`
	}
	var schema struct {
		Topic       string `json:"kafka_topic"`
		SchemaARN   string `json:"schema_arn"`
		RegistryARN string `json:"registry_arn"`
	}
	raw, ok := s.Forms[mskSourceReferenceFormName]
	if !ok || json.Unmarshal(raw, &src) != nil {
		return topicGrant{}, fmt.Errorf("the listing has no readable %s form", mskSourceReferenceFormName)
	}
	if raw, ok = s.Forms[kafkaSchemaFormName]; !ok || json.Unmarshal(raw, &schema) != nil {
		return topicGrant{}, fmt.Errorf("the listing has no readable %s form", kafkaSchemaFormName)
	}
	c, err := msk.ParseClusterARN(src.ClusterARN)
	if err != nil {
		return topicGrant{}, fmt.Errorf("%s.cluster_arn: %v", mskSourceReferenceFormName, unprefix(err))
	}
	if err := msk.ValidateTopicName(schema.Topic); err != nil {
		return topicGrant{}, fmt.Errorf("%s.kafka_topic: %v", kafkaSchemaFormName, unprefix(err))
	}
	if !datablocks.IsAccountID(s.ConsumerAccount) {
		return topicGrant{}, fmt.Errorf("the consumer environment's account %q is not an account ID", s.ConsumerAccount)
	}
	t := topicGrant{
		cluster: c, serverless: src.ClusterType == string(kafkatypes.ClusterTypeServerless), topic: schema.Topic,
		schemaARN: schema.SchemaARN, registry: schema.RegistryARN, crossAcct: s.ConsumerAccount != c.AccountID,
	}
	for i, p := range s.Principals {
		name, err := roleName(p, c.Partition)
		if err != nil {
			return topicGrant{}, fmt.Errorf("authorized principal %d: %v", i, err)
		}
		t.roles = append(t.roles, roleRef{arn: p, name: name})
	}
	// IDs may hold '_' and '-', which a Sid may not: hash them (letters and digits only).
	h := sha256.Sum256([]byte(s.GrantID + "/" + s.AssetID))
	t.sid = "DataZone" + hex.EncodeToString(h[:12])
	t.policyName = "datazone-" + s.GrantID + "-" + s.AssetID
	return t, nil
}

// roleName reads a role's name from its ARN: the last segment of role/<path>/<name>, so that
// roles with paths (role/service-role/X) are named right.
func roleName(arn, partition string) (string, error) {
	a, err := datablocks.ParseARN(arn)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return "", fmt.Errorf("%q is not an IAM role ARN", arn)
	}
	if a.Partition != partition {
		return "", fmt.Errorf("role %s is in partition %s, the cluster in %s", arn, a.Partition, partition)
	}
	name := a.Resource[strings.LastIndex(a.Resource, "/")+1:]
	if name == "" {
		return "", fmt.Errorf("%q names no role", arn)
	}
	return name, nil
}

func (g *MSKTopicGranter) policy(t topicGrant) (string, error) {
	groups := g.opts.Groups
	if len(groups) == 0 {
		groups = []string{"*"}
	}
	p, err := msk.ConsumerPolicy(msk.ConsumerAccess{ClusterARN: t.cluster.String(), Topics: []string{t.topic}, Groups: groups, GlueSchemaRegistry: g.opts.GlueSchemaRegistry})
	if err != nil {
		return "", unprefix(err)
	}
	// Only ARNs the listing really names become resources: never "" (DSF's D20).
	if g.opts.GlueSchemaRegistry && t.schemaARN != "" && t.registry != "" {
		p.Statements = append(p.Statements, datablocks.Statement{
			Sid: "GlueSchemaRegistryReadSchema", Effect: datablocks.Allow,
			Action:   []string{"glue:GetSchema", "glue:GetSchemaByDefinition", "glue:ListSchemaVersions"},
			Resource: []string{t.registry, t.schemaARN},
		})
		if err := p.Validate(); err != nil {
			return "", unprefix(err)
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Grant implements Granter.
func (g *MSKTopicGranter) Grant(ctx context.Context, s Subscription) error {
	t, err := g.parse(s)
	if err != nil {
		return err
	}
	doc, err := g.policy(t)
	if err != nil {
		return err
	}
	res := &GrantApplyError{Roles: make([]RoleResult, len(t.roles))}
	if t.crossAcct {
		if t.serverless {
			return fmt.Errorf("cluster %s is MSK Serverless, which does not support cross-account access (consumer account %s)", t.cluster, s.ConsumerAccount)
		}
		principals := make([]string, len(t.roles))
		for i, r := range t.roles {
			principals[i] = r.arn
		}
		ch, err := g.policies.GrantConsumer(ctx, t.sid, principals, msk.ConsumerAccess{ClusterARN: t.cluster.String(), Topics: []string{t.topic}, Groups: g.opts.Groups})
		if err != nil {
			return unprefix(err) // nothing applied yet
		}
		logDebug(g.opts.Logger, "cluster policy", "cluster", t.cluster.String(), "sid", t.sid, "changed", ch.Wrote())
	}
	res.ProducerApplied = true
	failed := false
	for i, r := range t.roles {
		res.Roles[i] = RoleResult{RoleARN: r.arn, Err: g.putRolePolicy(ctx, r.name, t.policyName, doc)}
		failed = failed || res.Roles[i].Err != nil
	}
	if failed {
		return res
	}
	return nil
}

// Revoke implements Granter: consumer roles first, then the cluster policy statement.
func (g *MSKTopicGranter) Revoke(ctx context.Context, s Subscription) error {
	t, err := g.parse(s)
	if err != nil {
		return err
	}
	res := &GrantApplyError{Revoke: true, Roles: make([]RoleResult, len(t.roles))}
	failed := false
	for i, r := range t.roles {
		_, err := g.iam.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(r.name), PolicyName: aws.String(t.policyName)}, g.opts.IAMClientOptions...)
		var nse *iamtypes.NoSuchEntityException
		if err != nil && !errors.As(err, &nse) {
			res.Roles[i] = RoleResult{RoleARN: r.arn, Err: fmt.Errorf("delete inline policy %s of role %s: %w", t.policyName, r.name, err)}
			failed = true
			continue
		}
		res.Roles[i] = RoleResult{RoleARN: r.arn}
		if err == nil {
			logDebug(g.opts.Logger, "role policy deleted", "role", r.name, "policy", t.policyName)
		}
	}
	if t.crossAcct && !t.serverless {
		if _, err := g.policies.Revoke(ctx, t.cluster.String(), t.sid); err != nil {
			res.ProducerErr = unprefix(err)
			return res
		}
	}
	res.ProducerApplied = true
	if failed {
		return res
	}
	return nil
}

// putRolePolicy writes the grant's inline policy on a role unless the same document is there,
// checking first that the role's inline policies stay within maxRoleInlinePolicySize.
func (g *MSKTopicGranter) putRolePolicy(ctx context.Context, role, name, doc string) error {
	total := policySize(doc)
	p := iam.NewListRolePoliciesPaginator(g.iam, &iam.ListRolePoliciesInput{RoleName: aws.String(role)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, g.opts.IAMClientOptions...)
		if err != nil {
			return fmt.Errorf("list inline policies of role %s: %w", role, err)
		}
		for _, other := range page.PolicyNames {
			cur, err := g.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(other)}, g.opts.IAMClientOptions...)
			if err != nil {
				return fmt.Errorf("read inline policy %s of role %s: %w", other, role, err)
			}
			// IAM returns documents URL-encoded (RFC 3986).
			text, err := url.PathUnescape(aws.ToString(cur.PolicyDocument))
			if err != nil {
				text = aws.ToString(cur.PolicyDocument)
			}
			if other == name {
				if sameJSON(text, doc) {
					return nil // a replay: already in place
				}
				continue // replaced by the write below
			}
			total += policySize(text)
		}
	}
	if total > maxRoleInlinePolicySize {
		return fmt.Errorf("role %s would hold %d characters of inline policies with this grant, more than IAM's %d; grant fewer topics to this role or use managed policies", role, total, maxRoleInlinePolicySize)
	}
	if _, err := g.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}, g.opts.IAMClientOptions...); err != nil {
		return fmt.Errorf("put inline policy %s on role %s: %w", name, role, err)
	}
	logDebug(g.opts.Logger, "role policy written", "role", role, "policy", name)
	return nil
}

func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

func sameJSON(a, b string) bool { return canonicalJSON(a) == canonicalJSON(b) }
