package watch

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
)

func withOutcome(ev *store.Event, o extend.Verification) *store.Event {
	ev.Verification = extend.Check{Outcome: o, Reason: o.String()}
	return ev
}

func TestWaitPicksTheFirstThatCounts(t *testing.T) {
	st := store.New(10, 0)
	want := withOutcome(delivery("workflow_run.completed"), extend.Verified)
	refused := &store.Event{Method: "POST", Path: "/"}
	refused.Reject("body too large", 20<<20)
	for _, ev := range []*store.Event{
		withOutcome(delivery("workflow.deployed"), extend.Verified),
		withOutcome(delivery("workflow_run.completed\x1b[2J"), extend.Invalid),
		refused,
		want,
		withOutcome(delivery("workflow_run.completed"), extend.Verified),
	} {
		st.Append(ev)
	}
	var warn bytes.Buffer
	w := Wait{Match: func(typ string) bool { return strings.HasPrefix(typ, "workflow_run.") }, Verifying: true, Warn: &warn}
	got, err := w.First(context.Background(), st)
	if err != nil || got != want {
		t.Fatalf("First = seq %v, %v; want seq %d", got, err, want.Seq)
	}
	if msg := warn.String(); !strings.Contains(msg, `ignored workflow_run.completed\x1b[2J`) || strings.Contains(msg, "\x1b") {
		t.Errorf("stderr %q: want the unverified match reported, escaped", msg)
	}
}

func TestWaitMatchesTheID(t *testing.T) {
	ev := delivery("workflow_run.completed")
	ev.Envelope.ID, ev.Envelope.EventID = "workflow_run_1", "evt_1"
	for id, want := range map[string]bool{"": true, "workflow_run_1": true, "evt_1": true, "workflow_run_2": false} {
		if got := (Wait{ID: id}).Matches(ev); got != want {
			t.Errorf("id %q: %v, want %v", id, got, want)
		}
	}
	if (Wait{}).Matches(delivery("")) {
		t.Error("a delivery without a type matched")
	}
}

func TestWaitEndsWithTheContext(t *testing.T) {
	st := store.New(2, 0)
	for range 3 {
		st.Append(delivery("other.type"))
	}
	var warn bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Wait{Match: func(string) bool { return false }, Warn: &warn}.First(ctx, st)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("First = %v, want the context's error", err)
	}
	if !strings.Contains(warn.String(), "1 delivery was dropped before wait could read them") {
		t.Errorf("stderr %q: want the missed delivery counted", warn.String())
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"workflow_run.completed": "workflow_run.completed",
		"a\x1b[31mb":             `a\x1b[31mb`,
		"a\u0085b\u202ec":        `a\u0085b\u202ec`,
		`say "hi"`:               `say "hi"`,
		"ünïcode":                "ünïcode",
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWaitMatchesFields(t *testing.T) {
	ev := &store.Event{}
	ev.SetBody([]byte(`{"eventType":"workflow_run.completed","payload":{"id":"wr_1","metadata":{"requestId":"req-9"}}}`))
	ev.Envelope = extend.ParseEnvelope(storetest.Body(ev))
	if !(Wait{Fields: map[string]string{"payload.metadata.requestId": "req-9"}}).Matches(ev) {
		t.Error("the requestId that the body holds did not match")
	}
	if (Wait{Fields: map[string]string{"payload.metadata.requestId": "req-9", "payload.id": "wr_2"}}).Matches(ev) {
		t.Error("matched although payload.id differs")
	}
}

// --run waits for the event that ends the run: not its step runs, not
// another run's completion, and a step run's child processor run is part
// of the workflow run but never ends it.
func TestWaitForTheRunsEnd(t *testing.T) {
	body := func(typ, payload string) *store.Event {
		ev := &store.Event{Method: "POST", Path: "/"}
		ev.SetBody([]byte(`{"eventId":"evt_` + typ + `","eventType":"` + typ + `","payload":` + payload + `}`))
		ev.Classify()
		return ev
	}
	st := store.New(10, 0)
	want := body("workflow_run.failed", `{"object":"workflow_run","id":"workflow_run_A","status":"FAILED"}`)
	for _, ev := range []*store.Event{
		body("workflow_run.step_run.processed", `{"object":"workflow_step_run","id":"workflow_step_run_1","workflowRunId":"workflow_run_A","stepType":"EXTRACT","status":"PROCESSED"}`),
		body("workflow_run.completed", `{"object":"workflow_run","id":"workflow_run_B","status":"PROCESSED"}`),
		body("extract_run.processed", `{"object":"extract_run","id":"exr_1","status":"PROCESSED"}`),
		want,
	} {
		st.Append(ev)
	}
	w := Wait{Run: "workflow_run_A", Warn: &bytes.Buffer{}}
	got, err := w.First(context.Background(), st)
	if err != nil || got != want {
		t.Fatalf("First = %v, %v; want the run's failed event (seq %d)", got, err, want.Seq)
	}
}
