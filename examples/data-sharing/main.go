// Command data-sharing runs the Lake Formation data-sharing workflow with approval: a consumer
// account requests a table; a table without PII is shared at once, a table with a pii_flag=true
// column waits for the data owner's approval (sent through SNS), then is shared.
//
// By default it runs locally against the in-memory Glue and Lake Formation fakes:
//
//	go run ./examples/data-sharing
//
// With -aws it runs against the account of the default credential chain: it submits (or
// resumes) one request and, with -approve or -deny, decides it. Requests persist in -store.
//
//	go run ./examples/data-sharing -aws -topic arn:aws:sns:eu-west-1:123456789012:DataLakeSharingApproval \
//	    -consumer 210987654321 -database sales -table customers -id req-1
//	go run ./examples/data-sharing -aws -id req-1 -approve data-owner@example.com
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func main() {
	useAWS := flag.Bool("aws", false, "run against AWS instead of the local fakes")
	topic := flag.String("topic", "", "SNS topic ARN for approval requests (with -aws)")
	consumer := flag.String("consumer", "", "consumer account ID (with -aws)")
	database := flag.String("database", "", "requested database (with -aws)")
	table := flag.String("table", "", "requested table; empty means the whole database (with -aws)")
	id := flag.String("id", "", "request ID (with -aws)")
	approve := flag.String("approve", "", "approve request -id as this approver (with -aws)")
	deny := flag.String("deny", "", "deny request -id as this approver (with -aws)")
	storePath := flag.String("store", "data-sharing-requests.json", "file persisting the requests (with -aws)")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var err error
	if *useAWS {
		err = runAWS(ctx, os.Stdout, awsArgs{topic: *topic, consumer: *consumer, database: *database, table: *table,
			id: *id, approve: *approve, deny: *deny, store: *storePath})
	} else {
		err = runLocal(ctx, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "data-sharing:", err)
		os.Exit(1)
	}
}

const consumerAccount = "210987654321"

// seed creates the producer's catalog: sales.orders (no PII) and sales.customers (email
// flagged pii_flag=true).
func seed(ctx context.Context, g *gluetest.Fake) error {
	col := func(name, typ string, pii bool) gluetypes.Column {
		c := gluetypes.Column{Name: aws.String(name), Type: aws.String(typ)}
		if pii {
			c.Parameters = map[string]string{lakeformation.PIIFlagParameter: "true"}
		}
		return c
	}
	if _, err := g.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &gluetypes.DatabaseInput{Name: aws.String("sales"),
		Parameters: map[string]string{lakeformation.DataOwnerParameter: "123456789012", lakeformation.DataOwnerNameParameter: "sales"}}}); err != nil {
		return err
	}
	for name, cols := range map[string][]gluetypes.Column{
		"orders":    {col("order_id", "bigint", false), col("amount", "decimal(10,2)", false)},
		"customers": {col("customer_id", "bigint", false), col("email", "string", true)},
	} {
		if _, err := g.CreateTable(ctx, &awsglue.CreateTableInput{DatabaseName: aws.String("sales"), TableInput: &gluetypes.TableInput{
			Name: aws.String(name), StorageDescriptor: &gluetypes.StorageDescriptor{Columns: cols}}}); err != nil {
			return err
		}
	}
	return nil
}

func runLocal(ctx context.Context, w io.Writer) error {
	catalog := gluetest.New()
	if err := seed(ctx, catalog); err != nil {
		return err
	}
	lf := lakeformationtest.New()
	store := lakeformation.NewMemoryStore()
	notifier := lakeformation.NotifierFunc(func(_ context.Context, r lakeformation.Request) error {
		fmt.Fprintf(w, "  -> approval requested from the data owner for %s (%s)\n", r.ID, r.PIIReason)
		return nil
	})
	wf := lakeformation.NewSharingWorkflow(lf, catalog, store, notifier)

	fmt.Fprintln(w, "Consumer", consumerAccount, "requests sales.orders and sales.customers:")
	for _, req := range []lakeformation.Request{
		{ID: "req-orders", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders", Requester: "analyst@consumer.example"},
		{ID: "req-customers", ConsumerAccount: consumerAccount, Database: "sales", Table: "customers", Requester: "analyst@consumer.example"},
	} {
		r, err := wf.Submit(ctx, req)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s: %s\n", r.ID, r.State)
	}
	r, err := wf.Approve(ctx, "req-customers", "owner@producer.example")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Data owner approves %s: %s\n", r.ID, r.State)

	fmt.Fprintln(w, "Consumer account now holds:")
	for _, p := range lf.Permissions() {
		res, err := lakeformation.ResourceFromSDK(p.Resource)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-42s %s (grantable: %s)\n", res, join(p.Permissions), join(p.PermissionsWithGrantOption))
	}
	writes := lf.WriteCount()
	if _, err := wf.Submit(ctx, lakeformation.Request{ID: "req-orders", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders"}); err != nil {
		return err
	}
	fmt.Fprintf(w, "Resubmitting req-orders: %d new Lake Formation writes\n", lf.WriteCount()-writes)
	return nil
}

func join[T ~string](s []T) string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return strings.Join(out, ",")
}

type awsArgs struct {
	topic, consumer, database, table, id, approve, deny, store string
}

func runAWS(ctx context.Context, w io.Writer, a awsArgs) error {
	if a.id == "" {
		return errors.New("-id is required with -aws")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	store, err := openFileStore(a.store)
	if err != nil {
		return err
	}
	var notifier lakeformation.Notifier
	if a.topic != "" {
		notifier = lakeformation.NewSNSNotifier(sns.NewFromConfig(cfg), a.topic)
	}
	wf := lakeformation.NewSharingWorkflow(awslf.NewFromConfig(cfg), awsglue.NewFromConfig(cfg), store, notifier)
	var r lakeformation.Request
	switch {
	case a.approve != "":
		r, err = wf.Approve(ctx, a.id, a.approve)
	case a.deny != "":
		r, err = wf.Deny(ctx, a.id, a.deny, "denied from the command line")
	case a.consumer != "":
		r, err = wf.Submit(ctx, lakeformation.Request{ID: a.id, ConsumerAccount: a.consumer, Database: a.database, Table: a.table})
	default:
		r, err = wf.Resume(ctx, a.id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s", r.ID, r.State)
	if r.PIIReason != "" {
		fmt.Fprintf(w, " (PII: %s)", r.PIIReason)
	}
	fmt.Fprintln(w)
	return nil
}

// fileStore is a RequestStore in a JSON file, so that a request submitted in one run can be
// approved in the next.
type fileStore struct {
	mu   sync.Mutex
	path string
}

func openFileStore(path string) (*fileStore, error) {
	if path == "" {
		return nil, errors.New("-store is required")
	}
	return &fileStore{path: path}, nil
}

func (s *fileStore) load() (map[string]lakeformation.Request, error) {
	m := map[string]lakeformation.Request{}
	b, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	return m, json.Unmarshal(b, &m)
}

// Get reads the request from the file.
func (s *fileStore) Get(_ context.Context, id string) (lakeformation.Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.load()
	if err != nil {
		return lakeformation.Request{}, err
	}
	r, ok := m[id]
	if !ok {
		return r, lakeformation.ErrRequestNotFound
	}
	return r, nil
}

// Put writes the request to the file.
func (s *fileStore) Put(_ context.Context, r lakeformation.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.load()
	if err != nil {
		return err
	}
	m[r.ID] = r
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(s.path, b, 0o600)
}
