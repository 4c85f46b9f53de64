package localaws_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	dztypes "github.com/aws/aws-sdk-go-v2/service/datazone/types"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	kafkatypes "github.com/aws/aws-sdk-go-v2/service/kafka/types"
	lftypes "github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	rsstypes "github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
	"github.com/aws/smithy-go"

	"github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluedocument "github.com/aws/aws-sdk-go-v2/service/glue/document"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/datablocks-go/datablocks/localaws"
)

// The services below declare the operations with the method values of a nil client: the
// checker replaces each handler with its recorder, so only the types and routes count.
// Routes are those of the SDK's serializers (the services' models).

func glueService() localaws.Service {
	var c *glue.Client
	return localaws.Service{SigningName: "glue", Protocol: localaws.AWSJSON11, TargetPrefix: "AWSGlue",
		Unions: glueUnions, WireNames: glueWireNames, DateTimes: glueDateTimes,
		NewDocument: func(v any) any { return gluedocument.NewLazyDocument(v) },
		Operations: []localaws.Operation{
			localaws.Op("GetTable", c.GetTable),
			localaws.Op("CreateTable", c.CreateTable),
			localaws.Op("GetDatabases", c.GetDatabases),
			localaws.Op("GetSchemaVersion", c.GetSchemaVersion),
			localaws.Op("BatchCreatePartition", c.BatchCreatePartition),
			localaws.Op("GetCrawler", c.GetCrawler),
		}}
}

func lakeformationService() localaws.Service {
	var c *lakeformation.Client
	return localaws.Service{SigningName: "lakeformation", Protocol: localaws.RESTJSON1, Naming: localaws.Pascal,
		Unions: lakeformationUnions, DateTimes: lakeformationDateTimes,
		Operations: []localaws.Operation{
			localaws.Route("GrantPermissions", "POST", "/GrantPermissions", c.GrantPermissions),
			localaws.Route("ListPermissions", "POST", "/ListPermissions", c.ListPermissions),
			localaws.Route("GetDataLakeSettings", "POST", "/GetDataLakeSettings", c.GetDataLakeSettings),
			localaws.Route("BatchGrantPermissions", "POST", "/BatchGrantPermissions", c.BatchGrantPermissions),
		}}
}

func datazoneService() localaws.Service {
	var c *datazone.Client
	return localaws.Service{SigningName: "datazone", Protocol: localaws.RESTJSON1, Naming: localaws.LowerCamel,
		Unions: datazoneUnions, DateTimes: datazoneDateTimes,
		Operations: []localaws.Operation{
			localaws.Route("GetAsset", "GET", "/v2/domains/{domainIdentifier}/assets/{identifier}", c.GetAsset),
			localaws.Route("CreateAsset", "POST", "/v2/domains/{domainIdentifier}/assets", c.CreateAsset),
			localaws.Route("ListDataSources", "GET", "/v2/domains/{domainIdentifier}/data-sources", c.ListDataSources),
			localaws.Route("CreateDataSource", "POST", "/v2/domains/{domainIdentifier}/data-sources", c.CreateDataSource),
			localaws.Route("GetDataSource", "GET", "/v2/domains/{domainIdentifier}/data-sources/{identifier}", c.GetDataSource),
			localaws.Route("SearchListings", "POST", "/v2/domains/{domainIdentifier}/listings/search", c.SearchListings),
		}}
}

func kafkaService() localaws.Service {
	var c *kafka.Client
	return localaws.Service{SigningName: "kafka", Protocol: localaws.RESTJSON1, Naming: localaws.LowerCamel,
		WireNames: kafkaWireNames, DateTimes: kafkaDateTimes,
		Operations: []localaws.Operation{
			localaws.Route("GetBootstrapBrokers", "GET", "/v1/clusters/{ClusterArn}/bootstrap-brokers", c.GetBootstrapBrokers),
			localaws.Route("ListClustersV2", "GET", "/api/v2/clusters", c.ListClustersV2),
			localaws.Route("DescribeClusterV2", "GET", "/api/v2/clusters/{ClusterArn}", c.DescribeClusterV2),
		}}
}

func emrserverlessService() localaws.Service {
	var c *emrserverless.Client
	return localaws.Service{SigningName: "emr-serverless", Protocol: localaws.RESTJSON1, Naming: localaws.LowerCamel,
		Unions: emrserverlessUnions,
		Operations: []localaws.Operation{
			localaws.Route("StartJobRun", "POST", "/applications/{applicationId}/jobruns", c.StartJobRun),
			localaws.Route("GetJobRun", "GET", "/applications/{applicationId}/jobruns/{jobRunId}", c.GetJobRun),
			localaws.Route("ListJobRuns", "GET", "/applications/{applicationId}/jobruns", c.ListJobRuns),
			localaws.Route("CreateApplication", "POST", "/applications", c.CreateApplication),
		}}
}

