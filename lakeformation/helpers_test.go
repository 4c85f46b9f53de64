package lakeformation_test

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslf "github.com/aws/aws-sdk-go-v2/service/lakeformation"
	"github.com/aws/aws-sdk-go-v2/service/lakeformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

// held returns every permission the fake holds, read with ListPermissions (every page), as a
// user of the fake reads them.
func held(f *lakeformationtest.Fake) []types.PrincipalResourcePermissions {
	var out []types.PrincipalResourcePermissions
	p := awslf.NewListPermissionsPaginator(f, &awslf.ListPermissionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			panic(err)
		}
		out = append(out, page.PrincipalResourcePermissions...)
	}
	return out
}

// writeCount counts the calls the fake received that can change state, from its call log.
func writeCount(f *lakeformationtest.Fake) int {
	n := 0
	for _, op := range []string{lakeformationtest.OpBatchGrantPermissions, lakeformationtest.OpBatchRevokePermissions,
		lakeformationtest.OpPutDataLakeSettings, lakeformationtest.OpRegisterResource, lakeformationtest.OpCreateLFTag,
		lakeformationtest.OpUpdateLFTag, lakeformationtest.OpDeleteLFTag, lakeformationtest.OpAddLFTagsToResource} {
		n += f.Count(op)
	}
	return n
}

// settingsOf reads the fake's data lake settings with GetDataLakeSettings.
func settingsOf(f *lakeformationtest.Fake) types.DataLakeSettings {
	out, err := f.GetDataLakeSettings(context.Background(), &awslf.GetDataLakeSettingsInput{})
	if err != nil {
		panic(err)
	}
	return *out.DataLakeSettings
}

// resourceTags reads the LF-tags assigned to a database, a table or a column (with
// inheritance) with GetResourceLFTags.
func resourceTags(f *lakeformationtest.Fake, database, table, column string) []types.LFTagPair {
	r := &types.Resource{Database: &types.DatabaseResource{Name: &database}}
	if table != "" {
		r = &types.Resource{Table: &types.TableResource{DatabaseName: &database, Name: &table}}
	}
	if column != "" {
		r = &types.Resource{TableWithColumns: &types.TableWithColumnsResource{DatabaseName: &database, Name: &table, ColumnNames: []string{column}}}
	}
	out, err := f.GetResourceLFTags(context.Background(), &awslf.GetResourceLFTagsInput{Resource: r, ShowAssignedLFTags: aws.Bool(true)})
	if err != nil {
		panic(err)
	}
	switch {
	case column != "":
		if len(out.LFTagsOnColumns) == 0 {
			return nil
		}
		return out.LFTagsOnColumns[0].LFTags
	case table != "":
		return out.LFTagsOnTable
	}
	return out.LFTagOnDatabase
}

// grantAll applies grants as a hand-written plan, returning the grants applied.
func grantAll(pl *lakeformation.Planner, ctx context.Context, grants []lakeformation.Grant) ([]lakeformation.Grant, error) {
	res, err := pl.Apply(ctx, &lakeformation.Plan{Grants: grants})
	return res.Granted, err
}

// revokeAll applies revokes as a hand-written plan, returning the revokes applied.
func revokeAll(pl *lakeformation.Planner, ctx context.Context, revokes []lakeformation.Grant) ([]lakeformation.Grant, error) {
	res, err := pl.Apply(ctx, &lakeformation.Plan{Revokes: revokes})
	return res.Revoked, err
}

// invitations reads every invitation of the RAM fake with GetResourceShareInvitations.
func invitations(r *lakeformationtest.RAM) []ramtypes.ResourceShareInvitation {
	out, err := r.GetResourceShareInvitations(context.Background(), &ram.GetResourceShareInvitationsInput{})
	if err != nil {
		panic(err)
	}
	return out.ResourceShareInvitations
}

// concurrentModificationNext makes the next n calls to op fail with the
// ConcurrentModificationException parallel writers meet: typed for the operations whose model
// lists it, a generic API error with that code for the others (the batch calls among them).
func concurrentModificationNext(f *lakeformationtest.Fake, op string, n int) {
	for range n {
		var err error = &smithy.GenericAPIError{Code: "ConcurrentModificationException", Message: "Concurrent modification", Fault: smithy.FaultClient}
		if op == lakeformationtest.OpUpdateLFTag || op == lakeformationtest.OpAddLFTagsToResource {
			err = &types.ConcurrentModificationException{Message: aws.String("Concurrent modification")}
		}
		f.FailNext(op, err)
	}
}
