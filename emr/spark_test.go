package emr_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks/emr"
)

func TestStepArgsSparkPi(t *testing.T) {
	// The SparkPi step from the EMR documentation (Type=Spark expands to command-runner.jar).
	s := emr.SparkSubmit{
		EntryPoint: "/usr/lib/spark/examples/jars/spark-examples.jar",
		MainClass:  "org.apache.spark.examples.SparkPi",
		Args:       []string{"5"},
	}
	got, err := s.StepArgs()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"spark-submit", "--class", "org.apache.spark.examples.SparkPi", "/usr/lib/spark/examples/jars/spark-examples.jar", "5"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StepArgs (-want +got):\n%s", diff)
	}
}

func fullSpec() emr.SparkSubmit {
	return emr.SparkSubmit{
		EntryPoint:     "s3://code/jobs/etl.jar",
		MainClass:      "com.example.Etl",
		Args:           []string{"--day", "2026-01-01", "two words"},
		Conf:           map[string]string{"spark.sql.shuffle.partitions": "200", "spark.executorEnv.TABLE_NAME": "sales"},
		Jars:           []string{"s3://code/lib/a.jar", "s3://code/lib/b.jar"},
		PyFiles:        []string{"s3://code/deps.zip"},
		Files:          []string{"s3://code/app.conf"},
		Archives:       []string{"s3://code/venv.tar.gz#environment"},
		Packages:       []string{"org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.1"},
		DriverMemory:   "4g",
		DriverCores:    2,
		ExecutorMemory: "8g",
		ExecutorCores:  4,
	}
}

func TestStepArgsOrder(t *testing.T) {
	got, err := fullSpec().StepArgs()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"spark-submit",
		"--class", "com.example.Etl",
		"--jars", "s3://code/lib/a.jar,s3://code/lib/b.jar",
		"--py-files", "s3://code/deps.zip",
		"--files", "s3://code/app.conf",
		"--archives", "s3://code/venv.tar.gz#environment",
		"--packages", "org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.1",
		"--driver-memory", "4g",
		"--driver-cores", "2",
		"--executor-memory", "8g",
		"--executor-cores", "4",
		"--conf", "spark.executorEnv.TABLE_NAME=sales",
		"--conf", "spark.sql.shuffle.partitions=200",
		"s3://code/jobs/etl.jar",
		"--day", "2026-01-01", "two words",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StepArgs (-want +got):\n%s", diff)
	}
}

func TestSubmitParameters(t *testing.T) {
	s := fullSpec()
	s.Args = []string{"--day", "2026-01-01"}
	got, err := s.SubmitParameters()
	if err != nil {
		t.Fatal(err)
	}
	want := "--class com.example.Etl" +
		" --conf spark.archives=s3://code/venv.tar.gz#environment" +
		" --conf spark.driver.cores=2" +
		" --conf spark.driver.memory=4g" +
		" --conf spark.executor.cores=4" +
		" --conf spark.executor.memory=8g" +
		" --conf spark.executorEnv.TABLE_NAME=sales" +
		" --conf spark.files=s3://code/app.conf" +
		" --conf spark.jars=s3://code/lib/a.jar,s3://code/lib/b.jar" +
		" --conf spark.jars.packages=org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.1" +
		" --conf spark.sql.shuffle.partitions=200" +
		" --conf spark.submit.pyFiles=s3://code/deps.zip"
	if got != want {
		t.Errorf("SubmitParameters:\n got %s\nwant %s", got, want)
	}
}

func TestPySparkVenvPresets(t *testing.T) {
	base := emr.SparkSubmit{EntryPoint: "s3://code/main.py"}
	tests := []struct {
		rt   emr.Runtime
		want string
	}{
		// EMR Serverless user guide, "Using Python libraries with EMR Serverless".
		{emr.RuntimeServerless, "--conf spark.archives=s3://code/venv.tar.gz#environment" +
			" --conf spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON=./environment/bin/python" +
			" --conf spark.emr-serverless.driverEnv.PYSPARK_PYTHON=./environment/bin/python" +
			" --conf spark.executorEnv.PYSPARK_PYTHON=./environment/bin/python"},
		// Spark on Kubernetes: driver environment through spark.kubernetes.driverEnv.*.
		{emr.RuntimeEKS, "--conf spark.archives=s3://code/venv.tar.gz#environment" +
			" --conf spark.executorEnv.PYSPARK_PYTHON=./environment/bin/python" +
			" --conf spark.kubernetes.driverEnv.PYSPARK_PYTHON=./environment/bin/python"},
	}
	for _, tt := range tests {
		got, err := base.WithPySparkVenv(tt.rt, "s3://code/venv.tar.gz").SubmitParameters()
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s venv preset:\n got %s\nwant %s", tt.rt, got, tt.want)
		}
	}
	if base.Conf != nil || base.Archives != nil {
		t.Error("WithPySparkVenv modified its receiver")
	}
}

