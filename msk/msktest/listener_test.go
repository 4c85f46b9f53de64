package msktest_test

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/datablocks-go/datablocks/msk/msktest"
)

// rawConn speaks the Kafka protocol by hand, to send what well-behaved clients do not.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	corr int32
}

func dialRaw(t *testing.T, addr string, tlsConfig *tls.Config) *rawConn {
	t.Helper()
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, tlsConfig)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	t.Cleanup(func() { conn.Close() })
	return &rawConn{t: t, conn: conn}
}

// roundTrip sends req (non-flexible versions only) and decodes the response into resp; it
// returns the read error if the broker closed the connection instead.
func (r *rawConn) roundTrip(req kmsg.Request, resp kmsg.Response) error {
	r.t.Helper()
	r.corr++
	buf := make([]byte, 4, 64)
	buf = binary.BigEndian.AppendUint16(buf, uint16(req.Key()))
	buf = binary.BigEndian.AppendUint16(buf, uint16(req.GetVersion()))
	buf = binary.BigEndian.AppendUint32(buf, uint32(r.corr))
	buf = binary.BigEndian.AppendUint16(buf, 3)
	buf = append(buf, "raw"...)
	buf = req.AppendTo(buf)
	binary.BigEndian.PutUint32(buf, uint32(len(buf)-4))
	if _, err := r.conn.Write(buf); err != nil {
		return err
	}
	var size [4]byte
	if _, err := io.ReadFull(r.conn, size[:]); err != nil {
		return err
	}
	body := make([]byte, binary.BigEndian.Uint32(size[:]))
	if _, err := io.ReadFull(r.conn, body); err != nil {
		return err
	}
	resp.SetVersion(req.GetVersion())
	return resp.ReadFrom(body[4:])
}

func TestGuardEnforcesSASLOrder(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) { o.Brokers = 1 })
	mech := iamMechanism(t, c.Config())
	_, ir, err := mech.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	auth := func() *kmsg.SASLAuthenticateRequest {
		req := kmsg.NewPtrSASLAuthenticateRequest()
		req.Version, req.SASLAuthBytes = 1, ir
		return req
	}
	handshake := func(mechanism string) *kmsg.SASLHandshakeRequest {
		req := kmsg.NewPtrSASLHandshakeRequest()
		req.Version, req.Mechanism = 1, mechanism
		return req
	}

	t.Run("authenticate without handshake", func(t *testing.T) {
		r := dialRaw(t, c.Addrs()[0], c.TLSConfig())
		if err := r.roundTrip(auth(), kmsg.NewPtrSASLAuthenticateResponse()); err == nil {
			t.Fatal("SaslAuthenticate before SaslHandshake was answered")
		}
	})
	t.Run("ApiVersions then handshake then authenticate", func(t *testing.T) {
		r := dialRaw(t, c.Addrs()[0], c.TLSConfig())
		av := kmsg.NewPtrApiVersionsRequest()
		if err := r.roundTrip(av, kmsg.NewPtrApiVersionsResponse()); err != nil {
			t.Fatal(err)
		}
		hs := kmsg.NewPtrSASLHandshakeResponse()
		if err := r.roundTrip(handshake("OAUTHBEARER"), hs); err != nil || hs.ErrorCode != 0 {
			t.Fatalf("handshake: %v, code %d", err, hs.ErrorCode)
		}
		ar := kmsg.NewPtrSASLAuthenticateResponse()
		if err := r.roundTrip(auth(), ar); err != nil || ar.ErrorCode != 0 {
			t.Fatalf("authenticate: %v, code %d", err, ar.ErrorCode)
		}
		md := kmsg.NewPtrMetadataRequest()
		md.Version = 4
		if err := r.roundTrip(md, kmsg.NewPtrMetadataResponse()); err != nil {
			t.Fatalf("metadata after authentication: %v", err)
		}
	})
	t.Run("unsupported mechanism closes", func(t *testing.T) {
		r := dialRaw(t, c.Addrs()[0], c.TLSConfig())
		hs := kmsg.NewPtrSASLHandshakeResponse()
		if err := r.roundTrip(handshake("SCRAM-SHA-256"), hs); err != nil {
			t.Fatal(err)
		}
		if hs.ErrorCode != kerr.UnsupportedSaslMechanism.Code || !slices.Equal(hs.SupportedMechanisms, []string{"OAUTHBEARER", "AWS_MSK_IAM"}) {
			t.Fatalf("handshake response %+v", hs)
		}
		if err := r.roundTrip(handshake("OAUTHBEARER"), kmsg.NewPtrSASLHandshakeResponse()); err == nil {
			t.Fatal("connection still open after a refused mechanism")
		}
	})
	t.Run("failed authentication closes", func(t *testing.T) {
		r := dialRaw(t, c.Addrs()[0], c.TLSConfig())
		if err := r.roundTrip(handshake("OAUTHBEARER"), kmsg.NewPtrSASLHandshakeResponse()); err != nil {
			t.Fatal(err)
		}
		bad := auth()
		bad.SASLAuthBytes = []byte("n,,\x01auth=Bearer x\x01\x01")
		ar := kmsg.NewPtrSASLAuthenticateResponse()
		if err := r.roundTrip(bad, ar); err != nil {
			t.Fatal(err)
		}
		if ar.ErrorCode != kerr.SaslAuthenticationFailed.Code || ar.ErrorMessage == nil {
			t.Fatalf("authenticate response %+v", ar)
		}
		md := kmsg.NewPtrMetadataRequest()
		md.Version = 4
		if err := r.roundTrip(md, kmsg.NewPtrMetadataResponse()); err == nil {
			t.Fatal("connection still served after a failed authentication")
		}
	})
	t.Run("oversized frame closes", func(t *testing.T) {
		r := dialRaw(t, c.Addrs()[0], c.TLSConfig())
		if _, err := r.conn.Write([]byte{0x7f, 0xff, 0xff, 0xff}); err != nil {
			t.Fatal(err)
		}
		if _, err := r.conn.Read(make([]byte, 1)); err == nil {
			t.Fatal("connection still open after a 2 GiB frame header")
		}
	})
}
