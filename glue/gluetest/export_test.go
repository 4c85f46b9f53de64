package gluetest

import "github.com/aws/aws-sdk-go-v2/service/glue/types"

// Accessors for the external tests of this package: what the fake recorded that no SDK
// operation it implements returns.

// TableVersions returns every version of a table, oldest first.
func (f *Fake) TableVersions(catalogID, database, table string) ([]types.Table, bool) {
	return f.tableVersions(catalogID, database, table)
}

// SchemaVersionFailure returns why a version was decided FAILURE ("" when it was not).
func (f *Fake) SchemaVersionFailure(versionID string) string {
	return f.schemaVersionFailure(versionID)
}
