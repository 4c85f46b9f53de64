package glue

// Internals that the external tests of this package check directly: the validators Catalog
// and ParseSchema apply, the PII reading of SDK tables and the success rule of workflow runs.

type NameKind = nameKind

const (
	DatabaseName = databaseName
	TableName    = tableName
	ColumnName   = columnName
)

var (
	ValidateName       = validateName
	ValidateColumnType = validateColumnType
	ValidateDefinition = validateDefinition
	TablePII           = tablePII
	WorkflowSucceeded  = workflowSucceeded
)
