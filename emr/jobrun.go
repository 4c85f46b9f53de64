package emr

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// JobRun is one Spark job run: on an EMR Serverless application (ServerlessRunner) or on an
// EMR on EKS virtual cluster (ContainersRunner). The runner's Start takes the application or
// virtual cluster ID beside it.
type JobRun struct {
	// ExecutionRoleArn is the job run's IAM role (required).
	ExecutionRoleArn string
	// Spark is the application, rendered as the Spark job driver: entryPoint,
	// entryPointArguments and sparkSubmitParameters.
	Spark SparkSubmit
	// SparkDefaults are Spark properties sent in the spark-defaults classification of the
	// configuration overrides instead of sparkSubmitParameters, so their values may hold
	// white space (spark.driver.extraJavaOptions, say). Keys must not repeat what SparkSubmit's
	// typed fields set (spark.jars, spark.executor.memory, ...). Optional.
	SparkDefaults map[string]string
	// ReleaseLabel is the EMR release, such as emr-7.5.0-latest: required on EMR on EKS. EMR
	// Serverless runs the application's release and refuses one here.
	ReleaseLabel string
	// Name names the job run. Optional.
	Name string
	// Tags tag the job run. Optional.
	Tags map[string]string
	// ExecutionTimeout cancels an EMR Serverless job run after this long, rounded up to whole
	// minutes. Zero means the service's default (12 hours). EMR on EKS has no such setting and
	// refuses one.
	ExecutionTimeout time.Duration
	// LogURI is the S3 prefix for logs (S3 monitoring). Empty means no S3 logs.
	LogURI string
	// CloudWatchLogGroup sends the logs to this CloudWatch Logs group (EMR Serverless's own
	// is /aws/emr-serverless). Empty means no CloudWatch logging.
	CloudWatchLogGroup string
	// CloudWatchLogStreamPrefix prefixes the log streams in CloudWatchLogGroup. Optional.
	CloudWatchLogStreamPrefix string
	// ClientToken makes the start idempotent: the service starts one run per token. Empty
	// means a random token, kept across Start's own retries; set it (at most 64 characters) to
	// make your retries (after a crash, say) idempotent too.
	ClientToken string
}

// check checks what EMR Serverless and EMR on EKS job runs share: the application or
// virtual cluster ID (named container in errors), the execution role, the logs, the client
// token and the spark-defaults keys. It returns the spark-defaults to send (nil when none).
func (j JobRun) check(container, containerID string) (map[string]string, []error) {
	var errs []error
	if containerID == "" {
		errs = append(errs, errMissing(container))
	}
	if j.ExecutionRoleArn == "" {
		errs = append(errs, errMissing("JobRun.ExecutionRoleArn"))
	} else if err := checkRoleARN("JobRun.ExecutionRoleArn", j.ExecutionRoleArn); err != nil {
		errs = append(errs, err)
	}
	if j.LogURI != "" && !strings.HasPrefix(j.LogURI, "s3://") {
		errs = append(errs, fmt.Errorf("emr: JobRun.LogURI %q is not an s3:// URI", j.LogURI))
	}
	if j.CloudWatchLogStreamPrefix != "" && j.CloudWatchLogGroup == "" {
		errs = append(errs, errors.New("emr: JobRun.CloudWatchLogStreamPrefix needs JobRun.CloudWatchLogGroup"))
	}
	if len(j.ClientToken) > maxClientTokenLength {
		errs = append(errs, fmt.Errorf("emr: JobRun.ClientToken is %d characters, over the limit of %d", len(j.ClientToken), maxClientTokenLength))
	}
	for _, k := range slices.Sorted(maps.Keys(j.SparkDefaults)) {
		if k == "" || hasSpace(k) {
			errs = append(errs, fmt.Errorf("emr: JobRun.SparkDefaults key %q is empty or contains white space", k))
		}
		if reservedConf[k] != "" {
			errs = append(errs, fmt.Errorf("emr: JobRun.SparkDefaults key %q duplicates a field: set SparkSubmit.%s instead", k, reservedConf[k]))
		}
	}
	if len(j.SparkDefaults) == 0 {
		return nil, errs
	}
	return maps.Clone(j.SparkDefaults), errs
}
