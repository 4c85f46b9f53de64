// Package msk connects Go services to Amazon MSK with kafka-go (and franz-go) and manages
// what they need around it: authentication (IAM and SCRAM) with in-place re-authentication,
// broker discovery, topics, ACLs, consumer lag, IAM policies, cluster resource policies for
// cross-account consumers, and MirrorMaker 2 on MSK Connect.
//
//	brokers, _ := msk.NewBrokerDiscovery(kafka.NewFromConfig(cfg)).Discover(ctx, clusterARN, msk.AuthIAM)
//	mech, _ := msk.NewIAMMechanism(cfg)
//	w := msk.NewWriter(brokers.Brokers, "orders", mech)
//	defer w.Close()
//	err := w.WriteMessages(ctx, kafkago.Message{Value: []byte("hello")})
//	policy, _ := msk.ProducerPolicy(msk.ProducerAccess{ClusterARN: clusterARN, Topics: []string{"orders"}})
//	fmt.Println(policy) // attach to the producer's role
//
// # Clients
//
// Each helper takes the narrow interface of the client methods it calls. The MSK control
// plane's *kafka.Client (github.com/aws/aws-sdk-go-v2/service/kafka) satisfies
// BrokersAPIClient (BrokerDiscovery) and ClusterPolicyAPIClient (ClusterPolicies); *ssm.Client
// satisfies ParameterAPIClient (ParameterBrokers) and *secretsmanager.Client SecretAPIClient
// (NewSCRAMMechanism). Topic and ACL administration talk to the brokers through the kafka-go
// admin client, *kafka.Client of github.com/segmentio/kafka-go, which satisfies
// TopicsAPIClient (TopicAdmin) and ACLsAPIClient (ACLAdmin). msktest.ControlPlane implements
// the control-plane interfaces, and msktest.Cluster serves real Kafka brokers for the rest.
//
// # Authentication and connections
//
// NewIAMMechanism turns an aws.Config into the SASL/OAUTHBEARER mechanism MSK's IAM
// listeners (port 9098, public 9198) accept: each connection presents a token presigned
// for kafka-cluster:Connect in the cluster's partition, from cached credentials.
// NewSCRAMMechanism reads a SCRAM-SHA-512 user from an "AmazonMSK_" Secrets Manager secret
// for the SCRAM listeners (9096, 9196). NewDialer and NewTransport wrap a mechanism in TLS
// connections (for readers and for writers and admin clients), and NewWriter and
// NewReaderConfig build a producer and a consumer configuration with MSK-friendly defaults
// from a broker list and a mechanism. A refused authentication
// is an *AuthError naming the broker and its message; WriteMessages returns it, and so do
// FetchMessage and ReadMessage (kafka-go's own Reader methods only log it and wait for the
// context's deadline).
//
// Plaintext is refused where it would expose credentials: ConnOptions.Plaintext works only
// for brokers on a loopback address (a local msktest cluster), and only InsecurePlaintext
// sends them unencrypted to another host.
//
// # Re-authentication (KIP-368)
//
// MSK ends an IAM session when its token expires (about 15 minutes) and closes the connection
// at the next request. kafka-go never re-authenticates, so this package does it for every
// connection it dials (writers, readers, consumer groups, admin clients): at a random point
// between 85% and 95% of the session lifetime the broker reported (and at least a second, or
// half a short session, before its end) the connection holds back new requests, reads the
// responses still owed to kafka-go into memory, sends SaslHandshake and SaslAuthenticate with
// a fresh token and reads the answers itself. When an IAMMechanism's credentials rotate, every
// connection re-authenticates at once, and a token never outlives its credentials. A refused
// re-authentication closes the connection and kafka-go's next read or write on it returns the
// *AuthError; one the broker hangs up on (it came too late) is retried by kafka-go on a new
// connection.
//
// Limits: a request the broker holds past the session's end (a JoinGroup waiting for a slow
// rebalance, a fetch whose MaxWait exceeds what is left) delays the re-authentication until
// it is answered, and the broker then closes the connection, as with any KIP-368 client;
// re-authentication runs on a timer, so a process stalled past the session's end loses the
// connection as before; connections kafka-go makes itself (a kafka.Dialer with SASLMechanism
// set) are not covered; a fetch response is held in memory while its connection
// re-authenticates.
//
// # franz-go
//
// IAMMechanism.FranzMechanism is the same IAM authentication as a franz-go SASL mechanism
// (OAUTHBEARER), and FranzOpts the kgo options that make a franz-go client MSK-ready (seed
// brokers, TLS, SASL); franz-go re-authenticates by itself.
//
// # Brokers
//
// BrokerDiscovery finds the bootstrap brokers of a cluster from its ARN: DescribeClusterV2
// says whether it is provisioned or serverless and which authentication modes it enables,
// and GetBootstrapBrokers gives the string for the mode (AuthIAM 9098, AuthSCRAM 9096,
// AuthTLS 9094, AuthPlaintext 9092) and access (Options.Public: 9198, 9196, 9194).
// Asking for a mode the cluster does not enable is an *AuthNotEnabledError listing those it
// does. ParameterBrokers reads a comma-separated list from an SSM parameter instead.
//
// # Topics and ACLs
//
// TopicAdmin works over a kafka-go *kafka.Client. EnsureTopic is idempotent and reports what
// it did as a datablocks.Change: it creates a missing topic and waits until every partition
// has a leader; on an existing one it sets only the configs that differ and adds partitions,
// and refuses with a *TopicChangeError to shrink partitions or change the replication factor.
// DescribeTopic returns a topic's state as the TopicSpec EnsureTopic takes; ListTopics and
// DeleteTopic complete it. ACLAdmin creates, describes and deletes typed ACLBindings (an
// ACLBinding is also the filter, zero fields matching anything); ProducerACLs and
// ConsumerACLs are kafka-acls --producer and --consumer for the same ProducerAccess and
// ConsumerAccess the IAM policies take. Kafka ACLs apply to SCRAM and mutual-TLS principals;
// IAM clients are authorized by IAM policies.
//
// # IAM policies and cluster policies
//
// ClusterARN parses MSK cluster ARNs and builds their topics' ARNs in the
// cluster's partition. ProducerPolicy, ConsumerPolicy and AdminPolicy (whose doc comment maps
// each topic call to its IAM action) return least-privilege
// datablocks.Policy documents with exactly the kafka-cluster actions each role needs on
// exactly those resources. ClusterPolicies grants (GrantConsumer) and revokes (Revoke)
// cross-account consumer statements in a cluster's resource policy by Sid, with optimistic
// concurrency on the policy version and retries with backoff on conflicts; both report what
// they did to the policy as a datablocks.Change.
//
// ConsumerLag reads a consumer group's lag per partition (committed offset against end
// offset) through the brokers.
//
// # MirrorMaker 2
//
// MirrorMaker2 validates a replication flow between two IAM-authenticated clusters and
// returns the three MSK Connect connector configurations (source, checkpoint, heartbeat),
// with task sizing from the partition count and warnings as values, not log lines.
// MirrorMakerRolePolicy returns the connectors' role policy from the same MirrorMakerConfig.
// MirrorMakerDeployer.EnsureMirrorMaker deploys them on MSK Connect (kafkaconnect client):
// it creates the missing connectors, updates those whose configuration or capacity differs,
// waits until all three are RUNNING and reports a FAILED one as a *ConnectorFailedError.
//
// # Options and defaults
//
// Helpers follow the AWS SDK's shape: NewXxx(client, optFns...) with one Options struct for
// every helper and mechanism of the package (as in glue and lakeformation), per-call optFns
// applied to a copy, zero values meaning the default each field's doc comment states, and
// ClientOptions passed through to SDK calls. Waits (for partition leaders, for connectors to
// run) are configured by Options.Wait, a datablocks.WaitOptions as in every datablocks
// package; cluster policy retries are not a wait: they are configured by Options.Retry, a
// datablocks.RetryOptions. Connections are configured by ConnOptions. Tests pass a
// datablocks.ManualClock and never sleep. Logging is an optional *slog.Logger; nothing is
// logged by default, and never a token, secret or password.
//
// # Errors
//
// Input is validated before any call, and errors start with "msk:" and name the field and
// the rule. SDK and Kafka errors are wrapped with %w, so errors.As finds
// *types.NotFoundException and errors.Is finds kafka.UnknownTopicOrPartition. Domain errors
// are *AuthNotEnabledError, *TopicChangeError, *ACLBatchError (aligned with the input),
// *AuthError, *ConnectorFailedError and ErrServerlessCrossAccount.
//
// # Testing
//
// Package msktest provides a local MSK, independent of this package: msktest.NewCluster
// starts in-process TLS Kafka brokers that verify IAM tokens (OAUTHBEARER and AWS_MSK_IAM)
// and SCRAM users like MSK's listeners and end sessions when tokens expire;
// msktest.NewControlPlane and msktest.NewConnect are fakes of the MSK and MSK Connect APIs
// (served to the real SDK clients through package localaws) with fault injection, a call log,
// clocks of their own and conformance suites.
package msk
