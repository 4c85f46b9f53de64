package msk

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/datablocks-go/datablocks"
)

// The resource kinds of MSK ARNs used by IAM access control ("kafka-cluster:" actions).
const (
	kindCluster         = "cluster"
	kindTopic           = "topic"
	kindGroup           = "group"
	kindTransactionalID = "transactional-id"
)

// maxTopicNameLength is Kafka's limit on topic names.
const maxTopicNameLength = 249

// ClusterARN is a parsed MSK cluster ARN,
// arn:<Partition>:kafka:<Region>:<AccountID>:cluster/<Name>/<UUID>. Topic builds the ARNs of the
// cluster's topics in the same partition, region and account, which is what IAM policies for
// MSK IAM access control name (the policy builders name groups and transactional IDs too).
type ClusterARN struct {
	Partition string // "aws", "aws-cn", ...
	Region    string // the cluster's region, e.g. "eu-west-1"
	AccountID string // the account that owns the cluster
	Name      string // the cluster name
	UUID      string // the cluster UUID, e.g. "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"
}

// ParseClusterARN parses an MSK cluster ARN. It rejects unknown partitions, services other than
// kafka, empty regions, accounts that are not 12 digits, resources other than
// cluster/<name>/<uuid>, and cluster names MSK would not accept.
func ParseClusterARN(s string) (ClusterARN, error) {
	c, err := parseClusterARN(s)
	if err != nil {
		return ClusterARN{}, fmt.Errorf("msk: %w", err)
	}
	return c, nil
}

// parseClusterARN is ParseClusterARN with errors that carry no package prefix, for callers
// that add their own ("msk: ConsumerAccess.ClusterARN: ...").
func parseClusterARN(s string) (ClusterARN, error) {
	r, err := parseResource(s)
	if err != nil {
		return ClusterARN{}, err
	}
	if r.Kind != kindCluster {
		return ClusterARN{}, fmt.Errorf("ARN %q is a %s ARN, not a cluster ARN", s, r.Kind)
	}
	return r.Cluster, nil
}

// mskResource is a parsed MSK resource ARN: a cluster, or a topic, group or transactional ID
// of a cluster.
type mskResource struct {
	Kind    string     // kindCluster, kindTopic, kindGroup or kindTransactionalID
	Cluster ClusterARN // the cluster the resource belongs to
	Name    string     // the topic, group or transactional ID; empty for a cluster
}

// String returns the ARN.
func (r mskResource) String() string {
	if r.Kind == kindCluster {
		return r.Cluster.String()
	}
	return r.Cluster.resourceARN(r.Kind, r.Name)
}

// parseResource parses the ARN of an MSK cluster, topic, group or transactional ID, as
// named in IAM policies. The name after the cluster UUID may contain IAM wildcards (* and ?)
// and, for groups and transactional IDs, slashes.
func parseResource(s string) (mskResource, error) {
	a, err := datablocks.ParseARN(s)
	if err != nil {
		if inner := errors.Unwrap(err); inner != nil {
			err = inner // without datablocks.ParseARN's own "datablocks:" prefix
		}
		return mskResource{}, fmt.Errorf("invalid ARN %q: %w", s, err)
	}
	if a.Service != "kafka" {
		return mskResource{}, fmt.Errorf("ARN %q: service is %q, not kafka", s, a.Service)
	}
	if !validRegion(a.Region) {
		return mskResource{}, fmt.Errorf("ARN %q: region %q is not a region name", s, a.Region)
	}
	if !datablocks.IsAccountID(a.AccountID) {
		return mskResource{}, fmt.Errorf("ARN %q: account %q is not 12 digits", s, a.AccountID)
	}
	kind, rest, ok := strings.Cut(a.Resource, "/")
	if !ok {
		return mskResource{}, fmt.Errorf("ARN %q: resource %q is not <kind>/<cluster name>/<cluster uuid>[/<name>]", s, a.Resource)
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) < 2 {
		return mskResource{}, fmt.Errorf("ARN %q: resource %q lacks the cluster name or UUID", s, a.Resource)
	}
	c := ClusterARN{Partition: a.Partition, Region: a.Region, AccountID: a.AccountID, Name: parts[0], UUID: parts[1]}
	if err := validClusterName(c.Name); err != nil {
		return mskResource{}, fmt.Errorf("ARN %q: %w", s, err)
	}
	if !validUUID(c.UUID) {
		return mskResource{}, fmt.Errorf("ARN %q: cluster UUID %q is not letters, digits and hyphens", s, c.UUID)
	}
	r := mskResource{Kind: kind, Cluster: c}
	switch kind {
	case kindCluster:
		if len(parts) == 3 {
			return mskResource{}, fmt.Errorf("ARN %q: a cluster ARN ends after the cluster UUID", s)
		}
		return r, nil
	case kindTopic, kindGroup, kindTransactionalID:
		if len(parts) < 3 || parts[2] == "" {
			return mskResource{}, fmt.Errorf("ARN %q: %s ARN lacks the %s name after the cluster UUID", s, kind, kind)
		}
		r.Name = parts[2]
		var err error
		if kind == kindTopic {
			err = validTopicPattern(r.Name)
		} else {
			err = validIDPattern(kind, r.Name)
		}
		if err != nil {
			return mskResource{}, fmt.Errorf("ARN %q: %w", s, err)
		}
		return r, nil
	default:
		return mskResource{}, fmt.Errorf("ARN %q: resource kind %q is not cluster, topic, group or transactional-id", s, kind)
	}
}

// String returns the cluster ARN.
func (c ClusterARN) String() string {
	return datablocks.Partition{ID: c.Partition}.ARN("kafka", c.Region, c.AccountID, kindCluster+"/"+c.Name+"/"+c.UUID)
}

// Topic returns the ARN of a topic of the cluster,
// arn:<partition>:kafka:<region>:<account>:topic/<cluster name>/<cluster uuid>/<topic>.
// The topic may use IAM wildcards ("orders-*", "*").
func (c ClusterARN) Topic(topic string) string { return c.resourceARN(kindTopic, topic) }

// resourceARN returns the ARN of a group or transactional ID (kind) of the cluster,
// arn:<partition>:kafka:<region>:<account>:<kind>/<cluster name>/<cluster uuid>/<name>, as the
// policy builders name them.
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
