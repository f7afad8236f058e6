package receiver

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// stalled opens n connections that each start a body and then go silent,
// and waits until the receiver is reading all of them.
func stalled(t testing.TB, srv *Server, n int, request string) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, n)
	for i := range conns {
		conns[i] = dial(t, srv.Addr())
		fmt.Fprint(conns[i], request)
	}
	waitFor(t, func() bool { return srv.reading.Load() == int64(n) })
	return conns
}

const (
	stalledChunked  = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
	stalledDeclared = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n{\"eventId\":"
)

// Bodies that stall hold only the bytes they sent, and small deliveries have
// a share of the in-flight budget of their own, so no number of slow or
// large uploads holds a small delivery up. The client's timeout is far
// below the read timeout the slow uploads would otherwise hold it for.
func TestSlowUploadsDoNotHoldUpSmallDeliveries(t *testing.T) {
	cases := []struct {
		name    string
		maxBody int64
		n       int
		request string
	}{
		{"7 chunked", 0, 7, stalledChunked},
		{"70 chunked", 0, 70, stalledChunked},
		{"one chunked under a 64 MiB max-body", 64 << 20, 1, stalledChunked},
		{"7 declared 10 MB", 0, 7, stalledDeclared},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, srv, url := startReceiver(t, Config{MaxBody: c.maxBody})
			stalled(t, srv, c.n, c.request)
			client := &http.Client{Timeout: 10 * time.Second}
			resp, err := client.Post(url, "application/json", strings.NewReader(`{}`))
			if err != nil {
				t.Fatalf("small delivery behind %d slow uploads: %v", c.n, err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || len(st.All()) != 1 {
				t.Errorf("answered %d, stored %d", resp.StatusCode, len(st.All()))
			}
		})
	}
}

// While a large body waits for room in the large share, small deliveries
// still go straight through: they take nothing from that share, so they do
// not queue behind it.
func TestSmallDeliveriesDoNotQueueBehindAWaitingLargeBody(t *testing.T) {
	st, srv, url := startReceiver(t, Config{})
	large := hold{large: srv.memory.large}
	if !srv.inFlight.tryTake(large) { // as if large bodies were being read
		t.Fatal("large share already taken")
	}
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Post(url, "application/json", bytes.NewReader(bytes.Repeat([]byte("x"), 2*smallBody)))
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	waitFor(t, func() bool { return !srv.inFlight.large.TryAcquire(0) }) // it waits in the queue
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post(url, "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatalf("small delivery behind a waiting large one: %v", err)
	}
	resp.Body.Close()
	srv.inFlight.give(large)
	if status := <-answered; resp.StatusCode != http.StatusOK || status != http.StatusOK || len(st.All()) != 2 {
		t.Errorf("small answered %d, large %d once there was room; stored %d", resp.StatusCode, status, len(st.All()))
	}
}

// Large bodies that have arrived in part hold the large share; small
// deliveries still get in, and a large one that finds no room before its
// read deadline is refused with 503 and kept as rejected.
func TestLargeBodiesWaitInTheirOwnShare(t *testing.T) {
	st, srv, url := startReceiver(t, Config{ReadTimeout: 300 * time.Millisecond})
	large := hold{large: srv.memory.large}
	if !srv.inFlight.tryTake(large) { // as if large bodies were being read
		t.Fatal("large share already taken")
	}
	defer srv.inFlight.give(large)
	if got := post(t, url, []byte(`{}`), nil, false); got.status != http.StatusOK {
		t.Errorf("small delivery answered %d", got.status)
	}
	got := post(t, url, bytes.Repeat([]byte("x"), 2*smallBody), nil, false)
	if got.status != http.StatusServiceUnavailable || got.header.Get("Retry-After") == "" {
		t.Errorf("large delivery answered %d, Retry-After %q; want 503 with Retry-After", got.status, got.header.Get("Retry-After"))
	}
	if all := st.All(); len(all) != 2 || all[1].Status != 503 || all[1].Rejected() == "" {
		t.Errorf("stored %d events; want the small one and the refused large one", len(all))
	}
}

// A sender that writes its whole body before it reads the answer hears the
// 413 for any body up to four times the limit: the receiver reads and drops
// the rest before it answers, where it once closed the connection on it.
// The body is larger than the socket buffers can hold.
func TestOversizeSenderThatWritesFirstHearsThe413(t *testing.T) {
	const maxBody = 4 << 20
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			st, srv, _ := startReceiver(t, Config{MaxBody: maxBody})
			conn := dial(t, srv.Addr())
			if _, err := conn.Write(rawPost(bytes.Repeat([]byte("x"), drainFactor*maxBody), chunked)); err != nil {
				t.Fatalf("writing the body: %v", err)
			}
			if got := answerOn(t, conn); got.status != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413", got.status)
			}
			if ev := only(t, st); ev.Status != 413 || ev.HasBody() {
				t.Errorf("kept status %d with %d bytes", ev.Status, len(storetest.Body(ev)))
			}
		})
	}
}

// A sender that waits for "100 Continue" is answered 413 at once, without
// being asked for the body it declared.
func TestOversizeSenderThatExpectsContinueIsNotAskedForTheBody(t *testing.T) {
	st, srv, _ := startReceiver(t, Config{MaxBody: 1024})
	conn := dial(t, srv.Addr())
	fmt.Fprint(conn, "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4096\r\n\r\n")
	if got := answerOn(t, conn); got.status != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413 before the body", got.status)
	}
	if ev := only(t, st); ev.Status != 413 {
		t.Errorf("kept status %d", ev.Status)
	}
}

// rawPost is a whole request carrying body, with its length declared or in
// one chunk.
func rawPost(body []byte, chunked bool) []byte {
	var b bytes.Buffer
	b.WriteString("POST / HTTP/1.1\r\nHost: x\r\n")
	if chunked {
		fmt.Fprintf(&b, "Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(body), body)
	} else {
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	return b.Bytes()
}

// net/http answers "OPTIONS *" itself unless told not to; the guide
// promises 405 for every method but POST (and GET/HEAD of /healthz).
func TestOptionsStarGets405(t *testing.T) {
	_, srv, _ := startReceiver(t, Config{})
	conn := dial(t, srv.Addr())
	fmt.Fprint(conn, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
	if got := answerOn(t, conn); got.status != http.StatusMethodNotAllowed || got.header.Get("Allow") != "POST" {
		t.Errorf("OPTIONS *: %d Allow %q %s, want 405 Allow POST", got.status, got.header.Get("Allow"), got.body)
	}
}
