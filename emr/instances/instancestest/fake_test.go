package instancestest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
	"github.com/datablocks-go/datablocks/emr/instances/internal/conformance"
)

type fakeHarness struct{ f *instancestest.Fake }

func (h fakeHarness) Client() conformance.Client   { return h.f }
func (h fakeHarness) KnownInstanceTypes() []string { return []string{"m5.large", "c5.xlarge"} }
func (h fakeHarness) Close()                       {}

func TestConformance(t *testing.T) {
	conformance.RunConformanceTests(t, func(context.Context, *testing.T) (conformance.Harness, error) {
		return fakeHarness{instancestest.New()}, nil
	})
}

func TestSampleInstanceTypes(t *testing.T) {
	infos := instancestest.SampleInstanceTypes()
	if len(infos) != 23 {
		t.Fatalf("sample has %d types, want 23", len(infos))
	}
	infos[0].InstanceType = "changed"
	if instancestest.SampleInstanceTypes()[0].InstanceType == "changed" {
		t.Error("SampleInstanceTypes shares state between calls")
	}
}

func TestControlKeepAndFallThrough(t *testing.T) {
	ctx := context.Background()
	f := instancestest.New()
	n := 0
	f.KeepControl(instancestest.OpDescribeInstanceTypes, func(any) (any, error, bool) {
		n++
		return nil, nil, false // observe only
	})
	for range 2 {
		if _, err := f.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if n != 2 {
		t.Errorf("kept control ran %d times, want 2", n)
	}
	boom := errors.New("boom")
	f.FailNext(instancestest.OpGetInstanceTypesFromInstanceRequirements, boom)
	_, err := f.GetInstanceTypesFromInstanceRequirements(ctx, &ec2.GetInstanceTypesFromInstanceRequirementsInput{})
	if !errors.Is(err, boom) {
		t.Errorf("FailNext: got %v", err)
	}
	if c := f.Count(instancestest.OpDescribeInstanceTypes); c != 2 {
		t.Errorf("Count(DescribeInstanceTypes) = %d, want 2", c)
	}
	calls := f.Calls()
	if len(calls) != 3 || calls[2].Op != instancestest.OpGetInstanceTypesFromInstanceRequirements || !errors.Is(calls[2].Err, boom) {
		t.Errorf("Calls() = %+v", calls)
	}
}

func TestThrottleNext(t *testing.T) {
	ctx := context.Background()
	f := instancestest.New()
	f.ThrottleNext(instancestest.OpDescribeInstanceTypes, 2)
	for i := range 2 {
		_, err := f.DescribeInstanceTypes(ctx, nil)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "RequestLimitExceeded" {
			t.Fatalf("call %d: %v, want RequestLimitExceeded", i, err)
		}
	}
	if _, err := f.DescribeInstanceTypes(ctx, nil); err != nil {
		t.Fatalf("third call: %v", err)
	}
}

func TestBadNextToken(t *testing.T) {
	f := instancestest.New()
	_, err := f.DescribeInstanceTypes(context.Background(), &ec2.DescribeInstanceTypesInput{NextToken: aws.String("nope")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" {
		t.Fatalf("got %v", err)
	}
}

func TestRequirementsValidation(t *testing.T) {
	f := instancestest.New()
	_, err := f.GetInstanceTypesFromInstanceRequirements(context.Background(), &ec2.GetInstanceTypesFromInstanceRequirementsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "MissingParameter" {
		t.Fatalf("empty request: %v, want MissingParameter", err)
	}
}
