package datazone_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	dztypes "github.com/aws/aws-sdk-go-v2/service/datazone/types"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	kafkatypes "github.com/aws/aws-sdk-go-v2/service/kafka/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/datazone"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// maxFailureCause is the documented limit of a failure cause: 1 KB.
const maxFailureCause = 1024

const (
	producerAccount = "123456789012"
	consumerAccount = "222233334444"
)

type grantEnv struct {
	dz          *datazonetest.Fake
	kafka       *msktest.ControlPlane
	iam         *datazonetest.IAM
	auth        *datazone.Authorizer
	domain      string
	grant       string
	clusterARN  string
	roleA       string // with a path
	roleB       string
	listing     string
	target      string
	env         string
	clock       *datablocks.ManualClock
	dzClient    *ctxChecking
	consumerAcc string
}

// ctxChecking refuses calls whose context is already done, as the SDK does, so a test sees
// whether the authorizer used a fresh context for its final status.
type ctxChecking struct{ datazone.GrantsAPIClient }

func (c *ctxChecking) UpdateSubscriptionGrantStatus(ctx context.Context, in *awsdz.UpdateSubscriptionGrantStatusInput, o ...func(*awsdz.Options)) (*awsdz.UpdateSubscriptionGrantStatusOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.GrantsAPIClient.UpdateSubscriptionGrantStatus(ctx, in, o...)
}

func (c *ctxChecking) GetListing(ctx context.Context, in *awsdz.GetListingInput, o ...func(*awsdz.Options)) (*awsdz.GetListingOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.GrantsAPIClient.GetListing(ctx, in, o...)
}

func newGrantEnv(t *testing.T, consumer string, serverless bool) *grantEnv {
	t.Helper()
	ctx := context.Background()
	e := &grantEnv{dz: datazonetest.New(), kafka: msktest.NewControlPlane(), iam: datazonetest.NewIAM(func(o *datazonetest.Options) { o.AccountID = consumer }),
		clock: datablocks.NewManualClock(time.Time{}), consumerAcc: consumer}
	e.domain = e.dz.CreateDomain("d")
	producer := e.dz.CreateProject(e.domain, "producer")
	consumerProject := e.dz.CreateProject(e.domain, "consumer")
	if _, err := datazone.NewAssetTypes(e.dz).EnsureAssetType(ctx, datazone.Scope{Domain: e.domain, Project: producer}, datazone.MskTopicAssetType); err != nil {
		t.Fatal(err)
	}
	var err error
	if serverless {
		e.clusterARN, err = e.kafka.AddCluster(msktest.ClusterSpec{Serverless: true, Name: "events", UUID: "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-s"})
	} else {
		e.clusterARN, err = e.kafka.AddCluster(msktest.ClusterSpec{Name: "events", UUID: "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"})
	}
	if err != nil {
		t.Fatal(err)
	}
	c, _ := msk.ParseClusterARN(e.clusterARN)
	typ := "PROVISIONED"
	if serverless {
		typ = "SERVERLESS"
	}
	asset := datazone.TopicAsset{Cluster: c, ClusterType: typ, Brokers: "b-1:9098", RegistryARN: "arn:aws:glue:eu-west-1:123456789012:registry/streaming",
		Schema: glue.Schema{Name: "orders", ARN: "arn:aws:glue:eu-west-1:123456789012:schema/streaming/orders", DataFormat: gluetypes.DataFormatAvro,
			Version: 1, Definition: avroSchema("")}}
	forms, err := asset.Forms()
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.dz.CreateAsset(ctx, &awsdz.CreateAssetInput{DomainIdentifier: &e.domain, OwningProjectIdentifier: &producer, Name: aws.String("orders"),
		TypeIdentifier: aws.String(datazone.MskTopicAssetTypeName), ExternalIdentifier: aws.String(asset.ExternalID()), FormsInput: forms})
	if err != nil {
		t.Fatal(err)
	}
	e.listing = e.dz.Publish(e.domain, aws.ToString(a.Id))
	e.env = e.dz.CreateEnvironment(e.domain, consumerProject, consumer, "eu-west-1")
	e.roleA = e.iam.AddRole("consumer-app", "/service-role/")
	e.roleB = e.iam.AddRole("analytics", "")
	tg, err := e.dz.CreateSubscriptionTarget(ctx, &awsdz.CreateSubscriptionTargetInput{DomainIdentifier: &e.domain, EnvironmentIdentifier: &e.env,
		Name: aws.String("msk"), Type: aws.String("BaseSubscriptionTargetType"), ApplicableAssetTypes: []string{datazone.MskTopicAssetTypeName},
		AuthorizedPrincipals: []string{e.roleA, e.roleB}, ManageAccessRole: aws.String("arn:aws:iam::" + consumer + ":role/dz-manage"),
		SubscriptionTargetConfig: []dztypes.SubscriptionTargetForm{}})
	if err != nil {
		t.Fatal(err)
	}
	e.target = aws.ToString(tg.Id)
	e.grant = e.dz.RequestGrant(e.domain, e.listing, e.target)
	granter := datazone.NewMSKTopicGranter(e.kafka, e.iam, func(o *datazone.Options) {
		o.GlueSchemaRegistry = true
		o.Retry.Clock = e.clock
	})
	e.dzClient = &ctxChecking{e.dz}
	e.auth = datazone.NewAuthorizer(e.dzClient, granter)
	return e
}

