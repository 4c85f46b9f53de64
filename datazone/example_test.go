package datazone_test

import (
	"context"
	"fmt"

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

func ExampleFormType_Smithy() {
	model, _ := datazone.FormType{Name: "Quality", Fields: []datazone.FormField{
		{Name: "score", Type: datazone.Double, Required: true},
		{Name: "checked_at", Type: datazone.Timestamp},
	}}.Smithy()
	fmt.Print(model)
	// Output:
	// structure Quality {
	//     @required
	//     score: Double
	//     checked_at: Timestamp
	// }
}

func ExampleParseGrantEvent() {
	ev, err := datazone.ParseGrantEvent([]byte(`{"detail-type":"Subscription Grant Requested","source":"aws.datazone",
		"detail":{"metadata":{"id":"grant1","domain":"dzd_abc"},"data":{"asset":{"listingId":"lst1","listingVersion":"2","typeName":"MskTopicAssetType"},
		"subscriptionTarget":{"id":"tgt1","environmentId":"env1"}}}}`))
	fmt.Println(ev.Kind, ev.GrantID, ev.ListingID, ev.ListingRevision, err)
	// Output: Subscription Grant Requested grant1 lst1 2 <nil>
}
