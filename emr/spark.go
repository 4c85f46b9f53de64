package emr

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits the EMR APIs put on a Spark application, checked before anything is sent.
const (
	// maxStepArgsLength is the total length, in characters, of the strings inside one step's
	// HadoopJarStep (jar, main class, arguments and properties).
	maxStepArgsLength = 10240
	// maxSubmitParametersLength is the longest sparkSubmitParameters string EMR Serverless and
	// EMR on EKS accept.
	maxSubmitParametersLength = 102400
	// maxEntryPointLength is the longest entryPoint EMR Serverless and EMR on EKS accept.
	maxEntryPointLength = 256
	// maxEntryPointArgumentLength is the longest single entryPointArguments item EMR Serverless
	// and EMR on EKS accept.
	maxEntryPointArgumentLength = 10280
	// commandRunnerJar is the jar of a Spark step: EMR runs its arguments as a command.
	commandRunnerJar = "command-runner.jar"
	// glueCatalogFactoryClass is the Hive metastore client factory that makes the Glue Data
	// Catalog the metastore of Spark SQL.
	glueCatalogFactoryClass = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
	// venvAlias is the directory name a packed virtual environment is unpacked under
	// (the "#environment" suffix of the archive).
	venvAlias = "environment"
	// venvPython is the interpreter inside an unpacked virtual environment.
	venvPython = "./" + venvAlias + "/bin/python"
)

// SparkSubmit is a typed spark-submit: one Spark application, rendered for each EMR runtime
// by StepArgs (EMR on EC2) and SubmitParameters (EMR Serverless, EMR on EKS).
//
// Conf keys that duplicate a typed field (spark.jars, spark.submit.pyFiles, spark.files,
// spark.archives, spark.jars.packages, spark.driver.memory, spark.driver.cores,
// spark.executor.memory, spark.executor.cores) are rejected: set the field instead, so that
// one value cannot silently override the other.
type SparkSubmit struct {
	// EntryPoint is the application: a jar or Python file, as an S3 URI (s3://, s3a://) or a
	// path in the runtime's image, absolute or as a local:// URI (such as
	// local:///usr/lib/spark/examples/jars/spark-examples.jar, which works on all three
	// runtimes).
	EntryPoint string
	// MainClass is the class to run in a jar application (--class).
	MainClass string
	// Args are the application's own arguments, passed after the entry point.
	Args []string
	// Conf holds Spark properties (--conf key=value), rendered in sorted key order.
	Conf map[string]string
	// Jars, PyFiles, Files and Archives are URIs shipped with the application. An archive may
	// carry an alias, as in s3://b/venv.tar.gz#environment.
	Jars, PyFiles, Files, Archives []string
	// Packages are Maven coordinates (group:artifact:version).
	Packages []string
	// DriverMemory and ExecutorMemory are JVM sizes such as "4g" or "512m". Empty means the
	// runtime's default.
	DriverMemory, ExecutorMemory string
	// DriverCores and ExecutorCores are core counts. Zero means the runtime's default.
	DriverCores, ExecutorCores int
}

// reservedConf maps Spark properties that a typed field renders to the field's name.
var reservedConf = map[string]string{
	"spark.jars":            "Jars",
	"spark.submit.pyFiles":  "PyFiles",
	"spark.files":           "Files",
	"spark.archives":        "Archives",
	"spark.jars.packages":   "Packages",
	"spark.driver.memory":   "DriverMemory",
	"spark.driver.cores":    "DriverCores",
	"spark.executor.memory": "ExecutorMemory",
	"spark.executor.cores":  "ExecutorCores",
}

