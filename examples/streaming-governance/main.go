// Command streaming-governance governs a Kafka topic in Amazon DataZone end to end: it
// registers an Avro schema in the Glue Schema Registry, publishes the topic as a DataZone asset
// with the schema's columns in Athena types (datazone.TopicSync), sets up the consumer
// environment's subscription target, handles the subscription grant event
// (datazone.Authorizer with datazone.MSKTopicGranter) so that the consumer role gets its
// policy, reads the topic as the consumer over MSK IAM, and revokes the grant.
//
// By default everything runs locally: one local AWS endpoint (package localaws) serves the
// DataZone, IAM and SSM fakes (datazonetest), the Glue fake (gluetest) and the MSK control
// plane (msktest), whose cluster is a local MSK with TLS brokers that verify IAM tokens. The
// subscription portal steps (publishing the asset, approving the subscription) have no API in
// the fakes' services, so locally the DataZone fake takes them.
//
//	go run ./examples/streaming-governance
//	go run ./examples/streaming-governance -aws -domain dzd_abc -project prj1 -environment env1 \
//	    -cluster-arn arn:aws:kafka:eu-west-1:123456789012:cluster/events/... -registry streaming \
//	    -consumer-role arn:aws:iam::111122223333:role/consumer -manage-role arn:aws:iam::111122223333:role/dz-manage \
//	    -grant-event event.json
//
// With -aws the same helpers run against the account of the usual credential chain; the
// grant is the one of the EventBridge event in -grant-event (a "Subscription Grant Requested"
// or "Revoke Requested" event, as DataZone sends it), if given.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks/datazone"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

const avroOrders = `{"type":"record","name":"Order","namespace":"acme.sales","fields":[
  {"name":"id","type":"long"},
  {"name":"customer","type":["null","string"],"default":null},
  {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
  {"name":"placed_at","type":{"type":"long","logicalType":"timestamp-millis"}}]}`

type options struct {
	aws                          bool
	domain, project, environment string
	clusterARN, registry, schema string
	consumerRole, manageRole     string
	grantEvent, indexPrefix      string
}

