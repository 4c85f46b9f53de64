package redshift

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
)

// StatementError reports a statement that did not finish: it FAILED (Message is Redshift's
// error) or was ABORTED (cancelled, or the wait ended first; Err then holds why).
//
//	var se *redshift.StatementError
//	if errors.As(err, &se) && se.Status == types.StatusStringFailed { log.Print(se.Message) }
type StatementError struct {
	// ID is the statement ID.
	ID string
	// Sub is the 1-based index of the failed sub-statement of a batch; 0 otherwise.
	Sub int
	// Status is FAILED or ABORTED.
	Status types.StatusString
	// Message is the error Redshift reported.
	Message string
	// QueryID is Redshift's query ID, 0 when unknown.
	QueryID int64
	// Err is the underlying error, such as the context's.
	Err error
}

// Error describes the failure with the statement and query IDs.
func (e *StatementError) Error() string {
	id := e.ID
	if e.Sub > 0 {
		id = fmt.Sprintf("%s:%d", e.ID, e.Sub)
	}
	s := fmt.Sprintf("redshift: statement %s %s", id, e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.QueryID != 0 {
		s += fmt.Sprintf(" (query %d)", e.QueryID)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns Err.
func (e *StatementError) Unwrap() error { return e.Err }

// apiError wraps an error of a Data API call with the operation, adding the message that
// DatabaseConnectionException's Error leaves out (SDK redshiftdata v1.40.1).
func apiError(op string, err error) error {
	var dce *types.DatabaseConnectionException
	if errors.As(err, &dce) && dce.Message != nil {
		return fmt.Errorf("redshift: %s: %w: %s", op, err, aws.ToString(dce.Message))
	}
	return fmt.Errorf("redshift: %s: %w", op, err)
}
