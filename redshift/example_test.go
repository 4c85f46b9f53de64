package redshift_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"

	"github.com/datablocks-go/datablocks/redshift"
	"github.com/datablocks-go/datablocks/redshift/redshifttest"
)

func ExampleServerless_EnsureWorkgroup() {
	fake := redshifttest.NewServerless() // pass redshiftserverless.NewFromConfig(cfg) on AWS
	s := redshift.NewServerless(fake)
	ctx := context.Background()
	ch, err := s.EnsureNamespace(ctx, redshift.Namespace{Name: "analytics", ManageAdminPassword: true})
	fmt.Println("namespace:", ch, err)
	ch, err = s.EnsureWorkgroup(ctx, redshift.Workgroup{Name: "analytics-wg", Namespace: "analytics", BaseCapacity: 32})
	fmt.Println("workgroup:", ch, err)
	ch, err = s.EnsureWorkgroup(ctx, redshift.Workgroup{Name: "analytics-wg", Namespace: "analytics", BaseCapacity: 64, Port: 5440})
	fmt.Println("workgroup:", ch, err)
	_, err = s.EnsureWorkgroup(ctx, redshift.Workgroup{Name: "analytics-wg", Namespace: "analytics", BaseCapacity: 100})
	fmt.Println(err)
	// Output:
	// namespace: created <nil>
	// workgroup: created <nil>
	// workgroup: updated (BaseCapacity, Port) <nil>
	// redshift: Workgroup.BaseCapacity 100 must be 8-512 in steps of 8, or 512-1024 in steps of 32
}

func ExampleServerless_EnsureUsageLimit() {
	fake := redshifttest.NewServerless() // pass redshiftserverless.NewFromConfig(cfg) on AWS
	s := redshift.NewServerless(fake)
	ctx := context.Background()
	if _, err := s.EnsureNamespace(ctx, redshift.Namespace{Name: "analytics", ManageAdminPassword: true}); err != nil {
		panic(err)
	}
	if _, err := s.EnsureWorkgroup(ctx, redshift.Workgroup{Name: "analytics-wg", Namespace: "analytics", BaseCapacity: 32}); err != nil {
		panic(err)
	}
	wg, _ := fake.GetWorkgroup(ctx, &redshiftserverless.GetWorkgroupInput{WorkgroupName: aws.String("analytics-wg")})
	limit := redshift.UsageLimit{ResourceARN: aws.ToString(wg.Workgroup.WorkgroupArn), Amount: 500, Period: types.UsageLimitPeriodDaily}
	ch, err := s.EnsureUsageLimit(ctx, limit)
	fmt.Println(ch, err)
	limit.BreachAction = types.UsageLimitBreachActionDeactivate
	ch, err = s.EnsureUsageLimit(ctx, limit)
	fmt.Println(ch, err)
	// Output:
	// created <nil>
	// updated (BreachAction) <nil>
}

func ExampleDatashareARN() {
	fmt.Println(redshift.DatashareARN("us-gov-west-1", "123456789012", "a1b2c3d4-0000-4000-8000-00000000fa4e", "sales"))
	// Output:
	// arn:aws-us-gov:redshift:us-gov-west-1:123456789012:datashare:a1b2c3d4-0000-4000-8000-00000000fa4e/sales
}
