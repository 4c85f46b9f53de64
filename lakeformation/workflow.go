package lakeformation

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// SharingWorkflow shares databases and tables with consumer accounts on request: a request for
// data that carries pii_flag=true (glue.ParamPIIFlag, on the database, a table or a column)
// waits for an approval requested through a Notifier; other requests are shared at once.
// Sharing grants the consumer account DESCRIBE on the database and SELECT and DESCRIBE on the
// tables, with grant option so that its administrator can grant them on. Every step is
// recorded in a RequestStore before the next one starts, so a request can be resumed after a
// crash; every step is idempotent. It is safe for concurrent use on different requests.
// Options.CatalogID is the producer catalog the requested resources live in (empty means the
// caller's account); Options.Retry.Clock also stamps requests (CreatedAt, UpdatedAt); the
// Logger, if set, receives a debug line per step recorded.
//
// The workflow fails closed. Governance parameters are read with glue.ParseGovernance: a
// pii_flag other than "true" or "false" (any case, surrounding spaces ignored), such as
// "yes", "1" or "true\x00", cannot be read and sends the request to approval with the
// reason, as PII would. A request for a whole database is shared table by table: the tables
// the database holds when the request is evaluated are recorded in Request.Tables, the whole
// request waits for approval when any of them (or the database) carries PII, and the grants
// name those tables one by one. There is no grant on the table wildcard, so tables created
// later, PII or not, are not shared by an old request: the consumer asks again.
type SharingWorkflow struct {
	perms    PermissionsAPIClient
	catalog  GlueCatalogAPIClient
	store    RequestStore
	notifier Notifier
	opts     Options
}

// NewSharingWorkflow returns a workflow granting with the producer's Lake Formation, reading
// its Glue Data Catalog, persisting to store and asking approvals through notifier. A nil
// store keeps the requests in memory, for the life of the workflow: a request can then be
// resumed, approved or denied by this workflow only.
func NewSharingWorkflow(perms PermissionsAPIClient, catalog GlueCatalogAPIClient, store RequestStore, notifier Notifier, optFns ...func(*Options)) *SharingWorkflow {
	if store == nil {
		store = newMemoryStore()
	}
	return &SharingWorkflow{perms: perms, catalog: catalog, store: store, notifier: notifier, opts: configure(Options{}, optFns)}
}

// RequestStateError reports an operation that the request's state does not allow, such as
// approving a denied request.
type RequestStateError struct {
	// ID is the request's ID.
	ID string
	// State is the request's current state.
	State RequestState
	// Op is the refused operation: "approve" or "deny".
	Op string
}

// Error names the request, the operation and the state.
func (e *RequestStateError) Error() string {
	return fmt.Sprintf("lakeformation: cannot %s request %s in state %s", e.Op, e.ID, e.State)
}

// options returns the workflow's options with optFns applied to a copy, and the clock set.
func (w *SharingWorkflow) options(optFns []func(*Options)) Options {
	o := configure(w.opts, optFns)
	o.Retry.Clock = poll.ClockFor(o.Retry.Clock, w.perms)
	return o
}

// Start starts a request, or resumes it when a request with the same ID is stored (the
// consumer, database and table must then match), and returns it without waiting for an
// approval, in the state it reached: SHARED, PENDING_APPROVAL or DENIED.
func (w *SharingWorkflow) Start(ctx context.Context, r Request, optFns ...func(*Options)) (Request, error) {
	switch {
	case r.ID == "":
		return r, fmt.Errorf("lakeformation: Request.ID is required")
	case !datablocks.IsAccountID(r.ConsumerAccount):
		return r, fmt.Errorf("lakeformation: Request.ConsumerAccount %q must be a 12-digit account ID", r.ConsumerAccount)
	case r.Database == "":
		return r, fmt.Errorf("lakeformation: Request.Database is required")
	}
	o := w.options(optFns)
	stored, err := w.store.Get(ctx, r.ID)
	switch {
	case err == nil:
		if stored.ConsumerAccount != r.ConsumerAccount || stored.Database != r.Database || stored.Table != r.Table {
			return stored, fmt.Errorf("lakeformation: request %s already exists for %s on %s.%s", r.ID, stored.ConsumerAccount, stored.Database, stored.Table)
		}
		return w.advance(ctx, o, stored)
	case !errors.Is(err, ErrRequestNotFound):
		return r, wrapf(err, "reading request %s", r.ID)
	}
	now := o.Retry.Clock.Now()
	req := Request{ID: r.ID, ConsumerAccount: r.ConsumerAccount, Database: r.Database, Table: r.Table, Requester: r.Requester,
		State: RequestReceived, CreatedAt: now, UpdatedAt: now}
	if err := w.save(ctx, o, &req); err != nil {
		return req, err
	}
	return w.advance(ctx, o, req)
}

