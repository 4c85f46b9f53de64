package datablocks_test

import (
	"context"
	"fmt"
	"time"

	"github.com/datablocks-go/datablocks"
)

// A least-privilege policy in the partition of the region it runs in, validated before use.
func Example() {
	p := datablocks.PartitionForRegion("cn-north-1")
	policy := datablocks.NewPolicy(datablocks.Statement{
		Sid:      "ReadRaw",
		Effect:   datablocks.Allow,
		Action:   []string{"s3:GetObject"},
		Resource: []string{p.ARN("s3", "", "", "analytics-raw/*")},
	})
	if err := policy.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(policy)
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "ReadRaw",
	//       "Effect": "Allow",
	//       "Action": "s3:GetObject",
	//       "Resource": "arn:aws-cn:s3:::analytics-raw/*"
	//     }
	//   ]
	// }
}

// A ManualClock makes a wait of an hour take no wall-clock time.
func ExampleManualClock() {
	clock := datablocks.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	_ = clock.Sleep(context.Background(), time.Hour)
	fmt.Println(clock.Now().Format(time.RFC3339), clock.Sleeps())
	// Output: 2026-01-01T01:00:00Z [1h0m0s]
}

// Every Ensure call reports what it did as a Change.
func ExampleChange() {
	ch := datablocks.Change{Action: datablocks.Updated, Changed: []string{"partitions"}}
	fmt.Println(ch, ch.Wrote())
	// Output: updated (partitions) true
}