func main() {
	var o options
	flag.BoolVar(&o.aws, "aws", false, "run against AWS instead of the local endpoint")
	flag.StringVar(&o.domain, "domain", "", "DataZone domain ID (with -aws)")
	flag.StringVar(&o.project, "project", "", "owning project ID of the asset type and assets (with -aws)")
	flag.StringVar(&o.environment, "environment", "", "consumer environment ID for the subscription target (with -aws)")
	flag.StringVar(&o.clusterARN, "cluster-arn", "", "MSK cluster ARN (with -aws)")
	flag.StringVar(&o.registry, "registry", "streaming", "Glue Schema Registry name")
	flag.StringVar(&o.schema, "schema", "orders", "schema (and topic) name")
	flag.StringVar(&o.consumerRole, "consumer-role", "", "consumer IAM role ARN (with -aws)")
	flag.StringVar(&o.manageRole, "manage-role", "", "subscription target manage-access role ARN (with -aws)")
	flag.StringVar(&o.grantEvent, "grant-event", "", "file with a DataZone subscription grant event to handle (with -aws)")
	flag.StringVar(&o.indexPrefix, "index-prefix", "", "SSM parameter path of the asset index; empty means /datazone/<domain>/<registry>")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "streaming-governance: unexpected arguments:", flag.Args())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "streaming-governance:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, o options) error {
	var (
		cfg aws.Config
		loc *local
	)
	if o.aws {
		for _, f := range []struct{ name, v string }{{"-domain", o.domain}, {"-project", o.project}, {"-environment", o.environment},
			{"-cluster-arn", o.clusterARN}, {"-consumer-role", o.consumerRole}, {"-manage-role", o.manageRole}} {
			if f.v == "" {
				return fmt.Errorf("-aws needs %s", f.name)
			}
		}
		c, err := msk.ParseClusterARN(o.clusterARN)
		if err != nil {
			return err
		}
		if cfg, err = config.LoadDefaultConfig(ctx, config.WithRegion(c.Region)); err != nil {
			return err
		}
	} else {
		var err error
		if loc, err = startLocal(o); err != nil {
			return err
		}
		defer loc.close()
		cfg = loc.cfg
		o.domain, o.project, o.environment, o.clusterARN = loc.domain, loc.project, loc.environment, loc.clusterARN
		o.consumerRole, o.manageRole = loc.consumerRole, loc.manageRole
		fmt.Fprintf(out, "local AWS endpoint: DataZone, IAM, SSM, Glue and MSK fakes; local MSK with %d IAM brokers\n", len(loc.cluster.Addrs()))
	}
	if o.indexPrefix == "" {
		o.indexPrefix = "/datazone/" + o.domain + "/" + o.registry
	}
	dz, gl, kf, im, sm := awsdz.NewFromConfig(cfg), awsglue.NewFromConfig(cfg), awskafka.NewFromConfig(cfg), iam.NewFromConfig(cfg), ssm.NewFromConfig(cfg)

	// 1. The MSK topic asset type, once per domain.
	ch, err := datazone.NewAssetTypes(dz).EnsureAssetType(ctx, datazone.Scope{Domain: o.domain, Project: o.project}, datazone.MskTopicAssetType)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "asset type %s: %s\n", datazone.MskTopicAssetType.Name, ch)

	// 2. An Avro schema in the registry: the topic's contract.
	if !o.aws {
		if _, err := gl.CreateRegistry(ctx, &awsglue.CreateRegistryInput{RegistryName: aws.String(o.registry)}); err != nil {
			return err
		}
	}
	v, err := glue.NewRegistry(gl, func(ro *glue.Options) { ro.RegistryName = o.registry }).
		Register(ctx, glue.Schema{Name: o.schema, DataFormat: gluetypes.DataFormatAvro, Definition: avroOrders})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "schema %s/%s version %d: %s\n", o.registry, o.schema, v.Version, v.Status)

	// 3. The registry synced into DataZone.
	sync := datazone.NewTopicSync(dz, gl, kf, datazone.NewSSMAssetIndex(sm, o.indexPrefix))
	in := datazone.SyncInput{Domain: o.domain, Project: o.project, ClusterARN: o.clusterARN, RegistryName: o.registry}
	report, err := sync.Sync(ctx, in)
	if err != nil {
		return err
	}
	var assetID string
	for _, it := range report.Items {
		fmt.Fprintf(out, "sync: %s %s (asset %s)\n", it.Schema, it.Action, it.AssetID)
		if it.Schema == o.schema {
			assetID = it.AssetID
		}
	}
	a, err := dz.GetAsset(ctx, &awsdz.GetAssetInput{DomainIdentifier: &o.domain, Identifier: &assetID})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "asset %s: external identifier %s\n", aws.ToString(a.Name), aws.ToString(a.ExternalIdentifier))
	for _, f := range a.FormsOutput {
		if aws.ToString(f.FormName) == "RelationalTableForm" { // DataZone's relational table form: the columns
			fmt.Fprintf(out, "columns: %s\n", aws.ToString(f.Content))
		}
	}

	// 4. The consumer environment's subscription target: who receives granted access.
	ch, err = datazone.NewSubscriptionTargets(dz).EnsureSubscriptionTarget(ctx, o.domain, o.environment, datazone.SubscriptionTarget{
		Name: "msk-topics", Provider: "datablocks", AuthorizedPrincipals: []string{o.consumerRole}, ManageAccessRole: o.manageRole})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "subscription target: %s\n", ch)

	// 5. The grant event, handled by the authorizer.
	auth := datazone.NewAuthorizer(dz, datazone.NewMSKTopicGranter(kf, im, func(g *datazone.Options) { g.GlueSchemaRegistry = true }))
	if o.aws {
		if o.grantEvent == "" {
			fmt.Fprintln(out, "no -grant-event: done")
			return nil
		}
		raw, err := os.ReadFile(o.grantEvent)
		if err != nil {
			return err
		}
		res, err := auth.HandleEvent(ctx, raw)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "grant: %s (replayed: %v)\n", res.Status, res.Replayed)
		return nil
	}
	listing := loc.dz.Publish(o.domain, assetID)
	target, err := loc.target(ctx, dz, o)
	if err != nil {
		return err
	}
	grant := loc.dz.RequestGrant(o.domain, listing, target)
	res, err := auth.HandleEvent(ctx, loc.dz.GrantEvent(o.domain, grant, false))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "grant: %s\n", res.Status)
	fmt.Fprintf(out, "consumer role policies: %s\n", strings.Join(loc.iam.RolePolicies(loc.consumerRoleName), ", "))

	// 6. The consumer reads the topic over MSK IAM.
	if err := loc.produceAndConsume(ctx, out, cfg, o.schema); err != nil {
		return err
	}

	// 7. Revoked: the policy is gone.
	loc.dz.RequestRevoke(o.domain, grant)
	if res, err = auth.HandleEvent(ctx, loc.dz.GrantEvent(o.domain, grant, true)); err != nil {
		return err
	}
	fmt.Fprintf(out, "revoke: %s\n", res.Status)
	fmt.Fprintf(out, "consumer role policies after revoke: %d\n", len(loc.iam.RolePolicies(loc.consumerRoleName)))
	fmt.Fprintf(out, "grant statuses: %v\n", loc.dz.GrantHistory(o.domain, grant))
	return nil
}

