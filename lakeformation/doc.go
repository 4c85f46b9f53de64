// Package lakeformation applies AWS Lake Formation permissions safely: typed grants validated
// against the permission model before any call, batched grants and revokes that survive
// ConcurrentModificationException and throttling, a plan/apply engine that converges the
// current permissions to a desired set with the fewest writes, data lake settings changes that
// keep every field they do not touch, LF-tag based access control, cross-account sharing with
// AWS RAM, data mesh registration and a data-sharing workflow with approvals for PII.
//
//	analyst := lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/analyst")
//	planner := lakeformation.NewPlanner(lfClient)
//	plan, err := planner.Plan(ctx, lakeformation.PlanInput{
//		Desired: []lakeformation.Grant{{
//			Principal:   analyst,
//			Resource:    lakeformation.Columns("sales", "orders", "id", "amount"),
//			Permissions: []types.Permission{types.PermissionSelect},
//		}},
//		Principals: []lakeformation.DataLakePrincipal{analyst}, // the scope Revoke governs
//		Revoke:     true,
//	})
//	fmt.Println(plan) // review, then
//	_, err = planner.Apply(ctx, plan)
//
// # Scope and Revoke
//
// Plan reads the permissions of its scope: every principal's permissions on the resources of
// PlanInput.Desired and PlanInput.Resources, and the permissions of PlanInput.Principals on
// every resource. With Revoke, whatever it reads that Desired does not hold is revoked, from
// whoever holds it: a Desired grant on sales.orders with Revoke also revokes other
// principals' permissions on sales.orders. The example above scopes by principal instead, so
// only the analyst's permissions change. An LF-tag resource stands for its key and the values
// it names, never the key's other values. What Plan reads but cannot govern (data cells
// filters, saved LF-tag expressions, grants with conditions) is listed in Plan.Unmanaged and
// printed with "!", and never revoked.
//
// # Clients
//
// Each helper takes the narrow interface of the SDK methods it calls, satisfied by the SDK
// clients: PermissionsAPIClient (Planner, SharingWorkflow, Consumer),
// SettingsAPIClient (Settings), LFTagsAPIClient (Tags) and MeshAPIClient (Mesh, both of the
// former) by *lakeformation.Client; GlueCatalogAPIClient (SharingWorkflow, Consumer, Mesh) by
// *glue.Client; InvitationsAPIClient (Consumer) by *ram.Client; PublishAPIClient
// (SNSNotifier) by *sns.Client. Constructors take the Lake Formation client first, then the
// others in alphabetical order of service: NewMesh(lf, glue), NewSharingWorkflow(lf, glue,
// store, notifier), NewConsumer(lf, glue, ram). lakeformationtest.Fake,
// lakeformationtest.RAM and gluetest.Fake implement them in tests.
//
// # Grants
//
// A Grant is a DataLakePrincipal (an IAM role or user ARN, an account ID, an Organizations
// ARN, SAMLPrincipal, IdentityCenterPrincipal or IAMAllowedPrincipals), a Resource (Catalog,
// Database, Table, AllTables, Columns, ColumnsExcept, DataLocation, LFTag, TagPolicy) and
// Permissions, the SDK's types.Permission values, with an optional GrantOption. Plan and Apply
// validate every grant before any call, and Grant.Validate checks one, against the matrix of
// the Lake Formation permissions reference (an error names the permissions valid on the
// resource): SELECT only on tables, columns and tag policies on tables, CREATE_TABLE only on
// databases and tag policies on databases, DATA_LOCATION_ACCESS only on locations, column
// resources with SELECT only, ALTER and DROP on an LF-tag only for the whole key (LFTag(key,
// "*")) while DESCRIBE, ASSOCIATE and GRANT_WITH_LF_TAG_EXPRESSION also apply to named values,
// grant options a subset of the permissions and never on a column exclude list
// (ColumnsExcept), which needs an include list.
//
// The Planner compares grants in the shapes Lake Formation lists them, so that a plan made
// right after its own Apply is empty: SELECT on a named table is listed on all its columns
// (TableWithColumns with a ColumnWildcard); grants on all tables of a database are listed
// under the table name "ALL_TABLES" (TableWithColumns with a ColumnWildcard for SELECT, Table
// with a TableWildcard for the others); listings carry the catalog ID; column lists, excluded
// columns, tag values and tag expressions compare as sets; LF-tag values are compared one by
// one.
//
// # Options and defaults
//
// Every helper takes Options: functional options at construction and per call (applied to a
// copy), with the CatalogID of Lake Formation calls, client options for each service
// (ClientOptions for Lake Formation, GlueClientOptions, RAMClientOptions, SNSClientOptions) and
// a Logger for debug records, silent when nil. Every Lake Formation call
// is retried on ConcurrentModificationException, OperationTimeoutException and throttling as
// Options.Retry (a datablocks.RetryOptions) says: 8 calls with exponential backoff from 1
// second to 20 seconds when zero, on Retry.Clock (nil means the client's clock when it is a
// fake, else the system clock). Planner.Apply sends at most 20 entries per call (the
// service's maximum) with unique IDs and retries the whole call or single entries. The
// Planner reads ListPermissions 100 entries a page, every page.
//
// # Errors
//
// Invalid input fails before any call with an error naming the field and the rule
// (*InvalidGrantError for grants, naming the list and index: grants[2], revokes[0],
// PlanInput.Desired[1]). Planner.Apply validates the whole plan before its first write.
// Partial batch failures return a *BatchError whose Errors are aligned with the plan's grants
// (or revokes): an *EntryFailure with its index, code and message where an entry failed, nil
// where it succeeded; its Unwrap returns the entry failures, and the ApplyResult returned
// with it lists the grants applied. SDK errors are wrapped with %w, so errors.As finds
// *types.ConcurrentModificationException, *types.EntityNotFoundException and the others. A
// grant Lake Formation reports as already granted, and a revoke of a permission not held, are
// successes. Tag assignment failures are a *TagAssignmentError; a location registered with
// another role or hybrid access mode than asked is a *LocationConflictError; workflow
// transitions a request's state forbids are a *RequestStateError.
//
// # Sharing workflow
//
// The SharingWorkflow fails closed: governance parameters are read with
// glue.ParseGovernance, and a pii_flag it cannot read sends the request to approval. A
// database-wide request is shared table by table (the tables present when it is evaluated,
// each named in the grants), never on the table wildcard, and waits for approval when any of
// them carries PII.
//
// # Testing
//
// Package lakeformationtest provides in-memory fakes of Lake Formation (permissions, settings,
// LF-tags) and AWS RAM with the service's own validation, listing shapes, fault injection and
// call logs; package glue/gluetest provides the Glue Data Catalog fake.
package lakeformation
