package msk

import (
	"context"
	"encoding/binary"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Re-authentication (KIP-368).
//
// A broker that reports a session lifetime in its SaslAuthenticate response ends the
// session that long after authentication: the first request that arrives later is not
// processed and the connection is closed. kafka-go never re-authenticates, so every
// connection it keeps for longer dies that way (MSK: about every 15 minutes), and a consumer
// group whose coordinator connection dies rebalances. The connections this package dials are
// wrapped in a reauthConn, which re-authenticates them in place, as the Java client and
// franz-go do: at a random point between 85% and 95% of the session lifetime (and at least a
// second before its end) it holds back new requests, reads the rest of every response still
// owed to kafka-go into a buffer kafka-go then reads from (so no request is in flight on the
// wire), sends SaslHandshake and SaslAuthenticate with a fresh token on the same connection
// and reads their responses itself, so kafka-go never sees them. It re-authenticates at once
// when the credentials behind an IAMMechanism rotate. A failed re-authentication closes the
// connection; kafka-go's next read or write on it returns the *AuthError.

const (
	// reauthMinFraction and reauthMaxFraction bound the random point of the session lifetime
	// at which a connection re-authenticates (KIP-368 and the Java client use 85%-95%).
	reauthMinFraction = 0.85
	reauthMaxFraction = 0.95
	// reauthMargin is the least time before a session's end at which it is re-authenticated.
	reauthMargin = time.Second
	// reauthTimeout bounds one re-authentication exchange when the session has less left.
	reauthTimeout = 10 * time.Second
	// maxRequestHeader bounds how much of a request frame is kept to learn whether it expects
	// a response (Produce with acks=0 does not).
	maxRequestHeader = 1 << 16
)

// credentialRotation is implemented by mechanisms that can say when their credentials
// changed: the returned channel is closed at the next change.
type credentialRotation interface {
	rotation() <-chan struct{}
}

// reauthConn is a broker connection that re-authenticates before its SASL session ends. It
// counts the requests in flight by parsing the Kafka frames written (4-byte size, then the
// request header) and read (4-byte size, then the correlation ID); Kafka answers the
// requests of a connection in order, so a count is enough.
type reauthConn struct {
	net.Conn
	d       *connDialer
	address string

	wmu sync.Mutex // held by Write and by a re-authentication, so frames never interleave

	mu       sync.Mutex
	inflight int
	err      error // set when a re-authentication failed; the connection is closed
	closed   bool
	reauths  int
	dl       deadlines // the deadlines kafka-go set, restored after a re-authentication
	inReauth bool

	// Write-side frame parsing, under wmu.
	wrest int    // bytes of the current request frame still to be written
	whdr  []byte // the start of the current request frame, until it is classified
	wkind int    // 0 unknown, 1 expects a response, 2 does not

	// Read side, under rmu: kafka-go's reads, and a re-authentication draining the
	// responses still owed to kafka-go into rbuf.
	rmu   sync.Mutex
	rbuf  []byte
	rrest int
	rhdr  [4]byte
	rhave int

	corr  int32 // correlation IDs of re-authentication requests (negative, never kafka-go's)
	timer *time.Timer
	quit  chan struct{}
}

type deadlines struct{ read, write time.Time }

// newReauthConn wraps conn, authenticated at authAt with a session of lifetime, and starts
// the goroutine that re-authenticates it.
func newReauthConn(conn net.Conn, d *connDialer, address string, authAt time.Time, lifetime time.Duration) *reauthConn {
	c := &reauthConn{Conn: conn, d: d, address: address, quit: make(chan struct{}), corr: -1 << 30}
	c.timer = time.NewTimer(reauthDelay(authAt, lifetime))
	go c.loop()
	return c
}

// reauthDelay returns how long after now to re-authenticate a session of lifetime that
// began at authAt: a random point between 85% and 95% of the lifetime (KIP-368), but at least
// reauthMargin (at most half the lifetime) before its end, so that a short session survives a
// process stalled for a moment (a GC pause, a busy machine); MSK's 15-minute sessions are
// re-authenticated within the 85%-95% window.
func reauthDelay(authAt time.Time, lifetime time.Duration) time.Duration {
	f := reauthMinFraction + rand.Float64()*(reauthMaxFraction-reauthMinFraction)
	in := min(time.Duration(f*float64(lifetime)), lifetime-min(reauthMargin, lifetime/2))
	return max(time.Until(authAt.Add(in)), 0)
}

// loop re-authenticates when the timer fires or the credentials rotate, until the
// connection closes or a re-authentication fails.
func (c *reauthConn) loop() {
	var rotated <-chan struct{}
	rot, _ := c.d.mech.(credentialRotation)
	if rot != nil {
		rotated = rot.rotation()
	}
	for {
		select {
		case <-c.quit:
			c.timer.Stop()
			return
		case <-c.timer.C:
		case <-rotated:
			rotated = rot.rotation()
		}
		lifetime, authAt, err := c.reauthenticate()
		if err != nil {
			return
		}
		if lifetime <= 0 {
			return // the broker no longer limits the session
		}
		if rot != nil {
			rotated = rot.rotation() // this re-authentication has seen the latest credentials
		}
		c.timer.Stop()
		c.timer.Reset(reauthDelay(authAt, lifetime))
	}
}

// reauthenticate waits until no request is in flight, holding back new ones, and runs the
// SASL exchange on the connection. On failure it closes the connection and keeps the error
// for kafka-go's next read or write.
func (c *reauthConn) reauthenticate() (time.Duration, time.Time, error) {
	c.wmu.Lock() // no new request from here on
	defer c.wmu.Unlock()
	c.rmu.Lock() // kafka-go reads the responses it is owed from rbuf until the end
	defer c.rmu.Unlock()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return 0, time.Time{}, net.ErrClosed
	}
	c.inReauth = true
	c.mu.Unlock()

	deadline := time.Now().Add(max(c.d.timeout, reauthTimeout))
	if err := c.drain(deadline); err != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.inReauth = false
		c.err = retriableError{err}
		c.closeLocked()
		return 0, time.Time{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), max(c.d.timeout, reauthTimeout))
	defer cancel()
	ctx = c.d.metadataContext(ctx, c.address)
	authAt := time.Now()
	lifetime, err := c.d.authenticate(ctx, c.Conn, c.address, c.nextCorr)

	c.mu.Lock()
	defer c.mu.Unlock()
	c.inReauth = false
	if err != nil {
		c.err = err
		if errors.Is(err, errBrokerHangUp) {
			// The broker hung up instead of answering: the re-authentication came too late
			// (the session had ended). Like an expired session, kafka-go may retry the request
			// on a new connection, which authenticates afresh.
			c.err = retriableError{err}
		}
		c.closeLocked()
		if c.d.logger != nil {
			c.d.logger.LogAttrs(ctx, slog.LevelWarn, "msk: re-authentication failed; connection closed",
				slog.String("broker", c.address), slog.String("error", err.Error()))
		}
		return 0, time.Time{}, err
	}
	c.reauths++
	// Restore the deadlines kafka-go set; authenticate cleared them.
	_ = c.Conn.SetReadDeadline(c.dl.read)
	_ = c.Conn.SetWriteDeadline(c.dl.write)
	return lifetime, authAt, nil
}

