package ui

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/keymap"
)

// typePicker lets the user pick the event types to show: every catalogue
// type plus any other type seen, each with its count of stored events.
type typePicker struct {
	k       inks
	keys    keymap.KeyMap
	entries []pickerEntry
	chosen  map[string]bool
	cursor  int
	top     int
	w, h    int
}

type pickerEntry struct {
	name     string
	count    int
	category extend.Category
}

func newTypePicker(kit *renderKit, byType map[string]int, current map[string]bool) *typePicker {
	p := &typePicker{k: kit.inks, keys: kit.keys, chosen: map[string]bool{}}
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

func (p *typePicker) update(msg tea.Msg) action {
	key, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	a, _ := p.keys.Lookup(keymap.ScopePicker, key.String())
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
		return applyTypes{types: p.chosen}
	case keymap.Cancel:
		return closeDialog{}
	}
	p.keepCursorVisible()
	return nil
}

func (p *typePicker) resize(w, h int) {
	p.w, p.h = w, h
	p.keepCursorVisible()
}

func (p *typePicker) keepCursorVisible() {
	rows := p.rows()
	if p.cursor < p.top {
		p.top = p.cursor
	}
	if p.cursor >= p.top+rows {
		p.top = p.cursor - rows + 1
	}
}

// rows is how many entries show under the title: all the lines below it,
// but for the last while entries go on below the screen, which says how
// many.
func (p *typePicker) rows() int {
	if len(p.entries)-p.top > p.h-1 {
		return max(1, p.h-2)
	}
	return max(1, p.h-1)
}

func (p *typePicker) render() []string {
	k, w := p.k, p.w
	title := fmt.Sprintf("Event types (%d selected)", len(p.chosen))
	hints := p.keys.Hints(keymap.ScopePicker, keymap.PickerToggle, keymap.PickerAll, keymap.PickerNone, keymap.PickerApply, keymap.Cancel)
	out := []string{hintLine(title, k, hints, w)}
	nameW := max(10, min(40, w-24))
	end := min(len(p.entries), p.top+p.rows())
	for i := p.top; i < end; i++ {
		e := p.entries[i]
		mark := "[ ]"
		if p.chosen[e.name] {
			mark = "[x]"
		}
		line := fmt.Sprintf(" %s %s %6d  %s", mark, fit(typeLabel(e.name), nameW), e.count, e.category)
		line = fit(line, w)
		switch {
		case i == p.cursor:
			line = k.Selected.paint(line)
		case e.count == 0:
			line = k.Dim.paint(line)
		default:
			line = k.Text.paint(line)
		}
		out = append(out, line)
	}
	if below := len(p.entries) - end; below > 0 {
		out = append(out, k.Dim.paint(fit(fmt.Sprintf("↓ %d more", below), w)))
	}
	return fillLines(out, w, p.h)
}
