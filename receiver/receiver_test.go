package receiver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

func TestVerificationOutcomes(t *testing.T) {
	body := readFixture(t, "workflow_run.completed.json")
	now := time.Now()
	tampered := signedHeaders(testSecret, body, now)
	tampered.Set(extend.HeaderSignature, strings.Repeat("0", 64))
	cases := []struct {
		name   string
		secret string
		header http.Header
		want   extend.Verification
	}{
		{"verified", testSecret, signedHeaders(testSecret, body, now), extend.Verified},
		{"wrong secret", testSecret, signedHeaders("wss_other", body, now), extend.Invalid},
		{"tampered", testSecret, tampered, extend.Invalid},
		{"stale", testSecret, signedHeaders(testSecret, body, now.Add(-10*time.Minute)), extend.Stale},
		{"missing", testSecret, http.Header{"Content-Type": {"application/json"}}, extend.Missing},
		{"malformed", testSecret, http.Header{"X-Extend-Request-Timestamp": {"soon"}, "X-Extend-Request-Signature": {"abc"}}, extend.Malformed},
		{"unchecked", "", signedHeaders(testSecret, body, now), extend.Unchecked},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, _, url := startReceiver(t, Config{Secret: c.secret, Tolerance: DefaultTolerance})
			got := post(t, url+"/webhook", body, c.header, false)
			if got.status != http.StatusOK || string(got.body) != "{\"received\":true,\"seq\":1}\n" {
				t.Fatalf("answer %d %q, want 200 and the ack", got.status, got.body)
			}
			if ct := got.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			ev := only(t, st)
			if ev.Verification.Outcome != c.want {
				t.Errorf("verification %v (%s), want %v", ev.Verification.Outcome, ev.Verification.Reason, c.want)
			}
			if !bytes.Equal(storetest.Body(ev), body) || ev.Category != extend.CategoryWorkflow || ev.Status != http.StatusOK {
				t.Errorf("stored %d bytes, category %v, status %d", len(storetest.Body(ev)), ev.Category, ev.Status)
			}
		})
	}
}

func TestToleranceZeroSkipsTheAgeCheck(t *testing.T) {
	body := readFixture(t, "parse_run.processed.json")
	st, _, url := startReceiver(t, Config{Secret: testSecret, Tolerance: 0})
	post(t, url, body, signedHeaders(testSecret, body, time.Unix(1783946100, 0)), false)
	if got := only(t, st).Verification.Outcome; got != extend.Verified {
		t.Errorf("verification %v, want verified with the age check off", got)
	}
}

func TestOversizeIsRefusedCountedAndKept(t *testing.T) {
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			st, _, url := startReceiver(t, Config{MaxBody: 1024})
			body := bytes.Repeat([]byte("x"), 4096)
			got := post(t, url+"/big?api_version=2026-02-09", body, nil, chunked)
			if got.status != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413", got.status)
			}
			var msg struct{ Error string }
			if err := json.Unmarshal(got.body, &msg); err != nil || !strings.Contains(msg.Error, "1024") {
				t.Errorf("answer %q is not a JSON error naming the limit", got.body)
			}
			ev := only(t, st)
			if ev.HasBody() || ev.Status != 413 || !strings.Contains(ev.Rejected(), "--max-body") || ev.Size() <= 1024 {
				t.Errorf("kept body %d bytes, status %d, rejected %q, size %d", len(storetest.Body(ev)), ev.Status, ev.Rejected(), ev.Size())
			}
			if ev.Path != "/big" || ev.Query != "api_version=2026-02-09" {
				t.Errorf("metadata lost: %s?%s", ev.Path, ev.Query)
			}
			if s := st.Stats(); s.Rejected != 1 || s.Received != 1 {
				t.Errorf("stats rejected %d received %d, want 1 and 1", s.Rejected, s.Received)
			}
			if got := post(t, url, []byte(`{}`), nil, chunked); got.status != http.StatusOK {
				t.Errorf("next delivery answered %d", got.status)
			}
		})
	}
}

