// Command data-sharing runs the Lake Formation data-sharing workflow with approval: a consumer
// account requests a table; a table without PII is shared at once, a table with a pii_flag=true
// column waits for the data owner's approval (sent through SNS), then is shared.
//
// The program builds its Lake Formation and Glue clients from an aws.Config only. By default
// that config reaches a local endpoint (package localaws) serving the Lake Formation and Glue
// fakes, seeded with a sales database, and the program plays a whole scenario:
//
//	go run ./examples/data-sharing
//
// With -aws the config is config.LoadDefaultConfig's (the usual credential chain and region):
// it submits (or resumes) one request and, with -approve or -deny, decides it. Requests
// persist in -store. The same request flags work locally, against the seeded fakes; there the
// approval requests go to the local SNS topic unless -topic names another.
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
	lftypes "github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
	"github.com/datablocks-go/datablocks/localaws"
)

func main() {
	fs := flag.NewFlagSet("data-sharing", flag.ContinueOnError)
	useAWS := fs.Bool("aws", false, "use AWS (config.LoadDefaultConfig) instead of the local fakes")
	var a requestArgs
	fs.StringVar(&a.topic, "topic", "", "SNS topic ARN for approval requests (locally: the local DataLakeSharingApproval topic; with -aws and none: printed)")
	fs.StringVar(&a.consumer, "consumer", "", "consumer account ID of a new request")
	fs.StringVar(&a.database, "database", "", "requested database")
	fs.StringVar(&a.table, "table", "", "requested table; empty means the whole database, table by table")
	fs.StringVar(&a.id, "id", "", "request ID to submit, resume or decide (required with -aws)")
	fs.StringVar(&a.approve, "approve", "", "approve request -id as this approver")
	fs.StringVar(&a.deny, "deny", "", "deny request -id as this approver")
	fs.StringVar(&a.store, "store", "data-sharing-requests.json", "file persisting the requests")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "data-sharing: unexpected arguments:", strings.Join(fs.Args(), " "))
		os.Exit(2)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *useAWS, a); err != nil {
		fmt.Fprintln(os.Stderr, "data-sharing:", err)
		os.Exit(1)
	}
}

// run builds the aws.Config (local endpoint or AWS) and runs the scenario or one request.
func run(ctx context.Context, w io.Writer, useAWS bool, a requestArgs) error {
	var cfg aws.Config
	if useAWS {
		if a.id == "" {
			return errors.New("-id is required with -aws")
		}
		var err error
		if cfg, err = config.LoadDefaultConfig(ctx); err != nil {
			return err
		}
	} else {
		local, err := startLocal(ctx)
		if err != nil {
			return err
		}
		defer local.srv.Close()
		cfg = local.srv.Config()
		if a.topic == "" {
			a.topic = local.topic
		}
	}
	if a.id == "" {
		return runScenario(ctx, w, cfg, a.topic)
	}
	return runRequest(ctx, w, cfg, a)
}

const consumerAccount = "210987654321"

