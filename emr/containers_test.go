package emr_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

const eksRole = "arn:aws:iam::123456789012:role/emr-eks-job"

type eksEnv struct {
	fake   *emrtest.Containers
	runner *emr.ContainersRunner
	events *[]datablocks.Progress
}

func newEKSEnv(t *testing.T) eksEnv {
	t.Helper()
	fake := emrtest.NewContainers() // the runner waits on the fake's own clock
	var events []datablocks.Progress
	runner := emr.NewContainersRunner(fake, func(o *emr.Options) {
		o.Wait.Jitter = func() float64 { return 0 }
		o.Wait.OnProgress = func(p datablocks.Progress) { events = append(events, p) }
	})
	return eksEnv{fake: fake, runner: runner, events: &events}
}

func (e eksEnv) states(id string) []string {
	var out []string
	for _, p := range *e.events {
		if p.ID == id {
			out = append(out, p.State)
		}
	}
	return out
}

func eksJob() emr.JobRun {
	return emr.JobRun{Name: "etl", ExecutionRoleArn: eksRole, ReleaseLabel: "emr-7.5.0-latest", Spark: pySpark()}
}

func TestContainersSuccessAndOverrides(t *testing.T) {
	ctx := context.Background()
	env := newEKSEnv(t)
	vc := env.fake.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	job := eksJob()
	job.SparkDefaults = map[string]string{
		"spark.network.timeout": "2000s", "spark.executor.heartbeatInterval": "300s",
		"spark.kubernetes.driver.podTemplateFile":                   "s3://code/pod-templates/driver.yaml",
		"spark.kubernetes.executor.podTemplateFile":                 "s3://code/pod-templates/executor.yaml",
		"spark.kubernetes.node.selector.karpenter.sh/capacity-type": "spot",
		"spark.driver.extraJavaOptions":                             "-Da=1 -Db=2",
	}
	job.LogURI = "s3://logs/eks/"
	job.CloudWatchLogGroup, job.CloudWatchLogStreamPrefix = "/emr-on-eks/etl", "etl"
	id, err := env.runner.Start(ctx, vc, job)
	if err != nil {
		t.Fatal(err)
	}
	state, err := env.runner.Wait(ctx, vc, id)
	if err != nil || state != "COMPLETED" {
		t.Fatalf("Wait = %q, %v", state, err)
	}
	if got, want := env.states(id), []string{"PENDING", "SUBMITTED", "RUNNING", "COMPLETED"}; !slices.Equal(got, want) {
		t.Errorf("progress %v, want %v", got, want)
	}
	in := env.fake.Calls()[0].Input.(*emrcontainers.StartJobRunInput)
	want := &emrcontainers.StartJobRunInput{
		VirtualClusterId: aws.String(vc),
		Name:             aws.String("etl"),
		ExecutionRoleArn: aws.String(eksRole),
		ReleaseLabel:     aws.String("emr-7.5.0-latest"),
		JobDriver: &types.JobDriver{SparkSubmitJobDriver: &types.SparkSubmitJobDriver{
			EntryPoint:            aws.String("s3://code/etl.py"),
			EntryPointArguments:   []string{"--day", "2026-01-01"},
			SparkSubmitParameters: aws.String("--conf spark.hadoop.hive.metastore.client.factory.class=com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"),
		}},
		ConfigurationOverrides: &types.ConfigurationOverrides{
			ApplicationConfiguration: []types.Configuration{{
				Classification: aws.String("spark-defaults"),
				Properties: map[string]string{
					"spark.network.timeout":                                     "2000s",
					"spark.executor.heartbeatInterval":                          "300s",
					"spark.kubernetes.driver.podTemplateFile":                   "s3://code/pod-templates/driver.yaml",
					"spark.kubernetes.executor.podTemplateFile":                 "s3://code/pod-templates/executor.yaml",
					"spark.kubernetes.node.selector.karpenter.sh/capacity-type": "spot",
					"spark.driver.extraJavaOptions":                             "-Da=1 -Db=2",
				},
			}},
			MonitoringConfiguration: &types.MonitoringConfiguration{
				S3MonitoringConfiguration:         &types.S3MonitoringConfiguration{LogUri: aws.String("s3://logs/eks/")},
				CloudWatchMonitoringConfiguration: &types.CloudWatchMonitoringConfiguration{LogGroupName: aws.String("/emr-on-eks/etl"), LogStreamNamePrefix: aws.String("etl")},
			},
		},
	}
	opts := []cmp.Option{
		cmpopts.IgnoreUnexported(emrcontainers.StartJobRunInput{}, types.JobDriver{}, types.SparkSubmitJobDriver{}, types.ConfigurationOverrides{},
			types.Configuration{}, types.MonitoringConfiguration{}, types.S3MonitoringConfiguration{}, types.CloudWatchMonitoringConfiguration{}),
		cmpopts.IgnoreFields(emrcontainers.StartJobRunInput{}, "ClientToken"),
	}
	if diff := cmp.Diff(want, in, opts...); diff != "" {
		t.Errorf("StartJobRun input (-want +got):\n%s", diff)
	}
}

