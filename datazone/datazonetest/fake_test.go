package datazonetest_test

import (
	"testing"

	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/datablocks-go/datablocks/datazone/datazonetest"
	"github.com/datablocks-go/datablocks/localaws"
)

var (
	_ datazonetest.Client    = (*datazonetest.Fake)(nil)
	_ datazonetest.Client    = (*awsdz.Client)(nil)
	_ datazonetest.IAMClient = (*datazonetest.IAM)(nil)
	_ datazonetest.IAMClient = (*iam.Client)(nil)
	_ datazonetest.SSMClient = (*datazonetest.SSM)(nil)
	_ datazonetest.SSMClient = (*ssm.Client)(nil)
)

func setup(f *datazonetest.Fake, c datazonetest.Client) datazonetest.Setup {
	d := f.CreateDomain("conformance")
	p := f.CreateProject(d, "p")
	env := f.CreateEnvironment(d, f.CreateProject(d, "consumer"), "222233334444", "eu-west-1")
	return datazonetest.Setup{
		Client: c, Domain: d, Project: p, Environment: env, ConsumerAccount: "222233334444",
		ManageRole:   "arn:aws:iam::222233334444:role/service-role/dz-manage",
		Publish:      func(asset string) string { return f.Publish(d, asset) },
		RequestGrant: func(listing, target string) string { return f.RequestGrant(d, listing, target) },
	}
}

func TestConformanceInProcess(t *testing.T) {
	f := datazonetest.New()
	datazonetest.RunConformance(t, setup(f, f))
	i := datazonetest.NewIAM()
	i.AddRole("conf-role", "/service-role/")
	datazonetest.RunIAMConformance(t, i, "conf-role")
	datazonetest.RunSSMConformance(t, datazonetest.NewSSM(), "/conf/ssm")
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
	datazonetest.RunConformance(t, setup(f, awsdz.NewFromConfig(cfg)))
	datazonetest.RunIAMConformance(t, iam.NewFromConfig(cfg), "conf-role")
	datazonetest.RunSSMConformance(t, ssm.NewFromConfig(cfg), "/conf/ssm")
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
