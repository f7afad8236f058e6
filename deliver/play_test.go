package deliver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/extend/sample"
)

const testSecret = "wss_test_secret_123"

// arrival is what the test endpoint made of one request.
type arrival struct {
	body      []byte
	outcome   extend.Verification
	userAgent string
	ctype     string
}

// endpoint is an app under test: it verifies every delivery with Extend's
// rules and answers status.
type endpoint struct {
	*httptest.Server
	mu       sync.Mutex
	arrivals []arrival
}

func newEndpoint(t *testing.T, secret string, status int) *endpoint {
	t.Helper()
	e := &endpoint{}
	verifier := extend.NewVerifier(secret)
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		check := verifier.Verify(r.Header.Get(extend.HeaderTimestamp), r.Header.Get(extend.HeaderSignature), body, time.Now())
		e.mu.Lock()
		e.arrivals = append(e.arrivals, arrival{body, check.Outcome, r.UserAgent(), r.Header.Get("Content-Type")})
		e.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *endpoint) got() []arrival {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.arrivals)
}

func mustSample(t *testing.T, eventType string) []byte {
	t.Helper()
	b, err := sample.Build(eventType, sample.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSendSigningOutcomes(t *testing.T) {
	cases := []struct {
		secret  string
		signing Signing
		want    extend.Verification
	}{
		{testSecret, Signed, extend.Verified},
		{testSecret, Unsigned, extend.Missing},
		{testSecret, BadSignature, extend.Invalid},
		{testSecret, Stale, extend.Stale},
		{"", Signed, extend.Missing}, // no secret: nothing to sign with
	}
	for _, c := range cases {
		t.Run(c.signing.String()+"/"+c.secret, func(t *testing.T) {
			app := newEndpoint(t, testSecret, http.StatusOK)
			s := &Sender{URL: app.URL, Secret: c.secret}
			body := mustSample(t, "workflow_run.completed")
			res := s.Send(context.Background(), body, c.signing)
			if res.Err != nil || res.Status != http.StatusOK || !res.OK() {
				t.Fatalf("Send = %+v, want 200 and OK", res)
			}
			got := app.got()
			if len(got) != 1 || got[0].outcome != c.want {
				t.Fatalf("endpoint saw %v, want one delivery %s", got, c.want)
			}
			if string(got[0].body) != string(body) {
				t.Errorf("body changed on the way:\n%s\nwant\n%s", got[0].body, body)
			}
			if got[0].ctype != "application/json" || got[0].userAgent != UserAgent {
				t.Errorf("content-type %q, user-agent %q", got[0].ctype, got[0].userAgent)
			}
			env := extend.ParseEnvelope(body)
			if res.EventType != "workflow_run.completed" || res.EventID != env.EventID {
				t.Errorf("result names %s %s, want the body's", res.EventType, res.EventID)
			}
		})
	}
}

func TestPlayDemo(t *testing.T) {
	app := newEndpoint(t, testSecret, http.StatusOK)
	sc, ok := sample.ScenarioByName("demo")
	if !ok {
		t.Fatal("no demo scenario")
	}
	for i := range sc.Steps {
		sc.Steps[i].Delay = 0 // the story, not its pace
	}
	var results []Result
	s := &Sender{URL: app.URL, Secret: testSecret}
	if err := s.Play(context.Background(), sc, sample.Options{}, func(r Result) { results = append(results, r) }); err != nil {
		t.Fatal(err)
	}
	got := app.got()
	if len(got) != len(sc.Steps) || len(results) != len(sc.Steps) {
		t.Fatalf("%d arrivals and %d results, want %d", len(got), len(results), len(sc.Steps))
	}
	for i, st := range sc.Steps {
		want := extend.Verified
		if st.BadSignature {
			want = extend.Invalid
		}
		env := extend.ParseEnvelope(got[i].body)
		if got[i].outcome != want || env.EventType != st.Type {
			t.Errorf("step %d: %s %s, want %s %s", i, env.EventType, got[i].outcome, st.Type, want)
		}
		if results[i].Note != st.Note || !results[i].OK() {
			t.Errorf("step %d: result %+v", i, results[i])
		}
		if st.RepeatOf >= 0 && string(got[i].body) != string(got[st.RepeatOf].body) {
			t.Errorf("step %d repeats step %d but sent another body", i, st.RepeatOf)
		}
		if st.SameRunAs >= 0 && sample.RunIDOf(got[i].body) != sample.RunIDOf(got[st.SameRunAs].body) {
			t.Errorf("step %d is not in the run of step %d", i, st.SameRunAs)
		}
	}
}

func TestRunStopsWhenUnreachable(t *testing.T) {
	url := closedURL(t)
	bodies, err := SampleBodies([]string{"extract_run.processed"}, sample.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var results []Result
	s := &Sender{URL: url, Secret: testSecret}
	err = s.Run(context.Background(), Paced(bodies, 3, 0, Signed), func(r Result) { results = append(results, r) })
	var down *UnreachableError
	if !errors.As(err, &down) {
		t.Fatalf("Run = %v, want *UnreachableError", err)
	}
	if want := "cannot reach " + url + ": connection refused"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if len(results) != 1 || results[0].OK() {
		t.Errorf("results %+v, want one failed delivery and then a stop", results)
	}
}

func TestRunTimeout(t *testing.T) {
	release := make(chan struct{})
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer app.Close()
	defer close(release)
	s := &Sender{URL: app.URL, Secret: testSecret, Client: &http.Client{Timeout: 50 * time.Millisecond}}
	res := s.Send(context.Background(), mustSample(t, "split_run.processed"), Signed)
	var down *UnreachableError
	if !errors.As(res.Err, &down) || !strings.HasPrefix(down.Reason, "no answer within 50ms") {
		t.Fatalf("Send = %+v, want no answer within 50ms", res)
	}
}

func TestRunKeepsGoingAfterAServerError(t *testing.T) {
	app := newEndpoint(t, testSecret, http.StatusInternalServerError)
	bodies, err := SampleBodies([]string{"workflow.created", "workflow.deleted"}, sample.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var results []Result
	s := &Sender{URL: app.URL, Secret: testSecret}
	if err := s.Run(context.Background(), Paced(bodies, 2, 0, Signed), func(r Result) { results = append(results, r) }); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, r := range results {
		if r.OK() || r.Status != 500 {
			t.Errorf("%+v: want a 500 that is not OK", r)
		}
		types = append(types, r.EventType)
	}
	want := []string{"workflow.created", "workflow.deleted", "workflow.created", "workflow.deleted"}
	if !slices.Equal(types, want) {
		t.Errorf("sent %v, want %v (count rounds of the types)", types, want)
	}
}

func TestPacedSpacesDeliveries(t *testing.T) {
	app := newEndpoint(t, testSecret, http.StatusOK)
	body, _ := FixedBody(mustSample(t, "parse_run.processed"), nil)
	s := &Sender{URL: app.URL, Secret: testSecret}
	start := time.Now()
	if err := s.Run(context.Background(), Paced([]func() ([]byte, error){body}, 3, 20, Signed), func(Result) {}); err != nil {
		t.Fatal(err)
	}
	// A lower bound only: timers never fire early, however slow the machine.
	if elapsed := time.Since(start); elapsed < 100*time.Millisecond {
		t.Errorf("3 deliveries at 20/s took %s, want at least 100ms", elapsed)
	}
	if n := len(app.got()); n != 3 {
		t.Errorf("%d deliveries, want 3", n)
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	app := newEndpoint(t, testSecret, http.StatusOK)
	sc, _ := sample.ScenarioByName("retries") // waits seconds between steps
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sender{URL: app.URL, Secret: testSecret}
	err := s.Play(ctx, sc, sample.Options{}, func(Result) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Play = %v, want context.Canceled", err)
	}
	if n := len(app.got()); n != 1 {
		t.Errorf("%d deliveries, want 1 before the cancel", n)
	}
}

func TestFixedBodyIsSentByteForByte(t *testing.T) {
	app := newEndpoint(t, testSecret, http.StatusOK)
	own := []byte("{\"eventId\":\"evt_1\",  \"eventType\":\"x.y\",\"payload\":{}}\r\n\t")
	body, err := FixedBody(own, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Sender{URL: app.URL, Secret: testSecret}
	if err := s.Run(context.Background(), Paced([]func() ([]byte, error){body}, 1, 0, Signed), func(Result) {}); err != nil {
		t.Fatal(err)
	}
	got := app.got()
	if len(got) != 1 || string(got[0].body) != string(own) || got[0].outcome != extend.Verified {
		t.Fatalf("got %+v, want the exact bytes, verified", got)
	}
}

func TestOverrides(t *testing.T) {
	o, err := ParseOverride("payload.metadata.note=a=b")
	if err != nil || o != (Override{"payload.metadata.note", "a=b"}) {
		t.Fatalf("ParseOverride = %+v, %v", o, err)
	}
	for _, bad := range []string{"payload.status", "=x", ""} {
		if _, err := ParseOverride(bad); err == nil {
			t.Errorf("ParseOverride(%q) accepted", bad)
		}
	}
	overrides := []Override{{"payload.status", "FAILED"}, {"payload.failureReason", "INTERNAL_ERROR"}}
	bodies, err := SampleBodies([]string{"workflow_run.completed"}, sample.Options{}, overrides)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := bodies[0]()
	env := extend.ParseEnvelope(b)
	if env.Status != "FAILED" || env.FailureReason != "INTERNAL_ERROR" {
		t.Errorf("status %q, failure reason %q: overrides not applied", env.Status, env.FailureReason)
	}
	if _, err := SampleBodies([]string{"workflow_run.completed"}, sample.Options{}, []Override{{"payload.nope.deeper", "1"}}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("a path that does not exist: %v, want an error naming it", err)
	}
}

func TestMatchTypes(t *testing.T) {
	got, err := MatchTypes(extend.V20260209, []string{"workflow_run.failed", "workflow_run.*", "extract_run.processed"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"workflow_run.failed", "workflow_run.completed", "workflow_run.needs_review", "workflow_run.rejected", "workflow_run.cancelled", "workflow_run.step_run.processed", "extract_run.processed"}
	if !slices.Equal(got, want) {
		t.Errorf("MatchTypes = %v, want %v", got, want)
	}
	errs := map[string]string{
		"nope.created":            `unknown event type "nope.created"`,
		"processor_run.processed": "API version 2026-02-09 has no event processor_run.processed (it exists in 2025-04-21, 2024-12-23)",
		"nope.*":                  `"nope.*" matches no event type of API version 2026-02-09`,
		"[":                       `"[" is not a valid glob`,
	}
	for pattern, want := range errs {
		if _, err := MatchTypes(extend.V20260209, []string{pattern}); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("MatchTypes(%q) = %v, want %q", pattern, err, want)
		}
	}
}

func TestResultLine(t *testing.T) {
	r := Result{URL: "http://127.0.0.1:4677/", EventType: "workflow_run.completed", EventID: "event_X", Status: 200, Latency: 3 * time.Millisecond}
	if want := "200 OK  workflow_run.completed           event_X  → http://127.0.0.1:4677/ (3 ms)"; r.String() != want {
		t.Errorf("line\n%q, want\n%q", r.String(), want)
	}
	r.Signing, r.Status = BadSignature, 401
	if !r.OK() || !strings.HasSuffix(r.String(), "bad signature, refused") {
		t.Errorf("a refused rehearsal: OK %v, %q", r.OK(), r.String())
	}
	r.Status = 500
	if r.OK() {
		t.Error("a 500 is never OK")
	}
}

func TestRunWaitsBeforeTheFirstDelivery(t *testing.T) {
	app := newEndpoint(t, testSecret, http.StatusOK)
	body, _ := FixedBody(mustSample(t, "parse_run.processed"), nil)
	plan := func(yield func(Delivery) bool) { yield(Delivery{After: 100 * time.Millisecond, Body: body}) }
	s := &Sender{URL: app.URL, Secret: testSecret}
	start := time.Now()
	if err := s.Run(context.Background(), plan, func(Result) {}); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 100*time.Millisecond {
		t.Errorf("the first delivery left after %s, want at least its 100ms", elapsed)
	}
}

func TestInspectorURL(t *testing.T) {
	for listen, want := range map[string]string{
		"127.0.0.1:4677": "127.0.0.1:4677", "0.0.0.0:80": "127.0.0.1:80", ":9000": "127.0.0.1:9000",
		"[::]:9000": "127.0.0.1:9000", "[::1]:9000": "[::1]:9000", "localhost:1": "localhost:1",
	} {
		if got, err := InspectorURL(listen, ""); got != "http://"+want+"/" || err != nil {
			t.Errorf("InspectorURL(%q) = %q, %v; want http://%s/", listen, got, err, want)
		}
	}
	if got, _ := InspectorURL("127.0.0.1:4677", extend.V20250421); got != "http://127.0.0.1:4677/?api_version=2025-04-21" {
		t.Errorf("an older version: %q, want the URL tagged with it", got)
	}
	if got, _ := InspectorURL("127.0.0.1:4677", extend.V20260209); got != "http://127.0.0.1:4677/" {
		t.Errorf("the current version: %q, want the URL untagged", got)
	}
	if _, err := InspectorURL("127.0.0.1:0", ""); err == nil || !strings.Contains(err.Error(), "pass --to URL") {
		t.Errorf("port 0: %v, want an error that says to pass --to", err)
	}
}

// SendAll reports each answer, counts the ones that are not OK, and says
// how far it got when interrupted.
func TestSendAll(t *testing.T) {
	app := newEndpoint(t, testSecret, http.StatusInternalServerError)
	batch := Batch{Count: 2, Signing: Signed}
	job, err := batch.Samples([]string{"workflow.created", "workflow.deleted"}, sample.Options{})
	if err != nil || job.Total != 4 {
		t.Fatalf("Samples: total %d, %v; want 4 deliveries planned", job.Total, err)
	}
	s := &Sender{URL: app.URL, Secret: testSecret}
	reported := 0
	err = s.SendAll(context.Background(), job, func(Result) { reported++ })
	if err == nil || err.Error() != "4 of 4 deliveries failed" || reported != 4 {
		t.Errorf("SendAll = %v after %d reports, want 4 of 4 deliveries failed after 4", err, reported)
	}

	ctx, cancel := context.WithCancel(context.Background())
	sc, _ := sample.ScenarioByName("retries") // waits seconds between steps
	err = s.SendAll(ctx, ScenarioJob(sc, sample.Options{}), func(Result) { cancel() })
	if err == nil || err.Error() != "interrupted after 1 of 3 deliveries" {
		t.Errorf("cancelled SendAll = %v, want interrupted after 1 of 3 deliveries", err)
	}
}

func TestSendAllStopsWhenUnreachable(t *testing.T) {
	job, err := Batch{Count: 3}.Body([]byte(`{}`))
	if err != nil || job.Total != 3 {
		t.Fatalf("Body: total %d, %v; want 3 deliveries planned", job.Total, err)
	}
	reported := 0
	err = (&Sender{URL: closedURL(t)}).SendAll(context.Background(), job, func(Result) { reported++ })
	var down *UnreachableError
	if !errors.As(err, &down) || reported != 0 {
		t.Errorf("SendAll = %v after %d reports, want *UnreachableError and none (it is said once, as the error)", err, reported)
	}
}
