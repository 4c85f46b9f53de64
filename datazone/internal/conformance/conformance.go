// Package conformance checks DataZone, IAM and SSM clients (the fakes of package datazonetest,
// or AWS) against what the API references say. The fakes' tests run it in-process and over the
// wire, and the integration tests against AWS.
package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
)

// Client is the DataZone client the conformance suite drives: *datazone.Client and *datazonetest.Fake.
type Client interface {
	GetDomain(context.Context, *awsdz.GetDomainInput, ...func(*awsdz.Options)) (*awsdz.GetDomainOutput, error)
	CreateFormType(context.Context, *awsdz.CreateFormTypeInput, ...func(*awsdz.Options)) (*awsdz.CreateFormTypeOutput, error)
	GetFormType(context.Context, *awsdz.GetFormTypeInput, ...func(*awsdz.Options)) (*awsdz.GetFormTypeOutput, error)
	DeleteFormType(context.Context, *awsdz.DeleteFormTypeInput, ...func(*awsdz.Options)) (*awsdz.DeleteFormTypeOutput, error)
	CreateAssetType(context.Context, *awsdz.CreateAssetTypeInput, ...func(*awsdz.Options)) (*awsdz.CreateAssetTypeOutput, error)
	GetAssetType(context.Context, *awsdz.GetAssetTypeInput, ...func(*awsdz.Options)) (*awsdz.GetAssetTypeOutput, error)
	DeleteAssetType(context.Context, *awsdz.DeleteAssetTypeInput, ...func(*awsdz.Options)) (*awsdz.DeleteAssetTypeOutput, error)
	CreateAsset(context.Context, *awsdz.CreateAssetInput, ...func(*awsdz.Options)) (*awsdz.CreateAssetOutput, error)
	GetAsset(context.Context, *awsdz.GetAssetInput, ...func(*awsdz.Options)) (*awsdz.GetAssetOutput, error)
	CreateAssetRevision(context.Context, *awsdz.CreateAssetRevisionInput, ...func(*awsdz.Options)) (*awsdz.CreateAssetRevisionOutput, error)
	DeleteAsset(context.Context, *awsdz.DeleteAssetInput, ...func(*awsdz.Options)) (*awsdz.DeleteAssetOutput, error)
	GetListing(context.Context, *awsdz.GetListingInput, ...func(*awsdz.Options)) (*awsdz.GetListingOutput, error)
	GetEnvironment(context.Context, *awsdz.GetEnvironmentInput, ...func(*awsdz.Options)) (*awsdz.GetEnvironmentOutput, error)
	CreateSubscriptionTarget(context.Context, *awsdz.CreateSubscriptionTargetInput, ...func(*awsdz.Options)) (*awsdz.CreateSubscriptionTargetOutput, error)
	GetSubscriptionTarget(context.Context, *awsdz.GetSubscriptionTargetInput, ...func(*awsdz.Options)) (*awsdz.GetSubscriptionTargetOutput, error)
	UpdateSubscriptionTarget(context.Context, *awsdz.UpdateSubscriptionTargetInput, ...func(*awsdz.Options)) (*awsdz.UpdateSubscriptionTargetOutput, error)
	ListSubscriptionTargets(context.Context, *awsdz.ListSubscriptionTargetsInput, ...func(*awsdz.Options)) (*awsdz.ListSubscriptionTargetsOutput, error)
	GetSubscriptionGrant(context.Context, *awsdz.GetSubscriptionGrantInput, ...func(*awsdz.Options)) (*awsdz.GetSubscriptionGrantOutput, error)
	UpdateSubscriptionGrantStatus(context.Context, *awsdz.UpdateSubscriptionGrantStatusInput, ...func(*awsdz.Options)) (*awsdz.UpdateSubscriptionGrantStatusOutput, error)
}

