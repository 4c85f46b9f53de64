package msk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	kafkatypes "github.com/aws/aws-sdk-go-v2/service/kafka/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// Defaults of Options.Retry for ClusterPolicies, after the Data Solutions Framework's cluster policy
// updater (100ms to 30s, 20 tries).
const (
	defaultPolicyMinDelay    = 100 * time.Millisecond
	defaultPolicyMaxDelay    = 30 * time.Second
	defaultPolicyMaxAttempts = 20
)

// The control-plane actions a cross-account consumer needs on the cluster, besides the
// kafka-cluster data-plane actions: to create a multi-VPC connection and find the brokers.
const (
	actionCreateVpcConnection = "kafka:CreateVpcConnection"
	actionGetBootstrapBrokers = "kafka:GetBootstrapBrokers"
	actionDescribeCluster     = "kafka:DescribeCluster"
	actionDescribeClusterV2   = "kafka:DescribeClusterV2"
)

// ErrServerlessCrossAccount is matched (errors.Is) by the error GrantConsumer returns for a
// cross-account grant on an MSK Serverless cluster: MSK Serverless supports neither cluster
// policies for other accounts nor multi-VPC private connectivity.
var ErrServerlessCrossAccount = errors.New("msk: MSK Serverless does not support cross-account access through a cluster policy")

// ClusterPolicies edits statements of an MSK cluster resource policy by Sid, with optimistic
// concurrency: each change reads the policy and its version, edits it, and writes it back with
// PutClusterPolicy's CurrentVersion, retrying with backoff when another writer got there first.
// It is safe for concurrent use.
type ClusterPolicies struct {
	client ClusterPolicyAPIClient
	opts   Options
}

// NewClusterPolicies returns a ClusterPolicies calling client, usually a *kafka.Client of
// github.com/aws/aws-sdk-go-v2/service/kafka.
func NewClusterPolicies(client ClusterPolicyAPIClient, optFns ...func(*Options)) *ClusterPolicies {
	return &ClusterPolicies{client: client, opts: configure(Options{}, optFns)}
}

func (c *ClusterPolicies) options(optFns []func(*Options)) Options {
	o := configure(c.opts, optFns)
	if o.Retry.MaxAttempts <= 0 {
		o.Retry.MaxAttempts = defaultPolicyMaxAttempts
	}
	return o
}

// consumerGrantStatement returns the cluster policy statement GrantConsumer writes.
func consumerGrantStatement(sid string, principals []string, a ConsumerAccess) (datablocks.Statement, error) {
	c, err := policyCluster("GrantConsumer: ConsumerAccess.ClusterARN", a.ClusterARN)
	if err != nil {
		return datablocks.Statement{}, err
	}
	if err := validSid(sid); err != nil {
		return datablocks.Statement{}, fmt.Errorf("msk: GrantConsumer: Sid: %w", err)
	}
	principals, err = principalARNs(c.Partition, principals)
	if err != nil {
		return datablocks.Statement{}, err
	}
	topics, err := topicARNs("GrantConsumer: ConsumerAccess", c, a.Topics)
	if err != nil {
		return datablocks.Statement{}, err
	}
	groups := a.Groups
	if len(groups) == 0 {
		groups = []string{"*"}
	}
	groupARNs, err := idARNs("GrantConsumer: ConsumerAccess.Groups", kindGroup, c, groups, true)
	if err != nil {
		return datablocks.Statement{}, err
	}
	resources := append(append([]string{c.String()}, topics...), groupARNs...)
	s := datablocks.Statement{
		Sid:       sid,
		Effect:    datablocks.Allow,
		Principal: &datablocks.Principal{AWS: principals},
		Action: []string{
			actionConnect, actionDescribeTopic, actionReadData, actionDescribeGroup, actionAlterGroup,
			actionCreateVpcConnection, actionGetBootstrapBrokers, actionDescribeCluster, actionDescribeClusterV2,
		},
		Resource: resources,
	}
	if err := datablocks.NewPolicy(s).Validate(); err != nil {
		return datablocks.Statement{}, fmt.Errorf("msk: generated statement is invalid: %w", poll.Unprefixed(err, "msk"))
	}
	return s, nil
}

