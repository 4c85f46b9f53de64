package redshift

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/datablocks-go/datablocks"
)

// DataAPIClient is the part of the Redshift Data API client (redshiftdata.Client) that DataAPI
// and the database/sql driver call.
type DataAPIClient interface {
	ExecuteStatement(ctx context.Context, params *redshiftdata.ExecuteStatementInput, optFns ...func(*redshiftdata.Options)) (*redshiftdata.ExecuteStatementOutput, error)
	BatchExecuteStatement(ctx context.Context, params *redshiftdata.BatchExecuteStatementInput, optFns ...func(*redshiftdata.Options)) (*redshiftdata.BatchExecuteStatementOutput, error)
	DescribeStatement(ctx context.Context, params *redshiftdata.DescribeStatementInput, optFns ...func(*redshiftdata.Options)) (*redshiftdata.DescribeStatementOutput, error)
	CancelStatement(ctx context.Context, params *redshiftdata.CancelStatementInput, optFns ...func(*redshiftdata.Options)) (*redshiftdata.CancelStatementOutput, error)
	redshiftdata.GetStatementResultAPIClient
	redshiftdata.GetStatementResultV2APIClient
}

var _ DataAPIClient = (*redshiftdata.Client)(nil)

// Target is where and as whom statements run: a Redshift Serverless workgroup or a
// provisioned cluster, a database, and one way to authenticate:
//
//   - SecretARN: a Secrets Manager secret holding the user name and password (workgroup or
//     cluster; for a cluster the secret must belong to it);
//   - DbUser: temporary credentials for that database user (cluster only, IAM action
//     redshift:GetClusterCredentials);
//   - neither: temporary credentials for the caller's IAM identity (workgroup:
//     redshift-serverless:GetCredentials, database user "IAM:<name>"; cluster:
//     redshift:GetClusterCredentialsWithIAM).
type Target struct {
	// Workgroup is a Redshift Serverless workgroup name or ARN. Exactly one of Workgroup and
	// Cluster is set.
	Workgroup string
	// Cluster is a provisioned cluster identifier.
	Cluster string
	// Database is the database to connect to. Required.
	Database string
	// DbUser is the database user for temporary credentials (cluster only).
	DbUser string
	// SecretARN is the ARN of a Secrets Manager secret with the database credentials.
	SecretARN string
}

var (
	workgroupNameRe = regexp.MustCompile(`^[a-z0-9-]{3,64}$`)
	clusterIDRe     = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
)

// validate checks the target's fields together: exactly one of Workgroup and Cluster, their
// formats, a Database, and at most one of DbUser and SecretARN, DbUser with a cluster only.
func (t Target) validate() error {
	switch {
	case t.Workgroup == "" && t.Cluster == "":
		return errors.New("redshift: Target needs Workgroup or Cluster")
	case t.Workgroup != "" && t.Cluster != "":
		return errors.New("redshift: Target.Workgroup and Target.Cluster are exclusive; set one")
	case t.Workgroup != "" && !validWorkgroup(t.Workgroup):
		return fmt.Errorf("redshift: Target.Workgroup %q is neither a workgroup name (3-64 of a-z, 0-9, -) nor a redshift-serverless workgroup ARN", t.Workgroup)
	case t.Cluster != "" && (len(t.Cluster) > 63 || !clusterIDRe.MatchString(t.Cluster)):
		return fmt.Errorf("redshift: Target.Cluster %q must be 1-63 characters: a lowercase letter, then lowercase letters, digits and single hyphens, not ending in a hyphen", t.Cluster)
	case t.Database == "":
		return errors.New("redshift: Target.Database is required")
	case t.DbUser != "" && t.SecretARN != "":
		return errors.New("redshift: Target.DbUser and Target.SecretARN are exclusive: choose temporary credentials for a database user or a Secrets Manager secret")
	case t.DbUser != "" && t.Workgroup != "":
		return errors.New("redshift: Target.DbUser works with a Cluster only; a Workgroup authenticates with SecretARN or the caller's IAM identity")
	case t.SecretARN != "" && !validSecretARN(t.SecretARN):
		return fmt.Errorf("redshift: Target.SecretARN %q is not a Secrets Manager secret ARN", t.SecretARN)
	}
	return nil
}

func validWorkgroup(s string) bool {
	if workgroupNameRe.MatchString(s) {
		return true
	}
	a, err := datablocks.ParseARN(s)
	return err == nil && a.Service == "redshift-serverless" && strings.HasPrefix(a.Resource, "workgroup/") && len(s) <= 128
}

func validSecretARN(s string) bool {
	a, err := datablocks.ParseARN(s)
	return err == nil && a.Service == "secretsmanager" && strings.HasPrefix(a.Resource, "secret:")
}

// Param is a named parameter of a statement, bound to :Name in its SQL. The Data API carries
// parameters as non-empty strings that Redshift casts to the type the SQL needs: there is no
// NULL or empty-string parameter (write NULL or an empty literal in the SQL instead).
type Param struct {
	// Name matches ^[0-9a-zA-Z_]+$.
	Name string
	// Value is the parameter's text, at least one character.
	Value string
}