// seed creates the producer's catalog: sales.orders (no PII) and sales.customers (email
// flagged pii_flag=true).
func seed(ctx context.Context, g *gluetest.Fake) error {
	col := func(name, typ string, pii bool) gluetypes.Column {
		c := gluetypes.Column{Name: aws.String(name), Type: aws.String(typ)}
		if pii {
			c.Parameters = map[string]string{glue.ParamPIIFlag: "true"}
		}
		return c
	}
	if _, err := g.CreateDatabase(ctx, &awsglue.CreateDatabaseInput{DatabaseInput: &gluetypes.DatabaseInput{Name: aws.String("sales"),
		Parameters: map[string]string{glue.ParamDataOwner: "123456789012", glue.ParamDataOwnerName: "sales"}}}); err != nil {
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

// local is the local endpoint and the fakes behind it.
type local struct {
	srv     *localaws.Server
	lf      *lakeformationtest.Fake
	catalog *gluetest.Fake
	sns     *lakeformationtest.SNS
	topic   string
}

// startLocal seeds the Glue fake (a sales database) and the SNS fake (the
// DataLakeSharingApproval topic) and serves them with the Lake Formation fake on a loopback
// endpoint.
func startLocal(ctx context.Context) (*local, error) {
	catalog := gluetest.New()
	if err := seed(ctx, catalog); err != nil {
		return nil, err
	}
	lf := lakeformationtest.New()
	const region = "eu-west-1" // of the SNS topic's ARN and the local endpoint
	topics := lakeformationtest.NewSNS()
	topic := "arn:aws:sns:" + region + ":123456789012:DataLakeSharingApproval"
	topics.AddTopic(topic)
	srv, err := localaws.Start([]localaws.Service{lf.Service(), glueService(catalog), topics.Service()}, func(o *localaws.Options) { o.Region = region })
	if err != nil {
		return nil, err
	}
	return &local{srv: srv, lf: lf, catalog: catalog, sns: topics, topic: topic}, nil
}

// glueService serves the Glue Data Catalog calls of the workflow from the Glue fake:
// awsJson1.1, X-Amz-Target AWSGlue.<Operation>, signing name glue.
func glueService(g *gluetest.Fake) localaws.Service {
	return localaws.Service{
		SigningName:  "glue",
		Protocol:     localaws.AWSJSON11,
		TargetPrefix: "AWSGlue",
		Naming:       localaws.Pascal,
		Operations: []localaws.Operation{
			localaws.Op("GetDatabase", g.GetDatabase),
			localaws.Op("GetTable", g.GetTable),
			localaws.Op("GetTables", g.GetTables),
			localaws.Op("CreateDatabase", g.CreateDatabase),
			localaws.Op("CreateTable", g.CreateTable),
		},
	}
}

// runScenario plays the whole workflow: two requests, one approval (requested through the
// SNS topic), the grants that result.
func runScenario(ctx context.Context, w io.Writer, cfg aws.Config, topic string) error {
	lf := awslf.NewFromConfig(cfg)
	viaSNS := lakeformation.NewSNSNotifier(sns.NewFromConfig(cfg), topic)
	notifier := lakeformation.NotifierFunc(func(ctx context.Context, r lakeformation.Request) error {
		if err := viaSNS.RequestApproval(ctx, r); err != nil {
			return err
		}
		fmt.Fprintf(w, "  -> approval requested from the data owner for %s (%s) on SNS\n", r.ID, r.PIIReason)
		return nil
	})
	wf := lakeformation.NewSharingWorkflow(lf, awsglue.NewFromConfig(cfg), nil, notifier) // requests kept in memory

	fmt.Fprintln(w, "Consumer", consumerAccount, "requests sales.orders and sales.customers:")
	for _, req := range []lakeformation.Request{
		{ID: "req-orders", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders", Requester: "analyst@consumer.example"},
		{ID: "req-customers", ConsumerAccount: consumerAccount, Database: "sales", Table: "customers", Requester: "analyst@consumer.example"},
	} {
		r, err := wf.Start(ctx, req)
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

	again, err := wf.Start(ctx, lakeformation.Request{ID: "req-orders", ConsumerAccount: consumerAccount, Database: "sales", Table: "orders"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Resubmitting req-orders: %s (nothing repeated)\n", again.State)
	fmt.Fprintln(w, "Consumer account now holds (ListPermissions):")
	p := awslf.NewListPermissionsPaginator(lf, &awslf.ListPermissionsInput{Principal: &lftypes.DataLakePrincipal{DataLakePrincipalIdentifier: aws.String(consumerAccount)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, perm := range page.PrincipalResourcePermissions {
			fmt.Fprintf(w, "  %-42s %s (grantable: %s)\n", describe(perm.Resource), join(perm.Permissions), join(perm.PermissionsWithGrantOption))
		}
	}
	return nil
}

// describe names the database and table resources the workflow grants on, as
// lakeformation.Resource prints them.
func describe(r *lftypes.Resource) string {
	switch {
	case r.Database != nil:
		return "DATABASE " + aws.ToString(r.Database.CatalogId) + ":" + aws.ToString(r.Database.Name)
	case r.Table != nil:
		return "TABLE " + aws.ToString(r.Table.CatalogId) + ":" + aws.ToString(r.Table.DatabaseName) + "." + aws.ToString(r.Table.Name)
	case r.TableWithColumns != nil:
		t := r.TableWithColumns
		return "COLUMNS " + aws.ToString(t.CatalogId) + ":" + aws.ToString(t.DatabaseName) + "." + aws.ToString(t.Name) + " (all)"
	}
	return fmt.Sprintf("%+v", *r)
}

func join[T ~string](s []T) string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return strings.Join(out, ",")
}

// requestArgs are the flags of one request.
type requestArgs struct {
	topic, consumer, database, table, id, approve, deny, store string
}

// runRequest submits, resumes or decides one request, with clients built from cfg.
func runRequest(ctx context.Context, w io.Writer, cfg aws.Config, a requestArgs) error {
	store, err := openFileStore(a.store)
	if err != nil {
		return err
	}
	// Without -topic the approval request is printed; decide it with -approve or -deny.
	var notifier lakeformation.Notifier = lakeformation.NotifierFunc(func(_ context.Context, r lakeformation.Request) error {
		fmt.Fprintf(w, "approval needed for %s (%s): run with -id %s -approve <you>\n", r.ID, r.PIIReason, r.ID)
		return nil
	})
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
		r, err = wf.Start(ctx, lakeformation.Request{ID: a.id, ConsumerAccount: a.consumer, Database: a.database, Table: a.table})
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