func TestContainersFailure(t *testing.T) {
	ctx := context.Background()
	env := newEKSEnv(t)
	vc := env.fake.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	env.fake.ScriptNext(emrtest.Outcome{State: "FAILED", Reason: "USER_ERROR", Message: "Job run failed with exit code 1"})
	job := eksJob()
	job.LogURI = "s3://logs/eks"
	id, err := env.runner.Start(ctx, vc, job)
	if err != nil {
		t.Fatal(err)
	}
	state, err := env.runner.Wait(ctx, vc, id)
	var jf *emr.JobFailedError
	if state != "FAILED" || !errors.As(err, &jf) {
		t.Fatalf("Wait = %q, %v", state, err)
	}
	want := &emr.JobFailedError{
		Runtime: emr.RuntimeEKS, Container: vc, ID: id, State: "FAILED",
		Reason: "USER_ERROR", Message: "Job run failed with exit code 1",
		LogURI: "s3://logs/eks/" + vc + "/jobs/" + id + "/",
	}
	if diff := cmp.Diff(want, jf); diff != "" {
		t.Errorf("JobFailedError (-want +got):\n%s", diff)
	}
}

func TestContainersCancelAndThrottling(t *testing.T) {
	ctx := context.Background()
	env := newEKSEnv(t)
	vc := env.fake.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	// 30 s: PENDING, SUBMITTED and RUNNING 10 s each. Checks come 2 s apart (jitter 0): the
	// 11th, at 20 s, sees RUNNING, and the 12th cancels the run before it reads.
	env.fake.ScriptNext(emrtest.Outcome{Duration: 30 * time.Second})
	id, err := env.runner.Start(ctx, vc, eksJob())
	if err != nil {
		t.Fatal(err)
	}
	// DescribeJobRun models no typed throttling error (the SDK's deserializer knows only
	// InternalServerException, ResourceNotFoundException and ValidationException for it), so
	// throttling arrives as a generic ThrottlingException, followed by a server error.
	env.fake.ThrottleNext("DescribeJobRun", 1)
	env.fake.FailNext("DescribeJobRun", &types.InternalServerException{Message: aws.String("Internal error")})
	env.fake.KeepControl("DescribeJobRun", func(any) (any, error, bool) {
		if env.fake.Count(emrtest.OpDescribeJobRun) == 11 {
			if err := env.runner.Cancel(ctx, vc, id); err != nil {
				t.Errorf("Cancel: %v", err)
			}
		}
		return nil, nil, false
	})
	state, err := env.runner.Wait(ctx, vc, id)
	var jf *emr.JobFailedError
	if state != "CANCELLED" || !errors.As(err, &jf) {
		t.Fatalf("Wait = %q, %v", state, err)
	}
	if got, want := env.states(id), []string{"PENDING", "SUBMITTED", "RUNNING", "CANCEL_PENDING", "CANCELLED"}; !slices.Equal(got, want) {
		t.Errorf("progress %v, want %v", got, want)
	}
	var ve *types.ValidationException
	if err := env.runner.Cancel(ctx, vc, id); !errors.As(err, &ve) {
		t.Errorf("cancelling an ended run: %v, want *types.ValidationException", err)
	}
}

