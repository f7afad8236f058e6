package export

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// arrival is a request the test receiver got.
type arrival struct {
	method, path, query string
	header              http.Header
	body                []byte
	check               extend.Check
}

// testReceiver verifies deliveries the way Extend's SDKs do.
type testReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	arrivals []arrival
}

func newTestReceiver(t *testing.T) *testReceiver {
	rcv := &testReceiver{}
	verifier := extend.NewVerifier(testSecret)
	rcv.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		check := verifier.Verify(r.Header.Get(extend.HeaderTimestamp), r.Header.Get(extend.HeaderSignature), body, time.Now())
		rcv.mu.Lock()
		rcv.arrivals = append(rcv.arrivals, arrival{r.Method, r.URL.Path, r.URL.RawQuery, r.Header, body, check})
		rcv.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rcv.Close)
	return rcv
}

func (rcv *testReceiver) got() []arrival {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	return slices.Clone(rcv.arrivals)
}

func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"sh", "curl", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the curl script test needs %s, which is not installed", tool)
		}
	}
}

// runScript runs the exported script with only the given variables beyond
// PATH, from an empty working directory, and returns its output and error.
func runScript(t *testing.T, res Result, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("sh", onlyFile(t, res, scriptName))
	cmd.Dir = t.TempDir()
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	out, err := cmd.CombinedOutput()
	if names := listDir(t, cmd.Dir); len(names) != 0 {
		t.Errorf("the script created %v: something from a delivery ran as a command", names)
	}
	return string(out), err
}

// replayable are events whose bodies and headers test the script's
// quoting: non-UTF-8 bytes, NUL, CRLF, no final newline, an empty body,
// shell syntax in names and values.
func replayable() []*store.Event {
	events := variety()
	hostile := delivery(7, envelope("workflow.deployed\n$(touch PWNED)", "evt_'$(touch PWNED)'\ntouch PWNED2"),
		storeHeader("X-Shell", `$(touch PWNED3) "; touch PWNED4 '`),
		storeHeader("X-Empty", ""),
		storeHeader("X-Control", "a\x1b[31mb"),
		storeHeader("Bad Name", "x"))
	hostile.Path, hostile.Query = "/hooks/[x]{y}", "a=1&b=$HOME&c=[1]{2}"
	return append(events, hostile)
}

func TestCurlScriptReplaysVerified(t *testing.T) {
	needTools(t)
	rcv := newTestReceiver(t)
	events := replayable()
	res := export(t, events, Options{Format: Curl, Listen: rcv.Listener.Addr().String()})
	info, err := os.Stat(onlyFile(t, res, scriptName))
	if err != nil || info.Mode().Perm()&0o100 == 0 {
		t.Errorf("script mode %v, %v: want executable", info.Mode(), err)
	}
	out, err := runScript(t, res, "EXTEND_WEBHOOK_SECRET="+testSecret)
	if err != nil {
		t.Fatalf("script failed: %v\n%s", err, out)
	}
	sent := slices.DeleteFunc(slices.Clone(events), func(ev *store.Event) bool { return ev.Rejected() != "" })
	got := rcv.got()
	if len(got) != len(sent) || len(res.Skipped) != 1 || res.Skipped[0].Seq != 5 {
		t.Fatalf("%d deliveries arrived for %d replayable events; skipped %v\n%s", len(got), len(sent), res.Skipped, out)
	}
	for i, ev := range sent {
		a := got[i]
		if a.check.Outcome != extend.Verified {
			t.Errorf("#%d: %v", ev.Seq, a.check)
		}
		if !bytes.Equal(a.body, storetest.Body(ev)) {
			t.Errorf("#%d body = %q, want %q", ev.Seq, a.body, storetest.Body(ev))
		}
		wantQuery := strings.ReplaceAll(ev.Query, "#", "%23")
		if a.method != ev.Method || a.path != ev.Path || a.query != wantQuery {
			t.Errorf("#%d went to %s %s?%s, want %s %s?%s", ev.Seq, a.method, a.path, a.query, ev.Method, ev.Path, wantQuery)
		}
		if ct := storetest.Header(ev, "Content-Type"); a.header.Get("Content-Type") != ct {
			t.Errorf("#%d content type = %q, want %q", ev.Seq, a.header.Get("Content-Type"), ct)
		}
	}
	if h := got[len(got)-1].header; h.Get("X-Shell") != storetest.Header(events[6], "X-Shell") || h.Values("X-Empty") == nil ||
		h.Get("X-Control") != "" {
		t.Errorf("hostile headers arrived as %v", h)
	}
	if h := got[0].header; !slices.Equal(h.Values("X-Trace"), []string{"a", "b"}) {
		t.Errorf("repeated header arrived as %v", h.Values("X-Trace"))
	}
	if !strings.Contains(out, "sent 6 deliveries") {
		t.Errorf("output:\n%s", out)
	}
}

