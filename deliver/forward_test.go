package deliver

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
)

// perConnection are the test delivery's headers that must not reach the
// app: hop-by-hop ones, one named by Connection, and the framing ones.
var perConnection = []string{"Host", "Content-Length", "Connection", "Keep-Alive", "X-Hop"}

func TestForwardIsExact(t *testing.T) {
	app := newApp(t, answerWith(http.StatusAccepted, `{"ok":true}`))
	f := newForwarder(t, ForwardConfig{URL: app.URL + "/api/webhooks"})
	ev := received(t, mustSample(t, "workflow_run.completed"), time.Now())
	wait(t, f.Forward(ev))

	got := app.got()
	if len(got) != 1 {
		t.Fatalf("the app got %d requests, want 1", len(got))
	}
	r := got[0]
	if string(r.body) != string(ev.Body) {
		t.Errorf("body changed on the way:\n%s\nwant\n%s", r.body, ev.Body)
	}
	if r.verified.Outcome != extend.Verified {
		t.Errorf("the app's own verification says %s (%s), want verified", r.verified.Outcome, r.verified.Reason)
	}
	want := http.Header{}
	for _, h := range ev.Headers {
		if !slices.Contains(perConnection, h.Name) {
			want[h.Name] = append(want[h.Name], h.Value)
		}
	}
	want["Content-Length"] = []string{strconv.Itoa(len(ev.Body))} // the app's server keeps it
	if !maps.EqualFunc(r.header, want, slices.Equal) {
		t.Errorf("the app got headers\n%v\nwant\n%v", r.header, want)
	}
	if r.path != "/api/webhooks" || r.query != ev.Query || r.host != strings.TrimPrefix(app.URL, "http://") {
		t.Errorf("request to %s %s?%s, want the target's host and path with the delivery's query", r.host, r.path, r.query)
	}

	fw := ev.Forward()
	if fw == nil || fw.Status != http.StatusAccepted || string(fw.Body) != `{"ok":true}` || fw.Err != "" {
		t.Fatalf("forward result %+v, want 202 with the app's body", fw)
	}
	if fw.URL != app.URL+"/api/webhooks?"+ev.Query || fw.Latency <= 0 || fw.Finished.IsZero() || fw.Slow {
		t.Errorf("forward result %+v: URL, latency or times wrong", fw)
	}
	if i := slices.IndexFunc(fw.Headers, func(h store.Header) bool { return h.Name == "X-App" }); i < 0 || fw.Headers[i].Value != "answered" {
		t.Errorf("answer headers %v, want X-App: answered", fw.Headers)
	}
}

func TestForwardKeepsTheTargetsOwnQuery(t *testing.T) {
	app := newApp(t, nil)
	f := newForwarder(t, ForwardConfig{URL: app.URL + "/hook?source=inspector"})
	wait(t, f.Forward(numbered(t, 1)))
	if q := app.got()[0].query; q != "source=inspector" {
		t.Errorf("query %q, want the target's own", q)
	}
}

// TestForwardFailures: whatever happens to the app, the delivery keeps
// its place in the store and carries what happened.
func TestForwardFailures(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	cases := []struct {
		name    string
		url     func(t *testing.T) string
		status  int
		errText string
	}{
		{"down", func(t *testing.T) string { return closedURL(t) }, 0, "connection refused"},
		{"slow", func(t *testing.T) string { return newApp(t, hangUntil(release)).URL }, 0, "no answer within 200ms (Extend gives up after 30s)"},
		{"server error", func(t *testing.T) string { return newApp(t, answerWith(500, "boom")).URL }, 500, ""},
		{"redirect", func(t *testing.T) string { return newApp(t, answerWith(http.StatusFound, "")).URL }, http.StatusFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := store.New(100, 1<<20)
			f := newForwarder(t, ForwardConfig{URL: c.url(t), Timeout: 200 * time.Millisecond})
			ev := numbered(t, 1)
			st.Append(ev)
			wait(t, f.Forward(ev))
			fw := ev.Forward()
			if fw.Status != c.status || fw.Err != c.errText {
				t.Errorf("forward result: status %d, error %q; want %d, %q", fw.Status, fw.Err, c.status, c.errText)
			}
			if all := st.All(); len(all) != 1 || all[0] != ev || all[0].Forward() != fw {
				t.Errorf("the store holds %v, want the delivery with its result", all)
			}
			stats := f.Stats()
			if stats.Answered+stats.Failed != 1 || stats.Skipped != 0 {
				t.Errorf("stats %+v, want one result", stats)
			}
		})
	}
}

