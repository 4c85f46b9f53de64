package msktest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Kafka API keys the guard looks at.
const (
	keyProduce          = 0
	keySASLHandshake    = 17
	keyApiVersions      = 18
	keySASLAuthenticate = 36

	// maxFrame bounds a request frame (Kafka's socket.request.max.bytes is 100 MiB).
	maxFrame = 100 << 20
)

// stage is where a connection is in its SASL life.
type stage int

const (
	stageBegin         stage = iota // nothing but ApiVersions and SaslHandshake allowed
	stageHandshake                  // mechanism chosen: ApiVersions and SaslAuthenticate allowed
	stageAuthenticated              // everything allowed until the session expires
	stageAnonymous                  // no SASL, allowed by ClusterOptions.AllowUnauthenticated
)

// errSessionExpired ends a connection whose SASL session expired.
var errSessionExpired = errors.New("msktest: SASL session expired")

// guardListener wraps a kfake broker's listener so that each accepted connection is a
// guardConn: kfake's control functions see requests but not connections, and the guard
// supplies the per-connection part of SASL (who authenticated, when the session ends).
type guardListener struct {
	net.Listener
	c *Cluster
}

func (l *guardListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.c.track(newGuardConn(conn, l.c)), nil
}

// guardConn sits between a client connection and kfake. It reads whole request frames,
// enforces the SASL stage (closing the connection on a request that is not allowed, as
// Kafka does), closes the connection at the first request after the session expired
// (KIP-368) without passing the request on, and watches the responses kfake writes for the
// outcome of SaslHandshake and SaslAuthenticate.
type guardConn struct {
	net.Conn
	c *Cluster
	r *bufio.Reader

	// Read side, used only by kfake's reader.
	frame []byte
	off   int

	mu       sync.Mutex
	cond     *sync.Cond
	stage    stage
	mech     string
	scramRTs int       // successful SCRAM SaslAuthenticate round trips in this exchange
	pending  pendingOp // the SASL request awaiting its response
	reauth   bool      // the current exchange re-authenticates an authenticated connection
	authAt   time.Time // when the pending SaslAuthenticate arrived
	deadline time.Time // when the session ends; zero means never
	inflight int       // forwarded requests whose responses kfake has not written
	closed   bool

	// Write side, used only by kfake's writer.
	whdr  []byte
	wskip int
}

type pendingOp struct {
	key  int16
	ver  int16
	corr int32
	set  bool
}

func newGuardConn(conn net.Conn, c *Cluster) *guardConn {
	g := &guardConn{Conn: conn, c: c, r: bufio.NewReaderSize(conn, 32<<10)}
	g.cond = sync.NewCond(&g.mu)
	c.stats.add(func(s *Stats) { s.Connections++ })
	return g
}

// Read hands kfake the bytes of allowed requests, one frame at a time.
func (g *guardConn) Read(p []byte) (int, error) {
	for g.off >= len(g.frame) {
		if err := g.nextFrame(); err != nil {
			return 0, err
		}
	}
	n := copy(p, g.frame[g.off:])
	g.off += n
	return n, nil
}

