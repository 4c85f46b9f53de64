package lakeformation_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

const consumerAccount = "210987654321"

// seedCatalog creates database sales (no PII flag) with tables orders (no PII) and customers
// (column email flagged), and database hr flagged as a whole.
func seedCatalog(t *testing.T, g *gluetest.Fake) {
	t.Helper()
	ctx := context.Background()
	mustDB := func(name string, params map[string]string) {
		if _, err := g.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &gluetypes.DatabaseInput{Name: aws.String(name), Parameters: params}}); err != nil {
			t.Fatal(err)
		}
	}
	mustTable := func(db, name string, cols ...gluetypes.Column) {
		if _, err := g.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String(db), TableInput: &gluetypes.TableInput{
			Name: aws.String(name), StorageDescriptor: &gluetypes.StorageDescriptor{Columns: cols}}}); err != nil {
			t.Fatal(err)
		}
	}
	col := func(name string, pii bool) gluetypes.Column {
		c := gluetypes.Column{Name: aws.String(name), Type: aws.String("string")}
		if pii {
			c.Parameters = map[string]string{"pii_flag": "true"}
		}
		return c
	}
	mustDB("sales", map[string]string{"data_owner": "123456789012", "data_owner_name": "sales"})
	mustTable("sales", "orders", col("id", false), col("amount", false))
	mustTable("sales", "regions", col("code", false))
	mustTable("sales", "customers", col("id", false), col("email", true))
	mustDB("hr", map[string]string{"pii_flag": "true"})
	mustTable("hr", "teams", col("name", false))
}

type recordingNotifier struct{ got []lakeformation.Request }

func (n *recordingNotifier) RequestApproval(_ context.Context, r lakeformation.Request) error {
	n.got = append(n.got, r)
	return nil
}

func newWorkflow(t *testing.T) (*lakeformation.SharingWorkflow, *lakeformationtest.Fake, *lakeformation.MemoryStore, *recordingNotifier) {
	g := gluetest.New()
	seedCatalog(t, g)
	lf := lakeformationtest.New()
	store := lakeformation.NewMemoryStore()
	n := &recordingNotifier{}
	clock := datablocks.NewManualClock(time.Time{})
	w := lakeformation.NewSharingWorkflow(lf, g, store, n, func(o *lakeformation.Options) { o.Retry.Clock = clock })
	return w, lf, store, n
}

func heldBy(f *lakeformationtest.Fake, principal string) []string {
	var out []string
	for _, p := range held(f) {
		if aws.ToString(p.Principal.DataLakePrincipalIdentifier) != principal {
			continue
		}
		r, _ := lakeformation.ResourceFromSDK(p.Resource)
		var perms []string
		for _, x := range p.Permissions {
			perms = append(perms, string(x))
		}
		out = append(out, r.String()+" "+strings.Join(perms, ","))
	}
	slices.Sort(out)
	return out
}