func TestRedirectIsTheAnswer(t *testing.T) {
	app := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	})
	res := Post(t.Context(), &http.Client{}, app.URL+"/hook", []byte(`{}`), nil)
	if res.Status != http.StatusTemporaryRedirect || len(app.got()) != 1 {
		t.Errorf("status %d after %d requests, want the 307 itself", res.Status, len(app.got()))
	}
}

func TestSlowAnswerIsFlagged(t *testing.T) {
	app := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(120 * time.Millisecond)
		w.WriteHeader(http.StatusOK)
	})
	f := newForwarder(t, ForwardConfig{URL: app.URL, SlowAfter: 100 * time.Millisecond})
	ev := numbered(t, 1)
	wait(t, f.Forward(ev))
	// A lower bound only: the app's sleep cannot end early.
	if fw := ev.Forward(); fw.Status != 200 || !fw.Slow || fw.Latency < 120*time.Millisecond {
		t.Errorf("forward result %+v, want a 200 flagged slow", fw)
	}
	if s := f.Stats(); s.Slow != 1 {
		t.Errorf("stats %+v, want one slow", s)
	}
}

func TestSlowFlagFollowsTheThreshold(t *testing.T) {
	for _, c := range []struct {
		latency, after time.Duration
		err            error
		slow           bool
	}{
		{29 * time.Second, extend.DeliveryTimeout, nil, false},
		{extend.DeliveryTimeout, extend.DeliveryTimeout, nil, false},
		{extend.DeliveryTimeout + time.Millisecond, extend.DeliveryTimeout, nil, true},
		{45 * time.Second, extend.DeliveryTimeout, &UnreachableError{Reason: "no answer"}, true},
		{2 * time.Second, time.Second, nil, true},
	} {
		fw := Response{Status: 200, Latency: c.latency, Err: c.err}.Forward(c.after)
		if fw.Slow != c.slow {
			t.Errorf("latency %s against %s: slow %v, want %v", c.latency, c.after, fw.Slow, c.slow)
		}
	}
}

func TestPassThroughStatus(t *testing.T) {
	cases := []struct {
		name string
		url  func(t *testing.T) string
		want int
	}{
		{"ok", func(t *testing.T) string { return newApp(t, nil).URL }, 200},
		{"created", func(t *testing.T) string { return newApp(t, answerWith(201, "")).URL }, 201},
		{"server error", func(t *testing.T) string { return newApp(t, answerWith(500, "")).URL }, 500},
		{"rate limited", func(t *testing.T) string { return newApp(t, answerWith(429, "")).URL }, 429},
		{"unreachable", func(t *testing.T) string { return closedURL(t) }, http.StatusBadGateway},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newForwarder(t, ForwardConfig{URL: c.url(t)})
			ev := numbered(t, 1)
			fw := f.ForwardSync(t.Context(), ev)
			if got := PassThroughStatus(fw); got != c.want {
				t.Errorf("pass-through status %d, want %d (result %+v)", got, c.want, fw)
			}
			if ev.Forward() != fw {
				t.Error("ForwardSync did not set the result on the event")
			}
		})
	}
	if got := PassThroughStatus(nil); got != http.StatusBadGateway {
		t.Errorf("no result: %d, want 502", got)
	}
}

func TestQueueBound(t *testing.T) {
	release := make(chan struct{})
	app := newApp(t, hangUntil(release))
	var doneCalls sync.Map
	f := newForwarder(t, ForwardConfig{URL: app.URL, InFlight: 2, Queue: 3, OnDone: func(ev *store.Event) {
		if _, again := doneCalls.LoadOrStore(ev, true); again {
			t.Errorf("OnDone called twice for %s", ev.Envelope.EventID)
		}
	}})
	var events []*store.Event
	var dones []<-chan struct{}
	forward := func(n int) {
		for range n {
			ev := numbered(t, len(events))
			events = append(events, ev)
			dones = append(dones, f.Forward(ev))
		}
	}
	forward(2)
	app.waitArrivals(t, 2) // both slots taken: from now on, deliveries queue
	forward(5)

	for i, ev := range events[5:] {
		if fw := ev.Forward(); fw == nil || fw.Err != SkippedQueueFull {
			t.Errorf("delivery %d past the queue: result %+v, want %q", 5+i, fw, SkippedQueueFull)
		}
		wait(t, dones[5+i]) // already closed
	}
	if s := f.Stats(); s.InFlight != 2 || s.Queued != 3 || s.Skipped != 2 {
		t.Errorf("stats %+v, want 2 in flight, 3 queued, 2 skipped", s)
	}
	close(release)
	for i, done := range dones[:5] {
		wait(t, done)
		if fw := events[i].Forward(); fw.Status != http.StatusOK {
			t.Errorf("delivery %d: %+v, want 200", i, fw)
		}
	}
	if n := app.maxInFlight(); n > 2 {
		t.Errorf("%d requests in flight at once, want at most 2", n)
	}
	if n := len(app.got()); n != 5 {
		t.Errorf("the app got %d, want 5", n)
	}
	count := 0
	doneCalls.Range(func(any, any) bool { count++; return true })
	if count != 7 {
		t.Errorf("OnDone called for %d deliveries, want all 7", count)
	}
}

