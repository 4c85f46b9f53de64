package emr

// Reading a spark-submit back into a SparkSubmit: the test oracle that every spec StepArgs or
// SubmitParameters accepts renders without loss.

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// confFlags maps the --conf form of a typed field to its spark-submit flag.
var confFlags = map[string]string{
	"spark.jars":            "--jars",
	"spark.submit.pyFiles":  "--py-files",
	"spark.files":           "--files",
	"spark.archives":        "--archives",
	"spark.jars.packages":   "--packages",
	"spark.driver.memory":   "--driver-memory",
	"spark.driver.cores":    "--driver-cores",
	"spark.executor.memory": "--executor-memory",
	"spark.executor.cores":  "--executor-cores",
}

// parseStepArgs is the inverse of StepArgs: it reads the arguments of a command-runner.jar
// spark-submit step back into a spec. It accepts the options StepArgs writes and the --conf
// forms of the typed fields, and rejects anything else (such as --deploy-mode).
func parseStepArgs(args []string) (SparkSubmit, error) {
	if len(args) == 0 || args[0] != "spark-submit" {
		return SparkSubmit{}, errors.New(`emr: step arguments do not start with "spark-submit"`)
	}
	var s SparkSubmit
	i := 1
	for ; i < len(args) && strings.HasPrefix(args[i], "--"); i += 2 {
		if i+1 >= len(args) {
			return SparkSubmit{}, fmt.Errorf("emr: step argument %s has no value", args[i])
		}
		if err := s.setOption(args[i], args[i+1]); err != nil {
			return SparkSubmit{}, err
		}
	}
	if i >= len(args) {
		return SparkSubmit{}, errors.New("emr: step arguments have no entry point")
	}
	s.EntryPoint = args[i]
	if rest := args[i+1:]; len(rest) > 0 {
		s.Args = slices.Clone(rest)
	}
	return s, s.validate(formatStep)
}

// parseSubmitParameters is the inverse of SubmitParameters: it reads a sparkSubmitParameters
// string, with the entryPoint and entryPointArguments of the same job driver, back into a spec.
func parseSubmitParameters(params, entryPoint string, args []string) (SparkSubmit, error) {
	s := SparkSubmit{EntryPoint: entryPoint}
	if len(args) > 0 {
		s.Args = slices.Clone(args)
	}
	f := strings.Fields(params)
	for i := 0; i < len(f); i += 2 {
		if i+1 >= len(f) {
			return SparkSubmit{}, fmt.Errorf("emr: sparkSubmitParameters option %s has no value", f[i])
		}
		if err := s.setOption(f[i], f[i+1]); err != nil {
			return SparkSubmit{}, err
		}
	}
	return s, s.validate(formatParams)
}

// setOption applies one spark-submit option, accepting the flag and --conf forms of the typed
// fields.
func (s *SparkSubmit) setOption(flag, v string) error {
	list := func(v string) []string { return strings.Split(v, ",") }
	once := func(name string, dst *string) error {
		if *dst != "" {
			return fmt.Errorf("emr: spark-submit option %s given twice", name)
		}
		*dst = v
		return nil
	}
	onceList := func(name string, dst *[]string) error {
		if *dst != nil {
			return fmt.Errorf("emr: spark-submit option %s given twice", name)
		}
		*dst = list(v)
		return nil
	}
	onceInt := func(name string, dst *int) error {
		if *dst != 0 {
			return fmt.Errorf("emr: spark-submit option %s given twice", name)
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("emr: spark-submit option %s value %q is not a positive integer", name, v)
		}
		*dst = n
		return nil
	}
	switch flag {
	case "--class":
		return once(flag, &s.MainClass)
	case "--jars":
		return onceList(flag, &s.Jars)
	case "--py-files":
		return onceList(flag, &s.PyFiles)
	case "--files":
		return onceList(flag, &s.Files)
	case "--archives":
		return onceList(flag, &s.Archives)
	case "--packages":
		return onceList(flag, &s.Packages)
	case "--driver-memory":
		return once(flag, &s.DriverMemory)
	case "--executor-memory":
		return once(flag, &s.ExecutorMemory)
	case "--driver-cores":
		return onceInt(flag, &s.DriverCores)
	case "--executor-cores":
		return onceInt(flag, &s.ExecutorCores)
	case "--conf":
		k, val, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("emr: --conf %q is not key=value", v)
		}
		if f, ok := confFlags[k]; ok {
			return s.setOption(f, val)
		}
		if _, dup := s.Conf[k]; dup {
			return fmt.Errorf("emr: --conf %s given twice", k)
		}
		if s.Conf == nil {
			s.Conf = map[string]string{}
		}
		s.Conf[k] = val
		return nil
	}
	return fmt.Errorf("emr: unsupported spark-submit option %s", flag)
}

