package ui

import (
	"cmp"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/extend-inspect/extend-inspect/extend"
	"github.com/extend-inspect/extend-inspect/keymap"
)

// helpDialog lists every binding of the key map, by section, and what the
// marks on the rows mean. Its scroll keys are those of keymap.ScopeHelp;
// any other key closes it.
type helpDialog struct {
	k    inks
	keys keymap.KeyMap
	scroller
}

func newHelpDialog(kit *renderKit) *helpDialog {
	return &helpDialog{k: kit.inks, keys: kit.keys}
}

func (d *helpDialog) update(msg tea.Msg) action {
	key, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	if a, _ := d.keys.Lookup(keymap.ScopeHelp, key.String()); !d.scroll(a) {
		return closeDialog{}
	}
	return nil
}

func (d *helpDialog) resize(w, h int) { d.relayout(w, h, d.layout) }

func (d *helpDialog) render() []string {
	hints := append([]keymap.Hint{{Key: "any other key", Text: "closes"}},
		d.keys.Hints(keymap.ScopeHelp, keymap.Up, keymap.Down, keymap.PageUp, keymap.PageDown)...)
	return d.frame(hintLine("Keys", d.k, hints, d.w), d.k.Dim)
}

// helpColumnWidth is the narrowest column of the help screen; a screen
// gets as many columns as fit.
const helpColumnWidth = 38

// layout lists every binding, by section, and the badges' meanings, in as
// many columns as w allows: a section stays in one column when it fits.
func (d *helpDialog) layout(w int) []string {
	cols := max(1, (w+1)/(helpColumnWidth+1))
	cw := (w+1)/cols - 1
	blocks, h := d.blocks(cw), max(1, d.h-1)
	flowed := flowBlocks(blocks, h, false)
	if len(flowed) > cols {
		// Sections go on in the next column rather than below, in columns
		// as tall as what shows above the scroller's "↓ more" row, so that
		// no column's foot is hidden under it.
		flowed = flowBlocks(blocks, max(1, h-1), true)
	}
	return joinColumns(flowed, cols, cw, w)
}

// blocks are the help's sections, each laid out cw wide. The screen's own
// sections list a binding a line, its description wrapped under itself; a
// dialog's section, whose keys its own hint line shows too, lists them in
// short, run on ("enter apply · esc/q cancel"). A dialog's or the pane's
// binding of a movement action on the list's own keys is not listed again:
// the section says those keys move there too.
func (d *helpDialog) blocks(cw int) [][]string {
	bindings := d.keys.Bindings()
	keyWidth := 0
	for _, b := range bindings {
		keyWidth = max(keyWidth, width(compactKeys(b.Help().Key)))
	}
	keyWidth = min(keyWidth, cw/3)
	var blocks [][]string
	for _, sec := range keymap.Sections() {
		var listed []keymap.Binding
		same, dialog := false, true
		for _, b := range bindings {
			switch {
			case b.Section != sec:
				continue
			case d.sameAsOnTheList(b):
				same = true
			default:
				listed = append(listed, b)
			}
			dialog = dialog && !screenScope(b.Scope)
		}
		if len(listed) == 0 {
			continue // only the list's movement keys, which move there too
		}
		if dialog {
			blocks = append(blocks, d.shortBlock(sec, listed, same, cw))
		} else {
			blocks = append(blocks, d.longBlock(sec, listed, same, keyWidth, cw))
		}
	}
	return append(blocks, legend(d.k, cw))
}

// screenScope says bindings of sc act on the screen itself rather than in
// a dialog.
func screenScope(sc keymap.Scope) bool {
	switch sc {
	case keymap.ScopeMain, keymap.ScopePane, keymap.ScopeZoom, keymap.ScopeDiff:
		return true
	}
	return false
}

const sameKeysNote = "movement keys as on the list"

func (d *helpDialog) longBlock(sec keymap.Section, listed []keymap.Binding, same bool, keyWidth, cw int) []string {
	k := d.k
	lines := []string{k.Heading.paint(fit(string(sec), cw))}
	for _, b := range listed {
		lines = append(lines, helpEntry(k, k.Key.paint(fit(compactKeys(b.Help().Key), keyWidth)), keyWidth, b.Help().Desc, cw)...)
	}
	if same {
		lines = append(lines, helpEntry(k, blank(keyWidth), keyWidth, sameKeysNote, cw)...)
	}
	return lines
}