func TestWorkflowSharesNonPIITableAtOnce(t *testing.T) {
	ctx := context.Background()
	w, lf, _, n := newWorkflow(t)
	r, err := w.Start(ctx, lakeformation.Request{ID: "req-1", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != lakeformation.RequestShared || r.PIIReason != "" || r.Decider != "auto" || len(n.got) != 0 {
		t.Fatalf("request %+v, notifications %d", r, len(n.got))
	}
	got := strings.Join(heldBy(lf, consumerAccount), "; ")
	want := "COLUMNS 123456789012:sales.orders (all) SELECT; DATABASE 123456789012:sales DESCRIBE; TABLE 123456789012:sales.orders DESCRIBE"
	if got != want {
		t.Errorf("consumer holds %s\nwant %s", got, want)
	}
	// Submitting again is a no-op.
	writes := writeCount(lf)
	if r2, err := w.Start(ctx, lakeformation.Request{ID: "req-1", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders"}); err != nil || r2.State != lakeformation.RequestShared {
		t.Fatalf("resubmit: %+v %v", r2, err)
	}
	if writeCount(lf) != writes {
		t.Error("resubmitting a shared request wrote")
	}
}

func TestWorkflowPIIColumnNeedsApproval(t *testing.T) {
	ctx := context.Background()
	w, lf, store, n := newWorkflow(t)
	r, err := w.Start(ctx, lakeformation.Request{ID: "req-2", ConsumerAccount: consumerAccount, Database: "sales", Table: "customers", Requester: "ana@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != lakeformation.RequestPendingApproval || r.PIIReason == "" || r.PIIReason != "column sales.customers.email" || !r.Notified {
		t.Fatalf("request %+v", r)
	}
	if len(n.got) != 1 || n.got[0].ID != "req-2" {
		t.Fatalf("notifications %+v", n.got)
	}
	if writeCount(lf) != 0 {
		t.Fatal("a PII request was shared before approval")
	}
	// Resuming while pending neither re-notifies nor shares.
	if _, err := w.Resume(ctx, "req-2"); err != nil || len(n.got) != 1 {
		t.Fatalf("resume: %v, %d notifications", err, len(n.got))
	}
	r, err = w.Approve(ctx, "req-2", "owner@example.com")
	if err != nil || r.State != lakeformation.RequestShared || r.Decider != "owner@example.com" {
		t.Fatalf("approve: %+v %v", r, err)
	}
	if len(heldBy(lf, consumerAccount)) != 3 {
		t.Errorf("consumer holds %v", heldBy(lf, consumerAccount))
	}
	if _, err := w.Deny(ctx, "req-2", "x", "late"); !isStateError(err) {
		t.Errorf("deny after share: %v", err)
	}
	stored, _ := store.Get(ctx, "req-2")
	if stored.State != lakeformation.RequestShared {
		t.Errorf("stored state %s", stored.State)
	}
}

func isStateError(err error) bool {
	var se *lakeformation.RequestStateError
	return errors.As(err, &se)
}

func TestWorkflowDatabaseRequests(t *testing.T) {
	ctx := context.Background()
	w, lf, _, _ := newWorkflow(t)
	// sales has a PII column in one of its three tables (on the second page of GetTables): the
	// whole request waits, nothing is shared before the approval.
	r, err := w.Start(ctx, lakeformation.Request{ID: "db-sales", ConsumerAccount: consumerAccount, Database: "sales"})
	if err != nil || r.State != lakeformation.RequestPendingApproval || r.PIIReason != "column sales.customers.email" {
		t.Fatalf("sales: %+v %v", r, err)
	}
	tables := slices.Clone(r.Tables)
	slices.Sort(tables)
	if !slices.Equal(tables, []string{"customers", "orders", "regions"}) {
		t.Errorf("request covers tables %v, want the three tables of sales", r.Tables)
	}
	if held := heldBy(lf, consumerAccount); len(held) != 0 {
		t.Fatalf("consumer holds %v before the approval", held)
	}
	// hr is flagged as a database.
	r, err = w.Start(ctx, lakeformation.Request{ID: "db-hr", ConsumerAccount: consumerAccount, Database: "hr"})
	if err != nil || r.PIIReason != "database hr" {
		t.Fatalf("hr: %+v %v", r, err)
	}
	r, err = w.Deny(ctx, "db-hr", "owner", "no business need")
	if err != nil || r.State != lakeformation.RequestDenied || r.Reason != "no business need" {
		t.Fatalf("deny: %+v %v", r, err)
	}
	if _, err := w.Approve(ctx, "db-hr", "owner"); !isStateError(err) {
		t.Errorf("approve after deny: %v", err)
	}
	r, err = w.Approve(ctx, "db-sales", "owner")
	if err != nil || r.State != lakeformation.RequestShared {
		t.Fatalf("approve sales: %+v %v", r, err)
	}
	// Shared table by table, never on the table wildcard (no ALL_TABLES entry).
	got := strings.Join(heldBy(lf, consumerAccount), "; ")
	want := "COLUMNS 123456789012:sales.customers (all) SELECT; COLUMNS 123456789012:sales.orders (all) SELECT; " +
		"COLUMNS 123456789012:sales.regions (all) SELECT; DATABASE 123456789012:sales DESCRIBE; " +
		"TABLE 123456789012:sales.customers DESCRIBE; TABLE 123456789012:sales.orders DESCRIBE; TABLE 123456789012:sales.regions DESCRIBE"
	if got != want {
		t.Errorf("consumer holds %s\nwant %s", got, want)
	}
}

// TestWorkflowFailsClosedOnUnreadableFlags feeds pii_flag values that glue.ParseGovernance
// refuses (it accepts "true" and "false" in any case, spaces trimmed): each request must wait
// for approval with the reason, and the consumer must get nothing.
func TestWorkflowFailsClosedOnUnreadableFlags(t *testing.T) {
	ctx := context.Background()
	for _, flag := range []string{"yes", "1", "Y", "true\x00", "\u200btrue", "TRUE ", "maybe"} {
		t.Run(strconv.Quote(flag), func(t *testing.T) {
			g := gluetest.New()
			if _, err := g.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &gluetypes.DatabaseInput{Name: aws.String("crm")}}); err != nil {
				t.Fatal(err)
			}
			if _, err := g.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("crm"), TableInput: &gluetypes.TableInput{
				Name: aws.String("contacts"), Parameters: map[string]string{"pii_flag": flag},
				StorageDescriptor: &gluetypes.StorageDescriptor{Columns: []gluetypes.Column{{Name: aws.String("id"), Type: aws.String("string")}}}}}); err != nil {
				t.Fatal(err)
			}
			lf := lakeformationtest.New()
			n := &recordingNotifier{}
			w := lakeformation.NewSharingWorkflow(lf, g, lakeformation.NewMemoryStore(), n)
			for _, req := range []lakeformation.Request{
				{ID: "table", ConsumerAccount: consumerAccount, Database: "crm", Table: "contacts"},
				{ID: "database", ConsumerAccount: consumerAccount, Database: "crm"},
			} {
				r, err := w.Start(ctx, req)
				if flag == "TRUE " {
					// Trimmed and case-folded: a readable true, PII as such.
					if err != nil || r.State != lakeformation.RequestPendingApproval || r.PIIReason != "table crm.contacts" {
						t.Errorf("%s: %+v %v, want PENDING_APPROVAL for PII", req.ID, r, err)
					}
					continue
				}
				if err != nil || r.State != lakeformation.RequestPendingApproval || r.PIIReason == "" ||
					!strings.Contains(r.PIIReason, "table crm.contacts has unreadable governance parameters") || !strings.Contains(r.PIIReason, "pii_flag") {
					t.Errorf("%s: %+v %v, want PENDING_APPROVAL naming the unreadable pii_flag", req.ID, r, err)
				}
			}
			if held := heldBy(lf, consumerAccount); len(held) != 0 || writeCount(lf) != 0 {
				t.Errorf("consumer holds %v (%d writes) with pii_flag %q", held, writeCount(lf), flag)
			}
			if len(n.got) != 2 {
				t.Errorf("%d approval requests sent, want 2", len(n.got))
			}
		})
	}
}

