package opensearch

import awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"

// ParseAPIErrorForTest exposes the error decoder to the external tests.
func ParseAPIErrorForTest(method, path string, status int, body []byte) error {
	return parseAPIError(method, path, status, body)
}

// CreateInputForTest builds a CreateOutboundConnectionInput as StartConnection does.
func CreateInputForTest(alias, follower, leader string) *awsos.CreateOutboundConnectionInput {
	return &awsos.CreateOutboundConnectionInput{ConnectionAlias: &alias, LocalDomainInfo: Domain{Name: follower}.info(), RemoteDomainInfo: Domain{Name: leader}.info()}
}