func (e *grantEnv) handle(t *testing.T, ctx context.Context, revoke bool) (*datazone.GrantOutcome, error) {
	t.Helper()
	return e.auth.HandleEvent(ctx, e.dz.GrantEvent(e.domain, e.grant, revoke))
}

func (e *grantEnv) history() string {
	var s []string
	for _, h := range e.dz.GrantHistory(e.domain, e.grant) {
		s = append(s, string(h))
	}
	return strings.Join(s, ",")
}

func (e *grantEnv) writes() int {
	return e.iam.Count(datazonetest.OpPutRolePolicy) + e.iam.Count(datazonetest.OpDeleteRolePolicy) + e.kafka.Count(msktest.OpPutClusterPolicy) +
		e.kafka.Count(msktest.OpDeleteClusterPolicy) + e.dz.Count(datazonetest.OpUpdateSubscriptionGrantStatus)
}

func (e *grantEnv) resetCalls() {
	e.dz.ResetCalls()
	e.iam.ResetCalls()
	e.kafka.ResetCalls()
}

func TestAuthorizerGrantAndRevokeCrossAccount(t *testing.T) {
	ctx := context.Background()
	e := newGrantEnv(t, consumerAccount, false)
	out, err := e.handle(t, ctx, false)
	if err != nil || out.Status != dztypes.SubscriptionGrantStatusGranted {
		t.Fatalf("grant = %+v, %v", out, err)
	}
	if h := e.history(); h != "GRANT_PENDING,GRANT_IN_PROGRESS,GRANTED" {
		t.Errorf("history = %s", h)
	}
	// D19: the role with a path is named by its last segment, not "service-role".
	name := "datazone-" + e.grant + "-" + e.dz.Assets(e.domain)[0]
	for _, role := range []string{"consumer-app", "analytics"} {
		doc, ok := e.iam.RolePolicy(role, name)
		if !ok {
			t.Fatalf("role %s has no policy %s; has %v", role, name, e.iam.RolePolicies(role))
		}
		for _, want := range []string{`"kafka-cluster:Connect"`, `"kafka-cluster:ReadData"`, "topic/events/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2/orders",
			"arn:aws:glue:eu-west-1:123456789012:schema/streaming/orders"} {
			if !strings.Contains(doc, want) {
				t.Errorf("policy of %s lacks %s: %s", role, want, doc)
			}
		}
	}
	// D13/D21: a statement whose Action is a list and whose Sid has only letters and digits.
	pol, _, ok := e.kafka.ClusterPolicy(e.clusterARN)
	if !ok {
		t.Fatal("no cluster policy")
	}
	var p struct {
		Statement []struct {
			Sid       string
			Action    []string
			Principal struct{ AWS []string }
		}
	}
	if err := json.Unmarshal([]byte(pol), &p); err != nil || len(p.Statement) != 1 {
		t.Fatalf("cluster policy %s: %v", pol, err)
	}
	st := p.Statement[0]
	if strings.IndexFunc(st.Sid, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') }) >= 0 ||
		!slices.Contains(st.Action, "kafka-cluster:ReadData") || !slices.Equal(st.Principal.AWS, []string{e.roleA, e.roleB}) {
		t.Errorf("statement = %+v", st)
	}

	// A replayed grant event writes nothing.
	e.resetCalls()
	out, err = e.handle(t, ctx, false)
	if err != nil || !out.Replayed || e.writes() != 0 {
		t.Fatalf("replayed grant = %+v, %v, %d writes", out, err, e.writes())
	}

	e.dz.RequestRevoke(e.domain, e.grant)
	out, err = e.handle(t, ctx, true)
	if err != nil || out.Status != dztypes.SubscriptionGrantStatusRevoked {
		t.Fatalf("revoke = %+v, %v", out, err)
	}
	if len(e.iam.RolePolicies("consumer-app"))+len(e.iam.RolePolicies("analytics")) != 0 {
		t.Errorf("policies left after revoke")
	}
	if _, _, ok := e.kafka.ClusterPolicy(e.clusterARN); ok {
		t.Errorf("cluster policy left after its last statement was revoked")
	}
	// D16: a replayed revoke succeeds without writing.
	e.resetCalls()
	out, err = e.handle(t, ctx, true)
	if err != nil || !out.Replayed || e.writes() != 0 {
		t.Fatalf("replayed revoke = %+v, %v, %d writes", out, err, e.writes())
	}
}

// D16 again, from the granter's side: a revoke where nothing is left to remove succeeds.
func TestAuthorizerRevokeWithNothingInPlace(t *testing.T) {
	e := newGrantEnv(t, consumerAccount, false)
	if _, err := e.handle(t, context.Background(), false); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"consumer-app", "analytics"} {
		for _, n := range e.iam.RolePolicies(role) {
			_, _ = e.iam.DeleteRolePolicy(context.Background(), &iam.DeleteRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(n)})
		}
	}
	if _, err := e.kafka.DeleteClusterPolicy(context.Background(), &kafkaDeleteInput{ClusterArn: aws.String(e.clusterARN)}); err != nil {
		t.Fatal(err)
	}
	e.dz.RequestRevoke(e.domain, e.grant)
	out, err := e.handle(t, context.Background(), true)
	if err != nil || out.Status != dztypes.SubscriptionGrantStatusRevoked {
		t.Fatalf("revoke = %+v, %v", out, err)
	}
}

