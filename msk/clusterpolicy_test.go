package msk_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/kafka/types"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/awsfake"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// consumeStatementJSON is the statement for analyticsGrant, written from the MSK multi-VPC
// cross-account documentation and the DataZone cross-account consume example.
func consumeStatementJSON(clusterARN, sid, topic string) string {
	c, _ := msk.ParseClusterARN(clusterARN)
	return `{
	  "Sid": "` + sid + `",
	  "Effect": "Allow",
	  "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:role/analytics"]},
	  "Action": [
	    "kafka-cluster:Connect",
	    "kafka-cluster:DescribeTopic",
	    "kafka-cluster:ReadData",
	    "kafka-cluster:DescribeGroup",
	    "kafka-cluster:AlterGroup",
	    "kafka:CreateVpcConnection",
	    "kafka:GetBootstrapBrokers",
	    "kafka:DescribeCluster",
	    "kafka:DescribeClusterV2"
	  ],
	  "Resource": [
	    "` + clusterARN + `",
	    "arn:aws:kafka:eu-west-1:` + c.AccountID + `:topic/` + c.Name + `/` + c.UUID + `/` + topic + `",
	    "arn:aws:kafka:eu-west-1:` + c.AccountID + `:group/` + c.Name + `/` + c.UUID + `/*"
	  ]
	}`
}

// grant holds GrantConsumer's arguments.
type grant struct {
	sid        string
	principals []string
	access     msk.ConsumerAccess
}

func analyticsGrant(clusterARN, sid, topic string) grant {
	return grant{
		sid:        sid,
		principals: []string{"444455556666", "arn:aws:iam::777788889999:role/analytics"},
		access:     msk.ConsumerAccess{ClusterARN: clusterARN, Topics: []string{topic}},
	}
}

func grantConsumer(ctx context.Context, cps *msk.ClusterPolicies, g grant, optFns ...func(*msk.Options)) (datablocks.Change, error) {
	return cps.GrantConsumer(ctx, g.sid, g.principals, g.access, optFns...)
}

