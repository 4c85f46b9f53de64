package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
)

// emrStep describes a Spark application once, renders it for EMR steps and for EMR
// Serverless, and runs it as steps on the EMR fake (one completes, one fails with the
// service's failure details), on a simulated clock.
func emrStep(ctx context.Context, w io.Writer, e *env) error {
	spark := emr.SparkSubmit{EntryPoint: "s3://code/etl.py", Args: []string{"--day", "2026-01-01"}}.WithGlueCatalog()
	args, err := spark.StepArgs()
	if err != nil {
		return err
	}
	params, err := spark.WithPySparkVenv(emr.RuntimeServerless, "s3://code/venv.tar.gz").SubmitParameters()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "step args: %q\nserverless sparkSubmitParameters: %s\n", args, params)

	// The account already has a cluster with runtime roles; the second step will fail.
	cluster := e.emr.AddCluster(emrtest.ClusterConfig{ID: "j-QUICKSTART", LogURI: "s3://logs/emr/", RuntimeRoles: true})
	e.emr.ScriptNext(emrtest.Outcome{Duration: 4 * time.Minute},
		emrtest.Outcome{State: "FAILED", Message: "Insufficient Lake Formation permission(s) on sales", Duration: 90 * time.Second})
	runner := emr.NewStepRunner(awsemr.NewFromConfig(e.cfg), func(o *emr.Options) { o.Wait = e.wait })

	_, err = runner.Start(ctx, emr.StepsInput{ClusterID: cluster, Steps: []emr.Step{{Name: "etl", Spark: spark}}})
	var ae smithy.APIError
	if !errors.Is(err, emr.ErrRuntimeRoleRequired) || !errors.As(err, &ae) {
		return fmt.Errorf("want a runtime-role error, got %v", err)
	}
	fmt.Fprintln(w, "without a runtime role:", ae.ErrorMessage())

	ids, err := runner.Start(ctx, emr.StepsInput{ClusterID: cluster, ExecutionRoleArn: "arn:aws:iam::123456789012:role/analyst",
		Steps: []emr.Step{{Name: "ingest", Spark: spark}, {Name: "report", Spark: spark}}})
	if err != nil {
		return err
	}
	states, err := runner.Wait(ctx, cluster, ids)
	fmt.Fprintln(w, "step states:", states)
	var failed *emr.JobFailedError
	if !errors.As(err, &failed) {
		return fmt.Errorf("want a failed step, got %v", err)
	}
	fmt.Fprintf(w, "step %s: %s (logs %s)\n", failed.ID, failed.Message, failed.LogURI)
	fmt.Fprintln(w, "runtime-role security configuration:", emr.RuntimeRoleSecurityConfiguration{}.JSON())
	return nil
}