func TestContainersValidationAndErrors(t *testing.T) {
	ctx := context.Background()
	env := newEKSEnv(t)
	vc := env.fake.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	dup := eksJob()
	dup.SparkDefaults = map[string]string{"spark.executor.memory": "4g"}
	badLabel := eksJob()
	badLabel.ReleaseLabel = "7.5.0"
	noLabel := eksJob()
	noLabel.ReleaseLabel = ""
	timeout := eksJob()
	timeout.ExecutionTimeout = time.Hour
	noGroup := eksJob()
	noGroup.CloudWatchLogStreamPrefix = "etl"
	for _, tt := range []struct {
		vc   string
		job  emr.JobRun
		want string
	}{
		{vc, dup, `SparkDefaults key "spark.executor.memory" duplicates a field: set SparkSubmit.ExecutorMemory instead`},
		{vc, badLabel, "is not an EMR release"},
		{vc, noLabel, "JobRun.ReleaseLabel is required"},
		{vc, timeout, "EMR on EKS has no execution timeout"},
		{vc, noGroup, "CloudWatchLogStreamPrefix needs JobRun.CloudWatchLogGroup"},
		{"", eksJob(), "virtual cluster ID is required"},
		{vc, emr.JobRun{ReleaseLabel: "emr-7.5.0-latest"}, "JobRun.ExecutionRoleArn is required"},
	} {
		if _, err := env.runner.Start(ctx, tt.vc, tt.job); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("err %v, want %q", err, tt.want)
		}
	}
	if _, err := env.runner.Wait(ctx, vc, ""); err == nil || !strings.Contains(err.Error(), "job run ID is required") {
		t.Errorf("Wait without a job run ID: %v", err)
	}
	if n := len(env.fake.Calls()); n != 0 {
		t.Errorf("%d calls for invalid jobs", n)
	}
	_, err := env.runner.Start(ctx, "vcmissing0000", eksJob())
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("unknown virtual cluster: %v, want *types.ResourceNotFoundException", err)
	}
}

func TestContainersRetryStartsOneRun(t *testing.T) {
	ctx := context.Background()
	env := newEKSEnv(t)
	vc := env.fake.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	env.fake.ThrottleNext("StartJobRun", 1)
	env.fake.FailNext("StartJobRun", &types.InternalServerException{Message: aws.String("Internal error")})
	id, err := env.runner.Start(ctx, vc, eksJob())
	if err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for _, c := range env.fake.Calls() {
		tokens = append(tokens, aws.ToString(c.Input.(*emrcontainers.StartJobRunInput).ClientToken))
	}
	if len(tokens) != 3 || len(slices.Compact(tokens)) != 1 || startedRuns(env.fake.Calls()) != 1 || id == "" {
		t.Errorf("tokens %v, %d runs", tokens, startedRuns(env.fake.Calls()))
	}
	// A validation error is not retried.
	env.fake.FailNext("StartJobRun", &types.ValidationException{Message: aws.String("bad")})
	var ve *types.ValidationException
	if _, err := env.runner.Start(ctx, vc, eksJob()); !errors.As(err, &ve) {
		t.Errorf("err %v, want the ValidationException", err)
	}
	if n := env.fake.Count("StartJobRun"); n != 4 {
		t.Errorf("%d StartJobRun calls, want 4", n)
	}
}

func TestContainersWaitStopsOnContextCancel(t *testing.T) {
	env := newEKSEnv(t)
	vc := env.fake.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	env.fake.ScriptNext(emrtest.Outcome{Duration: 10 * time.Hour})
	id, err := env.runner.Start(context.Background(), vc, eksJob())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel the context from inside the third DescribeJobRun.
	env.fake.KeepControl("DescribeJobRun", func(any) (any, error, bool) {
		if env.fake.Count("DescribeJobRun") == 2 {
			cancel()
		}
		return nil, nil, false
	})
	state, err := env.runner.Wait(ctx, vc, id)
	if !errors.Is(err, context.Canceled) || state != "" {
		t.Fatalf("Wait = %q, %v; want context.Canceled", state, err)
	}
	if n := env.fake.Count("DescribeJobRun"); n != 3 {
		t.Errorf("%d DescribeJobRun calls, want 3 (the wait stops before a fourth)", n)
	}
	if n := env.fake.Count("CancelJobRun"); n != 0 {
		t.Errorf("the wait cancelled the run (%d CancelJobRun calls)", n)
	}
	// The run goes on: still PENDING (the first third of its 10 hours), not cancelled.
	out, err := env.fake.DescribeJobRun(context.Background(), &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(vc), Id: aws.String(id)})
	if err != nil || out.JobRun.State != types.JobRunStatePending {
		t.Errorf("after the wait stopped: %v, %v; want PENDING", out.JobRun.State, err)
	}
}
