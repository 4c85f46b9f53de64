package glue

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// Defaults of a WorkflowRunner, stated on the Options fields.
const (
	// workflowMinDelay is the first delay between GetWorkflowRun polls.
	workflowMinDelay = 30 * time.Second
	// workflowMaxDelay caps the delay between GetWorkflowRun polls.
	workflowMaxDelay = 2 * time.Minute
)

// WorkflowRunner starts Glue workflow runs and waits for them. It is safe for concurrent use.
type WorkflowRunner struct {
	client WorkflowRunAPIClient
	opts   Options
}

// NewWorkflowRunner returns a WorkflowRunner over client. Of the options, it uses Wait, Retry,
// Logger and ClientOptions.
func NewWorkflowRunner(client WorkflowRunAPIClient, optFns ...func(*Options)) *WorkflowRunner {
	return &WorkflowRunner{client: client, opts: configure(Options{}, optFns)}
}

func (r *WorkflowRunner) options(optFns []func(*Options)) Options {
	return configure(r.opts, optFns)
}

// workflowSucceeded reports whether the run is COMPLETED with every action succeeded: COMPLETED
// alone does not mean success, since a run completes when its failed actions stop the graph.
func workflowSucceeded(w *types.WorkflowRun) bool {
	var s types.WorkflowRunStatistics
	if w.Statistics != nil {
		s = *w.Statistics
	}
	return w.Status == types.WorkflowRunStatusCompleted && s.FailedActions == 0 && s.ErroredActions == 0 &&
		s.TimeoutActions == 0 && s.StoppedActions == 0 && s.SucceededActions == s.TotalActions
}

// WorkflowRunFailedError reports a workflow run that did not succeed, with the run as Glue last
// reported it: its status, Glue's message if any, and its actions counted by outcome.
type WorkflowRunFailedError struct {
	Run *types.WorkflowRun
}

// Error implements error.
func (e *WorkflowRunFailedError) Error() string {
	var s types.WorkflowRunStatistics
	if e.Run.Statistics != nil {
		s = *e.Run.Statistics
	}
	msg := fmt.Sprintf("glue: workflow %s run %s ended %s with %d/%d actions succeeded (%d failed, %d errored, %d timed out, %d stopped)",
		aws.ToString(e.Run.Name), aws.ToString(e.Run.WorkflowRunId), e.Run.Status, s.SucceededActions, s.TotalActions, s.FailedActions, s.ErroredActions, s.TimeoutActions, s.StoppedActions)
	if m := aws.ToString(e.Run.ErrorMessage); m != "" {
		msg += ": " + m
	}
	return msg
}

// Run starts a workflow run with the given run properties (may be nil) and waits for it:
// Start, then Wait. It succeeds only when the run is COMPLETED with no failed, errored,
// timed-out or stopped action; otherwise it returns the run and a *WorkflowRunFailedError. The
// run is as Glue last reported it (GetWorkflowRun).
func (r *WorkflowRunner) Run(ctx context.Context, workflow string, properties map[string]string, optFns ...func(*Options)) (*types.WorkflowRun, error) {
	o := r.options(optFns)
	runID, err := r.start(ctx, o, workflow, properties)
	if err != nil {
		return nil, err
	}
	return r.wait(ctx, o, workflow, runID)
}

// Start starts a workflow run with the given run properties (may be nil) and returns its run
// ID without waiting. A throttled StartWorkflowRun is retried (Options.Retry).
func (r *WorkflowRunner) Start(ctx context.Context, workflow string, properties map[string]string, optFns ...func(*Options)) (string, error) {
	return r.start(ctx, r.options(optFns), workflow, properties)
}

func (r *WorkflowRunner) start(ctx context.Context, o Options, workflow string, properties map[string]string) (string, error) {
	if err := checkName("workflow name", workflow); err != nil {
		return "", fmt.Errorf("glue: %w", err)
	}
	for k := range properties {
		if k == "" {
			return "", fmt.Errorf("glue: workflow run property with an empty key")
		}
	}
	var runID string
	err := startWithRetry(ctx, o.Retry, r.client, "start of Glue workflow "+workflow, func(ctx context.Context) error {
		out, err := r.client.StartWorkflowRun(ctx, &awsglue.StartWorkflowRunInput{Name: aws.String(workflow), RunProperties: properties}, o.ClientOptions...)
		if err == nil {
			runID = aws.ToString(out.RunId)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("glue: start workflow %s: %w", workflow, err)
	}
	debug(o.Logger, "started workflow run", "workflow", workflow, "run", runID)
	return runID, nil
}

// Wait waits for an existing workflow run to finish and returns the run as Glue last reported
// it, as Run does.
func (r *WorkflowRunner) Wait(ctx context.Context, workflow, runID string, optFns ...func(*Options)) (*types.WorkflowRun, error) {
	if err := checkName("workflow name", workflow); err != nil {
		return nil, fmt.Errorf("glue: %w", err)
	}
	if err := checkName("run ID", runID); err != nil {
		return nil, fmt.Errorf("glue: %w", err)
	}
	return r.wait(ctx, r.options(optFns), workflow, runID)
}

func (r *WorkflowRunner) wait(ctx context.Context, o Options, workflow, runID string) (*types.WorkflowRun, error) {
	var last *types.WorkflowRun
	opts := pollOptions(o.Wait, r.client, o.Logger, fmt.Sprintf("Glue workflow run %s/%s", workflow, runID), workflowMinDelay, workflowMaxDelay)
	err := waitFor(ctx, opts, func(ctx context.Context) (string, bool, error) {
		out, err := r.client.GetWorkflowRun(ctx, &awsglue.GetWorkflowRunInput{Name: aws.String(workflow), RunId: aws.String(runID)}, o.ClientOptions...)
		if err != nil {
			return "", false, fmt.Errorf("glue: get workflow run %s/%s: %w", workflow, runID, err)
		}
		run := out.Run
		if run == nil {
			return "", false, fmt.Errorf("glue: get workflow run %s/%s: empty response", workflow, runID)
		}
		if run.Name == nil {
			run.Name = aws.String(workflow)
		}
		if run.WorkflowRunId == nil {
			run.WorkflowRunId = aws.String(runID)
		}
		last = run
		switch run.Status {
		case types.WorkflowRunStatusCompleted, types.WorkflowRunStatusStopped, types.WorkflowRunStatusError:
			return string(run.Status), true, nil
		}
		return string(run.Status), false, nil
	})
	if err != nil {
		return last, err
	}
	debug(o.Logger, "workflow run ended", "workflow", workflow, "run", runID, "status", last.Status)
	if !workflowSucceeded(last) {
		return last, &WorkflowRunFailedError{Run: last}
	}
	return last, nil
}