func redshiftserverlessService() localaws.Service {
	var c *redshiftserverless.Client
	return localaws.Service{SigningName: "redshift-serverless", Protocol: localaws.AWSJSON11,
		TargetPrefix: "RedshiftServerless", Naming: localaws.LowerCamel, Unions: redshiftserverlessUnions,
		DateTimes: redshiftserverlessDateTimes,
		Operations: []localaws.Operation{
			localaws.Op("GetWorkgroup", c.GetWorkgroup),
			localaws.Op("ListWorkgroups", c.ListWorkgroups),
			localaws.Op("CreateNamespace", c.CreateNamespace),
		}}
}

func ec2Service() localaws.Service {
	var c *ec2.Client
	// The one EC2 list whose elements are <member>, not <item>.
	ec2WireNames["InferenceAcceleratorInfo.Accelerators"] = "accelerators/member"
	return localaws.Service{SigningName: "ec2", Protocol: localaws.EC2Query, APIVersion: "2016-11-15",
		WireNames: ec2WireNames,
		Operations: []localaws.Operation{
			localaws.Op("DescribeInstanceTypes", c.DescribeInstanceTypes),
			localaws.Op("GetInstanceTypesFromInstanceRequirements", c.GetInstanceTypesFromInstanceRequirements),
		}}
}

func snsService() localaws.Service {
	var c *sns.Client
	return localaws.Service{SigningName: "sns", Protocol: localaws.AWSQuery, APIVersion: "2010-03-31",
		XMLNamespace: "http://sns.amazonaws.com/doc/2010-03-31/",
		Operations: []localaws.Operation{
			localaws.Op("Publish", c.Publish),
			localaws.Op("ListTopics", c.ListTopics),
			localaws.Op("GetTopicAttributes", c.GetTopicAttributes),
			localaws.Op("CreateTopic", c.CreateTopic),
		}}
}

func iamService() localaws.Service {
	var c *iam.Client
	return localaws.Service{SigningName: "iam", Protocol: localaws.AWSQuery, APIVersion: "2010-05-08",
		XMLNamespace: "https://iam.amazonaws.com/doc/2010-05-08/",
		Operations: []localaws.Operation{
			localaws.Op("GetRole", c.GetRole),
			localaws.Op("ListRoles", c.ListRoles),
			localaws.Op("CreateRole", c.CreateRole),
		}}
}

func TestCheckOperationGlue(t *testing.T) {
	svc := glueService()
	localaws.CheckOperation(t, svc, glue.NewFromConfig, (*glue.Client).GetTable)
	localaws.CheckOperation(t, svc, glue.NewFromConfig, (*glue.Client).CreateTable)
	localaws.CheckOperation(t, svc, glue.NewFromConfig, (*glue.Client).GetDatabases)
	localaws.CheckOperation(t, svc, glue.NewFromConfig, (*glue.Client).GetSchemaVersion)
	localaws.CheckOperation(t, svc, glue.NewFromConfig, (*glue.Client).BatchCreatePartition)
	localaws.CheckOperation(t, svc, glue.NewFromConfig, (*glue.Client).GetCrawler)
}

func TestCheckOperationLakeFormation(t *testing.T) {
	svc := lakeformationService()
	localaws.CheckOperation(t, svc, lakeformation.NewFromConfig, (*lakeformation.Client).GrantPermissions)
	localaws.CheckOperation(t, svc, lakeformation.NewFromConfig, (*lakeformation.Client).ListPermissions)
	localaws.CheckOperation(t, svc, lakeformation.NewFromConfig, (*lakeformation.Client).GetDataLakeSettings)
	localaws.CheckOperation(t, svc, lakeformation.NewFromConfig, (*lakeformation.Client).BatchGrantPermissions)
}

func TestCheckOperationDataZone(t *testing.T) {
	svc := datazoneService()
	localaws.CheckOperation(t, svc, datazone.NewFromConfig, (*datazone.Client).GetAsset)
	localaws.CheckOperation(t, svc, datazone.NewFromConfig, (*datazone.Client).CreateAsset)
	localaws.CheckOperation(t, svc, datazone.NewFromConfig, (*datazone.Client).ListDataSources)
	localaws.CheckOperation(t, svc, datazone.NewFromConfig, (*datazone.Client).CreateDataSource)
	localaws.CheckOperation(t, svc, datazone.NewFromConfig, (*datazone.Client).GetDataSource)
	localaws.CheckOperation(t, svc, datazone.NewFromConfig, (*datazone.Client).SearchListings)
}