func (d *helpDialog) shortBlock(sec keymap.Section, listed []keymap.Binding, same bool, cw int) []string {
	k := d.k
	hints := make([]string, 0, len(listed)+1)
	for _, b := range listed {
		hints = append(hints, compactKeys(b.Help().Key)+" "+cmp.Or(b.Short, b.Help().Desc))
	}
	if same {
		hints = append(hints, sameKeysNote)
	}
	lines := []string{k.Heading.paint(fit(string(sec), cw))}
	for _, line := range wordWrap(strings.Join(hints, " · "), cw-1) {
		lines = append(lines, padLine(" "+k.Text.paint(line), 1+width(line), cw))
	}
	return lines
}

// sameAsOnTheList says b is a scope's own binding of a list movement, on
// the same keys as the list's.
func (d *helpDialog) sameAsOnTheList(b keymap.Binding) bool {
	if b.Scope == keymap.ScopeMain {
		return false
	}
	switch b.Action {
	case keymap.Up, keymap.Down, keymap.PageUp, keymap.PageDown, keymap.Top, keymap.Bottom:
		return d.keys.Keys(keymap.ScopeMain, b.Action) == b.Help().Key
	}
	return false
}

// legend says what the marks on the rows mean.
func legend(k inks, cw int) []string {
	lines := []string{k.Heading.paint(fit("Marks on the rows", cw))}
	var b strings.Builder
	for i, v := range extend.Verifications {
		if i > 0 {
			b.WriteString(" · ")
		}
		b.WriteString(badge(v) + " " + v.String())
	}
	for _, line := range wordWrap(b.String(), cw-1) {
		lines = append(lines, padLine(" "+k.Text.paint(line), 1+width(line), cw))
	}
	return append(lines, forwardLegend(k, cw)...)
}

// compactKeys shortens key names for the help's key column.
func compactKeys(keys string) string {
	return strings.NewReplacer("ctrl+", "^", "shift+tab", "⇧tab", "pgdown", "pgdn").Replace(keys)
}

// helpEntry is a key and its description, wrapped to cw cells with the
// continuation lines under the description.
func helpEntry(k inks, key string, keyWidth int, desc string, cw int) []string {
	room := max(1, cw-keyWidth-2)
	var out []string
	for i, line := range wordWrap(desc, room) {
		line = fit(line, min(room, width(line)))
		lead := strings.Repeat(" ", keyWidth+1)
		if i == 0 {
			lead = " " + key
		}
		out = append(out, padLine(lead+" "+k.Text.paint(line), keyWidth+2+width(line), cw))
	}
	return out
}

// flowBlocks pours blocks into columns of at most h lines, a blank line
// between blocks; a block that does not fit what is left of a column
// starts the next one unless split, and one taller than a column is split.
func flowBlocks(blocks [][]string, h int, split bool) [][]string {
	var cols [][]string
	var col []string
	for _, b := range blocks {
		if len(col) > 0 && len(col)+1+len(b) > h && (len(b) <= h && !split || len(col)+2 >= h) {
			cols, col = append(cols, col), nil
		}
		if len(col) > 0 {
			col = append(col, "")
		}
		for _, line := range b {
			if len(col) == h {
				cols, col = append(cols, col), nil
			}
			col = append(col, line)
		}
	}
	return append(cols, col)
}

// joinColumns sets columns side by side, n at a time, each cw wide with a
// space between; further columns go below the first n.
func joinColumns(cols [][]string, n, cw, w int) []string {
	var out []string
	for start := 0; start < len(cols); start += n {
		group := cols[start:min(len(cols), start+n)]
		rows := 0
		for _, c := range group {
			rows = max(rows, len(c))
		}
		for r := range rows {
			var b strings.Builder
			for i, c := range group {
				if i > 0 {
					b.WriteString(" ")
				}
				if r < len(c) && c[r] != "" {
					b.WriteString(c[r])
				} else {
					b.WriteString(blank(cw))
				}
			}
			out = append(out, padLine(b.String(), len(group)*(cw+1)-1, w))
		}
	}
	return out
}
