package emr_test

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

func ExampleSparkSubmit_StepArgs() {
	spark := emr.SparkSubmit{
		EntryPoint: "/usr/lib/spark/examples/jars/spark-examples.jar",
		MainClass:  "org.apache.spark.examples.SparkPi",
		Args:       []string{"5"},
	}
	args, err := spark.StepArgs()
	fmt.Println(args, err)
	// Output: [spark-submit --class org.apache.spark.examples.SparkPi /usr/lib/spark/examples/jars/spark-examples.jar 5] <nil>
}

func ExampleSparkSubmit_SubmitParameters() {
	spark := emr.SparkSubmit{EntryPoint: "s3://code/etl.py", ExecutorMemory: "8g"}.
		WithPySparkVenv(emr.RuntimeServerless, "s3://code/venv.tar.gz")
	params, _ := spark.SubmitParameters()
	fmt.Println(params)

	spark.Conf["spark.driver.extraJavaOptions"] = "-Da=1 -Db=2"
	_, err := spark.SubmitParameters()
	fmt.Println(err)
	// Output:
	// --conf spark.archives=s3://code/venv.tar.gz#environment --conf spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON=./environment/bin/python --conf spark.emr-serverless.driverEnv.PYSPARK_PYTHON=./environment/bin/python --conf spark.executor.memory=8g --conf spark.executorEnv.PYSPARK_PYTHON=./environment/bin/python
	// emr: SparkSubmit.Conf value of "spark.driver.extraJavaOptions" contains white space, which sparkSubmitParameters cannot carry
}

// A runner wired to a fake and nothing else waits on the fake's clock: the two hours the steps
// take pass in no real time.
func ExampleNewStepRunner() {
	ctx := context.Background()
	fake := emrtest.NewEMR(func(o *emrtest.Options) { o.RunDuration = time.Hour })
	cluster := fake.AddCluster(emrtest.ClusterConfig{ID: "j-EXAMPLE", LogURI: "s3://logs/"})
	fake.ScriptNext(emrtest.Outcome{}, emrtest.Outcome{State: "FAILED", Reason: "Unknown Error."})

	runner := emr.NewStepRunner(fake, func(o *emr.Options) {
		o.Wait.OnProgress = func(p datablocks.Progress) { fmt.Println(p.ID, p.State) }
	})
	spark := emr.SparkSubmit{EntryPoint: "s3://code/etl.py"}
	start := fake.Clock().Now()
	_, err := runner.Run(ctx, emr.StepsInput{ClusterID: cluster, Steps: []emr.Step{
		{Name: "ingest", Spark: spark},
		{Name: "publish", Spark: spark},
	}})
	var failed *emr.JobFailedError
	if errors.As(err, &failed) {
		fmt.Println(failed.ID, failed.Reason, failed.LogURI)
	}
	fmt.Println(fake.Clock().Now().Sub(start).Round(time.Hour))
	// The second step waits in the queue (StepConcurrencyLevel 1) until the first ends.
	// Output:
	// s-0000000000002 RUNNING
	// s-0000000000003 PENDING
	// s-0000000000002 COMPLETED
	// s-0000000000003 RUNNING
	// s-0000000000003 FAILED
	// s-0000000000003 Unknown Error. s3://logs/j-EXAMPLE/steps/s-0000000000003/stderr.gz
	// 2h0m0s
}

func ExampleServerlessRunner_Run() {
	ctx := context.Background()
	fake := emrtest.NewServerless()
	app := fake.AddApplication(emrtest.ApplicationConfig{})

	runner := emr.NewServerlessRunner(fake, func(o *emr.Options) { o.StartApplication = true })
	state, err := runner.Run(ctx, app, emr.JobRun{
		ExecutionRoleArn: "arn:aws:iam::123456789012:role/emr-serverless-job",
		Spark:            emr.SparkSubmit{EntryPoint: "s3://code/etl.py"}.WithGlueCatalog(),
	})
	fmt.Println(state, err)
	// Output: SUCCESS <nil>
}

