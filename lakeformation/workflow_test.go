package lakeformation_test

import (
	"context"
	"errors"
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
	w := lakeformation.NewSharingWorkflow(g, lf, store, n, func(o *lakeformation.SharingWorkflowOptions) { o.Clock = clock })
	return w, lf, store, n
}

func heldBy(f *lakeformationtest.Fake, principal string) []string {
	var out []string
	for _, p := range f.Permissions() {
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
	return out
}

func TestWorkflowSharesNonPIITableAtOnce(t *testing.T) {
	ctx := context.Background()
	w, lf, _, n := newWorkflow(t)
	r, err := w.Submit(ctx, lakeformation.Request{ID: "req-1", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != lakeformation.RequestShared || r.PII || r.Decider != "auto" || len(n.got) != 0 {
		t.Fatalf("request %+v, notifications %d", r, len(n.got))
	}
	got := strings.Join(heldBy(lf, consumerAccount), "; ")
	want := "DATABASE 123456789012:sales DESCRIBE; COLUMNS 123456789012:sales.orders (all) SELECT; TABLE 123456789012:sales.orders DESCRIBE"
	if got != want {
		t.Errorf("consumer holds %s\nwant %s", got, want)
	}
	// Submitting again is a no-op.
	writes := lf.WriteCount()
	if r2, err := w.Submit(ctx, lakeformation.Request{ID: "req-1", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders"}); err != nil || r2.State != lakeformation.RequestShared {
		t.Fatalf("resubmit: %+v %v", r2, err)
	}
	if lf.WriteCount() != writes {
		t.Error("resubmitting a shared request wrote")
	}
}

func TestWorkflowPIIColumnNeedsApproval(t *testing.T) {
	ctx := context.Background()
	w, lf, store, n := newWorkflow(t)
	r, err := w.Submit(ctx, lakeformation.Request{ID: "req-2", ConsumerAccount: consumerAccount, Database: "sales", Table: "customers", Requester: "ana@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != lakeformation.RequestPendingApproval || !r.PII || r.PIIReason != "column sales.customers.email" || !r.Notified {
		t.Fatalf("request %+v", r)
	}
	if len(n.got) != 1 || n.got[0].ID != "req-2" {
		t.Fatalf("notifications %+v", n.got)
	}
	if lf.WriteCount() != 0 {
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
	// sales has a PII column in one of its three tables (on the second page of GetTables).
	r, err := w.Submit(ctx, lakeformation.Request{ID: "db-sales", ConsumerAccount: consumerAccount, Database: "sales"})
	if err != nil || r.State != lakeformation.RequestPendingApproval || r.PIIReason != "column sales.customers.email" {
		t.Fatalf("sales: %+v %v", r, err)
	}
	// hr is flagged as a database.
	r, err = w.Submit(ctx, lakeformation.Request{ID: "db-hr", ConsumerAccount: consumerAccount, Database: "hr"})
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
	got := strings.Join(heldBy(lf, consumerAccount), "; ")
	want := "DATABASE 123456789012:sales DESCRIBE; TABLE 123456789012:sales.* DESCRIBE,SELECT"
	if got != want {
		t.Errorf("consumer holds %s\nwant %s", got, want)
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
	w := lakeformation.NewSharingWorkflow(g, lf, store, n, func(o *lakeformation.SharingWorkflowOptions) {
		o.Clock = datablocks.NewManualClock(time.Time{})
		o.Retry.MaxAttempts = 1
	})
	req := lakeformation.Request{ID: "r", ConsumerAccount: consumerAccount, Database: "sales", Table: "customers"}
	if _, err := w.Submit(ctx, req); err == nil {
		t.Fatal("want the notifier's error")
	}
	if s, _ := store.Get(ctx, "r"); s.State != lakeformation.RequestPendingApproval || s.Notified {
		t.Fatalf("stored %+v", s)
	}
	r, err := w.Submit(ctx, req)
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
	if _, err := w.Submit(ctx, lakeformation.Request{ID: "r", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders"}); err == nil {
		t.Error("same ID for another table: want error")
	}
	if _, err := w.Submit(ctx, lakeformation.Request{ID: "x", ConsumerAccount: "1", Database: "sales"}); err == nil {
		t.Error("bad account: want error")
	}
}
