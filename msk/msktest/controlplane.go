package msktest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskafka "github.com/aws/aws-sdk-go-v2/service/kafka"
	"github.com/aws/aws-sdk-go-v2/service/kafka/types"
	"github.com/aws/smithy-go"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// provisionedBrokers is the broker node count of a provisioned cluster (b-1 to b-3), one per
// availability zone of a typical three-AZ cluster.
const provisionedBrokers = 3

// Defaults of Options.
const (
	defaultControlPlaneRegion = "eu-west-1"
	defaultAccountID          = "123456789012"
)

// The operations of ControlPlane, as named in fakecontrol.Call.Op, Control, FailNext and Count.
const (
	OpGetBootstrapBrokers = "GetBootstrapBrokers"
	OpDescribeClusterV2   = "DescribeClusterV2"
	OpGetClusterPolicy    = "GetClusterPolicy"
	OpPutClusterPolicy    = "PutClusterPolicy"
	OpDeleteClusterPolicy = "DeleteClusterPolicy"
)

// Options configures the fakes of the MSK APIs, ControlPlane and Connect (as emrtest.Options
// configures each EMR fake). The zero value is valid. The local brokers of NewCluster are
// configured by ClusterOptions.
type Options struct {
	// Clock stamps ControlPlane's cluster creation times and drives Connect's connector state
	// machine. Nil means the fake's own datablocks.NewManualClock at the current second (see
	// the fake's Clock method); pass the same clock as the helper under test.
	Clock datablocks.Clock
	// Region and AccountID are those of the clusters added without their own, and of
	// connector ARNs. Empty means "eu-west-1" (the region of localaws and NewCluster) and
	// "123456789012".
	Region    string
	AccountID string
	// PageSize is Connect's ListConnectors page size when the request sets no MaxResults.
	// Zero means 100, the API's maximum (the API reference states no default); set it small
	// to test pagination.
	PageSize int
}

// ControlPlane is an in-memory fake of the MSK control plane (the kafka service client) for
// the calls the msk package makes: GetBootstrapBrokers, DescribeClusterV2, GetClusterPolicy,
// PutClusterPolicy and DeleteClusterPolicy. It returns real SDK output shapes and typed
// errors (*types.NotFoundException, *types.BadRequestException, *types.ConflictException,
// *types.TooManyRequestsException), wrapped in *smithy.OperationError as the SDK client does.
// It is safe for concurrent use.
//
// Cluster policies are versioned: every PutClusterPolicy stores a new opaque version, and a
// PutClusterPolicy whose CurrentVersion is not the stored one fails with a ConflictException
// (an omitted CurrentVersion overwrites unconditionally). GetClusterPolicy and
// DeleteClusterPolicy on a cluster without a policy return a NotFoundException. The MSK API
// reference lists only BadRequest, Forbidden and InternalServerError exceptions for
// PutClusterPolicy and does not say which one a stale CurrentVersion gets; the fake uses the
// service's ConflictException (a client may also see a BadRequestException about the
// version from MSK). The conformance suite's PutPolicyStaleVersion
// subtest, run against real MSK, checks that its answer is one of those.
//
// Not modeled: clusters in states other than those set with SetClusterState affecting any
// call, IPv6 and multi-VPC (VpcConnectivity) bootstrap strings, IAM evaluation of cluster
// policies, and every other MSK operation.
type ControlPlane struct {
	// Controls intercepts calls, injects failures and throttling (a
	// *types.TooManyRequestsException, as MSK throttles), and logs calls; the operation names
	// are the OpXxx constants.
	*fakecontrol.Controls

	opts Options

	mu       sync.Mutex
	clusters map[string]*fakeCluster
	seq      int
}

type fakeCluster struct {
	arn        clusterARN
	serverless bool
	spec       ClusterSpec
	created    time.Time
	state      types.ClusterState
	version    string
	addrs      []string
	hosts      []string
	policy     string
	policyVer  string
}

