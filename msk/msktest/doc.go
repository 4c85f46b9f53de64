// Package msktest is a local Amazon MSK for tests and examples: in-process Kafka brokers
// (kfake, three by default) on 127.0.0.1 that accept only clients that authenticate the way
// MSK's IAM listeners require, and a fake of the MSK control plane served in-process or on
// the wire through package localaws. It does not import package msk: it checks requests by
// the MSK and SigV4 documentation, so that a mistake in msk cannot hide in its fake.
//
//	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.SeedTopics = []string{"orders"} })
//	mech, _ := msk.NewIAMMechanism(c.Config())                   // static credentials the cluster accepts
//	w := msk.NewWriter(c.Addrs(), "orders", mech, c.ConnOptions) // TLS trusting the cluster's CA
//	defer w.Close()
//	err := w.WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: []byte("v")})
//
// ControlPlane (NewControlPlane) is the fake of the control plane; give it a local cluster's
// Addrs (ClusterSpec.Addrs) so that broker discovery leads to brokers that work. Its
// Service method serves it on the wire: localaws.Start([]localaws.Service{cp.Service()}) and
// kafka.NewFromConfig(srv.Config()). It embeds *fakecontrol.Controls (Control, KeepControl,
// FailNext, ThrottleNext with MSK's TooManyRequestsException, Calls, Count), keyed by the
// OpXxx constants; a name that is not one of them panics. A conformance suite (in msk's
// internal/conformance) checks it in every go test, in-process and through the SDK client,
// and real MSK under the integration build tag, at the SDK interface.
//
// Connect (NewConnect) is the fake of the MSK Connect API for connectors (CreateConnector,
// DescribeConnector, ListConnectors, UpdateConnector, DeleteConnector): connectors go
// CREATING -> RUNNING (or FAILED, where FailNextTransition says), RUNNING -> UPDATING ->
// RUNNING and DELETING -> gone as the fake's clock (Connect.Clock) passes 5, 3 and 1 minutes
// (MSK Connect takes minutes for each), never by counting polls; a helper waiting with the fake's clock
// (the default when it is given the fake itself, or Wait.Clock = fake.Clock() over the wire)
// waits no wall time, and a wait that nothing advances fails with fakecontrol's
// FakeClockStalled error. Its Service serves it to kafkaconnect.NewFromConfig through
// localaws.
//
// # Authentication
//
// Each broker offers OAUTHBEARER (MSK IAM, as aws-msk-iam-sasl-signer-go and msk sign it),
// AWS_MSK_IAM (the Java IAMLoginModule's JSON payload, as franz-go's sasl/aws sends it) and,
// when ClusterOptions.SCRAMUsers is set, SCRAM-SHA-512. An IAM token is checked as SigV4
// query-string authentication defines and MSK applies it: action kafka-cluster:Connect,
// algorithm AWS4-HMAC-SHA256, a credential scope of a registered access key, the cluster's
// region and service kafka-cluster, the host (kafka.<region>.amazonaws.com[.cn] for
// OAUTHBEARER, the broker for AWS_MSK_IAM), signed headers exactly "host", X-Amz-Expires from
// 1 to 900 seconds, not expired nor signed more than 5 minutes in the future,
// no query parameter but the presign ones (User-Agent, appended after signing, is ignored),
// and the signature recomputed over the whole canonical request with the registered secret
// key. A refused token gets SASL_AUTHENTICATION_FAILED (58) with a message saying which check
// failed (never quoting the token or a secret), and the connection is closed. A client that
// sends anything but ApiVersions or SASL requests before authenticating has its connection
// closed, as Kafka does, unless ClusterOptions.AllowUnauthenticated is set. Stats counts all
// of these.
//
// # Session lifetime
//
// As on MSK, an IAM session ends when its token expires; ClusterOptions.SessionLifetime ends
// every session sooner (Kafka's connections.max.reauth.ms); no session outlives its token.
// SaslAuthenticate responses report the lifetime
// (SessionLifetimeMillis, KIP-368). The first request that arrives after the session ended is
// not processed, and the connection is closed once the responses already owed are written
// (Stats.ExpiredSessions). A client that re-authenticates (a new SaslHandshake and
// SaslAuthenticate on the authenticated connection before expiry) starts a new session
// (Stats.Reauthentications), as package msk's connections and franz-go do.
//
// # TLS
//
// Brokers serve TLS 1.2+ by default, with a certificate for 127.0.0.1 and localhost issued by
// a CA generated for the cluster: Cluster.TLSConfig returns a client configuration trusting
// it (for kafka-go, franz-go's kgo.DialTLSConfig, msk.ConnOptions.TLS) and Cluster.ConnOptions
// configures msk clients in one call. ClusterOptions.Plaintext turns TLS off.
//
// # How it works
//
// kfake's control functions answer SaslHandshake and SaslAuthenticate for the IAM mechanisms
// and pass SCRAM to kfake's own SCRAM server. Control functions do not know the connection, so
// each broker listener wraps its connections: the wrapper reads whole request frames, tracks
// the SASL stage and session deadline of its connection from the requests and from the
// responses kfake writes, and closes the connection when a request is not allowed.
// Advertised broker addresses are the real listener addresses, so metadata needs no
// rewriting. The brokers run in real time by default (ClusterOptions.Clock).
//
// # Not modeled
//
// Certificate rotation and mutual TLS; IAM authorization of individual Kafka actions (an
// authenticated client may do anything; kafka-cluster:* policies are not evaluated); session
// tokens (signed over but not checked against STS); "Cannot change principals during
// re-authentication" (a re-authentication with another access key is accepted); SCRAM
// re-authentication with a changed user.
//
// Connect does not model custom plugins or worker configurations as resources (their ARNs
// are checked for shape only), logs, auto scaling behaviour (its settings are validated and
// kept), tags, connector operations, or connectors failing on their own.
//
// ControlPlane models only the five operations package msk calls (GetBootstrapBrokers,
// DescribeClusterV2, GetClusterPolicy, PutClusterPolicy, DeleteClusterPolicy): no cluster
// creation, update or deletion through the API, no IPv6 or multi-VPC (VpcConnectivity)
// bootstrap strings, no IAM evaluation of cluster policies; a state set with SetClusterState
// is reported by DescribeClusterV2 but changes no other answer. Its page sizes do not apply
// (it implements no List operation).
package msktest
