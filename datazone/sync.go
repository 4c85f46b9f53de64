package datazone

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	kafkatypes "github.com/aws/aws-sdk-go-v2/service/kafka/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/msk"
)

// TopicSync publishes the schemas of a Glue Schema Registry as MSK topic assets in DataZone
// (asset type MskTopicAssetType; one topic per schema, named after it) and keeps them in step:
// it creates the asset of a new schema, revises an asset only when its forms differ, and
// deletes the assets of schemas that are gone — only after every schema and every stored
// asset ID has been read. It is safe for concurrent use, but two syncs of the same source at
// the same time may both create an asset for a new schema whose forms differ between them;
// run one at a time (a reserved concurrency of 1 for a Lambda function).
type TopicSync struct {
	dz    AssetsAPIClient
	glue  glue.RegistryAPIClient
	kafka msk.BrokersAPIClient
	index AssetIndex
	opts  Options
}

// NewTopicSync returns a TopicSync writing assets with dz (a *datazone.Client), reading
// schemas with glueClient (a *glue.Client) and the cluster with kafkaClient (a *kafka.Client),
// and remembering asset IDs in index. It reads ClientOptions, GlueClientOptions,
// KafkaClientOptions and Logger.
func NewTopicSync(dz AssetsAPIClient, glueClient glue.RegistryAPIClient, kafkaClient msk.BrokersAPIClient, index AssetIndex, optFns ...func(*Options)) *TopicSync {
	return &TopicSync{dz: dz, glue: glueClient, kafka: kafkaClient, index: index, opts: apply(Options{}, optFns)}
}

// SyncInput names the source and where its assets go.
type SyncInput struct {
	// Domain and Project own the assets (Project is the owning project); required.
	Domain, Project string
	// ClusterARN is the MSK cluster the topics are on; required.
	ClusterARN string
	// RegistryName is the Glue registry; empty means "default-registry".
	RegistryName string
}

func (in SyncInput) validate() (msk.ClusterARN, error) {
	if err := validDomainID(in.Domain); err != nil {
		return msk.ClusterARN{}, fmt.Errorf("datazone: SyncInput.Domain: %w", err)
	}
	if err := validID(in.Project); err != nil {
		return msk.ClusterARN{}, fmt.Errorf("datazone: SyncInput.Project: %w", err)
	}
	c, err := msk.ParseClusterARN(in.ClusterARN)
	if err != nil {
		return msk.ClusterARN{}, fmt.Errorf("datazone: SyncInput.ClusterARN: %s", strings.TrimPrefix(err.Error(), "msk: "))
	}
	return c, nil
}

// SyncItem is what a sync did for one schema.
type SyncItem struct {
	// Schema is the schema's name (the index key and the topic name).
	Schema string
	// Action is Created, Updated (a new revision), Unchanged or Deleted; empty when Err is set.
	Action datablocks.Action
	// AssetID is the asset's ID, when known.
	AssetID string
	// Err is why the schema failed to sync, if it did.
	Err error
}

// SyncReport lists what a sync did, one item per schema in the registry's order, then the
// deleted ones.
type SyncReport struct {
	Items []SyncItem
}

// Count returns how many items had the action.
func (r *SyncReport) Count(a datablocks.Action) int {
	n := 0
	for _, it := range r.Items {
		if it.Err == nil && it.Action == a {
			n++
		}
	}
	return n
}

// Failed returns the items that failed.
func (r *SyncReport) Failed() []SyncItem {
	var out []SyncItem
	for _, it := range r.Items {
		if it.Err != nil {
			out = append(out, it)
		}
	}
	return out
}

// SyncError reports the schemas that failed to sync; the others were synced. errors.As finds
// the SDK's typed errors through it (Unwrap returns one error per failed item).
type SyncError struct {
	// Items are the failed items, Err set on each.
	Items []SyncItem
}

// Error names how many failed and the first failure.
func (e *SyncError) Error() string {
	first := e.Items[0]
	return fmt.Sprintf("datazone: %d schemas failed to sync; %s: %v", len(e.Items), first.Schema, first.Err)
}

// Unwrap returns the item errors.
func (e *SyncError) Unwrap() []error {
	out := make([]error, len(e.Items))
	for i, it := range e.Items {
		out[i] = it.Err
	}
	return out
}

