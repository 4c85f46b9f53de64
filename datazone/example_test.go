package datazone_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	dztypes "github.com/aws/aws-sdk-go-v2/service/datazone/types"

	"github.com/datablocks-go/datablocks/datazone"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
)

func ExampleAssetTypes_EnsureAssetType() {
	fake := datazonetest.New()
	domain := fake.CreateDomain("sales")
	scope := datazone.Scope{Domain: domain, Project: fake.CreateProject(domain, "streaming")}
	types := datazone.NewAssetTypes(fake)
	first, _ := types.EnsureAssetType(context.Background(), scope, datazone.MskTopicAssetType)
	again, _ := types.EnsureAssetType(context.Background(), scope, datazone.MskTopicAssetType)
	fmt.Println(first, again)
	// Output: created unchanged
}

func ExampleAssetTypes_EnsureFormType() {
	fake := datazonetest.New()
	domain := fake.CreateDomain("sales")
	scope := datazone.Scope{Domain: domain, Project: fake.CreateProject(domain, "streaming")}
	quality := datazone.FormType{Name: "Quality", Fields: []datazone.FormField{
		{Name: "score", Type: datazone.Double, Required: true},
		{Name: "checked_at", Type: datazone.Timestamp},
	}}
	ch, _ := datazone.NewAssetTypes(fake).EnsureFormType(context.Background(), scope, quality)
	// The form type is stored as a Smithy model.
	out, _ := fake.GetFormType(context.Background(), &awsdz.GetFormTypeInput{DomainIdentifier: &domain, FormTypeIdentifier: aws.String("Quality")})
	fmt.Println(ch)
	fmt.Print(out.Model.(*dztypes.ModelMemberSmithy).Value)
	// Output:
	// created
	// structure Quality {
	//     @required
	//     score: Double
	//     checked_at: Timestamp
	// }
}

// printGranter is a Granter of its own: it prints the subscriptions it applies.
type printGranter struct{}

func (printGranter) Grant(_ context.Context, s datazone.Subscription) error {
	fmt.Println("grant", s.AssetType, "to", s.Principals, "in", s.ConsumerAccount)
	return nil
}

func (printGranter) Revoke(_ context.Context, s datazone.Subscription) error {
	fmt.Println("revoke", s.AssetType, "from", s.Principals)
	return nil
}

func ExampleAuthorizer_HandleEvent() {
	ctx := context.Background()
	fake := datazonetest.New()
	domain := fake.CreateDomain("sales")
	producer, consumer := fake.CreateProject(domain, "producer"), fake.CreateProject(domain, "consumer")

	// A custom asset type, an asset of it, listed.
	report := datazone.AssetType{Name: "Report", FormTypes: []datazone.FormType{{Name: "ReportForm", Fields: []datazone.FormField{{Name: "url", Type: datazone.String, Required: true}}}},
		Forms: []datazone.FormRef{{Name: "ReportForm", TypeName: "ReportForm", Required: true}}}
	if _, err := datazone.NewAssetTypes(fake).EnsureAssetType(ctx, datazone.Scope{Domain: domain, Project: producer}, report); err != nil {
		panic(err)
	}
	asset, err := fake.CreateAsset(ctx, &awsdz.CreateAssetInput{DomainIdentifier: &domain, OwningProjectIdentifier: &producer, Name: aws.String("weekly"),
		TypeIdentifier: aws.String("Report"), FormsInput: []dztypes.FormInput{{FormName: aws.String("ReportForm"), Content: aws.String(`{"url":"s3://reports/weekly"}`)}}})
	if err != nil {
		panic(err)
	}
	listing := fake.Publish(domain, aws.ToString(asset.Id))

	// The consumer's environment and the target whose principals get access.
	env := fake.CreateEnvironment(domain, consumer, "222233334444", "eu-west-1")
	if _, err := datazone.NewSubscriptionTargets(fake).EnsureSubscriptionTarget(ctx, domain, env, datazone.SubscriptionTarget{
		Name: "reports", ApplicableAssetTypes: []string{"Report"}, AuthorizedPrincipals: []string{"arn:aws:iam::222233334444:role/reader"},
		ManageAccessRole: "arn:aws:iam::222233334444:role/dz-manage"}); err != nil {
		panic(err)
	}
	targets, _ := fake.ListSubscriptionTargets(ctx, &awsdz.ListSubscriptionTargetsInput{DomainIdentifier: &domain, EnvironmentIdentifier: &env})
	grant := fake.RequestGrant(domain, listing, aws.ToString(targets.Items[0].Id))

	// The EventBridge event DataZone sends, handled as a Lambda function would.
	auth := datazone.NewAuthorizer(fake, printGranter{}, func(o *datazone.Options) { o.AssetTypes = []string{"Report"} })
	outcome, err := auth.HandleEvent(ctx, fake.GrantEvent(domain, grant, false))
	fmt.Println(outcome.Status, err)
	// Output:
	// grant Report to [arn:aws:iam::222233334444:role/reader] in 222233334444
	// GRANTED <nil>
}
