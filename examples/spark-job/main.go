// Command spark-job runs one Spark application, described once as an emr.SparkSubmit, on all
// three EMR runtimes: as a step of an EMR on EC2 cluster, as an EMR Serverless job run and as
// an EMR on EKS job run, printing every state change.
//
// It builds its SDK clients from an aws.Config and nothing else. By default that
// configuration reaches a local AWS endpoint (package localaws) serving the emrtest fakes on a
// simulated clock, so it needs no AWS account and finishes at once:
//
//	go run ./examples/spark-job
//
// With -aws the configuration comes from config.LoadDefaultConfig (default credential chain
// and region), and it runs on whichever of -cluster, -application and -virtual-cluster are
// given:
//
//	go run ./examples/spark-job -aws -cluster j-2AXXXXXXGAPLF \
//	    -application 00fabcdefghijklm -virtual-cluster abcdefghijklmnopqrstuvwxy \
//	    -execution-role arn:aws:iam::123456789012:role/emr-job
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
	"github.com/aws/aws-sdk-go-v2/config"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrserverless"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/emr"
	"github.com/datablocks-go/datablocks/emr/emrtest"
	"github.com/datablocks-go/datablocks/localaws"
)

type flags struct {
	aws            bool
	cluster        string
	runtimeRole    string
	application    string
	virtualCluster string
	executionRole  string
	releaseLabel   string
	entryPoint     string
	timeout        time.Duration
}

func main() {
	var f flags
	flag.BoolVar(&f.aws, "aws", false, "run on AWS instead of the local fakes")
	flag.StringVar(&f.cluster, "cluster", "", "EMR on EC2 cluster ID (j-...) to add the step to (with -aws; empty skips EMR on EC2)")
	flag.StringVar(&f.runtimeRole, "runtime-role", "", "runtime role ARN for the step, on clusters with runtime roles (with -aws)")
	flag.StringVar(&f.application, "application", "", "EMR Serverless application ID (with -aws; empty skips EMR Serverless)")
	flag.StringVar(&f.virtualCluster, "virtual-cluster", "", "EMR on EKS virtual cluster ID (with -aws; empty skips EMR on EKS)")
	flag.StringVar(&f.executionRole, "execution-role", "", "execution role ARN for EMR Serverless and EMR on EKS (with -aws; required with -application or -virtual-cluster)")
	flag.StringVar(&f.releaseLabel, "release-label", "emr-7.5.0-latest", "EMR on EKS release label (with -aws)")
	flag.StringVar(&f.entryPoint, "entry-point", "local:///usr/lib/spark/examples/jars/spark-examples.jar", "jar with org.apache.spark.examples.SparkPi (default: the examples jar in EMR images)")
	flag.DurationVar(&f.timeout, "timeout", 30*time.Minute, "bound on the whole run")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	if err := run(ctx, os.Stdout, f); err != nil {
		fmt.Fprintln(os.Stderr, "spark-job:", err)
		os.Exit(1)
	}
}

// runners holds one runner per runtime (nil when the runtime is not used) and the IDs to run on.
type runners struct {
	steps                   *emr.StepRunner
	serverless              *emr.ServerlessRunner
	containers              *emr.ContainersRunner
	cluster, app, vc, role  string
	runtimeRole, releaseLbl string
	clockNote               string
}

func run(ctx context.Context, w io.Writer, f flags) error {
	spark := emr.SparkSubmit{
		EntryPoint:     f.entryPoint,
		MainClass:      "org.apache.spark.examples.SparkPi",
		Args:           []string{"10"},
		ExecutorMemory: "2g",
		Conf:           map[string]string{"spark.dynamicAllocation.enabled": "true"},
	}
	args, err := spark.StepArgs()
	if err != nil {
		return err
	}
	params, err := spark.SubmitParameters()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "step arguments:        %q\n", args)
	fmt.Fprintf(w, "sparkSubmitParameters: %s\n\n", params)

	var r runners
	if f.aws {
		r, err = awsRunners(ctx, w, f)
	} else {
		var stop func()
		r, stop, err = localRunners(w)
		if stop != nil {
			defer stop()
		}
	}
	if err != nil {
		return err
	}
	// Each runtime's runner starts the application and waits for it by its ID.
	type started struct {
		runtime emr.Runtime
		id      string
		wait    func(context.Context) (string, error)
	}
	var runs []started
	if r.steps != nil {
		ids, err := r.steps.Start(ctx, emr.StepsInput{ClusterID: r.cluster, ExecutionRoleArn: r.runtimeRole,
			Steps: []emr.Step{{Name: "spark-pi", Spark: spark}}})
		if err != nil {
			return err
		}
		runs = append(runs, started{emr.RuntimeSteps, ids[0], func(ctx context.Context) (string, error) {
			states, err := r.steps.Wait(ctx, r.cluster, ids)
			if len(states) == 0 {
				return "", err
			}
			return states[0], err
		}})
	}
	job := emr.JobRun{ExecutionRoleArn: r.role, Name: "spark-pi", Spark: spark}
	if r.serverless != nil {
		id, err := r.serverless.Start(ctx, r.app, job)
		if err != nil {
			return err
		}
		runs = append(runs, started{emr.RuntimeServerless, id, func(ctx context.Context) (string, error) { return r.serverless.Wait(ctx, r.app, id) }})
	}
	if r.containers != nil {
		eksJob := job
		eksJob.ReleaseLabel = r.releaseLbl
		id, err := r.containers.Start(ctx, r.vc, eksJob)
		if err != nil {
			return err
		}
		runs = append(runs, started{emr.RuntimeEKS, id, func(ctx context.Context) (string, error) { return r.containers.Wait(ctx, r.vc, id) }})
	}
	if len(runs) == 0 {
		return errors.New("nothing to run: give -cluster, -application or -virtual-cluster with -aws")
	}
	var failed []error
	for _, run := range runs {
		state, err := run.wait(ctx)
		var jf *emr.JobFailedError
		switch {
		case errors.As(err, &jf):
			fmt.Fprintf(w, "%-14s %s ended %s: %s %s (logs: %s)\n", run.runtime, run.id, jf.State, jf.Reason, jf.Message, jf.LogURI)
			failed = append(failed, err)
		case err != nil:
			return err
		default:
			fmt.Fprintf(w, "%-14s %s ended %s\n", run.runtime, run.id, state)
		}
	}
	if r.clockNote != "" {
		fmt.Fprintln(w, r.clockNote)
	}
	return errors.Join(failed...)
}