// local is the local stand-in for AWS.
type local struct {
	srv                                                 *localaws.Server
	cfg                                                 aws.Config
	dz                                                  *datazonetest.Fake
	iam                                                 *datazonetest.IAM
	cluster                                             *msktest.Cluster
	domain, project, environment, clusterARN            string
	consumerRole, consumerRoleName, manageRole, account string
}

func startLocal(o options) (*local, error) {
	l := &local{dz: datazonetest.New(), account: "222233334444"}
	l.iam = datazonetest.NewIAM(func(io *datazonetest.Options) { io.AccountID = l.account })
	gl := gluetest.New(func(g *gluetest.Options) { g.SchemaVersionDelay = -1 })
	cp := msktest.NewControlPlane()
	srv, err := localaws.Start([]localaws.Service{l.dz.Service(), l.iam.Service(), datazonetest.NewSSM().Service(), gl.Service(), cp.Service()})
	if err != nil {
		return nil, err
	}
	l.srv, l.cfg = srv, srv.Config()
	creds, err := l.cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		srv.Close()
		return nil, err
	}
	l.cluster, err = msktest.NewCluster(func(mo *msktest.ClusterOptions) {
		mo.SeedTopics = []string{o.schema}
		mo.Region = l.cfg.Region
		mo.Credentials = map[string]string{creds.AccessKeyID: creds.SecretAccessKey}
	})
	if err != nil {
		srv.Close()
		return nil, err
	}
	if l.clusterARN, err = cp.AddCluster(msktest.ClusterSpec{Name: "events", Region: l.cfg.Region, Addrs: l.cluster.Addrs()}); err != nil {
		l.close()
		return nil, err
	}
	l.domain = l.dz.CreateDomain("streaming-governance")
	l.project = l.dz.CreateProject(l.domain, "producer")
	l.environment = l.dz.CreateEnvironment(l.domain, l.dz.CreateProject(l.domain, "consumer"), l.account, l.cfg.Region)
	l.consumerRoleName = "orders-reader"
	l.consumerRole = l.iam.AddRole(l.consumerRoleName, "/service-role/")
	l.manageRole = "arn:aws:iam::" + l.account + ":role/datazone-manage-access"
	return l, nil
}

// target finds the subscription target the example ensured.
func (l *local) target(ctx context.Context, dz *awsdz.Client, o options) (string, error) {
	out, err := dz.ListSubscriptionTargets(ctx, &awsdz.ListSubscriptionTargetsInput{DomainIdentifier: &o.domain, EnvironmentIdentifier: &o.environment})
	if err != nil {
		return "", err
	}
	for _, t := range out.Items {
		if aws.ToString(t.Name) == "msk-topics" {
			return aws.ToString(t.Id), nil
		}
	}
	return "", fmt.Errorf("no subscription target msk-topics in environment %s", o.environment)
}

func (l *local) produceAndConsume(ctx context.Context, out io.Writer, cfg aws.Config, topic string) error {
	mech, err := msk.NewIAMMechanism(cfg)
	if err != nil {
		return err
	}
	brokers := l.cluster.Addrs()
	w := msk.NewWriter(brokers, topic, mech, l.cluster.ConnOptions)
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("1"), Value: []byte(`{"id":1}`)}); err != nil {
		return fmt.Errorf("producing: %w", err)
	}
	rc := msk.NewReaderConfig(brokers, topic, "orders-reader", mech, l.cluster.ConnOptions)
	rc.MaxWait = 100 * time.Millisecond
	r := kafka.NewReader(rc)
	defer r.Close()
	m, err := msk.FetchMessage(ctx, r)
	if err != nil {
		return fmt.Errorf("consuming: %w", err)
	}
	st := l.cluster.Stats()
	fmt.Fprintf(out, "consumer read %s over MSK IAM (%d IAM authentications, %d refusals)\n", m.Value, st.IAMAuthentications, st.AuthFailures+st.Unauthenticated)
	return nil
}

func (l *local) close() {
	if l.cluster != nil {
		l.cluster.Close()
	}
	l.srv.Close()
}
