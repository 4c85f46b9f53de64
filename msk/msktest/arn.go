package msktest

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// clusterARN is an MSK cluster ARN, arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>
// (Service Authorization Reference, "Resource types defined by Amazon Managed Streaming for
// Apache Kafka").
type clusterARN struct {
	Partition, Region, AccountID, Name, UUID string
}

func (a clusterARN) String() string {
	return "arn:" + a.Partition + ":kafka:" + a.Region + ":" + a.AccountID + ":cluster/" + a.Name + "/" + a.UUID
}

var (
	// MSK API reference, CreateClusterV2 clusterName: 1-64 characters; the console and
	// CloudFormation allow letters, digits and hyphens, starting with a letter or digit.
	clusterNamePattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z-]{0,63}$`)
	uuidPattern        = regexp.MustCompile(`^[0-9A-Za-z-]{1,64}$`)
	regionPattern      = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	accountPattern     = regexp.MustCompile(`^[0-9]{12}$`)
)

// partitionOf returns the partition of region (aws, aws-cn, aws-us-gov).
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// dnsSuffix returns the DNS suffix of region's partition.
func dnsSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

func newClusterARN(region, account, name, uuid string) (clusterARN, error) {
	a := clusterARN{Partition: partitionOf(region), Region: region, AccountID: account, Name: name, UUID: uuid}
	return a, a.validate()
}

func (a clusterARN) validate() error {
	switch {
	case !regionPattern.MatchString(a.Region):
		return fmt.Errorf("region %q is not a region name", a.Region)
	case !accountPattern.MatchString(a.AccountID):
		return fmt.Errorf("account ID %q is not 12 digits", a.AccountID)
	case !clusterNamePattern.MatchString(a.Name):
		return fmt.Errorf("cluster name %q is not 1-64 letters, digits and hyphens starting with a letter or digit", a.Name)
	case !uuidPattern.MatchString(a.UUID):
		return fmt.Errorf("cluster UUID %q is not letters, digits and hyphens", a.UUID)
	case a.Partition != partitionOf(a.Region):
		return fmt.Errorf("partition %q does not hold region %s", a.Partition, a.Region)
	}
	return nil
}

// parseClusterARN parses and validates an MSK cluster ARN.
func parseClusterARN(s string) (clusterARN, error) {
	if len(s) > 1011 { // the IAM ARN length limit
		return clusterARN{}, fmt.Errorf("cluster ARN is %d characters long", len(s))
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "kafka" {
		return clusterARN{}, fmt.Errorf("%q is not an MSK ARN (arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>)", s)
	}
	res := strings.Split(parts[5], "/")
	if len(res) != 3 || res[0] != "cluster" {
		return clusterARN{}, fmt.Errorf("%q is not an MSK cluster ARN", s)
	}
	a := clusterARN{Partition: parts[1], Region: parts[3], AccountID: parts[4], Name: res[1], UUID: res[2]}
	return a, a.validate()
}

// checkBrokerAddr checks a host:port broker address.
func checkBrokerAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return fmt.Errorf("broker address %q is not host:port", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("broker address %q has an invalid port", addr)
	}
	return nil
}
