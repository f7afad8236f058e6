package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/deliver"
	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
	"github.com/extend-inspect/extend-inspect/receiver"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/export"
	"github.com/extend-inspect/extend-inspect/store/storetest"
	"github.com/extend-inspect/extend-inspect/ui"
)

// headerApp records the signature headers and bodies it receives.
type headerApp struct {
	*httptest.Server
	mu   sync.Mutex
	got  []http.Header
	body [][]byte
}

func startHeaderApp(t *testing.T, status int) *headerApp {
	app := &headerApp{}
	app.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		app.mu.Lock()
		app.got = append(app.got, r.Header.Clone())
		app.body = append(app.body, b)
		app.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(app.Close)
	return app
}

// storedDelivery is a delivery signed an hour ago, as the store holds it.
func storedDelivery(t *testing.T, st *store.Store, secret string, at time.Time) *store.Event {
	t.Helper()
	body, err := sample.Build("extract_run.processed", sample.Options{Now: at})
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	ev := &store.Event{ReceivedAt: at, Method: "POST", Path: "/hook"}
	ev.SetHeaders([]store.Header{{Name: "Content-Type", Value: "application/json"},
		{Name: extend.HeaderTimestamp, Value: ts}, {Name: extend.HeaderSignature, Value: extend.Sign(secret, ts, body)}})
	ev.SetBody(body)
	ev.Classify()
	st.Append(ev)
	return ev
}

func TestScreenReplayResignsAndStoresTheReplay(t *testing.T) {
	const secret = "wss_screen_test"
	app := startHeaderApp(t, http.StatusAccepted)
	st := store.New(100, 0)
	now := time.Now()
	orig := storedDelivery(t, st, secret, now.Add(-time.Hour))
	r := newScreenReplayer(st, app.URL+"/hook", secret, deliver.Trust{})
	r.now = func() time.Time { return now }

	out, err := r.Replay(context.Background(), orig, r.Target(), false)
	if err != nil {
		t.Fatal(err)
	}
	app.mu.Lock()
	h, body := app.got[0], app.body[0]
	app.mu.Unlock()
	check := extend.NewVerifier(secret).Verify(h.Get(extend.HeaderTimestamp), h.Get(extend.HeaderSignature), body, now)
	if check.Outcome != extend.Verified || string(body) != string(storetest.Body(orig)) {
		t.Errorf("the app got a replay that does not verify: %v %s", check.Outcome, check.Reason)
	}
	if out.ReplayOf() != orig.Seq || out.Seq != 2 || out.Forward() == nil || out.Forward().Status != http.StatusAccepted {
		t.Errorf("stored replay = seq %d, of %d, forward %+v", out.Seq, out.ReplayOf(), out.Forward())
	}
	if got, ok := st.Get(out.Seq); !ok || got != out {
		t.Error("the replay was not appended to the store")
	}
}

func TestScreenReplayVerbatimAndWithoutSecret(t *testing.T) {
	const secret = "wss_screen_test"
	app := startHeaderApp(t, http.StatusOK)
	st := store.New(100, 0)
	orig := storedDelivery(t, st, secret, time.Now().Add(-time.Hour))

	if _, err := newScreenReplayer(st, "", "", deliver.Trust{}).Replay(context.Background(), orig, app.URL, false); !errors.Is(err, deliver.ErrNoSecret) {
		t.Errorf("re-signing without a secret: %v, want deliver's ErrNoSecret", err)
	}
	if _, err := newScreenReplayer(st, "", "", deliver.Trust{}).Replay(context.Background(), orig, app.URL, true); err != nil {
		t.Fatal(err)
	}
	app.mu.Lock()
	defer app.mu.Unlock()
	if len(app.got) != 1 || app.got[0].Get(extend.HeaderSignature) != storetest.Header(orig, extend.HeaderSignature) ||
		app.got[0].Get(extend.HeaderTimestamp) != storetest.Header(orig, extend.HeaderTimestamp) {
		t.Errorf("verbatim replay did not carry the original signature: %v", app.got)
	}
	if st.Last() != 2 {
		t.Errorf("store holds %d events, want the original and one replay", st.Last())
	}
}