func TestBodyAtTheLimitIsStored(t *testing.T) {
	st, _, url := startReceiver(t, Config{MaxBody: 1024})
	body := bytes.Repeat([]byte("y"), 1024)
	for _, chunked := range []bool{false, true} {
		if got := post(t, url, body, nil, chunked); got.status != http.StatusOK {
			t.Errorf("chunked=%v: status %d for a body of exactly MaxBody", chunked, got.status)
		}
	}
	for _, ev := range st.All() {
		if !bytes.Equal(storetest.Body(ev), body) {
			t.Errorf("stored %d bytes", len(storetest.Body(ev)))
		}
	}
}

func TestOddBodiesAreStoredAndFlagged(t *testing.T) {
	cases := []struct {
		name      string
		body      []byte
		parseErr  string // substring; "" for a body that parses
		eventType string
	}{
		{"empty", []byte{}, "empty body", ""},
		{"not JSON", []byte("hello, webhook"), "invalid JSON", ""},
		{"JSON array", []byte(`[1,2,3]`), "not an object", ""},
		{"invalid UTF-8", []byte("{\"eventType\":\"workflow.created\",\"x\":\"\xff\xfe\"}"), "", "workflow.created"},
		{"binary", []byte{0, 1, 2, 0xff, 0x1b, '[', '2', 'J'}, "invalid JSON", ""},
		{"10,000 keys", manyKeys(10_000), "", "extract_run.processed"},
	}
	for _, c := range cases {
		for _, chunked := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/chunked=%v", c.name, chunked), func(t *testing.T) {
				st, _, url := startReceiver(t, Config{})
				if got := post(t, url, c.body, nil, chunked); got.status != http.StatusOK {
					t.Fatalf("status %d", got.status)
				}
				ev := only(t, st)
				if storetest.Body(ev) == nil || !bytes.Equal(storetest.Body(ev), c.body) || ev.Size() != int64(len(c.body)) {
					t.Fatalf("stored %q (size %d), want the exact %d bytes", storetest.Body(ev), ev.Size(), len(c.body))
				}
				checkParse(t, ev, c.parseErr, c.eventType)
				checkRecord(t, ev)
			})
		}
	}
}

func checkParse(t *testing.T, ev *store.Event, wantErr, wantType string) {
	t.Helper()
	switch err := ev.Envelope.Err(); {
	case wantErr == "" && err != nil:
		t.Errorf("parse error %v, want none", err)
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Errorf("parse error %v, want one mentioning %q", err, wantErr)
	}
	if ev.EventType() != wantType {
		t.Errorf("eventType %q, want %q", ev.EventType(), wantType)
	}
}

// checkRecord checks that the tail line carries the body back exactly.
func checkRecord(t *testing.T, ev *store.Event) {
	t.Helper()
	line, err := ev.MarshalLine()
	if err != nil {
		t.Fatal(err)
	}
	var r store.Record
	if err := json.Unmarshal(line, &r); err != nil {
		t.Fatalf("record is not JSON: %v", err)
	}
	back, err := r.Event()
	if err != nil || !bytes.Equal(storetest.Body(back), storetest.Body(ev)) {
		t.Errorf("record does not carry the body back exactly (err %v)", err)
	}
}

