package ui

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/store"
)

// A query typed a character at a time while a session loads, with its
// searches, the arrivals and their catch-ups coming back in any order,
// ends with every match a scan finds (as `open` of a large file, typed
// into during its load, did not).
func TestTypingWhileASessionLoadsIsExact(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			s := store.New(100_000, 0)
			g, fb := newEventMaker(), new(fileBodies)
			n := 0
			add := func(count int) {
				for range count {
					note := "hay"
					if n%97 == 0 {
						note = fmt.Sprintf("zebra%d", n)
					}
					body := fmt.Appendf(nil, `{"eventType":"workflow_run.completed","note":%q}`, note)
					ev := g.raw(body)
					if rng.IntN(10) < 7 {
						ev = fb.keep(ev)
					}
					s.Append(ev)
					n++
				}
			}
			add(6000)
			m := newTestModel(t, s, 120, 40)
			pull(m)
			m.Close() // the feed's wait returns at once: the test hands the arrivals in
			var queue []tea.Cmd
			enqueue := func(c tea.Cmd) {
				if c != nil {
					queue = append(queue, c)
				}
			}
			runOne := func() {
				i := rng.IntN(len(queue))
				c := queue[i]
				queue = append(queue[:i], queue[i+1:]...)
				switch msg := c().(type) {
				case nil:
				case tea.BatchMsg:
					for _, c := range msg {
						enqueue(c)
					}
				default:
					_, next := m.Update(msg)
					enqueue(next)
				}
			}
			query, typed := "zebra", 0
			for typed < len(query) || len(queue) > 0 || n < 20000 {
				switch r := rng.IntN(4); {
				case r == 0 && typed < len(query):
					typed++
					enqueue(m.list.setQuery(query[:typed]))
				case r == 1 && n < 20000:
					add(500 + rng.IntN(1500))
					_, next := m.Update(m.feed.take())
					enqueue(next)
				case len(queue) > 0:
					runOne()
				}
			}
			checkExact(t, m, query)
			if want := m.pane.key(m.list.sel, m.kit.at(m.now())); m.pane.shown != want {
				t.Errorf("the pane shows %+v; the selection is %+v", m.pane.shown, want)
			} else if d := m.pane.current(); d == nil || d.more != nil {
				t.Errorf("the pane's document is still rendering, with nothing left to run: %+v", d)
			}
			if t.Failed() {
				t.Logf("missing %v; upto %d; n %d", missingSeqs(m, query), m.list.text.cur.upto, n)
			}
		})
	}
}

func missingSeqs(m *Model, q string) []uint64 {
	shown := map[uint64]bool{}
	for _, h := range m.list.text.cur.hits {
		shown[h.it.ev.Seq] = true
	}
	var out []uint64
	for _, it := range m.list.items {
		body, _ := it.ev.Body()
		if !shown[it.ev.Seq] && containsFold(body, q) {
			out = append(out, it.ev.Seq)
		}
	}
	return out
}

func containsFold(b []byte, q string) bool { return bytes.Contains(bytes.ToLower(b), []byte(q)) }