// drain reads the rest of every response still owed to kafka-go into rbuf, so that the
// SASL exchange finds the connection quiet: a response kafka-go reads slowly (a fetch
// batch consumed message by message) or has not started reading does not hold the
// re-authentication back. Callers hold wmu and rmu.
func (c *reauthConn) drain(deadline time.Time) error {
	c.mu.Lock()
	n := c.inflight
	c.mu.Unlock()
	if n == 0 {
		return nil
	}
	_ = c.Conn.SetReadDeadline(deadline)
	buf := make([]byte, 64<<10)
	for {
		c.mu.Lock()
		n = c.inflight
		c.mu.Unlock()
		if n == 0 {
			return nil
		}
		need := c.rrest
		if need == 0 {
			need = 4 - c.rhave
		}
		k, err := c.Conn.Read(buf[:min(need, len(buf))])
		c.rbuf = append(c.rbuf, buf[:k]...)
		c.received(buf[:k])
		if err != nil {
			return err
		}
	}
}

// retriableError marks an error kafka-go may retry on a new connection.
type retriableError struct{ err error }

func (e retriableError) Error() string   { return e.err.Error() }
func (e retriableError) Unwrap() error   { return e.err }
func (e retriableError) Temporary() bool { return true }

// nextCorr returns the correlation ID of the next re-authentication request. They count up
// from -2^30, where kafka-go's (which start at 0 and count up) never reach.
func (c *reauthConn) nextCorr() int32 {
	c.corr++
	return c.corr
}

// Write passes kafka-go's request frames through, counting each as in flight from its first
// byte until its response has been read (unless it is a Produce with acks=0).
func (c *reauthConn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.failed(); err != nil {
		return 0, err
	}
	c.track(p)
	n, err := c.Conn.Write(p)
	if err != nil {
		return n, c.cause(err)
	}
	return n, nil
}

// track parses the request frames in p, which may hold parts of frames.
func (c *reauthConn) track(p []byte) {
	for len(p) > 0 {
		if c.wrest == 0 && len(c.whdr) < 4 {
			k := min(4-len(c.whdr), len(p))
			c.whdr = append(c.whdr, p[:k]...)
			p = p[k:]
			if len(c.whdr) < 4 {
				return
			}
			c.wrest = int(binary.BigEndian.Uint32(c.whdr))
			c.wkind = 0
			c.mu.Lock()
			c.inflight++
			c.mu.Unlock()
			if c.wrest == 0 {
				c.frameWritten()
				continue
			}
		}
		k := min(c.wrest, len(p))
		if c.wkind == 0 {
			keep := min(k, maxRequestHeader-len(c.whdr))
			c.whdr = append(c.whdr, p[:keep]...)
			c.classify()
		}
		c.wrest -= k
		p = p[k:]
		if c.wrest == 0 {
			c.frameWritten()
		}
	}
}

