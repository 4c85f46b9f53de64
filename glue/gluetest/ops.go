package gluetest

// Operation names the fake implements, for Control, KeepControl, FailNext, ThrottleNext and
// Count: a name the fake does not implement panics there, so a typo fails the test that made it.
const (
	OpCheckSchemaVersionValidity = "CheckSchemaVersionValidity"
	OpCreateCrawler              = "CreateCrawler"
	OpCreateDatabase             = "CreateDatabase"
	OpCreateJob                  = "CreateJob"
	OpCreateRegistry             = "CreateRegistry"
	OpCreateSchema               = "CreateSchema"
	OpCreateTable                = "CreateTable"
	OpCreateWorkflow             = "CreateWorkflow"
	OpDeleteCrawler              = "DeleteCrawler"
	OpDeleteDatabase             = "DeleteDatabase"
	OpDeleteSchema               = "DeleteSchema"
	OpDeleteTable                = "DeleteTable"
	OpGetCrawler                 = "GetCrawler"
	OpGetCrawlerMetrics          = "GetCrawlerMetrics"
	OpGetDatabase                = "GetDatabase"
	OpGetDatabases               = "GetDatabases"
	OpGetJobRun                  = "GetJobRun"
	OpGetSchema                  = "GetSchema"
	OpGetSchemaVersion           = "GetSchemaVersion"
	OpGetTable                   = "GetTable"
	OpGetTables                  = "GetTables"
	OpGetWorkflowRun             = "GetWorkflowRun"
	OpListSchemas                = "ListSchemas"
	OpRegisterSchemaVersion      = "RegisterSchemaVersion"
	OpStartCrawler               = "StartCrawler"
	OpStartJobRun                = "StartJobRun"
	OpStartWorkflowRun           = "StartWorkflowRun"
	OpStopCrawler                = "StopCrawler"
	OpUpdateDatabase             = "UpdateDatabase"
	OpUpdateSchema               = "UpdateSchema"
	OpUpdateTable                = "UpdateTable"
)

// operations lists every Op constant.
var operations = []string{
	OpCheckSchemaVersionValidity, OpCreateCrawler, OpCreateDatabase, OpCreateJob, OpCreateRegistry,
	OpCreateSchema, OpCreateTable, OpCreateWorkflow, OpDeleteCrawler, OpDeleteDatabase, OpDeleteSchema,
	OpDeleteTable, OpGetCrawler, OpGetCrawlerMetrics, OpGetDatabase, OpGetDatabases, OpGetJobRun,
	OpGetSchema, OpGetSchemaVersion, OpGetTable, OpGetTables, OpGetWorkflowRun, OpListSchemas,
	OpRegisterSchemaVersion, OpStartCrawler, OpStartJobRun, OpStartWorkflowRun, OpStopCrawler,
	OpUpdateDatabase, OpUpdateSchema, OpUpdateTable,
}
