package localaws_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/internal/awsfake"
	"github.com/datablocks-go/datablocks/localaws"
)

// BenchmarkGetTable measures a GetTable through the real glue client, side by side: a
// small table served by localaws (reflective codec) and by internal/awsfake (handler-written
// JSON), and a table with every member filled, served by localaws.
func BenchmarkGetTable(b *testing.B) {
	small := &glue.GetTableOutput{Table: &gluetypes.Table{Name: aws.String("orders"), DatabaseName: aws.String("sales"),
		StorageDescriptor: &gluetypes.StorageDescriptor{Columns: []gluetypes.Column{{Name: aws.String("id"), Type: aws.String("bigint")}}}}}
	full := new(glue.GetTableOutput)
	localaws.Fill(full)
	in := &glue.GetTableInput{DatabaseName: aws.String("sales"), Name: aws.String("orders")}
	run := func(b *testing.B, cfg aws.Config) {
		client := glue.NewFromConfig(cfg)
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.GetTable(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	}
	serve := func(b *testing.B, out *glue.GetTableOutput) aws.Config {
		svc := localaws.Service{SigningName: "glue", Protocol: localaws.AWSJSON11, TargetPrefix: "AWSGlue",
			Operations: []localaws.Operation{localaws.Op("GetTable",
				func(context.Context, *glue.GetTableInput, ...func(*glue.Options)) (*glue.GetTableOutput, error) {
					return out, nil
				})}}
		return localaws.NewTestServer(b, svc).Config()
	}
	b.Run("localaws/small", func(b *testing.B) { run(b, serve(b, small)) })
	b.Run("awsfake/small", func(b *testing.B) {
		s := awsfake.New(b)
		s.HandleJSON("AWSGlue.GetTable", func(r *awsfake.Request) (any, error) {
			return `{"Table":{"Name":"orders","DatabaseName":"sales","StorageDescriptor":{"Columns":[{"Name":"id","Type":"bigint"}]}}}`, nil
		})
		cfg := s.Config()
		cfg.HTTPClient = nil
		run(b, cfg)
	})
	b.Run("localaws/full", func(b *testing.B) { run(b, serve(b, full)) })
}

// BenchmarkDescribeInstanceTypes measures an ec2Query call answering 20 fully filled
// instance types.
func BenchmarkDescribeInstanceTypes(b *testing.B) {
	out := &ec2.DescribeInstanceTypesOutput{}
	for range 20 {
		var it ec2.DescribeInstanceTypesOutput
		localaws.Fill(&it)
		out.InstanceTypes = append(out.InstanceTypes, it.InstanceTypes[0])
	}
	svc := ec2Service()
	svc.Operations = []localaws.Operation{localaws.Op("DescribeInstanceTypes",
		func(context.Context, *ec2.DescribeInstanceTypesInput, ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error) {
			return out, nil
		})}
	client := ec2.NewFromConfig(localaws.NewTestServer(b, svc).Config())
	in := &ec2.DescribeInstanceTypesInput{MaxResults: aws.Int32(20)}
	b.ReportAllocs()
	for b.Loop() {
		got, err := client.DescribeInstanceTypes(context.Background(), in)
		if err != nil || len(got.InstanceTypes) != 20 {
			b.Fatal(err)
		}
	}
}
