// Package lakeformationtest provides in-memory fakes of AWS Lake Formation (Fake) and of the
// AWS RAM invitation calls (RAM), for tests of code built on package lakeformation. Both use
// the exact aws-sdk-go-v2 method signatures, return real output shapes and real SDK typed
// errors, and are safe for concurrent use.
//
//	lf := lakeformationtest.New()
//	planner := lakeformation.NewPlanner(lf)
//	plan, _, err := planner.Converge(ctx, lakeformation.PlanInput{Desired: grants})
//	writes := lf.WriteCount() // API economy, from the call log
//
// # Permissions
//
// BatchGrantPermissions and BatchRevokePermissions accumulate permissions and grant options per
// principal and resource. SELECT on a named table is recorded on all its columns, as Lake
// Formation does. Each entry is validated against the permission matrix of package
// lakeformation (InvalidInputException); LF-tags must exist (EntityNotFoundException); with
// Options.StrictCatalog, databases, tables and data locations must be declared (AddDatabase,
// AddTable, RegisterResource) or the entry fails with EntityNotFoundException. Revoking
// permissions not held fails the entry with InvalidInputException "No permissions revoked".
// More than 20 entries or duplicate IDs fail the call. Empty CatalogIds are filled with
// Options.AccountID. ListPermissions filters by Principal, Resource (a named table selects
// its table and column permissions; a TableWithColumns resource is rejected, as the SDK
// documents) and ResourceType, in pages of Options.PageSize (DefaultPageSize, 3), with
// NextToken checked.
//
// # Settings, locations and LF-tags
//
// GetDataLakeSettings and PutDataLakeSettings hold the whole settings object; Put replaces it,
// as the service does. A new Fake has a new account's defaults (IAM_ALLOWED_PRINCIPALS ALL on
// new databases and tables, CROSS_ACCOUNT_VERSION 1). RegisterResource records S3 locations (AlreadyExistsException for
// a second registration) and DescribeResource reads them back.
// LF-tags are created, updated, deleted, assigned to databases, tables and columns with
// inheritance (column over table over database), read back with GetResourceLFTags and searched
// with SearchDatabasesByLFTags and SearchTablesByLFTags.
//
// # Faults and the call log
//
// Both fakes embed *fakecontrol.Controls: Control and KeepControl intercept calls (FIFO,
// falling through when not handled), FailNext fails the next call, ThrottleNext injects
// throttling (the generic ThrottlingException for Lake Formation, *types.ThrottlingException
// for RAM), and Calls, Count and ResetCalls read the log. The Lake Formation fake adds
// ConcurrentModificationNext, the error parallel grants meet, and WriteCount, the number of
// calls that can change state.
//
// # Not modeled
//
// Single GrantPermissions/RevokePermissions calls, conditions, data cells filters, LF-tag
// expressions as resources, the effective permissions ListPermissions returns when given both
// a Principal and a Resource (the fake returns the explicit grants), hybrid access opt-ins,
// permission checks of the caller (every caller is a data lake administrator),
// IncludeRelated, the effect of grants on data access, and tables the fake has not been told
// about (declare them with AddTable for tag searches).
// The RAM fake models only the invitations a consumer account receives.
//
// # Conformance
//
// RunConformanceTests checks the behaviors above at the SDK interface; the same suite runs
// against real AWS under the integration build tag.
package lakeformationtest
