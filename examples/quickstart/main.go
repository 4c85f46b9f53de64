// Command quickstart is a short tour of datablocks that runs on this machine alone. It starts
// a local AWS endpoint (package localaws) serving the fakes of every package and a local MSK
// whose brokers verify IAM tokens; every step then builds its SDK clients from that endpoint's
// aws.Config, exactly as a service builds them from config.LoadDefaultConfig, so what runs is
// the same code, signed requests and wire protocols included, that runs against AWS.
//
//	go run ./examples/quickstart
//
// It takes no flags but -h: the other example programs run against AWS with -aws.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/emr/instances/instancestest"
	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
	"github.com/datablocks-go/datablocks/localaws"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// step is one stop on the tour.
type step struct {
	name string
	run  func(ctx context.Context, w io.Writer, e *env) error
}

// steps is the tour, in the order a data platform meets the packages.
var steps = []step{
	{"policies", policyStep},
	{"msk", mskStep},
	{"emr", emrStep},
	{"instances", instancesStep},
	{"glue", glueStep},
	{"lakeformation", lakeformationStep},
	{"datazone", datazoneStep},
}

// env is what every step shares: the local endpoint's configuration and the fakes behind it,
// which the steps seed with the resources a real account would already have.
type env struct {
	// cfg reaches the local endpoint: region, static credentials, BaseEndpoint.
	cfg aws.Config
	// wait is how every step waits. Its Clock is the one clock every fake runs on, so a
	// 90-second crawl takes no wall-clock time; against AWS it would be left nil.
	wait datablocks.WaitOptions

	emr      *emrtest.EMR
	glue     *gluetest.Fake
	lf       *lakeformationtest.Fake
	kafka    *msktest.ControlPlane
	datazone *datazonetest.Fake
}

func main() {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go run ./examples/quickstart\n\nA tour of datablocks against a local AWS endpoint serving its fakes; it needs no AWS account and no network.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "quickstart: unexpected argument %q (it takes no arguments)\n", fs.Arg(0))
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	clock := datablocks.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	e := &env{
		wait:     datablocks.WaitOptions{Clock: clock},
		emr:      emrtest.NewEMR(func(o *emrtest.Options) { o.Clock = clock }),
		glue:     gluetest.New(func(o *gluetest.Options) { o.Clock = clock }),
		lf:       lakeformationtest.New(func(o *lakeformationtest.Options) { o.Clock = clock }),
		kafka:    msktest.NewControlPlane(func(o *msktest.Options) { o.Clock = clock }),
		datazone: datazonetest.New(func(o *datazonetest.Options) { o.Clock = clock }),
	}
	ec2 := instancestest.New(func(o *instancestest.Options) { o.Clock = clock })
	srv, err := localaws.Start([]localaws.Service{
		e.emr.Service(), e.glue.Service(), e.lf.Service(), e.kafka.Service(), e.datazone.Service(), ec2.Service(),
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	e.cfg = srv.Config()

	fmt.Fprintf(w, "datablocks quickstart: building blocks for data platforms on AWS, against a local AWS endpoint (%s).\n", srv.URL())
	for i, s := range steps {
		fmt.Fprintf(w, "\n[%d/%d] %s\n", i+1, len(steps), s.name)
		if err := s.run(ctx, w, e); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	fmt.Fprintln(w, "\nDone. See README.md for the package tour.")
	return nil
}
