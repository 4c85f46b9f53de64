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
	// MaxStepArgsLength is the total length, in characters, of the strings inside one step's
	// HadoopJarStep (jar, main class, arguments and properties).
	MaxStepArgsLength = 10240
	// MaxSubmitParametersLength is the longest sparkSubmitParameters string EMR Serverless and
	// EMR on EKS accept.
	MaxSubmitParametersLength = 102400
	// MaxEntryPointLength is the longest entryPoint EMR Serverless and EMR on EKS accept.
	MaxEntryPointLength = 256
	// MaxEntryPointArgumentLength is the longest single entryPointArguments item EMR Serverless
	// and EMR on EKS accept.
	MaxEntryPointArgumentLength = 10280
	// CommandRunnerJar is the jar of a Spark step: EMR runs its arguments as a command.
	CommandRunnerJar = "command-runner.jar"
	// GlueCatalogFactoryClass is the Hive metastore client factory that makes the Glue Data
	// Catalog the metastore of Spark SQL.
	GlueCatalogFactoryClass = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
	// VenvAlias is the directory name a packed virtual environment is unpacked under
	// (the "#environment" suffix of the archive).
	VenvAlias = "environment"
	// VenvPython is the interpreter inside an unpacked virtual environment.
	VenvPython = "./" + VenvAlias + "/bin/python"
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

// format is a rendering target, which decides what a value may contain.
type format int

const (
	formatStep   format = iota // a list of arguments: values may hold spaces
	formatParams               // one space-separated string: values may not
)

// Validate checks the spec against the rules every runtime shares. StepArgs and
// SubmitParameters call it and add the rules of their format.
func (s SparkSubmit) Validate() error {
	return s.validate(formatStep)
}

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
			case n > MaxEntryPointArgumentLength:
				add("Args[%d] is %d characters, over the limit of %d", i, n, MaxEntryPointArgumentLength)
			}
		}
	}
	if f == formatParams && utf8.RuneCountInString(s.EntryPoint) > MaxEntryPointLength {
		add("EntryPoint is %d characters, over the limit of %d", utf8.RuneCountInString(s.EntryPoint), MaxEntryPointLength)
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
// It fails if the spec is invalid or the step would exceed MaxStepArgsLength.
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
	n := utf8.RuneCountInString(CommandRunnerJar)
	for _, a := range args {
		n += utf8.RuneCountInString(a)
	}
	if n > MaxStepArgsLength {
		return nil, fmt.Errorf("emr: SparkSubmit renders to a step of %d characters, over the limit of %d", n, MaxStepArgsLength)
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
	if n := utf8.RuneCountInString(out); n > MaxSubmitParametersLength {
		return "", fmt.Errorf("emr: SparkSubmit renders to sparkSubmitParameters of %d characters, over the limit of %d", n, MaxSubmitParametersLength)
	}
	return out, nil
}

// ParseStepArgs is the inverse of StepArgs: it reads the arguments of a command-runner.jar
// spark-submit step back into a spec. It accepts the options StepArgs writes and the --conf
// forms of the typed fields, and rejects anything else (such as --deploy-mode).
func ParseStepArgs(args []string) (SparkSubmit, error) {
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

// ParseSubmitParameters is the inverse of SubmitParameters: it reads a sparkSubmitParameters
// string, with the entryPoint and entryPointArguments of the same job driver, back into a spec.
func ParseSubmitParameters(params, entryPoint string, args []string) (SparkSubmit, error) {
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

// WithGlueCatalog returns a copy of s that uses the Glue Data Catalog as the Hive metastore
// (spark.hadoop.hive.metastore.client.factory.class).
func (s SparkSubmit) WithGlueCatalog() SparkSubmit {
	s.Conf = maps.Clone(s.Conf)
	if s.Conf == nil {
		s.Conf = map[string]string{}
	}
	s.Conf["spark.hadoop.hive.metastore.client.factory.class"] = GlueCatalogFactoryClass
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
	s.Archives = append(slices.Clone(s.Archives), archiveURI+"#"+VenvAlias)
	s.Conf["spark.executorEnv.PYSPARK_PYTHON"] = VenvPython
	switch rt {
	case RuntimeServerless:
		s.Conf["spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON"] = VenvPython
		s.Conf["spark.emr-serverless.driverEnv.PYSPARK_PYTHON"] = VenvPython
	case RuntimeEKS:
		s.Conf["spark.kubernetes.driverEnv.PYSPARK_PYTHON"] = VenvPython
	default:
		s.Conf["spark.yarn.appMasterEnv.PYSPARK_PYTHON"] = VenvPython
	}
	return s
}