// assertStoredPolicy compares the policy in the fake with statements given as JSON.
func assertStoredPolicy(t *testing.T, cp *msktest.ControlPlane, arn string, statements ...string) {
	t.Helper()
	policy, _, ok := cp.ClusterPolicy(arn)
	if !ok {
		t.Fatal("cluster has no policy")
	}
	var got, want any
	if err := json.Unmarshal([]byte(policy), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"Version":"2012-10-17","Statement":[`+strings.Join(statements, ",")+`]}`), &want); err != nil {
		t.Fatalf("expected JSON: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored policy (-want +got):\n%s", diff)
	}
}

func newPolicyFixture(t *testing.T) (*msktest.ControlPlane, *datablocks.ManualClock, *msk.ClusterPolicies, string) {
	t.Helper()
	clock := datablocks.NewManualClock(time.Time{})
	cp := msktest.NewControlPlane(func(o *msktest.Options) { o.Clock = clock })
	arn := addProvisioned(t, cp, msktest.ClusterSpec{Name: "orders", AccountID: "111122223333"})
	cps := msk.NewClusterPolicies(cp, func(o *msk.Options) { o.Retry.Clock = clock })
	return cp, clock, cps, arn
}

func ops(cp *msktest.ControlPlane) []string {
	var out []string
	for _, c := range cp.Calls() {
		out = append(out, c.Op)
	}
	return out
}

func TestGrantConsumerCreatesAndIsIdempotent(t *testing.T) {
	ctx := context.Background()
	cp, _, cps, arn := newPolicyFixture(t)
	res, err := grantConsumer(ctx, cps, analyticsGrant(arn, "AnalyticsConsume", "orders"))
	if err != nil {
		t.Fatal(err)
	}
	_, version, _ := cp.ClusterPolicy(arn)
	if diff := cmp.Diff(datablocks.Change{Action: datablocks.Created}, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	assertStoredPolicy(t, cp, arn, consumeStatementJSON(arn, "AnalyticsConsume", "orders"))
	if diff := cmp.Diff([]string{"DescribeClusterV2", "GetClusterPolicy", "PutClusterPolicy"}, ops(cp)); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if put := cp.Calls()[2].Input.(*awskafka.PutClusterPolicyInput); put.CurrentVersion != nil {
		t.Errorf("first put sent CurrentVersion %q, want none", *put.CurrentVersion)
	}

	// The same grant again writes nothing.
	res, err = grantConsumer(ctx, cps, analyticsGrant(arn, "AnalyticsConsume", "orders"))
	if err != nil {
		t.Fatal(err)
	}
	if _, again, _ := cp.ClusterPolicy(arn); res.Action != datablocks.Unchanged || again != version {
		t.Errorf("repeat grant = %+v at version %s, want unchanged at version %s", res, again, version)
	}
	if n := cp.Count(msktest.OpPutClusterPolicy); n != 1 {
		t.Errorf("PutClusterPolicy called %d times, want 1", n)
	}
}

func TestGrantConsumerKeepsOtherStatementsAndReplacesBySid(t *testing.T) {
	ctx := context.Background()
	cp, _, cps, arn := newPolicyFixture(t)
	if _, err := grantConsumer(ctx, cps, analyticsGrant(arn, "First", "orders")); err != nil {
		t.Fatal(err)
	}
	_, v1, _ := cp.ClusterPolicy(arn)
	if _, err := grantConsumer(ctx, cps, analyticsGrant(arn, "Second", "payments")); err != nil {
		t.Fatal(err)
	}
	last := cp.Calls()[len(cp.Calls())-1].Input.(*awskafka.PutClusterPolicyInput)
	if aws.ToString(last.CurrentVersion) != v1 {
		t.Errorf("second put CurrentVersion = %q, want %q", aws.ToString(last.CurrentVersion), v1)
	}
	assertStoredPolicy(t, cp, arn, consumeStatementJSON(arn, "First", "orders"), consumeStatementJSON(arn, "Second", "payments"))
	// Re-granting First with another topic replaces it in place.
	if _, err := grantConsumer(ctx, cps, analyticsGrant(arn, "First", "refunds")); err != nil {
		t.Fatal(err)
	}
	assertStoredPolicy(t, cp, arn, consumeStatementJSON(arn, "First", "refunds"), consumeStatementJSON(arn, "Second", "payments"))
}

func TestGrantConsumerRetriesVersionConflict(t *testing.T) {
	ctx := context.Background()
	cp, clock, cps, arn := newPolicyFixture(t)
	if _, err := cp.SetClusterPolicy(arn, `{"Version":"2012-10-17","Statement":[`+consumeStatementJSON(arn, "Seed", "seed")+`]}`); err != nil {
		t.Fatal(err)
	}
	// Another writer adds its statement between our read and our write.
	cp.Control(msktest.OpPutClusterPolicy, func(any) (any, error, bool) {
		if _, err := cp.SetClusterPolicy(arn, `{"Version":"2012-10-17","Statement":[`+consumeStatementJSON(arn, "Seed", "seed")+`,`+consumeStatementJSON(arn, "Other", "audit")+`]}`); err != nil {
			t.Error(err)
		}
		return nil, nil, false
	})
	res, err := grantConsumer(ctx, cps, analyticsGrant(arn, "Mine", "orders"))
	if err != nil {
		t.Fatal(err)
	}
	if n := cp.Count(msktest.OpPutClusterPolicy); n != 2 || res.Action != datablocks.Updated || !slices.Equal(res.Changed, []string{"Mine"}) {
		t.Errorf("result = %+v after %d writes, want Mine updated after 2", res, n)
	}
	assertStoredPolicy(t, cp, arn, consumeStatementJSON(arn, "Seed", "seed"), consumeStatementJSON(arn, "Other", "audit"), consumeStatementJSON(arn, "Mine", "orders"))
	var conflicts int
	for _, c := range cp.Calls() {
		var ce *types.ConflictException
		if errors.As(c.Err, &ce) {
			conflicts++
		}
	}
	if conflicts != 1 {
		t.Errorf("%d conflicts recorded, want 1", conflicts)
	}
	if sleeps := clock.Sleeps(); len(sleeps) != 1 || sleeps[0] != 100*time.Millisecond { // Retry.MinDelay zero
		t.Errorf("sleeps = %v, want one of 100ms", sleeps)
	}
}

func TestGrantConsumerGivesUpAfterMaxAttempts(t *testing.T) {
	ctx := context.Background()
	cp, clock, cps, arn := newPolicyFixture(t)
	cp.KeepControl(msktest.OpPutClusterPolicy, func(any) (any, error, bool) {
		return nil, &types.ConflictException{Message: aws.String("version mismatch")}, true
	})
	_, err := grantConsumer(ctx, cps, analyticsGrant(arn, "Mine", "orders"), func(o *msk.Options) { o.Retry.MaxAttempts = 4 })
	var ce *types.ConflictException
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a ConflictException", err)
	}
	if n := cp.Count(msktest.OpPutClusterPolicy); n != 4 {
		t.Errorf("PutClusterPolicy called %d times, want 4", n)
	}
	sleeps := clock.Sleeps()
	if len(sleeps) != 3 {
		t.Fatalf("sleeps = %v, want 3", sleeps)
	}
	for _, d := range sleeps {
		if d < 100*time.Millisecond || d > 30*time.Second { // Retry.MinDelay and MaxDelay zero
			t.Errorf("sleep %v outside [100ms, 30s]", d)
		}
	}
}

// TestGrantConsumerRetryOptions checks that Retry's delays replace the defaults: with jitter 1
// each delay is the backoff cap, MinDelay doubled per retry up to MaxDelay.
func TestGrantConsumerRetryOptions(t *testing.T) {
	cp, clock, cps, arn := newPolicyFixture(t)
	cp.KeepControl(msktest.OpPutClusterPolicy, func(any) (any, error, bool) {
		return nil, &types.ConflictException{Message: aws.String("version mismatch")}, true
	})
	_, err := grantConsumer(context.Background(), cps, analyticsGrant(arn, "Mine", "orders"), func(o *msk.Options) {
		o.Retry = datablocks.RetryOptions{MaxAttempts: 4, MinDelay: time.Second, MaxDelay: 4 * time.Second, Clock: clock, Jitter: func() float64 { return 1 }}
	})
	if ce := (*types.ConflictException)(nil); !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a version conflict", err)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}
	if sleeps := clock.Sleeps(); !slices.Equal(sleeps, want) {
		t.Errorf("sleeps = %v, want %v", sleeps, want)
	}
}

func TestGrantConsumerRetriesThrottling(t *testing.T) {
	cp, _, cps, arn := newPolicyFixture(t)
	cp.ThrottleNext(msktest.OpGetClusterPolicy, 2)
	res, err := grantConsumer(context.Background(), cps, analyticsGrant(arn, "Mine", "orders"))
	if err != nil {
		t.Fatal(err)
	}
	if n := cp.Count(msktest.OpGetClusterPolicy); n != 3 || res.Action != datablocks.Created {
		t.Errorf("result %+v after %d reads, want created after 3", res, n)
	}
}

func TestRevoke(t *testing.T) {
	ctx := context.Background()
	cp, _, cps, arn := newPolicyFixture(t)
	for _, sid := range []string{"First", "Second"} {
		if _, err := grantConsumer(ctx, cps, analyticsGrant(arn, sid, "orders")); err != nil {
			t.Fatal(err)
		}
	}
	res, err := cps.Revoke(ctx, arn, "First")
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != datablocks.Updated || !slices.Equal(res.Changed, []string{"First"}) {
		t.Errorf("first revoke = %+v", res)
	}
	assertStoredPolicy(t, cp, arn, consumeStatementJSON(arn, "Second", "orders"))

	// Revoking an absent Sid writes nothing.
	puts := cp.Count(msktest.OpPutClusterPolicy)
	if res, err := cps.Revoke(ctx, arn, "First"); err != nil || res.Action != datablocks.Unchanged {
		t.Errorf("revoke of absent Sid = %+v, %v", res, err)
	}
	if cp.Count(msktest.OpPutClusterPolicy) != puts {
		t.Error("revoke of an absent Sid wrote the policy")
	}

	// The last statement deletes the policy.
	res, err = cps.Revoke(ctx, arn, "Second")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(datablocks.Change{Action: datablocks.Deleted}, res); diff != "" {
		t.Errorf("last revoke (-want +got):\n%s", diff)
	}
	if _, _, ok := cp.ClusterPolicy(arn); ok {
		t.Error("policy still exists")
	}
	if n := cp.Count(msktest.OpDeleteClusterPolicy); n != 1 {
		t.Errorf("DeleteClusterPolicy called %d times", n)
	}
	// Without a policy, revoke is a no-op.
	if res, err := cps.Revoke(ctx, arn, "Second"); err != nil || res.Action != datablocks.Unchanged {
		t.Errorf("revoke without policy = %+v, %v", res, err)
	}
}

func TestRevokeRetriesWhenPolicyMovesBeforeDelete(t *testing.T) {
	ctx := context.Background()
	cp, _, cps, arn := newPolicyFixture(t)
	if _, err := grantConsumer(ctx, cps, analyticsGrant(arn, "Only", "orders")); err != nil {
		t.Fatal(err)
	}
	// Between Revoke's read and its pre-delete check, another writer adds a statement.
	reads := 0
	cp.KeepControl(msktest.OpGetClusterPolicy, func(any) (any, error, bool) {
		reads++
		if reads == 2 {
			if _, err := cp.SetClusterPolicy(arn, `{"Version":"2012-10-17","Statement":[`+consumeStatementJSON(arn, "Only", "orders")+`,`+consumeStatementJSON(arn, "Late", "audit")+`]}`); err != nil {
				t.Error(err)
			}
		}
		return nil, nil, false
	})
	res, err := cps.Revoke(ctx, arn, "Only")
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != datablocks.Updated || reads != 3 || cp.Count(msktest.OpDeleteClusterPolicy) != 0 {
		t.Errorf("result = %+v after %d reads, want a rewrite on the second attempt", res, reads)
	}
	assertStoredPolicy(t, cp, arn, consumeStatementJSON(arn, "Late", "audit"))
}

func TestGrantConsumerServerless(t *testing.T) {
	ctx := context.Background()
	cp := msktest.NewControlPlane()
	arn, err := cp.AddCluster(msktest.ClusterSpec{Serverless: true, Name: "sls", AccountID: "111122223333"})
	if err != nil {
		t.Fatal(err)
	}
	cps := msk.NewClusterPolicies(cp, func(o *msk.Options) { o.Retry.Clock = datablocks.NewManualClock(time.Time{}) })
	_, err = grantConsumer(ctx, cps, analyticsGrant(arn, "Cross", "orders"))
	if !errors.Is(err, msk.ErrServerlessCrossAccount) || !strings.Contains(err.Error(), "444455556666") {
		t.Fatalf("err = %v, want ErrServerlessCrossAccount naming the principal", err)
	}
	if n := cp.Count(msktest.OpGetClusterPolicy); n != 0 {
		t.Errorf("policy read %d times after a serverless cross-account refusal", n)
	}
	// Same-account principals are not cross-account.
	g := analyticsGrant(arn, "Local", "orders")
	g.principals = []string{"arn:aws:iam::111122223333:role/reader"}
	if _, err := grantConsumer(ctx, cps, g); err != nil {
		t.Errorf("same-account grant on serverless: %v", err)
	}
}

func TestGrantConsumerValidation(t *testing.T) {
	cp, _, cps, arn := newPolicyFixture(t)
	for _, tc := range []struct {
		name    string
		mutate  func(*grant)
		wantErr string
	}{
		{"no sid", func(g *grant) { g.sid = "" }, "Sid: is required"},
		{"bad sid", func(g *grant) { g.sid = "my-sid" }, `contains '-'`},
		{"no principals", func(g *grant) { g.principals = nil }, "at least one principal"},
		{"bad principal", func(g *grant) { g.principals = []string{"alice"} }, "principals[0]"},
		{"s3 principal", func(g *grant) { g.principals = []string{"arn:aws:s3:::bucket"} }, "principals[0]"},
		{"other partition", func(g *grant) { g.principals = []string{"arn:aws-cn:iam::444455556666:root"} }, `partition "aws-cn"`},
		{"no topics", func(g *grant) { g.access.Topics = nil }, "Topics"},
		{"bad group", func(g *grant) { g.access.Groups = []string{"a b"} }, "Groups[0]"},
		{"bad cluster", func(g *grant) { g.access.ClusterARN = "arn:aws:kafka:eu-west-1:111122223333:cluster/x" }, "ClusterARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := analyticsGrant(arn, "Valid", "orders")
			tc.mutate(&g)
			_, err := grantConsumer(context.Background(), cps, g)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "msk: ") {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
	if _, err := cps.Revoke(context.Background(), arn, "bad sid"); err == nil {
		t.Error("Revoke accepted a bad Sid")
	}
	if n := len(cp.Calls()); n != 0 {
		t.Errorf("%d calls made for invalid input", n)
	}
}

// Wire tests of the cluster policy calls through the real SDK client.

const wireProvisionedJSON = `{"clusterInfo":{"clusterArn":"` + wireClusterARN + `","clusterName":"orders","clusterType":"PROVISIONED","state":"ACTIVE",
  "provisioned":{"clientAuthentication":{"sasl":{"iam":{"enabled":true}}},"numberOfBrokerNodes":3}}}`

func TestGrantConsumerWire(t *testing.T) {
	s := awsfake.New(t)
	existing := `{"Version":"2012-10-17","Statement":[{"Sid":"Existing","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"kafka-cluster:Connect","Resource":"` + wireClusterARN + `"}]}`
	s.HandleREST("DescribeClusterV2", "GET", "/api/v2/clusters/{clusterArn}", func(r *awsfake.Request) (any, error) { return wireProvisionedJSON, nil })
	s.HandleREST("GetClusterPolicy", "GET", "/v1/clusters/{clusterArn}/policy", func(r *awsfake.Request) (any, error) {
		b, _ := json.Marshal(map[string]string{"currentVersion": "K1EXAMPLE", "policy": existing})
		return b, nil
	})
	puts := 0
	s.HandleREST("PutClusterPolicy", "PUT", "/v1/clusters/{clusterArn}/policy", func(r *awsfake.Request) (any, error) {
		puts++
		if puts == 1 {
			return nil, &awsfake.Error{Status: 409, Code: "ConflictException", Message: "The policy version does not match."}
		}
		return `{"currentVersion":"K2EXAMPLE"}`, nil
	})
	cps := msk.NewClusterPolicies(awskafka.NewFromConfig(s.Config()), func(o *msk.Options) { o.Retry.Clock = datablocks.NewManualClock(time.Time{}) })
	res, err := grantConsumer(context.Background(), cps, analyticsGrant(wireClusterARN, "AnalyticsConsume", "orders"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(datablocks.Change{Action: datablocks.Updated, Changed: []string{"AnalyticsConsume"}}, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	const escaped = "arn%3Aaws%3Akafka%3Aeu-west-1%3A111122223333%3Acluster%2Forders%2Fa1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
	reqs := s.Ops("PutClusterPolicy")
	if len(reqs) != 2 {
		t.Fatalf("%d PutClusterPolicy requests", len(reqs))
	}
	for _, r := range s.Requests() {
		if !r.Verified {
			t.Errorf("%s not verified", r.Op)
		}
	}
	r := reqs[1]
	if r.Path != "/v1/clusters/"+escaped+"/policy" || r.Method != "PUT" {
		t.Errorf("PutClusterPolicy %s %s", r.Method, r.Path)
	}
	var body struct {
		CurrentVersion string `json:"currentVersion"`
		Policy         string `json:"policy"`
	}
	if err := r.JSON(&body); err != nil {
		t.Fatal(err)
	}
	if len(r.Map()) != 2 || body.CurrentVersion != "K1EXAMPLE" {
		t.Errorf("PutClusterPolicy body = %s, want exactly currentVersion K1EXAMPLE and policy", r.Body)
	}
	var got, want any
	_ = json.Unmarshal([]byte(body.Policy), &got)
	wantJSON := `{"Version":"2012-10-17","Statement":[
	  {"Sid":"Existing","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"kafka-cluster:Connect","Resource":"` + wireClusterARN + `"},
	  ` + consumeStatementJSON(wireClusterARN, "AnalyticsConsume", "orders") + `]}`
	if err := json.Unmarshal([]byte(wantJSON), &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("policy sent (-want +got):\n%s", diff)
	}
}

func TestRevokeWire(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("GetClusterPolicy", "GET", "/v1/clusters/{clusterArn}/policy", func(r *awsfake.Request) (any, error) {
		if len(s.Ops("DeleteClusterPolicy")) > 0 {
			return nil, &awsfake.Error{Status: 404, Code: "NotFoundException", Message: "no policy"}
		}
		p := `{"Version":"2012-10-17","Statement":[` + consumeStatementJSON(wireClusterARN, "AnalyticsConsume", "orders") + `]}`
		b, _ := json.Marshal(map[string]string{"currentVersion": "K1EXAMPLE", "policy": p})
		return b, nil
	})
	s.HandleREST("DeleteClusterPolicy", "DELETE", "/v1/clusters/{clusterArn}/policy", func(r *awsfake.Request) (any, error) {
		if r.PathParams["clusterArn"] != wireClusterARN || len(r.Body) > 0 && string(r.Body) != "{}" {
			t.Errorf("DeleteClusterPolicy arn %q body %q", r.PathParams["clusterArn"], r.Body)
		}
		return nil, nil
	})
	cps := msk.NewClusterPolicies(awskafka.NewFromConfig(s.Config()))
	res, err := cps.Revoke(context.Background(), wireClusterARN, "AnalyticsConsume")
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != datablocks.Deleted || len(s.Ops("DeleteClusterPolicy")) != 1 {
		t.Errorf("result %+v, deletes %d", res, len(s.Ops("DeleteClusterPolicy")))
	}
	// Again: GetClusterPolicy now says NotFound, so nothing happens.
	res, err = cps.Revoke(context.Background(), wireClusterARN, "AnalyticsConsume")
	if err != nil || res.Action != datablocks.Unchanged {
		t.Errorf("second revoke = %+v, %v", res, err)
	}
}

func TestGrantConsumerSingleAttempt(t *testing.T) {
	cp, clock, cps, arn := newPolicyFixture(t)
	cp.FailNext(msktest.OpPutClusterPolicy, &types.ConflictException{Message: aws.String("stale")})
	_, err := grantConsumer(context.Background(), cps, analyticsGrant(arn, "Mine", "orders"), func(o *msk.Options) { o.Retry.MaxAttempts = 1 })
	if ce := (*types.ConflictException)(nil); !errors.As(err, &ce) || !strings.Contains(err.Error(), "giving up after 1 attempts") {
		t.Fatalf("err = %v", err)
	}
	if n := cp.Count(msktest.OpPutClusterPolicy); n != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("%d puts, sleeps %v; want 1 put and no sleep", n, clock.Sleeps())
	}
}
