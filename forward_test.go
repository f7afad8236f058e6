package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
)

// testApp is the app under test: it records what it receives and answers
// with status.
type testApp struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	sigs   []string
}

func startApp(t *testing.T, status int) *testApp {
	app := &testApp{}
	app.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		app.mu.Lock()
		app.bodies = append(app.bodies, body)
		app.sigs = append(app.sigs, r.Header.Get(extend.HeaderSignature))
		app.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, `{"ok":false}`)
	}))
	t.Cleanup(app.Close)
	return app
}

// With --forward-to, tail prints each line once the app has answered, with
// the answer in it, and the app gets the exact bytes and signature.
func TestTailForwardsAndReportsTheAppsAnswer(t *testing.T) {
	bin := buildBinary(t)
	app := startApp(t, http.StatusInternalServerError)
	p := startTail(t, bin, "--forward-to", app.URL+"/webhooks/extend", "--secret", tailSecret)
	body, err := sample.Build("extract_run.processed", sample.Options{})
	if err != nil {
		t.Fatal(err)
	}
	postDelivery(t, p.url, body, tailSecret, http.StatusOK)
	rec := p.next(t)
	fw, ok := rec["forward"].(map[string]any)
	if !ok || fw["status"] != float64(500) || rec["verification"] != "verified" {
		t.Fatalf("line = %v", rec)
	}
	if _, code := p.interrupt(t); code != 0 {
		t.Errorf("exit %d", code)
	}
	app.mu.Lock()
	defer app.mu.Unlock()
	if len(app.bodies) != 1 || string(app.bodies[0]) != string(body) || app.sigs[0] == "" {
		t.Errorf("app got %d deliveries", len(app.bodies))
	}
}

func TestPassThroughAnswersExtendWithTheAppsStatus(t *testing.T) {
	bin := buildBinary(t)
	app := startApp(t, http.StatusTooManyRequests)
	p := startTail(t, bin, "--forward-to", app.URL, "--respond", "pass-through")
	postDelivery(t, p.url, []byte(`{"eventId":"e1","eventType":"parse_run.processed","payload":{}}`), "", http.StatusTooManyRequests)
	if rec := p.next(t); rec["answer"] != float64(429) {
		t.Errorf("line = %v", rec)
	}
	app.Close()
	postDelivery(t, p.url, []byte(`{}`), "", http.StatusBadGateway)
	if rec := p.next(t); rec["answer"] != float64(502) || rec["forward"].(map[string]any)["error"] == "" {
		t.Errorf("app down: line = %v", rec)
	}
	p.interrupt(t)
}

func TestForwardUsageErrors(t *testing.T) {
	bin := buildBinary(t)
	for _, args := range [][]string{
		{"tail", "--listen", "127.0.0.1:0", "--respond", "pass-through"},
		{"tail", "--listen", "127.0.0.1:0", "--respond", "99"},
		{"tail", "--listen", "127.0.0.1:0", "--forward-to", "ftp://x"},
	} {
		if out, code := runBinary(t, bin, args...); code != 2 {
			t.Errorf("%v: exit %d: %s", args, code, out)
		}
	}
}
