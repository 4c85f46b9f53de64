package datazonetest

import (
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/datazone/types"

	"github.com/datablocks-go/datablocks/localaws"
)

// Service describes the fake as DataZone on the wire for package localaws: restJson1 with
// lower-camel member names, signing name "datazone", the routes of the DataZone API
// reference, and the members the model sends as date-time strings instead of epoch seconds.
func (f *Fake) Service() localaws.Service {
	const d = "/v2/domains/{domainIdentifier}"
	return localaws.Service{
		SigningName: "datazone",
		Protocol:    localaws.RESTJSON1,
		Naming:      localaws.LowerCamel,
		// GetEnvironment's createdAt and updatedAt are timestampFormat date-time in the model
		// (the SDK's deserializer parses them with smithytime.ParseDateTime).
		DateTimes: []string{"GetEnvironmentOutput.CreatedAt", "GetEnvironmentOutput.UpdatedAt"},
		Unions: []any{
			types.ModelMemberSmithy{}, types.ListingItemMemberAssetListing{}, types.GrantedEntityMemberListing{},
		},
		ErrorStatus: map[string]int{
			"AccessDeniedException": http.StatusForbidden, "ConflictException": http.StatusConflict,
			"ResourceNotFoundException": http.StatusNotFound, "ServiceQuotaExceededException": 402,
			"ThrottlingException": http.StatusTooManyRequests, "UnauthorizedException": http.StatusUnauthorized,
			"ValidationException": http.StatusBadRequest, "InternalServerException": http.StatusInternalServerError,
		},
		Operations: []localaws.Operation{
			localaws.Route(OpGetDomain, "GET", "/v2/domains/{identifier}", f.GetDomain),
			localaws.Route(OpCreateFormType, "POST", d+"/form-types", f.CreateFormType),
			localaws.Route(OpGetFormType, "GET", d+"/form-types/{formTypeIdentifier}", f.GetFormType),
			localaws.Route(OpDeleteFormType, "DELETE", d+"/form-types/{formTypeIdentifier}", f.DeleteFormType),
			localaws.Route(OpCreateAssetType, "POST", d+"/asset-types", f.CreateAssetType),
			localaws.Route(OpGetAssetType, "GET", d+"/asset-types/{identifier}", f.GetAssetType),
			localaws.Route(OpDeleteAssetType, "DELETE", d+"/asset-types/{identifier}", f.DeleteAssetType),
			localaws.Route(OpCreateAsset, "POST", d+"/assets", f.CreateAsset),
			localaws.Route(OpGetAsset, "GET", d+"/assets/{identifier}", f.GetAsset),
			localaws.Route(OpDeleteAsset, "DELETE", d+"/assets/{identifier}", f.DeleteAsset),
			localaws.Route(OpCreateAssetRevision, "POST", d+"/assets/{identifier}/revisions", f.CreateAssetRevision),
			localaws.Route(OpGetListing, "GET", d+"/listings/{identifier}", f.GetListing),
			localaws.Route(OpGetEnvironment, "GET", d+"/environments/{identifier}", f.GetEnvironment),
			localaws.Route(OpCreateSubscriptionTarget, "POST", d+"/environments/{environmentIdentifier}/subscription-targets", f.CreateSubscriptionTarget),
			localaws.Route(OpListSubscriptionTargets, "GET", d+"/environments/{environmentIdentifier}/subscription-targets", f.ListSubscriptionTargets),
			localaws.Route(OpGetSubscriptionTarget, "GET", d+"/environments/{environmentIdentifier}/subscription-targets/{identifier}", f.GetSubscriptionTarget),
			localaws.Route(OpUpdateSubscriptionTarget, "PATCH", d+"/environments/{environmentIdentifier}/subscription-targets/{identifier}", f.UpdateSubscriptionTarget),
			localaws.Route(OpGetSubscriptionGrant, "GET", d+"/subscription-grants/{identifier}", f.GetSubscriptionGrant),
			localaws.Route(OpUpdateSubscriptionGrantStatus, "PATCH", d+"/subscription-grants/{identifier}/status/{assetIdentifier}", f.UpdateSubscriptionGrantStatus),
		},
	}
}