// TestWorkflowDatabaseRequestDoesNotCoverLaterTables approves a database-wide request, then
// creates a PII table: the old request must not reach it.
func TestWorkflowDatabaseRequestDoesNotCoverLaterTables(t *testing.T) {
	ctx := context.Background()
	g := gluetest.New()
	seedCatalog(t, g)
	lf := lakeformationtest.New()
	w := lakeformation.NewSharingWorkflow(lf, g, lakeformation.NewMemoryStore(), &recordingNotifier{})
	if _, err := w.Start(ctx, lakeformation.Request{ID: "db", ConsumerAccount: consumerAccount, Database: "sales"}); err != nil {
		t.Fatal(err)
	}
	if r, err := w.Approve(ctx, "db", "owner"); err != nil || r.State != lakeformation.RequestShared {
		t.Fatalf("approve: %+v %v", r, err)
	}
	if _, err := g.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("sales"), TableInput: &gluetypes.TableInput{
		Name: aws.String("payroll"), Parameters: map[string]string{"pii_flag": "true"}}}); err != nil {
		t.Fatal(err)
	}
	if r, err := w.Resume(ctx, "db"); err != nil || r.State != lakeformation.RequestShared {
		t.Fatalf("resume: %+v %v", r, err)
	}
	for _, h := range heldBy(lf, consumerAccount) {
		if strings.Contains(h, "payroll") || strings.Contains(h, "ALL_TABLES") || strings.Contains(h, "sales.*") {
			t.Errorf("consumer holds %s", h)
		}
	}
}

func TestWorkflowResumesAfterFailures(t *testing.T) {
	ctx := context.Background()
	g := gluetest.New()
	seedCatalog(t, g)
	lf := lakeformationtest.New()
	store := lakeformation.NewMemoryStore()
	calls := 0
	n := lakeformation.NotifierFunc(func(context.Context, lakeformation.Request) error {
		calls++
		if calls == 1 {
			return errors.New("sns down")
		}
		return nil
	})
	w := lakeformation.NewSharingWorkflow(lf, g, store, n, func(o *lakeformation.Options) {
		o.Retry.Clock = datablocks.NewManualClock(time.Time{})
		o.Retry.MaxAttempts = 1
	})
	req := lakeformation.Request{ID: "r", ConsumerAccount: consumerAccount, Database: "sales", Table: "customers"}
	if _, err := w.Start(ctx, req); err == nil {
		t.Fatal("want the notifier's error")
	}
	if s, _ := store.Get(ctx, "r"); s.State != lakeformation.RequestPendingApproval || s.Notified {
		t.Fatalf("stored %+v", s)
	}
	r, err := w.Start(ctx, req)
	if err != nil || !r.Notified || calls != 2 {
		t.Fatalf("resumed: %+v %v (calls %d)", r, err, calls)
	}
	lf.FailNext("BatchGrantPermissions", errors.New("connection reset"))
	if _, err := w.Approve(ctx, "r", "owner"); err == nil {
		t.Fatal("want the grant error")
	}
	if s, _ := store.Get(ctx, "r"); s.State != lakeformation.RequestApproved {
		t.Fatalf("stored %s, want APPROVED", s.State)
	}
	r, err = w.Resume(ctx, "r")
	if err != nil || r.State != lakeformation.RequestShared {
		t.Fatalf("resume: %+v %v", r, err)
	}
	if _, err := w.Start(ctx, lakeformation.Request{ID: "r", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders"}); err == nil {
		t.Error("same ID for another table: want error")
	}
	if _, err := w.Start(ctx, lakeformation.Request{ID: "x", ConsumerAccount: "1", Database: "sales"}); err == nil {
		t.Error("bad account: want error")
	}
}
