package awsfake

import (
	"io"
	"net/http"
)

// GuardRequestBodies returns a RoundTripper that sends each request through next with its
// body hidden behind Read and Close, so that a body the SDK closes early ends with a clean
// io.EOF instead of failing the connection.
//
// Why: smithy-go's ClientHandler closes the request body as soon as Do returns the
// response headers, while net/http's write loop may not be done with it yet. The body
// smithy-go builds from an in-memory stream is not one net/http recognizes as such, so the
// Transport flushes the headers, copies the Content-Length bytes straight onto the socket,
// and only then copies whatever follows them (io.Copy(io.Discard, body), which uses the
// body's WriteTo). On loopback the server can read those bytes and answer before that last
// copy runs; by then the SDK has closed the body, and smithy-go's closed body answers
// WriteTo with the error io.EOF (Read answers (0, io.EOF), the normal end). The Transport
// takes that error as a failed request write and closes the connection while the caller is
// still reading the answer: a large answer then fails to decode with "use of closed network
// connection". Without WriteTo, that last copy goes through Read and ends cleanly.
func GuardRequestBodies(next http.RoundTripper) http.RoundTripper {
	return guardTransport{next: next}
}

type guardTransport struct{ next http.RoundTripper }

// readCloserOnly hides every method of a body but Read and Close (WriteTo among them).
type readCloserOnly struct{ io.ReadCloser }

func (t guardTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return t.next.RoundTrip(r)
	}
	guarded := r.Clone(r.Context()) // a RoundTripper must not modify r
	guarded.Body = readCloserOnly{r.Body}
	resp, err := t.next.RoundTrip(guarded)
	if resp != nil {
		resp.Request = r
	}
	return resp, err
}

// CloseIdleConnections closes next's idle connections, as http.Client.CloseIdleConnections
// expects of its Transport.
func (t guardTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