// TestThousandConcurrent forwards 1,000 deliveries from several goroutines,
// as concurrent requests reach the receiver.
func TestThousandConcurrent(t *testing.T) {
	const senders, each = 8, 125
	app := newApp(t, nil)
	st := store.New(2*senders*each, 64<<20)
	f := newForwarder(t, ForwardConfig{URL: app.URL})
	var wg sync.WaitGroup
	dones := make([][]<-chan struct{}, senders)
	for g := range senders {
		wg.Go(func() {
			for i := range each {
				ev := numbered(t, g*each+i)
				st.Append(ev)
				dones[g] = append(dones[g], f.Forward(ev))
			}
		})
	}
	wg.Wait()
	for _, ds := range dones {
		for _, d := range ds {
			wait(t, d)
		}
	}

	seen := map[string]int{}
	for _, r := range app.got() {
		seen[extend.ParseEnvelope(r.body).EventID]++
	}
	for i := range senders * each {
		if id := fmt.Sprintf("evt_%05d", i); seen[id] != 1 {
			t.Errorf("%s reached the app %d times, want once", id, seen[id])
		}
	}
	all := st.All()
	if len(all) != senders*each {
		t.Fatalf("%d stored, want %d", len(all), senders*each)
	}
	for i, ev := range all {
		if ev.Seq != uint64(i+1) {
			t.Fatalf("stored out of order: position %d holds seq %d", i, ev.Seq)
		}
		if fw := ev.Forward(); fw == nil || fw.Status != http.StatusOK {
			t.Fatalf("seq %d: forward result %+v, want 200", ev.Seq, fw)
		}
	}
	if n := app.maxInFlight(); n > DefaultInFlight {
		t.Errorf("%d requests in flight at once, want at most %d", n, DefaultInFlight)
	}
	if s := f.Stats(); s.Answered != senders*each || s.Skipped+s.Failed != 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestDispatchOrder: with one slot the app sees deliveries in the order
// they arrived, here the order the store numbered them.
func TestDispatchOrder(t *testing.T) {
	const senders, each = 4, 100
	app := newApp(t, nil)
	st := store.New(senders*each, 64<<20)
	f := newForwarder(t, ForwardConfig{URL: app.URL, InFlight: 1})
	var arrive sync.Mutex // a receiver that forwards as it stores
	var wg sync.WaitGroup
	var last <-chan struct{}
	for g := range senders {
		wg.Go(func() {
			for i := range each {
				ev := numbered(t, g*each+i)
				arrive.Lock()
				st.Append(ev)
				last = f.Forward(ev)
				arrive.Unlock()
			}
		})
	}
	wg.Wait()
	wait(t, last)

	seqOf := map[string]uint64{}
	for _, ev := range st.All() {
		seqOf[ev.Envelope.EventID] = ev.Seq
	}
	got := app.got()
	if len(got) != senders*each {
		t.Fatalf("the app got %d, want %d", len(got), senders*each)
	}
	for i, r := range got {
		if seq := seqOf[extend.ParseEnvelope(r.body).EventID]; seq != uint64(i+1) {
			t.Fatalf("request %d at the app was delivery %d", i+1, seq)
		}
	}
}

func TestRefusedDeliveryIsNotSent(t *testing.T) {
	app := newApp(t, nil)
	f := newForwarder(t, ForwardConfig{URL: app.URL})
	ev := &store.Event{Method: http.MethodPost, Path: "/", Size: 20 << 20, Status: 413, Rejected: "body too large"}
	wait(t, f.Forward(ev))
	if fw := ev.Forward(); fw.Err != SkippedRefused || fw.Status != 0 {
		t.Errorf("result %+v, want %q", fw, SkippedRefused)
	}
	if fw := f.ForwardSync(t.Context(), ev); PassThroughStatus(fw) != http.StatusBadGateway {
		t.Errorf("pass-through of a refused delivery: %+v", fw)
	}
	if n := len(app.got()); n != 0 {
		t.Errorf("the app got %d requests, want none", n)
	}
}

func TestCloseDrains(t *testing.T) {
	app := newApp(t, nil)
	f, err := NewForwarder(ForwardConfig{URL: app.URL, InFlight: 2})
	if err != nil {
		t.Fatal(err)
	}
	var events []*store.Event
	for i := range 20 {
		ev := numbered(t, i)
		events = append(events, ev)
		f.Forward(ev)
	}
	if err := f.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i, ev := range events {
		if fw := ev.Forward(); fw == nil || fw.Status != 200 {
			t.Errorf("delivery %d after Close: %+v, want answered", i, fw)
		}
	}
	late := numbered(t, 99)
	wait(t, f.Forward(late))
	if fw := late.Forward(); fw.Err != SkippedStopped {
		t.Errorf("after Close: %+v, want %q", fw, SkippedStopped)
	}
	if fw := f.ForwardSync(t.Context(), numbered(t, 100)); fw.Err != SkippedStopped {
		t.Errorf("ForwardSync after Close: %+v, want %q", fw, SkippedStopped)
	}
}

func TestCloseRunsOutOfTime(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	app := newApp(t, hangUntil(release))
	f, err := NewForwarder(ForwardConfig{URL: app.URL, InFlight: 1})
	if err != nil {
		t.Fatal(err)
	}
	running, waiting := numbered(t, 1), numbered(t, 2)
	f.Forward(running)
	app.waitArrivals(t, 1)
	f.Forward(waiting)

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := f.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close = %v, want the deadline", err)
	}
	if fw := running.Forward(); fw == nil || fw.Err != "interrupted" {
		t.Errorf("the forward under way: %+v, want interrupted", fw)
	}
	if fw := waiting.Forward(); fw == nil || fw.Err != SkippedStopped {
		t.Errorf("the queued one: %+v, want %q", fw, SkippedStopped)
	}
}

