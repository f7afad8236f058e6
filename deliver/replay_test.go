package deliver

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

// captured is a delivery received an hour ago: verified then, its
// signature is stale now.
func captured(t *testing.T) *store.Event {
	t.Helper()
	ev := received(t, mustSample(t, "extract_run.processed"), time.Now().Add(-time.Hour))
	if ev.Verification.Outcome != extend.Verified {
		t.Fatalf("the capture was not verified when it came: %+v", ev.Verification)
	}
	ev.Seq = 7
	return ev
}

func TestReplayResigns(t *testing.T) {
	app := newApp(t, answerWith(http.StatusOK, "thanks"))
	orig := captured(t)
	now := time.Now()
	rep, err := Replay(t.Context(), nil, app.URL+"/hook", orig, Resign, testSecret, now)
	if err != nil {
		t.Fatal(err)
	}
	r := app.got()[0]
	if r.verified.Outcome != extend.Verified {
		t.Errorf("the app's verification says %s (%s), want verified", r.verified.Outcome, r.verified.Reason)
	}
	if string(r.body) != string(storetest.Body(orig)) {
		t.Error("the body changed")
	}
	if ts := r.header.Get(extend.HeaderTimestamp); ts != strconv.FormatInt(now.Unix(), 10) {
		t.Errorf("timestamp %s, want now", ts)
	}
	if len(r.header.Values(extend.HeaderSignature)) != 1 || r.header.Get(extend.HeaderSignature) == storetest.Header(orig, extend.HeaderSignature) {
		t.Error("want one fresh signature")
	}
	for _, name := range []string{"X-Custom-Trace", "User-Agent", "Content-Type"} {
		if r.header.Get(name) != storetest.Header(orig, name) {
			t.Errorf("%s: %q, want the original's %q", name, r.header.Get(name), storetest.Header(orig, name))
		}
	}
	if !slices.Equal(r.header.Values("X-Multi"), []string{"1", "2"}) {
		t.Errorf("X-Multi %v, want both values in order", r.header.Values("X-Multi"))
	}

	checkReplayEvent(t, rep, orig, app.URL)
	if rep.Verification.Outcome != extend.Verified {
		t.Errorf("the replay's own verification: %+v, want verified", rep.Verification)
	}
	if storetest.Header(rep, extend.HeaderSignature) != r.header.Get(extend.HeaderSignature) {
		t.Error("the replay event does not list the signature sent")
	}
	if rep.Forward().Status != http.StatusOK || string(rep.Forward().Body) != "thanks" {
		t.Errorf("the app's answer on the replay: %+v", rep.Forward())
	}
}