// Statement is one SQL statement to run. It is checked as the Data API would before any call:
// a non-empty SQL of at most 100 KB, a name of at most 2048 characters, and
// parameters named ^[0-9a-zA-Z_]+$ with non-empty values, each bound once, every :name in the
// SQL bound and every parameter referenced.
type Statement struct {
	// SQL is the statement text, with parameters written :name. Required.
	SQL string
	// Params binds every :name in SQL; each must be referenced by it.
	Params []Param
	// Name is the optional statement name shown by ListStatements (at most 2048 characters).
	Name string

	csv bool // the result is CSV text (QueryCSV), not typed JSON records
}

var paramNameRe = regexp.MustCompile(`^[0-9a-zA-Z_]+$`)

// validateParams checks parameters as the Data API does: names, non-empty values, no
// duplicates, every :name in the SQL texts bound and every parameter referenced.
func validateParams(field string, sqls []string, params []Param) error {
	bound := make(map[string]bool, len(params))
	for i, p := range params {
		switch {
		case !paramNameRe.MatchString(p.Name):
			return fmt.Errorf("redshift: %s[%d].Name %q must match ^[0-9a-zA-Z_]+$", field, i, p.Name)
		case p.Value == "":
			return fmt.Errorf("redshift: %s[%d] (%s): the Data API cannot carry an empty or NULL parameter; write NULL or '' in the SQL", field, i, p.Name)
		case bound[p.Name]:
			return fmt.Errorf("redshift: %s[%d]: parameter %q is given twice", field, i, p.Name)
		}
		bound[p.Name] = true
	}
	used := map[string]bool{}
	for _, sql := range sqls {
		names, err := paramRefs(sql)
		if err != nil {
			return err
		}
		for _, n := range names {
			if !bound[n] {
				return fmt.Errorf("redshift: SQL references :%s, which no parameter binds", n)
			}
			used[n] = true
		}
	}
	for _, p := range params {
		if !used[p.Name] {
			return fmt.Errorf("redshift: parameter %q is not referenced by the SQL (the Data API rejects unused parameters)", p.Name)
		}
	}
	return nil
}

// validate checks the statement as the Statement doc says.
func (s Statement) validate() error {
	if strings.TrimSpace(s.SQL) == "" {
		return errors.New("redshift: Statement.SQL is empty")
	}
	if len(s.Name) > 2048 {
		return errors.New("redshift: Statement.Name is longer than 2048 characters")
	}
	return validateParams("Statement.Params", []string{s.SQL}, s.Params)
}

// maxSQLBytes is the Data API's limit on a statement's text (100 KB).
const maxSQLBytes = 100 * 1024

// paramRefs returns the :name parameters of sql in order of appearance, skipping '…' and E'…'
// literals, "…" identifiers, comments, $tag$ bodies and :: casts. It is one linear pass.
func paramRefs(sql string) ([]string, error) {
	if len(sql) > maxSQLBytes {
		return nil, fmt.Errorf("redshift: SQL is %d bytes, over the Data API's limit of %d", len(sql), maxSQLBytes)
	}
	var names []string
	isName := func(c byte) bool {
		return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	isIdent := func(c byte) bool { return isName(c) || c >= 0x80 || c == '$' }
	skipTo := func(i int, closing string, what string) (int, error) {
		j := strings.Index(sql[i:], closing)
		if j < 0 {
			return 0, fmt.Errorf("redshift: SQL has an unterminated %s", what)
		}
		return i + j + len(closing), nil
	}
	for i := 0; i < len(sql); {
		c := sql[i]
		var err error
		switch {
		case c == '\'' || ((c == 'E' || c == 'e') && i+1 < len(sql) && sql[i+1] == '\'' && (i == 0 || !isIdent(sql[i-1]))):
			backslash := c != '\''
			if backslash {
				i++
			}
			i++
			for {
				if i >= len(sql) {
					return nil, errors.New("redshift: SQL has an unterminated string literal")
				}
				if backslash && sql[i] == '\\' {
					i += 2
					continue
				}
				if sql[i] == '\'' {
					if i+1 < len(sql) && sql[i+1] == '\'' {
						i += 2
						continue
					}
					i++
					break
				}
				i++
			}
		case c == '"':
			// "" inside an identifier is two adjacent quoted parts for this scan's purpose.
			if i, err = skipTo(i+1, `"`, "quoted identifier"); err != nil {
				return nil, err
			}
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(sql)
			}
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			depth := 0
			for i < len(sql) {
				if strings.HasPrefix(sql[i:], "/*") {
					depth++
					i += 2
				} else if strings.HasPrefix(sql[i:], "*/") {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
			if depth != 0 {
				return nil, errors.New("redshift: SQL has an unterminated comment")
			}
		case c == '$' && (i == 0 || !isIdent(sql[i-1])):
			j := i + 1
			for j < len(sql) && (isName(sql[j]) || sql[j] >= 0x80) && !('0' <= sql[j] && sql[j] <= '9' && j == i+1) {
				j++
			}
			if j < len(sql) && sql[j] == '$' {
				tag := sql[i : j+1]
				if i, err = skipTo(j+1, tag, tag+" body"); err != nil {
					return nil, err
				}
			} else {
				i++
			}
		case c == ':' && i+1 < len(sql) && sql[i+1] == ':':
			for i < len(sql) && sql[i] == ':' {
				i++
			}
		case c == ':' && i+1 < len(sql) && isName(sql[i+1]):
			j := i + 1
			for j < len(sql) && isName(sql[j]) {
				j++
			}
			names = append(names, sql[i+1:j])
			i = j
		default:
			i++
		}
	}
	return names, nil
}
