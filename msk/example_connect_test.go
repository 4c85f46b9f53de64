package msk_test

import (
	"context"
	"fmt"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// Deploy a MirrorMaker 2 flow on MSK Connect: three connectors, created once, unchanged on a
// re-run. Against AWS, pass kafkaconnect.NewFromConfig(cfg); here the fake's clock moves
// the connectors from CREATING to RUNNING without waiting.
func ExampleMirrorMakerDeployer_EnsureMirrorMaker() {
	connect := msktest.NewConnect()
	deployer := msk.NewMirrorMakerDeployer(connect)
	flow := msk.MirrorMakerDeployment{
		Name: "orders-dr",
		Config: msk.MirrorMakerConfig{
			SourceBootstrapServers: "b-1.primary.abc123.c2.kafka.eu-west-1.amazonaws.com:9098",
			TargetBootstrapServers: "b-1.dr.def456.c2.kafka.eu-west-1.amazonaws.com:9098",
			SourcePartitions:       36,
		},
		CustomPluginARN:         "arn:aws:kafkaconnect:eu-west-1:123456789012:custom-plugin/mm2/0a1b2c3d-1",
		ServiceExecutionRoleARN: "arn:aws:iam::123456789012:role/orders-dr-connector",
		Subnets:                 []string{"subnet-0a1b2c3d", "subnet-1a2b3c4d"},
	}
	for range 2 {
		change, err := deployer.EnsureMirrorMaker(context.Background(), flow)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(change, "-", connect.Count(msktest.OpCreateConnector), "connectors created so far")
	}
	// Output:
	// created - 3 connectors created so far
	// unchanged - 3 connectors created so far
}

// The role policy of a MirrorMaker 2 flow comes from the same MirrorMakerConfig as its
// connectors, so the two name the same topics, groups and aliases.
func ExampleMirrorMakerRolePolicy() {
	cfg := msk.MirrorMakerConfig{
		SourceClusterARN:       "arn:aws:kafka:eu-west-1:123456789012:cluster/primary/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2",
		TargetClusterARN:       "arn:aws:kafka:eu-central-1:123456789012:cluster/dr/1a2b3c4d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-3",
		SourceBootstrapServers: "b-1.primary.abc123.c2.kafka.eu-west-1.amazonaws.com:9098",
		TargetBootstrapServers: "b-1.dr.def456.c2.kafka.eu-central-1.amazonaws.com:9098",
		Topics:                 []string{"orders-.*"},
		Groups:                 []string{"billing"},
		SourcePartitions:       36,
	}
	conns, err := msk.MirrorMaker2(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	policy, err := msk.MirrorMakerRolePolicy(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("connector topics:", conns.Source["topics"])
	for _, s := range policy.Statements {
		if s.Sid == "MirrorReadSourceTopics" || s.Sid == "MirrorWriteReplicaTopics" {
			fmt.Println(s.Sid, s.Resource)
		}
	}
	// Output:
	// connector topics: orders-.*
	// MirrorReadSourceTopics [arn:aws:kafka:eu-west-1:123456789012:topic/primary/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-2/orders-*]
	// MirrorWriteReplicaTopics [arn:aws:kafka:eu-central-1:123456789012:topic/dr/1a2b3c4d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-3/source.orders-*]
}
