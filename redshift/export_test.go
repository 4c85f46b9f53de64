package redshift

import "github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"

// DecodeString decodes a stringValue field of a column of type typeName, for tests.
func DecodeString(typeName, v string) (any, error) {
	return decode(Column{Name: "c", TypeName: typeName}, &types.FieldMemberStringValue{Value: v})
}