func validSid(sid string) error {
	if sid == "" {
		return errors.New("is required")
	}
	for _, r := range sid {
		if !isAlnum(r) {
			return fmt.Errorf("%q contains %q; only letters and digits are allowed", sid, r)
		}
	}
	return nil
}

// principalARNs turns account IDs into root ARNs in the partition and checks ARNs.
func principalARNs(partition string, principals []string) ([]string, error) {
	if len(principals) == 0 {
		return nil, errors.New("msk: GrantConsumer: principals: at least one principal is required")
	}
	out := make([]string, 0, len(principals))
	for i, p := range principals {
		if datablocks.IsAccountID(p) {
			out = append(out, datablocks.Partition{ID: partition}.ARN("iam", "", p, "root"))
			continue
		}
		a, err := datablocks.ParseARN(p)
		if err != nil || (a.Service != "iam" && a.Service != "sts") || !datablocks.IsAccountID(a.AccountID) {
			return nil, fmt.Errorf("msk: GrantConsumer: principals[%d] %q is not an account ID or an IAM principal ARN", i, p)
		}
		if a.Partition != partition {
			return nil, fmt.Errorf("msk: GrantConsumer: principals[%d] %q is in partition %q, the cluster in %q", i, p, a.Partition, partition)
		}
		out = append(out, p)
	}
	return out, nil
}

func principalAccount(p string) string {
	if a, err := datablocks.ParseARN(p); err == nil {
		return a.AccountID
	}
	return p
}

// isVersionConflict reports whether err is PutClusterPolicy's rejection of a stale
// CurrentVersion: a ConflictException, or a BadRequestException whose message is about the
// policy version.
func isVersionConflict(err error) bool {
	var ce *kafkatypes.ConflictException
	if errors.As(err, &ce) {
		return true
	}
	var br *kafkatypes.BadRequestException
	return errors.As(err, &br) && strings.Contains(strings.ToLower(br.ErrorMessage()), "version")
}

// GrantConsumer lets principals of other accounts consume what a describes on its cluster
// (a.ClusterARN): it puts a statement with the given Sid into the cluster's policy, replacing
// any statement with the same Sid and keeping all others; it creates the policy if there is
// none. The Sid is letters and digits only, as IAM requires. The principals are account IDs
// ("111122223333", written as the account's root ARN, as IAM stores them) or IAM role or user
// ARNs; at least one is required. At least one topic is required; empty a.Groups means every
// group ("*"), as consumers name their own groups; a.GlueSchemaRegistry does not apply to a
// cluster policy. The statement allows the principals kafka-cluster:Connect, DescribeTopic, ReadData,
// DescribeGroup and AlterGroup, plus kafka:CreateVpcConnection, GetBootstrapBrokers,
// DescribeCluster and DescribeClusterV2 (for multi-VPC private connectivity), on the cluster,
// its topics and its groups. A cross-account grant on an MSK Serverless cluster returns an
// error matching ErrServerlessCrossAccount before the policy is read.
//
// The Change is Created when GrantConsumer created the cluster's policy, Updated (Changed
// names the Sid) when it wrote the statement into an existing policy, and Unchanged when an
// identical statement was already in place, so that nothing was written.
//
// Writes carry the version read, so a concurrent change makes the write fail with a version
// conflict and GrantConsumer reads again and retries, up to Retry.MaxAttempts. The first write of a
// cluster without a policy has no version to carry, so two writers creating the policy at the
// same moment can still overwrite each other.
func (c *ClusterPolicies) GrantConsumer(ctx context.Context, sid string, principals []string, a ConsumerAccess, optFns ...func(*Options)) (datablocks.Change, error) {
	stmt, err := consumerGrantStatement(sid, principals, a)
	if err != nil {
		return datablocks.Change{}, err
	}
	o := c.options(optFns)
	cluster, _ := ParseClusterARN(a.ClusterARN)
	desc, err := c.client.DescribeClusterV2(ctx, &awskafka.DescribeClusterV2Input{ClusterArn: aws.String(a.ClusterARN)}, o.ClientOptions...)
	if err != nil {
		return datablocks.Change{}, fmt.Errorf("msk: describing cluster %s: %w", a.ClusterARN, err)
	}
	if info := desc.ClusterInfo; info != nil && (info.ClusterType == kafkatypes.ClusterTypeServerless || info.Serverless != nil) {
		for _, p := range stmt.Principal.AWS {
			if principalAccount(p) != cluster.AccountID {
				return datablocks.Change{}, fmt.Errorf("msk: granting %s on cluster %s to %s: %w", sid, a.ClusterARN, p, poll.Unprefixed(ErrServerlessCrossAccount, "msk"))
			}
		}
	}
	return c.edit(ctx, o, a.ClusterARN, sid, "granting "+sid, func(p datablocks.Policy, exists bool) (datablocks.Policy, bool) {
		for _, s := range p.Statements {
			if s.Sid == stmt.Sid && sameStatement(s, stmt) {
				return p, false
			}
		}
		if !exists {
			return datablocks.NewPolicy(stmt), true
		}
		return p.Put(stmt), true
	})
}