// A verbatim replay of a delivery opened from a session sends the headers
// the session recorded, which stay in its file until then.
func TestScreenReplaysTheHeadersASessionRecorded(t *testing.T) {
	app := startHeaderApp(t, http.StatusOK)
	events, _ := storetest.Bulk(10)
	var jsonl bytes.Buffer
	if err := export.Encode(context.Background(), &jsonl, events, export.Options{Format: export.JSONL}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "session.jsonl")
	if err := os.WriteFile(file, jsonl.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	st, loading, err := openSession(defaultOptions(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer loading.Close()
	if warn := loading.Wait(); warn != nil {
		t.Fatal(warn)
	}
	orig, _ := st.Get(1)
	if !orig.BodyInFile() {
		t.Fatal("the oldest body is not in the file")
	}
	if _, err := newScreenReplayer(st, "", "", deliver.Trust{}).Replay(context.Background(), orig, app.URL, true); err != nil {
		t.Fatal(err)
	}
	app.mu.Lock()
	defer app.mu.Unlock()
	for _, h := range storetest.Headers(events[0]) {
		if got := app.got[0].Get(h.Name); got != h.Value {
			t.Errorf("the replay sent %s: %q, recorded %q", h.Name, got, h.Value)
		}
	}
}

// The receiver is the screen's Answerer as it is, in --respond's words.
func TestReceiverIsTheScreensAnswerer(t *testing.T) {
	srv := receiver.New(receiver.Config{}, store.New(10, 0))
	var a ui.Answerer = srv
	var got []string
	for range 4 {
		got = append(got, a.CycleRespond().String())
	}
	if want := "500 429 slow 200"; strings.Join(got, " ") != want || a.Respond().String() != "200" {
		t.Errorf("cycle = %q, want %q", strings.Join(got, " "), want)
	}
}

// The screen's L, as wired: a link of the demo's download server (what
// startDemo puts its signed links on) lands its payload on the event, and
// the store joins the run it names; an expired link says so.
func TestScreenLinksFetchTheDemosLinks(t *testing.T) {
	links, err := deliver.ListenLinks("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer links.Close()
	body, err := sample.Build("extract_run.processed", sample.Options{SignedURL: true, LinkTo: links.Stash})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(10, 0)
	ev := &store.Event{ReceivedAt: time.Now(), Method: "POST", Path: "/hook"}
	ev.SetBody(body)
	ev.Classify()
	st.Append(ev)
	var fetcher ui.LinkFetcher = screenLinks{store: st, fetcher: deliver.Fetcher{MaxBytes: 1 << 20}}
	at, err := fetcher.Fetch(context.Background(), ev)
	if err != nil || at.IsZero() {
		t.Fatalf("fetch the demo's link: %v", err)
	}
	f := ev.Fetched()
	if f == nil || !strings.Contains(string(f.Payload), `"object": "extract_run"`) {
		t.Fatalf("fetched %+v", f)
	}
	if r := st.RunOf(ev); len(r.Events) != 1 || !strings.HasPrefix(r.ID, "exr_") {
		t.Errorf("the run after the fetch: %q %d events", r.ID, len(r.Events))
	}
	ev2 := &store.Event{ReceivedAt: time.Now(), Method: "POST", Path: "/hook"}
	ev2.SetBody([]byte(strings.Replace(string(body), links.URL(), links.URL()+"/nothing-here", 1)))
	ev2.Classify()
	st.Append(ev2)
	if _, err := fetcher.Fetch(context.Background(), ev2); err == nil || ev2.Fetched() != nil {
		t.Errorf("a link to nothing: err %v", err)
	}
}
