package gluetest

import (
	"context"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// WorkflowScript scripts the outcome of one run of a workflow.
type WorkflowScript struct {
	// Duration is how long the run stays RUNNING. Zero means 8 minutes.
	Duration time.Duration
	// Status is the final status: COMPLETED (the default), STOPPED or ERROR.
	Status types.WorkflowRunStatus
	// Statistics are the final action counts. Zero means one action, succeeded.
	Statistics types.WorkflowRunStatistics
	// ErrorMessage is reported with the final status.
	ErrorMessage string
}

type workflowState struct {
	name        string
	defaults    map[string]string
	maxRuns     int32
	runs        map[string]*workflowRun
	description string
}

type workflowRun struct {
	run    types.WorkflowRun
	script WorkflowScript
	end    time.Time
}

// ScriptWorkflowRuns queues outcomes for the next runs of a workflow, one per
// StartWorkflowRun, in order.
func (f *Fake) ScriptWorkflowRuns(workflow string, scripts ...WorkflowScript) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.workflowScripts[workflow] = append(f.workflowScripts[workflow], scripts...)
}

// CreateWorkflow defines a workflow. Its triggers, jobs and crawlers are not modeled: runs
// follow their scripts.
func (f *Fake) CreateWorkflow(ctx context.Context, in *awsglue.CreateWorkflowInput, _ ...func(*awsglue.Options)) (*awsglue.CreateWorkflowOutput, error) {
	return handle(f, OpCreateWorkflow, in, func() (*awsglue.CreateWorkflowOutput, error) {
		if in == nil || aws.ToString(in.Name) == "" {
			return nil, invalidInput("Name is required")
		}
		if f.workflows[*in.Name] != nil {
			return nil, alreadyExists("Workflow %s already exists", *in.Name)
		}
		f.workflows[*in.Name] = &workflowState{name: *in.Name, defaults: cloneMap(in.DefaultRunProperties),
			maxRuns: aws.ToInt32(in.MaxConcurrentRuns), runs: map[string]*workflowRun{}, description: aws.ToString(in.Description)}
		return &awsglue.CreateWorkflowOutput{Name: in.Name}, nil
	})
}

func (f *Fake) workflowStatus(r *workflowRun) types.WorkflowRunStatus {
	if f.now().Before(r.end) {
		return types.WorkflowRunStatusRunning
	}
	return r.script.Status
}

// StartWorkflowRun starts a run (ID "wr_" and 64 hex digits) that is RUNNING for its scripted
// duration and then ends with its scripted status and statistics. Beyond the workflow's
// MaxConcurrentRuns (when set) the call fails with *types.ConcurrentRunsExceededException.
func (f *Fake) StartWorkflowRun(ctx context.Context, in *awsglue.StartWorkflowRunInput, _ ...func(*awsglue.Options)) (*awsglue.StartWorkflowRunOutput, error) {
	return handle(f, OpStartWorkflowRun, in, func() (*awsglue.StartWorkflowRunOutput, error) {
		if in == nil || aws.ToString(in.Name) == "" {
			return nil, invalidInput("Name is required")
		}
		w := f.workflows[*in.Name]
		if w == nil {
			return nil, notFound("Entity not found: workflow %s", *in.Name)
		}
		if w.maxRuns > 0 {
			active := int32(0)
			for _, r := range w.runs {
				if f.workflowStatus(r) == types.WorkflowRunStatusRunning {
					active++
				}
			}
			if active >= w.maxRuns {
				return nil, &types.ConcurrentRunsExceededException{Message: aws.String("Concurrent runs exceeded for workflow " + *in.Name)}
			}
		}
		var s WorkflowScript
		if q := f.workflowScripts[*in.Name]; len(q) > 0 {
			s, f.workflowScripts[*in.Name] = q[0], q[1:]
		}
		if s.Duration <= 0 {
			s.Duration = workflowRunDuration
		}
		if s.Status == "" {
			s.Status = types.WorkflowRunStatusCompleted
		}
		if s.Statistics == (types.WorkflowRunStatistics{}) {
			s.Statistics = types.WorkflowRunStatistics{TotalActions: 1, SucceededActions: 1}
		}
		f.seq++
		id := runID("wr_", f.seq)
		now := f.now()
		props := cloneMap(w.defaults)
		if props == nil && len(in.RunProperties) > 0 {
			props = map[string]string{}
		}
		maps.Copy(props, in.RunProperties)
		w.runs[id] = &workflowRun{script: s, end: now.Add(s.Duration), run: types.WorkflowRun{
			Name: in.Name, WorkflowRunId: aws.String(id), StartedOn: aws.Time(now), WorkflowRunProperties: props,
		}}
		return &awsglue.StartWorkflowRunOutput{RunId: aws.String(id)}, nil
	})
}

// GetWorkflowRun returns a run as of the fake's clock. While RUNNING, one action runs and the
// others wait.
func (f *Fake) GetWorkflowRun(ctx context.Context, in *awsglue.GetWorkflowRunInput, _ ...func(*awsglue.Options)) (*awsglue.GetWorkflowRunOutput, error) {
	return handle(f, OpGetWorkflowRun, in, func() (*awsglue.GetWorkflowRunOutput, error) {
		if in == nil || aws.ToString(in.Name) == "" || aws.ToString(in.RunId) == "" {
			return nil, invalidInput("Name and RunId are required")
		}
		w := f.workflows[*in.Name]
		if w == nil {
			return nil, notFound("Entity not found: workflow %s", *in.Name)
		}
		r := w.runs[*in.RunId]
		if r == nil {
			return nil, notFound("Entity not found: workflow run %s", *in.RunId)
		}
		out := r.run
		out.WorkflowRunProperties = cloneMap(r.run.WorkflowRunProperties)
		out.Status = f.workflowStatus(r)
		if err := f.observe("workflow run "+*in.RunId, out.Status == types.WorkflowRunStatusRunning); err != nil {
			return nil, err
		}
		stats := r.script.Statistics
		if out.Status == types.WorkflowRunStatusRunning {
			stats = types.WorkflowRunStatistics{TotalActions: stats.TotalActions, RunningActions: 1, WaitingActions: max(stats.TotalActions-1, 0)}
		} else {
			out.CompletedOn = aws.Time(r.end)
			if r.script.ErrorMessage != "" {
				out.ErrorMessage = aws.String(r.script.ErrorMessage)
			}
		}
		out.Statistics = &stats
		return &awsglue.GetWorkflowRunOutput{Run: &out}, nil
	})
}
