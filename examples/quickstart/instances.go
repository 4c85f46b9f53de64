package main

import (
	"context"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"

	"github.com/datablocks-go/datablocks/emr/instances"
)

// instancesStep selects instance types by attributes (EC2 ABS semantics, evaluated locally),
// explains a rejection, and turns the selection into an EMR task fleet, against the in-memory
// EC2 fake seeded with 23 real us-east-1 types.
func instancesStep(ctx context.Context, w io.Writer, e *env) error {
	cat, err := instances.LoadCatalog(ctx, ec2.NewFromConfig(e.cfg))
	if err != nil {
		return err
	}
	req := instances.Requirements{
		VCpuCount:            instances.Between(4, 16),
		MemoryMiB:            instances.AtLeast(0),
		MemoryGiBPerVCpu:     instances.FloatBetween(2, 8),
		InstanceGenerations:  []types.InstanceGeneration{types.InstanceGenerationCurrent},
		AllowedInstanceTypes: []string{"m*", "r*", "t*"},
		Architectures:        []types.ArchitectureType{types.ArchitectureTypeX8664}, // one AMI architecture per fleet
	}
	names, err := cat.Select(req)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "catalog: %d instance types, read with DescribeInstanceTypes\n", len(cat.Names()))
	fmt.Fprintf(w, "4-16 vCPUs, 2-8 GiB/vCPU, current generation, x86_64, m*/r*/t*: %v\n", names)
	why, err := cat.Explain(req, "t3.xlarge")
	if err != nil {
		return err
	}
	for _, c := range why.Failed() {
		fmt.Fprintf(w, "t3.xlarge rejected: %s wants %s, has %s\n", c.Attribute, c.Want, c.Have)
	}
	fleet, err := cat.EMRFleet(emrtypes.InstanceFleetTypeTask, names, func(o *instances.Options) {
		o.TargetSpotCapacity = 64 // vCPUs
		o.MaxInstanceTypes = 5
	})
	if err != nil {
		return err
	}
	fmt.Fprint(w, "EMR task fleet (weight = vCPUs):")
	for _, tc := range fleet.InstanceTypeConfigs {
		fmt.Fprintf(w, " %s=%d", aws.ToString(tc.InstanceType), aws.ToInt32(tc.WeightedCapacity))
	}
	fmt.Fprintln(w)
	return nil
}