func TestAuthorizerSameAccountWritesNoClusterPolicy(t *testing.T) {
	e := newGrantEnv(t, producerAccount, false)
	if out, err := e.handle(t, context.Background(), false); err != nil || out.Status != dztypes.SubscriptionGrantStatusGranted {
		t.Fatalf("grant = %+v, %v", out, err)
	}
	if n := e.kafka.Count(msktest.OpPutClusterPolicy) + e.kafka.Count(msktest.OpGetClusterPolicy); n != 0 {
		t.Errorf("%d cluster policy calls for a same-account grant", n)
	}
}

func TestAuthorizerServerlessCrossAccountFails(t *testing.T) {
	e := newGrantEnv(t, consumerAccount, true)
	out, err := e.handle(t, context.Background(), false)
	if err == nil || out.Status != dztypes.SubscriptionGrantStatusGrantFailed || !strings.Contains(e.dz.GrantFailureCause(e.domain, e.grant), "Serverless") {
		t.Fatalf("grant = %+v, %v, cause %q", out, err, e.dz.GrantFailureCause(e.domain, e.grant))
	}
	if e.iam.Count(datazonetest.OpPutRolePolicy) != 0 {
		t.Errorf("consumer side written for a grant that cannot work")
	}
}

// Every call the authorizer and the granter make fails once: the grant always ends in
// GRANT_FAILED with a cause of at most 1 KB (D23: DSF left timeouts in GRANT_IN_PROGRESS).
func TestAuthorizerEveryFailureEndsFailed(t *testing.T) {
	type failer struct {
		name string
		fail func(e *grantEnv, err error)
	}
	boom := &dztypes.InternalServerException{Message: aws.String(strings.Repeat("x", 3000))}
	var cases []failer
	for _, op := range []string{datazonetest.OpGetSubscriptionGrant, datazonetest.OpUpdateSubscriptionGrantStatus, datazonetest.OpGetListing,
		datazonetest.OpGetEnvironment, datazonetest.OpGetSubscriptionTarget} {
		cases = append(cases, failer{op, func(e *grantEnv, err error) { e.dz.FailNext(op, err) }})
	}
	for _, op := range []string{msktest.OpDescribeClusterV2, msktest.OpGetClusterPolicy, msktest.OpPutClusterPolicy} {
		cases = append(cases, failer{op, func(e *grantEnv, err error) {
			e.kafka.FailNext(op, &kafkatypes.BadRequestException{Message: aws.String("bad")})
		}})
	}
	for _, op := range []string{datazonetest.OpListRolePolicies, datazonetest.OpPutRolePolicy} {
		cases = append(cases, failer{op, func(e *grantEnv, err error) { e.iam.FailNext(op, &smithyErr{"ServiceFailure"}) }})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newGrantEnv(t, consumerAccount, false)
			tc.fail(e, boom)
			out, err := e.handle(t, context.Background(), false)
			var gf *datazone.GrantFailedError
			if !errors.As(err, &gf) || gf.StatusErr != nil || out.Status != dztypes.SubscriptionGrantStatusGrantFailed {
				t.Fatalf("Handle = %+v, %v", out, err)
			}
			if h := e.history(); !strings.HasSuffix(h, ",GRANT_FAILED") {
				t.Errorf("history = %s", h)
			}
			cause := e.dz.GrantFailureCause(e.domain, e.grant)
			if cause == "" || len(cause) > maxFailureCause {
				t.Errorf("failure cause has %d bytes: %q", len(cause), cause)
			}
		})
	}
}