func printer(w io.Writer) func(datablocks.Progress) {
	return func(p datablocks.Progress) {
		fmt.Fprintf(w, "%-55s %-10s after %s\n", p.What, p.State, p.Elapsed.Round(time.Second))
	}
}

// localRunners starts a local AWS endpoint serving the emrtest fakes, which share one simulated
// clock (each run takes a few simulated minutes), and builds the runners from its aws.Config
// as awsRunners does from the default one. The waits sleep on the fakes' clock, so they take
// no real time. stop closes the endpoint.
func localRunners(w io.Writer) (runners, func(), error) {
	clock := datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	ec2 := emrtest.NewEMR(func(o *emrtest.Options) { o.Clock = clock })
	cluster := ec2.AddCluster(emrtest.ClusterConfig{LogURI: "s3://aws-logs-example/emr/"})
	ec2.ScriptNext(emrtest.Outcome{Duration: 4 * time.Minute})

	sl := emrtest.NewServerless(func(o *emrtest.Options) { o.Clock = clock })
	app := sl.AddApplication(emrtest.ApplicationConfig{})
	sl.ScriptNext(emrtest.Outcome{Duration: 3 * time.Minute})

	eks := emrtest.NewContainers(func(o *emrtest.Options) { o.Clock = clock })
	vc := eks.AddVirtualCluster(emrtest.VirtualClusterConfig{})
	eks.ScriptNext(emrtest.Outcome{Duration: 3 * time.Minute})

	srv, err := localaws.Start([]localaws.Service{ec2.Service(), sl.Service(), eks.Service()})
	if err != nil {
		return runners{}, nil, err
	}
	wait := datablocks.WaitOptions{Clock: clock, Jitter: func() float64 { return 0.5 }, OnProgress: printer(w)}
	r := newRunners(srv.Config(), wait, flags{
		cluster: cluster, application: app, virtualCluster: vc,
		executionRole: "arn:aws:iam::123456789012:role/emr-job", releaseLabel: "emr-7.5.0-latest",
	})
	r.clockNote = fmt.Sprintf("(local endpoint %s serving the emrtest fakes on a simulated clock; run with -aws for real)", srv.URL())
	return r, srv.Close, nil
}

// awsRunners builds the runners from the default AWS configuration for the IDs given.
func awsRunners(ctx context.Context, w io.Writer, f flags) (runners, error) {
	if (f.application != "" || f.virtualCluster != "") && f.executionRole == "" {
		return runners{}, errors.New("-execution-role is required with -application or -virtual-cluster")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return runners{}, err
	}
	return newRunners(cfg, datablocks.WaitOptions{OnProgress: printer(w)}, f), nil
}

// newRunners builds a runner, from cfg, for each runtime f names an ID for.
func newRunners(cfg aws.Config, wait datablocks.WaitOptions, f flags) runners {
	r := runners{cluster: f.cluster, app: f.application, vc: f.virtualCluster, role: f.executionRole,
		runtimeRole: f.runtimeRole, releaseLbl: f.releaseLabel}
	if f.cluster != "" {
		r.steps = emr.NewStepRunner(awsemr.NewFromConfig(cfg), func(o *emr.Options) { o.Wait = wait })
	}
	if f.application != "" {
		r.serverless = emr.NewServerlessRunner(emrserverless.NewFromConfig(cfg), func(o *emr.Options) {
			o.Wait = wait
			o.StartApplication = true
		})
	}
	if f.virtualCluster != "" {
		r.containers = emr.NewContainersRunner(emrcontainers.NewFromConfig(cfg), func(o *emr.Options) { o.Wait = wait })
	}
	return r
}
