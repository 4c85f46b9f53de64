package emr

import (
	"errors"
	"fmt"
	"strings"
)

// JobFailedError reports a run that ended without success: a step FAILED, CANCELLED or
// INTERRUPTED; an EMR Serverless job run FAILED or CANCELLED; an EMR on EKS job run FAILED or
// CANCELLED. It carries what the service said and where the logs are:
//
//	var failed *emr.JobFailedError
//	if errors.As(err, &failed) {
//		log.Printf("%s %s: %s (logs: %s)", failed.ID, failed.State, failed.Message, failed.LogURI)
//	}
type JobFailedError struct {
	// Runtime is where the run executed.
	Runtime Runtime
	// Container is the cluster, application or virtual cluster ID the run belongs to.
	Container string
	// ID is the step ID or job run ID.
	ID string
	// State is the final state.
	State string
	// Reason is the service's failure reason code, when it gives one: a step's
	// FailureDetails.Reason, an EMR on EKS job run's failureReason (USER_ERROR, ...).
	Reason string
	// Message is the service's explanation: a step's FailureDetails.Message, a job run's
	// stateDetails.
	Message string
	// LogURI is where the run's logs are: for a step, the log file EMR names in its
	// FailureDetails, else its stderr.gz under the cluster's log URI (stdout.gz is beside it;
	// EMR writes them a few minutes after the step ends); for a job run, the log prefix of its
	// S3 monitoring configuration. Empty when logs are not configured.
	LogURI string
	// Attempt is the EMR Serverless attempt that ended (1 without a retry policy); zero
	// elsewhere.
	Attempt int
}

// Error describes the run, its state, the service's reason and message, and the logs.
func (e *JobFailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "emr: %s run %s ended %s", e.Runtime, e.ID, e.State)
	if e.Reason != "" {
		fmt.Fprintf(&b, ": %s", e.Reason)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.LogURI != "" {
		fmt.Fprintf(&b, " (logs: %s)", e.LogURI)
	}
	return b.String()
}

// StepsError reports the outcome of waiting for several steps: Errors is aligned with the
// step IDs given to Wait (or returned by Start, for Run), nil for a step that COMPLETED and a
// *JobFailedError, which names the step in ID, for one that did not.
//
//	var se *emr.StepsError
//	if errors.As(err, &se) {
//		for i, err := range se.Errors { ... stepIDs[i] ... }
//	}
type StepsError struct {
	// Errors is aligned with the step IDs: nil for a COMPLETED step, else its
	// *JobFailedError, whose Container is the cluster.
	Errors []error

	clusterID string
}

// Error summarizes the steps that did not complete.
func (e *StepsError) Error() string {
	n := 0
	var first error
	for _, err := range e.Errors {
		if err != nil {
			if first == nil {
				first = err
			}
			n++
		}
	}
	return fmt.Sprintf("emr: %d of %d steps on cluster %s did not complete; first: %s", n, len(e.Errors), e.clusterID, strings.TrimPrefix(first.Error(), "emr: "))
}

// Unwrap returns the non-nil per-step errors, so errors.As finds a *JobFailedError.
func (e *StepsError) Unwrap() []error {
	var out []error
	for _, err := range e.Errors {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// inField reports the validation errors of err, each starting with "emr: ", as errors of
// field: "emr: <field>: <message>", one prefix per line.
func inField(field string, err error) error {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = "emr: " + field + ": " + strings.TrimPrefix(l, "emr: ")
	}
	return errors.New(strings.Join(lines, "\n"))
}

// errMissing reports a required field.
func errMissing(field string) error { return errors.New("emr: " + field + " is required") }

// errIfEmpty reports field as missing when v is empty.
func errIfEmpty(field, v string) error {
	if v == "" {
		return errMissing(field)
	}
	return nil
}