func TestReplayVerbatim(t *testing.T) {
	app := newApp(t, answerWith(http.StatusUnauthorized, "stale signature"))
	orig := captured(t)
	rep, err := Replay(t.Context(), nil, app.URL+"/hook", orig, Verbatim, testSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := app.got()[0]
	for _, name := range []string{extend.HeaderTimestamp, extend.HeaderSignature} {
		if r.header.Get(name) != storetest.Header(orig, name) {
			t.Errorf("%s: %q, want the original %q", name, r.header.Get(name), storetest.Header(orig, name))
		}
	}
	if r.verified.Outcome != extend.Stale || string(r.body) != string(storetest.Body(orig)) {
		t.Errorf("the app saw %s, want the original bytes, stale", r.verified.Outcome)
	}
	checkReplayEvent(t, rep, orig, app.URL)
	if rep.Verification.Outcome != extend.Stale {
		t.Errorf("the replay's verification: %+v, want stale", rep.Verification)
	}
	if rep.Forward().Status != http.StatusUnauthorized {
		t.Errorf("the app's answer: %+v, want its 401", rep.Forward())
	}
}

func checkReplayEvent(t *testing.T, rep, orig *store.Event, appURL string) {
	t.Helper()
	if rep.ReplayOf() != orig.Seq || rep.Seq != 0 {
		t.Errorf("ReplayOf %d, Seq %d: want %d and none yet", rep.ReplayOf(), rep.Seq, orig.Seq)
	}
	if rep.Method != http.MethodPost || rep.Path != "/hook" || rep.Query != orig.Query {
		t.Errorf("replay of %s %s?%s, want POST /hook?%s", rep.Method, rep.Path, rep.Query, orig.Query)
	}
	if string(storetest.Body(rep)) != string(storetest.Body(orig)) || rep.Size() != orig.Size() {
		t.Error("the replay's body differs")
	}
	if rep.Envelope.EventID != orig.Envelope.EventID || rep.Category != orig.Category {
		t.Errorf("classified as %s %s, want the original's", rep.Envelope.EventID, rep.Category)
	}
	host := strings.TrimPrefix(appURL, "http://")
	if storetest.Header(rep, "Host") != host || storetest.Header(rep, "Content-Length") != strconv.Itoa(len(storetest.Body(orig))) {
		t.Errorf("Host %q, Content-Length %q", storetest.Header(rep, "Host"), storetest.Header(rep, "Content-Length"))
	}
	for _, name := range []string{"Connection", "Keep-Alive", "X-Hop"} {
		if storetest.Header(rep, name) != "" {
			t.Errorf("the replay lists %s, which was not sent", name)
		}
	}
	if fw := rep.Forward(); fw == nil || fw.URL != appURL+"/hook?"+orig.Query {
		t.Errorf("forward result %+v, want the app's answer from %s", fw, appURL)
	}
}

func TestReplayAddsMissingSignature(t *testing.T) {
	app := newApp(t, nil)
	orig := numbered(t, 1)
	orig.SetHeaders(slices.DeleteFunc(storetest.Headers(orig), func(h store.Header) bool {
		return strings.HasPrefix(strings.ToLower(h.Name), "x-extend-request-")
	}))
	if _, err := Replay(t.Context(), nil, app.URL, orig, Resign, testSecret, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := app.got()[0].verified; got.Outcome != extend.Verified {
		t.Errorf("the app's verification: %+v, want verified", got)
	}
}

func TestReplayWithoutAnswer(t *testing.T) {
	rep, err := Replay(t.Context(), nil, closedURL(t), captured(t), Verbatim, "", time.Now())
	if err != nil {
		t.Fatalf("an app that is down is an answer, not an error: %v", err)
	}
	if fw := rep.Forward(); fw.Status != 0 || fw.Err != "connection refused" {
		t.Errorf("forward result %+v, want connection refused", fw)
	}
	if rep.Verification.Outcome != extend.Unchecked {
		t.Errorf("no secret: verification %s, want unchecked", rep.Verification.Outcome)
	}
}

func TestReplayRefusals(t *testing.T) {
	app := newApp(t, nil)
	if _, err := Replay(t.Context(), nil, app.URL, captured(t), Resign, "", time.Now()); !errors.Is(err, ErrNoSecret) {
		t.Errorf("re-sign without a secret: %v, want ErrNoSecret", err)
	}
	refused := &store.Event{Seq: 3, Status: 413}
	refused.Reject("body of 20000000 bytes is over the limit", 20000000)
	if _, err := Replay(t.Context(), nil, app.URL, refused, Verbatim, "", time.Now()); err == nil || !strings.Contains(err.Error(), "refused its body") {
		t.Errorf("replay of a refused delivery: %v", err)
	}
	if _, err := Replay(t.Context(), nil, "ftp://x/y", captured(t), Verbatim, "", time.Now()); err == nil || !strings.Contains(err.Error(), "only http and https") {
		t.Errorf("replay to a bad target: %v", err)
	}
	if n := len(app.got()); n != 0 {
		t.Errorf("%d requests reached the app, want none", n)
	}
}

func TestSetHeader(t *testing.T) {
	h := func(pairs ...string) []store.Header {
		var list []store.Header
		for i := 0; i < len(pairs); i += 2 {
			list = append(list, store.Header{Name: pairs[i], Value: pairs[i+1]})
		}
		return list
	}
	got := setHeader(h("A", "1", "x-extend-request-timestamp", "old", "B", "2", "X-Extend-Request-Timestamp", "dup", "C", "3"), extend.HeaderTimestamp, "new")
	if want := h("A", "1", "x-extend-request-timestamp", "new", "B", "2", "C", "3"); !slices.Equal(got, want) {
		t.Errorf("setHeader = %v, want %v", got, want)
	}
	if got := setHeader(h("A", "1"), "B", "2"); !slices.Equal(got, h("A", "1", "B", "2")) {
		t.Errorf("setHeader appended %v", got)
	}
}

func TestReplayModeNames(t *testing.T) {
	if Resign.String() != "re-signed" || Verbatim.String() != "verbatim" {
		t.Errorf("names %q %q", Resign, Verbatim)
	}
}
