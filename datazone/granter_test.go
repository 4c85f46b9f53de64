package datazone_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/datazone"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

func granterSub(t *testing.T, clusterARN string, principals []string, schemaForm string) datazone.Subscription {
	t.Helper()
	return datazone.Subscription{
		Domain: "dzd_1", GrantID: "grant_1-x", AssetID: "asset-1", AssetType: datazone.MskTopicAssetTypeName,
		ConsumerAccount: consumerAccount, ConsumerRegion: "eu-west-1", Principals: principals,
		Forms: map[string]json.RawMessage{
			datazone.MskSourceReferenceFormName: json.RawMessage(`{"cluster_arn":"` + clusterARN + `","cluster_type":"PROVISIONED","bootstrap_brokers":"b:9098"}`),
			datazone.KafkaSchemaFormName:        json.RawMessage(schemaForm),
		},
	}
}

func statement(t *testing.T, kafka *msktest.ControlPlane, clusterARN string) (sids []string, principals []string) {
	t.Helper()
	pol, _, ok := kafka.ClusterPolicy(clusterARN)
	if !ok {
		return nil, nil
	}
	var p struct {
		Statement []struct {
			Sid       string
			Principal struct{ AWS any }
		}
	}
	if err := json.Unmarshal([]byte(pol), &p); err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Statement {
		sids = append(sids, s.Sid)
		switch v := s.Principal.AWS.(type) {
		case string:
			principals = append(principals, v)
		case []any:
			for _, x := range v {
				principals = append(principals, x.(string))
			}
		}
	}
	return sids, principals
}

// D17: granting again with other principals updates the statement (same Sid), and D15: a
// revoke removes it by Sid whatever its principals are now.
func TestMSKTopicGranterUpdatesAndRevokesBySid(t *testing.T) {
	ctx := context.Background()
	kafka, iamFake := msktest.NewControlPlane(), datazonetest.NewIAM(func(o *datazonetest.Options) { o.AccountID = consumerAccount })
	cluster, _ := kafka.AddCluster(msktest.ClusterSpec{Name: "events", UUID: "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"})
	a, b := iamFake.AddRole("a", ""), iamFake.AddRole("b", "/team/")
	g := datazone.NewMSKTopicGranter(kafka, iamFake)
	schema := `{"kafka_topic":"orders"}`
	if err := g.Grant(ctx, granterSub(t, cluster, []string{a}, schema)); err != nil {
		t.Fatal(err)
	}
	if err := g.Grant(ctx, granterSub(t, cluster, []string{a, b}, schema)); err != nil {
		t.Fatal(err)
	}
	sids, principals := statement(t, kafka, cluster)
	if len(sids) != 1 || !slices.Equal(principals, []string{a, b}) {
		t.Fatalf("after the second grant: sids %v principals %v", sids, principals)
	}
	if err := g.Revoke(ctx, granterSub(t, cluster, []string{a}, schema)); err != nil {
		t.Fatal(err)
	}
	if sids, _ := statement(t, kafka, cluster); len(sids) != 0 {
		t.Errorf("statement left after revoke: %v", sids)
	}
}

// D18 and D20: the consumer role policy holds only what reading needs: no VPC or EC2 actions,
// and no empty resource when the listing names no schema or registry ARN.
func TestMSKTopicGranterRolePolicyIsLeast(t *testing.T) {
	ctx := context.Background()
	kafka, iamFake := msktest.NewControlPlane(), datazonetest.NewIAM(func(o *datazonetest.Options) { o.AccountID = consumerAccount })
	cluster, _ := kafka.AddCluster(msktest.ClusterSpec{Name: "events", UUID: "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"})
	role := iamFake.AddRole("reader", "")
	g := datazone.NewMSKTopicGranter(kafka, iamFake, func(o *datazone.Options) { o.GlueSchemaRegistry = true })
	if err := g.Grant(ctx, granterSub(t, cluster, []string{role}, `{"kafka_topic":"orders","schema_arn":"","registry_arn":""}`)); err != nil {
		t.Fatal(err)
	}
	doc, ok := iamFake.RolePolicy("reader", "datazone-grant_1-x-asset-1")
	if !ok {
		t.Fatalf("no policy; have %v", iamFake.RolePolicies("reader"))
	}
	for _, bad := range []string{"ec2:", "kafka:CreateVpcConnection", `""`, "glue:GetSchema\""} {
		if strings.Contains(doc, bad) {
			t.Errorf("policy contains %s: %s", bad, doc)
		}
	}
	if !strings.Contains(doc, "glue:GetSchemaVersion") {
		t.Errorf("policy lacks glue:GetSchemaVersion for the deserializer: %s", doc)
	}
}

func TestMSKTopicGranterRejectsBadPrincipals(t *testing.T) {
	kafka, iamFake := msktest.NewControlPlane(), datazonetest.NewIAM()
	cluster, _ := kafka.AddCluster(msktest.ClusterSpec{Name: "events"})
	g := datazone.NewMSKTopicGranter(kafka, iamFake)
	for _, p := range []string{"arn:aws:iam::222233334444:user/u", "arn:aws-cn:iam::222233334444:role/r", "role/r"} {
		err := g.Grant(context.Background(), granterSub(t, cluster, []string{p}, `{"kafka_topic":"orders"}`))
		if err == nil || len(kafka.Calls())+len(iamFake.Calls()) != 0 {
			t.Errorf("Grant to %s = %v after %d calls; want an error before any call", p, err, len(kafka.Calls())+len(iamFake.Calls()))
		}
	}
}
