// Package datazonetest holds in-memory fakes of the AWS services package datazone calls:
// Amazon DataZone ([New]), the IAM inline role policies of consumer roles ([NewIAM]) and the
// SSM Parameter Store ([NewSSM]). Each speaks the SDK's types, checks requests against the
// service's API reference (required members, lengths, patterns, enums and the service's own
// rules) and answers with the service's typed errors; each embeds *fakecontrol.Controls for
// fault injection and a call log, keeps time by its own clock, and describes itself for
// package localaws with Service, so the real SDK clients reach it over the wire.
//
//	dz := datazonetest.New()
//	domain := dz.CreateDomain("sales")
//	project := dz.CreateProject(domain, "streaming")
//	env := dz.CreateEnvironment(domain, project, "111122223333", "eu-west-1")
//	srv, _ := localaws.Start([]localaws.Service{dz.Service()})
//	client := datazone.NewFromConfig(srv.Config())
//
// # DataZone
//
// Domains, projects and environments are created by the test (CreateDomain, CreateProject,
// CreateEnvironment). Form types are stored by name with revisions: CreateFormType parses the
// Smithy model (one structure; members targeting String, Boolean, Byte, Short, Integer, Long,
// Float, Double, BigInteger, BigDecimal or Timestamp; traits such as @required and
// @documentation) and adds a revision unless the model, description and status equal the
// latest one. Every domain has the built-ins amazon.datazone.RelationalTableFormType and
// amazon.datazone.AssetCommonDetailsFormType. DeleteFormType needs a DISABLED form type used
// by no asset type. Asset types have revisions of at most 10 forms, each pointing at an enabled
// form type revision; an asset type with assets cannot be deleted. Assets check their forms
// against the asset type (known names, required forms present, content a JSON object string of
// at most 300,000 characters whose members fit the form type's model) and are idempotent by
// clientToken; revisions carry no external identifier. Publish lists an asset; GetListing
// returns its forms as one JSON string keyed by form name. Subscription targets check
// authorizedPrincipals (1–20) and the manageAccessRole pattern. RequestGrant and
// RequestRevoke start grants, GrantEvent builds the EventBridge event, and
// UpdateSubscriptionGrantStatus enforces GRANT_PENDING → GRANT_IN_PROGRESS → GRANTED |
// GRANT_FAILED and REVOKE_PENDING → REVOKE_IN_PROGRESS → REVOKED | REVOKE_FAILED
// (ConflictException otherwise; rewriting the current status is allowed); GrantHistory
// returns every status a grant went through.
//
// Not modeled: domain creation and deletion, projects' memberships and authorization,
// glossaries, data sources and runs, lineage, subscription requests and subscriptions (grants
// start at RequestGrant), search, time series forms, asset filters and data products,
// Smithy shapes other than one structure of simple members (lists, enums, nested structures),
// the checks DataZone makes on member traits, and the conflict rules for concurrent revisions.
// Which CreateFormType and CreateAssetType calls reuse a revision rather than add one is the
// fake's reading of the documentation, to be confirmed against AWS.
//
// # IAM
//
// Roles are created by the test (AddRole). PutRolePolicy checks role and policy names
// ([\w+=,.@-]+, 64 and 128 characters), the document (JSON, Version, Effect, Action and
// Resource, no Principal: MalformedPolicyDocument) and the 10,240-character aggregate of a
// role's inline policies without whitespace (LimitExceeded); GetRolePolicy returns documents
// URL-encoded as IAM does; unknown roles and policies are NoSuchEntity. Not modeled: managed
// policies, users and groups, permission boundaries, policy evaluation.
//
// # SSM
//
// Parameters of type String, StringList and SecureString with versions; names follow the
// Parameter Store rules (characters, 15 levels, no aws/ssm prefix); PutParameter needs
// Overwrite to replace (ParameterAlreadyExists); GetParametersByPath returns at most 10 per
// page, recursively or not; SecureString values come back as a stand-in ciphertext unless
// WithDecryption. Not modeled: KMS keys, tiers and policies, labels, history, tags.
package datazonetest