// Resume continues a stored request from the step it reached.
func (w *SharingWorkflow) Resume(ctx context.Context, id string, optFns ...func(*Options)) (Request, error) {
	return w.resume(ctx, w.options(optFns), id)
}

func (w *SharingWorkflow) resume(ctx context.Context, o Options, id string) (Request, error) {
	r, err := w.store.Get(ctx, id)
	if err != nil {
		return r, wrapf(err, "reading request %s", id)
	}
	return w.advance(ctx, o, r)
}

// Approve approves a request waiting for approval and shares the data. Approving a shared
// request returns it unchanged; approving a denied one fails with *RequestStateError.
func (w *SharingWorkflow) Approve(ctx context.Context, id, approver string, optFns ...func(*Options)) (Request, error) {
	o := w.options(optFns)
	r, err := w.resume(ctx, o, id)
	if err != nil {
		return r, err
	}
	switch r.State {
	case RequestShared:
		return r, nil
	case RequestPendingApproval:
		r.State, r.Decider = RequestApproved, approver
		if err := w.save(ctx, o, &r); err != nil {
			return r, err
		}
		return w.advance(ctx, o, r)
	}
	return r, &RequestStateError{ID: id, State: r.State, Op: "approve"}
}

// Deny denies a request waiting for approval. Denying a denied request returns it unchanged;
// denying an approved or shared one fails with *RequestStateError.
func (w *SharingWorkflow) Deny(ctx context.Context, id, approver, reason string, optFns ...func(*Options)) (Request, error) {
	o := w.options(optFns)
	r, err := w.resume(ctx, o, id)
	if err != nil {
		return r, err
	}
	switch r.State {
	case RequestDenied:
		return r, nil
	case RequestPendingApproval:
		r.State, r.Decider, r.Reason = RequestDenied, approver, reason
		return r, w.save(ctx, o, &r)
	}
	return r, &RequestStateError{ID: id, State: r.State, Op: "deny"}
}

func (w *SharingWorkflow) save(ctx context.Context, o Options, r *Request) error {
	r.UpdatedAt = o.Retry.Clock.Now()
	if err := w.store.Put(ctx, *r); err != nil {
		return wrapf(err, "saving request %s", r.ID)
	}
	if o.Logger != nil {
		o.Logger.Debug("sharing request", "id", r.ID, "state", r.State)
	}
	return nil
}

// advance runs the steps from r's state until the request waits or ends.
func (w *SharingWorkflow) advance(ctx context.Context, o Options, r Request) (Request, error) {
	for {
		switch r.State {
		case RequestReceived:
			reason, tables, err := w.evaluate(ctx, o, r)
			if err != nil {
				return r, err
			}
			r.Tables = tables
			if reason != "" {
				r.State, r.PIIReason = RequestPendingApproval, reason
			} else {
				r.State, r.Decider = RequestApproved, "auto"
			}
			if err := w.save(ctx, o, &r); err != nil {
				return r, err
			}
		case RequestPendingApproval:
			if r.Notified {
				return r, nil
			}
			if w.notifier == nil {
				return r, fmt.Errorf("lakeformation: request %s needs approval but the workflow has no Notifier", r.ID)
			}
			if err := w.notifier.RequestApproval(ctx, r); err != nil {
				return r, err
			}
			r.Notified = true
			if err := w.save(ctx, o, &r); err != nil {
				return r, err
			}
		case RequestApproved:
			if err := w.share(ctx, o, r); err != nil {
				return r, err
			}
			r.State = RequestShared
			if err := w.save(ctx, o, &r); err != nil {
				return r, err
			}
		case RequestShared, RequestDenied:
			return r, nil
		default:
			return r, fmt.Errorf("lakeformation: request %s has unknown state %q", r.ID, r.State)
		}
	}
}