// NewControlPlane returns an empty fake control plane.
func NewControlPlane(optFns ...func(*Options)) *ControlPlane {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Clock == nil {
		o.Clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	if o.Region == "" {
		o.Region = defaultControlPlaneRegion
	}
	if o.AccountID == "" {
		o.AccountID = defaultAccountID
	}
	return &ControlPlane{
		Controls: fakecontrol.New(throttled, OpGetBootstrapBrokers, OpDescribeClusterV2, OpGetClusterPolicy, OpPutClusterPolicy, OpDeleteClusterPolicy),
		opts:     o, clusters: map[string]*fakeCluster{},
	}
}

// Clock returns the fake's clock (datablocks.ClockSource), which stamps creation times.
func (c *ControlPlane) Clock() datablocks.Clock { return c.opts.Clock }

// Service describes the fake for package localaws: the kafka service (restJson1, signing name
// "kafka", lower-camel JSON members, RFC 3339 creation times), with each operation at its
// route in the MSK API reference.
func (c *ControlPlane) Service() localaws.Service {
	return localaws.Service{
		SigningName: "kafka",
		Protocol:    localaws.RESTJSON1,
		Naming:      localaws.LowerCamel,
		DateTimes:   []string{"Cluster.CreationTime"},
		Operations: []localaws.Operation{
			localaws.Route(OpGetBootstrapBrokers, "GET", "/v1/clusters/{ClusterArn}/bootstrap-brokers", c.GetBootstrapBrokers),
			localaws.Route(OpDescribeClusterV2, "GET", "/api/v2/clusters/{ClusterArn}", c.DescribeClusterV2),
			localaws.Route(OpGetClusterPolicy, "GET", "/v1/clusters/{ClusterArn}/policy", c.GetClusterPolicy),
			localaws.Route(OpPutClusterPolicy, "PUT", "/v1/clusters/{ClusterArn}/policy", c.PutClusterPolicy),
			localaws.Route(OpDeleteClusterPolicy, "DELETE", "/v1/clusters/{ClusterArn}/policy", c.DeleteClusterPolicy),
		},
	}
}

// throttled is MSK's throttling error: HTTP 429 TooManyRequestsException.
func throttled(string) error {
	return &types.TooManyRequestsException{Message: aws.String("Too Many Requests")}
}

// ClusterSpec describes a cluster to add to the fake: provisioned, or serverless with
// Serverless set.
type ClusterSpec struct {
	// Name is the cluster name; required.
	Name string
	// UUID is the cluster UUID in its ARN. Empty means a generated one.
	UUID string
	// Region and AccountID default to the ControlPlane's.
	Region    string
	AccountID string
	// Serverless makes an MSK Serverless cluster, which accepts IAM authentication only and
	// has no public access: the fields below but Addrs must then be zero (IAM may be set).
	Serverless bool
	// IAM, SCRAM, TLS (mutual TLS) and Unauthenticated are the client authentication modes
	// enabled. All false means IAM only.
	IAM, SCRAM, TLS, Unauthenticated bool
	// ClientBroker is the encryption in transit between clients and brokers. Empty means TLS.
	ClientBroker types.ClientBroker
	// PublicAccess turns on public access (SERVICE_PROVIDED_EIPS). MSK allows it only with TLS
	// encryption and without unauthenticated access.
	PublicAccess bool
	// Addrs, if set, are returned verbatim as the bootstrap brokers of every enabled mode, e.g.
	// the addresses of a local msktest.Cluster. Empty means generated MSK host names with the
	// port of each mode (9098, 9096, 9094, 9092 and 9198, 9196, 9194 for public access; a
	// serverless bootstrap host on port 9098).
	Addrs []string
	// KafkaVersion is reported in a provisioned cluster's description. Empty means "3.6.0".
	KafkaVersion string
}

// AddCluster adds an ACTIVE cluster and returns its ARN.
func (c *ControlPlane) AddCluster(spec ClusterSpec) (string, error) {
	if spec.Serverless {
		if spec.SCRAM || spec.TLS || spec.Unauthenticated || spec.PublicAccess || spec.ClientBroker != "" || spec.KafkaVersion != "" {
			return "", errors.New("msktest: a serverless ClusterSpec accepts IAM authentication only, with no public access, ClientBroker or KafkaVersion, as MSK Serverless does")
		}
		return c.add(&fakeCluster{serverless: true, spec: spec}, spec.Name, spec.UUID, spec.Region, spec.AccountID, spec.Addrs)
	}
	if !spec.IAM && !spec.SCRAM && !spec.TLS && !spec.Unauthenticated {
		spec.IAM = true
	}
	if spec.ClientBroker == "" {
		spec.ClientBroker = types.ClientBrokerTls
	}
	if spec.KafkaVersion == "" {
		spec.KafkaVersion = "3.6.0"
	}
	if !slices.Contains(types.ClientBroker("").Values(), spec.ClientBroker) {
		return "", fmt.Errorf("msktest: ClusterSpec.ClientBroker %q is not TLS, TLS_PLAINTEXT or PLAINTEXT", spec.ClientBroker)
	}
	if spec.PublicAccess && (spec.Unauthenticated || spec.ClientBroker != types.ClientBrokerTls) {
		return "", errors.New("msktest: ClusterSpec.PublicAccess needs TLS-only encryption in transit and no unauthenticated access, as MSK requires")
	}
	if (spec.IAM || spec.SCRAM || spec.TLS) && spec.ClientBroker == types.ClientBrokerPlaintext {
		return "", errors.New("msktest: IAM, SCRAM and TLS authentication need TLS encryption in transit, not PLAINTEXT")
	}
	return c.add(&fakeCluster{spec: spec}, spec.Name, spec.UUID, spec.Region, spec.AccountID, spec.Addrs)
}

func (c *ControlPlane) add(fc *fakeCluster, name, uuid, region, account string, addrs []string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	if region == "" {
		region = c.opts.Region
	}
	if account == "" {
		account = c.opts.AccountID
	}
	if uuid == "" {
		uuid = fmt.Sprintf("%08x-1a2b-4c3d-8e4f-%012x-%d", 0x5eed0000+c.seq, c.seq, 1+c.seq%25)
	}
	arn, err := newClusterARN(region, account, name, uuid)
	if err != nil {
		return "", fmt.Errorf("msktest: adding cluster: %w", err)
	}
	if _, dup := c.clusters[arn.String()]; dup {
		return "", fmt.Errorf("msktest: cluster %s already exists", arn)
	}
	for _, a := range addrs {
		if err := checkBrokerAddr(a); err != nil {
			return "", fmt.Errorf("msktest: Addrs: %w", err)
		}
	}
	fc.arn = arn
	fc.created = c.opts.Clock.Now().UTC()
	fc.state = types.ClusterStateActive
	fc.version = clusterVersion(c.seq)
	fc.addrs = slices.Clone(addrs)
	short := strings.ToLower(strings.ReplaceAll(uuid, "-", ""))
	short = short[:min(6, len(short))]
	suffix := dnsSuffix(region)
	if fc.serverless {
		fc.hosts = []string{fmt.Sprintf("boot-%s.c2.kafka-serverless.%s.%s", short, region, suffix)}
	} else {
		for i := 1; i <= provisionedBrokers; i++ {
			fc.hosts = append(fc.hosts, fmt.Sprintf("b-%d.%s.%s.c2.kafka.%s.%s", i, strings.ToLower(name), short, region, suffix))
		}
	}
	c.clusters[arn.String()] = fc
	return arn.String(), nil
}

// clusterVersion and policyVersion mimic MSK's opaque version strings.
func clusterVersion(n int) string { return fmt.Sprintf("K%013d", n) }

func policyVersion(n int) string { return fmt.Sprintf("P%013d", n) }

// SetClusterState sets a cluster's state as DescribeClusterV2 reports it.
func (c *ControlPlane) SetClusterState(clusterARN string, state types.ClusterState) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	fc, ok := c.clusters[clusterARN]
	if !ok {
		return fmt.Errorf("msktest: no cluster %s", clusterARN)
	}
	fc.state = state
	return nil
}

