package lakeformationtest

import (
	"net/http"

	"github.com/datablocks-go/datablocks/localaws"
)

// Service describes the Fake for package localaws: Lake Formation speaks restJson1 with
// PascalCase members, signs as "lakeformation" and routes each operation at
// POST /<OperationName>, as the Lake Formation API reference shows for every action.
func (f *Fake) Service() localaws.Service {
	return localaws.Service{
		SigningName: "lakeformation",
		Protocol:    localaws.RESTJSON1,
		Naming:      localaws.Pascal,
		Operations: []localaws.Operation{
			localaws.Route(OpBatchGrantPermissions, http.MethodPost, "/BatchGrantPermissions", f.BatchGrantPermissions),
			localaws.Route(OpBatchRevokePermissions, http.MethodPost, "/BatchRevokePermissions", f.BatchRevokePermissions),
			localaws.Route(OpListPermissions, http.MethodPost, "/ListPermissions", f.ListPermissions),
			localaws.Route(OpGetDataLakeSettings, http.MethodPost, "/GetDataLakeSettings", f.GetDataLakeSettings),
			localaws.Route(OpPutDataLakeSettings, http.MethodPost, "/PutDataLakeSettings", f.PutDataLakeSettings),
			localaws.Route(OpRegisterResource, http.MethodPost, "/RegisterResource", f.RegisterResource),
			localaws.Route(OpDescribeResource, http.MethodPost, "/DescribeResource", f.DescribeResource),
			localaws.Route(OpCreateLFTag, http.MethodPost, "/CreateLFTag", f.CreateLFTag),
			localaws.Route(OpGetLFTag, http.MethodPost, "/GetLFTag", f.GetLFTag),
			localaws.Route(OpUpdateLFTag, http.MethodPost, "/UpdateLFTag", f.UpdateLFTag),
			localaws.Route(OpDeleteLFTag, http.MethodPost, "/DeleteLFTag", f.DeleteLFTag),
			localaws.Route(OpAddLFTagsToResource, http.MethodPost, "/AddLFTagsToResource", f.AddLFTagsToResource),
			localaws.Route(OpGetResourceLFTags, http.MethodPost, "/GetResourceLFTags", f.GetResourceLFTags),
			localaws.Route(OpSearchDatabasesByLFTags, http.MethodPost, "/SearchDatabasesByLFTags", f.SearchDatabasesByLFTags),
			localaws.Route(OpSearchTablesByLFTags, http.MethodPost, "/SearchTablesByLFTags", f.SearchTablesByLFTags),
		},
	}
}

// Service describes the RAM fake for package localaws: AWS RAM speaks restJson1 with
// lowerCamel members, signs as "ram" and routes at lower-case paths
// (POST /getresourceshareinvitations, POST /acceptresourceshareinvitation). Its
// ThrottlingException is HTTP 429, as the RAM model says.
func (r *RAM) Service() localaws.Service {
	return localaws.Service{
		SigningName: "ram",
		Protocol:    localaws.RESTJSON1,
		Naming:      localaws.LowerCamel,
		ErrorStatus: map[string]int{"ThrottlingException": http.StatusTooManyRequests},
		Operations: []localaws.Operation{
			localaws.Route(OpGetResourceShareInvitations, http.MethodPost, "/getresourceshareinvitations", r.GetResourceShareInvitations),
			localaws.Route(OpAcceptResourceShareInvitation, http.MethodPost, "/acceptresourceshareinvitation", r.AcceptResourceShareInvitation),
		},
	}
}
