// Package msktest is a local Amazon MSK for tests and examples: in-process Kafka brokers
// (kfake, three by default) on 127.0.0.1 that accept only clients that authenticate the way
// MSK's IAM listener requires, so code written against msk runs unchanged against it.
//
//	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"orders"} })
//	mech, _ := msk.NewIAMMechanism(c.Config())           // static credentials the cluster accepts
//	w := msk.NewWriter(c.Addrs(), "orders", mech, c.ConnOptions) // TLS or plaintext, as the cluster
//	defer w.Close()
//	err := w.WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: []byte("v")})
//
// The package also holds ControlPlane, an in-memory fake of the MSK control-plane API
// (NewControlPlane); give it a local cluster's Addrs (ProvisionedCluster.Addrs) so that broker
// discovery leads to brokers that work. It embeds *fakecontrol.Controls, the control surface
// every datablocks fake shares: Control, KeepControl, FailNext, ThrottleNext (MSK's
// TooManyRequestsException), Calls, Count, ResetCalls and ClearControls, keyed by the OpXxx
// constants. RunConformanceTests checks it, or real MSK, at the SDK interface.
//
// # Authentication
//
// Each broker offers OAUTHBEARER (MSK IAM) and, when ClusterOptions.SCRAMUsers is set,
// SCRAM-SHA-512. An IAM token is decoded and checked as MSK does: action
// kafka-cluster:Connect, the cluster's region and host, a registered access key, not
// expired (nor signed more than ClusterOptions.ClockSkew in the future), and the SigV4 presign
// signature recomputed with the registered secret key (see TokenVerifier). A refused token
// gets SASL_AUTHENTICATION_FAILED (58) with a message saying which check failed, and the
// connection is closed. A client that sends anything but ApiVersions or SASL requests
// before authenticating has its connection closed, as Kafka does, unless
// ClusterOptions.AllowUnauthenticated is set. Stats counts all of these.
//
// # Session lifetime
//
// With ClusterOptions.SessionLifetime set, a SASL session ends that long after authentication (and
// no later than the IAM token's expiry), as Kafka's connections.max.reauth.ms (KIP-368)
// makes it: the first request that arrives on the connection after the session ended is not
// processed, and the connection is closed once the responses already owed are written.
// Clients that re-authenticate (a new SaslHandshake on the authenticated connection before
// expiry) start a new session; kafka-go does not, so it reconnects.
//
// # TLS
//
// Brokers listen in plaintext unless ClusterOptions.TLS is set; then they serve TLS 1.2+ with a
// certificate for 127.0.0.1 and localhost issued by a CA generated for the cluster.
// Cluster.ConnOptions configures msk clients for either (it sets ConnOptions.TLS with
// that CA as root, or ConnOptions.Plaintext), and Cluster.RootCAs returns the CA pool.
//
// # How it works
//
// kfake's control functions answer SaslHandshake and SaslAuthenticate for OAUTHBEARER and
// pass SCRAM to kfake's own SCRAM server. Control functions do not know the connection, so
// each broker listener wraps its connections: the wrapper reads whole request frames,
// tracks the SASL stage and session deadline of its connection from the requests and from
// the responses kfake writes, and closes the connection when a request is not allowed.
// Advertised broker addresses are the real listener addresses, so metadata needs no
// rewriting.
//
// # Not modeled
//
// Certificate rotation and mutual TLS, IAM authorization of individual
// Kafka actions (an authenticated client may do anything; kafka-cluster:* policies are not
// evaluated), session tokens (signed over but not checked against STS), SCRAM
// re-authentication with a changed user, and the AWS_MSK_IAM mechanism.
//
// ControlPlane models only the five operations package msk calls (GetBootstrapBrokers,
// DescribeClusterV2, GetClusterPolicy, PutClusterPolicy, DeleteClusterPolicy): no cluster
// creation, update or deletion through the API, no IPv6 or multi-VPC (VpcConnectivity)
// bootstrap strings, no IAM evaluation of cluster policies; a state set with SetClusterState
// is reported by DescribeClusterV2 but changes no other answer.
package msktest
