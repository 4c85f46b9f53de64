package instancestest_test

import (
	"context"
	"go/token"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
	"github.com/datablocks-go/datablocks/localaws"
)

var (
	_ instancestest.Client   = (*ec2.Client)(nil)
	_ instancestest.Client   = (*instancestest.Fake)(nil)
	_ datablocks.ClockSource = (*instancestest.Fake)(nil)
)

type wireHarness struct {
	c   *ec2.Client
	srv *localaws.Server
}

func (h wireHarness) Client() instancestest.Client { return h.c }
func (h wireHarness) KnownInstanceTypes() []string { return []string{"m5.large", "c5.xlarge"} }
func (h wireHarness) Close()                       { h.srv.Close() }

// TestConformanceOverLocalAWS runs the suite through the real EC2 client (ec2Query) against
// the fake served by localaws.
func TestConformanceOverLocalAWS(t *testing.T) {
	instancestest.RunConformanceTests(t, func(context.Context, *testing.T) (instancestest.Harness, error) {
		srv, err := localaws.Start([]localaws.Service{instancestest.New().Service()})
		if err != nil {
			return nil, err
		}
		// The SDK's default retries stay on: about one large ec2Query answer in fifty fails to
		// decode with "use of closed network connection" (a localaws issue, reported), and a
		// retry absorbs it. No subtest expects a retryable error.
		cfg := srv.Config()
		return wireHarness{c: ec2.NewFromConfig(cfg), srv: srv}, nil
	})
}

func TestWireEncoding(t *testing.T) {
	svc := instancestest.New().Service()
	localaws.CheckOperation(t, svc, ec2.NewFromConfig, (*ec2.Client).GetInstanceTypesFromInstanceRequirements)
}

// TestWireEncodingDescribeInstanceTypes is CheckOperation's output half for
// DescribeInstanceTypes, with the SDK's retries on (see TestConformanceOverLocalAWS): every
// member of a filled answer, every list name (instanceTypeSet, interfaceTypeSet, workloadSet,
// ebsCardSet, accelerators/member) among them, reaches the real client.
func TestWireEncodingDescribeInstanceTypes(t *testing.T) {
	f := instancestest.New()
	want := &ec2.DescribeInstanceTypesOutput{}
	localaws.Fill(want)
	f.KeepControl(instancestest.OpDescribeInstanceTypes, func(any) (any, error, bool) { return want, nil, true })
	srv := localaws.NewTestServer(t, f.Service())
	got, err := ec2.NewFromConfig(srv.Config()).DescribeInstanceTypes(context.Background(), &ec2.DescribeInstanceTypesInput{})
	if err != nil {
		t.Fatal(err)
	}
	ignore := cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && (!token.IsExported(sf.Name()) || sf.Name() == "ResultMetadata")
	}, cmp.Ignore())
	if diff := cmp.Diff(want, got, ignore); diff != "" {
		t.Errorf("decoded answer (-sent +decoded):\n%s", diff)
	}
}