func TestParseStepArgs(t *testing.T) {
	got, err := parseStepArgs([]string{"spark-submit", "--class", "org.apache.spark.examples.SparkPi",
		"--conf", "spark.executor.memory=2g", "/usr/lib/spark/examples/jars/spark-examples.jar", "5"})
	if err != nil {
		t.Fatal(err)
	}
	want := SparkSubmit{EntryPoint: "/usr/lib/spark/examples/jars/spark-examples.jar", MainClass: "org.apache.spark.examples.SparkPi",
		Args: []string{"5"}, ExecutorMemory: "2g"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseStepArgs (-want +got):\n%s", diff)
	}
	for _, bad := range [][]string{
		nil,
		{"spark-submit"},
		{"spark-submit", "--deploy-mode", "cluster", "s3://a/b.py"},
		{"spark-submit", "--class"},
		{"spark-submit", "--conf", "novalue", "s3://a/b.py"},
		{"spark-submit", "--driver-cores", "two", "s3://a/b.py"},
		{"hadoop", "jar", "x.jar"},
	} {
		if _, err := parseStepArgs(bad); err == nil {
			t.Errorf("parseStepArgs(%q) accepted", bad)
		}
	}
}

// normalize makes empty collections nil, since rendering does not tell them apart.
func normalize(s SparkSubmit) SparkSubmit {
	if len(s.Conf) == 0 {
		s.Conf = nil
	}
	for _, l := range []*[]string{&s.Args, &s.Jars, &s.PyFiles, &s.Files, &s.Archives, &s.Packages} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	return s
}

func FuzzSparkSubmitRoundTrip(f *testing.F) {
	f.Add("s3://code/main.py", "", "arg", "spark.app.name", "etl", "s3://code/a.jar", "4g", 2)
	f.Add("/usr/lib/spark/examples/jars/spark-examples.jar", "org.apache.spark.examples.SparkPi", "5", "", "", "", "", 0)
	f.Add("s3a://b/k", "a.B", "--conf", "k", "v=w x", "s3://x/y#z", "512m", 1)
	f.Add("s3://b/k k", "C", "", "--class", "", "a:b:c", "1t", 0)
	f.Fuzz(func(t *testing.T, entry, class, arg, confKey, confVal, item, mem string, cores int) {
		s := SparkSubmit{EntryPoint: entry, MainClass: class, DriverMemory: mem, ExecutorCores: cores}
		if arg != "" {
			s.Args = []string{arg, "fixed"}
		}
		if confKey != "" {
			s.Conf = map[string]string{confKey: confVal, "spark.fixed": "1"}
		}
		if item != "" {
			s.Jars = []string{item}
			s.Archives = []string{item, "s3://fixed/a.tgz#env"}
		}
		want := normalize(s)
		if args, err := s.StepArgs(); err == nil {
			got, err := parseStepArgs(args)
			if err != nil {
				t.Fatalf("parseStepArgs(%q) of an accepted spec: %v", args, err)
			}
			if diff := cmp.Diff(want, normalize(got), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("step round trip of %q (-want +got):\n%s", args, diff)
			}
		}
		if params, err := s.SubmitParameters(); err == nil {
			got, err := parseSubmitParameters(params, s.EntryPoint, s.Args)
			if err != nil {
				t.Fatalf("parseSubmitParameters(%q) of an accepted spec: %v", params, err)
			}
			if diff := cmp.Diff(want, normalize(got), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("parameters round trip of %q (-want +got):\n%s", params, diff)
			}
		}
	})
}