func TestCurlScriptVerbatim(t *testing.T) {
	needTools(t)
	rcv := newTestReceiver(t)
	events := replayable()
	res := export(t, events, Options{Format: Curl, Listen: rcv.Listener.Addr().String(), Verbatim: true})
	out, err := runScript(t, res) // no secret needed
	if err != nil {
		t.Fatalf("script failed: %v\n%s", err, out)
	}
	got := rcv.got()
	if len(got) != len(events)-1 {
		t.Fatalf("%d deliveries arrived\n%s", len(got), out)
	}
	for i, ev := range slices.DeleteFunc(events, func(ev *store.Event) bool { return ev.Rejected() != "" }) {
		for _, name := range []string{extend.HeaderTimestamp, extend.HeaderSignature} {
			if got[i].header.Get(name) != storetest.Header(ev, name) {
				t.Errorf("#%d %s = %q, want the original %q", ev.Seq, name, got[i].header.Get(name), storetest.Header(ev, name))
			}
		}
		if !bytes.Equal(got[i].body, storetest.Body(ev)) || got[i].check.Outcome != extend.Stale {
			t.Errorf("#%d: body %q, %v; want the original body, stale", ev.Seq, got[i].body, got[i].check)
		}
	}
}

func TestCurlScriptTarget(t *testing.T) {
	needTools(t)
	rcv := newTestReceiver(t)
	events := variety()[:2]
	res := export(t, events, Options{Format: Curl, TargetURL: rcv.URL + "/default"})
	if out, err := runScript(t, res, "EXTEND_WEBHOOK_SECRET="+testSecret); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, err := runScript(t, res, "EXTEND_WEBHOOK_SECRET="+testSecret, "TARGET="+rcv.URL+"/override?x=1"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var where []string
	for _, a := range rcv.got() {
		where = append(where, a.path+"?"+a.query)
	}
	if want := []string{"/default?", "/default?", "/override?x=1", "/override?x=1"}; !slices.Equal(where, want) {
		t.Errorf("deliveries went to %v, want %v", where, want)
	}
}

func TestCurlScriptWithoutSecret(t *testing.T) {
	needTools(t)
	rcv := newTestReceiver(t)
	res := export(t, variety(), Options{Format: Curl, Listen: rcv.Listener.Addr().String()})
	out, err := runScript(t, res)
	if err == nil || !strings.Contains(out, "EXTEND_WEBHOOK_SECRET is not set") {
		t.Errorf("err %v, output:\n%s", err, out)
	}
	if n := len(rcv.got()); n != 0 {
		t.Errorf("%d deliveries were sent unsigned", n)
	}
}

func TestCurlScriptReportsRefusals(t *testing.T) {
	needTools(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	res := export(t, variety()[:2], Options{Format: Curl, Listen: srv.Listener.Addr().String()})
	out, err := runScript(t, res, "EXTEND_WEBHOOK_SECRET="+testSecret)
	if err == nil || !strings.Contains(out, "2 of 2 deliveries were not answered with 2xx") || !strings.Contains(out, "HTTP 401") {
		t.Errorf("err %v, output:\n%s", err, out)
	}
	srv.Close()
	out, err = runScript(t, res, "EXTEND_WEBHOOK_SECRET="+testSecret)
	if err == nil || !strings.Contains(out, "is it listening?") {
		t.Errorf("err %v, output:\n%s", err, out)
	}
}

func TestCurlBodiesAreExact(t *testing.T) {
	events := replayable()
	res := export(t, events, Options{Format: Curl, Listen: "127.0.0.1:1"})
	for _, ev := range events {
		if ev.Rejected() != "" {
			continue
		}
		name := filepath.Join(res.Dir, bodiesDir, eventStem(ev, sidecarExt)+sidecarExt)
		if b, err := os.ReadFile(name); err != nil || !bytes.Equal(b, storetest.Body(ev)) {
			t.Errorf("#%d sidecar = %q, %v", ev.Seq, b, err)
		}
	}
}