// A context that ends in any step (cancelled by the caller or past the deadline) still ends
// in GRANT_FAILED: the final status goes out on a fresh context.
func TestAuthorizerCancelledInEveryStep(t *testing.T) {
	steps := []struct {
		name    string
		control func(e *grantEnv, fn func(any) (any, error, bool))
	}{
		{"GetSubscriptionGrant", func(e *grantEnv, fn func(any) (any, error, bool)) {
			e.dz.Control(datazonetest.OpGetSubscriptionGrant, fn)
		}},
		{"UpdateSubscriptionGrantStatus", func(e *grantEnv, fn func(any) (any, error, bool)) {
			e.dz.Control(datazonetest.OpUpdateSubscriptionGrantStatus, fn)
		}},
		{"GetListing", func(e *grantEnv, fn func(any) (any, error, bool)) { e.dz.Control(datazonetest.OpGetListing, fn) }},
		{"GetEnvironment", func(e *grantEnv, fn func(any) (any, error, bool)) { e.dz.Control(datazonetest.OpGetEnvironment, fn) }},
		{"GetSubscriptionTarget", func(e *grantEnv, fn func(any) (any, error, bool)) {
			e.dz.Control(datazonetest.OpGetSubscriptionTarget, fn)
		}},
		{"DescribeClusterV2", func(e *grantEnv, fn func(any) (any, error, bool)) { e.kafka.Control(msktest.OpDescribeClusterV2, fn) }},
		{"PutClusterPolicy", func(e *grantEnv, fn func(any) (any, error, bool)) { e.kafka.Control(msktest.OpPutClusterPolicy, fn) }},
		{"PutRolePolicy", func(e *grantEnv, fn func(any) (any, error, bool)) { e.iam.Control(datazonetest.OpPutRolePolicy, fn) }},
	}
	for _, st := range steps {
		for _, kind := range []error{context.Canceled, context.DeadlineExceeded} {
			t.Run(fmt.Sprintf("%s/%v", st.name, kind), func(t *testing.T) {
				e := newGrantEnv(t, consumerAccount, false)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				st.control(e, func(any) (any, error, bool) {
					cancel() // the caller gives up, or its deadline passes, during this call
					return nil, kind, true
				})
				out, err := e.handle(t, ctx, false)
				if err == nil || !errors.Is(err, kind) || out.Status != dztypes.SubscriptionGrantStatusGrantFailed {
					t.Fatalf("Handle = %+v, %v", out, err)
				}
				if h := e.history(); !strings.HasSuffix(h, ",GRANT_FAILED") {
					t.Errorf("history = %s", h)
				}
			})
		}
	}
	// The authorizer's own Timeout: already over at the first call.
	e := newGrantEnv(t, consumerAccount, false)
	out, err := e.auth.HandleEvent(context.Background(), e.dz.GrantEvent(e.domain, e.grant, false), func(o *datazone.Options) { o.Timeout = time.Nanosecond })
	if !errors.Is(err, context.DeadlineExceeded) || out.Status != dztypes.SubscriptionGrantStatusGrantFailed {
		t.Fatalf("HandleEvent past its timeout = %+v, %v", out, err)
	}
}

