// Package opensearchtest is a local Amazon OpenSearch Service for tests and examples: a
// control-plane fake (DescribeDomain and the cross-cluster connection operations, in SDK
// shapes, and on the wire through localaws with Service) and, per domain, a data-plane HTTP
// server on 127.0.0.1 with the security plugin's REST API, a small document store that
// enforces the plugin's roles on what it returns, and the cross-cluster replication plugin.
// It does not import package opensearch: it is a second, independent reading of the service.
//
//	f := opensearchtest.New()
//	defer f.Close()
//	d, _ := f.AddDomain(opensearchtest.DomainSpec{Name: "logs"})
//	client, _ := opensearch.NewClient(f.Config(), opensearch.Endpoint{URL: d.URL()})
//	sec := opensearch.NewSecurity(client.Client)
//
// Domain.Transport is a ready signed transport whose Clock is the fake's, so helpers that
// wait through it (replication) sleep no wall time. A conformance suite checks the control
// plane, in-process and through localaws and the real SDK client (both run in this package's
// tests).
//
// # Signing and identity
//
// Every request must be SigV4-signed for the domain's region and signing name: es for
// domains (AddDomain), aoss for Serverless collections (AddCollection, which also require
// X-Amz-Content-Sha256); a wrong signing name is refused with 403 "Credential should be
// scoped to correct service". The signature is recomputed with the secret of the access key
// (Config signs as the master user, ConfigFor as any IAM role ARN), and its date must be
// within 5 minutes of the wall clock. Domains also accept basic authentication of internal
// users. A SigV4 caller's user name and backend role are its principal ARN; roles come from
// the role mappings (users, backend_roles, and_backend_roles), plus an internal user's
// opendistro_security_roles. The master user is mapped to all_access and security_manager,
// as AWS maps a domain's master user ARN.
//
// # Security plugin
//
// roles, rolesmapping, internalusers and actiongroups under _plugins/_security/api (and
// _opendistro/_security/api): GET (one or all, with reserved/hidden/static flags), PUT
// (replaces; 201 created or 200 updated), PATCH (RFC 6902 on one entry or, without a name,
// the collection; add on an existing member replaces it, "/-" appends, a failed test is 400
// "[TEST Operation] value mismatch" and nothing is applied), DELETE. Built-in entries are
// seeded with the plugin's flags (all_access, readall and opensearch_dashboards_user static
// and reserved; security_manager and the cross_cluster_replication_* roles reserved; a
// hidden security_rest_api_access; the static action groups read, search, get, write,
// index, delete, crud, create_index, manage, indices_all). Writes to hidden (404 "Resource
// 'x' is not available."), static (403 "... is static.") and reserved (403 "... is
// reserved.") entries are refused in that order; unknown keys give 400 invalid_keys, wrong
// types "Wrong datatype", null array elements and empty bodies their messages; a mapping
// needs its role, an internal user's roles must exist and not be reserved, a new user needs
// a password or hash. Passwords are stored hashed and never answered. Only callers with
// all_access or security_manager may use the API.
//
// # Documents
//
// PUT /<index> (with mappings), PUT|POST /<index>/_doc[/<id>], GET /<index>/_doc/<id> and
// GET|POST /<index>/_search with the query subset match_all, match, term, terms and bool.
// Each call needs a role granting the action (indices:data/read/search, .../get,
// indices:data/write/index, indices:admin/create; action groups expanded) on the index,
// else 403 security_exception "no permissions for [<action>] and User [name=...,
// backend_roles=[...], requestedTenant=null]". Results are filtered as the plugin does:
// DLS (the queries of the granting roles, OR-ed; a granting role without DLS lifts it;
// ${user.name}, ${user.roles}, ${user.securityRoles} and ${attr.internal.*} substituted),
// FLS (each granting role's list must show a field: include names, or ~exclusions, with
// wildcards, on dotted paths), and masking of string fields (the plugin's salted
// BLAKE2b-256 by default, field::ALGO, or regex replacements; numbers, booleans and fields
// mapped as other than text or keyword stay unmasked; a granting role without masked_fields
// lifts masking). Serverless collections apply no roles.
//
// # Replication
//
// On a follower domain, _plugins/_replication/<index>/_start needs an ACTIVE outbound
// connection with the given leader_alias (created with CreateOutboundConnection, accepted
// with AcceptInboundConnection, active after three steps of 10 seconds of the fake's clock),
// the leader index, use_roles, and a follower index that does not exist: it copies the
// leader's documents and is BOOTSTRAPING for 30 seconds, then SYNCING (the leader's later
// writes reach the follower on its next read). _pause and _stop require the body {};
// _resume is refused more than 12 hours after the pause ("Retention lease doesn't
// exist"); a stopped follower is a plain index that can never be a follower again ("Cant use
// same index again for replication"); writes to a replicating follower get 403
// cluster_block_exception. _autofollow (POST, DELETE with a body) rules start followers for
// matching leader indexes; deleting a rule stops nothing; autofollow_stats reports them.
//
// # Control plane
//
// The connection operations follow the API reference: the alias rule and uniqueness,
// 20 live connections per domain (LimitExceededException), VALIDATING →
// PENDING_ACCEPTANCE → APPROVED → PROVISIONING → ACTIVE by the fake's clock (10 seconds
// each; PENDING_ACCEPTANCE lasts until accepted), rejection and deletion (REJECTING/DELETING
// for 10 seconds, then final), VALIDATION_FAILED when the remote domain is
// unknown or older, filters (connection-id, local-/remote-domain-info.domain-name,
// owner-id, region) and pages of Options.PageSize. Describe reads report connections only
// the clock moves on to fakecontrol.WaitingOnClock. The fake embeds *fakecontrol.Controls:
// FailNext, ThrottleNext, Control, KeepControl and Count take the Op constants, which also
// name the data-plane calls (control functions get a *Request and may answer a *Response).
//
// # Not modeled
//
// Aggregations (so their inaccuracy on hashed fields), the full query DSL and scoring,
// analyzers beyond lower-cased word splitting, the DLS modes (lucene-level, filter-level,
// term-lookup queries), DLS/FLS on aliases and multi-index searches, the plugin's legacy
// BLAKE2B_LEGACY_DEFAULT masking mode and hash algorithms other than MD5 and SHA-1/224/256/
// 384/512, bcrypt password hashes, tenants, the audit log, REST API admin permissions beyond
// all_access/security_manager, cluster permissions other than for replication, Serverless
// data access policies, the security plugin's exact error for non-admin API callers,
// replication's leader_stats and follower_stats, shards and checkpoints beyond one sequence
// number, the managed cross-region replication API, and every other OpenSearch API.
package opensearchtest
