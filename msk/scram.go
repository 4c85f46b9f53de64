package msk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/segmentio/kafka-go/sasl"
	fsasl "github.com/twmb/franz-go/pkg/sasl"
	fscram "github.com/twmb/franz-go/pkg/sasl/scram"
)

// scramSecretPrefix is the prefix MSK requires of the names of SCRAM secrets it can
// associate with a cluster.
const scramSecretPrefix = "AmazonMSK_"

// scramMechanismName is the only SCRAM mechanism MSK supports.
const scramMechanismName = "SCRAM-SHA-512"

// NewSCRAMMechanism reads the SCRAM credentials of an MSK cluster from a Secrets Manager
// secret and returns the SCRAM-SHA-512 mechanism for kafka-go. secretName is the secret's
// name or ARN; the name must start with "AmazonMSK_", as MSK requires, and the secret must
// hold the JSON object {"username": "...", "password": "..."}. Errors name the secret and
// wrap the SDK's typed error (e.g. *types.ResourceNotFoundException for a missing secret);
// they never contain the password, and neither does the mechanism's String or LogValue.
func NewSCRAMMechanism(ctx context.Context, client SecretAPIClient, secretName string, optFns ...func(*Options)) (sasl.Mechanism, error) {
	o := configure(Options{}, optFns)
	if client == nil {
		return nil, errors.New("msk: NewSCRAMMechanism needs a Secrets Manager client")
	}
	name, err := scramSecretName(secretName)
	if err != nil {
		return nil, err
	}
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretName)}
	if o.VersionStage != "" {
		in.VersionStage = aws.String(o.VersionStage)
	}
	out, err := client.GetSecretValue(ctx, in, o.SecretsManagerClientOptions...)
	if err != nil {
		return nil, fmt.Errorf("msk: reading SCRAM secret %q: %w", name, err)
	}
	if out == nil || out.SecretString == nil {
		return nil, fmt.Errorf("msk: SCRAM secret %q has no SecretString (MSK needs a JSON string, not a binary secret)", name)
	}
	var v struct {
		Username *string `json:"username"`
		Password *string `json:"password"`
	}
	if err := json.Unmarshal([]byte(*out.SecretString), &v); err != nil {
		// The JSON error can quote the secret's text, so only its kind and offset are kept.
		where := ""
		var se *json.SyntaxError
		if errors.As(err, &se) {
			where = fmt.Sprintf(" (syntax error at byte %d)", se.Offset)
		}
		return nil, fmt.Errorf("msk: SCRAM secret %q is not a JSON object with string fields \"username\" and \"password\"%s", name, where)
	}
	if v.Username == nil || *v.Username == "" {
		return nil, fmt.Errorf("msk: SCRAM secret %q has no \"username\"", name)
	}
	if v.Password == nil || *v.Password == "" {
		return nil, fmt.Errorf("msk: SCRAM secret %q has no \"password\"", name)
	}
	m := fscram.Auth{User: *v.Username, Pass: *v.Password}.AsSha512Mechanism()
	if o.Logger != nil {
		o.Logger.LogAttrs(ctx, slog.LevelDebug, "msk: loaded SCRAM secret",
			slog.String("secret", name), slog.String("username", *v.Username))
	}
	return &scramMechanism{inner: m, user: *v.Username, secret: name}, nil
}

// scramSecretName returns the secret's name from a name or an ARN, checking MSK's prefix.
func scramSecretName(id string) (string, error) {
	if id == "" {
		return "", errors.New("msk: SCRAM secret name is empty")
	}
	name := id
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 7)
		if len(parts) != 7 || parts[2] != "secretsmanager" || parts[5] != "secret" {
			return "", fmt.Errorf("msk: SCRAM secret %q is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)", id)
		}
		name = parts[6]
	}
	if !strings.HasPrefix(name, scramSecretPrefix) {
		return "", fmt.Errorf("msk: SCRAM secret name %q does not start with %q, which MSK requires of SCRAM secrets", name, scramSecretPrefix)
	}
	return name, nil
}

// scramMechanism adapts franz-go's RFC 5802 SCRAM-SHA-512 client (standard library only) to
// kafka-go's sasl.Mechanism, with a redacting String, GoString and LogValue: the inner value
// holds the password. Like Kafka's brokers, it applies no SASLprep normalization.
type scramMechanism struct {
	inner        fsasl.Mechanism
	user, secret string
}

func (m *scramMechanism) Name() string { return scramMechanismName }

func (m *scramMechanism) Start(ctx context.Context) (sasl.StateMachine, []byte, error) {
	host := ""
	if md := sasl.MetadataFromContext(ctx); md != nil {
		host = md.Host
	}
	s, first, err := m.inner.Authenticate(ctx, host)
	if err != nil {
		return nil, nil, fmt.Errorf("msk: starting SCRAM-SHA-512 for user %s: %w", m.user, err)
	}
	return scramSession{s}, first, nil
}

type scramSession struct{ s fsasl.Session }

func (s scramSession) Next(_ context.Context, challenge []byte) (bool, []byte, error) {
	return s.s.Challenge(challenge)
}

func (m *scramMechanism) String() string {
	return fmt.Sprintf("SCRAM-SHA-512(user=%s, secret=%s)", m.user, m.secret)
}

func (m *scramMechanism) GoString() string { return m.String() }

func (m *scramMechanism) LogValue() slog.Value {
	return slog.GroupValue(slog.String("mechanism", scramMechanismName), slog.String("user", m.user), slog.String("secret", m.secret))
}
