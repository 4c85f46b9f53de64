package msk

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/datablocks-go/datablocks"
)

// The resource kinds of MSK ARNs used by IAM access control ("kafka-cluster:" actions).
const (
	KindCluster         = "cluster"
	KindTopic           = "topic"
	KindGroup           = "group"
	KindTransactionalID = "transactional-id"
)

// maxTopicNameLength is Kafka's limit on topic names.
const maxTopicNameLength = 249

// ClusterARN is a parsed MSK cluster ARN,
// arn:<Partition>:kafka:<Region>:<AccountID>:cluster/<Name>/<UUID>. It builds the ARNs of the
// cluster's topics, groups and transactional IDs in the same partition, region and account,
// which is what IAM policies for MSK IAM access control name.
type ClusterARN struct {
	Partition string // "aws", "aws-cn", ...
	Region    string // the cluster's region, e.g. "eu-west-1"
	AccountID string // the account that owns the cluster
	Name      string // the cluster name
	UUID      string // the cluster UUID, e.g. "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"
}

// NewClusterARN returns the ARN of a cluster, in the partition region belongs to.
func NewClusterARN(region, accountID, name, uuid string) ClusterARN {
	return ClusterARN{
		Partition: datablocks.PartitionForRegion(region).ID,
		Region:    region,
		AccountID: accountID,
		Name:      name,
		UUID:      uuid,
	}
}

// ParseClusterARN parses an MSK cluster ARN. It rejects unknown partitions, services other than
// kafka, empty regions, accounts that are not 12 digits, resources other than
// cluster/<name>/<uuid>, and cluster names MSK would not accept.
func ParseClusterARN(s string) (ClusterARN, error) {
	r, err := ParseResourceARN(s)
	if err != nil {
		return ClusterARN{}, err
	}
	if r.Kind != KindCluster {
		return ClusterARN{}, fmt.Errorf("msk: ARN %q is a %s ARN, not a cluster ARN", s, r.Kind)
	}
	return r.Cluster, nil
}

// ResourceARN is a parsed MSK resource ARN: a cluster, or a topic, group or transactional ID
// of a cluster.
type ResourceARN struct {
	Kind    string     // KindCluster, KindTopic, KindGroup or KindTransactionalID
	Cluster ClusterARN // the cluster the resource belongs to
	Name    string     // the topic, group or transactional ID; empty for a cluster
}

// String returns the ARN.
func (r ResourceARN) String() string {
	if r.Kind == KindCluster {
		return r.Cluster.String()
	}
	return r.Cluster.resourceARN(r.Kind, r.Name)
}

// ParseResourceARN parses the ARN of an MSK cluster, topic, group or transactional ID, as
// named in IAM policies. The name after the cluster UUID may contain IAM wildcards (* and ?)
// and, for groups and transactional IDs, slashes.
func ParseResourceARN(s string) (ResourceARN, error) {
	a, err := datablocks.ParseARN(s)
	if err != nil {
		return ResourceARN{}, fmt.Errorf("msk: %w", err)
	}
	if a.Service != "kafka" {
		return ResourceARN{}, fmt.Errorf("msk: ARN %q: service is %q, not kafka", s, a.Service)
	}
	if !validRegion(a.Region) {
		return ResourceARN{}, fmt.Errorf("msk: ARN %q: region %q is not a region name", s, a.Region)
	}
	if !datablocks.IsAccountID(a.AccountID) {
		return ResourceARN{}, fmt.Errorf("msk: ARN %q: account %q is not 12 digits", s, a.AccountID)
	}
	kind, rest, ok := strings.Cut(a.Resource, "/")
	if !ok {
		return ResourceARN{}, fmt.Errorf("msk: ARN %q: resource %q is not <kind>/<cluster name>/<cluster uuid>[/<name>]", s, a.Resource)
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) < 2 {
		return ResourceARN{}, fmt.Errorf("msk: ARN %q: resource %q lacks the cluster name or UUID", s, a.Resource)
	}
	c := ClusterARN{Partition: a.Partition, Region: a.Region, AccountID: a.AccountID, Name: parts[0], UUID: parts[1]}
	if err := validClusterName(c.Name); err != nil {
		return ResourceARN{}, fmt.Errorf("msk: ARN %q: %w", s, err)
	}
	if !validUUID(c.UUID) {
		return ResourceARN{}, fmt.Errorf("msk: ARN %q: cluster UUID %q is not letters, digits and hyphens", s, c.UUID)
	}
	r := ResourceARN{Kind: kind, Cluster: c}
	switch kind {
	case KindCluster:
		if len(parts) == 3 {
			return ResourceARN{}, fmt.Errorf("msk: ARN %q: a cluster ARN ends after the cluster UUID", s)
		}
		return r, nil
	case KindTopic, KindGroup, KindTransactionalID:
		if len(parts) < 3 || parts[2] == "" {
			return ResourceARN{}, fmt.Errorf("msk: ARN %q: %s ARN lacks the %s name after the cluster UUID", s, kind, kind)
		}
		r.Name = parts[2]
		var err error
		if kind == KindTopic {
			err = validTopicPattern(r.Name)
		} else {
			err = validIDPattern(kind, r.Name)
		}
		if err != nil {
			return ResourceARN{}, fmt.Errorf("msk: ARN %q: %w", s, err)
		}
		return r, nil
	default:
		return ResourceARN{}, fmt.Errorf("msk: ARN %q: resource kind %q is not cluster, topic, group or transactional-id", s, kind)
	}
}