// IAMClient is the IAM client the conformance suite drives: *iam.Client and *datazonetest.IAM.
type IAMClient interface {
	PutRolePolicy(context.Context, *iam.PutRolePolicyInput, ...func(*iam.Options)) (*iam.PutRolePolicyOutput, error)
	GetRolePolicy(context.Context, *iam.GetRolePolicyInput, ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
	DeleteRolePolicy(context.Context, *iam.DeleteRolePolicyInput, ...func(*iam.Options)) (*iam.DeleteRolePolicyOutput, error)
	ListRolePolicies(context.Context, *iam.ListRolePoliciesInput, ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error)
}

// SSMClient is the SSM client the conformance suite drives: *ssm.Client and *datazonetest.SSM.
type SSMClient interface {
	PutParameter(context.Context, *ssm.PutParameterInput, ...func(*ssm.Options)) (*ssm.PutParameterOutput, error)
	GetParameter(context.Context, *ssm.GetParameterInput, ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
	DeleteParameter(context.Context, *ssm.DeleteParameterInput, ...func(*ssm.Options)) (*ssm.DeleteParameterOutput, error)
	GetParametersByPath(context.Context, *ssm.GetParametersByPathInput, ...func(*ssm.Options)) (*ssm.GetParametersByPathOutput, error)
}

// Setup is what the DataZone conformance suite needs: a client, a domain with a project and
// an environment (in account ConsumerAccount) it may write in, and the two steps that have no
// API of their own in the suite: publishing an asset and starting a grant. Without Publish the
// listing and grant checks are skipped; without RequestGrant the grant checks are.
type Setup struct {
	Client                       Client
	Domain, Project, Environment string
	ConsumerAccount, ManageRole  string
	Publish                      func(assetID string) (listingID string)
	RequestGrant                 func(listingID, targetID string) (grantID string)
	UniqueSuffix                 string // appended to created names, so runs against AWS do not collide

}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Errorf("%s: error %v, want %s", what, err, code)
	}
}

