// Package datazone governs Kafka topics in Amazon DataZone: MSK topics published as custom
// assets with their schema as columns, kept in step with the Glue Schema Registry, and
// subscriptions to them granted to consumer roles when DataZone asks. Custom assets are
// unmanaged — DataZone grants access to them only through an authorizer like this one.
//
//	types := datazone.NewAssetTypes(dzClient)
//	_, err := types.EnsureAssetType(ctx, datazone.Scope{Domain: domain, Project: project}, datazone.MskTopicAssetType)
//	sync := datazone.NewTopicSync(dzClient, glueClient, kafkaClient, datazone.NewSSMAssetIndex(ssmClient, "/datazone/"+domain+"/orders"))
//	report, err := sync.Sync(ctx, datazone.SyncInput{Domain: domain, Project: project, ClusterARN: clusterARN, RegistryName: "orders"})
//	auth := datazone.NewAuthorizer(dzClient, datazone.NewMSKTopicGranter(kafkaClient, iamClient))
//	outcome, err := auth.HandleEvent(ctx, eventBridgeEvent) // GRANTED/REVOKED or *_FAILED, always
//
// # Form and asset types
//
// [FormType] is a typed form definition (fields of Smithy prelude types, required or not)
// rendered to the Smithy model DataZone stores; [AssetType] lists its forms. [AssetTypes]
// ensures them idempotently — an equal model is reused, a different one gets one new revision —
// and deletes them in DataZone's order (asset type, then each form type disabled and deleted).
// [MskTopicAssetType] is the MSK topic asset type, compatible with DSF's: MskSourceReferenceForm,
// KafkaSchemaForm and DataZone's relational table form with Athena-typed columns.
//
// # Schema Registry sync
//
// [TopicSync] reads every page of the registry's schemas and of the stored asset IDs
// ([AssetIndex]: [SSMAssetIndex] or [MemoryAssetIndex]) before writing anything; creates an
// asset per schema with the topic ARN as external identifier and a deterministic client token,
// revises it only when its forms differ, and deletes the assets of schemas gone from the
// registry — never after a partial listing. [TopicSync.Sync] is the scheduled entry point,
// [TopicSync.HandleSchemaEvent] the event one (the Glue CloudTrail events). The [SyncReport] lists what happened per schema; failures come back as a
// [*SyncError] with one error per schema.
//
// # Subscription grants
//
// [Authorizer] handles "Subscription Grant Requested" and "Subscription Grant Revoke
// Requested" events ([Authorizer.HandleEvent]): it marks the grant in progress, reads the listing,
// environment and subscription target, applies it through a [Granter], and always ends in
// GRANTED/REVOKED or GRANT_FAILED/REVOKE_FAILED with a cause of at most 1 KB, written on a
// fresh context after errors, timeouts and cancellations. Replayed events write nothing.
// [MSKTopicGranter] grants MSK topics: a cluster policy statement for cross-account consumers
// (Sid hashed from the grant and asset IDs) and an inline policy per grant on each consumer
// role (msk.ConsumerPolicy), within IAM's 10,240-character budget; a grant applied in part is
// a [*GrantApplyError] saying which side did what. [SubscriptionTargets] ensures the targets
// whose authorized principals are the consumer roles.
//
// # Clients
//
// Each helper takes the narrow interface of the SDK methods it calls ([AssetTypesAPIClient],
// [AssetsAPIClient], [GrantsAPIClient], [SubscriptionTargetsAPIClient], [RolePolicyAPIClient],
// [ParametersAPIClient]), which the SDK clients and the fakes of package datazonetest satisfy.
// Inputs are validated before any call, with errors naming the field and the rule; SDK errors
// are wrapped with %w.
//
// # Testing
//
// Package datazonetest has fakes of DataZone, IAM role policies and SSM Parameter Store, to
// use with glue/gluetest and msk/msktest, in-process or over package localaws.
package datazone