var (
	classPattern   = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$`)
	memoryPattern  = regexp.MustCompile(`^[1-9][0-9]{0,8}[kKmMgGtTpP]?$`)
	packagePattern = regexp.MustCompile(`^[^:,\s]+:[^:,\s]+:[^:,\s]+$`)
)

// format is a rendering target, which decides what a value may contain.
type format int

const (
	formatStep   format = iota // a list of arguments: values may hold spaces
	formatParams               // one space-separated string: values may not
)

// validate checks the spec against the rules every runtime shares, and those of format f.
func (s SparkSubmit) validate(f format) error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("emr: SparkSubmit."+format, args...))
	}
	switch {
	case s.EntryPoint == "":
		add("EntryPoint is required")
	case !validEntryPoint(s.EntryPoint):
		add("EntryPoint %q is not an S3 URI (s3://, s3a://) or a path on the cluster (/..., local:///...)", s.EntryPoint)
	case hasControl(s.EntryPoint) || (f == formatParams && hasSpace(s.EntryPoint)):
		add("EntryPoint %q contains white space or control characters", s.EntryPoint)
	}
	if s.MainClass != "" && !classPattern.MatchString(s.MainClass) {
		add("MainClass %q is not a Java class name", s.MainClass)
	}
	for _, k := range slices.Sorted(maps.Keys(s.Conf)) {
		v := s.Conf[k]
		switch {
		case k == "":
			add("Conf has an empty key")
		case hasSpace(k):
			add("Conf key %q contains a space", k)
		case strings.Contains(k, "="):
			add("Conf key %q contains '='", k)
		case hasControl(k):
			add("Conf key %q contains a control character", k)
		case reservedConf[k] != "":
			add("Conf key %q duplicates a field: set SparkSubmit.%s instead", k, reservedConf[k])
		}
		if f == formatParams && hasSpace(v) {
			add("Conf value of %q contains white space, which sparkSubmitParameters cannot carry", k)
		}
		if strings.ContainsRune(v, 0) {
			add("Conf value of %q contains a NUL character", k)
		}
	}
	lists := []struct {
		name  string
		items []string
	}{{"Jars", s.Jars}, {"PyFiles", s.PyFiles}, {"Files", s.Files}, {"Archives", s.Archives}, {"Packages", s.Packages}}
	for _, l := range lists {
		for i, it := range l.items {
			switch {
			case it == "":
				add("%s[%d] is empty", l.name, i)
			case strings.Contains(it, ","):
				add("%s[%d] %q contains a comma, which separates list items", l.name, i, it)
			case hasSpace(it) || hasControl(it):
				add("%s[%d] %q contains white space or control characters", l.name, i, it)
			case l.name == "Packages" && !packagePattern.MatchString(it):
				add("Packages[%d] %q is not group:artifact:version", i, it)
			}
		}
	}
	for _, m := range []struct{ name, v string }{{"DriverMemory", s.DriverMemory}, {"ExecutorMemory", s.ExecutorMemory}} {
		if m.v != "" && !memoryPattern.MatchString(m.v) {
			add("%s %q is not a size such as 512m or 4g", m.name, m.v)
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"DriverCores", s.DriverCores}, {"ExecutorCores", s.ExecutorCores}} {
		if c.v < 0 {
			add("%s %d is negative", c.name, c.v)
		}
	}
	for i, a := range s.Args {
		if strings.ContainsRune(a, 0) {
			add("Args[%d] contains a NUL character", i)
		}
		if f == formatParams {
			switch n := utf8.RuneCountInString(a); {
			case n == 0:
				add("Args[%d] is empty, which entryPointArguments cannot carry", i)
			case n > maxEntryPointArgumentLength:
				add("Args[%d] is %d characters, over the limit of %d", i, n, maxEntryPointArgumentLength)
			}
		}
	}
	if f == formatParams && utf8.RuneCountInString(s.EntryPoint) > maxEntryPointLength {
		add("EntryPoint is %d characters, over the limit of %d", utf8.RuneCountInString(s.EntryPoint), maxEntryPointLength)
	}
	return errors.Join(errs...)
}

func validEntryPoint(p string) bool {
	if strings.HasPrefix(p, "/") || (strings.HasPrefix(p, "local:///") && len(p) > len("local:///")) {
		return true
	}
	for _, scheme := range []string{"s3://", "s3a://", "s3n://"} {
		if rest, ok := strings.CutPrefix(p, scheme); ok {
			bucket, key, _ := strings.Cut(rest, "/")
			return bucket != "" && key != ""
		}
	}
	return false
}

func hasSpace(s string) bool { return strings.IndexFunc(s, unicode.IsSpace) >= 0 }

func hasControl(s string) bool { return strings.IndexFunc(s, unicode.IsControl) >= 0 }

// StepArgs renders the spec as the arguments of a command-runner.jar step, exactly what the
// CLI's Type=Spark step expands to: "spark-submit", the options, the entry point and the
// application arguments. The options come in a fixed order (--class, --jars, --py-files,
// --files, --archives, --packages, --driver-memory, --driver-cores, --executor-memory,
// --executor-cores, then --conf in sorted key order), and no --deploy-mode is added.
//
// It fails if the spec is invalid or the step's strings would exceed the 10,240 characters EMR
// accepts in one HadoopJarStep.
func (s SparkSubmit) StepArgs() ([]string, error) {
	if err := s.validate(formatStep); err != nil {
		return nil, err
	}
	args := []string{"spark-submit"}
	opt := func(flag, v string) {
		if v != "" {
			args = append(args, flag, v)
		}
	}
	opt("--class", s.MainClass)
	opt("--jars", strings.Join(s.Jars, ","))
	opt("--py-files", strings.Join(s.PyFiles, ","))
	opt("--files", strings.Join(s.Files, ","))
	opt("--archives", strings.Join(s.Archives, ","))
	opt("--packages", strings.Join(s.Packages, ","))
	opt("--driver-memory", s.DriverMemory)
	opt("--driver-cores", itoa(s.DriverCores))
	opt("--executor-memory", s.ExecutorMemory)
	opt("--executor-cores", itoa(s.ExecutorCores))
	for _, k := range slices.Sorted(maps.Keys(s.Conf)) {
		args = append(args, "--conf", k+"="+s.Conf[k])
	}
	args = append(args, s.EntryPoint)
	args = append(args, s.Args...)
	n := utf8.RuneCountInString(commandRunnerJar)
	for _, a := range args {
		n += utf8.RuneCountInString(a)
	}
	if n > maxStepArgsLength {
		return nil, fmt.Errorf("emr: SparkSubmit renders to a step of %d characters, over the limit of %d", n, maxStepArgsLength)
	}
	return args, nil
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// SubmitParameters renders the options of the spec as the sparkSubmitParameters string of EMR
// Serverless and EMR on EKS: --class, then every other setting as --conf key=value in sorted
// key order (lists as spark.jars, spark.submit.pyFiles, spark.files, spark.archives and
// spark.jars.packages; sizes as spark.driver.memory and the like), separated by single spaces.
// The entry point and Args travel in their own fields (entryPoint, entryPointArguments).
//
// Since the string is split on white space, a value holding white space is rejected, never
// split; so are an empty argument and strings over the API's length limits.
func (s SparkSubmit) SubmitParameters() (string, error) {
	if err := s.validate(formatParams); err != nil {
		return "", err
	}
	var parts []string
	if s.MainClass != "" {
		parts = append(parts, "--class", s.MainClass)
	}
	conf := maps.Clone(s.Conf)
	if conf == nil {
		conf = map[string]string{}
	}
	set := func(k, v string) {
		if v != "" {
			conf[k] = v
		}
	}
	set("spark.jars", strings.Join(s.Jars, ","))
	set("spark.submit.pyFiles", strings.Join(s.PyFiles, ","))
	set("spark.files", strings.Join(s.Files, ","))
	set("spark.archives", strings.Join(s.Archives, ","))
	set("spark.jars.packages", strings.Join(s.Packages, ","))
	set("spark.driver.memory", s.DriverMemory)
	set("spark.driver.cores", itoa(s.DriverCores))
	set("spark.executor.memory", s.ExecutorMemory)
	set("spark.executor.cores", itoa(s.ExecutorCores))
	for _, k := range slices.Sorted(maps.Keys(conf)) {
		parts = append(parts, "--conf", k+"="+conf[k])
	}
	out := strings.Join(parts, " ")
	if n := utf8.RuneCountInString(out); n > maxSubmitParametersLength {
		return "", fmt.Errorf("emr: SparkSubmit renders to sparkSubmitParameters of %d characters, over the limit of %d", n, maxSubmitParametersLength)
	}
	return out, nil
}

// WithGlueCatalog returns a copy of s that uses the Glue Data Catalog as the Hive metastore
// (spark.hadoop.hive.metastore.client.factory.class).
func (s SparkSubmit) WithGlueCatalog() SparkSubmit {
	s.Conf = maps.Clone(s.Conf)
	if s.Conf == nil {
		s.Conf = map[string]string{}
	}
	s.Conf["spark.hadoop.hive.metastore.client.factory.class"] = glueCatalogFactoryClass
	return s
}

// WithPySparkVenv returns a copy of s that runs Python from a packed virtual environment
// (venv-pack or conda-pack output) at archiveURI: the archive is added as
// archiveURI#environment, and the driver and executors use ./environment/bin/python as
// PYSPARK_PYTHON through the runtime's own properties:
//
//   - RuntimeServerless: spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON,
//     spark.emr-serverless.driverEnv.PYSPARK_PYTHON and spark.executorEnv.PYSPARK_PYTHON;
//   - RuntimeEKS: spark.kubernetes.driverEnv.PYSPARK_PYTHON and spark.executorEnv.PYSPARK_PYTHON;
//   - RuntimeSteps: spark.yarn.appMasterEnv.PYSPARK_PYTHON and spark.executorEnv.PYSPARK_PYTHON
//     (effective for the driver in YARN cluster mode only).
func (s SparkSubmit) WithPySparkVenv(rt Runtime, archiveURI string) SparkSubmit {
	s.Conf = maps.Clone(s.Conf)
	if s.Conf == nil {
		s.Conf = map[string]string{}
	}
	s.Archives = append(slices.Clone(s.Archives), archiveURI+"#"+venvAlias)
	s.Conf["spark.executorEnv.PYSPARK_PYTHON"] = venvPython
	switch rt {
	case RuntimeServerless:
		s.Conf["spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON"] = venvPython
		s.Conf["spark.emr-serverless.driverEnv.PYSPARK_PYTHON"] = venvPython
	case RuntimeEKS:
		s.Conf["spark.kubernetes.driverEnv.PYSPARK_PYTHON"] = venvPython
	default:
		s.Conf["spark.yarn.appMasterEnv.PYSPARK_PYTHON"] = venvPython
	}
	return s
}
