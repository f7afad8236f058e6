package main

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
		{"tail", "--listen", "127.0.0.1:0", "-f", "https://localhost:1", "--ca-file", "missing.pem"},
	} {
		if out, code := runBinary(t, bin, args...); code != 2 {
			t.Errorf("%v: exit %d: %s", args, code, out)
		}
	}
}

// -f is --forward-to, and --ca-file trusts an https app's self-signed
// certificate, which the system's roots refuse.
func TestTailForwardsToASelfSignedApp(t *testing.T) {
	bin := buildBinary(t)
	app := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}))
	app.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	app.StartTLS()
	defer app.Close()
	caFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: app.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, trust := range [][]string{{"--ca-file", caFile}, {"--insecure"}, nil} {
		p := startTail(t, bin, append([]string{"-f", app.URL}, trust...)...)
		postDelivery(t, p.url, []byte(`{"eventId":"e1","eventType":"parse_run.processed","payload":{}}`), "", http.StatusOK)
		fw, _ := p.next(t)["forward"].(map[string]any)
		if want := trust != nil; (fw["status"] == float64(http.StatusAccepted)) != want {
			t.Errorf("%v: forward %v", trust, fw)
		}
		p.interrupt(t)
	}
}

// Issue 13's burst, on the real binary: 10,000 deliveries as fast as they
// come, an app that takes 1 ms for each, and every one forwarded and
// printed with the app's answer. The forwarder used to keep its own queue
// of 1,024 and dropped the rest ("forward queue full").
func TestTailForwardsABurstInFull(t *testing.T) {
	t.Parallel()
	const n, senders = 10_000, 16
	bin := buildBinary(t)
	var got atomic.Int64
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(time.Millisecond)
		got.Add(1)
	}))
	defer app.Close()
	p := startTail(t, bin, "--forward-to", app.URL, "--capacity", strconv.Itoa(n))

	var wg sync.WaitGroup
	defer wg.Wait() // the senders report into t, so they end first
	var next atomic.Int64
	for range senders {
		wg.Go(func() {
			for i := next.Add(1); i <= n; i = next.Add(1) {
				body := fmt.Appendf(nil, `{"eventId":"evt_%d","eventType":"workflow_run.completed","payload":{}}`, i)
				resp, err := http.Post(p.url, "application/json", bytes.NewReader(body))
				if err != nil {
					t.Errorf("delivery %d: %v", i, err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	forwarded := 0
	for forwarded < n && !t.Failed() {
		rec := p.next(t)
		if fw, _ := rec["forward"].(map[string]any); fw["status"] != float64(http.StatusOK) {
			t.Fatalf("line %v: forward %v, want the app's 200", rec["seq"], fw)
		}
		forwarded++
	}
	wg.Wait()
	if rest, code := p.interrupt(t); code != 0 || len(rest) != 0 {
		t.Errorf("exit %d with %d more lines; stderr %q", code, len(rest), p.stderr)
	}
	if got.Load() != n || forwarded != n {
		t.Errorf("the app got %d, tail printed %d forwarded, of %d", got.Load(), forwarded, n)
	}
}

// Issue 13 item 5: an interrupt while a forward waits for a hung app ends
// in exit 0 once the shutdown grace has passed, with the delivery printed
// (its forward "interrupted") and the abandoned forward named on stderr.
func TestInterruptAbandonsAPendingForward(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // only then does the server notice the sender hang up
		arrived <- struct{}{}
		<-release
	}))
	defer app.Close()
	defer close(release) // before Close, which waits for the handler
	p := startTail(t, bin, "--forward-to", app.URL)
	postDelivery(t, p.url, []byte(`{"eventId":"evt_1","eventType":"workflow_run.completed","payload":{}}`), "", http.StatusOK)
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the forward never reached the app")
	}
	rest, code := p.interrupt(t)
	if code != 0 {
		t.Fatalf("exit %d, want 0; stderr %q", code, p.stderr)
	}
	if len(rest) != 1 || rest[0]["forward"].(map[string]any)["error"] != "interrupted" {
		t.Errorf("printed %v, want the delivery with its forward interrupted", rest)
	}
	if want := "1 forward abandoned: #1 under way"; !strings.Contains(p.stderr.String(), want) {
		t.Errorf("stderr %q, want %q", p.stderr, want)
	}
}
