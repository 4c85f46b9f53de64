package glue_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/glue/gluetest"
)

var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// newFake returns a fake and the manual clock it runs on.
func newFake(t *testing.T, optFns ...func(*gluetest.Options)) (*gluetest.Fake, *datablocks.ManualClock) {
	t.Helper()
	clock := datablocks.NewManualClock(start)
	opts := append([]func(*gluetest.Options){func(o *gluetest.Options) { o.Clock = clock }}, optFns...)
	return gluetest.New(opts...), clock
}

// wait returns WaitOptions on clock with constant jitter, so delays are exact.
func wait(clock datablocks.Clock) datablocks.WaitOptions {
	return datablocks.WaitOptions{Clock: clock, Jitter: func() float64 { return 0 }}
}

func ops(f *gluetest.Fake) []string {
	var out []string
	for _, c := range f.Calls() {
		out = append(out, c.Op)
	}
	return out
}

func gluetestJob(name string) *awsglue.CreateJobInput {
	return &awsglue.CreateJobInput{Name: aws.String(name), Role: aws.String("arn:aws:iam::111122223333:role/glue"),
		Command: &types.JobCommand{Name: aws.String("glueetl"), ScriptLocation: aws.String("s3://scripts/" + name + ".py")}}
}

func asThrottle(err error, target **types.ThrottlingException) bool { return errors.As(err, target) }
