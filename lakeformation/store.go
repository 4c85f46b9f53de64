package lakeformation

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// RequestState is the state of a data sharing request.
type RequestState string

// The states of a data sharing request. RECEIVED → PENDING_APPROVAL (PII) → APPROVED → SHARED,
// or RECEIVED → APPROVED (no PII) → SHARED, or PENDING_APPROVAL → DENIED.
const (
	RequestReceived        RequestState = "RECEIVED"
	RequestPendingApproval RequestState = "PENDING_APPROVAL"
	RequestApproved        RequestState = "APPROVED"
	RequestShared          RequestState = "SHARED"
	RequestDenied          RequestState = "DENIED"
)

// Request is a consumer account's request for access to a database or a table.
type Request struct {
	// ID identifies the request; submitting the same ID again resumes it.
	ID string
	// ConsumerAccount is the 12-digit account asking for access.
	ConsumerAccount string
	// Database is the requested database (in the producer catalog).
	Database string
	// Table is the requested table; empty means every table of Database, shared table by
	// table (see Tables).
	Table string
	// Requester describes who asked, for the approver (e.g. an email address).
	Requester string

	// State is where the request is; set by the workflow.
	State RequestState
	// Tables are, for a database-wide request, the tables of Database when the request was
	// evaluated: the tables it shares, one by one; set by the workflow.
	Tables []string
	// PIIReason, when set, says why the request needs approval: what carries pii_flag=true
	// or a governance value that cannot be read, e.g. "column sales.customers.email".
	PIIReason string
	// Notified reports that the approval request was sent.
	Notified bool
	// Decider is who approved or denied ("auto" when no approval was needed).
	Decider string
	// Reason is the denial reason.
	Reason string
	// CreatedAt and UpdatedAt are stamped by the workflow's clock.
	CreatedAt, UpdatedAt time.Time
}

// ErrRequestNotFound is returned by a RequestStore for an unknown ID.
var ErrRequestNotFound = errors.New("lakeformation: request not found")

// RequestStore persists sharing requests so that the workflow can be resumed after a crash
// or in another process. Implementations must be safe for concurrent use.
type RequestStore interface {
	// Get returns the request, or an error wrapping ErrRequestNotFound.
	Get(ctx context.Context, id string) (Request, error)
	// Put creates or replaces the request.
	Put(ctx context.Context, r Request) error
}

// memoryStore is the in-memory RequestStore of a workflow given none, safe for concurrent use.
type memoryStore struct {
	mu sync.Mutex
	m  map[string]Request
}

var _ RequestStore = (*memoryStore)(nil)

func newMemoryStore() *memoryStore { return &memoryStore{m: map[string]Request{}} }

// Get returns the request with the given ID.
func (s *memoryStore) Get(_ context.Context, id string) (Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.m[id]
	if !ok {
		return Request{}, ErrRequestNotFound
	}
	r.Tables = slices.Clone(r.Tables)
	return r, nil
}

// Put stores r.
func (s *memoryStore) Put(_ context.Context, r Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.Tables = slices.Clone(r.Tables)
	s.m[r.ID] = r
	return nil
}
