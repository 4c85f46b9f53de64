// Package opensearch secures and replicates Amazon OpenSearch Service indexes from Go:
// SigV4-signed clients for managed domains (es) and Serverless collections (aoss), the
// security plugin's roles with document-level security, field-level security and field
// masking, role mappings changed only by test-guarded JSON Patch so that concurrent writers
// never erase each other, internal users whose passwords never print, a check of a domain's
// fine-grained access control prerequisites, and cross-cluster replication with its guard
// rails.
//
//	client, err := opensearch.NewClient(cfg, opensearch.Endpoint{URL: "https://search-logs-x.eu-west-1.es.amazonaws.com"})
//	sec := opensearch.NewSecurity(client.Client)
//	_, err = sec.EnsureRole(ctx, opensearch.Role{Name: "analyst", IndexPermissions: []opensearch.IndexPermission{{
//		IndexPatterns: []string{"orders-*"}, AllowedActions: []string{"read"},
//		DLS: `{"term":{"region":"eu"}}`, FLS: opensearch.FieldSecurity{Exclude: []string{"ssn"}},
//		MaskedFields: []opensearch.MaskedField{{Field: "email"}},
//	}}})
//	_, err = sec.MapRole(ctx, "analyst", opensearch.RoleMapping{BackendRoles: []string{analystRoleARN}})
//
// # Role mappings
//
// The security plugin's PUT replaces a whole mapping, so two writers that read, modify and
// PUT erase each other's entries. MapRole and UnmapRole read the mapping and send a JSON
// Patch that tests each list they change and appends with /<list>/- (a JSON Patch add on
// /backend_roles would replace the array); when another writer got in between, the test
// fails and they read and try again. They never send DELETE. The plugin's API has no way to
// test that a mapping is absent, so the first creation of a mapping (a PUT after a 404) can
// still race with another writer creating the same mapping at that instant; MapRole detects
// it (the plugin answers "updated" instead of "created") and returns an error matching ErrMappingRace.
//
// # Replication
//
// Connections (RunConnection: create, accept on the leader, wait ACTIVE, idempotent by alias)
// use the opensearch SDK client; the replication plugin (Replication: start, pause,
// resume, stop, status, auto-follow) its REST API on the follower. Resuming more than
// 12 hours after a pause is refused before any call, since the leader's history is
// gone; a stopped follower can never replicate again.
package opensearch