func TestCheckOperationKafka(t *testing.T) {
	svc := kafkaService()
	localaws.CheckOperation(t, svc, kafka.NewFromConfig, (*kafka.Client).GetBootstrapBrokers)
	localaws.CheckOperation(t, svc, kafka.NewFromConfig, (*kafka.Client).ListClustersV2)
	localaws.CheckOperation(t, svc, kafka.NewFromConfig, (*kafka.Client).DescribeClusterV2)
}

func TestCheckOperationEMRServerless(t *testing.T) {
	svc := emrserverlessService()
	localaws.CheckOperation(t, svc, emrserverless.NewFromConfig, (*emrserverless.Client).StartJobRun)
	localaws.CheckOperation(t, svc, emrserverless.NewFromConfig, (*emrserverless.Client).GetJobRun)
	localaws.CheckOperation(t, svc, emrserverless.NewFromConfig, (*emrserverless.Client).ListJobRuns)
	localaws.CheckOperation(t, svc, emrserverless.NewFromConfig, (*emrserverless.Client).CreateApplication)
}

func TestCheckOperationRedshiftServerless(t *testing.T) {
	svc := redshiftserverlessService()
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).GetWorkgroup)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).ListWorkgroups)
	localaws.CheckOperation(t, svc, redshiftserverless.NewFromConfig, (*redshiftserverless.Client).CreateNamespace)
}

func TestCheckOperationEC2(t *testing.T) {
	svc := ec2Service()
	localaws.CheckOperation(t, svc, ec2.NewFromConfig, (*ec2.Client).DescribeInstanceTypes)
	localaws.CheckOperation(t, svc, ec2.NewFromConfig, (*ec2.Client).GetInstanceTypesFromInstanceRequirements)
}

func TestCheckOperationSNS(t *testing.T) {
	svc := snsService()
	localaws.CheckOperation(t, svc, sns.NewFromConfig, (*sns.Client).Publish)
	localaws.CheckOperation(t, svc, sns.NewFromConfig, (*sns.Client).ListTopics)
	localaws.CheckOperation(t, svc, sns.NewFromConfig, (*sns.Client).GetTopicAttributes)
	localaws.CheckOperation(t, svc, sns.NewFromConfig, (*sns.Client).CreateTopic)
}

func TestCheckOperationIAM(t *testing.T) {
	svc := iamService()
	localaws.CheckOperation(t, svc, iam.NewFromConfig, (*iam.Client).GetRole)
	localaws.CheckOperation(t, svc, iam.NewFromConfig, (*iam.Client).ListRoles)
	localaws.CheckOperation(t, svc, iam.NewFromConfig, (*iam.Client).CreateRole)
}

