package datablocks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Partition is an AWS partition: the first field of every ARN and the DNS suffix of its
// service endpoints.
type Partition struct {
	ID        string // "aws", "aws-cn", "aws-us-gov", "aws-iso", ...
	DNSSuffix string // "amazonaws.com", "amazonaws.com.cn", ...
}

// The partitions datablocks knows, with the DNS suffixes the SDK's endpoint rules use.
// PartitionAWS is the commercial partition; the others are reached by PartitionForRegion or
// partitionByID.
var (
	PartitionAWS      = Partition{ID: "aws", DNSSuffix: "amazonaws.com"}
	partitionAWSCN    = Partition{ID: "aws-cn", DNSSuffix: "amazonaws.com.cn"}
	partitionAWSUSGov = Partition{ID: "aws-us-gov", DNSSuffix: "amazonaws.com"}
	partitionAWSISO   = Partition{ID: "aws-iso", DNSSuffix: "c2s.ic.gov"}
	partitionAWSISOB  = Partition{ID: "aws-iso-b", DNSSuffix: "sc2s.sgov.gov"}
	partitionAWSISOE  = Partition{ID: "aws-iso-e", DNSSuffix: "cloud.adc-e.uk"}
	partitionAWSISOF  = Partition{ID: "aws-iso-f", DNSSuffix: "csp.hci.ic.gov"}
	partitionAWSEUSC  = Partition{ID: "aws-eusc", DNSSuffix: "amazonaws.eu"}
)

// partitionPrefixes maps region name prefixes to partitions, most specific first
// (us-isob- before us-iso-), as the SDK's partition regexes do.
var partitionPrefixes = []struct {
	prefix string
	p      Partition
}{
	{"cn-", partitionAWSCN},
	{"us-gov-", partitionAWSUSGov},
	{"us-isob-", partitionAWSISOB},
	{"us-isof-", partitionAWSISOF},
	{"eu-isoe-", partitionAWSISOE},
	{"us-iso-", partitionAWSISO},
	{"eusc-", partitionAWSEUSC},
}

// PartitionForRegion returns the partition a region belongs to. Regions outside the special
// partitions, including ones newer than this code, belong to "aws". The SDK's pseudo-regions
// resolve like the region they stand for: the global endpoints ("aws-cn-global",
// "aws-us-gov-global", ...) to their partition, and the FIPS forms ("fips-us-gov-west-1",
// "us-gov-west-1-fips") to the partition of the region without the FIPS marker.
func PartitionForRegion(region string) Partition {
	if id, ok := strings.CutSuffix(region, "-global"); ok {
		if p, known := partitionByID(id); known {
			return p
		}
	}
	region = strings.TrimSuffix(strings.TrimPrefix(region, "fips-"), "-fips")
	for _, pp := range partitionPrefixes {
		if strings.HasPrefix(region, pp.prefix) {
			return pp.p
		}
	}
	return PartitionAWS
}

// partitionByID returns the partition with the given ID, and whether it is known.
func partitionByID(id string) (Partition, bool) {
	if id == PartitionAWS.ID {
		return PartitionAWS, true
	}
	for _, pp := range partitionPrefixes {
		if pp.p.ID == id {
			return pp.p, true
		}
	}
	return Partition{}, false
}

// ARN builds an ARN in this partition. Region and account are empty for global resources
// (IAM roles have no region; S3 buckets have neither).
func (p Partition) ARN(service, region, accountID, resource string) string {
	return arn.ARN{Partition: p.ID, Service: service, Region: region, AccountID: accountID, Resource: resource}.String()
}

// ServiceHost returns the host name of a service's regional endpoint in this partition,
// e.g. "kafka.cn-north-1.amazonaws.com.cn".
func (p Partition) ServiceHost(service, region string) string {
	return service + "." + region + "." + p.DNSSuffix
}

// ParseARN parses an ARN and checks that its partition is known and its service and resource
// are present. It accepts IAM-style wildcards, and IAM policy variables anywhere after the
// partition: the colon inside "arn:aws:iam::${aws:PrincipalAccount}:role/x" does not end the
// account field.
func ParseARN(s string) (arn.ARN, error) {
	a, err := parseARN(s)
	if err != nil {
		return arn.ARN{}, fmt.Errorf("datablocks: invalid ARN %q: %w", s, err)
	}
	if _, ok := partitionByID(a.Partition); !ok {
		return arn.ARN{}, fmt.Errorf("datablocks: invalid ARN %q: unknown partition %q", s, a.Partition)
	}
	if a.Service == "" {
		return arn.ARN{}, fmt.Errorf("datablocks: invalid ARN %q: empty service", s)
	}
	if a.Resource == "" {
		return arn.ARN{}, fmt.Errorf("datablocks: invalid ARN %q: empty resource", s)
	}
	if a.AccountID != "" && a.AccountID != "*" && !IsAccountID(a.AccountID) && !strings.ContainsAny(a.AccountID, "*?${}") && a.AccountID != "aws" {
		return arn.ARN{}, fmt.Errorf("datablocks: invalid ARN %q: account %q is not 12 digits", s, a.AccountID)
	}
	return a, nil
}

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// parseARN is arn.Parse with ${...} treated as part of the field it is in.
func parseARN(s string) (arn.ARN, error) {
	if !strings.HasPrefix(s, "arn:") {
		return arn.ARN{}, errors.New("arn: invalid prefix")
	}
	var fields []string
	start, depth := 0, 0
	for i := 0; i < len(s) && len(fields) < 5; i++ {
		switch {
		case strings.HasPrefix(s[i:], "${"):
			depth++
			i++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			fields = append(fields, s[start:i])
			start = i + 1
		}
	}
	if len(fields) < 5 {
		return arn.ARN{}, errors.New("arn: not enough sections")
	}
	return arn.ARN{Partition: fields[1], Service: fields[2], Region: fields[3], AccountID: fields[4], Resource: s[start:]}, nil
}
