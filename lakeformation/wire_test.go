package lakeformation_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/awsfake"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

// The expected request bodies below are written from the Lake Formation, AWS RAM and Amazon
// SNS API references (restJson1 PascalCase members for Lake Formation, camelCase for RAM,
// awsQuery form fields for SNS), not captured from the SDK.

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad expected JSON %s: %v", s, err)
	}
	return m
}

func assertBodies(t *testing.T, s *awsfake.Server, op string, want ...string) {
	t.Helper()
	reqs := s.Ops(op)
	if len(reqs) != len(want) {
		t.Fatalf("%s: %d requests, want %d", op, len(reqs), len(want))
	}
	for i, r := range reqs {
		if !r.Verified {
			t.Errorf("%s request %d: signature not verified", op, i)
		}
		got := r.Map()
		delete(got, "clientToken")
		if d := cmp.Diff(decode(t, want[i]), got); d != "" {
			t.Errorf("%s request %d body (-want +got):\n%s", op, i, d)
		}
	}
}

func lfClient(s *awsfake.Server) *awslf.Client { return awslf.NewFromConfig(s.Config()) }

func TestWireBatchGrantPermissions(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("BatchGrantPermissions", "POST", "/BatchGrantPermissions", func(r *awsfake.Request) (any, error) {
		return `{"Failures":[{"RequestEntry":{"Id":"1","Principal":{"DataLakePrincipalIdentifier":"arn:aws:iam::123456789012:role/test-emr-demo1"},
			"Resource":{"TableWithColumns":{"DatabaseName":"entities","Name":"users","ColumnNames":["uid","state"]}},"Permissions":["SELECT"]},
			"Error":{"ErrorCode":"EntityNotFoundException","ErrorMessage":"Table not found"}}]}`, nil
	})
	emrRole := lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/test-emr-demo1")
	res, err := grantAll(lakeformation.NewPlanner(lfClient(s)), context.Background(), []lakeformation.Grant{
		{Principal: emrRole, Resource: lakeformation.Table("entities", "users"), Permissions: []types.Permission{types.PermissionSelect}},
		{Principal: emrRole, Resource: lakeformation.Columns("entities", "users", "uid", "state"), Permissions: []types.Permission{types.PermissionSelect}},
		{Principal: "210987654321", Resource: lakeformation.Database("entities"), Permissions: []types.Permission{types.PermissionDescribe},
			GrantOption: []types.Permission{types.PermissionDescribe}},
	})
	// The grant bodies are the ones of the EMR runtime roles post.
	assertBodies(t, s, "BatchGrantPermissions", `{"Entries":[
		{"Id":"0","Principal":{"DataLakePrincipalIdentifier":"arn:aws:iam::123456789012:role/test-emr-demo1"},"Resource":{"Table":{"DatabaseName":"entities","Name":"users"}},"Permissions":["SELECT"]},
		{"Id":"1","Principal":{"DataLakePrincipalIdentifier":"arn:aws:iam::123456789012:role/test-emr-demo1"},"Resource":{"TableWithColumns":{"DatabaseName":"entities","Name":"users","ColumnNames":["uid","state"]}},"Permissions":["SELECT"]},
		{"Id":"2","Principal":{"DataLakePrincipalIdentifier":"210987654321"},"Resource":{"Database":{"Name":"entities"}},"Permissions":["DESCRIBE"],"PermissionsWithGrantOption":["DESCRIBE"]}]}`)
	var be *lakeformation.BatchError
	var ef *lakeformation.EntryFailure
	if !errors.As(err, &be) || len(be.Unwrap()) != 1 || !errors.As(be.Errors[1], &ef) || ef.Index != 1 || ef.Code != "EntityNotFoundException" || ef.Message != "Table not found" {
		t.Fatalf("got %v", err)
	}
	if len(res) != 2 {
		t.Errorf("applied %d", len(res))
	}
}