func TestGlueCatalogPreset(t *testing.T) {
	conf := map[string]string{"spark.app.name": "x"}
	s := emr.SparkSubmit{EntryPoint: "s3://code/main.py", Conf: conf}.WithGlueCatalog()
	got, err := s.SubmitParameters()
	if err != nil {
		t.Fatal(err)
	}
	want := "--conf spark.app.name=x --conf spark.hadoop.hive.metastore.client.factory.class=com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if len(conf) != 1 {
		t.Error("WithGlueCatalog modified the caller's Conf map")
	}
}

func TestSparkSubmitValidation(t *testing.T) {
	ok := emr.SparkSubmit{EntryPoint: "s3://code/main.py"}
	with := func(f func(*emr.SparkSubmit)) emr.SparkSubmit {
		s := ok
		f(&s)
		return s
	}
	tests := []struct {
		name      string
		spec      emr.SparkSubmit
		stepErr   string // "" means StepArgs accepts it
		paramsErr string // "" means SubmitParameters accepts it
	}{
		{"valid", ok, "", ""},
		{"no entry point", emr.SparkSubmit{}, "EntryPoint is required", "EntryPoint is required"},
		{"relative entry point", with(func(s *emr.SparkSubmit) { s.EntryPoint = "main.py" }), "is not an S3 URI", "is not an S3 URI"},
		{"bucket only", with(func(s *emr.SparkSubmit) { s.EntryPoint = "s3://code" }), "is not an S3 URI", "is not an S3 URI"},
		{"conf key with space", with(func(s *emr.SparkSubmit) { s.Conf = map[string]string{"spark executor.memory": "4g"} }),
			`emr: SparkSubmit.Conf key "spark executor.memory" contains a space`, `contains a space`},
		{"conf key with =", with(func(s *emr.SparkSubmit) { s.Conf = map[string]string{"a=b": "c"} }), `contains '='`, `contains '='`},
		{"reserved conf key", with(func(s *emr.SparkSubmit) { s.Conf = map[string]string{"spark.archives": "s3://x/y"} }),
			"set SparkSubmit.Archives instead", "set SparkSubmit.Archives instead"},
		{"conf value with space", with(func(s *emr.SparkSubmit) {
			s.Conf = map[string]string{"spark.driver.extraJavaOptions": "-Da=1 -Db=2"}
		}), "", "contains white space, which sparkSubmitParameters cannot carry"},
		{"jar with comma", with(func(s *emr.SparkSubmit) { s.Jars = []string{"s3://a/b,c.jar"} }), "contains a comma", "contains a comma"},
		{"empty jar", with(func(s *emr.SparkSubmit) { s.Jars = []string{""} }), "Jars[0] is empty", "Jars[0] is empty"},
		{"bad package", with(func(s *emr.SparkSubmit) { s.Packages = []string{"org.apache.spark"} }), "not group:artifact:version", "not group:artifact:version"},
		{"bad memory", with(func(s *emr.SparkSubmit) { s.DriverMemory = "4 GB" }), "not a size", "not a size"},
		{"negative cores", with(func(s *emr.SparkSubmit) { s.ExecutorCores = -1 }), "is negative", "is negative"},
		{"bad class", with(func(s *emr.SparkSubmit) { s.MainClass = "com.example.Main class" }), "not a Java class name", "not a Java class name"},
		{"empty argument", with(func(s *emr.SparkSubmit) { s.Args = []string{""} }), "", "entryPointArguments cannot carry"},
		{"long entry point", with(func(s *emr.SparkSubmit) { s.EntryPoint = "s3://code/" + strings.Repeat("a", 250) }), "", "over the limit of 256"},
		{"step too long", with(func(s *emr.SparkSubmit) { s.Args = []string{strings.Repeat("x", 10240)} }), "over the limit of 10240", ""},
		{"parameters too long", with(func(s *emr.SparkSubmit) {
			s.Conf = map[string]string{}
			for i := range 2000 {
				s.Conf["spark.k"+strings.Repeat("k", 30)+string(rune('a'+i%26))+strings.Repeat("z", i/26)] = strings.Repeat("v", 20)
			}
		}), "over the limit of 10240", "over the limit of 102400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.spec.StepArgs()
			checkErr(t, "StepArgs", err, tt.stepErr)
			_, err = tt.spec.SubmitParameters()
			checkErr(t, "SubmitParameters", err, tt.paramsErr)
		})
	}
}

func checkErr(t *testing.T, what string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: unexpected error %v", what, err)
	case want != "" && err == nil:
		t.Errorf("%s: no error, want one containing %q", what, want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("%s: error %q does not contain %q", what, err, want)
	}
}