func (g *guardConn) nextFrame() error {
	var size [4]byte
	if _, err := io.ReadFull(g.r, size[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(size[:])
	if n < 8 || n > maxFrame {
		g.reject("a request frame of invalid size")
		return fmt.Errorf("msktest: request frame of %d bytes", n)
	}
	if cap(g.frame) < int(n)+4 {
		g.frame = make([]byte, int(n)+4)
	}
	g.frame = g.frame[:int(n)+4]
	copy(g.frame, size[:])
	if _, err := io.ReadFull(g.r, g.frame[4:]); err != nil {
		return err
	}
	g.off = 0
	body := g.frame[4:]
	key := int16(binary.BigEndian.Uint16(body))
	ver := int16(binary.BigEndian.Uint16(body[2:]))
	corr := int32(binary.BigEndian.Uint32(body[4:]))
	return g.admit(key, ver, corr, body)
}

// admit decides whether a request may reach kfake, updating the SASL bookkeeping.
func (g *guardConn) admit(key, ver int16, corr int32, body []byte) error {
	now := g.c.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return net.ErrClosed
	}
	if g.stage == stageAuthenticated && !g.deadline.IsZero() && !now.Before(g.deadline) {
		// KIP-368: the first request after the session expired is not processed and the
		// connection is closed, once the responses already owed have been written.
		g.c.stats.add(func(s *Stats) { s.ExpiredSessions++ })
		g.c.log("msktest: closing connection: SASL session expired", slog.String("client", g.RemoteAddr().String()),
			slog.Time("expired", g.deadline), slog.Int("api_key", int(key)))
		for g.inflight > 0 && !g.closed {
			g.cond.Wait()
		}
		g.closeLocked()
		return errSessionExpired
	}
	if g.stage == stageBegin && g.c.opts.AllowUnauthenticated && key != keySASLHandshake && key != keyApiVersions {
		g.stage = stageAnonymous
	}
	switch key {
	case keyApiVersions:
	case keySASLHandshake:
		if g.stage != stageBegin && g.stage != stageAuthenticated {
			return g.rejectLocked("SaslHandshake out of order")
		}
		req := kmsg.NewPtrSASLHandshakeRequest()
		req.Version = ver
		if err := req.ReadFrom(skipRequestHeader(req, body)); err != nil {
			return g.rejectLocked("malformed SaslHandshake")
		}
		g.mech = req.Mechanism
		g.reauth = g.stage == stageAuthenticated
		g.pending = pendingOp{key: key, ver: ver, corr: corr, set: true}
	case keySASLAuthenticate:
		if g.stage != stageHandshake {
			return g.rejectLocked("SaslAuthenticate without a SaslHandshake")
		}
		if g.scramRTs == 0 {
			g.authAt = now
		}
		g.pending = pendingOp{key: key, ver: ver, corr: corr, set: true}
	default:
		if g.stage == stageBegin || g.stage == stageHandshake {
			g.c.stats.add(func(s *Stats) { s.Unauthenticated++ })
			return g.rejectLocked(fmt.Sprintf("request (API key %d) before SASL authentication", key))
		}
	}
	if key != keyProduce || producesResponse(ver, body) {
		g.inflight++
	}
	return nil
}

// reject closes the connection for a protocol violation.
func (g *guardConn) reject(why string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	_ = g.rejectLocked(why)
}

func (g *guardConn) rejectLocked(why string) error {
	g.c.log("msktest: closing connection: "+why, slog.String("client", g.RemoteAddr().String()))
	g.closeLocked()
	return fmt.Errorf("msktest: %s", why)
}

// Write passes kfake's responses through, noting the outcome of SASL requests. A failed
// SaslHandshake or SaslAuthenticate closes the connection after its response, as Kafka does.
func (g *guardConn) Write(p []byte) (int, error) {
	closeAfter := g.observe(p)
	n, err := g.Conn.Write(p)
	if closeAfter {
		g.mu.Lock()
		g.closeLocked()
		g.mu.Unlock()
	}
	return n, err
}

// observe parses response frame headers in p, which may hold parts of frames.
func (g *guardConn) observe(p []byte) (closeAfter bool) {
	for len(p) > 0 {
		if g.wskip > 0 {
			k := min(g.wskip, len(p))
			g.wskip -= k
			p = p[k:]
			continue
		}
		need := 8
		if len(g.whdr) >= 8 {
			need = 4 + int(binary.BigEndian.Uint32(g.whdr))
		}
		k := min(need-len(g.whdr), len(p))
		g.whdr = append(g.whdr, p[:k]...)
		p = p[k:]
		if len(g.whdr) < need {
			continue
		}
		size := int(binary.BigEndian.Uint32(g.whdr))
		corr := int32(binary.BigEndian.Uint32(g.whdr[4:]))
		g.mu.Lock()
		sasl := g.pending.set && g.pending.corr == corr
		g.mu.Unlock()
		if sasl && len(g.whdr) < 4+size {
			continue // read the whole (small) SASL response
		}
		if sasl {
			if g.saslResponse(g.whdr[8:]) {
				closeAfter = true
			}
		} else {
			g.wskip = 4 + size - len(g.whdr)
		}
		g.whdr = g.whdr[:0]
		g.mu.Lock()
		g.inflight = max(g.inflight-1, 0)
		g.cond.Broadcast()
		g.mu.Unlock()
	}
	return closeAfter
}

// saslResponse applies the outcome of the pending SASL request; it reports whether the
// connection must close once the response is written.
func (g *guardConn) saslResponse(body []byte) (closeAfter bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	op := g.pending
	g.pending = pendingOp{}
	var resp kmsg.Response
	if op.key == keySASLHandshake {
		resp = &kmsg.SASLHandshakeResponse{Version: op.ver}
	} else {
		resp = &kmsg.SASLAuthenticateResponse{Version: op.ver}
	}
	if resp.IsFlexible() {
		body = skipTags(body)
	}
	if err := resp.ReadFrom(body); err != nil {
		g.c.log("msktest: unreadable SASL response", slog.String("error", err.Error()))
		return true
	}
	switch r := resp.(type) {
	case *kmsg.SASLHandshakeResponse:
		if r.ErrorCode != 0 {
			g.c.stats.add(func(s *Stats) { s.AuthFailures++ })
			return true
		}
		g.stage, g.scramRTs = stageHandshake, 0
	case *kmsg.SASLAuthenticateResponse:
		if r.ErrorCode != 0 {
			g.c.stats.add(func(s *Stats) { s.AuthFailures++ })
			g.c.log("msktest: SASL authentication failed", slog.String("client", g.RemoteAddr().String()),
				slog.String("mechanism", g.mech), slog.String("error", kerr.ErrorForCode(r.ErrorCode).Error()))
			return true
		}
		if g.mech == mechSCRAM {
			g.scramRTs++
			if g.scramRTs < 2 {
				return false // server-first sent; the client-final comes next
			}
		}
		g.stage = stageAuthenticated
		// The session ends when the response says (KIP-368): the cluster's authenticate
		// function computed it from SessionLifetime and the token's expiry, kfake from
		// connections.max.reauth.ms for SCRAM.
		g.deadline = time.Time{}
		if r.SessionLifetimeMillis > 0 {
			g.deadline = g.authAt.Add(time.Duration(r.SessionLifetimeMillis) * time.Millisecond)
		}
		reauth := g.reauth
		g.c.stats.add(func(s *Stats) {
			s.Authentications++
			if g.mech == mechOAuthBearer || g.mech == mechMSKIAM {
				s.IAMAuthentications++
			}
			if reauth {
				s.Reauthentications++
			}
		})
	}
	return false
}

// Close closes the client connection; kfake's reader and writer both call it.
func (g *guardConn) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil
	}
	if g.pending.set && g.pending.key == keySASLAuthenticate {
		// kfake ends a failed SCRAM exchange by closing the connection.
		g.c.stats.add(func(s *Stats) { s.AuthFailures++ })
		g.pending = pendingOp{}
	}
	return g.closeLocked()
}

