// Package lakeformationtest provides in-memory fakes of AWS Lake Formation (Fake), of the
// AWS RAM invitation calls (RAM) and of Amazon SNS Publish (SNS, for the sharing workflow's
// approval requests), for tests of code built on package lakeformation or on the SDK clients
// directly. They have the exact aws-sdk-go-v2 method signatures, return real output shapes
// and the SDK's errors, are safe for concurrent use, and are served on the wire by package
// localaws (Fake.Service, RAM.Service, SNS.Service), so that lakeformation.NewFromConfig,
// ram.NewFromConfig and sns.NewFromConfig reach them unchanged.
//
//	lf := lakeformationtest.New()
//	planner := lakeformation.NewPlanner(lf)
//	plan, _, err := planner.Converge(ctx, lakeformation.PlanInput{Desired: grants})
//	grantCalls := lf.Count(lakeformationtest.OpBatchGrantPermissions) // API economy, from the call log
//
// The package does not import package lakeformation: it validates requests by its own
// reading of the Lake Formation API reference and developer guide, so that a mistake of the
// helper is not repeated by its fake.
//
// # Permissions
//
// BatchGrantPermissions and BatchRevokePermissions accumulate permissions and grant options
// per principal and resource, and record them where Lake Formation lists them: SELECT on a
// named table as TableWithColumns{Name, ColumnWildcard: {}}; SELECT on all tables of a
// database as TableWithColumns{Name: "ALL_TABLES", ColumnWildcard: {}} and other permissions
// on all tables as Table{Name: "ALL_TABLES", TableWildcard: {}} (terraform-provider-aws issue
// #46245); LF-tag grants value by value, listed as one entry per principal, key and
// permission set (the developer guide's "Managing LF-Tag permissions using the AWS CLI");
// every listed resource carries its CatalogId.
//
// Each entry is checked, failing in the batch's Failures with the service's error codes:
//   - the Resource union has exactly one member, with its required members (a Table needs a
//     Name or a TableWildcard: "Table name and table wildcard cannot both be empty.", the
//     service's message quoted in terraform-provider-aws issue #41916; TableWithColumns takes
//     ColumnNames or a ColumnWildcard; an LF-tag takes 1 to 50 values, "*" alone; an S3 ARN
//     for data locations), InvalidInputException;
//   - the principal is IAM_ALLOWED_PRINCIPALS, a 12-digit account or an IAM, SAML, Identity
//     Center or Organizations ARN, InvalidInputException;
//   - the permission matrix of the permissions reference: the catalog takes CREATE_DATABASE,
//     CREATE_LF_TAG, CREATE_LF_TAG_EXPRESSION, CREATE_CATALOG, SUPER_USER, DESCRIBE, ALTER,
//     DROP; databases ALL, ALTER, CREATE_TABLE, DESCRIBE, DROP; tables (named or all) ALL,
//     ALTER, DELETE, DESCRIBE, DROP, INSERT, SELECT; columns SELECT only; data locations
//     DATA_LOCATION_ACCESS; LF-tag values DESCRIBE, ASSOCIATE, GRANT_WITH_LF_TAG_EXPRESSION,
//     and the LF-tag key (TagValues ["*"]) also ALTER and DROP ("Managing LF-Tag value
//     permissions"); tag policies the permissions of the databases or tables they match;
//     InvalidInputException;
//   - grant options are a subset of the permissions (GrantPermissions API reference), need
//     an include list of columns rather than an exclude list (developer guide, column-level
//     filtering), and are required on LF-tag grants to an external account ("Managing LF-Tag
//     value permissions"), InvalidInputException;
//   - LF-tags and their values exist, EntityNotFoundException; with Options.StrictCatalog,
//     databases, tables and data locations must be declared (AddDatabase, AddTable,
//     RegisterResource), EntityNotFoundException;
//   - revoking permissions not held fails the entry with InvalidInputException "No
//     permissions revoked".
//
// More than 20 entries, or an Id repeated or outside 1–255 characters, fail the call
// (InvalidInputException). Empty CatalogIds are filled with Options.AccountID.
// ListPermissions filters by Principal, Resource (a named table selects its table and column
// permissions, the table wildcard the ALL_TABLES entries, an LF-tag key with "*" every value;
// a TableWithColumns resource is rejected, as the API reference documents) and ResourceType,
// in pages of at most Options.PageSize (1000 by default, the documented MaxResults
// maximum), with MaxResults checked against 1–1000 and NextToken checked.
//
// # Settings, locations and LF-tags
//
// GetDataLakeSettings and PutDataLakeSettings hold the whole settings object; Put replaces
// it, as the service does, and rejects admins that are not IAM users, roles or federated
// principals and a CROSS_ACCOUNT_VERSION outside 1–4. A new Fake has a new account's
// defaults (IAM_ALLOWED_PRINCIPALS ALL on new databases and tables, CROSS_ACCOUNT_VERSION 1).
// RegisterResource records S3 locations (AlreadyExistsException for a second registration)
// and DescribeResource reads them back. LF-tags are created, updated, deleted, assigned to
// databases, tables and named columns with inheritance (column over table over database),
// read back with GetResourceLFTags and searched with SearchDatabasesByLFTags and
// SearchTablesByLFTags.
//
// # Errors
//
// Errors are the SDK's typed errors where the operation's model lists them, and a
// smithy.GenericAPIError with the service's code where it does not (an AlreadyExistsException
// from CreateLFTag, a ConcurrentModificationException from the batch calls), since that is
// what the real client decodes from such an answer; match those with smithy.APIError's
// ErrorCode. Over localaws the same codes reach the real clients.
//
// # Faults, time and the call log
//
// The fakes embed *fakecontrol.Controls, built with the fake's operations (the Op
// constants): Control and KeepControl intercept calls (FIFO, falling through when not
// handled), FailNext fails the next call, ThrottleNext injects throttling (the generic
// ThrottlingException for Lake Formation, *types.ThrottlingException for RAM), and Calls,
// Count and ResetCalls read the log (the SNS fake's messages are the inputs of its Publish
// calls); a name the fake does not implement panics. The ConcurrentModificationException that
// parallel grants meet is injected with FailNext: a smithy.GenericAPIError with that code
// (and smithy.FaultClient) for the operations whose model does not list it, the batch calls
// among them, and *types.ConcurrentModificationException for UpdateLFTag and
// AddLFTagsToResource, which list it. The state of a fake is read through its SDK methods
// (ListPermissions, GetDataLakeSettings, DescribeResource, GetResourceLFTags,
// GetResourceShareInvitations), as the code under test reads it. The Lake Formation fake
// stamps times with its Clock (Options.Clock, or its own manual clock), the RAM fake with its
// own manual clock, and nothing in them waits.
//
// # Not modeled
//
// Single GrantPermissions/RevokePermissions calls, conditions, data cells filters, saved
// LF-tag expressions (LFTagExpression resources and LFTagPolicy.ExpressionName), the
// effective permissions ListPermissions returns when given both a Principal and a Resource
// (the fake returns the explicit grants), IncludeRelated, hybrid access opt-ins, permission
// checks of the caller (every caller is a data lake administrator, so AccessDeniedException
// is never returned unless injected), resource links and their targets (a grant on a link is
// an ordinary grant on a database or table of that name), name case folding, the effect of
// grants on data access, and tables the fake has not been told about (declare them with
// AddTable for tag searches). The RAM fake models only the invitations a consumer account
// receives: no resource shares, associations or permissions. The SNS fake models Publish to
// standard topics (AddTopic, given the topic ARN) only: no subscriptions or deliveries, FIFO topics, SMS, platform
// endpoints, MessageStructure "json" or encryption.
//
// # Conformance
//
// A conformance suite (in the module's lakeformation/internal/conformance) checks the behaviors
// above at the SDK interface; it runs against the fake in every go test, in-process and over
// localaws, and against real AWS under the integration build tag.
package lakeformationtest
