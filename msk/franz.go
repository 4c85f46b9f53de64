package msk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kgo"
	fsasl "github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/oauth"
)

// FranzMechanism returns the mechanism as a franz-go SASL mechanism
// (github.com/twmb/franz-go/pkg/sasl): OAUTHBEARER whose token is a fresh MSK IAM token
// signed by this IAMMechanism for each authentication. franz-go re-authenticates its
// connections itself (KIP-368), signing a new token each time, so its sessions survive
// MSK's session lifetime and credential rotation. Pass it to FranzOpts or kgo.SASL.
func (m *IAMMechanism) FranzMechanism() fsasl.Mechanism {
	return oauth.Oauth(func(ctx context.Context) (oauth.Auth, error) {
		tok, _, err := m.Token(ctx)
		if err != nil {
			return oauth.Auth{}, err
		}
		return oauth.Auth{Token: tok}, nil
	})
}

// FranzOpts returns the kgo options that make a franz-go client ready for MSK: the seed
// brokers (for example BrokerDiscovery's Brokers), SASL with mech (IAMMechanism.FranzMechanism
// for IAM; nil for none), TLS as ConnOptions configures it (MSK's default: system roots,
// TLS 1.2 or newer; plaintext only as ConnOptions.Plaintext and InsecurePlaintext allow), the
// dial timeout and the client ID. Add the client's own options (topics, group) and call
// kgo.NewClient:
//
//	opts, err := msk.FranzOpts(brokers.Brokers, mech.FranzMechanism())
//	cl, err := kgo.NewClient(append(opts, kgo.ConsumeTopics("orders"))...)
//
// ConnOptions.IdleTimeout and Logger do not apply to franz-go (see kgo.ConnIdleTimeout and
// kgo.WithLogger).
func FranzOpts(brokers []string, mech fsasl.Mechanism, optFns ...func(*ConnOptions)) ([]kgo.Opt, error) {
	if len(brokers) == 0 {
		return nil, errors.New("msk: FranzOpts needs at least one seed broker")
	}
	o := resolveConnOptions(optFns)
	opts := []kgo.Opt{
		kgo.SeedBrokers(brokers...),
		kgo.ClientID(o.ClientID),
		kgo.DialTimeout(o.DialTimeout),
	}
	if tc := tlsConfig(o); tc != nil {
		opts = append(opts, kgo.DialTLSConfig(tc))
	} else if mech != nil && !o.InsecurePlaintext {
		for _, b := range brokers {
			if err := checkLoopback(b, mech.Name()); err != nil {
				return nil, err
			}
		}
	}
	if mech != nil {
		opts = append(opts, kgo.SASL(mech))
	}
	return opts, nil
}

// String and GoString name the mechanism without its credentials.
func (m *IAMMechanism) String() string {
	return fmt.Sprintf("msk.IAMMechanism{Region: %q, Host: %q}", m.region, m.host)
}

// GoString is String, so %#v prints no credentials either.
func (m *IAMMechanism) GoString() string { return m.String() }

// LogValue logs the mechanism's region and host, never its credentials.
func (m *IAMMechanism) LogValue() slog.Value {
	return slog.GroupValue(slog.String("region", m.region), slog.String("host", m.host))
}
