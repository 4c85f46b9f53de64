package msk

import (
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// produceFrame encodes a Produce request with franz-go's kmsg (an independent encoder) in a
// frame as kafka-go writes it: size, header (key, version, correlation ID, client ID, tags
// when flexible), body.
func produceFrame(version, acks int16, txn *string) []byte {
	req := kmsg.NewPtrProduceRequest()
	req.Version, req.Acks, req.TransactionID, req.TimeoutMillis = version, acks, txn, 1000
	req.Topics = []kmsg.ProduceRequestTopic{{Topic: "t", Partitions: []kmsg.ProduceRequestTopicPartition{{Partition: 0, Records: []byte{1, 2, 3}}}}}
	b := make([]byte, 4, 128)
	b = binary.BigEndian.AppendUint16(b, uint16(req.Key()))
	b = binary.BigEndian.AppendUint16(b, uint16(version))
	b = binary.BigEndian.AppendUint32(b, 7)
	b = binary.BigEndian.AppendUint16(b, 3)
	b = append(b, "cid"...)
	if req.IsFlexible() {
		b = append(b, 0) // no tagged fields
	}
	b = req.AppendTo(b)
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	return b
}

func TestProduceAcks(t *testing.T) {
	txn := "tx-1"
	for _, v := range []int16{0, 2, 3, 7, 8, 9, 10} {
		for _, acks := range []int16{0, 1, -1} {
			for _, id := range []*string{nil, &txn} {
				if v < 3 && id != nil {
					continue
				}
				f := produceFrame(v, acks, id)
				got, ok := produceAcks(f[4:])
				if !ok || got != acks {
					t.Errorf("v%d acks %d txn %v: produceAcks = %d, %v", v, acks, id != nil, got, ok)
				}
				if _, ok := produceAcks(f[4 : 4+10]); ok && v >= 3 && id != nil {
					t.Errorf("v%d: a truncated header was read", v)
				}
			}
		}
	}
}

// FuzzProduceAcks: the header reader never panics and never reads past its input.
func FuzzProduceAcks(f *testing.F) {
	txn := "tx"
	f.Add(produceFrame(9, -1, &txn)[4:])
	f.Add(produceFrame(3, 0, nil)[4:])
	f.Add([]byte{0, 0, 0, 9, 0, 0, 0, 1, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = produceAcks(b) })
}

// TestReauthConnCountsFrames writes request frames in uneven pieces through the wrapper and
// reads responses back in uneven pieces: a Produce with acks=0 is never in flight after it is
// written, every other request is until the last byte of its response is read.
func TestReauthConnCountsFrames(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	c := &reauthConn{Conn: client, quit: make(chan struct{})}
	defer c.Close()
	inflight := func() int { c.mu.Lock(); defer c.mu.Unlock(); return c.inflight }
	go func() { // the broker: discard requests
		buf := make([]byte, 4096)
		for {
			if _, err := server.Read(buf); err != nil {
				return
			}
		}
	}()
	write := func(frame []byte, pieces ...int) {
		t.Helper()
		for _, n := range pieces {
			if _, err := c.Write(frame[:n]); err != nil {
				t.Fatal(err)
			}
			frame = frame[n:]
		}
		if _, err := c.Write(frame); err != nil {
			t.Fatal(err)
		}
	}
	fireAndForget := produceFrame(9, 0, nil)
	write(fireAndForget, 2, 5, 11)
	if got := inflight(); got != 0 {
		t.Fatalf("after an acks=0 produce: %d in flight, want 0", got)
	}
	write(produceFrame(9, -1, nil), 3)
	write(produceFrame(3, 1, nil))
	if got := inflight(); got != 2 {
		t.Fatalf("after two acked produces: %d in flight, want 2", got)
	}
	// Two responses, delivered in pieces that split headers and bodies.
	resp := func(body string) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(4+len(body)))
		b = binary.BigEndian.AppendUint32(b, 7)
		return append(b, body...)
	}
	stream := append(resp("first"), resp("second!")...)
	go func() {
		for _, n := range []int{2, 5, 3, 4, 100} {
			n = min(n, len(stream))
			if _, err := server.Write(stream[:n]); err != nil {
				return
			}
			stream = stream[n:]
		}
	}()
	buf := make([]byte, 3)
	read := 0
	for read < 8+5+8+7 {
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := c.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		read += n
		if read < 8+5 && inflight() != 2 {
			t.Fatalf("after %d bytes of the first response: %d in flight, want 2", read, inflight())
		}
	}
	if got := inflight(); got != 0 {
		t.Fatalf("after both responses: %d in flight, want 0", got)
	}
}
