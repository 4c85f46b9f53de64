package glue

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
)

// Catalog parameter keys of the data mesh governance model (AWS "Build a data sharing workflow
// with Lake Formation for your data mesh"). Values are strings.
const (
	// ParamDataOwner holds the producer's AWS account ID on a database.
	ParamDataOwner = "data_owner"
	// ParamDataOwnerName holds a readable name of the producer on a database.
	ParamDataOwnerName = "data_owner_name"
	// ParamPIIFlag is "true" or "false" on a database, a table or a column.
	ParamPIIFlag = "pii_flag"
)

// Governance is the data mesh governance metadata of a database, stored as the catalog
// parameters data_owner, data_owner_name and pii_flag.
type Governance struct {
	// DataOwner is the producer's 12-digit AWS account ID. Required when any other field is set.
	DataOwner string
	// DataOwnerName is a readable producer name, e.g. "sales-team". Optional.
	DataOwnerName string
	// PII marks the whole database as containing personally identifiable information. It is
	// written as pii_flag "true" or "false" whenever DataOwner is set.
	PII bool
}

// isZero reports whether g carries no governance metadata.
func (g Governance) isZero() bool { return g == Governance{} }

func (g Governance) validate(field string) error {
	if g.isZero() {
		return nil
	}
	if g.DataOwner == "" {
		return fmt.Errorf("%s.DataOwner is required when governance metadata is set", field)
	}
	if !datablocks.IsAccountID(g.DataOwner) {
		return fmt.Errorf("%s.DataOwner %q is not a 12-digit AWS account ID", field, g.DataOwner)
	}
	return nil
}

// parameters returns g as catalog parameters, or nil when g is zero.
func (g Governance) parameters() map[string]string {
	if g.isZero() {
		return nil
	}
	p := map[string]string{ParamDataOwner: g.DataOwner, ParamPIIFlag: fmt.Sprint(g.PII)}
	if g.DataOwnerName != "" {
		p[ParamDataOwnerName] = g.DataOwnerName
	}
	return p
}

// ParseGovernance reads governance metadata from catalog parameters. Missing keys give zero
// fields; a data_owner that is not an account ID or a pii_flag other than "true"/"false"
// (any case) is an error naming the key.
func ParseGovernance(params map[string]string) (Governance, error) {
	g, err := parseGovernance(params)
	if err != nil {
		return g, fmt.Errorf("glue: %w", err)
	}
	return g, nil
}

func parseGovernance(params map[string]string) (Governance, error) {
	var g Governance
	g.DataOwner = params[ParamDataOwner]
	g.DataOwnerName = params[ParamDataOwnerName]
	if g.DataOwner != "" && !datablocks.IsAccountID(g.DataOwner) {
		return g, fmt.Errorf("parameter %s=%q is not a 12-digit AWS account ID", ParamDataOwner, g.DataOwner)
	}
	pii, _, err := parseFlag(params)
	g.PII = pii
	return g, err
}

func parseFlag(params map[string]string) (value, present bool, err error) {
	v, ok := params[ParamPIIFlag]
	if !ok {
		return false, false, nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, true, fmt.Errorf("parameter %s=%q is neither \"true\" nor \"false\"", ParamPIIFlag, v)
}

// tablePII returns, sorted, the data and partition columns of a table that carry PII: every
// column when the table, or its database when db is not nil, has pii_flag "true"; otherwise the
// columns whose pii_flag is "true". It is nil when none does. A malformed flag is an error
// naming the database, table or column.
func tablePII(db *types.Database, t *types.Table) ([]string, error) {
	flagged := false
	if db != nil {
		v, _, err := parseFlag(db.Parameters)
		if err != nil {
			return nil, fmt.Errorf("glue: database %s: %w", aws.ToString(db.Name), err)
		}
		flagged = v
	}
	if t == nil {
		return nil, nil
	}
	v, _, err := parseFlag(t.Parameters)
	if err != nil {
		return nil, fmt.Errorf("glue: table %s: %w", aws.ToString(t.Name), err)
	}
	flagged = flagged || v
	var cols []types.Column
	if t.StorageDescriptor != nil {
		cols = append(cols, t.StorageDescriptor.Columns...)
	}
	cols = append(cols, t.PartitionKeys...)
	var out []string
	for _, c := range cols {
		v, _, err := parseFlag(c.Parameters)
		if err != nil {
			return nil, fmt.Errorf("glue: table %s column %s: %w", aws.ToString(t.Name), aws.ToString(c.Name), err)
		}
		if v || flagged {
			out = append(out, aws.ToString(c.Name))
		}
	}
	sort.Strings(out)
	return out, nil
}