func TestForwardSyncWaitsForASlot(t *testing.T) {
	release := make(chan struct{})
	app := newApp(t, hangUntil(release))
	f := newForwarder(t, ForwardConfig{URL: app.URL, InFlight: 1})
	busy := numbered(t, 1)
	done := f.Forward(busy)
	app.waitArrivals(t, 1)

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if fw := f.ForwardSync(ctx, numbered(t, 2)); fw.Err != SkippedCancelled {
		t.Errorf("with the only slot taken: %+v, want it to give up unsent", fw)
	}
	close(release)
	wait(t, done)
	if fw := f.ForwardSync(t.Context(), numbered(t, 3)); fw.Status != 200 {
		t.Errorf("with the slot free again: %+v", fw)
	}
	if n := app.maxInFlight(); n != 1 {
		t.Errorf("%d in flight at once, want 1", n)
	}
}

func TestNewForwarderRefusesBadConfig(t *testing.T) {
	for _, cfg := range []ForwardConfig{
		{URL: ""},
		{URL: "ftp://localhost/x"},
		{URL: "http://localhost:3000", InFlight: -1},
		{URL: "http://localhost:3000", Timeout: -time.Second},
	} {
		if f, err := NewForwarder(cfg); err == nil {
			f.Close(t.Context())
			t.Errorf("NewForwarder(%+v) accepted", cfg)
		}
	}
}

func TestParseTarget(t *testing.T) {
	ok := map[string]string{
		"http://localhost:3000/webhooks":  "http://localhost:3000/webhooks",
		"https://app.test/hooks?x=1":      "https://app.test/hooks?x=1",
		"localhost:3000/webhooks":         "http://localhost:3000/webhooks",
		":3000/api/extend":                "http://localhost:3000/api/extend",
		"  http://127.0.0.1:8080/hook  ":  "http://127.0.0.1:8080/hook",
		"[::1]:9000/x":                    "http://[::1]:9000/x",
		"http://localhost:3000/a%20b?c=d": "http://localhost:3000/a%20b?c=d",
	}
	for in, want := range ok {
		u, err := ParseTarget(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseTarget(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	bad := map[string]string{
		"":                  "no URL given",
		"ftp://host/x":      "only http and https",
		"http://":           "names no host",
		"http://a b.test/x": "is not a URL",
	}
	for in, want := range bad {
		if _, err := ParseTarget(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTarget(%q) = %v, want an error saying %q", in, err, want)
		}
	}
}