// Sync brings every schema of the registry into DataZone: the function to call on a schedule.
// It reads the cluster (DescribeClusterV2, GetBootstrapBrokers), every page of the registry's
// schemas and every stored asset ID; if any of these fails, it returns the error and writes
// nothing. Then, per schema, it creates, revises or leaves the asset, and it deletes the
// assets of schemas no longer in the registry. The report lists every item; a non-nil error
// with a report is a *SyncError naming the schemas that failed, the others being done.
// Re-running after a crash converges: creations carry a client token derived from the
// domain, the topic ARN and the forms, so an asset created but not yet stored is returned
// again instead of duplicated.
func (s *TopicSync) Sync(ctx context.Context, in SyncInput) (*SyncReport, error) {
	return s.run(ctx, in, nil)
}

// SyncSchema brings one schema into DataZone, as Sync does for all: created or revised when
// it exists, its asset deleted when it does not. Other schemas are not touched.
func (s *TopicSync) SyncSchema(ctx context.Context, in SyncInput, schema string) (*SyncReport, error) {
	if schema == "" {
		return nil, errors.New("datazone: SyncSchema: schema name is required")
	}
	return s.run(ctx, in, &schema)
}

func (s *TopicSync) run(ctx context.Context, in SyncInput, only *string) (*SyncReport, error) {
	cluster, err := in.validate()
	if err != nil {
		return nil, err
	}
	if in.RegistryName == "" {
		in.RegistryName = "default-registry"
	}
	src, err := s.source(ctx, cluster)
	if err != nil {
		return nil, err
	}
	reg := glue.NewRegistry(s.glue, func(o *glue.Options) {
		o.RegistryName = in.RegistryName
		o.ClientOptions = s.opts.GlueClientOptions
	})
	var schemas []glue.Schema
	if only == nil {
		if schemas, err = reg.ListSchemas(ctx); err != nil {
			return nil, reprefix(err)
		}
	} else {
		sc, err := reg.GetSchema(ctx, *only, 0)
		var nf *gluetypes.EntityNotFoundException
		switch {
		case errors.As(err, &nf):
		case err != nil:
			return nil, reprefix(err)
		case sc.SchemaStatus != gluetypes.SchemaStatusDeleting:
			schemas = []glue.Schema{sc}
		}
	}
	ids, err := s.index.Load(ctx)
	if err != nil {
		return nil, err
	}
	report := &SyncReport{}
	present := map[string]bool{}
	for _, sc := range schemas {
		present[sc.Name] = true
		item := s.syncOne(ctx, in, src, sc, ids[sc.Name])
		report.Items = append(report.Items, item)
	}
	for _, key := range slices.Sorted(maps.Keys(ids)) {
		id := ids[key]
		if present[key] || only != nil && key != *only {
			continue
		}
		item := SyncItem{Schema: key, AssetID: id, Action: datablocks.Deleted}
		_, err := s.dz.DeleteAsset(ctx, &awsdz.DeleteAssetInput{DomainIdentifier: &in.Domain, Identifier: aws.String(id)}, s.opts.ClientOptions...)
		if err != nil && !isNotFound(err) {
			item.Action, item.Err = "", fmt.Errorf("delete asset %s: %w", id, err)
		} else if err := s.index.Delete(ctx, key); err != nil {
			item.Action, item.Err = "", err
		} else {
			logDebug(s.opts.Logger, "asset deleted", "schema", key, "asset", id)
		}
		report.Items = append(report.Items, item)
	}
	if failed := report.Failed(); len(failed) > 0 {
		return report, &SyncError{Items: failed}
	}
	return report, nil
}

// prefixed is an error of another datablocks package ("glue: …", "msk: …") shown with
// prefix instead of its own, so that messages carry one package prefix; errors.As still sees
// the chain.
type prefixed struct {
	prefix string
	err    error
}

func (e *prefixed) Error() string {
	msg := e.err.Error()
	if i := strings.Index(msg, ": "); i > 0 && !strings.Contains(msg[:i], " ") {
		msg = msg[i+2:]
	}
	return e.prefix + msg
}

func (e *prefixed) Unwrap() error { return e.err }

