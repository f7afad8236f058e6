package ui

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/store"
	"github.com/extend-inspect/extend-inspect/store/storetest"
	"github.com/extend-inspect/extend-inspect/ui/search"
	"github.com/extend-inspect/extend-inspect/ui/search/searchtest"
)

// A search streamed in slices, typed a character at a time or pasted,
// shows exactly the events a plain case-insensitive scan of the fields and
// bodies finds.
func TestStreamedSearchIsExact(t *testing.T) {
	const events = 6000 // more than asyncSearchMin: the searches stream
	s := store.New(events, 0)
	g, bodies := newEventMaker(), searchtest.New(9)
	for i := range events {
		s.Append(g.raw(bodies.Body(i)))
	}
	m := newTestModel(t, s, 120, 40)
	pull(m)
	checkPastedAndTyped(t, m, "Northwind", "invoice_total", "inv-00", "e", "zq", "FAILED", "workflow_run.failed", "ada.knuth@")
}

// A search over a session whose older bodies stay in its file (read from
// it, into reused buffers) shows exactly what a plain scan finds, as one
// over bodies in memory does.
func TestKeptSessionSearchIsExact(t *testing.T) {
	const events = 3000 // more than firstSearchSlice: the searches stream
	path, _ := writeSessionFile(t, events)
	m, closeSession := openSessionModel(t, path, "kept", events)
	defer closeSession()
	if !m.list.text.inFile {
		t.Fatal("no body is in the file")
	}
	var before [][]byte
	for _, it := range m.list.items {
		before = append(before, bytes.Clone(storetest.Body(it.ev)))
	}
	checkPastedAndTyped(t, m, "Northwind", "inv-00", "e", "ada.knuth@", "xylophone")
	// The scans' reused buffers never held (and so never overwrote) the
	// bytes of a body in memory.
	for i, it := range m.list.items {
		if !bytes.Equal(storetest.Body(it.ev), before[i]) {
			t.Fatalf("#%d: the body changed during the searches", it.ev.Seq)
		}
	}
}

// checkPastedAndTyped checks each query's result exact, pasted whole and
// typed a character at a time.
func checkPastedAndTyped(t *testing.T, m *Model, queries ...string) {
	t.Helper()
	for _, q := range queries {
		resetFilter(m)
		applyQuery(m, q)
		checkExact(t, m, q)
		resetFilter(m)
		for i := range q {
			applyQuery(m, q[:i+1])
		}
		checkExact(t, m, q+" (typed)")
	}
}

func checkExact(t *testing.T, m *Model, q string) {
	t.Helper()
	lq := []byte(strings.ToLower(strings.TrimSuffix(q, " (typed)")))
	want := 0
	for _, it := range m.list.items {
		if bytes.Contains(bytes.ToLower(appendSearchFields(nil, it.ev)), lq) || bytes.Contains(bytes.ToLower(storetest.Body(it.ev)), lq) {
			want++
		}
	}
	if got := m.list.shownCount(); got != want || m.list.text.pending != nil {
		t.Errorf("%q: %d shown (still searching: %v), a scan finds %d", q, got, m.list.text.pending != nil, want)
	}
}

// A stopped search's workers give up at their next check.
func TestStoppedSearchGivesUp(t *testing.T) {
	g := newEventMaker()
	mk := &itemMaker{}
	var events []*store.Event
	for range 2 * stopCheckEvery {
		events = append(events, g.raw([]byte(`{"eventType":"workflow.created"}`)))
	}
	items := mk.makeAll(events)
	var stopped atomic.Bool
	stopped.Store(true)
	if hits := findSome(search.NewQuery("workflow"), nil, items, false, &stopped); len(hits) != 0 {
		t.Errorf("a stopped search found %d events", len(hits))
	}
}

// fileBodies stands in for a session file's bodies: it serves the bodies
// kept in it and counts its reads.
type fileBodies struct {
	mu     sync.Mutex
	bodies [][]byte
	reads  atomic.Int64
}

func (fb *fileBodies) AppendBody(dst []byte, at store.BodyAt) ([]byte, error) {
	fb.reads.Add(1)
	fb.mu.Lock()
	defer fb.mu.Unlock()
	return append(dst, fb.bodies[at.Offset]...), nil
}

// keep moves ev's body into the file.
func (fb *fileBodies) keep(ev *store.Event) *store.Event {
	body, _ := ev.Body()
	fb.mu.Lock()
	defer fb.mu.Unlock()
	ev.KeepBodyIn(fb, store.BodyAt{Offset: int64(len(fb.bodies)), Size: int64(len(body))})
	fb.bodies = append(fb.bodies, body)
	return ev
}

// updateReadsNothing hands msg to the model, failing the test when Update
// reads a body from the file, and returns the catch-up messages its
// commands bring (the model is closed: its feed's wait returns at once).
func updateReadsNothing(t *testing.T, m *Model, fb *fileBodies, msg tea.Msg) []textCatchUpMsg {
	t.Helper()
	before := fb.reads.Load()
	_, cmd := m.Update(msg)
	if n := fb.reads.Load() - before; n != 0 {
		t.Errorf("Update of %T read %d bodies from the file", msg, n)
	}
	var caught []textCatchUpMsg
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
		case textCatchUpMsg:
			caught = append(caught, msg)
		}
	}
	run(cmd)
	return caught
}

// Arrivals whose bodies are in a file are tested against an active text
// filter by a command, never in Update; those in memory that come after
// them wait for it, so the result stays in order, and is what a scan finds.
func TestArrivalsInAFileAreTestedOffUpdate(t *testing.T) {
	s := store.New(100, 0)
	g, fb := newEventMaker(), new(fileBodies)
	needle := func(i int) []byte {
		return fmt.Appendf(nil, `{"eventType":"workflow_run.completed","note":"needle %d"}`, i)
	}
	other := []byte(`{"eventType":"workflow_run.completed","note":"hay"}`)
	for i := range 8 {
		body := other
		if i%3 == 0 {
			body = needle(i)
		}
		s.Append(fb.keep(g.raw(body)))
	}
	m := newTestModel(t, s, 120, 40)
	pull(m)
	applyQuery(m, "NEEDLE")
	checkExact(t, m, "NEEDLE")

	s.Append(fb.keep(g.raw(needle(10))))
	s.Append(g.raw(needle(11))) // in memory, after one in the file
	s.Append(fb.keep(g.raw(other)))
	first := m.feed.take()
	s.Append(g.raw(needle(12)))
	second := m.feed.take()
	m.Close()
	caught := updateReadsNothing(t, m, fb, first)
	caught = append(caught, updateReadsNothing(t, m, fb, second)...)
	if got := m.list.shownCount(); got != 3 {
		t.Errorf("before the command ran, %d shown; want the 3 matches loaded first", got)
	}
	for len(caught) > 0 {
		msg := caught[0]
		caught = append(caught[1:], updateReadsNothing(t, m, fb, msg)...)
	}
	checkExact(t, m, "NEEDLE")
	if m.list.sel == nil || m.list.sel.ev.Seq != 12 {
		t.Errorf("selected %v; want the newest match, #12, followed", m.list.sel)
	}
}
