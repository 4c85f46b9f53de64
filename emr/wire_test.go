package emr_test

// Wire tests: the real SDK clients against internal/awsfake, asserting the JSON each
// operation sends (expected bodies written from the API reference) and what the helpers make
// of the replies.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/internal/awsfake"
)

// wantBody compares a request body with the expected JSON by value. Keys listed in generated
// must be present and non-empty (SDK-filled idempotency tokens) and are otherwise ignored.
func wantBody(t *testing.T, r awsfake.Request, want string, generated ...string) {
	t.Helper()
	if !r.Verified {
		t.Errorf("%s: signature not verified", r.Op)
	}
	var got, w map[string]any
	if err := r.JSON(&got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON: %v", err)
	}
	for _, k := range generated {
		if s, _ := got[k].(string); s == "" {
			t.Errorf("%s: %s missing", r.Op, k)
		}
		delete(got, k)
	}
	if diff := cmp.Diff(w, got); diff != "" {
		t.Errorf("%s body (-want +got):\n%s", r.Op, diff)
	}
}

func one(t *testing.T, s *awsfake.Server, op string) awsfake.Request {
	t.Helper()
	reqs := s.Ops(op)
	if len(reqs) != 1 {
		t.Fatalf("%d %s requests, want 1", len(reqs), op)
	}
	return reqs[0]
}

func manualWait(w *datablocks.WaitOptions) {
	w.Clock = datablocks.NewManualClock(time.Time{})
}

func stepRunner(s *awsfake.Server) *emr.StepRunner {
	return emr.NewStepRunner(awsemr.NewFromConfig(s.Config()), func(o *emr.Options) { manualWait(&o.Wait) })
}

