package awsfake

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"sync"
	"testing"
	"time"

	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// answerSize is far more than the client buffers before the caller reads (4 KiB), so the
// answer is still being read when a closed connection would fail it.
const answerSize = 1 << 20

// TestGuardRequestBodies replays, step by step, the interleaving that made about one large
// answer in twenty fail over loopback: the server answers once it has the request's bytes,
// the caller closes the request body as smithy-go's ClientHandler does when Do returns, and
// only then does the Transport's write loop copy what follows the Content-Length bytes. The
// body is the one smithy-go builds for an in-memory stream. Unguarded, the connection is
// closed under the caller (the case shows the scenario is the failing one); guarded, the
// whole answer arrives.
func TestGuardRequestBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			t.Errorf("server: reading the request: %v", err)
			return
		}
		_, _ = w.Write(bytes.Repeat([]byte("x"), answerSize))
	}))
	defer srv.Close()

	for _, tc := range []struct {
		name  string
		guard bool
	}{{"unguarded", false}, {"guarded", true}} {
		t.Run(tc.name, func(t *testing.T) {
			released := make(chan struct{})
			connClosed := make(chan struct{})
			var closeOnce sync.Once
			base := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
				if err != nil {
					return nil, err
				}
				return &signalConn{Conn: c, closed: func() { closeOnce.Do(func() { close(connClosed) }) }}, nil
			}}
			defer base.CloseIdleConnections()
			var rt http.RoundTripper = stallTransport{next: base, release: released}
			if tc.guard {
				rt = GuardRequestBodies(rt)
			}
			client := &http.Client{Transport: rt}

			wrote := make(chan error, 1)
			ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
				WroteRequest: func(i httptrace.WroteRequestInfo) { wrote <- i.Err },
			})
			req := sdkRequest(t, ctx, srv.URL, []byte("Action=DescribeInstanceTypes&Version=2016-11-15"))
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			_ = req.Body.Close() // as smithy-go's ClientHandler does once Do returns
			close(released)
			writeErr := await(t, wrote, "the request write to end")

			if !tc.guard {
				if writeErr == nil {
					t.Fatal("unguarded: the request write ended without error: smithy-go's closed body no longer fails WriteTo, so this test no longer replays the failure")
				}
				await(t, connClosed, "the Transport to close the connection")
				if _, err := io.ReadAll(resp.Body); !errors.Is(err, net.ErrClosed) {
					t.Fatalf("unguarded: reading the answer: err = %v, want net.ErrClosed", err)
				}
				return
			}
			if writeErr != nil {
				t.Errorf("guarded: the request write failed: %v", writeErr)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil || len(body) != answerSize {
				t.Fatalf("guarded: read %d of %d bytes of the answer, err = %v", len(body), answerSize, err)
			}
		})
	}
}

// sdkRequest builds a POST with payload the way the SDK does (smithyhttp.Request.Build).
func sdkRequest(t *testing.T, ctx context.Context, endpoint string, payload []byte) *http.Request {
	t.Helper()
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	sr := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	sr.Method = http.MethodPost
	sr.URL = u
	sr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sr.ContentLength = int64(len(payload))
	if sr, err = sr.SetStream(bytes.NewReader(payload)); err != nil {
		t.Fatal(err)
	}
	return sr.Build(ctx)
}

func await[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// stallTransport holds each request body's reads past its Content-Length bytes until
// release is closed: the delay the Transport's write loop shows under load (-race, two
// cores) between sending the body and copying what follows it.
type stallTransport struct {
	next    http.RoundTripper
	release <-chan struct{}
}

func (s stallTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	sb := &stallBody{rc: r.Body, left: r.ContentLength, release: s.release}
	r2.Body = sb
	if _, ok := r.Body.(io.WriterTo); ok {
		r2.Body = stallWriterToBody{sb}
	}
	return s.next.RoundTrip(r2)
}

// stallBody keeps its body's method set: stallWriterToBody adds WriteTo when the body has it.
type stallBody struct {
	rc      io.ReadCloser
	left    int64
	release <-chan struct{}
}

func (b *stallBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		<-b.release
		return b.rc.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *stallBody) Close() error { return b.rc.Close() }

type stallWriterToBody struct{ *stallBody }

func (b stallWriterToBody) WriteTo(w io.Writer) (int64, error) {
	if b.left > 0 {
		panic("stallWriterToBody: WriteTo before the Content-Length bytes were read")
	}
	<-b.release
	return b.rc.(io.WriterTo).WriteTo(w)
}

// signalConn reports its Close.
type signalConn struct {
	net.Conn
	closed func()
}

func (c *signalConn) Close() error {
	c.closed()
	return c.Conn.Close()
}
