package lakeformationtest_test

import (
	"context"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func ExampleFake_ConcurrentModificationNext() {
	lf := lakeformationtest.New()
	lf.ConcurrentModificationNext("BatchGrantPermissions", 2)
	clock := datablocks.NewManualClock(time.Time{})
	planner := lakeformation.NewPlanner(lf, func(o *lakeformation.PlannerOptions) { o.Retry.Clock = clock })
	_, err := planner.Apply(context.Background(), &lakeformation.Plan{Grants: []lakeformation.Grant{{Principal: "210987654321",
		Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}}}})
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