// A grant whose producer side is done but one consumer role fails is reported side by side.
func TestAuthorizerHalfAppliedGrant(t *testing.T) {
	e := newGrantEnv(t, consumerAccount, false)
	puts := 0
	e.iam.KeepControl(datazonetest.OpPutRolePolicy, func(any) (any, error, bool) {
		puts++
		if puts == 2 { // the first role passes, the second fails
			return nil, &smithyErr{"ServiceFailure"}, true
		}
		return nil, nil, false
	})
	out, err := e.handle(t, context.Background(), false)
	var ae *datazone.GrantApplyError
	if !errors.As(err, &ae) || !ae.ProducerApplied || ae.ProducerErr != nil || len(ae.Roles) != 2 || ae.Roles[0].Err != nil || ae.Roles[1].Err == nil {
		t.Fatalf("Handle = %+v, %v", out, err)
	}
	cause := e.dz.GrantFailureCause(e.domain, e.grant)
	if !strings.Contains(cause, "producer done") || !strings.Contains(cause, "consumer-app done") || !strings.Contains(cause, "analytics failed") ||
		strings.Count(err.Error(), "datazone:") != 1 {
		t.Errorf("failure cause %q does not say which side applied", cause)
	}
}

// The role's 10,240-character inline policy budget is checked before writing.
func TestAuthorizerInlinePolicyBudget(t *testing.T) {
	e := newGrantEnv(t, consumerAccount, false)
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/` + strings.Repeat("k", 9500) + `"}]}`
	if _, err := e.iam.PutRolePolicy(context.Background(), &iam.PutRolePolicyInput{RoleName: aws.String("analytics"), PolicyName: aws.String("big"), PolicyDocument: aws.String(big)}); err != nil {
		t.Fatal(err)
	}
	e.iam.ResetCalls()
	_, err := e.handle(t, context.Background(), false)
	if err == nil || !strings.Contains(err.Error(), "10240") {
		t.Fatalf("Handle = %v; want the budget named", err)
	}
	for _, c := range e.iam.Calls() {
		if in, ok := c.Input.(*iam.PutRolePolicyInput); ok && aws.ToString(in.RoleName) == "analytics" {
			t.Errorf("PutRolePolicy sent for the role over budget")
		}
	}
}

// D22: a listing without the schema form fails with a clear cause instead of a crash.
func TestAuthorizerListingWithoutSchemaForm(t *testing.T) {
	e := newGrantEnv(t, consumerAccount, false)
	e.dz.Control(datazonetest.OpGetListing, func(in any) (any, error, bool) {
		out, err := e.dz.GetListing(context.Background(), in.(*awsdz.GetListingInput))
		if err != nil {
			return nil, err, true
		}
		item := out.Item.(*dztypes.ListingItemMemberAssetListing)
		var forms map[string]json.RawMessage
		_ = json.Unmarshal([]byte(aws.ToString(item.Value.Forms)), &forms)
		delete(forms, datazone.KafkaSchemaFormName)
		b, _ := json.Marshal(forms)
		item.Value.Forms = aws.String(string(b))
		return out, nil, true
	})
	_, err := e.handle(t, context.Background(), false)
	if err == nil || !strings.Contains(e.dz.GrantFailureCause(e.domain, e.grant), "KafkaSchemaForm") {
		t.Fatalf("Handle = %v, cause %q", err, e.dz.GrantFailureCause(e.domain, e.grant))
	}
}

