package opensearch

// ParseAPIErrorForTest exposes the error decoder to the external tests.
func ParseAPIErrorForTest(method, path string, status int, body []byte) error {
	return parseAPIError(method, path, status, body)
}
