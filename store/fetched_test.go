package store

import (
	"strings"
	"testing"
	"time"
)

const signedLink = `{"object":"signed_data_url","id":"sig_1","data":"https://example.invalid/x?sig=1"}`

// A fetched payload on a stored event wakes the subscribers of forward
// results, counts, is charged to the byte bound, and joins the run it
// names to the event's run; the body is never changed.
func TestSetFetched(t *testing.T) {
	s := New(10, 0)
	ch, stop := s.SubscribeForwards()
	defer stop()
	ev := runEvent("e1", "workflow_run.completed", signedLink)
	body := string(mustBody(ev))
	s.Append(ev)
	s.Append(workflowRun("e2", "workflow_run.failed", "workflow_run_C", "FAILED", ""))
	before := s.Stats().Bytes
	payload := `{"object":"workflow_run","id":"workflow_run_C","status":"PROCESSED"}`
	at := time.Date(2026, 7, 20, 9, 30, 15, 0, time.UTC)
	if err := s.SetFetched(1, []byte(payload), at); err != nil {
		t.Fatal(err)
	}
	<-ch
	if n := s.FetchCount(); n != 1 {
		t.Errorf("FetchCount = %d, want 1", n)
	}
	if got := s.Stats().Bytes - before; got != int64(len(payload)) {
		t.Errorf("the byte bound grew by %d, want %d", got, len(payload))
	}
	if f := ev.Fetched(); f == nil || string(f.Payload) != payload || !f.At.Equal(at) {
		t.Errorf("Fetched = %+v", f)
	}
	if got := mustBody(ev); string(got) != body {
		t.Errorf("the body changed: %s", got)
	}
	want := `{"eventId":"e1","eventType":"workflow_run.completed","payload":` + payload + `}`
	if got := string(ev.FetchedBody()); got != want {
		t.Errorf("FetchedBody = %s, want %s", got, want)
	}
	if r := s.RunOf(ev); len(r.Events) != 2 || r.ID != "workflow_run_C" {
		t.Errorf("the run after the fetch = %s %v, want workflow_run_C [1 2]", r.ID, seqsOf(r.Events))
	}
}

func TestSetFetchedRefuses(t *testing.T) {
	s := New(10, 0)
	s.Append(runEvent("e1", "workflow_run.completed", signedLink))
	if err := s.SetFetched(1, []byte("<html>"), time.Now()); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("HTML: err = %v", err)
	}
	if err := s.SetFetched(9, []byte("{}"), time.Now()); err == nil {
		t.Error("an event not stored took a payload")
	}
	if s.FetchCount() != 0 {
		t.Errorf("a refused payload counted")
	}
}

// A payload over the byte bound's room evicts the oldest events, as a
// body would; the sum stays balanced when the event itself goes.
func TestSetFetchedKeepsTheByteBound(t *testing.T) {
	s := New(10, 3000)
	for i := range 3 {
		s.Append(runEvent("e"+string(rune('1'+i)), "workflow_run.completed", signedLink))
	}
	big := `{"pad":"` + strings.Repeat("x", 1500) + `"}`
	if err := s.SetFetched(1, []byte(big), time.Now()); err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, ev := range s.All() {
		sum += ev.footprint()
	}
	if st := s.Stats(); st.Bytes != sum || st.Bytes > 3000 {
		t.Errorf("bytes = %d, footprints %d, bound 3000", st.Bytes, sum)
	}
}