func (g *guardConn) closeLocked() error {
	if g.closed {
		return nil
	}
	g.closed = true
	g.cond.Broadcast()
	g.c.untrack(g)
	return g.Conn.Close()
}

// skipRequestHeader returns the request body after the header: key, version, correlation
// ID, client ID and, for flexible requests, the tagged fields.
func skipRequestHeader(req kmsg.Request, frame []byte) []byte {
	b := frame[8:]
	if len(b) < 2 {
		return nil
	}
	if n := int16(binary.BigEndian.Uint16(b)); n > 0 {
		if len(b) < 2+int(n) {
			return nil
		}
		b = b[2+int(n):]
	} else {
		b = b[2:]
	}
	if req.IsFlexible() {
		b = skipTags(b)
	}
	return b
}

// skipTags skips a tagged-fields section (an unsigned varint count, then tag, size, data).
func skipTags(b []byte) []byte {
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return nil
	}
	b = b[k:]
	for range n {
		if _, k = binary.Uvarint(b); k <= 0 {
			return nil
		}
		b = b[k:]
		size, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < size {
			return nil
		}
		b = b[k+int(size):]
	}
	return b
}

// producesResponse reports whether a Produce request (whole frame after the size) expects a
// response, i.e. whether its acks field is not 0.
func producesResponse(ver int16, frame []byte) bool {
	req := &kmsg.ProduceRequest{Version: ver}
	b := skipRequestHeader(req, frame)
	if ver >= 3 { // transactional ID
		if req.IsFlexible() {
			n, k := binary.Uvarint(b)
			if k <= 0 || n > uint64(len(b)) {
				return true
			}
			b = b[k:]
			if n > 0 {
				if uint64(len(b)) < n-1 {
					return true
				}
				b = b[n-1:]
			}
		} else {
			if len(b) < 2 {
				return true
			}
			n := int16(binary.BigEndian.Uint16(b))
			b = b[2:]
			if n > 0 {
				if len(b) < int(n) {
					return true
				}
				b = b[n:]
			}
		}
	}
	if len(b) < 2 {
		return true
	}
	return int16(binary.BigEndian.Uint16(b)) != 0
}
