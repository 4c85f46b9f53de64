package redshift_test

import (
	"strings"
	"testing"
	"time"

	"github.com/datablocks-go/datablocks/redshift"
)

func TestParseDSN(t *testing.T) {
	p, err := redshift.ParseDSN("workgroup(analytics)/dev?region=eu-west-1&timeout=15m&keep_alive=10m&min_poll=20ms&max_poll=2s")
	if err != nil {
		t.Fatal(err)
	}
	if p.Target != (redshift.Target{Workgroup: "analytics", Database: "dev"}) || p.Region != "eu-west-1" ||
		p.Options.Wait.Timeout != 15*time.Minute || p.Options.SessionKeepAlive != 10*time.Minute ||
		p.Options.Wait.MinDelay != 20*time.Millisecond || p.Options.Wait.MaxDelay != 2*time.Second {
		t.Errorf("parsed %+v", p)
	}
	if p.Options.SessionPerConn {
		t.Error("SessionPerConn set without the option")
	}
	if p, err = redshift.ParseDSN("workgroup(analytics)/dev?session_per_conn=true"); err != nil || !p.Options.SessionPerConn {
		t.Errorf("session_per_conn=true: %+v %v", p, err)
	}
	p, err = redshift.ParseDSN("etl@cluster(my-cluster)/sales")
	if err != nil || p.Target != (redshift.Target{Cluster: "my-cluster", Database: "sales", DbUser: "etl"}) {
		t.Errorf("cluster with user: %+v %v", p, err)
	}
	arn := "arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/0b5c6f4e-1d2a-4f3b-9c8d-7e6f5a4b3c2d"
	secret := "arn:aws:secretsmanager:us-east-1:123456789012:secret:rs-AbCdEf"
	p, err = redshift.ParseDSN("workgroup(" + arn + ")/dev?secret_arn=" + secret)
	if err != nil || p.Target.Workgroup != arn || p.Target.SecretARN != secret {
		t.Errorf("workgroup ARN with secret: %+v %v", p, err)
	}
	for _, bad := range []string{
		"", "analytics/dev", "workgroup(analytics)", "workgroup(analytics)/", "table(x)/dev", "@cluster(c)/dev",
		"u@workgroup(analytics)/dev", "workgroup(analytics)/dev?timeout=soon", "workgroup(analytics)/dev?timeout=-1s",
		"workgroup(analytics)/dev?colour=blue", "workgroup(analytics)/dev?region=a&region=b",
		"workgroup(analytics)/dev?keep_alive=48h", "workgroup(analytics)/dev?session_per_conn=maybe", "workgroup(Bad_Name)/dev", "workgroup(analytics)/dev?%zz",
		"workgroup(" + strings.Repeat("a", 5000) + ")/dev",
	} {
		if _, err := redshift.ParseDSN(bad); err == nil {
			t.Errorf("ParseDSN(%.40q): no error", bad)
		}
	}
}

// FuzzParseDSN checks that any accepted DSN yields a valid target and that parsing never
// panics.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"workgroup(analytics)/dev?region=eu-west-1", "etl@cluster(c-1)/db?timeout=1m", "cluster(x)/(y)/z?secret_arn=arn:aws:secretsmanager:us-east-1:123456789012:secret:a", "workgroup()/", "?&="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		p, err := redshift.ParseDSN(dsn)
		if err != nil {
			return
		}
		if err := p.Target.Validate(); err != nil {
			t.Fatalf("ParseDSN(%q) accepted an invalid target: %v", dsn, err)
		}
	})
}