// Revoke removes the statement with the given Sid from the cluster's policy, deleting the
// policy when it was the last statement. Revoking a Sid that is not there, or on a cluster
// without a policy, succeeds without writing.
//
// DeleteClusterPolicy takes no version, so a statement another writer adds between Revoke's
// read and its delete is lost; Revoke reads the policy again just before deleting to keep that
// window small.
//
// The Change is Updated (Changed names the Sid) when Revoke removed the statement, Deleted
// when it deleted the policy because the statement was its last, and Unchanged when there was
// nothing to remove.
func (c *ClusterPolicies) Revoke(ctx context.Context, clusterARN, sid string, optFns ...func(*Options)) (datablocks.Change, error) {
	if _, err := policyCluster("Revoke.ClusterARN", clusterARN); err != nil {
		return datablocks.Change{}, err
	}
	if err := validSid(sid); err != nil {
		return datablocks.Change{}, fmt.Errorf("msk: Revoke: Sid: %w", err)
	}
	o := c.options(optFns)
	return c.edit(ctx, o, clusterARN, sid, "revoking "+sid, func(p datablocks.Policy, exists bool) (datablocks.Policy, bool) {
		if !exists {
			return p, false
		}
		return p.Remove(sid)
	})
}

// errPolicyMoved makes a revoke retry when the policy changed right before deletion.
var errPolicyMoved = &kafkatypes.ConflictException{Message: aws.String("msk: cluster policy version changed before deletion")}

