package gluetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// JobScript scripts the outcome of one run of a job.
type JobScript struct {
	// Starting is how long the run stays STARTING. Zero means 10 seconds.
	Starting time.Duration
	// Running is how long the run stays RUNNING. Zero means 2 minutes.
	Running time.Duration
	// Final is the final state: SUCCEEDED (the default), FAILED, ERROR, TIMEOUT or STOPPED.
	// STOPPED passes through STOPPING for 10 seconds first.
	Final types.JobRunState
	// ErrorMessage is reported for a run that does not succeed.
	ErrorMessage string
}

type jobState struct {
	job  awsglue.CreateJobInput
	runs map[string]*jobRun
}

type jobRun struct {
	run            types.JobRun
	script         JobScript
	start          time.Time
	runFrom, runTo time.Time // RUNNING interval
	end            time.Time // final state from then on
}

// ScriptJobRuns queues outcomes for the next runs of a job, one per StartJobRun, in order.
// Runs without a script succeed after 10 seconds STARTING and 2 minutes RUNNING.
func (f *Fake) ScriptJobRuns(job string, scripts ...JobScript) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jobScripts[job] = append(f.jobScripts[job], scripts...)
}

// CreateJob defines a job. Name, Role and Command are required. ExecutionProperty
// MaxConcurrentRuns (default 1) bounds concurrent runs.
func (f *Fake) CreateJob(ctx context.Context, in *awsglue.CreateJobInput, _ ...func(*awsglue.Options)) (*awsglue.CreateJobOutput, error) {
	return handle(f, OpCreateJob, in, func() (*awsglue.CreateJobOutput, error) {
		if in == nil || aws.ToString(in.Name) == "" {
			return nil, invalidInput("Name is required")
		}
		if aws.ToString(in.Role) == "" || in.Command == nil {
			return nil, invalidInput("Role and Command are required")
		}
		if f.jobs[*in.Name] != nil {
			return nil, &types.IdempotentParameterMismatchException{Message: aws.String("Job " + *in.Name + " already exists")}
		}
		f.jobs[*in.Name] = &jobState{job: *in, runs: map[string]*jobRun{}}
		return &awsglue.CreateJobOutput{Name: in.Name}, nil
	})
}

func runID(prefix string, seq int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s%d", prefix, seq)))
	return prefix + hex.EncodeToString(sum[:])
}

func (f *Fake) jobRunState(r *jobRun) types.JobRunState {
	now := f.now()
	switch {
	case now.Before(r.runFrom):
		return types.JobRunStateStarting
	case now.Before(r.runTo):
		return types.JobRunStateRunning
	case now.Before(r.end):
		return types.JobRunStateStopping
	}
	return r.script.Final
}

