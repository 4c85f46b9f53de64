package main

import (
	"context"
	"fmt"
	"io"

	awsdatazone "github.com/aws/aws-sdk-go-v2/service/datazone"

	"github.com/datablocks-go/datablocks/datazone"
)

// datazoneStep makes Kafka topics a DataZone asset type through the real DataZone client:
// the first Ensure creates the form types and the asset type, the second finds them equal.
func datazoneStep(ctx context.Context, w io.Writer, e *env) error {
	domain := e.datazone.CreateDomain("streaming")
	project := e.datazone.CreateProject(domain, "MskGovernance")
	types := datazone.NewAssetTypes(awsdatazone.NewFromConfig(e.cfg))
	scope := datazone.Scope{Domain: domain, Project: project}
	first, err := types.EnsureAssetType(ctx, scope, datazone.MskTopicAssetType)
	if err != nil {
		return err
	}
	again, err := types.EnsureAssetType(ctx, scope, datazone.MskTopicAssetType)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "asset type %s in domain %s: %s, then %s\n", datazone.MskTopicAssetType.Name, domain, first, again)
	fmt.Fprintln(w, "examples/streaming-governance syncs Schema Registry schemas into assets and authorizes subscriptions")
	return nil
}
