package msk_test

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// A franz-go client with MSK IAM: the same mechanism, as a franz-go SASL mechanism, and the
// options for TLS and the seed brokers.
func ExampleFranzOpts() {
	local, err := msktest.NewCluster(func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"orders"} })
	if err != nil {
		fmt.Println(err)
		return
	}
	defer local.Close()
	mech, err := msk.NewIAMMechanism(local.Config()) // MSK: config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	// MSK: the brokers from BrokerDiscovery, and no ConnOptions (system roots).
	opts, err := msk.FranzOpts(local.Addrs(), mech.FranzMechanism(), local.ConnOptions)
	if err != nil {
		fmt.Println(err)
		return
	}
	cl, err := kgo.NewClient(append(opts, kgo.DefaultProduceTopic("orders"))...)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Close()
	res := cl.ProduceSync(context.Background(), &kgo.Record{Value: []byte("order-1")})
	fmt.Println("produced:", res.FirstErr() == nil, "IAM authentications:", local.Stats().IAMAuthentications > 0)
	// Output:
	// produced: true IAM authentications: true
}
