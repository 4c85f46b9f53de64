package lakeformationtest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func ExampleFake_ConcurrentModificationNext() {
	lf := lakeformationtest.New()
	lf.ConcurrentModificationNext("BatchGrantPermissions", 2)
	clock := datablocks.NewManualClock(time.Time{})
	g := lakeformation.NewGranter(lf, func(o *lakeformation.GranterOptions) { o.Retry.Clock = clock })
	_, err := g.Grant(context.Background(), []lakeformation.Grant{{Principal: "210987654321",
		Resource: lakeformation.Database("sales"), Permissions: []lakeformation.Permission{lakeformation.Describe}}})
	fmt.Println(err, lf.Count("BatchGrantPermissions"), len(clock.Sleeps()))
	for _, c := range lf.Calls() {
		fmt.Println(c.Op, c.Err != nil)
	}
	// Output:
	// <nil> 3 2
	// BatchGrantPermissions true
	// BatchGrantPermissions true
	// BatchGrantPermissions false
}

func ExampleRAM() {
	ram := lakeformationtest.NewRAM(func(o *lakeformationtest.RAMOptions) { o.AccountID = "210987654321" })
	ram.Invite("111122223333", "LakeFormation-V3-share")
	c := lakeformation.NewConsumer(nil, nil, ram)
	accepted, err := c.AcceptInvitations(context.Background(), "111122223333")
	fmt.Println(len(accepted), accepted[0].Status, err)
	// Output: 1 ACCEPTED <nil>
}
