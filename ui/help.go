package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/keymap"
)

// helpDialog lists every binding of the key map, by section, and what the
// marks on the rows mean. Its scroll keys are those of keymap.ScopeHelp;
// any other key closes it.
type helpDialog struct {
	k     inks
	keys  keymap.KeyMap
	lines []string // laid out at the width of the last resize
	w, h  int
	top   int
}

func newHelpDialog(kit *renderKit) *helpDialog {
	return &helpDialog{k: kit.inks, keys: kit.keys}
}

func (d *helpDialog) update(msg tea.Msg) action {
	key, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	page := max(1, d.h-2)
	switch a, _ := d.keys.Lookup(keymap.ScopeHelp, key.String()); a {
	case keymap.Down:
		d.top++
	case keymap.Up:
		d.top--
	case keymap.PageDown:
		d.top += page
	case keymap.PageUp:
		d.top -= page
	default:
		return closeDialog{}
	}
	d.clamp()
	return nil
}

func (d *helpDialog) resize(w, h int) {
	d.w, d.h = w, h
	d.lines = d.layout(w)
	d.clamp()
}

func (d *helpDialog) clamp() {
	d.top = max(0, min(d.top, len(d.lines)-d.h+1))
}

func (d *helpDialog) render() []string {
	hints := append([]keymap.Hint{{Key: "any other key", Text: "closes"}},
		d.keys.Hints(keymap.ScopeHelp, keymap.Up, keymap.Down, keymap.PageUp, keymap.PageDown)...)
	out := []string{hintLine("Keys", d.k, hints, d.w)}
	end := min(len(d.lines), d.top+d.h-1)
	out = append(out, d.lines[d.top:end]...)
	return fillLines(out, d.w, d.h)
}

// layout lists every binding, by section, and the badges' meanings.
func (d *helpDialog) layout(w int) []string {
	k := d.k
	var lines []string
	bindings := d.keys.Bindings()
	for _, sec := range keymap.Sections() {
		lines = append(lines, padLine(k.Heading.paint(string(sec)), width(string(sec)), w))
		for _, b := range bindings {
			if b.Section != sec {
				continue
			}
			keys := fit(b.Help().Key, 16)
			lines = append(lines, padLine(" "+k.Key.paint(keys)+" "+k.Text.paint(fit(b.Help().Desc, max(0, w-18))), w, w))
		}
		lines = append(lines, blank(w))
	}
	lines = append(lines, padLine(k.Heading.paint("Signature badges"), 16, w))
	for _, v := range extend.Verifications {
		lines = append(lines, padLine(" "+badgeInk(k, v).paint(badge(v))+" "+k.Text.paint(fit(v.String(), w-3)), w, w))
	}
	lines = append(lines, forwardLegend(k, w)...)
	return lines
}
