package ui

import (
	"fmt"
	"maps"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/keymap"
	"github.com/extend-inspect/extend-inspect/store"
)

// markSet is the set of marked events, by seq. It outlives filtering: an
// event hidden by a filter stays marked; only eviction drops a mark.
type markSet map[uint64]*store.Event

// markWidth is the cells of the mark column at the start of every row.
const markWidth = 2

func (s markSet) has(seq uint64) bool { _, ok := s[seq]; return ok }

// toggle marks ev, or unmarks it when it is marked.
func (s markSet) toggle(ev *store.Event) {
	if s.has(ev.Seq) {
		delete(s, ev.Seq)
		return
	}
	s[ev.Seq] = ev
}

// evict drops the marks of the events before seq first, gone from the store.
func (s markSet) evict(first uint64) {
	maps.DeleteFunc(s, func(seq uint64, _ *store.Event) bool { return seq < first })
}

// events returns the marked events in seq order.
func (s markSet) events() []*store.Event {
	out := make([]*store.Event, 0, len(s))
	for _, seq := range slices.Sorted(maps.Keys(s)) {
		out = append(out, s[seq])
	}
	return out
}

// selectionAction handles the keys that act on the marked or selected
// events: marking, export and copy.
func (m *Model) selectionAction(a keymap.Action) tea.Cmd {
	switch a {
	case keymap.Mark:
		return m.toggleMark()
	case keymap.MarkShown:
		m.markShown()
	case keymap.ClearMarks:
		n := len(m.marks)
		clear(m.marks)
		m.report(fmt.Sprintf("cleared %d %s", n, plural(n, "mark")), false)
	case keymap.Export:
		return m.openExport()
	case keymap.CopyPayload:
		return m.copyPayload()
	case keymap.CopyCurl:
		return m.copyCurl()
	}
	return nil
}

// toggleMark marks or unmarks the selected event and moves down a row, so
// that space after space marks a run of events.
func (m *Model) toggleMark() tea.Cmd {
	if m.list.sel == nil {
		return nil
	}
	m.marks.toggle(m.list.sel.ev)
	m.list.moveBy(1)
	return m.showSelected()
}

// markShown marks every event the filters show.
func (m *Model) markShown() {
	n := 0
	for _, g := range m.list.groups {
		for _, it := range g {
			if !m.marks.has(it.ev.Seq) {
				m.marks[it.ev.Seq] = it.ev
				n++
			}
		}
	}
	m.report(fmt.Sprintf("marked %d more %s (%d marked)", n, plural(n, "event"), len(m.marks)), false)
}

// markedOrSelected is what export and copy act on: the marked events, or
// the selected one when none is marked.
func (m *Model) markedOrSelected() []*store.Event {
	if len(m.marks) > 0 {
		return m.marks.events()
	}
	if m.list.sel != nil {
		return []*store.Event{m.list.sel.ev}
	}
	return nil
}

// markedRow draws an item's row behind its mark column.
func (m *Model) markedRow(it *item, cols columns, w int, state rowState) string {
	cell, k := "  ", m.inks.Marked
	if m.marks.has(it.ev.Seq) {
		cell = "● "
	}
	shown := withLinkLeft(rowTextOf(it.ev, m.cfg.Location), it.ev, m.clock, m.cfg.Location)
	row := renderRow(it, shown, cols, w-markWidth, m.inks, state)
	switch state {
	case rowSelected:
		k = m.inks.Selected
	case rowIdle:
		k = m.inks.SelectedIdle
	}
	return k.paint(cell) + row
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