func manyKeys(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"eventId":"event_many","eventType":"extract_run.processed","payload":{"object":"extract_run"`)
	for i := range n {
		fmt.Fprintf(&b, `,"field_%d":%d`, i, i)
	}
	b.WriteString("}}")
	return b.Bytes()
}

func TestFiveMegabyteBodyIsStoredByteExact(t *testing.T) {
	body := bigBody(5 << 20)
	st, _, url := startReceiver(t, Config{Secret: testSecret, Tolerance: DefaultTolerance})
	if got := post(t, url, body, signedHeaders(testSecret, body, time.Now()), false); got.status != http.StatusOK {
		t.Fatalf("status %d", got.status)
	}
	ev := only(t, st)
	if !bytes.Equal(storetest.Body(ev), body) {
		t.Fatalf("stored %d bytes, not the %d sent", len(storetest.Body(ev)), len(body))
	}
	if ev.Verification.Outcome != extend.Verified || ev.Envelope.Err() != nil {
		t.Errorf("verification %v, parse error %v", ev.Verification.Outcome, ev.Envelope.Err())
	}
	if cap(storetest.Body(ev)) != len(storetest.Body(ev)) {
		t.Errorf("body buffer has capacity %d for %d bytes", cap(storetest.Body(ev)), len(storetest.Body(ev)))
	}
}

// bigBody is an extract run whose output has enough fields to reach size.
func bigBody(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"eventId":"event_big","eventType":"extract_run.processed","payload":{"object":"extract_run","id":"exr_big","status":"PROCESSED","output":{"value":[`)
	for i := 0; b.Len() < size-200; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"line_item_%d","value":"Widget model %d, blue","confidence":0.93}`, i, i)
	}
	b.WriteString("]}}}\n")
	return b.Bytes()
}

func TestPathQueryAndHeadersAreRecorded(t *testing.T) {
	st, _, url := startReceiver(t, Config{})
	header := http.Header{"Content-Type": {"application/json"}, "X-Trace": {"a", "b"}}
	post(t, url+"/hooks/legacy?api_version=2025-04-21&x=%20y", []byte(`{}`), header, false)
	ev := only(t, st)
	if ev.Method != "POST" || ev.Path != "/hooks/legacy" || ev.Query != "api_version=2025-04-21&x=%20y" {
		t.Errorf("recorded %s %s ? %s", ev.Method, ev.Path, ev.Query)
	}
	if got := ev.Versions(); len(got) != 1 || got[0] != extend.V20250421 {
		t.Errorf("versions %v, want the one the query names", got)
	}
	if !strings.HasPrefix(ev.RemoteAddr, "127.0.0.1:") {
		t.Errorf("remote address %q", ev.RemoteAddr)
	}
	if storetest.Header(ev, "Host") == "" || storetest.Header(ev, "content-type") != "application/json" || storetest.Header(ev, "Content-Length") != "2" {
		t.Errorf("headers %v", storetest.Headers(ev))
	}
	var traces []string
	for _, h := range storetest.Headers(ev) {
		if h.Name == "X-Trace" {
			traces = append(traces, h.Value)
		}
	}
	if strings.Join(traces, ",") != "a,b" {
		t.Errorf("repeated header kept as %v", traces)
	}
}

func TestChunkedDeliveryRecordsTransferEncoding(t *testing.T) {
	st, _, url := startReceiver(t, Config{})
	post(t, url, []byte(`{"a":1}`), nil, true)
	if got := storetest.Header(only(t, st), "Transfer-Encoding"); got != "chunked" {
		t.Errorf("Transfer-Encoding %q", got)
	}
}

func TestHealth(t *testing.T) {
	st, _, url := startReceiver(t, Config{Secret: testSecret})
	post(t, url, []byte(`{}`), nil, false)
	req, _ := http.NewRequest(http.MethodGet, url+"/healthz", nil)
	got := do(t, req)
	if got.status != http.StatusOK {
		t.Fatalf("status %d", got.status)
	}
	var h Health
	if err := json.Unmarshal(got.body, &h); err != nil {
		t.Fatalf("%v in %q", err, got.body)
	}
	if h.Status != "ok" || "http://"+h.Address != url || !h.Verifying || h.Received != 1 || h.Stored == nil || *h.Stored != 1 {
		t.Errorf("health %+v", h)
	}
	if strings.Contains(string(got.body), testSecret) {
		t.Error("health shows the secret")
	}
	req, _ = http.NewRequest(http.MethodHead, url+"/healthz", nil)
	if got := do(t, req); got.status != http.StatusOK {
		t.Errorf("HEAD status %d", got.status)
	}
	if n := len(st.All()); n != 1 {
		t.Errorf("store holds %d events after health checks, want 1", n)
	}
}

func TestOtherMethodsGet405(t *testing.T) {
	st, _, url := startReceiver(t, Config{})
	cases := []struct{ method, path, allow string }{
		{http.MethodGet, "/", "POST"},
		{http.MethodPut, "/webhook", "POST"},
		{http.MethodDelete, "/healthz", "GET, HEAD, POST"},
		{http.MethodPatch, "/healthz", "GET, HEAD, POST"},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, url+c.path, strings.NewReader("{}"))
		got := do(t, req)
		if got.status != http.StatusMethodNotAllowed || got.header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q", c.method, c.path, got.status, got.header.Get("Allow"), c.allow)
		}
		if !json.Valid(got.body) {
			t.Errorf("%s %s: answer %q is not JSON", c.method, c.path, got.body)
		}
	}
	if n := len(st.All()); n != 0 {
		t.Errorf("store holds %d events, want none", n)
	}
}

func TestPostToHealthzIsADelivery(t *testing.T) {
	st, _, url := startReceiver(t, Config{})
	if got := post(t, url+"/healthz", []byte(`{}`), nil, false); got.status != http.StatusOK {
		t.Fatalf("status %d", got.status)
	}
	if ev := only(t, st); ev.Path != "/healthz" {
		t.Errorf("path %q", ev.Path)
	}
}

// When the bytes being read at once would pass the in-flight budget, a
// delivery waits for room, then is refused with 503 and kept as rejected.
func TestBusyReceiverRefusesWith503(t *testing.T) {
	st, srv, url := startReceiver(t, Config{ReadTimeout: 200 * time.Millisecond})
	if !srv.inFlight.tryTake(wholeBudget(srv)) { // as if other bodies were being read
		t.Fatal("budget already taken")
	}
	got := post(t, url, []byte(`{}`), nil, false)
	srv.inFlight.give(wholeBudget(srv))
	if got.status != http.StatusServiceUnavailable || got.header.Get("Retry-After") == "" {
		t.Errorf("status %d, Retry-After %q; want 503 with Retry-After", got.status, got.header.Get("Retry-After"))
	}
	if ev := only(t, st); ev.Status != 503 || ev.Rejected() == "" || ev.HasBody() {
		t.Errorf("kept status %d, rejected %q", ev.Status, ev.Rejected())
	}
	if got := post(t, url, []byte(`{}`), nil, false); got.status != http.StatusOK {
		t.Errorf("with room again: status %d", got.status)
	}
}

func TestOversizeHeadersAreRefused(t *testing.T) {
	st, _, url := startReceiver(t, Config{})
	header := http.Header{"X-Padding": {strings.Repeat("p", 100<<10)}}
	if got := post(t, url, []byte(`{}`), header, false); got.status != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status %d, want 431", got.status)
	}
	if n := len(st.All()); n != 0 {
		t.Errorf("stored %d events", n)
	}
}

// A client that stops sending half way through its headers is cut off by
// ReadHeaderTimeout; one that stalls in its body is cut off by ReadTimeout,
// and its partial delivery is kept as rejected.
func TestSlowClientsAreCutOff(t *testing.T) {
	t.Run("headers", func(t *testing.T) {
		st, srv, _ := startReceiver(t, Config{ReadHeaderTimeout: 200 * time.Millisecond})
		conn := dial(t, srv.Addr())
		fmt.Fprint(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Le")
		if _, err := io.ReadAll(conn); err != nil {
			t.Fatalf("the server did not close the connection: %v", err)
		}
		if n := len(st.All()); n != 0 {
			t.Errorf("stored %d events", n)
		}
	})
	bodies := []struct{ name, request, rejected string }{
		{"declared body", "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"eventId\":", "11 of 100 bytes"},
		{"chunked body", stalledChunked, "got 5 bytes"},
	}
	for _, c := range bodies {
		t.Run(c.name, func(t *testing.T) {
			st, srv, _ := startReceiver(t, Config{ReadTimeout: 300 * time.Millisecond})
			conn := dial(t, srv.Addr())
			fmt.Fprint(conn, c.request)
			if got := answerOn(t, conn); got.status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", got.status)
			}
			if ev := only(t, st); ev.Status != 400 || !strings.Contains(ev.Rejected(), c.rejected) {
				t.Errorf("kept status %d, rejected %q", ev.Status, ev.Rejected())
			}
		})
	}
}

// dial opens a raw connection with a generous deadline, so a server that
// never cuts the client off fails the test instead of hanging it.
func dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	st := store.New(10, 0)
	srv := New(Config{Listen: "127.0.0.1:0"}, st)
	addr, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	conn := dial(t, addr)
	fmt.Fprint(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{")
	waitFor(t, func() bool { return srv.reading.Load() == 1 })

	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(t.Context()) }()
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) with a request in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	fmt.Fprint(conn, "}")
	if got := answerOn(t, conn); got.status != http.StatusOK {
		t.Fatalf("in-flight delivery answered %d", got.status)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ev := only(t, st); string(storetest.Body(ev)) != "{}" {
		t.Errorf("stored %q", storetest.Body(ev))
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("still accepting after Shutdown")
	}
}

func wholeBudget(srv *Server) hold { return hold{srv.memory.small, srv.memory.large} }

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	for range 1000 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition never held")
}

func TestOnStoredSeesEachStoredDelivery(t *testing.T) {
	var mu sync.Mutex
	var seen []uint64
	cfg := Config{MaxBody: 10, OnStored: func(ev *store.Event) {
		mu.Lock()
		seen = append(seen, ev.Seq)
		mu.Unlock()
	}}
	_, _, url := startReceiver(t, cfg)
	post(t, url, []byte(`{}`), nil, false)
	post(t, url, bytes.Repeat([]byte("z"), 11), nil, false)
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(seen) != "[1 2]" {
		t.Errorf("hook saw %v, want [1 2] (the rejected one too)", seen)
	}
}

// Every acknowledged delivery is either in the store or counted as evicted,
// however the senders interleave.
func TestConcurrentSendersLoseNothing(t *testing.T) {
	st := store.New(100, 0)
	srv := New(Config{Listen: "127.0.0.1:0"}, st)
	addr, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(t.Context())
	const senders, each = 8, 250
	var wg sync.WaitGroup
	acked := make(chan string, senders*each)
	for s := range senders {
		wg.Go(func() {
			for i := range each {
				body := fmt.Appendf(nil, `{"eventId":"event_%d_%d","eventType":"workflow.created"}`, s, i)
				resp, err := http.Post("http://"+addr, "application/json", bytes.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				acked <- string(b)
			}
		})
	}
	wg.Wait()
	close(acked)
	seqs := map[string]bool{}
	for a := range acked {
		seqs[a] = true
	}
	stats := st.Stats()
	if len(seqs) != senders*each || stats.Received != senders*each || uint64(stats.Stored)+stats.Evicted != senders*each {
		t.Errorf("%d distinct acks, received %d, stored %d + evicted %d", len(seqs), stats.Received, stats.Stored, stats.Evicted)
	}
}

func TestStartReportsABusyPort(t *testing.T) {
	_, srv, _ := startReceiver(t, Config{})
	_, err := New(Config{Listen: srv.Addr()}, store.New(1, 0)).Start()
	if err == nil || !strings.Contains(err.Error(), srv.Addr()) {
		t.Errorf("second listener on %s: %v", srv.Addr(), err)
	}
}

// net/http reports a panicking handler to ErrorLog; it must land in the
// logger given, never on the terminal.
func TestErrorLogIsInjectable(t *testing.T) {
	var logged storetest.SyncBuffer
	cfg := Config{
		ErrorLog: log.New(&logged, "", 0),
		OnStored: func(*store.Event) { panic("hook failed") },
	}
	_, _, url := startReceiver(t, cfg)
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	waitFor(t, func() bool { return strings.Contains(logged.String(), "hook failed") })
	if New(Config{}, store.New(1, 0)).http.ErrorLog == nil {
		t.Error("without a logger, net/http would write to stderr")
	}
}