// StartJobRun starts a run: STARTING, RUNNING, then its scripted final state. Arguments are
// merged over the job's DefaultArguments. A Timeout (minutes) shorter than the scripted
// running time ends the run TIMEOUT. Beyond the job's MaxConcurrentRuns the call fails with
// *types.ConcurrentRunsExceededException.
func (f *Fake) StartJobRun(ctx context.Context, in *awsglue.StartJobRunInput, _ ...func(*awsglue.Options)) (*awsglue.StartJobRunOutput, error) {
	return handle(f, OpStartJobRun, in, func() (*awsglue.StartJobRunOutput, error) {
		if in == nil || aws.ToString(in.JobName) == "" {
			return nil, invalidInput("JobName is required")
		}
		if err := checkNameString("jobName", *in.JobName); err != nil {
			return nil, err
		}
		if err := checkWorkerType(in.WorkerType); err != nil {
			return nil, err
		}
		j := f.jobs[*in.JobName]
		if j == nil {
			return nil, notFound("Failed to start job run due to missing metadata")
		}
		limit := int32(1)
		if j.job.ExecutionProperty != nil && j.job.ExecutionProperty.MaxConcurrentRuns > 0 {
			limit = j.job.ExecutionProperty.MaxConcurrentRuns
		}
		active := int32(0)
		for _, r := range j.runs {
			switch f.jobRunState(r) {
			case types.JobRunStateStarting, types.JobRunStateRunning, types.JobRunStateStopping:
				active++
			}
		}
		if active >= limit {
			return nil, &types.ConcurrentRunsExceededException{Message: aws.String(fmt.Sprintf("Concurrent runs exceeded for %s", *in.JobName))}
		}
		var s JobScript
		if q := f.jobScripts[*in.JobName]; len(q) > 0 {
			s, f.jobScripts[*in.JobName] = q[0], q[1:]
		}
		if s.Starting <= 0 {
			s.Starting = startingDuration
		}
		if s.Running <= 0 {
			s.Running = jobRunDuration
		}
		if s.Final == "" {
			s.Final = types.JobRunStateSucceeded
		}
		timeout := in.Timeout
		if timeout == nil {
			timeout = j.job.Timeout
		}
		if timeout != nil && *timeout > 0 && time.Duration(*timeout)*time.Minute < s.Running {
			s.Running = time.Duration(*timeout) * time.Minute
			s.Final = types.JobRunStateTimeout
			s.ErrorMessage = fmt.Sprintf("Job run timed out after %d minutes", *timeout)
		}
		f.seq++
		id := runID("jr_", f.seq)
		now := f.now()
		r := &jobRun{script: s, start: now, runFrom: now.Add(s.Starting), runTo: now.Add(s.Starting + s.Running)}
		r.end = r.runTo
		if s.Final == types.JobRunStateStopped {
			r.end = r.runTo.Add(stoppingDuration)
		}
		args := maps.Clone(j.job.DefaultArguments)
		if args == nil && len(in.Arguments) > 0 {
			args = map[string]string{}
		}
		maps.Copy(args, in.Arguments)
		maps.Copy(args, j.job.NonOverridableArguments)
		r.run = types.JobRun{
			Id: aws.String(id), JobName: in.JobName, Arguments: args, StartedOn: aws.Time(now), Timeout: timeout,
			WorkerType: in.WorkerType, NumberOfWorkers: in.NumberOfWorkers, ExecutionClass: in.ExecutionClass,
			SecurityConfiguration: in.SecurityConfiguration, GlueVersion: j.job.GlueVersion, LogGroupName: aws.String("/aws-glue/jobs"),
			JobRunQueuingEnabled: in.JobRunQueuingEnabled,
		}
		if r.run.WorkerType == "" {
			r.run.WorkerType, r.run.NumberOfWorkers = j.job.WorkerType, j.job.NumberOfWorkers
		}
		j.runs[id] = r
		return &awsglue.StartJobRunOutput{JobRunId: aws.String(id)}, nil
	})
}

// GetJobRun returns a run as of the fake's clock.
func (f *Fake) GetJobRun(ctx context.Context, in *awsglue.GetJobRunInput, _ ...func(*awsglue.Options)) (*awsglue.GetJobRunOutput, error) {
	return handle(f, OpGetJobRun, in, func() (*awsglue.GetJobRunOutput, error) {
		if in == nil || aws.ToString(in.JobName) == "" || aws.ToString(in.RunId) == "" {
			return nil, invalidInput("JobName and RunId are required")
		}
		j := f.jobs[*in.JobName]
		if j == nil {
			return nil, notFound("Job %s not found", *in.JobName)
		}
		r := j.runs[*in.RunId]
		if r == nil {
			return nil, notFound("Job run %s not found", *in.RunId)
		}
		out := r.run
		out.Arguments = maps.Clone(r.run.Arguments)
		now := f.now()
		out.JobRunState = f.jobRunState(r)
		switch out.JobRunState {
		case types.JobRunStateStarting, types.JobRunStateRunning, types.JobRunStateStopping, types.JobRunStateWaiting:
			if err := f.observe("job run "+*in.RunId, true); err != nil {
				return nil, err
			}
		default:
			f.Settled("job run " + *in.RunId)
		}
		out.LastModifiedOn = aws.Time(now)
		until := r.runTo
		if now.Before(until) {
			until = now
		}
		ran := until.Sub(r.runFrom)
		if ran > 0 {
			out.ExecutionTime = int32(ran / time.Second)
		}
		switch out.JobRunState {
		case types.JobRunStateStarting, types.JobRunStateRunning, types.JobRunStateStopping:
		default:
			out.CompletedOn = aws.Time(r.end)
			out.LastModifiedOn = aws.Time(r.end)
			if out.JobRunState != types.JobRunStateSucceeded && r.script.ErrorMessage != "" {
				out.ErrorMessage = aws.String(r.script.ErrorMessage)
			}
		}
		return &awsglue.GetJobRunOutput{JobRun: &out}, nil
	})
}