// RunConformance checks a DataZone (the fake or AWS) against what the API reference says of
// every operation the fake implements.
func RunConformance(t *testing.T, s Setup) {
	ctx := context.Background()
	c := s.Client
	d := &s.Domain
	sfx := s.UniqueSuffix
	formName := "ConfForm" + sfx
	model := "structure " + formName + " {\n  @required\n  topic: String\n  version: Integer\n}\n"

	t.Run("GetDomain", func(t *testing.T) {
		out, err := c.GetDomain(ctx, &awsdz.GetDomainInput{Identifier: d})
		if err != nil || out.Status != types.DomainStatusAvailable || aws.ToString(out.Id) != s.Domain {
			t.Fatalf("GetDomain = %+v, %v", out, err)
		}
		_, err = c.GetDomain(ctx, &awsdz.GetDomainInput{Identifier: aws.String("dzd_doesnotexist0")})
		wantCode(t, "GetDomain unknown", err, "ResourceNotFoundException")
	})

	t.Run("FormTypes", func(t *testing.T) {
		in := &awsdz.CreateFormTypeInput{DomainIdentifier: d, Name: &formName, OwningProjectIdentifier: &s.Project,
			Model: &types.ModelMemberSmithy{Value: model}, Status: types.FormTypeStatusEnabled}
		out, err := c.CreateFormType(ctx, in)
		if err != nil || aws.ToString(out.Name) != formName || aws.ToString(out.Revision) == "" {
			t.Fatalf("CreateFormType = %+v, %v", out, err)
		}
		g, err := c.GetFormType(ctx, &awsdz.GetFormTypeInput{DomainIdentifier: d, FormTypeIdentifier: &formName})
		if err != nil || g.Status != types.FormTypeStatusEnabled || aws.ToString(g.Revision) != aws.ToString(out.Revision) {
			t.Fatalf("GetFormType = %+v, %v", g, err)
		}
		if sm, ok := g.Model.(*types.ModelMemberSmithy); !ok || !strings.Contains(sm.Value, "topic: String") {
			t.Errorf("GetFormType model = %#v", g.Model)
		}
		bad := *in
		bad.Model = &types.ModelMemberSmithy{Value: "structure " + formName + " { topic: NoSuchShape }"}
		_, err = c.CreateFormType(ctx, &bad)
		wantCode(t, "CreateFormType with an unknown target", err, "ValidationException")
		bad = *in
		bad.Name = aws.String("1" + formName)
		_, err = c.CreateFormType(ctx, &bad)
		wantCode(t, "CreateFormType with a name starting with a digit", err, "ValidationException")
		if _, err := c.GetFormType(ctx, &awsdz.GetFormTypeInput{DomainIdentifier: d, FormTypeIdentifier: aws.String(relationalTableFormType)}); err != nil {
			t.Errorf("GetFormType of the built-in %s: %v", relationalTableFormType, err)
		}
		_, err = c.GetFormType(ctx, &awsdz.GetFormTypeInput{DomainIdentifier: d, FormTypeIdentifier: aws.String("NoSuchForm" + sfx)})
		wantCode(t, "GetFormType unknown", err, "ResourceNotFoundException")
	})

	assetTypeName := "ConfAssetType" + sfx
	var assetID, listingID, targetID string
	t.Run("AssetTypesAndAssets", func(t *testing.T) {
		ft, err := c.GetFormType(ctx, &awsdz.GetFormTypeInput{DomainIdentifier: d, FormTypeIdentifier: &formName})
		if err != nil {
			t.Fatal(err)
		}
		at, err := c.CreateAssetType(ctx, &awsdz.CreateAssetTypeInput{DomainIdentifier: d, Name: &assetTypeName, OwningProjectIdentifier: &s.Project,
			FormsInput: map[string]types.FormEntryInput{"ConfForm": {TypeIdentifier: &formName, TypeRevision: ft.Revision, Required: aws.Bool(true)}}})
		if err != nil || aws.ToString(at.Name) != assetTypeName {
			t.Fatalf("CreateAssetType = %+v, %v", at, err)
		}
		g, err := c.GetAssetType(ctx, &awsdz.GetAssetTypeInput{DomainIdentifier: d, Identifier: &assetTypeName})
		if e := g.FormsOutput["ConfForm"]; err != nil || aws.ToString(e.TypeName) != formName || !aws.ToBool(e.Required) {
			t.Fatalf("GetAssetType = %+v, %v", g, err)
		}
		_, err = c.CreateAssetType(ctx, &awsdz.CreateAssetTypeInput{DomainIdentifier: d, Name: aws.String("has.dot" + sfx), OwningProjectIdentifier: &s.Project,
			FormsInput: map[string]types.FormEntryInput{}})
		wantCode(t, "CreateAssetType with a dot", err, "ValidationException")

		token := "conf-token-" + sfx
		in := &awsdz.CreateAssetInput{DomainIdentifier: d, OwningProjectIdentifier: &s.Project, Name: aws.String("conf-topic"), TypeIdentifier: &assetTypeName,
			ExternalIdentifier: aws.String("arn:aws:kafka:eu-west-1:123456789012:topic/c/u/conf-topic"), ClientToken: &token,
			FormsInput: []types.FormInput{{FormName: aws.String("ConfForm"), Content: aws.String(`{"topic":"conf-topic","version":1}`)}}}
		a, err := c.CreateAsset(ctx, in)
		if err != nil {
			t.Fatalf("CreateAsset: %v", err)
		}
		assetID = aws.ToString(a.Id)
		again, err := c.CreateAsset(ctx, in)
		if err != nil || aws.ToString(again.Id) != assetID {
			t.Errorf("CreateAsset with the same clientToken = %v, %v; want asset %s", again, err, assetID)
		}
		noForm := *in
		noForm.ClientToken, noForm.FormsInput = nil, nil
		_, err = c.CreateAsset(ctx, &noForm)
		wantCode(t, "CreateAsset without its required form", err, "ValidationException")
		notJSON := *in
		notJSON.ClientToken = nil
		notJSON.FormsInput = []types.FormInput{{FormName: aws.String("ConfForm"), Content: aws.String(`topic=x`)}}
		_, err = c.CreateAsset(ctx, &notJSON)
		wantCode(t, "CreateAsset with content that is not JSON", err, "ValidationException")

		r, err := c.CreateAssetRevision(ctx, &awsdz.CreateAssetRevisionInput{DomainIdentifier: d, Identifier: &assetID, Name: aws.String("conf-topic"),
			FormsInput: []types.FormInput{{FormName: aws.String("ConfForm"), Content: aws.String(`{"topic":"conf-topic","version":2}`)}}})
		if err != nil || aws.ToString(r.Revision) == aws.ToString(a.Revision) {
			t.Fatalf("CreateAssetRevision = %+v, %v", r, err)
		}
		got, err := c.GetAsset(ctx, &awsdz.GetAssetInput{DomainIdentifier: d, Identifier: &assetID})
		if err != nil || aws.ToString(got.Revision) != aws.ToString(r.Revision) || aws.ToString(got.ExternalIdentifier) != aws.ToString(in.ExternalIdentifier) ||
			len(got.FormsOutput) != 1 || !strings.Contains(aws.ToString(got.FormsOutput[0].Content), `"version":2`) {
			t.Fatalf("GetAsset = %+v, %v", got, err)
		}
		_, err = c.DeleteAssetType(ctx, &awsdz.DeleteAssetTypeInput{DomainIdentifier: d, Identifier: &assetTypeName})
		wantCode(t, "DeleteAssetType with assets", err, "ConflictException")

		if s.Publish == nil {
			return
		}
		listingID = s.Publish(assetID)
		l, err := c.GetListing(ctx, &awsdz.GetListingInput{DomainIdentifier: d, Identifier: &listingID})
		if err != nil {
			t.Fatalf("GetListing: %v", err)
		}
		item, ok := l.Item.(*types.ListingItemMemberAssetListing)
		if !ok || aws.ToString(item.Value.AssetId) != assetID || !strings.Contains(aws.ToString(item.Value.Forms), `"ConfForm"`) {
			t.Errorf("GetListing item = %#v", l.Item)
		}
	})

	t.Run("Environment", func(t *testing.T) {
		e, err := c.GetEnvironment(ctx, &awsdz.GetEnvironmentInput{DomainIdentifier: d, Identifier: &s.Environment})
		if err != nil || aws.ToString(e.AwsAccountId) != s.ConsumerAccount || e.CreatedAt == nil || e.CreatedAt.IsZero() {
			t.Fatalf("GetEnvironment = %+v, %v", e, err)
		}
		_, err = c.GetEnvironment(ctx, &awsdz.GetEnvironmentInput{DomainIdentifier: d, Identifier: aws.String("nosuchenv")})
		wantCode(t, "GetEnvironment unknown", err, "ResourceNotFoundException")
	})

	t.Run("SubscriptionTargets", func(t *testing.T) {
		principal := "arn:aws:iam::" + s.ConsumerAccount + ":role/conf-consumer"
		in := &awsdz.CreateSubscriptionTargetInput{DomainIdentifier: d, EnvironmentIdentifier: &s.Environment, Name: aws.String("conf-target" + sfx),
			Type: aws.String("BaseSubscriptionTargetType"), ApplicableAssetTypes: []string{assetTypeName}, AuthorizedPrincipals: []string{principal},
			ManageAccessRole: &s.ManageRole, SubscriptionTargetConfig: []types.SubscriptionTargetForm{}}
		out, err := c.CreateSubscriptionTarget(ctx, in)
		if err != nil {
			t.Fatalf("CreateSubscriptionTarget: %v", err)
		}
		targetID = aws.ToString(out.Id)
		many := *in
		many.AuthorizedPrincipals = nil
		for i := range 21 {
			many.AuthorizedPrincipals = append(many.AuthorizedPrincipals, fmt.Sprintf("arn:aws:iam::%s:role/r%d", s.ConsumerAccount, i))
		}
		_, err = c.CreateSubscriptionTarget(ctx, &many)
		wantCode(t, "CreateSubscriptionTarget with 21 principals", err, "ValidationException")
		pathRole := *in
		pathRole.ManageAccessRole = aws.String("arn:aws:iam::" + s.ConsumerAccount + ":role/team/dz")
		_, err = c.CreateSubscriptionTarget(ctx, &pathRole)
		wantCode(t, "CreateSubscriptionTarget with a role path", err, "ValidationException")
		second := *in
		second.Name = aws.String("conf-target-2" + sfx)
		if _, err := c.CreateSubscriptionTarget(ctx, &second); err != nil {
			t.Fatal(err)
		}
		g, err := c.GetSubscriptionTarget(ctx, &awsdz.GetSubscriptionTargetInput{DomainIdentifier: d, EnvironmentIdentifier: &s.Environment, Identifier: &targetID})
		if err != nil || len(g.AuthorizedPrincipals) != 1 || g.AuthorizedPrincipals[0] != principal {
			t.Fatalf("GetSubscriptionTarget = %+v, %v", g, err)
		}
		other := "arn:aws:iam::" + s.ConsumerAccount + ":role/conf-other"
		if _, err := c.UpdateSubscriptionTarget(ctx, &awsdz.UpdateSubscriptionTargetInput{DomainIdentifier: d, EnvironmentIdentifier: &s.Environment,
			Identifier: &targetID, AuthorizedPrincipals: []string{principal, other}}); err != nil {
			t.Fatalf("UpdateSubscriptionTarget: %v", err)
		}
		g, _ = c.GetSubscriptionTarget(ctx, &awsdz.GetSubscriptionTargetInput{DomainIdentifier: d, EnvironmentIdentifier: &s.Environment, Identifier: &targetID})
		if len(g.AuthorizedPrincipals) != 2 {
			t.Errorf("after update: %v", g.AuthorizedPrincipals)
		}
		seen, pages := map[string]bool{}, 0
		p := awsdz.NewListSubscriptionTargetsPaginator(c, &awsdz.ListSubscriptionTargetsInput{DomainIdentifier: d, EnvironmentIdentifier: &s.Environment, MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, it := range page.Items {
				seen[aws.ToString(it.Id)] = true
			}
		}
		if !seen[targetID] || pages < 2 {
			t.Errorf("ListSubscriptionTargets: %d pages, saw %v", pages, seen)
		}
	})

	t.Run("Grants", func(t *testing.T) {
		if listingID == "" || targetID == "" || s.RequestGrant == nil {
			t.Skip("needs the listing, the target and RequestGrant")
		}
		grant := s.RequestGrant(listingID, targetID)
		g, err := c.GetSubscriptionGrant(ctx, &awsdz.GetSubscriptionGrantInput{DomainIdentifier: d, Identifier: &grant})
		if err != nil || len(g.Assets) != 1 || g.Assets[0].Status != types.SubscriptionGrantStatusGrantPending {
			t.Fatalf("GetSubscriptionGrant = %+v, %v", g, err)
		}
		asset := g.Assets[0].AssetId
		set := func(st types.SubscriptionGrantStatus, cause string) error {
			in := &awsdz.UpdateSubscriptionGrantStatusInput{DomainIdentifier: d, Identifier: &grant, AssetIdentifier: asset, Status: st}
			if cause != "" {
				in.FailureCause = &types.FailureCause{Message: &cause}
			}
			_, err := c.UpdateSubscriptionGrantStatus(ctx, in)
			return err
		}
		if err := set(types.SubscriptionGrantStatusGrantInProgress, ""); err != nil {
			t.Fatal(err)
		}
		if err := set(types.SubscriptionGrantStatusGrantInProgress, ""); err != nil {
			t.Errorf("rewriting the current status: %v", err)
		}
		if err := set(types.SubscriptionGrantStatusGrantFailed, "conformance"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "GRANT_FAILED → GRANTED", set(types.SubscriptionGrantStatusGranted, ""), "ConflictException")
		g, _ = c.GetSubscriptionGrant(ctx, &awsdz.GetSubscriptionGrantInput{DomainIdentifier: d, Identifier: &grant})
		if g.Status != types.SubscriptionGrantOverallStatusGrantFailed || aws.ToString(g.Assets[0].FailureCause.Message) != "conformance" {
			t.Errorf("after GRANT_FAILED: %+v", g)
		}
	})

	t.Run("Deletes", func(t *testing.T) {
		if assetID == "" {
			t.Skip("needs the asset")
		}
		if _, err := c.DeleteAsset(ctx, &awsdz.DeleteAssetInput{DomainIdentifier: d, Identifier: &assetID}); err != nil {
			t.Fatal(err)
		}
		_, err := c.DeleteAsset(ctx, &awsdz.DeleteAssetInput{DomainIdentifier: d, Identifier: &assetID})
		wantCode(t, "second DeleteAsset", err, "ResourceNotFoundException")
		_, err = c.GetAsset(ctx, &awsdz.GetAssetInput{DomainIdentifier: d, Identifier: &assetID})
		wantCode(t, "GetAsset after delete", err, "ResourceNotFoundException")
		_, err = c.DeleteFormType(ctx, &awsdz.DeleteFormTypeInput{DomainIdentifier: d, FormTypeIdentifier: &formName})
		wantCode(t, "DeleteFormType of an enabled form type in use", err, "ConflictException")
		if _, err := c.DeleteAssetType(ctx, &awsdz.DeleteAssetTypeInput{DomainIdentifier: d, Identifier: &assetTypeName}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateFormType(ctx, &awsdz.CreateFormTypeInput{DomainIdentifier: d, Name: &formName, OwningProjectIdentifier: &s.Project,
			Model: &types.ModelMemberSmithy{Value: model}, Status: types.FormTypeStatusDisabled}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DeleteFormType(ctx, &awsdz.DeleteFormTypeInput{DomainIdentifier: d, FormTypeIdentifier: &formName}); err != nil {
			t.Fatalf("DeleteFormType of a disabled form type: %v", err)
		}
	})
}

// RunIAMConformance checks inline role policies on role (which must exist and have none).
func RunIAMConformance(t *testing.T, c IAMClient, role string) {
	ctx := context.Background()
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kafka-cluster:Connect","Resource":"arn:aws:kafka:eu-west-1:123456789012:cluster/c/u"}]}`
	if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &role, PolicyName: aws.String("conf-a"), PolicyDocument: &doc}); err != nil {
		t.Fatalf("PutRolePolicy: %v", err)
	}
	g, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &role, PolicyName: aws.String("conf-a")})
	if err != nil {
		t.Fatal(err)
	}
	if dec, _ := url.PathUnescape(aws.ToString(g.PolicyDocument)); dec != doc || aws.ToString(g.PolicyDocument) == doc {
		t.Errorf("GetRolePolicy document %q: want the document URL-encoded", aws.ToString(g.PolicyDocument))
	}
	for i := range 3 {
		if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &role, PolicyName: aws.String(fmt.Sprintf("conf-p%d", i)), PolicyDocument: &doc}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	p := iam.NewListRolePoliciesPaginator(c, &iam.ListRolePoliciesInput{RoleName: &role, MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, page.PolicyNames...)
	}
	if len(names) != 4 {
		t.Errorf("ListRolePolicies = %v, want 4 names", names)
	}
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &role, PolicyName: aws.String("conf-bad"), PolicyDocument: aws.String(`{"Statement":`)})
	var mal *iamtypes.MalformedPolicyDocumentException
	if !errors.As(err, &mal) {
		t.Errorf("PutRolePolicy of broken JSON = %v, want MalformedPolicyDocument", err)
	}
	huge := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/` + strings.Repeat("k", 10300) + `"}]}`
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &role, PolicyName: aws.String("conf-huge"), PolicyDocument: &huge})
	var le *iamtypes.LimitExceededException
	if !errors.As(err, &le) {
		t.Errorf("PutRolePolicy over 10,240 characters = %v, want LimitExceeded", err)
	}
	for _, n := range names {
		if _, err := c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: &role, PolicyName: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: &role, PolicyName: aws.String("conf-a")})
	var nse *iamtypes.NoSuchEntityException
	if !errors.As(err, &nse) {
		t.Errorf("second DeleteRolePolicy = %v, want NoSuchEntity", err)
	}
	_, err = c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("conf-no-such-role"), PolicyName: aws.String("x")})
	if !errors.As(err, &nse) {
		t.Errorf("GetRolePolicy of an unknown role = %v, want NoSuchEntity", err)
	}
}

