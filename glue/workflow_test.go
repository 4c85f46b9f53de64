package glue_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

func TestWorkflowRun(t *testing.T) {
	// The Covid_19 workflow of the AWS "Glue and CDK" post: 7 actions, ~7m59s.
	ok := types.WorkflowRunStatistics{TotalActions: 7, SucceededActions: 7}
	failed := types.WorkflowRunStatistics{TotalActions: 7, SucceededActions: 5, FailedActions: 1, StoppedActions: 1}
	tests := []struct {
		name   string
		script gluetest.WorkflowScript
		ok     bool
	}{
		{"all succeeded", gluetest.WorkflowScript{Duration: 7*time.Minute + 59*time.Second, Statistics: ok}, true},
		{"completed with a failed action", gluetest.WorkflowScript{Statistics: failed}, false},
		{"stopped", gluetest.WorkflowScript{Status: types.WorkflowRunStatusStopped, Statistics: types.WorkflowRunStatistics{TotalActions: 7, SucceededActions: 2, StoppedActions: 5}}, false},
		{"error", gluetest.WorkflowScript{Status: types.WorkflowRunStatusError, ErrorMessage: "Internal error", Statistics: types.WorkflowRunStatistics{TotalActions: 7}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			fake, clock := newFake(t)
			if _, err := fake.CreateWorkflow(ctx, &awsglue.CreateWorkflowInput{Name: aws.String("Covid_19")}); err != nil {
				t.Fatal(err)
			}
			fake.ScriptWorkflowRuns("Covid_19", tc.script)
			r := glue.NewWorkflowRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) })
			res, err := r.Run(ctx, "Covid_19", map[string]string{"run_date": "2026-03-01"})
			if tc.ok {
				if err != nil || !glue.WorkflowSucceeded(res) || res.Statistics.SucceededActions != 7 || !strings.HasPrefix(aws.ToString(res.WorkflowRunId), "wr_") ||
					aws.ToString(res.Name) != "Covid_19" || res.CompletedOn.Sub(*res.StartedOn) != 7*time.Minute+59*time.Second {
					t.Errorf("Run = %+v, %v", res, err)
				}
				return
			}
			var fe *glue.WorkflowRunFailedError
			if !errors.As(err, &fe) || fe.Run != res || glue.WorkflowSucceeded(res) {
				t.Errorf("err = %v, result %+v; want *glue.WorkflowRunFailedError", err, res)
			}
		})
	}
}

func TestWorkflowRunMissing(t *testing.T) {
	fake, clock := newFake(t)
	_, err := glue.NewWorkflowRunner(fake, func(o *glue.Options) { o.Wait = wait(clock) }).Run(context.Background(), "nope", nil)
	var nf *types.EntityNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("err = %v, want *types.EntityNotFoundException", err)
	}
}
