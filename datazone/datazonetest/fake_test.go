package datazonetest_test

import (
	"testing"

	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/datablocks-go/datablocks/datazone/datazonetest"
	"github.com/datablocks-go/datablocks/datazone/internal/conformance"
	"github.com/datablocks-go/datablocks/localaws"
)

var (
	_ conformance.Client    = (*datazonetest.Fake)(nil)
	_ conformance.Client    = (*awsdz.Client)(nil)
	_ conformance.IAMClient = (*datazonetest.IAM)(nil)
	_ conformance.IAMClient = (*iam.Client)(nil)
	_ conformance.SSMClient = (*datazonetest.SSM)(nil)
	_ conformance.SSMClient = (*ssm.Client)(nil)
)

func setup(f *datazonetest.Fake, c conformance.Client) conformance.Setup {
	d := f.CreateDomain("conformance")
	p := f.CreateProject(d, "p")
	env := f.CreateEnvironment(d, f.CreateProject(d, "consumer"), "222233334444", "eu-west-1")
	return conformance.Setup{
		Client: c, Domain: d, Project: p, Environment: env, ConsumerAccount: "222233334444",
		ManageRole:   "arn:aws:iam::222233334444:role/service-role/dz-manage",
		Publish:      func(asset string) string { return f.Publish(d, asset) },
		RequestGrant: func(listing, target string) string { return f.RequestGrant(d, listing, target) },
	}
}

func TestConformanceInProcess(t *testing.T) {
	f := datazonetest.New()
	conformance.RunConformance(t, setup(f, f))
	i := datazonetest.NewIAM()
	i.AddRole("conf-role", "/service-role/")
	conformance.RunIAMConformance(t, i, "conf-role")
	conformance.RunSSMConformance(t, datazonetest.NewSSM(), "/conf/ssm")
}

func TestConformanceOverTheWire(t *testing.T) {
	f, i, s := datazonetest.New(), datazonetest.NewIAM(), datazonetest.NewSSM()
	i.AddRole("conf-role", "")
	srv, err := localaws.Start([]localaws.Service{f.Service(), i.Service(), s.Service()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := srv.Config()
	conformance.RunConformance(t, setup(f, awsdz.NewFromConfig(cfg)))
	conformance.RunIAMConformance(t, iam.NewFromConfig(cfg), "conf-role")
	conformance.RunSSMConformance(t, ssm.NewFromConfig(cfg), "/conf/ssm")
	// Every operation of every fake went over the wire at least once.
	for _, c := range []interface {
		Operations() []string
		Count(string) int
	}{f, i, s} {
		for _, op := range c.Operations() {
			if c.Count(op) == 0 {
				t.Errorf("operation %s was not exercised over the wire", op)
			}
		}
	}
}