// D14: a concurrent cluster policy change (version conflict) is retried, not fatal.
func TestAuthorizerRetriesPolicyVersionConflict(t *testing.T) {
	e := newGrantEnv(t, consumerAccount, false)
	e.kafka.FailNext(msktest.OpPutClusterPolicy, &kafkatypes.ConflictException{Message: aws.String("The version of the cluster policy isn't current")})
	out, err := e.handle(t, context.Background(), false)
	if err != nil || out.Status != dztypes.SubscriptionGrantStatusGranted || e.kafka.Count(msktest.OpPutClusterPolicy) != 2 {
		t.Fatalf("Handle = %+v, %v, %d puts", out, err, e.kafka.Count(msktest.OpPutClusterPolicy))
	}
}

type kafkaDeleteInput = awskafka.DeleteClusterPolicyInput

// The revoke path, each call failing once, ends in REVOKE_FAILED; and a grant whose role
// already holds a policy reads it (GetRolePolicy) and fails cleanly when that read fails.
func TestAuthorizerEveryRevokeFailureEndsFailed(t *testing.T) {
	fail := map[string]func(e *grantEnv){
		datazonetest.OpGetSubscriptionGrant: func(e *grantEnv) {
			e.dz.FailNext(datazonetest.OpGetSubscriptionGrant, &smithyErr{"InternalServerException"})
		},
		datazonetest.OpUpdateSubscriptionGrantStatus: func(e *grantEnv) {
			e.dz.FailNext(datazonetest.OpUpdateSubscriptionGrantStatus, &smithyErr{"InternalServerException"})
		},
		datazonetest.OpGetListing:     func(e *grantEnv) { e.dz.FailNext(datazonetest.OpGetListing, &smithyErr{"InternalServerException"}) },
		datazonetest.OpGetEnvironment: func(e *grantEnv) { e.dz.FailNext(datazonetest.OpGetEnvironment, &smithyErr{"InternalServerException"}) },
		datazonetest.OpGetSubscriptionTarget: func(e *grantEnv) {
			e.dz.FailNext(datazonetest.OpGetSubscriptionTarget, &smithyErr{"InternalServerException"})
		},
		datazonetest.OpDeleteRolePolicy: func(e *grantEnv) { e.iam.FailNext(datazonetest.OpDeleteRolePolicy, &smithyErr{"ServiceFailure"}) },
		msktest.OpGetClusterPolicy: func(e *grantEnv) {
			e.kafka.FailNext(msktest.OpGetClusterPolicy, &kafkatypes.BadRequestException{Message: aws.String("bad")})
		},
		msktest.OpDeleteClusterPolicy: func(e *grantEnv) {
			e.kafka.FailNext(msktest.OpDeleteClusterPolicy, &kafkatypes.BadRequestException{Message: aws.String("bad")})
		},
	}
	for name, inject := range fail {
		t.Run(name, func(t *testing.T) {
			e := newGrantEnv(t, consumerAccount, false)
			if _, err := e.handle(t, context.Background(), false); err != nil {
				t.Fatal(err)
			}
			e.dz.RequestRevoke(e.domain, e.grant)
			inject(e)
			out, err := e.handle(t, context.Background(), true)
			var gf *datazone.GrantFailedError
			if !errors.As(err, &gf) || gf.StatusErr != nil || out.Status != dztypes.SubscriptionGrantStatusRevokeFailed {
				t.Fatalf("revoke = %+v, %v", out, err)
			}
			if c := e.dz.GrantFailureCause(e.domain, e.grant); c == "" || len(c) > maxFailureCause {
				t.Errorf("failure cause %q", c)
			}
		})
	}
	t.Run(datazonetest.OpGetRolePolicy, func(t *testing.T) {
		e := newGrantEnv(t, consumerAccount, false)
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
		if _, err := e.iam.PutRolePolicy(context.Background(), &iam.PutRolePolicyInput{RoleName: aws.String("analytics"), PolicyName: aws.String("own"), PolicyDocument: &doc}); err != nil {
			t.Fatal(err)
		}
		e.iam.FailNext(datazonetest.OpGetRolePolicy, &smithyErr{"ServiceFailure"})
		out, err := e.handle(t, context.Background(), false)
		if err == nil || out.Status != dztypes.SubscriptionGrantStatusGrantFailed {
			t.Fatalf("grant = %+v, %v", out, err)
		}
	})
}