// reprefix gives a glue or msk error datazone's prefix.
func reprefix(err error) error { return &prefixed{"datazone: ", err} }

// unprefix drops a glue or msk error's prefix, for errors wrapped into a datazone error.
func unprefix(err error) error {
	if err == nil {
		return nil
	}
	return &prefixed{"", err}
}

// source is the cluster side of every asset.
type source struct {
	cluster     msk.ClusterARN
	clusterType string
	brokers     string
}

func (s *TopicSync) source(ctx context.Context, c msk.ClusterARN) (source, error) {
	arn := c.String()
	d, err := s.kafka.DescribeClusterV2(ctx, &awskafka.DescribeClusterV2Input{ClusterArn: &arn}, s.opts.KafkaClientOptions...)
	if err != nil {
		return source{}, fmt.Errorf("datazone: describe cluster %s: %w", arn, err)
	}
	typ := string(kafkatypes.ClusterTypeProvisioned)
	if d.ClusterInfo != nil && (d.ClusterInfo.ClusterType == kafkatypes.ClusterTypeServerless || d.ClusterInfo.Serverless != nil) {
		typ = string(kafkatypes.ClusterTypeServerless)
	}
	b, err := s.kafka.GetBootstrapBrokers(ctx, &awskafka.GetBootstrapBrokersInput{ClusterArn: &arn}, s.opts.KafkaClientOptions...)
	if err != nil {
		return source{}, fmt.Errorf("datazone: bootstrap brokers of %s: %w", arn, err)
	}
	brokers := aws.ToString(b.BootstrapBrokerStringSaslIam)
	if brokers == "" {
		brokers = aws.ToString(b.BootstrapBrokerStringPublicSaslIam)
	}
	if brokers == "" {
		return source{}, fmt.Errorf("datazone: cluster %s has no IAM bootstrap brokers; the topic assets name IAM brokers, which consumers of granted subscriptions use", arn)
	}
	return source{cluster: c, clusterType: typ, brokers: brokers}, nil
}

// registryARN derives a registry's ARN from one of its schemas' ARNs,
// arn:<p>:glue:<r>:<a>:schema/<registry>/<schema> → arn:<p>:glue:<r>:<a>:registry/<registry>.
func registryARN(schemaARN string) string {
	a, err := datablocks.ParseARN(schemaARN)
	if err != nil {
		return ""
	}
	parts := strings.Split(a.Resource, "/")
	if len(parts) != 3 || parts[0] != "schema" {
		return ""
	}
	return datablocks.Partition{ID: a.Partition}.ARN("glue", a.Region, a.AccountID, "registry/"+parts[1])
}

