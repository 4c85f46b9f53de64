package opensearchtest

import (
	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"
	"github.com/aws/aws-sdk-go-v2/service/opensearch/types"
)

func createInput(alias, follower, leader string) *awsos.CreateOutboundConnectionInput {
	return &awsos.CreateOutboundConnectionInput{ConnectionAlias: &alias,
		LocalDomainInfo:  &types.DomainInformationContainer{AWSDomainInformation: &types.AWSDomainInformation{DomainName: &follower}},
		RemoteDomainInfo: &types.DomainInformationContainer{AWSDomainInformation: &types.AWSDomainInformation{DomainName: &leader}}}
}

func acceptInput(id string) *awsos.AcceptInboundConnectionInput {
	return &awsos.AcceptInboundConnectionInput{ConnectionId: &id}
}