// shareGrants returns the grants that share a request's data with its consumer account: on
// the table asked for, or on each table of Request.Tables for a database-wide request, never
// on the table wildcard.
func shareGrants(cat string, r Request) []Grant {
	consumer := DataLakePrincipal(r.ConsumerAccount)
	perms := []types.Permission{types.PermissionSelect, types.PermissionDescribe}
	out := []Grant{{Principal: consumer, Resource: Database(r.Database).InCatalog(cat), Permissions: []types.Permission{types.PermissionDescribe}, GrantOption: []types.Permission{types.PermissionDescribe}}}
	tables := r.Tables
	if r.Table != "" {
		tables = []string{r.Table}
	}
	for _, t := range tables {
		out = append(out, Grant{Principal: consumer, Resource: Table(r.Database, t).InCatalog(cat), Permissions: perms, GrantOption: perms})
	}
	return out
}

func (w *SharingWorkflow) share(ctx context.Context, o Options, r Request) error {
	pl := &Planner{client: w.perms, opts: o}
	if _, _, err := pl.Converge(ctx, PlanInput{Desired: shareGrants(o.CatalogID, r)}); err != nil {
		return fmt.Errorf("lakeformation: sharing request %s: %s", r.ID, strings.TrimPrefix(err.Error(), "lakeformation: "))
	}
	return nil
}

// piiOf reads the pii_flag of params with glue.ParseGovernance and returns why what needs
// approval: it carries PII, or its governance parameters cannot be read (fail closed).
func piiOf(what string, params map[string]string) string {
	g, err := glue.ParseGovernance(params)
	switch {
	case err != nil:
		return what + " has unreadable governance parameters (" + strings.TrimPrefix(err.Error(), "glue: ") + ")"
	case g.PII:
		return what
	}
	return ""
}

// evaluate returns what in the requested data needs approval ("" when nothing does) and, for a
// database-wide request, the tables the database holds now.
func (w *SharingWorkflow) evaluate(ctx context.Context, o Options, r Request) (string, []string, error) {
	cat := optString(o.CatalogID)
	db, err := w.catalog.GetDatabase(ctx, &awsglue.GetDatabaseInput{CatalogId: cat, Name: aws.String(r.Database)}, o.GlueClientOptions...)
	if err != nil {
		return "", nil, fmt.Errorf("lakeformation: GetDatabase %s: %w", r.Database, err)
	}
	var reasons []string
	if db.Database != nil {
		if reason := piiOf("database "+r.Database, db.Database.Parameters); reason != "" {
			reasons = append(reasons, reason)
		}
	}
	if r.Table != "" {
		t, err := w.catalog.GetTable(ctx, &awsglue.GetTableInput{CatalogId: cat, DatabaseName: aws.String(r.Database), Name: aws.String(r.Table)}, o.GlueClientOptions...)
		if err != nil {
			return "", nil, fmt.Errorf("lakeformation: GetTable %s.%s: %w", r.Database, r.Table, err)
		}
		reasons = append(reasons, tablePII(r.Database, t.Table)...)
		return strings.Join(reasons, "; "), nil, nil
	}
	var tables []string
	p := awsglue.NewGetTablesPaginator(w.catalog, &awsglue.GetTablesInput{CatalogId: cat, DatabaseName: aws.String(r.Database)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.GlueClientOptions...)
		if err != nil {
			return "", nil, fmt.Errorf("lakeformation: GetTables %s: %w", r.Database, err)
		}
		for i := range page.TableList {
			tables = append(tables, aws.ToString(page.TableList[i].Name))
			reasons = append(reasons, tablePII(r.Database, &page.TableList[i])...)
		}
	}
	return strings.Join(reasons, "; "), tables, nil
}

// tablePII returns what in the table needs approval: the table's own flag and each column's.
func tablePII(database string, t *gluetypes.Table) []string {
	if t == nil {
		return nil
	}
	name := database + "." + aws.ToString(t.Name)
	var reasons []string
	if reason := piiOf("table "+name, t.Parameters); reason != "" {
		reasons = append(reasons, reason)
	}
	var cols []gluetypes.Column
	if t.StorageDescriptor != nil {
		cols = append(cols, t.StorageDescriptor.Columns...)
	}
	cols = append(cols, t.PartitionKeys...)
	for _, c := range cols {
		if reason := piiOf("column "+name+"."+aws.ToString(c.Name), c.Parameters); reason != "" {
			reasons = append(reasons, reason)
		}
	}
	return reasons
}