// String returns the cluster ARN.
func (c ClusterARN) String() string {
	return datablocks.Partition{ID: c.Partition}.ARN("kafka", c.Region, c.AccountID, KindCluster+"/"+c.Name+"/"+c.UUID)
}

// Topic returns the ARN of a topic of the cluster,
// arn:<partition>:kafka:<region>:<account>:topic/<cluster name>/<cluster uuid>/<topic>.
// The topic may use IAM wildcards ("orders-*", "*").
func (c ClusterARN) Topic(topic string) string { return c.resourceARN(KindTopic, topic) }

// Group returns the ARN of a consumer group of the cluster,
// arn:<partition>:kafka:<region>:<account>:group/<cluster name>/<cluster uuid>/<group>.
func (c ClusterARN) Group(group string) string { return c.resourceARN(KindGroup, group) }

// TransactionalID returns the ARN of a transactional ID of the cluster,
// arn:<partition>:kafka:<region>:<account>:transactional-id/<cluster name>/<cluster uuid>/<id>.
func (c ClusterARN) TransactionalID(id string) string {
	return c.resourceARN(KindTransactionalID, id)
}

func (c ClusterARN) resourceARN(kind, name string) string {
	return datablocks.Partition{ID: c.Partition}.ARN("kafka", c.Region, c.AccountID, kind+"/"+c.Name+"/"+c.UUID+"/"+name)
}

// validClusterName applies MSK's cluster name rule: 1 to 64 letters, digits and hyphens,
// starting with a letter or digit.
func validClusterName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("cluster name %q is not 1 to 64 characters", name)
	}
	for i, r := range name {
		if !isAlnum(r) && (r != '-' || i == 0) {
			return fmt.Errorf("cluster name %q is not letters, digits and hyphens starting with a letter or digit", name)
		}
	}
	return nil
}

func validUUID(u string) bool {
	if u == "" || len(u) > 128 {
		return false
	}
	for _, r := range u {
		if !isAlnum(r) && r != '-' {
			return false
		}
	}
	return true
}

func validRegion(r string) bool {
	if r == "" || r == "*" {
		return false
	}
	for _, c := range r {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// ValidateTopicName applies Kafka's topic name rules: 1 to 249 characters from
// [A-Za-z0-9._-], and not "." or "..".
func ValidateTopicName(name string) error {
	if err := validTopicPattern(name); err != nil {
		return err
	}
	if strings.ContainsAny(name, "*?") {
		return fmt.Errorf("topic name %q contains a wildcard", name)
	}
	return nil
}

// validTopicPattern is ValidateTopicName that also admits the IAM wildcards * and ?.
func validTopicPattern(name string) error {
	if name == "" || len(name) > maxTopicNameLength {
		return fmt.Errorf("topic name %q is not 1 to %d characters", name, maxTopicNameLength)
	}
	if name == "." || name == ".." {
		return fmt.Errorf("topic name %q is not allowed", name)
	}
	for _, r := range name {
		if !isAlnum(r) && !strings.ContainsRune("._-*?", r) {
			return fmt.Errorf("topic name %q contains %q; only letters, digits, '.', '_' and '-' are allowed", name, r)
		}
	}
	return nil
}

// validIDPattern checks a group or transactional ID used in an ARN: not empty, and free of
// white space and control characters, which IAM resource names cannot carry.
func validIDPattern(kind, name string) error {
	if name == "" {
		return fmt.Errorf("%s name is empty", kind)
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar {
			return fmt.Errorf("%s name %q contains white space or a control character", kind, name)
		}
	}
	return nil
}

func isAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}
