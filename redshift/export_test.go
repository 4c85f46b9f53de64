package redshift

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
)

// DecodeString decodes a stringValue field of a column of type typeName, for tests.
func DecodeString(typeName, v string) (any, error) {
	return decode(Column{Name: "c", TypeName: typeName}, &types.FieldMemberStringValue{Value: v})
}

// Test access to what the package checks and keeps internally.

func (d *DataAPI) Target() Target { return d.target }

func (d *DataAPI) NewSession(keepAlive time.Duration) (*session, error) {
	return d.newSession(keepAlive)
}

func (t Target) Validate() error { return t.validate() }

func (s Statement) Validate() error { return s.validate() }

// DSN is a parsed data source name.
type DSN = dataSource

var ParseDSN = parseDSN

var (
	Ident          = ident
	QualifiedIdent = qualifiedIdent
	Literal        = literal
)
