package gluetest

import "github.com/datablocks-go/datablocks/localaws"

// Service describes the fake for package localaws, which serves it on the wire to the real
// SDK client (awsglue.NewFromConfig) and the AWS CLI: Glue speaks awsJson1_1 with the target
// prefix AWSGlue, signs as "glue" and names JSON members as its Go fields (PascalCase).
//
//	srv, err := localaws.Start([]localaws.Service{fake.Service()})
//	defer srv.Close()
//	client := awsglue.NewFromConfig(srv.Config())
func (f *Fake) Service() localaws.Service {
	return localaws.Service{
		SigningName:  "glue",
		Protocol:     localaws.AWSJSON11,
		TargetPrefix: "AWSGlue",
		Naming:       localaws.Pascal,
		Operations: []localaws.Operation{
			localaws.Op(OpCheckSchemaVersionValidity, f.CheckSchemaVersionValidity),
			localaws.Op(OpCreateCrawler, f.CreateCrawler),
			localaws.Op(OpCreateDatabase, f.CreateDatabase),
			localaws.Op(OpCreateJob, f.CreateJob),
			localaws.Op(OpCreateRegistry, f.CreateRegistry),
			localaws.Op(OpCreateSchema, f.CreateSchema),
			localaws.Op(OpCreateTable, f.CreateTable),
			localaws.Op(OpCreateWorkflow, f.CreateWorkflow),
			localaws.Op(OpDeleteCrawler, f.DeleteCrawler),
			localaws.Op(OpDeleteDatabase, f.DeleteDatabase),
			localaws.Op(OpDeleteSchema, f.DeleteSchema),
			localaws.Op(OpDeleteTable, f.DeleteTable),
			localaws.Op(OpGetCrawler, f.GetCrawler),
			localaws.Op(OpGetCrawlerMetrics, f.GetCrawlerMetrics),
			localaws.Op(OpGetDatabase, f.GetDatabase),
			localaws.Op(OpGetDatabases, f.GetDatabases),
			localaws.Op(OpGetJobRun, f.GetJobRun),
			localaws.Op(OpGetSchema, f.GetSchema),
			localaws.Op(OpGetSchemaVersion, f.GetSchemaVersion),
			localaws.Op(OpGetTable, f.GetTable),
			localaws.Op(OpGetTables, f.GetTables),
			localaws.Op(OpGetWorkflowRun, f.GetWorkflowRun),
			localaws.Op(OpListSchemas, f.ListSchemas),
			localaws.Op(OpRegisterSchemaVersion, f.RegisterSchemaVersion),
			localaws.Op(OpStartCrawler, f.StartCrawler),
			localaws.Op(OpStartJobRun, f.StartJobRun),
			localaws.Op(OpStartWorkflowRun, f.StartWorkflowRun),
			localaws.Op(OpStopCrawler, f.StopCrawler),
			localaws.Op(OpUpdateDatabase, f.UpdateDatabase),
			localaws.Op(OpUpdateSchema, f.UpdateSchema),
			localaws.Op(OpUpdateTable, f.UpdateTable),
		},
	}
}