func (s *TopicSync) syncOne(ctx context.Context, in SyncInput, src source, sc glue.Schema, id string) SyncItem {
	item := SyncItem{Schema: sc.Name, AssetID: id}
	fail := func(err error) SyncItem { item.Action, item.Err = "", err; return item }
	asset := topicAsset{Cluster: src.cluster, ClusterType: src.clusterType, Brokers: src.brokers, RegistryARN: registryARN(sc.ARN), Schema: sc}
	forms, err := asset.Forms()
	if err != nil {
		return fail(errors.New(strings.TrimPrefix(err.Error(), "datazone: ")))
	}
	digest := formsDigest(asset.Topic(), forms)
	replaced := ""
	if id != "" {
		cur, err := s.dz.GetAsset(ctx, &awsdz.GetAssetInput{DomainIdentifier: &in.Domain, Identifier: aws.String(id)}, s.opts.ClientOptions...)
		switch {
		case isNotFound(err):
			// Deleted outside the sync: create it again now, not on the next run, with a
			// token of its own (the old creation's token would return the deleted asset).
			replaced = id
		case err != nil:
			return fail(fmt.Errorf("get asset %s: %w", id, err))
		default:
			if ext := aws.ToString(cur.ExternalIdentifier); ext != asset.ExternalID() {
				return fail(fmt.Errorf("asset %s has external identifier %q, not the topic ARN %q; revisions cannot change it, so delete the asset for the sync to create it again", id, ext, asset.ExternalID()))
			}
			if aws.ToString(cur.Name) == asset.Topic() && sameForms(forms, cur.FormsOutput) {
				item.Action = datablocks.Unchanged
				return item
			}
			_, err := s.dz.CreateAssetRevision(ctx, &awsdz.CreateAssetRevisionInput{
				DomainIdentifier: &in.Domain, Identifier: aws.String(id), Name: aws.String(asset.Topic()), FormsInput: forms,
				ClientToken: aws.String(clientToken("revise", in.Domain, id, digest)),
			}, s.opts.ClientOptions...)
			if err != nil {
				return fail(fmt.Errorf("revise asset %s: %w", id, err))
			}
			logDebug(s.opts.Logger, "asset revised", "schema", sc.Name, "asset", id)
			item.Action = datablocks.Updated
			return item
		}
	}
	out, err := s.dz.CreateAsset(ctx, &awsdz.CreateAssetInput{
		DomainIdentifier: &in.Domain, OwningProjectIdentifier: &in.Project, Name: aws.String(asset.Topic()),
		TypeIdentifier: aws.String(mskTopicAssetTypeName), ExternalIdentifier: aws.String(asset.ExternalID()), FormsInput: forms,
		ClientToken: aws.String(clientToken("create", in.Domain, asset.ExternalID(), digest, replaced)),
	}, s.opts.ClientOptions...)
	if err != nil {
		return fail(fmt.Errorf("create asset: %w", err))
	}
	item.AssetID = aws.ToString(out.Id)
	if err := s.index.Put(ctx, sc.Name, item.AssetID); err != nil {
		return fail(err)
	}
	logDebug(s.opts.Logger, "asset created", "schema", sc.Name, "asset", item.AssetID)
	item.Action = datablocks.Created
	return item
}

// formsDigest hashes the name and the canonical forms.
func formsDigest(name string, forms []types.FormInput) string {
	h := sha256.New()
	h.Write([]byte(name))
	for _, f := range forms {
		h.Write([]byte{0})
		h.Write([]byte(aws.ToString(f.FormName)))
		h.Write([]byte{0})
		h.Write([]byte(aws.ToString(f.Content))) // topicAsset.forms renders deterministically
	}
	return hex.EncodeToString(h.Sum(nil))
}

// clientToken derives a deterministic token of printable ASCII, 64 characters (the limit is
// 128), so a retried or re-run write is recognized by DataZone.
func clientToken(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:])
}

// sameForms compares the forms the sync writes with an asset's, content compared as JSON.
func sameForms(want []types.FormInput, have []types.FormOutput) bool {
	got := map[string]string{}
	for _, f := range have {
		got[aws.ToString(f.FormName)] = canonicalJSON(aws.ToString(f.Content))
	}
	for _, f := range want {
		c, ok := got[aws.ToString(f.FormName)]
		if !ok || c != canonicalJSON(aws.ToString(f.Content)) {
			return false
		}
	}
	return true
}

// canonicalJSON re-encodes JSON with sorted keys and no spaces; text that is not JSON is
// returned as is.
func canonicalJSON(s string) string {
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return s
	}
	return string(b)
}

// HandleSchemaEvent is the event trigger: it reads a Glue Schema Registry change, the
// CloudTrail event EventBridge forwards ("AWS API Call via CloudTrail", source aws.glue), and
// syncs the schema it names (SyncSchema). The schema is found wherever the call names it —
// requestParameters.schemaId (by name or by schemaArn), requestParameters.registryId with
// schemaName (CreateSchema), or responseElements.schemaArn — so RegisterSchemaVersion and
// DeleteSchema by ARN are understood; a call whose registry is not named is in
// default-registry, as in Glue. Reading is bounded as in Authorizer.HandleEvent. An event of
// another registry than in.RegistryName is not this source's: it returns an empty report and
// no error.
func (s *TopicSync) HandleSchemaEvent(ctx context.Context, in SyncInput, raw []byte) (*SyncReport, error) {
	ev, err := parseSchemaEvent(raw)
	if err != nil {
		return nil, err
	}
	reg := in.RegistryName
	if reg == "" {
		reg = "default-registry"
	}
	if ev.RegistryName != reg {
		return &SyncReport{}, nil
	}
	return s.SyncSchema(ctx, in, ev.SchemaName)
}
