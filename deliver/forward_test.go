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
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// perConnection are the test delivery's headers that must not reach the
// app: hop-by-hop ones, one named by Connection, and the framing ones.
var perConnection = []string{"Host", "Content-Length", "Connection", "Keep-Alive", "X-Hop"}

func TestForwardIsExact(t *testing.T) {
	app := newApp(t, answerWith(http.StatusAccepted, `{"ok":true}`))
	f, st := newForwarder(t, ForwardConfig{URL: app.URL + "/api/webhooks"})
	ev := received(t, mustSample(t, "workflow_run.completed"), time.Now())
	forwardOne(t, f, st, ev)

	got := app.got()
	if len(got) != 1 {
		t.Fatalf("the app got %d requests, want 1", len(got))
	}
	r := got[0]
	if string(r.body) != string(storetest.Body(ev)) {
		t.Errorf("body changed on the way:\n%s\nwant\n%s", r.body, storetest.Body(ev))
	}
	if r.verified.Outcome != extend.Verified {
		t.Errorf("the app's own verification says %s (%s), want verified", r.verified.Outcome, r.verified.Reason)
	}
	want := http.Header{}
	for _, h := range storetest.Headers(ev) {
		if !slices.Contains(perConnection, h.Name) {
			want[h.Name] = append(want[h.Name], h.Value)
		}
	}
	want["Content-Length"] = []string{strconv.Itoa(len(storetest.Body(ev)))} // the app's server keeps it
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
	f, st := newForwarder(t, ForwardConfig{URL: app.URL + "/hook?source=inspector"})
	forwardOne(t, f, st, numbered(t, 1))
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
			f, st := newForwarder(t, ForwardConfig{URL: c.url(t), Timeout: 200 * time.Millisecond})
			ev := numbered(t, 1)
			fw := forwardOne(t, f, st, ev)
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
	f, st := newForwarder(t, ForwardConfig{URL: app.URL, SlowAfter: 100 * time.Millisecond})
	// A lower bound only: the app's sleep cannot end early.
	if fw := forwardOne(t, f, st, numbered(t, 1)); fw.Status != 200 || !fw.Slow || fw.Latency < 120*time.Millisecond {
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
			f, _ := newForwarder(t, ForwardConfig{URL: c.url(t)})
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

// TestInFlightBound: with the app slow, two forwards are under way and the
// rest wait their turn in the store; none is skipped, and each is sent once
// a slot is free.
func TestInFlightBound(t *testing.T) {
	release := make(chan struct{})
	app := newApp(t, hangUntil(release))
	var doneCalls sync.Map
	f, st := newForwarder(t, ForwardConfig{URL: app.URL, InFlight: 2, OnDone: func(ev *store.Event) {
		if _, again := doneCalls.LoadOrStore(ev, true); again {
			t.Errorf("OnDone called twice for %s", ev.Envelope.EventID)
		}
	}})
	var events []*store.Event
	for i := range 7 {
		ev := numbered(t, i)
		events = append(events, ev)
		st.Append(ev)
	}
	app.waitArrivals(t, 2) // both slots taken: the other five wait in the store

	for i, ev := range events[2:] {
		if fw := ev.Forward(); fw != nil {
			t.Errorf("delivery %d has a result before its turn: %+v", 2+i, fw)
		}
	}
	if s := f.Stats(); s.InFlight != 2 || s.Skipped != 0 {
		t.Errorf("stats %+v, want 2 in flight, none skipped", s)
	}
	close(release)
	for i, ev := range events {
		if fw := result(t, f, ev); fw.Status != http.StatusOK {
			t.Errorf("delivery %d: %+v, want 200", i, fw)
		}
	}
	if n := app.maxInFlight(); n > 2 {
		t.Errorf("%d requests in flight at once, want at most 2", n)
	}
	if n := len(app.got()); n != 7 {
		t.Errorf("the app got %d, want 7", n)
	}
	count := 0
	doneCalls.Range(func(any, any) bool { count++; return true })
	if count != 7 {
		t.Errorf("OnDone called for %d deliveries, want all 7", count)
	}
}

// TestBurstIsForwardedInFull is issue 13's burst: 10,000 deliveries stored
// as fast as they come, an app that takes 1 ms for each, and every one
// forwarded. The forwarder used to drop most of them ("forward queue
// full").
func TestBurstIsForwardedInFull(t *testing.T) {
	const n = 10_000
	app := newApp(t, func(http.ResponseWriter, *http.Request) { time.Sleep(time.Millisecond) })
	f, st := newForwarder(t, ForwardConfig{URL: app.URL})
	body := []byte(`{"eventId":"evt_burst","eventType":"workflow_run.completed","payload":{}}`)
	events := make([]store.Event, n)
	for i := range events {
		events[i].SetBody(body)
		st.Append(&events[i])
	}
	for i := range events {
		if fw := result(t, f, &events[i]); fw.Status != http.StatusOK {
			t.Fatalf("delivery %d: %+v, want 200", i+1, fw)
		}
	}
	if s := f.Stats(); s.Answered != n || s.Skipped+s.Failed+s.Missed != 0 {
		t.Errorf("stats %+v, want all %d answered", s, n)
	}
	if got := len(app.got()); got != n {
		t.Errorf("the app got %d of %d", got, n)
	}
}

// TestEvictedBeforeItsTurnIsCounted: a delivery the store evicts while it
// waits for a slot is not sent, and is counted.
func TestEvictedBeforeItsTurnIsCounted(t *testing.T) {
	release := make(chan struct{})
	app := newApp(t, hangUntil(release))
	st := store.New(4, 0)
	f, err := NewForwarder(st, ForwardConfig{URL: app.URL, InFlight: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(t.Context())
	first := numbered(t, 0)
	st.Append(first)
	app.waitArrivals(t, 1)
	var rest []*store.Event
	for i := range 9 {
		ev := numbered(t, i+1)
		rest = append(rest, ev)
		st.Append(ev) // seq 2 to 10; the store keeps 7 to 10
	}
	close(release)
	for _, ev := range rest[5:] {
		result(t, f, ev)
	}
	if m := f.Missed(); m != 5 {
		t.Errorf("missed %d, want the 5 evicted before their turn", m)
	}
	for _, ev := range rest[:5] {
		if ev.Forward() != nil {
			t.Errorf("delivery %d was evicted before its turn, yet has a result", ev.Seq)
		}
	}
	if n := len(app.got()); n != 5 {
		t.Errorf("the app got %d, want 5: the first and the four still stored", n)
	}
}

// TestForwardedAlreadyIsPassedOver: a delivery stored with a result (a
// pass-through forward, a replay) is not sent again.
func TestForwardedAlreadyIsPassedOver(t *testing.T) {
	app := newApp(t, nil)
	f, st := newForwarder(t, ForwardConfig{URL: app.URL})
	done := numbered(t, 1)
	done.SetForward(&store.Forward{Status: http.StatusTeapot})
	st.Append(done)
	forwardOne(t, f, st, numbered(t, 2))
	if got := app.got(); len(got) != 1 || extend.ParseEnvelope(got[0].body).EventID != "evt_00002" {
		t.Errorf("the app got %d requests, want only the second delivery", len(got))
	}
	if done.Forward().Status != http.StatusTeapot {
		t.Errorf("the first delivery's result was replaced: %+v", done.Forward())
	}
}

// TestThousandConcurrent forwards 1,000 deliveries from several goroutines,
// as concurrent requests reach the receiver.
func TestThousandConcurrent(t *testing.T) {
	const senders, each = 8, 125
	app := newApp(t, nil)
	f, st := newForwarder(t, ForwardConfig{URL: app.URL})
	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for i := range each {
				st.Append(numbered(t, g*each+i))
			}
		})
	}
	wg.Wait()
	for _, ev := range st.All() {
		result(t, f, ev)
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
// the store numbered them, whichever sender stored them.
func TestDispatchOrder(t *testing.T) {
	const senders, each = 4, 100
	app := newApp(t, nil)
	f, st := newForwarder(t, ForwardConfig{URL: app.URL, InFlight: 1})
	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for i := range each {
				st.Append(numbered(t, g*each+i))
			}
		})
	}
	wg.Wait()
	for _, ev := range st.All() {
		result(t, f, ev)
	}

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
	f, st := newForwarder(t, ForwardConfig{URL: app.URL})
	ev := &store.Event{Method: http.MethodPost, Path: "/", Status: 413}
	ev.Reject("body too large", 20<<20)
	if fw := forwardOne(t, f, st, ev); fw.Err != SkippedRefused || fw.Status != 0 {
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
	st := store.New(100, 0)
	f, err := NewForwarder(st, ForwardConfig{URL: app.URL, InFlight: 2})
	if err != nil {
		t.Fatal(err)
	}
	var events []*store.Event
	for i := range 20 {
		ev := numbered(t, i)
		events = append(events, ev)
		st.Append(ev)
	}
	if err := f.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i, ev := range events {
		if fw := ev.Forward(); fw == nil || fw.Status != 200 {
			t.Errorf("delivery %d after Close: %+v, want answered", i, fw)
		}
	}
	st.Append(numbered(t, 99))
	if n := len(app.got()); n != 20 {
		t.Errorf("the app got %d, want the 20 stored before Close", n)
	}
	if fw := f.ForwardSync(t.Context(), numbered(t, 100)); fw.Err != SkippedStopped {
		t.Errorf("ForwardSync after Close: %+v, want %q", fw, SkippedStopped)
	}
}

func TestCloseRunsOutOfTime(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	app := newApp(t, hangUntil(release))
	st := store.New(100, 0)
	f, err := NewForwarder(st, ForwardConfig{URL: app.URL, InFlight: 1})
	if err != nil {
		t.Fatal(err)
	}
	running, waiting := numbered(t, 1), numbered(t, 2)
	st.Append(running)
	app.waitArrivals(t, 1)
	st.Append(waiting)

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	err = f.Close(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close = %v, want the deadline", err)
	}
	var abandoned *AbandonedError
	if !errors.As(err, &abandoned) || !slices.Equal(abandoned.Interrupted, []uint64{1}) || !slices.Equal(abandoned.Unsent, []uint64{2}) {
		t.Errorf("Close = %v, want #1 interrupted and #2 unsent", err)
	}
	if want := "2 forwards abandoned: #1 under way; #2 not sent"; !strings.Contains(err.Error(), want) {
		t.Errorf("Close says %q, want %q in it", err, want)
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
	f, st := newForwarder(t, ForwardConfig{URL: app.URL, InFlight: 1})
	busy := numbered(t, 1)
	st.Append(busy)
	app.waitArrivals(t, 1)

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if fw := f.ForwardSync(ctx, numbered(t, 2)); fw.Err != SkippedCancelled {
		t.Errorf("with the only slot taken: %+v, want it to give up unsent", fw)
	}
	close(release)
	result(t, f, busy)
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
		if f, err := NewForwarder(store.New(1, 0), cfg); err == nil {
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

func TestSeqList(t *testing.T) {
	for want, seqs := range map[string][]uint64{
		"#3":                                 {3},
		"#3, #5–#7":                          {7, 3, 6, 5},
		"#1, #3, #5, #7, #9, #11 and 4 more": {1, 3, 5, 7, 9, 11, 13, 15, 16, 17},
	} {
		if got := seqList(seqs); got != want {
			t.Errorf("seqList(%v) = %q, want %q", seqs, got, want)
		}
	}
}
