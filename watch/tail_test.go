package watch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/extend-inspect/extend-inspect/store"
)

func delivery(typ string) *store.Event {
	name, _ := json.Marshal(typ)
	ev := &store.Event{Method: "POST", Path: "/"}
	ev.SetBody(fmt.Appendf(nil, `{"eventType":%s}`, name))
	ev.Classify()
	return ev
}

// seqs lists the seq of each line printed.
func seqs(t *testing.T, out *bytes.Buffer) string {
	t.Helper()
	var got []string
	for line := range strings.Lines(out.String()) {
		seq, _, _ := strings.Cut(strings.TrimPrefix(line, `{"seq":`), ",")
		got = append(got, seq)
	}
	out.Reset()
	return strings.Join(got, " ")
}

// Deliveries evicted before tail read them are counted on stderr, and the
// rest are printed in order.
func TestTailerCountsWhatItMissed(t *testing.T) {
	st := store.New(2, 0)
	for range 5 {
		st.Append(delivery("workflow.created"))
	}
	var out, warn bytes.Buffer
	tl := NewTailer(st, Tail{Out: &out, Warn: &warn})
	defer tl.Close()
	if err := tl.drain(tl.follower.Take()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warn.String(), "3 deliveries were dropped before tail could print them") || seqs(t, &out) != "4 5" {
		t.Errorf("warned %q", warn.String())
	}
	st.Append(delivery("workflow.created"))
	warn.Reset()
	tl.drain(tl.follower.Take())
	if warn.Len() != 0 || seqs(t, &out) != "6" {
		t.Errorf("second drain warned %q", warn.String())
	}
}

func TestTailerPrintsOnlyWhatMatches(t *testing.T) {
	st := store.New(10, 0)
	for _, typ := range []string{"workflow_run.completed", "extract_run.processed", "workflow_run.failed"} {
		st.Append(delivery(typ))
	}
	var out bytes.Buffer
	tl := NewTailer(st, Tail{Match: func(typ string) bool { return strings.HasPrefix(typ, "workflow_run.") }, Out: &out, Warn: &out})
	defer tl.Close()
	if err := tl.Flush(); err != nil || seqs(t, &out) != "1 3" {
		t.Errorf("flush: %v", err)
	}
}

// fakeForwards is the forwarder as the tailer sees it.
type fakeForwards struct {
	wake   chan struct{}
	missed uint64
}

func (f *fakeForwards) Forwarded() <-chan struct{} { return f.wake }
func (f *fakeForwards) Missed() uint64             { return f.missed }

// With forwarding, a line waits for its forward's result and lines keep
// their order; a delivery evicted before its forward is printed without
// one, and the forwarder's count of those is reported.
func TestTailerHoldsLinesForTheirForward(t *testing.T) {
	st := store.New(2, 0)
	fw := &fakeForwards{}
	var out, warn bytes.Buffer
	tl := NewTailer(st, Tail{Out: &out, Warn: &warn, Forwards: fw})
	defer tl.Close()
	e1, e2 := delivery("a.b"), delivery("a.b")
	st.Append(e1)
	st.Append(e2)
	tl.drain(tl.follower.Take())
	e2.SetForward(&store.Forward{Status: 200})
	tl.drain(tl.follower.Take())
	if got := seqs(t, &out); got != "" {
		t.Fatalf("printed %q before the first delivery's forward finished", got)
	}
	e1.SetForward(&store.Forward{Status: 500})
	tl.drain(tl.follower.Take())
	if got := seqs(t, &out); got != "1 2" {
		t.Fatalf("printed %q, want both in order", got)
	}

	e3, e4, e5 := delivery("a.b"), delivery("a.b"), delivery("a.b")
	st.Append(e3)
	tl.drain(tl.follower.Take()) // e3 held for its forward
	st.Append(e4)
	st.Append(e5) // e3 evicted before its forward: it will not get one
	fw.missed = 1
	tl.drain(tl.follower.Take())
	if got := seqs(t, &out); got != "3" || !strings.Contains(warn.String(), "1 delivery was evicted from memory before their forward") {
		t.Fatalf("printed %q, warned %q; want the evicted one printed and counted", got, warn.String())
	}
	if err := tl.Flush(); err != nil || seqs(t, &out) != "4 5" {
		t.Errorf("flush after the forwarder stopped: %v", err)
	}
}
