package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/keymap"
)

// overlay is a screen drawn over the body: help, the type picker, and the
// dialogs planned next (export). While one is open it gets every key first.
type overlay interface {
	// key handles a key press; done closes the overlay.
	key(m *Model, msg tea.KeyPressMsg) (done bool, cmd tea.Cmd)
	// render draws the overlay in a w×h area.
	render(m *Model, w, h int) []string
}

// helpOverlay lists every binding of the key map, by section.
type helpOverlay struct {
	top int
}

func (o *helpOverlay) key(m *Model, msg tea.KeyPressMsg) (bool, tea.Cmd) {
	switch a, _ := m.keys.Lookup(keymap.ScopeMain, msg.String()); a {
	case keymap.Down, keymap.ScrollDown:
		o.top++
	case keymap.Up, keymap.ScrollUp:
		o.top = max(0, o.top-1)
	case keymap.PageDown:
		o.top += 10
	case keymap.PageUp:
		o.top = max(0, o.top-10)
	default:
		return true, nil
	}
	o.top = min(o.top, max(0, len(o.lines(m, m.lay.body.w))-m.lay.body.h+1))
	return false, nil
}

func (o *helpOverlay) render(m *Model, w, h int) []string {
	k := m.inks
	lines := o.lines(m, w)
	title := fit("Keys — ↑/↓ scroll, any other key closes", w)
	out := []string{k.key.paint(title)}
	top := min(o.top, max(0, len(lines)-h+1))
	end := min(len(lines), top+h-1)
	out = append(out, lines[top:end]...)
	for len(out) < h {
		out = append(out, strings.Repeat(" ", w))
	}
	return out
}

// lines lists every binding, by section, and the badges' meanings.
func (o *helpOverlay) lines(m *Model, w int) []string {
	k := m.inks
	var lines []string
	bindings := m.keys.Bindings()
	for _, sec := range keymap.Sections() {
		lines = append(lines, padLine(k.heading.paint(string(sec)), width(string(sec)), w))
		for _, b := range bindings {
			if b.Section != sec {
				continue
			}
			keys := fit(b.Help().Key, 16)
			lines = append(lines, padLine(" "+k.key.paint(keys)+" "+k.text.paint(fit(b.Help().Desc, max(0, w-18))), w, w))
		}
		lines = append(lines, strings.Repeat(" ", w))
	}
	lines = append(lines, padLine(k.heading.paint("Signature badges"), 16, w))
	for _, v := range extend.Verifications {
		lines = append(lines, padLine(" "+badgeInk(k, v).paint(badge(v))+" "+k.text.paint(fit(v.String(), w-3)), w, w))
	}
	lines = append(lines, padLine(" "+k.repeat.paint("×2")+" "+k.text.paint(fit("a repeated delivery of one eventId (attempt 2)", w-4)), w, w))
	lines = append(lines, forwardLegend(k, w)...)
	return lines
}

// typePicker lets the user pick the event types to show: every catalogue
// type plus any other type seen, each with its count of stored events.
type typePicker struct {
	entries []pickerEntry
	chosen  map[string]bool
	cursor  int
	top     int
}

type pickerEntry struct {
	name     string
	count    int
	category extend.Category
}

func newTypePicker(byType map[string]int, current map[string]bool) *typePicker {
	p := &typePicker{chosen: map[string]bool{}}
	known := map[string]bool{}
	for _, t := range extend.Catalogue() {
		p.entries = append(p.entries, pickerEntry{t.Name, byType[t.Name], t.Category})
		known[t.Name] = true
	}
	var others []string
	for name := range byType {
		if !known[name] {
			others = append(others, name)
		}
	}
	slices.Sort(others)
	for _, name := range others {
		p.entries = append(p.entries, pickerEntry{name, byType[name], extend.CategoryOf(name)})
	}
	for name := range current {
		p.chosen[name] = true
	}
	return p
}

func (p *typePicker) key(m *Model, msg tea.KeyPressMsg) (bool, tea.Cmd) {
	a, _ := m.keys.Lookup(keymap.ScopePicker, msg.String())
	switch a {
	case keymap.Up:
		p.cursor = max(0, p.cursor-1)
	case keymap.Down:
		p.cursor = min(len(p.entries)-1, p.cursor+1)
	case keymap.PickerToggle:
		name := p.entries[p.cursor].name
		if p.chosen[name] {
			delete(p.chosen, name)
		} else {
			p.chosen[name] = true
		}
		p.cursor = min(len(p.entries)-1, p.cursor+1)
	case keymap.PickerAll:
		for _, e := range p.entries {
			if e.count > 0 {
				p.chosen[e.name] = true
			}
		}
	case keymap.PickerNone:
		clear(p.chosen)
	case keymap.PickerApply:
		return true, m.setTypes(p.chosen)
	case keymap.Cancel:
		return true, nil
	}
	p.keepCursorVisible(max(1, m.lay.body.h-1))
	return false, nil
}

func (p *typePicker) keepCursorVisible(rows int) {
	if p.cursor < p.top {
		p.top = p.cursor
	}
	if p.cursor >= p.top+rows {
		p.top = p.cursor - rows + 1
	}
}

func (p *typePicker) render(m *Model, w, h int) []string {
	k := m.inks
	title := fmt.Sprintf("Event types (%d selected) — space select · a all seen · n none · enter apply · esc cancel", len(p.chosen))
	out := []string{k.key.paint(fit(title, w))}
	nameW := max(10, min(40, w-24))
	for i := p.top; i < len(p.entries) && len(out) < h; i++ {
		e := p.entries[i]
		mark := "[ ]"
		if p.chosen[e.name] {
			mark = "[x]"
		}
		line := fmt.Sprintf(" %s %s %6d  %s", mark, fit(typeLabel(e.name), nameW), e.count, e.category)
		line = fit(line, w)
		switch {
		case i == p.cursor:
			line = k.selected.paint(line)
		case e.count == 0:
			line = k.dim.paint(line)
		default:
			line = k.text.paint(line)
		}
		out = append(out, line)
	}
	for len(out) < h {
		out = append(out, strings.Repeat(" ", w))
	}
	return out
}