// classify decides from the frame start in whdr whether the request expects a response.
func (c *reauthConn) classify() {
	body := c.whdr[4:]
	if len(body) < 2 {
		return
	}
	if int16(binary.BigEndian.Uint16(body)) != int16(kmsg.Produce) {
		c.wkind = 1
		return
	}
	switch acks, ok := produceAcks(body); {
	case !ok && len(c.whdr) < maxRequestHeader:
		// Not enough of the header yet.
	case ok && acks == 0:
		c.wkind = 2
	default:
		c.wkind = 1
	}
}

func (c *reauthConn) frameWritten() {
	if c.wkind == 2 {
		c.mu.Lock()
		c.inflight--
		c.mu.Unlock()
	}
	c.whdr = c.whdr[:0]
	c.wkind = 0
}

// Read passes response frames through to kafka-go, ending a request's flight when the last
// byte of its response has been read.
func (c *reauthConn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if len(c.rbuf) > 0 { // responses drained before a re-authentication
		n := copy(p, c.rbuf)
		c.rbuf = c.rbuf[n:]
		if len(c.rbuf) == 0 {
			c.rbuf = nil
		}
		return n, nil
	}
	if err := c.failed(); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	c.received(p[:n])
	if err != nil {
		return n, c.cause(err)
	}
	return n, nil
}

func (c *reauthConn) received(p []byte) {
	for len(p) > 0 {
		if c.rrest == 0 {
			k := copy(c.rhdr[c.rhave:], p)
			c.rhave += k
			p = p[k:]
			if c.rhave < 4 {
				return
			}
			c.rhave = 0
			c.rrest = int(binary.BigEndian.Uint32(c.rhdr[:]))
			if c.rrest == 0 {
				c.responseRead()
			}
			continue
		}
		k := min(c.rrest, len(p))
		c.rrest -= k
		p = p[k:]
		if c.rrest == 0 {
			c.responseRead()
		}
	}
}

func (c *reauthConn) responseRead() {
	c.mu.Lock()
	c.inflight = max(c.inflight-1, 0)
	c.mu.Unlock()
}

// failed returns the error of a failed re-authentication, if any.
func (c *reauthConn) failed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// cause returns the re-authentication error that closed the connection, if one did,
// instead of the I/O error it caused.
func (c *reauthConn) cause(err error) error {
	if rerr := c.failed(); rerr != nil {
		return rerr
	}
	return err
}

// SetDeadline, SetReadDeadline and SetWriteDeadline record kafka-go's deadlines, which a
// re-authentication replaces with its own while it runs and restores after.
func (c *reauthConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dl = deadlines{t, t}
	if c.inReauth {
		return nil
	}
	return c.Conn.SetDeadline(t)
}

// SetReadDeadline: see SetDeadline.
func (c *reauthConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dl.read = t
	if c.inReauth {
		return nil
	}
	return c.Conn.SetReadDeadline(t)
}

// SetWriteDeadline: see SetDeadline.
func (c *reauthConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dl.write = t
	if c.inReauth {
		return nil
	}
	return c.Conn.SetWriteDeadline(t)
}

// Close closes the connection and stops re-authenticating it.
func (c *reauthConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeLocked()
}

func (c *reauthConn) closeLocked() error {
	if c.closed {
		return nil
	}
	c.closed = true
	close(c.quit)
	return c.Conn.Close()
}

// produceAcks reads the acks field of a Produce request frame body (after the size): the
// request header (key, version, correlation ID, client ID, tagged fields when flexible),
// then the transactional ID (version 3+), then acks. ok is false when body is too short.
func produceAcks(body []byte) (acks int16, ok bool) {
	if len(body) < 10 {
		return 0, false
	}
	req := &kmsg.ProduceRequest{Version: int16(binary.BigEndian.Uint16(body[2:]))}
	b := body[8:]
	n := int(int16(binary.BigEndian.Uint16(b)))
	b = b[2:]
	if n > 0 {
		if len(b) < n {
			return 0, false
		}
		b = b[n:]
	}
	if req.IsFlexible() {
		var good bool
		if b, good = skipTaggedFields(b); !good {
			return 0, false
		}
	}
	if req.Version >= 3 {
		if req.IsFlexible() {
			l, k := binary.Uvarint(b)
			if k <= 0 {
				return 0, false
			}
			b = b[k:]
			if l > 1 {
				if uint64(len(b)) < l-1 {
					return 0, false
				}
				b = b[l-1:]
			}
		} else {
			if len(b) < 2 {
				return 0, false
			}
			l := int(int16(binary.BigEndian.Uint16(b)))
			b = b[2:]
			if l > 0 {
				if len(b) < l {
					return 0, false
				}
				b = b[l:]
			}
		}
	}
	if len(b) < 2 {
		return 0, false
	}
	return int16(binary.BigEndian.Uint16(b)), true
}

// skipTaggedFields skips a tagged-fields section: an unsigned varint count, then per field
// a tag, a size and the data.
func skipTaggedFields(b []byte) ([]byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, false
	}
	b = b[k:]
	for range n {
		if _, k = binary.Uvarint(b); k <= 0 {
			return nil, false
		}
		b = b[k:]
		size, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < size {
			return nil, false
		}
		b = b[k+int(size):]
	}
	return b, true
}
