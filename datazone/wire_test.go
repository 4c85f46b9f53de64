package datazone_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	dztypes "github.com/aws/aws-sdk-go-v2/service/datazone/types"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/datazone"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// Every helper of the package through the real datazone, iam, ssm, glue and kafka clients,
// over localaws: the wire test of each operation the helpers call.
func TestHelpersOverTheWire(t *testing.T) {
	ctx := context.Background()
	dz, im, sm := datazonetest.New(), datazonetest.NewIAM(func(o *datazonetest.Options) { o.AccountID = consumerAccount }), datazonetest.NewSSM()
	gl := gluetest.New(func(o *gluetest.Options) { o.PageSize = 2; o.SchemaVersionDelay = -1 })
	kf := msktest.NewControlPlane()
	srv, err := localaws.Start([]localaws.Service{dz.Service(), im.Service(), sm.Service(), gl.Service(), kf.Service()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := srv.Config()
	dzc, iamc, ssmc, gluec, kafkac := awsdz.NewFromConfig(cfg), iam.NewFromConfig(cfg), ssm.NewFromConfig(cfg), awsglue.NewFromConfig(cfg), awskafka.NewFromConfig(cfg)

	domain := dz.CreateDomain("d")
	producer := dz.CreateProject(domain, "producer")
	scope := datazone.Scope{Domain: domain, Project: producer}
	types := datazone.NewAssetTypes(dzc)
	if ch, err := types.EnsureAssetType(ctx, scope, datazone.MskTopicAssetType); err != nil || ch.Action != datablocks.Created {
		t.Fatalf("EnsureAssetType = %v, %v", ch, err)
	}
	if ch, err := types.EnsureAssetType(ctx, scope, datazone.MskTopicAssetType); err != nil || ch.Action != datablocks.Unchanged {
		t.Fatalf("EnsureAssetType again = %v, %v", ch, err)
	}

	clusterARN, err := kf.AddCluster(msktest.ClusterSpec{Name: "events", UUID: "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gluec.CreateRegistry(ctx, &awsglue.CreateRegistryInput{RegistryName: aws.String(registry)}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"orders", "payments", "refunds"} {
		if _, err := gluec.CreateSchema(ctx, &awsglue.CreateSchemaInput{RegistryId: &gluetypes.RegistryId{RegistryName: aws.String(registry)}, SchemaName: aws.String(n),
			DataFormat: gluetypes.DataFormatAvro, Compatibility: gluetypes.CompatibilityBackward, SchemaDefinition: aws.String(avroSchema(""))}); err != nil {
			t.Fatal(err)
		}
	}
	index := datazone.NewSSMAssetIndex(ssmc, "/datazone/"+domain+"/"+registry)
	sync := datazone.NewTopicSync(dzc, gluec, kafkac, index)
	in := datazone.SyncInput{Domain: domain, Project: producer, ClusterARN: clusterARN, RegistryName: registry}
	if r, err := sync.Sync(ctx, in); err != nil || counts(r) != "created=3 updated=0 unchanged=0 deleted=0 failed=0" {
		t.Fatalf("Sync = %v, %v", counts(r), err)
	}
	if _, err := gluec.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: &gluetypes.SchemaId{RegistryName: aws.String(registry), SchemaName: aws.String("orders")},
		SchemaDefinition: aws.String(avroSchema(`,{"name":"note","type":["null","string"],"default":null}`))}); err != nil {
		t.Fatal(err)
	}
	event := `{"source":"aws.glue","detail":{"eventName":"RegisterSchemaVersion","requestParameters":{"schemaId":{"schemaName":"orders","registryName":"` + registry + `"}}}}`
	if r, err := sync.HandleSchemaEvent(ctx, in, []byte(event)); err != nil || counts(r) != "created=0 updated=1 unchanged=0 deleted=0 failed=0" {
		t.Fatalf("HandleSchemaEvent = %v, %v", counts(r), err)
	}
	if _, err := gluec.DeleteSchema(ctx, &awsglue.DeleteSchemaInput{SchemaId: &gluetypes.SchemaId{RegistryName: aws.String(registry), SchemaName: aws.String("refunds")}}); err != nil {
		t.Fatal(err)
	}
	r, err := sync.Sync(ctx, in)
	if err != nil || counts(r) != "created=0 updated=0 unchanged=2 deleted=1 failed=0" {
		t.Fatalf("Sync after a deletion = %v, %v", counts(r), err)
	}

	env := dz.CreateEnvironment(domain, dz.CreateProject(domain, "consumer"), consumerAccount, "eu-west-1")
	roleA, roleB := im.AddRole("consumer-app", "/service-role/"), im.AddRole("analytics", "")
	targets := datazone.NewSubscriptionTargets(dzc)
	tg := datazone.SubscriptionTarget{Name: "msk", AuthorizedPrincipals: []string{roleA}, ManageAccessRole: "arn:aws:iam::" + consumerAccount + ":role/dz-manage"}
	if ch, err := targets.EnsureSubscriptionTarget(ctx, domain, env, tg); err != nil || ch.Action != datablocks.Created {
		t.Fatalf("EnsureSubscriptionTarget = %v, %v", ch, err)
	}
	tg.AuthorizedPrincipals = append(tg.AuthorizedPrincipals, roleB)
	if ch, err := targets.EnsureSubscriptionTarget(ctx, domain, env, tg); err != nil || ch.Action != datablocks.Updated {
		t.Fatalf("EnsureSubscriptionTarget update = %v, %v", ch, err)
	}
	list, _ := dzc.ListSubscriptionTargets(ctx, &awsdz.ListSubscriptionTargetsInput{DomainIdentifier: &domain, EnvironmentIdentifier: &env})
	listing := dz.Publish(domain, r.Items[0].AssetID)
	grant := dz.RequestGrant(domain, listing, aws.ToString(list.Items[0].Id))
	// An inline policy already on a role counts against its budget (read with GetRolePolicy).
	if _, err := iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("consumer-app"), PolicyName: aws.String("own"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	auth := datazone.NewAuthorizer(dzc, datazone.NewMSKTopicGranter(kafkac, iamc))
	if out, err := auth.HandleEvent(ctx, dz.GrantEvent(domain, grant, false)); err != nil || out.Status != dztypes.SubscriptionGrantStatusGranted {
		t.Fatalf("grant = %+v, %v", out, err)
	}
	if out, err := auth.HandleEvent(ctx, dz.GrantEvent(domain, grant, false)); err != nil || !out.Replayed {
		t.Fatalf("replayed grant = %+v, %v", out, err)
	}
	if len(im.RolePolicies("consumer-app")) != 2 || len(im.RolePolicies("analytics")) != 1 {
		t.Fatalf("role policies: %v %v", im.RolePolicies("consumer-app"), im.RolePolicies("analytics"))
	}
	dz.RequestRevoke(domain, grant)
	if out, err := auth.HandleEvent(ctx, dz.GrantEvent(domain, grant, true)); err != nil || out.Status != dztypes.SubscriptionGrantStatusRevoked {
		t.Fatalf("revoke = %+v, %v", out, err)
	}

	// Delete every asset, then the asset type and its form types.
	for _, id := range dz.Assets(domain) {
		if _, err := dzc.DeleteAsset(ctx, &awsdz.DeleteAssetInput{DomainIdentifier: &domain, Identifier: aws.String(id)}); err != nil {
			t.Fatal(err)
		}
	}
	if ch, err := types.DeleteAssetType(ctx, scope, datazone.MskTopicAssetType); err != nil || ch.Action != datablocks.Deleted {
		t.Fatalf("DeleteAssetType = %v, %v", ch, err)
	}

	check := func(name string, c interface{ Count(string) int }, ops ...string) {
		for _, op := range ops {
			if c.Count(op) == 0 {
				t.Errorf("%s %s was not called over the wire", name, op)
			}
		}
	}
	check("DataZone", dz, datazonetest.OpCreateFormType, datazonetest.OpGetFormType, datazonetest.OpDeleteFormType, datazonetest.OpCreateAssetType,
		datazonetest.OpGetAssetType, datazonetest.OpDeleteAssetType, datazonetest.OpCreateAsset, datazonetest.OpGetAsset, datazonetest.OpCreateAssetRevision,
		datazonetest.OpDeleteAsset, datazonetest.OpGetSubscriptionGrant, datazonetest.OpGetListing, datazonetest.OpGetEnvironment,
		datazonetest.OpGetSubscriptionTarget, datazonetest.OpUpdateSubscriptionGrantStatus, datazonetest.OpListSubscriptionTargets,
		datazonetest.OpCreateSubscriptionTarget, datazonetest.OpUpdateSubscriptionTarget)
	check("IAM", im, datazonetest.OpPutRolePolicy, datazonetest.OpGetRolePolicy, datazonetest.OpDeleteRolePolicy, datazonetest.OpListRolePolicies)
	check("SSM", sm, datazonetest.OpGetParametersByPath, datazonetest.OpPutParameter, datazonetest.OpDeleteParameter)
	check("MSK", kf, msktest.OpDescribeClusterV2, msktest.OpGetBootstrapBrokers, msktest.OpGetClusterPolicy, msktest.OpPutClusterPolicy, msktest.OpDeleteClusterPolicy)
}
