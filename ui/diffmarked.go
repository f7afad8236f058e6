package ui

import (
	"cmp"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend/output"
	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
)

// comparison is the diff of two marked events' bodies that the Review view
// shows in place of the selected event's review. It lasts while the
// selection and the view stay as they were when diff-marked asked for it;
// diff-marked again or diff-close leaves it sooner.
type comparison struct {
	a, b *store.Event // the older and the newer
	sel  uint64       // the event selected then; 0 for none
}

func seqOf(it *item) uint64 {
	if it == nil {
		return 0
	}
	return it.ev.Seq
}

// diffMarked shows the diff of the two marked events in the Review view, or
// leaves it when it is on screen. Following stops, as it does when the user
// moves: an arrival would move the selection and end the diff.
func (m *Model) diffMarked() tea.Cmd {
	if m.comparing() {
		m.compare = nil
		return m.showSelected()
	}
	marked := m.marks.events()
	if len(marked) != 2 {
		m.report(needTwoMarked(len(marked), m.keys), true)
		return nil
	}
	m.compare = &comparison{a: marked[0], b: marked[1], sel: seqOf(m.list.sel)}
	m.list.following = false
	m.pane.view = viewReview
	return m.showSelected()
}

// needTwoMarked says what diff-marked needs when n events are marked.
func needTwoMarked(n int, keys keymap.KeyMap) string {
	mark := keys.Keys(keymap.ScopeMain, keymap.Mark)
	switch {
	case n == 0:
		return fmt.Sprintf("diff needs two marked events: none is marked (%s marks one)", mark)
	case n == 1:
		return fmt.Sprintf("diff needs two marked events: one is marked, mark one more (%s)", mark)
	}
	return fmt.Sprintf("diff needs two marked events: %d are marked (%s unmarks one, %s clears them all)",
		n, mark, keys.Keys(keymap.ScopeMain, keymap.ClearMarks))
}

// comparing reports whether the pane is to show the diff, ending it once
// the selection or the view has changed since it was asked for.
func (m *Model) comparing() bool {
	if c := m.compare; c != nil && (m.pane.view != viewReview || seqOf(m.list.sel) != c.sel) {
		m.compare = nil
	}
	return m.compare != nil
}

// showDiff makes the pane show the diff of c, computed in a command.
func (p *pane) showDiff(c *comparison, kit *renderKit) tea.Cmd {
	k := docKey{seq: c.a.Seq, versus: c.b.Seq, view: viewReview, width: p.width, theme: kit.styles.Theme}
	return p.showDoc(k, true, func() producer {
		return &diffProducer{c: c, rw: newRowWriter(k.width, kit.inks.Escape), kit: kit}
	})
}

// diffProducer draws the diff of two bodies by JSON path, under a heading
// that names both events, so that it is not read as the selected event's
// review. The diff is computed whole in the first chunk (it is one pass
// over both bodies); its lines are written a chunk at a time, since two
// bodies that differ everywhere make thousands.
type diffProducer struct {
	c     *comparison
	rw    *rowWriter
	kit   *renderKit
	diffs []output.Difference
	next  int // the next difference to write
}

func (p *diffProducer) produce(first bool) (chunk, bool) {
	if first {
		a, errA := p.c.a.Body()
		b, errB := p.c.b.Body()
		if err := cmp.Or(errA, errB); err != nil {
			unreadableBody(p.rw, err, p.kit.inks.Warning)
			return p.rw.take(true), true
		}
		p.diffs = output.Diff(a, b)
		p.heading()
	}
	n := chunkLines
	if first {
		n = firstChunkLines
	}
	end := min(len(p.diffs), p.next+n)
	for _, d := range p.diffs[p.next:end] {
		diffLine(d, p.rw, p.kit)
	}
	p.next = end
	done := p.next == len(p.diffs)
	return p.rw.take(done), done
}

func (p *diffProducer) heading() {
	k, rw, c := p.kit.inks, p.rw, p.c
	rw.write(fmt.Sprintf("Diff of the marked events #%d → #%d", c.a.Seq, c.b.Seq), k.Heading)
	rw.endLine()
	rw.write(c.a.Envelope.EventType+" → "+c.b.Envelope.EventType, k.Text)
	rw.endLine()
	n := len(p.diffs)
	summary := fmt.Sprintf("%d %s by JSON path (key order ignored)", n, plural(n, "difference"))
	if n == 0 {
		summary = "the two bodies are the same"
	}
	rw.write(summary, k.Dim)
	rw.endLine()
	keys := p.kit.keys
	rw.write(fmt.Sprintf("%s or %s: back to the review of the selected event", keys.Keys(keymap.ScopeMain, keymap.DiffMarked),
		keys.Keys(keymap.ScopeDiff, keymap.DiffClose)), k.Dim)
	rw.endLine()
	rw.endLine()
}

func (p *diffProducer) progress() float64 {
	if len(p.diffs) == 0 {
		return 0
	}
	return float64(p.next) / float64(len(p.diffs))
}
