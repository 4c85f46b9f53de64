// Package connopts holds msk.ConnOptions, so that msktest can offer a ready-made option for
// msk clients (msktest.Cluster.ConnOptions) without importing package msk: msk declares
// ConnOptions as an alias of Options.
package connopts

import (
	"crypto/tls"
	"log/slog"
	"time"
)

// Options configures the connections of the dialers, transports, writers and readers
// package msk builds. The zero value is MSK's: TLS with the system roots, TLS 1.2 or newer.
type Options struct {
	// TLS is the TLS configuration, overriding the MSK default (system root CAs, TLS 1.2 or
	// newer, server name from the broker address). A MinVersion below TLS 1.2 is raised to
	// TLS 1.2 and InsecureSkipVerify is forced off: to trust a private CA, set RootCAs.
	TLS *tls.Config
	// Plaintext turns TLS off for brokers on a loopback address (127.0.0.0/8, ::1,
	// localhost), such as a local msktest cluster. Dialing any other address with a SASL
	// mechanism fails: MSK's IAM and SCRAM listeners require TLS, and a token or password
	// sent in plaintext can be read and replayed by anyone on the path.
	Plaintext bool
	// InsecurePlaintext turns TLS off for every broker address, so SASL credentials (an IAM
	// bearer token, a SCRAM exchange) cross the network unencrypted. Only for brokers
	// reached through a tunnel that encrypts; never for MSK.
	InsecurePlaintext bool
	// DialTimeout bounds TCP dial, TLS handshake and SASL authentication together. Zero
	// means 10 seconds. It also bounds each in-place re-authentication.
	DialTimeout time.Duration
	// IdleTimeout is how long a Transport keeps an unused connection. Zero means 30 seconds.
	IdleTimeout time.Duration
	// ClientID is the Kafka client ID. Empty means "datablocks".
	ClientID string
	// Logger receives a debug record per authentication and re-authentication (broker,
	// mechanism, session lifetime), a warning per failed re-authentication, and the
	// Writer's and Reader's error logs. Nil means silent. Tokens and passwords are never
	// logged.
	Logger *slog.Logger
}