// edit runs read-modify-write cycles of the cluster policy until one succeeds, and reports
// what the successful one did to the statement sid.
func (c *ClusterPolicies) edit(ctx context.Context, o Options, clusterARN, sid, what string,
	change func(p datablocks.Policy, exists bool) (datablocks.Policy, bool)) (datablocks.Change, error) {
	var (
		attempts int
		res      datablocks.Change
	)
	po := withDefaultDelays(poll.FromRetry(what+" in the policy of "+clusterARN, o.Retry), defaultPolicyMinDelay, defaultPolicyMaxDelay)
	po.Logger = o.Logger
	// Attempts, not consecutive errors, are what MaxAttempts bounds.
	po.MaxTransient = o.Retry.MaxAttempts
	po.Retryable = func(err error) bool {
		return attempts < o.Retry.MaxAttempts && (isVersionConflict(err) || poll.IsThrottle(err))
	}
	err := poll.Wait(ctx, po, poll.UnprefixedCheck("msk", func(ctx context.Context) (string, bool, error) {
		attempts++
		cur, version, exists, err := c.get(ctx, o, clusterARN)
		if err != nil {
			return "", false, err
		}
		next, changed := change(cur, exists)
		if !changed {
			res = datablocks.Change{Action: datablocks.Unchanged}
			return "unchanged", true, nil
		}
		if len(next.Statements) == 0 {
			// Check the version once more right before the unversioned delete.
			_, again, stillExists, err := c.get(ctx, o, clusterARN)
			if err != nil {
				return "", false, err
			}
			if !stillExists {
				res = datablocks.Change{Action: datablocks.Unchanged}
				return "deleted", true, nil
			}
			if again != version {
				return "", false, errPolicyMoved
			}
			if _, err := c.client.DeleteClusterPolicy(ctx, &awskafka.DeleteClusterPolicyInput{ClusterArn: aws.String(clusterARN)}, o.ClientOptions...); err != nil {
				var nf *kafkatypes.NotFoundException
				if !errors.As(err, &nf) {
					return "", false, fmt.Errorf("msk: deleting the policy of %s: %w", clusterARN, err)
				}
			}
			res = datablocks.Change{Action: datablocks.Deleted}
			return "deleted", true, nil
		}
		if err := next.Validate(); err != nil {
			return "", false, fmt.Errorf("msk: the edited policy of %s is invalid: %w", clusterARN, poll.Unprefixed(err, "msk"))
		}
		in := &awskafka.PutClusterPolicyInput{ClusterArn: aws.String(clusterARN), Policy: aws.String(next.Compact())}
		if exists {
			in.CurrentVersion = aws.String(version)
		}
		out, err := c.client.PutClusterPolicy(ctx, in, o.ClientOptions...)
		if err != nil {
			if o.Logger != nil {
				o.Logger.DebugContext(ctx, "cluster policy write failed", "cluster", clusterARN, "attempt", attempts, "error", err)
			}
			return "", false, err
		}
		res = datablocks.Change{Action: datablocks.Created}
		if exists {
			res = datablocks.Change{Action: datablocks.Updated, Changed: []string{sid}}
		}
		if o.Logger != nil {
			o.Logger.DebugContext(ctx, "cluster policy written", "cluster", clusterARN, "version", aws.ToString(out.CurrentVersion))
		}
		return "written", true, nil
	}))
	if err != nil && (isVersionConflict(err) || poll.IsThrottle(err)) {
		return datablocks.Change{}, fmt.Errorf("msk: %s in the policy of %s: giving up after %d attempts: %w", what, clusterARN, attempts, err)
	}
	if err != nil {
		return datablocks.Change{}, fmt.Errorf("msk: %s in the policy of %s: %w", what, clusterARN, err)
	}
	if o.Logger != nil {
		o.Logger.DebugContext(ctx, "cluster policy edited", "cluster", clusterARN, "what", what, "change", res.String(), "attempts", attempts)
	}
	return res, nil
}

// get reads the cluster policy; a missing policy is an empty one with exists=false.
func (c *ClusterPolicies) get(ctx context.Context, o Options, clusterARN string) (datablocks.Policy, string, bool, error) {
	out, err := c.client.GetClusterPolicy(ctx, &awskafka.GetClusterPolicyInput{ClusterArn: aws.String(clusterARN)}, o.ClientOptions...)
	var nf *kafkatypes.NotFoundException
	if errors.As(err, &nf) {
		return datablocks.Policy{}, "", false, nil
	}
	if err != nil {
		if poll.IsThrottle(err) {
			return datablocks.Policy{}, "", false, err
		}
		return datablocks.Policy{}, "", false, fmt.Errorf("msk: reading the policy of %s: %w", clusterARN, err)
	}
	if aws.ToString(out.Policy) == "" {
		return datablocks.Policy{}, aws.ToString(out.CurrentVersion), false, nil
	}
	p, err := datablocks.ParsePolicy([]byte(*out.Policy))
	if err != nil {
		return datablocks.Policy{}, "", false, fmt.Errorf("msk: the policy of %s: %w", clusterARN, poll.Unprefixed(err, "msk"))
	}
	return p, aws.ToString(out.CurrentVersion), true, nil
}

func sameStatement(a, b datablocks.Statement) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
