package ui

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"

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
	for _, q := range []string{"Northwind", "invoice_total", "inv-00", "e", "zq", "FAILED", "workflow_run.failed", "ada.knuth@"} {
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
		if bytes.Contains(bytes.ToLower([]byte(searchFields(it.ev))), lq) || bytes.Contains(bytes.ToLower(storetest.Body(it.ev)), lq) {
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
	mk := &itemMaker{loc: testEpoch.Location()}
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