func TestCheckErrorEachProtocol(t *testing.T) {
	t.Run("awsJson/glue", func(t *testing.T) {
		localaws.CheckError(t, glueService(), glue.NewFromConfig, (*glue.Client).GetTable,
			&gluetypes.EntityNotFoundException{Message: aws.String("Table t not found."), FromFederationSource: aws.Bool(true)})
	})
	t.Run("awsJson camel/redshiftserverless", func(t *testing.T) {
		localaws.CheckError(t, redshiftserverlessService(), redshiftserverless.NewFromConfig, (*redshiftserverless.Client).GetWorkgroup,
			&rsstypes.ResourceNotFoundException{Message: aws.String("Workgroup w not found"), ResourceName: aws.String("w")})
	})
	t.Run("restJson1/lakeformation", func(t *testing.T) {
		localaws.CheckError(t, lakeformationService(), lakeformation.NewFromConfig, (*lakeformation.Client).GrantPermissions,
			&lftypes.InvalidInputException{Message: aws.String("Permissions modification is invalid.")})
	})
	t.Run("restJson1 camel/kafka", func(t *testing.T) {
		localaws.CheckError(t, kafkaService(), kafka.NewFromConfig, (*kafka.Client).GetBootstrapBrokers,
			&kafkatypes.NotFoundException{Message: aws.String("cluster not found"), InvalidParameter: aws.String("clusterArn")})
	})
	t.Run("restJson1 404/datazone", func(t *testing.T) {
		svc := datazoneService()
		svc.ErrorStatus = map[string]int{"ResourceNotFoundException": 404}
		localaws.CheckError(t, svc, datazone.NewFromConfig, (*datazone.Client).GetAsset,
			&dztypes.ResourceNotFoundException{Message: aws.String("asset not found")})
	})
	t.Run("awsQuery/iam", func(t *testing.T) {
		localaws.CheckError(t, iamService(), iam.NewFromConfig, (*iam.Client).GetRole,
			&iamtypes.NoSuchEntityException{Message: aws.String("The role with name r cannot be found.")})
	})
	t.Run("ec2Query/generic", func(t *testing.T) {
		localaws.CheckError(t, ec2Service(), ec2.NewFromConfig, (*ec2.Client).DescribeInstanceTypes,
			&smithy.GenericAPIError{Code: "InvalidInstanceType", Message: "The following supplied instance types do not exist: [x1]"})
	})
	t.Run("awsQuery/generic", func(t *testing.T) {
		localaws.CheckError(t, snsService(), sns.NewFromConfig, (*sns.Client).Publish,
			&smithy.GenericAPIError{Code: "InvalidParameter", Message: "Invalid parameter: TopicArn"})
	})
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Fatal(args ...any)                 { r.errors = append(r.errors, fmt.Sprint(args...)) }

// TestCheckOperationCatchesMistakes: the checker fails on a wrong member name, a wrong
// timestamp format, a missing union registration and an operation the service lacks.
func TestCheckOperationCatchesMistakes(t *testing.T) {
	cases := []struct {
		name  string
		check func(tb testing.TB)
		want  []string
	}{
		{"wrong wire name", func(tb testing.TB) {
			svc := glueService()
			svc.WireNames = map[string]string{"Table.Name": "name"} // Glue says "Name"
			localaws.CheckOperation(tb, svc, glue.NewFromConfig, (*glue.Client).GetTable)
		}, []string{"the client decoded another output", "Name:"}},
		{"wrong naming of a camel service", func(tb testing.TB) {
			svc := emrserverlessService()
			svc.Naming = localaws.Pascal
			localaws.CheckOperation(tb, svc, emrserverless.NewFromConfig, (*emrserverless.Client).GetJobRun)
		}, []string{"the client decoded another output"}},
		{"epoch where the model says date-time", func(tb testing.TB) {
			svc := datazoneService()
			svc.DateTimes = nil
			localaws.CheckOperation(tb, svc, datazone.NewFromConfig, (*datazone.Client).GetDataSource)
		}, []string{"deserialization failed", "sent as epoch seconds: GetDataSourceOutput.CreatedAt"}},
		{"date-time where the model says epoch", func(tb testing.TB) {
			svc := glueService()
			svc.DateTimes = []string{"Table.CreateTime"}
			localaws.CheckOperation(tb, svc, glue.NewFromConfig, (*glue.Client).GetTable)
		}, []string{"deserialization failed", "sent as date-time: Table.CreateTime"}},
		{"EC2 list name", func(tb testing.TB) {
			svc := ec2Service()
			svc.WireNames = nil // instanceTypeSet is not lower camel case InstanceTypes
			localaws.CheckOperation(tb, svc, ec2.NewFromConfig, (*ec2.Client).DescribeInstanceTypes)
		}, []string{"the client decoded another output", "InstanceTypes"}},
		{"union member not registered", func(tb testing.TB) {
			svc := datazoneService()
			svc.Unions = nil
			localaws.CheckOperation(tb, svc, datazone.NewFromConfig, (*datazone.Client).CreateDataSource)
		}, []string{"CreateDataSource"}},
		{"operation not served", func(tb testing.TB) {
			localaws.CheckOperation(tb, glueService(), glue.NewFromConfig, (*glue.Client).DeleteTable)
		}, []string{"serves no operation with input *glue.DeleteTableInput"}},
		{"error decoded as another type", func(tb testing.TB) {
			svc := glueService()
			svc.WireNames = map[string]string{"EntityNotFoundException.FromFederationSource": "fromFederationSource"}
			localaws.CheckError(tb, svc, glue.NewFromConfig, (*glue.Client).GetTable,
				&gluetypes.EntityNotFoundException{Message: aws.String("m"), FromFederationSource: aws.Bool(true)})
		}, []string{"the client decoded another error", "FromFederationSource"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			tc.check(rec)
			all := strings.Join(rec.errors, "\n")
			if len(rec.errors) == 0 {
				t.Fatal("the check passed")
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("failure does not mention %q:\n%s", w, all)
				}
			}
		})
	}
}