func TestWireBatchRevokePermissionsRetriesConcurrentModification(t *testing.T) {
	s := awsfake.New(t)
	n := 0
	s.HandleREST("BatchRevokePermissions", "POST", "/BatchRevokePermissions", func(r *awsfake.Request) (any, error) {
		n++
		if n == 1 {
			return nil, &awsfake.Error{Code: "ConcurrentModificationException", Message: "Concurrent modification"}
		}
		return `{"Failures":[]}`, nil
	})
	clock := datablocks.NewManualClock(time.Time{})
	_, err := revokeAll(lakeformation.NewPlanner(lfClient(s), func(o *lakeformation.Options) { o.Retry.Clock = clock; o.CatalogID = "123456789012" }),
		context.Background(), []lakeformation.Grant{{Principal: lakeformation.IAMAllowedPrincipals, Resource: lakeformation.AllTables("sales"),
			Permissions: []types.Permission{types.PermissionAll}}})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"CatalogId":"123456789012","Entries":[{"Id":"0","Principal":{"DataLakePrincipalIdentifier":"IAM_ALLOWED_PRINCIPALS"},"Resource":{"Table":{"DatabaseName":"sales","TableWildcard":{}}},"Permissions":["ALL"]}]}`
	assertBodies(t, s, "BatchRevokePermissions", body, body)
	if len(clock.Sleeps()) != 1 {
		t.Errorf("sleeps %v", clock.Sleeps())
	}
}

func TestWireRevokeGrantOptionOnly(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("BatchRevokePermissions", "POST", "/BatchRevokePermissions", func(r *awsfake.Request) (any, error) {
		return `{"Failures":[]}`, nil
	})
	_, err := revokeAll(lakeformation.NewPlanner(lfClient(s)), context.Background(), []lakeformation.Grant{{Principal: "210987654321",
		Resource: lakeformation.Database("sales"), GrantOption: []types.Permission{types.PermissionDescribe}}})
	if err != nil {
		t.Fatal(err)
	}
	// Revoking the grant option alone keeps the permission: an empty Permissions list and the
	// permission in PermissionsWithGrantOption.
	assertBodies(t, s, "BatchRevokePermissions", `{"Entries":[{"Id":"0","Principal":{"DataLakePrincipalIdentifier":"210987654321"},
		"Resource":{"Database":{"Name":"sales"}},"Permissions":[],"PermissionsWithGrantOption":["DESCRIBE"]}]}`)
}

func TestWireListPermissions(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("ListPermissions", "POST", "/ListPermissions", func(r *awsfake.Request) (any, error) {
		if r.Map()["NextToken"] == nil {
			return `{"PrincipalResourcePermissions":[{"Principal":{"DataLakePrincipalIdentifier":"IAM_ALLOWED_PRINCIPALS"},
				"Resource":{"Database":{"CatalogId":"123456789012","Name":"sales"}},"Permissions":["ALL"],"PermissionsWithGrantOption":[]}],"NextToken":"page2"}`, nil
		}
		return `{"PrincipalResourcePermissions":[{"Principal":{"DataLakePrincipalIdentifier":"arn:aws:iam::123456789012:role/analyst"},
			"Resource":{"Database":{"CatalogId":"123456789012","Name":"sales"}},"Permissions":["DESCRIBE"],"PermissionsWithGrantOption":[]}]}`, nil
	})
	plan, err := lakeformation.NewPlanner(lfClient(s)).Plan(context.Background(), lakeformation.PlanInput{
		Desired: []lakeformation.Grant{{Principal: "arn:aws:iam::123456789012:role/analyst", Resource: lakeformation.Database("sales"),
			Permissions: []types.Permission{types.PermissionDescribe}}},
		Revoke: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	assertBodies(t, s, "ListPermissions",
		`{"Resource":{"Database":{"Name":"sales"}},"MaxResults":100}`,
		`{"Resource":{"Database":{"Name":"sales"}},"MaxResults":100,"NextToken":"page2"}`)
	if want := "- revoke ALL on DATABASE sales from IAM_ALLOWED_PRINCIPALS"; plan.String() != want {
		t.Errorf("plan %q, want %q", plan, want)
	}
}

func TestWireDataLakeSettingsAndRegisterResource(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("GetDataLakeSettings", "POST", "/GetDataLakeSettings", func(r *awsfake.Request) (any, error) {
		return `{"DataLakeSettings":{"DataLakeAdmins":[{"DataLakePrincipalIdentifier":"arn:aws:iam::123456789012:role/lf-admin"}],
			"CreateDatabaseDefaultPermissions":[],"CreateTableDefaultPermissions":[],"TrustedResourceOwners":["210987654321"],
			"AllowExternalDataFiltering":true,"AuthorizedSessionTagValueList":["Amazon EMR"],"Parameters":{"CROSS_ACCOUNT_VERSION":"3"}}}`, nil
	})
	s.HandleREST("PutDataLakeSettings", "POST", "/PutDataLakeSettings", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	s.HandleREST("RegisterResource", "POST", "/RegisterResource", func(r *awsfake.Request) (any, error) {
		if len(s.Ops("RegisterResource")) > 0 {
			return nil, &awsfake.Error{Code: "AlreadyExistsException", Message: "Resource is already registered"}
		}
		return `{}`, nil
	})
	s.HandleREST("DescribeResource", "POST", "/DescribeResource", func(r *awsfake.Request) (any, error) {
		return `{"ResourceInfo":{"ResourceArn":"arn:aws:s3:::lake/raw","RoleArn":"arn:aws:iam::123456789012:role/lf-data-access","HybridAccessEnabled":true}}`, nil
	})
	st := lakeformation.NewSettings(lfClient(s))
	ctx := context.Background()
	if changed, err := st.SetCrossAccountVersion(ctx, 4); err != nil || !changed {
		t.Fatalf("%v %v", changed, err)
	}
	assertBodies(t, s, "GetDataLakeSettings", `{}`)
	assertBodies(t, s, "PutDataLakeSettings", `{"DataLakeSettings":{"DataLakeAdmins":[{"DataLakePrincipalIdentifier":"arn:aws:iam::123456789012:role/lf-admin"}],
		"CreateDatabaseDefaultPermissions":[],"CreateTableDefaultPermissions":[],"TrustedResourceOwners":["210987654321"],
		"AllowExternalDataFiltering":true,"AuthorizedSessionTagValueList":["Amazon EMR"],"Parameters":{"CROSS_ACCOUNT_VERSION":"4"}}}`)
	in := lakeformation.RegisterLocationInput{Location: "arn:aws:s3:::lake/raw", RoleARN: "arn:aws:iam::123456789012:role/lf-data-access", HybridAccess: true}
	for i, want := range []bool{true, false} {
		if ok, err := st.RegisterLocation(ctx, in); err != nil || ok != want {
			t.Fatalf("register %d: %v %v", i, ok, err)
		}
	}
	body := `{"ResourceArn":"arn:aws:s3:::lake/raw","RoleArn":"arn:aws:iam::123456789012:role/lf-data-access","HybridAccessEnabled":true}`
	assertBodies(t, s, "RegisterResource", body, body)
	assertBodies(t, s, "DescribeResource", `{"ResourceArn":"arn:aws:s3:::lake/raw"}`)
}

func TestWireLFTags(t *testing.T) {
	s := awsfake.New(t)
	s.HandleREST("GetLFTag", "POST", "/GetLFTag", func(r *awsfake.Request) (any, error) {
		if r.Map()["TagKey"] == "LoB" {
			return nil, &awsfake.Error{Status: 400, Code: "EntityNotFoundException", Message: "Tag key does not exist"}
		}
		return `{"CatalogId":"123456789012","TagKey":"tier","TagValues":["gold"]}`, nil
	})
	s.HandleREST("CreateLFTag", "POST", "/CreateLFTag", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	s.HandleREST("UpdateLFTag", "POST", "/UpdateLFTag", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	s.HandleREST("GetResourceLFTags", "POST", "/GetResourceLFTags", func(r *awsfake.Request) (any, error) {
		return `{"LFTagOnDatabase":[],"LFTagsOnTable":[{"TagKey":"tier","TagValues":["gold"]}],"LFTagsOnColumns":[{"Name":"email","LFTags":[]}]}`, nil
	})
	s.HandleREST("AddLFTagsToResource", "POST", "/AddLFTagsToResource", func(r *awsfake.Request) (any, error) {
		return `{"Failures":[{"LFTag":{"TagKey":"pii","TagValues":["yes"]},"Error":{"ErrorCode":"EntityNotFoundException","ErrorMessage":"Tag value yes does not exist"}}]}`, nil
	})
	s.HandleREST("SearchDatabasesByLFTags", "POST", "/SearchDatabasesByLFTags", func(r *awsfake.Request) (any, error) {
		return `{"DatabaseList":[{"Database":{"CatalogId":"123456789012","Name":"sales"},"LFTags":[{"TagKey":"LoB","TagValues":["sales"]}]}]}`, nil
	})
	s.HandleREST("SearchTablesByLFTags", "POST", "/SearchTablesByLFTags", func(r *awsfake.Request) (any, error) {
		return `{"TableList":[{"Table":{"CatalogId":"123456789012","DatabaseName":"sales","Name":"orders"}}]}`, nil
	})
	tags := lakeformation.NewTags(lfClient(s))
	ctx := context.Background()
	if _, err := tags.Ensure(ctx, lakeformation.Tag{Key: "LoB", Values: []string{"sales", "hr"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := tags.Ensure(ctx, lakeformation.Tag{Key: "tier", Values: []string{"gold", "silver"}}); err != nil {
		t.Fatal(err)
	}
	assertBodies(t, s, "GetLFTag", `{"TagKey":"LoB"}`, `{"TagKey":"tier"}`)
	assertBodies(t, s, "CreateLFTag", `{"TagKey":"LoB","TagValues":["sales","hr"]}`)
	assertBodies(t, s, "UpdateLFTag", `{"TagKey":"tier","TagValuesToAdd":["silver"]}`)

	// tier=gold is already on the table: no write. pii=yes on a column is written and fails.
	if err := tags.Assign(ctx, lakeformation.Table("sales", "orders"), []lakeformation.Tag{{Key: "tier", Values: []string{"gold"}}}); err != nil {
		t.Fatal(err)
	}
	err := tags.Assign(ctx, lakeformation.Columns("sales", "orders", "email"), []lakeformation.Tag{{Key: "pii", Values: []string{"yes"}}})
	var tae *lakeformation.TagAssignmentError
	if !errors.As(err, &tae) || aws.ToString(tae.Failures[0].Error.ErrorCode) != "EntityNotFoundException" {
		t.Fatalf("got %v", err)
	}
	assertBodies(t, s, "GetResourceLFTags",
		`{"Resource":{"Table":{"DatabaseName":"sales","Name":"orders"}},"ShowAssignedLFTags":true}`,
		`{"Resource":{"TableWithColumns":{"DatabaseName":"sales","Name":"orders","ColumnNames":["email"]}},"ShowAssignedLFTags":true}`)
	assertBodies(t, s, "AddLFTagsToResource",
		`{"Resource":{"TableWithColumns":{"DatabaseName":"sales","Name":"orders","ColumnNames":["email"]}},"LFTags":[{"TagKey":"pii","TagValues":["yes"]}]}`)

	m, err := tags.Match(ctx, []lakeformation.Tag{{Key: "LoB", Values: []string{"sales"}}})
	if err != nil {
		t.Fatal(err)
	}
	expr := `{"Expression":[{"TagKey":"LoB","TagValues":["sales"]}]}`
	assertBodies(t, s, "SearchDatabasesByLFTags", expr)
	assertBodies(t, s, "SearchTablesByLFTags", expr)
	if len(m) != 2 || m[0].Database != "sales" || m[0].Table != "" || m[1].Table != "orders" {
		t.Errorf("matches %+v", m)
	}
}

func TestWireRAMInvitations(t *testing.T) {
	s := awsfake.New(t)
	inv := "arn:aws:ram:eu-west-1:111122223333:resource-share-invitation/6e3a3f4c-1111-2222-3333-444455556666"
	s.HandleREST("GetResourceShareInvitations", "POST", "/getresourceshareinvitations", func(r *awsfake.Request) (any, error) {
		if r.Map()["nextToken"] == nil {
			return `{"resourceShareInvitations":[{"resourceShareInvitationArn":"arn:aws:ram:eu-west-1:999988887777:resource-share-invitation/other",
				"senderAccountId":"999988887777","status":"PENDING"}],"nextToken":"n1"}`, nil
		}
		return `{"resourceShareInvitations":[{"resourceShareInvitationArn":"` + inv + `","resourceShareName":"LakeFormation-V3-share",
			"senderAccountId":"111122223333","receiverAccountId":"210987654321","status":"PENDING"}]}`, nil
	})
	s.HandleREST("AcceptResourceShareInvitation", "POST", "/acceptresourceshareinvitation", func(r *awsfake.Request) (any, error) {
		return `{"resourceShareInvitation":{"resourceShareInvitationArn":"` + inv + `","senderAccountId":"111122223333","status":"ACCEPTED"}}`, nil
	})
	c := lakeformation.NewConsumer(nil, nil, ram.NewFromConfig(s.Config()))
	got, err := c.AcceptInvitations(context.Background(), "111122223333")
	if err != nil {
		t.Fatal(err)
	}
	assertBodies(t, s, "GetResourceShareInvitations", `{}`, `{"nextToken":"n1"}`)
	assertBodies(t, s, "AcceptResourceShareInvitation", `{"resourceShareInvitationArn":"`+inv+`"}`)
	if len(got) != 1 || aws.ToString(got[0].ResourceShareInvitationArn) != inv || got[0].Status != "ACCEPTED" {
		t.Errorf("accepted %+v", got)
	}
}

func TestWireSNSPublish(t *testing.T) {
	s := awsfake.New(t, func(o *awsfake.Options) { o.AWSQueryNamespace = "http://sns.amazonaws.com/doc/2010-03-31/" })
	s.HandleAWSQuery("Publish", func(r *awsfake.Request) (any, error) {
		return `<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId>`, nil
	})
	topic := "arn:aws:sns:eu-west-1:123456789012:DataLakeSharingApproval"
	n := lakeformation.NewSNSNotifier(sns.NewFromConfig(s.Config()), topic)
	err := n.RequestApproval(context.Background(), lakeformation.Request{ID: "req-7", ConsumerAccount: "210987654321",
		Database: "sales", Table: "customers", PIIReason: "column sales.customers.email"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := s.Ops("Publish")
	if len(reqs) != 1 || !reqs[0].Verified {
		t.Fatalf("requests %+v", reqs)
	}
	f := reqs[0].Form
	want := map[string]string{
		"Action":   "Publish",
		"Version":  "2010-03-31",
		"TopicArn": topic,
		"Subject":  "Approval needed: account 210987654321 requests sales.customers",
		"Message":  `{"request_id":"req-7","consumer_account":"210987654321","database":"sales","table":"customers","pii_reason":"column sales.customers.email"}`,
	}
	for k, v := range want {
		if f.Get(k) != v {
			t.Errorf("form %s = %q, want %q", k, f.Get(k), v)
		}
	}
	attrs := map[string]string{}
	for i := 1; i <= 2; i++ {
		p := "MessageAttributes.entry." + string(rune('0'+i))
		if f.Get(p+".Value.DataType") != "String" {
			t.Errorf("%s data type %q", p, f.Get(p+".Value.DataType"))
		}
		attrs[f.Get(p+".Name")] = f.Get(p + ".Value.StringValue")
	}
	if d := cmp.Diff(map[string]string{"request_id": "req-7", "consumer_account": "210987654321"}, attrs); d != "" {
		t.Errorf("message attributes (-want +got):\n%s", d)
	}
}

func TestWireGlueCatalog(t *testing.T) {
	s := awsfake.New(t)
	s.HandleJSON("AWSGlue.GetDatabase", func(r *awsfake.Request) (any, error) {
		if r.Map()["Name"] == "sales_local" {
			return nil, &awsfake.Error{Code: "EntityNotFoundException", Message: "Database sales_local not found."}
		}
		return `{"Database":{"Name":"sales","Parameters":{"data_owner":"123456789012"}}}`, nil
	})
	s.HandleJSON("AWSGlue.GetTable", func(r *awsfake.Request) (any, error) {
		return `{"Table":{"Name":"customers","DatabaseName":"sales","StorageDescriptor":{"Columns":[{"Name":"id","Type":"bigint"},
			{"Name":"email","Type":"string","Parameters":{"pii_flag":"true"}}]}}}`, nil
	})
	s.HandleJSON("AWSGlue.GetTables", func(r *awsfake.Request) (any, error) {
		if r.Map()["NextToken"] == nil {
			return `{"TableList":[{"Name":"orders","DatabaseName":"sales"}],"NextToken":"t2"}`, nil
		}
		return `{"TableList":[{"Name":"regions","DatabaseName":"sales","PartitionKeys":[{"Name":"code","Type":"string"}]}]}`, nil
	})
	s.HandleJSON("AWSGlue.CreateDatabase", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	s.HandleJSON("AWSGlue.CreateTable", func(r *awsfake.Request) (any, error) { return `{}`, nil })
	glueClient := awsglue.NewFromConfig(s.Config())
	ctx := context.Background()
	store := lakeformation.NewMemoryStore()
	var notified []string
	w := lakeformation.NewSharingWorkflow(lakeformationtest.New(), glueClient, store, lakeformation.NotifierFunc(func(_ context.Context, r lakeformation.Request) error {
		notified = append(notified, r.ID)
		return nil
	}))
	r, err := w.Start(ctx, lakeformation.Request{ID: "t", ConsumerAccount: "210987654321", Database: "sales", Table: "customers"})
	if err != nil || r.State != lakeformation.RequestPendingApproval || r.PIIReason != "column sales.customers.email" {
		t.Fatalf("%+v %v", r, err)
	}
	r, err = w.Start(ctx, lakeformation.Request{ID: "d", ConsumerAccount: "210987654321", Database: "sales"})
	if err != nil || r.State != lakeformation.RequestShared {
		t.Fatalf("%+v %v", r, err)
	}
	c := lakeformation.NewConsumer(nil, glueClient, nil)
	if err := c.CreateResourceLinks(ctx, []lakeformation.ResourceLink{{Link: lakeformation.Table("sales_local", "rl-orders"), Target: lakeformation.Table("nrac-data-domain-111122223333", "orders").InCatalog("111122223333")}}); err != nil {
		t.Fatal(err)
	}
	assertBodies(t, s, "GetDatabase", `{"Name":"sales"}`, `{"Name":"sales"}`, `{"Name":"sales_local"}`)
	assertBodies(t, s, "GetTable", `{"DatabaseName":"sales","Name":"customers"}`)
	assertBodies(t, s, "GetTables", `{"DatabaseName":"sales"}`, `{"DatabaseName":"sales","NextToken":"t2"}`)
	assertBodies(t, s, "CreateDatabase", `{"DatabaseInput":{"Name":"sales_local","CreateTableDefaultPermissions":[]}}`)
	assertBodies(t, s, "CreateTable", `{"DatabaseName":"sales_local","TableInput":{"Name":"rl-orders",
		"TargetTable":{"CatalogId":"111122223333","DatabaseName":"nrac-data-domain-111122223333","Name":"orders"}}}`)
	if len(notified) != 1 {
		t.Errorf("notified %v", notified)
	}
}
