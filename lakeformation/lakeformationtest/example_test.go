package lakeformationtest_test

import (
	"context"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	"github.com/aws/smithy-go"
	"time"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

// Parallel grants meet ConcurrentModificationException; BatchGrantPermissions' model does not
// list it, so the SDK decodes it as a generic API error with that code.
func ExampleFake_concurrentModification() {
	lf := lakeformationtest.New()
	cme := &smithy.GenericAPIError{Code: "ConcurrentModificationException", Message: "Concurrent modification", Fault: smithy.FaultClient}
	lf.FailNext(lakeformationtest.OpBatchGrantPermissions, cme)
	lf.FailNext(lakeformationtest.OpBatchGrantPermissions, cme)
	clock := datablocks.NewManualClock(time.Time{})
	planner := lakeformation.NewPlanner(lf, func(o *lakeformation.Options) { o.Retry.Clock = clock })
	_, err := planner.Apply(context.Background(), &lakeformation.Plan{Grants: []lakeformation.Grant{{Principal: "210987654321",
		Resource: lakeformation.Database("sales"), Permissions: []types.Permission{types.PermissionDescribe}}}})
	fmt.Println(err, lf.Count(lakeformationtest.OpBatchGrantPermissions), len(clock.Sleeps()))
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
	ctx := context.Background()
	invitations := lakeformationtest.NewRAM(func(o *lakeformationtest.Options) { o.AccountID = "210987654321" })
	invitations.Invite("111122223333", "LakeFormation-V3-share")
	c := lakeformation.NewConsumer(nil, nil, invitations)
	err := c.Setup(ctx, lakeformation.SetupInput{FromAccount: "111122223333"}) // no links: accept the invitations
	out, _ := invitations.GetResourceShareInvitations(ctx, &ram.GetResourceShareInvitationsInput{})
	fmt.Println(len(out.ResourceShareInvitations), out.ResourceShareInvitations[0].Status, err)
	// Output: 1 ACCEPTED <nil>
}