func ExampleContainersRunner_Start() {
	ctx := context.Background()
	fake := emrtest.NewContainers(func(o *emrtest.Options) { o.RunDuration = time.Hour })
	vc := fake.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	fake.ScriptNext(emrtest.Outcome{State: "FAILED", Reason: "USER_ERROR", Message: "Job run failed: exit code 1"})

	runner := emr.NewContainersRunner(fake, func(o *emr.Options) {
		o.Wait.OnProgress = func(p datablocks.Progress) { fmt.Println(p.State) }
	})
	id, err := runner.Start(ctx, vc, emr.JobRun{
		ExecutionRoleArn: "arn:aws:iam::123456789012:role/emr-eks-job",
		ReleaseLabel:     "emr-7.5.0-latest",
		Spark:            emr.SparkSubmit{EntryPoint: "s3://code/etl.py"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = runner.Wait(ctx, vc, id)
	var failed *emr.JobFailedError
	if errors.As(err, &failed) {
		fmt.Println(failed.Runtime, failed.State, failed.Reason, failed.Message)
	}
	// Output:
	// PENDING
	// SUBMITTED
	// RUNNING
	// FAILED
	// EMR on EKS FAILED USER_ERROR Job run failed: exit code 1
}

// Shipping a PySpark application: the entry point and the packed virtual environment go to
// content-addressed keys (the same bytes again are a HeadObject and nothing more), and
// WithPySparkVenv makes the driver and executors use the environment's Python.
func ExampleShipper_Upload() {
	ctx := context.Background()
	store := emrtest.NewS3()
	shipper := emr.NewShipper(store)
	ship := func() (emr.SparkSubmit, error) {
		entry, _, err := shipper.Upload(ctx, "code", "etl", emr.Object{Name: "main.py", Body: strings.NewReader("print('hello')\n")})
		if err != nil {
			return emr.SparkSubmit{}, err
		}
		venv, _, err := shipper.Upload(ctx, "code", "etl", emr.Object{Name: "venv.tar.gz", Body: strings.NewReader("packed venv")})
		if err != nil {
			return emr.SparkSubmit{}, err
		}
		return emr.SparkSubmit{EntryPoint: entry}.WithPySparkVenv(emr.RuntimeServerless, venv), nil
	}
	first, err := ship()
	if err != nil {
		fmt.Println(err)
		return
	}
	again, err := ship() // same bytes: HeadObject only
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(store.Count(emrtest.OpPutObject), again.EntryPoint == first.EntryPoint)
	fmt.Println(path.Base(first.EntryPoint), path.Base(first.Archives[0]))
	// Output:
	// 2 true
	// main.py venv.tar.gz#environment
}

// Runtime roles for steps: the security configuration the cluster is created with, and the
// policy of the principal that submits steps as the runtime roles.
func ExampleSubmitterPolicy() {
	fmt.Println(emr.RuntimeRoleSecurityConfiguration{NoLakeFormation: true}.JSON())
	p, err := emr.SubmitterPolicy(emr.RuntimeSteps,
		[]string{"arn:aws:elasticmapreduce:eu-west-1:123456789012:cluster/j-1ABCDEFGHIJKL"},
		[]string{"arn:aws:iam::123456789012:role/analyst-runtime"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range p.Statements {
		fmt.Println(s.Sid, s.Action, s.Condition)
	}
	// Output:
	// {"AuthorizationConfiguration":{"IAMConfiguration":{"EnableApplicationScopedIAMRole":true,"ApplicationScopedIAMRoleConfiguration":{"PropagateSourceIdentity":true}}}}
	// AddStepsAsRuntimeRoles [elasticmapreduce:AddJobFlowSteps] map[StringEquals:map[elasticmapreduce:ExecutionRoleArn:[arn:aws:iam::123456789012:role/analyst-runtime]]]
	// FollowSteps [elasticmapreduce:CancelSteps elasticmapreduce:DescribeCluster elasticmapreduce:DescribeStep elasticmapreduce:ListSteps] map[]
}