// RunSSMConformance checks parameters under prefix (a path with nothing under it).
func RunSSMConformance(t *testing.T, c SSMClient, prefix string) {
	ctx := context.Background()
	for i := range 13 {
		if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(fmt.Sprintf("%s/p%02d", prefix, i)), Value: aws.String(fmt.Sprint(i)),
			Type: ssmtypes.ParameterTypeString}); err != nil {
			t.Fatalf("PutParameter: %v", err)
		}
	}
	if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(prefix + "/deep/q"), Value: aws.String("s"), Type: ssmtypes.ParameterTypeSecureString}); err != nil {
		t.Fatal(err)
	}
	_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(prefix + "/p00"), Value: aws.String("x"), Type: ssmtypes.ParameterTypeString})
	var ae *ssmtypes.ParameterAlreadyExists
	if !errors.As(err, &ae) {
		t.Errorf("PutParameter without Overwrite = %v, want ParameterAlreadyExists", err)
	}
	count := func(recursive bool) (n, pages int) {
		p := ssm.NewGetParametersByPathPaginator(c, &ssm.GetParametersByPathInput{Path: aws.String(prefix), Recursive: aws.Bool(recursive), WithDecryption: aws.Bool(true)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Parameters) > 10 {
				t.Errorf("a page of %d parameters, more than 10", len(page.Parameters))
			}
			pages++
			n += len(page.Parameters)
		}
		return n, pages
	}
	if n, pages := count(false); n != 13 || pages < 2 {
		t.Errorf("GetParametersByPath: %d parameters in %d pages, want 13 in at least 2", n, pages)
	}
	if n, _ := count(true); n != 14 {
		t.Errorf("GetParametersByPath recursive: %d parameters, want 14", n)
	}
	g, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(prefix + "/deep/q"), WithDecryption: aws.Bool(true)})
	if err != nil || aws.ToString(g.Parameter.Value) != "s" {
		t.Errorf("GetParameter = %+v, %v", g, err)
	}
	for _, n := range append([]string{prefix + "/deep/q"}, func() []string {
		var s []string
		for i := range 13 {
			s = append(s, fmt.Sprintf("%s/p%02d", prefix, i))
		}
		return s
	}()...) {
		if _, err := c.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(prefix + "/p00")})
	var nf *ssmtypes.ParameterNotFound
	if !errors.As(err, &nf) {
		t.Errorf("second DeleteParameter = %v, want ParameterNotFound", err)
	}
}

// relationalTableFormType is a form type every DataZone domain has.
const relationalTableFormType = "amazon.datazone.RelationalTableFormType"