// SetClusterPolicy stores a cluster policy as if another writer had put it, and returns its
// new version. An empty policy deletes it.
func (c *ControlPlane) SetClusterPolicy(clusterARN, policy string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fc, ok := c.clusters[clusterARN]
	if !ok {
		return "", fmt.Errorf("msktest: no cluster %s", clusterARN)
	}
	if policy == "" {
		fc.policy, fc.policyVer = "", ""
		return "", nil
	}
	c.seq++
	fc.policy, fc.policyVer = policy, policyVersion(c.seq)
	return fc.policyVer, nil
}

// ClusterPolicy returns a cluster's policy and version, and whether it has one.
func (c *ControlPlane) ClusterPolicy(clusterARN string) (policy, version string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fc, found := c.clusters[clusterARN]
	if !found || fc.policy == "" {
		return "", "", false
	}
	return fc.policy, fc.policyVer, true
}

// do runs one operation through the controls and, unless a control handles it, the fake:
// the SDK's client-side check that ClusterArn (and whatever check adds) is set, then fn with
// the cluster under c.mu. Errors are wrapped in a *smithy.OperationError, as the SDK client
// wraps them.
func do[In, Out any](ctx context.Context, c *ControlPlane, op string, params *In, clusterArn func(*In) *string,
	check func(*In) error, fn func(*In, *fakeCluster) (*Out, error)) (*Out, error) {
	out, err := fakecontrol.Do(c.Controls, op, params, func(in *In) (*Out, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if in == nil {
			in = new(In)
		}
		if clusterArn(in) == nil {
			return nil, required(op+"Input", "ClusterArn")
		}
		if check != nil {
			if err := check(in); err != nil {
				return nil, err
			}
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		fc, err := c.lookup(*clusterArn(in))
		if err != nil {
			return nil, err
		}
		return fn(in, fc)
	})
	if err != nil {
		if oe := (*smithy.OperationError)(nil); !errors.As(err, &oe) {
			err = &smithy.OperationError{ServiceID: "Kafka", OperationName: op, Err: err}
		}
		return nil, err
	}
	return out, nil
}

func required(input, field string) error {
	e := smithy.InvalidParamsError{Context: input}
	e.Add(smithy.NewErrParamRequired(field))
	return &e
}

// lookup finds a cluster by ARN, with MSK's errors for malformed and unknown ARNs. Callers
// hold c.mu.
func (c *ControlPlane) lookup(arn string) (*fakeCluster, error) {
	if _, err := parseClusterARN(arn); err != nil {
		return nil, &types.BadRequestException{Message: aws.String("The request is invalid: the cluster ARN " + arn + " is not valid."), InvalidParameter: aws.String("clusterArn")}
	}
	fc, ok := c.clusters[arn]
	if !ok {
		return nil, &types.NotFoundException{Message: aws.String("The specified cluster " + arn + " was not found."), InvalidParameter: aws.String("clusterArn")}
	}
	return fc, nil
}

// DescribeClusterV2 returns the cluster's description.
func (c *ControlPlane) DescribeClusterV2(ctx context.Context, params *awskafka.DescribeClusterV2Input, _ ...func(*awskafka.Options)) (*awskafka.DescribeClusterV2Output, error) {
	return do(ctx, c, OpDescribeClusterV2, params, func(in *awskafka.DescribeClusterV2Input) *string { return in.ClusterArn }, nil,
		func(_ *awskafka.DescribeClusterV2Input, fc *fakeCluster) (*awskafka.DescribeClusterV2Output, error) {
			return &awskafka.DescribeClusterV2Output{ClusterInfo: fc.describe()}, nil
		})
}

// noPolicy is MSK's error for a cluster without a policy.
func (fc *fakeCluster) noPolicy() error {
	return &types.NotFoundException{Message: aws.String("The cluster policy of " + fc.arn.String() + " was not found.")}
}

func (fc *fakeCluster) describe() *types.Cluster {
	created := fc.created
	info := &types.Cluster{
		ClusterArn:     aws.String(fc.arn.String()),
		ClusterName:    aws.String(fc.arn.Name),
		CreationTime:   &created,
		CurrentVersion: aws.String(fc.version),
		State:          fc.state,
		Tags:           map[string]string{},
	}
	if fc.serverless {
		info.ClusterType = types.ClusterTypeServerless
		info.Serverless = &types.Serverless{
			VpcConfigs: []types.VpcConfig{{SubnetIds: []string{"subnet-0a1b2c3d", "subnet-1a2b3c4d", "subnet-2a3b4c5d"}, SecurityGroupIds: []string{"sg-0a1b2c3d"}}},
			ClientAuthentication: &types.ServerlessClientAuthentication{
				Sasl: &types.ServerlessSasl{Iam: &types.Iam{Enabled: aws.Bool(true)}},
			},
		}
		return info
	}
	s := fc.spec
	public := "DISABLED"
	if s.PublicAccess {
		public = "SERVICE_PROVIDED_EIPS"
	}
	info.ClusterType = types.ClusterTypeProvisioned
	info.Provisioned = &types.Provisioned{
		BrokerNodeGroupInfo: &types.BrokerNodeGroupInfo{
			ClientSubnets:    []string{"subnet-0a1b2c3d", "subnet-1a2b3c4d", "subnet-2a3b4c5d"},
			InstanceType:     aws.String("kafka.m5.large"),
			SecurityGroups:   []string{"sg-0a1b2c3d"},
			ConnectivityInfo: &types.ConnectivityInfo{PublicAccess: &types.PublicAccess{Type: aws.String(public)}},
		},
		NumberOfBrokerNodes: aws.Int32(provisionedBrokers),
		ClientAuthentication: &types.ClientAuthentication{
			Sasl:            &types.Sasl{Iam: &types.Iam{Enabled: aws.Bool(s.IAM)}, Scram: &types.Scram{Enabled: aws.Bool(s.SCRAM)}},
			Tls:             &types.Tls{Enabled: aws.Bool(s.TLS)},
			Unauthenticated: &types.Unauthenticated{Enabled: aws.Bool(s.Unauthenticated)},
		},
		EncryptionInfo: &types.EncryptionInfo{
			EncryptionInTransit: &types.EncryptionInTransit{ClientBroker: s.ClientBroker, InCluster: aws.Bool(true)},
		},
		CurrentBrokerSoftwareInfo: &types.BrokerSoftwareInfo{KafkaVersion: aws.String(s.KafkaVersion)},
	}
	return info
}

// GetBootstrapBrokers returns a bootstrap string for every mode the cluster enables.
func (c *ControlPlane) GetBootstrapBrokers(ctx context.Context, params *awskafka.GetBootstrapBrokersInput, _ ...func(*awskafka.Options)) (*awskafka.GetBootstrapBrokersOutput, error) {
	return do(ctx, c, OpGetBootstrapBrokers, params, func(in *awskafka.GetBootstrapBrokersInput) *string { return in.ClusterArn }, nil,
		func(_ *awskafka.GetBootstrapBrokersInput, fc *fakeCluster) (*awskafka.GetBootstrapBrokersOutput, error) {
			out := &awskafka.GetBootstrapBrokersOutput{}
			if fc.serverless {
				out.BootstrapBrokerStringSaslIam = aws.String(fc.bootstrap(9098, false))
				return out, nil
			}
			// The listeners MSK opens for a provisioned cluster (MSK Developer Guide, "Port
			// information" and "Get the bootstrap brokers"): IAM 9098, SCRAM 9096, TLS 9094
			// with TLS in transit, plaintext 9092 for unauthenticated access with plaintext in
			// transit; public access adds 9198, 9196, 9194 for the authenticated ones.
			s := fc.spec
			tlsOn := s.ClientBroker == types.ClientBrokerTls || s.ClientBroker == types.ClientBrokerTlsPlaintext
			plainOn := s.ClientBroker == types.ClientBrokerPlaintext || s.ClientBroker == types.ClientBrokerTlsPlaintext
			set := func(on bool, private, public **string, port int) {
				if !on {
					return
				}
				*private = aws.String(fc.bootstrap(port, false))
				if s.PublicAccess && public != nil {
					*public = aws.String(fc.bootstrap(port+100, true))
				}
			}
			set(s.IAM && tlsOn, &out.BootstrapBrokerStringSaslIam, &out.BootstrapBrokerStringPublicSaslIam, 9098)
			set(s.SCRAM && tlsOn, &out.BootstrapBrokerStringSaslScram, &out.BootstrapBrokerStringPublicSaslScram, 9096)
			set(tlsOn && (s.TLS || s.Unauthenticated), &out.BootstrapBrokerStringTls, &out.BootstrapBrokerStringPublicTls, 9094)
			set(plainOn && s.Unauthenticated, &out.BootstrapBrokerString, nil, 9092)
			return out, nil
		})
}

func (fc *fakeCluster) bootstrap(port int, public bool) string {
	if len(fc.addrs) > 0 {
		return strings.Join(fc.addrs, ",")
	}
	out := make([]string, len(fc.hosts))
	for i, h := range fc.hosts {
		if public {
			first, rest, _ := strings.Cut(h, ".")
			h = first + "-public." + rest
		}
		out[i] = fmt.Sprintf("%s:%d", h, port)
	}
	return strings.Join(out, ",")
}

// GetClusterPolicy returns the cluster's policy and its version, or a NotFoundException when
// it has none.
func (c *ControlPlane) GetClusterPolicy(ctx context.Context, params *awskafka.GetClusterPolicyInput, _ ...func(*awskafka.Options)) (*awskafka.GetClusterPolicyOutput, error) {
	return do(ctx, c, OpGetClusterPolicy, params, func(in *awskafka.GetClusterPolicyInput) *string { return in.ClusterArn }, nil,
		func(_ *awskafka.GetClusterPolicyInput, fc *fakeCluster) (*awskafka.GetClusterPolicyOutput, error) {
			if fc.policy == "" {
				return nil, fc.noPolicy()
			}
			return &awskafka.GetClusterPolicyOutput{Policy: aws.String(fc.policy), CurrentVersion: aws.String(fc.policyVer)}, nil
		})
}

// PutClusterPolicy stores the policy with a new version. A CurrentVersion that is not the
// stored version is a ConflictException; a policy that is not an IAM policy document is a
// BadRequestException.
func (c *ControlPlane) PutClusterPolicy(ctx context.Context, params *awskafka.PutClusterPolicyInput, _ ...func(*awskafka.Options)) (*awskafka.PutClusterPolicyOutput, error) {
	return do(ctx, c, OpPutClusterPolicy, params, func(in *awskafka.PutClusterPolicyInput) *string { return in.ClusterArn },
		func(in *awskafka.PutClusterPolicyInput) error {
			if in.Policy == nil {
				return required("PutClusterPolicyInput", "Policy")
			}
			return nil
		},
		func(in *awskafka.PutClusterPolicyInput, fc *fakeCluster) (*awskafka.PutClusterPolicyOutput, error) {
			p, err := datablocks.ParsePolicy([]byte(*in.Policy))
			if err != nil || len(p.Statements) == 0 {
				return nil, &types.BadRequestException{Message: aws.String("The request is invalid: the policy is not a valid policy document."), InvalidParameter: aws.String("policy")}
			}
			if in.CurrentVersion != nil && *in.CurrentVersion != fc.policyVer {
				return nil, &types.ConflictException{
					Message:          aws.String(fmt.Sprintf("The policy version %s does not match the current version of the cluster policy.", *in.CurrentVersion)),
					InvalidParameter: aws.String("currentVersion"),
				}
			}
			c.seq++
			fc.policy, fc.policyVer = *in.Policy, policyVersion(c.seq)
			return &awskafka.PutClusterPolicyOutput{CurrentVersion: aws.String(fc.policyVer)}, nil
		})
}

// DeleteClusterPolicy deletes the cluster's policy, or returns a NotFoundException when it has
// none.
func (c *ControlPlane) DeleteClusterPolicy(ctx context.Context, params *awskafka.DeleteClusterPolicyInput, _ ...func(*awskafka.Options)) (*awskafka.DeleteClusterPolicyOutput, error) {
	return do(ctx, c, OpDeleteClusterPolicy, params, func(in *awskafka.DeleteClusterPolicyInput) *string { return in.ClusterArn }, nil,
		func(_ *awskafka.DeleteClusterPolicyInput, fc *fakeCluster) (*awskafka.DeleteClusterPolicyOutput, error) {
			if fc.policy == "" {
				return nil, fc.noPolicy()
			}
			fc.policy, fc.policyVer = "", ""
			return &awskafka.DeleteClusterPolicyOutput{}, nil
		})
}
