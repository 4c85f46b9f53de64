// Package lakeformation applies AWS Lake Formation permissions safely: typed grants validated
// against the permission model before any call, batched grants and revokes that survive
// ConcurrentModificationException and throttling, a plan/apply engine that converges the
// current permissions to a desired set with the fewest writes, data lake settings changes that
// keep every field they do not touch, LF-tag based access control, cross-account sharing with
// AWS RAM, data mesh registration and a data-sharing workflow with approvals for PII.
//
//	planner := lakeformation.NewPlanner(lfClient)
//	plan, err := planner.Plan(ctx, lakeformation.PlanInput{Desired: []lakeformation.Grant{{
//		Principal:   lakeformation.Role("arn:aws:iam::123456789012:role/analyst"),
//		Resource:    lakeformation.Columns("sales", "orders", "id", "amount"),
//		Permissions: []lakeformation.Permission{lakeformation.Select},
//	}}, Revoke: true})
//	fmt.Println(plan) // review, then
//	_, err = planner.Apply(ctx, plan)
//
// # Clients
//
// Each helper takes the narrow interface of the SDK methods it calls, satisfied by the SDK
// clients: PermissionsAPIClient (Granter, Planner, SharingWorkflow, Consumer),
// SettingsAPIClient (Settings), LFTagsAPIClient (Tags) and MeshAPIClient (Mesh, both of the
// former) by *lakeformation.Client; GlueCatalogAPIClient (SharingWorkflow, Consumer, Mesh) by
// *glue.Client; InvitationsAPIClient (Consumer) by *ram.Client; PublishAPIClient
// (SNSNotifier) by *sns.Client. lakeformationtest.Fake, lakeformationtest.RAM and
// gluetest.Fake implement them in tests.
//
// # Grants
//
// A Grant is a Principal (Role, User, Account, Organization, OrganizationalUnit,
// SAMLPrincipal, IdentityCenterPrincipal or IAMAllowedPrincipals), a Resource (Catalog,
// Database, Table, AllTables, Columns, ColumnsExcept, DataLocation, LFTag, TagPolicy) and
// Permissions with an optional GrantOption. Grant.Validate applies the matrix of the Lake
// Formation permissions reference (ValidPermissions): SELECT only on tables, columns and tag
// policies on tables, CREATE_TABLE only on databases and tag policies on databases,
// DATA_LOCATION_ACCESS only on locations, column resources with SELECT only, grant options a
// subset of the permissions.
//
// Lake Formation records SELECT on a named table as SELECT on all its columns
// (TableWithColumns with a ColumnWildcard); the Planner compares in that form, so a desired
// table SELECT converges.
//
// # Options and defaults
//
// Every helper has an options struct named after it (GranterOptions, PlannerOptions,
// TagsOptions, SettingsOptions, MeshOptions, ConsumerOptions, SharingWorkflowOptions,
// SNSNotifierOptions), functional options at construction and per call (applied to a copy),
// ClientOptions passed to the SDK and a Logger for debug records, silent when nil. The
// Granter sends at most DefaultBatchSize (20) entries per call with unique IDs, and retries
// ConcurrentModificationException, OperationTimeoutException and throttling, for a call or
// single entries, as GranterOptions.Retry (a datablocks.RetryOptions) says: DefaultMaxAttempts
// (8) calls with exponential backoff from DefaultMinDelay (1s) to DefaultMaxDelay (20s) when
// zero, on an injectable Clock. The helpers that grant (Planner, Mesh, Consumer,
// SharingWorkflow) embed GranterOptions. The Planner reads ListPermissions with MaxResults
// DefaultListPageSize (100), every page.
//
// # Errors
//
// Invalid input fails before any call with an error naming the field and the rule
// (*InvalidGrantError for grants). Partial batch failures return a *BatchError whose Errors
// are aligned with the input grants (an *EntryFailure with code and message where an entry
// failed, nil where it succeeded), with Failures listing the failed entries and their input
// index, next to the grants applied; its Unwrap returns the entry failures. SDK errors are wrapped with %w, so errors.As finds
// *types.ConcurrentModificationException, *types.EntityNotFoundException and the others. A
// grant Lake Formation reports as already granted, and a revoke of a permission not held, are
// successes. Tag assignment failures are a *TagAssignmentError; a location registered with
// another role or hybrid access mode than asked is a *LocationConflictError; workflow
// transitions a request's state forbids are a *RequestStateError.
//
// # Testing
//
// Package lakeformationtest provides in-memory fakes of Lake Formation (permissions, settings,
// LF-tags) and AWS RAM with the real semantics, fault injection and call logs; package
// glue/gluetest provides the Glue Data Catalog fake.
package lakeformation