func TestWireAddJobFlowSteps(t *testing.T) {
	s := awsfake.New(t)
	s.HandleJSON("ElasticMapReduce.AddJobFlowSteps", func(*awsfake.Request) (any, error) {
		return `{"StepIds":["s-1ABC","s-2DEF"]}`, nil
	})
	// CANCEL_AND_WAIT makes Start read the cluster's step concurrency first.
	s.HandleJSON("ElasticMapReduce.DescribeCluster", func(*awsfake.Request) (any, error) {
		return `{"Cluster":{"Id":"j-2AXXXXXXGAPLF","StepConcurrencyLevel":1}}`, nil
	})
	steps := []emr.Step{{Name: "pi", Spark: sparkPi}, {Name: "etl", Spark: pySpark(), ActionOnFailure: "CANCEL_AND_WAIT"}}
	runs, err := stepRunner(s).Start(context.Background(), emr.StepsInput{ClusterID: "j-2AXXXXXXGAPLF", ExecutionRoleArn: runtimeRole, Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(runs, []string{"s-1ABC", "s-2DEF"}) {
		t.Errorf("step IDs %v", runs)
	}
	wantBody(t, one(t, s, "DescribeCluster"), `{"ClusterId": "j-2AXXXXXXGAPLF"}`)
	wantBody(t, one(t, s, "AddJobFlowSteps"), `{
	  "JobFlowId": "j-2AXXXXXXGAPLF",
	  "ExecutionRoleArn": "arn:aws:iam::123456789012:role/analyst-runtime",
	  "Steps": [
	    {"Name": "pi", "ActionOnFailure": "CONTINUE",
	     "HadoopJarStep": {"Jar": "command-runner.jar",
	       "Args": ["spark-submit", "--class", "org.apache.spark.examples.SparkPi", "/usr/lib/spark/examples/jars/spark-examples.jar", "5"]}},
	    {"Name": "etl", "ActionOnFailure": "CANCEL_AND_WAIT",
	     "HadoopJarStep": {"Jar": "command-runner.jar",
	       "Args": ["spark-submit", "--conf", "spark.hadoop.hive.metastore.client.factory.class=com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
	                "s3://code/etl.py", "--day", "2026-01-01"]}}
	  ]}`)
}

func TestWireAddJobFlowStepsRuntimeRoleRequired(t *testing.T) {
	s := awsfake.New(t)
	s.HandleJSON("ElasticMapReduce.AddJobFlowSteps", func(*awsfake.Request) (any, error) {
		return nil, &awsfake.Error{Code: "ValidationException", Message: "Runtime roles are required for this cluster. Please specify the role using the ExecutionRoleArn parameter."}
	})
	_, err := stepRunner(s).Start(context.Background(), emr.StepsInput{ClusterID: "j-1", Steps: piSteps(1)})
	if !errors.Is(err, emr.ErrRuntimeRoleRequired) || !strings.Contains(err.Error(), "j-1") {
		t.Fatalf("err %v, want ErrRuntimeRoleRequired", err)
	}
	wantBody(t, one(t, s, "AddJobFlowSteps"), `{"JobFlowId": "j-1", "Steps": [{"Name": "pi-0", "ActionOnFailure": "CONTINUE",
	  "HadoopJarStep": {"Jar": "command-runner.jar",
	    "Args": ["spark-submit", "--class", "org.apache.spark.examples.SparkPi", "/usr/lib/spark/examples/jars/spark-examples.jar", "5"]}}]}`)
}

func TestWireListStepsAndDescribeCluster(t *testing.T) {
	s := awsfake.New(t)
	s.HandleJSON("ElasticMapReduce.ListSteps", func(*awsfake.Request) (any, error) {
		return `{"Steps":[{"Id":"s-1ABC","Name":"etl","Status":{"State":"FAILED",
		  "FailureDetails":{"Reason":"Unknown Error.","Message":"Insufficient Lake Formation permission(s) on sales"}}}]}`, nil
	})
	s.HandleJSON("ElasticMapReduce.DescribeCluster", func(*awsfake.Request) (any, error) {
		return `{"Cluster":{"Id":"j-1","LogUri":"s3n://aws-logs-123456789012-eu-west-1/elasticmapreduce/","Status":{"State":"WAITING"}}}`, nil
	})
	states, err := stepRunner(s).Wait(context.Background(), "j-1", []string{"s-1ABC"})
	var jf *emr.JobFailedError
	if !slices.Equal(states, []string{"FAILED"}) || !errors.As(err, &jf) {
		t.Fatalf("Wait = %q, %v", states, err)
	}
	base := "s3://aws-logs-123456789012-eu-west-1/elasticmapreduce/j-1/steps/s-1ABC/"
	if jf.Reason != "Unknown Error." || jf.Message != "Insufficient Lake Formation permission(s) on sales" ||
		jf.LogURI != base+"stderr.gz" {
		t.Errorf("JobFailedError %+v", jf)
	}
	wantBody(t, one(t, s, "ListSteps"), `{"ClusterId": "j-1", "StepIds": ["s-1ABC"]}`)
	wantBody(t, one(t, s, "DescribeCluster"), `{"ClusterId": "j-1"}`)
}

func TestWireCancelSteps(t *testing.T) {
	s := awsfake.New(t)
	s.HandleJSON("ElasticMapReduce.CancelSteps", func(*awsfake.Request) (any, error) {
		return `{"CancelStepsInfoList":[{"StepId":"s-1","Status":"SUBMITTED"},{"StepId":"s-2","Status":"FAILED","Reason":"Step is already COMPLETED"}]}`, nil
	})
	err := stepRunner(s).Cancel(context.Background(), "j-1", []string{"s-1", "s-2"})
	if err == nil || !strings.Contains(err.Error(), "step s-2 on cluster j-1 not cancelled: Step is already COMPLETED") {
		t.Errorf("err %v", err)
	}
	wantBody(t, one(t, s, "CancelSteps"), `{"ClusterId": "j-1", "StepIds": ["s-1", "s-2"], "StepCancellationOption": "SEND_INTERRUPT"}`)
}

func serverlessRunner(s *awsfake.Server, optFns ...func(*emr.Options)) *emr.ServerlessRunner {
	return emr.NewServerlessRunner(emrserverless.NewFromConfig(s.Config()),
		append([]func(*emr.Options){func(o *emr.Options) { manualWait(&o.Wait) }}, optFns...)...)
}

func TestWireServerlessStartJobRun(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("StartJobRun", "POST", "/applications/{applicationId}/jobruns", func(r *awsfake.Request) (any, error) {
		return `{"applicationId":"` + r.PathParams["applicationId"] + `","jobRunId":"00fjr1","arn":"arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fapp/jobruns/00fjr1"}`, nil
	})
	id, err := serverlessRunner(s).Start(context.Background(), "00fapp", emr.JobRun{
		ExecutionRoleArn: jobRole, Name: "etl", Tags: map[string]string{"team": "data"},
		Spark: pySpark().WithPySparkVenv(emr.RuntimeServerless, "s3://code/venv.tar.gz"), ExecutionTimeout: time.Hour,
		SparkDefaults: map[string]string{"spark.driver.extraJavaOptions": "-Da=1 -Db=2"},
		LogURI:        "s3://logs/sl/", CloudWatchLogGroup: "/aws/emr-serverless", CloudWatchLogStreamPrefix: "etl",
	})
	if err != nil {
		t.Fatal(err)
	}
	if id != "00fjr1" {
		t.Errorf("job run ID %q", id)
	}
	r := one(t, s, "StartJobRun")
	if r.PathParams["applicationId"] != "00fapp" {
		t.Errorf("path %s", r.Path)
	}
	wantBody(t, r, `{
	  "executionRoleArn": "arn:aws:iam::123456789012:role/emr-serverless-job",
	  "name": "etl",
	  "tags": {"team": "data"},
	  "executionTimeoutMinutes": 60,
	  "jobDriver": {"sparkSubmit": {
	    "entryPoint": "s3://code/etl.py",
	    "entryPointArguments": ["--day", "2026-01-01"],
	    "sparkSubmitParameters": "--conf spark.archives=s3://code/venv.tar.gz#environment --conf spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON=./environment/bin/python --conf spark.emr-serverless.driverEnv.PYSPARK_PYTHON=./environment/bin/python --conf spark.executorEnv.PYSPARK_PYTHON=./environment/bin/python --conf spark.hadoop.hive.metastore.client.factory.class=com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
	  }},
	  "configurationOverrides": {
	    "applicationConfiguration": [{"classification": "spark-defaults", "properties": {"spark.driver.extraJavaOptions": "-Da=1 -Db=2"}}],
	    "monitoringConfiguration": {
	      "s3MonitoringConfiguration": {"logUri": "s3://logs/sl/"},
	      "cloudWatchLoggingConfiguration": {"enabled": true, "logGroupName": "/aws/emr-serverless", "logStreamNamePrefix": "etl"}
	    }
	  }
	}`, "clientToken")
}

func TestWireServerlessStartApplication(t *testing.T) {
	s := awsfake.New(t)
	state := "STOPPED"
	s.HandleREST("GetApplication", "GET", "/applications/{applicationId}", func(r *awsfake.Request) (any, error) {
		out := `{"application":{"applicationId":"00fapp","name":"etl","arn":"arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fapp","releaseLabel":"emr-7.5.0","type":"Spark","state":"` + state + `","createdAt":1.7e9,"updatedAt":1.7e9}}`
		if state == "STARTING" {
			state = "STARTED"
		}
		return out, nil
	})
	s.HandleREST("StartApplication", "POST", "/applications/{applicationId}/start", func(r *awsfake.Request) (any, error) {
		state = "STARTING"
		return `{}`, nil
	})
	s.HandleREST("StartJobRun", "POST", "/applications/{applicationId}/jobruns", func(r *awsfake.Request) (any, error) {
		return `{"applicationId":"00fapp","jobRunId":"00fjr1","arn":"arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fapp/jobruns/00fjr1"}`, nil
	})
	runner := serverlessRunner(s, func(o *emr.Options) { o.StartApplication = true })
	if _, err := runner.Start(context.Background(), "00fapp", emr.JobRun{ExecutionRoleArn: jobRole, Spark: pySpark()}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Ops("GetApplication")); n != 3 {
		t.Errorf("%d GetApplication requests, want 3 (STOPPED, STARTING, STARTED)", n)
	}
	start := one(t, s, "StartApplication")
	if start.PathParams["applicationId"] != "00fapp" || start.Method != "POST" {
		t.Errorf("StartApplication %s %s", start.Method, start.Path)
	}
}

func TestWireServerlessGetJobRun(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("GetJobRun", "GET", "/applications/{applicationId}/jobruns/{jobRunId}", func(r *awsfake.Request) (any, error) {
		return `{"jobRun":{"applicationId":"00fapp","jobRunId":"00fjr1","arn":"arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fapp/jobruns/00fjr1",
		  "createdBy":"arn:aws:iam::123456789012:root","createdAt":1.7e9,"updatedAt":1.7e9,"executionRole":"` + jobRole + `","releaseLabel":"emr-7.5.0",
		  "state":"FAILED","stateDetails":"Job failed, please check complete logs in configured logging destination. ExitCode: 1.","attempt":2,
		  "jobDriver":{"sparkSubmit":{"entryPoint":"s3://code/etl.py"}},
		  "configurationOverrides":{"monitoringConfiguration":{"s3MonitoringConfiguration":{"logUri":"s3://logs/sl/"}}}}}`, nil
	})
	_, err := serverlessRunner(s).Wait(context.Background(), "00fapp", "00fjr1")
	var jf *emr.JobFailedError
	if !errors.As(err, &jf) {
		t.Fatalf("err %v", err)
	}
	want := &emr.JobFailedError{Runtime: emr.RuntimeServerless, Container: "00fapp", ID: "00fjr1", State: "FAILED",
		Message: "Job failed, please check complete logs in configured logging destination. ExitCode: 1.",
		LogURI:  "s3://logs/sl/applications/00fapp/jobs/00fjr1/", Attempt: 2}
	if diff := cmp.Diff(want, jf); diff != "" {
		t.Errorf("JobFailedError (-want +got):\n%s", diff)
	}
	r := one(t, s, "GetJobRun")
	if r.Method != "GET" || r.PathParams["jobRunId"] != "00fjr1" || len(r.Query) != 0 {
		t.Errorf("GetJobRun %s %s?%v", r.Method, r.Path, r.Query)
	}
}

func TestWireServerlessCancelJobRun(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("CancelJobRun", "DELETE", "/applications/{applicationId}/jobruns/{jobRunId}", func(r *awsfake.Request) (any, error) {
		return `{"applicationId":"00fapp","jobRunId":"00fjr1"}`, nil
	})
	if err := serverlessRunner(s).Cancel(context.Background(), "00fapp", "00fjr1"); err != nil {
		t.Fatal(err)
	}
	r := one(t, s, "CancelJobRun")
	if r.PathParams["applicationId"] != "00fapp" || r.PathParams["jobRunId"] != "00fjr1" {
		t.Errorf("CancelJobRun path %s", r.Path)
	}
}

func containersRunner(s *awsfake.Server) *emr.ContainersRunner {
	return emr.NewContainersRunner(emrcontainers.NewFromConfig(s.Config()), func(o *emr.Options) { manualWait(&o.Wait) })
}

func TestWireContainersStartJobRun(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("StartJobRun", "POST", "/virtualclusters/{virtualClusterId}/jobruns", func(r *awsfake.Request) (any, error) {
		return `{"id":"000000031ebhl9lm5pn","name":"etl","virtualClusterId":"` + r.PathParams["virtualClusterId"] + `","arn":"arn:aws:emr-containers:eu-west-1:123456789012:/virtualclusters/vc1/jobruns/000000031ebhl9lm5pn"}`, nil
	})
	job := eksJob()
	job.Spark = pySpark().WithPySparkVenv(emr.RuntimeEKS, "s3://code/venv.tar.gz")
	job.SparkDefaults = map[string]string{
		"spark.kubernetes.node.selector.karpenter.sh/capacity-type": "spot",
		"spark.kubernetes.driver.podTemplateFile":                   "s3://code/driver.yaml",
	}
	job.LogURI = "s3://logs/eks/"
	job.CloudWatchLogGroup = "/emr-on-eks/etl"
	id, err := containersRunner(s).Start(context.Background(), "vc1", job)
	if err != nil {
		t.Fatal(err)
	}
	if id != "000000031ebhl9lm5pn" {
		t.Errorf("job run ID %q", id)
	}
	wantBody(t, one(t, s, "StartJobRun"), `{
	  "name": "etl",
	  "executionRoleArn": "arn:aws:iam::123456789012:role/emr-eks-job",
	  "releaseLabel": "emr-7.5.0-latest",
	  "jobDriver": {"sparkSubmitJobDriver": {
	    "entryPoint": "s3://code/etl.py",
	    "entryPointArguments": ["--day", "2026-01-01"],
	    "sparkSubmitParameters": "--conf spark.archives=s3://code/venv.tar.gz#environment --conf spark.executorEnv.PYSPARK_PYTHON=./environment/bin/python --conf spark.hadoop.hive.metastore.client.factory.class=com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory --conf spark.kubernetes.driverEnv.PYSPARK_PYTHON=./environment/bin/python"
	  }},
	  "configurationOverrides": {
	    "applicationConfiguration": [{"classification": "spark-defaults", "properties": {
	      "spark.kubernetes.driver.podTemplateFile": "s3://code/driver.yaml",
	      "spark.kubernetes.node.selector.karpenter.sh/capacity-type": "spot"}}],
	    "monitoringConfiguration": {
	      "s3MonitoringConfiguration": {"logUri": "s3://logs/eks/"},
	      "cloudWatchMonitoringConfiguration": {"logGroupName": "/emr-on-eks/etl"}}
	  }
	}`, "clientToken")
}

func TestWireContainersDescribeJobRun(t *testing.T) {
	s := awsfake.New(t)
	calls := 0
	s.HandleREST("DescribeJobRun", "GET", "/virtualclusters/{virtualClusterId}/jobruns/{jobRunId}", func(r *awsfake.Request) (any, error) {
		calls++
		if calls == 1 {
			return nil, &awsfake.Error{Code: "RequestThrottledException", Message: "Rate exceeded", Status: 429}
		}
		return `{"jobRun":{"id":"jr1","virtualClusterId":"vc1","state":"FAILED","failureReason":"USER_ERROR","stateDetails":"exit code 1",
		  "configurationOverrides":{"monitoringConfiguration":{"s3MonitoringConfiguration":{"logUri":"s3://logs/eks/"}}}}}`, nil
	})
	_, err := containersRunner(s).Wait(context.Background(), "vc1", "jr1")
	var jf *emr.JobFailedError
	if !errors.As(err, &jf) {
		t.Fatalf("err %v", err)
	}
	want := &emr.JobFailedError{Runtime: emr.RuntimeEKS, Container: "vc1", ID: "jr1", State: "FAILED", Reason: "USER_ERROR",
		Message: "exit code 1", LogURI: "s3://logs/eks/vc1/jobs/jr1/"}
	if diff := cmp.Diff(want, jf); diff != "" {
		t.Errorf("JobFailedError (-want +got):\n%s", diff)
	}
	reqs := s.Ops("DescribeJobRun")
	if len(reqs) != 2 || reqs[0].Err == nil || reqs[1].Err != nil {
		t.Errorf("%d DescribeJobRun requests, want a throttled one and a retry", len(reqs))
	}
	if reqs[1].PathParams["virtualClusterId"] != "vc1" || reqs[1].PathParams["jobRunId"] != "jr1" {
		t.Errorf("DescribeJobRun path %s", reqs[1].Path)
	}
}

func TestWireContainersCancelJobRun(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("CancelJobRun", "DELETE", "/virtualclusters/{virtualClusterId}/jobruns/{jobRunId}", func(r *awsfake.Request) (any, error) {
		return `{"id":"jr1","virtualClusterId":"vc1"}`, nil
	})
	if err := containersRunner(s).Cancel(context.Background(), "vc1", "jr1"); err != nil {
		t.Fatal(err)
	}
	r := one(t, s, "CancelJobRun")
	if r.PathParams["virtualClusterId"] != "vc1" || r.PathParams["jobRunId"] != "jr1" {
		t.Errorf("CancelJobRun path %s", r.Path)
	}
}

func TestWireS3Ship(t *testing.T) {
	s := awsfake.New(t)
	stored := map[string][]byte{}
	s.HandleREST("HeadObject", "HEAD", "/{Bucket}/{Key+}", func(r *awsfake.Request) (any, error) {
		if _, ok := stored[r.PathParams["Bucket"]+"/"+r.PathParams["Key"]]; !ok {
			return nil, &awsfake.Error{Status: 404, Code: "NotFound", Message: "Not Found"}
		}
		return nil, nil
	})
	s.HandleREST("PutObject", "PUT", "/{Bucket}/{Key+}", func(r *awsfake.Request) (any, error) {
		stored[r.PathParams["Bucket"]+"/"+r.PathParams["Key"]] = r.Body
		return nil, nil
	})
	client := s3.NewFromConfig(s.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	shipper := emr.NewShipper(client)
	body := []byte("print('hello')\n")
	// sha256("print('hello')\n"), computed independently with sha256sum.
	const key = "apps/03e693d9f2f687e0f40e36a8df7fcb4d1c22974012b7c2a55c000eb30f305824/main.py"
	uri, uploaded, err := shipper.Upload(context.Background(), "code", "apps", emr.Object{Name: "main.py", Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	if !uploaded || uri != "s3://code/"+key {
		t.Errorf("uri %s uploaded %v", uri, uploaded)
	}
	head := one(t, s, "HeadObject")
	put := one(t, s, "PutObject")
	if !head.Verified || !put.Verified {
		t.Error("S3 signatures not verified")
	}
	if got := put.PathParams["Bucket"] + "/" + put.PathParams["Key"]; "s3://"+got != uri {
		t.Errorf("PUT %s, uri %s", got, uri)
	}
	if !bytes.Equal(put.Body, body) {
		t.Errorf("PUT body %q", put.Body)
	}
	// Again: HEAD finds it, no second PUT.
	if _, uploaded, err := shipper.Upload(context.Background(), "code", "apps", emr.Object{Name: "main.py", Body: bytes.NewReader(body)}); err != nil || uploaded {
		t.Errorf("second upload: uploaded %v, %v", uploaded, err)
	}
	if n := len(s.Ops("PutObject")); n != 1 {
		t.Errorf("%d PUTs, want 1", n)
	}
}

// TestWirePerCallOptions checks that options given to one call reach its requests, and only
// that call's.
func TestWirePerCallOptions(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("CancelJobRun", "DELETE", "/applications/{applicationId}/jobruns/{jobRunId}", func(r *awsfake.Request) (any, error) {
		return `{"applicationId":"00fapp","jobRunId":"00fjr1"}`, nil
	})
	runner := serverlessRunner(s)
	calls := 0
	count := func(o *emr.Options) {
		o.ServerlessClientOptions = append(o.ServerlessClientOptions, func(*emrserverless.Options) { calls++ })
	}
	if err := runner.Cancel(context.Background(), "00fapp", "00fjr1", count); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("the per-call client option ran %d times, want 1", calls)
	}
	if err := runner.Cancel(context.Background(), "00fapp", "00fjr1"); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("the per-call client option ran on a later call (%d runs in all)", calls)
	}
}
