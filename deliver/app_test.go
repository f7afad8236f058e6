package deliver

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// request is what the test app saw of one request.
type request struct {
	host, path, query string
	header            http.Header
	body              []byte
	verified          extend.Check // the app's own verification, at arrival
}

// testApp is the app under test: it records every request, verifies it
// with Extend's rules, and answers with its answer func (200 when nil).
type testApp struct {
	*httptest.Server
	answer   func(w http.ResponseWriter, r *http.Request)
	arrived  chan struct{} // a token per request, once recorded
	mu       sync.Mutex
	requests []request
	inFlight int
	maxIn    int
}

func newApp(t testing.TB, answer func(w http.ResponseWriter, r *http.Request)) *testApp {
	t.Helper()
	a := &testApp{answer: answer, arrived: make(chan struct{}, 1<<14)}
	a.Server = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.Close)
	return a
}

func (a *testApp) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	check := extend.NewVerifier(testSecret).Verify(r.Header.Get(extend.HeaderTimestamp), r.Header.Get(extend.HeaderSignature), body, time.Now())
	a.mu.Lock()
	a.requests = append(a.requests, request{r.Host, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body, check})
	a.inFlight++
	a.maxIn = max(a.maxIn, a.inFlight)
	a.mu.Unlock()
	a.arrived <- struct{}{}
	defer func() {
		a.mu.Lock()
		a.inFlight--
		a.mu.Unlock()
	}()
	if a.answer == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	a.answer(w, r)
}

func (a *testApp) got() []request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.requests)
}

func (a *testApp) maxInFlight() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.maxIn
}

// waitArrivals waits for n requests to have been recorded.
func (a *testApp) waitArrivals(t testing.TB, n int) {
	t.Helper()
	for range n {
		select {
		case <-a.arrived:
		case <-time.After(10 * time.Second):
			t.Fatalf("the app did not get %d requests", n)
		}
	}
}

// answerWith answers status and body at once.
func answerWith(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-App", "answered")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// hangUntil answers 200 once release is closed, or gives up when the
// forwarder hangs up, so a test that times the app out ends at once.
func hangUntil(release <-chan struct{}) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
			w.WriteHeader(http.StatusOK)
		case <-r.Context().Done():
		}
	}
}

// closedURL is a loopback URL where nothing listens.
func closedURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/hooks"
	ln.Close()
	return url
}

// received builds a delivery as the receiver stores it, received and
// signed at at: the request's headers as net/http hands them over
// (canonical names, Host put back), including the per-connection ones a
// proxy must not pass on.
func received(t testing.TB, body []byte, at time.Time) *store.Event {
	t.Helper()
	ts := strconv.FormatInt(at.Unix(), 10)
	headers := []store.Header{
		{Name: "Host", Value: "127.0.0.1:4677"},
		{Name: "User-Agent", Value: "extend-webhooks-test/1"},
		{Name: "Content-Type", Value: "application/json; charset=utf-8"},
		{Name: "Content-Length", Value: strconv.Itoa(len(body))},
		{Name: "Accept-Encoding", Value: "gzip"},
		{Name: "X-Extend-Request-Timestamp", Value: ts},
		{Name: "X-Extend-Request-Signature", Value: extend.Sign(testSecret, ts, body)},
		{Name: "X-Custom-Trace", Value: "trace-1"},
		{Name: "X-Multi", Value: "1"},
		{Name: "X-Multi", Value: "2"},
		{Name: "Connection", Value: "keep-alive, X-Hop"},
		{Name: "X-Hop", Value: "for this connection only"},
		{Name: "Keep-Alive", Value: "timeout=5"},
	}
	store.SortHeaders(headers)
	ev := &store.Event{
		ReceivedAt: at,
		Method:     http.MethodPost,
		Path:       "/hooks/staging",
		Query:      "api_version=2026-02-09",
		RemoteAddr: "127.0.0.1:50000",
		Status:     http.StatusOK,
	}
	ev.SetHeaders(headers)
	ev.SetBody(body)
	ev.Verification = extend.NewVerifier(testSecret).Verify(ts, storetest.Header(ev, extend.HeaderSignature), body, ev.ReceivedAt)
	ev.Classify()
	return ev
}

// numbered is a small delivery with its own eventId.
func numbered(t testing.TB, i int) *store.Event {
	body := fmt.Appendf(nil, `{"eventId":"evt_%05d","eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"workflow_run_%05d"}}`, i, i)
	return received(t, body, time.Now())
}

// result waits for ev's forward result.
func result(t testing.TB, f *Forwarder, ev *store.Event) *store.Forward {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for ev.Forward() == nil {
		select {
		case <-f.Forwarded():
		case <-deadline:
			t.Fatalf("delivery %d: the forward did not finish", ev.Seq)
		}
	}
	return ev.Forward()
}

// forwardOne stores ev where f follows and waits for its result.
func forwardOne(t testing.TB, f *Forwarder, st *store.Store, ev *store.Event) *store.Forward {
	t.Helper()
	st.Append(ev)
	return result(t, f, ev)
}

// newForwarder starts a forwarder following a store of its own, roomy
// enough for any test, and closes it at the end of the test.
func newForwarder(t testing.TB, cfg ForwardConfig) (*Forwarder, *store.Store) {
	t.Helper()
	st := store.New(1<<16, 1<<40)
	f, err := NewForwarder(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		f.Close(ctx)
	})
	return f, st
}
